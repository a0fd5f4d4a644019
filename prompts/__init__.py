"""The bot's content: what it says to welcome, ask and encourage, kept apart from the code.

Every text here is a gettext msgid marked with N_(), extracted by `pybabel extract` with the code
strings and translated in locales/ like everything else. Check-in questions, reflection prompts
by week and letter invitations join this package as those features land.
"""
