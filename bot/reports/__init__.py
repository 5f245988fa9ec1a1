"""What organizers are shown as files: the chart (matplotlib) and the CSV. Both do real work, so
the shell renders them in a worker thread (``ChatService.finish``); the statistics message and
the grouped questions are pure and live in ``conversations.reports``."""

from bot.reports.export import export_csv
from conversations.reports import group_questions, scope_label, stats_text, unanswered_text


def chart_png(stats) -> bytes:  # matplotlib is loaded on the first chart, not at start-up
    from bot.reports.chart import chart_png as draw

    return draw(stats)


__all__ = [
    "chart_png",
    "export_csv",
    "group_questions",
    "scope_label",
    "stats_text",
    "unanswered_text",
]
