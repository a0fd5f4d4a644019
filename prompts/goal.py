"""A learner's goal: asked right after joining, and looked back on in the final week.

The answers are stored under GOAL_KEY and GOAL_REVIEW_KEY, like any other prompt's key: these
are plain strings, not translated, and must never change.
"""

from bot.chat.i18n import N_

GOAL_KEY = "goal"
GOAL_REVIEW_KEY = "goal-review"

GOAL_QUESTION = N_(
    "What do you hope to get out of %(circle)s? A sentence is plenty, and you can keep it simple."
)

# One SMS with its choices in English: the answer to it says how to change it later (/sharing).
SHARE_QUESTION = N_(
    "May your facilitator read your written answers? Your 1-5 ratings are always shared."
)

SHARE_YES = N_("Yes, share")
SHARE_NO = N_("No, keep private")

GOAL_REVIEW = N_('At the start of %(circle)s you said: "%(goal)s". How close did you get?')
