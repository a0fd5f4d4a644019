"""/export: a circle's records as CSV files a facilitator can open in any spreadsheet.

Three files: the roster (roles and platforms), attendance per meeting, and check-in ratings.
Written answers appear only for learners who agreed to share them (Membership.shares_answers);
ratings are always shared, as learners are told when they join. The cells are separated the
way the exporting person's spreadsheet expects: ";" where their language writes decimals with a
comma (French, German, Spanish, Danish Excel), "," elsewhere.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.numbers import get_decimal_symbol
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import Catalogs, Translator
from bot.chat.messages import Attachment
from bot.chat.platforms import Platforms
from bot.circles import away, circles, erasure, meetings
from bot.dialogue import people
from bot.reports import reports, retention
from bot.rhythm import attendance, calendars, checkins, learners
from bot.storage.models import (
    FACILITATING,
    Circle,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    Question,
    QuestionKind,
    Role,
    RsvpAnswer,
)
from prompts import checkin as checkin_prompts
from prompts.library import by_key

MEDIA_TYPE = "text/csv"


# A cell starting with one of these is a formula to a spreadsheet program: a learner named
# '=HYPERLINK(...)' must not become a live link in the facilitator's sheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def separator(locale: str) -> str:
    """ ";" where the decimal mark is "," (a spreadsheet there reads "," as one), else ","."""
    return ";" if get_decimal_symbol(locale) == "," else ","


def _csv(tr: Translator, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator(tr.locale))
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    # A byte-order mark, so spreadsheet programs read the names' accents as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")


def _local_date(instant: datetime | None, zone: str) -> str:
    return instant.astimezone(ZoneInfo(zone)).date().isoformat() if instant else ""


def _question(tr: Translator, key: str | None) -> str:
    prompt = by_key(checkin_prompts.QUESTIONS, key) if key else None
    return tr._(prompt.text) if prompt else ""


def _yes_no(tr: Translator, value: bool) -> str:
    return tr._("yes") if value else tr._("no")


def _shares(tr: Translator, membership: Membership, unanswered: bool) -> str:
    """Whether a learner lets the facilitators read their written answers; blank for a
    facilitator, who is never asked."""
    if membership.role != Role.LEARNER:
        return ""
    if unanswered and not membership.shares_answers:
        return tr._("not answered")
    return _yes_no(tr, membership.shares_answers)


async def roster_csv(
    session: AsyncSession,
    tr: Translator,
    circle: Circle,
    described: Platforms,
    names: dict[int, str] | None = None,
    forgotten: frozenset[int] = frozenset(),
) -> bytes:
    """Everyone who has been in the circle, those who left with the date they left, those who
    left and came back with when. Those who deleted their data (`forgotten`) keep their place
    and role, at the end, without dates or choices: their dates named them (lang 23)."""
    rows = await session.exec(
        select(Membership, Person)
        .join(Person, col(Person.id) == Membership.person_id)
        .where(Membership.circle_id == circle.id)
        .order_by(col(Membership.joined_at), col(Membership.id))
    )
    # The sharing question still waiting (never answered, even after it lapsed): not a "no".
    unanswered = set(
        (
            await session.exec(
                select(Question.person_id).where(
                    Question.circle_id == circle.id, Question.kind == QuestionKind.SHARE
                )
            )
        ).all()
    )
    found = sorted(rows.all(), key=lambda row: row[1].id in forgotten)
    spells = await away.spells_of(session, [m.id for m, _ in found if m.id is not None])
    lines = []
    for membership, person in found:
        assert person.id is not None
        name = (names or {}).get(person.id, person.display_name)
        # One who ran the circle and stepped down (or off it) is its former facilitator still.
        role = (
            circles.role_name(tr, membership.role)
            if not membership.facilitated
            or (membership.role in FACILITATING and membership.left_at is None)
            else tr._("former facilitator")
        )
        if person.id in forgotten:
            lines.append([name, role, "", "", "", "", ""])
            continue
        platforms = await people.platforms_of(session, person.id)
        lines.append(
            [
                name,
                role,
                ", ".join(described.display_name(tr, p) for p in platforms),
                _local_date(membership.joined_at, circle.timezone),
                _local_date(membership.left_at, circle.timezone),
                # Each time she left and came back (issue 16); Left is only a leaving not undone.
                "; ".join(
                    tr._(
                        "left %(left)s, came back %(back)s",
                        left=_local_date(spell.left_at, circle.timezone),
                        back=_local_date(spell.came_back_at, circle.timezone),
                    )
                    for spell in spells.get(membership.id or 0, ())
                ),
                _shares(tr, membership, person.id in unanswered),
            ]
        )
    header = [
        tr._("Name"),
        tr._("Role"),
        tr._("Platforms"),
        tr._("Joined"),
        tr._("Left"),
        tr._("Time away"),
        tr._("Shares written answers"),
    ]
    return _csv(tr, header, lines)


async def _held(session: AsyncSession, circle: Circle, now: datetime) -> list[Meeting]:
    assert circle.id is not None
    return sorted(
        (
            m
            for m in await meetings.schedule(session, circle.id)
            if m.status != MeetingStatus.CANCELLED and attendance.held(m, now)
        ),
        key=lambda m: m.starts_at,
    )


async def attendance_csv(
    session: AsyncSession,
    tr: Translator,
    circle: Circle,
    now: datetime,
    names: dict[int, str] | None = None,
) -> bytes:
    """One row per learner per meeting held: their RSVP and whether they came."""
    assert circle.id is not None
    held = await _held(session, circle, now)
    ids = [m.id or 0 for m in held]
    everyone = await learners.learners_of(session, circle.id)
    came = await reports.presence(session, ids)
    taken = await attendance.taken(session, ids)
    said = await reports.rsvps_by_meeting(session, ids)
    answer_names = {
        RsvpAnswer.YES: tr._("yes"),
        RsvpAnswer.NO: tr._("no"),
        RsvpAnswer.MAYBE: tr._("maybe"),
    }
    lines = []
    for meeting in held:
        for learner in everyone:
            # Only those who were learners at it: never one who ran it (a co-facilitator).
            if not learners.member_at(learner, meeting):
                continue
            answer = said[meeting.id or 0].get(learner.person_id)
            lines.append(
                [
                    meeting.number,
                    _local_date(meeting.starts_at, circle.timezone),
                    (names or {}).get(learner.person_id, learner.name),
                    answer_names[RsvpAnswer(answer)] if answer else "",
                    # Attendance nobody took is not an absence.
                    _yes_no(tr, learner.person_id in came[meeting.id or 0])
                    if meeting.id in taken
                    else tr._("not taken"),
                ]
            )
    header = [tr._("Meeting"), tr._("Date"), tr._("Name"), tr._("Said they'd come"), tr._("Came")]
    return _csv(tr, header, lines)


async def checkins_csv(
    session: AsyncSession,
    tr: Translator,
    circle: Circle,
    now: datetime,
    lead_from: datetime | None = None,
    names: dict[int, str] | None = None,
) -> bytes:
    """Every check-in: the rating always, the written answer only where the learner shares,
    with the reader (running the circle since `lead_from`; None: anyone) among those she said
    yes to (Membership.shared_with)."""
    assert circle.id is not None
    held = await _held(session, circle, now)
    answers = await checkins.for_meetings(session, [m.id or 0 for m in held])
    by_person = {
        learner.person_id: learner for learner in await learners.learners_of(session, circle.id)
    }
    lines = []
    for meeting in held:
        for checkin in sorted(answers[meeting.id or 0], key=lambda c: c.answered_at):
            learner = by_person.get(checkin.person_id)
            if learner is None:
                continue  # no longer a learner here (a co-facilitator now)
            membership = learner.membership
            shared = (
                membership.shares_answer(checkin.answered_at)
                and (lead_from is None or membership.shared_with(lead_from))
                and checkin.answer
            )
            lines.append(
                [
                    meeting.number,
                    _local_date(meeting.starts_at, circle.timezone),
                    (names or {}).get(learner.person_id, learner.name),
                    checkin.rating if checkin.rating is not None else "",
                    _question(tr, checkin.prompt_key) if shared else "",
                    checkin.answer if shared else "",
                ]
            )
    header = [
        tr._("Meeting"),
        tr._("Date"),
        tr._("Name"),
        tr._("Rating (1-5)"),
        tr._("Question"),
        tr._("Answer (shared with you)"),
    ]
    return _csv(tr, header, lines)


async def export(
    session: AsyncSession,
    tr: Translator,
    circle: Circle,
    now: datetime,
    platforms: Platforms,
    lead_from: datetime | None = None,
    catalogs: Catalogs | None = None,
    reader_id: int | None = None,
) -> list[Attachment]:
    reachable = await _nameless(session, circle, catalogs) if catalogs else {}
    forgotten = frozenset(person_id for person_id, reached in reachable.items() if not reached)
    names = {
        person_id: tr._(erasure.NO_NAME_YET if reached else erasure.FORGOTTEN)
        for person_id, reached in reachable.items()
    }
    # After the retention date nobody is named in the circle's files (fac 31).
    names |= await retention.member_labels(session, tr, circle, reader_id)
    roster = await roster_csv(session, tr, circle, platforms, names, forgotten)
    # Named by their circle: a facilitator of two can tell the downloads apart.
    named = calendars.in_file_names(circle)
    return [
        Attachment(f"{named}-roster.csv", MEDIA_TYPE, roster),
        Attachment(
            f"{named}-attendance.csv",
            MEDIA_TYPE,
            await attendance_csv(session, tr, circle, now, names),
        ),
        Attachment(
            f"{named}-checkins.csv",
            MEDIA_TYPE,
            await checkins_csv(session, tr, circle, now, lead_from, names),
        ),
    ]


async def _nameless(session: AsyncSession, circle: Circle, catalogs: Catalogs) -> dict[int, bool]:
    """The circle's people with no name of their own, and whether any platform still reaches
    them: one who does is "A newcomer (no name yet)", one with no account left deleted their
    data ("Someone who deleted their data"), in the reader's language as /roster says it,
    never the stored English "Circle member" (walk dede 23)."""
    unnamed = erasure.unnamed_names(catalogs)
    rows = await session.exec(
        select(Person).join(Membership).where(Membership.circle_id == circle.id)
    )
    return {
        person.id: bool(await people.platforms_of(session, person.id))
        for person in rows.all()
        if person.id is not None and person.display_name in unnamed
    }
