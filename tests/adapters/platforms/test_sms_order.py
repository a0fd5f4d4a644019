"""Two texts from one phone arriving at once (each its own webhook) are handled in the order
they came; a text from another phone is not held up behind them."""

from __future__ import annotations

import asyncio
import urllib.parse
from typing import Any

import pytest

from bot.chat.contract import Adapter
from bot.chat.messages import Inbound
from bot.core import Core
from tests.adapters.platforms.fake_sms import FakeAfricasTalking, FakeTwilio
from tests.adapters.shell.test_web_hardening import AT_TOKEN, FORM, close, serve, sms_adapter

WAIT_SECONDS = 10.0


async def test_one_phones_texts_are_handled_in_the_order_they_came(
    core: Core, twilio: FakeTwilio, at: FakeAfricasTalking, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = core.answer
    journal: list[str] = []
    first_began, let_first_go = asyncio.Event(), asyncio.Event()

    async def watched(inbound: Inbound, adapter: Adapter) -> Any:
        journal.append("start " + inbound.message_id)
        if inbound.message_id == "m1":
            first_began.set()
            await let_first_go.wait()
        try:
            return await answer(inbound, adapter)
        finally:
            journal.append("end " + inbound.message_id)

    monkeypatch.setattr(core, "answer", watched)
    served = await serve(core, sms_adapter(core, twilio, at))

    def text(message_id: str, sender: str, words: str) -> bytes:
        return urllib.parse.urlencode({"id": message_id, "from": sender, "text": words}).encode()

    post = served.post
    try:
        first = asyncio.create_task(
            post("/sms/africastalking", text("m1", "+254700000001", "HELP"), FORM, token=AT_TOKEN)
        )
        await asyncio.wait_for(first_began.wait(), WAIT_SECONDS)
        second = asyncio.create_task(
            post("/sms/africastalking", text("m2", "+254700000001", "NEXT"), FORM, token=AT_TOKEN)
        )
        other = text("m3", "+254700000002", "HELP")
        assert (
            await asyncio.wait_for(
                post("/sms/africastalking", other, FORM, token=AT_TOKEN), WAIT_SECONDS
            )
            == 200
        )
        assert "start m2" not in journal  # waits for the first of its phone
        let_first_go.set()
        assert await asyncio.gather(first, second) == [200, 200]
    finally:
        await close(served)
    assert journal.index("end m1") < journal.index("start m2")
