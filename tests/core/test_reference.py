"""Reference data beside a model (test_data_set_N): found, fed in order, compared with what a run returned."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from onnx import numpy_helper

from onnxstudio.core.errors import InputError
from onnxstudio.core.reference import compare_outputs, reference_folders, reference_sources
from onnxstudio.core.values import ValueSpec


def _write(folder: Path, name: str, value: np.ndarray) -> None:
    (folder / f"{name}.pb").write_bytes(numpy_helper.from_array(value).SerializeToString())


def test_sets_are_found_in_order_and_fed_by_position(tmp_path: Path) -> None:
    for n in (10, 2, 0):
        (tmp_path / f"test_data_set_{n}").mkdir()
        _write(tmp_path / f"test_data_set_{n}", "input_0", np.zeros(2, np.float32))
    (tmp_path / "test_data_set_x").mkdir()  # not a set
    (tmp_path / "test_data_set_5").mkdir()  # no inputs: not a set
    assert [p.name for p in reference_folders(tmp_path / "m.onnx")] == ["test_data_set_0", "test_data_set_2",
                                                                      "test_data_set_10"]
    folder = tmp_path / "test_data_set_0"
    for k in (1, 10, 2):
        _write(folder, f"input_{k}", np.zeros(1, np.float32))
    specs = [ValueSpec(f"in{k}", "tensor", "float32", (1,), "t") for k in range(4)]
    assert [Path(s.path).name for s in reference_sources(folder, specs).values()] == [
        "input_0.pb", "input_1.pb", "input_2.pb", "input_10.pb"]  # 10 after 2, not after 1
    with pytest.raises(InputError, match="holds 4 input_K.pb; the model takes 1 input$"):
        reference_sources(folder, specs[:1])
    with pytest.raises(InputError, match="not a folder"):
        reference_sources(tmp_path / "missing", specs)


def test_outputs_compared_by_value_shape_and_count(tmp_path: Path) -> None:
    _write(tmp_path, "output_0", np.array([1.0, 2.0], np.float32))
    _write(tmp_path, "output_1", np.array([[1, 2]], np.int64))
    same = compare_outputs([("a", np.array([1.0, 2.00001], np.float32)), ("b", np.array([[1, 2]], np.int64))],
                           tmp_path)
    assert [c.ok for c in same] == [True, True] and same[1].detail == "equal"
    wrong = compare_outputs([("a", np.array([1.0, 2.5], np.float32)), ("b", np.array([1, 2], np.int64))], tmp_path)
    assert not wrong[0].ok and wrong[0].max_abs_diff == pytest.approx(0.5)
    assert wrong[0].detail == "max abs diff 0.5 (1 of 2 values outside rtol 0.001, atol 1e-05)"
    assert wrong[1].detail == "shape [2] but the reference is [1, 2]"
    short = compare_outputs([("a", np.array([1.0, 2.0], np.float32))], tmp_path)
    assert short[0].ok and not short[1].ok and "returned 1 output; the reference holds 2" in short[1].detail
    nan = compare_outputs([("a", np.array([1.0, np.nan], np.float32))], tmp_path)[0]
    assert not nan.ok  # NaN where the reference has a number
