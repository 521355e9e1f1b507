"""Output statistics, top-k, softmax-if-logits, view guesses and colours."""

from __future__ import annotations

import numpy as np
import pytest

from onnxstudio.core import outputs as o


def test_stats_count_nan_inf_and_ignore_them():
    a = np.array([1.0, 2.0, np.nan, np.inf, -np.inf, 3.0], dtype=np.float32)
    s = o.output_stats(a)
    assert (s.nan_count, s.inf_count) == (1, 2)
    assert (s.min, s.max, s.mean) == (1.0, 3.0, 2.0)
    assert s.shape == (6,) and s.dtype == "float32"
    assert "NaN 1" in s.summary()


def test_stats_of_strings_and_empty():
    assert o.output_stats(np.array(["a", "b"])).min is None
    assert o.output_stats(np.zeros((0, 3))).size == 0


def test_topk_softmaxes_logits_and_keeps_probabilities():
    logits = np.array([[1.0, 3.0, 2.0]], dtype=np.float32)
    top = o.top_k(logits, k=2, labels=["a", "b", "c"])
    assert [e.label for e in top] == ["b", "c"]
    assert top[0].probability == pytest.approx(o.softmax(logits[0])[1])
    probs = np.array([0.1, 0.7, 0.2])
    assert o.top_k(probs, k=1)[0].probability == pytest.approx(0.7)
    assert o.top_k(probs, k=1)[0].label == "1"
    assert o.top_k(np.zeros((2, 3)), k=1) == []


@pytest.mark.parametrize(
    ("shape", "dtype", "first"),
    [
        ((1, 10), "float32", o.VIEW_TOPK),
        ((1, 1000, 1, 1), "float32", o.VIEW_TOPK),
        ((1, 3, 64, 64), "float32", o.VIEW_IMAGE),
        ((1, 1, 64, 64), "float32", o.VIEW_IMAGE),
        ((1, 256, 192), "float32", o.VIEW_IMAGE),  # a depth map (MiDaS)
        ((1, 84, 8400), "float32", o.VIEW_HEATMAP),  # YOLOv8's boxes x scores: a matrix, not a picture
        ((1, 25200, 85), "float32", o.VIEW_HEATMAP),  # YOLOv5's
        ((1, 21, 64, 64), "float32", o.VIEW_MASK),
        ((1, 64, 64), "int64", o.VIEW_MASK),
        ((5, 7), "float32", o.VIEW_HEATMAP),
        ((2, 3, 2, 2), "float32", o.VIEW_TABLE),
        ((), "float32", o.VIEW_TABLE),
    ],
)
def test_guess_views(shape, dtype, first):
    views = o.guess_views(shape, dtype)
    assert views[0] == first and views[-1] == o.VIEW_TABLE


def test_image_conversions():
    chw = np.random.default_rng(0).random((1, 3, 8, 6)).astype(np.float32)
    img = o.to_image(chw)
    assert img.shape == (8, 6, 3) and img.dtype == np.uint8
    assert o.to_image(np.full((1, 1, 5, 5), 300.0)).shape == (5, 5)
    scores = np.zeros((1, 4, 5, 5))
    scores[0, 2] = 1
    assert (o.class_map(scores) == 2).all()
    colours = o.colorize(o.class_map(scores))
    assert colours.shape == (5, 5, 3)
    blended = o.blend(np.zeros((10, 10), np.uint8), colours, 0.5)
    assert blended.shape == (5, 5, 3)
    pal = o.class_palette(21)
    assert (pal[0] == 0).all() and len({tuple(c) for c in pal}) == 21


def test_slice_and_heatmap():
    a = np.arange(24).reshape(2, 3, 4)
    assert o.slice_2d(a, [1]).tolist() == a[1].tolist()
    assert o.slice_2d(a, [9]).tolist() == a[1].tolist()
    assert o.slice_2d(np.float32(3)).shape == (1, 1)
    assert o.heatmap_2d(np.zeros((1, 1, 4, 5))).shape == (4, 5)


def test_labels_parsing(tmp_path):
    assert o.parse_labels('["zero", "one"]') == ["zero", "one"]
    assert o.parse_labels('{"0": "a", "2": "c"}') == ["a", "1", "c"]
    assert o.parse_labels("cat\n\ndog\n") == ["cat", "dog"]
    assert o.labels_from_metadata({"labels": '["x"]'}) == ["x"]
    f = tmp_path / "l.txt"
    f.write_text("a\nb\n")
    assert o.load_labels_file(f) == ["a", "b"]
