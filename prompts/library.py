"""The prompt library's schema, and how a prompt is chosen for a circle's week.

Each kind of prompt lives in its own module (checkin.py, reflection.py, goal.py, letter.py) as a
tuple of `Prompt`. A prompt's text is a gettext msgid marked with N_(), so prompts are extracted
and translated with the code's strings. A prompt's `key` is stored with every answer to it:
never reuse a key for a different text; retire a prompt by deleting it.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Phase(StrEnum):
    """Where a circle is, counted by the meeting that has just happened."""

    FIRST = "first"  # after the first meeting
    EARLY = "early"  # the first half
    MIDDLE = "middle"  # the second half, before the last meeting
    FINAL = "final"  # the last meeting
    AFTER = "after"  # the circle has finished


@dataclass(frozen=True)
class Prompt:
    key: str  # stable and unique within its kind, e.g. "surprised"
    text: str  # a msgid marked with N_()
    phases: tuple[Phase, ...] = tuple(Phase)  # when it fits
    week: int | None = None  # only after this meeting number, when set


def phase_of(number: int, count: int) -> Phase:
    """The phase after meeting `number` of `count` (0 = none yet counts as the first)."""
    if number > count:
        return Phase.AFTER
    if number >= count:  # before FIRST: a one-meeting circle's only meeting is its last
        return Phase.FINAL
    if number <= 1:
        return Phase.FIRST
    return Phase.EARLY if number <= (count + 1) // 2 else Phase.MIDDLE


def candidates(library: Sequence[Prompt], phase: Phase, week: int) -> list[Prompt]:
    """The prompts for this week: ones written for the week itself first, else the phase's."""
    for_week = [p for p in library if p.week == week and phase in p.phases]
    return for_week or [p for p in library if p.week is None and phase in p.phases]


def choose(
    library: Sequence[Prompt],
    phase: Phase,
    week: int,
    circle_id: int,
    used: Collection[str] = (),
) -> Prompt:
    """This week's prompt for a circle: the same for every member, so they can talk about it.

    The phase's prompts are shuffled once per circle and taken in turn, week by week, so a
    circle rarely meets one twice; prompts in `used` (already answered) are passed over.
    """
    options = candidates(library, phase, week)
    if not options:
        raise LookupError(f"no prompt for phase {phase} week {week}")
    random.Random(circle_id).shuffle(options)  # stable per circle, different between circles
    start = week % len(options)
    ordered = options[start:] + options[:start]
    fresh = [p for p in ordered if p.key not in used]
    return (fresh or ordered)[0]


def by_key(library: Sequence[Prompt], key: str) -> Prompt | None:
    return next((p for p in library if p.key == key), None)
