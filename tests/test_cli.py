"""The scriptable interface: ``biaogan ask`` / ``ask --jsonl`` / ``kb check``."""

import json
import subprocess
import sys

from .conftest import ROOT


def biaogan(*args: str, stdin: str = "", env: dict | None = None, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
        timeout=60,
    )


def test_ask_prints_the_reply():
    result = biaogan("ask", "要交费吗")
    assert result.returncode == 0
    assert "不向企业收取任何费用" in result.stdout


def test_ask_jsonl_keeps_going_past_bad_lines():
    lines = [
        json.dumps({"id": "a", "q": "推荐材料报送给哪个部门"}, ensure_ascii=False),
        "this is not json",
        "[1, 2]",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "q": "今天天气怎么样"}, ensure_ascii=False),
    ]
    result = biaogan("ask", "--jsonl", stdin="\n".join(lines) + "\n")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 5
    assert rows[0]["id"] == "a" and rows[0]["entry"] and rows[0]["clause"]
    assert set(rows[0]) == {"id", "reply", "clause", "entry", "score", "buttons", "kind"}
    assert rows[0]["kind"] == "answered" and rows[0]["buttons"]
    assert rows[1]["id"] is None and "error" in rows[1]
    assert rows[2]["id"] is None and "error" in rows[2]
    assert rows[3]["id"] == "b" and "q" in rows[3]["error"]
    assert rows[4]["entry"] is None and rows[4]["clause"] is None
    # not about the programme: declined without the office's phones (issue 20, defect 2)
    assert rows[4]["kind"] == "outside" and "83392940" not in rows[4]["reply"]


def test_kb_check_prints_counts():
    result = biaogan("kb", "check")
    assert result.returncode == 0, result.stderr
    assert "faq entries" in result.stdout and "clauses" in result.stdout


def test_run_without_token_explains_and_exits_2(tmp_path):
    result = biaogan("run", env={"BIAOGAN_DATA_DIR": str(tmp_path)}, cwd=tmp_path)
    assert result.returncode == 2
    assert "BotFather" in result.stdout + result.stderr
    assert "biaogan chat" in result.stdout + result.stderr


def test_bare_command_without_token_starts_the_console_chat(tmp_path):
    result = biaogan(stdin="5\n", env={"BIAOGAN_DATA_DIR": str(tmp_path)}, cwd=tmp_path)
    assert result.returncode == 0
    assert "[1] 资格自测" in result.stdout and "025-83392940" in result.stdout


def test_unanswered_questions_are_listed_for_organizers(tmp_path):
    env = {"BIAOGAN_DATA_DIR": str(tmp_path)}
    assert "还没有数据" in biaogan("unanswered", env=env, cwd=tmp_path).stderr
    biaogan("chat", stdin="火星上能种土豆吗\n", env=env, cwd=tmp_path)
    listed = biaogan("unanswered", env=env, cwd=tmp_path)
    assert listed.returncode == 0 and "火星上能种土豆吗" in listed.stdout


def _seeded(tmp_path):
    """A data folder with two Suzhou enterprises and one from Nanjing."""
    from bot.store import Store
    from tests.stats_data import Clock, ask, check, enterprise

    clock = Clock(None)
    store = Store(tmp_path / "biaogan.db", clock=clock)
    enterprise(store, clock, 1, (2026, 3, 1), enterprise_name="苏州甲公司", city="苏州")
    check(store, clock, 1, (2026, 3, 1), "eligible")
    enterprise(store, clock, 2, (2026, 4, 1), enterprise_name="苏州乙公司", city="苏州")
    check(store, clock, 2, (2026, 4, 1), "not_eligible", ["c5"])
    enterprise(store, clock, 3, (2026, 5, 1), enterprise_name="南京丙公司", city="南京")
    ask(store, clock, 1, (2026, 5, 2), "苏州有配套奖励吗")
    ask(store, clock, 2, (2026, 5, 3), "苏州有配套奖励吗？")
    ask(store, clock, 3, (2026, 5, 4), "南京的申报窗口在哪里")
    store.close()
    return {"BIAOGAN_DATA_DIR": str(tmp_path)}


def test_stats_for_a_scope_and_a_year_as_text_and_json(tmp_path):
    env = _seeded(tmp_path)
    text = biaogan("stats", "--scope", "city:苏州", "--year", "2026", env=env, cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    assert "统计 · 苏州市 · 2026年" in text.stdout and "南京" not in text.stdout
    result = biaogan("stats", "--year", "2026", "--json", env=env, cwd=tmp_path)
    data = json.loads(result.stdout)
    assert (data["scope"], data["checked"], data["eligible"]) == ("province", 2, 1)
    assert [c["label"] for c in data["by_city"]] == ["南京", "苏州"]
    other = biaogan("stats", "--period", "2027-01-01..2027-03-31", "--json", env=env, cwd=tmp_path)
    assert json.loads(other.stdout)["checks"] == 0
    bad = biaogan("stats", "--scope", "city:", env=env, cwd=tmp_path)
    assert bad.returncode == 2


def test_export_writes_a_utf8_bom_csv_of_the_scope_and_is_audited(tmp_path):
    import csv
    import io

    env = _seeded(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "export", "--scope", "city:苏州"],
        capture_output=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", **env, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8-sig"))))
    assert sorted(r["企业名称"] for r in rows) == ["苏州乙公司", "苏州甲公司"]
    from bot.store import Store

    store = Store(tmp_path / "biaogan.db")
    audit = list(store.db["audit"].rows_where("action = 'export'"))
    who = [store.person_label(a["actor"]) for a in audit]
    store.close()
    assert [(w, a["scope"]) for w, a in zip(who, audit, strict=True)] == [("命令行", "city:苏州")]


def test_unanswered_groups_near_duplicates_and_forget_deletes_a_chat(tmp_path):
    env = _seeded(tmp_path)
    listed = biaogan("unanswered", env=env, cwd=tmp_path)
    first, second = listed.stdout.splitlines()[:2]
    assert first.startswith("2\t苏州有配套奖励吗") and second.startswith("1\t南京")
    suzhou = biaogan("unanswered", "--scope", "city:苏州", env=env, cwd=tmp_path)
    assert "南京" not in suzhou.stdout
    forgot = biaogan("forget", "2", env=env, cwd=tmp_path)
    assert forgot.returncode == 0 and "checks" in forgot.stdout
    data = json.loads(biaogan("stats", "--year", "2026", "--json", env=env, cwd=tmp_path).stdout)
    assert (data["enterprises"], data["checked"]) == (2, 1)
