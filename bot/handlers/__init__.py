"""Command handlers, and the registry table naming them: the one place commands are declared."""

from __future__ import annotations

from bot.commands import Access, Arg, ArgKind, Command, Registry
from bot.handlers import facilitation, membership, newcircle, welcome
from bot.i18n import N_


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
            "cofacilitator",
            N_("Make a learner a co-facilitator"),
            facilitation.cofacilitator,
            (Arg(N_("NAME"), ArgKind.REST),),
            Access.LEAD,
        ),
    ]
    return Registry(commands, flows={newcircle.FLOW: newcircle.answer})
