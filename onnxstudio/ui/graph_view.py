"""The graph canvas: a bulk-painted widget with pan, zoom, fit, minimap, keyboard navigation and overlays.

The widget owns only the view transform and the selection; the picture comes from a core Scene (see
:mod:`onnxstudio.core.layout`), painted by :class:`~onnxstudio.ui.graph_paint.ScenePainter`.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen, QWheelEvent
from PySide6.QtWidgets import QWidget

from onnxstudio.core.graph import Graph
from onnxstudio.core.layout import BOX_FRAME, BOX_GROUP, BOX_OP, GraphLayout, Scene
from onnxstudio.ui.graph_paint import ScenePainter, minimap_image

MIN_SCALE, MAX_SCALE = 1e-4, 4.0
COLORMAP = [(0.0, (68, 1, 84)), (0.25, (59, 82, 139)), (0.5, (33, 145, 140)), (0.75, (94, 201, 98)),
            (1.0, (253, 231, 37))]  # viridis stops


NO_VALUE = QColor("#dfe3e8")  # a node the overlay has no value for


def colormap(t: float) -> QColor:
    t = min(max(t, 0.0), 1.0)
    for (t0, c0), (t1, c1) in itertools.pairwise(COLORMAP):
        if t <= t1:
            f = (t - t0) / (t1 - t0)
            return QColor(*(round(a + (b - a) * f) for a, b in zip(c0, c1, strict=False)))
    return QColor(*COLORMAP[-1][1])


class GraphView(QWidget):
    """Draws a GraphLayout's scene; emits what the user points at, the panel decides what it means."""

    node_clicked = Signal(int)  # node index, -1 for background
    group_clicked = Signal(int)
    group_toggled = Signal(int)
    node_activated = Signal(int)  # double-click / Enter on a node: enter its subgraph if any
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(200, 150)
        self.grabGesture(Qt.GestureType.PinchGesture)
        self.graph: Graph | None = None
        self.layout_: GraphLayout | None = None
        self.scene: Scene | None = None
        self.painter_: ScenePainter | None = None
        self.scale_ = 1.0
        self.offset = QPointF(0, 0)
        self.selected_node = -1
        self.message = ""
        self._drag: QPointF | None = None
        self._dragged = False
        self._minimap = None
        self._minimap_drag = False
        self._node_colors: dict[str, QColor] | None = None
        self._node_values: dict[str, float] | None = None
        self._legend: tuple[str, float, float] | None = None
        self._swatches: list[tuple[str, QColor]] | None = None
        self.last_frame_ms = 0.0
        self.auto_fit = False  # True from fit() until the user moves the view
        self._fit_size = self.size()

    # ---- content ----
    def set_layout(self, graph: Graph | None, layout: GraphLayout | None, fit: bool = True) -> None:
        self.graph, self.layout_ = graph, layout
        self.selected_node = -1
        self._rebuild()
        if fit:
            self.fit()
        self.update()

    def _rebuild(self) -> None:
        if self.layout_ is None or self.graph is None:
            self.scene = self.painter_ = self._minimap = None
            return
        self.scene = self.layout_.scene()
        self.painter_ = ScenePainter(self.graph, self.scene)
        self._apply_overlay()
        self._minimap = None
        self._sync_selection()

    def _sync_selection(self) -> None:
        if self.painter_ is not None and self.scene is not None:
            self.painter_.selected = int(self.scene.node_box[self.selected_node]) if self.selected_node >= 0 else -1

    def set_message(self, text: str) -> None:
        self.message = text
        self.update()

    def toggle_group(self, g: int) -> None:
        """Expand or collapse a group in place: its box stays where it was on screen."""
        if self.layout_ is None or self.scene is None:
            return
        before = self._group_box_pos(g)
        self.auto_fit = False
        self.layout_.toggle(g)
        self._rebuild()
        after = self._group_box_pos(g)
        if before is not None and after is not None:
            self.offset += (before - after) * self.scale_
        self.group_toggled.emit(g)
        self.update()

    def _group_box_pos(self, g: int) -> QPointF | None:
        s = self.scene
        hit = np.nonzero(((s.kind == BOX_GROUP) | (s.kind == BOX_FRAME)) & (s.ref == g))[0]
        return QPointF(s.x0[hit[0]], s.y0[hit[0]]) if len(hit) else None

    # ---- overlays (profiling, provider placement) ----
    def set_node_colors(self, colors: dict[str, QColor] | None,
                        legend: list[tuple[str, QColor]] | None = None) -> None:
        """Fill nodes by name with the given colours (a collapsed group: the colour its nodes share), with
        ``legend``'s swatches; None restores the op-type colours."""
        self._node_colors = dict(colors) if colors else None
        self._node_values = None
        self._legend = None
        self._swatches = list(legend) if colors and legend else None
        self._apply_overlay()
        self.update()

    def set_node_values(self, values: dict[str, float] | None, label: str = "") -> None:
        """Colour nodes by a per-node value (e.g. time in ms) on a viridis scale, with a legend; a collapsed
        group shows the sum of its nodes'."""
        if not values:
            self.set_node_colors(None)
            return
        self._node_colors, self._swatches = None, None
        self._node_values = dict(values)
        self._legend = (label, 0.0, 0.0)
        self._apply_overlay()
        self.update()

    def _overlay_boxes(self) -> dict[int, Any]:
        """Per box: the sum of its nodes' values, or the colour they share (None where they differ)."""
        assert self.graph is not None and self.scene is not None
        index = {n: i for i, n in enumerate(self.graph.names)}
        node_box = self.scene.node_box
        out: dict[int, Any] = {}
        if self._node_values is not None:
            for name, v in self._node_values.items():
                i = index.get(name)
                if i is not None:
                    b = int(node_box[i])
                    out[b] = out.get(b, 0.0) + float(v)
            return out
        for name, c in (self._node_colors or {}).items():
            i = index.get(name)
            if i is not None:
                b = int(node_box[i])
                out[b] = c if b not in out or (out[b] is not None and out[b].rgba() == c.rgba()) else None
        return out

    def _apply_overlay(self) -> None:
        if self.painter_ is None or self.graph is None or self.scene is None:
            return
        if not self._node_colors and self._node_values is None:
            self.painter_.set_overlay(None)
            return
        boxes = self._overlay_boxes()
        if self._node_values is not None:
            lo, hi = (min(boxes.values()), max(boxes.values())) if boxes else (0.0, 0.0)
            span = (hi - lo) or 1.0
            self._legend = (self._legend[0] if self._legend else "", lo, hi)
            colours = {b: colormap((v - lo) / span) for b, v in boxes.items()}
            spent = np.zeros(self.scene.n_boxes, bool)
            spent[list(colours)] = True
            for b in np.nonzero((self.scene.kind == BOX_OP) & ~spent)[0].tolist():
                colours[b] = NO_VALUE  # no time of its own (fused into another kernel, folded away)
            self.painter_.set_overlay(colours)
        else:
            self.painter_.set_overlay({b: c for b, c in boxes.items() if c is not None})

    # ---- transform ----
    def to_scene(self, p: QPointF) -> QPointF:
        return (p - self.offset) / self.scale_

    def visible_rect(self) -> QRectF:
        tl = self.to_scene(QPointF(0, 0))
        return QRectF(tl.x(), tl.y(), self.width() / self.scale_, self.height() / self.scale_)

    def fit(self) -> None:
        """Whole graph centred in the window (not above 1:1, so small graphs stay crisp).

        Until the user pans or zooms, a resize fits again: a layout that arrives before the widget has its
        final size must not stay in a corner.
        """
        if self.scene is None:
            return
        w, h = max(self.scene.width, 1.0) + 40, max(self.scene.height, 1.0) + 40
        self.scale_ = float(np.clip(min(self.width() / w, self.height() / h, 1.0), MIN_SCALE, MAX_SCALE))
        self.offset = QPointF((self.width() - self.scene.width * self.scale_) / 2,
                              max((self.height() - self.scene.height * self.scale_) / 2, 20 * self.scale_))
        self.auto_fit = True
        self._fit_size = self.size()
        self.update()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.auto_fit and event.size() != self._fit_size:
            self.fit()

    def zoom_at(self, factor: float, anchor: QPointF) -> None:
        new = float(np.clip(self.scale_ * factor, MIN_SCALE, MAX_SCALE))
        self.auto_fit = False
        at = self.to_scene(anchor)
        self.scale_ = new
        self.offset = anchor - at * new
        self.update()

    def center_on_node(self, node: int, zoom: float | None = 1.0) -> None:
        if self.scene is None:
            return
        b = int(self.scene.node_box[node])
        self.auto_fit = False
        if zoom is not None:
            self.scale_ = max(self.scale_, zoom)
        c = QPointF((self.scene.x0[b] + self.scene.x1[b]) / 2, (self.scene.y0[b] + self.scene.y1[b]) / 2)
        self.offset = QPointF(self.width() / 2, self.height() / 2) - c * self.scale_
        self.update()

    def select_node(self, node: int, center: bool = False) -> None:
        """Select ``node`` (expanding the groups around it) and optionally bring it into view."""
        if self.layout_ is None or self.scene is None:
            return
        if node >= 0 and self.scene.kind[self.scene.node_box[node]] == BOX_GROUP:
            self.layout_.reveal(node)
            self._rebuild()
        self.selected_node = node
        self._sync_selection()
        if center and node >= 0:
            self.center_on_node(node)
        self.update()

    # ---- painting ----
    def paintEvent(self, event: QPaintEvent) -> None:
        import time

        t0 = time.perf_counter()
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#ffffff"))
        if self.painter_ is None:
            p.setPen(QColor("#5a6270"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.message or "No model")
            p.end()
            return
        p.save()
        p.translate(self.offset)
        p.scale(self.scale_, self.scale_)
        self.painter_.paint(p, self.visible_rect(), self.scale_)
        p.restore()
        self._paint_minimap(p)
        self._paint_legend(p)
        if self.message:
            p.setPen(QColor("#5a6270"))
            p.drawText(self.rect().adjusted(8, 8, -8, -8), Qt.AlignmentFlag.AlignLeft, self.message)
        p.end()
        self.last_frame_ms = (time.perf_counter() - t0) * 1e3

    def _minimap_rect(self) -> QRectF | None:
        if self.scene is None or self.painter_ is None:
            return None
        if self._minimap is None:
            self._minimap = minimap_image(self.scene, self.painter_)
        img, _ = self._minimap
        return QRectF(self.width() - img.width() - 10, 10, img.width(), img.height())

    def _paint_minimap(self, p: QPainter) -> None:
        vis = self.visible_rect()
        if self.scene is None or (vis.width() >= self.scene.width and vis.height() >= self.scene.height):
            return  # everything is on screen: a minimap would only hide part of it
        r = self._minimap_rect()
        img, k = self._minimap
        p.drawImage(r.topLeft(), img)
        p.setPen(QPen(QColor("#9aa0aa"), 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(r)
        view = QRectF(r.left() + vis.left() * k, r.top() + vis.top() * k, vis.width() * k, vis.height() * k)
        p.setPen(QPen(QColor("#e07b00"), 1.5))
        p.setBrush(QColor(224, 123, 0, 40))
        p.drawRect(view.intersected(r.adjusted(-1, -1, 1, 1)))

    def _paint_legend(self, p: QPainter) -> None:
        if self._swatches:
            x, y = 12, self.height() - 22
            for label, c in self._swatches:
                p.fillRect(QRectF(x, y, 12, 12), c)
                p.setPen(QColor("#333333"))
                p.drawText(QPointF(x + 17, y + 11), label)
                x += 30 + p.fontMetrics().horizontalAdvance(label)
            return
        if self._legend is None:
            return
        label, lo, hi = self._legend
        x, y, w = 12, self.height() - 40, 160
        for i in range(w):
            p.setPen(colormap(i / (w - 1)))
            p.drawLine(x + i, y, x + i, y + 10)
        p.setPen(QColor("#333333"))
        p.drawText(QPointF(x, y - 4), label)
        p.drawText(QPointF(x, y + 24), f"{lo:.3g}")
        p.drawText(QPointF(x + w - 30, y + 24), f"{hi:.3g}")

    # ---- hit testing ----
    def box_at(self, pos: QPointF) -> int:
        """Topmost box under a widget position (a node beats the frame around it), or -1."""
        if self.scene is None:
            return -1
        s, q = self.scene, self.to_scene(pos)
        tol = 2.0 / self.scale_
        hit = np.nonzero((s.x0 - tol <= q.x()) & (s.x1 + tol >= q.x()) & (s.y0 - tol <= q.y()) & (s.y1 + tol >= q.y()))[0]
        if not len(hit):
            return -1
        not_frame = hit[s.kind[hit] != BOX_FRAME]
        if len(not_frame):
            return int(not_frame[-1])
        return int(hit[np.argmax(s.y0[hit])])  # innermost frame

    def _click(self, pos: QPointF, double: bool) -> None:
        b = self.box_at(pos)
        s = self.scene
        if b < 0 or s is None:
            self.selected_node = -1
            self._sync_selection()
            self.node_clicked.emit(-1)
            self.update()
            return
        kind, ref = int(s.kind[b]), int(s.ref[b])
        if kind == BOX_FRAME:
            header = self.to_scene(pos).y() <= s.y0[b] + 28
            if header:
                self.toggle_group(ref)
            return
        if kind == BOX_GROUP:
            if double:
                self.toggle_group(ref)
            else:
                self.group_clicked.emit(ref)
            return
        self.selected_node = ref
        self._sync_selection()
        self.update()
        (self.node_activated if double else self.node_clicked).emit(ref)

    # ---- events ----
    def mousePressEvent(self, event: QMouseEvent) -> None:
        r = self._minimap_rect()
        if r is not None and r.contains(event.position()) and self._minimap_visible():
            self._minimap_drag = True
            self._minimap_jump(event.position())
            return
        self._drag = event.position()
        self._dragged = False

    def _minimap_visible(self) -> bool:
        vis = self.visible_rect()
        return self.scene is not None and not (vis.width() >= self.scene.width and vis.height() >= self.scene.height)

    def _minimap_jump(self, pos: QPointF) -> None:
        r = self._minimap_rect()
        _, k = self._minimap
        target = QPointF((pos.x() - r.left()) / k, (pos.y() - r.top()) / k)
        self.auto_fit = False
        self.offset = QPointF(self.width() / 2, self.height() / 2) - target * self.scale_
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._minimap_drag:
            self._minimap_jump(event.position())
        elif self._drag is not None:
            delta = event.position() - self._drag
            if self._dragged or abs(delta.x()) + abs(delta.y()) > 3:
                self._dragged = True
                self.auto_fit = False
                self.offset += delta
                self._drag = event.position()
                self.update()
        else:
            b = self.box_at(event.position())
            tip = ""
            if b >= 0 and self.scene is not None and self.graph is not None and self.scene.kind[b] < BOX_GROUP:
                tip = self.graph.names[int(self.scene.ref[b])]
            elif b >= 0 and self.scene is not None and self.graph is not None:
                tip = self.graph.group_path[int(self.scene.ref[b])]
            self.setToolTip(tip)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if not self._minimap_drag and self._drag is not None and not self._dragged:
            self._click(event.position(), False)
        self._drag = None
        self._minimap_drag = False

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self._click(event.position(), True)

    def wheelEvent(self, event: QWheelEvent) -> None:
        pixel = event.pixelDelta()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if not pixel.isNull() and not ctrl:  # two-finger scroll on a trackpad pans
            self.auto_fit = False
            self.offset += QPointF(pixel.x(), pixel.y())
            self.update()
            return
        steps = event.angleDelta().y() / 120.0
        self.zoom_at(1.2 ** steps, event.position())

    def event(self, ev: QEvent) -> bool:
        if ev.type() == QEvent.Type.NativeGesture and ev.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
            self.zoom_at(1.0 + ev.value(), ev.position())
            return True
        if ev.type() == QEvent.Type.Gesture:
            pinch = ev.gesture(Qt.GestureType.PinchGesture)
            if pinch is not None:
                self.zoom_at(pinch.scaleFactor(), self.mapFromGlobal(pinch.centerPoint().toPoint()).toPointF())
                return True
        return super().event(ev)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        centre = QPointF(self.width() / 2, self.height() / 2)
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_at(1.25, centre)
        elif key == Qt.Key.Key_Minus:
            self.zoom_at(0.8, centre)
        elif key in (Qt.Key.Key_F, Qt.Key.Key_Home):
            self.fit()
        elif key in (Qt.Key.Key_Backspace, Qt.Key.Key_Escape):
            self.back_requested.emit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_node >= 0:
            self.node_activated.emit(self.selected_node)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right):
            nxt = self.neighbour(self.selected_node, key)
            if nxt >= 0:
                self.select_node(nxt, center=False)
                self._ensure_visible(nxt)
                self.node_clicked.emit(nxt)
        else:
            super().keyPressEvent(event)

    def neighbour(self, node: int, key: int) -> int:
        """Up: a producer, Down: a consumer (the nearest horizontally), Left/Right: the next box in the row."""
        g, s = self.graph, self.scene
        if g is None or s is None:
            return -1
        if node < 0:
            return int(np.argmin(s.y0[s.node_box])) if g.n_nodes else -1
        cx = (s.x0[s.node_box[node]] + s.x1[s.node_box[node]]) / 2
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            cands = g.producers(node) if key == Qt.Key.Key_Up else g.consumers(node)
            if not cands:
                return -1
            xs = [abs((s.x0[s.node_box[c]] + s.x1[s.node_box[c]]) / 2 - cx) for c in cands]
            return int(cands[int(np.argmin(xs))])
        b = s.node_box[node]
        row = np.nonzero((s.kind < BOX_GROUP) & (np.abs(s.y0 - s.y0[b]) < 1.0))[0]
        row = row[np.argsort(s.x0[row])]
        i = int(np.nonzero(row == b)[0][0]) + (1 if key == Qt.Key.Key_Right else -1)
        return int(s.ref[row[i]]) if 0 <= i < len(row) else -1

    def _ensure_visible(self, node: int) -> None:
        s = self.scene
        b = s.node_box[node]
        if not self.visible_rect().contains(QRectF(s.x0[b], s.y0[b], s.x1[b] - s.x0[b], s.y1[b] - s.y0[b])):
            self.center_on_node(node, zoom=None)
