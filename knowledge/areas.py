"""Focus-area suggestion: a free-text description of a practice -> the ten areas of 四(一), ranked.

The matcher weighs what the practice is *about*, not the first keyword it contains:

* every vocabulary term of ``areas.yaml`` has a weight by tier (strong / vocabulary / weak),
  lowered by how many areas share it (specificity);
* a term inside a longer matched term does not count on its own ("服务型制造" is not "制造");
* a term in an instrumental phrase ("借助 MES 实现…", "依托物联网为客户提供…") counts less, the
  purpose that follows it counts more; the opening clause, which usually names the practice,
  counts a little more; a repeated term adds a little, not its full weight again;
* the raw scores become confidences 0..1 (a softmax scaled by how much evidence there is), and a
  suggestion is flagged low-confidence when the best is weak or the top two are too close.

Text goes through :func:`knowledge.text.normalize` first, so traditional characters, full-width
forms and English (via the glossary) meet the same vocabulary. Pure and fast: built once.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from knowledge.models import Area, Knowledge
from knowledge.text import fold, normalize, prepare

TIER_WEIGHTS = {"strong": 3.0, "vocabulary": 1.2, "weak": 0.4}
INSTRUMENT_FACTOR = 0.5  # a tool the practice used, not what it is about
PURPOSE_FACTOR = 1.25  # what the tool was used for
OPENING_FACTOR = 1.15  # the first clause usually names the practice
OVERLAP_FACTOR = 0.5  # a term sharing characters with the one before it: one idea, not two
PATTERN_WEIGHT = 2.0  # a typical sentence shape of an area ("为客户提供…服务")
REPEAT_BONUS = 0.15  # each further mention of the same term, up to REPEAT_CAP mentions
REPEAT_CAP = 4
TEMPERATURE = 1.2  # softmax temperature over raw scores
FULL_EVIDENCE = 3.0  # a raw score at which the evidence counts as complete
LOW_SCORE = 0.35  # best confidence below this: low confidence
CLOSE_GAP = 0.12  # best minus second below this: low confidence
MAX_CHARS = 4000  # longer descriptions are read up to here

_CLAUSE_RE = re.compile(r"[^，。；;！？!?\n,.]+")
_INSTRUMENT_RE = re.compile(r"借助|依托|利用|采用|使用|基于|凭借|借力|运用|依靠|引入|通过")
_PURPOSE_RE = re.compile(
    r"实现|提供|开展|进行|推动|促进|支撑|打造|提升|提高|完成|达到|做到|形成|构建|建立|"
    r"转为|转向|转型|推行|打通|为客户|对客户|对产品|对设备|对每|让|使"
)
Factors = Callable[[int], float]  # text position -> weight factor of a term found there

_LATIN_CHAR_RE = re.compile(r"[a-z0-9]")
_HAN_GAP_RE = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")


@dataclass(frozen=True)
class _Entry:
    area: int
    weight: float
    display: str


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    term: str
    overlaps: bool = False


@dataclass(frozen=True)
class AreaScore:
    """One area's place in a suggestion: a confidence 0..1 and the words that led to it."""

    area: Area
    score: float
    raw: float
    matched: tuple[str, ...]

    @property
    def number(self) -> int:
        return self.area.number


@dataclass(frozen=True)
class AreaSuggestion:
    """All ten areas ranked best first, and whether the best is too uncertain to propose alone."""

    ranked: tuple[AreaScore, ...]
    low_confidence: bool

    @property
    def best(self) -> AreaScore:
        return self.ranked[0]

    @property
    def has_evidence(self) -> bool:
        return self.best.raw > 0

    def numbers(self) -> list[int]:
        return [s.number for s in self.ranked]


class AreaMatcher:
    """Vocabulary index over the ten areas; ``suggest(text)`` ranks them."""

    def __init__(self, kb: Knowledge) -> None:
        # Built where many texts follow (a server's start, a batch): their first traditional
        # or English text should not be the one that pays for the converters.
        prepare()
        self._areas = sorted(kb.areas, key=lambda a: a.number)
        self._terms = _build_index(self._areas)
        self._prefixes = _prefix_lengths(self._terms)
        self._patterns = [(a.number, re.compile(p)) for a in self._areas for p in a.patterns]

    @property
    def areas(self) -> list[Area]:
        return list(self._areas)

    def area(self, number: int) -> Area:
        return next(a for a in self._areas if a.number == number)

    def suggest(self, text: str) -> AreaSuggestion:
        """Rank all ten areas for a description of a practice."""
        norm = _HAN_GAP_RE.sub("", normalize(text or "")[:MAX_CHARS])
        raw, matched = self._score(norm)
        return _rank(self._areas, raw, matched)

    def title_method(self, number: int, text: str) -> str:
        """The 方法 part of a case title: a named method found in ``text``, else the area's."""
        area = self.area(number)
        norm = _HAN_GAP_RE.sub("", normalize(text or ""))
        for term, phrase in area.title_methods.items():
            if any(form in norm for form in _term_forms(term)):
                return phrase
        return area.method or area.title

    def find_terms(self, norm: str) -> list[_Hit]:
        """Vocabulary terms found in normalised text; a term inside a longer one is dropped."""
        hits: list[_Hit] = []
        for i in range(len(norm) - 1):
            longest = self._prefixes.get(norm[i : i + 2], 0)
            for length in range(min(longest, len(norm) - i), 1, -1):
                piece = norm[i : i + length]
                if piece in self._terms and _latin_bounded(norm, i, i + length):
                    hits.append(_Hit(i, i + length, piece))
                    break
        return _drop_contained(hits)

    def _score(self, norm: str) -> tuple[dict[int, float], dict[int, list[str]]]:
        factors = _context_factors(norm)
        per_term: dict[str, list[float]] = defaultdict(list)
        for hit in self.find_terms(norm):
            per_term[hit.term].append(factors(hit.start) * (OVERLAP_FACTOR if hit.overlaps else 1))
        contributions: dict[int, list[tuple[float, str]]] = defaultdict(list)
        for term, mentions in per_term.items():
            factor = max(mentions) * (1 + REPEAT_BONUS * (min(len(mentions), REPEAT_CAP) - 1))
            for entry in self._terms[term]:
                contributions[entry.area].append((entry.weight * factor, entry.display))
        for number, weight, snippet in self._pattern_hits(norm, factors):
            contributions[number].append((weight, snippet))
        raw = {n: sum(w for w, _ in items) for n, items in contributions.items()}
        matched = {n: _ordered_words(items) for n, items in contributions.items()}
        return raw, matched

    def _pattern_hits(self, norm: str, factors: Factors) -> list[tuple[int, float, str]]:
        """Typical sentence shapes: each pattern counts once, at its best place."""
        found: list[tuple[int, float, str]] = []
        for number, pattern in self._patterns:
            matches = list(pattern.finditer(norm))
            if matches:
                best = max(matches, key=lambda m: factors(m.start()))
                snippet = best.group()
                snippet = snippet if len(snippet) <= 12 else snippet[:11] + "…"
                found.append((number, PATTERN_WEIGHT * factors(best.start()), snippet))
        return found


# ---- index ---------------------------------------------------------------------------------


def _term_forms(term: str) -> set[str]:
    """The forms a vocabulary term can take after normalisation of a user's text."""
    forms = {fold(term), normalize(term), fold(term).replace(" ", "")}
    return {f for f in forms if len(f) >= 2}


def _build_index(areas: list[Area]) -> dict[str, list[_Entry]]:
    best: dict[str, dict[int, tuple[float, str]]] = defaultdict(dict)
    for area in areas:
        tiers = {"strong": area.strong, "vocabulary": area.vocabulary, "weak": area.weak}
        for tier, terms in tiers.items():
            for term in terms:
                for form in _term_forms(term):
                    old = best[form].get(area.number)
                    if old is None or old[0] < TIER_WEIGHTS[tier]:
                        best[form][area.number] = (TIER_WEIGHTS[tier], term)
    index: dict[str, list[_Entry]] = {}
    for form, by_area in best.items():
        share = math.sqrt(len(by_area))  # specificity: a term of many areas says less
        index[form] = [_Entry(n, w / share, display) for n, (w, display) in by_area.items()]
    return index


def _prefix_lengths(terms: dict[str, list[_Entry]]) -> dict[str, int]:
    longest: dict[str, int] = {}
    for term in terms:
        key = term[:2]
        longest[key] = max(longest.get(key, 0), len(term))
    return longest


def _latin_bounded(text: str, start: int, end: int) -> bool:
    """A Latin term must not be part of a longer Latin word ("mes" in "times")."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if _LATIN_CHAR_RE.match(text[start]) and _LATIN_CHAR_RE.match(before):
        return False
    return not (_LATIN_CHAR_RE.match(text[end - 1]) and _LATIN_CHAR_RE.match(after))


def _drop_contained(hits: list[_Hit]) -> list[_Hit]:
    kept: list[_Hit] = []
    reach = -1
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if hit.end <= reach:
            continue
        kept.append(_Hit(hit.start, hit.end, hit.term, overlaps=hit.start < reach))
        reach = hit.end
    return kept


# ---- context -------------------------------------------------------------------------------


def _context_factors(norm: str) -> Factors:
    """Per position: instrumental phrases count less, their purpose more, the opening more."""
    spans: list[tuple[int, int, float]] = []
    clauses = list(_CLAUSE_RE.finditer(norm))
    for index, clause in enumerate(clauses):
        base = OPENING_FACTOR if index == 0 and len(clauses) > 1 else 1.0
        spans.extend(_clause_spans(clause.group(), clause.start(), base))

    def factor(pos: int) -> float:
        for start, end, value in spans:
            if start <= pos < end:
                return value
        return 1.0

    return factor


def _clause_spans(clause: str, offset: int, base: float) -> list[tuple[int, int, float]]:
    tool = _INSTRUMENT_RE.search(clause)
    purpose = _PURPOSE_RE.search(clause, tool.end() + 2) if tool else None
    end = offset + len(clause)
    if tool is None or purpose is None:
        return [(offset, end, base)]
    return [
        (offset, offset + tool.start(), base),
        (offset + tool.start(), offset + purpose.start(), base * INSTRUMENT_FACTOR),
        (offset + purpose.start(), end, base * PURPOSE_FACTOR),
    ]


# ---- ranking -------------------------------------------------------------------------------


def _ordered_words(items: list[tuple[float, str]]) -> list[str]:
    words: list[str] = []
    for _, display in sorted(items, key=lambda item: -item[0]):
        if display not in words:
            words.append(display)
    return words


def _rank(
    areas: list[Area], raw: dict[int, float], matched: dict[int, list[str]]
) -> AreaSuggestion:
    top = max(raw.values(), default=0.0)
    exps = {a.number: math.exp((raw.get(a.number, 0.0) - top) / TEMPERATURE) for a in areas}
    total = sum(exps.values())
    strength = min(1.0, top / FULL_EVIDENCE)
    scored = [
        AreaScore(
            area=a,
            score=round(exps[a.number] / total * strength, 3),
            raw=round(raw.get(a.number, 0.0), 3),
            matched=tuple(matched.get(a.number, [])[:6]),
        )
        for a in areas
    ]
    ranked = tuple(sorted(scored, key=lambda s: (-s.raw, s.number)))
    gap = ranked[0].score - ranked[1].score
    low = ranked[0].score < LOW_SCORE or gap < CLOSE_GAP
    return AreaSuggestion(ranked=ranked, low_confidence=low)
