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


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster start-up


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing a key given twice in one mapping (YAML keeps the last)."""

    def construct_mapping(self, node, deep=False):
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path) -> Any:
    """A YAML file's content (libyaml's safe loader when available); duplicate keys refused."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)


def _read_yaml(path: Path) -> Any:
    try:
        return read_yaml(path)
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


def validate_one(path: Path, model: type[M]) -> M:
    """A whole YAML file validated as ``model``; errors name the file and the field."""
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
    cited += [("faq.yaml", f"id={f.id}", c) for f in kb.faq for c in f.clauses]
    p = kb.programme
    facts = [*p.calendar, *p.quotas, p.contacts, *p.organizers, *p.materials]
    cited += [("programme.yaml", getattr(f, "id", type(f).__name__), f.clause) for f in facts]
    for file, entry, clause in cited:
        if clause not in kb.clauses:
            raise KnowledgeError(
                f"{file}: entry {entry}: field 'clause': unknown clause id '{clause}'"
            )


FIVE = "五"  # the 2016 campaign: every fact of this clause is that year's
FACTS_OF_FIVE = ("6月30", "7月底", "8月—11月", "12月份", "1—2个", "10个")


def _check_dated(kb: Knowledge) -> None:
    """Every fact of 五 carries its year (the calendar's), so it is never shown as current."""
    year = kb.programme.calendar_year
    for quota in kb.programme.quotas:
        if quota.year != year:
            raise KnowledgeError(f"programme.yaml: quota {quota.id}: field 'year': expected {year}")
    for f in kb.faq:
        states_five = FIVE in f.clauses or any(fact in f.answer for fact in FACTS_OF_FIVE)
        if states_five and f.dated != year:
            raise KnowledgeError(
                f"faq.yaml: entry id={f.id}: field 'dated': states facts of {FIVE}, "
                f"so it must be dated {year}"
            )


def _fill_contacts(faq: list[FaqEntry], programme: Programme) -> list[FaqEntry]:
    """``{contacts}`` in an answer becomes the notice's contacts, said as the notice's year's
    (one home: programme.yaml)."""
    c = programme.contacts
    names, phones = "、".join(c.names), "、".join(c.phones)
    line = f"{programme.calendar_year}年通知所列联系人{names}，电话：{phones}"
    return [
        e.model_copy(update={"answer": e.answer.replace("{contacts}", line)})
        if "{contacts}" in e.answer
        else e
        for e in faq
    ]


def _check_matching_files(directory: Path) -> None:
    """The lexicon, the intent patterns and the scope rules are validated with the rest."""
    import importlib

    for name, module, loader in (
        ("lexicon.yaml", "knowledge.lexicon", "load_lexicon"),
        ("intents.yaml", "knowledge.intent", "load_intents"),
        ("scope.yaml", "knowledge.scope", "load_scope"),
    ):
        if (directory / name).exists():
            getattr(importlib.import_module(module), loader)(directory / name)


def load_from(directory: Path) -> Knowledge:
    """Load and validate every knowledge file in ``directory``."""
    notice = directory / "notice.txt"
    try:
        notice_text = notice.read_text(encoding="utf-8")
        clauses = {c.id: c for c in split_clauses(notice_text)}
    except OSError as exc:
        raise KnowledgeError(f"notice.txt: cannot read: {exc}") from exc
    conditions = validate_list(directory / "conditions.yaml", Condition, "conditions")
    areas = validate_list(directory / "areas.yaml", Area, "areas")
    faq = validate_list(directory / "faq.yaml", FaqEntry, "faq")
    programme = validate_one(directory / "programme.yaml", Programme)
    _check_numbering("conditions.yaml", [c.number for c in conditions], range(1, 7))
    _check_numbering("areas.yaml", [a.number for a in areas], range(1, 11))
    ids = [f.id for f in faq]
    if dupes := sorted({i for i in ids if ids.count(i) > 1}):
        raise KnowledgeError(f"faq.yaml: duplicate entry ids {dupes}")
    faq = _fill_contacts(faq, programme)
    kb = Knowledge(
        clauses=clauses,
        conditions=conditions,
        areas=areas,
        programme=programme,
        faq=faq,
        notice=notice_text,
    )
    _check_clauses(kb)
    _check_dated(kb)
    _check_matching_files(directory)
    return kb


@functools.cache
def load_knowledge() -> Knowledge:
    """The packaged knowledge, loaded once per process."""
    return load_from(data_dir())
