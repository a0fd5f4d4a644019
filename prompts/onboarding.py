"""First words: to a learner who joins, and to a facilitator whose circle is ready."""

from bot.chat.i18n import N_

LEARNER_WELCOME = N_(
    "Welcome to %(circle)s, %(name)s! You'll take %(course)s together with the group, "
    "meeting at %(venue)s.\n\n"
    "There's no teacher here: everyone learns and everyone helps. Come as you are, ask anything."
)

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
