"""OCR engines behind one contract, chosen by name from a registry.

The default engine runs PaddleOCR's PP-OCR models through `rapidocr` (ONNX models inside
the wheel, onnxruntime on the CPU): nothing is downloaded at run time. `paddleocr` is an
optional engine (it downloads its models on first use).

Two entry points, so callers pay only for what they need:
- `recognize(crops)`: recognition only, batched, for crops that hold one line of text
  (table cells, labels). No detection: this is where the pipeline's speed comes from.
  `recognize_chars(crops)` is the same with where each character sits along the line
  (from the recogniser's CTC columns), for finding a printed label inside a line.
- `read_page(image)`: detection + recognition, for free text and the baseline.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import numpy as np
from tasksheet.schemas.errors import TasksheetError


@dataclass(frozen=True)
class TextLine:
    """A line of text found on an image: its box (x0, y0, x1, y1), text and score."""

    bbox: tuple[int, int, int, int]
    text: str
    score: float


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


def even_chars(text: str, width: int) -> list[tuple[str, float]]:
    """Character centres spread evenly over a line: for engines that give no positions."""
    chars = [c for c in text if not c.isspace()]
    step = width / max(1, len(chars))
    return [(c, (i + 0.5) * step) for i, c in enumerate(chars)]


def _bgr(img: np.ndarray) -> np.ndarray:
    if img.ndim == 2:
        return np.repeat(img[:, :, None], 3, axis=2)
    return img


class RapidOcrEngine:
    """PP-OCR (det + rec) via rapidocr/onnxruntime, models from the installed wheel."""

    name = "rapidocr"

    def __init__(self, threads: int | None = None) -> None:
        from rapidocr import RapidOCR

        threads = threads or int(os.environ.get("TASKSHEET_OCR_THREADS", "0")) or -1
        self._ocr = RapidOCR(params={
            "Global.log_level": "error",
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            "Rec.rec_batch_num": 16,
        })

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        from rapidocr.ch_ppocr_rec import TextRecInput

        if not crops:
            return []
        out = self._ocr._load_rec_model()(TextRecInput(img=[_bgr(c) for c in crops]))
        return [(t, float(s)) for t, s in zip(out.txts, out.scores, strict=True)]

    def recognize_chars(self, crops: list[np.ndarray]) -> list[CharLine]:
        from rapidocr.ch_ppocr_rec import TextRecInput

        if not crops:
            return []
        out = self._ocr._load_rec_model()(TextRecInput(img=[_bgr(c) for c in crops],
                                                       return_word_box=True))
        lines: list[CharLine] = []
        for crop, text, score, info in zip(crops, out.txts, out.scores, out.word_results,
                                           strict=True):
            chars: list[tuple[str, float]] = []
            if info is not None and info.line_txt_len:
                col = crop.shape[1] / info.line_txt_len  # pixels per CTC column
                for word, cols in zip(info.words, info.word_cols, strict=True):
                    chars += [(c, (k + 0.5) * col) for c, k in zip(word, cols, strict=True)]
            lines.append((text, float(score), chars))
        return lines

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

    def read_page(self, image: np.ndarray) -> list[TextLine]:  # pragma: no cover - optional
        res = self._ocr.predict(_bgr(image))
        lines = []
        for page in res:
            for box, text, score in zip(page["rec_boxes"], page["rec_texts"], page["rec_scores"],
                                        strict=True):
                lines.append(TextLine(tuple(int(v) for v in box), text, float(score)))
        return lines


ENGINES: dict[str, type] = {"rapidocr": RapidOcrEngine, "paddleocr": PaddleOcrEngine}


@cache
def get_engine(name: str = "rapidocr") -> OcrEngine:
    """The engine called `name`, created once per process and reused."""
    try:
        cls = ENGINES[name]
    except KeyError:
        raise TasksheetError(f"unknown OCR engine {name!r}; valid: {', '.join(ENGINES)}") from None
    return cls()
