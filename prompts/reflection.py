"""Reflection prompts: one a week, the same for everyone in a circle, so they can talk about it.

In the spirit of peer learning: every participant both learns and teaches, so many prompts ask
what someone taught, who helped them, or what they would pass on. `choose()` in library.py picks
this week's prompt from those that fit the circle's phase; prompts tied to a week (week=N) are
used for that week instead of the phase's.
"""

from bot.chat.i18n import N_
from prompts.library import Phase, Prompt

_FIRST = (Phase.FIRST, Phase.EARLY)
_FIRST_HALF = (Phase.EARLY,)
_MIDDLE = (Phase.EARLY, Phase.MIDDLE)
_SECOND_HALF = (Phase.MIDDLE,)
_ENDING = (Phase.FINAL, Phase.AFTER)

PROMPTS: tuple[Prompt, ...] = (
    # After the first meeting: getting to know each other.
    Prompt(
        "intro-what-brought-you",
        N_("What brought you to this circle? A line or two is plenty."),
        (Phase.FIRST,),
        week=1,
    ),
    Prompt(
        "intro-already-know",
        N_("What is something you already know well that you could share with the group one day?"),
        (Phase.FIRST,),
        week=1,
    ),
    Prompt(
        "intro-learned-outside-school",
        N_("Think of something you learned well outside school. How did you learn it?"),
        (Phase.FIRST,),
        week=1,
    ),
    # The first weeks
    Prompt("surprised", N_("What surprised you this week?"), _FIRST),
    Prompt("question-you-left-with", N_("What question did you leave the meeting with?"), _FIRST),
    Prompt(
        "how-you-learn-best",
        N_("What helps you learn best: reading, watching, trying, or talking it through?"),
        _FIRST,
    ),
    Prompt(
        "someone-in-the-group",
        N_("What did you learn about someone else in the group?"),
        _FIRST,
    ),
    Prompt(
        "better-than-expected",
        N_("What went better than you expected this week?"),
        _FIRST,
    ),
    Prompt(
        "proud-this-week",
        N_("What are you proud of this week, however small?"),
        _FIRST_HALF,
    ),
    # The heart of the circle: learning from and teaching each other.
    Prompt(
        "taught-someone",
        N_("What did you help someone else with this week, in the circle or outside it?"),
        _MIDDLE,
    ),
    Prompt("who-helped", N_("Who helped you this week, and how?"), _MIDDLE),
    Prompt(
        "tried-outside",
        N_("What did you try on your own, outside the meeting?"),
        _MIDDLE,
    ),
    Prompt(
        "pass-on-link",
        N_("Which resource or link from this week would you pass on to a friend? Why?"),
        _MIDDLE,
    ),
    Prompt(
        "still-unsure",
        N_("What are you still unsure about? Someone in the group may know."),
        _MIDDLE,
    ),
    Prompt(
        "stuck-unstuck",
        N_("Think of a moment you felt stuck. What got you unstuck?"),
        _MIDDLE,
    ),
    Prompt(
        "explain-to-a-friend",
        N_("How would you explain this week's topic to a friend over tea?"),
        _MIDDLE,
    ),
    Prompt(
        "changed-your-mind",
        N_("Did anything this week change how you think about something?"),
        _MIDDLE,
    ),
    Prompt(
        "question-for-the-group",
        N_("What question would you like to bring to the group next time?"),
        _MIDDLE,
    ),
    # The second half
    Prompt(
        "can-do-now",
        N_("What can you do now that you couldn't do at the start?"),
        _SECOND_HALF,
    ),
    Prompt(
        "helpful-habit",
        N_("What habit is helping you keep up with the course?"),
        _SECOND_HALF,
    ),
    Prompt(
        "mistake-that-taught",
        N_("Which mistake has taught you the most so far?"),
        _SECOND_HALF,
    ),
    Prompt(
        "used-in-daily-life",
        N_("Where have you used something from the course in your daily life or work?"),
        _SECOND_HALF,
    ),
    Prompt(
        "ten-minutes-to-lead",
        N_("If you led 10 minutes of the next meeting, what would you share?"),
        _SECOND_HALF,
    ),
    # The last meeting, and after
    Prompt(
        "tell-someone-starting",
        N_("What would you tell someone starting this course tomorrow?"),
        _ENDING,
    ),
    Prompt(
        "keep-doing",
        N_("What will you keep doing after the circle ends?"),
        _ENDING,
    ),
    Prompt(
        "thank-someone",
        N_("Who in the circle would you like to thank, and for what?"),
        _ENDING,
    ),
    Prompt(
        "biggest-change",
        N_("What has changed for you since the first meeting?"),
        _ENDING,
    ),
    Prompt(
        "keep-learning-with",
        N_("Who will you keep learning with, now the circle is ending?"),
        _ENDING,
    ),
    Prompt(
        "resource-to-keep",
        N_("Which resource from the whole course would you keep for later?"),
        _ENDING,
    ),
    Prompt(
        "moment-to-remember",
        N_("Which moment from the circle will you remember?"),
        _ENDING,
    ),
    Prompt(
        "question-to-keep-exploring",
        N_("What question are you taking with you, to keep exploring?"),
        (Phase.FINAL,),
    ),
    Prompt(
        "for-your-portfolio",
        N_("What is one thing you made or learned here that you want to keep in your portfolio?"),
        (Phase.FINAL,),
    ),
    Prompt(
        "since-the-circle",
        N_("What have you done with what you learned since the circle ended?"),
        (Phase.AFTER,),
    ),
    Prompt(
        "next-to-learn",
        N_("If you joined another circle, what would you want to learn?"),
        (Phase.AFTER,),
    ),
    Prompt(
        "facilitate-one",
        N_("Could you see yourself facilitating a circle one day? What would it be about?"),
        (Phase.AFTER,),
    ),
    # Any time
    Prompt(
        "one-word",
        N_("One word for how your learning is going right now? Say why, if you like."),
    ),
)
