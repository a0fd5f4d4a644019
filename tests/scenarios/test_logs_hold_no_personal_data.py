"""Logs hold no personal data (issue 17): a whole SMS season is played with every logger captured
at DEBUG, and no log line holds a learner's phone number (E.164, without its "+", national), the
name of anyone in the season, nor anything she texted.

The season is tests/scenarios/test_sms_season.py's, played again as it is, then the paths that
log: a handler that fails (the issue's `handler failed: platform=sms chat=+2547...`), a gateway
that fails, a delivery report of a failure, and a number the gateway refuses for good.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import timedelta

import phonenumbers
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.redaction import pseudonym
from bot.core import Core
from bot.core.router import Router
from bot.storage.models import Account, CheckIn, Letter, Person, Reflection
from tests.adapters.platforms.fake_sms import FakeTwilio, queue_sms, sms_core
from tests.adapters.platforms.test_sms_twilio import LEARNER, Bot, serve
from tests.conftest import T0
from tests.database import open_session
from tests.scenarios.test_sms_season import (
    test_a_learner_plays_a_whole_season_by_sms_alone as play_the_sms_season,
)


@pytest.fixture
def core(sqlite_engine: AsyncEngine) -> Core:
    return sms_core(sqlite_engine, FakeClock(T0), seed=5)


@pytest.fixture
async def bot(core: Core, twilio: FakeTwilio) -> AsyncIterator[Bot]:
    bot = await serve(core, twilio)
    yield bot
    await bot.client.close()
    await bot.server.close()
    await bot.adapter.stop()


def spellings(number: str) -> set[str]:
    """The ways a log could write a phone number."""
    parsed = phonenumbers.parse(number)
    formats = (
        phonenumbers.PhoneNumberFormat.NATIONAL,
        phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    )
    return {
        number,
        number.removeprefix("+"),
        str(parsed.national_number),
        *(phonenumbers.format_number(parsed, style) for style in formats),
    }


async def personal_data(core: Core, texts: list[str]) -> set[str]:
    """Everything of the season's people a log must not show, read back from the database:
    their numbers and platform ids, their names, their answers and letters; and `texts`, what
    she texted and what was written to her."""
    found: set[str] = set()
    async with open_session(core) as session:
        for account in (await session.exec(select(Account))).all():
            for value in (account.external_id, account.address):
                found |= spellings(value) if account.platform == "sms" else {value}
        found |= {person.display_name for person in (await session.exec(select(Person))).all()}
        found |= {row.text for row in (await session.exec(select(Reflection))).all()}
        found |= {row.answer or "" for row in (await session.exec(select(CheckIn))).all()}
        for letter in (await session.exec(select(Letter))).all():
            found |= {letter.signature, letter.text}
    # Sentences, not the keywords and digits every SMS user sends ("YES", "1").
    found |= {body for body in texts if " " in body.strip()}
    return {value for value in found if len(value) >= 4}


async def test_a_whole_sms_season_logs_no_number_name_or_text(
    bot: Bot,
    core: Core,
    twilio: FakeTwilio,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, every level (the storage layer keeps
    # aiosqlite's trace of every statement, values and all, at INFO)
    texts: list[str] = []  # what she texted, and what the test writes to her
    text = bot.text

    async def recorded(sender: str, body: str, sid: str) -> list[str]:
        texts.append(body)
        return await text(sender, body, sid)

    monkeypatch.setattr(bot, "text", recorded)

    await play_the_sms_season(bot, core, twilio)

    # A handler that fails: the apology goes out and the failure is logged with its traceback.
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the handler broke")

    with monkeypatch.context() as patch:
        patch.setattr(Router, "_handle_in", broken)
        [apology] = await bot.text(
            LEARNER, "Can someone call me back at home?", sid="SM" + "9" * 32
        )
    assert "something went wrong" in apology
    assert "handler failed: platform=sms" in caplog.text

    # A gateway that fails, then takes the message; a delivery report says it never arrived.
    clock = core.clock
    assert isinstance(clock, FakeClock)
    twilio.plan(LEARNER, "500")
    texts.append("Grace, the library is closed on Thursday.")
    await queue_sms(core, LEARNER, texts[-1])
    adapters = {"sms": bot.adapter}
    await core.dispatch(adapters)
    clock.set(clock.now() + timedelta(hours=1))
    assert await core.dispatch(adapters) == 1
    assert await bot.status(twilio.ids[-1], "undelivered", ErrorCode="30003") == 200
    # A number the gateway refuses for good (it texted STOP to Twilio itself).
    twilio.unsubscribed.add(LEARNER)
    texts.append("Grace, your circle meets tomorrow.")
    await queue_sms(core, LEARNER, texts[-1])
    await core.dispatch(adapters)
    assert "is dead" in caplog.text

    needles = await personal_data(core, texts)
    assert LEARNER in needles and "Grace" in needles and "Amina" in needles
    assert len(caplog.records) > 20
    leaks = sorted(
        {
            f"{record.name}:{record.levelname}: {needle!r} in {record.getMessage()[:160]!r}"
            for record in caplog.records
            for needle in needles
            if needle.casefold() in (record.getMessage() + repr(record.args)).casefold()
        }
    )
    assert leaks == []
    # Tracebacks included: the formatted log as a handler writes it.
    assert [needle for needle in needles if needle.casefold() in caplog.text.casefold()] == []


def test_a_pseudonym_is_short_stable_and_keyed_by_the_environment() -> None:
    assert pseudonym(LEARNER) == pseudonym(LEARNER) != pseudonym("+13135550148")
    assert len(pseudonym(LEARNER)) == 10
    # With LOG_PSEUDONYM_KEY, every process (and an operator) computes the same pseudonym.
    script = f"from bot.chat.redaction import pseudonym; print(pseudonym({LEARNER!r}))"
    environment = {**os.environ, "LOG_PSEUDONYM_KEY": "operator's key"}
    printed = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    ).stdout.strip()
    expected = hmac.new(b"operator's key", LEARNER.encode(), hashlib.sha256).hexdigest()[:10]
    assert printed == expected
