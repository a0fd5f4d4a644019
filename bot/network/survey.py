"""The end-of-circle survey: a few taps two days after a circle's last meeting, answers kept for
the course (CourseSurvey) and counted in its record (bot/network/ranking.py).

Learners: the course's rating (1-5), whether they reached their goal (only those who set one;
it takes the place of the final week's goal review if that is still waiting, so nobody is asked
about their goal twice), whether they would recommend the course, and one tip for the next
circle taking it, with whether the tip may be shared. Facilitators get their own two questions:
how well the course worked for a circle, and a tip for the next facilitator.

Each question comes with its answers as choices whose payloads are /survey commands
("#12 /survey rating 4"): a button, or its number by SMS, answers it through the router like
any choice, in the reader's language. The tip is written words: a short guided conversation
(bot/network/commands.py), as a letter is. Only tips their authors agreed to share, and that
screening finds no contact details in, are ever shown to anyone else.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import partial

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat import rendering
from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.keywords import plain
from bot.chat.messages import Choice
from bot.circles import circles, meetings
from bot.delivery.jobs import TickReport, TickWindow
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey, key_text
from bot.dialogue import members, notifications
from bot.dialogue.conversations import Remembered
from bot.letters import screening
from bot.network import courses
from bot.rhythm import questions, reflections
from bot.storage.models import (
    Circle,
    CircleStatus,
    CourseSurvey,
    Meeting,
    MeetingStatus,
    OutboxMessage,
    Question,
    QuestionKind,
    Reflection,
    Role,
)

# After a long stop, a survey this late is no longer worth asking: as the close-out's.
MAX_DELAY = timedelta(days=7)
# The survey comes this long after the last meeting ends: after the close-out's thank-you and
# the last week's check-in (a 1-5 rating of its own, the morning after), so that two ratings
# are never asked at once and a "4" by SMS answers the question its sender read.
AFTER_THE_END = timedelta(hours=48)
MAX_TIP_CHARS = 500
# How long words typed while the survey waits still go to its circle (await_words).
WORDS_FOR = timedelta(hours=48)
WORDS_PROMPT = "course-survey"
# The steps, as /survey's first word (stable: they are in payloads already sent).
RATING, GOAL, RECOMMEND, SHARE = "rating", "goal", "recommend", "share"
AGAIN = "again"  # the survey from its first question, once answered (to change an answer)
GOAL_ANSWERS = ("yes", "partly", "no")

RATING_LABELS = (N_("poor"), N_("so-so"), N_("okay"), N_("good"), N_("excellent"))
GOAL_LABELS = {"yes": N_("Yes"), "partly": N_("Partly"), "no": N_("Not yet")}


def payload(circle: Circle, step: str, answer: str) -> str:
    """The command a choice sends back, aimed at the circle it is about."""
    return f"#{circle.id} /survey {step} {answer}"


# A choice's payload, as payload() makes it.
CHOICE = re.compile(r"#(?P<circle>\d+) /survey (?P<step>\w+) \S+")


def step_offered(payloads: list[str]) -> tuple[int, str] | None:
    """The circle and step (RATING, GOAL...) of the survey question whose choices are
    `payloads`; None when they are any other choices."""
    found = [CHOICE.fullmatch(p) for p in payloads]
    steps = {(int(m["circle"]), m["step"]) for m in found if m is not None}
    if not payloads or None in found or len(steps) != 1:
        return None
    return steps.pop()


def option_opening(choices: list[Remembered], text: str) -> tuple[str, str] | None:
    """The survey choice whose whole label opens `text`, followed by more words without a mark
    ("pas encore mais bientot inchallah" is "Pas encore"), and those words; None when the
    choices are not the survey's, or no label, or more than one, opens it (frsw 25)."""
    labelled = [c for c in choices if not isinstance(c, str) and len(c) > 1]
    if step_offered([c[0] for c in labelled]) is None or len(labelled) != len(choices):
        return None
    typed = text.split()
    said = [plain(word) for word in typed]
    found = []
    for choice in labelled:
        label = [word for word in map(plain, choice[1].split()) if word]
        if label and len(said) > len(label) and said[: len(label)] == label:
            found.append((choice[0], " ".join(typed[len(label) :])))
    return found[0] if len(found) == 1 else None


def rating_question(tr: Translator, circle: Circle, role: Role) -> str:
    if role in circles.FACILITATING:
        return tr._(
            "Thank you for facilitating %(circle)s! Two quick questions for the next "
            "facilitators of %(course)s. First: how well did the course work for a learning "
            "circle, from 1 to 5?",
            circle=circle.name,
            course=circle.course_title,
        )
    # No brackets around the minute: course titles often end with some, "(py4e)".
    # One SMS with its five choices in English.
    return tr._(
        "Help the next circle: how was %(course)s, from 1 to 5?",
        course=circle.course_title,
    )


def rating_choices(tr: Translator, circle: Circle) -> list[Choice]:
    return [
        Choice(tr._(label), payload(circle, RATING, str(n)))
        for n, label in enumerate(RATING_LABELS, start=1)
    ]


def goal_question(tr: Translator, goal: str, by_text: bool = False) -> str:
    """The goal set at joining, quoted (its beginning by SMS: `by_text`), and was it reached?"""
    return tr._(
        'At the start you said: "%(goal)s". Did you reach your goal?',
        goal=rendering.quoted(goal, by_text),
    )


def goal_reviewed(tr: Translator, goal: str, by_text: bool = False) -> str:
    """In place of the goal question when the final week's goal review is answered (not asked
    twice): the goal set at joining, quoted, never the review's words as if they were the goal
    (B10); by SMS (`by_text`) its gist, so the survey's next question still comes in one text."""
    return tr._(
        'Your goal at the start was: "%(goal)s", and you have told me how far you got.',
        goal=rendering.quoted(goal, by_text),
    )


def goal_choices(tr: Translator, circle: Circle) -> list[Choice]:
    return [Choice(tr._(label), payload(circle, GOAL, key)) for key, label in GOAL_LABELS.items()]


def recommend_question(tr: Translator, circle: Circle) -> str:
    return tr._(
        "Would you recommend %(course)s to a friend?",
        course=circle.course_title,
    )


def yes_no_choices(tr: Translator, circle: Circle, step: str) -> list[Choice]:
    return [
        Choice(tr._("Yes"), payload(circle, step, "yes")),
        Choice(tr._("No"), payload(circle, step, "no")),
    ]


# The share question asked again (share_question begins with the thank-you for the tip).
SHARE_AGAIN = N_(
    "May I pass your tip on to future circles on this course? It goes without your name, only "
    "with your city."
)
# The same for an online circle: its city is the circle's, not the learner's (lang 15).
SHARE_AGAIN_ONLINE = N_(
    "May I pass your tip on to future circles on this course? It goes without your name, only "
    "saying it comes from an online circle."
)


def share_again(tr: Translator, circle: Circle) -> str:
    return tr._(SHARE_AGAIN_ONLINE if meetings.is_link(circle.venue) else SHARE_AGAIN)


def tip_question(tr: Translator, circle: Circle, role: Role) -> str:
    if role in circles.FACILITATING:
        return tr._(
            "And one tip for the next person facilitating %(course)s? Write it in a message, "
            "or send /skip.",
            course=circle.course_title,
        )
    return tr._(
        "Last one: one tip for the next circle taking %(course)s? Write it in a message, or "
        "send /skip.",
        course=circle.course_title,
    )


def share_question(tr: Translator, circle: Circle) -> str:
    if meetings.is_link(circle.venue):  # the city is the circle's, not the learner's (lang 15)
        return tr._(
            "Thank you! May I pass your tip on to future circles on this course? It goes "
            "without your name, only saying it comes from an online circle."
        )
    return tr._(
        "Thank you! May I pass your tip on to future circles on this course? It goes without "
        "your name, only with your city."
    )


# -- the answers, kept ------------------------------------------------------------------------


async def survey_of(
    session: AsyncSession, circle: Circle, person_id: int, role: Role, now: datetime
) -> CourseSurvey:
    """The person's survey row for the circle, made empty if there is none yet."""
    assert circle.id is not None
    found = (
        await session.exec(
            select(CourseSurvey).where(
                CourseSurvey.circle_id == circle.id, CourseSurvey.person_id == person_id
            )
        )
    ).first()
    if found is None:
        course = await courses.link_circle(session, circle)
        found = CourseSurvey(
            circle_id=circle.id,
            person_id=person_id,
            course_id=course.id,
            role=Role.LEARNER if role == Role.LEARNER else Role.FACILITATOR,
            answered_at=now,
            updated_at=now,
        )
        session.add(found)
        await session.flush()
    return found


async def answers_of(session: AsyncSession, circle: Circle, person_id: int) -> CourseSurvey | None:
    """The person's survey row for the circle, if they have answered anything."""
    return (
        await session.exec(
            select(CourseSurvey).where(
                CourseSurvey.circle_id == circle.id, CourseSurvey.person_id == person_id
            )
        )
    ).first()


def answered(row: CourseSurvey | None, role: Role) -> bool:
    """Whether every question with choices has its answer: the rating, and for a learner
    whether they would recommend the course (the last one before the tip, which is optional)."""
    if row is None or row.rating is None:
        return False
    return role in circles.FACILITATING or row.recommend is not None


def answered_already(tr: Translator, circle: Circle) -> str:
    return tr._(
        "You've already answered the survey about %(course)s: thank you! To change an "
        "answer, you can go through it again.",
        course=circle.course_title,
    )


def again_choices(tr: Translator, circle: Circle) -> list[Choice]:
    return [Choice(tr._("Go through it again"), payload(circle, AGAIN, "yes"))]


def check_tip(text: str) -> str:
    """The tip as kept: spaces tidied; UserError when empty or too long (nothing is cut, so
    nothing is passed on that its author did not write whole)."""
    cleaned = " ".join(text.split())
    # Words, not a bare number: "1" is a choice sent one step late, and would go to the next
    # circles as someone's advice.
    if not any(ch.isalpha() for ch in cleaned):
        raise UserError(N_("A tip needs a few words. Write it in a message, or send /skip."))
    if len(cleaned) > MAX_TIP_CHARS:
        raise UserError(
            N_("Please keep your tip under %(limit)d characters, and send it again."),
            limit=MAX_TIP_CHARS,
        )
    return cleaned


def screen_tip(text: str, circle: Circle) -> list[str]:
    """What screening finds in a tip: contact details or block-listed words hold it back."""
    return screening.screen(text, circle.language, circle.country_code)


async def goal_step(
    session: AsyncSession, circle: Circle, person_id: int
) -> tuple[str, str | None] | None:
    """The learner's goal and their goal review's words, when they set a goal; None when not."""
    assert circle.id is not None
    goal = await reflections.goal_of(session, person_id, circle.id)
    if not goal:
        return None
    review = (
        await session.exec(
            select(Reflection.text).where(
                Reflection.person_id == person_id,
                Reflection.circle_id == circle.id,
                Reflection.kind == QuestionKind.GOAL_REVIEW,
            )
        )
    ).first()
    return goal, review


async def join_goal_review(session: AsyncSession, circle: Circle, person_id: int) -> None:
    """The final week's goal review, if it still waits, is answered by the survey's goal step:
    it is closed, so the learner is not asked about their goal twice."""
    waiting = await session.exec(
        select(Question).where(
            Question.person_id == person_id,
            Question.circle_id == circle.id,
            Question.kind == QuestionKind.GOAL_REVIEW,
        )
    )
    for question in waiting.all():
        await session.delete(question)


# -- words typed while the survey waits --------------------------------------------------------


async def await_words(session: AsyncSession, circle: Circle, person_id: int, now: datetime) -> None:
    """While the survey waits for a learner's answer, words that answer nothing go to this
    circle's facilitators (an announcement's reply does the same), not to the circle the
    learner is in now: often a new one that has not met."""
    question = await questions.ask(
        session, person_id, circle, QuestionKind.REPLY, WORDS_PROMPT, now
    )
    question.expires_at = now + WORDS_FOR
    session.add(question)


async def words_question(
    session: AsyncSession, person_id: int, circle_id: int, now: datetime
) -> bool:
    """Whether the question waiting for the person's words is the survey's own (await_words)
    for the circle: asked with its choices, it takes the words they can't read (a sentence for
    the facilitators), never the answers they read ("yes!! I did it")."""
    question = await questions.waiting(session, person_id, now)
    return (
        question is not None
        and question.kind == QuestionKind.REPLY
        and question.circle_id == circle_id
        and question.prompt_key == WORDS_PROMPT
    )


async def gone_stale(session: AsyncSession, circle_id: int, person_id: int, now: datetime) -> bool:
    """Whether the survey's first question reached the person more than MAX_DELAY ago: its
    choices no longer catch a word ("hmm" weeks later is not an attempt at its 1-5). Not while
    a later step, asked lately, still waits (await_words): its choices stand (frsw 25)."""
    if await words_question(session, person_id, circle_id, now):
        return False
    sent = await session.exec(
        select(OutboxMessage.created_at).where(
            OutboxMessage.idempotency_key
            == key_text(MessageKind.COURSE_SURVEY, f"circle:{circle_id}", f"person:{person_id}")
        )
    )
    at = sent.first()
    return at is not None and now - at > MAX_DELAY


async def done(session: AsyncSession, circle: Circle, person_id: int) -> None:
    """The survey has its last answer: the person's words go where they went before."""
    await session.exec(
        delete(Question).where(
            col(Question.person_id) == person_id,
            col(Question.circle_id) == circle.id,
            col(Question.kind) == QuestionKind.REPLY,
        )
    )


# -- the tick's job: the first question, two days after the last meeting ------------------------


class Surveys:
    """The survey's job in the tick (bot.delivery.jobs.ScheduledJob): every member of a circle
    whose last meeting ended AFTER_THE_END before the window gets the first question."""

    async def run(self, window: TickWindow) -> TickReport:
        session = window.session
        ended = (
            await session.exec(
                select(Meeting, Circle)
                .join(Circle, col(Circle.id) == Meeting.circle_id)
                .where(
                    Circle.status == CircleStatus.ACTIVE,
                    col(Circle.anonymised_at).is_(None),
                    Meeting.status != MeetingStatus.CANCELLED,
                    col(Meeting.ends_at)
                    > max(window.since, window.now - MAX_DELAY) - AFTER_THE_END,
                    col(Meeting.ends_at) <= window.now - AFTER_THE_END,
                )
                .order_by(col(Meeting.ends_at), col(Meeting.id))
            )
        ).all()
        if not ended:
            return TickReport()
        last = await meetings.bounds(session, [c.id for _, c in ended if c.id is not None])
        sent = 0
        for meeting, circle in ended:
            if circle.id in last and meeting.number == last[circle.id][1]:
                sent += await send(session, window, circle)
        return TickReport(closings=sent)


# Someone in several circles on one course in a season (a facilitator running three, a
# learner who joined two) is asked about the course once, not once a circle: the course's
# questions have one answer per person, and three surveys in a week read as spam.
SEASON = timedelta(days=120)


async def asked_lately(
    session: AsyncSession, circle: Circle, people: list[int], now: datetime
) -> set[int]:
    """Which of `people` were sent, or answered, the survey of another circle on `circle`'s
    course within SEASON: they are not asked again for this one. The surveys sent are found
    by their outbox keys (one unique-index lookup each)."""
    others = list(
        (
            await session.exec(
                select(Circle.id).where(
                    Circle.course_id == circle.course_id, col(Circle.id) != circle.id
                )
            )
        ).all()
    )
    if not others or not people:
        return set()
    answered = await session.exec(
        select(CourseSurvey.person_id).where(
            col(CourseSurvey.circle_id).in_(others),
            col(CourseSurvey.person_id).in_(people),
            CourseSurvey.answered_at > now - SEASON,
        )
    )
    keys = {
        key_text(MessageKind.COURSE_SURVEY, f"circle:{other}", f"person:{person}"): person
        for other in others
        for person in people
    }
    sent = await session.exec(
        select(OutboxMessage.idempotency_key).where(
            col(OutboxMessage.idempotency_key).in_(list(keys)),
            OutboxMessage.created_at > now - SEASON,
        )
    )
    return set(answered.all()) | {keys[key] for key in sent.all()}


async def send(session: AsyncSession, window: TickWindow, circle: Circle) -> int:
    """The survey's first question to every current member of the circle who was not asked
    about its course lately (asked_lately); how many queued. Whatever the circle still asked
    them (its last check-in, two days on) lapses: one 1-5 question at a time, or "Partly"
    and "4" answer the wrong one."""
    assert circle.id is not None
    await courses.link_circle(session, circle)
    await session.exec(delete(Question).where(col(Question.circle_id) == circle.id))
    await session.flush()  # the surveys queued for other circles in this tick count
    roster = await members.roster(session, circle.id)
    people = [entry.person.id for entry in roster if entry.person.id is not None]
    already = await asked_lately(session, circle, people, window.now)
    started = await _started(session, circle, people)
    sent = 0
    for entry in roster:
        person_id = entry.person.id or 0
        role = Role(entry.membership.role)
        begun = started.get(person_id)
        if person_id in already or answered(begun, role):
            continue  # sms 37: one who answered it already (SURVEY) is not asked again
        # One who began it and stopped goes on from where she stopped, not from the start.
        question, choices = (
            (
                partial(rating_question, circle=circle, role=role),
                partial(rating_choices, circle=circle),
            )
            if begun is None or begun.rating is None
            else (
                partial(recommend_question, circle=circle),
                partial(yes_no_choices, circle=circle, step=RECOMMEND),
            )
        )
        sent += await notifications.notify(
            session,
            window.catalogs,
            window.now,
            person_id,
            OutboxKey(MessageKind.COURSE_SURVEY, f"circle:{circle.id}", f"person:{person_id}"),
            question,
            circle.language,
            choices=choices,
        )
        if role == Role.LEARNER:
            await await_words(session, circle, person_id, window.now)
    return sent


async def _started(
    session: AsyncSession, circle: Circle, people: list[int]
) -> dict[int, CourseSurvey]:
    """The survey rows of `people` for the circle: those who began it themselves (/survey)."""
    rows = await session.exec(
        select(CourseSurvey).where(
            CourseSurvey.circle_id == circle.id, col(CourseSurvey.person_id).in_(people)
        )
    )
    return {row.person_id: row for row in rows.all()}
