"""One chat turn for any channel: who is speaking, the chat's state, the flows, one transaction."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime

from bot.config import Settings
from bot.store import Store, StoreError
from conversations import router, texts
from conversations.core import (
    Actor,
    Channel,
    Context,
    Event,
    ForgetUser,
    Reply,
    Turn,
    now_shanghai,
)
from knowledge import load_knowledge

log = logging.getLogger(__name__)

TOUCH_EVERY = 600.0  # seconds between refreshes of a user's record (last_seen)
UserInfo = tuple[str | None, str | None]  # (username, first name)


class ChatService:
    """The conversations layer bound to a store; shared by every channel."""

    def __init__(self, ctx: Context, store: Store, settings: Settings | None = None) -> None:
        self.ctx = ctx
        self.store = store
        self.admin_ids = frozenset(settings.admin_ids if settings else ())
        self._touched: dict[int, tuple[UserInfo, float]] = {}

    @classmethod
    def open(cls, settings: Settings, clock: Callable[[], datetime] = now_shanghai) -> ChatService:
        """Load the knowledge and open the store, once, sharing one clock."""
        ctx = Context(kb=load_knowledge(), clock=clock)
        return cls(ctx, Store(settings.db_path, clock=clock), settings)

    def actor(self, chat_id: int, user_id: int, channel: Channel = "telegram") -> Actor:
        """Who is speaking: admins from the settings (Telegram only), else an enterprise."""
        role = "admin" if channel == "telegram" and user_id in self.admin_ids else "enterprise"
        return Actor(user_id=user_id, chat_id=chat_id, role=role, channel=channel)

    def handle(self, actor: Actor, event: Event, user: UserInfo | None = None) -> list[Reply]:
        """One turn: load, route, and commit the new state with every effect, or nothing."""
        chat_id = actor.chat_id
        try:
            with self.store.transaction():
                self._touch(actor, user)
                state = self.store.load_state(chat_id)
                turn = Turn(actor=actor, state=state, profile=self.store.profile(chat_id))
                outcome = router.handle(self.ctx, turn, event)
                if outcome.state != state:  # most questions leave the state as it was
                    self.store.save_state(chat_id, outcome.state)
                for effect in outcome.effects:
                    self.store.apply(chat_id, effect)
                    if isinstance(effect, ForgetUser):  # the user row is gone: touch anew
                        self._touched.pop(chat_id, None)
        except (sqlite3.Error, StoreError):
            log.exception("chat %s: turn rolled back (%s)", chat_id, type(event).__name__)
            self._touched.pop(chat_id, None)
            return [Reply(text=texts.TURN_NOT_SAVED)]
        return outcome.replies

    def _touch(self, actor: Actor, user: UserInfo | None) -> None:
        """Record the user, at most every TOUCH_EVERY seconds per chat."""
        info = user or (None, None)
        seen = self._touched.get(actor.chat_id)
        now = time.monotonic()
        if seen is None or seen[0] != info or now - seen[1] > TOUCH_EVERY:
            self.store.touch_user(
                actor.chat_id, user_id=actor.user_id, username=info[0], first_name=info[1]
            )
            self._touched[actor.chat_id] = (info, now)

    def close(self) -> None:
        self.store.close()
