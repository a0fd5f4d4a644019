"""The member list counts people, facilitators too; the join notice counts learners. In
Spanish both said "participantes" with different numbers (walkthrough: "Ahora hay 2
participantes", then /lista "tiene 3 participantes")."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of


async def test_the_spanish_member_list_counts_people_not_participants(
    chat: Chat, core: Core
) -> None:
    await chat.say("Camila", DETROIT_CIRCLE, locale_hint="es")
    code = await code_of(core, "Python for Everyone")
    await chat.say("Mateo", "/join " + code, locale_hint="es")
    await chat.say("Lucía", "/join " + code, locale_hint="es")
    header = (await chat.say("Camila", "/lista", locale_hint="es")).splitlines()[0]
    assert "3 personas" in header, header
    assert "participantes" not in header, header
