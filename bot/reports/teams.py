"""Teams: an organizer (a library service, a city's network) looking over several circles.

`/team new NAME` creates a team, makes the sender its organizer and gives a code; a circle's
facilitator adds their circle with `/team add CODE`, so a circle is only ever in a team its
facilitator chose (an organizer cannot pull one in). Organizers see their team's circles only,
and only numbers: status, attendance per meeting, how many learners may be drifting away (see
bot/reports/reports.py for the definition), never names or written answers. Organizers who opt in
(`/team weekly on`) get the same view every Monday, derived by the tick.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.messages import Attachment
from bot.circles import joincodes
from bot.delivery.jobs import TickReport, TickWindow
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import notifications
from bot.reports import charts, reports
from bot.storage.models import Circle, Team, TeamCircle, TeamOrganizer

MAX_NAME = 120
WEEKLY_WEEKDAY, WEEKLY_HOUR = 0, 12  # Mondays 12:00 UTC: morning in Detroit, afternoon in Nairobi


async def _unused_code(session: AsyncSession, rng: random.Random) -> str:
    """A code in the join codes' alphabet, never one a circle has (a typo must not cross)."""
    while True:
        code = joincodes.generate(rng)
        team = (await session.exec(select(Team.id).where(Team.code == code))).first()
        circle = (await session.exec(select(Circle.id).where(Circle.join_code == code))).first()
        if team is None and circle is None:
            return code


async def create(
    session: AsyncSession, person_id: int, name: str, rng: random.Random, now: datetime
) -> Team:
    name = " ".join(name.split())
    if not name:
        raise UserError(N_("Give the team a name: /team new NAME"))
    if len(name) > MAX_NAME:
        raise UserError(N_("A team name can have up to %(max)d characters."), max=MAX_NAME)
    team = Team(name=name, code=await _unused_code(session, rng), created_at=now)
    session.add(team)
    await session.flush()
    assert team.id is not None
    session.add(TeamOrganizer(team_id=team.id, person_id=person_id, created_at=now))
    await session.flush()
    return team


async def by_code(session: AsyncSession, account_id: int, typed: str, now: datetime) -> Team | None:
    """The team with this code, or None. A wrong one is counted with wrong join codes, so
    guessing slows down the same way (the caller checks joincodes.wait_before_next_try)."""
    team = (await session.exec(select(Team).where(Team.code == joincodes.normalize(typed)))).first()
    if team is None:
        await joincodes.record_wrong_code(session, account_id, now)
    return team


async def add_circle(session: AsyncSession, team: Team, circle: Circle, now: datetime) -> bool:
    """False when the circle is already in the team."""
    assert team.id is not None and circle.id is not None
    there = (
        await session.exec(
            select(TeamCircle.id).where(
                TeamCircle.team_id == team.id, TeamCircle.circle_id == circle.id
            )
        )
    ).first()
    if there is not None:
        return False
    session.add(TeamCircle(team_id=team.id, circle_id=circle.id, added_at=now))
    await session.flush()
    return True


async def remove_circle(session: AsyncSession, circle: Circle) -> list[Team]:
    """Take the circle out of every team it is in; the teams it left."""
    assert circle.id is not None
    rows = (
        await session.exec(
            select(TeamCircle, Team)
            .join(Team, col(Team.id) == TeamCircle.team_id)
            .where(TeamCircle.circle_id == circle.id)
            .order_by(col(Team.id))
        )
    ).all()
    for link, _ in rows:
        await session.delete(link)
    await session.flush()
    return [team for _, team in rows]


async def organized_by(session: AsyncSession, person_id: int) -> list[tuple[Team, TeamOrganizer]]:
    rows = await session.exec(
        select(Team, TeamOrganizer)
        .join(TeamOrganizer, col(TeamOrganizer.team_id) == Team.id)
        .where(TeamOrganizer.person_id == person_id)
        .order_by(col(Team.id))
    )
    return [(team, organizer) for team, organizer in rows.all()]


async def organizers_of(session: AsyncSession, team_id: int) -> list[TeamOrganizer]:
    rows = await session.exec(
        select(TeamOrganizer)
        .where(TeamOrganizer.team_id == team_id)
        .order_by(col(TeamOrganizer.id))
    )
    return list(rows.all())


async def circles_of(session: AsyncSession, team_id: int) -> list[Circle]:
    rows = await session.exec(
        select(Circle)
        .join(TeamCircle, col(TeamCircle.circle_id) == Circle.id)
        .where(TeamCircle.team_id == team_id)
        .order_by(col(Circle.start_date), col(Circle.id))
    )
    return list(rows.all())


async def set_weekly(session: AsyncSession, person_id: int, on: bool) -> list[Team]:
    """Opt in to (or out of) the weekly summary of every team the person organizes."""
    teams = await organized_by(session, person_id)
    for _, organizer in teams:
        organizer.weekly_summary = on
        session.add(organizer)
    return [team for team, _ in teams]


@dataclass(frozen=True)
class TeamView:
    team: Team
    circles: list[reports.CircleReport]


async def view(session: AsyncSession, team: Team, now: datetime) -> TeamView:
    assert team.id is not None
    return TeamView(
        team,
        [
            await reports.build(session, circle, now)
            for circle in await circles_of(session, team.id)
        ],
    )


def _circle_line(tr: Translator, report: reports.CircleReport) -> str:
    circle = report.circle
    held = report.held
    if not held:
        status = (
            tr._(
                "starts %(when)s",
                when=tr.when(report.next_meeting.starts_at, circle.timezone),
            )
            if report.next_meeting
            else tr._("no meetings planned")
        )
    elif report.next_meeting is None:
        status = tr.ngettext(
            "finished after %(n)d meeting", "finished after %(n)d meetings", len(held)
        )
    else:
        status = tr._(
            "%(held)d of %(total)d meetings held", held=len(held), total=len(report.meetings)
        )
    parts = [
        status,
        tr.ngettext("%(n)d learner", "%(n)d learners", report.learners),
    ]
    if held:
        # "not taken" where nobody recorded attendance, as /report says: never 0.
        parts.append(tr._("came: %(trend)s", trend=reports.came_trend(tr, held)))
        parts.append(tr.ngettext("%(n)d at risk", "%(n)d at risk", len(report.at_risk)))
    return tr._(
        "%(circle)s (%(city)s): %(details)s",
        circle=circle.name,
        city=circle.city,
        details="; ".join(parts),
    )


def render(tr: Translator, team_view: TeamView) -> str:
    team = team_view.team
    if not team_view.circles:
        return tr._(
            "%(team)s has no circles yet. Facilitators add theirs with /team add %(code)s.",
            team=team.name,
            code=team.code,
        )
    lines = [
        tr.ngettext(
            "%(team)s: %(n)d circle",
            "%(team)s: %(n)d circles",
            len(team_view.circles),
            team=team.name,
        )
    ]
    lines += ["- " + _circle_line(tr, report) for report in team_view.circles]
    lines.append(
        tr._(
            "At risk: learners who %(definition)s.",
            definition=tr._(reports.RISK_DEFINITION),
        )
    )
    return "\n".join(lines)


def chart(tr: Translator, team_view: TeamView) -> Attachment:
    series = [
        charts.Series(
            report.circle.name,
            # A gap where attendance was not taken: a 0 would read as nobody came.
            [figures.came if figures.taken else None for figures in report.held],
        )
        for report in team_view.circles
    ]
    return Attachment("team.png", "image/png", charts.team_chart(tr, team_view.team.name, series))


class WeeklySummaries:
    """Mondays: each opted-in organizer gets their team's view (the text; /team adds the
    chart), once per team and ISO week. One of the tick's jobs (bot.delivery.jobs)."""

    async def run(self, window: TickWindow) -> TickReport:
        now = window.now
        monday = (now - timedelta(days=now.weekday() - WEEKLY_WEEKDAY)).replace(
            hour=WEEKLY_HOUR, minute=0, second=0, microsecond=0
        )
        if not window.due(monday):
            return TickReport()
        rows = await window.session.exec(
            select(Team, TeamOrganizer)
            .join(TeamOrganizer, col(TeamOrganizer.team_id) == Team.id)
            .where(col(TeamOrganizer.weekly_summary).is_(True))
            .order_by(col(Team.id), col(TeamOrganizer.id))
        )
        sent = 0
        views: dict[int, TeamView] = {}
        for team, organizer in rows.all():
            assert team.id is not None
            if team.id not in views:
                views[team.id] = _this_week(await view(window.session, team, now), monday)
            team_view = views[team.id]
            if not team_view.circles:
                continue  # nothing to say yet, or any more
            # The organizer's own language first; a team circle's language only as a fallback.
            language = team_view.circles[0].circle.language
            sent += await notifications.notify(
                window.session,
                window.catalogs,
                now,
                organizer.person_id,
                OutboxKey(
                    MessageKind.TEAM_WEEKLY,
                    f"team:{team.id}",
                    f"person:{organizer.person_id}",
                    f"{monday:%G-W%V}",
                ),
                # Text only: a chart every Monday costs a render per team in the tick, and
                # /team draws it whenever the organizer wants it.
                partial(weekly_summary, team_view=team_view),
                language,
            )
        return TickReport(team_summaries=sent)


async def nothing_to_send(session: AsyncSession, team: Team, now: datetime) -> bool:
    """Whether the next Monday summary of the team would be skipped: no circle running, about
    to start, or just finished. Said when an organizer opts in, so the promise is kept."""
    days_ahead = (WEEKLY_WEEKDAY - now.weekday()) % 7
    monday = (now + timedelta(days=days_ahead)).replace(
        hour=WEEKLY_HOUR, minute=0, second=0, microsecond=0
    )
    if monday <= now:
        monday += timedelta(days=7)
    return not _this_week(await view(session, team, now), monday).circles


def _this_week(team_view: TeamView, monday: datetime) -> TeamView:
    """The circles a Monday summary lists: a finished one once, the week after its last
    meeting ("finished after 6 meetings"), then no more (/team still shows it)."""
    last_summary = monday - timedelta(days=7)
    return TeamView(
        team_view.team,
        [
            report
            for report in team_view.circles
            if report.next_meeting is not None
            or not report.held
            or report.held[-1].meeting.ends_at > last_summary
        ],
    )


def weekly_summary(tr: Translator, team_view: TeamView) -> str:
    return tr._("Your weekly summary") + "\n" + render(tr, team_view)
