"""1-bit archive scans (CCITT G4 TIFF): through ingest, and their seals found by shape.

A 1-bit page has no colour: a seal is a black ring over black print. The pages here are
the generator's own (`samplegen.capture.bitonal`), so every seal's place is known.
"""

from __future__ import annotations

import dataclasses
import math
import random
from pathlib import Path

import numpy as np
import pytest
from tasksheet.extract.ocr import get_engine
from tasksheet.extract.seal import find_seals
from tasksheet.extract.seal_shape import find_round_seals
from tasksheet.ingest.classify import claim_continuations, order_pages
from tasksheet.ingest.document import DocumentSource, OcrLine, Page
from tasksheet.ingest.load import load_pages
from tasksheet.ingest.normalize import is_bitonal, normalise
from tasksheet.samplegen.capture import bitonal, random_bitonal_params
from tasksheet.samplegen.document import write_g4_tiff
from tasksheet.samplegen.fill import fake_sheet
from tasksheet.samplegen.form import layout_sheet
from tasksheet.samplegen.layout import Mark, PageLayout, Style
from tasksheet.samplegen.render_raster import render_page
from tasksheet.schemas.template import load_template

DPI = 200


@pytest.fixture(scope="module")
def engine():
    return get_engine()


def _layouts(seed: int = 4) -> dict[str, PageLayout]:
    rng = random.Random(seed)
    sheet = fake_sheet(rng)
    return {p.id: p for p in layout_sheet(sheet, Style.random(rng, False), rng)}


def _one_bit(layout: PageLayout, skew: float, seed: int = 0) -> np.ndarray:
    """The page as an archive scanner stores it: bool, True = white."""
    rng = np.random.default_rng(seed)
    p = random_bitonal_params(rng, dpi=DPI)
    p = dataclasses.replace(p, threshold=0.72, scan=dataclasses.replace(p.scan, max_skew=skew))
    return bitonal(render_page(layout, DPI), p, rng)


def _seal_centres(layout: PageLayout) -> list[tuple[float, float, float]]:
    """(x, y, radius) in px of every seal drawn on the page."""
    k = DPI / 25.4
    out = []
    for m in layout.items:
        if isinstance(m, Mark) and m.kind == "seal":
            x0, y0, x1, y1 = m.box
            out.append(((x0 + x1) / 2 * k, (y0 + y1) / 2 * k, min(x1 - x0, y1 - y0) / 2 * k))
    return out


def _src(path: Path) -> DocumentSource:
    return DocumentSource(id="x", sha256="0" * 64, root=path.parent, paths=[path],
                          sources=[path.name])


def test_g4_page_through_ingest(tmp_path: Path, engine) -> None:
    layout = _layouts()["basic_info"]
    path = tmp_path / "archive.tif"
    write_g4_tiff([_one_bit(layout, skew=2.0)], DPI, path)
    raw = next(load_pages(_src(path)))
    assert is_bitonal(raw.image) and raw.dpi == DPI
    page = normalise(raw, engine)
    assert page.rotation == 0 and page.matrix.shape == (2, 3)  # a scan: no perspective
    assert page.capture == "bitonal"
    assert abs(page.skew) <= 2.3
    best = max(page.ocr_lines, key=lambda line: line.score)
    assert best.score > 0.9 and len(best.text) >= 3


def test_black_ring_seals_found_by_shape() -> None:
    layout = _layouts()["opinions"]
    bits = _one_bit(layout, skew=0.0, seed=1)
    page = np.where(bits, 255, 0).astype(np.uint8)
    seals = find_round_seals(page, text_height=33.0)
    want = _seal_centres(layout)
    assert len(want) == 3 and len(seals) == 3
    for (x, y, r), s in zip(sorted(want, key=lambda c: c[1]), seals, strict=True):
        # the scanner's slight perspective moves a seal by a few px
        assert math.dist((x, y), s.center) <= 0.08 * r
        assert s.radius == pytest.approx(r * 0.96, rel=0.1)  # the ring is 0.48 of the box
        assert s.arc >= 90 and s.coverage >= 0.6


def test_no_seal_on_a_page_of_print() -> None:
    pages = _layouts()
    for pid in ("cover", "basic_info", "members"):
        page = np.where(_one_bit(pages[pid], skew=1.0), 255, 0).astype(np.uint8)
        assert find_round_seals(page, text_height=33.0) == [], pid


def test_seals_over_print_found_through_ingest(tmp_path: Path, engine) -> None:
    """End to end: a 1-bit section 五 page, its three seals stamped over the printed labels
    and crossed by signatures, through the G4 file, ingest's smoothing and `find_seals`:
    found by their shape alone (no colour), each where it was drawn."""
    layout = _layouts()["opinions"]
    path = tmp_path / "opinions.tif"
    write_g4_tiff([_one_bit(layout, skew=1.0, seed=1)], DPI, path)
    page = normalise(next(load_pages(_src(path))), engine)
    assert page.capture == "bitonal"
    h, w = page.image.shape[:2]
    seals = find_seals(page.image, region=(0, 0, w, h), text_height=page.text_height)
    assert [(s.center, s.radius, s.color, s.shape) for s in seals] == [
        ((899, 822), 157, "black", "round"),
        ((862, 1387), 156, "black", "round"),
        ((1035, 2021), 146, "black", "round"),
    ]
    assert all(8 <= s.ring <= 12 for s in seals)
    for (x, y, r), s in zip(_seal_centres(layout), seals, strict=True):
        scan = np.asarray(page.matrix, float) @ [*s.center, 1.0]  # back to the scan
        assert math.dist((x, y), scan[:2]) <= 0.08 * r
    # a seal place is searched a little beyond its border, and keeps only its own seals
    x, y = seals[1].center
    (near,) = find_seals(page.image, region=(x - 100, y - 100, x + 100, y + 100),
                         text_height=page.text_height)
    assert math.dist(near.center, seals[1].center) <= 2 and abs(near.radius - seals[1].radius) <= 2


def test_last_page_of_opinions_follows_the_flow() -> None:
    """A flowing 1-bit document's last page holds only 五's blocks: their party labels (which
    一 prints too) and opinions, the seals' black rings hiding 公章 and the signature labels.
    Its labels tie 一 and 五; after a page of 四 it is 五, and it stays last."""
    def page(index: int, form: str | None, lines: list[str]) -> Page:
        p = Page(index=index, source="x", image=np.zeros((4, 4, 3), np.uint8),
                 scan_size=(4, 4), matrix=np.eye(2, 3), dpi=200, form_page=form,
                 classify_score=0.45 if form == "basic_info" else 0.8, capture="bitonal")
        p.ocr_lines = [OcrLine((0, 10 * i, 100, 10 * i + 9), t, 0.99)
                       for i, t in enumerate(lines)]
        return p

    template = load_template()
    last = ["项目委托单位：", "同意。", "项目承接单位：", "同意承接，按任务", "项目协调单位：", "同意"]
    pages = [page(1, "basic_info", ["一、三方单位基本信息", "法定代表人"]),
             page(2, "clauses", ["四、共同条款", "(1) 委托单位有权监督"]),
             page(3, "basic_info", last)]
    claim_continuations(pages, template)
    assert pages[2].form_page == "opinions" and pages[2].claimed
    ordered, _, out_of_order = order_pages(pages, template)
    assert [p.index for p in ordered] == [1, 2, 3] and not out_of_order
    # after a page of 一 the same page stays 一
    pages = [page(1, "basic_info", ["一、三方单位基本信息"]), page(2, "basic_info", last)]
    claim_continuations(pages, template)
    assert pages[1].form_page == "basic_info"
