"""The 领域推荐 flow through the router: describe, suggest, pick, title, checklist, draft review."""

from __future__ import annotations

from datetime import datetime

import pytest

from conversations import texts
from conversations.callbacks import MAX_BYTES, parse
from conversations.core import (
    SHANGHAI,
    CallbackEvent,
    ChatState,
    CommandEvent,
    Context,
    Outcome,
    Profile,
    RecordAreaSuggestion,
    TextEvent,
    UpdateProfile,
)
from conversations.flows.areas import areas_record
from conversations.flows.areas.draft import review_draft, stated_years
from tests.driver import Chat
from tests.driver import handle as drive

SIX_SIGMA = "全面推行六西格玛管理，培养黑带绿带两百名，完成改进项目一百多个，年节约成本三千万元。"


def say(ctx, state: ChatState, text: str, profile: Profile | None = None) -> Outcome:
    return drive(ctx, state, TextEvent(text=text), profile)


def press(ctx, state: ChatState, data: str, profile: Profile | None = None) -> Outcome:
    return drive(ctx, state, CallbackEvent(data=data), profile)


def same_place(a: ChatState, b: ChatState) -> bool:
    return (a.flow, a.step, a.data) == (b.flow, b.step, b.data)


def buttons(outcome: Outcome) -> dict[str, str]:
    """label -> callback data of the last reply."""
    return {b.label: b.data for row in outcome.replies[-1].buttons for b in row}


def text_of(outcome: Outcome) -> str:
    return "\n".join(r.text for r in outcome.replies)


def open_flow(ctx, state: ChatState | None = None) -> Outcome:
    return drive(ctx, state or ChatState(), CommandEvent(name="area"))


def suggested(
    ctx, state: ChatState | None = None, text: str = SIX_SIGMA, profile: Profile | None = None
) -> Outcome:
    return say(ctx, open_flow(ctx, state).state, text, profile)


@pytest.mark.parametrize(
    "event",
    [
        CommandEvent(name="area"),
        CommandEvent(name="start", args="area"),
        CallbackEvent(data="m:open:area"),
    ],
)
def test_every_entry_opens_the_flow(ctx, event):
    out = drive(ctx, ChatState(), event)
    assert out.state.flow == "area" and out.state.step == "describe"
    assert out.replies[0].text == texts.AREA_PROMPT


def test_describe_suggests_the_best_area_with_reasons_and_alternatives(ctx):
    out = suggested(ctx)
    reply = text_of(out)
    assert out.state.step == "suggested"
    assert "（2）应用管理方法" in reply and "四(一)(2)" in reply
    assert "六西格玛" in reply and "把握度" in reply
    assert out.state.data["ranked"][0] == 2
    labels = buttons(out)
    assert "选（2）应用管理方法" in labels
    assert texts.AREA_BTN_ALL in labels and texts.AREA_BTN_AGAIN in labels
    pick_buttons = [d for d in labels.values() if d.startswith("a:pick:")]
    assert 1 <= len(pick_buttons) <= 3
    [effect] = out.effects
    assert isinstance(effect, RecordAreaSuggestion)
    assert effect.chosen is None and effect.ranked[0] == 2


def test_mixed_description_shows_alternative_with_its_words(ctx):
    text = "QC小组借助MES系统调取数据，解决了焊接气孔问题，小组成果获评省优秀QC成果"
    out = suggested(ctx, text=text)
    reply = text_of(out)
    assert out.state.data["ranked"][0] == 3
    assert texts.AREA_ALTS_HEADER in reply and "MES" in reply


def test_pick_with_known_enterprise_gives_title_and_checklist(ctx):
    profile = Profile(enterprise_name="无锡华光机械有限公司")
    out = suggested(ctx, profile=profile)
    out = press(ctx, out.state, "a:pick:2", profile)
    reply = text_of(out)
    assert out.state.step == "chosen" and out.state.data["chosen"] == 2
    assert "无锡华光机械有限公司六西格玛管理实践经验" in reply
    assert "四(三)" in reply
    for needle in (
        "主题事项",
        "理论观点、方法特点、实践要点以及效果亮点",
        "附件1",
        "附件2",
        "申报表",
    ):
        assert needle in reply
    assert next(e for e in out.effects if isinstance(e, RecordAreaSuggestion)).chosen == 2
    assert not [e for e in out.effects if isinstance(e, UpdateProfile)]


def test_pick_without_enterprise_asks_the_name_once_and_stores_it(ctx):
    chat = Chat(ctx)
    chat.command("area")
    chat.type(SIX_SIGMA)
    out = chat.tap("a:pick:2")
    assert out.state.step == "name"
    assert isinstance(out.effects[0], RecordAreaSuggestion) and out.effects[0].chosen == 2
    out = chat.type("  南通金鹰纺织股份有限公司 ")
    assert out.state.step == "chosen"
    assert out.effects == [UpdateProfile(enterprise_name="南通金鹰纺织股份有限公司")]
    assert chat.profile.enterprise_name == "南通金鹰纺织股份有限公司"
    assert "南通金鹰纺织股份有限公司六西格玛管理实践经验" in text_of(out)
    assert chat.tap("a:pick:3").state.step == "chosen"  # a second pick does not ask again


def test_skipping_the_name_gives_a_placeholder_title(ctx):
    out = press(ctx, suggested(ctx).state, "a:pick:2")
    out = press(ctx, out.state, "a:skip")
    reply = text_of(out)
    assert out.state.step == "chosen"
    assert f"{texts.AREA_NAME_PLACEHOLDER}六西格玛管理实践经验" in reply
    assert not out.effects
    assert press(ctx, out.state, "a:pick:5").state.step == "chosen"  # not asked again


def test_an_invalid_name_is_asked_again(ctx):
    out = press(ctx, suggested(ctx).state, "a:pick:2")
    again = say(ctx, out.state, "是")
    assert again.state == out.state and again.replies[0].text == texts.AREA_NAME_INVALID
    assert not again.effects


def test_see_all_ten(ctx):
    out = press(ctx, suggested(ctx).state, "a:all")
    reply = text_of(out)
    assert out.state.step == "list" and out.state.data["ranked"][0] == 2
    for area in ctx.kb.areas:
        assert f"（{area.number}）{area.title}" in reply
    picks = [d for d in buttons(out).values() if d.startswith("a:pick:")]
    assert sorted(int(d.split(":")[2]) for d in picks) == list(range(1, 11))


def test_see_all_ten_from_the_prompt_and_pick(ctx):
    out = press(ctx, open_flow(ctx).state, "a:all")
    out = press(ctx, out.state, "a:pick:8")
    out = press(ctx, out.state, "a:skip")
    assert "服务标准化实践经验" in text_of(out)


def test_describe_again(ctx):
    out = press(ctx, suggested(ctx).state, "a:again")
    assert out.state.step == "describe" and out.state.data == {}
    out = say(ctx, out.state, "建立覆盖研发设计、制造、使用到报废回收的产品全生命周期质量管理")
    assert out.state.data["ranked"][0] == 9


def test_a_new_description_while_suggested_is_read_as_one(ctx):
    out = say(ctx, suggested(ctx).state, "不对，我们主要是建设CNAS认可的检测中心")
    assert out.state.step == "suggested" and out.state.data["ranked"][0] == 4


def test_a_question_while_suggested_goes_to_the_faq(ctx):
    state = suggested(ctx).state
    out = say(ctx, state, "要交费吗")
    assert same_place(out.state, state) and "继续领域推荐" in buttons(out)
    assert not any(isinstance(e, RecordAreaSuggestion) for e in out.effects)
    assert texts.AREA_SUGGEST_HEADER not in text_of(out)


def test_low_confidence_says_so_and_lists_all_ten(ctx):
    out = suggested(ctx, text="我们公司做得很好，大家都很认真")
    reply = text_of(out)
    assert "还不能确定" in reply
    for area in ctx.kb.areas:
        assert f"（{area.number}）{area.title}：{area.description}" in reply
    picks = [d for d in buttons(out).values() if d.startswith("a:pick:")]
    assert len(picks) == 10


DRAFT = (
    "常州恒力机械有限公司QC小组活动实践经验\n"
    "我们认为质量改进的核心是全员参与。其特点是小组自主选题、创新地引入项目管理机制。"
    "一是建立小组注册制度，二是推行课题管理。公司自2012年起开展QC小组活动，"
    "累计完成课题80个，产品合格率提升到99.5%，节约成本500万元。"
)


def test_draft_self_review(ctx):
    profile = Profile(enterprise_name="常州恒力机械有限公司")
    out = press(ctx, suggested(ctx, profile=profile).state, "a:pick:3", profile)
    out = press(ctx, out.state, "a:draft", profile)
    prompt = texts.AREA_DRAFT_PROMPT.format(limit=20_000)
    assert out.state.step == "draft" and out.replies[0].text.startswith(prompt)
    out = say(ctx, out.state, DRAFT, profile)
    reply = text_of(out)
    assert out.state.step == "chosen"
    assert "仅供参考" in reply and "不是评审结论" in reply
    for element in ("理论观点", "方法特点", "实践要点", "效果亮点"):
        assert f"✓ {element}" in reply
    assert texts.AREA_REVIEW_TITLE_SUFFIX_OK in reply
    assert texts.AREA_REVIEW_TITLE_NAME_OK in reply
    assert "达到3年" in reply


def test_draft_review_reports_what_is_missing():
    body = review_draft("我们开展了一些工作。", None, 2016, "××公司QC小组活动实践经验")
    assert "✗ 理论观点" in body and "✗ 效果亮点" in body
    assert "未识别到标题" in body and "××公司QC小组活动实践经验" in body
    assert "没有找到应用年限" in body


def test_draft_review_checks_the_naming_rule():
    body = review_draft("精益管理的探索\n正文……", "苏州某某电子有限公司", 2016, "")
    assert texts.AREA_REVIEW_TITLE_SUFFIX_BAD in body
    assert "建议以“苏州某某电子有限公司”开头" in body


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("该方法已在公司应用两年", 2),
        ("坚持推行六西格玛五年来", 5),
        ("自2013年起导入卓越绩效", 3),
        ("连续十二年开展QC小组活动", 12),
        ("实施3年多，成效显著", 3),
    ],
)
def test_stated_years(text, years):
    stated = stated_years(text, 2016)
    assert stated is not None and stated[0] == years


def test_draft_review_years_below_three():
    body = review_draft("XX公司精益管理实践经验\n公司应用精益管理两年", None, 2016, "")
    assert "不足3年" in body


def test_review_uses_the_context_clock(kb):
    ctx = Context(kb=kb, clock=lambda: datetime(2016, 6, 1, tzinfo=SHANGHAI))
    state = ChatState(flow="area", step="draft", data={"chosen": 2, "text": SIX_SIGMA})
    out = say(ctx, state, "XX公司六西格玛管理实践经验\n自2014年起推行六西格玛")
    assert "约2年" in text_of(out) and "不足3年" in text_of(out)


FORGED = ["a:pick:11", "a:pick:0", "a:pick:abc", "a:pick", "a:zzz", "a:all:extra", "a:skip", "a:"]


@pytest.mark.parametrize("data", FORGED)
def test_forged_or_stale_callbacks_change_nothing(ctx, data):
    state = suggested(ctx).state
    out = press(ctx, state, data)
    assert same_place(out.state, state)
    assert out.replies and not out.effects


@pytest.mark.parametrize("data", ["a:pick:2", "a:all", "a:again", "a:draft"])
def test_area_buttons_outside_the_flow_are_stale(ctx, data):
    state = ChatState(flow="faq")
    out = press(ctx, state, data)
    if data in ("a:all", "a:again"):  # open the flow from anywhere
        assert out.state.flow == "area"
        return
    assert same_place(out.state, state)
    assert out.replies[0].text == texts.CALLBACK_STALE


def test_draft_button_before_an_area_is_chosen_is_stale(ctx):
    state = suggested(ctx).state
    out = press(ctx, state, "a:draft")
    assert same_place(out.state, state)
    assert out.replies[0].text.startswith(texts.CALLBACK_STALE_HERE)
    assert texts.AREA_SUGGEST_HEADER in out.replies[0].text  # where the user is, shown again


def test_state_survives_a_json_round_trip_mid_flow(ctx):
    out = press(ctx, suggested(ctx).state, "a:pick:2")
    restored = ChatState.model_validate_json(out.state.model_dump_json())
    assert restored == out.state
    out = say(ctx, restored, "扬州某某机电有限公司")
    restored = ChatState.model_validate_json(out.state.model_dump_json())
    out = press(ctx, restored, "a:draft")
    out = say(ctx, ChatState.model_validate_json(out.state.model_dump_json()), DRAFT)
    assert "草稿自查" in text_of(out)


def test_every_button_is_valid_callback_data(ctx):
    outcomes = [open_flow(ctx), suggested(ctx), suggested(ctx, text="嗯")]
    outcomes.append(press(ctx, outcomes[1].state, "a:all"))
    outcomes.append(press(ctx, outcomes[1].state, "a:pick:10"))
    for out in outcomes:
        for data in buttons(out).values():
            assert len(data.encode()) <= MAX_BYTES
            parse(data)


def test_text_after_the_title_goes_to_the_faq(ctx):
    state = ChatState(flow="area", step="chosen", data={"chosen": 2})
    out = say(ctx, state, "材料什么时候交", Profile(enterprise_name="甲公司"))
    assert same_place(out.state, state)


# ---- scriptable ----------------------------------------------------------------------------


def test_areas_record(ctx):
    record = areas_record({"id": "x1", "text": SIX_SIGMA}, ctx)
    assert record["id"] == "x1"
    assert len(record["areas"]) >= 3
    first = record["areas"][0]
    assert first == {"number": 2, "title": "应用管理方法", "score": first["score"]}
    assert 0 < first["score"] <= 1
    scores = [a["score"] for a in record["areas"]]
    assert scores == sorted(scores, reverse=True)
    assert "应用管理方法" in record["reply"]


def test_areas_record_without_a_context():
    assert areas_record({"id": 7, "text": "建立客户投诉处理机制"})["areas"][0]["number"] == 10


@pytest.mark.parametrize(
    ("obj", "field"),
    [
        ({"text": "x"}, "id"),
        ({"id": None, "text": "x"}, "id"),
        ({"id": "a"}, "text"),
        ({"id": "a", "text": 3}, "text"),
        ([], "id"),
    ],
)
def test_areas_record_names_the_bad_field(obj, field):
    with pytest.raises(ValueError, match=field):
        areas_record(obj)


def test_confidence_is_a_level_word_not_a_percentage():
    from conversations.flows.areas.render import confidence_level

    assert [confidence_level(s) for s in (0.99, 0.6, 0.3, 0.01)] == ["高", "较高", "中", "低"]


def test_a_question_at_the_describe_step_is_answered_and_the_step_kept(ctx):
    state = drive(ctx, ChatState(), CommandEvent(name="area")).state
    out = drive(ctx, state, TextEvent(text="参加要交费吗"))
    assert "不向企业收取任何费用" in out.replies[0].text
    assert (out.state.flow, out.state.step) == ("area", "describe")
    described = drive(ctx, out.state, TextEvent(text="我们全面推行六西格玛管理，培养黑带绿带"))
    assert "应用管理方法" in described.replies[0].text
