"""``--self-test``: prove that an installed or frozen build can load and run a model, without a screen.

Opens the bundled default sample, inspects it (checker and shape inference in the child process), runs it
once on CPU through the :class:`~onnxstudio.core.engine.Engine` with seeded random inputs, and writes a JSON
result to a file, because a windowed Windows executable has no console to print to. Exit code 0 on success,
1 on failure (the error is in the file). No Qt import: it must pass where no display exists.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

DEFAULT_OUTPUT_NAME = "onnxstudio-selftest.json"


def default_output() -> Path:
    return Path(tempfile.gettempdir()) / DEFAULT_OUTPUT_NAME


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="onnxstudio --self-test",
                                description="Open a bundled sample model, run it once on CPU, write a JSON result.")
    # Accepted so that both `main(["--self-test", ...])` and the launcher's already-stripped argv work.
    p.add_argument("--self-test", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--output", type=Path, default=None,
                   help=f"result file (default: {default_output()})")
    p.add_argument("--model", type=Path, default=None, help="run this model instead of the bundled sample")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds allowed for each step in the child")
    return p


def _environment() -> dict[str, Any]:
    from onnxstudio import __version__

    return {
        "version": __version__,
        "frozen": bool(getattr(sys, "frozen", False)),
        "executable": sys.executable,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def run_self_test(model: Path | None, timeout_s: float) -> dict[str, Any]:
    """The checks themselves; raises on the first failure."""
    import onnxruntime

    from onnxstudio.core.engine import Engine
    from onnxstudio.core.inputs import build_feeds
    from onnxstudio.core.inspection import inspect_model
    from onnxstudio.core.providers import SessionConfig
    from onnxstudio.resources import default_sample, resources_dir

    result: dict[str, Any] = {
        "onnxruntime": onnxruntime.__version__,
        # On Windows this shows whether DirectML made it into the bundle (DmlExecutionProvider).
        "available_providers": onnxruntime.get_available_providers(),
        "resources_dir": str(resources_dir()),
    }
    path = model or default_sample()
    if path is None:
        raise FileNotFoundError(f"no sample model (*.onnx) in {resources_dir() / 'samples'}: the build did not "
                                "bundle resources/samples; rebuild with the spec in installer/")
    result["model"] = str(path)
    times: dict[str, float] = {}
    t0 = time.perf_counter_ns()
    report = inspect_model(path, shapes=True, timeout_s=timeout_s)
    times["inspect_ms"] = (time.perf_counter_ns() - t0) / 1e6
    if report.checker_error:
        raise RuntimeError(f"onnx checker rejected the sample: {report.checker_error}")
    feeds = build_feeds(report.inputs, {})  # seeded random data for every input, default dims
    engine = Engine(path, SessionConfig(providers=("CPUExecutionProvider",), use_cache=False), timeout_s=timeout_s)
    try:
        t1 = time.perf_counter_ns()
        session = engine.create_session()
        times["session_ms"] = (time.perf_counter_ns() - t1) / 1e6
        run = engine.run(feeds)
    finally:
        engine.close()
    times["run_ms"] = run.run_ms
    times["total_ms"] = (time.perf_counter_ns() - t0) / 1e6
    result["providers"] = list(session.providers)
    result["inputs"] = [[name, list(arr.shape), str(arr.dtype)] for name, arr in feeds.items()
                        if hasattr(arr, "shape")]
    result["outputs"] = [[o.name, list(o.shape) if o.shape is not None else None, o.dtype] for o in run.outputs]
    result["times"] = {k: round(v, 3) for k, v in times.items()}
    if not run.outputs:
        raise RuntimeError("the sample ran but returned no outputs")
    import tokenizers  # the Text source's (text as token ids): its native module must be in the build

    words = tokenizers.Tokenizer(tokenizers.models.WordLevel({"[UNK]": 0, "ok": 1}, unk_token="[UNK]"))
    if words.encode("ok").ids != [1]:
        raise RuntimeError("the tokenizers library does not tokenize")
    result["tokenizers"] = tokenizers.__version__
    return result


def _write(path: Path, result: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)  # a reader polling for the file never sees half of it


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    output = args.output or default_output()
    result: dict[str, Any] = {"ok": False, "model": None, "providers": [], "outputs": [], "times": {},
                              "error": None}
    try:
        result.update(_environment())
        result.update(run_self_test(args.model, args.timeout))
        result["ok"] = True
    except BaseException as exc:  # everything goes to the file: a windowed app has nowhere else to say it
        result["error"] = f"{type(exc).__name__}: {exc}"
        result["traceback"] = traceback.format_exc()
    _write(output, result)
    # sys.stdout is None in a windowed Windows executable.
    if sys.stdout is not None:
        if result["ok"]:
            outs = ", ".join(f"{n}{s}" for n, s, _ in result["outputs"])
            print(f"self-test OK: {Path(result['model']).name} on {', '.join(result['providers'])} -> {outs} "
                  f"({result['times']['total_ms']:.0f} ms); result in {output}")
        else:
            print(f"self-test FAILED: {result['error']}; result in {output}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
