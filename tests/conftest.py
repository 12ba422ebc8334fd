"""Shared fixtures: the bundled template, the offline OCR engine, and where the test data is.

`samples/` (bundled generated documents with truth), `../shared/real/` (real scans with
their expected answers) and `../shared/examples/` (word-processor layouts with expected
records) are read, never written. `../shared` is found beside the checkout, or where the
environment variable TASKSHEET_SHARED points; tests that need it skip when it is absent.
"""

import os
import socket
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent  # on the test path: `conftest`, `helpers.*`
ROOT = TESTS.parent
SAMPLES = ROOT / "samples"
DATA = TESTS / "data"  # small fixtures cut from generated pages
# beside the checkout, or where TASKSHEET_SHARED says (a clone made elsewhere, as CI's)
SHARED = Path(os.environ.get("TASKSHEET_SHARED") or ROOT.parent / "shared")
REAL = SHARED / "real"
EXAMPLES = SHARED / "examples"
# worker processes a test starts (spawned: a fresh interpreter given this sys.path) import
# the test's own module by its package path, `tests.…`: the checkout must be on the path
# however pytest was run (`python -m pytest` puts the working directory there, `pytest` not)
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))


@pytest.fixture(scope="session")
def template():
    from tasksheet.schemas.template import load_template

    return load_template()


@pytest.fixture(scope="session")
def engine():
    from tasksheet.extract.ocr import get_engine

    return get_engine()


@pytest.fixture
def counting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder the fake batch processes note each call in (FAKE_COUNT_DIR)."""
    d = tmp_path / "calls"
    d.mkdir()
    monkeypatch.setenv("FAKE_COUNT_DIR", str(d))
    return d


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection attempt fails: what runs here must need no download."""

    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
