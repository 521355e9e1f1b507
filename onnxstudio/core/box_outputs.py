"""Boxes a detector gives already decoded, in outputs of their own: the boxes in one tensor, the scores and the
classes in others. Qt-free.

The layouts, told apart by the outputs' names and shapes:

- torchvision's detectors (Faster R-CNN, RetinaNet, SSD, FCOS): ``boxes`` [N, 4] corners in pixels, ``labels``
  [N], ``scores`` [N], already merged (the ONNX Model Zoo's Faster / Mask R-CNN name them by number: told by
  their shapes); Mask R-CNN adds ``masks`` [N, 1, H, W] (probabilities over the whole picture, or a 28 x 28
  patch per box in the Model Zoo's), Keypoint R-CNN ``keypoints`` [N, K, 3] (x, y in pixels, visibility) and
  their ``keypoints_scores`` [N, K];
- the TensorFlow Object Detection API (and the ONNX Model Zoo's SSD-MobileNet): ``detection_boxes`` [1, N, 4]
  as ymin, xmin, ymax, xmax in 0-1, ``detection_classes``, ``detection_scores`` [1, N], ``num_detections`` [1];
- the ONNX Model Zoo's SSD (``bboxes`` [1, N, 4] corners in 0-1, ``labels``, ``scores``);
- DETR and its kin (Hugging Face, RT-DETR's ``pred_boxes``): ``pred_boxes`` [1, N, 4] as centre x, centre y,
  width, height in 0-1, ``pred_logits`` [1, N, classes + 1], the last "no object";
- dense face detectors (UltraFace, the version-slim / RFB-320 models): ``boxes`` [1, N, 4] corners in 0-1 for
  every prior, ``scores`` [1, N, 2] background / face: thresholded and merged here.

Boxes come back in the model input's pixels (0-1 coordinates times the picture's size), as YOLO's do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from onnxstudio.core.detections import MAX_BOXES, Detection, _suppress
from onnxstudio.core.outputs import as_plain, label_of, softmax

_BOXES = re.compile(r"box", re.IGNORECASE)
_SCORES = re.compile(r"score|conf|prob|logit", re.IGNORECASE)
_CLASSES = re.compile(r"label|class", re.IGNORECASE)
_COUNT = re.compile(r"num_?det|count", re.IGNORECASE)
_KEYPOINTS = re.compile(r"keypoint|landmark", re.IGNORECASE)
_MASKS = re.compile(r"mask", re.IGNORECASE)
MAX_MASKS = 100  # masks drawn for the best detections (each pasted at the input's full size)


@dataclass(frozen=True)
class SplitHead:
    """Which outputs hold a detector's boxes, scores, classes and count, and how its boxes are written:
    ``order`` "xyxy", "yxyx" or "cxcywh"; ``normalized``: in 0-1 of the picture rather than its pixels."""

    boxes: str
    scores: str | None
    classes: str | None
    count: str | None
    order: str
    normalized: bool
    keypoints: str | None = None  # [N, K, 2 or 3]: x, y (and a visibility) per box, as its boxes are written
    masks: str | None = None  # [N, 1, H, W] or [N, H, W]: a mask per box, over the picture or a patch of its box
    others: tuple[str, ...] = ()  # more per-box outputs named as keypoints or masks (Keypoint R-CNN's scores)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.boxes, self.scores, self.classes, self.count, self.keypoints, self.masks,
                                 *self.others) if n)

    def describe(self) -> str:
        where = "0-1" if self.normalized else "pixels"
        return f"{self.boxes} ({self.order}, {where})" + "".join(f" + {n}" for n in self.names[1:])


def _rows(arr: np.ndarray, last: int | None = None) -> np.ndarray | None:
    """[N, last] (or [N] when ``last`` is None) of a tensor with a leading batch of 1 or none."""
    a = arr[0] if arr.ndim >= 2 and arr.shape[0] == 1 and (arr.ndim == 3 or last is None) else arr
    if last is None:
        return a if a.ndim == 1 else None
    return a if a.ndim == 2 and a.shape[1] == last else None


def find_split_head(outputs: Sequence[tuple[str, object]]) -> SplitHead | None:
    """The detector layout of a run's outputs (see the module's docstring), or None: a float boxes tensor named
    so ([N, 4] or [1, N, 4]) and a scores tensor of as many rows ([N], [1, N], or [1, N, classes])."""
    arrays = {n: as_plain(v) for n, v in outputs if isinstance(v, np.ndarray) and v.dtype.kind in "biuf"}
    boxes = [n for n, a in arrays.items() if _BOXES.search(n) and a.dtype.kind == "f" and _rows(a, 4) is not None]
    if not boxes:
        return _unnamed_head(arrays)
    if len(boxes) != 1:
        return None
    name = boxes[0]
    n = len(_rows(arrays[name], 4))  # type: ignore[arg-type]

    def rows_of(a: np.ndarray) -> bool:
        r = _rows(a)
        if r is not None:
            return len(r) == n
        return a.ndim in (2, 3) and a.shape[-2] == n and a.shape[-1] >= 2 and (a.ndim == 2 or a.shape[0] == 1)

    scores = [s for s, a in arrays.items() if s != name and _SCORES.search(s) and a.dtype.kind == "f" and rows_of(a)]
    if len(scores) > 1:  # Keypoint R-CNN's keypoints_scores beside its scores
        scores = [s for s in scores if not (_KEYPOINTS.search(s) or _MASKS.search(s))]
    if len(scores) != 1:
        return None
    classes = [c for c, a in arrays.items() if c not in (name, scores[0]) and _CLASSES.search(c)
               and (r := _rows(a)) is not None and len(r) == n]
    count = [c for c, a in arrays.items() if _COUNT.search(c) and a.size == 1]
    box = arrays[name].astype(np.float64)
    finite = box[np.isfinite(box)]
    normalized = bool(finite.size == 0 or (finite.min() >= -0.5 and finite.max() <= 1.5))
    lower = name.lower()
    order = "yxyx" if lower.startswith("detection_boxes") else "cxcywh" if lower.startswith("pred_boxes") else "xyxy"
    rows = _rows(box, 4)
    if order == "xyxy" and rows is not None and len(rows):  # corners out of order: centre and size
        backwards = (rows[:, 2] < rows[:, 0]) | (rows[:, 3] < rows[:, 1])
        if backwards.mean() > 0.1:
            order = "cxcywh"
    taken = {name, scores[0], *classes[:1], *count[:1]}
    keypoints = [k for k, a in arrays.items() if k not in taken and _KEYPOINTS.search(k) and not _SCORES.search(k)
                 and a.dtype.kind == "f" and (p := _per_box(a, n)) is not None and p.ndim == 3
                 and p.shape[2] in (2, 3)]
    masks = [m for m, a in arrays.items() if m not in taken and _MASKS.search(m) and _mask_planes(a, n) is not None]
    found = {*taken, *keypoints[:1], *masks[:1]}
    others = tuple(o for o, a in arrays.items() if o not in found and (_KEYPOINTS.search(o) or _MASKS.search(o))
                   and _per_box(a, n) is not None)
    return SplitHead(name, scores[0], classes[0] if len(classes) == 1 else None, count[0] if count else None, order,
                     normalized, keypoints[0] if len(keypoints) == 1 else None, masks[0] if len(masks) == 1 else None,
                     others)


def _per_box(arr: np.ndarray, n: int) -> np.ndarray | None:
    """[n, ...] of a per-box tensor of two or more dims ([n, K, 3]), a leading batch of 1 dropped ([1, n, K, 3])."""
    if arr.ndim >= 2 and arr.shape[0] == n:
        return arr
    return arr[0] if arr.ndim >= 3 and arr.shape[:2] == (1, n) else None


def _mask_planes(arr: np.ndarray, n: int) -> np.ndarray | None:
    """[N, H, W] of a float [N, 1, H, W] or [N, H, W] tensor of ``n`` masks at least 8 x 8, else None."""
    if arr.dtype.kind != "f" or not arr.shape or arr.shape[0] != n:
        return None
    planes = arr[:, 0] if arr.ndim == 4 and arr.shape[1] == 1 else arr if arr.ndim == 3 else None
    return planes if planes is not None and min(planes.shape[1:]) >= 8 else None


def _unnamed_head(arrays: dict[str, np.ndarray]) -> SplitHead | None:
    """The ONNX Model Zoo's Faster / Mask R-CNN name their outputs by number (``6379``, ``6381``, ``6383``): a
    torchvision head told by its shapes alone — one float [N, 4] (corners in pixels), one float [N] of scores
    in 0-1 and at most one integer [N] of classes, nothing else of N rows but [N, ...] masks."""
    four = [n for n, a in arrays.items() if a.dtype.kind == "f" and a.ndim == 2 and a.shape[1] == 4]
    if len(four) != 1:
        return None
    n = arrays[four[0]].shape[0]
    rows = {name: a for name, a in arrays.items() if name != four[0] and a.ndim == 1 and a.shape[0] == n}
    with np.errstate(invalid="ignore"):
        scores = [name for name, a in rows.items() if a.dtype.kind == "f" and (a.size == 0 or (
            np.isfinite(a).all() and a.min() >= 0 and a.max() <= 1))]
    classes = [name for name, a in rows.items() if a.dtype.kind in "iu"]
    if len(scores) != 1 or len(classes) > 1 or len(rows) != len(scores) + len(classes):
        return None
    masks = [name for name, a in arrays.items() if a.ndim == 4 and _mask_planes(a, n) is not None]
    return SplitHead(four[0], scores[0], classes[0] if classes else None, None, "xyxy", False,
                     masks=masks[0] if len(masks) == 1 else None)


def picture_size(shapes: Sequence[Sequence[int]]) -> tuple[int, int] | None:
    """(height, width) of the first picture-shaped input ([1, 3, H, W] or [1, H, W, 3]; torchvision's detectors
    take one [3, H, W]), for 0-1 boxes and masks."""
    for shape in shapes:
        s = [int(d) for d in shape]
        if len(s) == 4 and s[1] in (1, 3) and s[3] not in (1, 3):
            return s[2], s[3]
        if len(s) == 4 and s[3] in (1, 3):
            return s[1], s[2]
    for shape in shapes:
        s = [int(d) for d in shape]
        if len(s) == 3 and s[0] == 3 and min(s[1:]) >= 8:
            return s[1], s[2]
    return None


def split_detections(head: SplitHead, outputs: dict[str, np.ndarray], size: tuple[int, int] | None,
                     labels: list[str] | None = None, threshold: float = 0.25, iou: float = 0.45) -> list[Detection]:
    """The boxes of a split head scoring at least ``threshold``, best first, in the input's pixels (0-1 boxes
    times ``size`` = height, width; as they are where it is None). Dense heads (more rows than a detector keeps)
    are merged per class (IoU over ``iou``); the others were merged by the model."""
    box = _rows(as_plain(outputs[head.boxes]), 4)
    raw = as_plain(outputs[head.scores]) if head.scores else None
    if box is None or raw is None:
        return []
    box = box.astype(np.float64)
    scored = _rows(raw)
    if scored is not None:  # one score per box; its class in the classes tensor, if any
        score = scored.astype(np.float64)
        cls = np.zeros(len(score), np.intp)
        if head.classes is not None:
            c = _rows(as_plain(outputs[head.classes]))
            if c is not None and np.isfinite(c).all():
                cls = np.round(c).astype(np.intp)
    else:  # [N, classes]: per box a distribution (a background first) or logits (DETR: "no object" last)
        table = raw.reshape(raw.shape[-2:]).astype(np.float64)
        if head.order == "cxcywh" or (head.scores and "logit" in head.scores.lower()):
            probs = softmax(table, axis=1)[:, :-1] if head.order == "cxcywh" else softmax(table, axis=1)
            first = 0
        else:
            sums = table.sum(axis=1)
            first = 1 if np.allclose(sums, 1.0, atol=1e-3) else 0  # a distribution: class 0 is the background
            probs = table
        cls = np.argmax(probs[:, first:], axis=1) + first
        score = probs[np.arange(len(probs)), cls]
    if head.count is not None:
        count = float(np.asarray(outputs[head.count], np.float64).ravel()[0])
        k = int(min(max(count, 0.0), len(box))) if np.isfinite(count) else len(box)  # a count NaN or off: all
        box, score, cls = box[:k], score[:k], cls[:k]
    box = _corners(box, head.order)
    if head.normalized and size is not None:
        h, w = size
        box = box * np.array([w, h, w, h], np.float64)
    keep = np.flatnonzero(np.isfinite(score) & (score >= threshold) & np.isfinite(box).all(axis=1))
    keep = keep[np.argsort(-score[keep], kind="stable")]
    if len(box) > MAX_BOXES:  # every prior of a dense head: merge overlapping boxes of a class
        keep = keep[_suppress(box[keep], cls[keep], iou)]
    return [Detection(tuple(float(v) for v in box[i]), int(cls[i]), label_of(labels, int(cls[i])),  # type: ignore[arg-type]
                      float(score[i]), i) for i in keep[:MAX_BOXES].tolist()]


def _box_count(head: SplitHead, outputs: dict[str, np.ndarray]) -> int:
    """How many boxes the head gives: the rows its keypoints and masks come in."""
    return len(as_plain(outputs[head.boxes]).reshape(-1, 4))


def split_keypoints(head: SplitHead, outputs: dict[str, np.ndarray], found: list[Detection],
                    size: tuple[int, int] | None) -> list[np.ndarray]:
    """Each detection's keypoints ([K, 3]: x, y in the input's pixels, visibility; 1 where the model gives none),
    one array per detection of ``found`` (:func:`split_detections`'), or [] for a head without keypoints."""
    if head.keypoints is None:
        return []
    points = _per_box(as_plain(outputs[head.keypoints]), _box_count(head, outputs))
    if points is None or points.ndim != 3 or points.shape[2] not in (2, 3):
        return []
    points = points.astype(np.float64)
    if points.shape[2] == 2:
        points = np.concatenate([points, np.ones(points.shape[:2] + (1,))], axis=2)
    if head.normalized and size is not None:
        points = points * [size[1], size[0], 1]
    return [points[d.anchor] for d in found if 0 <= d.anchor < len(points)]


def split_mask_owners(head: SplitHead, outputs: dict[str, np.ndarray], found: list[Detection],
                      size: tuple[int, int]) -> np.ndarray | None:
    """Which detection of ``found`` each pixel of the model's input (``size`` = height, width) belongs to (-1 for
    none), from a Mask R-CNN's masks: planes the size of the picture are read as they are (torchvision pastes
    them), smaller ones are a patch of their box (the Model Zoo's 28 x 28), scaled onto it as torchvision's
    ``paste_masks_in_image`` does; a pixel is the mask's over 0.5 (over 0 where the values are logits). The best
    detections win where masks overlap; at most :data:`MAX_MASKS`. None for a head without masks."""
    from PIL import Image  # resizes a float image bilinearly

    planes = _mask_planes(as_plain(outputs[head.masks]), _box_count(head, outputs)) if head.masks else None
    if planes is None:
        return None
    with np.errstate(invalid="ignore"):
        cut = 0.5 if planes.size == 0 or (np.nanmin(planes) >= 0 and np.nanmax(planes) <= 1) else 0.0
    height, width = size
    owners = np.full((height, width), -1, np.int32)
    chosen = [(i, d) for i, d in enumerate(found[:MAX_MASKS]) if 0 <= d.anchor < len(planes)
              and np.isfinite(d.box).all()]
    for i, d in reversed(chosen):  # the best last, on top
        plane = planes[d.anchor].astype(np.float32)
        if plane.shape == (height, width):
            owners[plane > cut] = i
            continue
        x0, y0, x1, y1 = (round(v) for v in d.box)
        bw, bh = max(x1 - x0, 1), max(y1 - y0, 1)
        if bw * bh > 16 * height * width:  # a box far larger than the picture: nothing sensible to paste
            continue
        patch = np.asarray(Image.fromarray(plane).resize((bw, bh), Image.Resampling.BILINEAR)) > cut
        cx0, cy0, cx1, cy1 = max(x0, 0), max(y0, 0), min(x0 + bw, width), min(y0 + bh, height)
        if cx1 > cx0 and cy1 > cy0:
            inside = patch[cy0 - y0:cy1 - y0, cx0 - x0:cx1 - x0]
            owners[cy0:cy1, cx0:cx1][inside] = i
    return owners


def _corners(box: np.ndarray, order: str) -> np.ndarray:
    """x0, y0, x1, y1 of boxes written as ``order``."""
    if order == "yxyx":
        return box[:, [1, 0, 3, 2]]
    if order == "cxcywh":
        cx, cy, w, h = box.T
        return np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1)
    return box
