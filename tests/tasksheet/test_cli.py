"""Every subcommand answers --help; `schema` prints the record's JSON Schema."""

import json
import subprocess
import sys

import pytest

from tasksheet.cli import build_parser, main

COMMANDS = ["schema", "samples", "run", "report", "export", "bench", "debug", "review"]


def test_every_command_has_help():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert sorted(sub.choices) == sorted(COMMANDS)
    for name in COMMANDS:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0


def test_schema_prints_the_record_schema(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Record"
    assert set(schema["properties"]) == {"document", "cover", "undertaking", "commissioning",
                                         "coordinating", "content", "members", "opinions",
                                         "findings"}


def test_console_script_runs():
    out = subprocess.run([sys.executable, "-m", "tasksheet.cli", "--help"], capture_output=True,
                         text=True, check=True)
    assert "tasksheet" in out.stdout
