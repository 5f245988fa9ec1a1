"""The process's sending machinery, assembled once whatever channels it serves: the dispatcher
with a transport per channel, the reminders and broadcast deliveries it works through, and the
broadcast progress it shows organizers. ``biaogan web``, ``biaogan run`` and a Telegram-only
start all run it (``started``)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

from bot.broadcast.sender import Broadcasts
from bot.config import Settings
from bot.dispatch import Dispatcher
from bot.mail import Letters, mail_transport
from bot.ops.alerts import AdminAlerts
from bot.reminders import Reminders
from bot.service import ChatService
from bot.transports import Transport


@dataclass(frozen=True)
class Knobs:
    """What tests and benchmarks vary; defaults are for production."""

    poll: float = 1.0  # seconds an idle channel waits before looking for rows again
    reminder_backoff: float = 30.0  # seconds before a failed reminder is tried again (doubles)
    broadcast_attempts: int = 4  # transient failures before a delivery is failed
    broadcast_backoff: float = 2.0  # seconds before a failed delivery is tried again (doubles)
    progress_every: float = 3.0  # seconds between updates of a broadcast's progress message


def make_dispatcher(
    service: ChatService, transports: Iterable[Transport], knobs: Knobs | None = None
) -> Dispatcher:
    """The dispatcher over the service's store; the service wakes it when a turn queues rows.
    E-mail is always one of its channels (SMTP when a server is set, else the log), unless
    ``transports`` brings an e-mail transport of its own."""
    knobs = knobs or Knobs()
    settings = service.settings or Settings()
    letters = Letters(service.store, settings.site_url, backoff=knobs.reminder_backoff)
    transports = list(transports)
    if not any(t.channel == "email" for t in transports):
        transports.append(mail_transport(settings, letters))
    reminders = Reminders(service, backoff=knobs.reminder_backoff)
    broadcasts = Broadcasts(
        service.store,
        max_attempts=knobs.broadcast_attempts,
        backoff=knobs.broadcast_backoff,
        progress_every=knobs.progress_every,
    )
    dispatcher = Dispatcher(
        transports,
        # Confirmation mails first (someone is waiting for one), then reminders, then broadcasts.
        [letters.source(), reminders.source(), broadcasts.source()],
        clock=service.ctx.clock,
        poll=knobs.poll,
    )
    broadcasts.dispatcher = dispatcher
    dispatcher.background.append(broadcasts.watch)
    # Errors logged while it runs reach the admins over their channels, rate-limited.
    alerts = AdminAlerts(service.store, dispatcher.reply, dispatcher.lanes.keys, service.ctx.clock)
    dispatcher.background.append(alerts.run)
    service.dispatcher = dispatcher
    return dispatcher


def web_transport(service: ChatService) -> Transport:
    from bot.web.sessions import WebSessions
    from bot.web.transport import WebTransport

    store = service.store
    return WebTransport(WebSessions(store.db, clock=store.clock, forget_chat=store.forget))


@contextlib.asynccontextmanager
async def started(dispatcher: Dispatcher) -> AsyncIterator[Dispatcher]:
    """The dispatcher running for the duration of the block."""
    dispatcher.start()
    try:
        yield dispatcher
    finally:
        await dispatcher.stop()
