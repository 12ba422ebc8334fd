"""Samples: realistic filled, signed, sealed and scanned task sheets, with their truth.

The project's test bed and demo input. Every document is drawn from the form template
(`schemas/task_sheet_2018.yaml`) and comes with a truth file holding the exact `Record`
a perfect reader would export, including the findings its injected defects must raise.

>>> from pathlib import Path
>>> truths = generate(4, seed=7, out=Path("/tmp/samples"))   # doctest: +SKIP
>>> truths[0]["sources"]                                      # doctest: +SKIP
['doc-0001.pdf']
"""

from __future__ import annotations

import random
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from tasksheet.samplegen.capture import CAPTURES
from tasksheet.samplegen.document import make_document, prepare
from tasksheet.samplegen.fill import fake_sheet
from tasksheet.samplegen.flow import layout_flowing
from tasksheet.samplegen.form import layout_sheet
from tasksheet.samplegen.layout import Style
from tasksheet.samplegen.plan import FORMATS, LAYOUTS, PLAN_CAPTURES, DocPlan, plan_documents
from tasksheet.samplegen.render_raster import render_page as _render_layout
from tasksheet.samplegen.scan import random_params, scan

__all__ = ["CAPTURES", "FORMATS", "LAYOUTS", "PLAN_CAPTURES", "DocPlan", "generate", "page_images",
           "plan_documents", "prepare", "render_page"]


def generate(n: int, seed: int, out: Path, defect_rate: float = 0.5,
             formats: list[str] | None = None, *, dpi: int | tuple[int, ...] | None = None,
             jpeg_quality: int | None = None, workers: int = 1,
             layouts: list[str] | None = None,
             captures: list[str] | None = None, office: bool = True) -> list[dict[str, Any]]:
    """Write `n` documents and `out/truth/<name>.json` for each; return the truth dicts.

    Deterministic: the same arguments give byte-identical files. `dpi` / `jpeg_quality`
    pin the scan resolution (an int, or a tuple to choose from per document) and the JPEG
    quality (default: chosen per document, 150–300 DPI, quality 70–89). `workers` > 1
    renders documents in a process pool; the files are the same either way. `layouts`
    (default both, about half each) restricts the layouts: `["paged"]`, `["flowing"]`;
    `captures` the captures of scanned documents (default all mixed: mostly flatbed
    `scan`s, some `bitonal` 1-bit TIFFs, some `photo`s; see `samplegen.plan`). `office`
    (default on) draws each sheet's office habits and its scan's defects (`samplegen.office`,
    `samplegen.paper`); off, the documents are as the generator made them before those.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    plans = plan_documents(n, seed, defect_rate, formats, layouts, captures)
    if not office:
        plans = [replace(p, office=False) for p in plans]
    make = partial(make_document, out=out, dpi=dpi, jpeg_quality=jpeg_quality)
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            return list(pool.map(make, plans))
    return [make(p) for p in plans]


def page_images(seed: int = 0, *, dpi: int = 100, fill: str = "typed", scanned: bool = False,
                grayscale: bool = False, layout: str = "paged") -> list[tuple[str, np.ndarray]]:
    """All pages of one clean generated sheet as (form page id, image) pairs, for tests.

    Images follow the project convention: RGB here, `(H, W)` when grayscale. A `flowing`
    page's id is the section it starts in (it may hold the starts of others).
    """
    rng = random.Random(seed)
    sheet = fake_sheet(rng)
    style = Style.random(rng, fill == "handwritten")
    if layout == "flowing":
        pages = list(layout_flowing(sheet, style, rng))
    else:
        pages = layout_sheet(sheet, style, rng)
    nrng = np.random.default_rng(seed)
    params = random_params(nrng, dpi=dpi, grayscale=grayscale)
    out = []
    for p in pages:
        img = _render_layout(p, dpi)
        if scanned:
            img = scan(img, params, nrng)
        elif grayscale:
            img = img.mean(axis=2).astype(np.uint8)
        out.append((p.id, img))
    return out


def render_page(page_id: str, seed: int = 0, *, dpi: int = 100, fill: str = "typed",
                scanned: bool = False, layout: str = "paged") -> np.ndarray:
    """The first page with form page id `page_id` of a clean generated sheet (RGB array)."""
    for pid, img in page_images(seed, dpi=dpi, fill=fill, scanned=scanned, layout=layout):
        if pid == page_id:
            return img
    raise KeyError(page_id)
