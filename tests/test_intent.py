"""knowledge.intent: one reading of free text (navigation, help, human, apply, yes/no, …)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.intents_eval import DEV_KINDS  # the one mapping of the dev kinds to readings
from knowledge.intent import (
    IntentReader,
    IntentVocabulary,
    asks_the_notice,
    load_intents,
    read,
)
from knowledge.loader import KnowledgeError, data_dir
from tests.conftest import eval_file

OWN = Path(__file__).parent / "data" / "intents_own.jsonl"


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize(
    "row",
    [r for path in sorted(OWN.parent.glob("intents_own*.jsonl")) for r in _rows(path)],
    ids=lambda r: r["id"],
)
def test_own_batch(row) -> None:
    intent = read(row["q"])
    assert intent.kind == row["kind"], row
    if "sub" in row:
        assert intent.sub == row["sub"], row


def test_dev_intents() -> None:
    wrong = [
        (r["q"], read(r["q"]).kind)
        for r in _rows(eval_file("dev_intents.jsonl"))
        if read(r["q"]).kind not in DEV_KINDS[r["kind"]]
    ]
    assert not wrong


@pytest.mark.parametrize(
    "text",
    [
        "返回的材料要盖章吗",
        "人工智能企业能申报吗",
        "菜单里的资格自测怎么用不了",
        "帮我看看申报条件",
        "取消资格的情况有哪些",
    ],
)
def test_a_command_word_inside_a_question_stays_a_question(text) -> None:
    assert read(text).kind == "question"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("你好，我想转人工", "human"),
        ("好的谢谢，辛苦了", "thanks"),
        ("谢谢老师", "thanks"),
        ("我们打算报名，该怎么做？", "apply"),
        ("垃圾系统，滚", "abuse"),
        ("。。。？？？", "nonsense"),
        ("啊啊啊啊", "nonsense"),
        ("嗯", "yes"),
        ("Hello!", "greeting"),
        ("what can you do?", "help"),
    ],
)
def test_mixed_and_bare_messages(text, kind) -> None:
    assert read(text).kind == kind


def test_a_long_message_is_never_a_command() -> None:
    assert read("我们公司想了解一下这个活动，" * 4 + "怎么申请").kind == "question"


def test_asks_the_notice_is_the_one_question_test(kb) -> None:
    from knowledge.faq import FaqMatcher

    matcher = FaqMatcher(kb)
    assert asks_the_notice("要交费吗", matcher)
    assert asks_the_notice("申报材料报给谁", matcher)  # no question mark needed
    assert not asks_the_notice("是", matcher)
    assert not asks_the_notice("菜单", matcher)
    assert not asks_the_notice("南京明天下雨吗", matcher)


def test_the_vocabulary_is_validated(tmp_path) -> None:
    text = (data_dir() / "intents.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "intents.yaml"
    broken.write_text(text.replace("  - 帮助|求助", "  - 帮助|(求助", 1), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"intents\.yaml.*help.*regular expression"):
        load_intents(broken)
    bare = tmp_path / "bare.yaml"
    bare.write_text(text.replace('"yes":', "yes:"), encoding="utf-8")  # YAML 1.1: yes is a bool
    with pytest.raises(KnowledgeError, match=r"bare\.yaml"):
        load_intents(bare)


def test_reader_builds_from_a_vocabulary() -> None:
    vocabulary: IntentVocabulary = load_intents()
    assert IntentReader(vocabulary).read("重新开始").sub == "restart"
