"""``GET /healthz`` in each state and ``GET /metrics`` after turns and sends (bot.ops.health,
bot.ops.metrics), through the real web app: its ASGI app over httpx, a real store, the
process's dispatcher; Telegram's checks against the fake Bot API server."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time

import httpx
import pytest

from bot.config import Settings
from bot.ops import metrics
from bot.ops.health import Health, HealthLimits
from bot.runtime import started
from bot.telegram.app import _adapter
from bot.transports import Result
from bot.web.app import build_web_app
from conversations import texts
from conversations.core import Reply
from tests.test_dispatch import build, due_reminders, reminder, until
from tests.test_webhook import changed, serving
from tests.web_visitor import Visitor


def client_for(app, host: str = "127.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(host, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.fixture
def world(kb, tmp_path):
    w = build(kb, tmp_path)
    w.service.settings = Settings(_env_file=None, data_dir=tmp_path)
    yield w
    w.service.close()


async def healthz(app) -> tuple[int, dict]:
    async with client_for(app) as client:
        answer = await client.get("/healthz")
    return answer.status_code, answer.json()


# ---- /healthz ------------------------------------------------------------------------------


async def test_healthy_when_the_database_takes_writes_and_the_dispatcher_runs(world):
    app = build_web_app(world.service.settings, world.service)
    async with started(world.dispatcher):
        await until(lambda: "reminders" in world.dispatcher.looked)
        status, body = await healthz(app)
    assert status == 200, body
    assert body["status"] == "ok" and body["reasons"] == []
    assert body["database"]["ok"] and body["dispatcher"]["channels"] == ["email", "telegram", "web"]
    assert 0 <= body["reminders"]["age_seconds"] < 5
    assert "telegram" not in body  # no Telegram bot in this process: not checked
    heartbeat = world.store.db.execute("SELECT at FROM heartbeat").fetchone()[0]
    assert heartbeat == body["database"]["wrote_at"]


async def test_503_without_a_running_dispatcher(world):
    app = build_web_app(world.service.settings, world.service)
    world.service.dispatcher = None
    status, body = await healthz(app)
    assert status == 503 and body["reasons"] == [texts.HEALTH_NO_DISPATCHER]


async def test_503_when_a_worker_of_the_dispatcher_died(world):
    app = build_web_app(world.service.settings, world.service)
    async with started(world.dispatcher):
        worker = next(t for t in world.dispatcher._tasks if t.get_name() == "dispatch-web")
        worker.cancel()
        await asyncio.sleep(0.01)
        status, body = await healthz(app)
    assert status == 503
    assert body["dispatcher"]["reason"].startswith("发送调度器的工作任务已停止")


async def test_503_when_the_database_takes_no_writes(world, tmp_path):
    app = build_web_app(world.service.settings, world.service)
    world.store.db.execute("PRAGMA busy_timeout=50")
    other = sqlite3.connect(tmp_path / "b.db")
    other.execute("BEGIN EXCLUSIVE")  # another process holding the write lock (or a full disk)
    try:
        status, body = await healthz(app)
    finally:
        other.rollback()
        other.close()
    assert status == 503
    assert (
        body["database"]["reason"].startswith("数据库无法写入") and "locked" in body["reasons"][0]
    )


async def test_503_when_reminders_were_not_looked_for_lately(world):
    health = Health(world.service, HealthLimits(sweep_stale=60))
    async with started(world.dispatcher):
        await until(lambda: "reminders" in world.dispatcher.looked)
        assert health.reminders()["ok"]
        world.dispatcher.looked["reminders"] = time.monotonic() - 90  # the sweep stuck
        stale = health.reminders()
    assert not stale["ok"] and stale["age_seconds"] >= 90
    assert stale["reason"] == texts.HEALTH_SWEEP_STALE.format(seconds=90, limit=60)
    never = Health(world.service, HealthLimits(sweep_stale=60), created=time.monotonic() - 61)
    world.dispatcher.looked.clear()
    assert never.reminders()["reason"] == texts.HEALTH_SWEEP_NEVER.format(seconds=61)


async def test_telegram_is_checked_when_this_process_serves_it(fake_bot_api, bot_settings):
    settings = changed(bot_settings, web_port=0)
    async with serving(settings) as application:
        health = Health(_adapter(application).service, HealthLimits(telegram_every=0))
        healthy, body = await health.report()
        assert body["telegram"] == {"ok": True, "bot": "biaogan_test_bot"}, body
        assert healthy, body
        fake_bot_api.fail_next("getMe", 1, code=502, description="Bad Gateway")
        healthy, body = await health.report()
        assert not healthy
        assert body["reasons"] == [texts.HEALTH_TELEGRAM_DOWN.format(error="NetworkError")]


# ---- /metrics ------------------------------------------------------------------------------


def sample(text: str, name: str, **labels: str) -> float:
    """A sample's value in Prometheus's text format (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(r"(\w+)(?:\{(.*)\})? (\S+)", line)
        if match and match[1] == name:
            got = ",".join(sorted((match[2] or "").split(","))) if match[2] else ""
            if got == wanted:
                return float(match[3])
    return 0.0


async def scrape(app, **headers: str) -> str:
    async with client_for(app) as client:
        answer = await client.get("/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=")
    return answer.text


async def test_metrics_count_turns_sends_and_the_outbox_without_personal_data(world):
    app = build_web_app(world.service.settings, world.service)
    before = await scrape(app)
    due_reminders(world, 8, 9)  # two reminders due on Telegram
    world.telegram.script("9", Result("retry_after", "Too Many Requests", retry_after=3.0))
    async with client_for(app) as client:
        visitor = Visitor(client)
        await visitor.open()
        for question in ("要交费吗", "名额有多少", "火星上有标杆吗"):
            await visitor.say(question)
    (web_chat,) = world.store.db.execute("SELECT chat_id FROM users WHERE chat_id < 0").fetchone()
    during = await scrape(app)
    assert sample(during, "biaogan_outbox_due", table="reminders") == 2
    async with started(world.dispatcher):
        await until(lambda: world.telegram.texts("8"))
        await until(lambda: reminder(world.store, 9)["retry_at"])  # 429: that row waits 3 s
        world.clock.advance(5)
        world.dispatcher.wake()
        await until(lambda: world.telegram.texts("9"))
        await world.dispatcher.reply("web", str(web_chat), Reply(text="进度"))
    after = await scrape(app)

    def grew(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert grew("biaogan_turns_total", channel="web", kind="text") == 3
    assert grew("biaogan_turn_seconds_count", channel="web") == 3
    assert grew("biaogan_sends_total", transport="telegram", source="reminders",
                outcome="sent") == 2  # fmt: skip
    assert grew("biaogan_sends_total", transport="telegram", source="reminders",
                outcome="retry_after") == 1  # fmt: skip
    assert grew("biaogan_rate_limited_total", transport="telegram") == 1
    assert grew("biaogan_retry_after_seconds_total", transport="telegram") == 3
    assert grew("biaogan_sends_total", transport="web", source="reply", outcome="sent") == 1
    assert grew("biaogan_send_wait_seconds_count", transport="telegram") == 3
    assert sample(after, "biaogan_outbox_due", table="reminders") == 0
    unanswered = world.store.db.execute("SELECT count(*) FROM unanswered").fetchone()[0]
    assert unanswered >= 1
    assert sample(after, "biaogan_unanswered_questions") == unanswered
    assert "process_resident_memory_bytes" in after
    # No question, chat id, session or address in it.
    for private in ("交费", "火星", str(web_chat), visitor.csrf):
        assert private not in after, private


async def test_metrics_only_on_loopback_unless_a_token_is_set(world):
    app = build_web_app(world.service.settings, world.service)
    async with client_for(app, host="203.0.113.7") as client:
        assert (await client.get("/metrics")).status_code == 403
    async with client_for(app) as client:  # loopback, but forwarded by a reverse proxy
        forwarded = await client.get("/metrics", headers={"x-forwarded-for": "203.0.113.7"})
        assert forwarded.status_code == 403
    settings = changed(world.service.settings, metrics_token="m-token")
    guarded = build_web_app(settings, world.service)
    async with client_for(guarded, host="203.0.113.7") as client:
        assert (await client.get("/metrics")).status_code == 401
        wrong = await client.get("/metrics", headers={"authorization": "Bearer nope"})
        assert wrong.status_code == 401
        right = await client.get("/metrics", headers={"authorization": "Bearer m-token"})
        assert right.status_code == 200 and "biaogan_turns_total" in right.text


def test_every_metric_is_documented_and_labels_are_short_fixed_lists():
    from tests.conftest import ROOT

    deploy = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    names = [m.name for m in metrics.REGISTRY.collect() if m.name.startswith("biaogan_")]
    names += ["biaogan_outbox_due", "biaogan_unanswered_questions", "biaogan_dispatcher_up",
              "biaogan_reminder_sweep_age_seconds"]  # fmt: skip
    for name in names:
        assert name in deploy, name
