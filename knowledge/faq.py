"""FAQ matching — first version: character bigram overlap (to be replaced by the measured method)."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from knowledge.models import FaqEntry, Knowledge

THRESHOLD = 60.0


@dataclass(frozen=True)
class FaqMatch:
    entry: FaqEntry
    score: float


class FaqMatcher:
    def __init__(self, kb: Knowledge) -> None:
        self._pairs = [(q, e) for e in kb.faq for q in e.questions]

    def best(self, text: str) -> FaqMatch | None:
        scored = [(fuzz.partial_ratio(text, q), e) for q, e in self._pairs]
        score, entry = max(scored, key=lambda s: s[0], default=(0.0, None))
        return FaqMatch(entry, score / 100) if entry is not None and score >= THRESHOLD else None
