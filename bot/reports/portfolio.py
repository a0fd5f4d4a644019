"""A learner's portfolio: their goals, check-ins, reflections and letters across circles, as
Markdown.

The learner owns their record; /portfolio hands it to them as a file to keep.
"""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import Translator
from bot.letters import letters
from bot.storage.models import (
    CheckIn,
    Circle,
    Letter,
    LetterDelivery,
    LetterStatus,
    Meeting,
    Membership,
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


async def _circles_of(session: AsyncSession, person: Person) -> list[Circle]:
    """Every circle the person has been in, left ones too: their record is theirs."""
    rows = await session.exec(
        select(Circle)
        .join(Membership, col(Membership.circle_id) == Circle.id)
        .where(Membership.person_id == person.id)
        .order_by(col(Membership.joined_at))
    )
    return list(rows.all())


async def markdown(session: AsyncSession, tr: Translator, person: Person) -> str | None:
    """The portfolio, or None when there is nothing in it yet."""
    circles = await _circles_of(session, person)
    sections: list[str] = []
    for circle in circles:
        body = await _circle_section(session, tr, person, circle)
        if body:
            sections.append(body)
    if not sections:
        return None
    title = "# " + tr._("Learning portfolio of %(name)s", name=person.display_name)
    return "\n\n".join([title, *sections]) + "\n"


async def _circle_section(
    session: AsyncSession, tr: Translator, person: Person, circle: Circle
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
    written = (
        await session.exec(
            select(Letter)
            .where(
                Letter.author_id == person.id,
                Letter.circle_id == circle.id,
                Letter.status != LetterStatus.WITHDRAWN,
            )
            .order_by(col(Letter.created_at))
        )
    ).all()
    if not writings and not weeks and not written:
        return ""
    parts = [
        "## " + circle.name,
        tr._("%(course)s, %(city)s", course=circle.course_title, city=circle.city),
    ]
    for goal in (w for w in writings if w.kind == QuestionKind.GOAL):
        parts += ["### " + tr._("My goal"), _quote(goal.text)]
    if weeks:
        parts.append("### " + tr._("Check-ins"))
        for checkin, meeting in weeks:
            line = "- " + tr._(
                "Meeting %(number)d, %(date)s",
                number=meeting.number,
                date=tr.date(meeting.starts_at, circle.timezone),
            )
            if checkin.rating is not None:
                line += ": " + tr._("%(rating)d of 5", rating=checkin.rating)
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
    for letter in written:
        parts += [
            "### " + tr._("My letter to a new circle"),
            _quote(letter.text + "\n- " + letter.signature),
            await _journey(session, tr, letter),
        ]
    return "\n\n".join(parts)


async def _journey(session: AsyncSession, tr: Translator, letter: Letter) -> str:
    """Where the letter is: waiting, on its way, read somewhere, or not sent and why."""
    if letter.status in (LetterStatus.REVIEW, LetterStatus.MODERATION):
        return tr._("Waiting for approval.")
    if letter.status == LetterStatus.REJECTED:
        return tr._("Not sent: %(reason)s", reason=letter.reject_reason or "-")
    reached = (
        await session.exec(
            select(Circle)
            .join(LetterDelivery, col(LetterDelivery.circle_id) == Circle.id)
            .where(LetterDelivery.letter_id == letter.id)
            .order_by(col(LetterDelivery.matched_at))
        )
    ).all()
    if not reached:
        return tr._("Approved, and waiting for a circle that is just starting.")
    return tr.ngettext(
        "Read at %(n)d circle's first meeting: %(places)s.",
        "Read at %(n)d circles' first meetings: %(places)s.",
        len(reached),
        places="; ".join(letters.place(tr, c.city, c.country_code) for c in reached),
    )


async def summary(session: AsyncSession, tr: Translator, person: Person) -> str:
    """A few lines for a phone without files: the goal and how many answers, per circle."""
    rows = await _circles_of(session, person)
    lines = []
    for circle in rows:
        ratings = (
            await session.exec(
                select(CheckIn.rating).where(
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
        if not ratings and not writings:
            continue
        thoughts = sum(1 for w in writings if w.kind == QuestionKind.REFLECTION)
        lines.append(
            tr._(
                "%(circle)s: %(checkins)s, %(reflections)s.",
                circle=circle.name,
                checkins=tr.ngettext("%(n)d check-in", "%(n)d check-ins", len(ratings)),
                reflections=tr.ngettext("%(n)d reflection", "%(n)d reflections", thoughts),
            )
        )
        for goal in (w for w in writings if w.kind == QuestionKind.GOAL):
            lines.append(tr._('Your goal: "%(goal)s"', goal=goal.text))
    return "\n".join(lines)
