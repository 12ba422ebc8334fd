"""The recogniser's runtime writes nothing outside the run and sends nothing: onnxruntime
(1.29 and later) keeps a telemetry store under ~/.cache/Microsoft and an uploader unless
ORT_DISABLE_TELEMETRY is set before it starts; importing the package sets it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def test_a_users_own_setting_stands() -> None:
    """Telemetry asked for explicitly is the user's choice: the package only fills the
    setting in when it is absent. (Whether onnxruntime then writes its store depends on the
    machine, so the setting itself is what is checked.)"""
    code = "import os, tasksheet; print(os.environ['ORT_DISABLE_TELEMETRY'])"
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    unset = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                           capture_output=True, text=True, timeout=60)
    assert unset.stdout.strip() == "1"
    env["ORT_DISABLE_TELEMETRY"] = "0"
    own = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True, timeout=60)
    assert own.stdout.strip() == "0"
