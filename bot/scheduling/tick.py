"""The scheduler's tick: turns what fell due in the database into outbox rows.

It derives, it does not remember. A TickMark row holds how far the last tick got; each tick
covers (mark, now], so a bot that was stopped catches up on what fell due meanwhile, and a tick
that fails rolls back whole and is simply done again. Outbox idempotency keys make any repeat
harmless. The work is done by the features' scheduled jobs (see bot/delivery/jobs.py), which
`tick` runs in order over that window, in one transaction.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.clock import Clock
from bot.chat.i18n import Catalogs
from bot.chat.platforms import Platforms
from bot.circles.empty_circles import EmptyCircleNudges
from bot.circles.seats import SeatOffers
from bot.delivery.jobs import ScheduledJob, TickReport, TickWindow
from bot.letters.letters import LetterPolicy
from bot.letters.relay import Relay
from bot.network.commons import Commons
from bot.network.survey import Surveys
from bot.reports.closeout import CloseOut
from bot.reports.retention import Retention, RetentionPolicy
from bot.reports.teams import WeeklySummaries
from bot.rhythm.attendance_reminders import AttendanceReminders
from bot.rhythm.derivation import WeeklyRhythm
from bot.scheduling.housekeeping import Housekeeping
from bot.storage.models import Circle, TickMark

__all__ = ["MARK", "TickReport", "jobs", "tick"]

MARK = "rhythm"
# A mark this far ahead of the clock did not come from clock skew between two workers: most
# likely a rehearsal ran on this database with its fast clock. Waiting for real time to catch
# up would send nothing for weeks, silently, so the tick says so and starts again from now.
FUTURE_MARK_TOLERANCE = timedelta(minutes=10)

log = logging.getLogger(__name__)


def jobs(
    letter_policy: LetterPolicy, retention: RetentionPolicy | None = None
) -> list[ScheduledJob]:
    """The tick's jobs, in the order they run."""
    retention = retention or RetentionPolicy()
    return [
        WeeklyRhythm(),  # reminders, digests, check-ins, nudges, goal reviews
        AttendanceReminders(),  # to facilitators, after a meeting with none taken
        SeatOffers(),  # a seat offered and not taken goes on down the waiting list
        EmptyCircleNudges(),  # invite someone: nobody has joined, the first meeting is near
        Relay(letter_policy),
        # After the relay, so the close-out sees the letter invitations it has queued.
        CloseOut(retention),
        WeeklySummaries(),
        Housekeeping(),
        Retention(retention),  # names and words go, RETENTION_DAYS after a last meeting
        # After the close-out (the survey follows its thank-you) and the retention (what a
        # circle anonymised now had not shared goes with it).
        Surveys(),  # the end-of-circle survey's first question
        Commons(),  # past circles' tips and links to a starting circle
    ]


async def tick(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    catalogs: Catalogs,
    letter_policy: LetterPolicy | None = None,
    *,
    platforms: Platforms,
    retention: RetentionPolicy | None = None,
) -> TickReport:
    """Enqueue everything that fell due since the last tick, in one transaction. `platforms`
    are the adapters' descriptions (which ones take a calendar file, count SMS segments)."""
    async with sessions() as session, session.begin():
        now = clock.now()
        mark = (
            await session.exec(select(TickMark).where(TickMark.name == MARK).with_for_update())
        ).first()
        if mark is None:
            # The first tick of a database starts where its first circle did, so nothing due
            # before the bot first ran is lost, and nothing older is replayed.
            first = (await session.exec(select(func.min(Circle.created_at)))).first()
            mark = TickMark(name=MARK, reached_at=first - timedelta(seconds=1) if first else now)
        if now + FUTURE_MARK_TOLERANCE < mark.reached_at:
            log.warning(
                "the tick mark %s is ahead of the clock (%s), probably left by a rehearsal on "
                "this database; starting again from now",
                mark.reached_at.isoformat(),
                now.isoformat(),
            )
            mark.reached_at = now
        if now <= mark.reached_at:
            session.add(mark)
            return TickReport()
        window = TickWindow(session, catalogs, mark.reached_at, now, platforms)
        report = TickReport()
        for job in jobs(letter_policy or LetterPolicy(), retention):
            report += await job.run(window)
        mark.reached_at = now
        session.add(mark)
        return report
