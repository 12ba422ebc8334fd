"""A fake `process` and `discover` for the batch runner's tests. They live at module level
of an importable module so the spawn pool (and a `python -c` child) can import them."""

from __future__ import annotations

import multiprocessing
import os
import time
from dataclasses import dataclass
from pathlib import Path

from tasksheet.ingest.hashing import content_sha256, document_id
from tasksheet.schemas.result import PageInfo, Reading, SheetResult


@dataclass
class FakeSource:
    id: str
    sha256: str
    root: Path
    paths: list[Path]
    sources: list[str]


def fake_discover(scan_dir: Path) -> list[FakeSource]:
    """One document per .txt file, identified by its content like the real discover."""
    out = []
    for p in sorted(Path(scan_dir).glob("*.txt")):
        sha = content_sha256([p])
        out.append(FakeSource(document_id(sha), sha, Path(scan_dir), [p], [p.name]))
    return out


def fake_process(source: FakeSource, out: Path, dpi: int) -> SheetResult:
    """Sleep FAKE_SLEEP s; note the call in FAKE_COUNT_DIR; raise for a file saying BOOM."""
    time.sleep(float(os.environ.get("FAKE_SLEEP", "0")))
    count_dir = os.environ.get("FAKE_COUNT_DIR")
    if count_dir:
        (Path(count_dir) / f"{source.id}.{os.getpid()}.{time.time_ns()}").touch()
    text = source.paths[0].read_text(encoding="utf-8")
    if text.startswith("CRASH") and multiprocessing.parent_process() is not None:
        os._exit(3)  # a worker dying like a segfaulting decoder would
    if text.startswith("HANG"):
        time.sleep(600)  # a decoder stuck in a loop
    if text.startswith("BOOM"):
        raise ValueError(f"cannot parse {source.sources[0]}\nsecond line")
    field = "cover.no_such_field" if text.startswith("BADFIELD") else "cover.project_name"
    return SheetResult(id=source.id, sources=source.sources, sha256=source.sha256,
                       template="task_sheet_2018",
                       pages=[PageInfo(index=i, source=source.sources[0]) for i in (1, 2)],
                       readings={field: Reading(raw=text, value=text, page=1)})


def make_scans(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_text(folder / f"doc{i:03d}.txt", f"试点项目 {i}") for i in range(n)]


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
