"""A real SMTP server on loopback for the mail tests and benchmarks: aiosmtpd's ``Controller``
(its own thread and event loop) with a handler that keeps every mail it accepted and answers a
recipient as a test scripts it (``550`` unknown mailbox, ``451`` try later…); and
``subscribed_by_mail``, thousands of confirmed subscribers made at once in a store."""

from __future__ import annotations

import email
import socket
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from aiosmtpd.controller import Controller

from bot.config import Settings
from bot.store import Store


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """The handler: accepted mails (parsed), scripted refusals per recipient, sessions seen."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.refusals: dict[str, list[str]] = {}  # address -> answers to its next RCPTs
        self._sessions: set[int] = set()
        self.arrival_times: list[float] = []
        # Called (in the server's thread) with each accepted mail: a test on another event
        # loop wakes itself with ``loop.call_soon_threadsafe``.
        self.listeners: list[Callable[[EmailMessage], None]] = []
        self._lock = threading.Lock()

    def refuse(self, address: str, *answers: str) -> None:
        """Answer the next RCPT TO of ``address`` with these replies, one each, then accept."""
        self.refusals[address] = list(answers)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self._lock:
            self._sessions.add(id(session))
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        script = self.refusals.get(address)
        if script:
            return script.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=default)
        with self._lock:
            self.received.append(message)  # type: ignore[arg-type]
            self.arrival_times.append(time.monotonic())
        for listener in self.listeners:
            listener(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    @property
    def sessions(self) -> int:
        """SMTP sessions (connections) that greeted the server."""
        return len(self._sessions)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if m["To"] == address]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.received)} mails arrived, {count} expected")
            time.sleep(0.01)
        return self.received


class MailServer:
    """``with MailServer() as server:`` a running SMTP server on 127.0.0.1:``server.port``."""

    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(
            self.mailbox,
            hostname="127.0.0.1",
            port=self.port,
            decode_data=False,
            ready_timeout=10,
        )

    def __enter__(self) -> MailServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def subscribed_by_mail(
    store: Store, count: int, year: int, offsets: list[int], *, first_chat: int = 10_000
) -> list[str]:
    """``count`` confirmed e-mail addresses (``qiye<n>@example.cn``, each a person's, asked for
    from chat ``first_chat + n``) subscribed to ``year``'s reminders, in one transaction: what
    the double opt-in ends with, without a confirmation mail each (fast for thousands)."""
    addresses = [f"qiye{n}@example.cn" for n in range(count)]
    with store.transaction():
        for n, address in enumerate(addresses):
            destination = store.ensure_destination("email", address, store.new_person())
            store.db.execute("UPDATE destinations SET verified = 1 WHERE id = ?", [destination])
            store.subscribe(first_chat + n, year, offsets, destination_id=destination)
    return addresses


def text_of(message: EmailMessage) -> str:
    """The plain-text part of a received mail."""
    body = message.get_body(("plain",))
    assert body is not None, "a mail without a plain-text part"
    return body.get_content()  # type: ignore[attr-defined]


def html_of(message: EmailMessage) -> str:
    body = message.get_body(("html",))
    assert body is not None, "a mail without an HTML part"
    return body.get_content()  # type: ignore[attr-defined]


def mail_settings(data_dir: Path, server: MailServer, **overrides: object) -> Settings:
    """Settings of a bot whose mail goes to ``server`` on loopback (no TLS, no rate cap)."""
    values: dict[str, object] = {
        "data_dir": data_dir,
        "smtp_host": "127.0.0.1",
        "smtp_port": server.port,
        "smtp_tls": "none",
        "smtp_rate": 0,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]
