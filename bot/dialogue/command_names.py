"""Command names in the reader's language, for menus that can show them (Discord's slash
commands) and for the words SMS readers text (bot.chat.keywords, where the table lives, since
SMS rendering needs it below the dialogue layer). The English name always works: it is what
/help shows and what Discord sends back whatever name the menu displayed, so a translated name
never changes how a command is routed.
"""

from __future__ import annotations

from bot.chat.keywords import COMMAND_NAMES as NAMES
from bot.chat.keywords import VALID_NAME as VALID
from bot.chat.keywords import local_name

__all__ = ["NAMES", "VALID", "local_name"]
