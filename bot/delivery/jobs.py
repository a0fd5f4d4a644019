"""What every job of the scheduler's tick shares: the window it works on, what it reports, and
the one method it has.

The tick (bot/scheduling/tick.py) runs its jobs in order in one transaction. Each job derives
from the database what fell due in the window (since, now], queues it in the outbox, and says
what it did. The jobs live with their features (the weekly rhythm, letters, reports); these
types sit below the features so that each of them can name them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import Catalogs
from bot.chat.platforms import Platforms


@dataclass(frozen=True)
class TickWindow:
    """One tick: its transaction, the catalogs to word messages with, the span of time
    (since, now] whose due work it derives, and the platforms as their adapters describe them
    (which take a calendar file, which bill per SMS segment)."""

    session: AsyncSession
    catalogs: Catalogs
    since: datetime
    now: datetime
    platforms: Platforms

    def due(self, instant: datetime) -> bool:
        return self.since < instant <= self.now


@dataclass
class TickReport:
    reminders: int = 0
    digests: int = 0
    checkins: int = 0
    nudges: int = 0
    goal_reviews: int = 0
    letters: int = 0  # invitations, letters delivered and relayed, authors told
    closings: int = 0  # close-out messages when a circle's last meeting ends
    team_summaries: int = 0  # Monday summaries to organizers who opted in
    pruned: int = 0  # inbound message ids forgotten after a month (not messages)

    @property
    def total(self) -> int:
        return (
            self.reminders
            + self.digests
            + self.checkins
            + self.nudges
            + self.goal_reviews
            + self.letters
            + self.closings
            + self.team_summaries
        )

    def __add__(self, other: TickReport) -> TickReport:
        return TickReport(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


class ScheduledJob(Protocol):
    """A job of the tick. It derives, it does not remember: run twice over the same window, it
    queues nothing new (outbox keys are unique), so a tick that failed is simply done again."""

    async def run(self, window: TickWindow) -> TickReport:
        """Queue what fell due in the window; the report counts what was new."""
        ...
