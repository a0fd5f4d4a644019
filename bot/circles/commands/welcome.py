"""/start and /help, /name and /language, and the welcome for someone in no circle yet."""

from __future__ import annotations

import re
from collections import Counter

from babel import Locale
from babel.lists import format_list

from bot.chat import keywords
from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.messages import Choice
from bot.chat.segments import gsm_lookalike, is_gsm7, sms_segments
from bot.circles import circles, detail_keys, discovery, join_notices, joincodes, meetings
from bot.circles.commands import discovery as finding
from bot.circles.commands import membership, newcircle
from bot.circles.erasure import nameless
from bot.dialogue import command_names, conversations, members, people
from bot.dialogue.context import Context
from bot.dialogue.registry import Access, Args, Command
from bot.rhythm.commands import answers
from bot.storage.models import Circle, Membership, Role
from prompts import onboarding

# The commands a member uses most, shown by /start: a learner's, and a facilitator's.
LEARNER_COMMANDS = ("next", "rsvp", "checkin")
FACILITATOR_COMMANDS = ("invite", "attendance", "announce")


async def start(ctx: Context, args: Args) -> None:
    code = args.get("code")
    if code:  # a deep link such as t.me/<bot>?start=<code>
        await membership.join(ctx, {"code": code})
        return
    memberships = await circles.active_memberships(ctx.session, ctx.person_id)
    if memberships:
        await _start_member(ctx, memberships)
        return
    ctx.reply(
        # Someone with no name of their own yet is greeted without one (never "Hi Circle
        # member!"): the welcome for a newcomer says the same.
        ctx.tr._(onboarding.NEWCOMER)
        if nameless(ctx.person.display_name, ctx.catalogs)
        else ctx.tr._(onboarding.START, name=ctx.person.display_name),
        choices=[
            Choice(ctx.tr._("Start a circle"), "/newcircle"),
            Choice(ctx.tr._("See all commands"), "/help"),
        ],
    )


async def _start_member(ctx: Context, memberships: list[tuple[Membership, Circle]]) -> None:
    """/start from someone already in a circle: their circle, its next meeting, and the few
    commands they will use (a facilitator's if they run one)."""
    tr = ctx.tr
    name = ctx.person.display_name
    unnamed = nameless(name, ctx.catalogs)  # greeted without a name: "Hi! You're in ..."
    theirs = [circle for _, circle in memberships]
    facilitating = any(Role(m.role) in circles.FACILITATING for m, _ in memberships)
    if len(theirs) == 1:
        greeting = (
            (onboarding.FACILITATOR_START_UNNAMED if unnamed else onboarding.FACILITATOR_START)
            if facilitating
            else (onboarding.MEMBER_START_UNNAMED if unnamed else onboarding.MEMBER_START)
        )
        lines = [tr._(greeting, name=name, circle=theirs[0].name)]
    else:
        several = (
            onboarding.MEMBER_START_SEVERAL_UNNAMED if unnamed else onboarding.MEMBER_START_SEVERAL
        )
        lines = [tr._(several, name=name)]
    for circle, shown in zip(theirs, circles.distinct_names(tr, theirs), strict=True):
        assert circle.id is not None
        upcoming = await meetings.upcoming(ctx.session, circle.id, ctx.now)
        text = (
            await membership.describe_meeting(ctx.session, tr, circle, upcoming)
            if upcoming is not None
            else tr._("%(circle)s has no more meetings planned.", circle=shown)
        )
        lines.append(text if len(theirs) == 1 else shown + "\n" + text)
    names = FACILITATOR_COMMANDS if facilitating else LEARNER_COMMANDS
    commands = [command for command in map(ctx.registry.get, names) if command is not None]
    lines.append(
        "\n".join(
            [tr._(onboarding.MEMBER_COMMANDS)]
            + [
                tr._("%(usage)s: %(summary)s", usage=c.usage(tr), summary=tr._(c.summary))
                for c in commands
            ]
            + [tr._(onboarding.MEMBER_HELP)]
        )
    )
    ctx.reply("\n\n".join(lines))


# The first answer to a newcomer's "hi" by SMS, in one text: how to join with a code, find an
# open circle nearby (FIND NAIROBI) or start one. %(join)s, %(find)s and %(newcircle)s are the
# words to text.
NEWCOMER_SMS = N_(
    "Hi! I'm circlebot, for learning circles. Text %(join)s and your facilitator's code to "
    "join one, %(find)s and your town to see open ones, %(newcircle)s to start one."
)


# The carrier's HELP by SMS: who the bot is, whose circle, and the few words to text, in one
# text where it fits (the LANGUAGE hint is the first thing left out when it doesn't).
INTRO_SMS = N_("I'm circlebot: I help learning circles meet every week.")
IN_CIRCLE_SMS = N_("I'm circlebot. Your texts reach %(name)s, facilitator of %(circle)s.")
# In circles that different people lead: whom her texts reach in each (fac 13).
IN_CIRCLES_SMS = N_(
    "I'm circlebot. Your texts reach the facilitator of the circle they're about: %(leads)s."
)
RUNNING_CIRCLE_SMS = N_("I'm circlebot, helping you run %(circle)s.")
# Texts sent after STOP still reach the facilitators (plain_text._after_stop): say so (C64).
STOPPED_IN_CIRCLE_SMS = N_(
    "I'm circlebot, for %(circle)s. Your messages are stopped. %(name)s still gets your "
    "texts, but can't answer until you text %(start)s."
)
KEYS_NEXT_SMS = N_(
    "Text %(next)s for your next meeting, %(language)s to change language, %(stop)s to stop "
    "messages."
)
KEYS_NEXT_SHORT_SMS = N_("Text %(next)s for your next meeting, %(stop)s to stop messages.")
KEYS_SMS = N_("Text %(language)s to change language, %(stop)s to stop messages.")
KEYS_SHORT_SMS = N_("Text %(stop)s to stop all messages.")


async def _meeting_to_come(ctx: Context, memberships: list[tuple[Membership, Circle]]) -> bool:
    """Whether any of the person's circles still has a meeting ahead (NEXT has an answer)."""
    for _, circle in memberships:
        assert circle.id is not None
        if await meetings.upcoming(ctx.session, circle.id, ctx.now) is not None:
            return True
    return False


async def sms_help(ctx: Context) -> str:
    """The answer to HELP by SMS. NEXT only while a meeting is to come and messages flow;
    after STOP, how to come back instead of how to stop."""
    tr = ctx.tr
    lines = [tr._(INTRO_SMS)]
    memberships = await circles.active_memberships(ctx.session, ctx.person_id)
    if memberships:
        circle = memberships[0][1]
        leads = await _leads(ctx, circle)
        each = await _leads_of_each(ctx, memberships)
        if leads and ctx.account.opted_out:
            # After STOP her texts still go on, but no answer comes back until START.
            return tr._(
                STOPPED_IN_CIRCLE_SMS,
                name=", ".join(leads),
                circle=circle.name,
                start=keywords.first_word(tr, keywords.OPT_IN),
            )
        if Role(memberships[0][0].role) in circles.FACILITATING:
            # Her texts don't "reach" herself: say what she is to the circle.
            lines = [tr._(RUNNING_CIRCLE_SMS, circle=circle.name)]
        elif each:
            # Learning in circles run by different people: whom her texts reach in each (fac 13).
            lines = [tr._(IN_CIRCLES_SMS, leads=each_led_by(tr, each))]
        elif leads:
            lines = [tr._(IN_CIRCLE_SMS, name=", ".join(leads), circle=circle.name)]
    else:
        lines.append(
            tr._(
                "Text %(join)s and the code your facilitator gave you to join a circle.",
                join=keywords.first_word(tr, keywords.JOIN),
            )
        )
    if ctx.account.opted_out:  # after STOP, how to come back, not how to stop
        lines.append(
            tr._(
                "You won't get any more messages from me. Text %(start)s if you want them again.",
                start=keywords.first_word(tr, keywords.OPT_IN),
            )
        )
        return "\n".join(lines)
    words = {
        # As the words HELP lists after it name /next (PROXIMA, never PRÓXIMA then PROXIMA).
        "next": keywords.command_word(tr, "next") or keywords.first_word(tr, keywords.NEXT),
        "language": keywords.texted(command_names.local_name(tr, "language")),
        "stop": keywords.first_word(tr, keywords.OPT_OUT),
    }
    upcoming = await _meeting_to_come(ctx, memberships)
    keys = (KEYS_NEXT_SMS, KEYS_NEXT_SHORT_SMS) if upcoming else (KEYS_SMS, KEYS_SHORT_SMS)
    fitting = [
        "\n".join([*lines, tr._(key, **words)])
        for key in keys
        if sms_segments("\n".join([*lines, tr._(key, **words)])) == 1
    ]
    return fitting[0] if fitting else "\n".join([*lines, tr._(keys[-1], **words)])


async def _leads(ctx: Context, circle: Circle) -> list[str]:
    """The names of whoever leads `circle`; never "Circle member" (sms 1)."""
    assert circle.id is not None
    return [
        entry.person.display_name
        for entry in await members.roster(ctx.session, circle.id)
        if entry.membership.role == Role.FACILITATOR
        and not nameless(entry.person.display_name, ctx.catalogs)
    ]


async def _leads_of_each(
    ctx: Context, memberships: list[tuple[Membership, Circle]]
) -> list[tuple[Circle, list[str]]]:
    """The circles she learns in with who leads each, when different people lead them, else
    none: her texts then go to the circle they are about (plain_text.forward)."""
    learning = [c for m, c in memberships if m.role == Role.LEARNER]
    each = [(circle, await _leads(ctx, circle)) for circle in learning]
    each = [(circle, leads) for circle, leads in each if leads]
    return each if len({tuple(leads) for _, leads in each}) > 1 else []


def each_led_by(tr: Translator, each: list[tuple[Circle, list[str]]]) -> str:
    """ "Dana (Intro to Python) and Marcus (Python Online)", in the reader's language."""
    return format_list(
        [f"{' & '.join(leads)} ({circle.name})" for circle, leads in each], locale=tr.locale
    )


# A join code as people copy it: its pieces may be split by a space or a dash ("NKGF 6PB").
_CODE_PIECES = re.compile(r"/?[\w-]+")
_MOST_CODE_PIECES = 3


def invited_code(ctx: Context, text: str) -> str | None:
    """The join code after a JOIN word (in any language, with or without its slash) anywhere
    in `text`: "JOIN NKGF 6PB", or an invitation pasted whole ("Pour rejoindre le cercle,
    envoyez /join 32W3TGC au bot..."). Only a code of the shape the bot makes, so a sentence
    ("join me later") stays a sentence; /join then counts a wrong one as any other."""
    join_words = keywords.phrases(ctx.catalogs, keywords.JOIN)
    tokens = _CODE_PIECES.findall(text)
    for at, token in enumerate(tokens):
        if keywords.plain(token) not in join_words:
            continue
        code = ""
        for piece in tokens[at + 1 : at + 1 + _MOST_CODE_PIECES]:
            code += joincodes.normalize(piece)
            if len(code) >= joincodes.LENGTH:
                break
        if joincodes.looks_valid(code):
            return code
    return None


def _says_hello(ctx: Context, text: str) -> bool:
    """Whether a message greets or asks how this works ("hi", "help", "how do I join?")."""
    said = {keywords.plain(word) for word in re.split(r"\W+", text)}
    return bool(said & keywords.words(ctx.tr, onboarding.NEWCOMER_WORDS))


async def newcomer(ctx: Context, text: str, sms: bool) -> bool:
    """Free text the bot has no use for, from someone in no circle yet: a short welcome that
    says what to do next (join with the facilitator's code, or start a circle), or that much
    after "I didn't catch that". False for someone in a circle: not a newcomer."""
    if await circles.active_memberships(ctx.session, ctx.person_id):
        return False
    code = invited_code(ctx, text)
    if code is not None:  # an invitation pasted whole
        await membership.join(ctx, {"code": code})
        return True
    wanted = _language_wanted(ctx, text)
    if wanted is not None:  # "Kiswahili tafadhali" from someone welcomed in German
        await language(ctx, {"language": wanted})  # says so, then the welcome in it
    hello = wanted is not None or _says_hello(ctx, text)
    asked = await discovery.asked_in_a_sentence(ctx.session, ctx.now, text)
    if asked is not None:  # "any Excel circle near Miraflores?": what /find would list
        await finding.find(ctx, {"what": asked})
        return True
    if sms:  # keywords, in one text
        words = {
            "join": keywords.first_word(ctx.tr, keywords.JOIN),
            # In the reader's words, like JOIN and FIND (NUEVOCIRCULO, not NEWCIRCLE).
            "newcircle": keywords.command_word(ctx.tr, "newcircle") or "NEWCIRCLE",
        }
        if hello:
            find = keywords.texted(keywords.first_word(ctx.tr, keywords.FIND))
            ctx.reply(ctx.tr._(NEWCOMER_SMS, find=find, **words))
        else:
            ctx.reply(ctx.tr._(onboarding.NEWCOMER_NOT_UNDERSTOOD_SMS, **words))
        return True
    welcome = ctx.tr._(onboarding.NEWCOMER if hello else onboarding.NEWCOMER_NOT_UNDERSTOOD)
    # As the SMS welcome says FIND: a circle near them may be open to anyone (walk dede 22).
    welcome += "\n" + ctx.tr._(onboarding.NEWCOMER_FIND)
    ctx.reply(welcome + "\n\n" + _languages_line(ctx))
    return True


def _language_wanted(ctx: Context, text: str) -> str | None:
    """The one shipped language, other than the one they are written to in, that a
    newcomer's short message names ("sielewi kijerumani. Kiswahili tafadhali", "Bitte wieder
    Deutsch"): someone who landed in a language they can't read asks for theirs in words."""
    typed = re.findall(r"\w+", text)
    if len(typed) > answers.MAX_LANGUAGE_REQUEST_WORDS:
        return None  # a longer message naming a language is about something else
    current = ctx.tr.locale.replace("-", "_").split("_")[0]
    named = {code for word in typed if (code := answers.language_named(ctx, word))}
    named.discard(current)
    return named.pop() if len(named) == 1 else None


def _languages_line(ctx: Context) -> str:
    """How to change language, in every shipped language at once ("Kiswahili: /lugha sw"),
    for a newcomer who may not read the one they were welcomed in."""
    return " · ".join(
        # Each in its own language's word, never turned into the reader's (B30).
        f"{name}: {keywords.VERBATIM}/"
        f"{keywords.slash_name(ctx.catalogs.translator(code), 'language')} {code}"
        for code, name in _language_names(ctx)
    )


def access_of(ctx: Context) -> Access:
    """The most a person may do in any of their current circles."""
    roles = {Role(m.role) for m, _ in ctx.memberships}
    if Role.FACILITATOR in roles:
        return Access.LEAD
    if Role.COFACILITATOR in roles:
        return Access.FACILITATOR
    return Access.MEMBER if roles else Access.ANYONE


def _command_named(ctx: Context, word: str) -> Command | None:
    """The command `word` names, with or without its slash: its English name, or its name in
    the reader's language or in any other shipped one ("aide", "msaada"), case and accents
    aside, an umlaut spelled out ("uebergeben") as the command itself takes it: people ask about
    the name they were told, whatever their phone's language."""
    typed = keywords.plain(word)
    readers = [ctx.tr, *(ctx.catalogs.translator(code) for code in ctx.catalogs.locales)]
    for tr in readers:
        for command in ctx.registry.available_to(Access.LEAD):
            local = command_names.local_name(tr, command.name)
            if typed == command.name or typed in keywords.spellings(local):
                return command
    return ctx.registry.get(keywords.former_command(ctx.tr, word) or "")  # "/hilfe teilen"


def _example(tr: Translator, command: Command) -> str:
    """The command's example as the reader would type it: translated whole where it has words
    of its own ("/rsvp oui 3"), else with its sub-command in their words ("/sharing
    désactiver"). A bare command stays as the usage line shows it."""
    example = command.example
    if " " not in example:
        return example
    whole = tr._(example)
    if whole != example:
        return whole
    name, rest = example.split(" ", 1)
    sub = command.subcommand(tr, rest)
    if sub is None:
        return example
    return " ".join([name, tr._(sub.word), *rest.split(" ", 1)[1:]])


# Open to anyone, but of use only to people who run circles: /letters reviews letters before
# they travel (facilitators, moderators), /team gathers circles for their organizers.
RUNNING_CIRCLES = frozenset({"letters", "team"})


def _listed(ctx: Context, files: bool) -> tuple[list[Command], list[Command]]:
    """What /help lists: the everyday commands the person may use, and, for a facilitator, the
    ones for running a circle. A learner sees only what a learner can use; someone in no
    circle yet may be an organizer (/team), a moderator reviews letters (/letters)."""
    access = access_of(ctx)
    everyday: list[Command] = []
    running: list[Command] = []
    for command in ctx.registry.available_to(access):
        if command.files and not files:
            continue  # a file where none can travel: nothing to offer
        if command.access >= Access.FACILITATOR or command.name in RUNNING_CIRCLES:
            running.append(command)
        else:
            everyday.append(command)
    if access >= Access.FACILITATOR:
        return everyday, running
    kept = {"team"} if access is Access.ANYONE else set()
    kept |= {"letters"} if ctx.is_moderator else set()
    return everyday + [command for command in running if command.name in kept], []


def _listing_line(tr: Translator, command: Command) -> str:
    """A command's line in /help, named as the reader types it ("/rejoindre CODE") and as
    every reply names it ("/uebersicht", not "/übersicht" here and "/ubersicht" there)."""
    usage = command.usage(tr)  # "/join CODE": its English name, then its arguments
    local = "/" + keywords.slash_name(tr, command.name) + usage[len(command.name) + 1 :]
    return tr._("%(usage)s: %(summary)s", usage=local, summary=tr._(command.summary))


# Closest commands offered for words the bot can't read, at most.
MAX_CLOSEST = 3
# Words shorter than this say little about a command ("to", "my", "de").
_MEANINGFUL = 4


def _alike(typed: str, known: str) -> bool:
    """Whether a word typed and a command's word are one ("meetings" and "meeting")."""
    if typed == known:
        return True
    shorter, longer = sorted((typed, known), key=len)
    return len(shorter) >= _MEANINGFUL and longer.startswith(shorter)


# Translators: how a facilitator asks in words for what each command does ("who is coming
# tomorrow?": /digest; "how do I tell everyone?": /announce; "how do I add a co-facilitator?":
# /cofacilitator); comma-separated phrases, a few words each. Keep the English ones.
ASKED_AS: dict[str, str | tuple[str, ...]] = {
    "digest": (
        N_("who is coming, who's coming, who will come, who comes, who can come"),
        # Walk fac 17: "how do I see who hasn't answered the check-in?" was offered /delete.
        N_(
            "who hasn't answered, who has not answered, who didn't answer, who did not "
            "answer, who answered, who has answered, check-in answers"
        ),
    ),
    "announce": N_(
        "tell everyone, tell everybody, let everyone know, message everyone, tell the group, "
        "tell all"
    ),
    "cofacilitator": (
        N_(
            "co-facilitator, cofacilitator, co facilitator, co-moderator, second facilitator, "
            "helper facilitator"
        ),
        # Walk 14, fac 2: "Dana is going to help me run this, how do I add her?"
        N_("help me run, help run, run it with me, run this with me, another facilitator"),
    ),
    # D17: "wie kann ich sehen wer in python für alle noch dabei ist?"
    "roster": (
        N_(
            "who is in, who's in, who is still in, who's still in, who is left, who's left, "
            "members, list of learners, who joined, who has joined"
        ),
        # Walk 14, fac 3: "who has signed up so far?" was offered /listing.
        N_("signed up, who signed, registered, enrolled, how many learners, how many joined"),
    ),
    # Walk 14, fac 11 and sms 8/15: sentences about running the circle, said to the bot while
    # a learner's message waited, were taken for an answer to her.
    "skipweek": N_(
        "push everything back, push it all back, push back a week, a week later, skip a week, "
        "skip this week"
    ),
    "cancel": N_("no meeting, is closed on, cancel the meeting, call off"),
    "movenumber": N_(
        "new phone number, new number, changed her number, changed his number, lost her "
        "phone, lost his phone, phone was stolen"
    ),
    # Walk 14, fac 4: "can we move the online one to 7:30 from now on" was offered /timezone.
    "edit": N_(
        "from now on, every week at, change the time, change the day, change the name, "
        "change the venue, change the room, change the link, change the course"
    ),
}
# Commands that end or take away something (a circle, a meeting, a membership): offered for a
# question in words only when it names them, never for a word shared with their description
# (walk fac 17: "who hasn't answered" matched /delete's "hasn't met yet").
UNDOING = frozenset({"delete", "close", "leave", "cancel", "remove", "forget"})
# What a phrase of ASKED_AS counts for, against a word shared with a command's description.
ASKED_AS_WEIGHT = 5


def _asked_as(tr: Translator, command: Command, typed: str) -> bool:
    """Whether the words typed (as plain()) hold a phrase that asks for `command` (ASKED_AS)."""
    listed = ASKED_AS.get(command.name)
    if listed is None:
        return False
    msgids = (listed,) if isinstance(listed, str) else listed
    phrases = {keywords.plain(p) for m in msgids for p in f"{m},{tr._(m)}".split(",")}
    return any(phrase and phrase in typed for phrase in phrases)


def asks_for(ctx: Context, name: str, text: str) -> bool:
    """Whether the words hold a phrase that asks for the command `name` (ASKED_AS)."""
    command = ctx.registry.get(name)
    return command is not None and _asked_as(ctx.tr, command, keywords.plain(text))


def asks_for_a_command(ctx: Context, text: str) -> bool:
    """Whether the words hold a phrase that asks for one of the commands the person may use
    (ASKED_AS): "push everything back a week" is about /skipweek, whatever else they say;
    or that opens with one's name, without its slash ("remove tom, he is spamming")."""
    typed = keywords.plain(text)
    available = list(ctx.registry.available_to(access_of(ctx)))
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    opening = ctx.registry.named(first.casefold(), ctx.tr) if first else None
    return opening in available or any(
        _asked_as(ctx.tr, command, typed) for command in available
    )


def closest_commands(ctx: Context, text: str) -> str | None:
    """For a question in plain words ("How do I move Monday's meeting to Wednesday?"), the
    commands whose name or description share its words, the likeliest first, as /help lists
    them; None when none does. A word many descriptions share ("meeting") weighs less than
    a rare one ("move"); a command's own name in a word ("flytter": /flyt) weighs most. A
    facilitator asking in words is shown the way, not only told that commands start with /
    (walkthrough 8, mix 19)."""
    typed = {keywords.plain(word) for word in re.findall(r"\w+", text)}
    typed = {word for word in typed if len(word) >= 3}
    if not typed:
        return None
    tr = ctx.tr
    commands = list(ctx.registry.available_to(access_of(ctx)))
    described = [
        {
            keywords.plain(word)
            for word in re.findall(r"\w+", tr._(command.summary))
            if len(word) >= _MEANINGFUL
        }
        for command in commands
    ]
    shared = Counter(word for words in described for word in words)
    first = text.split(maxsplit=1)[0]
    opening = ctx.registry.named(first.casefold(), tr)
    scored: list[tuple[int, float, int, Command]] = []
    for order, (command, words) in enumerate(zip(commands, described, strict=True)):
        names = {command.name, keywords.plain(command_names.local_name(tr, command.name))}
        named = any(w.startswith(name) for w in typed for name in names if len(name) >= 3)
        matched = [known for known in words if any(_alike(w, known) for w in typed)]
        # The most words in common first, then the rarer ones.
        count = len(matched) + (2 if named else 0)
        # Asked for in its words, or named first ("remove tom, he is spamming", walk 14).
        asked = _asked_as(tr, command, keywords.plain(text)) or command is opening
        count += ASKED_AS_WEIGHT if asked else 0
        if command.name in UNDOING and not (named or asked):
            continue  # a question is never answered with a command that ends something
        if count:
            weight = sum(1 / shared[known] for known in matched)
            scored.append((-count, -weight, order, command))
    if not scored:
        return None
    best = [command for *_, command in sorted(scored)[:MAX_CLOSEST]]
    return "\n".join(
        [
            tr._("I didn't catch that. Is it one of these?"),
            *(_listing_line(tr, command) for command in best),
            tr._("Send /help to see them all."),
        ]
    )


# Translators: how a question opens when it asks how to do something ("how do I ...", "comment
# je ...", "wie kann ich ...", "nawezaje ..."); comma-separated phrases. Keep the English ones.
HOW_ASKED = N_("how do I, how can I, how to, how do you, where can I, where do I")
HOW_ANSWERED = N_("To do that, send %(command)s.")
# Commands named by an everyday word ("how do I find the library?", "...the next bus?"): a
# how-do-I question holding it is more likely one for the facilitators than about them.
EVERYDAY_NAMES = frozenset({"find", "next", "here", "thanks", "reply", "help"})


def command_asked_about(ctx: Context, text: str) -> str | None:
    """For a how-do-I question naming one of the bot's own commands, by its name in the
    reader's language, another shipped one or English ("comment je recupere mon portfolio ?",
    "nawezaje kupata jalada langu?"): the command to send; None for any other words, which go
    on to the facilitators as before (frsw 19, dede 41)."""
    said = keywords.whole_words(text)
    every = [HOW_ASKED, *ctx.catalogs.in_every_language(HOW_ASKED)]
    if not any(
        keywords.whole_words(p) in said for listed in every for p in listed.split(",") if p.strip()
    ):
        return None
    available = ctx.registry.available_to(access_of(ctx))
    for word in said.split():
        if len(word) < _MEANINGFUL:
            continue
        command = _command_named(ctx, word)
        if command is None or command not in available:
            continue
        if command.name in UNDOING or command.name in EVERYDAY_NAMES:
            continue  # "how do I leave?" is passed on and answered (plain_text.forward)
        usage = command.usage(ctx.tr)
        local = "/" + keywords.slash_name(ctx.tr, command.name) + usage[len(command.name) + 1 :]
        return ctx.tr._(HOW_ANSWERED, command=local)
    return None


# /help first lists what people do most, "/help all" everything (walkthrough 8, fac 13: a
# wall of 30 to 56 commands). In the order listed: a learner's week, then a facilitator's.
MOST_USED_BY_LEARNERS = ("next", "rsvp", "checkin", "leave")
MOST_USED_BY_FACILITATORS = (
    "schedule",
    "attendance",
    "digest",
    "reply",
    "announce",
    "reschedule",
    "cancel",
    "invite",
    "roster",
)
# Translators: the word after /help for the whole list ("/help all"); the English one works too.
ALL = N_("all")
# Translators: other words people put after /help for the whole list ("/aide tout", "/aide
# tous"), comma-separated; any language's work. Keep the English ones.
ALL_WORDS = N_("all, everything, every, list, full")


def _most_used(ctx: Context, listed: list[Command], running: bool) -> list[Command]:
    wanted = MOST_USED_BY_FACILITATORS if running else MOST_USED_BY_LEARNERS
    by_name = {command.name: command for command in listed}
    return [by_name[name] for name in wanted if name in by_name]


def _short_help(ctx: Context, everyday: list[Command], running: list[Command], sms: bool) -> str:
    """The most used commands, how to write to the facilitator (a learner), and how to see
    the rest: a phone screen, or one SMS, rather than the whole reference."""
    tr = ctx.tr
    chosen = _most_used(ctx, everyday + running, bool(running))
    more = command_names.local_name(tr, "help") + " " + tr._(ALL)
    if sms:
        named = ", ".join(keywords.texted(command_names.local_name(tr, c.name)) for c in chosen)
        text = tr._("Here's what you can do: %(commands)s.", commands=named)
        if not running:
            text += " " + tr._("To write to your facilitator, just send a message.")
        return text + " " + tr._("For all the words, send %(more)s.", more=keywords.texted(more))
    lines = [tr._("Here's what you can do:")]
    lines += [_listing_line(tr, command) for command in chosen]
    if not running:
        lines.append(tr._("To write to your facilitator, just send a message here."))
    lines.append(tr._("Everything else: /%(more)s", more=more))
    return "\n".join(lines)


async def help_(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    wanted = args.get("command")
    everything = isinstance(wanted, str) and keywords.plain(wanted) in {
        "all",
        keywords.plain(tr._(ALL)),
        *keywords.phrases(ctx.catalogs, ALL_WORDS),
    } - {""}
    if everything:
        wanted = None
    if isinstance(wanted, str):
        command = _command_named(ctx, wanted)
        if command is None:
            # The word after /help, said as typed: no "/tout" she never sent (wave 2, B8).
            local = command_names.local_name(tr, "help")
            ctx.reply(
                tr._(
                    "I don't know a command called “%(word)s”. Send /%(help)s to see them, or "
                    "/%(help)s %(all)s for all of them.",
                    word=wanted.strip(),
                    help=local,
                    all=tr._(ALL),
                )
            )
            return
        lines = [
            tr._("%(usage)s\n%(summary)s", usage=command.usage(tr), summary=tr._(command.summary))
        ]
        for sub in command.subcommands:
            lines.append(
                tr._(
                    "%(usage)s: %(summary)s",
                    usage=command.usage(tr, sub),
                    summary=tr._(sub.summary),
                )
            )
        if command.example:
            lines.append(tr._("For example: %(example)s", example=_example(tr, command)))
        if command.name == "newcircle":  # its one-line forms, keys in the reader's words
            local = command_names.local_name(tr, command.name)
            lines.append(newcircle.sentence_help(tr, local))
            lines.append(detail_keys.help_line(tr))
        ctx.reply("\n".join(lines))
        return
    platform = ctx.platforms.get(ctx.inbound.platform)
    everyday, running = _listed(ctx, files=platform is None or platform.capabilities.files)
    sms = platform is not None and bool(platform.keywords)
    if not everything and ctx.memberships and _most_used(ctx, everyday + running, bool(running)):
        ctx.reply(_short_help(ctx, everyday, running, sms))
        return
    if platform is not None and platform.keywords:
        # By SMS every line costs: the commands' names, and how to learn more about one.
        named = (command_names.local_name(tr, command.name) for command in everyday + running)
        ctx.reply(
            tr._(
                "Here's what you can do: %(commands)s. For more about one, send HELP and its "
                "name, for example HELP RSVP.",
                commands=", ".join(keywords.texted(name) for name in named),
            )
        )
        return
    lines = [tr._("Here's what you can do:")]
    lines += [_listing_line(tr, command) for command in everyday]
    ctx.reply("\n".join(lines))
    if running:  # after the everyday ones, so a phone shows those first
        # A message of its own: a long list split where it fills a message cut its last
        # line off alone ("/fjern NAVN: ...").
        lines = [tr._("For facilitators:")]
        lines += [_listing_line(tr, command) for command in running]
        ctx.reply("\n".join(lines))


# NAME alone (the word the SMS help lists, C57): the name is asked for, its answer the name.
NAME_FLOW = "name"


async def name(ctx: Context, args: Args) -> None:
    """What the circle calls you: SMS gives the bot no name, so people say it themselves."""
    if not str(args.get("name") or "").strip():
        conversations.begin(ctx.conversation, NAME_FLOW, {}, ctx.now)
        ctx.reply(ctx.tr._(onboarding.ASK_NAME_SMS))
        return
    said = people.name_in(ctx.catalogs, str(args["name"]))  # "nom c'est Awa": "Awa"
    chosen = people.name_case(people.clean_name(said, ""))
    if not chosen:
        raise UserError(N_("Usage: %(usage)s"), usage="/name NAME")
    ctx.person.display_name = chosen
    ctx.session.add(ctx.person)
    await ctx.session.flush()
    await join_notices.renamed(ctx)
    # The name asked at joining by SMS is answered: the goal question comes next.
    goal = await answers.after_name(ctx)
    ctx.reply(answers.greeted(ctx, chosen, goal))
    await newcircle.made_after_name(ctx)  # the set-up's last question, answered so


async def name_answer(ctx: Context, text: str) -> None:
    """The answer to the name asked for by NAME alone: the name, as NAME JUANITA gives it."""
    conversations.finish(ctx.conversation, ctx.now)
    await name(ctx, {"name": text})


async def name_skipped(ctx: Context, text: str) -> None:
    conversations.finish(ctx.conversation, ctx.now)
    ctx.reply(ctx.tr._(onboarding.NAME_SKIPPED))


LANGUAGE_QUESTION_SMS = N_("Which language would you like?")


def _language_names(ctx: Context) -> list[tuple[str, str]]:
    """Each shipped language, named in itself ("Kiswahili", "français"); by SMS in the GSM-7
    alphabet ("francais": GSM-7 has no ç; not "FRANÇAIS", which shouts among the others), so
    the menu is one cheap SMS, not UCS-2."""
    platform = ctx.platforms.get(ctx.inbound.platform)
    gsm = platform is not None and platform.capabilities.gsm_safe
    names = []
    for code in ctx.catalogs.locales:
        name = Locale.parse(code).get_display_name(code) or code
        if gsm and not is_gsm7(name):
            lookalike = gsm_lookalike(name)
            name = lookalike if is_gsm7(lookalike) else keywords.texted(name)
        names.append((code, name))
    return names


async def language(ctx: Context, args: Args) -> None:
    """Choose the language the bot speaks to you, on every platform you use."""
    wanted = args.get("language")
    names = _language_names(ctx)
    if not isinstance(wanted, str):
        texted = ctx.platforms.keywords(ctx.inbound.platform)
        ctx.reply(
            # By SMS the choices line says how to reply ("Reply 1 for dansk, ..."): one text.
            ctx.tr._(LANGUAGE_QUESTION_SMS)
            if texted
            else ctx.tr._("Which language would you like? Reply with a number or a code like es."),
            choices=[Choice(name, f"/language {code}") for code, name in names],
        )
        return
    typed = wanted.strip().casefold()
    chosen = (
        next((code for code, name in names if typed in {code, name.casefold()}), None)
        or next((code for code in ctx.catalogs.locales if typed.split("-")[0] == code), None)
        # Its name in any shipped language, accents aside: "inglés", "ingles", "spanish".
        or answers.language_named(ctx, wanted)
    )
    if chosen is None:
        raise UserError(
            N_("I don't speak %(language)s yet. I can use: %(languages)s."),
            language=wanted,
            languages=", ".join(f"{name} ({code})" for code, name in names),
        )
    ctx.person.locale = chosen
    ctx.session.add(ctx.person)
    tr = ctx.catalogs.translator(chosen)
    ctx.tr = tr  # the reply is fitted in the new language too
    switched = tr._("From now on I'll write to you in English.")
    again, choices = await answers.question_again(ctx)  # still waiting: asked in the new one
    between = "\n" if ctx.by_text else "\n\n"  # by SMS, one line break: characters cost
    ctx.reply(between.join(filter(None, [switched, again])), choices=choices)
