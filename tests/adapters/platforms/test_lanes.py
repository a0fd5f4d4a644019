"""Lanes: each chat's messages one at a time and in order, different chats side by side."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from adapters.platforms.lanes import Lanes


class Journal:
    """What the jobs did, in order: ("start", name) and ("end", name)."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str]] = []

    def job(self, name: str, until: asyncio.Event | None = None) -> Callable[[], Awaitable[str]]:
        async def run() -> str:
            self.entries.append(("start", name))
            if until is not None:
                await until.wait()
            await asyncio.sleep(0)  # a job always waits for something
            self.entries.append(("end", name))
            return name

        return run

    def spans(self, name: str) -> tuple[int, int]:
        return self.entries.index(("start", name)), self.entries.index(("end", name))


async def test_a_chats_messages_run_one_at_a_time_in_order_while_other_chats_go_ahead() -> None:
    lanes = Lanes(width=4)
    journal = Journal()
    first_may_finish = asyncio.Event()
    # Amina writes three messages quickly; her first is slow. Brian and Chen write meanwhile.
    tasks = [
        asyncio.create_task(lanes.run("amina", journal.job("amina 1", first_may_finish))),
        asyncio.create_task(lanes.run("amina", journal.job("amina 2"))),
        asyncio.create_task(lanes.run("brian", journal.job("brian"))),
        asyncio.create_task(lanes.run("amina", journal.job("amina 3"))),
        asyncio.create_task(lanes.run("chen", journal.job("chen"))),
    ]
    # Brian and Chen are answered while Amina's first message is still being handled.
    assert await asyncio.wait_for(asyncio.gather(tasks[2], tasks[4]), 5) == ["brian", "chen"]
    assert ("end", "amina 1") not in journal.entries
    assert ("start", "amina 2") not in journal.entries
    first_may_finish.set()
    assert await asyncio.gather(*tasks) == ["amina 1", "amina 2", "brian", "amina 3", "chen"]
    one, two, three = journal.spans("amina 1"), journal.spans("amina 2"), journal.spans("amina 3")
    assert one[1] < two[0] and two[1] < three[0]  # each after the one before had finished
    assert lanes.most_running >= 2


async def test_no_more_chats_than_the_width_are_handled_at_once() -> None:
    lanes = Lanes(width=2)
    journal = Journal()
    go = asyncio.Event()
    tasks = [
        asyncio.create_task(lanes.run(f"chat {n}", journal.job(f"chat {n}", go))) for n in range(5)
    ]
    for _ in range(20):  # every task has run as far as it can
        await asyncio.sleep(0)
    assert lanes.running == 2
    assert [name for event, name in journal.entries if event == "start"] == ["chat 0", "chat 1"]
    go.set()
    await asyncio.gather(*tasks)
    assert lanes.most_running == 2 and lanes.running == 0


async def test_a_failing_message_does_not_block_its_chat() -> None:
    lanes = Lanes()
    journal = Journal()

    async def failing() -> str:
        raise RuntimeError("the handler broke")

    with pytest.raises(RuntimeError):
        await lanes.run("amina", failing)
    assert await lanes.run("amina", journal.job("amina 2")) == "amina 2"


def test_a_width_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        Lanes(width=0)
