"""Node and parameter counts of a serialized model at C speed: the fast path of inspection.

Reading ``op_type`` and ``dims`` through protobuf's Python API costs ~0.5-2 us per node and per tensor,
several times the parse itself. Here the file is parsed with a *lite* schema that declares only what the
counts need (a node's op type, domain and attribute types; a tensor's dims and element type) next to the
model's real header, inputs, outputs and local functions. Unknown fields are then dropped and the lite graph is
serialized again: every node becomes a few bytes that say only ``(op_type, domain)``, every initializer only
``(dims, dtype)``. Counting those byte strings is one ``Counter`` call, and only the distinct ones (a few
dozen in a real model) are decoded.

Anything this path cannot describe exactly (subgraphs, sparse tensor attributes, external data, a parse that
fails) returns None and inspection takes the general path; errors are always reported by that path. Fields
this path does not declare are not parsed deeply: the checker (``inspect`` with shapes) judges validity.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

import onnx
from onnx import AttributeProto

from onnxstudio.core.dtypes import tensor_bytes
from onnxstudio.core.protolite import BYTES as _BYTES
from onnxstudio.core.protolite import INT32 as _INT32
from onnxstudio.core.protolite import INT64 as _INT64
from onnxstudio.core.protolite import MSG as _MSG
from onnxstudio.core.protolite import STRING as _STRING
from onnxstudio.core.protolite import Schema, message_classes
from onnxstudio.core.protowire import encode_varint

_PACKAGE = "onnxstudio.census"
_GRAPH_TYPES = frozenset({AttributeProto.GRAPH, AttributeProto.GRAPHS})
_ONNX = {"info": ".onnx.ValueInfoProto", "opset": ".onnx.OperatorSetIdProto", "entry": ".onnx.StringStringEntryProto",
         "function": ".onnx.FunctionProto", "sparse": ".onnx.SparseTensorProto"}


def _views(suffix: str, named: bool) -> dict[str, list[tuple[str, int, int, bool, str | None]]]:
    """Node/attribute/tensor/graph messages of one lite view; ``named``: tensors keep their name."""
    tensor = [("dims", 1, _INT64, True, None), ("data_type", 2, _INT32, False, None),
              ("external_data", 13, _BYTES, True, None), ("data_location", 14, _INT32, False, None)]
    if named:
        tensor.append(("name", 8, _BYTES, False, None))
    return {
        f"Tensor{suffix}": tensor,
        f"Attr{suffix}": [("type", 20, _INT32, False, None), ("t", 5, _MSG, False, f"Tensor{suffix}"),
                          ("tensors", 10, _MSG, True, f"Tensor{suffix}"), ("sparse_tensor", 22, _BYTES, False, None)],
        f"Node{suffix}": [("op_type", 4, _BYTES, False, None), ("attribute", 5, _MSG, True, f"Attr{suffix}"),
                          ("domain", 7, _BYTES, False, None)],
    }


# message -> fields (name, number, type, repeated, type name); numbers are onnx.proto's
_SCHEMA: Schema = {
    # 1. the file: the model's header as is; nodes and tensors reduced to what is counted, plus tensor names
    **_views("1", named=True),
    "Graph1": [("node", 1, _MSG, True, "Node1"), ("initializer", 5, _MSG, True, "Tensor1"),
               ("input", 11, _MSG, True, _ONNX["info"]), ("output", 12, _MSG, True, _ONNX["info"]),
               ("sparse_initializer", 15, _MSG, True, _ONNX["sparse"])],
    "Model": [("ir_version", 1, _INT64, False, None), ("producer_name", 2, _STRING, False, None),
              ("producer_version", 3, _STRING, False, None), ("domain", 4, _STRING, False, None),
              ("model_version", 5, _INT64, False, None), ("doc_string", 6, _STRING, False, None),
              ("graph", 7, _MSG, False, "Graph1"), ("opset_import", 8, _MSG, True, _ONNX["opset"]),
              ("metadata_props", 14, _MSG, True, _ONNX["entry"]),
              ("functions", 25, _MSG, True, _ONNX["function"])],
    # 2. that, re-read without tensor names: equal nodes and tensors serialize to equal bytes
    **_views("2", named=False),
    "Graph2": [("node", 1, _MSG, True, "Node2"), ("initializer", 5, _MSG, True, "Tensor2")],
    "Counted": [("graph", 7, _MSG, False, "Graph2")],
    # 3. initializer names only (a graph input may be an initializer: IR < 4 lists them as inputs)
    "NamedTensor": [("name", 8, _BYTES, False, None)],
    "NamesGraph": [("initializer", 5, _MSG, True, "NamedTensor")],
    "Names": [("graph", 7, _MSG, False, "NamesGraph")],
    # nodes and initializers of a re-serialized view, as raw bytes to count or collect
    "FlatGraph": [("node", 1, _BYTES, True, None), ("initializer", 5, _BYTES, True, None)],
    "Flat": [("graph", 7, _MSG, False, "FlatGraph")],
}


@cache
def _classes() -> dict[str, Any]:
    return message_classes("onnxstudio_census.proto", _PACKAGE, _SCHEMA)


@dataclass
class Census:
    """What inspection counts, for the main graph (which holds no subgraph) and the local functions."""

    model: Any  # the lite ModelProto: header, opsets, metadata, graph inputs/outputs, functions
    op_counts: Counter[tuple[str, str]]  # (domain, op_type) -> nodes of the main graph
    initializer_count: int
    parameter_count: int
    parameter_bytes: int
    initializer_names: set[str] | None  # the graph inputs that are initializers (None: no input or no initializer)


def _flat(view: Any) -> Any:
    """The graph of a lite view with its nodes and initializers as serialized bytes (unknown fields dropped)."""
    view.DiscardUnknownFields()
    return _classes()["Flat"].FromString(view.SerializeToString()).graph


def _external(t: Any) -> bool:
    return t.data_location == onnx.TensorProto.EXTERNAL or len(t.external_data) > 0


def census(data: bytes | memoryview) -> Census | None:
    """Counts of a serialized ModelProto, or None where the general path must describe it."""
    cls = _classes()
    try:
        model = cls["Model"].FromString(data)
        if not model.HasField("graph") or model.ir_version <= 0:
            return None
        model.DiscardUnknownFields()  # what stays of a node or tensor is what it is counted by (and names)
        reduced = model.SerializeToString()  # small: no weights, no node names or edges
        flat = _flat(cls["Counted"].FromString(reduced))
    except Exception:  # any parse problem: the general path reports it properly
        return None
    ops: Counter[tuple[str, str]] = Counter()
    node_cls, tensor_cls = cls["Node2"], cls["Tensor2"]
    for blob, n in Counter(flat.node).items():
        node = node_cls.FromString(blob)
        for a in node.attribute:
            if a.type in _GRAPH_TYPES or a.HasField("sparse_tensor") or _external(a.t) or any(map(_external, a.tensors)):
                return None  # subgraphs and attribute tensors in other files: the general path walks them
        try:
            op, domain = node.op_type.decode("utf-8"), node.domain.decode("utf-8")
        except UnicodeDecodeError:
            return None
        ops[(domain, op)] += n
    count = params = nbytes = 0
    for blob, n in Counter(flat.initializer).items():
        t = tensor_cls.FromString(blob)
        if _external(t):
            return None  # external data is validated by the general path
        elements = math.prod(t.dims)
        count += n
        params += n * elements
        nbytes += n * tensor_bytes(elements, t.data_type)
    for sp in model.graph.sparse_initializer:
        if _external(sp.values) or _external(sp.indices):
            return None
        elements = math.prod(sp.values.dims)
        count += 1
        params += elements
        nbytes += tensor_bytes(elements, sp.values.data_type)
    names = None
    keys = {vi.name: _name_field(vi.name) for vi in model.graph.input} if count else {}
    # ``reduced`` holds no weights and no node names: a search in it is cheap, and only where an input's name
    # may be an initializer's are the names read (exactly)
    if any(k in reduced for k in keys.values()):
        blobs = set(_flat(cls["Names"].FromString(reduced)).initializer)
        names = {name for name, k in keys.items() if k in blobs}
    return Census(model, ops, count, params, nbytes, names)


def _name_field(name: str | bytes) -> bytes:
    """``name`` as a serialized NamedTensor: field 8, length-delimited."""
    raw = name.encode("utf-8") if isinstance(name, str) else name
    return b"\x42" + encode_varint(len(raw)) + raw
