"""One chat turn for any channel: who is speaking, the chat's state, the flows, one transaction."""

from __future__ import annotations

import gc
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
    CreateBroadcast,
    Event,
    ForgetUser,
    GrantOrganizer,
    Reply,
    RevokeOrganizer,
    Turn,
    UseInvite,
    no_calendars,
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
        if ctx.calendars is no_calendars:  # the organizer-set calendars live in the store
            ctx.calendars = store.year_calendar
        self.admin_ids = frozenset(settings.admin_ids if settings else ())
        store.admin_ids = self.admin_ids
        self._touched: dict[int, tuple[UserInfo, float]] = {}
        self.role_changes: set[int] = set()  # users whose command list needs refreshing
        self.broadcasts_queued = 0  # confirmed broadcasts (the sender wakes on a change)

    @classmethod
    def open(cls, settings: Settings, clock: Callable[[], datetime] = now_shanghai) -> ChatService:
        """Load the knowledge and open the store, once, sharing one clock."""
        ctx = Context(kb=load_knowledge(), clock=clock)
        store = Store(settings.db_path, clock=clock, admin_ids=settings.admin_ids)
        return cls(ctx, store, settings)

    def warm(self) -> None:
        """Build the matchers now (not on the first question), then hand what start-up loaded
        to the collector's permanent generation: it lives as long as the process, and a full
        collection no longer scans it (every update in flight would wait for that scan)."""
        _ = self.ctx.faq, self.ctx.areas
        gc.collect()
        gc.freeze()

    def actor(self, chat_id: int, user_id: int, channel: Channel = "telegram") -> Actor:
        """Who is speaking, resolved afresh every turn (a revoked organizer loses access at
        once): admins from the settings, organizers from the store (Telegram only)."""
        if channel != "telegram":
            return Actor(user_id=user_id, chat_id=chat_id, channel=channel)
        if user_id in self.admin_ids:
            return Actor(user_id=user_id, chat_id=chat_id, role="admin", scope="province")
        found = self.store.organizer(user_id)
        if found is None:
            return Actor(user_id=user_id, chat_id=chat_id, channel=channel)
        role, scope = found
        return Actor(user_id=user_id, chat_id=chat_id, role=role, scope=scope, channel=channel)

    def handle(self, actor: Actor, event: Event, user: UserInfo | None = None) -> list[Reply]:
        """One turn: load, route, and commit the new state with every effect, or nothing."""
        chat_id = actor.chat_id
        try:
            with self.store.transaction():
                self._touch(actor, user)
                state = self.store.load_state(chat_id)
                profile = self.store.profile(chat_id)
                turn = Turn(actor=actor, state=state, profile=profile, records=self.store)
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
        self._note(outcome.effects)
        return outcome.replies

    def _note(self, effects: list) -> None:
        """After the commit: whose command list changed, whether a broadcast is queued."""
        for effect in effects:
            if isinstance(effect, GrantOrganizer | RevokeOrganizer | UseInvite | ForgetUser):
                self.role_changes.add(effect.user_id)  # /forget also ends an appointment
            elif isinstance(effect, CreateBroadcast):
                self.broadcasts_queued += 1

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
