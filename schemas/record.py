"""The exported record: exactly the shape of RECORD.md, derived from the form template.

These models are the interchange contract (JSON export, JSON Schema, truth files of the
samples). They carry values only; the pipeline's in-memory `SheetResult`
(`schemas.result`) carries the raw reading, confidence, page and box of every value and
builds a record with `to_record()`.

`Record` is the model of the bundled template; `record_model(template)`
(`schemas.record_model`) gives any template's, so a field added to the template is exported
with no change here.

Conventions: a field holding the form's dash exports as "—"; an empty field as `null`;
`ticked` lists the ticked options' labels as printed; dates are ISO where the day is legible.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel
from tasksheet.schemas.record_model import (
    BBox,
    DocumentInfo,
    Finding,
    Model,
    RecordBase,
    Severity,
    Status,
    record_model,
)
from tasksheet.schemas.template import Template, load_template

__all__ = ["BBox", "DocumentInfo", "Finding", "Member", "Model", "Record", "RecordBase",
           "Severity", "Status", "record_json_schema", "record_model"]

Record = record_model(load_template())
Member: type[BaseModel] = get_args(Record.model_fields["members"].annotation)[0]


def record_json_schema(template: Template | None = None) -> dict[str, Any]:
    """JSON Schema of the exported record (`tasksheet schema`), of the bundled template by
    default."""
    return record_model(template or load_template()).model_json_schema()
