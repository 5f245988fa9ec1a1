"""A fake Telegram Bot API server on loopback, for tests and benchmarks.

A real HTTP/1.1 server (asyncio streams, no extra dependency) that answers the Bot API methods a
python-telegram-bot ``Application`` calls, with Telegram's JSON shapes and error bodies. Tests
inject what users do (``send_text``, ``press``, ``send_media``, ``edit_text``…), the bot fetches
those updates by ``getUpdates`` long polling, and every call the bot makes is recorded and can be
awaited (``await server.wait_for("sendMessage", chat_id=1)``). Faults can be scheduled: the next
N calls of a method answer 429 with ``retry_after``, a chat that blocked the bot answers 403, a
connection is dropped without an answer. ``enforce_limits()`` (or ``FakeBotApi(limits=True)``)
turns on Telegram's send limits: over them a message answers 429 with ``retry_after``, counted in
``limit_429s``; as a token bucket (the default) or as a strict sliding one-second window
(``mode="sliding_window"``). ``FakeBotApi(latency=0.1)`` answers every request 0.1 s late, as a
far-away server would, each connection on its own (requests in flight overlap).

Use it as an async context manager or through the ``fake_bot_api`` fixture of ``conftest.py``;
``polling(application)`` runs a real ``Application`` against it. ``python -m tests.fake_bot_api``
serves it on a fixed port so a person can chat with a bot started with
``BIAOGAN_TELEGRAM_BASE_URL=http://127.0.0.1:8081/bot``.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
import html
import itertools
import json
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal
from urllib.parse import parse_qsl, urlsplit

BOT_ID = 7_000_000_001
BOT_USERNAME = "biaogan_test_bot"
MAX_MESSAGE_CHARS = 4096
MAX_CALLBACK_BYTES = 64

# Parameters whose value is a plain string even when it looks like JSON ("123", "[x]").
_TEXT_PARAMS = {
    "text",
    "caption",
    "callback_query_id",
    "parse_mode",
    "action",
    "url",
    "language_code",
    "description",
    "short_description",
    "name",
    "emoji",
}
_HTML_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "code", "pre", "blockquote", "tg-emoji",
}  # fmt: skip
_HTML_TOKEN = re.compile(
    r"<(?P<close>/?)(?P<tag>[a-zA-Z][a-zA-Z-]*)(?P<attrs>[^<>]*)>"
    r"|&(?P<entity>#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);"
    r"|(?P<bare>[<>&])"
)
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")


class ApiError(Exception):
    """An error answer of the Bot API: ``{"ok": false, "error_code": …, "description": …}``."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


def blocked_by_user() -> ApiError:
    return ApiError(403, "Forbidden: bot was blocked by the user")


@dataclass
class Call:
    """One request the bot made: method name (as Telegram spells it), decoded params, time."""

    seq: int
    method: str
    params: dict[str, Any]
    at: float  # time.perf_counter() when the request arrived
    status: int = 200
    result: Any = None

    @property
    def chat_id(self) -> int | str | None:
        return self.params.get("chat_id")

    @property
    def text(self) -> str | None:
        return self.params.get("text")

    @property
    def ok(self) -> bool:
        return self.status == 200

    def button_data(self) -> list[str]:
        """callback_data of every inline button of this call's reply_markup."""
        markup = self.params.get("reply_markup") or {}
        return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]

    def button_labels(self) -> list[str]:
        markup = self.params.get("reply_markup") or {}
        return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]


@dataclass
class Fault:
    method: str
    remaining: int
    error: ApiError | None = None  # None: drop the connection without answering
    chat_id: int | None = None


@dataclass
class TokenBucket:
    """``burst`` sends at once, refilled at ``rate`` per second (the shape of Telegram's limits,
    and of the leaky bucket python-telegram-bot's AIORateLimiter paces itself with)."""

    rate: float
    burst: float
    tolerance: float = 0.0  # seconds a send may arrive early (network jitter) and still pass
    tokens: float | None = None
    when: float = 0.0

    def wait(self, now: float) -> float:
        """0 when a send may go now (then ``take`` it), else seconds until a token is back."""
        if self.tokens is None:
            self.tokens, self.when = self.burst, now
        self.tokens = min(self.burst, self.tokens + (now - self.when) * self.rate)
        self.when = now
        missing = (1 - self.tokens) / self.rate
        return 0.0 if missing <= self.tolerance else missing

    def take(self) -> None:
        self.tokens -= 1


@dataclass
class SlidingWindow:
    """At most ``rate`` sends in any one second, strictly: no burst above it, no tolerance (a
    rate under 1 is one send per ``1 / rate`` seconds). Same interface as ``TokenBucket``."""

    rate: float
    sent: deque[float] = field(default_factory=deque)  # when the sends in the window went
    when: float = 0.0

    def wait(self, now: float) -> float:
        """0 when a send may go now (then ``take`` it), else seconds until the window frees."""
        count = max(1, round(self.rate))
        span = count / self.rate
        while self.sent and self.sent[0] <= now - span:
            self.sent.popleft()
        self.when = now
        return 0.0 if len(self.sent) < count else self.sent[0] + span - now

    def take(self) -> None:
        self.sent.append(self.when)


# Methods that send or change a message: the ones Telegram's per-bot and per-chat limits count.
_LIMITED_METHODS = re.compile(r"^(send(?!chataction)|edit|copy|forward)")


@dataclass
class _Poller:
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    conflict: bool = False


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def visible_text(text: str, parse_mode: str | None) -> str:
    """What the user would see: HTML checked the way Telegram checks it, tags dropped."""
    if (parse_mode or "").upper() != "HTML":
        return text
    out: list[str] = []
    pos = 0
    for match in _HTML_TOKEN.finditer(text):
        out.append(text[pos : match.start()])
        pos = match.end()
        if match["bare"]:
            offset = len(text[: match.start()].encode())
            raise ApiError(
                400,
                "Bad Request: can't parse entities: unexpected character "
                f"{match['bare']!r} at byte offset {offset}",
            )
        if match["tag"] is not None:
            if match["tag"].lower() not in _HTML_TAGS:
                raise ApiError(
                    400, f"Bad Request: can't parse entities: unsupported tag <{match['tag']}>"
                )
        else:
            out.append(html.unescape(match.group(0)))
    out.append(text[pos:])
    return "".join(out)


class FakeBotApi:
    """The fake server. All methods are for the asyncio loop the server runs in."""

    def __init__(
        self,
        *,
        bot_id: int = BOT_ID,
        bot_username: str = BOT_USERNAME,
        limits: bool = False,
        latency: float = 0.0,
    ) -> None:
        self.bot_user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "标杆助手",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[Call] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}  # the bot's messages
        self.answered_callbacks: dict[str, dict[str, Any]] = {}
        self.updates: list[dict[str, Any]] = []  # not yet confirmed by an offset
        self.injected_at: dict[int, float] = {}  # update_id -> perf_counter
        self.blocked_chats: set[int] = set()
        self.faults: list[Fault] = []
        self.limit_429s = 0  # 429s answered because a send limit was exceeded (not faults)
        self.latency = latency  # seconds every answer is held back (may be changed any time)
        self._overall: TokenBucket | SlidingWindow | None = None
        self._per_chat: dict[int | str, TokenBucket | SlidingWindow] = {}
        self._new_chat_limit: Callable[[], TokenBucket | SlidingWindow] | None = None
        self.files: dict[str, bytes] = {}  # file_id -> content (send_document, getFile)
        self.port = 0
        self._consumed: set[int] = set()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._changed = asyncio.Event()  # set (and replaced) whenever a call is recorded
        self.listeners: list[Callable[[Call], None]] = []  # called with every recorded call
        self._poller: _Poller | None = None
        # setWebhook's url, secret_token, allowed_updates; while set, updates are posted there
        # (one at a time, in order, again after a failure) and getUpdates answers 409.
        self.webhook: dict[str, Any] | None = None
        self.webhook_posts: list[int] = []  # the status of each post (0: no connection)
        self.webhook_retry = 0.2  # seconds before a failed post is made again
        self._posting: asyncio.Task[None] | None = None
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._methods: dict[str, Callable[[dict[str, Any]], Any]] = {
            name[4:].lower(): getattr(self, name) for name in dir(self) if name.startswith("api_")
        }
        if limits:
            self.enforce_limits()

    # ---- life cycle ----------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> FakeBotApi:
        self._server = await asyncio.start_server(self._on_connection, host, port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._posting is not None:
            self._posting.cancel()
            await asyncio.gather(self._posting, return_exceptions=True)
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """The value for ``ApplicationBuilder.base_url`` / ``BIAOGAN_TELEGRAM_BASE_URL``."""
        return f"http://127.0.0.1:{self.port}/bot"

    # ---- users: inject updates -----------------------------------------------------------

    @staticmethod
    def user(user_id: int, first_name: str = "", username: str | None = None) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name or f"用户{user_id}",
            "language_code": "zh-hans",
        }
        if username:
            user["username"] = username
        return user

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (``update_id`` is assigned) and wake a waiting getUpdates."""
        update = {"update_id": next(self._update_ids), **update}
        self.updates.append(update)
        self.injected_at[update["update_id"]] = time.perf_counter()
        if self._poller is not None:
            self._poller.wake.set()
        self._post_updates()
        return update

    # ---- webhook: updates posted to the bot ------------------------------------------------

    def _post_updates(self) -> None:
        if (
            self.webhook is not None
            and self.updates
            and (self._posting is None or self._posting.done())
        ):
            self._posting = asyncio.get_running_loop().create_task(self._post_pending())

    async def _post_pending(self) -> None:
        """Post the pending updates to the webhook in order, each until it is taken (2xx)."""
        import httpx  # python-telegram-bot's own HTTP client; only the webhook tests post

        async with httpx.AsyncClient(timeout=10) as client:
            while self.webhook is not None and self.updates:
                update, hook = self.updates[0], self.webhook
                headers = {}
                if hook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
                try:
                    answer = await client.post(hook["url"], json=update, headers=headers)
                    status = answer.status_code
                except httpx.HTTPError as exc:
                    status, hook["last_error_message"] = 0, f"{type(exc).__name__}: {exc}"
                self.webhook_posts.append(status)
                if 200 <= status < 300:
                    if self.updates and self.updates[0] is update:
                        self.updates.pop(0)
                else:
                    hook.setdefault("last_error_message", f"Wrong response: {status}")
                    await asyncio.sleep(self.webhook_retry)

    def _message(
        self,
        chat_id: int,
        *,
        user_id: int | None = None,
        chat_type: str | None = None,
        reply_to_message_id: int | None = None,
        **content: Any,
    ) -> dict[str, Any]:
        if user_id is None:
            user_id = chat_id if chat_id > 0 else 1
        user = self.user(user_id)
        if chat_type is None:
            chat_type = "private" if chat_id > 0 else "supergroup"
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = user["first_name"]
        else:
            chat["title"] = f"群组{-chat_id}"
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": user,
            "chat": chat,
            "date": int(time.time()),
            **content,
        }
        if reply_to_message_id is not None:
            replied = self.messages.get((chat_id, reply_to_message_id)) or {
                "message_id": reply_to_message_id,
                "from": self.bot_user,
                "chat": chat,
                "date": int(time.time()),
                "text": "…",
            }
            message["reply_to_message"] = replied
        return message

    @staticmethod
    def entities(text: str) -> list[dict[str, Any]]:
        """The entities Telegram's clients would attach: a leading /command, @mentions."""
        found = []
        for match in re.finditer(
            r"(?<!\S)/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?|@[A-Za-z0-9_]{5,}", text
        ):
            if match.group().startswith("/") and match.start() != 0:
                continue
            kind = "bot_command" if match.group().startswith("/") else "mention"
            found.append(
                {
                    "type": kind,
                    "offset": utf16_len(text[: match.start()]),
                    "length": utf16_len(match.group()),
                }
            )
        return found

    def send_text(self, chat_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
        """A user types ``text`` (commands and mentions get their entities, as in Telegram).

        kwargs: ``user_id`` (groups: the sender), ``chat_type``, ``reply_to_message_id``.
        """
        content: dict[str, Any] = {"text": text}
        if entities := self.entities(text):
            content["entities"] = entities
        return self.push_update({"message": self._message(chat_id, **content, **kwargs)})

    def send_command(self, chat_id: int, command: str, args: str = "", **kwargs: Any) -> dict:
        """``/command args`` (``command`` without the slash; may carry ``@botname``)."""
        return self.send_text(chat_id, f"/{command}" + (f" {args}" if args else ""), **kwargs)

    MEDIA: ClassVar[dict[str, Callable[[int], dict[str, Any]]]] = {
        "photo": lambda n: {
            "photo": [
                {"file_id": f"P{n}s", "file_unique_id": f"p{n}s", "width": 90, "height": 90},
                {"file_id": f"P{n}", "file_unique_id": f"p{n}", "width": 800, "height": 800},
            ]
        },
        "sticker": lambda n: {
            "sticker": {
                "file_id": f"S{n}",
                "file_unique_id": f"s{n}",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "👍",
            }
        },
        "voice": lambda n: {
            "voice": {"file_id": f"V{n}", "file_unique_id": f"v{n}", "duration": 3}
        },
        "audio": lambda n: {
            "audio": {"file_id": f"A{n}", "file_unique_id": f"a{n}", "duration": 180}
        },
        "video": lambda n: {
            "video": {
                "file_id": f"M{n}",
                "file_unique_id": f"m{n}",
                "width": 640,
                "height": 360,
                "duration": 10,
            }
        },
        "video_note": lambda n: {
            "video_note": {
                "file_id": f"N{n}",
                "file_unique_id": f"n{n}",
                "length": 240,
                "duration": 5,
            }
        },
        "animation": lambda n: {
            "animation": {
                "file_id": f"G{n}",
                "file_unique_id": f"g{n}",
                "width": 320,
                "height": 240,
                "duration": 2,
            },
            "document": {"file_id": f"G{n}", "file_unique_id": f"g{n}", "file_name": "a.gif.mp4"},
        },
        "document": lambda n: {
            "document": {
                "file_id": f"D{n}",
                "file_unique_id": f"d{n}",
                "file_name": "申报书.docx",
                "mime_type": "application/msword",
            }
        },
        "location": lambda n: {"location": {"latitude": 32.06, "longitude": 118.79}},
        "venue": lambda n: {
            "venue": {
                "location": {"latitude": 32.06, "longitude": 118.79},
                "title": "江苏省经信委",
                "address": "南京市",
            },
            "location": {"latitude": 32.06, "longitude": 118.79},
        },
        "contact": lambda n: {
            "contact": {"phone_number": "+8602500000000", "first_name": "张三", "user_id": n}
        },
        "poll": lambda n: {
            "poll": {
                "id": f"poll{n}",
                "question": "?",
                "options": [
                    {"text": "a", "voter_count": 0, "persistent_id": "0"},
                    {"text": "b", "voter_count": 0, "persistent_id": "1"},
                ],
                "allows_revoting": False,
                "members_only": False,
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
            }
        },
        "dice": lambda n: {"dice": {"emoji": "🎲", "value": 4}},
    }

    def send_media(self, chat_id: int, kind: str, **kwargs: Any) -> dict[str, Any]:
        """A user sends a non-text message of ``kind`` (a key of ``MEDIA``)."""
        content = self.MEDIA[kind](chat_id)
        return self.push_update({"message": self._message(chat_id, **content, **kwargs)})

    def send_document(
        self, chat_id: int, content: bytes, file_name: str, mime_type: str = "", **kwargs: Any
    ) -> dict[str, Any]:
        """A user sends a file; the bot may fetch it (getFile, then /file/bot<token>/<path>)."""
        file_id = f"F{len(self.files) + 1}"
        self.files[file_id] = content
        document = {"file_id": file_id, "file_unique_id": file_id.lower(),
                    "file_name": file_name, "file_size": len(content)}  # fmt: skip
        if mime_type:
            document["mime_type"] = mime_type
        return self.push_update({"message": self._message(chat_id, document=document, **kwargs)})

    def edit_text(self, chat_id: int, message_id: int, text: str, **kwargs: Any) -> dict:
        """The user edits their earlier message ``message_id`` to ``text``."""
        message = self._message(chat_id, text=text, **kwargs)
        message["message_id"] = message_id
        message["edit_date"] = int(time.time())
        return self.push_update({"edited_message": message})

    def last_bot_message(self, chat_id: int, *, with_buttons: bool = False) -> dict[str, Any]:
        mine = [
            m
            for (c, _), m in self.messages.items()
            if c == chat_id and (m.get("reply_markup") or not with_buttons)
        ]
        if not mine:
            raise LookupError(
                f"the bot has sent no message{' with buttons' * with_buttons} to {chat_id}"
            )
        return max(mine, key=lambda m: m["message_id"])

    def press(
        self,
        chat_id: int,
        data: str | None,
        *,
        message_id: int | None = None,
        user_id: int | None = None,
    ) -> dict[str, Any]:
        """The user presses an inline button carrying ``data`` (any string: forged ones too)
        under the bot's message ``message_id`` (default: its latest message with buttons)."""
        if message_id is None:
            try:
                message = self.last_bot_message(chat_id, with_buttons=True)
            except LookupError:
                message = self._message(chat_id, text="…")
                message["from"] = self.bot_user
        else:
            message = self.messages[(chat_id, message_id)]
        query: dict[str, Any] = {
            "id": f"cbq{next(self._callback_ids)}",
            "from": self.user(user_id if user_id is not None else chat_id),
            "chat_instance": f"ci{chat_id}",
            "message": message,
        }
        if data is not None:
            query["data"] = data
        return self.push_update({"callback_query": query})

    def press_label(self, chat_id: int, label: str) -> dict[str, Any]:
        """Press the button labelled ``label`` under the bot's latest message with buttons."""
        message = self.last_bot_message(chat_id, with_buttons=True)
        for row in message["reply_markup"]["inline_keyboard"]:
            for button in row:
                if button["text"] == label:
                    return self.press(
                        chat_id, button["callback_data"], message_id=message["message_id"]
                    )
        raise LookupError(f"no button {label!r} under message {message['message_id']}")

    # ---- faults --------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        times: int = 1,
        *,
        code: int = 429,
        retry_after: int = 1,
        description: str | None = None,
        chat_id: int | None = None,
    ) -> None:
        """The next ``times`` calls of ``method`` fail (default: 429 with ``retry_after``)."""
        if code == 429 and description is None:
            error = too_many_requests(retry_after)
        else:
            error = ApiError(code, description or f"Error {code}")
        self.faults.append(Fault(method.lower(), times, error, chat_id))

    def drop_next(self, method: str, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` get their connection closed, no answer."""
        self.faults.append(Fault(method.lower(), times, None))

    def block_chat(self, chat_id: int) -> None:
        """The user of ``chat_id`` blocked the bot: everything sent there answers 403."""
        self.blocked_chats.add(chat_id)

    def enforce_limits(
        self,
        overall_per_second: float = 30,
        per_chat_per_second: float = 1,
        *,
        overall_burst: float | None = None,
        per_chat_burst: float | None = None,
        tolerance: float = 0.1,
        mode: Literal["token_bucket", "sliding_window"] = "token_bucket",
    ) -> None:
        """Answer 429 (``retry_after`` in whole seconds, as Telegram does) to a message sent
        over ``overall_per_second`` for the bot or ``per_chat_per_second`` for one chat; bursts
        default to one second's worth. Counts them in ``limit_429s``. 0 turns a limit off.

        ``tolerance``: a send arriving up to this many seconds before its token is due still
        passes. A client pacing itself exactly (PTB's AIORateLimiter) sees its first request
        delayed by the connection set-up, so later ones arrive a few ms "early".

        ``mode="sliding_window"``: instead of token buckets, at most ``overall_per_second``
        sends in any one second (and ``per_chat_per_second`` per chat), strictly; ``retry_after``
        is the whole seconds until the window frees (at least 1). Bursts and ``tolerance`` are
        the buckets' and do not apply."""
        if mode == "sliding_window":
            self._overall = SlidingWindow(overall_per_second) if overall_per_second else None
            self._new_chat_limit = (
                (lambda: SlidingWindow(per_chat_per_second)) if per_chat_per_second else None
            )
        else:
            self._overall = (
                TokenBucket(overall_per_second, overall_burst or overall_per_second, tolerance)
                if overall_per_second
                else None
            )
            chat_burst = per_chat_burst or max(1.0, per_chat_per_second)
            self._new_chat_limit = (
                (lambda: TokenBucket(per_chat_per_second, chat_burst, tolerance))
                if per_chat_per_second
                else None
            )
        self._per_chat = {}

    def _check_limits(self, method: str, params: dict[str, Any]) -> None:
        if not _LIMITED_METHODS.match(method) or (
            self._overall is None and self._new_chat_limit is None
        ):
            return
        now = time.monotonic()
        buckets = [self._overall] if self._overall is not None else []
        chat_id = params.get("chat_id")
        if self._new_chat_limit is not None and chat_id is not None:
            if chat_id not in self._per_chat:
                self._per_chat[chat_id] = self._new_chat_limit()
            buckets.append(self._per_chat[chat_id])
        wait = max((bucket.wait(now) for bucket in buckets), default=0.0)
        if wait > 0:
            self.limit_429s += 1
            raise too_many_requests(max(1, int(wait + 0.999)))
        for bucket in buckets:
            bucket.take()

    def _take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        for fault in self.faults:
            if fault.method == method and fault.remaining > 0:
                if fault.chat_id is not None and params.get("chat_id") != fault.chat_id:
                    continue
                fault.remaining -= 1
                if fault.remaining == 0:
                    self.faults.remove(fault)
                return fault
        return None

    # ---- observing the bot ---------------------------------------------------------------

    def mark(self) -> int:
        """A position in the call log, for ``wait_for(..., since=mark)``."""
        return len(self.calls)

    def calls_to(
        self, method: str, since: int = 0, *, ok: bool | None = True, **params: Any
    ) -> list[Call]:
        """Recorded calls of ``method`` with these params (``ok``: successful ones; None: all)."""
        return [
            c
            for c in self.calls[since:]
            if (ok is None or c.ok == ok) and self._matches(c, method, params)
        ]

    @staticmethod
    def _matches(call: Call, method: str, params: dict[str, Any]) -> bool:
        if call.method.lower() != method.lower():
            return False
        return all(call.params.get(key) == value for key, value in params.items())

    async def _wait_until(self, find: Callable[[], Call | None], timeout: float, what: str) -> Call:
        deadline = time.monotonic() + timeout
        while (call := find()) is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                seen = [(c.method, c.params.get("chat_id"), c.status) for c in self.calls[-8:]]
                raise AssertionError(f"no {what} within {timeout}s; last calls: {seen}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        self._consumed.add(call.seq)
        return call

    async def wait_for(
        self,
        method: str,
        *,
        timeout: float = 5.0,
        since: int | None = None,
        ok: bool | None = True,
        **params: Any,
    ) -> Call:
        """The first call of ``method`` with these params not returned by an earlier wait
        (or the first at or after ``since``). ``ok``: only successful calls (None: any)."""

        def find() -> Call | None:
            for call in self.calls[since or 0 :]:
                if since is None and call.seq in self._consumed:
                    continue
                if ok is not None and call.ok != ok:
                    continue
                if self._matches(call, method, params):
                    return call
            return None

        return await self._wait_until(find, timeout, f"{method} {params}")

    async def wait_for_reply(self, chat_id: int, timeout: float = 5.0) -> Call:
        """The next successful sendMessage or editMessageText to ``chat_id``."""

        def find() -> Call | None:
            for call in self.calls:
                if (
                    call.seq not in self._consumed
                    and call.ok
                    and call.method in ("sendMessage", "editMessageText")
                    and call.chat_id == chat_id
                ):
                    return call
            return None

        return await self._wait_until(find, timeout, f"reply to chat {chat_id}")

    async def replies(self, chat_id: int, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """The next ``count`` messages the bot sends or edits in ``chat_id``."""
        return [await self.wait_for_reply(chat_id, timeout=timeout) for _ in range(count)]

    async def expect_none(self, method: str, *, within: float = 0.5, **params: Any) -> None:
        """Assert that no call of ``method`` with these params arrives within ``within`` s."""
        start = self.mark()
        await asyncio.sleep(within)
        found = self.calls_to(method, since=start, ok=None, **params)
        assert not found, f"unexpected {method}: {[c.params for c in found]}"

    # ---- HTTP ----------------------------------------------------------------------------

    async def _on_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            while await self._serve_one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self._connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve_one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Read one request and answer it; False when the connection should close."""
        request_line = await reader.readline()
        if not request_line.strip():
            return False
        verb, target, _ = request_line.decode("latin-1").split(" ", 2)
        headers: dict[str, str] = {}
        while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        body = await self._read_body(reader, headers)

        url = urlsplit(target)
        if (got := re.fullmatch(r"/file/bot[^/]+/documents/(?P<id>\w+)", url.path)) is not None:
            await self._respond_file(writer, self.files.get(got["id"]))
            return verb.upper() != "CLOSE"
        match = re.fullmatch(r"/bot(?P<token>[^/]+)/(?P<method>\w+)", url.path)
        if match is None:
            status, payload = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        else:
            params = dict(parse_qsl(url.query))
            params.update(self._parse_body(headers.get("content-type", ""), body))
            decoded = {key: _decode_param(key, value) for key, value in params.items()}
            status, payload = await self._call(match["method"], decoded)
        if self.latency > 0:  # this connection's task only: other connections go on meanwhile
            await asyncio.sleep(self.latency)
        if payload is None:  # a scheduled dropped connection
            return False
        await self._respond(writer, status, payload)
        return verb.upper() != "CLOSE"

    @staticmethod
    async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while size := int((await reader.readline()).split(b";")[0].strip() or b"0", 16):
                chunks.append(await reader.readexactly(size))
                await reader.readline()
            await reader.readline()
            return b"".join(chunks)
        return await reader.readexactly(int(headers.get("content-length", "0")))

    @staticmethod
    def _parse_body(content_type: str, body: bytes) -> dict[str, Any]:
        if not body:
            return {}
        if content_type.startswith("application/json"):
            return {
                k: v if isinstance(v, str) else json.dumps(v) for k, v in json.loads(body).items()
            }
        if content_type.startswith("multipart/form-data"):
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
            )
            fields: dict[str, Any] = {}
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                if part.get_filename():
                    fields[name] = {
                        "filename": part.get_filename(),
                        "size": len(payload),
                        "content": payload,
                    }
                else:
                    fields[name] = payload.decode()
            return fields
        return dict(parse_qsl(body.decode(), keep_blank_values=True))

    @staticmethod
    async def _respond(writer: asyncio.StreamWriter, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        reason = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found"}.get(
            status, "Too Many Requests" if status == 429 else "Error"
        )
        head = (
            f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
        )
        writer.write(head.encode() + body)
        await writer.drain()

    @staticmethod
    async def _respond_file(writer: asyncio.StreamWriter, content: bytes | None) -> None:
        """A file's bytes, as Telegram's file server sends them (404 for an unknown one)."""
        status = "200 OK" if content is not None else "404 Not Found"
        body = content if content is not None else b""
        head = (
            f"HTTP/1.1 {status}\r\nContent-Type: application/octet-stream\r\n"
            f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
        )
        writer.write(head.encode() + body)
        await writer.drain()

    async def _call(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
        """Run one API method; record it (except getUpdates) and wake whoever waits."""
        key = method.lower()
        handler = self._methods.get(key)
        call = Call(seq=len(self.calls), method=method, params=params, at=time.perf_counter())
        fault = self._take_fault(key, params) if handler is not None else None
        try:
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            if fault is not None:
                if fault.error is None:
                    call.status = 599
                    return 599, None
                raise fault.error
            if key != "getupdates" and params.get("chat_id") in self.blocked_chats:
                raise blocked_by_user()
            self._check_limits(key, params)
            result = handler(params)
            if asyncio.iscoroutine(result):
                result = await result
            call.result = result
            return 200, {"ok": True, "result": result}
        except ApiError as error:
            call.status = error.code
            return error.code, error.body()
        finally:
            if key != "getupdates":
                self.calls.append(call)
                for listener in self.listeners:
                    listener(call)
                self._changed.set()
                self._changed = asyncio.Event()

    # ---- API methods (api_<lowercase name>) ----------------------------------------------

    def api_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user

    def api_setwebhook(self, params: dict[str, Any]) -> bool:
        url = params.get("url") or ""
        if not url:
            return self.api_deletewebhook(params)
        parts = urlsplit(url)
        if parts.scheme != "https" and parts.hostname not in ("127.0.0.1", "localhost"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self.updates.clear()
        self.webhook = {
            "url": url,
            "secret_token": secret,
            "allowed_updates": params.get("allowed_updates"),
        }
        if self._poller is not None:  # a getUpdates waiting now ends
            self._poller.wake.set()
        self._post_updates()
        return True

    def api_deletewebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self.updates.clear()
        return True

    def api_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }
        if self.webhook and self.webhook.get("last_error_message"):
            info["last_error_message"] = self.webhook["last_error_message"]
            info["last_error_date"] = int(time.time())
        return info

    def api_close(self, params: dict[str, Any]) -> bool:
        return True

    def api_logout(self, params: dict[str, Any]) -> bool:
        return True

    async def api_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Confirm updates below ``offset``, return the rest or wait up to ``timeout`` s."""
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if self._poller is not None:  # Telegram: a newer getUpdates terminates the older one
            self._poller.conflict = True
            self._poller.wake.set()
        poller = self._poller = _Poller()
        try:
            if not self.updates and timeout > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(poller.wake.wait(), timeout)
            if poller.conflict:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one "
                    "bot instance is running",
                )
            return self.updates[:limit]
        finally:
            if self._poller is poller:
                self._poller = None

    def api_setmycommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands must be a list of at most 100 commands")
        for command in commands:
            if not _COMMAND_NAME.match(command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[_scope_key(params)] = commands
        return True

    def api_getmycommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands.get(_scope_key(params), [])

    def api_deletemycommands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(_scope_key(params), None)
        return True

    def api_sendchataction(self, params: dict[str, Any]) -> bool:
        self._chat_id(params)
        return True

    def api_getfile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file_id", ""))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        size, path = len(self.files[file_id]), f"documents/{file_id}"
        return {"file_id": file_id, "file_unique_id": file_id.lower(),
                "file_size": size, "file_path": path}  # fmt: skip

    def api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        text = self._checked_text(params)
        return self._store_message(chat_id, next(self._message_ids), text, params)

    def api_senddocument(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        document = params.get("document")
        if not document:
            raise ApiError(400, "Bad Request: there is no document in the request")
        name = document.get("filename", "file") if isinstance(document, dict) else "file"
        message = self._store_message(chat_id, next(self._message_ids), None, params)
        message["document"] = {
            "file_id": f"doc{message['message_id']}",
            "file_unique_id": "u",
            "file_name": name,
        }
        if params.get("caption"):
            message["caption"] = visible_text(params["caption"], params.get("parse_mode"))
        return message

    def api_sendphoto(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        photo = params.get("photo")
        if not photo:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        message = self._store_message(chat_id, next(self._message_ids), None, params)
        n = message["message_id"]
        message["photo"] = [
            {"file_id": f"ph{n}", "file_unique_id": f"p{n}", "width": 800, "height": 500}
        ]
        if params.get("caption"):
            message["caption"] = visible_text(params["caption"], params.get("parse_mode"))
        return message

    def api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, message = self._bot_message(params)
        text = self._checked_text(params)
        if text == message.get("text") and params.get("reply_markup") == message.get(
            "reply_markup"
        ):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        return self._store_message(chat_id, message["message_id"], text, params, edited=True)

    def api_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, message = self._bot_message(params)
        return self._store_message(
            chat_id, message["message_id"], message.get("text"), params, edited=True
        )

    def api_deletemessage(self, params: dict[str, Any]) -> bool:
        chat_id, message = self._bot_message(params)
        del self.messages[(chat_id, message["message_id"])]
        return True

    def api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        query_id = params.get("callback_query_id")
        if not query_id:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        if query_id in self.answered_callbacks:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self.answered_callbacks[query_id] = params
        return True

    # ---- helpers of the API methods --------------------------------------------------------

    def _chat_id(self, params: dict[str, Any]) -> int:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    def _bot_message(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id = self._chat_id(params)
        message = self.messages.get((chat_id, params.get("message_id")))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return chat_id, message

    @staticmethod
    def _checked_text(params: dict[str, Any]) -> str:
        text = visible_text(params.get("text") or "", params.get("parse_mode"))
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > MAX_MESSAGE_CHARS:
            raise ApiError(400, "Bad Request: message is too long")
        return text

    def _store_message(
        self,
        chat_id: int,
        message_id: int,
        text: str | None,
        params: dict[str, Any],
        *,
        edited: bool = False,
    ) -> dict[str, Any]:
        markup = params.get("reply_markup")
        if isinstance(markup, dict):
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    if len(button.get("callback_data", "").encode()) > MAX_CALLBACK_BYTES:
                        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        if chat_id < 0:
            chat["title"] = f"群组{-chat_id}"
        else:
            chat["first_name"] = f"用户{chat_id}"
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": self.bot_user,
            "chat": chat,
            "date": int(time.time()),
        }
        if text is not None:
            message["text"] = text
        if edited:
            message["edit_date"] = int(time.time())
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self.messages[(chat_id, message_id)] = message
        return message


def _decode_param(key: str, value: Any) -> Any:
    """Form values arrive as strings; JSON-valued ones (ints, markup, lists) are decoded."""
    if not isinstance(value, str) or key in _TEXT_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _scope_key(params: dict[str, Any]) -> str:
    scope = params.get("scope") or {"type": "default"}
    return f"{json.dumps(scope, sort_keys=True)}|{params.get('language_code') or ''}"


@contextlib.asynccontextmanager
async def polling(application: Any, *, timeout: float = 1.0) -> AsyncIterator[Any]:
    """Run a python-telegram-bot ``Application`` with long polling for the block's duration:
    the life cycle ``run_polling`` would do (post_init, post_stop, post_shutdown included)."""
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.updater.start_polling(poll_interval=0, timeout=timeout)
    await application.start()
    try:
        yield application
    finally:
        if application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        if application.post_stop:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


async def _serve_forever(port: int) -> None:  # pragma: no cover - manual use
    """Serve on a fixed port; each stdin line is a private-chat message from user 1."""
    server = await FakeBotApi().start(port=port)
    try:
        print(f"fake Bot API at {server.base_url} — type messages as user 1, Ctrl-D to quit")
        loop = asyncio.get_running_loop()
        shown = 0

        async def show() -> None:
            nonlocal shown
            while True:
                await asyncio.sleep(0.2)
                for call in server.calls[shown:]:
                    if call.method in ("sendMessage", "editMessageText"):
                        print(f"bot> {call.result.get('text') if call.result else call.text}")
                        for label, data in zip(
                            call.button_labels(), call.button_data(), strict=True
                        ):
                            print(f"     [{label}] → press:{data}")
                shown = len(server.calls)

        printer = asyncio.create_task(show())
        while line := await loop.run_in_executor(None, input_line):
            line = line.strip()
            if line.startswith("press:"):
                server.press(1, line.removeprefix("press:"))
            elif line:
                server.send_text(1, line)
        printer.cancel()
    finally:
        await server.stop()


def input_line() -> str:  # pragma: no cover - manual use
    try:
        return input() + "\n"
    except EOFError:
        return ""


if __name__ == "__main__":  # pragma: no cover - manual use
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8081)
    asyncio.run(_serve_forever(parser.parse_args().port))
