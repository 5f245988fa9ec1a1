"""The one reading of a typed text: its intent, and (computed at most once) the FAQ's answer."""

from __future__ import annotations

import functools

from conversations import answering
from conversations.core import Context
from knowledge.intent import Intent, marked_as_question, read


class Reading:
    """What a text is: navigation, help, a bare 是, a question… (``knowledge.intent``).

    A flow sees it as ``Turn.reading`` (``conversations.core.TextReading``)."""

    def __init__(self, ctx: Context, text: str) -> None:
        self.ctx = ctx
        self.text = text
        self.intent: Intent = read(text)

    @functools.cached_property
    def answer(self) -> answering.Answer:
        """The FAQ's reply to the text (only computed when a step or the router asks)."""
        return answering.answer(self.ctx, self.text, self.intent)

    @property
    def is_question(self) -> bool:
        """A question the notice answers (or declines): not an answer to a pending step."""
        if self.intent.kind != "question":
            return self.intent.kind in ("help", "human", "apply", "greeting", "thanks")
        answered = ("answered", "quoted", "partial", "multi", "area")  # not hedged, not declined
        return marked_as_question(self.text) or self.answer.kind in answered
