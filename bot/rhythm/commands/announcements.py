"""/announce, /linkchat and /unlinkchat: a facilitator reaching the whole circle at once; a
learner's words passed on to the facilitators, and /reply, a facilitator answering them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from babel.dates import format_timedelta
from babel.lists import format_list
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat import keywords, rendering, segments
from bot.chat.errors import UserError
from bot.chat.i18n import N_, Number, Translator
from bot.chat.messages import Address, Choice, Outbound
from bot.chat.platforms import Platform
from bot.circles import chats, circles, defaults, erasure
from bot.delivery import outbox
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey, key_text
from bot.dialogue import confirmations, conversations, members, people
from bot.dialogue.context import Context
from bot.dialogue.registry import Args, usage_of
from bot.dialogue.values import parse_number
from bot.rhythm import passed_on, questions
from bot.storage.models import (
    Account,
    Circle,
    Membership,
    OutboxMessage,
    PassedOn,
    Person,
    Question,
    QuestionKind,
    Role,
)

MAX_ANNOUNCEMENT_CHARS = 1000
# A facilitator's answer that costs an SMS reader more than this many SMS: they are told.
SMS_PARTS_WITHOUT_WARNING = 2
# At most this many announcements to one circle in any 24 hours: every member reads each one
# (by SMS, on a paid plan), and a few a day is already a lot. A rolling day, not the calendar's,
# so five before midnight and five after are not ten in an hour.
ANNOUNCEMENTS_PER_DAY = 5
DAY = timedelta(hours=24)
# A learner's words after an announcement reach the facilitators, every message of them, until
# the circle's next meeting and for at least this long.
REPLIES_FOR = timedelta(hours=48)
# The reply question's prompt key: no reply yet, then replied at least once. The first message
# is the reply whatever it says ("Yes"); after it, SMS keywords are commands again.
REPLY_PROMPT = "announcement"
REPLIED_PROMPT = "announcement-replied"


def _framed(tr: Translator, circle: Circle, sender: str, text: str) -> str:
    return tr._("%(circle)s, from %(name)s:\n%(text)s", circle=circle.name, name=sender, text=text)


def sms_cost(platform: Platform | None, reader: Translator, text: str) -> int:
    """The SMS `text` costs its reader where each one is paid for (0 elsewhere), counted as
    it will be sent: split, kept in GSM-7 where it can be."""
    if platform is None or not platform.billed_per_segment:
        return 0
    message = Outbound(Address(platform.name, "-"), text)
    parts = rendering.fit(message, platform.capabilities, reader)
    return sum(segments.sms_segments(part.text) for part in parts)


def _with_footer(platform: Platform | None, reader: Translator, text: str, sender: str) -> str:
    """`text` and how to answer it. Where every SMS is paid for, the footer comes only when it
    costs no SMS of its own (replying works without it): alone in a second message, it would
    cost the reader more than the words it follows."""
    whole = text + "\n" + reader._("(Reply here and I'll pass it on to %(name)s.)", name=sender)
    if sms_cost(platform, reader, whole) > sms_cost(platform, reader, text):
        return text
    return whole


# The confirmation's choices: "Cancel" would be a carrier's STOP word on SMS.
SEND = N_("Send")
DONT_SEND = N_("Don't send")
ANNOUNCE_FLOW = "announce"
ANNOUNCE_TEXT_FLOW = "announce-text"  # "/announce" alone: its words asked for
REPLY_FLOW = "reply"


async def announce(ctx: Context, args: Args) -> None:
    """/announce MESSAGE shows the message as members will read it and asks before sending:
    it reaches everyone, and can't be taken back (ANNOUNCE_FLOW, announce_answer)."""
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    text = str(args.get("message") or "").strip()
    if not text:  # "/announce" alone: asked for, as /reply N alone asks for its answer
        conversations.begin(ctx.conversation, ANNOUNCE_TEXT_FLOW, {"circle": circle.id}, ctx.now)
        ctx.reply(
            ctx.tr._(
                "What would you like to tell everyone in %(circle)s? (Send /cancel to stop.)",
                circle=circle.name,
            )
        )
        return
    await _preview_before_sending(ctx, circle, text)


async def announce_text(ctx: Context, text: str) -> None:
    """The words asked for by "/announce" alone: shown as members will read them, and asked
    about before sending, as /announce MESSAGE does."""
    found = _flow_circle(ctx)
    conversations.finish(ctx.conversation, ctx.now)
    if found is None:
        return
    circle, membership = found
    ctx.circle, ctx.membership = circle, membership
    await _preview_before_sending(ctx, circle, text.strip())


async def _preview_before_sending(ctx: Context, circle: Circle, text: str) -> None:
    assert circle.id is not None
    if len(text) > MAX_ANNOUNCEMENT_CHARS:
        raise UserError(
            N_("Announcements can be up to %(limit)s characters. This one has %(count)s."),
            limit=Number(MAX_ANNOUNCEMENT_CHARS),
            count=Number(len(text)),
        )
    refusal = await _over_the_limit(ctx, circle)
    if refusal is not None:
        raise refusal
    others = await _others(ctx, circle)
    if not others:
        ctx.reply(ctx.tr._("There's no one else in %(circle)s to tell yet.", circle=circle.name))
        return
    texted = await _texted_parts(ctx, circle, text)
    confirmations.ask(
        ctx,
        ANNOUNCE_FLOW,
        {"circle": circle.id, "text": text},
        _preview(ctx, circle, text, others, texted),
        SEND,
        DONT_SEND,
    )


@dataclass(frozen=True)
class _Texted:
    """What an announcement costs the members who read it by SMS: how many they are, the one
    when alone (named), the most SMS it costs one of them, and as many without its emoji."""

    texters: int = 0
    name: str = ""
    parts: int = 1
    plain_parts: int = 1


def _cost_line(tr: Translator, texted: _Texted) -> str | None:
    """Before the money is spent (sms 9, fac 20), what makes it cost: the emoji where they
    alone make it more texts (walk B5: UCS-2, 3 texts instead of 2), else its length; the one
    member who reads by SMS by name ("for the 1 member" read oddly)."""
    if not texted.texters or texted.parts <= 1:
        return None
    if texted.plain_parts < texted.parts:
        if texted.texters == 1:
            return tr._(
                "By SMS the emoji make this %(parts)s texts instead of %(plain)s for %(name)s. "
                "Without them it costs less.",
                parts=texted.parts,
                plain=texted.plain_parts,
                name=texted.name,
            )
        return tr.ngettext(
            "By SMS the emoji make this %(parts)s texts instead of %(plain)s for each of the "
            "%(n)d members who read by SMS. Without them it costs less.",
            "By SMS the emoji make this %(parts)s texts instead of %(plain)s for each of the "
            "%(n)d members who read by SMS. Without them it costs less.",
            texted.texters,
            parts=texted.parts,
            plain=texted.plain_parts,
        )
    if texted.texters == 1:
        return tr._(
            "By SMS this is %(parts)s texts for %(name)s. Shorter costs them less.",
            parts=texted.parts,
            name=texted.name,
        )
    return tr.ngettext(
        "By SMS this is %(parts)s texts for the %(n)d member who reads by SMS. "
        "Shorter costs them less.",
        "By SMS this is %(parts)s texts each for the %(n)d members who read by SMS. "
        "Shorter costs them less.",
        texted.texters,
        parts=texted.parts,
    )


def _preview(
    ctx: Context, circle: Circle, text: str, others: int, texted: _Texted | None = None
) -> str:
    lines = [_framed(ctx.tr, circle, ctx.person.display_name, text), ""]
    cost = _cost_line(ctx.tr, texted or _Texted())
    if cost:
        lines.append(cost)
    lines.append(
        ctx.tr.ngettext("Send this to %(n)d member?", "Send this to %(n)d members?", others)
    )
    return "\n".join(lines)


async def _texted_parts(ctx: Context, circle: Circle, text: str) -> _Texted:
    """How many members read the announcement by SMS (privately, where each text is paid
    for), and the most SMS it costs one of them, counted as it will be sent (framed, in the
    reader's language, with the footer when it costs nothing); and as much without emoji."""
    assert circle.id is not None
    roster = await members.roster(ctx.session, circle.id)
    others = [e.person for e in roster if e.person.id is not None and e.person.id != ctx.person_id]
    linked = (await chats.of_circles(ctx.session, [circle.id]))[circle.id]
    in_chats = await chats.readers(ctx.session, linked)
    private = [p for p in others if p.id not in in_chats]
    accounts = await people.preferred_accounts(ctx.session, [p.id for p in private if p.id])
    sender = ctx.person.display_name
    texters, most, plain, name = 0, 0, 0, ""
    for person in private:
        account = accounts.get(person.id or 0)
        platform = ctx.platforms.get(account.platform) if account else None
        if account is None or platform is None or not platform.billed_per_segment:
            continue
        reader = ctx.catalogs.translator(person.locale, account.locale_hint, circle.language)
        texters, name = texters + 1, person.display_name

        def cost(words: str, platform: Platform = platform, reader: Translator = reader) -> int:
            framed = _framed(reader, circle, sender, words)
            return sms_cost(platform, reader, _with_footer(platform, reader, framed, sender))

        most = max(most, cost(text))
        plain = max(plain, cost(segments.without_emoji(text)))
    return _Texted(texters, name, most, plain)


async def _others(ctx: Context, circle: Circle) -> int:
    """The members the announcement can reach, counted as `_send` counts them: everyone but
    the sender who reads a linked group chat or can be written to privately (not after STOP,
    nor a number the gateway refuses), so "Send to 4?" is never followed by "Sent to 3"."""
    assert circle.id is not None
    roster = await members.roster(ctx.session, circle.id)
    others = [entry.person.id for entry in roster if entry.person.id != ctx.person_id]
    linked = (await chats.of_circles(ctx.session, [circle.id]))[circle.id]
    in_chats = await chats.readers(ctx.session, linked)
    private = [person_id for person_id in others if person_id not in in_chats]
    reachable = await people.preferred_accounts(ctx.session, [p for p in private if p is not None])
    return sum(1 for person_id in others if person_id in in_chats or person_id in reachable)


async def _over_the_limit(ctx: Context, circle: Circle) -> UserError | None:
    """The refusal when the circle has had its announcements for the day (ANNOUNCEMENTS_PER_DAY)."""
    assert circle.id is not None
    lately = await made_since(ctx.session, circle.id, ctx.now - DAY)
    if len(lately) < ANNOUNCEMENTS_PER_DAY:
        return None
    return UserError(
        N_(
            "%(circle)s has had %(limit)d announcements in the last day, the most I send so "
            "that each one still gets read. You can send the next one from %(when)s."
        ),
        circle=circle.name,
        limit=ANNOUNCEMENTS_PER_DAY,
        # When the oldest of the last few is a day old.
        when=ctx.tr.weekday_at(lately[-ANNOUNCEMENTS_PER_DAY] + DAY, circle.timezone),
    )


def _flow_circle(ctx: Context) -> tuple[Circle, Membership] | None:
    """The circle the conversation going on is about, as the person's membership there (the
    router continues it only while they may still act there)."""
    circle_id = ctx.conversation.data.get("circle")
    found = [(c, m) for m, c in ctx.memberships if c.id == circle_id]
    return found[0] if found else None


async def announce_answer(ctx: Context, text: str) -> None:
    """The answer to "Send this to N members?": send, don't, or asked again."""
    found = _flow_circle(ctx)
    if found is None:
        conversations.finish(ctx.conversation, ctx.now)
        return
    circle, membership = found
    words = str(ctx.conversation.data["text"])
    said = confirmations.read(ctx.tr, text, SEND, DONT_SEND)
    if said is None:
        # "wait, change noon to 12:00 PM": not an answer; say how to change it.
        ctx.reply(
            ctx.tr._("To change it, choose Don't send, then send /announce with the new words.")
            + "\n\n"
            + _preview(ctx, circle, words, await _others(ctx, circle)),
            choices=confirmations.choices(ctx.tr, SEND, DONT_SEND),
        )
        return
    conversations.finish(ctx.conversation, ctx.now)
    if not said:
        ctx.reply(ctx.tr._("OK, I haven't sent it."))
        return
    refusal = await _over_the_limit(ctx, circle)  # others may have announced meanwhile
    if refusal is not None:
        ctx.reply(ctx.tr._(refusal.message, **refusal.params))
        return
    ctx.circle, ctx.membership = circle, membership
    await _send(ctx, circle, words)


async def _send(ctx: Context, circle: Circle, text: str) -> None:
    """The announcement to every member once (in a linked group chat where they read it,
    else privately), and the sender told how many it reached, and where."""
    assert circle.id is not None
    tr = ctx.tr
    sender = ctx.person.display_name
    reached: Counter[str] = Counter()
    linked = (await chats.of_circles(ctx.session, [circle.id]))[circle.id]
    in_chats = await chats.readers(ctx.session, linked)
    group_tr = ctx.catalogs.translator(circle.language)
    for chat in linked:
        key = OutboxKey(
            MessageKind.ANNOUNCEMENT,
            f"circle:{circle.id}",
            f"chat:{chat.platform}:{chat.chat_id}",
            ctx.occurrence,
        )
        message = Outbound(chat, _framed(group_tr, circle, sender, text))
        await outbox.enqueue(ctx.session, key, message, group_tr.locale, ctx.now)
    for entry in await members.roster(ctx.session, circle.id):
        person_id = entry.person.id
        assert person_id is not None
        if person_id == ctx.person_id:
            continue
        if person_id in in_chats:  # they read the group: no second copy in private
            reached[tr._("in the group chat")] += 1
            continue
        account = await people.preferred_account(ctx.session, person_id)
        key = OutboxKey(
            MessageKind.ANNOUNCEMENT, f"circle:{circle.id}", f"person:{person_id}", ctx.occurrence
        )
        if account is None:
            continue
        platform = ctx.platforms.get(account.platform)
        facilitating = entry.membership.role in circles.FACILITATING

        def render(
            reader: Translator,
            platform: Platform | None = platform,
            facilitating: bool = facilitating,
        ) -> str:
            framed = _framed(reader, circle, sender, text)
            # A fellow facilitator's answer is not passed on (below): no promise that it is.
            return framed if facilitating else _with_footer(platform, reader, framed, sender)

        if not await ctx.notify(person_id, key, render):
            continue
        by = ctx.platforms.display_name(tr, account.platform)
        reached[tr._("by %(platform)s", platform=by)] += 1
        if entry.membership.role not in circles.FACILITATING:
            # Only learners reply to an announcement: a co-facilitator's own words ("ok
            # thanks", "approve") are hers, not an answer to pass on.
            await _await_reply(ctx, person_id, circle)
    total = sum(reached.values())
    if not total:
        ctx.reply(tr._("There's no one else in %(circle)s to tell yet.", circle=circle.name))
        return
    where = ", ".join(
        tr._("%(count)d %(where)s", count=count, where=how)
        for how, count in sorted(reached.items())
    )
    ctx.reply(
        tr.ngettext(
            "Sent to %(n)d member: %(where)s.",
            "Sent to %(n)d members: %(where)s.",
            total,
            where=where,
        )
    )


async def _await_reply(ctx: Context, person_id: int, circle: Circle) -> None:
    """The person's words from now on (unless the bot asks something else first) go to the
    circle's facilitators, for a while."""
    question = await questions.ask(
        ctx.session, person_id, circle, QuestionKind.REPLY, REPLY_PROMPT, ctx.now
    )
    question.expires_at = max(question.expires_at or ctx.now, ctx.now + REPLIES_FOR)
    ctx.session.add(question)


async def made_since(session: AsyncSession, circle_id: int, since: datetime) -> list[datetime]:
    """When each announcement to the circle since `since` was made, oldest first: read from
    the outbox rows it was queued as (one per chat and member, named by the message that
    made it), so one that reached nobody is not counted."""
    prefix = f"{MessageKind.ANNOUNCEMENT}|circle:{circle_id}|"
    rows = await session.exec(
        select(OutboxMessage.idempotency_key, OutboxMessage.created_at).where(
            OutboxMessage.kind == MessageKind.ANNOUNCEMENT,
            col(OutboxMessage.created_at) > since,
            col(OutboxMessage.idempotency_key).startswith(prefix, autoescape=True),
        )
    )
    made: dict[str, datetime] = {}
    for key, created_at in rows.all():
        occurrence = key.split("|", 3)[3]
        made[occurrence] = min(made.get(occurrence, created_at), created_at)
    return sorted(made.values())


def replied(question: Question) -> bool:
    """Whether this is an announcement's reply question already answered once: it still passes
    words on, but a keyword is a command again."""
    return question.kind == QuestionKind.REPLY and question.prompt_key == REPLIED_PROMPT


async def pass_on_reply(ctx: Context, question: Question, text: str) -> None:
    """A learner's answer to an announcement reaches the circle's facilitators. The question
    stays until it lapses (REPLIES_FOR), so a second message goes the same way as the first."""
    circle = await ctx.session.get_one(Circle, question.circle_id)
    if question.prompt_key == REPLY_PROMPT:  # the survey's (its own key) stays the survey's
        question.prompt_key = REPLIED_PROMPT
        ctx.session.add(question)
    name = ctx.person.display_name
    await pass_on(
        ctx,
        circle,
        MessageKind.ANNOUNCEMENT_REPLY,
        lambda reader: reader._(
            "%(name)s replied about %(circle)s:\n%(text)s",
            name=name,
            circle=circle.name,
            text=text,
        ),
    )


async def pass_on(
    ctx: Context,
    circle: Circle,
    kind: MessageKind,
    render: Callable[[Translator], str],
    only: Collection[int] | None = None,
) -> None:
    """A learner's words to the circle's facilitators (`only` those with these person ids,
    when given: the one a private learner chose), numbered so they can answer them (/reply N),
    and the learner told whom they went to. The key names the learner (passed_on_by), so
    /forget can take their words back out."""
    assert circle.id is not None
    number = await passed_on.number(ctx.session, circle.id, ctx.person_id, ctx.now)
    occurrence = erasure.passed_on_by(ctx.person_id) + ctx.occurrence
    if ctx.passed_on_times:  # more words from the same message: their own notice
        occurrence += f"#{ctx.passed_on_times + 1}"
    ctx.passed_on_times += 1
    reached: list[str] = []
    # Someone who sent STOP still reaches their facilitators; an answer reaches them only
    # after START, and the facilitators are told so rather than left waiting for a reply.
    stopped = bool(await members.stopped(ctx.session, [ctx.person_id]))
    name = ctx.person.display_name
    # The word the learner was told to text back (EMPEZAR), so the facilitator can tell her.
    start = keywords.first_word(ctx.tr, keywords.OPT_IN)

    def numbered(reader: Translator) -> str:
        said = render(reader)
        shown = erasure.shown_name(reader, name, ctx.catalogs)
        if shown != name:  # "A newcomer (no name yet) texted about ...", in the reader's words
            said = said.replace(name, shown, 1)
        if stopped:
            how = reader._(
                "(%(name)s sent STOP, so my messages don't reach them. Once they text "
                "%(start)s, /reply %(number)d answers them.)",
                name=shown,
                start=start,
                number=number,
            )
        else:
            how = reader._("(To answer, send /reply %(number)d and your answer.)", number=number)
        return said + "\n" + how

    for entry in await members.roster(ctx.session, circle.id):
        person_id = entry.person.id
        assert person_id is not None
        if person_id == ctx.person_id or entry.membership.role not in circles.FACILITATING:
            continue
        if only is not None and person_id not in only:
            continue
        key = OutboxKey(kind, f"circle:{circle.id}", f"person:{person_id}", occurrence)
        if await ctx.notify(person_id, key, numbered):
            reached.append(entry.person.display_name)
    # A facilitator with no name of her own yet is never "Circle member" here (sms 1).
    named = [name for name in reached if not erasure.nameless(name, ctx.catalogs)]
    if reached:
        told = (
            ctx.tr._(
                "Thanks, I've passed that on to %(names)s.",
                names=format_list(named, locale=ctx.tr.locale),
            )
            if named
            else ctx.tr._("Thanks, I've passed that on to your facilitator.")
        )
        if not any(told in reply.text for reply in ctx.replies):  # said once is enough
            ctx.reply(told)
    else:
        ctx.reply(ctx.tr._("Sorry, I couldn't reach your facilitator just now."))


# -- /reply: a facilitator answers the learner who wrote --------------------------------------


async def reply(ctx: Context, args: Args) -> None:
    """/reply N [ANSWER]: the answer goes to whoever wrote message N, in whichever of the
    person's circles it was passed on (numbers are unique across a facilitator's circles: see
    bot.rhythm.passed_on); without an answer, it is asked for (REPLY_FLOW, reply_answer).
    /reply NAME [ANSWER] writes to a learner by first name, one who never wrote too."""
    typed = str(args["number"])
    words = str(args.get("answer") or "").strip()
    try:
        number = parse_number(typed)
    except ValueError:
        if typed.isdecimal():  # a number no message can have
            command = ctx.registry.get("reply")
            assert command is not None  # this is its handler
            raise usage_of(command, ctx.tr) from None
        await _reply_by_name(ctx, typed, words)
        return
    found = await _circle_of(ctx, number, words)
    if found is None:
        return  # asked which circle
    ctx.membership, ctx.circle = found
    circle = found[1]
    assert circle.id is not None
    learner = await _writer(ctx, circle, number)
    await _refuse_if_stopped(ctx, learner, circle)
    if words:
        await _answer(ctx, circle, learner, words, number)
        return
    conversations.begin(
        ctx.conversation, REPLY_FLOW, {"circle": circle.id, "number": number}, ctx.now
    )
    _ask_for_answer(ctx, learner)


def _ask_for_answer(ctx: Context, learner: Person) -> None:
    ctx.reply(
        ctx.tr._(
            "What would you like to say to %(name)s? (Send /cancel to stop.)",
            name=learner.display_name,
        )
    )


Named = tuple[Membership, Circle, Person]


async def _reply_by_name(ctx: Context, typed: str, words: str) -> None:
    """/reply NAME [ANSWER]: the learner of that first name (or whole name) in the circles the
    person facilitates; a clear answer when there is none, or several."""
    found = _called(await _learners(ctx), typed)
    found, words = _whole_name_typed(found, typed, words)  # REPLY Mama Rehema No need...
    if len(found) > 1 and words:  # two Bobs: "/reply Bob Smith ..." names one
        more, _, rest = words.partition(" ")
        narrower = _called(found, f"{typed} {more}")
        if len(narrower) == 1:
            found, words = narrower, rest.strip()
    if not found and (just_left := await _refuse_if_gone(ctx, typed)) is not None:
        circle, learner = just_left
        ctx.circle = circle
        if words:
            await _answer(ctx, circle, learner, words)
            return
        conversations.begin(
            ctx.conversation, REPLY_FLOW, {"circle": circle.id, "person": learner.id}, ctx.now
        )
        _ask_for_answer(ctx, learner)
        return
    if not found and words:
        # "/reply Take the elevator...": an answer typed without its number (walkthrough 8,
        # fac 9). The message she most likely means is the last one passed on to her.
        await _number_missing(ctx, typed, words)
    if not found:
        raise UserError(
            N_(
                "I can't find a learner called %(name)s in your circle. Send /roster to see "
                "who's in it."
            ),
            name=typed,
        )
    if len(found) > 1 and len({learner.id for _, _, learner in found}) == 1:
        found = await _where_she_wrote(ctx, await _running_first(ctx, found))
    if len(found) > 1:
        await _which_learner(ctx, typed, words, found)
        return
    membership, circle, learner = found[0]
    assert circle.id is not None
    ctx.membership, ctx.circle = membership, circle
    await _refuse_if_stopped(ctx, learner, circle)
    if words:
        await _answer(ctx, circle, learner, words)
        return
    conversations.begin(
        ctx.conversation, REPLY_FLOW, {"circle": circle.id, "person": learner.id}, ctx.now
    )
    _ask_for_answer(ctx, learner)


# How far back the last message passed on is offered for an answer typed without a number.
_RECENT_MESSAGE = timedelta(days=14)


async def _number_missing(ctx: Context, typed: str, words: str) -> None:
    """UserError, when a message was passed on lately: its writer and number, and the answer
    as it should have been typed, ready to send again."""
    running = [
        circle.id
        for membership, circle in ctx.memberships
        if membership.role in circles.FACILITATING and ctx.chosen_circle_id in {None, circle.id}
    ]
    last = await passed_on.latest(ctx.session, running, ctx.now - _RECENT_MESSAGE, ctx.person_id)
    if last is None:
        return
    writer = await ctx.session.get_one(Person, last.person_id)
    raise UserError(
        N_(
            "No learner is called %(name)s, so I haven't sent anything. To answer "
            "%(learner)s's message %(number)d, put its number first: /reply %(number)d %(answer)s"
        ),
        name=typed,
        learner=writer.display_name,
        number=last.number,
        answer=f"{typed} {words}",
    )


async def _running_first(ctx: Context, found: list[Named]) -> list[Named]:
    """One person in several of the facilitator's circles: the one still running (or just
    ended) is the one a message is about; a finished one is no question to ask."""
    going = await defaults.still_going(
        ctx.session, [(membership, circle) for membership, circle, _ in found], DAY * 7, ctx.now
    )
    running = {circle.id for _, circle in going}
    return [entry for entry in found if entry[1].id in running] or found


async def _where_she_wrote(ctx: Context, found: list[Named]) -> list[Named]:
    """One person in several of the facilitator's circles: the circle of her last message
    passed on lately is the one an answer is about, else the facilitator's /default among
    them (dada 12); all of them when neither says."""
    learner = found[0][2]
    assert learner.id is not None
    last = await passed_on.latest_from(
        ctx.session, [circle.id for _, circle, _ in found], learner.id, ctx.now - _RECENT_MESSAGE
    )
    wrote = [entry for entry in found if last is not None and entry[1].id == last.circle_id]
    default = [entry for entry in found if entry[1].id == ctx.person.default_circle_id]
    return wrote or default or found


async def _learners(ctx: Context) -> list[Named]:
    """The current learners of the circles the person facilitates (the one picked, if so),
    and the other people running them: a facilitator has no other way to reach a
    co-facilitator on a basic phone than through the bot."""
    found: list[Named] = []
    for membership, circle in ctx.memberships:
        if membership.role not in circles.FACILITATING or circle.id is None:
            continue
        if ctx.chosen_circle_id not in {None, circle.id}:
            continue
        found += [
            (membership, circle, entry.person)
            for entry in await members.roster(ctx.session, circle.id)
            if entry.membership.role == Role.LEARNER
            or (entry.membership.role in circles.FACILITATING and entry.person.id != ctx.person_id)
        ]
    return found


async def _refuse_if_gone(ctx: Context, typed: str) -> tuple[Circle, Person] | None:
    """No current learner answers to `typed`, but one who left a circle the person runs does:
    said plainly, with when, rather than "I can't find" (nothing is sent); unless they left
    within GOODBYE_WINDOW: then they are the one written to."""
    former: list[Named] = []
    for membership, circle in ctx.memberships:
        if membership.role not in circles.FACILITATING or circle.id is None:
            continue
        if ctx.chosen_circle_id not in {None, circle.id}:
            continue
        former += [
            (entry.membership, circle, entry.person)
            for entry in await members.former_learners(ctx.session, circle.id)
        ]
    found = _called(former, typed)
    if found:
        gone, circle, learner = max(found, key=lambda entry: entry[0].left_at or ctx.now)
        if _gone_long(ctx, gone):
            raise _left_error(ctx, circle, learner, gone)
        return circle, learner  # just left: a goodbye still reaches them
    return None


# A learner who left this recently still gets a facilitator's answer: the bot itself suggests
# "a friendly word" when someone leaves (walkthrough 8, lang 17 and sms 23).
GOODBYE_WINDOW = timedelta(days=14)


def _gone_long(ctx: Context, membership: Membership) -> bool:
    """Whether `membership` ended longer ago than GOODBYE_WINDOW."""
    return membership.left_at is not None and ctx.now - membership.left_at > GOODBYE_WINDOW


# The answer to a learner who has left the circle: not sent, and said so with when.
LEFT_NOT_SENT = N_("%(name)s left %(circle)s on %(date)s, so I haven't sent your answer.")
# Words after their message, from a facilitator, when that learner has left since.
LEFT_WORDS_NOT_SENT = N_(
    "%(name)s left %(circle)s on %(date)s, so I haven't passed your words on to them."
)


def _left_error(ctx: Context, circle: Circle, learner: Person, gone: Membership) -> UserError:
    assert gone.left_at is not None
    return UserError(
        LEFT_NOT_SENT,
        name=learner.display_name,
        circle=circle.name,
        date=ctx.tr.date(gone.left_at, circle.timezone),
    )


def _called(learners: list[Named], typed: str) -> list[Named]:
    """The learners whose first or whole name is `typed`; else those whose name starts so."""
    wanted = keywords.plain(typed)
    exact = [
        entry
        for entry in learners
        if wanted
        and wanted in {keywords.plain(entry[2].display_name), _first(entry[2].display_name)}
    ]
    if exact:
        return exact
    started = [entry for entry in learners if members.starts_with(entry[2].display_name, typed)]
    return started or [entry for entry in learners if members.within(entry[2].display_name, typed)]


# The words of a learner's name after /reply, at most (a first name, a title, a family name).
MOST_NAME_WORDS = 3


def _whole_name_typed(found: list[Named], typed: str, words: str) -> tuple[list[Named], str]:
    """The learners of `found` whose whole name is `typed` and the first of `words`, the
    longest name first, and the words after it: "/reply Mama Rehema No need" is to Mama
    Rehema, "No need" (sms 11: "Rehema No need" went to her). Else `found` and `words`."""
    for taken in range(MOST_NAME_WORDS - 1, 0, -1):
        said = words.split(maxsplit=taken)
        if len(said) < taken:
            continue
        name = keywords.plain(" ".join([typed, *said[:taken]]))
        whole = [entry for entry in found if keywords.plain(entry[2].display_name) == name]
        if whole:
            return whole, said[taken] if len(said) > taken else ""
    return found, words


def _first(name: str) -> str:
    return keywords.plain(next(iter(name.split()), ""))


async def _which_learner(ctx: Context, typed: str, words: str, found: list[Named]) -> None:
    """Several learners answer to `typed`: in different circles, the person picks the circle;
    in one, they are named, to be written in full. Who sent STOP is marked: no answer reaches
    them."""
    tr = ctx.tr
    stopped = set(await members.stopped(ctx.session, [learner.id or 0 for _, _, learner in found]))

    def marked(label: str, learner: Person) -> str:
        return tr._("%(name)s (sent STOP)", name=label) if learner.id in stopped else label

    places = [circle for _, circle, _ in found]
    if len({circle.id for circle in places}) == len(found):
        names = circles.distinct_names(tr, places)
        one = len({learner.id for _, _, learner in found}) == 1
        if one:  # one person in several circles, not several people of one name
            ctx.reply(
                tr._(
                    "Which circle is your message to %(name)s about?",
                    name=found[0][2].display_name,
                ),
                choices=[
                    Choice(name, f"#{circle.id} /reply {typed} {words}".rstrip())
                    for circle, name in zip(places, names, strict=True)
                ],
            )
            return
        ctx.reply(
            tr._("Which %(name)s do you mean?", name=typed),
            choices=[
                Choice(
                    marked(
                        tr._("%(name)s in %(circle)s", name=learner.display_name, circle=name),
                        learner,
                    ),
                    f"#{circle.id} /reply {typed} {words}".rstrip(),
                )
                for (_, circle, learner), name in zip(found, names, strict=True)
            ],
        )
        return
    raise UserError(
        N_("More than one learner is called %(name)s: %(names)s. Send /reply with the whole name."),
        name=typed,
        names=format_list(
            [marked(learner.display_name, learner) for _, _, learner in found], locale=tr.locale
        ),
    )


async def _refuse_if_stopped(ctx: Context, learner: Person, circle: Circle) -> None:
    """A learner who sent STOP (and has no other account) can't be answered: said plainly,
    rather than "I couldn't reach them just now", as if trying again would help, with the word
    to text back in the learner's language (EMPEZAR), as they were told it."""
    assert learner.id is not None
    if await members.stopped(ctx.session, [learner.id]):
        theirs = ctx.catalogs.translator(learner.locale, circle.language)
        raise UserError(
            N_(
                "%(name)s sent STOP, so my messages don't reach them, and I haven't sent "
                "anything. They can text %(start)s to get messages again."
            ),
            name=erasure.shown_name(ctx.tr, learner.display_name, ctx.catalogs),
            start=keywords.first_word(theirs, keywords.OPT_IN),
        )


async def reply_answer(ctx: Context, text: str) -> None:
    """The words a facilitator writes after /reply N."""
    found = _flow_circle(ctx)
    number = int(ctx.conversation.data.get("number", 0))
    person_id = ctx.conversation.data.get("person")  # /reply NAME
    conversations.finish(ctx.conversation, ctx.now)
    if found is None:
        return
    if text.casefold() in {"skip", ctx.tr._("skip").casefold()}:  # /skip: no answer after all
        ctx.reply(ctx.tr._("OK, I haven't sent anything."))
        return
    circle, membership = found
    try:
        learner = (
            await _still_member(ctx, circle, int(person_id))
            if person_id is not None
            else await _writer(ctx, circle, number)
        )
        await _refuse_if_stopped(ctx, learner, circle)  # sent STOP meanwhile
    except UserError as error:  # they left or stopped meanwhile: nothing to keep open
        ctx.reply(ctx.tr._(error.message, **error.params))
        return
    ctx.circle, ctx.membership = circle, membership
    await _answer(ctx, circle, learner, text, number if person_id is None else None)


async def _circle_of(ctx: Context, number: int, words: str) -> tuple[Membership, Circle] | None:
    """The circle, of those the person facilitates (the one a button aimed at, if so), where
    message `number` was passed on. Where two hold one (numbered before a facilitator ran
    both), None: the person is asked which, with the answer kept in each choice."""
    facilitated = [
        (membership, circle)
        for membership, circle in ctx.memberships
        if membership.role in circles.FACILITATING and ctx.chosen_circle_id in {None, circle.id}
    ]
    if len(facilitated) <= 1:
        circle, membership = ctx.require_circle()
        return membership, circle
    ids = [circle.id for _, circle in facilitated if circle.id is not None]
    held = await passed_on.holding(ctx.session, ids, number)
    if not held:
        raise UserError(
            N_(
                "I can't find message %(number)d. Its number is at the end of the message I "
                "passed on to you."
            ),
            number=number,
        )
    if len(held) > 1:
        # Of those, the one /inbox lists as waiting, when only one is: the number he just
        # read there (fac 20), not a question about which circle.
        waiting = [m.circle_id for m in await _waiting(ctx, held) if m.number == number]
        held = waiting if len(waiting) == 1 else held
    if len(held) == 1:
        return next(entry for entry in facilitated if entry[1].id == held[0])
    options = [circle for _, circle in facilitated if circle.id in held]
    names = circles.distinct_names(ctx.tr, options)
    ctx.reply(
        ctx.tr._("Message %(number)d: which circle is it from?", number=number),
        choices=[
            Choice(name, f"#{circle.id} /reply {number} {words}".rstrip())
            for circle, name in zip(options, names, strict=True)
        ],
    )
    return None


async def _writer(ctx: Context, circle: Circle, number: int) -> Person:
    """Who wrote the circle's message `number`, still a member."""
    assert circle.id is not None
    person_id = await passed_on.author(ctx.session, circle.id, number)
    if person_id is None:
        raise UserError(
            N_(
                "I can't find message %(number)d from %(circle)s. Its number is at the end of "
                "the message I passed on to you."
            ),
            number=number,
            circle=circle.name,
        )
    if await passed_on.erased(ctx.session, person_id):
        raise UserError(
            N_(
                "Whoever wrote message %(number)d has left and deleted their data, so I can't "
                "pass anything on to them."
            ),
            number=number,
        )
    return await _still_member(ctx, circle, person_id)


async def _still_member(ctx: Context, circle: Circle, person_id: int) -> Person:
    """The person, still a member of the circle the answer is about."""
    assert circle.id is not None
    person = await ctx.session.get_one(Person, person_id)
    membership = await circles.membership_of(ctx.session, circle.id, person_id)
    if (
        membership is not None
        and _gone_long(ctx, membership)
        # Gone long but writing lately ("can I come back?", plain_text.forward): answered.
        and not await _has_written(ctx, circle, person)
    ):
        raise _left_error(ctx, circle, person, membership)  # when: the facilitator may not know
    if membership is None and await _has_written(ctx, circle, person):
        return person  # someone waiting for a seat, or asking about one, who wrote (issue 16)
    if membership is None:
        raise UserError(
            N_("%(name)s is no longer in %(circle)s, so I can't pass your answer on."),
            name=person.display_name,
            circle=circle.name,
        )
    return person


# A note to a learner is a reply to what she wrote this long ago at most; after that, one
# the facilitator starts herself (A7: "replied" to a learner whose one word was weeks old).
REPLIED_WITHIN = timedelta(days=7)


async def _has_written(ctx: Context, circle: Circle, learner: Person) -> bool:
    """Whether `learner` wrote to `circle`'s facilitators lately (a message passed on)."""
    rows = await ctx.session.exec(
        select(PassedOn.id).where(
            PassedOn.circle_id == circle.id,
            PassedOn.person_id == learner.id,
            col(PassedOn.created_at) >= ctx.now - REPLIED_WITHIN,
        )
    )
    return rows.first() is not None


# In an answer's outbox key, before the number of the learner's message it answers.
ANSWERS_MESSAGE = "#answers:"
# Her message's first words, quoted above the answer to it: enough to know which it answers.
ASKED_QUOTE_CHARS = 40


async def _asked(ctx: Context, circle: Circle, number: int | None) -> str | None:
    """The beginning of the learner's message `number` in `circle`, as it is quoted back to her
    with the answer (only to her: the answer is private); None when it is not kept."""
    if number is None:
        return None
    message = (
        await ctx.session.exec(
            select(PassedOn).where(PassedOn.circle_id == circle.id, PassedOn.number == number)
        )
    ).first()
    words = await passed_on.words(ctx.session, message) if message is not None else None
    return rendering.beginning(words, ASKED_QUOTE_CHARS) if words else None


def _answer_naming_the_circle(
    reader: Translator, sender: str, circle: str, words: str, asked: str | None, replied: bool
) -> str:
    """A facilitator's answer to a learner in several of the circles: headed with its circle's
    name rather than "your facilitator", which would not say which one."""
    if asked:
        return reader._(
            '%(name)s (%(circle)s) replied to your message "%(asked)s":\n%(text)s',
            name=sender,
            circle=circle,
            asked=asked,
            text=words,
        )
    if replied:
        return reader._(
            "%(name)s (%(circle)s) replied:\n%(text)s", name=sender, circle=circle, text=words
        )
    return reader._(
        "%(name)s (%(circle)s) wrote to you:\n%(text)s", name=sender, circle=circle, text=words
    )


async def _answer(
    ctx: Context, circle: Circle, learner: Person, words: str, number: int | None = None
) -> None:
    """A facilitator's answer to one learner, privately, under the first words of her message
    `number` when it answers one; the learner's reply comes back."""
    assert circle.id is not None and learner.id is not None
    if len(words) > MAX_ANNOUNCEMENT_CHARS:
        raise UserError(
            N_("Answers can be up to %(limit)s characters. This one has %(count)s."),
            limit=Number(MAX_ANNOUNCEMENT_CHARS),
            count=Number(len(words)),
        )
    sender = ctx.person.display_name
    key = OutboxKey(
        MessageKind.FACILITATOR_REPLY,
        f"circle:{circle.id}",
        f"person:{learner.id}",
        # The message it answers, when it answers one: /inbox keeps her others (_answered).
        ctx.occurrence + (f"{ANSWERS_MESSAGE}{number}" if number is not None else ""),
    )
    account = await people.preferred_account(ctx.session, learner.id)
    platform = ctx.platforms.get(account.platform) if account else None
    cost = 0
    own = 0  # what her words alone cost: the bot's header and footer are not hers to shorten
    plain = 0  # what it would cost by SMS without its emoji

    fellow = await _runs_it_too(ctx, circle, learner)
    # A note she starts herself is no reply: "replied" would tell a learner who wrote only
    # private answers that they were read (walkthrough 8, fac 10).
    wrote_first = await _has_written(ctx, circle, learner)
    # `/reply 13 ...` answers message 13 however old: quoted, so a late "Yes, room 3" says
    # what it answers (B21); a note by name to someone quiet for weeks is no reply (above).
    asked = await _asked(ctx, circle, number) if wrote_first or number is not None else None
    # In several circles: which one it is about, as an announcement says (D25).
    several = len(await circles.active_memberships(ctx.session, learner.id)) > 1

    def render(reader: Translator) -> str:
        nonlocal cost, own, plain
        if several and not fellow:
            answer = _answer_naming_the_circle(
                reader, sender, circle.name, words, asked, wrote_first
            )
        elif fellow:
            answer = reader._(
                "%(name)s, who runs %(circle)s with you, wrote:\n%(text)s",
                name=sender,
                circle=circle.name,
                text=words,
            )
        elif asked:
            answer = reader._(
                '%(name)s (your facilitator) replied to your message "%(asked)s":\n%(text)s',
                name=sender,
                asked=asked,
                text=words,
            )
        elif wrote_first:
            answer = reader._(
                "%(name)s (your facilitator) replied:\n%(text)s", name=sender, text=words
            )
        else:
            answer = reader._(
                "%(name)s (your facilitator) wrote to you:\n%(text)s", name=sender, text=words
            )
        text = _with_footer(platform, reader, answer, sender)
        cost = sms_cost(platform, reader, text)
        own = sms_cost(platform, reader, words)
        plain = sms_cost(platform, reader, segments.without_emoji(text))
        return text

    sent = await ctx.notify(learner.id, key, render)
    # A texter with no name yet is "someone new" to the facilitator (D23).
    shown = erasure.shown_name(ctx.tr, learner.display_name, ctx.catalogs)
    if not sent:
        ctx.reply(ctx.tr._("Sorry, I couldn't reach %(name)s just now.", name=shown))
        return
    await _await_reply(ctx, learner.id, circle)
    if platform is not None and plain < cost:
        # One smiley makes the whole text UCS-2 (C29): said, as /announce does before sending.
        ctx.reply(
            ctx.tr._(
                "Sent. By SMS the emoji made it %(parts)s texts instead of %(plain)s for "
                "%(name)s. Without them it costs less.",
                parts=cost,
                plain=plain,
                name=shown,
            )
        )
    elif own > SMS_PARTS_WITHOUT_WARNING and platform is not None:
        # The facilitator can't see what an answer costs; a learner on a prepaid phone pays.
        ctx.reply(
            ctx.tr.ngettext(
                "Sent: %(name)s reads by %(platform)s, so it went as %(n)d message; shorter "
                "is kinder to their phone bill.",
                "Sent: %(name)s reads by %(platform)s, so it went as %(n)d messages; shorter "
                "is kinder to their phone bill.",
                cost,
                name=shown,
                platform=ctx.platforms.display_name(ctx.tr, platform.name),
            )
        )
    else:
        ctx.reply(ctx.tr._("I've sent your answer to %(name)s.", name=shown))
    if account is not None and platform is not None:
        # STOP from her phone, and the answer reached a chat app she linked (perhaps on a
        # relative's phone): the facilitator is told where it went (C61).
        stopped = await ctx.session.exec(
            select(Account.id).where(
                Account.person_id == learner.id,
                col(Account.opted_out).is_(True),
                Account.id != account.id,
            )
        )
        if stopped.first() is not None:
            last = ctx.replies[-1]
            went = ctx.tr._(
                "%(name)s sent STOP by SMS, so it went to their %(platform)s instead.",
                name=shown,
                platform=ctx.platforms.display_name(ctx.tr, platform.name),
            )
            ctx.replies[-1] = replace(last, text=last.text + " " + went)
    gone = await circles.membership_of(ctx.session, circle.id, learner.id)
    if gone is not None and gone.left_at is not None:
        ctx.reply(
            ctx.tr._(
                # As the learner is told: "Reply here and I'll pass it on" (G4, C23).
                "%(name)s left %(circle)s on %(date)s: this reached them as a goodbye. If they "
                "answer it, I'll pass it on to you.",
                name=learner.display_name,
                circle=circle.name,
                date=ctx.tr.date(gone.left_at, circle.timezone),
            )
        )
    await _tell_the_other_facilitators(ctx, circle, learner, words)


async def _runs_it_too(ctx: Context, circle: Circle, person: Person) -> bool:
    """Whether `person` facilitates `circle` too: a message to them is not a reply to a learner."""
    assert circle.id is not None
    return any(
        entry.person.id == person.id and entry.membership.role in circles.FACILITATING
        for entry in await members.roster(ctx.session, circle.id)
    )


async def _tell_the_other_facilitators(
    ctx: Context, circle: Circle, learner: Person, words: str
) -> None:
    """The circle's other facilitators got the learner's message too: they hear the answer, so
    nobody answers twice. Keyed as the learner's words are (passed_on_by): /forget finds it."""
    assert circle.id is not None and learner.id is not None
    sender, name = ctx.person.display_name, learner.display_name
    occurrence = erasure.passed_on_by(learner.id) + ctx.occurrence
    for entry in await members.roster(ctx.session, circle.id):
        person_id = entry.person.id
        assert person_id is not None
        if person_id in {ctx.person_id, learner.id}:  # the one written to has it already
            continue
        if entry.membership.role not in circles.FACILITATING:
            continue
        key = OutboxKey(
            MessageKind.FACILITATOR_REPLY, f"circle:{circle.id}", f"person:{person_id}", occurrence
        )
        await ctx.notify(
            person_id,
            key,
            lambda reader: reader._(
                "%(name)s answered %(learner)s:\n%(text)s", name=sender, learner=name, text=words
            ),
        )


async def how_to_reply(ctx: Context, after_commands: bool = False) -> str | None:
    """For a facilitator whose words answer nothing, while a learner's message passed on to them
    is recent (REPLIES_FOR): how to answer that learner (/reply N), rather than "I didn't
    catch that"; None otherwise. `after_commands`: said after the commands offered for her
    words ("Or, to answer ...")."""
    facilitated = [c.id for m, c in ctx.memberships if m.role in circles.FACILITATING]
    latest = await passed_on.latest(
        ctx.session, facilitated, ctx.now - REPLIES_FOR, not_by=ctx.person_id
    )
    if latest is None or await _answered(ctx, latest):
        return None  # answered already: no hint that reads as if it had gone nowhere (A14)
    learner = await ctx.session.get(Person, latest.person_id)
    if learner is None:
        return None
    circle = await ctx.session.get_one(Circle, latest.circle_id)
    membership = await circles.membership_of(ctx.session, latest.circle_id, latest.person_id)
    if membership is not None and membership.left_at is not None:
        # Words most likely meant for them: said plainly that they went nowhere, and why.
        return ctx.tr._(
            LEFT_WORDS_NOT_SENT,
            name=learner.display_name,
            circle=circle.name,
            date=ctx.tr.date(membership.left_at, circle.timezone),
        )
    if after_commands:
        return ctx.tr._(
            "Or, to answer %(name)s, send /reply %(number)d and your answer.",
            name=learner.display_name,
            number=latest.number,
        )
    return ctx.tr._(
        "To answer %(name)s, send /reply %(number)d and your answer.",
        name=learner.display_name,
        number=latest.number,
    )


# -- /inbox: the learners' messages still waiting for an answer -------------------------------

# How far back /inbox looks: a message older than this is no longer waiting for anyone.
INBOX_FOR = timedelta(days=30)
# A message younger than this came "just now" (never "0 seconds ago").
JUST_NOW = timedelta(minutes=1)
# At most this many are listed (the newest); the rest are counted.
INBOX_MOST = 10
# A message's first words in the list: enough to know which it is.
INBOX_QUOTE_CHARS = 50


async def inbox(ctx: Context, args: Args) -> None:
    """/inbox: the messages passed on to the person, in the circles they help run, that no
    facilitator has answered since, each with its number for /reply. Private: learners' words."""
    tr = ctx.tr
    facilitated = {
        circle.id: circle
        for membership, circle in ctx.memberships
        if membership.role in circles.FACILITATING and circle.id is not None
    }
    waiting = await _waiting(ctx, list(facilitated))
    if not waiting:
        ctx.reply(
            tr._(
                "No learner's message is waiting for an answer. When one writes to you, I pass "
                "it on with a number, and /reply NUMBER answers it."
            )
        )
        return
    shown = waiting[-INBOX_MOST:]
    several = len({message.circle_id for message in waiting}) > 1
    lines = [
        tr.ngettext(
            "%(n)d message is waiting for an answer:",
            "%(n)d messages are waiting for an answer:",
            len(waiting),
        )
    ]
    for message in shown:
        learner = await ctx.session.get_one(Person, message.person_id)
        circle = facilitated[message.circle_id]
        name = learner.display_name
        if several:
            name = tr._("%(name)s (%(circle)s)", name=name, circle=circle.name)
        words = await passed_on.words(ctx.session, message)
        ago = (
            format_timedelta(
                message.created_at - ctx.now, threshold=1.1, add_direction=True, locale=tr.locale
            )
            if ctx.now - message.created_at >= JUST_NOW
            else tr._("just now")
        )
        if words:
            lines.append(
                tr._(
                    '%(number)d. %(name)s, %(ago)s: "%(words)s"',
                    number=message.number,
                    name=name,
                    ago=ago,
                    words=rendering.beginning(words, INBOX_QUOTE_CHARS),
                )
            )
        else:
            lines.append(
                tr._("%(number)d. %(name)s, %(ago)s", number=message.number, name=name, ago=ago)
            )
    if len(waiting) > len(shown):
        lines.append(
            tr.ngettext(
                "...and %(n)d older one.", "...and %(n)d older ones.", len(waiting) - len(shown)
            )
        )
    lines.append(tr._("To answer one, send /reply NUMBER and your answer."))
    ctx.reply("\n".join(lines))


async def _waiting(ctx: Context, circle_ids: list[int]) -> list[PassedOn]:
    """The messages /inbox lists, oldest first: passed on in `circle_ids` lately (INBOX_FOR)
    and answered by no facilitator since."""
    found = await passed_on.since(ctx.session, circle_ids, ctx.now - INBOX_FOR, ctx.person_id)
    return [message for message in found if not await _answered(ctx, message)]


async def _answered(ctx: Context, message: PassedOn) -> bool:
    """Whether a facilitator has answered the message since, or written to its author in its
    circle since without answering another of her messages (/reply NAME): an answer to her
    later message does not answer this one (walk 14, fac 5)."""
    key = key_text(
        MessageKind.FACILITATOR_REPLY, f"circle:{message.circle_id}", f"person:{message.person_id}"
    )
    found = await ctx.session.exec(
        select(OutboxMessage.idempotency_key).where(
            col(OutboxMessage.idempotency_key).startswith(key, autoescape=True),
            col(OutboxMessage.created_at) >= message.created_at,
        )
    )
    own = f"{ANSWERS_MESSAGE}{message.number}"
    return any(
        ANSWERS_MESSAGE not in written or written.endswith(own) for written in found.all()
    )


async def linkchat(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    added = await chats.link(ctx.session, circle, ctx.inbound, ctx.now)
    name = await circles.name_for(
        ctx.session, ctx.tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    if added:
        ctx.reply(
            ctx.tr._(
                "This chat is now linked to %(circle)s: reminders and announcements come here "
                "too. Members who write here get announcements here instead of privately.",
                circle=name,
            )
        )
    else:
        ctx.reply(ctx.tr._("This chat is already linked to %(circle)s.", circle=name))


async def unlinkchat(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    await chats.unlink(ctx.session, circle, ctx.inbound)
    name = await circles.name_for(
        ctx.session, ctx.tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    ctx.reply(ctx.tr._("This chat is no longer linked to %(circle)s.", circle=name))
