"""The facilitator's notice of who joined: joins close together gathered into one message
(bot/dialogue/notifications.py gather), and written anew when a learner says their name after
joining (by SMS the bot learns it only then)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from functools import partial

from babel.lists import format_list
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import Catalogs, Translator
from bot.circles.erasure import UNNAMED, unnamed_names
from bot.delivery.kinds import MessageKind
from bot.dialogue import members, notifications
from bot.dialogue.context import Context
from bot.storage.models import Circle

# How long a join notice waits for the name of someone who joined by SMS before it goes as
# "Circle member joined": the name question is the welcome's first, answered within minutes.
NAME_WAIT = timedelta(minutes=10)
# Joins told by name in one gathered notice; past this many, the first few and a count.
NAMED_JOINS = 4
NAMED_BEFORE_COUNT = 3


def joined_notice(
    tr: Translator,
    circle: Circle,
    names: Sequence[str],
    learners: int,
    unnamed: frozenset[str] = frozenset(),
) -> str:
    """The facilitator's notice of the joins gathered (notifications.gather). Someone with no
    name yet (`unnamed`: "Circle member" in any language, as stored when they first wrote) is
    called so in the reader's language, not in the one they first wrote in."""
    names = [tr._(UNNAMED) if name in unnamed else name for name in names]
    if len(names) == 1:
        return tr.ngettext(
            "%(name)s joined %(circle)s. That's %(n)d learner now.",
            "%(name)s joined %(circle)s. That's %(n)d learners now.",
            learners,
            name=names[0],
            circle=circle.name,
        )
    listed = list(names)
    if len(names) > NAMED_JOINS:
        rest = len(names) - NAMED_BEFORE_COUNT
        listed = [*names[:NAMED_BEFORE_COUNT], tr.ngettext("%(n)d other", "%(n)d others", rest)]
    joined = tr.ngettext(
        "%(n)d person joined %(circle)s: %(names)s.",
        "%(n)d people joined %(circle)s: %(names)s.",
        len(names),
        circle=circle.name,
        names=format_list(listed, locale=tr.locale),
    )
    count = tr.ngettext("That's %(n)d learner now.", "That's %(n)d learners now.", learners)
    return joined + " " + count


def _notice_of(
    tr: Translator,
    names: Sequence[str],
    *,
    circle: Circle,
    learners: int,
    unnamed: frozenset[str],
) -> str:
    return joined_notice(tr, circle, names, learners, unnamed)


async def renamed(ctx: Context) -> None:
    """The person has said their name: the join notices still waiting that call them "Circle
    member" (by SMS the name comes after the join) say it instead."""
    for _, circle in ctx.memberships:
        await rewrite(ctx.session, ctx.catalogs, circle, ctx.person_id)


async def rewrite(
    session: AsyncSession, catalogs: Catalogs, circle: Circle, about: int, left: bool = False
) -> None:
    """The join notices still waiting that name person `about` written anew: with their name
    as it is now, and the learners counted as they are now (one made co-facilitator since she
    joined is no longer a learner); `left`, without them (they left before it went: never
    "Ernesto joined" after "Ernesto left")."""
    assert circle.id is not None
    learners, _ = await members.learners(session, circle.id)
    await notifications.regather(
        session,
        catalogs,
        MessageKind.MEMBER_JOINED,
        f"circle:{circle.id}",
        about,
        partial(
            _notice_of,
            circle=circle,
            learners=learners,
            unnamed=frozenset(unnamed_names(catalogs)),
        ),
        leave_out=left,
    )
