"""/start and /help."""

from __future__ import annotations

from bot import circles
from bot.commands import Access, Args
from bot.context import Context
from bot.handlers import membership
from bot.messages import Choice
from bot.storage.models import Role
from prompts import onboarding


async def start(ctx: Context, args: Args) -> None:
    code = args.get("CODE")
    if code:  # a deep link such as t.me/<bot>?start=<code>
        await membership.join(ctx, {"CODE": code})
        return
    ctx.reply(
        ctx.tr._(onboarding.START, name=ctx.person.display_name),
        choices=[
            Choice(ctx.tr._("Start a circle"), "/newcircle"),
            Choice(ctx.tr._("See all commands"), "/help"),
        ],
    )


async def access_of(ctx: Context) -> Access:
    """The most a person may do in any of their current circles."""
    roles = {Role(m.role) for m, _ in await circles.active_memberships(ctx.session, ctx.person_id)}
    if Role.FACILITATOR in roles:
        return Access.LEAD
    if Role.COFACILITATOR in roles:
        return Access.FACILITATOR
    return Access.MEMBER if roles else Access.ANYONE


async def help_(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    wanted = args.get("COMMAND")
    if isinstance(wanted, str):
        command = ctx.registry.get(wanted.lstrip("/").casefold())
        if command is None:
            ctx.reply(ctx.registry.unknown(wanted.lstrip("/"), tr))
            return
        ctx.reply(
            tr._("%(usage)s\n%(summary)s", usage=command.usage(tr), summary=tr._(command.summary))
        )
        return
    lines = [tr._("Here's what you can do:")]
    for command in ctx.registry.available_to(await access_of(ctx)):
        lines.append(
            tr._("%(usage)s: %(summary)s", usage=command.usage(tr), summary=tr._(command.summary))
        )
    ctx.reply("\n".join(lines))
