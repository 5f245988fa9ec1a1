"""The notice text split into clauses with stable ids (knowledge/notice.py)."""

from __future__ import annotations

import pytest

from knowledge.loader import data_dir
from knowledge.notice import split_clauses


@pytest.fixture(scope="module")
def clauses() -> dict:
    text = (data_dir() / "notice.txt").read_text(encoding="utf-8")
    return {c.id: c for c in split_clauses(text)}


def test_sections_and_named_parts_exist(clauses: dict) -> None:
    for cid in ["转发", "标题", "文号", "序", "一", "二", "三", "四", "五", "六", "联系人", "落款"]:
        assert cid in clauses, cid


def test_conditions_and_areas_are_numbered(clauses: dict) -> None:
    assert [f"四(二){n}" in clauses for n in range(1, 7)] == [True] * 6
    assert [f"四(一)({n})" in clauses for n in range(1, 11)] == [True] * 10
    assert "四(二)7" not in clauses and "四(一)(11)" not in clauses
    assert clauses["四(一)(10)"].heading == "用户满意与客户关系管理"
    assert "3年以上" in clauses["四(二)5"].text


def test_subclauses_of_four_and_six(clauses: dict) -> None:
    for n in "一二三四五六":
        assert f"四({n})" in clauses
    for n in "一二三四":
        assert f"六({n})" in clauses
    assert "少而精" in clauses["六(三)"].text
    assert "自愿" in clauses["六(四)"].text


def test_parent_clause_holds_its_children(clauses: dict) -> None:
    assert clauses["四(二)5"].text in clauses["四(二)"].text
    assert clauses["四(二)"].text.splitlines()[0] in clauses["四"].text


def test_calendar_contacts_and_dates_land_in_their_clauses(clauses: dict) -> None:
    five = clauses["五"].text
    for fact in ["6月30日前", "7月底前", "8月—11月", "12月份", "10个", "1—2个", "科技与质量处"]:
        assert fact in five
    assert "83392940" in clauses["联系人"].text
    assert clauses["落款"].text == "2016年4月18日"
    assert "2016年5月3日" in clauses["转发"].text
    assert "222号" in clauses["文号"].text


def test_ids_are_unique_and_stable() -> None:
    text = (data_dir() / "notice.txt").read_text(encoding="utf-8")
    first, second = split_clauses(text), split_clauses(text)
    assert [c.id for c in first] == [c.id for c in second]
    assert len({c.id for c in first}) == len(first)


def test_blank_lines_and_spacing_do_not_change_ids() -> None:
    text = (data_dir() / "notice.txt").read_text(encoding="utf-8")
    spaced = "\n\n".join("  " + line + "  " for line in text.splitlines())
    assert [c.id for c in split_clauses(spaced)] == [c.id for c in split_clauses(text)]
