"""Serving the web chat with uvicorn, alone (``biaogan web``) or beside the Telegram bot."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import TextIO

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount

from bot.config import Settings
from bot.service import ChatService
from bot.web import texts
from bot.web.app import WebLimits, build_web_app

log = logging.getLogger(__name__)


def web_server(
    settings: Settings,
    service: ChatService,
    limits: WebLimits | None = None,
    routes: Sequence[BaseRoute] = (),
) -> uvicorn.Server:
    """A uvicorn server for the web chat on ``BIAOGAN_WEB_HOST``:``BIAOGAN_WEB_PORT``;
    ``routes`` go before the web chat's own (the Telegram webhook)."""
    app = build_web_app(settings, service, limits)
    if routes:
        app = Starlette(routes=[*routes, Mount("/", app=app)])
    config = uvicorn.Config(
        app,
        host=settings.web_host,
        port=settings.web_port,
        lifespan="off",  # the service is opened and closed by the caller
        log_level="warning",
        access_log=False,
        server_header=False,
        # Behind a reverse proxy (nginx) on these addresses, X-Forwarded-Proto says whether the
        # visitor came over HTTPS (the cookies' Secure flag) and X-Forwarded-For who they are
        # (the flood gate per address); from any other address the headers are ignored.
        proxy_headers=True,
        forwarded_allow_ips=[a.strip() for a in settings.forwarded_allow_ips.split(",")],
    )
    return uvicorn.Server(config)


def server_url(server: uvicorn.Server) -> str:
    """The address a started server listens on (the real port when 0 was asked for)."""
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


async def serve_web(
    settings: Settings,
    service: ChatService,
    *,
    limits: WebLimits | None = None,
    out: TextIO | None = None,
    stop: asyncio.Event | None = None,
    routes: Sequence[BaseRoute] = (),
    on_started: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Serve the web chat until ``stop`` is set or the process is told to stop (Ctrl-C /
    SIGTERM: uvicorn catches them, shuts down and re-raises them once done). Prints the
    address once listening.

    Runs on the caller's event loop, beside anything else on it — the Telegram Application
    included (PTB's custom-webhook pattern: ``application.start()`` and the updater's polling
    on the same loop, then ``await serve_web(...)``, then stop them). ``routes``: more routes
    (the Telegram webhook); ``on_started``: awaited once the server listens (set_webhook)."""
    server = web_server(settings, service, limits, routes)
    # What start-up loaded (the notice, the FAQ vectors, jieba's dictionary) lives as long as
    # the process: out of the collector's sight, a full collection takes ~1 ms instead of ~20,
    # which every request in flight would wait for (bench/web_bench.py: the p99 halves).
    if isinstance(service, ChatService):
        service.warm()
    else:
        gc.freeze()
    serving = asyncio.create_task(server.serve())
    while not server.started and not serving.done():
        await asyncio.sleep(0.01)
    if server.started:
        print(texts.STARTED.format(url=server_url(server)), file=out or sys.stderr, flush=True)
        if on_started is not None:
            try:
                await on_started()
            except BaseException:  # e.g. set_webhook refused: stop serving, say why
                server.should_exit = True
                await serving
                raise
    if stop is not None:
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait([serving, stopping], return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        server.should_exit = True
    await serving


async def serve_web_alone(
    settings: Settings, service: ChatService, *, stop: asyncio.Event | None = None
) -> None:
    """The web chat with the process's dispatcher: reminders and notices to web sessions land
    in their conversations while it serves."""
    from bot.runtime import make_dispatcher, started, web_transport

    async with started(make_dispatcher(service, [web_transport(service)])):
        await serve_web(settings, service, stop=stop)


def run_web(settings: Settings) -> int:
    """``biaogan web``: the web chat alone, until Ctrl-C or SIGTERM."""
    from bot.ops.lock import serve_locked

    return serve_locked(
        settings, lambda service, stop: serve_web_alone(settings, service, stop=stop)
    )
