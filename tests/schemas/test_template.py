"""The template covers every field of the form and every reference in it resolves."""

import pytest
import yaml
from tasksheet.schemas import TemplateError, load_template
from tasksheet.schemas.record import Record
from tasksheet.schemas.template import TEMPLATES_DIR, Template

# Every field of TASK_SHEET.md / RECORD.md, by its dotted path.
EXPECTED_FIELDS = {
    "cover.project_name", "cover.commissioning_unit", "cover.undertaking_unit",
    "cover.coordinating_unit", "cover.month",
    *(f"undertaking.{who}.{k}" for who in ("legal_representative", "project_lead")
      for k in ("name", "mobile", "phone", "email")),
    "undertaking.self_funding",
    *(f"commissioning.{k}" for k in ("department", "head", "contact", "phone", "mobile", "email",
                                     "cooperation_mode", "funding_support", "funding_nature",
                                     "funding_source", "policy_support")),
    *(f"coordinating.{k}" for k in ("department", "head", "contact", "phone", "mobile", "email",
                                    "funding_support", "funding_nature", "funding_source",
                                    "policy_support")),
    "content",
    *(f"opinions.{p}.{k}" for p in ("commissioning", "undertaking", "coordinating")
      for k in ("text", "signed", "sealed", "seal_text", "date")),
}


def test_template_covers_every_field_of_the_form():
    t = load_template()
    assert {f.id for f in t.fields()} == EXPECTED_FIELDS
    assert [p.id for p in t.pages] == ["cover", "instructions", "basic_info", "content",
                                       "members", "clauses", "opinions"]
    assert [c.key for c in t.members.columns] == ["name", "unit", "title", "role", "signed"]


def test_every_field_id_is_a_path_of_the_record():
    schema = Record.model_json_schema()
    defs = schema["$defs"]
    t = load_template()
    for f in t.fields():
        node = schema
        for key in f.id.split("."):
            props = node.get("properties") or defs[node["$ref"].split("/")[-1]]["properties"]
            assert key in props, f.id
            node = props[key]
            if "$ref" in node:
                node = defs[node["$ref"].split("/")[-1]]
            elif "anyOf" in node:
                node = next((x for x in node["anyOf"] if "$ref" in x), node)
                if "$ref" in node:
                    node = defs[node["$ref"].split("/")[-1]]


def test_checkbox_groups_carry_options_and_attachments():
    t = load_template()
    fs = t.field("commissioning.funding_support")
    assert [(o.label, o.attach) for o in fs.options] == [("有", "amount_wan"), ("无", None)]
    nature = t.field("coordinating.funding_nature")
    assert [(o.label, o.attach) for o in nature.options] == [("财政拨款", None), ("其他", "other_text")]
    assert t.field("undertaking.self_funding").min_ticked == 0


def test_every_finding_code_of_record_md_has_a_rule():
    codes = {r.code for r in load_template().rules}
    assert codes == {
        "missing_signature", "missing_seal", "seal_unit_mismatch", "blank_field",
        "checkbox_none", "checkbox_multiple", "missing_amount", "missing_other_text",
        "invalid_mobile", "invalid_phone", "invalid_email", "missing_date", "invalid_date",
        "unit_name_mismatch", "foreign_name_without_abbreviation", "missing_page",
        "page_out_of_order", "copy_mismatch", "low_confidence", "unreadable_document",
    }


def test_rule_patterns_resolve():
    t = load_template()
    assert [f.id for f in t.match_fields("opinions.*.sealed")] == [
        "opinions.commissioning.sealed", "opinions.undertaking.sealed", "opinions.coordinating.sealed"]
    assert len(t.match_fields("members.*.signed")) == 3


def _raw() -> dict:
    return yaml.safe_load((TEMPLATES_DIR / "task_sheet_2018.yaml").read_text(encoding="utf-8"))


def test_unknown_keys_are_errors():
    data = _raw()
    data["pages"][0]["colour"] = "red"
    with pytest.raises(ValueError, match="colour"):
        Template.model_validate(data)


def test_dangling_references_are_errors():
    data = _raw()
    data["tables"][0]["page"] = "nowhere"
    with pytest.raises(ValueError, match="unknown page 'nowhere'"):
        Template.model_validate(data)
    data = _raw()
    data["rules"][0]["fields"] = ["opinions.*.nothing"]
    with pytest.raises(ValueError, match="no field matches"):
        Template.model_validate(data)


def test_unknown_template_name_lists_the_known_ones():
    with pytest.raises(TemplateError, match="known: task_sheet_2018"):
        load_template("no_such_form")
