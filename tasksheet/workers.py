"""Documents processed in worker processes: one result per document, whatever happens.

Shared by `tasksheet run` (batch), the benchmark and the cluster runner's local fallback:
a worker that raises gives a failed result with a reason, a worker that dies (segfault,
OOM kill) convicts the document it held and no other.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from tasksheet.checks import check_document
from tasksheet.ingest.hashing import printable
from tasksheet.schemas.errors import TemplateError
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import load_template

# Each worker is one process; a math library that also spreads over every core makes N
# workers fight over N cores (N² threads). One thread each, the pool gives the parallelism.
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
              "NUMEXPR_NUM_THREADS", "TASKSHEET_OCR_THREADS")
PARENT_POLL_S = 1.0
# glibc's MALLOC_MMAP_THRESHOLD_ is left to the environment (workers inherit it): page-sized
# arrays in their own mappings keep the heap from growing around them, but every such
# allocation then starts on fresh, zeroed pages. Measured on 4 large documents of seed 191
# (30 pages, one process): peak 1188-1252 MB and 1.23 CPU s a page unset; 4 MiB 804 MB at
# +17 % CPU (system time 4.9 -> 11.5 s), 8 MiB 833 MB at +13 %, 16 MiB 1138 MB at +8 %.

Process = Callable[..., SheetResult]
# A failure of the machine, not of the document: retried by the next run on its own.
ENVIRONMENTAL = re.compile(
    r"\b(PermissionError|FileNotFoundError|NotADirectoryError|IsADirectoryError|OSError|"
    r"IOError|BlockingIOError|TimeoutError|InterruptedError|ConnectionError)\b|"
    r"\[Errno \d+\]|No space left|Read-only file system|Permission denied|Disk quota|"
    r"page images not written|cannot list folder|symbolic link|cannot read file")


@contextlib.contextmanager
def environment(values: dict[str, str] | None) -> Iterator[None]:
    """Set environment variables for a while (worker processes started meanwhile inherit
    them); the old values come back afterwards."""
    values = values or {}
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def one_line(reason: str) -> str:
    """A reason as one printable line: whitespace runs to one space, control characters `?`.

    >>> one_line("cannot parse a.pdf\\n  second\\x1b[2J line")
    'cannot parse a.pdf second?[2J line'
    """
    return printable(" ".join(reason.split()))


def is_environmental(reason: str | None) -> bool:
    """Whether a failure's reason blames the machine (a file or folder that could not be
    read or written, a full disk) rather than the document: such a failure is retried.

    >>> is_environmental("PermissionError: [Errno 13] Permission denied: 'out/pages/ab'")
    True
    >>> is_environmental("a.pdf: truncated PDF (file ends without %%EOF)")
    False
    """
    return bool(reason) and ENVIRONMENTAL.search(reason) is not None


def failed_result(source: Any, reason: str, template_id: str | None = None) -> SheetResult:
    """A `failed` result with `unreadable_document` and a one-line reason."""
    result = SheetResult(id=source.id, sources=list(source.sources), sha256=source.sha256,
                         template=template_id or load_template().id)
    result.fail(one_line(reason) or "unknown error")
    return check_document(result)


def _run_one(process: Process, source: Any, out: Path, dpi: int, template_id: str) -> SheetResult:
    """Process one document; any exception but a broken template becomes a failed result."""
    try:
        return process(source, out=out, dpi=dpi)
    except TemplateError:
        raise
    except Exception as exc:
        return failed_result(source, f"{type(exc).__name__}: {exc}".splitlines()[0], template_id)


def _init_worker(parent_pid: int) -> None:
    """Cap math-library threads, and die with the parent instead of lingering as an orphan."""
    for var in THREAD_ENV:
        os.environ[var] = "1"
    try:
        import cv2

        cv2.setNumThreads(1)
    except ImportError:
        pass

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_S)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _new_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker, initargs=(os.getpid(),))


def _outcome(fut: Future, source: Any, template_id: str) -> SheetResult:
    """The future's result; an error other than a dead worker fails this document only."""
    try:
        return fut.result()
    except (BrokenProcessPool, TemplateError):
        raise
    except Exception as exc:  # e.g. a result that cannot be pickled back
        return failed_result(source, f"{type(exc).__name__}: {exc}", template_id)


def too_long(max_seconds: float) -> str:
    """The reason of a document stopped at the time limit (not a failure of the machine:
    `is_environmental` is false for it, so only --retry-failed or --force takes it up again).

    >>> too_long(600)
    'stopped after 600 s, the time limit for one document (tasksheet run --max-seconds)'
    >>> is_environmental(too_long(600))
    False
    """
    return (f"stopped after {max_seconds:g} s, the time limit for one document "
            f"(tasksheet run --max-seconds)")


def _ready(process: Process) -> int:
    return os.getpid()  # `process` came in pickled: its module (the pipeline) is imported


def _warm(pool: ProcessPoolExecutor, workers: int, process: Process) -> None:
    """Start the pool's processes before any document's clock runs: on a loaded machine
    starting a process and importing the pipeline takes seconds that are no document's."""
    wait([pool.submit(_ready, process) for _ in range(workers)])


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop a pool whose worker is stuck: its processes are killed, not waited for."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def _fill(pool: ProcessPoolExecutor, queue: deque, inflight: dict[Future, Any],
          started: dict[Future, float], workers: int, args: tuple) -> None:
    """Hand documents from `queue` to the pool until `workers` are in flight (`args`: the
    rest of `_run_one`'s arguments); a pool found broken leaves the next one queued."""
    while queue and len(inflight) < workers:
        source = queue.popleft()
        try:
            fut = pool.submit(_run_one, args[0], source, *args[1:])
        except BrokenProcessPool:  # a worker died before this one was handed out
            queue.appendleft(source)
            return
        inflight[fut] = source
        started[fut] = time.monotonic()


# A PDF's page objects, as its bytes spell them (`/Type /Page`, not `/Pages`), and its page
# tree's `/Count`: read without parsing the file, so a hostile PDF cannot crash the parent
# (pdfium, a native parser, runs in the workers only). Past this many bytes, not looked at.
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
PDF_COUNT = re.compile(rb"/Count\s+(\d+)")
PAGE_COUNT_MAX_BYTES = 64 << 20


def expected_pages(source: Any) -> int:
    """How many pages a document's files hold, from their bytes and headers, nothing
    decoded: a PDF's page objects (else its page tree's largest `/Count`), a TIFF's
    frames, one for any other image; 1 for a file that cannot be read so. The pool's order
    only (`heaviest_first`): a wrong guess costs time, never a result."""
    total = 0
    for path in getattr(source, "paths", None) or []:
        total += _file_pages(Path(path))
    return max(1, total)


def _file_pages(path: Path) -> int:
    try:
        if path.stat().st_size > PAGE_COUNT_MAX_BYTES:
            return 1
        with open(path, "rb") as f:
            head = f.read(8)
            if head.startswith(b"%PDF"):
                data = head + f.read()
                found = len(PDF_PAGE.findall(data))
                counts = [int(c) for c in PDF_COUNT.findall(data)]
                return found or max(counts, default=1) or 1
            if head[:4] in (b"II*\x00", b"MM\x00*"):  # TIFF: its frames (pure-Python IFD walk)
                from PIL import Image

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # a cut file's complaint: counted as one
                    with Image.open(path) as im:
                        return max(1, int(getattr(im, "n_frames", 1)))
    except (OSError, ValueError, SyntaxError):
        return 1
    return 1


def heaviest_first(todo: list[Any]) -> list[Any]:
    """`todo` with the documents of the most pages first (`expected_pages`; ties keep
    their order): a pool's last document then is a short one, and the workers finish
    together instead of one idling while the other reads a long document alone (#20:
    longest first on a set of six to twenty-four 6-9-page documents, times as pages:
    the two workers' span 2-5 % shorter).

    >>> class Doc:
    ...     def __init__(self, n): self.paths, self.n = [], n
    >>> [d.n for d in heaviest_first([Doc(1), Doc(2)])]   # no files: one page each
    [1, 2]
    """
    pages = [expected_pages(s) for s in todo]
    order = sorted(range(len(todo)), key=lambda i: -pages[i])
    return [todo[i] for i in order]


def local_results(todo: list[Any], process: Process, out: Path, dpi: int, workers: int,
                  template_id: str, max_seconds: float | None = None) -> Iterator[SheetResult]:
    """Results as they complete: in this process for one worker, else a process pool.

    The pool uses `spawn`: forking a parent that holds database connections and threads
    (tqdm, SQLAlchemy) is how deadlocks are made. At most `workers` documents are in
    flight, so when a worker dies (segfault, OOM kill) and breaks the pool, the suspects
    are known: each is retried alone in a fresh one-worker pool, which convicts the
    culprit (a failed result with a reason) and clears the others; the rest go on.

    `max_seconds`: a document still in its worker after this long fails (`too_long`); the
    pool is killed (a stuck decoder does not listen), and the documents that were in flight
    beside it start again in a new one. With a limit, even one worker is a pool of one:
    only a process can be stopped from outside. Several workers take the documents
    longest first (`heaviest_first`); results come as they complete either way.
    """
    if not todo:
        return
    if workers == 1 and max_seconds is None:
        for source in todo:
            yield _run_one(process, source, out, dpi, template_id)
        return
    # several workers: the longest documents first (one worker: the order is the caller's)
    queue = deque(heaviest_first(todo) if workers > 1 and len(todo) > workers else todo)
    while queue:
        pool = _new_pool(min(workers, len(queue)))
        if max_seconds is not None:
            _warm(pool, min(workers, len(queue)), process)
        inflight: dict[Future, Any] = {}
        started: dict[Future, float] = {}
        suspects: list[Any] = []
        killed = False
        try:
            while (queue or inflight) and not suspects and not killed:
                _fill(pool, queue, inflight, started, workers, (process, out, dpi, template_id))
                if not inflight:
                    break
                timeout = None
                if max_seconds is not None:
                    timeout = max(0.0, min(started[f] for f in inflight) + max_seconds
                                  - time.monotonic())
                done, _ = wait(inflight, timeout=timeout, return_when=FIRST_COMPLETED)
                ready = []
                for fut in done:
                    source = inflight.pop(fut)
                    try:
                        ready.append(_outcome(fut, source, template_id))
                    except BrokenProcessPool:
                        suspects.append(source)
                if not suspects:
                    # the freed worker gets its next document before the results are
                    # handed on: storing them (the registry, the page images) is the
                    # caller's work in this process, and a worker waiting on it idles
                    _fill(pool, queue, inflight, started, workers,
                          (process, out, dpi, template_id))
                yield from ready
                now = time.monotonic()
                late = [f for f in inflight if max_seconds is not None
                        and now - started[f] >= max_seconds]
                if late:  # stuck: it fails, the pool goes, the others start again
                    for fut in late:
                        yield failed_result(inflight.pop(fut), too_long(max_seconds or 0),
                                            template_id)
                    queue.extendleft(reversed(list(inflight.values())))  # innocent: again
                    inflight.clear()
                    _kill(pool)
                    killed = True
            suspects += inflight.values()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        if not killed:
            pool.shutdown(wait=True)
        for source in suspects:
            yield _alone(process, source, out, dpi, template_id, max_seconds)


def _alone(process: Process, source: Any, out: Path, dpi: int, template_id: str,
           max_seconds: float | None = None) -> SheetResult:
    """One document in its own worker: if that worker dies too, the document is the cause."""
    pool = _new_pool(1)
    if max_seconds is not None:
        _warm(pool, 1, process)
    fut = pool.submit(_run_one, process, source, out, dpi, template_id)
    try:
        wait([fut], timeout=max_seconds)
        if not fut.done():
            _kill(pool)
            return failed_result(source, too_long(max_seconds or 0), template_id)
        return _outcome(fut, source, template_id)
    except BrokenProcessPool:
        return failed_result(source, "the worker process died while reading this document "
                             "(crash or out of memory)", template_id)
    finally:
        pool.shutdown(wait=True)
