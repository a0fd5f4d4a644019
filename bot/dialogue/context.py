"""What a command handler gets: the transaction, the time, the reader's language, who is asking."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from babel.languages import get_official_languages
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat import keywords
from bot.chat.i18n import Catalogs, Translator
from bot.chat.messages import Address, Attachment, Choice, Inbound, Outbound
from bot.chat.platforms import Platforms
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import conversations, members, notifications
from bot.dialogue.registry import Registry
from bot.storage.models import Account, Circle, Conversation, Membership, Person, Role


@dataclass
class Context:
    session: AsyncSession
    now: datetime
    rng: random.Random
    catalogs: Catalogs
    tr: Translator
    registry: Registry
    inbound: Inbound
    person: Person
    account: Account
    conversation: Conversation
    platforms: Platforms  # the adapters' descriptions
    circle: Circle | None = None  # set by the router for member and facilitator commands
    membership: Membership | None = None
    chosen_circle_id: int | None = None  # the answer to "Which circle is that for?"
    replies: list[Outbound] = field(default_factory=list)
    # Global letter moderators, as "platform:external id" (LETTER_MODERATORS).
    moderators: frozenset[str] = frozenset()
    join_links: Mapping[str, str] = field(default_factory=dict)  # see Core.join_links
    reach: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # see Core.reach
    # The person's current circles as the message arrived, most recently joined first (the
    # router reads them once: for the language, the access check and the handler).
    memberships: list[tuple[Membership, Circle]] = field(default_factory=list)
    # RETENTION_DAYS: how long a circle's names and words are kept after it closes, for the
    # close-out a facilitator's command brings (see bot/reports/retention.py).
    retention_days: int = 180
    # The group chat a command was sent in, when it is answered privately (Command.in_group):
    # the circle that group is linked to is the one the command is about.
    group: Address | None = None
    # This message's words have gone to the facilitators with a notice of their own (a yes
    # after the meeting started: answers._on_the_way): pass_on_too sends them not twice.
    words_passed_on: bool = False
    # Set by a flow's step that found the words were no answer to it and ended the flow (a
    # sentence to the attendance sheet): the router reads them again as if no flow waited.
    not_an_answer: bool = False
    # How many times words went on to the facilitators for this message (announcements.pass_on):
    # a second time (a goal's question held, then the words with the sharing answer) is its own
    # notice, not a repeat of the first.
    passed_on_times: int = 0
    # The circles a switch (CHECKIN OFF) was set for by this message, by its reply's msgid:
    # "all of them" runs the command once a circle (router.FOR_EACH_CIRCLE), and one reply
    # names them all (fac 23: one SMS a circle).
    switched: dict[str, list[str]] = field(default_factory=dict)

    @property
    def person_id(self) -> int:
        assert self.person.id is not None
        return self.person.id

    @property
    def is_moderator(self) -> bool:
        return f"{self.account.platform}:{self.account.external_id}" in self.moderators

    @property
    def occurrence(self) -> str:
        """The message that caused a notice: every command is news, a resent one is not."""
        return f"{self.inbound.platform}:{self.inbound.message_id}"

    @property
    def by_text(self) -> bool:
        """Whether the replies go where every SMS segment is paid for (a feature phone)."""
        platform = self.platforms.get(self.inbound.platform)
        return platform is not None and platform.billed_per_segment

    @property
    def reader(self) -> Translator:
        """For reading what the person wrote (keywords, yes and no, ratings), never for
        writing: their language's words, their circles' and those of the countries their
        circles meet in (keywords.reading): an English reader in Kenya texts NDIYO or TANO."""
        languages = set()
        for _, circle in self.memberships:
            languages.add(circle.language)
            languages.update(get_official_languages(circle.country_code or "", de_facto=True))
        # A language the bot doesn't speak is read as English, whose words every list has.
        return keywords.reading(self.tr, [self.catalogs.translator(c) for c in sorted(languages)])

    def reply(
        self, text: str, choices: Sequence[Choice] = (), attachments: Sequence[Attachment] = ()
    ) -> None:
        self.replies.append(
            Outbound(self.inbound.address, text, tuple(choices), tuple(attachments))
        )
        if choices:
            conversations.offer(self.conversation, choices, self.now)

    async def notify(
        self,
        person_id: int,
        key: OutboxKey,
        render: Callable[[Translator], str],
        choices: Callable[[Translator], Sequence[Choice]] | None = None,
    ) -> bool:
        language = self.circle.language if self.circle else None
        return await notifications.notify(
            self.session, self.catalogs, self.now, person_id, key, render, language, choices
        )

    async def notify_members(
        self,
        circle: Circle,
        roles: Sequence[Role],
        kind: MessageKind,
        occurrence: str,
        render: Callable[[Translator], str],
        choices: Callable[[Translator], Sequence[Choice]] | None = None,
    ) -> int:
        """Queue a message for every current member with one of `roles` except the sender."""
        assert circle.id is not None
        reached = 0
        for entry in await members.roster(self.session, circle.id):
            person_id = entry.person.id
            assert person_id is not None
            if person_id == self.person_id or entry.membership.role not in roles:
                continue
            key = OutboxKey(kind, f"circle:{circle.id}", f"person:{person_id}", occurrence)
            reached += await self.notify(person_id, key, render, choices)
        return reached

    def require_circle(self) -> tuple[Circle, Membership]:
        assert self.circle is not None and self.membership is not None, "router sets the circle"
        return self.circle, self.membership
