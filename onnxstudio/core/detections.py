"""Boxes from a YOLO detector's raw output, as Ultralytics exports them: decoded, thresholded and merged by
non-maximum suppression, in the model input's pixels (so they fall on the preprocessed picture). Qt-free.

Four layouts, told apart by shape and by the anchor count (a grid at strides 8, 16 and 32):

- YOLOv8 / YOLO11: [1, 4 + classes, anchors] — centre x, centre y, width, height, then one score per class;
- YOLOv5: [1, anchors x 3, 5 + classes] — the box, an objectness score, then the class scores (times it);

  both may carry more columns after the class scores (a -seg model's 32 mask coefficients, a -pose model's
  keypoints, an -obb model's one angle in radians: its boxes are turned, and merged by their rotated overlap):
  the class scores are the leading columns whose values all lie in 0-1 (Ultralytics exports them after a
  sigmoid; :func:`class_count`);
- YOLOX (and ddddocr's detector): [1, anchors, 5 + classes] as v5 but one anchor a cell and the box not decoded
  (offsets from the cell, log sizes: :func:`_yolox_boxes`);
- end to end (YOLOv10, YOLO26, exports with ``nms=True``): [1, up to 1000, 6] — corners x0, y0, x1, y1, score,
  class, already merged; taken only where the values are plausible (:func:`plausible`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from onnxstudio.core.outputs import anchor_grid, as_plain, label_of

MAX_BOXES = 300  # what a detector keeps after suppression (Ultralytics' max_det)


@dataclass(frozen=True)
class Detection:
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in the model input's pixels
    index: int  # class index
    label: str
    score: float
    anchor: int = -1  # its row in the head (where a -seg model keeps its mask coefficients); -1 end to end
    angle: float | None = None  # an -obb model's rotation (radians, clockwise on the picture) of ``box`` about its centre

    def corners(self) -> np.ndarray:
        """The four corners [4, 2] (x, y) of the box, turned by ``angle`` about its centre where it has one."""
        x0, y0, x1, y1 = self.box
        cx, cy, hw, hh = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
        local = np.array([[-hw, -hh], [hw, -hh], [hw, hh], [-hw, hh]], np.float64)
        if self.angle:
            c, s = math.cos(self.angle), math.sin(self.angle)
            local = local @ np.array([[c, s], [-s, c]])
        return local + [cx, cy]


def layout(shape: tuple[int, ...] | list[int]) -> str | None:
    """"v8", "v5", "yolox", "e2e" or None: which YOLO head wrote an output of this shape."""
    dims = [int(d) for d in shape]
    if len(dims) != 3 or dims[0] != 1:
        return None
    _, a, b = dims
    if 5 <= a < b and anchor_grid(b, 1):
        return "v8"
    if 6 <= b < a and anchor_grid(a, 3):
        return "v5"
    if 6 <= b < a and anchor_grid(a, 1):
        return "yolox"
    if b == 6 and 1 <= a <= 1000 and not anchor_grid(a, 1):
        return "e2e"
    return None


_SLACK = 0.01  # a quantized model's dequantized sigmoid may land just outside 0-1


def _scores(arr: np.ndarray, kind: str) -> np.ndarray:
    """The columns after the box (v8) or after the objectness (v5), one row per column: [columns, anchors]."""
    return arr[0, 4:] if kind == "v8" else arr[0, :, 5:].T


def _grid_head(value: np.ndarray) -> tuple[np.ndarray, str] | None:
    """The output as a plain array and its layout, for a v8 or v5 head (one score per anchor of a grid)."""
    arr = as_plain(np.asarray(value))
    kind = layout(arr.shape) if arr.dtype.kind == "f" else None
    return (arr, kind) if kind in ("v8", "v5", "yolox") else None  # type: ignore[return-value]


def _anchor_rows(arr: np.ndarray, kind: str) -> tuple[np.ndarray, int]:
    """[anchors, columns] of a v8 or v5 head and the first column after its class scores (a -seg model's mask
    coefficients, a -pose model's keypoints)."""
    rows = arr[0].T if kind == "v8" else arr[0]
    return rows, (4 if kind == "v8" else 5) + class_count(arr)


def class_count(value: np.ndarray) -> int:
    """How many columns of a v8 or v5 head are class scores: the leading ones whose values all lie in 0-1 (a
    -seg model's mask coefficients, a -pose model's keypoints and an -obb model's angle follow them, and do not
    stay in 0-1 over thousands of anchors); 0 for another output."""
    head = _grid_head(value)
    if head is None:
        return 0
    columns = _scores(*head)
    with np.errstate(invalid="ignore"):
        inside = (columns.min(axis=1) >= -_SLACK) & (columns.max(axis=1) <= 1 + _SLACK)  # NaN: False
    return len(inside) if inside.all() else int(np.argmin(inside))


def plausible(value: np.ndarray) -> bool:
    """Whether an output of a YOLO layout holds what that layout means: class scores in 0-1 (and v5's
    objectness); for the end-to-end one, scores in 0-1, whole non-negative class numbers and corners in order
    (any [1, 100, 6] tensor has the shape)."""
    arr = as_plain(np.asarray(value))
    kind = layout(arr.shape) if arr.dtype.kind == "f" else None
    if kind == "v8":
        return class_count(arr) > 0
    if kind in ("v5", "yolox"):
        objectness = arr[0, :, 4]
        sure = class_count(arr) > 0 and bool(objectness.min() >= -_SLACK and objectness.max() <= 1 + _SLACK)
        if kind == "yolox":  # offsets from the cell and log sizes, not pixels, else a YOLOv8 head transposed
            return _yolox(arr, sure) or _transposed_v8(arr) is not None
        return sure
    if kind != "e2e":
        return False
    rows = arr[0].astype(np.float64)
    if not np.isfinite(rows).all():
        return False
    score, cls = rows[:, 4], rows[:, 5]
    used = score > 0  # rows past the last detection are zeros
    return bool(score.min() >= 0 and score.max() <= 1 and (cls >= 0).all() and (cls == np.round(cls)).all()
                and (rows[used, 2] >= rows[used, 0]).all() and (rows[used, 3] >= rows[used, 1]).all())


def _yolox(arr: np.ndarray, scores_fit: bool) -> bool:
    """Whether a [1, cells, 5 + classes] grid is YOLOX's: scores in 0-1 and boxes as offsets and log sizes."""
    reg = arr[0, :, :4]
    return scores_fit and bool(np.isfinite(reg).all() and np.abs(reg).max() < 50)


def _transposed_v8(arr: np.ndarray) -> np.ndarray | None:
    """A YOLOv8 head that an export wrote anchors first ([1, 8400, 4 + classes], boxes in pixels), as Ultralytics
    writes it ([1, 4 + classes, 8400]); None where it is not one."""
    t = np.ascontiguousarray(arr.transpose(0, 2, 1))
    return t if layout(t.shape) == "v8" and class_count(t) > 0 and not _yolox(arr, True) else None


def canonical(value: np.ndarray) -> np.ndarray:
    """A YOLOv8 head written anchors first as Ultralytics writes it (so that its masks and keypoints are read
    right too); any other output as it is."""
    arr = as_plain(np.asarray(value))
    if arr.dtype.kind == "f" and layout(arr.shape) == "yolox":
        v8 = _transposed_v8(arr)
        if v8 is not None:
            return v8
    return value


def detections(value: np.ndarray, labels: list[str] | None = None, threshold: float = 0.25, iou: float = 0.45,
               ) -> list[Detection]:
    """The boxes of a YOLO output scoring at least ``threshold``, best first, overlapping boxes of one class
    (IoU over ``iou``) merged into the best of them; [] for another shape."""
    arr = as_plain(np.asarray(canonical(value)))  # a YOLOv8 head written anchors first: as Ultralytics writes it
    if not plausible(arr):  # not a YOLO layout, or an end-to-end one holding something else
        return []
    kind = layout(arr.shape)
    if kind == "e2e":  # corners, score, class: already merged by the model
        found = [_detection(r[:4], int(r[5]), labels, r[4]) for r in arr[0].astype(np.float64) if r[4] >= threshold]
        return sorted(found, key=lambda d: -d.score)
    rows, end = _anchor_rows(arr, kind)  # [anchors, 4 + ...]
    rows = rows.astype(np.float64)
    if kind == "yolox":
        rows[:, :4] = _yolox_boxes(rows[:, :4])
    scores = rows[:, 4:end] if kind == "v8" else rows[:, 5:end] * rows[:, 4:5]  # v5, YOLOX: class x objectness
    best = np.argmax(scores, axis=1)
    score = scores[np.arange(len(rows)), best]
    keep = np.flatnonzero(np.isfinite(score) & (score >= threshold))
    keep = keep[np.argsort(-score[keep], kind="stable")][:30_000]
    cx, cy, w, h = (rows[keep, i] for i in range(4))
    boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1)
    angles = _angles(rows, kind, end)
    if angles is None:
        chosen = _suppress(boxes, best[keep], iou)[:MAX_BOXES]
        return [_detection(boxes[i], int(best[keep[i]]), labels, score[keep[i]], int(keep[i]))
                for i in chosen.tolist()]
    turned = angles[keep]
    chosen = _suppress_rotated(np.stack([cx, cy, w, h, turned], axis=1), best[keep], iou)[:MAX_BOXES]
    return [replace(_detection(boxes[i], int(best[keep[i]]), labels, score[keep[i]], int(keep[i])),
                    angle=float(turned[i])) for i in chosen.tolist()]


def _angles(rows: np.ndarray, kind: str, end: int) -> np.ndarray | None:
    """An -obb head's rotations: its one column after the class scores, in radians (Ultralytics writes them in
    -pi/4 .. 3 pi/4); None for another head."""
    if kind != "v8" or rows.shape[1] - end != 1:
        return None
    angle = rows[:, end].astype(np.float64)
    with np.errstate(invalid="ignore"):
        return angle if bool(angle.min() >= -math.pi - _SLACK and angle.max() <= math.pi + _SLACK) else None


def _yolox_boxes(reg: np.ndarray) -> np.ndarray:
    """YOLOX's raw regression (exported without decoding, as YOLOX's and ddddocr's ONNX files are) as centre x,
    centre y, width, height in the input's pixels: offsets from each cell of a square picture's grids at strides
    8, 16 and 32, sizes as logs, times the stride (YOLOX's ``demo_postprocess``)."""
    side = 32 * math.isqrt(len(reg) // 21)
    grids, strides = [], []
    for stride in (8, 16, 32):
        cells = side // stride
        ys, xs = np.divmod(np.arange(cells * cells), cells)
        grids.append(np.stack([xs, ys], axis=1))
        strides.append(np.full(cells * cells, stride))
    grid, step = np.concatenate(grids).astype(np.float64), np.concatenate(strides).astype(np.float64)[:, None]
    with np.errstate(over="ignore"):
        return np.concatenate([(reg[:, :2] + grid) * step, np.exp(reg[:, 2:4]) * step], axis=1)


def _detection(box: np.ndarray, index: int, labels: list[str] | None, score: float, anchor: int = -1) -> Detection:
    return Detection(tuple(float(v) for v in box), index, label_of(labels, index), float(score), anchor)  # type: ignore[arg-type]


MAX_MASKS = 100  # masks drawn for a -seg model's best detections (each is computed at the input's full size)


def mask_protos(value: np.ndarray, outputs: list[np.ndarray]) -> np.ndarray | None:
    """The prototype masks that go with a -seg head among a run's ``outputs``: the [1, m, h, w] tensor whose m is
    the number of the head's columns after its class scores (32 in Ultralytics' exports); None for a plain
    detector."""
    head = _grid_head(value)
    if head is None:
        return None
    rows, start = _anchor_rows(*head)
    extra = rows.shape[1] - start
    for o in outputs:
        if extra > 0 and o.ndim == 4 and o.shape[0] == 1 and o.shape[1] == extra and min(o.shape[2:]) >= 8:
            return as_plain(o)
    return None


def mask_owners(value: np.ndarray, protos: np.ndarray, found: list[Detection], size: tuple[int, int]
                ) -> np.ndarray:
    """Which detection each pixel of the model's input (``size`` = height, width) belongs to: an index into
    ``found``, -1 for none. As Ultralytics' ``process_mask``: a detection's mask coefficients times the
    prototypes, cut to its box, scaled (bilinear) to the input and kept where the logit is over 0; better
    detections win where masks overlap; at most :data:`MAX_MASKS` of them."""
    from PIL import Image  # resizes a float image bilinearly, as torch's interpolate does

    head = _grid_head(value)
    if head is None:
        return np.full(size, -1, np.int32)
    rows, start = _anchor_rows(*head)
    m, ph, pw = protos.shape[1:]
    flat = protos[0].reshape(m, -1).astype(np.float32)
    height, width = size
    owners = np.full((height, width), -1, np.int32)
    chosen = [(i, d) for i, d in enumerate(found[:MAX_MASKS]) if d.anchor >= 0 and np.isfinite(d.box).all()]
    for i, d in reversed(chosen):  # the best last, on top
        logits = (rows[d.anchor, start:start + m].astype(np.float32) @ flat).reshape(ph, pw)
        full = np.asarray(Image.fromarray(logits).resize((width, height), Image.Resampling.BILINEAR))
        x0, y0, x1, y1 = (round(v) for v in d.box)
        x0, x1 = max(x0, 0), min(x1, width)
        y0, y1 = max(y0, 0), min(y1, height)
        if x1 > x0 and y1 > y0:
            inside = full[y0:y1, x0:x1] > 0
            owners[y0:y1, x0:x1][inside] = i
    return owners


def _greedy(classes: np.ndarray, overlap: Callable[[int, np.ndarray], np.ndarray], iou: float) -> np.ndarray:
    """Greedy non-maximum suppression per class over boxes sorted best first: each kept box drops the later boxes
    of its class that ``overlap(i, rest)`` says it covers over ``iou``; the indices kept (at most MAX_BOXES)."""
    alive = np.ones(len(classes), bool)
    kept: list[int] = []
    for i in range(len(classes)):
        if not alive[i]:
            continue
        kept.append(i)
        if len(kept) >= MAX_BOXES:
            break
        rest = np.flatnonzero(alive[i + 1:] & (classes[i + 1:] == classes[i])) + i + 1
        if len(rest):
            alive[rest[overlap(i, rest) > iou]] = False
    return np.asarray(kept, np.intp)


def _suppress(boxes: np.ndarray, classes: np.ndarray, iou: float) -> np.ndarray:
    """Greedy non-maximum suppression per class over corner boxes sorted best first, by IoU."""
    x0, y0, x1, y1 = boxes.T
    area = np.maximum(x1 - x0, 0) * np.maximum(y1 - y0, 0)

    def overlap(i: int, rest: np.ndarray) -> np.ndarray:
        iw = np.maximum(np.minimum(x1[i], x1[rest]) - np.maximum(x0[i], x0[rest]), 0)
        ih = np.maximum(np.minimum(y1[i], y1[rest]) - np.maximum(y0[i], y0[rest]), 0)
        inter = iw * ih
        union = area[i] + area[rest] - inter
        return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)

    return _greedy(classes, overlap, iou)


def _covariances(boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each rotated box [cx, cy, w, h, angle] as a Gaussian's covariance (a, b, c): Ultralytics' probiou."""
    a, b = boxes[:, 2] ** 2 / 12, boxes[:, 3] ** 2 / 12
    cos, sin = np.cos(boxes[:, 4]), np.sin(boxes[:, 4])
    return a * cos**2 + b * sin**2, a * sin**2 + b * cos**2, (a - b) * cos * sin


def probiou(box: np.ndarray, others: np.ndarray, eps: float = 1e-7) -> np.ndarray:
    """How much a rotated box [cx, cy, w, h, angle] overlaps each of ``others`` ([n, 5]), 0-1: one minus the
    Hellinger distance of their Gaussians, as Ultralytics' ``batch_probiou`` merges -obb boxes."""
    a1, b1, c1 = (v[0] for v in _covariances(box[None]))
    a2, b2, c2 = _covariances(others)
    dx, dy = box[0] - others[:, 0], box[1] - others[:, 1]
    a, b, c = a1 + a2, b1 + b2, c1 + c2
    det = a * b - c**2 + eps
    t1 = (a * dy**2 + b * dx**2) / det * 0.25
    t2 = (c * -dx * dy) / det * 0.5
    own = np.sqrt(np.clip(a1 * b1 - c1**2, 0, None) * np.clip(a2 * b2 - c2**2, 0, None))
    t3 = np.log((a * b - c**2) / (4 * own + eps) + eps) * 0.5
    distance = np.clip(t1 + t2 + t3, eps, 100.0)
    return 1 - np.sqrt(1.0 - np.exp(-distance) + eps)


def _suppress_rotated(boxes: np.ndarray, classes: np.ndarray, iou: float) -> np.ndarray:
    """Greedy non-maximum suppression per class over rotated boxes [cx, cy, w, h, angle] sorted best first."""
    return _greedy(classes, lambda i, rest: probiou(boxes[i], boxes[rest]), iou)


# COCO's 17 keypoints (what Ultralytics' -pose models find) joined into a skeleton: limbs, shoulders, hips, face.
COCO_SKELETON = ((15, 13), (13, 11), (16, 14), (14, 12), (11, 12), (5, 11), (6, 12), (5, 6), (5, 7), (6, 8),
                 (7, 9), (8, 10), (1, 2), (0, 1), (0, 2), (1, 3), (2, 4), (3, 5), (4, 6))


def keypoints(value: np.ndarray, found: list[Detection]) -> list[np.ndarray]:
    """Each detection's keypoints from a -pose head (x, y, visibility triples after the class scores, in the model
    input's pixels): one [k, 3] array per detection; [] where the head has no such columns (a plain detector, a
    -seg model's mask coefficients)."""
    head = _grid_head(value)
    if head is None:
        return []
    rows, start = _anchor_rows(*head)
    extra = rows.shape[1] - start
    if extra < 3 or extra % 3:
        return []
    visibility = rows[:, start + 2::3]
    with np.errstate(invalid="ignore"):
        if not (visibility.min() >= -_SLACK and visibility.max() <= 1 + _SLACK):  # every third column a sigmoid
            return []
    return [rows[d.anchor, start:].reshape(-1, 3).astype(np.float64) for d in found if d.anchor >= 0]
