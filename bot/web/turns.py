"""One web turn: the visitor is always an enterprise contact speaking on the web channel."""

from __future__ import annotations

from bot.service import ChatService
from bot.web.sessions import is_web_chat
from conversations.core import Event, Reply

try:  # the core restructuring (issue 8) brings the Actor; until it lands, handle(chat_id, …)
    from conversations.core import Actor  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - removed once the core commit is merged
    Actor = None


def web_turn(service: ChatService, chat_id: int, event: Event) -> list[Reply]:
    """Run ``event`` for a web chat; the actor's role never comes from the request."""
    if not is_web_chat(chat_id):
        raise ValueError(f"not a web chat id: {chat_id}")
    if Actor is None:
        return service.handle(chat_id, event)
    actor = Actor(user_id=chat_id, chat_id=chat_id, role="enterprise", channel="web")
    return service.handle(actor, event)  # type: ignore[arg-type]
