"""A circle's close-out, when its last meeting ends: part of the scheduler's tick.

The facilitators get a closing summary with the chart; learners get a thank-you that points to
their portfolio (/portfolio) and, if they have written no letter and were not already invited
(the relay invites during the last meeting), the invitation to write one. The thank-you goes as
the meeting ends; the summary waits for that meeting's attendance, so its figures include it
(not "0 came to the latest"): once a facilitator has ticked who came and left the sheet alone
for SETTLE, or ATTENDANCE_WAIT after the end (the next morning after an evening meeting) if
nobody does. /close and cancelling the last meeting still to come send both at once. Both are
told until
when the circle's names and words are kept (bot/reports/retention.py). Like the rest of the
tick it derives from the database for what fell due in (since, now], and outbox keys make a
repeat harmless, so a restart neither loses nor repeats it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat import rendering
from bot.chat.i18n import N_, Catalogs, Translator
from bot.chat.messages import Attachment
from bot.chat.platforms import Platforms
from bot.circles import circles, meetings
from bot.delivery.jobs import TickReport, TickWindow
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import members, notifications, people
from bot.letters import letters
from bot.reports import charts, reports
from bot.reports.retention import RetentionPolicy
from bot.storage.models import (
    Attendance,
    AttendanceSource,
    Circle,
    CircleStatus,
    Letter,
    LetterStatus,
    Meeting,
    MeetingStatus,
    OutboxMessage,
)
from prompts import letter as letter_prompts
from prompts.library import Phase, choose

# After a long stop, a close-out this late is no longer news: the circle has moved on.
MAX_DELAY = timedelta(days=7)
# The summary waits this long for the last meeting's attendance: as long as the facilitators
# are reminded to take it (bot/rhythm/attendance_reminders.py), the next morning for an
# evening meeting.
ATTENDANCE_WAIT = timedelta(hours=12)
# Ticks come one by one ("1", "3 4"): the summary goes once they have stopped for this long.
SETTLE = timedelta(minutes=15)
# A summary left to ATTENDANCE_WAIT goes between these local hours, never in the night; at
# most this much later.
DAY_STARTS, DAY_ENDS = 7, 21
NIGHT = timedelta(hours=24 - DAY_ENDS + DAY_STARTS)


async def close_if_over(
    session: AsyncSession,
    catalogs: Catalogs,
    now: datetime,
    circle: Circle,
    platforms: Platforms,
    retention_days: int | None = None,
    reason: str = "",
) -> int:
    """Close the circle now if its meetings are over: for when the last meeting still to come
    is cancelled after the one before it ended. The tick closes a circle as its last meeting
    ends, and here that end has already gone by, however long ago (a fortnightly circle): a
    facilitator acting now is not a scheduler catching up. `reason`: why, in the words of the
    facilitator who closed it (/close), told to learners. Returns how many were queued."""
    assert circle.id is not None
    found = (await meetings.bounds(session, [circle.id])).get(circle.id)
    if found is None:  # every meeting cancelled: nothing was held to close
        return 0
    final = await meetings.meeting_by_number(session, circle, found[1])
    if final.ends_at > now:
        return 0
    retention = RetentionPolicy(retention_days) if retention_days is not None else None
    closing = _Closing(TickWindow(session, catalogs, now, now, platforms), retention, reason)
    await closing._close(circle, final)
    return closing.sent


class CloseOut:
    """The close-out's job in the tick (bot.delivery.jobs.ScheduledJob): every circle whose
    last meeting ended in the window."""

    def __init__(self, retention: RetentionPolicy | None = None) -> None:
        self.retention = retention

    async def run(self, window: TickWindow) -> TickReport:
        return TickReport(closings=await _Closing(window, self.retention).run())


class _Closing:
    """One tick's close-outs; `sent` counts the messages queued."""

    def __init__(
        self, window: TickWindow, retention: RetentionPolicy | None, reason: str = ""
    ) -> None:
        self.retention = retention or RetentionPolicy()
        self.reason = reason  # why a facilitator closed it early (/close), for learners
        self.session = window.session
        self.catalogs = window.catalogs
        self.platforms = window.platforms  # the adapters' descriptions (SMS segments)
        self.since = window.since
        self.now = window.now
        self.sent = 0

    async def run(self) -> int:
        earliest = max(self.since, self.now - MAX_DELAY)
        later = aliased(Meeting)
        # Only each circle's last meeting, decided in SQL: a weekly tick ends a meeting in
        # every circle, and loading them all with their circles held 550 MiB at 100,000
        # circles for the few that finish.
        finals = (
            await self.session.exec(
                select(Meeting.id, Meeting.ends_at, Circle.timezone)
                .join(Circle, col(Circle.id) == Meeting.circle_id)
                .where(
                    Circle.status == CircleStatus.ACTIVE,
                    Meeting.status != MeetingStatus.CANCELLED,
                    # Those whose summary may fall due now too, ATTENDANCE_WAIT after the end.
                    col(Meeting.ends_at) > earliest - ATTENDANCE_WAIT - NIGHT,
                    col(Meeting.ends_at) <= self.now,
                    ~exists().where(
                        col(later.circle_id) == Meeting.circle_id,
                        col(later.number) > Meeting.number,
                        col(later.status) != MeetingStatus.CANCELLED,
                    ),
                )
                .order_by(col(Meeting.ends_at), col(Meeting.id))
            )
        ).all()
        if not finals:
            return 0
        ticked = await _last_ticked(self.session, [meeting_id or 0 for meeting_id, _, _ in finals])
        for meeting_id, ends_at, zone in finals:
            farewell = earliest < ends_at
            due = summary_due(ends_at, ticked.get(meeting_id or 0), zone)
            summary = earliest < due <= self.now
            if not (farewell or summary):
                continue
            meeting = await self.session.get_one(Meeting, meeting_id)
            circle = await self.session.get_one(Circle, meeting.circle_id)
            await self._close(circle, meeting, farewells=farewell, summary=summary)
        return self.sent

    async def _close(
        self, circle: Circle, final: Meeting, farewells: bool = True, summary: bool = True
    ) -> None:
        assert circle.id is not None
        # Closed before its planned last meeting (/close, or the rest cancelled): it ends now,
        # so who left before is counted as the other reports count them, not as staying on.
        early = final.number < circle.meeting_count and final.ends_at <= self.now
        report = await reports.build(
            self.session,
            circle,
            self.now,
            self.catalogs,
            self.platforms,
            closed_at=self.now if early else None,
        )
        charts_by_locale: dict[str, bytes] = {}
        kept_until = self.retention.kept_until(final.ends_at)

        def chart(tr: Translator) -> list[Attachment]:
            if tr.locale not in charts_by_locale:
                charts_by_locale[tr.locale] = charts.circle_chart(tr, report)
            return [Attachment("report.png", "image/png", charts_by_locale[tr.locale])]

        for entry in await members.roster(self.session, circle.id):
            person_id = entry.person.id or 0
            if entry.membership.role in circles.FACILITATING:
                if not summary:
                    continue
                if not await self._files_reach(person_id):
                    # On a feature phone: the thanks and the key numbers, in one text where
                    # they fit (walk D27: the whole report was about five SMS).
                    self.sent += await notifications.notify(
                        self.session,
                        self.catalogs,
                        self.now,
                        person_id,
                        OutboxKey(
                            MessageKind.CLOSING_SUMMARY,
                            f"circle:{circle.id}",
                            f"person:{person_id}",
                        ),
                        partial(_summary_by_text, circle=circle, report=report),
                        circle.language,
                    )
                    continue
                self.sent += await notifications.notify(
                    self.session,
                    self.catalogs,
                    self.now,
                    person_id,
                    OutboxKey(
                        MessageKind.CLOSING_SUMMARY, f"circle:{circle.id}", f"person:{person_id}"
                    ),
                    lambda tr: (
                        tr._(
                            "%(circle)s has had its last meeting. Thank you for facilitating "
                            "it! Here is how it went.",
                            circle=circle.name,
                        )
                        + "\n\n"
                        + reports.render(tr, report)
                        + "\n\n"
                        + tr._(
                            "Names and answers stay until %(date)s; after that I keep only "
                            "the numbers. Send /export before then for your own copy.",
                            date=tr.date(kept_until, circle.timezone),
                        )
                    ),
                    circle.language,
                    attachments=chart,
                )
                continue
            if not farewells:
                continue
            invite = await self._needs_invitation(circle.id, person_id)
            files = await self._files_reach(person_id)
            self.sent += await notifications.notify(
                self.session,
                self.catalogs,
                self.now,
                person_id,
                OutboxKey(MessageKind.CLOSING, f"circle:{circle.id}", f"person:{person_id}"),
                partial(
                    self._farewell,
                    circle=circle,
                    final=final,
                    invite=invite,
                    until=kept_until,
                    files=files,
                ),
                circle.language,
            )

    async def _files_reach(self, person_id: int) -> bool:
        """Whether a file reaches the person where the farewell goes (their preferred account's
        platform): by SMS the portfolio is a summary, never the file."""
        account = await people.preferred_account(self.session, person_id)
        platform = self.platforms.get(account.platform) if account is not None else None
        return platform is None or platform.capabilities.files

    def _farewell(
        self,
        tr: Translator,
        circle: Circle,
        final: Meeting,
        invite: bool,
        until: datetime,
        files: bool = True,
    ) -> str:
        text = " ".join(
            part
            for part in [
                tr._(
                    "%(circle)s has had its last meeting. Thank you for being part of it! "
                    "Everything you wrote is yours to keep: send /portfolio for your record of "
                    "goals, check-ins and reflections.",
                    circle=circle.name,
                )
                if files
                # Where no file can travel (SMS), /portfolio gives a summary: promise that.
                else tr._(
                    "%(circle)s has had its last meeting. Thank you for being part of it! Send "
                    "/portfolio for a short summary of your goal and check-ins.",
                    circle=circle.name,
                ),
                # Closed early (/close, or its last meetings cancelled): learners hear that
                # the meetings still planned are off.
                tr._(
                    "The circle ended early: the meetings planned after meeting %(number)d "
                    "won't take place.",
                    number=final.number,
                )
                if final.number < circle.meeting_count
                else "",
                # Not by SMS (where no file travels either): the least useful sentence on a
                # feature phone, and the one that took the farewell to three texts.
                tr._(
                    "Your answers stay with your circle until %(date)s; after that I keep "
                    "only the numbers.",
                    date=tr.date(until, circle.timezone),
                )
                if files
                else "",
            ]
            if part
        )
        text += why_closed(tr, self.reason)
        if not invite:
            return text
        # The same invitation the relay would have chosen for this circle.
        prompt = choose(letter_prompts.INVITATIONS, Phase.FINAL, final.number, circle.id or 0)
        return text + "\n\n" + letters.invitation_text(tr, prompt)

    async def _needs_invitation(self, circle_id: int, person_id: int) -> bool:
        """Not for someone who wrote a letter here or was already invited to."""
        wrote = (
            await self.session.exec(
                select(Letter.id).where(
                    Letter.circle_id == circle_id,
                    Letter.author_id == person_id,
                    Letter.status != LetterStatus.WITHDRAWN,
                )
            )
        ).first()
        if wrote is not None:
            return False
        invited = (
            await self.session.exec(
                select(OutboxMessage.id).where(
                    OutboxMessage.idempotency_key
                    == str(letters.invitation_key(circle_id, person_id))
                )
            )
        ).first()
        return invited is None


def why_closed(tr: Translator, reason: str) -> str:
    """Why a facilitator closed the circle, in their words, on a line of its own; "" if they
    gave none."""
    if not reason:
        return ""
    return "\n" + tr._("Your facilitator said why: “%(reason)s”", reason=reason)


CLOSING_THANKS_SMS = N_("%(circle)s has had its last meeting. Thank you for facilitating it!")
WHOLE_REPORT_SMS = N_("For the whole report, link a chat app: send /link.")


def _summary_by_text(tr: Translator, circle: Circle, report: reports.CircleReport) -> str:
    """The end of a circle for a facilitator on a feature phone: thanks, the meetings held and
    the check-ins answered, and where the whole report is; its figures left out from the last
    while they make it more than one SMS."""
    thanks = tr._(CLOSING_THANKS_SMS, circle=circle.name)
    figures = reports.key_figures(tr, report)
    more = tr._(WHOLE_REPORT_SMS)
    forms = []
    for kept in range(len(figures), 0, -1):  # with where the rest is, then without
        forms += [" ".join([thanks, *figures[:kept], more]), " ".join([thanks, *figures[:kept]])]
    return rendering.first_fitting([*forms, " ".join([thanks, more])], tr)


def summary_due(ends_at: datetime, last_ticked: datetime | None, zone: str) -> datetime:
    """When the closing summary of a last meeting ending at `ends_at` goes: once its
    attendance was ticked and left alone for SETTLE (never before the meeting ends), else
    ATTENDANCE_WAIT after the end, moved out of the night in the circle's zone `zone` (an
    afternoon meeting's summary came at 03:00)."""
    deadline = _by_day(ends_at + ATTENDANCE_WAIT, ZoneInfo(zone))
    if last_ticked is None:
        return deadline
    return min(max(last_ticked + SETTLE, ends_at), deadline)


def _by_day(moment: datetime, zone: ZoneInfo) -> datetime:
    """`moment`, or the next DAY_STARTS in `zone` if it falls in the night."""
    local = moment.astimezone(zone)
    if DAY_STARTS <= local.hour < DAY_ENDS:
        return moment
    morning = datetime.combine(local.date(), time(DAY_STARTS), zone)
    if local.hour >= DAY_ENDS:
        morning = datetime.combine(local.date() + timedelta(days=1), time(DAY_STARTS), zone)
    return morning.astimezone(moment.tzinfo)


async def _last_ticked(session: AsyncSession, meeting_ids: list[int]) -> dict[int, datetime]:
    """When a facilitator last ticked someone present at each meeting (a learner's /here alone
    is not the whole list)."""
    if not meeting_ids:
        return {}
    rows = await session.exec(
        select(Attendance.meeting_id, func.max(col(Attendance.recorded_at)))
        .where(
            col(Attendance.meeting_id).in_(meeting_ids),
            Attendance.source == AttendanceSource.FACILITATOR,
        )
        .group_by(col(Attendance.meeting_id))
    )
    return {meeting_id: at for meeting_id, at in rows.all()}
