"""The weekly rhythm, learner side: /rsvp, /here, /checkin, /reflect, /skip, /sharing, and the
answers to the questions the bot asked (a goal, sharing, a rating, a check-in, a reflection)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.chat import keywords
from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.keywords import Keyword
from bot.chat.messages import Choice
from bot.circles import circles, join_notices, meetings
from bot.dialogue import conversations, people
from bot.dialogue.context import Context
from bot.dialogue.registry import Args
from bot.rhythm import attendance, checkins, questions, reflections, rsvps
from bot.rhythm.commands import announcements
from bot.storage.models import (
    AttendanceSource,
    Circle,
    Meeting,
    MeetingStatus,
    Question,
    QuestionKind,
    RsvpAnswer,
)
from prompts import checkin as checkin_prompts
from prompts import goal as goal_prompts
from prompts import onboarding
from prompts import reflection as reflection_prompts
from prompts.library import Phase, by_key, choose, phase_of

ANSWER = N_("yes|no")  # the /rsvp argument, as shown in its usage


def yes_or_no(tr: Translator, text: str) -> bool | None:
    """True for yes, False for no, in English or the reader's language; None otherwise. Every
    word of the SMS keyword lists counts (Swahili NDIYO and NDIO), and case, accents and
    punctuation do not: people type "si" for "sí" on phones."""
    word = keywords.plain(text)
    if word in keywords.words(tr, keywords.YES) | {keywords.plain(tr._("yes"))}:
        return True
    if word in keywords.words(tr, keywords.NO) | {keywords.plain(tr._("no"))}:
        return False
    return None


def share_choices(tr: Translator) -> list[Choice]:
    return [Choice(tr._(goal_prompts.SHARE_YES), "yes"), Choice(tr._(goal_prompts.SHARE_NO), "no")]


def _share_answer(tr: Translator, text: str) -> bool | None:
    """Yes or no to the sharing question: in words, or as the number of its choice, which
    still means it when other choices were offered meanwhile."""
    said = yes_or_no(tr, text)
    if said is not None:
        return said
    return {"1": True, "2": False}.get(keywords.plain(text))


# The sharing question waits this long: it is answered as the welcome is read, or not at all
# (then answers stay private, and /sharing changes that). Waiting longer, it would take the YES
# that answers the first reminder as consent.
SHARE_QUESTION_LIFETIME = timedelta(hours=1)
# Its prompt keys (plain strings, stored: never change them). Asked after the goal is answered,
# a short unclear answer is asked again; asked after the goal is skipped, it never stands in the
# way: only yes or no answers it, and any other message goes on as if nothing waited.
SHARE_KEY = "share"
SHARE_AFTER_SKIP_KEY = "share-after-skip"
# A message of more words than questions.CHOICE_ANSWER_WORDS that is neither yes nor no is no
# answer to the sharing question ("I will be late on Tuesday"): it goes on as if nothing were
# waiting.


async def _ask_sharing(ctx: Context, circle: Circle, key: str = SHARE_KEY) -> None:
    question = await questions.ask(
        ctx.session, ctx.person_id, circle, QuestionKind.SHARE, key, ctx.now
    )
    question.expires_at = ctx.now + SHARE_QUESTION_LIFETIME
    ctx.session.add(question)


def _no_share_answer(ctx: Context, question: Question, text: str) -> bool:
    """Whether `text`, while the sharing question waits, is a message of its own rather than
    an answer (see SHARE_AFTER_SKIP_KEY, questions.CHOICE_ANSWER_WORDS)."""
    if _share_answer(ctx.tr, text) is not None:
        return False
    return question.prompt_key == SHARE_AFTER_SKIP_KEY or questions.a_sentence(text)


# -- /rsvp -----------------------------------------------------------------------------------


async def _meeting_to_answer(ctx: Context, circle: Circle, number: object) -> Meeting:
    assert circle.id is not None
    if isinstance(number, int):
        return await meetings.meeting_by_number(ctx.session, circle, number)
    upcoming = await meetings.upcoming(ctx.session, circle.id, ctx.now)
    if upcoming is None:
        raise UserError(N_("%(circle)s has no more meetings planned."), circle=circle.name)
    return upcoming


async def rsvp(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    circle, _ = ctx.require_circle()
    said = yes_or_no(tr, str(args["answer"]))
    if said is None:
        raise UserError(N_("Please answer /rsvp yes or /rsvp no."))
    meeting = await _meeting_to_answer(ctx, circle, args.get("meeting"))
    answer = RsvpAnswer.YES if said else RsvpAnswer.NO
    await rsvps.record(ctx.session, meeting, ctx.person_id, answer, ctx.now)
    when = tr.when(meeting.starts_at, circle.timezone)
    if said:
        ctx.reply(
            tr._(
                "Great, see you at meeting %(number)d, %(when)s!", number=meeting.number, when=when
            )
        )
    else:
        ctx.reply(
            tr._(
                "Thanks for letting us know. We'll miss you at meeting %(number)d. "
                "If plans change, send /rsvp yes.",
                number=meeting.number,
            )
        )


# -- /here -----------------------------------------------------------------------------------


async def here(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    meeting = await attendance.happening(ctx.session, circle.id, ctx.now)
    assert meeting.id is not None
    if await attendance.mark(
        ctx.session, meeting.id, ctx.person_id, AttendanceSource.SELF, ctx.now
    ):
        ctx.reply(ctx.tr._("Welcome! You're here for meeting %(number)d.", number=meeting.number))
    else:
        ctx.reply(ctx.tr._("You're already down as here. Enjoy the meeting!"))


# -- /checkin and its answers ------------------------------------------------------------------


async def ask_rating(ctx: Context, circle: Circle, meeting: Meeting) -> None:
    await questions.ask(
        ctx.session, ctx.person_id, circle, QuestionKind.RATING, "rating", ctx.now, meeting.id
    )
    ctx.reply(
        ctx.tr._(
            checkin_prompts.RATING_QUESTION,
            name=ctx.person.display_name,
            circle=circle.name,
            number=meeting.number,
        ),
        choices=checkins.rating_choices(ctx.tr),
    )


async def checkin(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    meeting = await checkins.open_meeting(ctx.session, circle.id, ctx.now)
    await ask_rating(ctx, circle, meeting)


async def _answer_rating(ctx: Context, question: Question, circle: Circle, text: str) -> None:
    rating = checkins.parse_rating(text, ctx.tr)
    if rating is None:
        ctx.reply(
            ctx.tr._(checkin_prompts.ASK_AGAIN_RATING), choices=checkins.rating_choices(ctx.tr)
        )
        return
    meeting = await _question_meeting(ctx, question)
    await checkins.record_rating(ctx.session, meeting, ctx.person_id, rating, ctx.now)
    await questions.close(ctx.session, question)
    assert circle.id is not None
    prompt = choose(
        checkin_prompts.QUESTIONS,
        phase_of(meeting.number, circle.meeting_count),
        meeting.number,
        circle.id,
        await checkins.prompts_asked(ctx.session, circle.id, meeting.id),
    )
    await questions.ask(
        ctx.session, ctx.person_id, circle, QuestionKind.CHECKIN, prompt.key, ctx.now, meeting.id
    )
    ctx.reply(ctx.tr._(checkin_prompts.THANKS_RATING) + "\n\n" + ctx.tr._(prompt.text))


async def _question_meeting(ctx: Context, question: Question) -> Meeting:
    meeting = await ctx.session.get(Meeting, question.meeting_id) if question.meeting_id else None
    if meeting is None or meeting.status == MeetingStatus.CANCELLED:
        await questions.close(ctx.session, question)
        raise UserError(N_("That question is no longer open. /checkin asks this week's."))
    return meeting


def _stored(ctx: Context, clipped: bool) -> str:
    if not clipped:
        return ""
    return "\n" + ctx.tr._(
        "Your answer was long, so I kept the first %(limit)d characters.",
        limit=reflections.MAX_ANSWER_CHARS,
    )


async def _answer_checkin(ctx: Context, question: Question, text: str) -> None:
    meeting = await _question_meeting(ctx, question)
    clipped = await checkins.record_answer(
        ctx.session, meeting, ctx.person_id, question.prompt_key, text, ctx.now
    )
    await questions.close(ctx.session, question)
    ctx.reply(ctx.tr._(checkin_prompts.THANKS_ANSWER) + _stored(ctx, clipped))


# -- /reflect, goals -----------------------------------------------------------------------


async def reflect(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    held = await meetings.held(ctx.session, circle.id, ctx.now)
    week = held[-1].number if held else 1
    phase = phase_of(week, circle.meeting_count)
    if held and held[-1].number == circle.meeting_count and held[-1].ends_at <= ctx.now:
        phase = Phase.AFTER
    used = await reflections.answered_keys(
        ctx.session, ctx.person_id, circle.id, QuestionKind.REFLECTION
    )
    prompt = choose(reflection_prompts.PROMPTS, phase, week, circle.id, used)
    await questions.ask(
        ctx.session, ctx.person_id, circle, QuestionKind.REFLECTION, prompt.key, ctx.now
    )
    ctx.reply(
        ctx.tr._(prompt.text)
        + "\n"
        + ctx.tr._("(Your answer goes in your portfolio. /skip if you'd rather not.)")
    )


async def ask_goal(ctx: Context, circle: Circle) -> str:
    """At joining: what the learner hopes for. Returns the question, for the welcome.

    Where the platform gives no name (SMS), the welcome asks for the name instead, and one
    question at a time: the name question waits (a GOAL question under onboarding.NAME_KEY),
    and the goal question follows its answer (_answer_name, after_name)."""
    assert circle.id is not None
    if ctx.inbound.display_name is None:
        await questions.ask(
            ctx.session, ctx.person_id, circle, QuestionKind.GOAL, onboarding.NAME_KEY, ctx.now
        )
        return ""
    return await _ask_goal_question(ctx, circle)


async def _ask_goal_question(ctx: Context, circle: Circle) -> str:
    """The goal question, now waiting; "" when the learner already has a goal there."""
    assert circle.id is not None
    if await reflections.goal_of(ctx.session, ctx.person_id, circle.id):
        return ""
    await questions.ask(
        ctx.session, ctx.person_id, circle, QuestionKind.GOAL, goal_prompts.GOAL_KEY, ctx.now
    )
    return ctx.tr._(goal_prompts.GOAL_QUESTION, circle=circle.name)


def _asks_the_name(question: Question) -> bool:
    return question.kind == QuestionKind.GOAL and question.prompt_key == onboarding.NAME_KEY


def _asks_the_goal(question: Question) -> bool:
    return question.kind == QuestionKind.GOAL and question.prompt_key == goal_prompts.GOAL_KEY


async def _answer_name(ctx: Context, question: Question, circle: Circle, text: str) -> None:
    """The name asked at joining by SMS: the learner is called so, then asked the goal."""
    name = people.clean_name(text, ctx.person.display_name)
    ctx.person.display_name = name
    ctx.session.add(ctx.person)
    await ctx.session.flush()
    await join_notices.renamed(ctx)  # the facilitator's join notice, if it waits, names them
    await questions.close(ctx.session, question)
    goal = await _ask_goal_question(ctx, circle)
    ctx.reply("\n\n".join(filter(None, [ctx.tr._(onboarding.NAME_FIRST, name=name), goal])))


async def after_name(ctx: Context) -> str:
    """After /name: the name question, if it waits, is answered; the goal question that
    follows it, or ""."""
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if question is None or not _asks_the_name(question):
        return ""
    circle = await ctx.session.get(Circle, question.circle_id)
    await questions.close(ctx.session, question)
    return await _ask_goal_question(ctx, circle) if circle is not None else ""


async def _answer_writing(ctx: Context, question: Question, circle: Circle, text: str) -> None:
    """A goal, a reflection or a goal review: kept in the portfolio."""
    kind = QuestionKind(question.kind)
    clipped = await reflections.save(
        ctx.session,
        ctx.person_id,
        question.circle_id,
        kind,
        question.prompt_key,
        text,
        ctx.now,
        question.meeting_id,
    )
    await questions.close(ctx.session, question)
    if kind is QuestionKind.GOAL:
        await _ask_sharing(ctx, circle)
        ctx.reply(
            ctx.tr._("Thank you, I'll remind you of it near the end.")
            + _stored(ctx, clipped)
            + "\n\n"
            + ctx.tr._(goal_prompts.SHARE_QUESTION),
            choices=share_choices(ctx.tr),
        )
    else:
        ctx.reply(
            ctx.tr._("Thank you. It's in your portfolio (/portfolio).") + _stored(ctx, clipped)
        )


async def _answer_share(ctx: Context, question: Question, text: str) -> None:
    said = _share_answer(ctx.tr, text)
    if said is None:
        ctx.reply(ctx.tr._(goal_prompts.SHARE_QUESTION), choices=share_choices(ctx.tr))
        return
    membership = await circles.membership_of(ctx.session, question.circle_id, ctx.person_id)
    if membership is not None:
        membership.shares_answers = said
        ctx.session.add(membership)
    await questions.close(ctx.session, question)
    change = ctx.tr._("You can change this any time with /sharing.")
    if said:
        ctx.reply(
            ctx.tr._("Thanks! Your facilitator will see what you write in check-ins.")
            + " "
            + change
        )
    else:
        ctx.reply(ctx.tr._("Fine: your written answers stay between you and me.") + " " + change)


# -- /sharing ------------------------------------------------------------------------------------

SHARING = {"on": N_("on"), "off": N_("off")}


async def sharing(ctx: Context, args: Args) -> None:
    """/sharing shows whether the facilitator may read the person's written answers in this
    circle; /sharing on and /sharing off change it (the welcome says they can, any time)."""
    tr = ctx.tr
    circle, membership = ctx.require_circle()
    typed = args.get("switch")
    name = await circles.name_for(ctx.session, tr, ctx.person_id, circle)
    if typed is None:
        if membership.shares_answers:
            ctx.reply(
                tr._(
                    "Your facilitator can read what you write in check-ins for %(circle)s. "
                    "To keep your answers private, send /sharing off.",
                    circle=name,
                )
            )
        else:
            ctx.reply(
                tr._(
                    "What you write in check-ins for %(circle)s stays between you and me (your "
                    "1-5 ratings are shared). To let your facilitator read it, send /sharing on.",
                    circle=name,
                )
            )
        return
    action = keywords.action(tr, str(typed), SHARING)
    if action is None:
        raise UserError(N_("Please send /sharing on or /sharing off."))
    membership.shares_answers = action == "on"
    conversations.offer(ctx.conversation, [])  # the question's Yes and No are answered
    ctx.session.add(membership)
    # The question at joining is answered now.
    waiting = await ctx.session.exec(
        select(Question).where(
            Question.person_id == ctx.person_id,
            Question.circle_id == circle.id,
            Question.kind == QuestionKind.SHARE,
        )
    )
    for question in waiting.all():
        await questions.close(ctx.session, question)
    if membership.shares_answers:
        ctx.reply(
            tr._(
                "Done: your facilitator can read what you write in check-ins for %(circle)s "
                "from now on. Send /sharing off to keep it private again.",
                circle=name,
            )
        )
    else:
        ctx.reply(
            tr._(
                "Done: what you write in check-ins for %(circle)s stays between you and me from "
                "now on. Send /sharing on to share it again.",
                circle=name,
            )
        )


# -- answering whatever is waiting --------------------------------------------------------------


# Commands that end something (leaving the circle): a message naming one while a question waits
# runs nothing and is not kept either; the learner is asked to send it with its slash (which
# asks again before acting).
CONFIRM_FIRST = frozenset({"leave"})


def _command_word(ctx: Context, text: str) -> str | None:
    """The command a whole message names, as plain SMS reads one: a keyword ("JOIN AB12CD",
    "NEXT", "HELP") or one word naming a command that needs nothing more ("NEWCIRCLE",
    "portfolio"). None for anything else, and for yes and no, which answer questions."""
    match = keywords.read(ctx.tr, text)
    if match is not None:
        return {
            Keyword.JOIN: "/join " + match.argument,
            Keyword.NEXT: "/next",
            Keyword.HELP: "/help",
        }.get(match.keyword)
    if " " in text.strip():
        return None
    command = ctx.registry.get(keywords.plain(text))
    if command is None or any(arg.required for arg in command.args):
        return None
    return "/" + command.name


async def command_instead(ctx: Context, text: str) -> str | None:
    """While a question waits, the command a message names (see _command_word), to run instead
    of keeping the word as an answer; the question keeps waiting. None when no question waits,
    or for a command in CONFIRM_FIRST (answer_waiting asks about that one)."""
    command = _command_word(ctx, text)
    if command is None or command[1:].split()[0] in CONFIRM_FIRST:
        return None
    if await questions.waiting(ctx.session, ctx.person_id, ctx.now) is None:
        return None
    return command


async def answer_waiting(ctx: Context, text: str) -> bool:
    """Treat free text as the answer to the question waiting. False when none is."""
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if question is None:
        return False
    if text.casefold() in {"skip", ctx.tr._("skip").casefold()}:
        await _skip(ctx, question)
        return True
    command = _command_word(ctx, text)
    if command is not None:  # never an answer (the router runs the others: command_instead)
        ctx.reply(
            ctx.tr._(
                "%(word)s is also a command, so I didn't keep it as your answer. To run it, "
                "send %(command)s. Or write your answer, or send /skip.",
                word=text.strip(),
                command=command,
            )
        )
        return True
    kind = QuestionKind(question.kind)
    if kind is QuestionKind.SHARE and _no_share_answer(ctx, question, text):
        return False  # for the facilitator, say: the question keeps waiting
    if (
        kind is QuestionKind.RATING
        and checkins.parse_rating(text, ctx.tr) is None
        and questions.a_sentence(text)
    ):
        return False  # a message, not a rating: it goes on, and the rating still waits
    circle = await ctx.session.get(Circle, question.circle_id)
    assert circle is not None
    if _asks_the_name(question):
        await _answer_name(ctx, question, circle, text)
    elif kind is QuestionKind.RATING:
        await _answer_rating(ctx, question, circle, text)
    elif kind is QuestionKind.CHECKIN:
        await _answer_checkin(ctx, question, text)
    elif kind is QuestionKind.SHARE:
        await _answer_share(ctx, question, text)
    elif kind is QuestionKind.REPLY:
        await announcements.pass_on_reply(ctx, question, text)
    else:
        await _answer_writing(ctx, question, circle, text)
    return True


async def _skip(ctx: Context, question: Question) -> None:
    await questions.close(ctx.session, question)
    conversations.offer(ctx.conversation, [])  # its choices answer nothing now
    circle = await ctx.session.get(Circle, question.circle_id)
    if _asks_the_name(question):  # the goal question comes next, as after a name
        goal = await _ask_goal_question(ctx, circle) if circle is not None else ""
        ctx.reply("\n\n".join(filter(None, [ctx.tr._(onboarding.NAME_SKIPPED), goal])))
        return
    skipped = ctx.tr._("OK, skipped. No answer is saved for that one.")
    if _asks_the_goal(question) and circle is not None:
        # Skipping the goal is not saying no to sharing: that question still comes.
        await _ask_sharing(ctx, circle, SHARE_AFTER_SKIP_KEY)
        ctx.reply(
            skipped + "\n\n" + ctx.tr._(goal_prompts.SHARE_QUESTION),
            choices=share_choices(ctx.tr),
        )
        return
    ctx.reply(skipped)


async def skip(ctx: Context, args: Args) -> None:
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if question is None:
        ctx.reply(ctx.tr._("There's no question waiting for you, so nothing to skip."))
        return
    await _skip(ctx, question)


def prompt_text(tr: Translator, kind: QuestionKind, key: str) -> str | None:
    """The words of a stored prompt, for the portfolio."""
    library = {
        QuestionKind.CHECKIN: checkin_prompts.QUESTIONS,
        QuestionKind.REFLECTION: reflection_prompts.PROMPTS,
    }.get(kind)
    prompt = by_key(library, key) if library else None
    return tr._(prompt.text) if prompt else None
