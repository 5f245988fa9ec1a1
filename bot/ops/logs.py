"""Logging set up once per process: text lines for a terminal, or JSON lines
(``BIAOGAN_LOG_FORMAT=json``) for journald and a log collector; errors counted in the metrics."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO), level, logger, message, the record's
    ``fields`` (a turn's, a send's) as keys of their own, and the traceback as ``exc``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update({k: v for k, v in fields.items() if k not in entry})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class ErrorCounter(logging.Handler):
    """Counts every record at ERROR or above (``biaogan_errors_total{logger}``)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        from bot.ops import metrics  # (not at import: ``biaogan ask`` never needs it)

        metrics.ERRORS.labels(record.name).inc()


def setup(
    log_format: str = "text",
    *,
    verbose: bool = False,
    log_text: bool = False,
    stream: TextIO | None = None,
) -> None:
    """The root handler (replacing any), its format, the level; the error counter on ``bot``."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    bot = logging.getLogger("bot")
    if not any(isinstance(h, ErrorCounter) for h in bot.handlers):
        bot.addHandler(ErrorCounter())
    if log_text:
        from bot.ops import observe

        observe.log_text = True
