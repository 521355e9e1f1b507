"""Screenshots of the Graph panel for docs/ (graph-*.png), rendered offscreen with QWidget.grab()."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import onnx  # noqa: E402
from PySide6.QtCore import QPointF  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.make_graph_models import if_detector, write_models  # noqa: E402
from onnxstudio.core.loading import load_structure  # noqa: E402
from onnxstudio.ui.graph_panel import GraphPanel  # noqa: E402


def _open(app: QApplication, panel: GraphPanel, path: Path) -> None:
    panel.set_model(load_structure(path))
    while panel.graph is None:
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


def _shot(app: QApplication, panel: GraphPanel, name: str) -> None:
    app.processEvents()
    panel.grab().save(str(ROOT / "docs" / name))
    print("docs/" + name)


def main() -> None:
    app = QApplication([])
    panel = GraphPanel()
    panel.resize(1500, 950)
    panel.show()
    light = Path(onnx.__file__).parent / "backend" / "test" / "data" / "light"
    # a ~900-node conv net: overview, then a node selected at reading zoom
    _open(app, panel, light / "light_inception_v2.onnx")
    _shot(app, panel, "graph-convnet-overview.png")
    panel.select(panel.graph.names[300])
    panel.view.zoom_at(0.8, QPointF(600, 450))
    _shot(app, panel, "graph-convnet-detail.png")
    # a model with If branches: the main graph, then inside the then-branch
    tmp = Path(tempfile.mkdtemp())
    onnx.save(if_detector(), tmp / "if_detector.onnx")
    _open(app, panel, tmp / "if_detector.onnx")
    panel.select("/head/If_" + str(panel.graph.n_ops))
    panel.view.fit()
    _shot(app, panel, "graph-if-main.png")
    panel.enter_subgraph(panel.graph.find_node("/head/If_" + str(panel.graph.n_ops)), 0)
    _shot(app, panel, "graph-if-branch.png")
    # a 20k-node transformer: opens collapsed; expand one stage and one layer in place, search
    big = write_models([20000], Path(tempfile.gettempdir()) / "onnxstudio-graph-bench")[0]
    _open(app, panel, big)
    _shot(app, panel, "graph-20k-collapsed.png")
    g = panel.graph
    for path in ("encoder", "encoder/stage.0", "encoder/stage.0/layer.0"):
        if path in g.group_path:
            panel.view.toggle_group(g.group_path.index(path))
    panel.search.setText("op:Softmax")
    panel._on_search()
    panel.view.fit()
    _shot(app, panel, "graph-20k-expanded.png")
    panel._on_result(0)
    panel.view.zoom_at(0.7, QPointF(600, 450))
    _shot(app, panel, "graph-20k-search.png")
    panel.shutdown()


if __name__ == "__main__":
    main()
