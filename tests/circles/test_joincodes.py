"""Join codes: short, unguessable, free of look-alike characters, never reused, forgiving about how
they are typed, and slow to brute-force."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.circles import circles, joincodes
from bot.circles.circles import CircleDraft
from bot.core import Core
from bot.storage.models import Circle, JoinAttempt, Membership, Person
from tests.conftest import DETROIT_CIRCLE, DETROIT_DRAFT, Chat, code_of
from tests.database import open_session
from tests.platforms import PLATFORMS

CIRCLE = "Python for Everyone"
WRONG = "ZZZZZZZ"  # well-formed, but no circle has it


def draft(name: str) -> CircleDraft:
    return replace(DETROIT_DRAFT, name=name)


async def members(core: Core) -> list[str]:
    async with open_session(core) as session:
        rows = await session.exec(
            select(Person.display_name)
            .join(Membership, Membership.person_id == Person.id)  # type: ignore[arg-type]
            .where(Membership.left_at == None)  # noqa: E711
            .order_by(Membership.id)  # type: ignore[arg-type]
        )
        return list(rows.all())


async def wrong_tries(core: Core) -> int:
    async with open_session(core) as session:
        return len((await session.exec(select(JoinAttempt))).all())


# --- The codes ----------------------------------------------------------------------------------


def test_the_alphabet_has_no_look_alike_characters() -> None:
    assert not set("0O1IL") & set(joincodes.ALPHABET)
    assert len(set(joincodes.ALPHABET)) == len(joincodes.ALPHABET)  # no letter counted twice
    assert all(ch.isdigit() or ch.isupper() for ch in joincodes.ALPHABET)
    assert joincodes.ALPHABET.isascii()


def test_codes_are_six_to_eight_characters_with_at_least_30_bits() -> None:
    assert 6 <= joincodes.LENGTH <= 8
    honest_bits = joincodes.LENGTH * math.log2(len(set(joincodes.ALPHABET)))
    assert joincodes.BITS == pytest.approx(honest_bits)
    assert joincodes.BITS >= 30


def test_generated_codes_use_the_alphabet_and_are_distinct() -> None:
    rng = random.Random(2026)
    codes = [joincodes.generate(rng) for _ in range(5000)]
    assert all(len(code) == joincodes.LENGTH for code in codes)
    assert all(set(code) <= set(joincodes.ALPHABET) for code in codes)
    assert all(joincodes.looks_valid(code) for code in codes)
    assert len(set(codes)) == len(codes)
    # Every character of the alphabet turns up, in every position.
    for position in range(joincodes.LENGTH):
        assert {code[position] for code in codes} == set(joincodes.ALPHABET)


async def test_unused_code_never_returns_a_taken_code(core: Core, clock: FakeClock) -> None:
    seeded = random.Random(42)
    first, second, third = (joincodes.generate(seeded) for _ in range(3))
    assert len({first, second, third}) == 3

    async with open_session(core) as session, session.begin():
        person = Person(display_name="Amina", created_at=clock.now())
        session.add(person)
        await session.flush()
        # The same seed twice (a restarted demo): the second circle would get the same code.
        one = await circles.create(session, clock.now(), random.Random(42), person, draft("One"))
        two = await circles.create(session, clock.now(), random.Random(42), person, draft("Two"))
        assert (one.join_code, two.join_code) == (first, second)
        assert await joincodes.unused_code(session, random.Random(42)) == third

    async with open_session(core) as session:
        stored = (await session.exec(select(Circle.join_code).order_by(Circle.id))).all()  # type: ignore[arg-type]
    assert stored == [first, second]


async def test_two_cores_with_the_same_seed_still_hand_out_different_codes(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    first = Chat(Core(sqlite_engine, clock, random.Random(7), platforms=PLATFORMS))
    second = Chat(Core(sqlite_engine, clock, random.Random(7), platforms=PLATFORMS))
    assert "is ready" in await first.say("Amina", DETROIT_CIRCLE)
    assert "is ready" in await second.say("Wanjiru", DETROIT_CIRCLE.replace("Python", "Rust", 1))
    codes = [
        await code_of(first.core, "Python for Everyone"),
        await code_of(first.core, "Rust for Everyone"),
    ]
    assert codes[0] != codes[1]
    assert codes[0] == joincodes.generate(random.Random(7))


@pytest.mark.parametrize(
    "typed", ["cz6ep34", "CZ6-EP34", " cz6 ep34 ", "Cz6–eP34", "c-z-6-e-p-3-4", "CZ6EP34"]
)
def test_normalize_makes_what_people_type_match(typed: str) -> None:
    assert joincodes.normalize(typed) == "CZ6EP34"
    assert joincodes.looks_valid(joincodes.normalize(typed))


@pytest.mark.parametrize("typed", ["CZ6EP3", "CZ6EP345", "CZ6EP3O", "CZ6EP31", "", "---"])
def test_codes_of_the_wrong_length_or_with_look_alikes_do_not_look_valid(typed: str) -> None:
    assert not joincodes.looks_valid(joincodes.normalize(typed))


# --- Joining with a wrong code ------------------------------------------------------------------


async def test_an_unknown_code_gets_a_clear_answer_and_no_membership(
    chat: Chat, core: Core
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    for typed in (WRONG, "hello", "CZ6EP3O"):
        assert await chat.say("Brian", f"/join {typed}") == (
            f"I couldn't find a circle with the code {typed}. Please check it with your "
            "facilitator and try again."
        )
    assert await members(core) == ["Amina"]
    assert await wrong_tries(core) == 3


async def test_after_five_wrong_codes_even_the_right_one_must_wait(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    start = clock.now()
    for _ in range(joincodes.MAX_WRONG_CODES):
        assert "I couldn't find a circle" in await chat.say("Eve", f"/join {WRONG}")
        clock.advance(timedelta(minutes=1))

    # Five wrong codes between minute 0 and minute 4; it is now minute 5.
    assert await chat.say("Eve", f"/join {code}") == (
        "That's a few codes in a row that didn't match. Please wait 10 minutes, then try again."
    )
    clock.set(start + timedelta(minutes=14))
    assert "Please wait 60 seconds, then try again." in await chat.say("Eve", f"/join {code}")
    assert await members(core) == ["Amina"]
    assert await wrong_tries(core) == 5  # waiting does not add to the count

    # Someone else is not slowed down by Eve's guessing.
    assert "Welcome to Python for Everyone, Brian!" in await chat.say("Brian", f"/join {code}")

    clock.set(start + joincodes.WRONG_CODE_WINDOW)  # the first wrong code is 15 minutes old
    assert "Welcome to Python for Everyone, Eve!" in await chat.say("Eve", f"/join {code}")
    assert await members(core) == ["Amina", "Brian", "Eve"]


async def test_wrong_codes_older_than_the_window_do_not_count(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    for _ in range(4):
        await chat.say("Eve", f"/join {WRONG}")
    clock.advance(joincodes.WRONG_CODE_WINDOW + timedelta(seconds=1))
    # A fifth wrong code, but the first four have expired: the next try is allowed.
    assert "I couldn't find a circle" in await chat.say("Eve", f"/join {WRONG}")
    assert "Welcome to Python for Everyone, Eve!" in await chat.say("Eve", f"/join {code}")
    assert await members(core) == ["Amina", "Eve"]
