"""Charts as PNG bytes: a circle's attendance, RSVPs and ratings; a team's circles side by side.

Drawn headless with the Agg canvas on a Figure of its own, never pyplot: pyplot keeps global
state (and picks a GUI backend), which a bot serving many circles at once must not share.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.chat.i18n import Translator
from bot.reports.reports import CircleReport

if TYPE_CHECKING:
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

WIDTH, HEIGHT, DPI = 8.0, 6.0, 100  # 800 x 600 pixels: readable on a phone, small to send
CAME, YES, NO, RATING = "#2a7f62", "#8cc5a8", "#d9a441", "#3b5ba5"


def _figure(width: float, height: float) -> Figure:
    # Imported here, not at the top: matplotlib takes most of a second to load, and only the
    # reports draw, so the bot starts (and answers webhooks) without waiting for it.
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def _integers(axis: Axis) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _png(figure: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    canvas.print_png(buffer)
    return buffer.getvalue()


def circle_chart(tr: Translator, report: CircleReport) -> bytes:
    """Attendance and RSVPs per meeting (bars) above the average check-in rating (line)."""
    with _plain_text():
        return _png(circle_figure(tr, report))


def _plain_text() -> AbstractContextManager[object]:
    """Names are text, never math: without this, matplotlib reads "$...$" in a circle's name
    as math and a name like "Money $_$ Basics" fails to draw at all."""
    import matplotlib

    return matplotlib.rc_context({"text.parse_math": False})


def circle_figure(tr: Translator, report: CircleReport) -> Figure:
    """The chart before it is drawn (circle_chart): a meeting held with no attendance taken
    has no "Came" bar but the words "not taken", so it never reads as nobody came."""
    figure = _figure(WIDTH, HEIGHT)
    top, bottom = figure.subplots(2, 1, height_ratios=[3, 2])
    figure.suptitle(report.circle.name)
    numbers = [figures.meeting.number for figures in report.meetings]
    positions = list(range(len(numbers)))
    labels = [str(number) for number in numbers]
    width = 0.27
    top.bar(
        [p - width for p in positions],
        [math.nan if f.held and not f.taken else f.came for f in report.meetings],
        width,
        label=tr._("Came"),
        color=CAME,
    )
    for position, figures in zip(positions, report.meetings, strict=True):
        if figures.held and not figures.taken:
            top.text(
                position - width,
                0,
                tr._("not taken"),
                rotation=90,
                ha="center",
                va="bottom",
                fontsize="x-small",
                color="dimgray",
            )
    top.bar(
        positions, [f.said_yes for f in report.meetings], width, label=tr._("Said yes"), color=YES
    )
    top.bar(
        [p + width for p in positions],
        [f.said_no for f in report.meetings],
        width,
        label=tr._("Said no"),
        color=NO,
    )
    top.set_title(tr._("Attendance and RSVPs per meeting"))
    top.set_ylabel(tr._("Learners"))
    top.set_xticks(positions, labels)
    _integers(top.yaxis)
    # Beside the plot, never on it: inside, it covered the last meeting's bars (lang 33).
    top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, fontsize="small")
    rated = [
        (position, figures.average_rating)
        for position, figures in zip(positions, report.meetings, strict=True)
        if figures.average_rating is not None
    ]
    bottom.plot([p for p, _ in rated], [r for _, r in rated], marker="o", color=RATING)
    bottom.set_title(tr._("Average check-in rating per week"))
    bottom.set_ylim(0.5, 5.5)
    bottom.set_yticks([1, 2, 3, 4, 5])
    bottom.set_xlim(-0.5, max(len(positions) - 0.5, 0.5))
    bottom.set_xticks(positions, labels)
    bottom.set_xlabel(tr._("Meeting"))
    bottom.set_ylabel(tr._("Rating (1-5)"))
    if not rated:
        bottom.text(
            0.5,
            0.5,
            tr._("No ratings yet"),
            transform=bottom.transAxes,
            ha="center",
            va="center",
        )
    for axes in (top, bottom):
        axes.grid(axis="y", alpha=0.3)
    return figure


@dataclass(frozen=True)
class Series:
    """One circle's line on the team chart: people present at each meeting held, None where
    attendance was not taken (a gap in the line, never a 0)."""

    label: str
    attendance: Sequence[int | None]


def team_chart(tr: Translator, team_name: str, series: Sequence[Series]) -> bytes:
    with _plain_text():
        return _team_chart(tr, team_name, series)


def _team_chart(tr: Translator, team_name: str, series: Sequence[Series]) -> bytes:
    figure = _figure(WIDTH, HEIGHT * 0.75)
    axes = figure.subplots()
    figure.suptitle(team_name)
    longest = max((len(s.attendance) for s in series), default=0)
    for line in series:
        if line.attendance:
            came = [math.nan if count is None else count for count in line.attendance]
            axes.plot(range(1, len(came) + 1), came, marker="o", label=line.label)
    axes.set_title(tr._("Attendance per meeting, by circle"))
    axes.set_xlabel(tr._("Meeting"))
    axes.set_ylabel(tr._("Learners who came"))
    axes.set_xlim(0.5, max(longest, 1) + 0.5)
    _integers(axes.xaxis)
    _integers(axes.yaxis)
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    if any(line.attendance for line in series):
        axes.legend(loc="best", fontsize="small")
    else:
        axes.text(
            0.5,
            0.5,
            tr._("No meetings held yet"),
            transform=axes.transAxes,
            ha="center",
            va="center",
        )
    return _png(figure)
