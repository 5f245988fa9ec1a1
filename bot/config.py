"""Settings from the environment (prefix ``BIAOGAN_``) and an optional ``.env`` file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_BASE_URL = "https://api.telegram.org/bot"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BIAOGAN_", env_file=".env", extra="ignore")

    telegram_token: SecretStr | None = Field(default=None, description="token from @BotFather")
    telegram_base_url: str = Field(default=DEFAULT_BASE_URL, description="Bot API server base URL")
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

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Accept "1,2,3" as well as a JSON list."""
        if isinstance(value, str):
            return [int(part) for part in value.replace(" ", "").split(",") if part]
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
