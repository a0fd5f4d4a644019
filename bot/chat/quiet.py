"""Logs that stay readable through an outage: one line per kind of failure per interval.

The first failure of a kind is logged at once; the next ones in the same interval are only
counted, and the count is logged with the next one after the interval ends ("... (and 9,735
more like it in the last 60 s)"). No traceback: a failure worth one is not expected, and its
own handler logs it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

INTERVAL_SECONDS = 60.0


class QuietLog:
    def __init__(
        self,
        logger: logging.Logger,
        interval: float = INTERVAL_SECONDS,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger = logger
        self.interval = interval
        self._now = now
        self._since: dict[str, float] = {}  # kind -> when its interval began
        self._held: dict[str, int] = {}  # kind -> how many were not logged since

    def warning(self, kind: str, message: str, *args: object) -> None:
        now = self._now()
        began = self._since.get(kind)
        if began is not None and now - began < self.interval:
            self._held[kind] = self._held.get(kind, 0) + 1
            return
        held = self._held.pop(kind, 0)
        self._since[kind] = now
        if held:
            self.logger.warning(
                "%s: " + message + " (and %d more like it in the last %.0f s)",
                kind,
                *args,
                held,
                self.interval,
            )
        else:
            self.logger.warning("%s: " + message, kind, *args)
