"""Inspection on the models the onnx and onnxruntime wheels ship and on models built here."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from onnxstudio.core.inspection import inspect_model
from tests import models
from tests.conftest import onnx_light_models, ort_datasets


@pytest.mark.parametrize("path", onnx_light_models(), ids=lambda p: p.stem)
def test_light_models_match_onnx(path: Path) -> None:
    report = inspect_model(path, shapes=False)
    ref = onnx.load(str(path))
    inits = {t.name for t in ref.graph.initializer}
    assert [i.name for i in report.inputs] == [i.name for i in ref.graph.input if i.name not in inits]
    assert [o.name for o in report.outputs] == [o.name for o in ref.graph.output]
    assert report.node_count == len(ref.graph.node)
    assert sum(report.op_histogram.values()) == len(ref.graph.node)
    assert report.initializer_count == len(ref.graph.initializer)
    assert report.parameter_count == sum(int(np.prod(t.dims)) for t in ref.graph.initializer)
    assert report.opset_imports == {(o.domain or "ai.onnx"): o.version for o in ref.opset_import}
    assert report.inputs[0].dtype == "float32"


def test_resnet50_details() -> None:
    path = next(p for p in onnx_light_models() if p.stem == "light_resnet50")
    report = inspect_model(path)
    assert report.producer_name == "onnx-caffe2" and report.ir_version == 3
    assert report.inputs[0].shape == (1, 3, 224, 224) and report.outputs[0].shape == (1, 1000)
    assert report.op_histogram["Conv"] == 53
    assert report.inferred and report.shape_inference_error is None


def test_ml_model_with_sequence_of_maps() -> None:
    report = inspect_model(ort_datasets() / "logreg_iris.onnx")
    assert report.opset_imports["ai.onnx.ml"] == 1
    probs = report.outputs[1]
    assert probs.type == "sequence" and probs.type_str == "seq(map(int64,tensor(float)))"
    assert report.to_dict()["outputs"][0] == {"name": "label", "type": "tensor", "dtype": "int64", "shape": [3],
                                              "type_str": "tensor(int64)"}
    assert not report.unsupported_ops


def test_symbolic_and_unknown_dims(tmp_path: Path) -> None:
    report = inspect_model(models.multi_input_model(tmp_path / "m.onnx"))
    assert report.inputs[0].shape == ("batch", 8) and report.inputs[1].dtype == "int64"
    inferred = {v.name: v for v in report.inferred}
    assert inferred["xw"].shape == ("batch", 4)
    d = report.to_dict()
    assert d["inputs"][0]["shape"] == ["batch", 8]
    assert d["parameter_count"] == 8 * 4 + 10 * 4 and d["parameter_bytes"] == 72 * 4


def test_dims_named_question_mark_are_unknown_not_one_shared_symbol(tmp_path: Path) -> None:
    """paddle2onnx writes dim_param "?" for every unknown dim (PP-OCR's recognizer: [N, 3, ?, W]). As a name
    it would tie height to width and refuse `--dim x:2=48`; it is an unknown dim, each axis set on its own."""
    from onnxstudio.core.inputs import build_feeds

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["p2o.DynamicDimension.0", 3, "?", "?"])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["p2o.DynamicDimension.0", 3, "?", "?"])
    p = tmp_path / "paddle.onnx"
    onnx.save(helper.make_model(helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g", [x], [y])), p)
    report = inspect_model(p, shapes=False)
    assert report.inputs[0].shape == ("p2o.DynamicDimension.0", 3, None, None)
    assert report.to_dict()["inputs"][0]["shape"] == ["p2o.DynamicDimension.0", 3, None, None]
    feeds = build_feeds(report.inputs, {}, {"x:2": 48, "x:3": 320})
    assert feeds["x"].shape == (1, 3, 48, 320)


def test_subgraphs_counted(tmp_path: Path) -> None:
    report = inspect_model(models.if_model(tmp_path / "if.onnx"))
    assert report.node_count == 3 and report.main_graph_nodes == 1 and report.subgraph_count == 2
    assert report.op_histogram == {"If": 1, "Mul": 1, "Sub": 1}


def test_custom_ops_warn_not_fail(tmp_path: Path) -> None:
    g = helper.make_graph([helper.make_node("Frobnicate", ["x"], ["y"], domain="com.example")], "g",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
    # onnx's own training domains are not custom, nor a domain imported that no node uses (onnx.quantize's
    # models import com.microsoft.nchwc and five more: ddddocr, smart-turn)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.example", 1),
                                            helper.make_opsetid("ai.onnx.training", 1),
                                            helper.make_opsetid("ai.onnx.preview.training", 1),
                                            helper.make_opsetid("com.microsoft.nchwc", 1)], ir_version=9)
    p = tmp_path / "custom.onnx"
    onnx.save(m, str(p))
    report = inspect_model(p)
    assert report.custom_domains == ["com.example"]
    assert report.opset_imports["com.microsoft.nchwc"] == 1
    assert report.unsupported_ops == ["com.example::Frobnicate"]
    assert any("no kernel" in w for w in report.warnings)


def test_aborting_model_is_reported_and_we_survive(aborting_path: Path) -> None:
    report = inspect_model(aborting_path)
    assert report.shape_inference_error.startswith("ONNX shape inference crashed while inferring shapes (SIGABRT)")
    assert report.inputs[0].name == "x" and report.node_count == 2


def test_external_data_is_reported(tmp_path: Path) -> None:
    w = numpy_helper.from_array(np.ones((256, 256), np.float32), "W")
    g = helper.make_graph([helper.make_node("MatMul", ["x", "W"], ["y"])], "g",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 256])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 256])], [w])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], ir_version=9)
    onnx.save(m, str(tmp_path / "m.onnx"), save_as_external_data=True, location="m.weights")
    report = inspect_model(tmp_path / "m.onnx")
    assert report.external_data == [{"location": "m.weights", "size": 256 * 256 * 4, "tensors": 1}]
    assert report.parameter_bytes == 256 * 256 * 4
    assert report.checker_error is None


def test_a_relative_path_gets_shapes_after_the_checker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checker works from the model's folder in the child; the shape inference that follows in the same
    child still finds a path relative to where the user started (``onnxstudio inspect models/m.onnx``)."""
    (tmp_path / "models").mkdir()
    models.conv_model(tmp_path / "models" / "conv.onnx")
    monkeypatch.chdir(tmp_path)
    report = inspect_model(Path("models") / "conv.onnx")
    assert report.checker_error is None and report.shape_inference_error is None
    assert report.inferred and not report.warnings


def test_negative_dim_values_are_unknown(tmp_path: Path) -> None:
    """Paddle-style exports declare dynamic dims as -1: reported as unknown (null), inputs still build."""
    g = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [-1, 3, -1, -1])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [-1, 3, -1, -1])])
    p = tmp_path / "paddle_like.onnx"
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], ir_version=9), str(p))
    report = inspect_model(p, shapes=False)
    assert report.to_dict()["inputs"][0]["shape"] == [None, 3, None, None]
    from onnxstudio.core.imaging import guess_recipe

    recipe = guess_recipe(report.inputs[0])
    assert recipe is not None and recipe.layout == "NCHW" and recipe.size is None


def test_parameters_can_be_counted_after_the_report(tmp_path) -> None:
    """report_structure(parameters=False) leaves the count to count_parameters (the app does it after showing
    the model); both together say what the full report says, chunk boundaries included."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper

    from onnxstudio.core import inspection
    from onnxstudio.core.inspection import count_parameters, report_structure
    from onnxstudio.core.loading import load_structure

    inits = [helper.make_tensor(f"w{i}", TensorProto.FLOAT16 if i % 3 else TensorProto.FLOAT, [i % 4 + 1, 3],
                                np.ones((i % 4 + 1) * 3).tolist()) for i in range(50)]
    nodes = [helper.make_node("Identity", ["x"], ["y"])]
    g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])], inits)
    p = tmp_path / "many.onnx"
    onnx.save(helper.make_model(g), p)
    loaded = load_structure(p)
    full = report_structure(loaded)
    partial = report_structure(loaded, parameters=False)
    assert partial.parameter_count is None and partial.parameter_bytes is None
    assert partial.initializer_count == full.initializer_count == 50
    expected = (50, sum((i % 4 + 1) * 3 for i in range(50)),
                sum((i % 4 + 1) * 3 * (2 if i % 3 else 4) for i in range(50)))
    assert count_parameters(loaded) == (full.initializer_count, full.parameter_count, full.parameter_bytes,
                                        0, 0, 0) == (*expected, 0, 0, 0)
    assert partial.constant_count is None and full.constant_count == 0
    assert inspection._parameters(loaded.index, chunk=7) == expected


def _constants_model(path: Path) -> Path:
    """Weights in Constant nodes (as PaddlePaddle and TensorFlow exporters write them): in the main graph, an
    If branch and a local function; plus a ConstantOfShape value, a sparse value and scalar Constants."""
    def const(name: str, shape: list[int], dtype: int = TensorProto.FLOAT) -> onnx.NodeProto:
        values = np.ones(int(np.prod(shape)), np.float32)
        return helper.make_node("Constant", [], [name], value=helper.make_tensor(name + "_t", dtype, shape, values))

    sparse = helper.make_sparse_tensor(helper.make_tensor("sv", TensorProto.FLOAT, [3], [1.0, 2.0, 3.0]),
                                       helper.make_tensor("si", TensorProto.INT64, [3], [0, 5, 9]), [10])
    branch = helper.make_graph([const("b", [4, 4]), helper.make_node("Add", ["x", "b"], ["then_out"])], "then",
                               [], [helper.make_tensor_value_info("then_out", TensorProto.FLOAT, [4, 4])])
    other = helper.make_graph([helper.make_node("Identity", ["x"], ["else_out"])], "else", [],
                              [helper.make_tensor_value_info("else_out", TensorProto.FLOAT, [4, 4])])
    body = [const("fw", [2, 4], TensorProto.FLOAT16), helper.make_node("MatMul", ["fw", "fx"], ["fy"])]
    func = helper.make_function("local", "Scale", ["fx"], ["fy"], body, [helper.make_opsetid("", 17)])
    nodes = [
        const("w", [4, 4]),
        helper.make_node("Constant", [], ["s"], sparse_value=sparse),
        helper.make_node("Constant", [], ["scalar"], value_float=2.0),  # no tensor: not counted
        helper.make_node("ConstantOfShape", ["shape"], ["zeros"], value=helper.make_tensor("z", TensorProto.FLOAT,
                                                                                           [1], [0.0])),
        helper.make_node("MatMul", ["x", "w"], ["h"]),
        helper.make_node("If", ["cond"], ["branch_out"], then_branch=branch, else_branch=other),
        helper.make_node("Scale", ["h"], ["y"], domain="local"),
    ]
    g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 4]),
                                       helper.make_tensor_value_info("cond", TensorProto.BOOL, []),
                                       helper.make_tensor_value_info("shape", TensorProto.INT64, [1])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 4])])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("local", 1)],
                          functions=[func], ir_version=9)
    onnx.save(m, str(path))
    return path


def test_weights_held_by_nodes_are_counted(tmp_path: Path) -> None:
    """PP-OCR and Silero VAD keep every weight in Constant nodes: "0 parameters" alone would mislead, and
    onnxruntime runs Constant without a kernel of its own (no "no kernel for Constant" warning)."""
    from onnxstudio.core import census
    from onnxstudio.core.inspection import count_parameters, report_structure
    from onnxstudio.core.loading import load_structure

    p = _constants_model(tmp_path / "constants.onnx")
    report = inspect_model(p, shapes=False)
    # w 16 floats, sparse 3 stored values, z 1 float, b 16 floats (If branch), fw 8 float16 (function)
    assert (report.constant_count, report.constant_parameters) == (5, 16 + 3 + 1 + 16 + 8)
    assert report.constant_bytes == (16 + 3 + 1 + 16) * 4 + 8 * 2
    assert report.parameter_count == 0 and report.unsupported_ops == [] and not report.warnings
    assert census.census(p.read_bytes()) is None  # an If and a sparse value: the general path
    loaded = load_structure(p)
    assert count_parameters(loaded)[3:] == (5, 44, 160) and report_structure(loaded).constant_count == 5
    assert report_structure(loaded, parameters=False).constant_bytes is None
