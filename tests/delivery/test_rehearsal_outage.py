"""A rehearsal runs the bot's clock fast, but the platforms it talks to are real: an outage is
not hammered. The circuit's pauses and the retries' backoff last real seconds."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import WarpClock
from bot.chat.i18n import Catalogs
from bot.chat.messages import Outbound
from bot.delivery.dispatcher import Circuit, Dispatcher
from bot.storage.database import session_factory
from locales import LOCALES_DIR
from tests.conftest import T0
from tests.delivery.test_dispatcher import Outbox, RecordingAdapter, fast

SPEED = 900.0  # the walkthrough's rehearsal: a day in 96 seconds


class Wall:
    """The wall clock a rehearsal's clock reads, moved by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_an_outage_in_a_rehearsal_is_probed_and_retried_in_real_seconds(
    sqlite_engine: AsyncEngine,
) -> None:
    wall = Wall()
    clock = WarpClock(T0, SPEED, wall=wall)
    box = Outbox(session_factory(sqlite_engine), clock, Catalogs(LOCALES_DIR))  # type: ignore[arg-type]
    keys = [await box.queue(f"learner-{n}", f"Week {n} check-in") for n in range(6)]
    calls: list[str] = []

    async def outage(message: Outbound) -> None:
        calls.append(message.address.chat_id)
        raise ConnectionError("HTTP 500")

    adapter = RecordingAdapter(before_send=outage)
    dispatcher = Dispatcher(box.sessions, clock, box.catalogs, fast(), random.Random(1))
    started = clock.now()
    await dispatcher.run({"console": adapter})
    assert dispatcher.circuit.state("console") == "paused"
    tried = len(calls)

    # Two real seconds (half an hour of rehearsal): still inside the first 5 s pause, so the
    # gateway hears nothing more; a row's next try is its backoff in real seconds away.
    wall.now += 2
    await dispatcher.run({"console": adapter})
    assert len(calls) == tried
    row = await box.row(keys[0])
    assert row.next_attempt_at - started >= timedelta(seconds=2 * SPEED)

    # Once the real pause is over, one probe goes out.
    wall.now += Circuit.FIRST_PAUSE
    await dispatcher.run({"console": adapter})
    assert len(calls) == tried + 1
