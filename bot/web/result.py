"""The visitor's result as a PDF: the latest self-check with its basis, the chosen area with
its case title and materials checklist (``conversations.keep``), in the CJK font the install
ships (``pylopdf-fonts-zh-cn``, Noto Sans SC, SIL OFL; the one ``bot.reports.chart`` uses).

fpdf2 draws it: pure Python, maintained, embeds a subset of an OpenType font (0.2 s and
~60 KB for a result here) and wraps CJK lines by character; reportlab would do as well but
needs its CID-font set-up for an .otf with CFF outlines. Only the visitor's own rows are read.
"""

from __future__ import annotations

import json
from datetime import datetime

from bot.store import Store
from conversations import texts
from conversations.core import SHANGHAI, Context
from conversations.keep import KeptArea, KeptCheck, Section, result_sections

# Glyphs the font lacks, drawn as the nearest it has.
STAND_INS = str.maketrans({"✗": "×", "✔": "✓", "✘": "×"})
PAGE_MARGIN_MM = 18
BODY_PT = 11
LINE_MM = 6.2


def latest_result(store: Store, ctx: Context, chat_id: int) -> list[Section] | None:
    """The sections of the chat's latest check and chosen area; None when it has neither."""
    check = store.db.execute(
        "SELECT answers, at FROM checks WHERE chat_id = ? ORDER BY at DESC, id DESC LIMIT 1",
        [chat_id],
    ).fetchone()
    area = store.db.execute(
        "SELECT chosen, text, at FROM area_suggestions WHERE chat_id = ? AND chosen IS NOT NULL"
        " ORDER BY at DESC, id DESC LIMIT 1",
        [chat_id],
    ).fetchone()
    if check is None and area is None:
        return None
    kept_check = KeptCheck(json.loads(check[0]), check[1][:10]) if check else None
    kept_area = KeptArea(int(area[0]), area[1] or "", area[2][:10]) if area else None
    return result_sections(ctx, store.profile(chat_id), kept_check, kept_area)


def result_pdf(
    sections: list[Section], *, document: str, enterprise: str | None, made: datetime
) -> bytes:
    """The result as an A4 PDF (black on white, the notice's document number in the footer)."""
    import pylopdf_fonts_zh_cn
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM)
    pdf.set_auto_page_break(True, margin=PAGE_MARGIN_MM)
    pdf.add_font("cjk", fname=str(pylopdf_fonts_zh_cn.sans_path()))
    pdf.set_title(texts.KEEP_TITLE)
    pdf.set_creator(texts.BOT_NAME)
    pdf.set_creation_date(made)
    pdf.set_lang("zh-CN")
    pdf.add_page()
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("cjk", size=18)
    _lines(pdf, texts.KEEP_TITLE, 10)
    pdf.set_font("cjk", size=10)
    stamp = made.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    _lines(pdf, texts.KEEP_MADE.format(when=stamp), 5.5)
    if enterprise:
        _lines(pdf, texts.KEEP_ENTERPRISE.format(name=enterprise), 5.5)
    for section in sections:
        pdf.ln(4)
        pdf.set_font("cjk", size=13.5)
        _lines(pdf, section.heading, 8)
        y = pdf.get_y()
        pdf.set_line_width(0.3)
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.ln(2)
        pdf.set_font("cjk", size=BODY_PT)
        for paragraph in section.body.split("\n"):
            if paragraph.strip():
                _lines(pdf, paragraph, LINE_MM)
            else:
                pdf.ln(LINE_MM / 2)
    pdf.ln(5)
    pdf.set_font("cjk", size=9)
    _lines(pdf, texts.KEEP_SOURCE.format(document=document, bot=texts.BOT_NAME), 5)
    return bytes(pdf.output())


def _lines(pdf: object, text: str, height: float) -> None:
    """A paragraph wrapped by character (Chinese has no spaces to wrap at)."""
    pdf.multi_cell(  # type: ignore[attr-defined]
        0, height, text.translate(STAND_INS), new_x="LMARGIN", new_y="NEXT", wrapmode="CHAR"
    )
