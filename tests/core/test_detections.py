"""YOLO outputs decoded into boxes: both heads' layouts, the score threshold, suppression per class."""

from __future__ import annotations

import numpy as np
import pytest

from onnxstudio.core import detections as det


def _v8(boxes: list[tuple[float, float, float, float, int, float]], classes: int = 3, anchors: int = 2100,
        ) -> np.ndarray:
    """[1, 4 + classes, anchors]: (cx, cy, w, h, class, score) per box, every other anchor scoring 0.001."""
    out = np.zeros((1, 4 + classes, anchors), np.float32)
    out[0, 4:] = 0.001
    for i, (cx, cy, w, h, c, s) in enumerate(boxes):
        out[0, :4, i] = (cx, cy, w, h)
        out[0, 4 + c, i] = s
    return out


def test_layouts_by_shape() -> None:
    assert det.layout((1, 84, 8400)) == "v8" and det.layout((1, 22, 2100)) == "v8"  # 640 px, NudeNet at 320
    assert det.layout((1, 25200, 85)) == "v5" and det.layout((1, 6300, 85)) == "v5"
    assert det.layout((1, 3549, 6)) == "yolox" and det.layout((1, 8400, 85)) == "yolox"  # one anchor a cell
    for shape in ((1, 84, 8000), (1, 1000), (2, 84, 8400), (1, 3550, 6)):
        assert det.layout(shape) is None, shape


def test_boxes_thresholded_and_merged_per_class() -> None:
    value = _v8([(100, 100, 40, 40, 0, 0.9),   # kept
                 (102, 101, 40, 40, 0, 0.8),   # the same object, same class: merged into the first
                 (102, 101, 40, 40, 1, 0.7),   # the same place, another class: kept
                 (300, 300, 20, 60, 2, 0.3),   # kept at 0.25, not at 0.5
                 (500, 500, 10, 10, 2, 0.1)])  # below the threshold
    found = det.detections(value, ["cat", "dog"])
    assert [(d.label, round(d.score, 2)) for d in found] == [("cat", 0.9), ("dog", 0.7), ("2", 0.3)]
    assert found[0].box == pytest.approx((80, 80, 120, 120)) and found[2].box == pytest.approx((290, 270, 310, 330))
    assert len(det.detections(value, threshold=0.5)) == 2
    assert len(det.detections(value, threshold=0.05, iou=0.99)) == 5  # nothing overlaps that much


def test_yolov5_scores_are_times_objectness() -> None:
    value = np.zeros((1, 6300, 7), np.float32)  # 5 + 2 classes at 320 px
    value[0, 0] = (50, 60, 20, 20, 0.9, 0.1, 0.8)   # 0.72 for class 1
    value[0, 1] = (150, 60, 20, 20, 0.2, 0.9, 0.1)  # 0.18: below 0.25
    found = det.detections(value)
    assert len(found) == 1 and found[0].index == 1 and found[0].score == pytest.approx(0.72)
    assert found[0].box == pytest.approx((40, 50, 60, 70))


def test_many_candidates_stay_fast_and_capped() -> None:
    rng = np.random.default_rng(0)
    value = (rng.random((1, 84, 8400)) * np.array([640] * 4 + [1] * 80, np.float32)[None, :, None]).astype(np.float32)
    assert len(det.detections(value)) == det.MAX_BOXES
    assert det.detections(np.zeros((1, 84, 8400), np.float32)) == []
    assert det.detections(np.zeros((1, 84, 8400), np.int64)) == []  # not scores


def test_end_to_end_heads_are_taken_as_they_are() -> None:
    """YOLOv10 / YOLO26 and exports with nms=True: [1, 300, 6] corners, score, class, already merged; a tensor
    of that shape holding something else is not read as boxes."""
    value = np.zeros((1, 300, 6), np.float32)
    value[0, 0] = (10, 20, 50, 80, 0.9, 3)
    value[0, 1] = (12, 22, 52, 82, 0.6, 3)  # overlapping, same class: the model kept both, so do we
    value[0, 2] = (0, 0, 5, 5, 0.1, 1)
    assert det.layout(value.shape) == "e2e" and det.plausible(value)
    found = det.detections(value, ["a", "b", "c", "d"])
    assert [(d.label, d.box) for d in found] == [("d", (10, 20, 50, 80)), ("d", (12, 22, 52, 82))]
    assert det.layout((1, 3549, 6)) == "yolox"  # YOLOX's raw grid (ddddocr's detector), not end to end
    other = np.random.default_rng(0).normal(size=(1, 100, 6)).astype(np.float32)
    assert not det.plausible(other) and det.detections(other) == []


def test_mask_coefficients_and_keypoints_after_the_classes_are_not_classes() -> None:
    """A -seg head is [1, 4 + classes + 32, anchors] and a -pose head [1, 4 + classes + 51, anchors]: only the
    leading columns in 0-1 are class scores (a YOLO11-seg captcha model of one class read 33 classes, scoring up
    to 1.4, before)."""
    rng = np.random.default_rng(0)
    seg = np.concatenate([_v8([(100, 100, 40, 40, 1, 0.9)], classes=2),
                          rng.normal(0, 1, (1, 32, 2100)).astype(np.float32)], axis=1)
    assert det.class_count(seg) == 2 and det.plausible(seg)
    found = det.detections(seg, ["a", "b"])
    assert [(d.label, round(d.score, 2)) for d in found] == [("b", 0.9)]
    keypoints = np.tile(np.array([320, 240, 0.9], np.float32), 17)[None, :, None].repeat(2100, axis=2)
    pose = np.concatenate([_v8([(50, 60, 20, 30, 0, 0.8)], classes=1), keypoints], axis=1)
    assert det.class_count(pose) == 1 and [d.index for d in det.detections(pose)] == [0]
    points = det.keypoints(pose, det.detections(pose))
    assert len(points) == 1 and points[0].shape == (17, 3) and points[0][0].tolist() == pytest.approx([320, 240, 0.9])
    assert det.keypoints(seg, det.detections(seg)) == []  # mask coefficients are not keypoints
    assert det.class_count(np.full((1, 40, 2100), 3.0, np.float32)) == 0
    assert not det.plausible(np.full((1, 40, 2100), 3.0, np.float32))  # no column of scores: not boxes


def test_the_prototypes_of_a_seg_head_are_found_by_their_count() -> None:
    rng = np.random.default_rng(0)
    seg = np.concatenate([_v8([(100, 100, 40, 40, 1, 0.9)], classes=2),
                          rng.normal(0, 1, (1, 32, 2100)).astype(np.float32)], axis=1)
    protos = rng.normal(size=(1, 32, 80, 80)).astype(np.float32)
    others = [np.zeros((1, 16, 80, 80), np.float32), protos]
    assert det.mask_protos(seg, others) is protos
    assert det.mask_protos(_v8([(1, 1, 1, 1, 0, 0.9)]), others) is None  # a plain detector has no masks
    found = det.detections(seg)
    owners = det.mask_owners(seg, protos, found, (320, 320))
    assert owners.shape == (320, 320) and set(np.unique(owners)) <= {-1, 0}
    assert (owners[:80] == -1).all()  # nothing outside the box (y 80-120)


def test_an_obb_heads_boxes_are_turned_and_merged_by_their_overlap() -> None:
    """YOLOv8-obb: [1, 4 + classes + 1, anchors], the last column each box's rotation in radians (Ultralytics
    writes -pi/4 .. 3 pi/4). Boxes keep their angle; corners turn about the centre; overlapping rotated boxes of a
    class merge by probiou, as Ultralytics' rotated NMS does, while a crossing one at 90 degrees stays."""
    value = np.zeros((1, 4 + 2 + 1, 2100), np.float32)
    value[0, 4:6] = 0.001
    value[0, 6] = np.linspace(-np.pi / 4, 3 * np.pi / 4, 2100)  # angles all over their range
    for i, (cx, cy, w, h, c, s, a) in enumerate([(100, 100, 80, 20, 0, 0.9, np.pi / 6),
                                                 (101, 100, 80, 20, 0, 0.8, np.pi / 6 + 0.02),  # the same ship
                                                 (100, 100, 80, 20, 0, 0.7, np.pi / 6 + np.pi / 2),  # crossing it
                                                 (250, 200, 40, 40, 1, 0.6, 0.0)]):
        value[0, :, i] = (cx, cy, w, h, 0.001, 0.001, a)
        value[0, 4 + c, i] = s
    assert det.class_count(value) == 2
    found = det.detections(value, ["ship", "tank"])
    assert [(d.label, round(d.score, 1)) for d in found] == [("ship", 0.9), ("ship", 0.7), ("tank", 0.6)]
    assert found[0].angle == pytest.approx(np.pi / 6) and found[0].box == pytest.approx((60, 90, 140, 110))
    corners = found[0].corners()
    half = np.array([np.cos(np.pi / 6), np.sin(np.pi / 6)]) * 40  # half the width along the turned axis
    assert corners.mean(axis=0) == pytest.approx((100, 100))
    assert (corners[1] + corners[2]) / 2 == pytest.approx(np.array([100, 100]) + half)
    assert found[2].corners() == pytest.approx(np.array([[230, 180], [270, 180], [270, 220], [230, 220]]))
    same = np.array([100, 100, 80, 20, 0.5])
    assert det.probiou(same, same[None])[0] == pytest.approx(1, abs=1e-3)
    assert det.probiou(same, np.array([[400, 400, 80, 20, 0.5]]))[0] < 1e-3
    assert det.detections(_v8([(100, 100, 40, 40, 0, 0.9)]))[0].angle is None  # a plain head: no angle


def test_yolox_boxes_are_decoded_from_their_cells() -> None:
    """YOLOX (ddddocr's character detector, 416 px: 52² + 26² + 13² = 3549 cells) writes each box as offsets from
    its cell and log sizes, times the stride, then objectness and class scores: decoded as YOLOX's own
    ``demo_postprocess``; a YOLOv8 head written transposed ([1, 8400, 84], boxes in pixels) is read as YOLOv8."""
    value = np.zeros((1, 3549, 6), np.float32)
    value[0, :, 4:] = 0.01
    cell = 5 * 52 + 10  # stride 8, column 10, row 5
    value[0, cell] = (0.5, 0.25, np.log(4), np.log(2), 0.9, 0.8)
    coarse = 52 * 52 + 26 * 26 + 13 * 3 + 7  # stride 32, column 7, row 3
    value[0, coarse] = (0.0, 0.0, 0.0, 0.0, 0.5, 0.6)
    assert det.plausible(value)
    found = det.detections(value, ["char"])
    assert [(d.label, round(d.score, 2)) for d in found] == [("char", 0.72), ("char", 0.3)]
    cx, cy = (10 + 0.5) * 8, (5 + 0.25) * 8
    assert found[0].box == pytest.approx((cx - 16, cy - 8, cx + 16, cy + 8))  # 4 x 8 wide, 2 x 8 high
    assert found[1].box == pytest.approx((7 * 32 - 16, 3 * 32 - 16, 7 * 32 + 16, 3 * 32 + 16))
    v8 = _v8([(100, 100, 40, 40, 0, 0.9), (300, 200, 20, 60, 2, 0.5)], classes=80, anchors=8400)
    transposed = np.ascontiguousarray(v8.transpose(0, 2, 1))  # [1, 8400, 84]: boxes in pixels, anchors first
    assert det.layout(transposed.shape) == "yolox" and det.plausible(transposed)
    assert det.detections(transposed) == det.detections(v8) and len(det.detections(v8)) == 2
    assert det.canonical(transposed).shape == (1, 84, 8400) and det.canonical(value) is value
