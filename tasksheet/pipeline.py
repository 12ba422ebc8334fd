"""One document through the stages: ingest → extract → check, each a `Stage` over a `Job`.

`process_document` never raises for a bad document: the result comes back `failed` with
`unreadable_document` and a one-line reason, so a batch goes on. A broken template
(`TemplateError`) does raise: nothing can be processed until it is fixed.

>>> from tasksheet.ingest.discover import discover                      # doctest: +SKIP
>>> [process_document(src).status for src in discover(Path("samples"))]  # doctest: +SKIP
['complete', 'incomplete', ...]
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from tasksheet.checks import check_document
from tasksheet.extract.ocr import OcrEngine, get_engine
from tasksheet.ingest import ingest_document
from tasksheet.ingest.document import DocumentSource, IngestedDocument, Page
from tasksheet.ingest.normalize import release_memory
from tasksheet.ingest.text_height import settle_text_heights
from tasksheet.readers import extract_document
from tasksheet.schemas.errors import DocumentError, TemplateError
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import Template, load_template

DEFAULT_DPI = 200
PAGE_JPEG_QUALITY = 80
# OpenCV's threads while a document is read here, unless `TASKSHEET_CV_THREADS` says
# otherwise: one, as in every worker (`tasksheet.workers`) and as the recogniser's
# (`extract.ocr.DEFAULT_REC_THREADS`). Its thread pool splits a resize or a warp over the
# cores, which buys wall time on idle cores only and costs CPU in hand-overs; the same
# pixels come out either way (#20: six documents of seed 77, records byte for byte equal).
DEFAULT_CV_THREADS = 1


def cv_threads() -> int:
    """OpenCV's thread count for reading documents (`TASKSHEET_CV_THREADS`, else one)."""
    return int(os.environ.get("TASKSHEET_CV_THREADS", "0") or 0) or DEFAULT_CV_THREADS


def save_scanned_pages(doc: IngestedDocument, folder: Path) -> None:
    """Write each page as scanned (`p<N>.jpg`, N in scanned order): the frame of every bbox.

    A page whose normalised image is its scan (born digital: the identity map, the same
    size) is written as it is; warping it would copy the same pixels. A grey or 1-bit page
    (B = G = R, `Page.grey_planes`) is warped and written as its one grey plane: a third
    of the work, and a grey JPEG decodes to the same pixels as a colour one of equal
    channels (its luma is the same samples, coded with the same tables)."""
    folder.mkdir(parents=True, exist_ok=True)
    for page in doc.pages:
        if _is_identity(page):
            scanned = page.image
        else:
            plane = page.grey_planes()
            scanned = page.scan_image(cv2.INTER_AREA, image=plane) if plane is not None \
                else page.scan_image(cv2.INTER_AREA)
        cv2.imwrite(str(folder / f"p{page.index}.jpg"), scanned,
                    [cv2.IMWRITE_JPEG_QUALITY, PAGE_JPEG_QUALITY])


def _is_identity(page: Page) -> bool:
    """Whether the page's image is already in the frame of the page as scanned."""
    m = np.asarray(page.matrix, dtype=np.float64)
    h, w = page.image.shape[:2]
    return (m.shape == (2, 3) and (w, h) == tuple(page.scan_size)
            and bool(np.array_equal(m, np.eye(2, 3))))


@dataclass
class Job:
    """One document on its way through the stages: what every stage reads and adds to.

    `result` is the central object (it is what is stored and exported); `pages` holds the
    ingested pages between ingest and extraction."""

    source: DocumentSource
    template: Template
    engine: OcrEngine
    result: SheetResult
    out: Path | None = None
    dpi: int = DEFAULT_DPI
    pages: list[Page] = field(default_factory=list)


def ingest_stage(job: Job) -> None:
    """Pages upright, classified and in the form's order; the page images under `out/`."""
    doc = ingest_document(job.source, job.template, job.engine, dpi=job.dpi)
    # one text height for the document's tables: a sparse page's own is a seal's or a pen's
    settle_text_heights(doc.pages, job.template, job.engine)
    job.pages = doc.pages
    job.result.pages = [p.info() for p in sorted(doc.pages, key=lambda p: p.index)]
    job.result.reordered = doc.out_of_order
    if job.out is not None:
        save_scanned_pages(doc, Path(job.out) / "pages" / job.source.id)


def extract_stage(job: Job) -> None:
    """Every section of the template read from the pages (readers over detectors)."""
    extract_document(job.pages, job.result, job.template, job.engine)
    job.pages = []  # the pixels are not needed past here


def check_stage(job: Job) -> None:
    """The template's rules: findings (structural ones included) and the status."""
    check_document(job.result, job.template)


Stage = Callable[[Job], None]
# The pipeline, in order: each stage takes the job and adds to it. A stage that raises
# fails the document (DocumentError: its message is the reason); the checks still run.
STAGES: list[tuple[str, Stage]] = [("ingest", ingest_stage), ("extract", extract_stage),
                                   ("check", check_stage)]
FAIL_PREFIX = {"ingest": "", "extract": "extraction failed: ", "check": "check failed: "}


def process_document(source: DocumentSource, out: Path | None = None, dpi: int = DEFAULT_DPI,
                     template: Template | None = None, engine_name: str = "rapidocr",
                     on_stage: Callable[[str], None] | None = None) -> SheetResult:
    """Run `STAGES` on one document; write its page images under `out/pages/`."""
    template = template or load_template()
    if cv2.getNumThreads() != cv_threads():
        cv2.setNumThreads(cv_threads())
    job = Job(source=source, template=template, engine=get_engine(engine_name), out=out, dpi=dpi,
              result=SheetResult(id=source.id, sources=source.sources, sha256=source.sha256,
                                 template=template.id))
    for name, stage in STAGES:
        if on_stage is not None:
            on_stage(name)
        t = time.perf_counter()
        try:
            stage(job)
        except TemplateError:
            raise
        except DocumentError as exc:
            job.result.fail(f"{FAIL_PREFIX[name]}{exc}")
        except Exception as exc:  # a decoder's own bug must not stop the batch either
            job.result.fail(f"{FAIL_PREFIX[name]}{type(exc).__name__}: {exc}".splitlines()[0])
        job.result.timings[name] = round(time.perf_counter() - t, 3)
        release_memory()  # the stage's temporaries are gone: its heap goes back too
        if job.result.status == "failed":
            check_document(job.result, job.template)  # the failed document's one finding
            break
    return job.result
