"""Webhook mode: Telegram posts each update to ``BIAOGAN_TELEGRAM_WEBHOOK_URL``, served by the
web app on the bot's own event loop (PTB's custom-webhook pattern,
``examples/customwebhookbot/starlettebot.py``: the update is put on the Application's
``update_queue``; no Updater).

Every request must carry the secret token given to ``setWebhook`` in the header
``X-Telegram-Bot-Api-Secret-Token``: without it, or with another, the request is refused (403)
and nothing of it is read further. The secret is ``BIAOGAN_TELEGRAM_WEBHOOK_SECRET``, or a new
random one at each start (``setWebhook`` is called at each start, so Telegram always has the
current one). Long polling stays the default; starting in polling mode deletes the webhook
(python-telegram-bot's ``start_polling`` does), and the updates Telegram kept meanwhile are
then fetched by ``getUpdates``.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Bot, Update
from telegram.ext import Application

from bot.config import Settings
from bot.ops.metrics import WEBHOOK_REFUSED

log = logging.getLogger(__name__)

SECRET_HEADER = "x-telegram-bot-api-secret-token"
DEFAULT_PATH = "/telegram"
MAX_UPDATE_BYTES = 1024 * 1024  # an update is a few KiB; a larger body is not Telegram's


@dataclass(frozen=True)
class Webhook:
    url: str
    secret: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Webhook | None:
        """Webhook mode when ``BIAOGAN_TELEGRAM_WEBHOOK_URL`` is set, else None (polling)."""
        if not settings.telegram_webhook_url:
            return None
        given = settings.telegram_webhook_secret
        secret = given.get_secret_value() if given is not None else secrets.token_urlsafe(32)
        return cls(settings.telegram_webhook_url, secret)

    @property
    def path(self) -> str:
        """The path of the URL, where the web app takes the updates."""
        return urlsplit(self.url).path.rstrip("/") or DEFAULT_PATH

    async def register(self, bot: Bot, allowed_updates: list[str]) -> None:
        """Tell Telegram where to post, with the secret (at each start)."""
        await bot.set_webhook(self.url, secret_token=self.secret, allowed_updates=allowed_updates)
        log.info("webhook set: Telegram posts updates to %s", self.url)

    def route(self, application: Application) -> Route:
        """The route taking Telegram's posts onto the Application's update queue."""

        async def receive(request: Request) -> Response:
            given = request.headers.get(SECRET_HEADER)
            if given is None or not hmac.compare_digest(given.encode(), self.secret.encode()):
                reason = "missing_secret" if given is None else "wrong_secret"
                WEBHOOK_REFUSED.labels(reason).inc()
                log.warning("webhook: a request with %s refused", reason.replace("_", " "))
                return Response(status_code=403)
            body = await request.body()
            try:
                if len(body) > MAX_UPDATE_BYTES:
                    raise ValueError("too large")
                data = json.loads(body)
                if not isinstance(data, dict) or "update_id" not in data:
                    raise ValueError("not an update")
                update = Update.de_json(data, application.bot)
            except (ValueError, TypeError, KeyError) as exc:
                WEBHOOK_REFUSED.labels("bad_update").inc()
                log.warning("webhook: a body that is not an update refused (%s)", exc)
                return Response(status_code=400)
            await application.update_queue.put(update)
            return Response()

        return Route(self.path, receive, methods=["POST"])
