"""A learner's goal quoted back by SMS keeps the goal itself: an aside before it ("perdon q no
habia contestado.") goes first when the quote has to be short, never the goal's end."""

from __future__ import annotations

from bot.chat.rendering import QUOTE_BY_TEXT_CHARS, quoted

LATE_GOAL = "perdon q no habia contestado. quiero aprender a hacer un presupuesto para la casa"


def test_an_apology_before_the_goal_is_what_a_short_quote_leaves_out() -> None:
    said = quoted(LATE_GOAL, by_text=True)
    assert said == "quiero aprender a hacer un presupuesto para la casa"
    assert "perdon" not in said


def test_a_goal_of_one_long_sentence_still_keeps_its_beginning() -> None:
    goal = "Nataka kujua kutumia computer vizuri ili nitafute kazi online na kuandika CV nzuri"
    said = quoted(goal, by_text=True)
    assert said.startswith("Nataka kujua kutumia computer") and said.endswith("...")
    assert len(said) <= QUOTE_BY_TEXT_CHARS + 3


def test_in_a_chat_the_whole_goal_is_quoted() -> None:
    assert quoted(LATE_GOAL) == LATE_GOAL
