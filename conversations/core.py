"""The vocabulary every flow speaks: events in, replies (text + buttons as data) and effects out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from knowledge import Knowledge

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now_shanghai() -> datetime:
    return datetime.now(SHANGHAI)


# ---- replies -------------------------------------------------------------------------------


class Button(BaseModel):
    """A choice shown under a reply; ``data`` is encoded by ``conversations.callbacks``."""

    model_config = ConfigDict(frozen=True)

    label: str
    data: str


class Reply(BaseModel):
    """One message to the user. ``edit``: replace the message whose button was pressed."""

    model_config = ConfigDict(frozen=True)

    text: str
    buttons: list[list[Button]] = Field(default_factory=list)
    edit: bool = False


# ---- state ---------------------------------------------------------------------------------


class Profile(BaseModel):
    """What the user told us about their enterprise (asked once, kept on the user record)."""

    enterprise_name: str | None = None
    city: str | None = None


class ChatState(BaseModel):
    """Where one chat is in the conversation; stored per chat so a restart resumes it."""

    flow: str = "menu"
    step: str = ""
    data: dict[str, Any] = Field(default_factory=dict)
    profile: Profile = Field(default_factory=Profile)

    def at(self, flow: str, step: str = "", **data: Any) -> ChatState:
        """A copy moved to ``flow``/``step`` with fresh flow data (the profile is kept)."""
        return ChatState(flow=flow, step=step, data=data, profile=self.profile)

    def with_data(self, step: str | None = None, **changes: Any) -> ChatState:
        """A copy in the same flow with ``changes`` merged into its data."""
        return self.model_copy(
            update={"step": self.step if step is None else step, "data": {**self.data, **changes}},
            deep=True,
        )


# ---- events --------------------------------------------------------------------------------


class TextEvent(BaseModel):
    kind: Literal["text"] = "text"
    text: str


class CommandEvent(BaseModel):
    kind: Literal["command"] = "command"
    name: str
    args: str = ""


class CallbackEvent(BaseModel):
    kind: Literal["callback"] = "callback"
    data: str


class OtherEvent(BaseModel):
    """Anything that is not text: photo, sticker, voice, document, location, contact…"""

    kind: Literal["other"] = "other"
    what: str


Event = Annotated[
    TextEvent | CommandEvent | CallbackEvent | OtherEvent, Field(discriminator="kind")
]


# ---- effects: what the shell must record ----------------------------------------------------


class RecordUnanswered(BaseModel):
    """A question the FAQ could not answer, for organizers to review."""

    kind: Literal["unanswered"] = "unanswered"
    text: str


class RecordCheck(BaseModel):
    """A completed eligibility self-check."""

    kind: Literal["check"] = "check"
    answers: dict[str, Any]
    verdict: str
    failing: list[str]
    priority: bool


class RecordAreaSuggestion(BaseModel):
    """A focus-area suggestion that was asked for (and, once picked, the chosen area)."""

    kind: Literal["area"] = "area"
    text: str
    ranked: list[int]
    chosen: int | None = None


class UpdateProfile(BaseModel):
    kind: Literal["profile"] = "profile"
    enterprise_name: str | None = None
    city: str | None = None


Effect = Annotated[
    RecordUnanswered | RecordCheck | RecordAreaSuggestion | UpdateProfile,
    Field(discriminator="kind"),
]


class Outcome(BaseModel):
    """The result of handling one event."""

    state: ChatState
    replies: list[Reply]
    effects: list[Effect] = Field(default_factory=list)


# ---- context and flows ---------------------------------------------------------------------


@dataclass
class Context:
    """Resources a flow may use, opened once at start-up."""

    kb: Knowledge
    clock: Callable[[], datetime] = now_shanghai
    services: dict[str, Any] = field(default_factory=dict)

    def service(self, name: str, factory: Callable[[Knowledge], Any]) -> Any:
        """A per-process resource (a matcher, an index) built on first use and then reused."""
        if name not in self.services:
            self.services[name] = factory(self.kb)
        return self.services[name]


@dataclass(frozen=True)
class Flow:
    """A dialog: named steps, one small function each, reached through these three entries."""

    name: str
    code: str  # callback-data prefix, one letter
    label: str  # main-menu label
    command: str  # slash command without "/"
    description: str  # command description for the Telegram command list
    start: Callable[[Context, ChatState], Outcome]
    on_callback: Callable[[Context, ChatState, Any], Outcome]
    on_text: Callable[[Context, ChatState, str], Outcome | None]
