"""The core's one entrance: adapters hold a Core and reach everything through its methods."""

from bot.core.entrance import CircleChoice, Core, MeetingChoice, Standing, upgrade_database
from bot.delivery.dispatcher import RateLimit, Throttle
from bot.delivery.statuses import DeliveryReport, DeliveryStatus
from bot.dialogue.command_names import local_name as local_command_name
from bot.dialogue.registry import Access, Arg, ArgKind, Command, InGroup, Registry, SubCommand
from bot.letters.letters import MAX_CHARS as LETTER_MAX_CHARS
from bot.letters.letters import MIN_CHARS as LETTER_MIN_CHARS
from bot.letters.letters import LetterPolicy
from bot.reports.credentials import KeyFileError, SigningKeys
from bot.rhythm.questions import WRITING_ANSWER, WRITING_LETTER
from bot.rhythm.reflections import MAX_ANSWER_CHARS as ANSWER_MAX_CHARS
from bot.scheduling.leadership import Leadership
from bot.storage.database import unavailable as database_unavailable

# Besides Core: the types adapters and the shell name in their signatures, and the few
# constants they shape their widgets by (what Core.awaiting_words returns, text box lengths).
__all__ = [
    "ANSWER_MAX_CHARS",
    "LETTER_MAX_CHARS",
    "LETTER_MIN_CHARS",
    "WRITING_ANSWER",
    "WRITING_LETTER",
    "Access",
    "Arg",
    "ArgKind",
    "CircleChoice",
    "Command",
    "Core",
    "DeliveryReport",
    "DeliveryStatus",
    "InGroup",
    "KeyFileError",
    "Leadership",
    "LetterPolicy",
    "MeetingChoice",
    "RateLimit",
    "Registry",
    "SigningKeys",
    "Standing",
    "SubCommand",
    "Throttle",
    "database_unavailable",
    "local_command_name",
    "upgrade_database",
]
