"""Arbitrary messages through the router (hypothesis): no crash, no apology, only valid text.

A few dozen examples here on every run; `circlebot fuzz` (adapters/devtools/fuzz.py) runs the same
property with thousands.
"""

from __future__ import annotations

import asyncio
import shutil
import unicodedata
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.devtools.fuzz import Failure, FuzzChat, run_property
from bot.chat.messages import Address, Inbound, Outbound
from bot.core.router import clean_inbound, clean_text


def test_arbitrary_messages_get_an_answer_in_valid_text(
    tmp_path: Path, migrated_sqlite: Path
) -> None:
    database = tmp_path / "fuzz.db"
    shutil.copyfile(migrated_sqlite, database)
    examples: list[list[Failure]] = []

    def check(failures: list[Failure]) -> None:
        examples.append(failures)
        assert failures == [], failures  # hypothesis shrinks it to the smallest such example

    # The core lives in one event loop across examples (hypothesis calls the property in turn).
    with asyncio.Runner() as runner:
        chat = runner.run(FuzzChat.open(database, migrate=False))
        try:
            assert chat.join_code, "the circle to fuzz around was not made"
            run_property(chat, runner, 60, check)
        finally:
            runner.run(chat.close())
    assert len(examples) >= 60


def test_the_property_sees_a_crash(tmp_path: Path, migrated_sqlite: Path) -> None:
    """The check is not vacuous: a reply carrying a lone surrogate, or the apology, is a failure."""
    database = tmp_path / "fuzz.db"
    shutil.copyfile(migrated_sqlite, database)
    with asyncio.Runner() as runner:
        chat = runner.run(FuzzChat.open(database, migrate=False))
        try:
            here = Address("console", "brian")
            assert chat.problems([Outbound(here, "fine")]) == []
            assert chat.problems([Outbound(here, "bad \ud800")]) != []
            apology = "Sorry, something went wrong on my side and nothing was changed."
            assert chat.problems([Outbound(here, apology + " Please try again in a moment.")])
        finally:
            runner.run(chat.close())


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.text(
        st.one_of(
            st.characters(exclude_categories=()),
            st.characters(categories=["Cs", "Cc", "Cf", "Mn", "Zs"]),
            st.sampled_from(["e", "\u0301", "\r", "\n", "\ufeff", " "]),
        )
    )
)
def test_clean_text_makes_any_text_valid_and_is_stable(text: str) -> None:
    cleaned = clean_text(text)
    cleaned.encode("utf-8")  # no lone surrogate left
    assert all(ch in "\n\t" or unicodedata.category(ch) != "Cc" for ch in cleaned)
    assert "\ufeff" not in cleaned and "\r" not in cleaned
    assert unicodedata.is_normalized("NFC", cleaned)
    assert clean_text(cleaned) == cleaned


def test_an_inbound_is_cleaned_field_by_field() -> None:
    inbound = Inbound(
        platform="telegram",
        account_id="1\ud800",
        chat_id="1\ud800",
        message_id="m\udfff",
        text="hi \ud800",
        locale_hint="en\x00" * 10,
        display_name=" Bri\udc00an\x00 ",
        private_chat_id="1\ud800",
    )
    cleaned = clean_inbound(inbound)
    assert cleaned.display_name == "Bri\ufffdan"
    assert cleaned.account_id == cleaned.chat_id == cleaned.private_chat_id == "1\ufffd"
    assert cleaned.message_id == "m\ufffd"
    assert cleaned.locale_hint is None  # no language tag: no hint
    assert clean_inbound(replace(inbound, locale_hint=" pt-br ")).locale_hint == "pt-br"
    assert cleaned.text == inbound.text  # cleaned where it is read, with the payload
    assert clean_text("a\r\nb\rc\x00\x1b \ufeffe\x00\u0301") == "a\nb\nc \u00e9"
