"""Reference data shipped with a model, in the layout of the ONNX Model Zoo and onnx's backend tests:
``test_data_set_N/input_K.pb`` are fed to the inputs in order, and ``output_K.pb`` are what the outputs should
be. Qt-free: the CLI's ``--reference`` and the app's inputs and outputs panels use it."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from onnxstudio.core.compare import ATOL, RTOL, diff_tensors  # RTOL, ATOL: what the Model Zoo's checks allow
from onnxstudio.core.errors import InputError
from onnxstudio.core.inputs import ArrayFileSource
from onnxstudio.core.outputs import as_plain
from onnxstudio.core.values import ValueSpec

_SET = re.compile(r"^test_data_set_(\d+)$")


@dataclass(frozen=True)
class Comparison:
    """One output against its reference: ``ok`` when shapes agree and values are within tolerance."""

    name: str
    ok: bool
    detail: str  # "max abs diff 2.1e-06", "shape [1, 10] but the reference is [1, 1000]", ...
    max_abs_diff: float | None = None


def _numbered(folder: Path, prefix: str) -> list[Path]:
    files = [p for p in folder.glob(f"{prefix}*.pb") if p.stem[len(prefix):].isdigit()]
    return sorted(files, key=lambda p: int(p.stem[len(prefix):]))


def reference_folders(model: str | Path) -> list[Path]:
    """The ``test_data_set_N`` folders beside a model that hold inputs, in N's order."""
    folder = Path(model).resolve().parent
    try:
        found = [p for p in folder.iterdir() if _SET.match(p.name) and p.is_dir() and _numbered(p, "input_")]
    except OSError:
        return []
    return sorted(found, key=lambda p: int(_SET.match(p.name).group(1)))  # type: ignore[union-attr]


def reference_sources(folder: str | Path, specs: Sequence[ValueSpec]) -> dict[str, ArrayFileSource]:
    """Each input's ``input_K.pb`` of a reference folder, in the model's input order."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"reference {folder}: not a folder (a test_data_set_N with input_0.pb, output_0.pb, ...)")
    files = _numbered(folder, "input_")
    if len(files) != len(specs):
        raise InputError(f"reference {folder.name} holds {len(files)} input_K.pb; the model takes {len(specs)} "
                         f"input{'s' if len(specs) != 1 else ''}")
    return {spec.name: ArrayFileSource(str(f)) for spec, f in zip(specs, files, strict=True)}


def _read(path: Path) -> np.ndarray | None:
    """A ``TensorProto`` file as an array; None for a sequence, map or optional (not compared)."""
    import onnx
    from onnx import numpy_helper

    tensor = onnx.TensorProto()
    try:
        tensor.ParseFromString(path.read_bytes())
        if not tensor.dims and not tensor.data_type:
            return None
        return numpy_helper.to_array(tensor)
    except Exception:
        return None


def compare_outputs(outputs: Sequence[tuple[str, Any]], folder: str | Path, rtol: float = RTOL,
                    atol: float = ATOL) -> list[Comparison]:
    """Each output (name, value, in the model's order) against ``output_K.pb`` of ``folder``."""
    files = _numbered(Path(folder), "output_")
    results = []
    for (name, value), path in zip(outputs, files, strict=False):
        expected = _read(path)
        if expected is None or not isinstance(value, np.ndarray):
            results.append(Comparison(name, True, f"{path.name} is not a tensor: not compared"))
            continue
        got = as_plain(value)
        if got.shape != expected.shape:
            results.append(Comparison(name, False, f"shape {list(got.shape)} but the reference is "
                                                   f"{list(expected.shape)}"))
            continue
        d = diff_tensors(name, got, expected, rtol, atol)
        if got.dtype.kind in "fc" or expected.dtype.kind in "fc":
            worst = d.max_abs if d.max_abs is not None and math.isfinite(d.max_abs) else 0.0
            where = "" if d.ok else f" ({d.mismatched} of {d.size} values outside rtol {rtol:g}, atol {atol:g})"
            results.append(Comparison(name, d.ok, f"max abs diff {worst:.3g}{where}", worst))
        else:
            results.append(Comparison(name, d.ok, "equal" if d.ok else f"{d.mismatched} of {d.size} values differ"))
    if len(files) != len(outputs):
        results.append(Comparison("(outputs)", False, f"the model returned {len(outputs)} output"
                                                      f"{'s' if len(outputs) != 1 else ''}; the reference holds "
                                                      f"{len(files)}"))
    return results
