"""The prompt library: enough prompts for every phase, rotated per circle, safe to send by SMS."""

from __future__ import annotations

import re
from gettext import NullTranslations

from bot.chat.i18n import Translator
from bot.chat.segments import sms_segments
from bot.letters import letters
from prompts import checkin, goal, letter, onboarding, reflection
from prompts.library import Phase, Prompt, by_key, candidates, choose, phase_of

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# GSM-7 basic alphabet, ASCII part: printable ASCII less the backtick and the characters that
# need the extension table ([]{}\^~|, two septets each).
SMS_SAFE = set(map(chr, range(0x20, 0x7F))) - set("`[]{}\\^~|") | {"\n"}
SMS_SEGMENT = 160
ENGLISH = Translator("en", NullTranslations())

KINDS: dict[str, tuple[Prompt, ...]] = {
    "checkin": checkin.QUESTIONS,
    "reflection": reflection.PROMPTS,
    "letter": letter.INVITATIONS,
}

SINGLE_MESSAGES: dict[str, str] = {
    "RATING_QUESTION": checkin.RATING_QUESTION,
    "NUDGE": checkin.NUDGE,
    "THANKS_RATING": checkin.THANKS_RATING,
    "THANKS_ANSWER": checkin.THANKS_ANSWER,
    "ASK_AGAIN_RATING": checkin.ASK_AGAIN_RATING,
    "GOAL_QUESTION": goal.GOAL_QUESTION,
    "SHARE_QUESTION": goal.SHARE_QUESTION,
    "SHARE_YES": goal.SHARE_YES,
    "SHARE_NO": goal.SHARE_NO,
    "GOAL_REVIEW": goal.GOAL_REVIEW,
}

DOCUMENTED_PLACEHOLDERS = {
    "RATING_QUESTION": {"name", "circle", "number"},
    "NUDGE": {"name", "circle"},
    "GOAL_QUESTION": {"circle"},
    "GOAL_REVIEW": {"goal", "circle"},
}

SAMPLE = {"name": "Wanjiru", "circle": "Python at Kibera Library", "number": 3, "goal": "x"}


def all_texts() -> list[str]:
    texts = [p.text for prompts in KINDS.values() for p in prompts]
    return texts + list(SINGLE_MESSAGES.values()) + list(checkin.RATING_LABELS)


def test_keys_are_unique_and_tidy_within_each_kind() -> None:
    for kind, prompts in KINDS.items():
        keys = [p.key for p in prompts]
        assert len(keys) == len(set(keys)), kind
        assert all(KEY.match(k) for k in keys), kind
    assert goal.GOAL_KEY == "goal"
    assert goal.GOAL_REVIEW_KEY == "goal-review"
    assert by_key(reflection.PROMPTS, "stuck-unstuck") is not None


def test_texts_are_unique() -> None:
    texts = all_texts()
    assert len(texts) == len(set(texts))


def test_there_are_at_least_30_reflection_prompts() -> None:
    assert len(reflection.PROMPTS) >= 30


def test_every_phase_has_enough_checkin_questions_and_reflection_prompts() -> None:
    untied_week = 99
    for phase in Phase:
        assert len(candidates(checkin.QUESTIONS, phase, untied_week)) >= 3, phase
        assert len(candidates(reflection.PROMPTS, phase, untied_week)) >= 5, phase
    for phase in (Phase.FINAL, Phase.AFTER):
        assert len(candidates(letter.INVITATIONS, phase, untied_week)) >= 4, phase


def test_the_first_week_has_introductions_to_choose_from() -> None:
    first = candidates(reflection.PROMPTS, Phase.FIRST, 1)
    assert len(first) >= 2
    assert all(p.week == 1 for p in first)


def test_some_checkin_questions_ask_about_blockers() -> None:
    blockers = [p for p in checkin.QUESTIONS if re.search(r"in your way|easier|help", p.text)]
    assert len(blockers) >= 3


def test_an_8_meeting_circle_never_meets_a_reflection_prompt_twice_in_a_phase() -> None:
    count = 8
    for circle_id in range(1, 21):
        seen: dict[Phase, list[str]] = {}
        for week in range(1, count + 1):
            phase = phase_of(week, count)
            prompt = choose(reflection.PROMPTS, phase, week, circle_id)
            seen.setdefault(phase, []).append(prompt.key)
        for phase, keys in seen.items():
            assert len(keys) == len(set(keys)), (circle_id, phase, keys)


def test_answered_prompts_are_not_asked_again_across_the_whole_circle() -> None:
    count = 8
    for circle_id in range(1, 21):
        used: list[str] = []
        for week in range(1, count + 2):
            prompt = choose(reflection.PROMPTS, phase_of(week, count), week, circle_id, used)
            assert prompt.key not in used, (circle_id, week)
            used.append(prompt.key)


def test_choice_is_stable_for_a_circle_and_differs_between_circles() -> None:
    phase = phase_of(2, 8)
    week_2 = {choose(reflection.PROMPTS, phase, 2, c).key for c in range(1, 21)}
    assert len(week_2) > 1
    assert choose(reflection.PROMPTS, phase, 2, 7) == choose(reflection.PROMPTS, phase, 2, 7)


def test_placeholders_are_exactly_the_documented_ones() -> None:
    for name, expected in DOCUMENTED_PLACEHOLDERS.items():
        assert set(PLACEHOLDER.findall(SINGLE_MESSAGES[name])) == expected, name
    for name in set(SINGLE_MESSAGES) - set(DOCUMENTED_PLACEHOLDERS):
        assert "%" not in SINGLE_MESSAGES[name], name
    for label in checkin.RATING_LABELS:
        assert "%" not in label
    for prompt in (*checkin.QUESTIONS, *reflection.PROMPTS):
        assert "%" not in prompt.text, prompt.key
    for prompt in letter.INVITATIONS:
        assert set(PLACEHOLDER.findall(prompt.text)) <= {"city"}, prompt.key


def test_messages_with_placeholders_format() -> None:
    for name in DOCUMENTED_PLACEHOLDERS:
        text = SINGLE_MESSAGES[name] % SAMPLE
        assert "%" not in text, name


def test_english_text_is_plain_gsm_7() -> None:
    for text in [*all_texts(), onboarding.LEARNER_WELCOME]:
        odd = set(text) - SMS_SAFE
        assert not odd, (text, odd)


def test_short_messages_fit_one_sms_segment() -> None:
    short = [p.text for p in (*checkin.QUESTIONS, *reflection.PROMPTS)]
    short += [text % SAMPLE for text in SINGLE_MESSAGES.values()]
    for text in short:
        assert len(text) <= SMS_SEGMENT, (len(text), text)


def test_rating_has_five_short_labels_and_the_question_does_not_repeat_them() -> None:
    # The code numbers them ("Reply 1 for hard going, ..."): a digit in a label would say it twice.
    assert checkin.RATING_LABELS == ("hard going", "so-so", "okay", "good", "great")
    assert not any(label in checkin.RATING_QUESTION for label in checkin.RATING_LABELS)


def test_the_nudge_invites_and_mentions_skip() -> None:
    assert "/skip" in checkin.NUDGE
    assert not re.search(r"\byou missed\b|\bforgot\b|\bshould\b", checkin.NUDGE, re.I)


def test_letter_invitations_are_short_and_the_guide_tells_the_rest() -> None:
    for prompt in letter.INVITATIONS:
        assert set(prompt.phases) <= {Phase.FINAL, Phase.AFTER}, prompt.key
        assert "?" in prompt.text or "!" in prompt.text, prompt.key
        sent = letters.invitation_text(ENGLISH, prompt)
        assert sms_segments(sent) == 1, (len(sent), sent)
    guide = letter.WRITING_GUIDE
    assert "20-1,000 characters" in guide and "weather" in guide
    # A bare CANCEL on SMS stops every message (a carrier keyword): the guide says /cancel.
    assert "/cancel" in guide and " cancel" not in guide.replace("/cancel", "")
    assert sms_segments(guide) == 1


def test_phase_of_maps_meeting_numbers() -> None:
    assert phase_of(1, 6) == Phase.FIRST
    assert phase_of(2, 6) == Phase.EARLY
    assert phase_of(3, 6) == Phase.EARLY
    assert phase_of(4, 6) == Phase.MIDDLE
    assert phase_of(5, 6) == Phase.MIDDLE
    assert phase_of(6, 6) == Phase.FINAL
    assert phase_of(7, 6) == Phase.AFTER
    assert phase_of(0, 6) == Phase.FIRST
