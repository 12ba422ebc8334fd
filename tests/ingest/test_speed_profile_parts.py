"""The profiler's parts (#20): where normalise's own time goes, timed inclusively beside the
stage rows, without changing the page it makes or the rows it adds up."""

from __future__ import annotations

import cv2
import numpy as np
from tasksheet.ingest import normalize, photo
from tasksheet.ingest.document import RawPage

from tasksheet.profile import PARTS, Profile, profiled


class _Blind:
    """An engine that reads nothing (the orientation check keeps the page as it is)."""

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        return [("", 0.0) for _ in crops]


def _scan(seed: int = 0) -> RawPage:
    """A grey-paper colour scan of text-like bars, a little skewed."""
    rng = np.random.default_rng(seed)
    page = np.clip(rng.normal(232, 6, (1300, 920, 3)), 0, 255).astype(np.uint8)
    for y in range(120, 1180, 40):
        x = 90
        while x < 800:
            w = int(rng.integers(14, 26))
            page[y:y + 22, x:x + w] = 25
            x += w + int(rng.integers(6, 14))
    m = cv2.getRotationMatrix2D((460, 650), 1.2, 1.0)
    page = cv2.warpAffine(page, m, (920, 1300), borderValue=(232, 232, 232))
    return RawPage(index=1, source="scan.png", image=page, dpi=150)


def test_parts_time_normalise_inclusively_and_change_nothing() -> None:
    originals = (normalize.page_geometry, normalize.quarter_and_skew, normalize.check_focus,
                 photo.page_geometry, normalize.flatten_light)
    plain = normalize.normalise(_scan(), engine=_Blind())
    prof = Profile()
    with profiled(engine=_Blind(), prof=prof):
        timed = normalize.normalise(_scan(), engine=_Blind())
    prof.pages = 1
    assert np.array_equal(timed.image, plain.image)
    assert (timed.skew, timed.rotation) == (plain.skew, plain.rotation)
    parts = prof.parts_per_page()
    for name in ("normalise: photo check (page and table outline)",
                 "normalise: quarter turn and skew", "normalise: focus check"):
        assert prof.parts_calls[name] >= 1 and parts[name] >= 0.0, name
    # coarse, then refined, on the glyphs and again on all ink (`normalize.text_skew`)
    assert prof.parts_calls["normalise: quarter turn and skew"] == 4
    assert "normalise: photo sharpening" not in parts  # a scan: no photo step ran
    # parts are beside the rows: the normalise row holds these three (they do not nest)
    inside = sum(prof.parts_cpu[name] for name in (
        "normalise: photo check (page and table outline)", "normalise: quarter turn and skew",
        "normalise: focus check"))
    assert 0 < inside <= prof.cpu["normalise"] + 0.01
    assert "part of a stage" in prof.table()
    assert set(prof.to_dict()["parts_cpu_seconds_per_page"]) <= {n for n, _ in PARTS}
    after = (normalize.page_geometry, normalize.quarter_and_skew, normalize.check_focus,
             photo.page_geometry, normalize.flatten_light)
    assert after == originals  # the wrappers are gone
