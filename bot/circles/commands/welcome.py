"""/start and /help."""

from __future__ import annotations

from babel import Locale

from bot.chat.errors import UserError
from bot.chat.i18n import N_
from bot.chat.messages import Choice
from bot.circles import circles
from bot.circles.commands import membership
from bot.dialogue import people
from bot.dialogue.context import Context
from bot.dialogue.registry import Access, Args
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


async def name(ctx: Context, args: Args) -> None:
    """What the circle calls you: SMS gives the bot no name, so people say it themselves."""
    chosen = people.clean_name(str(args["NAME"]), "")
    if not chosen:
        raise UserError(N_("Usage: %(usage)s"), usage="/name NAME")
    ctx.person.display_name = chosen
    ctx.session.add(ctx.person)
    ctx.reply(
        ctx.tr._("Nice to meet you, %(name)s! That's what your circle will see.", name=chosen)
    )


def _language_names(ctx: Context) -> list[tuple[str, str]]:
    """Each shipped language, named in itself ("Kiswahili", "français")."""
    return [
        (code, Locale.parse(code).get_display_name(code) or code) for code in ctx.catalogs.locales
    ]


async def language(ctx: Context, args: Args) -> None:
    """Choose the language the bot speaks to you, on every platform you use."""
    wanted = args.get("LANGUAGE")
    names = _language_names(ctx)
    if not isinstance(wanted, str):
        ctx.reply(
            ctx.tr._("Which language would you like? Reply with a number or a code like es."),
            choices=[Choice(name, f"/language {code}") for code, name in names],
        )
        return
    typed = wanted.strip().casefold()
    chosen = next((code for code, name in names if typed in {code, name.casefold()}), None) or next(
        (code for code in ctx.catalogs.locales if typed.split("-")[0] == code), None
    )
    if chosen is None:
        raise UserError(
            N_("I don't speak %(language)s yet. I can use: %(languages)s."),
            language=wanted,
            languages=", ".join(f"{name} ({code})" for code, name in names),
        )
    ctx.person.locale = chosen
    ctx.session.add(ctx.person)
    tr = ctx.catalogs.translator(chosen)
    ctx.tr = tr  # the reply is fitted in the new language too
    ctx.reply(tr._("From now on I'll write to you in English."))
