"""The table of commands and their handlers: the one place commands are declared."""

from __future__ import annotations

import functools
from datetime import timedelta

from bot.chat.i18n import N_
from bot.circles.commands import discovery as finding
from bot.circles.commands import editing as circle_editing
from bot.circles.commands import (
    linking,
    membership,
    new_number,
    newcircle,
    own_zone,
    roles,
    seating,
    welcome,
)
from bot.core import plain_text
from bot.dialogue.registry import (
    CONFIRMATION_TIMEOUT,
    STILL_GOING,
    Access,
    Arg,
    ArgKind,
    Command,
    Flow,
    InGroup,
    Registry,
    State,
    SubCommand,
)
from bot.letters import commands as letters
from bot.network import commands as network
from bot.reports.commands import figures, records
from bot.reports.credentials import CredentialIssuer
from bot.rhythm.commands import announcements, answers, facilitation, meeting_dates, pausing

# Command.after_end of what follows a meeting by days (its attendance, the check-in about it, a
# letter from a circle that has just ended): a circle ended longer ago is not offered for it.
JUST_ENDED = timedelta(days=7)
# /announce to a circle that has finished: its learners may be told of the next round for this
# long after its last meeting (A18); with a circle still going, it asks which.
ANNOUNCE_AFTER_END = timedelta(weeks=4)

# Translators: an argument's name in a usage line: a length of time ("24h", "30m"), never a
# time of day (the TIME of "/rhythm checkin DAYS TIME" is one: 10:00).
DURATION = N_("DURATION")
# Translators: an example as typed: keep the command; translate the sub-command's word as you
# did ("bilan"), and write the time as people do in your language.
RHYTHM_CHECKIN_EXAMPLE = N_("/rhythm checkin 1 10:00")

# An on/off argument: the English words, each its own msgid (typed "activer" or "washa" too).
SWITCH = (N_("on"), N_("off"))


def build_registry(credentials: CredentialIssuer | None = None) -> Registry:
    """Every command; `credentials` (CREDENTIAL_KEY_FILE) lets /portfolio hand out signed
    credentials."""
    commands = [
        Command(
            "start",
            N_("Say hello; with a code, join a circle"),
            welcome.start,
            (Arg("code", N_("CODE"), ArgKind.REST, required=False),),
            in_group=InGroup.PRIVATELY,
            example="/start AB3CD5",
        ),
        Command(
            "help",
            N_("What I can do, or how to use one command"),
            welcome.help_,
            (Arg("command", N_("COMMAND"), required=False),),
            in_group=InGroup.SHOWN,
            example="/help rsvp",
        ),
        Command(
            "name",
            N_("Tell your circle what to call you"),
            welcome.name,
            (Arg("name", N_("NAME"), ArgKind.REST, required=False),),  # alone: asked for
            one_circle=False,
            in_group=InGroup.PRIVATELY,
            example="/name Grace Wanjiru",
        ),
        Command(
            "language",
            N_("Choose the language I write to you in"),
            welcome.language,
            (Arg("language", N_("LANGUAGE"), required=False),),
            one_circle=False,
            in_group=InGroup.PRIVATELY,
            example="/language fr",
        ),
        # A learner in an online circle from another zone sees its meetings in her own time
        # (bot/circles/own_zones.py).
        Command(
            "timezone",
            N_("Your own time zone, for the meetings of circles that meet online"),
            own_zone.timezone,
            (Arg("zone", N_("ZONE"), ArgKind.REST, required=False),),
            one_circle=False,
            in_group=InGroup.PRIVATELY,
            example="/timezone Nairobi",
        ),
        Command(
            "join",
            N_("Join a circle with its code"),
            membership.join,
            (Arg("code", N_("CODE"), ArgKind.REST),),  # people type "AB3 CD5"
            in_group=InGroup.PRIVATELY,
            example="/join AB3CD5",
        ),
        # Listed circles, found without a code (bot/circles/discovery.py); a pick comes back as
        # "#12 /find" and joins, or waits for a seat. Answered privately: joining tells the
        # venue and asks the learner's goal.
        Command(
            "find",
            N_("Find an open circle near a place, on a course or in a language, and join it"),
            finding.find,
            (Arg("what", N_("PLACE, COURSE OR LANGUAGE"), ArgKind.REST, required=False),),
            one_circle=False,
            in_group=InGroup.PRIVATELY,
            example="/find Nairobi",
        ),
        Command(
            "next",
            N_("When and where your circles meet next"),
            meeting_dates.next_,
            (),
            Access.MEMBER,
            one_circle=False,  # answers for every circle the person is in
            in_group=InGroup.SHOWN,
            example="/next",
        ),
        Command(
            "schedule",
            N_("Every meeting of your circle"),
            meeting_dates.schedule,
            (),
            Access.MEMBER,
            in_group=InGroup.SHOWN,
            after_end=STILL_GOING,
            example="/schedule",
        ),
        Command(
            "leave",
            N_("Leave your circle, or a waiting list"),
            membership.leave,
            # Why, if they say ("/ondoka python, ni usiku sana kwangu"): passed on (B38).
            (Arg("reason", N_("REASON"), ArgKind.REST, required=False),),
            Access.MEMBER,
            in_group=InGroup.PRIVATELY,
            # With one circle running and others over, it is that one (C21).
            after_end=STILL_GOING,
            example="/leave",
            # Someone only waiting for a seat comes off the waiting list (asked first).
            no_circle=functools.partial(seating.leave_line, flow=membership.LEAVE_FLOW),
        ),
        Command(
            "default",
            N_("Choose which of your circles commands are about when you don't say"),
            membership.default,
            (Arg("circle", N_("CIRCLE"), ArgKind.REST, required=False),),
            Access.MEMBER,
            one_circle=False,  # it is the choice of circle itself
            in_group=InGroup.PRIVATELY,
            example="/default Python for Everyone",
            subcommands=(
                SubCommand(
                    "off",
                    membership.DEFAULT_OFF,
                    N_("Ask me which circle each time again"),
                    example="/default off",
                ),
            ),
        ),
        Command(
            "rsvp",
            N_("Say whether you'll come to the next meeting"),
            answers.rsvp,
            (
                Arg("answer", answers.ANSWER),
                # A meeting's number or its date ("/rsvp no 8 décembre"): answers.rsvp reads it.
                Arg("meeting", N_("MEETING"), ArgKind.REST, required=False),
            ),
            Access.MEMBER,
            in_group=InGroup.SHOWN,
            # Translators: an example as typed: keep the command; translate its words.
            after_end=STILL_GOING,
            example=N_("/rsvp yes 3"),
        ),
        Command(
            "here",
            N_("Say you're at the meeting"),
            answers.here,
            (),
            Access.MEMBER,
            in_group=InGroup.SHOWN,
            after_end=STILL_GOING,
            example="/here",
        ),
        Command(
            "checkin",
            N_(
                "Tell us how this week went; /checkin off pauses the weekly questions, on "
                "brings them back"
            ),
            pausing.checkin,
            # Off and on: the weekly questions paused in this circle, reminders kept (pauses.py).
            (Arg("switch", N_("ON|OFF"), ArgKind.CHOICE, required=False, choices=SWITCH),),
            Access.MEMBER,
            in_group=InGroup.PRIVATELY,
            after_end=JUST_ENDED,
            example="/checkin",
        ),
        # A goal changed any time (sms 16: by SMS there was no way): "GOAL learn Excel" in one
        # text, or GOAL alone and the goal question.
        Command(
            "goal",
            N_("See or change your goal for your circle"),
            answers.goal,
            (Arg("goal", N_("GOAL"), ArgKind.REST, required=False),),
            Access.MEMBER,
            in_group=InGroup.PRIVATELY,
            # A goal is for a circle going on: a finished one is not offered beside it (walk
            # smses 19: META asked which circle, the one ended too, for a paid SMS more).
            after_end=STILL_GOING,
            # Translators: an example as typed: keep the command; the goal in your language.
            example=N_("/goal keep my shop's accounts in a spreadsheet"),
        ),
        Command(
            "reflect",
            N_("A question to think about, for your portfolio"),
            answers.reflect,
            (),
            Access.MEMBER,
            in_group=InGroup.PRIVATELY,
            example="/reflect",
        ),
        Command(
            "sharing",
            N_("Whether your facilitator may read what you write in check-ins"),
            answers.sharing,
            (Arg("switch", N_("ON|OFF"), required=False),),
            Access.MEMBER,
            in_group=InGroup.PRIVATELY,
            example="/sharing off",
            subcommands=(
                SubCommand(
                    "on",
                    answers.SHARING["on"],
                    N_("Let your facilitator read your written answers"),
                    example="/sharing on",
                ),
                SubCommand(
                    "off",
                    answers.SHARING["off"],
                    N_("Keep your written answers between you and me"),
                    example="/sharing off",
                ),
            ),
        ),
        Command(
            "skip",
            N_("Skip the question I asked"),
            answers.skip,
            in_group=InGroup.PRIVATELY,
            example="/skip",
        ),
        Command(
            "portfolio",
            N_("Everything you wrote, as a file to keep"),
            functools.partial(records.portfolio_, issuer=credentials),
            one_circle=False,
            in_group=InGroup.PRIVATELY,
            example="/portfolio",
            files=True,
        ),
        Command(
            "letter",
            N_("Write a letter of encouragement to a circle starting somewhere else"),
            letters.letter,
            (Arg("withdraw", N_("WITHDRAW"), required=False),),
            Access.MEMBER,
            in_group=InGroup.PRIVATELY,
            after_end=JUST_ENDED,
            example="/letter",
        ),
        Command(
            "courses",
            N_("Courses ranked by how past circles went, or those on one topic"),
            network.courses_,
            (Arg("topic", N_("TOPIC"), ArgKind.REST, required=False),),
            one_circle=False,
            in_group=InGroup.SHOWN,
            example="/courses python",
        ),
        Command(
            "survey",
            N_("A few questions about your circle's course, once it has ended"),
            network.survey_,
            (Arg("answer", N_("ANSWER"), ArgKind.REST, required=False),),
            Access.MEMBER,
            in_group=InGroup.PRIVATELY,
            example="/survey",
        ),
        Command(
            "share",
            N_("Keep a useful link for the next circles taking your course"),
            network.share,
            (Arg("link", N_("LINK [NOTE]"), ArgKind.REST, required=False),),
            Access.MEMBER,
            in_group=InGroup.PRIVATELY,
            # Translators: an example as typed: keep the command; translate its words.
            example=N_("/share https://www.py4e.com/lessons Chapter 3 explained slowly"),
            subcommands=(
                SubCommand(
                    "approve",
                    network.APPROVE,
                    N_("Keep a link a learner shared for the next circles"),
                    (Arg("number", N_("NUMBER")),),
                    Access.FACILITATOR,
                    example="/share approve 3",
                ),
                SubCommand(
                    "reject",
                    network.REJECT,
                    N_("Don't keep a link a learner shared"),
                    (Arg("number", N_("NUMBER")),),
                    Access.FACILITATOR,
                    example="/share reject 3",
                ),
            ),
        ),
        Command(
            "thanks",
            N_("Thank the author of a letter your circle received"),
            letters.thanks,
            (
                # Alone, /thanks lists the letters there are to thank (letters.thanks). Its
                # numbers, or words for the writer ("/thanks tusind tak Søren!", D35).
                Arg("letter", N_("LETTER"), ArgKind.REST, required=False),
                # More letters, each thanked too (a first meeting's letters: see letters.thanks).
                Arg("more", N_("LETTER ..."), ArgKind.REST, required=False),
            ),
            Access.MEMBER,
            one_circle=False,
            in_group=InGroup.PRIVATELY,
            example="/thanks 12",
        ),
        Command(
            "letters",
            N_("Letters to approve and letters received; /letters off or on"),
            letters.letters_,
            (Arg("action", N_("ACTION"), ArgKind.REST, required=False),),
            one_circle=False,
            in_group=InGroup.PRIVATELY,
            example="/letters approve 12",
            subcommands=(
                SubCommand(
                    "approve",
                    N_("approve"),
                    N_("Approve a letter: it travels to a circle meeting for the first time"),
                    (Arg("letter", N_("NUMBER"), ArgKind.NUMBER),),
                    example="/letters approve 12",
                    handler=letters.letters_approve,
                ),
                SubCommand(
                    "reject",
                    N_("reject"),
                    N_("Send a letter back to its author, with a reason"),
                    (
                        Arg("letter", N_("NUMBER"), ArgKind.NUMBER),
                        Arg("reason", N_("REASON"), ArgKind.REST, required=False),
                    ),
                    example="/letters reject 12 It names a street",
                    handler=letters.letters_reject,
                ),
                SubCommand(
                    "on",
                    N_("on"),
                    N_("Your circle receives letters before its first meeting"),
                    example="/letters on",
                    handler=letters.letters_on,
                ),
                SubCommand(
                    "off",
                    N_("off"),
                    N_("Your circle receives no letters"),
                    example="/letters off",
                    handler=letters.letters_off,
                ),
            ),
        ),
        Command(
            "link",
            N_("Use me from another app or phone as the same person"),
            linking.link,
            # REST: "/link CODE no" is the Yes/No a facilitator's /movenumber texts (new_number.py).
            (Arg("code", N_("CODE"), ArgKind.REST, required=False),),
            one_circle=False,
            in_group=InGroup.REFUSED,
            example="/link AB3CD5",
        ),
        Command(
            "unlink",
            N_("Detach one of your linked accounts"),
            linking.unlink,
            (Arg("platform", N_("PLATFORM")),),
            one_circle=False,
            in_group=InGroup.PRIVATELY,
            example="/unlink sms",
        ),
        # A new SIM: the record moves to the new number, confirmed from there (new_number.py).
        Command(
            "newnumber",
            N_("Got a new phone number? Move your circles and answers to it"),
            new_number.newnumber,
            (Arg("number", N_("NUMBER"), ArgKind.REST),),
            one_circle=False,
            in_group=InGroup.REFUSED,  # a phone number is not for a group to read
            example="/newnumber +254712345678",
        ),
        Command(
            "prefer",
            N_("Choose where reminders and check-ins reach you"),
            linking.prefer,
            (Arg("platform", N_("PLATFORM")),),
            one_circle=False,
            in_group=InGroup.PRIVATELY,
            example="/prefer telegram",
        ),
        Command(
            "forget",
            N_("Delete everything I know about you"),
            records.forget,
            one_circle=False,
            in_group=InGroup.PRIVATELY,
            example="/forget",
        ),
        Command(
            "newcircle",
            N_("Start a new circle (I'll ask for the details)"),
            newcircle.start,
            (Arg("details", N_("DETAILS"), ArgKind.REST, required=False),),
            in_group=InGroup.PRIVATELY,
            example="/newcircle",
        ),
        Command(
            "invite",
            N_("The join code to share with learners"),
            facilitation.invite,
            (),
            Access.FACILITATOR,
            in_group=InGroup.PRIVATELY,
            after_end=STILL_GOING,
            example="/invite",
        ),
        Command(
            "roster",
            N_("Who is in your circle"),
            facilitation.roster,
            (),
            Access.FACILITATOR,
            in_group=InGroup.PRIVATELY,
            example="/roster",
        ),
        Command(
            "attendance",
            N_("Tick who came to a meeting"),
            facilitation.attendance,
            (
                Arg("meeting", N_("MEETING"), ArgKind.MEETING, required=False),
                # Who came, by name or number, ticked at once: "/attendance 2 Tom Rosa".
                Arg("who", N_("NAMES"), ArgKind.REST, required=False),
            ),
            Access.FACILITATOR,
            in_group=InGroup.PRIVATELY,
            after_end=JUST_ENDED,
            example="/attendance 2",
        ),
        Command(
            "announce",
            N_("Send a message to everyone in your circle"),
            announcements.announce,
            (Arg("message", N_("MESSAGE"), ArgKind.REST, required=False),),
            Access.FACILITATOR,
            in_group=InGroup.SHOWN,
            # Not to a circle that ended long ago, /default or not (D64), while one goes on;
            # to one that ended lately, asked which (router.ASK_WITH_A_FINISHED_ONE).
            after_end=ANNOUNCE_AFTER_END,
            # Translators: an example as typed: keep the command; translate its words.
            example=N_("/announce We meet in room B this week."),
        ),
        Command(
            "reply",
            N_("Answer a learner's message by its number, or write to one learner by name"),
            announcements.reply,
            (
                # A message's number, or a learner's name (announcements.reply).
                Arg("number", N_("NUMBER"), ArgKind.WORD),
                Arg("answer", N_("ANSWER"), ArgKind.REST, required=False),
            ),
            Access.FACILITATOR,
            # Its number names the circle (numbers are unique across a facilitator's circles).
            one_circle=False,
            in_group=InGroup.PRIVATELY,  # a learner's words, and the answer to them
            # Translators: an example as typed: keep the command; translate its words.
            example=N_("/reply 3 Yes, there's parking behind the library."),
        ),
        # The learners' messages no facilitator has answered yet, beside /reply that answers.
        Command(
            "inbox",
            N_("The learners' messages still waiting for your answer"),
            announcements.inbox,
            (),
            Access.FACILITATOR,
            one_circle=False,  # every circle they help run, each message with its number
            in_group=InGroup.PRIVATELY,  # learners' words
            example="/inbox",
        ),
        Command(
            "linkchat",
            N_("Link this group chat to your circle"),
            announcements.linkchat,
            (),
            Access.FACILITATOR,
            in_group=InGroup.ONLY,
            example="/linkchat",
        ),
        Command(
            "unlinkchat",
            N_("Unlink this group chat from your circle"),
            announcements.unlinkchat,
            (),
            Access.FACILITATOR,
            in_group=InGroup.ONLY,
            example="/unlinkchat",
        ),
        Command(
            "digest",
            N_("How your circle is doing: RSVPs, check-ins, who's gone quiet"),
            facilitation.digest,
            (),
            Access.FACILITATOR,
            in_group=InGroup.PRIVATELY,
            after_end=JUST_ENDED,  # a circle long finished has its /report instead
            example="/digest",
        ),
        Command(
            "reminders",
            N_("See or change when reminders go out, e.g. /reminders 24h 1h, or off"),
            facilitation.reminders,
            (Arg("times", N_("TIMES"), ArgKind.REST, required=False),),
            Access.FACILITATOR,
            in_group=InGroup.SHOWN,
            after_end=STILL_GOING,
            example="/reminders 24h 1h",
        ),
        Command(
            "reschedule",
            N_("Move one meeting to a new date and time"),
            facilitation.reschedule,
            # Without a time, the meeting's own ("/reschedule 4 march 24"); without a date,
            # its own day ("/reschedule 4 7pm").
            (
                Arg("meeting", N_("MEETING"), ArgKind.MEETING),
                Arg("date", N_("DATE"), ArgKind.DATE, required=False),
                Arg("time", N_("TIME"), ArgKind.TIME, required=False),
            ),
            Access.FACILITATOR,
            in_group=InGroup.SHOWN,
            # Translators: an example as typed: keep the command; translate the weekday, and
            # write the time as people do in your language. A weekday is never in the past.
            after_end=STILL_GOING,
            example=N_("/reschedule 3 wednesday 18:30"),
        ),
        Command(
            "cancel",
            N_("Cancel one meeting (the others keep their numbers)"),
            facilitation.cancel,
            (
                Arg("meeting", N_("MEETING"), ArgKind.MEETING),
                # Why, told to the learners with it: "/cancel 4 snow day" (A36).
                Arg("reason", N_("REASON"), ArgKind.REST, required=False),
            ),
            Access.FACILITATOR,
            in_group=InGroup.SHOWN,
            after_end=STILL_GOING,
            example="/cancel 4",
        ),
        Command(
            "rhythm",
            N_("See the weekly rhythm; change when check-ins and your digest go out"),
            facilitation.rhythm,
            (Arg("setting", N_("SETTING"), ArgKind.REST, required=False),),
            Access.FACILITATOR,
            in_group=InGroup.SHOWN,
            after_end=STILL_GOING,
            example=RHYTHM_CHECKIN_EXAMPLE,
            subcommands=(
                SubCommand(
                    "checkin",
                    N_("checkin"),
                    N_("When the check-in goes out: days after each meeting, and the time"),
                    (
                        Arg("days", N_("DAYS"), ArgKind.NUMBER),
                        # REST: "2 days 7pm" names the days' unit too (facilitation.rhythm_checkin).
                        Arg("time", N_("TIME"), ArgKind.REST),
                    ),
                    Access.FACILITATOR,
                    example=RHYTHM_CHECKIN_EXAMPLE,
                    handler=facilitation.rhythm_checkin,
                ),
                SubCommand(
                    "digest",
                    N_("digest"),
                    N_("How long before each meeting your digest comes"),
                    # REST: "2 days", "48 hours", as /reminders reads them.
                    (Arg("before", DURATION, ArgKind.REST),),
                    Access.FACILITATOR,
                    # Translators: an example as typed: keep the command; translate the
                    # sub-command's word as you did, and write the hours as people do in your
                    # language ("24 Std.", "24 t", "saa 24").
                    example=N_("/rhythm digest 24h"),
                    handler=facilitation.rhythm_digest,
                ),
                SubCommand(
                    "letters",
                    N_("letters"),
                    N_("Letters for your first meeting, and when the invitation to write comes"),
                    (
                        Arg("count", N_("COUNT"), ArgKind.NUMBER),
                        Arg("into", DURATION, ArgKind.REST),
                    ),
                    Access.FACILITATOR,
                    # Translators: an example as typed: keep the command; translate the
                    # sub-command's word as you did, and write the minutes as people do in your
                    # language ("30 Min.", "dakika 30").
                    example=N_("/rhythm letters 3 30m"),
                    handler=facilitation.rhythm_letters,
                ),
            ),
        ),
        Command(
            "report",
            N_("Your circle in numbers and a chart: attendance, RSVPs, check-ins, letters"),
            figures.report,
            (),
            Access.FACILITATOR,
            in_group=InGroup.PRIVATELY,
            example="/report",
        ),
        Command(
            "export",
            N_("Your circle's roster, attendance and check-ins as spreadsheet files"),
            figures.export,
            (),
            Access.FACILITATOR,
            in_group=InGroup.PRIVATELY,
            example="/export",
            files=True,
        ),
        Command(
            "calendar",
            N_("Every meeting of your circle as a file for your calendar app"),
            figures.calendar,
            (),
            Access.MEMBER,
            in_group=InGroup.SHOWN,
            after_end=STILL_GOING,
            example="/calendar",
            files=True,
        ),
        Command(
            "team",
            N_(
                "Organizers: several circles at a glance. /team new NAME, /team add CODE "
                "(facilitators), /team weekly on|off"
            ),
            figures.team,
            (Arg("action", N_("ACTION"), ArgKind.REST, required=False),),
            one_circle=False,  # /team add and /team leave ask which circle themselves
            in_group=InGroup.PRIVATELY,
            example="/team",
            subcommands=(
                SubCommand(
                    "new",
                    N_("new"),
                    N_("Start a team and become its organizer"),
                    (Arg("name", N_("NAME"), ArgKind.REST),),
                    example="/team new Nairobi Libraries",
                    handler=figures.team_new,
                ),
                # Adding a circle to a team, or taking it out, decides who sees its figures:
                # the circle's facilitator's call, not a co-facilitator's (README, Teams).
                SubCommand(
                    "add",
                    N_("add"),
                    N_("Add your circle to a team with the team's code"),
                    (Arg("code", N_("CODE")),),
                    Access.LEAD,
                    example="/team add TK4ZP9",
                    handler=figures.team_add,
                ),
                SubCommand(
                    "leave",
                    N_("leave"),
                    N_("Take your circle out of its team"),
                    (),
                    Access.LEAD,
                    example="/team leave",
                    handler=figures.team_leave,
                ),
                SubCommand(
                    "weekly",
                    N_("weekly"),
                    N_("Organizers: the team's figures every Monday"),
                    (Arg("switch", N_("ON|OFF"), ArgKind.CHOICE, choices=SWITCH),),
                    example="/team weekly on",
                    handler=figures.team_weekly,
                ),
            ),
        ),
        Command(
            "cofacilitator",
            N_("Make a learner a co-facilitator"),
            roles.cofacilitator,
            (Arg("name", N_("NAME"), ArgKind.REST),),
            Access.LEAD,
            in_group=InGroup.PRIVATELY,
            # Of a running circle and a finished one, the running one (walkthrough 8, mix 17).
            after_end=STILL_GOING,
            example="/cofacilitator Grace",
            subcommands=(
                SubCommand(
                    "add",
                    N_("add"),
                    N_("Make a learner a co-facilitator"),
                    (Arg("name", N_("NAME"), ArgKind.REST),),
                    example="/cofacilitator add Grace",
                ),
                SubCommand(
                    "remove",
                    N_("remove"),
                    N_("Make a co-facilitator a learner again"),
                    (Arg("name", N_("NAME"), ArgKind.REST),),
                    example="/cofacilitator remove Grace",
                ),
            ),
        ),
        # A circle's life after /newcircle (bot/circles/editing.py). Co-facilitators may
        # change its details and calendar; ending it, deleting it or handing it over is the
        # facilitator's call.
        Command(
            "edit",
            N_(
                "Change your circle's name, course, venue or link, city, country, time zone, "
                "or its number of meetings"
            ),
            circle_editing.edit,
            (Arg("change", N_("CHANGE"), ArgKind.REST, required=False),),
            Access.FACILITATOR,
            in_group=InGroup.SHOWN,
            after_end=STILL_GOING,
            example="/edit venue Main Library, Room 2",
            subcommands=(
                SubCommand(
                    "name",
                    N_("name"),
                    N_("A new name for your circle"),
                    (Arg("name", N_("NAME"), ArgKind.REST),),
                    example="/edit name Python Evenings",
                ),
                SubCommand(
                    "course",
                    N_("course"),
                    N_("The course you take together, and its web address"),
                    (
                        Arg("title", N_("TITLE"), ArgKind.REST),
                        Arg("link", N_("LINK"), required=False),
                    ),
                    example="/edit course Python for Everybody https://www.py4e.com",
                ),
                SubCommand(
                    "venue",
                    N_("venue"),
                    N_("Where every meeting still to come is held, or with a number, one meeting"),
                    (
                        Arg("meeting", N_("MEETING"), ArgKind.MEETING, required=False),
                        Arg("venue", N_("VENUE"), ArgKind.REST),
                    ),
                    example="/edit venue 3 Room B",
                ),
                SubCommand(
                    "link",
                    N_("link"),
                    N_("Meet online: the meeting link instead of a venue"),
                    (Arg("link", N_("LINK")),),
                    example="/edit link https://meet.jit.si/python-evenings",
                ),
                SubCommand(
                    "dialin",
                    N_("dialin"),
                    N_("A phone number to join your online meetings by, or none"),
                    (Arg("number", N_("NUMBER"), ArgKind.REST),),
                    example="/edit dialin +1 646 558 8656",
                ),
                SubCommand(
                    "city",
                    N_("city"),
                    N_("The city or town it meets in, as notices and letters name it"),
                    (Arg("city", N_("CITY"), ArgKind.REST),),
                    example="/edit city Detroit",
                ),
                SubCommand(
                    "country",
                    N_("country"),
                    N_("Its country, as two letters or its name"),
                    (Arg("country", N_("COUNTRY")),),
                    example="/edit country US",
                ),
                SubCommand(
                    "zone",
                    N_("zone"),
                    N_("Its time zone: meetings to come keep their local time"),
                    (Arg("zone", N_("ZONE"), ArgKind.REST),),
                    example="/edit zone America/Detroit",
                ),
                SubCommand(
                    "meetings",
                    N_("meetings"),
                    N_("How many meetings: more are added weekly at the end, or the last removed"),
                    (Arg("count", N_("COUNT"), ArgKind.NUMBER),),
                    example="/edit meetings 8",
                ),
                SubCommand(
                    "time",
                    N_("time"),
                    N_("A new time for every meeting still to come"),
                    (Arg("time", N_("TIME"), ArgKind.REST),),
                    example="/edit time 18:30",
                ),
                SubCommand(
                    "weekday",
                    N_("weekday"),
                    N_("A new weekday for every meeting still to come, each in its own week"),
                    (Arg("weekday", N_("WEEKDAY"), ArgKind.REST),),
                    example="/edit weekday wednesday",
                ),
                SubCommand(
                    "language",
                    N_("language"),
                    N_("The language it speaks: its invitation, reminders and SMS words"),
                    (Arg("language", N_("LANGUAGE"), ArgKind.REST),),
                    example="/edit language sw",
                ),
            ),
        ),
        Command(
            "listing",
            N_("Whether /find shows your circle, how many learners it takes, sign-ups until when"),
            finding.listing,
            (Arg("change", N_("CHANGE"), ArgKind.REST, required=False),),
            Access.FACILITATOR,
            in_group=InGroup.SHOWN,
            after_end=STILL_GOING,
            example="/listing capacity 12",
            subcommands=(
                SubCommand(
                    "on",
                    N_("on"),
                    N_("List your circle: /find shows it, anyone can join without the code"),
                    example="/listing on",
                ),
                SubCommand(
                    "off",
                    N_("off"),
                    N_("Keep your circle private: joined only with its code"),
                    example="/listing off",
                ),
                SubCommand(
                    "capacity",
                    N_("capacity"),
                    N_("How many learners it takes (or off): past that, they wait for a seat"),
                    (Arg("seats", N_("SEATS")),),
                    example="/listing capacity 12",
                ),
                SubCommand(
                    "deadline",
                    N_("deadline"),
                    N_("The last day /find offers it (or off)"),
                    (Arg("date", N_("DATE")),),
                    example="/listing deadline 2027-01-14",
                ),
            ),
        ),
        Command(
            "uncancel",
            N_("Bring back a cancelled meeting"),
            facilitation.uncancel,
            (Arg("meeting", N_("MEETING"), ArgKind.MEETING),),
            Access.FACILITATOR,
            in_group=InGroup.SHOWN,
            after_end=STILL_GOING,
            example="/uncancel 4",
        ),
        Command(
            "addmeeting",
            N_("Add a meeting after the last one"),
            facilitation.addmeeting,
            # Without a time, the circle's usual one: "/addmeeting feb 4".
            (
                Arg("date", N_("DATE"), ArgKind.DATE),
                Arg("time", N_("TIME"), ArgKind.TIME, required=False),
            ),
            Access.FACILITATOR,
            in_group=InGroup.SHOWN,
            after_end=STILL_GOING,
            # Translators: an example as typed: keep the command; write the date as people do
            # in your language (a day and month, never in the past), and the time likewise.
            example=N_("/addmeeting february 4 6pm"),
        ),
        Command(
            "skipweek",
            N_("Skip a week: a meeting and every one after it move a week later"),
            facilitation.skipweek,
            # "/skipweek 3 2": from meeting 3, two weeks (a library closed for a fortnight).
            (
                Arg("meeting", N_("MEETING"), ArgKind.MEETING),
                Arg("weeks", N_("WEEKS"), ArgKind.REST, required=False),
            ),
            Access.FACILITATOR,
            in_group=InGroup.SHOWN,
            after_end=STILL_GOING,
            example="/skipweek 3 2",
        ),
        Command(
            "close",
            N_("End your circle now: no more meetings, and everyone gets its close-out"),
            facilitation.close,
            # Words naming none of their circles are why, passed on to learners (A16).
            (Arg("reason", N_("REASON"), ArgKind.REST, required=False),),
            Access.LEAD,
            in_group=InGroup.PRIVATELY,
            after_end=STILL_GOING,
            names_circle=True,
            example="/close",
        ),
        Command(
            "delete",
            N_("Delete a circle that hasn't met yet"),
            facilitation.delete,
            (Arg("circle", N_("CIRCLE"), ArgKind.REST, required=False),),
            Access.LEAD,
            in_group=InGroup.PRIVATELY,
            after_end=STILL_GOING,
            names_circle=True,
            example="/delete",
        ),
        Command(
            "handover",
            N_("Hand your circle over to a co-facilitator; you co-facilitate it or step out"),
            roles.handover,
            (Arg("name", N_("NAME"), ArgKind.REST),),
            Access.LEAD,
            in_group=InGroup.PRIVATELY,
            after_end=STILL_GOING,
            example="/handover Chen",
        ),
        # Back after "step out for now" (/handover): she co-facilitates the circle again.
        Command(
            "stepin",
            N_("Step back into a circle you stepped out of, as co-facilitator"),
            roles.stepin,
            in_group=InGroup.PRIVATELY,
            example="/stepin",
        ),
        # A learner who lost her old phone: the facilitator moves her to her new number (asked
        # first; she is told there, and nobody is shown her old number).
        Command(
            new_number.MOVE,
            N_("Move a learner to their new phone number (they're told there)"),
            new_number.movenumber,
            (Arg("who", N_("NAME NUMBER"), ArgKind.REST),),
            Access.FACILITATOR,
            in_group=InGroup.PRIVATELY,
            example="/movenumber Mercy +254712345678",
        ),
        # A learner taken off by mistake, or welcome again: their join code works again.
        Command(
            "letback",
            N_("Let a learner you took off join your circle again"),
            membership.letback,
            (Arg("name", N_("NAME"), ArgKind.REST),),
            Access.FACILITATOR,
            in_group=InGroup.PRIVATELY,
            example="/letback Chen",
        ),
        Command(
            roles.REMOVE,
            N_("Take a learner off your circle (they're told, no one else)"),
            roles.remove,
            (Arg("name", N_("NAME"), ArgKind.REST),),
            Access.FACILITATOR,
            in_group=InGroup.PRIVATELY,
            example="/remove Chen",
        ),
    ]
    return Registry(
        commands,
        flows=[
            Flow(newcircle.FLOW, entry="newcircle", states=newcircle.STATES),
            Flow(
                facilitation.ATTENDANCE_FLOW,
                facilitation.attendance_answer,
                Access.FACILITATOR,
                entry="attendance",
            ),
            Flow(
                facilitation.CANCEL_FLOW,
                facilitation.cancel_answer,
                Access.FACILITATOR,
                entry="cancel",
                timeout=CONFIRMATION_TIMEOUT,
            ),
            Flow(
                facilitation.ADD_FLOW,
                facilitation.addmeeting_answer,
                Access.FACILITATOR,
                entry="addmeeting",
                timeout=CONFIRMATION_TIMEOUT,
            ),
            Flow(
                facilitation.SKIPWEEK_FLOW,
                facilitation.skipweek_answer,
                Access.FACILITATOR,
                entry="skipweek",
                timeout=CONFIRMATION_TIMEOUT,
            ),
            Flow(
                facilitation.CLOSE_FLOW,
                facilitation.close_answer,
                Access.LEAD,
                entry="close",
                timeout=CONFIRMATION_TIMEOUT,
            ),
            Flow(
                facilitation.DELETE_FLOW,
                facilitation.delete_answer,
                Access.LEAD,
                entry="delete",
                timeout=CONFIRMATION_TIMEOUT,
            ),
            Flow(
                roles.HANDOVER_FLOW,
                roles.handover_answer,
                Access.LEAD,
                entry="handover",
                timeout=CONFIRMATION_TIMEOUT,
            ),
            Flow(
                roles.REMOVE_FLOW,
                roles.remove_answer,
                Access.FACILITATOR,
                entry=roles.REMOVE,
                timeout=CONFIRMATION_TIMEOUT,
            ),
            Flow(
                roles.STEP_DOWN_FLOW,
                roles.step_down_answer,
                Access.LEAD,
                entry=roles.COFACILITATOR,
                timeout=CONFIRMATION_TIMEOUT,
            ),
            Flow(
                new_number.MOVE_FLOW,
                new_number.move_answer,
                Access.FACILITATOR,
                entry=new_number.MOVE,
                timeout=CONFIRMATION_TIMEOUT,
            ),
            Flow(
                records.FORGET_FLOW,
                records.forget_answer,
                entry="forget",
                timeout=CONFIRMATION_TIMEOUT,
            ),
            Flow(
                letters.FLOW,
                access=Access.MEMBER,
                entry="letter",
                states=(
                    State(letters.WRITING, letters.letter_text, skip=letters.letter_text),
                    State(letters.SIGNING, letters.letter_signature, skip=letters.letter_signature),
                    # Contact details in it: taken out, kept, or the letter sent again.
                    State(letters.CONTACT, letters.contact_answer, skip=letters.contact_answer),
                    # Words sent back to the invitation: are they the letter?
                    State(
                        letters.CONFIRMING, answers.letter_confirmed, skip=answers.letter_confirmed
                    ),
                ),
            ),
            Flow(
                letters.REASON_FLOW,
                access=Access.ANYONE,  # reviewers and moderators: the letter's own check, each step
                entry="letters",
                states=(
                    State(letters.REASON, letters.rejection_reason, skip=letters.rejection_reason),
                    # The rejection shown as its author will read it: sent once confirmed.
                    State(
                        letters.REJECTING, letters.rejection_confirmed, skip=letters.keep_waiting
                    ),
                ),
            ),
            Flow(network.TIP_FLOW, network.tip_answer, Access.MEMBER, skip=network.tip_answer),
            Flow(
                membership.LEAVE_FLOW,
                membership.leave_answer,
                Access.MEMBER,
                entry="leave",
                timeout=CONFIRMATION_TIMEOUT,
            ),
            Flow(
                circle_editing.VENUE_FLOW,
                circle_editing.venue_answer,
                Access.FACILITATOR,
                entry="edit",
                timeout=CONFIRMATION_TIMEOUT,
            ),
            Flow(
                circle_editing.LANGUAGE_FLOW,
                circle_editing.language_answer,
                Access.FACILITATOR,
                entry="edit",
                timeout=CONFIRMATION_TIMEOUT,
            ),
            Flow(
                circle_editing.TIMES_FLOW,
                circle_editing.times_answer,
                Access.FACILITATOR,
                entry="edit",
                timeout=CONFIRMATION_TIMEOUT,
            ),
            Flow(
                circle_editing.MEETINGS_FLOW,
                circle_editing.meetings_answer,
                Access.FACILITATOR,
                entry="edit",
                timeout=CONFIRMATION_TIMEOUT,
            ),
            Flow(
                announcements.ANNOUNCE_FLOW,
                announcements.announce_answer,
                Access.FACILITATOR,
                entry="announce",
                timeout=CONFIRMATION_TIMEOUT,
            ),
            Flow(
                welcome.NAME_FLOW,
                welcome.name_answer,
                entry="name",
                timeout=CONFIRMATION_TIMEOUT,
                skip=welcome.name_skipped,
            ),
            Flow(
                announcements.ANNOUNCE_TEXT_FLOW,
                announcements.announce_text,
                Access.FACILITATOR,
                entry="announce",
                timeout=CONFIRMATION_TIMEOUT,
            ),
            Flow(
                announcements.REPLY_FLOW,
                announcements.reply_answer,
                Access.FACILITATOR,
                entry="reply",
                skip=announcements.reply_answer,  # nothing sent after all
            ),
            # A private learner's words offered to the facilitators ("Reply 1 for Yes, pass it
            # on"); any other message lets the offer go (router).
            Flow(
                answers.PASS_ON_FLOW,
                answers.pass_on_answer,
                Access.MEMBER,
                timeout=CONFIRMATION_TIMEOUT,
                skip=answers.pass_on_answer,  # kept private
            ),
            # Words for the facilitators naming none of a learner's circles: which one (D4)?
            Flow(
                plain_text.WHICH_CIRCLE_FLOW,
                plain_text.which_circle_answer,
                Access.MEMBER,
                timeout=CONFIRMATION_TIMEOUT,
                skip=plain_text.words_kept_back,
            ),
            # A reflection that looks like a message for the facilitators: which is it?
            Flow(
                answers.MESSAGE_OR_ANSWER_FLOW,
                answers.message_or_answer,
                Access.MEMBER,
                timeout=CONFIRMATION_TIMEOUT,
            ),
        ],
    )
