"""Drawing is a feature: what extraction saw on one page, over the page as scanned.

`tasksheet debug FILE --page N -o overlay.png` runs ingest and extraction on one file and
draws the grid's cells, every value's box with its field id and the text read, checkbox
states (ticked green, unticked grey), signature boxes (magenta) and seals (red).
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from tasksheet.extract.grid import find_grids
from tasksheet.schemas.errors import DocumentError
from tasksheet.schemas.result import Reading, SheetResult

FONTS = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
         "/usr/share/fonts/truetype/arphic/uming.ttc")
CELL, VALUE, TICKED, UNTICKED, SIGNATURE, SEAL = (
    (70, 130, 230), (0, 150, 0), (0, 170, 0), (150, 150, 150), (200, 0, 200), (230, 0, 0))


def _font(size: int) -> ImageFont.ImageFont:
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def draw_readings(image: np.ndarray, readings: dict[str, Reading], page: int,
                  cells: list[tuple[int, int, int, int]] = ()) -> Image.Image:
    """The scanned page (BGR) with cells and the readings of page `page` drawn over it."""
    canvas = Image.fromarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
    draw = ImageDraw.Draw(canvas)
    size = max(10, image.shape[0] // 140)
    font = _font(size)
    for box in cells:
        draw.rectangle(box, outline=CELL, width=1)
    for fid, r in readings.items():
        if r.page != page:
            continue
        for mark in r.options:
            if mark.bbox:
                draw.rectangle(mark.bbox, outline=TICKED if mark.ticked else UNTICKED, width=3)
        if r.bbox is None:
            continue
        colour = SIGNATURE if fid.endswith(".signed") else SEAL if fid.endswith((".sealed", ".seal_text")) \
            else VALUE
        draw.rectangle(r.bbox, outline=colour, width=2)
        shown = r.value if not isinstance(r.value, list) else "、".join(r.value)
        label = f"{fid} = {shown}" if shown not in (None, "") else f"{fid} = (empty)"
        draw.text((r.bbox[0], max(0, r.bbox[1] - size - 2)), label, fill=colour, font=font)
    return canvas


def debug_overlay(path: Path, page: int = 1, out: Path = Path("overlay.png")) -> Path:
    """Ingest and extract `path`, then draw page `page` (1-based, as scanned) into `out`."""
    from tasksheet.extract.ocr import get_engine
    from tasksheet.ingest import ingest_document
    from tasksheet.ingest.document import DocumentSource
    from tasksheet.ingest.hashing import content_sha256, document_id
    from tasksheet.readers import extract_document
    from tasksheet.schemas.template import load_template

    path = Path(path)
    if not path.is_file():
        raise DocumentError(f"no such file: {path}")
    sha = content_sha256([path])
    src = DocumentSource(id=document_id(sha), sha256=sha, root=path.parent, paths=[path],
                         sources=[path.name])
    template, engine = load_template(), get_engine()
    doc = ingest_document(src, template, engine)
    pages = {p.index: p for p in doc.pages}
    if page not in pages:
        raise DocumentError(f"{path.name} has no page {page} (pages: {sorted(pages)})")
    result = SheetResult(id=src.id, sources=src.sources, sha256=sha, template=template.id)
    extract_document(doc.pages, result, template, engine)
    for row in result.members:
        for key, reading in row.cells.items():
            result.readings[f"members.{row.party}.{row.index}.{key}"] = reading
    p = pages[page]
    scanned = p.scan_image()
    cells = [p.to_scan(c.bbox) for g in find_grids(p.image) for c in g.cells]
    draw_readings(scanned, result.readings, page, cells).save(out)
    return Path(out)
