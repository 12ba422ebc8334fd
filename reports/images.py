"""Page thumbnails and evidence crops for the HTML report, cut from `out/pages/<doc>/p<N>.jpg`.

The page images are the frame of every bbox (ARCHITECTURE.md); when the pipeline stored
them at another size than `PageInfo.width`, boxes are scaled. OpenCV decodes (a thumbnail
is decoded at 1/2, 1/4 or 1/8 straight from the JPEG, which is what makes a large batch
quick), and it keeps the report clear of PIL's process-wide pixel limit that ingest sets.
Output files are named by what they show (page, box), so a re-run skips those already
newer than their page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from tasksheet.schemas.record import BBox

DEFAULT_THUMB_WIDTH = 600  # px: legible when opened, small on disk
DEFAULT_CROP_MAX = 720  # px: longest side of an evidence crop
DEFAULT_CROP_MARGIN = 0.6  # of the box's size, around it, so the crop shows its neighbours
DEFAULT_CROP_MIN_MARGIN = 40  # px in the page frame
JPEG_QUALITY = 82
RED = (40, 30, 220)  # BGR
_REDUCED = {1: cv2.IMREAD_COLOR, 2: cv2.IMREAD_REDUCED_COLOR_2, 4: cv2.IMREAD_REDUCED_COLOR_4,
            8: cv2.IMREAD_REDUCED_COLOR_8}


@dataclass
class PageImages:
    """What was written for one page: its thumbnail and bbox frame, and crops by box."""

    thumb: Path
    frame: tuple[int, int]  # the bbox frame: (width, height)
    crops: dict[BBox, Path] = field(default_factory=dict)


def crop_box(bbox: BBox, frame: tuple[int, int]) -> BBox:
    """The box grown by a margin and clamped to the frame."""
    x0, y0, x1, y1 = bbox
    mx = max(DEFAULT_CROP_MIN_MARGIN, int((x1 - x0) * DEFAULT_CROP_MARGIN))
    my = max(DEFAULT_CROP_MIN_MARGIN, int((y1 - y0) * DEFAULT_CROP_MARGIN))
    w, h = frame
    return (max(0, x0 - mx), max(0, y0 - my), min(w, x1 + mx), min(h, y1 + my))


def _fresh(dst: Path, src: Path) -> bool:
    return dst.exists() and dst.stat().st_mtime >= src.stat().st_mtime


def _write(img: np.ndarray, dst: Path) -> None:
    cv2.imwrite(str(dst), img, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])


def _fit(img: np.ndarray, longest: int, by_width: bool = False) -> np.ndarray:
    h, w = img.shape[:2]
    side = w if by_width else max(w, h)
    if side <= longest:
        return img
    f = longest / side
    return cv2.resize(img, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)


def page_images(src: Path, dst_dir: Path, page: int, frame: tuple[int, int],
                boxes: list[BBox]) -> PageImages | None:
    """Write page `page`'s thumbnail and one crop per box (outlined red); None if unreadable.

    `frame` is the page's size as `PageInfo` gives it ((0, 0): the image's own size).
    """
    out = PageImages(thumb=dst_dir / f"p{page}.jpg", frame=frame)
    todo = {}
    for box in dict.fromkeys(boxes):
        dst = dst_dir / f"e{page}_{box[0]}_{box[1]}_{box[2]}_{box[3]}.jpg"
        out.crops[box] = dst
        if not _fresh(dst, src):
            todo[box] = dst
    if not todo and all(frame) and _fresh(out.thumb, src):
        return out
    reduce = 1
    if not todo and frame[0]:
        while reduce < 8 and frame[0] // (reduce * 2) >= DEFAULT_THUMB_WIDTH:
            reduce *= 2
    img = cv2.imread(str(src), _REDUCED[reduce])
    if img is None:
        return None
    h, w = img.shape[:2]
    if not all(frame):
        out.frame = frame = (w * reduce, h * reduce)
    scale = w / frame[0]  # image pixels per frame pixel
    dst_dir.mkdir(parents=True, exist_ok=True)
    for box, dst in todo.items():
        _write(_crop(img, box, frame, scale), dst)
    if not _fresh(out.thumb, src):
        _write(_fit(img, DEFAULT_THUMB_WIDTH, by_width=True), out.thumb)
    return out


def _crop(img: np.ndarray, box: BBox, frame: tuple[int, int], scale: float) -> np.ndarray:
    cx0, cy0, cx1, cy1 = crop_box(box, frame)
    x0, y0 = round(cx0 * scale), round(cy0 * scale)
    x1, y1 = max(x0 + 1, round(cx1 * scale)), max(y0 + 1, round(cy1 * scale))
    crop = np.ascontiguousarray(img[y0:y1, x0:x1])
    inner = ((round(box[0] * scale) - x0, round(box[1] * scale) - y0),
             (round(box[2] * scale) - x0, round(box[3] * scale) - y0))
    cv2.rectangle(crop, inner[0], inner[1], RED, max(2, round(3 * scale)))
    return _fit(crop, DEFAULT_CROP_MAX)
