"""Graph structure for the view: nodes, values, edges, initializers, namespaces, subgraphs, search.

One :class:`Graph` flattens a GraphProto (or a local FunctionProto) into index arrays so that the layout and
the painter work on numpy arrays instead of 100k Python objects. Graph inputs and outputs become pseudo
nodes placed after the operator nodes, so node ``i < n_ops`` is ``protos[i]``. Qt-free.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnx
from onnx import AttributeProto

from onnxstudio.core.dtypes import dtype_name

KIND_OP, KIND_INPUT, KIND_OUTPUT = 0, 1, 2
_CONTROL_OPS = frozenset({"If", "Loop", "Scan", "SequenceMap"})
GraphLike = onnx.GraphProto | onnx.FunctionProto


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
            parts.append("×".join("?" if d is None else str(d) for d in self.shape) if self.shape else "scalar")
        return " ".join(parts)


@dataclass(frozen=True)
class SearchHit:
    node: int  # node index in the graph (operator or pseudo node)
    field: str  # "name", "op", "attribute" or "tensor"
    text: str  # what matched, for the results list


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


def namespace_of(name: str) -> str:
    """``/encoder/layer.3/attn/MatMul`` -> ``encoder/layer.3/attn``: the path without the node's own part."""
    cut = name.rfind("/")
    if cut <= 0:
        return ""
    return "/".join(p for p in name[:cut].split("/") if p)


class Graph:
    """Nodes, edges and namespace groups of one graph; see the module docstring for the index layout."""

    def __init__(self, proto: GraphLike, *, title: str = "main", functions: dict | None = None,
                 opsets: dict[str, int] | None = None) -> None:
        self.proto = proto
        self.title = title
        self.functions: dict[tuple[str, str], onnx.FunctionProto] = functions or {}
        self.opsets: dict[str, int] = opsets or {}
        self.is_function = isinstance(proto, onnx.FunctionProto)
        self.protos: list[onnx.NodeProto] = list(proto.node)
        self._build_values()
        self._build_nodes()
        self._build_groups()

    # ---- construction -------------------------------------------------------------------------------
    def _build_values(self) -> None:
        # ValueInfo objects are made on demand: building 100k of them up front costs more than the parse.
        self._typed: dict[str, onnx.ValueInfoProto] = {}
        self.initializers: dict[str, onnx.TensorProto] = {}
        if self.is_function:
            ins, outs = list(self.proto.input), list(self.proto.output)
            self._typed = {vi.name: vi for vi in getattr(self.proto, "value_info", ())}
        else:
            g = self.proto
            for seq in (g.value_info, g.input, g.output):
                self._typed.update((vi.name, vi) for vi in seq)
            self.initializers = {t.name: t for t in g.initializer}
            self.initializers.update((sp.values.name, sp.values) for sp in g.sparse_initializer)
            ins = [vi.name for vi in g.input if vi.name not in self.initializers]
            outs = [vi.name for vi in g.output]
        self.input_names, self.output_names = ins, outs

    def _build_nodes(self) -> None:
        protos = self.protos
        n_ops = len(protos)
        names: list[str] = []
        ops: list[str] = []
        n_init = np.zeros(n_ops, np.int32)
        producer: dict[str, int] = {}
        inits = self.initializers
        for i, nd in enumerate(protos):
            op = nd.op_type
            ops.append(op)
            names.append(nd.name or f"{op}_{i}")
            for o in nd.output:
                if o:
                    producer[o] = i
        kinds = [KIND_OP] * n_ops
        pseudo_names: list[str] = []
        for name in self.input_names:
            producer.setdefault(name, n_ops + len(pseudo_names))
            pseudo_names.append(name)
            kinds.append(KIND_INPUT)
        src: list[int] = []
        dst: list[int] = []
        val: list[str] = []
        outer: list[str] = []
        for i, nd in enumerate(protos):
            k = 0
            for name in nd.input:
                if not name:
                    continue
                p = producer.get(name)
                if p is None:
                    if name in inits:
                        k += 1
                        continue
                    # Outer-scope value (subgraph) or a dangling name: show it as an input.
                    p = n_ops + len(pseudo_names)
                    producer[name] = p
                    pseudo_names.append(name)
                    outer.append(name)
                    kinds.append(KIND_INPUT)
                src.append(p)
                dst.append(i)
                val.append(name)
            n_init[i] = k
            # values a body reads from this scope are inputs of the If/Loop/Scan too
            if nd.op_type in _CONTROL_OPS or (nd.domain and nd.attribute):
                for name in _outer_references(nd):
                    p = producer.get(name)
                    if p is not None and p != i:
                        src.append(p)
                        dst.append(i)
                        val.append(name)
        for name in self.output_names:
            j = n_ops + len(pseudo_names)
            pseudo_names.append(name)
            kinds.append(KIND_OUTPUT)
            p = producer.get(name)
            if p is not None:
                src.append(p)
                dst.append(j)
                val.append(name)
        self.n_ops = n_ops
        self.names = names + pseudo_names
        self.ops = [*ops, *("Input" if kinds[n_ops + j] == KIND_INPUT else "Output" for j in range(len(pseudo_names)))]
        self.kinds = np.asarray(kinds, np.int8)
        self.n_init = np.concatenate([n_init, np.zeros(len(pseudo_names), np.int32)])
        self.outer_names = outer
        self.edge_src = np.asarray(src, np.int64)
        self.edge_dst = np.asarray(dst, np.int64)
        self.edge_value = val
        self.producer = producer

    def _build_groups(self) -> None:
        """Namespace tree from node names; one-node groups dissolve and single-child chains merge."""
        prefix_ids: dict[str, int] = {}
        node_prefix = np.zeros(len(self.names), np.int64)
        for i in range(self.n_ops):
            node_prefix[i] = prefix_ids.setdefault(namespace_of(self.names[i]), len(prefix_ids))
        prefixes = list(prefix_ids)
        direct = np.bincount(node_prefix[: self.n_ops], minlength=len(prefixes)) if self.n_ops else np.zeros(0)
        total: dict[str, int] = {"": 0}
        for p, c in zip(prefixes, direct.tolist(), strict=False):
            total[""] += c
            if not p:
                continue
            parts = p.split("/")
            for d in range(1, len(parts) + 1):
                key = "/".join(parts[:d])
                total[key] = total.get(key, 0) + c
        paths = sorted(total, key=lambda s: (s.count("/") if s else -1, s))
        kept = {p for p in paths if p == "" or total[p] >= 2}

        def nearest() -> dict[str, str]:
            near = {"": ""}
            for p in paths[1:]:
                par = p.rpartition("/")[0]
                near[p] = par if par in kept else near[par]
            return near

        # A group that holds exactly what its parent holds is redundant: drop the outer one (keeps the
        # longer label) unless the parent is the root.
        near = nearest()
        for p in paths[1:]:
            if p in kept and total[p] == total[near[p]]:
                kept.discard(near[p] or p)
        near = nearest()
        order = [p for p in paths if p in kept]
        gid = {p: i for i, p in enumerate(order)}
        self.group_path = order
        self.group_parent = np.array([-1] + [gid[near[p]] for p in order[1:]], np.int64)
        self.group_label = ["(root)"] + [p[len(near[p]) + 1:] if near[p] else p for p in order[1:]]
        self.group_size = np.array([total[p] for p in order], np.int64)
        self.group_depth = np.zeros(len(order), np.int64)
        for g in range(1, len(order)):
            self.group_depth[g] = self.group_depth[self.group_parent[g]] + 1
        resolve = {p: gid[p if p in kept else near[p]] for p in prefixes}
        pref_group = np.array([resolve[p] for p in prefixes], np.int64)
        node_group = np.zeros(len(self.names), np.int64)
        node_group[: self.n_ops] = pref_group[node_prefix[: self.n_ops]] if self.n_ops else 0
        self.node_group = node_group

    # ---- queries --------------------------------------------------------------------------------------
    @property
    def n_nodes(self) -> int:
        return len(self.names)

    def value(self, name: str) -> ValueInfo:
        """Type and shape of a tensor name, from initializers, graph inputs/outputs and value_info."""
        t = self.initializers.get(name)
        if t is not None:
            return ValueInfo(name, dtype_name(t.data_type), tuple(t.dims), True)
        vi = self._typed.get(name)
        return _value_from_type(name, vi.type) if vi is not None else ValueInfo(name)

    def node_inputs(self, i: int) -> list[str]:
        if i < self.n_ops:
            return [s for s in self.protos[i].input if s]
        return [self.names[i]] if self.kinds[i] == KIND_OUTPUT else []

    def node_outputs(self, i: int) -> list[str]:
        if i < self.n_ops:
            return [s for s in self.protos[i].output if s]
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
        return self.protos[i].domain if i < self.n_ops else ""

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
            for i, op in enumerate(self.ops[: self.n_ops]):
                low = op.lower()
                if text in low:
                    add(i, "op", op, low == text)
        if field in ("", "name"):
            for i, name in enumerate(self.names):
                if text in name.lower():
                    add(i, "name", name)
        if field in ("", "tensor"):
            for i in range(self.n_ops):
                nd = self.protos[i]
                for t in (*nd.input, *nd.output):
                    if t and text in t.lower():
                        add(i, "tensor", t)
                        break
        if field in ("", "attr"):
            for i in range(self.n_ops):
                for attr in self.protos[i].attribute:
                    shown = f"{attr.name}={attribute_text(attr)}"
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


def load_graph(model: onnx.ModelProto) -> Graph:
    """The main graph of a model, knowing the model's local functions and opsets."""
    functions = {(f.domain, f.name): f for f in model.functions}
    opsets = {o.domain: o.version for o in model.opset_import}
    return Graph(model.graph, title=model.graph.name or "main", functions=functions, opsets=opsets)
