"""The console chat, driven through stdin as a person at a terminal would."""

import io
import subprocess
import sys

from bot.config import Settings
from bot.console import chat, render, to_event
from bot.service import ChatService
from conversations.core import Button, CallbackEvent, CommandEvent, Reply, TextEvent

from .conftest import ROOT


def run_chat(lines: list[str], tmp_path) -> str:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"BIAOGAN_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=True,
    ).stdout


def test_buttons_are_numbered_and_a_number_presses_one(tmp_path):
    out = run_chat(["5", "exit"], tmp_path)
    assert "[1] 资格自测" in out and "[5] 联系方式" in out
    assert "025-83392940" in out  # pressed 5: 联系方式
    assert out.rstrip().endswith("再见！")


def test_a_question_is_answered_with_its_clause(tmp_path):
    out = run_chat(["参加这个活动收费吗"], tmp_path)
    assert "不向企业收取任何费用" in out and "见通知三" in out


def test_end_of_input_leaves_cleanly(tmp_path):
    out = run_chat([], tmp_path)
    assert out.rstrip().endswith("再见！")


def test_the_conversation_resumes_in_a_new_session(tmp_path):
    service = ChatService.open(Settings(data_dir=tmp_path))
    service.handle(service.actor(0, 0, channel="console"), CommandEvent(name="faq"))
    service.close()
    again = ChatService.open(Settings(data_dir=tmp_path))
    assert again.store.load_state(0).flow == "faq"


def test_in_process_chat_with_scripted_input(tmp_path):
    script = iter(["/help", "2", "exit"])
    out = io.StringIO()
    service = ChatService.open(Settings(data_dir=tmp_path))
    assert chat(service, read=lambda _prompt: next(script), out=out) == 0
    assert "/start" in out.getvalue()


def test_line_to_event():
    buttons = [Button(label="甲", data="m:open:faq")]
    assert to_event("1", buttons) == CallbackEvent(data="m:open:faq")
    assert to_event("2", buttons) == TextEvent(text="2")
    assert to_event("/start check", buttons) == CommandEvent(name="start", args="check")
    assert to_event("/", buttons) == TextEvent(text="/")


def test_render_numbers_buttons_across_rows():
    reply = Reply(
        text="选", buttons=[[Button(label="a", data="m:a")], [Button(label="b", data="m:b")]]
    )
    text, buttons = render(reply)
    assert text == "选\n[1] a  [2] b" and [b.label for b in buttons] == ["a", "b"]
