"""The campaign calendar: the five milestones of 五 and 2016's dates from the notice.

The notice dates only 2016 (``programme.yaml`` ``calendar:``). Each milestone id below maps to
the entry of that list it comes from; ``exchange_start`` and ``exchange_end`` are the two ends
of 8月—11月. Any later year has only the dates organizers set (kept by the shell, labelled as
theirs, never as the notice's).
"""

from __future__ import annotations

import calendar as _months
from dataclasses import dataclass
from datetime import date

from knowledge.models import Knowledge, Milestone

# milestone id -> (entry id in programme.yaml calendar:, which end of a span)
MILESTONE_SOURCES: dict[str, tuple[str, str]] = {
    "submission": ("submit", "start"),
    "announcement": ("announce", "start"),
    "exchange_start": ("exchange", "start"),
    "exchange_end": ("exchange", "end"),
    "summary": ("summary", "start"),
}
MILESTONES: tuple[str, ...] = tuple(MILESTONE_SOURCES)
FIRST_YEAR = 2016  # the notice's year; nothing earlier can be set


@dataclass(frozen=True)
class NoticeMilestone:
    """One milestone as the notice states it for 2016."""

    id: str
    label: str
    when: str  # the notice's wording, e.g. 6月30日前
    day: date  # the last day it covers in 2016 (7月底 -> 7月31日; 12月份 -> 12月1日)
    who: str
    what: str
    clause: str


def _label(entry: Milestone, end: str, milestone: str) -> str:
    if milestone == "exchange_start":
        return f"{entry.label}开始"
    if milestone == "exchange_end":
        return f"{entry.label}结束"
    return entry.label


def _day(year: int, entry: Milestone, end: str) -> date:
    month = entry.end_month if end == "end" and entry.end_month else entry.month
    last = _months.monthrange(year, month)[1]
    if end == "end" or entry.day is None:
        return date(year, month, last)
    return date(year, month, entry.day)


def notice_milestones(kb: Knowledge) -> list[NoticeMilestone]:
    """The five milestones with 2016's dates, in order, each with its clause."""
    by_id = {m.id: m for m in kb.programme.calendar}
    year = kb.programme.calendar_year
    result = []
    for milestone, (source, end) in MILESTONE_SOURCES.items():
        entry = by_id[source]
        result.append(
            NoticeMilestone(
                id=milestone,
                label=_label(entry, end, milestone),
                when=entry.when,
                day=_day(year, entry, end),
                who=entry.who,
                what=entry.what,
                clause=entry.clause,
            )
        )
    return result


def milestone(kb: Knowledge, milestone_id: str) -> NoticeMilestone:
    return next(m for m in notice_milestones(kb) if m.id == milestone_id)


# FAQ entries about dates -> the milestones they ask about (answered from a set calendar).
FAQ_MILESTONES: dict[str, tuple[str, ...]] = {
    "deadline_submit": ("submission",),
    "deadline_decision": ("announcement",),
    "exchange_period": ("exchange_start", "exchange_end"),
    "summary_period": ("summary",),
    "timeline": MILESTONES,
}
