"""Issue 20, continued: the verdict's failing part (defect 8), the audit's leftovers (defect 9),
and the defects through the real ``biaogan ask --jsonl`` (a store with a calendar set by
``biaogan calendar set``, then the questions)."""

from __future__ import annotations

import json
from datetime import date

from bot.reports.export import export_csv
from conversations import texts
from conversations.ask import ask_record
from conversations.core import Context
from conversations.flows.eligibility.script import check_record
from conversations.reports import ExportRow, Period, Stats, stats_text
from tests.test_cli import biaogan
from tests.test_eligibility_flow import answer_all, start_check

YES = {"c1": True, "c2": True, "c3": False, "c4": True, "c6": True}


# ---- 8. the verdict names the part that fails ---------------------------------------------------


def test_8_only_the_years_failing_names_the_years_not_the_results(ctx) -> None:
    verdict = answer_all(start_check(ctx), {"c5_years": "1to2"}).replies[0].text
    failing = verdict.split(texts.CHECK_VERDICT_FAILING, 1)[1].split("\n")[1]
    assert "方法应用年限" in failing and "取得显著成效" not in failing, verdict


def test_8_an_unsure_part_is_shown_as_unsure(ctx) -> None:
    verdict = answer_all(start_check(ctx), {"c5_effective": "u"}).replies[0].text
    assert texts.CHECK_VERDICT_UNSURE_LIST in verdict
    unsure = verdict.split(texts.CHECK_VERDICT_UNSURE_LIST, 1)[1]
    assert "取得显著成效" in unsure and "方法应用年限" not in unsure, verdict


def test_8_check_jsonl_names_the_failing_part(kb) -> None:
    record = check_record({"id": 1, "answers": {**YES, "c5_years": 2, "c5_effective": True}})
    assert record["failing"] == ["c5"]  # the conditions, as the eval rows give them
    assert "方法应用年限" in record["reply"] and "取得显著成效" not in record["reply"]


def test_8_stats_and_the_export_name_the_part(kb) -> None:
    stats = Stats(scope="province", period=Period.year(2027), failing=[("c5_years", 3), ("c5", 1)])
    text = stats_text(stats, kb)
    assert "5. 方法应用年限" in text and "5. 方法应用3年以上且成效显著" in text  # an older row
    row = ExportRow("甲公司", "苏州", "", "not_eligible", "2027-01-02", ["c1b", "c5_years"], None,
                    None, "2027-01-02T10:00")  # fmt: skip
    csv = export_csv([row], kb).decode("utf-8-sig")
    assert "1. 无不良记录；5. 方法应用年限" in csv and "取得显著成效" not in csv


# ---- 9. leftovers of the audit ------------------------------------------------------------------


def test_9_no_example_treats_2016_as_the_present(kb) -> None:
    for condition in kb.conditions:
        for text in [condition.explain, condition.note, *condition.counts, *condition.not_counts]:
            assert "到2016年" not in text and "今年是2016" not in text, text


def test_9_the_draft_prompt_does_not_read_a_length_as_the_notices_limit() -> None:
    assert "通知没有规定篇幅" in texts.AREA_DRAFT_PROMPT


def test_9_the_document_date_is_not_given_a_schedule_caveat(kb) -> None:
    reply = ask_record(Context(kb=kb), {"q": "通知是哪天发的"})["reply"]
    assert "4月18日" in reply and "以下是2016年通知的安排" not in reply


def test_9_organizing_units_never_include_the_province() -> None:
    for text in (texts.PRIVACY, texts.CALSET_ADMIN_ONLY, texts.SET_BY_ORGANIZERS):
        for inside in text.split("组织单位（")[1:]:
            assert "省经信委" not in inside.split("）")[0], text
        assert "省级组织单位" not in text


def test_9_the_apply_route_orders_without_claiming_the_notice_does(kb) -> None:
    reply = ask_record(Context(kb=kb), {"q": "怎么申报质量标杆"})["reply"]
    assert "按通知" not in reply and "顺序是建议" in reply
    materials = {m.id: m for m in kb.programme.materials}
    assert materials["form"].name in reply and "6月30日前" in reply and "2016年" in reply


def test_9_no_programme_fact_is_typed_in_the_interface_wording() -> None:
    for name in ("APPLY_ROUTE", "CHECK_NEXT_CONTACT", "PROFILE_NO_ADDRESSES", "FAQ_OTHER_YEAR"):
        text = getattr(texts, name)
        for fact in ("6月30", "7月底", "科技与质量处", "李凯", "83392940", "附件2"):
            assert fact not in text, (name, fact)


# ---- the real biaogan ask --jsonl --------------------------------------------------------------


def test_ask_jsonl_answers_the_defects_of_issue_20() -> None:
    questions = {
        "weather": "明天南京天气怎么样",
        "definition": "啥叫质量标杆",
        "wrong_entry": "经验通过什么途径宣传",
        "half": "有什么好处",
        "feature": "截止前提醒我",
        "several": "申报条件有哪些需要什么材料什么时候截止交到哪里",
        "other_year": "2027年的申报截止是哪天",
    }
    lines = "".join(
        json.dumps({"id": k, "q": q}, ensure_ascii=False) + "\n" for k, q in questions.items()
    )
    result = biaogan("ask", "--jsonl", stdin=lines)
    assert result.returncode == 0, result.stderr
    rows = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert rows["weather"]["kind"] == "outside" and "83392940" not in rows["weather"]["reply"]
    assert "最佳实践" in rows["definition"]["reply"]
    assert "汇编" in rows["wrong_entry"]["reply"]
    assert "表彰" in rows["half"]["reply"] and "没有提到奖金" in rows["half"]["reply"]
    assert rows["feature"]["kind"] == "feature" and "订阅" in rows["feature"]["reply"]
    assert rows["several"]["kind"] == "multi" and "4. " in rows["several"]["reply"]
    other = rows["other_year"]["reply"]
    assert "没有给出2027年的日期" in other and "2016年通知所列联系人" in other
    assert "6月30" not in other


def test_ask_with_a_set_year_gives_its_dates_and_2016s_step_as_2016s(tmp_path) -> None:
    env = {"BIAOGAN_DATA_DIR": str(tmp_path / "data")}
    day = date(2027, 8, 10).isoformat()
    assert biaogan("calendar", "set", "2027", "announcement", day, env=env).returncode == 0
    result = biaogan("ask", "2027年评选结果什么时候公布", env=env)
    assert "2027年8月10日" in result.stdout, result.stdout
    assert "2016年通知中的这一步" in result.stdout
    assert "要做的：省经信委确定2016年度" not in result.stdout
