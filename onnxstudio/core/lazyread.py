"""Readers of a graph loaded in parts (:mod:`lazygraph`): its nodes, initializers and value_info as sequences
that read and parse an item when asked for, from the file (nodes in blocks, tensors one at a time without
their data) or from kept records (value_info). They never raise while the view paints: an item that cannot be
read is a placeholder that says why."""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, overload

import numpy as np
import onnx

from onnxstudio.core.errors import StudioError
from onnxstudio.core.noderun import _Unusual, _varint, skip_field
from onnxstudio.core.values import as_text

_TENSOR_DATA = frozenset({4, 5, 6, 7, 9, 10, 11})  # float/int32/string/int64/raw/double/uint64 data
_DATA_NAMES = ("float_data", "int32_data", "string_data", "int64_data", "raw_data", "double_data", "uint64_data")
_META_FULL = 64 * 2**10  # a tensor record up to this size is read whole; above, its data fields are skipped
_BLOCK = 1024  # nodes read from the file at once
T = TypeVar("T")


class LazySequence(Sequence[T]):
    """What the lazy sequences share: slices, negative indices and bounds; ``_get(i)`` reads item ``i``."""

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...

    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self._get(k) for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._get(i)

    def _get(self, i: int) -> T:
        raise NotImplementedError


class _Records:
    """Records of one repeated field, read back from the file: a stamp check (size, modification time) at
    each read, so a model changed on disk is said to be, not misread."""

    def __init__(self, path: Path, starts: np.ndarray, lengths: np.ndarray, stamp: tuple[int, int]) -> None:
        self.path = path
        # arrays, not lists: the garbage collector does not walk their items (560k of them on the convnet-100k
        # made some collections during painting take 20-40 ms)
        self._starts = array("q", starts.astype(np.int64).tobytes())
        self._lengths = array("q", lengths.astype(np.int64).tobytes())
        self._stamp = stamp

    def __len__(self) -> int:
        return len(self._starts)

    def _open(self) -> Any:
        try:
            fh = open(self.path, "rb")  # noqa: SIM115 (closed by the caller's with)
        except OSError as exc:
            raise StudioError(f"cannot read {self.path.name} ({exc.strerror})") from None
        st = os.fstat(fh.fileno())
        if (st.st_size, st.st_mtime_ns) != self._stamp:
            fh.close()
            raise StudioError(f"{self.path.name} changed on disk since it was opened; open it again")
        return fh


class LazyNodes(_Records, LazySequence[onnx.NodeProto]):
    """The main graph's nodes, read and parsed when asked for: blocks of :data:`_BLOCK` records are read at
    once and the last few kept (the node list's filter and the graph's search go through them in order).

    Reading never raises (it runs while painting): a node that cannot be read (the file changed on disk, or
    its record is corrupt) comes back with only its name and op type and the reason in its doc string, and
    :attr:`error` says what happened.
    """

    def __init__(self, path: Path, starts: np.ndarray, lengths: np.ndarray, stamp: tuple[int, int],
                 names: Sequence[str], op_types: Sequence[str]) -> None:
        super().__init__(path, starts, lengths, stamp)
        # block -> its nodes, parsed in one C call (None where a record in it is corrupt: then one by one)
        self._blocks: dict[int, tuple[Any, int, bytes]] = {}
        self._names, self._op_types = names, op_types
        self.error: str | None = None

    def _get(self, i: int) -> onnx.NodeProto:
        try:
            nodes, base, blob = self._block(i // _BLOCK)
            if nodes is not None:
                return nodes[i % _BLOCK]
            s = self._starts[i] - base
            try:
                return onnx.NodeProto.FromString(blob[s:s + self._lengths[i]])
            except Exception as exc:  # a DecodeError: the file holds garbage there
                raise StudioError(f"{self.path.name}: node {i} cannot be read ({exc})") from None
        except StudioError as exc:
            self.error = exc.message
            return onnx.NodeProto(name=as_text(self._names[i]), op_type=as_text(self._op_types[i]),
                                  doc_string=exc.message)

    def _block(self, b: int) -> tuple[Any, int, bytes]:
        hit = self._blocks.get(b)
        if hit is None:
            first, last = b * _BLOCK, min((b + 1) * _BLOCK, len(self)) - 1
            body, end = self._starts[first], self._starts[last] + self._lengths[last]
            start = body - 1 - _varint_size(self._lengths[first])  # the first record's tag and length
            try:
                with self._open() as fh:
                    fh.seek(start)
                    blob = fh.read(end - start)
            except OSError as exc:
                raise StudioError(f"cannot read {self.path.name} ({exc.strerror})") from None
            try:
                nodes = onnx.GraphProto.FromString(blob).node
                if len(nodes) != last - first + 1:
                    nodes = None
            except Exception:  # a corrupt record: each node on its own, the bad one a placeholder
                nodes = None
            hit = (nodes, start, blob)
            if len(self._blocks) >= 4:  # (the worker's search and the GUI thread may both read)
                self._blocks.pop(next(iter(self._blocks), None), None)
            self._blocks[b] = hit
        return hit

    def __iter__(self) -> Iterator[onnx.NodeProto]:
        return (self[i] for i in range(len(self)))


def _varint_size(value: int) -> int:
    return max(1, (value.bit_length() + 6) // 7)


class LazyTensors(_Records, LazySequence[onnx.TensorProto]):
    """The main graph's initializers, read back from the file one at a time.

    ``self[k]`` has the tensor's name, dims and type but not its data (a large record is read without its data
    fields: a label asking for the dims of a 400 MB embedding reads a few bytes; the last 4,096 are kept).
    Like :class:`LazyNodes` it never raises (a tensor that cannot be read has only its name); :meth:`full`
    reads everything and raises :class:`StudioError` when it cannot.
    """

    def __init__(self, path: Path, starts: np.ndarray, lengths: np.ndarray, stamp: tuple[int, int],
                 names: Sequence[str]) -> None:
        super().__init__(path, starts, lengths, stamp)
        self._recent: dict[int, onnx.TensorProto] = {}
        self._names = names
        self.error: str | None = None

    def _get(self, i: int) -> onnx.TensorProto:
        t = self._recent.get(i)
        if t is None:
            try:
                t = _metadata(self._read(i, whole=self._lengths[i] <= _META_FULL))
            except StudioError as exc:  # asked for while painting: a name without type or shape, not a crash
                self.error = exc.message
                t = onnx.TensorProto(name=as_text(self._names[i]), doc_string=exc.message)
            if len(self._recent) >= 4096:
                self._recent.clear()
            self._recent[i] = t
        return t

    def full(self, i: int) -> onnx.TensorProto:
        """The whole tensor, data included."""
        return self._read(i, whole=True)

    def _read(self, i: int, whole: bool) -> onnx.TensorProto:
        start, length = self._starts[i], self._lengths[i]
        try:
            with self._open() as fh:
                fh.seek(start)
                raw = fh.read(length) if whole else _without_data(fh, start, length)
            return onnx.TensorProto.FromString(raw)
        except OSError as exc:
            raise StudioError(f"cannot read {self.path.name} ({exc.strerror})") from None
        except (_Unusual, IndexError, ValueError) as exc:  # DecodeError is a ValueError
            raise StudioError(f"{self.path.name}: initializer {i} cannot be read ({exc})") from None


def _metadata(t: onnx.TensorProto) -> onnx.TensorProto:
    """``t`` without its data, in a message of its own (a cleared field would keep its bytes in the arena):
    4,096 kept tensors of 64 kB each would otherwise hold 256 MB."""
    if not any(t.HasField(f) if f == "raw_data" else len(getattr(t, f)) for f in _DATA_NAMES):
        return t
    for f in _DATA_NAMES:
        t.ClearField(f)
    return onnx.TensorProto.FromString(t.SerializeToString())


def _without_data(fh: Any, start: int, length: int) -> bytes:
    """A tensor record's fields other than its data, read field by field (the data is seeked over)."""
    out: list[bytes] = []
    pos, end = start, start + length
    while pos < end:
        fh.seek(pos)
        head = fh.read(min(20, end - pos))
        key, k = _varint(head, 0)
        wire = key & 7
        if wire == 2:
            size, k = _varint(head, k)
            nxt = pos + k + size
            if key >> 3 not in _TENSOR_DATA:
                fh.seek(pos)
                out.append(fh.read(k + size))
        else:
            nxt = pos + skip_field(head, 0)
            out.append(head[: nxt - pos])
        if nxt > end:
            raise _Unusual
        pos = nxt
    return b"".join(out)


class LazyValueInfos(LazySequence[onnx.ValueInfoProto]):
    """The main graph's value_info entries, each parsed from its record when asked for (labels ask for the
    few tensors a frame shows)."""

    def __init__(self, records: list[bytes]) -> None:
        self._records = records

    def __len__(self) -> int:
        return len(self._records)

    def _get(self, i: int) -> onnx.ValueInfoProto:
        try:
            return onnx.ValueInfoProto.FromString(self._records[i])
        except Exception:  # a corrupt record (the parse of the model never saw it): an entry with no type
            return onnx.ValueInfoProto()


@dataclass
class LazyGraph:
    """The main graph's nodes and initializers of a model loaded in parts (``LoadedModel.lazy``)."""

    nodes: LazyNodes
    initializers: LazyTensors
    initializer_names: list[str]
    value_info: LazyValueInfos

    def initializer(self, name: str, whole: bool = False) -> onnx.TensorProto | None:
        try:
            k = self.initializer_names.index(name)
        except ValueError:
            return None
        return self.initializers.full(k) if whole else self.initializers[k]


def file_stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns
