"""The synthetic form pages of `helpers.synth` look as the ingest tests assume."""

from helpers.synth import form_page, rule_angle, scan


def test_synthetic_page_has_a_level_rule() -> None:
    assert abs(rule_angle(form_page("basic_info"))) < 0.1
    assert abs(rule_angle(scan(form_page("basic_info"), angle=5, border=0)) + 5) < 0.3
