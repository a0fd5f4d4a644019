"""Leaving a circle: the question /leave asks, the same question for a learner who asks in
words to leave ("please take me off the library group", "quiero salir del grupo": walkthroughs
fac 8, dada 6), and the words a learner who shares kept for her facilitators at her last
check-in, which go on with the news that she left (dada 7: she was told they would see them)."""

from __future__ import annotations

from babel.lists import format_list
from sqlmodel import col, select

from bot.chat import keywords
from bot.chat.i18n import N_
from bot.circles import circles, meetings
from bot.circles.erasure import shown_name
from bot.dialogue import confirmations, members
from bot.dialogue.context import Context
from bot.storage.models import CheckIn, Circle, Membership, Role

LEAVE_FLOW = "leave"

# A reason given with /leave is passed on up to this long.
MAX_LEAVE_REASON_CHARS = 300

# Translators: how a learner asks, in a sentence, to be taken out of her circle ("please take
# me off the library group", "quiero salir del grupo"); comma-separated phrases, matched case,
# accents and spaces aside. Keep the English ones.
LEAVE_WANTED = N_(
    "take me off, I want to leave, I'd like to leave, I would like to leave, remove me from "
    "the group, remove me from the circle, remove me from the class"
)
# Translators: a line of the notice that a learner left: the words she wrote at her last
# check-in, which she shared with her facilitators.
LAST_CHECKIN_WORDS = N_("At their last check-in they wrote: “%(words)s”")


def reason_of(text: str) -> str:
    return " ".join(text.split())[:MAX_LEAVE_REASON_CHARS]


async def ask(ctx: Context, circle: Circle, reason: str = "") -> None:
    """The leave question, "Leave ...? 1 Yes / 2 No" (LEAVE_FLOW, answered by
    membership.leave_answer); a reason goes on with the news that she left, and she is told
    who will read it first."""
    data: dict[str, object] = {"circle": circle.id}
    asked = await _leave_question(ctx, circle)
    if reason:  # passed on with the notice that they left (B38)
        data["reason"] = reason
        asked += await _who_reads_the_reason(ctx, circle)
    confirmations.ask(ctx, LEAVE_FLOW, data, asked)


def wants_to_leave(ctx: Context, text: str) -> bool:
    """Whether `text` asks to be taken out of a circle (LEAVE_WANTED, any shipped language)."""
    typed = keywords.plain(text)
    return any(phrase in typed for phrase in keywords.phrases(ctx.catalogs, LEAVE_WANTED))


async def asked_in_words(ctx: Context, circle_id: int, text: str) -> bool:
    """Words at a check-in of `circle_id` that ask to leave it: the leave question, her words
    as the reason (never filed as the week's words). False for other words, or from someone
    who doesn't learn in that circle."""
    if not wants_to_leave(ctx, text):
        return False
    found = [c for m, c in ctx.memberships if c.id == circle_id and m.role == Role.LEARNER]
    if not found:
        return False
    await ask(ctx, found[0], reason_of(text))
    return True


async def last_checkin_words(ctx: Context, membership: Membership) -> str:
    """The words a learner who shares wrote at the check-in of her circle's latest meeting
    (the one her facilitators haven't read in a digest yet), as long as a reason may be; ""
    when she keeps hers private or wrote none."""
    if not membership.shares_answers:
        return ""
    held = await meetings.held(ctx.session, membership.circle_id, ctx.now)
    if not held:
        return ""
    checkin = (
        await ctx.session.exec(
            select(CheckIn).where(
                CheckIn.meeting_id == held[-1].id,
                CheckIn.person_id == membership.person_id,
                col(CheckIn.answer).is_not(None),
            )
        )
    ).first()
    return reason_of(checkin.answer or "") if checkin is not None else ""


async def _who_reads_the_reason(ctx: Context, circle: Circle) -> str:
    """' Amina will see your reason.': a learner who keeps her answers private learns, before
    saying yes, that her reason goes on with the news (frsw 20); "" when nobody will read it
    (the circle is over: no notice goes)."""
    assert circle.id is not None
    if await meetings.is_over(ctx.session, circle.id, ctx.now):
        return ""
    names = [
        shown_name(ctx.tr, entry.person.display_name, ctx.catalogs)
        for entry in await members.roster(ctx.session, circle.id)
        if entry.membership.role in circles.FACILITATING
    ]
    if not names:
        return ""
    return " " + ctx.tr._(
        "%(names)s will see your reason.", names=format_list(names, locale=ctx.tr.locale)
    )


async def _leave_question(ctx: Context, circle: Circle) -> str:
    name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle)
    return ctx.tr._(
        "Leave %(circle)s? You'll stop getting its reminders and check-ins.", circle=name
    )
