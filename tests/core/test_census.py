"""Inspection's fast path (census) must say exactly what the general path says, or step aside."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from onnxstudio.core.census import census
from onnxstudio.core.inspection import _fast_report, inspect_model, report_structure
from onnxstudio.core.loading import load_structure
from tests import models
from tests.conftest import onnx_light_models, ort_datasets


def _general(path: Path) -> dict:
    return report_structure(load_structure(path)).to_dict()


def _real_models() -> list[Path]:
    return onnx_light_models() + sorted(ort_datasets().glob("*.onnx"))


@pytest.mark.parametrize("path", _real_models(), ids=lambda p: p.stem)
def test_fast_report_equals_general_report(path: Path) -> None:
    fast = _fast_report(path)
    assert fast is not None, "these models have no subgraph and no external data: the fast path applies"
    assert fast.to_dict() == _general(path)


def test_initializers_listed_as_inputs_are_hidden_like_the_general_path() -> None:
    path = next(p for p in onnx_light_models() if p.stem == "light_resnet50")  # IR 3: weights are inputs
    fast = _fast_report(path)
    assert [i.name for i in fast.inputs] == ["gpu_0/data_0"]
    assert fast.initializer_count == len(onnx.load(str(path)).graph.initializer) == 269


def _edge_model(path: Path) -> Path:
    """Custom domain, a local function, a Constant tensor attribute, a sparse initializer, shared shapes,
    an fp16 and an int4 tensor, an unnamed node and an input named like an initializer would be."""
    w = [numpy_helper.from_array(np.ones((4, 4), np.float32), f"w{i}") for i in range(3)]
    h = numpy_helper.from_array(np.ones((3,), np.float16), "h")
    q = helper.make_tensor("q", TensorProto.INT4, [5], [1, 2, 3, 4, 5])
    sparse = helper.make_sparse_tensor(numpy_helper.from_array(np.array([1.0], np.float32), "sv"),
                                       numpy_helper.from_array(np.array([2], np.int64), "si"), [4])
    fn = helper.make_function("local", "Twice", ["a"], ["b"], [helper.make_node("Add", ["a", "a"], ["b"])],
                              [helper.make_opsetid("", 17)])
    nodes = [helper.make_node("MatMul", ["x", "w0"], ["y0"], name="/a/MatMul"),
             helper.make_node("MatMul", ["y0", "w1"], ["y1"]),
             helper.make_node("Constant", [], ["c"], value=numpy_helper.from_array(np.ones(2, np.float32))),
             helper.make_node("Twice", ["y1"], ["y2"], domain="local"),
             helper.make_node("Gelu", ["y2"], ["y"], domain="com.microsoft")]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])], [*w, h, q],
                              sparse_initializer=[sparse])
    model = helper.make_model(graph, functions=[fn], opset_imports=[
        helper.make_opsetid("", 21), helper.make_opsetid("local", 1), helper.make_opsetid("com.microsoft", 1)])
    onnx.save(model, str(path))
    return path


def test_edge_cases_match(tmp_path: Path) -> None:
    path = _edge_model(tmp_path / "edge.onnx")
    fast = _fast_report(path)
    assert fast is not None
    assert fast.to_dict() == _general(path)
    assert fast.initializer_count == 6 and fast.parameter_count == 3 * 16 + 3 + 5 + 1
    assert fast.parameter_bytes == 3 * 64 + 6 + 3 + 4  # int4: 5 values in 3 bytes
    assert fast.op_histogram["MatMul"] == 2 and fast.op_histogram["local::Twice"] == 1
    assert fast.node_count == 6 and fast.function_count == 1


def test_inputs_that_are_initializers(tmp_path: Path) -> None:
    """An initializer also listed as a graph input is hidden (both paths), an input is not."""
    w = numpy_helper.from_array(np.ones((2,), np.float32), "w")
    graph = helper.make_graph([helper.make_node("Add", ["x", "w"], ["y"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2]),
                               helper.make_tensor_value_info("w", TensorProto.FLOAT, [2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])], [w])
    path = tmp_path / "m.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    fast = _fast_report(path)
    assert [i.name for i in fast.inputs] == ["x"]
    assert fast.to_dict() == _general(path)


@pytest.mark.parametrize("make", [models.if_model, models.conv_model], ids=["subgraph", "conv"])
def test_fallback_or_equal(tmp_path: Path, make) -> None:
    path = make(tmp_path / "m.onnx")
    fast = _fast_report(path)
    if make is models.if_model:
        assert fast is None  # subgraphs: the general path walks them
    else:
        assert fast.to_dict() == _general(path)
    assert inspect_model(path, shapes=False).to_dict() == _general(path)


def test_external_data_takes_the_general_path(tmp_path: Path) -> None:
    w = numpy_helper.from_array(np.ones((64, 64), np.float32), "w")
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 64])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 64])], [w])
    path = tmp_path / "ext.onnx"
    onnx.save(helper.make_model(graph), str(path), save_as_external_data=True, location="ext.bin",
              size_threshold=0)
    assert census(path.read_bytes()) is None
    report = inspect_model(path, shapes=False)
    assert report.external_data and report.external_data[0]["size"] == 64 * 64 * 4


def test_bad_files_still_get_the_general_paths_errors(tmp_path: Path) -> None:
    from onnxstudio.core.errors import ModelFileError

    good = models.add_model(tmp_path / "add.onnx").read_bytes()
    truncated = tmp_path / "t.onnx"
    truncated.write_bytes(good[: len(good) // 2])
    with pytest.raises(ModelFileError) as err:
        inspect_model(truncated, shapes=False)
    assert err.value.category == "not_onnx"
    text = tmp_path / "x.onnx"
    text.write_text("hello, this is not a model\n")
    with pytest.raises(ModelFileError) as err:
        inspect_model(text, shapes=False)
    assert err.value.category == "not_onnx"


def test_invalid_utf8_outside_names_is_shown_replaced(tmp_path: Path) -> None:
    """Producer, metadata, symbolic dims and a function's name that are not UTF-8: a report (both paths) with
    replacement characters that serializes to JSON; names the model runs by are refused (see test_loading)."""
    import json

    fn = helper.make_function("local", "FUNCOPX", ["a"], ["b"], [helper.make_node("Identity", ["a"], ["b"])],
                              [helper.make_opsetid("", 17)])
    graph = helper.make_graph([helper.make_node("FUNCOPX", ["x"], ["y"], domain="local")], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["DIMPARAMX"])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["DIMPARAMX"])])
    model = helper.make_model(graph, functions=[fn], producer_name="PRODUCERX",
                              opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("local", 1)])
    helper.set_model_props(model, {"key": "METAVALUEX"})
    data = model.SerializeToString()
    for marker in (b"PRODUCERX", b"METAVALUEX", b"DIMPARAMX"):
        data = data.replace(marker, b"\xff\xfe" + marker[2:])
    # the function's name (not the calling node's op type, which the loader checks): in the FunctionProto only
    fn_bytes = fn.SerializeToString()
    data = data.replace(fn_bytes, fn_bytes.replace(b"FUNCOPX", b"\xffUNCOPX"))
    path = tmp_path / "latin.onnx"
    path.write_bytes(data)
    for report in (_fast_report(path), report_structure(load_structure(path))):
        d = json.loads(json.dumps(report.to_dict()))
        assert d["producer_name"] == "\ufffd\ufffdODUCERX"
        assert d["metadata"] == {"key": "\ufffd\ufffdTAVALUEX"}
        assert d["inputs"][0]["shape"] == ["\ufffd\ufffdMPARAMX"]
        assert d["node_count"] == 2
