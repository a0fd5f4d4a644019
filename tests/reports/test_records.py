"""The learner's own record: /portfolio hands it over as a Markdown file, /forget erases it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities, Outbound
from bot.core import Core
from bot.storage.models import (
    Account,
    Attendance,
    CheckIn,
    Conversation,
    Membership,
    OutboxMessage,
    Person,
    Question,
    Reflection,
    Rsvp,
)
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session

CIRCLE = "Python for Everyone"
MEETING_1 = datetime(2026, 10, 29, 22, 0, tzinfo=UTC)  # Thursday 18:00 in Detroit
MEETING_2 = datetime(2026, 11, 5, 23, 0, tzinfo=UTC)
CHECKIN_1 = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)  # the next day, 10:00 in Detroit

GOAL = "Automate the spreadsheets at my job."
CHECKIN_ANSWER = "The group made the loops feel easy."
REFLECTION = "My neighbour showed me how to read an error message."
EMPTY = "Your portfolio is empty so far."
CONFIRM = "Delete it all?"
DIDNT_CATCH = "I didn't catch that."

WITH_FILES = Capabilities(max_text_length=4000, files=True)


async def handle(chat: Chat, name: str, text: str) -> list[Outbound]:
    """The replies to `name` on a chat that takes files (Telegram, Discord)."""
    return await chat.core.handle(chat.inbound(name, text), WITH_FILES)


async def portfolio_file(chat: Chat, name: str) -> str:
    [reply] = await handle(chat, name, "/portfolio")
    [attachment] = reply.attachments
    assert attachment.filename.endswith(".md")
    assert attachment.media_type == "text/markdown"
    return attachment.data.decode("utf-8")


async def count(core: Core, model: type, **where: object) -> int:
    query = select(func.count()).select_from(model)
    for field, value in where.items():
        query = query.where(getattr(model, field) == value)
    async with open_session(core) as session:
        return (await session.exec(query)).one()


async def person_id(core: Core, name: str) -> int:
    async with open_session(core) as session:
        return (await session.exec(select(Person.id).where(Person.display_name == name))).one()


async def brians_season(chat: Chat, core: Core, clock: FakeClock) -> None:
    """Brian joins Amina's circle with a goal, RSVPs, comes to meeting 1, checks in and
    reflects; the reminders for meeting 2 are queued for him but not yet sent."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, CIRCLE))
    await chat.say("Brian", GOAL)
    await chat.say("Brian", "yes")
    await chat.say("Brian", "/rsvp yes")
    clock.set(MEETING_1 + timedelta(minutes=5))
    assert "You're here" in await chat.say("Brian", "/here")
    clock.set(CHECKIN_1)
    await core.tick()
    await chat.deliver()
    assert "Thanks, got it!" in await chat.say("Brian", "4")
    assert "Thank you for sharing" in await chat.say("Brian", CHECKIN_ANSWER)
    await chat.say("Brian", "/reflect")
    assert "portfolio" in await chat.say("Brian", REFLECTION)
    await chat.say("Brian", "/rsvp no 2")
    clock.set(MEETING_2 - timedelta(hours=24))
    await core.tick()  # Brian's reminder and Amina's digest wait in the outbox


# --- /portfolio --------------------------------------------------------------------------------


async def test_portfolio_is_a_markdown_file_with_everything_written(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await brians_season(chat, core, clock)
    [reply] = await handle(chat, "Brian", "/portfolio")
    assert "Here is your portfolio" in reply.text
    portfolio = await portfolio_file(chat, "Brian")
    assert portfolio.startswith("# Learning portfolio: Brian")
    assert "## Python for Everyone" in portfolio
    assert "Python for Everybody, Detroit" in portfolio
    assert "### My goal\n\n> " + GOAL in portfolio
    assert "Meeting 1, Thursday, October 29, 2026: 4 of 5" in portfolio
    assert "> " + CHECKIN_ANSWER in portfolio
    assert "### Reflections" in portfolio
    assert "> " + REFLECTION in portfolio


async def test_portfolio_names_the_questions_answered(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await brians_season(chat, core, clock)
    async with open_session(core) as session:
        checkin = (await session.exec(select(CheckIn))).one()
        reflection = (
            await session.exec(select(Reflection).where(Reflection.kind == "reflection"))
        ).one()
    from prompts import checkin as checkin_prompts
    from prompts import reflection as reflection_prompts
    from prompts.library import by_key

    portfolio = await portfolio_file(chat, "Brian")
    asked = by_key(checkin_prompts.QUESTIONS, checkin.prompt_key or "")
    assert asked is not None and asked.text in portfolio
    prompt = by_key(reflection_prompts.PROMPTS, reflection.prompt_key)
    assert prompt is not None and prompt.text in portfolio


async def test_portfolio_holds_only_the_learners_own_words(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await brians_season(chat, core, clock)
    await chat.say("Chioma", "/join " + await code_of(core, CIRCLE))
    await chat.say("Chioma", "Chioma's own goal.")
    assert GOAL not in await portfolio_file(chat, "Chioma")
    assert "Chioma's own goal." not in await portfolio_file(chat, "Brian")


async def test_an_empty_portfolio_is_explained(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, CIRCLE))
    await chat.say("Brian", "/skip")
    [reply] = await handle(chat, "Brian", "/portfolio")
    assert EMPTY in reply.text
    assert "/reflect" in reply.text
    assert reply.attachments == ()
    [reply] = await handle(chat, "Stranger", "/portfolio")
    assert EMPTY in reply.text


async def test_portfolio_on_a_chat_without_files_still_shows_the_writing(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """SMS takes no files; every learner action must work there too: a summary in the text."""
    await brians_season(chat, core, clock)
    answer = await chat.say("Brian", "/portfolio")
    assert GOAL in answer
    # His answer to the check-in's question (walk C21: counted) and his /reflect (lang 8:
    # each counted once, as the file holds them).
    assert "1 check-in, 1 written answer, 1 reflection." in answer


# --- /forget -----------------------------------------------------------------------------------


async def brians_rows(core: Core, brian: int) -> dict[str, int]:
    """How many rows of each kind are Brian's."""
    async with open_session(core) as session:
        outbox = (
            await session.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.platform == "console", OutboxMessage.chat_id == "brian")
            )
        ).one()
        conversations = (
            await session.exec(
                select(func.count())
                .select_from(Conversation)
                .where(col(Conversation.key).contains("brian"))
            )
        ).one()
    counts = {
        model.__name__: await count(core, model, person_id=brian)
        for model in (Account, Membership, CheckIn, Reflection, Question, Rsvp, Attendance)
    }
    return {
        "Person": await count(core, Person, id=brian),
        **counts,
        "OutboxMessage": outbox,
        "Conversation": conversations,
    }


async def test_forget_asks_for_confirmation_first(chat: Chat, core: Core, clock: FakeClock) -> None:
    await brians_season(chat, core, clock)
    brian = await person_id(core, "Brian")
    before = await brians_rows(core, brian)
    answer = await chat.say("Brian", "/forget")
    assert CONFIRM in answer
    assert "can't be undone" in answer
    assert "Reply 1 for Yes, delete everything or 2 for No, keep it." in answer
    assert await brians_rows(core, brian) == before


async def test_forget_answered_no_keeps_everything(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await brians_season(chat, core, clock)
    brian = await person_id(core, "Brian")
    await chat.say("Brian", "/forget")
    before = await brians_rows(core, brian)
    assert await chat.say("Brian", "no") == "OK, nothing was deleted."
    assert await brians_rows(core, brian) == before
    assert GOAL in await portfolio_file(chat, "Brian")


async def test_forget_with_an_unclear_answer_asks_again_and_keeps_everything(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await brians_season(chat, core, clock)
    brian = await person_id(core, "Brian")
    await chat.say("Brian", "/forget")
    before = await brians_rows(core, brian)
    assert "Please answer yes or no." in await chat.say("Brian", "hmm")
    assert await brians_rows(core, brian) == before


async def test_forget_answered_yes_deletes_everything_about_the_person(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await brians_season(chat, core, clock)
    brian = await person_id(core, "Brian")
    before = await brians_rows(core, brian)
    assert all(before[kind] > 0 for kind in ("Person", "Account", "Membership", "CheckIn"))
    assert all(before[kind] > 0 for kind in ("Reflection", "Rsvp", "Attendance"))
    assert before["OutboxMessage"] > 0  # the reminder for meeting 2, not yet sent
    amina_outbox = await count(core, OutboxMessage, chat_id="amina")

    await chat.say("Brian", "/forget")
    answer = await chat.say("Brian", "yes")
    assert "everything about you is deleted" in answer

    after = await brians_rows(core, brian)
    assert after == dict.fromkeys(after, 0)
    # Amina and her circle are untouched.
    assert await count(core, Person) == 1
    assert await count(core, Membership) == 1
    # Her earlier messages are untouched; one more says a learner has left, with no name.
    assert await count(core, OutboxMessage, chat_id="amina") == amina_outbox + 1
    async with open_session(core) as session:
        texts = [
            str(row.payload)
            for row in (await session.exec(select(OutboxMessage))).all()
            if row.chat_id == "amina"
        ]
    assert any("A learner has left" in text for text in texts)
    assert not any("Brian" in text for text in texts)


async def test_forget_by_picking_the_first_choice(chat: Chat, core: Core, clock: FakeClock) -> None:
    await brians_season(chat, core, clock)
    brian = await person_id(core, "Brian")
    await chat.say("Brian", "/forget")
    assert "deleted" in await chat.say("Brian", "1")
    assert (await brians_rows(core, brian))["Person"] == 0


async def test_after_forget_the_next_message_starts_fresh(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await brians_season(chat, core, clock)
    await chat.say("Brian", "/forget")
    await chat.say("Brian", "yes")

    [reply] = await handle(chat, "Brian", "/portfolio")
    assert EMPTY in reply.text
    new = await person_id(core, "Brian")
    assert await count(core, Account, person_id=new) == 1
    assert await count(core, Membership, person_id=new) == 0
    assert await count(core, Reflection, person_id=new) == 0
    assert "You're not in a circle yet" in await chat.say("Brian", "/next")
    assert DIDNT_CATCH in await chat.say("Brian", "4")  # no check-in waits for the new Brian
    assert await count(core, CheckIn) == 0


async def test_after_forget_the_digest_no_longer_counts_the_learner(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await brians_season(chat, core, clock)
    await chat.say("Brian", "/forget")
    await chat.say("Brian", "yes")
    digest = await chat.say("Amina", "/digest")
    # No learner left to count: no figures of nobody (issue 16).
    assert "Nobody has joined yet; /invite gives an invitation to forward." in digest
    assert "0 yes" not in digest
    assert "Brian" not in digest
    assert [m for m in await chat.deliver() if m.address.chat_id == "brian"] == []


async def test_the_lead_facilitator_cannot_forget_themselves(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await brians_season(chat, core, clock)
    amina = await person_id(core, "Amina")
    answer = await chat.say("Amina", "/forget")  # refused before being asked to confirm
    assert "You facilitate Python for Everyone, so I can't delete you yet" in answer
    await chat.say("Amina", "yes")
    assert await count(core, Person, id=amina) == 1
    assert await count(core, Membership, person_id=amina) == 1
    assert await count(core, Account, person_id=amina) == 1
    assert "Coming:" in await chat.say("Amina", "/digest")


async def test_after_the_refusal_the_forget_question_is_over(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await brians_season(chat, core, clock)
    await chat.say("Amina", "/forget")
    await chat.say("Amina", "yes")
    answer = await chat.say("Amina", "thanks")
    assert "Please answer yes or no" not in answer
    assert DIDNT_CATCH in answer
