"""The recogniser's runtime writes nothing outside the run and sends nothing: onnxruntime
(1.29 and later) keeps a telemetry store under ~/.cache/Microsoft and an uploader unless
ORT_DISABLE_TELEMETRY is set before it starts; importing the package sets it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import onnxruntime
import pytest

MAKE_SESSION = (
    "import tasksheet.extract.ocr as ocr, onnxruntime as ort;"
    "ort.InferenceSession(str(ocr.bundled_rec_model()), providers=['CPUExecutionProvider'])"
)


def _run(home: Path, **extra: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), **extra)
    subprocess.run([sys.executable, "-c", MAKE_SESSION], env=env, check=True, timeout=120)


def test_a_recogniser_session_leaves_no_telemetry_store(tmp_path: Path) -> None:
    _run(tmp_path)
    assert not (tmp_path / ".cache" / "Microsoft").exists()


@pytest.mark.skipif(tuple(int(p) for p in onnxruntime.__version__.split(".")[:2]) < (1, 29),
                    reason="onnxruntime before 1.29 has no telemetry on Linux")
def test_a_users_own_setting_stands(tmp_path: Path) -> None:
    """Telemetry asked for explicitly is the user's choice: the store appears, which also
    shows the first test would see it if the package did not turn it off."""
    _run(tmp_path, ORT_DISABLE_TELEMETRY="0")
    assert (tmp_path / ".cache" / "Microsoft").exists()
