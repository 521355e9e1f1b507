"""Detectors whose boxes, scores and classes come in outputs of their own (torchvision, the TensorFlow Object
Detection API, DETR, dense face detectors), run in real sessions of models that answer such tensors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from onnxstudio.core.box_outputs import (
    find_split_head,
    picture_size,
    split_detections,
    split_keypoints,
    split_mask_owners,
)
from tests import models


def _run(tmp_path: Path, outputs: dict[str, np.ndarray], **kw) -> list[tuple[str, np.ndarray]]:
    path = models.fixed_outputs_model(tmp_path / "det.onnx", outputs, **kw)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feed = session.get_inputs()[0]
    shape = [d if isinstance(d, int) else 1 for d in feed.shape]
    dtype = np.uint8 if feed.type == "tensor(uint8)" else np.float32
    values = session.run(None, {feed.name: np.zeros(shape, dtype)})
    return [(o.name, v) for o, v in zip(session.get_outputs(), values, strict=True)]


def test_torchvision_boxes_labels_scores(tmp_path: Path) -> None:
    """Faster R-CNN / RetinaNet as torchvision exports them: corners in pixels, int64 labels, merged already."""
    outs = _run(tmp_path, {"boxes": np.array([[10, 20, 50, 60], [5, 5, 30, 30], [0, 0, 8, 8]], np.float32),
                           "labels": np.array([1, 3, 1], np.int64), "scores": np.array([0.9, 0.6, 0.1], np.float32)})
    head = find_split_head(outs)
    assert head is not None and (head.boxes, head.scores, head.classes, head.count) == ("boxes", "scores", "labels",
                                                                                         None)
    assert head.order == "xyxy" and not head.normalized
    found = split_detections(head, dict(outs), (64, 64), ["bg", "person", "bike", "car"])
    assert [(d.label, round(d.score, 2), d.box) for d in found] == [("person", 0.9, (10, 20, 50, 60)),
                                                                    ("car", 0.6, (5, 5, 30, 30))]
    assert split_detections(head, dict(outs), None, threshold=0.05)[2].index == 1


def test_tensorflow_object_detection_api(tmp_path: Path) -> None:
    """SSD-MobileNet (TF OD API, the ONNX Model Zoo's): ymin, xmin, ymax, xmax in 0-1, float classes, scores,
    num_detections; a uint8 NHWC picture."""
    boxes = np.zeros((1, 5, 4), np.float32)
    boxes[0, 0] = [0.1, 0.2, 0.5, 0.6]
    boxes[0, 1] = [0.0, 0.0, 1.0, 0.5]
    boxes[0, 2] = [0.3, 0.3, 0.4, 0.4]  # past num_detections
    outs = _run(tmp_path, {"detection_boxes:0": boxes,
                           "detection_classes:0": np.array([[18, 1, 3, 0, 0]], np.float32),
                           "detection_scores:0": np.array([[0.8, 0.5, 0.9, 0, 0]], np.float32),
                           "num_detections:0": np.array([2], np.float32)},
                image=[1, "h", "w", 3], image_dtype=2)  # TensorProto.UINT8
    head = find_split_head(outs)
    assert head is not None and head.order == "yxyx" and head.normalized and head.count == "num_detections:0"
    assert picture_size([[1, 300, 400, 3]]) == (300, 400) and picture_size([[1, 3, 224, 320]]) == (224, 320)
    found = split_detections(head, dict(outs), (300, 400))
    assert [(d.index, d.box) for d in found] == [(18, pytest.approx((80, 30, 240, 150))),
                                                 (1, pytest.approx((0, 0, 200, 300)))]


def test_detr_centres_and_logits_with_no_object_last(tmp_path: Path) -> None:
    logits = np.array([[[8, 0, 0, 0], [0, 0, 0, 9], [0, 0, 7, 0]]], np.float32)  # row 1: "no object"
    pred = np.array([[[0.5, 0.5, 0.2, 0.4], [0.1, 0.1, 0.1, 0.1], [0.25, 0.75, 0.5, 0.5]]], np.float32)
    outs = _run(tmp_path, {"pred_logits": logits, "pred_boxes": pred})
    head = find_split_head(outs)
    assert head is not None and head.order == "cxcywh" and head.classes is None
    found = split_detections(head, dict(outs), (100, 200))
    assert [(d.index, d.box) for d in found] == [(0, pytest.approx((80, 30, 120, 70))),
                                                 (2, pytest.approx((0, 50, 100, 100)))]
    assert found[0].score > 0.99


def test_a_dense_face_detector_is_thresholded_and_merged(tmp_path: Path) -> None:
    """UltraFace: a box and background/face probabilities for each of its priors; overlapping boxes merge."""
    n = 400
    boxes = np.tile(np.array([[0.0, 0.0, 0.05, 0.05]], np.float32), (n, 1))
    scores = np.tile(np.array([[0.99, 0.01]], np.float32), (n, 1))
    boxes[10], scores[10] = [0.20, 0.20, 0.40, 0.45], [0.05, 0.95]
    boxes[11], scores[11] = [0.21, 0.20, 0.41, 0.46], [0.1, 0.9]  # the same face again
    boxes[12], scores[12] = [0.60, 0.10, 0.80, 0.30], [0.3, 0.7]
    outs = _run(tmp_path, {"scores": scores[None], "boxes": boxes[None]})
    head = find_split_head(outs)
    assert head is not None and head.normalized and head.order == "xyxy"
    found = split_detections(head, dict(outs), (240, 320), ["background", "face"])
    assert [(d.label, round(d.score, 2)) for d in found] == [("face", 0.95), ("face", 0.7)]
    assert found[0].box == pytest.approx((64, 48, 128, 108))


def test_the_model_zoos_faster_rcnn_is_told_by_its_shapes(tmp_path: Path) -> None:
    """FasterRCNN-10 and MaskRCNN-10 (ONNX Model Zoo) name their outputs 6379, 6381, 6383 (and 6385, the masks)
    and take a [3, H, W] picture: boxes [N, 4] in pixels, labels int64 [N], scores [N] in 0-1."""
    outs = _run(tmp_path, {"6379": np.array([[30, 40, 120, 150], [200, 60, 260, 100]], np.float32),
                           "6381": np.array([1, 3], np.int64), "6383": np.array([0.97, 0.2], np.float32),
                           "6385": np.zeros((2, 1, 28, 28), np.float32)}, image=[3, "height", "width"])
    head = find_split_head(outs)
    assert head is not None and (head.boxes, head.scores, head.classes) == ("6379", "6383", "6381")
    assert [(d.index, d.box) for d in split_detections(head, dict(outs), None)] == [(1, (30, 40, 120, 150))]
    floats = [("a", np.zeros((2, 4), np.float32)), ("b", np.array([3.0, -1.0], np.float32))]
    assert find_split_head(floats) is None  # values that are no scores
    assert find_split_head(floats[:1] + [("c", np.array([0.5, 0.5], np.float32)),
                                         ("d", np.array([0.1, 0.2], np.float32))]) is None  # which are the scores?


def test_keypoint_rcnn_keypoints_follow_their_boxes(tmp_path: Path) -> None:
    """torchvision's Keypoint R-CNN: keypoints [N, 17, 3] (x, y in pixels, visibility 1) and keypoints_scores
    [N, 17] beside scores [N]: the scores are the boxes' (not the keypoints'), each kept box has its keypoints."""
    points = np.zeros((3, 17, 3), np.float32)
    points[..., 2] = 1
    points[0, :, :2], points[2, :, :2] = 10, 40
    outs = _run(tmp_path, {"boxes": np.array([[0, 0, 20, 20], [5, 5, 9, 9], [30, 30, 50, 60]], np.float32),
                           "labels": np.ones(3, np.int64), "scores": np.array([0.6, 0.1, 0.9], np.float32),
                           "keypoints": points, "keypoints_scores": np.full((3, 17), 5.0, np.float32)},
                image=[3, "height", "width"])
    head = find_split_head(outs)
    assert head is not None and (head.scores, head.keypoints, head.masks) == ("scores", "keypoints", None)
    assert head.others == ("keypoints_scores",) and "keypoints_scores" in head.names
    found = split_detections(head, dict(outs), (64, 64))
    assert [d.score for d in found] == pytest.approx([0.9, 0.6])
    kept = split_keypoints(head, dict(outs), found, (64, 64))
    assert [k.shape for k in kept] == [(17, 3), (17, 3)] and kept[0][0].tolist() == [40, 40, 1]
    assert kept[1][0].tolist() == [10, 10, 1] and picture_size([[3, 64, 80]]) == (64, 80)
    assert split_mask_owners(head, dict(outs), found, (64, 64)) is None  # no masks


def test_mask_rcnn_masks_cover_their_objects(tmp_path: Path) -> None:
    """torchvision's Mask R-CNN pastes each mask on the whole picture ([N, 1, H, W], probabilities): a pixel is the
    best box's whose mask is over 0.5 there; boxes under the threshold have no pixels."""
    masks = np.zeros((3, 1, 32, 48), np.float32)
    masks[0, 0, 0:10, 0:10] = 0.9
    masks[1, 0, 5:15, 5:15] = 0.8  # overlaps the first: the better box wins there
    masks[2, 0, 20:30, 20:30] = 0.4  # under 0.5: no pixel
    outs = _run(tmp_path, {"boxes": np.array([[0, 0, 10, 10], [5, 5, 15, 15], [20, 20, 30, 30]], np.float32),
                           "labels": np.array([1, 2, 3], np.int64), "scores": np.array([0.7, 0.95, 0.8], np.float32),
                           "masks": masks}, image=[3, 32, 48])
    head = find_split_head(outs)
    assert head is not None and head.masks == "masks" and head.keypoints is None
    found = split_detections(head, dict(outs), (32, 48))
    owners = split_mask_owners(head, dict(outs), found, (32, 48))
    assert owners is not None and owners.shape == (32, 48)
    assert [d.index for d in found] == [2, 3, 1]  # best first: owner 0 is label 2's box
    assert np.bincount(owners[owners >= 0], minlength=3).tolist() == [100, 0, 75]
    assert owners[7, 7] == 0 and owners[2, 2] == 2 and owners[25, 25] == -1


def test_the_model_zoos_mask_rcnn_pastes_a_patch_in_its_box(tmp_path: Path) -> None:
    """MaskRCNN-10 (ONNX Model Zoo) gives a 28 x 28 mask per box, named by number: scaled onto its box."""
    patch = np.zeros((1, 1, 28, 28), np.float32)
    patch[0, 0, :, :14] = 1.0  # the box's left half
    outs = _run(tmp_path, {"6568": np.array([[10, 20, 38, 48]], np.float32), "6570": np.array([1], np.int64),
                           "6572": np.array([0.9], np.float32), "6887": patch}, image=[3, "height", "width"])
    head = find_split_head(outs)
    assert head is not None and head.masks == "6887"
    found = split_detections(head, dict(outs), None)
    owners = split_mask_owners(head, dict(outs), found, (64, 64))
    assert owners is not None
    ys, xs = np.nonzero(owners == 0)
    assert (ys.min(), ys.max(), xs.min(), xs.max()) == (20, 47, 10, 23)


def test_other_outputs_are_no_split_head(tmp_path: Path) -> None:
    assert find_split_head(_run(tmp_path, {"probabilities": np.full((1, 10), 0.1, np.float32)})) is None
    assert find_split_head([("boxes", np.zeros((3, 4), np.float32))]) is None  # no scores
    assert find_split_head([("boxes", np.zeros((3, 4), np.float32)), ("scores", np.zeros(5, np.float32))]) is None
    empty = [("boxes", np.zeros((0, 4), np.float32)), ("scores", np.zeros(0, np.float32)),
             ("labels", np.zeros(0, np.int64))]
    head = find_split_head(empty)
    assert head is not None and split_detections(head, dict(empty), (64, 64)) == []
    odd = [("detection_boxes", np.array([[[0, 0, 0.5, 0.5]]], np.float32)),
           ("detection_scores", np.array([[0.9]], np.float32)), ("num_detections", np.array([np.nan], np.float32))]
    head = find_split_head(odd)
    assert head is not None and len(split_detections(head, dict(odd), (10, 10))) == 1  # a count of NaN: all rows
    odd[2] = ("num_detections", np.array([-3], np.float32))
    assert split_detections(head, dict(odd), (10, 10)) == []
