"""`tasksheet`: a thin command line over the library.

Each subcommand parses its arguments and calls one library function; errors become a
one-line message and an exit code at this edge, nowhere else:

- 0: done, every document `complete` or `incomplete`;
- 1: done, but some document of the scan folder is `failed` (`run`);
- 2: usage or environment error: bad arguments or settings, no scan folder, registry
  unreachable, output folder not writable, disk full (errors of this project, OSError);
- 3: crashed (a bug): the traceback is printed;
- 130: interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path

from tasksheet.schemas.errors import TasksheetError

DEFAULT_OUT = Path("out")
# One document's time at most: far above a slow sheet's (seconds a page, even on a loaded
# machine); over it the document fails and its worker is stopped.
DEFAULT_MAX_SECONDS = 900.0
EXIT_OK, EXIT_FAILED_DOCUMENTS, EXIT_USAGE, EXIT_CRASH, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _registry_default(out: Path) -> str:
    return f"sqlite:///{(out / 'registry.sqlite').resolve()}"


def cmd_schema(args: argparse.Namespace) -> int:
    from tasksheet.schemas.record import record_json_schema

    print(json.dumps(record_json_schema(), ensure_ascii=False, indent=2))
    return 0


def cmd_samples(args: argparse.Namespace) -> int:
    from tasksheet.samplegen import generate

    docs = generate(n=args.n, seed=args.seed, out=Path(args.out), defect_rate=args.defect_rate,
                    office=not args.plain)
    print(f"wrote {len(docs)} documents and their truth to {args.out}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from tasksheet.batch import run_batch
    from tasksheet.ingest.load import Limits

    out = Path(args.out)
    base = Limits.from_env()
    limits = Limits(max_pages=args.max_pages or base.max_pages,
                    max_file_mb=args.max_file_mb or base.max_file_mb,
                    max_pixels=args.max_pixels or base.max_pixels)
    summary = run_batch(Path(args.scan_dir), out=out,
                        registry=args.registry or _registry_default(out),
                        workers=args.workers, cluster=args.cluster,
                        progress=not args.quiet, dpi=args.dpi, limits=limits,
                        retry_failed=args.retry_failed, force=args.force or (),
                        max_seconds=args.max_seconds or None)
    return EXIT_OK if summary.ok else EXIT_FAILED_DOCUMENTS


def cmd_report(args: argparse.Namespace) -> int:
    from tasksheet.reports import build_reports

    out = Path(args.out)
    paths = build_reports(registry=args.registry or _registry_default(out), out=out)
    for p in paths:
        print(p)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from tasksheet.registry.export import export_records

    out = Path(args.out_dir)
    path = export_records(registry=args.registry or _registry_default(out), fmt=args.format,
                          status=args.status, out=Path(args.out) if args.out else None)
    print(path if path else "", end="\n" if path else "")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from tasksheet.review.server import serve

    out = Path(args.out)
    serve(registry=args.registry or _registry_default(out), out=out, host=args.host,
          port=args.port)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    if args.recapture and not args.examples:
        raise TasksheetError("--recapture needs --examples DIR (the examples to capture again)")
    if args.examples and args.recapture:
        from tasksheet.recapture import run_recaptured

        run_recaptured(Path(args.examples), work=Path(args.work) / "recapture", seed=args.seed,
                       workers=args.workers, json_path=args.json)
        return 0
    if args.examples:
        from tasksheet.examples import run_examples

        run_examples(Path(args.examples), out=Path(args.work) / "examples-out",
                     json_path=args.json)
        return 0
    from tasksheet.bench import run_bench

    run_bench(n=args.n, seed=args.seed, workers=args.workers, json_path=args.json,
              work=Path(args.work), cluster=args.cluster,
              set_dir=Path(args.set) if args.set else None)
    return 0


def cmd_debug(args: argparse.Namespace) -> int:
    from tasksheet.debug import debug_overlay

    debug_overlay(Path(args.file), page=args.page, out=Path(args.o))
    print(args.o)
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tasksheet", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("schema", help="print the JSON Schema of the exported record")
    s.set_defaults(func=cmd_schema)

    s = sub.add_parser("samples", help="generate filled, signed, sealed, scanned task sheets with truth")
    s.add_argument("--n", type=int, default=8, help="number of documents")
    s.add_argument("--seed", type=int, default=0, help="random seed (same seed, same documents)")
    s.add_argument("--out", required=True, help="folder to write documents and truth/ into")
    s.add_argument("--defect-rate", type=float, default=0.5, help="share of documents with defects")
    s.add_argument("--plain", action="store_true",
                   help="without an office's habits and scan defects (sets made before 2026-12-07)")
    s.set_defaults(func=cmd_samples)

    s = sub.add_parser("run", help="ingest, extract, check, store and report a scan folder")
    s.add_argument("scan_dir", help="folder of scans (PDF, JPG, PNG, TIFF, BMP)")
    s.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default: out)")
    s.add_argument("--registry", help="database URL (default: sqlite in the output folder)")
    s.add_argument("--workers", type=int, default=0, help="worker processes (default: all cores)")
    s.add_argument("--cluster", help="Dask scheduler address, e.g. tcp://host:8786")
    s.add_argument("--dpi", type=int, default=200, help="rasterisation DPI for scanned PDFs")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.add_argument("--retry-failed", action="store_true",
                   help="process the documents stored as failed again (failures of the machine "
                   "— unwritable folder, full disk, unreadable file — are retried anyway)")
    s.add_argument("--force", action="append", metavar="DOC",
                   help="process this document again whatever is stored: its id (or the "
                   "first 4+ digits of it) or the path of one of its files; repeatable")
    s.add_argument("--max-pages", type=_positive_int, metavar="N",
                   help="pages per document over which it fails (default 50; "
                   "env TASKSHEET_MAX_PAGES)")
    s.add_argument("--max-file-mb", type=_positive_float, metavar="MB",
                   help="file size over which a file is not read (default 500; "
                   "env TASKSHEET_MAX_FILE_MB)")
    s.add_argument("--max-pixels", type=_positive_int, metavar="N",
                   help="pixels per page over which a document fails (default 60000000; "
                   "env TASKSHEET_MAX_PIXELS)")
    s.add_argument("--max-seconds", type=float, metavar="S", default=DEFAULT_MAX_SECONDS,
                   help="seconds one document may take before it fails and its worker is "
                   "stopped (default 900; 0: no limit)")
    s.set_defaults(func=cmd_run)

    s = sub.add_parser("report", help="rebuild the reports from the registry without reprocessing")
    s.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default: out)")
    s.add_argument("--registry", help="database URL (default: sqlite in the output folder)")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("export", help="export records from the registry")
    s.add_argument("--format", choices=["json", "jsonl", "csv", "xlsx"], default="json")
    s.add_argument("--status", choices=["complete", "incomplete", "failed"])
    s.add_argument("--out", help="output file (default: standard output for json/jsonl)")
    s.add_argument("--out-dir", default=str(DEFAULT_OUT), help="where the default registry is")
    s.add_argument("--registry", help="database URL (default: sqlite in --out-dir)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("review", help="a local web page where a person confirms or corrects "
                       "readings, dismisses findings and returns or accepts sheets")
    s.add_argument("--out", default=str(DEFAULT_OUT),
                   help="output folder with the page images (default: out)")
    s.add_argument("--registry", help="database URL (default: sqlite in the output folder)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default "
                   "127.0.0.1; another needs a token in TASKSHEET_REVIEW_TOKEN)")
    s.add_argument("--port", type=_positive_int, default=8765, help="port (default 8765)")
    s.set_defaults(func=cmd_review)

    s = sub.add_parser("bench", help="accuracy and speed on a generated set, with a baseline")
    s.add_argument("--n", type=int, default=100)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--workers", type=int, default=2, help="processes for the accuracy run")
    s.add_argument("--json", help="write the figures as JSON here")
    s.add_argument("--work", default="bench-out", help="folder for the generated set and outputs")
    s.add_argument("--cluster", action="store_true", help="also time a 2-worker Dask LocalCluster")
    s.add_argument("--set", help="score an existing generated set (e.g. samples/) instead")
    s.add_argument("--examples", help="score only the example sheets in this folder "
                   "(wp-01 … wp-08, each with expected.json)")
    s.add_argument("--recapture", action="store_true",
                   help="with --examples: capture each example again in every capture (colour "
                   "and grey scan, 1-bit TIFF, phone photo) with the sample generator's "
                   "simulators (seed --seed), score each against its expected record; the "
                   "documents are kept under WORK/recapture/docs")
    s.set_defaults(func=cmd_bench)

    s = sub.add_parser("debug", help="draw what extraction saw on one page")
    s.add_argument("file", help="a scan (PDF or image)")
    s.add_argument("--page", type=int, default=1, help="1-based page number")
    s.add_argument("-o", default="overlay.png", help="output PNG")
    s.set_defaults(func=cmd_debug)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # a usage error exits 2 here (argparse)
    try:
        return args.func(args)
    except TasksheetError as exc:
        print(f"tasksheet: error: {_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # the machine: a folder not writable, a full disk, …
        print(f"tasksheet: error: {_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("tasksheet: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        print(f"tasksheet: crashed ({type(exc).__name__}: {_line(exc)}); this is a bug, "
              "please report it with the traceback above", file=sys.stderr)
        return EXIT_CRASH


def _line(exc: BaseException) -> str:
    """The error as one printable line (a file name in it may hold control characters)."""
    from tasksheet.ingest.hashing import printable

    return printable(" ".join(str(exc).split())) or type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
