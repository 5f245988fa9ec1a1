"""What the e-mail flow records (``conversations.flows.mail``); part of ``core.Effect``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class RequestMail(BaseModel):
    """Reminders by e-mail: queue a confirmation mail to ``address`` (double opt-in; nothing
    else goes there until its link is used); the person asking owns the address."""

    kind: Literal["request_mail"] = "request_mail"
    person_id: int | None
    address: str
    year: int


class StopMail(BaseModel):
    """No more mail to one of the person's addresses (checked against the person by the store)."""

    kind: Literal["stop_mail"] = "stop_mail"
    person_id: int | None
    destination_id: int
