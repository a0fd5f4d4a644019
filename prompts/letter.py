"""Invitations to write a letter of encouragement, for learners finishing a circle.

Each letter is read by a circle meeting for the first time somewhere else in the world (written
in Detroit, read in Nairobi), so people feel part of a network of learning communities.

An invitation is one SMS segment in English with the line that follows it ("Send /letter when
you're ready to write."), so it stays short: the ideas and the limits (20 to 1000 characters)
come in WRITING_GUIDE, the answer to /letter, when someone has chosen to write.
"""

from bot.chat.i18n import N_
from prompts.library import Phase, Prompt

_ENDING = (Phase.FINAL, Phase.AFTER)

INVITATIONS: tuple[Prompt, ...] = (
    Prompt(
        "letter-few-words",
        N_(
            "Before you go: would you write a few words to a circle meeting for the first "
            "time, somewhere else in the world?"
        ),
        _ENDING,
    ),
    Prompt(
        "letter-first-meeting",
        N_(
            "Somewhere, a group is about to sit down for their first learning circle. "
            "What would you like them to hear?"
        ),
        _ENDING,
    ),
    Prompt(
        "letter-postcard",
        N_(
            "Send a postcard to a new circle in another city! Your words will reach people "
            "who are just starting out."
        ),
        _ENDING,
    ),
    Prompt(
        "letter-pass-it-on",
        N_(
            "Would you help a circle that is just starting, far from here, with a few words "
            "of encouragement?"
        ),
        _ENDING,
    ),
    Prompt(
        "letter-network",
        N_(
            "Circles keep starting all over the world, and you are part of that network now. "
            "Would you write to one?"
        ),
        _ENDING,
    ),
)

# Translators: the answer to /letter. Keep "/cancel" as it is: on SMS a bare CANCEL stops every
# message (a carrier keyword), so people must be told the command, with its slash.
WRITING_GUIDE = N_(
    "Write to a new circle far away: your highlight, what you wish you'd known at the start, "
    "a tip, today's weather. One message, 20-1,000 characters, or /cancel."
)
