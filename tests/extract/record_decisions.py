"""Record what the page measurement, the table grid and the seal finder decide on a fixed
set of pages, and compare two records: a change meant to make them cheaper must not
change what they decide.

    python tests/extract/record_decisions.py cache PAGES_DIR          # ingest once
    python tests/extract/record_decisions.py record PAGES_DIR OUT.pkl
    python tests/extract/record_decisions.py compare BEFORE.pkl AFTER.pkl

`cache` runs ingest the way the pipeline does (`Job` + `ingest_stage`) on a few documents
of bench-out/set-n24-s191 (every capture), one of samples/, the scan of each
/work/shared/examples/wp-0*, and loads the images of /work/shared/real/; it stores the
page images (lossless PNG), so that later records read the very same pixels whatever
ingest does meanwhile. `record` then measures every page as `readers.work.PageWork.of`
does, finds its grids, and its seals as `readers.opinions` asks for them (every tall
cell) and on the whole page; bitonal pages also get `find_round_seals` as ingest calls it.
CPU seconds per function are kept too (not compared).

Not a test module (no `test_` prefix): a tool run by hand around such a change.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import sys
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np

SET = Path("bench-out/set-n24-s191")
SET_DOCS = ("doc-0001.pdf", "doc-0002", "doc-0003.tif", "doc-0004.pdf", "doc-0007.tif",
            "doc-0014")  # colour PDF, photo, 1-bit, born digital, grey TIFF, grey JPEGs
SHARED = Path(os.environ.get("TASKSHEET_SHARED", "/work/shared"))
SEAL_CELL = 4.0  # × text height: a cell a seal fits in (readers.opinions' DEFAULT_SEAL_CELL)


def _sources() -> list[tuple[str, Any]]:
    from tasksheet.ingest import discover

    out = [(f"set/{s.sources[0]}", s) for s in discover(SET)
           if any(s.sources[0].startswith(d) for d in SET_DOCS)]
    out += [(f"samples/{s.sources[0]}", s) for s in discover(Path("samples"))][:1]
    for ex in sorted(SHARED.glob("examples/wp-0*")):
        scans = [s for s in discover(ex) if not s.sources[0].startswith(("digital", "expected"))
                 and not s.sources[0].endswith((".json", ".md"))]
        out += [(f"{ex.name}/{s.sources[0]}", s) for s in scans[:1]]
    return out


def cache(folder: Path) -> None:
    """Ingest the documents; write each page's image and what ingest said of it."""
    from tasksheet.extract.ocr import get_engine
    from tasksheet.schemas.result import SheetResult
    from tasksheet.schemas.template import load_template

    from tasksheet.pipeline import Job, ingest_stage

    folder.mkdir(parents=True, exist_ok=True)
    template, engine = load_template(), get_engine()
    meta: dict[str, Any] = {}
    for key, src in _sources():
        job = Job(source=src, template=template, engine=engine,
                  result=SheetResult(id=src.id, sources=src.sources, sha256=src.sha256,
                                     template=template.id))
        try:
            ingest_stage(job)
        except Exception as exc:  # noqa: BLE001 - a document ingest rejects is recorded
            print(key, "failed:", exc, flush=True)
            continue
        for p in job.pages:
            name = f"{len(meta):03d}.png"
            cv2.imwrite(str(folder / name), p.image)
            meta[name] = {"key": f"{key}#{p.index}", "capture": p.capture,
                          "text_height": float(p.text_height)}
        print(key, len(job.pages), flush=True)
    for path in sorted((SHARED / "real").glob("*")):
        if path.suffix.lower() in (".png", ".jpg", ".jpeg"):
            name = f"{len(meta):03d}.png"
            cv2.imwrite(str(folder / name), cv2.imread(str(path), cv2.IMREAD_COLOR))
            meta[name] = {"key": f"real/{path.name}", "capture": "real", "text_height": 0.0}
    (folder / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")


def _digest(a: np.ndarray) -> str:
    return hashlib.md5(np.ascontiguousarray(a).tobytes()).hexdigest()


def page_record(image: np.ndarray, capture: str, ingest_th: float,
                cpu: dict[str, float]) -> dict[str, Any]:
    """What the measurement, the grid and the seal finder decide on one page."""
    from tasksheet.extract import grid as grid_mod
    from tasksheet.extract import seal as seal_mod
    from tasksheet.extract.scale import binarize, ink_gray, measure_scale
    from tasksheet.extract.seal_shape import find_round_seals

    def timed(name: str, fn, *a, **kw):
        t = time.process_time()
        out = fn(*a, **kw)
        cpu[name] = cpu.get(name, 0.0) + time.process_time() - t
        return out

    gray = timed("ink_gray", ink_gray, image)
    binary = timed("binarize", binarize, gray)
    scale = timed("measure_scale", measure_scale, binary)
    grids = timed("find_grids", grid_mod.find_grids, image, scale, gray=gray, binary=binary)
    th = scale.text_height
    rec: dict[str, Any] = {
        "binary": _digest(binary),
        "scale": (scale.stroke, scale.text_height, scale.line_thickness),
        "grids": [(g.bbox, tuple(g.rows), tuple(g.cols),
                   tuple((c.row, c.col, c.rowspan, c.colspan, c.bbox) for c in g.cells))
                  for g in grids],
    }
    seal_rec = lambda s: (s.center, s.radius, s.bbox, s.score, s.color, s.shape, s.ring)  # noqa: E731
    cands: list[Any] = []
    orig = seal_mod._candidates

    def spy(mask, r_min, r_max, hough=False):
        got = orig(mask, r_min, r_max, hough)
        cands.append(sorted((round(x, 3), round(y, 3), round(r, 3)) for x, y, r in got))
        return got

    seal_mod._candidates = spy
    try:
        rec["seals_page"] = [seal_rec(s) for s in timed("find_seals", seal_mod.find_seals,
                                                         image, None, th)]
        cells = sorted({c.bbox for g in grids for c in g.cells
                        if c.bbox[3] - c.bbox[1] > SEAL_CELL * th})
        rec["seals_cells"] = [(b, [seal_rec(s) for s in timed("find_seals", seal_mod.find_seals,
                                                               image, region=b, text_height=th)])
                              for b in cells]
    finally:
        seal_mod._candidates = orig
    rec["seal_candidates"] = cands
    if capture == "bitonal" and ingest_th:
        grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        rec["round_seals"] = [dataclasses.astuple(s) for s in timed("find_round_seals", find_round_seals, grey,
                                             text_height=ingest_th)]
    return rec


def record(folder: Path, out: Path) -> None:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    recs: dict[str, Any] = {}
    cpu: dict[str, float] = {}
    for name, m in meta.items():
        image = cv2.imread(str(folder / name), cv2.IMREAD_UNCHANGED)
        recs[m["key"]] = page_record(image, m["capture"], m["text_height"], cpu)
    out.write_bytes(pickle.dumps({"pages": recs, "cpu": cpu}))
    n = max(1, len(recs))
    print(f"{len(recs)} pages; CPU s/page: "
          + ", ".join(f"{k} {v / n:.4f}" for k, v in cpu.items()))


def compare(before: Path, after: Path) -> int:
    """Print every page whose decisions differ; return how many differ."""
    a, b = pickle.loads(before.read_bytes()), pickle.loads(after.read_bytes())
    differ = 0
    for key in sorted(set(a["pages"]) | set(b["pages"])):
        da, db = a["pages"].get(key), b["pages"].get(key)
        if da == db:
            continue
        differ += 1
        if da is None or db is None:
            print(f"{key}: only in {'after' if da is None else 'before'}")
            continue
        for f in sorted(set(da) | set(db)):
            if da.get(f) != db.get(f):
                print(f"{key}: {f}\n  before {str(da.get(f))[:400]}\n  after  {str(db.get(f))[:400]}")
    print(f"{differ} of {len(a['pages'])} pages differ")
    for label, d in (("before", a), ("after", b)):
        n = max(1, len(d["pages"]))
        print(f"{label} CPU s/page: " + ", ".join(f"{k} {v / n:.4f}" for k, v in d["cpu"].items()))
    return differ


if __name__ == "__main__":
    # DECISIONS_EXTRACT=DIR: modules of DIR (e.g. `git show HEAD:extract/grid.py` and the
    # others, saved there) stand in for those of tasksheet.extract: the record of the code
    # before a change, while the working tree has it
    if os.environ.get("DECISIONS_EXTRACT"):
        import tasksheet.extract

        tasksheet.extract.__path__.insert(0, os.environ["DECISIONS_EXTRACT"])
    cmd, *args = sys.argv[1:]
    if cmd == "cache":
        cache(Path(args[0]))
    elif cmd == "record":
        record(Path(args[0]), Path(args[1]))
    else:
        sys.exit(1 if compare(Path(args[0]), Path(args[1])) else 0)
