"""``biaogan doctor``: every setting (secrets masked), what each channel still lacks, and a try
of each connection (the Bot API's getMe through the configured proxy, the SMTP server's greeting,
TLS and login without sending anything, the database read without being changed).

A finding is ``ok`` (✓), ``fail`` (✗: that channel will not work as configured; the exit code
is 1) or ``note`` (!: works, but probably not as meant in production).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import SecretStr

from bot.config import DEFAULT_BASE_URL, Settings
from conversations import texts

Level = Literal["ok", "fail", "note"]
MARK = {"ok": "✓", "fail": "✗", "note": "!"}
WEBHOOK_PORTS = (443, 80, 88, 8443)  # the ports Telegram's cloud posts webhooks to
TIMEOUT = 10.0


@dataclass(frozen=True)
class Finding:
    part: str  # telegram, email, web, console, data
    level: Level
    text: str


def masked(name: str, value: object) -> str:
    """A setting as printed: secrets hidden (a bot token keeps its public bot id), a URL's
    password hidden, unset said so."""
    if value is None or value == "" or value == []:
        return texts.DOCTOR_UNSET
    if isinstance(value, SecretStr):
        secret = value.get_secret_value()
        if name == "telegram_token" and ":" in secret:
            return secret.split(":", 1)[0] + ":" + "*" * 8
        return "*" * 8
    if isinstance(value, str) and "://" in value:
        parts = urlsplit(value)
        if parts.password:
            host = parts.netloc.rsplit("@", 1)[1]
            return urlunsplit(parts._replace(netloc=f"{parts.username}:********@{host}"))
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def settings_lines(settings: Settings) -> list[str]:
    width = max(len(name) for name in Settings.model_fields) + len("BIAOGAN_")
    return [
        f"  {'BIAOGAN_' + name.upper():{width}}  {masked(name, getattr(settings, name))}"
        for name in Settings.model_fields
    ]


def requirements(settings: Settings) -> list[Finding]:
    """What each channel lacks, read from the settings alone."""
    found: list[Finding] = []
    token = settings.telegram_token.get_secret_value().strip() if settings.telegram_token else ""
    if not token:
        found.append(Finding("telegram", "note", texts.DOCTOR_TG_NO_TOKEN))
    if settings.telegram_webhook_url:
        port = urlsplit(settings.telegram_webhook_url).port or 443
        if settings.telegram_base_url == DEFAULT_BASE_URL and port not in WEBHOOK_PORTS:
            found.append(
                Finding("telegram", "fail", texts.DOCTOR_TG_WEBHOOK_PORT.format(port=port))
            )
        if settings.telegram_webhook_secret is None:
            found.append(Finding("telegram", "note", texts.DOCTOR_TG_RANDOM_SECRET))
    if not settings.smtp_host:
        found.append(Finding("email", "note", texts.DOCTOR_MAIL_TO_LOG))
    elif settings.smtp_sender.endswith("@localhost"):
        found.append(Finding("email", "fail", texts.DOCTOR_MAIL_SENDER))
    if not settings.public_url:
        found.append(
            Finding("web", "note", texts.DOCTOR_NO_PUBLIC_URL.format(url=settings.site_url))
        )
    elif not settings.public_url.startswith("https://"):
        found.append(Finding("web", "note", texts.DOCTOR_NOT_HTTPS))
    if settings.metrics_token is None:
        found.append(Finding("web", "note", texts.DOCTOR_METRICS_LOOPBACK))
    return found


def data_findings(settings: Settings) -> list[Finding]:
    """The data folder writable, the database readable, its schema this version's (read-only:
    nothing is migrated or written here)."""
    from bot.ops.backup import BackupError, check, known_migrations

    folder = settings.data_dir
    existing = folder if folder.exists() else folder.parent
    if not os.access(existing, os.W_OK):
        return [Finding("data", "fail", texts.DOCTOR_DATA_NOT_WRITABLE.format(path=folder))]
    admins = [] if _admins(settings) else [Finding("console", "note", texts.DOCTOR_NO_ADMIN)]
    if not settings.db_path.exists():
        text = texts.DOCTOR_DATA_NEW.format(path=settings.db_path)
        return [Finding("data", "note", text), *admins]
    try:
        inspection = check(settings.db_path)
    except BackupError as exc:
        return [Finding("data", "fail", texts.DOCTOR_DATA_BAD.format(reason=exc.reason))]
    pending = len(known_migrations()) - len(inspection.applied)
    found = [Finding("data", "ok", texts.DOCTOR_DATA_OK.format(path=settings.db_path,
                                                              rows=inspection.rows))]  # fmt: skip
    if pending:
        found.append(Finding("data", "note", texts.DOCTOR_DATA_PENDING.format(count=pending)))
    return found + admins


def _admins(settings: Settings) -> bool:
    if settings.admin_ids:
        return True
    if not settings.db_path.exists():
        return False
    connection = sqlite3.connect(f"file:{settings.db_path}?mode=ro", uri=True)
    try:
        row = connection.execute("SELECT 1 FROM people WHERE kind = 'admin' LIMIT 1").fetchone()
    except sqlite3.Error:
        row = None
    finally:
        connection.close()
    return row is not None


async def try_telegram(settings: Settings) -> list[Finding]:
    """getMe (and getWebhookInfo in webhook mode) as the bot would call them."""
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError
    from telegram.request import HTTPXRequest

    token = settings.telegram_token.get_secret_value().strip() if settings.telegram_token else ""
    if not token:
        return []
    request = HTTPXRequest(proxy=settings.telegram_proxy, connect_timeout=TIMEOUT)
    bot = Bot(token, base_url=settings.telegram_base_url, request=request)
    try:
        async with asyncio.timeout(TIMEOUT * 2):
            me = await bot.get_me()
            found = [Finding("telegram", "ok", texts.DOCTOR_TG_OK.format(username=me.username))]
            if settings.telegram_webhook_url:
                info = await bot.get_webhook_info()
                if info.last_error_message:
                    text = texts.DOCTOR_TG_HOOK_ERROR.format(error=info.last_error_message)
                    found.append(Finding("telegram", "note", text))
            return found
    except InvalidToken:
        return [Finding("telegram", "fail", texts.DOCTOR_TG_BAD_TOKEN)]
    except (TelegramError, TimeoutError, OSError) as exc:
        where = settings.telegram_proxy and masked("telegram_proxy", settings.telegram_proxy)
        return [Finding("telegram", "fail", texts.DOCTOR_TG_UNREACHABLE.format(
            url=settings.telegram_base_url, via=f"（经代理 {where}）" if where else "",
            error=f"{type(exc).__name__}: {exc}"))]  # fmt: skip
    finally:
        await request.shutdown()


async def try_smtp(settings: Settings) -> list[Finding]:
    """Connect, greet, TLS as configured, log in when a user is set, and quit: nothing sent."""
    import aiosmtplib

    from bot.mail.transport import SmtpConfig

    if not settings.smtp_host:
        return []
    config = SmtpConfig(host=settings.smtp_host, port=settings.smtp_port, tls=settings.smtp_tls)
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    client = aiosmtplib.SMTP(
        hostname=config.host,
        port=config.resolved_port,
        username=settings.smtp_user or None,
        password=password or None,
        use_tls=config.tls == "tls",
        start_tls={"starttls": True, "tls": False}.get(config.tls, False),
        timeout=TIMEOUT,
    )
    where = f"{config.host}:{config.resolved_port}（{config.tls}）"
    try:
        await client.connect()
        await client.quit()
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        error = f"{type(exc).__name__}: {exc}".strip()
        return [Finding("email", "fail", texts.DOCTOR_SMTP_FAILED.format(where=where, error=error))]
    login = texts.DOCTOR_SMTP_LOGIN if settings.smtp_user else ""
    return [Finding("email", "ok", texts.DOCTOR_SMTP_OK.format(where=where, login=login))]


async def examine(settings: Settings) -> list[Finding]:
    """Everything doctor finds, by channel."""
    tried = await asyncio.gather(try_telegram(settings), try_smtp(settings))
    return [*requirements(settings), *data_findings(settings), *tried[0], *tried[1]]


def report(settings: Settings, findings: Iterable[Finding]) -> tuple[str, int]:
    """The printed report and the exit code (1 when anything failed)."""
    findings = list(findings)
    lines = [texts.DOCTOR_SETTINGS, *settings_lines(settings), ""]
    for part, title in texts.DOCTOR_PARTS.items():
        mine = [f for f in findings if f.part == part]
        if not mine:
            mine = [Finding(part, "ok", texts.DOCTOR_NOTHING_MISSING)]
        lines.append(title)
        lines += [f"  {MARK[f.level]} {f.text}" for f in mine]
    failed = sum(f.level == "fail" for f in findings)
    lines += ["", texts.DOCTOR_FAILED.format(count=failed) if failed else texts.DOCTOR_ALL_OK]
    return "\n".join(lines), 1 if failed else 0
