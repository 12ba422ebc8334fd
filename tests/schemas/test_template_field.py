"""The form is data: a field added to the template is read, checked, stored and exported
with no Python change.

The bundled template gets one more labelled row in section 一's undertaking group,
`传真` (`undertaking.fax`, a landline), by editing the parsed YAML. Everything below runs
the pipeline's own code on that modified template. The modified form is a new template (its
own id and version), as a changed form is: the record model is built once per id and version.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from helpers.example_result import example_result
from helpers.schema import schema_fields, template_fields
from pydantic import ValidationError
from sqlalchemy import text
from tasksheet.checks import check_document
from tasksheet.registry.db import Registry
from tasksheet.schemas.record import Record
from tasksheet.schemas.record_model import record_model
from tasksheet.schemas.result import Reading, SheetResult
from tasksheet.schemas.template import TEMPLATES_DIR, Template, load_template

FAX = "undertaking.fax"
FAX_ROW = [{"label": "传真", "id": FAX, "type": "landline"}]
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DPI = 200


def fax_data() -> dict[str, Any]:
    """The bundled template's YAML, parsed, with a 传真 row after the legal representative's
    two rows (before the project lead's)."""
    data = yaml.safe_load((TEMPLATES_DIR / "task_sheet_2018.yaml").read_text(encoding="utf-8"))
    data["id"] = "task_sheet_2018_fax"
    data["version"] = "2018.1-fax"
    table = next(t for t in data["tables"] if t["id"] == "parties")
    group = next(g for g in table["groups"] if g["party"] == "undertaking")
    group["rows"].insert(2, FAX_ROW)
    return data


@pytest.fixture(scope="module")
def fax_yaml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The modified template as a YAML file: a result names it by this path, as it names a
    bundled template by its id, so everything that looks a result's template up finds it."""
    path = tmp_path_factory.mktemp("templates") / "task_sheet_2018_fax.yaml"
    path.write_text(yaml.safe_dump(fax_data(), allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def fax_template(fax_yaml: Path) -> Template:
    return load_template(str(fax_yaml))


def test_modified_template_is_built_from_the_parsed_dict(fax_template: Template) -> None:
    built = Template.model_validate(fax_data())  # what load_template does with the YAML
    assert built == fax_template
    spec = fax_template.field(FAX)
    assert (spec.type, spec.page, spec.party, spec.display) == (
        "landline", "basic_info", "undertaking", "项目承接单位 传真")
    ids = [f.id for f in fax_template.fields()]
    assert ids[ids.index(FAX) - 1] == "undertaking.legal_representative.email"
    assert FAX not in {f.id for f in load_template().fields()}


# -- (a) exported ------------------------------------------------------------------------

def fax_result(fax_yaml: Path, fax: str) -> SheetResult:
    result = SheetResult(id="fax-doc", sources=["扫描/fax.pdf"], sha256="fa" * 32,
                         template=str(fax_yaml))
    result.readings = {
        "cover.project_name": Reading(raw="科普进社区", value="科普进社区", page=1),
        "undertaking.legal_representative.phone": Reading(raw="028-86651234",
                                                          value="028-86651234", page=3),
        FAX: Reading(raw=fax, value=fax, confidence=0.93, page=3, bbox=(400, 610, 700, 650)),
    }
    return result


def test_record_model_exports_the_new_field(fax_yaml: Path, fax_template: Template) -> None:
    result = fax_result(fax_yaml, "028-86655678")
    out = result.to_record().export()  # the template the result names
    assert out["undertaking"] == {
        "legal_representative": {"name": None, "mobile": None, "phone": "028-86651234",
                                 "email": None},
        "fax": "028-86655678",
        "project_lead": {"name": None, "mobile": None, "phone": None, "email": None},
        "self_funding": {"ticked": [], "amount_wan": None},
    }
    assert result.to_record(fax_template).export() == out
    model = record_model(fax_template)
    assert model is not Record
    assert model.model_validate(out).export() == out
    schema = model.model_json_schema()
    assert schema_fields(schema) == template_fields(fax_template)
    assert schema_fields(schema)[FAX] == "string"
    assert schema["$defs"]["Undertaking"]["properties"]["fax"] == {
        "anyOf": [{"type": "string"}, {"type": "null"}], "default": None, "title": "Fax"}
    assert list(schema["$defs"]["Undertaking"]["properties"]) == [
        "legal_representative", "fax", "project_lead", "self_funding"]
    # every other part of the schema is the bundled one's
    bundled = Record.model_json_schema()
    del schema["$defs"]["Undertaking"]["properties"]["fax"]
    assert schema == bundled


def test_bundled_record_still_rejects_the_field(fax_yaml: Path) -> None:
    result = fax_result(fax_yaml, "028-86655678")
    with pytest.raises(ValidationError, match="undertaking.fax"):
        result.to_record(load_template())


# -- (b) checked --------------------------------------------------------------------------

def test_rules_check_the_new_field(fax_template: Template) -> None:
    clean = example_result(fax_template)  # every field of the template filled and valid
    assert clean.readings[FAX].value == "028-86123456"
    assert check_document(clean, fax_template).findings == []

    bad = example_result(fax_template)
    bad.readings[FAX].value = bad.readings[FAX].raw = "86123456"
    findings = check_document(bad, fax_template).findings
    assert [f.model_dump() for f in findings] == [{
        "code": "invalid_phone", "severity": "error", "section": "undertaking", "field": FAX,
        "message": "项目承接单位 传真 电话号码格式不正确（读作“86123456”）",
        "page": bad.readings[FAX].page, "bbox": bad.readings[FAX].bbox}]

    blank = example_result(fax_template)
    blank.readings[FAX].value = blank.readings[FAX].raw = None
    findings = check_document(blank, fax_template).findings
    assert [(f.code, f.field, f.message) for f in findings] == [
        ("blank_field", FAX, "项目承接单位 传真 未填写（不填的栏目应填“—”）")]


# -- (c) stored and exported from the registry ---------------------------------------------

def test_registry_stores_and_exports_the_new_field(fax_yaml: Path, tmp_path: Path) -> None:
    from tasksheet.registry.export import export_records

    result = fax_result(fax_yaml, "028-86655678")
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    with Registry(url) as reg:
        reg.store(result)
        assert reg.is_done(result.sha256, "2018.1-fax")
        (back,) = reg.results()
        assert back == result
        (record,) = reg.records()
        assert record.export()["undertaking"]["fax"] == "028-86655678"
        with reg.engine.connect() as conn:
            rows = conn.execute(text("SELECT raw, value, confidence, page FROM readings "
                                     "WHERE document_id = :d AND field = :f"),
                                {"d": result.id, "f": FAX}).all()
        assert [(raw, json.loads(value), conf, page) for raw, value, conf, page in rows] == [
            ("028-86655678", "028-86655678", 0.93, 3)]
    out = tmp_path / "records.json"
    assert export_records(url, "json", out=out) == out
    (exported,) = json.loads(out.read_text(encoding="utf-8"))
    assert exported["undertaking"]["fax"] == "028-86655678"
    assert exported == result.to_record().export()


# -- (d) read from a page ------------------------------------------------------------------

def _first(attr: str, modules: list[str]) -> Any:
    """`attr` from the first of `modules` that has it (the extractor's modules move)."""
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, attr):
            return getattr(module, attr)
    pytest.skip(f"no {attr} in any of {modules}")


READERS = ["tasksheet.readers", "tasksheet.readers.tables", "tasksheet.extract.readers",
           "tasksheet.extract.fields"]
WORKS = ["tasksheet.readers", "tasksheet.readers.work", "tasksheet.extract.readers",
         "tasksheet.extract.fields"]
# the undertaking group as printed, with the 传真 row: (label, field, value) per cell pair
ROWS = [
    [("法定代表人", "undertaking.legal_representative.name", "张建国"),
     ("手机", "undertaking.legal_representative.mobile", "13912345678")],
    [("电话", "undertaking.legal_representative.phone", "028-86651234"),
     ("Email", "undertaking.legal_representative.email", "zjg@kepu.cn")],
    [("传真", FAX, "028-86655678")],
    [("项目负责人", "undertaking.project_lead.name", "李晓梅"),
     ("手机", "undertaking.project_lead.mobile", "13887654321")],
    [("电话", "undertaking.project_lead.phone", "028-85551234"),
     ("Email", "undertaking.project_lead.email", "lxm@kepu.cn")],
]
COL_W = [5.0, 6.0, 9.0, 4.5, 10.0]  # party, label, value, label, value; in text heights
TH = 10.5 / 72 * DPI  # text height, px
X0, Y0 = int(0.6 * DPI), int(0.8 * DPI)
XS = [X0 + round(TH * sum(COL_W[:i])) for i in range(len(COL_W) + 1)]  # column rulings
YS = [Y0 + round(2.2 * TH * i) for i in range(len(ROWS) + 1)]  # row rulings


def parties_page() -> np.ndarray:
    """Section 一's undertaking group as a bordered table: a merged party cell on the left,
    label cells, value cells; the 传真 row's value cell runs to the table's right edge."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (int(8.27 * DPI), int(5 * DPI)), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, round(TH))
    lw = 2
    d.rectangle((XS[0], YS[0], XS[1], YS[-1]), outline="black", width=lw)
    d.text((XS[0] + 0.5 * TH, (YS[0] + YS[-1]) / 2 - 0.5 * TH), "承接单位", fill="black",
           font=font)
    for r, row in enumerate(ROWS):
        top, bottom = YS[r], YS[r + 1]
        for k, (label, _, value) in enumerate(row):
            lx, vx = XS[1 + 2 * k], XS[2 + 2 * k]
            vx1 = XS[-1] if k == len(row) - 1 else XS[3 + 2 * k]
            d.rectangle((lx, top, vx, bottom), outline="black", width=lw)
            d.rectangle((vx, top, vx1, bottom), outline="black", width=lw)
            d.text((lx + 0.3 * TH, top + 0.6 * TH), label, fill="black", font=font)
            d.text((vx + 0.3 * TH, top + 0.6 * TH), value, fill="navy", font=font)
    return np.ascontiguousarray(np.array(img)[:, :, ::-1])


@pytest.mark.slow
def test_new_field_is_read_from_the_page(fax_yaml: Path, fax_template: Template) -> None:
    from tasksheet.extract.ocr import get_engine
    from tasksheet.ingest.document import Page

    read_table = _first("read_table", READERS)
    page_work = _first("PageWork", WORKS)
    image = parties_page()
    h, w = image.shape[:2]
    page = Page(index=3, source="gen.png", image=image, scan_size=(w, h),
                matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]), dpi=DPI, form_page="basic_info")
    work = page_work.of(page, get_engine())
    result = SheetResult(id="gen", sources=["gen.png"], sha256="0" * 64,
                         template=str(fax_yaml))
    table = next(t for t in fax_template.tables if t.id == "parties")
    read_table([work], table, fax_template, result)

    fax = result.readings[FAX]
    assert (fax.raw, fax.value, fax.page) == ("028-86655678", "028-86655678", 3)
    x0, y0, x1, y1 = fax.bbox
    assert XS[2] < x0 < x1 < XS[-1] and YS[2] < y0 < y1 < YS[3]  # inside the 传真 value cell
    # every row lands at its own fields: 电话 and 手机 repeat, the order tells them apart
    assert {fid: r.value for fid, r in result.readings.items()} == {
        fid: value for row in ROWS for _, fid, value in row}
    assert result.to_record().export()["undertaking"]["fax"] == "028-86655678"


def test_csv_documents_table_has_the_new_field(fax_yaml: Path) -> None:
    from tasksheet.registry.export import document_columns, flat_tables

    result = fax_result(fax_yaml, "028-86655678")
    header, rows = flat_tables([result])["documents"]
    bundled = document_columns()
    assert FAX not in bundled and header.count(FAX) == 1
    assert header.index(FAX) == header.index("undertaking.legal_representative.email") + 1
    assert sorted(header) == sorted([*bundled, FAX])
    assert rows[0][header.index(FAX)] == "028-86655678"
