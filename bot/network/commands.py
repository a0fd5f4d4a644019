"""/courses (courses ranked by how past circles went), /survey (the end-of-circle survey and
its answers) and /share (a link kept for the course, approved by the facilitator)."""

from __future__ import annotations

from functools import partial

from babel.lists import format_list
from babel.numbers import format_decimal

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.keywords import plain
from bot.circles import circles, meetings
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import conversations
from bot.dialogue.context import Context
from bot.dialogue.registry import Args
from bot.dialogue.values import parse_number
from bot.network import commons, courses, survey
from bot.network.courses import RankedCourse
from bot.rhythm import questions
from bot.rhythm.commands.answers import yes_or_no
from bot.storage.models import Circle, CourseResource, CourseSurvey, ResourceStatus, Role

TIP_FLOW = "course-tip"
COURSES_SHOWN = 10
APPROVE, REJECT = N_("approve"), N_("reject")


# -- /courses -----------------------------------------------------------------------------------


async def courses_(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    topic = " ".join(str(args.get("topic") or "").split())
    if len(topic) > courses.MAX_TOPIC_CHARS:
        raise UserError(
            N_("Please keep the topic under %(limit)d characters."),
            limit=courses.MAX_TOPIC_CHARS,
        )
    found = await courses.ranked(ctx.session, topic or None, COURSES_SHOWN, ctx.now)
    if not found:
        if topic:
            ctx.reply(tr._("No circle has taken a course about “%(topic)s” yet.", topic=topic))
        else:
            ctx.reply(tr._("No circle has taken a course yet. Start one with /newcircle."))
        return
    lines: list[str] = []
    ranked = [course for course in found if course.figures.ranked]
    if ranked:
        lines.append(
            tr._("Courses about “%(topic)s”, by how past circles went:", topic=topic)
            if topic
            else tr._("Courses, by how past circles went:")
        )
    for number, course in enumerate(ranked, start=1):
        lines.append(f"{number}. " + _course_line(tr, course))
    rest = [course for course in found if not course.figures.ranked]
    if rest:
        lines += ["", tr._("Too few circles to rank yet:")] if ranked else []
        lines += [] if ranked else [tr._("Courses circles have taken (too few to rank yet):")]
        lines += ["• " + _course_line(tr, course) for course in rest]
    ctx.reply("\n".join(lines))


def _course_line(tr: Translator, course: RankedCourse) -> str:
    found = course.figures
    parts = [
        tr.ngettext("%(n)d circle", "%(n)d circles", course.circles),
    ]
    if found.came_back is not None:
        parts.append(tr._("%(percent)d%% came back", percent=round(found.came_back * 100)))
    if found.rating is not None:
        rating = format_decimal(found.rating, format="0.0", locale=tr.locale)  # "3,5" in French
        parts.append(tr._("rated %(rating)s/5", rating=rating))
    if found.goals_met is not None:
        parts.append(tr._("goals met %(percent)d%%", percent=round(found.goals_met * 100)))
    if found.recommend is not None:
        parts.append(tr._("%(percent)d%% would recommend", percent=round(found.recommend * 100)))
    title = course.title + (" " + course.link if course.link else "")
    # The colon from the catalog: French puts a space before it.
    return tr._(
        "%(course)s (%(language)s): %(figures)s",
        course=title,
        language=course.language,
        figures=", ".join(parts),
    )


# -- /survey --------------------------------------------------------------------------------------


async def _check_over(ctx: Context, circle: Circle) -> None:
    """The survey opens once the circle's last meeting has ended."""
    assert circle.id is not None
    found = (await meetings.bounds(ctx.session, [circle.id])).get(circle.id)
    final = await meetings.meeting_by_number(ctx.session, circle, found[1]) if found else None
    if final is None or final.ends_at > ctx.now:
        raise UserError(
            N_("The survey opens after your circle's last meeting. I'll send it to you then.")
        )


async def survey_(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    circle, membership = ctx.require_circle()
    role = Role(membership.role)
    await _check_over(ctx, circle)
    words = str(args.get("answer") or "").split()
    if not words and await _answered(ctx, circle, role):
        ctx.reply(survey.answered_already(tr, circle), choices=survey.again_choices(tr, circle))
        return
    if not words and await _resumed(ctx, circle, role):
        return  # begun and stopped: on from where she stopped, not from its 1-5 (frsw 25)
    if not words or plain(words[0]) == survey.AGAIN:
        await _awaiting(ctx, circle, role)
        ctx.reply(
            survey.rating_question(tr, circle, role), choices=survey.rating_choices(tr, circle)
        )
        return
    step, value = plain(words[0]), " ".join(words[1:])
    row = await survey.survey_of(ctx.session, circle, ctx.person_id, role, ctx.now)
    row.updated_at = ctx.now
    if step == survey.RATING:
        rating = _rating(value)
        if rating is None:
            raise UserError(N_("Please answer with a number from 1 to 5."))
        row.rating = rating
        ctx.session.add(row)
        await _after_rating(ctx, circle, role)
    elif step == survey.GOAL and role == Role.LEARNER:
        answer = _goal_answer(tr, value)
        if not answer:
            raise UserError(N_("Please answer yes, partly or no."))
        row.goal_met = answer
        ctx.session.add(row)
        await _awaiting(ctx, circle, role)
        _ask_recommend(ctx, circle)
    elif step == survey.RECOMMEND and role == Role.LEARNER:
        said = yes_or_no(tr, value)
        if said is None:
            raise UserError(N_("Please answer yes or no."))
        row.recommend = said
        ctx.session.add(row)
        await _awaiting(ctx, circle, role)
        _ask_tip(ctx, circle, role)
    elif step == survey.SHARE:
        await _share_tip(ctx, circle, row, value)
    else:
        raise UserError(N_("Send /survey to answer the survey about your circle's course."))


async def _answered(ctx: Context, circle: Circle, role: Role) -> bool:
    """Whether the person answered the survey already: /survey then says so, and does not
    start it over unasked. Not while its tip is being written."""
    writing = ctx.conversation.flow == TIP_FLOW and ctx.conversation.data.get("circle") == circle.id
    row = await survey.answers_of(ctx.session, circle, ctx.person_id)
    return not writing and survey.answered(row, role)


async def _resumed(ctx: Context, circle: Circle, role: Role) -> bool:
    """Whether the survey, begun (rated) and stopped, was asked on from its next question."""
    row = await survey.answers_of(ctx.session, circle, ctx.person_id)
    if row is None or row.rating is None:
        return False
    if role != Role.LEARNER:
        _ask_tip(ctx, circle, role)
        return True
    goal = await survey.goal_step(ctx.session, circle, ctx.person_id)
    await _awaiting(ctx, circle, role)
    if goal is not None and row.goal_met is None and not goal[1]:
        ctx.reply(
            survey.goal_question(ctx.tr, goal[0], ctx.by_text),
            choices=survey.goal_choices(ctx.tr, circle),
        )
        return True
    _ask_recommend(ctx, circle)
    return True


async def resumed_after_a_detour(ctx: Context) -> bool:
    """The survey's question that waited with its choices, asked again once a detour from it
    is over (a letter begun, then skipped: sms 24), so that the next answer is the survey's,
    not words for the facilitators. False when no learner's survey waits on a question."""
    if ctx.conversation.choices or ctx.conversation.flow:
        return False
    for membership, circle in ctx.memberships:
        role = Role(membership.role)
        if circle.id is None or role != Role.LEARNER:
            continue
        if not await survey.words_question(ctx.session, ctx.person_id, circle.id, ctx.now):
            continue
        row = await survey.answers_of(ctx.session, circle, ctx.person_id)
        return not survey.answered(row, role) and await _resumed(ctx, circle, role)
    return False


def _goal_answer(tr: Translator, words: str) -> str:
    """Which of survey.GOAL_ANSWERS `words` give: the English key, the choice's label as the
    reader sees it ("En partie"), or a yes or no; "" when none."""
    typed = plain(words)
    labels = survey.GOAL_LABELS.items()
    answer = next((key for key, label in labels if typed in {key, plain(tr._(label))}), "")
    if not answer:
        answer = {True: "yes", False: "no", None: ""}[yes_or_no(tr, words)]
    return answer


async def _awaiting(ctx: Context, circle: Circle, role: Role) -> None:
    """A learner's next question of the survey is asked: words typed meanwhile go to this
    circle's facilitators (survey.await_words)."""
    if role == Role.LEARNER:
        await survey.await_words(ctx.session, circle, ctx.person_id, ctx.now)


def _rating(value: str) -> int | None:
    try:
        rating = parse_number(value.strip()) if value.strip() else None
    except (ValueError, UserError):
        return None
    return rating if rating is not None and 1 <= rating <= 5 else None


async def _after_rating(ctx: Context, circle: Circle, role: Role) -> None:
    if role != Role.LEARNER:
        _ask_tip(ctx, circle, role)
        return
    await _awaiting(ctx, circle, role)
    goal = await survey.goal_step(ctx.session, circle, ctx.person_id)
    if goal is None:
        _ask_recommend(ctx, circle)
        return
    goal_set, review = goal
    if review:
        # Answered in the final week: quoted, not asked again. Its words count as the survey's
        # answer when they are one ("En partie"); a sentence is kept as written, uncounted.
        answer = _goal_answer(ctx.tr, review)
        if answer:
            row = await survey.survey_of(ctx.session, circle, ctx.person_id, role, ctx.now)
            row.goal_met = answer
            ctx.session.add(row)
        ctx.reply(
            " ".join(
                [
                    ctx.tr._("Thank you!"),
                    survey.goal_reviewed(ctx.tr, goal_set, ctx.by_text),
                    survey.recommend_question(ctx.tr, circle),
                ]
            ),
            choices=survey.yes_no_choices(ctx.tr, circle, survey.RECOMMEND),
        )
        return
    await survey.join_goal_review(ctx.session, circle, ctx.person_id)
    ctx.reply(
        ctx.tr._("Thank you!") + " " + survey.goal_question(ctx.tr, goal_set, ctx.by_text),
        choices=survey.goal_choices(ctx.tr, circle),
    )


def _ask_recommend(ctx: Context, circle: Circle) -> None:
    ctx.reply(
        survey.recommend_question(ctx.tr, circle),
        choices=survey.yes_no_choices(ctx.tr, circle, survey.RECOMMEND),
    )


def _ask_tip(ctx: Context, circle: Circle, role: Role) -> None:
    conversations.begin(ctx.conversation, TIP_FLOW, {"circle": circle.id}, ctx.now)
    ctx.reply(survey.tip_question(ctx.tr, circle, role))


async def tip_answer(ctx: Context, text: str) -> None:
    """The tip, written (the flow _ask_tip began): kept, then may it be shared?"""
    tr = ctx.tr
    circle = await ctx.session.get(Circle, ctx.conversation.data.get("circle"))
    if circle is None:
        conversations.finish(ctx.conversation, ctx.now)
        raise UserError(N_("That circle no longer exists."))
    if text.strip().casefold() in {"skip", tr._("skip").casefold()}:
        conversations.finish(ctx.conversation, ctx.now)
        await survey.done(ctx.session, circle, ctx.person_id)
        ctx.reply(tr._("OK, no tip. Thank you for answering!"))
        return
    tip = survey.check_tip(text)  # refused: the conversation waits for another try
    membership = await circles.membership_of(ctx.session, circle.id or 0, ctx.person_id)
    role = Role(membership.role) if membership else Role.LEARNER
    row = await survey.survey_of(ctx.session, circle, ctx.person_id, role, ctx.now)
    row.tip, row.tip_flags, row.tip_shared = tip, survey.screen_tip(tip, circle), False
    row.updated_at = ctx.now
    ctx.session.add(row)
    conversations.finish(ctx.conversation, ctx.now)
    if row.tip_flags:
        await survey.done(ctx.session, circle, ctx.person_id)
        ctx.reply(
            tr._(
                "Thank you! It seems to contain %(what)s, so it stays with your circle: tips "
                "travel without contact details.",
                what=", ".join(tr._(flag) for flag in row.tip_flags),
            )
        )
        return
    await _awaiting(ctx, circle, role)
    choices = survey.yes_no_choices(tr, circle, survey.SHARE)
    ctx.reply(survey.share_question(tr, circle), choices=choices)


async def _share_tip(ctx: Context, circle: Circle, row: CourseSurvey, value: str) -> None:
    tr = ctx.tr
    said = yes_or_no(tr, value)
    if said is None:
        raise UserError(N_("Please answer yes or no."))
    if not row.tip or row.tip_flags:
        raise UserError(N_("There's no tip of yours to share. Send /survey to write one."))
    row.tip_shared = said
    ctx.session.add(row)
    await survey.done(ctx.session, circle, ctx.person_id)
    if said:
        ctx.reply(
            tr._(
                "Thank you! Your tip will reach the next circles on this course, without your "
                "name. Thank you for answering!"
            )
        )
    else:
        ctx.reply(tr._("Fine: your tip stays private. Thank you for answering!"))


async def reads_its_answers(ctx: Context, payloads: list[str]) -> bool:
    """Whether the choices offered are a survey question's, and the question waiting for words
    is the survey's own: then an answer that starts with yes or no ("yes!! I did it", "ndiyo
    nilimaliza") picks one of them, as it does a reminder's; only what it can't read is words
    for the facilitators."""
    offered = survey.step_offered(payloads)
    return offered is not None and await survey.words_question(
        ctx.session, ctx.person_id, offered[0], ctx.now
    )


async def ask_again(ctx: Context, text: str, payloads: list[str]) -> bool:
    """A word or three the survey's question can't read ("loved it"), while its choices wait
    and no other question was asked since: the question again, with its choices, as a rating
    that is not 1-5 is. A sentence still goes on to the facilitators (survey.await_words).
    False when the choices offered are not the survey's."""
    offered = survey.step_offered(payloads)
    if offered is None or questions.a_sentence(text):
        return False
    circle_id, step = offered
    entry = next(((m, c) for m, c in ctx.memberships if c.id == circle_id), None)
    waiting = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if entry is None or (
        waiting is not None
        and not await survey.words_question(ctx.session, ctx.person_id, circle_id, ctx.now)
    ):
        return False
    membership, circle = entry
    tr, role = ctx.tr, Role(membership.role)
    if step == survey.RATING:
        question = survey.rating_question(tr, circle, role)
        choices = survey.rating_choices(tr, circle)
    elif step == survey.GOAL:
        goal = await survey.goal_step(ctx.session, circle, ctx.person_id)
        question = survey.goal_question(tr, goal[0], ctx.by_text) if goal else ""
        choices = survey.goal_choices(tr, circle)
    elif step in (survey.RECOMMEND, survey.SHARE):
        question = (
            survey.recommend_question(tr, circle)
            if step == survey.RECOMMEND
            else survey.share_again(tr, circle)
        )
        choices = survey.yes_no_choices(tr, circle, step)
    else:
        return False
    ctx.reply(" ".join(filter(None, [tr._("Sorry, I didn't catch that."), question])), choices)
    return True


# -- /share -----------------------------------------------------------------------------------


async def share(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    circle, membership = ctx.require_circle()
    role = Role(membership.role)
    words = str(args.get("link") or "").split(maxsplit=1)
    if not words:
        await _overview(ctx, circle, role)
        return
    action = plain(words[0])
    if action in {"approve", plain(tr._(APPROVE)), "reject", plain(tr._(REJECT))}:
        await _decide(ctx, circle, role, action in {"approve", plain(tr._(APPROVE))}, words)
        return
    resource = await commons.share(
        ctx.session,
        circle,
        ctx.person_id,
        role,
        words[0],
        words[1] if len(words) > 1 else None,
        ctx.now,
    )
    if resource.status == ResourceStatus.HELD:
        ctx.reply(
            tr._(
                "Thank you. It seems to contain %(what)s, so I'm holding it back: links travel "
                "to other circles without contact details.",
                # "a rude word and a web address", as letters say it
                what=format_list([tr._(flag) for flag in resource.flags], locale=tr.locale),
            )
        )
        return
    if resource.status == ResourceStatus.APPROVED:
        ctx.reply(
            tr._(
                "Kept for %(course)s: the next circles taking it will find it.",
                course=circle.course_title,
            )
        )
        return
    told = await ctx.notify_members(
        circle,
        circles.FACILITATING,
        MessageKind.RESOURCE_REVIEW,
        f"resource:{resource.id}",
        partial(_review_text, circle=circle, resource=resource, sharer=ctx.person.display_name),
        partial(commons.review_choices, circle=circle, resource=resource),
    )
    ctx.reply(
        tr._(
            "Thank you! Once your facilitator approves it, it's kept for the next circles "
            "taking %(course)s.",
            course=circle.course_title,
        )
        if told
        else tr._(
            "Thank you! It waits for your facilitator's approval (/share), then it's kept for "
            "the next circles taking %(course)s.",
            course=circle.course_title,
        )
    )


def _review_text(tr: Translator, circle: Circle, resource: CourseResource, sharer: str) -> str:
    return tr._(
        "%(name)s shared a link in %(circle)s for the next circles taking %(course)s:\n"
        "%(link)s\nShall I keep it for them? (/share approve %(number)d or /share reject "
        "%(number)d)",
        name=sharer,
        circle=circle.name,
        course=circle.course_title,
        link=commons.shown(resource),
        number=resource.id,
    )


async def _decide(
    ctx: Context, circle: Circle, role: Role, approve: bool, words: list[str]
) -> None:
    tr = ctx.tr
    if role not in circles.FACILITATING:
        raise UserError(N_("Only your circle's facilitators approve shared links."))
    try:
        number = parse_number(words[1].strip()) if len(words) > 1 else None
    except (ValueError, UserError):
        number = None
    if number is None:
        raise UserError(N_("Usage: %(usage)s"), usage="/share approve|reject NUMBER")
    resource = await commons.decide(ctx.session, circle, number, approve, ctx.now)
    if approve:
        ctx.reply(
            tr._(
                "Approved: link %(number)d is kept for the next circles taking %(course)s.",
                number=number,
                course=circle.course_title,
            )
        )
    else:
        ctx.reply(tr._("Link %(number)d won't be kept.", number=number))
    if resource.person_id is not None and resource.person_id != ctx.person_id:
        await ctx.notify(
            resource.person_id,
            OutboxKey(
                MessageKind.RESOURCE_DECISION,
                f"resource:{resource.id}",
                f"person:{resource.person_id}",
                # An approval taken back is news of its own; a first decision keys as before.
                "" if approve else "not-kept",
            ),
            partial(_decision_text, circle=circle, resource=resource, approve=approve),
        )


def _decision_text(tr: Translator, circle: Circle, resource: CourseResource, approve: bool) -> str:
    if approve:
        return tr._(
            "The link you shared is kept for the next circles taking %(course)s: %(link)s",
            course=circle.course_title,
            link=resource.url,
        )
    return tr._(
        "Your facilitator decided not to keep the link you shared: %(link)s",
        link=resource.url,
    )


async def _overview(ctx: Context, circle: Circle, role: Role) -> None:
    tr = ctx.tr
    assert circle.id is not None
    if role not in circles.FACILITATING:
        ctx.reply(
            tr._(
                "Found something useful for %(course)s? Send /share and the link, with a short "
                "note if you like. Once your facilitator approves it, the next circles taking "
                "the course will find it.",
                course=circle.course_title,
            )
        )
        return
    waiting = await commons.waiting(ctx.session, circle.id)
    if not waiting:
        ctx.reply(tr._("No shared links are waiting for you."))
        return
    lines = [tr._("Links waiting for your approval (/share approve N or /share reject N):")]
    lines += [f"{resource.id}. " + commons.shown(resource) for resource in waiting]
    ctx.reply("\n".join(lines))
