"""Who may be drifting away: one definition for /report, the close-out, the team view and the
facilitator digest, so they never name different people.

A current learner who had joined before the second-to-last meeting held with attendance taken
and came to neither of the last two meetings with attendance taken. Two meetings missed in a row
are enough on their own (fac 8): a learner who answers her check-in ("i stopped coming") is
still drifting, and waiting for a third sign flagged her a week late, past the weeks 2-4 when a
word helps most. A meeting nobody recorded attendance for says nothing about who came, so it is
not counted; a learner who said yes to such a meeting after those two is with the group, as far
as anyone knows (C13: "missed the last two meetings" of Sarah, there at the last one, whose
attendance nobody took).

Where attendance was not taken for the last two check-ins' meetings, the digest still names who
went quiet by the check-ins alone (quiet): a current learner asked the last two check-ins that
went out, who answered neither.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from bot.chat.i18n import N_, Translator
from bot.rhythm import checkins
from bot.storage.models import Circle, Meeting

RISK_DEFINITION = N_("missed the last two meetings")
QUIET_DEFINITION = N_("didn't answer the last two check-ins")


def line(tr: Translator, definition: str, names: list[str], over: bool) -> str:
    """Who may be drifting away, as the digest and the reports say it: with how to write to
    one of them (A7); once the circle is over, only who missed the end, no word to win them
    back to a circle that no longer meets (A13)."""
    if over:
        return tr._(
            "Not with the group at the end (%(definition)s): %(names)s.",
            definition=tr._(definition),
            names=", ".join(names),
        )
    return tr._(
        "May be drifting away (%(definition)s): %(names)s. A friendly word might help: send "
        "/reply %(name)s and a few words.",
        definition=tr._(definition),
        names=", ".join(names),
        name=names[0].split()[0],
    )


def drifting(
    circle: Circle,
    joined: Mapping[int, datetime],
    held: list[Meeting],
    came: Mapping[int, set[int]],
    answered: Mapping[int, set[int]],
    now: datetime,
    taken: Collection[int],
    said_yes: Mapping[int, Collection[int]] | None = None,
) -> list[int]:
    """The people among `joined` (current learners -> when they joined) who may be drifting
    away, in `joined`'s order. `came` is by meeting id; `taken` the meetings attendance was
    taken for ("nobody came" among them); `said_yes` by meeting id, who answered "Will you
    come?" with a yes. `circle`, `answered` and `now` no longer decide (fac 8: the meetings
    missed are enough), kept so every caller reads the same call."""
    counted = [m for m in held if m.id in taken]
    if len(counted) < 2:
        return []  # one meeting missed is nothing to worry about yet
    last_two = counted[-2:]
    # Held since, with nobody's attendance taken: a yes to one of them is a sign of coming back
    # that no sheet contradicts (C13).
    since = [m for m in held if m.starts_at > last_two[-1].starts_at and m.id not in taken]
    coming = {p for m in since for p in (said_yes or {}).get(m.id or 0, ())}
    return [
        person_id
        for person_id, joined_at in joined.items()
        if joined_at < last_two[0].starts_at
        and person_id not in coming
        and not any(person_id in came.get(m.id or 0, set()) for m in last_two)
    ]


def quiet(
    circle: Circle,
    joined: Mapping[int, datetime],
    held: list[Meeting],
    answered: Mapping[int, set[int]],
    now: datetime,
    taken: Collection[int],
    unreachable: Collection[int] = (),
) -> list[int]:
    """The people among `joined` quiet by the check-ins alone (see the module's docstring), in
    `joined`'s order; none where attendance was taken for one of the meetings of those two
    check-ins (drifting() judges by it then).
    `unreachable` (who sent STOP) were never asked: not counted as quiet."""
    last_two = quiet_weeks(circle, held, now)
    if len(last_two) < 2:
        return []  # one check-in unanswered is nothing to worry about yet
    if any(m.id in taken for m in last_two):
        # Attendance says more about those weeks: drifting() judges by it. Taken only for
        # earlier weeks, it says nothing about the silence since (D31).
        return []
    return [
        person_id
        for person_id, joined_at in joined.items()
        if joined_at < last_two[0].ends_at
        and person_id not in unreachable
        and not any(person_id in answered.get(m.id or 0, set()) for m in last_two)
    ]


def quiet_weeks(circle: Circle, held: list[Meeting], now: datetime) -> list[Meeting]:
    """The meetings of the last two check-ins that went out (fewer early on): quiet() judges
    by the answers to them."""
    return [m for m in held if checkins.gone_out(circle, m, now)][-2:]
