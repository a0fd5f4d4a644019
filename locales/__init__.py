"""gettext catalogs: messages.pot and one <locale>/LC_MESSAGES/messages.po per shipped language.

The .po files are compiled in memory when the bot starts (bot.i18n), so a compiled catalog can
never be stale.
"""

from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent
DOMAIN = "messages"
