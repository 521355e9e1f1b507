"""Generate transformer-like and convnet-like ONNX models of a given node count, with namespaced node names.

The graph benchmark and the screenshots use them: ``uv run python benchmarks/make_graph_models.py 20000``
writes ``transformer-20k.onnx`` and ``convnet-20k.onnx`` into the output folder (default: a temp folder).
Weights are tiny (hidden size 16) so that a 100k-node file stays small; shapes are inferred by onnx.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HID = 16


class _Builder:
    """Collects nodes and initializers; names nodes ``<namespace>/<Op>`` like the PyTorch exporter."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self.count = 0
        self.rng = np.random.default_rng(0)

    def op(self, ns: str, op: str, inputs: list[str], n_out: int = 1, **attrs: object) -> list[str] | str:
        self.count += 1
        name = f"{ns}/{op}" if ns else f"/{op}_{self.count}"
        # PyTorch numbers repeated ops in one scope: /attn/MatMul, /attn/MatMul_1...
        outs = [f"{name}_{self.count}_output_{k}" for k in range(n_out)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=f"{name}_{self.count}", **attrs))
        return outs if n_out > 1 else outs[0]

    def weight(self, ns: str, shape: tuple[int, ...]) -> str:
        name = f"{ns}.weight_{len(self.inits)}"
        self.inits.append(numpy_helper.from_array(self.rng.standard_normal(shape).astype(np.float32) * 0.1, name))
        return name

    def const_i64(self, name: str, values: list[int]) -> str:
        self.inits.append(numpy_helper.from_array(np.asarray(values, np.int64), name))
        return name


def _attention(b: _Builder, ns: str, x: str, mask: str) -> str:
    heads_shape = b.const_i64(f"{ns}.heads_shape", [0, 0, 2, HID // 2])
    back_shape = b.const_i64(f"{ns}.back_shape", [0, 0, HID])
    qkv = []
    for part in ("query", "key", "value"):
        p = b.op(f"{ns}/self/{part}", "MatMul", [x, b.weight(f"{ns}.{part}", (HID, HID))])
        p = b.op(f"{ns}/self/{part}", "Add", [p, b.weight(f"{ns}.{part}.bias", (HID,))])
        p = b.op(f"{ns}/self", "Reshape", [p, heads_shape])
        qkv.append(b.op(f"{ns}/self", "Transpose", [p], perm=[0, 2, 1, 3] if part != "key" else [0, 2, 3, 1]))
    s = b.op(f"{ns}/self", "MatMul", [qkv[0], qkv[1]])
    s = b.op(f"{ns}/self", "Div", [s, b.weight(f"{ns}.scale", ())])
    s = b.op(f"{ns}/self", "Add", [s, mask])
    s = b.op(f"{ns}/self", "Softmax", [s], axis=-1)
    c = b.op(f"{ns}/self", "MatMul", [s, qkv[2]])
    c = b.op(f"{ns}/self", "Transpose", [c], perm=[0, 2, 1, 3])
    c = b.op(f"{ns}/self", "Reshape", [c, back_shape])
    o = b.op(f"{ns}/output/dense", "MatMul", [c, b.weight(f"{ns}.out", (HID, HID))])
    o = b.op(f"{ns}/output/dense", "Add", [o, b.weight(f"{ns}.out.bias", (HID,))])
    o = b.op(f"{ns}/output", "Add", [o, x])
    return b.op(f"{ns}/output/LayerNorm", "LayerNormalization",
                [o, b.weight(f"{ns}.ln.g", (HID,)), b.weight(f"{ns}.ln.b", (HID,))], axis=-1)


def _layer(b: _Builder, ns: str, x: str, mask: str) -> str:
    a = _attention(b, f"{ns}/attention", x, mask)
    h = b.op(f"{ns}/intermediate/dense", "MatMul", [a, b.weight(f"{ns}.fc1", (HID, 4 * HID))])
    h = b.op(f"{ns}/intermediate/dense", "Add", [h, b.weight(f"{ns}.fc1.bias", (4 * HID,))])
    h = b.op(f"{ns}/intermediate/intermediate_act_fn", "Gelu", [h], domain="com.microsoft")
    h = b.op(f"{ns}/output/dense", "MatMul", [h, b.weight(f"{ns}.fc2", (4 * HID, HID))])
    h = b.op(f"{ns}/output/dense", "Add", [h, b.weight(f"{ns}.fc2.bias", (HID,))])
    h = b.op(f"{ns}/output", "Add", [h, a])
    return b.op(f"{ns}/output/LayerNorm", "LayerNormalization",
                [h, b.weight(f"{ns}.ln2.g", (HID,)), b.weight(f"{ns}.ln2.b", (HID,))], axis=-1)


def transformer(n_nodes: int) -> onnx.ModelProto:
    """BERT-like encoder: embeddings, ``/encoder/stage.S/layer.L/...`` blocks of ~30 nodes, a pooler."""
    b = _Builder()
    ids = "input_ids"
    e = b.op("/embeddings/word_embeddings", "Gather", [b.weight("emb", (100, HID)), ids])
    e = b.op("/embeddings", "Add", [e, b.weight("pos", (8, HID))])
    x = b.op("/embeddings/LayerNorm", "LayerNormalization", [e, b.weight("emb.g", (HID,)), b.weight("emb.b", (HID,))])
    m = b.op("/extended_mask", "Cast", ["attention_mask"], to=TensorProto.FLOAT)
    m = b.op("/extended_mask", "Unsqueeze", [m, b.const_i64("mask_axes", [1, 2])])
    m = b.op("/extended_mask", "Sub", [b.weight("one", ()), m])
    mask = b.op("/extended_mask", "Mul", [m, b.weight("neg", ())])
    i = 0
    while b.count < n_nodes - 8:
        x = _layer(b, f"/encoder/stage.{i // 12}/layer.{i % 12}", x, mask)
        i += 1
    p = b.op("/pooler", "Gather", [x, b.const_i64("zero", [0])], axis=1)
    p = b.op("/pooler/dense", "Gemm", [p, b.weight("pool", (HID, HID)), b.weight("pool.b", (HID,))], transB=1)
    b.op("/pooler/activation", "Tanh", [p])
    b.nodes[-1].output[0] = "pooler_output"
    graph = helper.make_graph(
        b.nodes, "transformer",
        [helper.make_tensor_value_info(ids, TensorProto.INT64, ["batch", 8]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", 8])],
        [helper.make_tensor_value_info("pooler_output", TensorProto.FLOAT, ["batch", 1, HID])],
        b.inits)
    return _finish(graph)


def _conv(b: _Builder, ns: str, x: str, cin: int, cout: int, k: int = 3, relu: bool = True) -> str:
    y = b.op(f"{ns}/conv", "Conv", [x, b.weight(f"{ns}.w", (cout, cin, k, k)), b.weight(f"{ns}.b", (cout,))],
             pads=[k // 2] * 4)
    stats = [b.weight(f"{ns}.bn{j}", (cout,)) for j in range(3)]  # scale, bias, mean
    var = b.weight(f"{ns}.bn3", (cout,))
    b.inits[-1] = numpy_helper.from_array(np.abs(numpy_helper.to_array(b.inits[-1])) + 1.0, var)  # > 0: no NaN
    y = b.op(f"{ns}/bn", "BatchNormalization", [y, *stats, var])
    return b.op(f"{ns}/relu", "Relu", [y]) if relu else y


def convnet(n_nodes: int) -> onnx.ModelProto:
    """ResNet/Inception-like: ``/backbone/stage.S/block.B`` residual and four-branch blocks, a head."""
    b = _Builder()
    x = _conv(b, "/stem", "image", 3, HID)
    i = 0
    while b.count < n_nodes - 10:
        ns = f"/backbone/stage.{i // 16}/block.{i % 16}"
        if i % 3 == 2:  # inception-like: four branches and a Concat
            br = [_conv(b, f"{ns}/branch{j}", x, HID, HID // 4, k=1) for j in range(3)]
            br[1] = _conv(b, f"{ns}/branch1b", br[1], HID // 4, HID // 4)
            br[2] = _conv(b, f"{ns}/branch2b", _conv(b, f"{ns}/branch2a", br[2], HID // 4, HID // 4), HID // 4,
                          HID // 4)
            pool = b.op(f"{ns}/branch3", "MaxPool", [x], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
            br.append(_conv(b, f"{ns}/branch3", pool, HID, HID // 4, k=1))
            x = b.op(ns, "Concat", br, axis=1)
        else:
            y = _conv(b, f"{ns}/conv1", x, HID, HID)
            y = _conv(b, f"{ns}/conv2", y, HID, HID, relu=False)
            x = b.op(f"{ns}/relu", "Relu", [b.op(ns, "Add", [y, x])])
        i += 1
    x = b.op("/head/pool", "GlobalAveragePool", [x])
    x = b.op("/head", "Flatten", [x])
    b.op("/head/fc", "Gemm", [x, b.weight("fc", (10, HID)), b.weight("fc.b", (10,))], transB=1)
    b.nodes[-1].output[0] = "logits"
    graph = helper.make_graph(b.nodes, "convnet",
                              [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 32, 32])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 10])], b.inits)
    return _finish(graph)


def _finish(graph: onnx.GraphProto) -> onnx.ModelProto:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17),
                                                    helper.make_opsetid("com.microsoft", 1)])
    try:
        return onnx.shape_inference.infer_shapes(model)
    except Exception:  # shapes are a nicety for edge labels
        return model


def write_models(sizes: list[int], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in sizes:
        tag = f"{n // 1000}k" if n >= 1000 else str(n)
        for kind, make in (("transformer", transformer), ("convnet", convnet)):
            p = out / f"{kind}-{tag}.onnx"
            if not p.exists():
                onnx.save(make(n), p)
            paths.append(p)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("sizes", nargs="*", type=int, default=[2000, 20000, 100000])
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "onnxstudio-graph-bench")
    args = ap.parse_args()
    for p in write_models(args.sizes, args.out):
        print(p)


if __name__ == "__main__":
    main()


def if_detector() -> onnx.ModelProto:
    """A small conv backbone whose head is an If: a detection branch and a classification branch."""
    b = _Builder()
    x = _conv(b, "/backbone/stem", "image", 3, HID)
    for i in range(3):
        y = _conv(b, f"/backbone/block.{i}/conv1", x, HID, HID)
        y = _conv(b, f"/backbone/block.{i}/conv2", y, HID, HID, relu=False)
        x = b.op(f"/backbone/block.{i}", "Relu", [b.op(f"/backbone/block.{i}", "Add", [y, x])])

    def branch(name: str, out: str, n: int) -> onnx.GraphProto:
        sub = _Builder()
        sub.count = 1000 * (n + 1)
        h = x
        for j in range(n):
            h = _conv(sub, f"/{name}/conv{j}", h, HID, HID)
        h = sub.op(f"/{name}", "GlobalAveragePool", [h])
        sub.op(f"/{name}", "Flatten", [h])
        sub.nodes[-1].output[0] = out
        b.inits.extend(sub.inits)
        return helper.make_graph(sub.nodes, name, [],
                                 [helper.make_tensor_value_info(out, TensorProto.FLOAT, [1, HID])])

    b.op("/head", "If", ["use_detector"], then_branch=branch("detector", "det", 3),
         else_branch=branch("classifier", "cls", 1))
    b.nodes[-1].output[0] = "features"
    graph = helper.make_graph(b.nodes, "if_detector",
                              [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 32, 32]),
                               helper.make_tensor_value_info("use_detector", TensorProto.BOOL, [])],
                              [helper.make_tensor_value_info("features", TensorProto.FLOAT, [1, HID])], b.inits)
    return _finish(graph)
