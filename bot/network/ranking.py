"""How courses are ranked by how past circles went: the rule, pure, on counts.

For each course, over every circle that took it and has recorded something (attendance, a
rating or a survey answer), with learners only (facilitators are left out):

- **came back**: of the learners at a circle's first meeting, the share also at its latest
  meeting with attendance, pooled over the course's circles that have met at least twice
  (with one meeting so far, everyone "came back" and says nothing);
- **rating**: the average of every 1-5 rating learners gave: each weekly check-in rating and
  each course rating in the end-of-circle survey counts once;
- **goals met**: from the survey's "did you reach your goal?" (asked of learners who set one,
  after the final week's goal review): yes counts 1, partly 1/2, not yet 0; the average;
- **would recommend**: the share of yes; shown, not scored.

The **score** is the average of the figures a course has, each on 0-1: came back, (rating - 1)
/ 4, goals met. A figure with no data is left out rather than counted as zero. Courses taken by
at least MIN_CIRCLES circles, with a score, are ranked by score (ties: more circles first, then
title); the others are shown after them, in the same order, as "too few circles to rank yet".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

# A course needs this many circles before it is ranked among the others: one circle's luck
# (a great facilitator, a snowstorm) says little about the course.
MIN_CIRCLES = 2
GOAL_SCORES = {"yes": 1.0, "partly": 0.5, "no": 0.0}

T = TypeVar("T")


@dataclass(frozen=True)
class Tally:
    """What the course's circles recorded, as counts."""

    circles: int = 0
    first_meeting: int = 0  # learners at the first meeting, in circles that met twice or more
    came_back: int = 0  # of them, at the latest meeting with attendance
    rating_sum: int = 0
    ratings: int = 0
    goal_sum: float = 0.0
    goal_answers: int = 0
    recommend_yes: int = 0
    recommend_answers: int = 0


@dataclass(frozen=True)
class Figures:
    """A course's figures, each None where no circle recorded it."""

    circles: int
    learners: int  # learners at first meetings (of circles that met twice or more)
    came_back: float | None  # 0-1
    rating: float | None  # 1-5
    ratings: int
    goals_met: float | None  # 0-1
    goal_answers: int
    recommend: float | None  # 0-1
    score: float | None  # 0-1
    ranked: bool  # enough circles to be ranked among the others


def figures(tally: Tally) -> Figures:
    came_back = tally.came_back / tally.first_meeting if tally.first_meeting else None
    rating = tally.rating_sum / tally.ratings if tally.ratings else None
    goals = tally.goal_sum / tally.goal_answers if tally.goal_answers else None
    recommend = tally.recommend_yes / tally.recommend_answers if tally.recommend_answers else None
    parts = [
        value
        for value in (came_back, None if rating is None else (rating - 1) / 4, goals)
        if value is not None
    ]
    score = sum(parts) / len(parts) if parts else None
    return Figures(
        circles=tally.circles,
        learners=tally.first_meeting,
        came_back=came_back,
        rating=rating,
        ratings=tally.ratings,
        goals_met=goals,
        goal_answers=tally.goal_answers,
        recommend=recommend,
        score=score,
        ranked=tally.circles >= MIN_CIRCLES and score is not None,
    )


def order(courses: Iterable[tuple[T, str, Figures]]) -> list[tuple[T, Figures]]:
    """(course, title, figures) in ranking order: the ranked first, then the rest."""

    def key(item: tuple[T, str, Figures]) -> tuple[bool, float, int, str]:
        _, title, found = item
        score = found.score if found.score is not None else -1.0
        return (not found.ranked, -score, -found.circles, title.casefold())

    return [(course, found) for course, _, found in sorted(courses, key=key)]
