"""The contract every platform adapter fulfils. Adapters hold a Core; they never subclass it."""

from __future__ import annotations

from typing import Protocol

from bot.messages import Capabilities, Outbound, Receipt


class PermanentDeliveryError(Exception):
    """The platform refused for good (user blocked the bot, number opted out): do not retry."""


class Adapter(Protocol):
    platform: str
    capabilities: Capabilities

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, message: Outbound) -> Receipt:
        """Deliver one message that already fits `capabilities` (see bot.rendering)."""
        ...
