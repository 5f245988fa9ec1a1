"""The Telegram handlers: each unpacks an update into an ``Event``, runs one turn of the
``ChatService`` on the event loop, and renders the replies (``bot.telegram.render``)."""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, Update, User
from telegram.constants import ChatType, ParseMode
from telegram.error import NetworkError, TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes

from bot.broadcast.sender import BroadcastSender, SenderConfig
from bot.config import Settings
from bot.service import ChatService
from bot.telegram.limits import ChatLocks, FloodGate, Limits
from bot.telegram.render import addressed, send_replies, strip_mention
from conversations import texts
from conversations.core import (
    CallbackEvent,
    CommandEvent,
    Event,
    OtherEvent,
    Reply,
    TextEvent,
)
from conversations.router import COMMANDS, commands_for

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

# Non-text message kinds, most specific first: an animation also carries a document, a venue a
# location. Anything else a user can send is reported as "other".
MESSAGE_KINDS = (
    "photo", "sticker", "voice", "video_note", "video", "animation", "audio", "document",
    "venue", "location", "contact", "poll", "dice", "game", "story", "invoice",
)  # fmt: skip


class TelegramAdapter:
    """The handlers; holds the service and the Telegram-only state (flood gate, chat locks)."""

    def __init__(self, settings: Settings, service: ChatService | None, limits: Limits) -> None:
        self.settings = settings
        self.limits = limits
        self.flood = FloodGate(limits.flood_burst, limits.flood_per_second)
        self.chat_locks = ChatLocks()
        self.owned = service is None
        self._service = service
        self.sender: BroadcastSender | None = None
        self._sender_task: asyncio.Task | None = None
        self.interactive = 0  # turns being handled and answered right now (the sender yields)
        self._queued_seen = 0

    @property
    def service(self) -> ChatService:
        if self._service is None:
            raise RuntimeError("the service is opened in post_init")
        return self._service

    # ---- resources (post_init / post_shutdown) -----------------------------------------------

    async def post_init(self, application: Application) -> None:
        """Open the service once, register the command list, say where we are connected."""
        if self._service is None:
            self._service = ChatService.open(self.settings)
        self._service.ctx.bot_username = application.bot.username or ""
        commands = [BotCommand(name, description) for name, description in COMMANDS.items()]
        try:
            await application.bot.set_my_commands(commands)
        except TelegramError as exc:  # the bot works without the command menu
            log.warning("could not register the command list: %s", exc)
        store = self._service.store
        people = {*self._service.admin_ids, *(row["user_id"] for row in store.organizers())}
        for user_id in sorted(people | set(store.revoked_organizers())):
            await self.refresh_commands(application.bot, user_id)
        self._start_sender(application.bot)
        rate = self.limits.overall_per_second
        log.info(
            "connected as @%s to %s; send rate %s",
            application.bot.username,
            self.settings.telegram_base_url,
            f"{rate:g}/s" if rate else "uncapped",
        )

    def _start_sender(self, bot: Bot) -> None:
        limits, settings = self.limits, self.settings
        config = SenderConfig.for_rate(
            limits.overall_per_second,
            paid=settings.paid_broadcast,
            backoff=limits.broadcast_backoff,
            max_attempts=limits.broadcast_attempts,
            progress_every=limits.broadcast_progress_every,
            idle_poll=limits.broadcast_idle_poll,
        )
        self.sender = BroadcastSender(
            self.service.store, bot, config, busy=lambda: self.interactive
        )
        self._sender_task = asyncio.create_task(self.sender.run(), name="broadcast-sender")

    async def post_stop(self, application: Application) -> None:
        """Stop the sender before the bot's connections close (a claimed delivery stays
        ``sending`` and is sent again at the next start, counted)."""
        if self._sender_task is not None:
            self._sender_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sender_task
            self._sender_task = None

    async def refresh_commands(self, bot: Bot, user_id: int) -> None:
        """The command list of one person's private chat: organizer or admin commands, or
        back to everyone's."""
        scope = BotCommandScopeChat(chat_id=user_id)
        found = self.service.store.organizer(user_id)
        try:
            if user_id in self.service.admin_ids or found is not None:
                role = "admin" if user_id in self.service.admin_ids else "organizer"
                commands = [BotCommand(n, d) for n, d in commands_for(role).items()]
                await bot.set_my_commands(commands, scope=scope)
            else:
                await bot.delete_my_commands(scope=scope)
        except TelegramError as exc:
            log.warning("could not set the command list of %s: %s", user_id, exc)

    async def post_shutdown(self, application: Application) -> None:
        if self.owned and self._service is not None:
            self._service.close()
            self._service = None

    # ---- admission: group -1 -----------------------------------------------------------------

    async def admit(self, update: Update, context: Context) -> None:
        """Let through what the bot should answer; stop the rest (ApplicationHandlerStop)."""
        chat, user, query = update.effective_chat, update.effective_user, update.callback_query
        if chat is None or user is None or user.is_bot:
            if query is not None:
                await query.answer()
            raise ApplicationHandlerStop
        in_group = chat.type != ChatType.PRIVATE
        if query is None and in_group and not addressed(update.effective_message, context.bot):
            raise ApplicationHandlerStop
        verdict = self.flood.admit(user.id)
        if verdict == "ok":
            return
        log.info("user %s throttled (%s)", user.id, verdict)
        if query is not None:
            await query.answer(texts.TG_SLOW_DOWN if verdict == "warn" else None)
        elif verdict == "warn":
            async with self.chat_locks.hold(chat.id):  # after the replies already under way
                await send_replies(context.bot, chat.id, [Reply(text=texts.TG_SLOW_DOWN)])
        raise ApplicationHandlerStop

    # ---- handlers: group 0 -------------------------------------------------------------------

    async def on_callback(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None and update.effective_chat is not None
        await query.answer()
        origin = query.message.message_id if query.message is not None else None
        event = CallbackEvent(data=query.data if isinstance(query.data, str) else "")
        await self.respond(update, context.bot, event, edit_message_id=origin)

    async def on_edited(self, update: Update, context: Context) -> None:
        assert update.effective_chat is not None
        await send_replies(context.bot, update.effective_chat.id, [Reply(text=texts.TG_EDITED)])

    async def on_command(self, update: Update, context: Context) -> None:
        message = update.effective_message
        assert message is not None and message.text is not None
        word, _, args = message.text.strip().partition(" ")
        name = word.lstrip("/").partition("@")[0].lower()
        await self.respond(update, context.bot, CommandEvent(name=name, args=args.strip()))

    async def on_text(self, update: Update, context: Context) -> None:
        message = update.effective_message
        assert message is not None and message.text is not None
        text = strip_mention(message.text, context.bot.username)
        await self.respond(update, context.bot, TextEvent(text=text))

    async def on_other(self, update: Update, context: Context) -> None:
        message = update.effective_message
        assert message is not None
        kind = next((k for k in MESSAGE_KINDS if getattr(message, k, None)), "other")
        await self.respond(update, context.bot, OtherEvent(what=kind))

    async def on_error(self, update: object, context: Context) -> None:
        """Log the update and the traceback; tell the user something short and true."""
        if update is None and isinstance(context.error, NetworkError):
            log.warning("polling Telegram failed (%s); PTB retries", context.error)
            return
        described = json.dumps(
            update.to_dict() if isinstance(update, Update) else str(update), ensure_ascii=False
        )
        log.error("error while handling update %s", described, exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            with contextlib.suppress(TelegramError):
                await context.bot.send_message(
                    update.effective_chat.id,
                    html.escape(texts.ERROR_GENERIC, quote=False),
                    parse_mode=ParseMode.HTML,
                )

    # ---- one turn: event in, replies out -------------------------------------------------------

    async def respond(
        self, update: Update, bot: Bot, event: Event, *, edit_message_id: int | None = None
    ) -> None:
        """Run one turn and send its replies, one chat at a time (in order)."""
        chat = update.effective_chat
        assert chat is not None
        self.interactive += 1
        try:
            async with self.chat_locks.hold(chat.id):
                replies = self.turn(chat.id, update.effective_user, event)
                await send_replies(bot, chat.id, replies, edit_message_id=edit_message_id)
        finally:
            self.interactive -= 1
        await self._after_turn(bot)

    async def _after_turn(self, bot: Bot) -> None:
        """Roles changed: refresh those command lists; a broadcast confirmed: wake the sender."""
        service = self.service
        while service.role_changes:
            await self.refresh_commands(bot, service.role_changes.pop())
        if service.broadcasts_queued != self._queued_seen and self.sender is not None:
            self._queued_seen = service.broadcasts_queued
            self.sender.wake()

    def turn(self, chat_id: int, user: User | None, event: Event) -> list[Reply]:
        """The turn itself: about a millisecond of work, on the event loop."""
        user_id = user.id if user is not None else chat_id
        actor = self.service.actor(chat_id, user_id)
        info = (user.username, user.first_name) if user is not None else None
        return self.service.handle(actor, event, info)
