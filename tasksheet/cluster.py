"""Run a batch on a Dask cluster: the same `tasksheet run`, spread over many machines.

Dask distributed does the scheduling, retries and rescheduling; we only say what one task
is (one document through the pipeline) and keep the registry writes in one place. Each
worker process loads its OCR engine once (`extract.ocr.get_engine` is cached per process)
and reuses it for every document it is given.

Guarantees:
- a document whose task raises is retried once (`retries=1`), then recorded as `failed`
  with its reason;
- a worker lost mid-batch has its tasks rescheduled by the scheduler: nothing is lost;
- results come back to this process, which stores each one in its own transaction, keyed by
  document id: nothing is stored twice, even when a task ran twice.

Scans and the output folder must be on a path every worker shares (NFS or the like).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tasksheet.schemas.errors import TasksheetError
from tasksheet.schemas.result import SheetResult
from tasksheet.workers import environment, failed_result

RETRIES = 1


def require_shared_registry(registry: str) -> None:
    """A cluster run needs a registry server: refuse SQLite before any work is done."""
    if registry.startswith("sqlite"):
        raise TasksheetError(
            "a cluster run needs a registry every machine can reach: pass "
            "--registry postgresql://user@host/db (SQLite is a local file)")


def _connect(address: str):
    try:
        from distributed import Client
    except ImportError as exc:
        raise TasksheetError("cluster runs need `pip install 'dask[distributed]'`") from exc
    try:
        return Client(address, timeout="20s")
    except OSError as exc:
        raise TasksheetError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc


def _task(process: Callable[..., SheetResult], source: Any, out: Path, dpi: int,
          env: dict[str, str] | None = None) -> SheetResult:
    """One document on a worker, under the run's settings (`env`: the limits, which a
    local worker inherits). Exceptions propagate so that Dask retries the task."""
    with environment(env):
        return process(source, out=out, dpi=dpi)


def run_on_cluster(sources: list[Any], *, address: str, process: Callable[..., SheetResult],
                   out: Path, dpi: int, client=None,
                   env: dict[str, str] | None = None) -> Iterator[SheetResult]:
    """Yield each document's result as its task completes on the cluster at `address`."""
    from distributed import as_completed

    own = client is None
    client = client or _connect(address)
    try:
        futures = {client.submit(_task, process, src, Path(out).resolve(), dpi, env,
                                 key=f"doc-{src.id}-{time.time_ns()}", retries=RETRIES,
                                 pure=False): src for src in sources}
        for fut in as_completed(futures):
            src = futures[fut]
            try:
                yield fut.result()
            except Exception as exc:  # after the retry: a failed document, the batch goes on
                reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
                yield failed_result(src, f"failed twice on the cluster: {reason}")
    finally:
        if own:
            client.close()


def time_cluster(sources: list[Any], work: Path, workers: int = 2) -> dict[str, float]:
    """Pages/s of a local pool and of a `workers`-process LocalCluster on the same documents."""
    from distributed import Client, LocalCluster

    from tasksheet.pipeline import process_document
    from tasksheet.workers import local_results

    t = time.perf_counter()
    pages = sum(len(r.pages) for r in local_results(sources, process_document, work / "pool",
                                                     200, workers, "task_sheet_2018"))
    pool_s = time.perf_counter() - t
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        t = time.perf_counter()
        cpages = sum(len(r.pages) for r in run_on_cluster(
            sources, address=cluster.scheduler_address, process=process_document,
            out=work / "cluster", dpi=200, client=client))
        cluster_s = time.perf_counter() - t
    return {"pool_workers": workers, "pool_pages_per_second": round(pages / pool_s, 3),
            "cluster_workers": workers, "cluster_pages_per_second": round(cpages / cluster_s, 3)}
