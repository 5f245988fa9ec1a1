"""The vocabulary every flow speaks: events in, replies (text + buttons as data) and effects out."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Literal, Protocol
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from conversations.calendar_models import CalendarDate, YearCalendar, no_calendars
from conversations.contacts import ContactCard, no_contact_cards
from conversations.forward_models import ForwardQuestion, LocalAnswer, no_local_answers
from conversations.mail_models import RequestMail, StopMail
from conversations.organizer_models import (
    CreateBroadcast,
    CreateInvite,
    GrantOrganizer,
    Records,
    RevokeOrganizer,
    UseInvite,
)
from conversations.replies import Attachment as Attachment  # re-exported: a flow imports
from conversations.replies import Button as Button  # the whole vocabulary from core
from conversations.replies import Deferred as Deferred
from conversations.replies import Reply
from knowledge import Knowledge
from knowledge.areas import AreaMatcher
from knowledge.faq import FaqMatcher
from knowledge.intent import Intent

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now_shanghai() -> datetime:
    return datetime.now(SHANGHAI)


# ---- who is speaking, and what they told us ---------------------------------------------


Role = Literal["enterprise", "organizer", "admin"]
Channel = Literal["telegram", "web", "console"]


class Actor(BaseModel):
    """Who sent an event, resolved by the shell from the store every turn.

    ``person_id``: the person's id of our own (the store's ``people``), the one effects name as
    ``by``; the store checks that person's role again itself, so the ``role`` and ``scope``
    here only shape what a flow shows, never what it may write. ``user_id``: the channel's own
    id of the sender (a Telegram user; on the web and the console, the chat)."""

    model_config = ConfigDict(frozen=True)

    user_id: int
    chat_id: int
    person_id: int | None = None
    role: Role = "enterprise"
    scope: str | None = None  # an organizer's scope: "province", "city:苏州", "assoc:<name>"
    channel: Channel = "telegram"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_organizer(self) -> bool:
        return self.role in ("organizer", "admin")


class Profile(BaseModel):
    """What the user told us about their enterprise; its one home is the store's users table."""

    model_config = ConfigDict(frozen=True)

    enterprise_name: str | None = None
    city: str | None = None
    association: str | None = None
    contact_person: str | None = None  # for the organizer's follow-up, optional
    contact: str | None = None  # a phone number or an e-mail address, optional
    asked: bool = False  # the profile questions were offered once (answered or skipped)


# ---- state ---------------------------------------------------------------------------------


class Paused(BaseModel):
    """A flow left half-done (a detour to the menu, help, another flow): kept to resume."""

    step: str
    data: dict[str, Any] = Field(default_factory=dict)


class ChatState(BaseModel):
    """Where one chat is in the conversation; stored per chat so a restart resumes it.

    ``flow``/``step``/``data`` is the screen the chat is at; ``paused`` holds flows left
    half-done, by flow name; ``detour`` is set while a question answered in the middle of a flow
    is on screen (the pending step is not, so a bare 是 must not answer it).
    """

    flow: str = "menu"
    step: str = ""
    data: dict[str, Any] = Field(default_factory=dict)
    paused: dict[str, Paused] = Field(default_factory=dict)
    detour: bool = False

    def at(self, flow: str, step: str = "", **data: Any) -> ChatState:
        """A copy moved to ``flow``/``step`` with fresh flow data (paused flows are kept)."""
        paused = {k: v for k, v in self.paused.items() if k != flow}
        return ChatState(flow=flow, step=step, data=data, paused=paused)

    def with_data(self, step: str | None = None, **changes: Any) -> ChatState:
        """A copy in the same flow with ``changes`` merged into its data."""
        return self.model_copy(
            update={
                "step": self.step if step is None else step,
                "data": {**self.data, **changes},
                "detour": False,
            },
            deep=True,
        )

    def pause(self) -> ChatState:
        """The current flow kept in ``paused``, and the chat at the menu."""
        paused = dict(self.paused)
        if self.flow != "menu" and self.step:
            paused[self.flow] = Paused(step=self.step, data=self.data)
        return ChatState(paused=paused)

    def resumed(self, flow: str) -> ChatState:
        """The paused ``flow`` back on screen (the chat's current one paused in its turn)."""
        held = self.paused[flow]
        base = self.pause() if self.flow != flow else self
        paused = {k: v for k, v in base.paused.items() if k != flow}
        return ChatState(flow=flow, step=held.step, data=dict(held.data), paused=paused)

    def dropped(self, flow: str) -> ChatState:
        """A copy without the paused ``flow``."""
        paused = {k: v for k, v in self.paused.items() if k != flow}
        return self.model_copy(update={"paused": paused})


class TextReading(Protocol):
    """What a flow may ask of the router's one reading of a typed text
    (``conversations.reading.Reading``, which answers questions and so sits above this module)."""

    text: str
    intent: Intent

    @property
    def is_question(self) -> bool:
        """A question the notice answers (or declines): not an answer to a pending step."""
        ...


@dataclass(frozen=True)
class Turn:
    """One event's input besides the event: who, what they told us, where the chat is."""

    actor: Actor
    state: ChatState
    profile: Profile = field(default_factory=Profile)
    reading: TextReading | None = None  # a text event, read once by the router
    records: Records | None = None  # read-only store queries (organizer screens); None: none

    def moved(self, state: ChatState) -> Turn:
        return Turn(self.actor, state, self.profile, self.reading, self.records)


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


class DocumentEvent(BaseModel):
    """The text of an uploaded case draft (.docx or .pdf), extracted by the shell; the file
    itself is not kept."""

    kind: Literal["document"] = "document"
    name: str
    text: str


Event = Annotated[
    TextEvent | CommandEvent | CallbackEvent | OtherEvent | DocumentEvent,
    Field(discriminator="kind"),
]


# ---- effects: what the shell must record ----------------------------------------------------


class RecordUnanswered(BaseModel):
    """A question the FAQ could not answer, for organizers to review."""

    kind: Literal["unanswered"] = "unanswered"
    text: str
    key: str | None = None  # the handle of its 转给本市组织单位 button (conversations.forwarding)


class RecordCheck(BaseModel):
    """A completed eligibility self-check."""

    kind: Literal["check"] = "check"
    answers: dict[str, Any]
    verdict: str
    failing: list[str]
    priority: bool
    unsure: list[str] = Field(default_factory=list)  # conditions answered 不确定


class RecordAreaSuggestion(BaseModel):
    """A focus-area suggestion that was asked for (and, once picked, the chosen area)."""

    kind: Literal["area"] = "area"
    text: str
    ranked: list[int]
    chosen: int | None = None


class UpdateProfile(BaseModel):
    """Fields of the profile to set (None: leave as it is)."""

    kind: Literal["profile"] = "profile"
    enterprise_name: str | None = None
    city: str | None = None
    association: str | None = None
    contact_person: str | None = None  # '' clears it
    contact: str | None = None
    asked: bool | None = None


class SetCalendarDate(BaseModel):
    """An admin sets (or moves) a milestone's date; the store checks person ``by`` again."""

    kind: Literal["calendar_set"] = "calendar_set"
    by: int | None
    entry: CalendarDate


class RemoveCalendarDate(BaseModel):
    kind: Literal["calendar_remove"] = "calendar_remove"
    by: int | None
    year: int
    milestone: str
    scope: str = "province"


class Subscribe(BaseModel):
    """Reminders for ``year`` (its calendar, or its publication when none is set yet)."""

    kind: Literal["subscribe"] = "subscribe"
    year: int
    offsets: list[int] | None = None  # days before each milestone; None: keep / the default


class Unsubscribe(BaseModel):
    kind: Literal["unsubscribe"] = "unsubscribe"
    year: int


class AuditExport(BaseModel):
    """An organizer exported the enterprises of their scope: the audit row, in the turn."""

    kind: Literal["audit_export"] = "audit_export"
    by: int | None
    detail: dict[str, Any]


class ForgetUser(BaseModel):
    """/forget confirmed: delete everything stored about this chat and its user."""

    kind: Literal["forget"] = "forget"
    user_id: int


Effect = Annotated[
    RecordUnanswered
    | RecordCheck
    | RecordAreaSuggestion
    | UpdateProfile
    | GrantOrganizer
    | RevokeOrganizer
    | CreateInvite
    | UseInvite
    | CreateBroadcast
    | SetCalendarDate
    | RemoveCalendarDate
    | Subscribe
    | Unsubscribe
    | RequestMail
    | StopMail
    | AuditExport
    | ForgetUser
    | ForwardQuestion,
    Field(discriminator="kind"),
]


class Basis(BaseModel):
    """What an answer was based on (the FAQ entry and clause), for scripts and reviews."""

    entry: str | None = None
    clause: str | None = None
    score: float = 0.0


class Outcome(BaseModel):
    """The result of handling one event."""

    state: ChatState
    replies: list[Reply]
    effects: list[Effect] = Field(default_factory=list)
    kind: str = ""  # what the turn was, for scripts: answered, not_in_notice, help, menu…
    basis: Basis | None = None


# ---- context ----------------------------------------------------------------------------


@dataclass
class Context:
    """What every turn may use: the knowledge, its matchers, the clock and the calendars
    organizers set (read from the store by the shell); built once."""

    kb: Knowledge
    clock: Callable[[], datetime] = now_shanghai
    bot_username: str = ""  # for deep links (invites); set by the Telegram adapter
    calendars: Callable[[int], YearCalendar | None] = no_calendars  # the province's
    scope_calendars: Callable[[int, str], YearCalendar | None] | None = None  # a city's own…
    contact_cards: Callable[[list[str]], list[ContactCard]] = no_contact_cards  # per scope
    local_answers: Callable[[list[str]], list[LocalAnswer]] = no_local_answers  # by scopes
    # How e-mail goes out: "smtp" (a server is set), "log" (written to the log: offered in the
    # console chat only, where the developer reads that log), "off" (not offered).
    mail: Literal["smtp", "log", "off"] = "off"
    answer_cache: int = 2048  # FAQ results kept by exact question text (0: none)

    @functools.cached_property
    def faq(self) -> FaqMatcher:
        return FaqMatcher(self.kb, cache_size=self.answer_cache)

    @functools.cached_property
    def areas(self) -> AreaMatcher:
        return AreaMatcher(self.kb)

    def today(self) -> date:
        return self.clock().astimezone(SHANGHAI).date()

    def this_year(self) -> int:
        return self.today().year

    def year_calendar(self, year: int | None = None) -> YearCalendar | None:
        """The dates organizers set for ``year`` (default: this year); None: none set."""
        found = self.calendars(self.this_year() if year is None else year)
        return found if found is not None and found.dates else None
