"""A forward HTTP proxy on loopback, for the test of ``BIAOGAN_TELEGRAM_PROXY``: it takes
absolute-URI requests (``POST http://127.0.0.1:N/bot…/getMe``), passes each to its server and
the answer back, and counts them by path. Bodies by Content-Length only (what httpx sends and
the fake Bot API answers)."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from urllib.parse import urlsplit


class ForwardProxy:
    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()  # the method name (last path segment) -> count
        self.port = 0
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> ForwardProxy:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 2)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        try:
            while line := await reader.readline():
                verb, target, version = line.decode("latin-1").split()
                head, body = await _read_message(reader)
                url = urlsplit(target)
                self.requests[url.path.rsplit("/", 1)[-1]] += 1
                if upstream is None:
                    upstream = await asyncio.open_connection(url.hostname, url.port or 80)
                path = url.path + (f"?{url.query}" if url.query else "")
                kept = [h for h in head if not h.lower().startswith("proxy-")]
                upstream[1].write(f"{verb} {path} {version}\r\n".encode() + _join(kept) + body)
                await upstream[1].drain()
                status = await upstream[0].readline()
                answer_head, answer_body = await _read_message(upstream[0])
                writer.write(status + _join(answer_head) + answer_body)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            writer.close()
            if upstream is not None:
                upstream[1].close()


async def _read_message(reader: asyncio.StreamReader) -> tuple[list[str], bytes]:
    head = []
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        head.append(line.decode("latin-1").rstrip("\r\n"))
    length = next(
        (int(h.split(":", 1)[1]) for h in head if h.lower().startswith("content-length:")), 0
    )
    return head, await reader.readexactly(length)


def _join(head: list[str]) -> bytes:
    return "".join(f"{h}\r\n" for h in head).encode("latin-1") + b"\r\n"
