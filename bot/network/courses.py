"""Courses as records shared by circles: found or made from a circle's title and link, offered
to a new circle, ranked by how past circles went (bot/network/ranking.py), and their public
record (figures, shared tips, approved resources), with no personal names in it.

The same link is the same course, whatever the title typed; without a link, the same title in
the same language is (`course_key`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from sqlmodel import col, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat import keywords
from bot.circles import meetings
from bot.network import ranking
from bot.network.ranking import Figures, Tally
from bot.storage.database import insert_if_absent
from bot.storage.models import (
    FACILITATING,
    Attendance,
    CheckIn,
    Circle,
    CircleStatus,
    Course,
    CourseResource,
    CourseSurvey,
    Meeting,
    MeetingStatus,
    Membership,
    ResourceStatus,
    Role,
)

# Ids in one IN (...): well inside either back end's limit on a statement's parameters.
_IDS_PER_STATEMENT = 1_000
# A figure from people's answers (a rating, goals met, would recommend) is shown only when at
# least this many answered (B11: "rated 4.0/5" was one learner's week).
MIN_RATERS = 3
MAX_TOPIC_CHARS = 60


def course_key(title: str, link: str | None, language: str) -> str:
    """What makes two circles' courses the same: the link (scheme, "www." and a trailing slash
    aside, case aside), else the title (case and spaces aside) in its language."""
    if link and link.strip():
        typed = link.strip()
        # "py4e.com" and "www.py4e.com" typed without a scheme are read as a host, not a path.
        parts = urlsplit(typed if "//" in typed else "//" + typed)
        host = parts.netloc.casefold().removeprefix("www.")
        path = parts.path.rstrip("/")
        query = "?" + parts.query if parts.query else ""
        return ("link:" + host + path + query).casefold()[:520]
    return ("title:" + language.casefold() + ":" + " ".join(title.casefold().split()))[:520]


async def course_for(
    session: AsyncSession,
    title: str,
    link: str | None,
    language: str,
    topic: str | None = None,
) -> Course:
    """The course with this link (or, without one, this title in this language), made if there
    is none yet. Safe when two circles make the same course at once (insert if absent)."""
    key = course_key(title, link, language)
    found = (await session.exec(select(Course).where(Course.key == key))).first()
    if found is None:
        # One course per title in a language: a circle without a link joins the one with its
        # title, and a link typed for a course known only by its title becomes that course's.
        found = await _same_title(
            session, title, language, linkless_only=bool(link and link.strip())
        )
        if found is not None and found.url is None and link and link.strip():
            found.key, found.url = key, link.strip()[:500]
            session.add(found)
    if found is None:
        await insert_if_absent(
            session,
            Course.__table__,  # type: ignore[attr-defined]
            {
                "key": key,
                "title": " ".join(title.split())[:200],
                "url": link.strip()[:500] if link and link.strip() else None,
                "language": language[:16],
                "topic": _topic(topic),
            },
            ["key"],
        )
        found = (await session.exec(select(Course).where(Course.key == key))).one()
    elif topic and not found.topic:
        found.topic = _topic(topic)
        session.add(found)
    return found


async def _same_title(
    session: AsyncSession, title: str, language: str, linkless_only: bool
) -> Course | None:
    """The course with this title (case and spaces aside) in this language: for a circle
    without a link, any (the one most circles took); for one with a link, only one that has
    none yet (two sites may offer courses of the same name)."""
    wanted = _plain_title(title)
    statement = select(Course).where(Course.language == language[:16])
    if linkless_only:
        statement = statement.where(col(Course.url).is_(None))
    same = [c for c in (await session.exec(statement)).all() if _plain_title(c.title) == wanted]
    if not same:
        return None
    taken = dict(
        (
            await session.exec(
                select(Circle.course_id, func.count())
                .where(col(Circle.course_id).in_([c.id for c in same]))
                .group_by(col(Circle.course_id))
            )
        ).all()
    )
    return min(same, key=lambda c: (c.url is None, -taken.get(c.id, 0), c.id or 0))


def _plain_title(title: str) -> str:
    return " ".join(title.casefold().split())


def _topic(topic: str | None) -> str | None:
    cleaned = " ".join((topic or "").split())[:MAX_TOPIC_CHARS]
    return cleaned or None


async def link_circle(session: AsyncSession, circle: Circle) -> Course:
    """The circle's course, found or made from its title and link when it has none yet
    (a circle made before courses were records, or by a path that set no course)."""
    if circle.course_id is not None:
        course = await session.get(Course, circle.course_id)
        if course is not None:
            return course
    course = await course_for(session, circle.course_title, circle.course_url, circle.language)
    circle.course_id = course.id
    session.add(circle)
    return course


async def relabel(session: AsyncSession, circle: Circle, was: str) -> None:
    """After /edit language: the circle's course, labelled `was` by this circle alone, is
    in the circle's language now (the other circles on a course say what it is otherwise)."""
    if circle.course_id is None:
        return
    course = await session.get(Course, circle.course_id)
    if course is None or course.language != was[:16] or course.language == circle.language:
        return
    others = await session.exec(
        select(func.count()).where(Circle.course_id == course.id, Circle.id != circle.id)
    )
    if others.one():
        return
    course.language = circle.language[:16]
    session.add(course)


async def known_courses(
    session: AsyncSession, language: str, query: str | None = None, limit: int = 5
) -> list[Course]:
    """Courses in `language` a new circle might take, those most circles took first; with a
    query, those whose title or link contains it (case aside). Only courses some circle still
    takes: a title corrected with /edit course is no course of its own (dada 15)."""
    limit = max(1, min(limit, 50))
    taken = (
        select(Circle.course_id, func.count().label("circles"))
        .where(col(Circle.course_id).is_not(None))
        .group_by(col(Circle.course_id))
        .subquery()
    )
    statement = (
        select(Course)
        .join(taken, taken.c.course_id == Course.id)
        .where(Course.language == language)
        .order_by(taken.c.circles.desc(), col(Course.title))
        .limit(limit)
    )
    typed = " ".join((query or "").split())[:200]
    if typed:
        statement = statement.where(
            or_(
                func.lower(Course.title).contains(typed.casefold(), autoescape=True),
                func.lower(func.coalesce(Course.url, "")).contains(
                    typed.casefold(), autoescape=True
                ),
            )
        )
    return list((await session.exec(statement)).all())


# -- the record others may read: no names ------------------------------------------------------


@dataclass(frozen=True)
class Tip:
    """A tip for the next circle, shared by its author: their words, never their name."""

    text: str
    by_facilitator: bool
    city: str
    country_code: str
    language: str
    online: bool = False  # from a circle meeting at a link: its city is no one's (lang 15)


@dataclass(frozen=True)
class Resource:
    """A link shared in a circle and approved by its facilitator."""

    url: str
    note: str | None
    circles: int  # how many circles shared it


@dataclass(frozen=True)
class CircleTaken:
    """A circle that took the course, as the public may know it: where, in what language,
    from when."""

    city: str
    country_code: str
    language: str
    start_date: date


@dataclass(frozen=True)
class RankedCourse:
    id: int
    title: str
    link: str | None
    language: str
    topic: str | None
    circles: int
    figures: Figures


@dataclass(frozen=True)
class CourseRecord:
    id: int
    title: str
    link: str | None
    language: str
    topic: str | None
    circles: int
    figures: Figures
    tips: tuple[Tip, ...]
    resources: tuple[Resource, ...]
    taken_by: tuple[CircleTaken, ...]


async def ranked(
    session: AsyncSession,
    topic: str | None = None,
    limit: int = 50,
    now: datetime | None = None,
) -> list[RankedCourse]:
    """Courses in ranking order (bot/network/ranking.py), those with too few circles after the
    others; with a topic, those whose topic or title contains it."""
    limit = max(1, min(limit, 200))
    statement = select(Course)
    typed = " ".join((topic or "").split())[:MAX_TOPIC_CHARS]
    if typed:
        # Case and accents aside, as SMS and many keyboards send it: "informatica" finds
        # "Informática básica" (wave 2, C43); every word typed in its title or topic, or in
        # the names of the circles that took it (frsw 24: "entrepreneuriat" is what the
        # circles on "Entreprendre en Afrique" were called).
        wanted = [keywords.plain(word) for word in typed.split() if keywords.plain(word)]
        named = await _circle_names(session)
        courses = {
            course.id: course
            for course in (await session.exec(statement)).all()
            if _about(wanted, [course.title, course.topic or "", *named.get(course.id or 0, [])])
        }
    else:
        courses = {course.id: course for course in (await session.exec(statement)).all()}
    tallies = await tally(session, [c for c in courses if c is not None], now)
    spoken = await _languages(session, [c for c in courses if c is not None])
    rows = []
    for course_id, course in courses.items():
        assert course_id is not None
        found = ranking.figures(tallies.get(course_id, Tally()))
        if found.circles:
            rows.append((course, course.title, found))
    return [
        RankedCourse(
            id=course.id or 0,
            title=course.title,
            link=course.url,
            language=spoken.get(course.id or 0, course.language),
            topic=course.topic,
            circles=found.circles,
            figures=found,
        )
        for course, found in ranking.order(rows)[:limit]
    ]


# Two words with this many first letters in common are forms of one ("entrepreneurs",
# "entrepreneuriat"); fewer would join unrelated ones ("communication", "community").
NEAR_FORM_LETTERS = 8


def _about(wanted: list[str], texts: list[str]) -> bool:
    """Whether every wanted word (plain) is in one of the texts, or a near form of one of
    their words."""
    found = keywords.plain(" ".join(texts))
    words = {keywords.plain(word) for text in texts for word in re.findall(r"\w+", text)}
    return all(
        word in found
        or (
            len(word) >= NEAR_FORM_LETTERS
            and any(
                len(other) >= NEAR_FORM_LETTERS
                and word[:NEAR_FORM_LETTERS] == other[:NEAR_FORM_LETTERS]
                for other in words
            )
        )
        for word in wanted
    )


async def _circle_names(session: AsyncSession) -> dict[int, list[str]]:
    """The names of the circles that took each course."""
    named: dict[int, list[str]] = defaultdict(list)
    rows = await session.exec(
        select(Circle.course_id, Circle.name).where(col(Circle.course_id).is_not(None))
    )
    for course_id, name in rows.all():
        if course_id is not None:
            named[course_id].append(name)
    return named


async def _languages(session: AsyncSession, course_ids: list[int]) -> dict[int, str]:
    """The languages each course's circles speak ("en", "en, es"): what it was taken in. The
    course keeps the language its first circle was made in, which its facilitator may have
    corrected straight after (smses 17: "/edit language English", still "(es)")."""
    spoken: dict[int, set[str]] = defaultdict(set)
    for start in range(0, len(course_ids), _IDS_PER_STATEMENT):
        rows = await session.exec(
            select(Circle.course_id, Circle.language).where(
                col(Circle.course_id).in_(course_ids[start : start + _IDS_PER_STATEMENT])
            )
        )
        for course_id, language in rows.all():
            if course_id is not None and language:
                spoken[course_id].add(language)
    return {course_id: ", ".join(sorted(found)) for course_id, found in spoken.items()}


async def course_record(
    session: AsyncSession, course_id: int, now: datetime | None = None
) -> CourseRecord | None:
    """Everything the public may know of one course; None if there is no such course."""
    course = await session.get(Course, course_id)
    if course is None:
        return None
    found = ranking.figures((await tally(session, [course_id], now)).get(course_id, Tally()))
    taken = (
        await session.exec(
            select(Circle).where(Circle.course_id == course_id).order_by(col(Circle.start_date))
        )
    ).all()
    return CourseRecord(
        id=course_id,
        title=course.title,
        link=course.url,
        language=(await _languages(session, [course_id])).get(course_id, course.language),
        topic=course.topic,
        circles=found.circles,
        figures=found,
        tips=tuple(await shared_tips(session, course_id)),
        resources=tuple(await approved_resources(session, course_id)),
        taken_by=tuple(
            CircleTaken(c.city, c.country_code, c.language, c.start_date) for c in taken
        ),
    )


async def shared_tips(
    session: AsyncSession,
    course_id: int,
    limit: int = 20,
    exclude_circle: int | None = None,
    learners_only: bool = False,
) -> list[Tip]:
    """The tips their authors agreed to share and screening let through, best first:
    facilitators' first (they speak to the next facilitator), then those of the learners who
    came to most meetings, then the newest."""
    found = await authored_tips(session, course_id, limit, exclude_circle, learners_only)
    return list(found.values())


async def authored_tips(
    session: AsyncSession,
    course_id: int,
    limit: int = 20,
    exclude_circle: int | None = None,
    learners_only: bool = False,
    language: str | None = None,
) -> dict[tuple[int, int], Tip]:
    """shared_tips, by (circle id, author's person id), in the same order: for leaving out
    someone's own tips, or those of their own circles, before they are passed on to them.
    With a `language`, those written in circles speaking it come first."""
    statement = (
        select(CourseSurvey, Circle)
        .join(Circle, col(Circle.id) == CourseSurvey.circle_id)
        .where(
            CourseSurvey.course_id == course_id,
            col(CourseSurvey.tip_shared).is_(True),
            col(CourseSurvey.tip).is_not(None),
        )
    )
    if exclude_circle is not None:
        statement = statement.where(CourseSurvey.circle_id != exclude_circle)
    if learners_only:
        statement = statement.where(CourseSurvey.role == Role.LEARNER)
    rows = [(s, c) for s, c in (await session.exec(statement)).all() if not s.tip_flags]
    came = await _meetings_attended(session, [(s.circle_id, s.person_id) for s, _ in rows])
    rows.sort(
        key=lambda row: (
            language is not None and row[1].language != language,
            row[0].role == Role.LEARNER,
            -came.get((row[0].circle_id, row[0].person_id), 0),
            -row[0].updated_at.timestamp(),
        )
    )
    return {
        (survey.circle_id, survey.person_id): Tip(
            text=survey.tip or "",
            by_facilitator=survey.role != Role.LEARNER,
            city=circle.city,
            country_code=circle.country_code,
            language=circle.language,
            online=meetings.is_link(circle.venue),
        )
        for survey, circle in rows[:limit]
    }


async def _meetings_attended(
    session: AsyncSession, pairs: list[tuple[int, int]]
) -> dict[tuple[int, int], int]:
    if not pairs:
        return {}
    circle_ids = sorted({circle_id for circle_id, _ in pairs})
    found: dict[tuple[int, int], int] = {}
    for start in range(0, len(circle_ids), _IDS_PER_STATEMENT):
        rows = await session.exec(
            select(Meeting.circle_id, Attendance.person_id, func.count())
            .join(Meeting, col(Meeting.id) == Attendance.meeting_id)
            .where(col(Meeting.circle_id).in_(circle_ids[start : start + _IDS_PER_STATEMENT]))
            .group_by(col(Meeting.circle_id), col(Attendance.person_id))
        )
        found.update({(c, p): n for c, p, n in rows.all()})
    return found


async def approved_resources(
    session: AsyncSession, course_id: int, limit: int = 20, exclude_circle: int | None = None
) -> list[Resource]:
    """Approved links, those shared by most circles first, then the newest."""
    statement = select(CourseResource).where(
        CourseResource.course_id == course_id,
        CourseResource.status == ResourceStatus.APPROVED,
    )
    if exclude_circle is not None:
        statement = statement.where(CourseResource.circle_id != exclude_circle)
    by_link: dict[str, list[CourseResource]] = defaultdict(list)
    for resource in (await session.exec(statement)).all():
        by_link[course_key("", resource.url, "")].append(resource)
    best = sorted(
        by_link.values(),
        key=lambda same: (
            -len({r.circle_id for r in same}),
            -max(r.created_at.timestamp() for r in same),
        ),
    )
    return [
        Resource(
            url=same[0].url,
            note=next((r.note for r in same if r.note), None),
            circles=len({r.circle_id for r in same}),
        )
        for same in best[:limit]
    ]


def in_language(tips: list[Tip], language: str) -> list[Tip]:
    """The tips written in `language`; another language's only when there are none in it (a
    tip the reader can't read is no help beside one they can)."""
    theirs = [tip for tip in tips if tip.language == language]
    return theirs or tips


# -- the counts behind the figures ------------------------------------------------------------


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def tally(
    session: AsyncSession, course_ids: list[int], now: datetime | None = None
) -> dict[int, Tally]:
    """What each course's finished circles recorded (ranking.Tally), learners only: a circle
    still running says little of the course yet (B11, D41: a week-1 mood shown as its
    rating)."""
    if not course_ids:
        return {}
    now = now or datetime.now(UTC)
    circle_course: dict[int, int] = {}
    for start in range(0, len(course_ids), _IDS_PER_STATEMENT):
        rows = await session.exec(
            select(Circle.id, Circle.course_id, Circle.status).where(
                col(Circle.course_id).in_(course_ids[start : start + _IDS_PER_STATEMENT])
            )
        )
        found = [(c, k, status) for c, k, status in rows.all() if c is not None and k is not None]
        last = dict(
            (
                await session.exec(
                    select(Meeting.circle_id, func.max(Meeting.starts_at))
                    .where(
                        col(Meeting.circle_id).in_([c for c, _, _ in found]),
                        Meeting.status != MeetingStatus.CANCELLED,
                    )
                    .group_by(col(Meeting.circle_id))
                )
            ).all()
        )
        circle_course.update(
            {
                c: k
                for c, k, status in found
                if status == CircleStatus.CLOSED or (c in last and _aware(last[c]) <= now)
            }
        )
    circle_ids = sorted(circle_course)
    facilitators: set[tuple[int, int]] = set()
    # Per circle: meeting number -> who came (learners).
    came: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    ratings: dict[int, list[tuple[int, int]]] = defaultdict(list)
    surveys: list[CourseSurvey] = []
    for start in range(0, len(circle_ids), _IDS_PER_STATEMENT):
        chunk = circle_ids[start : start + _IDS_PER_STATEMENT]
        facilitators |= set(
            (
                await session.exec(
                    select(Membership.circle_id, Membership.person_id).where(
                        col(Membership.circle_id).in_(chunk),
                        col(Membership.role).in_(FACILITATING),
                    )
                )
            ).all()
        )
        for circle_id, number, person_id in (
            await session.exec(
                select(Meeting.circle_id, Meeting.number, Attendance.person_id)
                .join(Meeting, col(Meeting.id) == Attendance.meeting_id)
                .where(
                    col(Meeting.circle_id).in_(chunk),
                    Meeting.status != MeetingStatus.CANCELLED,
                )
            )
        ).all():
            if (circle_id, person_id) not in facilitators:
                came[circle_id][number].add(person_id)
        for circle_id, person_id, rating in (
            await session.exec(
                select(CheckIn.circle_id, CheckIn.person_id, CheckIn.rating).where(
                    col(CheckIn.circle_id).in_(chunk), col(CheckIn.rating).is_not(None)
                )
            )
        ).all():
            if (circle_id, person_id) not in facilitators and rating is not None:
                ratings[circle_id].append((person_id, rating))
        surveys += (
            await session.exec(
                select(CourseSurvey).where(
                    col(CourseSurvey.circle_id).in_(chunk), CourseSurvey.role == Role.LEARNER
                )
            )
        ).all()
    counts: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    # A circle counts once it has recorded anything: attendance, a rating or a survey.
    for circle_id in set(came) | set(ratings) | {survey.circle_id for survey in surveys}:
        counts[circle_course[circle_id]]["circles"] += 1
    for circle_id, by_number in came.items():
        course = counts[circle_course[circle_id]]
        numbers = sorted(number for number, people in by_number.items() if people)
        if len(numbers) >= 2:
            first, latest = by_number[numbers[0]], by_number[numbers[-1]]
            course["first_meeting"] += len(first)
            course["came_back"] += len(first & latest)
    raters: dict[int, set[int]] = defaultdict(set)  # course -> who rated it
    for circle_id, given in ratings.items():
        course = counts[circle_course[circle_id]]
        course["rating_sum"] += sum(rating for _, rating in given)
        course["ratings"] += len(given)
        raters[circle_course[circle_id]] |= {person_id for person_id, _ in given}
    answered: dict[int, set[int]] = defaultdict(set)  # course -> who answered its survey
    for survey in surveys:
        course = counts[circle_course[survey.circle_id]]
        answered[circle_course[survey.circle_id]].add(survey.person_id)
        if survey.rating is not None:
            raters[circle_course[survey.circle_id]].add(survey.person_id)
            course["rating_sum"] += survey.rating
            course["ratings"] += 1
        if survey.goal_met in ranking.GOAL_SCORES:
            course["goal_sum"] += ranking.GOAL_SCORES[survey.goal_met]
            course["goal_answers"] += 1
        if survey.recommend is not None:
            course["recommend_yes"] += int(survey.recommend)
            course["recommend_answers"] += 1
    for course_id, c in counts.items():
        # Never an average of one or two people's answers: it would show what they said.
        if len(raters[course_id]) < MIN_RATERS:
            c["rating_sum"] = c["ratings"] = 0
        if len(answered[course_id]) < MIN_RATERS:
            c["goal_sum"] = c["goal_answers"] = 0
            c["recommend_yes"] = c["recommend_answers"] = 0
    return {
        course_id: Tally(
            circles=int(c["circles"]),
            first_meeting=int(c["first_meeting"]),
            came_back=int(c["came_back"]),
            rating_sum=int(c["rating_sum"]),
            ratings=int(c["ratings"]),
            goal_sum=c["goal_sum"],
            goal_answers=int(c["goal_answers"]),
            recommend_yes=int(c["recommend_yes"]),
            recommend_answers=int(c["recommend_answers"]),
        )
        for course_id, c in counts.items()
    }
