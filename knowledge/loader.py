"""Load the packaged knowledge files into validated models, once."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from knowledge.models import Area, Condition, FaqEntry, Knowledge, Programme
from knowledge.notice import split_clauses

DATA_PACKAGE = "knowledge"
M = TypeVar("M", bound=BaseModel)


class KnowledgeError(ValueError):
    """A data file is broken; the message names the file, the entry and the field."""


def data_dir() -> Path:
    return Path(str(resources.files(DATA_PACKAGE) / "data"))


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path.name}: cannot read: {exc}") from exc


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "(entry)"
        parts.append(f"field '{field}': {err['msg']}")
    return "; ".join(parts)


def _entry_name(raw: Any, index: int) -> str:
    if isinstance(raw, dict):
        for key in ("id", "key", "number"):
            if key in raw:
                return f"entry #{index + 1} ({key}={raw[key]})"
    return f"entry #{index + 1}"


def validate_list(path: Path, model: type[M], key: str) -> list[M]:
    """The entries of the top-level ``key:`` list of a YAML file, each validated as ``model``."""
    raw = _read_yaml(path)
    items = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise KnowledgeError(f"{path.name}: expected a top-level '{key}:' list")
    result = []
    for index, item in enumerate(items):
        try:
            result.append(model.model_validate(item))
        except ValidationError as exc:
            raise KnowledgeError(
                f"{path.name}: {_entry_name(item, index)}: {_describe(exc)}"
            ) from exc
    return result


def _validate_one(path: Path, model: type[M]) -> M:
    try:
        return model.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise KnowledgeError(f"{path.name}: {_describe(exc)}") from exc


def _check_numbering(name: str, numbers: list[int], expected: range) -> None:
    if sorted(numbers) != list(expected):
        raise KnowledgeError(
            f"{name}: expected numbers {expected.start}..{expected.stop - 1}, got {sorted(numbers)}"
        )


def _check_clauses(kb: Knowledge) -> None:
    cited: list[tuple[str, str, str]] = []
    cited += [("conditions.yaml", f"number={c.number}", c.clause) for c in kb.conditions]
    cited += [("areas.yaml", f"number={a.number}", a.clause) for a in kb.areas]
    cited += [("faq.yaml", f"id={f.id}", f.clause) for f in kb.faq]
    p = kb.programme
    facts = [*p.calendar, *p.quotas, p.contacts, *p.organizers, *p.materials]
    cited += [("programme.yaml", getattr(f, "id", type(f).__name__), f.clause) for f in facts]
    for file, entry, clause in cited:
        if clause not in kb.clauses:
            raise KnowledgeError(
                f"{file}: entry {entry}: field 'clause': unknown clause id '{clause}'"
            )


def load_from(directory: Path) -> Knowledge:
    """Load and validate every knowledge file in ``directory``."""
    notice = directory / "notice.txt"
    try:
        clauses = {c.id: c for c in split_clauses(notice.read_text(encoding="utf-8"))}
    except OSError as exc:
        raise KnowledgeError(f"notice.txt: cannot read: {exc}") from exc
    conditions = validate_list(directory / "conditions.yaml", Condition, "conditions")
    areas = validate_list(directory / "areas.yaml", Area, "areas")
    faq = validate_list(directory / "faq.yaml", FaqEntry, "faq")
    programme = _validate_one(directory / "programme.yaml", Programme)
    _check_numbering("conditions.yaml", [c.number for c in conditions], range(1, 7))
    _check_numbering("areas.yaml", [a.number for a in areas], range(1, 11))
    ids = [f.id for f in faq]
    if dupes := sorted({i for i in ids if ids.count(i) > 1}):
        raise KnowledgeError(f"faq.yaml: duplicate entry ids {dupes}")
    kb = Knowledge(
        clauses=clauses, conditions=conditions, areas=areas, programme=programme, faq=faq
    )
    _check_clauses(kb)
    return kb


@functools.cache
def load_knowledge() -> Knowledge:
    """The packaged knowledge, loaded once per process."""
    return load_from(data_dir())
