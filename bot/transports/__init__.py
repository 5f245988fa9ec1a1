"""Transports: one per channel, one small interface — send this reply to this address, and say
what happened — in the manner of Django's mail backends (``smtp``, ``locmem``, ``console``).

A transport never raises for what the far end answers: it returns a ``Result`` whose outcome is
data (``sent``, ``blocked``: the address is gone; ``retry_after`` N s; ``transient``: retried with
backoff; ``permanent``: a bad request, never retried). Each channel maps its own errors in its own
module (``bot.telegram.transport``, ``bot.web.transport``). The dispatcher (``bot.dispatch``) owns
each transport's budget and decides when to send; a transport only sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from conversations.core import Reply

Outcome = Literal["sent", "blocked", "retry_after", "transient", "permanent"]


@dataclass(frozen=True)
class Result:
    """What one send did. ``ref``: the message's id on its channel (to replace it later);
    ``retry_after``: seconds the channel asked us to wait (outcome ``retry_after``)."""

    outcome: Outcome
    detail: str = ""
    retry_after: float = 0.0
    ref: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "sent"


SENT = Result("sent")


@dataclass(frozen=True)
class Pace:
    """A channel's own limits: messages per second overall (0: none), the least gap between
    two messages to one address (Telegram: about one a second in a chat, 3 s in a group)."""

    per_second: float = 0.0
    address_gap: float = 0.0
    group_gap: float = 0.0  # addresses that are groups (Telegram: 20 a minute)
    in_flight: int = 8  # sends under way at once (the round trip must not bind the rate)
    # Seconds of lateness a channel may make up after a stall (the loop busy): none where the
    # far end counts a strict second (Telegram); some where it counts a long window (a mail
    # provider's 5,000 per 180 s), so a stall does not lower the achieved rate.
    catch_up: float = 0.0

    def gap(self, address: str) -> float:
        return self.group_gap if self.group_gap and address.startswith("-") else self.address_gap


class Transport(Protocol):
    """Sends replies to addresses of one channel."""

    channel: str
    pace: Pace

    async def send(
        self, address: str, reply: Reply, *, replace: str | None = None, interactive: bool = False
    ) -> Result:
        """Send ``reply`` to ``address`` (``replace``: a ``ref`` of an earlier message to put it
        in place of, when the channel can; ``interactive``: an answer to a person, not an
        outbox row); never raises for the far end's answer."""
        ...


__all__ = ["SENT", "Outcome", "Pace", "Result", "Transport"]
