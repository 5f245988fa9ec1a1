"""Webhook mode against the fake Bot API server: the real Application and web app on one loop
(``poll_and_serve_web``), Telegram's posts carrying the secret token, requests without it or
with another refused, and the switch back to long polling losing nothing."""

from __future__ import annotations

import asyncio
import contextlib
import socket

import httpx
import pytest

from bot.config import Settings
from bot.ops import metrics
from bot.service import ChatService
from bot.telegram.app import ALLOWED_UPDATES, build_application, poll_and_serve_web
from tests.fake_bot_api import FakeBotApi

SECRET = "s3cret_token-for-tests"


def changed(settings: Settings, **changes) -> Settings:
    """The settings with ``changes``, validated as the environment's would be."""
    return Settings(_env_file=None, **{**settings.model_dump(), **changes})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.asynccontextmanager
async def serving(settings):
    """``biaogan run``'s loop (bot and web app) until the block ends."""
    service = ChatService.open(settings)
    stop = asyncio.Event()
    application = build_application(settings, service)
    task = asyncio.create_task(poll_and_serve_web(application, settings, service, stop=stop))
    try:
        await until(lambda: service.dispatcher is not None and service.dispatcher.alive())
        yield application
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        service.close()


async def until(condition, timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not met in time")


@pytest.fixture
def hook_settings(bot_settings):
    port = free_port()
    return changed(
        bot_settings,
        web_port=port,
        telegram_webhook_url=f"http://127.0.0.1:{port}/telegram/updates",
        telegram_webhook_secret=SECRET,
    )


def refused(reason: str) -> float:
    return (
        metrics.REGISTRY.get_sample_value("biaogan_webhook_refused_total", {"reason": reason})
        or 0.0
    )


async def test_updates_come_by_webhook_with_the_secret(fake_bot_api: FakeBotApi, hook_settings):
    async with serving(hook_settings) as application:
        await until(lambda: fake_bot_api.webhook is not None)
        assert application.updater is None  # no polling at all
        (call,) = fake_bot_api.calls_to("setWebhook")
        assert call.params["url"] == hook_settings.telegram_webhook_url
        assert call.params["secret_token"] == SECRET
        assert call.params["allowed_updates"] == ALLOWED_UPDATES
        fake_bot_api.send_text(42, "要交费吗")
        reply = await fake_bot_api.wait_for_reply(42)
        assert "见通知" in (reply.text or "")
        fake_bot_api.press(42, "menu:main")
        await fake_bot_api.wait_for("answerCallbackQuery")
        assert set(fake_bot_api.webhook_posts) == {200}
        assert not fake_bot_api.calls_to("getUpdates", ok=None)
    assert fake_bot_api.webhook is not None  # kept: Telegram holds updates until the next start


async def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_handled(
    fake_bot_api: FakeBotApi, hook_settings
):
    forged = {
        "update_id": 9001,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 77, "type": "private", "first_name": "x"},
            "from": {"id": 77, "is_bot": False, "first_name": "x"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    url = hook_settings.telegram_webhook_url
    wrong, missing = refused("wrong_secret"), refused("missing_secret")
    async with serving(hook_settings):
        await until(lambda: fake_bot_api.webhook is not None)
        async with httpx.AsyncClient() as client:
            headers = {"X-Telegram-Bot-Api-Secret-Token": "not-the-secret"}
            assert (await client.post(url, json=forged, headers=headers)).status_code == 403
            assert (await client.post(url, json=forged)).status_code == 403
            right = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            bad = await client.post(url, content=b"[1, 2]", headers=right)
            assert bad.status_code == 400
        await fake_bot_api.expect_none("sendMessage", within=0.7, chat_id=77)
        # The same update with the secret is answered: the refusals were the secret's doing.
        async with httpx.AsyncClient() as client:
            taken = await client.post(url, json=forged, headers=right)
            assert taken.status_code == 200
        await fake_bot_api.wait_for_reply(77)
    assert refused("wrong_secret") == wrong + 1
    assert refused("missing_secret") == missing + 1


async def test_without_a_configured_secret_each_start_makes_one(fake_bot_api, hook_settings):
    settings = changed(hook_settings, telegram_webhook_secret=None)
    secrets = []
    for _ in range(2):
        async with serving(settings):
            await until(lambda: fake_bot_api.webhook is not None)
            secrets.append(fake_bot_api.webhook["secret_token"])
            fake_bot_api.send_text(5, "/start")
            await fake_bot_api.wait_for_reply(5)
        fake_bot_api.webhook = None
    assert len(secrets[0]) >= 32 and secrets[0] != secrets[1]


async def test_back_to_polling_deletes_the_webhook_and_loses_no_update(
    fake_bot_api: FakeBotApi, hook_settings
):
    fake_bot_api.webhook_retry = 0.05
    async with serving(hook_settings):
        await until(lambda: fake_bot_api.webhook is not None)
        fake_bot_api.send_text(42, "/start")
        await fake_bot_api.wait_for_reply(42)
    # Down for an upgrade: Telegram keeps what users send and tries to post it meanwhile.
    fake_bot_api.send_text(42, "要交费吗")
    await until(lambda: 0 in fake_bot_api.webhook_posts)
    polling = changed(hook_settings, telegram_webhook_url=None, telegram_webhook_secret=None)
    async with serving(polling) as application:
        assert application.updater is not None
        reply = await fake_bot_api.wait_for_reply(42)
        assert "见通知" in (reply.text or "")
    (deleted,) = fake_bot_api.calls_to("deleteWebhook")
    assert not deleted.params.get("drop_pending_updates")  # what was queued is fetched
    assert fake_bot_api.webhook is None


async def test_a_proxy_carries_every_bot_api_call(fake_bot_api: FakeBotApi, bot_settings):
    """``BIAOGAN_TELEGRAM_PROXY`` (a mainland host reaching the Bot API through a host abroad):
    getMe, long polling and the replies all go through it."""
    from tests.http_proxy import ForwardProxy

    async with ForwardProxy() as proxy:
        settings = changed(bot_settings, web_port=0, telegram_proxy=proxy.url)
        async with serving(settings):
            fake_bot_api.send_text(42, "要交费吗")
            await fake_bot_api.wait_for_reply(42)
    assert proxy.requests["getMe"] >= 1
    assert proxy.requests["getUpdates"] >= 1
    assert proxy.requests["sendMessage"] >= 1


def test_a_bad_proxy_or_webhook_setting_is_refused_by_name():
    from pydantic import ValidationError

    for bad in (
        {"telegram_proxy": "ftp://relay.example:21"},
        {"telegram_webhook_url": "http://bot.example.org/telegram"},  # Telegram needs HTTPS
        {"telegram_webhook_secret": "has spaces"},
    ):
        with pytest.raises(ValidationError) as caught:
            Settings(_env_file=None, **bad)
        assert caught.value.errors()[0]["loc"] == (next(iter(bad)),)
