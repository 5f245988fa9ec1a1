"""The fake Bot API server's Telegram send limits (opt-in): 429 with retry_after, counted;
as token buckets or a strict sliding window; and its added latency."""

from __future__ import annotations

import asyncio
import time

import httpx
from telegram import Bot
from telegram.ext import AIORateLimiter, ExtBot

from tests.fake_bot_api import FakeBotApi, SlidingWindow, TokenBucket

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
    assert isinstance(server._overall, TokenBucket) and server._overall.rate == 30
    assert server._new_chat_limit is not None
    per_chat = server._new_chat_limit()
    assert isinstance(per_chat, TokenBucket) and per_chat.rate == 1


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
            await bot.get_me()  # the connection set up, as a running bot has it
            start = time.monotonic()
            await asyncio.gather(*(bot.send_message(chat, "hi") for chat in range(1, 61)))
            elapsed = time.monotonic() - start
    assert server.limit_429s == 0
    assert len(server.calls_to("sendMessage")) == 60
    assert elapsed >= 0.9  # 30 at once, then 30 more at 30/s
    assert isinstance(bot, Bot)


# ---- the strict sliding window ----------------------------------------------------------


async def test_the_window_refuses_the_31st_send_within_a_second_and_accepts_after_it():
    async with FakeBotApi() as server, httpx.AsyncClient() as client:
        server.enforce_limits(30, 0, mode="sliding_window")
        assert isinstance(server._overall, SlidingWindow)
        first = time.monotonic()
        answers = [await _send(client, server, chat) for chat in range(1, 31)]
        assert all(a["ok"] for a in answers)
        refused = await _send(client, server, 31)
        assert refused["error_code"] == 429 and refused["parameters"]["retry_after"] == 1
        # Half a second on, a token bucket of 30/s would have 15 sends back; the window none.
        await asyncio.sleep(0.5)
        assert (await _send(client, server, 32))["error_code"] == 429
        await asyncio.sleep(max(0.0, first + 1.05 - time.monotonic()))
        assert (await _send(client, server, 33))["ok"]
    assert server.limit_429s == 2


async def test_the_window_slides_rather_than_resetting_each_second():
    async with FakeBotApi() as server, httpx.AsyncClient() as client:
        server.enforce_limits(10, 0, mode="sliding_window")
        early = time.monotonic()
        assert all([(await _send(client, server, c))["ok"] for c in range(1, 6)])  # 5 at 0 s
        await asyncio.sleep(0.6)
        late = time.monotonic()
        assert all([(await _send(client, server, c))["ok"] for c in range(6, 11)])  # 5 at 0.6 s
        assert (await _send(client, server, 11))["error_code"] == 429
        await asyncio.sleep(max(0.0, early + 1.05 - time.monotonic()))
        assert time.monotonic() < late + 1.0  # the late five are still in the window
        answers = [await _send(client, server, c) for c in range(12, 18)]
    assert [a["ok"] for a in answers] == [True] * 5 + [False]  # only the early five freed
    assert server.limit_429s == 2


async def test_the_window_gives_one_chat_one_message_per_second():
    async with FakeBotApi() as server, httpx.AsyncClient() as client:
        server.enforce_limits(30, 1, mode="sliding_window")
        first = time.monotonic()
        assert (await _send(client, server, 7))["ok"]
        second = await _send(client, server, 7)
        assert second["error_code"] == 429 and second["parameters"]["retry_after"] == 1
        assert (await _send(client, server, 8))["ok"]  # another chat is not held back
        await asyncio.sleep(0.5)
        assert (await _send(client, server, 7))["error_code"] == 429
        await asyncio.sleep(max(0.0, first + 1.05 - time.monotonic()))
        assert (await _send(client, server, 7))["ok"]
    assert server.limit_429s == 2


async def test_ptbs_rate_limiter_passes_the_bucket_but_not_the_strict_window():
    """AIORateLimiter lets 30 go at once and then 30/s: up to ~60 in the first second."""
    async with FakeBotApi() as server:
        server.enforce_limits(30, 1, mode="sliding_window")
        bot = ExtBot(TOKEN, base_url=server.base_url, rate_limiter=AIORateLimiter(max_retries=0))
        async with bot:
            await bot.get_me()
            sent = [bot.send_message(chat, "hi") for chat in range(1, 61)]
            results = await asyncio.gather(*sent, return_exceptions=True)
    assert server.limit_429s > 0
    assert sum(isinstance(r, Exception) for r in results) == server.limit_429s


# ---- added latency ------------------------------------------------------------------------


async def test_latency_delays_every_answer_but_not_the_request():
    async with FakeBotApi(latency=0.2) as server, httpx.AsyncClient() as client:
        start = time.perf_counter()
        answer = await _send(client, server, 1)
        elapsed = time.perf_counter() - start
        me = (await client.get(f"{server.base_url}{TOKEN}/getMe")).json()
        missing = await client.get(f"http://127.0.0.1:{server.port}/nothing")
    assert answer["ok"] and me["ok"] and missing.status_code == 404
    assert 0.2 <= elapsed < 0.5
    assert server.calls[0].at - start < 0.15  # the request arrived at once; the answer waited


async def test_latency_holds_each_request_on_its_own_so_concurrent_ones_overlap():
    async with FakeBotApi(latency=0.3) as server, httpx.AsyncClient() as client:
        start = time.perf_counter()
        answers = await asyncio.gather(*(_send(client, server, c) for c in range(1, 11)))
        concurrent = time.perf_counter() - start
        start = time.perf_counter()
        for chat in (1, 2):  # one after the other: one connection, each answer waited for
            await _send(client, server, chat)
        sequential = time.perf_counter() - start
    assert all(a["ok"] for a in answers)
    assert 0.3 <= concurrent < 1.0  # ten in flight at once, not 10 × 0.3 s
    assert sequential >= 0.6


async def test_latency_applies_to_long_polling_too():
    async with FakeBotApi(latency=0.2) as server, httpx.AsyncClient() as client:
        url = f"{server.base_url}{TOKEN}/getUpdates"
        start = time.perf_counter()
        empty = (await client.post(url, json={"timeout": 0.3})).json()
        waited = time.perf_counter() - start
        server.send_text(1, "你好")
        start = time.perf_counter()
        found = (await client.post(url, json={"timeout": 5})).json()
        fetched = time.perf_counter() - start
    assert empty == {"ok": True, "result": []} and 0.5 <= waited < 0.8
    assert found["result"][0]["message"]["text"] == "你好" and 0.2 <= fetched < 0.5
