"""What the page may send (``POST /api/send``), validated, as the event the flows read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from conversations import texts
from conversations.core import CallbackEvent, CommandEvent, Event, TextEvent
from conversations.flows.areas import DRAFT_MAX_CHARS

# Characters of a typed text: the longest the flows read (a case draft); a question past the
# router's own limit is answered by the router with its length and that limit, never cut.
MAX_TEXT = DRAFT_MAX_CHARS
MAX_CALLBACK_BYTES = 64  # as on Telegram


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class TypedText(_Strict):
    """A line typed in the box; ``/name args`` is a command, as on Telegram."""

    type: Literal["text"]
    text: str  # its length is checked in parse_request, with a sentence for the visitor


class PressedButton(_Strict):
    """A button pressed under the transcript message ``message``."""

    type: Literal["button"]
    data: str = Field(min_length=1, max_length=MAX_CALLBACK_BYTES)
    message: int = Field(gt=0)


class PageCommand(_Strict):
    """A command the page sends on its own: the deep link (``start`` + area) or the menu."""

    type: Literal["command"]
    name: Literal["start", "menu", "help", "cancel"]
    args: Literal["", "check", "area", "faq"] = ""


Incoming = Annotated[TypedText | PressedButton | PageCommand, Field(discriminator="type")]
_incoming: TypeAdapter[Any] = TypeAdapter(Incoming)


class EventError(ValueError):
    """A request the page could not have sent; the message says which field is wrong.
    ``shown``: a sentence for the visitor instead (a text over the limit)."""

    def __init__(self, message: str, shown: str | None = None) -> None:
        super().__init__(message)
        self.shown = shown


@dataclass(frozen=True)
class WebEvent:
    event: Event
    echo: str | None  # what to show as the visitor's own message (typed text only)
    origin: int | None  # the transcript message whose button was pressed


def parse_request(payload: Any) -> WebEvent:
    try:
        incoming = _incoming.validate_python(payload)
    except ValidationError as exc:
        raise EventError(_describe(exc)) from None
    match incoming:
        case TypedText(text=text):
            if len(text) > MAX_TEXT:
                shown = texts.WEB_TEXT_TOO_LONG.format(length=len(text), limit=MAX_TEXT)
                raise EventError(f"text: longer than {MAX_TEXT} characters", shown)
            return WebEvent(event=typed(text), echo=text, origin=None)
        case PressedButton(data=data, message=message):
            if len(data.encode()) > MAX_CALLBACK_BYTES:
                raise EventError(f"data: longer than {MAX_CALLBACK_BYTES} bytes")
            return WebEvent(event=CallbackEvent(data=data), echo=None, origin=message)
        case PageCommand(name=name, args=args):
            return WebEvent(event=CommandEvent(name=name, args=args), echo=None, origin=None)
    raise AssertionError(f"unhandled request {incoming!r}")


def typed(text: str) -> Event:
    """A typed line as an event: ``/name args`` (``/name@bot`` too) is a command."""
    stripped = text.strip()
    if stripped.startswith("/") and len(stripped) > 1 and not stripped[1].isspace():
        word, _, args = stripped.partition(" ")
        name = word[1:].partition("@")[0].lower()
        return CommandEvent(name=name, args=args.strip())
    return TextEvent(text=text)


def _describe(exc: ValidationError) -> str:
    """The first problem, short: ``field: message`` (never the input echoed back)."""
    error = exc.errors(include_input=False, include_url=False)[0]
    where = ".".join(str(part) for part in error["loc"]) or "body"
    return f"{where}: {error['msg']}"
