"""Plain SMS: carrier keywords (STOP, START, HELP), words that stand for commands, and free text
that reaches the facilitator when no question is waiting. It applies to private chats on every
platform whose description declares keywords (Platform.keywords), as an SMS gateway's does.

STOP is honoured on the first message, whatever else is going on, and after it the number hears
nothing more: pending messages to it are dropped and the dispatcher skips it. Only START, UNSTOP
or YES (from a number that has opted out, YES means "start again") bring it back. HELP is still
answered, as carriers require.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col

from bot.chat import keywords
from bot.chat.i18n import Translator
from bot.chat.keywords import Keyword
from bot.circles import circles, defaults
from bot.delivery.kinds import MessageKind
from bot.dialogue import conversations, members
from bot.dialogue.context import Context
from bot.rhythm import questions
from bot.rhythm.commands import announcements
from bot.storage.models import OutboxMessage, OutboxStatus, Role


def applies(ctx: Context) -> bool:
    return ctx.platforms.keywords(ctx.inbound.platform) and not ctx.inbound.is_group


async def carrier(ctx: Context, text: str) -> bool:
    """Handle the carrier keywords, and silence for an opted-out number. True when handled."""
    # "/cancel" is the bot's command (stop a conversation), not the carrier's CANCEL.
    match = None if text.startswith("/") else keywords.read(ctx.tr, text)
    keyword = match.keyword if match else None
    if keyword is Keyword.OPT_OUT:
        if not ctx.account.opted_out:
            await _opt_out(ctx)
        return True
    if keyword is Keyword.HELP:
        await _help(ctx)
        return True
    if keyword is Keyword.OPT_IN or (ctx.account.opted_out and keyword is Keyword.YES):
        _opt_in(ctx)
        return True
    return ctx.account.opted_out  # nothing else reaches or answers a number that said STOP


async def _opt_out(ctx: Context) -> None:
    ctx.account.opted_out = True
    ctx.session.add(ctx.account)
    # A guided command under way ends too: after START, words are not its next answer.
    conversations.finish(ctx.conversation, ctx.now)
    # Whatever was waiting to go to this number stays unsent.
    await ctx.session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.platform) == ctx.account.platform,
            col(OutboxMessage.chat_id) == ctx.account.address,
            col(OutboxMessage.status) == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.DEAD, last_error="recipient opted out (STOP)")
    )
    ctx.reply(
        ctx.tr._(
            "You won't get any more messages from me. Text %(start)s if you want them again.",
            start=keywords.first_word(ctx.tr, keywords.OPT_IN),
        )
    )


def _opt_in(ctx: Context) -> None:
    was_out = ctx.account.opted_out
    ctx.account.opted_out = False
    ctx.account.reachable = True
    ctx.session.add(ctx.account)
    if was_out:
        ctx.reply(
            ctx.tr._(
                "Welcome back! You'll get your circle's messages again. Text %(help)s for help.",
                help=keywords.first_word(ctx.tr, keywords.HELP),
            )
        )
    else:
        ctx.reply(
            ctx.tr._(
                "You're already getting messages. Text %(help)s for help.",
                help=keywords.first_word(ctx.tr, keywords.HELP),
            )
        )


async def _help(ctx: Context) -> None:
    tr = ctx.tr
    lines = [tr._("I'm circlebot: I help learning circles meet every week.")]
    memberships = await circles.active_memberships(ctx.session, ctx.person_id)
    if memberships:
        circle = memberships[0][1]
        assert circle.id is not None
        leads = [
            entry.person.display_name
            for entry in await members.roster(ctx.session, circle.id)
            if entry.membership.role == Role.FACILITATOR
        ]
        if leads:
            lines.append(
                tr._(
                    "Your circle is %(circle)s; your facilitator is %(name)s.",
                    circle=circle.name,
                    name=", ".join(leads),
                )
            )
        lines.append(
            tr._(
                "Text %(next)s for your next meeting, or any message for your facilitator.",
                next=keywords.first_word(tr, keywords.NEXT),
            )
        )
    else:
        lines.append(
            tr._(
                "Text %(join)s and the code your facilitator gave you to join a circle.",
                join=keywords.first_word(tr, keywords.JOIN),
            )
        )
    if ctx.account.opted_out:  # after STOP, how to come back, not how to stop
        lines.append(
            tr._(
                "You won't get any more messages from me. Text %(start)s if you want them again.",
                start=keywords.first_word(tr, keywords.OPT_IN),
            )
        )
    else:
        lines.append(
            tr._(
                "Text %(stop)s to stop all messages.",
                stop=keywords.first_word(tr, keywords.OPT_OUT),
            )
        )
    ctx.reply("\n".join(lines))


async def as_command(ctx: Context, text: str) -> str | None:
    """The slash command a keyword stands for ("JOIN AB12CD" -> "/join AB12CD"), or None.

    While a question waits, its answer comes first: "Yes" to an announcement or "letter" as a
    reflection is an answer, not a command. Once an announcement has had its reply, the words
    after it still reach the facilitators, but keywords are commands again.
    """
    waiting = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if waiting is not None and not announcements.replied(waiting):
        return None
    match = keywords.read(ctx.tr, text, ctx.catalogs.in_every_language(keywords.JOIN))
    if match is None:
        words = text.split()
        if (
            len(words) == 2
            and keywords.plain(words[0]) == "help"
            and ctx.registry.get(keywords.plain(words[1])) is not None
        ):
            return "/help " + keywords.plain(words[1])  # HELP RSVP: how to use one command
        # Any command that needs nothing more, as one word: CHECKIN, REFLECT, LETTER, PORTFOLIO.
        word = keywords.plain(text)
        command = ctx.registry.get(word) if " " not in text.strip() else None
        if command is not None and not any(arg.required for arg in command.args):
            return "/" + command.name
        return None
    if match.keyword is Keyword.JOIN:
        _speaks(ctx, text)
        return "/join " + match.argument
    if match.keyword is Keyword.NEXT:
        return "/next"
    if match.keyword is Keyword.FIND:
        return ("/find " + match.argument).strip()  # FIND NAIROBI
    if match.keyword in (Keyword.YES, Keyword.NO):
        if not await circles.active_memberships(ctx.session, ctx.person_id):
            return None
        return "/rsvp yes" if match.keyword is Keyword.YES else "/rsvp no"
    return None


def _speaks(ctx: Context, text: str) -> None:
    """JOIN typed in another language ("JIUNGA AB12CD") says which one a number the bot knows
    no language for speaks: the welcome, and what follows, come in it."""
    if ctx.person.locale or ctx.account.locale_hint:
        return
    typed = keywords.plain(text.split()[0])
    for code in ctx.catalogs.locales:
        tr = ctx.catalogs.translator(code)
        if code != ctx.tr.locale and typed in keywords.words(tr, keywords.JOIN) - {"join"}:
            ctx.account.locale_hint = code
            ctx.session.add(ctx.account)
            ctx.tr = tr
            return


async def forward(ctx: Context, text: str) -> bool:
    """Free text with no question waiting goes to the facilitators of the sender's circle (their
    default circle, /default, when they are in several), from a phone or from any chat (the
    learner is told whom it went to, and the facilitators how to answer: /reply)."""
    memberships = await circles.active_memberships(ctx.session, ctx.person_id)
    if not memberships:
        return False
    membership, circle = defaults.default_circle(ctx.person, memberships)[0]
    if membership.role != Role.LEARNER:
        return False
    name = ctx.person.display_name
    texted = applies(ctx)

    def render(reader: Translator) -> str:
        if texted:
            return reader._(
                "%(name)s texted about %(circle)s:\n%(text)s",
                name=name,
                circle=circle.name,
                text=text,
            )
        return reader._(
            "%(name)s wrote about %(circle)s:\n%(text)s", name=name, circle=circle.name, text=text
        )

    await announcements.pass_on(ctx, circle, MessageKind.FORWARDED_TEXT, render)
    return True
