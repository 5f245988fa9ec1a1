"""The broadcast sender on its own: a real store, a bot that records what it is asked to send."""

import asyncio
from types import SimpleNamespace

from bot.broadcast.sender import BroadcastSender, Pacer, SenderConfig
from bot.store import OPERATOR, Store


class RecordingBot:
    def __init__(self) -> None:
        self.sent: list[tuple[int, str, dict]] = []

    async def send_message(self, chat_id, text, **kwargs):
        self.sent.append((chat_id, text, kwargs))
        return SimpleNamespace(message_id=len(self.sent))

    async def edit_message_text(self, text, **kwargs):
        self.sent.append((kwargs["chat_id"], text, kwargs))


def store_with_broadcast(tmp_path, recipients=(11, 12)) -> Store:
    store = Store(tmp_path / "b.db")
    with store.transaction():
        for chat in recipients:
            store.touch_user(chat)
            store.subscribe(chat, 2026)
        store.create_broadcast(OPERATOR, None, "all", "通知 <全文>")
    return store


async def test_it_waits_while_the_reminder_sweep_runs(tmp_path):
    store = store_with_broadcast(tmp_path)
    bot = RecordingBot()
    sweeping = True
    sender = BroadcastSender(store, bot, SenderConfig(rate=100), background=lambda: sweeping)
    task = asyncio.create_task(sender.step())
    await asyncio.sleep(0.2)
    assert bot.sent == []
    sweeping = False
    await asyncio.wait_for(task, 2)
    assert [(chat, text) for chat, text, _ in bot.sent] == [(11, "通知 &lt;全文&gt;")]


async def test_it_yields_to_interactive_replies_then_goes_on(tmp_path):
    store = store_with_broadcast(tmp_path)
    bot = RecordingBot()
    busy = 1
    sender = BroadcastSender(store, bot, SenderConfig(rate=100, yield_for=5), busy=lambda: busy)
    task = asyncio.create_task(sender.step())
    await asyncio.sleep(0.1)
    assert bot.sent == []
    busy = 0
    await asyncio.wait_for(task, 2)
    assert len(bot.sent) == 1


async def test_paid_broadcasts_pass_allow_paid_broadcast(tmp_path):
    store = store_with_broadcast(tmp_path)
    bot = RecordingBot()
    sender = BroadcastSender(store, bot, SenderConfig.for_rate(30, paid=True))
    assert sender.config.rate > 900
    while await sender.step():
        pass
    assert [kwargs.get("allow_paid_broadcast") for _, _, kwargs in bot.sent] == [True, True]
    assert store.recent_broadcasts()[0]["state"] == "done"


async def test_the_pacer_holds_its_average_rate():
    pacer = Pacer(50)
    loop = asyncio.get_running_loop()
    start = loop.time()
    for _ in range(26):
        await pacer.take()
    assert 0.45 <= loop.time() - start < 0.7
