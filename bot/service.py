"""One chat turn for any channel: who is speaking, the chat's state, the flows, one transaction.

``handle`` returns a ``Turned``: the replies and what the turn changed that a channel must act
on (whose Telegram command list to refresh, whether outbox rows were queued for the dispatcher,
whether the chat was forgotten) — a value of the turn, not a field another channel drains.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.config import Settings
from bot.ops import observe
from bot.store import Store, StoreError
from conversations import router, texts
from conversations.contacts import no_contact_cards
from conversations.core import (
    Actor,
    Attachment,
    Channel,
    Context,
    CreateBroadcast,
    Event,
    ForgetUser,
    GrantOrganizer,
    RemoveCalendarDate,
    Reply,
    RequestMail,
    RevokeOrganizer,
    SetCalendarDate,
    Subscribe,
    Turn,
    UseInvite,
    no_calendars,
    no_local_answers,
    now_shanghai,
)
from knowledge import load_knowledge

log = logging.getLogger(__name__)

TOUCH_EVERY = 600.0  # seconds between refreshes of a user's record (last_seen)
UserInfo = tuple[str | None, str | None]  # (username, first name)
QUEUEING = (CreateBroadcast, SetCalendarDate, RemoveCalendarDate, Subscribe, RequestMail)


@dataclass(frozen=True)
class Turned:
    """One turn's result: the replies, and what the channels must act on."""

    replies: list[Reply]
    command_lists: frozenset[int] = frozenset()  # Telegram users whose role may have changed
    queued: bool = False  # outbox rows were written (a broadcast, reminders): wake the dispatcher
    forgotten: bool = False  # the chat and its person were deleted (/forget)


class ChatService:
    """The conversations layer bound to a store; shared by every channel."""

    def __init__(self, ctx: Context, store: Store, settings: Settings | None = None) -> None:
        self.ctx = ctx
        self.store = store
        self.settings = settings  # None: tests and benchmarks that build the parts themselves
        if ctx.calendars is no_calendars:  # the organizer-set calendars live in the store
            ctx.calendars = store.year_calendar
        if ctx.contact_cards is no_contact_cards:  # the organizers' contact cards, per scope
            ctx.contact_cards = store.contact_cards
        if ctx.local_answers is no_local_answers:  # answers organizers published, per scope
            ctx.local_answers = store.local_answers_for
        if ctx.scope_calendars is None:  # and each organizer's own
            ctx.scope_calendars = store.year_calendar
        self._touched: dict[int, tuple[UserInfo, float]] = {}
        self.dispatcher: Any = None  # bot.dispatch.Dispatcher, woken when a turn queues rows

    @classmethod
    def open(cls, settings: Settings, clock: Callable[[], datetime] = now_shanghai) -> ChatService:
        """Load the knowledge and open the store, once, sharing one clock."""
        mail = "smtp" if settings.mail_configured else "log"
        ctx = Context(kb=load_knowledge(), clock=clock, mail=mail)
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
        """Who is speaking, resolved afresh every turn from the store (a revoked organizer
        loses access at once): the person behind the contact point, and their role."""
        address = str(user_id) if channel == "telegram" else str(chat_id)
        kind = "console" if channel == "console" else "person"
        person = self.store.person_of(channel, address, kind=kind)
        found = self.store.role(person)
        if found is None:
            return Actor(user_id=user_id, chat_id=chat_id, person_id=person, channel=channel)
        role, scope = found
        return Actor(
            user_id=user_id,
            chat_id=chat_id,
            person_id=person,
            role=role,  # type: ignore[arg-type]
            scope=scope,
            channel=channel,
        )

    def handle(self, actor: Actor, event: Event, user: UserInfo | None = None) -> Turned:
        """One turn: load, route, and commit the new state with every effect, or nothing."""
        chat_id = actor.chat_id
        began = time.perf_counter()
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
            observe.turn(actor.channel, chat_id, event, time.perf_counter() - began, replies=1,
                         ok=False)  # fmt: skip
            return Turned([Reply(text=texts.TURN_NOT_SAVED)])
        turned = _turned(actor, outcome.replies, outcome.effects)
        observe.turn(actor.channel, chat_id, event, time.perf_counter() - began,
                     replies=len(turned.replies), ok=True)  # fmt: skip
        if turned.queued and self.dispatcher is not None:
            self.dispatcher.wake()
        return turned

    def forget(self, actor: Actor) -> Turned:
        """Forget a chat outside a conversation (the web's 清除记录 button): the same store path
        as the /forget flow's confirmation, in one transaction."""
        with self.store.transaction():
            self.store.forget(actor.chat_id, actor.user_id)
        self._touched.pop(actor.chat_id, None)
        return _turned(actor, [], [ForgetUser(user_id=actor.user_id)])

    async def finish(self, replies: list[Reply]) -> list[Reply]:
        """The replies with their deferred files rendered (a chart, a CSV), each in a worker
        thread so other chats are answered meanwhile."""
        if not _deferred(replies):
            return replies
        done = []
        for reply in replies:
            file = reply.file
            if file is not None and file.deferred is not None:
                content = await asyncio.to_thread(render_file, file, self.ctx)
                ready = file.model_copy(update={"content": content, "deferred": None})
                reply = reply.model_copy(update={"file": ready})
            done.append(reply)
        return done

    def finish_now(self, replies: list[Reply]) -> list[Reply]:
        """``finish`` for a caller without an event loop (the console chat)."""
        return asyncio.run(self.finish(replies)) if _deferred(replies) else replies

    def _touch(self, actor: Actor, user: UserInfo | None) -> None:
        """Record the user, at most every TOUCH_EVERY seconds per chat."""
        info = user or (None, None)
        seen = self._touched.get(actor.chat_id)
        now = time.monotonic()
        if seen is None or seen[0] != info or now - seen[1] > TOUCH_EVERY:
            self.store.touch_user(
                actor.chat_id,
                user_id=actor.user_id,
                person_id=actor.person_id,
                username=info[0],
                first_name=info[1],
            )
            self._touched[actor.chat_id] = (info, now)

    def close(self) -> None:
        self.store.close()


def _turned(actor: Actor, replies: list[Reply], effects: list) -> Turned:
    """What the committed effects mean for the channels."""
    command_lists: set[int] = set()
    for effect in effects:
        if isinstance(effect, GrantOrganizer | RevokeOrganizer):
            command_lists.add(effect.user_id)  # a Telegram user id, as the admin typed it
        elif isinstance(effect, UseInvite | ForgetUser) and actor.channel == "telegram":
            command_lists.add(actor.user_id)  # /forget also ends an appointment
    return Turned(
        replies=replies,
        command_lists=frozenset(command_lists),
        queued=any(isinstance(e, QUEUEING) for e in effects),
        forgotten=any(isinstance(e, ForgetUser) for e in effects),
    )


def _deferred(replies: list[Reply]) -> bool:
    return any(r.file is not None and r.file.deferred is not None for r in replies)


def render_file(file: Attachment, ctx: Context) -> bytes:
    """A deferred file's content (runs in a worker thread)."""
    assert file.deferred is not None
    from bot.reports import chart_png, export_csv

    match file.deferred.kind:
        case "chart":
            return chart_png(file.deferred.data)
        case "csv":
            return export_csv(file.deferred.data, ctx.kb)
    raise ValueError(f"no renderer for {file.deferred.kind!r}")
