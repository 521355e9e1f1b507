"""MACs per node from inferred shapes: each counted op against its formula, free dims, what is left uncounted,
and real networks shipped with onnx against their published figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from onnxstudio.core.compute import ComputeCost, count_macs, format_count
from onnxstudio.core.host import ChildHost
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.report_text import format_report
from tests.conftest import onnx_light_models

F = TensorProto.FLOAT


def _weights(name: str, *shape: int, dtype: type = np.float32) -> onnx.TensorProto:
    return numpy_helper.from_array(np.ones(shape, dtype), name)


def _model(nodes: list, inputs: list, outputs: list, inits: list, opset: int = 17) -> onnx.ModelProto:
    graph = helper.make_graph(nodes, "g", inputs, outputs, inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def _count(model: onnx.ModelProto) -> ComputeCost:
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=False, data_prop=True)
    return count_macs(inferred.graph)


def test_each_counted_op_against_its_formula() -> None:
    x = helper.make_tensor_value_info("x", F, [2, 16, 20, 20])
    nodes = [
        # grouped, strided: out 2x32x10x10, each a dot product over 16/4 channels x 3x3
        helper.make_node("Conv", ["x", "w1"], ["c1"], name="conv", group=4, strides=[2, 2], pads=[1, 1, 1, 1]),
        # each input element scattered over 8 channels x 2x2: 2x32x10x10 x 8x2x2
        helper.make_node("ConvTranspose", ["c1", "w2"], ["up"], name="up", strides=[2, 2]),
        helper.make_node("Flatten", ["up"], ["flat"], axis=1),
        helper.make_node("Gemm", ["flat", "w3"], ["fc"], name="gemm", transB=1),
        helper.make_node("Reshape", ["fc", "s"], ["seq"]),
        # batched with broadcasting: 2x5x2 by 2x3 -> 2x5x3, K=2
        helper.make_node("MatMul", ["seq", "w4"], ["mm"], name="matmul"),
        helper.make_node("Einsum", ["mm", "w5"], ["es"], name="einsum", equation="bij,jk->bik"),
    ]
    inits = [_weights("w1", 32, 4, 3, 3), _weights("w2", 32, 8, 2, 2), _weights("w3", 10, 8 * 20 * 20),
             numpy_helper.from_array(np.array([2, 5, 2], np.int64), "s"), _weights("w4", 2, 3), _weights("w5", 3, 7)]
    es = helper.make_tensor_value_info("es", F, None)
    c = _count(_model(nodes, [x], [es], inits))
    expect = {
        0: 2 * 32 * 10 * 10 * 4 * 3 * 3,
        1: 2 * 32 * 10 * 10 * 8 * 2 * 2,
        3: 2 * 10 * 3200,
        5: 2 * 5 * 3 * 2,
        6: 2 * 5 * 3 * 7,
    }
    assert c.macs == expect and c.total == sum(expect.values()) and c.unknown == [] and c.nested == 0
    assert list(c.by_op) == ["Conv", "ConvTranspose", "Gemm", "Einsum", "MatMul"]
    assert c.names[0] == "conv" and c.ops[6] == "Einsum" and c.top(1) == [(0, expect[0])]
    assert c.flops == 2 * c.total


def test_recurrent_and_quantized_ops() -> None:
    seq, batch, inp, hidden = 7, 3, 10, 16
    x = helper.make_tensor_value_info("x", F, [seq, batch, inp])
    q = helper.make_tensor_value_info("q", TensorProto.UINT8, [4, 6])
    nodes = [
        helper.make_node("LSTM", ["x", "W", "R"], ["y"], name="lstm", hidden_size=hidden, direction="bidirectional"),
        helper.make_node("GRU", ["x", "Wg", "Rg"], ["yg"], name="gru", hidden_size=hidden),
        helper.make_node("MatMulInteger", ["q", "qb"], ["qi"], name="mmi"),
    ]
    inits = [_weights("W", 2, 4 * hidden, inp), _weights("R", 2, 4 * hidden, hidden),
             _weights("Wg", 1, 3 * hidden, inp), _weights("Rg", 1, 3 * hidden, hidden),
             _weights("qb", 6, 5, dtype=np.uint8)]
    outs = [helper.make_tensor_value_info(n, F, None) for n in ("y", "yg")] + \
        [helper.make_tensor_value_info("qi", TensorProto.INT32, None)]
    c = _count(_model(nodes, [x, q], outs, inits))
    assert c.macs == {0: seq * batch * 2 * 4 * hidden * (inp + hidden),
                      1: seq * batch * 3 * hidden * (inp + hidden),
                      2: 4 * 5 * 6}


def test_unknown_shapes_and_control_flow_are_said_not_guessed() -> None:
    x = helper.make_tensor_value_info("x", F, [1, 4])
    cond = helper.make_tensor_value_info("cond", TensorProto.BOOL, [])
    # NonZero's count is known only at run time: the MatMul after it has no shape to count with
    body_out = helper.make_tensor_value_info("b", F, None)
    then = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["b"])], "then", [], [body_out])
    other = helper.make_graph([helper.make_node("Identity", ["x"], ["b"])], "else", [], [body_out])
    nodes = [
        helper.make_node("NonZero", ["x"], ["nz"]),
        helper.make_node("Cast", ["nz"], ["nzf"], to=F),
        helper.make_node("MatMul", ["nzf", "w2"], ["m"], name="after_nonzero"),
        helper.make_node("If", ["cond"], ["branch"], then_branch=then, else_branch=other),
    ]
    outs = [helper.make_tensor_value_info(n, F, None) for n in ("m", "branch")]
    c = _count(_model(nodes, [x, cond], outs, [_weights("w", 4, 4), _weights("w2", 1, 3)]))
    assert c.unknown == [2] and c.nested == 1 and c.total == 0
    assert format_count(4_089_184_256) == "4.09 G" and format_count(18_432) == "18.4 k" and format_count(96) == "96"


def test_free_dims_take_a_runs_defaults_or_the_given_sizes(tmp_path: Path) -> None:
    x = helper.make_tensor_value_info("image", F, ["batch", 3, "height", "width"])
    y = helper.make_tensor_value_info("y", F, None)
    path = tmp_path / "free.onnx"
    onnx.save(_model([helper.make_node("Conv", ["image", "w"], ["y"], name="conv", pads=[1, 1, 1, 1])],
                     [x], [y], [_weights("w", 8, 3, 3, 3)]), path)
    per_pixel = 8 * 3 * 3 * 3
    with ChildHost() as host:
        default = host.call("compute_cost", path=str(path))
        given = host.call("compute_cost", path=str(path), dims={"batch": 4, "height": 320, "width": 240})
    assert default.dims == {"batch": 1, "height": 224, "width": 224}  # what a run with a picture starts from
    assert default.total == 224 * 224 * per_pixel
    assert given.dims == {"batch": 4, "height": 320, "width": 240} and given.total == 4 * 320 * 240 * per_pixel
    report = inspect_model(path, dims={"height": 100})
    assert report.compute is not None and report.compute.total == 100 * 224 * per_pixel
    text = format_report(report, shapes=True)
    assert "Compute     4.84 M MACs (9.68 MFLOPs) a run at batch=1, height=100, width=224: Conv 100.0%" in text
    assert "  conv (Conv): 4.84 M (100.0%)" in text
    assert report.to_dict()["compute"]["nodes"] == [{"index": 0, "name": "conv", "op": "Conv",
                                                     "macs": 100 * 224 * per_pixel}]


def test_real_networks_match_their_published_counts() -> None:
    """The networks that onnx's wheel ships (their weights stripped, the shapes kept), at 224x224: ResNet-50
    does 4.09 G MACs, VGG-19 19.6 G, SqueezeNet 1.1 0.35 G (the figures their papers and torchvision give)."""
    light = {p.stem.removeprefix("light_"): p for p in onnx_light_models()}
    expect = {"resnet50": 4.09e9, "vgg19": 19.6e9, "squeezenet": 0.35e9}
    with ChildHost() as host:
        for name, macs in expect.items():
            c = host.call("compute_cost", path=str(light[name]))
            assert c.total == pytest.approx(macs, rel=0.01), name
            assert c.unknown == [] and next(iter(c.by_op)) == "Conv"


def test_onnxruntimes_quantized_ops_do_not_stop_the_count(tmp_path: Path) -> None:
    """An int8 model in onnxruntime's QOperator format (QLinearConv with com.microsoft's QLinearSigmoid,
    QLinearMul and QLinearAdd between them, which onnx's shape inference does not know) counts as its fp32
    original does: each is inferred as a standard op of the same shape."""
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, quantize_static

    rng = np.random.default_rng(0)
    x = helper.make_tensor_value_info("x", F, [1, 8, 16, 16])
    y = helper.make_tensor_value_info("y", F, None)
    conv = [numpy_helper.from_array(rng.standard_normal((8, 8, 3, 3)).astype(np.float32), f"w{k}") for k in (1, 2)]
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Sigmoid", ["c1"], ["s1"]),
        helper.make_node("Mul", ["c1", "s1"], ["silu"]),  # SiLU, as YOLO's blocks
        helper.make_node("Conv", ["silu", "w2"], ["c2"], name="conv2", pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["c2", "x"], ["y"]),
    ]
    fp32, int8 = tmp_path / "fp32.onnx", tmp_path / "int8.onnx"
    onnx.save(_model(nodes, [x], [y], conv), fp32)

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self.batches = iter([{"x": rng.standard_normal((1, 8, 16, 16)).astype(np.float32)} for _ in range(4)])

        def get_next(self) -> dict | None:
            return next(self.batches, None)

    quantize_static(str(fp32), str(int8), Reader(), quant_format=QuantFormat.QOperator)
    model = onnx.load(int8)
    del model.graph.value_info[:]  # the quantizer keeps the fp32 shapes; int8 models in the wild carry none
    onnx.save(model, int8)
    ops = {(n.domain, n.op_type) for n in model.graph.node}
    assert {("com.microsoft", "QLinearSigmoid"), ("com.microsoft", "QLinearMul"), ("", "QLinearConv")} <= ops
    with ChildHost() as host:
        a, b = (host.call("compute_cost", path=str(p)) for p in (fp32, int8))
    assert a.total == b.total == 2 * 8 * 16 * 16 * 8 * 3 * 3 and b.unknown == []
    assert list(b.by_op) == ["QLinearConv"]


def test_shapes_inference_cannot_tell_are_taken_from_one_run(tmp_path: Path) -> None:
    """A MatMul fed by NonZero: inference gives [?, 2]; one run at the count's sizes gives [4, 2] (24 MACs), and
    the count says which nodes it took from the run. A model the defaults cannot run keeps them uncounted."""
    from onnxstudio.core.report_text import compute_notes
    from tests import models

    path = models.data_shaped_model(tmp_path / "nz.onnx")
    with ChildHost() as host:
        cost = host.call("compute_cost", path=str(path))
        wider = host.call("compute_cost", path=str(path), dims={"batch": 3})
    assert cost.total == 24 and cost.from_run == 1 and cost.unknown == []
    assert wider.total == 3 * 24 and wider.from_run == 1
    assert compute_notes(cost) == ["1 node(s) counted with shapes from a run at these sizes (shape inference could "
                                   "not tell them)"]
    assert cost.to_dict()["from_run_nodes"] == 1
    broken = onnx.load(str(path))  # an op onnxruntime does not have: no run, the node stays uncounted
    broken.graph.node.insert(0, helper.make_node("Mystery", ["x"], ["unused"], domain="example.custom"))
    broken.opset_import.append(helper.make_opsetid("example.custom", 1))
    onnx.save(broken, tmp_path / "custom.onnx")
    with ChildHost() as host:
        kept = host.call("compute_cost", path=str(tmp_path / "custom.onnx"))
    assert kept.total == 0 and kept.from_run == 0 and len(kept.unknown) == 1
