"""Matching pooled encouragement letters to circles about to meet for the first time.

Pure: no database, no I/O, no clock. bot/letters/letters.py loads the pool and the starting circles,
calls `match`, and records the deliveries.

For one receiving circle, letters from its own city are never eligible (letters travel: written
in Detroit, read in Nairobi), and the others are ranked by tier, then age:

    (other language?, same country?, approved_at, id)   ascending

so an other-country letter in the circle's language comes first, and a letter in the circle's
language from its own country still comes before one in another language from abroad: a letter
goes to a circle that can read it wherever one is starting, and crosses languages only when the
circle has no other (its readers are then told which language it is in, bot/letters/relay.py).
Circles are served in order of (first meeting, circle id), so a circle that meets sooner gets
first pick.

Speed: the pool is sorted once. Each letter then lives in two buckets, each kept oldest first
with a cursor: one per (language, country), used when the receiving circle is in another
country, and one per (country, language, city key), used for the same-country tiers.
The buckets of one language (abroad) or of one country and language (at home) form a group
with a lasting heap of their heads. A circle merges the groups of a tier, setting aside only
its own country's (or city's) bucket, and stops as soon as it has its K letters, so its cost
grows with K and with the letters it must skip, not with the number of cities or countries.
Letters used up by earlier circles are skipped by cursors that never move back.
"""

from __future__ import annotations

import heapq
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

__all__ = ["PoolLetter", "Recipient", "city_key", "match"]


@dataclass(frozen=True)
class PoolLetter:
    id: int
    author_id: int | None  # the author person (None once anonymised)
    circle_id: int  # the circle it was written in
    city: str
    country_code: str  # ISO 3166 alpha-2, e.g. "US"
    language: str  # e.g. "en", "sw"
    approved_at: datetime  # when it entered the pool (oldest first)
    deliveries: int = 0  # circles it has already reached
    online: bool = False  # written in a circle that meets online: from no city


@dataclass(frozen=True)
class Recipient:
    circle_id: int
    city: str
    country_code: str
    language: str
    starts_at: datetime  # its first meeting
    wanted: int  # K: how many letters it should receive (0 = opted out)
    authors_already: frozenset[int] = frozenset()  # authors whose letters it already received
    letters_already: frozenset[int] = frozenset()  # letters it already received
    # Circles its members were in: their letters come from classmates, not strangers far away.
    circles_shared: frozenset[int] = frozenset()
    # Circles its facilitators ran: never a letter back to its own facilitator (fac 21).
    circles_run: frozenset[int] = frozenset()
    online: bool = False  # it meets online: no city of its own to keep letters from


def city_key(city: str) -> str:
    """A city name compared case- and accent-insensitively: "São Paulo" == "sao  PAULO", and
    without the region a facilitator may add after a comma: "Cleveland, OH" == "Cleveland"."""
    city = city.split(",")[0] if city.split(",")[0].strip() else city
    # NFKD splits "ã" into "a" + a combining mark, which we drop; casefold handles "ß" and
    # friends; collapsing whitespace forgives stray spaces typed by facilitators.
    decomposed = unicodedata.normalize("NFKD", city.casefold().translate(_LETTERS))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    key = " ".join(unicodedata.normalize("NFKC", bare).casefold().split())
    # The spellings without those letters: "Aarhus" == "Århus", "Koeln" == "Köln" (D28).
    for spelled, letter in _SPELLED_OUT:
        key = key.replace(spelled, letter)
    return key


# Letters NFKD leaves whole, as they are spelled without them ("ø" is "oe" or "o").
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d"})
_SPELLED_OUT = (("aa", "a"), ("ae", "a"), ("oe", "o"), ("ue", "u"))


# The city key of a letter from an online circle: its learners are anywhere and its city is
# its facilitator's, so it is no circle's own city (no city's key is empty).
_NO_CITY = ""


def _country(code: str) -> str:
    return code.strip().upper()


def _language(code: str) -> str:
    return code.strip().casefold()


class _Stream:
    """Pool ranks (indexes into the sorted pool) of one bucket, oldest first, with a cursor.

    The cursor only passes letters with no capacity left, which can never become usable again
    within a run, so it is shared by every circle.
    """

    __slots__ = ("head", "ranks")

    def __init__(self) -> None:
        self.ranks: list[int] = []
        self.head = 0

    def advance(self, capacity: list[int]) -> bool:
        """Move past used-up letters; True while something may remain."""
        ranks, head = self.ranks, self.head
        while head < len(ranks) and capacity[ranks[head]] <= 0:
            head += 1
        self.head = head
        return head < len(ranks)


class _Group:
    """Buckets sharing a language (and country, at home), with a lasting heap of their heads.

    Heap entries are (head rank, bucket key), one per live bucket; an entry goes stale when the
    bucket's cursor moves on, and is fixed when it reaches the top. Cursors only move forward,
    so a stale entry is never too late, only too early.
    """

    __slots__ = ("heap", "streams")

    def __init__(self) -> None:
        self.streams: dict[str, _Stream] = {}
        self.heap: list[tuple[int, str]] = []

    def add(self, key: str, rank: int) -> None:
        self.streams.setdefault(key, _Stream()).ranks.append(rank)

    def start(self) -> None:
        self.heap = [(stream.ranks[0], key) for key, stream in self.streams.items()]
        heapq.heapify(self.heap)

    def top(self, capacity: list[int]) -> tuple[int, str] | None:
        """The bucket whose head is oldest, after fixing stale entries; None when all are empty."""
        heap = self.heap
        while heap:
            rank, key = heap[0]
            stream = self.streams[key]
            if not stream.advance(capacity):
                heapq.heappop(heap)
                del self.streams[key]  # empty for good: later circles never see it again
            elif stream.ranks[stream.head] != rank:
                heapq.heapreplace(heap, (stream.ranks[stream.head], key))
            else:
                return rank, key
        return None

    def put_back(self, key: str, capacity: list[int]) -> None:
        stream = self.streams.get(key)
        if stream is not None and stream.advance(capacity):
            heapq.heappush(self.heap, (stream.ranks[stream.head], key))


def match(
    pool: Sequence[PoolLetter], recipients: Sequence[Recipient], max_circles: int = 1
) -> dict[int, list[int]]:
    """circle_id -> letter ids, in the order they should be read.

    Every recipient appears in the result; its list is empty when it opted out (wanted=0) and
    shorter than `wanted` when the pool runs dry. Letters are listed best tier first.

    Rules, for each circle in order of (starts_at, circle_id):
    - never a letter written in the circle itself, or one it already received, or a second
      letter by an author it already has (authors_already, or picked in this run); anonymised
      letters (author_id None) count as distinct authors, as we cannot tell them apart;
    - a letter reaches at most `max_circles` circles in total, counting its `deliveries`;
    - never a letter from the circle's own city (same city key and same country; a circle
      meeting online is in no city, and so is a letter written in one), nor from a
      circle its own facilitators ran: a letter travels to a circle somewhere else, even if
      that leaves the circle short;
    - the circle's language before others, then other country before same country, then
      oldest first (approved_at, then id), so no letter waits forever.

    The result depends only on the contents of `pool` and `recipients`, not their order.
    Raises ValueError for duplicate letter ids or circle ids, a negative `wanted`, or
    `max_circles` below 1. Datetimes must all be naive or all aware (they are compared).
    """
    if max_circles < 1:
        raise ValueError(f"max_circles must be at least 1, not {max_circles}")
    # Sorting once by (approved_at, id) gives every letter a rank; streams hold ranks, so heap
    # comparisons are int comparisons and ties are impossible (ids are unique).
    letters = sorted(pool, key=lambda letter: (letter.approved_at, letter.id))
    if len({letter.id for letter in letters}) != len(letters):
        raise ValueError("duplicate letter id in pool")
    circles = sorted(recipients, key=lambda r: (r.starts_at, r.circle_id))
    if len({r.circle_id for r in circles}) != len(circles):
        raise ValueError("duplicate circle id in recipients")
    for r in circles:
        if r.wanted < 0:
            raise ValueError(f"circle {r.circle_id}: wanted must not be negative")

    capacity = [max_circles - letter.deliveries for letter in letters]
    abroad: dict[str, _Group] = {}  # language -> its buckets by country
    at_home: dict[str, dict[str, _Group]] = {}  # country -> language -> its buckets by city key
    city_keys: dict[str, str] = {}  # the pool repeats a few hundred city names many times
    for rank, letter in enumerate(letters):
        if capacity[rank] <= 0:
            continue  # already travelled as far as allowed; never look at it again
        country, language = _country(letter.country_code), _language(letter.language)
        abroad.setdefault(language, _Group()).add(country, rank)
        key = _NO_CITY if letter.online else city_keys.get(letter.city)
        if key is None:
            key = city_keys.setdefault(letter.city, city_key(letter.city))
        at_home.setdefault(country, {}).setdefault(language, _Group()).add(key, rank)
    for group in abroad.values():
        group.start()
    for groups in at_home.values():
        for group in groups.values():
            group.start()

    result: dict[int, list[int]] = {}
    for circle in circles:
        result[circle.circle_id] = _serve(circle, letters, capacity, abroad, at_home)
    return result


def _serve(
    circle: Recipient,
    letters: list[PoolLetter],
    capacity: list[int],
    abroad: dict[str, _Group],
    at_home: dict[str, dict[str, _Group]],
) -> list[int]:
    """Pick one circle's letters tier by tier, using up their capacity."""
    chosen: list[int] = []
    if circle.wanted == 0:
        return chosen
    country, language = _country(circle.country_code), _language(circle.language)
    # A circle meeting online is in no city: a letter from its facilitator's city may come.
    city = None if circle.online else city_key(circle.city)
    home = at_home.get(country, {})
    authors = set(circle.authors_already)

    # Tiers, best first: (other language?, same country?); built only when reached. A letter
    # its readers can read comes before one from further away. The own city's letters are
    # never taken: at home, its bucket is set aside.
    for same_language in (True, False):
        for place in ("abroad", "country"):
            by_language = abroad if place == "abroad" else home
            tier = [g for lang, g in by_language.items() if (lang == language) == same_language]
            # Abroad, only the circle's own country is set aside; at home, its own city.
            excluded = country if place == "abroad" else city
            _take([(g, excluded) for g in tier], circle, letters, capacity, authors, chosen)
            if len(chosen) >= circle.wanted:
                return chosen
    return chosen


def _take(
    groups: list[tuple[_Group, str | None]],
    circle: Recipient,
    letters: list[PoolLetter],
    capacity: list[int],
    authors: set[int],
    chosen: list[int],
) -> None:
    """Merge one tier oldest first, appending eligible letters to `chosen`.

    `groups` are merged lazily, each without its bucket under the given key (the circle's own
    country or city).
    """
    # Buckets being walked, as (rank, position in the bucket, index in `walked`). Positions are
    # local to this circle: a letter skipped here (for its author, say) may suit the next one.
    walked: list[_Stream] = []
    heap: list[tuple[int, int, int]] = []
    lifted: list[tuple[_Group, str]] = []  # taken off their group's heap; put back at the end
    while len(chosen) < circle.wanted:
        # The group whose oldest head is older than anything being walked joins the walk.
        best: tuple[int, _Group] | None = None
        for group, excluded in groups:
            top = group.top(capacity)
            while top is not None and top[1] == excluded:
                heapq.heappop(group.heap)
                lifted.append((group, top[1]))
                top = group.top(capacity)
            if top is not None and (best is None or top[0] < best[0]):
                best = (top[0], group)
        if best is not None and (not heap or best[0] < heap[0][0]):
            group = best[1]
            key = heapq.heappop(group.heap)[1]
            lifted.append((group, key))
            stream = group.streams[key]
            walked.append(stream)
            heapq.heappush(heap, (stream.ranks[stream.head], stream.head, len(walked) - 1))
            continue
        if not heap:
            break
        rank, position, index = heap[0]
        letter = letters[rank]
        if (
            capacity[rank] > 0
            and letter.circle_id != circle.circle_id
            and letter.id not in circle.letters_already
            and letter.circle_id not in circle.circles_shared
            and letter.circle_id not in circle.circles_run
            and (letter.author_id is None or letter.author_id not in authors)
        ):
            chosen.append(letter.id)
            capacity[rank] -= 1
            if letter.author_id is not None:
                authors.add(letter.author_id)
        ranks = walked[index].ranks
        position += 1
        while position < len(ranks) and capacity[ranks[position]] <= 0:
            position += 1
        if position < len(ranks):
            heapq.heapreplace(heap, (ranks[position], position, index))
        else:
            heapq.heappop(heap)
    for group, key in lifted:
        group.put_back(key, capacity)
