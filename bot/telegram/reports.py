"""/stats, /export, /unanswered for organizers: a thin handler over the store and bot.reports.

The actor is resolved as for every turn and checked here (an enterprise gets one short refusal);
the store checks the scope again itself. Reading the store takes milliseconds and runs on the
event loop, in one transaction with the export's audit row; drawing the chart and encoding the
CSV run in a worker thread (``asyncio.to_thread``) so other chats are answered meanwhile.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.constants import ChatType

from bot.reports import chart_png, export_csv, group_questions, scope_label, stats_text
from bot.reports.unanswered import unanswered_text
from bot.store import NotAllowed
from bot.store.stats import parse_period
from bot.telegram.render import send_replies
from conversations import texts
from conversations.core import Actor, Attachment, Reply
from conversations.flows.reports import REPORT_COMMANDS

__all__ = ["REPORT_COMMANDS", "ReportCommands"]

log = logging.getLogger(__name__)


class ReportCommands:
    def __init__(self, adapter) -> None:  # a TelegramAdapter (its service and chat locks)
        self.adapter = adapter

    async def on_command(self, update: Update, context) -> None:
        message, chat, user = update.effective_message, update.effective_chat, update.effective_user
        assert message is not None and message.text is not None and chat is not None
        word, _, args = message.text.strip().partition(" ")
        name = word.lstrip("/").partition("@")[0].lower()
        service = self.adapter.service
        actor = service.actor(chat.id, user.id if user is not None else chat.id)
        async with self.adapter.chat_locks.hold(chat.id):
            try:
                if chat.type != ChatType.PRIVATE and actor.is_organizer:
                    # enterprises' names and results are not for a group's other members
                    replies = [Reply(text=texts.REPORT_PRIVATE_ONLY)]
                else:
                    replies = await self.replies(actor, name, args.strip())
            except NotAllowed:
                replies = [Reply(text=texts.REPORT_REFUSED)]
            await send_replies(context.bot, chat.id, replies)

    async def replies(self, actor: Actor, name: str, args: str) -> list[Reply]:
        if not actor.is_organizer:
            raise NotAllowed(name)
        service = self.adapter.service
        store, kb = service.store, service.ctx.kb
        if name == "stats":
            try:
                period = parse_period(args, service.ctx.today())
            except ValueError:
                return [Reply(text=texts.REPORT_BAD_PERIOD.format(text=args))]
            stats = store.stats(actor, period)
            png = await asyncio.to_thread(chart_png, stats)
            name = f"stats-{period.start.isoformat()}-{period.end.isoformat()}.png"
            chart = Attachment(filename=name, mime="image/png", content=png)
            caption = texts.STATS_CHART_CAPTION.format(
                scope=scope_label(stats.scope), period=stats.period
            )
            return [Reply(text=stats_text(stats, kb)), Reply(text=caption, file=chart)]
        if name == "export":
            with store.transaction():
                rows = store.export_rows(actor)
                store.audit_export(actor, {"channel": "telegram", "rows": len(rows)})
            scope = scope_label(str(actor.scope or "province"))
            if not rows:
                return [Reply(text=texts.EXPORT_EMPTY.format(scope=scope))]
            content = await asyncio.to_thread(export_csv, rows, kb)
            day = service.ctx.today().isoformat()
            file = Attachment(filename=f"enterprises-{day}.csv", mime="text/csv", content=content)
            return [Reply(text=texts.EXPORT_DONE.format(scope=scope, n=len(rows)), file=file)]
        questions = store.unanswered_texts(actor)
        groups = await asyncio.to_thread(group_questions, questions)
        scope = scope_label(str(actor.scope or "province"))
        return [Reply(text=unanswered_text(groups, scope))]
