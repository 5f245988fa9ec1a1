"""``GET /healthz`` and ``GET /metrics`` on the web app.

/healthz answers 200 when every check passes, else 503 with the reasons (JSON, no personal
data): the database takes a write (a heartbeat row committed), the dispatcher's workers run,
due reminders were looked for lately, and — when this process serves Telegram — the Bot API
answers ``getMe`` (cached for a while: a monitor polling every few seconds does not make the
bot call Telegram every few seconds).

/metrics is Prometheus's text format (``bot.ops.metrics``). With ``BIAOGAN_METRICS_TOKEN`` it
needs ``Authorization: Bearer <token>``; without, it answers only a request made straight to
the loopback address — not one a reverse proxy forwarded (which carries X-Forwarded-For).
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
import sqlite3
import time
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.ops.metrics import exposition
from bot.store.ops import heartbeat
from conversations import texts

log = logging.getLogger(__name__)

FORWARDED = ("x-forwarded-for", "x-real-ip", "forwarded")


@dataclass
class HealthLimits:
    sweep_stale: float = 300.0  # seconds without a look for due reminders before 503
    telegram_every: float = 30.0  # seconds a getMe answer is trusted
    telegram_timeout: float = 10.0  # seconds getMe may take


@dataclass
class Health:
    """The checks, over the service (its store and dispatcher) of one web app."""

    service: Any
    limits: HealthLimits = field(default_factory=HealthLimits)
    created: float = field(default_factory=time.monotonic)
    _telegram: tuple[float, dict[str, Any]] | None = None

    async def report(self) -> tuple[bool, dict[str, Any]]:
        checks = {
            "database": self.database(),
            "dispatcher": self.dispatcher(),
            "reminders": self.reminders(),
        }
        bot = self.telegram_bot()
        if bot is not None:
            checks["telegram"] = await self.telegram(bot)
        healthy = all(check["ok"] for check in checks.values())
        reasons = [check["reason"] for check in checks.values() if not check["ok"]]
        return healthy, {"status": "ok" if healthy else "fail", "reasons": reasons, **checks}

    def database(self) -> dict[str, Any]:
        try:
            at = heartbeat(self.service.store)
        except sqlite3.Error as exc:
            return _fail(texts.HEALTH_DB_READONLY.format(error=exc))
        return {"ok": True, "wrote_at": at}

    def dispatcher(self) -> dict[str, Any]:
        dispatcher = getattr(self.service, "dispatcher", None)
        if dispatcher is None:
            return _fail(texts.HEALTH_NO_DISPATCHER)
        if not dispatcher.alive():
            return _fail(
                texts.HEALTH_DISPATCHER_STOPPED.format(channels="、".join(dispatcher.lanes))
            )
        return {"ok": True, "channels": sorted(dispatcher.lanes)}

    def reminders(self) -> dict[str, Any]:
        dispatcher = getattr(self.service, "dispatcher", None)
        looked = getattr(dispatcher, "looked", {}).get("reminders")
        limit = self.limits.sweep_stale
        if looked is None:
            up = time.monotonic() - self.created
            if up > limit:
                return _fail(texts.HEALTH_SWEEP_NEVER.format(seconds=round(up)))
            return {"ok": True, "age_seconds": None}
        age = time.monotonic() - looked
        if age > limit:
            return _fail(
                texts.HEALTH_SWEEP_STALE.format(seconds=round(age), limit=round(limit)),
                age_seconds=round(age, 1),
            )
        return {"ok": True, "age_seconds": round(age, 1)}

    def telegram_bot(self) -> Any:
        """The Bot of this process's Telegram transport, when it serves Telegram."""
        lanes = getattr(getattr(self.service, "dispatcher", None), "lanes", {})
        lane = lanes.get("telegram")
        return getattr(lane.transport, "bot", None) if lane is not None else None

    async def telegram(self, bot: Any) -> dict[str, Any]:
        cached = self._telegram
        if cached is not None and time.monotonic() - cached[0] < self.limits.telegram_every:
            return cached[1]
        try:
            async with asyncio.timeout(self.limits.telegram_timeout):
                me = await bot.get_me()
            result: dict[str, Any] = {"ok": True, "bot": me.username}
        except Exception as exc:  # any failure is the answer: unreachable
            result = _fail(texts.HEALTH_TELEGRAM_DOWN.format(error=type(exc).__name__))
            log.warning("health: Telegram unreachable: %r", exc)
        self._telegram = (time.monotonic(), result)
        return result


def _fail(reason: str, **more: Any) -> dict[str, Any]:
    return {"ok": False, "reason": reason, **more}


def ops_routes(service: Any, settings: Any = None) -> list[Route]:
    """The routes of /healthz and /metrics over ``service`` (``settings``: the metrics token)."""
    health = Health(service)
    metrics_token = secret(getattr(settings, "metrics_token", None))

    async def healthz(request: Request) -> Response:
        healthy, body = await health.report()
        return JSONResponse(
            body, status_code=200 if healthy else 503, headers={"cache-control": "no-store"}
        )

    async def metrics(request: Request) -> Response:
        if not _may_scrape(request, metrics_token):
            return Response(status_code=403 if metrics_token is None else 401)
        return Response(
            exposition(service),
            media_type=CONTENT_TYPE_LATEST,
            headers={"cache-control": "no-store"},
        )

    return [
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]


def _may_scrape(request: Request, token: str | None) -> bool:
    if token is not None:
        given = request.headers.get("authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    if any(name in request.headers for name in FORWARDED):
        return False  # came through a reverse proxy: from anywhere
    host = request.client.host if request.client is not None else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def secret(value: Any) -> str | None:
    """A SecretStr setting's value, or None when unset or empty."""
    text = value.get_secret_value().strip() if value is not None else ""
    return text or None
