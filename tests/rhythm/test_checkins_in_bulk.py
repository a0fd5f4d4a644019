"""The weekly check-in is queued by the database (bot/rhythm/derivation.py, _checkins): the
learners asked, their words and rows come from a few INSERT ... SELECT statements, not from
rows read into the bot. What each learner receives is what the bot itself would have worded:
their language, their name (escaped as the outbox stores it), "we missed you" after saying no,
no name for someone without one of their own."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.core import Core
from bot.rhythm.derivation import checkin_template
from locales import LOCALES_DIR
from prompts import checkin as checkin_prompts
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.rhythm.test_set_based import nairobi_circle, rhythm

CATALOGS = Catalogs(LOCALES_DIR)
# The Detroit circle's first check-in (see tests/rhythm/test_rhythm.py).
CHECKIN_1 = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)
QUESTIONS = (
    checkin_prompts.RATING_QUESTION,
    checkin_prompts.RATING_QUESTION_MISSED,
    checkin_prompts.RATING_QUESTION_UNNAMED,
    checkin_prompts.RATING_QUESTION_MISSED_UNNAMED,
)
# Names and circle names that JSON escapes, or that look like the markers or a placeholder.
AWKWARD = ('Zoë "Z" O\'Neil', "back\\slash \\u0001 %(name)s", "Ñandú 🐢\x01", "tab\there")


def _filled(template: str, name: str, circle: str, number: int) -> str:
    """What the SQL makes of a template: the markers replaced by the JSON-escaped values."""
    escaped = {key: json.dumps(value)[1:-1] for key, value in (("n", name), ("c", circle))}
    return (
        template.replace("\x03", str(number))
        .replace("\x02", escaped["c"])
        .replace("\x01", escaped["n"])
    )


@pytest.mark.parametrize("locale", CATALOGS.locales)
def test_every_language_words_the_checkin_in_bulk_as_its_catalog_does(locale: str) -> None:
    tr = CATALOGS.translator(locale)
    for question in QUESTIONS:
        template = checkin_template(tr, question)
        for name in AWKWARD:
            for circle in reversed(AWKWARD):
                stored = _filled(template, name, circle, 12)
                assert (
                    stored == json.dumps(tr._(question, name=name, circle=circle, number=12))[1:-1]
                )


@pytest.mark.parametrize("locale", CATALOGS.locales)
def test_a_circle_named_with_a_vowel_first_reads_right_in_every_checkin(locale: str) -> None:
    """B14: by SMS, "Comment était la réunion 1 de Initiation à Excel ?": the bulk wording
    skips the elision tr._ makes ("d'Initiation"); every check-in, the texted ones and the
    last meeting's too, is worded the same both ways (in French: "du cercle Initiation...")."""
    tr = CATALOGS.translator(locale)
    asked = [
        checkin_prompts.RATING_QUESTION,
        checkin_prompts.RATING_QUESTION_MISSED,
        checkin_prompts.RATING_QUESTION_MISSED_LAST,
    ]
    for question in asked + [checkin_prompts.BY_TEXT[q] for q in asked]:
        for unnamed in ((), {""}):
            message = checkin_prompts.addressed(question, "", unnamed)
            stored = _filled(checkin_template(tr, message), "Awa", "Initiation à Excel", 1)
            said = tr._(message, name="Awa", circle="Initiation à Excel", number=1)
            assert stored == json.dumps(said)[1:-1], (message, stored)


async def test_each_learner_gets_the_checkin_worded_for_them(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    learners = ('Zoë "Z"', "Juma", "Back\\slash", "Chioma")
    for name in learners:
        assert "Welcome" in await chat.say(name, f"/join {code}")
        await chat.say(name, "/skip")
        await chat.say(name, "/skip")
    await chat.say("Juma", "/language sw")
    await chat.say("Chioma", "/rsvp no")
    clock.set(CHECKIN_1 + timedelta(minutes=1))
    assert (await core.tick()).checkins == 4
    sent = {m.address.chat_id: m for m in await chat.deliver()}

    english, swahili = CATALOGS.translator("en"), CATALOGS.translator("sw")
    wording = {"name": "", "circle": "Python for Everyone", "number": 1}
    expected = {
        'zoë "z"': english._(checkin_prompts.RATING_QUESTION, **(wording | {"name": 'Zoë "Z"'})),
        "juma": swahili._(checkin_prompts.RATING_QUESTION, **(wording | {"name": "Juma"})),
        "back\\slash": english._(
            checkin_prompts.RATING_QUESTION, **(wording | {"name": "Back\\slash"})
        ),
        "chioma": english._(
            checkin_prompts.RATING_QUESTION_MISSED, **(wording | {"name": "Chioma"})
        ),
    }
    for chat_id, question in expected.items():
        assert sent[chat_id].text.startswith(question)
    assert swahili._(checkin_prompts.RATING_LABELS[0]) in sent["juma"].text  # its 1-5
    # Stored as outbox.enqueue_rows stores it (json.dumps, ASCII): what /forget looks for.
    async with open_session(core) as session:
        [payload] = (
            await (await session.connection()).execute(
                text("SELECT payload FROM outboxmessage WHERE chat_id = :chat"),
                {"chat": 'zoë "z"'},
            )
        ).one()
    assert json.dumps(expected['zoë "z"'])[1:-1] in payload
    assert "Zo\\u00eb" in payload
    # Replying "2" picks the second choice offered in their chat: the rating is taken.
    assert (await chat.say("Juma", "2")).startswith(swahili._(checkin_prompts.THANKS_RATING))


async def test_a_tick_of_checkins_reads_no_member_into_the_bot(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Wanjiru", nairobi_circle("Nairobi Coders"))
    code = await code_of(core, "Nairobi Coders")
    for name in ("Otieno", "Akinyi"):
        assert "Welcome" in await chat.say(name, f"/join {code}")
    since = datetime(2026, 10, 30, 6, 0, tzinfo=UTC)

    report, seen = await rhythm(core, since, since + timedelta(hours=2))

    assert report.checkins == 2
    reads = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert not [s for s in reads if "membership" in s.casefold()]
