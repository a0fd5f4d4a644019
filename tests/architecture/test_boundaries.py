"""bot/ is the platform-agnostic core: it imports no adapter and no platform library."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import bot

FORBIDDEN = {"adapters", "telegram", "discord", "twilio", "aiohttp"}
BOT_DIR = Path(bot.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_in_bot_imports_platform_code() -> None:
    offenders = {
        f"{path.relative_to(BOT_DIR.parent)}: {name}"
        for path in BOT_DIR.rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN
    }
    assert offenders == set()


def test_the_check_would_catch_an_offender(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import telegram.ext\nfrom aiohttp import web\n", encoding="utf-8")
    assert {name.split(".")[0] for name in imported_modules(sample)} == {"telegram", "aiohttp"}


def test_importing_every_bot_module_loads_no_platform_library() -> None:
    modules = [info.name for info in pkgutil.walk_packages([str(BOT_DIR)], prefix="bot.")]
    # The migrations environment needs an Alembic context.
    modules = [name for name in modules if name != "bot.storage.migrations.env"]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(FORBIDDEN)!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    assert len(modules) > 20
