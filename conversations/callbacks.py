"""Callback data: ``<flow code>:<action>[:<arg>]``, one schema, one parser.

A user can send any bytes as callback data, so everything is validated here and a bad value
raises :class:`CallbackError`; the router turns that into a polite reply and keeps the state.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MAX_BYTES = 64  # Telegram's limit for callback_data


class CallbackError(ValueError):
    """Forged, stale or malformed callback data."""


class CallbackData(BaseModel):
    model_config = ConfigDict(frozen=True)

    flow: str = Field(pattern=r"^[a-z]$")
    action: str = Field(pattern=r"^[a-z0-9_]{1,20}$")
    arg: str = Field(default="", pattern=r"^[A-Za-z0-9_.\-]{0,40}$")

    def encode(self) -> str:
        data = f"{self.flow}:{self.action}" + (f":{self.arg}" if self.arg else "")
        if len(data.encode()) > MAX_BYTES:
            raise CallbackError(f"callback data longer than {MAX_BYTES} bytes: {data!r}")
        return data


def encode(flow: str, action: str, arg: str | int = "") -> str:
    """Build callback data for a button."""
    return CallbackData(flow=flow, action=action, arg=str(arg)).encode()


def parse(data: str | None) -> CallbackData:
    """Parse callback data sent by a client; raise CallbackError on anything unexpected."""
    if not isinstance(data, str) or not data or len(data.encode("utf-8", "replace")) > MAX_BYTES:
        raise CallbackError("empty or oversized callback data")
    parts = data.split(":")
    if len(parts) not in (2, 3):
        raise CallbackError(f"malformed callback data: {data!r}")
    try:
        return CallbackData(flow=parts[0], action=parts[1], arg=parts[2] if len(parts) == 3 else "")
    except ValidationError as exc:
        raise CallbackError(f"malformed callback data: {data!r}") from exc
