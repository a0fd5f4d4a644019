"""/start and /help, /name and /language, and the welcome for someone in no circle yet."""

from __future__ import annotations

import re

from babel import Locale

from bot.chat import keywords
from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.messages import Choice
from bot.chat.segments import gsm_lookalike, is_gsm7, sms_segments
from bot.circles import circles, join_notices, joincodes, meetings
from bot.circles.commands import membership
from bot.dialogue import command_names, members, people
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
        ctx.tr._(onboarding.START, name=ctx.person.display_name),
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
    theirs = [circle for _, circle in memberships]
    facilitating = any(Role(m.role) in circles.FACILITATING for m, _ in memberships)
    if len(theirs) == 1:
        greeting = onboarding.FACILITATOR_START if facilitating else onboarding.MEMBER_START
        lines = [tr._(greeting, name=name, circle=theirs[0].name)]
    else:
        lines = [tr._(onboarding.MEMBER_START_SEVERAL, name=name)]
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
RUNNING_CIRCLE_SMS = N_("I'm circlebot, helping you run %(circle)s.")
STOPPED_IN_CIRCLE_SMS = N_(
    "I'm circlebot, for %(circle)s. Your messages are stopped, and your texts don't reach "
    "%(name)s. Text %(start)s to start again."
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
        assert circle.id is not None
        leads = [
            entry.person.display_name
            for entry in await members.roster(ctx.session, circle.id)
            if entry.membership.role == Role.FACILITATOR
        ]
        if leads and ctx.account.opted_out:
            # After STOP nothing is passed on: never "your texts reach Mette" then.
            return tr._(
                STOPPED_IN_CIRCLE_SMS,
                name=", ".join(leads),
                circle=circle.name,
                start=keywords.first_word(tr, keywords.OPT_IN),
            )
        if Role(memberships[0][0].role) in circles.FACILITATING:
            # Her texts don't "reach" herself: say what she is to the circle.
            lines = [tr._(RUNNING_CIRCLE_SMS, circle=circle.name)]
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


# A join code as people copy it: its pieces may be split by a space or a dash ("NKGF 6PB").
_CODE_PIECES = re.compile(r"/?[\w-]+")
_MOST_CODE_PIECES = 3


def invited_code(ctx: Context, text: str) -> str | None:
    """The join code after a JOIN word (in any language, with or without its slash) anywhere
    in `text`: "JOIN NKGF 6PB", or an invitation pasted whole ("Pour rejoindre le cercle,
    envoyez /join 32W3TGC au bot..."). Only a code of the shape the bot makes, so a sentence
    ("join me later") stays a sentence; /join then counts a wrong one as any other."""
    join_words = {
        keywords.plain(word)
        for listed in [keywords.JOIN, *ctx.catalogs.in_every_language(keywords.JOIN)]
        for word in listed.split(",")
    }
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
    hello = _says_hello(ctx, text)
    if sms:  # keywords, in one text
        words = {"join": keywords.first_word(ctx.tr, keywords.JOIN), "newcircle": "NEWCIRCLE"}
        if hello:
            find = keywords.texted(keywords.first_word(ctx.tr, keywords.FIND))
            ctx.reply(ctx.tr._(NEWCOMER_SMS, find=find, **words))
        else:
            ctx.reply(ctx.tr._(onboarding.NEWCOMER_NOT_UNDERSTOOD_SMS, **words))
        return True
    ctx.reply(ctx.tr._(onboarding.NEWCOMER if hello else onboarding.NEWCOMER_NOT_UNDERSTOOD))
    return True


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
    aside: people ask about the name they were told, whatever their phone's language."""
    typed = keywords.plain(word)
    readers = [ctx.tr, *(ctx.catalogs.translator(code) for code in ctx.catalogs.locales)]
    for tr in readers:
        for command in ctx.registry.available_to(Access.LEAD):
            if typed in {command.name, keywords.plain(command_names.local_name(tr, command.name))}:
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
    """A command's line in /help, named as the reader types it ("/rejoindre CODE")."""
    usage = command.usage(tr)  # "/join CODE": its English name, then its arguments
    local = "/" + command_names.local_name(tr, command.name) + usage[len(command.name) + 1 :]
    return tr._("%(usage)s: %(summary)s", usage=local, summary=tr._(command.summary))


async def help_(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    wanted = args.get("command")
    if isinstance(wanted, str):
        command = _command_named(ctx, wanted)
        if command is None:
            ctx.reply(ctx.registry.unknown(wanted.strip().lstrip("/"), tr))
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
        ctx.reply("\n".join(lines))
        return
    platform = ctx.platforms.get(ctx.inbound.platform)
    everyday, running = _listed(ctx, files=platform is None or platform.capabilities.files)
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
    if running:  # after the everyday ones, so a phone shows those first
        lines += ["", tr._("For facilitators:")]
        lines += [_listing_line(tr, command) for command in running]
    ctx.reply("\n".join(lines))


async def name(ctx: Context, args: Args) -> None:
    """What the circle calls you: SMS gives the bot no name, so people say it themselves."""
    chosen = people.name_case(people.clean_name(str(args["name"]), ""))
    if not chosen:
        raise UserError(N_("Usage: %(usage)s"), usage="/name NAME")
    ctx.person.display_name = chosen
    ctx.session.add(ctx.person)
    await ctx.session.flush()
    await join_notices.renamed(ctx)
    # The name asked at joining by SMS is answered: the goal question comes next.
    goal = await answers.after_name(ctx)
    ctx.reply("\n\n".join(filter(None, [ctx.tr._(onboarding.NAME_FIRST, name=chosen), goal])))


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
    ctx.reply(tr._("From now on I'll write to you in English."))
