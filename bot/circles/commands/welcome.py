"""/start and /help, /name and /language, and the welcome for someone in no circle yet."""

from __future__ import annotations

import re

from babel import Locale

from bot.chat import keywords
from bot.chat.errors import UserError
from bot.chat.i18n import N_
from bot.chat.messages import Choice
from bot.circles import circles, join_notices, meetings
from bot.circles.commands import membership
from bot.dialogue import people
from bot.dialogue.context import Context
from bot.dialogue.registry import Access, Args
from bot.rhythm.commands import answers
from bot.storage.models import Circle, Membership, Role
from prompts import onboarding

# The commands a member uses most, shown by /start: a learner's, and a facilitator's.
LEARNER_COMMANDS = ("next", "rsvp", "checkin")
FACILITATOR_COMMANDS = ("invite", "attendance", "announce")


async def start(ctx: Context, args: Args) -> None:
    code = args.get("code")
    if code:  # a deep link such as t.me/<bot>?start=<code>
        await membership.join(ctx, {"code": code})
        return
    memberships = await circles.active_memberships(ctx.session, ctx.person_id)
    if memberships:
        await _start_member(ctx, memberships)
        return
    ctx.reply(
        ctx.tr._(onboarding.START, name=ctx.person.display_name),
        choices=[
            Choice(ctx.tr._("Start a circle"), "/newcircle"),
            Choice(ctx.tr._("See all commands"), "/help"),
        ],
    )


async def _start_member(ctx: Context, memberships: list[tuple[Membership, Circle]]) -> None:
    """/start from someone already in a circle: their circle, its next meeting, and the few
    commands they will use (a facilitator's if they run one)."""
    tr = ctx.tr
    name = ctx.person.display_name
    theirs = [circle for _, circle in memberships]
    facilitating = any(Role(m.role) in circles.FACILITATING for m, _ in memberships)
    if len(theirs) == 1:
        greeting = onboarding.FACILITATOR_START if facilitating else onboarding.MEMBER_START
        lines = [tr._(greeting, name=name, circle=theirs[0].name)]
    else:
        lines = [tr._(onboarding.MEMBER_START_SEVERAL, name=name)]
    for circle, shown in zip(theirs, circles.distinct_names(tr, theirs), strict=True):
        assert circle.id is not None
        upcoming = await meetings.upcoming(ctx.session, circle.id, ctx.now)
        text = (
            await membership.describe_meeting(ctx.session, tr, circle, upcoming)
            if upcoming is not None
            else tr._("%(circle)s has no more meetings planned.", circle=shown)
        )
        lines.append(text if len(theirs) == 1 else shown + "\n" + text)
    names = FACILITATOR_COMMANDS if facilitating else LEARNER_COMMANDS
    commands = [command for command in map(ctx.registry.get, names) if command is not None]
    lines.append(
        "\n".join(
            [tr._(onboarding.MEMBER_COMMANDS)]
            + [
                tr._("%(usage)s: %(summary)s", usage=c.usage(tr), summary=tr._(c.summary))
                for c in commands
            ]
            + [tr._(onboarding.MEMBER_HELP)]
        )
    )
    ctx.reply("\n\n".join(lines))


def _says_hello(ctx: Context, text: str) -> bool:
    """Whether a message greets or asks how this works ("hi", "help", "how do I join?")."""
    said = {keywords.plain(word) for word in re.split(r"\W+", text)}
    return bool(said & keywords.words(ctx.tr, onboarding.NEWCOMER_WORDS))


async def newcomer(ctx: Context, text: str, sms: bool) -> bool:
    """Free text the bot has no use for, from someone in no circle yet: a short welcome that
    says what to do next (join with the facilitator's code, or start a circle), or that much
    after "I didn't catch that". False for someone in a circle: not a newcomer."""
    if await circles.active_memberships(ctx.session, ctx.person_id):
        return False
    hello = _says_hello(ctx, text)
    if sms:  # keywords, in one text
        words = {"join": keywords.first_word(ctx.tr, keywords.JOIN), "newcircle": "NEWCIRCLE"}
        message = onboarding.NEWCOMER_SMS if hello else onboarding.NEWCOMER_NOT_UNDERSTOOD_SMS
        ctx.reply(ctx.tr._(message, **words))
        return True
    ctx.reply(ctx.tr._(onboarding.NEWCOMER if hello else onboarding.NEWCOMER_NOT_UNDERSTOOD))
    return True


def access_of(ctx: Context) -> Access:
    """The most a person may do in any of their current circles."""
    roles = {Role(m.role) for m, _ in ctx.memberships}
    if Role.FACILITATOR in roles:
        return Access.LEAD
    if Role.COFACILITATOR in roles:
        return Access.FACILITATOR
    return Access.MEMBER if roles else Access.ANYONE


async def help_(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    wanted = args.get("command")
    if isinstance(wanted, str):
        command = ctx.registry.get(wanted.lstrip("/").casefold())
        if command is None:
            ctx.reply(ctx.registry.unknown(wanted.lstrip("/"), tr))
            return
        lines = [
            tr._("%(usage)s\n%(summary)s", usage=command.usage(tr), summary=tr._(command.summary))
        ]
        for sub in command.subcommands:
            lines.append(
                tr._(
                    "%(usage)s: %(summary)s",
                    usage=command.usage(tr, sub),
                    summary=tr._(sub.summary),
                )
            )
        if command.example:
            lines.append(tr._("For example: %(example)s", example=command.example))
        ctx.reply("\n".join(lines))
        return
    platform = ctx.platforms.get(ctx.inbound.platform)
    files = platform is None or platform.capabilities.files
    usable = [
        command
        for command in ctx.registry.available_to(access_of(ctx))
        if files or not command.files  # a file where none can travel: nothing to offer
    ]
    if platform is not None and platform.keywords:
        # By SMS every line costs: the commands' names, and how to learn more about one.
        ctx.reply(
            tr._(
                "Here's what you can do: %(commands)s. For more about one, send HELP and its "
                "name, for example HELP RSVP.",
                commands=", ".join(command.name.upper() for command in usable),
            )
        )
        return
    lines = [tr._("Here's what you can do:")]
    for command in usable:
        lines.append(
            tr._("%(usage)s: %(summary)s", usage=command.usage(tr), summary=tr._(command.summary))
        )
    ctx.reply("\n".join(lines))


async def name(ctx: Context, args: Args) -> None:
    """What the circle calls you: SMS gives the bot no name, so people say it themselves."""
    chosen = people.clean_name(str(args["name"]), "")
    if not chosen:
        raise UserError(N_("Usage: %(usage)s"), usage="/name NAME")
    ctx.person.display_name = chosen
    ctx.session.add(ctx.person)
    await ctx.session.flush()
    await join_notices.renamed(ctx)
    # The name asked at joining by SMS is answered: the goal question comes next.
    goal = await answers.after_name(ctx)
    ctx.reply("\n\n".join(filter(None, [ctx.tr._(onboarding.NAME_FIRST, name=chosen), goal])))


def _language_names(ctx: Context) -> list[tuple[str, str]]:
    """Each shipped language, named in itself ("Kiswahili", "français")."""
    return [
        (code, Locale.parse(code).get_display_name(code) or code) for code in ctx.catalogs.locales
    ]


async def language(ctx: Context, args: Args) -> None:
    """Choose the language the bot speaks to you, on every platform you use."""
    wanted = args.get("language")
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
