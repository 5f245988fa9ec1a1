"""Answering a typed question from the notice: ``answer(ctx, text, intent)``.

Below the flows: the router's ``Reading`` computes the answer of a typed text here, and the FAQ
flow (``conversations/flows/faq.py``) shows an entry the same way. nonsense -> the menu;
greeting -> greeting + menu; thanks -> a short reply; abuse -> a polite reply + menu. Otherwise:
several questions in one message are answered part by part, a question about which focus area
a practice belongs to by the area matcher (``conversations.answer_parts``), and one question by
the unit of the notice that answers it, or honestly declined (``conversations.answer_text``).
"""

from __future__ import annotations

from conversations import texts
from conversations.answer_parts import area_answer, several
from conversations.answer_text import Answer, Kind, entry_text, single, unanswered
from conversations.core import Context, Reply
from conversations.menu import doc, menu_reply
from knowledge.intent import Intent, read

__all__ = ["Answer", "answer", "entry_text", "unanswered"]

SMALL_TALK: frozenset[str] = frozenset({"greeting", "thanks", "abuse", "nonsense"})


def _small_talk_reply(ctx: Context, kind: Kind) -> Reply:
    if kind == "thanks":
        return Reply(text=texts.THANKS_REPLY)
    if kind == "greeting":
        return menu_reply(texts.GREETING.format(bot=texts.BOT_NAME, **doc(ctx)))
    if kind == "abuse":
        return menu_reply(texts.FAQ_ABUSE.format(**doc(ctx)))
    return menu_reply(texts.NOT_UNDERSTOOD)


def answer(ctx: Context, text: str, intent: Intent | None = None) -> Answer:
    """Answer free text from the notice, part by part when it asks several things.

    ``intent``: the router's one reading of the text (read here when called on its own)."""
    kind = (intent or read(text)).kind
    if kind in SMALL_TALK:
        return Answer(_small_talk_reply(ctx, kind), None, None, 0.0, True, kind)
    if (multi := several(ctx, text)) is not None:
        return multi
    result = ctx.faq.classify(text)
    if (area := area_answer(ctx, text, result)) is not None:
        return area
    return single(ctx, text, result)
