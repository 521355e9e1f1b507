"""The Graph tab: toolbar (breadcrumb, search, fit/expand/collapse, export), results list, view, properties.

Building the Graph and its first layout runs on a worker QThread and is cached per model file, so
re-opening a model or switching back to it is immediate; initializer statistics load lazily there too.
"""

from __future__ import annotations

import gc
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QThread, QUrl, Signal, Slot
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from onnxstudio.core.graph import Graph, load_graph
from onnxstudio.core.graph_export import export_scene, scene_svg
from onnxstudio.core.layout import GraphLayout
from onnxstudio.ui.graph_props import group_html, node_html, stats_html, summary_html, tensor_stats
from onnxstudio.ui.graph_view import GraphView

# How the nodes can be coloured (GraphPanel.colouring): the data behind each comes from the workspace.
COLOURINGS = (("op", QT_TRANSLATE_NOOP("GraphPanel", "Op type")), ("macs", QT_TRANSLATE_NOOP("GraphPanel", "MACs per node")),
              ("time", QT_TRANSLATE_NOOP("GraphPanel", "Time per node")),
              ("provider", QT_TRANSLATE_NOOP("GraphPanel", "Provider")),
              ("diff", QT_TRANSLATE_NOOP("GraphPanel", "Difference A − B")))

_CACHE: OrderedDict[tuple, tuple[Graph, GraphLayout]] = OrderedDict()
_CACHE_SIZE = 3


def _model_key(loaded: object) -> tuple:
    path = Path(getattr(loaded, "path", "") or "")
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = id(getattr(loaded, "model", None))
    return (str(path), getattr(loaded, "file_size", 0), mtime)


ASYNC_SEARCH_NODES = 5_000  # from this many nodes a search runs on the worker thread


class GraphWorker(QObject):
    """Lives on the panel's thread: builds graph + layout + first scene, and reads initializers."""

    layout_ready = Signal(int, object, object, float)  # request id, Graph, GraphLayout, seconds
    layout_failed = Signal(int, str)
    stats_ready = Signal(int, str)  # request id, HTML
    search_ready = Signal(int, object)  # search id, list[SearchHit]

    @Slot(int, object, object)
    def build(self, request: int, loaded: object, key: tuple) -> None:
        t0 = time.perf_counter()
        try:
            hit = _CACHE.get(key)
            if hit is None:
                graph = load_graph(loaded.model, getattr(loaded, "index", None), getattr(loaded, "columns", None))
                if getattr(loaded, "columns", None) is not None:
                    # the lists served the graph's construction: their memory goes back before the layout's
                    # (no local reference either: ~40 MB of tensor names at 100k nodes)
                    loaded.columns = None
                graph.prepare_labels()  # here, not in the first labelled frame on the GUI thread
                layout = GraphLayout.default(graph)
                layout.scene()
                # The model's and graph's lists (~1M names at 100k nodes) are still in the youngest
                # generations: the first collection walks them all (~20 ms), in whichever thread triggers it.
                # Here, not in a frame.
                gc.collect(1)
                hit = (graph, layout)
                _CACHE[key] = hit
                while len(_CACHE) > _CACHE_SIZE:
                    _CACHE.popitem(last=False)
            _CACHE.move_to_end(key)
            self.layout_ready.emit(request, hit[0], hit[1], time.perf_counter() - t0)
        except Exception as exc:  # shown in the view; a broken graph must not take the app down
            self.layout_failed.emit(request, self.tr("Cannot lay out the graph: {0}").format(exc))

    @Slot(int, object, object)
    def stats(self, request: int, loaded: object, names: list) -> None:
        from onnxstudio.core.loading import read_initializer

        out: dict[str, object] = {}
        for name in names:
            try:
                out[name] = tensor_stats(read_initializer(loaded, name))
            except Exception as exc:  # stripped, external and missing data each explain themselves
                out[name] = f"not available: {exc}"
        self.stats_ready.emit(request, stats_html(out))

    @Slot(int, object, str)
    def find(self, search: int, graph: Graph, query: str) -> None:
        try:
            hits = graph.search(query)
        except Exception:  # a search must not take the app down; it finds nothing instead
            hits = []
        self.search_ready.emit(search, hits)


class GraphPanel(QWidget):
    """Public API: ``set_model(loaded)``, ``clear()``, signal ``node_selected(str)``; plus ``view``."""

    node_selected = Signal(str)
    watch_requested = Signal(int)  # "show this node's outputs": a main-graph node's index
    colouring_changed = Signal()  # the user picked another colouring (see colour_mode)
    shown = Signal()  # the current model's graph is on screen (or could not be laid out)
    _request_build = Signal(int, object, object)
    _request_stats = Signal(int, object, object)
    _request_search = Signal(int, object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loaded: object | None = None
        self._request = 0
        self._search_id = 0
        self._search_graph: Graph | None = None  # the graph a search on the worker runs over
        self._stack: list[tuple[str, Graph, GraphLayout]] = []
        self._overlay: tuple[str, dict, Any] | None = None  # see set_overlay
        # an HTML block about a main-graph node (by index) for its properties: the last profile's time for it
        self.node_note: Callable[[int], str] | None = None
        self.can_watch = False  # main-graph nodes offer "show its outputs" (watch_requested) in their properties
        self.last_layout_s = 0.0
        self.view = GraphView(self)
        self.search = QLineEdit(placeholderText=self.tr("Search name, op:Conv, attr:axis, tensor:…"),
                                clearButtonEnabled=True)
        self.results = QListWidget()
        self.results.hide()
        self.props = QTextBrowser(openLinks=False)
        self.props.setMinimumWidth(240)
        self.colouring = QComboBox(toolTip=self.tr(
            "How the nodes are coloured: by op type, by the arithmetic each does (MACs, counted from the shapes "
            "once the model is checked), by the last profile's time per node or provider, or by how far a layer by "
            "layer comparison found each node's outputs apart"))
        for mode, label in COLOURINGS:
            self.colouring.addItem(self.tr(label), mode)
        self.colouring.currentIndexChanged.connect(self._on_colouring)
        self.set_colourings(())
        self.crumbs = QHBoxLayout()
        self.crumbs.setSpacing(2)
        self._build_ui()
        self._thread = QThread(self)
        self._thread.setObjectName("graph-layout")
        self._worker = GraphWorker()
        self._worker.moveToThread(self._thread)
        self._request_build.connect(self._worker.build)
        self._request_stats.connect(self._worker.stats)
        self._worker.layout_ready.connect(self._on_layout_ready)
        self._worker.layout_failed.connect(self._on_layout_failed)
        self._worker.stats_ready.connect(self._on_stats_ready)
        self._request_search.connect(self._worker.find)
        self._worker.search_ready.connect(self._on_search_ready)
        self._thread.start()

    def _build_ui(self) -> None:
        bar = QHBoxLayout()
        bar.addLayout(self.crumbs, 1)
        for text, tip, slot in ((self.tr("Fit"), self.tr("Fit the graph to the window (F)"), self.view.fit),
                                (self.tr("Expand all"), self.tr("Expand every namespace group"), self.expand_all),
                                (self.tr("Collapse"), self.tr("Collapse to the top namespace groups"),
                                 self.collapse_all)):
            b = QToolButton(text=text, toolTip=tip)
            b.clicked.connect(slot)
            bar.addWidget(b)
        export = QToolButton(text=self.tr("Export"), popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(export)
        for label, whole, suffix in ((self.tr("View as PNG…"), False, "png"), (self.tr("View as SVG…"), False, "svg"),
                                     (self.tr("Whole graph as PNG…"), True, "png"),
                                     (self.tr("Whole graph as SVG…"), True, "svg")):
            menu.addAction(label, lambda w=whole, s=suffix: self._export_dialog(w, s))
        export.setMenu(menu)
        bar.addWidget(export)
        bar.addWidget(QLabel(self.tr("Colour")))
        bar.addWidget(self.colouring)
        bar.addWidget(self.search, 1)
        split = QSplitter()
        split.addWidget(self.results)
        split.addWidget(self.view)
        split.addWidget(self.props)
        split.setStretchFactor(1, 1)
        split.setSizes([180, 800, 300])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(split, 1)
        self.search.returnPressed.connect(self._on_search)
        self.search.textChanged.connect(lambda t: None if t else self.results.hide())
        self.results.currentRowChanged.connect(self._on_result)
        self.view.node_clicked.connect(self._on_node_clicked)
        self.view.group_clicked.connect(self._on_group_clicked)
        self.view.node_activated.connect(self._on_node_activated)
        self.view.back_requested.connect(self.go_back)
        self.props.anchorClicked.connect(self._on_anchor)

    # ---- public API ----
    def set_model(self, loaded: object) -> None:
        """Show ``loaded`` (a core.loading.LoadedModel); the layout arrives from the worker thread."""
        self.loaded = loaded
        self._request += 1
        self._stack.clear()
        self._overlay = None
        self.set_colourings(())
        self.view.set_layout(None, None)
        self.view.set_message(self.tr("Laying out the graph…"))
        self.props.clear()
        self._request_build.emit(self._request, loaded, _model_key(loaded))

    def clear(self) -> None:
        self.loaded = None
        self._request += 1
        self._stack.clear()
        self.view.set_layout(None, None)
        self.view.set_message("")
        self.props.clear()
        self.results.clear()
        self.results.hide()
        self._update_crumbs()

    def shutdown(self) -> None:
        """Stop the worker thread (the app calls this on exit; tests call it too)."""
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait(5000)

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    @property
    def graph(self) -> Graph | None:
        return self._stack[-1][1] if self._stack else None

    @property
    def layout_(self) -> GraphLayout | None:
        return self._stack[-1][2] if self._stack else None

    def main_graph_row(self, name: str) -> int | None:
        """The node's index in the main graph (its row in the Nodes tab) while the main graph is shown."""
        if len(self._stack) != 1:
            return None
        g = self._stack[0][1]
        i = g.find_node(name)
        return i if i is not None and i < g.n_ops else None

    def select(self, name: str) -> bool:
        """Select a node by name in the current graph and bring it into view."""
        g = self.graph
        i = g.find_node(name) if g is not None else None
        if i is None:
            return False
        self.view.select_node(i, center=True)
        self._show_node(i)
        return True

    def enter_subgraph(self, node: int, which: int = 0) -> None:
        g = self.graph
        if g is None or not g.subgraphs(node):
            return
        sub = g.open_subgraph(node, which)
        self._push(sub.title, sub, GraphLayout.default(sub))

    def go_back(self, depth: int | None = None) -> None:
        """Leave the current subgraph (or return to breadcrumb entry ``depth``)."""
        target = len(self._stack) - 2 if depth is None else depth
        if target < 0 or target >= len(self._stack) - 1:
            return
        del self._stack[target + 1:]
        _, g, lay = self._stack[-1]
        self.view.set_layout(g, lay)
        self._apply_overlay()
        self.props.setHtml(summary_html(g))
        self._update_crumbs()

    def expand_all(self) -> None:
        if self.layout_ is not None:
            self.layout_.expand_all()
            self.view.set_layout(self.graph, self.layout_, fit=True)

    def collapse_all(self) -> None:
        if self.layout_ is not None:
            self.layout_.collapse_all()
            self.view.set_layout(self.graph, self.layout_, fit=True)

    def export(self, path: str | Path, whole: bool = True) -> None:
        """Write the whole graph, or what the view shows, as SVG or PNG (by suffix)."""
        g, sc = self.graph, self.view.scene
        if g is None or sc is None:
            return
        p = Path(path)
        if whole:
            export_scene(g, sc, p)
        elif p.suffix.lower() == ".svg":
            r = self.view.visible_rect()
            p.write_text(scene_svg(g, sc, (r.left(), r.top(), r.right(), r.bottom())), encoding="utf-8")
        else:
            self.view.grab().save(str(p))

    def colour_mode(self) -> str:
        """How the nodes should be coloured: "op", "macs", "time", "provider" or "diff" (see COLOURINGS)."""
        return str(self.colouring.currentData())

    def set_colour_mode(self, mode: str) -> None:
        k = self.colouring.findData(mode)
        if k >= 0 and self.colouring.model().item(k).isEnabled():
            self.colouring.setCurrentIndex(k)

    def _on_colouring(self, _index: int) -> None:
        self.colouring_changed.emit()  # a bound method, not a lambda: no cycle through the panel to collect

    def set_colourings(self, available: Iterable[str]) -> None:
        """Offer the colourings that have data (op type always); one that has none any more falls back to op."""
        ok = {"op", *available}
        model = self.colouring.model()
        assert isinstance(model, QStandardItemModel)
        for k in range(self.colouring.count()):
            model.item(k).setEnabled(self.colouring.itemData(k) in ok)
        if self.colour_mode() not in ok:
            self.colouring.setCurrentIndex(0)

    # ---- internals ----
    @property
    def main_graph(self) -> Graph | None:
        return self._stack[0][1] if self._stack else None

    def set_overlay(self, kind: str | None, data: dict | None = None, extra: Any = None) -> None:
        """Colour the main graph's nodes by name: ("values", {name: value}, legend label) on a colour scale, or
        ("colours", {name: QColor}, [(label, QColor)] swatches); None: the op-type colours. It stays with the
        main graph: a subgraph shows its own colours, and the overlay is back on return."""
        self._overlay = (kind, data, extra) if kind and data is not None else None
        self._apply_overlay()

    def _apply_overlay(self) -> None:
        ov = self._overlay if len(self._stack) == 1 else None
        if ov is None:
            self.view.set_node_colors(None)
        elif ov[0] == "values":
            self.view.set_node_values(ov[1], ov[2])
        else:
            self.view.set_node_colors(ov[1], ov[2])

    def _push(self, title: str, graph: Graph, layout: GraphLayout) -> None:
        self._stack.append((title, graph, layout))
        self.view.set_layout(graph, layout)
        self._apply_overlay()
        self.view.set_message("")
        self.props.setHtml(summary_html(graph))
        self._update_crumbs()

    def _update_crumbs(self) -> None:
        while self.crumbs.count():
            w = self.crumbs.takeAt(0).widget()
            if w is not None:
                w.hide()  # deleteLater alone leaves it painted until the event loop runs
                w.deleteLater()
        for k, (title, _, _) in enumerate(self._stack):
            if k:
                self.crumbs.addWidget(QLabel("›"))
            b = QToolButton(text=title if len(title) < 40 else title[:37] + "…", autoRaise=True)
            if k == len(self._stack) - 1:
                font = b.font()
                font.setBold(True)
                b.setFont(font)
            b.clicked.connect(lambda _=False, d=k: self.go_back(d))
            self.crumbs.addWidget(b)

    @Slot(int, object, object, float)
    def _on_layout_ready(self, request: int, graph: Graph, layout: GraphLayout, seconds: float) -> None:
        if request != self._request:
            return
        self.last_layout_s = seconds
        self._push(graph.title, graph, layout)
        self.shown.emit()

    @Slot(int, str)
    def _on_layout_failed(self, request: int, message: str) -> None:
        if request == self._request:
            self.view.set_message(message)
            self.shown.emit()

    def _on_search(self) -> None:
        g = self.graph
        self._search_id += 1
        self.results.clear()
        if g is None or not self.search.text().strip():
            self.results.hide()
            return
        if g.n_nodes >= ASYNC_SEARCH_NODES:  # a scan of every node's tensors and attributes: ~0.5 s at 100k
            self.results.addItem(self.tr("Searching…"))
            self.results.show()
            self._search_graph = g
            self._request_search.emit(self._search_id, g, self.search.text())
            return
        self._show_hits(g, g.search(self.search.text()))

    @Slot(int, object)
    def _on_search_ready(self, search: int, hits: list) -> None:
        if search == self._search_id and self.graph is not None and self.graph is self._search_graph:
            self.results.clear()
            self._show_hits(self.graph, hits)

    def _show_hits(self, g: Graph, hits: list) -> None:
        for h in hits:
            short = "/".join(g.names[h.node].rsplit("/", 3)[-3:])
            item = QListWidgetItem(f"{g.ops[h.node]}  {short}" + (
                f"\n   {h.field}: {h.text}" if h.field in ("attribute", "tensor") else ""))
            item.setToolTip(g.names[h.node])
            item.setData(256, h.node)
            self.results.addItem(item)
        if not hits:
            self.results.addItem(self.tr("No match"))
        self.results.show()
        if hits:
            self.results.setCurrentRow(0)

    def _on_result(self, row: int) -> None:
        item = self.results.item(row)
        node = item.data(256) if item is not None else None
        if node is not None:
            self.view.select_node(int(node), center=True)
            self._show_node(int(node))

    def refresh_properties(self) -> None:
        """Show the selected node's properties again (its notes changed: a run's values, a profile)."""
        if self.graph is not None and 0 <= self.view.selected_node < self.graph.n_nodes:
            self.props.setHtml(node_html(self.graph, self.view.selected_node,
                                         note=self._note(self.view.selected_node)))

    def _show_node(self, node: int) -> None:
        g = self.graph
        if g is None:
            return
        self.props.setHtml(node_html(g, node, note=self._note(node)))
        self.node_selected.emit(g.names[node])
        inits = [t for t in (g.protos[node].input if node < g.n_ops else []) if t in g.initializers]
        if inits and self.loaded is not None:
            self._stats_for = (self._request, node)
            self._request_stats.emit(node, self.loaded, inits)

    @Slot(int, str)
    def _on_stats_ready(self, node: int, block: str) -> None:
        g = self.graph
        if g is not None and self.view.selected_node == node:
            self.props.setHtml(node_html(g, node, block, self._note(node)))

    def _note(self, node: int) -> str:
        """``node_note``'s block for a node of the main graph (its index there), "" elsewhere; with the link that
        shows its outputs."""
        if len(self._stack) != 1 or node >= self._stack[0][1].n_ops:
            return ""
        link = ('<p><a href="watch:">' + self.tr("Run the model and show this node's outputs") + "</a></p>"
                if self.can_watch else "")
        try:
            return link + (self.node_note(node) if self.node_note is not None else "")
        except Exception:  # a note is extra: the node's properties show without it
            return link

    def _on_node_clicked(self, node: int) -> None:
        if node < 0:
            if self.graph is not None:
                self.props.setHtml(summary_html(self.graph))
        else:
            self._show_node(node)

    def _on_group_clicked(self, group: int) -> None:
        if self.graph is not None:
            self.props.setHtml(group_html(self.graph, group))

    def _on_node_activated(self, node: int) -> None:
        self.enter_subgraph(node)

    def _on_anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("sub:") and self.view.selected_node >= 0:
            self.enter_subgraph(self.view.selected_node, int(text[4:]))
        elif text == "watch:" and self.view.selected_node >= 0 and len(self._stack) == 1:
            self.watch_requested.emit(self.view.selected_node)

    def _export_dialog(self, whole: bool, suffix: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export graph"), f"graph.{suffix}", f"{suffix.upper()} (*.{suffix})")
        if path:
            self.export(path, whole)
