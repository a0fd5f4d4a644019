"""How far the letters travelled: delivered letters counted between cities and countries, for
the public network page. Counts only: no author, no words, no circle."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import Circle, Letter, LetterDelivery

# The page lists the busiest routes; the totals count them all.
MAX_ROUTES = 50


@dataclass(frozen=True)
class Route:
    """Letters written in one city and read in another."""

    from_city: str
    from_country: str  # ISO 3166 code
    to_city: str
    to_country: str
    letters: int


@dataclass(frozen=True)
class LetterNetwork:
    letters: int  # deliveries: a letter read by two circles travelled twice
    cities: int
    countries: int
    routes: tuple[Route, ...]  # the busiest first
    by_country: tuple[tuple[str, str, int], ...]  # (from, to, letters), the busiest first


async def letter_network(session: AsyncSession, limit: int = MAX_ROUTES) -> LetterNetwork:
    rows = (
        await session.exec(
            select(Letter.city, Letter.country_code, Circle.city, Circle.country_code)
            .join(LetterDelivery, col(LetterDelivery.letter_id) == Letter.id)
            .join(Circle, col(Circle.id) == LetterDelivery.circle_id)
        )
    ).all()
    spelling: dict[tuple[str, str], str] = {}  # a city as first written, whatever its case

    def city(name: str, country: str) -> tuple[str, str]:
        key = (name.strip().casefold(), country.upper())
        spelling.setdefault(key, name.strip())
        return key

    routes: Counter[tuple[tuple[str, str], tuple[str, str]]] = Counter()
    countries: Counter[tuple[str, str]] = Counter()
    for from_city, from_country, to_city, to_country in rows:
        start, end = city(from_city, from_country), city(to_city, to_country)
        routes[(start, end)] += 1
        countries[(start[1], end[1])] += 1
    busiest = sorted(routes.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return LetterNetwork(
        letters=len(rows),
        cities=len(spelling),
        countries=len({country for _, country in spelling}),
        routes=tuple(
            Route(spelling[start], start[1], spelling[end], end[1], count)
            for (start, end), count in busiest
        ),
        by_country=tuple(
            (start, end, count)
            for (start, end), count in sorted(countries.items(), key=lambda i: (-i[1], i[0]))
        ),
    )
