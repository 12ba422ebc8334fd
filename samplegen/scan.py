"""Scanner and copier degradations applied to a clean rendered page.

One `ScanParams` per document (the same scanner, settings and paper) with small per-page
variation: skew and slight perspective, uneven light, blur, sensor noise, dark borders
where the lid did not cover, optional grayscale; JPEG artefacts come at encoding.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class ScanParams:
    dpi: int
    grayscale: bool
    quality: int
    max_skew: float
    blur: float
    noise: float
    paper: float  # paper brightness 0..1
    dark_border: float  # probability per page


def random_params(rng: np.random.Generator, dpi: int | tuple[int, ...] | None = None, grayscale: bool | None = None,
                  quality: int | None = None, grayscale_p: float = 0.3) -> ScanParams:
    return ScanParams(
        dpi=dpi if isinstance(dpi, int) else int(rng.choice(dpi or (150, 200, 200, 240, 300))),
        grayscale=bool(rng.random() < grayscale_p) if grayscale is None else grayscale,
        quality=quality or int(rng.integers(70, 90)),
        max_skew=float(rng.uniform(0.4, 3.0)),
        blur=float(rng.uniform(0.0, 0.8)),
        noise=float(rng.uniform(1.0, 3.0)),
        paper=float(rng.uniform(0.9, 0.98)),
        dark_border=float(rng.uniform(0.0, 0.5)),
    )


def scan(page: np.ndarray, p: ScanParams, rng: np.random.Generator, upside_down: bool = False) -> np.ndarray:
    """Degrade one RGB page; returns RGB or, for grayscale scans, a 2-D array.

    Works in uint8/int16 with OpenCV so a 300 DPI page takes a fraction of a second.
    """
    h, w = page.shape[:2]
    img = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY) if p.grayscale else page
    # uneven light and paper grain in one multiplicative field (grain shows on paper, not
    # ink), built at half resolution and upscaled once: the costly part of a scan is memory
    hs, ws = (h + 1) // 2, (w + 1) // 2
    field = cv2.resize(rng.uniform(0.9, 1.0, (3, 3)).astype(np.float32), (ws, hs),
                       interpolation=cv2.INTER_CUBIC)
    grain = rng.standard_normal((hs, ws), dtype=np.float32)
    light = cv2.scaleAdd(grain, p.noise / 255, field * p.paper)
    light = cv2.convertScaleAbs(cv2.resize(light, (w, h), interpolation=cv2.INTER_LINEAR), alpha=255)
    if not p.grayscale:  # slightly warm paper
        light = cv2.multiply(cv2.merge((light, light, light)), (1.0, 0.985, 0.955, 1.0))
    img = cv2.multiply(img, light, scale=1 / 255)
    if p.blur > 0.25:
        img = cv2.GaussianBlur(img, (0, 0), p.blur)
    # skew + slight perspective
    angle = float(rng.uniform(-p.max_skew, p.max_skew))
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jit = rng.uniform(-0.006, 0.006, (4, 2)).astype(np.float32) * np.float32([w, h])
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    dst = (np.hstack([src, np.ones((4, 1), np.float32)]) @ m.T).astype(np.float32) + jit
    persp = cv2.getPerspectiveTransform(src, dst)
    dark = rng.random() < p.dark_border
    border = (30, 30, 32) if dark else (235, 235, 230)
    img = cv2.warpPerspective(img, persp, (w, h), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=border)
    if dark:  # scanner-lid shadow along one or two edges
        for _ in range(int(rng.integers(1, 3))):
            edge = int(rng.integers(0, 4))
            band = int(rng.uniform(0.005, 0.025) * min(w, h))
            sl = [np.s_[:band, :], np.s_[-band:, :], np.s_[:, :band], np.s_[:, -band:]][edge]
            img[sl] = img[sl] // 6 + 18
    out = img
    if upside_down:
        out = cv2.rotate(out, cv2.ROTATE_180)
    return out
