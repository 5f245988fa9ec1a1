"""/export as CSV: UTF-8 with a BOM, so that Excel opens the Chinese correctly. The columns are
the ones /privacy names (``texts.EXPORT_HEADER``): the contact the enterprise gave for follow-up
(a person, a phone number or an e-mail address, when it gave one), never a subscription's
address or a Telegram id."""

from __future__ import annotations

import csv
import functools
import io

from conversations import texts
from conversations.reports import ExportRow, channel_label, condition_name
from knowledge import Knowledge


def export_csv(rows: list[ExportRow], kb: Knowledge) -> bytes:
    areas = {a.number: f"({a.number}) {a.title}" for a in kb.areas}
    subscribed = {None: "", True: texts.EXPORT_YES, False: texts.EXPORT_NO}
    named: dict[tuple[str, ...], str] = {}  # the few combinations recur: each joined once
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(texts.EXPORT_HEADER)

    def name(keys: list[str]) -> str:
        if not keys:
            return ""
        found = named.get(key := tuple(keys))
        if found is None:
            found = named[key] = "；".join(condition_name(kb, k) for k in keys)
        return found

    for row in rows:
        writer.writerow(
            [
                _cell(row.name),
                row.city,
                _cell(row.association),
                _cell(row.contact_person),
                _cell(row.contact),
                texts.EXPORT_VERDICTS.get(row.verdict, row.verdict),
                row.checked_at[:10],
                name(row.failing),
                name(row.unsure),
                areas.get(row.area, "") if row.area is not None else "",
                subscribed[row.subscribed],
                _channels(row.channels),
                row.last_seen[:16].replace("T", " "),
            ]
        )
    return out.getvalue().encode("utf-8-sig")


@functools.lru_cache(maxsize=1024)  # a few dozen combinations in practice
def _channels(channels: tuple[str, ...]) -> str:
    return "、".join(channel_label(channel) for channel in channels)


def _cell(text: str) -> str:
    """A value typed by a user never starts a spreadsheet formula (=, +, -, @)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
