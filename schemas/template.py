"""The form template: a strict pydantic model of `task_sheet_2018.yaml` and friends.

The template is the single place where the form's pages, labels, fields, checkbox groups,
signature and seal places and rules are declared. Code asks the template; it never names a
field the template lacks. Unknown keys are errors, so a typo in the YAML fails loudly.

>>> t = load_template()
>>> t.field("commissioning.funding_support").type
'checkbox_group'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator
from tasksheet.schemas.errors import TemplateError

TEMPLATES_DIR = Path(__file__).parent
DEFAULT_TEMPLATE = "task_sheet_2018"

FieldType = Literal[
    "text", "unit", "person_name", "mobile", "landline", "email", "amount_wan", "date",
    "month", "checkbox_group", "signature", "seal", "seal_text", "free_text",
]
PartyId = str  # a party declared in the template's `parties` (checked on load)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Party(Strict):
    id: PartyId
    label: str
    short: str
    unit_field: str
    # short names the form itself defines for the unit (填表说明 1: 以下简称成都市科协)
    aliases: list[str] = Field(default_factory=list)


class Unless(Strict):
    """A rule does not apply to `fields` where the group `when` has `ticked` ticked
    (`{party}` in `when` is the field's party): 经费性质 where 经费支持 is 无."""

    fields: list[str]
    when: str
    ticked: str


class Page(Strict):
    id: str
    title: str
    heading: str | None = None
    identify: list[str]


class LineField(Strict):
    """A labelled line outside any table: the value follows `label` on the same line."""

    id: str
    page: str
    label: str
    type: FieldType
    display: str
    until: str | None = None
    preprinted: str | None = None


class Option(Strict):
    label: str
    printed: str | None = None
    attach: Literal["amount_wan", "other_text"] | None = None

    @property
    def text(self) -> str:
        """The option as printed after its box."""
        return self.printed or self.label


class CellField(Strict):
    """A label cell of a table and the value cell right of it."""

    label: str
    id: str
    type: FieldType
    span: bool = False
    preprinted: str | None = None
    options: list[Option] = Field(default_factory=list)
    min_ticked: int = 1

    @model_validator(mode="after")
    def _options_only_for_groups(self) -> CellField:
        if (self.type == "checkbox_group") != bool(self.options):
            raise ValueError(f"{self.id}: options go with type checkbox_group, and only there")
        return self


class TableGroup(Strict):
    party: PartyId
    rows: list[list[CellField]]


class Table(Strict):
    id: str
    page: str
    groups: list[TableGroup]


class Block(Strict):
    id: str
    page: str
    heading: str
    type: FieldType
    display: str


class MemberColumn(Strict):
    header: str
    key: str
    type: FieldType = "text"


class MemberGroup(Strict):
    party: PartyId
    label: str
    rows: int


class MembersTable(Strict):
    page: str
    heading: str
    columns: list[MemberColumn]
    groups: list[MemberGroup]


class OpinionBlock(Strict):
    party: PartyId
    label: str
    signature_label: str
    seal_label: str
    date_label: str


class Opinions(Strict):
    page: str
    heading: str
    blocks: list[OpinionBlock]
    # the printed words that mark a block's signature line and seal place, whatever the
    # signer's title before them (负责人（签字）, 法定代表人（签字）)
    signature_cue: str
    seal_cue: str


RuleKind = Literal[
    "required_mark", "seal_names_unit", "not_blank", "checkbox_count", "attached_value",
    "shape", "date", "same_unit", "fixed_value", "foreign_name", "structural",
]


class Rule(Strict):
    code: str
    kind: RuleKind
    severity: Literal["error", "warning", "info"]
    fields: list[str]
    message: str
    shape: str | None = None
    attach: Literal["amount_wan", "other_text"] | None = None
    of_form_year: bool = False  # date: a present date must be a real one of the form's year
    max_ticked: int | None = None  # checkbox_count: flag more ticks than this (else too few)
    # Rules comparing a reading with an expected text (seal_names_unit, same_unit): a
    # difference a misread character could make is an error only from readings this sure;
    # from less sure ones it is a low_confidence warning for a person to look at.
    min_confidence: float | None = Field(default=None, ge=0, le=1)
    # seal_names_unit: a unit's name ends in a word for its kind (学会, 局, 委员会, 中心…);
    # a seal read as no such name is a misread rim, for a person to look at, not another unit
    name_endings: list[str] = Field(default_factory=list)
    unless: list[Unless] = Field(default_factory=list)


class FieldSpec(Strict):
    """One field of the record, flattened from wherever the template declares it."""

    id: str
    type: FieldType
    page: str
    display: str
    label: str
    party: PartyId | None = None
    preprinted: str | None = None
    options: list[Option] = Field(default_factory=list)
    min_ticked: int = 1


class Template(Strict):
    id: str
    version: str
    title: str
    dash: str
    parties: list[Party]
    pages: list[Page]
    lines: list[LineField]
    tables: list[Table]
    blocks: list[Block]
    members: MembersTable
    opinions: Opinions
    shapes: dict[str, str]
    low_confidence_below: float
    rules: list[Rule]
    year: int | None = None  # the form's year: its dates are of it (二O一八年)
    # characters printed alike in the form's own text (二O一八 with a letter O, a zero, 〇)
    lookalikes: dict[str, str] = Field(default_factory=dict)

    @property
    def headings(self) -> list[str]:
        """The sections' printed headings, in form order."""
        return [p.heading for p in self.pages if p.heading]

    @model_validator(mode="after")
    def _check_references(self) -> Template:
        parties = {p.id for p in self.parties}
        refs = [g.party for t in self.tables for g in t.groups]
        refs += [g.party for g in self.members.groups] + [b.party for b in self.opinions.blocks]
        for ref in refs:
            if ref not in parties:
                raise ValueError(f"unknown party {ref!r}")
        pages = {p.id for p in self.pages}
        used = [f.page for f in self.lines] + [t.page for t in self.tables] + [b.page for b in self.blocks]
        used += [self.members.page, self.opinions.page]
        for page in used:
            if page not in pages:
                raise ValueError(f"unknown page {page!r}")
        ids = [f.id for f in self.fields()]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate field ids: {sorted(dupes)}")
        known = set(ids)
        for rule in self.rules:
            if rule.shape and rule.shape not in self.shapes:
                raise ValueError(f"rule {rule.code}: unknown shape {rule.shape!r}")
            for pattern in rule.fields:
                if pattern != "all" and not self.match_fields(pattern):
                    raise ValueError(f"rule {rule.code}: no field matches {pattern!r}")
        for party in self.parties:
            if party.unit_field not in known:
                raise ValueError(f"party {party.id}: unknown unit field {party.unit_field!r}")
        return self

    # -- lookups -------------------------------------------------------------------------

    def party(self, party_id: str) -> Party:
        return next(p for p in self.parties if p.id == party_id)

    def page_index(self, page_id: str) -> int:
        return [p.id for p in self.pages].index(page_id)

    def fields(self) -> list[FieldSpec]:
        """Every field of one sheet, members excluded (they repeat per row), in form order."""
        out: list[FieldSpec] = []
        for f in self.lines:
            out.append(FieldSpec(id=f.id, type=f.type, page=f.page, display=f.display,
                                 label=f.label, preprinted=f.preprinted))
        for table in self.tables:
            for group in table.groups:
                party = self.party(group.party)
                for row in group.rows:
                    for cell in row:
                        out.append(FieldSpec(
                            id=cell.id, type=cell.type, page=table.page, label=cell.label,
                            display=f"{party.label} {cell.label}", party=group.party,
                            preprinted=cell.preprinted, options=cell.options,
                            min_ticked=cell.min_ticked))
        for b in self.blocks:
            out.append(FieldSpec(id=b.id, type=b.type, page=b.page, display=b.display, label=b.heading))
        for blk in self.opinions.blocks:
            party = self.party(blk.party)
            base = f"opinions.{blk.party}"
            page = self.opinions.page
            out += [
                FieldSpec(id=f"{base}.text", type="free_text", page=page, party=blk.party,
                          display=f"{party.label} 意见", label=blk.label),
                FieldSpec(id=f"{base}.signed", type="signature", page=page, party=blk.party,
                          display=f"{party.label} {blk.signature_label}", label=blk.signature_label),
                FieldSpec(id=f"{base}.sealed", type="seal", page=page, party=blk.party,
                          display=f"{party.label} {blk.seal_label}", label=blk.seal_label),
                FieldSpec(id=f"{base}.seal_text", type="seal_text", page=page, party=blk.party,
                          display=f"{party.label} 公章", label=blk.seal_label),
                FieldSpec(id=f"{base}.date", type="date", page=page, party=blk.party,
                          display=f"{party.label} 日期", label=blk.date_label),
            ]
        return out

    def member_fields(self) -> list[FieldSpec]:
        """The per-row member fields, as `members.<party>.<key>` patterns."""
        out = []
        for g in self.members.groups:
            party = self.party(g.party)
            for c in self.members.columns:
                out.append(FieldSpec(id=f"members.{g.party}.{c.key}", type=c.type,
                                     page=self.members.page, party=g.party, label=c.header,
                                     display=f"参与成员（{party.short}）{c.header}"))
        return out

    def field(self, field_id: str) -> FieldSpec:
        for f in self.fields() + self.member_fields():
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    def match_fields(self, pattern: str) -> list[FieldSpec]:
        """Fields whose id matches `pattern`, where `*` stands for one path segment."""
        parts = pattern.split(".")
        out = []
        for f in self.fields() + self.member_fields():
            fp = f.id.split(".")
            if len(fp) == len(parts) and all(p in ("*", q) for p, q in zip(parts, fp, strict=True)):
                out.append(f)
        return out

    def rules_for(self, code: str) -> list[Rule]:
        return [r for r in self.rules if r.code == code]


# templates loaded from a path outside `schemas/`, by id: a result names its template by
# id, and its record must be built from the same template later in the process
_FROM_PATHS: dict[str, Template] = {}


@cache

def load_template(name: str = DEFAULT_TEMPLATE) -> Template:
    """Load and validate a template by name (a YAML file in `schemas/`, else the id of a
    template loaded from a path earlier in this process) or by path."""
    path = Path(name)
    if not path.suffix:
        path = TEMPLATES_DIR / f"{name}.yaml"
        if not path.is_file() and name in _FROM_PATHS:
            return _FROM_PATHS[name]
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        template = Template.model_validate(data)
        if Path(name).suffix:
            _FROM_PATHS[template.id] = template
        return template
    except FileNotFoundError as exc:
        known = sorted(p.stem for p in TEMPLATES_DIR.glob("*.yaml"))
        raise TemplateError(f"no template {name!r}; known: {', '.join(known)}") from exc
    except (yaml.YAMLError, ValueError) as exc:
        raise TemplateError(f"template {path.name} is invalid: {exc}") from exc
