"""The in-memory result of one document, flowing through ingest → extract → check → export.

Every stage adds to one `SheetResult`. Each value keeps its `raw` text next to its
normalised `value`, with `confidence`, `page` (1-based, in scanned order) and `bbox`
(x0, y0, x1, y1 in that scanned page's pixels). `to_record()` gives the exported record
of RECORD.md, in the model derived from the result's template (`Record` for the bundled one).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from tasksheet.schemas.errors import TemplateError
from tasksheet.schemas.record import BBox, DocumentInfo, Finding, Status
from tasksheet.schemas.record_model import RecordBase, bool_fields, record_model
from tasksheet.schemas.template import Template, load_template


class OptionMark(BaseModel):
    """One checkbox of a group: where it is and whether it is ticked."""

    label: str
    ticked: bool
    score: float = 1.0
    bbox: BBox | None = None


class Reading(BaseModel):
    """One value as read: raw text, normalised value, confidence and provenance."""

    model_config = ConfigDict(extra="forbid")

    raw: str | None = None
    value: str | bool | list[str] | None = None
    confidence: float = 1.0
    page: int | None = None
    bbox: BBox | None = None
    options: list[OptionMark] = Field(default_factory=list)
    # every character written was read (some perhaps misread): a value shorter than the
    # expected one is then short on paper, not in the reading
    whole: bool = False
    # why the value was not read at all (its reader failed): a person must look, and no
    # rule may convict the sheet on it
    error: str | None = None


class MemberRow(BaseModel):
    """A filled row of section 三, in sheet order."""

    party: str
    index: int
    cells: dict[str, Reading] = Field(default_factory=dict)


class PageInfo(BaseModel):
    """One scanned page: where it came from, which form page it is, how it was turned."""

    index: int  # 1-based, in scanned order
    source: str
    form_page: str | None = None
    born_digital: bool = False
    rotation: int = 0  # degrees turned clockwise to make it upright
    skew: float = 0.0  # degrees of residual rotation removed
    width: int = 0
    height: int = 0
    dpi: float = 0.0


class SheetResult(BaseModel):
    """Everything known about one document; the pipeline's central object."""

    id: str
    sources: list[str]
    sha256: str
    template: str
    status: Status = "complete"
    pages: list[PageInfo] = Field(default_factory=list)
    readings: dict[str, Reading] = Field(default_factory=dict)
    members: list[MemberRow] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    # where extraction found each section of the form: section id -> page indices (scanned);
    # None until extraction ran (a section absent from it is missing)
    sections: dict[str, list[int]] | None = None
    reordered: bool = False  # ingest put pages scanned out of order back in the form's order
    # readers that failed on this document (template kind -> reason): their fields are
    # unread, the rest of the sheet stands
    reader_errors: dict[str, str] = Field(default_factory=dict)
    error: str | None = None
    timings: dict[str, float] = Field(default_factory=dict)

    def value(self, field_id: str) -> Any:
        r = self.readings.get(field_id)
        return None if r is None else r.value

    def fail(self, reason: str) -> None:
        """Mark the document unreadable, with a one-line reason. Its finding
        (`unreadable_document`, worded by the template) is made by the checks, as every
        finding is: `checks.check_document`."""
        self.status = "failed"
        self.error = reason

    def to_record(self, template: Template | None = None) -> RecordBase:
        """The exported record: readings placed at their dotted paths of RECORD.md, validated
        by the record model of `template` (by default the one the result names)."""
        template = template or template_of(self.template)
        marks = bool_fields(template)  # signatures and seals: true or false, unread is false
        tree: dict[str, Any] = {}
        for field_id, reading in self.readings.items():
            if reading.value is None and field_id in marks:
                continue
            _set_path(tree, field_id, reading.value)
        tree["members"] = [
            {"party": row.party, **{k: bool(r.value) if f"members.{k}" in marks else r.value
                                    for k, r in row.cells.items()}}
            for row in self.members
        ]
        tree["findings"] = list(self.findings)
        tree["document"] = DocumentInfo(id=self.id, sources=self.sources, sha256=self.sha256,
                                        pages=len(self.pages), status=self.status,
                                        template=self.template)
        return record_model(template).model_validate(tree)


def template_of(name: str) -> Template:
    """The template a result names, or the default one when it names none we know (as the
    checks do)."""
    try:
        return load_template(name)
    except TemplateError:
        return load_template()


def _set_path(tree: dict[str, Any], path: str, value: Any) -> None:
    """Set `a.b.c` in a nested dict; a checkbox group's value goes under `ticked`."""
    keys = path.split(".")
    node = tree
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    last = keys[-1]
    if isinstance(value, list):
        node.setdefault(last, {})["ticked"] = value
    else:
        node[last] = value
