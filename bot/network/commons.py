"""The course commons: what one circle leaves for the next circle on the same course.

- **Resources.** `/share LINK [note]` during a circle keeps a link for the course. It is
  screened like a letter (bot/letters/screening.py): a note with a phone number, an e-mail, an
  @handle, a block-listed word ("move to WhatsApp"), or a link that opens a chat with someone
  (wa.me, t.me, ...) is held: it is never passed on. Anything else waits for the circle's
  facilitator, who approves or rejects it with a tap; a facilitator's own link is approved as
  they share it.
- **Tips**, from the end-of-circle survey (bot/network/survey.py): only those their authors
  agreed to share, and that screening let through.
- **Passed on** by the tick (Commons, below): 48 hours before a circle's first meeting (or as
  it is made, when that is sooner), its facilitators get the best tips and resources from past
  circles on its course; at the first meeting's start, each learner gets one learner's tip.
- **Retention.** When a circle is anonymised (bot/reports/retention.py), its tips not shared
  and its links not approved go; shared tips and approved links stay, with no name on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from urllib.parse import urlsplit

from sqlalchemy import and_, delete, or_, update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.messages import Choice
from bot.circles import circles, meetings
from bot.delivery.jobs import TickReport, TickWindow
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey, key_text
from bot.dialogue import members, notifications
from bot.letters import screening
from bot.network import courses
from bot.network.courses import Resource, Tip
from bot.storage.models import (
    Circle,
    CircleStatus,
    CourseResource,
    CourseSurvey,
    Meeting,
    MeetingStatus,
    Membership,
    OutboxMessage,
    ResourceStatus,
    Role,
)

MAX_URL_CHARS = 500
MAX_NOTE_CHARS = 200
# At most this many links from one person in one circle in any 24 hours: each one is a message
# to the facilitators.
SHARES_PER_DAY = 5
DAY = timedelta(hours=24)
# The facilitators hear from past circles this long before the first meeting.
FACILITATOR_LEAD = timedelta(hours=48)
# After a long stop, news this late is no longer worth sending.
MAX_DELAY = timedelta(days=7)
TIPS_FOR_FACILITATORS = 3
# Tips read to choose from, before leaving out a reader's own (a few more than are passed on).
TIPS_LOOKED_AT = 20
RESOURCES_FOR_FACILITATORS = 3
# Links that open a conversation with a person: contact details, however they are written.
CONTACT_HOSTS = frozenset(
    {"wa.me", "api.whatsapp.com", "chat.whatsapp.com", "t.me", "telegram.me", "m.me", "signal.me"}
)
CONTACT_LINK = N_("a link to contact someone")


# A web address without its scheme: a host with a dot and a letter ending ("py4e.com"), maybe
# a path; never an e-mail address or a number ("3.5").
_BARE_LINK = re.compile(r"(?:[\w-]+\.)+[a-z]{2,}(?::\d+)?(?:/\S*)?", re.IGNORECASE)


def check_link(text: str) -> str:
    """A web address as shared: http(s), a host with a dot, no spaces, not too long; one
    typed without its scheme ("scratch.mit.edu/projects") is taken as https://, as a course's
    link is at setup (wave 2, B44)."""
    link = text.strip()
    if "://" not in link and _BARE_LINK.fullmatch(link):
        link = "https://" + link
    parts = urlsplit(link) if len(link) <= MAX_URL_CHARS else None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or "." not in parts.netloc
        or any(ch.isspace() for ch in link)
    ):
        raise UserError(
            N_(
                "Please share a web address starting with https:// (up to %(limit)d "
                "characters), then a short note if you like."
            ),
            limit=MAX_URL_CHARS,
        )
    return link


def check_note(text: str | None) -> str | None:
    note = " ".join((text or "").split())
    if len(note) > MAX_NOTE_CHARS:
        raise UserError(
            N_("Please keep the note under %(limit)d characters."), limit=MAX_NOTE_CHARS
        )
    return note or None


def screen(link: str, note: str | None, circle: Circle) -> list[str]:
    """What holds a shared link back: contact details in the note or in the link itself."""
    flags = screening.screen(note, circle.language, circle.country_code) if note else []
    # By host: a page's own numbers (an article's id) are not a phone number to hold it for.
    host = urlsplit(link).netloc.casefold().split("@")[-1].split(":")[0].removeprefix("www.")
    if host in CONTACT_HOSTS:
        flags.append(CONTACT_LINK)
    return flags


async def share(
    session: AsyncSession,
    circle: Circle,
    person_id: int,
    role: Role,
    link: str,
    note: str | None,
    now: datetime,
) -> CourseResource:
    """Keep a link for the circle's course: held if screening finds contact details, approved
    at once when a facilitator shares it, otherwise waiting for the facilitator."""
    assert circle.id is not None
    link, note = check_link(link), check_note(note)
    recent = (
        await session.exec(
            select(func.count()).where(
                CourseResource.circle_id == circle.id,
                CourseResource.person_id == person_id,
                col(CourseResource.created_at) > now - DAY,
            )
        )
    ).one()
    if recent >= SHARES_PER_DAY:
        raise UserError(
            N_(
                "You've shared %(limit)d links today, thank you! That's as many as one person "
                "shares in a day. Try again tomorrow."
            ),
            limit=SHARES_PER_DAY,
        )
    key = courses.course_key("", link, "")
    for earlier in (
        await session.exec(
            # A link held for its note may be shared again without it.
            select(CourseResource).where(
                CourseResource.circle_id == circle.id,
                CourseResource.status != ResourceStatus.HELD,
            )
        )
    ).all():
        if courses.course_key("", earlier.url, "") == key:
            raise UserError(N_("That link is already shared in your circle. Thank you!"))
    course = await courses.link_circle(session, circle)
    assert course.id is not None
    flags = screen(link, note, circle)
    if flags:
        status = ResourceStatus.HELD
    elif role in circles.FACILITATING:
        status = ResourceStatus.APPROVED
    else:
        status = ResourceStatus.REVIEW
    resource = CourseResource(
        course_id=course.id,
        circle_id=circle.id,
        person_id=person_id,
        url=link,
        note=note,
        status=status,
        flags=flags,
        created_at=now,
        decided_at=now if status is ResourceStatus.APPROVED else None,
    )
    session.add(resource)
    await session.flush()
    return resource


# How long a facilitator may still reject a link they approved.
CHANGE_OF_MIND = timedelta(days=1)


async def decide(
    session: AsyncSession, circle: Circle, number: int, approve: bool, now: datetime
) -> CourseResource:
    """A facilitator's decision on a link shared in their circle (its number is its id)."""
    resource = await session.get(CourseResource, number) if 0 < number < 2**63 else None
    if resource is None or resource.circle_id != circle.id:
        raise UserError(N_("There's no shared link %(number)d in your circle."), number=number)
    if resource.status == ResourceStatus.HELD:
        raise UserError(
            N_("Link %(number)d stays held: it seems to contain contact details."),
            number=number,
        )
    # A fresh approval can be taken back ("1" to the review, then second thoughts).
    fresh = (
        not approve
        and resource.status == ResourceStatus.APPROVED
        and resource.decided_at is not None
        and now - resource.decided_at < CHANGE_OF_MIND
    )
    if resource.status != ResourceStatus.REVIEW and not fresh:
        raise UserError(N_("Link %(number)d has already been decided."), number=number)
    resource.status = ResourceStatus.APPROVED if approve else ResourceStatus.REJECTED
    resource.decided_at = now
    session.add(resource)
    return resource


async def waiting(session: AsyncSession, circle_id: int) -> list[CourseResource]:
    """The circle's links waiting for the facilitator, oldest first."""
    return list(
        (
            await session.exec(
                select(CourseResource)
                .where(
                    CourseResource.circle_id == circle_id,
                    CourseResource.status == ResourceStatus.REVIEW,
                )
                .order_by(col(CourseResource.id))
            )
        ).all()
    )


def review_choices(tr: Translator, circle: Circle, resource: CourseResource) -> list[Choice]:
    return [
        Choice(tr._("Approve"), f"#{circle.id} /share approve {resource.id}"),
        Choice(tr._("Reject"), f"#{circle.id} /share reject {resource.id}"),
    ]


def shown(resource: CourseResource | Resource) -> str:
    """A link with its note, as a line."""
    return resource.url + (" — " + resource.note if resource.note else "")


def tip_line(tr: Translator, tip: Tip) -> str:
    if tip.online and tip.by_facilitator:
        return tr._('"%(tip)s" (a facilitator in an online circle)', tip=tip.text)
    if tip.online:
        return tr._('"%(tip)s" (a learner in an online circle)', tip=tip.text)
    if tip.by_facilitator:
        return tr._('"%(tip)s" (a facilitator in %(city)s)', tip=tip.text, city=tip.city)
    return tr._('"%(tip)s" (a learner in %(city)s)', tip=tip.text, city=tip.city)


# -- the tick's job -----------------------------------------------------------------------------


class Commons:
    """The commons' job in the tick (bot.delivery.jobs.ScheduledJob): past circles' tips and
    resources to a starting circle's facilitators, one tip to its learners at the first
    meeting, and the retention of what was not shared."""

    async def run(self, window: TickWindow) -> TickReport:
        sent = await self._for_facilitators(window) + await self._for_learners(window)
        await self._anonymised(window)
        # Told with the letters: both are what other circles pass to a starting one.
        return TickReport(letters=sent)

    async def _first_meetings(
        self, window: TickWindow, starting: list[tuple[Meeting, Circle]]
    ) -> list[tuple[Meeting, Circle]]:
        """Those of `starting` that are their circle's first meeting."""
        if not starting:
            return []
        first = await meetings.bounds(window.session, [c.id for _, c in starting if c.id])
        seen: set[int] = set()
        found = []
        for meeting, circle in starting:
            if circle.id in first and meeting.number == first[circle.id][0]:
                if circle.id not in seen:
                    seen.add(circle.id)
                    found.append((meeting, circle))
        return found

    async def _for_facilitators(self, window: TickWindow) -> int:
        since = max(window.since, window.now - MAX_DELAY)
        base = (
            select(Meeting, Circle)
            .join(Circle, col(Circle.id) == Meeting.circle_id)
            .where(
                Circle.status == CircleStatus.ACTIVE,
                Meeting.status != MeetingStatus.CANCELLED,
            )
        )
        # Its first meeting 48 hours away, or a circle made in the window that meets sooner.
        due = (
            await window.session.exec(
                base.where(
                    col(Meeting.starts_at) > since + FACILITATOR_LEAD,
                    col(Meeting.starts_at) <= window.now + FACILITATOR_LEAD,
                )
            )
        ).all()
        made = (
            await window.session.exec(
                base.where(
                    col(Circle.created_at) > since,
                    col(Circle.created_at) <= window.now,
                    col(Meeting.starts_at) > window.now,
                    col(Meeting.starts_at) <= window.now + FACILITATOR_LEAD,
                )
            )
        ).all()
        sent = 0
        for _, circle in await self._first_meetings(window, [*due, *made]):
            sent += await self._facilitators_told(window, circle)
        return sent

    async def _facilitators_told(self, window: TickWindow, circle: Circle) -> int:
        assert circle.id is not None
        course = await courses.link_circle(window.session, circle)
        assert course.id is not None
        authored = await courses.authored_tips(
            window.session,
            course.id,
            TIPS_LOOKED_AT,
            exclude_circle=circle.id,
            language=circle.language,
        )
        resources = await courses.approved_resources(
            window.session, course.id, RESOURCES_FOR_FACILITATORS, exclude_circle=circle.id
        )
        if not authored and not resources:
            return 0
        for_learners = any(not tip.by_facilitator for tip in authored.values()) or bool(
            await courses.shared_tips(
                window.session, course.id, 1, exclude_circle=circle.id, learners_only=True
            )
        )
        sent = 0
        for entry in await members.roster(window.session, circle.id):
            if entry.membership.role not in circles.FACILITATING:
                continue
            person_id = entry.person.id or 0
            # Never her own words, nor her own past circles' learners' tips (her circle's, not
            # other circles'). A fellow facilitator's tip from a circle of hers does come: it
            # is for the next facilitator, she is that, and she has never seen it.
            own = await _circles_of(window.session, person_id)
            passed = [
                (tip_circle, tip)
                for (tip_circle, author), tip in authored.items()
                if author != person_id and (tip_circle not in own or tip.by_facilitator)
            ]
            tips = courses.in_language([tip for _, tip in passed], circle.language)
            tips = tips[:TIPS_FOR_FACILITATORS]
            # Said so, as "other circles have taken it before you" would not be true.
            from_hers = any(c in own and any(t is tip for t in tips) for c, tip in passed)
            if not tips and not resources:
                continue
            sent += await notifications.notify(
                window.session,
                window.catalogs,
                window.now,
                person_id,
                OutboxKey(MessageKind.COURSE_COMMONS, f"circle:{circle.id}", f"person:{person_id}"),
                partial(
                    _for_facilitator,
                    circle=circle,
                    tips=tips,
                    resources=resources,
                    for_learners=for_learners,
                    from_hers=from_hers,
                ),
                circle.language,
            )
        return sent

    async def _for_learners(self, window: TickWindow) -> int:
        since = max(window.since, window.now - MAX_DELAY)
        starting = (
            await window.session.exec(
                select(Meeting, Circle)
                .join(Circle, col(Circle.id) == Meeting.circle_id)
                .where(
                    Circle.status == CircleStatus.ACTIVE,
                    Meeting.status != MeetingStatus.CANCELLED,
                    col(Meeting.starts_at) > since,
                    col(Meeting.starts_at) <= window.now,
                )
            )
        ).all()
        sent = 0
        for _, circle in await self._first_meetings(window, list(starting)):
            assert circle.id is not None
            course = await courses.link_circle(window.session, circle)
            assert course.id is not None
            authored = await courses.authored_tips(
                window.session,
                course.id,
                TIPS_LOOKED_AT,
                exclude_circle=circle.id,
                learners_only=True,
                language=circle.language,
            )
            if not authored:
                continue  # nothing to give: no reads for its learners (the tick, issue 18)
            for entry in await members.roster(window.session, circle.id):
                if entry.membership.role != Role.LEARNER:
                    continue
                person_id = entry.person.id or 0
                chosen = await _tip_for(window.session, circle, person_id, authored)
                if chosen is None:
                    continue
                (tip_circle, author), tip = chosen
                sent += await notifications.notify(
                    window.session,
                    window.catalogs,
                    window.now,
                    person_id,
                    OutboxKey(
                        MessageKind.COURSE_TIP,
                        f"circle:{circle.id}",
                        f"person:{person_id}",
                        # Which tip: never sent to the same reader again (fac 25).
                        f"tip:{tip_circle}:{author}",
                    ),
                    partial(_for_learner, circle=circle, tip=tip),
                    circle.language,
                )
        return sent

    async def _anonymised(self, window: TickWindow) -> None:
        """What circles anonymised in the window had not shared goes with their words."""
        gone = list(
            (
                await window.session.exec(
                    select(Circle.id).where(
                        col(Circle.anonymised_at) > window.since,
                        col(Circle.anonymised_at) <= window.now,
                    )
                )
            ).all()
        )
        if not gone:
            return
        # Tips not shared, or held by screening: whether a tip is held is read here, not in
        # SQL (a JSON list compares differently on either back end).
        unshared = [
            survey_id
            for survey_id, shared, flags in (
                await window.session.exec(
                    select(CourseSurvey.id, CourseSurvey.tip_shared, CourseSurvey.tip_flags).where(
                        col(CourseSurvey.circle_id).in_(gone),
                        col(CourseSurvey.tip).is_not(None),
                    )
                )
            ).all()
            if not shared or flags
        ]
        if unshared:
            surveys = CourseSurvey.__table__  # type: ignore[attr-defined]
            await window.session.exec(
                update(surveys).where(surveys.c.id.in_(unshared)).values(tip=None)
            )
        resources = CourseResource.__table__  # type: ignore[attr-defined]
        await window.session.exec(
            delete(resources).where(
                resources.c.circle_id.in_(gone),
                resources.c.status != ResourceStatus.APPROVED,
            )
        )


async def _tip_for(
    session: AsyncSession,
    circle: Circle,
    person_id: int,
    authored: dict[tuple[int, int], Tip],
) -> tuple[tuple[int, int], Tip] | None:
    """The tip for a learner at `circle`'s first meeting, in their circle's language first:
    never their own, never one they were sent before (fac 25: the same tip at two first
    meetings), and another circle's rather than one written by someone of their own circles
    (that is no "past circle's" to them). None when they already have theirs."""
    own = await _circles_of(session, person_id)
    shown = await _tips_sent(session, person_id, own | {circle.id or 0})
    if f"circle:{circle.id}" in shown.circles:
        return None
    fellows = await _people_in(session, own)
    fresh = [
        (key, tip)
        for key, tip in authored.items()
        if key[1] != person_id
        and f"tip:{key[0]}:{key[1]}" not in shown.tips
        and not any(tip.text in text for text in shown.texts)
    ]
    others: list[tuple[tuple[int, int], Tip]] = []
    ours: list[tuple[tuple[int, int], Tip]] = []
    for (tip_circle, author), tip in fresh:
        mine = tip_circle in own or author in fellows
        (ours if mine else others).append(((tip_circle, author), tip))
    for found in (others, ours):
        if found:
            return next(
                ((key, tip) for key, tip in found if tip.language == circle.language), found[0]
            )
    return None


@dataclass(frozen=True)
class _Shown:
    """The course tips a person was sent: for which circles, which tips (as their outbox key
    names them), and the texts (of those sent before the key named the tip)."""

    circles: frozenset[str]
    tips: frozenset[str]
    texts: tuple[str, ...]


async def _tips_sent(session: AsyncSession, person_id: int, circle_ids: set[int]) -> _Shown:
    """The tips sent to the person at the first meetings of `circle_ids` (theirs: a tip goes
    only to a circle's own learners), each read by a range of the outbox's unique key, which
    its index finds: no scan of the whole outbox per learner."""
    recipient = f"person:{person_id}"
    stored = col(OutboxMessage.idempotency_key)
    ranges = []
    for circle_id in sorted(circle_ids):
        start = key_text(MessageKind.COURSE_TIP, f"circle:{circle_id}", recipient)
        # Every occurrence of that key: from "...|person:N|" up to the next character.
        ranges.append(and_(stored >= start, stored < start[:-1] + chr(ord("|") + 1)))
    rows = await session.exec(
        select(OutboxMessage.idempotency_key, OutboxMessage.payload).where(or_(*ranges))
    )
    circles, tips, texts = set(), set(), []
    for key, payload in rows.all():
        parts = key.split("|", 3)
        if len(parts) != 4 or parts[2] != recipient:
            continue
        _, subject, _, occurrence = parts
        circles.add(subject)
        if occurrence:
            tips.add(occurrence)
        elif payload.get("text"):
            texts.append(str(payload["text"]))
    return _Shown(frozenset(circles), frozenset(tips), tuple(texts))


async def _people_in(session: AsyncSession, circle_ids: set[int]) -> set[int]:
    """Everyone ever in these circles, left ones included."""
    if not circle_ids:
        return set()
    rows = await session.exec(
        select(Membership.person_id).where(col(Membership.circle_id).in_(sorted(circle_ids)))
    )
    return set(rows.all())


async def _circles_of(session: AsyncSession, person_id: int) -> set[int]:
    """Every circle the person was ever in, left ones included."""
    rows = await session.exec(select(Membership.circle_id).where(Membership.person_id == person_id))
    return set(rows.all())


def _for_facilitator(
    tr: Translator,
    circle: Circle,
    tips: list[Tip],
    resources: list[Resource],
    for_learners: bool,
    from_hers: bool = False,
) -> str:
    """What past circles left, for a starting circle's facilitator; `from_hers` when a tip
    among them comes from a circle she was in herself (a fellow facilitator's)."""
    lines = [
        tr._(
            "Before %(circle)s starts: past circles on %(course)s, yours among them, left "
            "these for you.",
            circle=circle.name,
            course=circle.course_title,
        )
        if from_hers
        else tr._(
            "Before %(circle)s starts: other circles have taken %(course)s before you, and "
            "left these for you.",
            circle=circle.name,
            course=circle.course_title,
        )
    ]
    if tips:
        lines += ["", tr._("Tips:")] + ["• " + tip_line(tr, tip) for tip in tips]
    if resources:
        lines += ["", tr._("Links they found useful:")] + ["• " + shown(r) for r in resources]
    if for_learners:
        lines += ["", tr._("Your learners will get one learner's tip at the first meeting.")]
    return "\n".join(lines)


def _for_learner(tr: Translator, circle: Circle, tip: Tip) -> str:
    return tr._(
        "Welcome to %(circle)s! A tip from a past circle on %(course)s, for your first meeting: "
        "%(tip)s",
        circle=circle.name,
        course=circle.course_title,
        tip=tip_line(tr, tip),
    )
