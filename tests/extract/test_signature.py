"""Signature detection: the real hand-filled form (when present) and generated 签字 cells."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from conftest import REAL
from helpers.drawing import draw_signature, plain_seal_ink
from PIL import Image, ImageDraw, ImageFont
from tasksheet.extract.signature import SignatureResult, detect_signature

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
DATA = Path(__file__).resolve().parents[1] / "data"
TH = 29  # text height at 200 DPI, 10.5 pt
BLUE, BLACK, RED = (170, 60, 25), (30, 30, 30), (45, 35, 215)

# (region, printed "Signature" label) of the four boxes on form-checkboxes-signatures.png
FORM_BOXES = {
    "upper-left": ((401, 1443, 784, 1592), (411, 1456, 527, 1483)),
    "upper-right": ((807, 1440, 1205, 1592), (815, 1455, 935, 1481)),
    "lower-left": ((401, 1692, 784, 1840), (411, 1703, 527, 1728)),
    "lower-right": ((809, 1692, 1206, 1840), (823, 1703, 947, 1732)),
}


def cell_page(rng: np.random.Generator, w: int = 420, h: int = 110
              ) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A page piece holding one bordered cell; returns (image, cell box incl. its borders)."""
    page = np.full((h + 80, w + 80, 3), 250, np.uint8)
    page += rng.integers(0, 5, page.shape, dtype=np.uint8)  # paper grain
    x0, y0 = 40, 40
    cv2.rectangle(page, (x0, y0), (x0 + w, y0 + h), (20, 20, 20), 2)
    cv2.line(page, (0, y0), (page.shape[1] - 1, y0), (20, 20, 20), 2)  # grid runs on
    return page, (x0, y0, x0 + w + 1, y0 + h + 1)


def red_seal(page: np.ndarray, center: tuple[int, int], radius: int) -> np.ndarray:
    """A plain red seal (ring, star, glyph-like arcs), multiplied over the page."""
    ink = plain_seal_ink(page.shape[:2], center, radius)
    tint = 1.0 - 0.85 * ink[..., None] * (1.0 - np.array(RED, np.float32) / 255.0)
    return np.clip(page * tint, 0, 255).astype(np.uint8)


def _inner(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = box
    return x0 + 6, y0 + 6, x1 - 6, y1 - 6


# --------------------------------------------------------------------------- generated


@pytest.mark.parametrize("color", [BLUE, BLACK], ids=["blue", "black"])
def test_synthetic_signatures_are_signed(color: tuple[int, int, int]) -> None:
    hits = 0
    for seed in range(10):
        rng = np.random.default_rng(seed)
        page, cell = cell_page(rng)
        draw_signature(page, _inner(cell), color, rng)
        res = detect_signature(page, cell, text_height=TH)
        hits += res.signed
        assert res.bbox is not None
    print(f"signed {hits}/10 ({color})")
    assert hits == 10


def test_empty_cell_with_borders_is_not_signed() -> None:
    page, cell = cell_page(np.random.default_rng(1))
    res = detect_signature(page, cell, text_height=TH)
    assert res == SignatureResult(False, None, res.confidence, 0.0)
    # Without a measured scale the detector estimates one and still says no.
    assert not detect_signature(page, cell).signed


def test_dash_is_not_a_signature() -> None:
    for seed, (length, tilt) in enumerate([(TH, 0), (2 * TH, 2), (int(1.5 * TH), -3)]):
        rng = np.random.default_rng(seed)
        page, (x0, y0, x1, y1) = cell_page(rng)
        cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
        cv2.line(page, (cx - length // 2, cy - tilt), (cx + length // 2, cy + tilt), BLACK, 3,
                 cv2.LINE_AA)
        res = detect_signature(page, (x0, y0, x1, y1), text_height=TH)
        assert not res.signed, (length, tilt, res)


def test_a_zigzag_of_upright_strokes_is_signed_and_a_lone_slash_is_not() -> None:
    """A scribble runs mostly one way yet fills its box; a slash struck through an empty
    cell runs one way and fills little of it."""
    page, (x0, y0, x1, y1) = cell_page(np.random.default_rng(3))
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    pts = [(cx - 50 + 16 * k, cy + (45 if k % 2 else -45)) for k in range(7)]
    cv2.polylines(page, [np.array(pts, np.int32)], False, BLACK, 7, cv2.LINE_AA)
    assert detect_signature(page, (x0, y0, x1, y1), text_height=TH).signed
    page, (x0, y0, x1, y1) = cell_page(np.random.default_rng(4))
    cv2.line(page, (cx - 40, cy + 35), (cx + 40, cy - 35), BLACK, 3, cv2.LINE_AA)
    assert not detect_signature(page, (x0, y0, x1, y1), text_height=TH).signed


def test_a_scribble_squeezed_into_a_narrow_cell_is_signed() -> None:
    """Thin, nearly upright down-strokes inside a narrow member cell are the pen's, not
    rulings: a ruling stands at the cell's side or crosses it top to bottom."""
    page, (x0, y0, x1, y1) = cell_page(np.random.default_rng(5), w=50, h=120)
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    pts = [(cx - 12 + 4 * k, cy + (38 if k % 2 else -38)) for k in range(6)]
    cv2.polylines(page, [np.array(pts, np.int32)], False, BLACK, 3, cv2.LINE_AA)
    assert detect_signature(page, (x0, y0, x1, y1), text_height=TH).signed
    page, cell = cell_page(np.random.default_rng(6), w=50, h=120)
    cv2.line(page, (cx, y0), (cx, y1), BLACK, 2)  # a ruling through the cell: not a hand
    assert not detect_signature(page, cell, text_height=TH).signed


def _thin_pen_name(name: str, seed: int, w: int = 94, h: int = 131
                   ) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A member's narrow 签字 cell holding a name written small (about 3 text heights
    wide, one high) in a thin blue pen, softened as a scan does."""
    from tasksheet.samplegen.fonts import HAND_FONT
    from tasksheet.samplegen.ink import name_signature

    page, cell = cell_page(np.random.default_rng(seed), w=w, h=h)
    bw, bh = w - 10, TH
    nx, ny = cell[0] + (w - bw) // 2, cell[1] + (h - bh) // 2
    rgba = np.asarray(name_signature(bw, bh, seed, BLUE, name, HAND_FONT), np.float32) / 255.0
    alpha = rgba[..., 3:4]
    region = page[ny:ny + bh, nx:nx + bw].astype(np.float32)
    page[ny:ny + bh, nx:nx + bw] = (region * (1 - alpha)
                                    + np.array(BLUE, np.float32) * alpha).astype(np.uint8)
    return cv2.GaussianBlur(page, (3, 3), 0.7), cell


@pytest.mark.parametrize("name", ["杜柏敏", "张建国", "王一丁"])
def test_a_small_name_in_a_thin_pen_is_signed(name: str) -> None:
    """Seed 191 doc-0001: a small name's level strokes (一 of 杜, 木 of 柏, 攵 of 敏) run
    together into one straight thin run across the cell's middle. It stops short of the
    cell's sides and has the glyphs' other strokes above and below it all along: writing,
    not a ruling to take away (which left slivers and specks: judged unsigned)."""
    unsigned = [(seed, got) for seed in range(16)
                if not (got := detect_signature(*_thin_pen_name(name, seed), text_height=TH)).signed]
    assert not unsigned


def test_a_small_name_in_a_thin_pen_on_a_real_scan_is_signed() -> None:
    """The cell itself (seed 191 doc-0001, members.2.signed, a colour scan at 200 dpi)."""
    page = cv2.imread(str(DATA / "thin-blue-name-member-cell.png"), cv2.IMREAD_COLOR)
    h, w = page.shape[:2]
    got = detect_signature(page, (12, 12, w - 12, h - 12), text_height=TH)
    assert got.signed, got
    blank = page.copy()
    blank[40:120, 18:w - 10] = np.median(page[20:40, 20:80], axis=(0, 1))  # the name gone
    assert not detect_signature(blank, (12, 12, w - 12, h - 12), text_height=TH).signed


def test_rulings_inside_an_empty_cell_are_not_a_signature() -> None:
    """What keeps a ruling a ruling inside the cell: it runs through the cell side to side
    (also under a seal on a grey scan, whose ring and text lie beside it), or it is bare
    (an underline with a dash on it, short of the sides)."""
    page, cell = cell_page(np.random.default_rng(7), w=94, h=131)
    y = (cell[1] + cell[3]) // 2
    cv2.line(page, (0, y), (page.shape[1] - 1, y), BLACK, 2)
    assert not detect_signature(page, cell, text_height=TH).signed
    page, cell = cell_page(np.random.default_rng(8), h=140)
    y = (cell[1] + cell[3]) // 2
    cv2.line(page, (0, y), (page.shape[1] - 1, y), BLACK, 2)
    center, radius = (cell[0] + 250, y), 60
    page = cv2.cvtColor(cv2.cvtColor(red_seal(page, center, radius), cv2.COLOR_BGR2GRAY),
                        cv2.COLOR_GRAY2BGR)
    page = np.where(page < 200, page // 3, page).astype(np.uint8)
    assert not detect_signature(page, cell, text_height=TH, discs=[(*center, radius)]).signed
    page, cell = cell_page(np.random.default_rng(9), w=300, h=90)
    x0, y0 = cell[0], cell[1]
    cv2.line(page, (x0 + 40, y0 + 60), (x0 + 260, y0 + 60), BLACK, 2)  # an underline
    cv2.line(page, (x0 + 130, y0 + 52), (x0 + 170, y0 + 52), BLACK, 3)  # the form's dash
    assert not detect_signature(page, cell, text_height=TH).signed


def test_specks_and_noise_are_not_a_signature() -> None:
    rng = np.random.default_rng(5)
    page, cell = cell_page(rng)
    x0, y0, x1, y1 = cell
    for _ in range(60):
        cv2.circle(page, (int(rng.integers(x0, x1)), int(rng.integers(y0, y1))),
                   int(rng.integers(1, 3)), BLACK, -1)
    noise = rng.normal(0, 12, page.shape)
    page = np.clip(page + noise, 0, 255).astype(np.uint8)
    assert not detect_signature(page, cell, text_height=TH).signed


def test_red_seal_over_empty_cell_is_not_signed() -> None:
    page, cell = cell_page(np.random.default_rng(2))
    page = red_seal(page, (cell[0] + 250, cell[1] + 40), 150)
    res = detect_signature(page, cell, text_height=TH)
    assert not res.signed, res
    draw_signature(page, _inner(cell), BLUE, np.random.default_rng(3))
    assert detect_signature(page, cell, text_height=TH).signed


def test_grey_seal_over_empty_cell_is_not_signed_when_its_disc_is_given() -> None:
    """A greyscale scan: the seal is as dark as pen ink, only its place (given, or found by
    the ring's shape round the cell) tells it apart."""
    page, cell = cell_page(np.random.default_rng(4))
    center, radius = (cell[0] + 250, cell[1] + 60), 95
    page = cv2.cvtColor(cv2.cvtColor(red_seal(page, center, radius), cv2.COLOR_BGR2GRAY),
                        cv2.COLOR_GRAY2BGR)
    page = np.where(page < 200, page // 3, page).astype(np.uint8)  # a dark grey rim
    disc = [(*center, radius)]
    assert not detect_signature(page, cell, text_height=TH).signed  # its ring's shape tells
    assert not detect_signature(page, cell, text_height=TH, discs=disc).signed
    draw_signature(page, _inner(cell), BLACK, np.random.default_rng(5))  # runs out of it
    assert detect_signature(page, cell, text_height=TH, discs=disc).signed


def test_printed_label_excluded() -> None:
    if not FONT.exists():
        pytest.skip(f"font {FONT} is absent")
    rng = np.random.default_rng(8)
    page, (x0, y0, x1, y1) = cell_page(rng, w=640)
    img = Image.fromarray(page)
    ImageDraw.Draw(img).text((x0 + 10, y0 + 40), "负责人（签字）", fill=BLACK,
                             font=ImageFont.truetype(str(FONT), TH))
    page = np.asarray(img).copy()
    label = (x0 + 8, y0 + 36, x0 + 10 + 7 * TH + 4, y0 + 44 + TH)
    region = (x0, y0, x1, y1)
    assert not detect_signature(page, region, text_height=TH, exclude=[label]).signed
    draw_signature(page, (label[2] + 20, y0 + 8, x1 - 20, y1 - 8), BLUE, rng)
    res = detect_signature(page, region, text_height=TH, exclude=[label])
    assert res.signed and res.bbox is not None and res.bbox[0] >= label[2]


# --------------------------------------------------------------------------- real scan


@pytest.mark.parametrize("name", list(FORM_BOXES))
def test_real_form_signature_boxes(name: str) -> None:
    path = REAL / "form-checkboxes-signatures.png"
    if not path.exists():
        pytest.skip(f"real scan {path} is absent")
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    region, label = FORM_BOXES[name]
    res = detect_signature(image, region, exclude=[label])
    print(f"{name}: {res}")
    assert res.signed == name.startswith("upper"), res


def _one_bit(page: np.ndarray) -> np.ndarray:
    """The page as a 1-bit scan stores it (black or white), softened as ingest softens it."""
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    bits = np.where(grey < 160, 0, 255).astype(np.uint8)
    return cv2.cvtColor(cv2.GaussianBlur(bits, (0, 0), 0.8), cv2.COLOR_GRAY2BGR)


def test_black_ring_over_empty_cell_is_not_signed() -> None:
    """A 1-bit scan: the seal is a black ring, as black as a pen; found round the cell by
    its shape, its ring blanked and what lies inside it left out, the cell is empty; a
    signature written across the ring is still a signature."""
    page, cell = cell_page(np.random.default_rng(4))
    page = np.pad(page, ((100, 100), (0, 0), (0, 0)), constant_values=250)
    cell = (cell[0], cell[1] + 100, cell[2], cell[3] + 100)
    center, radius = (cell[0] + 250, cell[1] + 60), 95
    seal = red_seal(page, center, radius)
    assert not detect_signature(_one_bit(seal), cell, text_height=TH).signed
    draw_signature(seal, _inner(cell), BLACK, np.random.default_rng(5))  # over the ring
    got = detect_signature(_one_bit(seal), cell, text_height=TH)
    assert got.signed, got


def test_a_hand_inside_a_black_ring_that_runs_out_across_it_is_a_signature() -> None:
    """Seed 241 doc-0015, a 1-bit scan: the coordinating block's signature written over its
    label inside the seal, only its last stroke running out across the ring. What lies
    wholly inside a black ring is taken for the seal's (its text, its star); the ring
    blanked cuts the pen in two, and the piece outside alone is a flick, no signature. A
    piece inside that goes on across the ring into a piece outside is the pen's: the
    seal's own marks keep inside their ring."""
    page, cell = cell_page(np.random.default_rng(4))
    page = np.pad(page, ((100, 100), (0, 0), (0, 0)), constant_values=250)
    cell = (cell[0], cell[1] + 100, cell[2], cell[3] + 100)
    center, radius = (cell[0] + 250, cell[1] + 60), 95
    seal = red_seal(page, center, radius)
    cx, cy = center
    hand = np.array([[cx - 40, cy - 10], [cx - 25, cy - 35], [cx - 10, cy + 5], [cx + 5, cy - 30],
                     [cx + 20, cy + 8], [cx + 40, cy - 25], [cx + 60, cy - 5],
                     [cx + radius + 30, cy - 14]], np.int32)
    cv2.polylines(seal, [hand], False, BLACK, 3, cv2.LINE_AA)
    got = detect_signature(_one_bit(seal), cell, text_height=TH)
    assert (got.signed, got.bbox) == (True, (247, 163, 418, 224))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_name_written_fast_leans_and_is_a_signature(seed: int) -> None:
    """Seed 173 doc-0006: the signer's name written in neat 楷 characters, leaning as a
    fast hand does, in black ink on a grey scan. Its glyphs keep to a line nearly as
    print's do; their lean says it is written (Chinese print stands upright)."""
    from tasksheet.samplegen.fonts import HAND_FONT
    from tasksheet.samplegen.ink import name_signature

    rng = np.random.default_rng(seed)
    page, cell = cell_page(rng, w=260, h=2 * TH)
    x0, y0, x1, y1 = _inner(cell)
    name = name_signature(x1 - x0, y1 - y0, seed, (25, 25, 25), "杨磊娟", HAND_FONT)
    rgba = np.asarray(name, np.float32) / 255.0
    alpha = rgba[..., 3:4]
    region = page[y0:y1, x0:x1].astype(np.float32)
    page[y0:y1, x0:x1] = (region * (1 - alpha) + 25 * alpha).astype(np.uint8)
    got = detect_signature(page, cell, text_height=TH)
    assert got.signed and not got.printed, got
