"""/announce, /linkchat and /unlinkchat: a facilitator reaching the whole circle at once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from babel.lists import format_list

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.messages import Outbound
from bot.circles import chats, circles, erasure
from bot.delivery import outbox
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import members, people
from bot.dialogue.context import Context
from bot.dialogue.registry import Args
from bot.rhythm import questions
from bot.storage.models import Circle, Question, QuestionKind

MAX_ANNOUNCEMENT_CHARS = 1000
# A learner's words after an announcement reach the facilitators, every message of them, until
# the circle's next meeting and for at least this long.
REPLIES_FOR = timedelta(hours=48)
# The reply question's prompt key: no reply yet, then replied at least once. The first message
# is the reply whatever it says ("Yes"); after it, SMS keywords are commands again.
REPLY_PROMPT = "announcement"
REPLIED_PROMPT = "announcement-replied"


def _framed(tr: Translator, circle: Circle, sender: str, text: str) -> str:
    return tr._("%(circle)s, from %(name)s:\n%(text)s", circle=circle.name, name=sender, text=text)


async def announce(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    text = str(args["MESSAGE"]).strip()
    if len(text) > MAX_ANNOUNCEMENT_CHARS:
        raise UserError(
            N_("Announcements can be up to %(limit)d characters. This one has %(count)d."),
            limit=MAX_ANNOUNCEMENT_CHARS,
            count=len(text),
        )
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
        if account is None or not await ctx.notify(
            person_id,
            key,
            lambda reader: (
                _framed(reader, circle, sender, text)
                + "\n"
                + reader._("(Reply here and I'll pass it on to %(name)s.)", name=sender)
            ),
        ):
            continue
        by = ctx.platforms.display_name(tr, account.platform)
        reached[tr._("by %(platform)s", platform=by)] += 1
        # Their words from now on (unless the bot asks something else first) go to the
        # facilitators, for a while.
        question = await questions.ask(
            ctx.session, person_id, circle, QuestionKind.REPLY, REPLY_PROMPT, ctx.now
        )
        question.expires_at = max(question.expires_at or ctx.now, ctx.now + REPLIES_FOR)
        ctx.session.add(question)
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


def replied(question: Question) -> bool:
    """Whether this is an announcement's reply question already answered once: it still passes
    words on, but a keyword is a command again."""
    return question.kind == QuestionKind.REPLY and question.prompt_key == REPLIED_PROMPT


async def pass_on_reply(ctx: Context, question: Question, text: str) -> None:
    """A learner's answer to an announcement reaches the circle's facilitators. The question
    stays until it lapses (REPLIES_FOR), so a second message goes the same way as the first."""
    circle = await ctx.session.get_one(Circle, question.circle_id)
    if question.prompt_key != REPLIED_PROMPT:
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
    ctx: Context, circle: Circle, kind: MessageKind, render: Callable[[Translator], str]
) -> None:
    """A learner's words to the circle's facilitators, and the learner told whom they went to.
    The key names the learner (passed_on_by), so /forget can take their words back out."""
    assert circle.id is not None
    occurrence = erasure.passed_on_by(ctx.person_id) + ctx.occurrence
    reached: list[str] = []
    for entry in await members.roster(ctx.session, circle.id):
        person_id = entry.person.id
        assert person_id is not None
        if person_id == ctx.person_id or entry.membership.role not in circles.FACILITATING:
            continue
        key = OutboxKey(kind, f"circle:{circle.id}", f"person:{person_id}", occurrence)
        if await ctx.notify(person_id, key, render):
            reached.append(entry.person.display_name)
    if reached:
        ctx.reply(
            ctx.tr._(
                "Thanks, I've passed that on to %(names)s.",
                names=format_list(reached, locale=ctx.tr.locale),
            )
        )
    else:
        ctx.reply(ctx.tr._("Sorry, I couldn't reach your facilitator just now."))


async def linkchat(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    added = await chats.link(ctx.session, circle, ctx.inbound, ctx.now)
    name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle)
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
    name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle)
    ctx.reply(ctx.tr._("This chat is no longer linked to %(circle)s.", circle=name))
