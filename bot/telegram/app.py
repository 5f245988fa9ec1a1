"""The Telegram bot: ``build_application`` builds the one Application with its handlers in
order; ``run`` polls until interrupted."""

from __future__ import annotations

import asyncio
import logging
import sys

from telegram import Update
from telegram.error import InvalidToken
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Settings
from bot.dispatch import Dispatcher
from bot.service import ChatService
from bot.telegram.handlers import TelegramAdapter
from bot.telegram.limits import BudgetRateLimiter, Limits
from bot.telegram.webhook import Webhook
from conversations import texts
from conversations.commands import COMMANDS

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]


def build_application(
    settings: Settings,
    service: ChatService | None = None,
    *,
    limits: Limits | None = None,
    dispatcher: Dispatcher | None = None,
) -> Application:
    """The bot: one Application, its handlers in order, its resources opened at start-up.

    ``service``: an already open ChatService (not closed here); by default one is opened from
    ``settings`` in ``post_init`` and closed in ``post_shutdown``. ``dispatcher``: the
    process's (``biaogan run``); without one, ``post_init`` starts its own.
    """
    token = settings.telegram_token.get_secret_value().strip() if settings.telegram_token else ""
    if not token:
        raise ValueError("no Telegram token configured (BIAOGAN_TELEGRAM_TOKEN)")
    limits = limits or Limits.from_settings(settings)
    adapter = TelegramAdapter(settings, service, limits, dispatcher)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(_file_url(settings.telegram_base_url))
        .rate_limiter(BudgetRateLimiter(limits, adapter.budget))
        .concurrent_updates(limits.concurrent_updates)
        # A handler's calls are sequential, so one connection per concurrent update, and one per
        # dispatcher send in flight, is enough; PTB's default pool of 256 costs a scan of idle
        # connections on every request.
        .connection_pool_size(limits.concurrent_updates + limits.in_flight)
        .post_init(adapter.post_init)
        .post_stop(adapter.post_stop)
        .post_shutdown(adapter.post_shutdown)
    )
    if settings.telegram_proxy:  # a mainland host reaches the Bot API through a proxy abroad
        builder = builder.proxy(settings.telegram_proxy)
        builder = builder.get_updates_proxy(settings.telegram_proxy)
    if settings.telegram_webhook_url:  # webhook mode: updates come through the web app
        builder = builder.updater(None)
    application = builder.build()

    # Group -1 runs first for every update: drop what must not be answered (bots, channels,
    # group messages not addressed to us) and throttle floods. It stops the rest by raising
    # ApplicationHandlerStop.
    application.add_handler(TypeHandler(Update, adapter.admit), group=-1)
    # Group 0: the first matching handler wins, so the order below matters.
    # 1. Button presses (answered first, then handled; edits the message when the reply says so).
    application.add_handler(CallbackQueryHandler(adapter.on_callback))
    # 2. Edited messages, before the command and text handlers (which would also match them).
    application.add_handler(MessageHandler(filters.UpdateType.EDITED, adapter.on_edited))
    # 3. The commands of the command list (/start with a deep-link payload included)…
    application.add_handler(CommandHandler(list(COMMANDS), adapter.on_command))
    # 4. …and any other /command (organizers' commands included: the router checks who asks,
    # and answers an unknown one politely).
    application.add_handler(MessageHandler(filters.COMMAND, adapter.on_command))
    # 5. Free text: answers in a flow, else an FAQ question.
    application.add_handler(MessageHandler(filters.TEXT, adapter.on_text))
    # 6. A file: a case draft for the draft check (an animation also carries a document).
    application.add_handler(
        MessageHandler(filters.Document.ALL & ~filters.ANIMATION, adapter.on_document)
    )
    # 7. Everything else a user can send: photo, sticker, voice, location, contact…
    application.add_handler(MessageHandler(filters.ALL, adapter.on_other))
    application.add_error_handler(adapter.on_error)
    return application


def run(settings: Settings) -> int:
    """``biaogan run``: the bot (long polling) and the web chat, from one process and one event
    loop over one service, until interrupted. Exit code 2 without a usable token."""
    token = settings.telegram_token
    if token is None or not token.get_secret_value().strip():
        print(texts.TG_NO_TOKEN, file=sys.stderr)
        return 2
    from bot.ops.lock import serve_locked

    async def main(service: ChatService, stop: asyncio.Event) -> None:
        application = build_application(settings, service, dispatcher=None)
        mode = "webhook" if settings.telegram_webhook_url else "long polling"
        log.info("%s for updates from %s", mode, settings.telegram_base_url)
        await poll_and_serve_web(application, settings, service, stop=stop)

    try:
        return serve_locked(settings, main)
    except InvalidToken:
        print(texts.TG_BAD_TOKEN, file=sys.stderr)
        return 2


async def poll_and_serve_web(
    application: Application,
    settings: Settings,
    service: ChatService,
    *,
    stop: asyncio.Event | None = None,
) -> None:
    """PTB's custom-webhook pattern: the Application's life cycle as ``run_polling`` runs it
    (post_init … post_shutdown), and the web chat (uvicorn) on the same loop until Ctrl-C,
    SIGTERM or ``stop``. Both channels share the one ``service``. Updates come by long polling,
    or — ``BIAOGAN_TELEGRAM_WEBHOOK_URL`` set — by Telegram's posts to the web app
    (``bot.telegram.webhook``; the webhook stays set at shutdown, so Telegram keeps the updates
    until the next start)."""
    from bot.runtime import make_dispatcher, web_transport
    from bot.web import serve_web

    await application.initialize()
    adapter = _adapter(application)
    if adapter.dispatcher is None:  # the process's dispatcher: Telegram and the web page
        transports = [adapter.telegram_transport(application.bot), web_transport(service)]
        adapter.dispatcher = make_dispatcher(service, transports, adapter.limits.knobs())
    dispatcher = adapter.dispatcher
    webhook = Webhook.from_settings(settings)
    try:
        if application.post_init:
            await application.post_init(application)
        dispatcher.start()
        if webhook is None:  # long polling; start_polling deletes a webhook set before
            assert application.updater is not None
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        await application.start()
        if webhook is None:
            await serve_web(settings, service, stop=stop)
        else:  # Telegram is told where to post once the web app listens
            await serve_web(
                settings,
                service,
                stop=stop,
                routes=[webhook.route(application)],
                on_started=lambda: webhook.register(application.bot, ALLOWED_UPDATES),
            )
    finally:
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        if application.post_stop:
            await application.post_stop(application)
        await dispatcher.stop()
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


def _adapter(application: Application) -> TelegramAdapter:
    """The adapter whose handlers the application runs (its post_init's owner)."""
    post_init = application.post_init
    adapter = getattr(post_init, "__self__", None)
    assert isinstance(adapter, TelegramAdapter)
    return adapter


def _file_url(base_url: str) -> str:
    """``…/bot`` → ``…/file/bot`` (Telegram's layout, also a self-hosted Bot API server's)."""
    root, _, _ = base_url.rstrip("/").rpartition("/")
    return f"{root}/file/bot"
