"""MoveNet's keypoints (single and multi pose) as people on the picture, from real sessions of models answering
such tensors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from onnxstudio.core import poses
from onnxstudio.core.imaging import guess_recipe
from onnxstudio.core.values import ValueSpec
from tests import models


def _answer(tmp_path: Path, value: np.ndarray) -> np.ndarray:
    path = models.fixed_outputs_model(tmp_path / "movenet.onnx", {"output_0": value}, image=[1, 192, 192, 3],
                                      image_dtype=6)  # TensorProto.INT32, as TF Hub's MoveNet takes its pixels
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {"image": np.zeros((1, 192, 192, 3), np.int32)})[0]


def test_a_single_pose_becomes_a_person_with_its_keypoints(tmp_path: Path) -> None:
    k = np.zeros((1, 1, 17, 3), np.float32)
    k[0, 0, :, 0] = np.linspace(0.1, 0.9, 17)  # y
    k[0, 0, :, 1] = 0.5  # x
    k[0, 0, :, 2] = 0.8
    k[0, 0, 16] = (0.99, 0.99, 0.05)  # an ankle it did not see
    rows = poses.movenet(_answer(tmp_path, k))
    assert rows is not None and rows.shape == (1, 56)
    found, points = poses.people(rows, (200, 100))
    assert len(found) == 1 and found[0].label == "person"
    assert found[0].score == pytest.approx(k[0, 0, :, 2].mean())
    assert points[0][0] == pytest.approx((50, 20, 0.8)) and points[0].shape == (17, 3)
    assert found[0].box == pytest.approx((50, 20, 50, 0.85 * 200))  # around the keypoints it saw


def test_multi_pose_people_are_ranked_and_thresholded(tmp_path: Path) -> None:
    rows = np.zeros((1, 6, 56), np.float32)
    rows[0, 0, :51] = np.tile([0.5, 0.25, 0.9], 17)
    rows[0, 0, 51:] = (0.1, 0.2, 0.9, 0.3, 0.4)  # ymin, xmin, ymax, xmax, score
    rows[0, 1, :51] = np.tile([0.5, 0.75, 0.9], 17)
    rows[0, 1, 51:] = (0.2, 0.6, 0.8, 0.9, 0.8)
    found, points = poses.people(poses.movenet(_answer(tmp_path, rows)), (100, 200))
    assert [round(d.score, 1) for d in found] == [0.8, 0.4]
    assert found[0].box == pytest.approx((120, 20, 180, 80)) and points[0][0, :2] == pytest.approx((150, 50))
    assert len(poses.people(poses.movenet(rows), (100, 200), threshold=0.5)[0]) == 1


def test_other_tensors_are_no_poses() -> None:
    assert poses.movenet(np.full((1, 1, 17, 3), 2.0, np.float32)) is None  # not in 0-1
    assert poses.movenet(np.zeros((1, 1, 17, 2), np.float32)) is None
    assert poses.movenet(np.zeros((1, 6, 56), np.int64)) is None


def test_movenets_int32_pixels_are_a_picture() -> None:
    recipe = guess_recipe(ValueSpec("input", "tensor", "int32", (1, 192, 192, 3), "tensor(int32)"))
    assert recipe is not None and recipe.layout == "NHWC" and recipe.scale == "0-255" and recipe.dtype == "int32"
    for shape in ((1, 6, 6, 3), (1, "h", "w", 3), (1, 3, 192, 192)):  # small, free or channels first: not so sure
        assert guess_recipe(ValueSpec("x", "tensor", "int32", shape, "tensor(int32)")) is None, shape
