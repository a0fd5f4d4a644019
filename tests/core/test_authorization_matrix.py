"""Who may do what, where: the whole matrix derived from the registry, and checked cell by cell.

Every command and sub-command (x) the sender's role in the circle (none, learner,
co-facilitator, facilitator) (x) their own circle or another one (x) a private or a group chat.
The expected outcome of each cell comes from the command's declaration alone (Command.access,
SubCommand.access, Command.in_group); the router is the one place that enforces it. Handlers are
replaced by a probe, so each cell shows what the router let through and on which circle,
without changing anything. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities, Inbound, Outbound
from bot.circles.circles import leave
from bot.core import Core
from bot.core.router import Router
from bot.dialogue.context import Context
from bot.dialogue.registry import (
    GROUP_NOTES,
    Access,
    Args,
    Command,
    InGroup,
    Registry,
    SubCommand,
)
from bot.storage.database import session_factory
from bot.storage.models import Attendance, Circle, Letter, Membership, Person
from tests.conftest import DETROIT_CIRCLE
from tests.database import open_session
from tests.platforms import PLATFORMS

SECOND_CIRCLE = (
    '/newcircle name="Digital Skills" course="Learning How to Learn" venue="Branch Library" '
    "city=Detroit country=US zone=America/Detroit start=2026-11-02 time=10:00 meetings=4"
)
GROUP = "-1001"
CAPABILITIES = Capabilities(max_text_length=4096)

# Who sends, and what each may do in their own circle (the Access level they reach).
ROLES = {
    "stranger": ("5", "Eve", None),
    "learner": ("2", "Brian", Access.MEMBER),
    "co-facilitator": ("3", "Chen", Access.FACILITATOR),
    "facilitator": ("1", "Amina", Access.LEAD),
}


def message(account: str, name: str, text: str, group: bool = False) -> Inbound:
    return Inbound(
        platform="telegram",
        account_id=account,
        chat_id=GROUP if group else account,
        message_id=uuid.uuid4().hex,
        text=text,
        display_name=name,
        is_group=group,
        private_chat_id=account if group else None,
    )


async def say(core: Core, account: str, name: str, text: str, group: bool = False) -> list[str]:
    return [r.text for r in await core.handle(message(account, name, text, group), CAPABILITIES)]


@dataclass
class Circles:
    own: int  # the circle Amina facilitates, Chen co-facilitates and Brian learns in
    other: int  # Dede's circle, which none of them is in
    codes: tuple[str, str]


async def arrange(core: Core) -> Circles:
    await say(core, "1", "Amina", DETROIT_CIRCLE)
    await say(core, "4", "Dede", SECOND_CIRCLE)
    async with open_session(core) as session:
        found = {c.name: c for c in (await session.exec(select(Circle))).all()}
    own, other = found["Python for Everyone"], found["Digital Skills"]
    assert own.id is not None and other.id is not None
    await say(core, "2", "Brian", "/join " + own.join_code)
    await say(core, "3", "Chen", "/join " + own.join_code)
    assert "co-facilitates" in " ".join(await say(core, "1", "Amina", "/cofacilitator Chen"))
    linked = await say(core, "1", "Amina", "/linkchat", group=True)
    assert "now linked" in linked[0]
    return Circles(own.id, other.id, (own.join_code, other.join_code))


async def probe(ctx: Context, args: Args) -> None:
    ctx.reply("RAN " + (str(ctx.circle.id) if ctx.circle is not None else "-"))


def probed(registry: Registry) -> Registry:
    return Registry(
        [
            replace(
                command,
                handler=probe,
                subcommands=tuple(
                    replace(sub, handler=probe if sub.handler else None)
                    for sub in command.subcommands
                ),
            )
            for command in registry
        ],
        flows=[],
    )


def expected(
    command: Command, sub: SubCommand | None, level: Access | None, aimed_at_own: bool, group: bool
) -> str:
    """The outcome the declarations give for one cell."""
    access = max(command.access, sub.access) if sub else command.access
    place = command.in_group
    if group and (place is InGroup.REFUSED):
        return "refused here"
    if not group and place is InGroup.ONLY:
        return "only in a group"
    if access is Access.ANYONE:
        return "ran"
    if level is None or level < access:
        return "refused: role"
    return "ran" if aimed_at_own else "refused: not your circle"


def outcome(handled: list[Outbound], command: Command, circles: Circles) -> tuple[str, int | None]:
    texts = [reply.text for reply in handled]
    ran = [text for text in texts if text.startswith("RAN ")]
    if ran:
        shown = ran[0].removeprefix("RAN ")
        return "ran", None if shown == "-" else int(shown)
    joined = " ".join(texts)
    if "in a private chat, not here" in joined:
        return "refused here", None
    if "works in a group chat" in joined:
        return "only in a group", None
    if joined.startswith("Only ") or "You're not in a circle yet" in joined:
        return "refused: role", None
    if joined.startswith("Can't make it to meeting"):  # a learner's /cancel: the RSVP shown
        return "refused: role", None
    if "isn't one of yours" in joined:
        return "refused: not your circle", None
    return "unexpected: " + joined, None


async def test_every_cell_of_the_authorization_matrix(
    any_engine: AsyncEngine, clock: FakeClock
) -> None:
    core = Core(any_engine, clock, random.Random(3), platforms=PLATFORMS)
    circles = await arrange(core)
    router = Router(
        session_factory(any_engine),
        clock,
        core.catalogs,
        probed(core.registry),
        random.Random(5),
        platforms=core.platforms,
    )
    tr = core.catalogs.translator("en")
    wrong: list[str] = []
    cells = 0
    for command in core.registry:
        assert command.example.startswith("/" + command.name), command.name
        runs = [(command.subcommand(tr, command.example[len(command.name) + 1 :]), command.example)]
        runs += [(sub, sub.example) for sub in command.subcommands]
        for sub, example in runs:
            for role, (account, name, level) in ROLES.items():
                for aimed_at_own in (True, False):
                    for group in (False, True):
                        target = circles.own if aimed_at_own else circles.other
                        # In the group linked to their circle people need not aim; elsewhere
                        # a button from a message about one circle does ("#12 /rsvp yes").
                        text = example if group and aimed_at_own else f"#{target} {example}"
                        handled = await router.handle(message(account, name, text, group))
                        got, on = outcome(handled.replies, command, circles)
                        want = expected(command, sub, level, aimed_at_own, group)
                        cells += 1
                        where = f"{role} {text!r} {'group' if group else 'private'}"
                        if got != want:
                            wrong.append(f"{where}: {got}, expected {want}")
                            continue
                        access = max(command.access, sub.access) if sub else command.access
                        if got == "ran" and access is not Access.ANYONE and on != target:
                            wrong.append(f"{where}: acted on circle {on}, not {target}")
                        if group:
                            wrong += private_in_group(where, command, handled.replies, circles)
                            if got == "ran" and command.in_group is InGroup.PRIVATELY:
                                note = tr._(GROUP_NOTES[InGroup.PRIVATELY])
                                if [
                                    r.text for r in handled.replies if r.address.chat_id == GROUP
                                ] != [note]:
                                    wrong.append(f"{where}: the group heard more than {note!r}")
    assert not wrong, "\n".join(wrong)
    assert cells >= 900  # 62 commands and sub-commands x 4 roles x 2 circles x 2 chats


def private_in_group(
    where: str, command: Command, replies: list[Outbound], circles: Circles
) -> list[str]:
    """Join codes and other people's names never reach the group."""
    found = []
    for reply in replies:
        if reply.address.chat_id != GROUP:
            continue
        for secret in (*circles.codes, "Brian", "Chen", "Dede"):
            if secret in reply.text and secret not in where:
                found.append(f"{where}: {secret!r} shown in the group")
    return found


async def test_private_answers_in_a_group_go_to_the_person(core: Core) -> None:
    """/roster, /invite and /export sent in a circle's group: the group hears only that the
    answer went privately; the names, the join code and the files reach the facilitator."""
    circles = await arrange(core)
    for text, private in (
        ("/roster", "Brian, learner"),
        ("/invite", circles.codes[0]),
        ("/digest", "Python for Everyone"),
    ):
        replies = await core.handle(message("1", "Amina", text, group=True), CAPABILITIES)
        in_group = [r.text for r in replies if r.address.chat_id == GROUP]
        to_amina = " ".join(r.text for r in replies if r.address.chat_id == "1")
        assert in_group == ["I've sent it to you privately."], text
        assert private in to_amina, text
    replies = await core.handle(message("1", "Amina", "/export", group=True), CAPABILITIES)
    assert [r.text for r in replies if r.address.chat_id == GROUP] == [
        "I've sent it to you privately."
    ]
    private_reply = [r for r in replies if r.address.chat_id == "1"]
    # The files themselves go to her alone (this platform shows their names, or says how to
    # get them where files can't travel).
    assert any(
        "roster.csv" in attachment.filename for r in private_reply for attachment in r.attachments
    ) or "The records of Python for Everyone" in " ".join(r.text for r in private_reply)
    # What everyone in the circle may see is answered where it was asked.
    [schedule] = await core.handle(message("2", "Brian", "/schedule", group=True), CAPABILITIES)
    assert schedule.address.chat_id == GROUP and "meets at Detroit Public Library" in schedule.text
    # A code must not even be typed there.
    [refused] = await core.handle(message("2", "Brian", "/link ABC123", group=True), CAPABILITIES)
    assert refused.text == "Please send /link to me in a private chat, not here."


async def test_a_flow_started_before_leaving_cannot_finish_after(
    core: Core, clock: FakeClock
) -> None:
    """Attendance begun by a co-facilitator, a letter begun by a learner: each leaves the
    circle, then answers. Nothing is saved, and the conversation is over."""
    circles = await arrange(core)
    async with open_session(core) as session:
        own = await session.get(Circle, circles.own)
    assert own is not None
    clock.set(clock.now() + timedelta(days=40))  # past meeting 4 of 6: letters are open
    sheet = " ".join(await say(core, "3", "Chen", "/attendance 1"))
    assert "Reply with the numbers of who came" in sheet
    letter = " ".join(await say(core, "2", "Brian", "/letter"))
    assert "Write to a new circle far away" in letter
    # They leave elsewhere (/leave asks first, in this same chat, so it would end the flows
    # itself): on another phone, say.
    async with open_session(core) as session:
        for person in ("Chen", "Brian"):
            membership = (
                await session.exec(
                    select(Membership)
                    .join(Person, col(Person.id) == Membership.person_id)
                    .where(Person.display_name == person, Membership.circle_id == circles.own)
                )
            ).one()
            await leave(session, clock.now(), membership)
        await session.commit()

    stopped = " ".join(await say(core, "3", "Chen", "1"))
    assert "I've stopped what we were doing" in stopped
    written = " ".join(await say(core, "2", "Brian", "Keep going, it gets easier every week!"))
    assert "I've stopped what we were doing" in written
    async with open_session(core) as session:
        assert (await session.exec(select(func.count()).select_from(Attendance))).one() == 0
        assert (await session.exec(select(func.count()).select_from(Letter))).one() == 0
    # The conversation is over: the next message is not taken as an answer.
    assert "I've stopped" not in " ".join(await say(core, "2", "Brian", "hello"))
