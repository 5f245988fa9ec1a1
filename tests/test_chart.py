"""The /stats chart: a real PNG whose Chinese labels are drawn with a font that has them."""

from __future__ import annotations

import io
from datetime import date

import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager

from bot.reports.chart import chart_labels, chart_png, cjk_font
from conversations.reports import Counts, Period, Stats

PNG = b"\x89PNG\r\n\x1a\n"


def province() -> Stats:
    rows = [Counts("南京", 5, 4, 2), Counts("连云港", 3, 3, 1), Counts("", 2, 1, 0)]
    return Stats(scope="province", period=Period.year(2026), by_city=rows)


def city() -> Stats:
    months = [Counts(m, 0, i % 3, i % 2) for i, m in enumerate(Period.year(2026).months())]
    return Stats(scope="city:苏州", period=Period.year(2026), by_month=months)


def covered(path: str, text: str) -> set[str]:
    """The characters of ``text`` the font at ``path`` has no glyph for."""
    cmap = TTFont(path, fontNumber=0).getBestCmap()
    return {ch for ch in text if not ch.isspace() and ord(ch) not in cmap}


@pytest.mark.parametrize("stats", [province(), city()], ids=["per city", "per month"])
def test_the_chart_renders_and_its_font_has_every_label_character(stats):
    png = chart_png(stats)
    assert png.startswith(PNG) and len(png) > 5_000
    from matplotlib import image

    pixels = image.imread(io.BytesIO(png))
    assert pixels.shape[0] > 300 and pixels.shape[1] > 600
    font = cjk_font()
    # matplotlib's own lookup, as the chart asks for the family: the shipped file, no fallback
    found = font_manager.findfont(font_manager.FontProperties(family=font.get_name()))
    assert found == font.get_file()
    labels = chart_labels(stats)
    assert any("月" in label or "南京" in label for label in labels)
    missing = covered(found, "".join(labels))
    assert missing == set(), f"drawn as empty boxes: {sorted(missing)}"


def test_the_default_font_would_not_do():
    """The check can fail: DejaVu Sans (matplotlib's default) has no Chinese."""
    dejavu = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    assert covered(dejavu, "各市完成自测") != set()


def test_a_period_over_two_years_names_the_years():
    stats = Stats(
        scope="assoc:省机械行业协会",
        period=Period(date(2026, 11, 1), date(2027, 2, 28)),
        by_month=[
            Counts(m, 0, 1, 1) for m in Period(date(2026, 11, 1), date(2027, 2, 28)).months()
        ],
    )
    labels = chart_labels(stats)
    assert "2026\n11月" in labels and "2027\n2月" in labels
    assert chart_png(stats).startswith(PNG)


def test_charts_drawn_in_parallel_threads_come_out_whole():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        images = list(pool.map(lambda s: chart_png(s), [province(), city()] * 3))
    assert all(png.startswith(PNG) for png in images)
    assert len({png for png in images[::2]}) == 1  # the same chart, the same bytes
