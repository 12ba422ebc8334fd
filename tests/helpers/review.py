"""A registry for the review tests: three copies of one project (one with an unsure amount
and a missed seal) and a hostile sheet of another, with page images to crop from."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from tasksheet.checks import check_document
from tasksheet.registry.db import Registry
from tasksheet.schemas.result import SheetResult

from helpers.example_result import example_result

AMOUNT = "commissioning.funding_support.amount_wan"


SEALED = "opinions.undertaking.sealed"


SEAL_KEY = f"missing_seal|{SEALED}"


SCRIPT = '<script>alert("x")</script>'


FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def draw_pages(result: SheetResult, out: Path) -> None:
    """Page images as the pipeline writes them (out/pages/<doc>/p<N>.jpg): each value written
    in its box, a red ring where a seal was found, so the crops show something to judge."""
    font = ImageFont.truetype(str(FONT), 24) if FONT.is_file() else ImageFont.load_default()
    folder = out / "pages" / result.id
    folder.mkdir(parents=True, exist_ok=True)
    cells = list(result.readings.items()) + [
        (f"members.{i}.{k}", r) for i, row in enumerate(result.members) for k, r in row.cells.items()]
    for page in result.pages:
        img = Image.new("RGB", (page.width, page.height), "white")
        draw = ImageDraw.Draw(img)
        for fid, r in cells:
            if r.page != page.index or not r.bbox:
                continue
            x0, y0, x1, y1 = r.bbox
            draw.rectangle(r.bbox, outline=(90, 90, 90), width=1)
            if fid.endswith(".sealed"):
                draw.ellipse((x0 + 10, y0 - 30, x0 + 110, y0 + 70), outline=(200, 30, 30), width=4)
            elif fid.endswith("signed"):
                if r.value:
                    draw.line((x0 + 10, y1 - 8, x0 + 60, y0 + 6, x0 + 120, y1 - 10), fill="navy",
                              width=3)
            elif fid == AMOUNT:
                draw.text((x0 + 6, y0 + 4), "5", fill="navy", font=font)  # on paper: 5
            elif isinstance(r.value, str):
                draw.text((x0 + 6, y0 + 4), r.value[:16], fill="navy", font=font)
        img.save(folder / f"p{page.index}.jpg", quality=85)


def doubtful(doc_id: str) -> SheetResult:
    """A copy whose amount was misread unsurely (8 for 5) and whose faint seal was missed."""
    r = example_result(doc_id=doc_id)
    r.readings[AMOUNT] = r.readings[AMOUNT].model_copy(
        update={"raw": "8", "value": "8", "confidence": 0.35})
    r.readings[SEALED].value = False
    r.readings[SEALED].confidence = 0.7
    return check_document(r)


def clean(doc_id: str) -> SheetResult:
    return check_document(example_result(doc_id=doc_id))


def hostile(doc_id: str = "doc-hostile") -> SheetResult:
    r = example_result(doc_id=doc_id)
    r.sources = [f"scans/{SCRIPT}.pdf"]
    r.readings["cover.project_name"].value = f"{SCRIPT}项目"
    r.readings["content"].value = SCRIPT
    r.readings[SEALED].value = False
    return check_document(r)


def build(url: str, out: Path) -> list[SheetResult]:
    """Three copies of one project (one doubtful) and a hostile sheet of another."""
    results = [doubtful("doc-a"), clean("doc-b"), clean("doc-c"), hostile()]
    out.mkdir(parents=True, exist_ok=True)
    with Registry(url) as reg:
        for r in results:
            r.sources = [f"{r.id}.pdf"] if r.id != "doc-hostile" else r.sources
            for page in r.pages:
                page.source = r.sources[0]
            draw_pages(r, out)
            reg.store(r, root="/scans/batch-1" if r.id != "doc-c" else "/scans/batch-2")
    return results
