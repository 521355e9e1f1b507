"""Worker QObjects living on QThreads: they drain the core's calls and generators and forward results.

Everything crossing threads is a frozen dataclass or an immutable value. Cancel is not a queued signal: the
GUI thread calls ``Engine.cancel()`` directly (the worker's loop is busy).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from onnxstudio.core.compare import CompareResult, CompareSpec, compare_runs, engine_for_b
from onnxstudio.core.each import EachRequest, run_each
from onnxstudio.core.engine import BenchmarkResult, BenchmarkSpec, Engine, TimingBatch
from onnxstudio.core.errors import StudioError
from onnxstudio.core.generation import DecoderInputs, Generated, Sampling, drain
from onnxstudio.core.host import ChildHost, lower_priority
from onnxstudio.core.inspection import ModelReport, count_parameters, report_structure
from onnxstudio.core.loading import LoadedModel, load_structure
from onnxstudio.core.providers import SessionConfig
from onnxstudio.core.seq2seq import PairRequest, run_decoder, run_encoder
from onnxstudio.core.sweep import SweepPoint, SweepRequest, sweep


@dataclass(frozen=True)
class LoadedStructure:
    request: int
    loaded: LoadedModel
    report: ModelReport


@dataclass(frozen=True)
class CheckResult:
    request: int
    path: str
    checker_error: str | None
    shape_inference_error: str | None
    inferred: list[Any] | None


@dataclass(frozen=True)
class ParameterCount:
    request: int
    initializers: int
    parameters: int
    parameter_bytes: int
    constants: int  # tensors held by nodes (Constant values, tensor attributes)
    constant_parameters: int
    constant_bytes: int


@dataclass(frozen=True)
class Failure:
    request: int
    category: str
    message: str


def failure(request: int, exc: BaseException) -> Failure:
    if isinstance(exc, StudioError):
        return Failure(request, exc.category, exc.message)
    return Failure(request, "internal", f"{type(exc).__name__}: {' '.join(str(exc).split())}")


COUNT_WAIT_S = 3.0


class LoadWorker(QObject):
    """Structure first (fast, shown at once), then checker and shape inference in a child process."""

    structure_ready = Signal(object)  # LoadedStructure
    counted = Signal(object)  # ParameterCount (after structure_ready, before checked)
    checked = Signal(object)  # CheckResult
    failed = Signal(object)  # Failure
    recounted = Signal(int, object, object)  # request, ComputeCost or None, error message or None (after checked)
    load_requested = Signal(int, str)
    recount_requested = Signal(int, str, object)  # request, path, dims
    probe_requested = Signal(list)
    probed = Signal(dict)  # provider name -> "" (loads) or why not

    def __init__(self) -> None:
        super().__init__()
        self._host: ChildHost | None = None
        self.latest = 0  # written by the GUI thread: older requests skip their checks
        # set by the GUI thread once the model's graph is on screen: the parameter count and the checks wait
        # for it (up to COUNT_WAIT_S), so that their child process does not compete with the graph's layout
        # for the CPU (0.2 s later on a 100k-node model otherwise)
        self.graph_shown = threading.Event()
        self.load_requested.connect(self.load)
        self.recount_requested.connect(self.recount)
        self.probe_requested.connect(self.probe)

    @Slot(list)
    def probe(self, names: list[str]) -> None:
        """Create a tiny session with each provider in a child: what really loads here."""
        from onnxstudio.core.engine import probe_providers

        try:
            results = probe_providers(names)
        except Exception as exc:
            results = {n: f"the check itself failed: {exc}" for n in names}
        self.probed.emit(results)

    @Slot(int, str, object)
    def recount(self, request: int, path: str, dims: dict[str, int]) -> None:
        """The MACs again with the inputs' free dims at ``dims`` (the user changed them)."""
        if request != self.latest:
            return
        try:
            self.recounted.emit(request, self._child().call("compute_cost", timeout_s=120, path=path, dims=dims),
                                None)
        except StudioError as exc:
            self.recounted.emit(request, None, exc.message)

    @Slot(int, str)
    def load(self, request: int, path: str) -> None:
        self.graph_shown.clear()
        try:
            loaded = load_structure(path, columns=True)
            # parameters are counted once the model is on screen (0.5 s at 178k initializers): see _count
            report = report_structure(loaded, parameters=False)
        except Exception as exc:
            self.failed.emit(failure(request, exc))
            return
        self.structure_ready.emit(LoadedStructure(request, loaded, report))
        self._wait_for_graph(request)
        if request != self.latest:
            return
        self.counted.emit(ParameterCount(request, *self._count(path, loaded)))
        if request != self.latest:
            return
        checked = self._check(request, path)
        self.checked.emit(checked)
        if checked.shape_inference_error is None:
            self.recount(request, path, {})  # the MACs at a run's default dims (after: 2 s more at 100k nodes)

    def _wait_for_graph(self, request: int) -> None:
        """Until the graph is shown, a newer model is asked for, or COUNT_WAIT_S have passed."""
        deadline = time.monotonic() + COUNT_WAIT_S
        while request == self.latest and not self.graph_shown.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self.graph_shown.wait(min(left, 0.05))

    def _count(self, path: str, loaded: LoadedModel) -> tuple[int, int, int, int, int, int]:
        """Counted in the child process (its own core and interpreter: counting here would hold the GIL
        beside the GUI thread); here only if the child cannot (the count itself is safe in-process)."""
        try:
            return tuple(self._child().call("count_parameters", timeout_s=120, path=path))  # type: ignore[return-value]
        except StudioError:
            return count_parameters(loaded)

    def _child(self) -> ChildHost:
        if self._host is None:
            self._host = ChildHost(background=True)  # its checks and counts never slow a run being timed
        return self._host

    def _check(self, request: int, path: str) -> CheckResult:
        checker = shapes = None
        inferred = None
        try:
            checker = self._child().call("check_model", timeout_s=120, path=path)
        except StudioError as exc:
            checker = exc.message
        try:
            inferred = self._child().call("infer_shapes", timeout_s=120, path=path)
        except StudioError as exc:
            shapes = exc.message
        return CheckResult(request, path, checker, shapes, inferred)

    def close(self) -> None:
        if self._host is not None:
            self._host.close()
            self._host = None


# The engine child runs below the GUI's priority: a benchmark flat out on every core (onnxruntime's spinning
# intra-op threads) would otherwise starve the GUI thread on small machines (2 cores: 100-300 ms stalls).
# On an idle core nothing changes; under contention the GUI's few milliseconds per frame come first.
ENGINE_NICENESS = 10


@dataclass(frozen=True)
class EngineJob:
    """``kind``: "session" (create only), "run", "tensors" (a run showing tensors inside the model), "benchmark",
    "optimize" (the optimized graph saved to ``target``), "each" (a run per picture of ``each``'s folder),
    "profile" (``runs`` profiled), "compare" (a run on A, the engine's, and on ``compare``'s B, then their
    outputs compared), "sweep" (a benchmark at each of ``sweep``'s values) or "generate" (``runs`` tokens
    generated greedily with ``decoder``'s cache)."""

    request: int
    kind: str
    model_path: str
    config: SessionConfig
    feeds: dict[str, Any] = field(default_factory=dict)
    spec: BenchmarkSpec | None = None
    runs: int = 10
    compare: CompareSpec | None = None  # kind "compare": run B
    trace: str | None = None  # kind "profile": where onnxruntime's trace is kept
    sweep: SweepRequest | None = None  # kind "sweep": a benchmark (``spec``) at each value of a dim
    tensors: tuple[str, ...] = ()  # kind "tensors": a run with these tensors inside the model as outputs too
    target: str = ""  # kind "optimize": where onnxruntime's optimized graph is saved
    each: EachRequest | None = None  # kind "each": a folder's pictures, one a run, the outputs stacked
    decoder: DecoderInputs | None = None  # kind "generate": ``runs`` new tokens with this decoder's cache
    pair: PairRequest | None = None  # kind "generate": an encoder-decoder's (``model_path`` and ``feeds``: the encoder's)
    stop: tuple[int, ...] = ()  # kind "generate" with ``decoder``: the ids that end it
    sampling: Sampling | None = None  # kind "generate": how each token is chosen (None: greedy)


class EngineWorker(QObject):
    """Owns the Engine (one child process for the current model and session config)."""

    job_requested = Signal(object)
    phase_changed = Signal(int, str)  # request, "session" / "run" / "warmup" / "measure"
    session_ready = Signal(int, object)  # request, SessionInfo
    run_done = Signal(int, object)  # request, RunResult
    batch_ready = Signal(int, object)  # request, TimingBatch
    benchmark_done = Signal(int, object)  # request, BenchmarkResult
    profile_done = Signal(int, object)  # request, Profile
    compare_done = Signal(int, object)  # request, CompareResult
    optimized = Signal(int, object)  # request, OptimizedModel
    sweep_started = Signal(int, int)  # request, the dim's value now benchmarked
    sweep_point = Signal(int, object)  # request, SweepPoint
    generated = Signal(int, object)  # request, Generated
    generating = Signal(int, object)  # request, new tokens so far: [step][row] (a few times a second)
    failed = Signal(object)  # Failure
    idle = Signal(int)  # request finished (whatever happened)

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._engine_b: Engine | None = None  # a comparison's B, while it runs
        self.job_requested.connect(self.do_job)

    @property
    def engine(self) -> Engine | None:
        with self._lock:
            return self._engine

    def cancel(self) -> None:
        """Thread-safe (called from the GUI thread)."""
        with self._lock:
            engines = (self._engine, self._engine_b)
        # A child that died (crash, kill) may leave its multiprocessing Event with a dead waiter, and
        # Event.set() then blocks forever: only cancel a live child.
        for engine in engines:
            if engine is not None and engine.host.alive:
                engine.cancel()

    def _engine_for(self, path: str, config: SessionConfig) -> Engine:
        engine = self.engine
        if (engine is not None and str(engine.model_path) == path and engine.config.key() == config.key()
                and engine.is_current()):  # a model exported again over its file needs a new session
            return engine
        if engine is not None:
            engine.close()
        with self._lock:
            self._engine = Engine(path, config)
            return self._engine

    @Slot(object)
    def do_job(self, job: EngineJob) -> None:
        try:
            engine = self._engine_for(job.model_path, job.config)
            if job.kind == "profile":  # a session of its own, with the profiler on
                self.phase_changed.emit(job.request, "profile")
                prof = engine.profile(job.feeds, runs=job.runs, trace_path=job.trace)
                self.profile_done.emit(job.request, prof)
                return
            if job.kind == "optimize":  # a session of its own, writing the optimized graph
                self.phase_changed.emit(job.request, "session")
                self.optimized.emit(job.request, engine.save_optimized(job.target))
                return
            if job.kind == "tensors":  # a session of its own, on the model with those tensors as outputs
                self.phase_changed.emit(job.request, "run")
                self.run_done.emit(job.request, engine.run_tensors(job.feeds, list(job.tensors))[0])
                return
            if engine.session is None or not engine.host.alive:
                self.phase_changed.emit(job.request, "session")
                engine.session = None
                info = engine.create_session()
                if engine.host.pid is not None:
                    lower_priority(engine.host.pid, ENGINE_NICENESS)
                self.session_ready.emit(job.request, info)
            if job.kind == "run":
                self.phase_changed.emit(job.request, "run")
                self.run_done.emit(job.request, engine.run(job.feeds))
            elif job.kind == "each" and job.each is not None:
                self.phase_changed.emit(job.request, "run")
                self.run_done.emit(job.request, run_each(engine, job.each))
            elif job.kind == "compare" and job.compare is not None:
                self.phase_changed.emit(job.request, "compare")
                self.compare_done.emit(job.request, self._compare(engine, job))
            elif job.kind == "sweep" and job.sweep is not None:
                self._sweep(engine, job)
            elif job.kind == "generate" and job.pair is not None:
                self.phase_changed.emit(job.request, "run")
                self.generated.emit(job.request, self._generate_pair(engine, job, job.pair))
            elif job.kind == "generate" and job.decoder is not None:
                self.phase_changed.emit(job.request, "run")
                steps = engine.generate_stream(job.feeds, job.decoder, job.runs, job.stop, sampling=job.sampling)
                self.generated.emit(job.request, drain(steps, lambda tokens: self.generating.emit(job.request, tokens)))
            elif job.kind == "benchmark":
                phase = ""
                for item in engine.benchmark(job.feeds, job.spec):
                    if isinstance(item, TimingBatch):
                        if item.phase != phase:
                            phase = item.phase
                            self.phase_changed.emit(job.request, phase)
                        self.batch_ready.emit(job.request, item)
                    elif isinstance(item, BenchmarkResult):
                        self.benchmark_done.emit(job.request, item)
        except Exception as exc:
            self.failed.emit(failure(job.request, exc))
        finally:
            self.idle.emit(job.request)

    def _generate_pair(self, engine: Engine, job: EngineJob, req: PairRequest) -> Generated:
        """The encoder's run on ``engine``, then the decoder's generation in a child of its own (stopped as a
        comparison's B is), closed after."""
        states, encoder_ms = run_encoder(engine, req.pair, job.feeds)
        decoder = Engine(req.pair.decoder, job.config)
        with self._lock:
            self._engine_b = decoder
        try:
            decoder.create_session()
            if decoder.host.pid is not None:
                lower_priority(decoder.host.pid, ENGINE_NICENESS)
            generated = run_decoder(decoder, req.pair, states, job.feeds, job.runs, req.start, req.stop,
                                    lambda tokens: self.generating.emit(job.request, tokens), job.sampling)
        finally:
            with self._lock:
                self._engine_b = None
            decoder.close()
        return dataclasses.replace(generated, encoder_ms=encoder_ms)

    def _sweep(self, engine: Engine, job: EngineJob) -> None:
        assert job.sweep is not None
        req, current, phase = job.sweep, None, ""
        for item in sweep(engine, req.dim, req.values, req.feeds_for, job.spec or BenchmarkSpec(), req.batch):
            if isinstance(item, SweepPoint):
                self.sweep_point.emit(job.request, item)
                continue
            value, batch = item
            if value != current:
                current, phase = value, ""
                self.sweep_started.emit(job.request, value)
            if batch.phase != phase:
                phase = batch.phase
                self.phase_changed.emit(job.request, phase)
            self.batch_ready.emit(job.request, batch)

    def _compare(self, engine: Engine, job: EngineJob) -> CompareResult:
        assert job.compare is not None
        engine_b = engine_for_b(engine, job.compare)
        with self._lock:
            self._engine_b = engine_b
        try:
            return compare_runs(engine, job.feeds, job.compare, engine_b)
        finally:
            with self._lock:
                self._engine_b = None
            engine_b.close()

    def close(self) -> None:
        engine = self.engine
        if engine is not None:
            engine.close()
        with self._lock:
            self._engine = None


def start_thread(worker: QObject, name: str) -> QThread:
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    thread.start()
    return thread


def stop_thread(thread: QThread, timeout_ms: int = 10000) -> bool:
    thread.quit()
    return thread.wait(timeout_ms)
