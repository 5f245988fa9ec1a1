"""Settings from the environment (prefix ``BIAOGAN_``) and an optional ``.env`` file."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # Telegram's rule for secret_token


class Settings(BaseSettings):
    # An empty value is an unset one: a .env or an EnvironmentFile copied from .env.example
    # leaves most settings empty (BIAOGAN_SMTP_PORT= must not be read as a bad number).
    model_config = SettingsConfigDict(
        env_prefix="BIAOGAN_", env_file=".env", extra="ignore", env_ignore_empty=True
    )

    telegram_token: SecretStr | None = Field(default=None, description="token from @BotFather")
    telegram_base_url: str = Field(default=DEFAULT_BASE_URL, description="Bot API server base URL")
    telegram_webhook_url: str | None = Field(
        default=None,
        description="webhook mode: the HTTPS address Telegram posts updates to; unset: polling",
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None,
        description="secret_token checked on every webhook update; unset: a new one each start",
    )
    telegram_proxy: str | None = Field(
        default=None, description="proxy for the Bot API: http://, https://, socks5://host:port"
    )
    telegram_rate: float = Field(
        default=30.0,
        ge=0,
        description="messages per second the bot sends overall (Telegram: ~30); 0 = no cap",
    )
    paid_broadcast: bool = Field(
        default=False,
        description="send broadcasts with allow_paid_broadcast (up to 1000/s, costs Stars)",
    )
    data_dir: Path = Field(default=Path("data"), description="where the SQLite file lives")
    web_host: str = Field(default="127.0.0.1", description="address the web chat listens on")
    web_port: int = Field(default=8080, ge=0, le=65535, description="port of the web chat")
    public_url: str | None = Field(
        default=None,
        description="the web page's address as people reach it (links in e-mails);"
        " default http://web_host:web_port",
    )
    smtp_host: str | None = Field(default=None, description="SMTP server; unset: mail to the log")
    smtp_port: int | None = Field(
        default=None, ge=1, le=65535, description="default 587 (starttls), 465 (tls), 25 (none)"
    )
    smtp_user: str | None = Field(default=None, description="SMTP login (AUTH), if any")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password")
    smtp_tls: Literal["starttls", "tls", "none"] = Field(
        default="starttls", description="starttls (587), tls (implicit, 465) or none"
    )
    smtp_sender: str = Field(
        default="biaogan@localhost", description="From: address (the provider's verified sender)"
    )
    smtp_rate: float = Field(
        default=25.0,
        ge=0,
        description="mails per second the provider allows (Aliyun DirectMail 5000/180 s ≈ 27.7)",
    )
    smtp_connections: int = Field(
        default=2, ge=1, le=16, description="SMTP connections used at once (each reused)"
    )
    admin_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="Telegram user ids of province-level organizers"
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="reverse proxies whose X-Forwarded-For/-Proto are trusted (comma-separated)",
    )
    metrics_token: SecretStr | None = Field(
        default=None, description="/metrics needs 'Authorization: Bearer TOKEN'; unset: loopback"
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="text lines, or JSON lines for a log collector"
    )
    log_text: bool = Field(
        default=False, description="put what people typed into the turn log lines (off: privacy)"
    )

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Accept "1,2,3" as well as a JSON list."""
        if isinstance(value, str):
            return [int(part) for part in value.replace(" ", "").split(",") if part]
        return value

    @field_validator("telegram_webhook_url", "public_url", mode="after")
    @classmethod
    def _web_address(cls, value: str | None, info: ValidationInfo) -> str | None:
        """An http(s) address with a host; Telegram posts webhooks only over HTTPS (plain HTTP
        is allowed on loopback: a local Bot API server, the tests)."""
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// address with a host")
        webhook = info.field_name == "telegram_webhook_url"
        if webhook and parts.scheme != "https" and parts.hostname not in LOOPBACK_HOSTS:
            raise ValueError("Telegram posts updates only to an https:// address")
        return value

    @field_validator("telegram_webhook_secret", mode="after")
    @classmethod
    def _secret_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not SECRET_TOKEN.match(value.get_secret_value()):
            raise ValueError("1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        return value

    @field_validator("telegram_proxy", mode="after")
    @classmethod
    def _proxy(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in PROXY_SCHEMES or not parts.hostname:
            raise ValueError(f"must be {', '.join(s + '://' for s in PROXY_SCHEMES)}host:port")
        return value

    @field_validator("forwarded_allow_ips", mode="after")
    @classmethod
    def _networks(cls, value: str) -> str:
        for part in filter(None, (p.strip() for p in value.split(","))):
            if part != "*":
                ipaddress.ip_network(part, strict=False)  # ValueError names the bad one
        return value

    @field_validator("smtp_sender", mode="after")
    @classmethod
    def _sender(cls, value: str) -> str:
        if "@" not in value.strip("@"):
            raise ValueError("must be an e-mail address")
        return value

    @property
    def mail_configured(self) -> bool:
        """An SMTP server is set: mail really goes out (else it is written to the log)."""
        return bool(self.smtp_host)

    @property
    def site_url(self) -> str:
        """The web page's base address, without a trailing slash."""
        if self.public_url:
            return self.public_url.rstrip("/")
        return f"http://{self.web_host}:{self.web_port}"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "biaogan.db"
