"""OCR engines behind one contract, chosen by name from a registry.

The default engine runs PaddleOCR's PP-OCR models through `rapidocr` (ONNX models inside
the wheel, onnxruntime on the CPU): nothing is downloaded at run time. Our own recogniser
can run the same ONNX file on OpenVINO instead (`TASKSHEET_OCR_RUNTIME=openvino`, the
`openvino` extra). `paddleocr` is an optional engine (it downloads its models on first use).

Two entry points, so callers pay only for what they need:
- `recognize(crops)`: recognition only, batched, for crops that hold one line of text
  (table cells, labels). No detection: this is where the pipeline's speed comes from.
  `recognize_chars(crops)` is the same with where each character sits along the line
  (from the recogniser's CTC columns), for finding a printed label inside a line.
- `read_page(image)`: detection + recognition, for free text and the baseline.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np
import onnxruntime as ort
from tasksheet.schemas.errors import TasksheetError


@dataclass(frozen=True)
class TextLine:
    """A line of text found on an image: its box (x0, y0, x1, y1), text and score."""

    bbox: tuple[int, int, int, int]
    text: str
    score: float


DEFAULT_MODEL = "float"

# (text, score, [(char, x centre in crop pixels)]): spaces are not among the characters.
CharLine = tuple[str, float, list[tuple[str, float]]]


class OcrEngine(Protocol):
    """What every engine does. Images are uint8 arrays, grey (H, W) or BGR (H, W, 3)."""

    name: str

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """Read each single-line crop; one (text, score) per crop, in order."""
        ...

    def recognize_chars(self, crops: list[np.ndarray]) -> list[CharLine]:
        """`recognize`, with each character's x centre in its crop."""
        ...

    def read_page(self, image: np.ndarray) -> list[TextLine]:
        """Detect text lines on a whole image and read them."""
        ...

    def score(self, crops: list[np.ndarray], expected: list[str]) -> list[float]:
        """How surely each crop says its expected text, 0..1 (candidate dates, labels)."""
        ...

    def recognize_columns(self, strips: list[np.ndarray]
                          ) -> list[tuple[np.ndarray, list[str]]] | None:
        """Each strip's class probabilities per CTC column and the classes' characters, or
        None where the engine does not expose them (a seal is then read free)."""
        ...


def even_chars(text: str, width: int) -> list[tuple[str, float]]:
    """Character centres spread evenly over a line: for engines that give no positions."""
    chars = [c for c in text if not c.isspace()]
    step = width / max(1, len(chars))
    return [(c, (i + 0.5) * step) for i, c in enumerate(chars)]


def _bgr(img: np.ndarray) -> np.ndarray:
    if img.ndim == 2:
        return np.repeat(img[:, :, None], 3, axis=2)
    return img


# The recogniser's input: crops scaled to this height, padded to the widest of their batch.
REC_HEIGHT = 48
# PP-OCR pads every input to 320 px at least (a four-character label costs what a long line
# costs). Padded only to its batch's widest, a crop costs its own width, but short crops
# read otherwise: on samples/ doc-0007 a date under a grey seal came out empty (a false
# missing_date). The recogniser was trained on 320 px inputs: kept. 240 px (#20, traced
# crop by crop on samples/, 1 thread): 13 % fewer input columns, 13 % less recogniser CPU
# (25.0 vs 28.9 s for 61 pages), but the two readings that broke samples/ doc-0007 are not
# of empty blanks (read_fills already sends none): the empty date row's first box holds a
# speck beside the printed 年 (`$年`, 0.85 at 320, 0.60 at 240: low_confidence for
# missing_date), and the empty amount's line `□有，____万元` read with its characters placed
# otherwise, so its blank was not found and `万` was taken for the amount. 55 of 1,501
# distinct crops read other texts, most of them short ('无' as '☑无' at 0.78).
REC_MIN_WIDTH = 320
SEAL_MIN_WIDTH = 320  # a seal's unrolled strip is scored column by column: as tuned
# A batch holds crops of like widths (sorted by aspect), as many as fit this many padded
# input columns, and at most DEFAULT_MAX_BATCH: a row of short labels goes in one run, a
# few long lines in another. The budget bounds the activations' memory too. Measured on
# 428 crops of samples/ (1 thread): rapidocr's 16 a batch padded to 320 px 38.1 ms/crop,
# recogniser peak 755 MB; 10240 columns / 32: 34.7 ms, 732 MB; 5120 / 16: 27.4 ms, 463 MB;
# 3840 / 8: 22.7 ms, 511 MB. On a 12-document set (seed 20) 3840 / 8 and 10240 / 32 scored
# every figure as rapidocr's batching did; 5120 / 16 lost one free-text field. Smaller
# still, on 457 crops of two seed-301 documents (1 thread, two runs each): 3840 / 8
# 12.0-12.6 s CPU, peak 684-751 MB; 1920 / 4 10.8-11.4 s, 537-583 MB (3 readings of 457
# changed: spaces in two dates, 評 read 评); 1280 / 4 was cheaper yet but changed 9.
# Batches cost no more per column than crops run alone (#20: 667 crops of three seed-191
# documents replayed, 1 thread: 15.9 ms/crop batched, 16.0 with each batch of 320 px inputs
# run crop by crop, texts and scores identical; every crop alone 15.1, but scores change
# by up to 0.05, and in the pipeline a date under a ring read otherwise (examples wp-07)).
# Grouping a page's or a document's crops into fewer, larger runs buys nothing either (#20,
# random inputs, 1 thread, a loaded machine): 32.5, 31.1, 31.8, 30.9, 32.4 ms CPU a crop
# in batches of 1, 2, 4, 8, 16 at 320 px; 62.6-70.2 at 640 px, the larger batches dearer.
# 97.5 % of the recogniser's CPU is the model's run (589 crops of seed 8527 doc-0003, 0012,
# 0018 replayed: 22.3 of 22.8 s; preparing the inputs 0.13 s, decoding 0.4 s), 71 % of it
# convolutions, so its cost goes with the input columns alone; and a crop's reading moves
# with its padded width (the backbone's squeeze-and-excitation blocks pool over every
# column, the neck's attention attends to them all), so crops regrouped across calls
# would read otherwise. What costs is columns: 42 % of those run are padding to
# REC_MIN_WIDTH (122,693 of the crops' own, 212,671 run), and 41 % of the outline's crops
# read as the form's own printed words (223 of 540; 39 % of their columns).
DEFAULT_BATCH_COLUMNS = 1920
DEFAULT_MAX_BATCH = 4
# The float model spends about 13 % of a 320 px crop in its head (a 120 × 18,710 MatMul and
# the softmax over each column, 1.7 of 12.6 ms) and the rest in the backbone and neck,
# whose global mixing lets the padding change what a crop reads. int8 of it (#20,
# onnxruntime 1.23, AVX-512 VNNI): MatMul-only dynamic 15.2 vs 18.6 ms/crop, 7 of 667 texts
# differ; in the pipeline 17-20 % less recogniser CPU (20, 22 and 31 texts of 1,882, 1,297
# and 1,501 distinct crops of the examples, seed 191 and samples/ differ), but examples
# wp-07's coordinating date (2018年8月19日 read 2018年89F19日: a new low_confidence) and
# wp-04's seal text changed. Static QDQ of the convolutions too (calibrated on 200 crops of
# samples/, per channel, opset 17): 15.4 ms/crop, 54 of 667 texts differ. OpenVINO f32
# compiled for 1 or 4 × 320: 6-10 % cheaper per crop than onnxruntime. None is the default.
MODEL_KINDS = ("float", "int8")  # TASKSHEET_OCR_MODEL: the bundled recogniser, or int8 of it
# TASKSHEET_OCR_RUNTIME: what runs our recogniser (never the baseline's `read_page`, which
# stays rapidocr's own onnxruntime pipeline). OpenVINO in f32 reads every crop as
# onnxruntime does (1,407 crops of six documents: no text differs, probabilities within
# 1e-3) but is no cheaper in the pipeline: 13 % less CPU per crop where a batch's shape
# repeats, more where it is new (it compiles kernels per shape). Replaying those crops,
# 1 thread: onnxruntime 30.7 ms/crop, OpenVINO 28.1 (shape cache of 64) / 26.8 (its
# default cache, +370 MB); in the pipeline (4 documents, 27 pages) 0.770 vs 0.792 CPU s a
# page. So onnxruntime stays the default; OpenVINO stays selectable, for measuring.
RUNTIMES = ("onnxruntime", "openvino")
DEFAULT_RUNTIME = "onnxruntime"
# Our recogniser's intra-op threads unless `TASKSHEET_OCR_THREADS` says otherwise: one. A
# second thread buys wall time on an idle core only; its wake-ups and hand-overs cost CPU
# (#20: 1,027 crops of four documents replayed, 2 cores under load: 39.1 ms CPU a crop on
# one thread, 46.1 on two, every text and score the same), and `tasksheet run` gets its
# parallelism from worker processes (one thread each, `tasksheet.workers`), not from
# threads inside one. rapidocr's own det + rec (`read_page`, the baseline) keeps its own.
DEFAULT_REC_THREADS = 1


def model_cache_dir() -> Path:
    """Where derived models (the int8 recogniser) are kept: `TASKSHEET_MODEL_CACHE`, else
    `~/.cache/tasksheet/models`."""
    env = os.environ.get("TASKSHEET_MODEL_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "tasksheet" / "models"


def bundled_rec_model() -> Path:
    """The recogniser rapidocr's wheel ships (the one its default configuration runs)."""
    import rapidocr

    models = Path(rapidocr.__file__).parent / "models"
    found = sorted(models.glob("*_rec_*.onnx"))
    if not found:
        raise TasksheetError(f"no recognition model in {models}: reinstall rapidocr")
    small = [p for p in found if "small" in p.name]
    return (small or found)[0]


def quantized_rec_model(src: Path | None = None, cache: Path | None = None) -> Path:
    """The int8 recogniser: `src` (default the bundled model) with its MatMul weights
    quantised by onnxruntime's dynamic quantisation, built once into `cache` and reused.
    Nothing is downloaded; building it needs the `onnx` package (not a dependency yet)."""
    src = src or bundled_rec_model()
    cache = cache or model_cache_dir()
    digest = hashlib.sha256(f"{src.name}:{src.stat().st_size}:{src.stat().st_mtime_ns}"
                            f":{QUANT_RECIPE}".encode()).hexdigest()[:12]
    out = cache / f"{src.stem}.int8-{digest}.onnx"
    if out.exists():
        return out
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:  # onnxruntime's quantisation tooling imports `onnx`
        raise TasksheetError("the int8 recogniser needs the `onnx` package to be built "
                             "(`pip install onnx`); TASKSHEET_OCR_MODEL=float runs without") from exc
    cache.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".tmp{os.getpid()}.onnx")
    try:
        quantize_dynamic(str(src), str(tmp), weight_type=QuantType.QInt8,
                         op_types_to_quantize=list(QUANT_RECIPE))
        os.replace(tmp, out)  # another process building the same file at once: same bytes
    finally:
        tmp.unlink(missing_ok=True)
    return out


QUANT_RECIPE = ("MatMul",)  # the op types quantised (Conv stays float: ConvInteger is slower)


def session_options(threads: int) -> ort.SessionOptions:
    """One session's options: `threads` intra-op threads that sleep when idle (spinning
    threads burn a core another worker needs), onnxruntime's memory arena, no memory
    pattern, every graph optimisation.

    The arena keeps the activations' blocks for the next batch instead of returning them
    to malloc and asking again (#20, 1,027 crops of four documents replayed on one thread:
    38.9 vs 42.4 s CPU, peak 253 vs 324 MB, since glibc's heap no longer
    fragments around blocks of every batch's size; texts and scores the same). A memory
    pattern (planned per input shape) costs as much CPU but grew the peak to 550 MB: batch
    shapes vary, and a pattern is kept for each."""
    opts = ort.SessionOptions()
    opts.log_severity_level = 4
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.intra_op_num_threads = max(1, threads)
    opts.inter_op_num_threads = 1
    opts.enable_cpu_mem_arena = True
    opts.enable_mem_pattern = False
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return opts


def openvino_available() -> bool:
    """Whether `openvino` can be imported (the `openvino` extra: an install without it, or
    a platform without its wheel, runs the recogniser on onnxruntime)."""
    try:
        import openvino  # noqa: F401
    except ImportError:
        return False
    return True


def choose_runtime(name: str | None = None) -> str:
    """The recogniser's runtime: `name`, else `TASKSHEET_OCR_RUNTIME`, else DEFAULT_RUNTIME.
    OpenVINO where it does not import falls back to onnxruntime when it is only the default,
    and is an error when asked for by name (a measurement that names its runtime must run
    on it, not silently on the other).

    >>> choose_runtime("onnxruntime")
    'onnxruntime'
    """
    asked = name or os.environ.get("TASKSHEET_OCR_RUNTIME") or ""
    if asked and asked not in RUNTIMES:
        raise TasksheetError(f"unknown recogniser runtime {asked!r}; valid: {', '.join(RUNTIMES)}")
    runtime = asked or DEFAULT_RUNTIME
    if runtime == "openvino" and not openvino_available():
        if asked:
            raise TasksheetError("TASKSHEET_OCR_RUNTIME=openvino, but `openvino` is not installed "
                                 "(`pip install 'tasksheet[openvino]'`); onnxruntime runs without")
        return "onnxruntime"
    return runtime


# One model run: a batch (N, 3, 48, W) float32 in, CTC probabilities (N, W / 8, classes) out.
Runner = Callable[[np.ndarray], np.ndarray]


def onnxruntime_runner(model: Path, threads: int) -> tuple[Runner, list[str]]:
    """The recogniser on an onnxruntime session (`session_options`), and its characters
    (from the model's metadata)."""
    session = ort.InferenceSession(str(model), sess_options=session_options(threads),
                                   providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    keys = session.get_modelmeta().custom_metadata_map["character"].splitlines()

    def run(batch: np.ndarray) -> np.ndarray:
        return session.run(None, {name: batch})[0]

    return run, keys


# OpenVINO compiles kernels for each input shape it meets and keeps them in a cache (by
# default 5,000 shapes, about 3.4 MB each here: a long run's widths would grow a worker by
# gigabytes). Bounded: the few shapes that recur (4 or 1 crops at 320 px) stay compiled.
OPENVINO_SHAPE_CACHE = 64


def openvino_config(threads: int) -> dict[str, object]:
    """OpenVINO's CPU settings for one worker: `threads` inference threads in one stream
    (as onnxruntime's intra-op threads: `tasksheet run --workers N` is N processes), no
    pinning to cores (other workers share them), latency first, f32 arithmetic, a bounded
    shape cache (OPENVINO_SHAPE_CACHE). On CPUs with AMX, OpenVINO's default is bf16:
    2.0× cheaper here, but it changed 23 of 1,389 readings of six documents (one a year:
    2019 read 2018), and bf16 in the convolutions alone (the neck and head in f32) 20, so
    it is not used."""
    return {"INFERENCE_NUM_THREADS": max(1, threads), "NUM_STREAMS": 1,
            "PERFORMANCE_HINT": "LATENCY", "ENABLE_CPU_PINNING": False,
            "INFERENCE_PRECISION_HINT": "f32", "CPU_RUNTIME_CACHE_CAPACITY": OPENVINO_SHAPE_CACHE}


@cache
def _openvino_core():  # noqa: ANN202 - openvino.Core
    """One OpenVINO core per process (it holds the plugins, loaded once)."""
    import openvino as ov

    return ov.Core()


def openvino_runner(model: Path, threads: int) -> tuple[Runner, list[str]]:
    """The recogniser compiled by OpenVINO from the same ONNX file (batch and width left
    dynamic: one compiled model serves every batch shape), and its characters."""
    core = _openvino_core()
    net = core.read_model(str(model))
    keys = net.get_rt_info(["framework", "character"]).astype(str).splitlines()
    request = core.compile_model(net, "CPU", openvino_config(threads)).create_infer_request()

    def run(batch: np.ndarray) -> np.ndarray:
        # outputs are copied out of the request (the next run reuses its buffers)
        return request.infer([np.ascontiguousarray(batch, dtype=np.float32)])[0]

    return run, keys


RUNNERS: dict[str, Callable[[Path, int], tuple[Runner, list[str]]]] = {
    "openvino": openvino_runner, "onnxruntime": onnxruntime_runner}


def width_batches(widths: list[float], columns: int = DEFAULT_BATCH_COLUMNS,
                  max_batch: int = DEFAULT_MAX_BATCH) -> list[list[int]]:
    """Indices of crops grouped into batches of like widths (`widths`: input widths at the
    model's height), each batch padded to its widest within `columns` in all.

    >>> width_batches([400, 100, 2000, 120], columns=1000)
    [[1, 3], [0], [2]]
    """
    order = sorted(range(len(widths)), key=lambda i: widths[i])
    batches: list[list[int]] = []
    cur: list[int] = []
    for i in order:
        w = max(widths[i], REC_MIN_WIDTH)
        if cur and ((len(cur) + 1) * w > columns or len(cur) >= max_batch):
            batches.append(cur)
            cur = []
        cur.append(i)
    if cur:
        batches.append(cur)
    return batches


def rec_input(img: np.ndarray, wide: float) -> np.ndarray:
    """A crop as the recogniser's input (3, 48, 48 × `wide`): scaled to the model's height,
    to [-1, 1], right-padded with 0 (as PaddleOCR and rapidocr prepare it)."""
    img = _bgr(img)
    h, w = img.shape[:2]
    width = int(REC_HEIGHT * wide)
    resized_w = min(width, int(math.ceil(REC_HEIGHT * w / float(max(1, h)))))
    resized = cv2.resize(img, (max(1, resized_w), REC_HEIGHT)).astype(np.float32)
    out = np.zeros((3, REC_HEIGHT, width), dtype=np.float32)
    out[:, :, :resized_w] = resized.transpose((2, 0, 1)) / 127.5 - 1.0
    return out


# Readings kept for a document (`DocumentMemo`): the most a document needs, bounded so a
# pathological one cannot grow a worker (seed 9133's documents read 150-610 crops each).
DEFAULT_MEMO_CROPS = 4096


class DocumentMemo:
    """The readings of the crops one document has sent, by the crop's pixels and the width
    it was padded to: a crop read again at that width is not run again.

    Readers look at the same region more than once (#20, seed 9133's first three
    documents: 0, 29 and 42 of 151, 394 and 613 crops were exact repeats, nearly all an
    opinion's lines read again after a pale seal was cleaned off the page's other cells,
    or by a second reading of its label), and a crop's reading is fixed by its pixels
    and its padded width (PP-OCR's backbone and neck mix every column, padding included,
    but never one crop of a batch with another: a batch of other size or partners moves
    its probabilities by float rounding only, at most 3e-6 on 84 crops). Kept per document (`clear` when one
    starts, `ingest_document`), so a document reads the same whichever worker takes it
    and whatever it took before.

    >>> m = DocumentMemo()
    >>> k = m.key(np.zeros((4, 9), np.uint8), 6.7)
    >>> m.get(k, False) is None and m.put(k, ("", 0.0, None)) is None and m.get(k, False)
    ('', 0.0, None)
    >>> m.get(k, True) is None  # its word boxes were not kept
    True
    """

    def __init__(self, size: int = DEFAULT_MEMO_CROPS) -> None:
        self.size = size
        self.hits = 0  # crops answered from the memo (for the profile and the tests)
        self._seen: dict[tuple, tuple[str, float, object]] = {}

    @staticmethod
    def key(crop: np.ndarray, wide: float) -> tuple:
        """The crop's pixels (a digest of them, with shape and type) and its padded width."""
        digest = hashlib.blake2b(np.ascontiguousarray(crop).data, digest_size=16).digest()
        return digest, crop.shape, crop.dtype.str, wide

    def get(self, key: tuple, word_box: bool) -> tuple[str, float, object] | None:
        """The kept reading, with its word boxes when `word_box` asks for them (a reading
        kept without them does not answer then; one kept with them answers either way:
        the text and score do not depend on them)."""
        found = self._seen.get(key)
        if found is None or (word_box and found[2] is None):
            return None
        self.hits += 1
        return found if word_box else (found[0], found[1], None)

    def put(self, key: tuple, value: tuple[str, float, object]) -> None:
        kept = self._seen.get(key)
        if kept is not None and kept[2] is not None:
            return
        if kept is not None or len(self._seen) < self.size:
            self._seen[key] = value

    def clear(self) -> None:
        self._seen.clear()


class _Recogniser:
    """PP-OCR's recogniser on our own session (`runtime`: OpenVINO or onnxruntime, see
    RUNNERS; the characters from the model's metadata, rapidocr's CTC decoding, so texts
    and scores are what rapidocr computes), the batching ours (`width_batches`).
    rapidocr's own recogniser is left to `read_page`."""

    def __init__(self, model: Path, threads: int, runtime: str = "onnxruntime") -> None:
        from rapidocr.ch_ppocr_rec.utils import CTCLabelDecode

        self.model = model
        self.runtime = runtime
        self._run, keys = RUNNERS[runtime](model, threads)
        self.decode = CTCLabelDecode(character=keys)
        self.columns_run = 0  # input columns run so far, padding included (the profile's)
        self.memo = DocumentMemo()

    def plan(self, crops: list[np.ndarray]) -> Iterator[tuple[list[int], float]]:
        """Per batch: its crops' indices and the width (as a multiple of the height) each
        is padded to, the batching `width_batches` makes of all of `crops`."""
        ratios = [c.shape[1] / max(1, c.shape[0]) for c in crops]
        for idx in width_batches([r * REC_HEIGHT for r in ratios], DEFAULT_BATCH_COLUMNS,
                                 DEFAULT_MAX_BATCH):
            yield idx, max(REC_MIN_WIDTH / REC_HEIGHT, *(ratios[i] for i in idx))

    def run(self, crops: list[np.ndarray], wide: float) -> np.ndarray:
        """`crops` padded to `wide` × the height, run as one batch: (n, columns, classes)."""
        batch = np.stack([rec_input(c, wide) for c in crops])
        self.columns_run += batch.shape[0] * batch.shape[3]
        return self._run(batch)

    def batches(self, crops: list[np.ndarray]
                ) -> Iterator[tuple[list[int], np.ndarray, list[float], float]]:
        """Per batch run: (its crops' indices, their CTC probabilities (n, columns,
        classes), every crop's aspect, the batch's). One batch's probabilities at a time:
        a call's crops all at once were 200-400 MB (6,625 classes a column), the worker's
        peak."""
        ratios = [c.shape[1] / max(1, c.shape[0]) for c in crops]
        for idx, wide in self.plan(crops):
            yield idx, self.run([crops[i] for i in idx], wide), ratios, wide

    def columns(self, strip: np.ndarray) -> np.ndarray:
        """One crop run alone, padded to PP-OCR's 320 px at least: its CTC probabilities."""
        wide = max(strip.shape[1] / max(1, strip.shape[0]), SEAL_MIN_WIDTH / REC_HEIGHT)
        batch = rec_input(strip, wide)[None]
        self.columns_run += batch.shape[3]
        return self._run(batch)[0]

    def read(self, crops: list[np.ndarray], word_box: bool) -> list[tuple[str, float, object]]:
        """Each crop's (text, score, word info), batched as `plan` batches them all. A crop
        this document had read already at the same padded width is not run again
        (`DocumentMemo`); the rest of its batch runs at the width the whole batch takes,
        so no crop is padded otherwise than before."""
        res: list = [None] * len(crops)
        ratios = [c.shape[1] / max(1, c.shape[0]) for c in crops]
        for idx, wide in self.plan(crops):
            keys = {i: self.memo.key(crops[i], wide) for i in idx}
            todo = []
            for i in idx:
                hit = self.memo.get(keys[i], word_box)
                if hit is None:
                    todo.append(i)
                else:
                    res[i] = hit
            if not todo:
                continue
            preds = self.run([crops[i] for i in todo], wide)
            for k, i in enumerate(todo):  # decoded batch by batch
                (line,), words = self.decode(preds[k][None], word_box,
                                             wh_ratio_list=[ratios[i]], max_wh_ratio=wide)
                res[i] = (line[0], float(line[1]), words[0] if word_box else None)
                self.memo.put(keys[i], res[i])
        return res


class RapidOcrEngine:
    """PP-OCR (det + rec) via rapidocr/onnxruntime, models from the installed wheel.

    `model`: "float" (the bundled recogniser) or "int8" (it, quantised once into the
    model cache); default `TASKSHEET_OCR_MODEL`, else DEFAULT_MODEL. `runtime`: what runs
    our recogniser (`choose_runtime`: `TASKSHEET_OCR_RUNTIME`, else DEFAULT_RUNTIME);
    the int8 model always runs on onnxruntime, whose quantisation made it and whose
    integer kernels it was measured on."""

    name = "rapidocr"

    def __init__(self, threads: int | None = None, model: str | None = None,
                 runtime: str | None = None) -> None:
        threads = threads or int(os.environ.get("TASKSHEET_OCR_THREADS", "0")) or -1
        self._ocr_threads = threads
        self._rapid = None
        self.model = model or os.environ.get("TASKSHEET_OCR_MODEL") or DEFAULT_MODEL
        if self.model not in MODEL_KINDS:
            raise TasksheetError(f"unknown recogniser {self.model!r}; valid: {', '.join(MODEL_KINDS)}")
        self._threads = threads if threads > 0 else DEFAULT_REC_THREADS
        self.runtime = "onnxruntime" if self.model == "int8" else choose_runtime(runtime)
        self._recogniser: _Recogniser | None = None

    @property
    def _ocr(self):  # noqa: ANN202 - rapidocr's RapidOCR
        """rapidocr's own det + cls + rec pipeline, made on first use: only `read_page`
        (the baseline) needs it, and each worker saved its loading (0.5 s CPU, 23 MB)."""
        if self._rapid is None:
            from rapidocr import RapidOCR

            self._rapid = RapidOCR(params={
                "Global.log_level": "error",
                "EngineConfig.onnxruntime.intra_op_num_threads": self._ocr_threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                "Rec.rec_batch_num": 16,
            })
        return self._rapid

    @property
    def recogniser(self) -> _Recogniser:
        """The recogniser's session, created on first use (the baseline never needs ours)."""
        if self._recogniser is None:
            path = bundled_rec_model() if self.model == "float" else quantized_rec_model()
            self._recogniser = _Recogniser(path, self._threads, self.runtime)
        return self._recogniser

    def new_document(self) -> None:
        """Forget the readings kept for the last document (`DocumentMemo`)."""
        if self._recogniser is not None:
            self._recogniser.memo.clear()

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        if not crops:
            return []
        return [(t, s) for t, s, _ in self.recogniser.read(crops, word_box=False)]

    def recognize_chars(self, crops: list[np.ndarray]) -> list[CharLine]:
        if not crops:
            return []
        lines: list[CharLine] = []
        for crop, (text, score, info) in zip(crops, self.recogniser.read(crops, word_box=True),
                                             strict=True):
            chars: list[tuple[str, float]] = []
            if info is not None and info.line_txt_len:
                col = crop.shape[1] / info.line_txt_len  # pixels per CTC column
                for word, cols in zip(info.words, info.word_cols, strict=True):
                    chars += [(c, (k + 0.5) * col) for c, k in zip(word, cols, strict=True)]
            lines.append((text, score, chars))
        return lines

    def recognize_columns(self, strips: list[np.ndarray]) -> list[tuple[np.ndarray, list[str]]]:
        """Each strip's class probabilities per CTC column, and the classes' characters
        (blank first): what the seal reader scores candidate names against. Each strip is
        run alone at PP-OCR's own minimum width, as the seal reader was tuned."""
        rec = self.recogniser
        return [(rec.columns(s), rec.decode.character) for s in strips]

    def score(self, crops: list[np.ndarray], expected: list[str]) -> list[float]:
        """How surely each crop says its expected text, 0..1: the CTC probability of that
        exact text (every alignment of it), per character (a geometric mean), from the same
        forward pass a reading costs. For a printed label whose words are known, it says
        "this is the label" even where a free reading drops or swaps a character.

        >>> eng.score([crop_of_label], ["项目名称"])    # doctest: +SKIP
        [0.97]
        """
        if not crops:
            return []
        if len(expected) != len(crops):
            raise ValueError(f"{len(crops)} crops, {len(expected)} expected texts")
        keys = self.recogniser.decode.dict
        # one crop given with several texts (a row's candidate dates) is run once
        first = {id(c): k for k, c in reversed(list(enumerate(crops)))}
        distinct = sorted(set(first.values()))
        texts: dict[int, list[int]] = {}
        for i, c in enumerate(crops):
            texts.setdefault(first[id(c)], []).append(i)
        out = [0.0] * len(crops)
        for idx, preds, ratios, wide in self.recogniser.batches([crops[k] for k in distinct]):
            for k, j in enumerate(idx):
                cols = max(1, round(preds.shape[1] * ratios[j] / wide))  # the crop's own columns
                for i in texts[distinct[j]]:
                    labels = [keys.get(c, -1) for c in expected[i] if not c.isspace()]
                    if labels and min(labels) >= 0:  # else a character the model cannot write
                        out[i] = ctc_probability(preds[k, :cols], labels)
        return out

    def read_page(self, image: np.ndarray) -> list[TextLine]:
        res = self._ocr(_bgr(image), use_cls=False)
        if res.boxes is None or res.txts is None:
            return []
        lines = []
        for box, text, score in zip(res.boxes, res.txts, res.scores, strict=True):
            xs, ys = box[:, 0], box[:, 1]
            lines.append(TextLine((int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())),
                                  text, float(score)))
        return lines


def ctc_probability(probs: np.ndarray, labels: list[int], blank: int = 0) -> float:
    """P(labels | probs) under CTC (the forward algorithm, in logs), per label: the
    geometric mean, so long and short texts compare. `probs`: (columns, classes) softmax.

    >>> p = np.array([[0.1, 0.9], [0.8, 0.2], [0.1, 0.9]])
    >>> round(ctc_probability(p, [1, 1]), 3)
    0.805
    """
    n = 2 * len(labels) + 1
    ext = [blank if k % 2 == 0 else labels[k // 2] for k in range(n)]
    logp = np.log(np.clip(probs[:, ext], 1e-12, 1.0))  # (T, n)
    alpha = np.full(n, -np.inf)
    alpha[0] = logp[0, 0]
    if n > 1:
        alpha[1] = logp[0, 1]
    skip = np.array([k >= 2 and ext[k] != blank and ext[k] != ext[k - 2] for k in range(n)])
    for t in range(1, len(logp)):
        prev1 = np.concatenate(([-np.inf], alpha[:-1]))
        prev2 = np.where(skip, np.concatenate(([-np.inf, -np.inf], alpha[:-2])), -np.inf)
        alpha = np.logaddexp(np.logaddexp(alpha, prev1), prev2) + logp[t]
    total = np.logaddexp(alpha[-1], alpha[-2]) if n > 1 else alpha[-1]
    return float(np.exp(total / len(labels))) if np.isfinite(total) else 0.0


class PaddleOcrEngine:
    """The `paddleocr` package itself: optional, downloads its models on first use."""

    name = "paddleocr"

    def __init__(self) -> None:
        try:
            from paddleocr import PaddleOCR
        except ImportError as exc:
            raise TasksheetError(
                "the paddleocr engine needs `pip install 'tasksheet[paddle]'`; "
                "the default engine 'rapidocr' runs the same PP-OCR models offline") from exc
        self._ocr = PaddleOCR(lang="ch")

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        out = []
        for crop in crops:
            lines = self.read_page(crop)
            out.append(("".join(x.text for x in lines), min((x.score for x in lines), default=0.0)))
        return out

    def recognize_chars(self, crops: list[np.ndarray]) -> list[CharLine]:
        return [(t, s, even_chars(t, c.shape[1])) for c, (t, s) in zip(crops, self.recognize(crops),
                                                                      strict=True)]

    def score(self, crops: list[np.ndarray], expected: list[str]) -> list[float]:
        """No CTC columns here: the free reading's confidence, scaled by how much of the
        expected text it holds."""
        from difflib import SequenceMatcher

        return [sc * SequenceMatcher(None, t, e).ratio()
                for (t, sc), e in zip(self.recognize(crops), expected, strict=True)]

    def recognize_columns(self, strips: list[np.ndarray]) -> None:
        return None

    def read_page(self, image: np.ndarray) -> list[TextLine]:  # pragma: no cover - optional
        res = self._ocr.predict(_bgr(image))
        lines = []
        for page in res:
            for box, text, score in zip(page["rec_boxes"], page["rec_texts"], page["rec_scores"],
                                        strict=True):
                lines.append(TextLine(tuple(int(v) for v in box), text, float(score)))
        return lines


ENGINES: dict[str, type] = {"rapidocr": RapidOcrEngine, "paddleocr": PaddleOcrEngine}


def get_engine(name: str = "rapidocr") -> OcrEngine:
    """The engine called `name`, created once per process and reused (`get_engine()` and
    `get_engine("rapidocr")` are the same engine: one set of model sessions per process)."""
    return _engine(name)


@cache
def _engine(name: str) -> OcrEngine:
    try:
        cls = ENGINES[name]
    except KeyError:
        raise TasksheetError(f"unknown OCR engine {name!r}; valid: {', '.join(ENGINES)}") from None
    return cls()


get_engine.cache_clear = _engine.cache_clear  # type: ignore[attr-defined]
