"""The pool's worker gets its next document before the previous result is handed on: the
caller stores each result (registry, page images) in the parent process, and a worker
that waited for that idled for it."""

from __future__ import annotations

import time
from pathlib import Path

from helpers.fakes import fake_discover, fake_process, make_scans

from tasksheet.workers import local_results


def test_next_document_starts_while_the_caller_holds_a_result(tmp_path: Path,
                                                              counting: Path) -> None:
    make_scans(tmp_path / "scans", 3)
    todo = fake_discover(tmp_path / "scans")
    results = local_results(todo, fake_process, tmp_path / "out", 200, workers=1,
                            template_id="task_sheet_2018", max_seconds=60)
    first = next(results)
    assert first.id == todo[0].id
    deadline = time.monotonic() + 20  # the caller is busy with `first`: nothing asked for
    while len(list(counting.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    started = sorted(p.name.split(".")[0] for p in counting.iterdir())
    assert started == sorted([todo[0].id, todo[1].id])  # the second, and only it, began
    rest = list(results)
    assert [r.id for r in rest] == [todo[1].id, todo[2].id]
    assert len(list(counting.iterdir())) == 3
