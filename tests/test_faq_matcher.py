"""FAQ matching (knowledge/faq.py) and the FAQ data it matches against."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from knowledge.analysis import METHODS, analyse
from knowledge.faq import FaqMatcher
from knowledge.loader import data_dir, read_yaml
from knowledge.passages import load_passage_file
from knowledge.retrieval import Retrieval
from knowledge.text import normalize
from tests.conftest import eval_file

ROOT = Path(__file__).resolve().parent.parent
DEV_DIR = ROOT.parent / "shared" / "eval"
OWN_DIR = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def matcher(kb) -> FaqMatcher:
    return FaqMatcher(kb)


def _notice_text(kb) -> str:
    return "\n".join(c.text for c in kb.clauses.values())


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


# ---- the data --------------------------------------------------------------------------------


def test_every_cited_clause_exists(kb) -> None:
    for entry in kb.faq:
        assert all(c in kb.clauses for c in entry.clauses), (entry.id, entry.clause)
        for inline in re.findall(r"（(四\([一二三四五六]\)\d?)）", entry.answer):
            assert inline in kb.clauses, (entry.id, inline)


def test_no_answer_states_a_figure_absent_from_the_notice(kb) -> None:
    notice = _notice_text(kb)
    notice_numbers = set(re.findall(r"\d+", notice))
    for entry in kb.faq:
        for number in re.findall(r"\d+", entry.answer):
            assert number in notice_numbers, (entry.id, number)
        assert not re.search(r"[\d一二三四五六七八九十百千万]+\s*(万元|元|万)", entry.answer), (
            entry.id
        )


def test_no_answer_names_another_year(kb) -> None:
    for entry in kb.faq:
        text = entry.answer.replace("中国制造2025", "")
        years = set(re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", text))
        assert years <= {"2016"}, (entry.id, years)


def test_dated_entries_are_marked(kb) -> None:
    """An answer naming the calendar's months is flagged ``dated`` (it gets the year caveat)."""
    calendar = re.compile(r"6月30日|7月底|8月—11月|12月份|发布之日")
    for entry in kb.faq:
        if calendar.search(entry.answer) and entry.clause == "五":
            assert entry.dated, entry.id


def test_phrasings_are_not_copies_of_the_dev_sets(kb) -> None:
    """Held-out questions judge the method: no question the matcher learns from — the FAQ's,
    the passages', those outside the programme — copies a dev or dev2 question."""
    names = ("dev_faq", "dev_oos", "dev_traps", "dev2_faq", "dev2_oos", "dev2_traps")
    for name in names:
        eval_file(f"{name}.jsonl")
    dev = [normalize(r["q"]) for name in names for r in _rows(DEV_DIR / f"{name}.jsonl")]
    ours = [(e.id, q) for e in kb.faq for q in e.questions]
    ours += [(p.at, q) for p in load_passage_file().passages for q in p.questions]
    outside = read_yaml(data_dir() / "outside.yaml")["questions"]
    ours += [("outside", q) for q in outside]
    for where, question in ours:
        q = normalize(question)
        near = [d for d in dev if fuzz.ratio(q, d) >= 80]
        assert not near, (where, question, near)


# ---- matching --------------------------------------------------------------------------------


def test_each_entry_is_found_by_each_of_its_phrasings(kb, matcher: FaqMatcher) -> None:
    """Every phrasing of faq.yaml reaches its entry, or a passage of the notice that entry
    draws on (a heading such as 一、活动目的 answers "活动目的是什么" with the same words)."""
    misses = []
    for entry in kb.faq:
        for question in entry.questions:
            match = matcher.best(question)
            same = match is not None and (
                match.entry.id == entry.id
                or (match.entry.quoted and match.entry.clause in entry.clauses)
            )
            if not same:
                misses.append((entry.id, question, match and match.entry.id))
    assert not misses


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("參加質量標桿活動要收費嗎", "fee"),
        ("申報材料最晚幾號要交", "deadline_submit"),
        ("評審由誰負責", "review"),
        ("Is there any fee for taking part?", "fee"),
        ("When is the deadline for the application materials?", "deadline_submit"),
        ("Who reviews the materials?", "review"),
        ("What are the conditions to apply?", "conditions_all"),
        ("How many enterprises can each city recommend?", "quota_per_unit"),
        ("ＱＵＯＴＡ for each city", "quota_per_unit"),
        ("Who can I call for more information?", "contact"),
    ],
)
def test_traditional_english_and_full_width_questions(matcher: FaqMatcher, question, entry) -> None:
    match = matcher.best(question)
    assert match is not None and match.entry.id == entry


@pytest.mark.parametrize(
    "question",
    [
        "明天南京会下雪吗",
        "帮我订一张去上海的高铁票",
        "省长质量奖的申报条件是什么",
        "专精特新企业什么时候申报",
        "入选质量标杆能拿到多少奖金",
        "有没有专项资金补助",
        "评分细则是怎样的",
        "申报书要打印几份",
        "评审专家名单是谁",
        "质量标杆称号有效期多久",
        "What's the weather like in Nanjing?",
        "全国质量标杆的评审流程是什么",
    ],
)
def test_out_of_scope_questions_get_no_entry(matcher: FaqMatcher, question) -> None:
    assert matcher.best(question) is None


def test_empty_and_symbol_only_text_has_no_match(matcher: FaqMatcher) -> None:
    for text in ["", "   ", "？？？", "🙂🙂", "\x00\x07"]:
        result = matcher.classify(text)
        assert result.match is None
        assert result.reason == "empty"


def test_scope_exception_keeps_award_questions_in_scope(matcher: FaqMatcher) -> None:
    """An award already won is the priority condition (四(二)3), not another programme."""
    match = matcher.best("我们拿过市长质量奖，申报时有优势吗")
    assert match is not None and match.entry.id == "condition_c3"


def test_long_input_is_safe(matcher: FaqMatcher) -> None:
    """5,600 characters of a repeated question: still read, no exception (speed: bench/)."""
    result = matcher.classify("质量标杆要交钱吗" * 700)
    assert result.candidate is not None and result.candidate.id == "fee"


@pytest.mark.parametrize("method", METHODS)
def test_every_retrieval_method_builds_and_ranks(kb, matcher: FaqMatcher, method) -> None:
    retrieval = Retrieval(kb, matcher.units, method)
    assert retrieval.ranked(analyse("申报要交钱吗"))[0][1].id == "fee"


def test_the_model_alone_and_the_retrieval_alone_each_rank(kb) -> None:
    """Either scorer answers a plain question by itself; the matcher combines them."""
    for alpha in (0.0, 1.0):
        assert FaqMatcher(kb, alpha=alpha).best("申报要交钱吗").entry.id == "fee"


def test_analysis_strips_filler_and_keeps_latin_leftovers() -> None:
    a = analyse("你好，请问 weather 怎么样")
    assert "你好" not in a.cleaned and "请问" not in a.cleaned
    assert a.latin == ("weather",)


def test_own_questions_are_answered_by_the_expected_entry(matcher: FaqMatcher) -> None:
    """Questions written apart from the FAQ data (tests/data/faq_own.jsonl)."""
    rows = _rows(OWN_DIR / "faq_own.jsonl")
    hits = sum((m := matcher.best(r["q"])) is not None and m.entry.id == r["entry"] for r in rows)
    assert hits / len(rows) >= 0.9
