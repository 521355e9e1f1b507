"""Validate external-data references before anything reads them.

A model can point its tensors at any path: ``../../etc/shadow``, an absolute path, a symlink or a hard link to a
file outside its folder (onnxruntime 1.32 still follows hard links). Every location must be relative, free of
``..`` components, resolve inside the model's folder, be a regular file that is not a symlink and has one
link, and the ``offset + length`` must lie within the file.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path, PurePosixPath, PureWindowsPath

import onnx

from onnxstudio.core.dtypes import bits_per_element, dtype_name
from onnxstudio.core.errors import ExternalDataError
from onnxstudio.core.walk import ModelIndex, iter_tensors


@dataclass(frozen=True)
class ExternalRef:
    tensor: str
    location: str
    offset: int
    length: int | None


@dataclass(frozen=True)
class ExternalFile:
    location: str
    size: int
    tensors: int


_location = attrgetter("data_location")


def external_tensors(model: onnx.ModelProto, index: ModelIndex | None = None) -> list[onnx.TensorProto]:
    tensors = list(iter_tensors(model, index))
    if onnx.TensorProto.EXTERNAL not in set(map(_location, tensors)):  # the common case, at C speed
        return []
    return [t for t in tensors if t.data_location == onnx.TensorProto.EXTERNAL]


def external_refs(model: onnx.ModelProto, index: ModelIndex | None = None,
                  tensors: list[onnx.TensorProto] | None = None) -> list[ExternalRef]:
    refs = []
    for tensor in tensors if tensors is not None else external_tensors(model, index):
        info = {entry.key: entry.value for entry in tensor.external_data}
        try:
            offset = int(info.get("offset", "0") or 0)
            length = int(info["length"]) if info.get("length") else None
        except ValueError as exc:
            raise ExternalDataError(f"tensor {tensor.name!r} has a malformed external-data offset or length "
                                    f"({info.get('offset')!r}, {info.get('length')!r})") from exc
        refs.append(ExternalRef(tensor.name, info.get("location", ""), offset, length))
    return refs


def _components(location: str) -> list[str]:
    return [part for part in re.split(r"[\\/]", location) if part not in ("", ".")]


def _expected_length(tensor: onnx.TensorProto) -> int:
    count = 1
    for d in tensor.dims:
        count *= d
    return (count * bits_per_element(dtype_name(tensor.data_type)) + 7) // 8


def validate_location(base_dir: Path, ref: ExternalRef) -> Path:
    """The safe, resolved path of ``ref``'s file, or ExternalDataError naming the tensor and the file."""
    loc = ref.location
    who = f"tensor {ref.tensor!r}: external data {loc!r}"
    if not loc:
        raise ExternalDataError(f"{who} has no location")
    if "\x00" in loc:
        raise ExternalDataError(f"{who} contains a NUL character")
    if PurePosixPath(loc).is_absolute() or PureWindowsPath(loc).is_absolute() or PureWindowsPath(loc).drive:
        raise ExternalDataError(f"{who} is an absolute path; external data must be relative to the model's "
                                "folder", category="external_data_outside")
    parts = _components(loc)
    if ".." in parts:
        raise ExternalDataError(f"{who} points outside the model's folder ('..' in the path)",
                                category="external_data_outside")
    base_real = Path(os.path.realpath(base_dir))
    candidate = base_dir.joinpath(*parts)
    # Every component must be a plain directory/file: a symlink anywhere could lead outside.
    walk = base_dir
    for part in parts:
        walk = walk / part
        if walk.is_symlink():
            raise ExternalDataError(f"{who} is a symbolic link ({part}); refusing to follow it",
                                    category="external_data_symlink")
    real = Path(os.path.realpath(candidate))
    if real != base_real and base_real not in real.parents:
        raise ExternalDataError(f"{who} resolves outside the model's folder", category="external_data_outside")
    try:
        st = os.lstat(candidate)
    except FileNotFoundError:
        raise ExternalDataError(f"{who}: the file is missing next to the model (expected {candidate})",
                                category="external_data_missing") from None
    except OSError as exc:
        raise ExternalDataError(f"{who} cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise ExternalDataError(f"{who} is not a regular file")
    if st.st_nlink != 1:
        raise ExternalDataError(f"{who} is a hard link ({st.st_nlink} links); refusing a file that may "
                                "live outside the model's folder", category="external_data_hardlink")
    end = ref.offset + (ref.length or 0)
    if ref.offset < 0 or end > st.st_size:
        raise ExternalDataError(f"{who}: offset {ref.offset} + length {ref.length or 0} is past the end of "
                                f"the file ({st.st_size} bytes)", category="external_data_range")
    return candidate


def validate_external_data(model: onnx.ModelProto, base_dir: Path,
                           index: ModelIndex | None = None) -> list[ExternalFile]:
    """Check every external reference of ``model``; return the files used with their sizes."""
    ext = external_tensors(model, index)
    if not ext:
        return []
    tensors = {t.name: t for t in ext}
    files: dict[str, list[int]] = {}
    for ref in external_refs(model, tensors=ext):
        path = validate_location(base_dir, ref)
        if ref.length is None:
            expected = _expected_length(tensors[ref.tensor]) if ref.tensor in tensors else 0
            if ref.offset + expected > path.stat().st_size:
                raise ExternalDataError(f"tensor {ref.tensor!r}: external data {ref.location!r} is shorter "
                                        f"than the tensor ({expected} bytes from offset {ref.offset})",
                                        category="external_data_range")
        entry = files.setdefault(ref.location, [path.stat().st_size, 0])
        entry[1] += 1
    return [ExternalFile(loc, size, count) for loc, (size, count) in sorted(files.items())]
