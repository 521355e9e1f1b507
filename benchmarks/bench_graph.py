"""Graph view benchmark: parse, layout, open-to-first-frame, overview/pan/zoom frames, memory, crossings.

    uv run python benchmarks/bench_graph.py [--sizes 2000 20000 100000]

Each model runs in a fresh child process (so peak RSS is that model's), with Qt offscreen and a 1600x1000
view rendered into an image. Every time is printed beside the model's parse time measured in the same run.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _median_ms(fn, repeat: int = 5) -> float:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1e3)
    return statistics.median(out)


def _warm_up(view_cls, load_graph, layout_cls) -> None:
    """Run the pipeline once on a tiny model: first-call costs (lazy imports, font caches) are start-up time."""
    from benchmarks.make_graph_models import convnet

    v = view_cls()
    v.resize(1600, 1000)
    g = load_graph(convnet(60))
    v.set_layout(g, layout_cls.default(g))
    v.grab()
    v.zoom_at(1.0 / v.scale_, v.rect().center().toPointF())  # 1:1: labels, so fonts and glyphs are loaded
    v.grab()


def measure(path: str) -> dict:
    """All figures for one model; runs inside the child process."""
    import resource

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import numpy as np
    import onnx
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QApplication

    from onnxstudio.core.graph import load_graph
    from onnxstudio.core.layout import BOX_GROUP, GraphLayout, crossings
    from onnxstudio.core.loading import load_structure
    from onnxstudio.ui.graph_view import GraphView

    app = QApplication.instance() or QApplication([])
    _warm_up(GraphView, load_graph, GraphLayout)
    r: dict = {"model": Path(path).name}
    view = GraphView()
    view.resize(1600, 1000)

    def frame() -> float:
        view.grab()
        return view.last_frame_ms

    # open to first frame: load, graph, default layout (collapsed when large), first paint
    t = time.perf_counter()
    loaded = load_structure(path, columns=True)
    graph = load_graph(loaded.model, loaded.index, loaded.columns)
    loaded.columns = None  # as the app's graph worker does: the lists served the graph's construction
    graph.prepare_labels()
    r["graph_ms"] = (time.perf_counter() - t) * 1e3
    layout = GraphLayout.default(graph)
    scene = layout.scene()
    gc.collect(1)  # as the app's graph worker does (the first collection walks the model's young lists)
    r["default_layout_ms"] = (time.perf_counter() - t) * 1e3 - r["graph_ms"]
    view.set_layout(graph, layout)
    frame()
    r["open_to_first_frame_ms"] = (time.perf_counter() - t) * 1e3
    r["peak_rss_open_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # the baseline, measured after the first frame so that its own peak (bytes + a full parse) is not ours
    r["parse_ms"] = _median_ms(lambda: onnx.load(path, load_external_data=False))
    r["nodes"], r["boxes_first_frame"] = graph.n_nodes, scene.n_boxes
    r["overview_frame_default_ms"] = statistics.median(frame() for _ in range(5))
    # expanding one group (the biggest top-level one)
    groups = np.nonzero(scene.kind == BOX_GROUP)[0]
    if len(groups):
        g = int(scene.ref[groups[np.argmax(graph.group_size[scene.ref[groups]])]])
        t = time.perf_counter()
        view.toggle_group(g)
        frame()
        r["expand_group_ms"] = (time.perf_counter() - t) * 1e3
    # every node, ignoring namespaces: the layout cost and quality of the whole graph
    t = time.perf_counter()
    flat = GraphLayout(graph, flat=True)
    flat.scene()
    r["flat_layout_ms"] = (time.perf_counter() - t) * 1e3
    r["crossings"] = crossings(flat)
    r["edges"] = len(graph.edge_src)
    items = flat.structure(0)[2]
    r["dummies"] = len(items.layer) - items.n
    view.set_layout(graph, flat)
    r["overview_frame_all_nodes_ms"] = statistics.median(frame() for _ in range(5))
    times = []
    for zoom in (1.0, 0.5, 0.2, 0.05):
        view.scale_ = zoom
        for step in range(6):
            view.offset = QPointF(-200.0 * step, -flat.coords(0).height * zoom * step / 7)
            times.append(frame())
    r["pan_zoom_frame_median_ms"] = statistics.median(times)
    r["pan_zoom_frame_max_ms"] = max(times)
    if graph.n_nodes <= 25_000:
        t = time.perf_counter()
        layout.expand_all()
        layout.scene()
        r["expand_all_ms"] = (time.perf_counter() - t) * 1e3
    r["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    del app
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", nargs="*", type=int, default=[2000, 20000, 100000])
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    import tempfile

    from benchmarks.make_graph_models import write_models

    paths = write_models(args.sizes, Path(tempfile.gettempdir()) / "onnxstudio-graph-bench")
    print(f"{'model':22} {'nodes':>7} {'parse':>7} {'first frame':>17} {'default layout':>14} {'overview':>9} "
          f"{'all-nodes layout':>17} {'all-nodes overview':>18} {'pan/zoom med/max':>17} {'expand grp':>10} "
          f"{'expand all':>10} {'crossings':>10} {'peak MB open/all':>16}")
    for p in paths:
        out = subprocess.run([sys.executable, __file__, "--child", str(p)], capture_output=True, text=True)
        if out.returncode:
            print(p.name, "failed:", out.stderr.strip().splitlines()[-1:])
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        pm = r["parse_ms"]
        ratio = lambda v, pm=pm: f"{v:7.0f} ms ({v / pm:4.1f}x)"  # noqa: E731
        print(f"{r['model']:22} {r['nodes']:7d} {pm:5.0f}ms {ratio(r['open_to_first_frame_ms']):>17} "
              f"{r['default_layout_ms']:11.0f} ms {r['overview_frame_default_ms']:6.1f} ms "
              f"{ratio(r['flat_layout_ms']):>17} {r['overview_frame_all_nodes_ms']:15.1f} ms "
              f"{r['pan_zoom_frame_median_ms']:7.1f}/{r['pan_zoom_frame_max_ms']:5.1f} ms "
              f"{r.get('expand_group_ms', 0):7.0f} ms {r.get('expand_all_ms', float('nan')):7.0f} ms "
              f"{r['crossings']:10d} {r['peak_rss_open_mb']:8.0f}/{r['peak_rss_mb']:7.0f}")
    print("first frame = load_structure + graph + default layout (large graphs collapsed to top groups) + "
          "first paint;\nall-nodes = every node laid out as one level (namespaces ignored); ratios are against "
          "the parse time (onnx.load, no external data) of the same run;\npeak MB: after the first frame (the process's "
          "whole peak RSS: Python, Qt, the model) / at the end (includes the baseline parse's own peak).")


if __name__ == "__main__":
    main()
