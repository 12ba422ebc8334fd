"""The benchmark: accuracy against generated truth, and speed against a plain baseline.

`tasksheet bench --n N --seed S` generates a set with the sample generator, runs the whole
pipeline on it, compares every record with its truth, and in the same run times the
baseline a user would reach for without us: generic full-page OCR (rapidocr's default
detection + recognition with the same PP-OCR models) on the same pages. Both are timed in
one process with the same threads (`bench_threads`: the recogniser's and OpenCV's, one each
unless `TASKSHEET_OCR_THREADS` / `TASKSHEET_CV_THREADS` say otherwise), each in wall and in
CPU seconds a page: `speedup` is our pages/s over the baseline's, `cpu_speedup` the
baseline's CPU seconds a page over ours (steadier on a machine others load), and the load
average before and after the timing says how loaded the machine was.

A generated set mixes two layouts (the truth's `layout`): `paged`, every section on a page
of its own, and `flowing`, sections running on mid-page as a word processor lays them out.
Every figure is also given per layout, under `by_layout`.

It mixes five captures too (the truth's `capture`): `colour_scan`, `grey_scan`, `bitonal`
(a 1-bit archive scan, G4 TIFF), `photo` (phone photos) and `born_digital`. Every figure is
also given per capture, under `by_capture`.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from tasksheet.checks.copies import result_copy_findings
from tasksheet.checks.rules import document_status
from tasksheet.examples import norm_month
from tasksheet.extract.page_text import similarity
from tasksheet.schemas.template import Template, load_template

MEMBER_KEYS = ("name", "unit", "title", "role")
CAPTURE_ORDER = ("colour_scan", "grey_scan", "bitonal", "photo", "born_digital")


def _get(tree: dict, path: str) -> Any:
    node: Any = tree
    for key in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


class Scores:
    """Counts accumulated over documents, turned into the figures at the end."""

    def __init__(self) -> None:
        self.fields = Counter()  # (kind, ok) counts: kind = typed/handwritten
        self.by_type: dict[str, Counter] = defaultdict(Counter)
        self.misses: Counter = Counter()
        self.checkbox = Counter()
        self.sig = Counter()
        self.seal = Counter()
        self.seal_text = Counter()
        # seal text by whether the seal's unit is among the units the pipeline knew for the
        # sheet (`seal_candidates`): verified against a candidate, or read free
        self.seal_text_by_unit: dict[str, Counter] = defaultdict(Counter)
        self.find = Counter()
        self.by_code: dict[str, Counter] = defaultdict(Counter)
        self.status = Counter()
        self.clean = Counter()  # defect-free documents: (has an error finding) counts
        self.errors: list[dict] = []  # per document, the findings that did not match truth
        self.pages = 0
        self.documents = 0
        self.by_layout: dict[str, Scores] = {}  # the same counts per layout (top level only)
        self.by_capture: dict[str, Scores] = {}  # and per capture (top level only)

    def layout(self, name: str) -> Scores:
        """The scores of one layout's documents (created on first use)."""
        return self.by_layout.setdefault(name, Scores())

    def capture(self, name: str) -> Scores:
        """The scores of one capture's documents (created on first use)."""
        return self.by_capture.setdefault(name, Scores())

    def field(self, fill: str, ftype: str, fid: str, ok: bool) -> None:
        self.fields[(fill, ok)] += 1
        self.by_type[ftype][ok] += 1
        if not ok:
            self.misses[fid] += 1

    @staticmethod
    def _pr(c: Counter, prefix: str) -> dict[str, float | None]:
        return {f"{prefix}_precision": _ratio(c["tp"], c["tp"] + c["fp"]),
                f"{prefix}_recall": _ratio(c["tp"], c["tp"] + c["fn"])}

    def figures(self) -> dict[str, Any]:
        def acc(kinds: tuple[str, ...]) -> float | None:
            ok = sum(self.fields[(k, True)] for k in kinds)
            return _ratio(ok, ok + sum(self.fields[(k, False)] for k in kinds))

        out: dict[str, Any] = {
            "field_accuracy": acc(("typed", "handwritten")),
            "field_accuracy_typed": acc(("typed",)),
            "field_accuracy_handwritten": acc(("handwritten",)),
            "checkbox_accuracy": _ratio(self.checkbox[True], sum(self.checkbox.values())),
            **self._pr(self.sig, "signature"),
            **self._pr(self.seal, "seal"),
            "seal_text_accuracy": _ratio(self.seal_text[True], sum(self.seal_text.values())),
            **{f"seal_text_accuracy_{k}_unit": _ratio(self.seal_text_by_unit[k][True],
                                                      sum(self.seal_text_by_unit[k].values()))
               for k in ("known", "unknown")},
            **{f"seal_text_seals_{k}_unit": sum(self.seal_text_by_unit[k].values())
               for k in ("known", "unknown")},
            **self._pr(self.find, "finding"),
            "status_accuracy": _ratio(self.status[True], sum(self.status.values())),
            "clean_documents_without_error": _ratio(self.clean[False], sum(self.clean.values())),
            "field_accuracy_by_type": {t: _ratio(c[True], c[True] + c[False])
                                       for t, c in sorted(self.by_type.items())},
            "findings_by_code": {code: {**self._pr(c, "x"), "truth": c["tp"] + c["fn"]}
                                 for code, c in sorted(self.by_code.items())},
            "worst_fields": dict(self.misses.most_common(12)),
        }
        for v in out["findings_by_code"].values():
            v["precision"], v["recall"] = v.pop("x_precision"), v.pop("x_recall")
        if self.by_layout:
            out["by_layout"] = {name: {"documents": sub.documents, "pages": sub.pages,
                                       **sub.figures()}
                                for name, sub in sorted(self.by_layout.items(),
                                                        key=lambda kv: (kv[0] != "paged", kv[0]))}
        if self.by_capture:
            out["by_capture"] = {name: {"documents": sub.documents, "pages": sub.pages,
                                        **sub.figures()}
                                 for name, sub in sorted(self.by_capture.items(),
                                                         key=lambda kv: _capture_rank(kv[0]))}
        return out


def layout_of(truth: dict | None) -> str:
    """The truth's layout; sets generated before layouts were mixed are all paged."""
    return (truth or {}).get("layout", "paged")


def capture_of(truth: dict | None) -> str:
    """The truth's capture; a set generated before captures were mixed holds flatbed scans
    (colour or grey) and born-digital PDFs (`samplegen.capture.capture_of`, which this
    repeats so that scoring a set does not need the generator's dependencies)."""
    truth = truth or {}
    if truth.get("capture"):
        return str(truth["capture"])
    if truth.get("format") == "digital_pdf":
        return "born_digital"
    return "grey_scan" if truth.get("grayscale") else "colour_scan"


def _capture_rank(name: str) -> tuple[int, str]:
    return (CAPTURE_ORDER.index(name) if name in CAPTURE_ORDER else len(CAPTURE_ORDER), name)


def compare(got: dict, truth: dict, template: Template, scores: Scores) -> None:
    """Add one document's record (`got`, exported) against its truth file to `scores`,
    and to the scores of its layout (`scores.layout(...)`) and capture (`scores.capture`)."""
    _compare(got, truth, template, scores)
    _compare(got, truth, template, scores.layout(layout_of(truth)))
    _compare(got, truth, template, scores.capture(capture_of(truth)))


def _compare(got: dict, truth: dict, template: Template, scores: Scores) -> None:
    want = truth["record"]
    fill = truth.get("fill", "typed")
    wrong: list[list] = []  # [field, got, want] of the fields read wrong, for the JSON

    def field(ftype: str, fid: str, ok: bool, g: Any = None, w: Any = None,
              where: str | None = None) -> None:
        scores.field(fill, ftype, fid, ok)
        if not ok:
            wrong.append([where or fid, g, w])

    scores.documents += 1
    scores.pages += got["document"]["pages"]
    scores.status[got["document"]["status"] == want["document"]["status"]] += 1
    if got["document"]["status"] == "failed" and want["document"]["status"] != "failed":
        pass  # every field below then counts as missed
    present = set(truth.get("pages", []))
    for f in template.fields():
        if f.page not in present:
            continue
        if f.type == "checkbox_group":
            g, w = _get(got, f.id) or {}, _get(want, f.id) or {}
            ok = sorted(g.get("ticked", [])) == sorted(w.get("ticked", []))
            scores.checkbox[ok] += 1
            for opt in f.options:
                if opt.attach and opt.label in w.get("ticked", []):
                    field(opt.attach, f"{f.id}.{opt.attach}",
                          g.get(opt.attach) == w.get(opt.attach), g.get(opt.attach),
                          w.get(opt.attach))
            if not ok:
                wrong.append([f.id, g.get("ticked", []), w.get("ticked", [])])
        elif f.type == "signature":
            _pr(scores.sig, bool(_get(got, f.id)), bool(_get(want, f.id)))
        elif f.type == "seal":
            _pr(scores.seal, bool(_get(got, f.id)), bool(_get(want, f.id)))
        elif f.type == "seal_text":
            if _get(want, f.id) and _get(got, f.id.replace("seal_text", "sealed")):
                ok = similarity(_get(got, f.id) or "", _get(want, f.id)) >= 0.8
                scores.seal_text[ok] += 1
                known = str(_get(want, f.id)).strip() in seal_candidates(got, template)
                scores.seal_text_by_unit["known" if known else "unknown"][ok] += 1
        elif f.type == "month":  # written 五 or 5: the same month
            g, w = _get(got, f.id), _get(want, f.id)
            field(f.type, f.id, g == w or (g is not None and w is not None
                                           and norm_month(g) == norm_month(w)), g, w)
        else:
            g, w = _get(got, f.id), _get(want, f.id)
            field(f.type, f.id, g == w, g, w)
    got_members = defaultdict(list)
    for m in got.get("members", []):
        got_members[m["party"]].append(m)
    counters = Counter()
    for m in want.get("members", []):
        i = counters[m["party"]]
        counters[m["party"]] += 1
        g = got_members[m["party"]][i] if i < len(got_members[m["party"]]) else {}
        for key in MEMBER_KEYS:
            field("member", f"members.{key}", g.get(key) == m.get(key), g.get(key),
                  m.get(key), f"members.{m['party']}.{i}.{key}")
        _pr(scores.sig, bool(g.get("signed")), bool(m.get("signed")))
    want_f = {(f["code"], f["field"]) for f in truth["findings"]}
    got_f = {(f["code"], f["field"]) for f in got.get("findings", []) if f["code"] != "low_confidence"}
    for item in want_f | got_f:
        kind = "tp" if item in want_f and item in got_f else ("fn" if item in want_f else "fp")
        scores.find[kind] += 1
        scores.by_code[item[0]][kind] += 1
    if not truth["findings"]:
        scores.clean[any(f["severity"] == "error" for f in got.get("findings", []))] += 1
    if want_f != got_f or wrong:
        scores.errors.append({"document": truth.get("name"), "layout": layout_of(truth),
                              "capture": capture_of(truth),
                              "fp": sorted(got_f - want_f), "fn": sorted(want_f - got_f),
                              "fields": wrong})


def seal_candidates(record: dict, template: Template) -> list[str]:
    """The units the pipeline verifies a seal against, from its own record: each party's
    unit as printed on the form, else as it read the cover (`readers.opinions`, which does
    the same on the result). A seal of a unit outside them (another unit's, or the cover
    misread) can only be read free: its figure is apart from the verified ones."""
    names = []
    for party in template.parties:
        value = template.field(party.unit_field).preprinted or _get(record, party.unit_field)
        if isinstance(value, str) and len(value.strip()) >= 2 and value != template.dash:
            names.append(value.strip())
    return names


def _pr(c: Counter, got: bool, want: bool) -> None:
    c["tp" if got and want else "fp" if got else "fn" if want else "tn"] += 1


def bench_threads() -> dict[str, int]:
    """The threads both sides are timed with: our recogniser's (`TASKSHEET_OCR_THREADS`,
    else `extract.ocr.DEFAULT_REC_THREADS`) and OpenCV's (`pipeline.cv_threads`). The
    baseline gets the same: with rapidocr's default (a thread per core) its CPU seconds
    held its threads' hand-overs and its wall time a second core, ours neither, and no
    ratio compared like with like (#20)."""
    from tasksheet.extract.ocr import DEFAULT_REC_THREADS
    from tasksheet.pipeline import cv_threads

    rec = int(os.environ.get("TASKSHEET_OCR_THREADS", "0") or 0) or DEFAULT_REC_THREADS
    return {"recogniser": rec, "opencv": cv_threads()}


def baseline_engine(threads: int):  # noqa: ANN201 - extract.ocr.RapidOcrEngine
    """The baseline's engine: rapidocr's own det + rec pipeline on `threads` intra-op
    threads, apart from the process's engine (whose recogniser the pipeline uses)."""
    from tasksheet.extract.ocr import RapidOcrEngine

    return RapidOcrEngine(threads=threads)


def time_baseline(sources, dpi: int, per_source: list | None = None,
                  cpu: list | None = None, threads: dict[str, int] | None = None
                  ) -> tuple[int, float]:
    """Generic full-page OCR on every page: the plain baseline. Returns (pages, seconds);
    `per_source`, if given, gets (pages, seconds, CPU seconds) of each source in turn;
    `cpu`, if given, gets the CPU seconds of this process for each page (steadier on a
    loaded machine). `threads` (`bench_threads()` by default): rapidocr's and OpenCV's, as
    ours run."""
    import cv2

    from tasksheet.ingest.load import load_pages
    from tasksheet.schemas.errors import DocumentError

    threads = threads or bench_threads()
    engine = baseline_engine(threads["recogniser"])
    old_cv = cv2.getNumThreads()
    cv2.setNumThreads(threads["opencv"])
    pages, seconds, cpu_seconds = 0, 0.0, 0.0
    try:
        for src in sources:
            p0, s0, c0 = pages, seconds, cpu_seconds
            try:
                for raw in load_pages(src, dpi=dpi):
                    t, c = time.perf_counter(), time.process_time()
                    engine.read_page(raw.image)
                    seconds += time.perf_counter() - t
                    took_cpu = time.process_time() - c
                    cpu_seconds += took_cpu
                    if cpu is not None:
                        cpu.append(took_cpu)
                    pages += 1
            except DocumentError:
                pass
            if per_source is not None:
                per_source.append((pages - p0, seconds - s0, cpu_seconds - c0))
    finally:
        cv2.setNumThreads(old_cv)
    return pages, seconds


def speed_figures(pages: int, seconds: float, cpu: list[float], base_pages: int,
                  base_seconds: float, base_cpu: list[float], threads: dict[str, int]
                  ) -> dict[str, Any]:
    """Ours and the baseline's speed side by side: pages/s and seconds a page by the wall
    clock, CPU seconds a page, both ratios, and the threads each side ran with (the same).

    >>> f = speed_figures(10, 5.0, [4.0], 10, 20.0, [18.0], {"recogniser": 1, "opencv": 1})
    >>> f["seconds_per_page"], f["baseline_seconds_per_page"], f["speedup"]
    (0.5, 2.0, 4.0)
    >>> f["cpu_seconds_per_page"], f["baseline_cpu_seconds_per_page"], f["cpu_speedup"]
    (0.4, 1.8, 4.5)
    >>> f["threads"], f["baseline_threads"]
    ('recogniser 1, opencv 1', 'recogniser 1, opencv 1')
    """
    pps = pages / seconds if seconds else 0.0
    bpps = base_pages / base_seconds if base_seconds else 0.0
    ours_cpu = sum(cpu) / pages if pages else None
    base_cpu_pp = sum(base_cpu) / base_pages if base_pages else None
    said = ", ".join(f"{k} {v}" for k, v in threads.items())
    return {
        "timed_pages": pages, "pages_per_second": round(pps, 3),
        "seconds_per_page": round(seconds / pages, 3) if pages else None,
        "baseline_pages": base_pages, "baseline_pages_per_second": round(bpps, 3),
        "baseline_seconds_per_page": round(base_seconds / base_pages, 3) if base_pages else None,
        "speedup": round(pps / bpps, 2) if bpps else None,
        "cpu_seconds_per_page": round(ours_cpu, 3) if ours_cpu is not None else None,
        "baseline_cpu_seconds_per_page":
            round(base_cpu_pp, 3) if base_cpu_pp is not None else None,
        "cpu_speedup": round(base_cpu_pp / ours_cpu, 2) if ours_cpu and base_cpu_pp else None,
        "threads": said, "baseline_threads": said,
    }


def _load_average() -> float | None:
    """The machine's one-minute load average (None where the system gives none)."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _peak_rss_mb() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(me, kids) / 1024, 1)


def load_truths(set_dir: Path) -> dict[tuple[str, ...], dict]:
    """Truth files of a generated set, keyed by their sources in page order."""
    truths = {}
    for path in sorted((set_dir / "truth").glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        truths[tuple(truth["sources"])] = truth
    return truths


def in_source_order(results, sources: list) -> list:
    """Results (as a pool completes them) in the order of their sources: the copy check
    groups a project's sheets greedily in the order it is given them, so a set's figures
    must not follow which worker finished first (the pool takes the longest first).

    >>> from types import SimpleNamespace as N
    >>> [r.id for r in in_source_order([N(id="b"), N(id="c"), N(id="a")],
    ...                                [N(id="a"), N(id="b"), N(id="c")])]
    ['a', 'b', 'c']
    """
    rank = {s.id: i for i, s in enumerate(sources)}
    return sorted(results, key=lambda r: rank.get(r.id, len(rank)))


def evaluate_set(set_dir: Path, out: Path, dpi: int = 200, workers: int = 2) -> tuple[Scores, list]:
    """Run the pipeline on every document of `set_dir` (a process pool) and score it."""
    from tasksheet.ingest.discover import discover
    from tasksheet.pipeline import process_document
    from tasksheet.workers import local_results

    template = load_template()
    truths = load_truths(set_dir)
    sources = discover(set_dir)
    scores = Scores()
    results = in_source_order(local_results(sources, process_document, out, dpi, workers,
                                            template.id), sources)
    copies = result_copy_findings(results, template)
    for result in results:  # the batch-level check, as `tasksheet run` applies it
        result.findings += copies.get(result.id, [])
        result.status = document_status(result)
        truth = truths.get(tuple(result.sources))
        if truth is not None:
            compare(result.to_record().export(), truth, template, scores)
    return scores, sources


def time_pipeline(sources, out: Path, dpi: int, per_source: list | None = None,
                  cpu: list | None = None, profile=None) -> tuple[int, float]:
    """Our pipeline, one document after another in this process. Returns (pages, seconds);
    `per_source`, if given, gets (pages, seconds, CPU seconds) of each source in turn; `cpu`
    the CPU seconds of each; `profile` (a `tasksheet.profile.Profile`) where the time went."""
    from contextlib import nullcontext

    from tasksheet.pipeline import process_document
    from tasksheet.profile import profiled

    pages, seconds = 0, 0.0
    with profiled(prof=profile) if profile is not None else nullcontext():
        for src in sources:
            t, c = time.perf_counter(), time.process_time()
            result = process_document(src, out=out, dpi=dpi)
            took = time.perf_counter() - t
            took_cpu = time.process_time() - c
            if cpu is not None:
                cpu.append(took_cpu)
            seconds += took
            pages += len(result.pages)
            if profile is not None:
                profile.pages += len(result.pages)
                profile.documents += 1
            if per_source is not None:
                per_source.append((len(result.pages), took, took_cpu))
    return pages, seconds


def speed_by_layout(layouts: list[str], ours: list, base: list) -> dict[str, dict[str, Any]]:
    """The speed figures of the timed documents, per layout (`layouts[i]` of source i); per
    capture too, given each source's capture instead. `ours` and `base` hold (pages, wall
    seconds[, CPU seconds]) per source: with CPU seconds, their figures are given too.

    >>> speed_by_layout(["paged", "flowing"], [(2, 1.0, 0.8), (4, 4.0, 3.2)],
    ...                 [(2, 4.0, 4.0), (4, 8.0, 8.0)])["paged"]["cpu_speedup"]
    5.0
    """
    out: dict[str, dict[str, Any]] = {}
    for name in sorted(set(layouts)):
        idx = [i for i, lay in enumerate(layouts) if lay == name]
        pages, seconds = sum(ours[i][0] for i in idx), sum(ours[i][1] for i in idx)
        bpages, bseconds = sum(base[i][0] for i in idx), sum(base[i][1] for i in idx)
        pps = pages / seconds if seconds else 0.0
        bpps = bpages / bseconds if bseconds else 0.0
        out[name] = {"timed_documents": len(idx), "timed_pages": pages,
                     "pages_per_second": round(pps, 3), "baseline_pages": bpages,
                     "baseline_pages_per_second": round(bpps, 3),
                     "speedup": round(pps / bpps, 2) if bpps else None}
        if all(len(ours[i]) > 2 and len(base[i]) > 2 for i in idx) and pages and bpages:
            cpu = sum(ours[i][2] for i in idx) / pages
            bcpu = sum(base[i][2] for i in idx) / bpages
            out[name].update({"cpu_seconds_per_page": round(cpu, 3),
                              "baseline_cpu_seconds_per_page": round(bcpu, 3),
                              "cpu_speedup": round(bcpu / cpu, 2) if cpu else None})
    return out


def run_bench(n: int, seed: int, workers: int = 2, json_path: str | None = None,
              work: Path = Path("bench-out"), cluster: bool = False, dpi: int = 200,
              set_dir: Path | None = None, timed: int = 8) -> dict:
    """Generate (or reuse `set_dir`), process, compare and time; print a table.

    Accuracy covers every document (processed by `workers` processes). Speed is timed on
    the first `timed` documents, ours and the baseline's on the same pages, each in one
    process: the baseline reads about 3 s per page, and timing it on all pages of a large
    set would take longer than the rest of the benchmark together.
    """
    from tasksheet.samplegen import generate

    gen_seconds = 0.0
    if set_dir is None:
        set_dir = work / f"set-n{n}-s{seed}"
        if (set_dir / "truth").is_dir():  # our own earlier set: its page files may be stale
            shutil.rmtree(set_dir)
        t = time.perf_counter()
        generate(n=n, seed=seed, out=set_dir, workers=workers)
        gen_seconds = time.perf_counter() - t
    t = time.perf_counter()
    scores, sources = evaluate_set(set_dir, work / "out", dpi, workers)
    eval_seconds = time.perf_counter() - t
    subset = sources[:timed]
    ours: list = []
    base: list = []
    # TASKSHEET_PROFILE=1: where our time goes, per stage and per OCR call (tasksheet.profile)
    prof = None
    if os.environ.get("TASKSHEET_PROFILE", "") not in ("", "0"):
        from tasksheet.profile import Profile

        prof = Profile()
    ours_cpu: list[float] = []
    base_cpu: list[float] = []
    threads = bench_threads()
    load_before = _load_average()
    pages, seconds = time_pipeline(subset, work / "timed", dpi, ours, ours_cpu, prof)
    base_pages, base_seconds = time_baseline(subset, dpi, base, base_cpu, threads)
    load_after = _load_average()
    truths = load_truths(set_dir)
    layouts = [layout_of(truths.get(tuple(src.sources))) for src in subset]
    captures = [capture_of(truths.get(tuple(src.sources))) for src in subset]
    figures = scores.figures()
    figures.update({
        "documents": len(sources), "pages": scores.pages,
        "batch_seconds": round(eval_seconds, 1), "batch_workers": workers,
        "batch_pages_per_second": round(scores.pages / eval_seconds, 3) if eval_seconds else None,
        "timed_documents": len(subset),
        # wall and CPU seconds a page, ours and the baseline's, on the same threads: on a
        # machine others load, the wall clock's ratio wanders with them, the CPU one less
        **speed_figures(pages, seconds, ours_cpu, base_pages, base_seconds, base_cpu, threads),
        "load_average_before": load_before, "load_average_after": load_after,
        "peak_rss_mb": _peak_rss_mb(),
        "generate_seconds": round(gen_seconds, 1), "set": str(set_dir), "dpi": dpi,
        "cpu_count": os.cpu_count(), "finding_errors": scores.errors,
        "peak_rss_mb_worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                                    / 1024, 1),
    })
    if prof is not None:
        figures["profile"] = prof.to_dict()
    for name, speed in speed_by_layout(layouts, ours, base).items():
        figures.setdefault("by_layout", {}).setdefault(name, {}).update(speed)
    for name, speed in speed_by_layout(captures, ours, base).items():
        figures.setdefault("by_capture", {}).setdefault(name, {}).update(speed)
    if cluster:
        from tasksheet.cluster import time_cluster

        figures.update(time_cluster(sources[: max(timed, 2 * workers)], work=work, workers=2))
    _print_table(figures)
    if prof is not None:
        print(f"\nprofile of the timed documents ({prof.pages} pages):\n{prof.table()}")
    if json_path:
        Path(json_path).write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return figures


def _print_table(fig: dict, file=sys.stdout) -> None:
    rows = [(k, v) for k, v in fig.items() if not isinstance(v, (dict, list))]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}", file=file)
    for k in ("field_accuracy_by_type", "findings_by_code", "worst_fields"):
        print(f"\n{k}:", file=file)
        for name, v in fig[k].items():
            print(f"  {name:<36} {v}", file=file)
    if fig.get("by_layout"):
        _print_layouts(fig, file)
    if fig.get("by_capture"):
        _print_layouts(fig, file, key="by_capture")


def _cell(v: Any) -> str:
    if isinstance(v, dict):  # a finding code's precision / recall / truth count
        return "/".join("-" if v.get(k) is None else str(v.get(k))
                        for k in ("precision", "recall", "truth"))
    return "-" if v is None else str(v)


def _print_layouts(fig: dict, file=sys.stdout, key: str = "by_layout") -> None:
    """Every figure of `by_layout` (or `by_capture`, with `key`) beside the overall one: a
    column per layout (capture)."""
    layouts = fig[key]
    names = ["overall", *layouts]
    cols = {"overall": fig, **layouts}
    keys = [k for k, v in fig.items() if not isinstance(v, (dict, list))
            and any(k in c for c in layouts.values())]
    width = max(36, *(len(k) for k in keys))
    title = key.replace("_", " ")
    print(f"\n{title}:\n  {'':<{width}} " + " ".join(f"{n:>14}" for n in names), file=file)
    for k in keys:
        print(f"  {k:<{width}} " + " ".join(f"{_cell(cols[n].get(k)):>14}" for n in names),
              file=file)
    for k, label in (("field_accuracy_by_type", "field_accuracy_by_type"),
                     ("findings_by_code", "findings_by_code (precision/recall/truth)")):
        rows = sorted({r for c in cols.values() for r in c.get(k, {})})
        print(f"\n  {label}:", file=file)
        for r in rows:
            print(f"    {r:<{width - 2}} "
                  + " ".join(f"{_cell(cols[n].get(k, {}).get(r)):>14}" for n in names), file=file)
    for n in layouts:
        worst = layouts[n].get("worst_fields") or {}
        print(f"\n  worst_fields ({n}): " + ", ".join(f"{f} {c}" for f, c in worst.items()),
              file=file)
