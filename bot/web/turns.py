"""One web turn: the person behind a web session, speaking on the web channel."""

from __future__ import annotations

from bot.service import ChatService, Turned
from bot.web.sessions import is_web_chat
from conversations.core import Actor, Event


def web_actor(chat_id: int) -> Actor:
    """A web session as an actor before the store resolves its person (``web_turn`` does)."""
    if not is_web_chat(chat_id):
        raise ValueError(f"not a web chat id: {chat_id}")
    return Actor(user_id=chat_id, chat_id=chat_id, channel="web")


def web_turn(service: ChatService, chat_id: int, event: Event) -> Turned:
    """The turn of a web session: its person and role come from the store, as everywhere."""
    web_actor(chat_id)  # refuse an id outside the web's range
    return service.handle(service.actor(chat_id, chat_id, channel="web"), event)
