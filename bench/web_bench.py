"""Web chat throughput: replies/s and latency of the web channel under concurrent sessions.

A real uvicorn server (``bot.web.server.web_server``, in its own process, as ``biaogan web``
runs it) on loopback; S sessions, each its own httpx async client with its own cookie, open the
page's session, /start, ask Q questions (``tests/data/faq_own.jsonl``) and do the self-check by
buttons (the first answer of each question), one request at a time, each waiting for the
answer (as the page does). Reported per round: replies/s; the p50/p99 latency of a request as
the client sees it and as the server spends it (app called to last byte sent); the CPU time per
request of the server process and of the client process. Next to them the bot's own time per
turn (``ChatService.handle`` for the same events in this process, no HTTP). Target: the
client-seen p99 minus the bot's own p99 < 50 ms.

    .venv/bin/python bench/web_bench.py [--sessions 50] [--questions 10] [--rounds 3]
        [--think-ms 0]

``--think-ms`` (default 300) pauses each session between its requests, drawn from an
exponential distribution with that mean (sessions do not click in step): people read the
answer first, and 300 ms is already far quicker than anyone reads (50 sessions then send ~150
requests/s). ``--think-ms 0`` is saturation, all sessions firing back to back: the latency is
then the queue (Little's law: 50 requests in flight / throughput), and on 2 cores the httpx
clients, which cost more CPU per request than the server, are most of it. The flood gates are
off (all sessions come from one address), so the figures measure the work per request.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import multiprocessing
import os
import random
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.service import ChatService  # noqa: E402
from bot.web.app import WebLimits  # noqa: E402
from bot.web.events import parse_request  # noqa: E402
from bot.web.sessions import WebSessions  # noqa: E402
from bot.web.turns import web_turn  # noqa: E402
from tests.web_visitor import Visitor  # noqa: E402

TARGET_OVER_BOT_MS = 50.0
NO_GATES = WebLimits(session_per_second=0, address_per_second=0)
CHECK = "资格自测"
CONFIRM = "确认，查看结果"


def questions(count: int) -> list[str]:
    lines = (REPO / "tests" / "data" / "faq_own.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["q"] for line in lines if line.strip()][:count]


# ---- the server, in its own process ----------------------------------------------------------


class Timed:
    """ASGI wrapper: how long the server took over each request, from the app being called to
    the response's last byte handed to uvicorn; ``GET /__bench`` hands them over and resets."""

    def __init__(self, app) -> None:
        self.app = app
        self.times: list[float] = []

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"] == "/__bench":
            body = json.dumps(self.times).encode()
            self.times = []
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": body})
            return
        started = time.perf_counter()
        await self.app(scope, receive, send)
        self.times.append(time.perf_counter() - started)


def serve(port: int, data_dir: str, ready: multiprocessing.Event) -> None:  # type: ignore[valid-type]
    from bot.web.server import web_server

    settings = Settings(_env_file=None, data_dir=Path(data_dir), web_port=port)
    service = ChatService.open(settings)
    server = web_server(settings, service, NO_GATES)
    server.config.app = Timed(server.config.app)
    gc.freeze()  # as serve_web does before serving

    async def run() -> None:
        serving = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.01)
        ready.set()
        await serving

    asyncio.run(run())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---- one session -----------------------------------------------------------------------------


async def session(base_url: str, asked: list[str], think: float, latencies: list[float]) -> int:
    """One visitor's whole visit; returns the number of bot replies it got."""
    replies = 0
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        visitor = Visitor(client)

        async def timed(step):
            nonlocal replies
            started = time.perf_counter()
            messages = await step()
            latencies.append(time.perf_counter() - started)
            replies += sum(1 for m in messages if m["from"] == "bot")
            if think:
                await asyncio.sleep(pause.expovariate(1 / think))

        pause = random.Random()
        if think:
            await asyncio.sleep(pause.uniform(0, think))  # people do not arrive in step
        await visitor.open()
        await timed(lambda: visitor.command("start"))
        for question in asked:
            await timed(lambda q=question: visitor.say(q))
        await timed(lambda: visitor.command("menu"))
        await timed(lambda: visitor.press(CHECK))
        for _ in range(12):
            labels = [b["label"] for row in visitor.last()["buttons"] for b in row]
            if CONFIRM in labels:
                await timed(lambda: visitor.press(CONFIRM))
                break
            await timed(lambda first=labels[0]: visitor.press(first))
    return replies


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def round_trip(
    base_url: str, sessions: int, asked: list[str], think: float, server_pid: int
) -> dict:
    latencies: list[float] = []
    server_cpu, client_cpu = cpu_seconds(server_pid), time.process_time()
    started = time.perf_counter()
    replies = await asyncio.gather(
        *(session(base_url, asked, think, latencies) for _ in range(sessions))
    )
    elapsed = time.perf_counter() - started
    server_cpu = cpu_seconds(server_pid) - server_cpu
    client_cpu = time.process_time() - client_cpu
    async with httpx.AsyncClient(base_url=base_url) as client:
        in_server = (await client.get("/__bench")).json()
    return {
        "server_p50_ms": percentile(in_server, 50) * 1000,
        "server_p99_ms": percentile(in_server, 99) * 1000,
        "server_cpu_ms": server_cpu / len(latencies) * 1000,
        "client_cpu_ms": client_cpu / len(latencies) * 1000,
        "replies_per_s": sum(replies) / elapsed,
        "requests_per_s": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "requests": len(latencies),
    }


# ---- the bot's own work ----------------------------------------------------------------------


def bot_turns(asked: list[str], visits: int) -> tuple[float, float]:
    """p50/p99 ms of ``ChatService.handle`` alone, for the same events as one visit."""
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(_env_file=None, data_dir=Path(scratch))
        service = ChatService.open(settings)
        sessions = WebSessions(service.store.db, forget_chat=service.store.forget)
        times: list[float] = []

        def turn(chat_id: int, payload: dict) -> list:
            event = parse_request(payload).event
            started = time.perf_counter()
            replies = web_turn(service, chat_id, event).replies
            times.append(time.perf_counter() - started)
            return replies

        for _ in range(visits):
            _, chat_id = sessions.create()
            turn(chat_id, {"type": "command", "name": "start"})
            for question in asked:
                turn(chat_id, {"type": "text", "text": question})
            replies = turn(chat_id, {"type": "command", "name": "menu"})
            data = next(b.data for row in replies[-1].buttons for b in row if b.label == CHECK)
            replies = turn(chat_id, {"type": "button", "data": data, "message": 1})
            for _ in range(12):
                buttons = [b for row in replies[-1].buttons for b in row]
                confirm = [b for b in buttons if b.label == CONFIRM]
                press = confirm[0] if confirm else buttons[0]
                replies = turn(chat_id, {"type": "button", "data": press.data, "message": 1})
                if confirm:
                    break
        service.close()
    return percentile(times, 50) * 1000, percentile(times, 99) * 1000


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--think-ms", type=float, default=300.0)
    args = parser.parse_args()
    asked = questions(args.questions)

    bot_p50, bot_p99 = bot_turns(asked, visits=args.sessions)
    gc.freeze()  # the knowledge loaded above: no full collection walks it during the rounds
    with tempfile.TemporaryDirectory() as scratch:
        port = free_port()
        context = multiprocessing.get_context("spawn")
        ready = context.Event()
        server = context.Process(target=serve, args=(port, scratch, ready), daemon=True)
        server.start()
        try:
            if not ready.wait(30):
                raise SystemExit("the web server did not start")
            base_url = f"http://127.0.0.1:{port}"
            assert server.pid is not None
            # Warm up (the FAQ matcher and SQLite pages), then measure.
            asyncio.run(round_trip(base_url, 5, asked, 0, server.pid))
            rounds = [
                asyncio.run(
                    round_trip(base_url, args.sessions, asked, args.think_ms / 1000, server.pid)
                )
                for _ in range(args.rounds)
            ]
        finally:
            server.terminate()
            server.join(10)

    print(
        f"web chat: {args.sessions} concurrent sessions × {rounds[0]['requests'] // args.sessions}"
        f" requests (start, {len(asked)} questions, menu, self-check by buttons),"
        f" think time {args.think_ms:g} ms, {os.cpu_count()} cores"
    )
    print(
        "round  replies/s  client p50/p99 ms  in-server p50/p99 ms  CPU ms/request server / client"
    )
    for number, r in enumerate(rounds, start=1):
        print(
            f"{number:>5}  {r['replies_per_s']:>9.0f}  {r['p50_ms']:>7.1f} / {r['p99_ms']:<7.1f}"
            f"  {r['server_p50_ms']:>8.2f} / {r['server_p99_ms']:<8.2f}"
            f"  {r['server_cpu_ms']:>10.2f} / {r['client_cpu_ms']:.2f}"
        )
    print(f"bot's own turn (ChatService.handle, no HTTP): p50 {bot_p50:.2f} / p99 {bot_p99:.2f} ms")
    p99 = statistics.median(r["p99_ms"] for r in rounds)
    over = p99 - bot_p99
    verdict = "met" if over < TARGET_OVER_BOT_MS else "MISSED"
    print(
        f"client-seen p99 over the bot's own p99 (median of rounds): {over:.1f} ms"
        f" (target < {TARGET_OVER_BOT_MS:.0f} ms: {verdict})"
    )
    return 0 if over < TARGET_OVER_BOT_MS else 1


if __name__ == "__main__":
    sys.exit(main())
