"""sms 24: by SMS, HELP RSVP and a bare RSVP showed "RSVP YES|no [MEETING]": bars, brackets and
mixed case mean nothing on a basic phone. Usage lines by SMS are plain words."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import Chat, code_of
from tests.rhythm.test_checkins_paused import CIRCLE, PHONE, circle_with


async def _sms_learner(chat: Chat, core: Core) -> Chat:
    phones = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await circle_with(chat, core)
    assert "Welcome" in await phones.say(PHONE, "JOIN " + await code_of(core, CIRCLE))
    await phones.say(PHONE, "Kipchoge")
    await phones.say(PHONE, "SKIP")
    await phones.say(PHONE, "SKIP")
    return phones


async def test_help_rsvp_by_sms_is_plain_words(chat: Chat, core: Core, clock: FakeClock) -> None:
    phones = await _sms_learner(chat, core)
    helped = await phones.say(PHONE, "HELP RSVP")
    assert helped.startswith("RSVP YES, NO, or MAYBE\nSay whether you'll come to the next meeting")
    assert "For example: RSVP YES 3" in helped
    assert not {"|", "[", "]"} & set(helped)
    sharing = await phones.say(PHONE, "HELP SHARING")
    assert sharing.startswith("SHARING ON or OFF\n") and not {"|", "["} & set(sharing)


async def test_a_bare_rsvp_in_swahili_is_plain_words(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    phones = await _sms_learner(chat, core)
    await phones.say(PHONE, "LUGHA sw")
    answer = await phones.say(PHONE, "HUDHURIA")
    assert not {"|", "[", "]"} & set(answer), answer
