"""``biaogan ask``: one question through the router, as a newcomer at the menu would ask it."""

from __future__ import annotations

from typing import Any

from conversations import router
from conversations.core import Actor, Basis, ChatState, Context, TextEvent, Turn

SCRIPT_ACTOR = Actor(user_id=0, chat_id=0, channel="console")


def ask_record(ctx: Context, record: dict[str, Any]) -> dict[str, Any]:
    """``{"id", "q"}`` -> ``{"id", "reply", "clause", "entry", "score", "buttons", "kind"}``."""
    question = record.get("q")
    if not isinstance(question, str):
        raise ValueError("field 'q': expected a string")
    turn = Turn(actor=SCRIPT_ACTOR, state=ChatState())
    outcome = router.handle(ctx, turn, TextEvent(text=question))
    basis = outcome.basis or Basis()
    return {
        "id": record.get("id"),
        "reply": "\n\n".join(reply.text for reply in outcome.replies),
        "clause": basis.clause,
        "entry": basis.entry,
        "score": round(basis.score, 4),
        "buttons": [b.label for reply in outcome.replies for row in reply.buttons for b in row],
        "kind": outcome.kind or "nonsense",
    }
