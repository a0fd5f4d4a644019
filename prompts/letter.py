"""Invitations to write a letter of encouragement, for learners finishing a circle.

Each letter is read by a circle meeting for the first time somewhere else in the world (written
in Detroit, read in Nairobi), so people feel part of a network of learning communities. These
may run longer than one SMS segment. A letter is 20 to 1000 characters, signed with the writer's
first name and city.
"""

from bot.i18n import N_
from prompts.library import Phase, Prompt

_ENDING = (Phase.FINAL, Phase.AFTER)

INVITATIONS: tuple[Prompt, ...] = (
    Prompt(
        "letter-few-words",
        N_(
            "Before you go: would you write a few words to a circle meeting for the first "
            "time, somewhere else in the world?\n\n"
            "Some ideas: the highlight of your circle, what you wish you had known at the start, "
            "one piece of advice, what the weather is like where you are.\n\n"
            "Anything from 20 to 1000 characters. Sign with your first name and your city."
        ),
        _ENDING,
    ),
    Prompt(
        "letter-first-meeting",
        N_(
            "Somewhere, a group is about to sit down for their first learning circle. "
            "What would you like them to hear?\n\n"
            "You could tell them the highlight of your circle, what you wish you had known at "
            "the start, one piece of advice, and what the weather is like where you are.\n\n"
            "20 to 1000 characters, signed with your first name and your city."
        ),
        _ENDING,
    ),
    Prompt(
        "letter-postcard",
        N_(
            "Send a postcard to a new circle in another city! Your words will reach people "
            "starting out, maybe in Nairobi, Paris or Chicago.\n\n"
            "What was the best moment of your circle? What do you wish you had known on day "
            "one? One piece of advice? And what is the weather like where you are today?\n\n"
            "Write 20 to 1000 characters and sign with your first name and your city."
        ),
        _ENDING,
    ),
    Prompt(
        "letter-pass-it-on",
        N_(
            "Would you help a circle that is just starting, far from here, with a few words "
            "of encouragement?\n\n"
            "Tell them: a highlight of your circle, something you wish you had known at the "
            "start, one piece of advice, and what the weather is like where you are.\n\n"
            "Keep it to 20 to 1000 characters, signed with your first name and your city."
        ),
        _ENDING,
    ),
    Prompt(
        "letter-network",
        N_(
            "Circles keep starting all over the world, and you are part of that network now. "
            "Would you write to one meeting for the first time?\n\n"
            "Share a highlight, what you wish you had known at the start, one piece of advice, "
            "and what the weather is like where you are.\n\n"
            "20 to 1000 characters. Sign with your first name and your city."
        ),
        _ENDING,
    ),
)
