"""The template's rules: a clean sheet gives nothing; each defect gives exactly its finding."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import yaml
from helpers.example_result import example_result
from tasksheet.checks import check_document
from tasksheet.extract.signature import PRINTED_RAW
from tasksheet.schemas.record import Finding
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import TEMPLATES_DIR, Template, load_template

Mutate = Callable[[SheetResult], None]


def _set(field_id: str, value: object) -> Mutate:
    def mutate(result: SheetResult) -> None:
        result.readings[field_id].value = value
        result.readings[field_id].raw = value if isinstance(value, str) else None
    return mutate


def _member(index: int, key: str, value: object) -> Mutate:
    def mutate(result: SheetResult) -> None:
        result.members[index].cells[key].value = value
    return mutate


def _tick(field_id: str, labels: list[str]) -> Mutate:
    def mutate(result: SheetResult) -> None:
        reading = result.readings[field_id]
        reading.value = labels
        for mark in reading.options:
            mark.ticked = mark.label in labels
    return mutate


def _both(*steps: Mutate) -> Mutate:
    def mutate(result: SheetResult) -> None:
        for step in steps:
            step(result)
    return mutate


def codes(result: SheetResult) -> list[tuple[str, str | None]]:
    return sorted((f.code, f.field) for f in result.findings)


def checked(mutate: Mutate | None = None) -> SheetResult:
    result = example_result()
    if mutate:
        mutate(result)
    return check_document(result)


def test_clean_sheet_has_no_findings_and_is_complete():
    result = checked()
    assert result.findings == []
    assert result.status == "complete"


DEFECTS: dict[str, tuple[Mutate, list[tuple[str, str]]]] = {
    "seal absent": (_set("opinions.undertaking.sealed", False),
                    [("missing_seal", "opinions.undertaking.sealed")]),
    "signature absent": (_set("opinions.commissioning.signed", False),
                         [("missing_signature", "opinions.commissioning.signed")]),
    "member unsigned": (_member(1, "signed", False), [("missing_signature", "members.1.signed")]),
    "seal of another unit": (_set("opinions.undertaking.seal_text", "成都市教育局"),
                             [("seal_unit_mismatch", "opinions.undertaking.seal_text")]),
    "blank contact": (_set("commissioning.contact", None), [("blank_field", "commissioning.contact")]),
    "empty string": (_set("cover.month", ""), [("blank_field", "cover.month")]),
    "blank member title": (_member(2, "title", None), [("blank_field", "members.2.title")]),
    "no tick": (_tick("commissioning.cooperation_mode", []),
                [("checkbox_none", "commissioning.cooperation_mode.ticked")]),
    "two ticks": (_tick("commissioning.policy_support", ["有", "无"]),
                  [("checkbox_multiple", "commissioning.policy_support.ticked")]),
    "amount missing": (_set("commissioning.funding_support.amount_wan", None),
                       [("missing_amount", "commissioning.funding_support.amount_wan")]),
    "other text missing": (_both(_tick("coordinating.funding_nature", ["其他"])),
                           [("missing_other_text", "coordinating.funding_nature.other_text")]),
    "bad mobile": (_set("undertaking.project_lead.mobile", "1380013800"),
                   [("invalid_mobile", "undertaking.project_lead.mobile")]),
    "bad phone": (_set("coordinating.phone", "86123456"), [("invalid_phone", "coordinating.phone")]),
    "bad email": (_set("commissioning.email", "kepu@example"),
                  [("invalid_email", "commissioning.email")]),
    "date absent": (_set("opinions.coordinating.date", None),
                    [("missing_date", "opinions.coordinating.date")]),
    "impossible date": (_set("opinions.coordinating.date", "2018-02-30"),
                        [("invalid_date", "opinions.coordinating.date")]),
    "date of another year": (_set("opinions.undertaking.date", "2006-06-12"),
                             [("invalid_date", "opinions.undertaking.date")]),
    "illegible day": (_set("opinions.undertaking.date", "2018年6月"),
                      [("invalid_date", "opinions.undertaking.date")]),
    "member of another unit": (_member(1, "unit", "成都市教育局"),
                               [("unit_name_mismatch", "members.1.unit")]),
    "coordinating unit renamed": (_set("cover.coordinating_unit", "成都市科技局"),
                                  [("unit_name_mismatch", "cover.coordinating_unit")]),
    "department renamed": (_set("coordinating.department", "办公室"),
                           [("unit_name_mismatch", "coordinating.department")]),
    "bare abbreviation": (_set("content", "按 ISO 标准开展培训。"),
                          [("foreign_name_without_abbreviation", "content")]),
}


@pytest.mark.parametrize("name", DEFECTS)
def test_one_defect_gives_exactly_its_finding(name: str):
    mutate, expected = DEFECTS[name]
    result = checked(mutate)
    assert codes(result) == sorted(expected)
    errors = any(f.severity == "error" for f in result.findings)
    assert result.status == ("incomplete" if errors else "complete")


def test_missing_seal_finding_reads_naturally_and_points_at_the_seal_place():
    result = example_result()
    result.readings["opinions.undertaking.sealed"].value = False
    seal = result.readings["opinions.undertaking.sealed"]
    (finding,) = check_document(result).findings
    assert finding == Finding(code="missing_seal", severity="error", section="opinions",
                              field="opinions.undertaking.sealed", message="项目承接单位 缺少单位公章",
                              page=seal.page, bbox=seal.bbox)


def test_messages_name_the_place_in_words():
    result = checked(_both(_set("opinions.undertaking.signed", False), _member(1, "signed", False),
                           _set("commissioning.contact", None)))
    messages = {f.field: f.message for f in result.findings}
    assert messages["opinions.undertaking.signed"] == "项目承接单位 法定代表人 缺少签字"
    assert messages["members.1.signed"] == "参与成员（承接单位）李四 缺少签字"
    assert messages["commissioning.contact"] == "项目委托单位 联系人 未填写（不填的栏目应填“—”）"


def _printed_name(result: SheetResult) -> None:
    """A typed name where 承接单位's 法定代表人 signs, and in 李四's 签字 cell, as a reader
    records it (tasksheet.extract.signature: not signed, raw PRINTED_RAW)."""
    for reading in (result.readings["opinions.undertaking.signed"], result.members[1].cells["signed"]):
        reading.value, reading.raw = False, PRINTED_RAW


def test_a_typed_name_in_a_signing_place_is_a_missing_signature_that_says_so():
    result = checked(_both(_printed_name, _set("opinions.coordinating.signed", False)))
    assert codes(result) == sorted([("missing_signature", "opinions.undertaking.signed"),
                                    ("missing_signature", "members.1.signed"),
                                    ("missing_signature", "opinions.coordinating.signed")])
    messages = {f.field: f.message for f in result.findings}
    typed = "缺少签字：签字处只有打印或印刷的文字，未见手写签名"
    assert messages["opinions.undertaking.signed"] == f"项目承接单位 法定代表人 {typed}"
    assert messages["members.1.signed"] == f"参与成员（承接单位）李四 {typed}"
    assert messages["opinions.coordinating.signed"].endswith(" 缺少签字")  # left empty
    assert result.status == "incomplete"


def test_the_printed_wording_is_the_templates() -> None:
    """The form is data: the wording comes from the template's rule, not from the code."""
    data = yaml.safe_load((TEMPLATES_DIR / "task_sheet_2018.yaml").read_text(encoding="utf-8"))
    for rule in data["rules"]:
        if rule["code"] == "missing_signature" and rule.get("shape") == "printed_name":
            rule["message"] = "{display}：打印的名字不是签名"
    result = example_result()
    _printed_name(result)
    found = check_document(result, Template.model_validate(data)).findings
    assert {f.message for f in found} == {"项目承接单位 法定代表人：打印的名字不是签名",
                                          "参与成员（承接单位）李四：打印的名字不是签名"}


@pytest.mark.parametrize("mutate", [
    _set("opinions.undertaking.seal_text", "成都市科普作家协含"),         # one character misread
    _set("opinions.undertaking.seal_text", "成都市科普作家协会合同专用章"),  # more text on the seal
    _set("opinions.coordinating.seal_text", "成 都 市 科 学 技 术 协 会"),
    _set("commissioning.contact", "—"),                                   # the form's dash
    _set("commissioning.mobile", "—"),
    _tick("undertaking.self_funding", []),                                # min_ticked: 0
    _set("content", "依据国际标准化组织（ISO）标准，ISO 认证培训。"),
    _set("content", "联合 IEEE（电气电子工程师学会）开展活动。"),
    _set("cover.project_name", "邮箱 KEPU@EXAMPLE.CN 联络"),               # e-mails are not names
    _tick("commissioning.funding_support", ["无"]),                       # 无: no amount needed
    _set("content", "参照世界卫生组织（WHO相关标准和方法。"),  # its ） lost by the reader
    _set("content", "参照危害分析与关键控制点HACCP）相关标准。"),  # its （ lost
    _set("opinions.undertaking.seal_text", "成都市普作协会"),  # rim characters hidden, none wrong
    _set("opinions.undertaking.seal_text", "成都市作协会"),  # a third of the rim hidden
    _set("opinions.undertaking.seal_text", "作家协会成都市科普"),  # the strip began mid-name
])
def test_tolerated_variations_give_no_finding(mutate: Mutate):
    assert checked(mutate).findings == []


def test_low_confidence_is_a_warning_with_evidence_instead_of_an_error():
    result = example_result()
    result.readings["commissioning.head"].confidence = 0.3
    result.readings["commissioning.contact"].confidence = 0.3
    result.readings["commissioning.contact"].value = None
    result.readings["commissioning.phone"].value = None  # blank, and read with confidence
    result.members[0].cells["role"].confidence = 0.2
    result.readings["opinions.undertaking.sealed"].value = False
    result.readings["opinions.undertaking.sealed"].confidence = 0.3
    check_document(result)
    assert codes(result) == [("blank_field", "commissioning.phone"),
                             ("low_confidence", "commissioning.contact"),
                             ("low_confidence", "commissioning.head"),
                             ("low_confidence", "members.0.role"),
                             ("missing_seal", "opinions.undertaking.sealed")]
    low = next(f for f in result.findings if f.field == "commissioning.head")
    assert low.severity == "warning"
    assert (low.page, low.bbox) == (result.readings["commissioning.head"].page,
                                    result.readings["commissioning.head"].bbox)
    assert result.status == "incomplete"


def _checked_reading(field: str, value: str, confidence: float) -> SheetResult:
    """The clean example with one field read as `value` at `confidence`, checked."""
    result = example_result()
    result.readings[field].value = value
    result.readings[field].confidence = confidence
    return check_document(result)


@pytest.mark.parametrize(("text", "confidence", "want"), [
    ("用都币科普作家协会", 0.999, [("seal_unit_mismatch", "opinions.undertaking.seal_text")]),
    # over the template's bar, under the rule's min_confidence: a misread 成都市 looks
    # exactly like another unit's name, so a person checks instead of an error
    ("用都币科普作家协会", 0.92, [("low_confidence", "opinions.undertaking.seal_text")]),
    ("用都币科普作家协会", 0.3, [("low_confidence", "opinions.undertaking.seal_text")]),
    ("协会用都币科普作家", 0.92, [("low_confidence", "opinions.undertaking.seal_text")]),
    # a wholly different name is no misread: read over the bar, it is an error
    ("成都市电子学会", 0.92, [("seal_unit_mismatch", "opinions.undertaking.seal_text")]),
    # a rim read in part, every character the unit's: names no unit, a person looks
    ("科作家会", 0.999, [("low_confidence", "opinions.undertaking.seal_text")]),
    # far from the unit but no unit's name either (no 会/局/…: a pale rim under print,
    # seed 419 doc-0005): a misread, not another unit's seal
    ("成都市剩学發办益", 0.999, [("low_confidence", "opinions.undertaking.seal_text")]),
    ("市森休公安", 0.956, [("low_confidence", "opinions.undertaking.seal_text")]),
    ("科普作家协会", 0.999, []),  # two-thirds of the name, in order: the unit's seal
])
def test_a_mismatch_rule_needs_its_reading_as_sure_as_its_min_confidence(text, confidence, want):
    result = _checked_reading("opinions.undertaking.seal_text", text, confidence)
    assert codes(result) == want
    assert result.status == ("incomplete" if want and want[0][0] == "seal_unit_mismatch"
                             else "complete")


@pytest.mark.parametrize(("date", "confidence", "want"), [
    ("2019-06-12", 0.99, [("invalid_date", "opinions.undertaking.date")]),  # read surely
    ("2019-06-12", 0.9, [("low_confidence", "opinions.undertaking.date")]),  # 8 read as 9?
    ("2016-06-12", 0.9, [("low_confidence", "opinions.undertaking.date")]),
    ("2013-06-12", 0.9, [("low_confidence", "opinions.undertaking.date")]),
    ("2009-06-12", 0.9, [("invalid_date", "opinions.undertaking.date")]),  # two digits off
    ("2018年2月30日", 0.9, [("invalid_date", "opinions.undertaking.date")]),  # no such day
])
def test_a_year_a_digit_off_the_forms_convicts_only_from_a_sure_reading(date, confidence, want):
    result = _checked_reading("opinions.undertaking.date", date, confidence)
    assert codes(result) == want


@pytest.mark.parametrize(("unit", "confidence", "whole", "want"), [
    ("成都科普作家协会", 0.99, False, "unit_name_mismatch"),  # 市 left out, read cleanly
    ("市科普作家协会", 0.99, False, "unit_name_mismatch"),
    ("成都科普作家协会", 0.9, False, "low_confidence"),  # the same from a doubtful reading
    # doubtful shapes, but every character on paper read: 市 is not on paper
    ("成都科普作家协会", 0.9, True, "unit_name_mismatch"),
    ("市科普作家协会", 0.85, True, "unit_name_mismatch"),
    ("成都市科普作家协伞", 0.9, True, "low_confidence"),  # a character misshapen, none lost
    ("成都市科普作家协会秘书处", 0.9, False, None),  # a department of the unit
    ("成都市地理学会", 0.9, False, "unit_name_mismatch"),  # another unit, however it was read
])
def test_a_member_unit_a_character_away_is_flagged_only_from_a_sure_reading(unit, confidence,
                                                                           whole, want):
    result = example_result()
    row = next(i for i, m in enumerate(result.members) if m.party == "undertaking")
    result.members[row].cells["unit"].value = unit
    result.members[row].cells["unit"].confidence = confidence
    result.members[row].cells["unit"].whole = whole
    result.readings["cover.undertaking_unit"].confidence = 0.99
    check_document(result)
    assert codes(result) == ([(want, f"members.{row}.unit")] if want else [])


def test_a_cover_unit_read_unsurely_is_sure_when_the_seal_reads_it_the_same():
    result = example_result()
    row = next(i for i, m in enumerate(result.members) if m.party == "undertaking")
    result.members[row].cells["unit"].value = "成都科普作家协会"
    result.members[row].cells["unit"].confidence = 0.99
    result.readings["cover.undertaking_unit"].confidence = 0.9
    result.readings["opinions.undertaking.seal_text"].confidence = 0.9
    assert codes(check_document(result)) == [("low_confidence", f"members.{row}.unit")]
    result.readings["opinions.undertaking.seal_text"].value = "成都市科普作家协会"
    result.readings["opinions.undertaking.seal_text"].confidence = 0.999
    assert codes(check_document(result)) == [("unit_name_mismatch", f"members.{row}.unit")]


def test_only_warnings_leave_the_sheet_complete():
    result = example_result()
    result.readings["commissioning.head"].confidence = 0.3
    assert check_document(result).status == "complete"


def test_a_missing_page_is_reported_once_not_field_by_field():
    result = example_result()
    opinions_page = next(p for p in result.pages if p.form_page == "opinions")
    result.pages.remove(opinions_page)
    result.readings = {k: v for k, v in result.readings.items() if not k.startswith("opinions.")}
    result.findings.append(Finding(code="missing_page", severity="error", section="pages",
                                   field="pages.opinions", message="缺少第 7 页（五、三方单位意见）"))
    check_document(result)
    assert codes(result) == [("missing_page", "pages.opinions")]
    assert result.status == "incomplete"


def test_structural_findings_are_kept_and_checking_twice_changes_nothing():
    result = example_result()
    result.readings["opinions.undertaking.sealed"].value = False
    result.findings.append(Finding(code="page_out_of_order", severity="warning", section="document",
                                   field=None, message="页面顺序有误，已按表单顺序重排"))
    first = check_document(result).model_copy(deep=True)
    second = check_document(result)
    assert codes(second) == [("missing_seal", "opinions.undertaking.sealed"),
                             ("page_out_of_order", None)]
    assert second.findings == first.findings


def test_an_unreadable_document_stays_failed_with_its_one_finding():
    result = SheetResult(id="bad", sources=["bad.pdf"], sha256="1" * 64, template="task_sheet_2018")
    result.fail("文件已损坏")
    check_document(result)
    assert result.status == "failed"
    assert codes(result) == [("unreadable_document", None)]


def _template_with(rule: dict) -> Template:
    data = yaml.safe_load((TEMPLATES_DIR / "task_sheet_2018.yaml").read_text(encoding="utf-8"))
    data["rules"].append(rule)
    return Template.model_validate(data)


def test_a_rule_added_in_data_works_without_code():
    template = _template_with({"code": "invalid_amount", "kind": "shape", "severity": "error",
                               "fields": ["all"], "shape": "amount_wan",
                               "message": "{display} 金额格式不正确"})
    result = example_result(template)
    result.readings["commissioning.funding_support.amount_wan"].value = "五万"
    check_document(result, template)
    assert codes(result) == [("invalid_amount", "commissioning.funding_support.amount_wan")]
    assert result.findings[0].message.startswith("项目委托单位 经费支持 金额格式不正确")


def test_a_second_rule_of_a_kind_added_in_data_adds_its_own_finding():
    template = _template_with({"code": "blank_policy", "kind": "not_blank", "severity": "warning",
                               "fields": ["coordinating.policy_support"],
                               "message": "{display} 请填写"})
    result = example_result(template)
    result.readings["coordinating.policy_support"].value = None
    check_document(result, template)
    assert codes(result) == [("blank_field", "coordinating.policy_support"),
                             ("blank_policy", "coordinating.policy_support")]


def test_the_shipped_template_has_a_function_for_every_rule_kind():
    from tasksheet.checks.rules import RULE_KINDS

    kinds = {r.kind for r in load_template().rules} - {"structural"}
    assert kinds <= set(RULE_KINDS)


def test_a_group_read_with_an_option_unseen_is_low_confidence_not_its_rules_errors():
    """Fresh seed 4107 doc-0016 (colour scan): the pen's tick over `☑无` hid the option's
    label and outline, so 经费支持 was read with 有 alone, unticked (confidence 0.3). The
    group's own checkbox_none, and those of 经费性质/经费来源 (which do not apply where
    无 is ticked, and were rightly left empty), convicted a complete sheet three times on
    a tick nobody saw. A person is asked to look at the group instead."""
    result = example_result()
    support = result.readings["coordinating.funding_support"]
    support.value, support.confidence = [], 0.3
    support.options = [m for m in support.options if m.label == "有"]
    for mark in support.options:
        mark.ticked = False
    for group in ("coordinating.funding_nature", "coordinating.funding_source"):
        _tick(group, [])(result)
    result.readings.pop("coordinating.funding_nature.other_text", None)
    check_document(result)
    assert codes(result) == [("low_confidence", "coordinating.funding_support")]
    # read surely, the same empty groups are the form's errors
    sure = example_result()
    _tick("coordinating.funding_support", [])(sure)
    for group in ("coordinating.funding_nature", "coordinating.funding_source"):
        _tick(group, [])(sure)
    check_document(sure)
    assert [c for c in codes(sure) if c[0] == "checkbox_none"] == [
        ("checkbox_none", "coordinating.funding_nature.ticked"),
        ("checkbox_none", "coordinating.funding_source.ticked"),
        ("checkbox_none", "coordinating.funding_support.ticked")]
