"""Layer by layer: every tensor of A against B's, and where the difference starts, on real sessions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from onnxstudio.core.compare import CompareSpec, compare_runs
from onnxstudio.core.engine import Engine
from onnxstudio.core.providers import SessionConfig

F = TensorProto.FLOAT


def _chain(path: Path, scale: float) -> Path:
    """x -> Conv -> Relu -> Mul(by ``scale``) -> Conv -> Sigmoid, with an If whose body is not compared."""
    rng = np.random.default_rng(3)
    w1, w2 = (numpy_helper.from_array(rng.standard_normal((4, 4, 3, 3)).astype(np.float32), n) for n in ("w1", "w2"))
    k = numpy_helper.from_array(np.array(scale, np.float32), "k")
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("Constant", [], ["unused"], value=numpy_helper.from_array(np.ones(2, np.float32))),
        helper.make_node("Mul", ["r1", "k"], ["m"], name="scale"),
        helper.make_node("Conv", ["m", "w2"], ["c2"], name="conv2", pads=[1, 1, 1, 1]),
        helper.make_node("Sigmoid", ["c2"], ["y"], name="out"),
    ]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", F, [1, 4, 8, 8])],
                              [helper.make_tensor_value_info("y", F, [1, 4, 8, 8])], [w1, w2, k])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)
    return path


def test_the_first_tensor_that_differs_is_where_the_models_differ(tmp_path: Path) -> None:
    a, b = _chain(tmp_path / "a.onnx", 1.0), _chain(tmp_path / "b.onnx", 1.01)
    feeds = {"x": np.random.default_rng(0).standard_normal((1, 4, 8, 8)).astype(np.float32)}
    cfg = SessionConfig()
    with Engine(a, cfg) as eng:
        result = compare_runs(eng, feeds, CompareSpec(str(b), cfg, layers=True))
    report = result.layers
    assert [x.diff.name for x in report.layers] == ["c1", "r1", "m", "c2", "y"]  # no Constant, in node order
    assert [x.diff.ok for x in report.layers] == [True, True, False, False, False]
    first = report.first
    assert first is not None and (first.node, first.node_name, first.op, first.diff.name) == (3, "scale", "Mul", "m")
    assert report.layers[0].diff.max_abs == 0.0 and report.differing == 3
    assert set(report.worst_by_node()) == {0, 1, 3, 4, 5} and report.worst_by_node()[3] > 0
    d = report.to_dict()
    assert d["first"] == {"node": 3, "node_name": "scale", "op": "Mul", "tensor": "m"} and len(d["layers"]) == 5
    # the same model against itself unoptimized: every tensor agrees, and A's session still runs
    with Engine(a, cfg) as eng:
        same = compare_runs(eng, feeds, CompareSpec(str(a), SessionConfig(graph_optimization="disabled"),
                                                    layers=True))
        assert eng.run(feeds).outputs[0].shape == (1, 4, 8, 8)
    assert same.layers.first is None and len(same.layers.layers) == 5 and same.ok


def test_models_without_shared_tensor_names_say_so(tmp_path: Path) -> None:
    a = _chain(tmp_path / "a.onnx", 1.0)
    other = onnx.load(a)
    for node in other.graph.node:
        node.output[:] = [o if o == "y" else f"b_{o}" for o in node.output]
        node.input[:] = [i if i in ("x", "w1", "w2", "k") else f"b_{i}" for i in node.input]
    onnx.save(other, tmp_path / "b.onnx")
    feeds = {"x": np.ones((1, 4, 8, 8), np.float32)}
    with Engine(a) as eng:
        report = compare_runs(eng, feeds, CompareSpec(str(tmp_path / "b.onnx"), SessionConfig(), layers=True)).layers
    assert [x.diff.name for x in report.layers] == ["y"] and report.only_a == 4 and report.only_b == 4
