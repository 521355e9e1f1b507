"""Feeding and reading tensors whose element type numpy lacks (bfloat16, float8), in the child process.

onnxruntime's ``session.run`` takes and returns numpy arrays only for numpy's own types: a bfloat16 input
fails with "Numpy_type 256 can't be converted", a bfloat16 output with "No corresponding Numpy type". Such
tensors travel as OrtValues made from the raw bytes with their ONNX element type, and outputs are copied
back from CPU memory into ml_dtypes arrays. 4- and 2-bit types are packed two (four) to a byte inside
onnxruntime, unlike ml_dtypes' one per byte: those are refused with a clear message.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any

import numpy as np

from onnxstudio.core.dtypes import EXCHANGEABLE, ML_DTYPE_NAMES, numpy_dtype, onnx_elem_type
from onnxstudio.core.errors import SessionError


def _elem(type_str: str) -> str | None:
    """``tensor(bfloat16)`` -> ``bfloat16`` when that is a type numpy lacks, else None."""
    if type_str.startswith("tensor(") and type_str.endswith(")"):
        name = type_str[7:-1]
        return name if name in ML_DTYPE_NAMES else None
    return None


def needs_ortvalues(sess: Any) -> bool:
    """Whether any tensor input or output of the session has an element type numpy lacks."""
    return any(_elem(v.type) for v in (*sess.get_inputs(), *sess.get_outputs()))


def ortvalue_feeds(sess: Any, feeds: dict[str, Any]) -> dict[str, Any]:
    """Every feed as an OrtValue (``run_with_ort_values`` takes nothing else)."""
    import onnxruntime as ort

    wanted = {v.name: _elem(v.type) for v in sess.get_inputs()}
    out: dict[str, Any] = {}
    for name, value in feeds.items():
        elem = wanted.get(name)
        if elem is not None:
            if elem not in EXCHANGEABLE:
                raise SessionError(f"input {name!r} is {elem}: onnxruntime packs {elem} values several to a byte "
                                   "and its Python API cannot take them as arrays")
            arr = np.ascontiguousarray(np.asarray(value).astype(numpy_dtype(elem), copy=False))
            raw = arr.view(np.uint16 if arr.itemsize == 2 else np.uint8)
            out[name] = ort.OrtValue.ortvalue_from_numpy_with_onnx_type(raw, onnx_elem_type(elem))
        elif isinstance(value, np.ndarray):
            out[name] = ort.OrtValue.ortvalue_from_numpy(value)
        else:
            raise SessionError(f"input {name!r}: a model with bfloat16 or float8 tensors takes tensors only here "
                               f"(got {type(value).__name__})")
    return out


def to_numpy(value: Any) -> Any:
    """An output OrtValue as a numpy (or ml_dtypes) array."""
    elem = _elem(value.data_type()) if value.is_tensor() else None
    dt = numpy_dtype(elem) if elem in EXCHANGEABLE else None
    try:
        arr = value.numpy()
    except Exception:
        if dt is None or value.device_name().lower() != "cpu":
            raise
        shape = tuple(value.shape())
        raw = ctypes.string_at(value.data_ptr(), math.prod(shape) * dt.itemsize)
        return np.frombuffer(raw, dtype=dt).reshape(shape).copy()
    if dt is not None and arr.dtype != dt and arr.dtype.itemsize == dt.itemsize:
        arr = arr.view(dt)  # float8 comes back as uint8: the same bytes, read as float8
    return arr
