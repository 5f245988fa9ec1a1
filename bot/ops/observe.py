"""One log line and the metrics of each turn and each send.

At INFO, on the loggers ``bot.turns`` and ``bot.sends``: who (a chat id, an outbox row), which
channel, what kind, how long, what happened — never the text of a message unless
``BIAOGAN_LOG_TEXT`` asks for it. The fields also travel as ``record.fields``, which the JSON
formatter (``BIAOGAN_LOG_FORMAT=json``) writes as keys of the line.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.ops import metrics
from bot.transports import Result

turns_log = logging.getLogger("bot.turns")
sends_log = logging.getLogger("bot.sends")

EVENT_KINDS = {
    "TextEvent": "text",
    "CommandEvent": "command",
    "CallbackEvent": "button",
    "OtherEvent": "other",
}
log_text = False  # BIAOGAN_LOG_TEXT, set once at start-up (bot.ops.logs.setup)


def event_kind(event: object) -> str:
    return EVENT_KINDS.get(type(event).__name__, "other")


def turn(
    channel: str, chat_id: int, event: object, seconds: float, *, replies: int, ok: bool
) -> None:
    """A turn is done (committed, or rolled back when ``ok`` is false)."""
    kind = event_kind(event)
    metrics.TURNS.labels(channel, kind).inc()
    metrics.TURN_SECONDS.labels(channel).observe(seconds)
    if not ok:
        metrics.TURN_FAILURES.labels(channel).inc()
    if not turns_log.isEnabledFor(logging.INFO):
        return
    fields: dict[str, Any] = {
        "event": "turn",
        "channel": channel,
        "chat": chat_id,
        "kind": kind,
        "ms": round(seconds * 1000, 2),
        "replies": replies,
        "ok": ok,
    }
    name = getattr(event, "name", None)
    if kind == "command" and isinstance(name, str) and name.isascii() and len(name) <= 32:
        fields["command"] = name
    if log_text:
        fields["text"] = getattr(event, "text", None) or getattr(event, "data", None)
    turns_log.info("turn %s", _pairs(fields), extra={"fields": fields})


def send(
    transport: str,
    source: str,
    result: Result,
    *,
    waited: float = 0.0,
    row: dict[str, Any] | None = None,
    address: str | None = None,
) -> None:
    """A send is done: ``source`` is ``reply`` (to someone chatting, a progress message) or
    the outbox table of ``row``; ``waited``: seconds spent waiting for the budget."""
    metrics.SENDS.labels(transport, source, result.outcome).inc()
    metrics.SEND_WAIT_SECONDS.labels(transport).observe(waited)
    if result.outcome == "retry_after":
        rate_limited(transport, result.retry_after)
    if not sends_log.isEnabledFor(logging.INFO):
        return
    fields: dict[str, Any] = {
        "event": "send",
        "transport": transport,
        "source": source,
        "outcome": result.outcome,
        "wait_ms": round(waited * 1000, 1),
    }
    if row is not None:
        fields["row"] = row.get("id")
        fields["destination"] = row.get("destination_id")
    elif address is not None and transport != "email":  # a chat id, never an e-mail address
        fields["chat"] = address
    if result.outcome != "sent" and result.detail:
        fields["detail"] = result.detail[:200]
    sends_log.info("send %s", _pairs(fields), extra={"fields": fields})


def rate_limited(transport: str, retry_after: float) -> None:
    metrics.RATE_LIMITED.labels(transport).inc()
    metrics.RETRY_AFTER_SECONDS.labels(transport).inc(max(retry_after, 0.0))


def _pairs(fields: dict[str, Any]) -> str:
    return " ".join(f"{key}={value}" for key, value in fields.items() if key != "event")
