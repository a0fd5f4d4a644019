"""/checkin off and /checkin on: the weekly check-in questions paused in one circle, or back;
/checkin alone asks this week's check-in, as it always did (bot/rhythm/commands/answers.py)."""

from __future__ import annotations

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
        ctx.reply(
            ctx.tr._(
                "Done: no more weekly check-in questions for %(circle)s. Meeting reminders "
                "aren't affected. Send /checkin on to get the questions again.",
                circle=name,
            )
        )
        return
    if not membership.checkins_paused:  # "Yes" to "Keep getting the check-in texts?"
        ctx.reply(
            ctx.tr._("Good: the weekly check-in questions for %(circle)s keep coming.", circle=name)
        )
        return
    await pauses.resume_checkins(ctx.session, membership)
    ctx.reply(
        ctx.tr._(
            "Done: the weekly check-in questions for %(circle)s are back, after each meeting.",
            circle=name,
        )
    )
