"""ONNX element types <-> numpy-style dtype names."""

from __future__ import annotations

import numpy as np
from onnx import TensorProto

# numpy-style names, as the JSON of `inspect` reports them.
_NAMES: dict[int, str] = {
    TensorProto.FLOAT: "float32",
    TensorProto.UINT8: "uint8",
    TensorProto.INT8: "int8",
    TensorProto.UINT16: "uint16",
    TensorProto.INT16: "int16",
    TensorProto.INT32: "int32",
    TensorProto.INT64: "int64",
    TensorProto.STRING: "string",
    TensorProto.BOOL: "bool",
    TensorProto.FLOAT16: "float16",
    TensorProto.DOUBLE: "float64",
    TensorProto.UINT32: "uint32",
    TensorProto.UINT64: "uint64",
    TensorProto.COMPLEX64: "complex64",
    TensorProto.COMPLEX128: "complex128",
    TensorProto.BFLOAT16: "bfloat16",
    TensorProto.FLOAT8E4M3FN: "float8e4m3fn",
    TensorProto.FLOAT8E4M3FNUZ: "float8e4m3fnuz",
    TensorProto.FLOAT8E5M2: "float8e5m2",
    TensorProto.FLOAT8E5M2FNUZ: "float8e5m2fnuz",
    TensorProto.UINT4: "uint4",
    TensorProto.INT4: "int4",
}
for _name, _code in (("FLOAT4E2M1", "float4e2m1"), ("FLOAT8E8M0", "float8e8m0"), ("UINT2", "uint2"),
                     ("INT2", "int2")):
    if hasattr(TensorProto, _name):
        _NAMES[getattr(TensorProto, _name)] = _code

_CODES: dict[str, int] = {v: k for k, v in _NAMES.items()}

# Bits per element, for byte counts computed from dims without reading data.
_BITS: dict[str, int] = {
    "float32": 32, "uint8": 8, "int8": 8, "uint16": 16, "int16": 16, "int32": 32, "int64": 64,
    "bool": 8, "float16": 16, "float64": 64, "uint32": 32, "uint64": 64, "complex64": 64,
    "complex128": 128, "bfloat16": 16, "float8e4m3fn": 8, "float8e4m3fnuz": 8, "float8e5m2": 8,
    "float8e5m2fnuz": 8, "float8e8m0": 8, "uint4": 4, "int4": 4, "float4e2m1": 4, "uint2": 2, "int2": 2,
}

def dtype_name(elem_type: int) -> str:
    """numpy-style name of an ONNX element type ("undefined" for 0, "type<N>" for unknown codes)."""
    if elem_type == 0:
        return "undefined"
    return _NAMES.get(elem_type, f"type{elem_type}")


def onnx_type_name(elem_type: int) -> str:
    """ONNX's own spelling ("float", "int64"), used in type strings like ``tensor(float)``."""
    try:
        return TensorProto.DataType.Name(elem_type).lower()
    except ValueError:
        return f"type{elem_type}"


def bits_per_element(dtype: str) -> int:
    return _BITS.get(dtype, 0)


def tensor_bytes(elements: int, elem_type: int) -> int:
    """Bytes of ``elements`` values of ONNX element type ``elem_type`` (sub-byte types packed; 0 if unknown)."""
    return (elements * bits_per_element(dtype_name(elem_type)) + 7) // 8


# Element types numpy lacks, by our name -> ml_dtypes' name (ml_dtypes comes with onnx).
_ML_DTYPES = {"bfloat16": "bfloat16", "float8e4m3fn": "float8_e4m3fn", "float8e4m3fnuz": "float8_e4m3fnuz",
              "float8e5m2": "float8_e5m2", "float8e5m2fnuz": "float8_e5m2fnuz", "float8e8m0": "float8_e8m0fnu",
              "float4e2m1": "float4_e2m1fn", "int4": "int4", "uint4": "uint4", "int2": "int2", "uint2": "uint2"}
_FROM_ML = {v: k for k, v in _ML_DTYPES.items()}
ML_DTYPE_NAMES = frozenset(_ML_DTYPES)
# Of those, the ones onnxruntime's Python API can exchange (one element per byte or two, as numpy stores them);
# the 4- and 2-bit types are packed in onnxruntime and cannot be fed or read back as arrays.
EXCHANGEABLE = frozenset({"bfloat16", "float8e4m3fn", "float8e4m3fnuz", "float8e5m2", "float8e5m2fnuz",
                          "float8e8m0"})


def numpy_dtype(dtype: str) -> np.dtype:
    """numpy dtype for a name; strings map to object arrays (what onnxruntime takes and returns); bfloat16,
    float8 and 4-bit types map to ml_dtypes' dtypes."""
    if dtype == "string":
        return np.dtype(object)
    ml = _ML_DTYPES.get(dtype)
    if ml is not None:
        try:
            import ml_dtypes

            return np.dtype(getattr(ml_dtypes, ml))
        except (ImportError, AttributeError):
            raise ValueError(f"no numpy dtype for {dtype!r} (ml_dtypes is missing or too old)") from None
    try:
        return np.dtype(dtype)
    except TypeError as exc:
        raise ValueError(f"no numpy dtype for {dtype!r}") from exc


def name_of_numpy(dt: np.dtype) -> str:
    if dt.kind in "OUS":
        return "string"
    return _FROM_ML.get(dt.name, str(dt))


def onnx_elem_type(dtype: str) -> int:
    """ONNX element type code of a dtype name (0 if unknown)."""
    return _CODES.get(dtype, 0)
