"""Letters matching bench: bot.letters.matching.match on a large synthetic pool, timed and checked.

run_matching_bench builds a pool across ~50 cities in 16 countries and six languages, and
circles whose first meetings are spread over a month; times one match() with perf_counter; runs
it again on shuffled input under tracemalloc for the peak memory (and to confirm the result
does not depend on input order); then replays the result and checks the rules hold.
"""

from __future__ import annotations

import random
import time
import tracemalloc
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TextIO

from bot.letters.matching import PoolLetter, Recipient, city_key, match

# country -> (cities, languages spoken there, most common first)
PLACES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "US": (("Detroit", "Chicago", "New York", "Los Angeles", "Houston"), ("en", "es")),
    "MX": (("Ciudad de México", "Guadalajara", "Monterrey"), ("es",)),
    "ES": (("Madrid", "Barcelona", "Sevilla"), ("es",)),
    "AR": (("Buenos Aires", "Córdoba", "Rosario"), ("es",)),
    "FR": (("Paris", "Lyon", "Marseille", "Toulouse"), ("fr",)),
    "SN": (("Dakar", "Thiès"), ("fr",)),
    "DE": (("Berlin", "München", "Hamburg", "Köln"), ("de",)),
    "CH": (("Zürich", "Genève", "Bern"), ("de", "fr")),
    "KE": (("Nairobi", "Mombasa", "Kisumu", "Nakuru"), ("sw", "en")),
    "TZ": (("Dar es Salaam", "Arusha", "Dodoma"), ("sw", "en")),
    "DK": (("København", "Aarhus", "Odense"), ("da", "en")),
    "GB": (("London", "Manchester", "Leeds"), ("en",)),
    "CA": (("Toronto", "Montréal", "Vancouver"), ("en", "fr")),
    "IN": (("Mumbai", "Delhi", "Bengaluru", "Chennai"), ("en",)),
    "NG": (("Lagos", "Abuja", "Kano"), ("en",)),
    "BE": (("Bruxelles", "Antwerpen", "Liège"), ("fr", "de")),
}
NOW = datetime(2026, 10, 1, tzinfo=UTC)
WRITERS_PER_CIRCLE = 10  # a writing circle's learners, so some authors write twice
FIRST_RECIPIENT = 10_000_000  # recipient circle ids, apart from the writing circles'


def run_matching_bench(
    output: TextIO,
    letters: int = 100_000,
    circles: int = 10_000,
    per_circle: int = 3,
    seed: int = 7,
) -> None:
    rng = random.Random(seed)
    places = [
        (city, country, langs) for country, (cities, langs) in PLACES.items() for city in cities
    ]
    pool = _pool(rng, places, letters)
    recipients = _recipients(rng, places, circles, per_circle)
    print(
        f"letters matching bench: {letters} letters, {circles} circles, {per_circle} each",
        file=output,
    )

    started = time.perf_counter()
    result = match(pool, recipients)
    elapsed = time.perf_counter() - started

    # A second run on shuffled input: its peak memory, and proof that order does not matter.
    shuffled_pool, shuffled_recipients = list(pool), list(recipients)
    rng.shuffle(shuffled_pool)
    rng.shuffle(shuffled_recipients)
    tracemalloc.start()
    again = match(shuffled_pool, shuffled_recipients)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    placed = sum(len(ids) for ids in result.values())
    print(
        f"match: {elapsed:.2f} s, {placed} letters placed, peak memory {peak / 2**20:.1f} MiB",
        file=output,
    )
    by_id = {letter.id: letter for letter in pool}
    mix = Counter(
        tier
        for r in recipients
        for letter_id in result[r.circle_id]
        for tier in _kinds(by_id[letter_id], r)
    )
    print(
        f"mix: {mix['abroad']} from another country, {mix['language']} in the circle's "
        f"language, {mix['own city']} from the circle's own city",
        file=output,
    )
    problems = check_rules(pool, recipients, result)
    if again != result:
        problems.insert(0, "result changed when the input was shuffled")
    if problems:
        print(f"checks: {len(problems)} rules broken: " + "; ".join(problems[:5]), file=output)
    else:
        print("checks: rules hold", file=output)


def _pool(
    rng: random.Random, places: list[tuple[str, str, tuple[str, ...]]], size: int
) -> list[PoolLetter]:
    pool = []
    writing_circles = max(1, size // 8)
    homes = [rng.choice(places) for _ in range(writing_circles)]
    for letter_id in range(1, size + 1):
        circle_id = rng.randrange(writing_circles)
        city, country, langs = homes[circle_id]
        language = langs[0] if rng.random() < 0.8 else rng.choice(langs)
        author = circle_id * WRITERS_PER_CIRCLE + rng.randrange(WRITERS_PER_CIRCLE)
        # Some cities typed differently by facilitators: same city key all the same.
        shown = city.upper() if rng.random() < 0.05 else city
        pool.append(
            PoolLetter(
                id=letter_id,
                author_id=None if rng.random() < 0.05 else author,
                circle_id=circle_id,
                city=shown,
                country_code=country,
                language=language,
                approved_at=NOW - timedelta(seconds=rng.randrange(365 * 86_400)),
            )
        )
    return pool


def _recipients(
    rng: random.Random,
    places: list[tuple[str, str, tuple[str, ...]]],
    count: int,
    per_circle: int,
) -> list[Recipient]:
    recipients = []
    for n in range(count):
        city, country, langs = rng.choice(places)
        # A few circles already received letters in an earlier, interrupted run.
        authors = (
            frozenset(rng.randrange(10_000) for _ in range(2)) if rng.random() < 0.05 else None
        )
        recipients.append(
            Recipient(
                circle_id=FIRST_RECIPIENT + n,
                city=city,
                country_code=country,
                language=rng.choice(langs),
                starts_at=NOW + timedelta(seconds=rng.randrange(30 * 86_400)),
                wanted=per_circle,
                authors_already=authors or frozenset(),
            )
        )
    return recipients


def _own_city(letter: PoolLetter, circle: Recipient) -> bool:
    # A circle meeting online is in no city, and so is a letter written in one.
    return (
        not letter.online
        and not circle.online
        and city_key(letter.city) == city_key(circle.city)
        and letter.country_code.strip().upper() == circle.country_code.strip().upper()
    )


def _kinds(letter: PoolLetter, circle: Recipient) -> list[str]:
    kinds = []
    if letter.country_code.strip().upper() != circle.country_code.strip().upper():
        kinds.append("abroad")
    if letter.language.strip().casefold() == circle.language.strip().casefold():
        kinds.append("language")
    if _own_city(letter, circle):
        kinds.append("own city")
    return kinds


def check_rules(
    pool: Sequence[PoolLetter],
    recipients: Sequence[Recipient],
    result: dict[int, list[int]],
    max_circles: int = 1,
) -> list[str]:
    """Replays a match() result in serving order; describes each rule it breaks (none: [])."""
    problems: list[str] = []
    by_id = {letter.id: letter for letter in pool}
    left = {letter.id: max_circles - letter.deliveries for letter in pool}
    if set(result) != {r.circle_id for r in recipients}:
        problems.append("result circles differ from the recipients")
    for circle in sorted(recipients, key=lambda r: (r.starts_at, r.circle_id)):
        chosen = [by_id[i] for i in result.get(circle.circle_id, []) if i in by_id]
        name = f"circle {circle.circle_id}"
        if len(chosen) != len(result.get(circle.circle_id, [])):
            problems.append(f"{name}: a letter not in the pool")
        if len(chosen) > circle.wanted:
            problems.append(f"{name}: more letters than wanted")
        authors = [x.author_id for x in chosen if x.author_id is not None]
        if len(set(authors)) != len(authors) or set(authors) & circle.authors_already:
            problems.append(f"{name}: an author twice")
        if len({x.id for x in chosen}) != len(chosen) or any(
            x.id in circle.letters_already for x in chosen
        ):
            problems.append(f"{name}: a letter twice")
        if any(x.circle_id == circle.circle_id for x in chosen):
            problems.append(f"{name}: a letter from its own circle")
        if any(left[x.id] <= 0 for x in chosen):
            problems.append(f"{name}: a letter beyond max_circles")
        own = [x for x in chosen if _own_city(x, circle)]
        if own:  # letters travel: never one from the circle's own city
            problems.append(f"{name}: own-city letter {own[0].id}")
        if any(not _same_language(x, circle) for x in chosen):
            # A letter it can't read only when none in its language was free at its turn.
            fit = _first_fit(pool, circle, chosen, left, same_language=True)
            if fit is not None:
                problems.append(f"{name}: a letter in another language though {fit} fit")
        if len(chosen) < circle.wanted:
            # Slow path, rare: was anything still free at this circle's turn?
            fit = _first_fit(pool, circle, chosen, left)
            if fit is not None:
                problems.append(f"{name}: short of letters though {fit} fit")
        for x in chosen:
            left[x.id] -= 1
    return problems


def _same_language(letter: PoolLetter, circle: Recipient) -> bool:
    return letter.language.strip().casefold() == circle.language.strip().casefold()


def _first_fit(
    pool: Sequence[PoolLetter],
    circle: Recipient,
    chosen: list[PoolLetter],
    left: dict[int, int],
    same_language: bool = False,
) -> int | None:
    """A letter (in its language, if `same_language`) the circle could still have had at its
    turn but did not get (slow: the whole pool), or None."""
    picked = {x.id for x in chosen}
    # Authors of anonymised letters (None) are never excluded, as in match().
    everyone = {x.author_id for x in chosen if x.author_id is not None} | circle.authors_already
    for letter in pool:
        if (
            left[letter.id] <= 0
            or letter.id in picked
            or letter.id in circle.letters_already
            or letter.circle_id == circle.circle_id
            or letter.circle_id in circle.circles_shared
            or _own_city(letter, circle)
            or (same_language and not _same_language(letter, circle))
        ):
            continue
        if letter.author_id is None or letter.author_id not in everyone:
            return letter.id
    return None
