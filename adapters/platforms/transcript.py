"""Console messages from `circlebot run`, appended to a file as JSON lines.

People who chatted through `circlebot chat` have console accounts; a worker has no terminal to
print their reminders on, so it writes them here (TRANSCRIPT_FILE). Tests read the same file to
watch real processes. Several processes may share one file: each line is a single append, synced
before the send counts as done, so lines never interleave and none is lost to a crash after it.
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from pathlib import Path

from adapters.platforms.console import PLATFORM, ConsoleAdapter
from bot.chat.messages import Capabilities, Outbound, Receipt


class TranscriptAdapter:
    platform = PLATFORM
    capabilities: Capabilities = ConsoleAdapter.capabilities  # the same reader at the end
    description = ConsoleAdapter.description  # the console's messages, written to a file

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        line = {
            "pid": os.getpid(),
            "key": message.idempotency_key,
            "chat": message.address.chat_id,
            "text": message.text,
        }
        data = (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")
        # fsync blocks: keep it off the event loop the scheduler and dispatcher share.
        await asyncio.to_thread(self._append, data)
        return Receipt(platform_message_id=uuid.uuid4().hex)

    def _append(self, data: bytes) -> None:
        # Unbuffered append mode: one write() call per line, at the end of the file whoever else
        # is writing, so two processes' lines never mix.
        with open(self.path, "ab", buffering=0) as file:
            written = file.write(data)
            if written != len(data):
                raise OSError(f"short write to {self.path}: {written} of {len(data)} bytes")
            os.fsync(file.fileno())
