"""The /stats chart: completed self-checks and eligible enterprises as bars, per city for the
province, per month for a city or an association. Agg backend, Chinese labels in Noto Sans SC
(the font ships with the install: the ``pylopdf-fonts-zh-cn`` package, SIL OFL)."""

from __future__ import annotations

import functools
import io
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from conversations import texts
from conversations.reports import Counts, Stats, scope_label

if TYPE_CHECKING:
    from matplotlib.font_manager import FontProperties

# matplotlib (~30 MiB resident, ~0.2 s to import) is loaded by the first chart drawn, not by
# whoever imports this module: a bot that never draws one does not carry it (bench/memory.py).


@functools.cache
def cjk_font() -> FontProperties:
    """Noto Sans SC from the installed font package, registered with matplotlib once."""
    import pylopdf_fonts_zh_cn

    font_manager = _matplotlib().font_manager
    path = Path(pylopdf_fonts_zh_cn.sans_path())
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path))


def chart_rows(stats: Stats) -> list[Counts]:
    """The bars: every city with an enterprise (province), or every month of the period."""
    if stats.per_city:
        return [row for row in stats.by_city if row.enterprises or row.checked]
    return stats.by_month


def chart_labels(stats: Stats) -> list[str]:
    """Every piece of text the chart draws (the test checks the font covers each)."""
    rows = chart_rows(stats)
    ticks = [_tick(stats, row) for row in rows]
    return [
        _title(stats),
        texts.CHART_CHECKED,
        texts.CHART_ELIGIBLE,
        texts.CHART_ENTERPRISES,
        *ticks,
    ]


# matplotlib shares its FreeType font objects between figures, and they are not thread-safe:
# two organizers' charts are drawn one after the other (each in a worker thread).
_DRAWING = threading.Lock()


def chart_png(stats: Stats) -> bytes:
    with _DRAWING:
        return _draw(stats)


@functools.cache
def _matplotlib():
    """matplotlib with the Agg backend (no display), imported once."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.figure
    import matplotlib.font_manager

    return matplotlib


def _draw(stats: Stats) -> bytes:
    Figure = _matplotlib().figure.Figure
    font = cjk_font()
    family = font.get_name()
    rows = chart_rows(stats)
    width = max(6.4, 0.6 * len(rows) + 2)
    figure = Figure(figsize=(width, 4.2), dpi=110)
    axes = figure.subplots()
    positions = range(len(rows))
    bar = 0.38
    checked = axes.bar(
        [p - bar / 2 for p in positions],
        [r.checked for r in rows],
        bar,
        label=texts.CHART_CHECKED,
        color="#4C78A8",
    )
    eligible = axes.bar(
        [p + bar / 2 for p in positions],
        [r.eligible for r in rows],
        bar,
        label=texts.CHART_ELIGIBLE,
        color="#F58518",
    )
    for bars in (checked, eligible):
        axes.bar_label(bars, padding=2, fontsize=8, fmt=lambda v: f"{v:.0f}" if v else "")
    axes.set_xticks(list(positions), [_tick(stats, r) for r in rows], family=family)
    if stats.per_city and len(rows) > 8:
        axes.tick_params(axis="x", labelrotation=45)
    axes.set_ylabel(texts.CHART_ENTERPRISES, family=family)
    axes.set_title(_title(stats), family=family, fontsize=11, loc="left", pad=22)
    axes.yaxis.get_major_locator().set_params(integer=True)
    # Counts start at zero; with nothing counted yet the axis still reads 0…1, not ±0.04.
    axes.set_ylim(bottom=0, top=max([1, *(r.checked for r in rows)]) * 1.15)
    axes.spines[["top", "right"]].set_visible(False)
    # A fixed place for the legend and fixed margins: matplotlib's "best" legend spot and
    # tight_layout each measure every text again (a third of the drawing time).
    axes.legend(prop=font, frameon=False, loc="upper right", ncols=2, bbox_to_anchor=(1, 1.01))
    bottom = 0.2 if stats.per_city and len(rows) > 8 else 0.14
    figure.subplots_adjust(left=0.08 if width < 9 else 0.06, right=0.98, top=0.86, bottom=bottom)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _title(stats: Stats) -> str:
    template = texts.CHART_TITLE_CITY if stats.per_city else texts.CHART_TITLE_MONTH
    return template.format(scope=scope_label(stats.scope), period=stats.period)


def _tick(stats: Stats, row: Counts) -> str:
    if stats.per_city:
        return row.label or texts.NO_CITY
    year, month = row.label.split("-")
    single_year = stats.period.start.year == stats.period.end.year
    label = texts.CHART_MONTH.format(month=int(month))
    return label if single_year else f"{year}\n{label}"
