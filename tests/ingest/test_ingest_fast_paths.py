"""The cheaper ways ingest computes things give exactly what the plain arithmetic gave.

Each fast path (a table look-up for the photo's light flattening, strips for its
sharpening, one channel for a 1-bit page, no warp for a born-digital page, no second copy
in decoding) is compared here, pixel for pixel, with the straightforward computation it
replaced: a change that alters a single value fails.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image
from tasksheet.extract.scale import ink_gray
from tasksheet.ingest import normalize
from tasksheet.ingest.document import DocumentSource, IngestedDocument, Page, RawPage
from tasksheet.ingest.load import load_pages
from tasksheet.ingest.normalize import (
    _border_body,
    _one_channel,
    _paper_colour,
    _valid_nearest,
    border_mask,
    glyphs_only,
    normalise,
)
from tasksheet.ingest.photo import (
    DEFAULT_PAPER,
    DEFAULT_STRIP_ROWS,
    _crisp_strip,
    _tone_curve,
    crisp,
    flatten_light,
    paper_light,
)
from tasksheet.schemas.errors import DocumentError

from tasksheet.pipeline import _is_identity, save_scanned_pages


def _photo_like(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    """Smooth paper with falling-off light, dark strokes and red marks: every value occurs."""
    rng = np.random.default_rng(seed)
    h, w = shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    light = 150 + 90 * (1 - ((xx - w / 3) ** 2 + (yy - h / 4) ** 2) / (w * w + h * h))
    img = np.repeat(light[:, :, None], 3, axis=2) if len(shape) == 3 else light
    img = img + rng.normal(0, 6, img.shape)
    for _ in range(40):
        x, y = int(rng.integers(0, w - 40)), int(rng.integers(0, h - 8))
        img[y:y + 3, x:x + 40] = rng.integers(0, 60)
    if len(shape) == 3:
        img[h // 2:h // 2 + 20, w // 2:w // 2 + 20] = (40, 40, 220)  # a red seal's ink
    return np.clip(img, 0, 255).astype(np.uint8)


def _flatten_reference(image: np.ndarray, paper: float = DEFAULT_PAPER) -> np.ndarray:
    """The light flattening as plain float32 arithmetic on the whole page."""
    bg = paper_light(image)
    return np.clip(image.astype(np.float32) * (paper / bg), 0, 255).astype(np.uint8)


def _crisp_reference(image: np.ndarray, gamma: float = 1.3, sharpen: float = 0.3,
                     sigma: float = 1.2, paper: float = DEFAULT_PAPER) -> np.ndarray:
    """Unsharp mask and tone curve as plain float32 arithmetic on the whole page."""
    img = image.astype(np.float32)
    img = cv2.addWeighted(img, 1 + sharpen, cv2.GaussianBlur(img, (0, 0), sigma), -sharpen, 0)
    img = paper * np.power(np.clip(img, 0, None) / paper, gamma)
    return np.clip(img, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("shape", [(601, 433, 3), (601, 433), (2 * DEFAULT_STRIP_ROWS + 7, 90, 3)])
def test_flatten_light_is_the_division_exactly(shape: tuple[int, ...]) -> None:
    image = _photo_like(shape)
    assert np.array_equal(flatten_light(image), _flatten_reference(image))


def test_flatten_light_black_paper_divides_by_one() -> None:
    """Paper brightness 0 counts as 1 (the float path's floor), never a division by 0."""
    image = np.zeros((40, 30, 3), np.uint8)
    image[5:9, 5:20] = 3
    assert np.array_equal(flatten_light(image), _flatten_reference(image))
    assert flatten_light(image).max() == 255  # 3 × 245 / 1, clipped


@pytest.mark.parametrize("shape", [(3 * DEFAULT_STRIP_ROWS + 11, 120, 3), (300, 200)])
@pytest.mark.parametrize("sigma", [1.2, 2.5, 6.0])
def test_crisp_in_strips_is_crisp_of_the_whole_page(shape: tuple[int, ...], sigma: float) -> None:
    image = _photo_like(shape, seed=3)
    want = _crisp_reference(image, sigma=sigma)
    assert np.array_equal(crisp(image, sigma=sigma), want)
    assert np.array_equal(_crisp_strip(image, 1.3, 0.3, sigma, DEFAULT_PAPER), want)


def test_crisp_without_sharpening_or_curve() -> None:
    image = _photo_like((200, 150, 3), seed=4)
    assert np.array_equal(crisp(image, gamma=1.0, sharpen=0.0), image)


def test_one_channel_only_when_all_three_agree() -> None:
    grey = (np.arange(60 * 40).reshape(60, 40) % 2 * 255).astype(np.uint8)
    page = np.repeat(grey[:, :, None], 3, axis=2)
    assert np.array_equal(_one_channel(page), grey)
    red = page.copy()
    red[10:20, 10:20] = (0, 0, 255)  # pure colours are 0/255 too: not one channel
    assert _one_channel(red) is None
    assert _one_channel(grey) is None


def test_paper_colour_of_a_grey_copy_is_its_colour_three_times() -> None:
    colour = _photo_like((120, 90, 3), seed=5)
    grey3 = np.repeat(colour[:, :, 1:2], 3, axis=2)
    border = np.zeros(grey3.shape[:2], np.uint8)
    border[:, :10] = 255
    g = grey3[:, :, 0]
    assert np.array_equal(_paper_colour(g, g, border), _paper_colour(grey3, g, border))


def _bitonal_page() -> np.ndarray:
    """A 1-bit page as loaded: text-like bars, a frame, slightly skewed, 0/255 in 3 channels."""
    page = np.full((1100, 780), 255, np.uint8)
    for row in range(12):
        y = 120 + 70 * row
        for col in range(9):
            x = 80 + 70 * col
            page[y:y + 26, x:x + 50] = 0
            page[y + 8:y + 18, x + 10:x + 40] = 255
    cv2.rectangle(page, (50, 90), (730, 1000), 0, 2)
    m = cv2.getRotationMatrix2D((390, 550), 1.5, 1.0)
    page = cv2.warpAffine(page, m, (780, 1100), flags=cv2.INTER_NEAREST, borderValue=255)
    return np.repeat(page[:, :, None], 3, axis=2)


class _NoText:
    """An engine reading nothing: the orientation check keeps the page as it is."""

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        return [("", 0.0) for _ in crops]


def test_bitonal_page_is_bgr_with_its_grey_kept() -> None:
    raw = RawPage(index=1, source="a.tif", image=_bitonal_page(), dpi=100.0)
    page = normalise(raw, _NoText())
    assert page.capture == "bitonal"
    assert page.image.ndim == 3 and page.image.shape[2] == 3
    b, g, r = cv2.split(page.image)
    assert np.array_equal(b, g) and np.array_equal(g, r)
    grey = page.grey()
    assert np.array_equal(grey, ink_gray(page.image))
    assert grey is page.grey()  # kept, not made again


def test_set_grey_refuses_another_size() -> None:
    page = Page(index=1, source="a", image=np.zeros((10, 20, 3), np.uint8), scan_size=(20, 10),
                matrix=np.eye(2, 3), dpi=200.0)
    with pytest.raises(ValueError):
        page.set_grey(np.zeros((5, 5), np.uint8))


def test_born_digital_page_is_saved_without_a_warp(tmp_path) -> None:
    image = _photo_like((90, 70, 3), seed=6)
    page = Page(index=2, source="d.pdf", image=image, scan_size=(70, 90),
                matrix=np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), dpi=200.0,
                born_digital=True)
    assert _is_identity(page)
    assert np.array_equal(page.scan_image(cv2.INTER_AREA), image)  # what the warp gave
    doc = IngestedDocument(source=None, pages=[page], scanned_order=[2], missing=[],  # type: ignore[arg-type]
                           out_of_order=False, foreign_pages=[])
    save_scanned_pages(doc, tmp_path)
    want = cv2.imdecode(cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])[1],
                        cv2.IMREAD_COLOR)
    assert np.array_equal(cv2.imread(str(tmp_path / "p2.jpg")), want)
    shifted = Page(index=3, source="s.pdf", image=image, scan_size=(70, 90),
                   matrix=np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]), dpi=200.0)
    assert not _is_identity(shifted)


@pytest.mark.parametrize("fmt,mode", [("PNG", "RGB"), ("PNG", "RGBA"), ("JPEG", "RGB"),
                                      ("PNG", "L"), ("TIFF", "1")])
def test_decoded_page_is_pils_pixels_in_bgr(tmp_path, fmt: str, mode: str) -> None:
    rgb = _photo_like((64, 48, 3), seed=7)[:, :, ::-1]
    im = Image.fromarray(np.ascontiguousarray(rgb), "RGB")
    im = im.convert(mode) if mode != "RGBA" else im.convert("RGBA")
    path = tmp_path / f"p.{fmt.lower()}"
    im.save(path, fmt)
    src = DocumentSource(id="x", sha256="", root=tmp_path, paths=[path], sources=[path.name])
    (page,) = list(load_pages(src))
    with Image.open(path) as again:
        if mode == "RGBA":
            again = Image.alpha_composite(Image.new("RGBA", again.size, (255,) * 4),
                                          again.convert("RGBA"))
        want = np.asarray(again.convert("RGB"))[:, :, ::-1]
    assert page.image.flags["C_CONTIGUOUS"]
    assert np.array_equal(page.image, want)
    assert page.grey == (mode in ("L", "1"))  # one grey plane made BGR: known, not compared


def test_one_channel_known_grey_is_not_compared() -> None:
    page = np.repeat(_photo_like((60, 50, 3), seed=8)[:, :, 1:2], 3, axis=2)
    assert np.array_equal(_one_channel(page, known=True), page[:, :, 0])
    colour = _photo_like((60, 50, 3), seed=8)
    assert _one_channel(colour) is None  # told by its sample


def _scan_like(seed: int = 9) -> np.ndarray:
    """A grey, slightly skewed page of text-like bars with a dark scanner border."""
    page = cv2.cvtColor(_bitonal_page(), cv2.COLOR_BGR2GRAY)
    page = cv2.GaussianBlur(page, (0, 0), 0.7)
    page = np.where(page > 128, 235, page).astype(np.uint8)
    page[:, :30] = 20  # the scanner's lid beside the sheet
    return page


def test_grey_page_worked_on_one_plane_gives_the_same_page() -> None:
    grey = _scan_like()
    raw = RawPage(index=1, source="g.png", image=np.repeat(grey[:, :, None], 3, axis=2), dpi=100.0)
    slow = normalise(RawPage(index=1, source="g.png", image=raw.image.copy(), dpi=100.0),
                     _NoText())
    # what the old path did: three channels through every step, compared only for 1-bit
    fast = normalise(RawPage(index=1, source="g.png", image=raw.image, dpi=100.0, grey=True),
                     _NoText())
    assert np.array_equal(fast.image, slow.image)
    assert np.array_equal(fast.matrix, slow.matrix) and fast.skew == slow.skew
    assert fast.grey_planes() is not None and np.array_equal(fast.grey_planes(), fast.image[:, :, 0])


@pytest.mark.parametrize("shape,small", [((1003, 701), (455, 318)), ((480, 333), (480, 333)),
                                         ((2339, 1654), (1600, 1131))])
def test_valid_mask_at_the_small_size_is_the_resized_page_mask(shape, small) -> None:
    h, w = shape
    rng = np.random.default_rng(3)
    painted = (rng.random(shape) < 0.3).astype(np.uint8) * 255
    m = int(0.04 * min(h, w))
    for paint in (None, painted):
        full = np.zeros(shape, np.uint8)
        full[m:h - m, m:w - m] = 1
        if paint is not None:
            full[paint > 0] = 0
        want = cv2.resize(full, (small[1], small[0]), interpolation=cv2.INTER_NEAREST) \
            if small != shape else full
        assert np.array_equal(_valid_nearest(shape, small, m, paint), want)


def _blurred_page(sigma: float) -> np.ndarray:
    page = np.full((2400, 1700), 240, np.uint8)
    for row in range(40):
        for col in range(20):
            y, x = 150 + 52 * row, 120 + 72 * col
            page[y:y + 30, x:x + 8] = 30
            page[y + 11:y + 19, x:x + 40] = 30
    return cv2.GaussianBlur(page, (0, 0), sigma) if sigma else page


def test_focus_preview_passes_a_sharp_page_without_the_full_measure(monkeypatch) -> None:
    page = _blurred_page(0.8)
    raw = RawPage(index=1, source="s.jpg", image=page, dpi=200.0)
    preview = cv2.resize(page, (988, 1400), interpolation=cv2.INTER_AREA)
    sizes: list[tuple[int, ...]] = []
    measure = normalize._focus_sigma
    monkeypatch.setattr(normalize, "_focus_sigma",
                        lambda im, painted=None: sizes.append(im.shape) or measure(im, painted))
    normalize.check_focus(page, raw, None, preview=(preview, np.zeros_like(preview)))
    assert sizes == [preview.shape]  # the analysis copy only: no 1600 px copy made
    sizes.clear()
    normalize.check_focus(page, raw, None)
    assert sizes == [page.shape]


def test_focus_preview_does_not_let_a_blurred_page_through() -> None:
    page = _blurred_page(6.0)
    raw = RawPage(index=1, source="b.jpg", image=page, dpi=200.0)
    preview = cv2.resize(page, (988, 1400), interpolation=cv2.INTER_AREA)
    with pytest.raises(DocumentError, match="too blurred"):
        normalize.check_focus(page, raw, None)
    with pytest.raises(DocumentError, match="too blurred"):
        normalize.check_focus(page, raw, None, preview=(preview, np.zeros_like(preview)))


def test_grey_page_is_saved_as_its_plane_to_the_same_pixels(tmp_path) -> None:
    raw = RawPage(index=4, source="a.tif", image=_bitonal_page(), dpi=100.0, grey=True)
    page = normalise(raw, _NoText())
    assert page.grey_planes() is not None
    doc = IngestedDocument(source=None, pages=[page], scanned_order=[4], missing=[],  # type: ignore[arg-type]
                           out_of_order=False, foreign_pages=[])
    save_scanned_pages(doc, tmp_path)
    want = cv2.imdecode(cv2.imencode(".jpg", page.scan_image(cv2.INTER_AREA),
                                     [cv2.IMWRITE_JPEG_QUALITY, 80])[1], cv2.IMREAD_COLOR)
    got = cv2.imread(str(tmp_path / "p4.jpg"), cv2.IMREAD_UNCHANGED)
    assert got.ndim == 2  # one plane written
    assert np.array_equal(cv2.cvtColor(got, cv2.COLOR_GRAY2BGR), want)
    page.image = page.image.copy()  # another image: its planes are no longer known
    assert page.grey_planes() is None


def _border_reference(grey: np.ndarray) -> np.ndarray:
    """`border_mask` as a loop over the dark blobs, one full-page comparison each."""
    h, w = grey.shape
    thr, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    dark = (grey < min(thr, 128)).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    mask = np.zeros_like(dark)
    for i in range(1, n):
        x, y, bw, bh, _area = stats[i]
        if (x == 0 or y == 0 or x + bw == w or y + bh == h) and (bw >= 0.15 * w or bh >= 0.15 * h):
            mask[labels == i] = 255
    mask = _border_body(mask) if mask.any() else mask  # the blobs cut to the border's body
    return cv2.dilate(mask, np.ones((5, 5), np.uint8)) if mask.any() else mask


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_border_mask_and_glyphs_are_the_per_blob_loops(seed: int) -> None:
    grey = _scan_like()
    rng = np.random.default_rng(seed)
    for _ in range(3):  # dark bands on the frame (border) and inside (not), of random sizes
        side, size = int(rng.integers(0, 4)), int(rng.integers(5, 400))
        [grey[:size], grey[-size:], grey[:, :size], grey[:, -size:]][side][...] = 15
    grey[500:520, 300:700] = 10
    assert np.array_equal(border_mask(grey), _border_reference(grey))
    ink = (grey < 128).astype(np.uint8) * 255
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    big = np.maximum(stats[:, 2], stats[:, 3]) > 1.6 * 20
    big[0] = True
    assert np.array_equal(glyphs_only(ink, 20), np.where(big[labels], 0, 255).astype(np.uint8))


def test_tone_curve_truncates_as_numpy_power_next_to_every_level() -> None:
    """Values placed a few float32 steps either side of each whole level (where a last bit
    decides the truncation) and spread over the whole domain come out as numpy's power."""
    gamma, paper = 1.3, DEFAULT_PAPER
    level = np.arange(0, 300, dtype=np.float64)
    x = ((level / paper) ** (1 / gamma)).astype(np.float32)
    steps = np.arange(-40, 41, dtype=np.int32)
    near = (x.view(np.int32)[:, None] + steps[None, :]).ravel().view(np.float32)
    spread = np.random.default_rng(5).random(200_000).astype(np.float32) * np.float32(1.36)
    values = np.concatenate([near[near >= 0], spread, np.float32([0.0, 1.0])])[None, :]
    want = np.clip(np.power(values, np.float32(gamma)) * np.float32(paper), 0, 255)
    got = np.clip(_tone_curve(values.copy(), gamma, paper), 0, 255)
    assert np.array_equal(got.astype(np.uint8), want.astype(np.uint8))
