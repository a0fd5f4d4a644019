"""The Discord adapter, driven through the real discord.py against a fake Discord on 127.0.0.1.

Nothing of discord.py is mocked. The adapter logs in over REST and connects the gateway of
tests/adapters/platforms/fake_discord.py, which sends HELLO and READY and then the gateway events
a test injects, zlib-compressed as Discord does. The events are the recorded payloads in
payloads/discord/ (INTERACTION_CREATE for a slash command, a button, a modal submit and an
autocomplete; MESSAGE_CREATE in a DM) with ids and values filled in. So discord.py decompresses
and parses them itself, its CommandTree finds the slash command and converts its options, its
DynamicItem machinery rebuilds a button from its custom_id, its Modal reads the submitted text;
the adapter turns what discord.py hands it into Inbound messages for a real Core (SQLite, a fake
clock), and the answers come back out as the REST calls discord.py makes (interaction callbacks,
webhook follow-ups, channel messages), which the tests read as a user would see them.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.platforms.discord_bot import DiscordAdapter, DiscordSettings
from bot.chat.clock import FakeClock
from bot.chat.contract import PermanentDeliveryError, RetryLater
from bot.chat.messages import Address, Outbound
from bot.chat.rendering import text_length
from bot.core import Core
from tests.adapters.platforms.fake_discord import APP_ID, Call, FakeDiscord
from tests.conftest import DETROIT_CIRCLE, code_of
from tests.platforms import PLATFORMS

PAYLOADS = Path(__file__).parent / "payloads" / "discord"
GUILD = "1000000000000000001"
CIRCLE_CHANNEL = "1000000000000000010"
CIRCLE = "Python for Everyone"
CHECKIN_1 = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)  # the morning after meeting 1, in Detroit
AFTER_MEETING_3 = datetime(2026, 11, 13, 12, 0, tzinfo=UTC)
LETTER = "Keep going, even on the weeks when the loops make no sense. We got there together!"
NO_PINGS = {"parse": []}
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content


def person(user_id: str, username: str, name: str) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": username,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "public_flags": 0,
    }


AMINA = person("1000000000000000101", "amina.k", "Amina")
BRIAN = person("1000000000000000201", "brian.detroit", "Brian")
BRIAN_DM = "1000000000000000301"
AMINA_DM = "1000000000000000302"


def recorded(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / name).read_text())


def fresh(fake: FakeDiscord, data: dict[str, Any]) -> dict[str, Any]:
    """A new interaction id and token: Discord never repeats them."""
    data["id"] = fake.new_id()
    data["token"] = "token-" + data["id"]
    return data


def in_server(data: dict[str, Any], user: dict[str, Any], locale: str = "en-US") -> dict[str, Any]:
    server = recorded("interaction_slash_command.json")
    for key in ("guild_id", "guild", "member", "guild_locale", "channel"):
        data[key] = copy.deepcopy(server[key])
    data.pop("user", None)
    data["channel_id"] = CIRCLE_CHANNEL
    data["member"]["user"] = user
    data["locale"] = locale
    return data


def in_dm(data: dict[str, Any], user: dict[str, Any], channel_id: str) -> dict[str, Any]:
    for key in ("guild_id", "guild", "member", "guild_locale"):
        data.pop(key, None)
    data["user"] = user
    data["channel_id"] = channel_id
    data["channel"] = {"id": channel_id, "type": 1, "recipients": [user], "flags": 0}
    data["context"] = 1
    return data


def slash(
    fake: FakeDiscord, user: dict[str, Any], name: str, dm: str | None = None, **options: Any
) -> dict[str, Any]:
    data = fresh(fake, recorded("interaction_slash_command.json"))
    data["data"] = {
        "id": fake.new_id(),
        "name": name,
        "type": 1,
        "options": [
            {"name": key, "type": 4 if isinstance(value, int) else 3, "value": value}
            for key, value in options.items()
        ],
    }
    return in_dm(data, user, dm) if dm else in_server(data, user)


def click(
    fake: FakeDiscord, user: dict[str, Any], message: Call, custom_id: str, dm: str | None = None
) -> dict[str, Any]:
    """A click on a button of a message the bot sent (as the fake recorded it)."""
    data = fresh(fake, recorded("interaction_button.json"))
    data["message"]["id"] = fake.new_id()
    data["message"]["content"] = message.content
    data["message"]["components"] = message.body["components"]
    data["message"]["flags"] = message.body.get("flags") or 0
    data["data"] = {"component_type": 2, "custom_id": custom_id}
    if dm:
        in_dm(data, user, dm)
    else:
        in_server(data, user)
    data["message"]["channel_id"] = data["channel_id"]
    return data


def dm_message(
    fake: FakeDiscord, user: dict[str, Any], channel_id: str, text: str
) -> dict[str, Any]:
    data = recorded("message_create_dm.json")
    data.update(id=fake.new_id(), channel_id=channel_id, author=user, content=text)
    return data


def followups(fake: FakeDiscord, data: dict[str, Any]) -> list[Call]:
    return [c for c in fake.find("POST", "/webhooks/") if data["token"] in c.path]


def callback(fake: FakeDiscord, data: dict[str, Any]) -> Call:
    [call] = [c for c in fake.find("POST", "/callback") if f"/{data['id']}/" in c.path]
    return call


async def interact(fake: FakeDiscord, data: dict[str, Any]) -> list[Call]:
    """Send an interaction through the gateway; the follow-ups that answer it."""
    start = len(fake.calls)
    await fake.dispatch("INTERACTION_CREATE", data)
    await fake.wait_for(lambda c: data["token"] in c.path and "/webhooks/" in c.path, start)
    await fake.settle(0.4)
    return followups(fake, data)


async def say_in_dm(fake: FakeDiscord, user: dict[str, Any], channel: str, text: str) -> list[Call]:
    """A DM to the bot; the messages it writes back to that channel."""
    start = len(fake.calls)
    await fake.dispatch("MESSAGE_CREATE", dm_message(fake, user, channel, text))
    await fake.wait_for(lambda c: c.path == f"/channels/{channel}/messages", start)
    await fake.settle(0.4)
    return [c for c in fake.calls[start:] if c.path == f"/channels/{channel}/messages"]


def assert_no_pings(fake: FakeDiscord) -> None:
    """Every message the bot wrote, proactive or an answer, has mentions switched off."""
    written = [c for c in fake.calls if c.method == "POST" and c.body and "content" in c.body]
    assert written
    for call in written:
        assert call.body.get("allowed_mentions") == NO_PINGS, call.path


def adapter_for(core: Core, fake: FakeDiscord, guild_id: str | None = None) -> DiscordAdapter:
    settings = DiscordSettings(
        discord_bot_token="test-token",
        discord_api_base_url=fake.api_base_url,
        discord_guild_id=guild_id,
    )
    adapter = DiscordAdapter.from_settings(settings, core)
    adapter.guild_ready_timeout = 0.05  # no guilds to wait for in the fake's READY
    return adapter


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    server.dm_channels.update({BRIAN["id"]: BRIAN_DM, AMINA["id"]: AMINA_DM})
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def core(sqlite_engine: AsyncEngine, clock: FakeClock) -> Core:
    return Core(sqlite_engine, clock, random.Random(7), platforms=PLATFORMS)


@pytest.fixture
async def adapter(core: Core, fake: FakeDiscord) -> AsyncIterator[DiscordAdapter]:
    running = adapter_for(core, fake)
    await running.start()
    yield running
    await running.stop()


async def new_circle(fake: FakeDiscord, core: Core) -> str:
    """Amina starts the Detroit circle from the server channel; its join code."""
    details = DETROIT_CIRCLE.removeprefix("/newcircle ")
    [answer] = await interact(fake, slash(fake, AMINA, "newcircle", details=details))
    assert "is ready" in answer.content
    return await code_of(core, CIRCLE)


# -- slash commands -------------------------------------------------------------------------------


async def test_commands_sync_with_translations_and_no_privileged_intents(
    adapter: DiscordAdapter, fake: FakeDiscord
) -> None:
    [sync] = fake.find("PUT", f"/applications/{APP_ID}/commands")
    commands = {command["name"]: command for command in sync.body}
    for facilitator in ("invite", "roster", "attendance", "announce", "linkchat", "reschedule"):
        assert facilitator in commands
    join = commands["join"]
    assert join["description"] == "Join a circle with its code"
    assert join["description_localizations"]["fr"] == "Rejoindre un cercle avec son code"
    assert join["description_localizations"]["de"] == "Mit einem Code einem Kreis beitreten"
    assert join["description_localizations"]["es-ES"] == "Unirte a un círculo con su código"
    assert join["description_localizations"]["da"] == "Bliv medlem af en cirkel med dens kode"
    # Names too: Discord shows "/rejoindre" to a French reader and still sends "join" back.
    assert join["name_localizations"]["fr"] == "rejoindre"
    assert join["name_localizations"]["de"] == "beitreten"
    assert commands["next"]["name_localizations"]["da"] == "næste"
    french = [(c.get("name_localizations") or {}).get("fr") for c in sync.body]
    named = [name for name in french if name]
    assert len(named) > 30 and len(set(named)) == len(named)  # Discord refuses duplicates
    [code] = join["options"]
    assert (code["name"], code["type"], code["required"]) == ("code", 3, True)
    assert code["name_localizations"]["da"] == "kode"
    # /rsvp's meeting is a number or a date ("Dec 8"), typed: a string option.
    meeting = commands["rsvp"]["options"][1]
    assert (meeting["name"], meeting["type"], meeting["required"]) == ("meeting", 3, False)
    assert meeting["name_localizations"] == {
        "fr": "réunion",
        "de": "treffen",
        "es-ES": "reunión",
        "es-419": "reunión",
        "da": "møde",
    }
    # Facilitators pick one of their circles; learners are asked with buttons instead.
    # (names: who came, in one line: walkthrough 8, fac 6)
    assert [o["name"] for o in commands["attendance"]["options"]] == [
        "meeting",
        "names",
        "circle",
    ]
    assert "circle" not in [o["name"] for o in commands["rsvp"]["options"]]
    # The whole "/newcircle" line in one option, spaces and quotes included.
    [details] = commands["newcircle"]["options"]
    assert (details["type"], details["required"]) == (3, False)
    # Every shipped language Discord offers; it has no Swahili, so Swahili readers see English.
    locales = {
        locale
        for command in sync.body
        for part in [command, *command.get("options", [])]
        for key in ("name_localizations", "description_localizations")
        for locale in part.get(key) or {}
    }
    assert locales == {"fr", "de", "es-ES", "es-419", "da"}
    [identify] = fake.identified
    assert identify["intents"] & PRIVILEGED_INTENTS == 0


async def test_sub_commands_are_a_command_group(
    adapter: DiscordAdapter, fake: FakeDiscord, core: Core
) -> None:
    """/team is a group: the team on its own ("show"), then new, add, leave and weekly, each
    with its own options; a sub-command invoked reaches the core as "/team add CODE"."""
    [sync] = fake.find("PUT", f"/applications/{APP_ID}/commands")
    team = {command["name"]: command for command in sync.body}["team"]
    subs = {option["name"]: option for option in team["options"]}
    assert list(subs) == ["show", "new", "add", "leave", "weekly"]
    assert {option["type"] for option in subs.values()} == {1}  # SUB_COMMAND
    [code] = subs["add"]["options"]
    assert (code["name"], code["required"]) == ("code", True)
    assert subs["add"]["description"] == "Add your circle to a team with the team's code"
    await new_circle(fake, core)
    data = slash(fake, AMINA, "team")
    data["data"]["options"] = [
        {"type": 1, "name": "add", "options": [{"name": "code", "type": 3, "value": "ZZZZZZ"}]}
    ]
    [answer] = await interact(fake, data)
    assert "There's no team with the code ZZZZZZ" in answer.content
    data = slash(fake, AMINA, "team")
    data["data"]["options"] = [{"type": 1, "name": "show", "options": []}]
    [answer] = await interact(fake, data)
    assert "You don't organize a team yet" in answer.content


async def test_commands_sync_to_one_server_when_a_guild_is_set(
    core: Core, fake: FakeDiscord
) -> None:
    adapter = adapter_for(core, fake, guild_id=GUILD)
    await adapter.start()
    await adapter.stop()
    [sync] = fake.find("PUT", "/commands")
    assert sync.path == f"/applications/{APP_ID}/guilds/{GUILD}/commands"
    assert "join" in [command["name"] for command in sync.body]


async def test_a_slash_command_in_a_server_answers_privately(
    adapter: DiscordAdapter, fake: FakeDiscord, core: Core
) -> None:
    code = await new_circle(fake, core)
    join = slash(fake, BRIAN, "join", code=code)
    [welcome] = await interact(fake, join)
    # First a deferred, private "thinking" answer, then the reply in its place.
    deferred = callback(fake, join).body
    assert (deferred["type"], deferred["data"]["flags"]) == (5, 64)
    assert "Welcome" in welcome.content and CIRCLE in welcome.content
    assert "What do you hope to get out of Python for Everyone?" in welcome.content
    assert welcome.body["flags"] & 64  # only Brian sees it
    # Nobody can type an answer in a server channel the bot cannot read: a button opens a box.
    assert [(b["label"], b["custom_id"]) for b in welcome.buttons] == [
        ("Write my answer", "cb:write:answer")
    ]
    # His DM channel is where reminders will reach him.
    assert fake.find("POST", "/users/@me/channels")
    assert_no_pings(fake)


async def test_a_modal_answer_and_a_button_click_in_a_server(
    adapter: DiscordAdapter, fake: FakeDiscord, core: Core
) -> None:
    code = await new_circle(fake, core)
    [welcome] = await interact(fake, slash(fake, BRIAN, "join", code=code))

    write = click(fake, BRIAN, welcome, "cb:write:answer")
    await fake.dispatch("INTERACTION_CREATE", write)
    opened = await fake.wait_for(lambda c: f"/{write['id']}/" in c.path)
    assert opened.body["type"] == 9  # a modal
    modal = opened.body["data"]
    assert modal["title"] == "Your answer"
    [row] = modal["components"]
    [box] = row["components"]
    assert (box["type"], box["style"], box["custom_id"]) == (4, 2, "text")  # a paragraph

    submit = fresh(fake, recorded("interaction_modal_submit.json"))
    in_server(submit, BRIAN)
    submit["data"]["custom_id"] = modal["custom_id"]
    [thanks] = await interact(fake, submit)
    assert "Thank you, I'll remind you of it near the end." in thanks.content
    assert [(b["label"], b["custom_id"]) for b in thanks.buttons] == [
        ("Yes, share", "cb:1:yes"),
        ("No, keep private", "cb:2:no"),
    ]

    [shared] = await interact(fake, click(fake, BRIAN, thanks, "cb:1:yes"))
    assert callback(fake, submit).body["type"] == 5
    assert "Your facilitator will see what you write in check-ins." in shared.content
    assert shared.body["flags"] & 64
    assert_no_pings(fake)


async def test_a_letter_is_written_in_a_modal_and_signed_with_a_button(
    adapter: DiscordAdapter, fake: FakeDiscord, core: Core, clock: FakeClock
) -> None:
    code = await new_circle(fake, core)
    await interact(fake, slash(fake, BRIAN, "join", code=code))
    clock.set(AFTER_MEETING_3)  # letters open halfway through the six meetings
    [invitation] = await interact(fake, slash(fake, BRIAN, "letter"))
    assert "Write to a new circle far away" in invitation.content
    assert [b["label"] for b in invitation.buttons] == ["Write my letter"]

    write = click(fake, BRIAN, invitation, "cb:write:letter")
    await fake.dispatch("INTERACTION_CREATE", write)
    opened = await fake.wait_for(lambda c: f"/{write['id']}/" in c.path)
    modal = opened.body["data"]
    assert modal["title"] == "Your letter"
    [box] = modal["components"][0]["components"]
    assert (box["min_length"], box["max_length"]) == (20, 1000)

    submit = fresh(fake, recorded("interaction_modal_submit.json"))
    in_server(submit, BRIAN)
    submit["data"]["custom_id"] = modal["custom_id"]
    submit["data"]["components"][0]["components"][0]["value"] = LETTER
    [signature] = await interact(fake, submit)
    assert "How should it be signed?" in signature.content
    assert [(b["label"], b["custom_id"]) for b in signature.buttons] == [("Brian", "cb:1:Brian")]

    [thanks] = await interact(fake, click(fake, BRIAN, signature, "cb:1:Brian"))
    assert "Thank you, Brian! Your letter goes to your facilitator" in thanks.content
    # Amina is asked to review it in her DMs, with buttons to approve or reject.
    start = len(fake.calls)
    await core.dispatch({"discord": adapter})
    to_amina = [c for c in fake.calls[start:] if c.path == f"/channels/{AMINA_DM}/messages"]
    review = next(c for c in to_amina if LETTER in c.content)
    assert [b["label"] for b in review.buttons] == ["Approve letter #1", "Reject letter #1"]


async def test_autocomplete_offers_a_facilitators_meetings(
    adapter: DiscordAdapter, fake: FakeDiscord, core: Core
) -> None:
    await new_circle(fake, core)
    asked = fresh(fake, recorded("interaction_autocomplete.json"))
    await fake.dispatch("INTERACTION_CREATE", asked)
    answer = await fake.wait_for(lambda c: f"/{asked['id']}/" in c.path)
    assert answer.body["type"] == 8
    choices = answer.body["data"]["choices"]
    assert [choice["value"] for choice in choices] == [1, 2, 3, 4, 5, 6]
    assert "29 octobre 2026" in choices[0]["name"]  # Amina's Discord is in French

    circles = fresh(fake, recorded("interaction_autocomplete.json"))
    circles["data"]["options"] = [{"name": "circle", "type": 4, "value": "", "focused": True}]
    await fake.dispatch("INTERACTION_CREATE", circles)
    answer = await fake.wait_for(lambda c: f"/{circles['id']}/" in c.path)
    [mine] = answer.body["data"]["choices"]
    assert mine["name"] == CIRCLE


# -- direct messages and proactive messages ------------------------------------------------------


async def join_by_dm(fake: FakeDiscord, core: Core) -> None:
    code = await new_circle(fake, core)
    [welcome] = await say_in_dm(fake, BRIAN, BRIAN_DM, f"/join {code}")
    assert "Welcome" in welcome.content


async def test_what_people_type_shows_as_typed_not_as_markdown(
    core: Core, fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    await join_by_dm(fake, core)
    await say_in_dm(fake, BRIAN, BRIAN_DM, "/skip")
    [named] = await say_in_dm(fake, BRIAN, BRIAN_DM, "/name *Star* __Bri__ ||x||")
    assert "\\*Star\\* \\_\\_Bri\\_\\_ \\|\\|x\\|\\|" in named.content
    assert "*Star*" not in named.content.replace("\\*", "")


async def test_buttons_still_work_after_a_restart(
    core: Core, fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    await join_by_dm(fake, core)
    [question] = await say_in_dm(fake, BRIAN, BRIAN_DM, "To build a small website for my shop.")
    assert "Thank you, I'll remind you of it near the end." in question.content
    assert [b["custom_id"] for b in question.buttons] == ["cb:1:yes", "cb:2:no"]

    await adapter.stop()
    restarted = adapter_for(core, fake)
    await restarted.start()
    try:
        [answer] = await interact(fake, click(fake, BRIAN, question, "cb:2:no", dm=BRIAN_DM))
    finally:
        await restarted.stop()
    assert "Fine: your written answers stay between you and me." in answer.content
    assert not answer.body.get("flags")  # a DM needs no "only you can see this"


async def test_a_checkin_arrives_by_dm_and_is_answered_in_words(
    core: Core, fake: FakeDiscord, adapter: DiscordAdapter, clock: FakeClock
) -> None:
    await join_by_dm(fake, core)
    await say_in_dm(fake, BRIAN, BRIAN_DM, "skip")  # the goal question
    clock.set(CHECKIN_1)
    await core.tick()
    start = len(fake.calls)
    await core.dispatch({"discord": adapter})
    to_brian = [c for c in fake.calls[start:] if c.path == f"/channels/{BRIAN_DM}/messages"]
    rating = next(c for c in to_brian if "How did meeting 1 of Python for Everyone go" in c.content)
    labels = [button["label"] for button in rating.buttons]
    assert labels == ["hard going", "so-so", "okay", "good", "great"]

    [asked] = await say_in_dm(fake, BRIAN, BRIAN_DM, "4")
    assert asked.content.startswith("Thanks")
    [thanks] = await say_in_dm(fake, BRIAN, BRIAN_DM, "Loops finally made sense this week.")
    assert "Thank" in thanks.content and "didn't catch" not in thanks.content
    assert_no_pings(fake)


async def test_an_announcement_cannot_ping_and_is_split_for_discord(
    core: Core, fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    await join_by_dm(fake, core)
    text = "@everyone <@1000000000000000201> " + "🌍" * 960
    shown = await interact(fake, slash(fake, AMINA, "announce", message=text))
    [asked] = [call for call in shown if call.buttons]  # "Send this to 1 member?"
    assert [button["label"] for button in asked.buttons] == ["Send", "Don't send"]
    [sent] = await interact(fake, click(fake, AMINA, asked, asked.buttons[0]["custom_id"]))
    assert "Sent to 1 member" in sent.content
    start = len(fake.calls)
    await core.dispatch({"discord": adapter})
    parts = [c for c in fake.calls[start:] if c.path == f"/channels/{BRIAN_DM}/messages"]
    assert len(parts) == 2  # 1,900-odd emoji are two UTF-16 units each: over 2,000
    for part in parts:
        assert text_length(part.content, adapter.capabilities.length_unit) <= 2000
        assert part.body["allowed_mentions"] == NO_PINGS
    assert "🌍" * 960 in "".join(part.content for part in parts).replace("\n", "")
    assert_no_pings(fake)


async def test_the_portfolio_comes_as_a_file(
    core: Core, fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    await join_by_dm(fake, core)
    await say_in_dm(fake, BRIAN, BRIAN_DM, "To build a small website for my shop.")
    [answer] = await interact(fake, slash(fake, BRIAN, "portfolio", dm=BRIAN_DM))
    assert "Here is your portfolio" in answer.content
    [(name, data)] = answer.files
    assert name == "portfolio.md"
    assert "To build a small website for my shop." in data.decode("utf-8")


async def test_a_user_who_blocks_dms_is_refused_for_good_and_rate_limits_wait(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    fake.blocked_channels.add(BRIAN_DM)
    with pytest.raises(PermanentDeliveryError, match="50007"):
        await adapter.send(Outbound(Address("discord", BRIAN_DM), "Meeting tomorrow!"))
    fake.unknown_channels.add("1000000000000000999")
    with pytest.raises(PermanentDeliveryError, match="10003"):
        await adapter.send(Outbound(Address("discord", "1000000000000000999"), "Hello"))
    # A long rate limit goes back to the outbox with Discord's time; short ones discord.py waits.
    fake.slow_channels[AMINA_DM] = 120.0
    with pytest.raises(RetryLater) as limited:
        await adapter.send(Outbound(Address("discord", AMINA_DM), "Hello"))
    assert limited.value.retry_after == 120.0
    del fake.slow_channels[AMINA_DM]
    receipt = await adapter.send(Outbound(Address("discord", AMINA_DM), "Hello <@&1> @here"))
    assert receipt.platform_message_id
    assert_no_pings(fake)


async def test_unknown_events_and_interactions_are_ignored_or_answered(
    core: Core, fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    start = len(fake.calls)
    await fake.dispatch("SOMETHING_DISCORD_ADDS_LATER", {"id": "1"})
    server_chat = dm_message(fake, BRIAN, CIRCLE_CHANNEL, "hello everyone")
    server_chat["guild_id"] = GUILD
    await fake.dispatch("MESSAGE_CREATE", server_chat)  # not for the bot
    mystery = fresh(fake, recorded("interaction_slash_command.json"))
    mystery["type"] = 99
    await fake.dispatch("INTERACTION_CREATE", mystery)
    await fake.settle(0.6)
    assert fake.calls[start:] == []

    sticker = dm_message(fake, BRIAN, BRIAN_DM, "")
    sticker["sticker_items"] = [{"id": "749054660769218631", "name": "Wave", "format_type": 3}]
    start = len(fake.calls)
    await fake.dispatch("MESSAGE_CREATE", sticker)
    answer = await fake.wait_for(lambda c: c.path == f"/channels/{BRIAN_DM}/messages", start)
    assert "I can only read text messages" in answer.content

    foreign = click(fake, BRIAN, answer, "poll:vote:3")
    foreign["message"]["components"] = [
        {
            "type": 1,
            "components": [{"type": 2, "style": 2, "label": "3", "custom_id": "poll:vote:3"}],
        }
    ]
    await fake.dispatch("INTERACTION_CREATE", foreign)
    stale = await fake.wait_for(lambda c: f"/{foreign['id']}/" in c.path)
    assert "That button no longer works" in stale.body["data"]["content"]

    old = slash(fake, BRIAN, "oldcommand")
    await fake.dispatch("INTERACTION_CREATE", old)
    unknown = await fake.wait_for(lambda c: f"/{old['id']}/" in c.path)
    assert "I don't know /oldcommand" in unknown.body["data"]["content"]

    [help_] = await interact(fake, slash(fake, BRIAN, "help"))  # still listening
    assert "/join" in help_.content

    # An event discord.py cannot parse ends its connection: the adapter connects again.
    broken = slash(fake, BRIAN, "help")
    del broken["attachment_size_limit"]
    await fake.dispatch("INTERACTION_CREATE", broken)
    await fake.wait_for_identify(2)
    [help_] = await interact(fake, slash(fake, BRIAN, "help"))
    assert "/join" in help_.content
