"""The `circlebot` command: the composition root that wires settings, core and adapters."""

from __future__ import annotations

import asyncio
import logging
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from bot.adapter import Adapter
from bot.clock import SystemClock
from bot.core import Core
from bot.settings import Settings
from bot.storage.database import create_engine
from bot.storage.migrate import upgrade

app = typer.Typer(no_args_is_help=True, help="circlebot: a chat-bot for learning circles.")
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
app.add_typer(db_app, name="db")

log = logging.getLogger("circlebot")


def _core(settings: Settings) -> Core:
    # Join codes must be unguessable: the OS's CSPRNG, never a seeded Random.
    return Core(create_engine(settings.database_url), SystemClock(), secrets.SystemRandom())


@app.command()
def demo() -> None:
    """Play a scripted season on a fake clock and print the transcript (SQLite, no tokens)."""
    from adapters.demo import run_demo

    with tempfile.TemporaryDirectory(prefix="circlebot-demo-") as directory:
        asyncio.run(run_demo(sys.stdout, Path(directory)))


@app.command()
def bench(
    learners: Annotated[int, typer.Option(help="How many learners join and ask /next.")] = 100,
    database_url: Annotated[
        str | None, typer.Option(help="An empty database to use (default: SQLite in a temp dir).")
    ] = None,
) -> None:
    """Print speed figures: the demo's time and messages per second through the core."""
    from adapters.bench import run_bench

    asyncio.run(run_bench(sys.stdout, database_url, learners))


@app.command()
def chat(
    name: Annotated[str, typer.Option("--as", help="Who you are in the chat.")] = "Facilitator",
    locale: Annotated[str | None, typer.Option(help="Your language, e.g. en.")] = None,
) -> None:
    """Chat with the bot in this terminal (type :as NAME to switch person, :quit to stop)."""
    from adapters.console import ConsoleAdapter

    settings = Settings()

    async def session() -> None:
        core = _core(settings)
        try:
            await upgrade(core.engine)
            await ConsoleAdapter(core, sys.stdout, locale).chat(name, sys.stdin)
        finally:
            await core.close()

    logging.basicConfig(level=logging.WARNING)
    asyncio.run(session())


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration (the Procfile's release step)."""

    async def migrate() -> None:
        engine = create_engine(Settings().database_url)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    logging.basicConfig(level=logging.INFO)
    asyncio.run(migrate())


async def _serve(core: Core, settings: Settings) -> None:
    from aiohttp import web

    from adapters.web import build_app

    runner = web.AppRunner(build_app(core))
    await runner.setup()
    await web.TCPSite(runner, host="0.0.0.0", port=settings.port).start()
    log.info("web app listening on port %s", settings.port)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


@app.command()
def serve() -> None:
    """The web process: health now, platform webhooks as adapters land."""
    settings = Settings()
    logging.basicConfig(level=logging.INFO)

    async def main() -> None:
        core = _core(settings)
        try:
            await _serve(core, settings)
        finally:
            await core.close()

    asyncio.run(main())


def platform_adapters(settings: Settings, core: Core) -> dict[str, Adapter]:
    """The adapters whose credentials are set, by platform.

    Telegram, Discord and SMS register here as they land; until then none is configured and the
    outbox keeps their rows, to be sent once they are.
    """
    return {}


@app.command()
def run() -> None:
    """The worker: outbox dispatcher on a schedule, platform adapters, and the web app."""
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    settings = Settings()
    logging.basicConfig(level=logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # it logs every run at INFO

    async def main() -> None:
        core = _core(settings)
        await upgrade(core.engine)
        adapters = platform_adapters(settings, core)
        if not adapters:
            log.warning("no platform adapter configured: messages wait in the outbox")
        for adapter in adapters.values():
            await adapter.start()
        scheduler = AsyncIOScheduler()
        scheduler.add_job(
            core.dispatch,
            "interval",
            args=[adapters],
            seconds=settings.dispatch_interval,
            max_instances=1,
            coalesce=True,
        )
        scheduler.start()
        try:
            await _serve(core, settings)
        finally:
            scheduler.shutdown(wait=False)
            for adapter in adapters.values():
                await adapter.stop()
            await core.close()

    asyncio.run(main())


def main() -> None:
    app()
