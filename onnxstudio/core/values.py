"""ValueSpec: a model input/output/intermediate value's type and shape, in plain Python types."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import onnx

from onnxstudio.core.dtypes import dtype_name, onnx_type_name

Dim = int | str | None  # int: fixed, str: symbolic, None: unknown

# A recurrent model's state, in and out (Silero's ``state``/``stateN``, ``h``/``c``/``hn``/``cn``, ``h0``,
# ``initial_state``, a decoder's ``past_key_values.0.key``/``present.0.key``): inputs start at zeros, and outputs
# are not offered as class scores.
_STATE_NAME = re.compile(r"^(h|c|h0|c0|hx|cx|hn|cn|h_n|c_n|hy|cy|hidden|states?|staten|new_?state)$"
                         r"|(^|[_.\-/])(state|cache|past|present)([_.\-/]|$)", re.IGNORECASE)


def is_state(name: str) -> bool:
    """Whether a value's name says it carries a recurrent state or a cache (see ``_STATE_NAME``)."""
    return bool(_STATE_NAME.search(name))


# An embedding: a face or speaker recogniser's ``feature_output``, CLIP's ``image_embeds``, a sentence encoder's
# ``sentence_embedding``, ``pooler_output``, a keypoint ``descriptors``: a point in a space, compared with others
# by cosine similarity; its largest values are no classes.
_EMBEDDING_NAME = re.compile(r"embed|feature|descriptor|pooler|pooled|(^|[_.\-/:])(feats?|vectors?|vec|embs?)([_.\-/:]|\d|$)",
                             re.IGNORECASE)
_SCORE_NAME = re.compile(r"logit|prob|score|class|label|conf", re.IGNORECASE)


def is_embedding(name: str) -> bool:
    """Whether a value's name says it is an embedding (see ``_EMBEDDING_NAME``), not scores or logits."""
    return bool(_EMBEDDING_NAME.search(name)) and not _SCORE_NAME.search(name)


def as_text(value: str | bytes) -> str:
    """A protobuf string as text: upb hands back proto2 strings that are not valid UTF-8 as bytes; those are
    shown with replacement characters (names the model is run by are refused earlier, by the loader)."""
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


@dataclass(frozen=True)
class ValueSpec:
    """``type`` is tensor / sparse_tensor / sequence / map / optional / unknown; ``dtype`` is the (innermost)
    element type in numpy style; ``shape`` is None when the rank is unknown; ``type_str`` is ONNX's spelling,
    e.g. ``seq(map(int64,tensor(float)))``."""

    name: str
    type: str
    dtype: str
    shape: tuple[Dim, ...] | None
    type_str: str
    doc: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["shape"] = list(self.shape) if self.shape is not None else None
        if not d["doc"]:
            del d["doc"]
        return d

    @property
    def rank(self) -> int | None:
        return None if self.shape is None else len(self.shape)

    def shape_text(self) -> str:
        if self.shape is None:
            return "?"
        return "[" + ", ".join("?" if d is None else str(d) for d in self.shape) + "]"


_UNKNOWN_PARAMS = frozenset({"", "?", "-1", "None", "null"})  # dim_params that say "unknown", not a name


def _shape(tensor_type: Any) -> tuple[Dim, ...] | None:
    if not tensor_type.HasField("shape"):
        return None
    dims: list[Dim] = []
    for d in tensor_type.shape.dim:
        which = d.WhichOneof("value")
        if which == "dim_value":
            # Some exporters (Paddle) write -1 for "any": that is an unknown dim, not a size.
            dims.append(int(d.dim_value) if d.dim_value >= 0 else None)
        elif which == "dim_param":
            # paddle2onnx names every unknown dim "?": as a name it would tie them all to one value (height to
            # width) and hide them from the per-axis setting (--dim x:2=48) that unknown dims get
            param = as_text(d.dim_param)
            dims.append(None if param.strip() in _UNKNOWN_PARAMS else param)
        else:
            dims.append(None)
    return tuple(dims)


def describe_type(tp: onnx.TypeProto) -> tuple[str, str, tuple[Dim, ...] | None, str]:
    """(type, dtype, shape, type_str) of a TypeProto."""
    which = tp.WhichOneof("value")
    if which == "tensor_type":
        t = tp.tensor_type
        return "tensor", dtype_name(t.elem_type), _shape(t), f"tensor({onnx_type_name(t.elem_type)})"
    if which == "sparse_tensor_type":
        t = tp.sparse_tensor_type
        return "sparse_tensor", dtype_name(t.elem_type), _shape(t), f"sparse_tensor({onnx_type_name(t.elem_type)})"
    if which == "sequence_type":
        _, dtype, shape, inner = describe_type(tp.sequence_type.elem_type)
        return "sequence", dtype, shape, f"seq({inner})"
    if which == "map_type":
        key = onnx_type_name(tp.map_type.key_type)
        _, dtype, shape, inner = describe_type(tp.map_type.value_type)
        return "map", dtype, shape, f"map({key},{inner})"
    if which == "optional_type":
        _, dtype, shape, inner = describe_type(tp.optional_type.elem_type)
        return "optional", dtype, shape, f"optional({inner})"
    return "unknown", "undefined", None, "unknown"


def value_spec(vi: onnx.ValueInfoProto) -> ValueSpec:
    kind, dtype, shape, type_str = describe_type(vi.type)
    return ValueSpec(as_text(vi.name), kind, dtype, shape, type_str, as_text(vi.doc_string))
