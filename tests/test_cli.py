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
    assert "025-83392940" in rows[4]["reply"]


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
