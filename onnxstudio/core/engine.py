"""The execution engine: a session in the child process, run once, benchmark stream, cancel.

One :class:`Engine` per model and :class:`SessionConfig`; it owns a :class:`ChildHost` whose child keeps the
session warm between runs. The timing loop runs inside the child (no per-iteration IPC) and streams
:class:`TimingBatch` es about every 50 ms, which the CLI and the app's worker thread both drain.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnx.numpy_helper

from onnxstudio.core.dtypes import name_of_numpy
from onnxstudio.core.errors import StudioError
from onnxstudio.core.generation import DecoderInputs, Generated, Sampling, drain
from onnxstudio.core.host import ChildHost
from onnxstudio.core.optimized import OptimizedModel, check_target
from onnxstudio.core.profiling import Profile
from onnxstudio.core.providers import SessionConfig
from onnxstudio.core.stats import LatencyStats

# Graphs smaller than this create sessions fast enough that caching the optimized model is not worth it.
CACHE_MIN_NODES = 2000
CACHE_MAX_BYTES = 1 << 30


def cache_dir() -> Path:
    """Where optimized models are cached (``ONNXSTUDIO_CACHE_DIR`` overrides)."""
    env = os.environ.get("ONNXSTUDIO_CACHE_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "ONNXStudio" / "cache" / "sessions"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "onnxstudio" / "sessions"


@dataclass(frozen=True)
class SessionInfo:
    requested: tuple[str, ...]
    providers: tuple[str, ...]  # what the session really got
    fallback: tuple[str, ...]  # requested but not granted (only with allow_fallback)
    create_ms: float
    cached: bool


@dataclass(frozen=True)
class OutputValue:
    """One model output as returned at run time; ``kind`` is tensor / sequence / map / none."""

    name: str
    value: Any
    kind: str
    dtype: str
    shape: tuple[int, ...] | None


@dataclass(frozen=True)
class RunResult:
    outputs: tuple[OutputValue, ...]
    run_ms: float
    session: SessionInfo
    peak_memory_bytes: int


@dataclass(frozen=True)
class BenchmarkSpec:
    warmup: int = 10
    warmup_s: float | None = None  # warm up for a duration instead of a count
    iterations: int | None = None
    duration_s: float | None = None  # neither given: 100 iterations
    io_binding: bool = False
    batch_interval_s: float = 0.05  # how often timings stream out, whatever the model's speed


@dataclass(frozen=True)
class TimingBatch:
    phase: str  # "warmup" or "measure"
    start_index: int
    latencies_ms: np.ndarray = field(repr=False)
    elapsed_s: float


@dataclass(frozen=True)
class BenchmarkResult:
    stats: LatencyStats
    first_run_ms: float
    session_create_ms: float
    iterations: int
    providers: tuple[str, ...]
    io_binding: bool
    peak_memory_bytes: int
    cancelled: bool
    latencies_ms: np.ndarray = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        s = self.stats
        return {
            "latency_ms": {k: getattr(s, k) for k in
                           ("min", "mean", "median", "p90", "p95", "p99", "p999", "max", "std")},
            "cv": s.cv,
            "throughput_per_s": s.throughput_per_s,
            "session_create_ms": self.session_create_ms,
            "first_run_ms": self.first_run_ms,
            "iterations": self.iterations,
            "providers": list(self.providers),
            "mode": "io_binding" if self.io_binding else "run",
            "peak_memory_bytes": self.peak_memory_bytes,
            "cancelled": self.cancelled,
        }


def describe_output(name: str, value: Any) -> OutputValue:
    if value is None:
        return OutputValue(name, None, "none", "none", None)
    if isinstance(value, np.ndarray):
        return OutputValue(name, value, "tensor", name_of_numpy(value.dtype), tuple(int(d) for d in value.shape))
    if isinstance(value, dict):
        return OutputValue(name, value, "map", "map", (len(value),))
    if isinstance(value, list):
        inner = value[0] if value else None
        dtype = name_of_numpy(inner.dtype) if isinstance(inner, np.ndarray) else \
            "unknown" if inner is None else type(inner).__name__  # an empty sequence tells no element type
        return OutputValue(name, value, "sequence", dtype, (len(value),))
    return OutputValue(name, value, type(value).__name__, type(value).__name__, None)


def plain_feeds(feeds: dict[str, Any]) -> dict[str, Any]:
    """Feeds as onnxruntime takes them: numpy scalars and plain numbers become 0-d arrays, TensorProtos become
    arrays; sequences, maps and arrays pass unchanged."""
    out: dict[str, Any] = {}
    for name, value in feeds.items():
        if isinstance(value, np.generic | bool | int | float):
            value = np.asarray(value)
        elif isinstance(value, onnx.TensorProto):
            value = onnx.numpy_helper.to_array(value)
        out[name] = value
    return out


def file_stamp(path: str | os.PathLike[str]) -> tuple[int, int, int] | None:
    """A file's identity as the system sees it now (modified time, size, inode), None if it cannot be read: a
    model exported again over the same path is another model, whose session must be created again."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


class Engine:
    """A model + session configuration, run in a child process."""

    def __init__(self, model_path: str | os.PathLike[str], config: SessionConfig | None = None, *,
                 memory_limit_bytes: int | None = None, timeout_s: float | None = None) -> None:
        self.model_path = Path(model_path)
        self.stamp = file_stamp(self.model_path)  # the file this engine's sessions read
        self.config = config or SessionConfig()
        self.timeout_s = timeout_s
        self.host = ChildHost(memory_limit_bytes=memory_limit_bytes)
        self.session: SessionInfo | None = None
        self._cacheable: bool | None = None

    # -- session ------------------------------------------------------------------------------------------
    def is_current(self) -> bool:
        """Whether the model file is still the one this engine was made for (not exported again since)."""
        return self.stamp is not None and self.stamp == file_stamp(self.model_path)

    def _check_model_file(self) -> bool:
        """Validate the file and its external data before onnxruntime reads them; whether it may be cached."""
        from onnxstudio.core.loading import load_structure

        loaded = load_structure(self.model_path)
        nodes = loaded.node_count
        return not loaded.external_files and loaded.file_size < CACHE_MAX_BYTES and nodes >= CACHE_MIN_NODES

    def create_session(self) -> SessionInfo:
        if self._cacheable is None:
            self._cacheable = self._check_model_file()
        info = self.host.call("create_session", timeout_s=self.timeout_s, model_path=str(self.model_path),
                              config=self.config.to_dict(), cache_dir=str(cache_dir()),
                              cacheable=self._cacheable)
        self.session = SessionInfo(tuple(info["requested"]), tuple(info["providers"]), tuple(info["fallback"]),
                                   float(info["create_ms"]), bool(info["cached"]))
        return self.session

    def _ensure_session(self) -> SessionInfo:
        if self.session is None or not self.host.alive:
            self.session = None
            return self.create_session()
        return self.session

    # -- work ---------------------------------------------------------------------------------------------
    def run(self, feeds: dict[str, Any], output_names: list[str] | None = None) -> RunResult:
        session = self._ensure_session()

        try:
            res = self.host.call("run", timeout_s=self.timeout_s, feeds=plain_feeds(feeds),
                                 output_names=output_names)
        except StudioError:
            if not self.host.alive:  # the child died with the session in it
                self.session = None
            raise
        outputs = tuple(describe_output(n, v) for n, v in zip(res["names"], res["values"], strict=True))
        return RunResult(outputs, float(res["run_ms"]), session, int(res["peak_memory_bytes"]))

    def run_tensors(self, feeds: dict[str, Any], tensors: list[str]) -> tuple[RunResult, list[str]]:
        """One run with tensors inside the main graph (``["all"]``: every one) as outputs too, after the model's
        own, in a session of its own (the engine's is dropped; the next run creates it again): the result and
        the tensors added. The child checks the file and its external data before onnx reads them."""
        self.session = None
        res = self.host.call("run_tensors", timeout_s=self.timeout_s, model_path=str(self.model_path),
                             config=self.config.to_dict(), feeds=plain_feeds(feeds), tensors=list(tensors))
        info = SessionInfo(tuple(self.config.providers), tuple(res["providers"]), tuple(res["fallback"]),
                           float(res["create_ms"]), False)
        outputs = tuple(describe_output(n, v) for n, v in zip(res["names"], res["values"], strict=True))
        return RunResult(outputs, float(res["run_ms"]), info, int(res["peak_memory_bytes"])), list(res["added"])

    def generate(self, feeds: dict[str, Any], decoder: DecoderInputs, new_tokens: int,
                 stop: Sequence[int] = (), sampling: Sampling | None = None) -> Generated:
        """Generation from the prompt in ``feeds`` (the cache inputs empty; greedy unless ``sampling`` says), in
        the child that holds the session: the tokens, the prefill's time and each later token's."""
        return drain(self.generate_stream(feeds, decoder, new_tokens, stop, sampling=sampling))

    def generate_stream(self, feeds: dict[str, Any], decoder: DecoderInputs, new_tokens: int,
                        stop: Sequence[int] = (), interval_s: float = 0.1, sampling: Sampling | None = None
                        ) -> Generator[list[list[int]], None, Generated]:
        """:meth:`generate`, yielding the new tokens as they come (every ``interval_s`` at most: a list of steps,
        each the token of every row), for a window that shows the text growing; it returns the whole result."""
        self._ensure_session()
        stream = self.host.stream("generate", timeout_s=self.timeout_s, feeds=plain_feeds(feeds),
                                  decoder=decoder.to_dict(), new_tokens=int(new_tokens), stop=list(stop),
                                  interval_s=float(interval_s), sampling=sampling.to_dict() if sampling else None)
        while True:
            try:
                item = next(stream)
            except StopIteration as done:
                res = done.value
                return Generated(res["prompt"], res["tokens"], float(res["prefill_ms"]), list(res["token_ms"]),
                                 bool(res.get("cache", True)))
            yield [list(step) for step in item["tokens"]]

    def save_optimized(self, out_path: str | os.PathLike[str]) -> OptimizedModel:
        """onnxruntime's optimized graph (at the config's level, for its providers) written to ``out_path``, and
        what changed; a session of its own (the engine's is dropped; the next run creates it again)."""
        out = check_target(self.model_path, out_path)
        self.session = None
        res = self.host.call("save_optimized", timeout_s=self.timeout_s, model_path=str(self.model_path),
                             config=self.config.to_dict(), out_path=str(out))
        return OptimizedModel(str(out), self.config.graph_optimization, list(res["providers"]),
                              float(res["create_ms"]), int(res["nodes_before"]), int(res["nodes_after"]),
                              dict(res["ops_before"]), dict(res["ops_after"]), res["external_data"])

    def benchmark(self, feeds: dict[str, Any], spec: BenchmarkSpec | None = None
                  ) -> Iterator[TimingBatch | BenchmarkResult]:
        """Yield TimingBatch items while the benchmark runs, then one BenchmarkResult (also when cancelled)."""
        spec = spec or BenchmarkSpec()
        session = self._ensure_session()
        chunks: list[np.ndarray] = []
        gen = self.host.stream("benchmark", timeout_s=self.timeout_s, feeds=plain_feeds(feeds), warmup=spec.warmup,
                               warmup_s=spec.warmup_s, iterations=spec.iterations, duration_s=spec.duration_s,
                               io_binding=spec.io_binding, batch_interval_s=spec.batch_interval_s)
        try:
            while True:
                try:
                    item = next(gen)
                except StopIteration as stop:
                    summary = stop.value
                    break
                _, phase, start, lat, elapsed = item
                batch = TimingBatch(phase, int(start), np.asarray(lat, dtype=np.float64), float(elapsed))
                if phase == "measure":
                    chunks.append(batch.latencies_ms)
                yield batch
        except StudioError:
            if not self.host.alive:
                self.session = None
            raise
        lat_all = np.concatenate(chunks) if chunks else np.empty(0)
        yield BenchmarkResult(
            stats=LatencyStats.from_ms(lat_all),
            first_run_ms=float(summary["first_run_ms"]),
            session_create_ms=session.create_ms,
            iterations=int(summary["iterations"]),
            providers=session.providers,
            io_binding=spec.io_binding,
            peak_memory_bytes=max(int(summary["peak_memory_bytes"]), self.host.peak_rss),
            cancelled=bool(summary["cancelled"]),
            latencies_ms=lat_all,
        )

    def run_benchmark(self, feeds: dict[str, Any], spec: BenchmarkSpec | None = None) -> BenchmarkResult:
        """Drain :meth:`benchmark` and return its result."""
        result = None
        for item in self.benchmark(feeds, spec):
            if isinstance(item, BenchmarkResult):
                result = item
        assert result is not None
        return result

    def profile(self, feeds: dict[str, Any], runs: int = 10, warmup: int = 1,
                trace_path: str | os.PathLike[str] | None = None) -> Profile:
        """Where the time of a run goes, per kernel, op type and provider (onnxruntime's profiler, in a session
        of its own). The engine's session is dropped to make room; the next run creates it again.
        ``trace_path``: also keep onnxruntime's trace there (Chrome tracing / Perfetto JSON)."""
        if self._cacheable is None:  # external data validated before onnxruntime reads it
            self._cacheable = self._check_model_file()
        self.session = None
        return self.host.call("profile", timeout_s=self.timeout_s, model_path=str(self.model_path),
                              config=self.config.to_dict(), feeds=plain_feeds(feeds), runs=int(runs),
                              warmup=int(warmup), trace_path=str(trace_path) if trace_path else None)

    def probe_providers(self, names: list[str]) -> dict[str, str]:
        return self.host.call("probe_providers", timeout_s=120, names=names)

    def cancel(self) -> None:
        """Thread-safe: stop the benchmark or run in flight (a session being created: the child is killed)."""
        self.host.cancel()

    def close(self) -> None:
        self.host.close()
        self.session = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def probe_providers(names: list[str] | None = None) -> dict[str, str]:
    """Create a tiny session with each provider in a throwaway child: "" when it loads, else why not."""
    import onnxruntime as ort

    names = names if names is not None else [n for n in ort.get_available_providers()
                                             if n != "CPUExecutionProvider"]
    if not names:
        return {}
    host = ChildHost()
    try:
        return host.call("probe_providers", timeout_s=120, names=names)
    finally:
        host.close()
