"""The weekly check-in, sent the day after each meeting: a rating, then one open question.

The rating's choices (1 to 5) are added by the code, as buttons where the chat has them, so the
question does not list them. Answers to the open questions are quoted in the facilitator's digest,
some of them as blockers: several questions ask what got in the way or would help.
"""

from collections.abc import Collection

from bot.chat.i18n import N_
from prompts.library import Phase, Prompt, phase_of

RATING_QUESTION = N_("Hi %(name)s! How did meeting %(number)d of %(circle)s go for you?")
# For a learner who said they couldn't come, or was not ticked there: their week, not a meeting
# they were not at (bot/rhythm/absences.py). The same 1-5 answers. Not "this week": after the
# last meeting there is none (lang 36).
RATING_QUESTION_MISSED = N_("Hi %(name)s, we missed you! How has %(circle)s been going for you?")
# The same after the circle's last meeting, missed: the circle is over, so a look back, not
# "how has it been going" (A13).
RATING_QUESTION_MISSED_LAST = N_(
    "Hi %(name)s, we missed you at the last meeting. Now that %(circle)s is over, how was it "
    "for you?"
)

# Translators: the five answers, worst to best. Keep each to a word or two: on SMS they read
# "Reply 1 for hard going, 2 for so-so, ... or 5 for great" under the question.
RATING_LABELS = (
    N_("hard going"),
    N_("so-so"),
    N_("okay"),
    N_("good"),
    N_("great"),
)

# Translators: other ways to give each rating, worst to best, comma-separated, case and accents
# aside: the number as a word, and what people text instead ("not really", "pas trop", "kidogo").
# Each is read only as a whole message (or with a word of RATING_SOFTER, RATING_STRONGER).
RATING_WORDS = (
    N_("ONE, BAD, AWFUL, TERRIBLE, VERY HARD"),
    N_("TWO, NOT REALLY, NOT GREAT, NOT SO GOOD, NOT TOO GOOD, A BIT HARD"),
    N_("THREE, NOT BAD, OK, FINE, ALL RIGHT, ALRIGHT"),
    N_("FOUR, WELL, PRETTY GOOD, VERY WELL"),
    N_("FIVE, EXCELLENT, AMAZING, WONDERFUL, BRILLIANT"),
)
# Translators: words that soften an answer and leave it where it is ("rather good" is good);
# comma-separated.
RATING_SOFTER = N_("RATHER, PRETTY, QUITE, FAIRLY, KIND OF, SORT OF")
# Translators: words that make an answer stronger, one step further from the middle ("very
# good" is great, "really hard going" stays the lowest); comma-separated.
RATING_STRONGER = N_("VERY, REALLY, SO, SUPER")
# Translators: words said around a rating that change nothing ("it was good", "good, thanks",
# "muy bien gracias"): the start of "it was ..." and thanks; comma-separated.
RATING_AROUND = N_("IT WAS, IT'S, IT IS, THANKS, THANK YOU, THX, TNX, TKS, PLS, PLEASE")

QUESTIONS: tuple[Prompt, ...] = (
    # After the first meeting
    Prompt(
        "first-feeling",
        N_("How did it feel to meet the group for the first time?"),
        (Phase.FIRST,),
    ),
    Prompt(
        "first-back-next-week",
        N_("What would make it easy for you to come back next week?"),
        (Phase.FIRST,),
    ),
    Prompt(
        "first-unclear",
        N_("Was anything unclear about how the circle or the course works?"),
        (Phase.FIRST,),
    ),
    Prompt(
        "first-hope",
        N_("What are you looking forward to in the weeks ahead?"),
        (Phase.FIRST,),
    ),
    # The first half
    Prompt(
        "in-the-way",
        N_("Was anything in your way this week?"),
        (Phase.EARLY, Phase.MIDDLE),
    ),
    Prompt(
        "next-week-easier",
        N_("What would make next week easier?"),
        (Phase.EARLY, Phase.MIDDLE),
    ),
    Prompt(
        "time-for-course",
        N_("Did you find time for the course between meetings? What helped, or what didn't?"),
        (Phase.EARLY,),
    ),
    Prompt(
        "tech-trouble",
        N_("Any trouble with the course site, your phone or your connection this week?"),
        (Phase.EARLY,),
    ),
    Prompt(
        "one-thing-learned",
        N_("What is one thing you learned this week?"),
        (Phase.EARLY, Phase.MIDDLE),
    ),
    # The second half
    Prompt(
        "pace",
        N_("How is the pace of the course for you: too fast, too slow or about right?"),
        (Phase.MIDDLE,),
    ),
    Prompt(
        "group-help",
        N_("Is there something the group could help you with next time?"),
        (Phase.MIDDLE,),
    ),
    Prompt(
        "hardest-part",
        N_("What has been the hardest part so far, and what would help with it?"),
        (Phase.MIDDLE,),
    ),
    # The last meeting, and after
    Prompt(
        "final-proud",
        N_("What are you proudest of from this circle?"),
        (Phase.FINAL, Phase.AFTER),
    ),
    Prompt(
        "final-do-differently",
        N_("If the circle started again tomorrow, what would you do differently?"),
        (Phase.FINAL, Phase.AFTER),
    ),
    Prompt(
        "final-what-next",
        N_("What will you learn next, and who might you learn it with?"),
        (Phase.FINAL, Phase.AFTER),
    ),
    Prompt(
        "final-stopped-you",
        N_("Did anything stop you from getting what you wanted from the circle?"),
        (Phase.FINAL, Phase.AFTER),
    ),
    Prompt(
        "after-using-it",
        N_("Have you used anything from the circle since it ended? Tell us how."),
        (Phase.AFTER,),
    ),
)


def question_phase(number: int, last: int, missed: bool) -> Phase:
    """Which questions fit after meeting `number` when `last` is the circle's last meeting
    still planned (a circle closed early ends before its planned count): after the last one,
    the closing questions, never "come back next week"."""
    phase = phase_of(number, last)
    if phase is Phase.FIRST and missed:
        phase = Phase.EARLY  # not "how did it feel to meet the group" to someone who wasn't there
    return phase


# Short: its 1-5 choices follow it, and both must fit one SMS in English.
NUDGE = N_("Hi %(name)s, how is %(circle)s going? Reply when you can, or /skip.")

# The same, to someone with no name of their own yet (SMS gives none): "Hi Circle member!"
# reads like a form letter, so they are greeted without one.
RATING_QUESTION_UNNAMED = N_("Hi! How did meeting %(number)d of %(circle)s go for you?")
RATING_QUESTION_MISSED_UNNAMED = N_("Hi, we missed you! How has %(circle)s been going for you?")
NUDGE_UNNAMED = N_("Hi, how is %(circle)s going? Reply when you can, or /skip.")
# By SMS, where every part is paid for (walk B28: 183 characters in French, two parts): the
# same questions shorter, and the 1-5 said in one short line (RATING_REPLY_SMS), so the whole
# check-in fits one text.
RATING_QUESTION_SMS = N_("Hi %(name)s! How was meeting %(number)d of %(circle)s?")
RATING_QUESTION_MISSED_SMS = N_("Hi %(name)s, we missed you! How is %(circle)s going?")
RATING_QUESTION_UNNAMED_SMS = N_("Hi! How was meeting %(number)d of %(circle)s?")
RATING_QUESTION_MISSED_UNNAMED_SMS = N_("Hi, we missed you! How is %(circle)s going?")
RATING_QUESTION_MISSED_LAST_UNNAMED = N_(
    "Hi, we missed you at the last meeting. Now that %(circle)s is over, how was it for you?"
)
RATING_QUESTION_MISSED_LAST_SMS = N_("Hi %(name)s, %(circle)s is over. How was it for you?")
RATING_QUESTION_MISSED_LAST_UNNAMED_SMS = N_("Hi, %(circle)s is over. How was it for you?")
# The nudge by SMS, its 1-5 in the same line (walk C2: "Reply when you can, or SKIP.\nReply 1
# for ..." was 161 characters, two parts). %(worst)s and %(best)s as in RATING_REPLY_SMS.
NUDGE_SMS = N_(
    "Hi %(name)s, how is %(circle)s going? Reply 1 (%(worst)s) to 5 (%(best)s), or /skip."
)
NUDGE_UNNAMED_SMS = N_(
    "Hi, how is %(circle)s going? Reply 1 (%(worst)s) to 5 (%(best)s), or /skip."
)
# Translators: under the check-in by SMS; %(worst)s and %(best)s are the first and last of
# the five answers ("hard going", "great"). Keep it short.
RATING_REPLY_SMS = N_("Reply 1 (%(worst)s) to 5 (%(best)s).")
BY_TEXT = {
    RATING_QUESTION: RATING_QUESTION_SMS,
    RATING_QUESTION_MISSED: RATING_QUESTION_MISSED_SMS,
    RATING_QUESTION_MISSED_LAST: RATING_QUESTION_MISSED_LAST_SMS,
}
_UNNAMED_WORDING = {
    RATING_QUESTION: RATING_QUESTION_UNNAMED,
    RATING_QUESTION_MISSED: RATING_QUESTION_MISSED_UNNAMED,
    NUDGE: NUDGE_UNNAMED,
    NUDGE_SMS: NUDGE_UNNAMED_SMS,
    RATING_QUESTION_SMS: RATING_QUESTION_UNNAMED_SMS,
    RATING_QUESTION_MISSED_SMS: RATING_QUESTION_MISSED_UNNAMED_SMS,
    RATING_QUESTION_MISSED_LAST: RATING_QUESTION_MISSED_LAST_UNNAMED,
    RATING_QUESTION_MISSED_LAST_SMS: RATING_QUESTION_MISSED_LAST_UNNAMED_SMS,
}


def addressed(message: str, name: str, unnamed: Collection[str]) -> str:
    """`message` as worded for `name`: without a name for someone who has none of their own
    (`unnamed`: "Circle member" in every language, bot.circles.erasure.unnamed_names)."""
    return _UNNAMED_WORDING.get(message, message) if name in unnamed else message


THANKS_RATING = N_("Thanks, got it!")

# Kind whatever the answer said (a divorce, a joke, a win): never "really useful to hear".
THANKS_ANSWER = N_("Thank you for sharing that with me.")
# For a short answer ("no, nothing"): calling it "really useful" would sound automatic.
THANKS_SHORT_ANSWER = THANKS_RATING

# After a message passed on to the facilitator while the rating question still waits.
RATING_STILL_WAITS = N_(
    "That went to them as a message, not into your check-in: to rate your week, send a number "
    "from 1 to 5."
)

ASK_AGAIN_RATING = N_("Sorry, I didn't catch that. Could you send a number from 1 to 5?")

# To someone who says no to the rating question ("nej tak", "no thanks"): they are declining,
# so nothing is saved and they are never asked for a number again that week.
RATING_DECLINED = N_("That's fine, we'll leave it for this week.")


# Questions about what is in the way: an answer that tells a problem is offered to a private
# learner to pass on to her facilitators, who might help (B3).
HELP_WANTED = frozenset(
    {"in-the-way", "next-week-easier", "tech-trouble", "group-help", "hardest-part"}
)
