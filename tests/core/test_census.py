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


def test_tally_records_counts_exactly() -> None:
    """Against a Counter of the split stream: records short and long (past 8, 16, 24 bytes and past the widest
    hashed), empty, alike in their first and last bytes, many distinct ones."""
    from collections import Counter

    from onnxstudio.core.census import tally_records

    rng = np.random.default_rng(0)
    pool = [b"", b"A", b"Add", b"\x03Add:\x0dcom.microsoft", b"x" * 8, b"x" * 9, b"x" * 16, b"x" * 17,
            b"ab" + b"m" * 20 + b"yz", b"ab" + b"n" * 20 + b"yz", b"q" * 63, b"q" * 64, b"r" * 200]
    pool += [bytes(rng.integers(0, 256, size=int(rng.integers(1, 40)), dtype=np.uint8)).replace(b"\x22", b"")
             for _ in range(300)]
    for trial in range(40):
        chosen = [pool[int(i)] for i in rng.integers(0, len(pool) - (0 if trial % 2 else 1), size=2000)]
        stream = b"".join(b"\x22" + r for r in chosen)
        assert tally_records(stream, 0x22) == dict(Counter(chosen)), trial
    assert tally_records(b"", 0x22) == {}
    assert tally_records(b"x\x22Add", 0x22) is None


def _graph_of(nodes: list[onnx.NodeProto], inits: list[onnx.TensorProto] = (), domains: tuple[str, ...] = ()
              ) -> onnx.ModelProto:
    return models._model(nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
                         [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])], inits,
                         opset=[*models.OPSET, *(helper.make_opsetid(d, 1) for d in domains)])


def _unusual_models(tmp_path: Path) -> dict[str, Path]:
    w = numpy_helper.from_array(np.ones((2, 3), np.float32), "w")
    no_type = onnx.TensorProto(name="w2", dims=[4], raw_data=b"\0" * 16)  # no data_type
    no_op = onnx.NodeProto(input=["x"], output=["y"])  # no op_type
    long_ops = [helper.make_node("O" * n, ["x"], [f"y{n}"], domain=d)
                for n, d in [(70, "a"), (140, "a"), (5, "d" * 40), (8, "ai.onnx.ml"), (9, ""), (16, "")]]
    length_34 = [helper.make_node("O" * 34, ["x"], ["y"], domain="a")]  # its length byte is the separator
    quoted = helper.make_node('Say"Hi"', ["x"], ["y"], domain="q")
    many = [helper.make_node(f"Op{i % 150}", ["x"], [f"y{i}"], domain=f"dom{i % 7}") for i in range(3000)]
    graph_attr = helper.make_node("Custom", ["x"], ["y"], domain="c")
    graph_attr.attribute.append(onnx.AttributeProto(name="body", type=onnx.AttributeProto.GRAPH))  # no graph
    # packed dims: a TensorProto written by hand (field 1 as one length-delimited record)
    packed = b"\x0a\x02\x02\x03" + b"\x10\x01" + b"\x42\x02wp" + b"\x4a\x18" + b"\0" * 24
    packed_model = _graph_of([helper.make_node("Add", ["x", "x"], ["y"])], [w])
    data = packed_model.SerializeToString()
    init = w.SerializeToString()
    data = data.replace(b"\x2a" + bytes([len(init)]) + init, b"\x2a" + bytes([len(packed)]) + packed)
    assert packed in data
    constant = helper.make_node("Constant", [], ["c"], value=numpy_helper.from_array(np.ones((3, 2), np.float16)))
    in_function = helper.make_function("f", "Shift", ["a"], ["b"], [constant, helper.make_node("Add", ["a", "c"], ["b"])],
                                       [helper.make_opsetid("", 17)])
    function_model = _graph_of([helper.make_node("Shift", ["x"], ["y"], domain="f")], [w], domains=("f",))
    function_model.functions.append(in_function)
    odd_tensor = helper.make_node("Relu", ["x"], ["y"])  # a tensor attribute no schema has (the checker refuses)
    odd_tensor.attribute.append(helper.make_attribute("extra", numpy_helper.from_array(np.ones(7, np.int64))))
    untyped = helper.make_node("Relu", ["x"], ["y"])  # a tensor without the attribute type saying so
    untyped.attribute.append(onnx.AttributeProto(name="v", t=numpy_helper.from_array(np.ones(2, np.float32))))
    listed = helper.make_node("Custom", ["x"], ["y"], domain="c")
    listed.attribute.append(helper.make_attribute("ts", [numpy_helper.from_array(np.ones(3, np.float32))] * 2))
    models_ = {
        "constant in the main graph": _graph_of([constant, helper.make_node("Add", ["x", "c"], ["y"])]),
        "tensor attribute on a Relu": _graph_of([odd_tensor]),
        "tensor attribute without its type": _graph_of([untyped]),
        "tensor list attribute": _graph_of([listed], domains=("c",)),
        "constant in a function": function_model,
        "no data type": _graph_of([helper.make_node("Add", ["x", "w2"], ["y"])], [no_type, w]),
        "no op type": _graph_of([helper.make_node("Relu", ["x"], ["t"]), no_op]),
        "long names": _graph_of(long_ops, [w], domains=("a", "d" * 40, "ai.onnx.ml")),
        "op type of 34 characters": _graph_of(length_34, domains=("a",)),
        "quote in op": _graph_of([quoted], domains=("q",)),
        "many ops": _graph_of(many, domains=tuple(f"dom{i}" for i in range(7))),
        "graph attribute without graph": _graph_of([graph_attr], domains=("c",)),
        "no nodes": _graph_of([], [w]),
        "undeclared domain": _graph_of([helper.make_node("Gelu", ["x"], ["y"], domain="com.microsoft")]),
        "scalars and empty tensors": _graph_of([helper.make_node("Add", ["x", "s"], ["y"])], [
            numpy_helper.from_array(np.float32(2.0), "s"), numpy_helper.from_array(np.ones((0, 5), np.int8), "e"),
            helper.make_tensor("b", TensorProto.BFLOAT16, [3, 1, 7], [0.0] * 21), w]),
    }
    paths = {name: models._save(m, tmp_path / f"{i}.onnx") for i, (name, m) in enumerate(models_.items())}
    paths["packed dims"] = tmp_path / "packed.onnx"
    paths["packed dims"].write_bytes(data)
    return paths


def test_unusual_models_are_described_like_the_general_path(tmp_path: Path) -> None:
    """Whatever the fast path accepts it describes exactly as the general path; what it cannot, it leaves."""
    taken = set()
    paths = _unusual_models(tmp_path)
    for name, path in paths.items():
        fast = _fast_report(path)
        if fast is not None:
            taken.add(name)
            assert fast.to_dict() == _general(path), name
    # these it must describe itself (the common cases among them), these it must leave to the general path
    assert {"long names", "many ops", "no nodes", "scalars and empty tensors", "undeclared domain",
            "constant in a function", "constant in the main graph", "tensor attribute on a Relu"} <= taken
    assert _general(paths["tensor attribute on a Relu"])["constant_bytes"] == 56
    assert _general(paths["tensor list attribute"])["constant_count"] == 2
    assert _general(paths["constant in a function"])["constant_bytes"] == 12
    assert _general(paths["constant in the main graph"])["constant_parameters"] == 6
    # a node of a domain that opset_import does not declare (the checker refuses it) is still shown in it
    assert "com.microsoft::Gelu" in _general(paths["undeclared domain"])["op_histogram"]
    assert not taken & {"no data type", "no op type", "packed dims", "quote in op", "graph attribute without graph",
                        "op type of 34 characters", "tensor attribute without its type", "tensor list attribute"}


def test_models_written_by_onnxruntime_are_described_like_the_general_path(tmp_path: Path) -> None:
    """Files another serializer wrote: onnxruntime's C++ protobuf, after its graph optimizations (fused ops of
    the com.microsoft domain) and after dynamic int8 quantization."""
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    written = []
    for i, source in enumerate([models.conv_model(tmp_path / "conv.onnx"),
                                models.multi_input_model(tmp_path / "multi.onnx")]):
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        options.optimized_model_filepath = str(tmp_path / f"optimized{i}.onnx")
        ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
        written.append(Path(options.optimized_model_filepath))
        quantize_dynamic(str(source), str(tmp_path / f"int8_{i}.onnx"), weight_type=QuantType.QInt8)
        written.append(tmp_path / f"int8_{i}.onnx")
    for path in written:
        fast = _fast_report(path)
        assert fast is not None, path.name
        assert fast.to_dict() == _general(path), path.name
    assert any("::" in op for op in _fast_report(written[0]).op_histogram)  # com.microsoft::FusedConv


def test_streams_that_are_not_records_are_refused() -> None:
    """What a damaged file may leave in the streams: no separator at all, only continuation bytes."""
    from onnxstudio.core.census import _parameters, tally_records

    assert tally_records(b"\x03Add", 0x22) is None
    assert _parameters(b"\x80\x81\x82", 1) is None
    assert _parameters(b"\x08", 1) is None
    assert _parameters(b"\x08\x02\x10\x01", 1) == (1, 2, 8)
    assert _parameters(b"\x08\x80\x01\x08\x03\x10\x01\x10\x0a", 2) == (2, 385, 384 * 4 + 2)  # float 128x3, float16 scalar
    assert _parameters(b"\x10\x01\x08\x02", 1) is None  # dims after the data type


def test_nodes_are_counted_up_to_the_first_initializer(tmp_path: Path) -> None:
    """The node count reads the node records and stops at the first initializer (its weights not copied); a
    file with a node after an initializer (no serializer writes one) is left to the general path."""
    from onnxstudio.core.census import _node_records
    from onnxstudio.core.protowire import encode_varint

    path = models.conv_model(tmp_path / "conv.onnx")
    model = onnx.load(str(path))
    assert _node_records(path.read_bytes()) == len(model.graph.node) > 0
    assert _fast_report(path) is not None

    w = numpy_helper.from_array(np.ones((3,), np.float32), "w")  # a record of 21 bytes: not a multiple of 8
    first, second = helper.make_node("Relu", ["x"], ["t"]), helper.make_node("Add", ["t", "w"], ["y"])
    rest = helper.make_graph([second], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3])],
                             [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3])])
    graph = (onnx.GraphProto(node=[first]).SerializeToString() + onnx.GraphProto(initializer=[w]).SerializeToString()
             + rest.SerializeToString())
    header = helper.make_model(onnx.GraphProto(), opset_imports=[helper.make_opsetid("", 17)])
    header.ClearField("graph")
    odd = tmp_path / "odd.onnx"
    odd.write_bytes(header.SerializeToString() + b"\x3a" + encode_varint(len(graph)) + graph)
    assert len(onnx.load(str(odd)).graph.node) == 2
    assert _node_records(odd.read_bytes()) == 1
    assert _fast_report(odd) is None
    assert inspect_model(odd, shapes=False).to_dict() == _general(odd)


def test_an_empty_domain_written_or_not_is_the_default_one(tmp_path: Path) -> None:
    """Nodes whose domain is written empty ("" set, as some exporters write it) beside nodes without one, and a
    model where one node's domain is "ai.onnx": each counted as the general path counts it."""
    w = numpy_helper.from_array(np.ones((2,), np.float32), "w")
    for last in ("", "ai.onnx"):
        nodes = [helper.make_node("Add", ["x", "w"], ["a"], domain=""), helper.make_node("Relu", ["a"], ["b"]),
                 helper.make_node("Add", ["b", "w"], ["y"], domain=last)]
        graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])], [w])
        path = tmp_path / f"m{last}.onnx"
        onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
        counted = census(path.read_bytes())
        assert counted is not None and sum(counted.op_counts.values()) == 3
        assert counted.op_counts[("", "Add")] == (2 if last == "" else 1)
        assert _fast_report(path).to_dict() == _general(path)


def test_the_opset_imports_say_which_parse_reads_the_domains(tmp_path: Path) -> None:
    """A model importing only the default domain is read with its op types in lists; one importing another domain,
    with each domain kept after its op type; bytes whose top-level records cannot be walked, as the latter."""
    from onnxstudio.core.census import _imports_other_domains

    plain = onnx.load(str(models.add_model(tmp_path / "a.onnx"))).SerializeToString()
    assert _imports_other_domains(plain) is False
    edge = _edge_model(tmp_path / "edge.onnx").read_bytes()
    assert _imports_other_domains(edge) is True
    assert _imports_other_domains(plain[:-3]) is True and _imports_other_domains(b"\x0f\x01") is True
