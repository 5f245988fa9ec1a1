"""Idle memory of the servers: ``biaogan run`` (Telegram + web) and ``biaogan web``.

Each command is started in its own process, in a fresh data folder, ``run`` against the fake
Bot API server (``python -m tests.fake_bot_api``, a separate process on a free port). Once the
server says it is listening (the web chat's "网页对话已启动" line on stderr, printed after the
matchers are built and the bot polls), it is left idle for ``--settle`` seconds, then its
``VmRSS`` (resident memory) and ``VmHWM`` (the peak) are read from ``/proc/<pid>/status``, and
it is stopped with SIGTERM. Then, still running, it is asked ``--questions`` different
questions through the web chat (``tests/data/faq_own.jsonl``, 10 per session), and its
``VmRSS`` read again: what a first day of use adds (jieba's dictionary blocks, caches). Several
rounds; the medians are printed. Target (issue 16): ``run`` idle at most 110 MiB. Linux only.
Run from the repo root:

    .venv/bin/python bench/memory.py [--rounds 3] [--settle 3] [--questions 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
TARGET_RUN_MIB = 110.0
READY = "网页对话已启动"
MIB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status_kib(pid: int, field: str) -> int:
    """A ``VmXxx`` field of ``/proc/<pid>/status``, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def wait_listening(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


def command(name: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli", name]


def questions(count: int) -> list[str]:
    lines = (REPO / "tests" / "data" / "faq_own.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["q"] for line in lines if line.strip()][:count]


def ask(port: int, texts: list[str]) -> None:
    """Put ``texts`` to the web chat, 10 per session (under a session's flood gate)."""
    import httpx

    from tests.web_visitor import Visitor

    async def sessions() -> None:
        for start in range(0, len(texts), 10):
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                visitor = Visitor(client)
                await visitor.open()
                for text in texts[start : start + 10]:
                    await visitor.say(text)

    asyncio.run(sessions())


def measure(
    name: str, settle: float, bot_api_port: int | None, asked: list[str]
) -> tuple[float, float, float]:
    """VmRSS idle, VmHWM idle and VmRSS after ``asked``, in MiB, of ``biaogan <name>``."""
    with tempfile.TemporaryDirectory(prefix="biaogan-mem-") as data:
        web_port = free_port()
        env = {
            **os.environ,
            "BIAOGAN_DATA_DIR": data,
            "BIAOGAN_WEB_HOST": "127.0.0.1",
            "BIAOGAN_WEB_PORT": str(web_port),
        }
        env.pop("BIAOGAN_TELEGRAM_TOKEN", None)
        if bot_api_port is not None:
            env["BIAOGAN_TELEGRAM_TOKEN"] = "1:x"
            env["BIAOGAN_TELEGRAM_BASE_URL"] = f"http://127.0.0.1:{bot_api_port}/bot"
        process = subprocess.Popen(
            command(name), cwd=REPO, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
        )
        try:
            assert process.stderr is not None
            seen = []
            for raw in process.stderr:
                line = raw.decode("utf-8", "replace")
                seen.append(line)
                if READY in line:
                    break
            else:
                raise RuntimeError(f"biaogan {name} stopped before listening:\n{''.join(seen)}")
            time.sleep(settle)
            rss = status_kib(process.pid, "VmRSS") / 1024
            hwm = status_kib(process.pid, "VmHWM") / 1024
            ask(web_port, asked)
            time.sleep(settle)
            used = status_kib(process.pid, "VmRSS") / 1024
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return rss, hwm, used


def bare_rss() -> float:
    """RSS in MiB of a process that only imported telegram.ext, pydantic and sqlite_utils."""
    code = (
        "import telegram.ext, pydantic, sqlite_utils\n"
        "for line in open('/proc/self/status'):\n"
        "    line.startswith('VmRSS:') and print(int(line.split()[1]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--settle", type=float, default=3.0, help="idle seconds before reading")
    parser.add_argument("--questions", type=int, default=50, help="asked after the idle reading")
    args = parser.parse_args(argv)
    asked = questions(args.questions)
    port = free_port()
    bot_api = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_bot_api", "--port", str(port)],
        cwd=REPO,
        stdin=subprocess.PIPE,  # it reads typed messages; end of input would stop it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results: dict[str, list[tuple[float, float, float]]] = {"run": [], "web": []}
    try:
        wait_listening(port)
        for _ in range(args.rounds):
            results["run"].append(measure("run", args.settle, port, asked))
            results["web"].append(measure("web", args.settle, None, asked))
    finally:
        assert bot_api.stdin is not None
        bot_api.stdin.close()
        bot_api.terminate()
        bot_api.wait(timeout=10)
    bare = statistics.median(bare_rss() for _ in range(args.rounds))
    medians = {}
    for name, samples in results.items():
        rss = [s[0] for s in samples]
        medians[name] = statistics.median(rss)
        print(
            f"biaogan {name:<4} idle VmRSS median {medians[name]:6.1f} MiB "
            f"(min {min(rss):.1f}, max {max(rss):.1f}; peak VmHWM median "
            f"{statistics.median(s[1] for s in samples):.1f}; {len(rss)} rounds); "
            f"after {len(asked)} questions {statistics.median(s[2] for s in samples):.1f} MiB"
        )
    print(f"import telegram.ext, pydantic, sqlite_utils: VmRSS {bare:.1f} MiB")
    ok = medians["run"] <= TARGET_RUN_MIB
    print(f"target run idle <= {TARGET_RUN_MIB:g} MiB: {'ok' if ok else 'ABOVE TARGET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
