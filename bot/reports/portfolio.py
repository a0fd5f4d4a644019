"""A learner's portfolio: their goals, check-ins, reflections, survey answers and letters
across circles, and the circles they facilitated, as Markdown.

The learner owns their record; /portfolio hands it to them as a file to keep, and as a few
lines (summary) where files can't travel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from babel.lists import format_list
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat import keywords, rendering
from bot.chat.i18n import N_, Translator
from bot.circles import away, meetings
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import key_text
from bot.rhythm import attendance
from bot.rhythm.learners import Learner, learners_of
from bot.rhythm.learners import at as learners_at
from bot.storage.models import (
    FACILITATING,
    Attendance,
    CheckIn,
    Circle,
    CourseSurvey,
    Letter,
    LetterDelivery,
    LetterStatus,
    Meeting,
    Membership,
    OutboxMessage,
    OutboxStatus,
    Person,
    QuestionKind,
    Reflection,
)
from prompts import checkin as checkin_prompts
from prompts import reflection as reflection_prompts
from prompts.library import by_key


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines() or [""])


def _prompt(tr: Translator, kind: QuestionKind, key: str | None) -> str | None:
    library = {
        QuestionKind.CHECKIN: checkin_prompts.QUESTIONS,
        QuestionKind.REFLECTION: reflection_prompts.PROMPTS,
    }.get(kind, ())
    prompt = by_key(library, key) if key else None
    return tr._(prompt.text) if prompt else None


# The survey's answer to "Did you reach your goal?", as its choices said it.
GOAL_MET = {"yes": N_("Yes"), "partly": N_("Partly"), "no": N_("Not yet")}


async def _circles_of(session: AsyncSession, person: Person) -> list[tuple[Circle, Membership]]:
    """Every circle the person has been in, left ones too (their record is theirs), with how."""
    rows = await session.exec(
        select(Circle, Membership)
        .join(Membership, col(Membership.circle_id) == Circle.id)
        .where(Membership.person_id == person.id)
        .order_by(col(Membership.joined_at))
    )
    return list(rows.all())


async def markdown(
    session: AsyncSession, tr: Translator, person: Person, now: datetime
) -> str | None:
    """The portfolio, or None when there is nothing in it yet."""
    circles = await _circles_of(session, person)
    sections: list[str] = []
    for circle, membership in circles:
        body = await _circle_section(session, tr, person, circle, membership, now)
        if body:
            sections.append(body)
    if not sections:
        return None
    # The name after a colon: "de" before it would need eliding in French ("d'Aminata").
    title = "# " + tr._("Learning portfolio: %(name)s", name=person.display_name)
    return "\n\n".join([title, *sections, "---", _how_to_remove(tr)]) + "\n"


def _how_to_remove(tr: Translator) -> str:
    """The file's closing line: how to have these records deleted. The file is read away
    from the chat, where no reply shows the command, so it is named here as /help names it
    for her ("/glem" in Danish)."""
    return keywords.for_slash_commands(tr, "*" + tr._(REMOVAL_NOTE) + "*")


REMOVAL_NOTE = N_(
    "Want these records deleted? Send /forget to the bot in your chat; it asks you to confirm "
    "first."
)


async def _facilitated(
    session: AsyncSession, tr: Translator, circle: Circle, membership: Membership, now: datetime
) -> str | None:
    """The "I facilitated it: 6 meetings held, ..." line for one who runs the circle or ran it
    once; None before its first meeting, and for a circle nobody joined (it never met). The
    meetings held are counted as the close-out counts them (sms 39: not only those a learner
    had joined by), up to when she left, and from when she stopped being its learner, for one
    it was handed over to."""
    if membership.role not in FACILITATING and not membership.facilitated:
        return None
    assert circle.id is not None
    everyone = await learners_of(session, circle.id)
    learner_until = _until(everyone, membership)
    held = [
        meeting
        for meeting in await meetings.held(session, circle.id, now)
        if (membership.left_at is None or meeting.starts_at < membership.left_at)
        and (learner_until is None or meeting.starts_at > learner_until)
    ]
    if not any(learners_at(everyone, meeting) - {membership.person_id} for meeting in held):
        return None
    first = tr.date(held[0].starts_at, circle.timezone)
    last = tr.date(held[-1].starts_at, circle.timezone)
    return tr.ngettext(
        "I facilitated it: %(n)d meeting held, on %(first)s.",
        "I facilitated it: %(n)d meetings held, from %(first)s to %(last)s.",
        len(held),
        first=first,
        last=last,
    )


def _until(everyone: list[Learner], membership: Membership) -> datetime | None:
    """For a learner it was handed over to: the start of the last meeting she was a learner
    at (bot/rhythm/learners.py). None for anyone else."""
    return next((x.learner_until for x in everyone if x.person_id == membership.person_id), None)


async def _learner_until(
    session: AsyncSession, circle: Circle, membership: Membership
) -> datetime | None:
    assert circle.id is not None
    return _until(await learners_of(session, circle.id), membership)


async def _survey(session: AsyncSession, person: Person, circle: Circle) -> CourseSurvey | None:
    return (
        await session.exec(
            select(CourseSurvey).where(
                CourseSurvey.person_id == person.id, CourseSurvey.circle_id == circle.id
            )
        )
    ).first()


def _survey_lines(tr: Translator, survey: CourseSurvey) -> list[str]:
    """The survey's answers, as the person gave them."""
    lines = []
    if survey.goal_met in GOAL_MET:
        lines.append(
            "- " + tr._("Did I reach my goal? %(answer)s", answer=tr._(GOAL_MET[survey.goal_met]))
        )
    if survey.rating is not None:
        lines.append("- " + tr._("The course: %(rating)d of 5", rating=survey.rating))
    if survey.recommend is not None:
        lines.append(
            "- "
            + (
                tr._("I would recommend it.")
                if survey.recommend
                else tr._("I would not recommend it.")
            )
        )
    if survey.tip:
        lines += ["", tr._("My tip for the next circle:"), _quote(survey.tip)]
    return lines


async def _circle_section(
    session: AsyncSession,
    tr: Translator,
    person: Person,
    circle: Circle,
    membership: Membership,
    now: datetime,
) -> str:
    writings = (
        await session.exec(
            select(Reflection)
            .where(Reflection.person_id == person.id, Reflection.circle_id == circle.id)
            .order_by(col(Reflection.created_at))
        )
    ).all()
    weeks = (
        await session.exec(
            select(CheckIn, Meeting)
            .join(Meeting, col(Meeting.id) == CheckIn.meeting_id)
            .where(CheckIn.person_id == person.id, CheckIn.circle_id == circle.id)
            .order_by(col(Meeting.number))
        )
    ).all()
    written = await _letters_of(session, person, circle)
    survey = await _survey(session, person, circle)
    facilitated = await _facilitated(session, tr, circle, membership, now)
    if not writings and not weeks and not written and survey is None and facilitated is None:
        return ""
    parts = [
        "## " + circle.name,
        tr._("%(course)s, %(city)s", course=circle.course_title, city=circle.city),
    ]
    if facilitated:
        parts.append(facilitated)
    for goal in (w for w in writings if w.kind == QuestionKind.GOAL):
        parts += ["### " + tr._("My goal"), _quote(goal.text)]
    if weeks:
        parts.append("### " + tr._("Check-ins"))
        for checkin, meeting in weeks:
            date = tr.date(meeting.starts_at, circle.timezone)
            # One message with its colon, so French can put a space before it.
            line = "- " + (
                tr._(
                    "Meeting %(number)d, %(date)s: %(rating)d of 5",
                    number=meeting.number,
                    date=date,
                    rating=checkin.rating,
                )
                if checkin.rating is not None
                else tr._("Meeting %(number)d, %(date)s", number=meeting.number, date=date)
            )
            parts.append(line)
            if checkin.answer:
                question = _prompt(tr, QuestionKind.CHECKIN, checkin.prompt_key)
                if question:
                    parts.append("  *" + question + "*")
                parts.append("  " + _quote(checkin.answer).replace("\n", "\n  "))
    thoughts = [w for w in writings if w.kind == QuestionKind.REFLECTION]
    if thoughts:
        parts.append("### " + tr._("Reflections"))
        for reflection in thoughts:
            question = _prompt(tr, QuestionKind.REFLECTION, reflection.prompt_key)
            if question:
                parts.append("**" + question + "**")
            parts.append(_quote(reflection.text))
    for review in (w for w in writings if w.kind == QuestionKind.GOAL_REVIEW):
        parts += ["### " + tr._("Looking back on my goal"), _quote(review.text)]
    if survey is not None and _survey_lines(tr, survey):
        parts += ["### " + tr._("Looking back on the course"), "\n".join(_survey_lines(tr, survey))]
    for letter in written:
        parts += [
            "### " + tr._("My letter to a new circle"),
            _quote(letter.text + "\n- " + letter.signature),
            await _journey(session, tr, letter),
            *[_quote(reply) for reply in await _replies(session, letter)],
        ]
    return "\n\n".join(parts)


async def _letters_of(session: AsyncSession, person: Person, circle: Circle) -> list[Letter]:
    """The person's letters from the circle that stand (waiting, approved, read), oldest
    first; with none standing, the last one written, as it last stood: rejected, or taken
    back. A rejected or taken-back draft never stands for a later letter (fac 21: the
    facilitator's reason shown where the rewritten letter is expected; fac 44: an old rejected
    draft's reason instead of the approved letter taken back later)."""
    written = (
        await session.exec(
            select(Letter)
            .where(Letter.author_id == person.id, Letter.circle_id == circle.id)
            .order_by(col(Letter.created_at), col(Letter.id))
        )
    ).all()
    standing = [
        letter
        for letter in written
        if letter.status not in (LetterStatus.REJECTED, LetterStatus.WITHDRAWN)
    ]
    return standing or list(written[-1:])


async def _replies(session: AsyncSession, letter: Letter) -> list[str]:
    """What readers of the letter wrote back to its writer (their words, or their thanks), as
    it reached them: what a writer wants to keep (frsw 15: "Asante sana Moussa bro!")."""
    if letter.author_id is None:
        return []
    about = key_text(MessageKind.LETTER_THANKS, f"letter:{letter.id}", f"person:{letter.author_id}")
    rows = await session.exec(
        select(OutboxMessage)
        .where(
            col(OutboxMessage.idempotency_key).startswith(about, autoescape=True),
            OutboxMessage.status == OutboxStatus.SENT,
        )
        .order_by(col(OutboxMessage.id))
    )
    replies = []
    for row in rows.all():
        text = str(row.payload.get("text") or "").strip()
        # Its last line said no answer was needed (letters' NO_REPLY_NEEDED): not for keeping.
        kept = text.rsplit("\n", 1)[0] if "\n" in text else text
        if kept:
            replies.append(kept)
    return replies


async def _journey(session: AsyncSession, tr: Translator, letter: Letter) -> str:
    """Where the letter is: waiting, on its way, read somewhere, or not sent and why."""
    if letter.status in (LetterStatus.REVIEW, LetterStatus.MODERATION):
        return tr._("Waiting for approval.")
    if letter.status == LetterStatus.REJECTED:
        return tr._("Not sent: %(reason)s", reason=letter.reject_reason or "-")
    if letter.status == LetterStatus.WITHDRAWN:
        return tr._("You took it back, so it wasn't sent.")
    reached = await _read_in(session, letter)
    if not reached:
        return tr._("Approved, and waiting for a circle that is just starting.")
    return _read_at(tr, [circle.city for circle in reached])


async def _read_in(session: AsyncSession, letter: Letter) -> list[Circle]:
    """The circles the letter was read in, first first."""
    return list(
        (
            await session.exec(
                select(Circle)
                .join(LetterDelivery, col(LetterDelivery.circle_id) == Circle.id)
                .where(LetterDelivery.letter_id == letter.id)
                .order_by(col(LetterDelivery.matched_at))
            )
        ).all()
    )


def _read_at(tr: Translator, reached: list[str]) -> str:
    """Where a letter was read: "... of circles in Kisumu and Mombasa."."""
    cities = list(dict.fromkeys(" ".join(city.split()) for city in reached))
    return tr.ngettext(
        "Read at the first meeting of a circle in %(places)s.",
        "Read at the first meetings of circles in %(places)s.",
        len(reached),
        places=format_list(cities, locale=tr.locale),
    )


async def words_removed(session: AsyncSession, person: Person) -> bool:
    """Whether a circle of the person's has been anonymised (retention): their words in it are
    gone, so their portfolio is no longer everything they wrote."""
    return any(circle.anonymised_at is not None for circle, _ in await _circles_of(session, person))


async def summary(session: AsyncSession, tr: Translator, person: Person, now: datetime) -> str:
    """A few lines for a phone without files: per circle, what was facilitated, the goal and
    how many answers, whether the goal was reached, and where the letters were read."""
    lines = []
    for circle, membership in await _circles_of(session, person):
        lines += await _summary_of(session, tr, person, circle, membership, now)
    return "\n".join(lines)


def _counts(
    tr: Translator, answers: Sequence[str | None], writings: Sequence[Reflection]
) -> list[str]:
    """What the portfolio's file holds, counted as it shows it: the check-ins, the words
    written in them (walk C21: by SMS there is no other way to write, so never "6 check-ins"
    alone to who answered each), and the reflections, each counted once (lang 8: not "3
    check-ins, 3 reflections" to a file with none)."""
    written = sum(1 for answer in answers if answer and answer.strip())
    thoughts = sum(1 for w in writings if w.kind == QuestionKind.REFLECTION)
    counts = [tr.ngettext("%(n)d check-in", "%(n)d check-ins", len(answers))]
    if written:
        counts.append(tr.ngettext("%(n)d written answer", "%(n)d written answers", written))
    if thoughts or not written:
        counts.append(tr.ngettext("%(n)d reflection", "%(n)d reflections", thoughts))
    return counts


async def _summary_of(
    session: AsyncSession,
    tr: Translator,
    person: Person,
    circle: Circle,
    membership: Membership,
    now: datetime,
) -> list[str]:
    lines = []
    facilitated = await _facilitated(session, tr, circle, membership, now)
    if facilitated:
        lines.append(circle.name + ": " + facilitated)
    answers = (
        await session.exec(
            select(CheckIn.answer).where(
                CheckIn.person_id == person.id, CheckIn.circle_id == circle.id
            )
        )
    ).all()
    writings = (
        await session.exec(
            select(Reflection).where(
                Reflection.person_id == person.id, Reflection.circle_id == circle.id
            )
        )
    ).all()
    # Whether a line above names the circle: the facilitated one, or the counts.
    named = bool(facilitated) or bool(answers or writings)
    if answers or writings:
        counts = ", ".join(_counts(tr, answers, writings))
        lines.append(
            # The circle named once (mix 28): the line above names it when she facilitated it
            # (a learner it was handed over to, or one who ran it and then joined it again).
            tr._("%(counts)s.", counts=counts)
            if facilitated
            else tr._("%(circle)s: %(counts)s.", circle=circle.name, counts=counts)
        )
    # Who ran it is on no attendance sheet: "I facilitated it" above says the meetings, not
    # "You came to 0 of 5" (D21). A learner it was handed over to was on it before: she keeps
    # the meetings she came to.
    came = await _came(session, person, circle, membership, now)
    if came is not None and not (facilitated and came.came == 0):
        lines.append(_came_line(tr, came))
    if circle.anonymised_at is not None:
        named = named or not lines  # this line names it
        # Said plainly, rather than a portfolio that silently lacks them.
        lines.append(
            tr._(
                "Your words in %(circle)s were removed on %(date)s, as announced when it "
                "ended; the numbers are kept.",
                circle=circle.name,
                date=tr.date(circle.anonymised_at, circle.timezone),
            )
        )
    goals = [w for w in writings if w.kind == QuestionKind.GOAL]
    for goal in goals:
        lines.append(tr._('Your goal: "%(goal)s"', goal=goal.text))
    for review in (w for w in writings if w.kind == QuestionKind.GOAL_REVIEW):
        # How close she got, in her words: what an SMS reader keeps on her phone.
        looked = rendering.beginning(review.text, LOOK_BACK_BY_TEXT_CHARS)
        lines.append(tr._('Looking back: "%(review)s"', review=looked))
    survey = await _survey(session, person, circle)
    if survey is not None and survey.goal_met in GOAL_MET:
        answer = tr._(GOAL_MET[survey.goal_met])
        lines.append(
            tr._("Did you reach it? %(answer)s", answer=answer)
            if goals  # "it": the goal just above
            else tr._("Did you reach your goal? %(answer)s", answer=answer)
        )
    for letter in await _letters_of(session, person, circle):
        # Where it is: waiting, on its way, or read at a first meeting somewhere.
        lines.append(tr._("Your letter: %(read)s", read=await _journey(session, tr, letter)))
        lines += [" ".join(reply.split("\n")) for reply in await _replies(session, letter)]
    if lines and not named:
        # Her first line here names the circle, as the others' do (sms 39: "You came to 0 of
        # 1 meeting." above another circle's lines read as that circle's).
        lines[0] = tr._("%(circle)s: %(line)s", circle=circle.name, line=lines[0])
    return lines


# Her look back at her goal in the summary (SMS): its beginning; the file has all of it.
LOOK_BACK_BY_TEXT_CHARS = 200


@dataclass(frozen=True)
class _Came:
    came: int  # the meetings she came to
    known: int  # the meetings with attendance taken
    held: int  # the meetings held while she was in the circle


def _came_line(tr: Translator, came: _Came) -> str:
    """The meetings she came to, of those held, saying the ones nobody recorded (dada 9: "5 of
    5" to one whose circle held 7 read as all of them)."""
    if came.known == came.held:
        return tr.ngettext(
            "You came to %(came)d of %(n)d meeting.",
            "You came to %(came)d of %(n)d meetings.",
            came.held,
            came=came.came,
        )
    return tr.ngettext(
        "You came to %(came)d of %(n)d meeting (attendance wasn't taken at %(unknown)d).",
        "You came to %(came)d of %(n)d meetings (attendance wasn't taken at %(unknown)d).",
        came.held,
        came=came.came,
        unknown=came.held - came.known,
    )


async def _came(
    session: AsyncSession, person: Person, circle: Circle, membership: Membership, now: datetime
) -> _Came | None:
    """How many of the meetings held while she was in the circle she came to, of those whose
    attendance someone took (for the others nobody knows), and how many were held. None when
    attendance was taken at none."""
    assert circle.id is not None and membership.id is not None
    # Not those held while she was away, for one who left and came back (issue 16), nor those
    # she ran, for a learner it was handed over to: she was on no attendance sheet then.
    spells = (await away.spells_of(session, [membership.id])).get(membership.id, [])
    learner_until = await _learner_until(session, circle, membership)
    held = [
        m.id
        for m in await meetings.held(session, circle.id, now)
        if m.id is not None
        and m.ends_at > membership.joined_at
        and (membership.left_at is None or m.starts_at < membership.left_at)
        and (learner_until is None or m.starts_at <= learner_until)
        and not away.away_for(spells, m.starts_at, m.ends_at)
    ]
    known = await attendance.taken(session, held)
    if not known:
        return None
    rows = await session.exec(
        select(Attendance.meeting_id).where(
            Attendance.person_id == person.id, col(Attendance.meeting_id).in_(sorted(known))
        )
    )
    return _Came(came=len(set(rows.all())), known=len(known), held=len(held))
