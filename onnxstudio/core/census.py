"""Node and parameter counts of a serialized model at C speed: the fast path of inspection.

Reading ``op_type`` and ``dims`` through protobuf's Python API costs ~0.5-2 us per node and per tensor,
several times the parse itself, and so does any per-node message (allocating it, discarding its other fields,
serializing it again). Here nothing is done per node or per tensor in Python:

1. the file is parsed once with a lite schema that declares every field of onnx.proto except the ones counted,
   and a *singular* message where onnx has the main graph's repeated ``node`` and ``initializer``: upb parses
   every node into one message and every initializer into another, and keeps the undeclared fields (a node's
   ``op_type`` and ``domain``, a tensor's ``dims`` and ``data_type``) as opaque bytes *in file order*.
   Clearing the declared fields and serializing leaves exactly those records, node after node and tensor
   after tensor. The op-type stream is tallied with numpy (exact counts per distinct record; only the distinct
   records are decoded: a few dozen in a real model), the tensor stream is decoded as varints with numpy;
2. the node records are counted by a second parse that stops at the first initializer (see
   :func:`_node_records`): weights are copied once, as ``onnx.load`` copies them.

Opaque bytes cost upb more than declared fields (~0.4 ms for 20k nodes' op types: the parse is then slower than
``onnx.load``'s). A model that imports no opset but the default domain's (most exports) is parsed with the nodes'
op types and domains declared as lists instead: their records come out of the merged node in order, and the
domains, all empty, are dropped; one that imports another domain keeps them as opaque bytes, each domain after
its op type (which node has which domain is known no other way). Which one is read from the model's top-level
records, without parsing its graph.

There must be one op type per node and one data type per initializer name. Within a node the op type must
come before the domain, within a tensor the dims before the data type: every protobuf serializer writes them
so (in field-number order, or in onnx.proto's declaration order), and a stream that starts otherwise is left to
the general path. Tensors held by nodes (Constant values) are counted the same way, from the merged
attributes' ``t``. Anything else this path cannot describe exactly (subgraphs, sparse or listed tensor
attributes, external data, a field that onnx.proto does not have, a parse that fails) returns None and inspection
takes the general path; errors are always reported by that path. Fields this path does not count are not looked
into: the checker (``inspect`` with shapes) judges validity.

Measured on a 20k-node transformer (14 MB), warm: ~9-11 ms against ~5-6 ms for ``onnx.load``; the census it
replaced took ~20 ms (a lite message per node and tensor, their other fields discarded, serialized and parsed
again).
"""

from __future__ import annotations

import contextlib
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import onnx
from google.protobuf.message import DecodeError

from onnxstudio.core.dtypes import bits_per_element, dtype_name, tensor_bytes
from onnxstudio.core.noderun import _Unusual, _varint, skip_field
from onnxstudio.core.protolite import BYTES as _BYTES
from onnxstudio.core.protolite import DOUBLE as _DOUBLE
from onnxstudio.core.protolite import FIXED64 as _FIXED64
from onnxstudio.core.protolite import FLOAT as _FLOAT
from onnxstudio.core.protolite import INT32 as _INT32
from onnxstudio.core.protolite import INT64 as _INT64
from onnxstudio.core.protolite import MSG as _MSG
from onnxstudio.core.protolite import STRING as _STRING
from onnxstudio.core.protolite import UINT64 as _UINT64
from onnxstudio.core.protolite import Schema, message_classes
from onnxstudio.core.protowire import encode_varint

_PACKAGE = "onnxstudio.census"
_ONNX = {"info": ".onnx.ValueInfoProto", "opset": ".onnx.OperatorSetIdProto", "entry": ".onnx.StringStringEntryProto",
         "function": ".onnx.FunctionProto", "sparse": ".onnx.SparseTensorProto"}
_OP_TYPE, _DOMAIN = 0x22, 0x3A  # NodeProto's op_type (4) and domain (7) record tags
_DIMS, _DATA_TYPE = 0x08, 0x10  # TensorProto's dims (1) and data_type (2), varints
_GRAPH_TYPE_RECORDS = (b"\xa0\x01\x05", b"\xa0\x01\x0a")  # AttributeProto.type (20) = GRAPH, GRAPHS
_TENSOR_TYPE_RECORD = b"\xa0\x01\x04"  # AttributeProto.type = TENSOR (TENSORS, 9, is left to the general path)


def _fields(repeated: tuple[tuple[str, int, int], ...] = (), single: tuple[tuple[str, int, int], ...] = ()
            ) -> list[tuple[str, int, int, bool, str | None]]:
    """Scalar fields. Singular where nothing reads them: in a merged message each occurrence then overwrites the
    last instead of growing a list (~10% of the parse)."""
    return [(name, number, ftype, True, None) for name, number, ftype in repeated] + \
        [(name, number, ftype, False, None) for name, number, ftype in single]


# message -> fields (name, number, type, repeated, type name); numbers are onnx.proto's. Numeric data stays
# repeated: a repeated scalar accepts both the packed and the unpacked encoding, a singular one only the latter.
_SCHEMA: Schema = {
    # 1. every TensorProto field but dims and data_type, every NodeProto field but op_type and domain
    "Tensor": _fields(repeated=(("float_data", 4, _FLOAT), ("int32_data", 5, _INT32), ("int64_data", 7, _INT64),
                                ("name", 8, _BYTES), ("double_data", 10, _DOUBLE), ("uint64_data", 11, _UINT64),
                                ("external_data", 13, _BYTES), ("data_location", 14, _INT32)),
                      single=(("segment", 3, _BYTES), ("string_data", 6, _BYTES), ("raw_data", 9, _BYTES),
                              ("doc_string", 12, _BYTES), ("metadata_props", 16, _BYTES))),
    "Attribute": [*_fields(repeated=(("g", 6, _BYTES), ("floats", 7, _FLOAT), ("ints", 8, _INT64),
                                     ("graphs", 11, _BYTES), ("type", 20, _INT32), ("sparse_tensor", 22, _BYTES),
                                     ("sparse_tensors", 23, _BYTES)),
                           single=(("name", 1, _BYTES), ("f", 2, _FLOAT), ("i", 3, _INT64), ("s", 4, _BYTES),
                                   ("strings", 9, _BYTES), ("doc_string", 13, _BYTES), ("tp", 14, _BYTES),
                                   ("type_protos", 15, _BYTES), ("ref_attr_name", 21, _BYTES))),
                  ("t", 5, _MSG, False, "Tensor"), ("tensors", 10, _MSG, False, "Tensor")],
    "Node": [*_fields(single=(("input", 1, _BYTES), ("output", 2, _BYTES), ("name", 3, _BYTES),
                              ("doc_string", 6, _BYTES), ("overload", 8, _BYTES), ("metadata_props", 9, _BYTES),
                              ("device_configurations", 10, _BYTES))),
             ("attribute", 5, _MSG, False, "Attribute")],
    "Graph": [("node", 1, _MSG, False, "OpsNode"), ("initializer", 5, _MSG, False, "Tensor"),
              ("input", 11, _MSG, True, _ONNX["info"]), ("output", 12, _MSG, True, _ONNX["info"]),
              ("sparse_initializer", 15, _MSG, True, _ONNX["sparse"]),
              *_fields(single=(("name", 2, _BYTES), ("doc_string", 10, _BYTES), ("value_info", 13, _BYTES),
                               ("quantization_annotation", 14, _BYTES), ("metadata_props", 16, _BYTES)))],
    # 1b (OpsNode, below): the nodes' op types and domains declared as lists. Where a domain is not empty, the op
    # types again, as opaque bytes with their domains, up to the first initializer (see _node_records)
    "OpsGraph": [("node", 1, _MSG, False, "Node"), *_fields(repeated=(("initializer", 5, _FIXED64),),
                                                            single=(("name", 2, _BYTES),))],
    "OpsModel": [("graph", 7, _MSG, False, "OpsGraph")],
    "Model": [("ir_version", 1, _INT64, False, None), ("producer_name", 2, _STRING, False, None),
              ("producer_version", 3, _STRING, False, None), ("domain", 4, _STRING, False, None),
              ("model_version", 5, _INT64, False, None), ("doc_string", 6, _STRING, False, None),
              ("graph", 7, _MSG, False, "Graph"), ("opset_import", 8, _MSG, True, _ONNX["opset"]),
              ("metadata_props", 14, _MSG, True, _ONNX["entry"]),
              ("functions", 25, _MSG, True, _ONNX["function"])],
    # 2. the main graph's node records, counted; its first initializer, read as packed fixed64, ends the parse
    "CountedGraph": _fields(repeated=(("node", 1, _BYTES), ("initializer", 5, _FIXED64)),
                            single=(("name", 2, _BYTES),)),
    "Counted": [("graph", 7, _MSG, False, "CountedGraph")],
}
# 1b. the main graph's nodes with their op types and domains declared: kept in lists, not as opaque bytes (~0.4 ms
# less for 20k nodes)
_SCHEMA["OpsNode"] = [*_fields(repeated=(("op_type", 4, _BYTES), ("domain", 7, _BYTES))), *_SCHEMA["Node"]]
# 1c. a model that imports an opset of another domain: its nodes' op types and domains as opaque bytes (each domain
# after its op type), in the one parse
_SCHEMA["DomainsGraph"] = [("node", 1, _MSG, False, "Node") if f[0] == "node" else f for f in _SCHEMA["Graph"]]
_SCHEMA["DomainsModel"] = [("graph", 7, _MSG, False, "DomainsGraph") if f[0] == "graph" else f
                           for f in _SCHEMA["Model"]]
_DECLARED = {name: [f[0] for f in fields] for name, fields in _SCHEMA.items()}
_DEFAULT_DOMAINS = ("", "ai.onnx")


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
    constants: tuple[int, int, int]  # (tensors, elements, bytes) held by the main graph's nodes (Constant values)


def _external(t: Any) -> bool:
    """Whether a merged tensor (every data_location of its tensors) or a real TensorProto uses external data."""
    locations = t.data_location
    external = onnx.TensorProto.EXTERNAL
    return len(t.external_data) > 0 or (external in locations if not isinstance(locations, int) else
                                        locations == external)


def _undeclared(message: Any, kind: str, keep: tuple[str, ...] = ()) -> bytes:
    """``message``'s undeclared fields, serialized in the order they were read (its declared ones cleared)."""
    for name in _DECLARED[kind]:
        if name not in keep:
            message.ClearField(name)
    return message.SerializeToString()


def census(data: bytes | memoryview) -> Census | None:
    """Counts of a serialized ModelProto, or None where the general path must describe it."""
    cls = _classes()
    domains = _imports_other_domains(data)
    try:
        model = cls["DomainsModel" if domains else "Model"].FromString(data)
    except Exception:  # any parse problem: the general path reports it properly
        return None
    if not model.HasField("graph") or model.ir_version <= 0:
        return None
    graph = model.graph
    nodes, tensors, attributes = graph.node, graph.initializer, graph.node.attribute
    tensor_count = len(tensors.name)  # every initializer has a name: as many data types must be found
    if (len(attributes.g) or len(attributes.graphs) or len(attributes.sparse_tensor) or
            len(attributes.sparse_tensors) or attributes.HasField("tensors") or _external(attributes.t) or
            _external(tensors)):
        return None  # subgraphs, sparse attribute tensors, tensor lists, external weights: the general path
    held = _undeclared(attributes.t, "Tensor") if attributes.HasField("t") else b""  # Constant values...
    types = _undeclared(attributes, "Attribute", keep=("type",))
    if any(r in types for r in _GRAPH_TYPE_RECORDS):
        return None  # a graph attribute without its graph: the general path counts it as an (empty) subgraph
    constants = _parameters(held, types.count(_TENSOR_TYPE_RECORD))  # one data type per TENSOR attribute
    if constants is None:
        return None
    records = _node_records(data)
    if not domains and len(nodes.op_type) != records:
        return None  # a node without an op type or with two, nodes after the initializers: the general path
    ops = _op_counts(_undeclared(nodes, "Node") if domains else _op_types(nodes, data), records)
    if ops is None:
        return None
    names = None
    keys = {vi.name: _name_field(vi.name) for vi in graph.input} if tensor_count else {}
    # a graph input may be an initializer (IR < 4 lists them as inputs): with a few inputs, one pass over the
    # serialized names looks for all of them; with many (every weight listed), the names are read
    if keys and (len(keys) > 16 or re.search(b"|".join(map(re.escape, keys.values())),
                                             _undeclared(tensors, "Tensor", keep=("name",)))):
        listed = set(tensors.name)
        names = {name for name in keys if (name.encode() if isinstance(name, str) else name) in listed}
    params = _parameters(_undeclared(tensors, "Tensor"), tensor_count)
    if params is None:
        return None
    count, elements, nbytes = params
    for sp in graph.sparse_initializer:
        if _external(sp.values) or _external(sp.indices):
            return None
        n = math.prod(sp.values.dims)
        count += 1
        elements += n
        nbytes += tensor_bytes(n, sp.values.data_type)
    return Census(model, ops, count, elements, nbytes, names, constants)


def _imports_other_domains(data: bytes | memoryview) -> bool:
    """Whether the model imports an opset of a domain other than the default one, from its top-level records (a
    few: the graph is skipped, not parsed); True where they cannot be walked (the parse that copes with any
    domain)."""
    try:
        at, end = 0, len(data)
        while at < end:
            if data[at] != 0x42:  # not an opset_import (8, length-delimited)
                at = skip_field(data, at)
                continue
            length, at = _varint(data, at + 1)
            if onnx.OperatorSetIdProto.FromString(data[at:at + length]).domain not in _DEFAULT_DOMAINS:
                return True
            at += length
        return at != end
    except (IndexError, _Unusual, DecodeError):
        return True


def _op_types(nodes: Any, data: bytes | memoryview) -> bytes:
    """The records ``op_type [domain]`` of every node in turn, from the merged nodes (op types and domains in
    lists): where every domain is empty (or none is written), the op types' records alone; otherwise the file's
    nodes are parsed again with both undeclared, which keeps each domain after its op type (up to the first
    initializer, as :func:`_node_records` counts them: the caller made sure that no node comes after it)."""
    domains = len(nodes.domain)
    stream = _undeclared(nodes, "OpsNode", keep=("op_type", "domain"))  # op types, then domains: field order
    empty = b"\x3a\x00" * domains
    if stream.endswith(empty):
        return stream[:len(stream) - len(empty)]
    again = _classes()["OpsModel"]()
    with contextlib.suppress(DecodeError):
        again.MergeFromString(data)
    return _undeclared(again.graph.node, "Node")


def _node_records(data: bytes | memoryview) -> int:
    """How many node records the main graph has, without copying its weights.

    Nodes come first in a GraphProto (every serializer writes fields in number order), initializers after
    them. The counting schema declares ``initializer`` as packed fixed64: the first initializer whose length
    is not a multiple of 8 makes upb stop with an error, and what it read until then (every node) stays in the
    message. A file with nodes after its initializers gets a smaller count than its op types: the general path.
    """
    counted = _classes()["Counted"]()
    with contextlib.suppress(DecodeError):
        counted.MergeFromString(data)
    return len(counted.graph.node)


def _name_field(name: str | bytes) -> bytes:
    """``name`` as a serialized TensorProto name: field 8, length-delimited."""
    raw = name.encode("utf-8") if isinstance(name, str) else name
    return b"\x42" + encode_varint(len(raw)) + raw


def _op_counts(stream: bytes, nodes: int) -> Counter[tuple[str, str]] | None:
    """(domain, op_type) -> nodes, from the records ``op_type [domain]`` of every node in turn."""
    tally = tally_records(stream, _OP_TYPE)
    if tally is None or sum(tally.values()) != nodes:
        return None  # a node without an op type, or with two
    ops: Counter[tuple[str, str]] = Counter()
    for record, n in tally.items():
        op, rest = _string(record, 0)
        domain = ""
        if rest < len(record):
            if record[rest] != _DOMAIN:
                return None
            domain, rest = _string(record, rest + 1)
        if op is None or domain is None or rest != len(record):
            return None  # a field out of the usual order, a length that hid a separator, not UTF-8
        ops[(domain, op)] += n
    return ops


def _string(record: bytes, at: int) -> tuple[Any, int]:
    """The UTF-8 string whose length varint starts at ``at``, and where it ends; (None, -1) if there is none."""
    try:
        length, at = _varint(record, at)
    except (IndexError, _Unusual):
        return None, -1
    if at + length > len(record):
        return None, -1
    try:
        return record[at:at + length].decode("utf-8"), at + length
    except UnicodeDecodeError:
        return None, -1


_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(9)], np.uint64)  # the low n bytes of a word
_WIDEST = 64  # records longer than this (an op type and domain of 60+ characters) are counted with a Counter


def tally_records(stream: bytes, separator: int) -> dict[bytes, int] | None:
    """Each distinct record of ``stream`` (the bytes after each ``separator`` byte, up to the next one) and how
    many times it occurs; None if ``stream`` does not start with ``separator``.

    No Python object is made per record. A record is read as 8-byte words that cover it exactly: its first
    word (bytes past its end zeroed), its last word (ending where it ends) and, for records over 16 bytes, the
    words in between. Records are put in buckets by a hash of their words and every record is compared with one
    of its bucket, so the counts are exact (where two kinds of record share buckets: a Counter counts them).
    20k records take ~0.8 ms, a ``Counter`` of their bytes ~2 ms.
    """
    if not stream:
        return {}
    a = np.frombuffer(stream, np.uint8)
    starts = np.flatnonzero(a == separator)
    if len(starts) == 0 or starts[0] != 0:
        return None
    lengths = np.diff(starts, append=len(a)) - 1
    longest = int(lengths.max())
    if longest > _WIDEST:
        return _counted(stream, separator)
    padded = np.zeros(8 + len(a) + longest + 16, np.uint8)
    padded[8:8 + len(a)] = a  # 8 bytes before: a short record's "last word" may start before the stream
    at = np.ndarray((len(padded) - 7,), "<u8", padded, strides=(1,))  # a little-endian word at every offset
    first = starts + 9  # where each record's bytes start in ``padded``
    words = [at[first] & _LOW_BYTES[np.minimum(lengths, 8)]]  # records of up to 8 bytes: this word says all
    if longest > 8:
        words.append(at[first + lengths - 8] * (lengths >= 8))
        words += [at[first + 8 * i] * (lengths >= 8 * i + 8) for i in range(1, (longest - 9) // 8 + 1)]
    with np.errstate(over="ignore"):
        key = lengths.astype(np.uint64)
        for w in words:
            key = key * np.uint64(0x9E3779B97F4A7C15) + w
    for shift in (51, 38, 25, 12):  # 8,192 buckets by 13 bits of the hash; on a clash, by 13 others
        bucket = ((key >> np.uint64(shift)) & np.uint64(0x1FFF)).astype(np.intp)
        one = np.zeros(8192, np.int32)  # small: numpy's larger buffers cost page faults on every call
        one[bucket] = np.arange(len(starts), dtype=np.int32)  # a record of each bucket (whichever is written last)
        of_bucket = one[bucket]
        if all((w == w[of_bucket]).all() for w in [lengths, *words]):
            counts = np.bincount(bucket, minlength=8192)
            used = np.flatnonzero(counts)
            index = one[used]
            return {stream[s + 1:s + 1 + n]: int(c) for s, n, c in
                    zip(starts[index].tolist(), lengths[index].tolist(), counts[used].tolist(), strict=True)}
    return _counted(stream, separator)


def _counted(stream: bytes, separator: int) -> dict[bytes, int]:
    counts = Counter(stream.split(bytes([separator])))
    counts[b""] -= 1  # before the first separator
    return dict(+counts)


def _varints(stream: bytes) -> tuple[np.ndarray, np.ndarray] | None:
    """Tags and values of a stream of (one-byte tag, varint) records; None if it is not one."""
    a = np.frombuffer(stream, np.uint8)
    if len(a) % 2 == 0 and int(a.max(initial=0)) < 0x80:  # every tag and value one byte: they alternate
        return a[0::2], a[1::2].astype(np.int64)
    ends = np.flatnonzero(a < 0x80)
    if len(ends) == 0 or len(ends) % 2 or ends[-1] != len(a) - 1:
        return None
    starts = np.empty_like(ends)
    starts[0], starts[1:] = 0, ends[:-1] + 1
    tag_starts, value_starts, value_ends = starts[0::2], starts[1::2], ends[1::2]
    if (ends[0::2] != tag_starts).any() or (value_ends - value_starts >= 10).any():
        return None  # a tag of two bytes (a field onnx.proto does not have), a varint too long
    tags = a[tag_starts]
    if (value_ends == value_starts).all():
        return tags, a[value_starts].astype(np.int64)
    position = np.arange(len(a)) - np.repeat(starts, ends - starts + 1)
    with np.errstate(over="ignore"):
        parts = (a.astype(np.uint64) & np.uint64(0x7F)) << (np.uint64(7) * position.astype(np.uint64))
        values = np.add.reduceat(parts, starts, dtype=np.uint64)[1::2].view(np.int64)
    return tags, values


def _parameters(stream: bytes, tensors: int) -> tuple[int, int, int] | None:
    """(tensors, elements, bytes) from the records ``dims... data_type`` of every tensor in turn."""
    if not stream:
        return (0, 0, 0) if tensors == 0 else None
    decoded = _varints(stream)
    if decoded is None:
        return None
    tags, values = decoded
    is_type = tags == _DATA_TYPE
    ends = np.flatnonzero(is_type)  # each tensor's last record: its data type
    if len(ends) != tensors or ends[-1] != len(tags) - 1 or not (is_type | (tags == _DIMS)).all():
        return None  # packed dims, a tensor without a data type or with two (or without a name)
    if int(values.min()) < 0:
        return None  # a negative dim: the general path multiplies it as it is
    starts = np.empty_like(ends)
    starts[0], starts[1:] = 0, ends[:-1] + 1
    factors = np.where(is_type, 1, values)  # a tensor's dims, and 1 for its data type: never an empty product
    if int(factors.max()) ** int((ends - starts).max()) >= 2**56 and \
            np.add.reduceat(np.log2(np.maximum(factors, 1)), starts).max() >= 56:
        return None  # products that could overflow int64: the general path counts with Python's integers
    elements = np.multiply.reduceat(factors, starts)
    types = values[ends]
    bits = _bits_per_element()
    if int(types.max()) >= len(bits):
        return None
    return tensors, int(elements.sum()), int(((elements * bits[types] + 7) // 8).sum())


@cache
def _bits_per_element() -> np.ndarray:
    """Bits of one element of each ONNX element type (index: TensorProto.DataType), 0 where unknown."""
    return np.array([bits_per_element(dtype_name(t)) for t in range(64)], np.int64)
