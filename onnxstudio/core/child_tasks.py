"""The tasks the child process runs (see :mod:`onnxstudio.core.host`): everything native that reads a model.

Each task takes the :class:`~onnxstudio.core.host.ChildContext` first. Before native code that may abort, a
task reports its phase, so that a crash is described ("onnxruntime crashed while creating the session").
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from onnxstudio.core.errors import CancelledError, InputError, ProviderError, SessionError
from onnxstudio.core.host import ChildContext
from onnxstudio.core.ortvalues import needs_ortvalues, ortvalue_feeds, to_numpy

_TERMINATED = "terminate flag"
# Benchmark runs shorter than this are cancelled between iterations instead of through RunOptions.terminate.
INTERRUPTIBLE_RUN_MS = 5.0


def ping(ctx: ChildContext) -> dict[str, str]:
    import onnxruntime as ort

    return {"onnxruntime": ort.__version__, "python": sys.version.split()[0], "pid": str(os.getpid())}


def crash(ctx: ChildContext, how: str = "abort") -> None:
    """For tests of the host: die the way native code does."""
    ctx.phase("the test task", "crashing on purpose", interruptible=False)
    if how == "abort":
        os.abort()
    if how == "segv":
        import ctypes

        ctypes.string_at(0)
    if how == "hang":
        while True:
            time.sleep(0.1)
    if how == "spin":
        while True:
            pass
    if how == "memory":
        hog = []
        while True:
            hog.append(np.ones(16 * 2**20, dtype=np.uint8))


def check_model(ctx: ChildContext, path: str) -> str | None:
    """Run onnx's C++ checker; the error text, or None when the model passes."""
    from onnxstudio.core.loading import load_structure

    loaded = load_structure(path)
    model = loaded.model
    # The checker resolves external-data locations against the working directory when given a proto; the
    # child serves more calls after this one, which may name files relative to the directory it started in.
    cwd = os.getcwd()
    os.chdir(Path(path).resolve().parent)
    try:
        return _check(ctx, model, loaded.stripped, Path(path).name)
    finally:
        os.chdir(cwd)


def _check(ctx: ChildContext, model: Any, stripped: dict[str, Any], file_name: str) -> str | None:
    import onnx

    if stripped:  # tensors whose bytes we skipped: point them at their place in the file itself
        from onnxstudio.core.walk import iter_tensors

        for tensor in iter_tensors(model):
            where = stripped.get(tensor.name)
            if where is not None and not tensor.external_data:
                tensor.data_location = onnx.TensorProto.EXTERNAL
                for key, value in (("location", file_name), ("offset", str(where.offset)),
                                   ("length", str(where.length))):
                    entry = tensor.external_data.add()
                    entry.key, entry.value = key, value
    ctx.phase("the ONNX checker", "checking the model", interruptible=False)
    try:
        onnx.checker.check_model(model)
    except onnx.checker.ValidationError as exc:
        return " ".join(str(exc).split())[:500]
    return None


def count_parameters(ctx: ChildContext, path: str) -> tuple[int, int, int, int, int, int]:
    """(initializers, parameters, bytes): the app counts here, beside its own process (which shares one GIL
    between its GUI thread and its workers; 0.5 s of counting on 178k initializers there stalls the GUI)."""
    from onnxstudio.core.inspection import inspect_model

    report = inspect_model(path, shapes=False)
    return (report.initializer_count, report.parameter_count or 0, report.parameter_bytes or 0,
            report.constant_count or 0, report.constant_parameters or 0, report.constant_bytes or 0)


def infer_shapes(ctx: ChildContext, path: str) -> list[Any]:
    """ValueSpecs of every value onnx's shape inference can type (intermediates and outputs)."""
    import onnx

    from onnxstudio.core.loading import load_structure
    from onnxstudio.core.values import value_spec

    model = load_structure(path).model
    ctx.phase("ONNX shape inference", "inferring shapes", interruptible=False)
    inferred = onnx.shape_inference.infer_shapes(model, check_type=False, strict_mode=False, data_prop=True)
    graph = inferred.graph
    return [value_spec(vi) for vi in (*graph.value_info, *graph.output)]


def compute_cost(ctx: ChildContext, path: str, dims: dict[str, int] | None = None) -> Any:
    """The MACs of a run (:mod:`onnxstudio.core.compute`) with the inputs' free dims at ``dims``, else at a
    run's defaults: written into the inputs so that shape inference carries sizes through the graph."""
    import onnx

    from onnxstudio.core.compute import (
        count_dims,
        count_macs,
        fix_dims,
        restore_ops,
        stand_in_ops,
        unknown_tensors,
    )
    from onnxstudio.core.hf_processor import processor_beside
    from onnxstudio.core.imaging import guess_recipe
    from onnxstudio.core.loading import load_structure
    from onnxstudio.core.values import as_text, value_spec

    loaded = load_structure(path)
    model = loaded.model
    graph = model.graph
    inits = {t.name for t in graph.initializer}
    specs = [value_spec(vi) for vi in graph.input if vi.name not in inits]
    processor = processor_beside(path) if any(guess_recipe(s) for s in specs) else None  # a ViT's 224 x 224
    used = count_dims(specs, dims, {as_text(p.key): as_text(p.value) for p in model.metadata_props},
                      [value_spec(vi) for vi in graph.output], as_text(model.producer_name),
                      processor.size if processor is not None else None)
    fix_dims(graph, specs, used)
    originals = stand_in_ops(graph)  # onnxruntime's ops, for inference, as standard ones of the same shape
    ctx.phase("ONNX shape inference", "inferring shapes to count MACs", interruptible=False)
    inferred = onnx.shape_inference.infer_shapes(model, check_type=False, strict_mode=False, data_prop=True)
    restore_ops(inferred.graph, originals)
    cost = count_macs(inferred.graph, used)
    wanted = unknown_tensors(inferred.graph, cost)
    size = loaded.file_size + sum(f.size for f in loaded.external_files)
    if wanted and len(graph.node) <= RUN_FOR_SHAPES_MAX_NODES and size <= RUN_FOR_SHAPES_MAX_BYTES:
        ran = _shapes_from_a_run(ctx, path, specs, used, wanted)
        if ran:
            cost = count_macs(inferred.graph, used, ran)
    return cost


# A MAC count runs the model once for the shapes inference lacks only where that is quick: a session of a
# 20k-node graph takes seconds to create, and the weights are loaded whole.
RUN_FOR_SHAPES_MAX_BYTES = 1 << 30
RUN_FOR_SHAPES_MAX_NODES = 5000


def _shapes_from_a_run(ctx: ChildContext, path: str, specs: list[Any], dims: dict[str, int], names: list[str]
                       ) -> dict[str, tuple[int, ...]]:
    """The shapes of ``names`` in one run at ``dims`` on the inputs a run starts from (random ids, zero states):
    where shape inference loses a size (torch's legacy export of a transformer: a broadcast of its batch with an
    unknown), the run knows it. Unoptimized, on the CPU; any failure (a custom op, data the defaults do not fit)
    leaves those nodes uncounted, as before."""
    from onnxstudio.core.inputs import build_feeds
    from onnxstudio.core.layers import expose_named
    from onnxstudio.core.providers import SessionConfig

    try:
        feeds = build_feeds(specs, {}, dims)
        config = SessionConfig(graph_optimization="disabled", use_cache=False).to_dict()
        sess, _added, _ms, _missing = _exposing_session(ctx, path, config, lambda m: expose_named(m, names),
                                                        "the model for the shapes shape inference lacks")
        ctx.phase("onnxruntime", "running the model once for the shapes shape inference lacks")
        out_names, values, _ = _run_all(ctx, sess, feeds)
    except CancelledError:
        raise
    except Exception:
        return {}
    wanted = set(names)
    return {n: tuple(np.shape(v)) for n, v in zip(out_names, values, strict=True)
            if n in wanted and isinstance(v, np.ndarray)}


@contextlib.contextmanager
def capture_stderr() -> Iterator[list[str]]:
    """Capture what native code writes to file descriptor 2 (onnxruntime's provider-load errors)."""
    out: list[str] = []
    if sys.stderr is not None:  # None in a child of a windowed build
        sys.stderr.flush()
    log_path = os.environ.get("ONNXSTUDIO_CHILD_LOG")
    if log_path:  # fd 2 already goes to the child's log: read what gets appended (survives an abort)
        start = os.path.getsize(log_path)
        try:
            yield out
        finally:
            with open(log_path, "rb") as fh:
                fh.seek(start)
                out.extend(fh.read().decode("utf-8", "replace").splitlines())
        return
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        os.dup2(tmp.fileno(), 2)
        try:
            yield out
        finally:
            if sys.stderr is not None:
                sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            tmp.seek(0)
            out.extend(tmp.read().decode("utf-8", "replace").splitlines())


def _load_error(lines: list[str]) -> str:
    for line in lines:
        if "Failed to load" in line or "error" in line.lower():
            return " ".join(line.split())[-400:]
    return " ".join(" ".join(lines).split())[-400:]


def _tiny_model_bytes() -> bytes:
    from onnx import TensorProto, helper

    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "probe",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)
    return model.SerializeToString()


def probe_providers(ctx: ChildContext, names: list[str]) -> dict[str, str]:
    """For each provider: "" when a session really gets it, else why not (onnxruntime's load error)."""
    import onnxruntime as ort

    data = _tiny_model_bytes()
    _preload_gpu_libraries(names)
    results: dict[str, str] = {}
    for name in names:
        ctx.phase("onnxruntime", f"loading {name}", interruptible=False)
        so = ort.SessionOptions()
        so.log_severity_level = 3
        try:
            with capture_stderr() as lines:
                sess = ort.InferenceSession(data, so, providers=[name, "CPUExecutionProvider"])
            got = sess.get_providers()
            results[name] = "" if name in got else (_load_error(lines) or "onnxruntime fell back to CPU")
        except Exception as exc:
            results[name] = " ".join(str(exc).split())[:400]
    return results


def _preload_gpu_libraries(names: list[str] | tuple[str, ...]) -> None:
    """onnxruntime-gpu >= 1.21 finds CUDA/cuDNN from the nvidia-* wheels only after ``preload_dlls()``."""
    import onnxruntime as ort

    if {"CUDAExecutionProvider", "TensorrtExecutionProvider"} & set(names) and hasattr(ort, "preload_dlls"):
        with contextlib.suppress(Exception), capture_stderr():
            ort.preload_dlls()


# --- sessions ----------------------------------------------------------------------------------------------
def _session_options(cfg: Any) -> Any:
    import onnxruntime as ort

    levels = {
        "disabled": ort.GraphOptimizationLevel.ORT_DISABLE_ALL,
        "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
        "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
        "layout": getattr(ort.GraphOptimizationLevel, "ORT_ENABLE_LAYOUT",
                          ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED),
        "all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
    }
    so = ort.SessionOptions()
    so.intra_op_num_threads = int(cfg.intra_op_threads)
    so.inter_op_num_threads = int(cfg.inter_op_threads)
    so.graph_optimization_level = levels[cfg.graph_optimization]
    so.execution_mode = (ort.ExecutionMode.ORT_PARALLEL if cfg.execution_mode == "parallel"
                         else ort.ExecutionMode.ORT_SEQUENTIAL)
    so.enable_cpu_mem_arena = bool(cfg.enable_mem_arena)
    so.log_severity_level = int(cfg.log_severity)
    # Never let an untrusted model choose its own session options.
    so.add_session_config_entry("session.load_config_from_model", "0")
    for library in cfg.custom_op_libraries:
        if not Path(library).is_file():
            raise SessionError(f"custom-op library {library!r} does not exist")
        try:
            so.register_custom_ops_library(str(library))
        except Exception as exc:
            raise SessionError(f"could not load the custom-op library {library!r}: "
                               f"{' '.join(str(exc).split())[:300]}") from None
    return so


def _cpu_id() -> str:
    import platform

    ident = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        text = Path("/proc/cpuinfo").read_text(errors="replace")
        for line in text.splitlines():
            if line.startswith(("model name", "flags")):
                ident += "|" + line.split(":", 1)[-1].strip()
            if line.startswith("flags"):
                break
    return ident


def cache_key(model_path: str, cfg: Any) -> str:
    import hashlib

    import onnxruntime as ort

    h = hashlib.sha256()
    with open(model_path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    h.update(f"|{ort.__version__}|{cfg.key()}|{_cpu_id()}".encode())
    return h.hexdigest()[:32]


def _shape(arg: Any) -> list[Any] | None:
    """A session input's or output's shape as onnxruntime gives it; None where a dim's name is not UTF-8 (its
    binding raises UnicodeDecodeError: inspection shows such names replaced, and the model runs)."""
    try:
        return list(arg.shape)
    except UnicodeDecodeError:
        return None


def _terminate_watcher(ctx: ChildContext) -> None:
    """Turn the parent's cancel flag into ``RunOptions.terminate`` on the run in flight (polled every 10 ms)."""
    if ctx.state.get("watcher"):
        return
    flag = ctx.cancel_flag

    def watch() -> None:
        while True:
            time.sleep(0.01)
            if flag.value:
                ro = ctx.state.get("run_options")
                if ro is not None:
                    ro.terminate = True

    threading.Thread(target=watch, name="terminate-watcher", daemon=True).start()
    ctx.state["watcher"] = True


def _new_session(ctx: ChildContext, cfg: Any, to_load: str, so: Any) -> tuple[Any, list[str], float, list[str]]:
    """An InferenceSession on ``cfg``'s providers (CPU last); its stderr lines, creation time in ms and the
    providers requested but not granted (an error unless ``cfg.allow_fallback``)."""
    import onnxruntime as ort

    from onnxstudio.core.providers import spec_for

    available = ort.get_available_providers()
    providers: list[Any] = []
    for name in cfg.providers:
        if name not in available:
            raise ProviderError(f"execution provider {name!r} is not available; available here: "
                                f"{', '.join(available)}. {spec_for(name).hint}")
        opts = cfg.provider_options.get(name)
        providers.append((name, {k: str(v) for k, v in opts.items()}) if opts else name)
    if "CPUExecutionProvider" not in cfg.providers:
        providers.append("CPUExecutionProvider")
    _preload_gpu_libraries(cfg.providers)
    ctx.phase("onnxruntime", "creating the session", interruptible=False)
    t0 = time.perf_counter_ns()
    try:
        with capture_stderr() as lines:
            sess = ort.InferenceSession(to_load, so, providers=providers)
    except Exception as exc:
        text = " ".join(str(exc).split())
        raise SessionError(f"onnxruntime could not create a session: {_known_cause(text)}{text[:600]}") from None
    create_ms = (time.perf_counter_ns() - t0) / 1e6
    got = list(sess.get_providers())
    missing = [p for p in cfg.providers if p not in got]
    if missing and not cfg.allow_fallback:
        why = _load_error(lines)
        raise ProviderError(f"{', '.join(missing)} was requested but the session fell back to {', '.join(got)}"
                            f"{': ' + why if why else ''}. {spec_for(missing[0]).hint}")
    return sess, lines, create_ms, missing


def create_session(ctx: ChildContext, model_path: str, config: dict[str, Any], cache_dir: str | None = None,
                   cacheable: bool = False) -> dict[str, Any]:
    """Create (or reuse) the session for ``model_path`` and ``config``; SessionInfo fields as a dict."""
    import onnxruntime as ort

    from onnxstudio.core.providers import SessionConfig

    cfg = SessionConfig.from_dict(config)
    ctx.state.pop("session", None)
    so = _session_options(cfg)
    to_load, cached, cache_path, tmp_path, refused = model_path, False, None, None, None
    if cache_dir and cfg.use_cache and cacheable and cfg.providers == ("CPUExecutionProvider",) \
            and cfg.graph_optimization != "disabled":
        ctx.phase("ONNX Studio", "hashing the model for the session cache")
        cache_path = Path(cache_dir) / f"{cache_key(model_path, cfg)}.onnx"
        refused = cache_path.with_suffix(".refused")
        if refused.exists():  # onnxruntime cannot load what it wrote for this model: never cached
            pass
        elif cache_path.is_file():
            to_load, cached = str(cache_path), True
            so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
            with contextlib.suppress(OSError):
                refused.touch()  # removed once it loads; left behind if loading it kills this process
        else:
            cache_path.parent.mkdir(parents=True, exist_ok=True)
            tmp_path = cache_path.with_suffix(f".tmp{os.getpid()}.onnx")
            so.optimized_model_filepath = str(tmp_path)
    try:
        sess, lines, create_ms, missing = _new_session(ctx, cfg, to_load, so)
    except SessionError:
        if not cached:
            raise
        # onnxruntime writes some optimized models it cannot read again (Mask R-CNN's: a Loop body naming an
        # output twice, "not in SSA form"): the model itself, optimized again, and never cached again
        with contextlib.suppress(OSError):
            os.unlink(cache_path)  # type: ignore[arg-type]
        to_load, cached = model_path, False
        sess, lines, create_ms, missing = _new_session(ctx, cfg, model_path, _session_options(cfg))
    else:
        if cached and refused is not None:
            with contextlib.suppress(OSError):
                refused.unlink()
    if tmp_path is not None and tmp_path.is_file():
        with contextlib.suppress(OSError):
            os.replace(tmp_path, cache_path)  # type: ignore[arg-type]
    got = list(sess.get_providers())
    ctx.state["session"] = sess
    _terminate_watcher(ctx)
    return {
        "requested": list(cfg.providers),
        "providers": got,
        "fallback": missing,
        "create_ms": create_ms,
        "cached": cached,
        "log": [line for line in lines if line.strip()][-20:],
        "inputs": [(i.name, i.type, _shape(i)) for i in sess.get_inputs()],
        "outputs": [(o.name, o.type, _shape(o)) for o in sess.get_outputs()],
    }


def _session(ctx: ChildContext) -> Any:
    sess = ctx.state.get("session")
    if sess is None:
        raise SessionError("no session: create one first")
    return sess


def _known_cause(text: str) -> str:
    """What a cryptic onnxruntime failure means, where it is known, put before its own words."""
    locale = re.search(r"Failed to construct locale with name:\s*([^:\s]+)", text)
    if locale:  # skl2onnx's StringNormalizer names a C++ locale; a minimal Linux has only C and POSIX
        return (f"the model's StringNormalizer needs the system locale {locale.group(1)}, which is not installed "
                f"(Debian/Ubuntu: apt install locales, then locale-gen {locale.group(1)}); ")
    return ""


def _fed(feeds: dict[str, Any]) -> str:
    """The shapes a failed run was given, for its message: ORT's own names a node deep inside the graph (Silero
    fed a whole recording instead of one 512-sample window: "Input X must have 3 dimensions only")."""
    def shape(value: Any) -> str:
        if isinstance(value, (list, tuple)):
            return f"a sequence of {len(value)}"
        dims = getattr(value, "shape", None)
        dims = dims() if callable(dims) else dims  # an OrtValue's shape is a method
        return f"[{', '.join(str(d) for d in dims)}]" if dims is not None else type(value).__name__

    text = ", ".join(f"{name} {shape(value)}" for name, value in list(feeds.items())[:8])
    return text + (", ..." if len(feeds) > 8 else "")


def _run_once(ctx: ChildContext, run: Callable[[Any], Any], feeds: dict[str, Any] | None = None) -> Any:
    import onnxruntime as ort

    ro = ort.RunOptions()
    ctx.state["run_options"] = ro
    if ctx.cancelled():
        raise CancelledError("cancelled")
    try:
        return run(ro)
    except Exception as exc:
        text = " ".join(str(exc).split())
        if _TERMINATED in text or ctx.cancelled():
            raise CancelledError("the run was cancelled") from None
        fed = f" on {_fed(feeds)}" if feeds else ""
        raise SessionError(f"onnxruntime failed to run the model{fed}: {text[:600]}") from None
    finally:
        ctx.state["run_options"] = None


def run(ctx: ChildContext, feeds: dict[str, Any], output_names: list[str] | None = None) -> dict[str, Any]:
    sess = _session(ctx)
    names = output_names or [o.name for o in sess.get_outputs()]
    ctx.phase("onnxruntime", "running the model")
    if needs_ortvalues(sess):  # bfloat16 / float8 tensors: OrtValues in, arrays copied out
        ort_feeds = ortvalue_feeds(sess, feeds)
        t0 = time.perf_counter_ns()
        values = _run_once(ctx, lambda ro: sess.run_with_ort_values(names, ort_feeds, ro), feeds)
        run_ms = (time.perf_counter_ns() - t0) / 1e6
        outputs = [to_numpy(v) for v in values]
        return {"names": names, "values": outputs, "run_ms": run_ms, "peak_memory_bytes": peak_rss()}
    t0 = time.perf_counter_ns()
    outputs = _run_once(ctx, lambda ro: sess.run(names, feeds, ro), feeds)
    run_ms = (time.perf_counter_ns() - t0) / 1e6
    return {"names": names, "values": list(outputs), "run_ms": run_ms, "peak_memory_bytes": peak_rss()}


def peak_rss() -> int:
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return int(peak if sys.platform == "darwin" else peak * 1024)
    except ImportError:  # Windows
        import psutil

        return int(getattr(psutil.Process().memory_info(), "peak_wset", 0))


def _io_binding_runner(sess: Any, feeds: dict[str, Any]) -> Callable[[Any], Any]:
    """Inputs bound once, outputs bound to CPU (onnxruntime reuses their buffers).

    Passing RunOptions to ``run_with_iobinding`` costs ~55 us a call in onnxruntime 1.32 (measured: 3.5 us
    without), so this mode runs without them: it is cancelled between iterations, not inside one.
    """
    binding = sess.io_binding()
    for name, value in feeds.items():
        if hasattr(value, "data_ptr"):  # an OrtValue (bfloat16 / float8 inputs)
            binding.bind_ortvalue_input(name, value)
        else:
            binding.bind_cpu_input(name, value)
    for meta in sess.get_outputs():
        binding.bind_output(meta.name, "cpu")

    def run(ro: Any) -> Any:
        sess.run_with_iobinding(binding)

    return run


def _runners(sess: Any, feeds: dict[str, Any]) -> tuple[Callable[[Any], Any], Callable[[Any], Any], dict[str, Any]]:
    """(a run without RunOptions, a run with them, the feeds they use): bfloat16 / float8 tensors travel as
    OrtValues, through ``run_with_ort_values``."""
    if needs_ortvalues(sess):
        names = [o.name for o in sess.get_outputs()]
        ort_feeds = ortvalue_feeds(sess, feeds)
        return (lambda ro: sess.run_with_ort_values(names, ort_feeds),
                lambda ro: sess.run_with_ort_values(names, ort_feeds, ro), ort_feeds)
    return lambda ro: sess.run(None, feeds), lambda ro: sess.run(None, feeds, ro), feeds


def benchmark(ctx: ChildContext, feeds: dict[str, Any], warmup: int = 10, warmup_s: float | None = None,
              iterations: int | None = None, duration_s: float | None = None, io_binding: bool = False,
              batch_interval_s: float = 0.05) -> Iterator[tuple[Any, ...]]:
    """Yield ("batch", phase, start_index, latencies_ms, elapsed_s) about every ``batch_interval_s``;
    return the first run's time and the process's peak memory."""
    sess = _session(ctx)
    if iterations is None and duration_s is None:
        iterations = 100
    ctx.phase("onnxruntime", "running the model (first run)")
    plain, with_options, feeds = _runners(sess, feeds)  # the IO-binding runner binds these feeds too
    t0 = time.perf_counter_ns()
    _run_once(ctx, with_options, feeds)
    first_ms = (time.perf_counter_ns() - t0) / 1e6
    # RunOptions.terminate interrupts a run between nodes; worth it only for runs long enough to interrupt.
    # Passing RunOptions changes the cost of the call itself (pybind's overload dispatch: ~1.5 us less than
    # None on onnxruntime 1.32), so short runs are timed exactly as a plain ``session.run(None, feeds)`` loop
    # and are cancelled between iterations, which comes within a few milliseconds anyway.
    interruptible = first_ms >= INTERRUPTIBLE_RUN_MS
    if io_binding:
        runner = _io_binding_runner(sess, feeds)
    elif interruptible:
        runner = with_options
    else:
        runner = plain
    ctx.phase("onnxruntime", "warming up")
    yield from _timed_loop(ctx, runner, "warmup", warmup if warmup_s is None else None, warmup_s,
                           batch_interval_s, interruptible)
    ctx.phase("onnxruntime", "benchmarking")
    count = yield from _timed_loop(ctx, runner, "measure", iterations, duration_s, batch_interval_s,
                                   interruptible)
    return {"first_run_ms": first_ms, "iterations": count, "peak_memory_bytes": peak_rss(),
            "cancelled": ctx.cancelled()}


def _timed_loop(ctx: ChildContext, runner: Callable[[Any], Any], phase: str, count: int | None,
                duration_s: float | None, interval_s: float, interruptible: bool = True
                ) -> Iterator[tuple[Any, ...]]:
    import onnxruntime as ort

    if count is not None and count <= 0:
        return 0
    perf = time.perf_counter_ns
    interval = int(interval_s * 1e9)
    buf = np.empty(4096, dtype=np.int64)
    n_buf = done = start_index = 0
    started = perf()
    deadline = started + int(duration_s * 1e9) if duration_s is not None else None
    next_flush = started + interval
    state = ctx.state
    flag = ctx.cancel_flag
    while True:
        if flag.value:
            break
        ro = None
        if interruptible:  # a fresh one per run: once terminate is set it stays set
            ro = ort.RunOptions()
            state["run_options"] = ro
        t0 = perf()
        try:
            runner(ro)
        except Exception as exc:
            if flag.value or _TERMINATED in str(exc):
                break
            raise SessionError(f"onnxruntime failed during the benchmark: {' '.join(str(exc).split())[:600]}") \
                from None
        t1 = perf()
        buf[n_buf] = t1 - t0
        n_buf += 1
        done += 1
        finished = (count is not None and done >= count) or (deadline is not None and t1 >= deadline)
        if t1 >= next_flush or n_buf == buf.size or finished:
            yield ("batch", phase, start_index, buf[:n_buf] / 1e6, (t1 - started) / 1e9)
            start_index += n_buf
            n_buf = 0
            next_flush = t1 + interval
        if finished:
            break
    state["run_options"] = None
    if n_buf:
        yield ("batch", phase, start_index, buf[:n_buf] / 1e6, (perf() - started) / 1e9)
    return done


def _split(flat: list[Any], counts: np.ndarray) -> list[list[str]]:
    """Flat per-node lists (NodeColumns' inputs or outputs) cut back into one list per node."""
    ends = np.cumsum(counts).tolist()
    return [[str(v) for v in flat[e - n:e]] for e, n in zip(ends, counts.tolist(), strict=True)]


# Kernel events a profile may hold: onnxruntime writes each as ~500 bytes of JSON, read back whole.
PROFILE_MAX_EVENTS = 400_000


def profile(ctx: ChildContext, model_path: str, config: dict[str, Any], feeds: dict[str, Any], runs: int = 10,
            warmup: int = 1, trace_path: str | None = None) -> Any:
    """Profile ``runs`` runs (after ``warmup``) in a session of its own with onnxruntime's profiler on; the
    engine's session is dropped first (two sessions of a large model would hold its weights twice).
    ``trace_path``: where onnxruntime's own trace (Chrome tracing JSON) is copied. Returns a
    :class:`~onnxstudio.core.profiling.Profile`."""
    import json
    import shutil

    from onnxstudio.core.loading import load_structure
    from onnxstudio.core.profiling import Profile, read_trace
    from onnxstudio.core.providers import SessionConfig

    cfg = SessionConfig.from_dict(config)
    ctx.state.pop("session", None)
    ctx.phase("ONNX Studio", "reading the model's nodes")
    loaded = load_structure(model_path, columns=True)
    cols = loaded.columns
    if cols is not None:
        names, ops = [str(n) for n in cols.names], [str(o) for o in cols.op_types]
        outputs, inputs = _split(cols.outputs, cols.n_outputs), _split(cols.inputs, cols.n_inputs)
    else:
        nodes = list(loaded.nodes)
        names, ops = [str(n.name) for n in nodes], [str(n.op_type) for n in nodes]
        outputs, inputs = [[str(o) for o in n.output] for n in nodes], [[str(i) for i in n.input] for n in nodes]
    notes = []
    most = max(1, PROFILE_MAX_EVENTS // max(len(names), 1) - warmup - 1)
    if runs > most:
        notes.append(f"{runs} runs asked, {most} profiled: the profiler writes an event per kernel call")
        runs = most
    folder = tempfile.mkdtemp(prefix="onnxstudio-profile-")
    try:
        so = _session_options(cfg)
        so.enable_profiling = True
        so.profile_file_prefix = str(Path(folder) / "profile")
        sess, _lines, _ms, _missing = _new_session(ctx, cfg, model_path, so)
        _terminate_watcher(ctx)
        _, once, feeds = _runners(sess, feeds)
        done = 0
        for i in range(warmup + runs):
            ctx.phase("onnxruntime", "warming up" if i < warmup else f"profiling run {i - warmup + 1} of {runs}")
            try:
                _run_once(ctx, once, feeds)
            except CancelledError:
                if i < warmup + 1:
                    raise
                break
            done = i + 1
        ctx.phase("onnxruntime", "reading the profile", interruptible=False)
        written = sess.end_profiling()
        providers = list(sess.get_providers())
        sess = once = None  # its weights go before the trace is read
        with open(written, encoding="utf-8") as fh:
            events = json.load(fh)
        if trace_path:
            try:
                shutil.copyfile(written, trace_path)
            except OSError as exc:
                raise InputError(f"cannot write the trace to {trace_path}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if done < warmup + runs:
        notes.append(f"stopped after {done - warmup} of {runs} runs")
    trace = read_trace(events, warmup_runs=min(warmup, done), runs=max(done - warmup, 0))
    return Profile.from_trace(trace, names, ops, outputs, inputs, providers=providers,
                              optimization=cfg.graph_optimization, notes=notes)


def _exposing_session(ctx: ChildContext, model_path: str, config: dict[str, Any], expose: Callable[[Any], Any],
                      what: str) -> tuple[Any, Any, float, list[str]]:
    """A session on ``model_path`` rewritten in memory by ``expose`` (tensors made outputs): (the session,
    what ``expose`` returned, creation ms, providers not granted)."""
    import onnx

    from onnxstudio.core.layers import MAX_BYTES
    from onnxstudio.core.loading import load_structure
    from onnxstudio.core.providers import SessionConfig

    load_structure(model_path)  # the file and its external data checked before onnx reads any of it
    ctx.phase("onnx", f"reading {what} with its weights")
    model = onnx.load(model_path)
    exposed = expose(model)
    if model.ByteSize() > MAX_BYTES:
        raise InputError(f"{what} is over 2 GB with its weights: too large to rewrite with its tensors as outputs")
    data = model.SerializeToString()
    del model
    cfg = SessionConfig.from_dict(config)
    sess, _lines, create_ms, missing = _new_session(ctx, cfg, data, _session_options(cfg))  # type: ignore[arg-type]
    return sess, exposed, create_ms, missing


def _run_all(ctx: ChildContext, sess: Any, feeds: dict[str, Any]) -> tuple[list[str], list[Any], float]:
    """Every output of ``sess`` for ``feeds``: (names, values, run ms)."""
    names = [o.name for o in sess.get_outputs()]
    t0 = time.perf_counter_ns()
    if needs_ortvalues(sess):
        ort_feeds = ortvalue_feeds(sess, feeds)
        values = [to_numpy(v) for v in _run_once(ctx, lambda ro: sess.run_with_ort_values(names, ort_feeds, ro),
                                                  feeds)]
    else:
        values = list(_run_once(ctx, lambda ro: sess.run(names, feeds, ro), feeds))
    return names, values, (time.perf_counter_ns() - t0) / 1e6


def _exposed_run(ctx: ChildContext, model_path: str, config: dict[str, Any], feeds: dict[str, Any],
                 side: str) -> tuple[list[tuple[str, int, str, str]], dict[str, Any]]:
    """``model_path`` with every main-graph tensor made an output, run once on ``config``: (what was exposed,
    the values by name)."""
    from onnxstudio.core.layers import expose_tensors

    sess, exposed, _ms, _missing = _exposing_session(ctx, model_path, config, expose_tensors, f"model {side}")
    ctx.phase("onnxruntime", f"running model {side} with every tensor exposed")
    names, values, _ = _run_all(ctx, sess, feeds)
    return exposed, dict(zip(names, values, strict=True))


def run_tensors(ctx: ChildContext, model_path: str, config: dict[str, Any], feeds: dict[str, Any],
                tensors: list[str]) -> dict[str, Any]:
    """One run with the tensors ``tensors`` (``["all"]``: every one) inside the main graph made outputs too,
    after the model's own: ``run``'s fields plus ``added`` (the tensors added) and the session's. The engine's
    session makes way (its weights are not held twice); exposing tensors keeps onnxruntime from fusing across
    them, which rarely changes values a little."""
    from onnxstudio.core.layers import expose_named

    ctx.state.pop("session", None)
    sess, added, create_ms, missing = _exposing_session(ctx, model_path, config,
                                                        lambda m: expose_named(m, tensors), "the model")
    ctx.phase("onnxruntime", "running the model with tensors inside it as outputs")
    names, values, run_ms = _run_all(ctx, sess, feeds)
    return {"names": names, "values": values, "run_ms": run_ms, "peak_memory_bytes": peak_rss(), "added": added,
            "providers": list(sess.get_providers()), "fallback": missing, "create_ms": create_ms}


def compare_layers(ctx: ChildContext, model_a: str, config_a: dict[str, Any], feeds_a: dict[str, Any],
                   model_b: str, config_b: dict[str, Any], feeds_b: dict[str, Any], rtol: float,
                   atol: float) -> Any:
    """A LayerReport (:mod:`onnxstudio.core.layers`): every tensor of A against B's of the same name."""
    from onnxstudio.core.layers import match_layers

    ctx.state.pop("session", None)  # B's session makes way (its weights are not held twice)
    exposed, a = _exposed_run(ctx, model_a, config_a, feeds_a, "A")
    _, b = _exposed_run(ctx, model_b, config_b, feeds_b, "B")
    ctx.phase("ONNX Studio", "comparing the tensors")
    report = match_layers(exposed, a, b, rtol, atol)
    if not report.layers:
        report.notes.append("A and B have no tensor of the same name: nothing to compare layer by layer")
    return report


def save_optimized(ctx: ChildContext, model_path: str, config: dict[str, Any], out_path: str) -> dict[str, Any]:
    """A session created on ``config`` writes onnxruntime's optimized graph to ``out_path`` (for a model with
    external data or over 1 GB, its weights of 1 KB and more to ``<name>.data`` beside it); the engine's session
    makes way first. The main graph's node count and op types before and after come back with it."""
    from onnxstudio.core.loading import load_structure
    from onnxstudio.core.optimized import EXTERNAL_ABOVE, op_counts
    from onnxstudio.core.providers import SessionConfig

    ctx.state.pop("session", None)
    loaded = load_structure(model_path)  # the file and its external data checked before onnxruntime reads them
    external = bool(loaded.external_files) or loaded.file_size > EXTERNAL_ABOVE
    cfg = SessionConfig.from_dict(config)
    if cfg.graph_optimization == "disabled":
        raise InputError("graph optimization is off: choose basic, extended or all to save an optimized model")
    out = Path(out_path)
    so = _session_options(cfg)
    so.optimized_model_filepath = str(out)
    data = None
    if external:
        data = out.name + ".data"
        so.add_session_config_entry("session.optimized_model_external_initializers_file_name", data)
        so.add_session_config_entry("session.optimized_model_external_initializers_min_size_in_bytes", "1024")
    try:
        sess, _lines, create_ms, _missing = _new_session(ctx, cfg, model_path, so)
    except Exception:
        for leftover in (out, out.with_name(data) if data else None):
            if leftover is not None:
                with contextlib.suppress(OSError):
                    leftover.unlink()
        raise
    if not out.is_file():
        raise SessionError("onnxruntime wrote no optimized model (an execution provider that compiles the graph, "
                           "such as TensorRT, cannot save one)")
    after = load_structure(out).nodes
    return {"providers": list(sess.get_providers()), "create_ms": create_ms,
            "external_data": data if data and (out.parent / data).is_file() else None,
            "nodes_before": loaded.node_count, "nodes_after": len(after), "ops_before": op_counts(loaded.nodes),
            "ops_after": op_counts(after)}


def generate(ctx: ChildContext, feeds: dict[str, Any], decoder: dict[str, Any], new_tokens: int,
             stop: list[int] | None = None, interval_s: float = 0.1,
             sampling: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """Greedy generation on the session (see :mod:`onnxstudio.core.generation`): the cache stays here. The new
    tokens are streamed as they come, every ``interval_s`` at most (``{"tokens": [[row 0's, row 1's, ...], ...]}``,
    a list per step), so that an app shows the text growing; the result holds them all."""
    from onnxstudio.core.generation import DecoderInputs, Sampling, generate_steps

    sess = _session(ctx)
    names = [o.name for o in sess.get_outputs()]
    ctx.phase("onnxruntime", "generating")

    def step(f: dict[str, Any]) -> tuple[dict[str, Any], float]:
        t0 = time.perf_counter_ns()
        values = _run_once(ctx, lambda ro: sess.run(names, f, ro), f)
        return dict(zip(names, values, strict=True)), (time.perf_counter_ns() - t0) / 1e6

    steps = generate_steps(step, feeds, DecoderInputs(**decoder), new_tokens, stop or (),
                           Sampling.from_dict(sampling) if sampling else None)
    pending: list[list[int]] = []
    sent = time.monotonic()
    while True:
        try:
            best = next(steps)
        except StopIteration as done:
            return done.value.to_dict()
        pending.append(best.tolist())
        if time.monotonic() - sent >= interval_s:
            yield {"tokens": pending}
            pending, sent = [], time.monotonic()


TASKS: dict[str, Callable[..., Any]] = {
    "ping": ping,
    "crash": crash,
    "check_model": check_model,
    "count_parameters": count_parameters,
    "infer_shapes": infer_shapes,
    "compute_cost": compute_cost,
    "probe_providers": probe_providers,
    "create_session": create_session,
    "run": run,
    "benchmark": benchmark,
    "profile": profile,
    "compare_layers": compare_layers,
    "run_tensors": run_tensors,
    "save_optimized": save_optimized,
    "generate": generate,
}
