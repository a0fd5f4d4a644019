"""The letters' side of the tick: invitations, matching, delivery and the global channel.

Like the rest of the tick it derives from the database: each step runs for what fell due in
(since, now], and outbox keys make a repeat harmless.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from sqlmodel import col, select

from bot.chat.i18n import Translator
from bot.chat.messages import Choice, Outbound
from bot.circles import chats, circles, meetings
from bot.delivery import outbox
from bot.delivery.jobs import TickReport, TickWindow
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import members, notifications
from bot.letters import letters
from bot.letters.letters import LetterPolicy
from bot.storage.models import (
    Circle,
    CircleStatus,
    Letter,
    LetterDelivery,
    Meeting,
    MeetingStatus,
    Role,
)
from prompts import letter as letter_prompts
from prompts.library import Phase, choose

PREVIEW_BEFORE = timedelta(hours=2)  # the facilitator reads the letters before the meeting
MAX_INVITE_DELAY = timedelta(days=1)
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
        await self._invitations()
        await self._first_meetings()
        await self._rollup()
        return self.sent

    async def _notify(
        self,
        person_id: int,
        key: OutboxKey,
        circle: Circle,
        render: notifications.Render,
        choices: notifications.Offer | None = None,
    ) -> None:
        self.sent += await notifications.notify(
            self.session, self.catalogs, self.now, person_id, key, render, circle.language, choices
        )

    async def _post(self, key: OutboxKey, message: Outbound, tr: Translator) -> None:
        self.sent += await outbox.enqueue(self.session, key, message, tr.locale, self.now)

    async def _circles_meetings(
        self, starting_after: datetime, starting_until: datetime
    ) -> list[tuple[Meeting, Circle]]:
        rows = await self.session.exec(
            select(Meeting, Circle)
            .join(Circle, col(Circle.id) == Meeting.circle_id)
            .where(
                Circle.status == CircleStatus.ACTIVE,
                Meeting.status != MeetingStatus.CANCELLED,
                col(Meeting.starts_at) > starting_after,
                col(Meeting.starts_at) <= starting_until,
            )
            .order_by(col(Meeting.starts_at), col(Meeting.id))
        )
        return list(rows.all())

    async def _invitations(self) -> None:
        """In the last meeting, everyone is invited to write to a circle just starting."""
        found = await self._circles_meetings(self.since - MAX_INVITE_DELAY, self.now)
        bounds = await meetings.bounds(self.session, [c.id for _, c in found if c.id is not None])
        for meeting, circle in found:
            at = meeting.starts_at + timedelta(minutes=circle.letter_invite_minutes)
            if meeting.number != bounds[meeting.circle_id][1] or not self.due(at):
                continue
            if self.now - at > MAX_INVITE_DELAY:
                continue  # after a long stop: too late to invite
            prompt = choose(letter_prompts.INVITATIONS, Phase.FINAL, meeting.number, circle.id or 0)
            for entry in await members.roster(self.session, meeting.circle_id):
                person_id = entry.person.id or 0
                await self._notify(
                    person_id,
                    letters.invitation_key(circle.id or 0, person_id),
                    circle,
                    partial(letters.invitation_text, prompt=prompt),
                )

    async def _first_meetings(self) -> None:
        found = await self._circles_meetings(self.since, self.now + PREVIEW_BEFORE)
        bounds = await meetings.bounds(self.session, [c.id for _, c in found if c.id is not None])
        starting = [
            (circle, meeting)
            for meeting, circle in found
            if meeting.number == bounds[meeting.circle_id][0]
            and meeting.ends_at > self.now  # after a long stop, not to a meeting that is over
            and (self.due(meeting.starts_at - PREVIEW_BEFORE) or self.due(meeting.starts_at))
        ]
        # Letters are chosen when the facilitator's preview is due, so learners hear the same
        # ones; only a circle created after its preview time is matched at the start.
        adding = frozenset(
            circle.id
            for circle, meeting in starting
            if circle.id is not None
            and (
                self.due(meeting.starts_at - PREVIEW_BEFORE)
                or circle.created_at > meeting.starts_at - PREVIEW_BEFORE
            )
        )
        arrivals = await letters.match_for(
            self.session, starting, self.policy.max_circles, self.now, adding
        )
        for arrival in arrivals:
            if not arrival.letters:
                continue
            if self.due(arrival.meeting.starts_at - PREVIEW_BEFORE):
                await self._preview(arrival)
            if self.due(arrival.meeting.starts_at):
                await self._arrive(arrival)

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
                            "For your first meeting: %(n)d letter from a circle that just "
                            "finished somewhere else. You could read it aloud.",
                            "For your first meeting: %(n)d letters from circles that just "
                            "finished somewhere else. You could read them aloud.",
                            len(arrival.letters),
                        ),
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
        for letter in arrival.letters:
            subject = f"letter:{letter.id}"

            def thank(tr: Translator, letter: Letter = letter) -> list[Choice]:
                return [Choice(tr._("Send a thank-you"), f"#{circle.id} /thanks {letter.id}")]

            for entry in roster:
                if entry.membership.role != Role.LEARNER:
                    continue  # facilitators had them two hours ago
                person_id = entry.person.id or 0
                await self._notify(
                    person_id,
                    OutboxKey(
                        MessageKind.LETTER, subject, f"person:{person_id}", f"circle:{circle.id}"
                    ),
                    circle,
                    partial(first_meeting_letter, letter=letter),
                    thank,
                )
            for chat in linked:
                await self._post(
                    OutboxKey(MessageKind.LETTER, subject, f"chat:{chat.platform}:{chat.chat_id}"),
                    Outbound(chat, letters.as_read(group_tr, letter), tuple(thank(group_tr))),
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
                await self._notify(
                    letter.author_id,
                    OutboxKey(
                        MessageKind.LETTER_READ,
                        subject,
                        f"person:{letter.author_id}",
                        f"circle:{circle.id}",
                    ),
                    circle,
                    lambda tr: tr._(
                        "Your letter reached a learning circle in %(place)s today.",
                        place=letters.place(tr, circle.city, circle.country_code),
                    ),
                )

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


def first_meeting_letter(tr: Translator, letter: Letter) -> str:
    return tr._("A letter for your first meeting:") + "\n" + letters.as_read(tr, letter)
