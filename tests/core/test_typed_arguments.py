"""Command arguments are typed and keyed: a meeting number is checked against the circle's
meetings before any handler runs, whatever its size, on every command that takes one."""

from __future__ import annotations

import pytest

from bot.core import Core
from bot.dialogue.registry import check_meetings, parse_args
from tests.conftest import DETROIT_CIRCLE, Chat

NO_SUCH = "There is no meeting %d. This circle has meetings 1 to 6."


@pytest.mark.parametrize(
    "command",
    [
        "/cancel %d",
        "/uncancel %d",
        "/skipweek %d",
        "/attendance %d",
        "/reschedule %d 2026-12-01 18:00",
    ],
)
async def test_a_meeting_outside_the_circle_is_refused_with_its_range(
    chat: Chat, command: str
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    for number in (0, 7, 2**31 - 1):
        assert NO_SUCH % number in await chat.say("Amina", command % number)
    # Too big for any meeting: the same answer with the range (walkthrough A7, session 9),
    # not the generic apology, and nothing reaches the database.
    assert NO_SUCH % 10**30 in await chat.say("Amina", command % 10**30)


async def test_a_learner_rsvp_for_a_meeting_outside_the_circle_is_refused(chat: Chat) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    from tests.conftest import code_of

    code = await code_of(chat.core, "Python for Everyone")
    await chat.say("Brian", f"/join {code}")
    assert NO_SUCH % 9 in await chat.say("Brian", "/rsvp yes 9")
    assert "There is no meeting" not in await chat.say("Brian", "/rsvp yes 2")


def test_arguments_are_read_by_their_stable_keys_and_meetings_checked_before_the_handler(
    core: Core,
) -> None:
    from bot.chat.errors import UserError
    from bot.core.command_table import build_registry

    registry = build_registry()
    tr = core.catalogs.translator("fr")
    reschedule = registry.get("reschedule")
    assert reschedule is not None
    args = parse_args(reschedule, "3 2026-12-01 18:00", tr)
    assert set(args) == {"meeting", "date", "time"}  # the same keys in every language
    check_meetings(reschedule.args, args, 6)
    with pytest.raises(UserError) as refused:
        check_meetings(reschedule.args, {**args, "meeting": 7}, 6)
    assert refused.value.params == {"number": 7, "count": 6}


async def test_sub_commands_run_their_own_handlers_with_typed_arguments_in_any_language(
    chat: Chat,
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    assert "Check-in: 2 days after each meeting, at 9:30 AM." in await chat.say(
        "Amina", "/rhythm checkin 2 9:30"
    )
    await chat.say("Amina", "/language fr")
    shown = await chat.say("Amina", "/rhythm bilan 3 18:00")  # the sub-command's French word
    assert "3 jours" in shown and "18:00" in shown
    # Its own usage line, in the reader's language, with its example.
    refused = await chat.say("Amina", "/rhythm bilan demain")
    assert "/rythme bilan " in refused and "HEURE" in refused and "/rythme bilan 1 10:00" in refused
    assert "n'est pas une heure" in await chat.say("Amina", "/rhythm bilan 1 25:00")


async def test_a_command_named_in_the_readers_language_runs_and_typos_suggest_only_usable_ones(
    chat: Chat,
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    from tests.conftest import code_of

    await chat.say("Brian", "/language fr")
    await chat.say("Brian", "/join " + await code_of(chat.core, "Python for Everyone"))
    assert "/dispo" in await chat.say("Brian", "/aide")  # /help as French menus name it
    learner = await chat.say("Brian", "/atendance")
    assert "/attendance" not in learner and "/aide" in learner  # a facilitator's command
    assert "Did you mean /attendance?" in await chat.say("Amina", "/atendance")
