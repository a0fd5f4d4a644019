"""Messages from many chats handled side by side, each chat's in the order they came.

A person who sends "1", "2", "3" quickly must be answered as if they were read one after the
other (the second may answer a question the first asked), while a hundred other people writing
at the same moment should not wait behind them. Each chat is a lane: a lane's jobs run one at a
time, in the order they were given; jobs of different lanes run at once, at most `width` of them
(each holds a database connection and a place among the sends in flight).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

# Different chats handled at once. A handling mostly waits (for the database, for its reply's
# turn in the platform's rate, for the send), so a few at once fill Telegram's 30 a second
# (`circlebot bench-chats`); many more would only queue for database connections (SQLAlchemy's
# pool holds 15 per process) and, on SQLite, for its one writer.
DEFAULT_WIDTH = 16


class Lanes:
    def __init__(self, width: int = DEFAULT_WIDTH) -> None:
        if width < 1:
            raise ValueError("lanes need a width of at least 1")
        self.width = width
        self._room = asyncio.Semaphore(width)
        # A lane's lock, while it has jobs; asyncio's locks wake their waiters first come,
        # first served, which is what keeps a chat's order.
        self._lanes: dict[Hashable, asyncio.Lock] = {}
        self._jobs: dict[Hashable, int] = {}  # jobs given to each lane and not finished
        self.running = 0
        self.most_running = 0  # the most jobs that ran at once (for tests and benches)

    async def run(self, lane: Hashable, job: Callable[[], Awaitable[T]]) -> T:
        """Run `job` in `lane`, after the lane's earlier jobs; its result.

        Jobs keep the order of the calls to run(): no await comes before a call takes its
        place in the lane, so jobs started as tasks in order are in that order."""
        lock = self._lanes.setdefault(lane, asyncio.Lock())
        self._jobs[lane] = self._jobs.get(lane, 0) + 1
        try:
            # The lane's turn first, then a place: a chat waiting for its own earlier message
            # does not hold a place other chats could use.
            async with lock, self._room:
                self.running += 1
                self.most_running = max(self.most_running, self.running)
                try:
                    return await job()
                finally:
                    self.running -= 1
        finally:
            self._jobs[lane] -= 1
            if not self._jobs[lane]:
                del self._jobs[lane], self._lanes[lane]
