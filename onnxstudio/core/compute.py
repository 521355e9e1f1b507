"""How much arithmetic a run does: multiply-accumulates (MACs) per node, per op type and in all.

Counted from the shapes that onnx's shape inference gives each tensor (run in the child process, see
``child_tasks.compute_cost``), for the ops that do nearly all of a network's arithmetic: convolutions, matrix
products (float and quantized, onnxruntime's fused and 4-bit forms), Einsum contractions and recurrent layers.
Element-wise ops, pooling and normalisation are left out (they are memory-bound, and no two tools count them
alike), as are the bodies of If/Loop/Scan (how often a body runs is known only at run time): both are said.
onnxruntime's own ops that onnx's inference does not know (an int8 QOperator model's QLinearSigmoid, QLinearAdd)
stand in for it as standard ops of the same shape, so the shapes carry on past them (:func:`stand_in_ops`).

Free dims must have a size for a count: the ones given, else the defaults a run uses (batch 1, an image's sides
224, see :func:`onnxstudio.core.inputs.default_dims`). The count says which it took.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from onnxstudio.core.inputs import complete_dims, default_dims, dim_key, model_dims
from onnxstudio.core.values import ValueSpec, as_text

Shape = tuple[int, ...]
ShapeOf = Callable[[str], Shape | None]

_MS = "com.microsoft"


@dataclass
class ComputeCost:
    """MACs of one run of the main graph at ``dims``."""

    macs: dict[int, int]  # main-graph node index -> MACs, for the nodes that do some
    by_op: dict[str, int]  # op type -> MACs, largest first
    total: int
    unknown: list[int]  # nodes of a counted op whose shapes shape inference could not tell
    dims: dict[str, int]  # the free dims of the inputs and the sizes the count took for them
    nested: int = 0  # nodes of a counted op inside If/Loop/Scan bodies: not counted
    names: dict[int, str] = field(default_factory=dict)  # node index -> name, for the nodes in ``macs``
    ops: dict[int, str] = field(default_factory=dict)  # node index -> op type, for the nodes in ``macs``
    from_run: int = 0  # nodes counted with shapes a run at ``dims`` gave, where inference could not tell them

    @property
    def flops(self) -> int:
        """Floating-point operations, counting a multiply-accumulate as two (the usual convention)."""
        return 2 * self.total

    def top(self, n: int = 10) -> list[tuple[int, int]]:
        """The ``n`` nodes doing the most MACs: (node index, MACs)."""
        return sorted(self.macs.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total, "flops": self.flops, "by_op": dict(self.by_op), "dims": dict(self.dims),
            "unknown_nodes": len(self.unknown), "nested_nodes": self.nested, "from_run_nodes": self.from_run,
            "nodes": [{"index": i, "name": self.names.get(i, ""), "op": self.ops.get(i, ""), "macs": m}
                      for i, m in self.top(len(self.macs))],
        }


def format_count(n: float) -> str:
    """A count the way papers write MACs and FLOPs: ``4.09 G``, ``312 M``, ``18.4 k``, ``96``."""
    for unit, scale in (("T", 1e12), ("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(n) >= scale:
            v = n / scale
            return f"{v:.3g} {unit}" if v < 1000 else f"{v:,.0f} {unit}"
    return f"{n:.0f}"


def format_flops(n: float) -> str:
    """``8.18 GFLOPs``, ``416 FLOPs``: the unit joined to its prefix."""
    text = format_count(n)
    return f"{text}FLOPs" if text[-1].isalpha() else f"{text} FLOPs"


# ---- the dims a count takes ------------------------------------------------------------------------------

def count_dims(specs: Sequence[ValueSpec], given: Mapping[str, int] | None = None,
               metadata: Mapping[str, str] | None = None, outputs: Sequence[ValueSpec] = (),
               producer: str = "", picture_size: tuple[int, int] | None = None) -> dict[str, int]:
    """A size for every free dim of ``specs`` (the model's inputs): ``given``, else what a run starts from
    (the model's own, such as a text recogniser's line height or the ``picture_size`` its preprocessor config
    feeds, else the defaults); dims that follow others (``past_sequence_length + 1``) follow them."""
    out: dict[str, int] = {}
    for spec in specs:
        for key, value in default_dims(spec).items():
            out.setdefault(key, value)
    chosen = {**model_dims(list(specs), dict(metadata or {}), outputs, producer, picture_size), **(given or {})}
    for key, value in complete_dims(specs, chosen).items():  # a decoder's mask: its cache and new tokens
        if key in out:
            out[key] = int(value)
    return out


def fix_dims(graph: Any, specs: Sequence[ValueSpec], dims: Mapping[str, int]) -> None:
    """Write ``dims`` into the free dims of ``graph``'s inputs (a GraphProto, changed in place) so that shape
    inference carries sizes through the graph. ``specs``: the graph's inputs as ValueSpecs (initializers left out)."""
    by_name = {s.name: s for s in specs}
    for vi in graph.input:
        spec = by_name.get(as_text(vi.name))
        if spec is None or spec.shape is None or not vi.type.HasField("tensor_type"):
            continue
        tdims = vi.type.tensor_type.shape.dim
        for axis, d in enumerate(tdims):
            key = dim_key(spec, axis) if axis < len(spec.shape) else None
            if key is not None and key in dims:
                d.Clear()
                d.dim_value = int(dims[key])


# ---- shapes -------------------------------------------------------------------------------------------------

# onnxruntime's own ops that onnx's shape inference does not know: every tensor after one stays unshaped (a
# QOperator int8 model's QLinearSigmoid/QLinearAdd, a fused Conv). For inference only, each is swapped for a
# standard op that gives its output the same shape (types are not checked), then swapped back for the count.
_SAME_SHAPE = {"QLinearSigmoid", "QLinearLeakyRelu", "QLinearSoftmax", "QuickGelu", "FastGelu", "Gelu", "BiasGelu",
               "SkipLayerNormalization", "SkipSimplifiedLayerNormalization", "BiasSplitGelu"}
_ATTRS = {
    "Conv": {"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"},
    "AveragePool": {"auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides"},
    "Gemm": {"alpha", "beta", "transA", "transB"},
}


def _stand_in(node: Any) -> tuple[str, list[str], set[str]] | None:
    """(standard op, its inputs, the attributes it keeps) for one of onnxruntime's ops, or None."""
    op, ins = as_text(node.op_type), [as_text(i) for i in node.input]
    attrs = {a.name: a for a in node.attribute}
    if op in _SAME_SHAPE and ins:
        return "Identity", ins[:1], set()
    if op in ("QLinearAdd", "QLinearMul") and len(ins) >= 4:
        return "Add", [ins[0], ins[3]], set()
    if op == "QLinearConcat" and len(ins) >= 5:
        return "Concat", ins[2::3], {"axis"}
    if op in ("QLinearGlobalAveragePool", "QLinearAveragePool") and not _attr(node, "channels_last", 0):
        return ("GlobalAveragePool", ins[:1], set()) if op == "QLinearGlobalAveragePool" else \
            ("AveragePool", ins[:1], _ATTRS["AveragePool"])
    if op in ("FusedConv",) and len(ins) >= 2:
        return "Conv", ins[:3], _ATTRS["Conv"]
    if op in ("FusedGemm",) and len(ins) >= 2:
        return "Gemm", ins[:3], _ATTRS["Gemm"]
    if op == "QGemm" and len(ins) >= 4:
        return "Gemm", [ins[0], ins[3]], _ATTRS["Gemm"] - {"beta"}
    if op in ("MatMulIntegerToFloat", "DynamicQuantizeMatMul") and len(ins) >= 2:
        return "MatMul", ins[:2], set()
    if op == "FusedMatMul" and len(ins) >= 2 and not any(
            attrs[k].i for k in ("transA", "transB", "transBatchA", "transBatchB") if k in attrs):
        return "MatMul", ins[:2], set()
    return None


def stand_in_ops(graph: Any) -> dict[int, Any]:
    """Swap, in ``graph`` (changed in place), onnxruntime's ops that onnx cannot infer for standard ones of the
    same output shape; returns the originals by node index, for :func:`restore_ops` after shape inference."""
    originals: dict[int, Any] = {}
    for i, node in enumerate(graph.node):
        if as_text(node.domain) != _MS:
            continue
        swap = _stand_in(node)
        if swap is None:
            continue
        op, ins, keep = swap
        saved = type(node)()
        saved.CopyFrom(node)
        originals[i] = saved
        kept = [a for a in node.attribute if a.name in keep]
        outs = list(node.output[:1])
        node.Clear()
        node.op_type, node.name = op, saved.name
        node.input.extend(ins)
        node.output.extend(outs)
        node.attribute.extend(kept)
    return originals


def restore_ops(graph: Any, originals: dict[int, Any]) -> None:
    for i, saved in originals.items():
        graph.node[i].CopyFrom(saved)


def _dims_of(type_proto: Any) -> Shape | None:
    if not type_proto.HasField("tensor_type") or not type_proto.tensor_type.HasField("shape"):
        return None
    out = []
    for d in type_proto.tensor_type.shape.dim:
        if not d.HasField("dim_value") or d.dim_value < 0:
            return None
        out.append(int(d.dim_value))
    return tuple(out)


def known_shapes(graph: Any) -> dict[str, Shape]:
    """Every tensor of ``graph`` (a shape-inferred GraphProto) whose shape is fully known, by name."""
    shapes: dict[str, Shape] = {}
    for t in graph.initializer:
        shapes[as_text(t.name)] = tuple(int(d) for d in t.dims)
    for vi in (*graph.input, *graph.value_info, *graph.output):
        s = _dims_of(vi.type)
        if s is not None:
            shapes.setdefault(as_text(vi.name), s)
    for node in graph.node:  # Constant outputs that inference left out of value_info (a TF export's weights)
        if node.op_type == "Constant" and node.output:
            for a in node.attribute:
                if a.name == "value" and a.HasField("t"):
                    shapes.setdefault(as_text(node.output[0]), tuple(int(d) for d in a.t.dims))
    return shapes


# ---- MACs per op --------------------------------------------------------------------------------------------

def _attr(node: Any, name: str, default: Any = None) -> Any:
    for a in node.attribute:
        if a.name == name:
            if a.type == a.INT:
                return a.i
            if a.type == a.STRING:
                return as_text(a.s)
            if a.type == a.INTS:
                return list(a.ints)
    return default


def _inp(node: Any, k: int) -> str | None:
    return as_text(node.input[k]) if len(node.input) > k and node.input[k] else None


def _shape(shape: ShapeOf, name: str | None) -> Shape | None:
    return shape(name) if name is not None else None


def _conv(node: Any, shape: ShapeOf, w: int = 1) -> int | None:
    """Each output element is a dot product over one group's channels and the kernel: out x W[1:]."""
    out, ws = shape(as_text(node.output[0])), _shape(shape, _inp(node, w))
    if out is None or ws is None or len(ws) < 2:
        return None
    return math.prod(out) * math.prod(ws[1:])


def _conv_transpose(node: Any, shape: ShapeOf) -> int | None:
    """Each input element is scattered over its group's output channels and the kernel: X x W[1:]."""
    xs, ws = _shape(shape, _inp(node, 0)), _shape(shape, _inp(node, 1))
    if xs is None or ws is None or len(ws) < 2:
        return None
    return math.prod(xs) * math.prod(ws[1:])


def _matmul(node: Any, shape: ShapeOf, a: int = 0) -> int | None:
    """Each output element is a dot product along A's last axis."""
    out, xs = shape(as_text(node.output[0])), _shape(shape, _inp(node, a))
    if out is None or not xs:
        return None
    return math.prod(out) * xs[-1]


def _gemm(node: Any, shape: ShapeOf, a: int = 0) -> int | None:
    out, xs = shape(as_text(node.output[0])), _shape(shape, _inp(node, a))
    if out is None or xs is None or len(xs) != 2:
        return None
    return math.prod(out) * (xs[0] if _attr(node, "transA", 0) else xs[1])


def _matmul_nbits(node: Any, shape: ShapeOf) -> int | None:
    """onnxruntime's 4-bit MatMulNBits: B is packed, its K and N are attributes."""
    xs, k, n = _shape(shape, _inp(node, 0)), _attr(node, "K"), _attr(node, "N")
    if not xs or not k or not n:
        return None
    return math.prod(xs[:-1]) * int(k) * int(n)


def _recurrent(node: Any, shape: ShapeOf) -> int | None:
    """RNN/GRU/LSTM: each step, each gate of each direction multiplies the input and the hidden state."""
    xs, ws, rs = (_shape(shape, _inp(node, k)) for k in range(3))
    if xs is None or ws is None or rs is None or len(xs) != 3 or len(ws) != 3 or len(rs) != 3:
        return None
    steps_batch = xs[0] * xs[1]  # [seq, batch] or [batch, seq]: the product is the same
    return steps_batch * ws[0] * ws[1] * (ws[2] + rs[2])


_LETTERS = re.compile(r"[A-Za-z]|\.\.\.")


def _einsum(node: Any, shape: ShapeOf) -> int | None:
    """A contraction's naive cost: the product of the sizes of every index (per product of two operands)."""
    eq = str(_attr(node, "equation", "")).replace(" ", "")
    lhs = eq.split("->")[0].split(",")
    shapes = [_shape(shape, as_text(n)) for n in node.input]
    if len(lhs) != len(shapes) or any(s is None for s in shapes):
        return None
    if len(lhs) < 2:
        return 0  # a transpose, trace or sum: no products
    sizes: dict[str, int] = {}
    for term, s in zip(lhs, shapes, strict=True):
        assert s is not None
        labels = _LETTERS.findall(term)
        fixed = len(labels) - labels.count("...")
        k = 0
        for lab in labels:
            if lab == "...":
                span = len(s) - fixed
                sizes["..."] = max(sizes.get("...", 1), math.prod(s[k:k + span]))
                k += span
            else:
                if k >= len(s):
                    return None
                sizes[lab] = max(sizes.get(lab, 1), s[k])
                k += 1
    return math.prod(sizes.values()) * (len(lhs) - 1)


_COUNTERS: dict[tuple[str, str], Callable[[Any, ShapeOf], int | None]] = {
    ("", "Conv"): _conv,
    ("", "ConvInteger"): _conv,
    ("", "QLinearConv"): lambda n, s: _conv(n, s, 3),
    ("", "ConvTranspose"): _conv_transpose,
    ("", "MatMul"): _matmul,
    ("", "MatMulInteger"): _matmul,
    ("", "QLinearMatMul"): _matmul,
    ("", "Gemm"): _gemm,
    ("", "Einsum"): _einsum,
    ("", "RNN"): _recurrent,
    ("", "GRU"): _recurrent,
    ("", "LSTM"): _recurrent,
    (_MS, "FusedConv"): _conv,
    (_MS, "NhwcFusedConv"): _conv,
    (_MS, "QLinearConv"): lambda n, s: _conv(n, s, 3),
    (_MS, "FusedMatMul"): _matmul,
    (_MS, "FusedGemm"): _gemm,
    (_MS, "QGemm"): _gemm,
    (_MS, "MatMulNBits"): _matmul_nbits,
    (_MS, "MatMulIntegerToFloat"): _matmul,
    (_MS, "DynamicQuantizeMatMul"): _matmul,
}


def _key(node: Any) -> tuple[str, str]:
    domain = as_text(node.domain)
    return ("" if domain == "ai.onnx" else domain, as_text(node.op_type))


def node_macs(node: Any, shape: ShapeOf) -> int | None:
    """MACs of one node (a NodeProto); 0 for ops not counted, None where the shapes it needs are unknown."""
    counter = _COUNTERS.get(_key(node))
    if counter is None or not node.output:
        return 0
    try:
        macs = counter(node, shape)
    except (ValueError, TypeError, IndexError):  # a malformed attribute or equation: unknown, not a failure
        return None
    return None if macs is None or macs < 0 else int(macs)


def _nested(graph: Any) -> int:
    """Counted ops inside the subgraphs of ``graph``'s nodes, at any depth."""
    n = 0
    for node in graph.node:
        for a in node.attribute:
            for g in ([a.g] if a.HasField("g") else []) + list(a.graphs):
                n += sum(1 for m in g.node if _key(m) in _COUNTERS) + _nested(g)
    return n


def count_macs(graph: Any, dims: Mapping[str, int] | None = None, ran: Mapping[str, Shape] | None = None
               ) -> ComputeCost:
    """The MACs of ``graph``, a GraphProto whose shapes inference has filled in (at ``dims``, recorded); ``ran``:
    shapes a run at those sizes gave, for tensors inference left unknown (their nodes are counted ``from_run``)."""
    shapes = known_shapes(graph)
    before = set(shapes)
    for name, shape in (ran or {}).items():
        shapes.setdefault(name, tuple(int(d) for d in shape))
    macs: dict[int, int] = {}
    names: dict[int, str] = {}
    ops: dict[int, str] = {}
    by_op: dict[str, int] = {}
    unknown: list[int] = []
    for i, node in enumerate(graph.node):
        m = node_macs(node, shapes.get)
        if m is None:
            unknown.append(i)
        elif m:
            macs[i] = m
            names[i] = as_text(node.name)
            op = ops[i] = as_text(node.op_type)
            by_op[op] = by_op.get(op, 0) + m
    by_op = dict(sorted(by_op.items(), key=lambda kv: -kv[1]))
    from_run = sum(1 for i in macs if not {as_text(t) for t in (*graph.node[i].input, *graph.node[i].output)
                                           if t} <= before) if ran else 0
    return ComputeCost(macs=macs, by_op=by_op, total=sum(macs.values()), unknown=unknown, dims=dict(dims or {}),
                       nested=_nested(graph), names=names, ops=ops, from_run=from_run)


def unknown_tensors(graph: Any, cost: ComputeCost) -> list[str]:
    """The tensors computed inside ``graph`` that its uncounted nodes read or write: what a run must show."""
    computed = {as_text(out) for node in graph.node for out in node.output if out}
    known = set(known_shapes(graph))
    names = (as_text(t) for i in cost.unknown for t in (*graph.node[i].input, *graph.node[i].output) if t)
    return list(dict.fromkeys(n for n in names if n in computed and n not in known))
