"""/link, /unlink and /prefer: one person across Telegram, Discord, SMS and the console."""

from __future__ import annotations

from bot.chat import keywords
from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.platforms import Platforms
from bot.circles import circles, erasure, joincodes, pairing, seats
from bot.circles.commands import new_number
from bot.circles.pairing import LinkOutcome
from bot.dialogue import confirmations, people
from bot.dialogue.context import Context
from bot.dialogue.registry import Args
from bot.storage.models import Account, Person


def platform_called(tr: Translator, platforms: Platforms, typed: str) -> str:
    """The platform a person names by its key or its display name, in English or their
    language, whatever the case."""
    wanted = typed.strip().casefold()
    for platform in platforms:
        name = platform.display_name
        if wanted in {platform.name, name.casefold(), tr._(name).casefold()}:
            return platform.name
    raise UserError(
        N_("I don't know the platform %(name)s. Try one of: %(names)s."),
        name=typed,
        names=", ".join(tr._(platform.display_name) for platform in platforms),
    )


async def _zone_of(ctx: Context, person: Person) -> str:
    """Where the person's days are: their own zone, else their circle's, else UTC. Just after
    a link, `person` is the one joined, whose circles this message's sender did not yet have
    (walk fac 20: the new app's "last used" dates were a day ahead, in UTC)."""
    if person.timezone:
        return person.timezone
    if person.id == ctx.person_id and ctx.memberships:
        return ctx.memberships[0][1].timezone
    assert person.id is not None
    theirs = await circles.active_memberships(ctx.session, person.id)
    return theirs[0][1].timezone if theirs else "UTC"


def _listing(ctx: Context, accounts: list[Account], zone: str) -> str:
    tr = ctx.tr
    lines = [tr._("Your accounts:")]
    for account in accounts:
        line = tr._(
            "%(platform)s, last used %(date)s",
            platform=ctx.platforms.display_name(tr, account.platform),
            date=tr.date(account.last_seen_at, zone),
        )
        if account.preferred:
            line += " " + tr._("(messages go here)")
        if account.opted_out:
            line += " " + tr._("(stopped)")
        lines.append("- " + line)
    return "\n".join(lines)


async def link(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    if ctx.inbound.is_group:  # a code shown in a group would let anyone there become you
        raise UserError(N_("Please send /link to me in a private chat, not in a group."))
    typed = args.get("code")
    if isinstance(typed, str):
        await _use_code(ctx, typed)
        return
    accounts = await pairing.accounts_of(ctx.session, ctx.person_id)
    code = await pairing.new_code(ctx.session, ctx.person_id, ctx.rng, ctx.now)
    ctx.reply(
        _listing(ctx, accounts, await _zone_of(ctx, ctx.person))
        + "\n\n"
        + tr._(
            "To be you on another app or phone too, send this from there within 10 "
            "minutes:\nLINK %(code)s",
            code=code,
        )
    )


async def _use_code(ctx: Context, typed: str) -> None:
    tr = ctx.tr
    typed, _, answer = typed.strip().partition(" ")
    if answer.strip().casefold() == confirmations.NO:  # a facilitator's move, said no to
        await new_number.move_declined(ctx, typed)
        return
    in_line = await seats.places_of(ctx.session, ctx.person_id)
    result = await pairing.link(ctx.session, ctx.account, ctx.person, typed, ctx.now)
    if result.person is not None and result.person.id != ctx.person_id:
        # This phone's record is merged away, and its places in line with it: the notices
        # that say it waits go without it (sms 10: a member's new phone, moved).
        for _, circle in in_line:
            await seats.left_the_line(ctx.session, ctx.catalogs, circle, ctx.person_id)
    asked = result.code is not None and result.code.asked_by is not None  # /movenumber's
    if result.outcome is LinkOutcome.SLOW_DOWN:
        assert result.wait is not None
        ctx.reply(joincodes.slow_down(tr, result.wait))
    elif result.outcome is LinkOutcome.UNKNOWN:
        ctx.reply(
            tr._(
                "I don't know the code %(code)s. Send /link where you're already set up to get "
                "a new one.",
                code=typed,
            )
        )
    elif result.outcome is LinkOutcome.EXPIRED and asked:
        new_number.move_too_late(ctx)
    elif result.outcome is LinkOutcome.EXPIRED:
        ctx.reply(
            tr._("That code has expired (they last 10 minutes). Send /link again for a new one.")
        )
    elif result.outcome is LinkOutcome.USED:
        ctx.reply(tr._("That code was already used. Send /link again for a new one."))
    elif result.outcome is LinkOutcome.SELF:
        ctx.reply(
            tr._("That code is for this account already. Send it from your other app or phone.")
        )
    elif result.outcome is LinkOutcome.MOVED:  # /newnumber's code, from the new phone
        assert result.person is not None
        if result.person.locale:
            tr = ctx.tr = ctx.catalogs.translator(result.person.locale)
        ctx.reply(
            tr._(
                "Done, %(name)s: your circles and answers are on this number now, and your "
                "old number is no longer linked to you.",
                name=result.person.display_name,
            )
        )
        if asked:
            await new_number.move_confirmed(ctx, result)
    else:
        assert result.person is not None and result.person.id is not None
        accounts = await pairing.accounts_of(ctx.session, result.person.id)
        if not result.person.locale:
            # The language they have been reading so far, not the new app's (walk dede 26:
            # Bo, texted in Danish, got German once linked from a German app).
            result.person.locale = await _read_so_far(ctx, result.person.id, accounts)
            ctx.session.add(result.person)
        if result.person.locale:  # the person it joined has chosen a language: from now on
            tr = ctx.tr = ctx.catalogs.translator(result.person.locale)
        name = result.person.display_name
        ctx.reply(
            (
                # No name of their own yet (a texter): never "You're Circle member here too".
                tr._("Linked! Your circles and answers are the same everywhere.")
                if erasure.nameless(name, ctx.catalogs)
                else tr._(
                    "Linked! You're %(name)s here too: your circles and answers are the same "
                    "everywhere.",
                    name=name,
                )
            )
            + "\n"
            + _listing(ctx, accounts, await _zone_of(ctx, result.person))
            + await _how_back_to_texts(ctx, result.person.id, accounts)
        )


async def _read_so_far(ctx: Context, person_id: int, accounts: list[Account]) -> str | None:
    """The language the bot wrote to the person in before this link: as the router chooses
    it for their other accounts (their hint, else their circle's language); None if those
    said nothing of it."""
    hints = [a.locale_hint for a in accounts if a.id != ctx.account.id and a.locale_hint]
    theirs = await circles.active_memberships(ctx.session, person_id)
    language = theirs[0][1].language if theirs else None
    if not hints and not language:
        return None
    return ctx.catalogs.negotiate(hints[0] if hints else None, language)


async def _how_back_to_texts(ctx: Context, person_id: int, accounts: list[Account]) -> str:
    """After a link, messages go to the account used last: an app, where one was a phone.
    The texter is told how to have them by text again, with the word her phone sends (C46)."""
    reached = await people.preferred_account(ctx.session, person_id)
    phones = [a for a in accounts if ctx.platforms.keywords(a.platform)]
    if reached is None or not phones or any(a.id == reached.id for a in phones):
        return ""
    tr = ctx.tr
    word = keywords.command_word(tr, "prefer") or "/prefer"
    return "\n" + tr._(
        "Messages now come to you on %(here)s. To get them by text again, send %(words)s "
        "from your phone.",
        here=ctx.platforms.display_name(tr, reached.platform),
        words=f"{word} {keywords.texted(ctx.platforms.display_name(tr, phones[0].platform))}",
    )


async def unlink(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    platform = platform_called(tr, ctx.platforms, str(args["platform"]))
    account = await pairing.unlink(ctx.session, ctx.person, platform, ctx.account, ctx.now)
    ctx.reply(
        tr._(
            "Your %(platform)s account is no longer linked. It keeps working on its own, "
            "without your circles.",
            platform=ctx.platforms.display_name(tr, account.platform),
        )
    )


async def prefer(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    platform = platform_called(tr, ctx.platforms, str(args["platform"]))
    account = await pairing.prefer(ctx.session, ctx.person_id, platform)
    text = tr._(
        "From now on, reminders and check-ins come to you on %(platform)s.",
        platform=ctx.platforms.display_name(tr, account.platform),
    )
    if not account.reachable or account.opted_out:
        text += " " + tr._("I can't reach you there right now, so I'll use your other account.")
    ctx.reply(text)
