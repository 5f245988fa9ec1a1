"""One chat turn for any channel: load the chat's state, run the flows, save, record effects."""

from __future__ import annotations

from bot.config import Settings
from bot.store import Store
from conversations import router
from conversations.core import Context, Event, Reply
from knowledge import load_knowledge


class ChatService:
    """The conversations layer bound to a store; shared by the Telegram and console adapters."""

    def __init__(self, ctx: Context, store: Store) -> None:
        self.ctx = ctx
        self.store = store

    @classmethod
    def open(cls, settings: Settings) -> ChatService:
        """Load the knowledge and open the store, once."""
        return cls(Context(kb=load_knowledge()), Store(settings.db_path))

    def handle(self, chat_id: int, event: Event) -> list[Reply]:
        state = self.store.load_state(chat_id)
        outcome = router.handle(self.ctx, state, event)
        if outcome.state != state:  # most questions leave the state as it was
            self.store.save_state(chat_id, outcome.state)
        if outcome.effects:
            self.store.apply_effects(chat_id, outcome.effects)
        return outcome.replies

    def close(self) -> None:
        self.store.close()
