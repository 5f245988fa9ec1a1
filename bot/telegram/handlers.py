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

from bot.config import Settings
from bot.dispatch import Budget, Dispatcher
from bot.service import ChatService, Turned
from bot.store import Store
from bot.telegram.limits import ChatLocks, FloodGate, Limits, telegram_pace
from bot.telegram.render import addressed, send_replies, strip_mention
from bot.telegram.transport import TelegramTransport
from conversations import texts
from conversations.commands import COMMANDS, commands_for
from conversations.core import (
    CallbackEvent,
    CommandEvent,
    DocumentEvent,
    Event,
    OtherEvent,
    Reply,
    TextEvent,
)

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

# Non-text message kinds, most specific first: an animation also carries a document, a venue a
# location. Anything else a user can send is reported as "other".
MESSAGE_KINDS = (
    "photo", "sticker", "voice", "video_note", "video", "animation", "audio", "document",
    "venue", "location", "contact", "poll", "dice", "game", "story", "invoice",
)  # fmt: skip


class TelegramAdapter:
    """The handlers; holds the service and the Telegram-only state (flood gate, chat locks).

    The process's dispatcher (``bot.runtime``) is handed in by ``biaogan run``; a Telegram-only
    start (tests, the fake Bot API server by hand) makes one in ``post_init``, with the web
    transport beside Telegram's, and stops it in ``post_stop``."""

    def __init__(
        self,
        settings: Settings,
        service: ChatService | None,
        limits: Limits,
        dispatcher: Dispatcher | None = None,
    ) -> None:
        self.settings = settings
        self.limits = limits
        self.flood = FloodGate(limits.flood_burst, limits.flood_per_second)
        self.chat_locks = ChatLocks()
        self.owned = service is None
        self._service = service
        self.budget = Budget(telegram_pace(limits))  # replies, and the outbox unless paid
        self.transport: TelegramTransport | None = None
        self.dispatcher = dispatcher
        self._owns_dispatcher = False

    @property
    def service(self) -> ChatService:
        if self._service is None:
            raise RuntimeError("the service is opened in post_init")
        return self._service

    # ---- resources (post_init / post_stop / post_shutdown) -------------------------------------

    async def post_init(self, application: Application) -> None:
        """Open the service once, register the command lists, start the dispatcher when the
        process has not, say where we are connected."""
        if self._service is None:
            self._service = ChatService.open(self.settings)
        self._service.ctx.bot_username = application.bot.username or ""
        if isinstance(self._service, ChatService):  # (tests may stand in a service without)
            self._service.warm()
        commands = [BotCommand(name, description) for name, description in COMMANDS.items()]
        try:
            await application.bot.set_my_commands(commands)
        except TelegramError as exc:  # the bot works without the command menu
            log.warning("could not register the command list: %s", exc)
        store = self._service.store
        if isinstance(store, Store):  # (tests may stand in a service without one)
            for user_id in sorted(self._staff(store)):
                await self.refresh_commands(application.bot, user_id)
            if self.dispatcher is None:
                from bot.runtime import make_dispatcher, web_transport

                transports = [self.telegram_transport(application.bot), web_transport(self.service)]
                self.dispatcher = make_dispatcher(self._service, transports, self.limits.knobs())
                self._owns_dispatcher = True
                self.dispatcher.start()
        rate = self.limits.overall_per_second
        log.info(
            "connected as @%s to %s; send rate %s",
            application.bot.username,
            self.settings.telegram_base_url,
            f"{rate:g}/s" if rate else "uncapped",
        )

    def telegram_transport(self, bot: Bot) -> TelegramTransport:
        """Telegram's transport, sharing the one budget with the rate limiter — except for
        paid broadcasts (``BIAOGAN_PAID_BROADCAST``), which Telegram lets past its free limits
        up to 1,000/s: the outbox then has that budget of its own, and replies keep theirs."""
        if self.transport is None:
            paid = self.settings.paid_broadcast
            budget = Budget(telegram_pace(self.limits, paid=True)) if paid else self.budget
            self.transport = TelegramTransport(bot, budget.pace, paid=paid, budget=budget)
        return self.transport

    def _staff(self, store: Store) -> set[int]:
        """Telegram users whose command list may differ from everyone's."""
        people = [row["person_id"] for row in store.organizers()] + store.revoked_organizers()
        ids = {uid for person in people for uid in store.telegram_ids(person)}
        return ids | set(store.admin_telegram_ids)

    async def post_stop(self, application: Application) -> None:
        """Stop a dispatcher this adapter started, before the bot's connections close (a row
        in flight stays ``sending`` and goes again at the next start, counted)."""
        if self._owns_dispatcher and self.dispatcher is not None:
            await self.dispatcher.stop()
            self.dispatcher = None
            self._owns_dispatcher = False

    async def refresh_commands(self, bot: Bot, user_id: int) -> None:
        """The command list of one person's private chat: organizer or admin commands, or
        back to everyone's."""
        scope = BotCommandScopeChat(chat_id=user_id)
        store = self.service.store
        found = store.destination("telegram", str(user_id))
        role = store.role(found["person_id"]) if found and found["person_id"] else None
        if role is None and user_id in store.admin_telegram_ids:
            role = ("admin", "province")
        try:
            if role is not None:
                commands = [BotCommand(n, d) for n, d in commands_for(role[0]).items()]
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

    async def on_document(self, update: Update, context: Context) -> None:
        """A file sent in the chat: a case draft (.docx or .pdf, read by its content, at most
        DRAFT_BYTES) goes to the draft check as the web page's upload does; the file is not
        kept. A file refused, or not fetched from Telegram, gets the reason in one sentence."""
        from bot.uploads import DRAFT_BYTES, UploadRefused, draft_text, shown_name

        message = update.effective_message
        assert message is not None and message.document is not None and message.chat
        document = message.document
        refused = texts.WEB_UPLOAD_REFUSED
        mb = DRAFT_BYTES >> 20
        if (document.file_size or 0) > DRAFT_BYTES:  # Telegram says the size: not fetched
            await send_replies(
                context.bot, message.chat.id, [Reply(text=refused["too_large"].format(mb=mb))]
            )
            return
        try:
            fetched = await context.bot.get_file(document.file_id)
            content = bytes(await fetched.download_as_bytearray())
            text = await asyncio.to_thread(draft_text, content)
        except UploadRefused as exc:
            log.info("chat %s: upload refused (%s)", message.chat.id, exc.reason)
            reply = Reply(text=refused[exc.reason].format(mb=mb))
            await send_replies(context.bot, message.chat.id, [reply])
            return
        except TelegramError as exc:
            log.warning("chat %s: a document was not fetched (%s)", message.chat.id, exc)
            await send_replies(
                context.bot, message.chat.id, [Reply(text=texts.TG_FILE_NOT_FETCHED)]
            )
            return
        event = DocumentEvent(name=shown_name(document.file_name or ""), text=text)
        await self.respond(update, context.bot, event)

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
        async with self.chat_locks.hold(chat.id):
            turned = self.turn(chat.id, update.effective_user, event)
            replies = await self.service.finish(turned.replies)
            await send_replies(bot, chat.id, replies, edit_message_id=edit_message_id)
        for user_id in sorted(turned.command_lists):  # only those whose role changed
            await self.refresh_commands(bot, user_id)

    def turn(self, chat_id: int, user: User | None, event: Event) -> Turned:
        """The turn itself: about a millisecond of work, on the event loop."""
        user_id = user.id if user is not None else chat_id
        actor = self.service.actor(chat_id, user_id)
        info = (user.username, user.first_name) if user is not None else None
        return self.service.handle(actor, event, info)
