"""Output comparison: two real sessions' outputs (optimizer on and off, fp32 against int8), and the metrics on
values whose answer is known."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from onnxstudio.core.compare import diff_map, diff_outputs, diff_tensors, diff_values
from onnxstudio.core.engine import Engine
from onnxstudio.core.inputs import ImageSource, build_feeds
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.providers import SessionConfig
from onnxstudio.resources import resource_path
from tests import models


def test_the_optimizer_changes_a_conv_nets_outputs_by_rounding_only(tmp_path: Path) -> None:
    path = models.conv_model(tmp_path / "conv.onnx")
    x = {"image": np.random.default_rng(0).standard_normal((1, 3, 64, 64)).astype(np.float32)}
    with Engine(path) as eng:
        a = eng.run(x)
    with Engine(path, SessionConfig(graph_optimization="disabled")) as eng:
        b = eng.run(x)
    (d,) = diff_outputs([(o.name, o.value) for o in a.outputs], [(o.name, o.value) for o in b.outputs])
    assert d.ok and d.name == "out" and d.shape_a == d.shape_b == (1, 16) and d.size == 16 and d.mismatched == 0
    assert d.max_abs is not None and d.max_abs < 1e-4 and d.cosine is not None and d.cosine > 0.999999


def test_an_int8_copy_is_told_apart_but_its_best_class_agrees(tmp_path: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32 = resource_path("samples", "digits_classifier.onnx")
    int8 = tmp_path / "digits_int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    digit = sorted(resource_path("samples", "digits").glob("digit_7_*.png"))[0]
    feeds = build_feeds(inspect_model(fp32, shapes=False).inputs, {"image": ImageSource(str(digit))})
    outs = []
    for model in (fp32, int8):
        with Engine(model) as eng:
            outs.append([(o.name, o.value) for o in eng.run(feeds).outputs])
    logits, probs = diff_outputs(outs[1], outs[0])
    assert not logits.ok and logits.mismatched > 0 and 0 < logits.max_abs < 5
    assert logits.agreement == 1.0 and logits.agreement_of == "rows" and logits.cosine > 0.99
    assert logits.worst_index is not None and len(logits.worst_index) == 2
    i = logits.worst_index
    assert logits.worst_a == pytest.approx(float(outs[1][0][1][i])) and logits.worst_b == pytest.approx(
        float(outs[0][0][1][i]))
    assert probs.name == "probabilities" and "outside rtol 0.001, atol 1e-05" in logits.detail


def test_metrics_on_known_values() -> None:
    a = np.array([[1.0, 2.0, np.nan, 4.0]], np.float32)
    b = np.array([[1.0, 2.5, 3.0, np.nan]], np.float32)
    d = diff_tensors("y", a, b)
    assert not d.ok and d.max_abs == 0.5 and d.mismatched == 3 and "NaN on one side only at 2" in d.detail
    assert d.worst_index == (0, 1) and (d.worst_a, d.worst_b) == (2.0, 2.5)
    assert d.max_rel == pytest.approx(0.2)
    assert d.cosine == pytest.approx(6 / math.sqrt(5 * 7.25))  # over the pairs finite on both sides: (1, 2), (1, 2.5)
    assert math.isclose(d.to_dict()["mean_abs"], 0.25)
    assert diff_tensors("y", np.ones(3), -np.ones(3)).cosine == pytest.approx(-1.0)
    assert diff_tensors("y", np.zeros((2, 3)), np.zeros(3)).detail == "shape [2, 3] against [3]"
    ints = diff_tensors("ids", np.array([1, 2, 3]), np.array([1, 5, 3]))
    assert not ints.ok and ints.detail == "1 of 3 values differ" and ints.worst_index == (1,)
    words = diff_tensors("w", np.array(["a", "b"], dtype=object), np.array(["a", "b"], dtype=object))
    assert words.ok and words.detail == "equal"
    # a segmentation's class planes: the best class per pixel
    planes = np.zeros((1, 5, 4, 4), np.float32)
    planes[0, 1] = 1.0
    other = planes.copy()
    other[0, 2, 0, 0] = 2.0
    seg = diff_tensors("seg", planes, other)
    assert seg.agreement == 15 / 16 and seg.agreement_of == "pixels" and "agrees on 93.8% of pixels" in seg.detail
    assert diff_tensors("e", np.zeros((0, 4)), np.zeros((0, 4))).ok


def test_sequences_maps_and_missing_outputs() -> None:
    seq = diff_values("s", [np.ones(2), np.zeros(2)], [np.ones(2), np.ones(2)])
    assert not seq.ok and seq.detail.startswith("1 of 2 elements differ; s[1]: max abs diff 1")
    assert diff_values("s", [np.ones(2)], [np.ones(2), np.ones(2)]).detail == "a sequence of 1 against 2"
    maps = diff_values("m", {1: 0.5, 2: 0.25}, {1: 0.5, 2: 0.75})
    assert not maps.ok and maps.detail == "1 of 2 keys differ (first: 2)"
    assert diff_values("n", None, None).ok
    assert diff_values("m", {"k": "x"}, {"k": "x"}).ok and not diff_values("m", {"k": "x"}, {"k": 1.0}).ok
    z = diff_values("z", np.array([1 + 1j, 2]), np.array([1 + 1j, 2 + 0.1j]))  # complex: |a - b|, no warning
    assert not z.ok and z.max_abs == pytest.approx(0.1) and z.worst_a is None and 0.99 < z.cosine < 1
    only = diff_outputs([("x", np.ones(1)), ("y", np.ones(1))], [("y", np.ones(1)), ("z", np.ones(1))])
    assert [(d.name, d.ok, d.detail) for d in only] == [("x", False, "only in A"), ("y", True, "max abs diff 0"),
                                                        ("z", False, "only in B")]


def test_the_map_of_differences() -> None:
    a = np.zeros((1, 2, 3), np.float32)
    b = a.copy()
    b[0, 1, 2] = -4
    m = diff_map(a, b)
    assert m is not None and m.dtype == np.float64 and m.shape == (1, 2, 3) and m[0, 1, 2] == 4 and m.sum() == 4
    assert diff_map(a, np.zeros((2, 3))) is None and diff_map(np.array(["x"]), np.array(["y"])) is None
    assert diff_map([a], [b]) is None


def test_another_model_gets_the_feeds_by_name_cast_to_its_types() -> None:
    """An fp16 conversion against its fp32 original: A's float16 picture is exact as float32 (said in a note); ids
    of int64 fit an int32 input; a value B's integer type cannot hold, or an input A has not, is one line."""
    from onnxstudio.core.compare import feeds_for_b
    from onnxstudio.core.errors import InputError
    from onnxstudio.core.values import ValueSpec

    def spec(name: str, dtype: str) -> ValueSpec:
        return ValueSpec(name, "tensor", dtype, ("b", 4), f"tensor({dtype})")

    feeds = {"x": np.array([[0.1, 0.5, 1.5, -2]], np.float16), "ids": np.array([[1, 2, 3, 4]], np.int64)}
    notes: list[str] = []
    out = feeds_for_b(feeds, "a.onnx", "b.onnx", [spec("x", "float32"), spec("ids", "int32")], notes)
    assert out["x"].dtype == np.float32 and np.array_equal(out["x"], feeds["x"].astype(np.float32))
    assert out["ids"].dtype == np.int32 and out["ids"].tolist() == [[1, 2, 3, 4]]
    assert notes == ["B's input 'x' is float32: A's float16 values cast to it",
                     "B's input 'ids' is int32: A's int64 values cast to it"]
    same = feeds_for_b(feeds, "a.onnx", "b.onnx", [spec("x", "float16")])
    assert set(same) == {"x"} and same["x"] is feeds["x"]
    with pytest.raises(InputError, match=r"^b.onnx takes input mask, which a.onnx does not \(its inputs: x, ids\)$"):
        feeds_for_b(feeds, "a.onnx", "b.onnx", [spec("mask", "int64")])
    with pytest.raises(InputError, match=r"input 'ids' is int32, which cannot hold A's values \(0 to 4294967296\)"):
        feeds_for_b({"ids": np.array([0, 2**32])}, "a.onnx", "b.onnx", [spec("ids", "int32")])
