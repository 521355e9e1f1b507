"""Large graphs loaded in parts (:mod:`onnxstudio.core.lazygraph`): the same model, graph and report as a full
parse, nodes and initializers read on access, and the general path wherever the file is unusual."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from benchmarks.make_graph_models import convnet, transformer
from onnxstudio.core import lazygraph, lazyread
from onnxstudio.core.errors import StudioError
from onnxstudio.core.graph import load_graph
from onnxstudio.core.inspection import count_parameters, report_structure
from onnxstudio.core.loading import load_structure, read_initializer
from onnxstudio.core.protowire import encode_varint
from tests.core.test_noderun import assert_same_graph


@pytest.fixture
def in_parts(monkeypatch):
    """Every file loaded with columns goes through the lazy path (the thresholds are for big models)."""
    monkeypatch.setattr(lazygraph, "LAZY_MIN_SIZE", 0)
    monkeypatch.setattr(lazygraph, "LAZY_MIN_RECORDS", 0)


def _with_big_weight(model: onnx.ModelProto) -> onnx.ModelProto:
    """One initializer larger than a metadata read (its data is skipped when only dims are asked for)."""
    big = numpy_helper.from_array(np.arange(40_000, dtype=np.float32).reshape(200, 200), "big_weight")
    model.graph.initializer.append(big)
    model.graph.node.append(helper.make_node("Identity", ["big_weight"], ["big_out"], name="/tail/Identity"))
    model.graph.output.append(helper.make_tensor_value_info("big_out", TensorProto.FLOAT, [200, 200]))
    return model


@pytest.mark.parametrize("kind", ["convnet", "transformer"])
def test_a_model_in_parts_is_the_same_model(tmp_path: Path, in_parts, kind: str) -> None:
    model = _with_big_weight(convnet(600) if kind == "convnet" else transformer(600))
    p = tmp_path / f"{kind}.onnx"
    onnx.save(model, p)
    full = onnx.load(p)
    lazy = load_structure(p, columns=True)
    plain = load_structure(p)
    assert lazy.lazy is not None and plain.lazy is None
    # the model itself holds neither nodes nor initializers; everything else is there
    assert len(lazy.model.graph.node) == len(lazy.model.graph.initializer) == len(lazy.model.graph.value_info) == 0
    assert list(lazy.lazy.value_info) == list(full.graph.value_info)
    assert list(lazy.model.graph.input) == list(full.graph.input)
    assert list(lazy.model.opset_import) == list(full.opset_import)
    # nodes: by index (negative too), sliced, iterated in order
    nodes = lazy.nodes
    assert len(nodes) == len(full.graph.node) == lazy.node_count
    assert nodes[0] == full.graph.node[0] and nodes[-1] == full.graph.node[-1]
    assert nodes[3:9] == list(full.graph.node[3:9])
    assert list(nodes) == list(full.graph.node)
    with pytest.raises(IndexError):
        nodes[len(nodes)]
    # initializers: names, small ones whole, the big one without data unless asked for
    tensors = lazy.lazy.initializers
    assert lazy.lazy.initializer_names == [t.name for t in full.graph.initializer]
    first = onnx.TensorProto()
    first.CopyFrom(full.graph.initializer[0])
    first.ClearField("raw_data")
    assert tensors[0] == first  # metadata only: what labels and counts read
    big = tensors[-1]
    assert big.name == "big_weight" and list(big.dims) == [200, 200] and big.data_type == TensorProto.FLOAT
    assert not big.raw_data
    assert tensors.full(len(tensors) - 1) == full.graph.initializer[-1]
    np.testing.assert_array_equal(read_initializer(lazy, "big_weight"),
                                  numpy_helper.to_array(full.graph.initializer[-1]))
    name0 = full.graph.initializer[0].name
    np.testing.assert_array_equal(read_initializer(lazy, name0), numpy_helper.to_array(full.graph.initializer[0]))
    # the graph view's graph, labels and node queries
    g_lazy = load_graph(lazy.model, lazy.index, lazy.columns)
    g_plain = load_graph(plain.model, plain.index)
    assert_same_graph(g_lazy, g_plain)
    some = g_plain.value_names[:: max(1, len(g_plain.value_names) // 50)] + ["big_weight", name0]
    assert [v.label() for v in g_lazy.values(some)] == [v.label() for v in g_plain.values(some)]
    for i in (0, len(nodes) // 2, len(nodes) - 1):
        assert g_lazy.node_inputs(i) == g_plain.node_inputs(i) and g_lazy.domain(i) == g_plain.domain(i)
    for query in ("Conv", "attr:kernel", "tensor:big_weight", "name:tail"):
        assert g_lazy.search(query) == g_plain.search(query)
    # the report and the parameter count
    assert report_structure(lazy).to_dict() == report_structure(plain).to_dict()
    assert count_parameters(lazy) == count_parameters(plain)


def test_thresholds_keep_small_models_whole(tmp_path: Path) -> None:
    p = tmp_path / "small.onnx"
    onnx.save(convnet(300), p)
    assert os.path.getsize(p) < lazygraph.LAZY_MIN_SIZE
    assert load_structure(p, columns=True).lazy is None


def _record(field: int, body: bytes) -> bytes:
    return encode_varint(field << 3 | 2) + encode_varint(len(body)) + body


def _model_bytes(graph_body: bytes, model: onnx.ModelProto) -> bytes:
    head = onnx.ModelProto()
    head.CopyFrom(model)
    head.ClearField("graph")
    return head.SerializeToString() + _record(7, graph_body)


def test_unusual_layouts_take_the_general_path(tmp_path: Path, in_parts) -> None:
    """Nodes split around other fields, initializers after value_info (the rest is taken whole, unwalked:
    the parse shows it), the graph written twice: the general path, with the same graph."""
    model = convnet(200)
    g = model.graph
    nodes = [_record(1, n.SerializeToString()) for n in g.node]
    inits = [_record(5, t.SerializeToString()) for t in g.initializer]
    others = onnx.GraphProto()
    others.CopyFrom(g)
    del others.node[:]
    del others.initializer[:]
    rest = others.SerializeToString()
    layouts = {
        "split nodes": b"".join(nodes[:5]) + rest + b"".join(nodes[5:]) + b"".join(inits),
        "initializers last": b"".join(nodes) + b"".join(inits[:3]) + rest + b"".join(inits[3:]),
    }
    plain_graph = load_graph(model)
    for label, body in layouts.items():
        p = tmp_path / f"{label}.onnx"
        p.write_bytes(_model_bytes(body, model))
        loaded = load_structure(p, columns=True)
        assert loaded.lazy is None, label
        assert len(loaded.model.graph.node) == len(g.node)
        assert_same_graph(load_graph(loaded.model, loaded.index, loaded.columns), plain_graph)
    twice = tmp_path / "twice.onnx"
    body = b"".join(nodes) + b"".join(inits) + rest
    twice.write_bytes(_model_bytes(body, model) + _record(7, others.SerializeToString()))
    assert lazygraph.split_graph(twice.read_bytes(), 0) is None
    assert load_structure(twice, columns=True).lazy is None
    # the usual layout of the same bytes does go in parts
    usual = tmp_path / "usual.onnx"
    usual.write_bytes(_model_bytes(body, model))
    assert load_structure(usual, columns=True).lazy is not None


def test_external_data_takes_the_general_path_and_is_validated(tmp_path: Path, in_parts) -> None:
    model = convnet(200)
    onnx.save(model, tmp_path / "ext.onnx", save_as_external_data=True, all_tensors_to_one_file=True,
              location="w.bin", size_threshold=0)
    loaded = load_structure(tmp_path / "ext.onnx", columns=True)
    assert loaded.lazy is None and loaded.external_files
    outside = tmp_path / "sub"
    outside.mkdir()
    onnx.save(model, outside / "m.onnx", save_as_external_data=True, all_tensors_to_one_file=True,
              location="w.bin", size_threshold=0)
    m = onnx.load(outside / "m.onnx", load_external_data=False)
    for t in m.graph.initializer:
        for e in t.external_data:
            if e.key == "location":
                e.value = "../w.bin"
    onnx.save(m, outside / "m.onnx")
    with pytest.raises(StudioError, match="outside"):
        load_structure(outside / "m.onnx", columns=True)


def test_unnamed_initializers_and_a_tensor_named_twice_take_the_general_path(tmp_path: Path, in_parts) -> None:
    model = convnet(200)
    model.graph.initializer[4].ClearField("name")
    p = tmp_path / "unnamed.onnx"
    onnx.save(model, p)
    loaded = load_structure(p, columns=True)
    assert loaded.lazy is None and len(loaded.model.graph.initializer) == len(model.graph.initializer)


def test_a_file_changed_on_disk_is_said_to_be_not_misread(tmp_path: Path, in_parts) -> None:
    model = _with_big_weight(convnet(1500))
    p = tmp_path / "m.onnx"
    onnx.save(model, p)
    loaded = load_structure(p, columns=True)
    assert loaded.lazy is not None
    first = loaded.nodes[0]
    onnx.save(convnet(100), p)  # overwritten in place, as a re-export does
    nodes = loaded.lazy.nodes
    nodes._blocks = {0: nodes._blocks[0]}  # only the first block of nodes had been read
    far = loaded.nodes[len(loaded.nodes) - 1]  # not read yet: a placeholder with its name and op type
    assert far.name == model.graph.node[-1].name and far.op_type == model.graph.node[-1].op_type
    assert not far.input and "changed on disk" in far.doc_string
    assert "changed on disk" in (loaded.lazy.nodes.error or "")
    assert loaded.nodes[0] == first  # read before: kept
    t = loaded.lazy.initializers[len(loaded.lazy.initializers) - 1]
    assert t.name == "big_weight" and not t.dims
    with pytest.raises(StudioError, match="changed on disk"):
        read_initializer(loaded, "big_weight")
    graph = load_graph(loaded.model, loaded.index, loaded.columns)  # still builds from what was read at load
    assert graph.n_ops == len(model.graph.node)


def test_a_corrupt_node_record_is_a_placeholder_not_a_crash(tmp_path: Path, in_parts) -> None:
    model = convnet(200)
    p = tmp_path / "m.onnx"
    onnx.save(model, p)
    loaded = load_structure(p, columns=True)
    nodes = loaded.lazy.nodes
    k = next(i for i, n in enumerate(model.graph.node) if n.attribute)
    data = bytearray(p.read_bytes())
    start = nodes._starts[k]
    body = bytes(data[start:start + nodes._lengths[k]])
    attr_at = body.index(model.graph.node[k].attribute[0].SerializeToString()[:4])
    data[start + attr_at - 1] = 0x7F  # the attribute's length now runs past the node's end
    stamp = os.stat(p)
    p.write_bytes(bytes(data))
    os.utime(p, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # same size and time: the stamp cannot tell
    nodes._blocks.clear()
    bad = nodes[k]
    assert bad.name == model.graph.node[k].name and "cannot be read" in bad.doc_string


def test_real_models_in_parts_match_the_full_parse(in_parts) -> None:
    """The conv nets the onnx wheel ships and onnxruntime's dataset models, forced through the lazy path."""
    from tests.conftest import onnx_light_models, ort_datasets

    paths = onnx_light_models() + sorted(ort_datasets().glob("*.onnx"))
    assert len(paths) >= 8
    went = 0
    for p in paths:
        lazy = load_structure(p, columns=True)
        plain = load_structure(p)
        went += lazy.lazy is not None
        assert_same_graph(load_graph(lazy.model, lazy.index, lazy.columns), load_graph(plain.model, plain.index))
        assert report_structure(lazy).to_dict() == report_structure(plain).to_dict(), p.name
        assert list(lazy.nodes) == list(plain.model.graph.node), p.name
    assert went >= len(onnx_light_models())


def test_tensors_over_a_megabyte_are_named_without_reading_their_data(tmp_path: Path, in_parts) -> None:
    """Records over 1 MB are walked field by field (the chunked parse would copy them whole)."""
    model = convnet(200)
    embed = numpy_helper.from_array(np.ones((600, 600), np.float32), "embedding")  # 1.4 MB
    model.graph.initializer.insert(3, embed)
    model.graph.node.append(helper.make_node("Identity", ["embedding"], ["e_out"], name="/e/Identity"))
    model.graph.output.append(helper.make_tensor_value_info("e_out", TensorProto.FLOAT, [600, 600]))
    p = tmp_path / "big.onnx"
    onnx.save(model, p)
    loaded = load_structure(p, columns=True)
    assert loaded.lazy is not None
    assert loaded.lazy.initializer_names == [t.name for t in model.graph.initializer]
    meta = loaded.lazy.initializer("embedding")
    assert list(meta.dims) == [600, 600] and not meta.raw_data
    assert read_initializer(loaded, "embedding").shape == (600, 600)
    # the same tensor without a name: the general path
    model.graph.initializer[3].ClearField("name")
    onnx.save(model, p)
    assert load_structure(p, columns=True).lazy is None


def test_placeholders_show_names_that_are_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "m.onnx"
    onnx.save(convnet(100), p)
    nodes = lazyread.LazyNodes(p, np.array([10]), np.array([5]), (0, 0), [b"\xffname"], [b"Op\xfe"])
    t = lazyread.LazyTensors(p, np.array([10]), np.array([5]), (0, 0), [b"\xfft"])
    bad = nodes[0]
    assert bad.name == "\ufffdname" and bad.op_type == "Op\ufffd" and "changed on disk" in bad.doc_string
    assert t[0].name == "\ufffdt" and nodes.error and t.error
    with pytest.raises(StudioError, match="changed on disk"):
        t.full(0)
