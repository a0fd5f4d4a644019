"""Members' notices of changes to when and where their circle meets, gathered: a facilitator
setting a circle up may move, cancel and add several meetings in a few minutes, and a learner on
SMS pays for every text. The first change goes at once; those made within GATHERING_WINDOW of
the last one told wait for it and go as one message ("Changes to Evening Python: meeting 3 is
now Thursday, Mar 12, 6:00 PM; meeting 4 (Thursday, Mar 19, 6:00 PM) is cancelled.").

A change to a meeting about to start (URGENT) goes at once, with what was gathered so far:
a learner must not miss that tonight's meeting moved.

Each member reads the times in a notice as /next tells them (own_zones, Clock): an online
circle's learner who set her own zone, in hers with the zone named (fac 16: "now meets at
6:00 PM" was the circle's time, her 8:00 PM).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil
from zoneinfo import ZoneInfo

from bot.chat.i18n import Translator, format_day
from bot.circles import own_zones
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import members, notifications
from bot.dialogue.context import Context
from bot.storage.models import Circle


@dataclass(frozen=True)
class Clock:
    """How a notice says a meeting's time to one reader: in `zone`, the circle's own (as its
    town reads it, "6:00 PM") or, where `named`, her own (own_zones), with it named as /next
    names it ("8:00 PM (CST)"): the time is hers, not the circle's."""

    zone: str
    named: bool = False

    @staticmethod
    def of(circle: Circle, own: str | None = None) -> Clock:
        """The clock for a reader whose own zone is `own` (Person.timezone); the circle's for
        none, for one that meets in a room, and for the facilitator's replies."""
        zone = own_zones.own_zone(circle, own)
        return Clock(circle.timezone) if zone is None else Clock(zone, named=True)

    def time(self, tr: Translator, instant: datetime) -> str:
        """The time alone: "6:00 PM"; "8:00 PM (CST)" in her own zone."""
        return self._named(tr, instant, tr.time(instant, self.zone))

    def short_when(self, tr: Translator, instant: datetime, named: bool = True) -> str:
        """The day and time, as short_when: "Thursday, Mar 12, 6:00 PM"; in her own zone, named
        unless the sentence names it elsewhere (`named`): "Thursday, Mar 12, 8:00 PM (CDT)"."""
        said = short_when(tr, instant, self.zone)
        return self._named(tr, instant, said) if named else said

    def when(self, tr: Translator, instant: datetime) -> str:
        """The long date, with its zone named whichever it is (Translator.when)."""
        return tr.when(instant, self.zone)

    def _named(self, tr: Translator, instant: datetime, said: str) -> str:
        if not self.named:
            return said
        return tr._("%(time)s (%(zone)s)", time=said, zone=tr.zone_name(instant, self.zone))


# A change's words for one reader, her times said by her clock.
Render = Callable[[Translator, Clock], str]

# Changes made within this long of the last one told go together.
GATHERING_WINDOW = notifications.GATHERING_WINDOW
# A change to a meeting starting within this long is told at once: people are on their way.
URGENT = timedelta(hours=2)


@dataclass(frozen=True)
class Change:
    """One change members hear of.

    `subject` names what it changes ("meeting:12"): a later change to the same thing replaces
    its words. `full` is the notice when it goes alone (its circle named), `part` its words
    among others ("meeting 3 is now ..."). `starts`: when the meetings it touches start, before
    and after, so one about to start is told at once."""

    subject: str
    full: Render
    part: Render
    starts: tuple[datetime, ...] = ()
    # What the subject was and is now, so that changes undoing each other inside the window
    # are not told (notifications.Net); None: always told.
    net: notifications.Net | None = None


@dataclass(frozen=True)
class Told:
    """How many members will hear of a change, and when the last of them will (now, or when
    the notice it was gathered into goes)."""

    reached: int
    at: datetime | None


def short_when(tr: Translator, instant: datetime, zone: str) -> str:
    """A meeting's date and time as a notice says them: "Thursday, Mar 12, 6:00 PM"."""
    local = instant.astimezone(ZoneInfo(zone))
    return ", ".join(
        [format_day(local, "MMMEd", tr.locale, full_weekday=True), tr.time(instant, zone)]
    )


def _together(circle: Circle) -> notifications.Combine:
    def combine(tr: Translator, parts: Sequence[str]) -> str:
        return tr._(
            "Changes to %(circle)s: %(changes)s.", circle=circle.name, changes="; ".join(parts)
        )

    return combine


async def tell(
    ctx: Context, circle: Circle, change: Change, instead: Mapping[int, Change] | None = None
) -> Told:
    """Every member but the sender hears of `change`, gathered with the others made close
    together (see the module); those in `instead` (by person id) hear its words for them."""
    assert circle.id is not None
    urgent = any(start <= ctx.now + URGENT for start in change.starts)
    reached = 0
    latest: datetime | None = None
    for entry in await members.roster(ctx.session, circle.id):
        person_id = entry.person.id
        assert person_id is not None
        if person_id == ctx.person_id:
            continue
        own = (instead or {}).get(person_id, change)
        # The occurrence names the change that opened the notice, and the message that made it.
        key = OutboxKey(
            MessageKind.SCHEDULE_CHANGED,
            f"circle:{circle.id}",
            f"person:{person_id}",
            f"{own.subject}@{ctx.occurrence}",
        )
        clock = Clock.of(circle, entry.person.timezone)
        due = await notifications.gather_change(
            ctx.session,
            ctx.catalogs,
            ctx.now,
            person_id,
            key,
            (own.subject, _read_by(own.full, clock), _read_by(own.part, clock)),
            _together(circle),
            circle.language,
            urgent=urgent,
            net=own.net,
        )
        if due is None:
            continue
        reached += 1
        latest = due if latest is None else max(latest, due)
    return Told(reached, latest)


def _read_by(render: Render, clock: Clock) -> notifications.Render:
    return lambda tr: render(tr, clock)


def meeting_state(starts_at: datetime, on: bool = True) -> str:
    """A meeting as members know it, for notifications.Net: when it starts, and whether it
    takes place."""
    return f"{starts_at.isoformat()}|{'on' if on else 'off'}"


def when_told(tr: Translator, told: Told, now: datetime) -> str:
    """For the facilitator's reply, with its leading space: when members will hear, if not now."""
    if not told.reached or told.at is None or told.at <= now:
        return ""
    minutes = max(1, ceil((told.at - now).total_seconds() / 60))
    return " " + tr.ngettext(
        "They'll hear in %(n)d minute, with any other changes you make meanwhile.",
        "They'll hear in %(n)d minutes, with any other changes you make meanwhile.",
        minutes,
    )
