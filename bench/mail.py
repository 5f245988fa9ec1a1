"""E-mail reminders at the configured rate, while a Telegram user chats.

``--reminders`` due e-mail reminders (2,000 by default) sent by the process's real dispatcher
through ``SmtpTransport`` (``BIAOGAN_SMTP_RATE``, ``BIAOGAN_SMTP_CONNECTIONS``) to a real SMTP
server on loopback (aiosmtpd, tests/mail_server.py, in its own thread), and in the same process
the real Telegram Application (``build_application``, production limits) polling the fake Bot
API server (tests/fake_bot_api.py, Telegram's limits on), with one user asking an FAQ question
about every 1.2 s: first with no mail going out, then while the mails go out. Run from the
repository root:

    .venv/bin/python bench/mail.py [--reminders 2000] [--rate 25] [--connections 2]

Reported: the achieved rate — mails the server accepted per second from the first to the last
(the sending's own pace), and over the whole sweep (from the moment the reminders fell due to
the last mail: start-up included) — against the configured rate (target: the first ≥ 95 % of
it); the SMTP connections opened (target ≤ ``--connections``); duplicates and lost mails (by
To:); the user's reply p50 / p99 with no mail going out and while the mails go out (target:
p99 at most 50 ms over). At 25/s, 2,000 mails take 80 s; ``--rate 100`` makes it 20 s.
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
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.config import Settings  # noqa: E402
from bot.mail import SmtpTransport  # noqa: E402
from bot.service import ChatService  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402
from bot.telegram.limits import Limits  # noqa: E402
from conversations.core import SHANGHAI, CalendarDate, now_shanghai  # noqa: E402
from knowledge import load_knowledge  # noqa: E402
from tests.fake_bot_api import Call, FakeBotApi, polling  # noqa: E402
from tests.mail_server import MailServer, subscribed_by_mail  # noqa: E402

TOKEN = "123456:BENCH"
USER = 7
QUESTION_EVERY = 1.2  # seconds between the user's questions (Telegram: one a second a chat)
TARGET_RATE_SHARE = 0.95
TARGET_P99_OVER = 0.050  # seconds
STALLED_AFTER = 30.0  # seconds without a new mail before the run gives up


def bot_settings(fake: FakeBotApi, server: MailServer, data_dir: Path, args) -> Settings:
    return Settings(
        _env_file=None,
        telegram_token=TOKEN,
        telegram_base_url=fake.base_url,
        data_dir=data_dir,
        public_url="https://biaogan.example.cn",
        smtp_host="127.0.0.1",
        smtp_port=server.port,
        smtp_tls="none",
        smtp_sender="notice@biaogan.example.cn",
        smtp_rate=args.rate,
        smtp_connections=args.connections,
    )


def seed(settings: Settings, reminders: int) -> list[str]:
    """``reminders`` confirmed addresses, each with a reminder of a milestone 10 days ahead,
    due in 5 days (``fall_due`` brings them forward)."""
    store = Store(settings.db_path)
    day = (now_shanghai() + timedelta(days=10)).date()
    store.set_calendar_date(
        store.operator(), CalendarDate(year=day.year, milestone="submission", day=day)
    )
    addresses = subscribed_by_mail(store, reminders, day.year, [5])
    store.close()
    return addresses


def fall_due(service: ChatService) -> None:
    """Every reminder due since a minute, and the dispatcher told."""
    past = (now_shanghai() - timedelta(minutes=1)).astimezone(SHANGHAI)
    with service.store.db.atomic():
        service.store.db.execute(
            "UPDATE reminders SET due_at = ?", [past.isoformat(timespec="seconds")]
        )
    assert service.dispatcher is not None
    service.dispatcher.wake()


class Arrivals:
    """The mails the SMTP server accepted (by To:), followed on this event loop."""

    def __init__(self, server: MailServer) -> None:
        self.loop = asyncio.get_running_loop()
        self.by_address: Counter[str] = Counter()
        self.times: list[float] = []
        self.progress = asyncio.Event()
        server.mailbox.listeners.append(self._arrived)

    def _arrived(self, mail: EmailMessage) -> None:  # the server's thread
        at = time.monotonic()
        self.loop.call_soon_threadsafe(self._count, str(mail["To"]), at)

    def _count(self, address: str, at: float) -> None:
        self.by_address[address] += 1
        self.times.append(at)
        self.progress.set()


class Chatter:
    """The Telegram user: a question, the reply's time (queued update → reply at the server)."""

    def __init__(self, fake: FakeBotApi) -> None:
        self.fake = fake
        self.replies: asyncio.Queue[Call] = asyncio.Queue()
        self.questions = [entry.questions[0] for entry in load_knowledge().faq]
        self.asked = 0
        fake.listeners.append(self._on_call)

    def _on_call(self, call: Call) -> None:
        if call.method == "sendMessage" and call.ok and call.chat_id == USER:
            self.replies.put_nowait(call)

    async def ask(self) -> float:
        while not self.replies.empty():
            self.replies.get_nowait()
        question = self.questions[self.asked % len(self.questions)]
        self.asked += 1
        update = self.fake.send_text(USER, question)
        reply = await asyncio.wait_for(self.replies.get(), 30)
        return reply.at - self.fake.injected_at[update["update_id"]]


@dataclass
class Result:
    configured: float
    connections: int
    addresses: list[str]
    by_address: Counter[str]
    times: list[float]
    due_at: float  # when the reminders fell due (monotonic)
    opened: int  # connections the transport opened
    sessions: int  # SMTP sessions the server saw
    quiet: list[float]  # reply latencies, no mail going out
    sending: list[float]  # reply latencies while the mails go out

    @property
    def steady_rate(self) -> float:
        span = self.times[-1] - self.times[0] if len(self.times) > 1 else 0.0
        return (len(self.times) - 1) / span if span else float("nan")

    @property
    def sweep_rate(self) -> float:
        return len(self.times) / (self.times[-1] - self.due_at) if self.times else float("nan")

    @property
    def duplicates(self) -> int:
        return sum(self.by_address.values()) - len(self.by_address)

    @property
    def lost(self) -> int:
        return len(set(self.addresses) - set(self.by_address))

    @property
    def p99_over(self) -> float:
        return percentile(self.sending, 0.99) - percentile(self.quiet, 0.99)

    def met(self) -> bool:
        return (
            self.steady_rate >= TARGET_RATE_SHARE * self.configured
            and self.opened <= self.connections
            and self.duplicates == 0
            and self.lost == 0
            and self.p99_over <= TARGET_P99_OVER
        )


async def measure(args: argparse.Namespace) -> Result:
    with tempfile.TemporaryDirectory() as tmp, MailServer() as server:
        async with FakeBotApi(limits=True) as fake:
            settings = bot_settings(fake, server, Path(tmp), args)
            addresses = seed(settings, args.reminders)
            service = ChatService.open(settings)
            arrivals, chatter = Arrivals(server), Chatter(fake)
            application = build_application(
                settings, service, limits=Limits.from_settings(settings)
            )
            try:
                async with polling(application):
                    await chatter.ask()  # warm: the FAQ matcher, the connections
                    quiet = []
                    for _ in range(args.questions):
                        await asyncio.sleep(QUESTION_EVERY)
                        quiet.append(await chatter.ask())
                    due_at = time.monotonic()
                    fall_due(service)
                    sending = await chat_while_sending(chatter, arrivals, args.reminders)
                    assert service.dispatcher is not None
                    transport = service.dispatcher.lanes["email"].transport
                    assert isinstance(transport, SmtpTransport), "no SMTP transport"
                    opened = transport.opened
            finally:
                service.close()
            return Result(
                configured=args.rate,
                connections=args.connections,
                addresses=addresses,
                by_address=arrivals.by_address,
                times=sorted(arrivals.times),
                due_at=due_at,
                opened=opened,
                sessions=server.mailbox.sessions,
                quiet=quiet,
                sending=sending,
            )


async def chat_while_sending(chatter: Chatter, arrivals: Arrivals, total: int) -> list[float]:
    """The user's questions until every mail is in (or nothing arrives for a while)."""
    latencies: list[float] = []
    seen, progress_at = 0, time.monotonic()
    while len(arrivals.times) < total:
        if len(arrivals.times) > seen:
            seen, progress_at = len(arrivals.times), time.monotonic()
        elif time.monotonic() - progress_at > STALLED_AFTER:
            print(f"no mail for {STALLED_AFTER:.0f} s, gave up at {seen}")
            break
        await asyncio.sleep(QUESTION_EVERY)  # (the last question was answered just now)
        latencies.append(await chatter.ask())
    await asyncio.sleep(1.0)  # a duplicate would come now
    return latencies


# ---- the report -----------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def p50_p99(values: list[float]) -> str:
    if not values:
        return "— (n=0)"
    p50, p99 = statistics.median(values), percentile(values, 0.99)
    return f"{1000 * p50:.0f} / {1000 * p99:.0f} ms (n={len(values)})"


def report(r: Result) -> None:
    share = r.steady_rate / r.configured
    first_to_last = r.times[-1] - r.times[0] if r.times else 0.0
    rows = [
        ("configured rate; connections", f"{r.configured:g} /s; {r.connections}", "—"),
        ("mails accepted by the server", f"{len(r.times):,} in {first_to_last:.1f} s", "—"),
        (
            "achieved rate, first to last mail",
            f"{r.steady_rate:.2f} /s ({share:.1%} of {r.configured:g})",
            f"≥ {TARGET_RATE_SHARE:.0%}",
        ),
        (
            "achieved rate, due to last mail (start-up included)",
            f"{r.sweep_rate:.2f} /s ({r.sweep_rate / r.configured:.1%})",
            "—",
        ),
        ("SMTP connections opened (server's sessions)", f"{r.opened} ({r.sessions})", "≤ conn."),
        ("duplicates / lost", f"{r.duplicates} / {r.lost}", "0 / 0"),
        ("Telegram reply p50 / p99, no mail going out", p50_p99(r.quiet), "—"),
        ("Telegram reply p50 / p99, while mails go out", p50_p99(r.sending), "—"),
        ("p99 while − p99 without", f"{1000 * r.p99_over:+.0f} ms", "≤ +50 ms"),
        ("all targets", "met" if r.met() else "**not met**", "—"),
    ]
    print("| figure | value | target |")
    print("| --- | --- | --- |")
    for figure, value, target in rows:
        print(f"| {figure} | {value} | {target} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    defaults = Settings.model_fields
    parser.add_argument("--reminders", type=int, default=2_000, help="due e-mail reminders (2000)")
    rate, connections = defaults["smtp_rate"].default, defaults["smtp_connections"].default
    parser.add_argument(
        "--rate", type=float, default=rate, help=f"BIAOGAN_SMTP_RATE, mails/s ({rate:g})"
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=connections,
        help=f"BIAOGAN_SMTP_CONNECTIONS ({connections})",
    )
    parser.add_argument(
        "--questions", type=int, default=30, help="questions asked before the mails (30)"
    )
    args = parser.parse_args()
    if args.rate <= 0:
        parser.error("--rate: a rate to hold (> 0)")
    logging.basicConfig(level=logging.WARNING)
    print(
        f"{args.reminders:,} e-mail reminders at {args.rate:g}/s over {args.connections}"
        f" SMTP connection(s) to aiosmtpd on loopback; a Telegram question every"
        f" {QUESTION_EVERY} s ({args.questions} before the mails)",
        flush=True,
    )
    result = asyncio.run(measure(args))
    print()
    report(result)
    return 0 if result.met() else 1


if __name__ == "__main__":
    sys.exit(main())
