"""GraphPanel and GraphView with pytest-qt: worker layout, selection, search, subgraphs, groups, overlays."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor

from onnxstudio.core.layout import BOX_FRAME, BOX_GROUP
from onnxstudio.core.loading import load_structure
from onnxstudio.ui.graph_panel import GraphPanel
from tests.core.test_graph import if_model, namespaced_model


@pytest.fixture
def panel(qtbot):
    p = GraphPanel()
    qtbot.addWidget(p)
    p.resize(1000, 700)
    p.show()
    yield p
    p.shutdown()
    assert not p._thread.isRunning()


def _open(qtbot, panel, tmp_path, model, name="m.onnx"):
    path = tmp_path / name
    onnx.save(model, path)
    panel.set_model(load_structure(path))
    qtbot.waitUntil(lambda: panel.graph is not None, timeout=10_000)
    return panel.graph


def _box_center(view, b):
    s = view.scene
    c = QPointF((s.x0[b] + s.x1[b]) / 2, (s.y0[b] + s.y1[b]) / 2)
    return (c * view.scale_ + view.offset).toPoint()


def test_layout_arrives_from_the_worker_and_click_selects(qtbot, panel, tmp_path):
    g = _open(qtbot, panel, tmp_path, namespaced_model(2))
    view = panel.view
    assert view.scene is not None and (view.scene.kind < BOX_GROUP).sum() == g.n_nodes  # small: all expanded
    node = g.find_node("/encoder/layer.1/attn/Softmax")
    with qtbot.waitSignal(panel.node_selected) as sig:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=_box_center(view, view.scene.node_box[node]))
    assert sig.args == ["/encoder/layer.1/attn/Softmax"]
    assert "Softmax" in panel.props.toPlainText() and "axis" in panel.props.toPlainText()
    assert "Documentation" in panel.props.toPlainText()  # from the op schema


def test_keyboard_walks_producers_and_consumers(qtbot, panel, tmp_path):
    g = _open(qtbot, panel, tmp_path, namespaced_model(2))
    panel.select("/encoder/layer.0/attn/MatMul")
    view = panel.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert g.names[view.selected_node] == "/encoder/layer.0/attn/Softmax"
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert g.names[view.selected_node] == "/encoder/layer.0/attn/MatMul"


def test_search_lists_results_and_jumps(qtbot, panel, tmp_path):
    g = _open(qtbot, panel, tmp_path, namespaced_model(3))
    panel.search.setText("op:Relu")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.results.count() == 3 and panel.results.isVisible()
    panel.results.setCurrentRow(2)
    assert g.names[panel.view.selected_node] == "/encoder/layer.2/mlp/Relu"


def test_initializer_statistics_load_lazily(qtbot, panel, tmp_path):
    _open(qtbot, panel, tmp_path, namespaced_model(3))
    panel.select("/encoder/layer.2/attn/MatMul")
    assert "computing" in panel.props.toPlainText()
    qtbot.waitUntil(lambda: "mean" in panel.props.toPlainText(), timeout=5000)
    assert "2" in panel.props.toPlainText()  # w2 is all twos


def test_subgraph_enter_and_breadcrumb_back(qtbot, panel, tmp_path):
    g = _open(qtbot, panel, tmp_path, if_model())
    node = g.find_node("branch")
    view = panel.view
    qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=_box_center(view, view.scene.node_box[node]))
    assert panel.graph.title == "branch:then_branch" and len(panel._stack) == 2
    assert panel.crumbs.count() == 3  # main › then
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert panel.graph is g and panel.view.scene is not None


def test_large_graph_opens_collapsed_and_groups_expand_in_place(qtbot, panel, tmp_path):
    from onnxstudio.core.layout import GraphLayout

    _open(qtbot, panel, tmp_path, namespaced_model(3))
    panel.collapse_all()
    view = panel.view
    s = view.scene
    box = int(np.nonzero(s.kind == BOX_GROUP)[0][0])
    grp = int(s.ref[box])
    before = _box_center(view, box)
    old_top_left = QPointF(s.x0[box], s.y0[box]) * view.scale_ + view.offset
    qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=before)
    s2 = view.scene
    frame = int(np.nonzero((s2.kind == BOX_FRAME) & (s2.ref == grp))[0][0])
    top_left = QPointF(s2.x0[frame], s2.y0[frame]) * view.scale_ + view.offset
    # the expanded group opens where its box was: the box's corner stays put on screen
    assert abs(top_left.x() - old_top_left.x()) < 1.0 and abs(top_left.y() - old_top_left.y()) < 1.0
    assert s2.n_boxes > s.n_boxes
    assert isinstance(panel.layout_, GraphLayout) and panel.layout_.expanded[grp]


def test_colour_overlay_and_export(qtbot, panel, tmp_path):
    g = _open(qtbot, panel, tmp_path, namespaced_model(2))
    view = panel.view
    view.set_node_values({n: float(i) for i, n in enumerate(g.names[: g.n_ops])}, "time (ms)")
    b = view.scene.node_box[0]
    assert view.painter_.colors[view.painter_.color[b]] != view.painter_.colors[view.painter_.base_color[b]]
    img = view.grab().toImage()
    assert img.width() > 0
    view.set_node_colors({g.names[0]: QColor("red")})
    assert view.painter_.colors[view.painter_.color[b]] == QColor("red")
    view.set_node_colors(None)
    assert view.painter_.color[b] == view.painter_.base_color[b]
    panel.export(tmp_path / "all.svg")
    panel.export(tmp_path / "view.png", whole=False)
    assert (tmp_path / "all.svg").read_text().count('class="node"') == g.n_nodes
    assert (tmp_path / "view.png").stat().st_size > 1000


def test_zoom_pan_fit(qtbot, panel, tmp_path):
    _open(qtbot, panel, tmp_path, namespaced_model(3))
    view = panel.view
    s0 = view.scale_
    view.zoom_at(2.0, QPointF(100, 100))
    assert view.scale_ == pytest.approx(2 * s0)
    assert view.to_scene(QPointF(100, 100)).x() == pytest.approx(
        ((QPointF(100, 100) - view.offset) / view.scale_).x())
    view.fit()
    assert view.scale_ == pytest.approx(s0)
    view.grab()
    assert view.last_frame_ms < 200


def test_clear(qtbot, panel, tmp_path):
    _open(qtbot, panel, tmp_path, namespaced_model(1))
    panel.clear()
    assert panel.graph is None and panel.view.scene is None


def test_opens_fitted_and_centred_with_a_summary(qtbot, panel, tmp_path):
    g = _open(qtbot, panel, tmp_path, namespaced_model(2))
    v = panel.view
    s = v.scene
    left, top = v.offset.x(), v.offset.y()
    right, bottom = left + s.width * v.scale_, top + s.height * v.scale_
    assert abs(left - (v.width() - right)) < 2 and abs(top - (v.height() - bottom)) < 2  # centred
    assert "Most used operators" in panel.props.toHtml() and g.title in panel.props.toPlainText()
    # until the user moves the view, a resize fits again; after a zoom it does not
    v.resize(v.width() - 200, v.height())
    assert abs(v.offset.x() - (v.width() - s.width * v.scale_ - v.offset.x())) < 2
    v.zoom_at(2.0, QPointF(10, 10))
    scale = v.scale_
    v.resize(v.width() + 100, v.height())
    assert v.scale_ == scale
    qtbot.mouseClick(v, Qt.MouseButton.LeftButton, pos=v.rect().bottomLeft() + QPointF(5, -5).toPoint())
    assert "Most used operators" in panel.props.toHtml()  # background click: back to the summary


def test_zoomed_out_edges_snap_to_pixels_without_losing_any(qtbot, panel, tmp_path, monkeypatch):
    from onnxstudio.ui import graph_paint

    _open(qtbot, panel, tmp_path, namespaced_model(4))
    view = panel.view
    panel.expand_all()
    monkeypatch.setattr(graph_paint, "LOD_SEGMENTS", 0)  # any zoomed-out frame takes the pixel path
    view.scale_ = 0.005  # a graph of ~2300 units: 12 pixels tall
    view.grab()
    painter = view.painter_
    key, snapped, _ = painter._lod
    k = 2.0 ** (key / 8)
    assert abs(k - 0.005) / 0.005 < 0.05
    # every segment is drawn (as its pixel-rounded self), duplicates only once
    want = {tuple(q) for q in np.round(painter.segs * k).tolist()}
    got = [tuple(q) for q in np.round(snapped * k).tolist()]
    assert set(got) == want and len(got) == len(want) < len(painter.segs)
    view.scale_ = 0.5  # zoomed in: the exact segments again
    view.grab()
    assert view.last_frame_ms < 200


def test_a_graph_loaded_in_parts_selects_searches_and_reads_initializers(qtbot, panel, tmp_path, monkeypatch):
    """Nodes and initializers of a large graph are read from the file when the panel asks (lazygraph)."""
    from onnxstudio.core import lazygraph

    monkeypatch.setattr(lazygraph, "LAZY_MIN_SIZE", 0)
    monkeypatch.setattr(lazygraph, "LAZY_MIN_RECORDS", 0)
    path = tmp_path / "parts.onnx"
    onnx.save(namespaced_model(3), path)
    loaded = load_structure(path, columns=True)
    assert loaded.lazy is not None
    panel.set_model(loaded)
    qtbot.waitUntil(lambda: panel.graph is not None, timeout=10_000)
    g = panel.graph
    panel.select("/encoder/layer.1/attn/Softmax")
    assert "Softmax" in panel.props.toPlainText() and "axis" in panel.props.toPlainText()
    panel.select("/encoder/layer.2/attn/MatMul")
    qtbot.waitUntil(lambda: "mean" in panel.props.toPlainText(), timeout=5000)
    panel.search.setText("attr:axis")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.results.count() == 3
    panel.view.grab()  # labels and initializer rows read their tensors' dims from the file while painting
    assert g.value("w2").label() == load_graph_value(path, "w2")


def load_graph_value(path, name):
    from onnxstudio.core.graph import load_graph

    plain = load_structure(path)
    return load_graph(plain.model, plain.index).value(name).label()


def test_searches_of_large_graphs_run_on_the_worker(qtbot, panel, tmp_path, monkeypatch):
    from onnxstudio.ui import graph_panel

    monkeypatch.setattr(graph_panel, "ASYNC_SEARCH_NODES", 1)
    g = _open(qtbot, panel, tmp_path, namespaced_model(3))
    panel.search.setText("op:Relu")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.results.item(0).text() == "Searching…"
    qtbot.waitUntil(lambda: panel.results.count() == 3 and panel.results.item(0).data(256) is not None,
                    timeout=5000)
    panel.results.setCurrentRow(2)
    assert g.names[panel.view.selected_node] == "/encoder/layer.2/mlp/Relu"
    # a newer search wins over one still running; no match says so
    panel.search.setText("softmax")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    panel.search.setText("nothing-like-this")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.results.item(0).text() == "No match", timeout=5000)
    qtbot.wait(100)
    assert panel.results.count() == 1 and panel.results.item(0).text() == "No match"
