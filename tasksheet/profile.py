"""Where a page's time goes: seconds per page per stage, and per OCR call kind.

`profiled()` wraps the pipeline's stage functions (wherever a module imported them by
name) with timers for as long as the `with` block runs; nothing of the pipeline changes.
Time is counted *exclusively*: a stage's row holds the time spent in it minus the time of
the stages and OCR calls it called, so the rows add up to the total. OCR calls are rows of
their own (`ocr rec` / `ocr det+rec`), with the crops, the batches and, per calling stage,
where their time went.

>>> from tasksheet.ingest.discover import discover                       # doctest: +SKIP
>>> prof = profile_documents(discover(Path("samples")), Path("/tmp/prof"))  # doctest: +SKIP
>>> print(prof.table())                                                    # doctest: +SKIP

`python -m tasksheet.profile --set DIR [--limit N] [--json PATH]` profiles a folder of
scans (a generated set, `samples/`) in this process, one document after another, through
ingest, extraction, checks, the registry and the reports, as `tasksheet run` does.
`tasksheet bench` gives the same profile of its timed documents with `TASKSHEET_PROFILE=1`.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import math
import os
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# (row, "module:qualname"): the functions timed, in the order of the table's rows. A row
# may have several functions; a function that is not there (renamed) is skipped.
STAGES: tuple[tuple[str, str], ...] = (
    ("decode", "tasksheet.ingest.load:_load_file"),
    ("normalise", "tasksheet.ingest.normalize:normalise"),
    ("orientation", "tasksheet.ingest.normalize:_fix_upside_down"),
    ("classify", "tasksheet.ingest.classify:classify_page"),
    ("order", "tasksheet.ingest.classify:claim_continuations"),
    ("order", "tasksheet.ingest.classify:order_pages"),
    ("save page images", "tasksheet.pipeline:save_scanned_pages"),
    ("measure (ink, binary, scale)", "tasksheet.readers.work:PageWork.of"),
    ("measure (ink, binary, scale)", "tasksheet.extract.page_text:measure_page"),
    ("grid", "tasksheet.extract.grid:find_grids"),
    ("outline / headings", "tasksheet.readers.flow:outline"),
    ("value reading", "tasksheet.readers:extract_document"),
    ("checkboxes", "tasksheet.extract.checkbox:find_checkboxes"),
    ("checkboxes", "tasksheet.extract.checkbox:box_in"),
    ("checkboxes", "tasksheet.extract.checkbox:box_at"),
    ("checkboxes", "tasksheet.extract.checkbox:is_ticked"),
    ("seals", "tasksheet.extract.seal:find_seals"),
    ("seals", "tasksheet.extract.seal:read_seal_unit"),
    ("seals", "tasksheet.extract.seal:read_seal_text"),
    ("signatures", "tasksheet.extract.signature:detect_signature"),
    ("checks", "tasksheet.checks:check_document"),
    ("checks", "tasksheet.checks.copies:result_copy_findings"),
    ("store", "tasksheet.registry.db:Registry.store"),
    ("report", "tasksheet.reports:build_reports"),
)
# (part, "module:qualname"): where a stage's own time goes, timed *inclusively* (a part's
# CPU time is also in its stage's row, and holds the parts it calls: a table search inside
# the photo check flattens light too). Reported beside the rows, never added to them.
PARTS: tuple[tuple[str, str], ...] = (
    ("normalise: photo check (page and table outline)", "tasksheet.ingest.photo:page_geometry"),
    ("normalise: quarter turn and skew", "tasksheet.ingest.normalize:quarter_and_skew"),
    ("normalise: quarter turn and skew", "tasksheet.ingest.normalize:refine_skew"),
    ("normalise: focus check", "tasksheet.ingest.normalize:check_focus"),
    ("normalise: photo light flattening", "tasksheet.ingest.photo:flatten_light"),
    ("normalise: photo sharpening", "tasksheet.ingest.photo:crisp"),
    ("orientation: outline rows (lines in every cell)",
     "tasksheet.extract.page_text:outline_rows"),
    ("text lines found (any stage)", "tasksheet.extract.text_lines:find_text_lines"),
)
# the OCR engine's entry points: (method, row)
OCR_CALLS = (("recognize", "ocr rec"), ("recognize_chars", "ocr rec"), ("score", "ocr rec"),
             ("read_page", "ocr det+rec"))
ROW_ORDER = tuple(dict.fromkeys([r for r, _ in STAGES] + ["ocr rec", "ocr det+rec", "other"]))


@dataclass
class Profile:
    """Exclusive seconds per row, OCR call statistics, pages and documents seen."""

    seconds: Counter = field(default_factory=Counter)  # wall seconds
    cpu: Counter = field(default_factory=Counter)  # this process's CPU seconds (all threads)
    calls: Counter = field(default_factory=Counter)
    ocr_by_caller: Counter = field(default_factory=Counter)  # (row, caller) → seconds
    ocr_cpu_by_caller: Counter = field(default_factory=Counter)  # (row, caller) → CPU seconds
    crops: Counter = field(default_factory=Counter)  # (row, caller) → crops
    # (row, caller) → the crops' own widths at the recogniser's height, and the input
    # columns it ran for them, padding included (its cost goes with the columns)
    crop_columns: Counter = field(default_factory=Counter)
    padded_columns: Counter = field(default_factory=Counter)
    # (row, caller) → crops answered from the recogniser's memo of the document's readings
    # (`extract.ocr.DocumentMemo`: read before at the same padded width, not run again)
    memo_hits: Counter = field(default_factory=Counter)
    batches: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    pages: int = 0
    documents: int = 0
    wall: float = 0.0
    wall_cpu: float = 0.0
    parts_cpu: Counter = field(default_factory=Counter)  # part → inclusive CPU seconds
    parts_calls: Counter = field(default_factory=Counter)

    def parts_per_page(self) -> dict[str, float]:
        """Inclusive CPU seconds per page of each of `PARTS` that ran, in their order."""
        n = max(1, self.pages)
        return {name: round(self.parts_cpu[name] / n, 4)
                for name in dict.fromkeys(name for name, _ in PARTS) if self.parts_calls[name]}

    def per_page(self, cpu: bool = False) -> dict[str, float]:
        """Seconds per page of each row (and `total`), in the table's order: wall clock, or
        with `cpu` this process's CPU time (steadier than the wall on a loaded machine)."""
        n = max(1, self.pages)
        counts = self.cpu if cpu else self.seconds
        rows = {r: round(counts[r] / n, 4) for r in ROW_ORDER if self.seconds.get(r)}
        rows["total"] = round((self.wall_cpu if cpu else self.wall) / n, 4)
        return rows

    def to_dict(self) -> dict[str, Any]:
        n = max(1, self.pages)
        return {
            "documents": self.documents, "pages": self.pages, "seconds": round(self.wall, 3),
            "cpu_seconds": round(self.wall_cpu, 3),
            "seconds_per_page": self.per_page(),
            "cpu_seconds_per_page": self.per_page(cpu=True),
            "ocr": {f"{row} in {caller}": {"seconds_per_page": round(s / n, 4),
                                           "cpu_seconds_per_page":
                                               round(self.ocr_cpu_by_caller[(row, caller)] / n, 4),
                                           "crops_per_page": round(self.crops[(row, caller)] / n, 2),
                                           "crop_columns_per_page":
                                               round(self.crop_columns[(row, caller)] / n, 1),
                                           "padded_columns_per_page":
                                               round(self.padded_columns[(row, caller)] / n, 1),
                                           "crops_from_memo_per_page":
                                               round(self.memo_hits[(row, caller)] / n, 2)}
                    for (row, caller), s in sorted(self.ocr_by_caller.items(),
                                                   key=lambda kv: -kv[1])},
            "ocr_batches": {row: {"calls": len(b), "crops": sum(b),
                                  "mean_batch": round(sum(b) / len(b), 2) if b else 0,
                                  "max_batch": max(b, default=0)}
                            for row, b in self.batches.items()},
            "parts_cpu_seconds_per_page": self.parts_per_page(),
            "peak_rss_mb": peak_rss_mb(),
        }

    def table(self, other: Profile | None = None, names: tuple[str, str] = ("before", "after")
              ) -> str:
        """A markdown table of CPU and wall seconds per page per row; with `other`, its CPU
        seconds beside this one's."""
        mine, mine_cpu = self.per_page(), self.per_page(cpu=True)
        if other is None:
            lines = ["| stage | CPU s/page | wall s/page |", "|---|---:|---:|"]
            lines += [f"| {r} | {mine_cpu[r]:.3f} | {v:.3f} |" for r, v in mine.items()]
        else:
            theirs = other.per_page(cpu=True)
            rows = list(dict.fromkeys([*mine_cpu, *theirs]))
            rows.remove("total")
            lines = [f"| stage | {names[0]} CPU s/page | {names[1]} CPU s/page |",
                     "|---|---:|---:|"]
            lines += [f"| {r} | {mine_cpu.get(r, 0):.3f} | {theirs.get(r, 0):.3f} |"
                      for r in [*rows, "total"]]
        parts = self.parts_per_page()
        if parts:
            lines += ["", "| part of a stage (inclusive, not added) | CPU s/page |", "|---|---:|"]
            lines += [f"| {name} | {v:.3f} |" for name, v in parts.items()]
        return "\n".join(lines)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Profile:
        """A profile's per-page rows back from `to_dict` (enough for `table`)."""
        prof = cls(pages=d["pages"], documents=d["documents"], wall=d["seconds"],
                   wall_cpu=d.get("cpu_seconds", 0.0))
        for key, counts in (("seconds_per_page", prof.seconds), ("cpu_seconds_per_page", prof.cpu)):
            for r, v in d.get(key, {}).items():
                if r != "total":
                    counts[r] = v * prof.pages
        return prof


def peak_rss_mb() -> float:
    """This process's peak resident set (MB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class _Timer:
    """A stack of open rows; each row's time is counted without its children's."""

    def __init__(self, prof: Profile) -> None:
        self.prof = prof
        self.stack: list[list] = []  # [row, start, start CPU, children seconds, children CPU]

    @contextmanager
    def row(self, name: str) -> Iterator[None]:
        frame = [name, time.perf_counter(), time.process_time(), 0.0, 0.0]
        self.stack.append(frame)
        try:
            yield
        finally:
            took = time.perf_counter() - frame[1]
            took_cpu = time.process_time() - frame[2]
            self.stack.pop()
            self.prof.seconds[name] += took - frame[3]
            self.prof.cpu[name] += took_cpu - frame[4]
            self.prof.calls[name] += 1
            if self.stack:
                self.stack[-1][3] += took
                self.stack[-1][4] += took_cpu

    def caller(self) -> str:
        """The innermost open row that is not an OCR row."""
        return next((f[0] for f in reversed(self.stack) if not f[0].startswith("ocr")), "other")


def _part_wrapper(fn: Callable, name: str, prof: Profile) -> Callable:
    """`fn` with its inclusive CPU time added to part `name`; a call inside another call of
    the same part (recursion) is not counted twice."""
    depth = [0]

    @functools.wraps(fn)
    def wrapper(*a, **kw):
        if depth[0]:
            return fn(*a, **kw)
        depth[0] += 1
        c = time.process_time()
        try:
            return fn(*a, **kw)
        finally:
            depth[0] -= 1
            prof.parts_cpu[name] += time.process_time() - c
            prof.parts_calls[name] += 1
    wrapper.__wrapped_profile__ = True
    return wrapper


def _install(spec: str, wrap: Callable[[Any], Any], undo: list[tuple[Any, str, Any]]) -> None:
    """Replace the function `spec` names by `wrap(it)`, on its module (or class) and on every
    tasksheet module that imported it by name; `undo` gets what to put back."""
    got = _resolve(spec)
    if got is None:
        return
    owner, attr, fn = got
    raw = owner.__dict__.get(attr, fn) if isinstance(owner, type) else fn
    wrapped = wrap(raw)
    undo.append((owner, attr, raw))
    setattr(owner, attr, wrapped)
    if not isinstance(owner, type):  # `from module import fn` bindings elsewhere
        for mod in list(sys.modules.values()):
            if (getattr(mod, "__name__", "").startswith("tasksheet")
                    and mod is not owner and mod.__dict__.get(attr) is fn):
                undo.append((mod, attr, fn))
                setattr(mod, attr, wrapped)


def _resolve(spec: str) -> tuple[Any, str, Callable] | None:
    mod_name, qual = spec.split(":")
    try:
        owner: Any = importlib.import_module(mod_name)
    except ImportError:
        return None
    *path, attr = qual.split(".")
    for p in path:
        owner = getattr(owner, p, None)
    fn = getattr(owner, attr, None) if owner is not None else None
    return (owner, attr, fn) if fn is not None else None


def _wrap(fn: Callable, name: str, timer: _Timer) -> Callable:
    if getattr(fn, "__wrapped_profile__", False):
        return fn
    if hasattr(fn, "__func__") or isinstance(fn, classmethod):  # a bound classmethod
        inner = fn.__func__

        @functools.wraps(inner)
        def cls_wrapper(cls, *a, **kw):
            with timer.row(name):
                return inner(cls, *a, **kw)
        cls_wrapper.__wrapped_profile__ = True
        return classmethod(cls_wrapper)

    import inspect

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def gen_wrapper(*a, **kw):
            it = fn(*a, **kw)
            while True:
                with timer.row(name):
                    try:
                        item = next(it)
                    except StopIteration:
                        return
                yield item
        gen_wrapper.__wrapped_profile__ = True
        return gen_wrapper

    @functools.wraps(fn)
    def wrapper(*a, **kw):
        with timer.row(name):
            return fn(*a, **kw)
    wrapper.__wrapped_profile__ = True
    return wrapper


@contextmanager
def profiled(engine=None, prof: Profile | None = None) -> Iterator[Profile]:
    """Time the pipeline's stages (and `engine`'s OCR calls, by default the process's
    engine) while the block runs; the wrappers are removed afterwards."""
    from tasksheet.extract.ocr import get_engine

    prof = prof if prof is not None else Profile()
    timer = _Timer(prof)
    undo: list[tuple[Any, str, Any]] = []
    for name, spec in STAGES:
        _install(spec, lambda raw, name=name: _wrap(raw, name, timer), undo)
    for name, spec in PARTS:  # plain functions, inside the stages' wrappers
        _install(spec, lambda raw, name=name: _part_wrapper(raw, name, prof), undo)
    engine = engine or get_engine()
    for method, row in OCR_CALLS:
        fn = getattr(engine, method, None)
        if fn is None:
            continue
        undo.append((engine, method, None))
        setattr(engine, method, _ocr_wrapper(fn, row, timer, prof, engine))
    t, c = time.perf_counter(), time.process_time()
    try:
        yield prof
    finally:
        prof.wall += time.perf_counter() - t
        prof.wall_cpu += time.process_time() - c
        for owner, attr, old in reversed(undo):
            if old is None:
                delattr(owner, attr)  # the instance attribute: the class's method shows again
            else:
                setattr(owner, attr, old)


def crop_columns(image: Any) -> int:
    """A crop's width once scaled to the recogniser's input height (what it costs unpadded).

    >>> import numpy as np
    >>> crop_columns(np.zeros((24, 100), np.uint8))
    200
    """
    from tasksheet.extract.ocr import REC_HEIGHT

    h, w = image.shape[:2]
    return math.ceil(REC_HEIGHT * w / max(1, h))


def _ocr_wrapper(fn: Callable, row: str, timer: _Timer, prof: Profile, engine: Any = None
                 ) -> Callable:
    @functools.wraps(fn)
    def wrapper(images, *a, **kw):
        caller = timer.caller()
        crops = images if isinstance(images, list) else [images]
        rec = getattr(engine, "_recogniser", None)
        run_before = getattr(rec, "columns_run", 0)
        hits_before = getattr(getattr(rec, "memo", None), "hits", 0)
        t, c = time.perf_counter(), time.process_time()
        with timer.row(row):
            out = fn(images, *a, **kw)
        prof.ocr_by_caller[(row, caller)] += time.perf_counter() - t
        prof.ocr_cpu_by_caller[(row, caller)] += time.process_time() - c
        prof.crops[(row, caller)] += len(crops)
        rec = getattr(engine, "_recogniser", None)
        if row == "ocr rec" and rec is not None:
            prof.crop_columns[(row, caller)] += sum(crop_columns(im) for im in crops)
            prof.padded_columns[(row, caller)] += getattr(rec, "columns_run", 0) - run_before
            prof.memo_hits[(row, caller)] += getattr(getattr(rec, "memo", None), "hits", 0) \
                - hits_before
        n = len(crops)
        prof.batches[row].append(n)
        return out
    return wrapper


def profile_documents(sources: list, out: Path, dpi: int = 200, store: bool = True,
                      prof: Profile | None = None) -> Profile:
    """Run every source through the pipeline in this process under `profiled()`; with
    `store`, also into a fresh SQLite registry under `out` and the reports from it."""
    from tasksheet.pipeline import process_document

    out.mkdir(parents=True, exist_ok=True)
    with profiled(prof=prof) as prof:
        results = []
        for src in sources:
            result = process_document(src, out=out, dpi=dpi)
            prof.pages += len(result.pages)
            prof.documents += 1
            results.append(result)
        if store:
            from tasksheet.registry.db import Registry
            from tasksheet.reports import build_reports

            db = out / "profile.sqlite"
            db.unlink(missing_ok=True)
            url = f"sqlite:///{db}"
            reg = Registry(url)
            try:
                for r in results:
                    reg.store(r)
            finally:
                reg.close()
            build_reports(url, out / "reports", file=None)
    return prof


def worker_scaling(sources: list, out: Path, dpi: int = 200, workers: tuple[int, ...] = (1, 2)
                   ) -> dict[str, Any]:
    """Pages per second of the process pool `tasksheet run` uses, with each number of
    `workers` on the same documents: the wall clock's pages/s, the CPU seconds a page its
    processes spent (one worker runs in this process; a pool's workers are children), each
    pool's peak RSS per worker, and the machine's load average before and after each run
    (on a machine others load, the wall's ratio says little: the CPU seconds a page say
    whether a second worker made each page dearer)."""
    from tasksheet.pipeline import process_document
    from tasksheet.workers import local_results

    figures: dict[str, Any] = {}
    for n in workers:
        load = _load_average()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = time.process_time()
        t = time.perf_counter()
        results = list(local_results(sources, process_document, out / f"w{n}", dpi, n,
                                     "scaling"))
        took = time.perf_counter() - t
        cpu = time.process_time() - cpu
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        if n > 1:
            cpu = kids.ru_utime + kids.ru_stime - before.ru_utime - before.ru_stime
        pages = sum(len(r.pages) for r in results)
        figures[f"workers_{n}"] = {
            "pages": pages, "seconds": round(took, 1),
            "pages_per_second": round(pages / took, 3) if took else None,
            "cpu_seconds": round(cpu, 1),
            "cpu_seconds_per_page": round(cpu / pages, 3) if pages else None,
            "peak_rss_mb_worker": round(kids.ru_maxrss / 1024, 1) if n > 1 else peak_rss_mb(),
            "load_average_before": load, "load_average_after": _load_average()}
    first, last = figures[f"workers_{workers[0]}"], figures[f"workers_{workers[-1]}"]
    if first["pages_per_second"] and last["pages_per_second"]:
        figures["scaling"] = round(last["pages_per_second"] / first["pages_per_second"], 2)
    return figures


def _load_average() -> float | None:
    """The machine's one-minute load average (None where the system gives none)."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tasksheet.profile", description=__doc__.split("\n")[0])
    ap.add_argument("--set", required=True, help="a folder of scans (a generated set, samples/)")
    ap.add_argument("--limit", type=int, default=0, help="profile only the first N documents")
    ap.add_argument("--out", default="bench-out/profile", help="folder for page images and the registry")
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--json", help="write the profile as JSON here")
    ap.add_argument("--scaling", action="store_true",
                    help="also time the process pool with 1 and then 2 workers")
    args = ap.parse_args(argv)
    from tasksheet.extract.ocr import get_engine
    from tasksheet.ingest.discover import discover

    sources = discover(Path(args.set))
    if args.limit:
        sources = sources[: args.limit]
    get_engine()  # the sessions' creation is not a page's cost
    prof = profile_documents(sources, Path(args.out), dpi=args.dpi)
    print(prof.table())
    print(json.dumps({k: v for k, v in prof.to_dict().items() if k != "seconds_per_page"},
                     ensure_ascii=False, indent=1))
    figures = prof.to_dict()
    if args.scaling:
        figures["workers"] = worker_scaling(sources, Path(args.out) / "scaling", dpi=args.dpi)
        print(json.dumps(figures["workers"], indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2),
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
