"""The pass rules of ``../shared/eval/README.md``, applied to what ``biaogan ask --jsonl`` prints.

Every row is asked the way a script asks (``conversations.ask.ask_record``: one question through
the router, as a newcomer at the menu): the scored text is the reply a user reads, and for the
intents the reply plus its buttons' labels. Used by ``bench/faq_eval.py`` and the tests.

* faq: the reply holds one string of ``any`` (if any) and every string of ``all``;
* traps: no ``must_not`` string, no 2016 fact of 五 without "2016", at most 1,200 characters;
  then ``any`` (``["SILENT"]``: a silence word), or for a ``silent`` row a silence word or the
  contacts' number;
* oos: no notice entry presented as the answer (``entry`` null: greet, decline, say the notice
  does not cover it), or an answer that says the notice is silent and gives the contacts (a
  ``partial`` entry or reply — what the notice says and what it does not give — a ``related``
  reply — the closest clause offered as such, not as the answer — or another year declined);
* intents: help and menu show two of the menu's entries and use no entry; not_faq uses no entry
  and states no fact; apply shows two of the route's words; contact shows the number.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from conversations.ask import ask_record
from conversations.core import Context

SILENCE_WORDS = (
    "没有规定", "未规定", "没有说明", "未说明", "没有提到", "未提及", "没有关于", "没有给出",
    "未给出", "没有提供", "未提供", "没有明确", "未明确", "不便", "没有写", "未写明", "没有涉及",
    "未涉及",
)  # fmt: skip
FACTS_OF_2016 = ("6月30", "7月底", "8月—11月", "12月份", "1—2个", "10个")
CONTACT_NUMBER = "83392940"
MAX_REPLY_CHARS = 1200
MENU_WORDS = ("资格自测", "领域推荐", "常见问题", "日程", "提醒", "联系方式")
APPLY_WORDS = ("自测", "基本条件", "申报表", "附件2", "组织单位", "典型经验")
NOTICE_FACTS = (*FACTS_OF_2016, CONTACT_NUMBER, "科技与质量处", "不向企业收取")
OFF_TOPIC_KINDS = frozenset({"offtopic", "greeting", "abuse", "gibberish"})


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def faq_passes(record: dict, row: dict) -> bool:
    """One of ``any`` (if any) and all of ``all``, plain substrings of the reply."""
    reply = record["reply"]
    any_of, all_of = row.get("any") or [], row.get("all") or []
    return (not any_of or any(s in reply for s in any_of)) and all(s in reply for s in all_of)


def trap_passes(record: dict, row: dict) -> bool:
    """The README's faithfulness rule for one traps row."""
    reply = record["reply"]
    if any(s in reply for s in row.get("must_not") or []):
        return False
    if "2016" not in reply and any(f in reply for f in FACTS_OF_2016):
        return False
    if len(reply) > MAX_REPLY_CHARS:
        return False
    silent = any(w in reply for w in SILENCE_WORDS)
    if any_of := row.get("any"):
        return silent if any_of == ["SILENT"] else any(s in reply for s in any_of)
    if row["kind"] == "silent":
        return silent or CONTACT_NUMBER in reply
    return True


def oos_passes(record: dict, row: dict) -> bool:
    """No notice entry used, or a decline that says the notice is silent, with the contacts."""
    if record["entry"] is None:
        return True
    reply = record["reply"]
    if record["kind"] == "related":  # the closest clause offered as such, with the contacts
        return CONTACT_NUMBER in reply
    declined = record["kind"] in ("other_year", "not_in_notice", "partial") or record["partial"]
    return declined and any(w in reply for w in SILENCE_WORDS) and CONTACT_NUMBER in reply


def intent_passes(record: dict, row: dict) -> bool:
    shown = record["reply"] + " " + " ".join(record["buttons"])
    kind = row["kind"]
    if kind in ("help", "menu"):
        return record["clause"] is None and sum(w in shown for w in MENU_WORDS) >= 2
    if kind == "not_faq":
        facts = any(f in record["reply"] for f in NOTICE_FACTS)
        return bool(record["reply"].strip()) and record["entry"] is None and not facts
    if kind == "apply":
        return sum(w in shown for w in APPLY_WORDS) >= 2
    if kind == "contact":
        return CONTACT_NUMBER in shown
    raise ValueError(f"unknown intent kind {kind!r}")


RULES: dict[str, Callable[[dict, dict], bool]] = {
    "faq": faq_passes,
    "traps": trap_passes,
    "oos": oos_passes,
    "intents": intent_passes,
}


@dataclass
class FileScore:
    name: str
    rule: str
    rows: int = 0
    passed: int = 0
    by_group: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    failures: list[str] = field(default_factory=list)
    phones_off_topic: int = 0  # off-topic rows answered with the contacts' phone numbers
    kinds: Counter = field(default_factory=Counter)  # the replies' kinds: answered, related…

    @property
    def rate(self) -> float:
        return self.passed / self.rows if self.rows else 0.0

    def add(self, group: str, ok: bool, failure: str) -> None:
        self.rows += 1
        self.passed += ok
        self.by_group[group][0] += ok
        self.by_group[group][1] += 1
        if not ok:
            self.failures.append(failure)


def ask(ctx: Context, question: str) -> dict:
    """The ``ask --jsonl`` line of one question (with the entry's ``partial`` flag)."""
    record = ask_record(ctx, {"q": question})
    partial = {e.id for e in ctx.kb.faq if e.partial}
    record["partial"] = record["entry"] in partial
    return record


def score_file(ctx: Context, rows: list[dict], name: str, rule: str) -> FileScore:
    """Every row of one file asked and judged by ``rule`` (faq, traps, oos, intents)."""
    score, passes = FileScore(name, rule), RULES[rule]
    for row in rows:
        record = ask(ctx, row["q"])
        group = row.get("topic") or row.get("kind", "")
        short = record["reply"].replace("\n", " ")[:100]
        line = f"{row.get('id', '')} [{group}] {row['q']} -> {record['kind']} {record['entry']}"
        score.add(group, passes(record, row), f"{line} ({record['score']:.2f}) {short}")
        score.kinds[record["kind"]] += 1
        if rule == "oos" and row.get("kind") in OFF_TOPIC_KINDS:
            score.phones_off_topic += CONTACT_NUMBER in record["reply"]
    return score
