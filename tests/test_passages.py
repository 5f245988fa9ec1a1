"""knowledge.passages: every sentence of the notice is a passage, and every passage is
reachable as an answer — by the questions we wrote for it, through the FAQ entry that states
it, or by its number ("第六个重点领域"); the packaged answer model is trained on the data as it
is now (knowledge.model, knowledge.train)."""

from __future__ import annotations

import re

import pytest

from knowledge.faq import FaqMatcher
from knowledge.loader import KnowledgeError
from knowledge.model import packaged_model
from knowledge.passages import (
    _given,
    answer_units,
    answering_unit,
    covered_by,
    load_passage_file,
    passages,
    squeeze,
    stated_share,
)
from knowledge.refs import clause_ref
from knowledge.split import parts

NOT_THE_NOTICE = ("扫一扫", "|")
LABEL = re.compile(r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+\.)\s*")


@pytest.fixture(scope="module")
def matcher(kb) -> FaqMatcher:
    return FaqMatcher(kb)


def test_every_line_of_the_notice_is_in_a_passage(kb) -> None:
    held = squeeze("".join(p.text for p in passages(kb)))
    for line in kb.notice_lines():
        if not line.startswith(NOT_THE_NOTICE):
            for piece in LABEL.sub("", line).split("。"):
                assert squeeze(piece.rstrip("；;:：")) in held, line


def test_every_passage_has_questions_or_an_entry_or_a_number(kb) -> None:
    given = _given(kb, passages(kb), None)
    for p in passages(kb):
        assert p.id in given or covered_by(kb, p) or p.kind == "item", (p.id, p.text)


def test_every_passage_is_reached(kb, matcher) -> None:
    """Each passage answers at least one question asked of it; 90 % of all do."""
    items = passages(kb)
    given, owner = _given(kb, items, None), answering_unit(kb)
    entries = {e.id: e for e in kb.faq}
    asked = reached = 0
    for p in items:
        questions = list(given[p.id].questions) if p.id in given else []
        if p.id not in given and owner[p.id] in entries:
            questions = entries[owner[p.id]].questions[:3]
        if p.kind == "item":
            questions = [f"第{p.clause[5:-1]}个重点领域是什么"]
        hits = 0
        for question in questions:
            result = matcher.classify(question)
            unit = result.match.entry if result.match else None
            hits += unit is not None and (
                unit.id == owner[p.id] or stated_share(p.text, unit.answer) >= 0.85
            )
        assert hits, (p.id, p.text, questions)
        asked, reached = asked + len(questions), reached + hits
    assert reached / asked >= 0.9


def test_a_passage_answer_quotes_the_notice_with_its_clause(kb) -> None:
    for unit in answer_units(kb):
        if unit.quoted:
            assert unit.clause in kb.clauses
            assert unit.dated == (2016 if unit.clause.startswith("五") else None)


def test_a_question_given_to_no_passage_is_refused(kb, tmp_path) -> None:
    path = tmp_path / "passages.yaml"
    path.write_text(
        "frames: {sentence: x, heading: x, address: x, letterhead: x, item: x}\n"
        "passages:\n  - at: 这句话不在通知里\n    questions: [a, b, c]\n",
        encoding="utf-8",
    )
    assert load_passage_file(path).passages
    with pytest.raises(KnowledgeError, match="no passage"):
        answer_units(kb, path)


def test_the_packaged_model_is_trained_on_the_data_as_it_is() -> None:
    model = packaged_model()
    assert model is not None, "run: .venv/bin/python -m knowledge.train"
    assert model.fresh(), "the data changed since training: .venv/bin/python -m knowledge.train"


def test_the_model_knows_every_unit(kb, matcher) -> None:
    assert {u.id for u in matcher.units} <= set(packaged_model().classes)


# ---- references by number and several questions -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "clause"),
    [
        ("第三条是硬杠杠吗", "四(二)3"),
        ("条件五怎么理解", "四(二)5"),
        ("第六个领域叫什么", "四(一)(6)"),
        ("工作要求第二条", "六(二)"),
        ("第四部分讲什么", "四"),
        ("重点领域一共几个", None),
        ("第一批是不是十来个", None),
    ],
)
def test_a_clause_named_by_its_number(text, clause) -> None:
    assert clause_ref(text) == clause


def test_a_bare_ordinal_takes_its_noun_from_the_message() -> None:
    assert clause_ref("第六个是啥", "重点领域一共几个？第六个是啥") == "四(一)(6)"


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("申报条件有哪些需要什么材料什么时候截止交到哪里", 4),
        ("评上有多少奖金？另外能推荐到全国吗", 2),
        ("我们是南通的企业，想报的话先找哪个部门", 1),
        ("之前找过咨询公司，收了好几万，什么也没办成，所以想问问要交钱吗", 1),
        ("要交费吗", 1),
    ],
)
def test_a_message_is_taken_apart_into_its_questions(text, count) -> None:
    assert len(parts(text)) == count
