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
