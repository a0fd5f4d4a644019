"""/newcircle: in one line (`/newcircle name="..." zone=...`) or as a guided conversation.

Whatever the one-line form leaves out, the conversation asks for, one question at a time, with
validation at each step. The state is stored in the Conversation row, so it survives a restart.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.keywords import plain
from bot.chat.messages import Choice
from bot.circles import circles, editing, meetings, timezones
from bot.circles.circles import REQUIRED, CircleDraft, Field
from bot.dialogue import conversations
from bot.dialogue.context import Context
from bot.dialogue.registry import Args, State
from bot.network import courses
from bot.storage.models import Circle
from prompts import onboarding

FLOW = "newcircle"
# Known courses offered at the course question, at most.
MAX_COURSES_OFFERED = 5


@dataclass(frozen=True)
class Step:
    field: Field
    question: str  # msgid
    optional: bool = False


STEPS = (
    Step(Field.NAME, N_("What's the circle called? For example: Python for Everyone.")),
    Step(Field.COURSE, N_("Which online course will you take together? Just its title is fine.")),
    Step(Field.URL, N_("What's the course's web address? Send skip if there isn't one."), True),
    Step(
        Field.VENUE,
        N_(
            "Where will you meet? For example: Main Library, Room 2. Meeting online? Send the link."
        ),
    ),
    Step(Field.CITY, N_("Which city or town is that in?")),
    Step(Field.COUNTRY, N_("Which country? Two letters, like US, KE or DE.")),
    Step(Field.ZONE, N_("Which time zone? For example America/Detroit or Africa/Nairobi.")),
    Step(Field.START, N_("On what date is the first meeting? Write it as YYYY-MM-DD.")),
    Step(Field.TIME, N_("What time do you meet, in local time? For example 18:00.")),
    Step(Field.MEETINGS, N_("How many weekly meetings? Send skip for 6."), True),
)


# Phones type curly quotes; treat them as the straight double quote.
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
# `link=https://...`: a circle that meets online. Its link is kept as its venue (see
# bot/circles/editing.py), so `venue=online` beside it, or no venue, both mean online.
LINK = "link"
_ONLINE = N_("online")


def _online(tr: Translator, text: str) -> bool:
    return plain(text) in {plain(_ONLINE), plain(tr._(_ONLINE))}


def _parse_details(text: str, tr: Translator, now: datetime) -> dict[Field, str]:
    """`key=value` pairs (values may be in double quotes); bare words alone are the name."""
    text = text.translate(_QUOTES)
    if text.strip() and "=" not in text:
        return {Field.NAME: text.strip().replace('"', "")}
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.quotes = '"'  # an apostrophe, as in Women's Code Club, is just a letter
    try:
        tokens = list(lexer)
    except ValueError:
        raise UserError(
            N_('A quote is missing its pair. Put values with spaces in "double quotes".')
        ) from None
    values: dict[Field, str] = {}
    link: str | None = None
    for token in tokens:
        key, sep, value = token.partition("=")
        try:
            field = Field(key.strip().lower())
        except ValueError:
            field = None
        if sep and key.strip().lower() == LINK:
            link = value
            continue
        if not sep or field is None:
            raise UserError(
                N_(
                    "I don't understand “%(token)s”. Give details as key=value; "
                    "the keys are: %(keys)s."
                ),
                token=token,
                keys=", ".join([*(field.value for field in Field), LINK]),
            )
        values[field] = value
    if link is not None:
        values[Field.VENUE] = link  # online: the link is where the circle meets
    elif Field.VENUE in values and _online(tr, values[Field.VENUE]):
        raise UserError(N_("To meet online, give the meeting link too: link=https://..."))
    # In field order, so the zone is known when the start date is checked against "today".
    for field in Field:
        if field in values:
            try:
                _check(field, values[field], values, now)
            except UserError as error:
                raise UserError(
                    N_("%(field)s: %(problem)s"),
                    field=field.value,
                    problem=tr._(error.message, **error.params),
                ) from None
    return values


def _check(field: Field, raw: str, values: dict[Field, str], now: datetime) -> None:
    """Validate one answer; UserError says what is wrong."""
    if field is Field.VENUE and meetings.is_link(raw):
        editing.parse_link(raw)
        return
    if field is Field.ZONE:  # a zone's suggestions come from the circle's city and country
        timezones.resolve(raw, country=_country(values), city=values.get(Field.CITY))
        return
    parsed = circles.parse_field(field, raw)
    if field is Field.START and Field.ZONE in values:
        today = now.astimezone(ZoneInfo(timezones.resolve(values[Field.ZONE]))).date()
        if isinstance(parsed, date) and parsed < today:
            raise UserError(N_("The first meeting can't be in the past."))


def _country(values: dict[Field, str]) -> str | None:
    """The country's two letters, however it was typed ("USA", "Kenya")."""
    typed = values.get(Field.COUNTRY)
    return circles.parse_country(typed) if typed else None


def _values(raw: dict[Field, str]) -> dict[Field, object]:
    return {field: circles.parse_field(field, text) for field, text in raw.items()}


def _ready_text(tr: Translator, circle: Circle) -> str:
    first = meetings.local_instant(circle.start_date, circle.start_time, circle.timezone)
    when = {
        "circle": circle.name,
        "weekday": tr.weekday(first, circle.timezone),
        "time": tr.time(first, circle.timezone),
        "zone": tr.zone_name(first, circle.timezone),
        "date": tr.date(first, circle.timezone),
    }
    if meetings.is_link(circle.venue):
        summary = tr.ngettext(
            "Your circle %(circle)s is ready: %(n)d meeting, on %(date)s at %(time)s "
            "(%(zone)s), online at %(link)s",
            "Your circle %(circle)s is ready: %(n)d weekly meetings on %(weekday)s at "
            "%(time)s (%(zone)s), starting %(date)s, online at %(link)s",
            circle.meeting_count,
            link=circle.venue,
            **when,
        )
    else:
        summary = tr.ngettext(
            "Your circle %(circle)s is ready: %(n)d meeting, on %(date)s at %(time)s "
            "(%(zone)s), at %(venue)s, %(city)s.",
            "Your circle %(circle)s is ready: %(n)d weekly meetings on %(weekday)s at %(time)s "
            "(%(zone)s), starting %(date)s, at %(venue)s, %(city)s.",
            circle.meeting_count,
            venue=circle.venue,
            city=circle.city,
            **when,
        )
    code = tr._("Join code: %(code)s. Learners send /join %(code)s to join.", code=circle.join_code)
    return "\n\n".join([summary, code, tr._(onboarding.FACILITATOR_READY)])


async def _create(ctx: Context, raw: dict[Field, str]) -> None:
    draft = CircleDraft.from_fields(_values(raw), language=ctx.tr.locale)
    circle = await circles.create(ctx.session, ctx.now, ctx.rng, ctx.person, draft)
    await courses.link_circle(ctx.session, circle)  # what past circles on it learned reaches it
    conversations.finish(ctx.conversation, ctx.now)
    ctx.reply(_ready_text(ctx.tr, circle))


async def _ask(ctx: Context, step: Step, raw: dict[Field, str], problem: str | None = None) -> None:
    text = ctx.tr._(step.question)
    if problem:
        text = problem + "\n" + text
    choices: list[Choice] = []
    if step.field is Field.COURSE:
        # Courses other circles took, in the facilitator's language: one tap, and their link.
        known = await courses.known_courses(ctx.session, ctx.tr.locale, limit=MAX_COURSES_OFFERED)
        choices = [Choice(course.title, course.title) for course in known]
    if step.field is Field.ZONE and Field.COUNTRY in raw:
        zones = timezones.zones_for_country(_country(raw) or "")
        if len(zones) <= 5:
            choices = [Choice(zone, zone) for zone in zones]
    ctx.reply(text, choices)


def _next_step(raw: dict[Field, str], skipped: list[str]) -> Step | None:
    for step in STEPS:
        if step.field not in raw and step.field.value not in skipped:
            return step
    return None


async def _advance(ctx: Context, raw: dict[Field, str], skipped: list[str]) -> None:
    step = _next_step(raw, skipped)
    if step is None:
        try:
            await _create(ctx, raw)
            return
        except UserError as error:
            if ctx.conversation.flow != FLOW:
                raise
            # Most likely the first meeting is already past today: ask for date and time again.
            problem = ctx.tr._(error.message, **error.params)
            raw = {
                field: text for field, text in raw.items() if field not in (Field.START, Field.TIME)
            }
            step = _next_step(raw, skipped)
            assert step is not None
            _save(ctx, raw, skipped, step)
            await _ask(ctx, step, raw, problem)
            return
    _save(ctx, raw, skipped, step)
    await _ask(ctx, step, raw)


def _save(ctx: Context, raw: dict[Field, str], skipped: list[str], step: Step) -> None:
    data = {"values": {field.value: text for field, text in raw.items()}, "skipped": skipped}
    if ctx.conversation.flow == FLOW:
        conversations.move(ctx.conversation, step.field.value, data, ctx.now)
    else:
        conversations.begin(ctx.conversation, FLOW, data, ctx.now, step.field.value)


async def start(ctx: Context, args: Args) -> None:
    raw = _parse_details(str(args.get("details", "")), ctx.tr, ctx.now)
    if all(field in raw for field in REQUIRED):
        await _create(ctx, raw)
        return
    if not raw:
        ctx.reply(
            ctx.tr._(
                "Let's set up your circle. I'll ask a few questions; "
                "send /cancel at any time to stop."
            )
        )
    await _advance(ctx, raw, [])


async def answer(ctx: Context, text: str) -> None:
    """One answer in the guided conversation."""
    data = ctx.conversation.data
    raw = {Field(key): value for key, value in data.get("values", {}).items()}
    skipped = list(data.get("skipped", []))
    asking = conversations.state_of(ctx.conversation) or data.get("asking")
    step = next(step for step in STEPS if step.field.value == asking)
    if text.casefold() in {"skip", ctx.tr._("skip").casefold()}:  # "skip" or /skip
        if not step.optional:  # never taken as the answer ("skip" is no circle's name)
            await _ask(ctx, step, raw, ctx.tr._("The circle needs this one, so you can't skip it."))
            return
        skipped.append(step.field.value)
    elif step.field is Field.VENUE and _online(ctx.tr, text):
        await _ask(
            ctx, step, raw, ctx.tr._("Please send the meeting link, starting with https://.")
        )
        return
    else:
        try:
            _check(step.field, text, raw, ctx.now)
        except UserError as error:
            await _ask(ctx, step, raw, ctx.tr._(error.message, **error.params))
            return
        raw[step.field] = text
        if step.field is Field.COURSE and Field.URL not in raw:
            # A course other circles took brings its link: that question is not asked.
            known = await courses.known_courses(ctx.session, ctx.tr.locale, text, limit=1)
            if known and known[0].title == text and known[0].url:
                raw[Field.URL] = known[0].url
    await _advance(ctx, raw, skipped)


# The flow's states: one per question, named by its field. /skip is read as the answer: an
# optional question (the course link, the number of meetings) is skipped, a required one says
# it can't be and is asked again.
STATES = tuple(State(step.field.value, answer, skip=answer) for step in STEPS)
