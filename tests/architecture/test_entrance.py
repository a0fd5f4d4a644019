"""Adapters reach the core through `bot.core` alone: the import contract forbids each of its
submodules by name, so a module added to bot/core/ must be added to that list too."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import bot.core

ROOT = Path(__file__).resolve().parents[2]


def test_the_entrance_contract_forbids_every_module_inside_bot_core() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    entrance = next(c for c in contracts if c["id"] == "entrance")
    inside = {m.name for m in pkgutil.iter_modules(bot.core.__path__, prefix="bot.core.")}
    assert inside <= set(entrance["forbidden_modules"])
    assert "bot.core.entrance" in inside
