"""The README's Layout section names every module of bot/ and adapters/, and nothing that is gone.

A newcomer reads the tree there first; a module added, moved or removed without a word in the
README fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Listed as one line each: the SMS gateways' modules and Alembic's history.
LISTED_WHOLE = (ROOT / "adapters" / "platforms" / "sms", ROOT / "bot" / "storage" / "migrations")
# Named in the tree as the libraries they are, not modules of ours.
LIBRARIES = {"discord.py"}


def layout_tree() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```\n(.*?)```", section, flags=re.DOTALL)
    return max(blocks, key=len)  # the tree, not the one-line layer order


def modules() -> list[Path]:
    return [
        path
        for folder in ("bot", "adapters")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.name != "__init__.py" and not any(path.is_relative_to(p) for p in LISTED_WHOLE)
    ]


def test_every_module_is_in_the_readme_layout() -> None:
    tree = layout_tree()
    missing = [
        str(path.relative_to(ROOT))
        for path in modules()
        if not re.search(rf"(^|[\s(]){re.escape(path.name)}\b", tree, flags=re.MULTILINE)
    ]
    assert missing == []
    assert len(modules()) > 60


def test_every_module_the_layout_names_exists() -> None:
    named = set(re.findall(r"\b([a-z_]+\.py)\b", layout_tree())) - LIBRARIES
    existing = {path.name for path in ROOT.glob("*/**/*.py")}
    assert named - existing == set()
    assert {"entrance.py", "derivation.py", "platforms.py"} <= named
