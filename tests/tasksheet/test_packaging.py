"""The built wheel installs one top-level name, `tasksheet`, with the template inside."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_wheel_has_one_import_root(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps",
                    "--no-build-isolation", "-q", "-w", str(tmp_path)],
                   check=True, capture_output=True)
    (wheel,) = tmp_path.glob("tasksheet-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    roots = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert roots == {"tasksheet"}
    assert "tasksheet/schemas/task_sheet_2018.yaml" in names
    assert "tasksheet/readers/members.py" in names
    assert not any("example_result" in n or n.startswith("tests/") for n in names)  # fixtures stay
