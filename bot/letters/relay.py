"""The letters' side of the tick: invitations, matching, delivery and the global channel.

Like the rest of the tick it derives from the database: each step runs for what fell due in
(since, now], and outbox keys make a repeat harmless. As the weekly rhythm does, it looks only
at circles whose next letters work has come: each circle stores when that is
(Circle.letters_due_at: its last meeting's invitation, its first meeting's preview or start),
the tick works it out, and any change to the circle or its meetings sets it back (see
bot/storage/models.py), so a tick with nothing due is one index lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any, NamedTuple

from sqlalchemy import ARRAY, ColumnElement, Integer, and_, any_, bindparam, func, or_
from sqlalchemy import select as select_columns
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat import segments
from bot.chat.i18n import Translator
from bot.chat.messages import Address, Choice, Outbound
from bot.chat.rendering import beginning, choices_as_text
from bot.circles import chats, circles
from bot.circles.own_zones import meets_online
from bot.delivery import outbox
from bot.delivery.jobs import TickReport, TickWindow
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import conversations, members, notifications, people
from bot.dialogue.registry import FLOW_TIMEOUT
from bot.letters import commands as letter_commands
from bot.letters import letters
from bot.letters.letters import LetterPolicy
from bot.storage import bulk
from bot.storage.models import (
    Account,
    Circle,
    CircleStatus,
    Conversation,
    Letter,
    LetterDelivery,
    LetterStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    Question,
    Role,
)
from prompts import letter as letter_prompts
from prompts.library import Phase, Prompt, choose

PREVIEW_BEFORE = timedelta(hours=2)  # the facilitator reads the letters before the meeting
MAX_INVITE_DELAY = timedelta(days=1)
# The invitation waits for the letter's text until this long after the last meeting ends.
LETTER_WAIT_AFTER_MEETING = timedelta(hours=2)
# By SMS a letter comes as its beginning, in one message with its header (about 2 segments).
LETTER_BY_TEXT_CHARS = 300
# Shorter where its letters cost UCS-2 (70 characters a segment): never below this much of it
# (the whole is a word away: read_whole_line).
LETTER_BY_TEXT_MIN_CHARS = 40
# A letter from afar says why it is in another language unless that leaves less of it than this.
LETTER_BY_TEXT_ENOUGH_CHARS = 120
LETTER_CUT_STEP = 10
# Several letters in one text: never less of each than this.
LETTERS_TOGETHER_MIN_CHARS = 30
# Circles worked out per statement: bounds the memory of a tick that looks at all of them.
CIRCLES_PER_CHUNK = 2_000
ROLLUP_HOUR = 12  # on Mondays, UTC


class Relay:
    """The letters' job in the tick (bot.delivery.jobs.ScheduledJob): invitations during a
    circle's last meeting, letters matched and delivered for a circle's first, and the Monday
    roll-up in the global channels."""

    def __init__(self, policy: LetterPolicy) -> None:
        self.policy = policy

    async def run(self, window: TickWindow) -> TickReport:
        return TickReport(letters=await _Relaying(window, self.policy).run())


class _Relaying:
    """One tick's relay; `sent` counts the messages it queued."""

    def __init__(self, window: TickWindow, policy: LetterPolicy) -> None:
        self.window = window
        self.session = window.session
        self.catalogs = window.catalogs
        self.policy = policy
        self.since = window.since
        self.now = window.now
        self.sent = 0

    def due(self, instant: datetime) -> bool:
        return self.window.due(instant)

    async def run(self) -> int:
        ids = await self._due()
        starting: list[tuple[Circle, Meeting]] = []
        for start in range(0, len(ids), CIRCLES_PER_CHUNK):
            starting += await self._chunk(ids[start : start + CIRCLES_PER_CHUNK])
        await bulk.refresh_statistics(self.session, {"circle": len(ids)})
        # Matched all at once, as the pool is locked once: a handful of circles, not a chunk.
        await self._first_meetings(starting)
        await self._rollup()
        return self.sent

    async def _notify(
        self,
        person_id: int,
        key: OutboxKey,
        circle: Circle | None,
        render: notifications.Render,
        choices: notifications.Offer | None = None,
        due: datetime | None = None,
    ) -> bool:
        """A notice in the person's language, else their app's, else that of `circle`: the
        circle it is about for them (for a letter's author, the circle they wrote it in)."""
        language = circle.language if circle is not None else None
        queued = await notifications.notify(
            self.session,
            self.catalogs,
            self.now,
            person_id,
            key,
            render,
            language,
            choices,
            due=due,
        )
        self.sent += queued
        return queued

    async def _billed_per_segment(self, person_id: int) -> bool:
        """Whether the person reads on a platform billed per SMS segment."""
        account = await people.preferred_account(self.session, person_id)
        platform = self.window.platforms.get(account.platform) if account else None
        return platform is not None and platform.billed_per_segment

    async def _post(self, key: OutboxKey, message: Outbound, tr: Translator) -> None:
        self.sent += await outbox.enqueue(self.session, key, message, tr.locale, self.now)

    async def _due(self) -> list[int]:
        """The circles whose next letters work has come (an index range on letters_due_at):
        the one statement of a tick with nothing due."""
        rows = await self.session.exec(
            select(Circle.id).where(col(Circle.letters_due_at) <= self.now).order_by(col(Circle.id))
        )
        return [circle_id for circle_id in rows.all() if circle_id is not None]

    async def _chunk(self, ids: list[int]) -> list[tuple[Circle, Meeting]]:
        """Invite where these circles' last meetings call for it, store when each next has
        letters work, and return those whose first meeting's preview or start fell due. Read as
        columns: whole rows only for the few circles with something due now."""
        connection = await self.session.connection()
        settings = await connection.execute(
            select_columns(
                col(Circle.id),
                col(Circle.status),
                col(Circle.rhythm_revision),
                col(Circle.letter_invite_minutes),
            )
            .where(_among(connection, col(Circle.id), ids))
            .order_by(col(Circle.id))
        )
        held = await _first_and_last(connection, ids)
        inviting: list[tuple[int, int]] = []  # (circle, meeting)
        starting: list[tuple[int, int]] = []
        stamps: list[tuple[int, int, datetime | None]] = []  # circle, revision read, due
        for circle_id, status, revision, invite_minutes in settings.all():
            assert circle_id is not None  # a stored row's
            found = held.get(circle_id) if status == CircleStatus.ACTIVE else None
            due_at = None
            if found is not None:
                first, last = found
                invite_at = last.starts_at + timedelta(minutes=invite_minutes)
                if self.due(invite_at) and self.now - invite_at <= MAX_INVITE_DELAY:
                    inviting.append((circle_id, last.id))  # not after a long stop: too late
                if first.ends_at > self.now and (  # after a long stop, not to one that is over
                    self.due(first.starts_at - PREVIEW_BEFORE) or self.due(first.starts_at)
                ):
                    starting.append((circle_id, first.id))
                due_at = min(
                    (
                        at
                        for at in (first.starts_at - PREVIEW_BEFORE, first.starts_at, invite_at)
                        if at > self.now
                    ),
                    default=None,
                )
            stamps.append((circle_id, revision, due_at))
        rows = await self._rows(inviting + starting)
        for circle_id, meeting_id in inviting:
            await self._invite(*rows[circle_id, meeting_id])
        await self._stamp(stamps)
        return [rows[pair] for pair in starting]

    async def _rows(
        self, pairs: list[tuple[int, int]]
    ) -> dict[tuple[int, int], tuple[Circle, Meeting]]:
        """Whole circles and meetings, by (circle, meeting) id."""
        if not pairs:
            return {}
        found = await self.session.exec(
            select(Circle, Meeting)
            .join(Meeting, col(Meeting.circle_id) == Circle.id)
            .where(col(Meeting.id).in_(sorted({meeting_id for _, meeting_id in pairs})))
        )
        return {(circle.id or 0, meeting.id or 0): (circle, meeting) for circle, meeting in found}

    async def _stamp(self, stamps: list[tuple[int, int, datetime | None]]) -> None:
        """Store when each circle next has letters work, in one statement (PostgreSQL ran an
        UPDATE a circle). A circle changed since it was read (its revision moved on) keeps
        the "look again" its change set."""
        await bulk.update_rows(
            self.session,
            Circle.__table__,  # type: ignore[attr-defined]
            ("id", "rhythm_revision"),
            ("letters_due_at",),
            stamps,
        )

    async def _invite(self, circle: Circle, meeting: Meeting) -> None:
        """In the last meeting, everyone who has not written a letter in this circle yet is
        invited to write to a circle just starting (a letter already written is enough: no
        paid SMS to ask again). A learner with nothing else waiting for an answer is waiting
        for the letter: the next message they send is its text (_wait_for_letter)."""
        prompt = choose(letter_prompts.INVITATIONS, Phase.FINAL, meeting.number, circle.id or 0)
        wrote = await _wrote_in(self.session, meeting.circle_id)
        for entry in await members.roster(self.session, meeting.circle_id):
            person_id = entry.person.id or 0
            if person_id in wrote:
                continue
            account = await people.preferred_account(self.session, person_id)
            conversation = (
                await conversations.load(
                    self.session, conversations.key_for_account(account), self.now
                )
                if account is not None and entry.membership.role == Role.LEARNER
                else None
            )
            waits = conversation is not None and await self._wait_for_letter(
                person_id, conversation, circle, meeting
            )
            invited = await self._notify(
                person_id,
                letters.invitation_key(circle.id or 0, person_id),
                circle,
                partial(
                    waiting_invitation_text if waits else letters.invitation_text,
                    prompt=prompt,
                    circle=circle.name if await _in_several(self.session, person_id) else None,
                ),
            )
            if invited and account is not None and conversation is not None:
                await self._take_yes(entry.person, account, conversation, circle, waits)

    async def _take_yes(
        self,
        person: Person,
        account: Account,
        conversation: Conversation,
        circle: Circle,
        waits: bool,
    ) -> None:
        """The invitation asks a question: a yes to it ("oui", "NDIYO") begins the letter, as
        /letter does, never a choice offered before it (the reminder of the meeting going on,
        too late to answer now). Its one choice is remembered, not shown: the invitation says
        how to write, in one SMS. Not over another conversation going on."""
        if conversation.flow and not waits:
            return
        language = await notifications.reader_language(
            self.session, person, account, circle.language
        )
        tr = self.catalogs.translator(*language)
        conversations.offer(conversation, [letters.write_choice(tr, circle)])

    async def _wait_for_letter(
        self, person_id: int, conversation: Conversation, circle: Circle, meeting: Meeting
    ) -> bool:
        """Begin the letter's conversation in the person's private chat, waiting for its text
        (as /letter does), so a letter sent straight back is kept as one, not passed on to the
        facilitators. Not over another conversation or a question waiting for words (a
        check-in's), and only until a while after the meeting ends: the check-in and the
        survey that follow are answered in words too."""
        if await _question_waiting(self.session, person_id, self.now) or conversation.flow:
            return False
        wait = meeting.ends_at + LETTER_WAIT_AFTER_MEETING - self.now
        if wait <= timedelta(0):
            return False
        # A flow lapses FLOW_TIMEOUT after its last step: begun that much earlier than `wait`
        # from now, it lapses when the wait is over.
        conversations.begin(
            conversation,
            letter_commands.FLOW,
            {"circle": circle.id},
            self.now - max(timedelta(0), FLOW_TIMEOUT - wait),
            letter_commands.WRITING,
        )
        return True

    async def _first_meetings(self, starting: list[tuple[Circle, Meeting]]) -> None:
        """Letters for circles about to meet for the first time: their facilitators' preview
        two hours before, and the letters themselves at the start."""
        # A letter is written to learners: a circle nobody has joined yet gets none, and the
        # letter waits in the pool for a circle with someone to read it.
        read = await _with_learners(self.session, [c.id for c, _ in starting if c.id is not None])
        starting = [(circle, meeting) for circle, meeting in starting if circle.id in read]
        # Letters are chosen when the facilitator's preview is due, so learners hear the same
        # ones; only a circle created, or first joined (the same day, at a library), after its
        # preview time is matched at the start.
        adding = frozenset(
            circle.id
            for circle, meeting in starting
            if circle.id is not None
            and (
                self.due(meeting.starts_at - PREVIEW_BEFORE)
                or circle.created_at > meeting.starts_at - PREVIEW_BEFORE
                or read[circle.id] > meeting.starts_at - PREVIEW_BEFORE
            )
        )
        arrivals = await letters.match_for(
            self.session, starting, self.policy.max_circles, self.now, adding
        )
        for arrival in arrivals:
            # Its facilitators are told at the preview's time, or, for a circle nobody had
            # joined by then (a learner the same day), at the start, when its letters are
            # matched: never left without the letter they read aloud (C15).
            preview_at = arrival.meeting.starts_at - PREVIEW_BEFORE
            told = self.due(preview_at) or (
                self.due(arrival.meeting.starts_at)
                and arrival.circle.id is not None
                and (arrival.circle.created_at > preview_at or read[arrival.circle.id] > preview_at)
            )
            if not arrival.letters:
                if arrival.circle.letters_wanted and told:
                    await self._none_came(arrival)
                continue
            if told:
                await self._preview(arrival)
            if self.due(arrival.meeting.starts_at):
                await self._arrive(arrival)

    async def _none_came(self, arrival: letters.Arrival) -> None:
        """No letter could come: its facilitators hear so before the meeting, rather than
        plan to read one out (D47, A32)."""
        circle = arrival.circle
        for entry in await members.roster(self.session, circle.id or 0):
            if entry.membership.role not in circles.FACILITATING:
                continue
            person_id = entry.person.id or 0
            await self._notify(
                person_id,
                OutboxKey(
                    MessageKind.LETTERS_PREVIEW, f"circle:{circle.id}", f"person:{person_id}"
                ),
                circle,
                lambda tr: tr._(
                    "Learners finishing a circle in another city sometimes write a letter of "
                    "encouragement for a new circle's first meeting. None is waiting for "
                    "%(circle)s this time: nothing to read out, nothing to do."
                )
                % {"circle": circle.name},
            )

    async def _preview(self, arrival: letters.Arrival) -> None:
        circle = arrival.circle
        for entry in await members.roster(self.session, circle.id or 0):
            if entry.membership.role not in circles.FACILITATING:
                continue
            person_id = entry.person.id or 0
            await self._notify(
                person_id,
                OutboxKey(
                    MessageKind.LETTERS_PREVIEW, f"circle:{circle.id}", f"person:{person_id}"
                ),
                circle,
                lambda tr: "\n\n".join(
                    [
                        tr.ngettext(
                            "For your first meeting: %(n)d letter from learners in a circle "
                            "somewhere else. You could read it aloud.",
                            "For your first meeting: %(n)d letters from learners in circles "
                            "somewhere else. You could read them aloud.",
                            len(arrival.letters),
                        ),
                        *_none_in_its_language(tr, arrival),
                        *(letters.as_read(tr, letter) for letter in arrival.letters),
                    ]
                ),
            )

    async def _arrive(self, arrival: letters.Arrival) -> None:
        circle = arrival.circle
        assert circle.id is not None
        roster = await members.roster(self.session, circle.id)
        group_tr = self.catalogs.translator(circle.language)
        relay_tr = self.catalogs.translator(None)
        linked = (await chats.of_circles(self.session, [circle.id]))[circle.id]
        # The learners, and whether each reads on a phone billed per SMS segment. Facilitators
        # had the letters two hours ago.
        billed = {
            entry.person.id or 0: await self._billed_per_segment(entry.person.id or 0)
            for entry in roster
            if entry.membership.role == Role.LEARNER
        }
        # By SMS several letters come as one text (sms 23: three came as 9 segments, during
        # the meeting that reads them aloud): see first_meeting_letters_by_text. Elsewhere each
        # letter comes with its own thank-you: where there are no buttons, "Reply 1" under the
        # last one thanks that letter's writer only, as it reads (walkthrough 8, mix 11).
        together = len(arrival.letters) > 1
        # By SMS a digit answers only the last question: where another waits ("Will you come?
        # Reply 1"), the letters are thanked with a word instead (sms 27).
        waiting = {
            person_id: await self._choices_waiting(person_id)
            for person_id, by_text in billed.items()
            if by_text
        }
        # Several letters as separate messages, in a chat where "1" is typed: each said "Reply
        # 1 for Send a thank-you", and only the last one's "1" was still open, however often it
        # was sent (issue 16). Now one list of choices, under the last letter, names each
        # writer: "Reply 1 for Thank Ana, 2 for Thank Ben, or 3 for Thank Chen". Clearer on a
        # phone than a "1" that thanks the next writer each time it is sent: a digit always
        # means the writer it names, sending it again can't thank someone unmeant, and a reader
        # can thank only the letter she liked. The thanks keeps the list open with the same
        # numbers (commands.thanks).
        last = arrival.letters[-1]
        every_writer = partial(letter_commands.thank_each_writer, circle_id=circle.id or 0)
        for letter in arrival.letters:
            subject = f"letter:{letter.id}"

            def thank(tr: Translator, letter: Letter = letter) -> list[Choice]:
                return [Choice(tr._("Send a thank-you"), f"#{circle.id} /thanks {letter.id}")]

            def thank_writers(tr: Translator, letter: Letter = letter) -> list[Choice]:
                if not together:
                    return thank(tr)
                return every_writer(tr, arrived=arrival.letters) if letter is last else []

            for person_id, by_text in billed.items():
                if by_text and together:
                    continue
                key = OutboxKey(
                    MessageKind.LETTER, subject, f"person:{person_id}", f"circle:{circle.id}"
                )
                if (conversation := waiting.get(person_id)) is not None:
                    in_a_word = partial(first_meeting_letter_by_text, letter=letter, in_a_word=True)
                    if await self._notify(person_id, key, circle, in_a_word):
                        await self._thanks_in_a_word(person_id, conversation, circle, [letter])
                    continue
                render = first_meeting_letter_by_text if by_text else first_meeting_letter
                await self._notify(
                    person_id, key, circle, partial(render, letter=letter), thank_writers
                )
            for chat in linked:
                await self._post(
                    OutboxKey(MessageKind.LETTER, subject, f"chat:{chat.platform}:{chat.chat_id}"),
                    Outbound(chat, letters.as_read_by(group_tr, letter), tuple(thank(group_tr))),
                    group_tr,
                )
            for channel in self.policy.global_channels:
                await self._post(
                    OutboxKey(
                        MessageKind.LETTER_RELAY,
                        subject,
                        f"chat:{channel.platform}:{channel.chat_id}",
                        f"circle:{circle.id}",
                    ),
                    Outbound(channel, letters.as_relayed(relay_tr, letter, circle)),
                    relay_tr,
                )
            if letter.author_id is not None:
                written_in = await self.session.get(Circle, letter.circle_id)  # the author's
                await self._notify(
                    letter.author_id,
                    OutboxKey(
                        MessageKind.LETTER_READ,
                        subject,
                        f"person:{letter.author_id}",
                        f"circle:{circle.id}",
                    ),
                    written_in,
                    partial(_reached, circle=circle),
                    due=letters.by_day(self.now, written_in.timezone) if written_in else None,
                )

        if together:
            every = f"#{circle.id} /thanks " + " ".join(str(x.id) for x in arrival.letters)
            for person_id in [p for p, by_text in billed.items() if by_text]:
                key = OutboxKey(
                    MessageKind.LETTER,
                    f"circle:{circle.id}",
                    f"person:{person_id}",
                    "first-meeting",
                )
                render = partial(first_meeting_letters_by_text, arrived=arrival.letters)
                if (conversation := waiting.get(person_id)) is not None:
                    if await self._notify(person_id, key, circle, partial(render, in_a_word=True)):
                        await self._thanks_in_a_word(
                            person_id, conversation, circle, arrival.letters
                        )
                    continue
                await self._notify(
                    person_id,
                    key,
                    circle,
                    render,
                    lambda tr: [Choice(thank_them_all(tr, len(arrival.letters)), every)],
                )

    async def _choices_waiting(self, person_id: int) -> Conversation | None:
        """The person's private conversation, when choices other than letters' thank-yous wait
        there for a digit (a reminder's "Will you come? Reply 1")."""
        account = await people.preferred_account(self.session, person_id)
        if account is None:
            return None
        conversation = await conversations.load(
            self.session, conversations.key_for_account(account), self.now
        )
        offered = conversations.payloads(conversation)
        others = [p for p in offered if not letter_commands.THANKS_CHOICE.fullmatch(p)]
        return conversation if others else None

    async def _thanks_in_a_word(
        self, person_id: int, conversation: Conversation, circle: Circle, arrived: list[Letter]
    ) -> None:
        """The thank-you kept after the choices waiting, by its word only ("GRACIAS"): their
        digits still answer them, and the word, as the letter says, thanks its writers."""
        person = await self.session.get_one(Person, person_id)
        account = await people.preferred_account(self.session, person_id)
        assert account is not None  # the letter was just queued for it
        tr = self.catalogs.translator(
            *await notifications.reader_language(self.session, person, account, circle.language)
        )
        payload = f"#{circle.id} /thanks " + " ".join(str(x.id) for x in arrived)
        kept = [c for c in conversation.choices if (c if isinstance(c, str) else c[0]) != payload]
        conversations.offer(conversation, [*kept, [payload, letter_commands.thanks_word(tr)]])

    async def _rollup(self) -> None:
        """Mondays: how far letters travelled last week, in the global channel."""
        monday = (self.now - timedelta(days=self.now.weekday())).replace(
            hour=ROLLUP_HOUR, minute=0, second=0, microsecond=0
        )
        if not self.policy.global_channels or not self.due(monday):
            return
        rows = (
            await self.session.exec(
                select(Letter, Circle)
                .join(LetterDelivery, col(LetterDelivery.letter_id) == Letter.id)
                .join(Circle, col(Circle.id) == LetterDelivery.circle_id)
                .where(
                    col(LetterDelivery.matched_at) > monday - timedelta(days=7),
                    col(LetterDelivery.matched_at) <= monday,
                )
            )
        ).all()
        if not rows:
            return
        cities = {(x.city.casefold(), x.country_code) for x, _ in rows} | {
            (c.city.casefold(), c.country_code) for _, c in rows
        }
        countries = {x.country_code for x, _ in rows} | {c.country_code for _, c in rows}
        tr = self.catalogs.translator(None)
        text = tr.ngettext(
            "This week %(n)d letter travelled between %(cities)d cities in %(countries)d "
            "countries. Thank you, everyone who wrote!",
            "This week %(n)d letters travelled between %(cities)d cities in %(countries)d "
            "countries. Thank you, everyone who wrote!",
            len(rows),
            cities=len(cities),
            countries=len(countries),
        )
        for channel in self.policy.global_channels:
            await self._post(
                OutboxKey(
                    MessageKind.LETTERS_ROLLUP,
                    f"week:{monday:%G-W%V}",
                    f"chat:{channel.platform}:{channel.chat_id}",
                ),
                Outbound(channel, text),
                tr,
            )


def _reached(tr: Translator, circle: Circle) -> str:
    """A letter's writer told it arrived, and where: a circle meeting online is in no city."""
    if meets_online(circle):
        return tr._("Your letter reached an online learning circle today.")
    return tr._(
        "Your letter reached a learning circle in %(place)s today.",
        place=letters.place(tr, circle.city, circle.country_code),
    )


def first_meeting_letter(tr: Translator, letter: Letter) -> str:
    """The letter for a learner: in a language other than hers, with why (as_read_by)."""
    return tr._("A letter for your first meeting:") + "\n" + letters.as_read_by(tr, letter)


def thank_line(tr: Translator, count: int, in_a_word: bool) -> str:
    """The line under letters sent by SMS that says how to thank their writers: "Reply 1 for
    Send a thank-you." as the choice degrades, or, in_a_word, the word to reply."""
    if in_a_word and count == 2:  # "both", never "all 2" ("bei allen 2 Schreibenden", D16)
        return "\n" + tr._(
            "To thank both writers, reply %(word)s.", word=letter_commands.thanks_word(tr)
        )
    if in_a_word:
        return "\n" + tr.ngettext(
            "To thank the writer, reply %(word)s.",
            "To thank all %(n)d writers, reply %(word)s.",
            count,
            word=letter_commands.thanks_word(tr),
        )
    label = tr._("Send a thank-you") if count == 1 else thank_them_all(tr, count)
    # The message is only measured, never sent, so it needs no address.
    return choices_as_text(Outbound(Address("", ""), "", (Choice(label, "-"),)), tr)


def first_meeting_letter_by_text(tr: Translator, letter: Letter, in_a_word: bool = False) -> str:
    """The letter in one short message, for a phone billed per SMS: its beginning (cut
    between words), the whole of it is read aloud at the meeting. In a language other than
    the reader's, why comes first, in place of as many of the letter's characters, so the
    message costs no more. Cut shorter where its letters cost UCS-2 ("Aquí"), so it still
    comes as one text with its thank-you line, never in parts cut mid-letter; there, a
    letter from afar says only which language it is in, where why would leave little of it."""
    thanks = thank_line(tr, 1, in_a_word)  # "\nReply 1 for Send a thank-you."
    # In a word, the line is part of the text; else the choice adds it as it is sent.
    ending = thanks if in_a_word else ""
    # Cut short, it says how to read all of it (sms 21: the encouragement itself was cut).
    more = "\n" + letter_commands.read_whole_line(tr, [letter.id or 0])

    def fitting(form: Callable[[int], str], most: int) -> tuple[str, int]:
        """`form` with as much of the letter as goes in one text, and how much that is."""

        def whole(shown: int) -> str:
            return form(shown) + (more if shown < _length(letter) else "")

        shown = most
        while shown > LETTER_BY_TEXT_MIN_CHARS and not _one_text(whole(shown) + thanks):
            shown -= LETTER_CUT_STEP
        return whole(shown) + ending, shown

    header = tr._("A letter for your first meeting:")

    def written_in(shown: int) -> str:
        return (
            header
            + "\n"
            + tr._(
                'From %(place)s (written in %(language)s):\n"%(text)s"\n- %(name)s',
                place=letters.origin(tr, letter),
                language=letters.language_name(tr, letter.language),
                text=beginning(letter.text, shown),
                name=letters.signature(tr, letter),
            )
        )

    if letters.in_reader_language(tr, letter):
        return fitting(written_in, LETTER_BY_TEXT_CHARS)[0]
    note = letters.travelled_note(tr, letter)

    def travelled(shown: int) -> str:
        afar = letters.from_afar(tr, letter, beginning(letter.text, shown))
        return header + "\n" + note + "\n" + afar

    most = max(LETTER_BY_TEXT_CHARS - len(note), LETTER_BY_TEXT_CHARS // 2)
    text, shown = fitting(travelled, most)
    if shown < LETTER_BY_TEXT_ENOUGH_CHARS and shown < len(letter.text):
        return fitting(written_in, LETTER_BY_TEXT_CHARS)[0]
    return text


def _none_in_its_language(tr: Translator, arrival: letters.Arrival) -> list[str]:
    """Said plainly when letters come in another language than the circle's: matching takes
    them only when none in its language was waiting (lang 21, mix 10: Danish letters in
    Sevilla, Swahili ones in Berlin, read aloud by no one)."""
    language = arrival.circle.language.strip().casefold()
    foreign = [x for x in arrival.letters if x.language.strip().casefold() != language]
    if not foreign:
        return []
    if len(foreign) < len(arrival.letters):
        # Some are in its language: never "none in German was waiting" above a German letter
        # (D49). Nor "waiting" at all: one may have waited, from the circle's own town (B20).
        return [
            tr.ngettext(
                "One of them is in another language, untranslated, as its writer wrote it. "
                "Perhaps someone in your group can read it.",
                "%(n)d of them are in other languages, untranslated, as their writers wrote "
                "them. Perhaps someone in your group can read them.",
                len(foreign),
            )
        ]
    return [
        tr.ngettext(
            "No letter in %(language)s could come to you this time, so one comes in another "
            "language, untranslated, as its writer wrote it. Perhaps someone in your group "
            "can read it.",
            "No letter in %(language)s could come to you this time, so %(n)d come in other "
            "languages, untranslated, as their writers wrote them. Perhaps someone in your "
            "group can read them.",
            len(foreign),
            language=letters.language_name(tr, language),
        )
    ]


def thank_them_all(tr: Translator, count: int) -> str:
    """The choice under several letters sent as one text: it thanks every writer."""
    if count == 2:
        return tr._("Thank both writers")
    return tr.ngettext("Thank the writer", "Thank all %(n)d writers", count)


def first_meeting_letters_by_text(
    tr: Translator, arrived: list[Letter], in_a_word: bool = False
) -> str:
    """Several letters for a first meeting in one text, for a phone billed per SMS: where
    each comes from and its first words, cut evenly so the whole still goes as one message
    with its thank-you line. Not signed: replying 1 thanks them all and names each writer
    (bot/letters/commands.py); the facilitator reads them whole at the meeting."""
    header = tr.ngettext(
        "A letter for your first meeting, from a circle far away:",
        "%(n)d letters for your first meeting, from circles far away:",
        len(arrived),
    )

    # In the order of their numbers, each line led by the number that opens it ("#2 Medellin
    # ...", then LETTER 2, LETTER 3 or LETTER 4): never LETTER 3 for the first line (C19).
    # Marked "#", never a bare "2.", above "Reply 1 for ...": a bare number is a choice's
    # (issue 16).
    arrived = sorted(arrived, key=lambda letter: letter.id or 0)

    def line(letter: Letter, room: int) -> str:
        # A line's heading: "Online circle" stands on its own, where "an online circle" follows
        # "From" (letters.origin).
        place = (
            tr._("Online circle")
            if letter.online
            else letters.place(tr, letter.city, letter.country_code)
        )
        number = f"#{letter.id} "
        if letters.in_reader_language(tr, letter):
            return number + tr._(
                '%(place)s: "%(text)s"', place=place, text=beginning(letter.text, room)
            )
        return number + tr._(
            '%(place)s (in %(language)s): "%(text)s"',
            place=place,
            language=letters.language_name(tr, letter.language),
            text=beginning(letter.text, room),
        )

    def message(room: int) -> str:
        lines = [header, *(line(letter, room) for letter in arrived)]
        if any(_length(letter) > room for letter in arrived):  # how to read them whole
            lines.append(letter_commands.read_whole_line(tr, [x.id or 0 for x in arrived]))
        return "\n".join(lines)

    # The line the choice becomes where there are no buttons ("Reply 1 for ..."), or the word.
    thanks = thank_line(tr, len(arrived), in_a_word)
    room = LETTER_BY_TEXT_CHARS // max(1, len(arrived))
    while room > LETTERS_TOGETHER_MIN_CHARS and not _one_text(message(room) + thanks):
        room -= LETTER_CUT_STEP
    return message(room) + (thanks if in_a_word else "")


def _length(letter: Letter) -> int:
    """The letter's length as `beginning` measures it (its spaces collapsed)."""
    return len(" ".join(letter.text.split()))


def _one_text(text: str) -> bool:
    """Whether `text` goes by SMS as one message (bot.chat.rendering.fit splits no further),
    measured as it is sent: an emoji in a quoted letter dropped, accents folded (C24: one 🙏🏾
    measured the whole as UCS-2, and every letter was cut to 25 characters)."""
    sent = segments.cheaper_quotes(segments.fold_foreign_letters(segments.gsm_safe(text)))
    return segments.sms_segments(segments.fold_to_gsm7(sent)) <= segments.SMS_MAX_SEGMENTS


def waiting_invitation_text(tr: Translator, prompt: Prompt, circle: str | None = None) -> str:
    """The invitation when the letter's conversation waits for its text: it is answered by
    sending the letter itself. `circle` as in letters.invitation_text."""
    return (
        letters.about_circle(tr, circle)
        + tr._(prompt.text)
        + "\n"
        + tr._("Reply with your letter, or send /skip.")
    )


async def _wrote_in(session: AsyncSession, circle_id: int) -> set[int]:
    """Who has written a letter in the circle that still counts (not taken back or
    rejected)."""
    rows = await session.exec(
        select(Letter.author_id).where(
            Letter.circle_id == circle_id,
            col(Letter.status).not_in([LetterStatus.WITHDRAWN, LetterStatus.REJECTED]),
            col(Letter.author_id).is_not(None),
        )
    )
    return {author for author in rows.all() if author is not None}


async def _in_several(session: AsyncSession, person_id: int) -> bool:
    """Whether the person is in more than one circle still going."""
    rows = await session.exec(
        select(Membership.id)
        .join(Circle, col(Circle.id) == Membership.circle_id)
        .where(
            Membership.person_id == person_id,
            col(Membership.left_at).is_(None),
            Circle.status == CircleStatus.ACTIVE,
        )
        .limit(2)
    )
    return len(rows.all()) > 1


async def _question_waiting(session: AsyncSession, person_id: int, now: datetime) -> bool:
    """Whether a question waits for the person's words (as bot.rhythm.questions.waiting)."""
    found = await session.exec(
        select(Question.id)
        .where(
            Question.person_id == person_id,
            (col(Question.expires_at).is_(None)) | (col(Question.expires_at) > now),
        )
        .limit(1)
    )
    return found.first() is not None


class _Held(NamedTuple):
    """A meeting held (not cancelled), as the relay's timetable reads it."""

    id: int
    starts_at: datetime
    ends_at: datetime


async def _with_learners(session: AsyncSession, circle_ids: list[int]) -> dict[int, datetime]:
    """The circles that have at least one learner now, with when the first of them joined."""
    found: dict[int, datetime] = {}
    for start in range(0, len(circle_ids), CIRCLES_PER_CHUNK):
        rows = await session.exec(
            select(Membership.circle_id, func.min(Membership.joined_at))
            .where(
                col(Membership.circle_id).in_(circle_ids[start : start + CIRCLES_PER_CHUNK]),
                Membership.role == Role.LEARNER,
                col(Membership.left_at).is_(None),
            )
            .group_by(col(Membership.circle_id))
        )
        found.update({circle_id: joined for circle_id, joined in rows.all()})
    return found


def _among(connection: AsyncConnection, column: Any, ids: list[int]) -> ColumnElement[bool]:
    """`column IN ids`; on PostgreSQL `column = ANY(one array)`: one parameter, not 2,000."""
    if connection.dialect.name == "postgresql":
        return column == any_(bindparam(None, ids, type_=ARRAY(Integer)))
    return column.in_(ids)


async def _first_and_last(
    connection: AsyncConnection, circle_ids: list[int]
) -> dict[int, tuple[_Held, _Held]]:
    """Each circle's first and last meeting held (cancelled ones left out): those two rows
    only, where reading every meeting of 2,000 circles took most of a chunk's time."""
    held = (
        select_columns(
            col(Meeting.circle_id).label("circle_id"),
            func.min(col(Meeting.number)).label("first"),
            func.max(col(Meeting.number)).label("last"),
        )
        .where(
            _among(connection, col(Meeting.circle_id), circle_ids),
            col(Meeting.status) != MeetingStatus.CANCELLED,
        )
        .group_by(col(Meeting.circle_id))
        .subquery()
    )
    rows = await connection.execute(
        select_columns(
            col(Meeting.circle_id), col(Meeting.id), col(Meeting.starts_at), col(Meeting.ends_at)
        )
        .join(
            held,
            and_(
                held.c.circle_id == col(Meeting.circle_id),
                or_(col(Meeting.number) == held.c.first, col(Meeting.number) == held.c.last),
            ),
        )
        .order_by(col(Meeting.circle_id), col(Meeting.number))
    )
    found: dict[int, tuple[_Held, _Held]] = {}
    for circle_id, meeting_id, starts_at, ends_at in rows:
        assert meeting_id is not None  # a stored row's
        meeting = _Held(meeting_id, starts_at, ends_at)
        found[circle_id] = (found[circle_id][0] if circle_id in found else meeting, meeting)
    return found
