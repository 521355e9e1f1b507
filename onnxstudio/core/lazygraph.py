"""The main graph of a large model kept as byte ranges: its nodes and initializers are parsed when asked for.

A full ``ModelProto`` of a 100k-node convnet with 178k small embedded weights holds ~290 MB in upb's arena
(tensor bytes plus ~180 MB of node, attribute and tensor messages), on top of the mapped file while it is read.
The graph view needs none of those messages up front: node names, op types and edges come from
:mod:`noderun`'s columns, initializers are only looked up by name, and a node's attributes or a tensor's
dims are read when the user looks at them. So for large graphs (:data:`LAZY_MIN_RECORDS`) the loader:

1. walks the GraphProto's records once (Python, tight loops over the run of nodes and the runs of
   initializers; what follows them is taken whole, unwalked), keeping each node's and initializer's position;
2. reads the initializers' names ~8 MB at a time with a lite schema whose ``initializer`` is a *singular*
   message (upb merges them: one C call per chunk), which also shows any external-data field; pages of the
   mapped file are given back 16 MB at a time as this goes;
3. parses the model without the main graph's nodes, initializers and value_info (inputs, outputs, functions,
   metadata: small); nodes and initializers stay in the file (``LazyNodes``: blocks of records read and
   parsed on access; ``LazyTensors``: one tensor at a time, without the data of large ones unless asked for),
   value_info as serialized records (``LazyValueInfos``); the readers are in :mod:`lazyread`.

Anything unusual (nodes not in one run, a graph field written twice, nodes or initializers after the other
fields, external data, an unnamed tensor, unknown wire types, a parse error) returns None and the caller
parses the whole model as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

import numpy as np
import onnx

from onnxstudio.core.filemap import contains, release
from onnxstudio.core.noderun import _record_run, _Unusual, _varint, skip_field
from onnxstudio.core.protolite import BYTES, INT32, MSG, STRING, message_classes
from onnxstudio.core.protowire import encode_varint

LAZY_MIN_SIZE = 32 * 2**20  # smaller files parse whole in well under 0.1 s and a few tens of MB
LAZY_MIN_RECORDS = 50_000  # nodes + initializers: fewer messages cost little to hold
_NODE_TAG, _INIT_TAG, _GRAPH_FIELD = 0x0A, 0x2A, 7
_TENSOR_NAME, _TENSOR_EXTERNAL, _TENSOR_LOCATION = 8, 13, 14
_BIG_RECORD = 2**20  # larger tensor records are read field by field for their names
_NAME_CHUNK = 8 * 2**20  # initializer records parsed per C call for their names
_SEGMENT = 16 * 2**20  # initializer records walked, named and given back at a time


def _names_class() -> Any:
    return _classes()["Initializers"]


@cache
def _classes() -> dict[str, Any]:
    """Every class of the schema, kept: a class dropped (TensorNames) is freed by a later garbage collection
    that then takes ~20 ms, in the middle of a frame."""
    return message_classes("onnxstudio_lazygraph.proto", "onnxstudio.lazygraph", {
        "TensorNames": [("name", _TENSOR_NAME, STRING, True, None),
                        ("external_data", _TENSOR_EXTERNAL, BYTES, True, None),
                        ("data_location", _TENSOR_LOCATION, INT32, True, None)],
        "Initializers": [("initializer", 5, MSG, False, "TensorNames")],
        # the graph's other fields with value_info apart, as serialized records (parsed when asked for)
        "RestParts": [("value_info", 13, BYTES, True, None)],
    })


@dataclass
class GraphSplit:
    """A ModelProto's bytes taken apart (see the module docstring); offsets are the file's."""

    model_bytes: bytes  # the model without the main graph's nodes and initializers
    node_run: tuple[int, int]  # where the node records (tag, length, body) lie, one after the other
    node_starts: np.ndarray  # each node body's offset
    node_lengths: np.ndarray
    init_starts: np.ndarray  # each initializer body's offset
    init_lengths: np.ndarray
    initializer_names: list[str]
    rest: bytes  # the graph's other fields (inputs, outputs, value_info, ...)
    value_infos: list[bytes]  # each value_info record, kept out of model_bytes


def split_graph(data: Any, min_records: int | None = None) -> GraphSplit | None:
    """``data`` (a serialized ModelProto) taken apart, or None when it has fewer than ``min_records`` nodes
    and initializers (:data:`LAZY_MIN_RECORDS`) or is laid out unusually."""
    try:
        return _split(data, LAZY_MIN_RECORDS if min_records is None else min_records)
    except Exception:  # _Unusual, a read past the end, a parse error: the general path reads (or refuses) it
        return None


def _split(data: Any, min_records: int) -> GraphSplit | None:
    end = len(data)
    pos = 0
    graph: tuple[int, int] | None = None
    others: list[tuple[int, int]] = []
    while pos < end:
        start = pos
        key, body = _varint(data, pos)
        if key == (_GRAPH_FIELD << 3 | 2):
            if graph is not None:
                return None  # two graph fields are merged by protobuf: leave that to it
            length, body = _varint(data, body)
            graph = (body, body + length)
            pos = body + length
        else:
            pos = skip_field(data, start)
            others.append((start, pos))
    if graph is None or pos != end:
        return None
    g_start, g_end = graph
    node_run: tuple[int, int] | None = None
    node_starts: list[int] = []
    node_lengths: list[int] = []
    init_starts: list[int] = []
    init_lengths: list[int] = []
    names: list[str] = []  # of init_starts[:len(names)]
    rest: list[tuple[int, int]] = []
    pos = g_start
    while pos < g_end:
        tag = data[pos]
        if tag == _NODE_TAG:
            if node_run is not None:
                return None  # nodes split around other fields
            run_end, starts, lengths = _record_run(data, pos, g_end, _NODE_TAG)
            node_run = (pos, run_end)
            node_starts, node_lengths = starts, lengths
            pos = run_end
        elif tag == _INIT_TAG:
            # ~16 MB of records at a time; once the graph is known to be large, their names are read at once
            # and their pages given back, so the mapped file never sits in memory whole
            while True:
                seg = pos
                pos, starts, lengths = _record_run(data, pos, g_end, _INIT_TAG, seg + _SEGMENT)
                init_starts += starts
                init_lengths += lengths
                if len(node_starts) + len(init_starts) >= min_records:
                    more = _tensor_names(data, np.asarray(init_starts[len(names):], np.int64),
                                         np.asarray(init_lengths[len(names):], np.int64))
                    if more is None:
                        return None
                    names += more
                    release(data, seg, pos)
                if not (pos < g_end and data[pos] == _INIT_TAG):
                    break
        elif node_run is not None and init_starts:
            # the rest (inputs, outputs, value_info, ...) is kept whole without a walk (~0.5 us per value_info
            # record); the parse of the model's bytes shows whether nodes or initializers hid in it
            rest.append((pos, g_end))
            pos = g_end
        elif tag < 0x80 and tag & 7 == 2:  # a run of inputs, outputs, value_info, ...: kept as one range
            start = pos
            pos = _record_run(data, pos, g_end, tag)[0]
            rest.append((start, pos))
        else:
            start = pos
            pos = skip_field(data, pos)
            rest.append((start, pos))
    if pos != g_end or node_run is None or len(node_starts) + len(init_starts) < min_records:
        return None
    i_starts = np.asarray(init_starts, np.int64)
    i_lengths = np.asarray(init_lengths, np.int64)
    if len(names) < len(init_starts):
        more = _tensor_names(data, i_starts[len(names):], i_lengths[len(names):])
        if more is None:
            return None
        names += more
    if not _names_match(data, i_starts, i_lengths, names):
        return None
    rest_bytes = b"".join(bytes(data[a:b]) for a, b in rest)
    if contains(data, b"location", *node_run) or rest_bytes.find(b"location") != -1:
        return None  # a tensor attribute or sparse initializer may use external data: the general path checks
    # value_info apart: 100k parsed entries hold ~35 MB in upb's arena, their records ~12 MB
    parts = _classes()["RestParts"].FromString(rest_bytes)
    value_infos = list(parts.value_info)
    parts.ClearField("value_info")
    graph_bytes = parts.SerializeToString()  # the fields it does not declare, as they were
    del parts
    head = b"".join(bytes(data[a:b]) for a, b in others)
    model_bytes = head + encode_varint(_GRAPH_FIELD << 3 | 2) + encode_varint(len(graph_bytes)) + graph_bytes
    return GraphSplit(model_bytes, node_run, np.asarray(node_starts, np.int64), np.asarray(node_lengths, np.int64),
                      i_starts, i_lengths, names, rest_bytes, value_infos)


def _tensor_names(data: Any, starts: np.ndarray, lengths: np.ndarray) -> list[str] | None:
    """Each TensorProto's name, or None if a tensor has no name or two, or refers to external data (the
    general path validates it).

    Runs of records are parsed ~8 MB at a time with a lite schema whose ``initializer`` is a *singular*
    message: upb merges them, so each chunk's names come out in one C call and the copy of what it does not
    declare (the weights) is never bigger than a chunk. A record over 1 MB is read field by field.
    """
    n = len(starts)
    ends = starts + lengths
    head = 1 + np.ones(n, np.int64)  # the tag and the length's varint
    for bits in (7, 14, 21, 28, 35):
        head += lengths >= 1 << bits
    hstart = starts - head
    big = lengths > _BIG_RECORD
    cut = np.zeros(n + 1, bool)
    cut[0] = cut[n] = True
    cut[1:n] = (hstart[1:] != ends[:-1]) | big[1:] | big[:-1]
    cum = np.cumsum(lengths + head)
    cut[1:n] |= cum[:-1] // _NAME_CHUNK != cum[1:] // _NAME_CHUNK
    bounds = np.flatnonzero(cut).tolist()
    hs, es, bigs = hstart.tolist(), ends.tolist(), big.tolist()
    cls = _names_class()
    names: list[str] = []
    for a, b in pairwise(bounds):
        if b - a == 1 and bigs[a]:
            name = _big_tensor_name(data, int(starts[a]), es[a])
            if name is None:
                return None
            names.append(name)
            continue
        merged = cls.FromString(data[hs[a]:es[b - 1]]).initializer
        if len(merged.name) != b - a or len(merged.external_data) or len(merged.data_location):
            return None
        names += merged.name
    return names


def _names_match(data: Any, starts: np.ndarray, lengths: np.ndarray, names: list[str]) -> bool:
    """Tensors spread over the graph (first and last included), parsed whole, have the names found."""
    n = len(names)
    for i in sorted({0, n - 1, *np.linspace(0, n - 1, min(256, n)).astype(int).tolist()}) if n else []:
        s, length = int(starts[i]), int(lengths[i])
        if length <= _BIG_RECORD and onnx.TensorProto.FromString(data[s:s + length]).name != names[i]:
            return False
    return True


def _big_tensor_name(data: Any, start: int, end: int) -> str | None:
    """The name of one tensor record, its fields walked in Python (the data is skipped, not read)."""
    name = None
    pos = start
    while pos < end:
        key, body = _varint(data, pos)
        if key >> 3 in (_TENSOR_EXTERNAL, _TENSOR_LOCATION):
            return None
        nxt = skip_field(data, pos)
        if key == (_TENSOR_NAME << 3 | 2):
            if name is not None:
                return None
            length, body = _varint(data, body)
            raw = bytes(data[body:body + length])
            try:
                name = raw.decode()
            except UnicodeDecodeError:
                return None
        pos = nxt
    if pos != end:
        raise _Unusual
    return name
