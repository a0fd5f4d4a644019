"""A new phone number: /newnumber NUMBER, sent from the old phone (or any linked app), texts a
code to the new number, and the record moves once the code comes back from there (LINK CODE,
bot/circles/pairing.py link), so nobody can take a number over; /movenumber NAME NUMBER, a
facilitator's for a learner who lost her old phone, moves her at once (asked first), and she
is told on the new number. The facilitator never sees her old number."""

from __future__ import annotations

from collections.abc import Callable

import phonenumbers

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.messages import Address, Outbound
from bot.circles import pairing, phone_numbers
from bot.circles.commands.roles import member_named
from bot.delivery import outbox
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import confirmations, conversations, members, notifications, people
from bot.dialogue.context import Context
from bot.dialogue.members import RosterEntry
from bot.dialogue.registry import Args, usage_of
from bot.storage.models import Account, Person

MOVE = "movenumber"
MOVE_FLOW = "movenumber"


def _number(typed: str, region: str | None, example: str) -> str:
    number = phone_numbers.e164(typed, region)
    if number is None:
        raise UserError(
            N_(
                "%(number)s doesn't look like a phone number. Try it with its country code: "
                "%(example)s"
            ),
            number=typed.strip(),
            example=_local_example(example, region),
        )
    return number


def _local_example(example: str, region: str | None) -> str:
    """`example` with a mobile number of the reader's country in place of the Kenyan one (a
    Bogota learner is shown +57..., not +254...)."""
    local = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if region is None or local is None:
        return example
    e164 = phonenumbers.format_number(local, phonenumbers.PhoneNumberFormat.E164)
    return example.replace("+254712345678", e164)


async def _text(
    ctx: Context,
    account: Account,
    key: OutboxKey,
    render: Callable[[Translator], str],
    language: str | None = None,
) -> bool:
    """A text to this very account (not the person's preferred one: the new number is the
    point), in the person's language; nothing to a number that said STOP."""
    if account.opted_out:
        return False
    person = await ctx.session.get_one(Person, account.person_id)
    tr = ctx.catalogs.translator(
        *await notifications.reader_language(ctx.session, person, account, language)
    )
    message = Outbound(people.private_address(account), render(tr))
    return await outbox.enqueue(ctx.session, key, message, tr.locale, ctx.now)


# -- /newnumber NUMBER: the learner's own ---------------------------------------------------------


async def newnumber(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    old = (
        ctx.account
        if ctx.platforms.phone_numbers(ctx.account.platform)
        else await pairing.phone_account(ctx.session, ctx.person_id, ctx.platforms)
    )
    if old is None:
        raise UserError(
            N_(
                "You don't text me from a phone yet, so there's no number to change. To add "
                "one, send /link here and text the code from that phone."
            )
        )
    region = phone_numbers.region_of(old.external_id)
    number = _number(str(args["number"]), region, "/newnumber +254712345678")
    if number == old.external_id:
        raise UserError(N_("That's the number you use already."))
    code = await pairing.new_code(
        ctx.session, ctx.person_id, ctx.rng, ctx.now, move_from=old, move_to=number
    )
    # To the new number: no name (a mistyped number is a stranger's) and nothing else but how
    # to confirm. It is worth nothing once the code has expired.
    message = Outbound(
        Address(old.platform, number),
        tr._(
            "Someone asked to get their learning circle texts on this phone. If that's you, "
            "reply: /link %(code)s (within 10 minutes). If not, just ignore this.",
            code=code,
        ),
    )
    await outbox.enqueue(
        ctx.session,
        OutboxKey(MessageKind.NUMBER_CODE, f"person:{ctx.person_id}", "new-number", code),
        message,
        tr.locale,
        ctx.now,
        useful_until=ctx.now + pairing.CODE_LIFETIME,
    )
    ctx.reply(
        tr._(
            "I've texted a code to %(number)s. Send it back from that phone within 10 minutes, "
            "and your circles and answers move there.",
            number=phone_numbers.shown(number),
        )
    )


# -- /movenumber NAME NUMBER: a facilitator's, for a learner --------------------------------------


async def movenumber(ctx: Context, args: Args) -> None:
    """Asks first (MOVE_FLOW, answered by move_answer): whoever has the new number becomes the
    learner here."""
    circle, _ = ctx.require_circle()
    said = phone_numbers.name_and_number(str(args["who"]))
    command = ctx.registry.get(MOVE)
    if said is None and command is not None:
        raise usage_of(command, ctx.tr)
    assert said is not None
    who, typed = said
    entry = await member_named(ctx, circle, who, MOVE, after=typed)
    if entry is None:
        return
    number = _number(typed, circle.country_code, "/movenumber Mercy +254712345678")
    await _number_to_move(ctx, entry, number)  # refused now, not after the question
    confirmations.ask(
        ctx,
        MOVE_FLOW,
        {"circle": circle.id, "person": entry.person.id, "number": number},
        _move_question(ctx.tr, entry.person.display_name, number),
    )


async def _number_to_move(ctx: Context, entry: RosterEntry, number: str) -> Account:
    """The member's phone account that moves to `number`; refused when they have none, it is
    theirs already, or someone else has it."""
    assert entry.person.id is not None
    old = await pairing.phone_account(ctx.session, entry.person.id, ctx.platforms)
    name = entry.person.display_name
    if old is None:
        raise UserError(
            N_(
                "%(name)s doesn't text me from a phone, so there's no number to move. They can "
                "add one with /link."
            ),
            name=name,
        )
    if number == old.external_id:
        raise UserError(N_("%(name)s already has that number."), name=name)
    if await pairing.taken_by_another(ctx.session, entry.person.id, old.platform, number):
        raise UserError(
            N_("Someone else uses me from %(number)s, so I can't move %(name)s there."),
            number=phone_numbers.shown(number),
            name=name,
        )
    return old


def _move_question(tr: Translator, name: str, number: str) -> str:
    return tr._(
        "Move %(name)s to %(number)s? Whoever has that phone will be %(name)s here, with their "
        "circles and answers. I'll text them there.",
        name=name,
        number=phone_numbers.shown(number),
    )


async def move_answer(ctx: Context, text: str) -> None:
    """The answer to "Move ... to ...?": yes moves them and tells them on the new number, no
    changes nothing, anything else asks again."""
    data = ctx.conversation.data
    found = [c for _, c in ctx.memberships if c.id == data.get("circle")]
    entries = await members.roster(ctx.session, found[0].id or 0) if found else []
    chosen = [e for e in entries if e.person.id == data.get("person")]
    if not found or not chosen:
        conversations.finish(ctx.conversation, ctx.now)
        raise UserError(N_("That person isn't in the circle any more. Send the command again."))
    circle, entry, number = found[0], chosen[0], str(data.get("number"))
    name = entry.person.display_name
    said = confirmations.read(ctx.tr, text)
    if said is None:
        ctx.reply(_move_question(ctx.tr, name, number), choices=confirmations.choices(ctx.tr))
        return
    conversations.finish(ctx.conversation, ctx.now)
    if not said:
        ctx.reply(ctx.tr._("OK, nothing has changed."))
        return
    assert entry.person.id is not None
    old = await _number_to_move(ctx, entry, number)  # as when asked: it may have changed since
    moved = await pairing.move_number(ctx.session, old, number)
    facilitator = ctx.person.display_name
    await _text(
        ctx,
        moved,
        OutboxKey(
            MessageKind.NUMBER_MOVED,
            f"circle:{circle.id}",
            f"person:{entry.person.id}",
            ctx.occurrence,
        ),
        lambda tr: tr._(
            "%(facilitator)s moved your %(circle)s texts to this phone: your circles and "
            "answers are here, as before.",
            facilitator=facilitator,
            circle=circle.name,
        ),
        circle.language,
    )
    ctx.reply(
        ctx.tr._(
            "Done: I'll text %(name)s at %(number)s from now on, and I've told them there.",
            name=name,
            number=phone_numbers.shown(number),
        )
    )
