"""Drives the engine worker: one job at a time, stop, and a clean shutdown of its thread and child."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from onnxstudio.core.compare import CompareSpec
from onnxstudio.core.each import EachRequest
from onnxstudio.core.engine import BenchmarkSpec
from onnxstudio.core.generation import DecoderInputs, Sampling
from onnxstudio.core.providers import SessionConfig
from onnxstudio.core.seq2seq import PairRequest
from onnxstudio.core.sweep import SweepRequest
from onnxstudio.ui.workers import EngineJob, EngineWorker, Failure, start_thread, stop_thread


class RunController(QObject):
    """GUI-thread front of :class:`EngineWorker`. Signals carry only the current job's results."""

    busy_changed = Signal(bool)
    phase_changed = Signal(str)
    session_ready = Signal(object)  # SessionInfo
    run_done = Signal(object)  # RunResult
    batch_ready = Signal(object)  # TimingBatch
    benchmark_done = Signal(object)  # BenchmarkResult
    profile_done = Signal(object)  # Profile
    compare_done = Signal(object)  # CompareResult
    optimized = Signal(object)  # OptimizedModel
    sweep_started = Signal(int)  # the dim's value now benchmarked
    sweep_point = Signal(object)  # SweepPoint
    generated = Signal(object)  # Generated
    generating = Signal(object)  # the new tokens of a generation under way: [step][row]
    failed = Signal(object)  # Failure

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = EngineWorker()
        self._thread = start_thread(self._worker, "engine-worker")
        self._request = 0
        self._busy = False
        self.current_kind = ""
        self.stopping = False
        w = self._worker
        # Bound methods (not lambdas) so that the slots run on this object's (the GUI) thread.
        w.phase_changed.connect(self._on_phase)
        w.session_ready.connect(self._on_session)
        w.run_done.connect(self._on_run_done)
        w.batch_ready.connect(self._on_batch)
        w.benchmark_done.connect(self._on_benchmark_done)
        w.profile_done.connect(self._on_profile_done)
        w.compare_done.connect(self._on_compare_done)
        w.optimized.connect(self._on_optimized)
        w.sweep_started.connect(self._on_sweep_started)
        w.sweep_point.connect(self._on_sweep_point)
        w.generated.connect(self._on_generated)
        w.generating.connect(self._on_generating)
        w.failed.connect(self._on_failed)
        w.idle.connect(self._on_idle)

    @property
    def busy(self) -> bool:
        return self._busy

    def _on_phase(self, request: int, phase: str) -> None:
        if request == self._request:
            self.phase_changed.emit(phase)

    def _on_session(self, request: int, info: object) -> None:
        if request == self._request:
            self.session_ready.emit(info)

    def _on_run_done(self, request: int, result: object) -> None:
        if request == self._request:
            self.run_done.emit(result)

    def _on_batch(self, request: int, batch: object) -> None:
        if request == self._request:
            self.batch_ready.emit(batch)

    def _on_benchmark_done(self, request: int, result: object) -> None:
        if request == self._request:
            self.benchmark_done.emit(result)

    def _on_profile_done(self, request: int, result: object) -> None:
        if request == self._request:
            self.profile_done.emit(result)

    def _on_compare_done(self, request: int, result: object) -> None:
        if request == self._request:
            self.compare_done.emit(result)

    def _on_optimized(self, request: int, result: object) -> None:
        if request == self._request:
            self.optimized.emit(result)

    def _on_sweep_started(self, request: int, value: int) -> None:
        if request == self._request:
            self.sweep_started.emit(value)

    def _on_sweep_point(self, request: int, point: object) -> None:
        if request == self._request:
            self.sweep_point.emit(point)

    def _on_generated(self, request: int, result: object) -> None:
        if request == self._request:
            self.generated.emit(result)

    def _on_generating(self, request: int, tokens: object) -> None:
        if request == self._request:
            self.generating.emit(tokens)

    def _on_failed(self, fail: Failure) -> None:
        if fail.request == self._request:
            self.failed.emit(fail)

    def _on_idle(self, request: int) -> None:
        if request == self._request:
            self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            if not busy:
                self.stopping = False
            self.busy_changed.emit(busy)

    def _submit(self, kind: str, model_path: str, config: SessionConfig, feeds: dict[str, Any] | None = None,
                spec: BenchmarkSpec | None = None, runs: int = 10, compare: CompareSpec | None = None,
                trace: str | None = None, sweep: SweepRequest | None = None, tensors: tuple[str, ...] = (),
                target: str = "", each: EachRequest | None = None, decoder: DecoderInputs | None = None,
                pair: PairRequest | None = None, stop: tuple[int, ...] = (),
                sampling: Sampling | None = None) -> bool:
        if self._busy:
            return False
        self._request += 1
        self.current_kind = kind
        self._set_busy(True)
        self._worker.job_requested.emit(EngineJob(self._request, kind, model_path, config, feeds or {}, spec,
                                                   runs, compare, trace, sweep, tensors, target, each, decoder,
                                                   pair, stop, sampling))
        return True

    def create_session(self, model_path: str, config: SessionConfig) -> bool:
        return self._submit("session", model_path, config)

    def run_once(self, model_path: str, config: SessionConfig, feeds: dict[str, Any]) -> bool:
        return self._submit("run", model_path, config, feeds)

    def run_tensors(self, model_path: str, config: SessionConfig, feeds: dict[str, Any],
                    tensors: tuple[str, ...]) -> bool:
        """A run with ``tensors`` inside the model as outputs too (``run_done`` carries it)."""
        return self._submit("tensors", model_path, config, feeds, tensors=tensors)

    def run_each(self, model_path: str, config: SessionConfig, each: EachRequest) -> bool:
        """A run per picture of ``each``'s folder, the outputs stacked (``run_done`` carries them)."""
        return self._submit("each", model_path, config, each=each)

    def save_optimized(self, model_path: str, config: SessionConfig, target: str) -> bool:
        """onnxruntime's optimized graph written to ``target`` (``optimized`` carries what changed)."""
        return self._submit("optimize", model_path, config, target=target)

    def benchmark(self, model_path: str, config: SessionConfig, feeds: dict[str, Any],
                  spec: BenchmarkSpec) -> bool:
        return self._submit("benchmark", model_path, config, feeds, spec)

    def profile(self, model_path: str, config: SessionConfig, feeds: dict[str, Any], runs: int,
                trace: str | None = None) -> bool:
        return self._submit("profile", model_path, config, feeds, runs=runs, trace=trace)

    def compare(self, model_path: str, config: SessionConfig, feeds: dict[str, Any], spec: CompareSpec) -> bool:
        return self._submit("compare", model_path, config, feeds, compare=spec)

    def sweep(self, model_path: str, config: SessionConfig, spec: BenchmarkSpec, sweep: SweepRequest) -> bool:
        return self._submit("sweep", model_path, config, {}, spec, sweep=sweep)

    def generate(self, model_path: str, config: SessionConfig, feeds: dict[str, Any], decoder: DecoderInputs | None,
                 tokens: int, pair: PairRequest | None = None, stop: tuple[int, ...] = (),
                 sampling: Sampling | None = None) -> bool:
        """``decoder``: a decoder alone's generation, ending at a ``stop`` id; ``pair``: an encoder-decoder's
        (``model_path`` the encoder, ``feeds`` its inputs); each token chosen as ``sampling`` says."""
        return self._submit("generate", model_path, config, feeds, runs=tokens, decoder=decoder, pair=pair,
                            stop=stop, sampling=sampling)

    def stop(self) -> None:
        """Directly from the GUI thread: the worker is blocked inside the engine."""
        if self._busy:
            self.stopping = True
            self._worker.cancel()

    def shutdown(self) -> None:
        if self._busy:
            self._worker.cancel()
        if self._thread.isRunning():
            stop_thread(self._thread, 15000)
        self._worker.close()
