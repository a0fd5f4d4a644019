"""The table of commands and their handlers: the one place commands are declared."""

from __future__ import annotations

from bot.chat.i18n import N_
from bot.circles.commands import linking, membership, newcircle, welcome
from bot.dialogue.registry import Access, Arg, ArgKind, Command, Registry
from bot.letters import commands as letters
from bot.reports.commands import figures, records
from bot.rhythm.commands import announcements, answers, facilitation


def build_registry() -> Registry:
    commands = [
        Command(
            "start",
            N_("Say hello; with a code, join a circle"),
            welcome.start,
            (Arg(N_("CODE"), ArgKind.REST, required=False),),
        ),
        Command(
            "help",
            N_("What I can do, or how to use one command"),
            welcome.help_,
            (Arg(N_("COMMAND"), required=False),),
        ),
        Command(
            "name",
            N_("Tell your circle what to call you"),
            welcome.name,
            (Arg(N_("NAME"), ArgKind.REST),),
            one_circle=False,
        ),
        Command(
            "language",
            N_("Choose the language I write to you in"),
            welcome.language,
            (Arg(N_("LANGUAGE"), required=False),),
            one_circle=False,
        ),
        Command(
            "join",
            N_("Join a circle with its code"),
            membership.join,
            (Arg(N_("CODE"), ArgKind.REST),),  # people type "AB3 CD5"
        ),
        Command(
            "next",
            N_("When and where your circles meet next"),
            membership.next_,
            (),
            Access.MEMBER,
            one_circle=False,  # answers for every circle the person is in
        ),
        Command(
            "schedule", N_("Every meeting of your circle"), membership.schedule, (), Access.MEMBER
        ),
        Command("leave", N_("Leave your circle"), membership.leave, (), Access.MEMBER),
        Command(
            "rsvp",
            N_("Say whether you'll come to the next meeting"),
            answers.rsvp,
            (Arg(answers.ANSWER), Arg(N_("MEETING"), ArgKind.NUMBER, required=False)),
            Access.MEMBER,
        ),
        Command("here", N_("Say you're at the meeting"), answers.here, (), Access.MEMBER),
        Command("checkin", N_("Tell us how this week went"), answers.checkin, (), Access.MEMBER),
        Command(
            "reflect",
            N_("A question to think about, for your portfolio"),
            answers.reflect,
            (),
            Access.MEMBER,
        ),
        Command("skip", N_("Skip the question I asked"), answers.skip),
        Command(
            "portfolio",
            N_("Everything you wrote, as a file to keep"),
            records.portfolio_,
            one_circle=False,
        ),
        Command(
            "letter",
            N_("Write a letter of encouragement to a circle starting somewhere else"),
            letters.letter,
            (Arg(N_("WITHDRAW"), required=False),),
            Access.MEMBER,
        ),
        Command(
            "thanks",
            N_("Thank the author of a letter your circle received"),
            letters.thanks,
            (Arg(N_("LETTER"), ArgKind.NUMBER),),
            Access.MEMBER,
            one_circle=False,
        ),
        Command(
            "letters",
            N_("Letters to approve and letters received; /letters off or on"),
            letters.letters_,
            (Arg(N_("ACTION"), ArgKind.REST, required=False),),
            one_circle=False,
        ),
        Command(
            "link",
            N_("Use me from another app or phone as the same person"),
            linking.link,
            (Arg(N_("CODE"), required=False),),
            one_circle=False,
        ),
        Command(
            "unlink",
            N_("Detach one of your linked accounts"),
            linking.unlink,
            (Arg(N_("PLATFORM")),),
            one_circle=False,
        ),
        Command(
            "prefer",
            N_("Choose where reminders and check-ins reach you"),
            linking.prefer,
            (Arg(N_("PLATFORM")),),
            one_circle=False,
        ),
        Command(
            "forget", N_("Delete everything I know about you"), records.forget, one_circle=False
        ),
        Command(
            "newcircle",
            N_("Start a new circle (I'll ask for the details)"),
            newcircle.start,
            (Arg(N_("DETAILS"), ArgKind.REST, required=False),),
        ),
        Command(
            "invite",
            N_("The join code to share with learners"),
            facilitation.invite,
            (),
            Access.FACILITATOR,
        ),
        Command("roster", N_("Who is in your circle"), facilitation.roster, (), Access.FACILITATOR),
        Command(
            "attendance",
            N_("Tick who came to a meeting"),
            facilitation.attendance,
            (Arg(N_("MEETING"), ArgKind.NUMBER, required=False),),
            Access.FACILITATOR,
        ),
        Command(
            "announce",
            N_("Send a message to everyone in your circle"),
            announcements.announce,
            (Arg(N_("MESSAGE"), ArgKind.REST),),
            Access.FACILITATOR,
        ),
        Command(
            "linkchat",
            N_("Link this group chat to your circle"),
            announcements.linkchat,
            (),
            Access.FACILITATOR,
        ),
        Command(
            "unlinkchat",
            N_("Unlink this group chat from your circle"),
            announcements.unlinkchat,
            (),
            Access.FACILITATOR,
        ),
        Command(
            "digest",
            N_("How your circle is doing: RSVPs, check-ins, who's gone quiet"),
            facilitation.digest,
            (),
            Access.FACILITATOR,
        ),
        Command(
            "reminders",
            N_("See or change when reminders go out, e.g. /reminders 24h 1h, or off"),
            facilitation.reminders,
            (Arg(N_("TIMES"), ArgKind.REST, required=False),),
            Access.FACILITATOR,
        ),
        Command(
            "reschedule",
            N_("Move one meeting to a new date and time"),
            facilitation.reschedule,
            (
                Arg(N_("MEETING"), ArgKind.NUMBER),
                Arg(N_("DATE"), ArgKind.DATE),
                Arg(N_("TIME"), ArgKind.TIME),
            ),
            Access.FACILITATOR,
        ),
        Command(
            "cancel",
            N_("Cancel one meeting (the others keep their numbers)"),
            facilitation.cancel,
            (Arg(N_("MEETING"), ArgKind.NUMBER),),
            Access.FACILITATOR,
        ),
        Command(
            "rhythm",
            N_("See the weekly rhythm; change when check-ins and your digest go out"),
            facilitation.rhythm,
            (Arg(N_("SETTING"), ArgKind.REST, required=False),),
            Access.FACILITATOR,
        ),
        Command(
            "report",
            N_("Your circle in numbers and a chart: attendance, RSVPs, check-ins, letters"),
            figures.report,
            (),
            Access.FACILITATOR,
        ),
        Command(
            "export",
            N_("Your circle's roster, attendance and check-ins as spreadsheet files"),
            figures.export,
            (),
            Access.FACILITATOR,
        ),
        Command(
            "calendar",
            N_("Every meeting of your circle as a file for your calendar app"),
            figures.calendar,
            (),
            Access.MEMBER,
        ),
        Command(
            "team",
            N_(
                "Organizers: several circles at a glance. /team new NAME, /team add CODE "
                "(facilitators), /team weekly on|off"
            ),
            figures.team,
            (Arg(N_("ACTION"), ArgKind.REST, required=False),),
            one_circle=False,  # who may do what depends on the action: the handler checks
        ),
        Command(
            "cofacilitator",
            N_("Make a learner a co-facilitator"),
            facilitation.cofacilitator,
            (Arg(N_("NAME"), ArgKind.REST),),
            Access.LEAD,
        ),
    ]
    return Registry(
        commands,
        flows={
            newcircle.FLOW: newcircle.answer,
            facilitation.ATTENDANCE_FLOW: facilitation.attendance_answer,
            records.FORGET_FLOW: records.forget_answer,
            letters.FLOW: letters.letter_answer,
        },
    )
