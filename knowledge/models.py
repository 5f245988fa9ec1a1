"""Typed shapes of the knowledge data files; every fact carries the clause it comes from."""

from __future__ import annotations

import re
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from knowledge.notice import Clause


def regex(pattern: str) -> str:
    """``pattern`` when it compiles as a regular expression; a ValueError naming it otherwise
    (the one check the data files' patterns go through: scope rules, lexicon, intents)."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a regular expression: {pattern!r}: {exc}") from exc
    return pattern


# How the text of our own (not the notice's) is labelled wherever it is shown next to clauses.
OURS_LABEL = "常见做法，非通知原文"
REFERENCE_LABEL = "供参考"
ASK_KINDS = (
    "when",
    "how_many",
    "where",
    "who",
    "money",
    "what",
    "how",
    "duration",
    "person",
    "area",
    "consequence",
)  # see lexicon.yaml asks
CLAUSE_SEPARATOR = "、"  # an answer drawing on several clauses cites them all: "四(四)、三"


class Fact(BaseModel):
    """Base for anything stated to a user: it names its clause of the notice."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    clause: str = Field(min_length=1, description="clause id, e.g. 四(二)5")


class ConditionPart(BaseModel):
    """One yes/no question of a condition (condition 1 and 5 have two parts)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=r"^c[1-6][a-z_]*$")
    question: str
    kind: str = Field(default="yes_no", pattern=r"^(yes_no|years)$")
    short: str = Field(default="", description="a few words for the answers summary")
    absence_is_yes: bool = Field(
        default=False, description="the question asks about an absence: a typed 没有/无 means 是"
    )


class Condition(Fact):
    """One of the six basic conditions of 四(二).

    ``text`` is the notice's; the fields of ``OUR_FIELDS`` are our own reading and examples,
    to be labelled ``OURS_LABEL`` / ``REFERENCE_LABEL`` wherever they are shown.
    """

    OUR_FIELDS: ClassVar[tuple[str, ...]] = (
        "note",
        "examples_note",
        "counts",
        "not_counts",
        "verify",
        "remedy",
    )

    number: int = Field(ge=1, le=6)
    key: str = Field(pattern=r"^c[1-6]$")
    text: str = Field(description="the notice's own wording")
    short: str = Field(description="a few words for summaries")
    priority_only: bool = Field(default=False, description="优先: an advantage, never a failure")
    parts: list[ConditionPart] = Field(min_length=1)
    explain: str = Field(description="plain-words explanation, grounded in the notice")
    note: str = Field(default="", description="our reading where the notice is not explicit")
    examples_note: str = Field(default="", description="says so where the notice is silent")
    counts: list[str] = Field(default_factory=list, description="examples of what counts")
    not_counts: list[str] = Field(default_factory=list, description="examples of what does not")
    verify: str = Field(default="", description="how to check it when unsure")
    remedy: str = Field(default="", description="what an enterprise could do when it fails")


class Area(Fact):
    """One of the ten focus areas of 四(一).

    The notice names only ``title``; the fields of ``OUR_FIELDS`` (typical practices, the
    matching vocabulary, the example title) are ours, labelled ``OURS_LABEL`` where shown.
    """

    OUR_FIELDS: ClassVar[tuple[str, ...]] = (
        "description",
        "vocabulary",
        "strong",
        "weak",
        "patterns",
        "method",
        "title_methods",
        "example_title",
    )

    number: int = Field(ge=1, le=10)
    title: str
    description: str = Field(description="one line: what practices belong here")
    vocabulary: list[str] = Field(default_factory=list, description="methods, tools, phrasing")
    strong: list[str] = Field(default_factory=list, description="terms that define the area")
    weak: list[str] = Field(default_factory=list, description="generic or incidental signals")
    patterns: list[str] = Field(default_factory=list, description="regexes of typical phrasing")
    method: str = Field(default="", description="default 方法 phrase of a case title")
    title_methods: dict[str, str] = Field(default_factory=dict, description="term -> 方法 phrase")
    example_title: str = Field(default="", description="a case title in the 企业+方法实践经验 form")


class Milestone(Fact):
    """A dated step of the 2016 calendar (五)."""

    id: str
    label: str
    when: str = Field(description="the notice's wording of the date, e.g. 6月30日前")
    month: int = Field(ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31, description="None: end of month")
    end_month: int | None = Field(default=None, ge=1, le=12)
    who: str
    what: str


class Contact(Fact):
    names: list[str] = Field(min_length=1)
    phones: list[str] = Field(min_length=1)
    office: str = ""


class Quota(Fact):
    """A figure of 五: it belongs to the campaign of ``year`` (2016), never to another year."""

    id: str
    text: str
    year: int = Field(ge=2000, le=2100)


class OrganizerKind(Fact):
    id: str
    name: str
    role: str


class Material(Fact):
    """A material an applicant hands in, and the notice's attachment that goes with it.

    ``attachment_role``: ``is`` — the material is that attachment (the 申报表 is 附件2);
    ``requirements`` — the attachment only gives its requirements (the enterprise's own
    典型经验 material, 四(四), follows 附件1, 四(三)); never show it as "附件1".
    """

    id: str
    name: str
    attachment: str = Field(description="附件1 / 附件2")
    attachment_role: Literal["is", "requirements"] = "is"
    requirements: list[str] = Field(default_factory=list)


class Programme(BaseModel):
    """Programme facts of the notice beyond conditions, areas and FAQ."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    document_number: str
    title: str
    calendar_year: int
    calendar: list[Milestone] = Field(min_length=1)
    quotas: list[Quota]
    contacts: Contact
    organizers: list[OrganizerKind]
    materials: list[Material]


class FaqEntry(Fact):
    """A question the notice answers, in several phrasings, with the notice's own answer.

    ``clause`` lists every clause the answer uses (``四(四)、三``). ``dated`` is the year whose
    facts the answer states (2016 for everything of 五): shown with that year whenever the
    question is not about it. ``partial``: the answer gives what the notice says and what it
    leaves open. ``quoted``: not an entry of faq.yaml but a sentence of the notice quoted as the
    answer when no entry fits (``knowledge.quotes``).
    """

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    topic: str
    questions: list[str] = Field(min_length=2)
    answer: str = Field(min_length=4)
    keywords: list[str] = Field(default_factory=list, description="terms that signal this entry")
    dated: int | None = Field(default=None, ge=2000, le=2100, description="year of its facts")
    asks: list[str] = Field(default_factory=list, description="kinds of answer it gives")
    partial: bool = Field(default=False, description="says what the notice leaves open")
    quoted: bool = Field(default=False, description="a sentence of the notice, quoted")

    @field_validator("dated", mode="before")
    @classmethod
    def _year_not_flag(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("give the year of the facts (dated: 2016), not true/false")
        return value

    @field_validator("asks")
    @classmethod
    def _known_kinds(cls, value: list[str]) -> list[str]:
        if unknown := sorted(set(value) - set(ASK_KINDS)):
            raise ValueError(f"unknown kinds {unknown}; known: {list(ASK_KINDS)}")
        return value

    @property
    def clauses(self) -> list[str]:
        return self.clause.split(CLAUSE_SEPARATOR)


class Knowledge(BaseModel):
    """Everything biaogan knows, loaded once and validated."""

    model_config = ConfigDict(frozen=True)

    clauses: dict[str, Clause]
    conditions: list[Condition]
    areas: list[Area]
    programme: Programme
    faq: list[FaqEntry]
    notice: str = ""  # the notice's text as packaged (data/notice.txt)

    def clause(self, clause_id: str) -> Clause:
        return self.clauses[clause_id]

    def condition_part(self, key: str) -> tuple[Condition, str] | None:
        """A condition and the words for one of its keys: a part's (``c5_years`` -> 方法应用
        年限) or, for the condition's own key, the whole condition's; None when unknown."""
        for condition in self.conditions:
            if key == condition.key and not any(p.key == key for p in condition.parts):
                return condition, condition.short
            for part in condition.parts:
                if part.key == key:
                    return condition, part.short
        return None

    def notice_lines(self) -> list[str]:
        return [line.strip() for line in self.notice.splitlines() if line.strip()]
