"""Node columns (:mod:`onnxstudio.core.noderun`): the same graph as protobuf's Python API gives, or None."""

from __future__ import annotations

from itertools import chain
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

from onnxstudio.core import noderun
from onnxstudio.core.graph import Graph, load_graph
from onnxstudio.core.loading import load_structure
from onnxstudio.core.noderun import read_columns, verify
from onnxstudio.core.protowire import encode_varint


def assert_same_graph(a: Graph, b: Graph) -> None:
    """Everything the view draws from a graph."""
    assert a.names == b.names
    assert a.ops == b.ops
    assert a.kinds.tolist() == b.kinds.tolist()
    assert a.n_init.tolist() == b.n_init.tolist()
    assert a.outer_names == b.outer_names
    assert a.edge_src.tolist() == b.edge_src.tolist()
    assert a.edge_dst.tolist() == b.edge_dst.tolist()
    assert a.edge_value == b.edge_value
    assert a.group_path == b.group_path
    assert a.node_group.tolist() == b.node_group.tolist()
    assert a.input_names == b.input_names and a.output_names == b.output_names


def _model(nodes, inits=(), *, opsets=(("", 17),), value_info=()) -> onnx.ModelProto:
    g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, "n"])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], list(inits),
                          value_info=list(value_info))
    return helper.make_model(g, opset_imports=[helper.make_opsetid(d, v) for d, v in opsets])


def _columns_of(path: Path):
    loaded = load_structure(path, columns=True)
    return loaded, loaded.columns


def _check(path: Path) -> noderun.NodeColumns:
    loaded, cols = _columns_of(path)
    assert cols is not None
    g = loaded.model.graph
    assert cols.names == [n.name for n in g.node]
    assert cols.op_types == [n.op_type for n in g.node]
    assert cols.domains == [n.domain for n in g.node]
    assert cols.inputs == list(chain.from_iterable(n.input for n in g.node))
    assert cols.outputs == list(chain.from_iterable(n.output for n in g.node))
    assert cols.n_inputs.tolist() == [len(n.input) for n in g.node]
    assert cols.n_outputs.tolist() == [len(n.output) for n in g.node]
    if cols.initializer_names is not None:
        assert cols.initializer_names == [t.name for t in g.initializer]
        assert cols.value_info_names == [v.name for v in g.value_info]
    plain = load_structure(path)
    assert_same_graph(load_graph(loaded.model, loaded.index, cols), load_graph(plain.model, plain.index))
    return cols


def test_columns_match_the_python_api_on_an_irregular_graph(tmp_path: Path) -> None:
    """Unnamed nodes, a custom domain on some nodes, omitted optional inputs, a node with 500 inputs (the
    per-node tail of the lockstep walk), long names (two-byte lengths), attributes, value_info."""
    w = helper.make_tensor("w", TensorProto.FLOAT, [2, 1], [1.0, 2.0])
    long = "/block/" + "very_long_namespace/" * 12
    nodes = [
        helper.make_node("Relu", ["x"], ["a"], name=f"{long}relu"),
        helper.make_node("Relu", ["a"], ["b"]),  # no name
        helper.make_node("Clip", ["b", "", ""], ["c"], name="clip"),  # omitted optional inputs
        helper.make_node("Sum", ["c"] * 500, ["d"], name="/sum/Sum"),
        helper.make_node("MyOp", ["d", "w"], ["e", "e2"], name="/custom/MyOp", domain="my.domain", alpha=0.5),
        helper.make_node("Concat", ["e", "e2"], ["y"], axis=0),
    ]
    vi = [helper.make_tensor_value_info("a", TensorProto.FLOAT, [2, "n"])]
    p = tmp_path / "irregular.onnx"
    onnx.save(_model(nodes, [w], opsets=(("", 17), ("my.domain", 1)), value_info=vi), p)
    cols = _check(p)
    assert cols.n_inputs.tolist()[3] == 500 and cols.domains[4] == "my.domain" and cols.names[1] == ""
    assert cols.initializer_names == ["w"] and cols.value_info_names == ["a"]


def test_columns_on_wheel_models_and_a_large_tail(tmp_path: Path, monkeypatch) -> None:
    """The light models the onnx wheel ships; and a tail over the limit: nodes read, names not."""
    light = sorted((Path(onnx.__file__).parent / "backend/test/data/light").glob("*.onnx"))
    assert light
    for p in light:
        _check(p)
    monkeypatch.setattr(noderun, "TAIL_LIMIT", 0)
    monkeypatch.setattr(noderun.read_columns, "__defaults__", (0,))
    cols = _check(light[0])
    assert cols.initializer_names is None and cols.value_info_names is None


def test_columns_step_aside_when_the_layout_is_unusual(tmp_path: Path) -> None:
    """Nodes split around other graph fields, a singular field written twice, a graph without nodes: None
    (the graph is then read through the Python API, and is still right)."""
    nodes = [helper.make_node("Relu", ["x"], ["a"], name="r1"), helper.make_node("Relu", ["a"], ["y"], name="r2")]
    model = _model(nodes)
    data = model.SerializeToString()
    graph_bytes = model.graph.SerializeToString()
    node_bytes = [n.SerializeToString() for n in model.graph.node]

    def record(field: int, body: bytes) -> bytes:
        return encode_varint(field << 3 | 2) + encode_varint(len(body)) + body

    rest = onnx.GraphProto()
    rest.CopyFrom(model.graph)
    del rest.node[:]
    # node 2 after the graph's other fields: a valid GraphProto, but not one run of nodes
    split = record(1, node_bytes[0]) + rest.SerializeToString() + record(1, node_bytes[1])
    twice = record(1, node_bytes[0] + record(4, b"Relu")) + record(1, node_bytes[1]) + rest.SerializeToString()
    for body in (split, twice):
        head = data[: data.index(graph_bytes) - len(encode_varint(len(graph_bytes))) - 1]
        tail = data[data.index(graph_bytes) + len(graph_bytes):]
        blob = head + record(7, body) + tail
        parsed = onnx.ModelProto.FromString(blob)
        assert len(parsed.graph.node) == 2
        assert verify(read_columns(blob), parsed.graph) is None
    empty = _model([helper.make_node("Identity", ["x"], ["y"])])
    del empty.graph.node[:]
    assert read_columns(empty.SerializeToString()) is None
    assert read_columns(b"\x00\x01garbage") is None


def test_columns_keep_names_that_are_not_utf8(tmp_path: Path) -> None:
    nodes = [helper.make_node("Relu", ["x"], ["a"], name="ok"), helper.make_node("Relu", ["a"], ["y"], name="BAD")]
    data = _model(nodes).SerializeToString().replace(b"BAD", b"\xff\xfe!")
    p = tmp_path / "bad_names.onnx"
    p.write_bytes(data)
    loaded, cols = _columns_of(p)
    assert cols is not None
    graph = load_graph(loaded.model, loaded.index, cols)
    assert graph.names[1] == "\ufffd\ufffd!"
    plain = load_structure(p)
    assert_same_graph(graph, load_graph(plain.model, plain.index))


@pytest.mark.parametrize("kind", ["transformer", "convnet"])
def test_columns_on_generated_benchmark_graphs(tmp_path: Path, kind: str) -> None:
    from benchmarks import make_graph_models

    p = tmp_path / f"{kind}.onnx"
    onnx.save(getattr(make_graph_models, kind)(3000), p)
    cols = _check(p)
    assert len(cols.names) > 2500 and np.all(cols.n_outputs >= 1)


def test_external_data_is_still_found_and_validated_with_columns(tmp_path: Path) -> None:
    """Loading with columns (the mapped pages given back after the parse) still finds external data and
    validates it: a reference that leaves the folder is refused."""
    from onnxstudio.core.errors import ExternalDataError

    w = helper.make_tensor("w", TensorProto.FLOAT, [256], np.arange(256, dtype=np.float32).tobytes(), raw=True)
    model = _model([helper.make_node("Add", ["x", "w"], ["y"], name="add")], [w])
    p = tmp_path / "ext.onnx"
    onnx.save(model, p, save_as_external_data=True, all_tensors_to_one_file=True, location="w.bin",
              size_threshold=0)
    loaded = load_structure(p, columns=True)
    assert loaded.columns is not None
    assert [f.location for f in loaded.external_files] == ["w.bin"]
    bad = onnx.load(p, load_external_data=False)
    for entry in bad.graph.initializer[0].external_data:
        if entry.key == "location":
            entry.value = "../outside.bin"
    q = tmp_path / "bad.onnx"
    onnx.save(bad, q)
    with pytest.raises(ExternalDataError) as err:
        load_structure(q, columns=True)
    assert err.value.category == "external_data_outside"


def test_labels_prepared_where_the_graph_is_built(tmp_path: Path) -> None:
    """Without columns' value_info names, prepare_labels reads them (off the GUI thread) so the first labelled
    frame only looks them up; the types found are the same either way."""
    vi = [helper.make_tensor_value_info("a", TensorProto.FLOAT, [2, "n"])]
    nodes = [helper.make_node("Relu", ["x"], ["a"], name="r"), helper.make_node("Relu", ["a"], ["y"], name="s")]
    p = tmp_path / "vi.onnx"
    onnx.save(_model(nodes, value_info=vi), p)
    plain = load_structure(p)
    graph = load_graph(plain.model, plain.index)
    assert graph._vi_names is None
    graph.prepare_labels()
    assert graph._vi_names == ["a"]
    assert graph.values(["a"])[0].label() == "float32 2×n"


def test_columns_of_a_file_read_without_its_tensor_bytes(tmp_path: Path, monkeypatch) -> None:
    """Large files are parsed from a rewritten copy without big tensor data (a Constant node's tensor included):
    the columns are read from that copy and give the same graph."""
    from onnxstudio.core import loading

    big = np.arange(4096, dtype=np.float32)
    const = helper.make_node("Constant", [], ["k"], name="/c/Constant",
                             value=helper.make_tensor("kv", TensorProto.FLOAT, [4096], big.tobytes(), raw=True))
    w = helper.make_tensor("w", TensorProto.FLOAT, [4096], big.tobytes(), raw=True)
    nodes = [const, helper.make_node("Add", ["x", "k"], ["a"], name="/b/Add"),
             helper.make_node("Mul", ["a", "w"], ["y"], name="/b/Mul")]
    p = tmp_path / "stripped.onnx"
    onnx.save(_model(nodes, [w]), p)
    monkeypatch.setattr(loading, "STRIP_THRESHOLD", 0)
    monkeypatch.setattr(loading, "MIN_STRIP", 1024)
    loaded = load_structure(p, columns=True)
    assert loaded.stripped and loaded.columns is not None
    plain = load_structure(p)
    assert_same_graph(load_graph(loaded.model, loaded.index, loaded.columns), load_graph(plain.model, plain.index))
    assert loaded.columns.inputs == ["x", "k", "a", "w"]
