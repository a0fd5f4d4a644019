"""A learner's yes to sharing was given to the facilitators she knew: when a fellow learner is
made co-facilitator, he doesn't read her written answers until she says yes to him too, and she
is asked. Walkthrough 8 (mix 22): Yasmine's "I'm ashamed" reached Nadia, a fellow learner made
facilitator, with nothing said to her before. Walkthrough 10 (A6): the facilitator she had said
yes to keeps reading them meanwhile."""

from __future__ import annotations

from sqlmodel import select

from bot.core import Core
from bot.storage.models import Membership, Person
from tests.conftest import Chat
from tests.database import open_session
from tests.seasons import open_circle


async def _shares(core: Core, name: str) -> bool:
    async with open_session(core) as session:
        row = await session.exec(
            select(Membership.shares_answers)
            .join(Person, Person.id == Membership.person_id)  # type: ignore[arg-type]
            .where(Person.display_name == name)
        )
        return bool(row.one())


async def test_a_peer_made_co_facilitator_does_not_inherit_the_yes(chat: Chat, core: Core) -> None:
    await open_circle(chat, core, {"Yasmine": True, "Nadia": True, "Tom": False})
    await chat.deliver()
    made = await chat.say("Amina", "/cofacilitator Nadia")
    assert "co-facilitates" in made
    # Amina hears whose words Nadia won't see yet (G4, A4), and that she still does (A6).
    assert (
        "Yasmine lets you read their written check-ins, and still does. I've asked them whether "
        "Nadia may read them too; until they say yes, Nadia won't see them."
    ) in made
    sent = await chat.deliver()
    [told] = [m.text for m in sent if m.address.chat_id == "yasmine"]
    # A short yes/no question (G4, C7), answered by a plain yes.
    assert told.startswith(
        "Nadia now helps run Python for Everyone. May Nadia read your check-ins too? Amina "
        "still can; until you say yes, Nadia won't see them."
    ), told
    assert not [m.text for m in sent if m.address.chat_id == "tom"]  # private already
    assert await _shares(core, "Yasmine")  # with Amina, as she said
    assert "Thanks! From now on, Amina and Nadia will see" in await chat.say("Yasmine", "yes")
    assert await _shares(core, "Yasmine")
