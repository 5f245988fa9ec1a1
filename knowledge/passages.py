"""Every passage of the notice, addressable and answerable: sentences, headings, the letterhead.

A passage is one sentence of the notice (or a heading, the addressees, the letterhead, the
signature's date) under the most specific clause that holds it. Each becomes an answer unit
(a ``FaqEntry`` with ``quoted=True``) whose answer is the notice's own words with its clause;
``data/passages.yaml`` gives the questions it answers, written by us (the matcher learns from
them), and the kinds of answer it gives. A passage that an FAQ entry states in full is
*covered*: the entry answers for it, and paraphrases of its own are optional.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from knowledge.loader import KnowledgeError, data_dir, validate_one
from knowledge.models import ASK_KINDS, FaqEntry, Knowledge

PassageKind = Literal["sentence", "heading", "address", "letterhead", "item"]
NOT_THE_NOTICE = ("扫一扫", "|")  # the web page's furniture around the notice's text
DATED_CLAUSE = "五"
HEADING_MAX = 18  # "(一)“质量标杆”的重点领域。" opens its line: a heading, not a sentence
_SENTENCE_RE = re.compile(r"[^。]+。?")
_LABEL_RE = re.compile(r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+\.)\s*")
_PUNCT_RE = re.compile(r"[\s,，。;；:：、“”《》()（）]")


@dataclass(frozen=True)
class Passage:
    """One passage of the notice: its clause, the notice's words, and what kind of text it is."""

    id: str
    clause: str
    text: str
    kind: PassageKind


class PassageQuestions(BaseModel):
    """``passages.yaml``: questions one passage answers (``at``: a piece of its text)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    at: str = Field(min_length=4, description="one passage's text, its start, or a piece of it")
    asks: list[str] = Field(default_factory=list, description="kinds of answer it gives")
    questions: list[str] = Field(min_length=3)

    @field_validator("asks")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        if unknown := sorted(set(value) - set(ASK_KINDS)):
            raise ValueError(f"unknown kinds {unknown}; known: {list(ASK_KINDS)}")
        return value


class PassageFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    frames: dict[PassageKind, str]
    passages: list[PassageQuestions]


def squeeze(text: str) -> str:
    """Text without spaces and punctuation, for comparing the notice's words with an answer's."""
    return _PUNCT_RE.sub("", text)


def _deepest_clause(kb: Knowledge) -> dict[str, str]:
    """Each line of the notice -> the most specific clause holding it (never an inline area)."""
    deepest: dict[str, str] = {}
    for clause in kb.clauses.values():
        if re.search(r"\(\d+\)$", clause.id):
            continue
        for line in clause.text.splitlines():
            if line not in deepest or len(clause.id) > len(deepest[line]):
                deepest[line] = clause.id
    return deepest


def _pieces(line: str) -> list[tuple[str, PassageKind]]:
    """The passages of one line: a heading opening it, then its sentences."""
    if line.endswith((":", "：")) and "。" not in line:
        return [(line.rstrip(":："), "address")]
    label = _LABEL_RE.match(line)
    rest = line[label.end() :] if label else line
    sentences = [p.strip() for p in _SENTENCE_RE.findall(rest) if p.strip()]
    found: list[tuple[str, PassageKind]] = []
    opens = label and sentences and (len(sentences) > 1 or "。" not in sentences[0])
    if opens and len(sentences[0]) < HEADING_MAX:
        found.append((sentences.pop(0).rstrip("。"), "heading"))
    for sentence in sentences:
        found.append((sentence.rstrip("；;"), "sentence"))
    return found


def passages(kb: Knowledge) -> list[Passage]:
    """Every passage of the notice, in the notice's order."""
    deepest = _deepest_clause(kb)
    found: list[Passage] = []
    for line in kb.notice_lines():
        if line.startswith(NOT_THE_NOTICE) or line not in deepest:
            continue
        clause = deepest[line]
        for text, kind in _pieces(line):
            if clause in ("标题", "文号", "落款", "联系人") or re.fullmatch(
                r"\d{4}年\d+月\d+日", text
            ):
                kind = "letterhead"
            found.append(Passage(f"p{len(found) + 1:02d}", clause, text, kind))
    for clause in kb.clauses.values():  # the focus areas, each its own clause: 四(一)(6)
        if re.search(r"\(\d+\)$", clause.id):
            found.append(Passage(f"p{len(found) + 1:02d}", clause.id, clause.text, "item"))
    return found


def load_passage_file(path: Path | None = None) -> PassageFile:
    return validate_one(path or data_dir() / "passages.yaml", PassageFile)


def _owner(items: list[Passage], at: str) -> Passage:
    key = squeeze(at)
    owners = [p for p in items if key == squeeze(p.text)]  # the whole passage, else its start,
    owners = owners or [p for p in items if squeeze(p.text).startswith(key)]  # else a piece
    owners = owners or [p for p in items if key in squeeze(p.text)]
    if len(owners) != 1:
        where = "no passage" if not owners else f"{len(owners)} passages"
        raise KnowledgeError(f"passages.yaml: at '{at}': found in {where} (need exactly one)")
    return owners[0]


COVERED_SHARE = 0.8  # of a passage's runs of RUN characters found in an answer
RUN = 4


def _runs(text: str) -> set[str]:
    return {text[i : i + RUN] for i in range(len(text) - RUN + 1)}


def stated_share(passage: str, answer: str) -> float:
    """How much of the passage the answer states: the share of its runs of four characters
    the answer holds (1.0 when it holds the passage whole)."""
    key, text = squeeze(passage), squeeze(answer)
    if key in text:
        return 1.0
    runs = _runs(key)
    return len(runs & _runs(text)) / len(runs) if runs else 0.0


@functools.lru_cache(maxsize=2)
def _answer_runs(answers: tuple[str, ...]) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each answer squeezed, with its runs (for the last knowledge or two: made once a load)."""
    return tuple((text, frozenset(_runs(text))) for text in map(squeeze, answers))


def covered_by(kb: Knowledge, passage: Passage) -> FaqEntry | None:
    """The FAQ entry that states the passage (almost) in full, if any (never a heading's or a
    focus area's: a reference by number lands on them);
    of those stating most of it, the shortest (the most specific)."""
    if passage.kind in ("heading", "item"):
        return None
    key = squeeze(passage.text)
    runs = _runs(key)
    shares = []
    answers = _answer_runs(tuple(e.answer for e in kb.faq))
    for entry, (text, held) in zip(kb.faq, answers, strict=True):
        share = 1.0 if key in text else len(runs & held) / len(runs) if runs else 0.0
        shares.append((share, entry))
    best = max(share for share, _ in shares)
    if best < COVERED_SHARE:
        return None
    return min((e for share, e in shares if share >= best - 0.02), key=lambda e: len(e.answer))


HEADING_BODY_MAX = 400  # characters of the text under a heading quoted with it
_HAN_PUNCT_RE = re.compile(r"(?<=[\u4e00-\u9fff”）)》])([,;:])")
FULL_WIDTH = {",": "，", ";": "；", ":": "："}


def display(text: str) -> str:
    """The notice's words with its half-width commas, semicolons and colons after Chinese
    text shown full-width ("负责…,省质量管理协会" -> "负责…，省质量管理协会")."""
    return _HAN_PUNCT_RE.sub(lambda m: FULL_WIDTH[m.group(1)], text)


def _under(passage: Passage, items: list[Passage]) -> str:
    """What a heading stands over: its sub-clauses' headings, else its sentences."""
    subs = [p for p in items if p.kind == "heading" and p.clause.startswith(passage.clause + "(")]
    if subs:  # a part of the notice: the headings of its sub-clauses
        return "；".join(f"{p.clause[len(passage.clause) :]}{p.text}" for p in subs) + "。"
    inside = [
        p.text
        for p in items
        if p.kind == "sentence" and p.clause.startswith(passage.clause) and p.text[-1] not in ":："
    ]
    body = "".join(t if t.endswith("。") else t + "；" for t in inside)
    body = body[:-1] + "。" if body.endswith("；") else body
    return body if len(body) <= HEADING_BODY_MAX else body[:HEADING_BODY_MAX] + "……"


def answer_of(passage: Passage, items: list[Passage], frames: dict[str, str]) -> str:
    """The notice's words in their frame; a heading with what it stands over."""
    body = _under(passage, items) if passage.kind == "heading" else ""
    return display(frames[passage.kind].format(text=passage.text, clause=passage.clause, body=body))


def _asks(passage: Passage) -> list[str]:
    """The kinds of answer a passage gives, read from its words."""
    kinds = {"what", "how"}
    if re.search(r"\d+月|\d{4}年\d|之日", passage.text):
        kinds.add("when")
    if re.search(r"\d+个|\d+—\d+个", passage.text):
        kinds.add("how_many")
    if re.search(r"负责|委托|组织单位|省经信委|协会", passage.text):
        kinds.add("who")
    if re.search(r"报送|处", passage.text):
        kinds.add("where")
    if "费用" in passage.text:
        kinds.add("money")
    return sorted(kinds)


def _given(kb: Knowledge, items: list[Passage], path: Path | None) -> dict[str, PassageQuestions]:
    extra: dict[str, PassageQuestions] = {}
    for given in load_passage_file(path).passages:
        owner = _owner(items, given.at)
        if owner.id in extra:
            raise KnowledgeError(f"passages.yaml: at '{given.at}': passage {owner.id} given twice")
        extra[owner.id] = given
    return extra


def answer_units(kb: Knowledge, path: Path | None = None) -> list[FaqEntry]:
    """Every answer unit: the FAQ entries, then each passage no entry states in full.

    The questions ``passages.yaml`` gives a passage go to the unit that answers for it: the
    passage's own unit, or the FAQ entry covering it.
    """
    items = passages(kb)
    frames = load_passage_file(path).frames
    extra = _given(kb, items, path)
    added: dict[str, list[str]] = {}
    year = kb.programme.calendar_year
    units = []
    for passage in items:
        given = extra.get(passage.id)
        questions = list(given.questions) if given else []
        if (cover := covered_by(kb, passage)) is not None:
            added.setdefault(cover.id, []).extend(questions)
            continue
        asks = set(_asks(passage)) | set(given.asks if given else [])
        units.append(
            FaqEntry(
                id=passage.id,
                topic=f"passage:{passage.kind}",
                clause=passage.clause,
                questions=[*questions, passage.text] if questions else [passage.text] * 2,
                answer=answer_of(passage, items, frames),
                dated=year if passage.clause.startswith(DATED_CLAUSE) else None,
                asks=sorted(asks),
                quoted=True,
            )
        )
    faq = [
        e.model_copy(update={"questions": [*e.questions, *added[e.id]]}) if e.id in added else e
        for e in kb.faq
    ]
    return faq + units


def answering_unit(kb: Knowledge) -> dict[str, str]:
    """Passage id -> the id of the unit that answers for it (its own, or a covering entry's)."""
    return {p.id: (c.id if (c := covered_by(kb, p)) else p.id) for p in passages(kb)}
