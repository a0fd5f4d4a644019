"""Ten weeks of letters on a fake clock: 5 circles in 4 cities, 3 countries and 2 languages.

Detroit (US, en) and Paris (FR, fr) meet from late October; Chicago (US, en) starts in week 4,
Nairobi (KE, en) in week 8 and a second Paris circle (FR, fr) in week 9. Learners of the circles
that reach their midpoint write letters, their facilitators approve them (one is rejected, one is
never reviewed), and the real tick, outbox and dispatcher run every two hours for ten weeks (and
at each letters preview, first meeting and action). The pool is laid out so that each rule has
something to do:

- Chicago's first meeting: the two English letters from Detroit (same country) come before the
  French ones from Paris (abroad), as Chicago reads English; of the two French letters the older
  goes.
- Nairobi's: English letters are preferred to three older French ones, and Carla's second letter
  waits because her first one is already going there.
- The second Paris circle's: the three French letters from its own city are the oldest and in its
  language, yet they never go: the two letters from abroad do, and it goes short of three rather
  than read its own city's.

The season runs once (on its own SQLite file); each test checks one promise, from what the
dispatcher delivered, the outbox keys and the Letter and LetterDelivery rows.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import shutil
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot.chat import keywords
from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.messages import Address, Capabilities, Inbound, Outbound, Receipt
from bot.core import Core
from bot.letters.letters import LetterPolicy
from bot.storage.database import create_engine
from bot.storage.models import (
    Account,
    Circle,
    Letter,
    LetterDelivery,
    LetterStatus,
    Meeting,
    OutboxMessage,
    OutboxStatus,
)
from locales import LOCALES_DIR
from prompts import letter as letter_prompts
from tests.conftest import Chat
from tests.database import open_session
from tests.platforms import PLATFORMS

K = 3  # letters per first meeting (the default)
GLOBAL = Address("console", "global")
NAIROBI_GROUP = "nairobi-group"
START = datetime(2026, 10, 20, 14, 0, tzinfo=UTC)  # a Tuesday
END = START + timedelta(weeks=10)
# How often the season ticks: every six hours from the start; the Monday roll-ups (12:00),
# the previews and first meetings are added as instants of their own.
STEP = timedelta(hours=6)
SECOND = timedelta(seconds=1)
PREVIEW = timedelta(hours=2)


def code_word(answer: str) -> bool:
    """Whether `answer` names /join in some shipped language (the circle exists)."""
    catalogs = Catalogs(LOCALES_DIR)
    return any(
        "/" + keywords.slash_name(catalogs.translator(code), "join") in answer
        for code in catalogs.locales
    )


@dataclass(frozen=True)
class Plan:
    """One circle of the season: who runs it, who learns in it, and when it first meets (UTC)."""

    key: str
    facilitator: str
    learners: tuple[str, ...]
    line: str  # the /newcircle one-liner
    first: datetime  # the first meeting, worked out here by hand
    locale: str | None = None  # what the members' phones say


CIRCLES = (
    Plan(
        "detroit",
        "Amina",
        ("Dana", "Derek", "Dolores"),
        '/newcircle name="Python Detroit" course="Python for Everybody" venue="Main Library" '
        "city=Detroit country=US zone=America/Detroit start=2026-10-22 time=18:00 meetings=6 "
        "language=en",
        datetime(2026, 10, 22, 22, 0, tzinfo=UTC),  # Thursday 18:00 EDT
    ),
    Plan(
        "paris",
        "Camille",
        ("Pierre", "Margot", "Lucie", "Hugo"),
        '/newcircle name="Apprendre Python" course="Python pour tous" venue="Bibliothèque BnF" '
        "city=Paris country=FR zone=Europe/Paris start=2026-10-21 time=19:00 meetings=6 "
        "language=fr",
        datetime(2026, 10, 21, 17, 0, tzinfo=UTC),  # Wednesday 19:00 CEST
        "fr",
    ),
    Plan(
        "chicago",
        "Gus",
        ("Carla", "Chen", "Cody"),
        '/newcircle name="Data Chicago" course="Data Literacy" venue="Harold Washington Library" '
        "city=Chicago country=US zone=America/Chicago start=2026-11-10 time=18:00 meetings=6 "
        "language=en",
        datetime(2026, 11, 11, 0, 0, tzinfo=UTC),  # Tuesday 18:00 CST
    ),
    Plan(
        "nairobi",
        "Wanjiru",
        ("Otieno", "Achieng"),
        '/newcircle name="Digital Skills" course="Learning How to Learn" venue="KNLS Upper Hill" '
        "city=Nairobi country=KE zone=Africa/Nairobi start=2026-12-08 time=17:00 meetings=6 "
        "language=en",
        datetime(2026, 12, 8, 14, 0, tzinfo=UTC),  # Tuesday 17:00 EAT
    ),
    Plan(
        "paris2",
        "Sophie",
        ("Jules", "Chloe"),
        '/newcircle name="Code du soir" course="Apprendre à apprendre" venue="Médiathèque Duras" '
        "city=Paris country=FR zone=Europe/Paris start=2026-12-16 time=19:00 meetings=6 "
        "language=fr",
        datetime(2026, 12, 16, 18, 0, tzinfo=UTC),  # Wednesday 19:00 CET
        "fr",
    ),
)
PLAN = {plan.key: plan for plan in CIRCLES}
CIRCLE_OF = {name: plan.key for plan in CIRCLES for name in plan.learners}
FACILITATOR_OF = {plan.key: plan.facilitator for plan in CIRCLES}


@dataclass(frozen=True)
class Written:
    """One letter: who writes it when, in which language, and what the facilitator does."""

    tag: str  # unique, in the text, so the letter can be told apart
    author: str
    language: str  # the language it is written in (the author's circle's)
    written: datetime
    decision: str  # "approve", "reject" or "" (never reviewed)
    decided: datetime | None = None

    @property
    def text(self) -> str:
        if self.language == "fr":
            return (
                f"[{self.tag}] Bonjour de Paris ! Venez chaque semaine, même quand vous vous "
                f"sentez en retard. Le groupe vous attend. {self.author}"
            )
        return (
            f"[{self.tag}] Hello from a circle that just finished! Come every week, even when "
            f"you feel behind. We were all beginners once. {self.author}"
        )


def at(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


# Midpoints (after meeting 3): Paris 4 Nov 18:00, Detroit 5 Nov 23:00, Chicago 25 Nov 00:00 UTC.
LETTERS = (
    Written("dana", "Dana", "en", at(11, 6, 9), "approve", at(11, 6, 10)),
    Written("pierre", "Pierre", "fr", at(11, 6, 9), "approve", at(11, 6, 11)),
    Written("margot", "Margot", "fr", at(11, 6, 9), "approve", at(11, 6, 12)),
    Written("derek", "Derek", "en", at(11, 6, 9), "approve", at(11, 6, 13)),
    Written("carla-1", "Carla", "en", at(11, 25, 10), "approve", at(11, 25, 11)),
    Written("carla-2", "Carla", "en", at(11, 25, 12), "approve", at(11, 25, 13)),
    Written("lucie", "Lucie", "fr", at(11, 26, 9), "approve", at(11, 26, 10)),
    Written("hugo", "Hugo", "fr", at(11, 26, 11), "approve", at(11, 26, 12)),
    Written("dolores", "Dolores", "en", at(11, 27, 9), "approve", at(11, 27, 10)),
    Written("chen", "Chen", "en", at(12, 2, 9), "approve", at(12, 2, 10)),
    Written("cody-1", "Cody", "en", at(12, 2, 11), "reject", at(12, 2, 12)),
    Written("cody-2", "Cody", "en", at(12, 3, 9), "approve", at(12, 3, 10)),
    Written("derek-2", "Derek", "en", at(12, 3, 11), ""),  # Amina never gets to it
)
BY_TAG = {letter.tag: letter for letter in LETTERS}

# Worked out by hand from the rules; the tests also check the rules themselves.
EXPECTED = {
    "detroit": [],  # the pool is empty in October
    "paris": [],
    "chicago": ["dana", "derek", "pierre"],  # its language first, then the older French one
    "nairobi": ["carla-1", "dolores", "chen"],  # English first; one letter per author
    "paris2": ["carla-2", "cody-2"],  # never Margot's, Lucie's or Hugo's: they are from Paris
}


# -- the driver -----------------------------------------------------------------------------------


@dataclass
class Recorder(Chat):
    """The console adapter, keeping when each message was delivered."""

    clock: FakeClock | None = None
    log: list[tuple[datetime, Outbound]] = field(default_factory=list)

    async def send(self, message: Outbound) -> Receipt:
        assert self.clock is not None
        self.log.append((self.clock.now(), message))
        return await super().send(message)


@dataclass
class Season:
    """Everything the tests look at, read back once the ten weeks are over."""

    circles: dict[str, Circle]
    first_meeting: dict[str, Meeting]
    person: dict[str, int]  # name -> person id
    letters: dict[str, Letter]  # tag -> letter
    deliveries: list[LetterDelivery]
    outbox: list[OutboxMessage]
    log: list[tuple[datetime, Outbound]]
    answers: dict[str, str] = field(default_factory=dict)  # what the bot answered a writer

    def key(self, key: str) -> list[OutboxMessage]:
        return [row for row in self.outbox if row.idempotency_key == key]

    def keys(self, prefix: str) -> list[OutboxMessage]:
        return [row for row in self.outbox if row.idempotency_key.startswith(prefix)]

    def circle_key(self, circle_id: int) -> str:
        return next(key for key, circle in self.circles.items() if circle.id == circle_id)

    def tag(self, letter_id: int) -> str:
        return next(tag for tag, letter in self.letters.items() if letter.id == letter_id)

    def received(self, key: str) -> list[str]:
        """Tags of the letters a circle received, in the order they were matched."""
        circle_id = self.circles[key].id
        return [self.tag(d.letter_id) for d in self.deliveries if d.circle_id == circle_id]

    def sent_to(self, chat_id: str) -> list[tuple[datetime, str]]:
        return [(when, m.text) for when, m in self.log if m.address.chat_id == chat_id]


async def _drain(chat: Recorder) -> None:
    while await chat.deliver():
        pass


async def _play(db: Path) -> Season:
    engine = create_engine(f"sqlite:///{db}")  # a copy of the migrated template
    clock = FakeClock(START)
    core = Core(
        engine,
        clock,
        random.Random(7),
        letter_policy=LetterPolicy(global_channels=(GLOBAL,)),
        platforms=PLATFORMS,
    )
    chat = Recorder(core, capabilities=Capabilities(max_text_length=4000), clock=clock)
    locale = {name: plan.locale for plan in CIRCLES for name in (plan.facilitator, *plan.learners)}
    answers: dict[str, str] = {}

    async def say(name: str, text: str) -> str:
        extra = {"locale_hint": locale[name]} if locale.get(name) else {}
        return await chat.say(name, text, **extra)

    def words(name: str, msgid: str) -> str:
        """The start of a reply as `name` reads it (French phones get French)."""
        tr = core.catalogs.translator(locale.get(name))
        return keywords.for_slash_commands(tr, tr._(msgid)).split("%(")[0]

    async def letter_id(tag: str) -> int:
        async with open_session(core) as session:
            rows = await session.exec(select(Letter).where(col(Letter.text).contains(f"[{tag}]")))
            (letter,) = rows.all()
            assert letter.id is not None
            return letter.id

    # Set-up, at the start: every circle, its members, and Nairobi's group chat.
    for plan in CIRCLES:
        answer = await say(plan.facilitator, plan.line)
        # The join code to share, with /join as the facilitator's language names it.
        assert code_word(answer), answer
        async with open_session(core) as session:
            name = plan.line.split('"')[1]
            code = (await session.exec(select(Circle).where(Circle.name == name))).one().join_code
        for learner in plan.learners:
            await say(learner, f"/join {code}")
            await say(learner, "/skip")
    group = Inbound(
        platform="console",
        account_id="wanjiru",
        chat_id=NAIROBI_GROUP,
        message_id=uuid.uuid4().hex,
        text="/linkchat",
        display_name="Wanjiru",
        is_group=True,
        private_chat_id="wanjiru",
    )
    [linked] = await core.handle(group, chat.capabilities)
    assert "now linked" in linked.text, linked.text

    # What people do, and when.
    actions: dict[datetime, list[Callable[[], Awaitable[None]]]] = defaultdict(list)
    for letter in LETTERS:

        async def write(letter: Written = letter) -> None:
            assert words(letter.author, letter_prompts.WRITING_GUIDE) in await say(
                letter.author, "/letter"
            )
            assert words(
                letter.author,
                "Lovely. How should it be signed? Send a name, or pick yours. "
                "It will say %(city)s with it, never how to reach you.",
            ) in await say(letter.author, letter.text)
            answers[letter.tag] = await say(letter.author, "1")

        actions[letter.written].append(write)
        if letter.decision:
            assert letter.decided is not None

            async def decide(letter: Written = letter) -> None:
                number = await letter_id(letter.tag)
                facilitator = FACILITATOR_OF[CIRCLE_OF[letter.author]]
                command = f"/letters approve {number}"
                if letter.decision == "reject":
                    command = f"/letters reject {number} Please write it in your own words"
                answer = await say(facilitator, command)
                if letter.decision == "reject":  # shown as the author will read it, asked first
                    assert "Send it?" in answer, answer
                    answer = await say(facilitator, "1")
                # No refusal; the next letter waiting may follow it, with its own commands.
                first = answer.split("\n", 1)[0]
                assert str(number) in first and "/letters" not in first, answer

            actions[letter.decided].append(decide)

    # Every two hours for ten weeks; each preview and first meeting, and a second before each.
    instants = {START + n * STEP for n in range(int((END - START) / STEP) + 1)}
    for plan in CIRCLES:
        instants |= {plan.first - PREVIEW - SECOND, plan.first - SECOND}
        instants |= {plan.first - PREVIEW, plan.first}
    instants |= set(actions)
    instants |= {  # every Monday at 12:00 UTC, when the global channel's roll-up falls due
        day.replace(hour=12)
        for day in (START + timedelta(days=n) for n in range((END - START).days + 1))
        if day.weekday() == 0
    }
    for instant in sorted(instants):
        clock.set(instant)
        for action in actions.get(instant, []):
            await action()
        await core.tick()
        await _drain(chat)

    async with open_session(core) as session:
        circles = {
            plan.key: (
                await session.exec(select(Circle).where(Circle.name == plan.line.split('"')[1]))
            ).one()
            for plan in CIRCLES
        }
        first_meeting = {}
        for key, circle in circles.items():
            first_meeting[key] = (
                await session.exec(
                    select(Meeting)
                    .where(Meeting.circle_id == circle.id)
                    .order_by(col(Meeting.starts_at))
                )
            ).first()
        person = {
            account.external_id: account.person_id
            for account in (await session.exec(select(Account))).all()
        }
        person = {name: person[name.casefold()] for name in locale}
        letters = {}
        for letter in (await session.exec(select(Letter))).all():
            [tag] = [w.tag for w in LETTERS if f"[{w.tag}]" in letter.text]
            letters[tag] = letter
        deliveries = list(
            (await session.exec(select(LetterDelivery).order_by(col(LetterDelivery.id)))).all()
        )
        rows = list(
            (await session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))).all()
        )
    await engine.dispose()
    return Season(circles, first_meeting, person, letters, deliveries, rows, chat.log, answers)


@pytest.fixture(scope="module")
def season(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: Path) -> Season:
    database = tmp_path_factory.mktemp("letters") / "season.db"
    shutil.copyfile(migrated_sqlite, database)
    return asyncio.run(_play(database))


# -- an independent reading of the rules ----------------------------------------------------------


def pool_at(season: Season, key: str, instant: datetime) -> list[str]:
    """Letters eligible for circle `key` when it was matched: approved by then, not yet given to
    another circle, not written in the circle itself."""
    circle = season.circles[key]
    taken_before = {
        season.tag(d.letter_id)
        for d in season.deliveries
        if d.matched_at < instant and d.circle_id != circle.id
    }
    return [
        tag
        for tag, letter in season.letters.items()
        if letter.approved_at is not None
        and letter.approved_at <= instant
        and letter.status == LetterStatus.POOLED
        and tag not in taken_before
        and letter.circle_id != circle.id
    ]


def rank(season: Season, key: str, tag: str) -> tuple[bool, bool, bool, datetime, int]:
    """(own city?, other language?, same country?, approved, id): smaller is better. The
    language is the one the letter was written in, as the test knows it."""
    circle, letter = season.circles[key], season.letters[tag]
    own_city = letter.city.casefold() == circle.city.casefold()
    same_country = letter.country_code == circle.country_code
    assert letter.approved_at is not None and letter.id is not None
    return (
        own_city and same_country,
        BY_TAG[tag].language != circle.language,
        same_country,
        letter.approved_at,
        letter.id,
    )


def matched_at(season: Season, key: str) -> datetime:
    [instant] = {d.matched_at for d in season.deliveries if d.circle_id == season.circles[key].id}
    return instant


# -- the tests ------------------------------------------------------------------------------------


def test_the_cast_five_circles_four_cities_three_countries_two_languages(season: Season) -> None:
    circles = season.circles.values()
    assert len(season.circles) == 5
    assert len({c.city for c in circles}) == 4
    assert len({c.country_code for c in circles}) == 3
    assert {c.language for c in circles} == {"en", "fr"}
    for key, meeting in season.first_meeting.items():
        assert meeting.starts_at == PLAN[key].first, key
        assert START < meeting.starts_at < END - PREVIEW
    # "... /letter withdraw", with /letter as the writer's language names it.
    catalogs = Catalogs(LOCALES_DIR)
    names = {"/" + keywords.slash_name(catalogs.translator(c), "letter") for c in catalogs.locales}
    assert all(any(name in answer for name in names) for answer in season.answers.values())
    statuses = Counter(letter.status for letter in season.letters.values())
    assert statuses == {LetterStatus.POOLED: 11, LetterStatus.REJECTED: 1, LetterStatus.REVIEW: 1}


def test_a_letter_carries_its_city_and_the_language_it_was_written_in(season: Season) -> None:
    for tag, letter in season.letters.items():
        circle = season.circles[CIRCLE_OF[BY_TAG[tag].author]]
        assert (letter.city, letter.country_code) == (circle.city, circle.country_code), tag
        # Pierre writes in French, in a French-language circle, from a French phone: his letter
        # is in French, and the circle reading it is told so, and why, in its own language.
        assert letter.language == BY_TAG[tag].language, (tag, letter.language)
    pierre = season.letters["pierre"]
    carla = season.person["Carla"]
    chicago = season.circles["chicago"].id
    [row] = season.key(f"letter|letter:{pierre.id}|person:{carla}|circle:{chicago}")
    assert (
        "Letters travel between circles all over the world: this one is in French.\n"
        "From Paris, France:\n"
    ) in row.payload["text"]


def test_each_first_meeting_gets_the_letters_the_rules_pick(season: Season) -> None:
    assert {key: season.received(key) for key in PLAN} == EXPECTED


def test_every_first_meeting_with_an_eligible_pool_receives_k_letters(season: Season) -> None:
    for key, plan in PLAN.items():
        instant = plan.first - PREVIEW  # when the circle is matched
        # Never one from its own city: a circle goes short rather than read its own city's.
        eligible = [t for t in pool_at(season, key, instant) if not rank(season, key, t)[0]]
        authors = {season.letters[tag].author_id for tag in eligible}
        got = season.received(key)
        assert len(got) == min(K, len(authors)), (key, got, eligible)
        if got:
            assert matched_at(season, key) == instant, key


def test_none_from_its_own_city_while_others_were_eligible(season: Season) -> None:
    exercised = False
    for key in PLAN:
        got = season.received(key)
        if not got:
            continue
        eligible = pool_at(season, key, matched_at(season, key))
        own = [tag for tag in eligible if rank(season, key, tag)[0]]
        others = [tag for tag in eligible if not rank(season, key, tag)[0]]
        exercised |= bool(own) and bool(others)
        if any(tag in own for tag in got):
            # Only when every other eligible letter went too (one per author).
            left = [t for t in others if t not in got]
            got_authors = {season.letters[t].author_id for t in got}
            assert all(season.letters[t].author_id in got_authors for t in left), (key, got)
    assert exercised  # the second Paris circle had Paris letters to pass over
    assert not set(season.received("paris2")) & {"lucie", "hugo"}


def test_the_circles_language_is_preferred_where_the_pool_allows(season: Season) -> None:
    """A letter in another language goes only when no letter in the circle's language is left
    for it, from any country (never from its own city)."""
    for key in PLAN:
        got = season.received(key)
        if not got:
            continue
        eligible = pool_at(season, key, matched_at(season, key))
        got_authors = {season.letters[t].author_id for t in got}
        for tag in got:
            if not rank(season, key, tag)[1]:
                continue  # in the circle's language
            passed_over = [
                t
                for t in eligible
                if t not in got
                and not rank(season, key, t)[0]
                and not rank(season, key, t)[1]
                and season.letters[t].author_id not in got_authors
            ]
            assert not passed_over, (key, tag, passed_over)
    # Nairobi reads English: Dolores's letter rather than Lucie's and Hugo's older French ones.
    assert "dolores" in season.received("nairobi")
    assert not {"lucie", "hugo"} & set(season.received("nairobi"))
    # Chicago reads English: Detroit's letters before the French ones from abroad.
    assert season.received("chicago")[:2] == ["dana", "derek"]


def test_oldest_approved_goes_first_among_equally_ranked_letters(season: Season) -> None:
    for key in PLAN:
        got = season.received(key)
        if not got:
            continue
        eligible = pool_at(season, key, matched_at(season, key))
        got_authors = {season.letters[t].author_id for t in got}
        for tag in got:
            mine = rank(season, key, tag)
            older_waiting = [
                t
                for t in eligible
                if t not in got
                and rank(season, key, t)[:3] == mine[:3]  # the same tier and language
                and rank(season, key, t) < mine
                and season.letters[t].author_id not in got_authors
            ]
            assert not older_waiting, (key, tag, older_waiting)
        # And read oldest first within a tier.
        for a, b in itertools.pairwise(got):
            if rank(season, key, a)[:3] == rank(season, key, b)[:3]:
                assert rank(season, key, a) < rank(season, key, b), (key, a, b)
    assert "pierre" in season.received("chicago") and "margot" not in season.received("chicago")


def test_a_letter_reaches_one_circle_and_one_author_writes_once_to_a_circle(
    season: Season,
) -> None:
    per_letter = Counter(d.letter_id for d in season.deliveries)
    assert set(per_letter.values()) == {1}
    for tag, letter in season.letters.items():
        assert letter.deliveries == per_letter.get(letter.id or 0, 0), tag
        if letter.status != LetterStatus.POOLED:
            assert letter.deliveries == 0, tag
    for key in PLAN:
        authors = [season.letters[t].author_id for t in season.received(key)]
        assert len(authors) == len(set(authors)), key
        assert all(CIRCLE_OF[BY_TAG[t].author] != key for t in season.received(key))
    # Carla's second letter waited for the next circle.
    assert "carla-1" in season.received("nairobi") and "carla-2" in season.received("paris2")


def test_the_facilitator_reads_them_two_hours_before_and_the_learners_at_the_start(
    season: Season,
) -> None:
    for key, plan in PLAN.items():
        circle, got = season.circles[key], season.received(key)
        facilitator = season.person[plan.facilitator]
        previews = season.key(f"letters-preview|circle:{circle.id}|person:{facilitator}|")
        if not got:
            # No letter could come: the facilitator is told so, no letter quoted (D47).
            assert [p.payload["text"].count('"') for p in previews] == [0], previews
            continue
        [preview] = previews
        assert preview.created_at == plan.first - PREVIEW
        assert preview.status == OutboxStatus.SENT and preview.sent_at == plan.first - PREVIEW
        # In the facilitator's language (Paris reads French): the count, then every letter.
        assert str(len(got)) in preview.payload["text"].split("\n")[0]
        for tag in got:
            assert BY_TAG[tag].text in preview.payload["text"]
        [(when, _)] = [
            (when, text)
            for when, text in season.sent_to(plan.facilitator.casefold())
            if all(BY_TAG[tag].text in text for tag in got)
        ]
        assert when == plan.first - PREVIEW
        # The facilitator is not sent them again at the start; each learner gets each letter.
        assert not [
            row
            for row in season.keys("letter|letter:")
            if row.idempotency_key.endswith(f"|person:{facilitator}|circle:{circle.id}")
        ]
        for learner in plan.learners:
            person = season.person[learner]
            for tag in got:
                letter = season.letters[tag]
                [row] = season.key(f"letter|letter:{letter.id}|person:{person}|circle:{circle.id}")
                assert row.created_at == plan.first and row.sent_at == plan.first, (key, tag)
                assert BY_TAG[tag].text in row.payload["text"]
            delivered = [
                (when, text)
                for when, text in season.sent_to(learner.casefold())
                if any(BY_TAG[tag].text in text for tag in got)
            ]
            assert [when for when, _ in delivered] == [plan.first] * len(got), learner
    # Nairobi's linked group chat gets each of its letters once, at the start.
    posted = [(w, t) for w, t in season.sent_to(NAIROBI_GROUP) if t.startswith("From ")]
    assert len(posted) == len(season.received("nairobi")) == K
    for tag in season.received("nairobi"):
        letter = season.letters[tag]
        [row] = season.key(f"letter|letter:{letter.id}|chat:console:{NAIROBI_GROUP}|")
        assert row.created_at == PLAN["nairobi"].first
        assert [w for w, t in posted if BY_TAG[tag].text in t] == [row.sent_at]


def test_every_author_is_told_once_per_delivery(season: Season) -> None:
    places = {
        "chicago": "Chicago, United States",
        "nairobi": "Nairobi, Kenya",
        "paris2": "Paris, France",
    }
    told: Counter[str] = Counter()
    for delivery in season.deliveries:
        tag, key = season.tag(delivery.letter_id), season.circle_key(delivery.circle_id)
        author = season.letters[tag].author_id
        [row] = season.key(
            f"letter-read|letter:{delivery.letter_id}|person:{author}|circle:{delivery.circle_id}"
        )
        assert row.created_at == PLAN[key].first and row.status == OutboxStatus.SENT
        assert (
            places[key] in row.payload["text"] or places[key].split(",")[0] in (row.payload["text"])
        )  # in the author's language: Paris's authors read French
        told[BY_TAG[tag].author] += 1
    assert len(season.keys("letter-read|")) == len(season.deliveries) == 8
    for name in {w.author for w in LETTERS}:
        heard = [
            row
            for row in season.keys("letter-read|")
            if row.status == OutboxStatus.SENT and row.chat_id == name.casefold()
        ]
        assert len(heard) == told[name], name
    assert told["Carla"] == 2  # both her letters travelled, to two circles


def test_the_global_channel_gets_every_delivered_letter_once(season: Season) -> None:
    relayed = [(when, text) for when, text in season.sent_to(GLOBAL.chat_id) if "\n" in text]
    assert len(relayed) == len(season.deliveries) == 8
    for delivery in season.deliveries:
        tag, key = season.tag(delivery.letter_id), season.circle_key(delivery.circle_id)
        [row] = season.key(
            f"letter-relay|letter:{delivery.letter_id}|chat:console:global|circle:"
            f"{delivery.circle_id}"
        )
        assert row.created_at == PLAN[key].first
        [(when, text)] = [(w, t) for w, t in relayed if BY_TAG[tag].text in t]
        assert when == PLAN[key].first
        letter, circle = season.letters[tag], season.circles[key]
        assert text.startswith(f"From {letter.city}, ") and f" to {circle.city}, " in text
    assert len(season.keys("letter-relay|")) == 8
    # Undelivered letters never show up there.
    delivered = {season.tag(d.letter_id) for d in season.deliveries}
    for tag in set(season.letters) - delivered:
        assert not [t for _, t in season.sent_to(GLOBAL.chat_id) if BY_TAG[tag].text in t], tag
    # And on the Monday after each first meeting, a roll-up of that week's letters.
    rollups = [(w, t) for w, t in season.sent_to(GLOBAL.chat_id) if t.startswith("This week")]
    mondays = [at(11, 16, 12), at(12, 14, 12), at(12, 21, 12)]
    assert [w for w, _ in rollups] == mondays
    for (_, text), monday, key in zip(
        rollups, mondays, ("chicago", "nairobi", "paris2"), strict=True
    ):
        week = [d for d in season.deliveries if monday - timedelta(days=7) < d.matched_at < monday]
        origins = [season.letters[season.tag(d.letter_id)] for d in week]
        cities = {x.city for x in origins} | {season.circles[key].city}
        countries = {x.country_code for x in origins} | {season.circles[key].country_code}
        assert text.startswith(
            f"This week {len(week)} letters travelled between {len(cities)} cities in "
            f"{len(countries)} countries."
        ), text


def test_letters_not_approved_or_not_matched_stay_where_they_are(season: Season) -> None:
    delivered = {season.tag(d.letter_id) for d in season.deliveries}
    assert {"cody-1", "derek-2"} <= set(season.letters) - delivered
    assert season.letters["cody-1"].status == LetterStatus.REJECTED
    assert season.letters["derek-2"].status == LetterStatus.REVIEW
    for tag in set(season.letters) - delivered - {"cody-1", "derek-2"}:
        assert season.letters[tag].status == LetterStatus.POOLED, tag
        assert season.letters[tag].deliveries == 0, tag
    # Cody hears why his first letter was not approved.
    assert any("Please write it in your own words" in text for _, text in season.sent_to("cody"))
