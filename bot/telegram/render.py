"""Replies as Telegram messages: HTML with everything escaped, inline keyboards, edits in
place, long texts split under 4096 UTF-16 units, files as documents (charts as photos); and group
addressing."""

from __future__ import annotations

import functools
import html
import logging
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    MessageEntity,
)
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden

from conversations.core import Button, Reply

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = MessageLimit.MAX_TEXT_LENGTH  # 4096
MAX_CAPTION = MessageLimit.CAPTION_LENGTH  # 1024
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def send_replies(
    bot: Bot, chat_id: int, replies: list[Reply], *, edit_message_id: int | None = None
) -> None:
    """Send the replies; the first one marked ``edit`` replaces the pressed message."""
    try:
        for reply in replies:
            target = edit_message_id if reply.edit else None
            if target is not None:
                edit_message_id = None
            await send_reply(bot, chat_id, reply, edit_message_id=target)
    except Forbidden as exc:
        log.info("chat %s cannot be reached (%s); reply dropped", chat_id, exc.message)


async def send_reply(
    bot: Bot,
    chat_id: int,
    reply: Reply,
    *,
    edit_message_id: int | None = None,
    **extra: Any,
) -> Message | None:
    """One reply: its text (split when long), its buttons under the last part, its file.
    ``extra``: passed to every Bot API call (``rate_limit_args``, ``allow_paid_broadcast``)."""
    if _is_photo(reply) and edit_message_id is None and utf16_len(reply.text) <= MAX_CAPTION:
        assert reply.file is not None
        upload = InputFile(reply.file.content, filename=reply.file.filename)
        caption = html.escape(reply.text, quote=False)
        return await bot.send_photo(
            chat_id,
            upload,
            caption=caption,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(reply.buttons),
            **extra,
        )
    chunks = split_text(reply.text)
    markup = keyboard(reply.buttons)
    first = 0
    sent: Message | None = None
    if edit_message_id is not None:
        only_chunk = len(chunks) == 1
        shown = markup if only_chunk else None
        if await _edit(bot, chat_id, edit_message_id, chunks[0], shown, extra):
            first = 1
    for index in range(first, len(chunks)):
        last = index == len(chunks) - 1
        sent = await bot.send_message(
            chat_id,
            html.escape(chunks[index], quote=False),
            parse_mode=ParseMode.HTML,
            reply_markup=markup if last else None,
            link_preview_options=NO_PREVIEW,
            **extra,
        )
    if reply.file is not None:
        upload = InputFile(reply.file.content, filename=reply.file.filename)
        if _is_photo(reply):  # a chart reads best as a picture
            await bot.send_photo(chat_id, upload, **extra)
        else:
            await bot.send_document(chat_id, upload, **extra)
    return sent


def _is_photo(reply: Reply) -> bool:
    return reply.file is not None and reply.file.mime in ("image/png", "image/jpeg")


async def _edit(
    bot: Bot,
    chat_id: int,
    message_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
    extra: dict[str, Any],
) -> bool:
    """Edit the pressed message in place; False when Telegram refuses (then send anew)."""
    extra = {k: v for k, v in extra.items() if k != "allow_paid_broadcast"}
    try:
        await bot.edit_message_text(
            html.escape(text, quote=False),
            chat_id=chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=NO_PREVIEW,
            **extra,
        )
    except BadRequest as exc:
        if "not modified" in exc.message:
            return True
        log.info("could not edit message %s in chat %s (%s)", message_id, chat_id, exc.message)
        return False
    return True


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
