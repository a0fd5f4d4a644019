"""Retention: a circle's names and words go a while after its last meeting; its numbers stay.

RETENTION_DAYS (180 by default) after a circle's last meeting ended, the tick anonymises it:

- what its learners wrote there: check-in answers are emptied (their ratings stay); goals,
  reflections and goal reviews are deleted; questions still waiting are dropped;
- the circle's own messages, sent or waiting (reminders, digests, announcements and the replies
  to them, notices, letters it received, the close-out): emptied, after the SMS segments they
  took are counted, so /report still shows them; one still waiting is not sent;
- copies of its words elsewhere (the replies to /roster, /export, /portfolio, conversations):
  taken out as /forget takes them out (bot/circles/erasure.py);
- letters written there: one that has travelled, or waits in the pool to, keeps its words,
  signed "a learner in <city>"; any other's words go.

Attendance, RSVPs, ratings, memberships and letter counts stay, so /report and the team view
show the same figures. A person's name goes too once nothing still needs it: every circle they
were in is anonymised, they organise no team, and they have not written to the bot for
RETENTION_DAYS. Their accounts stay, so the bot can still answer them; /forget deletes those.
Learners are told the date at the close-out (bot/reports/closeout.py), and its facilitators
NOTICE before it, so they can /export their own copy in time. From the date on, the circle's
/roster and /export name nobody but the reader ("Member 2"): a learner who still writes to
the bot keeps their name for that, never for this circle's records (fac 31).

The work is derived from the database, like the rest of the tick: a circle is due when its
last meeting ended RETENTION_DAYS ago and it is not anonymised yet. It runs once an hour, a few
circles at a time, so a backlog (the first upgrade of an old database) never makes one tick long.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import delete, exists, func, or_, tuple_, update
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import N_, Catalogs, Translator
from bot.chat.platforms import Platforms
from bot.circles import erasure
from bot.circles.circles import FACILITATING
from bot.delivery import outbox
from bot.delivery.dispatcher import Failure
from bot.delivery.jobs import TickReport, TickWindow
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import notifications
from bot.dialogue.conversations import STALE_AFTER
from bot.reports import reports
from bot.storage.models import (
    Account,
    CheckIn,
    Circle,
    Letter,
    Meeting,
    MeetingStatus,
    Membership,
    OutboxMessage,
    OutboxStatus,
    Person,
    Question,
    Reflection,
    TeamOrganizer,
)

DEFAULT_DAYS = 180
# Per hourly run: each circle's copies are searched for its words, which takes a while.
CIRCLES_PER_RUN = 10
NAMES_PER_RUN = 50
# Messages about a circle's letters that go to its own people (the authors), by kind.
TO_AUTHORS = (MessageKind.LETTER_DECISION, MessageKind.LETTER_THANKS, MessageKind.LETTER_READ)
# How long before the date the facilitators are reminded to /export (the close-out told them
# months ago).
NOTICE = timedelta(days=7)
# Someone else in an anonymised circle, as its /roster and /export show them.
MEMBER = N_("Member %(number)d")


@dataclass(frozen=True)
class RetentionPolicy:
    """How long a circle's names and words are kept after its last meeting (RETENTION_DAYS).
    There is no "forever": the design promises that personal data is anonymised."""

    days: int = DEFAULT_DAYS

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError("RETENTION_DAYS must be a whole number of days, at least 1")

    @property
    def period(self) -> timedelta:
        return timedelta(days=self.days)

    def kept_until(self, last_meeting_ends: datetime) -> datetime:
        """When a circle whose last meeting ends then is anonymised."""
        return last_meeting_ends + self.period


def due(since: datetime, now: datetime) -> bool:
    """Whether the tick window (since, now] holds the start of an hour."""
    return since < now.replace(minute=0, second=0, microsecond=0)


class Retention:
    """The tick's job (bot.delivery.jobs.ScheduledJob) that anonymises circles and, after them,
    the names nothing still needs."""

    def __init__(self, policy: RetentionPolicy) -> None:
        self.policy = policy

    async def run(self, window: TickWindow) -> TickReport:
        # Every tick, not only hourly: the window is exact, so each circle is reminded once.
        sent = await self.remind(window)
        if not due(window.since, window.now):
            return TickReport(closings=sent)
        session, now = window.session, window.now
        cutoff = now - self.policy.period
        for circle in await due_circles(session, cutoff, CIRCLES_PER_RUN):
            await anonymise(session, circle, now, window.catalogs, window.platforms)
        for person in await names_to_forget(session, cutoff, window.catalogs, NAMES_PER_RUN):
            await forget_name(session, person, window.catalogs, window.platforms)
        return TickReport(closings=sent)

    async def remind(self, window: TickWindow) -> int:
        """NOTICE before a circle's date, tell its facilitators when its names and answers go
        and to /export before then: the close-out's word was months ago."""
        session, shift = window.session, self.policy.period - NOTICE
        held = col(Meeting.status) != MeetingStatus.CANCELLED
        other = aliased(Meeting)
        later = select(other.id).where(
            other.circle_id == Circle.id,
            other.status != MeetingStatus.CANCELLED,
            other.ends_at > window.now - shift,
        )
        rows = await session.exec(
            select(Circle, func.max(Meeting.ends_at))
            .join(Meeting, col(Meeting.circle_id) == Circle.id)
            .where(
                col(Circle.anonymised_at).is_(None),
                held,
                col(Meeting.ends_at) > window.since - shift,
                col(Meeting.ends_at) <= window.now - shift,
                ~later.exists(),
            )
            .group_by(col(Circle.id))
        )
        sent = 0
        for circle, last_ends in rows.all():
            assert circle.id is not None
            kept_until = self.policy.kept_until(last_ends)
            if kept_until <= window.now:  # a catch-up after a long stop: too late to say
                continue
            running = await session.exec(
                select(Membership).where(
                    Membership.circle_id == circle.id,
                    col(Membership.role).in_(FACILITATING),
                    col(Membership.left_at).is_(None),
                )
            )
            for membership in running.all():
                sent += await notifications.notify(
                    session,
                    window.catalogs,
                    window.now,
                    membership.person_id,
                    OutboxKey(
                        MessageKind.RETENTION_NOTICE,
                        f"circle:{circle.id}",
                        f"person:{membership.person_id}",
                    ),
                    partial(_notice, circle=circle, until=kept_until),
                    circle.language,
                )
        return sent


def _notice(tr: Translator, circle: Circle, until: datetime) -> str:
    return tr._(
        "The names and answers of %(circle)s go on %(date)s; after that I keep only the "
        "numbers. Send /export before then for your own copy.",
        circle=circle.name,
        date=tr.date(until, circle.timezone),
    )


async def member_labels(
    session: AsyncSession, tr: Translator, circle: Circle, reader_id: int | None
) -> dict[int, str]:
    """Once the circle is anonymised, everyone in it but the reader as its /roster and
    /export show them: "Member 2", numbered in the order they joined (the same in both).
    Empty before then."""
    if circle.anonymised_at is None:
        return {}
    joined = await session.exec(
        select(Membership.person_id)
        .where(Membership.circle_id == circle.id)
        .order_by(col(Membership.joined_at), col(Membership.id))
    )
    return {
        person_id: tr._(MEMBER, number=number)
        for number, person_id in enumerate(joined.all(), start=1)
        if person_id != reader_id
    }


async def due_circles(session: AsyncSession, cutoff: datetime, limit: int) -> list[Circle]:
    """Circles not anonymised yet whose last meeting ended by `cutoff`: the last one held (not
    cancelled), or if all were cancelled the last one planned, or with none its creation."""
    held = col(Meeting.status) != MeetingStatus.CANCELLED
    mine = col(Meeting.circle_id) == Circle.id
    rows = await session.exec(
        select(Circle)
        .where(
            col(Circle.anonymised_at).is_(None),
            col(Circle.created_at) <= cutoff,
            ~exists().where(mine, held, col(Meeting.ends_at) > cutoff),
            exists().where(mine, held) | ~exists().where(mine, col(Meeting.ends_at) > cutoff),
        )
        .order_by(col(Circle.id))
        .limit(limit)
    )
    return list(rows.all())


async def names_to_forget(
    session: AsyncSession, cutoff: datetime, catalogs: Catalogs, limit: int
) -> list[Person]:
    """People whose name nothing still needs: every circle they were in is anonymised, they
    organise no team, and none of their accounts has written since `cutoff`."""
    member = col(Membership.person_id) == Person.id
    # Only the members of anonymised circles: a few, next to everyone the bot knows.
    in_anonymised = (
        select(Membership.person_id)
        .join(Circle, col(Circle.id) == Membership.circle_id)
        .where(col(Circle.anonymised_at).is_not(None))
    )
    rows = await session.exec(
        select(Person)
        .where(
            col(Person.id).in_(in_anonymised),
            col(Person.display_name).not_in(erasure.unnamed_names(catalogs)),
            ~exists().where(
                member,
                col(Circle.id) == Membership.circle_id,
                col(Circle.anonymised_at).is_(None),
            ),
            ~exists().where(col(TeamOrganizer.person_id) == Person.id),
            ~exists().where(
                col(Account.person_id) == Person.id, col(Account.last_seen_at) > cutoff
            ),
        )
        .order_by(col(Person.id))
        .limit(limit)
    )
    return list(rows.all())


async def forget_name(
    session: AsyncSession, person: Person, catalogs: Catalogs, platforms: Platforms
) -> None:
    """Take the person's name out (bot/circles/erasure.forget_name), and empty the messages to
    them: they greet them by name, and hold what they wrote back to them."""
    addresses = await session.exec(
        select(Account.platform, Account.address).where(Account.person_id == person.id)
    )
    chats = sorted(addresses.all())
    if chats:
        to_them = tuple_(col(OutboxMessage.platform), col(OutboxMessage.chat_id)).in_(chats)
        await _empty(session, to_them, catalogs, platforms)
    await erasure.forget_name(session, person, catalogs)


async def anonymise(
    session: AsyncSession, circle: Circle, now: datetime, catalogs: Catalogs, platforms: Platforms
) -> None:
    """Take the circle's names and words out and keep its numbers (see the module's
    docstring)."""
    assert circle.id is not None
    meeting_ids = [
        m
        for m in (await session.exec(select(Meeting.id).where(Meeting.circle_id == circle.id)))
        if m is not None
    ]
    letter_ids = [
        x
        for x in (await session.exec(select(Letter.id).where(Letter.circle_id == circle.id)))
        if x is not None
    ]
    key = col(OutboxMessage.idempotency_key)
    about_letters = [key.like(f"%|letter:{letter_id}|%") for letter_id in letter_ids]
    theirs = reports.circle_messages(circle.id, meeting_ids)
    if about_letters:
        # The messages to its authors about their letters (approved, read, thanked).
        theirs = theirs | (col(OutboxMessage.kind).in_(TO_AUTHORS) & or_(*about_letters))
    # Its announcements' words, also quoted in the preview shown to the facilitator who wrote
    # one (a reply): looked for before the announcements themselves are emptied.
    announced = await _announced(session, circle.id)
    await _empty(session, theirs, catalogs, platforms)
    about = await _replies_quoting(session, circle, announced)
    if about:
        await _empty(session, col(OutboxMessage.id).in_(about), catalogs, platforms)
    # Before its words go: they are what is looked for in the copies.
    await erasure.take_out_circle(session, circle.id, catalogs, stale_before=now - STALE_AFTER)
    await session.exec(
        update(CheckIn).where(col(CheckIn.circle_id) == circle.id).values(answer=None)
    )
    for table in (Reflection, Question):
        await session.exec(delete(table).where(col(table.circle_id) == circle.id))
    await session.exec(update(Circle).where(col(Circle.id) == circle.id).values(anonymised_at=now))


async def _announced(session: AsyncSession, circle_id: int) -> set[str]:
    """The words of the circle's announcements, without the frame each copy has ("<circle>,
    from <name>:" above; below, in a private copy, how to reply)."""
    rows = await session.exec(
        select(OutboxMessage.idempotency_key, OutboxMessage.payload).where(
            col(OutboxMessage.kind) == MessageKind.ANNOUNCEMENT,
            col(OutboxMessage.idempotency_key).like(f"%|circle:{circle_id}|%"),
        )
    )
    words = set()
    for key, payload in rows.all():
        body = str(payload.get("text", "")).partition("\n")[2]
        if "|person:" in key:
            body = body.rpartition("\n")[0]
        if body.strip():
            words.add(body.strip())
    return words


async def _replies_quoting(session: AsyncSession, circle: Circle, words: set[str]) -> list[int]:
    """The replies sent to the circle's members' private chats that quote any of `words`."""
    assert circle.id is not None
    if not words:
        return []
    reached = await session.exec(
        select(Account.platform, Account.address)
        .join(Membership, col(Membership.person_id) == Account.person_id)
        .where(Membership.circle_id == circle.id)
    )
    chats = set(reached.all())
    if not chats:
        return []
    rows = await session.exec(
        select(
            OutboxMessage.id, OutboxMessage.platform, OutboxMessage.chat_id, OutboxMessage.payload
        ).where(
            col(OutboxMessage.kind) == MessageKind.REPLY,
            col(OutboxMessage.chat_id).in_(sorted({chat for _, chat in chats})),
        )
    )
    return [
        row_id
        for row_id, platform, chat_id, payload in rows.all()
        if row_id is not None
        and (platform, chat_id) in chats
        and any(quoted in str(payload.get("text", "")) for quoted in words)
    ]


async def _empty(
    session: AsyncSession, where: ColumnElement[bool], catalogs: Catalogs, platforms: Platforms
) -> None:
    """The outbox rows `where`: emptied, keeping the SMS segments a sent one took
    (reports.SEGMENTS); one still waiting dies "expired", and so does a dead one, so nobody
    revives an empty message."""
    billed = {platform.name: platform.capabilities for platform in platforms.billed_per_segment()}
    rows = await session.exec(select(OutboxMessage).where(where))
    for row in rows.all():
        payload: dict[str, object] = {
            "text": "",
            "locale": row.payload.get("locale"),
            "choices": [],
            "attachments": [],
        }
        if row.status == OutboxStatus.SENT and row.platform in billed:
            payload[reports.SEGMENTS] = reports.segments_of(row, billed[row.platform], catalogs)
        if outbox.BILLED in row.payload:  # paid messages stay counted too
            payload[outbox.BILLED] = row.payload[outbox.BILLED]
        values: dict[str, object] = {"payload": payload}
        if row.status != OutboxStatus.SENT:
            values |= {"status": OutboxStatus.DEAD, "failure": Failure.EXPIRED}
        await session.exec(
            update(OutboxMessage).where(col(OutboxMessage.id) == row.id).values(**values)
        )
