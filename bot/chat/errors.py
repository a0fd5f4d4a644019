"""A refusal the user should read: a msgid plus parameters, translated where the reader is known."""

from __future__ import annotations


class UserError(Exception):
    """Raised by services on bad input; the router rolls back and replies with the message.

    `message` must be marked with N_() where it is written, so it is extracted for translation.
    """

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params
        self.locale: str | None = None  # the reader's, once the router knows who they are
