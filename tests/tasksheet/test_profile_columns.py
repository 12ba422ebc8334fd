"""The profile says, per caller, how wide the recogniser's crops are and how many input
columns it ran for them (padding included): its cost goes with the columns."""

import numpy as np
from tasksheet.extract.ocr import REC_MIN_WIDTH, RapidOcrEngine

from tasksheet.profile import Profile, crop_columns, profiled


def test_padded_and_own_columns_per_caller():
    engine = RapidOcrEngine(threads=1)
    prof = Profile()
    short = np.full((24, 50), 255, np.uint8)  # 100 columns at the model's height
    long = np.full((48, 500), 255, np.uint8)  # 500 columns
    with profiled(engine=engine, prof=prof):
        engine.recognize([short])
        engine.recognize([long])
    key = ("ocr rec", "other")
    assert prof.crops[key] == 2
    assert prof.crop_columns[key] == crop_columns(short) + crop_columns(long) == 600
    # each crop in a batch of its own: the short one padded to the model's least width
    assert prof.padded_columns[key] == REC_MIN_WIDTH + 500
    row = prof.to_dict()["ocr"]["ocr rec in other"]
    assert row["crop_columns_per_page"] == 600 and row["padded_columns_per_page"] == REC_MIN_WIDTH + 500
