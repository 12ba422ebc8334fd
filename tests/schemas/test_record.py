"""The exported record has exactly RECORD.md's shape."""

import json
import pickle
from typing import get_args

from helpers.schema import schema_fields, template_fields
from tasksheet.checks import check_document
from tasksheet.schemas.record import Member, Record, record_json_schema
from tasksheet.schemas.record_model import record_model
from tasksheet.schemas.result import MemberRow, Reading, SheetResult
from tasksheet.schemas.template import load_template

# RECORD.md's example, key for key (values as in the example where it gives them).
RECORD_MD_KEYS = {
    "document": ["id", "sources", "sha256", "pages", "status", "template"],
    "cover": ["project_name", "commissioning_unit", "undertaking_unit", "coordinating_unit", "month"],
    "undertaking": ["legal_representative", "project_lead", "self_funding"],
    "commissioning": ["department", "head", "contact", "phone", "mobile", "email",
                      "cooperation_mode", "funding_support", "funding_nature",
                      "funding_source", "policy_support"],
    "coordinating": ["department", "head", "contact", "phone", "mobile", "email",
                     "funding_support", "funding_nature", "funding_source", "policy_support"],
}


def hand_built() -> SheetResult:
    r = SheetResult(id="0123456789abcdef", sources=["scans/a.pdf"], sha256="ab" * 32,
                    template="task_sheet_2018", status="incomplete")
    vals = {
        "cover.project_name": "科技成果评价", "cover.coordinating_unit": "成都市科学技术协会",
        "cover.month": "5",
        "undertaking.legal_representative.name": "张三",
        "undertaking.legal_representative.mobile": "13800138000",
        "undertaking.self_funding": ["有"], "undertaking.self_funding.amount_wan": "5",
        "commissioning.cooperation_mode": ["授权委托"],
        "commissioning.funding_support": ["有"], "commissioning.funding_support.amount_wan": "20",
        "commissioning.funding_nature": ["其他"], "commissioning.funding_nature.other_text": "专项",
        "commissioning.funding_source": ["项目经费"], "commissioning.policy_support": ["无"],
        "coordinating.department": "学会部", "coordinating.funding_support": ["无"],
        "coordinating.funding_nature": ["财政拨款"], "coordinating.funding_source": ["公用经费"],
        "coordinating.policy_support": "—",
        "opinions.commissioning.signed": True, "opinions.commissioning.sealed": True,
        "opinions.commissioning.date": "2018-06-12",
        "opinions.undertaking.signed": True, "opinions.undertaking.sealed": False,
    }
    for k, v in vals.items():
        r.readings[k] = Reading(raw=str(v), value=v, confidence=0.9, page=3, bbox=(1, 2, 3, 4))
    r.members.append(MemberRow(party="commissioning", index=0, cells={
        "name": Reading(value="李四"), "unit": Reading(value="成都市科学技术局"),
        "title": Reading(value="处长"), "role": Reading(value="统筹"), "signed": Reading(value=True)}))
    r.findings.append({"code": "missing_seal", "severity": "error", "section": "opinions",
                       "field": "opinions.undertaking.sealed", "message": "项目承接单位 缺少单位公章",
                       "page": 7, "bbox": (10, 20, 30, 40)})
    return r


def test_export_matches_record_md_key_for_key():
    out = json.loads(json.dumps(hand_built().to_record().export(), ensure_ascii=False))
    assert list(out) == ["document", "cover", "undertaking", "commissioning", "coordinating",
                         "content", "members", "opinions", "findings"]
    for section, keys in RECORD_MD_KEYS.items():
        assert list(out[section]) == keys, section
    assert out["undertaking"]["legal_representative"] == {
        "name": "张三", "mobile": "13800138000", "phone": None, "email": None}
    assert out["undertaking"]["self_funding"] == {"ticked": ["有"], "amount_wan": "5"}
    assert out["commissioning"]["cooperation_mode"] == {"ticked": ["授权委托"]}
    assert out["commissioning"]["funding_nature"] == {"ticked": ["其他"], "other_text": "专项"}
    assert out["coordinating"]["funding_support"] == {"ticked": ["无"], "amount_wan": None}
    assert out["coordinating"]["policy_support"] == "—"
    assert out["members"] == [{"party": "commissioning", "name": "李四", "unit": "成都市科学技术局",
                               "title": "处长", "role": "统筹", "signed": True}]
    assert out["opinions"]["undertaking"] == {"text": None, "signed": True, "sealed": False,
                                              "seal_text": None, "date": None}
    assert out["opinions"]["commissioning"]["date"] == "2018-06-12"
    assert out["findings"] == [{"code": "missing_seal", "severity": "error", "section": "opinions",
                                "field": "opinions.undertaking.sealed",
                                "message": "项目承接单位 缺少单位公章", "page": 7,
                                "bbox": [10, 20, 30, 40]}]
    assert out["document"]["status"] == "incomplete"
    assert Record.model_validate(out).export() == out


def test_failed_document_exports_with_its_reason():
    r = SheetResult(id="x", sources=["bad.pdf"], sha256="0" * 64, template="task_sheet_2018")
    r.fail("PDF is encrypted")
    check_document(r)
    out = r.to_record().export()
    assert out["document"]["status"] == "failed"
    assert out["findings"][0]["code"] == "unreadable_document"
    assert out["findings"][0]["message"] == "无法读取：PDF is encrypted"


# -- the record model is the template's ---------------------------------------------------


def test_record_schema_and_template_hold_the_same_fields():
    t = load_template()
    schema = Record.model_json_schema()
    assert schema_fields(schema) == template_fields(t)
    assert list(schema["properties"]) == ["document", "cover", "undertaking", "commissioning",
                                          "coordinating", "content", "members", "opinions",
                                          "findings"]
    assert schema["required"] == ["document"]
    member = schema["$defs"]["Member"]
    assert list(member["properties"]) == ["party"] + [c.key for c in t.members.columns]
    assert member["properties"]["party"]["enum"] == [g.party for g in t.members.groups]
    assert member["required"] == ["party"]


def test_bundled_record_model_is_record_and_keeps_its_schema_names():
    assert record_model(load_template()) is Record
    assert Member is get_args(Record.model_fields["members"].annotation)[0]
    schema = record_json_schema()
    assert schema == Record.model_json_schema()
    assert schema["title"] == "Record"
    assert schema["description"] == "One processed task sheet, as exported (RECORD.md)."
    assert sorted(schema["$defs"]) == [
        "Commissioning", "Contact", "Coordinating", "Cover", "DocumentInfo", "Finding", "Member",
        "Opinion", "Opinions", "Ticks", "TicksAmount", "TicksOther", "Undertaking"]
    assert all(d["title"] == name for name, d in schema["$defs"].items())
    # one model per shape: both contacts, all three opinions
    props = schema["$defs"]["Undertaking"]["properties"]
    assert props["legal_representative"] == props["project_lead"] == {"$ref": "#/$defs/Contact"}
    assert {v["$ref"] for v in schema["$defs"]["Opinions"]["properties"].values()} == {
        "#/$defs/Opinion"}


def test_records_pickle_like_classes_written_in_a_module():
    rec = hand_built().to_record()
    back = pickle.loads(pickle.dumps(rec))
    assert type(back) is Record
    assert back == rec
