"""Plain SMS: carrier keywords (STOP, START, HELP), words that stand for commands, and free text
that reaches the facilitator when no question is waiting. It applies to private chats on every
platform whose description declares keywords (Platform.keywords), as an SMS gateway's does.

STOP is honoured on the first message, whatever else is going on, and after it the number hears
nothing more: pending messages to it are dropped and the dispatcher skips it. Only START, UNSTOP
or YES (from a number that has opted out, YES means "start again") bring it back. HELP is still
answered, as carriers require.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

from babel import Locale
from sqlalchemy import update
from sqlmodel import col, select

from bot.chat import keywords, rendering
from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.keywords import Keyword
from bot.chat.messages import Choice
from bot.circles import (
    circles,
    defaults,
    erasure,
    joincodes,
    meetings,
    number_languages,
    phone_numbers,
)
from bot.circles.commands import leaving, newcircle, own_zone, seating, welcome
from bot.circles.commands.membership import SWITCH_LANGUAGE_SMS
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey, key_text
from bot.dialogue import conversations, members, people
from bot.dialogue.context import Context
from bot.dialogue.registry import STILL_GOING, Access, ArgKind, Command, SubCommand, parse_args
from bot.letters import commands as letter_commands
from bot.letters import languages
from bot.rhythm import questions
from bot.rhythm.checkins import RATING_NEGATIONS
from bot.rhythm.commands import announcements, answers, facilitation, meeting_dates
from bot.storage.models import (
    FACILITATING,
    Circle,
    CircleStatus,
    Membership,
    OutboxMessage,
    OutboxStatus,
    Person,
    Role,
)


def applies(ctx: Context) -> bool:
    return ctx.platforms.keywords(ctx.inbound.platform) and not ctx.inbound.is_group


async def carrier(ctx: Context, text: str) -> bool:
    """Handle the carrier keywords, and silence for an opted-out number. True when handled."""
    # "/cancel" is the bot's command (stop a conversation), not the carrier's CANCEL.
    if not text.startswith("/"):
        _hears_language(ctx, text)
    match = None if text.startswith("/") else keywords.read(ctx.reader, text)
    keyword = match.keyword if match else None
    if keyword is Keyword.OPT_OUT:
        if not ctx.account.opted_out:
            await _opt_out(ctx)
        return True
    if keyword is Keyword.HELP:
        await _help(ctx)
        return True
    if match is None and not text.startswith("/") and _help_about_stopping(ctx, text):
        return True
    if keyword is Keyword.OPT_IN or (ctx.account.opted_out and keyword is Keyword.YES):
        await _opt_in(ctx)
        return True
    if ctx.account.opted_out and match is None and _asks_to_start(ctx, text):
        # "hola, quiero volver a recibir los mensajes": as plain a yes to the messages as
        # START, which he may not remember weeks on (C15).
        await _opt_in(ctx)
        return True
    if ctx.account.opted_out:
        if match is not None and match.keyword is Keyword.JOIN and match.argument:
            # "JIUNGE TCU6DYK" while stopped: not acted on, nor answered; said after START (B18).
            ctx.conversation.data = {**ctx.conversation.data, JOINED_WHILE_STOPPED: match.argument}
        if match is None and not text.startswith("/"):
            await _after_stop(ctx, text)
        return True  # nothing else reaches or answers a number that said STOP
    if keyword is Keyword.EXIT:
        _exit(ctx)
        return True
    if match is not None and match.keyword is Keyword.JOIN and not match.argument:
        if ctx.conversation.flow:
            return False  # an answer to the conversation going on
        ctx.reply(
            ctx.tr._(
                "Text %(join)s and the code your facilitator gave you to join a circle.",
                join=keywords.first_word(ctx.tr, keywords.JOIN),
            )
        )
        return True
    return False


STOP_WORD_HELP = N_(
    "%(word)s stops every message from me, in all your circles. Text %(start)s to get them "
    "again. To leave only what we're doing now, text %(exit)s."
)
CANCEL_MEETING_HOW = N_("To cancel a meeting, text %(cancel)s and its number: %(cancel)s 3.")


def _help_about_stopping(ctx: Context, text: str) -> bool:
    """HELP STOP, HELP QUIT, HELP CANCEL (sms 46): what a carrier's stop word does, never "I
    don't know a command called STOP" nor "/cancel" a phone can't send. True when answered."""
    first, _, word = text.strip().partition(" ")
    helps = keywords.words(ctx.reader, keywords.HELP)
    if keywords.plain(first) not in helps or keywords.plain(word) not in keywords.words(
        ctx.reader, keywords.OPT_OUT
    ):
        return False
    told = ctx.tr._(
        STOP_WORD_HELP,
        word=word.strip().upper(),
        start=keywords.first_word(ctx.tr, keywords.OPT_IN),
        exit=keywords.first_word(ctx.tr, keywords.EXIT),
    )
    cancel = keywords.local_name(ctx.tr, "cancel")
    if keywords.plain(word) in keywords.spellings(cancel) | {"cancel"}:
        # By SMS, CANCEL and a number still calls a meeting off: only CANCEL alone stops.
        told += " " + ctx.tr._(CANCEL_MEETING_HOW, cancel=keywords.texted(cancel))
    ctx.reply(told)
    return True


# Translators: what someone who texted STOP writes, in a sentence, to get the bot's messages
# again ("hola, quiero volver a recibir los mensajes"); comma-separated phrases, matched case,
# accents and spaces aside. Only clear asks for the messages: they turn them back on.
START_ASKED = N_(
    "want the messages again, want your messages again, want to get the messages again, "
    "want to receive the messages again, get the messages again, receive messages again, "
    "start the messages again, start sending me messages again, send me messages again, "
    "turn the messages back on, resume the messages"
)


def _asks_to_start(ctx: Context, text: str) -> bool:
    """Whether `text` asks in a sentence for the messages again (START_ASKED), with no word
    turning it around ("don't send me messages again", "no quiero volver a recibir...")."""
    if not answers.says_one_of(ctx, text, START_ASKED):
        return False
    negations = keywords.phrases(ctx.catalogs, RATING_NEGATIONS)
    return not any(keywords.plain(word) in negations for word in text.split())


async def _after_stop(ctx: Context, text: str) -> None:
    """Words from a number that said STOP ("SIWEZI KUJA JUMANNE"): STOP ends the bot's
    messages, not the learner's way to their facilitator. They go on (the facilitators are told
    an answer waits for START: announcements.pass_on), and nothing is said back."""
    await forward(ctx, text)
    ctx.replies.clear()


def _exit(ctx: Context) -> None:
    """EXIT: what "/cancel" is by SMS (CANCEL itself is the carrier's word for STOP)."""
    if ctx.conversation.flow:
        conversations.finish(ctx.conversation, ctx.now)
        ctx.reply(ctx.tr._("OK, I've stopped. Nothing was saved."))
    else:
        ctx.reply(ctx.tr._("There's nothing to cancel right now."))


def _hears_language(ctx: Context, text: str) -> None:
    """A first text in a language the bot doesn't know this number speaks ("msaada", "habari",
    "TAFUTA nairobi"): its keywords, command names and greetings say which one, when only one
    shipped language has the word; the answer, and what follows, come in it (as JOIN does,
    _speaks). Words English has too (STOP, INFO, PORTFOLIO) say nothing. Words that say
    nothing, and no English word either ("xyz", "quiero unirme"): the number's country, where
    it reads one shipped language (+52, Mexico: Spanish); else the default stays."""
    if ctx.person.locale or ctx.account.locale_hint or ctx.memberships:
        return
    written = _written_in(text)
    speaking = [written] if written else _languages_said(ctx, text)
    if not speaking:
        by_number = number_languages.language_of_number(ctx.account.address, ctx.catalogs.locales)
        speaking = [by_number] if by_number else []
    # A sentence clearly written in one language is hers even where it is the default: kept,
    # it outweighs a circle's language later, in its welcome and every notice (sms 5, 9).
    if len(speaking) == 1 and (speaking[0] != ctx.tr.locale or written):
        ctx.account.locale_hint = speaking[0]
        ctx.session.add(ctx.account)
        ctx.tr = ctx.catalogs.translator(speaking[0])


def hears_greeting(ctx: Context, text: str) -> bool:
    """A newcomer's words in a chat ("Bonjour", "Habari", "Hej", "Hola"), from someone who chose
    no language and is in no circle, nor in the middle of a question: a greeting or keyword
    only one shipped language has says which, and the welcome comes in it (B1), as a first text
    does by SMS (_hears_language). Their app's language (the platform's hint) gives way to
    another they clearly write in (_written_over_the_app). True when it gave way: they are told
    how to change it (tell_how_to_switch)."""
    if applies(ctx) or ctx.inbound.is_group or text.startswith("/"):
        return False
    if ctx.person.locale or ctx.memberships:
        return False
    if ctx.conversation.flow is not None:  # "Hola" may be the name of the circle being set up
        return False
    if ctx.account.locale_hint:
        return _written_over_the_app(ctx, text)
    speaking = _languages_said(ctx, text)
    if len(speaking) == 1 and speaking[0] != ctx.tr.locale:
        ctx.account.locale_hint = speaking[0]
        ctx.session.add(ctx.account)
        ctx.tr = ctx.catalogs.translator(speaking[0])
    return False


# The fewest letters of a word that says its language over the app's: shorter ones are words of
# several ("si" is Spanish's yes and French's "if"; "o", "s", "j" are letters anywhere).
TELLING_LETTERS = 3


def _written_over_the_app(ctx: Context, text: str) -> bool:
    """Whether a newcomer's app is in one language and they write in another shipped one
    (Baraka's French console, "habari", "nimefika": issue 16): then they are answered in it
    from now on. Kept as their language, since the app sends its own with every message (an
    account's hint follows it); /language changes it. English words never outweigh the app:
    "hello", "ok", "help" are everyone's."""
    speaking = _languages_said(ctx, text, TELLING_LETTERS)
    if len(speaking) != 1 or speaking[0] in (ctx.tr.locale, "en"):
        return False
    ctx.person.locale = speaking[0]
    ctx.session.add(ctx.person)
    ctx.tr = ctx.catalogs.translator(speaking[0])
    return True


def _languages_said(ctx: Context, text: str, shortest: int = 0) -> list[str]:
    """The languages a text's words say: another language's keyword, command name or greeting
    as its first word or two (or the whole text), or English by any word only English has
    ("how do I join?"). Empty when the words say nothing. `shortest`: the fewest letters a
    keyword, name or greeting says a language with."""
    said = text.split()
    typed = {keywords.plain(" ".join(said[:n])) for n in (1, 2)} | {keywords.plain(text)}
    typed = {word for word in typed if len(word) >= shortest}
    known = _language_words(ctx.catalogs.translator("en"))
    others = {
        code: _language_words(ctx.catalogs.translator(code))
        for code in ctx.catalogs.locales
        if code != "en"
    }
    speaking = [code for code, words in others.items() if typed & (words - known)]
    only_english = known - set().union(*others.values())
    # Words of three letters or more: "y" is also Spanish's "and".
    every_word = {word for word in map(keywords.plain, re.split(r"\W+", text)) if len(word) > 2}
    if not speaking and (typed & known or every_word & only_english):
        return ["en"]
    return speaking


def _written_in(text: str) -> str | None:
    """The shipped language a sentence is clearly written in, by its commonest small words
    ("Good evening. My daughter told me there is a class..."), or None."""
    return languages.written_in(text, "") or None



def first_text(ctx: Context, text: str) -> bool:
    """Whether a new number's first text (people.Sender.new) is answered in a guessed
    language: by SMS, from someone who chose none and is in no circle, in words that don't
    say which (the country or the default decides: _hears_language)."""
    return (
        applies(ctx)
        and not ctx.person.locale
        and not ctx.memberships
        and not _languages_said(ctx, text)
        and not _written_in(text)
    )


def tell_how_to_switch(ctx: Context) -> None:
    """One short line after the first reply to a new number, in the same text: how to change
    the language the bot guessed (SMS rendering writes /language as the word to text)."""
    if not ctx.replies:
        return
    last = ctx.replies[-1]
    line = ctx.tr._(SWITCH_LANGUAGE_SMS)
    ctx.replies[-1] = dataclasses.replace(last, text=f"{last.text}\n{line}")


def _language_words(tr: Translator) -> set[str]:
    """The words only a reader of `tr`'s language would text: its keywords, greetings and
    command names (English's too, where it keeps them)."""
    lists = [*keywords.LISTS.values(), keywords.JOIN, keywords.FIND, keywords.GREETINGS]
    lists += keywords.ALSO_NAMED.values()
    said = {keywords.plain(w) for listed in lists for w in tr._(listed).split(",")}
    said |= {keywords.plain(keywords.local_name(tr, name)) for name in keywords.COMMAND_NAMES}
    return said - {""}


STOPPED_IN_A_SET_UP = N_(
    "You won't get any more messages from me, and the set-up was dropped. Next time, "
    "%(exit)s leaves only the set-up. Text %(start)s to get messages again."
)


async def _opt_out(ctx: Context) -> None:
    ctx.account.opted_out = True
    ctx.session.add(ctx.account)
    # A guided command under way ends too: after START, words are not its next answer.
    dropped = ctx.conversation.flow == newcircle.FLOW  # the set-up, not any other question
    conversations.finish(ctx.conversation, ctx.now)
    # Whatever was waiting to go to this number stays unsent.
    await ctx.session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.platform) == ctx.account.platform,
            col(OutboxMessage.chat_id) == ctx.account.address,
            col(OutboxMessage.status) == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.DEAD, last_error="recipient opted out (STOP)")
    )
    await facilitation.tell_stopped(ctx)  # their facilitators hear of it now (fac 19)
    if dropped:
        # QUIT in the middle of NEWCIRCLE (sms 43): a carrier's word stops everything; what
        # leaves only the set-up is said for next time.
        ctx.reply(
            ctx.tr._(
                STOPPED_IN_A_SET_UP,
                exit=keywords.first_word(ctx.tr, keywords.EXIT),
                start=keywords.first_word(ctx.tr, keywords.OPT_IN),
            )
        )
        return
    ctx.reply(
        ctx.tr._(
            "You won't get any more messages from me. Text %(start)s if you want them again.",
            start=keywords.first_word(ctx.tr, keywords.OPT_IN),
        )
    )


# Where a JOIN texted while stopped is remembered, to be told of after START (B18).
JOINED_WHILE_STOPPED = "joined-while-stopped"
JOIN_AGAIN = N_(
    "While your messages were stopped you texted %(join)s, so I couldn't add you. Text it "
    "again now to join."
)


async def _opt_in(ctx: Context) -> None:
    was_out = ctx.account.opted_out
    # Told of the STOP (facilitation.tell_stopped), the facilitators hear of the START (C11).
    was_stopped = was_out and bool(await members.stopped(ctx.session, [ctx.person_id]))
    ctx.account.opted_out = False
    ctx.account.reachable = True
    ctx.session.add(ctx.account)
    if was_stopped:
        await facilitation.tell_started(ctx)
    if was_out:
        ctx.reply(
            ctx.tr._(
                "Welcome back! You'll get your circle's messages again. Text %(help)s for help.",
                help=keywords.first_word(ctx.tr, keywords.HELP),
            )
        )
        code = ctx.conversation.data.get(JOINED_WHILE_STOPPED)
        if code:
            ctx.conversation.data = {
                k: v for k, v in ctx.conversation.data.items() if k != JOINED_WHILE_STOPPED
            }
            ctx.reply(
                ctx.tr._(
                    JOIN_AGAIN,
                    join=keywords.first_word(ctx.tr, keywords.JOIN) + " " + str(code).upper(),
                )
            )
    else:
        ctx.reply(
            ctx.tr._(
                "You're already getting messages. Text %(help)s for help.",
                help=keywords.first_word(ctx.tr, keywords.HELP),
            )
        )


# The words a member texts most, after the carrier's HELP (who, whose circle, how to stop): a
# feature phone has no menu, and HELP WORD only helps someone who knows WORD already.
# NAME too: a name mistaken at joining ("No Entiendo Nada") is fixed by texting it.
# LEAVE and FORGET too: someone who only knows STOP silences every circle and every reply to
# leave one (walk C 22), and the way to erase everything must be findable (walk D 29).
MAIN_WORDS = (
    "next",
    "rsvp",
    "checkin",
    "letter",
    "portfolio",
    "name",
    "language",
    "leave",
    "forget",
)
# Once no meeting is to come: FORGET too, the way to erase everything.
LATER_WORDS = ("letter", "portfolio", "name", "language", "forget")
# For whoever helps run a circle: the words of the facilitator commands that work by SMS, so
# "Send HELP to see the facilitator commands" shows them; the most needed first, as many as
# one text holds in the reader's language (facilitator_words). INVITE, MOVENUMBER and EDIT
# too: a facilitator with only a phone has no other way to find them (sms 6). NEXT is on
# HELP's line above.
FACILITATOR_WORDS = (
    "invite",
    "roster",
    "attendance",
    "announce",
    "reply",
    "movenumber",
    "edit",
    "digest",
)
# The fewest of them HELP lists, however long a language's words.
FEWEST_FACILITATOR_WORDS = 5
ERASE_HOW = N_(
    "To delete everything I know about you, send /forget. I'll ask you to confirm first. I "
    "haven't passed this message on."
)
WORDS_SMS = N_("Words you can text: %(words)s. Send %(help)s and one of them to learn more.")


async def _help(ctx: Context) -> None:
    # After STOP, HELP says how to come back, not what an old question asked (C64).
    if not ctx.account.opted_out and await answers.help_with_the_question(ctx):
        return  # the question waiting, asked again first: a second HELP lists the words
    ctx.reply(await welcome.sms_help(ctx))
    memberships = await circles.active_memberships(ctx.session, ctx.person_id)
    if ctx.account.opted_out or not memberships:
        return
    ahead = [await meetings.upcoming(ctx.session, c.id, ctx.now) for _, c in memberships if c.id]
    if any(membership.role in FACILITATING for membership, _ in memberships):
        nameless = erasure.nameless(ctx.person.display_name, ctx.catalogs)
        ctx.reply(facilitator_words(ctx.tr, nameless))
        return
    main: tuple[str, ...] = MAIN_WORDS if any(ahead) else LATER_WORDS
    ctx.reply(_words_to_text(ctx.tr, main))


def _words_to_text(tr: Translator, names: tuple[str, ...]) -> str:
    # As slash commands: the reply names each as the reader texts it ("/rsvp" -> HUDHURIA).
    return tr._(WORDS_SMS, words=", ".join("/" + name for name in names), help="/help")


def facilitator_words(tr: Translator, nameless: bool) -> str:
    """HELP's words for someone who runs a circle, as many of FACILITATOR_WORDS as fit one
    text for a reader of `tr`; NAME first for one with no name of her own yet (sms 6)."""
    names = ("name", *FACILITATOR_WORDS) if nameless else FACILITATOR_WORDS
    forms = (
        _words_to_text(tr, names[:count])
        for count in range(len(names), FEWEST_FACILITATOR_WORDS - 1, -1)
    )
    return rendering.first_fitting(forms, tr)


def command_word(ctx: Context, text: str) -> bool:
    """Whether `text` is one word a texter sends as a command ("LEAVE", "ONDOKA", "NEXT"):
    never words for a facilitator, nor an answer to "which circle?"."""
    word = text.strip()
    if not word or " " in word:
        return False
    return _named(ctx, word) is not None or keywords.read(ctx.reader, word) is not None


async def as_command(ctx: Context, text: str) -> str | None:
    """The slash command a keyword stands for ("JOIN AB12CD" -> "/join AB12CD"), or None.

    While a question waits, its answer comes first: "Yes" to an announcement or "letter" as a
    reflection is an answer, not a command. Once an announcement has had its reply, the words
    after it still reach the facilitators, but keywords are commands again.
    """
    typed = typed_command(ctx, text)
    if typed is not None and typed.startswith("/goal ") and await answers.goal_look_back_waits(ctx):
        typed = None  # "goal yangu nimeweza excel kiasi": the look back's answer (sms 20)
    if typed is not None:
        # Its words parse as the command's own arguments ("RSVP NDIYO"), so it is no answer
        # to a question waiting: it runs, and the question keeps waiting.
        return typed
    thanks = await letter_commands.texted_thanks(ctx, text)  # ASANTE BARUA 2, GRACIAS (issue 16)
    if thanks is not None:
        return thanks
    # "Jion 2VAHRR5", "jiunge pak nrf7 👍🔥": even while a question waits (fac 24, sms 28).
    joining = _join_typed(ctx, text)
    if joining is not None:
        _speaks(ctx, text)
        return "/join " + joining
    # Any command that needs nothing more, as one word, in English or the reader's language:
    # CHECKIN, REFLEXION, BARUA, PORTFOLIO (a question waiting keeps waiting, as for
    # answers.command_instead).
    command = _named(ctx, text) if " " not in text.strip() else None
    if command is not None and command.name == "rsvp":
        return "/help rsvp"  # alone: how to answer (RSVP YES), never words passed on
    if command is not None and command.name == "prefer":
        # PREFER alone, texted: messages come to this phone again (after a LINK moved them).
        return "/prefer " + ctx.inbound.platform
    if (
        command is not None
        and not any(arg.required for arg in command.args)
        and command.name not in answers.SAID_ALONE  # "Thanks!" is words, not /thanks
        and keywords.read(ctx.reader, text) is None  # HELP, NEXT: the keyword's own meaning
    ):
        # LEAVE too (answers.CONFIRM_FIRST): by SMS it just asks first, as /leave does; no
        # "send /leave" a phone can't send.
        return "/" + command.name
    if command is None:
        # "ATTENDENCE", "anounce tomorrow bring earphones" (sms 31): HELP's word one letter
        # off runs as the word itself would, its words kept.
        corrected = _help_word_corrected(ctx, text)
        typo = await as_command(ctx, corrected) if corrected is not None else None
        if typo is not None:
            return typo
    running = await _running_words(ctx, text)  # "Mama Rehema has a new number 0722..."
    if running is not None:
        return running
    waiting = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if waiting is not None and not announcements.replied(waiting):
        return None
    match = keywords.read(ctx.reader, text, ctx.catalogs.in_every_language(keywords.JOIN))
    if match is None or (match.keyword is Keyword.JOIN and not match.argument):
        code = welcome.invited_code(ctx, text)  # "JOIN NKGF 6PB", a pasted invitation
        if code is None:  # "Hi I want to join the new class, the code is 9PFQEWX"
            code = await _code_in_sentence(ctx, text)
        return "/join " + code if code is not None else None
    if match.keyword is Keyword.JOIN:
        _speaks(ctx, text)
        return "/join " + match.argument
    if match.keyword is Keyword.NEXT:
        return "/next"
    if match.keyword is Keyword.HERE:
        return "/here"
    if match.keyword is Keyword.FIND:
        return ("/find " + match.argument).strip()  # FIND NAIROBI
    if match.keyword in (Keyword.YES, Keyword.NO):
        if not await circles.active_memberships(ctx.session, ctx.person_id):
            return None
        return "/rsvp yes" if match.keyword is Keyword.YES else "/rsvp no"
    return None


# A word shorter than this is too near too many others to be read as a typo ("nxt", "nam").
TYPO_FEWEST_LETTERS = 5


# Keywords a word one letter off never runs: they end or delete something (review).
NEVER_GUESSED = frozenset({"forget", "leave", "cancel", "delete", "close", "remove"})


def _help_word_corrected(ctx: Context, text: str) -> str | None:
    """`text` with its first word spelled as the one word HELP lists for the sender that it is
    one letter off ("ATTENDENCE", "anounce ..."); None when it is no such word, or near two."""
    first, _, rest = text.strip().partition(" ")
    typed = keywords.plain(first)
    if len(typed) < TYPO_FEWEST_LETTERS or _named(ctx, first) is not None:
        return None
    facilitating = any(Role(m.role) in FACILITATING for m, _ in ctx.memberships)
    every = (*FACILITATOR_WORDS, *MAIN_WORDS) if facilitating else MAIN_WORDS
    # Never guessed at: a word that ends or deletes something ("Forgot" is no FORGET).
    listed = [name for name in every if name not in NEVER_GUESSED]
    near = {
        keywords.local_name(ctx.tr, name)
        for name in listed
        if any(
            # "letters", "named", "checking": the word with an ending is another word
            _one_letter_off(typed, spelled) and not typed.startswith(spelled)
            for spelled in {name} | keywords.spellings(keywords.local_name(ctx.tr, name))
        )
    }
    if len(near) != 1:
        return None
    return " ".join([*near, rest]).strip()


async def _running_words(ctx: Context, text: str) -> str | None:
    """The command a sentence from someone who runs a circle asks for, where no keyword says
    it: her name, when she has none of her own yet ("My name is Atieno, why does it say
    Circle member?", sms 6); a learner's new phone number (sms 8: taken for an answer to
    message 3). None for other words, and from a learner."""
    if not any(Role(m.role) in FACILITATING for m, _ in ctx.memberships):
        return None
    name = _her_name_said(ctx, text)
    if name is not None:
        return "/name " + name
    if not welcome.asks_for(ctx, "movenumber", text):
        return None
    found = NUMBER_IN_WORDS.search(text)
    number = found[0] if found and sum(map(str.isdigit, found[0])) >= FEWEST_DIGITS else None
    learner = await _learner_named(ctx, text)
    if number is None and learner is None:
        return None  # "I have a new number": maybe her own (NEWNUMBER), not a learner's
    if number is None or learner is None:
        return "/help movenumber"  # how, with its example: never a guess at whom
    # It asks before anything moves (new_number.movenumber): her yes does it.
    return f"/movenumber {learner} {number.strip()}"


# A phone number in a sentence ("0722 000 005", "+254 722-000-005"): FEWEST_DIGITS or more.
NUMBER_IN_WORDS = re.compile(r"\+?\d[\d \-]{6,20}\d")
FEWEST_DIGITS = 9


def _her_name_said(ctx: Context, text: str) -> str | None:
    """The name in "My name is Atieno, why ..." (people.NAME_OPENINGS) from someone with no
    name of her own yet: a word or a few, each begun with a capital ("I am late" names no
    one); None otherwise."""
    if not erasure.nameless(ctx.person.display_name, ctx.catalogs):
        return None
    said = people.name_in(ctx.catalogs, text)
    if said == text.strip().rstrip(".!"):
        return None  # no opening: not her name said
    name = re.split(r"[,.;:!?]", said, maxsplit=1)[0].strip()
    words = name.split()
    if not 1 <= len(words) <= MOST_NAME_WORDS or not all(w[0].isupper() for w in words):
        return None
    return name


async def _learner_named(ctx: Context, text: str) -> str | None:
    """The learner of a circle she runs that `text` names, whole name or first name, the
    longest name first ("Mama Rehema", not "Mama"); None when it names none."""
    typed = _spaced_words(text)
    unnamed = erasure.unnamed_names(ctx.catalogs)
    names = [
        entry.person.display_name
        for membership, circle in ctx.memberships
        if Role(membership.role) in FACILITATING and circle.id is not None
        for entry in await members.roster(ctx.session, circle.id)
        if entry.membership.role == Role.LEARNER and entry.person.display_name not in unnamed
    ]
    said = [*names, *(people.first_name(name) for name in names)]
    return next(
        (
            name
            for name in sorted(said, key=len, reverse=True)
            if _spaced_words(name) in typed
        ),
        None,
    )


def _spaced_words(text: str) -> str:
    """The words of `text` in small letters, one space around each: a name is found in a
    sentence as whole words ("Mama Rehema," in "... Mama Rehema, please")."""
    return " " + " ".join(re.findall(r"\w+", text.casefold())) + " "


# What may stand around a JOIN word and its code: marks and emoji ("JOIN AB12CD!!", "👍🔥").
_AROUND_WORDS = re.compile(r"^[\W_]+|[\W_]+$")
# A code typed in pieces ("pak nrf7") has at most this many.
MOST_CODE_PIECES = 3


def _join_typed(ctx: Context, text: str) -> str | None:
    """The code after a JOIN word in any shipped language, when the text is only those, marks
    and emoji around them aside ("jiunge pak nrf7 👍🔥", sms 28), or the word typed one letter
    off before a code in one piece ("Jion 2VAHRR5", "JIONGE", fac 24); only a code of the
    bot's shape: a join, never words for the facilitators. None for anything else."""
    parts = _AROUND_WORDS.sub("", text).split()
    if not 2 <= len(parts) <= 1 + MOST_CODE_PIECES:
        return None
    typed, code = keywords.plain(parts[0]), joincodes.normalize("".join(parts[1:]))
    if not joincodes.looks_valid(code) or any(ch.isdigit() for ch in typed):
        return None
    join_words = keywords.phrases(ctx.catalogs, keywords.JOIN)
    if typed in join_words:
        return code
    if len(parts) == 2 and any(
        len(word) >= 4 and _one_letter_off(typed, word) for word in join_words
    ):
        return code
    return None


def _one_letter_off(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with one letter changed, added, dropped, or two side by side
    swapped ("jion", "jiin", "jon", "joinn")."""
    if typed == word or abs(len(typed) - len(word)) > 1:
        return False
    if len(typed) == len(word):
        differ = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        if len(differ) == 1:
            return True
        first = differ[0]
        return (
            differ == [first, first + 1]
            and typed[first] == word[first + 1]
            and typed[first + 1] == word[first]
        )
    shorter, longer = sorted((typed, word), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


# A sentence short enough to be about joining, not a letter that happens to hold a code.
CODE_SENTENCE_MOST_WORDS = 25


async def _code_in_sentence(ctx: Context, text: str) -> str | None:
    """The join code of a circle the sender is not in, written anywhere in a short text (sms
    31: a feature-phone user writes a sentence, not a keyword). Only a code a circle has: a
    word that merely looks like one ("TEACHER") stays a word, and counts as no wrong code."""
    words = re.findall(r"[^\W_]+", text)
    if len(words) > CODE_SENTENCE_MOST_WORDS:
        return None
    mine = {circle.id for _, circle in ctx.memberships}
    for word in words:
        code = joincodes.normalize(word)
        if not joincodes.looks_valid(code):
            continue
        circle = await joincodes.circle_by_code(ctx.session, code)
        if circle is not None and circle.id not in mine:
            return code
    return None


def _named(ctx: Context, word: str) -> Command | None:
    """The command `word` names by SMS: its English name or its name in the reader's language
    (bot.chat.keywords.COMMAND_NAMES), case and accents aside ("Réflexion", "BILAN"), or one of
    its other words (keywords.ALSO_NAMED: JITOA for /leave), or a name it had before
    (keywords.FORMER_NAMES: TEILEN for /share in German)."""
    typed = keywords.plain(word)
    if not typed:
        return None
    former = keywords.former_command(ctx.tr, word)
    if former is not None:
        return ctx.registry.get(former)
    if typed in _language_everywhere(ctx):
        # The one word that gets someone out of a language they can't read (LUGHA, LANGUE,
        # IDIOMA): understood whatever language the bot writes to them in, as HELP is.
        return ctx.registry.get("language")
    return next(
        (
            command
            for command in ctx.registry
            if typed
            in {command.name} | keywords.spellings(keywords.local_name(ctx.tr, command.name))
            or (
                command.name in keywords.ALSO_NAMED
                and typed in keywords.words(ctx.tr, keywords.ALSO_NAMED[command.name])
            )
        ),
        None,
    )


def _language_everywhere(ctx: Context) -> set[str]:
    """/language's name in every shipped language, as plain() writes it."""
    return {
        spelled
        for code in ctx.catalogs.locales
        for spelled in keywords.spellings(
            keywords.local_name(ctx.catalogs.translator(code), "language")
        )
    }


def _answer(ctx: Context, raw: str) -> str | None:
    """An RSVP answer in any shipped language ("NDIYO" from a reader the bot writes to in
    English), as the English word every reader's /rsvp takes."""
    typed = keywords.plain(raw)
    yes = keywords.phrases(ctx.catalogs, keywords.YES) | keywords.words(ctx.tr, keywords.YES)
    no = keywords.phrases(ctx.catalogs, keywords.NO) | keywords.words(ctx.tr, keywords.NO)
    return "yes" if typed in yes else "no" if typed in no else None


def _lone_yes_or_no(ctx: Context, text: str) -> bool:
    """Whether `text` is only a yes or a no ("oui", "Y", "N"), in any shipped language."""
    return " " not in text.strip() and _answer(ctx, text.strip(" .!")) is not None


def lone_answer(ctx: Context, text: str) -> bool:
    """A number, or a yes or no alone, in any shipped language: an answer to some question,
    never a message for the facilitators."""
    return bool(NUMBERS.fullmatch(text.strip(" .!"))) or _lone_yes_or_no(ctx, text)


def _language(ctx: Context, raw: str) -> str | None:
    """A shipped language by its code ("FR", "sw") or its name, in itself, in English or in
    the reader's language ("Kiswahili", "French", "français"): its code."""
    typed = keywords.plain(raw)
    for code in ctx.catalogs.locales:
        locale = Locale.parse(code)
        names = {code, locale.get_display_name(code), locale.get_display_name("en")}
        names.add(locale.get_display_name(ctx.tr.locale))
        if typed in {keywords.plain(name or "") for name in names}:
            return code
    return None


def _command(ctx: Context, raw: str) -> str | None:
    """HELP RSVP; HELP and a word that names no command ("AYUDA META", "HELP GOAL") too: a
    help request is answered (/help says it knows no such command and how to see them), never
    passed on to the facilitators as a message (walk C 17). "HELP ME", "AIDE MOI": plain HELP."""
    command = _named(ctx, raw)
    if command is not None:
        return command.name
    if keywords.plain(raw) in _HELP_ME:
        return ""
    return raw if FIRST_NAME.fullmatch(raw) else None


# The word people add to HELP that names nothing ("HELP ME", "AYUDA PORFAVOR", "HILFE BITTE").
_HELP_ME = frozenset(
    {"me", "please", "pls", "plz", "moi", "svp", "porfavor", "porfa", "bitte", "mig", "mimi"}
    | {"tafadhali", "nisaidie"}
)


def _code(ctx: Context, raw: str) -> str | None:
    return raw if CODE.fullmatch(raw) else None


def _place(ctx: Context, raw: str) -> str | None:
    return raw.rstrip(".!?") if len(raw.split()) <= keywords.FIND_MOST_WORDS else None


def _link(ctx: Context, raw: str) -> str | None:
    return raw if LINK.match(raw) else None  # SHARE https://... and a note


def _first_name(ctx: Context, raw: str) -> str | None:
    """NAME GRACE, NAME Helga Weiß, NOMBRE María José (a name of a few words, as /name takes),
    never "name is Grace". An emoji beside it is left out ("JINA Otis 🔥": Otis, B34)."""
    said = [word for word in raw.split() if any(ch.isalnum() for ch in word)]
    if not 1 <= len(said) <= MOST_NAME_WORDS or said[0].casefold() in NOT_A_NAME_START:
        return None
    return " ".join(said) if all(FIRST_NAME.fullmatch(word) for word in said) else None


# The words of a name NAME takes by SMS, at most (answers.MOST_NAME_WORDS for the question).
MOST_NAME_WORDS = 3
# "NAME is Grace", "NOMBRE es Ana": a sentence about a name, not one.
NOT_A_NAME_START = frozenset({"is", "es", "est", "ist", "ni", "er", "my", "mi", "mon", "mein"})


def _sharing_switch(ctx: Context, raw: str) -> str | None:
    """SHARING ON, PARTAGE ACTIVER, KUSHIRIKI ZIMA, or a yes or no (PARTAGE OUI): on or off."""
    action = keywords.action(ctx.tr, raw, answers.SHARING)
    if action is None:
        action = {"yes": "on", "no": "off"}.get(_answer(ctx, raw) or "")
    return action


def _withdraw(ctx: Context, raw: str) -> str | None:
    """LETTER WITHDRAW, BARUA ONDOA, LETTRE RETIRER: the letter's one word; or LETTER 5, a
    letter that came, to read all of it (a cut one says so, walkthrough 8, sms 21)."""
    if raw.isdecimal() and len(raw) <= 12:
        return raw
    return keywords.action(ctx.tr, raw, {"withdraw": WITHDRAW})


# /letter's word, as its usage and the bot's replies write it (bot.letters.commands).
WITHDRAW = N_("withdraw")


def _anything(ctx: Context, raw: str) -> str | None:
    return raw  # the words after REPLY 2: the answer, whatever it says


def _reason(ctx: Context, raw: str) -> str | None:
    return raw.lstrip(_APART + " ") or None  # "SALIR - me cambiaron el turno": without the mark


def _numbers(ctx: Context, raw: str) -> str | None:
    return raw if NUMBERS.fullmatch(raw) else None  # THANKS 12 13


def _message_or_learner(ctx: Context, raw: str) -> str | None:
    """REPLY 3, or from someone who runs a circle REPLY and a learner's name ("RESPONDER
    Wanjiru nos vemos el jueves"): a facilitator on a feature phone answers by name, as /reply
    NAME does (C44), and /reply says when no learner has it."""
    if NUMBERS.fullmatch(raw):
        return raw
    runs_one = any(Role(m.role) in FACILITATING for m, _ in ctx.memberships)
    return raw if runs_one and FIRST_NAME.fullmatch(raw) else None


def _phone_number(ctx: Context, raw: str) -> str | None:
    return raw if phone_numbers.TYPED.fullmatch(raw) else None  # NEWNUMBER 0712 345 678


def _co_facilitator_named(ctx: Context, raw: str) -> str | None:
    """The name after HANDOVER ("CEDER Camila"), from who leads a circle: a name of a few
    words. /handover asks before it acts, and says when no one has that name."""
    leads = any(Role(m.role) == Role.FACILITATOR for m, _ in ctx.memberships)
    words = raw.split()
    named = 0 < len(words) <= MOST_NAME_WORDS and all(FIRST_NAME.fullmatch(w) for w in words)
    return raw if leads and named else None


def _announcement(ctx: Context, raw: str) -> str | None:
    """The message after ANNOUNCE, from someone who runs a circle: the keyword and its message
    in one text ("TANGAZA Karibuni wote!"), as JOIN and its code. From a learner, a sentence
    that starts with the word stays a sentence."""
    runs_one = any(Role(m.role) in FACILITATING for m, _ in ctx.memberships)
    return raw if runs_one else None


def _platform(ctx: Context, raw: str) -> str | None:
    """PREFER SMS, PREFERIR SMS, PENDELEA TELEGRAM: a platform by its key or the name people
    call it, in English or the reader's language (as /prefer reads it)."""
    typed = keywords.plain(raw)
    for platform in ctx.platforms:
        names = {platform.name, platform.display_name, ctx.tr._(platform.display_name)}
        if typed in {keywords.plain(name) for name in names}:
            return platform.name
    return None


def _name_and_phone_number(ctx: Context, raw: str) -> str | None:
    return raw if phone_numbers.name_and_number(raw) else None  # MOVENUMBER Mercy 0712 345 678


CODE = re.compile(r"[A-Za-z0-9-]{4,12}")
LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
FIRST_NAME = re.compile(r"[^\W\d_][\w'-]{1,30}")
NUMBERS = re.compile(r"\d{1,9}(?:[ ,]+\d{1,9})*")

# The arguments of the registry's kinds that take any word (ArgKind.WORD, REST): what tells,
# for each command that can be texted with one, that the words after its name are its argument
# rather than a sentence starting with that word ("Rsvp later maybe, I'm busy"); a sub-command's
# arguments by "command sub" ("letters reject"). Numbers, meetings, dates, times and choices
# need nothing here: their own parsing says. A free argument with no reader here can't be
# texted (NAME is one word).
Reader = Callable[[Context, str], "str | None"]
READERS: dict[tuple[str, str], Reader] = {
    ("rsvp", "answer"): _answer,
    ("language", "language"): _language,
    ("help", "command"): _command,
    ("join", "code"): _code,
    ("link", "code"): _code,
    ("find", "what"): _place,
    ("timezone", "zone"): _place,  # TIMEZONE NAIROBI, ZEITZONE Berlin, TIMEZONE OFF
    ("share", "link"): _link,
    ("name", "name"): _first_name,
    ("sharing", "switch"): _sharing_switch,  # SHARING ON, PARTAGE ACTIVER, PARTAGE OUI
    ("letter", "withdraw"): _withdraw,  # LETTER WITHDRAW, BARUA ONDOA
    ("reply", "number"): _message_or_learner,  # REPLY 3; a facilitator's REPLY Bob
    ("reply", "answer"): _anything,
    ("thanks", "letter"): _numbers,  # THANKS 12 13 (words: letters.thanks_in_words)
    ("thanks", "more"): _numbers,
    ("goal", "goal"): _anything,  # GOAL learn Excel, META aprender Excel (sms 16)
    ("letters reject", "reason"): _anything,  # LETTERS REJECT 3 It names a street
    ("rsvp", "meeting"): answers.texted_meeting,  # RSVP NO 3, RSVP NO 8/12
    ("newnumber", "number"): _phone_number,
    ("announce", "message"): _announcement,  # TANGAZA Karibuni wote! (a facilitator's)
    ("handover", "name"): _co_facilitator_named,  # CEDER Camila
    ("cofacilitator", "name"): _co_facilitator_named,  # COFACILITADOR Julian
    ("movenumber", "who"): _name_and_phone_number,
    ("prefer", "platform"): _platform,  # PREFER SMS: messages back to the phone (C46)
    ("leave", "reason"): _reason,  # SALIR, me cambiaron el turno (SET_APART_FIRST)
    ("newcircle", "details"): _anything,  # NEWCIRCLE Siaya computer club: its name (sms 23)
}
# Commands whose word starts many sentences and whose free words are only a reason: their
# words are taken with them only when the word is set apart from them as a keyword is ("SALIR,
# me cambiaron el turno", "LEAVE my shift changed"), never in "salir temprano hoy" (passed on).
# A false start would be harmless anyway: /leave asks first.
SET_APART_FIRST = frozenset({"leave"})
# The marks that set a keyword apart from the words after it ("salir, ...", "LEAVE: ...").
_APART = ",;:.!-–—"


def _set_apart(first: str, rest: str) -> bool:
    """Whether the first word of a text is set apart from the rest: a mark between them
    ("salir, me cambiaron...", "leave - my shift"), or the word in capitals before words that
    are not ("SALIR me cambiaron el turno"; all in capitals, as some phones send everything,
    says nothing)."""
    return first[-1] in _APART or rest[0] in _APART or (first.isupper() and not rest.isupper())


def _free_words_taken(ctx: Context, text: str, command: Command, sub: SubCommand | None) -> bool:
    """Whether any words after a command's word are its arguments, though no reader of READERS
    says so (issue 16): for a command only those who run a circle use, from someone who runs
    one, as /help by SMS shows it ("EDITAR lugar Mercado 1", "CANCELAR 3 FERIADO",
    "RECORDATORIOS 24h 1h"): a learner's sentence starting with the word stays a sentence. Of
    a command with sub-commands, only after one of their words ("LISTADO cupo 12", "LISTING
    ON"); never "delete my data", which is told how to erase (forward)."""
    if command.as_run(sub).access < Access.FACILITATOR:
        return False
    if command.subcommands and sub is None:
        return False
    if keywords.asks_to_erase(ctx.reader, text):
        return False
    return any(Role(m.role) in FACILITATING for m, _ in ctx.memberships)


def _parsed_whole(
    ctx: Context, command: Command, sub: SubCommand | None, said: list[str]
) -> str | None:
    """The slash command for a facilitator's words (_free_words_taken) that the registry's own
    parsing reads whole, dates and times of several words too ("ADDMEETING february 4 6pm",
    "AGREGARREUNION 4 de febrero 18:00"); None when they don't fit the command."""
    line = " ".join(word for word in said if word)
    try:
        parse_args(command, line, ctx.tr, sub)
    except UserError:
        return None
    return f"/{command.name} {line}"


def typed_command(ctx: Context, text: str) -> str | None:
    """The slash command an SMS of a command word and its arguments stands for ("RSVP NDIYO"
    -> "/rsvp yes", "LUGHA sw" -> "/language sw", "SHARE https://..." -> "/share https://...");
    None unless every word after the first parses as that command's arguments (READERS, and
    the registry's typed arguments), so a sentence is never taken for a command."""
    first, rest = [*text.strip().split(maxsplit=1), "", ""][:2]
    command = _named(ctx, first) if rest else None
    if command is None:
        return None
    if command.name in SET_APART_FIRST and not _set_apart(first, rest):
        return None  # "salir temprano hoy": a sentence starting with the word
    # A sub-command with arguments of its own ("LETTERS APPROVE 3"): its word, then those. One
    # whose command reads it from its text ("SHARING ON", "PARTAGE ACTIVER") is read as that
    # command's argument (READERS), like CHECKIN OFF.
    sub = command.subcommand(ctx.tr, rest)
    free = _free_words_taken(ctx, text, command, sub)  # LISTADO CUPO 12, CANCELAR 3 FERIADO
    if sub is not None and sub.handler is None:
        sub = None
    declared, values, reading = command.args, [], command.name
    if sub is not None:
        declared, values, reading = sub.args, [sub.name], f"{command.name} {sub.name}"
        rest = [*rest.split(maxsplit=1), ""][1]
    if free and not any((reading, arg.key) in READERS for arg in declared):
        return _parsed_whole(ctx, command, sub, [*values, rest])  # ADDMEETING february 4 6pm
    for arg in declared:
        if arg.kind is ArgKind.REST:
            raw, rest = rest, ""
        else:
            raw, rest = [*rest.split(maxsplit=1), "", ""][:2]
        if not raw:
            if arg.required:
                return None
            continue
        reader = READERS.get((reading, arg.key))
        value = reader(ctx, raw) if reader is not None else raw
        if value is None and reading == "rsvp" and values == ["no"]:
            # "CONFIRMAR NO, hoy me toca turno": the answer, then a reason, as /rsvp takes it
            # (walkthrough 8, sms 32), never the whole text passed on as a message.
            # The reason set apart, so that its "hoy" is not read as the meeting's date; a
            # meeting's number first is the meeting's ("DISPO NON 3 je serai en voyage").
            said = f"{raw} {rest}".strip()
            if said.split()[0].isdecimal():
                return f"/rsvp {values[0]} {said}"
            return f"/rsvp {values[0]} - {said}"
        if value is None or (
            reader is None and arg.kind in (ArgKind.WORD, ArgKind.REST) and not free
        ):
            return None
        values.append(value)
    if rest:
        return None
    line = " ".join(values)
    try:
        parse_args(command, line, ctx.tr, sub)  # numbers, meetings, dates, times, choices
    except UserError:
        return None
    return f"/{command.name} {line}"


def _speaks(ctx: Context, text: str) -> None:
    """JOIN typed in another language ("JIUNGA AB12CD") says which one a number the bot knows
    no language for speaks: the welcome, and what follows, come in it."""
    if ctx.person.locale or ctx.account.locale_hint:
        return
    typed = keywords.plain(text.split()[0])
    for code in ctx.catalogs.locales:
        tr = ctx.catalogs.translator(code)
        if code != ctx.tr.locale and typed in keywords.words(tr, keywords.JOIN) - {"join"}:
            ctx.account.locale_hint = code
            ctx.session.add(ctx.account)
            ctx.tr = tr
            return


async def answers_when_next(ctx: Context, text: str) -> bool:
    """ "When is next class?", "cuando es la proxima reunion": the bot knows, so it answers at
    once rather than leave it to a volunteer (walk C 25, A 50), whatever was asked before (an
    announcement's "Reply here", a check-in: walk C 6, D 19); the question is not passed on."""
    if not keywords.asks_when_next(ctx.reader, text) and not _asks_where_or_when(ctx, text):
        return False
    memberships = await circles.active_memberships(ctx.session, ctx.person_id)
    if not memberships:
        return False
    going = await defaults.still_going(ctx.session, memberships, STILL_GOING, ctx.now)
    if not going and await _for_a_circle_ended_lately(ctx, text, memberships):
        return False  # its facilitators hear it (forward), not "no more meetings" (smses 23)
    if going and _asks_the_last(ctx, text):
        # "When is the last class?": the dates to come, the last among them; never the next
        # one's, as if it were the last (A7).
        ctx.membership, ctx.circle = defaults.default_circle(ctx.person, going)[0]
        await meeting_dates.reply_with_dates(ctx)
        return True
    # Circles all over, it says so and where to find another, rather than leave the question
    # in a facilitator's inbox weeks after the end (B15).
    await meeting_dates.next_(ctx, {})
    return True


# Translators: short questions asking where or when the circle meets without naming the
# meeting ("where is it?", "DONDE ES?", "hvornår mødes vi?"); comma-separated phrases. A phrase
# of one word counts only as the whole text. Keep the English ones.
WHERE_OR_WHEN_ASKED = N_(
    "where, when, where is it, where is that, where do we meet, when do we meet, "
    "where are we meeting, when are we meeting, what time do we meet"
)
# A where-or-when question alone is this short; longer, it says more than that.
WHERE_OR_WHEN_MOST_WORDS = 6


def _phrases_said(ctx: Context, listing: str) -> set[str]:
    """The phrases of `listing` (a msgid) in English and every shipped language, as
    keywords.whole_words() makes them."""
    every = [listing, *ctx.catalogs.in_every_language(listing)]
    return {
        keywords.whole_words(p) for listed in every for p in listed.split(",") if keywords.plain(p)
    }


def _asks_where_or_when(ctx: Context, text: str) -> bool:
    """ "DONDE ES?", "WHERE", "hvornår mødes vi og hvor?": where or when the circle meets,
    asked alone; /next answers it (smses 6, dede 21)."""
    said = keywords.whole_words(text)
    if len(said.split()) > WHERE_OR_WHEN_MOST_WORDS:
        return False
    for phrase in _phrases_said(ctx, WHERE_OR_WHEN_ASKED):
        if phrase == said or (len(phrase.split()) > 1 and phrase in said):
            return True
    return False


# A circle whose last meeting ended this lately still has its facilitators to thank and ask
# ("grasias lucia x todo, cuando empieza el proximo curso?"); later the bot answers (B15).
ENDED_LATELY = timedelta(weeks=3)
# A facilitator's answer this recent is what a learner's words answer back.
ANSWERED_LATELY = timedelta(days=7)


async def _for_a_circle_ended_lately(
    ctx: Context, text: str, memberships: list[tuple[Membership, Circle]]
) -> bool:
    """Whether `text`, from a learner of a circle that ended within ENDED_LATELY, is for its
    facilitators: a sentence that names one, asks something, or answers their recent /reply
    (smses 23: Rocío's thanks to Lucía, Grace's answer to Peter)."""
    if not questions.a_sentence(text):
        return False
    for membership, circle in memberships:
        if membership.role != Role.LEARNER or circle.id is None:
            continue
        held = await meetings.held(ctx.session, circle.id, ctx.now)
        if not held or ctx.now - held[-1].ends_at > ENDED_LATELY:
            continue
        if answers.asks_a_question(ctx, text) or await _answered_lately(ctx, circle.id):
            return True
        if await answers.circle_addressed(ctx, text) == circle.id:
            return True
    return False


async def _answered_lately(ctx: Context, circle_id: int) -> bool:
    """Whether a facilitator of `circle_id` wrote to this person (/reply) within
    ANSWERED_LATELY."""
    key = key_text(MessageKind.FACILITATOR_REPLY, f"circle:{circle_id}", f"person:{ctx.person_id}")
    found = await ctx.session.exec(
        select(OutboxMessage.id).where(
            col(OutboxMessage.idempotency_key).startswith(key, autoescape=True),
            col(OutboxMessage.created_at) >= ctx.now - ANSWERED_LATELY,
        )
    )
    return found.first() is not None


# Translators: words that ask about the last meeting or the end of the circle ("when is the
# last class?", "when does it end?"), one word each, comma-separated. Keep the English ones.
LAST_MEETING_WORDS = N_("LAST, FINAL, END, ENDS, FINISH, FINISHES")


def _asks_the_last(ctx: Context, text: str) -> bool:
    said = {keywords.plain(word) for word in re.findall(r"\w+", text)}
    return bool(said & keywords.words(ctx.reader, LAST_MEETING_WORDS))


# A word of a circle's name or course this long or longer tells it apart ("python", "excel",
# "statistik"); shorter ones ("für", "alle", "the") are any sentence's.
NAME_WORD_LETTERS = 5


# Words of circles' names and courses that any message may hold ("My sister is learning to
# type": not the course "Learning How to Learn"), in the shipped languages, as plain().
_GENERIC_NAME_WORDS = frozenset(
    keywords.plain(word)
    for word in (
        "everyone everybody learning learn beginners basics basic introduction intro course "
        "courses circle class group skills study together people friends library online "
        "básico básica curso círculo grupo aprender todos todas principiantes "
        "initiation débutants cours cercle groupe apprendre "
        "anfänger einführung lernen gruppe kreis kurs grundlagen "
        "begyndere kursus cirkel hold "
        "kikundi kujifunza mafunzo"
    ).split()
)


def _name_words(circle: Circle) -> set[str]:
    typed = re.findall(r"\w+", f"{circle.name} {circle.course_title}")
    return {
        w
        for w in map(keywords.plain, typed)
        if len(w) >= NAME_WORD_LETTERS and w not in _GENERIC_NAME_WORDS
    }


async def _circle_in_words(
    ctx: Context, text: str, memberships: list[tuple[Membership, Circle]]
) -> int | None:
    """The one circle of `memberships` a learner's words are about: the one they name, else
    the one whose next meeting falls on the weekday they name ("Montag", "jueves"), in their
    language or English; None when the words name none, or several."""
    typed = keywords.plain(text)
    named = {c.id for _, c in memberships if len(keywords.plain(c.name)) > 3}
    named = {c.id for _, c in memberships if c.id in named and keywords.plain(c.name) in typed}
    if len(named) == 1:
        return named.pop()
    said = {keywords.plain(word) for word in re.findall(r"\w+", text)}
    # A word of one circle's name or course and of no other's ("für python" beside Statistik
    # mit R): that circle, never the one of the newest notice (D8).
    own = {c.id: _name_words(c) for _, c in memberships}
    named = {
        circle_id
        for circle_id, words in own.items()
        if said & (words - set().union(*(w for i, w in own.items() if i != circle_id)))
    }
    if len(named) == 1:
        return named.pop()
    on_day: set[int] = set()
    for _, circle in memberships:
        if circle.id is None:
            continue
        meeting = await meetings.upcoming(ctx.session, circle.id, ctx.now)
        if meeting is None:
            continue
        weekday = meeting.starts_at.astimezone(ZoneInfo(circle.timezone)).weekday()
        names = {
            keywords.plain(Locale.parse(code).days["format"]["wide"][weekday])
            for code in {ctx.tr.locale, "en"}
        }
        if said & names:
            on_day.add(circle.id)
    return on_day.pop() if len(on_day) == 1 else None


async def another_circle_named(ctx: Context, text: str) -> int | None:
    """The circle still going that a learner's sentence names, by its name or its meeting's
    weekday (_circle_in_words), while a question of another of her circles waits ("Please
    stop the reminders for Saturday 6th" to a finished circle's check-in): her words are for
    that circle's facilitators, never filed with the other's answer (sms 29). None otherwise."""
    if ctx.inbound.is_group or not questions.a_sentence(text):
        return None
    if sum(m.role == Role.LEARNER for m, _ in ctx.memberships) < 2:
        return None  # no other circle to name: no reads for every answer (issue 18, review)
    waiting = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if waiting is None:
        return None
    memberships = await circles.active_memberships(ctx.session, ctx.person_id)
    going = await defaults.still_going(ctx.session, memberships, STILL_GOING, ctx.now)
    others = {c.id for m, c in going if m.role == Role.LEARNER and c.id != waiting.circle_id}
    if not others:
        return None
    named = await _circle_in_words(ctx, text, memberships)
    return named if named in others else None


async def forward(ctx: Context, text: str, about: int | None = None) -> bool:
    """Free text with no question waiting goes to the facilitators of the circle it is about:
    `about` (the circle of the choices offered), else the circle of the newest notice to this
    chat (questions.newest_notice), else the sender's circle (their default circle, /default,
    when they are in several); from a phone or from any chat (the learner is told whom it went
    to, and the facilitators how to answer: /reply). Never to another circle than the one
    written about: to none, when the sender leads that one; a co-facilitator's sentence goes
    to its other facilitators. From someone in no circle still going who left one lately
    (circles.left_lately), to that one's, and she is told how to join it again: one of its
    own, never welcomed as a stranger (welcome.newcomer)."""
    memberships = await circles.active_memberships(ctx.session, ctx.person_id)
    # A circle still meeting first: its facilitator is the one to hear "I'll be late".
    going = await defaults.still_going(ctx.session, memberships, STILL_GOING, ctx.now)
    left = None
    if not going and not ctx.inbound.is_group:  # its join code, in a private chat only
        # The circle she left still meets; the ones she is in are over (fac 39).
        left = await circles.left_lately(ctx.session, ctx.person_id, ctx.now)
        memberships, going = ([left], [left]) if left is not None else (memberships, going)
    if not memberships:
        return await _to_a_former_facilitator(ctx, text) or (
            applies(ctx) and await _new_phone(ctx, text)
        )
    membership, circle = defaults.default_circle(ctx.person, going or memberships)[0]
    if about is None and len(memberships) > 1:
        # Words that name one circle's facilitator ("DON PEDRO ...") are about that one (C49).
        about = await answers.circle_addressed(ctx, text)
    if about is None and len(memberships) > 1:
        # "ich komme am Montag später": the circle that meets on Monday, or the one named (D4).
        about = await _circle_in_words(ctx, text, memberships)
    if about is None and len(memberships) > 1:
        notice = await questions.newest_notice(
            ctx.session, ctx.inbound.platform, ctx.inbound.chat_id, ctx.now
        )
        # A finished circle's notice (its survey, done) is no longer what words are about.
        current = going or memberships
        about = notice[0] if notice and any(c.id == notice[0] for _, c in current) else None
    if about is None and len(memberships) > 1:
        # Words just after a question about one circle (its sharing question, on joining) are
        # about that one.
        asked = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
        if asked is not None and ctx.now - asked.asked_at <= JUST_ASKED:
            about = next((c.id for _, c in memberships if c.id == asked.circle_id), None)
    membership, circle = next(
        ((m, c) for m, c in memberships if c.id == about), (membership, circle)
    )
    # Words naming none of several circles she learns in (no /default among them): which one
    # they are about is asked before they go anywhere, never guessed (D4).
    learning = [(m, c) for m, c in going or memberships if m.role == Role.LEARNER]
    # Never a menu of circles all over (fac 45): the one she joined last hears her words.
    unsure = await _unsure(ctx, text, learning) if about is None and going else []
    if len(unsure) > 1:
        membership, circle = unsure[0]
    # A co-facilitator's words reach the circle's other facilitators, as a learner's do; a
    # word or two from someone running the circle is more likely a slip than a message.
    cofacilitating = membership.role == Role.COFACILITATOR
    if membership.role != Role.LEARNER and not (cofacilitating and questions.a_sentence(text)):
        return False
    if keywords.asks_to_erase(ctx.reader, text):
        # "Please delete my data": the learner can do it at once, and a volunteer facilitator
        # should not have to handle a data request (walkthrough 8, sms 26).
        ctx.reply(ctx.tr._(ERASE_HOW))
        return True
    if _asks_what(text):
        # "?", "what?" (sms 35): asking what to do, never a message (two paid texts): the
        # question waiting asked again, or HELP.
        await _help(ctx)
        return True
    if await answers.rating_after_closed(ctx, text):  # a check-in answered days late
        answers.note_late_rating(ctx, text)
        return True
    if lone_answer(ctx, text):
        # A number or a yes answers a question; with none waiting it means nothing to a
        # facilitator.
        ctx.reply(ctx.tr._("Nothing is waiting for an answer right now."))
        answers.note_late_rating(ctx, text)
        return True
    if await answers_when_next(ctx, text):
        return True
    if own_zone.answers_own_time(ctx, text):  # "can the times show in my time?" (fac 34)
        return True
    if (how := await _command_asked_about(ctx, membership, text)) is not None:
        ctx.reply(how)  # "how do I get my portfolio?": the bot's own command, not a volunteer's
        return True
    if not going and not questions.a_sentence(text):
        # Every circle has finished: a word or two ("HERE") is no message for its facilitator.
        return False
    if await answers.offer_late_words(ctx, membership, circle, text):
        return True  # a private learner's check-in words after it closed: asked first
    if len(unsure) > 1:
        _ask_which_circle(ctx, text, [c for _, c in unsure])
        return True
    name = ctx.person.display_name
    texted = applies(ctx)

    def render(reader: Translator) -> str:
        if cofacilitating:
            return reader._(
                "%(name)s, who runs %(circle)s with you, wrote:\n%(text)s",
                name=name,
                circle=circle.name,
                text=text,
            )
        if texted:
            return reader._(
                "%(name)s texted about %(circle)s:\n%(text)s",
                name=name,
                circle=circle.name,
                text=text,
            )
        return reader._(
            "%(name)s wrote about %(circle)s:\n%(text)s", name=name, circle=circle.name, text=text
        )

    # Her words may have been meant for a learner whose message she got: how to answer them.
    hint = await announcements.how_to_reply(ctx) if cofacilitating else None
    if left is not None and membership.left_at is not None:
        ctx.reply(circles.came_back(ctx.tr, membership, circle))  # "hi, can I come back?"
    await announcements.pass_on(ctx, circle, MessageKind.FORWARDED_TEXT, render)
    if hint:
        ctx.reply(hint)
    if keywords.asks_for_help(ctx.reader, text):
        await _help(ctx)  # "I need help, I don't understand what to send" (sms 33): passed on too
    new_number = _own_new_number(ctx, text) if not cofacilitating else None
    if new_number is not None:
        # "nimebadilisha line, namba mpya ni 0733000004" (sms 26): passed on, and the way to
        # move her circles there herself said too.
        ctx.reply(ctx.tr._(NEW_NUMBER_HOW, number=new_number))
    if (
        left is None
        and not cofacilitating
        and (answers.says_one_of(ctx, text, LEAVE_ASKED) or leaving.wants_to_leave(ctx, text))
    ):
        # "how do I leave the group?", "please take me off the group": passed on, and
        # answered too (A17).
        ctx.reply(ctx.tr._(LEAVE_HOW))
    return True


NEW_NUMBER_HOW = N_(
    "New number? Send /newnumber %(number)s and I'll move your circles there: you'll confirm "
    "on the new phone."
)


def _own_new_number(ctx: Context, text: str) -> str | None:
    """The number a learner's sentence says is her new one ("my new number is 0733 000 004"),
    as written; None when it says none."""
    if not welcome.asks_for(ctx, "movenumber", text):
        return None
    found = NUMBER_IN_WORDS.search(text)
    if found is None or sum(map(str.isdigit, found[0])) < FEWEST_DIGITS:
        return None
    return found[0].strip()


# "What?" alone, in the shipped languages, as plain() writes it: asking what to do.
_WHAT_ALONE = frozenset({"what", "huh", "que", "quoi", "was", "nini", "hvad", "eh"})


def _asks_what(text: str) -> bool:
    """Whether `text` is only question marks, or "what?" alone: the sender doesn't know what
    to do (sms 35)."""
    stripped = text.strip()
    if stripped and set(stripped) <= set("?¿ "):
        return True
    return stripped.endswith("?") and keywords.plain(stripped) in _WHAT_ALONE


async def _to_a_former_facilitator(ctx: Context, text: str) -> bool:
    """Words from someone in no circle to the facilitator of one she left, naming her ("hola
    Mette, ya no trabajo. puedo volver al grupo?"): filed under that circle, never a stranger's
    welcome (dada 10)."""
    if ctx.inbound.is_group:
        return False
    former = await answers.former_circle_addressed(ctx, text)
    if former is None:
        return False
    name = ctx.person.display_name
    await announcements.pass_on(
        ctx,
        former,
        MessageKind.FORWARDED_TEXT,
        lambda reader: reader._(seating.WAS_IN_WROTE, name=name, circle=former.name, text=text),
    )
    return True


# Circles a text from a new phone may name a learner of, at most: a name more common than
# that ("Grace") is no way to find hers, and her facilitator is asked instead.
MOST_CIRCLES_FOR_A_NEW_PHONE = 3
NEW_PHONE_NOTICE = N_(
    "Someone texting from a new number says they are %(name)s of %(circle)s:\n%(text)s\nIf "
    "so, send /movenumber %(name)s %(number)s (they'll be asked to confirm there)."
)
NEW_PHONE_ASK = N_(
    "New phone? Please ask your facilitator to move you to this number. To join a circle "
    "instead, text %(join)s and its code."
)


async def _new_phone(ctx: Context, text: str) -> bool:
    """A text from a phone in no circle saying it is a learner's new one ("this is Mama
    Rehema ... my phone was stolen, this is my new number", sms 7): it goes to the
    facilitators of the circles of the number's country where a learner of the name it says
    is, with the words that move her (MOVENUMBER, confirmed on this phone); where none is,
    she is told to ask her facilitator. Never the stranger's welcome, her words lost."""
    if not welcome.asks_for(ctx, "movenumber", text):
        return False
    found = await _learners_named_in(ctx, text)
    # One reply whether or not a learner of that name was found: a stranger's text must not
    # tell whether a name is on some circle's list (review).
    ctx.reply(ctx.tr._(NEW_PHONE_ASK, join=keywords.first_word(ctx.tr, keywords.JOIN)))
    if not found or len({circle.id for circle, _ in found}) > MOST_CIRCLES_FOR_A_NEW_PHONE:
        return True
    number = ctx.account.address
    occurrence = erasure.passed_on_by(ctx.person_id) + ctx.occurrence  # /forget finds it
    for circle, learner in found:
        assert circle.id is not None

        def render(reader: Translator, circle: Circle = circle, name: str = learner) -> str:
            return reader._(
                NEW_PHONE_NOTICE, name=name, circle=circle.name, text=text, number=number
            )

        for entry in await members.roster(ctx.session, circle.id):
            if entry.membership.role in FACILITATING and entry.person.id is not None:
                key = OutboxKey(
                    MessageKind.FORWARDED_TEXT,
                    f"circle:{circle.id}",
                    f"person:{entry.person.id}",
                    occurrence,
                )
                await ctx.notify(entry.person.id, key, render)
    return True


async def _learners_named_in(ctx: Context, text: str) -> list[tuple[Circle, str]]:
    """The circles still going in the country of the sender's number that have a learner
    whose whole name `text` says, with that name."""
    region = phone_numbers.region_of(ctx.account.address)
    rows = await ctx.session.exec(
        select(Circle, Person.display_name)
        .join(Membership, col(Membership.circle_id) == col(Circle.id))
        .join(Person, col(Person.id) == col(Membership.person_id))
        .where(
            col(Circle.status) == CircleStatus.ACTIVE,
            col(Circle.country_code) == (region or ""),
            col(Membership.role) == Role.LEARNER,
            col(Membership.left_at).is_(None),
        )
    )
    typed = _spaced_words(text)
    return [(circle, name) for circle, name in rows.all() if _spaced_words(name) in typed]


async def _command_asked_about(ctx: Context, membership: Membership, text: str) -> str | None:
    """welcome.command_asked_about, for a learner's question to no one by name: words to a
    facilitator ("Amina, can you help me? I don't know how to take attendance") or from a
    co-facilitator go on to them."""
    if membership.role != Role.LEARNER or await answers.circle_addressed(ctx, text) is not None:
        return None
    return welcome.command_asked_about(ctx, text)


async def _unsure(
    ctx: Context, text: str, learning: list[tuple[Membership, Circle]]
) -> list[tuple[Membership, Circle]]:
    """The circles words for the facilitators may be about, to ask which (D4): those she
    learns in (her /default alone, where it is one of them), the ones whose facilitator the
    words name where they name some; none to ask about when the same people run them all,
    whom the words reach whichever it is ("Thank you Akinyi" to Akinyi's two circles)."""
    entries = defaults.default_circle(ctx.person, learning)
    if len(entries) < 2:
        return entries
    said = {keywords.plain(word) for word in re.findall(r"\w+", text)}
    leads: dict[int | None, frozenset[int | None]] = {}
    named = []
    for entry in entries:
        running = [
            member.person
            for member in await members.roster(ctx.session, entry[1].id or 0)
            if member.membership.role in FACILITATING and member.person.id != ctx.person_id
        ]
        leads[entry[1].id] = frozenset(person.id for person in running)
        first = {keywords.plain(p.display_name.split()[0]) for p in running if p.display_name}
        if said & first:
            named.append(entry)
    entries = named or entries
    if len({leads[circle.id] for _, circle in entries}) == 1:
        return []
    return entries


# Words sent this soon after a question about one circle are about that circle.
JUST_ASKED = timedelta(hours=1)


# Words for the facilitators from a learner in several circles that name none of them (D4),
# held (data "words") while she says which circle (of data "circles") they are about.
WHICH_CIRCLE_FLOW = "which-circle-for-words"
WHICH_CIRCLE = N_("Which circle is your message about? Then I'll pass it on.")


def _ask_which_circle(ctx: Context, text: str, options: list[Circle]) -> None:
    data = {"words": text, "circles": [circle.id for circle in options]}
    conversations.begin(ctx.conversation, WHICH_CIRCLE_FLOW, data, ctx.now)
    names = circles.distinct_names(ctx.tr, options)
    ctx.reply(
        ctx.tr._(WHICH_CIRCLE),
        choices=[
            Choice(name, f"#{circle.id}") for circle, name in zip(options, names, strict=True)
        ],
    )


async def which_circle_answer(ctx: Context, text: str) -> None:
    """The answer to WHICH_CIRCLE: the words go on to the facilitators of the circle picked
    (by its number, its button, its name). More words add to them, and it is asked again; a
    command word runs instead, the words kept back."""
    data = ctx.conversation.data
    words = str(data.get("words", ""))
    asked = data.get("circles") or []
    entries = sorted(  # in the order offered: "2" is the second
        (
            entry
            for entry in await circles.active_memberships(ctx.session, ctx.person_id)
            if entry[1].id in asked
        ),
        key=lambda entry: asked.index(entry[1].id),
    )
    options = [circle for _, circle in entries]
    chosen = [circle for circle in options if text == f"#{circle.id}"] or [
        circle for _, circle in defaults.named(entries, text)
    ]
    if not chosen:
        # "la de python", "the library one"
        chosen = [circle for _, circle in defaults.mentioned(entries, text, ctx.tr)]
    if len(chosen) == 1 and chosen[0].id is not None:
        conversations.finish(ctx.conversation, ctx.now)
        if not await forward(ctx, words, chosen[0].id):
            ctx.reply(ctx.tr._("Sorry, I couldn't reach your facilitator just now."))
        return
    if len(options) < 2 or (applies(ctx) and command_word(ctx, text)):
        conversations.finish(ctx.conversation, ctx.now)
        ctx.not_an_answer = True  # read as if nothing was asked
        return
    if questions.a_sentence(text):
        words = words + "\n" + text
    _ask_which_circle(ctx, words, options)


async def words_kept_back(ctx: Context, text: str) -> None:
    """/skip to WHICH_CIRCLE: the words go nowhere."""
    conversations.finish(ctx.conversation, ctx.now)
    ctx.reply(ctx.tr._(answers.STAYS_PRIVATE))


# Translators: how a learner asks to leave their circle in a sentence ("how do I leave the
# group?", "I have to drop out"); comma-separated phrases. Keep the English ones.
LEAVE_ASKED = N_(
    "how do I leave, how can I leave, how to leave, leave the group, leave the circle, "
    "drop out, quit the group, quit the circle, unjoin"
)
LEAVE_HOW = N_(
    "If you want to leave, send /leave (you can add why). Your facilitators have your message too."
)
