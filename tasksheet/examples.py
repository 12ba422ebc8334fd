"""Score the pipeline on the word-processor example sheets (`../shared/examples/`).

Each example folder (`wp-01` … `wp-08`) holds a scan (`scan.pdf`, `scan.tiff` or a folder
`pages/` of JPGs) and `expected.json`, the record a perfect run exports; `wp-01` also holds
`digital.pdf` with `expected-digital.json`. A run is compared with the expected record as
the examples' README says:

- text fields: exact after NFKC with all whitespace removed; `null` = empty; any dash
  (Unicode category Pd, or the minus sign; a run of them counts as one) = "—";
  `一` is not a dash; the cover's month may be digits or Chinese numerals (五 == 5 == 05);
- members: filled rows only, in order within each party;
- checkbox groups: the ticked set (their `amount_wan` / `other_text` are text fields);
- signatures per member row and opinion block, seals per opinion block (tp/fp/fn);
  `seal_text` must contain the unit's name (counted where a seal is expected);
- findings matched by (code, field); `low_confidence` is not counted either way;
- the document's status.

`tasksheet bench --examples DIR [--json PATH]` runs `evaluate_examples` and prints the table.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from tasksheet.ingest.discover import discover, natural_key
from tasksheet.ingest.document import DocumentSource

HANDWRITTEN = frozenset({"wp-03", "wp-05"})  # the README's table: handwritten fill
PARTIES = ("commissioning", "undertaking", "coordinating")
MEMBER_KEYS = ("name", "unit", "title", "role")
SECTIONS = ("cover", "undertaking", "commissioning", "coordinating")
SCAN_FILES = ("scan.pdf", "scan.tiff", "scan.tif")
DASH = "—"
_EXTRA_DASHES = frozenset("\u2212")  # minus sign (category Sm)
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "o": 0, "一": 1, "二": 2, "两": 2, "三": 3,
              "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


# ---------------------------------------------------------------- cases


def example_cases(root: Path) -> list[tuple[str, DocumentSource, dict]]:
    """(name, source, expected record) for every example folder under `root`.

    The scan is the case `wp-NN` (with `expected.json`); a folder that also holds
    `digital.pdf` and `expected-digital.json` gives a second case `wp-NN-digital`. Sources
    come from the project's discovery of the folder; their `sources` are rebased on `root`
    (`wp-02/scan.pdf`), as in the expected records.
    """
    root = Path(root)
    cases = []
    folders = sorted((d for d in root.iterdir() if d.is_dir() and (d / "expected.json").is_file()),
                     key=lambda d: natural_key(d.name))
    for folder in folders:
        found = [_rebase(s, folder) for s in discover(folder)]
        cases.append((folder.name, _pick_scan(found, folder), _load(folder / "expected.json")))
        if (folder / "digital.pdf").is_file() and (folder / "expected-digital.json").is_file():
            name = f"{folder.name}/digital.pdf"
            digital = _pick(found, lambda s, n=name: s == [n], folder, "digital")
            cases.append((f"{folder.name}-digital", digital,
                          _load(folder / "expected-digital.json")))
    return cases


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _rebase(src: DocumentSource, folder: Path) -> DocumentSource:
    return dataclasses.replace(src, root=folder.parent,
                               sources=[f"{folder.name}/{s}" for s in src.sources])


def _pick_scan(found: list[DocumentSource], folder: Path) -> DocumentSource:
    names = {f"{folder.name}/{n}" for n in SCAN_FILES}
    if any((folder / n).is_file() for n in SCAN_FILES):
        return _pick(found, lambda s: len(s) == 1 and s[0] in names, folder, "scan")
    prefix = f"{folder.name}/pages/"
    return _pick(found, lambda s: all(x.startswith(prefix) for x in s), folder, "pages/")


def _pick(found: list[DocumentSource], test, folder: Path, what: str) -> DocumentSource:
    hits = [s for s in found if test(s.sources)]
    if len(hits) != 1:
        raise ValueError(f"{folder}: expected one {what} document, discovery found {len(hits)}")
    return hits[0]


# ---------------------------------------------------------------- normalising


def _is_dash(ch: str) -> bool:
    return ch in _EXTRA_DASHES or unicodedata.category(ch) == "Pd"


def norm_text(value: Any) -> str:
    """NFKC, no whitespace, `None` -> "", every dash (a run of them) -> "—"."""
    if value is None:
        return ""
    s = unicodedata.normalize("NFKC", str(value))
    s = "".join(DASH if _is_dash(ch) else ch for ch in s if not ch.isspace())
    return re.sub(f"{DASH}+", DASH, s)


def norm_month(value: Any) -> str:
    """A month as a number without leading zero where it reads as one: 五, 5, 05 -> "5"."""
    s = norm_text(value)
    if s.isascii() and s.isdigit():
        return str(int(s))
    if s and all(ch in _CN_DIGITS or ch == "十" for ch in s):
        if "十" in s:
            parts = s.split("十")
            if len(parts) == 2 and len(parts[0]) <= 1 and len(parts[1]) <= 1:
                tens = _CN_DIGITS[parts[0]] if parts[0] else 1
                return str(tens * 10 + (_CN_DIGITS[parts[1]] if parts[1] else 0))
            return s
        return str(int("".join(str(_CN_DIGITS[ch]) for ch in s)))
    return s


# ---------------------------------------------------------------- comparing


def _pr(c: Counter, got: bool, want: bool) -> None:
    c["tp" if got and want else "fp" if got else "fn" if want else "tn"] += 1


def _member_filled(m: dict) -> bool:
    return any(norm_text(m.get(k)) not in ("", DASH) for k in MEMBER_KEYS)


def _finding_keys(record: dict) -> set[tuple[str, str | None]]:
    return {(f.get("code"), f.get("field")) for f in record.get("findings") or []
            if f.get("code") != "low_confidence"}


class _Comparison:
    def __init__(self) -> None:
        self.fields = Counter()
        self.groups = Counter()
        self.sig = Counter()
        self.seal = Counter()
        self.seal_text = Counter()
        self.mismatches: list[dict] = []

    def miss(self, fid: str, got: Any, want: Any) -> None:
        self.mismatches.append({"field": fid, "got": got, "want": want})

    def text(self, fid: str, got: Any, want: Any, month: bool = False) -> None:
        norm = norm_month if month else norm_text
        ok = norm(got) == norm(want)
        self.fields[ok] += 1
        if not ok:
            self.miss(fid, got, want)

    def group(self, fid: str, got: Any, want: dict) -> None:
        g = got if isinstance(got, dict) else {}
        got_set = {norm_text(t) for t in g.get("ticked") or []}
        ok = got_set == {norm_text(t) for t in want.get("ticked") or []}
        self.groups[ok] += 1
        if not ok:
            self.miss(f"{fid}.ticked", g.get("ticked"), want.get("ticked"))
        for key in sorted(set(want) - {"ticked"}):
            self.text(f"{fid}.{key}", g.get(key), want.get(key))

    def tree(self, prefix: str, got: Any, want: Any) -> None:
        """Every value of `want` under `prefix`: groups, nested dicts, text fields."""
        g = got if isinstance(got, dict) else {}
        for key, w in want.items():
            fid = f"{prefix}.{key}"
            if isinstance(w, dict) and "ticked" in w:
                self.group(fid, g.get(key), w)
            elif isinstance(w, dict):
                self.tree(fid, g.get(key), w)
            else:
                self.text(fid, g.get(key), w, month=fid == "cover.month")

    def members(self, got: list[dict], want: list[dict]) -> dict:
        by_party: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
        for m in got or []:
            if _member_filled(m):
                by_party[m.get("party")][0].append(m)
        for m in want or []:
            if _member_filled(m):
                by_party[m.get("party")][1].append(m)
        rows = Counter()
        for party in sorted(by_party, key=lambda p: (p not in PARTIES, str(p))):
            g_rows, w_rows = by_party[party]
            rows["got"] += len(g_rows)
            rows["want"] += len(w_rows)
            for i, w in enumerate(w_rows):
                g = g_rows[i] if i < len(g_rows) else {}
                for key in MEMBER_KEYS:
                    self.text(f"members.{party}[{i}].{key}", g.get(key), w.get(key))
                _pr(self.sig, bool(g.get("signed")), bool(w.get("signed")))
                if bool(g.get("signed")) != bool(w.get("signed")):
                    self.miss(f"members.{party}[{i}].signed", g.get("signed"), w.get("signed"))
                if not g:
                    rows["missing"] += 1
            for i in range(len(w_rows), len(g_rows)):
                g = g_rows[i]
                rows["extra"] += 1
                _pr(self.sig, bool(g.get("signed")), False)
                self.miss(f"members.{party}[{i}]", {k: g.get(k) for k in MEMBER_KEYS}, None)
        return {k: rows[k] for k in ("got", "want", "missing", "extra")}

    def opinions(self, got: Any, want: dict, cover: dict) -> None:
        got = got if isinstance(got, dict) else {}
        for party, w in want.items():
            g = got.get(party) if isinstance(got.get(party), dict) else {}
            fid = f"opinions.{party}"
            for key in ("text", "date"):
                if key in w:
                    self.text(f"{fid}.{key}", g.get(key), w.get(key))
            for key, counter in (("signed", self.sig), ("sealed", self.seal)):
                if key in w:
                    _pr(counter, bool(g.get(key)), bool(w.get(key)))
                    if bool(g.get(key)) != bool(w.get(key)):
                        self.miss(f"{fid}.{key}", g.get(key), w.get(key))
            if w.get("sealed"):
                unit = norm_text((cover or {}).get(f"{party}_unit"))
                want_text = norm_text(w.get("seal_text"))
                target = unit if unit and unit in want_text else want_text or unit
                got_text = norm_text(g.get("seal_text"))
                ok = bool(target) and bool(got_text) and target in got_text
                self.seal_text[ok] += 1
                if not ok:
                    self.miss(f"{fid}.seal_text", g.get("seal_text"), w.get("seal_text"))


def _ok_total(c: Counter) -> dict[str, int]:
    return {"ok": c[True], "total": c[True] + c[False]}


def _tpfpfn(c: Counter) -> dict[str, int]:
    return {k: c[k] for k in ("tp", "fp", "fn")}


def compare_expected(got: dict, want: dict) -> dict:
    """One exported record (`got`) against its expected record (`want`), as the README says.

    Returns counts (`fields`, `checkbox_groups`, `seal_text`: ok/total; `signature`, `seal`,
    `findings`: tp/fp/fn), `status` (got/want/ok), `members` (rows got/want/missing/extra),
    `mismatches` (field, got, want) and `findings_fp` / `findings_fn` as [code, field].
    """
    c = _Comparison()
    for section in SECTIONS:
        if isinstance(want.get(section), dict):
            c.tree(section, got.get(section), want[section])
    if "content" in want:
        c.text("content", got.get("content"), want.get("content"))
    members = c.members(got.get("members"), want.get("members"))
    c.opinions(got.get("opinions"), want.get("opinions") or {}, want.get("cover") or {})
    got_f, want_f = _finding_keys(got), _finding_keys(want)
    g_status = (got.get("document") or {}).get("status")
    w_status = (want.get("document") or {}).get("status")
    return {
        "fields": _ok_total(c.fields),
        "checkbox_groups": _ok_total(c.groups),
        "signature": _tpfpfn(c.sig),
        "seal": _tpfpfn(c.seal),
        "seal_text": _ok_total(c.seal_text),
        "findings": {"tp": len(got_f & want_f), "fp": len(got_f - want_f),
                     "fn": len(want_f - got_f)},
        "findings_fp": [list(k) for k in sorted(got_f - want_f, key=str)],
        "findings_fn": [list(k) for k in sorted(want_f - got_f, key=str)],
        "status": {"got": g_status, "want": w_status, "ok": g_status == w_status},
        "members": members,
        "mismatches": c.mismatches,
    }


# ---------------------------------------------------------------- evaluating


def _ratio(ok: int, total: int) -> float | None:
    return round(ok / total, 4) if total else None


def _case_fill(name: str) -> str:
    return "handwritten" if name.split("-digital")[0] in HANDWRITTEN else "typed"


def evaluate_examples(root: Path, out: Path) -> dict:
    """Run `process_document` on every case, one after another here; compare; aggregate."""
    from tasksheet.pipeline import process_document

    cases = []
    for name, source, want in example_cases(Path(root)):
        t = time.perf_counter()
        result = process_document(source, out=Path(out))
        seconds = time.perf_counter() - t
        got = result.to_record().export()
        cmp = compare_expected(got, want)
        cases.append({"case": name, "fill": _case_fill(name), "seconds": round(seconds, 1),
                      "pages": {"got": got["document"]["pages"],
                                "want": (want.get("document") or {}).get("pages")},
                      "error": result.error, **cmp,
                      "mismatched_fields": [m["field"] for m in cmp["mismatches"]]})
    return {"totals": _totals(cases), "cases": cases}


def _totals(cases: list[dict]) -> dict:
    sums: dict[str, Counter] = defaultdict(Counter)
    for case in cases:
        for key in ("fields", "checkbox_groups", "seal_text", "signature", "seal", "findings"):
            sums[key].update(case[key])
        sums[f"fields_{case['fill']}"].update(case["fields"])
        sums["status"].update({"ok": int(case["status"]["ok"]), "total": 1})

    def pr(key: str) -> dict:
        c = sums[key]
        return {"precision": _ratio(c["tp"], c["tp"] + c["fp"]),
                "recall": _ratio(c["tp"], c["tp"] + c["fn"]), **_tpfpfn(c)}

    def acc(key: str) -> dict:
        c = sums[key]
        return {"accuracy": _ratio(c["ok"], c["total"]), "ok": c["ok"], "total": c["total"]}

    return {
        "cases": len(cases),
        "fields_exact": acc("fields"),
        "fields_exact_typed": acc("fields_typed"),
        "fields_exact_handwritten": acc("fields_handwritten"),
        "checkbox_groups_exact": acc("checkbox_groups"),
        "signature": pr("signature"),
        "seal": pr("seal"),
        "seal_text_right": acc("seal_text"),
        "findings": pr("findings"),
        "status_right": acc("status"),
        "seconds": round(sum(c["seconds"] for c in cases), 1),
    }


# ---------------------------------------------------------------- printing


def _f(c: dict) -> str:
    return f"{c['tp']}/{c['fp']}/{c['fn']}"


def print_examples(figures: dict, file=sys.stdout) -> None:
    """A compact per-case table, the totals, and each case's finding errors."""
    head = ("case", "fill", "secs", "pages", "status got/want", "fields", "boxes",
            "sig tp/fp/fn", "seal tp/fp/fn", "seal txt", "find tp/fp/fn")
    rows = []
    for c in figures["cases"]:
        st = c["status"]
        rows.append((c["case"], c["fill"][:4], f"{c['seconds']:.1f}",
                     f"{c['pages']['got']}/{c['pages']['want']}",
                     f"{st['got']}/{st['want']}" + ("" if st["ok"] else " ✗"),
                     f"{c['fields']['ok']}/{c['fields']['total']}",
                     f"{c['checkbox_groups']['ok']}/{c['checkbox_groups']['total']}",
                     _f(c["signature"]), _f(c["seal"]),
                     f"{c['seal_text']['ok']}/{c['seal_text']['total']}", _f(c["findings"])))
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)).rstrip(),
              file=file)
    t = figures["totals"]
    print("\ntotals:", file=file)
    for key, v in t.items():
        if isinstance(v, dict) and "accuracy" in v:
            text = f"{v['accuracy']}  ({v['ok']}/{v['total']})"
        elif isinstance(v, dict):
            text = f"P {v['precision']}  R {v['recall']}  (tp/fp/fn {_f(v)})"
        else:
            text = str(v)
        print(f"  {key:<26} {text}", file=file)
    print("\nfinding errors:", file=file)
    for c in figures["cases"]:
        if c["findings_fp"] or c["findings_fn"]:
            fp = ", ".join(f"{code}@{field}" for code, field in c["findings_fp"]) or "-"
            fn = ", ".join(f"{code}@{field}" for code, field in c["findings_fn"]) or "-"
            print(f"  {c['case']}: fp {fp}; fn {fn}", file=file)
        if c.get("error"):
            print(f"  {c['case']}: error {c['error']}", file=file)


def run_examples(root: Path, out: Path, json_path: str | Path | None = None) -> dict:
    """Evaluate, print the table, write the figures as JSON when asked."""
    figures = evaluate_examples(root, out)
    print_examples(figures)
    if json_path:
        Path(json_path).write_text(json.dumps(figures, ensure_ascii=False, indent=2),
                                   encoding="utf-8")
    return figures


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tasksheet.examples",
                                description=__doc__.splitlines()[0])
    p.add_argument("root", help="the examples folder (wp-01 … wp-08)")
    p.add_argument("--out", default="bench-out/examples-out", help="pipeline output folder")
    p.add_argument("--json", help="write the figures as JSON here")
    args = p.parse_args(argv)
    run_examples(Path(args.root), Path(args.out), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
