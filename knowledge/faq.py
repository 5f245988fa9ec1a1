"""Answer matching: free text -> the unit of the notice that answers it, or an honest nothing.

The units are the FAQ entries and every passage of the notice no entry states
(``knowledge.passages``). Two scorers rank them and their scores are combined
(``ALPHA``): the trained answer model (``knowledge.model``: a softmax over sparse character
n-gram and word features, learnt from the questions we wrote for every unit and from questions
outside the programme) and the retrieval over the units' phrasings (``knowledge.retrieval``:
IDF-weighted cosine and coverage, keywords, topic and kind-of-answer checks). The combined
score of the best unit is the confidence; below ``THRESHOLD`` (chosen on a precision/recall
curve over the dev sets' answerable, trap and out-of-scope questions: ``bench/threshold.py``)
the question is not answered from the notice.

A long message is scored on the pieces that may be its question, the question first: the first
piece understood well enough answers; else the best of them and of the condensed form (the
whole, when it has none: a story's preamble only blurs its question). A message not answered
as typed is read once more with its homophone slips respelled.
Kinds of question the notice does not answer but that sound like it are declined by the rules
of ``data/scope.yaml``. What the result carries besides the unit: ``gap`` — kinds of answer the
question asks for (a date, a number, a place, an amount, a duration, a person) that the unit
does not give, so the reply says the notice does not give them; ``about_programme`` — whether
the question is about the programme at all (a question about the weather is not for the
notice's contacts).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Literal

from knowledge.analysis import (
    ENGLISH_STOPWORDS,
    GENERAL_WORDS,
    Analysis,
    analyse,
    candidates,
    remember,
    remember_runs,
    remember_words,
)
from knowledge.evidence import Evidence
from knowledge.features import feature_set, vector
from knowledge.lexicon import lexicon
from knowledge.memo import memo, release_memo
from knowledge.model import NONE, AnswerModel, packaged_model
from knowledge.models import FaqEntry, Knowledge
from knowledge.passages import answer_units, passages
from knowledge.refs import clause_ref
from knowledge.retrieval import Retrieval
from knowledge.scope import ScopeRule, load_scope, out_of_scope
from knowledge.specifics import inferred_gives, latin_content, unsaid_measure
from knowledge.text import has_han, programme_terms

__all__ = ["FaqMatch", "FaqMatcher", "FaqResult", "analyse", "load_scope"]

ALPHA = 0.5  # weight of the trained model in the combined score (the rest: retrieval)
MODEL_SCALE = 2.5  # a model probability of 0.4 counts as full confidence
THRESHOLD = 0.2  # below this combined score the question is not answered from the notice…
RELATED = 0.12  # …but above this one the closest unit is offered, hedged ("did you mean")
OUTSIDE = 0.35  # the model's probability of "outside the programme" from which it is…
OUTSIDE_NAMED = 0.6  # …or this, when the question names a word of the programme
OUTSIDE_SURE = 0.5  # from this probability a question naming nothing of the programme is not
# about it: declined without the notice's contacts, and never offered a "closest clause"
MAX_PIECES = 2  # pieces of a long message scored as its question, besides the whole
RECENT_PIECES = 12  # pieces whose scores are kept (the parts of the message being answered)
RUNNERS_UP = 6  # units after the best kept, for one that gives the kind of answer asked
GAP_RERANK = 0.8  # a runner-up this close to the best, giving the kind asked, answers instead
ALSO_WHO = 0.3  # a runner-up this close that says who does it is quoted beside the best
STRONG = 0.35  # a match this good is answered whatever the outside probability says
VERBATIM_BONUS = 0.07  # per run of four of the notice's words the question quotes, past one…
VERBATIM_CAP = 0.3  # …at most this much
ELSEWHERE = 0.5  # a unit outside the part of the notice the question names by its heading
HEADING_EDGE = 0.01  # that part's heading (with all it holds) ahead of its single sentences
REF_SCORE = 0.9  # a clause named by its number ("第三条") is answered with this confidence
GAP_KINDS = frozenset(
    {"when", "how_many", "where", "money", "duration", "person", "who", "how", "consequence"}
)
DEFAULT_GIVES = frozenset({"what", "how"})  # what a unit declaring no kinds gives
UNSAID = "unsaid_measure"  # the "rule" of a figure asked of a thing the notice never names

Reason = Literal["answered", "quoted", "related", "empty", "low_score", "out_of_scope"]


@dataclass(frozen=True)
class FaqMatch:
    entry: FaqEntry
    score: float


@dataclass(frozen=True)
class FaqResult:
    """What the matcher made of a question, answered or not (for replies, logs and benches).

    ``reason == "quoted"``: the unit is a passage of the notice (``entry.quoted``), shown as the
    notice's words with its clause. ``reason == "related"``: no unit is confident enough, but
    the best (``candidate``) is close: offered as the closest clause, not as the answer.
    """

    match: FaqMatch | None
    reason: Reason
    score: float = 0.0
    candidate: FaqEntry | None = None  # best unit even when below the threshold
    rule: str | None = None  # the scope rule that declined the question
    question: str = ""  # the text matched: the whole message, or the piece that is its question
    gap: frozenset[str] = field(default_factory=frozenset)
    about_programme: bool = True
    also: FaqEntry | None = None  # a further unit that says who does it, when the match does not

    @property
    def answered(self) -> bool:
        return self.match is not None


@dataclass(frozen=True)
class _Scored:
    score: float
    unit: FaqEntry
    outside: float  # the model's probability of "outside the programme"
    top: float  # the model's probability of the likeliest unit
    analysis: Analysis
    text: str
    runners_up: tuple[tuple[float, FaqEntry], ...] = ()  # the next units, best first


def notice_words(kb: Knowledge, lex) -> frozenset[str]:
    """The notice's own words of two characters or more, without generic and everyday ones."""
    everyday = frozenset(lex.generic) | frozenset(lex.everyday) | GENERAL_WORDS
    found = set()
    for run in remember_runs("。".join(c.text for c in kb.clauses.values())):
        found.update(
            w for w in remember_words(run) if len(w) >= 2 and not w.isdigit() and w not in everyday
        )
    return frozenset(found)


class FaqMatcher:
    """The best unit for a question; every index is built once, here."""

    def __init__(
        self,
        kb: Knowledge,
        threshold: float = THRESHOLD,
        related: float = RELATED,
        scope: list[ScopeRule] | None = None,
        cache_size: int = 0,
        model: AnswerModel | Literal[False] | None = None,
        alpha: float = ALPHA,
    ) -> None:
        self.threshold, self.related, self.alpha = threshold, related, alpha
        self.outside = OUTSIDE
        # The same questions come back ("要交费吗"): a bounded cache of results by exact text.
        # A result depends on the text and the packaged data only, never on the clock.
        self.classify = (
            functools.lru_cache(maxsize=cache_size)(self._classify)
            if cache_size
            else self._classify
        )
        self.units = answer_units(kb)
        self.entries = self.units
        self._by_id = {u.id: u for u in self.units}
        self._recent: dict[str, _Scored | None] = {}
        self.scope = load_scope() if scope is None else scope
        self.retrieval = Retrieval(kb, self.units)
        headings = [p for p in passages(kb) if p.kind == "heading"]
        self.evidence = Evidence(self.units, headings)
        self.model = None if model is False else (model or packaged_model())
        if self.model is None:
            self.alpha = 0.0  # no model packaged: retrieval alone
        lex = lexicon()
        self._lexicon = lex
        self._programme_words = tuple(lex.programme_words) + tuple(programme_terms())
        self._notice_words = notice_words(kb, lex)
        self._everyday = frozenset(lex.everyday) | frozenset(lex.generic)
        self._gives = {
            u.id: inferred_gives(
                u.asks or DEFAULT_GIVES,
                [lex.ask_kinds(remember(q).compact) for q in u.questions],
            )
            for u in self.units
        }
        self._said = "".join(u.answer for u in self.units) + "".join(
            c.text for c in kb.clauses.values()
        )
        memo().save()
        release_memo()  # the cached analyses are not needed once built (less for the GC)

    def entry(self, unit_id: str) -> FaqEntry | None:
        return self._by_id.get(unit_id)

    def unit_for_clause(self, clause: str) -> FaqEntry | None:
        """The unit that answers for a clause named by number: its heading (a part of the
        notice, with what it holds), a focus area, else the shortest entry of that clause."""
        for topic in ("passage:heading", "passage:item"):
            found = [u for u in self.units if u.topic == topic and u.clause == clause]
            if found:
                return found[0]
        exact = [u for u in self.units if u.clause == clause]
        return min(exact, key=lambda u: (u.quoted, len(u.answer))) if exact else None

    def about_programme(self, a: Analysis) -> bool:
        """Does the question name the programme, one of its terms (申报, 评审, 财务状况…) or a
        word the notice uses that everyday talk does not (体系, 财务, 材料, 联系人…)?"""
        return any(w in a.compact for w in self._programme_words) or any(
            w in self._notice_words for w in a.words
        )

    def familiar(self, word: str) -> bool:
        """Does the notice, or a unit's answer, question or keyword, use this word?"""
        return word in self.retrieval.known_words or word in self._said

    def speaks_of_nothing_known(self, a: Analysis) -> bool:
        """A question in English (or mixed) whose topic words are all unknown to the notice and
        the units ("What's the best restaurant in Wuxi?"): whatever the model makes of words it
        has seldom seen, nothing in it is the programme's (the glossary maps its terms)."""
        latin = latin_content(a, ENGLISH_STOPWORDS)
        if not latin:
            return False
        content = [w for w in a.words if len(w) >= 2 and has_han(w) and w not in GENERAL_WORDS]
        # an everyday word the glossary gave ("recommend" -> 推荐) names nothing of the programme
        return not any(self.familiar(w) and w not in self._everyday for w in content)

    def ranked(self, a: Analysis) -> tuple[list[tuple[float, FaqEntry]], float, float]:
        """Every unit with its combined score, best first; the model's probability of outside
        the programme, and of its likeliest unit."""
        vec = vector(feature_set(a))
        if not vec:  # nothing to go by (symbols, emoji): no unit at all
            return [], 0.0, 0.0
        retrieved = {u.id: s for s, u in self.retrieval.ranked(a)}
        probabilities: dict[str, float] = {}
        if self.model is not None:
            scored = self.model.probabilities(vec)
            probabilities = {s.unit: s.p for s in scored}
        outside = probabilities.pop(NONE, 0.0)
        verbatim = self.evidence.verbatim(a.compact)
        part = self.evidence.named_part(a.compact)
        combined = []
        for unit_id in set(retrieved) | set(probabilities) | set(verbatim):
            unit = self._by_id.get(unit_id)
            if unit is None:
                continue
            model_part = min(1.0, probabilities.get(unit_id, 0.0) * MODEL_SCALE)
            score = (1 - self.alpha) * retrieved.get(unit_id, 0.0) + self.alpha * model_part
            runs = verbatim.get(unit_id, 0)  # one run of four may be chance; a quote is longer
            score += min(VERBATIM_CAP, VERBATIM_BONUS * (runs - 1)) if runs > 1 else 0.0
            if part is not None:  # the question names a part of the notice by its heading:
                inside = any(c.startswith(part) for c in unit.clauses)  # answered from it, by
                whole = unit.topic == "passage:heading" and unit.clause == part  # all of it
                floor = self.threshold + (HEADING_EDGE if whole else 0.0)  # unless one says more
                score = max(score, floor) if inside else score * ELSEWHERE
            combined.append((round(min(score, 1.0), 4), unit))
        combined.sort(key=lambda pair: (-pair[0], pair[1].quoted))
        return combined, outside, max(probabilities.values(), default=0.0)

    def _piece(self, piece: str) -> _Scored | None:
        """The best unit for one piece of text; the last few pieces are kept, since the parts of
        a message are scored again as pieces of the whole (never long enough to serve another
        question: a repeated question is the answer cache's business)."""
        if piece in self._recent:
            return self._recent[piece]
        a = analyse(piece)
        ranked, outside, top = self.ranked(a)
        found = (
            _Scored(ranked[0][0], ranked[0][1], outside, top, a, piece, tuple(ranked[1:RUNNERS_UP]))
            if ranked
            else None
        )
        self._recent[piece] = found
        if len(self._recent) > RECENT_PIECES:
            del self._recent[next(iter(self._recent))]
        return found

    def _best(self, text: str) -> _Scored | None:
        """The best unit over the question pieces of a text and its condensed form (the whole
        text when it has none)."""
        best: _Scored | None = None
        pieces = [*candidates(text)[:MAX_PIECES], *self.retrieval.condensed(text)] or [text]
        # first to last: the question itself, then the question with its context
        for piece in dict.fromkeys(pieces):
            found = self._piece(piece)
            if found is not None and (best is None or found.score > best.score):
                best = found
            if best is not None and best.score >= self.threshold:
                break  # the question itself is understood: the story around it is not needed
        return best

    def gap(self, a: Analysis, unit: FaqEntry) -> frozenset[str]:
        """Kinds of answer the question asks for that the unit does not give (none for a unit
        that says itself what the notice leaves open)."""
        if unit.partial:
            return frozenset()
        gives = self._gives.get(unit.id) or frozenset(unit.asks) or DEFAULT_GIVES
        return (self._lexicon.ask_kinds(a.compact) & GAP_KINDS) - gives

    def _referenced(self, text: str, context: str, best: _Scored | None) -> _Scored | None:
        """The unit of a clause the question names by number, when the best is not of it."""
        clause = clause_ref(text, context)
        if clause is None:
            return best
        if best is not None and clause in best.unit.clauses:
            return _Scored(
                max(REF_SCORE, best.score), best.unit, 0.0, 1.0, best.analysis, best.text
            )
        unit = self.unit_for_clause(clause)
        if unit is None:
            return best
        a = best.analysis if best is not None else analyse(text)
        score = max(REF_SCORE, best.score if best is not None else 0.0)
        return _Scored(score, unit, 0.0, 1.0, a, text)

    def classify_part(self, text: str, context: str) -> FaqResult:
        """``classify`` for one question of a message: ``context`` is the whole message."""
        return self._classify(text, context)

    def _classify(self, text: str, context: str = "") -> FaqResult:
        """The best unit and why it was, or was not, accepted."""
        best = self._referenced(text, context, self._best(text))
        if best is None:
            return FaqResult(match=None, reason="empty", question=text)
        named = self.about_programme(best.analysis)
        inside = best.outside < (OUTSIDE_NAMED if named else self.outside) or best.score >= STRONG
        about = named or (
            best.outside < OUTSIDE_SURE and not self.speaks_of_nothing_known(best.analysis)
        )

        def declined(found) -> FaqResult | None:
            """Out of scope by a rule of scope.yaml: said as such."""
            rule = out_of_scope(self.scope, found.analysis.plain)
            if rule is None:
                return None
            return FaqResult(None, "out_of_scope", found.score, found.unit, rule.id, found.text,
                             about_programme=about)  # fmt: skip

        if (refused := declined(best)) is not None:
            return refused
        asked = best.analysis  # what the question asks for is read from it as typed
        if best.score < self.threshold and (respelled := self.retrieval.respelled(best.analysis)):
            again = self._best(respelled)
            if again is not None and again.score >= self.threshold:
                best = again
        if (refused := declined(best)) is not None:
            return refused
        if (thing := unsaid_measure(asked, self.familiar)) is not None:  # a figure of what it
            # never names; the closest unit is quoted only when it speaks of the question's topic
            topic = self.retrieval.shares_topic(asked, best.unit, exclude=thing)
            return FaqResult(None, "out_of_scope", best.score, best.unit if topic else None,
                             UNSAID, best.text, about_programme=about)  # fmt: skip
        gap = self.gap(asked, best.unit)
        also = None
        if gap:  # a close runner-up that gives the kind of answer asked ("谁组织" -> who)
            for score, unit in best.runners_up:
                if score >= best.score * GAP_RERANK and not self.gap(asked, unit):
                    best = _Scored(score, unit, best.outside, best.top, best.analysis, best.text)
                    gap = frozenset()
                    break
        if gap == {"who"}:  # who does it: another clause of the topic may say, said beside it
            also = next(
                (
                    unit
                    for score, unit in best.runners_up
                    if score >= best.score * ALSO_WHO and not self.gap(asked, unit)
                ),
                None,
            )
        if best.score >= self.threshold and inside:
            reason: Reason = "quoted" if best.unit.quoted else "answered"
            match = FaqMatch(best.unit, best.score)
            return FaqResult(match, reason, best.score, best.unit, None, best.text, gap, True, also)
        if about and best.outside < OUTSIDE_SURE and best.score >= self.related:
            return FaqResult(None, "related", best.score, best.unit, None, best.text, gap, about)
        return FaqResult(None, "low_score", best.score, best.unit, None, best.text, gap, about)

    def best(self, text: str) -> FaqMatch | None:
        """The answering unit, or None when no unit answers with enough confidence."""
        return self.classify(text).match

    def answers(self, text: str) -> bool:
        """Is this text a question the notice answers (an FAQ entry or a quoted passage)?"""
        return self.classify(text).answered
