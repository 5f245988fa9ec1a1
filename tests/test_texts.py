"""The interface wording: one package, every name defined once (a later definition would
silently replace an earlier one, as a merge once did)."""

from __future__ import annotations

import ast
from pathlib import Path

from conversations import texts

TEXTS = Path(texts.__file__).parent


def defined_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
            if isinstance(t, ast.Name)]  # fmt: skip


def test_no_name_is_defined_twice_across_the_texts_modules():
    seen: dict[str, str] = {}
    for path in sorted(TEXTS.glob("*.py")):
        for name in defined_names(path):
            assert name not in seen, f"{name} defined in {seen.get(name)} and {path.name}"
            seen[name] = path.name
    assert len(seen) > 300


def test_every_public_name_reaches_the_package():
    for path in sorted(TEXTS.glob("*.py")):
        for name in defined_names(path):
            if not name.startswith("_"):
                assert hasattr(texts, name), (path.name, name)
