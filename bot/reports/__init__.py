"""What organizers are shown: the statistics message, the chart, the CSV, grouped questions.

Plain data in (from ``bot.store.stats``), text or bytes out; the chart and the CSV do real work
(matplotlib, encoding), so the Telegram handler runs them with ``asyncio.to_thread``.
"""

from bot.reports.chart import chart_png
from bot.reports.export import export_csv
from bot.reports.text import scope_label, stats_text
from bot.reports.unanswered import group_questions, unanswered_text

__all__ = [
    "chart_png",
    "export_csv",
    "group_questions",
    "scope_label",
    "stats_text",
    "unanswered_text",
]
