"""End to end on the committed samples: the real pipeline, the real OCR engine, the registry.

The batch runs once (a module fixture, 2 workers) and every test reads its outcome. Each
sample's record is compared with its truth file field by field; the few fields the pipeline
still misreads are listed in KNOWN_MISSES with the reason, so that any new miss — or a
regression on a field read right today — fails the test. When a known miss gets fixed,
take it off the list.
"""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLES
from tasksheet.registry.db import Registry
from tasksheet.registry.export import export_records
from tasksheet.schemas.record import Record

from tasksheet.batch import run_batch

pytestmark = pytest.mark.slow


# (document, field path) the pipeline misreads today, and why (see the issue notes).
KNOWN_MISSES: dict[str, dict[str, str]] = {
    "doc-0007": {
        "opinions.coordinating.date": "grey seal ring over the whole date line",
    },
    "doc-0008": {
        "content": "handwritten 。 dropped by OCR",
        "opinions.undertaking.text": "handwritten 。 dropped by OCR",
    },
}
# Checkbox groups are scored apart (their ticks, not their text): at most this many wrong.
MAX_CHECKBOX_MISSES = 0  # of 72 groups (9 per sheet); 13 before options were placed by label


def _truths() -> dict[tuple[str, ...], dict]:
    out = {}
    for path in sorted((SAMPLES / "truth").glob("doc-*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        out[tuple(truth["sources"])] = truth
    return out


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    out = tmp_path_factory.mktemp("e2e")
    registry = f"sqlite:///{out / 'registry.sqlite'}"
    summary = run_batch(SAMPLES, out=out, registry=registry, workers=2, progress=False)
    reg = Registry(registry)
    records = {tuple(r.document.sources): r.export() for r in reg.records()}
    reg.close()
    return summary, records, registry, out


def _flat(tree, prefix=""):
    """Leaf values by dotted path; checkbox groups stay whole, members by index."""
    if isinstance(tree, dict) and "ticked" not in tree:
        for k, v in tree.items():
            yield from _flat(v, f"{prefix}{k}.")
    elif isinstance(tree, list) and prefix.endswith("members."):
        for i, m in enumerate(tree):
            yield from _flat(m, f"{prefix}{i}.")
    else:
        yield prefix[:-1], tree


def test_every_sample_is_stored_once_with_its_pages(batch):
    summary, records, _, out = batch
    truths = _truths()
    assert summary.processed == len(truths) == 8
    assert set(records) == set(truths)
    for sources, truth in truths.items():
        assert records[sources]["document"]["pages"] == len(truth["pages"])
        assert records[sources]["document"]["sha256"] == truth["record"]["document"]["sha256"]
    assert (out / "report.html").exists() and (out / "findings.csv").exists()


def test_records_equal_their_truth_but_for_the_known_misses(batch):
    _, records, _, _ = batch
    checkbox_misses = 0
    for sources, truth in _truths().items():
        name = truth["name"]
        got = dict(_flat({k: v for k, v in records[sources].items() if k not in ("document", "findings")}))
        want = dict(_flat({k: v for k, v in truth["record"].items() if k not in ("document", "findings")}))
        assert set(got) == set(want), name
        wrong = {k for k in want if got[k] != want[k]}
        boxes = {k for k in wrong if isinstance(want[k], dict)}
        checkbox_misses += len(boxes)
        unexpected = {k: (got[k], want[k]) for k in wrong - boxes
                      if k not in KNOWN_MISSES.get(name, {})}
        assert unexpected == {}, name
        fixed = set(KNOWN_MISSES.get(name, {})) - wrong
        assert fixed == set(), f"{name}: read right now, take off KNOWN_MISSES: {fixed}"
    assert checkbox_misses <= MAX_CHECKBOX_MISSES


def test_signatures_and_seals_are_found_exactly(batch):
    _, records, _, _ = batch
    for sources, truth in _truths().items():
        for party in ("commissioning", "undertaking", "coordinating"):
            for key in ("signed", "sealed"):
                assert records[sources]["opinions"][party][key] == \
                    truth["record"]["opinions"][party][key], (truth["name"], party, key)
        assert [m["signed"] for m in records[sources]["members"]] == \
            [m["signed"] for m in truth["record"]["members"]], truth["name"]


def test_injected_defects_are_found(batch):
    """Every expected finding but the checkbox ones (scored above) is reported."""
    _, records, _, _ = batch
    for sources, truth in _truths().items():
        got = {(f["code"], f["field"]) for f in records[sources]["findings"]}
        want = {(f["code"], f["field"]) for f in truth["findings"]
                if not f["code"].startswith("checkbox")}
        assert want <= got, (truth["name"], want - got)


def test_exported_json_validates_and_equals_the_stored_records(batch, tmp_path):
    _, records, registry, _ = batch
    path = export_records(registry=registry, fmt="json", status=None, out=tmp_path / "all.json")
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert len(exported) == 8
    for rec in exported:
        assert Record.model_validate(rec).export() == rec
        assert rec == records[tuple(rec["document"]["sources"])]
