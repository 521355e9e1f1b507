"""Opening a large model in the running app: when the model is shown, when its graph is, and the GUI
thread's longest stall meanwhile (the lateness of a 5 ms QTimer), beside the model's bare parse time.

    uv run python benchmarks/bench_app_open.py [--sizes 20000 100000] [--repeat 2]

Each measurement starts the app as a user does (``create_window``: it opens the bundled sample and checks it
in its child process), waits until that is done, then opens the large model, offscreen at 1600x1000. "graph"
is when the graph view holds its first layout (painted at the next frame).
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def measure(path: str, settings_dir: str) -> dict:
    """Runs in the child: open ``path`` once, report the times (ms from the open request)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["ONNXSTUDIO_SETTINGS_DIR"] = settings_dir
    import resource

    import onnx
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from onnxstudio.ui.app import create_app, create_window

    app = create_app([])
    assert isinstance(app, QApplication)
    window = create_window(app, [])  # opens the bundled sample, as at every start
    window.resize(1600, 1000)
    window.show()
    sample_checked = [False]
    window.model_checked.connect(lambda _p: sample_checked.__setitem__(0, True))
    out: dict = {}
    t0 = [0.0]
    last = [0.0]
    worst = [0.0]

    def tick() -> None:
        now = time.perf_counter()
        if t0[0]:
            worst[0] = max(worst[0], (now - last[0]) * 1e3 - 5)
        last[0] = now

    before: list = [None]  # the sample's layout, replaced by the large model's

    def view_layout() -> object:
        return getattr(getattr(getattr(window.workspace, "graph", None), "view", None), "layout_", None)

    def poll() -> None:
        layout = view_layout()
        if "graph_ms" not in out and layout is not None and layout is not before[0]:
            out["graph_ms"] = (time.perf_counter() - t0[0]) * 1e3

    def start() -> None:
        if not sample_checked[0]:  # the start-up sample still being checked: not yet
            QTimer.singleShot(100, start)
            return
        QTimer.singleShot(10, poll_done)
        before[0] = view_layout()
        t0[0] = last[0] = time.perf_counter()
        window.open_model(path)

    def finish() -> None:
        out["worst_stall_ms"] = worst[0]
        # the app process's peak (Qt, the start-up sample, the large model and its graph; not the children)
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        timer.stop()
        app.quit()

    def poll_done() -> None:
        poll()
        if "graph_ms" in out:
            QTimer.singleShot(500, finish)  # the stall meter keeps running through the first frames
        else:
            QTimer.singleShot(10, poll_done)

    window.model_loaded.connect(lambda p: out.setdefault("model_ms", (time.perf_counter() - t0[0]) * 1e3)
                                if p == path else None)
    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(5)
    QTimer.singleShot(1000, start)
    QTimer.singleShot(90_000, finish)
    app.exec()
    window.close()
    t = time.perf_counter()
    onnx.load(path, load_external_data=False)
    out["parse_ms"] = (time.perf_counter() - t) * 1e3
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", nargs="*", type=int, default=[20000, 100000])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)))
        return
    from benchmarks.make_graph_models import write_models

    paths = write_models(args.sizes, Path(tempfile.gettempdir()) / "onnxstudio-graph-bench")
    print(f"{'model':22} {'parse':>7} {'model shown':>12} {'graph shown':>12} {'worst GUI stall':>16} "
          f"{'app peak RSS':>13}")
    with tempfile.TemporaryDirectory() as settings:
        for p in paths:
            runs = []
            for _ in range(args.repeat):
                res = subprocess.run([sys.executable, __file__, "--child", str(p), settings], capture_output=True,
                                     text=True, timeout=300)
                if res.returncode:
                    print(p.name, "failed:", res.stderr.strip().splitlines()[-1:])
                    break
                runs.append(json.loads(res.stdout.strip().splitlines()[-1]))
            if not runs:
                continue
            med = {k: statistics.median(r[k] for r in runs) for k in ("parse_ms", "model_ms", "graph_ms",
                                                                     "worst_stall_ms", "peak_rss_mb")}
            print(f"{p.name:22} {med['parse_ms']:5.0f}ms {med['model_ms']:9.0f} ms {med['graph_ms']:9.0f} ms "
                  f"{med['worst_stall_ms']:13.0f} ms {med['peak_rss_mb']:10.0f} MB")
    print("times from the open request; medians of the runs; the stall is the GUI thread's longest wait "
          "(a 5 ms timer's lateness: C calls of other threads hold the GIL); the peak is the app process's, "
          "read before the baseline parse")


if __name__ == "__main__":
    main()
