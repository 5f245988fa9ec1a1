"""Telegram throughput: biaogan against a bare python-telegram-bot echo bot, same fake server.

N simulated users each send M FAQ questions (``dev_faq.jsonl``), one at a time, each waiting
for the reply before the next (as people do). Both bots long-poll the same fake Bot API server on
loopback (tests/fake_bot_api.py) in one process, one after the other, round after round.

Reported in one run:
- with the send cap off (``BIAOGAN_TELEGRAM_RATE=0``, as for a self-hosted Bot API server):
  replies/s, p50/p99 latency and the CPU time per reply of this process (bot, fake server and
  simulated users) for each bot, and the ratio of biaogan's CPU per reply to the echo bot's
  (target <= 1.3; biaogan's turns run on the event loop, so all of its work is counted), with
  the answer cache as users run it and without it (every question matched afresh);
- with the cap on as users run it (``BIAOGAN_TELEGRAM_RATE=30``): biaogan's replies/s
  (target: at the cap).

    .venv/bin/python bench/throughput.py [--users 20] [--messages 10] [--rounds 5]

The eval directory defaults to ``../shared/eval``, or ``$BIAOGAN_EVAL_DIR``, or ``--eval-dir``.
biaogan's flood throttle is set above M so no simulated user is throttled.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from telegram import Update  # noqa: E402
from telegram.ext import (  # noqa: E402
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.config import Settings  # noqa: E402
from bot.service import ChatService  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402
from bot.telegram.limits import Limits  # noqa: E402
from conversations import texts  # noqa: E402
from tests.fake_bot_api import Call, FakeBotApi, polling  # noqa: E402

TARGET_CPU_RATIO = 1.3
TOKEN = "123456:BENCH"


@dataclasses.dataclass
class Round:
    replies: int
    seconds: float
    latencies: list[float]
    cpu_seconds: float  # this process: bot, fake server, simulated users

    @property
    def per_second(self) -> float:
        return self.replies / self.seconds


@dataclasses.dataclass
class Result:
    name: str
    rounds: list[Round]
    sample: str = ""
    errors: int = 0  # replies that were the generic error message

    def median_round(self) -> Round:
        return sorted(self.rounds, key=lambda r: r.per_second)[len(self.rounds) // 2]

    @property
    def per_second(self) -> float:
        return statistics.median(r.per_second for r in self.rounds)

    @property
    def cpu_ms_per_reply(self) -> float:
        return statistics.median(r.cpu_seconds / r.replies for r in self.rounds) * 1000

    def percentile(self, q: float) -> float:
        latencies = sorted(x for r in self.rounds for x in r.latencies)
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000


def eval_dir(given: str | None) -> Path:
    return Path(given or os.environ.get("BIAOGAN_EVAL_DIR") or REPO.parent / "shared" / "eval")


def load_questions(directory: Path) -> list[str]:
    path = directory / "dev_faq.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line)["q"] for line in lines if line.strip()]


# ---- the bots --------------------------------------------------------------------------------


def echo_application(server: FakeBotApi, *, telegram_limits: bool, concurrent: int = 1):
    """PTB's echobot example: reply with the user's own text (defaults: one update at a time)."""

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(update.message.text)

    builder = ApplicationBuilder().token(TOKEN).base_url(server.base_url)
    if telegram_limits:
        builder = builder.rate_limiter(AIORateLimiter())
    if concurrent > 1:
        builder = builder.concurrent_updates(concurrent)
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return application


def biaogan_application(
    server: FakeBotApi, data_dir: Path, *, rate: float, messages: int, answer_cache: bool = True
):
    """biaogan as configured by its settings, with the send rate ``rate`` (0: no cap);
    ``answer_cache=False``: every question matched afresh (the matching's own cost)."""
    settings = Settings(
        _env_file=None,
        telegram_token=TOKEN,
        telegram_base_url=server.base_url,
        data_dir=data_dir,
        telegram_rate=rate,
    )
    limits = dataclasses.replace(Limits.from_settings(settings), flood_burst=messages + 1)
    if not rate:
        limits = dataclasses.replace(limits, group_per_minute=0)
    if answer_cache:
        return build_application(settings, limits=limits)
    service = ChatService.open(settings)
    service.ctx.answer_cache = 0  # before the matcher is built
    return build_application(settings, service, limits=limits)


# ---- the simulated users ---------------------------------------------------------------------


class Users:
    """Routes the bot's replies to the simulated user (chat) they are for."""

    def __init__(self, server: FakeBotApi) -> None:
        self.server = server
        self.inbox: dict[int, asyncio.Queue[Call]] = {}
        server.listeners.append(self._route)

    def _route(self, call: Call) -> None:
        if call.method == "sendMessage" and call.ok and call.chat_id in self.inbox:
            self.inbox[call.chat_id].put_nowait(call)

    async def ask(self, chat_id: int, text: str) -> tuple[float, Call]:
        """Send ``text`` as user ``chat_id``; (latency in seconds, the reply)."""
        inbox = self.inbox.setdefault(chat_id, asyncio.Queue())
        sent = time.perf_counter()
        self.server.send_text(chat_id, text)
        reply = await asyncio.wait_for(inbox.get(), timeout=30)
        return reply.at - sent, reply

    async def play(self, first_chat: int, users: int, questions: list[str], messages: int) -> Round:
        latencies: list[float] = []

        async def user(index: int) -> None:
            for m in range(messages):
                question = questions[(index * messages + m) % len(questions)]
                latency, _ = await self.ask(first_chat + index, question)
                latencies.append(latency)

        start, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(user(i) for i in range(users)))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        return Round(len(latencies), elapsed, latencies, cpu)


async def measure_round(
    result: Result,
    make: Callable[[], Application],
    server: FakeBotApi,
    users: Users,
    args: argparse.Namespace,
    questions: list[str],
    first_chat: int,
) -> None:
    """Start the bot, warm it up, play one round with new users, stop it."""
    first_call = server.mark()
    async with polling(make(), timeout=10):
        _, warm = await users.ask(first_chat - 1, questions[0])  # builds caches, opens pools
        result.sample = warm.text or ""
        result.rounds.append(await users.play(first_chat, args.users, questions, args.messages))
    sent = server.calls_to("sendMessage", since=first_call)
    result.errors += sum(1 for call in sent if call.text == texts.ERROR_GENERIC)


async def main(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING)
    questions = load_questions(eval_dir(args.eval_dir))
    async with FakeBotApi() as server:
        users = Users(server)
        with tempfile.TemporaryDirectory() as data_dir:
            echo = Result("echo (bare PTB)", [])
            biaogan = Result("biaogan, no cap", [])
            uncached = Result("biaogan, no answer cache", [])
            capped = Result(f"biaogan, {args.rate:g}/s cap", [])
            bots: list[tuple[Result, Callable[[], Application]]] = [
                (echo, lambda: echo_application(server, telegram_limits=False)),
                (
                    biaogan,
                    lambda: biaogan_application(
                        server, Path(data_dir), rate=0, messages=args.messages
                    ),
                ),
                (
                    uncached,
                    lambda: biaogan_application(
                        server, Path(data_dir), rate=0, messages=args.messages, answer_cache=False
                    ),
                ),
            ]
            chats = 10_000
            for _ in range(args.rounds):  # rounds interleaved: load from elsewhere hits both
                for result, make in bots:
                    await measure_round(result, make, server, users, args, questions, chats)
                    chats += args.users + 1

            def make_capped() -> Application:
                return biaogan_application(
                    server, Path(data_dir), rate=args.rate, messages=args.messages
                )

            await measure_round(capped, make_capped, server, users, args, questions, chats)
    return report(echo, biaogan, uncached, capped, args)


def report(
    echo: Result, biaogan: Result, uncached: Result, capped: Result, args: argparse.Namespace
) -> int:
    print(
        f"Telegram throughput — {args.users} users × {args.messages} messages "
        f"(dev_faq.jsonl), fake Bot API on loopback, median of {args.rounds} rounds"
    )
    header = f"{'bot':24} {'replies':>8} {'replies/s':>10} {'p50 ms':>8} {'p99 ms':>8}"
    print(f"{header} {'CPU ms/reply':>13}")
    for r in (echo, biaogan, uncached, capped):
        print(
            f"{r.name:24} {sum(x.replies for x in r.rounds):>8} {r.per_second:>10.1f} "
            f"{r.percentile(0.50):>8.1f} {r.percentile(0.99):>8.1f} {r.cpu_ms_per_reply:>13.2f}"
        )
    print("(CPU: this process — bot, fake server and simulated users; turns run on the loop)")
    # Each round runs the bots back to back, so a round's ratio compares them under the same
    # machine load; the median of those ratios is steadier than the ratio of the medians.
    pairs = zip(echo.rounds, biaogan.rounds, strict=True)
    per_round = sorted(b.cpu_seconds / b.replies / (e.cpu_seconds / e.replies) for e, b in pairs)
    ratio = statistics.median(per_round)
    cpu_ok = ratio <= TARGET_CPU_RATIO
    print(
        f"CPU per reply, biaogan / bare echo: {ratio:.2f}× (median of {len(per_round)} rounds, "
        f"{per_round[0]:.2f}–{per_round[-1]:.2f}; target ≤ {TARGET_CPU_RATIO}) "
        f"{'PASS' if cpu_ok else 'FAIL'}"
    )
    # Under the cap the bot sends at most 95 % of the rate overall and one message a second
    # (1.05 s) per chat: 20 users typing without pause get 20 replies a second, not 30.
    limits = Limits()
    ceiling = min(args.rate * 0.95, args.users / limits.chat_gap)
    at_cap = capped.per_second >= 0.9 * ceiling
    print(
        f"with the {args.rate:g}/s cap: {capped.per_second:.1f} replies/s (target: at the"
        f" ceiling {ceiling:.1f}/s — {args.rate:g}/s × 95 % overall, {args.users} chats at one"
        f" a second each — ≥ {0.9 * ceiling:.1f}) {'PASS' if at_cap else 'FAIL'}"
    )
    pairs = zip(echo.rounds, uncached.rounds, strict=True)
    fresh = statistics.median(
        sorted(u.cpu_seconds / u.replies / (e.cpu_seconds / e.replies) for e, u in pairs)
    )
    print(f"CPU per reply with every question matched afresh (no answer cache): {fresh:.2f}×")
    print(f"a biaogan reply: {biaogan.sample[:80]!r}")
    if biaogan.errors or capped.errors:
        print(f"WARNING: {biaogan.errors + capped.errors} replies were the generic error message")
    return 0 if cpu_ok and at_cap else 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="simulated users (default 20)")
    parser.add_argument("--messages", type=int, default=10, help="messages per user (default 10)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per bot (default 5)")
    parser.add_argument("--rate", type=float, default=30, help="the send cap to measure (30)")
    parser.add_argument("--eval-dir", help="directory of dev_faq.jsonl")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
