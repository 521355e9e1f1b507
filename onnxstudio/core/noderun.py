"""The main graph's node names, op types, domains, inputs, outputs (and initializer and value_info names) as
flat lists, read at C speed.

Reading them through protobuf's Python API costs a wrapper per node and a container per ``input`` and
``output`` list: ~0.5 s on a 100k-node graph, more than the parse. Here the serialized graph is read again:

1. the run of node records at the start of the GraphProto (protobuf writers emit fields in number order, and
   ``node`` is field 1) is walked once for each record's position and length;
2. that byte range is parsed with a lite schema whose ``node`` is a *singular* message of repeated strings,
   so upb merges all nodes into one message and each list comes out in one C call;
3. how many inputs and outputs (and whether a name, op type and domain) each node has is counted by walking
   every node's fields in lockstep with numpy, one step per field position rather than per node;
4. the rest of the graph (initializers, value_info, ...) is parsed the same way for their names.

Everything is cross-checked (counts, list lengths against the counted fields, and nodes spread over the graph
compared field by field with the parsed model: :func:`verify`); anything unusual (nodes not contiguous, unknown wire types, a field repeated that must not be) returns None and the
caller reads the model through the Python API as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from onnxstudio.core.protolite import BYTES, INT32, MSG, STRING, message_classes

_PACKAGE = "onnxstudio.noderun"
_SCHEMA = {
    "NodeColumns": [("input", 1, STRING, True, None), ("output", 2, STRING, True, None),
                    ("name", 3, STRING, True, None), ("op_type", 4, STRING, True, None),
                    ("domain", 7, STRING, True, None), ("attribute", 5, MSG, False, "AttributeKinds")],
    # every attribute of every node merged: their types, and any graph at all (an attribute without a type)
    "AttributeKinds": [("type", 20, INT32, True, None), ("g", 6, BYTES, True, None),
                       ("graphs", 11, BYTES, True, None)],
    "NodeRun": [("node", 1, MSG, False, "NodeColumns")],
    # what follows the nodes: initializer and value_info names
    "InitColumns": [("name", 8, STRING, True, None)],
    "ValueColumns": [("name", 1, STRING, True, None)],
    "GraphTail": [("initializer", 5, MSG, False, "InitColumns"), ("value_info", 13, MSG, False, "ValueColumns")],
}
# NodeProto's fields are 1..10, all length-delimited (strings and messages)
_MAX_FIELD = 10
_GRAPH_KINDS = frozenset({5, 10})  # AttributeProto.GRAPH, GRAPHS
_SLOW_TAIL = 64  # nodes still being walked when the lockstep loop hands over to a per-node loop
_PARSE_CHUNK = 4 * 2**20  # node records parsed per C call: its copy of the strings is freed and reused
TAIL_LIMIT = 16 * 2**20  # a passing copy of at most this much (more weighs on the peak more than it saves)


@cache
def _classes() -> dict[str, Any]:
    return message_classes("onnxstudio_noderun.proto", _PACKAGE, _SCHEMA)


@dataclass
class NodeColumns:
    """Per node (in graph order): name, op type, domain ("" where absent); inputs and outputs flattened,
    with each node's count. Strings that are not valid UTF-8 come back as bytes, as from the Python API."""

    names: list[str]
    op_types: list[str]
    domains: list[str]
    inputs: list[str]
    outputs: list[str]
    n_inputs: np.ndarray
    n_outputs: np.ndarray
    # what follows the nodes, None where it was not read (see read_columns):
    initializer_names: list[str] | None  # the main graph's, in order
    value_info_names: list[str] | None
    graph_attrs: bool | None = None  # whether any node has a graph attribute (If, Loop, Scan, ...)


class _Unusual(Exception):
    """The bytes are not laid out as this reader expects: the caller takes the general path."""


def _varint(buf: Any, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise _Unusual


def skip_field(buf: Any, pos: int) -> int:
    """Where the field starting at ``pos`` ends (raises _Unusual for groups and unknown wire types)."""
    key, pos = _varint(buf, pos)
    wire = key & 7
    if wire == 0:
        return _varint(buf, pos)[1]
    if wire == 1:
        return pos + 8
    if wire == 5:
        return pos + 4
    if wire == 2:
        length, pos = _varint(buf, pos)
        return pos + length
    raise _Unusual


def _graph_span(buf: Any) -> tuple[int, int]:
    """Where the ModelProto's graph (field 7) lies in ``buf``."""
    pos, end = 0, len(buf)
    span = None
    while pos < end:
        key, pos = _varint(buf, pos)
        wire = key & 7
        if wire == 2:
            length, pos = _varint(buf, pos)
            if key >> 3 == 7:
                span = (pos, pos + length)  # a repeated singular field: the last one wins, as when parsing
            pos += length
        elif wire == 0:
            _, pos = _varint(buf, pos)
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        else:
            raise _Unusual
    if span is None or pos != end:
        raise _Unusual
    return span


def _node_run(buf: Any, start: int, end: int) -> tuple[int, list[int], list[int]]:
    """The records of field 1 (nodes) from ``start``: where the run ends, each body's start and length."""
    return _record_run(buf, start, end, 0x0A)


def _record_run(buf: Any, start: int, end: int, tag: int, stop: int | None = None) -> tuple[int, list[int], list[int]]:
    """The run of length-delimited records with the one-byte key ``tag`` from ``start``: where it ends, each
    body's start and length. ``stop``: end early at the first record from that offset on."""
    starts: list[int] = []
    lengths: list[int] = []
    add_start, add_length = starts.append, lengths.append
    pos = start
    limit = end if stop is None else min(end, stop)
    while pos < limit and buf[pos] == tag:
        b = buf[pos + 1]
        if b < 0x80:
            length, pos = b, pos + 2
        elif (c := buf[pos + 2]) < 0x80:  # 128 bytes to 16 kB: most nodes with attributes
            length, pos = (b & 0x7F) | c << 7, pos + 3
        else:
            length, pos = _varint(buf, pos + 1)
        add_start(pos)
        add_length(length)
        pos += length
    if pos > end:
        raise _Unusual
    return pos, starts, lengths


def _field_counts(data: Any, starts: list[int], lengths: list[int]) -> np.ndarray:
    """counts[f, i]: how many times field ``f`` occurs in node ``i``'s body.

    Every node's fields are walked at once: step k reads the k-th field of all nodes that have one. A node
    with thousands of inputs would make that many steps for one node, so the last few are walked one by one.
    """
    arr = np.frombuffer(data, np.uint8)
    n = len(starts)
    counts = np.zeros((_MAX_FIELD + 1, n), np.int64)
    pos = np.array(starts, np.int64)  # a copy: it is stepped in place
    end = pos + np.asarray(lengths, np.int64)
    active = np.flatnonzero(pos < end)
    while len(active) > _SLOW_TAIL:
        p = pos[active]
        tag = arr[p]
        if (tag >= 0x80).any() or ((tag & 7) != 2).any():
            raise _Unusual
        field = (tag >> 3).astype(np.int64)
        if ((field < 1) | (field > _MAX_FIELD)).any():
            raise _Unusual
        q = p + 1
        byte = arr[q].astype(np.int64)
        length = byte & 0x7F
        more = byte >= 0x80
        shift = 7
        while more.any():
            if shift > 28:
                raise _Unusual
            q = q + more
            byte = arr[q].astype(np.int64)
            length |= np.where(more, (byte & 0x7F) << shift, 0)
            more &= byte >= 0x80
            shift += 7
        nxt = q + 1 + length
        counts[field, active] += 1
        pos[active] = nxt
        stop = end[active]
        if (nxt > stop).any():
            raise _Unusual
        active = active[nxt < stop]
    for i in active.tolist():  # the long tail, per node
        p, stop = int(pos[i]), int(end[i])
        while p < stop:
            tag = data[p]
            if tag >= 0x80 or tag & 7 != 2 or not 1 <= tag >> 3 <= _MAX_FIELD:
                raise _Unusual
            length, p = _varint(data, p + 1)
            counts[tag >> 3, i] += 1
            p += length
        if p != stop:
            raise _Unusual
    return counts


def _chunk_ends(starts: Any, lengths: Any, chunk: int = _PARSE_CHUNK) -> list[int]:
    """Record ends that cut a run into pieces of about ``chunk`` bytes, the run's end last."""
    ends = np.asarray(starts, np.int64) + np.asarray(lengths, np.int64)
    last = int(ends[-1])
    cuts = ends[np.unique(np.searchsorted(ends, np.arange(chunk, last, chunk)))].tolist()
    return [c for c in cuts if c < last] + [last]


def _place(values: list, present: np.ndarray) -> list:
    """``values`` (one per node that has the field) spread over all nodes, "" where absent."""
    if len(values) == len(present):
        return values
    out = np.full(len(present), "", object)
    out[present.astype(bool)] = values
    return out.tolist()


def read_columns(data: Any, tail_limit: int = TAIL_LIMIT) -> NodeColumns | None:
    """The columns of the main graph in the serialized ModelProto ``data`` (bytes or a memoryview), or None;
    :func:`verify` them against the parsed model.

    The initializer and value_info names are read only when what follows the nodes (mostly the weights) is
    at most ``tail_limit`` bytes: parsing it copies the weights for a moment (as bytes it does not declare),
    which costs more memory than the names save time.
    """
    try:
        g_start, g_end = _graph_span(data)
        run_end, starts, lengths = _node_run(data, g_start, g_end)
    except Exception:  # _Unusual, a read past the end: the general path reads it
        return None
    tail = data[run_end:g_end] if g_end - run_end <= tail_limit else None
    return run_columns(data[g_start:run_end], np.asarray(starts, np.int64) - g_start, lengths, tail)


def run_columns(run: Any, starts: Any, lengths: Any, tail: Any = None,
                release: Callable[[int, int], None] | None = None) -> NodeColumns | None:
    """The columns of the node records ``run`` (each body's offset in ``run`` and length given), and the
    initializer and value_info names of ``tail`` (the graph's other fields) if given; None if unusual.
    ``release(a, b)``: called with each piece of ``run`` once parsed (a mapped file gives its pages back)."""
    if not len(starts):
        return None
    try:
        counts = _field_counts(run, starts, lengths)
        if (counts[3:5] > 1).any() or (counts[7] > 1).any():
            return None  # a singular field written twice: protobuf keeps the last one, the lists keep both
        cls = _classes()
        names, ops, domains, inputs, outputs = [], [], [], [], []  # type: ignore[var-annotated]
        graph_attrs = False
        view = memoryview(run) if isinstance(run, bytes) else run
        prev = 0
        for cut in _chunk_ends(starts, lengths):  # a few MB at a time: upb's arena stays that small
            merged = cls["NodeRun"].FromString(view[prev:cut]).node
            names += merged.name
            ops += merged.op_type
            domains += merged.domain
            inputs += merged.input
            outputs += merged.output
            kinds = merged.attribute
            if not graph_attrs and (len(kinds.g) or len(kinds.graphs) or not _GRAPH_KINDS.isdisjoint(kinds.type)):
                graph_attrs = True
            del merged, kinds
            if release is not None:
                release(prev, cut)
            prev = cut
        init_names = vi_names = None
        if tail is not None:
            parsed = cls["GraphTail"].FromString(tail)
            init_names, vi_names = list(parsed.initializer.name), list(parsed.value_info.name)
            del parsed
    except Exception:  # _Unusual, a read past the end, a parse error: the general path reads it
        return None
    n_in, n_out = counts[1], counts[2]
    if (len(inputs) != int(n_in.sum()) or len(outputs) != int(n_out.sum()) or len(names) != int(counts[3].sum())
            or len(ops) != int(counts[4].sum()) or len(domains) != int(counts[7].sum())):
        return None
    return NodeColumns(_place(names, counts[3]), _place(ops, counts[4]), _place(domains, counts[7]), inputs,
                       outputs, n_in, n_out, init_names, vi_names, graph_attrs)


def verify(cols: NodeColumns | None, graph: Any) -> NodeColumns | None:
    """``cols`` if they describe ``graph`` (the same bytes parsed by protobuf), else None.

    Compared: the node, initializer and value_info counts, and the fields of nodes and names spread over
    the graph, the first and last included.
    """
    if cols is None or len(cols.names) != len(graph.node):
        return None
    if cols.initializer_names is not None and (len(cols.initializer_names) != len(graph.initializer)
                                               or len(cols.value_info_names or ()) != len(graph.value_info)):
        cols.initializer_names = cols.value_info_names = None
    n = len(cols.names)
    in_end, out_end = np.cumsum(cols.n_inputs), np.cumsum(cols.n_outputs)
    for i in _spread(n):
        node = graph.node[i]
        a, b = int(in_end[i] - cols.n_inputs[i]), int(in_end[i])
        c, d = int(out_end[i] - cols.n_outputs[i]), int(out_end[i])
        if (node.name != cols.names[i] or node.op_type != cols.op_types[i] or node.domain != cols.domains[i]
                or list(node.input) != cols.inputs[a:b] or list(node.output) != cols.outputs[c:d]):
            return None
    for names, seq in ((cols.initializer_names, graph.initializer), (cols.value_info_names, graph.value_info)):
        if names is not None and any(seq[i].name != names[i] for i in _spread(len(names))):
            return None
    return cols


def _spread(n: int, samples: int = 256) -> list[int]:
    return sorted({0, n - 1, *np.linspace(0, n - 1, min(samples, n)).astype(int).tolist()}) if n else []
