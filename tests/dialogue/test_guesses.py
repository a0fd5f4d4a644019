"""What "did you mean" offers for a command name nobody has: a close one, in the person's own
language, and never one that ends or erases something on a loose likeness."""

from __future__ import annotations

from tests.conftest import DETROIT_CIRCLE, Chat


async def test_a_french_learner_is_offered_the_french_name_of_a_near_miss(chat: Chat) -> None:
    answer = await chat.say("Aminata", "/chrcher Dakar", locale_hint="fr")
    assert "/chercher" in answer


async def test_a_loose_likeness_never_suggests_forgetting_everything(chat: Chat) -> None:
    for typed in ("/trouver Dakar", "/oubli", "/partage non", "/message Bob salut"):
        answer = await chat.say("Aminata", typed, locale_hint="fr")
        assert "/oublier" not in answer and "/forget" not in answer, (typed, answer)
        assert "/language" not in answer, (typed, answer)


async def test_a_nearly_typed_forget_is_still_offered(chat: Chat) -> None:
    assert "Did you mean /forget?" in await chat.say("Brian", "/foget")


async def test_a_command_name_from_another_language_still_works(chat: Chat) -> None:
    """Switched to English by mistake, a French learner sends /langue fr to come back."""
    answer = await chat.say("Aminata", "/langue fr", locale_hint="en")
    assert "I don't know /langue" not in answer


async def test_a_local_name_without_its_accent_works(chat: Chat) -> None:
    answer = await chat.say("Aminata", "/repondre 1 merci", locale_hint="fr")  # /répondre
    assert "Je ne connais pas" not in answer


async def test_the_natural_word_for_the_member_list_shows_the_members(chat: Chat) -> None:
    """A French facilitator asks for /liste (and a Spanish one for /lista): the member list
    (/membres), not "did you mean /annuaire" (whether /chercher shows the circle)."""
    await chat.say("Amélie", DETROIT_CIRCLE, locale_hint="fr")
    members = await chat.say("Amélie", "/membres", locale_hint="fr")
    assert "Amélie" in members, members
    assert await chat.say("Amélie", "/liste", locale_hint="fr") == members
    assert await chat.say("Amélie", "/participants", locale_hint="fr") == members
