"""A new phone number: /newnumber NUMBER, sent from the old phone (or any linked app), texts a
code to the new number, and the record moves once the code comes back from there (LINK CODE,
bot/circles/pairing.py link), so nobody can take a number over; /movenumber NAME NUMBER, a
facilitator's for a learner who lost her old phone (asked first), texts the new number a Yes/No
question in her language, and nothing moves until that phone says yes (within 2 days): then
the facilitator is told, and the old number too (not the new one in full). A no is told to the
facilitator. The facilitator never sees her old number."""

from __future__ import annotations

import phonenumbers

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.messages import Address, Choice, Outbound
from bot.circles import pairing, phone_numbers
from bot.circles.commands.roles import member_named
from bot.circles.erasure import unnamed_names
from bot.delivery import outbox
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import confirmations, conversations, members, notifications, people
from bot.dialogue.context import Context
from bot.dialogue.members import RosterEntry
from bot.dialogue.registry import Args, usage_of
from bot.storage.models import Account, Circle, Person

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
    # A mistyped digit can be another learner's number: once she sent the code back (not
    # knowing what it was), her circles and answers became this person's (walkthrough smses 34).
    nameless = frozenset(unnamed_names(ctx.catalogs))
    if await pairing.taken_by_another(ctx.session, ctx.person_id, old.platform, number, nameless):
        raise UserError(
            N_("Someone else uses me from %(number)s, so your texts can't move there."),
            number=phone_numbers.shown(number),
        )
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
    nameless = frozenset(unnamed_names(ctx.catalogs))
    if await pairing.taken_by_another(
        ctx.session, entry.person.id, old.platform, number, nameless
    ):
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
    """The answer to "Move ... to ...?": yes texts the new number a Yes/No question (nothing
    moves until that phone says yes: a mistyped number must not capture her record), no
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
    assert entry.person.id is not None and circle.id is not None
    old = await _number_to_move(ctx, entry, number)  # as when asked: it may have changed since
    there = await people.find_account(ctx.session, old.platform, number)
    if there is not None and there.opted_out:
        raise UserError(
            N_(
                "%(number)s asked me to stop texting it, so I can't ask there. Nothing has changed."
            ),
            number=phone_numbers.shown(number),
        )
    code = await pairing.new_code(
        ctx.session,
        entry.person.id,
        ctx.rng,
        ctx.now,
        move_from=old,
        move_to=number,
        lifetime=pairing.MOVE_LIFETIME,
        asked_by=ctx.person_id,
        circle_id=circle.id,
    )
    # To the new number: who asks, and nothing of hers (a mistyped number is a stranger's);
    # in her language. Its Yes and No answer the code (/link CODE, /link CODE no).
    tr = ctx.catalogs.translator(
        *await notifications.reader_language(ctx.session, entry.person, old, circle.language)
    )
    offered = (
        Choice(tr._(confirmations.YES_LABEL), f"/link {code}"),
        Choice(tr._(confirmations.NO_LABEL), f"/link {code} {confirmations.NO}"),
    )
    message = Outbound(
        Address(old.platform, number),
        tr._(
            "%(facilitator)s from %(circle)s asked me to send a learner's circle texts to this "
            "phone from now on. Is that you? Please answer within 2 days.",
            facilitator=ctx.person.display_name,
            circle=circle.name,
        ),
        offered,
    )
    await outbox.enqueue(
        ctx.session,
        OutboxKey(MessageKind.NUMBER_CODE, f"person:{entry.person.id}", "move-asked", code),
        message,
        tr.locale,
        ctx.now,
        useful_until=ctx.now + pairing.MOVE_LIFETIME,
    )
    # So that "1", "YES" or "NO" texted back picks its answer.
    # The key its private chat will have (a number that never wrote has no account yet).
    there_key = conversations.key_for_account(
        there
        or Account(
            person_id=0,
            platform=old.platform,
            external_id=number,
            address=number,
            created_at=ctx.now,
            last_seen_at=ctx.now,
        )
    )
    await conversations.offer_privately(ctx.session, {there_key: offered}, ctx.now)
    ctx.reply(
        ctx.tr._(
            # No word comes of silence (walk smses 35: "either way" was promised, and two
            # days without an answer said nothing): only of a yes or a no.
            "I've texted %(number)s to check it's %(name)s's phone. Nothing moves until they "
            "answer yes there (within 2 days). I'll tell you when they answer; without an "
            "answer, nothing changes.",
            name=name,
            number=phone_numbers.shown(number),
        )
    )


# -- the new phone's answer to a facilitator's move (/link CODE, /link CODE no) -----------------


def _number_end(number: str) -> str:
    """The last digits of a number, all a message to another phone may show of it."""
    return number[-3:]


async def move_confirmed(ctx: Context, result: pairing.LinkResult) -> None:
    """The new phone said yes to a facilitator's move, and it was made (pairing.link): the
    facilitator is told, and so is the old number (not the new one in full)."""
    row, person = result.code, result.person
    assert row is not None and person is not None and person.id is not None
    circle = await ctx.session.get(Circle, row.circle_id) if row.circle_id else None
    asked_by = await ctx.session.get(Person, row.asked_by) if row.asked_by else None
    facilitator = asked_by.display_name if asked_by is not None else ""
    number = ctx.account.external_id
    if asked_by is not None and asked_by.id is not None:
        await notifications.notify(
            ctx.session,
            ctx.catalogs,
            ctx.now,
            asked_by.id,
            OutboxKey(MessageKind.NUMBER_MOVED, f"person:{person.id}", "move-done", row.code),
            lambda tr: tr._(
                "%(name)s said yes from %(number)s: I'll text them there from now on.",
                name=person.display_name,
                number=phone_numbers.shown(number),
            ),
            circle.language if circle is not None else None,
        )
    if result.old_address is not None:
        tr = ctx.catalogs.translator(
            *await notifications.reader_language(
                ctx.session, person, ctx.account, circle.language if circle else None
            )
        )
        message = Outbound(
            Address(ctx.account.platform, result.old_address),
            tr._(
                "Your learning circle texts now go to your new phone (number ending "
                "%(end)s), as %(facilitator)s asked. If that's a mistake, please talk to "
                "%(facilitator)s.",
                end=_number_end(number),
                facilitator=facilitator,
            ),
        )
        await outbox.enqueue(
            ctx.session,
            OutboxKey(MessageKind.NUMBER_MOVED, f"person:{person.id}", "old-number", row.code),
            message,
            tr.locale,
            ctx.now,
        )


async def move_declined(ctx: Context, typed: str) -> None:
    """The new phone said no to a facilitator's move: nothing moves, and the facilitator is
    told to check the number."""
    row = await pairing.pending_move(ctx.session, ctx.account, typed)
    if row is None:
        ctx.reply(ctx.tr._("OK, nothing has changed."))
        return
    if row.expires_at <= ctx.now:
        move_too_late(ctx)
        return
    await pairing.decline(ctx.session, row, ctx.now)
    ctx.reply(ctx.tr._("Thanks for telling me. Nothing has changed, and I won't ask again."))
    learner = await ctx.session.get(Person, row.person_id)
    circle = await ctx.session.get(Circle, row.circle_id) if row.circle_id else None
    if row.asked_by is None or learner is None:
        return
    number = ctx.account.external_id
    await notifications.notify(
        ctx.session,
        ctx.catalogs,
        ctx.now,
        row.asked_by,
        OutboxKey(MessageKind.NUMBER_MOVED, f"person:{row.person_id}", "move-refused", row.code),
        lambda tr: tr._(
            "The phone at %(number)s says it isn't %(name)s's, so nothing has moved. Please "
            "check the number with them.",
            number=phone_numbers.shown(number),
            name=learner.display_name,
        ),
        circle.language if circle is not None else None,
    )


def move_too_late(ctx: Context) -> None:
    """A yes or no to a facilitator's move after MOVE_LIFETIME: nothing moves."""
    ctx.reply(
        ctx.tr._(
            "Sorry, that question has expired, so nothing has changed. If you still want your "
            "circle texts here, ask your facilitator to send it again."
        )
    )
