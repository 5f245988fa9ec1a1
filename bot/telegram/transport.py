"""Telegram as a transport: a reply to a chat id through the Bot API, and Telegram's errors
mapped to outcomes (403 → blocked, 429 → retry after, a bad request → permanent, 5xx and
network errors → transient). The dispatcher has taken the send budget before it calls ``send``
(``rate_limit_args=PACED`` tells the rate limiter not to take it again, nor to wait out a 429:
the row waits instead, and nothing else does)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.telegram.render import send_reply
from bot.transports import Pace, Result
from conversations.core import Reply

log = logging.getLogger(__name__)

PACED = "paced"  # rate_limit_args of a send whose budget the dispatcher took
GONE = ("chat not found", "bot was kicked", "user is deactivated", "bot was blocked")


class TelegramTransport:
    channel = "telegram"

    def __init__(self, bot: ExtBot, pace: Pace, *, paid: bool = False, budget: Any = None) -> None:
        """``bot``: the Application's bot, whose rate limiter (``BudgetRateLimiter``) knows
        ``PACED``."""
        self.bot = bot
        self.pace = pace
        self.paid = paid
        self.budget = budget  # the one Budget the rate limiter shares (bot.dispatch.Budget)

    async def send(
        self, address: str, reply: Reply, *, replace: str | None = None, interactive: bool = False
    ) -> Result:
        extra: dict[str, Any] = {"rate_limit_args": PACED}
        if self.paid and replace is None and not interactive:  # outbox rows only
            extra["allow_paid_broadcast"] = True
        try:
            message = await send_reply(
                self.bot,
                int(address),
                reply,
                edit_message_id=int(replace) if replace else None,
                **extra,
            )
        except Forbidden as exc:
            return Result("blocked", exc.message)
        except RetryAfter as exc:
            return Result("retry_after", exc.message, retry_after=seconds(exc.retry_after))
        except BadRequest as exc:
            if any(words in exc.message.lower() for words in GONE):
                return Result("blocked", exc.message)
            return Result("permanent", exc.message)
        except TelegramError as exc:  # NetworkError, TimedOut, 5xx
            return Result("transient", str(exc))
        ref = str(message.message_id) if message is not None else replace
        return Result("sent", ref=ref)


def seconds(value: object) -> float:
    """A ``retry_after`` in seconds (PTB gives an int now, a timedelta in its next release)."""
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)  # type: ignore[arg-type]
