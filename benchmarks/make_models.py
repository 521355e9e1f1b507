"""Generators for benchmark models (written to a temporary folder, never committed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def chain_model(path: Path, nodes: int) -> Path:
    """``nodes`` alternating Add/Relu nodes on [1, 64] with a small initializer per Add, in namespaces."""
    inits, graph_nodes, prev = [], [], "x"
    for i in range(nodes):
        block = f"/layer.{i // 100}/unit.{(i // 2) % 50}"
        if i % 2 == 0:
            name = f"b{i}"
            inits.append(numpy_helper.from_array(np.full((64,), 0.001, np.float32), name))
            graph_nodes.append(helper.make_node("Add", [prev, name], [f"t{i}"], name=f"{block}/Add"))
        else:
            graph_nodes.append(helper.make_node("Relu", [prev], [f"t{i}"], name=f"{block}/Relu"))
        prev = f"t{i}"
    graph = helper.make_graph(graph_nodes, "chain", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 64])],
                              [helper.make_tensor_value_info(prev, TensorProto.FLOAT, [1, 64])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9)
    onnx.save(model, str(path))
    return path


def big_weights_model(path: Path, gigabytes: float, *, external: bool) -> Path:
    """A MatMul whose weight holds ``gigabytes`` of float32, embedded or as external data."""
    side = 1024
    rows = int(gigabytes * 2**30 / 4 / side)
    w = numpy_helper.from_array(np.zeros((rows, side), np.float32), "W")
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "W"], ["y"], name="/proj/MatMul")], "big",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, rows])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, side])], [w])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9)
    if external:
        onnx.save(model, str(path), save_as_external_data=True, location=path.stem + ".weights")
    else:
        onnx.save(model, str(path))
    return path
