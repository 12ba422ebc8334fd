"""Checked results a report must show safely, and page images as the pipeline writes them."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw
from tasksheet.checks import check_document
from tasksheet.schemas.result import SheetResult

from helpers.example_result import example_result

SCRIPT = "<script>alert(1)</script>"


def draw_pages(result: SheetResult, out: Path) -> None:
    """Page images as the pipeline writes them: out/pages/<doc>/p<N>.jpg, the bbox frame."""
    folder = out / "pages" / result.id
    folder.mkdir(parents=True, exist_ok=True)
    for page in result.pages:
        img = Image.new("RGB", (page.width, page.height), "white")
        draw = ImageDraw.Draw(img)
        for reading in result.readings.values():
            if reading.page == page.index and reading.bbox:
                draw.rectangle(reading.bbox, outline="black", width=2)
        img.save(folder / f"p{page.index}.jpg", quality=85)


def unsealed(doc_id: str = "doc-seal") -> SheetResult:
    result = example_result(doc_id=doc_id)
    result.readings["opinions.undertaking.sealed"].value = False
    return check_document(result)


def hostile(doc_id: str = "doc-hostile") -> SheetResult:
    result = example_result(doc_id=doc_id)
    result.sources = [f"scans/{SCRIPT}.pdf"]
    result.readings["content"].raw = SCRIPT
    result.readings["content"].value = SCRIPT
    result.readings["opinions.undertaking.seal_text"].value = f"{SCRIPT}公司"
    return check_document(result)
