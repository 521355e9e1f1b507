"""Graph structure for the view: nodes, values, edges, initializers, namespaces, subgraphs, search.

One :class:`Graph` flattens a GraphProto (or a local FunctionProto) into index arrays so that the layout and
the painter work on numpy arrays instead of 100k Python objects. Graph inputs and outputs become pseudo
nodes placed after the operator nodes, so node ``i < n_ops`` is ``protos[i]``. Qt-free.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, compress, count, islice, repeat
from operator import attrgetter, itemgetter, methodcaller
from typing import TYPE_CHECKING, Any

import numpy as np
import onnx
from onnx import AttributeProto

from onnxstudio.core.dtypes import dtype_name
from onnxstudio.core.noderun import NodeColumns
from onnxstudio.core.textindex import TextIndex
from onnxstudio.core.values import as_text
from onnxstudio.core.walk import ModelIndex

if TYPE_CHECKING:
    from onnxstudio.core.lazyread import LazyGraph

KIND_OP, KIND_INPUT, KIND_OUTPUT = 0, 1, 2
_VI_INDEX_MIN = 10_000  # value_info entries from which prepare_labels() indexes them by name
_CONTROL_OPS = frozenset({"If", "Loop", "Scan", "SequenceMap"})
GraphLike = onnx.GraphProto | onnx.FunctionProto
_DEFAULT_DOMAINS = frozenset({"", "ai.onnx"})
_GRAPH_ATTRS = (AttributeProto.GRAPH, AttributeProto.GRAPHS)
_name, _op_type, _input, _output, _domain = (attrgetter(a) for a in ("name", "op_type", "input", "output", "domain"))


def _dim_text(d: int | str | None) -> str:
    """A dim for a label; an expression (``floor(height/2 - 1/2) + 1``, as exporters write them) in brackets,
    so that ``×`` cannot be read into it."""
    if d is None:
        return "?"
    text = str(d)
    return f"({text})" if isinstance(d, str) and not text.replace("_", "").replace(".", "").isalnum() else text


@dataclass(frozen=True)
class ValueInfo:
    """What is known about one tensor name: element type and shape (None where unknown)."""

    name: str
    dtype: str | None = None
    shape: tuple[int | str | None, ...] | None = None
    initializer: bool = False

    def label(self) -> str:
        """Short edge label such as ``float32 1×3×224×224``; empty when nothing is known."""
        parts = []
        if self.dtype:
            parts.append(self.dtype)
        if self.shape is not None:
            parts.append("×".join(_dim_text(d) for d in self.shape) if self.shape else "scalar")
        return " ".join(parts)


@dataclass(frozen=True)
class SearchHit:
    node: int  # node index in the graph (operator or pseudo node)
    field: str  # "name", "op", "attribute" or "tensor"
    text: str  # what matched, for the results list


class InitializerMap(Mapping[str, onnx.TensorProto]):
    """Initializer name -> TensorProto of one graph (sparse ones by their values' name), read lazily.

    Only the names are read up front (``name in map`` costs a dict look-up); a TensorProto is fetched from the
    graph when asked for, so the first frame never creates 100k tensor wrappers.
    """

    def __init__(self, graph: onnx.GraphProto | None, names: list[str] | None = None,
                 tensors: Sequence[onnx.TensorProto] | None = None) -> None:
        """``names``: the initializers' names in order, if the loader read them already (saves a pass);
        ``tensors``: the initializers where they are not in ``graph`` (a graph loaded in parts)."""
        self._graph = graph
        self._tensors = tensors if tensors is not None else graph.initializer if graph is not None else ()
        self._index: dict[str, int] = {}
        if graph is not None:
            n = len(self._tensors)
            if names is None or len(names) != n:
                names = list(map(_name, self._tensors))
            self._index = dict(zip(_texts(names), range(n), strict=True))
            for k, sp in enumerate(graph.sparse_initializer):
                self._index[sp.values.name] = -1 - k

    def names(self) -> dict[str, int]:
        """The names (a dict view, for C-level set operations)."""
        return self._index

    def __getitem__(self, name: str) -> onnx.TensorProto:
        k = self._index[name]
        return self._tensors[k] if k >= 0 else self._graph.sparse_initializer[-1 - k].values  # type: ignore[union-attr]

    def __contains__(self, name: object) -> bool:
        return name in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def _value_from_type(name: str, tp: onnx.TypeProto) -> ValueInfo:
    if not tp.HasField("tensor_type"):
        kind = tp.WhichOneof("value")
        return ValueInfo(name, kind.replace("_type", "") if kind else None, None)
    tt = tp.tensor_type
    dtype = dtype_name(tt.elem_type) if tt.elem_type else None
    if not tt.HasField("shape"):
        return ValueInfo(name, dtype, None)
    dims: list[int | str | None] = []
    for d in tt.shape.dim:
        which = d.WhichOneof("value")
        dims.append(d.dim_value if which == "dim_value" else d.dim_param if which == "dim_param" else None)
    return ValueInfo(name, dtype, tuple(dims))


def _outer_references(node: onnx.NodeProto) -> list[str]:
    """Names used inside ``node``'s subgraphs (at any depth) that none of them defines."""
    used: list[str] = []
    defined: set[str] = set()
    stack = [a.g for a in node.attribute if a.type == AttributeProto.GRAPH]
    stack += [g for a in node.attribute if a.type == AttributeProto.GRAPHS for g in a.graphs]
    while stack:
        g = stack.pop()
        defined.update(v.name for v in g.input)
        defined.update(t.name for t in g.initializer)
        for nd in g.node:
            used.extend(nd.input)
            defined.update(nd.output)
            stack += [a.g for a in nd.attribute if a.type == AttributeProto.GRAPH]
        used.extend(v.name for v in g.output)
    seen: set[str] = set()
    return [u for u in used if u and u not in defined and not (u in seen or seen.add(u))]


def _texts(values: list) -> list[str]:
    """``values`` as str: protobuf hands back names that are not valid UTF-8 as bytes, which are shown with
    replacement characters (a C-level type check first; the list is rebuilt only when needed)."""
    if bytes in set(map(type, values)):
        return list(map(as_text, values))
    return values


def namespace_of(name: str) -> str:
    """``/encoder/layer.3/attn/MatMul`` -> ``encoder/layer.3/attn``: the path without the node's own part."""
    cut = name.rfind("/")
    if cut <= 0:
        return ""
    return "/".join(p for p in name[:cut].split("/") if p)


class Graph:
    """Nodes, edges and namespace groups of one graph; see the module docstring for the index layout."""

    def __init__(self, proto: GraphLike, *, title: str = "main", functions: dict | None = None,
                 opsets: dict[str, int] | None = None, op_types: list[str] | None = None,
                 custom_nodes: list[onnx.NodeProto] | None = None, nodes: list[onnx.NodeProto] | None = None,
                 initializer_names: list[str] | None = None, columns: NodeColumns | None = None,
                 lazy: LazyGraph | None = None) -> None:
        """What the loader may have read already (``LoadedModel.index``), each saving a pass over the protobuf:
        ``op_types``; ``custom_nodes`` (nodes of non-default domains: none holding a graph, no domain pass);
        ``nodes`` (``list(proto.node)``: upb's wrappers made once); ``initializer_names`` (in order);
        ``columns`` (every node's name, op type, domain, inputs and outputs: no pass over the nodes at all);
        ``lazy``: the nodes, initializers and value_info of a graph loaded in parts (``proto`` has none)."""
        self.proto = proto
        self.title = title
        self.functions: dict[tuple[str, str], onnx.FunctionProto] = functions or {}
        self.opsets: dict[str, int] = opsets or {}
        self.is_function = isinstance(proto, onnx.FunctionProto)
        # Custom-domain nodes may hold subgraphs; without declared custom domains none can exist.
        self._may_have_custom = (bool(self.functions) or self.is_function or not self.opsets
                                 or not _DEFAULT_DOMAINS.issuperset(self.opsets))
        if columns is not None and columns.graph_attrs is False:
            self._may_have_custom = False  # no node has a graph attribute: none reads outer values
        elif self._may_have_custom and custom_nodes is not None and self.opsets and not self.is_function:
            self._may_have_custom = any(a.type in _GRAPH_ATTRS for nd in custom_nodes for a in nd.attribute)
        all_nodes = lazy.nodes if lazy is not None else proto.node
        self._vis: Sequence[onnx.ValueInfoProto] = lazy.value_info if lazy is not None else \
            getattr(proto, "value_info", ())
        self._lazy = lazy
        if columns is not None and len(columns.names) != len(all_nodes):
            columns = None
        # a list keeps upb's wrappers alive while building: each later whole-list read reuses them
        self.protos: Sequence[onnx.NodeProto] = (all_nodes if columns is not None or lazy is not None else
                                                 nodes if nodes is not None and len(nodes) == len(proto.node)
                                                 else list(proto.node))
        self._edge_value: list[str] | None = None
        self._kinds: tuple[list[str], np.ndarray] | None = None  # search: distinct op types (_op_kinds)
        self._name_index: TextIndex | None = None  # search: every name (_names_containing)
        self._build_values(initializer_names, columns.value_info_names if columns is not None else None)
        self._build_nodes(op_types, columns)
        self._build_groups()
        # upb makes a node's wrapper on access: holding 100k of them costs ~10 MB for a few later look-ups
        self.protos = all_nodes

    # ---- construction -------------------------------------------------------------------------------
    def _build_values(self, initializer_names: list[str] | None = None,
                      value_info_names: list[str] | None = None) -> None:
        # ValueInfo objects are made on demand: building 100k of them up front costs more than the parse.
        # Initializers are only named here: a TensorProto is fetched when something asks for it.
        self._typed: dict[str, onnx.ValueInfoProto] = {}
        self._inferred: Mapping[str, Any] = {}  # ValueSpecs from shape inference, by name (see add_inferred)
        self.initializers: InitializerMap = InitializerMap(None)
        self._value_info: dict[str, int] | None = None  # value_info position by name, once many are asked for
        self._vi_names: list[str] | None = value_info_names  # from the loader, or read on first use
        self._vi_asked = 0
        self._values: dict[str, ValueInfo] = {}  # the answers of value(), kept: labels ask again every frame
        if self.is_function:
            ins, outs = _texts(list(self.proto.input)), _texts(list(self.proto.output))
        else:
            g = self.proto
            for seq in (g.input, g.output):
                self._typed.update(zip(map(_name, seq), seq, strict=True))
            self.initializers = InitializerMap(g, initializer_names,
                                               self._lazy.initializers if self._lazy is not None else None)
            ins = [n for n in _texts([vi.name for vi in g.input]) if n not in self.initializers]
            outs = _texts([vi.name for vi in g.output])
        self.input_names, self.output_names = ins, outs

    def _build_nodes(self, op_types: list[str] | None, columns: NodeColumns | None = None) -> None:
        """Edges from whole-list reads of the protobuf (C loops), numpy and dict look-ups: no loop per node."""
        protos = self.protos
        n_ops = len(protos)
        node_ids = np.arange(n_ops, dtype=np.int64)
        if columns is not None:
            ops, names = _texts(columns.op_types), _texts(list(columns.names))  # names: unnamed ones are filled in
            in_flat, out_flat = _texts(columns.inputs), _texts(columns.outputs)
            in_node, out_node = np.repeat(node_ids, columns.n_inputs), np.repeat(node_ids, columns.n_outputs)
        else:
            ops = _texts(list(op_types) if op_types is not None and len(op_types) == n_ops else
                         list(map(_op_type, protos)))
            names = _texts(list(map(_name, protos)))
            ins = list(map(_input, protos))
            in_flat = _texts(list(chain.from_iterable(ins)))
            in_node = np.repeat(node_ids, np.fromiter(map(len, ins), np.int64, n_ops))
            outs = list(map(_output, protos))
            out_flat = _texts(list(chain.from_iterable(outs)))
            out_node = np.repeat(node_ids, np.fromiter(map(len, outs), np.int64, n_ops))
        if "" in names:  # a C-level scan; the loop only for models with unnamed nodes
            for i in [i for i, s in enumerate(names) if not s]:
                names[i] = f"{ops[i]}_{i}"
        # one id per tensor name: the position of its producer's output (then pseudo inputs)
        vid_of = dict(zip(out_flat, range(len(out_flat)), strict=True))
        vid_of.pop("", None)
        values: list[str] = out_flat
        v_node = [out_node]
        kinds = [KIND_OP] * n_ops
        pseudo_names: list[str] = []

        def add_pseudo(name: str, kind: int) -> int:
            j = n_ops + len(pseudo_names)
            pseudo_names.append(name)
            kinds.append(kind)
            return j

        extra_v: list[int] = []
        for name in self.input_names:
            j = add_pseudo(name, KIND_INPUT)
            if name not in vid_of:
                vid_of[name] = len(values) + len(extra_v)
                extra_v.append(j)
        # a value id per input (a produced name wins over an initializer), else -1; then the inputs left are
        # looked up among the initializers (no merged dict of every name: ~20 MB at 100k nodes)
        ev = np.fromiter(map(vid_of.get, in_flat, repeat(-1)), np.int64, len(in_flat))
        miss = np.flatnonzero(ev == -1)
        is_init = np.zeros(len(in_flat), bool)
        if len(miss) and len(self.initializers):
            is_init[miss] = np.fromiter(map(self.initializers.names().__contains__,
                                            map(in_flat.__getitem__, miss.tolist())), bool, len(miss))
        outer: list[str] = []
        for k in miss[~is_init[miss]].tolist():  # omitted optional inputs, outer values (rare)
            name = in_flat[k]
            if not name:
                continue
            v = vid_of.get(name)
            if v is None:  # outer-scope value (subgraph) or a dangling name: show it as an input
                v = vid_of[name] = len(values) + len(extra_v)
                extra_v.append(add_pseudo(name, KIND_INPUT))
                outer.append(name)
            ev[k] = v
        n_init = np.bincount(in_node[is_init], minlength=n_ops).astype(np.int32)
        values = values + [pseudo_names[j - n_ops] for j in extra_v]
        v_node.append(np.asarray(extra_v, np.int64))
        keep = ev >= 0
        e_vid = [ev[keep]]
        e_dst = [in_node[keep]]
        # values a body reads from this scope are inputs of the If/Loop/Scan too
        holders = [i for i, op in enumerate(ops) if op in _CONTROL_OPS] if not _CONTROL_OPS.isdisjoint(ops) else []
        if self._may_have_custom:
            domains = columns.domains if columns is not None else list(map(_domain, protos))
            holders += [i for i, d in enumerate(domains) if d not in _DEFAULT_DOMAINS and protos[i].attribute]
        for i in sorted(set(holders)):
            refs = [vid_of[r] for r in _outer_references(protos[i]) if r in vid_of]
            e_vid.append(np.asarray(refs, np.int64))
            e_dst.append(np.full(len(refs), i, np.int64))
        v_node_a = np.concatenate(v_node)
        out_v, out_d = [], []
        for name in self.output_names:
            j = add_pseudo(name, KIND_OUTPUT)
            v = vid_of.get(name)
            if v is not None:
                out_v.append(v)
                out_d.append(j)
        e_vid.append(np.asarray(out_v, np.int64))
        e_dst.append(np.asarray(out_d, np.int64))
        vid = np.concatenate(e_vid)
        dst = np.concatenate(e_dst)
        src = v_node_a[vid] if len(vid) else np.zeros(0, np.int64)
        ok = src != dst  # an outer reference to the node's own output
        self.n_ops = n_ops
        self.names = names + pseudo_names
        self.ops = [*ops, *("Input" if kinds[n_ops + j] == KIND_INPUT else "Output" for j in range(len(pseudo_names)))]
        self.kinds = np.asarray(kinds, np.int8)
        self.n_init = np.concatenate([n_init, np.zeros(len(pseudo_names), np.int32)])
        self.outer_names = outer
        self.edge_src = src[ok]
        self.edge_dst = dst[ok]
        self.edge_vid = vid[ok]  # tensor id of each edge: equal ids, same tensor
        self.value_names = values  # tensor name of each value id (the producer dict is rebuilt on demand)

    @property
    def edge_value(self) -> list[str]:
        """Tensor name of each edge (built on first use: the view needs only the few it labels)."""
        if self._edge_value is None:
            names = self.value_names
            self._edge_value = [names[v] for v in self.edge_vid.tolist()]
        return self._edge_value

    @property
    def producer(self) -> dict[str, int]:
        """Tensor name -> producing node (operator or graph input)."""
        v_src = np.full(len(self.value_names), -1, np.int64)
        v_src[self.edge_vid] = self.edge_src
        vid_of = dict(zip(self.value_names, range(len(self.value_names)), strict=True))
        vid_of.pop("", None)
        return {name: int(v_src[v]) for name, v in vid_of.items() if v_src[v] >= 0}

    def _build_groups(self) -> None:
        """Namespace tree from node names; one-node groups dissolve and single-child chains merge.

        String work is a few C-level passes (map, dict.setdefault), no Python loop per namespace; the tree itself (subtree totals, which groups
        stay, nearest kept ancestor) is numpy, one step per depth: a convnet whose every Conv/BN/Relu has a
        namespace of its own has about as many namespaces as nodes.
        """
        n_ops = self.n_ops
        raw = list(map(itemgetter(0), map(methodcaller("rpartition", "/"), self.names[:n_ops])))
        # "/a//b" and "a/b" are the same namespace
        if "//" in "\n".join(raw):
            norm = [p.strip("/") if "//" not in p else "/".join(x for x in p.split("/") if x) for p in raw]
        else:
            norm = list(map(methodcaller("strip", "/"), raw))
        del raw
        # Every path and its ancestors once, in one dict: setdefault hands out a fresh (increasing, not
        # contiguous) number to each new path and the existing one otherwise; searchsorted compacts them.
        path_id: dict[str, int] = {"": 0}
        node_key = np.fromiter(map(path_id.setdefault, norm, count(1)), np.int64, n_ops)
        del norm
        parents: list[np.ndarray] = []
        done, nxt = 1, n_ops + 1
        while len(path_id) > done:
            new = list(islice(path_id, done, None))
            done = len(path_id)
            pars = map(itemgetter(0), map(methodcaller("rpartition", "/"), new))
            parents.append(np.fromiter(map(path_id.setdefault, pars, count(nxt)), np.int64, len(new)))
            nxt += len(new)
        paths = list(path_id)
        keys = np.fromiter(path_id.values(), np.int64, len(paths))
        del path_id
        P = len(paths)
        parent = np.zeros(P, np.int64)
        if P > 1:
            parent[1:] = np.searchsorted(keys, np.concatenate(parents))
        node_path = np.searchsorted(keys, node_key)
        depth = np.zeros(P, np.int64)
        depth[1:] = np.fromiter(map(methodcaller("count", "/"), paths[1:]), np.int64, P - 1) + 1
        node_path = self._weights_join_consumers(node_path, paths, parent, depth)
        total = np.bincount(node_path, minlength=P) if n_ops else np.zeros(P, np.int64)
        by_depth = np.argsort(depth, kind="stable")
        bounds = np.searchsorted(depth[by_depth], np.arange(int(depth.max()) + 2))
        levels = [by_depth[bounds[d]: bounds[d + 1]] for d in range(1, len(bounds) - 1)]
        for idx in reversed(levels):
            np.add.at(total, parent[idx], total[idx])
        kept = total >= 2
        kept[0] = True

        def nearest() -> np.ndarray:
            near = np.zeros(P, np.int64)
            for idx in levels:
                par = parent[idx]
                near[idx] = np.where(kept[par], par, near[par])
            return near

        # A group that holds exactly what its parent holds is redundant: drop the outer one (keeps the
        # longer label) unless the parent is the root.
        near = nearest()
        same = np.flatnonzero(kept & (total == total[near]))
        same = same[same > 0]
        kept[np.where(near[same] > 0, near[same], same)] = False
        near = nearest()
        # groups in (depth, path) order, the root first; parents sort before their children
        kept_idx = np.flatnonzero(kept)
        kept_paths = [paths[i] for i in kept_idx.tolist()]
        kept_idx = kept_idx[sorted(range(len(kept_paths)), key=kept_paths.__getitem__)]  # str sort, no numpy copy
        kept_idx = kept_idx[np.argsort(depth[kept_idx], kind="stable")]
        gid = np.full(P, -1, np.int64)
        gid[kept_idx] = np.arange(len(kept_idx))
        order = [paths[i] for i in kept_idx.tolist()]
        near_k = near[kept_idx]
        self.group_path = order
        self.group_parent = np.concatenate([[-1], gid[near_k[1:]]]).astype(np.int64)
        self.group_label = ["(root)"] + [p[len(paths[q]) + 1:] if q else p
                                         for p, q in zip(order[1:], near_k[1:].tolist(), strict=True)]
        self.group_size = total[kept_idx].astype(np.int64)
        gdepth = np.zeros(P, np.int64)
        for idx in levels:
            gdepth[idx] = gdepth[near[idx]] + 1
        self.group_depth = gdepth[kept_idx]
        node_group = np.zeros(len(self.names), np.int64)
        if n_ops:
            node_group[:n_ops] = gid[np.where(kept[node_path], node_path, near[node_path])]
        self.node_group = node_group

    def _weights_join_consumers(self, node_path: np.ndarray, paths: list[str], parent: np.ndarray,
                                depth: np.ndarray) -> np.ndarray:
        """Nodes fed by no other node (a quantized weight's DequantizeLinear, a Constant) move into the
        namespace where all their consumers are, when their own name puts them above it.

        onnxruntime's quantizer names a weight's DequantizeLinear after the tensor (``1015_DequantizeLinear``):
        in the root namespace, a ResNet's 107 of them stood in one row above the network, each with an edge
        down into it. Inside the consumer's group they sit next to the layer that uses them. A node whose name
        places it in another branch of the tree keeps its own place.
        """
        n_ops, P = self.n_ops, len(paths)
        src, dst = self.edge_src, self.edge_dst
        if not n_ops or P < 2 or not len(src):
            return node_path
        fed = np.zeros(n_ops, bool)
        fed[dst[dst < n_ops]] = True
        to_op = (src < n_ops) & (dst < n_ops)
        from_free = to_op.copy()
        from_free[to_op] = ~fed[src[to_op]]
        if not from_free.any():
            return node_path
        # The lowest common ancestor of a set of tree nodes is that of its first and last in preorder.
        pre = np.empty(P, np.int64)
        pre[sorted(range(P), key=lambda i: paths[i].split("/") if i else [])] = np.arange(P)
        by_pre = np.argsort(pre)
        s, t = src[from_free], node_path[dst[from_free]]
        lo = np.full(n_ops, P, np.int64)
        hi = np.full(n_ops, -1, np.int64)
        np.minimum.at(lo, s, pre[t])
        np.maximum.at(hi, s, pre[t])
        # a node feeding a graph output stays where its name puts it
        out = (src < n_ops) & (dst >= n_ops)
        hi[src[out]] = -1
        cand = np.flatnonzero((hi >= 0) & ~fed)
        if not len(cand):
            return node_path
        a, b = by_pre[lo[cand]], by_pre[hi[cand]]

        def lift(x: np.ndarray, to: np.ndarray) -> np.ndarray:
            x = x.copy()
            for _ in range(int(depth.max())):
                up = depth[x] > to
                if not up.any():
                    break
                x[up] = parent[x[up]]
            return x

        a, b = lift(a, depth[b]), lift(b, depth[a])
        while (a != b).any():
            d = a != b
            a[d], b[d] = parent[a[d]], parent[b[d]]
        own = node_path[cand]
        below = (depth[a] > depth[own]) & (lift(a, depth[own]) == own)
        node_path = node_path.copy()
        node_path[cand[below]] = a[below]
        return node_path

    # ---- queries --------------------------------------------------------------------------------------
    @property
    def n_nodes(self) -> int:
        return len(self.names)

    def value(self, name: str) -> ValueInfo:
        """Type and shape of a tensor name, from initializers, graph inputs/outputs and value_info."""
        v = self._values.get(name)
        if v is None:
            v = self._values[name] = self._value(name, self._find_value_info)
        return v

    def values(self, names: Sequence[str]) -> list[ValueInfo]:
        """:meth:`value` of each name; the value_info entries not asked for before are found in one C-level
        pass over value_info's names (a frame's edge labels: no per-name scan, no dict of every entry)."""
        known = self._values
        todo = [n for n in dict.fromkeys(names) if n not in known]
        if todo:
            vis = self._vis
            found: dict[str, int] = {}
            if self._value_info is not None:
                found = {n: k for n in todo if (k := self._value_info.get(n)) is not None}
            elif len(vis):
                wanted = {n for n in todo if n not in self._typed and n not in self.initializers}
                if wanted:
                    vi_names = self._value_info_names()
                    for k in compress(range(len(vi_names)), map(wanted.__contains__, vi_names)):
                        found.setdefault(vi_names[k], k)  # the first entry wins, as for one name
            for n in todo:
                known[n] = self._value(n, lambda n: vis[found[n]] if n in found else None)
        return [known[n] for n in names]

    def _value(self, name: str, find: Callable[[str], onnx.ValueInfoProto | None]) -> ValueInfo:
        t = self.initializers.get(name)
        if t is not None:
            return ValueInfo(name, dtype_name(t.data_type), tuple(t.dims), True)
        vi = self._typed.get(name)
        if vi is None:
            vi = find(name)
        if vi is not None:
            return _value_from_type(name, vi.type)
        spec = self._inferred.get(name)
        return ValueInfo(name, spec.dtype, None if spec.shape is None else tuple(spec.shape)) if spec is not None \
            else ValueInfo(name)

    def add_inferred(self, specs: Iterable[Any]) -> int:
        """Types and shapes that shape inference found (ValueSpecs) for the tensors the model leaves untyped, so
        that their edge labels and properties show them; what the model declares itself wins. Returns how many
        tensors gained a type."""
        found = {s.name: s for s in specs if s.type == "tensor" and s.dtype}
        if not found:
            return 0
        # what the model types itself, left out in C-level set operations (100k names in a few ms: GUI thread)
        declared = self._value_info.keys() if self._value_info is not None else \
            self._value_info_names() if len(self._vis) else ()
        todo = found.keys() - self.initializers.keys() - self._typed.keys() - set(declared)
        self._inferred = found  # read as labels are painted (see _value): 100k ValueInfos here took 0.5 s
        for name in [n for n, v in self._values.items() if v.dtype is None and v.shape is None and n in todo]:
            del self._values[name]  # looked up before inference came: look again
        return len(todo)

    def prepare_labels(self) -> None:
        """Do now what the first frame with edge labels would otherwise do on the GUI thread: read the names of
        value_info, where labels look types up (~30 ms at 100k entries), and index them when there are many
        (a frame's scan of 100k names costs ~20 ms). Call it where the graph is built."""
        n = len(self._vis)
        if n:
            names = self._value_info_names()
            if n >= _VI_INDEX_MIN and self._value_info is None:
                # built from the end: the first entry of a repeated name wins, as in a scan
                self._value_info = dict(zip(reversed(names), range(n - 1, -1, -1), strict=True))
                self._vi_names = None

    def _value_info_names(self) -> list[str]:
        if self._vi_names is None:
            self._vi_names = list(map(_name, self._vis))
        return self._vi_names

    def _find_value_info(self, name: str) -> onnx.ValueInfoProto | None:
        """value_info entry of ``name``. A few look-ups (a selection's tensors) are C-level ``list.index``
        scans of the names (no wrapper per entry); a dict of positions is built once many were asked for."""
        vis = self._vis
        if self._value_info is None and self._vi_asked >= 32:
            # built from the end: the first entry of a repeated name wins, as in a scan
            self._value_info = dict(zip(reversed(self._value_info_names()), range(len(vis) - 1, -1, -1),
                                        strict=True))
            self._vi_names = None
        if self._value_info is not None:
            k = self._value_info.get(name)
            return vis[k] if k is not None else None
        self._vi_asked += 1
        try:
            return vis[self._value_info_names().index(name)]
        except ValueError:
            return None

    def node_inputs(self, i: int) -> list[str]:
        if i < self.n_ops:
            return [as_text(s) for s in self.protos[i].input if s]
        return [self.names[i]] if self.kinds[i] == KIND_OUTPUT else []

    def node_outputs(self, i: int) -> list[str]:
        if i < self.n_ops:
            return [as_text(s) for s in self.protos[i].output if s]
        return [self.names[i]] if self.kinds[i] == KIND_INPUT else []

    def producers(self, i: int) -> list[int]:
        return self.edge_src[self.edge_dst == i].tolist()

    def consumers(self, i: int) -> list[int]:
        return self.edge_dst[self.edge_src == i].tolist()

    def find_node(self, name: str) -> int | None:
        try:
            return self.names.index(name)
        except ValueError:
            return None

    def group_ancestors(self, g: int) -> list[int]:
        """Ancestors of group ``g`` from the root down, ``g`` excluded."""
        out = []
        while g > 0:
            g = int(self.group_parent[g])
            out.append(g)
        return out[::-1]

    def domain(self, i: int) -> str:
        return as_text(self.protos[i].domain) if i < self.n_ops else ""

    def subgraphs(self, i: int) -> list[tuple[str, GraphLike]]:
        """Bodies one can enter from node ``i``: If branches, Loop/Scan bodies, or a local function."""
        if i >= self.n_ops:
            return []
        nd = self.protos[i]
        out: list[tuple[str, GraphLike]] = []
        # then before else, whatever order the attributes were saved in
        for attr in sorted(nd.attribute, key=lambda a: a.name != "then_branch"):
            if attr.type == AttributeProto.GRAPH:
                out.append((attr.name, attr.g))
            elif attr.type == AttributeProto.GRAPHS:
                out.extend((f"{attr.name}[{k}]", g) for k, g in enumerate(attr.graphs))
        fn = self.functions.get((nd.domain, nd.op_type))
        if fn is not None:
            out.append((f"function {fn.name}", fn))
        return out

    def open_subgraph(self, i: int, which: int = 0) -> Graph:
        label, body = self.subgraphs(i)[which]
        title = f"{self.names[i]}:{label}"
        return Graph(body, title=title, functions=self.functions, opsets=self.opsets)

    def _op_kinds(self) -> tuple[list[str], np.ndarray]:
        """The distinct op types of the operator nodes and each node's index into them (cached)."""
        if self._kinds is None:
            ids: dict[str, int] = {}
            of_node = np.fromiter(map(ids.setdefault, self.ops[: self.n_ops], count()), np.int64, self.n_ops)
            kinds = list(ids)
            self._kinds = (kinds, np.searchsorted(np.fromiter(ids.values(), np.int64, len(ids)), of_node))
        return self._kinds

    def _names_containing(self, text: str) -> list[int]:
        """Nodes whose name contains ``text`` (lowercase), in order (one C-level scan: :mod:`textindex`)."""
        if self._name_index is None:
            self._name_index = TextIndex(self.names)
        return self._name_index.find(text)

    def search(self, query: str, limit: int = 500) -> list[SearchHit]:
        """Case-insensitive substring search; ``op:``, ``name:``, ``attr:``, ``tensor:`` narrow the field.

        Exact op-type matches come first so that ``Conv`` lists convolutions before ``ConvTranspose``.
        """
        field, _, text = query.partition(":")
        if field.strip().lower() not in ("op", "name", "attr", "tensor") or not _:
            field, text = "", query
        field, text = field.strip().lower(), text.strip().lower()
        if not text:
            return []
        exact: list[SearchHit] = []
        hits: list[SearchHit] = []
        seen: set[int] = set()

        def add(i: int, f: str, t: str, first: bool = False) -> None:
            if i not in seen:
                seen.add(i)
                (exact if first else hits).append(SearchHit(i, f, t))

        if field in ("", "op"):
            # a handful of distinct op types: each is matched once, its nodes found with numpy
            kinds, of_node = self._op_kinds()
            low = [k.lower() for k in kinds]
            for first in (True, False):
                wanted = [j for j, k in enumerate(low) if text in k and (k == text) == first]
                if wanted:
                    for i in np.flatnonzero(np.isin(of_node, wanted)).tolist():
                        add(i, "op", self.ops[i], first)
        if field in ("", "name"):
            for i in self._names_containing(text):
                add(i, "name", self.names[i])
        # from here on hits only append: once there are ``limit`` the answer cannot change
        if field in ("", "tensor") and len(exact) + len(hits) < limit:
            for i, nd in enumerate(self.protos):
                for t in map(as_text, (*nd.input, *nd.output)):
                    if t and text in t.lower():
                        add(i, "tensor", t)
                        break
                if len(exact) + len(hits) >= limit:
                    break
        if field in ("", "attr") and len(exact) + len(hits) < limit:
            for i, nd in enumerate(self.protos):
                if len(exact) + len(hits) >= limit:
                    break
                for attr in nd.attribute:
                    shown = f"{as_text(attr.name)}={attribute_text(attr)}"
                    if text in shown.lower():
                        add(i, "attribute", shown)
                        break
        return (exact + hits)[:limit]


def attribute_text(attr: onnx.AttributeProto, limit: int = 80) -> str:
    """One-line value of an attribute; tensors and graphs are summarized, never expanded."""
    t = attr.type
    if t == AttributeProto.FLOAT:
        text = f"{attr.f:g}"
    elif t == AttributeProto.INT:
        text = str(attr.i)
    elif t == AttributeProto.STRING:
        text = attr.s.decode("utf-8", "replace")
    elif t == AttributeProto.FLOATS:
        text = "[" + ", ".join(f"{v:g}" for v in attr.floats) + "]"
    elif t == AttributeProto.INTS:
        text = "[" + ", ".join(str(v) for v in attr.ints) + "]"
    elif t == AttributeProto.STRINGS:
        text = "[" + ", ".join(v.decode("utf-8", "replace") for v in attr.strings) + "]"
    elif t == AttributeProto.TENSOR:
        tp = attr.t
        shape = "×".join(str(d) for d in tp.dims) if tp.dims else "scalar"
        text = f"tensor {dtype_name(tp.data_type)} {shape}"
        if not tp.dims or int(np.prod(tp.dims)) <= 8:
            try:
                text += " " + np.array2string(onnx.numpy_helper.to_array(tp).ravel(), separator=",")
            except Exception:  # stripped or external data: the summary is enough
                pass
    elif t == AttributeProto.GRAPH:
        text = f"graph ({len(attr.g.node)} nodes)"
    elif t == AttributeProto.GRAPHS:
        text = f"{len(attr.graphs)} graphs"
    else:
        text = AttributeProto.AttributeType.Name(t).lower()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def load_graph(model: onnx.ModelProto, index: ModelIndex | None = None, columns: NodeColumns | None = None) -> Graph:
    """The main graph of a model, knowing the model's local functions and opsets.

    ``index`` (``LoadedModel.index``) saves reading every node's op type a second time; where its main-graph
    entry also carries ``nodes`` (the node list) and ``initializer_names``, those passes are saved too.
    ``columns`` (``LoadedModel.columns``) saves every pass over the nodes.
    """
    functions = {(f.domain, f.name): f for f in model.functions}
    opsets = {o.domain: o.version for o in model.opset_import}
    main = index.graphs[0] if index is not None and index.graphs else None
    same = main is not None and main.graph is model.graph
    return Graph(model.graph, title=as_text(model.graph.name) or "main", functions=functions, opsets=opsets,
                 op_types=main.op_types if same else None, custom_nodes=main.custom if same else None,
                 nodes=getattr(main, "nodes", None) if same else None,
                 initializer_names=getattr(main, "initializer_names", None) if same else None, columns=columns,
                 lazy=getattr(main, "lazy", None) if same else None)
