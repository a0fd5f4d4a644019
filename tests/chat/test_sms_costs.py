"""What answers and notices cost a learner on a feature phone: the dates by SMS (/schedule,
/calendar, /next), the notices of a moved or cancelled meeting, an announcement and a
facilitator's reply, in parts counted as the gateway bills them, in every shipped language."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs, Translator
from bot.chat.messages import Address, Capabilities, Choice, Outbound
from bot.chat.platforms import RateLimit
from bot.chat.rendering import fit, split_sms
from bot.chat.segments import SMS_CAPABILITIES, sms_segments
from bot.circles import seats
from bot.core import Core
from bot.letters.letters import LetterPolicy
from bot.network import survey
from bot.storage.models import Circle, Role
from locales import LOCALES_DIR
from tests.conftest import Chat, code_of
from tests.platforms import with_limits

LOCALES = ("en", "fr", "es", "de", "sw", "da")
# Each circle's name in its language, GSM-7 on purpose: the test measures our texts.
NAMES = {
    "en": "Digital Skills",
    "fr": "Competences numeriques",
    "es": "Habilidades digitales",
    "de": "Digitale Kompetenzen",
    "sw": "Ujuzi wa Kidijitali",
    "da": "Digitale evner",
}
LONGER = 2  # what an answer by SMS may cost, in parts


def _core(engine: AsyncEngine, clock: FakeClock) -> Core:
    platforms = with_limits(sms=RateLimit(1000, None, 1))
    return Core(engine, clock, random.Random(7), letter_policy=LetterPolicy(), platforms=platforms)


async def _ask(core: Core, sms: Chat, who: str, text: str) -> list[str]:
    return [m.text for m in await core.handle(sms.inbound(who, text), SMS_CAPABILITIES)]


def _cost(parts: list[str]) -> int:
    return sum(sms_segments(part) for part in parts)


async def _circle(
    console: Chat,
    sms: Chat,
    locale: str,
    start: str,
    meetings: int,
    learner: str,
    answer_sharing: bool = True,
) -> str:
    """A circle in Nairobi in `locale` (Thursdays 17:30), facilitated on the console by
    Otieno, and `learner` in it by SMS; its join code."""
    name = NAMES[locale] if meetings > 1 else f"{NAMES[locale]} Taster"
    await console.say(
        "Otieno",
        f'/newcircle name="{name}" course="Learning How to Learn" venue="KNLS Upper Hill" '
        f"city=Nairobi country=KE zone=Africa/Nairobi start={start} time=17:30 "
        f"meetings={meetings} language={locale}",
    )
    code = await code_of(console.core, name)
    await sms.say(learner, "/language " + locale)
    await sms.say(learner, "/join " + code)
    await sms.say(learner, "/name " + learner)
    await sms.say(learner, "/skip")
    if answer_sharing:
        await sms.say(learner, "2")  # keep my answers private: no question is left open
    return code


@pytest.fixture
def chats(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Chat, Chat]:
    core = _core(sqlite_engine, clock)
    return Chat(core), Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)


# -- the dates: /schedule and /calendar --------------------------------------------------------


async def _season_under_way(console: Chat, sms: Chat, clock: FakeClock) -> None:
    """Eight meetings from Thursday 22 October 2026, in every language: two held, one moved to
    another day and time, one cancelled. Each locale's learner is named after it."""
    for locale in LOCALES:
        await _circle(console, sms, locale, "2026-10-22", 8, f"Wanjiru{locale}")
        await console.say("Otieno", "/default " + NAMES[locale])
        await console.say("Otieno", "/reschedule 5 2026-11-20 18:00")
        await console.say("Otieno", "/cancel 6")
        await console.say("Otieno", "1")
    clock.set(datetime(2026, 11, 1, 9, 0, tzinfo=UTC))


@pytest.mark.parametrize("command", ["SCHEDULE", "CALENDAR"])
async def test_the_dates_by_sms_are_those_to_come_in_two_parts_at_most(
    chats: tuple[Chat, Chat], clock: FakeClock, command: str
) -> None:
    """By SMS, /schedule and /calendar list the meetings still to come, short: no past or
    cancelled meeting, no year, no zone, no file the phone can't open."""
    console, sms = chats
    await _season_under_way(console, sms, clock)
    for locale in LOCALES:
        parts = await _ask(sms.core, sms, f"Wanjiru{locale}", command)
        text = "\n".join(parts)
        assert _cost(parts) <= LONGER, (locale, _cost(parts), text)
        assert "2026" not in text and "EAT" not in text, text
        assert ".ics" not in text, text
        assert "22" not in text and "29" not in text, text  # meetings 1 and 2 were held
        assert "26" not in text, text  # meeting 6 (26 November) is cancelled
        assert "20" in text and "3" in text and "10" in text, text  # 5 (moved) and 7, 8
    [english] = await _ask(sms.core, sms, "Wanjiruen", command)
    assert english == (
        "Digital Skills meets at KNLS Upper Hill, Nairobi:\n"
        "Thu, Nov 5, Nov 12, 5:30 PM; Fri, Nov 20, 6:00 PM; Thu, Dec 3, Dec 10, 5:30 PM"
    )


async def test_the_calendar_is_still_a_file_where_files_go(
    chats: tuple[Chat, Chat], clock: FakeClock
) -> None:
    console, sms = chats
    await _circle(console, sms, "en", "2026-10-22", 8, "Wanjiru")
    files = Capabilities(max_text_length=4000, files=True)
    [reply] = await console.core.handle(console.inbound("Otieno", "/calendar"), files)
    assert [a.filename for a in reply.attachments] == ["digital-skills.ics"]


# -- /next ----------------------------------------------------------------------------------


async def test_next_by_sms_leaves_out_a_finished_circle_beside_one_to_come(
    chats: tuple[Chat, Chat], clock: FakeClock
) -> None:
    console, sms = chats
    await _circle(console, sms, "en", "2026-10-22", 1, "Wanjiru")
    await _circle(console, sms, "en", "2026-11-12", 6, "Wanjiru")
    clock.set(datetime(2026, 10, 23, 9, 0, tzinfo=UTC))
    parts = await _ask(sms.core, sms, "Wanjiru", "NEXT")
    text = "\n".join(parts)
    assert "Taster" not in text and "no more meetings" not in text, text
    assert text.startswith("Digital Skills\nMeeting 1 of 6:"), text
    clock.set(datetime(2026, 12, 31, 9, 0, tzinfo=UTC))  # both finished: one line (D68)
    parts = await _ask(sms.core, sms, "Wanjiru", "NEXT")
    assert len(parts) == 1, parts
    assert parts[0].startswith("None of your circles has more meetings planned."), parts
    assert "FIND" in parts[0] and "PORTFOLIO" in parts[0], parts


# -- the notices of a moved or cancelled meeting -----------------------------------------------


def _messages(sms: Chat, chat_id: str) -> list[list[str]]:
    """What reached `chat_id`, each message as its SMS parts."""
    grouped: dict[str, list[str]] = {}
    for part in sms.sent:
        if part.address.chat_id == chat_id:
            key = (part.idempotency_key or str(id(part))).split("#")[0]
            grouped.setdefault(key, []).append(part.text)
    return list(grouped.values())


async def _delivered(console: Chat, sms: Chat) -> None:
    while await sms.core.dispatch({"console": console, "sms": sms}):
        pass


async def test_a_move_or_a_cancellation_reaches_an_sms_learner_in_one_message(
    chats: tuple[Chat, Chat], clock: FakeClock
) -> None:
    """Six meetings from Thursday 22 October 2026 at 17:30 in Nairobi: meeting 2 moves to 18:00
    the same day, meeting 3 to the Friday after, meeting 4 is cancelled. Each notice says its
    day once, no year, no zone, no brackets in brackets; the cancellation names the next
    meeting instead of sending the learner to /next (another SMS)."""
    console, sms = chats
    for locale in LOCALES:
        await _circle(console, sms, locale, "2026-10-22", 6, f"Wanjiru{locale}")
        await console.say("Otieno", "/default " + NAMES[locale])
        # Changes apart, each its own notice (close together they go as one: see
        # tests/circles/test_sched_schedule_changes.py).
        for step in ("/reschedule 2 2026-10-29 18:00", "/reschedule 3 2026-11-06 17:30"):
            await console.say("Otieno", step)
            await _delivered(console, sms)
            clock.advance(timedelta(minutes=11))
        await console.say("Otieno", "/cancel 4")
        await console.say("Otieno", "1")
        await _delivered(console, sms)
        clock.advance(timedelta(minutes=11))
    for locale in LOCALES:
        notices = [
            parts
            for parts in _messages(sms, f"wanjiru{locale}")
            if parts[0].startswith(NAMES[locale])
        ]
        assert len(notices) == 3, (locale, _messages(sms, f"wanjiru{locale}"))
        for parts in notices:
            text = "".join(parts)
            budget = 1 if locale == "en" else LONGER
            assert _cost(parts) <= budget, (locale, _cost(parts), text)
            assert "2026" not in text and "EAT" not in text, text
            assert "((" not in text and "))" not in text, text
            assert "/next" not in text and "NEXT" not in text, text
    english = [m.text for m in sms.sent if m.address.chat_id == "wanjiruen"][-3:]
    assert english == [
        "Digital Skills: meeting 2 is now at 6:00 PM instead of 5:30 PM, Thursday, October 29. "
        "Same place: KNLS Upper Hill.",
        "Digital Skills: meeting 3 has moved to Friday, Nov 6, 5:30 PM (it was Thursday, Nov 5, "
        "5:30 PM). Same place: KNLS Upper Hill.",
        "Digital Skills: meeting 4 on Thursday, Nov 12, 5:30 PM won't take place. "
        "Your next meeting is still Thursday, Oct 22, 5:30 PM.",
    ]


# -- splitting a long text by SMS ------------------------------------------------------------


def test_a_long_text_by_sms_is_split_after_a_sentence_first() -> None:
    text = (
        "La médiathèque ferme pour l'été : pas de réunion du lundi 2 août au dimanche 8 août "
        "2027 ; on reprend le jeudi 12 août à 18:00. Pensez à emprunter vos livres avant la "
        "fermeture et à finir le chapitre 4 pendant la pause. Bonnes vacances à tous !"
    )
    parts = split_sms(text, SMS_CAPABILITIES.max_text_length)
    assert parts[0].endswith("à 18:00."), parts
    assert parts[1].startswith("Pensez"), parts


@pytest.mark.parametrize("filler", range(150, 200, 3))
def test_a_long_text_by_sms_is_never_cut_inside_a_date(filler: int) -> None:
    """One long sentence (no line or sentence to end a part at): the date stays whole,
    wherever it falls against the 3-segment boundary (201 UCS-2 units)."""
    head = ("mot " * 60)[:filler].rstrip()
    text = head + " jusqu'au dimanche 8 août 2027 ; ensuite on reprend " + "ça va " * 30
    parts = split_sms(text, SMS_CAPABILITIES.max_text_length)
    assert len(parts) > 1
    assert any("dimanche 8 août 2027" in part for part in parts), parts
    assert " ".join(parts).split() == text.split()


# -- an announcement, and a facilitator's answer ---------------------------------------------

# Words a facilitator might send: 400 characters, plain GSM-7.
LONG_NEWS = (
    "The library is closed next Thursday for the staff training day, so we will meet in the "
    "community hall across the road instead, same time. Bring your notebooks and chargers: "
    "the hall has few sockets. If you missed last week, please watch videos 3 and 4 of the "
    "course before we meet, and write down one question you still have. Tea is on me this "
    "time. See you there, and thanks for keeping the circle going!"
)


async def test_an_announcement_by_sms_is_one_message_without_a_paid_footer(
    chats: tuple[Chat, Chat], clock: FakeClock
) -> None:
    """A long announcement reaches each SMS learner as one message: the "(Reply here...)"
    footer, which would have come alone as a second SMS, is left out. A short one keeps it,
    at no cost."""
    console, sms = chats
    for locale in LOCALES:
        await _circle(console, sms, locale, "2026-10-22", 6, f"Wanjiru{locale}")
        await console.say("Otieno", "/default " + NAMES[locale])
        await console.say("Otieno", "/announce " + LONG_NEWS)
        await console.say("Otieno", "1")
    await _delivered(console, sms)
    for locale in LOCALES:
        [news] = [m for m in _messages(sms, f"wanjiru{locale}") if "Tea is on me" in "".join(m)]
        assert len(news) == 1, (locale, news)
        assert _cost(news) <= 3, (locale, news)
    await console.say("Otieno", "/default " + NAMES["en"])
    await console.say("Otieno", "/announce We meet in room B this week.")
    await console.say("Otieno", "1")
    await _delivered(console, sms)
    [short] = _messages(sms, "wanjiruen")[-1]
    assert short == (
        "Digital Skills, from Otieno:\nWe meet in room B this week.\n"
        "(Reply here and I'll pass it on to Otieno.)"
    )


async def test_a_long_answer_to_an_sms_learner_warns_the_facilitator_of_its_cost(
    chats: tuple[Chat, Chat], clock: FakeClock
) -> None:
    console, sms = chats
    await _circle(console, sms, "en", "2026-10-22", 6, "Wanjiru")
    await sms.say("Wanjiru", "Can I bring my sister next week?")
    await _delivered(console, sms)
    answer = LONG_NEWS[:320]  # her words alone cost 3 (mix 13: the wrapper is not hers)
    told = await console.say("Otieno", "/reply 1 " + answer)
    assert told == (
        "Sent: Wanjiru reads by SMS, so it went as 3 messages; shorter is kinder to their "
        "phone bill."
    )
    await _delivered(console, sms)
    [reply] = [m for m in _messages(sms, "wanjiru") if "replied" in m[0]]
    assert _cost(reply) == 3
    assert await console.say("Otieno", "/reply 1 Of course, she is welcome!") == (
        "I've sent your answer to Wanjiru."
    )
    for locale in LOCALES[1:]:  # translated, with the count where it belongs
        warning = console.core.catalogs.translator(locale).ngettext(
            "Sent: %(name)s reads by %(platform)s, so it went as %(n)d message; shorter "
            "is kinder to their phone bill.",
            "Sent: %(name)s reads by %(platform)s, so it went as %(n)d messages; shorter "
            "is kinder to their phone bill.",
            3,
            name="Wanjiru",
            platform="SMS",
        )
        assert not warning.startswith("Sent:") and "3" in warning and "Wanjiru" in warning


# -- questions that fit one SMS in English ---------------------------------------------------


def _fitted(tr: Translator, text: str, choices: Sequence[Choice] = ()) -> list[str]:
    message = Outbound(Address("sms", "x"), text, tuple(choices))
    return [part.text for part in fit(message, SMS_CAPABILITIES, tr)]


def _budget(locale: str) -> int:
    return 1 if locale == "en" else LONGER


def test_the_seat_offer_and_the_survey_question_fit_one_sms_in_english() -> None:
    catalogs = Catalogs(LOCALES_DIR)
    until = datetime(2027, 2, 12, 14, 30, tzinfo=UTC)
    circle = Circle(
        id=1,
        name=NAMES["en"],
        course_title="Learning How to Learn",
        venue="KNLS Upper Hill",
        city="Nairobi",
        country_code="KE",
        timezone="Africa/Nairobi",
        language="en",
        weekday=3,
        start_time=time(17, 30),
        duration_minutes=90,
        meeting_count=6,
        start_date=date(2027, 1, 7),
        join_code="TEWQNN6",
        created_at=until,
    )
    for locale in LOCALES:
        tr = catalogs.translator(locale)
        offer = _fitted(tr, seats.offer_text(tr, circle, until, None), seats.offer_choices(tr, 1))
        assert _cost(offer) <= _budget(locale), (locale, offer)
        rating = survey.rating_question(tr, circle, Role.LEARNER)
        asked = _fitted(tr, rating, survey.rating_choices(tr, circle))
        assert _cost(asked) <= _budget(locale), (locale, asked)


async def test_the_sharing_question_and_link_fit_one_sms_in_english(
    chats: tuple[Chat, Chat], clock: FakeClock
) -> None:
    console, sms = chats
    for locale in LOCALES:
        learner = f"Wanjiru{locale}"
        await _circle(console, sms, locale, "2026-10-22", 6, learner, answer_sharing=False)
        asked = await _ask(sms.core, sms, learner, "maybe")  # asked again, with its choices
        assert _cost(asked) <= _budget(locale), (locale, asked)
        linking = await _ask(sms.core, sms, learner, "LINK")
        assert _cost(linking) <= _budget(locale), (locale, linking)
