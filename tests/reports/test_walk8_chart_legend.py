"""Walkthrough 8, lang 33: the report chart's legend sits beside the plot, never on the last
meeting's bars."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.core import Core
from bot.reports import charts, reports
from bot.storage.models import Circle
from locales import LOCALES_DIR
from tests.conftest import Chat
from tests.database import open_session
from tests.seasons import Week, open_circle, play_week


async def test_the_legend_covers_no_bar(chat: Chat, core: Core, clock: FakeClock) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": True})
    await play_week(chat, core, clock, 1, Week(yes=("Brian", "Chioma"), came=("Brian", "Chioma")))
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle))).one()
        report = await reports.build(session, circle, clock.now())
    figure = charts.circle_figure(Catalogs(LOCALES_DIR).translator("sw"), report)
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    top = figure.axes[0]
    shown = top.get_legend()
    assert shown is not None
    legend = shown.get_window_extent(renderer)
    plot = top.get_window_extent(renderer)
    assert legend.x0 >= plot.x1  # beside the plot area, not over any bar
