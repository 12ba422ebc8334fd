"""The real scans of `../shared/real` (or `TASKSHEET_SHARED`): a test that needs one is
skipped where the shared data is absent, not failed."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from conftest import REAL


def real_scan(name: str) -> np.ndarray:
    """One real scan, BGR; the test is skipped when it is not there."""
    path = REAL / name
    if not path.exists():
        pytest.skip(f"real scan {path} is absent")
    return cv2.imread(str(path), cv2.IMREAD_COLOR)


def degraded(image: np.ndarray, how: str) -> np.ndarray:
    """`image` as an office would have scanned it (`how`: "grey", "soft:σ" in px,
    "jpeg:quality", "turn:degrees" about the centre on the paper's tone, "yellow": older,
    darker paper, whose tone multiplies every pixel's, ink's too, "scale:f")."""
    kind, _, arg = how.partition(":")
    if kind == "grey":
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if kind == "soft":
        return cv2.GaussianBlur(image, (0, 0), float(arg))
    if kind == "jpeg":
        ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(arg)])
        return cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)
    if kind == "turn":
        h, w = image.shape[:2]
        rim = np.concatenate([image[:4].reshape(-1, 3), image[-4:].reshape(-1, 3)])
        paper = tuple(int(v) for v in np.median(rim, axis=0))
        m = cv2.getRotationMatrix2D((w / 2, h / 2), float(arg), 1.0)
        return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=paper)
    if kind == "yellow":
        tone = np.array([0.74, 0.86, 0.92], np.float32)  # B G R of the paper
        return np.clip(image.astype(np.float32) * tone, 0, 255).astype(np.uint8)
    if kind == "scale":
        return cv2.resize(image, None, fx=float(arg), fy=float(arg), interpolation=cv2.INTER_AREA)
    raise ValueError(how)
