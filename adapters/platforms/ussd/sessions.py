"""Where each USSD session is: the screens it went through, kept for a few minutes.

Africa's Talking posts the whole path of a session's inputs each time ("1*2"), so the screen
for a path is the screen for the path before it plus one input. What each path led to is kept
here, in the process, for as long as a session can last: the next post starts from it, and a
post repeated word for word (the gateway retrying) gets the same screen without acting again.
A post this process has not seen the start of (a restart, another process) is played from the
menu again; whatever it did already is refused by the core as a message handled before.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

# Operators end a session after about 3 minutes; a little longer, for a slow last post.
KEEP_SECONDS = 300.0
# Sessions remembered at once (the least recent are forgotten first): far more than a small
# service has open in 5 minutes.
CAPACITY = 20_000

T = TypeVar("T")


@dataclass
class _Session(Generic[T]):
    paths: dict[str, T]
    touched: float


class Sessions(Generic[T]):
    """What each path of each session led to; a session is forgotten KEEP_SECONDS after its
    last post, or when it ends."""

    def __init__(
        self,
        keep: float = KEEP_SECONDS,
        capacity: int = CAPACITY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.keep = keep
        self.capacity = capacity
        self.clock = clock
        self._sessions: OrderedDict[str, _Session[T]] = OrderedDict()

    def get(self, session_id: str, path: str) -> T | None:
        session = self._sessions.get(session_id)
        if session is None:
            return None
        if self.clock() - session.touched > self.keep:
            del self._sessions[session_id]
            return None
        return session.paths.get(path)

    def put(self, session_id: str, path: str, value: T) -> None:
        session = self._sessions.get(session_id)
        if session is None:
            session = self._sessions[session_id] = _Session({}, self.clock())
        session.paths[path] = value
        session.touched = self.clock()
        self._sessions.move_to_end(session_id)
        while len(self._sessions) > self.capacity:
            self._sessions.popitem(last=False)

    def end(self, session_id: str) -> None:
        self._sessions.pop(session_id, None)

    def __len__(self) -> int:
        return len(self._sessions)
