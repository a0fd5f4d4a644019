"""bot/ names no platform: what differs between platforms is what their adapters declare.

A platform's name written as a string in the core ("sms", f"{x}:telegram", a dict key) is an
`if platform == ...` waiting to happen; the core reads the adapters' descriptions instead
(bot.chat.platforms). Docstrings, comments and msgids may still say "SMS" or "Telegram" inside
a sentence: only a string that is nothing but a platform's name counts.
"""

from __future__ import annotations

import ast
from pathlib import Path

import bot

BOT_DIR = Path(bot.__file__).parent
# Today's platforms and the ones on their way.
PLATFORM_NAMES = frozenset({"telegram", "discord", "sms", "whatsapp", "ussd", "console"})
# Schema history: migrations are what they were when written.
SKIPPED = (BOT_DIR / "storage" / "migrations",)
# Not platform names but words people write: the letter screening's block list holds a letter
# that asks to move to WhatsApp or Telegram for a moderator. Exempt that one assignment only.
EXEMPT_ASSIGNMENTS = {(BOT_DIR / "letters" / "screening.py", "BLOCKED_WORDS")}
# Around a name used as (part of) a key: "telegram:", ":sms", "/discord".
KEY_PUNCTUATION = " \t\n:/|._-#@"


def names_platform(value: str) -> str | None:
    """The platform a string is nothing but the name of (ignoring case and key punctuation)."""
    word = value.strip(KEY_PUNCTUATION).casefold()
    return word if word in PLATFORM_NAMES else None


def _exempt_nodes(tree: ast.AST, path: Path) -> set[int]:
    exempt: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            if any((path, name) in EXEMPT_ASSIGNMENTS for name in names) and node.value:
                exempt.update(id(inner) for inner in ast.walk(node.value))
    return exempt


def platform_literals(path: Path) -> list[tuple[int, str]]:
    """(line, string) of every string constant in `path` that names a platform, f-string parts
    included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    # Only the files an exemption names are walked for it (a walk of every tree costs seconds).
    exempt = _exempt_nodes(tree, path) if path in {p for p, _ in EXEMPT_ASSIGNMENTS} else set()
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in exempt
        and names_platform(node.value)
    )


def bot_modules() -> list[Path]:
    return [
        path
        for path in sorted(BOT_DIR.rglob("*.py"))
        if not any(path.is_relative_to(skipped) for skipped in SKIPPED)
    ]


def test_no_module_in_bot_names_a_platform() -> None:
    offenders = [
        f"{path.relative_to(BOT_DIR.parent)}:{line}: {value!r}"
        for path in bot_modules()
        for line, value in platform_literals(path)
    ]
    assert offenders == []
    assert len(bot_modules()) > 20


def test_the_check_would_catch_an_offender(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Reminders by SMS and on Telegram carry a calendar."""\n'
        'LIMITS = {"Telegram": 30, "discord": 50}\n'
        "def applies(platform: str) -> bool:\n"
        '    return platform == "sms"\n'
        'KEY = f"{1}:whatsapp"\n'
        "KIND = 'sms-forward'  # a word inside a name: not a platform's name\n"
        'BLOCKED_WORDS = {"en": frozenset({"telegram"})}\n',
        encoding="utf-8",
    )
    assert platform_literals(sample) == [
        (2, "Telegram"),
        (2, "discord"),
        (4, "sms"),
        (5, ":whatsapp"),
        (7, "telegram"),  # exempt only in bot/letters/screening.py
    ]


def test_the_screening_block_list_is_the_only_exemption() -> None:
    path, name = next(iter(EXEMPT_ASSIGNMENTS))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt = _exempt_nodes(tree, path)
    exempted = [
        node.value
        for node in ast.walk(tree)
        if id(node) in exempt
        and isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and names_platform(node.value)
    ]
    assert name == "BLOCKED_WORDS" and "telegram" in exempted and "whatsapp" in exempted
