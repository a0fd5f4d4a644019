"""French /partage (may the facilitator read my check-ins) sat one letter from /partager (keep
a link for later circles): the switch is /visibilite now, and /partage still works."""

from __future__ import annotations

from tests.conftest import DETROIT_CIRCLE, Chat, code_of


async def test_french_help_names_the_two_apart(chat: Chat) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Koffi", "/langue fr")
    await chat.say("Koffi", "/rejoindre " + await code_of(chat.core, "Python for Everyone"))
    everything = await chat.say("Koffi", "/aide toutes")
    assert "/visibilite [ACTIVER|DÉSACTIVER]" in everything, everything
    assert "/partager [LIEN" in everything
    assert "/partage " not in everything and "/partage\n" not in everything


async def test_the_former_name_still_switches_sharing(chat: Chat) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Koffi", "/langue fr")
    await chat.say("Koffi", "/rejoindre " + await code_of(chat.core, "Python for Everyone"))
    private = await chat.say("Koffi", "/partage désactiver")
    assert "reste désormais entre vous et moi" in private, private
    assert "/visibilite activer" in private
    assert "entre vous et moi" not in await chat.say("Koffi", "/visibilité activer")
