"""/export as CSV: UTF-8 with a BOM, so that Excel opens the Chinese correctly."""

from __future__ import annotations

import csv
import io

from conversations import texts
from conversations.reports import ExportRow
from knowledge import Knowledge


def export_csv(rows: list[ExportRow], kb: Knowledge) -> bytes:
    areas = {a.number: a for a in kb.areas}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(texts.EXPORT_HEADER)
    for row in rows:
        failing = "；".join(_failing(kb, k) for k in row.failing)
        area = areas.get(row.area) if row.area is not None else None
        subscribed = {None: "", True: texts.EXPORT_YES, False: texts.EXPORT_NO}[row.subscribed]
        writer.writerow(
            [
                _cell(row.name),
                row.city,
                _cell(row.association),
                texts.EXPORT_VERDICTS.get(row.verdict, row.verdict),
                row.checked_at[:10],
                failing,
                f"({area.number}) {area.title}" if area else "",
                subscribed,
                row.last_seen[:16].replace("T", " "),
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def _failing(kb: Knowledge, key: str) -> str:
    """A failing part (c5_years: 5. 方法应用年限), or a condition of an older row (c5)."""
    found = kb.condition_part(key)
    return f"{found[0].number}. {found[1]}" if found is not None else key


def _cell(text: str) -> str:
    """A value typed by a user never starts a spreadsheet formula (=, +, -, @)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
