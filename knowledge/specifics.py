"""Specifics the notice does not give: a question that asks for something no clause holds.

A trap question names a topic the notice treats and asks for a detail it never gives: a pass
mark, a figure, what happens if. Matching finds the right clause, and quoting it as the answer
would pass it off as one. Two general tests, neither a list of questions:

* **an unsaid measure** (``unsaid_measure``): the question asks for a figure ("…是多少", "…要多少",
  "…有几") of a thing (the content word just before the ask) that neither the notice nor any of
  our units ever names: "评审的通过分数线是多少" (分数线), "营业额要求是多少" (营业额),
  "员工人数至少要多少" (人数). The notice cannot give a figure of what it never mentions: the
  reply says it has no rule on that, with the clause the question is about.
* **what the units give** (``inferred_gives``): the kinds of answer a unit gives are the kinds
  it declares and, for the kinds only a few units give (what happens if…: ``consequence``), the
  kinds its own questions ask: a unit written to answer "怕泄露核心技术怎么办" gives a
  consequence; a clause that is only a quota does not ("超过名额了怎么办" is told the notice
  does not say what happens then, and what the quota is).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from knowledge.analysis import GENERAL_WORDS, Analysis
from knowledge.text import has_han

# Asking for a figure: the thing asked about is the content word before these.
FIGURE_WORDS = frozenset({"多少", "是多少", "几", "多高", "多大", "多低", "多少分", "几分"})
# Words between the thing and the ask that say nothing of what it is (营业额[要求][是]多少,
# 占比[要][达到]多少).
QUALIFIERS = frozenset(
    {
        "要求", "标准", "门槛", "规定", "数量", "数目", "上限", "下限", "起码", "至少", "最少",
        "最低", "最高", "一般", "大概", "大约", "通常", "具体", "一共", "总共", "总计", "合计",
        "左右", "以上", "以下", "需要", "应该", "必须", "得", "达到", "定在", "设在", "划在",
        "控制在", "不低于", "不少于", "不高于", "超过",
    }
)  # fmt: skip
LOOK_BACK = 4  # words before the ask searched for the thing asked about
# Kinds inferred from a unit's own questions (others must be declared: faq.yaml ``asks``)
INFERRED_KINDS = frozenset({"consequence"})
_LATIN_RE = re.compile(r"^[a-z]+$")


def unsaid_measure(a: Analysis, familiar: Callable[[str], bool]) -> str | None:
    """The thing whose figure the question asks for, when nothing we hold ever names it.

    ``familiar(word)``: does the notice, or a unit's answer, question or keyword, use the word?
    Only a content word counts (two characters or more, Han, not everyday, not a qualifier): a
    question whose ask follows a verb or a known word goes the usual way.
    """
    words = list(a.words)
    for index, word in enumerate(words):
        if word not in FIGURE_WORDS:
            continue
        for before in reversed(words[max(0, index - LOOK_BACK) : index]):
            if len(before) < 2 or not has_han(before) or before in QUALIFIERS:
                continue  # 的, 是, 要, 有…: look further back
            if before in GENERAL_WORDS or familiar(before):
                return None
            return before
        return None
    return None


def inferred_gives(
    declared: Iterable[str], question_kinds: Iterable[frozenset[str]]
) -> frozenset[str]:
    """The kinds a unit gives: those it declares, and the inferred kinds its questions ask."""
    asked = frozenset().union(*question_kinds) if question_kinds else frozenset()
    return frozenset(declared) | (asked & INFERRED_KINDS)


def latin_content(a: Analysis, stopwords: frozenset[str]) -> list[str]:
    """The English words of a question that carry a topic (not the glossary's, not stopwords)."""
    return [w for w in a.latin if _LATIN_RE.match(w) and w not in stopwords]
