"""Typed shapes of the knowledge data files; every fact carries the clause it comes from."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from knowledge.notice import Clause


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
    """One of the six basic conditions of 四(二)."""

    number: int = Field(ge=1, le=6)
    key: str = Field(pattern=r"^c[1-6]$")
    text: str = Field(description="the notice's own wording")
    short: str = Field(description="a few words for summaries")
    priority_only: bool = Field(default=False, description="优先: an advantage, never a failure")
    parts: list[ConditionPart] = Field(min_length=1)
    explain: str = Field(description="plain-words explanation, grounded in the notice")
    examples_note: str = Field(default="", description="says so where the notice is silent")
    counts: list[str] = Field(default_factory=list, description="examples of what counts")
    not_counts: list[str] = Field(default_factory=list, description="examples of what does not")
    verify: str = Field(default="", description="how to check it when unsure")
    remedy: str = Field(default="", description="what an enterprise could do when it fails")


class Area(Fact):
    """One of the ten focus areas of 四(一)."""

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
    id: str
    text: str


class OrganizerKind(Fact):
    id: str
    name: str
    role: str


class Material(Fact):
    id: str
    name: str
    attachment: str = Field(description="附件1 / 附件2")
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
    """A question the notice answers, in several phrasings, with the notice's own answer."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    topic: str
    questions: list[str] = Field(min_length=2)
    answer: str = Field(min_length=4)
    keywords: list[str] = Field(default_factory=list, description="terms that signal this entry")
    dated: bool = Field(default=False, description="states 2016 calendar dates")


class Knowledge(BaseModel):
    """Everything biaogan knows, loaded once and validated."""

    model_config = ConfigDict(frozen=True)

    clauses: dict[str, Clause]
    conditions: list[Condition]
    areas: list[Area]
    programme: Programme
    faq: list[FaqEntry]

    def clause(self, clause_id: str) -> Clause:
        return self.clauses[clause_id]
