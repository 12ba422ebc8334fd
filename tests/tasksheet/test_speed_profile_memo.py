"""The profile says, per caller, how many crops the recogniser's memo of the document's
readings answered (read before at the same padded width: not run again)."""

import numpy as np
from tasksheet.extract.ocr import REC_MIN_WIDTH, RapidOcrEngine

from tasksheet.profile import Profile, profiled


def test_crops_from_the_memo_per_caller() -> None:
    engine = RapidOcrEngine(threads=1)
    engine.new_document()
    prof = Profile(pages=1)
    crop = np.full((24, 50), 255, np.uint8)
    crop[8:16, 10:40] = 0
    with profiled(engine=engine, prof=prof):
        engine.recognize([crop])
        engine.recognize([crop.copy(), crop[:, :40]])
    key = ("ocr rec", "other")
    assert prof.crops[key] == 3
    assert prof.memo_hits[key] == 1
    assert prof.padded_columns[key] == 2 * REC_MIN_WIDTH  # the repeat did not run
    assert prof.to_dict()["ocr"]["ocr rec in other"]["crops_from_memo_per_page"] == 1
