"""How far apart two runs' outputs are: the same model on two providers (CPU against CUDA or DirectML), with
and without the graph optimizer, or two models taking the same inputs (fp32 against int8).

Per output: the largest and mean absolute difference, the largest relative one, cosine similarity, how many
values fall outside ``rtol``/``atol`` (numpy's ``isclose``: ``|a - b| <= atol + rtol * |b|``, B the reference),
where the largest difference is, and for class scores and class maps, how often the best class agrees.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from onnxstudio.core.engine import Engine, RunResult
from onnxstudio.core.outputs import VIEW_MASK, VIEW_ROWS, VIEW_TOPK, as_plain, guess_views
from onnxstudio.core.providers import SessionConfig
from onnxstudio.core.values import ValueSpec

RTOL, ATOL = 1e-3, 1e-5  # numpy.testing.assert_allclose's use in the ONNX Model Zoo


@dataclass(frozen=True)
class OutputDiff:
    """One output of run A against the same output of run B (the reference)."""

    name: str
    ok: bool
    detail: str  # one line: "max abs diff 2.1e-06", "shape [1, 10] against [1, 1000]", ...
    shape_a: tuple[int, ...] | None = None
    shape_b: tuple[int, ...] | None = None
    size: int = 0
    mismatched: int = 0  # values outside rtol / atol (or unequal, for integers, strings and booleans)
    max_abs: float | None = None
    mean_abs: float | None = None
    max_rel: float | None = None  # |a - b| / max(|a|, |b|): 0 (equal) to 2 (opposite signs)
    cosine: float | None = None
    worst_index: tuple[int, ...] | None = None
    worst_a: float | None = None
    worst_b: float | None = None
    agreement: float | None = None  # best class the same: rows of class scores, pixels of a class map
    agreement_of: str = ""  # what agreement counts: "rows", "pixels"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k, v in d.items():
            if isinstance(v, float) and not math.isfinite(v):
                d[k] = None
        return d


def _agreement(a: np.ndarray, b: np.ndarray, name: str) -> tuple[float | None, str]:
    """How often the best class agrees, for outputs read as class scores or a segmentation's class planes."""
    views = guess_views(a.shape, str(a.dtype), name)
    if not views or a.dtype.kind != "f":
        return None, ""
    non_one = [d for d in a.shape if d != 1]
    if views[0] == VIEW_TOPK:
        return float(np.argmax(a.reshape(-1)) == np.argmax(b.reshape(-1))), "rows"
    if views[0] == VIEW_ROWS and len(non_one) == 2:
        rows = a.reshape(non_one), b.reshape(non_one)
        return float(np.mean(np.argmax(rows[0], 1) == np.argmax(rows[1], 1))), "rows"
    if views[0] == VIEW_MASK and a.ndim >= 3:
        axis = a.ndim - 3  # class planes [.., C, H, W]
        return float(np.mean(np.argmax(a, axis) == np.argmax(b, axis))), "pixels"
    return None, ""


def diff_tensors(name: str, a: np.ndarray, b: np.ndarray, rtol: float = RTOL, atol: float = ATOL,
                 classes: bool = True) -> OutputDiff:
    """``classes``: also say how often the best class agrees where the tensor reads as class scores (an output,
    not an intermediate feature map)."""
    a, b = as_plain(np.asarray(a)), as_plain(np.asarray(b))
    shapes = {"shape_a": tuple(int(d) for d in a.shape), "shape_b": tuple(int(d) for d in b.shape)}
    if a.shape != b.shape:
        return OutputDiff(name, False, f"shape {list(a.shape)} against {list(b.shape)}", **shapes)
    if a.size == 0:
        return OutputDiff(name, True, "empty on both sides", size=0, **shapes)
    numeric = a.dtype.kind in "biufc" and b.dtype.kind in "biufc"
    if not numeric or (a.dtype.kind in "biu" and b.dtype.kind in "biu"):
        same = a == b if numeric or a.dtype == b.dtype else np.asarray(a.astype(str) == b.astype(str))
        bad = int(a.size - np.count_nonzero(same))
        detail = "equal" if not bad else f"{bad:,} of {a.size:,} values differ"
        worst = tuple(int(i) for i in np.unravel_index(int(np.argmin(same)), a.shape)) if bad else None
        extra: dict[str, Any] = {}
        if numeric:
            d = np.abs(a.astype(np.float64) - b.astype(np.float64))
            extra = {"max_abs": float(d.max()), "mean_abs": float(d.mean())}
        return OutputDiff(name, bad == 0, detail, size=int(a.size), mismatched=bad, worst_index=worst, **extra,
                          **shapes)
    complex_ = a.dtype.kind == "c" or b.dtype.kind == "c"
    kind = np.complex128 if complex_ else np.float64
    x, y = a.astype(kind).reshape(-1), b.astype(kind).reshape(-1)
    with np.errstate(invalid="ignore", over="ignore"):
        d = np.abs(x - y)
        close = np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=True)
        scale = np.maximum(np.abs(x), np.abs(y))
        rel = np.where(scale > 0, d / np.where(scale > 0, scale, 1.0), 0.0)
    finite = np.isfinite(d)
    bad = int(x.size - np.count_nonzero(close))
    if finite.any():
        dd = np.where(finite, d, -1.0)
        k = int(np.argmax(dd))
        max_abs, mean_abs = float(d[k]), float(d[finite].mean())
        max_rel = float(np.max(np.where(finite, rel, 0.0)))
    else:
        k, max_abs, mean_abs, max_rel = 0, math.nan, math.nan, math.nan
    if bad and close[k]:  # the largest finite difference is within tolerance: point at a value that is not
        k = int(np.argmin(close))
    both = np.isfinite(x) & np.isfinite(y)
    nx, ny = float(np.linalg.norm(x[both])), float(np.linalg.norm(y[both]))
    cosine = float(np.real(np.vdot(y[both], x[both]))) / (nx * ny) if nx > 0 and ny > 0 else math.nan
    agreement, of = _agreement(a, b, name) if classes and not complex_ else (None, "")
    nan_only = int(np.count_nonzero(np.isnan(x) != np.isnan(y)))
    detail = f"max abs diff {max_abs:.3g}" if math.isfinite(max_abs) else "no finite values to compare"
    if bad:
        detail += f", {bad:,} of {x.size:,} values outside rtol {rtol:g}, atol {atol:g}"
    if nan_only:
        detail += f", NaN on one side only at {nan_only:,}"
    if agreement is not None and agreement < 1.0:
        detail += f", best class agrees on {agreement:.1%} of {of}"
    return OutputDiff(name, bad == 0, detail, size=int(x.size), mismatched=bad, max_abs=max_abs, mean_abs=mean_abs,
                      max_rel=max_rel, cosine=cosine,
                      worst_index=tuple(int(i) for i in np.unravel_index(k, a.shape)),
                      worst_a=None if complex_ else float(x[k]), worst_b=None if complex_ else float(y[k]),
                      agreement=agreement, agreement_of=of, **shapes)


def _same_value(x: Any, y: Any, rtol: float, atol: float) -> bool:
    """A map's values: numbers within tolerance, anything else equal."""
    try:
        return bool(np.allclose(np.asarray(x, np.float64), np.asarray(y, np.float64), rtol=rtol, atol=atol,
                                equal_nan=True))
    except (TypeError, ValueError):
        return bool(x == y)


def diff_map(a: Any, b: Any) -> np.ndarray | None:
    """|A - B| element by element (float64) for two numeric tensors of one shape, for a picture of where they
    differ; None for anything else."""
    if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)) or a.shape != b.shape or a.size == 0:
        return None
    a, b = as_plain(a), as_plain(b)
    if a.dtype.kind not in "biufc" or b.dtype.kind not in "biufc":
        return None
    kind = np.complex128 if a.dtype.kind == "c" or b.dtype.kind == "c" else np.float64
    with np.errstate(invalid="ignore", over="ignore"):
        return np.abs(a.astype(kind) - b.astype(kind)).astype(np.float64)


def diff_values(name: str, a: Any, b: Any, rtol: float = RTOL, atol: float = ATOL,
                classes: bool = True) -> OutputDiff:
    """Any two output values: tensors, sequences of tensors (element by element, the worst one said), maps and
    None (equal or not); ``classes`` as for :func:`diff_tensors`."""
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return diff_tensors(name, a, b, rtol, atol, classes)
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return OutputDiff(name, False, f"a sequence of {len(a)} against {len(b)}")
        parts = [diff_values(f"{name}[{i}]", x, y, rtol, atol, classes) for i, (x, y) in enumerate(zip(a, b, strict=True))]
        failed = [p for p in parts if not p.ok]
        if not failed:
            worst = max((p.max_abs for p in parts if p.max_abs is not None), default=0.0)
            return OutputDiff(name, True, f"{len(parts)} elements, max abs diff {worst:.3g}", max_abs=worst,
                              size=sum(p.size for p in parts))
        return OutputDiff(name, False, f"{len(failed)} of {len(parts)} elements differ; {failed[0].name}: "
                                       f"{failed[0].detail}", size=sum(p.size for p in parts),
                          mismatched=sum(p.mismatched for p in parts))
    if isinstance(a, dict) and isinstance(b, dict):
        keys = set(a) | set(b)
        bad = sorted((k for k in keys if k not in a or k not in b or not _same_value(a[k], b[k], rtol, atol)),
                     key=str)
        return OutputDiff(name, not bad, "equal" if not bad else f"{len(bad)} of {len(keys)} keys differ "
                                                                   f"(first: {bad[0]!r})", size=len(keys),
                          mismatched=len(bad))
    if a is None and b is None:
        return OutputDiff(name, True, "None on both sides")
    return OutputDiff(name, False, f"{type(a).__name__} against {type(b).__name__}")


def diff_outputs(a: Sequence[tuple[str, Any]], b: Sequence[tuple[str, Any]], rtol: float = RTOL,
                 atol: float = ATOL) -> list[OutputDiff]:
    """Outputs matched by name, in A's order; an output only one side has is a failed line."""
    b_by_name = dict(b)
    out = [diff_values(name, value, b_by_name[name], rtol, atol) if name in b_by_name
           else OutputDiff(name, False, "only in A") for name, value in a]
    names_a = {name for name, _ in a}
    out += [OutputDiff(name, False, "only in B") for name, _ in b if name not in names_a]
    return out


def default_b(a: SessionConfig) -> SessionConfig:
    """What A is compared with when nothing else is said: a session on another provider with the CPU, a CPU
    session with the same model unoptimized (does the optimizer change the outputs?), or fully optimized where A
    is unoptimized already (comparing a session with itself tells nothing)."""
    if a.providers != ("CPUExecutionProvider",):
        return replace(a, providers=("CPUExecutionProvider",), provider_options={})
    return other_optimization(a)


def other_optimization(a: SessionConfig) -> SessionConfig:
    """A's session unoptimized, or with every optimization where A has none."""
    return replace(a, graph_optimization="all" if a.graph_optimization == "disabled" else "disabled")


@dataclass(frozen=True)
class CompareSpec:
    """Run B: ``model_b`` (A's model, or another taking the same inputs) on ``config_b``; ``feeds_b`` None:
    A's feeds."""

    model_b: str
    config_b: SessionConfig
    rtol: float = RTOL
    atol: float = ATOL
    feeds_b: dict[str, Any] | None = None
    layers: bool = False  # also every tensor of the main graph, to find where the difference starts


@dataclass(frozen=True)
class CompareResult:
    a: RunResult
    b: RunResult
    model_a: str
    config_a: SessionConfig
    spec: CompareSpec
    diffs: list[OutputDiff]
    layers: Any = None  # core.layers.LayerReport where spec.layers

    @property
    def ok(self) -> bool:
        return all(d.ok for d in self.diffs)


_FLOATS = ("float16", "float32", "float64", "bfloat16")
_INTEGERS = ("int32", "int64")


def feeds_for_b(feeds: dict[str, Any], model_a: str, model_b: str, specs_b: Sequence[ValueSpec],
                notes: list[str] | None = None) -> dict[str, Any]:
    """A's feeds for another model B, by input name; where B wants another floating type (an fp16 conversion
    against its fp32 original) or integer width, cast to it and said in ``notes``. InputError (one line) where B
    takes an input A's feeds do not hold, or an integer that B's type cannot hold."""
    from onnxstudio.core.dtypes import numpy_dtype
    from onnxstudio.core.errors import InputError

    missing = [s.name for s in specs_b if s.name not in feeds]
    if missing:
        raise InputError(f"{model_b} takes input{'s' if len(missing) > 1 else ''} {', '.join(missing)}, which "
                         f"{model_a} does not (its inputs: {', '.join(feeds) or 'none'})")
    out: dict[str, Any] = {}
    for spec in specs_b:
        value = feeds[spec.name]
        have = str(value.dtype) if isinstance(value, np.ndarray) else ""
        if have != spec.dtype and ((have in _FLOATS and spec.dtype in _FLOATS)
                                   or (have in _INTEGERS and spec.dtype in _INTEGERS)):
            target = numpy_dtype(spec.dtype)
            if target.kind in "iu" and value.size and not (np.iinfo(target).min <= value.min()
                                                           and value.max() <= np.iinfo(target).max):
                raise InputError(f"{model_b}'s input {spec.name!r} is {spec.dtype}, which cannot hold A's values "
                                 f"({value.min()} to {value.max()})")
            value = value.astype(target)
            if notes is not None:
                notes.append(f"B's input {spec.name!r} is {spec.dtype}: A's {have} values cast to it")
        out[spec.name] = value
    return out


def engine_for_b(engine_a: Engine, spec: CompareSpec) -> Engine:
    """B's engine: a child process of its own, under A's limits."""
    return Engine(spec.model_b, spec.config_b, timeout_s=engine_a.timeout_s,
                  memory_limit_bytes=engine_a.host.memory_limit_bytes)


def compare_runs(engine_a: Engine, feeds: dict[str, Any], spec: CompareSpec, engine_b: Engine | None = None
                 ) -> CompareResult:
    """Run ``feeds`` on ``engine_a`` (its session kept warm) and on B's (``engine_b``, or one made here and
    closed afterwards), and compare the outputs by name; with ``spec.layers``, every tensor inside too (in B's
    child process, so that cancelling B stops it)."""
    res_a = engine_a.run(feeds)
    own = engine_b is None
    eng_b = engine_for_b(engine_a, spec) if engine_b is None else engine_b
    try:
        res_b = eng_b.run(feeds if spec.feeds_b is None else spec.feeds_b)
        layers = compare_layers(engine_a, eng_b, feeds, spec) if spec.layers else None
    finally:
        if own:
            eng_b.close()
    diffs = diff_outputs([(o.name, o.value) for o in res_a.outputs], [(o.name, o.value) for o in res_b.outputs],
                         spec.rtol, spec.atol)
    return CompareResult(res_a, res_b, str(engine_a.model_path), engine_a.config, spec, diffs, layers)


def compare_layers(engine_a: Engine, engine_b: Engine, feeds: dict[str, Any], spec: CompareSpec) -> Any:
    """Every tensor of A's main graph against B's (:mod:`onnxstudio.core.layers`), in B's child process (its
    session dropped first: the next run there creates it again). A failure (a model too large, memory) is the
    report's note, and the outputs' comparison stands; a cancel is raised."""
    from onnxstudio.core.engine import plain_feeds
    from onnxstudio.core.errors import CancelledError, StudioError
    from onnxstudio.core.layers import LayerReport

    engine_b.session = None
    try:
        return engine_b.host.call(
            "compare_layers", timeout_s=engine_b.timeout_s, model_a=str(engine_a.model_path),
            config_a=engine_a.config.to_dict(), feeds_a=plain_feeds(feeds), model_b=spec.model_b,
            config_b=spec.config_b.to_dict(), feeds_b=plain_feeds(feeds if spec.feeds_b is None else spec.feeds_b),
            rtol=spec.rtol, atol=spec.atol)
    except CancelledError:
        raise
    except StudioError as exc:
        return LayerReport([], notes=[f"layer by layer failed: {exc.message}"])
