"""Issue 20, the faithfulness traps left: a question asking for a specific the notice does not
give (a figure of something it never names, a pass mark or a ranking, what happens if) is told
so, with the clause it is about; an English question about something else gets no phone number.
Asserted on the reply a user reads (``ask --jsonl``'s record, and the real ``biaogan ask``).
The questions here are ours, written for these tests (none is from an evaluation set)."""

from __future__ import annotations

import json

from conversations import texts
from conversations.ask import ask_record
from conversations.core import Context
from knowledge.analysis import analyse
from knowledge.specifics import inferred_gives, unsaid_measure
from tests.test_cli import biaogan

PHONE = "83392940"
SILENT = "没有关于这个问题的规定"
INVENTED = ("万元", "亿元", "以上的企业", "分以上", "60分", "80分")


def asked(kb, question: str) -> dict:
    return ask_record(Context(kb=kb), {"q": question})


# ---- a figure of a thing the notice never names --------------------------------------------


def test_a_figure_of_what_the_notice_never_names_is_said_to_be_absent(kb) -> None:
    for question in ("申报企业的年营业额要求是多少", "研发投入占比要达到多少"):
        record = asked(kb, question)
        reply = record["reply"]
        assert record["kind"] == "not_in_notice" and record["entry"] is None, (question, record)
        assert SILENT in reply and PHONE in reply and "2016年通知所列联系人" in reply
        assert not any(s in reply for s in INVENTED), reply


def test_the_clause_beside_it_is_quoted_only_when_it_speaks_of_the_topic(kb) -> None:
    pass_mark = asked(kb, "专家评审的及格线定在多少")["reply"]
    assert SILENT in pass_mark and "组织专家对推荐材料进行评审" in pass_mark  # 四(四)
    turnover = asked(kb, "申报企业的年营业额要求是多少")["reply"]
    assert texts.FAQ_SCOPE_RELATED.split("{")[0] not in turnover  # no unrelated quota quoted


def test_a_figure_of_what_the_notice_names_is_still_answered(kb) -> None:
    record = asked(kb, "首批一共评多少家")
    assert record["kind"] == "answered" and "10个" in record["reply"] and "2016" in record["reply"]


def test_unsaid_measure_reads_the_thing_asked_about() -> None:
    known = {"名额", "评审"}.__contains__
    assert unsaid_measure(analyse("评审的合格分数线是多少"), known) == "分数线"
    assert unsaid_measure(analyse("名额一共是多少"), known) is None  # named by the notice
    assert unsaid_measure(analyse("员工人数的要求大概多少"), known) == "人数"  # past qualifiers


# ---- pass marks and ranking ----------------------------------------------------------------


def test_a_pass_mark_or_a_ranking_is_not_in_the_notice_and_the_review_clause_is(kb) -> None:
    for question in ("评审合格线是多少分", "入选企业的排名怎么定"):
        reply = asked(kb, question)["reply"]
        assert SILENT in reply and "省经信委负责全省“质量标杆”遴选和确定" in reply, reply
        assert "按得分" not in reply and "分以上" not in reply


# ---- what happens if -----------------------------------------------------------------------


def test_what_happens_if_is_said_as_not_given_with_what_the_clause_says(kb) -> None:
    record = asked(kb, "推荐的企业超出名额会怎样")
    reply = record["reply"]
    assert record["kind"] == "partial", record
    gap = texts.FAQ_GAP.format(asked=texts.GAP_WORDS["consequence"], fact="").split("：")[0]
    assert gap in reply and "1—2个" in reply and "2016" in reply


def test_a_clause_written_to_answer_a_what_if_answers_it(kb) -> None:
    record = asked(kb, "怕泄密怎么办")
    assert record["kind"] == "answered" and "不涉及商业机密" in record["reply"]
    assert "没有写明" not in record["reply"]


def test_a_unit_gives_the_inferred_kinds_its_questions_ask() -> None:
    assert inferred_gives(["who"], [frozenset({"consequence"}), frozenset()]) == {
        "who",
        "consequence",
    }
    assert inferred_gives(["when"], [frozenset({"where"})]) == {"when"}  # declared only


# ---- off-topic in English ------------------------------------------------------------------


def test_an_english_question_about_something_else_gets_no_phone(kb) -> None:
    for question in ("Where can I get a good massage in Suzhou?", "Recommend a good hotel?"):
        record = asked(kb, question)
        assert record["kind"] == "outside" and PHONE not in record["reply"], (question, record)


def test_an_english_question_about_the_programme_is_still_answered(kb) -> None:
    record = asked(kb, "Who reviews the applications?")
    assert record["kind"] == "answered" and "组织专家" in record["reply"]


def test_a_title_before_a_greeting_is_a_greeting(kb) -> None:
    record = asked(kb, "领导您好")
    assert record["kind"] == "greeting" and PHONE not in record["reply"]


# ---- the real biaogan ask --jsonl ------------------------------------------------------------


def test_ask_jsonl_tells_what_the_notice_does_not_give() -> None:
    questions = {
        "figure": "研发投入占比要达到多少",
        "mark": "专家评审的及格线定在多少",
        "what_if": "推荐的企业超出名额会怎样",
        "english": "Where can I get a good massage in Suzhou?",
    }
    lines = "".join(
        json.dumps({"id": k, "q": q}, ensure_ascii=False) + "\n" for k, q in questions.items()
    )
    result = biaogan("ask", "--jsonl", stdin=lines)
    assert result.returncode == 0, result.stderr
    rows = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert SILENT in rows["figure"]["reply"] and rows["figure"]["entry"] is None
    assert SILENT in rows["mark"]["reply"] and "四(四)" in rows["mark"]["reply"]
    assert rows["what_if"]["kind"] == "partial" and "没有写明" in rows["what_if"]["reply"]
    assert rows["english"]["kind"] == "outside" and PHONE not in rows["english"]["reply"]
