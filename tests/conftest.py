"""Shared fixtures: the bundled template, the offline OCR engine, and where the test data is.

`samples/` (bundled generated documents with truth), `../shared/real/` (real scans with
their expected answers) and `../shared/examples/` (word-processor layouts with expected
records) are read, never written. `../shared` is found beside the checkout, or where the
environment variable TASKSHEET_SHARED points; tests that need it skip when it is absent.
"""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
# beside the checkout, or where TASKSHEET_SHARED says (a clone made elsewhere, as CI's)
SHARED = Path(os.environ.get("TASKSHEET_SHARED") or ROOT.parent / "shared")
REAL = SHARED / "real"
EXAMPLES = SHARED / "examples"


@pytest.fixture(scope="session")
def template():
    from tasksheet.schemas.template import load_template

    return load_template()


@pytest.fixture(scope="session")
def engine():
    from tasksheet.extract.ocr import get_engine

    return get_engine()
