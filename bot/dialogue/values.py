"""Reading the numbers, dates and times people type ("12", "2027-01-14", "12/8/2026",
"8 décembre", "next Wednesday", "6pm", "18h30", "half past six in the evening", "six weeks"), the
way people in each language the bot speaks write them. Month and weekday names, and the order
of a short numeric date, come from Babel (CLDR); only the little words around them ("next",
"weeks", "in the evening") and number words are ours."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, time, timedelta
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from bot.chat.errors import UserError
from bot.chat.i18n import N_, format_day
from bot.chat.keywords import plain

MIN_YEAR, MAX_YEAR = 2000, 2100
# Meeting and letter numbers are looked up in INTEGER columns, 32-bit on PostgreSQL: a number
# beyond that is no row's, and would make the database fail rather than find nothing.
MAX_NUMBER = 2**31 - 1
# Languages whose month and weekday names are read whoever types them (the bot's languages).
LANGUAGES = ("en", "fr", "es", "de", "sw", "da")


def parse_number(text: str) -> int:
    """A whole number that could be a row's (a meeting or letter number); ValueError if not."""
    # "#12": letters are written so beside numbered choices (bot/letters/commands.py).
    text = text.strip().removeprefix("#")
    # The length first: int() of thousands of digits is slow, then refused anyway.
    if not text.isdecimal() or len(text) > len(str(MAX_NUMBER)) or int(text) > MAX_NUMBER:
        raise ValueError(text)
    return int(text)


# -- counts in words ("six", "sita", "vingt et un") ----------------------------------------------

_UNITS = {
    "en": "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen",
    "fr": "un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
    "seize dix-sept dix-huit dix-neuf",
    "es": "uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
    "dieciséis diecisiete dieciocho diecinueve",
    "de": "eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn "
    "fünfzehn sechzehn siebzehn achtzehn neunzehn",
    "sw": "moja mbili tatu nne tano sita saba nane tisa kumi",
    "da": "en to tre fire fem seks syv otte ni ti elleve tolv tretten fjorten femten seksten "
    "sytten atten nitten",
}
_TENS = {  # 20, 30, 40, 50
    "en": "twenty thirty forty fifty",
    "fr": "vingt trente quarante cinquante",
    "es": "veinte treinta cuarenta cincuenta",
    "de": "zwanzig dreißig vierzig fünfzig",
    "sw": "ishirini thelathini arobaini hamsini",
    "da": "tyve tredive fyrre halvtreds",
}
# Other spellings of one: "une", "una", "ein", "et".
_ONE = {"une": 1, "una": 1, "un": 1, "ein": 1, "eine": 1, "et": 1}


def _composed(language: str, tens: str, unit: str, n: int) -> list[str]:
    """How `tens` and `unit` make a number in `language`: twenty-one, vingt et un, veintiuno,
    einundzwanzig, ishirini na moja, enogtyve."""
    if language == "de":
        return [("ein" if n == 1 else unit) + "und" + tens]
    if language == "da":
        return [unit + "og" + tens]
    if language == "sw":
        return [tens + " na " + unit]
    if language == "es":
        return [tens + " y " + unit, tens[:-1] + "i" + unit if tens == "veinte" else ""]
    if language == "fr":
        return [tens + (" et " if n == 1 else "-") + unit]
    return [tens + "-" + unit]


@cache
def _number_words() -> dict[str, int]:
    """Plain number words from 1 to 59 in every language the bot speaks."""
    words: dict[str, int] = {}
    for language in LANGUAGES:
        units = _UNITS[language].split()
        if language == "sw":  # kumi na moja = 11
            units += ["kumi na " + unit for unit in units[:9]]
        for n, unit in enumerate(units, start=1):
            words.setdefault(plain(unit), n)
        for t, tens in enumerate(_TENS[language].split(), start=2):
            words.setdefault(plain(tens), t * 10)
            for n, unit in enumerate(units[:9], start=1):
                for spelt in _composed(language, tens, unit, n):
                    if spelt:
                        words.setdefault(plain(spelt), t * 10 + n)
    for word, n in _ONE.items():
        words.setdefault(word, n)
    return words


# A number word alone picks a choice from this many letters on ("uno", "two", "moja"): shorter
# ones ("en", "to", "un") are other words as often.
MIN_NUMBER_WORD_CHARS = 3


def number_word(text: str) -> int | None:
    """The number a message that is one number word says ("UNO", "Two!", "deux", "mbili"), in
    any language the bot speaks, as people who write numbers out answer a numbered choice;
    None for anything else, digits included."""
    word = plain(text.strip().strip(".,;:!?¡¿()"))
    if len(text.split()) != 1 or len(word) < MIN_NUMBER_WORD_CHARS or word.isdecimal():
        return None
    return _number_words().get(word)


def count_words(n: int) -> set[str]:
    """`n` written out in every language the bot speaks, as plain() words ("three", "trois",
    "tres", "drei", "tatu"), the short ones that are other words as often ("to", "en") left out."""
    return {
        word
        for word, value in _number_words().items()
        if value == n and len(word) >= MIN_NUMBER_WORD_CHARS
    }


# What may follow a count: "six weeks", "8 semaines", "wiki sita", "10 Treffen".
_COUNT_WORDS = {
    plain(word)
    for word in "week weeks meeting meetings session sessions time times semaine semaines "
    "séance séances rencontre rencontres fois semana semanas reunión reuniones sesión sesiones "
    "veces woche wochen treffen termine sitzungen mal wiki mikutano vikao mara uge uger møde "
    "møder gange about around approx environ unos etwa".split()
}


def read_count(text: str) -> int | None:
    """A count typed in digits or words ("6", "six", "sita", "six weeks", "wiki nane");
    None if it isn't one."""
    tokens = [plain(token) for token in re.split(r"[\s,]+", text.strip()) if plain(token)]
    counted = [token for token in tokens if token not in _COUNT_WORDS]
    if not counted or len(counted) > 4:
        return None
    joined = "".join(counted)
    if joined.isdecimal():
        return int(joined) if len(counted) == 1 and len(joined) <= 4 else None
    return _number_words().get(joined)


# A sentence this short answering "how many?" ("vi mødes 7 gange") says its count as its one
# number; a longer one may carry numbers of other things.
_SHORT_SENTENCE_WORDS = 8


def count_in_sentence(text: str) -> int | None:
    """A count as read_count reads it, else the one number of a short sentence ("vi mødes 7
    gange", "we meet seven times"); None when there is none, or more than one ("7 or 8")."""
    count = read_count(text)
    if count is not None:
        return count
    tokens = [token for token in re.split(r"[\s,.;:!?]+", text.strip()) if token]
    if len(tokens) > _SHORT_SENTENCE_WORDS:
        return None
    numbers = [
        int(token) if token.isdecimal() else number_word(token)
        for token in tokens
        if (token.isdecimal() and len(token) <= 4) or number_word(token) is not None
    ]
    return numbers[0] if len(numbers) == 1 else None


# -- lengths of time ------------------------------------------------------------------------------

# The units a length of time is written in, as minutes, plain (bot.chat.keywords.plain): "2 days",
# "1 hour", "48h", "2d", "2 jours", "1 hora", "2 Tage", "saa 1", "2 dage".
_MINUTE_WORDS = "m min mins minute minutes minuto minutos minuten dakika minut minutter"
_HOUR_WORDS = (
    "h hr hrs hour hours heure heures hora horas std stunde stunden saa masaa t time timer"
)
_DAY_WORDS = "d day days j jour jours dia dias tag tage siku dag dage"
_SPAN_UNITS = {
    **dict.fromkeys(_MINUTE_WORDS.split(), 1),
    **dict.fromkeys(_HOUR_WORDS.split(), 60),
    **dict.fromkeys(_DAY_WORDS.split(), 24 * 60),
}
_SPAN_JOINS = {"and", "et", "y", "und", "na", "og"}
# "2 Tage vorher", "1 día antes": a reminder's length is always before the meeting.
_SPAN_BEFORE = {
    plain(word)
    for word in "before earlier ahead avant antes vorher davor zuvor kabla før "
    "forinden tidligere".split()
}
_SPAN = re.compile(r"^(\d{1,4})(\D*)$")


# "Am Vortag", "the day before", "la veille": a day before the meeting (D45), in plain words.
_DAY_BEFORE = sorted(
    (
        tuple(phrase.split())
        for phrase in (
            "am vortag",
            "vortag",
            "the day before",
            "day before",
            "la veille",
            "veille",
            "el dia anterior",
            "dia anterior",
            "la vispera",
            "dagen for",
            "dagen inden",
            "siku moja kabla",
            "siku iliyotangulia",
        )
    ),
    key=len,
    reverse=True,
)


def _day_before_as_a_day(tokens: list[str]) -> list[str]:
    """`tokens` with each way of saying "the day before" as "1 d"."""
    out: list[str] = []
    at = 0
    while at < len(tokens):
        phrase = next((p for p in _DAY_BEFORE if tuple(tokens[at : at + len(p)]) == p), None)
        if phrase is None or (out and out[-1].isdecimal()):  # "1 day before": its own unit
            out.append(tokens[at])
            at += 1
        else:
            out += ["1", "d"]
            at += len(phrase)
    return out


def read_spans(text: str) -> list[int] | None:
    """The lengths of time `text` lists, in minutes, in the order written ("24h 1h", "2 days
    and 1 hour", "48h, 2d"; Swahili may put the unit first: "siku 2"). None if a word is no
    length, unit or "and", or a number has no unit: 2 could be hours or minutes."""
    tokens = _day_before_as_a_day([plain(t) for t in re.split(r"[\s,]+", text) if plain(t)])
    found: list[int] = []
    number: int | None = None  # a number waiting for its unit
    unit: int | None = None  # a unit waiting for its number ("saa 2")
    for token in tokens:
        match = _SPAN.match(token)
        if (token in _SPAN_JOINS or token in _SPAN_BEFORE) and number is None and unit is None:
            continue
        if match and number is None and not match[2] and unit is not None:
            found.append(int(match[1]) * unit)
            unit = None
        elif match and number is None and not match[2]:
            number = int(match[1])
        elif match and number is None and unit is None and match[2] in _SPAN_UNITS:
            found.append(int(match[1]) * _SPAN_UNITS[match[2]])
        elif token in _SPAN_UNITS and number is not None:
            found.append(number * _SPAN_UNITS[token])
            number = None
        elif token in _SPAN_UNITS and unit is None:
            unit = _SPAN_UNITS[token]
        else:
            return None
    return found if found and number is None and unit is None else None


# -- dates ----------------------------------------------------------------------------------------


@cache
def _names(kind: str, locale: str) -> dict[str, int]:
    """Plain month (1-12) or weekday (0 = Monday) names, wide and abbreviated: the reader's
    language first, then the others (a French "mar." is a Tuesday, a Spanish one March)."""
    names: dict[str, int] = {}
    for code in (locale, *LANGUAGES):
        try:
            table = getattr(Locale.parse(code), kind)
        except (ValueError, TypeError):
            continue
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for index, name in table[context][width].items():
                    names.setdefault(plain(name), index)
    if kind == "days":  # English short forms people type
        for short, index in (("tues", 1), ("thur", 3), ("thurs", 3), ("weds", 2)):
            names.setdefault(short, index)
    else:
        names.setdefault("sept", 9)
    return names


def weekday_number(text: str, locale: str = "en") -> int | None:
    """0 (Monday) to 6 for a weekday's name in any language the bot speaks, else None."""
    return _names("days", locale).get(plain(text))


# Words around a date that add nothing ("the 8th of December", "le 8 décembre", "tarehe 8").
_FILLERS = {
    plain(word)
    for word in "the of on this le la les l' de del el los las den der die am i a ce cette "
    "este esta diesen dieser denne tarehe hii d.".split()  # Danish "mandag d. 11. januar": "den"
}
# "next Wednesday", "mercredi prochain", "el próximo miércoles", "nächsten Mittwoch",
# "Jumatano ijayo", "næste onsdag": the coming one, but never today nor tomorrow (which
# would be said "tomorrow": "næste torsdag" on a Wednesday is a week on, dede 43).
_NEXT = {
    plain(word)
    for word in "next prochain prochaine próximo próxima que viene nächsten nächster nächste "
    "kommenden kommende ijayo næste".split()
}
_RELATIVE_DAYS = {
    plain(word): days
    for words, days in (
        ("today aujourd'hui aujourdhui hoy heute leo idag", 0),
        ("tomorrow demain mañana morgen kesho imorgen", 1),
    )
    for word in words.split()
}
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}|\d{2}))?\.?$")
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|er|e|re|o|a|\.)?$")


class UnsettledDate(date):
    """A date read relative to today ("Tuesday", "8 December") before the reader's today was
    known (a command's argument): `settle` reads it again once it is."""

    text: str
    locale: str


def weekday_only(day: date) -> int | None:
    """The weekday (0 = Monday) a date typed as a weekday alone names ("martes", "on
    Tuesday"), else None (a date, "next Tuesday", "tomorrow")."""
    if not isinstance(day, UnsettledDate):
        return None
    days = _names("days", day.locale)
    named: list[int] = []
    for token in re.split(r"[\s,]+", day.text.casefold()):
        word = plain(token)
        if not word or word in _FILLERS:
            continue
        found = days.get(word, _plural_weekday(word, days))
        if found is None:
            return None
        named.append(found)
    return named[0] if len(named) == 1 else None


def settle(day: date, today: date) -> date:
    """`day` as its reader meant it on `today` (in the circle's zone, say)."""
    if isinstance(day, UnsettledDate):
        return coming_date(day.text, day.locale, today)
    return day


# A day and month typed without the year that come round again only after this long are a
# day just passed ("dec 1" on December 6): said so, never read as next year's.
_PASSED_NOT_NEXT_YEAR = timedelta(days=183)


def coming_date(text: str, locale: str, today: date) -> date:
    """A date still to come as its reader meant it on `today` (parse_date); a day and month
    without the year that passed lately is said to have passed (UserError), rather than read
    as next year's and refused for a reason that isn't the one."""
    day, relative = read_date(text, locale, today)
    if relative and day.year > today.year and day - today > _PASSED_NOT_NEXT_YEAR:
        raise UserError(
            N_("%(date)s has already passed. Please give a date still to come."),
            date=format_day(day, "MMMMd", locale),
        )
    return day


MONTHS = 12
_LONGEST_MONTH = 31
# Where English is written month first (12/19/2026); elsewhere day first, as in the UK.
_MONTH_FIRST_COUNTRIES = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "UM"})


def dates_locale(locale: str, country: str | None) -> str:
    """The locale a reader's dates are read and shown in: an English reader's follows the
    circle's country ("en_KE": 19/12/2026, day first), since "en" alone is the US's; any
    other reader's is their own."""
    parsed = Locale.parse(locale)
    if parsed.language != "en" or parsed.territory or not country:
        return locale
    code = f"en_{country.strip().upper()}"
    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return "en_US" if country.strip().upper() in _MONTH_FIRST_COUNTRIES else "en_GB"
    return code


def _order(locale: str) -> str:
    """The order of day, month and year in the locale's short date: "mdy" for en (12/8/2026),
    "dmy" for fr, de, es, da, sw (08/12/2026, 8.12.2026)."""
    pattern = Locale.parse(locale).date_formats["short"].pattern
    order = ""
    for letter in pattern:
        key = {"d": "d", "M": "m", "L": "m", "y": "y"}.get(letter)
        if key and key not in order:
            order += key
    return order if sorted(order) == ["d", "m", "y"] else "dmy"


def _on_or_after(today: date, month: int, day: int, locale: str) -> date | None:
    for year in (today.year, today.year + 1):
        try:
            found = date(year, month, day)
        except ValueError:
            continue  # February 29 comes in a leap year
        if found >= today:
            return found
    # The month as it comes next: "February 29" in a year whose February has 28 days.
    _no_such_day(today.year + (month < today.month), month, day, locale)
    return None


class NoSuchDay(UserError):
    """A date whose month has no such day: the words were a date, only the day is wrong."""


def _no_such_day(year: int, month: int, day: int, locale: str) -> None:
    """A day its month doesn't have ("February 31") is said so: the month's name is right,
    and telling the reader to write "February 16" would send them round in circles."""
    if not (1 <= month <= MONTHS and monthrange(year, month)[1] < day <= _LONGEST_MONTH):
        return
    raise NoSuchDay(
        N_("%(month)s has only %(days)d days. Which day do you mean?"),
        month=format_date(date(2000, month, 1), "LLLL", locale=locale),
        days=monthrange(year, month)[1],
    )


def _numeric(text: str, locale: str, today: date) -> tuple[date | None, bool] | None:
    """ "2026-12-08", "12/8/2026" (en), "08/12/2026", "8.12.26", "8/12": (the date or None
    when it names none, whether it was relative); None when it is not numeric."""
    iso = _ISO.match(text)
    if iso:
        return _exact(int(iso[1]), int(iso[2]), int(iso[3]), locale), False
    numeric = _NUMERIC.match(text)
    if not numeric:
        return None
    first, second, year = int(numeric[1]), int(numeric[2]), numeric[3]
    order = _order(locale).replace("y", "")
    month, day = (first, second) if order == "md" else (second, first)
    if month > MONTHS >= day:  # "19/12" read month first: only one way is a date, so that one
        month, day = day, month
    if year is None:
        return _on_or_after(today, month, day, locale), True
    return _exact(int(year) + (2000 if len(year) == 2 else 0), month, day, locale), False


# "Donnerstag, 17.12.", "Do., 17.12.", "jueves 17/12", "Thu 12/17": a weekday, then figures.
_WEEKDAY_FIRST = re.compile(r"^(?P<weekday>[^\d\s,]+)[\s,]+(?P<figures>\d\S*)$")


def _with_weekday(cleaned: str, locale: str, today: date) -> tuple[date | None, bool] | None:
    """A numeric date after its weekday's name: the date, when the weekday is its own; a
    weekday that is another day's is said ("17.12. is a Thursday, not a Friday"), since either
    may be the slip. None when it is not so written."""
    found = _WEEKDAY_FIRST.match(cleaned)
    weekday = weekday_number(found["weekday"], locale) if found else None
    read = _numeric(found["figures"], locale, today) if found and weekday is not None else None
    if found is None or weekday is None or read is None or read[0] is None:
        return None
    day = read[0]
    if day.weekday() != weekday:
        named = today + timedelta(days=(weekday - today.weekday()) % 7)
        raise UserError(
            N_("%(date)s is a %(weekday)s, not a %(named)s. Which day do you mean?"),
            date=found["figures"],
            weekday=format_date(day, "EEEE", locale=locale),
            named=format_date(named, "EEEE", locale=locale),
        )
    return read


def _exact(year: int, month: int, day: int, locale: str) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        if MIN_YEAR <= year <= MAX_YEAR:
            _no_such_day(year, month, day, locale)
        return None


def _in_words(text: str, locale: str, today: date) -> tuple[date | None, bool]:
    """ "8 décembre", "Dec 8th", "December 8, 2026", "8 de diciembre", "Jumanne", "next
    Wednesday", "tomorrow"."""
    months, days = _names("months", locale), _names("days", locale)
    numbers: list[str] = []
    named: list[tuple[int | None, int | None]] = []  # (month, weekday) a word may name
    strict = False
    relative: int | None = None  # days on, for "tomorrow"
    tokens = [token for token in re.split(r"[\s,]+", text.replace("'", "' ")) if plain(token)]
    for token in tokens:
        ordinal, word = _ORDINAL.match(token), plain(token)
        if ordinal or (word.isdecimal() and len(word) == 4):
            numbers.append(ordinal[1] if ordinal else word)
        elif word in _RELATIVE_DAYS and relative is None:
            relative = _RELATIVE_DAYS[word]
        elif word in _NEXT:
            strict = True
        elif word in months or word in days:
            named.append((months.get(word), days.get(word)))
        elif _plural_weekday(word, days) is not None:  # "montags", "samedis", "tirsdage"
            named.append((None, _plural_weekday(word, days)))
        elif word not in _FILLERS:
            return None, False
    if relative is not None:
        # "morgen 19", "tomorrow 7pm": the words after "tomorrow" are its time, not its date.
        if numbers or named or strict:
            return None, False
        return today + timedelta(days=relative), True
    weekdays = {weekday for _, weekday in named if weekday is not None}
    if numbers and strict and len(weekdays) == 1 and len(named) == 1 and len(numbers) == 1:
        # "nächsten Donnerstag 19": the hour after it, unless 19 is that Thursday's own day.
        coming = _next_weekday(weekdays.pop(), today)
        return (coming, True) if numbers[0] == str(coming.day) else (None, False)
    if numbers:
        return _day_of_month(numbers, named, today, strict, locale)
    if len(weekdays) != 1 or len(named) != 1:
        return None, False
    if strict:
        return _next_weekday(weekdays.pop(), today), True
    return today + timedelta(days=(weekdays.pop() - today.weekday()) % 7), True


def _next_weekday(weekday: int, today: date) -> date:
    """The day "next Thursday" names on `today`: the coming one at least two days on."""
    ahead = (weekday - today.weekday()) % 7
    return today + timedelta(days=ahead + 7 if ahead < 2 else ahead)


def _plural_weekday(word: str, days: dict[str, int]) -> int | None:
    """The weekday a plural or adverb form names: "mondays", "montags", "samedis", "mandage"."""
    if len(word) > 4 and word[-1] in "se" and word not in days:
        return days.get(word[:-1])
    return None


def _weekday_and_day(
    day: int, weekday: int, today: date, locale: str, typed: str
) -> tuple[date | None, bool]:
    """ "samedi 12", "tirsdag d. 15", "Saturday the 12th": the coming day `day` of a month;
    a weekday that is not that day's is said, as for "Freitag, 17.12."."""
    year, month = today.year, today.month
    for _ in range(2):  # this month's, or next month's when this one's has passed
        if day <= monthrange(year, month)[1] and date(year, month, day) >= today:
            found = date(year, month, day)
            if found.weekday() != weekday:
                named = today + timedelta(days=(weekday - today.weekday()) % 7)
                raise UserError(
                    N_("%(date)s is a %(weekday)s, not a %(named)s. Which day do you mean?"),
                    date=typed,
                    weekday=format_date(found, "EEEE", locale=locale),
                    named=format_date(named, "EEEE", locale=locale),
                )
            return found, True
        year, month = (year + 1, 1) if month == MONTHS else (year, month + 1)
    return None, False


def _day_of_month(
    numbers: list[str],
    named: list[tuple[int | None, int | None]],
    today: date,
    strict: bool,
    locale: str,
) -> tuple[date | None, bool]:
    """The date of "8 December [2026]": one month's name, a day, maybe a year; a weekday's
    name beside them ("mardi 8 décembre") is not checked (the answer repeats it in words)."""
    months = [month for month, weekday in named if month is not None]
    weekdays = [weekday for month, weekday in named if weekday is not None]
    if not months and len(weekdays) == 1 and len(numbers) == 1 and len(numbers[0]) <= 2:
        return _weekday_and_day(int(numbers[0]), weekdays[0], today, locale, numbers[0])
    if len(months) > 1:  # "mar. 8 déc.": the word that is also a weekday is the weekday
        months = [month for month, weekday in named if month is not None and weekday is None]
    day, year = numbers[0], numbers[1:]
    if len(months) != 1 or len(day) > 2 or len(year) > 1 or (year and len(year[0]) != 4):
        return None, False
    if year:
        return _exact(int(year[0]), months[0], int(day), locale), False
    return _on_or_after(today + timedelta(days=strict), months[0], int(day), locale), True


def _example(locale: str, today: date) -> tuple[str, str]:
    """A date a fortnight ahead as the reader writes it in figures ("12/20/2026") and in words
    ("December 20")."""
    day = today + timedelta(days=14)
    pattern = Locale.parse(locale).date_formats["short"].pattern
    pattern = re.sub("y+", "y", pattern)  # the whole year: "26" could be read as a day
    return format_date(day, pattern, locale=locale), format_day(day, "MMMMd", locale)


def date_example(locale: str, today: date) -> str:
    """A date a fortnight ahead, in figures, as the reader writes it ("12/20/2026")."""
    return _example(locale, today)[0]


def parse_date(text: str, locale: str = "en", today: date | None = None) -> date:
    """A date as the reader writes it: ISO, their short numeric form, day and month in words,
    a weekday (the coming one, today included; "next" leaves today out). Without `today`, a
    date read relative to today is an UnsettledDate (see `settle`)."""
    day, relative = read_date(text, locale, today or date.today())
    if relative and today is None:
        unsettled = UnsettledDate(day.year, day.month, day.day)
        unsettled.text, unsettled.locale = text, locale
        return unsettled
    return day


def read_date(text: str, locale: str, known: date) -> tuple[date, bool]:
    """The date `text` names on the day `known` (see parse_date), and whether it was read
    relative to that day: typed without its year ("12/3", "Dec 3") or as a weekday."""
    cleaned = text.strip().casefold()
    typed = cleaned.split()
    while len(typed) > 1 and plain(typed[0]) in _FILLERS:  # "el 25/03", "the 3/25"
        typed = typed[1:]
    cleaned = " ".join(typed)
    read = (
        _numeric(cleaned, locale, known)
        or _with_weekday(cleaned, locale, known)
        or _in_words(cleaned, locale, known)
    )
    day, relative = read
    if day is None:
        figures, words = _example(locale, known)
        raise UserError(
            N_("“%(text)s” is not a date I can read. Write it like %(example)s or %(words)s."),
            text=text,
            example=figures,
            words=words,
        )
    if not MIN_YEAR <= day.year <= MAX_YEAR:  # far dates mean a typo, and overflow date maths
        raise UserError(
            N_("Please pick a date between %(first)d and %(last)d."), first=MIN_YEAR, last=MAX_YEAR
        )
    return day, relative


# -- times ----------------------------------------------------------------------------------------

# "18:30", "6:30pm", "6 pm", "18h30", "18h", "18.30", "6.30 p.m.", "18 Uhr", "kl. 18.30".
_TIME = re.compile(r"^(\d{1,2})(?:([:.h])(\d{2})?)?h?(am|pm)?$")

# The part of the day said after a time, as plain words: "in the evening", "du soir", "de la
# tarde", "abends", "om aftenen", "jioni". "night" is pm from 5 on, am before ("2 at night").
_DAY_PARTS = sorted(
    (
        (tuple(plain(word) for word in phrase.split()), part)
        for phrases, part in (
            ("in the morning|morning|du matin|le matin|de la mañana|morgens|vormittags|"
             "am morgen|om morgenen|om formiddagen|asubuhi", "am"),
            ("in the afternoon|in the evening|afternoon|evening|de l après midi|du soir|le soir|"
             "de la tarde|nachmittags|abends|am abend|am nachmittag|om eftermiddagen|"
             "om aftenen|mchana|jioni", "pm"),
            ("at night|de la nuit|de la noche|nachts|om natten|usiku", "night"),
        )
        for phrase in phrases.split("|")
    ),
    key=lambda entry: len(entry[0]),
    reverse=True,
)  # fmt: skip
# Words before a time that add nothing: "at 6pm", "à 18h", "a las 6", "um 18 Uhr", "kl. 18".
_BEFORE_TIME = {"at", "a", "las", "la", "um", "kl", "klokken"}
# Of those, the ones that say a bare number is a time on the 24-hour clock: Danish "kl. 17".
_CLOCK_WORDS = {"kl", "klokken"}
# Times said by name, as plain words: noon and midnight ("midi", "al mediodía", "um Mitternacht",
# "adhuhuri"). Danish "middag" is left out: it is as often dinner as noon.
_NAMED_TIMES: dict[tuple[str, ...], time] = {
    (plain(word),): named
    for words, named in (
        ("noon midday midi mediodia mittag adhuhuri", time(12)),
        ("midnight minuit medianoche mitternacht midnat", time(0)),
    )
    for word in words.split()
} | {("12", "noon"): time(12), ("al", "mediodia"): time(12), ("12", "midnight"): time(0)}
# The 24-hour clock after a time said in words, as Swahili replies write it ("saa nne
# asubuhi, 10:00"; or in brackets, "saa nne asubuhi (10:00)"): the figures settle it.
_BRACKETED = re.compile(r"\D[,(]\s*(\d{1,2}:\d{2})\)?\s*$")


def _clock(text: str) -> tuple[int, int, str, bool] | None:
    """A time in figures ("6:30pm", "18h", "18.30", "18 Uhr"): hour, minute, "am" or "pm" if
    typed, and whether it is marked as a time (a bare "6" might be anything)."""
    squeezed = re.sub(r"\s+|^kl\.?", "", text.strip().casefold())
    squeezed = squeezed.replace("a.m.", "am").replace("p.m.", "pm").replace("uhr", "h")
    # "19 hrs", "19:00 hrs", "19 horas" (the usual way in Mexico), "18 heures": like "19h".
    squeezed = re.sub(r"(?<=\d)(hrs?|horas?|heures?)$", "h", squeezed.rstrip("."))
    match = _TIME.match(squeezed.rstrip("."))
    if not match:
        return None
    marked = bool(match[3] or match[4] or match[2] == "h")
    return int(match[1]), int(match[3] or 0), match[4] or "", marked


def _hour_word(words: list[str]) -> int | None:
    """An hour from 1 to 12 in figures or words ("6", "six", "sieben", "kumi na mbili")."""
    joined = "".join(words)
    hour = int(joined) if joined.isdecimal() and len(joined) <= 2 else _number_words().get(joined)
    return hour if hour is not None and 1 <= hour <= 12 else None


def _time_in_words(words: list[str]) -> tuple[int, int] | None:
    """ "half past six", "quarter to seven", "seven", "halb sieben" (half to seven, German),
    "saa kumi na mbili [na nusu]" (Swahili hours count from 6 o'clock): hour and minute."""
    heads = (
        (("half", "past"), 0, 30),
        (("quarter", "past"), 0, 15),
        (("quarter", "to"), -1, 45),
        (("halb",), -1, 30),
        (("saa",), 6, 0),
    )
    for head, shift, minute in heads:
        if tuple(words[: len(head)]) != head:
            continue
        rest = words[len(head) :]
        if head == ("saa",):  # "na nusu" half past, "na robo" quarter past
            tails = {("na", "nusu"): 30, ("na", "robo"): 15}
            minute = next((m for t, m in tails.items() if tuple(rest[-2:]) == t), 0)
            rest = rest[:-2] if minute else rest
        hour = _hour_word(rest)
        return None if hour is None else ((hour + shift - 1) % 12 + 1, minute)
    hour = _hour_word(words) if len(words) == 1 and not words[0].isdecimal() else None
    return None if hour is None else (hour, 0)


def _day_part(words: list[str]) -> tuple[int, str]:
    """How many of the plain `words` come before the part of the day said at their end, and
    that part ("" if none)."""
    for phrase, part in _DAY_PARTS:
        if len(words) > len(phrase) and tuple(words[-len(phrase) :]) == phrase:
            return len(words) - len(phrase), part
    return len(words), ""


def _on_the_clock(hour: int, half: str, part: str) -> int | None:
    """The hour on a 24-hour clock, from "am"/"pm" typed or a part of the day said."""
    if half:
        if not 1 <= hour <= 12:
            return None
        return hour % 12 + (12 if half == "pm" else 0)
    if part == "night":
        part = "pm" if 5 <= hour < 12 else "am"
    if not part or hour == 0 or hour > 12:  # 18:30 in the evening is still 18:30
        return hour if part != "am" or hour < 12 else None
    return hour % 12 + (12 if part == "pm" else 0)


def _read_time(text: str) -> time | None:
    bracketed = _BRACKETED.search(text)
    if bracketed:
        return _read_time(bracketed[1])
    # Figures stay whole ("6:30", "p.m."): only spaces, apostrophes and hyphens part words.
    tokens = [token for token in re.split(r"[\s'’-]+", text.strip()) if plain(token)]
    words = [plain(token) for token in tokens]
    end, part = _day_part(words)
    begin = 0
    while end - begin > 1 and words[begin] in _BEFORE_TIME:
        begin += 1
    on_the_24h_clock = bool(_CLOCK_WORDS & set(words[:begin])) or (
        end > begin and re.match(r"kl\.?\d", tokens[begin].casefold()) is not None
    )
    if end - begin > 1 and words[begin] == "saa" and ":" in tokens[begin + 1]:
        # "saa 10:00 asubuhi", as replies once wrote it: figures with minutes are the
        # 24-hour clock, as the bot meant them; "saa 10 asubuhi" is Swahili time (4 am).
        begin, on_the_24h_clock = begin + 1, True
    tokens, words = tokens[begin:end], words[begin:end]
    if not part and tuple(words) in _NAMED_TIMES:
        return _NAMED_TIMES[tuple(words)]
    clock = _clock(" ".join(tokens))
    if clock is not None:
        hour, minute, half, marked = clock
        marked = marked or on_the_24h_clock
    else:
        spoken = _time_in_words(words)
        if spoken is None:
            return None
        if words[0] == "saa" and not part:
            # Swahili time without the part of the day: by day, as a circle meets ("saa tano"
            # is 11:00, "saa kumi na mbili" 18:00), from saa moja (7:00) to saa kumi na mbili.
            part = "am" if 7 <= spoken[0] <= 11 else "pm"
        # A number word alone ("six") is as unclear as "6"; "half past six" is a time.
        (hour, minute), half, marked = spoken, "", len(words) > 1
    if not (marked or part):
        return None
    on_the_clock = _on_the_clock(hour, half, part)
    if on_the_clock is None or on_the_clock > 23 or minute > 59:
        return None
    return time(on_the_clock, minute)


def hour_alone(text: str) -> time | None:
    """A bare hour on the 24-hour clock ("14", "9"), as an answer to "what time?" only: in a
    sentence a bare number may be anything."""
    typed = text.strip().rstrip(".")
    if typed.isdecimal() and len(typed) <= 2 and int(typed) <= 23:
        return time(int(typed))
    return None


def parse_time(text: str) -> time:
    found = _read_time(text)
    if found is None:
        raise UserError(
            N_("“%(text)s” is not a time I can read. Write it as HH:MM, like 18:00."), text=text
        )
    return found


# Hours that, typed without am or pm where clocks have 12 hours, mean the evening: a library
# circle meets at 5:30 in the evening, not before dawn.
_EVENING_HOURS = range(1, 8)


def evening_time(text: str, found: time, locale: str) -> time:
    """`found`, read from `text`, as its reader meant it: in a 12-hour locale (en_US), "5:30"
    or "6" without am or pm is the evening's (17:30); "05:30" and "5:30am" stay."""
    pattern = Locale.parse(locale).time_formats["short"].pattern
    if "a" not in pattern or found.hour not in _EVENING_HOURS or text.strip().startswith("0"):
        return found
    for said in (" pm", " in the evening"):  # "5:30 pm", "half past six in the evening"
        evening = _read_time(text.strip() + said)
        if evening is not None:
            return evening
    return found
