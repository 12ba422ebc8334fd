"""#20: a crop a document has read already at the same padded width is not run again, and
the rest of its batch is padded as it was; each document starts with nothing kept."""

from pathlib import Path

import numpy as np
import pytest
from helpers.drawing import render_line as render
from tasksheet.extract.ocr import RapidOcrEngine
from tasksheet.ingest import ingest_document
from tasksheet.ingest.document import DocumentSource
from tasksheet.schemas.errors import DocumentError
from tasksheet.schemas.template import load_template


@pytest.fixture(scope="module")
def engine() -> RapidOcrEngine:
    return RapidOcrEngine(threads=1)


def test_a_crop_read_again_is_not_run_again(engine: RapidOcrEngine) -> None:
    engine.new_document()
    label, other = render("联系人"), render("经费支持")  # both under 320 px at 48 px high
    rec = engine.recogniser
    first = engine.recognize([label])
    before = rec.columns_run
    # the same pixels in a fresh array (another crop of the same page region)
    again = engine.recognize([label.copy(), other])
    assert again[0] == first[0]
    assert rec.columns_run - before == 320  # only `other` ran, padded to 320 px as before
    assert again[1][0] == "经费支持"


def test_a_crop_in_a_wider_batch_runs_again(engine: RapidOcrEngine) -> None:
    """Padded wider (its batch holds a long line) a crop reads otherwise: not the kept one."""
    engine.new_document()
    rec = engine.recogniser
    short, long = render("手机"), render("项目承接单位负责人签字并加盖公章")
    engine.recognize([short])
    wide = long.shape[1] * 48 / long.shape[0]
    assert wide > 320
    before = rec.columns_run
    engine.recognize([short, long])
    assert rec.columns_run - before == 2 * int(wide)  # both ran, padded to the long line


def test_the_rest_of_a_batch_reads_as_it_did(engine: RapidOcrEngine) -> None:
    """A batch whose first crop was kept runs its others at the width the whole batch
    takes: they read as they did with it."""
    crops = [render("电话"), render("项目名称："), render("2018年7月19日")]
    engine.new_document()
    whole = engine.recognize(crops)
    engine.new_document()
    engine.recognize(crops[:1])
    part = engine.recognize(crops)
    assert [t for t, _ in part] == [t for t, _ in whole]
    assert np.allclose([s for _, s in part], [s for _, s in whole], atol=1e-4)


def test_a_new_document_forgets_the_last_ones_readings(engine: RapidOcrEngine) -> None:
    engine.new_document()
    crop = render("经费支持")
    engine.recognize([crop])
    engine.new_document()
    before = engine.recogniser.columns_run
    engine.recognize([crop])
    assert engine.recogniser.columns_run - before == 320


def test_ingest_starts_each_document_afresh(tmp_path: Path) -> None:
    """`ingest_document` drops the engine's kept readings before it loads anything."""

    class Engine:
        forgot = 0

        def new_document(self) -> None:
            self.forgot += 1

    bad = tmp_path / "a.png"
    bad.write_bytes(b"not an image")
    src = DocumentSource(id="x", sha256="0" * 64, root=tmp_path, paths=[bad], sources=["a.png"])
    eng = Engine()
    with pytest.raises(DocumentError):
        ingest_document(src, load_template(), eng)  # type: ignore[arg-type]
    assert eng.forgot == 1


def test_a_reading_with_character_places_answers_a_plain_one(engine: RapidOcrEngine) -> None:
    """`recognize_chars` keeps the text, score and places: a plain `recognize` of the same
    crop takes its text and score; the other way round the places are not kept, so the
    crop runs."""
    engine.new_document()
    rec = engine.recogniser
    crop = render("项目名称")
    [(text, score, chars)] = engine.recognize_chars([crop])
    assert chars
    before = rec.columns_run
    assert engine.recognize([crop.copy()]) == [(text, score)]
    assert rec.columns_run == before
    engine.new_document()
    engine.recognize([crop])
    before = rec.columns_run
    assert engine.recognize_chars([crop])[0][:2] == (text, score)
    assert rec.columns_run - before == 320
