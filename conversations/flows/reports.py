"""Organizers' report commands: in organizers' and admins' command lists only. The Telegram
shell answers them (``bot/telegram/reports.py``: the store, a chart, a CSV file)."""

from __future__ import annotations

from conversations import texts

REPORT_COMMANDS: dict[str, str] = {
    "stats": texts.CMD_STATS,
    "export": texts.CMD_EXPORT,
    "unanswered": texts.CMD_UNANSWERED,
}
