"""Logging set up once per process: text lines for a terminal, or JSON lines
(``BIAOGAN_LOG_FORMAT=json``) for journald and a log collector; errors counted in the metrics."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
HANDLER_NAME = "biaogan"


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


class _Stderr(logging.StreamHandler):
    """Writes to ``sys.stderr`` as it is at each record (a test runner may swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


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
    """The root handler (replacing the one an earlier call made), its format, the level; the
    error counter on ``bot``. Handlers someone else added (a test runner's) stay."""
    handler = logging.StreamHandler(stream) if stream is not None else _Stderr()
    json_lines = log_format == "json"
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(TEXT_FORMAT))
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    bot = logging.getLogger("bot")
    if not any(isinstance(h, ErrorCounter) for h in bot.handlers):
        bot.addHandler(ErrorCounter())
    if log_text:
        from bot.ops import observe

        observe.log_text = True
