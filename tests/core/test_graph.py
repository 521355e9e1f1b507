"""Graph model: edges, pseudo nodes, initializers, namespaces, subgraphs and search on onnx.helper models."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from onnxstudio.core.graph import KIND_INPUT, KIND_OP, KIND_OUTPUT, load_graph, namespace_of


def _vi(name: str, shape: list) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def namespaced_model(layers: int = 3, prefix: str = "") -> onnx.ModelProto:
    """A small encoder: /encoder/layer.i/{attn,mlp}/... plus an embedding, weights as initializers."""
    nodes, inits = [], []
    x = "x"
    for i in range(layers):
        ns = f"{prefix}/encoder/layer.{i}"
        w = f"w{i}"
        inits.append(numpy_helper.from_array(np.full((4, 4), i, np.float32), w))
        nodes += [
            helper.make_node("MatMul", [x, w], [f"{ns}/q"], name=f"{ns}/attn/MatMul"),
            helper.make_node("Softmax", [f"{ns}/q"], [f"{ns}/s"], name=f"{ns}/attn/Softmax", axis=-1),
            helper.make_node("Add", [f"{ns}/s", x], [f"{ns}/r"], name=f"{ns}/Add"),
            helper.make_node("Relu", [f"{ns}/r"], [f"{ns}/m"], name=f"{ns}/mlp/Relu"),
            helper.make_node("Neg", [f"{ns}/m"], [f"{ns}/o"], name=f"{ns}/mlp/Neg"),
        ]
        x = f"{ns}/o"
    nodes.append(helper.make_node("Identity", [x], ["y"], name=f"{prefix}/head/Identity"))
    g = helper.make_graph(nodes, "enc", [_vi("x", [1, 4])], [_vi("y", [1, 4])], inits,
                          value_info=[_vi("/encoder/layer.0/q", [1, 4])])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])


def if_model() -> onnx.ModelProto:
    then_g = helper.make_graph([helper.make_node("Relu", ["x"], ["t"], name="then_relu")], "then", [],
                               [_vi("t", [2])])
    else_g = helper.make_graph([helper.make_node("Neg", ["x"], ["e0"], name="else_neg"),
                                helper.make_node("Abs", ["e0"], ["e"], name="else_abs")], "else", [], [_vi("e", [2])])
    node = helper.make_node("If", ["c"], ["y"], name="branch", then_branch=then_g, else_branch=else_g)
    g = helper.make_graph([node], "main", [helper.make_tensor_value_info("c", TensorProto.BOOL, []), _vi("x", [2])],
                          [_vi("y", [2])])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])


def function_model() -> onnx.ModelProto:
    fn = helper.make_function("local", "Twice", ["a"], ["b"],
                              [helper.make_node("Add", ["a", "a"], ["b"], name="add")],
                              [helper.make_opsetid("", 17)])
    g = helper.make_graph([helper.make_node("Twice", ["x"], ["y"], name="call", domain="local")], "main",
                          [_vi("x", [2])], [_vi("y", [2])])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("local", 1)],
                             functions=[fn])


def test_edges_connect_producers_to_consumers_and_pseudo_nodes():
    g = load_graph(namespaced_model(2))
    assert g.n_ops == 11
    assert [g.kinds[i] for i in range(g.n_ops, g.n_nodes)] == [KIND_INPUT, KIND_OUTPUT]
    assert all(k == KIND_OP for k in g.kinds[: g.n_ops])
    x_in, y_out = g.n_ops, g.n_ops + 1
    # x feeds layer 0's MatMul and its residual Add
    assert sorted(g.consumers(x_in)) == [0, 2]
    assert g.producers(y_out) == [10]
    # initializers are not edges but counted per node
    assert g.n_init[0] == 1 and g.n_init[1] == 0
    assert len(g.edge_src) == len(g.edge_value)


def test_value_info_gives_numpy_dtype_and_shape():
    g = load_graph(namespaced_model(1))
    assert g.value("/encoder/layer.0/q").label() == "float32 1×4"
    assert g.value("w0").initializer and g.value("w0").shape == (4, 4)
    assert g.value("unknown").label() == ""


def test_namespace_tree_merges_chains_and_dissolves_single_nodes():
    assert namespace_of("/encoder/layer.3/attn/MatMul") == "encoder/layer.3/attn"
    assert namespace_of("MatMul_1") == ""
    g = load_graph(namespaced_model(3))
    paths = set(g.group_path)
    # "head" has a single node: dissolved into the root
    assert "head" not in paths
    assert {"encoder", "encoder/layer.0", "encoder/layer.0/attn", "encoder/layer.0/mlp"} <= paths
    layer0 = g.group_path.index("encoder/layer.0")
    assert g.group_label[layer0] == "layer.0" and g.group_size[layer0] == 5
    attn = g.group_path.index("encoder/layer.0/attn")
    assert g.group_parent[attn] == layer0 and g.group_label[attn] == "attn"
    assert g.node_group[0] == attn
    assert g.node_group[2] == layer0  # /encoder/layer.0/Add sits directly in the layer
    assert g.node_group[g.find_node("/head/Identity")] == 0
    # A namespace wrapping everything ("/model/...") adds nothing: the tree is the same.
    wrapped = load_graph(namespaced_model(3, prefix="/model"))
    assert [p.removeprefix("model/") for p in wrapped.group_path] == g.group_path
    # A group holding exactly one child group merges with it: "/model/encoder/..." with no head.
    single = load_graph(namespaced_model(1))
    assert "encoder" not in single.group_path and "encoder/layer.0" in single.group_path


def test_if_branches_and_functions_open_as_subgraphs():
    g = load_graph(if_model())
    node = g.find_node("branch")
    assert [label for label, _ in g.subgraphs(node)] == ["then_branch", "else_branch"]
    sub = g.open_subgraph(node, 1)
    assert sub.title == "branch:else_branch"
    assert sub.ops[: sub.n_ops] == ["Neg", "Abs"]
    # x comes from the enclosing graph: it shows as an input
    assert "x" in sub.outer_names and sub.kinds[sub.find_node("x")] == KIND_INPUT
    f = load_graph(function_model())
    call = f.find_node("call")
    fn = f.open_subgraph(call)
    assert fn.is_function and fn.ops[: fn.n_ops] == ["Add"]
    assert fn.input_names == ["a"]


def test_search_by_op_name_attribute_and_tensor():
    g = load_graph(namespaced_model(3))
    hits = g.search("softmax")
    assert len(hits) == 3 and hits[0].field == "op"
    assert [g.names[h.node] for h in g.search("name:layer.1/mlp")] == ["/encoder/layer.1/mlp/Relu",
                                                                       "/encoder/layer.1/mlp/Neg"]
    assert {g.ops[h.node] for h in g.search("attr:axis=-1")} == {"Softmax"}
    hit = g.search("tensor:w2")
    assert [g.names[h.node] for h in hit] == ["/encoder/layer.2/attn/MatMul"] and hit[0].text == "w2"
    assert g.search("op:MatMul")[0].field == "op"
    assert g.search("nothing-like-this") == [] and g.search("  ") == []


def test_values_read_inside_a_branch_are_edges_into_the_if():
    g = load_graph(if_model())
    node, x = g.find_node("branch"), g.find_node("x")
    assert x in g.producers(node)  # x is only used inside the branches


def test_initializers_are_looked_up_lazily_by_name():
    m = namespaced_model(2)
    sparse = helper.make_sparse_tensor(numpy_helper.from_array(np.ones(1, np.float32), "sp"),
                                       numpy_helper.from_array(np.zeros(1, np.int64), "sp_idx"), [4])
    m.graph.sparse_initializer.append(sparse)
    g = load_graph(m)
    assert len(g.initializers) == 3 and "w1" in g.initializers and "x" not in g.initializers
    assert sorted(g.initializers) == ["sp", "w0", "w1"]
    assert g.initializers["w1"].name == "w1" and g.initializers.get("nope") is None
    assert g.initializers["sp"].dims == [1] and g.value("sp").initializer


def test_namespaces_of_one_node_each_dissolve_into_their_parents():
    # a convnet exporter names every Conv/BN/Relu with a namespace of its own: /b.0/conv1/conv/Conv...
    nodes, x = [], "x"
    for i in range(3):
        for part in ("conv1", "conv2"):
            for op in ("Relu", "Neg"):
                nodes.append(helper.make_node(op, [x], [f"t{len(nodes)}"], name=f"/b.{i}/{part}/{op.lower()}/{op}"))
                x = nodes[-1].output[0]
    nodes.append(helper.make_node("Abs", [x], ["y"], name="//b.2///conv2/extra/Abs"))
    g = load_graph(helper.make_model(helper.make_graph(nodes, "g", [_vi("x", [1])], [_vi("y", [1])])))
    assert g.group_path == ["", "b.0", "b.1", "b.2", "b.0/conv1", "b.0/conv2", "b.1/conv1", "b.1/conv2",
                            "b.2/conv1", "b.2/conv2"]
    assert g.group_label[g.group_path.index("b.2/conv2")] == "conv2"
    assert g.group_size.tolist() == [13, 4, 4, 5, 2, 2, 2, 2, 2, 3]
    assert g.group_depth.tolist() == [0, 1, 1, 1, 2, 2, 2, 2, 2, 2]
    assert g.node_group[g.find_node("//b.2///conv2/extra/Abs")] == g.group_path.index("b.2/conv2")


def test_value_info_lookups_stay_right_past_the_switch_to_a_dict():
    """The first value_info look-ups scan the names; after 32 a position dict answers: same answers either way."""
    n = 50
    nodes = [helper.make_node("Relu", [f"t{i}"], [f"t{i + 1}"], name=f"/b{i}/Relu") for i in range(n)]
    g = helper.make_graph(nodes, "main", [_vi("t0", [1])], [_vi(f"t{n}", [1])],
                          value_info=[_vi(f"t{i}", [i, 2]) for i in range(1, n)])
    graph = load_graph(helper.make_model(g))
    for _ in range(2):
        for i in range(1, n):
            v = graph.value(f"t{i}")
            assert (v.dtype, v.shape) == ("float32", (i, 2))
        assert graph.value("nowhere").shape is None
    fresh = load_graph(helper.make_model(g))
    asked = ["t3", "t0", "nowhere", "t3", f"t{n}", "t7"]
    assert [(v.name, v.shape) for v in fresh.values(asked)] == [(v.name, v.shape) for v in map(graph.value, asked)]


def test_names_that_are_not_utf8_or_hold_controls_are_drawn(tmp_path) -> None:
    """Node and tensor names with invalid UTF-8 or control characters: the graph builds, searches, and exports
    an SVG that parses (found by fuzzing)."""
    import xml.dom.minidom

    from onnx import TensorProto, helper

    from onnxstudio.core.graph_export import scene_svg
    from onnxstudio.core.layout import GraphLayout
    from onnxstudio.core.loading import load_structure

    nodes = [helper.make_node("Relu", ["x"], ["TENSORXX"], name="/blk/NODENAMEX"),
             helper.make_node("Neg", ["TENSORXX"], ["y"], name="/blk/ctl\x01\x7f")]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])])
    data = helper.make_model(graph).SerializeToString()
    data = data.replace(b"NODENAMEX", b"\xffODENAMEX").replace(b"TENSORXX", b"\xfeENSORXX")
    path = tmp_path / "names.onnx"
    path.write_bytes(data)
    loaded = load_structure(path)
    g = load_graph(loaded.model, loaded.index)
    assert "/blk/\ufffdODENAMEX" in g.names
    assert len(g.edge_src) == 3  # x -> Relu -> Neg -> y: the renamed tensor still joins its two nodes
    assert g.search("ensorxx")
    svg = scene_svg(g, GraphLayout(g, flat=True).scene())
    xml.dom.minidom.parseString(svg)
    assert "\x01" not in svg


def _naive_search(g, text: str, limit: int = 500) -> list:
    """The search's definition, one Python test per node (what the fast paths must reproduce)."""
    from onnxstudio.core.graph import SearchHit, attribute_text
    from onnxstudio.core.values import as_text

    exact, hits, seen = [], [], set()

    def add(i, f, t, first=False):
        if i not in seen:
            seen.add(i)
            (exact if first else hits).append(SearchHit(i, f, t))

    for i, op in enumerate(g.ops[: g.n_ops]):
        if text in op.lower():
            add(i, "op", op, op.lower() == text)
    for i, name in enumerate(g.names):
        if text in name.lower():
            add(i, "name", name)
    for i, nd in enumerate(g.protos):
        for t in map(as_text, (*nd.input, *nd.output)):
            if t and text in t.lower():
                add(i, "tensor", t)
                break
    for i, nd in enumerate(g.protos):
        for attr in nd.attribute:
            shown = f"{as_text(attr.name)}={attribute_text(attr)}"
            if text in shown.lower():
                add(i, "attribute", shown)
                break
    return (exact + hits)[:limit]


def test_fast_search_equals_its_definition():
    from benchmarks.make_graph_models import convnet, transformer

    for model in (convnet(1500), transformer(1200), namespaced_model(3)):
        model.graph.node[7].name = "/Stage.İ/MixedCase_Relu"  # a character whose lowercase is longer
        g = load_graph(model)
        for text in ("relu", "conv", "matmul", "stage", "i̇/mixed", "_0", "w2", "pads", "axis", "x", "zz"):
            for limit in (500, 7):
                assert g.search(text, limit) == _naive_search(g, text, limit), (text, limit)


def test_a_weights_dequantize_joins_the_layer_that_uses_it():
    """onnxruntime's quantizer names a weight's DequantizeLinear after the tensor, in no namespace: it joins
    its consumer's group instead of standing in the root above the whole network."""
    nodes, inits, x = [], [], "x"
    for i in range(2):
        ns = f"/net/block.{i}"
        inits += [numpy_helper.from_array(np.full((4, 4), i, np.int8), f"w{i}_q"),
                  numpy_helper.from_array(np.array(0.1, np.float32), f"w{i}_s")]
        nodes += [helper.make_node("DequantizeLinear", [f"w{i}_q", f"w{i}_s"], [f"w{i}"],
                                   name=f"w{i}_DequantizeLinear"),
                  helper.make_node("MatMul", [x, f"w{i}"], [f"{ns}/mm"], name=f"{ns}/MatMul"),
                  helper.make_node("Relu", [f"{ns}/mm"], [f"{ns}/r"], name=f"{ns}/Relu")]
        x = f"{ns}/r"
    inits.append(numpy_helper.from_array(np.ones((4, 4), np.float32), "k"))
    nodes += [
        # a constant used by both blocks' namespace: the lowest namespace holding both
        helper.make_node("Identity", ["k"], ["shared"], name="shared_Identity"),
        helper.make_node("Add", [x, "shared"], ["/net/block.1/plus"], name="/net/block.1/Add"),
        helper.make_node("Add", ["/net/block.0/r", "shared"], ["/net/block.0/plus"], name="/net/block.0/Add"),
        # a constant named into another branch keeps its place
        helper.make_node("Constant", [], ["c"], name="/consts/Constant", value=numpy_helper.from_array(
            np.ones((4, 4), np.float32))),
        helper.make_node("Constant", [], ["c2"], name="/consts/Constant_1", value=numpy_helper.from_array(
            np.ones((4, 4), np.float32))),
        helper.make_node("Mul", ["/net/block.1/plus", "c"], ["/net/block.1/m"], name="/net/block.1/Mul"),
        helper.make_node("Mul", ["/net/block.1/m", "c2"], ["/net/block.1/m2"], name="/net/block.1/Mul_1"),
        # a weight that is itself an output stays where its name puts it
        helper.make_node("DequantizeLinear", ["w0_q", "w0_s"], ["w_out"], name="out_DequantizeLinear"),
    ]
    graph = helper.make_graph(nodes, "g", [_vi("x", [1, 4])],
                              [_vi("/net/block.1/m2", [1, 4]), _vi("/net/block.0/plus", [1, 4]),
                               _vi("w_out", [4, 4])], inits)
    g = load_graph(helper.make_model(graph))

    def path(name: str) -> str:
        return g.group_path[g.node_group[g.find_node(name)]]

    assert path("w0_DequantizeLinear") == path("/net/block.0/MatMul") == "net/block.0"
    assert path("w1_DequantizeLinear") == "net/block.1"
    assert path("shared_Identity") == "net"
    assert path("/consts/Constant") == "consts" and path("/consts/Constant_1") == "consts"
    assert g.node_group[g.find_node("out_DequantizeLinear")] == 0  # the root
