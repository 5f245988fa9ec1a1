"""Placeholders of a console notice (conversations/placeholders.py): which are known, how a
recipient's profile fills them, and the longest message a recipient can get."""

from __future__ import annotations

from conversations import placeholders


def test_known_and_unknown_placeholders_of_either_width():
    text = "{企业名称}您好：请｛ 企业名称 ｝于{日期}前报送，{}不算数，｛单位｝也不算。"
    written = ["{企业名称}", "｛ 企业名称 ｝", "{日期}", "{}", "｛单位｝"]
    assert placeholders.names_in(text) == written
    assert placeholders.unknown(text) == ["{日期}", "{}", "｛单位｝"]
    assert placeholders.has_any(text) and not placeholders.has_any("{日期}与【企业名称】")


def test_a_recipient_gets_their_own_name_or_a_neutral_word():
    text = "{企业名称}：请于6月30日前报送。｛企业名称｝，{日期}"
    named = placeholders.fill(text, {"enterprise_name": " 苏州精工科技有限公司 "})
    assert named == "苏州精工科技有限公司：请于6月30日前报送。苏州精工科技有限公司，{日期}"
    assert placeholders.fill(text, {"enterprise_name": None}).startswith("贵企业：")
    assert placeholders.fill(text, {}).startswith("贵企业：")
    assert placeholders.fill("没有占位符", {"enterprise_name": "甲"}) == "没有占位符"


def test_the_longest_fill_is_the_longest_name_a_profile_holds():
    assert placeholders.longest("{企业名称}。") == "国" * 60 + "。"
