"""The profiler times the pipeline's stages without changing what they do, and takes its
wrappers off afterwards."""

from pathlib import Path

from conftest import SAMPLES
from tasksheet.extract.ocr import get_engine
from tasksheet.ingest.discover import discover

from tasksheet.profile import Profile, profile_documents, profiled


def test_profile_of_one_sample_covers_the_stages(tmp_path: Path):
    import tasksheet.readers.work as work
    from tasksheet.extract import grid, page_text

    before = (grid.find_grids, page_text.find_grids, work.PageWork.__dict__["of"],
              get_engine().recognize)
    prof = profile_documents(discover(SAMPLES)[:1], tmp_path)
    assert prof.documents == 1 and prof.pages >= 1
    rows = prof.per_page()
    for row in ("decode", "normalise", "grid", "outline / headings", "ocr rec", "checks",
                "store", "report"):
        assert rows.get(row, 0) > 0, row
    # exclusive times: the rows add up to no more than the whole
    assert sum(v for k, v in rows.items() if k != "total") <= rows["total"] * 1.01 + 1e-3
    d = prof.to_dict()
    assert d["ocr_batches"]["ocr rec"]["crops"] > 0
    assert any(k.startswith("ocr rec in ") for k in d["ocr"])
    assert "| stage |" in prof.table()
    assert "| grid |" in Profile.from_dict(d).table(prof)
    after = (grid.find_grids, page_text.find_grids, work.PageWork.__dict__["of"],
             get_engine().recognize)
    assert after[:3] == before[:3]
    assert "recognize" not in vars(get_engine())  # the instance's wrapper is gone


def test_nested_rows_count_exclusively():
    import time

    prof = Profile()
    with profiled(prof=prof):
        from tasksheet.profile import _Timer

        timer = _Timer(prof)
        with timer.row("outer"):
            time.sleep(0.02)
            with timer.row("inner"):
                time.sleep(0.05)
    assert 0.015 <= prof.seconds["outer"] < 0.045
    assert prof.seconds["inner"] >= 0.045
