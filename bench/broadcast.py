"""A broadcast to N subscribers through the fake Bot API server enforcing Telegram's limits
(30 messages/s overall, 1/s per chat; 429 with retry_after above them), while one user chats.

The real Application (``build_application``) with its production limits and sender polls the
fake server on loopback in this process. An organizer composes, previews and confirms over
Telegram; meanwhile an interactive user asks an FAQ question about every 1.2 s (Telegram allows
one message a second in a chat). Reported: the achieved delivery rate (target >= 27/s), the 429s
(target <= 1 % of sends), duplicates and lost deliveries (target 0 and 0), and the interactive
user's reply time during the broadcast against the same questions before it (target: p99 less
than 300 ms over the bot's own work, the before figure). Run from the repository root:

    .venv/bin/python bench/broadcast.py [--subscribers 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.config import Settings  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402
from bot.telegram.limits import Limits  # noqa: E402
from conversations.flows.broadcast import render  # noqa: E402
from knowledge import load_knowledge  # noqa: E402
from tests.fake_bot_api import Call, FakeBotApi, polling, visible_text  # noqa: E402

TOKEN = "123456:BENCH"
ADMIN, ORG, USER = 900, 501, 7
FIRST_CHAT = 100_000
NOTICE = "各市经信委：请于6月30日前将推荐材料报送省经信委科技与质量处。"


def seed(settings: Settings, subscribers: int) -> None:
    store = Store(settings.db_path, admin_ids=settings.admin_ids)
    with store.transaction():
        for chat in range(FIRST_CHAT, FIRST_CHAT + subscribers):
            store.touch_user(chat, user_id=chat)
            store.subscribe(chat, 2026)
        store.db.execute("UPDATE users SET city = '苏州'")
        store.grant(ADMIN, ORG, "city:苏州")
    store.close()


class Watch:
    """Follows the server's calls as they are recorded (no rescans of the call list)."""

    def __init__(self, fake: FakeBotApi, text: str) -> None:
        self.text = text
        self.delivered: Counter[int] = Counter()
        self.attempts = 0
        self.first = self.last = 0.0
        self.replies: asyncio.Queue[Call] = asyncio.Queue()
        self.organizer: list[Call] = []
        fake.listeners.append(self.on_call)

    def on_call(self, call: Call) -> None:
        chat = call.chat_id
        if call.method == "sendMessage" and isinstance(chat, int) and chat >= FIRST_CHAT:
            self.attempts += 1
            if call.ok and visible_text(call.text or "", "HTML") == self.text:
                self.delivered[chat] += 1
                self.first = self.first or call.at
                self.last = call.at
        elif chat == USER and call.ok and call.method == "sendMessage":
            self.replies.put_nowait(call)
        elif chat == ORG and call.ok:
            self.organizer.append(call)


async def ask(fake: FakeBotApi, watch: Watch, question: str) -> float:
    """Seconds from the question being queued to the reply reaching the server."""
    while not watch.replies.empty():
        watch.replies.get_nowait()
    update = fake.send_text(USER, question)
    reply = await asyncio.wait_for(watch.replies.get(), 30)
    return reply.at - fake.injected_at[update["update_id"]]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def organizer_confirms(fake: FakeBotApi, watch: Watch) -> None:
    fake.send_command(ORG, "broadcast")
    await fake.wait_for("sendMessage", chat_id=ORG)
    await asyncio.sleep(1.1)
    mark = fake.mark()
    fake.send_text(ORG, NOTICE)
    preview = await fake.wait_for("sendMessage", since=mark, chat_id=ORG)
    await asyncio.sleep(1.1)
    label = next(x for x in preview.button_labels() if x.startswith("确认发送"))
    fake.press_label(ORG, label)


async def run(subscribers: int) -> int:
    kb = load_knowledge()
    questions = [e.questions[0] for e in kb.faq]
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeBotApi() as fake:
            fake.enforce_limits(30, 1)
            settings = Settings(
                _env_file=None,
                telegram_token=TOKEN,
                telegram_base_url=fake.base_url,
                data_dir=Path(tmp),
                admin_ids=[ADMIN],
            )
            seed(settings, subscribers)
            watch = Watch(fake, render("city:苏州", NOTICE))
            application = build_application(settings, limits=Limits.from_settings(settings))
            async with polling(application):
                await ask(fake, watch, questions[0])  # warm: the FAQ matcher is built once
                await asyncio.sleep(1.2)
                before = []
                for question in questions[:15]:
                    before.append(await ask(fake, watch, question))
                    await asyncio.sleep(1.2)
                started = time.perf_counter()
                await organizer_confirms(fake, watch)
                during: list[float] = []
                index = 0
                while len(watch.delivered) < subscribers:
                    if time.perf_counter() - started > subscribers / 20 + 120:
                        print("gave up waiting", file=sys.stderr)
                        break
                    during.append(await ask(fake, watch, questions[index % len(questions)]))
                    index += 1
                    await asyncio.sleep(1.2)
                while not any("已完成" in (c.text or "") for c in watch.organizer):
                    await asyncio.sleep(0.2)
                wall = time.perf_counter() - started
                limit_429s = fake.limit_429s
    delivered = sum(watch.delivered.values())
    duplicates = delivered - len(watch.delivered)
    lost = subscribers - len(watch.delivered)
    rate = (len(watch.delivered) - 1) / (watch.last - watch.first)
    share = limit_429s / max(1, fake_sends(watch))
    p99_before, p99_during = percentile(before, 0.99), percentile(during, 0.99)
    print(f"subscribers                 {subscribers:,}")
    print(f"achieved delivery rate      {rate:.1f} /s   (target >= 27)")
    span = watch.last - watch.first
    print(f"first to last delivery      {span:.0f} s; confirm to report {wall:.0f} s")
    sends = fake_sends(watch)
    print(f"429s from the limits        {limit_429s} of {sends:,} sends = {share:.2%}  (<= 1 %)")
    print(f"duplicates / lost           {duplicates} / {lost}   (target 0 / 0)")
    print(
        f"interactive replies         before: p50 {1000 * statistics.median(before):.0f} ms,"
        f" p99 {1000 * p99_before:.0f} ms (n={len(before)});"
        f" during: p50 {1000 * statistics.median(during):.0f} ms,"
        f" p99 {1000 * p99_during:.0f} ms (n={len(during)})"
    )
    print(f"p99 over the bot's own work {1000 * (p99_during - p99_before):.0f} ms   (target < 300)")
    ok = rate >= 27 and share <= 0.01 and duplicates == 0 and lost == 0
    return 0 if ok and p99_during - p99_before < 0.3 else 1


def fake_sends(watch: Watch) -> int:
    return watch.attempts + len(watch.organizer)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    return asyncio.run(run(args.subscribers))


if __name__ == "__main__":
    sys.exit(main())
