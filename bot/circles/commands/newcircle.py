"""/newcircle: in one line (`/newcircle name="..." zone=...`) or as a guided conversation.

Whatever the one-line form leaves out, the conversation asks for, one question at a time, with
validation at each step. The state is stored in the Conversation row, so it survives a restart.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator, format_day
from bot.chat.keywords import (
    AGREE,
    NONE,
    YES,
    local_name,
    phrases,
    plain,
    slash_name,
    spellings,
)
from bot.chat.keywords import words as keyword_words
from bot.chat.messages import Choice
from bot.circles import circles, detail_keys, dialin, editing, erasure, meetings, timezones
from bot.circles.circles import REQUIRED, CircleDraft, Field
from bot.dialogue import confirmations, conversations, people
from bot.dialogue.context import Context
from bot.dialogue.registry import Args, State
from bot.dialogue.values import (
    date_example,
    dates_locale,
    evening_time,
    hour_alone,
    parse_time,
    read_count,
    read_date,
)
from bot.network import courses
from bot.rhythm.commands import answers
from bot.storage.models import FACILITATING, Circle, MeetingStatus
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
    Step(
        Field.START,
        N_(
            "On what date is the first meeting? For example %(example)s, or a weekday: %(weekday)s."
        ),
    ),
    Step(Field.TIME, N_("What time do you meet, in local time? For example 18:00.")),
    Step(Field.MEETINGS, N_("How many weekly meetings? Send skip for 6."), True),
    # Its invitation, reminders and SMS words are in it, and /find and letters go by it: often
    # not the language the facilitator reads the bot in. Skipped, it is hers.
    Step(
        Field.LANGUAGE,
        N_(
            "Which language does your circle speak? Its invitation, reminders and SMS words "
            "will be in it."
        ),
        True,
    ),
)


# Phones type curly quotes; treat them as the straight double quote.
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
# `link=https://...`: a circle that meets online. Its link is kept as its venue (see
# bot/circles/editing.py), so `venue=online` beside it, or no venue, both mean online.
LINK = "link"
# `dialin=NUMBER` beside the link: a phone number to join by, for learners on SMS. Kept in the
# conversation's data under this key until the circle is made.
DIALIN = "dialin"
_ONLINE = N_("online")
# Typed at any question of the guided conversation: ask the one before again.
_BACK = N_("back")
# Where the conversation keeps the zones an unclear answer was offered, or the date next year
# a passed day was read as, so "yes" takes the one.
_SUGGESTED = "suggested"
# Set once "online" was answered to "Where will you meet?": an answer without a link then is
# a circle online whose link comes later, never a sentence kept as the place learners go to.
_ONLINE_SAID = "online_said"
_LINK_TO_COME = N_("Online (link to come)")
# Translators: everyday ways of backing out of setting up a circle, typed as an answer to one
# of its questions ("never mind", "sitaki tena"); comma-separated, lower case.
BACK_OUT = N_(
    "never mind, nevermind, forget it, forget about it, stop it, i don't want it any more, "
    "i don't want it anymore, i give up, cancel"
)
# The state asking whether to stop a set-up with answers given (_backs_out).
_QUIT = "quit"
# A first meeting typed without its year that lands further ahead than this is most likely a
# slip ("12/3" on December 6 is a year away): asked about, not taken.
_FAR_AHEAD = timedelta(days=183)
# The state asking whether a circle just like one she runs already is meant (_twin).
_TWIN = "twin"
# The state asking whether a sentence's details told apart by their order were read right
# (_check), and where the conversation keeps those details' fields.
_CHECK = "check"
_GUESSED = "guessed"
# The city question of a circle that meets online: where its people are. Its letters say
# "from an online circle" (Letter.online), never the city; /find shows it first to people
# looking for a circle there (discovery.tier), and that is what the city is still for.
_ONLINE_CITY = N_(
    "Which city or town are most of you in? People looking for a circle there will find yours "
    "first."
)
# Translators: a piece of a one-line /newcircle that asks for the course of the facilitator's
# last circle ("/newcircle same course, same room, tuesdays"); comma-separated, in capitals.
SAME_COURSE = N_("SAME COURSE, THE SAME COURSE, SAME CLASS")
# Translators: a piece of a one-line /newcircle that asks for the place of the facilitator's
# last circle (its venue or link, town, country and time zone); comma-separated, in capitals.
SAME_VENUE = N_("SAME ROOM, SAME PLACE, SAME VENUE, SAME LOCATION, SAME LIBRARY, SAME LINK")
# Translators: a piece of a one-line /newcircle that asks for the meeting time of the
# facilitator's last circle; comma-separated, in capitals.
SAME_TIME = N_("SAME TIME, THE SAME TIME, SAME HOUR")
# Translators: an answer to one question of the guided /newcircle (the country, the time
# zone...) that asks for what the facilitator's last circle had; comma-separated, in capitals.
SAME_AS_LAST = N_("SAME AS LAST TIME, SAME AS BEFORE, AS LAST TIME, AS BEFORE, THE SAME, SAME")


class PassedDate(UserError):
    """A first meeting's day and month that have passed this year, read as next year's
    (`day`): more likely a slip than a circle a year away."""

    def __init__(self, day: date, tr: Translator) -> None:
        super().__init__(
            N_("%(typed)s has passed this year. Did you mean %(date)s? Send yes, or another date."),
            typed=format_day(day, "MMMMd", tr.locale),
            date=format_day(day, "full", tr.locale),
        )
        self.day = day


def _online(tr: Translator, text: str) -> bool:
    return plain(text) in {plain(_ONLINE), plain(tr._(_ONLINE))}


def _parse_details(
    text: str, tr: Translator, now: datetime, readers: Sequence[Translator] = ()
) -> tuple[dict[Field, str], timezones.UnclearZone | None, str | None]:
    """`key=value` pairs (values may be in double quotes), or `key: value` pieces separated by
    semicolons or lines, each key in any shipped language (detail_keys; `readers`: those
    languages, the reader's first), each value as read ("eastern" becomes America/Detroit,
    "8 décembre" 2026-12-08); bare words alone are the name. A zone that could be one of
    several is left out, and returned to be asked with its choices, rather than refusing the
    whole line. Last, the dial-in number (`dialin=`), if given."""
    text = text.translate(_QUOTES)
    readers = [tr, *readers]
    typed = _typed_pairs(text, readers)
    if typed is None:
        return {Field.NAME: text.strip().replace('"', "")}, None, None
    values: dict[Field, str] = {}
    link: str | None = None
    number: str | None = None
    for key, value in typed:
        known = detail_keys.key_of(key, readers) if value is not None else None
        if known == detail_keys.DIALIN:
            number = value
            continue
        if known == detail_keys.LINK:
            link = value
            continue
        if known is None or value is None:
            raise UserError(
                N_(
                    "I don't understand “%(token)s”. Give details as key=value; "
                    "the keys are: %(keys)s."
                ),
                token=key,
                keys=detail_keys.all_shown(tr),
            )
        values[Field(known)] = value
    if Field.URL in values and _skips(readers, values[Field.URL]):
        del values[Field.URL]  # "web: saltar", as the guided question says to send (C8)
    if link is not None and _skips(readers, link):
        link = None  # "enlace: saltar": no link at all, never the venue (dada 18)
    elif link is not None and _course_link_beside_place(tr, values, link):
        values[Field.URL], link = link, None
    if Field.WEEKDAY in values and Field.START not in values:
        # "día: 2027-01-29": a date where the weekday goes is the first meeting's (C8).
        try:
            circles.parse_weekday(values[Field.WEEKDAY])
        except UserError:
            if _a_date(values[Field.WEEKDAY], tr, now):
                values[Field.START] = values.pop(Field.WEEKDAY)
    if link is not None:
        values[Field.VENUE] = link  # online: the link is where the circle meets
    elif Field.VENUE in values and _online(tr, values[Field.VENUE]):
        raise UserError(N_("To meet online, give the meeting link too: link=https://..."))
    if number is not None:
        if not meetings.is_link(values.get(Field.VENUE, "")):
            raise UserError(
                N_("A number to call in is for a circle that meets online: add link=https://...")
            )
        number = dialin.parse(number)
    # In field order, so the zone is known when the start date is checked against "today".
    unclear = None
    # Every detail that can't be read, said at once: one per try would have her retype the
    # whole line for each.
    problems: list[UserError] = []
    for field in Field:
        if field in values:
            try:
                values[field] = _read(field, values[field], values, tr, now)
            except timezones.UnclearZone as error:
                unclear = error
                del values[field]
            except PassedDate as error:  # no "yes" to take in one line: the year is needed
                problems.append(
                    UserError(
                        N_(
                            "%(field)s: %(day)s has passed this year. For %(date)s, give the "
                            "year too."
                        ),
                        field=detail_keys.shown(tr, field.value),
                        day=format_day(error.day, "MMMMd", tr.locale),
                        date=format_day(error.day, "full", tr.locale),
                    )
                )
            except UserError as error:
                problem = tr._(error.message, **error.params)
                # A start date read in a zone that can't be read fails as the zone did: once.
                if all(problem != said.params.get("problem") for said in problems):
                    problems.append(
                        UserError(
                            N_("%(field)s: %(problem)s"),
                            field=detail_keys.shown(tr, field.value),
                            problem=problem,
                        )
                    )
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise UserError(
            N_("Please fix these, then send the whole line again:\n%(problems)s"),
            problems="\n".join(tr._(problem.message, **problem.params) for problem in problems),
        )
    return values, unclear, number


def _course_link_beside_place(tr: Translator, values: dict[Field, str], link: str) -> bool:
    """Whether a `link:` beside a place ("lugar: Biblioteca; enlace: https://edu...") is the
    course's: no course link given, and no meeting host's (a Zoom link still makes it online)."""
    venue = values.get(Field.VENUE)
    if venue is None or _online(tr, venue) or Field.URL in values:
        return False
    return not any(host in link.casefold() for host in _MEETING_HOSTS)


def _skips(readers: Sequence[Translator], text: str) -> bool:
    """Whether a value says there is none: skip in any shipped language ("saltar", "passer"),
    or a no ("no tiene", "keine": keywords.NONE)."""
    said = plain(text)
    return any(
        said in {"skip", plain(reader._("skip"))} or said in keyword_words(reader, NONE)
        for reader in readers
    )


def _a_date(text: str, tr: Translator, now: datetime) -> bool:
    """Whether `text` reads as a date (the first meeting's, typed where the weekday goes)."""
    try:
        read_date(text, dates_locale(tr.locale, None), now.date())
    except (UserError, ValueError):
        return False
    return True


def _typed_pairs(text: str, readers: Sequence[Translator]) -> list[tuple[str, str | None]] | None:
    """The (key, value) pairs of a one-line /newcircle as typed, a token without a key as
    (token, None); None for a name alone."""
    pieces = detail_keys.pairs(text, readers)
    if pieces is not None:
        return pieces
    if not text.strip() or "=" not in text:
        return None if text.strip() else []
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.quotes = '"'  # an apostrophe, as in Women's Code Club, is just a letter
    try:
        tokens = list(lexer)
    except ValueError:
        raise UserError(
            N_('A quote is missing its pair. Put values with spaces in "double quotes".')
        ) from None
    found: list[tuple[str, str | None]] = []
    for token in tokens:
        key, sep, value = token.partition("=")
        found.append((key, value) if sep else (token, None))
    return found


def _online_link(text: str) -> str | None:
    """The meeting link a venue answer gives ("meet.jit.si/dpl-python", "https://..."), with
    https:// added as for a course link; None for a place ("Main Library, Room 2")."""
    link = circles.link_in(text)
    if link is not None and (len(text.split()) == 1 or "://" in text):
        return link
    return None


def _read(field: Field, raw: str, values: dict[Field, str], tr: Translator, now: datetime) -> str:
    """One answer as it is kept (a date as 2026-12-08, a zone by its IANA name, a country by
    its code), so what the summary says is what is made; UserError says what is wrong."""
    link = _online_link(raw) if field is Field.VENUE else None
    if link is not None:
        return editing.parse_link(link)
    if field is Field.ZONE:  # "Eastern" means the zone of the circle's city and country
        return timezones.resolve(raw, country=_country(values), city=values.get(Field.CITY))
    if field is Field.START:
        today = _today(values, now)
        day, without_year = read_date(raw, dates_locale(tr.locale, _country(values)), today)
        if day < today:
            raise UserError(N_("The first meeting can't be in the past."))
        if without_year and day.year > today.year and day - today > _FAR_AHEAD:
            raise PassedDate(day, tr)
        return day.isoformat()
    if field is Field.LANGUAGE:
        return language_of(raw)
    if field is Field.TIME:  # "5:30" in Milwaukee is the evening's (en_US clocks say am/pm)
        # A bare hour answers "what time?" ("14" in Odense, "18" in Leipzig: D26).
        typed = hour_alone(raw) or parse_time(raw)
        return evening_time(raw, typed, dates_locale(tr.locale, _country(values))).strftime("%H:%M")
    parsed = circles.parse_field(field, raw)
    if field is Field.WEEKDAY:  # kept as typed: its number would read as no weekday
        return raw.strip()
    if isinstance(parsed, time):
        return parsed.strftime("%H:%M")
    return str(parsed)


def _today(values: dict[Field, str], now: datetime) -> date:
    """Today where the circle meets, once its zone is known."""
    zone = values.get(Field.ZONE)
    return now.astimezone(ZoneInfo(timezones.resolve(zone))).date() if zone else now.date()


def _country(values: dict[Field, str]) -> str | None:
    """The country's two letters, however it was typed ("USA", "Kenya")."""
    typed = values.get(Field.COUNTRY)
    return circles.parse_country(typed) if typed else None


def _values(raw: dict[Field, str]) -> dict[Field, object]:
    return {field: circles.parse_field(field, text) for field, text in raw.items()}


def _moved_start(tr: Translator, circle: Circle, asked: date) -> str | None:
    """What became of a start date that is not on the circle's weekday (its meetings begin on
    that weekday after it), said rather than done silently."""
    if asked == circle.start_date:
        return None
    zone = circle.timezone
    typed = meetings.local_instant(asked, circle.start_time, zone)
    first = meetings.local_instant(circle.start_date, circle.start_time, zone)
    return tr._(
        "%(asked)s is a %(asked_weekday)s. Your circle meets every %(weekday)s, so the first "
        "meeting is on %(date)s.",
        asked=format_day(asked, "MMMMd", tr.locale),
        asked_weekday=tr.weekday(typed, zone),
        weekday=tr.weekday(first, zone),
        date=tr.date(first, zone),
    )


def _holidays(tr: Translator, circle: Circle, season: list[datetime]) -> str:
    """A gentle word, with its leading line break, when meetings fall on days many libraries
    close: better moved now than after the learners were told."""
    zone = ZoneInfo(circle.timezone)
    on_holidays = [
        (number, start)
        for number, start in enumerate(season, start=1)
        if meetings.on_closed_day(start, circle.timezone)
    ]
    if not on_holidays:
        return ""
    # Worked out first: pybabel reads a call's strings as the message's, nested ones too.
    numbers = format_list([str(number) for number, _ in on_holidays], locale=tr.locale)
    days = [format_day(start.astimezone(zone), "MMMMd", tr.locale) for _, start in on_holidays]
    skip = slash_name(tr, "skipweek")
    first = on_holidays[0][0]
    # As many weeks as it takes: one week moves 24 December onto the 31st (C1, D1).
    weeks = meetings.weeks_past_closed_days(season[first - 1 :], circle.timezone)
    if meetings.is_link(circle.venue):
        # Online, no library closes: the holidays themselves are the reason (D1).
        return "\n" + _online_holidays(tr, on_holidays, days, skip, weeks)
    if weeks > 1:
        return "\n" + tr.ngettext(
            "Meeting %(numbers)s falls on %(dates)s, when many libraries are closed. "
            "/%(skip)s %(first)d %(weeks)d moves it and the ones after it %(weeks)d weeks "
            "later.",
            "Meetings %(numbers)s fall on %(dates)s, when many libraries are closed. "
            "/%(skip)s %(first)d %(weeks)d moves them and the ones after %(weeks)d weeks later.",
            len(on_holidays),
            numbers=numbers,
            dates=format_list(days, locale=tr.locale),
            skip=skip,
            first=first,
            weeks=weeks,
        )
    return "\n" + tr.ngettext(
        "Meeting %(numbers)s falls on %(dates)s, when many libraries are closed. "
        "/%(skip)s %(first)d moves it and the ones after it a week later.",
        "Meetings %(numbers)s fall on %(dates)s, when many libraries are closed. "
        "/%(skip)s %(first)d moves them and the ones after a week later.",
        len(on_holidays),
        numbers=numbers,
        dates=format_list(days, locale=tr.locale),
        skip=skip,
        first=on_holidays[0][0],
    )


def _online_holidays(
    tr: Translator, on_holidays: list[tuple[int, datetime]], days: list[str], skip: str, weeks: int
) -> str:
    """_holidays' word for a circle that meets online: the days are holidays, not days a
    library is closed."""
    numbers = format_list([str(number) for number, _ in on_holidays], locale=tr.locale)
    dates = format_list(days, locale=tr.locale)
    first = on_holidays[0][0]
    if weeks > 1:
        return tr.ngettext(
            "Meeting %(numbers)s falls on %(dates)s, a holiday when many people have other "
            "plans. /%(skip)s %(first)d %(weeks)d moves it and the ones after it %(weeks)d "
            "weeks later.",
            "Meetings %(numbers)s fall on %(dates)s, holidays when many people have other "
            "plans. /%(skip)s %(first)d %(weeks)d moves them and the ones after %(weeks)d "
            "weeks later.",
            len(on_holidays),
            numbers=numbers,
            dates=dates,
            skip=skip,
            first=first,
            weeks=weeks,
        )
    return tr.ngettext(
        "Meeting %(numbers)s falls on %(dates)s, a holiday when many people have other plans. "
        "/%(skip)s %(first)d moves it and the ones after it a week later.",
        "Meetings %(numbers)s fall on %(dates)s, holidays when many people have other plans. "
        "/%(skip)s %(first)d moves them and the ones after a week later.",
        len(on_holidays),
        numbers=numbers,
        dates=dates,
        skip=skip,
        first=first,
    )


def _season_zone(tr: Translator, season: list[datetime], zone: str) -> str:
    """The clocks' name at the first meeting, as its invitation names them ("CEST"), and the
    one they change to, if they do before the last ("CEST, then CET"): a name for every
    season, "Centraleuropæisk tid", read as the winter's beside a summer date (dada 3)."""
    names = list(dict.fromkeys(tr.zone_name(start, zone) for start in season))
    if len(names) < 2:
        return names[0] if names else zone
    return tr._("%(first)s, then %(later)s", first=names[0], later=names[1])


def _course_said(tr: Translator, circle: Circle) -> str:
    """The course as kept, with its link, and how to change it: the invitation says "we take
    the online course ... together", so a sentence kept as its title is caught here (fac 1)."""
    change = {"edit": local_name(tr, "edit"), "word": tr._(N_("course"))}
    if circle.course_url:
        return tr._(
            "The course: %(course)s, %(url)s. To change it: /%(edit)s %(word)s",
            course=circle.course_title,
            url=circle.course_url,
            **change,
        )
    return tr._(
        "The course: %(course)s. To change it: /%(edit)s %(word)s",
        course=circle.course_title,
        **change,
    )


def _ready_text(tr: Translator, circle: Circle, asked: date | None = None) -> str:
    """The circle as made; `asked`: the start date given, when the weekday given moved it."""
    first = meetings.local_instant(circle.start_date, circle.start_time, circle.timezone)
    season = [meetings.planned_start(circle, n) for n in range(1, circle.meeting_count + 1)]
    when = {
        "circle": circle.name,
        "weekday": tr.weekday(first, circle.timezone),
        "time": tr.time(first, circle.timezone),
        "zone": _season_zone(tr, season, circle.timezone),
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
    summary += "\n" + _course_said(tr, circle)
    moved = _moved_start(tr, circle, asked) if asked is not None else None
    if moved is not None:
        summary = summary + "\n" + moved
    summary += _holidays(tr, circle, season)
    if meetings.is_link(circle.venue) and not circle.dialin:
        # Learners on SMS can't open the link: say how they can still take part.
        summary += "\n" + tr._(
            "Learners on basic phones can't open a link. If your meeting has a number to call "
            "in, add it: /edit dialin NUMBER"
        )
    elif circle.dialin:
        summary += "\n" + tr._("Or call %(number)s to join by phone.", number=circle.dialin)
    if circle.language != tr.locale:
        # Chosen at the last question, often by a number: seen here, a slip can be put right.
        summary += "\n" + tr._(
            "Its invitation, reminders and SMS words will be in %(language)s. To change that: "
            "/%(edit)s %(word)s",
            language=Locale.parse(circle.language).get_display_name(tr.locale) or circle.language,
            edit=local_name(tr, "edit"),
            word=tr._(N_("language")),
        )
    code = tr._("Join code: %(code)s. Learners send /join %(code)s to join.", code=circle.join_code)
    # New circles are private (joined by code only): a library usually wants to be found.
    listing = (
        # Online, "nearby" means nothing: anyone can join from anywhere (D1).
        tr._(
            "Only people with the code can join. To let anyone find your circle with "
            "/%(find)s, send /%(listing)s %(on)s.",
            find=slash_name(tr, "find"),
            listing=slash_name(tr, "listing"),
            on=tr._(N_("on")),
        )
        if meetings.is_link(circle.venue)
        else tr._(
            "Only people with the code can join. To let anyone nearby find your circle with "
            "/%(find)s, send /%(listing)s %(on)s.",
            find=slash_name(tr, "find"),  # as /help and every reply spell it ("/soeg")
            listing=slash_name(tr, "listing"),
            on=tr._(N_("on")),
        )
    )
    return "\n\n".join([summary, code + " " + listing, tr._(onboarding.FACILITATOR_READY)])


async def _create(
    ctx: Context, raw: dict[Field, str], number: str | None = None, twin_asked: bool = False
) -> None:
    """Make the circle; `number`: its dial-in, else the one the conversation keeps. One just
    like a circle she runs already is asked about first, unless `twin_asked`."""
    if number is None and ctx.conversation.flow == FLOW:
        number = ctx.conversation.data.get(DIALIN)
    draft = CircleDraft.from_fields(_values(raw), language=ctx.tr.locale)
    twin = None if twin_asked else await _twin(ctx, draft)
    if twin is not None:
        data: dict[str, object] = {"values": {field.value: text for field, text in raw.items()}}
        if number:
            data[DIALIN] = number
        if ctx.conversation.flow == FLOW:
            conversations.move(ctx.conversation, _TWIN, data, ctx.now)
        else:
            conversations.begin(ctx.conversation, FLOW, data, ctx.now, _TWIN)
        ctx.reply(
            ctx.tr._(
                "You already run %(circle)s (join code %(code)s), with its first meeting at "
                "that same time. Make a second circle just like it?",
                circle=twin.name,
                code=twin.join_code,
            ),
            choices=confirmations.choices(ctx.tr),
        )
        return
    if _her_name_unknown(ctx):
        _ask_her_name(ctx, raw, number)
        return
    circle = await circles.create(ctx.session, ctx.now, ctx.rng, ctx.person, draft)
    if ctx.person.locale is None and circle.language != ctx.tr.locale:
        # The circle's language is the learners': her own stays the one she reads now (else
        # the circle's would become hers, as the language of a person with none chosen).
        ctx.person.locale = ctx.tr.locale
        ctx.session.add(ctx.person)
    if number and meetings.is_link(circle.venue):
        circle.dialin = number
        ctx.session.add(circle)
    await courses.link_circle(ctx.session, circle)  # what past circles on it learned reaches it
    conversations.finish(ctx.conversation, ctx.now)
    ctx.reply(_ready_text(ctx.tr, circle, draft.start_date) + await _overlap(ctx, circle))


async def _overlap(ctx: Context, circle: Circle) -> str:
    """A word, with its leading break, when a meeting of the new circle overlaps one of
    another circle she runs: she can't be at both."""
    assert circle.id is not None
    mine = [
        m
        for m in await meetings.schedule(ctx.session, circle.id)
        if m.status != MeetingStatus.CANCELLED
    ]
    for membership, other in ctx.memberships:
        if membership.role not in FACILITATING or other.id in (None, circle.id):
            continue
        assert other.id is not None
        for theirs in await meetings.schedule(ctx.session, other.id):
            if theirs.status == MeetingStatus.CANCELLED or theirs.ends_at <= ctx.now:
                continue
            clash = next(
                (m for m in mine if m.starts_at < theirs.ends_at and theirs.starts_at < m.ends_at),
                None,
            )
            if clash is not None:
                return "\n\n" + ctx.tr._(
                    "Note: %(other)s, which you also run, meets at the same time: its meeting "
                    "%(number)d is %(when)s.",
                    other=other.name,
                    number=theirs.number,
                    when=ctx.tr.when(theirs.starts_at, other.timezone),
                )
    return ""


async def _twin(ctx: Context, draft: CircleDraft) -> Circle | None:
    """A circle she runs, not yet over, with the same name and its first meeting at the same
    time: the same /newcircle sent twice is likelier than two such circles."""
    try:
        zone = timezones.resolve(draft.timezone)
    except UserError:
        return None  # circles.create says what is wrong
    weekday = draft.start_date.weekday() if draft.weekday is None else draft.weekday
    day = meetings.first_meeting_date(draft.start_date, weekday)
    first = meetings.local_instant(day, draft.start_time, zone)
    for membership, circle in ctx.memberships:
        if (
            membership.role in FACILITATING
            and circle.id is not None
            and plain(circle.name) == plain(draft.name)
            and meetings.planned_start(circle, 1) == first
            and not await meetings.is_over(ctx.session, circle.id, ctx.now)
        ):
            return circle
    return None


async def twin_answer(ctx: Context, text: str) -> None:
    """The answer to "Make a second circle just like it?"."""
    said = confirmations.read(ctx.tr, text)
    if said is None:
        ctx.reply(ctx.tr._("Please answer yes or no."), choices=confirmations.choices(ctx.tr))
        return
    data = ctx.conversation.data
    if not said:
        conversations.finish(ctx.conversation, ctx.now)
        ctx.reply(ctx.tr._("OK, I haven't made another circle."))
        return
    raw = {Field(key): value for key, value in data.get("values", {}).items()}
    try:
        await _create(ctx, raw, data.get(DIALIN), twin_asked=True)
    except UserError:
        conversations.finish(ctx.conversation, ctx.now)  # a first meeting passed meanwhile
        raise


# A facilitator who texts has no name the bot knows (SMS gives none): asked last, before the
# circle is made, so that no invitation or reply names her "Circle member" (sms 1).
_HER_NAME = "her-name"
HER_NAME_QUESTION = N_(
    "Last question: what's your name? Learners will see it when you write to them."
)


def _her_name_unknown(ctx: Context) -> bool:
    return ctx.by_text and erasure.nameless(ctx.person.display_name, ctx.catalogs)


def _ask_her_name(ctx: Context, raw: dict[Field, str], number: str | None) -> None:
    data: dict[str, object] = {"values": {field.value: text for field, text in raw.items()}}
    if number:
        data[DIALIN] = number
    if ctx.conversation.flow == FLOW:
        conversations.move(ctx.conversation, _HER_NAME, data, ctx.now)
    else:
        conversations.begin(ctx.conversation, FLOW, data, ctx.now, _HER_NAME)
    ctx.reply(ctx.tr._(HER_NAME_QUESTION))


async def made_after_name(ctx: Context) -> None:
    """After NAME (/name) while HER_NAME_QUESTION waits: that was its answer, and the circle
    is made."""
    if ctx.conversation.flow == FLOW and conversations.state_of(ctx.conversation) == _HER_NAME:
        await _made(ctx)


async def her_name_answer(ctx: Context, text: str) -> None:
    """The answer to HER_NAME_QUESTION ("Atieno", "my name is Atieno"): she is called so, and
    the circle is made. A sentence is asked again."""
    name = people.name_case(people.clean_name(people.name_in(ctx.catalogs, text), ""))
    if not name or len(name.split()) > answers.MOST_NAME_WORDS or name.endswith("?"):
        ctx.reply(ctx.tr._(answers.JUST_THE_NAME) + "\n" + ctx.tr._(HER_NAME_QUESTION))
        return
    ctx.person.display_name = name
    ctx.session.add(ctx.person)
    await _made(ctx)


async def _made(ctx: Context) -> None:
    """The circle of the answers kept, made once her name is known."""
    data = ctx.conversation.data
    raw = {Field(key): value for key, value in data.get("values", {}).items()}
    try:
        await _create(ctx, raw, data.get(DIALIN), twin_asked=True)
    except UserError:
        conversations.finish(ctx.conversation, ctx.now)  # a first meeting passed meanwhile
        raise


def _question(tr: Translator, step: Step, raw: dict[Field, str], now: datetime) -> str:
    if step.field is Field.START:  # an example in the reader's own way of writing dates
        today = _today(raw, now)
        return tr._(
            step.question,
            example=date_example(dates_locale(tr.locale, _country(raw)), today),
            weekday=format_date(today + timedelta(days=2), "EEEE", locale=tr.locale),
        )
    if step.field is Field.CITY and meetings.is_link(raw.get(Field.VENUE, "")):
        return tr._(_ONLINE_CITY)
    if step.field is Field.ZONE and _country(raw):
        # An example from the circle's own place (CDMX: America/Mexico_City), not Chicago's.
        place_zones = timezones.zones_for_country(_country(raw) or "")
        example = timezones.zone_of_city(_country(raw), raw.get(Field.CITY)) or next(
            iter(place_zones), None
        )
        if example:
            return tr._(_ZONE_QUESTION_FOR_PLACE, zone=example)
    return tr._(step.question)


_ZONE_QUESTION_FOR_PLACE = N_("Which time zone? For example %(zone)s.")


def _language_choices() -> list[Choice]:
    """The bot's languages by their own names, in one order for every reader: a facilitator
    who remembers "6 for Kiswahili" gets Kiswahili in any language (sms 41)."""
    return [
        Choice(Locale.parse(code).get_display_name(code) or code, code)
        for code in sorted(circles.WEEKDAY_LANGUAGES)
    ]


def language_of(text: str) -> str:
    """A language the bot speaks, by its code or its name in any of them ("Kiswahili",
    "swahili", "suajili"); else read as a code (UserError when it is none)."""
    typed = plain(text)
    for code in circles.WEEKDAY_LANGUAGES:
        names = {code} | {
            plain(Locale.parse(code).get_display_name(reader) or "")
            for reader in circles.WEEKDAY_LANGUAGES
        }
        if typed in names:
            return code
    return circles.parse_language(text)


async def _ask(
    ctx: Context,
    step: Step,
    raw: dict[Field, str],
    problem: str | None = None,
    zones: list[str] | None = None,
) -> None:
    """Ask `step`'s question, after what went wrong with the last answer (`problem`); `zones`:
    the time zones an unclear answer could mean, offered to pick by number or tap."""
    text = _question(ctx.tr, step, raw, ctx.now)
    if problem and zones:
        # "... covers several time zones. Which one is yours?" asks already: the zones
        # follow as choices, without the general question and its examples between.
        text = problem
    elif problem:
        text = problem + "\n" + text
    choices: list[Choice] = []
    if step.field is Field.COURSE:
        titles = await _courses_offered(ctx)
        choices = [Choice(title, title) for title in titles]
        if titles:
            # The list is what she took before, not all there is (dede 12: "Antworte mit 1"
            # read as the only answer allowed).
            question = ctx.tr._(_COURSE_QUESTION_WITH_CHOICES)
            text = f"{problem}\n{question}" if problem else question
    if step.field is Field.LANGUAGE:
        choices = _language_choices()
    if step.field is Field.COUNTRY:
        choices = _countries_of_city(ctx, raw.get(Field.CITY, ""))
    if step.field is Field.ZONE and zones:
        choices = [Choice(zone, zone) for zone in zones]
    elif step.field is Field.ZONE and Field.COUNTRY in raw:
        country_zones = timezones.zones_for_country(_country(raw) or "")
        # The city's own zone first (CDMX, Montréal): one tap in a country of many zones.
        city_zone = timezones.zone_of_city(_country(raw), raw.get(Field.CITY))
        offered = country_zones if len(country_zones) <= 5 else [city_zone] if city_zone else []
        # The zone of her circles there first: Oakland has no zone of its own name (fac 13).
        hers = [
            circle.timezone
            for circle in _her_last(ctx, raw)
            if circle.country_code == _country(raw) and circle.timezone
        ]
        choices = [Choice(zone, zone) for zone in dict.fromkeys([*hers, *offered])]
    ctx.reply(text, choices)


_COURSE_QUESTION_WITH_CHOICES = N_(
    "Which online course will you take together? Pick one below, or write a new title."
)


def _her_courses(ctx: Context) -> dict[str, tuple[str, str | None]]:
    """The courses of her circles, latest circle first, whatever their language (Mads' circle
    speaks English though he reads Danish): plain title -> (title, web address)."""
    ran = sorted(
        (circle for _, circle in ctx.memberships),
        key=lambda circle: (circle.created_at, circle.id or 0),
        reverse=True,
    )
    found: dict[str, tuple[str, str | None]] = {}
    for circle in ran:
        known = found.get(plain(circle.course_title))
        if circle.course_title and (known is None or (known[1] is None and circle.course_url)):
            found[plain(circle.course_title)] = (circle.course_title, circle.course_url)
    return found


async def _courses_offered(ctx: Context) -> list[str]:
    """The course titles offered at the course question, in an order that stays put from one
    /newcircle to the next (a "2" typed from habit picked another course once others' counts
    changed): her own first, latest circle first, then others' in her language by title."""
    own = _her_courses(ctx)
    known = await courses.known_courses(ctx.session, ctx.tr.locale, limit=MAX_COURSES_OFFERED)
    others = sorted(
        (course.title for course in known if plain(course.title) not in own), key=str.casefold
    )
    return [title for title, _ in own.values()][:MAX_COURSES_OFFERED] + others[
        : max(0, MAX_COURSES_OFFERED - len(own))
    ]


async def _known_link(ctx: Context, title: str) -> str | None:
    """The web address a course already known by this title has: hers first (in whatever
    language her circle speaks), else one other circles took in her language."""
    own = _her_courses(ctx).get(plain(title))
    if own is not None and own[1]:
        return own[1]
    known = await courses.known_courses(ctx.session, ctx.tr.locale, title, limit=20)
    return next(
        (course.url for course in known if course.url and plain(course.title) == plain(title)),
        None,
    )


def _countries_of_city(ctx: Context, city: str) -> list[Choice]:
    """The country of the person's other circles in this city, one tap away: someone making a
    second circle in Nairobi is not asked to spell out KE again."""
    codes = dict.fromkeys(
        circle.country_code
        for _, circle in ctx.memberships
        if city and plain(circle.city) == plain(city) and circle.country_code
    )
    names = Locale.parse(ctx.tr.locale).territories
    return [Choice(names.get(code, code), code) for code in codes]


def _next_step(raw: dict[Field, str], skipped: list[str]) -> Step | None:
    for step in STEPS:
        if step.field not in raw and step.field.value not in skipped:
            return step
    return None


async def _advance(
    ctx: Context,
    raw: dict[Field, str],
    skipped: list[str],
    answered: list[list[str]],
    note: str | None = None,
    unclear: timezones.UnclearZone | None = None,
) -> None:
    """Ask the next question (after `note`, what the last answer was read as), or make the
    circle when none is left."""
    zone = timezones.one_clock(_country(raw) or "") if Field.ZONE not in raw else None
    if zone is not None and unclear is None:
        # A country whose clocks all agree (DK, DE, KE): its zone is set, not asked.
        raw[Field.ZONE] = zone
        if answered and Field.COUNTRY.value in answered[-1]:
            answered[-1].append(Field.ZONE.value)  # back undoes both
        told = ctx.tr._("Time zone: %(zone)s.", zone=zone)
        note = f"{note}\n{told}" if note else told
    step = _next_step(raw, skipped)
    if step is not None and step.field is Field.URL and Field.COURSE in raw:
        # A course she or other circles took brings its link: that question is not asked,
        # whether its title was typed in the line or answered (fac 21).
        link = await _known_link(ctx, raw[Field.COURSE])
        if link is not None:
            raw[Field.URL] = link
            if answered and Field.COURSE.value in answered[-1]:
                answered[-1].append(Field.URL.value)  # back undoes both
            step = _next_step(raw, skipped)
    if step is None:
        try:
            await _create(ctx, raw)
            return
        except UserError as error:
            if ctx.conversation.flow != FLOW:
                raise
            # Most likely the first meeting is already past today: ask for date and time again.
            note = ctx.tr._(error.message, **error.params)
            raw = {
                field: text for field, text in raw.items() if field not in (Field.START, Field.TIME)
            }
            answered = [a for a in answered if not {"start", "time"} & set(a)]
            step = _next_step(raw, skipped)
            assert step is not None
    if unclear is not None and step.field is Field.ZONE:  # from the one-line form
        note = ctx.tr._(
            N_("%(field)s: %(problem)s"),
            field=Field.ZONE.value,
            problem=ctx.tr._(unclear.message, **unclear.params),
        )
    zones = unclear.zones if unclear is not None and step.field is Field.ZONE else None
    _save(ctx, raw, skipped, answered, step, zones)
    await _ask(ctx, step, raw, note, zones)


def _save(
    ctx: Context,
    raw: dict[Field, str],
    skipped: list[str],
    answered: list[list[str]],
    step: Step,
    suggested: list[str] | None = None,
) -> None:
    data: dict[str, object] = {
        "values": {field.value: text for field, text in raw.items()},
        "skipped": skipped,
        "answered": answered,
    }
    if suggested:
        data[_SUGGESTED] = suggested
    if step.field is Field.COURSE:
        # "Excel" is a new course's title, not a pick of "Excel básico de GCFGlobal" offered.
        data[conversations.WHOLE_LABELS] = True
    if ctx.conversation.flow == FLOW and ctx.conversation.data.get(DIALIN):
        data[DIALIN] = ctx.conversation.data[DIALIN]
    if ctx.conversation.flow == FLOW:
        conversations.move(ctx.conversation, step.field.value, data, ctx.now)
    else:
        conversations.begin(ctx.conversation, FLOW, data, ctx.now, step.field.value)


# Words that join the details of a sentence and name none ("starting January 12", "ab 2.2.",
# "kuanzia", "every Tuesday"): left over, they don't make a piece unread.
_JOINING_WORDS = {
    plain(word)
    for word in "starting start from beginning on at every each for until in via and online "
    "ab jeden jeder immer um und von kuanzia tangu kila saa na siku desde cada los las el a "
    "partir de du le les tous chaque à fra hver om og".split()
}


@dataclass
class ReadSentence:
    """What a one-line /newcircle in plain words gave: the details read, as the guided
    conversation keeps them, and the pieces that could not be read, as typed."""

    raw: dict[Field, str]
    unread: list[str]
    # Details told apart only by where they stood ("Python for Everybody, Main Library,
    # Detroit" without the word course): asked about before anything is made (fac 23).
    guessed: list[Field]


def _weekday_in(word: str) -> str | None:
    """A weekday word as parse_weekday takes it: "Tuesdays", "dienstags", "tirsdage" too; not
    two capitals, a state's code ("Detroit MI" is no Mittwoch)."""
    if len(word) == 2 and word.isupper():
        return None
    for candidate in (word, word[:-1], word.rstrip("s")):
        try:
            circles.parse_weekday(candidate)
        except UserError:
            continue
        return candidate
    return None


def _spans(used: list[bool], longest: int) -> list[tuple[int, int]]:
    """(begin, end) of every run of unused words, the longest first."""
    found = []
    for length in range(min(longest, len(used)), 0, -1):
        for begin in range(len(used) - length + 1):
            if not any(used[begin : begin + length]):
                found.append((begin, begin + length))
    return found


def _read_when(piece: str, tr: Translator, now: datetime) -> dict[Field, str] | None:
    """A piece saying when: "Tuesdays 7pm starting January 12", "Jumamosi saa nne asubuhi",
    "wiki 6", "ab 2.2.2027 dienstags 18:30"; None unless every word of it was read."""
    count = read_count(piece)
    if count is not None and not piece.strip().isdecimal():
        return {Field.MEETINGS: str(count)}
    words = piece.split()
    used = [False] * len(words)
    found: dict[Field, str] = {}
    for i, word in enumerate(words):
        weekday = _weekday_in(word.strip(".,"))
        if weekday is not None and Field.WEEKDAY not in found:
            found[Field.WEEKDAY], used[i] = weekday, True
    for begin, end in _spans(used, 6):  # "saa kumi na mbili jioni", "half past six pm"
        if Field.TIME not in found and not any(used[begin:end]):
            try:
                read = parse_time(" ".join(words[begin:end]))
            except UserError:
                continue
            found[Field.TIME] = read.strftime("%H:%M")
            used[begin:end] = [True] * (end - begin)
    for begin, end in _spans(used, 3):  # "for 6 weeks" beside the day and time
        span = " ".join(words[begin:end])
        count = read_count(span) if Field.MEETINGS not in found else None
        if count is not None and not any(used[begin:end]) and end - begin > 1:
            found[Field.MEETINGS] = str(count)
            used[begin:end] = [True] * (end - begin)
    for begin, end in _spans(used, 4):
        span = " ".join(words[begin:end])
        if Field.START in found or any(used[begin:end]) or not any(c.isdigit() for c in span):
            continue
        try:
            read_date(span, dates_locale(tr.locale, None), now.date())
        except UserError:
            continue
        found[Field.START] = span
        used[begin:end] = [True] * (end - begin)
    left = [w for w, was in zip(words, used, strict=True) if not was]
    if not found or any(plain(word) not in _JOINING_WORDS for word in left):
        return None
    return found


# Words between a "when" and a place that belong to neither: "à la", "at the", "in der".
_PLACE_LEAD = {
    plain(word)
    for word in "at the in à a au aux la le les l' en el im in der die das i på kwenye "
    "katika".split()
}


def _when_and_place(
    piece: str, tr: Translator, now: datetime
) -> tuple[dict[Field, str] | None, str]:
    """A piece saying when and where at once ("les samedis à 10h à la bibliothèque de Dakar",
    "Bücherhalle Nord mittwochs 18 Uhr"): what its first or last words say of when, and the
    rest as the place, without the little words that led to it; (None, piece) if none."""
    words = piece.split()
    for length in range(len(words) - 1, 0, -1):
        for when_words, rest in (
            (words[:length], words[length:]),
            (words[len(words) - length :], words[: len(words) - length]),
        ):
            if all(plain(word) in _AT_WORDS | _PLACE_LEAD for word in when_words):
                continue  # "en la Biblioteca": "en" is one in Danish, not one meeting
            when = _read_when(" ".join(when_words), tr, now)
            if when is None:
                continue
            while len(rest) > 1 and plain(rest[0]) in _PLACE_LEAD:
                rest = rest[1:]
            while len(rest) > 1 and plain(rest[-1]) in _JOINING_WORDS | _PLACE_LEAD:
                rest = rest[:-1]
            # "tuesdays 6:30pm at Main Library starting Jan 12": when on both sides (fac 23).
            more, place = _when_and_place(" ".join(rest), tr, now)
            if more is not None and not set(more) & set(when):
                return {**when, **more}, place
            return when, " ".join(rest)
    return None, piece


# A piece of a one-line /newcircle that starts with one of these names the course ("cours
# Entreprendre en Afrique", "curso de Excel básico", "kozi ya Python"): never the place.
_COURSE_WORDS = {plain(word) for word in "course cours curso kurs kurset kozi kursus".split()}
# Little words between the course word and its title ("curso de Excel", "kozi ya Python").
_COURSE_LEAD = {plain(word) for word in "de d' del du von om ya about on".split()}
# A piece that starts with one of these says where ("à la Bibliothèque municipale de Dakar",
# "at the Main Library", "katika maktaba ya Kisumu", "på biblioteket"): the place, without them.
_AT_WORDS = {plain(word) for word in "at à au aux en in im bei katika kwenye på i hos ved".split()}


# Words around a course's title in a sentence naming it ("it's the ... course", "c'est le
# cours ...", "es el curso ...", "das ist der Kurs ...", "det er kurset ...", "ni kozi ya ..."):
# dropped only beside a course word, so "It Essentials" and "The Art of Learning" stay whole.
_COURSE_FILLER = {
    plain(word)
    for word in "it's it is this that c'est es ist das det er ni the a an le la les un une el "
    "los las der die den ein eine et".split()
}
_QUOTED = re.compile(r'"\s*([^"]+?)\s*"')


def course_title(text: str) -> str:
    """The title in an answer naming a course: what is in quotes ('Det er kurset "Kom godt i
    gang med computeren"'), else the words without those around them ("its the python for
    everybody course": "python for everybody"); the answer itself when it is the title."""
    quoted = _QUOTED.search(text.translate(_QUOTES))
    if quoted:
        return quoted[1]
    words = text.split()
    lead = 0
    while lead < len(words) - 1 and plain(words[lead]) in _COURSE_FILLER:
        lead += 1
    named = _labelled_course(" ".join(words[lead:]))
    if named and (lead or not words[lead][:1].isupper()):
        return named  # "le cours Entreprendre...", not a title that begins "Kurs"
    if lead and len(words) - lead > 1 and plain(words[-1]) in _COURSE_WORDS:
        return " ".join(words[lead:-1])  # "the Python for Everybody course"
    return text.strip()


def _labelled_course(piece: str) -> str | None:
    """The title of a piece that starts with a course word ("cours Entreprendre en Afrique":
    "Entreprendre en Afrique"), "" for the word alone; None for any other piece."""
    words = piece.split()
    if not words or plain(words[0].rstrip(":")) not in _COURSE_WORDS:
        return None
    words = words[1:]
    if len(words) > 1 and plain(words[0]) in _COURSE_LEAD:
        words = words[1:]
    return " ".join(words).strip(" :")


def _without_at(piece: str) -> str:
    """A place said with the words that lead to it ("à la Bibliothèque de Dakar"): the place
    alone ("Bibliothèque de Dakar"). Its own article stays when nothing led to it."""
    words = piece.split()
    if len(words) < 2 or plain(words[0]) not in _AT_WORDS:
        return piece
    words = words[1:]
    while len(words) > 1 and plain(words[0]) in _PLACE_LEAD | {"den", "dem"}:
        words = words[1:]
    return " ".join(words)


def _city_ending(place: str) -> str | None:
    """The known city a place's name ends with ("Bibliothèque municipale de Dakar": Dakar),
    so its town is not asked; None when it ends with none."""
    words = place.split()
    for n in (3, 2, 1):
        if len(words) > n and timezones.zone_of_city(None, " ".join(words[-n:])):
            return " ".join(words[-n:])
    return None


def _named_detail(piece: str, raw: dict[Field, str]) -> Field | None:
    """The detail a piece of words names by itself: a country ("DE", "Kenya"), the circle's
    language ("Deutsch"), a city the time zones know ("Detroit", "Detroit MI"); None for
    words that could be a course, a place or a town."""
    for known, reader in ((Field.COUNTRY, circles.parse_country), (Field.LANGUAGE, language_of)):
        if known in raw:
            continue
        try:
            reader(piece)
        except UserError:
            continue
        return known
    words = piece.split()
    if len(words) > 1 and len(words[-1]) == 2 and words[-1].isupper():  # "Detroit MI"
        words = words[:-1]
    if Field.CITY not in raw and timezones.zone_of_city(None, " ".join(words).strip(",")):
        return Field.CITY
    return None


# Words that begin a when ("every full moon", "starting soon"), never a place or a course.
_WHEN_LEAD = {
    plain(word)
    for word in "every each starting until jeden jeder jede chaque tous toutes cada desde "
    "hasta kila kuanzia tangu hver fra ab bis".split()
}
# Where meetings are held online: a link to one of these is a meeting's, never a course's.
_MEETING_HOSTS = ("zoom.", "meet.", "teams.", "webex.", "whereby.", "jit.si", "skype.", "gotomeet")


def _meeting_link(typed: dict[Field, str]) -> bool:
    venue = typed.get(Field.VENUE, "").casefold()
    return any(host in venue for host in _MEETING_HOSTS)


def _places_by_order(places: list[str], typed: dict[Field, str], unread: list[str]) -> list[Field]:
    """Pieces of words that name nothing by themselves, kept as the course, the place and
    its town in the order people write them, whichever are still unknown (one piece, or two
    beside no other clue, are the place and its town: the course is asked); the fields
    that order alone decided beside an unknown course."""
    slots = [f for f in (Field.COURSE, Field.VENUE, Field.CITY) if f not in typed]
    if len(places) < len(slots) and slots[0] is Field.COURSE:
        slots = slots[1:]
    guessed = Field.COURSE not in typed and len(places) > 1
    taken = list(zip(slots, places, strict=False))
    typed.update(taken)
    unread.extend(places[len(taken) :])
    return [slot for slot, _ in taken] if guessed else []


def _read_sentence(text: str, tr: Translator, now: datetime) -> ReadSentence:
    """A one-line /newcircle in plain words, pieces separated by commas: its name first (the
    words before the first comma or link), then whatever can be read of the rest: a meeting
    link, the weekday, time, first meeting and number of weeks, the place, its town and
    country, the circle's language. Each is checked as its question would check it."""
    name = _name_only(text)
    raw: dict[Field, str] = {Field.NAME: name}
    unread: list[str] = []
    pieces = [piece.strip() for piece in text.split(",")]
    pieces[0] = pieces[0][len(name) :].strip() if pieces[0].startswith(name) else pieces[0]
    typed: dict[Field, str] = {}
    places: list[str] = []  # pieces of words that name nothing by themselves, in order
    bare_link = False  # a link alone in its piece: the meeting's, or the course's
    for piece in filter(None, pieces):
        course = _labelled_course(piece)
        if course and _read_when(course, tr, now) is not None:
            piece, course = course, None  # "curso de 6 semanas" says how long, not which
        if course is not None:  # "cours X": the course, never the place
            if course and Field.COURSE not in typed:
                typed[Field.COURSE] = _course_link_apart(course, typed)
            else:
                unread.append(piece)
            continue
        link = circles.link_in(piece)
        if link is not None and (Field.VENUE not in typed or _online(tr, typed[Field.VENUE])):
            typed[Field.VENUE] = link  # "online on Zoom https://...": the words name the link
            bare_link = len(piece.split()) == 1
            continue
        if link is not None:  # a second link is no town: never kept, let alone re-cased
            unread.append(piece)
            continue
        if _online(tr, piece) and Field.VENUE not in typed:
            typed[Field.VENUE] = piece  # "online", its link in a piece of its own
            continue
        when = _read_when(piece, tr, now)
        if when is not None and not set(when) & set(typed):
            typed.update(when)
            continue
        when, place = _when_and_place(piece, tr, now)
        if when is not None and not set(when) & set(typed):
            typed.update(when)  # "les samedis à 10h à la bibliothèque de Dakar"
            piece = place
            if Field.VENUE not in typed:  # "à la bibliothèque": a place, never the course
                typed[Field.VENUE] = _without_at(place)
                continue
        at = _without_at(piece)
        named = _named_detail(at, typed)
        if plain(piece.split()[0]) in _WHEN_LEAD:
            unread.append(piece)  # "every full moon": a when not read, no place
        elif named is not None:
            typed[named] = at
        elif at != piece and Field.VENUE not in typed:
            typed[Field.VENUE] = at  # "at the Main Library": a place, never the course
        elif places and any(char.isdigit() for char in at):
            places[-1] += ", " + at  # "Main Library, Room 2": a number is a place's
        else:
            places.append(at)
    guessed = []
    if bare_link and places and Field.COURSE not in typed and not _meeting_link(typed):
        # "Intro to Python, py4e.com, Main Library": a place too, so the link is the course's.
        typed[Field.URL] = typed.pop(Field.VENUE)
        guessed.append(Field.URL)
    guessed += _places_by_order(places, typed, unread)
    venue = typed.get(Field.VENUE, "")
    city = _city_ending(venue) if not circles.link_in(venue) else None
    if city is not None and Field.CITY not in typed:
        typed[Field.CITY] = city  # "Bibliothèque municipale de Dakar" is in Dakar
    for field in Field:  # in field order, as _parse_details: the zone before the start date
        if field not in typed:
            continue
        try:
            raw[field] = _read(field, typed[field], raw, tr, now)
        except UserError:
            unread.append(typed[field])
    return ReadSentence(raw, unread, [f for f in guessed if f in raw])


def _said_back(tr: Translator, raw: dict[Field, str]) -> str:
    """The details read from a sentence, each by its key in the reader's words."""
    shown = []
    for field, value in raw.items():
        if field is Field.NAME:
            continue
        if field is Field.START:
            value = format_day(date.fromisoformat(value), "full", tr.locale)
        elif field is Field.WEEKDAY:
            monday = date(2024, 1, 1)
            day = monday + timedelta(days=circles.parse_weekday(value))
            value = format_date(day, "EEEE", locale=tr.locale)
        elif field is Field.LANGUAGE:
            value = Locale.parse(value).get_display_name(tr.locale) or value
        shown.append(f"{detail_keys.shown(tr, field.value)}: {value}")
    return "; ".join(shown)


# /help newcircle: a whole circle in one message, as a librarian would write it.
SENTENCE_EXAMPLE = N_("Python Club, Main Library Room 2, Tuesdays 6pm starting March 2, 6 weeks")


def sentence_help(tr: Translator, command_word: str) -> str:
    """The one-message form of /newcircle, as the reader would type it (`command_word`:
    its name in their language)."""
    return tr._(
        "Or say it all in one message, for example: /%(command)s %(details)s",
        command=command_word,
        details=tr._(SENTENCE_EXAMPLE),
    )


def _name_only(text: str) -> str:
    """The name in a sentence of details ("Public Speaking, online on https://..., wednesdays
    18:30"): what comes before its first comma, or its link. The rest is asked step by step,
    so a whole sentence never becomes the circle's name."""
    words = text.split(",", 1)[0].split()
    before_link = [i for i, word in enumerate(words) if circles.link_in(word) is not None]
    if not before_link and "," not in text:
        # No comma: the name ends where the meeting days or time begin ("Intro to Python
        # tuesdays 6:30pm at Main Library"), not with the whole line (fac 23).
        before_link = [i for i, word in enumerate(words) if i and _says_when(word)][:1]
    return " ".join(words[: before_link[0]] if before_link else words)


def _says_when(word: str) -> bool:
    """Whether a word alone is a weekday ("tuesdays") or a time ("6:30pm", "18h")."""
    try:
        parse_time(word)
    except UserError:
        return _weekday_in(word.strip(".,")) is not None
    return True


def _same_as_before(ctx: Context, details: str) -> tuple[str, dict[Field, str], str]:
    """The pieces of a sentence that ask for what her last circle had ("same course, same
    room"): the sentence without them, the details copied from that circle, and a word saying
    so ("" when none was asked). Never kept as words: with no circle of hers to copy from,
    UserError says so and nothing is made."""
    wanted = {
        what: phrases(ctx.catalogs, msgid)
        for what, msgid in (("course", SAME_COURSE), ("venue", SAME_VENUE), ("time", SAME_TIME))
    }
    pieces = details.split(",")
    asked = [
        next((what for what, said in wanted.items() if plain(piece) in said), None)
        for piece in pieces
    ]
    if not any(asked):
        return details, {}, ""
    ran = [c for m, c in ctx.memberships if m.role in FACILITATING]
    if not ran:
        raise UserError(
            N_(
                "You haven't run a circle before, so there is nothing to copy for “%(words)s”. "
                "Please say it instead, or send /%(command)s alone and I'll ask."
            ),
            words=next(p.strip() for p, what in zip(pieces, asked, strict=True) if what),
            command=slash_name(ctx.tr, "newcircle"),
        )
    last = max(ran, key=lambda circle: (circle.created_at, circle.id or 0))
    copied: dict[Field, str] = {}
    if "course" in asked:
        copied[Field.COURSE] = last.course_title
        if last.course_url:
            copied[Field.URL] = last.course_url
    if "venue" in asked:  # the place with its town, country and clock
        copied[Field.VENUE] = last.venue
        copied[Field.CITY] = last.city
        copied[Field.COUNTRY] = last.country_code
        copied[Field.ZONE] = last.timezone
    if "time" in asked:
        copied[Field.TIME] = last.start_time.strftime("%H:%M")
    # The name stays where it was typed ("Python du mardi, même cours"): a first piece asked
    # for a copy leaves it empty, to be asked.
    kept = ["" if what else piece for piece, what in zip(pieces, asked, strict=True)]
    rest = ",".join(piece for i, piece in enumerate(kept) if i == 0 or piece.strip())
    said = ctx.tr._(
        "From your last circle, %(circle)s, I've copied: %(details)s.",
        circle=last.name,
        details=_said_back(ctx.tr, copied),
    )
    return rest, copied, said


async def start(ctx: Context, args: Args) -> None:
    details = str(args.get("details", "")).strip()
    # The keys in any shipped language, the reader's first (detail_keys).
    readers = [ctx.catalogs.translator(code) for code in ctx.catalogs.locales]
    in_words = "=" not in details and detail_keys.pairs(details, [ctx.tr, *readers]) is None
    if details and in_words:
        # Plain words ("Resume Writing, online on Zoom https://..., Tuesdays 7pm, 6 weeks"):
        # what can be read is kept and said back, what can't is named; the rest is asked.
        details, copied, copied_said = _same_as_before(ctx, details)
        sentence = _read_sentence(details, ctx.tr, ctx.now)
        raw, unclear, number = sentence.raw, None, None
        if not raw.get(Field.NAME):  # "same course, ...": no name typed, so it is asked
            raw.pop(Field.NAME, None)
        if Field.NAME not in raw and raw:
            said = ctx.tr._(
                "From your message I've taken these details: %(details)s.",
                details=_said_back(ctx.tr, raw),
            )
        elif Field.NAME not in raw:
            said = ""
        elif len(raw) > 1:
            said = ctx.tr._(
                "From your message I've taken the name “%(name)s” and these details: %(details)s.",
                name=raw[Field.NAME],
                details=_said_back(ctx.tr, raw),
            )
        elif copied or sentence.unread:
            said = ctx.tr._("I've taken “%(name)s” as the circle's name.", name=raw[Field.NAME])
        else:
            said = ""
        if sentence.unread:
            said += "\n" + ctx.tr._(
                "I couldn't read: %(pieces)s.",
                pieces="; ".join(f"“{piece}”" for piece in sentence.unread),
            )
        if copied_said:
            said = copied_said + "\n" + said
        raw = {**copied, **raw}  # what she typed beside a copy wins ("same room, at 7pm")
        if sentence.guessed:
            _check(ctx, said, raw, sentence.guessed, _skipped_of_copy(copied, raw))
            return
        if said:
            rest = ctx.tr._("I'll ask for the rest one question at a time.")
            ctx.reply(said.strip() + "\n" + rest)
    else:
        copied = {}
        raw, unclear, number = _parse_details(details, ctx.tr, ctx.now, readers)
    # Details given by their keys ("name: ...; venue: ..."): what was left out was meant so.
    keyed = not in_words and len(raw) > 1
    if unclear is None and all(field in raw for field in REQUIRED):
        await _create(ctx, raw, number)
        return
    if not raw:
        ctx.reply(
            ctx.tr._(
                "Let's set up your circle. I'll ask a few questions; send back to change "
                "your last answer, or /cancel to stop."
            )
        )
    skipped = _skipped_of_copy(copied, raw)
    if (unclear is not None or keyed) and all(
        field in raw for field in REQUIRED if field is not Field.ZONE
    ):
        # Only the zone was unclear or left out of a whole line: ask it (or say the one its
        # country has) alone, not what was left out ("enlace: saltar" asked again: dada 18).
        skipped = [step.field.value for step in STEPS if step.optional and step.field not in raw]
    if ctx.conversation.flow == FLOW:  # a /newcircle begun before: its dial-in is not this one's
        conversations.update(
            ctx.conversation,
            {k: v for k, v in ctx.conversation.data.items() if k != DIALIN},
            ctx.now,
        )
    await _advance(ctx, raw, skipped, [], unclear=unclear)
    if number is not None and ctx.conversation.flow == FLOW:  # kept until the circle is made
        conversations.update(ctx.conversation, {**ctx.conversation.data, DIALIN: number}, ctx.now)


def _skipped_of_copy(copied: dict[Field, str], raw: dict[Field, str]) -> list[str]:
    """The questions not asked: the course copied had no web address, so its is not."""
    return [Field.URL.value] if Field.COURSE in copied and Field.URL not in raw else []


def _check(
    ctx: Context, said: str, raw: dict[Field, str], guessed: list[Field], skipped: list[str]
) -> None:
    """What a sentence was read as, with a yes asked before going on: some of its details
    were told apart only by where they stood."""
    asked = format_list([detail_keys.shown(ctx.tr, f.value) for f in guessed], locale=ctx.tr.locale)
    question = ctx.tr._(
        "Is that right? Send yes, or no and I'll ask for the %(details)s.", details=asked
    )
    data: dict[str, object] = {
        "values": {f.value: text for f, text in raw.items()},
        "skipped": skipped,
        _GUESSED: [f.value for f in guessed],
    }
    if ctx.conversation.flow == FLOW:
        conversations.move(ctx.conversation, _CHECK, data, ctx.now)
    else:
        conversations.begin(ctx.conversation, FLOW, data, ctx.now, _CHECK)
    ctx.reply(said.strip() + "\n" + question, choices=confirmations.choices(ctx.tr))


async def check_answer(ctx: Context, text: str) -> None:
    """The answer to "Is that right?" about a sentence's details told apart by their order:
    yes goes on with them, no asks for those details one at a time."""
    said = confirmations.read(ctx.tr, text)
    if said is None:
        ctx.reply(ctx.tr._("Please answer yes or no."), choices=confirmations.choices(ctx.tr))
        return
    data = ctx.conversation.data
    raw = {Field(key): value for key, value in data.get("values", {}).items()}
    if not said:
        for name in data.get(_GUESSED, []):
            raw.pop(Field(name), None)
    await _advance(ctx, raw, list(data.get("skipped", [])), [])


# Words that only lead to a course's web address: "Excel basics from https://...".
_LINK_LEAD = {
    plain(word)
    for word in "from at on by via von bei auf de du sur en desde kwa kutoka fra på hos".split()
}


def _course_link_apart(text: str, raw: dict[Field, str]) -> str:
    """A course title pasted with its web address ("Excel basics https://edu.gcfglobal.org/..."):
    the address becomes the course link (its question is not asked), the title the rest."""
    link = circles.link_in(text)
    if link is None:
        return text
    words = [word for word in text.split() if circles.link_in(word) is None]
    title = " ".join(words)
    if title.count("(") > title.count(")"):  # "Foto für Anfänger (Kurs von fotografieren.de)"
        title = title[: title.rindex("(")]
    words = title.strip(" -–:,(").split()
    while len(words) > 1 and plain(words[-1]) in _LINK_LEAD:  # "Excel basics from https://..."
        words.pop()
    title = " ".join(words).strip(" -–:,(")
    if not title:
        return text  # a link alone: the title question is asked again about it
    try:
        raw[Field.URL] = circles.parse_url(link)
    except UserError:
        return text
    return title


def _time_apart(text: str, raw: dict[Field, str], tr: Translator, now: datetime) -> str:
    """A first meeting answered with its time ("montags 18:30", "samedi 12 à 10h", "Tuesday
    6pm"): the time is kept (its question is not asked), the date the rest."""
    words = text.split()
    for cut in range(max(1, len(words) - 3), len(words)):
        try:
            found = parse_time(" ".join(words[cut:]))
            _read(Field.START, " ".join(words[:cut]), raw, tr, now)
        except UserError:
            continue
        raw[Field.TIME] = found.strftime("%H:%M")
        return " ".join(words[:cut])
    return text


def _her_last(ctx: Context, raw: dict[Field, str]) -> list[Circle]:
    """The circles she runs, the likeliest to be meant by "same as last time" first: in the
    town (then the country) of the one she is making, then the latest."""
    ran = sorted(
        (circle for membership, circle in ctx.memberships if membership.role in FACILITATING),
        key=lambda circle: (circle.created_at, circle.id or 0),
        reverse=True,
    )
    town, country = plain(raw.get(Field.CITY, "")), _country(raw)
    return sorted(
        ran,
        key=lambda circle: (
            not town or plain(circle.city) != town,
            not country or circle.country_code != country,
        ),
    )


def _as_last_time(ctx: Context, field: Field, raw: dict[Field, str], text: str) -> str | None:
    """What "same as last time" (in any shipped language) answers to `field`'s question: that
    detail of her circle in this town, else of her latest; None for any other answer."""
    details = {
        Field.VENUE: lambda circle: circle.venue,
        Field.CITY: lambda circle: circle.city,
        Field.COUNTRY: lambda circle: circle.country_code,
        Field.ZONE: lambda circle: circle.timezone,
        Field.TIME: lambda circle: circle.start_time.strftime("%H:%M"),
        Field.URL: lambda circle: circle.course_url,  # asked only of a course with none known
    }
    if field not in details or plain(text) not in phrases(ctx.catalogs, SAME_AS_LAST):
        return None
    last = _her_last(ctx, raw)
    same = details[field](last[0]) if last else None
    return str(same) if same else None


def _picked(offered: list[str], text: str) -> str | None:
    """The one of several zones offered that a number typed picks ("1"); None otherwise."""
    typed = text.strip().rstrip(".")
    if len(offered) > 1 and typed.isdecimal() and 1 <= int(typed) <= len(offered):
        return offered[int(typed) - 1]
    return None


def _said(tr: Translator, text: str, word: str) -> bool:
    """Whether `text` is `word` (a msgid), in English or the reader's language, typed as a
    keyboard without its letters does ("zurueck" for "zurück": walk dede 30, kept as a
    course title)."""
    return plain(text) in spellings(word) | spellings(tr._(word))


def says_back(tr: Translator, text: str) -> bool:
    """Whether `text` is "back" in English or the reader's language ("tilbage", "zurück")."""
    return _said(tr, text, _BACK)


def _agrees(ctx: Context, text: str) -> bool:
    """Whether `text` is a yes ("oui", "ndiyo", "ok") in any shipped language: the one
    answering may write in another than the bot's."""
    listed = [YES, AGREE, *ctx.catalogs.in_every_language(YES)]
    listed += ctx.catalogs.in_every_language(AGREE)
    agreeing = {plain(word) for words in listed for word in words.split(",")}
    return plain(text) in agreeing - {""}


def _suggest(ctx: Context, offered: list[str]) -> None:
    """Keep the zones (or the date) just offered (none: forget them), for a "yes" to the one."""
    data = {key: value for key, value in ctx.conversation.data.items() if key != _SUGGESTED}
    if offered:
        data[_SUGGESTED] = offered
    conversations.update(ctx.conversation, data, ctx.now)


def _read_back(tr: Translator, field: Field, typed: str, kept: str) -> str | None:
    """What an answer was read as, when that is not what was typed: the first meeting's date
    in words ("Tuesday, December 8, 2026"), the time zone "Eastern" stands for."""
    if field is Field.START:
        return tr._(
            "First meeting: %(date)s.",
            date=format_day(date.fromisoformat(kept), "full", tr.locale),
        )
    if field is Field.ZONE and typed.strip() != kept:
        return tr._("Time zone: %(zone)s.", zone=kept)
    return None


async def _back(
    ctx: Context, raw: dict[Field, str], skipped: list[str], answered: list[list[str]], step: Step
) -> None:
    """Ask again the question answered last; at the first, ask it again and say so."""
    if not answered:
        await _ask(ctx, step, raw, ctx.tr._("This is the first question."))
        return
    for name in answered.pop():
        raw.pop(Field(name), None)
        if name in skipped:
            skipped.remove(name)
    await _advance(ctx, raw, skipped, answered)


def _none(tr: Translator, step: Step, text: str) -> bool:
    """Whether `text` says there is no course link ("no", "no tiene", "keine", "hakuna":
    keywords.NONE): the question says to send skip then, and this is what people send."""
    return step.field is Field.URL and plain(text) in keyword_words(tr, NONE)


async def answer(ctx: Context, text: str) -> None:
    """One answer in the guided conversation."""
    data = ctx.conversation.data
    raw = {Field(key): value for key, value in data.get("values", {}).items()}
    skipped = list(data.get("skipped", []))
    answered: list[list[str]] = list(data.get("answered", []))
    asking = conversations.state_of(ctx.conversation) or data.get("asking")
    step = next(step for step in STEPS if step.field.value == asking)
    suggested: list[str] = list(data.get(_SUGGESTED, []))
    note = None
    if says_back(ctx.tr, text):
        await _back(ctx, raw, skipped, answered, step)
        return
    # Any language's skip words ("spring over", "überspringen", "je passe": D2), like a question.
    skipping = text.casefold() in {"skip", ctx.tr._("skip").casefold()} or answers.skips(ctx, text)
    if _backs_out(ctx, text) and not (skipping and step.optional):
        _stop_or_ask(ctx, raw)  # "acha" skips the course link, stops at the name (sms 42)
        return
    if skipping or _none(ctx.tr, step, text):
        if not step.optional:  # never taken as the answer ("skip" is no circle's name)
            await _ask(ctx, step, raw, ctx.tr._("The circle needs this one, so you can't skip it."))
            return
        skipped.append(step.field.value)
        answered.append([step.field.value])
    elif step.field is Field.VENUE and _online(ctx.tr, text):
        conversations.update(ctx.conversation, {**data, _ONLINE_SAID: True}, ctx.now)
        await _ask(
            ctx, step, raw, ctx.tr._("Please send the meeting link, starting with https://.")
        )
        return
    elif step.field is Field.VENUE and data.get(_ONLINE_SAID) and _online_link(text) is None:
        # "I don't have the zoom link yet": online for now, the link added with /edit venue.
        raw[step.field] = ctx.tr._(_LINK_TO_COME)
        answered.append([step.field.value])
        note = ctx.tr._(
            "No link yet: learners will see “%(venue)s” until you send it with /edit link.",
            venue=raw[step.field],
        )
    elif (same := _as_last_time(ctx, step.field, raw, text)) is not None:
        # "same as last time" to the country or zone of a second circle in her town (fac 13)
        raw[step.field] = same
        answered.append([step.field.value])
        note = _read_back(ctx.tr, step.field, text, same)
    elif step.field is Field.COURSE and text.strip().rstrip(".").isdecimal():
        # "3" with no third course offered: no course is called that (Mads' "3" was kept).
        await _ask(
            ctx,
            step,
            raw,
            ctx.tr._(
                "“%(typed)s” is not one of the courses offered. Please write the course's title.",
                typed=text.strip(),
            ),
        )
        return
    elif step.field is Field.ZONE and _picked(suggested, text) is not None:
        # "1" for the first zone offered, the list shown again after a wrong answer or not
        raw[step.field] = _picked(suggested, text) or ""
        answered.append([step.field.value])
        note = _read_back(ctx.tr, step.field, text, raw[step.field])
    elif step.field in (Field.ZONE, Field.START) and len(suggested) == 1 and _agrees(ctx, text):
        # "yes" to "Did you mean Africa/Dakar?", or to "Did you mean December 3, 2027?"
        raw[step.field] = suggested[0]
        answered.append([step.field.value])
        note = _read_back(ctx.tr, step.field, text, raw[step.field])
    else:
        without_link = Field.URL not in raw
        if step.field is Field.COURSE and without_link:
            text = _course_link_apart(text, raw)
        if step.field is Field.COURSE:
            text = course_title(text)
        if step.field is Field.START and Field.TIME not in raw:
            text = _time_apart(text, raw, ctx.tr, ctx.now)
        try:
            raw[step.field] = _read(step.field, text, raw, ctx.tr, ctx.now)
        except timezones.UnclearZone as error:
            _suggest(ctx, error.zones)
            await _ask(ctx, step, raw, ctx.tr._(error.message, **error.params), error.zones)
            return
        except PassedDate as error:  # its question alone: the date question again would muddle
            _suggest(ctx, [error.day.isoformat()])
            ctx.reply(ctx.tr._(error.message, **error.params))
            return
        except UserError as error:
            if step.field is Field.ZONE and len(suggested) > 1:
                # The zones offered stay on offer, numbered as before: her "1" still picks one.
                await _ask(ctx, step, raw, ctx.tr._(error.message, **error.params), suggested)
                return
            _suggest(ctx, [])
            await _ask(ctx, step, raw, ctx.tr._(error.message, **error.params))
            return
        answered.append([step.field.value])
        note = _read_back(ctx.tr, step.field, text, raw[step.field])
        if step.field is Field.COURSE and without_link and Field.URL in raw:
            answered[-1].append(Field.URL.value)  # the link came with the title: back undoes both
    await _advance(ctx, raw, skipped, answered, note)


def _backs_out(ctx: Context, text: str) -> bool:
    """Whether `text` backs out of the set-up ("never mind", "acha", "laisse tomber",
    "olvídalo"), in any shipped language: never kept as an answer (sms 42)."""
    return plain(text) in phrases(ctx.catalogs, BACK_OUT)


def _stop_or_ask(ctx: Context, raw: dict[Field, str]) -> None:
    """Stop the set-up at once when nothing was answered; else ask first, so that answers
    are not lost to words meant otherwise."""
    if not raw:
        conversations.finish(ctx.conversation, ctx.now)
        ctx.reply(ctx.tr._("OK, I've stopped. Nothing was saved."))
        return
    conversations.move(
        ctx.conversation, _QUIT, {**ctx.conversation.data, "asking": _asking(ctx)}, ctx.now
    )
    ctx.reply(
        ctx.tr._("Stop setting up this circle? Your answers won't be kept. Send yes or no."),
        choices=confirmations.choices(ctx.tr),
    )


def _asking(ctx: Context) -> str:
    return str(conversations.state_of(ctx.conversation) or ctx.conversation.data.get("asking"))


async def quit_answer(ctx: Context, text: str) -> None:
    """The answer to "Stop setting up this circle?": yes stops, no asks the question again."""
    said = confirmations.read(ctx.tr, text)
    if said is None:
        ctx.reply(ctx.tr._("Please answer yes or no."), choices=confirmations.choices(ctx.tr))
        return
    if said:
        conversations.finish(ctx.conversation, ctx.now)
        ctx.reply(ctx.tr._("OK, I've stopped. Nothing was saved."))
        return
    data = ctx.conversation.data
    raw = {Field(key): value for key, value in data.get("values", {}).items()}
    step = next(step for step in STEPS if step.field.value == data.get("asking"))
    conversations.move(ctx.conversation, step.field.value, data, ctx.now)
    await _ask(ctx, step, raw)


# The flow's states: one per question, named by its field. /skip is read as the answer: an
# optional question (the course link, the number of meetings) is skipped, a required one says
# it can't be and is asked again.
STATES = (
    *(State(step.field.value, answer, skip=answer) for step in STEPS),
    State(_TWIN, twin_answer),
    State(_CHECK, check_answer),
    State(_QUIT, quit_answer),
    State(_HER_NAME, her_name_answer),
)
