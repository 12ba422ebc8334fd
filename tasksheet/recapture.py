"""The word-processor examples captured again, in every capture the hidden set holds (#15).

The eight examples (`../shared/examples`) come each in one capture; the hidden set holds the
same layouts in every capture (colour and grey flatbed scans, 1-bit G4 TIFF, phone photos).
Here each example's cleanest pages — `wp-01`'s born-digital PDF rasterised at 300 DPI, the
others' scans as they are — go through the project's own capture simulators
(`samplegen.scan`, `samplegen.paper`, `samplegen.capture`) with a fixed seed, the way
`samplegen.document.make_document` captures a generated sheet: the paper's defects on the
page, the scanner's skew, light, blur, noise and JPEG (or its 1-bit cut, or the phone's
perspective, desk, shadow and noise), written as that capture's file (an image PDF, a G4
TIFF, a folder of JPGs). The pipeline reads each one and `examples.compare_expected` scores
it against the example's own expected record: the content did not change, only its capture.

Which re-captures are not made (`skip_reason`): a 1-bit source has no grey or colour left
to scan or photograph again (only a new 1-bit scan of its print is made); a phone photo
would be photographed or scanned with its perspective, desk and shadow baked in (none).
A grey source is re-captured in colour too: a colour scan of a grey copy (seals grey).

`tasksheet bench --examples DIR --recapture [--seed S] [--workers N] [--work DIR]`.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from tasksheet.examples import _case_fill, _totals, compare_expected, example_cases, print_examples
from tasksheet.ingest.discover import discover
from tasksheet.ingest.load import load_pages

CAPTURES = ("colour_scan", "grey_scan", "bitonal", "photo")
DIGITAL_DPI = 300  # a born-digital source is rasterised at this: a clean page
DARK_BORDER = 90  # grey under which a region touching the edge is a scanner's border (its lid: ≈ 30)


@dataclass
class Source:
    """One example's cleanest pages (RGB, scanned order, as they are) and its record."""

    case: str  # the examples bench's case name: wp-02, wp-01-digital
    kind: str  # colour | grey | bitonal | photo | digital
    dpi: float
    pages: list[np.ndarray]
    expected: dict

    @property
    def example(self) -> str:
        return self.case.split("-digital")[0]


def source_kind(pages: list[np.ndarray], grey_file: bool, born_digital: bool) -> str:
    """What capture the source pages came from: the file says born digital or 1-bit; a
    phone photo is told as the pipeline tells it (`ingest.photo.page_geometry`: a page
    outline off a rectangle by more than a flatbed scan's) on at least half the pages;
    else colour when any page holds colour (a seal's red), grey when none does."""
    from tasksheet.ingest.photo import page_geometry, reduced

    if born_digital:
        return "digital"
    if grey_file and all(_is_bitonal(p) for p in pages):
        return "bitonal"
    photos = sum(page_geometry(reduced(p, 1400)) is not None for p in pages)
    if 2 * photos >= len(pages):
        return "photo"
    if any(_chroma(p) > 40 for p in pages):
        return "colour"
    return "grey"


def _chroma(page: np.ndarray) -> int:
    """How far the page's most coloured pixels are from grey (red minus blue, 99.9th
    percentile on a sparse grid: a seal shows, JPEG's colour noise does not)."""
    small = page[::4, ::4].astype(np.int16)
    return int(np.percentile(np.abs(small[..., 0] - small[..., 2]), 99.9))


def _is_bitonal(page: np.ndarray) -> bool:
    return len(np.unique(page[::7, ::7, 0])) <= 2


def skip_reason(kind: str, capture: str) -> str | None:
    """Why a source of `kind` is not re-captured as `capture`, or None when it is."""
    if kind == "bitonal" and capture != "bitonal":
        return "a 1-bit page has no grey or colour left to capture again"
    if kind == "photo":
        return "a phone photo's perspective, desk and shadow would be captured again"
    return None


def load_sources(root: Path, only: tuple[str, ...] = ()) -> list[Source]:
    """The cleanest pages of each example (or of those named in `only`): a folder with a
    born-digital PDF gives only that (its scan is the same sheet, captured worse), every
    other its scan."""
    cases = example_cases(Path(root))
    digital = {name.split("-digital")[0] for name, _, _ in cases if name.endswith("-digital")}
    out = []
    for name, src, want in cases:
        if name in digital or (only and name not in only and name.split("-digital")[0]
                               not in only):
            continue
        raw = list(load_pages(src, dpi=DIGITAL_DPI))
        pages = [cv2.cvtColor(p.image, cv2.COLOR_BGR2RGB) for p in raw]
        kind = source_kind(pages, all(p.grey for p in raw), all(p.born_digital for p in raw))
        if kind in ("colour", "grey"):
            pages = [clear_border(p) for p in pages]
        out.append(Source(name, kind, float(raw[0].dpi), pages, want))
    return out


def clear_border(page: np.ndarray) -> np.ndarray:
    """The page with its first scanner's dark border (the lid, the corners a skew
    uncovered) turned to paper: every near-black region that touches the image's edge. Captured
    again, that border would be a black frame printed on the page, which no sheet has. The
    form's print never reaches the image's edge (its margins are 12 mm and more)."""
    grey = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    n, labels, stats, _ = cv2.connectedComponentsWithStats((grey < DARK_BORDER).astype(np.uint8), 8)
    h, w = grey.shape
    x, y, bw, bh = (stats[:, i] for i in range(4))
    edge = (x == 0) | (y == 0) | (x + bw == w) | (y + bh == h)
    edge[0] = False  # the background label
    if not edge[1:].any():
        return page
    mask = cv2.dilate(edge[labels].astype(np.uint8), np.ones((5, 5), np.uint8), iterations=2)
    paper = np.percentile(page[::8, ::8].reshape(-1, page.shape[2]), 90, axis=0)
    out = page.copy()
    out[mask.astype(bool)] = paper.astype(np.uint8)
    return out


# ---------------------------------------------------------------- capturing


def case_seed(seed: int, case: str, capture: str) -> int:
    """A seed per (example, capture), the same on every machine and run."""
    digest = hashlib.sha256(f"{seed}:{case}:{capture}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def _at_dpi(pages: list[np.ndarray], src_dpi: float, dpi: int) -> list[np.ndarray]:
    """The pages at `dpi` (never above their own: a page is not made sharper than it is)."""
    if dpi >= src_dpi - 0.5:
        return pages
    f = dpi / src_dpi
    return [cv2.resize(p, (round(p.shape[1] * f), round(p.shape[0] * f)),
                       interpolation=cv2.INTER_AREA) for p in pages]


def _cap(dpi: int, src_dpi: float) -> int:
    return int(min(dpi, round(src_dpi)))


def recapture(source: Source, capture: str, seed: int, folder: Path) -> dict[str, Any]:
    """Write `source` captured as `capture` into `folder` (made empty first); returns what
    was drawn (dpi, JPEG quality, paper defects, the written files)."""
    from tasksheet.samplegen.capture import (
        PHOTO_DPI,
        bitonal,
        photograph,
        random_bitonal_params,
        random_photo_params,
    )
    from tasksheet.samplegen.document import encode_jpeg, write_g4_tiff
    from tasksheet.samplegen.paper import apply_paper, apply_scanner, random_paper
    from tasksheet.samplegen.render_pdf import write_image_pdf
    from tasksheet.samplegen.scan import random_params, scan

    s = case_seed(seed, source.case, capture)
    nrng = np.random.default_rng(s)
    paper = random_paper(np.random.default_rng(s ^ 0xBAC))
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.rglob("*"):
        if old.is_file():
            old.unlink()
    name = f"{source.case}-{capture}"

    def on_paper(pages: list[np.ndarray]) -> list[np.ndarray]:
        return [apply_paper(img, paper, nrng, pages[i + 1] if i + 1 < len(pages) else None)
                for i, img in enumerate(pages)]

    info: dict[str, Any] = {"seed": s}
    if capture == "bitonal":
        paper = replace(paper, contrast=1.0)  # as samplegen: faded ink would cut to white
        bp = random_bitonal_params(nrng)
        dpi = _cap(bp.dpi, source.dpi)
        bp = replace(bp, dpi=dpi, scan=replace(bp.scan, dpi=dpi))
        bits = [bitonal(img, bp, nrng, defects=paper)
                for img in on_paper(_at_dpi(source.pages, source.dpi, dpi))]
        files = [f"{name}.tif"]
        write_g4_tiff(bits, dpi, folder / files[0])
        info.update(dpi=dpi, threshold=round(bp.threshold, 3))
    elif capture == "photo":
        dpi = _cap(int(nrng.choice(PHOTO_DPI)), source.dpi)
        (folder / name).mkdir()
        files, qualities = [], []
        for i, img in enumerate(on_paper(_at_dpi(source.pages, source.dpi, dpi)), 1):
            pp = random_photo_params(nrng)
            photo, _ = photograph(img, pp, nrng)
            (folder / name / f"p{i}.jpg").write_bytes(encode_jpeg(photo, pp.quality, dpi))
            files.append(f"{name}/p{i}.jpg")
            qualities.append(pp.quality)
        info.update(dpi=dpi, quality=qualities)
    elif capture in ("colour_scan", "grey_scan"):
        p = random_params(nrng, grayscale=capture == "grey_scan")
        if nrng.random() < 0.2:
            p = replace(p, quality=int(nrng.integers(40, 66)))  # an office's small files
        if paper.skew:
            p = replace(p, max_skew=paper.skew)
        p = replace(p, dpi=_cap(p.dpi, source.dpi))
        scans = [apply_scanner(scan(img, p, nrng), paper, nrng)
                 for img in on_paper(_at_dpi(source.pages, source.dpi, p.dpi))]
        files = [f"{name}.pdf"]
        write_image_pdf([encode_jpeg(x, p.quality, p.dpi) for x in scans], folder / files[0])
        info.update(dpi=p.dpi, quality=p.quality, max_skew=round(p.max_skew, 2))
    else:
        raise ValueError(f"unknown capture {capture!r}; one of {CAPTURES}")
    info["paper"] = {k: (round(v, 3) if isinstance(v, float) else v)
                     for k, v in paper.__dict__.items()
                     if v not in (0, 0.0, False) and not (k in ("contrast", "scale") and v == 1)}
    info["files"] = [str(folder / f) for f in files]
    return info


# ---------------------------------------------------------------- evaluating


def _process(case: str, capture: str, folder: str, out: str) -> tuple[dict, str | None, float]:
    """One re-captured document through the pipeline (in a worker): its exported record,
    its error and the CPU seconds it took."""
    from tasksheet.pipeline import process_document

    found = discover(Path(folder))
    if len(found) != 1:
        raise ValueError(f"{folder}: expected one document, discovery found {len(found)}")
    t = time.process_time()
    result = process_document(found[0], out=Path(out))
    return result.to_record().export(), result.error, time.process_time() - t


def evaluate_recaptured(root: Path, work: Path, seed: int = 1, workers: int = 1,
                        captures: tuple[str, ...] = CAPTURES,
                        only: tuple[str, ...] = ()) -> dict:
    """Re-capture every example (or those named in `only`) in every capture it makes sense
    for, run the pipeline on each, compare with the example's expected record.

    Returns `cases` (one per example × capture, with the re-capture's `recapture` info and
    the files under `work`), `skipped` (case, capture, reason), `totals` and the totals
    `by_capture` and `by_example`."""
    work = Path(work)
    jobs: list[tuple[str, str, dict, dict]] = []
    skipped = []
    for source in load_sources(Path(root), only):
        for capture in captures:
            why = skip_reason(source.kind, capture)
            if why:
                skipped.append({"case": source.case, "source": source.kind,
                                "capture": capture, "reason": why})
                continue
            info = recapture(source, capture, seed, work / "docs" / capture / source.case)
            jobs.append((source.case, capture, info, source.expected))
            info["source"], info["source_dpi"] = source.kind, round(source.dpi)
    out = work / "out"
    args = [(c, cap, str(work / "docs" / cap / c), str(out)) for c, cap, _, _ in jobs]
    if workers > 1 and len(args) > 1:
        # spawned, as the batch's pool is: a fork of this process (OpenCV's and the
        # recogniser's threads started by the re-capture) hung both workers on a lock
        with ProcessPoolExecutor(max_workers=workers,
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [pool.submit(_process, *a) for a in args]
            for done, _ in enumerate(as_completed(futures), 1):
                print(f"recapture: {done}/{len(args)} read", file=sys.stderr, flush=True)
            results = [f.result() for f in futures]
    else:
        results = []
        for done, a in enumerate(args, 1):
            results.append(_process(*a))
            print(f"recapture: {done}/{len(args)} read ({a[0]} {a[1]})", file=sys.stderr,
                  flush=True)
    cases = []
    for (case, capture, info, want), (got, error, cpu) in zip(jobs, results, strict=True):
        cmp = compare_expected(got, want)
        cases.append({"case": f"{case} {capture}", "example": case, "capture": capture,
                      "fill": _case_fill(case), "seconds": round(cpu, 1),
                      "pages": {"got": got["document"]["pages"],
                                "want": (want.get("document") or {}).get("pages")},
                      "error": error, **cmp, "recapture": info,
                      "mismatched_fields": [m["field"] for m in cmp["mismatches"]]})
    by_capture, by_example = defaultdict(list), defaultdict(list)
    for c in cases:
        by_capture[c["capture"]].append(c)
        by_example[c["example"]].append(c)
    return {"seed": seed, "totals": _totals(cases),
            "by_capture": {k: _totals(v) for k, v in by_capture.items()},
            "by_example": {k: _totals(v) for k, v in by_example.items()},
            "cases": cases, "skipped": skipped}


def _row(t: dict) -> str:
    f, s, g = t["findings"], t["signature"], t["seal"]
    return (f"findings {f['tp']}/{f['fp']}/{f['fn']}  status {t['status_right']['ok']}/"
            f"{t['status_right']['total']}  sig {s['tp']}/{s['fp']}/{s['fn']}  seal "
            f"{g['tp']}/{g['fp']}/{g['fn']}  boxes {t['checkbox_groups_exact']['ok']}/"
            f"{t['checkbox_groups_exact']['total']}  fields {t['fields_exact']['ok']}/"
            f"{t['fields_exact']['total']}  seal txt {t['seal_text_right']['ok']}/"
            f"{t['seal_text_right']['total']}")


def print_recaptured(figures: dict, file=sys.stdout) -> None:
    """The examples table (one row per example × capture), then totals per capture and
    per example, the re-captured files that went wrong and the skipped re-captures."""
    print_examples(figures, file=file)
    for title, key in (("by capture", "by_capture"), ("by example", "by_example")):
        print(f"\n{title}:", file=file)
        for name, t in figures[key].items():
            print(f"  {name:<14} {t['cases']:>2} docs  {_row(t)}", file=file)
    print("\nre-captured documents that went wrong:", file=file)
    for c in figures["cases"]:
        bad = (c["findings_fp"] or c["findings_fn"] or not c["status"]["ok"] or c["error"]
               or c["signature"]["fp"] or c["signature"]["fn"] or c["seal"]["fp"]
               or c["seal"]["fn"] or c["checkbox_groups"]["ok"] < c["checkbox_groups"]["total"])
        if bad:
            print(f"  {c['case']}: {' '.join(c['recapture']['files'])}", file=file)
    print("\nskipped:", file=file)
    for s in figures["skipped"]:
        print(f"  {s['case']} ({s['source']}) → {s['capture']}: {s['reason']}", file=file)


def run_recaptured(root: Path, work: Path, seed: int = 1, workers: int = 1,
                   json_path: str | Path | None = None) -> dict:
    """Evaluate, print, write the figures as JSON when asked."""
    figures = evaluate_recaptured(root, work, seed=seed, workers=workers)
    print_recaptured(figures)
    if json_path:
        Path(json_path).write_text(json.dumps(figures, ensure_ascii=False, indent=2),
                                   encoding="utf-8")
    return figures
