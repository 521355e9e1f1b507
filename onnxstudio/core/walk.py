"""Iterate the graphs (main, subgraphs, local functions) and tensors of a ModelProto, fast.

Reading a field of a protobuf message from Python costs ~0.5 us, so on a 20,000-node graph every pass over
``node.attribute`` adds ~10 ms. :func:`index_model` makes one pass reading only ``op_type`` (and ``domain``
when the model declares custom domains), and looks at the attributes of the few nodes that can hold subgraphs
or tensors: control flow, constants and ops of non-default domains.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING

import onnx
from onnx import AttributeProto

from onnxstudio.core.lazyread import LazySequence
from onnxstudio.core.noderun import NodeColumns

if TYPE_CHECKING:
    from onnxstudio.core.lazyread import LazyGraph

DEFAULT_DOMAINS = frozenset({"", "ai.onnx"})
# Default-domain ops with graph or tensor attributes.
SPECIAL_OPS = frozenset({"If", "Loop", "Scan", "SequenceMap", "Constant", "ConstantOfShape"})
_op_type = attrgetter("op_type")
_domain = attrgetter("domain")
_name = attrgetter("name")


@dataclass
class GraphEntry:
    path: str  # "main", "main/If_0:then_branch", ...
    graph: onnx.GraphProto
    op_types: list[str]
    special: Sequence[onnx.NodeProto]  # nodes whose attributes may hold graphs or tensors
    custom: Sequence[onnx.NodeProto]  # nodes of non-default domains (also in ``special``)
    nodes: list[onnx.NodeProto] = field(default_factory=list)  # upb's wrappers, made once for every consumer
    initializer_names: list[str] | None = None  # main graph only: inspection and the graph view both need them
    custom_keys: list[tuple[str, str]] = field(default_factory=list)  # (domain, op type) of each custom node
    # main graph loaded in parts (:mod:`lazygraph`): ``graph`` has no nodes, initializers or value_info
    lazy: LazyGraph | None = None

    def all_initializers(self) -> Sequence[onnx.TensorProto]:
        return self.lazy.initializers if self.lazy is not None else self.graph.initializer


@dataclass
class ModelIndex:
    graphs: list[GraphEntry] = field(default_factory=list)

    @property
    def node_count(self) -> int:
        return sum(len(g.op_types) for g in self.graphs)


def iter_subgraphs(node: onnx.NodeProto) -> Iterator[tuple[str, onnx.GraphProto]]:
    """(attribute name, graph) of each graph attribute of ``node`` (If branches, Loop/Scan bodies)."""
    for attr in node.attribute:
        if attr.type == AttributeProto.GRAPH:
            yield attr.name, attr.g
        elif attr.type == AttributeProto.GRAPHS:
            for i, g in enumerate(attr.graphs):
                yield f"{attr.name}[{i}]", g


def index_model(model: onnx.ModelProto, columns: NodeColumns | None = None, lazy: LazyGraph | None = None
                ) -> ModelIndex:
    """``columns``: the main graph's node columns (:mod:`noderun`), if read: saves its passes over the nodes.
    ``lazy``: the main graph's nodes and initializers, for a model loaded in parts (needs ``columns``)."""
    index = ModelIndex()
    stack: list[tuple[str, onnx.GraphProto]] = [("main", model.graph)]
    while stack:
        path, graph = stack.pop()
        cols = columns if path == "main" else None
        # with columns, upb's node wrappers are made only for the few special nodes
        nodes: Sequence[onnx.NodeProto] = list(graph.node) if cols is None else \
            lazy.nodes if lazy is not None else graph.node
        ops = cols.op_types if cols is not None else list(map(_op_type, nodes))
        # every node's domain, even where opset_import declares no other: a node may use one undeclared (the
        # checker refuses it, the report still says where the node belongs)
        domains = cols.domains if cols is not None else list(map(_domain, nodes))
        custom_idx = [] if DEFAULT_DOMAINS.issuperset(domains) else \
            [i for i, d in enumerate(domains) if d not in DEFAULT_DOMAINS]
        if SPECIAL_OPS.isdisjoint(ops):  # a set operation in C: most graphs have no special ops at all
            special_idx = custom_idx
        else:
            special_idx = sorted({i for i, op in enumerate(ops) if op in SPECIAL_OPS} | set(custom_idx))
        # a graph loaded in parts parses a node only when it is used
        pick = _Pick if path == "main" and lazy is not None else _picked
        custom, special = pick(nodes, custom_idx), pick(nodes, special_idx)
        custom_keys = [(domains[i], ops[i]) for i in custom_idx] if custom_idx else []
        init_names = None
        if path == "main":
            init_names = cols.initializer_names if cols is not None else None
            if init_names is None:
                init_names = list(map(_name, graph.initializer))
        entry = GraphEntry(path, graph, ops, special, custom, [] if cols is not None else nodes,  # type: ignore[arg-type]
                           init_names, custom_keys=custom_keys)
        if path == "main":
            entry.lazy = lazy
        index.graphs.append(entry)
        if cols is not None and cols.graph_attrs is False:
            continue  # no node of this graph has a graph attribute (the columns counted them)
        for node in special:
            for attr_name, sub in iter_subgraphs(node):
                stack.append((f"{path}/{node.name or node.op_type}:{attr_name}", sub))
    return index


def _picked(nodes: Sequence[onnx.NodeProto], idx: list[int]) -> list[onnx.NodeProto]:
    return [nodes[i] for i in idx]


class _Pick(LazySequence[onnx.NodeProto]):
    """Some nodes of a lazily read sequence, each read when used."""

    def __init__(self, nodes: Sequence[onnx.NodeProto], idx: list[int]) -> None:
        self._nodes, self._idx = nodes, idx

    def __len__(self) -> int:
        return len(self._idx)

    def _get(self, k: int) -> onnx.NodeProto:
        return self._nodes[self._idx[k]]


def iter_graphs(model: onnx.ModelProto, index: ModelIndex | None = None) -> Iterator[tuple[str, onnx.GraphProto]]:
    """Every graph with its path, main graph first."""
    for entry in (index or index_model(model)).graphs:
        yield entry.path, entry.graph


def iter_tensors(model: onnx.ModelProto, index: ModelIndex | None = None) -> Iterator[onnx.TensorProto]:
    """Initializers, sparse initializers and tensor attributes, in all graphs and local functions."""
    for entry in (index or index_model(model)).graphs:
        graph = entry.graph
        yield from entry.all_initializers()
        for sparse in graph.sparse_initializer:
            yield sparse.values
            yield sparse.indices
        for node in entry.special:
            yield from attribute_tensors(node)
    for func in model.functions:
        for node in func.node:
            yield from attribute_tensors(node)


def attribute_tensors(node: onnx.NodeProto, sparse_indices: bool = True) -> Iterator[onnx.TensorProto]:
    """The tensors of ``node``'s attributes; of a sparse tensor its values (and its indices, if asked)."""
    for attr in node.attribute:
        if attr.type == AttributeProto.TENSOR:
            yield attr.t
        elif attr.type == AttributeProto.TENSORS:
            yield from attr.tensors
        elif attr.type == AttributeProto.SPARSE_TENSOR:
            yield attr.sparse_tensor.values
            if sparse_indices:
                yield attr.sparse_tensor.indices
