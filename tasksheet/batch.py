"""The resumable batch behind `tasksheet run`: discover, process in parallel, store, check, report.

Workers only compute; the parent alone writes, one transaction per document as each
result arrives. So a batch killed at any moment (Ctrl-C, SIGKILL, power cut) leaves every
document either whole in the registry or absent, and the next run — which skips what the
registry already holds at the current template version — finishes the rest.

What a run takes up again, beside new content: documents whose stored failure blames the
machine (`workers.is_environmental`: a folder not writable, a full disk, a file not
readable), every failed one with `retry_failed`, those named in `force`, and those whose
page images are missing from `out/pages` (repaired). Entries of the folder that cannot be
read are stored as failed documents each run (they cost nothing); entries that are not
documents (a FIFO, a link leading outside) are listed in `BatchSummary.skipped_entries`.

Page images are written atomically per document: workers write under a staging folder
(`out/.staging/<run>/pages/<id>/`), and the parent checks every page is there and whole
before renaming the folder to `out/pages/<id>`; a page missing (disk full, write refused)
fails the document with a reason, and the next run does it again.

Limits (`ingest.load.Limits`) reach the workers through the environment, set for the run.

>>> summary = run_batch(Path("scans"), out=Path("out"),               # doctest: +SKIP
...                     registry="sqlite:///out/registry.sqlite", workers=2)
>>> summary.processed, summary.skipped, summary.ok                    # doctest: +SKIP
(12, 0, True)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tasksheet.checks import check_document
from tasksheet.ingest.discover import Scan, Skipped
from tasksheet.ingest.hashing import printable
from tasksheet.ingest.load import Limits
from tasksheet.registry.db import REPLACED_CODE, Registry, Stored
from tasksheet.schemas.errors import TasksheetError
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template
from tasksheet.workers import (
    Process,
    environment,
    failed_result,
    is_environmental,
    local_results,
    one_line,
)

COPY_CODE = "copy_mismatch"
STAGING = ".staging"  # under out/: page images of the documents in flight


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
    retried: int = 0  # failed documents taken up again (environmental, --retry-failed, --force)
    repaired: int = 0  # done documents processed again because their page images were missing
    relocated: int = 0  # documents found under other paths than stored (renamed, moved)
    skipped_entries: list[Skipped] = field(default_factory=list)  # not documents: not read


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
    # a record kept as history (its file now holds other content) is no copy of anything
    ok = [r for r in every if r.status != "failed"
          and not any(f.code == REPLACED_CODE for f in r.findings)]
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
    """Write the reports and print the terminal summary, from the results read once.

    A report that cannot be written is removed rather than left cut short, and the run
    fails (TasksheetError): the next run writes it again.
    """
    if progress:
        print(f"{summary.processed} processed, {summary.skipped} already done, "
              f"{summary.pages} pages in {summary.seconds:.1f} s "
              f"({summary.pages_per_second:.2f} pages/s)", file=sys.stderr)
    try:
        from tasksheet.reports import print_summary, write_reports
    except ImportError:  # reports not installed: the registry still holds everything
        return
    print_summary(results, file=sys.stdout)
    try:
        write_reports(results, out)
    except OSError as exc:
        for name in ("report.html", "findings.csv"):
            with contextlib.suppress(OSError):
                (out / name).unlink()
        raise TasksheetError(f"cannot write the reports into {printable(str(out))}: "
                             f"{one_line(exc.strerror or str(exc))}") from exc


def run_batch(scan_dir: Path, out: Path, registry: str, workers: int = 0,
              cluster: str | None = None, progress: bool = True, dpi: int = 200,
              process: Process | None = None,
              discover: Callable[[Path], list[Any]] | None = None,
              limits: Limits | None = None, retry_failed: bool = False,
              force: Sequence[str] = (), page_images: bool | None = None,
              max_seconds: float | None = None) -> BatchSummary:
    """Process every new or changed document of `scan_dir` into `registry`; report into `out`.

    `process(source, out=out, dpi=dpi) -> SheetResult` defaults to the pipeline's
    `process_document`; `discover(scan_dir)` to `ingest.discover.scan` (both are
    parameters so tests can run the batch machinery without OCR). `workers=0` means one
    per core; `workers=1` runs in this process, no pool. `limits` default to the
    environment's. `retry_failed`: process failed documents again; `force`: ids (or id
    prefixes) or paths of documents to process again whatever is stored. `page_images`:
    check and install each document's page images (default: with the real pipeline only).
    `max_seconds`: a document taking longer fails and its worker is stopped (None: no limit).
    """
    t0 = time.perf_counter()
    if cluster:
        from tasksheet.cluster import require_shared_registry

        require_shared_registry(registry)
    scan_dir = Path(scan_dir)
    if not os.path.lexists(scan_dir):
        raise TasksheetError(f"no such scan folder: {printable(str(scan_dir))}")
    out = Path(out)
    limits = limits or Limits.from_env()
    template = load_template()
    check_pages = process is None if page_images is None else page_images
    if process is None:
        from tasksheet.pipeline import process_document as process
    on_cluster = _cluster_runner() if cluster else None  # fail before any work
    workers = workers or os.cpu_count() or 1
    stage = _make_stage(out)
    try:
        with environment(limits.env()):
            summary, every = _run(scan_dir, out, stage, registry, template, workers, cluster,
                                  on_cluster, progress, dpi, process, discover, limits,
                                  retry_failed, force, check_pages, max_seconds)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        with contextlib.suppress(OSError):
            stage.parent.rmdir()  # only when no other run is staging
    summary.seconds = round(time.perf_counter() - t0, 3)
    summary.pages_per_second = round(summary.pages / summary.seconds, 3) if summary.seconds else 0.0
    _report(every, out, summary, progress)
    return summary


def _run(scan_dir: Path, out: Path, stage: Path, registry: str, template: Any, workers: int,
         cluster: str | None, on_cluster: Any, progress: bool, dpi: int, process: Process,
         discover: Callable[[Path], list[Any]] | None, limits: Limits, retry_failed: bool,
         force: Sequence[str], check_pages: bool,
         max_seconds: float | None) -> tuple[BatchSummary, list[SheetResult]]:
    if discover is None:
        from tasksheet.ingest.discover import scan

        found = scan(scan_dir, limits=limits)
    else:
        found = Scan(documents=list(discover(scan_dir)))
    for entry in found.skipped:
        print(f"tasksheet: skipped {entry.source}: {entry.reason}", file=sys.stderr)
    sources = found.documents
    forced = _forced(sources, force, scan_dir)
    reg = Registry(registry)
    try:
        root = str(scan_dir.resolve())
        stored = reg.lookup([s.sha256 for s in sources], template.version)
        places: dict[str, list[list[str]]] = {}
        for s in sources:
            places.setdefault(s.sha256, []).append(sorted(s.sources))
        summary = BatchSummary(ok=True, documents=sorted({s.id for s in sources}),
                               skipped_entries=list(found.skipped))
        todo, unreadable, seen = [], [], set()
        for s in sources:
            if s.sha256 in seen:  # identical copies in two places: read once
                continue
            seen.add(s.sha256)
            old = stored.get(s.sha256)
            if getattr(s, "reason", None):  # an entry that cannot be read: stored failed again
                unreadable.append(s)
            elif old is None:
                todo.append(s)
            elif s.id in forced or (old.status == "failed"
                                    and (retry_failed or is_environmental(old.error))):
                summary.retried += 1
                todo.append(s)
            elif check_pages and old.status != "failed" and _missing_pages(out, old):
                summary.repaired += 1
                todo.append(s)
            elif old.root == root and sorted(old.sources) not in places[s.sha256]:
                reg.relocate(old.id, list(s.sources), root)  # renamed or moved: same content
                summary.relocated += 1
        summary.skipped = len(sources) - len(todo) - len(unreadable)
        if on_cluster is not None and todo:
            results = on_cluster(todo, address=cluster, process=process, out=stage, dpi=dpi,
                                 env=limits.env())
        else:
            results = local_results(todo, process, stage, dpi, workers, template.id,
                                    max_seconds=max_seconds)
        lost = (failed_result(s, s.reason, template.id) for s in unreadable)
        _store_all(reg, _chain(lost, results), root, len(todo) + len(unreadable), progress,
                   summary, out, stage, check_pages)
        every = reg.results()  # the registry read back once: copy checks, then the reports
        apply_copy_checks(reg, every)
        summary.counts = dict(Counter(reg.statuses(summary.documents).values()))
        summary.ok = summary.counts.get("failed", 0) == 0
    finally:
        reg.close()
    return summary, every


def _chain(*parts: Iterable[SheetResult]) -> Iterator[SheetResult]:
    for part in parts:
        yield from part


def _forced(sources: list[Any], force: Sequence[str], scan_dir: Path) -> set[str]:
    """Ids of the documents `force` names (an id, an id prefix of 4+ digits, or a path)."""
    ids: set[str] = set()
    for name in force:
        hits = {s.id for s in sources
                if (len(name) >= 4 and s.id.startswith(name.lower()))
                or name in s.sources
                or any(_same_file(Path(name), p) for p in s.paths)}
        if not hits:
            raise TasksheetError(f"--force {printable(name)}: no such document in "
                                 f"{printable(str(scan_dir))} (give its id or its path)")
        ids |= hits
    return ids


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and a.resolve() == b.resolve()
    except OSError:
        return False


def _missing_pages(out: Path, old: Stored) -> bool:
    """Whether a stored document's page images are not all in `out/pages/<id>/`."""
    folder = out / "pages" / old.id
    for n in range(1, old.pages + 1):
        try:
            if (folder / f"p{n}.jpg").stat().st_size == 0:
                return True
        except OSError:
            return True
    return False


def _make_stage(out: Path) -> Path:
    """This run's staging folder under `out/.staging/`; stale ones of dead runs go."""
    base = out / STAGING
    host = socket.gethostname()
    try:
        base.mkdir(parents=True, exist_ok=True)
        for old in base.glob(f"{host}-*"):
            pid = old.name.split("-")[-2]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(old, ignore_errors=True)
        stage = base / f"{host}-{os.getpid()}-{time.time_ns()}"
        stage.mkdir()
    except OSError as exc:
        raise TasksheetError(f"cannot write to the output folder {printable(str(out))}: "
                             f"{one_line(exc.strerror or str(exc))}") from exc
    return stage


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _complete_jpeg(path: Path) -> bool:
    """A JPEG written to its end (SOI … EOI): a write cut by a full disk is not."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(2)
            fh.seek(-2, os.SEEK_END)
            return head == b"\xff\xd8" and fh.read(2) == b"\xff\xd9"
    except OSError:
        return False


def _install_pages(result: SheetResult, out: Path, stage: Path, check: bool) -> SheetResult:
    """Move the document's staged page images to `out/pages/<id>/` in one rename, once every
    page is there and whole; otherwise the document fails (environmental: retried)."""
    src = stage / "pages" / result.id
    dst = out / "pages" / result.id
    if check and result.status != "failed":
        bad = [f"p{p.index}.jpg" for p in result.pages
               if not _complete_jpeg(src / f"p{p.index}.jpg")]
        if bad:
            shutil.rmtree(src, ignore_errors=True)
            return failed_result(result, f"page images not written ({', '.join(bad[:3])}"
                                 f"{' …' if len(bad) > 3 else ''} missing or cut short: "
                                 f"is the disk full?)", result.template)
    if not src.is_dir():
        return result
    old = dst.with_name(f".{result.id}.old-{time.time_ns()}")
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
        if dst.exists():
            os.replace(dst, old)
        try:
            os.replace(src, dst)
        except OSError:
            if old.exists():
                os.replace(old, dst)
            raise
    except OSError as exc:
        shutil.rmtree(src, ignore_errors=True)
        return failed_result(result, f"page images not written to "
                             f"{printable(str(dst))}: {exc.strerror or exc}", result.template)
    shutil.rmtree(old, ignore_errors=True)
    return result


def _clean(result: SheetResult) -> SheetResult:
    """A failed result's reason as one printable line (names may hold control characters)."""
    if result.status == "failed":
        result.error = one_line(result.error or "") or "unknown error"
        check_document(result)  # its finding, worded from the clean reason
    return result


def _store_all(reg: Registry, results: Iterable[SheetResult], root: str, total: int,
               progress: bool, summary: BatchSummary, out: Path, stage: Path,
               check_pages: bool) -> None:
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
            result = _install_pages(_clean(result), out, stage, check_pages)
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
