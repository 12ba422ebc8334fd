"""Scan defects offices' scans show and `scan.scan` did not draw (#15): print showing
through from the back, punch holes and a staple in the margin, a shadow along the page's
edge, fax / feeder streaks, a halftone moiré, a faded copy (low contrast), a copier's
reduction, a feeder's larger skew, and harsher JPEG (chosen with the scan's quality).

One `PaperParams` per document, drawn from the scan's own generator after its
`ScanParams`; `apply_paper` works on the clean rendered page (before the scanner's light,
blur and skew) for what is on the paper, and `apply_scanner` on the scanned image for what
the scanner adds. Nothing is drawn over the form's content but faint print from the back
and thin streaks: holes, staples and edge shadows stay in the margins (inside 12 mm of the
edge, where no layout prints), so the truth stays what is on the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class PaperParams:
    show_through: float  # darkness of the back's print seen through (0: none)
    holes: int  # punch holes in the left (binding) margin: 0 or 2
    staple: bool  # a staple and its shadow in the top-left corner
    edge_shadow: float  # darkness of a shadow along one edge (0: none)
    streaks: int  # vertical feeder / fax streaks
    moire: float  # amplitude of a halftone moiré, grey levels (0: none)
    contrast: float  # 1: as printed; < 1: a faded copy (ink lifted toward paper)
    scale: float  # a copier's reduction (1: none)
    skew: float = 0.0  # the scanner's largest skew when a feeder turns pages more (0: its own)


def random_paper(rng: np.random.Generator) -> PaperParams:
    """Each defect in a share of documents (a third to a tenth), several may come together."""
    return PaperParams(
        show_through=float(rng.uniform(0.04, 0.12)) if rng.random() < 0.3 else 0.0,
        holes=2 if rng.random() < 0.2 else 0,
        staple=bool(rng.random() < 0.2),
        edge_shadow=float(rng.uniform(0.25, 0.6)) if rng.random() < 0.25 else 0.0,
        streaks=int(rng.integers(1, 4)) if rng.random() < 0.2 else 0,
        moire=float(rng.uniform(4, 10)) if rng.random() < 0.15 else 0.0,
        contrast=float(rng.uniform(0.55, 0.8)) if rng.random() < 0.2 else 1.0,
        scale=float(rng.uniform(0.93, 0.98)) if rng.random() < 0.2 else 1.0,
        skew=float(rng.uniform(3.0, 5.0)) if rng.random() < 0.15 else 0.0,
    )


def none() -> PaperParams:
    """No paper defect (the scan as `scan.scan` made it)."""
    return PaperParams(0.0, 0, False, 0.0, 0, 0.0, 1.0, 1.0)


def apply_paper(page: np.ndarray, p: PaperParams, rng: np.random.Generator,
                back: np.ndarray | None = None) -> np.ndarray:
    """The clean page (RGB uint8) as the paper is: faded, the back's print through it
    (`back`: the next page, mirrored), reduced by a copier, punched and stapled."""
    img = page
    h, w = img.shape[:2]
    mm = w / 210.0
    if p.contrast < 1.0:  # a faded copy: every dark lifted toward the paper
        img = cv2.convertScaleAbs(img, alpha=p.contrast, beta=255 * (1 - p.contrast))
    if p.show_through > 0 and back is not None:
        ghost = cv2.GaussianBlur(cv2.flip(back, 1), (0, 0), max(1.0, mm * 0.35))
        ghost = cv2.resize(ghost, (w, h)) if ghost.shape[:2] != (h, w) else ghost
        dark = (255 - ghost.astype(np.float32)) * p.show_through
        img = np.clip(img.astype(np.float32) - dark, 0, 255).astype(np.uint8)
    if p.scale < 1.0:  # reduced on a copier: the page shrinks toward its top-left corner
        small = cv2.resize(img, (round(w * p.scale), round(h * p.scale)),
                           interpolation=cv2.INTER_AREA)
        out = np.full_like(img, 255)
        oy, ox = round(h * (1 - p.scale) * 0.3), round(w * (1 - p.scale) * 0.5)
        out[oy:oy + small.shape[0], ox:ox + small.shape[1]] = small
        img = out
    else:
        img = img.copy()
    if p.holes:
        x = round(rng.uniform(6.5, 8.5) * mm)
        r = round(rng.uniform(2.5, 3.0) * mm)
        for cy in (h / 2 - 40 * mm, h / 2 + 40 * mm):  # two holes 80 mm apart
            cv2.circle(img, (x, round(cy)), r, (40, 40, 44), -1, cv2.LINE_AA)
    if p.staple:
        x0, y0 = rng.uniform(5, 9) * mm, rng.uniform(5, 9) * mm
        a = np.deg2rad(rng.uniform(20, 60))
        ln = 9 * mm
        p0 = (round(x0), round(y0 + ln * np.sin(a)))
        p1 = (round(x0 + ln * np.cos(a)), round(y0))
        cv2.line(img, (p0[0] + 2, p0[1] + 3), (p1[0] + 2, p1[1] + 3), (150, 150, 150),
                 max(2, round(mm * 1.2)), cv2.LINE_AA)  # its shadow
        cv2.line(img, p0, p1, (70, 70, 76), max(1, round(mm * 0.6)), cv2.LINE_AA)
    return img


def apply_scanner(img: np.ndarray, p: PaperParams, rng: np.random.Generator) -> np.ndarray:
    """What the scanner adds to its image (RGB or grey): a shadow along one edge where the
    page lifted off the glass, vertical streaks of a dirty feeder, a halftone moiré."""
    h, w = img.shape[:2]
    mm = w / 210.0
    out = img.astype(np.float32)
    if p.edge_shadow > 0:
        band = rng.uniform(4, 10) * mm
        edge = int(rng.integers(4))
        ramp = np.clip(1 - np.arange(max(h, w), dtype=np.float32) / band, 0, 1) ** 1.5
        shade = 1 - p.edge_shadow * ramp
        if edge == 0:
            out *= shade[:w][None, :, None] if out.ndim == 3 else shade[:w][None, :]
        elif edge == 1:
            out *= shade[:w][::-1][None, :, None] if out.ndim == 3 else shade[:w][::-1][None, :]
        elif edge == 2:
            out *= shade[:h][:, None, None] if out.ndim == 3 else shade[:h][:, None]
        else:
            out *= shade[:h][::-1][:, None, None] if out.ndim == 3 else shade[:h][::-1][:, None]
    for _ in range(p.streaks):
        x = int(rng.integers(0, w))
        width = max(1, round(rng.uniform(0.1, 0.35) * mm))
        level = float(rng.uniform(-70, 40))  # dark or light streak
        out[:, x:x + width] += level
    if p.moire > 0:
        period = rng.uniform(1.1, 2.2) * mm
        a = rng.uniform(0, np.pi)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        wave = np.sin((xx * np.cos(a) + yy * np.sin(a)) * 2 * np.pi / period) * p.moire
        out += wave[..., None] if out.ndim == 3 else wave
    return np.clip(out, 0, 255).astype(np.uint8)
