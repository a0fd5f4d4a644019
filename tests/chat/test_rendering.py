"""bot.rendering: one Outbound fitted to a platform's length limit, buttons and file support."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

import pytest

from bot.chat import rendering
from bot.chat.i18n import Catalogs, Translator
from bot.chat.messages import Address, Attachment, Capabilities, Choice, LengthUnit, Outbound
from bot.chat.rendering import fit, split_text, text_length
from bot.chat.segments import SMS_CAPABILITIES
from locales import LOCALES_DIR

TO = Address("telegram", "4242")
RSVP = (Choice("Yes, I'll be there", "rsvp:yes"), Choice("No, not this week", "rsvp:no"))


@pytest.fixture(scope="module")
def tr() -> Translator:
    return Catalogs(LOCALES_DIR).translator("en")


def _non_space(text: str) -> str:
    return "".join(text.split())


def _random_text(rng: random.Random) -> str:
    words = ["a", "circle", "meets", "Thursday", "😀", "Nairobi", "naïve", "x" * 30, "🇰🇪", "ok"]
    pieces = []
    for _ in range(rng.randint(0, 80)):
        pieces.append(rng.choice(words))
        pieces.append(rng.choice([" ", " ", " ", "\n", "\n\n", "", "  "]))
    return "".join(pieces)


@pytest.mark.parametrize("unit", list(LengthUnit))
def test_split_text_never_exceeds_the_limit_and_loses_no_characters(unit: LengthUnit) -> None:
    rng = random.Random(20261020)
    for _ in range(300):
        text = _random_text(rng)
        limit = rng.randint(4, 60)

        parts = split_text(text, limit, unit)

        assert all(text_length(part, unit) <= limit for part in parts), (text, limit)
        assert _non_space("".join(parts)) == _non_space(text), (text, limit)


def test_split_text_prefers_line_boundaries() -> None:
    text = "Meeting 1: Thursday\nMeeting 2: next week"
    assert split_text(text, 30) == ["Meeting 1: Thursday", "Meeting 2: next week"]


def test_split_text_cuts_at_a_space_when_a_line_is_too_long() -> None:
    assert split_text("one two three four", 9) == ["one two", "three", "four"]


def test_split_text_cuts_anywhere_when_there_is_no_space() -> None:
    link = "https://example.org/" + "a" * 25
    parts = split_text(link, 20)
    assert parts == ["https://example.org/", "a" * 20, "a" * 5]


def test_split_text_leaves_short_text_alone() -> None:
    assert split_text("See you Thursday!", 17) == ["See you Thursday!"]
    assert split_text("", 10) == [""]


def test_split_text_refuses_a_limit_below_one() -> None:
    with pytest.raises(ValueError):
        split_text("hello", 0)


def test_split_text_refuses_a_limit_narrower_than_one_character(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_cut = rendering._cut_fitting
    calls = 0

    def bounded_cut(text: str, most: int, fits: Callable[[str], bool]) -> tuple[str, str]:
        nonlocal calls
        calls += 1
        if calls > 10:
            raise AssertionError("split_text is looping without making progress")
        return real_cut(text, most, fits)

    monkeypatch.setattr(rendering, "_cut_fitting", bounded_cut)

    # An emoji is 2 UTF-16 units: it cannot fit in 1, so there is no valid split.
    with pytest.raises(ValueError):
        split_text("😀", 1, LengthUnit.UTF16)


def test_emoji_count_as_two_utf16_units() -> None:
    assert text_length("😀", LengthUnit.UTF16) == 2
    assert text_length("😀", LengthUnit.CHARACTERS) == 1
    assert text_length("Hi 😀!", LengthUnit.UTF16) == 6

    assert split_text("😀" * 5, 4, LengthUnit.UTF16) == ["😀😀", "😀😀", "😀"]
    assert split_text("😀" * 5, 4, LengthUnit.CHARACTERS) == ["😀😀😀😀", "😀"]
    # An odd limit never cuts an emoji in half.
    assert split_text("😀" * 3, 3, LengthUnit.UTF16) == ["😀", "😀", "😀"]


def test_choices_become_one_line_of_numbers_without_buttons(tr: Translator) -> None:
    message = Outbound(TO, "Are you coming on Thursday?", RSVP)

    [part] = fit(message, Capabilities(max_text_length=4000), tr)

    assert part.text == (
        "Are you coming on Thursday?\nReply 1 for Yes, I'll be there or 2 for No, not this week."
    )
    assert part.choices == ()


def test_numbered_choices_read_naturally_for_one_and_three(tr: Translator) -> None:
    capabilities = Capabilities(max_text_length=4000)
    one = Outbound(TO, "Confirm?", (Choice("Yes", "y"),))
    three = Outbound(TO, "When?", (Choice("Mon", "1"), Choice("Tue", "2"), Choice("Wed", "3")))

    assert fit(one, capabilities, tr)[0].text == "Confirm?\nReply 1 for Yes."
    when = fit(three, capabilities, tr)[0].text
    assert when == "When?\nReply 1 for Mon, 2 for Tue, or 3 for Wed."  # CLDR's US English comma


def test_numbered_choices_are_worded_in_the_readers_language() -> None:
    spanish = Catalogs(LOCALES_DIR).translator("es")
    three = Outbound(TO, "?", (Choice("a", "1"), Choice("b", "2"), Choice("c", "3")))

    text = fit(three, Capabilities(max_text_length=4000), spanish)[0].text

    # Babel joins the options the Spanish way ("x, y o z"), around the catalog's wording.
    assert text.startswith("?\n") and " o 3" in text and " or " not in text


def test_choices_stay_buttons_where_the_platform_has_them(tr: Translator) -> None:
    message = Outbound(TO, "Are you coming on Thursday?", RSVP, idempotency_key="rsvp|m:1")

    assert fit(message, Capabilities(max_text_length=4000, buttons=True), tr) == [message]


def test_a_split_message_has_choices_only_on_its_last_part(tr: Translator) -> None:
    text = "\n".join(f"Week {n}: chapter {n}, then the exercises." for n in range(1, 9))
    message = Outbound(TO, text, RSVP, idempotency_key="plan|circle:1|person:2|")

    parts = fit(message, Capabilities(max_text_length=100, buttons=True), tr)

    assert len(parts) > 2
    assert [part.choices for part in parts] == [()] * (len(parts) - 1) + [RSVP]
    assert all(len(part.text) <= 100 for part in parts)
    assert "\n".join(part.text for part in parts) == text
    keys = [part.idempotency_key for part in parts]
    assert len(set(keys)) == len(parts)
    assert all(key and key.startswith("plan|circle:1|person:2|") for key in keys)


def test_numbered_choices_land_at_the_end_of_a_split_message(tr: Translator) -> None:
    text = " ".join(["Bring your laptop and a charger."] * 6)
    message = Outbound(TO, text, RSVP)

    parts = fit(message, Capabilities(max_text_length=60), tr)

    assert len(parts) > 1
    assert all(part.choices == () for part in parts)
    assert parts[-1].text.endswith("2 for No, not this week.")
    everything = "\n".join(part.text for part in parts)
    yes, no = everything.index("1 for Yes, I'll be there"), everything.index("2 for No, not")
    assert everything.index(text[-20:]) < yes < no


def test_where_files_are_not_supported_the_reader_learns_how_to_get_them(tr: Translator) -> None:
    """Walkthrough (fac 51): "(Files not shown here: report.png)" by SMS named a file a
    feature phone can't open; the line now says how to get it."""
    files = (
        Attachment("week-3-notes.pdf", "application/pdf", b"%PDF-1.7"),
        Attachment("group.jpg", "image/jpeg", b"\xff\xd8\xff"),
    )
    message = Outbound(TO, "Notes from Thursday.", attachments=files)

    [without] = fit(message, Capabilities(max_text_length=4000), tr)
    [with_files] = fit(message, Capabilities(max_text_length=4000, files=True), tr)

    assert without.attachments == ()
    assert without.text == (
        "Notes from Thursday.\n(To get the files too, link a chat app: send /link.)"
    )
    [one] = fit(replace(message, attachments=files[:1]), SMS_CAPABILITIES, tr)
    assert one.text == "Notes from Thursday.\n(To get the file too, link a chat app: send LINK.)"
    assert with_files.attachments == files
    assert with_files.text == "Notes from Thursday."


def _backslash(text: str) -> str:
    """A stand-in for Discord's escaping: a backslash before every * and _."""
    return text.replace("*", "\\*").replace("_", "\\_")


def test_escaped_text_is_measured_escaped_and_splits_within_the_limit(tr: Translator) -> None:
    # 150 characters, half of them escaped: 225 once escaped, so a limit of 100 needs 3 parts.
    text = " ".join(["*bold*_x_"] * 15)
    capabilities = Capabilities(max_text_length=100, escape=_backslash)

    parts = fit(Outbound(TO, text), capabilities, tr)

    assert len(parts) >= 3
    assert all(len(part.text) <= 100 for part in parts)
    # Every part arrives escaped, and unescaped they are the text, word for word.
    joined = " ".join(part.text for part in parts)
    assert joined.replace("\\", "").split() == text.split()
    assert "*" not in joined.replace("\\*", "")
