"""Where time comes from: injected everywhere, so tests and the demo run on a fake clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    # How many of this clock's seconds pass in one wall-clock second: 1, except in a rehearsal.
    # A lease held while a message is sent lasts wall-clock time, whatever the clock says.
    speed: float

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    speed = 1.0

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to."""

    speed = 1.0

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = instant.astimezone(UTC)


class WarpClock:
    """Rehearsal time: reads `start` when the wall clock reads `origin` (a unix timestamp) and
    runs `speed` times faster than it. Processes given the same three values agree on "now",
    so real processes can play a whole season in a minute. Without `origin`, it is the moment
    the clock is made (one process alone)."""

    def __init__(
        self,
        start: datetime,
        speed: float = 1.0,
        origin: float | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        if start.tzinfo is None:
            raise ValueError("WarpClock needs an aware start, e.g. 2026-10-20T14:00:00Z")
        if speed <= 0:
            raise ValueError("WarpClock needs a positive speed")
        self.start = start.astimezone(UTC)
        self.speed = speed
        self._wall = wall
        self.origin = wall() if origin is None else origin

    def now(self) -> datetime:
        return self.start + timedelta(seconds=(self._wall() - self.origin) * self.speed)

    def wall_time_of(self, instant: datetime) -> float:
        """The unix timestamp at which this clock reads `instant`."""
        return self.origin + (instant - self.start).total_seconds() / self.speed
