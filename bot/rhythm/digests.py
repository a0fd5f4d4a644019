"""The facilitator digest: how the circle is doing, before each meeting, in one message."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from babel.lists import format_list
from babel.numbers import format_decimal
from sqlalchemy import or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import Translator
from bot.circles import seats
from bot.dialogue import members
from bot.rhythm import attendance, calendars, checkins, drifting, rsvps
from bot.rhythm.learners import Learner, asked, learners_of
from bot.rhythm.learners import at as learners_at
from bot.storage.models import (
    FACILITATING,
    Account,
    Attendance,
    Circle,
    Meeting,
    MeetingStatus,
    PassedOn,
    Role,
    RsvpAnswer,
)
from prompts import checkin as checkin_prompts
from prompts.library import by_key

QUOTES = 5  # blockers quoted at most
# A rating this low or lower (of 5: "hard going", "so-so") names its learner in the digest:
# ratings are always shared, and a hard week is the early sign of drop-out.
HARD_RATING = 2
QUOTE_CHARS = 200


# How long learners have to answer "Will you come?" before their silence says something: the
# digest that goes out with the first reminder does not count them as "not answered".
ANSWER_TIME = timedelta(hours=2)


@dataclass(frozen=True)
class Quote:
    """A shared check-in answer, and the key of the question it answers (None: words sent with
    the rating, which answer no question)."""

    name: str
    text: str
    prompt_key: str | None = None
    # Facilitators who ran the circle by then read it; one made co-facilitator later waits
    # for the learner's yes (Membership.shared_with, A6). None: every reader.
    agreed: datetime | None = None


@dataclass(frozen=True)
class Digest:
    meeting: Meeting | None  # the meeting it prepares; None when none is left
    rsvp: rsvps.RsvpCounts | None
    last_week: checkins.WeekStats | None
    # Each meeting held so far, by its number, with how many came; None where nobody took
    # attendance.
    attendance_trend: list[tuple[int, int | None]]
    silent: list[str]  # learners who may be drifting away (bot/rhythm/drifting.py)
    quotes: list[Quote]  # answers from learners who agreed to share
    said_no: list[str] = field(default_factory=list)  # names, for the facilitator to call
    maybe: list[str] = field(default_factory=list)  # names of those not sure yet
    not_answered: list[str] = field(default_factory=list)
    # False while "Will you come?" has only just gone out: nobody has had time to answer.
    answers_due: bool = True
    # When "Will you come?" goes out, while it is still to: nobody has been asked yet.
    asks_at: datetime | None = None
    stopped: list[str] = field(default_factory=list)  # learners who sent STOP: no messages reach
    # Learners whose app refuses the bot's messages (they blocked it): no messages reach.
    unreached: list[str] = field(default_factory=list)
    # No learner has ever joined: no figures to show, an invitation to send instead.
    nobody_joined: bool = False
    held: bool = False  # a meeting has taken place
    # Quiet by the check-ins alone, where attendance was never taken (drifting.quiet).
    quiet: list[str] = field(default_factory=list)
    # Someone has left the circle (no longer said in the digest: lang 19).
    someone_left: bool = False
    # Learners who rated the last check-in HARD_RATING or lower, with their rating.
    found_it_hard: list[tuple[str, int]] = field(default_factory=list)
    # Since when each facilitator (by person id) runs the circle: which quotes they may read.
    lead_from: dict[int, datetime] = field(default_factory=dict)
    # Learners who paused the check-ins (/checkin off): not asked, not silent (C55).
    paused: list[str] = field(default_factory=list)
    # During the meeting and after it: who said /here (D14), by name.
    here: list[str] = field(default_factory=list)
    # Silent about the last meeting (A12): no answer to "Will you come?", not there, no
    # check-in; with that meeting's number.
    unheard: list[str] = field(default_factory=list)
    unheard_at: int = 0
    # Said no to that meeting, then left its check-in unanswered (A3): away, and quiet since.
    away: list[str] = field(default_factory=list)
    # The meeting the last check-in was about, when meetings were held after it with none
    # going out (everyone paused them): said, so its figures don't read as this week's (D24).
    last_week_of: int | None = None
    # Check-ins went out, to learners who have all left since: not "none have gone out yet".
    asked_have_left: bool = False
    # Learners joined, and none is in the circle any more.
    nobody_in: bool = False
    # Learners waiting for a seat: a circle nobody is in is not one to close (sms 45).
    waiting: int = 0


async def build(
    session: AsyncSession, circle: Circle, meeting: Meeting | None, now: datetime
) -> Digest:
    assert circle.id is not None
    roster = await members.roster(session, circle.id)
    learners = {entry.person.id: entry for entry in roster if entry.membership.role == Role.LEARNER}
    learner_ids = [person_id for person_id in learners if person_id is not None]
    held = list(
        (
            await session.exec(
                select(Meeting)
                .where(
                    Meeting.circle_id == circle.id,
                    Meeting.status != MeetingStatus.CANCELLED,
                    # Under way with attendance taken counts too (attendance.held).
                    or_(
                        col(Meeting.ends_at) <= now,
                        (col(Meeting.starts_at) <= now)
                        & col(Meeting.attendance_taken_at).is_not(None),
                    ),
                )
                .order_by(col(Meeting.starts_at))
            )
        ).all()
    )
    held_ids = [m.id for m in held if m.id is not None]
    # Everyone who has been a learner here, at the meetings they were one, as /report counts
    # them (bot/rhythm/learners.py): those who left too, never a facilitator.
    everyone = await learners_of(session, circle.id)
    present = await _present(session, held_ids)
    came = {m.id or 0: present[m.id or 0] & learners_at(everyone, m) for m in held}
    taken = await attendance.taken(session, held_ids)
    answers = await checkins.for_meetings(session, held_ids)
    answered = {m: {c.person_id for c in rows} for m, rows in answers.items()}
    rsvp = None
    here: list[str] = []
    said_no: list[str] = []
    maybe: list[str] = []
    not_answered: list[str] = []
    stopped_ids = await members.stopped(session, learner_ids)
    unreached_ids = await members.unreached(session, learner_ids)
    if meeting is not None and meeting.id is not None:
        rsvp = await rsvps.counts(session, meeting.id, learner_ids)
        given = await rsvps.answers(session, meeting.id)
        names = {p: learners[p].person.display_name for p in learner_ids}
        said_no = [names[p] for p in learner_ids if given.get(p) == RsvpAnswer.NO]
        maybe = [names[p] for p in learner_ids if given.get(p) == RsvpAnswer.MAYBE]
        # Who sent STOP can't be asked: named on their own line, not as "not answered yet".
        unasked = [p for p in [*stopped_ids, *unreached_ids] if p not in given]
        not_answered = [names[p] for p in learner_ids if p not in given and p not in unasked]
        rsvp = replace(rsvp, unknown=rsvp.unknown - len(unasked))
        if meeting.starts_at <= now + attendance.EARLY_ARRIVAL:
            # Under way (or just over): who is in the room has answered, and is coming (D14).
            in_room = [p for p in learner_ids if p in await attendance.present(session, meeting.id)]
            here = [names[p] for p in in_room]
            moved_no = sum(given.get(p) == RsvpAnswer.NO for p in in_room)
            moved_maybe = sum(given.get(p) == RsvpAnswer.MAYBE for p in in_room)
            moved_unknown = sum(p not in given and p not in unasked for p in in_room)
            rsvp = replace(
                rsvp,
                yes=rsvp.yes + moved_no + moved_maybe + moved_unknown,
                no=rsvp.no - moved_no,
                maybe=rsvp.maybe - moved_maybe,
                unknown=rsvp.unknown - moved_unknown,
            )
            said_no = [n for n in said_no if n not in here]
            maybe = [n for n in maybe if n not in here]
            not_answered = [n for n in not_answered if n not in here]
    last_week = None
    quotes: list[Quote] = []
    found_it_hard: list[tuple[str, int]] = []
    # The last check-in is told of the circle as it is now, like every other line here: who
    # has left since is neither asked nor answered, nor in the average (fac walkthrough: "3 of
    # 3 answered" with one of them gone). /report keeps them in the weeks before they left.
    still_in = [learner for learner in everyone if learner.membership.left_at is None]
    latest = _latest_checkin(circle, held, still_in, answered, now)
    asked_have_left = latest is None and (
        _latest_checkin(circle, held, everyone, answered, now) is not None
    )
    if latest is not None:
        last = latest.id or 0
        unreachable = {*stopped_ids, *unreached_ids}
        last_week = checkins.stats(
            answers[last], asked(circle, latest, still_in, answered[last], now, unreachable)
        )
        for answer in answers[last]:
            entry = learners.get(answer.person_id)
            if entry and answer.rating is not None and answer.rating <= HARD_RATING:
                found_it_hard.append((entry.person.display_name, answer.rating))
            if entry and entry.membership.shares_answer(answer.answered_at) and answer.answer:
                text = answer.answer
                if len(text) > QUOTE_CHARS:
                    text = text[: QUOTE_CHARS - 1].rstrip() + "…"
                membership = entry.membership
                agreed = membership.consent_at or membership.shares_since or membership.joined_at
                quotes.append(Quote(entry.person.display_name, text, answer.prompt_key, agreed))
    # A meeting nobody was in the circle for says nothing: left out of the trend.
    counted = [m for m in held if learners_at(everyone, m)]
    # Since she last came back, for one who left and rejoined: the meetings held while she was
    # away are no sign of drifting (issue 16).
    since = {x.person_id: x.member_since() for x in everyone}
    joined = {p: since.get(p, learners[p].membership.joined_at) for p in learner_ids}
    # Someone who deleted their data once the circle was over stays in its counts as a nameless
    # record with no account: nobody to name as drifting away, as "Circle member" (D20).
    reached = await session.exec(
        select(Account.person_id).where(col(Account.person_id).in_(learner_ids))
    )
    kept = set(reached.all())
    joined = {p: at for p, at in joined.items() if p in kept}
    # A yes to a meeting held since with no attendance taken (C13), as /report reads it.
    said_yes = {
        m.id: {p for p, a in (await rsvps.answers(session, m.id)).items() if a == RsvpAnswer.YES}
        for m in held
        if m.id is not None and m.id not in taken
    }
    silent = drifting.drifting(circle, joined, held, came, answered, now, taken, said_yes)
    # Where attendance was never taken, the check-ins still say who went quiet.
    paused = {p for p in learner_ids if learners[p].membership.checkins_paused}
    # Who wrote in since those check-ins began ("ill be there next tuesday") has not gone
    # quiet, check-ins unanswered or not (fac 17).
    weeks = drifting.quiet_weeks(circle, held, now)
    wrote = await _heard_since(session, circle, weeks[0], meeting) if weeks else set()
    quiet = [
        p
        for p in drifting.quiet(circle, joined, held, answered, now, taken, {*stopped_ids, *paused})
        if p not in silent and p not in wrote
    ]
    stopped = [learners[p].person.display_name for p in stopped_ids]
    last_held = next((m for m in reversed(held) if m.id in taken), None)
    unheard: list[int] = []
    away: list[int] = []
    if last_held is not None and last_held.id is not None:
        unheard, away = await _unheard(
            session,
            circle,
            last_held,
            [
                p
                for p in joined
                if p not in {*silent, *quiet, *stopped_ids, *unreached_ids, *paused}
            ],
            joined,
            came[last_held.id],
            answered.get(last_held.id, set()),
            now,
        )
        # Heard from since (A15): a yes or maybe to the meeting ahead, or words passed on to
        # the facilitators after that meeting. The digest no longer asks for a word said.
        heard = await _heard_since(session, circle, last_held, meeting)
        unheard = [p for p in unheard if p not in heard]
        away = [p for p in away if p not in heard]
    return Digest(
        meeting=meeting,
        rsvp=rsvp,
        last_week=last_week,
        attendance_trend=[
            (m.number, len(came[m.id or 0]) if m.id in taken else None) for m in counted
        ],
        silent=[learners[p].person.display_name for p in silent],
        quotes=quotes,
        said_no=said_no,
        maybe=maybe,
        not_answered=not_answered,
        answers_due=_answers_due(circle, meeting, now),
        asks_at=_asks_at(circle, meeting, now),
        stopped=stopped,
        unreached=[learners[p].person.display_name for p in unreached_ids],
        nobody_joined=not everyone,
        asked_have_left=asked_have_left,
        nobody_in=bool(everyone) and not still_in,
        waiting=await seats.waiting(session, circle.id) if everyone and not still_in else 0,
        held=bool(held),
        last_week_of=(
            latest.number
            # A later meeting's check-in fell due and went to nobody (all paused): not one
            # whose check-in is still to go out tomorrow morning.
            if latest is not None
            and held
            and latest.number < held[-1].number
            and checkins.due_at(circle, held[-1]) <= now
            else None
        ),
        quiet=[learners[p].person.display_name for p in quiet],
        someone_left=any(x.membership.left_at is not None for x in everyone),
        found_it_hard=sorted(found_it_hard, key=lambda found: found[1]),
        paused=[
            entry.person.display_name
            for entry in learners.values()
            if entry.membership.checkins_paused
        ],
        here=here,
        unheard=[learners[p].person.display_name for p in unheard],
        away=[learners[p].person.display_name for p in away],
        unheard_at=last_held.number if last_held is not None else 0,
        lead_from={
            entry.person.id: entry.membership.leads_from()
            for entry in roster
            if entry.person.id is not None and entry.membership.role in FACILITATING
        },
    )


async def _unheard(
    session: AsyncSession,
    circle: Circle,
    meeting: Meeting,
    candidates: list[int],
    joined: dict[int, datetime],
    came: set[int],
    answered: set[int],
    now: datetime,
) -> tuple[list[int], list[int]]:
    """Who said nothing about `meeting` (attendance taken, its check-in gone out): no answer to
    "Will you come?" (where it was asked), not there, no check-in; and who said no to it, was
    not there, and left its check-in ("We missed you") unanswered (A3): a no is no word on how
    it is going."""
    if meeting.id is None or not checkins.gone_out(circle, meeting, now):
        return [], []
    given = await rsvps.answers(session, meeting.id) if circle.reminder_offsets else {}
    quiet = [
        p
        for p in candidates
        if joined[p] < meeting.starts_at and p not in came and p not in answered
    ]
    return [p for p in quiet if p not in given], [p for p in quiet if given.get(p) == RsvpAnswer.NO]


async def _heard_since(
    session: AsyncSession, circle: Circle, held: Meeting, ahead: Meeting | None
) -> set[int]:
    """Who has said something since `held`: a yes or maybe to `ahead`, or a message passed on
    to the facilitators after `held` began."""
    heard: set[int] = set()
    if ahead is not None and ahead.id is not None:
        given = await rsvps.answers(session, ahead.id)
        heard |= {p for p, a in given.items() if a in (RsvpAnswer.YES, RsvpAnswer.MAYBE)}
    written = await session.exec(
        select(PassedOn.person_id).where(
            PassedOn.circle_id == circle.id, col(PassedOn.created_at) >= held.starts_at
        )
    )
    return heard | set(written.all())


def _latest_checkin(
    circle: Circle,
    held: list[Meeting],
    everyone: list[Learner],
    answered: dict[int, set[int]],
    now: datetime,
) -> Meeting | None:
    """The meeting of the latest check-in to show: the last that has gone out to a learner,
    or a later one some learners answered already (/checkin, open from the meeting's end). A
    check-in still to go out (the next morning) is not one nobody answered."""
    for meeting in reversed(held):
        if asked(circle, meeting, everyone, answered[meeting.id or 0], now):
            return meeting
    return None


def _answers_due(circle: Circle, meeting: Meeting | None, now: datetime) -> bool:
    """False while "Will you come?" (asked with the first reminder) has only just gone out.
    Before it, an answer is one a learner gave unasked (/rsvp); without reminders nobody is
    asked at all."""
    if meeting is None or not circle.reminder_offsets:
        return True
    asked_at = meeting.starts_at - timedelta(minutes=max(circle.reminder_offsets))
    return not asked_at <= now < asked_at + ANSWER_TIME


def _asks_at(circle: Circle, meeting: Meeting | None, now: datetime) -> datetime | None:
    """When "Will you come?" goes out with the first reminder, if that is still to come."""
    if meeting is None or not circle.reminder_offsets:
        return None
    asked_at = meeting.starts_at - timedelta(minutes=max(circle.reminder_offsets))
    return asked_at if now < asked_at else None


async def _present(session: AsyncSession, meeting_ids: list[int]) -> dict[int, set[int]]:
    """Who was marked present at each meeting, in one query."""
    found: dict[int, set[int]] = {m: set() for m in meeting_ids}
    rows = await session.exec(
        select(Attendance.meeting_id, Attendance.person_id).where(
            col(Attendance.meeting_id).in_(meeting_ids)
        )
    )
    for meeting_id, person_id in rows.all():
        found[meeting_id].add(person_id)
    return found


def render(
    tr: Translator,
    circle: Circle,
    digest: Digest,
    name: str | None = None,
    reader: int | None = None,
) -> str:
    """The digest as its reader (a person id) sees it; `name` tells the circle apart from
    another of the same name (circles.distinct_names), where the reader has one."""
    lines = [tr._("How %(circle)s is doing", circle=name or circle.name)]
    if digest.meeting is not None:
        lines.append(
            tr._(
                "Next: meeting %(number)d, %(when)s.",
                number=digest.meeting.number,
                when=tr.when(digest.meeting.starts_at, circle.timezone),
            )
        )
    else:
        lines.append(tr._("No meetings left."))
    if digest.nobody_joined:
        # Figures of nobody ("0 yes, 0 no", "0 of 0 answered") would read as a failure.
        lines.append(tr._("Nobody has joined yet; /invite gives an invitation to forward."))
        return "\n".join(lines)
    if digest.nobody_in and digest.meeting is not None and digest.waiting:
        lines.append(
            tr.ngettext(
                "Nobody is in the circle right now, and %(n)d learner is waiting for a seat.",
                "Nobody is in the circle right now, and %(n)d learners are waiting for a seat.",
                digest.waiting,
            )
        )
    elif digest.nobody_in and digest.meeting is not None:
        # Meetings still to come for nobody: "0 yes, 0 no" would hide that (dede 36).
        lines.append(tr._("Nobody is in the circle any more – /close?"))
    elif digest.rsvp is not None:
        lines.extend(_coming(tr, circle, digest, digest.rsvp))
    if digest.last_week is None and digest.asked_have_left:
        lines.append(tr._("Check-ins went out, to learners who have since left."))
    elif digest.last_week is None:
        lines.append(
            tr._("No check-ins have gone out yet.")
            if digest.held
            else tr._("No meeting has taken place yet, so there are no check-ins.")
        )
    else:
        week = digest.last_week
        # The number agrees with "answered" (issue 16: plurals chosen on the total).
        line = tr.ngettext(
            "Last check-in: %(n)d of %(asked)d answered.",
            "Last check-in: %(n)d of %(asked)d answered.",
            week.answered,
            asked=week.asked,
        )
        if digest.last_week_of is not None:
            line = tr.ngettext(
                "Last check-in (about meeting %(number)d; none has gone out since): "
                "%(n)d of %(asked)d answered.",
                "Last check-in (about meeting %(number)d; none has gone out since): "
                "%(n)d of %(asked)d answered.",
                week.answered,
                asked=week.asked,
                number=digest.last_week_of,
            )
        if week.average is not None:
            line += " " + tr._(
                "Average rating %(average)s of 5.",
                average=format_decimal(week.average, format="0.0", locale=tr.locale),
            )
        # No word on how those who left are counted: a sentence on the method, not on the
        # circle (lang 19); /report still says it.
        lines.append(line)
        if digest.paused:
            lines.append(
                tr._(
                    "Paused the check-ins, so not asked: %(names)s.",
                    names=format_list(digest.paused, locale=tr.locale),
                )
            )
        if digest.found_it_hard:
            # Each with the learner's own scale word: a 2 is "so-so", not "found it hard", and
            # may come from one who missed the meeting (A19, D24).
            lines.append(
                tr._(
                    "Low ratings last time: %(names)s.",
                    names=", ".join(
                        tr._(
                            "%(name)s (%(rating)d, %(label)s)",
                            name=name,
                            rating=rating,
                            label=tr._(checkin_prompts.RATING_LABELS[rating - 1]),
                        )
                        for name, rating in digest.found_it_hard
                    ),
                )
            )
    if digest.attendance_trend:
        lines.append(
            tr._("Attendance so far: %(trend)s", trend=by_meeting(tr, digest.attendance_trend))
        )
    over = digest.meeting is None
    if digest.silent:
        lines.append(drifting.line(tr, drifting.RISK_DEFINITION, digest.silent, over))
    if digest.quiet:
        lines.append(drifting.line(tr, drifting.QUIET_DEFINITION, digest.quiet, over))
    if digest.unheard and not over:
        lines.append(
            tr._(
                "Haven't heard from %(names)s about meeting %(number)d: no answer to the "
                "reminder, not there, no check-in. A friendly word might help: send /reply "
                "%(name)s and a few words.",
                names=format_list(digest.unheard, locale=tr.locale),
                number=digest.unheard_at,
                name=digest.unheard[0].split()[0],
            )
        )
    if digest.away and not over:
        lines.append(
            tr.ngettext(
                "%(names)s missed meeting %(number)d (said they couldn't come) and hasn't "
                "answered the check-in since. A friendly word might help: send /reply "
                "%(name)s and a few words.",
                "%(names)s missed meeting %(number)d (said they couldn't come) and haven't "
                "answered the check-in since. A friendly word might help: send /reply "
                "%(name)s and a few words.",
                len(digest.away),
                names=format_list(digest.away, locale=tr.locale),
                number=digest.unheard_at,
                name=digest.away[0].split()[0],
            )
        )
    if digest.stopped:
        lines.append(
            tr.ngettext(
                "%(names)s has stopped messages (sent STOP), so I can't reach them.",
                "%(names)s have stopped messages (sent STOP), so I can't reach them.",
                len(digest.stopped),
                names=format_list(digest.stopped, locale=tr.locale),
            )
        )
    if digest.unreached:
        lines.append(
            tr._(
                "My messages don't reach %(names)s any more (they may have blocked the bot): "
                "please reach them another way.",
                names=format_list(digest.unreached, locale=tr.locale),
            )
        )
    lead_from = digest.lead_from.get(reader) if reader is not None else None
    quotes = [
        quote
        for quote in digest.quotes
        if lead_from is None or quote.agreed is None or lead_from <= quote.agreed
    ][:QUOTES]
    if quotes:
        lines.append(tr._("In their words (shared with you):"))
        lines.extend(_quoted(tr, quotes))
    return "\n".join(lines)


def by_meeting(tr: Translator, counts: list[tuple[int, int | None]]) -> str:
    """'2 at meeting 1, 1 at meeting 2, meeting 3 not taken': each count with its meeting, so
    "2, 2, 2" never reads as two people at every meeting (lang 19)."""
    return ", ".join(
        tr._("meeting %(number)d not taken", number=number)
        if count is None
        else tr._("%(count)d at meeting %(number)d", count=count, number=number)
        for number, count in counts
    )


def _quoted(tr: Translator, quotes: list[Quote]) -> list[str]:
    """The quotes under the question each answers, asked once for all who answered it: "HAPANA"
    alone says nothing to a facilitator who doesn't know it answered "Was anything in your
    way?". Words that came with a rating answer no question: they come first."""
    by_question: dict[str | None, list[Quote]] = {}
    for quote in quotes:
        prompt = by_key(checkin_prompts.QUESTIONS, quote.prompt_key or "")
        by_question.setdefault(prompt.text if prompt else None, []).append(quote)
    lines: list[str] = []
    for question in sorted(by_question, key=lambda asked: asked is not None):
        if question is not None:
            lines.append(tr._("Question: %(question)s", question=tr._(question)))
        lines.extend(
            tr._('"%(text)s" (%(name)s)', text=quote.text, name=quote.name)
            for quote in by_question[question]
        )
    return lines


def _coming(tr: Translator, circle: Circle, digest: Digest, rsvp: rsvps.RsvpCounts) -> list[str]:
    """Who is coming, and by name who can't and who hasn't said (to call them); while the
    question has only just gone out, or is still to go out, only what is known so far: no one
    is named for not answering a question they haven't been asked."""
    waiting = (not digest.answers_due or digest.asks_at is not None) and rsvp.unknown > 0
    if waiting and digest.asks_at is not None:
        day = calendars.day_of(tr, digest.asks_at, circle.timezone)
        if not rsvp.yes and not rsvp.no and not rsvp.maybe:
            lines = [tr._("Coming: I'll ask everyone on %(day)s.", day=day)]
        else:
            lines = [
                tr._(
                    "Coming so far: %(yes)d yes, %(no)d no. I'll ask the others on %(day)s.",
                    yes=rsvp.yes,
                    no=rsvp.no,
                    day=day,
                )
            ]
    elif waiting:
        if not rsvp.yes and not rsvp.no and not rsvp.maybe:
            return [tr._("Coming: I'm asking everyone now. Send /digest later to see the answers.")]
        lines = [
            tr._(
                "Coming so far: %(yes)d yes, %(no)d no. I'm asking the others now.",
                yes=rsvp.yes,
                no=rsvp.no,
            )
        ]
    else:
        lines = [
            tr._(
                "Coming: %(yes)d yes, %(no)d no, %(unknown)d not answered yet.",
                yes=rsvp.yes,
                no=rsvp.no,
                unknown=rsvp.unknown,
            )
        ]
    if digest.here:
        lines.append(tr._("Here now (sent /here): %(names)s.", names=", ".join(digest.here)))
    if digest.said_no:
        lines.append(tr._("Can't come: %(names)s.", names=", ".join(digest.said_no)))
    if digest.maybe:
        lines.append(
            tr._("Maybe (%(n)d): %(names)s.", n=len(digest.maybe), names=", ".join(digest.maybe))
        )
    if not waiting and digest.not_answered:
        lines.append(tr._("Not answered yet: %(names)s.", names=", ".join(digest.not_answered)))
    return lines
