"""One document through the stages: ingest → extract → check.

`process_document` never raises for a bad document: the result comes back `failed` with
`unreadable_document` and a one-line reason, so a batch goes on. A broken template
(`TemplateError`) does raise: nothing can be processed until it is fixed.

>>> from tasksheet.ingest.discover import discover                      # doctest: +SKIP
>>> [process_document(src).status for src in discover(Path("samples"))]  # doctest: +SKIP
['complete', 'incomplete', ...]
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from tasksheet.checks import check_document
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest import ingest_document
from tasksheet.ingest.document import DocumentSource, IngestedDocument
from tasksheet.readers import extract_document
from tasksheet.schemas.errors import DocumentError
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import Template, load_template

DEFAULT_DPI = 200
PAGE_JPEG_QUALITY = 80


def save_scanned_pages(doc: IngestedDocument, folder: Path) -> None:
    """Write each page as scanned (`p<N>.jpg`, N in scanned order): the frame of every bbox."""
    folder.mkdir(parents=True, exist_ok=True)
    for page in doc.pages:
        w, h = page.scan_size
        scanned = cv2.warpAffine(page.image, np.asarray(page.matrix, dtype=np.float64), (w, h),
                                 flags=cv2.INTER_AREA, borderValue=(255, 255, 255))
        cv2.imwrite(str(folder / f"p{page.index}.jpg"), scanned,
                    [cv2.IMWRITE_JPEG_QUALITY, PAGE_JPEG_QUALITY])


def process_document(source: DocumentSource, out: Path | None = None, dpi: int = DEFAULT_DPI,
                     template: Template | None = None, engine_name: str = "rapidocr",
                     on_stage: Callable[[str], None] | None = None) -> SheetResult:
    """Ingest, extract and check one document; write its page images under `out/pages/`."""
    template = template or load_template()
    result = SheetResult(id=source.id, sources=source.sources, sha256=source.sha256,
                         template=template.id)
    engine = get_engine(engine_name)
    t0 = time.perf_counter()
    try:
        doc = ingest_document(source, template, engine, dpi=dpi)
    except DocumentError as exc:
        result.fail(str(exc))
        result.timings["ingest"] = round(time.perf_counter() - t0, 3)
        return check_document(result, template)
    except Exception as exc:  # a decoder's own bug must not stop the batch either
        result.fail(f"{type(exc).__name__}: {exc}".splitlines()[0])
        return check_document(result, template)
    by_scan = sorted(doc.pages, key=lambda p: p.index)
    result.pages = [p.info() for p in by_scan]
    result.reordered = doc.out_of_order
    result.timings["ingest"] = round(time.perf_counter() - t0, 3)
    if out is not None:
        save_scanned_pages(doc, Path(out) / "pages" / source.id)
    t1 = time.perf_counter()
    try:
        extract_document(doc.pages, result, template, engine)
    except Exception as exc:
        result.fail(f"extraction failed: {type(exc).__name__}: {exc}".splitlines()[0])
        return check_document(result, template)
    result.timings["extract"] = round(time.perf_counter() - t1, 3)
    t2 = time.perf_counter()
    check_document(result, template)
    result.timings["check"] = round(time.perf_counter() - t2, 3)
    return result
