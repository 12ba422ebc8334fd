"""Record ingest's decisions for every page of some scan folders, and compare two records.

A change meant to make ingest cheaper must not change what it decides. This runs
`ingest_document` on every document of the folders given and writes, per page: capture,
quarter turn and 180° turn (`rotation`), skew, the crop (output size and the page → scan
matrix), text height, the lines read during ingest, the form page, and a digest of the
normalised image (same digest: the same pixels every later stage reads).

    python tests/ingest/record_decisions.py record OUT.json DIR [DIR ...]
    python tests/ingest/record_decisions.py compare BEFORE.json AFTER.json

Not a test module (no `test_` prefix): a tool run by hand around such a change.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any


def page_record(page: Any) -> dict[str, Any]:
    """What ingest decided for one page, in JSON terms."""
    return {
        "capture": page.capture,
        "rotation": page.rotation,
        "skew": float(page.skew),
        "size": [int(page.image.shape[1]), int(page.image.shape[0])],
        "matrix": [[round(float(v), 4) for v in row] for row in page.matrix],
        "text_height": round(float(page.text_height), 3),
        "form_page": page.form_page,
        "classify_score": round(float(page.classify_score), 4),
        "lines": [[list(map(int, line.bbox)), line.text, round(float(line.score), 4)]
                  for line in page.ocr_lines],
        "digest": hashlib.md5(page.image.tobytes()).hexdigest(),
    }


def record(out: Path, folders: list[Path]) -> None:
    """Ingest every document of `folders`; write the records to `out`."""
    from tasksheet.extract.ocr import get_engine
    from tasksheet.ingest import discover, ingest_document
    from tasksheet.schemas.errors import DocumentError
    from tasksheet.schemas.template import load_template

    template, engine = load_template(), get_engine()
    records: dict[str, Any] = {}
    for folder in folders:
        for src in discover(folder):
            key = f"{folder.name}/{src.sources[0]}"
            if src.sources[0].endswith((".json", ".md")):  # an example's expected record
                continue
            try:
                doc = ingest_document(src, template, engine)
            except DocumentError as exc:
                records[key] = {"error": str(exc)}
                continue
            records[key] = {"order": doc.scanned_order, "missing": doc.missing,
                            "pages": {str(p.index): page_record(p) for p in doc.pages}}
            print(key, len(doc.pages), flush=True)
    out.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")


def compare(before: Path, after: Path) -> int:
    """Print every field that differs; return how many pages differ."""
    a = json.loads(before.read_text(encoding="utf-8"))
    b = json.loads(after.read_text(encoding="utf-8"))
    differ = 0
    for key in sorted(set(a) | set(b)):
        da, db = a.get(key), b.get(key)
        if da is None or db is None or "error" in da or "error" in db:
            if da != db:
                print(f"{key}: {da and da.get('error')!r} -> {db and db.get('error')!r}")
                differ += 1
            continue
        for field in ("order", "missing"):
            if da[field] != db[field]:
                print(f"{key}: {field} {da[field]} -> {db[field]}")
        for n in sorted(set(da["pages"]) | set(db["pages"]), key=int):
            pa, pb = da["pages"].get(n, {}), db["pages"].get(n, {})
            changed = [f for f in sorted(set(pa) | set(pb)) if pa.get(f) != pb.get(f)]
            if changed:
                differ += 1
                for f in changed:
                    va, vb = pa.get(f), pb.get(f)
                    if f == "lines":
                        va = [t for _, t, _ in va or []]
                        vb = [t for _, t, _ in vb or []]
                    print(f"{key} p{n} {f}: {va} -> {vb}")
    print(f"{len(set(a) | set(b))} documents, {differ} page(s) differ")
    return differ


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "record":
        record(Path(argv[1]), [Path(p) for p in argv[2:]])
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return 1 if compare(Path(argv[1]), Path(argv[2])) else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
