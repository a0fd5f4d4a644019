"""A refusal the user should read: a msgid plus parameters, translated where the reader is known."""

from __future__ import annotations

from bot.chat.messages import Address


class UserError(Exception):
    """Raised by services on bad input; the router rolls back and replies with the message.

    `message` must be marked with N_() where it is written, so it is extracted for translation.
    """

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params
        self.locale: str | None = None  # the reader's, once the router knows who they are
        # Where the answer goes when not to the chat the message came from: privately, for a
        # command sent in a group whose answers are private (Command.in_group).
        self.address: Address | None = None
        # A conversation that ends even though everything else rolls back: "Which circle is
        # that for?", once answered, must not stay waiting when the command it ran was refused.
        self.ends_conversation: str | None = None
