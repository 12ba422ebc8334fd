"""How a sheet is captured besides a flatbed scan: a 1-bit archive scan and a phone photo.

A set mixes five captures (the truth's `capture`): `colour_scan` and `grey_scan` (the
flatbed scan of `scan.py`), `born_digital` (the word processor's PDF), and the two made
here:

- **bitonal**: an archive scanner's 1-bit page (CCITT Group 4 TIFF, 200 or 300 DPI). The
  scanner thresholds its grey image once: a red seal turns into a black ring over black
  print, pale ink drops out in places, nothing is grey any more;
- **photo**: a phone photo of the page lying on a desk: the page tilted in perspective
  (a camera over a plane, not a random quadrilateral), the desk around it, light falling
  off across the frame, a soft shadow over part of the page, a white balance that is not
  white, softer focus and sensor noise; JPEG.

`photograph` also returns the homography from the clean page to the photo, so a test can
say exactly where every box of the page must map.

>>> import numpy as np
>>> page = np.full((297, 210, 3), 255, np.uint8); page[100:120, 50:160] = 0
>>> rng = np.random.default_rng(0)
>>> photo, h = photograph(page, random_photo_params(rng), rng)
>>> photo.shape[2], photo.shape[0] > photo.shape[1], h.shape
(3, True, (3, 3))
>>> bits = bitonal(page, random_bitonal_params(rng, dpi=25), rng)
>>> bits.dtype, sorted(np.unique(bits).tolist())
(dtype('bool'), [False, True])
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from tasksheet.samplegen.paper import PaperParams, apply_scanner
from tasksheet.samplegen.scan import ScanParams, scan

# The captures a truth file names; `capture_of` derives the old sets' from format and grey.
CAPTURES = ("colour_scan", "grey_scan", "bitonal", "photo", "born_digital")
BITONAL_DPI = (200, 300)
PHOTO_DPI = (200, 240, 240, 300)  # the page is rendered at this, then photographed
# Desks: dark wood, mid-grey laminate, green cutting mat, brown cardboard, dark cloth (BGR
# order does not matter here: the photo is built in RGB).
DESKS = ((72, 48, 30), (110, 108, 104), (44, 84, 62), (128, 96, 64), (38, 38, 44))


def capture_of(truth: dict) -> str:
    """The truth's capture; sets generated before captures were mixed derive it."""
    if truth.get("capture"):
        return str(truth["capture"])
    if truth.get("format") == "digital_pdf":
        return "born_digital"
    return "grey_scan" if truth.get("grayscale") else "colour_scan"


# -- 1-bit archive scans -------------------------------------------------------------------


@dataclass(frozen=True)
class BitonalParams:
    dpi: int
    threshold: float  # × paper brightness: greyer than this turns black
    scan: ScanParams  # the grey scan the scanner thresholds


def random_bitonal_params(rng: np.random.Generator, dpi: int | None = None) -> BitonalParams:
    """An archive scanner's settings: its resolution and the fixed threshold it applies."""
    d = dpi if dpi is not None else int(rng.choice(BITONAL_DPI))
    grey = ScanParams(dpi=d, grayscale=True, quality=95, max_skew=float(rng.uniform(0.3, 2.0)),
                      blur=float(rng.uniform(0.3, 0.7)), noise=float(rng.uniform(1.0, 2.5)),
                      paper=float(rng.uniform(0.92, 0.99)), dark_border=0.0)
    return BitonalParams(dpi=d, threshold=float(rng.uniform(0.66, 0.78)), scan=grey)


def bitonal(page: np.ndarray, p: BitonalParams, rng: np.random.Generator,
            upside_down: bool = False, defects: PaperParams | None = None) -> np.ndarray:
    """The page as a 1-bit archive scan: a bool array, True = white paper.

    The scanner's grey image (skew, light, blur, noise of `scan.scan`) is cut at one fixed
    threshold, as archive scanners do: a seal's red (luma ≈ 85–170 where the ink took)
    goes black, its pale spots white; a scatter of isolated specks comes with the noise.
    `defects`: what the scanner adds before the cut (`paper.apply_scanner`: an edge's
    shadow turns into a black band, a feeder's streak into a black line).
    """
    grey = scan(page, p.scan, rng, upside_down=upside_down)
    if defects is not None:
        grey = apply_scanner(grey, defects, rng)
    paper = float(np.percentile(grey[:: 8, :: 8], 90))
    return grey >= p.threshold * paper


# -- phone photos --------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoParams:
    frame: float  # the photo's long side over the rendered page's long side
    fill: float  # share of the frame the page's bounding box spans at most
    pitch: float  # degrees the camera leans forward or back over the page
    yaw: float  # degrees it leans sideways
    roll: float  # degrees the page is turned in the frame
    focal: float  # focal length in frame long sides (a phone's main camera: ≈ 0.8–1.2)
    desk: tuple[int, int, int]
    light: float  # brightness lost across the frame (0: even light)
    shadow: float  # darkness of the shadow (0: none; 0.4: 40 % of the light blocked)
    softness: float  # the shadow edge's blur, in frame long sides
    blur: float  # Gaussian sigma in photo px (focus and shake)
    noise: float  # sensor noise sigma, grey levels
    balance: tuple[float, float, float]  # white balance gains, R G B
    quality: int  # JPEG


def random_photo_params(rng: np.random.Generator) -> PhotoParams:
    return PhotoParams(
        frame=float(rng.uniform(1.0, 1.15)),
        fill=float(rng.uniform(0.8, 0.95)),
        pitch=float(rng.choice([-1, 1]) * rng.uniform(4.0, 24.0)),
        yaw=float(rng.uniform(-12.0, 12.0)),
        roll=float(rng.uniform(-6.0, 6.0)),
        focal=float(rng.uniform(0.8, 1.2)),
        desk=tuple(int(c) for c in DESKS[int(rng.integers(len(DESKS)))]),
        light=float(rng.uniform(0.05, 0.3)),
        shadow=float(rng.uniform(0.2, 0.45)) if rng.random() < 0.75 else 0.0,
        softness=float(rng.uniform(0.01, 0.05)),
        blur=float(rng.uniform(0.4, 1.1)),
        noise=float(rng.uniform(1.5, 4.0)),
        balance=(float(rng.uniform(0.97, 1.05)), 1.0, float(rng.uniform(0.88, 1.0))),
        quality=int(rng.integers(80, 93)),
    )


def camera_homography(w: int, h: int, p: PhotoParams) -> tuple[np.ndarray, tuple[int, int]]:
    """The 3×3 map from page px (w × h) to photo px, and the photo's (width, height).

    The page is a plane seen by a pinhole camera tilted by pitch and yaw and turned by
    roll; the projected page is then scaled and centred so its box spans `fill` of the frame.
    """
    long_side = round(max(w, h) * p.frame)
    size = (round(long_side * w / h), long_side) if h >= w else (long_side, round(long_side * h / w))
    f = p.focal * long_side
    a, b, c = (math.radians(v) for v in (p.pitch, p.yaw, p.roll))
    rx = np.array([[1, 0, 0], [0, math.cos(a), -math.sin(a)], [0, math.sin(a), math.cos(a)]])
    ry = np.array([[math.cos(b), 0, math.sin(b)], [0, 1, 0], [-math.sin(b), 0, math.cos(b)]])
    rz = np.array([[math.cos(c), -math.sin(c), 0], [math.sin(c), math.cos(c), 0], [0, 0, 1]])
    rot = rz @ ry @ rx
    src = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)  # centres
    corners = src.astype(float) - ((w - 1) / 2, (h - 1) / 2)
    pts3 = np.hstack([corners, np.zeros((4, 1))]) @ rot.T + (0, 0, 1.6 * max(w, h))
    proj = f * pts3[:, :2] / pts3[:, 2:3]
    lo, hi = proj.min(axis=0), proj.max(axis=0)
    k = p.fill * min(size[0] / (hi[0] - lo[0]), size[1] / (hi[1] - lo[1]))
    dst = (proj - (lo + hi) / 2) * k + (size[0] / 2, size[1] / 2)
    return cv2.getPerspectiveTransform(src, dst.astype(np.float32)), size


def _desk(size: tuple[int, int], colour: tuple[int, int, int], rng: np.random.Generator
          ) -> np.ndarray:
    """The desk: its colour, a grain along one direction and slow blotches (drawn at half
    size: the photo's blur and JPEG hide the difference)."""
    full = size
    w, h = max(2, size[0] // 2), max(2, size[1] // 2)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = rng.uniform(0, math.pi)
    period = rng.uniform(0.004, 0.02) * max(w, h)
    along = xx * math.cos(a) + yy * math.sin(a)
    grain = np.sin(along / period + 2.0 * np.sin(along / (7.3 * period))) * rng.uniform(4, 12)
    blotch = cv2.resize(rng.normal(0, 8, (6, 6)).astype(np.float32), (w, h),
                        interpolation=cv2.INTER_CUBIC)
    tone = cv2.resize((grain + blotch).astype(np.float32), full, interpolation=cv2.INTER_LINEAR)
    base = np.array(colour, np.float32)[None, None, :]
    return np.clip(base + tone[..., None], 0, 255)


def _light_field(size: tuple[int, int], p: PhotoParams, rng: np.random.Generator) -> np.ndarray:
    """Light over the frame (1 = full): a fall-off from one side, a vignette, a soft shadow.
    Light varies slowly: it is drawn at an eighth of the size and enlarged."""
    full = size
    w, h = max(8, size[0] // 8), max(8, size[1] // 8)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u, v = xx / w - 0.5, yy / h - 0.5
    a = rng.uniform(0, 2 * math.pi)
    along = u * math.cos(a) + v * math.sin(a)  # -0.7 .. 0.7
    light = 1.0 - p.light * (along + 0.7) / 1.4
    light *= 1.0 - 0.12 * (u * u + v * v)
    if p.shadow > 0:
        # the photographer's shadow: a broad blob reaching in from one edge
        mask = np.zeros((h, w), np.uint8)
        side = int(rng.integers(4))
        cx = [rng.uniform(0.2, 0.8) * w, w, rng.uniform(0.2, 0.8) * w, 0][side]
        cy = [0, rng.uniform(0.2, 0.8) * h, h, rng.uniform(0.2, 0.8) * h][side]
        axes = (int(rng.uniform(0.2, 0.45) * w), int(rng.uniform(0.2, 0.45) * h))
        cv2.ellipse(mask, (int(cx), int(cy)), axes, float(rng.uniform(0, 180)), 0, 360, 255, -1)
        sigma = max(0.5, p.softness * max(w, h))
        soft = cv2.GaussianBlur(mask.astype(np.float32) / 255, (0, 0), sigma)
        light *= 1.0 - p.shadow * soft
    return cv2.resize(light.astype(np.float32), full, interpolation=cv2.INTER_LINEAR)


def photograph(page: np.ndarray, p: PhotoParams, rng: np.random.Generator,
               upside_down: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A phone photo of `page` (RGB or grey, clean): (RGB photo, 3×3 page → photo map).

    `upside_down` turns the page over before it is photographed (the map includes the turn).
    """
    if page.ndim == 2:
        page = cv2.cvtColor(page, cv2.COLOR_GRAY2RGB)
    h, w = page.shape[:2]
    turn = np.eye(3)
    if upside_down:
        page = cv2.rotate(page, cv2.ROTATE_180)
        turn = np.array([[-1.0, 0, w - 1], [0, -1.0, h - 1], [0, 0, 1]])  # pixel centres
    hom, size = camera_homography(w, h, p)
    paper = float(rng.uniform(0.9, 0.98))
    sheet = cv2.warpPerspective((page.astype(np.float32) * paper), hom, size,
                                flags=cv2.INTER_AREA if p.frame < 1 else cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
    cover = cv2.warpPerspective(np.ones((h, w), np.float32), hom, size, flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_CONSTANT, borderValue=0)[..., None]
    scene = sheet * cover + _desk(size, p.desk, rng) * (1 - cover)
    scene *= _light_field(size, p, rng)[..., None]
    scene *= np.array(p.balance, np.float32)[None, None, :]
    if p.blur > 0.2:
        scene = cv2.GaussianBlur(scene, (0, 0), p.blur)
    scene += rng.normal(0, p.noise, scene.shape[:2]).astype(np.float32)[..., None]
    photo = np.clip(scene, 0, 255).astype(np.uint8)
    return photo, hom @ turn
