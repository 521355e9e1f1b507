"""Launch to a shown window with a model open (goal: under 2 s for a 1,000-node model).

Spawns a fresh interpreter per run (as a user's double-click does), which opens the model through the real
``create_window`` path and reports, on wall-clock time since the parent spawned it: imports done, window
shown, model structure shown (the moment a user can read it), checker + shape inference done.

    uv run python benchmarks/bench_startup.py [--nodes 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, sys, time
t_start = float(sys.argv[1])
import onnxruntime  # what onnxstudio.__main__.gui_main does first
from PySide6.QtCore import QTimer
from onnxstudio.ui.app import create_app, create_window
t_imports = time.time()
app = create_app([])
marks = {}
def loaded(_path):
    window.repaint()  # the first paint with the model (synchronous)
    marks["model"] = time.time()
def checked(_path):
    marks["checked"] = time.time()
    QTimer.singleShot(0, window.close)
window = create_window(app, [sys.argv[2]])  # starts loading the model off the GUI thread
window.model_loaded.connect(loaded)
window.model_checked.connect(checked)
window.show()
app.processEvents()
t_shown = time.time()
QTimer.singleShot(60000, window.close)
app.exec()
window.shutdown()
print(json.dumps({"imports": t_imports - t_start, "shown": t_shown - t_start,
                  "model": marks.get("model", float("nan")) - t_start,
                  "checked": marks.get("checked", float("nan")) - t_start}))
"""


def chain_model(path: Path, nodes: int) -> Path:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    ops = ("Add", "Mul", "Relu", "Sigmoid")
    graph_nodes, inits, prev = [], [], "x"
    for i in range(nodes):
        op = ops[i % len(ops)]
        out = f"/block{i // 10}/{op}_{i}"
        if op in ("Add", "Mul"):
            w = f"w{i}"
            inits.append(numpy_helper.from_array(np.full((1, 64), 0.5 + (i % 7) / 10, np.float32), w))
            graph_nodes.append(helper.make_node(op, [prev, w], [out], name=out))
        else:
            graph_nodes.append(helper.make_node(op, [prev], [out], name=out))
        prev = out
    graph_nodes.append(helper.make_node("Identity", [prev], ["y"], name="output"))
    graph = helper.make_graph(graph_nodes, "chain", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 64])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 64])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="bench_startup")
    model.ir_version = 9
    onnx.save(model, path)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="onnxstudio-startup-"))
    model = chain_model(tmp / f"chain-{args.nodes}.onnx", args.nodes)
    env = dict(os.environ, ONNXSTUDIO_SETTINGS_DIR=str(tmp / "settings"),
               ONNXSTUDIO_INSTANCE_NAME=f"onnxstudio-bench-{os.getpid()}")
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or sys.platform in ("win32", "darwin")):
        env["QT_QPA_PLATFORM"] = "offscreen"
    results = []
    for _ in range(args.runs):
        t0 = time.time()
        proc = subprocess.run([sys.executable, "-c", CHILD, repr(t0), str(model)], env=env, capture_output=True,
                              text=True, timeout=120)
        line = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
        if proc.returncode != 0 or not line:
            print(proc.stdout, proc.stderr)
            return 1
        results.append(json.loads(line[-1]))
    print(f"model: {args.nodes + 1} nodes, {model.stat().st_size / 1024:.0f} KB; platform "
          f"{env.get('QT_QPA_PLATFORM', 'default')}; median of {args.runs} cold launches; "
          f"load average {os.getloadavg()[0]:.1f}")
    for key, what in (("imports", "Python + Qt + app imports"), ("shown", "window shown"),
                      ("model", "model shown (structure, panels filled)"),
                      ("checked", "checker + shape inference done")):
        values = [r[key] for r in results]
        print(f"  {what:42s} {statistics.median(values):6.2f} s  (min {min(values):.2f})")
    ok = statistics.median(r["model"] for r in results) < 2.0
    print("PASS (goal < 2 s to a shown model)" if ok else "FAIL (goal < 2 s to a shown model)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
