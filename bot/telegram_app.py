"""The Telegram adapter: python-telegram-bot 22 over the conversations layer.

Handlers are thin: each unpacks an update into an ``Event``, hands it to ``ChatService`` and
renders the replies (HTML with everything escaped, inline keyboards, edits in place, long texts
split). What only Telegram needs lives here too: group addressing, per-user flood throttling,
retries towards the Bot API, and the one error handler. ``build_application`` builds it all.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import html
import json
import logging
import multiprocessing
import sys
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Literal

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    Update,
    User,
)
from telegram.constants import ChatAction, ChatType, MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Settings
from bot.service import ChatService
from bot.service_process import InlineService, ServiceProcess, ServiceRunner, Turns
from conversations import texts
from conversations.core import (
    Button,
    CallbackEvent,
    CommandEvent,
    Event,
    OtherEvent,
    Reply,
    TextEvent,
)
from conversations.router import COMMANDS

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
MAX_MESSAGE_CHARS = MessageLimit.MAX_TEXT_LENGTH  # 4096
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# Non-text message kinds, most specific first: an animation also carries a document, a venue a
# location. Anything else a user can send is reported as "other".
MESSAGE_KINDS = (
    "photo", "sticker", "voice", "video_note", "video", "animation", "audio", "document",
    "venue", "location", "contact", "poll", "dice", "game", "story", "invoice",
)  # fmt: skip


@dataclass(frozen=True)
class Limits:
    """The adapter's knobs. Defaults are for production; tests and benchmarks vary them."""

    # Run the ChatService (FAQ matching, SQLite) in a child process: the event loop stays free
    # for other chats and for "typing…", and the work uses another core. Needs fork (Linux);
    # False, or no fork: the service runs on the event loop (a turn takes about 1 ms).
    service_process: bool = True
    flood_burst: int = 10  # messages a user may send in a burst
    flood_per_second: float = 1.0  # sustained rate a user's bucket refills at
    overall_per_second: float = 30  # Telegram: ~30 messages/s per bot (0: no limit)
    group_per_minute: float = 20  # Telegram: 20 messages/minute per group (0: no limit)
    retry_after_retries: int = 3  # times a 429 is waited out and the call repeated
    network_retries: int = 2  # times a network error or timeout is retried
    network_backoff: float = 0.5  # seconds before the first network retry (doubles)
    concurrent_updates: int = 4  # updates handled at once; 4 measured best (bench/throughput.py)
    typing_after: float = 0.5  # seconds of work before "typing…" is shown


# ---- the application -----------------------------------------------------------------------


def build_application(
    settings: Settings, service: ChatService | None = None, *, limits: Limits | None = None
) -> Application:
    """The bot: one Application, its handlers in order, its resources opened at start-up.

    ``service``: an already open ChatService (it is then called from the adapter's worker
    thread and not closed here); by default one is opened from ``settings`` in ``post_init``.
    """
    token = settings.telegram_token.get_secret_value().strip() if settings.telegram_token else ""
    if not token:
        raise ValueError("no Telegram token configured (BIAOGAN_TELEGRAM_TOKEN)")
    limits = limits or Limits()
    adapter = TelegramAdapter(settings, service, limits)
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(_file_url(settings.telegram_base_url))
        .rate_limiter(PatientRateLimiter(limits))
        .concurrent_updates(limits.concurrent_updates)
        # A handler's calls are sequential, so one connection per concurrent update is enough;
        # PTB's default pool of 256 costs a scan of idle connections on every request.
        .connection_pool_size(limits.concurrent_updates)
        .post_init(adapter.post_init)
        .post_shutdown(adapter.post_shutdown)
        .build()
    )
    adapter.runner.spawn()  # before any connection is open (see ServiceProcess.spawn)

    # Group -1 runs first for every update: drop what must not be answered (bots, channels,
    # group messages not addressed to us) and throttle floods. It stops the rest by raising
    # ApplicationHandlerStop.
    application.add_handler(TypeHandler(Update, adapter.admit), group=-1)
    # Group 0: the first matching handler wins, so the order below matters.
    # 1. Button presses (answered first, then handled; edits the message when the reply says so).
    application.add_handler(CallbackQueryHandler(adapter.on_callback))
    # 2. Edited messages, before the command and text handlers (which would also match them).
    application.add_handler(MessageHandler(filters.UpdateType.EDITED, adapter.on_edited))
    # 3. The commands of the command list (/start with a deep-link payload included)…
    application.add_handler(CommandHandler(list(COMMANDS), adapter.on_command))
    # 4. …and any other /command, which the router answers politely.
    application.add_handler(MessageHandler(filters.COMMAND, adapter.on_command))
    # 5. Free text: answers in a flow, else an FAQ question.
    application.add_handler(MessageHandler(filters.TEXT, adapter.on_text))
    # 6. Everything else a user can send: photo, sticker, voice, document, location, contact…
    application.add_handler(MessageHandler(filters.ALL, adapter.on_other))
    application.add_error_handler(adapter.on_error)
    return application


def run(settings: Settings) -> int:
    """``biaogan run``: long polling until interrupted. Exit code 2 without a usable token."""
    token = settings.telegram_token
    if token is None or not token.get_secret_value().strip():
        print(texts.TG_NO_TOKEN, file=sys.stderr)
        return 2
    application = build_application(settings)
    log.info("polling %s for updates", settings.telegram_base_url)
    try:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
    except InvalidToken:
        print(texts.TG_BAD_TOKEN, file=sys.stderr)
        return 2
    return 0


def _file_url(base_url: str) -> str:
    """``…/bot`` → ``…/file/bot`` (Telegram's layout, also a self-hosted Bot API server's)."""
    root, _, _ = base_url.rstrip("/").rpartition("/")
    return f"{root}/file/bot"


# ---- retries -------------------------------------------------------------------------------


class PatientRateLimiter(AIORateLimiter):
    """Telegram's rate limits (30/s overall, 20/min per group), 429s waited out and retried,
    and network errors and timeouts retried with backoff (a bad request is not retried)."""

    def __init__(self, limits: Limits) -> None:
        super().__init__(
            overall_max_rate=limits.overall_per_second,
            group_max_rate=limits.group_per_minute,
            max_retries=limits.retry_after_retries,
        )
        self._network_retries = limits.network_retries
        self._backoff = limits.network_backoff

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        delay = self._backoff
        for attempt in range(self._network_retries + 1):
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except BadRequest:
                raise
            except NetworkError as exc:  # TimedOut included
                if attempt == self._network_retries:
                    raise
                log.warning("%s failed (%s); retrying in %.1fs", endpoint, exc, delay)
                await asyncio.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")


# ---- flood throttling ----------------------------------------------------------------------


class FloodGate:
    """A token bucket per user: ``burst`` messages at once, refilled at ``rate`` per second.

    Over the limit a user gets one "slow down" ("warn"), then silence ("drop") until a token
    is back; other users are not affected.
    """

    MAX_TRACKED = 10_000

    def __init__(self, burst: int, rate: float, clock: Callable[[], float] = time.monotonic):
        self.burst = burst
        self.rate = rate
        self.clock = clock
        self._buckets: dict[int, tuple[float, float]] = {}  # user -> (tokens, when)
        self._warned: set[int] = set()

    def admit(self, user_id: int) -> Literal["ok", "warn", "drop"]:
        now = self.clock()
        tokens, when = self._buckets.get(user_id, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - when) * self.rate)
        if tokens >= 1:
            self._buckets[user_id] = (tokens - 1, now)
            self._warned.discard(user_id)
            if len(self._buckets) > self.MAX_TRACKED:
                self._forget_idle(now)
            return "ok"
        self._buckets[user_id] = (tokens, now)
        if user_id in self._warned:
            return "drop"
        self._warned.add(user_id)
        return "warn"

    def _forget_idle(self, now: float) -> None:
        """Drop buckets that have refilled completely: they hold nothing worth keeping."""
        for user_id, (tokens, when) in list(self._buckets.items()):
            if tokens + (now - when) * self.rate >= self.burst:
                del self._buckets[user_id]
                self._warned.discard(user_id)


class ChatLocks:
    """One lock per chat, so a chat's updates are handled and answered in order while other
    chats proceed; a lock is forgotten once nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, chat_id: int) -> AsyncIterator[None]:
        lock, users = self._locks.get(chat_id, (asyncio.Lock(), 0))
        self._locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat_id]
            if users == 1:
                del self._locks[chat_id]
            else:
                self._locks[chat_id] = (lock, users - 1)


# ---- the adapter ---------------------------------------------------------------------------


class TelegramAdapter:
    """The handlers and the renderer; holds the service runner and the Telegram-only state."""

    def __init__(self, settings: Settings, service: ChatService | None, limits: Limits) -> None:
        self.settings = settings
        self.limits = limits
        self.flood = FloodGate(limits.flood_burst, limits.flood_per_second)
        self.chat_locks = ChatLocks()
        owned = service is None

        def open_service() -> Turns:
            return Turns(ChatService.open(settings) if service is None else service, owned)

        use_process = limits.service_process and "fork" in multiprocessing.get_all_start_methods()
        self.runner: ServiceRunner = (
            ServiceProcess(open_service) if use_process else InlineService(open_service)
        )

    # ---- resources (post_init / post_shutdown) -----------------------------------------------

    async def post_init(self, application: Application) -> None:
        """Open the service once and register the command list with its Chinese descriptions."""
        await self.runner.start()
        commands = [BotCommand(name, description) for name, description in COMMANDS.items()]
        try:
            await application.bot.set_my_commands(commands)
        except TelegramError as exc:  # the bot works without the command menu
            log.warning("could not register the command list: %s", exc)

    async def post_shutdown(self, application: Application) -> None:
        await self.runner.stop()

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
                await self.render(context.bot, chat.id, [Reply(text=texts.TG_SLOW_DOWN)])
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
        await self.render(context.bot, update.effective_chat.id, [Reply(text=texts.TG_EDITED)])

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
        """Hand the event to the service and render its replies, one chat at a time."""
        chat = update.effective_chat
        assert chat is not None
        async with self.chat_locks.hold(chat.id):
            replies = await self.turn(bot, chat.id, update.effective_user, event)
            await self.render(bot, chat.id, replies, edit_message_id=edit_message_id)

    async def turn(self, bot: Bot, chat_id: int, user: User | None, event: Event) -> list[Reply]:
        """Run the event through the service, showing "typing…" while it takes longer than
        ``limits.typing_after`` (possible when the service runs in its own process).

        A single timer per turn, cancelled when the answer comes: most turns take about a
        millisecond and never start the typing loop."""
        who = (user.id, user.username, user.first_name) if user is not None else None
        loop = asyncio.get_running_loop()
        typing: list[asyncio.Task[None]] = []
        timer = loop.call_later(
            self.limits.typing_after,
            lambda: typing.append(loop.create_task(self._keep_typing(bot, chat_id))),
        )
        try:
            return await self.runner.call("turn", chat_id, who, event)
        finally:
            timer.cancel()
            for task in typing:
                task.cancel()

    async def _keep_typing(self, bot: Bot, chat_id: int) -> None:
        """Send "typing…" now and every 4.5 s (Telegram shows it for 5 s) until cancelled."""
        while True:
            with contextlib.suppress(TelegramError):
                await bot.send_chat_action(chat_id, ChatAction.TYPING)
            await asyncio.sleep(4.5)

    # ---- rendering -----------------------------------------------------------------------------

    async def render(
        self, bot: Bot, chat_id: int, replies: list[Reply], *, edit_message_id: int | None = None
    ) -> None:
        """Send the replies; the first one marked ``edit`` replaces the pressed message."""
        try:
            for reply in replies:
                target = edit_message_id if reply.edit else None
                if target is not None:
                    edit_message_id = None
                await self._send(bot, chat_id, reply, edit_message_id=target)
        except Forbidden as exc:
            log.info("chat %s cannot be reached (%s); reply dropped", chat_id, exc.message)

    async def _send(
        self, bot: Bot, chat_id: int, reply: Reply, *, edit_message_id: int | None
    ) -> None:
        chunks = split_text(reply.text)
        markup = keyboard(reply.buttons)
        first = 0
        if edit_message_id is not None:
            only_chunk = len(chunks) == 1
            if await self._edit(
                bot, chat_id, edit_message_id, chunks[0], markup if only_chunk else None
            ):
                first = 1
        for index in range(first, len(chunks)):
            last = index == len(chunks) - 1
            await bot.send_message(
                chat_id,
                html.escape(chunks[index], quote=False),
                parse_mode=ParseMode.HTML,
                reply_markup=markup if last else None,
                link_preview_options=NO_PREVIEW,
            )

    async def _edit(
        self,
        bot: Bot,
        chat_id: int,
        message_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None,
    ) -> bool:
        """Edit the pressed message in place; False when Telegram refuses (then send anew)."""
        try:
            await bot.edit_message_text(
                html.escape(text, quote=False),
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=NO_PREVIEW,
            )
        except BadRequest as exc:
            if "not modified" in exc.message:
                return True
            log.info("could not edit message %s in chat %s (%s)", message_id, chat_id, exc.message)
            return False
        return True


# ---- pure helpers --------------------------------------------------------------------------


def keyboard(buttons: list[list[Button]]) -> InlineKeyboardMarkup | None:
    """The inline keyboard of a reply (None without buttons); PTB's objects are immutable, so
    the few layouts the flows use are built once and reused."""
    if not buttons:
        return None
    return _keyboard(tuple(tuple((b.label, b.data) for b in row) for row in buttons))


@functools.lru_cache(maxsize=512)
def _keyboard(layout: tuple[tuple[tuple[str, str], ...], ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in layout]
    )


def utf16_len(text: str) -> int:
    """Telegram measures message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Split ``text`` into messages of at most ``limit`` units, on line boundaries; a single
    line longer than a message is cut."""
    if utf16_len(text) <= limit:
        return [text]
    chunks: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while utf16_len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            cut = _fitting_prefix(line, limit)
            chunks.append(line[:cut])
            line = line[cut:]
        if utf16_len(current) + utf16_len(line) > limit:
            chunks.append(current)
            current = ""
        current += line
    chunks.append(current)
    return [chunk.rstrip("\n") for chunk in chunks if chunk.strip()]


def _fitting_prefix(line: str, limit: int) -> int:
    """How many characters of ``line`` fit in ``limit`` UTF-16 units."""
    units = 0
    for index, char in enumerate(line):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(line)


def addressed(message: Message | None, bot: Bot) -> bool:
    """In a group: is this message for us (a reply to us, a mention, or a /command)?"""
    if message is None:
        return False
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
        return True
    kinds = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION, MessageEntity.BOT_COMMAND]
    entities = (
        message.parse_entities(kinds) if message.text else message.parse_caption_entities(kinds)
    )
    username = (bot.username or "").lower()
    for entity, value in entities.items():
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            target = value.partition("@")[2].lower()
            if not target or target == username:
                return True
        elif entity.type == MessageEntity.MENTION:
            if value[1:].lower() == username:
                return True
        elif entity.user is not None and entity.user.id == bot.id:  # a text mention
            return True
    return False


def strip_mention(text: str, username: str | None) -> str:
    """The text without ``@ourbot`` (how group members address the bot)."""
    if not username:
        return text
    lowered, mention = text.lower(), f"@{username.lower()}"
    while (at := lowered.find(mention)) >= 0:
        text = text[:at] + text[at + len(mention) :]
        lowered = lowered[:at] + lowered[at + len(mention) :]
    return text.strip()
