"""The router: one inbound message in, replies out, in one transaction.

It de-duplicates, identifies the sender, continues a guided conversation or runs a command from
the registry (checking the role the registry asks for, and asking which circle when several
qualify), and turns every failure into a short, translated answer while the transaction rolls
back.
"""

from __future__ import annotations

import functools
import logging
import random
import re
import unicodedata
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import IntEnum

from babel import Locale
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat import keywords
from bot.chat.clock import Clock
from bot.chat.contract import Unavailable
from bot.chat.errors import UserError
from bot.chat.i18n import N_, Catalogs, Number, Translator
from bot.chat.keywords import Keyword
from bot.chat.messages import Choice, Inbound, Outbound
from bot.chat.platforms import Platforms
from bot.circles import chats, circles, defaults, meetings, seats
from bot.circles.commands import discovery as circle_discovery
from bot.circles.commands import newcircle, seating, welcome
from bot.core import plain_text
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import conversations, members, people, receipts, values
from bot.dialogue.context import Context
from bot.dialogue.registry import (
    ACCESS_NAMES,
    GROUP_NOTES,
    STILL_GOING,
    Access,
    ArgKind,
    Command,
    Flow,
    InGroup,
    Registry,
    check_meetings,
    parse_args,
    roles_for,
)
from bot.letters import commands as letter_commands
from bot.letters import letters
from bot.letters.letters import LetterPolicy
from bot.network import commands as network
from bot.network import survey
from bot.reports.retention import DEFAULT_DAYS as DEFAULT_RETENTION_DAYS
from bot.rhythm import attendance, attendance_reminders, checkins, open_rsvps, pauses, questions
from bot.rhythm.commands import announcements, answers
from bot.storage.database import close_now, inline_statements, unavailable
from bot.storage.models import FACILITATING, Circle, CourseResource, QuestionKind, Role

log = logging.getLogger(__name__)

MAX_INBOUND_CHARS = 4000
# A letter typed by its number as letters show it beside numbered choices ("#12"): a bare
# number answers only those choices (issue 16).
LETTER_NUMBER = re.compile(r"#\s?(?P<number>\d{1,12})")
LINK_KEYWORD = re.compile(r"(?P<word>\S+)\s+(?P<code>[A-Za-z0-9-]{4,12})", re.IGNORECASE)
AIMED = re.compile(r"#(?P<circle>\d{1,12}) (?P<command>/.*)", re.DOTALL)
CHOOSE_CIRCLE = "choose-circle"
# Commands about the meeting on now (and how long after it ends): a circle meeting now is the
# one meant, whichever circle is the person's /default (a facilitator standing in the room).
ABOUT_THE_MEETING_NOW = {"attendance": timedelta(hours=4), "here": timedelta(0)}
# Commands a facilitator may reach for after closing a circle early, changing their mind: a
# circle closed early is still offered for them (it answers that it has finished).
BRING_MEETINGS_BACK = frozenset({"uncancel", "addmeeting", "skipweek", "reschedule"})
# Commands that may be meant for a circle that has finished as much as for one still going (a
# note to a past circle's learners, inviting them to the next round: A18): with one of each,
# they ask which, unless the /default says (dada 12: its preview names the circle).
ASK_WITH_A_FINISHED_ONE = frozenset({"announce"})
# Commands whose words name a member: someone in only one of the person's circles names it.
NAMES_A_MEMBER = frozenset({"cofacilitator", "handover", "remove"})
# How long after its last meeting a circle is still the one such a name picks without asking.
MEMBER_STILL_THERE = timedelta(days=7)
# The role a member so named has where the command can act on them (as run: "cofacilitator
# remove"): the circles where it can't do anything are not offered.
ACTS_ON_ROLE = {
    "cofacilitator": frozenset({Role.LEARNER}),
    "cofacilitator add": frozenset({Role.LEARNER}),
    "cofacilitator remove": frozenset({Role.COFACILITATOR}),
    "handover": frozenset({Role.COFACILITATOR}),
    "remove": frozenset({Role.LEARNER}),
}
_KEEP_CONTROLS = {"\n", "\t"}
# A locale hint as platforms send them ("en", "pt-br", "en_US"), short enough to be kept
# (Account.locale_hint); anything else is no hint.
LOCALE_HINT = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")
MAX_LOCALE_HINT_CHARS = 16


def valid_text(text: str) -> str:
    """`text` with each lone surrogate as U+FFFD (a pair as the character it makes): a JSON
    "\\ud800" escape makes one, and no encoder or database takes it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def clean_text(text: str) -> str:
    """Valid text (see valid_text), "\\n" for a line end, without control characters (a NUL
    breaks PostgreSQL text) or a byte-order mark, then in NFC (a removal may bring a letter and
    its accent together) and without surrounding space. Cleaning it again changes nothing."""
    text = valid_text(text).replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = "".join(ch for ch in text if ch in _KEEP_CONTROLS or unicodedata.category(ch) != "Cc")
    return unicodedata.normalize("NFC", text.strip()).strip()


def clean_inbound(inbound: Inbound) -> Inbound:
    """`inbound` with every field the core keeps made valid: the sender's name as clean_text makes
    it (people.clean_name then fits it), a locale hint that is no language tag dropped, ids with
    no lone surrogate. Its text and payload are cleaned where they are read (Router.handle)."""
    name, private = inbound.display_name, inbound.private_chat_id
    hint = (inbound.locale_hint or "").strip()
    return replace(
        inbound,
        account_id=valid_text(inbound.account_id),
        chat_id=valid_text(inbound.chat_id),
        message_id=valid_text(inbound.message_id),
        display_name=None if name is None else clean_text(name),
        locale_hint=hint
        if len(hint) <= MAX_LOCALE_HINT_CHARS and LOCALE_HINT.fullmatch(hint)
        else None,
        private_chat_id=None if private is None else valid_text(private),
    )


# A yes or no is a word or two ("yes", "Oui !"): longer text is never read as one.
MAX_YES_OR_NO_CHARS = 20

# How a message is read: the first row that applies wins. Written once here, tested as a table
# (tests/core/test_precedence.py). "Waiting" means a guided conversation (a Flow) is under way.
PRECEDENCE = (
    ("carrier keyword", "STOP, START or HELP on an SMS-style platform, in any language"),
    (
        "choice",
        "a number (or a button, or the label typed, or its first letters when no other "
        "choice's begin so, or a typed yes or no for the one Yes or No, or an answer that "
        "starts with one (what follows a 'but' is a remark: 'sí pero llego tarde') or, short, "
        "holds one and not the other: 'no sorry, working late', 'd'accord, oui', or a "
        "reminder's answer that says it can't come in so many words: 'nel, no voy a poder'; "
        "then passed on too if it says more) picking a choice last offered; a "
        "choice answers once, and words passed on to the facilitators leave it offered. The "
        "choices offered are the question asked last: a question asked before them stops "
        "waiting (it lapses quietly; /checkin asks a rating again), so '2' after a reminder is "
        "its No, never an older check-in's rating. A reminder's Yes/No another question took "
        "the place of (a check-in, the survey, a reminder whose meeting started) answers a "
        "number or a yes alone again once that is done, or a yes the 1-5 can't read. Choices "
        "lapse: weeks after they were offered, a search's circles after a day; a number is "
        "then read by the rows below",
    ),
    (
        "older 1-5",
        "a rating the choices offered can't take ('4' or 'good' to a newer 'Reply 1 for Yes or "
        "2 for No', 'Svar 1'): the week's rating, open until the next meeting whatever came "
        "after it, or the course survey's 1-5 still unanswered (a number once nothing else "
        "waits, or 'I'd give it a 5' weeks late, for six weeks); the week's 1-5 again for "
        "'5 great, thanks' once a letter written meanwhile is done; the newer choices still "
        "answer by number afterwards. Words that are no rating leave that rating alone",
    ),
    ("keyword as a command", "JOIN AB12CD, NEXT, YES on an SMS-style platform, nothing waiting"),
    (
        "help word",
        "HELP, HILFE, AYUDA, AIDE, MSAADA, HJÆLP alone (any shipped language, case, accents "
        "and punctuation aside) in a private chat on any platform, from someone in a circle: "
        "/help, as the carrier's HELP is by SMS; so is 'no entiendo, qué tengo que "
        "responder' while choices wait (the question again, or the words to text once its "
        "meeting has started); what is waiting stays",
    ),
    ("command word", "a command word typed without / where a question waits for words"),
    ("aimed command", "#12 /rsvp yes: a button from a message about one circle"),
    ("/cancel", "stops what is waiting, or says nothing is"),
    (
        "/skip",
        "by its name in any language (/ueberspringen): what the waiting state declares for it "
        "(State.skip), or that it can't be skipped; never an older question behind it",
    ),
    ("command", "any other /command; what is waiting stays, choices included"),
    (
        "flow answer",
        "the answer to the waiting conversation (or 'cancel'); a reply too short to be a "
        "letter, or saying it comes, to a letter invitation answers a reminder still open; "
        "an offer to pass a private "
        "learner's words on ('Reply 1 for Yes, pass it on') takes only its answer: any other "
        "message lets it go and is read from the top",
    ),
    ("group talk", "people talking in a group: not for the bot"),
    (
        "stop asked",
        "by SMS, a sentence asking to stop the messages ('stop please', 'acha kunitumia "
        "ujumbe'): how to stop (STOP on its own), never a rating nor passed on",
    ),
    (
        "question answer",
        "the answer to the question the bot asked last (a check-in, the goal); a sentence "
        "while a rating is asked answers the goal review or reflection still open before it; "
        "a question asked back at a reflection or goal review asks whether it is a message for "
        "the facilitators, never kept as the answer; a sentence while a rating is asked "
        "gives the rating it holds ('creo que le pongo un 4', 'war ganz ok, aber...') and is "
        "kept as the check-in's words, private if the learner keeps them so; from one who "
        "shares, words that ask or name a facilitator, or come days later, go on to the "
        "facilitators and say so; a word or "
        "three the survey's choices can't read asks its question again; a letter sent back "
        "to the letter invitation is asked about first ('Is this your letter?')",
    ),
    (
        "letter thanks",
        "a thank-you in words ('gracias!', 'Thank you so much') while a letter's Send a "
        "thank-you is offered: to the writers of the letters sent, as /thanks, never to the "
        "facilitators",
    ),
    (
        "free text",
        "to the person's facilitators (two-way messages); from a learner who said yes to the "
        "next meeting, a sentence saying they can't come after all is its No as well; from "
        "one in no circle who left one still going in the last 60 days, to its facilitators, "
        "and she is told when she left and its join code to come back",
    ),
    (
        "choices again",
        "words the bot can't read while choices wait (a seat held, 'May I pass your tip "
        "on?'): the choices are offered again, and still answer",
    ),
    ("newcomer", "someone in no circle (nor one left lately): how to join or start one"),
    ("fallback", "I didn't catch that"),
)


async def _said(ctx: Context, text: str) -> tuple[str | None, bool]:
    """A typed yes or no ("NDIYO", "non") picks the one Yes or No among the choices offered
    (a reminder's, the sharing question's), as its number would: the words people answer with,
    by SMS most of all, are never taken for something else waiting meanwhile. So does one that
    starts with yes or no ("no sorry, working late", "oui je viens") or a short answer holding
    one ("d'accord, oui"), unless a question asked since waits for words (an announcement's
    reply). Also whether the message says more (questions.a_sentence): then it goes on to the
    facilitators too. A command ("/rsvp yes 1") is never an answer in words."""
    if text.lstrip().startswith("/"):
        return None, False
    if plain_text.applies(ctx) and plain_text.typed_command(ctx, text) is not None:
        return None, False  # "CONFIRMAR NO 4": the keyword runs, and is no message (C17)
    if await answers.arrived(ctx, text) or await answers.arrived_saying_more(ctx, text):
        return None, False  # "YA ESTOY AQUI" at the meeting: here, not a yes to come (C26)
    maybe = answers.maybe_and_more(ctx, text)
    if answers.rsvp_offered(conversations.payloads(ctx.conversation)) and maybe is not None:
        # "peut-être", "labda, nitajaribu kufika" to "Will you come?": noted as a maybe; its
        # reason goes on too (A9, B2)
        return answers.maybe_choice(conversations.payloads(ctx.conversation)), bool(maybe)
    whole = answers.yes_or_no(ctx.reader, text) if len(text) <= MAX_YES_OR_NO_CHARS else None
    if whole is None:  # "si" in an English circle: a yes in the learner's own language (A42)
        whole = answers.yes_or_no_anywhere(ctx, text)
    said = whole if whole is not None else answers.yes_or_no_in(ctx.reader, text)
    if said is False and answers.says_one_of(ctx, text, answers.NOT_UNDERSTOOD):
        said = None  # "no entiendo", "I don't understand": never a No (A42)
    offered = conversations.payloads(ctx.conversation)
    if said and whole is None and _asks_about_circles(ctx, text, offered):
        return None, False  # "Si está lleno, ¿puedo ir igual?": an "if", no pick (issue 16)
    if said is None and answers.sharing_offered(offered):
        said = _sharing_said_otherwise(ctx, text)  # "doch lieber privat", "hellere ikke"
    if said is None and answers.rsvp_offered(offered) and answers.says_not_coming(ctx.reader, text):
        said = False  # "nel, no voy a poder, ando de vacaciones": a no, in so many words
    if said is None and answers.rsvp_offered(offered) and answers.thumbs_up(text):
        said = True  # "👍" to "¿Vienes?": a yes, never a message to the facilitator
    besides = None
    if said is None and answers.rsvp_offered(offered):
        # "am coming", "...werde ich morgen pünktlich erscheinen. Ich habe ...": a yes, in so
        # many words; `besides`, the words said with it.
        besides = answers.coming_said(ctx.reader, text)
        said = True if besides is not None else None
    # "I had a cold but I am better now. Yes I will call in Thursday" (fac 15)
    later_yes = (
        said is None
        and answers.rsvp_offered(offered)
        and answers.yes_opening_a_sentence(ctx.reader, text)
    )
    if later_yes:
        said = True
    if said is None:
        return None, False
    word = "yes" if said else "no"
    matching = [p for p in offered if word in p.casefold().split()]
    if not matching and said and not ctx.conversation.flow:
        matching = affirmative(offered)  # "yes please" to "Reply 1 for Join"
    if len(matching) != 1:
        return None, False
    if (
        whole is None
        and not await network.reads_its_answers(ctx, offered)
        and await answers.asked_since(ctx, offered)
    ):
        if (
            (later_yes or besides is not None)
            and answers.rsvp_offered(offered)
            and await answers.words_go_to_the_facilitators(ctx)
        ):
            # A yes to "Will you come?" after a facilitator's reply (fac 15), in a sentence of
            # its own or in so many words ("I'll be there"): noted, and the words still go on
            # to them, as the reply asked. "Yes much better" answers the reply alone.
            return matching[0], True
        return None, False
    # A yes that says little else ("siii claro que voy!! 🙌") is only the answer.
    brief = said and answers.says_little_more_than_yes(ctx.reader, text)
    brief = brief or _its_label_and_thanks(ctx, matching[0], text)
    brief = brief or (besides is not None and not questions.a_sentence(" ".join(besides)))
    brief = brief or (not said and _only_no(ctx, text))
    # "si claro que lo lea...": about sharing alone. A confirmation's Yes / No (a flow's: "Leave
    # ...?") look the same, and its words with the yes still go on (walkthrough 8).
    brief = brief or (not ctx.conversation.flow and answers.only_about_sharing(offered, text))
    # "no, I will stay" to LEAVE?: a guided command's No said again, for no one else to read;
    # one that asks something, or goes on after a "but", still goes on (smses 15).
    brief = brief or (not said and bool(ctx.conversation.flow) and answers.only_no_again(ctx, text))
    # "nein bin krank": a no with its reason goes on too, however short (D22).
    reason = whole is None and not said and not brief and _no_and_reason(ctx, text)
    return matching[0], (whole is None and questions.a_sentence(text) and not brief) or reason


# Translators: phrases that only say a no again, after a no to a yes-or-no question ("no,
# better not", "no, mejor que no", "non, plutôt pas"); comma-separated. Only phrases that
# give no reason. Keep the English ones.
NO_AGAIN = N_("better not, rather not, I'd rather not, I would rather not, no thanks, not really")


def _only_no(ctx: Context, text: str) -> bool:
    """Whether a no says nothing else ("no, mejor que no", C37): the answer, and nothing to
    pass on to the facilitators as a message besides."""
    said = " " + " ".join(keywords.plain(word) for word in re.findall(r"\w+", text)) + " "
    phrases = sorted(
        {
            " ".join(keywords.plain(word) for word in re.findall(r"\w+", phrase))
            for listed in [NO_AGAIN, *ctx.catalogs.in_every_language(NO_AGAIN)]
            for phrase in listed.split(",")
            if phrase.strip()
        },
        key=len,
        reverse=True,
    )
    for phrase in phrases:
        said = said.replace(f" {phrase} ", " ")
    no = keywords.words(ctx.reader, keywords.NO) | {keywords.plain(ctx.reader._("no"))}
    return all(word in no for word in said.split())


def _sharing_said_otherwise(ctx: Context, text: str) -> bool | None:
    """The sharing question's Yes or No in a short reply without a yes or no word: a no said
    again ("lieber nicht", "hellere ikke": NO_AGAIN, in any shipped language), else a word of
    one choice's label only ("doch lieber privat" for "Nein, privat lassen"). None for a
    question or a sentence: those are words for the facilitators, not an answer to guess."""
    if text.rstrip().endswith(("?", "？")) or questions.a_sentence(text):
        return None
    said = [keywords.plain(word) for word in re.findall(r"\w+", text)]
    rather_not = keywords.phrases(ctx.catalogs, NO_AGAIN)
    spans = (
        "".join(said[at:end]) for at in range(len(said)) for end in range(at + 1, len(said) + 1)
    )
    if any(span in rather_not for span in spans):
        return False
    labels = {
        choice[0]: {
            keywords.plain(word)
            for word in re.findall(r"\w+", choice[1])
            if len(word) >= conversations.MIN_WORD_LETTERS
        }
        for choice in ctx.conversation.choices
        if not isinstance(choice, str) and len(choice) > 1
    }
    # A word both labels have names neither.
    named = [
        payload
        for payload, words in labels.items()
        if set(said) & (words - set().union(*(w for p, w in labels.items() if p != payload)))
    ]
    if len(named) != 1:
        return None
    return "yes" in named[0].casefold().split()


# The fewest words besides a no that give its reason ("nein bin krank", "kan ikke, er syg"); one
# word is a sorry ("non désolé").
MIN_REASON_WORDS = 2


def _no_and_reason(ctx: Context, text: str) -> bool:
    """Whether a short no gives a reason ("nein bin krank"): MIN_REASON_WORDS words besides
    its no and a thanks."""
    no = keywords.words(ctx.reader, keywords.NO) | {keywords.plain(ctx.reader._("no"))}
    said = [keywords.plain(word) for word in re.findall(r"\w+", text)]
    rest = " ".join(word for word in said if word not in no)
    return checkins.says_more(rest, ctx.reader) and len(rest.split()) >= MIN_REASON_WORDS


def _its_label_and_thanks(ctx: Context, payload: str, text: str) -> bool:
    """Whether `text` is the label of the choice it picks with only a thanks or a please
    around it ("Hapana, iwe siri tafadhali" for "Hapana, iwe siri"): nothing more to pass on."""
    labels = [c[1] for c in ctx.conversation.choices if not isinstance(c, str) and c[0] == payload]
    if not labels:
        return False
    label = {keywords.plain(word) for word in re.findall(r"\w+", labels[0])}
    rest = [word for word in re.findall(r"\w+", text) if keywords.plain(word) not in label]
    return not checkins.says_more(" ".join(rest), ctx.reader)


# A command choice is negative when its payload holds one of these words ("/letters reject 4",
# "/survey share no"): a yes never picks it.
NEGATIVE_WORDS = frozenset({"no", "reject"})
COMMAND_PAYLOAD = re.compile(r"(?:#\d+ )?/\S")


def _asks_about_circles(ctx: Context, text: str, offered: list[str]) -> bool:
    """Whether words to the circles /find offers (or a seat) ask something of them: a question
    picks none, whatever yes it starts with; it goes to their facilitators (_words_about_a_seat)."""
    return circle_discovery.offers_circles(offered) and (
        "?" in text or answers.asks_a_question(ctx, text)
    )


async def _words_about_a_seat(
    ctx: Context, text: str, about: int | None, offered: list[str]
) -> bool:
    """Words about a seat from someone not in the circle (issue 16): one on its waiting list
    hears her place when she asks it, else her words reach the facilitators of the circle she
    waits for (never a finished one of hers); a question to a circle /find offers reaches its
    facilitators. Both are told the writer is not in it yet."""
    waiting = await seating.waited_for(ctx, text, about)
    if waiting is not None and answers.says_one_of(ctx, text, seating.PLACE_ASKED):
        await seating.tell_place(ctx, *waiting)
        return True
    if (
        waiting is not None
        and "?" not in text
        and seats.has_live_offer(waiting[0], ctx.now)
        and await answers.may_offer_again(ctx, offered)
    ):
        return False  # words unread while a seat is held for her: the seat is offered again first
    if waiting is not None and (questions.a_sentence(text) or "?" in text):
        circle, said = waiting[1], seating.WAITING_WROTE
    elif about is not None and _asks_about_circles(ctx, text, offered):
        found = await ctx.session.get(Circle, about)
        if found is None or any(c.id == about for _, c in ctx.memberships):
            return False
        circle, said = found, seating.NOT_IN_IT_WROTE
        # "hola Mette, ... puedo volver al grupo?": to the facilitator of a circle she left,
        # about that one, never one of the listing she did not pick (dada 10).
        former = await answers.former_circle_addressed(ctx, text)
        if former is not None and former.id != about:
            circle, said = former, seating.WAS_IN_WROTE
    else:
        return False
    name = ctx.person.display_name
    await announcements.pass_on(
        ctx,
        circle,
        MessageKind.FORWARDED_TEXT,
        lambda reader: reader._(said, name=name, circle=circle.name, text=text),
    )
    return True


def affirmative(payloads: list[str]) -> list[str]:
    """The choices a yes may pick where none says yes itself: the commands offered that say
    no "no" or "reject" ("Join", "Approve letter 4", "Take attendance"). A yes picks one only
    when it is the one such choice on offer (a menu of circles or languages has several)."""
    return [
        p
        for p in payloads
        if COMMAND_PAYLOAD.match(p) and not NEGATIVE_WORDS & set(p.casefold().split())
    ]


# A choice's number set apart from the words after it: "2 - no internet at home", "1, see
# you", "2: bus strike". The number is the answer, the words a comment on it.
_NUMBER_SET_APART = re.compile(r"\s*\d{1,2}\s*[-–—,:;)]\s*\S", re.DOTALL)


def _numbered(ctx: Context, text: str) -> tuple[str | None, str]:
    """A reply that starts with a choice's number and says more ("5 it was great", "4/5",
    "1 asante"): the choice it picks, and its words when they make a sentence (kept as the
    open answer, or passed on). A 1-5 scale takes any words after its number, and keeps them
    unless they only thank ("5 nilifurahi sana" is kept, "4 asante" is not); other choices
    only a few ("2 people are ill" is a message, not a No), or any set apart from the number
    ("2 - no internet at home"). Never in a guided conversation, which reads its own ("1
    done" on the attendance sheet)."""
    found = answers.number_and_words(ctx, text)
    offered = conversations.payloads(ctx.conversation)
    if found is None or ctx.conversation.flow or not 1 <= found[0] <= len(offered):
        return None, ""
    number, rest = found
    set_apart = _NUMBER_SET_APART.match(text) is not None
    if _a_scale(offered):
        # "5 nilifurahi sana": a rating's words are kept however few, unless only a thanks.
        return offered[number - 1], rest if checkins.says_more(rest, ctx.reader) else ""
    # "merci!! 2 je suis au village": a thanks first sets the number apart too.
    set_apart = set_apart or answers.thanks_first(ctx, text)
    if questions.a_sentence(text) and not set_apart:
        return None, ""
    return offered[number - 1], rest if questions.a_sentence(text) else ""


def _rated(ctx: Context, text: str) -> tuple[str | None, str]:
    """A rating in words ("five", "tano", "plutôt bien": checkins.parse_rating) picking a
    choice of a 1-5 scale offered (the survey's), as the check-in's rating question reads it;
    or an option's words starting a longer reply ("muy bien! aprendí mucho":
    checkins.leading_rating), with the words after it, kept as _numbered keeps them; or one
    ending a short reply ("I already said good": checkins.trailing_rating). Never in a guided
    conversation."""
    offered = conversations.payloads(ctx.conversation)
    if ctx.conversation.flow or not _a_scale(offered) or text.lstrip().startswith("/"):
        return None, ""  # "/thanks 3" is a command, never a rating of 3
    rating = checkins.parse_rating(text, ctx.reader)
    if rating is None:
        rating = checkins.trailing_rating(text, ctx.reader)  # "YA LE DIJE EXCELENTE" (C5)
    if rating is not None:
        return offered[rating - 1], ""
    leading = checkins.leading_rating(text, ctx.reader)
    if leading is None:
        return None, ""
    # The words kept are all the learner wrote ("godt, men lidt svært..."), never cut after
    # the rating: the facilitator reads them as theirs (D6).
    return offered[leading[0] - 1], text.strip()


# The most words of a bare yes or no ("oui bien sûr", "ja klar"): _reminder_from_a_linked_account.
BARE_ANSWER_WORDS = 4


async def _reminder_from_a_linked_account(ctx: Context, text: str) -> None:
    """A bare yes or no ("oui" by SMS) where nothing is offered, while a meeting reminder's Yes
    and No wait in the person's linked chat app: the reminder's answer (README: "YES / NO ...
    your answer for the next meeting"), never the words of an older question waiting for
    words, such as a check-in's (lang 19). Its choices move here, to be read as if sent here."""
    conversation = ctx.conversation
    if conversation.choices or conversation.flow or ctx.inbound.is_group:
        return
    if text.lstrip().startswith("/") or len(text.split()) > BARE_ANSWER_WORDS:
        return  # a command, or more than a bare answer: not read (issue 18: a tenth of /next)
    if ctx.inbound.payload is not None or answers.yes_or_no(ctx.reader, text) is None:
        return
    waiting = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if waiting is not None and QuestionKind(waiting.kind) not in questions.WRITTEN_ANSWERS:
        return  # a yes-or-no question of its own ("May your facilitator read...?")
    for other in await conversations.of_linked_accounts(ctx.session, ctx.person_id, ctx.account.id):
        if not other.flow and answers.rsvp_offered(conversations.payloads(other)):
            conversations.offer(conversation, list(other.choices))
            conversations.offer(other, [])
            ctx.session.add(other)
            return


def _beyond_a_rating(ctx: Context, words: str) -> bool:
    """Whether the words sent with a rating say more than a rating ("Good. 4" does not)."""
    rest = re.sub(r"\d+", " ", words)
    return checkins.parse_rating(rest, ctx.reader) is None and checkins.says_more(rest, ctx.reader)


async def _survey_rated_in_a_sentence(ctx: Context, text: str) -> str | None:
    """The course survey's 1-5 offered, weeks late: "Oh I am sorry I missed this. I would give
    it a 5, it was very clear." is its rating, never a message for the facilitators (A15).
    Not while a week's rating waits too: a sentence is about that meeting, not read here."""
    offered = conversations.payloads(ctx.conversation)
    step = survey.step_offered(offered)
    if ctx.conversation.flow or step is None or step[1] != survey.RATING:
        return None
    rating = checkins.rating_in_words(text, ctx.reader)
    if rating is None or not _a_scale(offered):
        return None
    if await answers.rating_open(ctx):  # newest or not (B11): the survey's words wait after it
        return None
    return offered[rating - 1]


# After words went on while the survey's 1-5 waits ("I liked it very much", fac 45).
SURVEY_STILL_WAITS = N_("To rate the course, reply with a number from 1 to 5.")


def _survey_still_waits(ctx: Context, shown: list[Choice]) -> bool:
    """After words went on to the facilitators while the survey's rating waits: its question
    asked again, its choices shown again. False when `shown` is no survey rating."""
    step = survey.step_offered([choice.payload for choice in shown])
    if step is None or step[1] != survey.RATING or not ctx.replies:
        return False
    last = ctx.replies[-1]
    ctx.replies[-1] = replace(
        last, text=last.text + " " + ctx.tr._(SURVEY_STILL_WAITS), choices=tuple(shown)
    )
    return True


def _a_scale(offered: list[str]) -> bool:
    """Whether the choices offered are a 1-5 scale: their payloads end 1 to 5."""
    return [p.split()[-1] if p.split() else "" for p in offered] == ["1", "2", "3", "4", "5"]


# Translators: what people write, in a sentence, to ask the bot to stop messaging them;
# comma-separated phrases. Keep the English ones.
STOP_ASKED = N_(
    "stop sending, stop texting, stop messaging, stop the messages, no more messages, "
    "unsubscribe me, remove me from the list"
)
# Translators: more ways people ask, in a sentence, to get no more texts ("I don't want any
# more SMS", "je veux plus recevoir de sms", "no quiero mas sms"); comma-separated phrases.
# Keep the English ones.
STOP_ASKED_TOO = N_(
    "don't want any more sms, do not want any more sms, don't want sms, no more sms, "
    "don't send me sms, stop the sms"
)
# To someone in several circles asking to stop: leaving one is the way out of its messages,
# STOP the way out of all of them (A14).
STOP_ONE_OR_ALL = N_(
    "To leave one circle only, send /leave and I'll ask which. To stop every message from me, "
    "in all your circles, text %(stop)s on its own."
)
# A message this short holding STOP ("stop please", "pls stop") asks to stop; a longer one may
# be about a bus stop.
MAX_STOP_WORDS = 3


def _asks_to_stop(ctx: Context, text: str) -> bool:
    """Whether `text` asks, in a sentence, to stop the messages ("stop please", "Tafadhali acha
    kunitumia ujumbe"): STOP_ASKED in any shipped language, or a short one holding the word
    STOP (English or the reader's). A whole STOP is the carrier keyword, handled before."""
    words = {keywords.plain(word) for word in text.split()}
    stop = {"stop", keywords.plain(keywords.first_word(ctx.tr, keywords.OPT_OUT))}
    if len(text.split()) <= MAX_STOP_WORDS and words & stop:
        return True
    return answers.says_one_of(ctx, text, STOP_ASKED) or answers.says_one_of(
        ctx, text, STOP_ASKED_TOO
    )


def _declines_circles(ctx: Context, text: str) -> bool:
    """Whether `text` says no to the circles on offer (/find's listing, a seat): "no", "non
    merci c'est trop loin haha"."""
    if ctx.conversation.flow or not circle_discovery.offers_circles(
        conversations.payloads(ctx.conversation)
    ):
        return False
    whole = answers.yes_or_no(ctx.reader, text) if len(text) <= MAX_YES_OR_NO_CHARS else None
    return whole is False or (whole is None and answers.yes_or_no_in(ctx.reader, text) is False)


async def _reminder_kept(ctx: Context, text: str) -> None:
    """One question per chat, kept while the person answers another: a reminder's Yes and No
    that a check-in or the survey took the place of answer again once nothing else is offered,
    and take the place of another reminder's whose meeting has started (too late to answer).
    Only for a number or a yes or no alone, and not while a question asked after it waits for
    words ("no" to "Anything in your way?")."""
    offered = conversations.payloads(ctx.conversation)
    if not ctx.memberships or not plain_text.lone_answer(ctx, text):
        return  # a sentence is about what came last ("thanks for the course!"), not this
    # "NDIYO" to a 1-5 (a check-in asked since): no rating, the reminder's yes.
    said = len(text) <= MAX_YES_OR_NO_CHARS and answers.yes_or_no(ctx.reader, text) is not None
    not_rated = said and _a_scale(offered) and checkins.parse_rating(text, ctx.reader) is None
    if offered and not not_rated and not await open_rsvps.lapsed(ctx.session, offered, ctx.now):
        return
    kept = await _rsvp_still_open(ctx)
    if kept is None or [choice[0] for choice in kept.choices] == offered:
        return
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    rating = question is not None and question.kind == QuestionKind.RATING
    if question is not None and question.asked_at > kept.asked_at and not (said and rating):
        return
    conversations.offer(ctx.conversation, kept.choices)


async def _rsvp_still_open(ctx: Context) -> open_rsvps.OpenRsvp | None:
    """The "Will you come?" still open in this chat, of one of the person's circles."""
    return await open_rsvps.still_open(
        ctx.session,
        ctx.inbound.platform,
        ctx.inbound.chat_id,
        ctx.person_id,
        {circle.id for _, circle in ctx.memberships if circle.id is not None},
        ctx.now,
    )


# "ja, ich komme morgen pünktlich": a reply this short that says it comes (or can't) is about
# the meeting, never a letter.
MOST_RSVP_WORDS_OVER_A_LETTER = 7


async def _rating_kept(ctx: Context, text: str) -> None:
    """A reply that starts with a rating ("5 great. Thank you Madam Efua for everything") while
    the week's rating question waits and nothing is offered (a letter written meanwhile took
    its place, C10): the rating's 1-5 is offered again, so its number picks it, with the
    words after it kept as for "5 it was great"."""
    if ctx.conversation.choices or ctx.conversation.flow:
        return
    found = answers.number_and_words(ctx, text)
    if found is None or not 1 <= found[0] <= len(checkins.RATINGS):
        return
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if question is not None and question.kind == QuestionKind.RATING:
        conversations.offer(ctx.conversation, checkins.rating_choices(ctx.tr))


async def _reminder_over_a_letter(ctx: Context, text: str) -> None:
    """While a letter invitation waits for the letter itself (sent after a reminder: D11), a
    reply too short to be a letter ("1", "ja ich komme morgen") answers the reminder's "Will
    you come?" still open: its Yes and No are offered again, and the letter still waits."""
    conversation = ctx.conversation
    if (
        conversation.flow != letter_commands.FLOW
        or conversations.state_of(conversation) != letter_commands.WRITING
        or not ctx.memberships
        or text.lstrip().startswith("/")
    ):
        return
    about_coming = len(text.split()) <= MOST_RSVP_WORDS_OVER_A_LETTER and (
        answers.coming_said(ctx.reader, text) is not None
        or answers.says_not_coming(ctx.reader, text)
    )
    if len(text.strip()) >= letters.MIN_CHARS and not about_coming:
        return  # it may be the letter
    kept = await _rsvp_still_open(ctx)
    if kept is not None:
        conversations.offer(conversation, kept.choices)


async def _scale_kept(ctx: Context, text: str) -> None:
    """A rating's number alone that the choices offered can't take ("5" or "4" to a newer
    "Reply 1 for Yes or 2 for No", "Svar 1"): the course survey's 1-5 offered before them,
    still unanswered, takes it (D26, D27), never "Sorry, I didn't catch that"."""
    offered = conversations.payloads(ctx.conversation)
    typed = text.strip(" .!")
    if not typed.isdecimal() or _a_scale(offered) or ctx.conversation.flow:
        return
    number = int(typed)
    if not len(offered) < number <= len(checkins.RATINGS):
        return
    since = ctx.now - questions.SCALE_KEPT_FOR
    if not offered:
        # Nothing offered now (the newer choices answered: A15, D10): the survey's 1-5 takes a
        # bare number when no question waits for one, for as long as it stays open.
        waiting = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
        if waiting is not None and waiting.kind != QuestionKind.REPLY:  # REPLY: words only
            return
        since = ctx.now - questions.SURVEY_SCALE_KEPT_FOR
    for choices in await questions.offers_since(
        ctx.session, ctx.inbound.platform, ctx.inbound.chat_id, since
    ):
        payloads = [choice[1] for choice in choices]
        step = survey.step_offered(payloads)
        if step is None or step[1] != survey.RATING or not _a_scale(payloads):
            continue
        circle = await ctx.session.get(circles.Circle, step[0])
        if circle is None:
            return
        row = await survey.answers_of(ctx.session, circle, ctx.person_id)
        if row is None or row.rating is None:
            conversations.offer(ctx.conversation, [[c[1], c[0]] for c in choices])
        return


# Translators: what people answer to "Which circle is that for?" to mean every circle offered
# ("both", "all"), comma-separated. Keep the English ones.
ALL_CIRCLES_WORDS = N_("both, all, all of them, both of them, the two, all circles")
# The commands "both" answers (a setting of one's own, the same in each): run for each circle.
FOR_EACH_CIRCLE = frozenset({"checkin", "sharing"})


def _for_each(command: str, rest: str) -> bool:
    """Whether `command` with arguments `rest` may run for several circles at once: a switch
    (CHECKIN OFF, SHARING ON), never a check-in's answer or a question."""
    return command in FOR_EACH_CIRCLE and bool(rest.strip())


def _several_chosen(ctx: Context, options: list[circles.Circle], text: str) -> list[circles.Circle]:
    """The circles an answer to "which circle?" picks when it picks more than one: every one
    ("both", "LOS DOS", "zote": ALL_CIRCLES_WORDS), or their numbers ("1 y 2", "1,2")."""
    typed = keywords.plain(text)
    if typed and typed in keywords.phrases(ctx.catalogs, ALL_CIRCLES_WORDS):
        return list(options)
    numbers = re.findall(r"\d+", text)
    leftover = re.sub(r"\d+|[\s,;&+/.]", " ", text).split()
    if len(numbers) < 2 or len(leftover) > 1:  # "1 y 2", "1 and 2": one word between at most
        return []
    if not all(0 < int(n) <= len(options) for n in numbers):
        return []
    return [options[int(n) - 1] for n in dict.fromkeys(numbers)]


LANGUAGE_CHOICE = "/language "


def _offers_languages(payloads: list[str]) -> bool:
    """Whether the choices offered are the language menu."""
    return bool(payloads) and all(p.startswith(LANGUAGE_CHOICE) for p in payloads)


def _language_named(ctx: Context, text: str) -> str | None:
    """At the language menu ("Reply with a number or a code like es"), the language a code
    or a name picks: "en", "Kiingereza", "anglais svp"."""
    offered = conversations.payloads(ctx.conversation)
    if not _offers_languages(offered):
        return None
    codes = {p.removeprefix(LANGUAGE_CHOICE).casefold(): p for p in offered}
    typed = text.strip().casefold()
    code = typed if typed in codes else answers.language_named(ctx, text)
    if code is None and keywords.plain(typed.strip("?!. ")) in _any_language_names(
        tuple(ctx.catalogs.locales)
    ):
        # "Türkisch?": a language not shipped, asked for at the menu: /language says so and
        # offers the menu again (walkthrough 8, lang 13), never a message to the facilitator.
        return LANGUAGE_CHOICE + text.strip("?!. ")
    return codes.get(code or "")


@functools.cache
def _any_language_names(readers: tuple[str, ...]) -> frozenset[str]:
    """Every language's name, as each shipped language writes it (Babel's lists), as plain()."""
    return frozenset(
        keywords.plain(name)
        for reader in readers
        for name in Locale.parse(reader).languages.values()
    )


async def _language_asked(ctx: Context, text: str) -> str | None:
    """A language asked for by its name, in any shipped language, with a polite word or two
    ("deutsch", "Deutsch bitte", "en español por favor"), as by SMS: "/language CODE". While a
    question waits for words only a name alone ("ESPANOL"; the goal question reads it itself),
    never for the language already spoken."""
    code = answers.language_named(ctx, text)
    if code is None or code == ctx.tr.locale:
        return None
    waiting = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if waiting is not None and waiting.kind == QuestionKind.GOAL:
        return None
    # A plea in a sentence ("NO ENTIENDO QUIERO EN ESPAÑOL", C38) wins over a question waiting
    # for words (a letter's "Is this your letter?", a reflection): language_named reads only
    # a language asked for, never one spoken of ("to learn English").
    # A language's name alone ("ESPANOL") switches even while a question waits for words (the
    # goal review): the way out for someone suddenly reading a language they can't
    # (walkthrough 8, sms 41), never kept as the answer.
    return LANGUAGE_CHOICE + code


_CODE_SHAPED = re.compile(r"[\w-]+")
_SENTENCES_OF = re.compile(r"[^.!?\n]+[.!?]*")


def _around_the_code(text: str, code: str) -> str:
    """`text` without the sentence holding the circle's `code`: what a newcomer says besides
    joining (a question about the circle goes on to its facilitators)."""
    return " ".join(
        s.strip() for s in _SENTENCES_OF.findall(text) if code.casefold() not in s.casefold()
    )


def _names_link(ctx: Context, word: str) -> bool:
    """LINK, or /link's name in any shipped language ("VINCULAR"): the code is typed on a new
    phone, which has no language yet."""
    names = {"link"} | {
        keywords.plain(keywords.local_name(ctx.catalogs.translator(code), "link"))
        for code in ctx.catalogs.locales
    }
    return keywords.plain(word) in names


async def _join_code(ctx: Context, text: str) -> str | None:
    """The circle's join code the message is, or one held in a sentence from someone in no
    circle ("si, el codigo es 5c5hd2m", or a whole first text around it), as a pasted
    invitation is read (welcome.invited_code): only a code some circle has, so other words
    stay words."""
    typed = text.strip()
    if " " not in typed:
        return typed if await seats.circle_for_code(ctx.session, typed) is not None else None
    if ctx.memberships:
        # "rejoindre AJNPP8G", the invitation's SMS form, typed in a chat app by a member of
        # another circle (B19): the join word of any language, then a code some circle has.
        match = keywords.read(ctx.reader, typed, ctx.catalogs.in_every_language(keywords.JOIN))
        code = match.argument.strip() if match is not None and match.keyword is Keyword.JOIN else ""
        if code and await seats.circle_for_code(ctx.session, code) is not None:
            return code
        return None
    for word in _CODE_SHAPED.findall(typed):
        if await seats.circle_for_code(ctx.session, word) is not None:
            return word
    return None


# To someone writing with a finished circle's code: the circle its facilitator runs now.
RUNS_NOW = N_("%(name)s now runs %(circle)s.")


async def _run_now_by_its_facilitator(ctx: Context, finished: Circle) -> tuple[Circle, str] | None:
    """A circle still going that a facilitator of `finished` runs or co-runs now, and that
    facilitator's name."""
    assert finished.id is not None
    for entry in await members.roster(ctx.session, finished.id):
        if entry.membership.role not in FACILITATING or entry.person.id is None:
            continue
        for circle in await circles.facilitated(ctx.session, entry.person.id):
            assert circle.id is not None
            if circle.id != finished.id and not await meetings.is_over(
                ctx.session, circle.id, ctx.now
            ):
                return circle, entry.person.display_name
    return None


async def _asked_on_joining(ctx: Context, code: str, words: str, welcome_at: int) -> None:
    """A newcomer's first text said more than her circle's code (a question about the
    circle): once the code has joined her, her words reach its facilitators, and the welcome
    says so first, so that its question to her ("What should the group call you?") is still
    the last thing she reads, in the same text."""
    circle = await seats.circle_for_code(ctx.session, code)
    if circle is None or circle.id is None or len(ctx.replies) <= welcome_at:
        return
    joined = await circles.membership_of(ctx.session, circle.id, ctx.person_id)
    if joined is None or joined.role != Role.LEARNER:
        return  # not in (a waiting list, a finished circle): nothing to pass on through
    name, texted = ctx.person.display_name, plain_text.applies(ctx)
    if joined.left_at is not None and await meetings.is_over(ctx.session, circle.id, ctx.now):
        running = await _run_now_by_its_facilitator(ctx, circle)
        if running is not None:
            # "Can I join the new class? JOIN <the old code>" (sms 37): her words go to the
            # circle its facilitator runs now, and she hears which one that is.
            new, lead = running
            await announcements.pass_on(
                ctx,
                new,
                MessageKind.FORWARDED_TEXT,
                lambda reader: reader._(
                    seating.NOT_IN_IT_WROTE, name=name, circle=new.name, text=words
                ),
            )
            told = ctx.replies.pop()
            finished = ctx.replies[welcome_at]
            ctx.replies[welcome_at] = replace(
                finished,
                text=told.text
                + "\n\n"
                + finished.text
                + " "
                + ctx.tr._(RUNS_NOW, name=lead, circle=new.name),
            )
            return

    def render(reader: Translator) -> str:
        if texted:
            return reader._(
                "%(name)s texted about %(circle)s:\n%(text)s",
                name=name,
                circle=circle.name,
                text=words,
            )
        return reader._(
            "%(name)s wrote about %(circle)s:\n%(text)s", name=name, circle=circle.name, text=words
        )

    await announcements.pass_on(ctx, circle, MessageKind.FORWARDED_TEXT, render)
    told = ctx.replies.pop()  # "Thanks, I've passed that on to Achieng."
    welcome = ctx.replies[welcome_at]
    ctx.replies[welcome_at] = replace(welcome, text=told.text + "\n\n" + welcome.text)


# Translators: words said with a help word that ask nothing else ("help pls", "AYUDA POR
# FAVOR", "aide svp"); comma-separated, single words. Keep the English ones.
HELP_COURTESY = N_("please, pls, plz, pliz, plse, me, thanks")
# A plea for help is short: "help me please" is one, "I need help with the exercises" is not.
MOST_HELP_WORDS = 4


def _asks_for_help(ctx: Context, text: str) -> bool:
    """Whether the whole message is a help word (keywords.HELP), in English or any shipped
    language, case, accents and punctuation aside ("hilfe", "Ayuda!", "HJAELP"), alone or with
    a please ("help pls", "AYUDA POR FAVOR"): people type the word they know, whatever
    language the bot writes to them in."""
    said = {
        spelled
        for listed in [keywords.HELP, *ctx.catalogs.in_every_language(keywords.HELP)]
        for word in listed.split(",")
        for spelled in keywords.spellings(word)
    }
    typed = keywords.plain(text)
    if typed and typed in said:
        return True
    words = [keywords.plain(word) for word in re.findall(r"\w+", text)]
    if not words or len(words) > MOST_HELP_WORDS:
        return False
    courtesy = {
        keywords.plain(word)
        for listed in [HELP_COURTESY, *ctx.catalogs.in_every_language(HELP_COURTESY)]
        for phrase in listed.split(",")
        for word in phrase.split()
    }
    rest = [word for word in words if word not in courtesy]
    return len(rest) == 1 and rest[0] in said and len(words) > 1


# "NO ENTIENDO COMO FUNCIONA ESTO, QUE TENGO QUE RESPONDER" is this long at most: a longer
# message says more than that it is lost, and goes on as words.
MOST_LOST_WORDS = 12


def _lost_at_choices(
    ctx: Context, text: str, picked: str | None, offered: list[conversations.Remembered]
) -> bool:
    """Whether, while choices wait and no guided command goes on, the message only says the
    learner is lost ("no entiendo, qué tengo que responder"): HELP, which asks the question
    again (or gives the words to text), never words for the facilitators (C17). By text only:
    in a chat the question is asked again as it is for any words it can't read (A42), never
    the list of commands."""
    return (
        plain_text.applies(ctx)
        and picked is None
        and bool(offered)
        and not ctx.conversation.flow
        and len(text.split()) <= MOST_LOST_WORDS
        and answers.says_one_of(ctx, text, answers.NOT_UNDERSTOOD)
        # "no entendi los graficos" to a 1-5: what was hard this week, kept (smses 11)
        and not (_a_scale(_payloads(offered)) and answers.names_what_was_hard(ctx, text))
    )


def _skips(ctx: Context, text: str) -> bool:
    """Whether the whole message is "skip", in English or any shipped language ("ruka",
    "passer"): people type the word they were told, whatever the language they read."""
    return answers.skips(ctx, text)  # also "spring over", "acha" (answers.SKIP_WORDS)


_TAKE_ATTENDANCE = re.compile(r"#\d{1,12} /attendance \d{1,4}")


def _takes_attendance(offered: list[conversations.Remembered]) -> str | None:
    """The payload of "Take attendance", when it is the one choice offered (the reminder to
    take it after a meeting), else None."""
    payloads = _payloads(offered)
    if len(payloads) == 1 and _TAKE_ATTENDANCE.fullmatch(payloads[0]):
        return payloads[0]
    return None


def _payloads(offered: list[conversations.Remembered]) -> list[str]:
    """What each choice offered sends back (as conversations.payloads reads them)."""
    return [choice if isinstance(choice, str) else choice[0] for choice in offered]


def _shown(offered: list[conversations.Remembered]) -> list[Choice]:
    """The choices offered, as they were shown; none when a row kept no labels (older)."""
    shown = [Choice(c[1], c[0]) for c in offered if not isinstance(c, str) and len(c) > 1]
    return shown if len(shown) == len(offered) else []


# A learner's commands whose free words may start with the circle's name and a comma.
_CIRCLE_BEFORE_A_COMMA = frozenset({"leave"})
# Commands whose free words are an optional reason ("/leave REASON", "/cancel N REASON"): a
# circle's name in their place still names the circle ("/leave python for everyone", "/cancel
# 3 digital skills"), as before they took a reason; a name said with a reason stays the reason.
_CIRCLE_FOR_A_REASON = frozenset({"leave", "cancel"})
# Commands whose free words are a count and perhaps its unit ("/skipweek 4 2 weeks"): other
# words there are a circle's name (walk dede 11: "/springuge 4 Programmering" was read as
# weeks, after asking which circle).
_COUNTED_WORDS = {"skipweek": "weeks"}


def _circle_in_words(ctx: Context, command: Command, rest: str) -> str:
    """A circle named after (or before) a command's own words, when they don't read without
    it ("/cancel 3 public speaking", "/schedule spreadsheets"): chosen as an answer to "Which
    circle is that for?" would choose it, and `rest` without its name. Only for a command
    whose words are never free text (a message, a name), from someone it could be about
    several circles of."""
    if (
        ctx.chosen_circle_id is None
        and command.name in _CIRCLE_BEFORE_A_COMMA
        and len(ctx.memberships) > 1
        and "," in rest
    ):
        # "/ondoka python, ni usiku sana kwangu": the circle, then why (wave 2, B38).
        head, _, tail = rest.partition(",")
        found = defaults.named(ctx.memberships, head.strip(), numbered=False)
        if len(found) == 1:
            ctx.chosen_circle_id = found[0][1].id
            return tail.strip()
    if (
        ctx.chosen_circle_id is not None
        or command.access is Access.ANYONE
        or command.names_circle
        or command.subcommands
        or not rest.strip()
        or (
            command.name not in _CIRCLE_FOR_A_REASON
            and command.name not in _COUNTED_WORDS
            and any(arg.kind is ArgKind.REST for arg in command.args)
        )
        or (
            _reads(ctx, command, rest, reasonless=True)
            and not _only_names_a_circle(ctx, command, rest)
        )
    ):
        return rest
    roles = roles_for(command.access)
    entries = [entry for entry in ctx.memberships if entry[0].role in roles]
    if len(entries) < 2:  # one circle: "/invite everyone" is a slip, not its name
        return rest
    words = rest.split()
    for count in range(len(words), 0, -1):
        after = (" ".join(words[-count:]), " ".join(words[:-count]))
        before = (" ".join(words[:count]), " ".join(words[count:]))
        for name, left in (after, before):
            found = defaults.named(entries, name, numbered=False)
            if len(found) == 1 and _reads(ctx, command, left, reasonless=True):
                ctx.chosen_circle_id = found[0][1].id
                return left
    return rest


def _takes_a_reason(command: Command) -> bool:
    """Whether the words of a command that names its circle may be a reason instead ("/close
    moving to a new course"), or the circle's name and then a reason, after a comma."""
    return any(arg.key == "reason" for arg in command.args)


def _circle_named(
    command: Command, rest: str, entries: list[defaults.Entry]
) -> list[defaults.Entry]:
    """The circles a names_circle command's words name: all of them, or, for one taking a
    reason, the words before a comma ("/close Python, too few signed up")."""
    named = defaults.named(entries, rest, numbered=False)
    if not named and _takes_a_reason(command) and "," in rest:
        named = defaults.named(entries, rest.partition(",")[0], numbered=False)
    return named


def _names_a_circle(command: Command, rest: str, entries: list[defaults.Entry]) -> bool:
    """Whether a names_circle command's words are about which circle: any words are, unless
    the command takes a reason and they name none of the person's circles."""
    if not rest.strip():
        return False
    return not _takes_a_reason(command) or bool(_circle_named(command, rest, entries))


def _only_names_a_circle(ctx: Context, command: Command, rest: str) -> bool:
    """Whether `rest` is one word that only fits a free word of the command ("/brief Python":
    /letter's WITHDRAW takes any word) and names one of the person's circles, by a word of its
    name or #id: the circle is meant, not the word."""
    if len(rest.split()) != 1 or any(arg.kind is not ArgKind.WORD for arg in command.args):
        return False
    entries = [entry for entry in ctx.memberships if entry[0].role in roles_for(command.access)]
    return len(entries) > 1 and len(defaults.named(entries, rest, numbered=False)) == 1


def _reads(ctx: Context, command: Command, rest: str, reasonless: bool = False) -> bool:
    """Whether `rest` fits the command's arguments; `reasonless`, for a command taking a reason
    (_CIRCLE_FOR_A_REASON), with no words left over for it."""
    try:
        args = parse_args(command, rest, ctx.tr)
    except UserError:
        return False
    counted = str(args.get(_COUNTED_WORDS.get(command.name, ""), "")).split()
    if counted and (len(counted) > 2 or not counted[0].isdecimal()):
        return False
    return not (reasonless and command.name in _CIRCLE_FOR_A_REASON and args.get("reason"))


def _reading_dates(ctx: Context) -> Translator:
    """The reader's translator, with dates read as they are written where the circle is: an
    English reader in Kenya writes 2/1/2027 for January 2 (values.dates_locale)."""
    country = ctx.circle.country_code if ctx.circle is not None else None
    return replace(ctx.tr, locale=values.dates_locale(ctx.tr.locale, country))


# Refusals that show how to type a command: about no circle in particular.
_USAGES = frozenset({"Usage: %(usage)s", "Usage: %(usage)s\nFor example: %(example)s"})


async def _naming_the_circle(ctx: Context, error: UserError) -> UserError:
    """A refusal about the circle picked among several without asking (the /default), naming
    it as the reply would have: "Intro to Data: Meeting 4 has to come after meeting 3 ..."."""
    circle = ctx.circle
    text = ctx.tr._(error.message, **error.params)
    if circle is None or error.message in _USAGES or circle.name in text:
        return error
    named = UserError(
        N_("%(circle)s: %(reply)s"),
        circle=await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle),
        reply=text,
    )
    named.address, named.ends_conversation = error.address, error.ends_conversation
    return named


async def _running_first(ctx: Context, entries: list[defaults.Entry]) -> list[defaults.Entry]:
    """The circles "Which circle is that for?" offers, those still meeting first: a circle that
    has finished comes last, where the command still applies to it at all (Command.after_end
    leaves it out where it doesn't)."""
    going = await defaults.still_going(ctx.session, entries, STILL_GOING, ctx.now)
    running = {circle.id for _, circle in going}
    return going + [entry for entry in entries if entry[1].id not in running]


async def _able(
    ctx: Context, command: Command, rest: str, memberships: list[defaults.Entry]
) -> list[defaults.Entry]:
    """Of several circles, those where the command can do something, when that tells
    (all of them when none can: the refusal then says why): "/uncancel 3" where meeting 3 is
    cancelled (just after /close, the circle closed, which says it has finished), "/rsvp yes
    2" where meeting 2 is still to come, /checkin where a meeting has been held."""
    if len(memberships) < 2:
        return memberships
    words = rest.split()
    found = memberships
    if command.name == "uncancel" and len(words) == 1 and words[0].isdecimal():
        found = await defaults.with_cancelled(ctx.session, memberships, int(words[0]))
    elif command.name == "rsvp" and len(words) == 2 and words[1].isdecimal():
        found = await defaults.meeting_to_come(ctx.session, memberships, int(words[1]), ctx.now)
    elif command.name == "checkin" and not words:
        found = await defaults.have_met(ctx.session, memberships, ctx.now)
    elif command.name == "checkin":
        # CHECKIN OFF/ON: a circle whose meetings are over has no check-in to come (fac 23).
        found = await defaults.still_going(ctx.session, memberships, STILL_GOING, ctx.now)
    elif command.name == "attendance" and (not words or words[0].isdecimal()):
        # "/attendance 5", as the reminder after meeting 5 said: a circle whose meeting 5
        # hasn't taken place (one not started yet) can't be meant (B7, C12, D10).
        number = int(words[0]) if words and len(words[0]) < 5 else None
        if words and number is None:
            return memberships
        by = ctx.now + attendance.EARLY_ARRIVAL
        found = await defaults.meeting_started(ctx.session, memberships, number, by)
        if command.after_end is not None:
            # Of circles that ended long ago and one still going, the one going is meant: its
            # meeting not held yet is said so (fac 29: asked between two finished circles).
            going = await defaults.still_going(ctx.session, memberships, command.after_end, ctx.now)
            found = [entry for entry in found if entry in going] or going or found
    elif command.name == "attendance":
        # "/attendance Bo": the circles Bo learns in (walk dede 13: asked which circle while
        # Bo is in one only); of those, one whose meeting has started.
        found = await _learning_there(ctx, memberships, words)
        by = ctx.now + attendance.EARLY_ARRIVAL
        found = await defaults.meeting_started(ctx.session, found, None, by) or found
    elif command.name in {"share approve", "share reject"} and len(words) == 2:
        # "/share reject 1": link 1 belongs to one circle, as a letter's number does.
        number = int(words[1]) if words[1].isdecimal() and len(words[1]) < 19 else 0
        link = await ctx.session.get(CourseResource, number) if number else None
        found = [entry for entry in memberships if link and entry[1].id == link.circle_id]
    elif command.name == "letter" and len(words) == 1 and words[0].isdecimal():
        # "LETTER 2", as the letters of a first meeting say: the circle they came to (D13).
        number = int(words[0]) if len(words[0]) < 19 else 0
        came_to = await letters.came_to(ctx.session, number)
        found = [entry for entry in memberships if entry[1].id in came_to]
    return found or memberships


async def _learning_there(
    ctx: Context, memberships: list[defaults.Entry], words: list[str]
) -> list[defaults.Entry]:
    """Of `memberships`, the circles with a learner whose first name is one of `words`."""
    typed = {keywords.plain(word.strip(",.;")) for word in words}
    found = []
    for entry in memberships:
        roster = await members.roster(ctx.session, entry[1].id or 0)
        names = {
            keywords.plain(learner.person.display_name.split(" ", 1)[0])
            for learner in roster
            if learner.membership.role == Role.LEARNER and learner.person.display_name
        }
        if typed & names:
            found.append(entry)
    return found


# Translators: sent once a day to someone who answered "Which circle is that for?"; /default is
# the command's name in your language. %(circle)s: the circle they picked.
DEFAULT_TIP = N_(
    "Tip: if most of your commands are about %(circle)s, send /default %(circle)s and I'll "
    "stop asking which circle."
)


async def _tell_of_default(
    ctx: Context, chosen: circles.Circle, options: list[circles.Circle]
) -> None:
    """After a circle is picked from "Which circle is that for?", once a day: /default stops
    the question (D3: three commands in a row, asked each time, never told). Not by SMS,
    where it would cost a text."""
    if ctx.person.default_circle_id in {circle.id for circle in options} or len(options) < 2:
        return
    if ctx.platforms.keywords(ctx.inbound.platform) or ctx.person_id is None:
        return
    name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, chosen)
    key = OutboxKey(
        MessageKind.REPLY, "default-tip", f"person:{ctx.person_id}", ctx.now.date().isoformat()
    )
    await ctx.notify(ctx.person_id, key, lambda tr: tr._(DEFAULT_TIP, circle=name))


class Picked(IntEnum):
    """How the router picked the circle a command acts on (false: not yet, it asked)."""

    ASKED = 0
    GIVEN = 1  # the only one, a choice, the group's, or the command's own words
    # Among several without asking (the person's /default, or the only one still going): the
    # reply names it ("July Python: Great, see you at meeting 1").
    BY_DEFAULT = 2
    # None of the person's circles: the command's Command.no_circle runs instead.
    NO_CIRCLE = 3


def _reach(role: Role | None) -> Access:
    """The most a person with this role somewhere may do (for suggesting commands). Someone in
    no circle yet may join one, so a learner's commands are theirs to be told of too."""
    if role is None:
        return Access.MEMBER
    if role == Role.FACILITATOR:  # as stored, a plain string: never `is` (G4, A23)
        return Access.LEAD
    return Access.FACILITATOR if role in FACILITATING else Access.MEMBER


# Called with the handling's session, its replies and the reader's translator just before the
# handling commits, so the replies are stored (bot.delivery.outbox.keep_replies) with it.
Keep = Callable[[AsyncSession, list[Outbound], Translator], Awaitable[None]]


@dataclass(frozen=True)
class _ChoiceReading:
    """What a typed message picks of the choices offered (the table's "choice" and "older
    1-5" rows): the choice (None: it picks none), whether its words go on as a message too,
    the words after a rating or label, the check-in rating it said in words, or that it
    declined /find's circles (nothing more is done with it)."""

    picked: str | None = None
    says_more: bool = False
    beyond: str = ""
    rated: int | None = None
    declined: bool = False


async def _choice_read(ctx: Context, text: str) -> _ChoiceReading:
    """The readers of a typed answer to the choices offered, tried in order: the first that
    picks one wins."""
    conversation = ctx.conversation
    says_more, beyond, rated = False, "", None
    if (
        conversations.payloads(conversation)  # choices offered, the only ones HERE could pick
        and not conversation.flow
        and not text.strip().isdecimal()
        and not text.lstrip().startswith("/")  # a command is read as one (issue 18: a fifth
        # of a /next went to reading it as an arrival)
        and await _here_said(ctx, text)
    ):
        # "hapa" (HERE) while a reminder's "Hapana" (No) waits: an arrival, never the first
        # letters of a choice's label (sms 22).
        return _ChoiceReading()
    picked = conversations.picked(conversation, text)
    if picked is None and not _a_scale(conversations.payloads(conversation)):
        # "ja und ich steig aus": the one of two yes choices its words name, before the yes
        # alone picks the first. Not a 1-5 scale's: "vizuri sana! tulifanya mazoezi..." is
        # great and words to keep (_rated), never "sana" naming great alone (lang 7).
        picked = conversations.by_its_own_words(conversation, text)
    if picked is None:
        picked, says_more = await _said(ctx, text)
    if picked is None:
        picked, beyond = _numbered(ctx, text)
    if (
        picked is None
        and not conversation.flow
        and not _a_scale(conversations.payloads(conversation))  # _rated reads those
    ):
        # "en partie, je fais deja les totaux": a choice's label, then words (B10)
        picked, beyond = conversations.label_and_words(conversation, text) or (None, "")
    if (
        picked is None
        and not conversation.flow
        and not _a_scale(conversations.payloads(conversation))
    ):
        # "pas encore mais bientot inchallah": a survey choice's label, then words (frsw 25)
        picked, beyond = survey.option_opening(conversation.choices, text) or (None, "")
    if picked is None:
        picked, beyond = _rated(ctx, text)  # "tano" to the survey's 1-5
        rated = await answers.check_in_rated(ctx, picked)  # "vizuri asante": said back
    if picked is None:
        picked = await _survey_rated_in_a_sentence(ctx, text)  # "I'd give it a 5"
    if picked is None:
        picked = _language_named(ctx, text)  # "en", "Kiingereza" at the menu
    if picked is None:
        picked = letter_commands.review_in_words(ctx, text)  # "ok approve, nice one"
    if picked is None and _declines_circles(ctx, text):
        # "non merci c'est trop loin" to /find's circles: the offer closes, and the
        # words go to no one (not to the facilitator of a circle long over).
        offered = conversations.payloads(conversation)
        conversations.offer(conversation, [])
        await circle_discovery.decline(ctx, offered)
        return _ChoiceReading(declined=True)
    if (
        picked is None
        and not conversation.flow
        and (not conversation.choices or _a_scale(conversations.payloads(conversation)))
    ):
        # "Sorry, I cannot come after all" after a yes: the next meeting's No, and
        # the words go on; also while a check-in's 1-5 waits, which no sentence
        # answers (C3).
        picked = await answers.changed_mind(ctx, text)
        says_more = picked is not None
    if (
        rated is None
        and not any(ch.isdigit() for ch in text)
        and _a_scale(conversations.payloads(conversation))
    ):
        # "BIEN", a label typed: read from words too, so said back like any other (smses 8).
        rated = await answers.check_in_rated(ctx, picked)
    return _ChoiceReading(picked, says_more, beyond, rated)


async def _here_said(ctx: Context, text: str) -> bool:
    """Whether `text` is the HERE keyword, or an arrival at a meeting on now (answers.arrived)."""
    match = keywords.read(ctx.reader, text)
    return (match is not None and match.keyword is Keyword.HERE) or await answers.arrived(ctx, text)


@dataclass(frozen=True)
class Handled:
    replies: list[Outbound]
    tr: Translator  # the reader's, for fitting the replies
    kept: bool  # `keep` stored the replies in the handling's own transaction


class Router:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        catalogs: Catalogs,
        registry: Registry,
        rng: random.Random,
        letter_policy: LetterPolicy | None = None,
        join_links: Mapping[str, str] | None = None,
        *,
        platforms: Platforms,
        retention_days: int = DEFAULT_RETENTION_DAYS,
        reach: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.retention_days = retention_days
        self.reach = reach if reach is not None else {}  # see Core.reach
        self.letter_policy = letter_policy or LetterPolicy()
        self.join_links = join_links if join_links is not None else {}
        self.platforms = platforms
        self.sessions = sessions
        self.clock = clock
        self.catalogs = catalogs
        self.registry = registry
        self.rng = rng

    async def handle(self, inbound: Inbound, keep: Keep | None = None) -> Handled:
        """The replies to `inbound`. With `keep`, the replies made by a handling are stored in
        its transaction (`kept`); those made outside one (bad input, an apology) are not.

        Raises Unavailable when the database cannot be used: the message is not consumed."""
        inbound = clean_inbound(inbound)
        tr = self.catalogs.translator(inbound.locale_hint)
        text = clean_text(inbound.payload or inbound.text)
        if len(text) > MAX_INBOUND_CHARS:
            answer = tr._(
                "That message is too long for me (over %(limit)s characters). "
                "Could you send a shorter one?",
                limit=Number(MAX_INBOUND_CHARS),
            )
            return Handled([Outbound(inbound.address, answer)], tr, kept=False)
        if not text:
            answer = tr._("I can only read text messages. Send /help to see what I can do.")
            return Handled([Outbound(inbound.address, answer)], tr, kept=False)
        for attempt in (1, 2):
            try:
                replies, tr = await self._transaction(inbound, text, keep)
                return Handled(replies, tr, kept=keep is not None)
            except UserError as error:
                # The transaction has rolled back: bad input changes nothing.
                if error.ends_conversation is not None:
                    await self._end_conversation(error.ends_conversation)
                tr = self.catalogs.translator(error.locale, inbound.locale_hint)
                answer = tr._(error.message, **error.params)
                to = error.address or inbound.address  # privately, for a private command
                return Handled([Outbound(to, answer)], tr, kept=False)
            except IntegrityError:
                # Two messages raced to create the same row (a first message, a join): the
                # other one has committed now, so one more try sees it.
                if attempt == 2:
                    return self._failed(inbound, text, tr)
            except Exception as error:
                if unavailable(error):
                    raise Unavailable(str(error)) from error
                return self._failed(inbound, text, tr)
        raise AssertionError("unreachable")

    async def _end_conversation(self, key: str) -> None:
        """End the conversation `key` on its own, after a rollback kept it waiting."""
        with inline_statements():  # short statements: see _transaction
            async with self.sessions() as session, session.begin():
                conversation = await conversations.load(session, key, self.clock.now())
                conversations.finish(conversation, self.clock.now())

    def _failed(self, inbound: Inbound, text: str, tr: Translator) -> Handled:
        # The platform and message id find the message; the chat id would be a phone number.
        log.exception(
            "handler failed: platform=%s message=%s command=%r",
            inbound.platform,
            inbound.message_id,
            text.split(maxsplit=1)[0][:40] if text.startswith("/") else "(text)",
        )
        answer = tr._(
            "Sorry, something went wrong on my side and nothing was changed. "
            "Please try again in a moment."
        )
        return Handled([Outbound(inbound.address, answer)], tr, kept=False)

    async def _transaction(
        self, inbound: Inbound, text: str, keep: Keep | None
    ) -> tuple[list[Outbound], Translator]:
        # A message's statements are short: on SQLite they run in the loop's own thread, which
        # costs less than the trip to the connection's (one waiting for a lock still goes).
        with inline_statements():
            session = self.sessions()
            try:
                async with session.begin():
                    replies, tr = await self._handle_in(session, inbound, text)
                    if keep is not None and replies:
                        await keep(session, replies, tr)
                    return replies, tr
            finally:
                await close_now(session)  # as `async with session` would, for less

    async def _handle_in(
        self, session: AsyncSession, inbound: Inbound, text: str
    ) -> tuple[list[Outbound], Translator]:
        now = self.clock.now()
        tr = self.catalogs.translator(inbound.locale_hint)
        described = self.platforms.get(inbound.platform)
        keys_kept = described is not None and described.permanent_message_ids
        if not await receipts.first_time(
            session, inbound.platform, inbound.message_id, now, keys_kept
        ):
            return [], tr
        # Never a platform id as a name: on SMS that is the phone number.
        sender = await people.identify(session, inbound, now, fallback_name=tr._("Circle member"))
        account, person, memberships = sender.account, sender.person, sender.memberships
        # The person's choice, then the platform's hint, then their circle's language (SMS
        # gives no hint), then English.
        circle_language = memberships[0][1].language if memberships else None
        tr = self.catalogs.translator(person.locale, account.locale_hint, circle_language)
        if inbound.is_group:
            assert person.id is not None
            await chats.seen(session, inbound, person.id, now)
        key = conversations.key_for(inbound)
        # Read with the sender: no statement of its own. A new one is stored only if this
        # message leaves something in it (conversations.keep, on the way out).
        conversation = await conversations.load(
            session, key, now, sender.conversation, held_back=True
        )
        ctx = Context(
            session=session,
            now=now,
            rng=self.rng,
            catalogs=self.catalogs,
            tr=tr,
            registry=self.registry,
            inbound=inbound,
            person=person,
            account=account,
            conversation=conversation,
            moderators=self.letter_policy.moderators,
            join_links=self.join_links,
            reach=self.reach,
            platforms=self.platforms,
            memberships=memberships,
            retention_days=self.retention_days,
        )
        guessed = sender.new and plain_text.first_text(ctx, text)  # its language: a guess
        # A first "Bonjour" in a chat: answered in French; "habari" from a French app: in Swahili.
        heard = plain_text.hears_greeting(ctx, text)
        if plain_text.applies(ctx) and await plain_text.carrier(ctx, text):
            conversations.keep(session, conversation)
            return ctx.replies, ctx.tr  # STOP, START, HELP, or silence after STOP
        try:
            await self._route(ctx, text)
        except UserError as error:
            error.locale = tr.locale  # answer in the person's language, after the rollback
            raise
        if (guessed and not ctx.person.locale) or heard:  # not chosen meanwhile ("LUGHA sw")
            plain_text.tell_how_to_switch(ctx)  # in the first reply: how to change it
        conversations.keep(session, conversation)
        return ctx.replies, ctx.tr  # /language may have changed it

    async def _route(self, ctx: Context, text: str) -> None:
        """One message, read by the precedence in PRECEDENCE (the module's table)."""
        conversation = ctx.conversation
        waiting = self.registry.flows.get(conversation.flow or "")
        if waiting is not None and ctx.now - conversation.updated_at > waiting.timeout:
            conversations.finish(conversation, ctx.now)  # waited too long: forgotten, not resumed
        if conversation.flow == answers.PASS_ON_FLOW and not answers.answers_the_offer(ctx, text):
            # An offer to pass a learner's words on never holds her next message: it lapses
            # (the words stay private), and the message is read as if none was made.
            conversations.finish(conversation, ctx.now)
            conversations.offer(conversation, [])
        await _reminder_from_a_linked_account(ctx, text)
        reading = _ChoiceReading()
        if conversation.choices and not conversation.flow and not ctx.inbound.is_group:
            # The choices offered are the question asked last: one asked before them lapses;
            # not before the language menu, a detour after which it is asked again (dada 4).
            if not _offers_languages(conversations.payloads(conversation)):
                await answers.lapse_older_questions(ctx, conversations.payloads(conversation))
            if await answers.choices_lapsed(ctx, conversations.payloads(conversation)):
                # Weeks old (a search's circles: a day): they answer nothing now.
                conversations.offer(conversation, [])
            elif (
                taking := _takes_attendance(conversation.choices)
            ) is not None and await attendance_reminders.reminder_closed(
                ctx.session, taking, ctx.now
            ):
                # Its attendance taken (by any facilitator), or a later meeting begun.
                conversations.offer(conversation, [])
            elif await answers.sharing_choices_answered(ctx, conversations.payloads(conversation)):
                # The sharing question's Yes / No, with no sharing question waiting any more
                # (answered, or another circle's long gone): they answer nothing, and are never
                # shown again (walkthrough 8, fac 33 and mix 20: a loop the learner couldn't leave).
                conversations.offer(conversation, [])
        if ctx.inbound.payload is None and not ctx.inbound.is_group:
            await _reminder_over_a_letter(ctx, text)  # "ja ich komme morgen" to the invitation
        if ctx.inbound.payload is None and not conversation.flow and not ctx.inbound.is_group:
            await _reminder_kept(ctx, text)  # "1" after the survey still answers "Will you come?"
            await _rating_kept(ctx, text)  # "5 great. Thank you..." once the letter is written
            await _scale_kept(ctx, text)  # "5" after a newer "Reply 1": the survey's, if open
        if ctx.inbound.payload is None:
            reading = await _choice_read(ctx, text)
            if reading.declined:
                return
        picked, says_more, beyond, rated = (
            reading.picked,
            reading.says_more,
            reading.beyond,
            reading.rated,
        )
        if picked is not None and not (ctx.person.locale or ctx.account.locale_hint):
            # Answered in the language the choices came in: a Swahili circle's reminder, to
            # someone whose newest circle speaks English (no language of their own chosen).
            offered_in = await answers.offered_in(ctx, conversations.payloads(conversation))
            if offered_in is not None:
                ctx.tr = ctx.catalogs.translator(offered_in)
        words, text = text, picked or text
        offered = list(conversation.choices)
        if picked is None and (stale := survey.step_offered(_payloads(offered))) is not None:
            if await survey.gone_stale(ctx.session, stale[0], ctx.person_id, ctx.now):
                offered = []  # "hmm" weeks after the course survey: no longer its answer
        conversations.offer(conversation, [])
        before = len(ctx.replies)
        await self._dispatch(ctx, text, picked, offered, words)
        if beyond and not await answers.keep_as_open_answer(ctx, beyond):
            says_more = True  # "5 it was great, we built a loop", with no question for it
        if picked is not None and (step := survey.step_offered(_payloads(offered))) is not None:
            # "Good. 4" to the survey: its answer, not a message to /reply (C11); "4 good but
            # too fast for me" says more than its rating: passed on too (sms 25).
            says_more = says_more and step[1] == survey.RATING and _beyond_a_rating(ctx, beyond)
        if rated is not None:
            await answers.say_rating_read(ctx, before, rated)
        if picked is not None and await answers.look_back_too(
            ctx, words, picked, _payloads(offered)
        ):
            says_more = False  # "..., na nitakuja Jumatano": the goal's look back too (B21)
        if says_more:
            # "no sorry, working late": the answer is kept, and the words go on as a message.
            await answers.pass_on_too(ctx, words)

    async def _dispatch(
        self,
        ctx: Context,
        text: str,
        picked: str | None,
        offered: list[conversations.Remembered],
        words: str,
    ) -> None:
        """The message (or the choice it picked), from the row "keyword as a command" on.
        `words` are the message as typed: what is passed on to the facilitators, never the
        choice or keyword it was read as."""
        conversation = ctx.conversation
        asked_on_joining: tuple[str, str] | None = None
        if (
            not ctx.inbound.is_group
            and not text.startswith("/")
            and (code := await _join_code(ctx, text)) is not None
        ):
            # A circle's join code on its own, even while the welcome asks a goal: it joins.
            # A newcomer's longer text around it ("...the code is 8US8F68. Do I need to bring
            # my own computer?") goes on to its facilitators once she is in.
            # A greeting around it ("Hello, I hope I am doing this right") asks nothing: only
            # the join (A1).
            # Only a question outside the code's own sentence ("Is this the right code?"
            # asks nothing of them): "... der code ist E6WV3RW. brauche ich einen laptop?"
            # went unread for being short (D2).
            asks = answers.asks_a_question(ctx, _around_the_code(words, code))
            asked_on_joining = (code, words) if asks else None
            text = "/join " + code
        if not conversation.flow and plain_text.applies(ctx) and not text.startswith("/"):
            text = await plain_text.as_command(ctx, text) or text  # "JOIN AB12CD", "YES", "NEXT"
        if (
            not conversation.flow
            and not ctx.inbound.is_group
            and not text.startswith("/")
            and await answers.arrived(ctx, text)
        ):
            text = "/here"  # "here" at the meeting, in any chat (and by SMS while a question waits)
        here_and_more = False
        if (
            not conversation.flow
            and not ctx.inbound.is_group
            and not text.startswith("/")
            and await answers.arrived_saying_more(ctx, text)
        ):
            # "im here but the door is locked": arrived, and the rest goes on (A29).
            text, here_and_more = "/here", True
        if (
            not ctx.inbound.is_group
            and ctx.memberships  # someone in no circle yet is welcomed instead (newcomer)
            and not text.startswith("/")
            and (_asks_for_help(ctx, text) or _lost_at_choices(ctx, text, picked, offered))
        ):
            text = "/help"  # "hilfe", "Ayuda!" in any chat, as HELP is by SMS
        if not conversation.flow and not ctx.inbound.is_group and not text.startswith("/"):
            # A keyword or command word is never kept as the answer to a waiting question:
            # "NEWCIRCLE" after "What do you hope to get out of it?" starts a circle.
            text = await answers.command_instead(ctx, text) or text
        if not conversation.flow and not ctx.inbound.is_group and not text.startswith("/"):
            text = await _language_asked(ctx, text) or text  # "deutsch", "Deutsch bitte"

        if (
            not conversation.flow
            and not ctx.inbound.is_group
            and (keyword := LINK_KEYWORD.fullmatch(text))
            and _names_link(ctx, keyword["word"])
        ):
            text = "/link " + keyword["code"]  # "LINK AB3CD5" from a phone, as /link says
        if (
            not conversation.flow
            and not ctx.inbound.is_group
            and (number := LETTER_NUMBER.fullmatch(text.strip()))
        ):
            text = "/letter " + number["number"]  # "#12": that letter, to read or review
        if (
            picked is None
            and not conversation.flow
            and not ctx.inbound.is_group
            and not text.startswith("/")
            and (taking := _takes_attendance(offered)) is not None
            and any(character.isalpha() for character in text)
            # "how is everyone doing?": a question, never "everyone came" (fac 30).
            and not (text.rstrip().endswith(("?", "？")) or answers.asks_a_question(ctx, text))
        ):
            # "mrs kowalski came" to "Who came? ... Reply 1 for Take attendance": the names
            # answer it, as /attendance 2 NAMES does (A20), never "I didn't catch that".
            text = taking + " " + text
        if text.startswith("/") and picked is None and ctx.inbound.payload is None:
            # Another command while a question waits: its choices still answer it afterwards.
            conversations.offer(conversation, offered)
        aimed = AIMED.match(text)
        if aimed:  # a button from a message about one circle: "#12 /rsvp yes 3"
            ctx.chosen_circle_id = int(aimed["circle"])
            text = aimed["command"]
        if text.startswith("/"):
            word, rest = [*text[1:].split(maxsplit=1), "", ""][:2]
            word, rest = self._joined_name(ctx, word, rest)
            name = word.split("@", 1)[0].casefold()  # Telegram groups send /cmd@botname
            if (
                not rest
                and (conversation.flow or not ctx.inbound.is_group)
                and self._names_cancel(ctx, name)
            ):
                await self._stop(ctx)  # with nothing going on, it says so
                return
            command = self.registry.named_anywhere(
                name,
                ctx.tr,
                (ctx.catalogs.translator(code) for code in ctx.catalogs.locales),
            )
            if (
                conversation.flow == newcircle.FLOW
                and not rest
                and newcircle.says_back(ctx.tr, name)
            ):
                # "/tilbage", as the set-up's intro says "tilbage": back a question, never
                # the command of that name (/stepin in Danish: dada 14).
                await self._continue(ctx, name)
                return
            if conversation.flow and not rest and (command is not None and command.name == "skip"):
                # The question being asked is the flow's: it skips it, or says it can't, in
                # any language's name ("/ueberspringen" to the survey's tip: D17), never an
                # older question waiting behind it.
                await self._continue(ctx, "skip", skipping=True)
                return
            if command is None:
                most = max((m.role for m, _ in ctx.memberships), key=_reach, default=None)
                typed = word.split("@", 1)[0]
                closest = self.registry.closest(typed.casefold(), ctx.tr, _reach(most))
                # Words typed after a slip of the command's name are kept: one tap sends them
                # with the command meant (walk frsw 17: "/anoncer salut fatou, ..." retyped).
                ctx.reply(
                    self.registry.unknown(typed, ctx.tr, _reach(most)),
                    choices=[
                        Choice(
                            ctx.tr._("Send it with /%(command)s", command=closest),
                            f"/{closest} {rest}",
                        )
                    ]
                    if closest and rest and not ctx.inbound.is_group
                    else (),
                )
                return
            rest = self._words_of_its_language(ctx, command, name, rest)
            began, welcome_at = conversation.flow, len(ctx.replies)
            await self._placed(ctx, command, rest)
            # The more said with an arrival is a goal when the goal question waits (issue 16).
            if here_and_more and not await answers.goal_said_arriving(ctx, words):
                await answers.pass_on_too(ctx, words)
            if asked_on_joining is not None:
                await _asked_on_joining(ctx, *asked_on_joining, welcome_at)
            if (
                conversation.flow
                and conversation.flow not in (began, CHOOSE_CIRCLE)
                and conversation.choices == offered
            ):
                # It began a conversation: its answers come first, not the choices before it
                # ("1" on the attendance sheet ticks learner 1, not the reminder's "Take it").
                conversations.offer(conversation, [])
        elif conversation.flow:
            if self._cancels(ctx, text):
                await self._stop(ctx)
            else:
                await self._continue(ctx, text)
        elif ctx.inbound.is_group:
            return  # people talking to each other in a group: not for the bot
        elif self._cancels(ctx, text):
            await self._stop(ctx)  # nothing going on: it says so (never kept as an answer)
        elif any(m.role == Role.LEARNER for m, _ in ctx.memberships) and answers.says_one_of(
            ctx, text, pauses.CHECKINS_STOP_ASKED
        ):
            # "stop all the weekly questions, I only want the reminders": how to pause the
            # check-ins, not STOP, nor a message the facilitators can't act on (D18).
            conversations.offer(conversation, offered)
            ctx.reply(ctx.tr._(pauses.CHECKINS_STOP_HOW))
        elif plain_text.applies(ctx) and _asks_to_stop(ctx, text):
            # "please stop sending me messages": how to stop, never a rating or a message to
            # the facilitators; the choices offered still answer.
            conversations.offer(conversation, offered)
            stop = keywords.first_word(ctx.tr, keywords.OPT_OUT)
            if len(ctx.memberships) > 1:
                # "stop sending me the old class messages, I am in the spring one now": one
                # circle to leave, not every message (A14).
                ctx.reply(ctx.tr._(STOP_ONE_OR_ALL, stop=stop))
            else:
                ctx.reply(
                    ctx.tr._("To stop every message from me, text %(stop)s on its own.", stop=stop)
                )
        elif (
            offered
            and _skips(ctx, text)
            and await questions.waiting(ctx.session, ctx.person_id, ctx.now) is None
        ):
            # "ruka" to the survey's first question: those choices are skipped, never passed
            # on to the facilitators as a message.
            ctx.reply(ctx.tr._("OK, skipped. No answer is saved for that one."))
        elif (
            picked is None
            and not _skips(ctx, text)
            and await answers.may_offer_again(ctx, _payloads(offered))
            and await network.ask_again(ctx, text, _payloads(offered))
        ):
            answers.offering_again(ctx, _payloads(offered))
            return  # "loved it" to the survey's 1-5: asked again (once), never passed on
        elif picked is None and await answers.letter_or_answer(ctx, text, _payloads(offered)):
            return  # a letter sent straight back to its invitation: "Is this your letter?"
        elif picked is None and await letter_commands.settled_review(ctx, text):
            return  # "1" to review choices a co-facilitator's decision closed (fac 18)
        elif picked is None and await answers.running_late(ctx, text):
            # "voy tarde, el bus no pasa" on a meeting's day: on the way, not a check-in's words
            # nor a rating asked for; what waits keeps waiting.
            conversations.offer(conversation, offered)
        elif picked is None and await plain_text.answers_when_next(ctx, text):
            # "when is the next meeting?" while a check-in or an announcement's reply waits:
            # the bot answers it; what waits keeps waiting.
            conversations.offer(conversation, offered)
        elif picked is None and (other := await plain_text.another_circle_named(ctx, text)):
            # "stop the reminders for Saturday" while a finished circle's check-in waits: for
            # the circle meeting on Saturdays (sms 29); what waits keeps waiting.
            conversations.offer(conversation, offered)
            await self._passed_on(ctx, text, other)
        elif await answers.answer_waiting(ctx, text, _payloads(offered)):
            # Words answering a question in words: the choices offered before (a reminder's
            # Yes/No) still answer by number; the question's own choices answer nothing now.
            # A week's rating given by its number behind a reminder leaves the reminder's
            # Yes / No open: "4", then "1" is a yes, never a change of that rating (C28, D15).
            if (
                not conversation.choices
                and (not text.strip().isdecimal() or answers.rsvp_offered(_payloads(offered)))
                and not await answers.own_choices_answered(ctx, _payloads(offered))
            ):
                conversations.offer(conversation, offered)
                _survey_still_waits(ctx, _shown(offered))  # "I liked it very much" (fac 45)
            return
        elif picked is None and (again := _shown(offered)) and plain_text.lone_answer(ctx, text):
            # "3" or "ndiyo" to "Reply 1 for Yes or 2 for No": the choices are offered again,
            # never "nothing is waiting" while they are (a late rating or a word it can't read).
            conversations.offer(conversation, offered)
            ctx.reply(ctx.tr._("Sorry, I didn't catch that."), choices=again)
        elif picked is None and await answers.rate_again(ctx, text):
            return  # "4" then "3" to one check-in: the rating changed, and said so
        elif picked is None and await letter_commands.thanks_in_words(
            ctx, words, _payloads(offered)
        ):
            return  # "gracias!" to the letters just sent: to their writers, not the facilitators
        elif await self._passed_on(
            ctx,
            words,
            answers.aimed_circle(_payloads(offered)),
            # A reminder whose meeting has started is not asked again (C17).
            []
            if await open_rsvps.lapsed(ctx.session, _payloads(offered), ctx.now)
            else _shown(offered),
        ):
            if not offered:  # "Oh good, I can come on Friday!" after a meeting moved (A19)
                await answers.note_coming_by_day(ctx, words)
            # Passed on to the facilitators ("I'll be late"): the choices offered before still
            # answer by number; a Yes / No says so ("mmm no se, creo que si" is no answer).
            if not conversation.choices and not text.strip().isdecimal():
                conversations.offer(conversation, offered)
            return
        elif (
            picked is None
            and (again := _shown(offered))
            and not text.startswith("/")
            and await answers.may_offer_again(ctx, _payloads(offered))
        ):
            # Words the bot can't read while choices wait (a seat held, "May I pass your tip
            # on?"): they are offered again once, never lost to one unreadable word; the
            # next words are not held by them (a review a co-facilitator settled).
            conversations.offer(conversation, offered)
            answers.offering_again(ctx, _payloads(offered))
            ctx.reply(ctx.tr._("Sorry, I didn't catch that."), choices=again)
        elif await welcome.newcomer(ctx, text, sms=plain_text.applies(ctx)):
            return  # someone in no circle yet: how to join or start one
        else:
            # A facilitator answering a message passed on to them is shown how (/reply N).
            # By SMS words have no slash: "start with /" would be wrong there.
            unread = (
                ctx.tr._("I didn't catch that. Send /help to see the words you can text.")
                if plain_text.applies(ctx)
                else ctx.tr._(
                    "I didn't catch that. Commands start with /, for example /next. "
                    "Send /help to see them all."
                )
            )
            # A question in plain words: the commands closest to it (walkthrough 8, mix 19).
            closest = None if plain_text.applies(ctx) else welcome.closest_commands(ctx, text)
            bare = text.split()
            named = (
                ctx.registry.named(bare[0], ctx.tr)
                if len(bare) == 1 and not plain_text.applies(ctx)
                else None
            )
            if (
                named is not None
                and named.access >= Access.FACILITATOR  # "thanks" is a word too: a tool's name
                and named in ctx.registry.available_to(welcome.access_of(ctx))
            ):
                # "roster" without its slash (G4, A14): the command, not a reply hint.
                ctx.reply(
                    ctx.tr._(
                        "Did you mean /%(command)s? Commands start with /.",
                        command=keywords.local_name(ctx.tr, named.name),
                    )
                )
                return
            if closest and welcome.asks_for_a_command(ctx, text):
                # "push everything back a week": about running the circle, not an answer to
                # the learner last heard from; the way to answer her comes after (walk 14),
                # but after a question to the bot (A11, D23, below).
                hint = (
                    None
                    if answers.asks_a_question(ctx, text)
                    else await announcements.how_to_reply(ctx, after_commands=True)
                )
                ctx.reply(closest + ("\n" + hint if hint else ""))
                return
            hint = await announcements.how_to_reply(ctx)
            if closest and hint and answers.asks_a_question(ctx, text):
                # "who is coming tomorrow?": a question to the bot, answered with the commands
                # for it, never "To answer Ruth, send /reply 16" (A11, D23).
                hint = None
            ctx.reply(hint or closest or unread)

    @staticmethod
    async def _passed_on(
        ctx: Context, text: str, about: int | None = None, still_open: list[Choice] | None = None
    ) -> bool:
        """Free text to the facilitators (plain_text.forward: of circle `about`, the one the
        choices offered are about, when they are), the learner told where it went, and that
        the Yes / No `still_open` (a reminder's), else the rating question asked, still waits
        for its answer."""
        if await plain_text.answers_when_next(ctx, text):
            return True  # answered here: nothing went on, and nothing is said to have (D19)
        if await _words_about_a_seat(
            ctx, text, about, [choice.payload for choice in still_open or []]
        ):
            return True
        if not await plain_text.forward(ctx, text, about):
            return False
        if ctx.conversation.flow == plain_text.WHICH_CIRCLE_FLOW:
            return True  # asked which circle the words are about: that question is the last
        if not answers.yes_or_no_still_waits(ctx, still_open or []):
            await answers.still_waiting(ctx)
        return True

    async def _continue(self, ctx: Context, text: str, skipping: bool = False) -> None:
        """`text` as the answer to the state the conversation going on waits in, from someone
        still allowed to give it (Flow.access). `skipping`: it was /skip, which does what the
        state declares (State.skip)."""
        if ctx.conversation.flow == CHOOSE_CIRCLE:
            await self._circle_chosen(ctx, text)
            return
        flow = self.registry.flows.get(ctx.conversation.flow or "")
        state = flow.state(conversations.state_of(ctx.conversation)) if flow else None
        if flow is None or state is None:  # a flow (or state) this version no longer has
            conversations.finish(ctx.conversation, ctx.now)
            ctx.reply(ctx.tr._("OK, I've stopped. Nothing was saved."))
            return
        if not await self._may_continue(ctx, flow):
            conversations.finish(ctx.conversation, ctx.now)
            ctx.reply(
                ctx.tr._(
                    "I've stopped what we were doing: it was for a circle you're no longer in "
                    "(or no longer facilitate). Nothing was saved."
                )
            )
            return
        if skipping:
            if state.skip is None:
                ctx.reply(
                    ctx.tr._("This question can't be skipped: answer it, or send /cancel to stop.")
                )
            else:
                await state.skip(ctx, text)
                await network.resumed_after_a_detour(ctx)
            return
        await state.answer(ctx, text)
        if ctx.not_an_answer and not ctx.conversation.flow:
            # The step let the words go ("Julien, can you help me with the attendance?" to
            # the sheet): read as if no flow waited, never swallowed (walkthrough 8, mix 27).
            ctx.not_an_answer = False
            await self._dispatch(ctx, text, None, [], text)
            return
        # "LETTER" then "SKIP" at the survey's "Would you recommend...?": once the detour is
        # over, the survey's question is asked again, and the next "yes" answers it (sms 24).
        await network.resumed_after_a_detour(ctx)

    @staticmethod
    async def _may_continue(ctx: Context, flow: Flow) -> bool:
        """Whether the person may still act in `flow` on the circle it is about (its data's
        "circle"). A flow about no circle checks its own record at each step: the person
        themself (/forget, /newcircle), or the letter's review stage (a reason to reject)."""
        circle_id = ctx.conversation.data.get("circle")
        if flow.access is Access.ANYONE or circle_id is None:
            return True
        roles = roles_for(flow.access)
        return any(m.role in roles and c.id == circle_id for m, c in ctx.memberships)

    def _joined_name(self, ctx: Context, word: str, rest: str) -> tuple[str, str]:
        """A command whose name in the reader's language is two words joined by "_", typed
        as people write them, with a space ("/barua zote" for /barua_zote, frsw 11): that
        command, for someone who may use it; else the words as typed."""
        second, *more = rest.split(maxsplit=1) or [""]
        if not second or not self.registry.starts_a_joined_name(word, ctx.tr):
            return word, rest
        joined = word + "_" + second
        command = self.registry.named(joined.casefold(), ctx.tr)
        if command is None or "_" not in keywords.local_name(ctx.tr, command.name):
            return word, rest
        most = max((m.role for m, _ in ctx.memberships), key=_reach, default=None)
        if command not in self.registry.available_to(_reach(most)):
            return word, rest
        alone = self.registry.named(word.casefold(), ctx.tr)
        if alone is not None and _reach(most) is Access.MEMBER and not ctx.is_moderator:
            # Its first word is a command too: a learner's "/barua zote" is about /barua
            # (walkthrough 8), letters to review being no learner's.
            return word, rest
        return joined, "".join(more)

    def _words_of_its_language(self, ctx: Context, command: Command, name: str, rest: str) -> str:
        """`rest` with its sub-command's word in English when the command was named in
        another language and so was the word: someone who switched to English still sends
        the "/mitlesen an" they learned in German."""
        if not command.subcommands or self.registry.named(name, ctx.tr) is not None:
            return rest
        for code in ctx.catalogs.locales:
            other = ctx.catalogs.translator(code)
            named = self.registry.named(name, other)
            sub = command.subcommand(other, rest) if named is command else None
            if sub is not None:
                return " ".join([sub.name, *rest.split(maxsplit=1)[1:]])
        return rest

    @staticmethod
    def _cancels(ctx: Context, text: str) -> bool:
        return text.casefold() in {"cancel", ctx.tr._("cancel").casefold()}

    def _names_cancel(self, ctx: Context, name: str) -> bool:
        """Whether `name` is /cancel in any shipped language ("/annuler"): with no meeting
        number it stops what is going on, as "/cancel" does."""
        if name == "cancel":
            return True
        command = self.registry.named_anywhere(
            name, ctx.tr, (ctx.catalogs.translator(code) for code in ctx.catalogs.locales)
        )
        return command is not None and command.name == "cancel"

    async def _stop(self, ctx: Context) -> None:
        """/cancel: the conversation going on stops. With none, there is nothing to cancel: the
        reply says so, and points to /skip for a question waiting, and a facilitator to
        /cancel MEETING, which calls off a meeting."""
        if ctx.conversation.flow:
            conversations.finish(ctx.conversation, ctx.now)
            ctx.reply(ctx.tr._("OK, I've stopped. Nothing was saved."))
            return
        lines = [ctx.tr._("There's nothing to cancel right now.")]
        if await questions.waiting(ctx.session, ctx.person_id, ctx.now) is not None:
            lines.append(ctx.tr._("To skip the question I asked, send /skip."))
        meeting = self.registry.get("cancel")
        if meeting is not None and any(
            m.role in roles_for(meeting.access) for m, _ in ctx.memberships
        ):
            lines.append(
                ctx.tr._("To cancel a meeting, send %(usage)s.", usage=meeting.usage(ctx.tr))
            )
        elif ctx.memberships:  # a learner's "cancel" may mean "I can't come" (German /absagen)
            lines.append(ctx.tr._("Can't come to a meeting? Send /rsvp no."))
        ctx.reply(" ".join(lines))

    async def _placed(self, ctx: Context, command: Command, rest: str) -> None:
        """Run `command` where its answer may be read (Command.in_group): in a group, a private
        command runs in the sender's private chat, and the group hears only that."""
        place = command.in_group
        if not ctx.inbound.is_group or (ctx.inbound.private_replies and place is not InGroup.ONLY):
            if place is InGroup.ONLY:
                ctx.reply(ctx.tr._(GROUP_NOTES[place], command=command.name))
                return
            await self._run(ctx, command, rest)
            return
        private_chat = ctx.inbound.private_chat_id
        if ctx.inbound.private_replies:  # an ONLY command, answered for the sender alone
            await self._run(ctx, command, rest)
            return
        if place is InGroup.REFUSED or (place is InGroup.PRIVATELY and private_chat is None):
            ctx.reply(ctx.tr._(GROUP_NOTES[InGroup.REFUSED], command=command.name))
            return
        if place is not InGroup.PRIVATELY:
            await self._run(ctx, command, rest)
            return
        assert private_chat is not None
        inbound = replace(ctx.inbound, chat_id=private_chat, is_group=False, private_chat_id=None)
        conversation = await conversations.load(
            ctx.session, conversations.key_for(inbound), ctx.now
        )
        private = replace(
            ctx, inbound=inbound, conversation=conversation, replies=[], group=ctx.inbound.address
        )
        try:
            await self._run(private, command, rest)
        except UserError as error:
            error.address = inbound.address
            raise
        ctx.tr = private.tr
        ctx.reply(ctx.tr._(GROUP_NOTES[place]))
        ctx.replies.extend(private.replies)

    async def _run(self, ctx: Context, command: Command, rest: str) -> None:
        # A sub-command ("/team add") may ask more of the person than its command does.
        sub = command.subcommand(ctx.tr, rest)
        authorized = command.as_run(sub)
        before = len(ctx.replies)
        rest = _circle_in_words(ctx, authorized, rest)
        picked = await self._authorize(ctx, authorized, rest, command.name)
        if picked:
            if sub is None or sub.handler is None:
                sub = None  # the command's handler reads it from its text
            args = parse_args(command, rest, _reading_dates(ctx), sub)
            handler = command.handler if sub is None or sub.handler is None else sub.handler
            if picked is Picked.NO_CIRCLE and command.no_circle is not None:
                handler = command.no_circle
            waiting = self.registry.flows.get(ctx.conversation.flow or "")
            waited_since = ctx.conversation.updated_at
            # begin and update always put a new dict: the same one is a question left untouched
            # (the clock may not have moved since it was asked: "LETTER" then "/letter").
            waited_data = ctx.conversation.data
            try:
                if ctx.circle is not None:
                    declared = command.args if sub is None else sub.args
                    by_date = [arg.key for arg in declared if arg.kind is ArgKind.MEETING]
                    await meetings.numbers_for_dates(
                        ctx.session, ctx.tr, ctx.circle, args, by_date, ctx.now
                    )
                    check_meetings(declared, args, ctx.circle.meeting_count)
                await handler(ctx, args)
            except UserError as error:
                if picked is Picked.BY_DEFAULT:
                    raise await _naming_the_circle(ctx, error) from None
                raise
            if picked is Picked.BY_DEFAULT:
                await self._name_default(ctx, before)
            if (
                waiting is not None
                and waiting.entry == command.name
                and ctx.conversation.flow == waiting.name
                and ctx.conversation.updated_at == waited_since
                and ctx.conversation.data is waited_data
            ):
                # The same command done since without its question ("/addmeeting feb 11" after
                # "...10 months after the last one. Add it?"): that question is dropped quietly,
                # never "stopped" later under another command (A11).
                conversations.finish(ctx.conversation, ctx.now)
            self._put_aside(ctx, waiting)

    def _put_aside(self, ctx: Context, waiting: Flow | None) -> None:
        """One conversation waits per chat: a command that began another one stopped the flow
        that was waiting. Say so, and how to begin it again, rather than drop it silently."""
        now = ctx.conversation.flow
        if waiting is None or now is None or now == waiting.name or not waiting.entry:
            return
        ctx.reply(
            ctx.tr._(
                "(I've stopped what we were doing with /%(command)s; send /%(command)s to "
                "start it again.)",
                command=waiting.entry,
            )
        )

    async def _authorize(self, ctx: Context, command: Command, rest: str, asked: str) -> Picked:
        """Enforce the registry's access level and pick the circle the command acts on.

        Picked.ASKED when the person must first say which of their circles they mean (and then
        `asked`, the command's name, runs again with `rest` once they have).
        """
        if command.access is Access.ANYONE:
            return Picked.GIVEN
        roles = roles_for(command.access)
        memberships = [m for m in ctx.memberships if m[0].role in roles]
        if not memberships and command.no_circle is not None:
            return Picked.NO_CIRCLE  # /leave from someone only waiting for a seat
        if not memberships:
            if command.access is Access.MEMBER:
                raise UserError(
                    N_(
                        "You're not in a circle yet. Join one with /join and the code your "
                        "facilitator gave you, or start one with /newcircle."
                    )
                )
            meeting = rest.strip().split()[:1]
            if command.name == "cancel" and meeting and meeting[0].isdecimal() and ctx.memberships:
                # A learner's "/cancel 4" means "I can't come" (G4, A47).
                raise UserError(
                    N_(
                        "Can't make it to meeting %(number)s? Send /rsvp no %(number)s and "
                        "I'll let your facilitator know."
                    ),
                    number=meeting[0],
                )
            raise UserError(
                N_("Only %(role)s can use /%(command)s."),
                role=ctx.tr._(ACCESS_NAMES[command.access]),
                command=command.name,
            )
        among = len(memberships)  # several: a reply about the one picked names it
        await self._default_led_by_another(ctx, command, rest, memberships)
        if ctx.chosen_circle_id is not None:
            memberships = [m for m in memberships if m[1].id == ctx.chosen_circle_id]
        else:
            memberships = await self._narrowed(ctx, command, rest, memberships)
        by_default = False
        # Said which: /default aside. Words that are only a reason ("/close moving on") don't.
        named = command.names_circle and _names_a_circle(command, rest, ctx.memberships)
        if ctx.chosen_circle_id is None and not named:  # their default circle, if one of these
            chosen = defaults.default_circle(ctx.person, memberships)
            if command.name in ASK_WITH_A_FINISHED_ONE and len(chosen) > 1:
                now = ctx.now
                going = await defaults.still_going(ctx.session, memberships, timedelta(0), now)
                if len(going) < len(memberships):
                    chosen = memberships
            by_default = command.one_circle and len(chosen) == 1 < among
            memberships = chosen
        if ctx.chosen_circle_id is None and command.one_circle and len(memberships) > 1:
            memberships = await _running_first(ctx, memberships)
            conversations.begin(
                ctx.conversation,
                CHOOSE_CIRCLE,
                {"command": asked, "rest": rest, "circles": [c.id for _, c in memberships]},
                ctx.now,
            )
            self._ask_circle(ctx, [circle for _, circle in memberships])
            return Picked.ASKED
        if not memberships and command.no_circle is not None:
            return Picked.NO_CIRCLE  # a circle chosen that is none of theirs (a waiting list)
        if not memberships:  # the chosen circle no longer qualifies
            raise UserError(N_("That circle isn't one of yours any more. Send the command again."))
        # Otherwise the most recently joined circle.
        ctx.membership, ctx.circle = memberships[0]
        return Picked.BY_DEFAULT if by_default else Picked.GIVEN

    @staticmethod
    async def _default_led_by_another(
        ctx: Context, command: Command, rest: str, memberships: list[defaults.Entry]
    ) -> None:
        """A lead's command from a co-facilitator whose /default is that circle: it is not
        quietly run on another circle they lead ("/team add" added the wrong one); they hear
        who can."""
        if command.access is not Access.LEAD or ctx.chosen_circle_id is not None:
            return
        if command.names_circle and rest.strip():
            return
        default = ctx.person.default_circle_id
        helping = [
            circle
            for membership, circle in ctx.memberships
            if circle.id == default and membership.role == Role.COFACILITATOR
        ]
        if not helping or any(circle.id == default for _, circle in memberships):
            return
        circle = helping[0]
        assert circle.id is not None
        lead = [
            entry.person.display_name
            for entry in await members.roster(ctx.session, circle.id)
            if entry.membership.role == Role.FACILITATOR
        ]
        raise UserError(
            N_("Only %(name)s, who facilitates %(circle)s, can use /%(command)s there."),
            name=lead[0] if lead else "?",
            circle=circle.name,
            command=command.name,
        )

    @staticmethod
    async def _narrowed(
        ctx: Context, command: Command, rest: str, memberships: list[defaults.Entry]
    ) -> list[defaults.Entry]:
        """The circles `command` may be about, none chosen yet: the one its words name
        (Command.names_circle), the one the group is linked to, and of several, those it
        still applies to (Command.after_end: not a circle that finished long ago)."""
        # "/close moving to a new course": words naming none of their circles are its reason.
        if command.names_circle and _names_a_circle(command, rest, ctx.memberships):
            named = _circle_named(command, rest, memberships)  # "/delete 2" is no pick
            if not named and rest.strip().isdecimal():
                # "/delete 3" (Swahili /futa 3): a meeting's number, meant for /cancel.
                raise UserError(
                    N_(
                        "/%(command)s is for a whole circle, and none of yours is called "
                        "%(name)s. To cancel only meeting %(name)s, send /cancel %(name)s."
                    ),
                    command=command.name,
                    name=rest.strip(),
                )
            if not named:
                # One of theirs, run by someone else (a co-facilitator's /close): who can (D22).
                theirs = _circle_named(command, rest, ctx.memberships)
                if len(theirs) == 1 and theirs[0][0].role == Role.COFACILITATOR:
                    circle = theirs[0][1]
                    lead = [
                        entry.person.display_name
                        for entry in await members.roster(ctx.session, circle.id or 0)
                        if entry.membership.role == Role.FACILITATOR
                    ]
                    raise UserError(
                        N_(
                            "Only %(name)s, who facilitates %(circle)s, can use /%(command)s there."
                        ),
                        name=lead[0] if lead else "?",
                        circle=circle.name,
                        command=command.name,
                    )
                raise UserError(
                    N_("None of the circles you can use /%(command)s for is called %(name)s."),
                    command=command.name,
                    name=rest.strip(),
                )
            return named
        group = ctx.group or (ctx.inbound.address if ctx.inbound.is_group else None)
        if group is not None:
            # In a group linked to one of the person's circles, the command is about that one.
            linked = await chats.linked_to(ctx.session, group)
            memberships = [m for m in memberships if m[1].id in linked] or memberships
        memberships = await _able(ctx, command, rest, memberships)
        if command.after_end is not None and len(memberships) > 1:
            going = await defaults.still_going(ctx.session, memberships, command.after_end, ctx.now)
            # All ended: a learner's command goes to the latest circle, which says so itself;
            # one running them is asked which, unless their /default says (the newest picked
            # silently got the older circle's /edit name, or its /schedule).
            if not going and command.access < Access.FACILITATOR:
                chosen = defaults.default_circle(ctx.person, memberships)
                going = chosen if len(chosen) == 1 else memberships[:1]
            elif going and command.name in BRING_MEETINGS_BACK:
                # A circle closed early is still offered until its planned end: the change
                # meant for it ("/addmeeting" just after /close) never lands on another one.
                closed = going + await defaults.ended_early(ctx.session, memberships, ctx.now)
                kept = {circle.id for _, circle in closed}
                going = [entry for entry in memberships if entry[1].id in kept]
            memberships = going or memberships
        root = command.name.split()[0]  # "cofacilitator add": the command's own name
        if root in NAMES_A_MEMBER and len(memberships) > 1:
            who = rest.split(maxsplit=1)[1:] if command.subcommand(ctx.tr, rest) else [rest]
            named = await defaults.with_member(
                ctx.session, memberships, "".join(who), ACTS_ON_ROLE.get(command.name, frozenset())
            )
            if len(named) < len(memberships):
                # The member's running circle is the one meant; never a finished one silently
                # (a learner made co-facilitator of a circle that ended months ago): then ask.
                going = await defaults.still_going(ctx.session, named, MEMBER_STILL_THERE, ctx.now)
                named = going or memberships
            memberships = named
        window = ABOUT_THE_MEETING_NOW.get(root)
        # "/attendance 1", as the reminder after meeting 1 says: the circle whose meeting 1
        # is on or just ended.
        number = rest.strip()
        if window is not None and len(memberships) > 1 and (not number or number.isdecimal()):
            early = attendance.EARLY_ARRIVAL
            on = await defaults.meeting_now(
                ctx.session, memberships, ctx.now, early, window, int(number) if number else None
            )
            memberships = on or memberships
        return memberships

    async def _name_default(self, ctx: Context, before: int) -> None:
        """A reply about the circle picked among several without asking (their /default, or the
        only one still going) names it, where it doesn't already: "Atelier Python: Great, see
        you at meeting 1"."""
        circle = ctx.circle
        replies = ctx.replies[before:]
        if circle is None or not replies or any(circle.name in r.text for r in replies):
            return
        name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle)
        ctx.replies[before] = replace(
            replies[0], text=ctx.tr._("%(circle)s: %(reply)s", circle=name, reply=replies[0].text)
        )

    @staticmethod
    def _ask_circle(ctx: Context, options: list[circles.Circle]) -> None:
        names = circles.distinct_names(ctx.tr, options, group=ctx.inbound.is_group)
        ctx.reply(
            ctx.tr._("Which circle is that for?"),
            choices=[
                Choice(name, f"#{circle.id}") for circle, name in zip(options, names, strict=True)
            ],
        )

    async def _not_a_circle(self, ctx: Context, text: str) -> bool:
        """Words that answer no circle question ("Bonjour Mariama, test"): the question ends
        and they are read as any message would be (a question's answer, or passed on). False,
        the question still asked, when they are neither, a word or three (never an older
        question's answer: "la de programacion" is no rating), or a number or button."""
        if text.isdecimal() or text.startswith("#"):
            return False
        if plain_text.applies(ctx) and plain_text.command_word(ctx, text):
            # A command word is never passed on: "LEAVE" after "ONDOKA" asks again; another
            # command ("MKUTANO") runs instead of the one asked.
            asked_for = ctx.conversation.data.get("command")
            slash = await plain_text.as_command(ctx, text) or ""
            if slash[1:].split(" ", 1)[0] in ("", asked_for):
                return False
            conversations.finish(ctx.conversation, ctx.now)
            await self._dispatch(ctx, slash, None, [], text)
            return True
        if not questions.a_sentence(text):
            return False  # a word or three ("hmm", "the other one"): an answer not read
        asked = (ctx.conversation.flow, dict(ctx.conversation.data))
        conversations.finish(ctx.conversation, ctx.now)
        if await answers.answer_waiting(ctx, text) or await self._passed_on(ctx, text):
            return True
        conversations.begin(ctx.conversation, asked[0] or CHOOSE_CIRCLE, asked[1], ctx.now)
        return False

    async def _circle_chosen(self, ctx: Context, text: str) -> None:
        """The answer to "Which circle is that for?": then run the command that asked."""
        data = ctx.conversation.data
        entries = [entry for entry in ctx.memberships if entry[1].id in data["circles"]]
        options = [circle for _, circle in entries]
        chosen = [circle for circle in options if text == f"#{circle.id}"] or [
            circle for _, circle in defaults.named(entries, text)
        ]
        if not chosen and text.isdecimal() and 0 < int(text) <= len(options):
            chosen = [options[int(text) - 1]]  # its number, the choices no longer remembered
        if not chosen:
            # "la de python", "the library one"
            chosen = [circle for _, circle in defaults.mentioned(entries, text, ctx.tr)]
        command = self.registry.get(data["command"])
        several = _several_chosen(ctx, options, text) if not chosen and command else []
        if command is not None and several and _for_each(command.name, str(data["rest"])):
            # "LOS DOS", "1 y 2" to "which circle?" for CHECKIN OFF: each of them (C50).
            conversations.finish(ctx.conversation, ctx.now)
            for circle in several:
                ctx.chosen_circle_id = circle.id
                await self._run(ctx, command, data["rest"])
            return
        if command is not None and not chosen and await self._not_a_circle(ctx, text):
            return
        if len(chosen) != 1 or command is None:
            self._ask_circle(ctx, options)
            return
        conversations.finish(ctx.conversation, ctx.now)
        ctx.chosen_circle_id = chosen[0].id
        try:
            await self._run(ctx, command, data["rest"])
        except UserError as error:
            error.ends_conversation = ctx.conversation.key
            raise
        if command.name not in welcome.UNDOING:  # never "make it your default" on leaving it
            await _tell_of_default(ctx, chosen[0], options)
