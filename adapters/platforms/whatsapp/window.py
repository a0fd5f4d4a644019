"""WhatsApp's 24-hour customer service window: free-form messages reach a person only within
24 hours of their last message to the business; after it, only approved templates.

When someone last wrote is the core's: the account's last-seen time, stored in the transaction
that handled their message (Core.last_heard). So every process reads the same answer (the one
that took the webhook and the one dispatching may differ), it survives restarts, and it goes
when the person is erased. A process also remembers what it saw itself, to spare the database
a question per send; the memory can only be older than the truth, so when it says "open" the
window is open, and otherwise the core is asked.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta

from bot.core import Core

WINDOW = timedelta(hours=24)
# Sent a little before the window closes at Meta's end: we note a message when we have handled
# it, a moment after Meta took it, and a send may wait a little in the outbox.
MARGIN = timedelta(minutes=10)
REMEMBERED_CHATS = 10_000


class ServiceWindow:
    def __init__(self, core: Core, platform: str) -> None:
        self.core = core
        self.platform = platform
        self._heard: OrderedDict[str, datetime] = OrderedDict()

    def heard(self, chat_id: str, when: datetime) -> None:
        """`chat_id` wrote at `when` (its message has been handled)."""
        self._heard[chat_id] = when
        self._heard.move_to_end(chat_id)
        while len(self._heard) > REMEMBERED_CHATS:
            self._heard.popitem(last=False)

    async def is_open(self, chat_id: str) -> bool:
        now = self.core.clock.now()
        last = self._heard.get(chat_id)
        if last is None or not _open(last, now):
            last = await self.core.last_heard(self.platform, chat_id)
            if last is not None:
                self.heard(chat_id, last)
        return last is not None and _open(last, now)


def _open(last: datetime, now: datetime) -> bool:
    return now - last < WINDOW - MARGIN
