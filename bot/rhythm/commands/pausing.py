"""/checkin off and /checkin on: the weekly check-in questions paused in one circle, or back;
/checkin alone asks this week's check-in, as it always did (bot/rhythm/commands/answers.py)."""

from __future__ import annotations

from babel.lists import format_list

from bot.chat.i18n import N_
from bot.circles import circles
from bot.dialogue import conversations
from bot.dialogue.context import Context
from bot.dialogue.registry import Args
from bot.rhythm import pauses
from bot.rhythm.commands import answers


async def checkin(ctx: Context, args: Args) -> None:
    switch = args.get("switch")
    if switch is None:
        await answers.checkin(ctx, args)
        return
    circle, membership = ctx.require_circle()
    name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle)
    # The 1-5 offered with the last check-in no longer waits for an answer either.
    conversations.offer(ctx.conversation, [])
    if switch == "off":
        await pauses.pause_checkins(ctx.session, membership)
        _switched(ctx, PAUSED, name)
        return
    if not membership.checkins_paused:  # "Yes" to "Keep getting the check-in texts?"
        _switched(ctx, KEPT, name)
        return
    await pauses.resume_checkins(ctx.session, membership)
    _switched(ctx, RESUMED, name)


PAUSED = N_(
    "Done: no more weekly check-in questions for %(circle)s. Meeting reminders aren't "
    "affected. Send /checkin on to get the questions again."
)
KEPT = N_("Good: the weekly check-in questions for %(circle)s keep coming.")
RESUMED = N_("Done: the weekly check-in questions for %(circle)s are back, after each meeting.")


def _switched(ctx: Context, msgid: str, name: str) -> None:
    """Say `msgid` of the circle `name`, and of those this message switched the same way
    before it ("all of them" runs this once a circle): one reply, where each is a paid SMS."""
    names = ctx.switched.setdefault(msgid, [])
    if names:
        before = ctx.tr._(msgid, circle=format_list(names, locale=ctx.tr.locale))
        ctx.replies[:] = [reply for reply in ctx.replies if reply.text != before]
    names.append(name)
    ctx.reply(ctx.tr._(msgid, circle=format_list(names, locale=ctx.tr.locale)))
