"""Copies of one project: the odd copy out gets copy_mismatch on the field that differs."""

from __future__ import annotations

from helpers.example_result import example_result
from tasksheet.checks import check_document, copy_findings
from tasksheet.schemas.record import Record
from tasksheet.schemas.result import SheetResult


def _copy(doc_id: str, result: SheetResult | None = None) -> SheetResult:
    result = result or example_result(doc_id=doc_id)
    result.id = doc_id
    return check_document(result)


def _records(*results: SheetResult) -> list[Record]:
    return [r.to_record() for r in results]


def test_three_agreeing_copies_give_nothing():
    assert copy_findings(_records(_copy("a"), _copy("b"), _copy("c"))) == {}


def test_the_odd_copy_out_gets_copy_mismatch_on_the_differing_field():
    odd = example_result(doc_id="c")
    odd.readings["commissioning.funding_support.amount_wan"].value = "50"
    out = copy_findings(_records(_copy("a"), _copy("b"), _copy("c", odd)))
    assert list(out) == ["c"]
    (finding,) = out["c"]
    assert (finding.code, finding.field, finding.severity) == (
        "copy_mismatch", "commissioning.funding_support.amount_wan", "error")
    assert "“50”" in finding.message and "“5”" in finding.message
    assert finding.message.startswith("同一项目的副本在 项目委托单位 经费支持 金额（万元） 上不一致")


def test_ticks_members_and_seals_are_compared():
    odd = example_result(doc_id="b")
    odd.readings["commissioning.cooperation_mode"].value = ["购买服务"]
    odd.members[2].cells["role"].value = "宣传"
    odd.readings["opinions.coordinating.sealed"].value = False
    out = copy_findings(_records(_copy("a"), _copy("b", odd), _copy("c")))
    assert sorted(f.field for f in out["b"]) == ["commissioning.cooperation_mode", "members.2.role",
                                                 "opinions.coordinating.sealed"]
    assert set(out) == {"b"}


def test_ocr_noise_and_punctuation_in_long_text_are_not_a_mismatch():
    noisy = example_result(doc_id="b")
    noisy.readings["content"].value = "本项目面向全市中小学开展科普讲座与科学实验活动，每学期不少于十场。"
    clean = [example_result(doc_id=i) for i in ("a", "c")]
    for r in clean:
        r.readings["content"].value = "本项目面向全市中小学开展科普讲座与科学实验活動，每学期不少于十场."
    assert copy_findings(_records(_copy("a", clean[0]), _copy("b", noisy), _copy("c", clean[1]))) == {}


def test_two_copies_that_disagree_both_get_the_finding():
    other = example_result(doc_id="b")
    other.readings["commissioning.head"].value = "王五"
    out = copy_findings(_records(_copy("a"), _copy("b", other)))
    assert {k: [f.field for f in v] for k, v in out.items()} == {
        "a": ["commissioning.head"], "b": ["commissioning.head"]}


def test_different_projects_are_not_compared():
    other = example_result(doc_id="b")
    other.readings["cover.project_name"].value = "青少年科技创新试点项目"
    other.readings["commissioning.head"].value = "王五"
    assert copy_findings(_records(_copy("a"), _copy("b", other))) == {}


def test_two_different_sheets_of_one_project_name_are_not_copies():
    other = example_result(doc_id="b")
    for fid, reading in other.readings.items():
        if fid.startswith(("undertaking.", "commissioning.", "coordinating.")) and isinstance(
                reading.value, str) and reading.value != "—":
            reading.value = reading.value + "X"
    for row in other.members:
        row.cells["name"].value = "别人"
    assert copy_findings(_records(_copy("a"), _copy("b", other))) == {}


def test_copies_read_unsurely_are_left_out_of_that_fields_comparison():
    """Two copies whose date was read in part (low confidence) and one read surely: nobody
    differs — the doubtful copies neither differ nor make the sure one differ."""
    a, b = example_result(doc_id="a"), example_result(doc_id="b")
    a.readings["opinions.coordinating.date"].value = None
    b.readings["opinions.coordinating.date"].value = "2018年月18日"
    records = _records(_copy("a", a), _copy("b", b), _copy("c"))
    field = "opinions.coordinating.date"
    assert set(copy_findings(records)) == {"a", "b", "c"}  # no majority: every copy differs
    out = copy_findings(records, doubtful={"a": {field}, "b": {field}})
    assert out == {}
    out = copy_findings(records, doubtful={"a": {field}})  # b and c still differ surely
    assert sorted(out) == ["b", "c"] and all(f.field == field for f in out["b"] + out["c"])


def test_a_field_flagged_low_confidence_is_unsure_for_the_copy_comparison():
    """A date a digit off the form's year, read over the bar but under the rule's
    min_confidence, is flagged for a person: it does not make the copies differ either."""
    from tasksheet.checks.rules import unsure_fields

    odd = example_result(doc_id="c")
    odd.readings["opinions.undertaking.date"].value = "2019-06-12"
    odd = _copy("c", odd)
    field = "opinions.undertaking.date"
    assert ("low_confidence", field) in {(f.code, f.field) for f in odd.findings}
    unsure = {r.id: unsure_fields(r, 0.6) for r in (odd,)}
    assert field in unsure["c"]
    records = _records(_copy("a"), _copy("b"), odd)
    assert field in {f.field for f in copy_findings(records)["c"]}
    assert copy_findings(records, doubtful=unsure) == {}
