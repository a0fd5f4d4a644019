"""Inbound ids after the month they are kept in full: a platform whose ids are never given twice
refuses them for good, one whose ids start again takes them as new. On both back ends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.platforms import Platforms
from bot.dialogue import receipts
from bot.scheduling import housekeeping
from bot.storage.database import session_factory
from bot.storage.models import InboundKey, InboundReceipt
from tests.conftest import T0
from tests.platforms import PLATFORMS

LATER = T0 + housekeeping.KEEP + timedelta(days=1)


async def test_ids_of_a_permanent_platform_are_refused_for_good(
    any_engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(receipts, "BATCH", 2)  # several batches from a handful of ids
    platforms = Platforms(PLATFORMS)
    assert [p.name for p in platforms if p.permanent_message_ids] == ["sms"]
    sms = [f"SM{n:032x}" for n in range(5)]
    sessions = session_factory(any_engine)
    async with sessions() as session, session.begin():
        for message_id in sms:
            assert await receipts.first_time(session, "sms", message_id, T0)
        assert await receipts.first_time(session, "telegram", "9001", T0)
    async with sessions() as session, session.begin():
        assert await housekeeping.prune(session, LATER, platforms) == 6

    async with sessions() as session, session.begin():
        for message_id in sms:
            assert not await receipts.first_time(session, "sms", message_id, LATER)
        # Telegram's update ids start again after a quiet week: an old one may be a new update.
        assert await receipts.first_time(session, "telegram", "9001", LATER)
        # The key is the platform's and the id's together.
        assert await receipts.first_time(session, "telegram", sms[0], LATER)
        assert await receipts.first_time(session, "sms", "SM" + "f" * 32, LATER)
        keys = (await session.exec(select(func.count()).select_from(InboundKey))).one()
        assert keys == len(sms)

    # A month after the replays, their receipts go too, onto the keys already there.
    async with sessions() as session, session.begin():
        gone = await housekeeping.prune(session, LATER + housekeeping.KEEP * 2, platforms)
        assert gone == len(sms) + 3
        assert (await session.exec(select(func.count()).select_from(InboundReceipt))).one() == 0
    async with sessions() as session, session.begin():
        assert not await receipts.first_time(session, "sms", sms[-1], LATER + timedelta(days=900))
        assert not await receipts.first_time(session, "sms", "SM" + "f" * 32, LATER)


def test_a_key_is_eight_bytes_of_the_platform_and_the_id() -> None:
    key = receipts.key("sms", "SM" + "0" * 32)
    assert -(2**63) <= key < 2**63
    assert key == receipts.key("sms", "SM" + "0" * 32)
    assert key != receipts.key("sm", "sSM" + "0" * 32)  # the separator keeps them apart
