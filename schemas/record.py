"""The exported record: exactly the shape of RECORD.md.

These models are the interchange contract (JSON export, JSON Schema, truth files of the
samples). They carry values only; the pipeline's in-memory `SheetResult`
(`schemas.result`) carries the raw reading, confidence, page and box of every value and
builds a `Record` with `to_record()`.

Conventions: a field holding the form's dash exports as "—"; an empty field as `null`;
`ticked` lists the ticked options' labels as printed; dates are ISO where the day is legible.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["complete", "incomplete", "failed"]
Severity = Literal["error", "warning", "info"]
BBox = tuple[int, int, int, int]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentInfo(Model):
    id: str
    sources: list[str]
    sha256: str
    pages: int
    status: Status
    template: str


class Cover(Model):
    project_name: str | None = None
    commissioning_unit: str | None = None
    undertaking_unit: str | None = None
    coordinating_unit: str | None = None
    month: str | None = None


class Contact(Model):
    name: str | None = None
    mobile: str | None = None
    phone: str | None = None
    email: str | None = None


class Ticks(Model):
    ticked: list[str] = Field(default_factory=list)


class TicksAmount(Ticks):
    amount_wan: str | None = None


class TicksOther(Ticks):
    other_text: str | None = None


class Undertaking(Model):
    legal_representative: Contact = Field(default_factory=Contact)
    project_lead: Contact = Field(default_factory=Contact)
    self_funding: TicksAmount = Field(default_factory=TicksAmount)


class PartyContacts(Model):
    """What the commissioning and the coordinating unit both give: who, and how to reach them."""

    department: str | None = None
    head: str | None = None
    contact: str | None = None
    phone: str | None = None
    mobile: str | None = None
    email: str | None = None


class Commissioning(PartyContacts):
    cooperation_mode: Ticks = Field(default_factory=Ticks)
    funding_support: TicksAmount = Field(default_factory=TicksAmount)
    funding_nature: TicksOther = Field(default_factory=TicksOther)
    funding_source: Ticks = Field(default_factory=Ticks)
    policy_support: Ticks = Field(default_factory=Ticks)


class Coordinating(PartyContacts):
    funding_support: TicksAmount = Field(default_factory=TicksAmount)
    funding_nature: TicksOther = Field(default_factory=TicksOther)
    funding_source: Ticks = Field(default_factory=Ticks)
    policy_support: str | None = None


class Member(Model):
    party: Literal["commissioning", "undertaking", "coordinating"]
    name: str | None = None
    unit: str | None = None
    title: str | None = None
    role: str | None = None
    signed: bool = False


class Opinion(Model):
    text: str | None = None
    signed: bool = False
    sealed: bool = False
    seal_text: str | None = None
    date: str | None = None


class Opinions(Model):
    commissioning: Opinion = Field(default_factory=Opinion)
    undertaking: Opinion = Field(default_factory=Opinion)
    coordinating: Opinion = Field(default_factory=Opinion)


class Finding(Model):
    code: str
    severity: Severity
    section: str
    field: str | None
    message: str
    page: int | None = None
    bbox: BBox | None = None


class Record(Model):
    """One processed task sheet, as exported (RECORD.md)."""

    document: DocumentInfo
    cover: Cover = Field(default_factory=Cover)
    undertaking: Undertaking = Field(default_factory=Undertaking)
    commissioning: Commissioning = Field(default_factory=Commissioning)
    coordinating: Coordinating = Field(default_factory=Coordinating)
    content: str | None = None
    members: list[Member] = Field(default_factory=list)
    opinions: Opinions = Field(default_factory=Opinions)
    findings: list[Finding] = Field(default_factory=list)

    def export(self) -> dict:
        """The JSON-ready dict of RECORD.md (every key present, `null` where empty)."""
        return self.model_dump(mode="json")


def record_json_schema() -> dict:
    """JSON Schema of the exported record (`tasksheet schema`)."""
    return Record.model_json_schema()
