"""Who runs a circle, and who is in it: /cofacilitator NAME (and /cofacilitator remove NAME,
after asking: STEP_DOWN_FLOW), /handover NAME (after asking: HANDOVER_FLOW), /stepin (back in
after stepping out for now), /remove NAME (REMOVE_FLOW)."""

from __future__ import annotations

from datetime import timedelta

from babel.lists import format_list

from bot.chat import keywords
from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.messages import Choice
from bot.circles import circles, defaults, join_notices, meetings, roles, seats
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import confirmations, conversations, members
from bot.dialogue.context import Context
from bot.dialogue.members import RosterEntry
from bot.dialogue.registry import Args, usage_of
from bot.rhythm import questions
from bot.rhythm.commands import answers
from bot.storage.models import Circle, QuestionKind, Role

COFACILITATOR = "cofacilitator"
HANDOVER_FLOW = "handover"
# "/cofacilitator remove NAME": stay on as a learner, or leave the circle? A facilitator
# handing over usually steps away; as a learner she would get its reminders and check-ins.
STEP_DOWN_FLOW = "cofacilitator-remove"
AS_LEARNER = "learner"
TAKEN_OFF = "off"


async def member_named(
    ctx: Context,
    circle: Circle,
    who: str,
    command: str,
    to_join: bool = False,
    after: str = "",
) -> RosterEntry | None:
    """The member `who` names (circles.members_called, else members.called); where two
    match ("Elodie": Élodie and Elodie), None, and the person is asked which one, each choice
    sending `command` again with a roster number (then `after`, the rest of the command).
    `to_join`: someone not in the circle yet is told the way in (a co-facilitator joins as
    everyone does first)."""
    assert circle.id is not None
    entries = await members.roster(ctx.session, circle.id)
    # Their number, their name, else the start of it: "aminata" for Aminata Diop.
    matches = circles.members_called(entries, who) or members.called(entries, who)
    if len(matches) == 1 and entries[matches[0] - 1].person.id == ctx.person_id:
        if command.split()[0] in {COFACILITATOR, "remove", "handover"}:
            # Her own name (G4, A27): not a loop of commands that don't apply to her.
            raise UserError(
                N_(
                    "That's you: you help run %(circle)s. To step back, hand it over with "
                    "/handover NAME, or /delete it if it hasn't met yet."
                ),
                circle=await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle),
            )
    if len(matches) == 1:
        return entries[matches[0] - 1]
    if not matches and to_join:
        raise UserError(
            N_(
                "No one called %(name)s is in %(circle)s yet. A co-facilitator joins first, "
                "like everyone: ask them to send /join %(code)s (they can /skip the questions "
                "that follow). Then send /cofacilitator %(name)s again."
            ),
            name=who.strip(),
            circle=await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle),
            code=circle.join_code,
        )
    if not matches:
        raise UserError(
            N_("No one called %(name)s is in %(circle)s. See /roster."),
            name=who.strip(),
            circle=await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle),
        )
    ctx.reply(
        ctx.tr._("Which %(name)s do you mean?", name=who.strip()),
        choices=[
            Choice(
                ctx.tr._(
                    "%(name)s, %(role)s (no. %(number)d in /roster)",
                    name=entries[n - 1].person.display_name,
                    role=circles.role_name(ctx.tr, entries[n - 1].membership.role),
                    number=n,
                ),
                f"#{circle.id} /{command} {n} {after}".rstrip(),
            )
            for n in matches
        ],
    )
    return None


async def cofacilitator(ctx: Context, args: Args) -> None:
    """/cofacilitator NAME or /cofacilitator add NAME; /cofacilitator remove NAME."""
    typed = str(args["name"]).strip()
    command = ctx.registry.get(COFACILITATOR)
    sub = command.subcommand(ctx.tr, typed) if command is not None else None
    words = typed.split(maxsplit=1)
    if sub is not None and command is not None and len(words) < 2:
        raise usage_of(command, ctx.tr, sub)
    if sub is not None:
        typed = words[1]  # "remove Grace": the sub-command's word, then the name
    if sub is not None and sub.name == "remove":
        await _remove(ctx, typed)
    else:
        await _add(ctx, typed)


async def _add(ctx: Context, who: str) -> None:
    circle, _ = ctx.require_circle()
    entry = await member_named(ctx, circle, who, f"{COFACILITATOR} add", to_join=True)
    if entry is None:
        return
    await circles.make_cofacilitator(ctx.session, entry, ctx.now)
    # Capacity counts learners only: her seat is free now, and goes to the first waiting.
    await seats.offer_free_seats(ctx.session, ctx.catalogs, ctx.now, circle)
    assert entry.person.id is not None
    # A join notice still waiting that names her counts her as a learner no longer.
    await join_notices.rewrite(ctx.session, ctx.catalogs, circle, entry.person.id)
    await ctx.notify(
        entry.person.id,
        OutboxKey(
            MessageKind.COFACILITATOR,
            f"circle:{circle.id}",
            f"person:{entry.person.id}",
            ctx.occurrence,
        ),
        lambda tr: tr._(
            "%(facilitator)s has made you a co-facilitator of %(circle)s. Send /help to see "
            "the facilitator commands.",
            facilitator=ctx.person.display_name,
            circle=circle.name,
        ),
    )
    asked = await _sharing_asked_again(ctx, circle, entry)
    ctx.reply(
        ctx.tr._(
            "%(name)s now co-facilitates %(circle)s.",
            name=entry.person.display_name,
            circle=await circles.name_for(
                ctx.session, ctx.tr, ctx.person_id, circle, group=ctx.inbound.is_group
            ),
        )
    )
    if asked:
        # Her digest keeps their words; only the new co-facilitator waits for their yes (A6).
        ctx.reply(
            ctx.tr.ngettext(
                "%(names)s lets you read their written check-ins, and still does. I've asked "
                "them whether %(name)s may read them too; until they say yes, %(name)s won't "
                "see them.",
                "%(names)s let you read their written check-ins, and still do. I've asked "
                "them whether %(name)s may read them too; until they say yes, %(name)s won't "
                "see them.",
                len(asked),
                names=format_list(asked, locale=ctx.tr.locale),
                name=entry.person.display_name,
            )
        )


# Translators: to a learner who let the facilitators read her written check-in answers, when a
# fellow learner is made co-facilitator: a short yes/no question (Yes and No follow as choices;
# on SMS "Reply 1 for Yes or 2 for No"). %(name)s: the new co-facilitator; %(others)s: those
# she already said yes to ("Rosa and Luis"), who still can.
SHARING_ASKED_AGAIN = N_(
    "%(name)s now helps run %(circle)s. May %(name)s read your check-ins too? %(others)s still "
    "can; until you say yes, %(name)s won't see them."
)
# How long that question waits for the learner's yes or no.
SHARING_ASKED_FOR = timedelta(days=2)


async def _sharing_asked_again(ctx: Context, circle: Circle, made: RosterEntry) -> list[str]:
    """The learners who share their written answers said yes to the facilitators they knew,
    not to a fellow learner now made co-facilitator (`made`): those facilitators keep reading
    them, the new one doesn't (Membership.shared_with), and each is asked, yes or no, whether
    the new one may too (a YES or SI answers it: the sharing question). Their names, for the
    facilitator."""
    assert circle.id is not None
    roster = await members.roster(ctx.session, circle.id)
    others = [
        e.person.display_name
        for e in roster
        if e.membership.role in circles.FACILITATING and e.person.id != made.person.id
    ]
    name = made.person.display_name
    asked: list[str] = []
    for entry in roster:
        membership, person_id = entry.membership, entry.person.id
        if membership.role != Role.LEARNER or not membership.shares_answers or person_id is None:
            continue
        question = await questions.ask(
            ctx.session,
            person_id,
            circle,
            QuestionKind.SHARE,
            answers.SHARE_AFTER_SKIP_KEY,
            ctx.now,
        )
        question.expires_at = ctx.now + SHARING_ASKED_FOR
        ctx.session.add(question)
        asked.append(entry.person.display_name)
        key = OutboxKey(
            MessageKind.COFACILITATOR, f"circle:{circle.id}", f"person:{person_id}", ctx.occurrence
        )
        await ctx.notify(
            person_id,
            key,
            lambda tr: tr._(
                SHARING_ASKED_AGAIN,
                name=name,
                circle=circle.name,
                others=format_list(others, locale=tr.locale),
            ),
            answers.share_choices,
        )
    return asked


async def _remove(ctx: Context, who: str) -> None:
    """Asks first: stay on as a learner, or off the circle (STEP_DOWN_FLOW)."""
    circle, _ = ctx.require_circle()
    entry = await member_named(ctx, circle, who, f"{COFACILITATOR} remove")
    if entry is None:
        return
    roles.check_cofacilitator(entry)  # refused now, not after the question
    assert circle.id is not None
    conversations.begin(
        ctx.conversation,
        STEP_DOWN_FLOW,
        {"circle": circle.id, "person": entry.person.id},
        ctx.now,
    )
    ctx.reply(await _step_down_question(ctx, circle, entry), choices=_step_down_choices(ctx.tr))


async def _step_down_question(ctx: Context, circle: Circle, entry: RosterEntry) -> str:
    return ctx.tr._(
        "%(name)s will stop helping run %(circle)s. Keep them in it as a learner (they'll get "
        "its reminders and check-ins), or take them off it? Only they are told.",
        name=entry.person.display_name,
        circle=await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle),
    )


def _step_down_choices(tr: Translator) -> list[Choice]:
    # Translators: short: on SMS these read "Reply 1 for As a learner or 2 for Off the circle".
    return [Choice(tr._("As a learner"), AS_LEARNER), Choice(tr._("Off the circle"), TAKEN_OFF)]


async def step_down_answer(ctx: Context, text: str) -> None:
    """The answer to "Keep them in it as a learner, or take them off it?"; no keeps them
    co-facilitating, anything else asks again."""
    data = ctx.conversation.data
    found = [(m, c) for m, c in ctx.memberships if c.id == data.get("circle")]
    entries = await members.roster(ctx.session, found[0][1].id or 0) if found else []
    chosen = [e for e in entries if e.person.id == data.get("person")]
    if not found or not chosen:
        conversations.finish(ctx.conversation, ctx.now)
        raise UserError(N_("That person isn't in the circle any more. Send the command again."))
    (_, circle), entry = found[0], chosen[0]
    name = entry.person.display_name
    typed = keywords.plain(text)
    if typed not in (AS_LEARNER, TAKEN_OFF):
        if typed in keywords.words(ctx.tr, keywords.NO):
            conversations.finish(ctx.conversation, ctx.now)
            ctx.reply(
                ctx.tr._(
                    "OK, %(name)s still co-facilitates %(circle)s.", name=name, circle=circle.name
                )
            )
            return
        ctx.reply(await _step_down_question(ctx, circle, entry), choices=_step_down_choices(ctx.tr))
        return
    conversations.finish(ctx.conversation, ctx.now)
    roles.check_cofacilitator(entry)  # changed meanwhile: said, nothing done
    assert circle.id is not None and entry.person.id is not None
    facilitator = ctx.person.display_name
    if typed == TAKEN_OFF:
        # As /remove takes a learner off: only they are told, the circle hears nothing.
        await circles.leave(ctx.session, ctx.now, entry.membership)
        await seats.offer_free_seats(ctx.session, ctx.catalogs, ctx.now, circle)
        defaults.left(ctx.session, entry.person, circle)
        await confirmations.tell(
            ctx,
            circle,
            entry.person.id,
            MessageKind.MEMBER_LEFT,
            lambda tr: tr._(
                "%(facilitator)s runs %(circle)s from here, so you're off it now. Thank you "
                "for helping run it!",
                facilitator=facilitator,
                circle=circle.name,
            ),
        )
        ctx.reply(ctx.tr._("%(name)s is off %(circle)s now.", name=name, circle=circle.name))
        return
    await roles.remove_cofacilitator(ctx.session, entry)
    await confirmations.tell(
        ctx,
        circle,
        entry.person.id,
        MessageKind.COFACILITATOR_REMOVED,
        lambda tr: tr._(
            "You're a learner in %(circle)s now: %(facilitator)s runs it from here. Thank you "
            "for helping!",
            facilitator=facilitator,
            circle=circle.name,
        ),
    )
    ctx.reply(
        ctx.tr._(
            "%(name)s is a learner in %(circle)s now.",
            name=name,
            circle=await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle),
        )
    )


async def handover(ctx: Context, args: Args) -> None:
    """Asks first (README): the circle changes hands, and the other person is told."""
    circle, lead = ctx.require_circle()
    entry = await member_named(ctx, circle, str(args["name"]), "handover")
    if entry is None:
        return
    roles.check_handover(lead, entry)  # refused now, not after the question
    conversations.begin(
        ctx.conversation, HANDOVER_FLOW, {"circle": circle.id, "person": entry.person.id}, ctx.now
    )
    ctx.reply(await _handover_question(ctx, circle, entry), choices=_handover_choices(ctx.tr))


# The third answer to /handover: hand it over and leave it (ill, away), so that nothing of the
# circle (reminders, "who came?") reaches her meanwhile. She can /join it again later.
STEP_OUT = "stepout"
STEP_OUT_LABEL = N_("Yes, and I'll step out for now")


def _handover_choices(tr: Translator) -> list[Choice]:
    # "2" stays no, as in every other question.
    return [
        Choice(tr._("Yes, I'll co-facilitate"), confirmations.YES),
        Choice(tr._(confirmations.NO_LABEL), confirmations.NO),
        Choice(tr._(STEP_OUT_LABEL), STEP_OUT),
    ]


async def _handover_question(ctx: Context, circle: Circle, entry: RosterEntry) -> str:
    """Says who will be told: the new facilitator, and the learners while meetings remain."""
    assert circle.id is not None
    name = entry.person.display_name
    learners = 0
    if not await meetings.is_over(ctx.session, circle.id, ctx.now):
        roster = await members.roster(ctx.session, circle.id)
        others = [e for e in roster if e.person.id != entry.person.id]
        learners = sum(1 for e in others if e.membership.role == Role.LEARNER)
    told = (
        ctx.tr.ngettext(
            "%(name)s and your %(n)d learner will be told.",
            "%(name)s and your %(n)d learners will be told.",
            learners,
            name=name,
        )
        if learners
        else ctx.tr._("%(name)s will be told.", name=name)
    )
    return ctx.tr._(
        "Hand %(circle)s over to %(name)s? They'll be its facilitator, and you can "
        "co-facilitate it or step out for now. %(told)s",
        circle=await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle),
        name=name,
        told=told,
    )


async def stepin(ctx: Context, args: Args) -> None:
    """Back into the circle she stepped out of for now (/handover), as its co-facilitator:
    its messages reach her again, and its facilitator is told."""
    away = await roles.stepped_out(ctx.session, ctx.person_id, ctx.now)
    ended = (
        None if away else await roles.stepped_out_of_finished(ctx.session, ctx.person_id, ctx.now)
    )
    if ended is not None:
        # She did step out; it is the circle that is gone (dede 37).
        raise UserError(
            N_("%(circle)s has finished, so there is nothing to step back into."),
            circle=ended.name,
        )
    if not away:
        raise UserError(
            N_(
                "You haven't stepped out of a circle you help run. To join a circle, send "
                "/join CODE."
            )
        )
    membership, circle = away[0]
    roles.step_in(ctx.session, membership)
    assert circle.id is not None
    back = ctx.person.display_name
    lead = [
        entry
        for entry in await members.roster(ctx.session, circle.id)
        if entry.membership.role == Role.FACILITATOR and entry.person.id is not None
    ]
    for entry in lead:
        assert entry.person.id is not None
        await confirmations.tell(
            ctx,
            circle,
            entry.person.id,
            MessageKind.COFACILITATOR,
            lambda tr: tr._(
                "%(name)s is back in %(circle)s and co-facilitates it again.",
                name=back,
                circle=circle.name,
            ),
        )
    ctx.reply(
        ctx.tr._(
            "Welcome back! You co-facilitate %(circle)s again, and its messages reach you. "
            "%(facilitator)s facilitates it; to lead it again, ask them to /handover it to you.",
            circle=circle.name,
            facilitator=lead[0].person.display_name if lead else "",
        )
        if lead
        else ctx.tr._(
            "Welcome back! You co-facilitate %(circle)s again, and its messages reach you.",
            circle=circle.name,
        )
    )


async def handover_answer(ctx: Context, text: str) -> None:
    """The answer to "Hand ... over to ...?": yes hands it over, no keeps it, anything else
    asks again."""
    data = ctx.conversation.data
    found = [(m, c) for m, c in ctx.memberships if c.id == data.get("circle")]
    entries = (
        await members.roster(ctx.session, found[0][1].id or 0) if found else []
    )  # the person may have left meanwhile
    chosen = [e for e in entries if e.person.id == data.get("person")]
    if not found or not chosen:
        conversations.finish(ctx.conversation, ctx.now)
        raise UserError(N_("That person isn't in the circle any more. Send the command again."))
    (lead, circle), entry = found[0], chosen[0]
    typed = keywords.plain(text)
    step_out_words = {STEP_OUT, "3", keywords.plain(ctx.tr._(STEP_OUT_LABEL))}
    stepping_out = typed in step_out_words
    said = True if stepping_out else confirmations.read(ctx.tr, text)
    if said is None:
        ctx.reply(await _handover_question(ctx, circle, entry), choices=_handover_choices(ctx.tr))
        return
    conversations.finish(ctx.conversation, ctx.now)
    name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle)
    if not said:
        ctx.reply(ctx.tr._("OK, you still facilitate %(circle)s.", circle=name))
        return
    ctx.circle, ctx.membership = circle, lead
    previous = ctx.person.display_name
    await roles.hand_over(ctx.session, lead, entry)
    assert circle.id is not None and entry.person.id is not None
    await confirmations.tell(
        ctx,
        circle,
        entry.person.id,
        MessageKind.HANDED_OVER,
        lambda tr: (
            tr._(
                "%(facilitator)s has handed %(circle)s over to you and stepped out for now: "
                "you're its facilitator. Send /help to see what you can do.",
                facilitator=previous,
                circle=circle.name,
            )
            if stepping_out
            else tr._(
                "%(facilitator)s has handed %(circle)s over to you: you're its facilitator now, "
                "and %(facilitator)s co-facilitates. Send /help to see what you can do.",
                facilitator=previous,
                circle=circle.name,
            )
        ),
    )
    if stepping_out:
        # Off the circle: no reminders, check-ins or "who came?" while she is away.
        await circles.leave(ctx.session, ctx.now, lead)
        defaults.left(ctx.session, ctx.person, circle)
    if not await meetings.is_over(ctx.session, circle.id, ctx.now) and stepping_out:
        lead_name = entry.person.display_name
        await ctx.notify_members(
            circle,
            (Role.LEARNER, Role.COFACILITATOR),
            MessageKind.HANDED_OVER,
            ctx.occurrence,
            lambda tr: tr._(
                "%(facilitator)s now leads %(circle)s. Your messages reach them.",
                facilitator=lead_name,
                circle=circle.name,
            ),
        )
    elif not await meetings.is_over(ctx.session, circle.id, ctx.now):
        # Learners kept writing to the old facilitator: they hear who leads now.
        lead_name = entry.person.display_name
        await ctx.notify_members(
            circle,
            (Role.LEARNER, Role.COFACILITATOR),
            MessageKind.HANDED_OVER,
            ctx.occurrence,
            lambda tr: tr._(
                "%(facilitator)s now leads %(circle)s, and %(previous)s stays on as "
                "co-facilitator. Your messages reach them both.",
                facilitator=lead_name,
                circle=circle.name,
                previous=previous,
            ),
        )
    if stepping_out:
        ctx.reply(
            ctx.tr._(
                "%(name)s now facilitates %(circle)s, and you're off it for now: none of its "
                "messages will reach you. To step back in as co-facilitator, send /stepin.",
                name=entry.person.display_name,
                circle=name,
            )
        )
        return
    ctx.reply(
        ctx.tr._(
            "%(name)s now facilitates %(circle)s, and you co-facilitate it.",
            name=entry.person.display_name,
            circle=name,
        )
    )


# -- /remove NAME: a learner off the roster -----------------------------------------------------

REMOVE = "remove"
REMOVE_FLOW = "remove"


async def remove(ctx: Context, args: Args) -> None:
    """/remove NAME asks first: someone gone in all but name (they sent STOP, moved away) drops
    out of the attendance lists and counts. Only they are told; the circle hears nothing."""
    circle, _ = ctx.require_circle()
    entry = await member_named(ctx, circle, str(args["name"]), REMOVE)
    if entry is None:
        return
    if entry.membership.role != Role.LEARNER:
        raise UserError(
            N_(
                "%(name)s helps run %(circle)s. Make them a learner first with "
                "/cofacilitator remove %(name)s."
            ),
            name=entry.person.display_name,
            circle=circle.name,
        )
    confirmations.ask(
        ctx,
        REMOVE_FLOW,
        {"circle": circle.id, "person": entry.person.id},
        await _remove_question(ctx, circle, entry),
    )


async def _remove_question(ctx: Context, circle: Circle, entry: RosterEntry) -> str:
    return ctx.tr._(
        "Take %(name)s off %(circle)s? They stop getting its messages and leave its lists and "
        "counts. Only they are told.",
        name=entry.person.display_name,
        circle=await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle),
    )


async def remove_answer(ctx: Context, text: str) -> None:
    """The answer to "Take ... off ...?": yes takes them off, no keeps them."""
    data = ctx.conversation.data
    found = [c for m, c in ctx.memberships if c.id == data.get("circle")]
    entries = await members.roster(ctx.session, found[0].id or 0) if found else []
    chosen = [e for e in entries if e.person.id == data.get("person")]
    if not found or not chosen:
        conversations.finish(ctx.conversation, ctx.now)
        raise UserError(N_("That person isn't in the circle any more. Send the command again."))
    circle, entry = found[0], chosen[0]
    said = confirmations.read(ctx.tr, text)
    if said is None:
        ctx.reply(await _remove_question(ctx, circle, entry), choices=confirmations.choices(ctx.tr))
        return
    conversations.finish(ctx.conversation, ctx.now)
    name = entry.person.display_name
    if not said:
        ctx.reply(ctx.tr._("OK, %(name)s stays in %(circle)s.", name=name, circle=circle.name))
        return
    await circles.leave(ctx.session, ctx.now, entry.membership)
    # Taken off, not left: the join code won't bring them back, a facilitator will (/letback).
    entry.membership.removed_at, entry.membership.removed_by = ctx.now, ctx.person_id
    await seats.offer_free_seats(ctx.session, ctx.catalogs, ctx.now, circle)  # a seat freed
    defaults.left(ctx.session, entry.person, circle)
    assert circle.id is not None and entry.person.id is not None
    # Never "Tom joined" after Tom was taken off (walk 14, fac 24).
    await join_notices.rewrite(ctx.session, ctx.catalogs, circle, entry.person.id, left=True)
    await confirmations.tell(
        ctx,
        circle,
        entry.person.id,
        MessageKind.MEMBER_LEFT,
        # Warm and blaming no one (not "Lucía took you off"), and no join code: a removal is
        # the facilitator's call, so the way back is through her, not a code to text at once.
        lambda tr: tr._(
            "You're no longer on the list for %(circle)s. Thank you for the time you gave it. "
            "If you think this is a mistake, please talk to %(facilitator)s.",
            facilitator=ctx.person.display_name,
            circle=circle.name,
        ),
    )
    ctx.reply(ctx.tr._("%(name)s is off %(circle)s now.", name=name, circle=circle.name))
