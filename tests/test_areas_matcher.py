"""knowledge.areas: free-text descriptions of a practice ranked over the ten areas of 四(一)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.areas import AreaMatcher

OWN = Path(__file__).parent / "data" / "areas_own.jsonl"


@pytest.fixture(scope="module")
def matcher(kb) -> AreaMatcher:
    return AreaMatcher(kb)


def best(matcher: AreaMatcher, text: str) -> int:
    return matcher.suggest(text).best.number


# One plain description per area, written for this test (not from any evaluation set).
REACHABLE = {
    1: "多年坚持自主品牌建设，品牌价值稳步提升，获评驰名商标",
    2: "全面导入卓越绩效模式，同时用精益生产消除浪费",
    3: "每个车间都有QC小组，每年开展质量攻关和合理化建议活动",
    4: "建成CNAS认可的检测中心，提升计量和可靠性试验能力",
    5: "以质量文化建设为抓手，树立质量第一的价值观，开展质量诚信教育",
    6: "建设质量大数据平台，用MES采集过程数据，实现质量追溯",
    7: "由卖产品向提供产品+服务转型，开展远程运维和融资租赁",
    8: "建立服务标准体系，统一服务规范和服务用语，通过售后服务认证",
    9: "建立覆盖设计、制造、使用到回收再制造的产品全生命周期质量管理",
    10: "开展客户满意度测评，建立投诉处理机制和客户关系管理系统",
}


@pytest.mark.parametrize(("number", "text"), sorted(REACHABLE.items()))
def test_each_area_is_reachable(matcher, number, text):
    suggestion = matcher.suggest(text)
    assert suggestion.best.number == number
    assert suggestion.best.matched, "the words that led to the area are reported"
    assert not suggestion.low_confidence


def test_all_ten_areas_are_ranked_with_scores_between_0_and_1(matcher):
    suggestion = matcher.suggest("推行六西格玛管理")
    assert sorted(suggestion.numbers()) == list(range(1, 11))
    assert all(0.0 <= s.score <= 1.0 for s in suggestion.ranked)
    scores = [s.raw for s in suggestion.ranked]
    assert scores == sorted(scores, reverse=True)


# Mixed vocabulary: the practice is about the first area, the other's words are incidental.
MIXED = [
    ("QC小组在活动中借助MES调取历史数据，找出焊缝缺陷的主要原因，小组成果获全国优秀QC成果", 3),
    ("讲好品牌故事，以客户满意为出发点打造高端自主品牌，品牌价值三年翻番", 1),
    ("依托工业互联网平台为客户设备提供远程运维和预测性维护服务", 7),
    ("用六西格玛DMAIC方法降低客户投诉，黑带项目使投诉率下降一半", 2),
    ("借助CRM系统管理客户档案，定期开展满意度调查和客户回访", 10),
    ("编制售后服务标准，统一服务流程和服务用语，并借助信息系统记录每次服务", 8),
    ("在产品设计阶段就考虑使用维护和报废回收，建立产品全生命周期档案，数据存入PLM", 9),
    ("培育“精益求精”的工匠精神，把质量理念融入员工行为规范", 5),
]


@pytest.mark.parametrize(("text", "number"), MIXED)
def test_mixed_vocabulary_ranks_what_the_practice_is_about(matcher, text, number):
    assert best(matcher, text) == number


def test_traditional_characters(matcher):
    assert best(matcher, "全面推行六西格瑪管理，培養黑帶和綠帶") == 2
    assert best(matcher, "建立顧客滿意度測評和投訴處理制度") == 10


def test_full_width_forms(matcher):
    assert best(matcher, "上线ＭＥＳ系统，实现全过程质量追溯") == 6


def test_english(matcher):
    assert best(matcher, "We rolled out Six Sigma with green belts and black belts") == 2
    assert best(matcher, "We handle every customer complaint within 24 hours") == 10
    assert best(matcher, "Our own brand and trademarks built brand value") == 1


def test_latin_terms_need_word_boundaries(matcher):
    assert "MES" not in matcher.suggest("sometimes messages").best.matched


@pytest.mark.parametrize("text", ["", "   ", "你好", "质量", "？？？", "😀😀", "\x00\x01"])
def test_empty_and_meaningless_text_is_low_confidence(matcher, text):
    suggestion = matcher.suggest(text)
    assert suggestion.low_confidence
    assert len(suggestion.ranked) == 10


@pytest.mark.parametrize("word", ["品牌", "MES", "精益", "投诉", "服务"])
def test_one_word_never_crashes(matcher, word):
    suggestion = matcher.suggest(word)
    assert len(suggestion.ranked) == 10


def test_a_3000_character_description_is_read_whole(matcher):
    """Speed is measured in bench/areas_eval.py, not asserted here."""
    text = ("公司推行精益生产，开展QC小组活动，建设检测中心，上线MES系统。" * 100)[:3000]
    suggestion = matcher.suggest(text)
    assert len(suggestion.ranked) == 10
    assert suggestion.ranked[0].score > 0


def test_close_call_is_flagged_low_confidence(matcher):
    suggestion = matcher.suggest("品牌建设和客户满意度")
    assert suggestion.low_confidence


def test_title_method_uses_the_named_method(matcher):
    assert matcher.title_method(2, "全面推行六西格玛管理") == "六西格玛管理"
    assert matcher.title_method(6, "没有提到方法") == matcher.area(6).method


def own_rows() -> list[dict]:
    with OWN.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_own_descriptions_file_covers_each_area_twice_with_traditional_and_english():
    rows = own_rows()
    assert len(rows) >= 20
    for number in range(1, 11):
        assert sum(r["area"] == number for r in rows) >= 2
    assert any(r["text"].isascii() for r in rows)
    assert any("質量" in r["text"] or "誠信" in r["text"] for r in rows)


def test_own_descriptions_accuracy(matcher):
    rows = own_rows()
    top1 = sum(best(matcher, r["text"]) == r["area"] for r in rows)
    top3 = sum(r["area"] in matcher.suggest(r["text"]).numbers()[:3] for r in rows)
    assert top1 >= 0.85 * len(rows)
    assert top3 >= 0.97 * len(rows)
