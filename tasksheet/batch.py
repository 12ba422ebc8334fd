"""The resumable batch behind `tasksheet run`: discover, process in parallel, store, check, report.

Workers only compute; the parent alone writes, one transaction per document as each
result arrives. So a batch killed at any moment (Ctrl-C, SIGKILL, power cut) leaves every
document either whole in the registry or absent, and the next run — which skips what the
registry already holds at the current template version — finishes the rest.

>>> summary = run_batch(Path("scans"), out=Path("out"),               # doctest: +SKIP
...                     registry="sqlite:///out/registry.sqlite", workers=2)
>>> summary.processed, summary.skipped, summary.ok                    # doctest: +SKIP
(12, 0, True)
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tasksheet.registry.db import Registry
from tasksheet.schemas.errors import TasksheetError
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template
from tasksheet.workers import Process, failed_result, local_results

COPY_CODE = "copy_mismatch"



@dataclass
class BatchSummary:
    """What a run did; `ok` is False when any document of the scan folder failed."""

    ok: bool
    counts: dict[str, int] = field(default_factory=dict)  # status → documents of this folder
    processed: int = 0
    skipped: int = 0  # already in the registry at this template version
    failed: int = 0  # failed among those processed now
    pages: int = 0  # pages of the documents processed now
    seconds: float = 0.0
    pages_per_second: float = 0.0
    store_seconds: float = 0.0  # time spent writing the registry
    documents: list[str] = field(default_factory=list)  # ids of this folder's documents


def _cluster_runner() -> Callable[..., Iterable[SheetResult]]:
    """`tasksheet.cluster.run_on_cluster(sources, *, address, process, out, dpi)`: yields each
    document's SheetResult as it completes on a Dask cluster; the parent stores them."""
    try:
        from tasksheet.cluster import run_on_cluster
    except ImportError as exc:
        raise TasksheetError(f"cluster support not installed ({exc})") from exc
    return run_on_cluster


def apply_copy_checks(reg: Registry, results: list[SheetResult] | None = None) -> int:
    """Compare the copies of each project across the registry; return documents updated.

    A document's earlier `copy_mismatch` findings are replaced by the new ones and its
    status recomputed (incomplete while any error finding remains). `results` (every
    result of the registry, read once by the caller) is updated in place.
    """
    from tasksheet.checks.copies import result_copy_findings
    from tasksheet.checks.rules import document_status

    every = reg.results() if results is None else results
    ok = [r for r in every if r.status != "failed"]
    # a field a copy could not read with confidence is left out of that field's comparison
    found = result_copy_findings(ok)
    updated = 0
    for result in ok:
        new = found.get(result.id, [])
        old = [f for f in result.findings if f.code == COPY_CODE]
        if new == old:
            continue
        result.findings = [f for f in result.findings if f.code != COPY_CODE] + new
        result.status = document_status(result)
        reg.update_findings(result.id, result.findings, result.status)
        updated += 1
    return updated


def _report(results: list[SheetResult], out: Path, summary: BatchSummary,
            progress: bool) -> None:
    """Write the reports and print the terminal summary, from the results read once."""
    if progress:
        print(f"{summary.processed} processed, {summary.skipped} already done, "
              f"{summary.pages} pages in {summary.seconds:.1f} s "
              f"({summary.pages_per_second:.2f} pages/s)", file=sys.stderr)
    try:
        from tasksheet.reports import print_summary, write_reports
    except ImportError:  # reports not installed: the registry still holds everything
        return
    print_summary(results, file=sys.stdout)
    write_reports(results, out)


def run_batch(scan_dir: Path, out: Path, registry: str, workers: int = 0,
              cluster: str | None = None, progress: bool = True, dpi: int = 200,
              process: Process | None = None,
              discover: Callable[[Path], list[Any]] | None = None) -> BatchSummary:
    """Process every new or changed document of `scan_dir` into `registry`; report into `out`.

    `process(source, out=out, dpi=dpi) -> SheetResult` defaults to the pipeline's
    `process_document`; `discover(scan_dir)` to `ingest.discover.discover` (both are
    parameters so tests can run the batch machinery without OCR). `workers=0` means one
    per core; `workers=1` runs in this process, no pool.
    """
    t0 = time.perf_counter()
    if cluster:
        from tasksheet.cluster import require_shared_registry

        require_shared_registry(registry)
    scan_dir = Path(scan_dir)
    if not scan_dir.exists():
        raise TasksheetError(f"no such scan folder: {scan_dir}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    template = load_template()
    if process is None:
        from tasksheet.pipeline import process_document as process
    if discover is None:
        from tasksheet.ingest.discover import discover
    on_cluster = _cluster_runner() if cluster else None  # fail before any work
    workers = workers or os.cpu_count() or 1
    reg = Registry(registry)
    try:
        sources = discover(scan_dir)
        root = str(scan_dir.resolve())
        todo, seen = [], set()
        for s in sources:
            if s.sha256 not in seen and not reg.is_done(s.sha256, template.version):
                todo.append(s)
            seen.add(s.sha256)  # identical copies in two places: read once
        summary = BatchSummary(ok=True, skipped=len(sources) - len(todo),
                               documents=sorted({s.id for s in sources}))
        if on_cluster is not None and todo:
            results = on_cluster(todo, address=cluster, process=process, out=out, dpi=dpi)
        else:
            results = local_results(todo, process, out, dpi, workers, template.id)
        _store_all(reg, results, root, len(todo), progress, summary)
        every = reg.results()  # the registry read back once: copy checks, then the reports
        apply_copy_checks(reg, every)
        summary.counts = dict(Counter(reg.statuses(summary.documents).values()))
        summary.ok = summary.counts.get("failed", 0) == 0
    finally:
        reg.close()
    summary.seconds = round(time.perf_counter() - t0, 3)
    summary.pages_per_second = round(summary.pages / summary.seconds, 3) if summary.seconds else 0.0
    _report(every, out, summary, progress)
    return summary


def _store_all(reg: Registry, results: Iterable[SheetResult], root: str, total: int,
               progress: bool, summary: BatchSummary) -> None:
    """Store each result as it arrives (one transaction each), with a progress bar."""
    from tqdm import tqdm

    start = time.perf_counter()
    with tqdm(total=total, unit="doc", file=sys.stderr, disable=not progress,
              desc="documents", dynamic_ncols=True) as bar:
        for result in results:
            try:
                result.to_record()  # a result that cannot be exported must not stop the batch
            except ValueError as exc:
                reason = f"result does not fit the record: {exc}".splitlines()[0]
                result = failed_result(result, reason, result.template)
            t = time.perf_counter()
            reg.store(result, root=root)
            summary.store_seconds += time.perf_counter() - t
            summary.processed += 1
            summary.failed += result.status == "failed"
            summary.pages += len(result.pages)
            elapsed = time.perf_counter() - start
            bar.set_postfix_str(f"{summary.pages / elapsed:.2f} pages/s", refresh=False)
            bar.update(1)
    summary.store_seconds = round(summary.store_seconds, 4)


__all__ = ["BatchSummary", "apply_copy_checks", "failed_result", "run_batch"]
