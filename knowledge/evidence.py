"""Two kinds of evidence beside the scorers: the notice's own words quoted in a question, and a
part of the notice named by its heading.

* **verbatim words**: "创立标杆后面接的几个词是啥", "“树标杆、学标杆”后头那半句" quote the
  notice. Every run of four characters of a unit's answer that few units share (at most
  ``RARE`` of them) is indexed; a question holding such runs points at the units that say them.
* **a part named by its heading**: "思路那段说…", "目的里说…", "“高度重视”那条…" name a clause by
  its heading (工作思路, 活动目的, 高度重视，认真落实) followed by a word that points at a part
  of the text (那段, 里说, 那条…); the answer is looked for in that clause.

Pure; built once from the units and the notice's headings.
"""

from __future__ import annotations

import re
from collections import defaultdict

from knowledge.models import FaqEntry
from knowledge.passages import Passage, squeeze

GRAM = 4  # characters of a verbatim run
RARE = 3  # a run said by more units than this is the programme's common talk (质量标杆…)
# words after a heading that point at a part of the text
_POINTER = (
    r"(?:那段|这段|那部分|这部分|那一节|那节|一节|那条|这条|那一条|部分|里说|里面说|里写|中说|"
    r"里讲|里提到|那句)"
)
_TAIL_TOO_COMMON = frozenset({"组织", "内容", "要求", "遴选", "活动", "总结", "条件", "领域"})


class Evidence:
    """The rare verbatim runs of every unit's answer, and the notice's headings."""

    def __init__(self, units: list[FaqEntry], headings: list[Passage]) -> None:
        owners: dict[str, set[str]] = defaultdict(set)
        for unit in units:
            text = squeeze(unit.answer)
            for i in range(len(text) - GRAM + 1):
                owners[text[i : i + GRAM]].add(unit.id)
        self._runs = {run: ids for run, ids in owners.items() if len(ids) <= RARE}
        forms: dict[str, str] = {}
        for heading in headings:
            words = [w for w in re.split(r"[,，、“”]", heading.text) if len(w) >= 2]
            for word in words:
                forms.setdefault(word, heading.clause)
                if len(word) >= 4 and word[-2:] not in _TAIL_TOO_COMMON:
                    forms.setdefault(word[-2:], heading.clause)  # 工作思路 -> 思路
        alternatives = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
        self._forms = forms
        self._heading_re = re.compile(rf"[“”\"']?({alternatives})[“”\"']?{_POINTER}")

    def verbatim(self, compact: str) -> dict[str, int]:
        """Units and how many of their rare runs the (compact) question holds."""
        found: dict[str, int] = defaultdict(int)
        text = squeeze(compact)
        for run in {text[i : i + GRAM] for i in range(len(text) - GRAM + 1)}:
            for unit_id in self._runs.get(run, ()):
                found[unit_id] += 1
        return found

    def named_part(self, compact: str) -> str | None:
        """The clause a question names by its heading ("思路那段" -> 二), or None."""
        match = self._heading_re.search(compact)
        return self._forms[match.group(1)] if match else None
