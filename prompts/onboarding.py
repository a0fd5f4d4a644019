"""First words: to a learner who joins, and to a facilitator whose circle is ready."""

from bot.chat.i18n import N_

LEARNER_WELCOME = N_(
    "Welcome to %(circle)s, %(name)s! You'll take %(course)s together with the group, "
    "meeting at %(venue)s.\n\n"
    "There's no teacher here: everyone learns and everyone helps. Come as you are, ask anything."
)

# The same, for someone whose name the bot doesn't know yet (SMS gives none): asked just after.
LEARNER_WELCOME_UNNAMED = N_(
    "Welcome to %(circle)s! You'll take %(course)s together with the group, "
    "meeting at %(venue)s.\n\n"
    "There's no teacher here: everyone learns and everyone helps. Come as you are, ask anything."
)

# The same by SMS, where the welcome must fit in one or two texts (the venue is in the meeting
# line that follows; the name is asked just after). Keep it within 120 characters.
LEARNER_WELCOME_SMS = N_(
    "Welcome to %(circle)s! You'll take %(course)s together. No teacher here: everyone learns, "
    "everyone helps."
)
# The same without the course, where a long place would make the welcome a third SMS (walk A5).
LEARNER_WELCOME_SHORT_SMS = N_(
    "Welcome to %(circle)s! No teacher here: everyone learns, everyone helps."
)
# By SMS, the name question is waiting: a plain reply answers it.
ASK_NAME_SMS = N_("What should the group call you? Reply with your first name.")

FACILITATOR_READY = N_(
    "You don't need to be an expert in the course. Your job is to keep time, make sure every "
    "voice is heard and encourage people to act on what they learn. I'll help with the rest."
)

START = N_(
    "Hi %(name)s! I'm circlebot. I help learning circles (small groups who take an online "
    "course together) stay in touch between meetings.\n\n"
    "Got a join code from your facilitator? Send /join and the code.\n"
    "Starting a circle of your own? Send /newcircle."
)

# Someone in no circle yet who writes "hi", "help" or "how do I join?": what to do next.
NEWCOMER = N_(
    "Hi, welcome! I'm circlebot: I help learning circles (small groups who take an online "
    "course together) stay in touch between meetings.\n\n"
    "Got a join code from your facilitator? Send /join and the code.\n"
    "Starting a circle of your own? Send /newcircle."
)
# The same on SMS, in one text: %(join)s is the JOIN keyword, %(newcircle)s the word NEWCIRCLE.
NEWCOMER_SMS = N_(
    "Hi! I'm circlebot, for learning circles. To join one, text %(join)s and the code from "
    "your facilitator. To start one, text %(newcircle)s."
)
# Other words from someone in no circle yet: not understood, but still what to do next.
NEWCOMER_NOT_UNDERSTOOD = N_(
    "I didn't catch that. Got a join code from your facilitator? Send /join and the code. "
    "Starting a circle of your own? Send /newcircle."
)
# Under NEWCOMER and NEWCOMER_NOT_UNDERSTOOD in a chat: /find and a town lists open circles.
NEWCOMER_FIND = N_("Looking for a circle near you? Send /find and your town.")
NEWCOMER_NOT_UNDERSTOOD_SMS = N_(
    "I didn't catch that. To join a circle, text %(join)s and the code from your facilitator. "
    "To start one, text %(newcircle)s."
)
# Translators: words that, in a message from someone in no circle yet, say hello or ask how
# this works; comma-separated. Keep these (newcomers' language is not known yet) and add your
# language's.
NEWCOMER_WORDS = N_(
    "hi, hello, hey, hallo, hola, bonjour, salut, habari, jambo, mambo, hej, moin, help, "
    "info, join, start, how"
)

# /start from someone already in a circle.
MEMBER_START = N_("Hi %(name)s! You're in %(circle)s.")
FACILITATOR_START = N_("Hi %(name)s! You facilitate %(circle)s.")
MEMBER_START_SEVERAL = N_("Hi %(name)s! You're in these circles:")
# The same to someone with no name of their own yet (SMS gives none): greeted without one.
MEMBER_START_UNNAMED = N_("Hi! You're in %(circle)s.")
FACILITATOR_START_UNNAMED = N_("Hi! You facilitate %(circle)s.")
MEMBER_START_SEVERAL_UNNAMED = N_("Hi! You're in these circles:")
MEMBER_COMMANDS = N_("The commands you'll use most:")
MEMBER_HELP = N_("Send /help to see everything else.")

# The question asked at joining when the platform gives no name (SMS): a Question's prompt
# key, a plain string that must never change. Its answer is the learner's name; the goal
# question comes after it, so each message asks one thing.
NAME_KEY = "name"
NAME_FIRST = N_("Nice to meet you, %(name)s! That's what your circle will see.")
# By SMS, where the goal question after it would make it two (walk C8).
NAME_FIRST_SHORT = N_("Nice to meet you, %(name)s!")
NAME_SKIPPED = N_("OK, skipped. You can tell me your name later with /name.")
