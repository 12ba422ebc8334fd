"""Born-digital PDF: the Word export of a typed sheet. Real text layer in a CJK font,
vector ruling lines, and the signatures and seals pasted in as images (seals multiplied,
as a scanned stamp image would be placed by hand). No scan degradations.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextMode
from tasksheet.samplegen.fonts import BOLD, FONTS, OFFICE_FONTS, PT_MM, plain
from tasksheet.samplegen.layout import PAGE_H, PAGE_W, Line, Mark, PageLayout, Text
from tasksheet.samplegen.render_raster import mark_image

MARK_DPI = 300
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # bitmap tables of the TTCs
FIXED_DATE = dt.datetime(2018, 6, 15, 9, 0, tzinfo=dt.UTC)  # keeps the bytes reproducible


def write_digital_pdf(pages: list[PageLayout], path: Path) -> None:
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.set_producer("Microsoft® Word 2016")
    used = sorted({plain(it.font) for pg in pages for it in pg.items
                   if isinstance(it, Text) and it.text})
    for name in used:  # parsing a CJK collection costs ~1 s: only the faces on the page
        fpath, index = FONTS[pdf_face(name)]
        pdf.add_font(f"sg-{name}", "", fpath, collection_font_number=index)
    k = MARK_DPI / 25.4
    for page in pages:
        pdf.add_page()
        pdf.set_draw_color(0, 0, 0)
        for it in [*page.items, *page.furniture]:  # a born-digital export: no `tilt`
            if isinstance(it, Line):
                pdf.set_line_width(it.width)
                pdf.line(it.x0, it.y0, it.x1, it.y1)
            elif isinstance(it, Text) and it.text:
                pdf.set_font(f"sg-{plain(it.font)}", size=it.size / PT_MM)
                pdf.set_text_color(*it.color)
                if it.font.endswith(BOLD):  # Word's bold for a face without one: a stroke
                    with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=it.size * 0.035):
                        pdf.text(it.x, it.y, it.text)
                else:
                    pdf.text(it.x, it.y, it.text)
        marks = sorted((m for m in page.items if isinstance(m, Mark)), key=lambda m: m.kind == "seal")
        for m in marks:
            x0, y0, x1, y1 = m.box
            w, h = max(2, round((x1 - x0) * k)), max(2, round((y1 - y0) * k))
            buf = io.BytesIO()
            mark_image(m, w, h, k).save(buf, "PNG")
            if m.kind == "seal":
                with pdf.local_context(blend_mode="Multiply"):
                    pdf.image(buf, x=x0, y=y0, w=x1 - x0, h=y1 - y0)
            else:
                pdf.image(buf, x=x0, y=y0, w=x1 - x0, h=y1 - y0)
    pdf.output(str(path))


def pdf_face(name: str) -> str:
    """The face embedded for `name`: a CFF-outline face (Noto CJK) as fpdf embeds it has a
    text layer pdfminer cannot decode (pdfium can), which no office suite's export shows;
    its TrueType stand-in is embedded instead (the same CJK advances, one em)."""
    if name in OFFICE_FONTS and FONTS[name][0].endswith(".ttc") and "noto" in FONTS[name][0].lower():
        return OFFICE_FONTS[name][2]
    return name


def write_image_pdf(jpegs: list[bytes], path: Path) -> None:
    """A scanner's PDF: one JPEG per A4 page, no text layer."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_auto_page_break(False)
    pdf.set_producer("Scanner PDF")
    for data in jpegs:
        pdf.add_page()
        pdf.image(io.BytesIO(data), x=0, y=0, w=PAGE_W, h=PAGE_H)
    pdf.output(str(path))
