"""Where two runs start to differ: every tensor of the main graph compared, not only the outputs.

Polygraphy's way: each node's outputs become outputs of the model, both sides run the same inputs, and the
tensors that both have (by name) are compared in A's node order, which is topological; the first one outside
rtol/atol is where the difference starts (from there it spreads). Each side runs in its own session in one child
process, and only the statistics come back.

Exposing every tensor keeps onnxruntime from fusing across them (a fused kernel has no intermediate to show), so
the layer-by-layer run may differ less than a normal one: the outputs' own comparison stays the reference.
Tensors inside If/Loop/Scan bodies are not compared. A model over 2 GB (weights included) cannot be rewritten in
memory and is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from onnxstudio.core.compare import OutputDiff
from onnxstudio.core.errors import InputError
from onnxstudio.core.values import as_text

MAX_BYTES = 2**31 - 2**24  # protobuf's limit for one serialized model, less a margin for the added outputs


@dataclass(frozen=True)
class LayerDiff:
    """One tensor of A against the tensor of the same name in B."""

    node: int  # index of the node making it in A's main graph
    node_name: str
    op: str
    diff: OutputDiff  # diff.name: the tensor


@dataclass
class LayerReport:
    layers: list[LayerDiff]  # in A's node order
    only_a: int = 0  # tensors of A that B does not have (another model: renamed or fused away)
    only_b: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def first(self) -> LayerDiff | None:
        """The first tensor outside the tolerances, in A's node order: where the difference starts."""
        return next((layer for layer in self.layers if not layer.diff.ok), None)

    @property
    def differing(self) -> int:
        return sum(1 for layer in self.layers if not layer.diff.ok)

    def worst_by_node(self) -> dict[int, float]:
        """Per node of A: the largest absolute difference among its compared outputs (for the graph)."""
        out: dict[int, float] = {}
        for layer in self.layers:
            v = layer.diff.max_abs
            if v is not None and v == v:
                out[layer.node] = max(out.get(layer.node, 0.0), float(v))
        return out

    def to_dict(self) -> dict[str, Any]:
        first = self.first
        return {
            "compared": len(self.layers), "differing": self.differing, "only_a": self.only_a, "only_b": self.only_b,
            "first": None if first is None else {"node": first.node, "node_name": first.node_name, "op": first.op,
                                                 "tensor": first.diff.name},
            "notes": list(self.notes),
            "layers": [{"node": x.node, "node_name": x.node_name, "op": x.op, **x.diff.to_dict()}
                       for x in self.layers],
        }


def expose_tensors(model: Any) -> list[tuple[str, int, str, str]]:
    """Make every tensor that a main-graph node computes an output of ``model`` (a ModelProto, changed in place):
    (tensor, node index, node name, op type) in node order. Constant nodes are left out (nothing is computed);
    onnxruntime needs no type for an output, so none is declared."""
    import onnx

    graph = model.graph
    declared = {as_text(o.name) for o in graph.output}
    exposed: list[tuple[str, int, str, str]] = []
    for i, node in enumerate(graph.node):
        op = as_text(node.op_type)
        if op == "Constant" and as_text(node.domain) in ("", "ai.onnx"):
            continue
        for out in node.output:
            name = as_text(out)
            if not name:
                continue
            exposed.append((name, i, as_text(node.name), op))
            if name not in declared:
                graph.output.append(onnx.ValueInfoProto(name=name))
                declared.add(name)
    return exposed


ALL = "all"  # expose_named's name for every tensor


def expose_named(model: Any, names: list[str]) -> list[str]:
    """Make the tensors ``names`` (``["all"]``: every one, as :func:`expose_tensors`) outputs of ``model`` (changed
    in place), after its own outputs: the tensors added, in the order given. A name that no main-graph node
    computes is refused (one line, with the closest names), as onnxruntime would only say "invalid output"."""
    import difflib

    import onnx

    declared = {as_text(o.name) for o in model.graph.output}
    if list(names) == [ALL]:
        return list(dict.fromkeys(t for t, *_ in expose_tensors(model) if t not in declared))
    computed = {as_text(out) for node in model.graph.node for out in node.output if out}
    added: list[str] = []
    for name in dict.fromkeys(names):
        if name in declared:
            continue  # already an output: shown anyway
        if name not in computed:
            close = difflib.get_close_matches(name, list(computed), n=3)
            raise InputError(f"no node of the main graph computes a tensor named {name!r}"
                             + (f" (did you mean {', '.join(map(repr, close))}?)" if close else ""))
        model.graph.output.append(onnx.ValueInfoProto(name=name))
        added.append(name)
    return added


def match_layers(exposed: list[tuple[str, int, str, str]], a: dict[str, Any], b: dict[str, Any], rtol: float,
                 atol: float) -> LayerReport:
    """Compare the tensors both runs have, in A's order (``exposed``: A's, from :func:`expose_tensors`)."""
    from onnxstudio.core.compare import diff_values

    layers = [LayerDiff(node, node_name, op, diff_values(name, a[name], b[name], rtol, atol, classes=False))
              for name, node, node_name, op in exposed if name in a and name in b]
    return LayerReport(layers, only_a=sum(1 for n in a if n not in b), only_b=sum(1 for n in b if n not in a))
