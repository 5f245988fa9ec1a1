"""The eligibility self-check driven through ``router.handle``, and ``check_record``."""

from __future__ import annotations

import json
import re

import pytest

from conversations import texts
from conversations.callbacks import encode
from conversations.core import (
    CallbackEvent,
    ChatState,
    CommandEvent,
    Context,
    Outcome,
    RecordCheck,
    TextEvent,
)
from conversations.flows import eligibility
from conversations.flows.eligibility import render
from knowledge import load_knowledge
from tests.conftest import eval_file
from tests.driver import Chat as DriverChat
from tests.driver import handle as drive

PARTS = ["c1a", "c1b", "c2", "c3", "c4", "c5_years", "c5_effective", "c6"]


@pytest.fixture
def ctx():
    return Context(kb=load_knowledge())


class Chat(DriverChat):
    """The shared chat driver, with a shortcut for answer buttons."""

    def answer(self, key: str, code: str) -> Outcome:
        return self.tap(encode("e", "ans", f"{key}.{code}"))


def start_check(ctx: Context) -> Chat:
    chat = Chat(ctx)
    chat.send(CommandEvent(name="check"))
    return chat


def answer_all(chat: Chat, codes: dict[str, str]) -> Outcome:
    """Answer every question by button (years as a bucket code) and confirm on the summary."""
    for key in PARTS:
        assert chat.state.step == key
        chat.answer(key, codes.get(key, "ge3" if key == "c5_years" else "y"))
    assert chat.state.step == "summary"
    return chat.tap(encode("e", "done"))


def record_of(out: Outcome) -> RecordCheck:
    (effect,) = out.effects
    assert isinstance(effect, RecordCheck)
    return effect


# ---- opening -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "event",
    [
        CommandEvent(name="check"),
        CommandEvent(name="start", args="check"),
        CallbackEvent(data="m:open:check"),
    ],
)
def test_every_entry_opens_the_first_question(ctx, event):
    out = drive(ctx, ChatState(), event)
    assert (out.state.flow, out.state.step, out.state.data) == ("check", "c1a", {})
    text = out.replies[0].text
    assert "四(二)1" in text and "企业质量管理体系有效运行" in text
    labels = [b.label for row in out.replies[0].buttons for b in row]
    assert labels == ["是", "否", "不确定", "说明", "上一步", texts.BACK_TO_MENU]


def test_each_question_quotes_its_clause(ctx):
    chat = start_check(ctx)
    for key in PARTS:
        step = render.step_of(ctx.kb, key)
        assert f"（见通知{step.condition.clause}）" in chat.text
        assert step.condition.text in chat.text and step.part.question in chat.text
        chat.answer(key, "ge3" if key == "c5_years" else "y")


# ---- verdicts ----------------------------------------------------------------------------------


def basis_of(chat: Chat) -> str:
    """Press 查看依据 under the verdict; the basis the user then reads."""
    return chat.press(texts.CHECK_BTN_BASIS).replies[0].text


def test_all_yes_is_eligible_with_next_steps(ctx):
    chat = start_check(ctx)
    out = answer_all(chat, {})
    text = out.replies[0].text
    assert text.startswith("自测结果：符合基本条件") and "暂不符合" not in text
    assert "优先" in text and "四(二)3" in text
    assert len(text) < 250 and text.count("（见通知") <= 3  # the verdict first, short
    assert {"m:open:area", "m:open:apply", "e:restart"} <= set(chat.buttons)
    basis = basis_of(chat)
    for expected in ("附件2", "附件1", "企业+方法实践经验", "组织单位", "6月30日前", "四(四)"):
        assert expected in basis
    for name in ctx.kb.programme.contacts.names + ctx.kb.programme.contacts.phones:
        assert name in basis
    record = record_of(out)
    assert (record.verdict, record.failing, record.priority) == ("eligible", [], True)
    assert set(record.answers) == set(PARTS)
    assert out.state.flow == "menu"


def test_a_no_is_not_eligible_with_its_clause_and_remedy(ctx):
    chat = start_check(ctx)
    out = answer_all(chat, {"c2": "n"})
    text = out.replies[0].text
    c2 = next(c for c in ctx.kb.conditions if c.key == "c2")
    assert text.startswith("自测结果：暂不符合") and "条件2" in text and "四(二)2" in text
    basis = basis_of(chat)
    assert c2.text in basis and c2.remedy in basis and "供参考" in basis
    assert "附件2" in basis  # never a dead end
    assert (record_of(out).verdict, record_of(out).failing) == ("not_eligible", ["c2"])


def test_unsure_needs_checking(ctx):
    chat = start_check(ctx)
    out = answer_all(chat, {"c4": "u"})
    text = out.replies[0].text
    c4 = next(c for c in ctx.kb.conditions if c.key == "c4")
    assert "需核实" in text and "四(二)4" in text
    assert c4.verify in basis_of(chat)
    assert (record_of(out).verdict, record_of(out).failing) == ("unsure", [])
    assert record_of(out).unsure == ["c4"]  # recorded: 概览 counts 不确定 apart


def test_short_years_fail_condition_5(ctx):
    chat = start_check(ctx)
    out = answer_all(chat, {"c5_years": "2to3"})
    assert record_of(out).failing == ["c5_years"] and "四(二)5" in out.replies[0].text


def test_condition_3_no_never_fails(ctx):
    chat = start_check(ctx)
    out = answer_all(chat, {"c3": "n"})
    assert (record_of(out).verdict, record_of(out).priority) == ("eligible", False)


def test_condition_3_says_a_city_award_does_not_count(ctx):
    chat = start_check(ctx)
    for key in PARTS[:3]:
        chat.answer(key, "y")
    assert chat.state.step == "c3"
    assert "市级" in chat.text and "优先" in chat.text


def test_retake_after_a_verdict(ctx):
    chat = start_check(ctx)
    answer_all(chat, {})
    chat.tap("e:restart")
    assert (chat.state.flow, chat.state.step, chat.state.data) == ("check", "c1a", {})


# ---- navigation --------------------------------------------------------------------------------


def test_back_returns_to_the_previous_question_and_keeps_answers(ctx):
    chat = start_check(ctx)
    chat.answer("c1a", "n")
    chat.tap(encode("e", "back", "c1b"))
    assert chat.state.step == "c1a" and chat.state.data["c1a"] is False
    assert "之前的回答：否" in chat.text


def test_back_on_the_first_question_stays(ctx):
    chat = start_check(ctx)
    before = chat.state
    chat.tap(encode("e", "back", "c1a"))
    assert chat.state == before and texts.CHECK_FIRST_ALREADY in chat.text


def test_explain_explains_and_changes_nothing(ctx):
    chat = start_check(ctx)
    before = chat.state
    chat.tap(encode("e", "exp", "c1a"))
    assert chat.state == before
    assert "ISO 9001" in chat.text and "IATF 16949" in chat.text
    assert "通知未列举" in chat.text  # says where the notice is silent
    assert encode("e", "ans", "c1a.y") in chat.buttons  # the question's buttons again


def test_every_condition_has_an_explanation_with_examples(ctx):
    for cond in ctx.kb.conditions:
        text = render.explain_text(cond)
        assert cond.clause in text and cond.counts and cond.not_counts and cond.examples_note
        assert cond.priority_only or cond.remedy


def test_change_one_answer_from_the_summary_keeps_the_others(ctx):
    chat = start_check(ctx)
    for key in PARTS:
        chat.answer(key, "ge3" if key == "c5_years" else "y")
    before = render.answers_of(chat.state.data)
    chat.tap(encode("e", "edit", "c2"))
    assert chat.state.step == "c2" and "之前的回答：是" in chat.text
    chat.answer("c2", "n")
    assert chat.state.step == "summary"
    assert render.answers_of(chat.state.data) == {**before, "c2": False}
    out = chat.tap(encode("e", "done"))
    assert record_of(out).failing == ["c2"]


def test_back_while_changing_returns_to_the_summary_unchanged(ctx):
    chat = start_check(ctx)
    for key in PARTS:
        chat.answer(key, "ge3" if key == "c5_years" else "y")
    before = render.answers_of(chat.state.data)
    chat.tap(encode("e", "edit", "c5_years"))
    chat.tap(encode("e", "back", "c5_years"))
    assert chat.state.step == "summary"
    assert render.answers_of(chat.state.data) == before


def test_back_from_the_summary_goes_to_the_last_question(ctx):
    chat = start_check(ctx)
    for key in PARTS:
        chat.answer(key, "ge3" if key == "c5_years" else "y")
    chat.tap(encode("e", "back", "summary"))
    assert chat.state.step == "c6"
    chat.answer("c6", "y")
    assert chat.state.step == "summary"


def test_restart_resumes_from_serialised_state(ctx):
    chat = start_check(ctx)
    for key in PARTS[:5]:
        chat.answer(key, "y")
    chat.type("两年半")
    stored = chat.state.model_dump_json()
    resumed = Chat(Context(kb=load_knowledge()), ChatState.model_validate_json(stored))
    assert resumed.state.step == "c5_effective"
    resumed.answer("c5_effective", "y")
    resumed.answer("c6", "y")
    assert "两年半" in resumed.text  # the summary shows the years as typed
    out = resumed.tap(encode("e", "done"))
    record = record_of(out)
    assert (record.verdict, record.failing, record.answers["c5_years"]) == (
        "not_eligible",
        ["c5_years"],
        2.5,
    )


def test_check_command_mid_flow_offers_to_resume(ctx):
    chat = start_check(ctx)
    chat.answer("c1a", "y")
    before = chat.state
    chat.send(CommandEvent(name="check"))
    assert chat.state == before and "未完成" in chat.text
    chat.tap(encode("e", "resume", "c1b"))
    assert chat.state == before and "四(二)1" in chat.text
    chat.tap("e:restart")
    assert (chat.state.step, chat.state.data) == ("c1a", {})


# ---- typed answers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "typed", "value"),
    [
        ("c1a", "是", True),
        ("c1a", "是的，有ISO 9001证书", True),
        ("c1a", "对", True),
        ("c1a", "否", False),
        ("c1a", "不是", False),
        ("c1a", "yes", True),
        ("c1a", "No", False),
        ("c1a", "不确定", None),
        ("c1a", "不清楚", None),
        ("c1b", "没有", True),  # 无不良记录? 没有 (no bad record) means yes
        ("c1b", "有", False),
        ("c3", "没有", False),
        ("c3", "有", True),
        ("c5_effective", "有", True),
    ],
)
def test_typed_yes_no(ctx, step, typed, value):
    data = {k: True for k in PARTS[: PARTS.index(step)]}
    chat = Chat(ctx, ChatState(flow="check", step=step, data=data))
    chat.type(typed)
    assert chat.state.data[step] is value
    assert chat.state.step == PARTS[PARTS.index(step) + 1]


def test_typed_explain_and_back(ctx):
    chat = Chat(ctx, ChatState(flow="check", step="c2", data={"c1a": True, "c1b": True}))
    chat.type("说明")
    assert chat.state.step == "c2" and "近三年" in chat.text
    chat.type("上一步")
    assert chat.state.step == "c1b"


def test_typed_nonsense_at_a_yes_no_step_is_asked_again(ctx):
    state = ChatState(flow="check", step="c2", data={"c1a": True, "c1b": True})
    chat = Chat(ctx, state)
    chat.type("asdf")
    assert chat.state == state and texts.CHECK_YES_NO_RETRY in chat.text


def test_a_typed_question_goes_to_the_faq_and_keeps_the_step(ctx):
    state = ChatState(flow="check", step="c2", data={"c1a": True, "c1b": True})
    out = drive(ctx, state, TextEvent(text="申报要交费吗？"))
    assert (out.state.step, out.state.data) == (state.step, state.data)
    assert texts.CHECK_YES_NO_RETRY not in out.replies[0].text
    assert "不收费" in out.replies[0].text and out.state.detour


def test_typed_quit_leaves_the_check(ctx):
    chat = Chat(ctx, ChatState(flow="check", step="c2"))
    chat.type("退出")
    assert chat.text == texts.DISCARD_ASK and chat.state.step == "c2"  # asked first
    chat.press(texts.DISCARD_YES)
    assert chat.state.flow == "menu" and "check" not in chat.state.paused


@pytest.mark.parametrize(
    ("typed", "years"), [("3", 3.0), ("36个月", 3.0), ("两年多", 2.0), ("十年", 10.0)]
)
def test_typed_years(ctx, typed, years):
    chat = Chat(ctx, ChatState(flow="check", step="c5_years"))
    chat.type(typed)
    assert chat.state.data["c5_years"] == years and chat.state.step == "c5_effective"


def test_nonsense_years_are_asked_again_once_then_recorded_as_unsure(ctx):
    chat = Chat(ctx, ChatState(flow="check", step="c5_years"))
    chat.type("很久了吧")
    assert chat.state.step == "c5_years" and "36个月" in chat.text
    chat.type("2013年开始")
    assert chat.state.step == "c5_effective"
    assert chat.state.data["c5_years"] is None
    assert texts.CHECK_YEARS_GAVE_UP in chat.text


def test_a_good_reply_after_one_nonsense_resets_the_count(ctx):
    chat = Chat(ctx, ChatState(flow="check", step="c5_years"))
    chat.type("不知多少")
    chat.type("4年")
    assert chat.state.data["c5_years"] == 4.0 and chat.state.data["_tries"] == 0


def test_summary_accepts_a_typed_confirmation(ctx):
    chat = start_check(ctx)
    for key in PARTS:
        chat.answer(key, "ge3" if key == "c5_years" else "y")
    out = chat.type("确认")
    assert record_of(out).verdict == "eligible"


# ---- bad callbacks -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "forged",
    [
        "e:ans:zz",
        "e:" + "x" * 100,
        "e:ans:c2.y",  # a button for another step
        "e:ans:c1a.q",
        "e:ans:c5_years.ge3",
        "e:exp:c9",
        "e:back:c4",
        "e:edit:c2",  # only on the summary
        "e:done",
        "e:resume:c6",
        "e:nope",
        "e:ans",
    ],
)
def test_forged_or_stale_callbacks_change_nothing(ctx, forged):
    chat = start_check(ctx)
    chat.answer("c1a", "y")
    before = chat.state
    out = chat.tap(forged)
    assert out.state == before and out.effects == []
    assert out.replies and out.replies[0].text.strip()


def test_a_check_button_outside_the_check_is_answered_politely(ctx):
    state = ChatState(flow="menu")
    out = drive(ctx, state, CallbackEvent(data="e:ans:c1a.y"))
    assert out.state == state and out.replies[0].text == texts.CALLBACK_STALE
    assert "m:open:check" in [b.data for row in out.replies[0].buttons for b in row]


def test_a_stale_button_shows_the_current_question(ctx):
    chat = start_check(ctx)
    chat.answer("c1a", "y")
    chat.tap(encode("e", "ans", "c1a.n"))  # the first question's button, pressed again
    assert chat.state.data["c1a"] is True and chat.state.step == "c1b"
    assert texts.CALLBACK_STALE_HERE in chat.text and "无不良记录" in chat.text


# ---- scriptable: check_record ------------------------------------------------------------------


def dev_rows() -> list[dict]:
    return [
        json.loads(line)
        for line in eval_file("dev_eligibility.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def test_check_record_scores_the_dev_set():
    rows = dev_rows()
    results = [eligibility.check_record(row) for row in rows]
    verdicts = sum(r["verdict"] == row["verdict"] for r, row in zip(results, rows, strict=True))
    failing = sum(r["failing"] == row["failing"] for r, row in zip(results, rows, strict=True))
    priority = sum(r["priority"] == row["priority"] for r, row in zip(results, rows, strict=True))
    assert (verdicts, failing, priority) == (len(rows),) * 3
    assert all(r["id"] == row["id"] and r["reply"] for r, row in zip(results, rows, strict=True))


def test_the_chat_agrees_with_check_record_on_the_dev_set(ctx):
    """The same evaluation serves both: each dev row answered by buttons and typed years."""
    for row in dev_rows():
        a = row["answers"]
        chat = start_check(ctx)
        for key in PARTS:
            if key == "c5_years":
                chat.type(f"{a['c5_years']}年")
            else:
                value = a["c1" if key in ("c1a", "c1b") else key]
                chat.answer(key, "y" if value else "n")
        record = record_of(chat.tap("e:done"))
        failing = list(dict.fromkeys(ctx.kb.condition_part(k)[0].key for k in record.failing))
        assert (record.verdict, failing, record.priority) == (
            row["verdict"],
            row["failing"],
            row["priority"],
        ), row["id"]


def test_check_record_reply_is_the_chat_verdict(ctx):
    answers = {"c1": True, "c2": True, "c3": False, "c4": True, "c5_years": 2, "c5_effective": True}
    result = eligibility.check_record({"id": 7, "answers": answers})
    assert result["id"] == 7 and result["verdict"] == "not_eligible"
    assert result["failing"] == ["c5"]
    assert "暂不符合" in result["reply"] and "四(二)6" in result["reply"]  # c6 missing: 不确定


def test_check_record_missing_answers_are_unsure():
    result = eligibility.check_record({"id": "x", "answers": {}})
    assert (result["verdict"], result["failing"], result["priority"]) == ("unsure", [], False)
    assert "需核实" in result["reply"]


def test_check_record_accepts_typed_years_and_parts():
    answers = {"c1a": True, "c1b": True, "c2": True, "c4": True, "c5_years": "3年以上"}
    result = eligibility.check_record({"answers": {**answers, "c5_effective": True, "c6": True}})
    assert (result["id"], result["verdict"]) == (None, "eligible")


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"id": 1, "answers": {"c5_years": True}}, "answers.c5_years: expected a number"),
        ({"id": 1, "answers": {"c5_years": [3]}}, "answers.c5_years: expected a number"),
        ({"id": 1, "answers": {"c5_years": "很久"}}, "answers.c5_years"),
        ({"id": 1, "answers": {"c5_years": -1}}, "answers.c5_years"),
        ({"id": 1, "answers": {"c2": "yes"}}, "answers.c2"),
        ({"id": 1, "answers": {"c7": True}}, "answers.c7"),
        ({"id": 1, "answers": [True]}, "answers"),
        ({"id": 1}, "answers"),
        ({"id": {"x": 1}, "answers": {}}, "id"),
        ("not a record", "record"),
    ],
)
def test_check_record_rejects_malformed_records(record, field):
    with pytest.raises(ValueError, match=field.replace(".", r"\.")):
        eligibility.check_record(record)


def test_every_clause_the_check_cites_exists(ctx):
    cited = re.compile(r"通知([一二三四五六](?:\([一二三四五六七八九十]+\))?\d*)")
    chat = start_check(ctx)
    out = answer_all(chat, {"c1a": "n", "c2": "n", "c4": "n", "c5_years": "lt1", "c6": "n"})
    bodies = [out.replies[0].text, basis_of(chat)]
    bodies += [render.explain_text(c) for c in ctx.kb.conditions]
    found = {m for body in bodies for m in cited.findall(body)}
    assert {"四(二)1", "四(三)", "四(四)", "五", "六(二)"} <= found
    assert found <= set(ctx.kb.clauses)


def test_the_basis_button_survives_the_end_of_the_check_and_forgery(ctx):
    chat = start_check(ctx)
    answer_all(chat, {"c5_years": "2to3", "c3": "u"})
    chat.command("menu")
    chat.command("faq")  # far away from the check now
    basis = chat.press(texts.CHECK_BTN_BASIS).replies[0].text
    assert "四(二)5" in basis and "2.5年" in basis
    for forged in ("e:basis:", "e:basis:yyyyyy", "e:basis:yyyyy-x-yy", "e:basis:zzzzzzzz"):
        out = chat.tap(forged)
        assert out.replies[0].text.startswith(texts.CALLBACK_STALE) and not out.effects
