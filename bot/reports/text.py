"""The statistics as a short message: one number a line, then the tables."""

from __future__ import annotations

from bot.store.scope import Scope
from bot.store.stats import Stats
from conversations import texts
from knowledge import Knowledge


def scope_label(scope: str) -> str:
    parsed = Scope.parse(scope)
    if parsed.is_province:
        return texts.SCOPE_PROVINCE
    if parsed.kind == "city":
        return texts.SCOPE_CITY.format(name=parsed.name)
    return texts.SCOPE_ASSOC.format(name=parsed.name)


def share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "—"


def stats_text(stats: Stats, kb: Knowledge) -> str:
    conditions = {c.key: c for c in kb.conditions}
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
    if stats.broadcasts is not None:
        lines.append(texts.STATS_BROADCASTS.format(n=stats.broadcasts))
        if stats.deliveries:
            names = texts.STATS_DELIVERY_STATUS
            parts = "，".join(f"{names.get(k, k)} {n}" for k, n in stats.deliveries.items())
            lines.append(texts.STATS_DELIVERIES.format(parts=parts))
    lines += ["", texts.STATS_FAILING_HEADER]
    for key, n in stats.failing[:6]:
        c = conditions.get(key)
        if c is None:
            lines.append(f"  {key}：{n}")
        else:
            lines.append(
                texts.STATS_FAILING_LINE.format(
                    number=c.number, short=c.short, clause=c.clause, n=n
                )
            )
    if not stats.failing:
        lines.append(texts.STATS_NONE)
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
        "areas": {str(number): n for number, n in stats.areas},
        "subscriptions": stats.subscriptions,
        "broadcasts": stats.broadcasts,
        "deliveries": stats.deliveries,
        "by_city": [vars(row) for row in stats.by_city],
        "by_month": [vars(row) for row in stats.by_month],
    }
