"""A reader that fails costs its own fields, not the document (#15's robustness): the other
readers' values stand, its fields are reported unread with the reason, and no rule
convicts the sheet of a blank it never read."""

from __future__ import annotations

import pytest
from tasksheet.checks import check_document
from tasksheet.readers import extract_document, kind_fields
from tasksheet.schemas.result import Reading, SheetResult

from tasksheet import readers


def _result() -> SheetResult:
    return SheetResult(id="d", sources=["d.pdf"], sha256="0" * 64, template="task_sheet_2018")


def _boom(*args) -> None:
    raise KeyError("party")


def _cover(bands, template, result, engine) -> None:
    result.readings["cover.project_name"] = Reading(raw="防震减灾科普", value="防震减灾科普")


@pytest.fixture
def failing(monkeypatch: pytest.MonkeyPatch):
    patched = {**readers.READERS, "lines": _cover, "opinions": _boom, "members": _boom}
    monkeypatch.setattr(readers, "READERS", patched)


def test_a_failed_reader_leaves_the_others_readings(failing, template) -> None:
    result = _result()
    extract_document([], result, template, engine=None)
    assert result.status != "failed"
    assert result.readings["cover.project_name"].value == "防震减灾科普"
    assert result.reader_errors == {"opinions": "KeyError: 'party'", "members": "KeyError: 'party'"}
    unread = sorted(f for f, r in result.readings.items() if r.error)
    assert unread == sorted(kind_fields(template, "opinions"))


def test_unread_fields_are_looked_at_not_convicted(failing, template) -> None:
    result = _result()
    extract_document([], result, template, engine=None)
    check_document(result, template)
    by_field = {(f.code, f.field): f for f in result.findings}
    assert ("missing_signature", "opinions.undertaking.signed") not in by_field
    assert ("missing_seal", "opinions.undertaking.sealed") not in by_field
    assert ("blank_field", "opinions.undertaking.text") not in by_field
    low = by_field[("low_confidence", "opinions.undertaking.signed")]
    assert low.severity == "error"
    assert low.message.endswith("（未能读取：KeyError: 'party'）")
    members = [f for f in result.findings if f.code == "low_confidence" and f.section == "members"]
    assert [f.section for f in result.findings if f.code == "low_confidence" and f.field is None] \
        == ["members", "opinions"]
    assert len(members) == 1 and members[0].severity == "error"
    assert "（未能读取：KeyError: 'party'）" in members[0].message
    assert result.status == "incomplete"


def test_a_template_error_still_stops_everything(monkeypatch, template) -> None:
    from tasksheet.schemas.errors import TemplateError

    def broken(*args) -> None:
        raise TemplateError("bad template")

    monkeypatch.setattr(readers, "READERS", {**readers.READERS, "opinions": broken})
    with pytest.raises(TemplateError):
        extract_document([], _result(), template, engine=None)
