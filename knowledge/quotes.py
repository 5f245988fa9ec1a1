"""The notice's own sentences as answers: when no FAQ entry fits, quote the clause that does.

Questions about the purpose (一), the slogan, the annual compilation (四(六)), the forms of
exchange (四(五)) or the plan the programme implements (序) may be put in ways no FAQ phrasing
foresees; the notice itself still answers them. Each sentence of the notice is indexed under its
most specific clause and scored like an FAQ phrasing; a confident match becomes a ``FaqEntry``
with ``quoted=True`` whose answer is the sentence, word for word, in quotation marks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from knowledge.analysis import GENERAL_WORDS, Analysis, Method, analyse, features, topic_words
from knowledge.lexicon import lexicon
from knowledge.models import FaqEntry, Knowledge
from knowledge.vectors import Vectors

QUOTE_THRESHOLD = 0.5  # share of the question's topic weight the sentence must hold
MIN_MATCHED = 2  # topic words of the question found in the sentence…
LONG_TERM = 4  # …or one term at least this long (标杆管理法, 江苏企业质量管理成功实践)
MIN_SENTENCE = 10  # shorter pieces are headings
SKIP_CLAUSES = frozenset({"转发", "标题", "文号", "落款", "联系人"})  # letterhead, FAQ entries
HEADING_MAX = 18  # "(一)“质量标杆”的重点领域。" opens its line: a heading, not a sentence
QUOTE_PREFIX = "通知原文："
DATED_CLAUSE = "五"
_SENTENCE_RE = re.compile(r"[^。]+。?")
_AREA_ITEM_RE = re.compile(r"^[(（]\d+[)）]")
_LABEL_RE = re.compile(r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+\.)\s*")


@dataclass(frozen=True)
class Quote:
    entry: FaqEntry
    score: float


def _leaf_of_lines(kb: Knowledge) -> list[tuple[str, str]]:
    """Each line of the notice once, under the most specific clause that holds it."""
    deepest: dict[str, str] = {}
    order: list[str] = []
    for clause in kb.clauses.values():
        if clause.id in SKIP_CLAUSES or re.search(r"\(\d+\)$", clause.id):
            continue  # the inline focus areas are fragments of 四(一)'s line
        for line in clause.text.splitlines():
            if line not in deepest:
                order.append(line)
                deepest[line] = clause.id
            elif len(clause.id) > len(deepest[line]):
                deepest[line] = clause.id
    return [(deepest[line], line) for line in order]


def sentences(kb: Knowledge) -> list[tuple[str, str]]:
    """(clause id, sentence) for every sentence of the notice worth quoting.

    Headings (the short first phrase of a numbered line), salutations ending in a colon and the
    focus-area list items are left out: they answer nothing by themselves.
    """
    found = []
    for clause_id, line in _leaf_of_lines(kb):
        pieces = [p.strip() for p in _SENTENCE_RE.findall(line) if p.strip()]
        if pieces and _LABEL_RE.match(line) and len(pieces[0]) < HEADING_MAX:
            pieces = pieces[1:]
        for piece in pieces:
            sentence = _LABEL_RE.sub("", piece).rstrip("；;")
            if (
                len(sentence) < MIN_SENTENCE
                or sentence.endswith((":", "：", ":。"))
                or _AREA_ITEM_RE.match(sentence)
                or sentence.count("”") != sentence.count("“")
            ):
                continue
            found.append((clause_id, sentence if sentence.endswith("。") else sentence + "。"))
    return found


class QuoteIndex:
    """The notice's sentences, scored against a question like FAQ phrasings."""

    def __init__(
        self, kb: Knowledge, method: Method, unknown_share: Callable[[Analysis], float]
    ) -> None:
        self._unknown_share = unknown_share
        self._generic = frozenset(lexicon().generic) | GENERAL_WORDS
        self.entries: list[FaqEntry] = []
        feats: list[set[str]] = []
        self._topics: list[set[str]] = []
        year = kb.programme.calendar_year
        for index, (clause_id, sentence) in enumerate(sentences(kb)):
            a = analyse(sentence)
            feats.append(features(a, method))
            self._topics.append(topic_words(a, self._generic))
            self.entries.append(
                FaqEntry(
                    id=f"quote_{index}",
                    topic="quote",
                    clause=clause_id,
                    questions=[sentence, kb.clauses[clause_id].heading or sentence],
                    answer=f"{QUOTE_PREFIX}“{sentence}”",
                    dated=year if clause_id.startswith(DATED_CLAUSE) else None,
                    quoted=True,
                )
            )
        self.method = method
        self._vectors = Vectors.over(feats)
        self._texts = [analyse(e.questions[0], segment=False).compact for e in self.entries]

    def best(self, a: Analysis) -> Quote | None:
        """The sentence that answers the question, when one fits well enough.

        The score is the IDF-weighted share of the question's topic words that the sentence
        contains; at least ``MIN_MATCHED`` of them (or one long term) must be there.
        """
        topics = topic_words(a, self._generic)
        topics |= {w[i : i + 2] for w in topics if len(w) >= LONG_TERM for i in (0, len(w) - 2)}
        topics -= self._generic
        if not topics:
            return None
        weight = {w: self._vectors.value("w:" + w) for w in topics}
        total = sum(weight.values())
        cosines = self._vectors.cosines(features(a, self.method))
        best: tuple[float, float, int] | None = None
        for index, text in enumerate(self._texts):
            matched = [w for w in topics if w in text]
            if len(matched) < MIN_MATCHED and not any(len(w) >= LONG_TERM for w in matched):
                continue
            share = sum(weight[w] for w in matched) / total
            key = (share, cosines.get(index, 0.0), index)
            if best is None or key > best:
                best = key
        if best is None:
            return None
        score = round(best[0] * (1.0 - self._unknown_share(a)), 4)
        return Quote(self.entries[best[2]], score) if score >= QUOTE_THRESHOLD else None
