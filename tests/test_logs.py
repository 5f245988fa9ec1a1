"""Logs an operator can use (bot.ops.logs, bot.ops.observe, bot.ops.alerts): one line per turn
and per send without message text, JSON lines on request, and an unexpected exception logged
with its context, told to the person in one short sentence and reported to the admins over
their channel — rate-limited, never with a traceback or what someone typed."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import re
import signal
import subprocess
import sys

import pytest

from bot.config import Settings
from bot.ops import logs
from bot.ops.alerts import AdminAlerts, AlertLimits
from bot.runtime import started
from bot.service import ChatService
from bot.transports import SENT
from conversations import texts
from conversations.core import Actor, CommandEvent, TextEvent
from tests.conftest import ROOT
from tests.test_dispatch import build, due_reminders, until

ADMIN = 900  # tests.test_dispatch's admin


@pytest.fixture
def captured():
    """The process's logging as ``biaogan`` sets it up, into a buffer; put back afterwards."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, logging.getLogger("bot").level)
    buffer = io.StringIO()

    def setup(log_format: str = "text", *, log_text: bool = False) -> io.StringIO:
        logs.setup(log_format, log_text=log_text, stream=buffer)
        logging.getLogger("bot").setLevel(logging.INFO)  # as biaogan run / web do
        return buffer

    yield setup
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in saved[0]:
        root.addHandler(handler)
    root.setLevel(saved[1])
    logging.getLogger("bot").setLevel(saved[2])
    from bot.ops import observe

    observe.log_text = False


@pytest.fixture
def world(kb, tmp_path):
    w = build(kb, tmp_path)
    yield w
    w.service.close()


def lines(buffer: io.StringIO, marker: str) -> list[str]:
    return [line for line in buffer.getvalue().splitlines() if marker in line]


def test_one_text_line_per_turn_without_what_was_typed(captured, world):
    buffer = captured()
    world.service.handle(Actor(user_id=5, chat_id=5), TextEvent(text="要交费吗"))
    world.service.handle(Actor(user_id=5, chat_id=5), CommandEvent(name="menu"))
    turn_lines = lines(buffer, "bot.turns")
    assert len(turn_lines) == 2
    assert re.search(r"INFO bot\.turns: turn channel=telegram chat=5 kind=text ms=[\d.]+ "
                     r"replies=1 ok=True$", turn_lines[0]), turn_lines[0]  # fmt: skip
    assert "kind=command" in turn_lines[1] and "command=menu" in turn_lines[1]
    assert "交费" not in buffer.getvalue()


def test_json_lines_carry_the_fields_and_the_text_only_when_asked(captured, world):
    buffer = captured("json", log_text=True)
    world.service.handle(Actor(user_id=5, chat_id=5), TextEvent(text="要交费吗"))
    (line,) = lines(buffer, '"bot.turns"')
    entry = json.loads(line)
    assert entry["level"] == "INFO" and entry["event"] == "turn" and entry["chat"] == 5
    assert entry["channel"] == "telegram" and entry["kind"] == "text" and entry["ok"] is True
    assert entry["text"] == "要交费吗" and entry["time"].endswith("+00:00")
    for line in buffer.getvalue().splitlines():
        json.loads(line)  # every line is one JSON object


async def test_one_line_per_send_naming_the_row_not_the_address(captured, world):
    buffer = captured("json")
    due_reminders(world, 8)
    world.dispatcher.start()
    try:
        await until(lambda: world.telegram.texts("8"))
        await until(lambda: lines(buffer, '"bot.sends"'))
    finally:
        await world.dispatcher.stop()
    (line,) = lines(buffer, '"bot.sends"')
    entry = json.loads(line)
    assert entry["transport"] == "telegram" and entry["source"] == "reminders"
    assert entry["outcome"] == "sent" and isinstance(entry["row"], int)
    assert "报送" not in line  # the reminder's text is not logged


def test_an_exception_in_json_keeps_its_traceback_in_the_log(captured):
    buffer = captured("json")
    try:
        raise ValueError("broken")
    except ValueError:
        logging.getLogger("bot.example").exception("while doing %s", "something")
    entry = json.loads(buffer.getvalue().splitlines()[-1])
    assert entry["level"] == "ERROR" and entry["message"] == "while doing something"
    assert "Traceback" in entry["exc"] and "ValueError: broken" in entry["exc"]


# ---- an unexpected exception: the person, the log, the admins ------------------------------


async def test_a_failing_handler_tells_the_user_briefly_and_alerts_the_admin_once(
    fake_bot_api, bot_runner, bot_settings, monkeypatch, caplog
):
    settings = bot_settings.model_copy(update={"admin_ids": [ADMIN]})
    real = ChatService.handle

    def handle(self, actor, event, user=None):
        if getattr(event, "text", "") == "炸":
            raise RuntimeError("secret detail 炸")
        return real(self, actor, event, user)

    monkeypatch.setattr(ChatService, "handle", handle)
    await bot_runner.start(settings=settings)
    chat = 987654  # a chat id that no time of day in the alert can contain
    fake_bot_api.send_text(chat, "炸")
    told = await fake_bot_api.wait_for_reply(chat)
    assert told.text == texts.ERROR_GENERIC and "Traceback" not in told.text
    alert = await fake_bot_api.wait_for("sendMessage", chat_id=ADMIN)
    assert "bot.telegram.handlers" in alert.text and "RuntimeError" in alert.text
    for private in ("Traceback", "secret detail", "炸", str(chat)):
        assert private not in alert.text, private
    logged = [r for r in caplog.records if r.name == "bot.telegram.handlers"]
    assert logged and logged[0].exc_info is not None  # the log has the update and traceback
    fake_bot_api.send_text(43, "炸")  # the same kind again: held back
    await fake_bot_api.wait_for_reply(43)
    await fake_bot_api.expect_none("sendMessage", within=0.5, chat_id=ADMIN)


async def test_alerts_are_one_per_kind_per_window_and_few_an_hour(world):
    sent: list[tuple[str, str, str]] = []

    async def reply(channel, address, message):
        sent.append((channel, address, message.text))
        return SENT

    alerts = AdminAlerts(world.store, reply, lambda: ["telegram"], world.clock,
                         AlertLimits(every=60, per_hour=3))  # fmt: skip
    job = asyncio.create_task(alerts.run())
    await asyncio.sleep(0)
    log = logging.getLogger("bot.example")
    try:
        for _ in range(3):
            log.error("the same failure %s", "a")
        log.error("another failure")
        for n in range(5):
            log.error("failure number %d", n)  # one kind: the template
        log.warning("not an error")
        logging.getLogger("elsewhere").error("not ours")
        await until(lambda: len(sent) == 3)
        await asyncio.sleep(0.05)
    finally:
        job.cancel()
        await asyncio.gather(job, return_exceptions=True)
    assert [address for _, address, _ in sent] == [str(ADMIN)] * 3
    assert "the same failure %s" in sent[0][2] and "another failure" in sent[1][2]
    assert "failure number %d" in sent[2][2]
    assert alerts not in logging.getLogger("bot").handlers  # removed when the job ends


def test_biaogan_web_logs_json_lines(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIAOGAN_")}
    env.update(PYTHONPATH=str(ROOT), BIAOGAN_WEB_PORT="0", BIAOGAN_DATA_DIR=str(tmp_path),
               BIAOGAN_LOG_FORMAT="json")  # fmt: skip
    command = [
        sys.executable,
        "-c",
        "import sys; from bot.cli import main; sys.exit(main(['web']))",
    ]
    process = subprocess.Popen(command, env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    seen = []
    try:
        for line in iter(process.stderr.readline, ""):
            seen.append(line)
            if "http://" in line:
                break
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
    seen += process.stderr.readlines()
    logged = [json.loads(line) for line in seen if line.startswith("{")]
    assert any(e["message"].startswith("dispatcher started") for e in logged), seen
    assert all(line.startswith("{") or "网页对话已启动" in line for line in seen), seen


async def test_a_failing_web_request_reaches_an_email_admin_without_details(world):
    """The web's error handler answers one sentence; the console's admin gets the note by
    e-mail (their channel), with neither the traceback nor what was typed."""
    import httpx

    from bot.transports.memory import MemoryTransport
    from bot.web.app import build_web_app
    from bot.web.texts import ERR_SERVER
    from tests.web_visitor import Visitor

    store = world.store
    with store.transaction():
        admin = store.new_person("admin", "信息中心")
        store.ensure_destination("email", "it@jxw.example.cn", admin)
    mail = MemoryTransport("email")
    world.dispatcher.lanes["email"].transport = mail

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    world.service.handle = broken
    app = build_web_app(Settings(_env_file=None), world.service)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        started(world.dispatcher),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        await asyncio.sleep(0.01)  # the jobs begin (in-process requests never yield to them)
        visitor = Visitor(client)
        await visitor.open()
        answer = await visitor.post({"type": "text", "text": "要交费吗"})
        assert answer.status_code == 500 and answer.json() == {"error": ERR_SERVER}
        await until(lambda: mail.texts("it@jxw.example.cn"))
    (note,) = mail.texts("it@jxw.example.cn")
    assert "bot.web.app" in note
    for private in ("secret internals", "要交费吗", "Traceback"):
        assert private not in note
    assert mail.texts() == [note]
    assert world.telegram.texts(str(ADMIN)) == [note]  # BIAOGAN_ADMIN_IDS: on Telegram


async def test_biaogan_run_stops_on_sigterm_without_a_critical_line(tmp_path):
    """SIGTERM stops the bot and the web page the way they stop on their own: exit code 0, the
    bot's update fetcher ended in order (python-telegram-bot logs CRITICAL when its fetcher is
    cancelled under it), no traceback in the log an operator reads."""
    from tests.fake_bot_api import FakeBotApi

    async with FakeBotApi() as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BIAOGAN_")}
        env.update(PYTHONPATH=str(ROOT), BIAOGAN_WEB_PORT="0", BIAOGAN_DATA_DIR=str(tmp_path),
                   BIAOGAN_TELEGRAM_TOKEN="123:abc")  # fmt: skip
        env["BIAOGAN_TELEGRAM_BASE_URL"] = api.base_url
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run",
            env=env, cwd=tmp_path, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        seen = []
        try:
            async with asyncio.timeout(30):
                while b"http://" not in (line := await process.stderr.readline()):
                    assert line, seen
                    seen.append(line.decode())
            process.send_signal(signal.SIGTERM)
            async with asyncio.timeout(20):
                rest = await process.stderr.read()
                code = await process.wait()
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    log = "".join(seen) + rest.decode()
    assert code == 0, log
    assert "dispatcher started" in log
    assert "CRITICAL" not in log and "Traceback" not in log, log
