"""Wording the Danish, German and Spanish walkthroughs tripped on (sms 6, sms 14, lang 6,
lang 40, lang 44): as a reader sees it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import configure_mappers

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.circles.join_notices import joined_notice
from bot.core import Core
from bot.rhythm.checkins import parse_rating
from bot.storage.models import Circle
from locales import LOCALES_DIR
from prompts import checkin as checkin_prompts
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.seasons import starts

CATALOGS = Catalogs(LOCALES_DIR)
configure_mappers()  # a model built before any session needs its mapper set up (run alone)
CIRCLE = Circle.model_construct(name="Digital hverdag")  # the notice needs only its name


def test_the_join_notice_counts_learners_as_german_and_danish_say_it() -> None:
    german = joined_notice(CATALOGS.translator("de"), CIRCLE, ["Jonas"], 1)
    assert german.endswith("Jetzt ist 1 Person dabei.") and "seid ihr" not in german
    assert joined_notice(CATALOGS.translator("de"), CIRCLE, ["Jonas", "Helga"], 2).endswith(
        "Jetzt sind 2 Personen dabei."
    )
    danish = joined_notice(CATALOGS.translator("da"), CIRCLE, ["Freja"], 1)
    assert danish.endswith("Nu har cirklen 1 deltager.") and "Nu er I" not in danish


def test_danish_thanks_for_an_answer_is_not_glad_about_bad_news() -> None:
    thanks = CATALOGS.translator("da")._(checkin_prompts.THANKS_ANSWER)
    # One plain thanks for any answer, a hard one too (walkthrough 8, fac 4).
    assert thanks.startswith("Tak") and "godt at høre" not in thanks


def test_the_rating_still_waits_note_calls_the_facilitator_no_they() -> None:
    assert " an sie" not in CATALOGS.translator("de")._(checkin_prompts.RATING_STILL_WAITS)
    spanish = CATALOGS.translator("es")._(checkin_prompts.RATING_STILL_WAITS)
    assert "les llegó" not in spanish and "balance" not in spanish


async def test_next_says_in_so_many_days_in_german_dative(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await chat.say("Klaus", "/language de")
    await chat.say("Klaus", DETROIT_CIRCLE)
    clock.set(starts(1) - timedelta(days=5))
    answer = await chat.say("Klaus", "/next")
    assert "Das ist in 5 Tagen." in answer and "Tage." not in answer


async def test_a_german_command_with_its_umlaut_spelled_out_is_known(
    chat: Chat, core: Core
) -> None:
    # Walkthrough lang 74: Telegram commands hold only a-z, so Germans type "/naechstes".
    await chat.say("Klaus", "/language de")
    await chat.say("Klaus", DETROIT_CIRCLE)
    answer = await chat.say("Klaus", "/naechstes")
    assert "Treffen 1 von 6" in answer and "kenne" not in answer
    assert "Treffen 1 von 6" in await chat.say("Klaus", "/nachstes")  # the umlaut just dropped


def test_colombian_words_for_a_good_week_give_a_rating() -> None:
    # Walkthrough lang 61: "muy bueno", not the label "muy bien".
    spanish = CATALOGS.translator("es")
    assert [parse_rating(said, spanish) for said in ("muy bueno", "chévere", "cuatro")] == [4] * 3


async def test_next_counts_calendar_days_where_the_circle_meets(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    # Walkthrough D7 (session 9): at 3:51 on a Monday, Wednesday's 19:00 meeting was "in 3 days"
    # (2 days 15 hours, rounded) and next Monday's "in 8 days".
    await chat.say("Klaus", DETROIT_CIRCLE)
    meeting = starts(1)  # 6:00 PM in Detroit
    clock.set(meeting - timedelta(days=2, hours=14, minutes=9))  # 3:51 AM, two days before
    assert (await chat.say("Klaus", "/next")).endswith("That's in 2 days.")
    clock.set(meeting - timedelta(days=7, hours=14))  # 4:00 AM, a week before
    assert (await chat.say("Klaus", "/next")).endswith("That's in 7 days.")
    clock.set(meeting - timedelta(hours=5))  # the same day: hours
    assert (await chat.say("Klaus", "/next")).endswith("That's in 5 hours.")
    # Walk 14, fac 6: at 9:00 PM the evening before, "in 24 hours" (a calendar day) was three
    # hours off: tomorrow is said in hours until it is a day or more away.
    clock.set(meeting - timedelta(hours=21))
    assert (await chat.say("Klaus", "/next")).endswith("That's in 21 hours.")
    clock.set(meeting - timedelta(hours=33))  # 9:00 AM the day before
    assert (await chat.say("Klaus", "/next")).endswith("That's in 1 day.")
