"""A clean, fully filled `SheetResult` built from the template, for tests and report demos.

Every field of the template gets a valid value with a page and a box, so `check_document`
finds nothing; a test then breaks one thing and expects exactly its finding. Built from the
template rather than written out, so a field added to the YAML is filled here too.

>>> from tasksheet.checks import check_document
>>> check_document(example_result()).findings
[]
"""

from __future__ import annotations

from tasksheet.schemas.record import BBox
from tasksheet.schemas.result import MemberRow, OptionMark, PageInfo, Reading, SheetResult
from tasksheet.schemas.template import FieldSpec, Template, load_template

EXAMPLE_UNITS = {"commissioning": "成都市民政局", "undertaking": "成都市科普作家协会",
                 "coordinating": "成都市科学技术协会"}
EXAMPLE_VALUES = {
    "text": "社会组织处", "person_name": "张三", "mobile": "13800138000",
    "landline": "028-86123456", "email": "kepu@example.cn", "month": "5",
    "free_text": "同意。", "date": "2018-06-12", "amount_wan": "5",
}
ATTACH_VALUES = {"amount_wan": "5", "other_text": "社会捐赠"}
PAGE_SIZE = (1240, 1754)  # A4 at 150 dpi


def example_result(template: Template | None = None, doc_id: str = "doc-clean") -> SheetResult:
    """A clean result: every field filled and valid, every page present, one member per party."""
    template = template or load_template()
    pages = [PageInfo(index=i + 1, source="example.pdf", form_page=p.id,
                      width=PAGE_SIZE[0], height=PAGE_SIZE[1], dpi=150)
             for i, p in enumerate(template.pages)]
    page_of = {p.id: i + 1 for i, p in enumerate(template.pages)}
    result = SheetResult(id=doc_id, sources=["example.pdf"], sha256="0" * 64,
                         template=template.id, pages=pages)
    slot: dict[int, int] = {}

    def box(page: int, width: int = 400) -> BBox:
        n = slot[page] = slot.get(page, -1) + 1
        y = 120 + 44 * (n % 36)
        return (200, y, 200 + width, y + 36)

    for spec in template.fields():
        page = page_of[spec.page]
        bbox = box(page)
        if spec.type == "checkbox_group":
            option = spec.options[0]
            marks = [OptionMark(label=o.label, ticked=o is option, score=0.95,
                                bbox=(bbox[0] + 120 * k, bbox[1] + 8, bbox[0] + 120 * k + 20,
                                      bbox[1] + 28))
                     for k, o in enumerate(spec.options)]
            result.readings[spec.id] = Reading(raw=option.text, value=[option.label],
                                               confidence=0.95, page=page, bbox=bbox,
                                               options=marks)
            if option.attach:
                value = ATTACH_VALUES[option.attach]
                result.readings[f"{spec.id}.{option.attach}"] = Reading(
                    raw=value, value=value, confidence=0.9, page=page,
                    bbox=(bbox[0] + 60, bbox[1], bbox[0] + 140, bbox[3]))
            continue
        value = _value(template, spec)
        # seal rims read cleanly come back at 0.99 and more; other print at 0.9
        confidence = 0.99 if spec.type == "seal_text" else 0.9
        result.readings[spec.id] = Reading(raw=None if isinstance(value, bool) else value,
                                           value=value, confidence=confidence, page=page,
                                           bbox=bbox)
    members_page = page_of[template.members.page]
    for index, group in enumerate(template.members.groups):
        bbox = box(members_page, 900)
        cells = {c.key: Reading(raw=None if c.type == "signature" else str(v), value=v,
                                confidence=0.9, page=members_page,
                                bbox=(bbox[0] + 180 * k, bbox[1], bbox[0] + 180 * (k + 1), bbox[3]))
                 for k, c in enumerate(template.members.columns)
                 for v in [_member_value(c.key, group.party)]}
        result.members.append(MemberRow(party=group.party, index=index, cells=cells))
    return result


def _value(template: Template, spec: FieldSpec) -> str | bool:
    if spec.preprinted:
        return spec.preprinted
    if spec.type in ("signature", "seal"):
        return True
    if spec.type in ("unit", "seal_text"):
        party = spec.party or next(p.id for p in template.parties if p.unit_field == spec.id)
        return EXAMPLE_UNITS[party]
    if spec.id == "cover.project_name":
        return "全民科学素质提升试点项目"
    return EXAMPLE_VALUES.get(spec.type, "—")


def _member_value(key: str, party: str) -> str | bool:
    return {"name": "李四", "unit": EXAMPLE_UNITS[party], "title": "主任", "role": "统筹",
            "signed": True}[key]
