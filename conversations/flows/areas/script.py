"""Scriptable area suggestion: ``biaogan areas --jsonl`` records in, ranked areas out."""

from __future__ import annotations

import functools
from typing import Any

from conversations.core import Context
from conversations.flows.areas.render import suggestion_reply
from knowledge import load_knowledge


@functools.cache
def _default_context() -> Context:
    return Context(kb=load_knowledge())


def areas_record(obj: Any, ctx: Context | None = None) -> dict[str, Any]:
    """``{"id", "text"}`` -> ``{"id", "areas": [{"number", "title", "score"}…], "reply"}``.

    All ten areas are listed, best first. A malformed record raises ValueError naming the field.
    """
    ctx = ctx or _default_context()
    if not isinstance(obj, dict):
        raise ValueError("record must be a JSON object with fields 'id' and 'text'")
    if "id" not in obj:
        raise ValueError("field 'id' is missing")
    if not isinstance(obj["id"], str | int) or isinstance(obj["id"], bool):
        raise ValueError("field 'id' must be a string or an integer")
    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError("field 'text' is missing or not a string")
    suggestion = ctx.areas.suggest(text)
    ranked = [
        {"number": s.number, "title": s.area.title, "score": s.score} for s in suggestion.ranked
    ]
    return {"id": obj["id"], "areas": ranked, "reply": suggestion_reply(ctx.kb, suggestion).text}
