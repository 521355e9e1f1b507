"""Inspection speed and memory (issue: Foundation).

For a generated 20,000-node model and for 1 GB of weights as external data and embedded, reports the time
and peak memory (RSS growth over the imports) of ``inspect_model(shapes=False)`` beside a bare
``onnx.load(..., load_external_data=False)`` measured in the same run, two ways:

- cold: the first call in a fresh interpreter (imports and one-time caches such as onnxruntime's kernel list
  done before the clock starts), median of 11 interpreters: what one ``onnxstudio inspect`` run pays;
- warm: one interpreter runs both in alternation after a warm-up call each, 9 rounds, medians: upb's parse
  is then at its fastest (a heap already grown), the hardest baseline to stay near. On Linux, glibc is told
  to keep freed memory (``mallopt``): otherwise whether a call finds its memory still mapped or pays for
  every page again depends on what the other call freed last, and a page fault in this VM costs ~4 us, so
  the same call measured 5 ms or 30 ms from one run to the next.

Peaks: RSS growth of the first call in a fresh interpreter.
Goals: ratio <= 1.5 on 20k nodes; under 300 MB and 0.2 s for both 1 GB models.

    uv run python benchmarks/bench_inspect.py
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATE = r"""
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import onnx
from benchmarks.make_graph_models import transformer
from benchmarks.make_models import big_weights_model, chain_model
folder = Path(sys.argv[2])
onnx.save(transformer(20_000), str(folder / "transformer20k.onnx"))
chain_model(folder / "chain20k.onnx", 20_000)
big_weights_model(folder / "ext.onnx", 1.0, external=True)
big_weights_model(folder / "embedded.onnx", 1.0, external=False)
"""

PROBE = r"""
import ctypes, json, resource, sys, time, statistics
import onnx
from onnxstudio.core.inspection import inspect_model
path, what = sys.argv[1], sys.argv[2]
ops = {"onnx.load": lambda: onnx.load(path, load_external_data=False),
       "inspect": lambda: inspect_model(path, shapes=False)}
if what == "times":
    try:  # keep freed memory: M_TRIM_THRESHOLD 1 GiB, M_MMAP_THRESHOLD 32 MiB (glibc's largest)
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-1, 2**30), libc.mallopt(-3, 32 * 2**20)
    except OSError:
        pass
    times = {k: [] for k in ops}
    for k, op in ops.items():
        op()  # warm-up: imports, caches
    for r in range(9):
        for k in (list(ops) if r % 2 else list(ops)[::-1]):
            t0 = time.perf_counter(); ops[k](); times[k].append(time.perf_counter() - t0)
    print(json.dumps({k: statistics.median(v) for k, v in times.items()}))
else:
    # imports and one-time caches (onnxruntime's kernel list, the lite schema) are not the call's time
    from onnxstudio.core import census, inspection
    census._classes(), inspection._ort_kernels()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter(); ops[what](); first = time.perf_counter() - t0
    print(json.dumps({"first_s": first,
                      "peak_bytes": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) * 1024}))
"""


def measure(path: Path, what: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", PROBE, str(path), what], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    return json.loads(out.stdout)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # Generated in another process: Linux keeps a parent's peak RSS in the children it starts.
        subprocess.run([sys.executable, "-c", GENERATE, str(ROOT), str(folder)], check=True)
        cases = [
            ("20k transformer", folder / "transformer20k.onnx"),
            ("20k Add/Relu chain", folder / "chain20k.onnx"),
            ("1 GB external data", folder / "ext.onnx"),
            ("1 GB embedded", folder / "embedded.onnx"),
        ]
        print(f"{'model':<20} {'cold: onnx.load':>15} {'inspect':>10} {'ratio':>6}   {'warm: onnx.load':>15} "
              f"{'inspect':>10} {'ratio':>6}   {'load peak':>9} {'inspect peak':>12}")
        for label, path in cases:
            warm = measure(path, "times")
            runs = {what: [measure(path, what) for _ in range(11)] for what in ("onnx.load", "inspect")}
            cold = {what: statistics.median(r["first_s"] for r in rs) for what, rs in runs.items()}
            peak = {what: statistics.median(r["peak_bytes"] for r in rs) / 2**20 for what, rs in runs.items()}
            print(f"{label:<20} {cold['onnx.load'] * 1e3:>12.1f} ms {cold['inspect'] * 1e3:>7.1f} ms "
                  f"{cold['inspect'] / cold['onnx.load']:>6.2f}   {warm['onnx.load'] * 1e3:>12.1f} ms "
                  f"{warm['inspect'] * 1e3:>7.1f} ms {warm['inspect'] / warm['onnx.load']:>6.2f}   "
                  f"{peak['onnx.load']:>6.0f} MB {peak['inspect']:>9.0f} MB")


if __name__ == "__main__":
    main()
