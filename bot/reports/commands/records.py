"""The learner's own record: /portfolio to take it away, /forget to erase it."""

from __future__ import annotations

from bot.chat.i18n import Translator
from bot.chat.messages import Attachment, Choice
from bot.circles import erasure
from bot.dialogue import conversations
from bot.dialogue.context import Context
from bot.dialogue.registry import Args
from bot.reports import portfolio
from bot.rhythm.commands.answers import yes_or_no

FORGET_FLOW = "forget"


async def portfolio_(ctx: Context, args: Args) -> None:
    text = await portfolio.markdown(ctx.session, ctx.tr, ctx.person)
    if text is None:
        ctx.reply(
            ctx.tr._(
                "Your portfolio is empty so far. It fills up with your goal, check-ins and "
                "reflections (/reflect)."
            )
        )
        return
    # The summary is all an SMS reader gets; chats with files also get the whole record.
    summary = await portfolio.summary(ctx.session, ctx.tr, ctx.person)
    ctx.reply(
        ctx.tr._("Here is your portfolio: everything you wrote, yours to keep.") + "\n" + summary,
        attachments=[Attachment("portfolio.md", "text/markdown", text.encode("utf-8"))],
    )


async def forget(ctx: Context, args: Args) -> None:
    await erasure.check_can_forget(ctx.session, ctx.person)
    conversations.begin(ctx.conversation, FORGET_FLOW, {}, ctx.now)
    ctx.reply(
        ctx.tr._(
            "This deletes everything I know about you: your circles, answers, reflections and "
            "portfolio. It can't be undone. (/portfolio first if you'd like a copy.) Delete it all?"
        ),
        choices=_forget_choices(ctx.tr),
    )


def _forget_choices(tr: Translator) -> list[Choice]:
    return [Choice(tr._("Yes, delete everything"), "yes"), Choice(tr._("No, keep it"), "no")]


async def forget_answer(ctx: Context, text: str) -> None:
    said = yes_or_no(ctx.tr, text)
    if said is None:
        ctx.reply(
            ctx.tr._("Please answer yes or no."),
            choices=_forget_choices(ctx.tr),
        )
        return
    conversations.finish(ctx.conversation, ctx.now)
    if not said:
        ctx.reply(ctx.tr._("OK, nothing was deleted."))
        return
    await erasure.forget(ctx.session, ctx.person)
    ctx.reply(ctx.tr._("Done: everything about you is deleted. Take care, and come back any time."))
