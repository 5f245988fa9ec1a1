"""The one reading of a typed text: its intent, and (computed at most once) the FAQ's answer."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from knowledge.intent import Intent, read

# The marks of a question (？, 吗, 什么…): a text with one is never an answer to a pending step.
_ASKS = re.compile(
    r"[?？]|什么|怎么|如何|哪|多少|谁|能否|是否|可不可以|能不能|要不要|算不算|为什么|"
    r"为啥|咋|吗$|呢$|么$|^(how|what|which|why|when|where|who|can|do|does|is|are)\b"
)

if TYPE_CHECKING:
    from conversations.core import Context
    from conversations.flows.faq import Answer


class Reading:
    """What a text is: navigation, help, a bare 是, a question… (``knowledge.intent``)."""

    def __init__(self, ctx: Context, text: str) -> None:
        self.ctx = ctx
        self.text = text
        self.intent: Intent = read(text)

    @functools.cached_property
    def answer(self) -> Answer:
        """The FAQ's reply to the text (only computed when a step or the router asks)."""
        from conversations.flows import faq

        return faq.answer(self.ctx, self.text, self.intent)

    @property
    def is_question(self) -> bool:
        """A question the notice answers (or declines): not an answer to a pending step."""
        if self.intent.kind != "question":
            return self.intent.kind in ("help", "human", "apply", "greeting", "thanks")
        asks = _ASKS.search(self.intent.text or self.text) is not None
        return asks or self.answer.kind == "answered"
