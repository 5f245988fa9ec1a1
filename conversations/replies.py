"""What a flow answers with: replies (text, buttons as data, a file), channel-free."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# ---- replies -------------------------------------------------------------------------------


class Button(BaseModel):
    """A choice shown under a reply; ``data`` is encoded by ``conversations.callbacks``."""

    model_config = ConfigDict(frozen=True)

    label: str
    data: str


class Deferred(BaseModel):
    """Work a file needs that is too slow for the turn (a chart, a CSV): the shell renders it
    in a worker thread before the reply is sent (``ChatService.finish``); ``kind`` names the
    renderer, ``data`` is what it renders."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    kind: str
    data: Any


class Attachment(BaseModel):
    """A file sent with a reply (an .ics calendar, a CSV export, a chart); ``deferred``: its
    content is rendered by the shell before sending."""

    model_config = ConfigDict(frozen=True)

    filename: str
    mime: str
    content: bytes = b""
    deferred: Deferred | None = None


class Reply(BaseModel):
    """One message to the user. ``edit``: replace the message whose button was pressed;
    ``subject``: a headline for channels that have one (an e-mail's subject)."""

    model_config = ConfigDict(frozen=True)

    text: str
    subject: str = ""
    buttons: list[list[Button]] = Field(default_factory=list)
    edit: bool = False
    file: Attachment | None = None
