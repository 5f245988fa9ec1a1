"""Settings from the environment (prefix ``BIAOGAN_``) and an optional ``.env`` file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
    def db_path(self) -> Path:
        return self.data_dir / "biaogan.db"
