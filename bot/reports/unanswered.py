"""Unanswered questions, near-duplicates grouped (rapidfuzz), most frequent first."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from conversations import texts

SIMILAR = 80  # rapidfuzz ratio (0-100) at which two questions count as the same question
_NOISE = re.compile(r"[\s\W_]+")


@dataclass
class Group:
    text: str  # the most frequent wording
    count: int = 0
    variants: Counter[str] = field(default_factory=Counter)


def key(text: str) -> str:
    """What is compared: lower case, no spaces or punctuation."""
    return _NOISE.sub("", text.lower())


def group_questions(questions: list[str], similar: int = SIMILAR) -> list[Group]:
    """Groups of near-identical questions, largest first (ties: first asked)."""
    from rapidfuzz import fuzz, process  # ~4 MiB: loaded by the first report, not at start-up

    exact = Counter(q.strip() for q in questions if q.strip())
    groups: list[Group] = []
    keys: list[str] = []
    for text, count in exact.most_common():
        k = key(text) or text
        found = process.extractOne(k, keys, scorer=fuzz.ratio, score_cutoff=similar)
        if found is None:
            groups.append(Group(text=text))
            keys.append(k)
            group = groups[-1]
        else:
            group = groups[found[2]]
        group.count += count
        group.variants[text] += count
    return sorted(groups, key=lambda g: -g.count)


def unanswered_text(groups: list[Group], scope: str, limit: int = 20) -> str:
    if not groups:
        return texts.UNANSWERED_NONE.format(scope=scope)
    lines = [texts.UNANSWERED_HEADER.format(scope=scope)]
    for rank, group in enumerate(groups[:limit], start=1):
        lines.append(texts.UNANSWERED_LINE.format(rank=rank, text=group.text, n=group.count))
        others = [v for v in group.variants if v != group.text][:3]
        if others:
            lines.append(texts.UNANSWERED_ALSO.format(others="；".join(others)))
    return "\n".join(lines)
