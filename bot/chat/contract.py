"""The contract every platform adapter fulfils. Adapters hold a Core; they never subclass it."""

from __future__ import annotations

from typing import Protocol

from bot.chat.messages import Capabilities, Outbound, Receipt

# When a platform says "too many requests" without saying for how long.
DEFAULT_RETRY_AFTER = 5.0


class PermanentDeliveryError(Exception):
    """The platform refused for good (user blocked the bot, number opted out): do not retry.

    `opted_out` says the person asked not to be written to (SMS STOP), rather than the address
    being unusable; the dispatcher marks the account accordingly.
    """

    def __init__(self, *args: object, opted_out: bool = False) -> None:
        super().__init__(*args)
        self.opted_out = opted_out


class Unavailable(Exception):
    """The core cannot take this message now (its database is down or locked). Acknowledge
    nothing to the platform (a webhook answers 503, a poller keeps its offset), so the message
    comes again and is handled then, instead of being consumed with an apology."""


class StartRefused(Exception):
    """An adapter could not start, for a reason its operator can act on (Telegram's own words
    for a refused webhook, a PUBLIC_BASE_URL it cannot use). The message holds no token or
    secret, so the shell logs it and shows it in /healthz as it is."""


class RetryLater(Exception):
    """The platform asked us to slow down (HTTP 429, Telegram RetryAfter, a Discord rate limit).

    The dispatcher tries this message again no earlier than `retry_after` seconds from now.

    `set_aside`: the platform is fine, but this one message cannot go to this chat yet (a
    platform that only lets free text reach someone who wrote lately). Nothing else pauses: the
    message goes to another of the person's accounts where they can be reached, if they have
    one; otherwise it waits until `retry_after` has passed or the chat writes again
    (Core.chat_woke). The chat's later messages do not wait behind it.
    """

    def __init__(self, retry_after: float, *args: object, set_aside: bool = False) -> None:
        super().__init__(*(args or (f"rate limited: retry after {retry_after:g} s",)))
        self.retry_after = max(0.0, float(retry_after))
        self.set_aside = set_aside

    @classmethod
    def from_header(cls, header: str | None) -> RetryLater:
        """From an HTTP Retry-After header (seconds); missing or an HTTP date: the default."""
        try:
            return cls(float(header) if header else DEFAULT_RETRY_AFTER)
        except ValueError:
            return cls(DEFAULT_RETRY_AFTER)


class Adapter(Protocol):
    platform: str
    capabilities: Capabilities

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, message: Outbound) -> Receipt:
        """Deliver one message that already fits `capabilities` (see bot.chat.rendering).

        Raise RetryLater when the platform says to wait, PermanentDeliveryError when it refuses
        for good, and any other exception for a failure worth retrying with backoff.
        """
        ...
