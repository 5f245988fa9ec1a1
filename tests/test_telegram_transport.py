"""Telegram as a transport (bot.telegram.transport) against the fake Bot API server: what
Telegram answers becomes the Result the dispatcher marks rows with.

The bot is built as the Application builds it: an ExtBot (a ``telegram.Bot``) with the
budget's rate limiter, which lets the transport's paced sends straight through."""

from __future__ import annotations

import pytest
from telegram.ext import ExtBot

from bot.dispatch import Budget
from bot.telegram.limits import BudgetRateLimiter, Limits
from bot.telegram.transport import TelegramTransport
from bot.transports import Pace
from conversations.core import Reply
from tests.fake_bot_api import FakeBotApi, visible_text

TOKEN = "123456:TEST-TOKEN"
CHAT = 4242


@pytest.fixture
async def server():
    async with FakeBotApi() as fake:
        yield fake


@pytest.fixture
async def bot(server):
    pace = Pace()
    limiter = BudgetRateLimiter(Limits(network_backoff=0.01), Budget(pace))
    async with ExtBot(TOKEN, base_url=server.base_url, rate_limiter=limiter) as ext_bot:
        yield ext_bot


@pytest.fixture
def transport(bot):
    return TelegramTransport(bot, Pace())


def shown(server: FakeBotApi, chat: int, ref: str) -> str:
    return server.messages[(chat, int(ref))]["text"]


async def test_a_send_is_sent_with_the_message_id_as_ref(server, transport):
    result = await transport.send(str(CHAT), Reply(text="⏰ 提醒：<报送> & 准备"))
    assert result.ok and result.outcome == "sent"
    [call] = server.calls_to("sendMessage", chat_id=CHAT)
    assert result.ref == str(call.result["message_id"])
    assert visible_text(call.text, call.params.get("parse_mode")) == "⏰ 提醒：<报送> & 准备"
    assert "allow_paid_broadcast" not in call.params


async def test_a_chat_that_blocked_the_bot_is_blocked(server, transport):
    server.block_chat(CHAT)
    result = await transport.send(str(CHAT), Reply(text="你好"))
    assert result.outcome == "blocked" and "blocked" in result.detail
    assert not result.ok and result.ref is None


async def test_a_chat_not_found_is_blocked_too(server, transport):
    server.fail_next("sendMessage", code=400, description="Bad Request: chat not found")
    result = await transport.send(str(CHAT), Reply(text="你好"))
    assert result.outcome == "blocked"


async def test_a_429_is_retry_after_with_the_seconds_and_not_retried_here(server, transport):
    server.fail_next("sendMessage", retry_after=7)
    result = await transport.send(str(CHAT), Reply(text="你好"))
    assert result.outcome == "retry_after" and result.retry_after == 7.0
    assert len(server.calls_to("sendMessage", ok=None)) == 1  # the row waits, not the send


async def test_a_bad_request_is_permanent(server, transport):
    server.fail_next("sendMessage", code=400, description="Bad Request: message is too long")
    result = await transport.send(str(CHAT), Reply(text="你好"))
    assert result.outcome == "permanent" and "too long" in result.detail
    assert len(server.calls_to("sendMessage", ok=None)) == 1


async def test_a_dropped_connection_is_transient(server, transport):
    server.drop_next("sendMessage")
    result = await transport.send(str(CHAT), Reply(text="你好"))
    assert result.outcome == "transient"
    again = await transport.send(str(CHAT), Reply(text="你好"))  # the next one goes
    assert again.ok and len(server.calls_to("sendMessage", chat_id=CHAT)) == 1


@pytest.mark.parametrize("code", [500, 502])
async def test_a_server_error_is_transient(server, transport, code):
    server.fail_next("sendMessage", code=code, description=f"Internal Server Error {code}")
    result = await transport.send(str(CHAT), Reply(text="你好"))
    assert result.outcome == "transient"
    assert len(server.calls_to("sendMessage", ok=None)) == 1


async def test_replace_edits_the_message_in_place(server, transport):
    first = await transport.send(str(CHAT), Reply(text="群发 #1：已发送 1 / 3"))
    assert first.ok and first.ref is not None
    again = await transport.send(str(CHAT), Reply(text="群发 #1 已完成"), replace=first.ref)
    assert again.ok and again.ref == first.ref
    [edit] = server.calls_to("editMessageText", chat_id=CHAT)
    assert edit.params["message_id"] == int(first.ref)
    assert len(server.calls_to("sendMessage", chat_id=CHAT)) == 1  # no second message
    assert shown(server, CHAT, first.ref) == "群发 #1 已完成"


async def test_replace_of_a_message_gone_sends_a_new_one(server, transport):
    result = await transport.send(str(CHAT), Reply(text="群发 #1 已完成"), replace="999")
    assert result.ok and result.ref is not None and result.ref != "999"
    assert shown(server, CHAT, result.ref) == "群发 #1 已完成"


async def test_paid_broadcasts_ask_for_paid_sends_but_not_for_edits(server, bot):
    transport = TelegramTransport(bot, Pace(), paid=True)
    first = await transport.send(str(CHAT), Reply(text="一"))
    await transport.send(str(CHAT), Reply(text="二"), replace=first.ref)
    [send] = server.calls_to("sendMessage", chat_id=CHAT)
    [edit] = server.calls_to("editMessageText", chat_id=CHAT)
    assert send.params.get("allow_paid_broadcast") is True
    assert "allow_paid_broadcast" not in edit.params


def test_paid_broadcasts_have_their_own_budget_and_replies_keep_the_free_one():
    """Telegram lets paid broadcasts past its free limits (up to 1,000/s); replies are never
    paid, so they stay within the free 30/s whatever the setting."""
    from bot.config import Settings
    from bot.telegram.handlers import TelegramAdapter
    from bot.telegram.limits import Limits

    paid = Settings(_env_file=None, paid_broadcast=True)
    adapter = TelegramAdapter(paid, None, Limits())
    transport = adapter.telegram_transport(object())  # type: ignore[arg-type]
    assert adapter.budget.pace.per_second == pytest.approx(28.5)
    assert transport.budget.pace.per_second == pytest.approx(950)
    free = TelegramAdapter(Settings(_env_file=None), None, Limits())
    assert free.telegram_transport(object()).budget is free.budget  # type: ignore[arg-type]
