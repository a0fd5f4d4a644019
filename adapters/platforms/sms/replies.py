"""Replies that cannot go straight back to the sender go through the outbox instead.

A reply meant for someone else (a facilitator), or one a gateway did not take at once (a 429, a
timeout), is written as an outbox row keyed on the inbound message and the part's place among the
replies, so the dispatcher retries it and a resent webhook does not queue it twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.chat.messages import Outbound
from bot.core import Core


async def queue(
    core: Core, inbound_id: str, parts: Sequence[tuple[int, Outbound]], delay: float = 0.0
) -> None:
    """Queue each (place among the replies, part), due `delay` seconds from now."""
    await core.queue_replies(inbound_id, parts, delay)
