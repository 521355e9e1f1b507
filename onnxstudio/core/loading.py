"""Open a .onnx file safely: file checks, structure-only parsing, external-data validation, lazy weights.

Nothing here runs onnx's C++ checker or shape inference (they can abort the process): that happens in the
child process (:mod:`onnxstudio.core.child_tasks`). Parsing a protobuf in-process is safe.
"""

from __future__ import annotations

import math
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import onnx
from google.protobuf.message import DecodeError

from onnxstudio.core import lazygraph
from onnxstudio.core.dtypes import dtype_name, numpy_dtype
from onnxstudio.core.errors import ModelFileError, StudioError
from onnxstudio.core.extdata import ExternalFile, external_refs, validate_external_data, validate_location
from onnxstudio.core.filekind import describe
from onnxstudio.core.filemap import contains, mapped, release
from onnxstudio.core.lazygraph import split_graph
from onnxstudio.core.lazyread import LazyGraph, LazyNodes, LazyTensors, LazyValueInfos, file_stamp
from onnxstudio.core.noderun import NodeColumns, read_columns, run_columns, verify
from onnxstudio.core.protowire import StrippedField, encode_varint, read_stripped, read_structure_bytes
from onnxstudio.core.walk import ModelIndex, index_model, iter_tensors

PROTOBUF_LIMIT = 2**31  # protobuf cannot parse a single message of 2 GiB or more
# Above this size the wire-level reader skips tensor bytes. Below it, parsing everything is faster (the reader
# walks every field in Python: +0.2-0.35 s on a 100k-node graph) and costs at most a few hundred MB.
STRIP_THRESHOLD = 256 * 2**20
# Tensors whose data is at least this large are skipped by the reader (smaller ones cost little to keep).
MIN_STRIP = 64 * 2**10
_LFS_MAGIC = b"version https://git-lfs.github.com/spec/"


@dataclass
class LoadedModel:
    """A parsed model whose tensor data may not be in memory (see ``stripped`` and external data)."""

    path: Path
    model: onnx.ModelProto
    file_size: int
    stripped: dict[str, StrippedField] = field(default_factory=dict)
    external_files: list[ExternalFile] = field(default_factory=list)
    index: ModelIndex = field(default_factory=ModelIndex)  # graphs and op types, computed once
    columns: NodeColumns | None = None  # the main graph's nodes as flat lists (load_structure(columns=True))
    # a large graph loaded in parts: ``model.graph`` has no nodes and no initializers, these read them lazily
    lazy: LazyGraph | None = None

    @property
    def nodes(self) -> Sequence[onnx.NodeProto]:
        """The main graph's nodes (parsed on access for a graph loaded in parts)."""
        return self.lazy.nodes if self.lazy is not None else self.model.graph.node

    @property
    def node_count(self) -> int:
        return len(self.nodes)


def check_file(path: str | os.PathLike[str]) -> tuple[Path, int]:
    """Classify problems that show before parsing: missing, not a file, empty, LFS pointer, too large."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ModelFileError(f"{p}: no such file", category="missing") from None
    except OSError as exc:
        raise ModelFileError(f"{p}: cannot read the file ({exc.strerror})", category="unreadable") from None
    if p.is_dir():
        raise ModelFileError(f"{p}: is a folder, not an .onnx file{_models_in(p)}", category="unreadable")
    if not stat.S_ISREG(st.st_mode):  # a named pipe would block the reader; a device has no size
        raise ModelFileError(f"{p}: not a regular file (a pipe, socket or device)", category="unreadable")
    if st.st_size == 0:
        raise ModelFileError(f"{p}: the file is empty (0 bytes)", category="empty")
    try:
        with open(p, "rb") as fh:
            head = fh.read(len(_LFS_MAGIC))
    except OSError as exc:
        raise ModelFileError(f"{p}: cannot read the file ({exc.strerror})", category="unreadable") from None
    if head == _LFS_MAGIC:
        raise ModelFileError(f"{p}: this is a Git LFS pointer ({st.st_size} bytes), not the model; fetch the real "
                             "file with `git lfs pull`", category="lfs_pointer")
    if st.st_size >= PROTOBUF_LIMIT:
        kind = describe(p)  # a 5 GB PyTorch checkpoint is not an ONNX file that needs external data
        if kind:
            raise ModelFileError(f"{p}: not an ONNX model: {kind}", category="not_onnx")
        gib = st.st_size / 2**30
        raise ModelFileError(f"{p}: the file is {gib:.1f} GiB, over protobuf's 2 GiB limit for a single .onnx file; "
                             "save the weights as external data (onnx.save_model(..., save_as_external_data=True))",
                             category="too_large")
    return p, st.st_size


def models_in_folder(folder: str | os.PathLike[str]) -> list[Path]:
    """The .onnx files of a model's folder, else of its ``onnx/`` subfolder (Hugging Face's layout: config and
    tokenizer above, ``onnx/model.onnx`` and its fp16 and quantized variants below), sorted by name."""
    for where in (Path(folder), Path(folder) / "onnx"):
        try:
            found = sorted(Path(e.path) for e in os.scandir(where) if e.name.lower().endswith(".onnx") and e.is_file())
        except OSError:
            continue
        if found:
            return found
    return []


def main_model(folder: str | os.PathLike[str]) -> Path | None:
    """The model a folder given for one means: its only .onnx file, else its ``model.onnx``; None where it holds
    none or several others (an encoder and a decoder)."""
    found = models_in_folder(folder)
    if len(found) == 1:
        return found[0]
    return next((p for p in found if p.name == "model.onnx"), None)


def _models_in(folder: Path) -> str:
    """ " (it holds model.onnx and 2 more)" for a folder given where its model was meant, else ""."""
    found = models_in_folder(folder)
    if not found:
        return ""
    first = found[0].relative_to(folder).as_posix()
    return f" (it holds {first}{f' and {len(found) - 1} more' if len(found) > 1 else ''})"


def _parse(data: bytes | memoryview, p: Path) -> onnx.ModelProto:
    model = onnx.ModelProto()
    try:
        model.ParseFromString(data)
    except DecodeError as exc:
        raise ModelFileError(f"{p}: not an ONNX model (the protobuf is truncated or corrupt: {exc})",
                             category="not_onnx") from None
    except UnicodeDecodeError:
        raise ModelFileError(f"{p}: the model contains names that are not valid UTF-8", category="encoding") from None
    except Exception as exc:  # upb raises RuntimeError for some malformed inputs
        raise ModelFileError(f"{p}: not an ONNX model ({exc})", category="not_onnx") from None
    if not model.HasField("graph") or model.ir_version <= 0:
        raise ModelFileError(f"{p}: not an ONNX model (no graph or IR version found)", category="not_onnx")
    return model


_name = attrgetter("name")


def _check_utf8(model: onnx.ModelProto, index: ModelIndex, p: Path) -> None:
    """upb hands back invalid UTF-8 in proto2 strings as bytes, not str: refuse such a model up front.

    Checks graph inputs/outputs and op types of every graph, which cost nothing extra; node and edge names are
    left to their consumers (reading them costs ~0.5 us each, as much as parsing the whole graph).
    """
    graph = model.graph
    groups: list[list[object]] = [list(map(_name, graph.input)), list(map(_name, graph.output))]
    for entry in index.graphs:
        groups.append(entry.op_types)  # type: ignore[arg-type]
    for names in groups:
        if bytes in set(map(type, names)):
            bad = next(n for n in names if isinstance(n, bytes))
            raise ModelFileError(f"{p}: the model contains names that are not valid UTF-8 ({bad!r})",
                                 category="encoding")


def _parse_mapped(p: Path, columns: bool) -> tuple[onnx.ModelProto, bool, NodeColumns | None]:
    """Parse the mapped file; also whether it may use external data (every reference has the key
    "location": a file without those bytes has none, and the C-speed check spares reading the data location
    of every tensor, 0.15 s on 178k tensors), and the node columns if asked for.

    The columns are read after the parse, once the mapped pages are given back: they touch again only the
    bytes of the nodes (and of small weights), so their lists never add to the mapped file and the model
    at once (the peak).
    """
    with mapped(p) as data:
        model = _parse(data, p)
        external = contains(data, b"location")  # while the pages are still here
        if not columns:
            return model, external, None
        release(data)
        return model, external, verify(read_columns(data), model.graph)


def _load_in_parts(p: Path) -> tuple[onnx.ModelProto, NodeColumns, LazyGraph] | None:
    """A large graph's model without its main-graph nodes and initializers, their columns and lazy readers
    (:mod:`lazygraph`), or None where the file does not allow it."""
    stamp = file_stamp(p)
    with mapped(p) as data:
        split = split_graph(data)  # gives the initializers' pages back as it goes
        if split is None:
            release(data)
            return None
        a, b = split.node_run
        release(data, b)  # all but the nodes, which the columns read once more
        release(data, 0, a)
        cols = run_columns(data[a:b], split.node_starts - a, split.node_lengths, split.rest,
                           lambda x, y: release(data, a + x, a + y))
        release(data)
    if cols is None or cols.value_info_names is None:
        return None
    model = _parse(split.model_bytes, p)
    if len(model.graph.node) or len(model.graph.initializer) or len(model.graph.value_info):
        return None  # nodes or initializers after the other fields (see split_graph)
    nodes = LazyNodes(p, split.node_starts, split.node_lengths, stamp, cols.names, cols.op_types)
    value_info = LazyValueInfos(split.value_infos)
    cols = verify(cols, SimpleNamespace(node=nodes, initializer=(), value_info=value_info))
    if cols is None or nodes.error is not None:
        return None  # a node that cannot be read: the general path refuses the file with the right message
    cols.initializer_names = split.initializer_names
    tensors = LazyTensors(p, split.init_starts, split.init_lengths, stamp, split.initializer_names)
    return model, cols, LazyGraph(nodes, tensors, split.initializer_names, value_info)


def load_structure(path: str | os.PathLike[str], *, validate_external: bool = True,
                   columns: bool = False) -> LoadedModel:
    """Parse ``path`` without reading external data, and without tensor bytes for large files.

    ``columns``: also read the main graph's nodes as flat lists (:mod:`noderun`), for the graph view; a
    large graph is then loaded in parts (``LoadedModel.lazy``: its nodes and initializers read on access).
    """
    p, size = check_file(path)
    try:
        return _load(p, size, validate_external, columns)
    except ModelFileError as exc:
        if exc.category != "not_onnx":
            raise
        kind = describe(p)  # an image, a checkpoint, a web page...: say which
        message = f"{p}: not an ONNX model: {kind}" if kind else exc.message
        raise ModelFileError(message if message.startswith(str(p)) else f"{p}: {message}",
                             category="not_onnx") from None


def _load(p: Path, size: int, validate_external: bool, columns: bool) -> LoadedModel:
    if columns and lazygraph.LAZY_MIN_SIZE <= size < STRIP_THRESHOLD:
        try:
            parts = _load_in_parts(p)
        except OSError as exc:
            raise ModelFileError(f"{p}: cannot read the file ({exc.strerror})", category="unreadable") from None
        if parts is not None:
            model, cols, lazy = parts
            index = index_model(model, cols, lazy)
            _check_utf8(model, index, p)
            return LoadedModel(p, model, size, {}, [], index, cols, lazy)
    stripped: dict[str, StrippedField] = {}
    cols = None
    try:
        if size >= STRIP_THRESHOLD:
            data, stripped = read_structure_bytes(p, min_strip=MIN_STRIP)
            model = _parse(data, p)
            may_have_external = b"location" in data  # see _parse_mapped
            cols = verify(read_columns(data), model.graph) if columns else None
            del data
        else:
            model, may_have_external, cols = _parse_mapped(p, columns)
    except OSError as exc:
        raise ModelFileError(f"{p}: cannot read the file ({exc.strerror})", category="unreadable") from None
    index = index_model(model, cols)
    _check_utf8(model, index, p)
    files = validate_external_data(model, p.parent, index) if validate_external and may_have_external else []
    return LoadedModel(p, model, size, stripped, files, index, cols)


# Tensor data fields the structure reader may drop, by name -> protobuf field number (all length-delimited).
_DATA_FIELDS = {"raw_data": 9, "float_data": 4, "int32_data": 5, "int64_data": 7, "double_data": 10,
                "uint64_data": 11}


def read_initializer(loaded: LoadedModel, name: str) -> np.ndarray:
    """The values of one initializer (or tensor attribute), read from wherever they live."""
    tensor = loaded.lazy.initializer(name, whole=True) if loaded.lazy is not None else None
    if tensor is None:
        tensor = next((t for t in iter_tensors(loaded.model, loaded.index) if t.name == name), None)
    if tensor is None:
        raise StudioError(f"no initializer named {name!r}")
    full = onnx.TensorProto()
    full.CopyFrom(tensor)
    where = loaded.stripped.get(name)
    if where is not None:  # skipped by the structure reader: put the field's bytes back
        number = _DATA_FIELDS.get(where.field)
        if number is None:
            raise StudioError(f"initializer {name!r}: reading {where.field} lazily is not supported")
        raw = read_stripped(loaded.path, where)
        full.MergeFromString(encode_varint(number << 3 | 2) + encode_varint(len(raw)) + raw)
    elif tensor.data_location == onnx.TensorProto.EXTERNAL:
        ref = next(r for r in external_refs(loaded.model, tensors=[tensor]))
        path = validate_location(loaded.path.parent, ref)
        count = math.prod(tensor.dims)
        length = ref.length if ref.length is not None else count * numpy_dtype(dtype_name(tensor.data_type)).itemsize
        with open(path, "rb") as fh:
            fh.seek(ref.offset)
            full.raw_data = fh.read(length)
        del full.external_data[:]
        full.data_location = onnx.TensorProto.DEFAULT
    return onnx.numpy_helper.to_array(full)
