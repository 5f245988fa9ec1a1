"""What organizers' reports are made of, and how they read: the period, the numbers of a scope
(filled by the store, ``bot.store.stats``), the statistics message, near-duplicate unanswered
questions grouped (rapidfuzz). Pure: plain data in, text out; the chart and the CSV (real work:
matplotlib, encoding) are rendered by the shell in a worker thread (``bot.reports``)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from conversations import texts
from knowledge import Knowledge

# ---- the period ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included (Asia/Shanghai)."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def bounds(self) -> tuple[str, str]:
        """[from, to) as strings comparable with stored timestamps."""
        return self.start.isoformat(), (self.end + timedelta(days=1)).isoformat()

    def months(self) -> list[str]:
        """'2026-01' … of every month the period touches."""
        out, y, m = [], self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def __str__(self) -> str:
        whole = (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)
        if whole and self.start.year == self.end.year:
            return f"{self.start.year}年"
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"


_RANGE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})\s*(?:\.\.|~|至|到|—|--)\s*(\d{4}-\d{1,2}-\d{1,2})$")


def parse_period(text: str, today: date) -> Period:
    """'' (this year), '2027', '2026-01-01..2026-06-30'; ValueError otherwise."""
    text = (text or "").strip()
    if not text:
        return Period.year(today.year)
    if re.fullmatch(r"\d{4}年?", text):
        return Period.year(int(text[:4]))
    if match := _RANGE.match(text):
        start, end = (date(*map(int, part.split("-"))) for part in match.groups())
        if end < start:
            raise ValueError("the period ends before it starts")
        return Period(start, end)
    raise ValueError(f"not a period: {text!r}")


# ---- what a reader gets ----------------------------------------------------------------------


@dataclass
class Counts:
    """Enterprises of one city or one month."""

    label: str
    enterprises: int = 0  # used the bot in the period
    checked: int = 0  # completed a self-check in the period
    eligible: int = 0  # … and their latest one then said eligible


@dataclass
class Stats:
    scope: str
    period: Period
    enterprises: int = 0
    profiles: int = 0  # of those, gave a name, city or association
    checks: int = 0  # self-checks completed (several per enterprise possible)
    checked: int = 0
    eligible: int = 0
    failing: list[tuple[str, int]] = field(default_factory=list)  # condition key, enterprises
    unsure: list[tuple[str, int]] = field(default_factory=list)  # … answered 不确定 instead
    areas: list[tuple[int, int]] = field(default_factory=list)  # area number, enterprises
    subscriptions: int | None = None  # None: no subscriptions table yet
    channels: dict[str, int] | None = None  # channel -> enterprises subscribed there
    broadcasts: int | None = None
    deliveries: dict[str, int] | None = None  # status -> count
    by_city: list[Counts] = field(default_factory=list)  # when read by city (the province's)
    by_month: list[Counts] = field(default_factory=list)

    @property
    def per_city(self) -> bool:
        return bool(self.by_city)


def condition_name(kb: Knowledge, key: str, *, clause: bool = False) -> str:
    """A failing part (c5_years: 5. 方法应用年限) or a whole condition (c5, older rows) as
    people read it, optionally with its clause; an unknown key as it is."""
    found = kb.condition_part(key)
    if found is None:
        return key
    condition, short = found
    name = f"{condition.number}. {short}"
    return f"{name}（通知{condition.clause}）" if clause else name


def condition_counts(stats: Stats) -> list[tuple[str, int, int]]:
    """(condition key, enterprises that failed it, enterprises unsure of it), most failed
    first, then most unsure."""
    failed, unsure = dict(stats.failing), dict(stats.unsure)
    keys = sorted(failed.keys() | unsure.keys(),
                  key=lambda k: (-failed.get(k, 0), -unsure.get(k, 0), k))  # fmt: skip
    return [(key, failed.get(key, 0), unsure.get(key, 0)) for key in keys]


@dataclass
class ExportRow:
    name: str
    city: str
    association: str
    verdict: str  # eligible | not_eligible | unsure | ''
    checked_at: str
    failing: list[str]
    area: int | None
    subscribed: bool | None  # None: no subscriptions table yet
    last_seen: str
    unsure: list[str] = field(default_factory=list)  # conditions the latest check left 不确定
    channels: tuple[str, ...] = ()  # where its active subscriptions go (never an address)
    contact_person: str = ""  # the contact the enterprise gave for follow-up, if any
    contact: str = ""  # its phone number or e-mail address, if given


# ---- the statistics message ------------------------------------------------------------------


def scope_label(scope: str) -> str:
    """How a report names the scope it covers: 全省, 苏州市, the association."""
    kind, _, name = scope.strip().partition(":")
    if kind == "city":
        return texts.SCOPE_CITY.format(name=name.removesuffix("市") or name)
    if kind == "assoc":
        return texts.SCOPE_ASSOC.format(name=name)
    return texts.SCOPE_PROVINCE


def channel_label(channel: str) -> str:
    """Telegram, 网页, 电子邮件: how a channel is named to organizers."""
    return texts.CHANNEL_LABELS.get(channel, channel)


def share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "—"


def stats_text(stats: Stats, kb: Knowledge) -> str:
    areas = {a.number: a for a in kb.areas}
    lines = [
        texts.STATS_HEADER.format(scope=scope_label(stats.scope), period=stats.period),
        texts.STATS_ENTERPRISES.format(n=stats.enterprises, profiles=stats.profiles),
        texts.STATS_CHECKS.format(checked=stats.checked, checks=stats.checks),
        texts.STATS_ELIGIBLE.format(
            eligible=stats.eligible, share=share(stats.eligible, stats.checked)
        ),
    ]
    if stats.subscriptions is not None:
        lines.append(texts.STATS_SUBSCRIPTIONS.format(n=stats.subscriptions))
        if stats.channels:
            parts = "，".join(f"{channel_label(k)} {n}" for k, n in stats.channels.items())
            lines.append(texts.STATS_SUBSCRIPTION_CHANNELS.format(parts=parts))
    if stats.broadcasts is not None:
        lines.append(texts.STATS_BROADCASTS.format(n=stats.broadcasts))
        if stats.deliveries:
            names = texts.STATS_DELIVERY_STATUS
            parts = "，".join(f"{names.get(k, k)} {n}" for k, n in stats.deliveries.items())
            lines.append(texts.STATS_DELIVERIES.format(parts=parts))
    lines += ["", texts.STATS_FAILING_HEADER]
    for key, n in stats.failing[:6]:  # a part's key (c5_years), or a condition's (older rows)
        found = kb.condition_part(key)
        if found is None:
            lines.append(f"  {key}：{n}")
        else:
            c, short = found
            lines.append(
                texts.STATS_FAILING_LINE.format(number=c.number, short=short, clause=c.clause, n=n)
            )
    if not stats.failing:
        lines.append(texts.STATS_NONE)
    if stats.unsure:
        lines += ["", texts.STATS_UNSURE_HEADER]
        for key, n in stats.unsure[:6]:
            name = condition_name(kb, key, clause=True)
            lines.append(texts.STATS_UNSURE_LINE.format(condition=name, n=n))
    lines += ["", texts.STATS_AREAS_HEADER]
    for number, n in stats.areas[:10]:
        title = areas[number].title if number in areas else str(number)
        lines.append(texts.STATS_AREAS_LINE.format(number=number, title=title, n=n))
    if not stats.areas:
        lines.append(texts.STATS_NONE)
    lines.append("")
    if stats.per_city:
        lines.append(texts.STATS_BY_CITY_HEADER)
        for row in stats.by_city:
            label = row.label or texts.NO_CITY
            lines.append(
                texts.STATS_ROW_CITY.format(
                    label=label,
                    enterprises=row.enterprises,
                    checked=row.checked,
                    eligible=row.eligible,
                )
            )
    else:
        lines.append(texts.STATS_BY_MONTH_HEADER)
        for row in stats.by_month:
            if row.checked:
                lines.append(
                    texts.STATS_ROW_MONTH.format(
                        label=row.label, checked=row.checked, eligible=row.eligible
                    )
                )
        if not any(row.checked for row in stats.by_month):
            lines.append(texts.STATS_NONE)
    return "\n".join(lines)


def stats_json(stats: Stats) -> dict:
    """The statistics as JSON-ready data (``biaogan stats --json``)."""
    return {
        "scope": stats.scope,
        "from": stats.period.start.isoformat(),
        "to": stats.period.end.isoformat(),
        "enterprises": stats.enterprises,
        "profiles": stats.profiles,
        "checks": stats.checks,
        "checked": stats.checked,
        "eligible": stats.eligible,
        "failing": dict(stats.failing),
        "unsure": dict(stats.unsure),
        "areas": {str(number): n for number, n in stats.areas},
        "subscriptions": stats.subscriptions,
        "channels": stats.channels,
        "broadcasts": stats.broadcasts,
        "deliveries": stats.deliveries,
        "by_city": [vars(row) for row in stats.by_city],
        "by_month": [vars(row) for row in stats.by_month],
    }


# ---- unanswered questions --------------------------------------------------------------------

_NOISE = re.compile(r"[\s\W_]+")
SIMILAR = 80  # rapidfuzz ratio (0-100) at which two questions count as the same question


@dataclass
class Group:
    text: str  # the most frequent wording
    count: int = 0
    variants: Counter[str] = field(default_factory=Counter)


def key(text: str) -> str:
    """What is compared: lower case, no spaces or punctuation."""
    return _NOISE.sub("", text.lower())


def group_questions(questions: list[str], similar: int = SIMILAR) -> list[Group]:
    """Groups of near-identical questions, largest first (ties: first asked)."""
    from rapidfuzz import fuzz, process  # ~4 MiB: loaded by the first report, not at start-up

    exact = Counter(q.strip() for q in questions if q.strip())
    groups: list[Group] = []
    keys: list[str] = []
    for text, count in exact.most_common():
        k = key(text) or text
        found = process.extractOne(k, keys, scorer=fuzz.ratio, score_cutoff=similar)
        if found is None:
            groups.append(Group(text=text))
            keys.append(k)
            group = groups[-1]
        else:
            group = groups[found[2]]
        group.count += count
        group.variants[text] += count
    return sorted(groups, key=lambda g: -g.count)


def unanswered_text(groups: list[Group], scope: str, limit: int = 20) -> str:
    if not groups:
        return texts.UNANSWERED_NONE.format(scope=scope)
    lines = [texts.UNANSWERED_HEADER.format(scope=scope)]
    for rank, group in enumerate(groups[:limit], start=1):
        lines.append(texts.UNANSWERED_LINE.format(rank=rank, text=group.text, n=group.count))
        others = [v for v in group.variants if v != group.text][:3]
        if others:
            lines.append(texts.UNANSWERED_ALSO.format(others="；".join(others)))
    return "\n".join(lines)
