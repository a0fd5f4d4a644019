"""Walk D27: a co-facilitator on a feature phone got the whole end-of-circle report by SMS
(about 600 characters, five parts, "meeting 2 not recorded" five times). By SMS it is the
thanks and the key numbers in one text, and where the whole report is."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES, gsm_lookalike, sms_segments
from bot.core import Core
from bot.reports.closeout import CLOSING_THANKS_SMS
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_sms_words import Phones

PHONE = "+4520000001"
AFTER_MEETING_1 = datetime(2026, 10, 30, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("language", ["en", "sw", "fr", "es", "de", "da"])
async def test_the_report_by_sms_is_one_text(
    chat: Chat, core: Core, clock: FakeClock, language: str
) -> None:
    phones = Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE + f" language={language}")
    code = await code_of(core, "Python for Everyone")
    await chat.say("Brian", f"/join {code}")
    await phones.say(PHONE, f"JOIN {code}")
    await phones.say(PHONE, "Ib")
    await phones.say(PHONE, "/skip")
    await chat.say("Amina", "/cofacilitator Ib")
    await phones.deliver()
    clock.set(AFTER_MEETING_1)
    await chat.say("Amina", "/close")
    await chat.say("Amina", "1")
    await core.tick()
    texts = [m.text for m in await phones.deliver() if m.address.chat_id == PHONE.casefold()]
    thanks = core.catalogs.translator(language)._(CLOSING_THANKS_SMS, circle="Python for Everyone")
    summary = [text for text in texts if text.startswith(gsm_lookalike(thanks))]
    assert summary, texts
    assert sum(sms_segments(text) for text in summary) == 1, summary
    assert "1" in summary[0] and "Attendance" not in summary[0], summary
    # In the chat app, Amina still has the whole report.
    whole = "\n".join(m.text for m in await chat.deliver() if m.address.chat_id == "amina")
    assert len(whole) > 2 * len(summary[0]), whole
