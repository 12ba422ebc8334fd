"""The ingest data model: a scanned document, its raw pages and its normalised pages.

Everything downstream works on `Page.image` (upright, deskewed, borders cropped) and maps
its boxes back to the page *as scanned* with `Page.to_scan`, because records and reports
cite the scan the operator can open.

>>> import numpy as np
>>> p = Page(index=1, source="a.jpg", image=np.zeros((10, 20, 3), np.uint8), scan_size=(40, 30),
...          matrix=np.array([[1.0, 0, 5], [0, 1.0, 5]]), dpi=200.0)
>>> p.to_scan((0, 0, 10, 10))
(5, 5, 15, 15)

A photographed page maps back through a homography (here: the page's right side was
seen at half the height of its left side):

>>> h = np.array([[1.0, 0, 0], [0, 1.0, 0], [0.05, 0, 1.0]])
>>> q = Page(index=1, source="a.jpg", image=np.zeros((10, 20, 3), np.uint8), scan_size=(40, 30),
...          matrix=h, dpi=200.0)
>>> q.to_scan((0, 0, 20, 10))
(0, 0, 10, 10)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from tasksheet.extract.scale import ink_gray
from tasksheet.schemas.result import PageInfo

BBox = tuple[int, int, int, int]


@dataclass
class Word:
    """One word of a born-digital page's text layer, in normalised-page pixels."""

    text: str
    bbox: BBox


@dataclass
class RawPage:
    """A page as read from its file, before any turning or cropping."""

    index: int  # 1-based, scanned order within the document
    source: str  # file path relative to the scan folder
    image: np.ndarray  # BGR uint8
    dpi: float
    born_digital: bool = False
    words: list[Word] | None = None
    # the three channels were made from one grey plane (a grey or 1-bit file): the
    # normaliser works on one of them without comparing them first
    grey: bool = False

    @property
    def size(self) -> tuple[int, int]:
        return int(self.image.shape[1]), int(self.image.shape[0])


@dataclass
class OcrLine:
    """A text line read during ingest (orientation check, classification), kept for reuse."""

    bbox: BBox
    text: str
    score: float


@dataclass
class Page:
    """A normalised page and the transform back to the page as scanned."""

    index: int
    source: str
    image: np.ndarray
    scan_size: tuple[int, int]  # (w, h) as scanned / rasterised
    # normalised px -> scanned px: a 2x3 affine map (a scan turned, straightened and
    # cropped), or a 3x3 homography (a photo whose perspective was undone)
    matrix: np.ndarray
    dpi: float
    born_digital: bool = False
    words: list[Word] | None = None
    rotation: int = 0  # 0/90/180/270 clockwise applied to make it upright
    skew: float = 0.0  # degrees removed after the quarter turn
    form_page: str | None = None
    classify_score: float = 0.0
    claimed: bool = False  # known only as the continuation of a section, by a few labels
    text_height: float = 0.0  # measured character height in normalised px (0: unknown)
    ocr_lines: list[OcrLine] = field(default_factory=list, repr=False)
    # text line boxes found on `image` (no OCR), reading order; None until someone looks
    text_boxes: list[BBox] | None = field(default=None, repr=False)
    # the image while its three channels are known to be its grey (`set_grey(..., planes=True)`)
    _planes: np.ndarray | None = field(default=None, repr=False, compare=False)
    # how the page was captured, as ingest saw it: "scan" (colour or grey), "bitonal" (a
    # 1-bit archive scan: no colour, seals are black rings), "photo" (perspective undone),
    # "born_digital"
    capture: str = "scan"
    # (image, its `extract.page_text.PageMeasure`): made by the first stage that read the
    # page's outline (the orientation check, else classification), taken over (and
    # dropped from here) by the readers
    measured: tuple | None = field(default=None, repr=False, compare=False)
    # (image, its grey): `grey()` made once per image, dropped when the image is replaced
    _grey: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False, compare=False)

    def grey(self) -> np.ndarray:
        """The image's brightest channel (black print dark; red seals and blue ink pale),
        made once: orientation, classification and the readers' measurements all start
        from it, and each made its own full-page copy before."""
        if self._grey is None or self._grey[0] is not self.image:
            self._grey = (self.image, ink_gray(self.image))
        return self._grey[1]

    def set_grey(self, grey: np.ndarray, planes: bool = False) -> None:
        """Give the image's brightest channel when it is known already (a 1-bit page is
        made grey and turned BGR: its grey is what it was made from), so that `grey()`
        does not compute it again; it stays only while `image` is this image. `planes`:
        each of the image's three channels is this grey (see `grey_planes`)."""
        if grey.shape != self.image.shape[:2]:
            raise ValueError(f"grey {grey.shape} is not the image's size {self.image.shape[:2]}")
        self._grey = (self.image, grey)
        self._planes = self.image if planes else None

    def grey_planes(self) -> np.ndarray | None:
        """The grey that each of the image's three channels is (a grey or 1-bit page made
        BGR from it), or None when that is not known: such a page can be warped or encoded
        as one plane, for a third of the work, to the same pixels."""
        if self._planes is None or self._planes is not self.image:
            return None
        return self.grey()

    def to_scan(self, bbox: BBox) -> BBox:
        """Map a box of the normalised page to the scanned page: its corners' hull, clipped.

        A homography maps straight lines to straight lines, so a box's image under either
        kind of `matrix` is the quadrilateral of its mapped corners, and their hull is exact.
        """
        x0, y0, x1, y1 = bbox
        pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=float)
        out = pts @ np.asarray(self.matrix, dtype=float).T
        if out.shape[1] == 3:  # a homography: back from homogeneous coordinates
            out = out[:, :2] / out[:, 2:3]
        w, h = self.scan_size
        sx0 = min(max(math.floor(out[:, 0].min() + 1e-6), 0), w)
        sy0 = min(max(math.floor(out[:, 1].min() + 1e-6), 0), h)
        sx1 = min(max(math.ceil(out[:, 0].max() - 1e-6), 0), w)
        sy1 = min(max(math.ceil(out[:, 1].max() - 1e-6), 0), h)
        return int(sx0), int(sy0), int(sx1), int(sy1)

    def scan_image(self, flags: int = cv2.INTER_LINEAR,
                   background: tuple[int, int, int] = (255, 255, 255),
                   image: np.ndarray | None = None) -> np.ndarray:
        """The normalised image put back in the frame of the page as scanned (`scan_size`):
        the picture every box of `to_scan` is in. `image`: another picture in the frame of
        `self.image` (its grey plane) to put back instead."""
        w, h = self.scan_size
        src = self.image if image is None else image
        m = np.asarray(self.matrix, dtype=np.float64)
        if m.shape == (3, 3):
            return cv2.warpPerspective(src, m, (w, h), flags=flags, borderValue=background)
        return cv2.warpAffine(src, m, (w, h), flags=flags, borderValue=background)

    def text(self) -> str:
        """The printed text known for this page: its text layer or the lines read so far."""
        if self.words is not None:
            return " ".join(w.text for w in self.words)
        return " ".join(line.text for line in self.ocr_lines)

    def info(self) -> PageInfo:
        w, h = self.scan_size
        return PageInfo(index=self.index, source=self.source, form_page=self.form_page,
                        born_digital=self.born_digital, rotation=self.rotation,
                        skew=round(float(self.skew), 3), width=w, height=h, dpi=float(self.dpi))


@dataclass
class DocumentSource:
    """The files of one document, in page order, with its content-derived identity."""

    id: str
    sha256: str
    root: Path
    paths: list[Path]
    sources: list[str]


@dataclass
class IngestedDocument:
    """A document's normalised pages in form order, with what is missing or misplaced."""

    source: DocumentSource
    pages: list[Page]  # form order; foreign pages last, in scanned order
    scanned_order: list[int]  # page indices (1-based) in the order of `pages`
    missing: list[str]
    out_of_order: bool
    foreign_pages: list[int]

    def page(self, form_page: str) -> list[Page]:
        """Every page carrying `form_page` (a section may continue over several)."""
        return [p for p in self.pages if p.form_page == form_page]
