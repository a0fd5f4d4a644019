"""The USSD menu: which screen each input leads to, and what it asks of the core.

A session is a stack of frames (the menu, then what was chosen in it); each input moves the
top one (a page on, a page back, a choice) or adds one. Nothing reaches the core until the
last input of a step: the RSVP is sent when Yes or No is picked, the rating when its number is,
the answer when it is typed. A session the phone drops before that (the operator's timeout, a
call coming in) has changed nothing, and the next one starts at the menu.

    1 Next meeting          /next, the core's answer
    2 Say if you'll come    which circle (when several), then Yes / No: /rsvp yes|no
    3 Rate this week        which circle, then 1-5: /checkin and the rating
    4 Answer a question     the question waiting, then the typed answer
    5 My circles            their names
    6 Join a circle         the typed code: /join CODE
    7 Stop messages         asked first: STOP (when stopped: Start messages again, START)

Everywhere "0" is the next page and "00" the page before (or the screen before).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from adapters.platforms.ussd.desk import Answer, Desk
from adapters.platforms.ussd.screens import BACK, MORE, Option, Screen, clamp, pages
from bot.chat.i18n import N_
from bot.chat.messages import Choice
from bot.core import CircleChoice
from prompts.checkin import RATING_LABELS


class Kind(StrEnum):
    MENU = "menu"
    PICK = "pick"  # which circle, for an RSVP or a rating
    RSVP = "rsvp"
    RATE = "rate"
    ANSWER = "answer"  # typing the answer to the question waiting
    JOIN = "join"  # typing a join code
    STOP = "stop"  # are you sure?
    SAID = "said"  # what the core (or the adapter) answered


NEXT, RSVP, RATE, ANSWER, CIRCLES, JOIN, STOP = range(1, 8)
# Translators: the USSD menu (a phone's screen of 182 characters, 80 with letters such as á or
# ê): the title and all seven items should fit on one screen, so two or three words each.
ITEMS = {
    NEXT: N_("Next meeting"),
    RSVP: N_("Say if you'll come"),
    RATE: N_("Rate this week"),
    ANSWER: N_("Answer a question"),
    CIRCLES: N_("My circles"),
    JOIN: N_("Join a circle"),
    STOP: N_("Stop messages"),
}
START_AGAIN = N_("Start messages again")
TITLE = N_("Learning circle menu")
CHOOSE = N_("Please choose one of the numbers.")
# The words the core knows for these (the SMS carrier keywords and commands).
STOP_WORD, START_WORD = "STOP", "START"


@dataclass(frozen=True)
class Frame:
    kind: Kind
    page: int = 0
    item: int = 0  # PICK: which menu item the circle is for
    circles: tuple[CircleChoice, ...] = ()  # PICK
    circle: CircleChoice | None = None  # RSVP, RATE
    text: str = ""  # ANSWER: the question; SAID: the answer
    choices: tuple[Choice, ...] = ()  # SAID: what the core offered to pick from


@dataclass(frozen=True)
class State:
    """Where a session is after a path: its frames, and whether its last input was not one
    the screen offered."""

    frames: tuple[Frame, ...] = (Frame(Kind.MENU),)
    invalid: bool = False

    @property
    def top(self) -> Frame:
        return self.frames[-1]


def said(answer: Answer) -> Frame:
    return Frame(Kind.SAID, text=answer.text, choices=answer.choices)


def note(desk: Desk, message: str, **params: object) -> Frame:
    """A screen of the adapter's own that ends the session."""
    return Frame(Kind.SAID, text=desk.tr._(message, **params))


def _number(value: str, most: int) -> int | None:
    """`value` as a choice from 1 to `most` (never a long number: it is not one offered)."""
    if value.isdecimal() and len(value) <= 3 and 1 <= int(value) <= most:
        return int(value)
    return None


async def advance(desk: Desk, state: State, value: str, path: str) -> State:
    """The state after one more input, `value`; `path` is the session's inputs so far,
    `value` included (the id of what it sends)."""
    top = state.top
    if value == BACK:
        if top.page > 0:
            return State((*state.frames[:-1], replace(top, page=top.page - 1)))
        return State(state.frames[:-1] or state.frames)
    if value == MORE:
        if top.page + 1 >= len(_layout(desk, state)[0]):
            return state  # no page after this one: the same screen
        return State((*state.frames[:-1], replace(top, page=top.page + 1)))
    following = await _follow(desk, top, value.strip(), path)
    if following is None:  # asked again, from the top of the screen, with a word why
        return State((*state.frames[:-1], replace(top, page=0)), invalid=True)
    if following is _BACK:
        return State(state.frames[:-1] or state.frames)
    return State((*state.frames, following))


_BACK = Frame(Kind.MENU)  # what _follow returns for "No" to a question: the screen before


async def _follow(desk: Desk, top: Frame, value: str, path: str) -> Frame | None:
    """The frame `value` leads to from `top`; None when it is not an input `top` takes."""
    if top.kind is Kind.MENU:
        item = _number(value, len(ITEMS))
        return await _item(desk, item, path) if item else None
    if top.kind is Kind.PICK:
        picked = _number(value, len(top.circles))
        return _about(top.item, top.circles[picked - 1]) if picked else None
    if top.kind is Kind.RSVP and top.circle is not None:
        answer = {1: "yes", 2: "no"}.get(_number(value, 2) or 0)
        if answer is None:
            return None
        return said(await desk.press(path, f"#{top.circle.id} /rsvp {answer}"))
    if top.kind is Kind.RATE and top.circle is not None:
        rating = _number(value, len(RATING_LABELS))
        return await _then(desk, await desk.rate(path, top.circle.id, rating)) if rating else None
    if top.kind is Kind.ANSWER:
        return await _then(desk, await desk.send(path, value)) if value else None
    if top.kind is Kind.JOIN:
        return await _then(desk, await desk.send(path, "/join " + value)) if value else None
    if top.kind is Kind.STOP:
        choice = _number(value, 2)
        if choice == 1:
            return said(await desk.send(path, STOP_WORD))
        return _BACK if choice == 2 else None
    if top.kind is Kind.SAID and top.choices:
        picked = _number(value, len(top.choices))
        if picked is None:
            return None
        return await _then(desk, await desk.press(path, top.choices[picked - 1].payload))
    return None


async def _then(desk: Desk, answer: Answer) -> Frame:
    """What the core answered; when it asked something to write back (the check-in's
    question after the rating, the name and the goal after joining), a screen to type it on,
    so the conversation goes on in the same session."""
    if answer.text and not answer.choices and await desk.newly_asked():
        return Frame(Kind.ANSWER, text=answer.text)
    return said(answer)


async def _item(desk: Desk, item: int, path: str) -> Frame:
    standing = desk.standing
    if item == STOP:
        if standing.opted_out:
            return said(await desk.send(path, START_WORD))
        return Frame(Kind.STOP)
    if item == CIRCLES:
        return await _circles(desk)
    if standing.opted_out:
        # The core answers a number that said STOP with nothing but START and HELP.
        return note(
            desk,
            N_("Your messages are off. Choose %(number)d in the menu to start them again."),
            number=STOP,
        )
    if item == NEXT:
        return said(await desk.ask("/next", path))
    if item == JOIN:
        return Frame(Kind.JOIN)
    if item == ANSWER:
        if standing.question is None:
            return note(desk, N_("No question is waiting for you right now."))
        return Frame(Kind.ANSWER, text=standing.question)
    circles = tuple(await desk.circles())
    if not circles:
        return _not_in_a_circle(desk)
    if len(circles) == 1:
        return _about(item, circles[0])
    return Frame(Kind.PICK, item=item, circles=circles)


def _about(item: int, circle: CircleChoice) -> Frame:
    return Frame(Kind.RSVP if item == RSVP else Kind.RATE, circle=circle)


def _not_in_a_circle(desk: Desk) -> Frame:
    return note(
        desk,
        N_("You're not in a circle yet. Choose %(number)d in the menu to join one with its code."),
        number=JOIN,
    )


async def _circles(desk: Desk) -> Frame:
    circles = await desk.circles()
    if not circles:
        return _not_in_a_circle(desk)
    names = "\n".join(circle.name for circle in circles)
    return Frame(Kind.SAID, text=desk.tr._("Your circles:") + "\n" + names)


def render(desk: Desk, state: State) -> Screen:
    """The screen for `state`, in the person's language."""
    found, ends = _layout(desk, state)
    page = clamp(state.top.page, len(found))
    return Screen(found[page], end=ends and page == len(found) - 1)


def _layout(desk: Desk, state: State) -> tuple[list[str], bool]:
    """The pages of the top frame, and whether its last one ends the session."""
    tr = desk.tr
    top = state.top
    below = len(state.frames) > 1  # there is a screen to go back to
    text = ""
    options: list[Option] = []
    if top.kind is Kind.MENU:
        text = tr._(TITLE)
        options = [Option(str(n), tr._(label)) for n, label in ITEMS.items()]
        if desk.standing.opted_out:
            options[STOP - 1] = Option(str(STOP), tr._(START_AGAIN))
    elif top.kind is Kind.PICK:
        text = tr._("Which circle?")
        options = [Option(str(n), c.name) for n, c in enumerate(top.circles, start=1)]
    elif top.kind is Kind.RSVP and top.circle is not None:
        text = tr._("Will you come to the next meeting of %(circle)s?", circle=top.circle.name)
        options = [Option("1", tr._("Yes")), Option("2", tr._("No"))]
    elif top.kind is Kind.RATE and top.circle is not None:
        text = tr._("How did this week go in %(circle)s?", circle=top.circle.name)
        options = [Option(str(n), tr._(label)) for n, label in enumerate(RATING_LABELS, 1)]
    elif top.kind is Kind.ANSWER:
        text = top.text or tr._("I'm waiting for your answer to my last question.")
        options = [Option("", tr._("Type your answer:"))]
    elif top.kind is Kind.JOIN:
        text = tr._("Type the join code your facilitator gave you:")
    elif top.kind is Kind.STOP:
        text = tr._("Stop all messages from your circle by SMS?")
        options = [Option("1", tr._("Yes, stop them")), Option("2", tr._("No, keep them"))]
    else:
        text = top.text or tr._("Done. Dial again for the menu.")
        options = [Option(str(n), c.label) for n, c in enumerate(top.choices, start=1)]
    if state.invalid:
        text = tr._(CHOOSE) + "\n" + text
    # What the core answered ends the session on its last page, unless it offers choices.
    ends = top.kind is Kind.SAID and not options
    return pages(tr, text, options, back_first=below and not ends, back_last=not ends), ends
