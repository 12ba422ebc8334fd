"""`compare_expected` on small hand-made records: the examples README's rules, no OCR."""

import copy

from tasksheet.examples import _totals, compare_expected, norm_month, norm_text


def _record(**parts) -> dict:
    rec = {"document": {"status": "complete", "pages": 6}, "cover": {}, "members": [],
           "opinions": {}, "findings": []}
    rec.update(parts)
    return rec


def _finding(code: str, field: str | None) -> dict:
    return {"code": code, "severity": "error", "section": "x", "field": field, "message": "",
            "page": None, "bbox": None}


def test_text_normalisation():
    assert norm_text(None) == ""
    assert norm_text(" 成都市 科学\u3000技术\n协会 ") == "成都市科学技术协会"
    assert norm_text("ＡＢＣ１２３") == "ABC123"  # NFKC: full width -> ASCII
    for dash in ("—", "–", "-", "―", "‒", "－", "——"):
        assert norm_text(dash) == "—"
    assert norm_text("一") == "一"  # the numeral one is not a dash
    assert norm_text("028-67695007") == "028—67695007"


def test_month_digits_or_numerals():
    assert norm_month("五") == norm_month("5") == norm_month("05") == norm_month("５") == "5"
    assert norm_month("十二") == "12"
    assert norm_month("十") == "10"
    assert norm_month("一〇") == "10"
    assert norm_month(None) == ""


def test_dash_equivalence_and_null_is_empty():
    want = _record(cover={"project_name": "—", "commissioning_unit": None, "month": "五"},
                   coordinating={"funding_support": {"ticked": ["无"], "amount_wan": "—"}})
    got = _record(cover={"project_name": "–", "commissioning_unit": "", "month": "05"},
                  coordinating={"funding_support": {"ticked": ["无"], "amount_wan": "-"}})
    r = compare_expected(got, want)
    assert r["fields"] == {"ok": 4, "total": 4}
    assert r["checkbox_groups"] == {"ok": 1, "total": 1}
    assert r["mismatches"] == []

    got["cover"]["project_name"] = "一"  # 一 is not a dash
    got["cover"]["month"] = "6"
    got["coordinating"]["funding_support"]["amount_wan"] = None  # empty is not a dash
    r = compare_expected(got, want)
    assert r["fields"] == {"ok": 1, "total": 4}
    assert r["mismatches"] == [
        {"field": "cover.project_name", "got": "一", "want": "—"},
        {"field": "cover.month", "got": "6", "want": "五"},
        {"field": "coordinating.funding_support.amount_wan", "got": None, "want": "—"},
    ]


def test_nfkc_and_whitespace():
    want = _record(content="（1）组织开展专题培训。", undertaking={
        "project_lead": {"name": "林桂荣", "email": "jie8741@qq.com"}})
    got = _record(content="(1) 组织开展 专题培训。", undertaking={
        "project_lead": {"name": "林 桂 荣", "email": "ｊｉｅ8741@qq.com "}})
    r = compare_expected(got, want)
    assert r["fields"] == {"ok": 3, "total": 3}


def test_checkbox_groups_compare_the_ticked_set():
    want = _record(commissioning={"funding_source": {"ticked": ["项目经费", "公用经费"]},
                                  "funding_nature": {"ticked": [], "other_text": "—"}})
    got = _record(commissioning={"funding_source": {"ticked": ["公用经费", "项目经费"]},
                                 "funding_nature": {"ticked": ["其他"], "other_text": "—"}})
    r = compare_expected(got, want)
    assert r["checkbox_groups"] == {"ok": 1, "total": 2}
    assert r["fields"] == {"ok": 1, "total": 1}  # other_text
    assert r["mismatches"] == [{"field": "commissioning.funding_nature.ticked",
                                "got": ["其他"], "want": []}]


def test_findings_matched_by_code_and_field_ignoring_low_confidence():
    want = _record(findings=[_finding("missing_date", "opinions.undertaking.date"),
                             _finding("page_out_of_order", None),
                             _finding("low_confidence", "cover.month")])
    got = _record(findings=[_finding("missing_date", "opinions.undertaking.date"),
                            _finding("missing_date", "opinions.commissioning.date"),
                            _finding("low_confidence", "content"),
                            _finding("low_confidence", "cover.project_name")])
    r = compare_expected(got, want)
    assert r["findings"] == {"tp": 1, "fp": 1, "fn": 1}
    assert r["findings_fp"] == [["missing_date", "opinions.commissioning.date"]]
    assert r["findings_fn"] == [["page_out_of_order", None]]

    got["findings"].append(_finding("page_out_of_order", None))
    r = compare_expected(got, want)
    assert r["findings"] == {"tp": 2, "fp": 1, "fn": 0}


def _m(party: str, name: str, signed: bool = True, unit: str = "成都市园林学会") -> dict:
    return {"party": party, "name": name, "unit": unit, "title": "工程师", "role": "实施",
            "signed": signed}


def test_members_in_order_within_each_party():
    dash = {"party": "undertaking", "name": "—", "unit": "—", "title": "—", "role": "—",
            "signed": False}
    want = _record(members=[_m("commissioning", "郭秀云"), _m("undertaking", "林桂荣"),
                            _m("undertaking", "陈畅")])
    # parties interleaved differently and an unused (dash) row: only the order within a
    # party matters, and the dash row is not a member
    got = _record(members=[_m("undertaking", "林桂荣"), dash, _m("commissioning", "郭秀云"),
                           _m("undertaking", "陈畅")])
    r = compare_expected(got, want)
    assert r["fields"] == {"ok": 12, "total": 12}
    assert r["signature"] == {"tp": 3, "fp": 0, "fn": 0}
    assert r["members"] == {"got": 3, "want": 3, "missing": 0, "extra": 0}

    # swapped within a party: both rows' names are wrong; a missing signature is a fn
    got = _record(members=[_m("commissioning", "郭秀云"), _m("undertaking", "陈畅", signed=False),
                           _m("undertaking", "林桂荣")])
    r = compare_expected(got, want)
    assert r["fields"] == {"ok": 10, "total": 12}
    assert r["signature"] == {"tp": 2, "fp": 0, "fn": 1}
    assert [m["field"] for m in r["mismatches"]] == [
        "members.undertaking[0].name", "members.undertaking[0].signed",
        "members.undertaking[1].name"]

    # a row too few and one too many
    got = _record(members=[_m("undertaking", "林桂荣"), _m("undertaking", "陈畅"),
                           _m("coordinating", "王玉")])
    r = compare_expected(got, want)
    assert r["members"] == {"got": 3, "want": 3, "missing": 1, "extra": 1}
    assert r["fields"] == {"ok": 8, "total": 12}
    assert r["signature"] == {"tp": 2, "fp": 1, "fn": 1}


def test_opinions_signatures_seals_and_seal_text():
    cover = {"undertaking_unit": "成都市园林学会", "coordinating_unit": "成都市科学技术协会"}
    want = _record(cover=cover, opinions={
        "undertaking": {"text": "同意。", "signed": True, "sealed": True,
                        "seal_text": "成都市园林学会", "date": "2018-06-12"},
        "coordinating": {"text": "同意。", "signed": False, "sealed": True,
                         "seal_text": "成都市科学技术协会", "date": None}})
    got = _record(cover=dict(cover), opinions={
        "undertaking": {"text": "同意。", "signed": True, "sealed": True,
                        "seal_text": "成都市园林学会 专用章", "date": "2018–06–12"},
        "coordinating": {"text": "同意。", "signed": True, "sealed": False,
                         "seal_text": None, "date": None}})
    r = compare_expected(got, want)
    assert r["signature"] == {"tp": 1, "fp": 1, "fn": 0}
    assert r["seal"] == {"tp": 1, "fp": 0, "fn": 1}
    assert r["seal_text"] == {"ok": 1, "total": 2}
    # cover 2 + text 2 + date 2
    assert r["fields"] == {"ok": 6, "total": 6}


def test_status_and_identity():
    want = _record(document={"status": "incomplete", "pages": 6},
                   cover={"month": "5"}, findings=[_finding("checkbox_none", "a.b.ticked")])
    r = compare_expected(copy.deepcopy(want), want)
    assert r["status"] == {"got": "incomplete", "want": "incomplete", "ok": True}
    assert r["findings"] == {"tp": 1, "fp": 0, "fn": 0}
    got = copy.deepcopy(want)
    got["document"]["status"] = "complete"
    assert compare_expected(got, want)["status"]["ok"] is False


def test_totals_split_typed_and_handwritten():
    def case(fill, ok, total, status_ok):
        return {"fill": fill, "fields": {"ok": ok, "total": total},
                "checkbox_groups": {"ok": 1, "total": 2}, "seal_text": {"ok": 0, "total": 0},
                "signature": {"tp": 3, "fp": 1, "fn": 0}, "seal": {"tp": 0, "fp": 0, "fn": 0},
                "findings": {"tp": 1, "fp": 0, "fn": 1}, "status": {"ok": status_ok},
                "seconds": 1.25}

    t = _totals([case("typed", 3, 4, True), case("handwritten", 1, 4, False)])
    assert t["fields_exact"] == {"accuracy": 0.5, "ok": 4, "total": 8}
    assert t["fields_exact_typed"] == {"accuracy": 0.75, "ok": 3, "total": 4}
    assert t["fields_exact_handwritten"] == {"accuracy": 0.25, "ok": 1, "total": 4}
    assert t["signature"] == {"precision": 0.75, "recall": 1.0, "tp": 6, "fp": 2, "fn": 0}
    assert t["seal"]["precision"] is None
    assert t["seal_text_right"]["accuracy"] is None
    assert t["findings"]["recall"] == 0.5
    assert t["status_right"] == {"accuracy": 0.5, "ok": 1, "total": 2}
