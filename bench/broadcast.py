"""A broadcast to N subscribers through the fake Bot API server, in up to three scenarios side by
side, while one user chats.

Scenarios (``--scenarios``, all three by default), each with a fresh server, store and bot:

- ``loopback``: the server on loopback enforcing Telegram's limits as token buckets (30
  messages/s overall, 1/s per chat, one second's worth of burst; 429 with retry_after above them);
- ``latency``: the same limits with 100 ms added to every answer, as a far-away Bot API;
- ``window``: loopback, the limits as a strict sliding one-second window (at most 30 sends in any
  second, 1 per chat; no burst above it).

The real Application (``build_application``) with its production limits and dispatcher polls the
fake server in this process. An organizer composes, previews and confirms over Telegram;
meanwhile an interactive user asks an FAQ question about every 1.2 s (Telegram allows one message
a second in a chat). Reported per scenario: the achieved delivery rate (target >= 27/s), the 429s
(target <= 1 % of sends), duplicates and lost deliveries (target 0 and 0), and the interactive
user's reply time during the broadcast against the same questions before it (target: p99 less
than 300 ms over the before figure). Run from the repository root:

    .venv/bin/python bench/broadcast.py [--subscribers 2000] [--scenarios loopback,latency,window]

A delivery runs at most at ~28/s, so each scenario takes at least subscribers / 28 s plus ~25 s
(``--subscribers 10000``: 6 min or more per scenario).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.config import Settings  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402
from bot.telegram.limits import Limits  # noqa: E402
from conversations.flows.broadcast import render  # noqa: E402
from knowledge import load_knowledge  # noqa: E402
from tests.fake_bot_api import Call, FakeBotApi, polling, visible_text  # noqa: E402

OVERALL_PER_SECOND, PER_CHAT_PER_SECOND = 30, 1
QUESTION_EVERY = 1.2  # seconds between the interactive user's questions
QUESTIONS_BEFORE = 15
STALLED_AFTER = 60.0  # seconds without a new delivery before the run gives up

# ---- scenarios: the fake server's set-up ----------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str  # the table's column heading
    latency: float = 0.0  # seconds added to every answer
    mode: Literal["token_bucket", "sliding_window"] = "token_bucket"


SCENARIOS = {
    s.name: s
    for s in (
        Scenario("loopback", "loopback, token bucket"),
        Scenario("latency", "+100 ms latency", latency=0.1),
        Scenario("window", "strict 1 s window", mode="sliding_window"),
    )
}


@contextlib.asynccontextmanager
async def fake_server(scenario: Scenario) -> AsyncIterator[FakeBotApi]:
    """The fake Bot API server as the scenario has it: its latency and its limits."""
    async with FakeBotApi(latency=scenario.latency) as fake:
        fake.enforce_limits(OVERALL_PER_SECOND, PER_CHAT_PER_SECOND, mode=scenario.mode)
        yield fake


# ---- the bot: everything that knows the bot's code (adapt here when it changes) -------------

TOKEN = "123456:BENCH"
ADMIN, ORG, USER = 900, 501, 7
FIRST_CHAT = 100_000
NOTICE = "各市经信委：请于6月30日前将推荐材料报送省经信委科技与质量处。"
SCOPE = "city:苏州"


def bot_settings(base_url: str, data_dir: Path) -> Settings:
    return Settings(
        _env_file=None,
        telegram_token=TOKEN,
        telegram_base_url=base_url,
        data_dir=data_dir,
        admin_ids=[ADMIN],
    )


def seed(settings: Settings, subscribers: int) -> None:
    """``subscribers`` enterprises of 苏州 subscribed to 2026; ORG organizes 苏州."""
    store = Store(settings.db_path, admin_ids=settings.admin_ids)
    with store.transaction():
        for chat in range(FIRST_CHAT, FIRST_CHAT + subscribers):
            store.touch_user(chat, user_id=chat)
            store.subscribe(chat, 2026)
        store.db.execute("UPDATE users SET city = '苏州'")
        store.grant(store.telegram_person(ADMIN), store.telegram_person(ORG), SCOPE)
    store.close()


def running_bot(settings: Settings) -> contextlib.AbstractAsyncContextManager[Any]:
    """The production Application with its production limits, long polling meanwhile."""
    return polling(build_application(settings, limits=Limits.from_settings(settings)))


def delivered_text() -> str:
    """What a subscriber sees of the broadcast."""
    return render(SCOPE, NOTICE)


def faq_questions() -> list[str]:
    return [entry.questions[0] for entry in load_knowledge().faq]


async def organizer_confirms(fake: FakeBotApi) -> None:
    """/broadcast, the notice, then the preview's 确认发送 button (a second apart: 1/s a chat)."""
    fake.send_command(ORG, "broadcast")
    await fake.wait_for("sendMessage", chat_id=ORG, timeout=30)
    await asyncio.sleep(1.1)
    mark = fake.mark()
    fake.send_text(ORG, NOTICE)
    preview = await fake.wait_for("sendMessage", since=mark, chat_id=ORG, timeout=30)
    await asyncio.sleep(1.1)
    label = next(x for x in preview.button_labels() if x.startswith("确认发送"))
    fake.press_label(ORG, label)


def is_final_report(call: Call) -> bool:
    return "已完成" in (call.text or "")


# ---- measuring ------------------------------------------------------------------------------


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
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Result:
    subscribers: int
    delivered: Counter[int]
    first: float
    last: float
    wall: float  # confirm to the final report (or to giving up)
    sends: int  # broadcast attempts and the organizer's messages
    limit_429s: int
    before: list[float]
    during: list[float]
    finished: bool  # the final report arrived

    @property
    def rate(self) -> float:
        span = self.last - self.first
        return (len(self.delivered) - 1) / span if span > 0 else float("nan")

    @property
    def duplicates(self) -> int:
        return sum(self.delivered.values()) - len(self.delivered)

    @property
    def lost(self) -> int:
        return self.subscribers - len(self.delivered)

    @property
    def share_429(self) -> float:
        return self.limit_429s / max(1, self.sends)

    @property
    def p99_over(self) -> float:
        return percentile(self.during, 0.99) - percentile(self.before, 0.99)

    def met(self) -> bool:
        return (
            self.finished
            and self.rate >= 27
            and self.share_429 <= 0.01
            and self.duplicates == 0
            and self.lost == 0
            and self.p99_over < 0.3
        )


async def measure(scenario: Scenario, subscribers: int, questions: list[str]) -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        async with fake_server(scenario) as fake:
            settings = bot_settings(fake.base_url, Path(tmp))
            seed(settings, subscribers)
            watch = Watch(fake, delivered_text())
            async with running_bot(settings):
                await ask(fake, watch, questions[0])  # warm: the FAQ matcher is built once
                await asyncio.sleep(QUESTION_EVERY)
                before = []
                for question in questions[:QUESTIONS_BEFORE]:
                    before.append(await ask(fake, watch, question))
                    await asyncio.sleep(QUESTION_EVERY)
                started = time.perf_counter()
                await organizer_confirms(fake)
                during: list[float] = []
                index, seen, progress_at = 0, 0, time.perf_counter()
                while len(watch.delivered) < subscribers:
                    if len(watch.delivered) > seen:
                        seen, progress_at = len(watch.delivered), time.perf_counter()
                    elif time.perf_counter() - progress_at > STALLED_AFTER:
                        print(f"{scenario.name}: no delivery for {STALLED_AFTER:.0f} s, gave up")
                        break
                    during.append(await ask(fake, watch, questions[index % len(questions)]))
                    index += 1
                    await asyncio.sleep(QUESTION_EVERY)
                deadline = time.perf_counter() + STALLED_AFTER
                while not (finished := any(map(is_final_report, watch.organizer))):
                    if time.perf_counter() > deadline:
                        break
                    await asyncio.sleep(0.2)
                wall = time.perf_counter() - started
                return Result(
                    subscribers=subscribers,
                    delivered=watch.delivered,
                    first=watch.first,
                    last=watch.last,
                    wall=wall,
                    sends=watch.attempts + len(watch.organizer),
                    limit_429s=fake.limit_429s,
                    before=before,
                    during=during,
                    finished=finished,
                )


# ---- the report -----------------------------------------------------------------------------


def ms(value: float) -> str:
    return f"{1000 * value:.0f}"


def p50_p99(values: list[float]) -> str:
    if not values:
        return "— (n=0)"
    return f"{ms(statistics.median(values))} / {ms(percentile(values, 0.99))} ms (n={len(values)})"


def figures(r: Result) -> list[tuple[str, str, str]]:
    """(figure, this scenario's value, target), the rows of the table."""
    report = f"{r.wall:.0f} s" if r.finished else "no report"
    return [
        ("achieved delivery rate", f"{r.rate:.1f} /s", "≥ 27 /s"),
        ("first to last delivery; confirm to report", f"{r.last - r.first:.0f} s; {report}", "—"),
        (
            "429s from the limits",
            f"{r.limit_429s:,} of {r.sends:,} sends ({r.share_429:.1%})",
            "≤ 1 %",
        ),
        ("duplicates / lost", f"{r.duplicates} / {r.lost}", "0 / 0"),
        ("interactive reply p50 / p99, before", p50_p99(r.before), "—"),
        ("interactive reply p50 / p99, during", p50_p99(r.during), "—"),
        ("p99 during − p99 before", f"{ms(r.p99_over)} ms", "< 300 ms"),
        ("all targets", "met" if r.met() else "**not met**", "—"),
    ]


def report(results: dict[Scenario, Result]) -> None:
    """One Markdown table, a column per scenario."""
    columns = [figures(r) for r in results.values()]
    print(f"| figure | {' | '.join(s.title for s in results)} | target |")
    print("|" + " --- |" * (len(results) + 2))
    for i, (figure, _, target) in enumerate(columns[0]):
        print(f"| {figure} | {' | '.join(column[i][1] for column in columns)} | {target} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=2_000)
    parser.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help=f"comma-separated, of {', '.join(SCENARIOS)} (default: all, in this order)",
    )
    args = parser.parse_args()
    names = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    if not names or not set(names) <= set(SCENARIOS):
        parser.error(f"--scenarios: choose among {', '.join(SCENARIOS)}")
    chosen = [SCENARIOS[name] for name in names]
    logging.basicConfig(level=logging.WARNING)
    print(
        f"{args.subscribers:,} subscribers; limits {OVERALL_PER_SECOND}/s overall and"
        f" {PER_CHAT_PER_SECOND}/s per chat; a question every {QUESTION_EVERY} s,"
        f" {QUESTIONS_BEFORE} before the broadcast; scenarios: "
        + "; ".join(f"{s.name} ({s.mode}, latency {ms(s.latency)} ms)" for s in chosen)
    )
    questions = faq_questions()
    results: dict[Scenario, Result] = {}
    for scenario in chosen:
        start = time.perf_counter()
        results[scenario] = asyncio.run(measure(scenario, args.subscribers, questions))
        print(f"{scenario.name}: done in {time.perf_counter() - start:.0f} s", flush=True)
    print()
    report(results)
    return 0 if all(r.met() for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
