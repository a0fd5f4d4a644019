"""/letter (write or withdraw), /letters (review, moderate, opt out), /thanks, and a thank-you
written back to a letter ("gracias!"), passed on to its writer."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import NoReturn

from babel import Locale
from babel.lists import format_list
from sqlalchemy import update
from sqlmodel import col, select

from bot.chat import keywords, rendering
from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.messages import Choice
from bot.chat.rendering import beginning
from bot.circles import circles, meetings
from bot.circles.erasure import passed_on_by, unnamed_names
from bot.circles.own_zones import meets_online
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey, key_text
from bot.dialogue import confirmations, conversations, members, notifications, people
from bot.dialogue.context import Context
from bot.dialogue.registry import Args, usage_of
from bot.dialogue.values import parse_number
from bot.letters import languages, letters, screening
from bot.storage.models import (
    LETTERS_WANTED,
    Account,
    Circle,
    Conversation,
    Letter,
    LetterDelivery,
    LetterStatus,
    MeetingStatus,
    Membership,
    OutboxMessage,
    OutboxStatus,
    Role,
)
from prompts import letter as letter_prompts

FLOW = "letter"
# Its states: the letter's text, then its signature; or first, for words sent straight back to
# the invitation while a question waited too, whether they are the letter (CONFIRMING).
WRITING, SIGNING, CONFIRMING = "text", "signature", "is-it-the-letter"
# Contact details in the letter's text: taken out, kept, or the letter sent again (CONTACT).
CONTACT = "contact-details"
TAKE_IT_OUT = N_("Take it out")
KEEP_IT_IN = N_("Keep it")
# Asked for the reason of a rejection (the Reject button carries none), then whether to send
# the rejection, shown as its author will read it (REJECTING): it reaches someone, so it is
# asked first, as /announce and /cancel are.
REASON_FLOW = "letter-reason"
REASON, REJECTING = "reason", "send-rejection"
SEND_REJECTION = N_("Send")
KEEP_WAITING = N_("Don't send")
# At most this many letters from one person in any 24 hours (withdrawn ones too): each goes to
# facilitators to review, and one warm letter travels better than many. A rolling day, so the
# time to try again is exact whatever the zones.
LETTERS_PER_DAY = 3
DAY = timedelta(hours=24)
# Translators: the answer to /letter by SMS, where a bare CANCEL is a carrier word that stops
# every message: %(skip)s is your word for "skip" (as typed to skip a question), which stops
# only the letter.
WRITING_GUIDE_BY_TEXT = N_(
    "Write to a new circle far away: your highlight, what you wish you'd known at the start, "
    "a tip, today's weather. One message, 20-1,000 characters, or %(skip)s."
)
# A rejected letter's first words, in the notice to its author: enough to know which one.
REJECTED_QUOTE_CHARS = 40
ENOUGH_FOR_TODAY = N_(
    "You've written %(limit)d letters in the last day, thank you! That's as many as one person "
    "sends in a day. You can write another from %(when)s."
)


def _invited_circle(ctx: Context) -> Circle | None:
    """The circle whose letter invitation is still offered, where the person is a learner."""
    invited = letters.invited_to_write(conversations.payloads(ctx.conversation))
    return next((c for m, c in ctx.memberships if c.id == invited and m.role == Role.LEARNER), None)


def _refuse_letter_word(ctx: Context) -> NoReturn:
    """The usage line of /letter in the reader's words ("/barua [ONDOA]"), and for someone who
    runs a circle where /letters is ("/barua zote" meant /barua_zote)."""
    command = ctx.registry.get("letter")
    usage = command.usage(ctx.tr) if command is not None else "/letter"
    if any(membership.role != Role.LEARNER for membership, _ in ctx.memberships):
        raise UserError(
            N_("Usage: %(usage)s\nTo see the letters waiting for your approval, send /letters."),
            usage=usage,
        )
    raise UserError(N_("Usage: %(usage)s"), usage=usage)


async def letter(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    circle, _ = ctx.require_circle()
    wanted = str(args.get("withdraw") or "").strip().casefold()
    if re.fullmatch(r"#\d+", wanted):
        wanted = wanted[1:]  # "LETTER #5": as a letter's number is written beside choices
    if not wanted and ctx.chosen_circle_id is None:
        circle = _invited_circle(ctx) or circle  # "/letter" answers the invitation it follows
    assert circle.id is not None
    if wanted.isdecimal() and len(wanted) <= 12:
        await _read_whole(ctx, int(wanted))  # "LETTER 5": a letter that came, all of it
        return
    if wanted:
        if wanted not in {"withdraw", tr._("withdraw").casefold()}:
            _refuse_letter_word(ctx)
        await _withdraw(ctx)
        return
    # Halfway through the meetings that take place: a cancelled one is neither counted nor named.
    taking_place = [
        m
        for m in await meetings.schedule(ctx.session, circle.id)
        if m.status != MeetingStatus.CANCELLED
    ]
    midpoint = math.ceil(len(taking_place) / 2)
    if len(await meetings.held(ctx.session, circle.id, ctx.now)) < midpoint:
        raise UserError(
            N_(
                "Letters open halfway through the circle, after meeting %(number)d. "
                "I'll invite you in the last week."
            ),
            number=taking_place[midpoint - 1].number,
        )
    if again := await _next_letter_at(ctx):
        # Before they write it, not after.
        raise UserError(ENOUGH_FOR_TODAY, **_enough(tr, circle, again))
    conversations.begin(ctx.conversation, FLOW, {"circle": circle.id}, ctx.now, WRITING)
    _guide(ctx)


async def _withdraw(ctx: Context) -> None:
    """/letter withdraw: takes back the letter just written, or those for the circle picked,
    never silently a letter of another circle (an approved one, waiting for a circle to start:
    lang 20). The ones still waiting are named, with how to take them back too."""
    tr = ctx.tr
    waiting = await letters.waiting_to_go(ctx.session, ctx.person_id)
    if not waiting:
        ctx.reply(tr._("You have no letter waiting to be sent."))
        return
    circle_id = ctx.chosen_circle_id or waiting[0].circle_id
    taken = await letters.withdraw(ctx.session, ctx.person_id, circle_id)
    lines = (
        [
            tr.ngettext(
                "Done: %(n)d letter taken back. It won't be sent.",
                "Done: %(n)d letters taken back. They won't be sent.",
                len(taken),
            )
        ]
        if taken
        else []
    )
    left = [x for x in waiting if x.circle_id != circle_id]
    if left:
        names = [await _circle_name(ctx, x.circle_id) for x in left]
        lines.append(
            tr.ngettext(
                "Your letter for %(circles)s is still waiting to go; send /letter withdraw "
                "again to take it back too.",
                "Your letters for %(circles)s are still waiting to go; send /letter withdraw "
                "again to take them back too.",
                len(left),
                circles=format_list(list(dict.fromkeys(names)), locale=tr.locale),
            )
        )
    ctx.reply("\n".join(lines))


async def _circle_name(ctx: Context, circle_id: int) -> str:
    circle = await ctx.session.get(Circle, circle_id)
    return circle.name if circle is not None else "?"


async def _read_whole(ctx: Context, number: int) -> None:
    """A letter that came to the person's circle, whole: by SMS it came cut short, with the
    word to send for the rest (walkthrough 8, sms 21)."""
    found = await _received(ctx, [number])
    if number in found:
        ctx.reply(letters.as_read_by(ctx.tr, found[number][0]))
        return
    waiting = [x for x in await _to_review(ctx, ctx.person_id) if x.id == number]
    if waiting:
        # "#12" from whoever reviews it: that letter, with choices of its own, whichever
        # letter the choices shown before were for (issue 16).
        await _show_for_review(ctx, waiting[0])
        return
    raise UserError(N_("Letter %(number)d didn't come to your circle."), number=number)


def read_whole_line(tr: Translator, numbers: list[int]) -> str:
    """How to read letters whole by SMS: "All of it: send LETTER 5." """
    word = keywords.local_name(tr, "letter").upper()
    return tr.ngettext(
        "All of it: send %(commands)s.",
        "Each in full: send %(commands)s.",
        len(numbers),
        commands=format_list(
            [f"{word} {number}" for number in numbers], style="or", locale=tr.locale
        ),
    )


def _guide(ctx: Context) -> None:
    """How to write the letter, as the reader can answer it."""
    tr = ctx.tr
    if ctx.platforms.keywords(ctx.inbound.platform):
        # By SMS people drop the slash, and CANCEL alone would opt them out of everything.
        ctx.reply(tr._(WRITING_GUIDE_BY_TEXT, skip=tr._("skip").upper()))
    else:
        ctx.reply(tr._(letter_prompts.WRITING_GUIDE))


def _names_letter(tr: Translator, text: str) -> bool:
    """Whether `text` is the /letter command's name ("LETTER", "/letter", "BARUA"), not a
    letter: someone answering the invitation by asking to write one."""
    typed = keywords.plain(text)
    return typed in {"letter", keywords.plain(keywords.local_name(tr, "letter"))}


async def _next_letter_at(ctx: Context) -> datetime | None:
    """When the person may write their next letter, if they have written LETTERS_PER_DAY in the
    last day (when the oldest of those is a day old); None while they may write one now."""
    written = (
        await ctx.session.exec(
            select(Letter.created_at)
            .where(Letter.author_id == ctx.person_id, col(Letter.created_at) > ctx.now - DAY)
            .order_by(col(Letter.created_at))
        )
    ).all()
    return written[-LETTERS_PER_DAY] + DAY if len(written) >= LETTERS_PER_DAY else None


def _enough(tr: Translator, circle: Circle, again: datetime) -> dict[str, object]:
    """ENOUGH_FOR_TODAY's values."""
    return {"limit": LETTERS_PER_DAY, "when": tr.weekday_at(again, circle.timezone)}


def _skips(tr: Translator, text: str) -> bool:
    return text.strip().casefold() in {"skip", tr._("skip").casefold()}  # "skip" or /skip


async def _skip_letter(ctx: Context, text: str) -> None:
    """/skip while writing: the letter is what is skipped. The conversation ends and nothing is
    kept."""
    conversations.finish(ctx.conversation, ctx.now)
    ctx.reply(
        ctx.tr._(
            "OK, no letter this time; nothing is kept. Send /letter if you'd like to write one."
        )
    )


async def letter_text(ctx: Context, text: str) -> None:
    """The letter's text (state WRITING); then its signature is asked."""
    if _skips(ctx.tr, text):
        await _skip_letter(ctx, text)
        return
    if _names_letter(ctx.tr, text) or _agrees(ctx.tr, text):
        _guide(ctx)  # "oui" to the invitation: still waiting for the letter itself
        return
    if _asks_instead(ctx, text):
        await _pass_question_on(ctx, text)
        return
    await take_text(ctx, _without_letter_word(ctx.tr, text))


# A sentence, with the marks that end it (as bot.rhythm.commands.answers reads questions).
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def _asks_instead(ctx: Context, text: str) -> bool:
    """Whether `text`, sent for the letter, is a question for the facilitators ("I already
    wrote one last time, is that ok?", fac 33): one sentence that asks. A letter asking its
    readers something says more ("Hello from Detroit! What is the weather like there?")."""
    from bot.rhythm.commands import answers  # it reads letters too

    sentences = [s for s in _SENTENCE.findall(text) if s.strip()]
    return len(sentences) == 1 and (
        text.rstrip().endswith(("?", "？")) or answers.asks_a_question(ctx, text)
    )


async def _pass_question_on(ctx: Context, text: str) -> None:
    """The question to the facilitators of the circle the letter is for, as other words are
    passed on; the letter is still awaited."""
    from bot.rhythm.commands import announcements

    circle = await _circle_written_for(ctx, dict(ctx.conversation.data))
    name = ctx.person.display_name
    await announcements.pass_on(
        ctx,
        circle,
        MessageKind.FORWARDED_TEXT,
        lambda reader: reader._(
            "%(name)s wrote about %(circle)s:\n%(text)s", name=name, circle=circle.name, text=text
        ),
    )
    ctx.reply(ctx.tr._("Reply with your letter, or send /skip."))


# Words after LETTER that are a letter, not a letter's number or "withdraw".
LETTER_AFTER_ITS_WORD_WORDS = 3


def _without_letter_word(tr: Translator, text: str) -> str:
    """ "LETTRE Salut le nouveau cercle ! ...", the command's word and the letter in one SMS:
    the letter alone, never opened by the word (frsw 22)."""
    first, _, rest = text.strip().partition(" ")
    if _names_letter(tr, first) and len(rest.split()) >= LETTER_AFTER_ITS_WORD_WORDS:
        return rest.strip()
    return text


def _agrees(tr: Translator, text: str) -> bool:
    """Whether `text` is only a yes ("oui", "NDIYO", "ok"), in English or the reader's
    language: the answer to the invitation's question, not a letter."""
    said = keywords.plain(text)
    return said in keywords.words(tr, keywords.YES) | keywords.words(tr, keywords.AGREE) | {
        keywords.plain(tr._("yes"))
    }


async def take_text(ctx: Context, text: str) -> None:
    """`text` as the letter's (refused when it can't be one); then its signature is asked.
    Contact details in it are offered to be taken out first (CONTACT), so that its author
    need not write it all again."""
    tr = ctx.tr
    data = {k: v for k, v in ctx.conversation.data.items() if k != "words"}
    circle = await _circle_written_for(ctx, data)
    data["text"] = letters.check_text(text)
    details = screening.contact_details(data["text"], circle.country_code)
    if details and not data.get("kept"):
        _offer_to_take_out(ctx, circle, data, details)
        return
    # The names offered are picked whole or by number: "Bea" signs "Bea", not "Beatriz" (A11).
    signing = {**data, conversations.WHOLE_LABELS: True}
    conversations.move(ctx.conversation, SIGNING, signing, ctx.now)
    # What the letter will say beside the name (letters.origin): a circle meeting online is in
    # no city, its city being its facilitator's.
    signed = (
        tr._(
            "Lovely. How should it be signed? Send a name, or pick yours. "
            "It will say it comes from an online circle, never how to reach you."
        )
        if meets_online(circle)
        else tr._(
            "Lovely. How should it be signed? Send a name, or pick yours. "
            "It will say %(city)s with it, never how to reach you.",
            city=circle.city,
        )
    )
    ctx.reply(signed, choices=[Choice(name, name) for name in _signatures(ctx)])


def _offer_to_take_out(
    ctx: Context, circle: Circle, data: dict[str, object], details: list[str]
) -> None:
    """Contact details found in the letter: take out the sentences they are in and send the
    rest (1), keep them where a moderator can still let them through (2), or send the letter
    again. Where too little would be left to be a letter, only sending it again."""
    tr = ctx.tr
    data["details"] = details
    data.pop(conversations.WHOLE_LABELS, None)  # "take" picks "Take it out"
    conversations.move(ctx.conversation, CONTACT, data, ctx.now)
    found = format_list([f'"{detail}"' for detail in details], locale=tr.locale)
    choices = [Choice(tr._(KEEP_IT_IN), confirmations.NO)] if ctx.moderators else []
    text = str(data["text"])
    if _without_contact(ctx, circle, text, details) is None:
        offer = tr._(
            "Your letter has %(found)s in it, and letters travel without a way to reach their "
            "author. Without that part too little would be left: please send your letter "
            "again as it should go.",
            found=found,
        )
    else:
        choices.insert(0, Choice(tr._(TAKE_IT_OUT), confirmations.YES))
        offer = tr._(
            "Your letter has %(found)s in it, and letters travel without a way to reach their "
            "author. Send it again as it should go, or I can take out the sentence it's in: "
            '"%(sentence)s"',
            found=found,
            sentence=" ... ".join(screening.carrying(text, screening.taken_out(text, details))),
        )
    ctx.reply(offer, choices=choices)


def _without_contact(ctx: Context, circle: Circle, text: str, details: list[str]) -> str | None:
    """The letter without the sentences holding its contact details; None when what is left
    could not be a letter ("Held og lykke!"), or would still be held by the letter's own check:
    never a clean-up that check then blocks (fac 32)."""
    shorter = screening.without_their_sentences(text, screening.taken_out(text, details))
    try:
        shorter = letters.check_text(shorter)
    except UserError:
        return None
    language = Locale.parse(ctx.tr.locale).language  # as letters.write screens it
    return None if screening.screen(shorter, language, circle.country_code) else shorter


async def contact_answer(ctx: Context, text: str) -> None:
    """The answer to the offer to take contact details out (CONTACT): taken out, kept (where a
    moderator may let them through), or the letter written again; /skip stops the letter."""
    tr = ctx.tr
    data = dict(ctx.conversation.data)
    details = [str(detail) for detail in data.get("details") or []]
    if _skips(tr, text):
        await _skip_letter(ctx, text)
        return
    picked = conversations.picked(ctx.conversation, text)
    if picked is None and len(text.strip()) >= letters.MIN_CHARS:
        await take_text(ctx, text)  # the letter again, as it should go (checked again)
        return
    said = (
        picked == confirmations.YES
        if picked is not None
        else confirmations.read(tr, text, TAKE_IT_OUT, KEEP_IT_IN)
    )
    circle = await _circle_written_for(ctx, data)
    shorter = _without_contact(ctx, circle, str(data["text"]), details)
    if said is None or (said is False and not ctx.moderators) or (said and shorter is None):
        _offer_to_take_out(ctx, circle, data, details)
        return
    if said and shorter is not None:
        await take_text(ctx, shorter)
        ctx.replies[-1] = replace(
            ctx.replies[-1], text=tr._("Done, it's out.") + " " + ctx.replies[-1].text
        )
        return
    conversations.update(ctx.conversation, {**data, "kept": True}, ctx.now)
    await take_text(ctx, str(data["text"]))


def _signatures(ctx: Context) -> list[str]:
    """The names a letter may be signed with: the person's first name (a title with it: "Mama
    Halima", never "Mama"), which travels by default, then the whole name they chose, when it
    says more ("Halima Abdi"), for them to pick."""
    chosen = " ".join(ctx.person.display_name.split())
    names = [people.first_name(chosen)]
    if chosen not in names and chosen not in unnamed_names(ctx.catalogs):
        names.append(chosen)
    return names


async def _circle_written_for(ctx: Context, data: dict[str, object]) -> Circle:
    circle = await ctx.session.get(Circle, data["circle"])
    if circle is None:
        conversations.finish(ctx.conversation, ctx.now)
        raise UserError(N_("That circle no longer exists."))
    return circle


# A signature has at most this many words ("Mama Halima wa Kisumu"); more is a sentence.
MOST_SIGNATURE_WORDS = 5
ADDED_TO_LETTER = N_("I've added that to your letter.")


async def letter_signature(ctx: Context, text: str) -> None:
    """The signature (state SIGNING): skipping takes the name offered, as "1" does. Then the
    letter is written and goes for review."""
    tr = ctx.tr
    first_name = people.first_name(ctx.person.display_name)
    data = dict(ctx.conversation.data)
    circle = await _circle_written_for(ctx, data)
    if len(text.split()) > MOST_SIGNATURE_WORDS:
        # A sentence is no signature: the rest of a letter a phone sent in two texts ("Consejo:
        # no se rindan..."), added to it, and the signature asked again (walkthrough 8, sms 18).
        await take_text(ctx, str(data["text"]) + "\n" + text)
        ctx.replies[-1] = replace(
            ctx.replies[-1], text=tr._(ADDED_TO_LETTER) + " " + ctx.replies[-1].text
        )
        return
    # "ni Otis wa Nyalenda" is signed "Otis wa Nyalenda", as the name at joining is read.
    said = people.name_in(ctx.catalogs, text)
    signature = first_name if _skips(tr, text) else people.clean_name(said, first_name)
    conversations.finish(ctx.conversation, ctx.now)
    if again := await _next_letter_at(ctx):
        # Written meanwhile in another chat: the conversation ends, with nothing kept.
        ctx.reply(tr._(ENOUGH_FOR_TODAY, **_enough(tr, circle, again)))
        return
    written = await letters.write(
        # Written in the language the author and I are talking in (their /language, their
        # app's, else their circle's): a French learner in an English circle writes French.
        ctx.session,
        ctx.person,
        circle,
        str(data["text"]),
        signature,
        Locale.parse(ctx.tr.locale).language,
        ctx.now,
    )
    # Written again after "send /letter to write it again": this one takes the old one's place.
    replaced = [] if ctx.moderators else await letters.replace_unapprovable(ctx.session, written)
    what = _reasons(tr, written)
    if written.flags and not ctx.moderators:
        # No one could approve it as it is: no "goes on to a circle" before "it can't travel".
        lines = [
            tr._(
                "Thank you, %(name)s! Your letter seems to contain %(what)s. Letters travel "
                "without contact details, so it can't go on as it is: send /letter to write it "
                "again without them.",
                name=first_name,
                what=what,
            )
        ]
    else:
        lines = [await _who_reviews(ctx, written, first_name)]  # thanked by name, not signature
        # A letter goes to a circle in another language when none in that language is free.
        lines.append(
            tr._(
                "It may reach a circle that speaks another language; they'll be told it's in "
                "%(language)s.",
                language=letters.language_name(tr, written.language),
            )
        )
    if written.flags and ctx.moderators:
        lines.append(
            tr._(
                "It seems to contain %(what)s, so a moderator will check it too: letters travel "
                "without contact details.",
                what=what,
            )
        )
    ctx.reply(await _thanks_by_text(ctx, written, first_name, lines))
    await _ask_review(ctx, circle, written, replaced)


# By SMS, the thank-you to a learner in one text (walks A5, B9, C8: 250-285 characters, two):
# who looks at it and how to take it back; the language line only where it still fits.
LETTER_THANKS_SMS = N_(
    "Thank you, %(name)s! Your facilitator has a look, then your letter goes to a circle "
    "somewhere else. /letter withdraw takes it back until then."
)


async def _thanks_by_text(ctx: Context, written: Letter, name: str, lines: list[str]) -> str:
    """The thank-you as said, or by SMS to a learner whose letter found nothing to check, the
    first of it, its short wording with the language line, and the short wording alone, that
    fits one text."""
    whole = "\n".join(lines)
    facilitating = {
        entry.person.id
        for entry in await members.roster(ctx.session, written.circle_id)
        if entry.membership.role in circles.FACILITATING
    }
    if not ctx.by_text or written.flags or ctx.person_id in facilitating:
        return whole
    short = ctx.tr._(LETTER_THANKS_SMS, name=name)
    return rendering.first_fitting((whole, "\n".join([short, *lines[1:]]), short), ctx.tr)


def _reasons(tr: Translator, letter: Letter) -> str:
    """What screening found, as one phrase: "a phone number and an email address"."""
    return format_list([tr._(flag) for flag in letter.flags], locale=tr.locale)


async def rejection_reason(ctx: Context, text: str) -> None:
    """The reason for rejecting a letter (REASON_FLOW). /skip drops the rejection: the letter
    still waits for review."""
    number = int(ctx.conversation.data["letter"])
    if _skips(ctx.tr, text):
        conversations.finish(ctx.conversation, ctx.now)
        ctx.reply(
            ctx.tr._(
                "OK, I haven't rejected letter %(number)d: it's still waiting for review "
                "(/letters).",
                number=number,
            )
        )
        return
    if _by_mistake(ctx, text):
        # "sorry, falscher Knopf! der Brief ist super" is no reason to send its author (D36):
        # the letter still waits, and its choices come again.
        conversations.finish(ctx.conversation, ctx.now)
        letter = await letters.get(ctx.session, number)
        ctx.reply(
            ctx.tr._(
                "That sounds like the wrong button, so I haven't rejected letter %(number)d: "
                "it's still waiting for review.",
                number=number,
            ),
            choices=_review_choices(
                ctx.tr, f"#{letter.circle_id} /letters", letter, bool(ctx.moderators)
            ),
        )
        return
    await _reason_given(ctx, number, text)


# Translators: what a facilitator writes when Reject was pressed by mistake, as a reason
# ("sorry, wrong button"); comma-separated phrases, lower case. Keep the English ones.
MISTAKE_WORDS = N_(
    "wrong button, by mistake, mistake, misclick, oops, my bad, undo, meant to approve, "
    "pressed the wrong"
)
# Short words that are a mistake only alone ("sorry!"), never in a reason ("sorry, it names
# a street").
SORRY_ALONE = keywords.SORRY


def _by_mistake(ctx: Context, text: str) -> bool:
    """Whether a rejection's reason says the rejection was a mistake, in any shipped
    language."""
    said = [word for word in map(keywords.plain, re.split(r"[\W_]+", text)) if word]
    if said and set(said) <= SORRY_ALONE:
        return True
    return _says_a_phrase(ctx, said, MISTAKE_WORDS)


async def _who_reviews(ctx: Context, written: Letter, name: str) -> str:
    """The thank-you to the writer, saying who looks at the letter before it travels: their
    facilitators, or for a facilitator the others who run the circle, else themselves."""
    tr = ctx.tr
    facilitating = [
        entry.person
        for entry in await members.roster(ctx.session, written.circle_id)
        if entry.membership.role in circles.FACILITATING
    ]
    if all(person.id != ctx.person_id for person in facilitating):
        return tr._(
            "Thank you, %(name)s! Your letter goes to your facilitator for a look, then on to a "
            "circle meeting for the first time somewhere else. /letter withdraw takes it back "
            "until then.",
            name=name,
        )
    others = [person.display_name for person in facilitating if person.id != ctx.person_id]
    if others:  # they approve it: see _decide
        return tr._(
            "Thank you, %(name)s! Your letter goes to %(reviewers)s for a look, then on to a "
            "circle meeting for the first time somewhere else. /letter withdraw takes it back "
            "until then.",
            name=name,
            reviewers=", ".join(others),
        )
    if ctx.moderators:
        return tr._(
            "Thank you, %(name)s! You approve it yourself with /letters approve %(number)d, "
            "then a moderator has a look before it goes on to a circle meeting for the first "
            "time somewhere else. /letter withdraw takes it back until then.",
            name=name,
            number=written.id,
        )
    return tr._(
        "Thank you, %(name)s! You approve it yourself with /letters approve %(number)d, and it "
        "goes on to a circle meeting for the first time somewhere else. /letter withdraw takes "
        "it back until then.",
        name=name,
        number=written.id,
    )


def _screened(tr: Translator, letter: Letter, moderated: bool) -> list[str]:
    """What the screening found, as a line under the letter for whoever reviews it: a
    moderator looks too, or, where there is none, it can only be sent back."""
    if not letter.flags:
        return []
    if not moderated:
        return [
            tr._(
                "It seems to contain %(what)s. Letters travel without contact details, so it "
                "can't be approved as it is: reject it with a reason, so its author can write "
                "it again.",
                what=_reasons(tr, letter),
            )
        ]
    return [
        tr._(
            "It seems to contain %(what)s: a moderator checks it before it travels.",
            what=_reasons(tr, letter),
        )
    ]


async def _notify(
    ctx: Context,
    circle: Circle | None,
    person_id: int,
    key: OutboxKey,
    render: notifications.Render,
    choices: notifications.Offer | None = None,
    by_day: bool = False,
) -> bool:
    """A notice in its reader's language: their own (/language), else their app's, else that
    of `circle`, the circle the notice is about for them (the letter's, for its author and
    reviewers), never the sender's. `by_day`: held until day time in `circle`'s zone (a
    thank-you from the other side of the world, sms 28)."""
    language = circle.language if circle is not None else None
    due = letters.by_day(ctx.now, circle.timezone) if by_day and circle is not None else None
    return await notifications.notify(
        ctx.session, ctx.catalogs, ctx.now, person_id, key, render, language, choices, due=due
    )


async def _ask_review(ctx: Context, circle: Circle, written: Letter, replaced: list[int]) -> None:
    prefix = f"#{circle.id} /letters"
    moderated = bool(ctx.moderators)
    for entry in await members.roster(ctx.session, circle.id or 0):
        person_id = entry.person.id or 0
        if person_id == ctx.person_id or entry.membership.role not in circles.FACILITATING:
            continue
        account = await people.preferred_account(ctx.session, person_id)
        platform = ctx.platforms.get(account.platform) if account is not None else None
        by_text = platform is not None and platform.billed_per_segment
        # One letter asked about at a time (B8): with an earlier one still waiting, "1" under
        # two notices meant letter 1 to one reader and approved letter 2. The choices stay
        # the earlier letter's, and this one comes back once it is decided (_next_to_review).
        earlier = [
            x
            for x in await _to_review(ctx, person_id)
            if (x.id or 0) < (written.id or 0) and x.id not in replaced
        ]
        first = earlier[0] if earlier else None
        await _notify(
            ctx,
            circle,
            person_id,
            OutboxKey(
                MessageKind.LETTER_REVIEW,
                f"circle:{circle.id}",
                f"person:{person_id}",
                f"letter:{written.id}",
            ),
            partial(
                _review_by_text if by_text else _review_request,
                circle=circle,
                written=written,
                moderated=moderated,
                replaced=replaced,
                first=first,
            ),
            partial(
                _review_choices,
                prefix=f"#{first.circle_id} /letters" if first else prefix,
                written=first or written,
                moderated=moderated,
            ),
        )


async def _to_review(ctx: Context, person_id: int) -> list[Letter]:
    """The letters waiting for `person_id`'s review in the circles they run, oldest first,
    those they wrote themselves left out (someone else approves them)."""
    mine = await circles.facilitated(ctx.session, person_id)
    waiting = await letters.awaiting(ctx.session, [c.id or 0 for c in mine], LetterStatus.REVIEW)
    return [letter for letter in waiting if letter.author_id != person_id]


def _first_line(reader: Translator, first: Letter | None) -> list[str]:
    """Under a letter to review while an earlier one waits: the choices are that one's."""
    if first is None:
        return []
    return [
        reader._(
            "Letter %(number)d came first and is still waiting for you: the choices below are "
            "for letter %(number)d, and I'll show you this one again once it's decided.",
            number=first.id,
        )
    ]


async def _next_to_review(ctx: Context, decided: Letter) -> None:
    """After a decision, the next letter waiting for this reviewer, with its choices, so none
    is left behind when "1" has answered the one before (C13)."""
    waiting = [x for x in await _to_review(ctx, ctx.person_id) if x.id != decided.id]
    if not waiting:
        return
    tr = ctx.tr
    await _show_for_review(
        ctx,
        waiting[0],
        tr.ngettext(
            "One more letter is waiting for your review:",
            "%(n)d more letters are waiting for your review. The next one:",
            len(waiting),
        ),
    )


async def _show_for_review(ctx: Context, letter: Letter, heading: str | None = None) -> None:
    """A letter waiting for this reviewer, as its review notice shows it, with its choices."""
    circle = await ctx.session.get(Circle, letter.circle_id)
    assert circle is not None
    moderated = bool(ctx.moderators)
    render = _review_by_text if ctx.platforms.keywords(ctx.inbound.platform) else _review_request
    shown = render(ctx.tr, circle, letter, moderated, [])
    ctx.reply(
        shown if heading is None else heading + "\n" + shown,
        choices=_review_choices(ctx.tr, f"#{circle.id} /letters", letter, moderated),
    )


def _review_choices(
    reader: Translator, prefix: str, written: Letter, moderated: bool
) -> list[Choice]:
    """Approve and Reject, naming the letter: with two review notices open, "Reply 1 for
    Approve letter #4" says which one the number answers. One that can't be approved as it is
    (see _screened) is only offered back. The letter is "#4" there, never a bare 4 beside
    the choices' numbers ("1 für Brief 2 freigeben oder 2 für ...", issue 16)."""
    reject = Choice(
        reader._("Reject letter #%(number)d", number=written.id), f"{prefix} reject {written.id}"
    )
    if written.flags and not moderated:
        return [reject]
    approve = Choice(
        reader._("Approve letter #%(number)d", number=written.id), f"{prefix} approve {written.id}"
    )
    return [approve, reject]


# By SMS (C51, C52: a letter to review came as four texts): the letter and its author only;
# where it is from is the reviewer's own circle, and its Reject choice asks for the reason.
REVIEW_BY_TEXT = N_('Letter %(number)d to review, from %(name)s:\n"%(text)s"')


def _review_by_text(
    reader: Translator,
    circle: Circle,
    written: Letter,
    moderated: bool,
    replaced: list[int],
    first: Letter | None = None,
) -> str:
    """The review notice to a facilitator on a feature phone, as few texts as it can be."""
    said = reader._(
        REVIEW_BY_TEXT,
        number=written.id,
        name=letters.signature(reader, written),
        text=written.text,
    )
    return "\n".join(
        [
            said,
            *_replacing(reader, replaced),
            *_screened(reader, written, moderated),
            *_first_line(reader, first),
        ]
    )


def _replacing(reader: Translator, replaced: list[int]) -> list[str]:
    # The flagged one it was written again for leaves the queue (fac 19, lang 22).
    if not replaced:
        return []
    return [
        reader.ngettext(
            "It takes the place of letter %(numbers)s, which its author wrote again.",
            "It takes the place of letters %(numbers)s, which its author wrote again.",
            len(replaced),
            numbers=format_list([str(n) for n in replaced], locale=reader.locale),
        )
    ]


def _review_request(
    reader: Translator,
    circle: Circle,
    written: Letter,
    moderated: bool,
    replaced: list[int],
    first: Letter | None = None,
) -> str:
    return "\n".join(
        [
            reader._(
                "A letter from %(circle)s for a circle somewhere else (letter %(number)d):",
                circle=circle.name,
                number=written.id,
            ),
            *_replacing(reader, replaced),
            letters.as_read(reader, written),
            *_screened(reader, written, moderated),  # why a moderator looks too, or can't go
            *(
                []
                if (written.flags and not moderated) or first is not None
                else [
                    reader._(
                        "Approve it, or reject it with a reason for the author: "
                        "/letters reject %(number)d REASON",
                        number=written.id,
                    )
                ]
            ),
            *_first_line(reader, first),
        ]
    )


async def _other_facilitators(ctx: Context, letter: Letter) -> list[str]:
    """The names of those who run the letter's circle besides the sender."""
    return [
        entry.person.display_name
        for entry in await members.roster(ctx.session, letter.circle_id)
        if entry.person.id != ctx.person_id and entry.membership.role in circles.FACILITATING
    ]


# The words after /letters; each also works in the reader's language ("/letters kubali 3").
async def letters_(ctx: Context, args: Args) -> None:
    """/letters alone: what waits for review and what arrived (its sub-commands, declared in
    the command table, have handlers of their own below)."""
    mine, moderator = await _reviewer(ctx)
    action = str(args.get("action") or "").strip().casefold()
    if action in {ALL, ctx.tr._(ALL).casefold()}:
        await _approve_all(ctx, mine, moderator)
        return
    if action:
        raise UserError(N_("Usage: %(usage)s"), usage="/letters [approve|reject NUMBER] [on|off]")
    await _overview(ctx, mine, moderator)


# "/letters all": every letter waiting that the person may approve is approved.
ALL = N_("all")


async def _approve_all(ctx: Context, mine: list[Circle], moderator: bool) -> None:
    """Approve every letter waiting for this person that may be approved as it is; one
    that can't (contact details, or their own with someone else to approve it) says why."""
    waiting = await letters.awaiting(ctx.session, [c.id or 0 for c in mine], LetterStatus.REVIEW)
    if moderator:
        waiting += await letters.awaiting(ctx.session, [], LetterStatus.MODERATION)
    if not waiting:
        ctx.reply(ctx.tr._("No letters are waiting for your approval."))
        return
    for letter in waiting:
        try:
            await _decide(ctx, mine, moderator, letter.id or 0, True, "", show_next=False)
        except UserError as error:
            ctx.reply(ctx.tr._(error.message, **error.params))


async def _reviewer(ctx: Context) -> tuple[list[Circle], bool]:
    """The circles the person facilitates, and whether they moderate; refused if neither."""
    mine = await circles.facilitated(ctx.session, ctx.person_id)
    if not mine and not ctx.is_moderator:
        raise UserError(
            N_("Only %(role)s can use /%(command)s."),
            role=ctx.tr._("a facilitator or co-facilitator"),
            command="letters",
        )
    return mine, ctx.is_moderator


async def letters_approve(ctx: Context, args: Args) -> None:
    mine, moderator = await _reviewer(ctx)
    await _decide(ctx, mine, moderator, int(str(args["letter"])), True, "")


async def letters_reject(ctx: Context, args: Args) -> None:
    mine, moderator = await _reviewer(ctx)
    reason = str(args.get("reason") or "")
    await _decide(ctx, mine, moderator, int(str(args["letter"])), False, reason)


async def letters_on(ctx: Context, args: Args) -> None:
    mine, _ = await _reviewer(ctx)
    await _switch(ctx, mine, "on")


async def letters_off(ctx: Context, args: Args) -> None:
    mine, _ = await _reviewer(ctx)
    await _switch(ctx, mine, "off")


async def _switch(ctx: Context, mine: list[Circle], action: str) -> None:
    """/letters on|off for one circle: the one picked, or the only one the person runs."""
    tr = ctx.tr
    if not mine:
        raise UserError(N_("Only a circle's facilitator can switch its letters on or off."))
    chosen = [circle for circle in mine if ctx.chosen_circle_id in (None, circle.id)]
    if not chosen:
        raise UserError(N_("That circle isn't one of yours any more. Send the command again."))
    if len(chosen) > 1:
        ctx.reply(
            tr._("Which circle should receive letters?")
            if action == "on"
            else tr._("Which circle should stop receiving letters?"),
            choices=[Choice(c.name, f"#{c.id} /letters {action}") for c in chosen],
        )
        return
    circle = chosen[0]
    circle.letters_wanted = LETTERS_WANTED if action == "on" else 0
    ctx.session.add(circle)
    ctx.reply(
        tr._("%(circle)s will receive letters before its first meeting.", circle=circle.name)
        if action == "on"
        else tr._("%(circle)s won't receive letters.", circle=circle.name)
    )


async def _review_stage(
    ctx: Context, letter: Letter, mine: list[Circle], moderator: bool, approve: bool
) -> LetterStatus:
    """The review this person may give the letter now: their circle's (REVIEW) or a
    moderator's (MODERATION). A refusal when neither is theirs to give."""
    number = letter.id
    if letter.status == LetterStatus.REVIEW and letter.circle_id in {c.id for c in mine}:
        mine_to_approve = letter.author_id == ctx.person_id and approve
        if mine_to_approve and (others := await _other_facilitators(ctx, letter)):
            # Letters travel the world: someone other than the writer says yes. Named, not
            # "your co-facilitator": after a /handover that role belongs to the writer.
            raise UserError(
                N_("You wrote letter %(number)d, so %(names)s approves it."),
                number=number,
                names=format_list(others, style="or", locale=ctx.tr.locale),
            )
        return LetterStatus.REVIEW
    if letter.status == LetterStatus.MODERATION and moderator:
        return LetterStatus.MODERATION
    if letter.status in (LetterStatus.REVIEW, LetterStatus.MODERATION):
        raise UserError(N_("Letter %(number)d isn't yours to review."), number=number)
    raise UserError(N_("Letter %(number)d has already been reviewed."), number=number)


async def _decide(
    ctx: Context,
    mine: list[Circle],
    moderator: bool,
    number: int,
    approve: bool,
    reason: str,
    confirmed: bool = False,
    show_next: bool = True,
) -> None:
    """Approve or reject letter `number`; a rejection, with its reason, is shown as its author
    will read it and sent only once confirmed. Then, `show_next`, the next letter waiting for
    this reviewer."""
    tr = ctx.tr
    letter = await letters.get(ctx.session, number)
    if letter.status == LetterStatus.WITHDRAWN:
        # Taken back, or written again (replace_unapprovable): the old notice's Reject must
        # not send its author a rejection for a letter they already fixed.
        ctx.reply(
            tr._(
                "Its author took letter %(number)d back, so there's nothing to review.",
                number=number,
            )
        )
        return
    if (
        approve
        and letter.status == LetterStatus.REJECTED
        and letter.circle_id in {c.id for c in mine}
        and not await _written_again(ctx, letter)
    ):
        # Rejected by mistake (D36): its circle's facilitator may approve it after all, as
        # long as its author hasn't written another instead.
        letter.status, letter.reject_reason = LetterStatus.REVIEW, None
    if letter.status not in (LetterStatus.REVIEW, LetterStatus.MODERATION):
        # Settled already (a co-facilitator approved it): a reply, not a refusal that rolls
        # back, so the review notice's choices close instead of catching every later text.
        ctx.reply(tr._("Letter %(number)d has already been reviewed.", number=number))
        if show_next and letter.circle_id in {c.id for c in mine}:
            await _next_to_review(ctx, letter)  # the one its notice's choices held back
        return
    stage = await _review_stage(ctx, letter, mine, moderator, approve)
    if not approve and not reason.strip():
        # The Reject button carries no reason: ask for it, not for the whole command again.
        conversations.begin(ctx.conversation, REASON_FLOW, {"letter": number}, ctx.now)
        ctx.reply(
            tr._(
                "What should I tell the author of letter %(number)d? Send the reason in a few "
                "words, or /cancel.",
                number=number,
            )
        )
        return
    if ctx.conversation.flow == REASON_FLOW:
        conversations.finish(ctx.conversation, ctx.now)  # the reason came with a command instead
    if not approve and not confirmed:
        data = {"letter": number, "reason": reason.strip()}
        conversations.begin(ctx.conversation, REASON_FLOW, data, ctx.now, REJECTING)
        _ask_to_send_rejection(ctx, letter, reason.strip())
        return
    if stage == LetterStatus.REVIEW:
        # A facilitator alone in their circle approves their own letter only with a
        # moderator's second look, where there are moderators.
        second_look = letter.author_id == ctx.person_id and approve and bool(ctx.moderators)
        await letters.review(
            ctx.session, letter, approve, reason, ctx.now, second_look, bool(ctx.moderators)
        )
    else:
        await letters.moderate(ctx.session, letter, approve, reason, ctx.now)
    await _close_others_choices(ctx, letter)
    if letter.author_id is not None and letter.author_id != ctx.person_id:
        written_in = await ctx.session.get(Circle, letter.circle_id)  # the author's circle
        await _notify(
            ctx,
            written_in,
            letter.author_id,
            OutboxKey(
                MessageKind.LETTER_DECISION,
                f"letter:{letter.id}",
                f"person:{letter.author_id}",
                letter.status,
            ),
            lambda reader: _decision_text(reader, letter),
            # Rejected, the letter invitation's choice: a new letter texted straight back is
            # asked about as the letter, never passed on as a message (fac 19).
            (lambda reader: [letters.write_choice(reader, written_in)])
            if letter.status == LetterStatus.REJECTED and written_in is not None
            else None,
        )
    if letter.status == LetterStatus.POOLED:
        ctx.reply(tr._("Letter %(number)d is approved: it joins the pool.", number=number))
    elif letter.status == LetterStatus.MODERATION and not letter.flags:
        ctx.reply(
            tr._(
                "Letter %(number)d is approved. You wrote it, so a moderator has a look before "
                "it travels.",
                number=number,
            )
        )
    elif letter.status == LetterStatus.MODERATION:
        ctx.reply(
            tr._(
                "Letter %(number)d is approved. It mentions %(what)s, so a moderator checks it "
                "before it travels.",
                number=number,
                what=_reasons(tr, letter),
            )
        )
    else:
        ctx.reply(tr._("Letter %(number)d is rejected; I've told the author why.", number=number))
    if show_next and stage == LetterStatus.REVIEW:
        await _next_to_review(ctx, letter)


async def _close_others_choices(ctx: Context, letter: Letter) -> None:
    """Once a letter is decided, the Approve / Reject its notice left with the circle's other
    facilitators answers nothing: kept, it caught their next sentence ("Sorry, I didn't catch
    that. Reply 1 for Approve letter #6") and their "1" ("already been reviewed", fac 22)."""
    others = [
        entry.person.id
        for entry in await members.roster(ctx.session, letter.circle_id)
        if entry.person.id != ctx.person_id and entry.membership.role in circles.FACILITATING
    ]
    if not others:
        return
    accounts = await ctx.session.exec(select(Account).where(col(Account.person_id).in_(others)))
    keys = [conversations.key_for_account(account) for account in accounts.all()]
    rows = await ctx.session.exec(select(Conversation).where(col(Conversation.key).in_(keys)))
    settled = {
        "letter": letter.id,
        "by": ctx.person.display_name,
        "approved": letter.status in (LetterStatus.POOLED, LetterStatus.MODERATION),
        "at": ctx.now.isoformat(),
    }
    for conversation in rows.all():
        offered = conversations.payloads(conversation)
        for payload in offered:
            found = REVIEW_CHOICE.fullmatch(payload)
            if found and int(found["letter"]) == letter.id:
                conversations.offer(conversation, [])
                if not conversation.flow:
                    # Their "1" to those choices still says who decided (settled_review).
                    seen = {**settled, "choices": len(offered)}
                    conversation.data = {**conversation.data, SETTLED: seen}
                break


# In the conversation of a facilitator whose review choices closed because another decided
# the letter: which letter, who, how, when, and how many choices had been offered.
SETTLED = "settled-review"
# How long a number replied to those closed choices is still read as meant for them.
SETTLED_ANSWERED_WITHIN = timedelta(hours=24)


async def settled_review(ctx: Context, text: str) -> bool:
    """A number replied to review choices another facilitator's decision closed (fac 18:
    "1" got "I didn't catch that"): who decided the letter, then the next letter waiting for
    this reviewer with its own choices. False for anything else."""
    settled = ctx.conversation.data.get(SETTLED)
    if not isinstance(settled, dict) or ctx.conversation.flow or ctx.conversation.choices:
        return False
    typed = text.strip()
    if not (typed.isdecimal() and len(typed) <= 2 and 1 <= int(typed) <= settled["choices"]):
        return False
    if ctx.now - datetime.fromisoformat(settled["at"]) > SETTLED_ANSWERED_WITHIN:
        return False
    ctx.conversation.data = {k: v for k, v in ctx.conversation.data.items() if k != SETTLED}
    values = {"name": settled["by"], "number": settled["letter"]}
    ctx.reply(
        ctx.tr._("%(name)s already approved letter %(number)d.", **values)
        if settled["approved"]
        else ctx.tr._("%(name)s already rejected letter %(number)d.", **values)
    )
    await _next_to_review(ctx, await letters.get(ctx.session, settled["letter"]))
    return True


REVIEW_CHOICE = re.compile(r"(?:#\d+ )?/letters (?P<action>approve|reject) (?P<letter>\d+)")


def review_in_words(ctx: Context, text: str) -> str | None:
    """The review choice a reply with more words picks: its own word in it ("ok approve, nice
    one jonas" to "Reply 1 for Approve letter 6 or 2 for Reject letter 6", D62), as the
    label's word alone would; None when it holds both, says no, or asks."""
    from bot.rhythm.commands import answers  # it reads letters too

    labelled = [
        (choice[0], [keywords.plain(w) for w in re.split(r"[\W_]+", choice[1]) if w])
        for choice in ctx.conversation.choices
        if not isinstance(choice, str) and len(choice) > 1 and REVIEW_CHOICE.fullmatch(choice[0])
    ]
    if (
        len(labelled) != 2
        or text.lstrip().startswith("/")  # a command says its own letter
        or any(ch.isdigit() for ch in text)  # a number may be another letter's
        or "?" in text
        or answers.yes_or_no_in(ctx.reader, text) is False
    ):
        return None
    shared = set(labelled[0][1]) & set(labelled[1][1])
    said = [keywords.plain(word) for word in re.split(r"[\W_]+", text) if word]
    # Where each choice's own word is said: "approve" in "ok approve, nice one jonas".
    at = {
        payload: [
            position
            for position, word in enumerate(said)
            for own in set(words) - shared
            if len(own) >= MIN_REVIEW_WORD and not own.isdecimal() and word.startswith(own)
        ]
        for payload, words in labelled
    }
    picked = [payload for payload, positions in at.items() if positions]
    if len(picked) != 1:
        return None
    approving = REVIEW_CHOICE.fullmatch(picked[0])
    if approving and approving["action"] == "approve" and _every_letter(ctx, said, at[picked[0]]):
        # "approve both" while the choices are the first letter's (fac 16): every letter
        # waiting, as /letters' Approve all does, never the first alone.
        return f"/letters {ALL}"
    return picked[0]


MIN_REVIEW_WORD = 4  # "Approve", "freigeben", "godkend", "aprobar", "kubali"
# Translators: words that mean every letter waiting, said with the word to approve ("approve
# both", "approve all of them"); comma-separated, lower case. Keep the English ones.
EVERY_LETTER_WORDS = N_("both, all, all of them, all letters, all the letters, every letter")


def _every_letter(ctx: Context, said: list[str], approving: list[int]) -> bool:
    """Whether one of EVERY_LETTER_WORDS (in any shipped language) comes right after or right
    before the word that approves: "approve both", "beide freigeben", "godkend begge"; not
    "all" elsewhere ("All good, approve it")."""
    return any(
        tuple(said[position + 1 : position + 1 + len(phrase)]) == phrase
        or tuple(said[max(0, position - len(phrase)) : position]) == phrase
        for phrase in _phrases(ctx, EVERY_LETTER_WORDS)
        for position in approving
    )


async def _written_again(ctx: Context, letter: Letter) -> bool:
    """Whether the author of a rejected letter has written another in its circle since."""
    if letter.author_id is None:
        return True  # forgotten: nobody to tell
    found = await ctx.session.exec(
        select(Letter.id).where(
            Letter.circle_id == letter.circle_id,
            Letter.author_id == letter.author_id,
            col(Letter.id) > (letter.id or 0),
            Letter.status != LetterStatus.WITHDRAWN,
        )
    )
    return found.first() is not None


async def _reason_given(ctx: Context, number: int, reason: str) -> None:
    """The answer to "What should I tell the author?": the letter is rejected with it."""
    conversations.finish(ctx.conversation, ctx.now)
    mine = await circles.facilitated(ctx.session, ctx.person_id)
    try:
        await _decide(ctx, mine, ctx.is_moderator, number, False, reason)
    except UserError as error:
        # Decided by someone else meanwhile, say: a reply, not a refusal, so the question
        # ends instead of taking every later message as a reason. Nothing was changed.
        ctx.reply(ctx.tr._(error.message, **error.params))


def _ask_to_send_rejection(ctx: Context, letter: Letter, reason: str) -> None:
    ctx.reply(
        ctx.tr._(
            "The author of letter %(number)d will read:\n%(text)s\nSend it?",
            number=letter.id,
            text=_rejection_text(ctx.tr, letter, reason),
        ),
        choices=confirmations.choices(ctx.tr, SEND_REJECTION, KEEP_WAITING),
    )


async def rejection_confirmed(ctx: Context, text: str) -> None:
    """The answer to "Send it?" (REJECTING): yes sends the rejection, no leaves the letter
    waiting for review, anything else asks again."""
    number = int(ctx.conversation.data["letter"])
    reason = str(ctx.conversation.data.get("reason", ""))
    said = confirmations.read(ctx.tr, text, SEND_REJECTION, KEEP_WAITING)
    if said is None:
        letter = await letters.get(ctx.session, number)
        ctx.reply(ctx.tr._(confirmations.NOT_CAUGHT))
        _ask_to_send_rejection(ctx, letter, reason)
        return
    if not said:
        await keep_waiting(ctx, text)
        return
    conversations.finish(ctx.conversation, ctx.now)
    mine = await circles.facilitated(ctx.session, ctx.person_id)
    try:
        await _decide(ctx, mine, ctx.is_moderator, number, False, reason, confirmed=True)
    except UserError as error:
        # Decided by someone else meanwhile: said, and nothing changed.
        ctx.reply(ctx.tr._(error.message, **error.params))


async def keep_waiting(ctx: Context, text: str) -> None:
    """No rejection after all (no, /skip): the letter still waits for review."""
    number = int(ctx.conversation.data.get("letter", 0))
    conversations.finish(ctx.conversation, ctx.now)
    ctx.reply(
        ctx.tr._(
            "OK, I haven't rejected letter %(number)d: it's still waiting for review (/letters).",
            number=number,
        )
    )


def _rejection_text(reader: Translator, letter: Letter, reason: str) -> str:
    """What the author of a rejected letter reads: which letter, by its first words (someone
    who wrote two can't tell them apart by number), and why."""
    return reader._(
        'Your letter "%(beginning)s" wasn\'t approved this time. The reason given: %(reason)s\n'
        "You're welcome to write another with /letter.",
        beginning=beginning(letter.text, REJECTED_QUOTE_CHARS),
        reason=reason,
    )


def _decision_text(reader: Translator, letter: Letter) -> str:
    if letter.status == LetterStatus.POOLED:
        return reader._(
            "Your letter is approved! It will be read at a circle meeting for the first time "
            "somewhere else. I'll tell you when it arrives."
        )
    if letter.status == LetterStatus.MODERATION:
        return reader._("Your facilitator approved your letter; a moderator has one more look.")
    return _rejection_text(reader, letter, letter.reject_reason or "")


async def _overview(ctx: Context, mine: list[Circle], moderator: bool) -> None:
    tr = ctx.tr
    lines: list[str] = []
    choices: list[Choice] = []
    waiting = await letters.awaiting(ctx.session, [c.id or 0 for c in mine], LetterStatus.REVIEW)
    if moderator:
        waiting += await letters.awaiting(ctx.session, [], LetterStatus.MODERATION)
    approvable = [
        letter
        for letter in waiting
        if not (letter.status == LetterStatus.REVIEW and letter.flags and not ctx.moderators)
    ]
    if waiting:
        lines.append(tr._("Waiting for your approval:"))
        for letter in waiting:
            lines.append(
                "\n".join(
                    [
                        tr._("Letter %(number)d:", number=letter.id),
                        letters.as_read(tr, letter),
                        *_screened(tr, letter, bool(ctx.moderators)),
                    ]
                )
            )
            # Reject asks for the reason next (REASON_FLOW), as the review notice's button does.
            # One that can't be approved as it is (see _screened) is only offered back.
            if letter in approvable:
                choices.append(
                    Choice(
                        tr._("Approve #%(number)d", number=letter.id),
                        f"/letters approve {letter.id}",
                    )
                )
            choices.append(
                Choice(tr._("Reject #%(number)d", number=letter.id), f"/letters reject {letter.id}")
            )
        if len(waiting) > 1:
            # Numbered choices under several letters ("Reply 3 for Approve 2") read like the
            # letters' own numbers: typing a letter's number acted on another (fac 11, mix 9).
            # Each letter is decided by its number in words, or all approved at once.
            choices = (
                [Choice(tr._("Approve all %(n)d", n=len(approvable)), f"/letters {ALL}")]
                if len(approvable) > 1
                else []
            )
            lines.append(
                tr._(
                    "To decide on one letter, send /letters approve and its number, like "
                    "/letters approve %(number)d, or /letters reject %(number)d and a reason.",
                    number=waiting[0].id,
                )
            )
    else:
        lines.append(tr._("No letters are waiting for your approval."))
    for circle in mine:
        arrived = await letters.received(ctx.session, circle.id or 0)
        if circle.letters_wanted == 0:
            lines.append(
                tr._("%(circle)s doesn't receive letters (/letters on).", circle=circle.name)
            )
        lines.append(
            tr.ngettext(
                "%(circle)s has received %(n)d letter.",
                "%(circle)s has received %(n)d letters.",
                len(arrived),
                circle=circle.name,
            )
        )
        lines.extend(letters.as_read(tr, letter) for letter in arrived)
    ctx.reply("\n\n".join(lines), choices=choices)


# At most this many letters in one /thanks: a first meeting gets a few (/rhythm letters).
MOST_THANKED = 20


async def thanks(ctx: Context, args: Args) -> None:
    """A reader's thank-you, relayed to each letter's author without saying who sent it. Several
    letters at once ("/thanks 3 4"): replying 1 by SMS to the letters of a first meeting thanks
    every one of them (see bot/letters/relay.py). Alone, the letters there are to thank."""
    if args.get("letter") is None:
        await _letters_to_thank(ctx)
        return
    typed = f"{args['letter']} {args.get('more') or ''}".split()
    numbers = []
    while typed and typed[0].strip(",").removeprefix("#").isdecimal():  # "#12", as shown
        try:
            numbers.append(parse_number(typed.pop(0).strip(",")))
        except ValueError:
            numbers = []
            break
    if typed:
        # Words for the writer ("/danke tusind tak Søren! ..."): they go with the thanks
        # (D35), never a usage line.
        await _thanks_with_words(ctx, numbers, " ".join(typed))
        return
    numbers = list(dict.fromkeys(numbers))
    if not 1 <= len(numbers) <= MOST_THANKED:
        command = ctx.registry.get("thanks")
        assert command is not None  # this is its handler
        raise usage_of(command, ctx.tr)
    found = await _received(ctx, numbers)
    for number in numbers:
        if number not in found:
            raise UserError(N_("Letter %(number)d didn't come to your circle."), number=number)
    lines = []
    for number in numbers:
        letter, circle = found[number]
        if letter.author_id is None:
            # Its writer used /forget (mix 16): the thanks is taken kindly, and said to reach
            # no one, never "on its way" to "a learner in Detroit".
            lines.append(ctx.tr._(WRITER_GONE, number=number))
            continue
        if await _thanked_already(ctx, letter):
            lines.append(
                ctx.tr._(
                    "You've already thanked %(name)s for letter %(number)d.",
                    name=letters.signature(ctx.tr, letter).rstrip("."),
                    number=number,
                )
            )
            continue
        await _thank(ctx, letter, (circle.city, circle.country_code))
        # One line a letter, as erasure rewrites it for an author who asks to be forgotten.
        lines.append(
            ctx.tr._(
                "Your thanks is on its way to %(name)s.",
                # "Wanjiru K." ends the sentence with its own full stop, not two.
                name=letters.signature(ctx.tr, letter).rstrip("."),
            )
        )
    ctx.reply(
        "\n".join(lines),
        choices=await _still_to_thank(ctx, numbers[0]) if len(numbers) == 1 else [],
    )


def thank_each_writer(tr: Translator, circle_id: int, arrived: list[Letter]) -> list[Choice]:
    """A choice for each of the letters that came together, naming its writer ("Thank Ana"),
    in the order of their numbers: the same numbers every time they are offered."""
    return [
        Choice(
            tr._("Thank %(name)s", name=letters.signature(tr, letter).rstrip(".")),
            f"#{circle_id} /thanks {letter.id}",
        )
        for letter in sorted(arrived, key=lambda letter: letter.id or 0)
    ]


async def _still_to_thank(ctx: Context, number: int) -> list[Choice]:
    """After a thanks for one of several letters that came together lately, the same choices
    again, with the same numbers (thank_each_writer), while any writer is still unthanked:
    "2" still thanks the writer it named under the letters."""
    found = await _received(ctx, await _recent_letters(ctx))
    if number not in found:
        return []
    circle = found[number][1]
    together = [letter for letter, came_to in found.values() if came_to.id == circle.id]
    if len(together) < 2:
        return []
    for letter in together:
        if letter.author_id is not None and not await _thanked_already(ctx, letter):
            return thank_each_writer(ctx.tr, circle.id or 0, together)
    return []


def _thanks_key(letter: Letter, person_id: int) -> OutboxKey:
    """One reader's thank-you for one letter: sent once however often they ask."""
    return OutboxKey(
        MessageKind.LETTER_THANKS,
        f"letter:{letter.id}",
        f"person:{letter.author_id}",
        f"from:{person_id}",
    )


# Who else a thank-you still waiting for a letter's writer thanks them for (person ids,
# besides the reader its key names), and the place they read it in: a second reader's thanks
# joins it rather than go as a second text the same (D16), and it says how many thanked.
THANKED_TOO = "thanked-too"
THANKED_FROM = "thanked-from"


async def _thank(ctx: Context, letter: Letter, place: tuple[str, str]) -> None:
    """The reader's thank-you on its way to the letter's writer, held until day time where
    they are: into the one from the same place still waiting to go, if there is one ("2 people
    in Hamburg say thank you"); else on its own, saying it is another when the writer was
    thanked for this letter before."""
    assert letter.author_id is not None
    earlier = await _plain_thanks(ctx, letter)
    for row_id, _, payload, still_waiting in earlier:
        if not still_waiting:
            continue
        tr = ctx.catalogs.translator(payload.get("locale"))
        together = [int(person) for person in payload.get(THANKED_TOO, [])]
        if payload.get(THANKED_FROM, list(place)) != list(place) or (
            not together and payload.get("text") != _thanked(tr, place)
        ):
            continue  # thanks from elsewhere
        together.append(ctx.person_id)
        text = _thanked(tr, place, together=len(together) + 1)
        gathered = {**payload, "text": text, THANKED_TOO: together, THANKED_FROM: list(place)}
        rewritten = await ctx.session.exec(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == row_id,  # and still untouched: checked under its lock
                col(OutboxMessage.status) == OutboxStatus.PENDING,
                col(OutboxMessage.claimed_until).is_(None),
                col(OutboxMessage.attempts) == 0,
            )
            .values(payload=gathered)
            .returning(col(OutboxMessage.id))
        )
        if rewritten.first() is not None:
            return
    await _notify(
        ctx,
        await ctx.session.get(Circle, letter.circle_id),  # the author's circle
        letter.author_id,
        _thanks_key(letter, ctx.person_id),
        partial(_thanked, place=place, again=bool(earlier)),
        by_day=True,
    )


# What _plain_thanks reads of a row, from the table: the ORM's object would hold its payload
# as it was before _thank rewrites it.
_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]
_THANKS_COLUMNS = ("id", "idempotency_key", "payload", "status", "claimed_until", "attempts")


async def _plain_thanks(ctx: Context, letter: Letter) -> list[tuple[int, str, dict, bool]]:
    """The thank-yous without words queued for the letter's writer, oldest first: each row's
    id, key, payload, and whether it still waits untouched by any dispatcher."""
    start = key_text(
        MessageKind.LETTER_THANKS, f"letter:{letter.id}", f"person:{letter.author_id}", "from:"
    )
    rows = await ctx.session.exec(
        select(*(_OUTBOX.c[name] for name in _THANKS_COLUMNS))
        .where(col(OutboxMessage.idempotency_key).startswith(start, autoescape=True))
        .order_by(col(OutboxMessage.id))
    )
    return [
        (
            row_id or 0,
            key,
            payload,
            status == OutboxStatus.PENDING and claimed is None and attempts == 0,
        )
        for row_id, key, payload, status, claimed, attempts in rows.all()
        # A reader's words are keyed "from:person:..." (_pass_words_on): not these.
        if key.removeprefix(start).isdecimal()
    ]


async def _thanked_already(ctx: Context, letter: Letter) -> bool:
    """Whether the reader's thank-you for this letter was queued already, on its own or
    together with another's: a second /thanks 1 sends nothing."""
    if letter.author_id is None:
        return False
    if await _sent_before(ctx, _thanks_key(letter, ctx.person_id)):
        return True
    return any(
        ctx.person_id in payload.get(THANKED_TOO, [])
        for _, _, payload, _ in await _plain_thanks(ctx, letter)
    )


WRITER_GONE = N_(
    "Thank you! The writer of letter %(number)d has since left circlebot, so your thanks can't "
    "reach them any more. It was kind of you all the same."
)
LISTED_WRITER_GONE = N_("%(line)s: its writer has left")


async def _letters_to_thank(ctx: Context) -> None:
    """/thanks alone: the letters that came to the person's circles, numbered as /thanks takes
    them, those already thanked marked, and how to thank one (a button for each still to
    thank), rather than a usage line."""
    tr = ctx.tr
    found = await _received(ctx)
    if not found:
        ctx.reply(
            tr._(
                "No letters have come to your circle yet. They arrive for a circle's first "
                "meeting; then /thanks and a letter's number thanks its writer."
            )
        )
        return
    lines = [tr._("Letters that came to your circle:")]
    choices: list[Choice] = []
    unthanked: list[int] = []
    for number, (letter, circle) in found.items():
        name = letters.signature(tr, letter).rstrip(".")  # "Wanjiru K." ends its own sentence
        # "#2", as the letter's number is written beside numbered choices (issue 16).
        line = tr._(
            "#%(number)d From %(name)s in %(place)s",
            number=number,
            name=name,
            place=letters.origin(tr, letter),
        )
        if letter.author_id is None:
            line = tr._(LISTED_WRITER_GONE, line=line)
        elif await _thanked_already(ctx, letter):
            line = tr._("%(line)s: you've thanked them", line=line)
        else:
            unthanked.append(number)
        # A choice for every letter listed, in order, so a number replied picks the letter on
        # that line (mix 16: "2. From Chen" offered as "Reply 1 for Thank Chen", and "2" not
        # understood); one thanked already, or whose writer has left, says so.
        choices.append(Choice(tr._("Thank %(name)s", name=name), f"#{circle.id} /thanks {number}"))
        lines.append(line)
    example = unthanked[0] if unthanked else next(iter(found))
    lines.append(
        tr._(
            "To thank a writer, send /thanks and the letter's number, like /thanks %(number)d.",
            number=example,
        )
    )
    ctx.reply("\n".join(lines), choices=choices)


async def _received(
    ctx: Context, numbers: list[int] | None = None
) -> dict[int, tuple[Letter, Circle]]:
    """The letters that came to the person's circles (those numbered, else all), by number, in
    the order they came."""
    query = (
        select(Letter, Circle)
        .join(LetterDelivery, LetterDelivery.letter_id == Letter.id)  # type: ignore[arg-type]
        .join(Circle, Circle.id == LetterDelivery.circle_id)  # type: ignore[arg-type]
        .join(Membership, Membership.circle_id == Circle.id)  # type: ignore[arg-type]
        .where(Membership.person_id == ctx.person_id, col(Membership.left_at).is_(None))
        .order_by(col(LetterDelivery.id))
    )
    if numbers is not None:
        query = query.where(col(Letter.id).in_(numbers))
    found: dict[int, tuple[Letter, Circle]] = {}
    for letter, circle in (await ctx.session.exec(query)).all():
        found.setdefault(letter.id or 0, (letter, circle))
    return found


async def _sent_before(ctx: Context, key: OutboxKey) -> bool:
    """Whether this very thank-you was queued already: a second /thanks 1 sends nothing."""
    row = await ctx.session.exec(
        select(OutboxMessage.id).where(OutboxMessage.idempotency_key == str(key))
    )
    return row.first() is not None


def _thanked(
    reader: Translator, place: tuple[str, str], again: bool = False, together: int = 1
) -> str:
    """A thank-you to a letter's writer from readers in `place`: `together` of them at once,
    or, `again`, after another's thanks for it went before (D16: never the same text twice)."""
    where = letters.place(reader, *place)
    if together > 1:
        said = reader.ngettext(
            "%(n)d person in %(place)s says thank you for your letter.",
            "%(n)d people in %(place)s say thank you for your letter.",
            together,
            place=where,
        )
    elif again:
        said = reader._(
            "Someone else in %(place)s says thank you for your letter too.", place=where
        )
    else:
        said = reader._("Someone in %(place)s says thank you for your letter.", place=where)
    return said + "\n" + reader._(NO_REPLY_NEEDED)


# Under a thank-you to a letter's writer: an answer would go to their own facilitator, not to
# the circle far away (C14: "Greetings to my friends in Medellin" reached Efua).
NO_REPLY_NEEDED = N_("No need to answer: a reply here wouldn't reach them.")


# -- a thank-you in words ---------------------------------------------------------------------

# Translators: words that say thank you, as people write them to a letter they were sent
# ("gracias!", "Thank you so much"); comma-separated, lower case. Keep the English ones.
THANKS_WORDS = N_("thanks, thank you, thank, thankyou, thx, ty")
# The Send-a-thank-you choice under a letter (relay.py): "#12 /thanks 3", or "#12 /thanks 3 4"
# for every letter of a first meeting.
THANKS_CHOICE = re.compile(r"#(?P<circle>\d+) /thanks (?P<letters>\d+(?: \d+)*)")


def letters_offered(payloads: list[str]) -> list[int]:
    """The letters whose thank-you is among the choices offered, in order: the letters the
    person was sent last (none when something else was offered since)."""
    found: list[int] = []
    for payload in payloads:
        if m := THANKS_CHOICE.fullmatch(payload):
            found += [int(n) for n in m["letters"].split()]
    return list(dict.fromkeys(found))


def says_thanks(ctx: Context, text: str) -> bool:
    """Whether `text` says thank you, in English or any shipped language: one of THANKS_WORDS
    as a word or phrase of it ("Thank you so much!", "mil gracias", "asante sana"), never
    inside another word ("pretty", "Mistake")."""
    said = [word for word in map(keywords.plain, re.split(r"[\W_]+", text)) if word]
    return _says_a_phrase(ctx, said, THANKS_WORDS)


async def thanks_in_words(ctx: Context, text: str, payloads: list[str]) -> bool:
    """A reader's thank-you written back to the letters she was just sent ("gracias!" under
    the letter, its Send-a-thank-you still offered): her words go to each letter's writer,
    as /thanks goes (without her name or number; the writer's stays hers too), never to her
    facilitators. Words with contact details stay here: the plain thank-you goes instead.
    True when it was passed on."""
    numbers = letters_offered(payloads)
    by_text = ctx.platforms.keywords(ctx.inbound.platform)
    if not payloads and by_text and _thanks_word_alone(ctx.tr, text):
        # "GRACIAS", as a letter by SMS said to reply when a digit answered another question
        # (sms 27), sent after that digit: the letters that came lately, not a message.
        recent = await _recent_letters(ctx)
        if recent:
            await thanks(ctx, {"letter": recent[0], "more": " ".join(map(str, recent[1:]))})
            return True
    if not numbers and "?" not in text and says_thanks(ctx, text):
        # Their choice gone (CARTA 1 asked something since, C27; a check-in's came after,
        # D38): "GRACIAS WANJIRU DESDE LIMA!!" names a writer of a letter that came lately,
        # "TAK! hilsen fra Aarhus" begins with the word the letter said to reply.
        found = await _received(ctx, await _recent_letters(ctx))
        said = {keywords.plain(word) for word in re.split(r"[\W_]+", text) if word}
        named = {n: found[n] for n in found if _first_name(found[n][0]) in said}
        first = keywords.plain(text.split()[0]) if text.split() else ""
        if named or (found and by_text and first == keywords.plain(thanks_word(ctx.tr))):
            await _pass_words_on(ctx, named or found, text)
            return True
    if not numbers or not says_thanks(ctx, text):
        return False
    recent = await _recent_letters(ctx)
    if set(numbers) <= set(recent):
        # Words are for every letter of the meeting ("Asante sana!"), though a digit under a
        # letter thanks only that one (mix 11).
        numbers = recent
    if "?" in text:
        # "Asante! Who can translate this letter for me?": a question for her own group, not
        # words for strangers abroad (walkthrough 8, lang 22): it goes to her facilitators.
        return False
    found = await _received(ctx, numbers)
    if not found:
        return False  # letters of a circle she has left: words for whoever she tells them to
    # "Asante sana Ousmane na Khady!": the writers named, as /thanks picks them; the third
    # writer never reads thanks addressed to others as a reply to his letter (B9).
    said = {keywords.plain(word) for word in re.split(r"[\W_]+", text) if word}
    named = {n: found[n] for n in found if _first_name(found[n][0]) in said}
    await _pass_words_on(ctx, named or found, text)
    return True


async def _thanks_with_words(ctx: Context, numbers: list[int], text: str) -> None:
    """/thanks with words: to the letters numbered, else to the writer named in them, else to
    the letters of the circle's latest first meeting; the words go with the thanks."""
    received = await _received(ctx)
    if not received:
        await _letters_to_thank(ctx)
        return
    for number in numbers:
        if number not in received:
            raise UserError(N_("Letter %(number)d didn't come to your circle."), number=number)
    said = {keywords.plain(word) for word in re.split(r"[\W_]+", text) if word}
    named = [number for number, (letter, _) in received.items() if _first_name(letter) in said]
    last_circle = list(received.values())[-1][1].id
    latest = [number for number, (_, circle) in received.items() if circle.id == last_circle]
    chosen = numbers or named or latest[-MOST_THANKED:]
    if _only_names(said, {_first_name(received[number][0]) for number in chosen}):
        # "/gracias Sofie": the name picked the letter, it is no reply to send her (dada 13).
        await thanks(ctx, {"letter": chosen[0], "more": " ".join(map(str, chosen[1:]))})
        return
    await _pass_words_on(ctx, {number: received[number] for number in chosen}, text)


def _only_names(said: set[str], names: set[str]) -> bool:
    """Whether the words `said` are writers' `names` and small words between them ("Sofie y
    Ana"), nothing to pass on."""
    return bool(said & names) and all(
        word in names or len(word) <= keywords.LONGEST_SMALL_WORD for word in said
    )


async def _pass_words_on(ctx: Context, found: dict[int, tuple[Letter, Circle]], text: str) -> None:
    """The reader's words to each letter's writer, screened like a letter: with contact
    details, the plain thanks goes instead."""
    words = text.strip()[: letters.MAX_CHARS]
    lines = []
    for number, (letter, circle) in found.items():
        if letter.author_id is None:
            lines.append(ctx.tr._(WRITER_GONE, number=number))  # they used /forget
            continue
        name = letters.signature(ctx.tr, letter).rstrip(".")
        flagged = screening.screen(words, Locale.parse(ctx.tr.locale).language, circle.country_code)
        place = (circle.city, circle.country_code)
        await _notify(
            ctx,
            await ctx.session.get(Circle, letter.circle_id),  # the author's circle
            letter.author_id,
            # Her words, found by erasure when she asks to be forgotten (passed_on_by).
            OutboxKey(
                MessageKind.LETTER_THANKS,
                f"letter:{number}",
                f"person:{letter.author_id}",
                passed_on_by(ctx.person_id) + ctx.occurrence,
            ),
            partial(_thanked, place=place)
            if flagged
            else partial(
                _written_back,
                place=place,
                words=words,
                # Read from her words, not her setting (dede 16); no label when unsure.
                language=languages.said_in(words, Locale.parse(ctx.tr.locale).language),
            ),
            by_day=True,
        )
        lines.append(
            ctx.tr._(
                "Your thanks is on its way to %(name)s, without your words: letters and their "
                "answers travel without contact details.",
                name=name,
            )
            if flagged
            else ctx.tr._("Your thanks is on its way to %(name)s.", name=name)
        )
    ctx.reply("\n".join(lines))


# A lone thanks word thanks the letters that came to the person's circles this long ago at most.
RECENT_LETTERS = timedelta(days=1)


def _first_name(letter: Letter) -> str:
    """The first word of a letter's signature, as a reader names its writer ("Wanjiru")."""
    words = letter.signature.split()
    first = keywords.plain(words[0]) if words else ""
    return first if len(first) > 1 else ""


def thanks_word(tr: Translator) -> str:
    """The word an SMS reader replies to thank a letter's writer, where a digit answers
    another question (sms 27)."""
    # Translators: one word in capitals, as people text it to say thank you ("GRACIAS").
    return tr._("THANKS")


def _thanks_word_alone(tr: Translator, text: str) -> bool:
    said = keywords.plain(text)
    return said in {keywords.plain(thanks_word(tr)), "thanks"}


# THANKS LETTER 2, ASANTE BARUA 2, THANKS #2 3: the numbers after the words (texted_thanks).
_TEXTED_NUMBER = re.compile(r"#?(\d{1,9})")


async def texted_thanks(ctx: Context, text: str) -> str | None:
    """The /thanks a text stands for, read before any question waiting reads it: "THANKS
    LETTER 2", "ASANTE BARUA 2", "THANKS #2" thank letter 2's writer only (issue 16, frsw 6:
    "ASANTE BARUA 2" thanked all three writers, each sent those words as a reply); the
    thanks word alone ("GRACIAS"), as the letters' text said to reply, thanks the writers of
    the letters that came lately and wait unthanked, though a check-in asked its 1-5 since
    (smses 16). A question waiting keeps waiting, as for any command."""
    if not ctx.platforms.keywords(ctx.inbound.platform):
        return None
    said = [word for word in re.split(r"[\s,;:.!]+", text) if word]
    thanking = {keywords.plain(thanks_word(ctx.tr)), "thanks", "thank", "thankyou"}
    thanking.add(keywords.plain(keywords.local_name(ctx.tr, "thanks")))
    if len(said) > 1 and keywords.plain("".join(said[:2])) == "thankyou":
        said = said[2:]
    elif said and keywords.plain(said[0]) in thanking:
        said = said[1:]
    else:
        return None
    if not said:
        alone = _thanks_word_alone(ctx.tr, text)
        return await _thanks_word_alone_stands_for(ctx) if alone else None
    if keywords.plain(said[0]) in {"letter", keywords.plain(keywords.local_name(ctx.tr, "letter"))}:
        said = said[1:]
    numbers = [m[1] for word in said if (m := _TEXTED_NUMBER.fullmatch(word))]
    if not numbers or len(numbers) < len(said):
        return None  # words for the writers ("THANKS so much Ana"): thanks_in_words
    return "/thanks " + " ".join(numbers)


async def _thanks_word_alone_stands_for(ctx: Context) -> str | None:
    """ "/thanks 3 4" for the letters that came lately and whose writers the reader has not
    thanked yet; None when there are none (then "THANKS" is words, as to a facilitator)."""
    waiting = [
        number
        for number, (letter, _) in (await _received(ctx, await _recent_letters(ctx))).items()
        if letter.author_id is not None and not await _thanked_already(ctx, letter)
    ]
    return "/thanks " + " ".join(map(str, waiting)) if waiting else None


async def _recent_letters(ctx: Context) -> list[int]:
    """The letters that came to the person's circles in the last RECENT_LETTERS, in order."""
    rows = await ctx.session.exec(
        select(LetterDelivery.letter_id)
        .join(Membership, col(Membership.circle_id) == LetterDelivery.circle_id)
        .where(
            Membership.person_id == ctx.person_id,
            col(Membership.left_at).is_(None),
            col(LetterDelivery.matched_at) > ctx.now - RECENT_LETTERS,
        )
        .order_by(col(LetterDelivery.id))
    )
    return list(dict.fromkeys(rows.all()))[:MOST_THANKED]


def _written_back(
    reader: Translator, place: tuple[str, str], words: str, language: str | None = None
) -> str:
    """A reader's words to a letter's writer; in another language than the writer's, it says
    which, as the letters themselves do (B12: Swahili thanks reached a French writer bare)."""
    if language and language != Locale.parse(reader.locale).language:
        said = reader._(
            'Someone in %(place)s wrote back to your letter, in %(language)s:\n"%(words)s"',
            place=letters.place(reader, *place),
            language=letters.language_name(reader, language),
            words=words,
        )
    else:
        said = reader._(
            'Someone in %(place)s wrote back to your letter:\n"%(words)s"',
            place=letters.place(reader, *place),
            words=words,
        )
    return said + "\n" + reader._(NO_REPLY_NEEDED)


def _says_a_phrase(ctx: Context, said: list[str], listed: str) -> bool:
    """Whether the words `said` hold one of the comma-separated phrases of the msgid `listed`,
    in any language, as whole words in a row."""
    phrases = _phrases(ctx, listed)
    return any(
        tuple(said[at : at + len(phrase)]) == phrase
        for phrase in phrases
        for at in range(len(said) - len(phrase) + 1)
    )


def _phrases(ctx: Context, listed: str) -> set[tuple[str, ...]]:
    """The comma-separated phrases of the msgid `listed`, in every language, as plain words."""
    return {
        tuple(keywords.plain(word) for word in phrase.split())
        for translated in [listed, *ctx.catalogs.in_every_language(listed)]
        for phrase in translated.split(",")
        if phrase.strip()
    }
