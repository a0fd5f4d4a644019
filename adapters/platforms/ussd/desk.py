"""What a USSD session asks of the core, on behalf of the person's SMS account.

Each menu choice that does something becomes one message (two for a rating) from the SMS
account of the number that dialled, handled by Core.handle, which returns its replies at once:
a screen must answer within the request. The message id is the session and the path that led
to it, so a session played again cannot act twice. Replies for anyone else (a facilitator) go
into the outbox, as any platform's would.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from adapters.platforms.ussd_platform import ACTS_AS, REPLY_CAPABILITIES
from bot.chat.i18n import Translator
from bot.chat.messages import Address, Choice, Inbound, Outbound
from bot.core import Access, CircleChoice, Core, Standing


@dataclass(frozen=True)
class Answer:
    """What the core said: its words for this person, and the choices it offered last."""

    text: str
    choices: tuple[Choice, ...] = ()


def message_id(session_id: str, path: str, step: int = 0) -> str:
    """The id of the message a session's path sends: the same path, the same id. A hash, so
    it stays short and holds no typed words."""
    digest = hashlib.sha256(f"{session_id}\0{path}\0{step}".encode()).hexdigest()
    return "ussd-" + digest[:40]


class Desk:
    """One request's way to the core: who dialled, and the language to answer them in."""

    def __init__(self, core: Core, number: str, session_id: str, standing: Standing) -> None:
        self.core = core
        self.number = number
        self.session_id = session_id
        self.standing = standing
        self.tr: Translator = core.catalogs.translator(standing.locale)
        self.address = Address(ACTS_AS, number)
        self.started = core.clock.now()

    @classmethod
    async def open(cls, core: Core, number: str, session_id: str) -> Desk:
        return cls(core, number, session_id, await core.standing(ACTS_AS, number))

    async def newly_asked(self) -> bool:
        """Whether the core now waits for this person to write an answer to a question asked
        while this request was handled (by the step it sent), rather than one that waited
        already."""
        now = await self.core.standing(ACTS_AS, self.number)
        return (
            now.question is not None
            and now.asked != self.standing.asked
            and now.asked_at is not None
            and now.asked_at >= self.started
        )

    async def circles(self) -> list[CircleChoice]:
        """The circles this person is in, most recently joined first."""
        return await self.core.circle_choices(ACTS_AS, self.number, Access.MEMBER)

    async def send(self, path: str, text: str, step: int = 0) -> Answer:
        """`text` from the person, as the message for `path`; what the core answered."""
        return await self._handle(path, step, text=text)

    async def press(self, path: str, payload: str, step: int = 0) -> Answer:
        """A choice picked (its payload, as a button sends it)."""
        return await self._handle(path, step, payload=payload)

    async def ask(self, text: str, path: str) -> Answer:
        """A question that changes nothing ("/next"): asked afresh each time it is shown, so a
        session played again still gets the answer."""
        return await self._handle(path, 0, text=text, fresh=True)

    async def rate(self, path: str, circle_id: int, rating: int) -> Answer:
        """This week's check-in rating: the check-in asked, then answered at once, so a
        session that ends before the rating leaves no question waiting on the SMS account."""
        asked = await self.press(path, f"#{circle_id} /checkin", step=1)
        payload = str(rating)
        if asked.text and payload not in {choice.payload for choice in asked.choices}:
            return asked  # no check-in now (the circle hasn't met): the core says why
        # (Nothing said: this step was taken before and the rating not, as after an outage
        # between the two; the rating answers the check-in it asked, or is refused as seen.)
        return await self.press(path, payload, step=2)

    async def _handle(
        self,
        path: str,
        step: int,
        *,
        text: str = "",
        payload: str | None = None,
        fresh: bool = False,
    ) -> Answer:
        key = f"{path}\0{uuid.uuid4().hex}" if fresh else path
        inbound = Inbound(
            platform=ACTS_AS,
            account_id=self.number,
            chat_id=self.number,
            message_id=message_id(self.session_id, key, step),
            text=text or (payload or ""),
            payload=payload,
        )
        replies = await self.core.handle(inbound, REPLY_CAPABILITIES)
        mine = [reply for reply in replies if reply.address == self.address]
        others = [(place, r) for place, r in enumerate(replies) if r.address != self.address]
        if others:
            await self.core.queue_replies(inbound.message_id, others)
        return _answer(mine)


def _answer(replies: list[Outbound]) -> Answer:
    choices: tuple[Choice, ...] = ()
    for reply in replies:
        if reply.choices:
            choices = reply.choices
    return Answer("\n\n".join(reply.text for reply in replies if reply.text), choices)
