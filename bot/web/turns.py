"""One web turn: the visitor is always an enterprise contact speaking on the web channel."""

from __future__ import annotations

from bot.service import ChatService
from bot.web.sessions import is_web_chat
from conversations.core import Actor, Event, Reply


def web_actor(chat_id: int) -> Actor:
    """A web visitor: an enterprise, never an organizer or admin, whatever the request says."""
    if not is_web_chat(chat_id):
        raise ValueError(f"not a web chat id: {chat_id}")
    return Actor(user_id=chat_id, chat_id=chat_id, role="enterprise", channel="web")


def web_turn(service: ChatService, chat_id: int, event: Event) -> list[Reply]:
    return service.handle(web_actor(chat_id), event)
