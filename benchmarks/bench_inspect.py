"""Inspection speed and memory (issue: Foundation).

For a generated 20,000-node model and for 1 GB of weights as external data and embedded, reports the time
(median of 5) and peak memory (RSS growth over the imports) of ``inspect_model(shapes=False)`` beside a bare
``onnx.load(..., load_external_data=False)`` measured in the same run, each in a fresh interpreter.
Goals: ratio <= 1.5 on 20k nodes; under 300 MB and 0.2 s for both 1 GB models.

    uv run python benchmarks/bench_inspect.py
"""

from __future__ import annotations

import json
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
import json, resource, sys, time, statistics
import onnx
from onnxstudio.core.inspection import inspect_model
path, what = sys.argv[1], sys.argv[2]
def op():
    if what == "onnx.load":
        return onnx.load(path, load_external_data=False)
    return inspect_model(path, shapes=False)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter(); op(); first = time.perf_counter() - t0
peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) * 1024
times = [first]
for _ in range(4):
    t0 = time.perf_counter(); op(); times.append(time.perf_counter() - t0)
print(json.dumps({"median_s": statistics.median(times), "peak_bytes": peak}))
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
        print(f"{'model':<20} {'onnx.load':>12} {'inspect':>12} {'ratio':>7} {'load peak':>11} {'inspect peak':>13}")
        for label, path in cases:
            base = measure(path, "onnx.load")
            ours = measure(path, "inspect")
            ratio = ours["median_s"] / base["median_s"]
            print(f"{label:<20} {base['median_s'] * 1000:>9.1f} ms {ours['median_s'] * 1000:>9.1f} ms {ratio:>7.2f}"
                  f" {base['peak_bytes'] / 2**20:>8.0f} MB {ours['peak_bytes'] / 2**20:>10.0f} MB")


if __name__ == "__main__":
    main()
