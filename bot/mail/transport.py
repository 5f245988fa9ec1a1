"""E-mail transports: SMTP on ``aiosmtplib`` (Django's ``smtp`` backend, on the event loop), and
the log (Django's ``console`` backend) when no server is set.

SMTP connections are opened when first needed and reused across a sweep (a small pool, one
message at a time on each); one idle for a while is checked with NOOP before it is used again.
What the server answers becomes an outcome (``bot.transports``):

- a recipient refused with 5xx (550 unknown mailbox…): ``blocked`` — the address goes inactive;
- 4xx anywhere (451, 452, 421), a dropped or refused connection, a timeout: ``transient`` —
  the row is retried with backoff (and the connection opened afresh);
- 5xx on the message itself or the sender (our content or configuration, not the address):
  ``permanent``, logged as an error.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import aiosmtplib

from bot.mail.compose import Links, compose
from bot.transports import Pace, Result
from conversations.core import Reply

log = logging.getLogger(__name__)

IDLE_CHECK = 10.0  # seconds idle after which a connection is checked with NOOP before use
TIMEOUT = 30.0  # seconds for any one SMTP command

LinksOf = Callable[[str], Links]  # an address -> the links its mails carry


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int | None = None
    user: str | None = None
    password: str | None = None
    tls: str = "starttls"  # starttls | tls | none
    sender: str = "biaogan@localhost"
    rate: float = 25.0  # messages per second the provider allows (0: no cap)
    connections: int = 2

    @property
    def resolved_port(self) -> int:
        return self.port or {"tls": 465, "starttls": 587}.get(self.tls, 25)


class _Connection:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self.client: aiosmtplib.SMTP | None = None
        self.used_at = 0.0

    async def ready(self) -> aiosmtplib.SMTP:
        if self.client is not None and self.client.is_connected:
            if time.monotonic() - self.used_at < IDLE_CHECK:
                return self.client
            try:
                await self.client.noop()
                return self.client
            except (aiosmtplib.SMTPException, OSError):
                await self.close()
        config = self.config
        client = aiosmtplib.SMTP(
            hostname=config.host,
            port=config.resolved_port,
            username=config.user or None,
            password=config.password or None,
            use_tls=config.tls == "tls",
            start_tls={"starttls": True, "tls": False}.get(config.tls, False),
            timeout=TIMEOUT,
        )
        await client.connect()
        self.client = client
        return client

    async def close(self) -> None:
        client, self.client = self.client, None
        if client is not None and client.is_connected:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError):
                client.close()


class SmtpTransport:
    """Mails by SMTP, ``config.connections`` at once, each connection reused."""

    channel = "email"

    def __init__(self, config: SmtpConfig, links: LinksOf) -> None:
        self.config = config
        self.links = links
        # Providers count over long windows (Aliyun: 5,000 per 180 s): half a second of a stall
        # may be made up, at most rate/2 mails above the rate in any one second.
        self.pace = Pace(per_second=config.rate, in_flight=config.connections, catch_up=0.5)
        self._idle: asyncio.Queue[_Connection] | None = None
        self.opened = 0  # connections opened (a sweep reuses them: tests and benchmarks read it)

    def _pool(self) -> asyncio.Queue[_Connection]:
        if self._idle is None:
            self._idle = asyncio.LifoQueue()  # the one used last (still open) goes first
            for _ in range(self.config.connections):
                self._idle.put_nowait(_Connection(self.config))
        return self._idle

    async def send(
        self, address: str, reply: Reply, *, replace: str | None = None, interactive: bool = False
    ) -> Result:
        message = compose(reply, to=address, sender=self.config.sender, links=self.links(address))
        pool = self._pool()
        connection = await pool.get()
        try:
            was_open = connection.client is not None and connection.client.is_connected
            client = await connection.ready()
            if not was_open:
                self.opened += 1
            await client.send_message(message)
            connection.used_at = time.monotonic()
            return Result("sent", ref=message["Message-ID"])
        except aiosmtplib.SMTPRecipientsRefused as exc:
            connection.used_at = time.monotonic()
            refused = exc.recipients[0] if exc.recipients else None
            code = refused.code if refused is not None else 0
            detail = f"{code} {refused.message if refused else ''}".strip()
            return Result("blocked" if code >= 500 else "transient", detail)
        except aiosmtplib.SMTPResponseException as exc:
            detail = f"{exc.code} {exc.message}"
            if exc.code == 421 or exc.code < 500:
                await connection.close()
                return Result("transient", detail)
            log.error("mail to %s refused by the server (not the address): %s", address, detail)
            await _reset(connection)
            return Result("permanent", detail)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            await connection.close()
            return Result("transient", f"{type(exc).__name__}: {exc}")
        finally:
            pool.put_nowait(connection)

    async def close(self) -> None:
        if self._idle is None:
            return
        while not self._idle.empty():
            await self._idle.get_nowait().close()


async def _reset(connection: _Connection) -> None:
    """After a refused transaction the connection is usable again once RSET is accepted."""
    client = connection.client
    if client is None:
        return
    try:
        await client.rset()
    except (aiosmtplib.SMTPException, OSError):
        await connection.close()


class LogMailTransport:
    """No SMTP server set: each mail is written to the log, whole (what would have gone out;
    ``biaogan outbox`` lists the rows)."""

    channel = "email"

    def __init__(self, sender: str, links: LinksOf) -> None:
        self.sender = sender
        self.links = links
        self.pace = Pace()
        self.written: list[str] = []  # Message-IDs, newest last

    async def send(
        self, address: str, reply: Reply, *, replace: str | None = None, interactive: bool = False
    ) -> Result:
        message = compose(reply, to=address, sender=self.sender, links=self.links(address))
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        log.info(
            "mail (no SMTP server set, not sent) to %s\nSubject: %s\n%s",
            address, message["Subject"], text.rstrip(),
        )  # fmt: skip
        self.written.append(message["Message-ID"])
        return Result("sent", ref=message["Message-ID"])
