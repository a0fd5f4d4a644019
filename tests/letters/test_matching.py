"""bot.letters.matching.match: one test per rule, the tier order, edge cases, a brute-force
comparison on random pools, and a small run of the letters matching bench."""

from __future__ import annotations

import io
import random
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from adapters.devtools.letters_bench import check_rules, run_matching_bench
from bot.letters.matching import PoolLetter, Recipient, city_key, match

T0 = datetime(2026, 1, 1, tzinfo=UTC)
FIRST_MEETING = datetime(2026, 12, 8, 17, 0, tzinfo=UTC)


def letter(
    id: int,
    city: str = "Detroit",
    country: str = "US",
    language: str = "en",
    *,
    author: int | None = None,
    circle: int | None = None,
    day: int | None = None,
    deliveries: int = 0,
) -> PoolLetter:
    """A pooled letter; by default its own author and circle, approved on day `id`."""
    return PoolLetter(
        id=id,
        author_id=1000 + id if author is None else author,
        circle_id=2000 + id if circle is None else circle,
        city=city,
        country_code=country,
        language=language,
        approved_at=T0 + timedelta(days=id if day is None else day),
        deliveries=deliveries,
    )


def nairobi(
    circle: int = 1,
    wanted: int = 1,
    *,
    language: str = "en",
    hours: int = 0,
    authors: frozenset[int] = frozenset(),
    letters: frozenset[int] = frozenset(),
) -> Recipient:
    return Recipient(
        circle_id=circle,
        city="Nairobi",
        country_code="KE",
        language=language,
        starts_at=FIRST_MEETING + timedelta(hours=hours),
        wanted=wanted,
        authors_already=authors,
        letters_already=letters,
    )


def test_city_key_ignores_case_accents_and_spacing() -> None:
    assert city_key("São Paulo") == city_key("SAO  paulo ") == "sao paulo"
    assert city_key("Zürich") == city_key("ZURICH")
    assert city_key("Straße") == city_key("STRASSE")
    assert city_key("Detroit") != city_key("Denver")


def test_rule1_never_own_city_when_another_letter_is_eligible() -> None:
    # The own-city letters are older and in the circle's language; still the other one wins.
    pool = [
        letter(1, "Nairobi", "KE"),
        letter(2, "NAIRÓBI", "ke"),
        letter(3, "Mombasa", "KE", "sw"),
    ]
    assert match(pool, [nairobi(wanted=1)]) == {1: [3]}


def test_rule1_never_own_city_even_when_nothing_else_is_eligible() -> None:
    # Issue 16 (W7): a new Nairobi circle read a Nairobi learner's letter. Letters travel: a
    # circle goes short rather than read its own city's.
    pool = [letter(1, "Nairobi", "KE"), letter(2, "Detroit", "US")]
    assert match(pool, [nairobi(wanted=2)]) == {1: [2]}
    # Letter 2 is taken by the earlier circle; the later one gets none, and letter 1 waits
    # for a circle elsewhere.
    assert match(pool, [nairobi(1), nairobi(2, hours=1)]) == {1: [2], 2: []}
    assert match([letter(1, " nairobi ", "ke")], [nairobi(wanted=3)]) == {1: []}


def test_rule1_same_city_name_in_another_country_is_not_own_city() -> None:
    paris_tx = letter(1, "Paris", "US")
    paris_fr = letter(2, "Paris", "FR")
    lyon = letter(3, "Lyon", "FR")
    circle = Recipient(9, "paris", "FR", "en", FIRST_MEETING, wanted=3)
    assert match([paris_fr, lyon, paris_tx], [circle]) == {9: [1, 3]}


def test_rule1_never_a_letter_written_in_the_receiving_circle() -> None:
    # Written in circle 1 itself, and even in another city (the circle moved): never.
    pool = [letter(1, "Detroit", "US", circle=1), letter(2, "Nairobi", "KE", circle=1)]
    assert match(pool, [nairobi(circle=1, wanted=2)]) == {1: []}


def test_rule2_prefers_another_country_over_the_same_country() -> None:
    pool = [letter(1, "Mombasa", "KE"), letter(2, "Detroit", "US")]
    assert match(pool, [nairobi(wanted=1)]) == {1: [2]}
    assert match(pool, [nairobi(wanted=2)]) == {1: [2, 1]}


def test_a_letter_in_the_circles_language_from_home_beats_one_it_cannot_read_from_abroad() -> None:
    """Walkthrough (es, da): a Danish circle got an English letter from abroad though a Danish
    one from Aarhus waited, and the Spanish letter went to an English circle. The circle's
    language comes before distance; a letter crosses languages only when nothing else fits."""
    pool = [letter(1, "Madrid", "ES", "es", day=1), letter(2, "Aarhus", "DK", "da", day=5)]
    copenhagen = Recipient(1, "København", "DK", "da", FIRST_MEETING, wanted=1)
    assert match(pool, [copenhagen]) == {1: [2]}
    detroit = Recipient(2, "Detroit", "US", "en", FIRST_MEETING, wanted=1)
    chicago_letter = letter(3, "Chicago", "US", "en", day=9)
    assert match([*pool, chicago_letter], [detroit]) == {2: [3]}
    # Nothing in English: the circle still gets a letter, the oldest from abroad.
    assert match(pool, [detroit]) == {2: [1]}


def test_rule3_prefers_the_receiving_circles_language() -> None:
    pool = [letter(1, "Paris", "FR", "fr"), letter(2, "Detroit", "US", "en")]
    assert match(pool, [nairobi(wanted=1, language="en")]) == {1: [2]}
    assert match(pool, [nairobi(wanted=1, language="FR")]) == {1: [1]}


def test_rule4_oldest_first_then_lowest_id() -> None:
    pool = [
        letter(5, "Detroit", day=3),
        letter(4, "Chicago", day=3),
        letter(9, "Berlin", "DE", "de", day=1),
        letter(1, "Lagos", "NG", day=7),
    ]
    # Language beats age: the Berlin letter is German, so it comes after the English ones.
    circle = Recipient(1, "Nairobi", "KE", "en", FIRST_MEETING, wanted=4)
    assert match(pool, [circle]) == {1: [4, 5, 1, 9]}
    assert match(pool, [nairobi(wanted=2, language="de")]) == {1: [9, 4]}


def test_rule5_a_letter_reaches_at_most_max_circles_including_past_deliveries() -> None:
    pool = [letter(1), letter(2, "Paris", "FR", deliveries=1), letter(3, deliveries=2)]
    circles = [nairobi(c, wanted=3, hours=c) for c in (1, 2, 3)]
    assert match(pool, circles) == {1: [1], 2: [], 3: []}
    assert match(pool, circles, max_circles=2) == {1: [1, 2], 2: [1], 3: []}
    assert match(pool, circles, max_circles=3) == {1: [1, 2, 3], 2: [1, 2], 3: [1]}


def test_rule6_never_two_letters_by_one_author_to_one_circle() -> None:
    pool = [letter(1, author=7), letter(2, author=7), letter(3, author=8)]
    assert match(pool, [nairobi(wanted=3)]) == {1: [1, 3]}
    # The second circle may have author 7's other letter.
    assert match(pool, [nairobi(1, wanted=3), nairobi(2, wanted=3, hours=1)]) == {
        1: [1, 3],
        2: [2],
    }


def test_rule6_authors_and_letters_already_received_are_excluded() -> None:
    pool = [letter(1, author=7), letter(2, author=8), letter(3, author=9)]
    circle = nairobi(wanted=3, authors=frozenset({7}), letters=frozenset({2}))
    assert match(pool, [circle], max_circles=5) == {1: [3]}


def test_no_letter_from_a_circle_one_of_its_members_was_in() -> None:
    """sms 43: a classmate's letter is not a stranger's encouragement from far away."""
    pool = [letter(1, circle=55), letter(2, circle=56)]
    circle = replace(nairobi(wanted=2), circles_shared=frozenset({55}))
    assert match(pool, [circle]) == {1: [2]}


def test_rule6_anonymised_letters_count_as_distinct_authors() -> None:
    pool = [
        PoolLetter(i, None, 100 + i, "Detroit", "US", "en", T0 + timedelta(days=i)) for i in (1, 2)
    ]
    assert match(pool, [nairobi(wanted=2)]) == {1: [1, 2]}


def test_rule7_earlier_first_meeting_picks_first_regardless_of_input_order() -> None:
    pool = [letter(1, "Detroit"), letter(2, "Berlin", "DE", "de"), letter(3, "Mombasa", "KE")]
    late = nairobi(1, wanted=1, hours=5)
    early = nairobi(2, wanted=1, hours=1)
    same_time = nairobi(3, wanted=1, hours=1)
    expected = {2: [1], 3: [3], 1: [2]}
    assert match(pool, [late, early, same_time]) == expected
    assert match(pool[::-1], [same_time, late, early]) == expected


def test_tier_order_same_language_first_then_other_country_own_city_never() -> None:
    # One letter per tier, given newest-first so age cannot explain the order.
    pool = [
        letter(1, "Nairobi", "KE", "sw", day=1),  # own city, other language
        letter(2, "Nairobi", "KE", "en", day=2),  # own city, same language
        letter(3, "Kisumu", "KE", "sw", day=3),  # same country, other language
        letter(4, "Kisumu", "KE", "en", day=4),  # same country, same language
        letter(5, "Berlin", "DE", "de", day=5),  # other country, other language
        letter(6, "Detroit", "US", "en", day=6),  # other country, same language
    ]
    assert match(pool, [nairobi(wanted=6)]) == {1: [6, 4, 5, 3]}


def test_opted_out_and_short_pools() -> None:
    pool = [letter(1), letter(2, "Paris", "FR")]
    circles = [nairobi(1, wanted=0), nairobi(2, wanted=5, hours=1)]
    assert match(pool, circles) == {1: [], 2: [1, 2]}
    assert match([], circles) == {1: [], 2: []}
    assert match(pool, []) == {}


@pytest.mark.parametrize(
    ("pool", "recipients", "max_circles"),
    [
        ([letter(1), letter(1, "Paris", "FR")], [nairobi()], 1),
        ([letter(1)], [nairobi(1), nairobi(1, hours=1)], 1),
        ([letter(1)], [nairobi(wanted=-1)], 1),
        ([letter(1)], [nairobi()], 0),
    ],
)
def test_bad_input_is_refused(
    pool: list[PoolLetter], recipients: list[Recipient], max_circles: int
) -> None:
    with pytest.raises(ValueError):
        match(pool, recipients, max_circles)


def _reference(
    pool: Sequence[PoolLetter], recipients: Sequence[Recipient], max_circles: int
) -> dict[int, list[int]]:
    """The rules written the slow, obvious way: sort the whole pool for every circle, leaving
    out the letters from its own city."""
    left = {x.id: max_circles - x.deliveries for x in pool}
    result: dict[int, list[int]] = {}
    for r in sorted(recipients, key=lambda r: (r.starts_at, r.circle_id)):

        def own_city(x: PoolLetter, r: Recipient = r) -> bool:
            same_country = x.country_code.upper() == r.country_code.upper()
            return same_country and city_key(x.city) == city_key(r.city)

        def tier(x: PoolLetter, r: Recipient = r) -> tuple[bool, bool, datetime, int]:
            return (
                x.language.casefold() != r.language.casefold(),
                x.country_code.upper() == r.country_code.upper(),
                x.approved_at,
                x.id,
            )

        authors, chosen = set(r.authors_already), list[int]()
        for x in sorted((x for x in pool if not own_city(x)), key=tier):
            if len(chosen) == r.wanted:
                break
            if (
                left[x.id] > 0
                and x.circle_id != r.circle_id
                and x.id not in r.letters_already
                and x.circle_id not in r.circles_shared
                and (x.author_id is None or x.author_id not in authors)
            ):
                chosen.append(x.id)
                left[x.id] -= 1
                if x.author_id is not None:
                    authors.add(x.author_id)
        result[r.circle_id] = chosen
    return result


@pytest.mark.parametrize("seed", range(40))
def test_matches_the_slow_reference_on_random_pools(seed: int) -> None:
    rng = random.Random(seed)
    places = [("Detroit", "US"), ("détroit", "us"), ("Nairobi", "KE"), ("Kisumu", "KE")]
    places += [("Paris", "FR"), ("Paris", "US"), ("Berlin", "DE")]
    languages = ["en", "sw", "fr", "de"]
    pool = []
    for i in range(1, rng.randrange(1, 60)):
        city, country = rng.choice(places)
        pool.append(
            PoolLetter(
                id=i,
                author_id=rng.choice([None, *range(12)]),
                circle_id=rng.randrange(8),
                city=city,
                country_code=country,
                language=rng.choice(languages),
                approved_at=T0 + timedelta(days=rng.randrange(5)),  # ties, so ids decide
                deliveries=rng.randrange(3),
            )
        )
    recipients = []
    for c in range(rng.randrange(1, 15)):
        city, country = rng.choice(places)
        recipients.append(
            Recipient(
                circle_id=c,
                city=city,
                country_code=country,
                language=rng.choice(languages),
                starts_at=FIRST_MEETING + timedelta(days=rng.randrange(3)),
                wanted=rng.randrange(5),
                authors_already=frozenset(rng.sample(range(12), rng.randrange(3))),
                letters_already=frozenset(rng.sample(range(1, 60), rng.randrange(3))),
            )
        )
    max_circles = rng.randrange(1, 4)
    result = match(pool, recipients, max_circles)
    assert result == _reference(pool, recipients, max_circles)
    assert check_rules(pool, recipients, result, max_circles) == []
    rng.shuffle(pool)
    rng.shuffle(recipients)
    assert match(pool, recipients, max_circles) == result


def test_the_bench_checks_that_a_letter_crosses_languages_only_when_it_must() -> None:
    pool = [letter(1, "Madrid", "ES", "es"), letter(2, "Aarhus", "DK", "da")]
    copenhagen = Recipient(1, "København", "DK", "da", FIRST_MEETING, wanted=1)
    assert check_rules(pool, [copenhagen], {1: [2]}) == []
    assert check_rules(pool, [copenhagen], {1: [1]}) == [
        "circle 1: a letter in another language though 2 fit"
    ]
    # With the Danish letter gone to an earlier circle, the Spanish one is fine.
    earlier = Recipient(2, "Odense", "DK", "da", FIRST_MEETING - timedelta(days=1), wanted=1)
    assert check_rules(pool, [copenhagen, earlier], {1: [1], 2: [2]}) == []


def test_matching_bench_small_run_reports_the_rules_hold() -> None:
    out = io.StringIO()
    run_matching_bench(out, letters=2_000, circles=300, per_circle=3, seed=3)
    lines = out.getvalue().splitlines()
    assert lines[0] == "letters matching bench: 2000 letters, 300 circles, 3 each"
    figures = re.fullmatch(
        r"match: (\d+\.\d\d) s, (\d+) letters placed, peak memory (\d+(?:\.\d+)?) MiB", lines[1]
    )
    assert figures is not None
    assert int(figures[2]) == 900
    assert lines[-1] == "checks: rules hold"
