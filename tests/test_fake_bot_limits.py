"""The fake Bot API server's Telegram send limits (opt-in): 429 with retry_after, counted."""

from __future__ import annotations

import asyncio
import time

import httpx
from telegram import Bot
from telegram.ext import AIORateLimiter, ExtBot

from tests.fake_bot_api import FakeBotApi

TOKEN = "123456:TEST-TOKEN"


async def _send(client: httpx.AsyncClient, server: FakeBotApi, chat_id: int) -> dict:
    response = await client.post(
        f"{server.base_url}{TOKEN}/sendMessage", json={"chat_id": chat_id, "text": "hi"}
    )
    return response.json()


async def test_limits_are_off_unless_asked():
    async with FakeBotApi() as server, httpx.AsyncClient() as client:
        answers = [await _send(client, server, 1) for _ in range(40)]
    assert all(a["ok"] for a in answers)
    assert server.limit_429s == 0


async def test_over_the_limit_answers_429_with_retry_after_and_counts_it():
    async with FakeBotApi() as server, httpx.AsyncClient() as client:
        server.enforce_limits(1, 0, overall_burst=5, tolerance=0)  # slow refill: exact counts
        answers = [await _send(client, server, chat) for chat in range(1, 9)]
    refused = [a for a in answers if not a["ok"]]
    assert [a["ok"] for a in answers] == [True] * 5 + [False] * 3
    assert server.limit_429s == 3
    assert {a["error_code"] for a in refused} == {429}
    assert all(a["parameters"]["retry_after"] >= 1 for a in refused)
    assert len(server.calls_to("sendMessage", ok=False)) == 3


def test_the_default_limits_are_telegrams():
    server = FakeBotApi(limits=True)
    assert server._overall is not None and server._overall.rate == 30
    assert server._per_chat_rate is not None and server._per_chat_rate[0] == 1


async def test_one_chat_gets_one_message_per_second():
    async with FakeBotApi() as server, httpx.AsyncClient() as client:
        server.enforce_limits(overall_per_second=30, per_chat_per_second=1)
        first, second, other = [await _send(client, server, c) for c in (7, 7, 8)]
        assert first["ok"] and other["ok"]
        assert second["error_code"] == 429 and second["parameters"]["retry_after"] == 1
        await asyncio.sleep(1.05)
        assert (await _send(client, server, 7))["ok"]
    assert server.limit_429s == 1


async def test_a_bot_paced_by_ptbs_rate_limiter_stays_under_the_limit():
    async with FakeBotApi(limits=True) as server:
        bot = ExtBot(TOKEN, base_url=server.base_url, rate_limiter=AIORateLimiter(max_retries=0))
        async with bot:
            start = time.monotonic()
            await asyncio.gather(*(bot.send_message(chat, "hi") for chat in range(1, 61)))
            elapsed = time.monotonic() - start
    assert server.limit_429s == 0
    assert len(server.calls_to("sendMessage")) == 60
    assert elapsed >= 0.9  # 30 at once, then 30 more at 30/s
    assert isinstance(bot, Bot)
