"""Time the result PDF (issue 21) and draw its first page for the docs.

A web visitor completes the self-check (是 to everything, 3 years and more) and picks a focus
area, through the real web app (httpx's ASGI transport, a real SQLite store in a temporary
folder); then ``GET /api/result.pdf`` is timed ``--runs`` times. With ``--png PATH`` the PDF's
first page is rendered with poppler's ``pdftoppm`` (apt-get install poppler-utils) to PATH.
Run from the repository root:

    .venv/bin/python bench/result_pdf.py [--runs 10] [--png docs/web-result-pdf.png]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.service import ChatService  # noqa: E402
from bot.web import WebLimits, build_web_app  # noqa: E402
from conversations import texts  # noqa: E402
from tests.driver import Clock  # noqa: E402
from tests.web_visitor import Visitor  # noqa: E402


async def a_result(visitor: Visitor) -> None:
    await visitor.command("start", "check")
    for _ in range(12):
        labels = [b["label"] for row in visitor.last()["buttons"] for b in row]
        if "确认，查看结果" in labels:
            await visitor.press("确认，查看结果")
            break
        await visitor.press("是" if "是" in labels else "3年以上（含3年）")
    await visitor.say("/profile")
    await visitor.command("start", "area")
    await visitor.say("我们推行六西格玛管理，用DMAIC方法降低焊接缺陷率")
    await visitor.press(visitor.last()["buttons"][0][0]["label"])
    await visitor.say("苏州精工机械有限公司")


async def main(runs: int, png: Path | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(_env_file=None, data_dir=Path(folder))
        service = ChatService.open(settings, clock=Clock(2027, 5, 8, 15, 30))
        app = build_web_app(settings, service, WebLimits(session_per_second=0))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            visitor = Visitor(client)
            await visitor.open()
            await a_result(visitor)
            times, content = [], b""
            for _ in range(runs):
                began = time.perf_counter()
                response = await client.get("/api/result.pdf")
                times.append((time.perf_counter() - began) * 1000)
                response.raise_for_status()
                content = response.content
        service.close()
    print(f"result PDF: {len(content) / 1024:.0f} KiB, {runs} runs, "
          f"p50 {statistics.median(times):.0f} ms, max {max(times):.0f} ms "
          f"({texts.WEB_PDF_NAME})")  # fmt: skip
    if png is not None:
        if shutil.which("pdftoppm") is None:
            raise SystemExit("pdftoppm is missing: apt-get install poppler-utils")
        with tempfile.TemporaryDirectory() as folder:
            pdf = Path(folder) / "result.pdf"
            pdf.write_bytes(content)
            stem = Path(folder) / "page"
            subprocess.run(
                ["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", pdf, stem],
                check=True,
            )
            png.write_bytes(stem.with_suffix(".png").read_bytes())
        print(f"first page: {png}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--png", type=Path)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.runs, arguments.png))
