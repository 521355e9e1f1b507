"""Bulk painting of a layout Scene with QPainter: culled numpy arrays, one draw call per colour, LOD.

No item per node: boxes and edge segments go to ``drawRects``/``drawLines`` straight from numpy memory
(pyqtgraph's PrimitiveArray), text and rounded corners appear only once the zoom makes them readable.
"""

from __future__ import annotations

import numpy as np
from pyqtgraph.Qt.internals import PrimitiveArray
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QStaticText

from onnxstudio.core import graph_export as style
from onnxstudio.core.graph import Graph
from onnxstudio.core.layout import BOX_FRAME, BOX_GROUP, BOX_INPUT, BOX_OP, NODE_H, Scene

TEXT_SCALE = 0.5  # below this zoom, 11 px labels are under 6 px on screen: not drawn
LABEL_SCALE = 0.8  # edge labels and initializer rows
ROUND_SCALE = 0.3  # rounded corners and curved edges
MAX_CURVES = 4000  # more visible segments than this: straight lines (a curve per segment costs ~2 us)
LOD_SEGMENTS = 20000  # more visible segments than this when zoomed out: snapped to pixels, de-duplicated
MAX_LABELS = 1000  # boxes (and edges) labelled per frame at most: each label costs ~10 us
PALETTE_KEYS = [*style.FILL, "input", "output", "group"]


def _qcolor(hexstr: str) -> QColor:
    return QColor(hexstr)


def _cosmetic(color: QColor, style_: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    """A one-pixel pen whatever the zoom: the raster engine draws it ~10x faster than a wide scaled pen."""
    pen = QPen(color, 1.0, style_)
    pen.setCosmetic(True)
    return pen


BASE_COLORS = [*(_qcolor(v) for v in style.FILL.values()), _qcolor(style.INPUT_FILL), _qcolor(style.OUTPUT_FILL),
               _qcolor(style.GROUP_FILL)]


class ScenePainter:
    """Holds per-scene arrays (colour index, labels) and paints any rectangle of the scene."""

    def __init__(self, graph: Graph, scene: Scene) -> None:
        self.graph, self.scene = graph, scene
        self._rects = PrimitiveArray(QRectF, 4)
        self._lines = PrimitiveArray(QLineF, 4)
        seg = scene.segments()
        self.segs = seg
        self.seg_lo = np.minimum(seg[:, 1], seg[:, 3]) if len(seg) else np.zeros(0)
        self.seg_hi = np.maximum(seg[:, 1], seg[:, 3]) if len(seg) else np.zeros(0)
        self.seg_x0 = np.minimum(seg[:, 0], seg[:, 2]) if len(seg) else np.zeros(0)
        self.seg_x1 = np.maximum(seg[:, 0], seg[:, 2]) if len(seg) else np.zeros(0)
        self.seg_edge = scene.segment_edge()
        n_seg = np.maximum(np.diff(scene.pt_off) - 1, 0)
        seg_start = np.concatenate([[0], np.cumsum(n_seg)[:-1]]).astype(np.int64)
        self.seg_first = np.zeros(len(seg), bool)
        self.seg_last = np.zeros(len(seg), bool)
        has = n_seg > 0
        self.seg_first[seg_start[has]] = True
        self.seg_last[(seg_start + n_seg - 1)[has]] = True
        cat_index = {k: i for i, k in enumerate(PALETTE_KEYS)}
        cats = {}
        color = np.empty(scene.n_boxes, np.int64)
        for b, (kind, ref) in enumerate(zip(scene.kind.tolist(), scene.ref.tolist(), strict=False)):
            if kind == BOX_OP:
                key = (graph.domain(ref), graph.ops[ref])
                c = cats.get(key)
                if c is None:
                    c = cats[key] = cat_index[style.node_category(graph, ref)]
                color[b] = c
            elif kind in (BOX_GROUP, BOX_FRAME):
                color[b] = cat_index["group"]
            else:
                color[b] = cat_index["input" if kind == BOX_INPUT else "output"]
        self.base_color = color
        self.colors = list(BASE_COLORS)
        self.color = color
        self.font = QFont()
        self.font.setPixelSize(11)
        self.bold = QFont(self.font)
        self.bold.setBold(True)
        self.small = QFont()
        self.small.setPixelSize(9)
        self._static: dict[tuple[str, int], QStaticText] = {}
        self._lod: tuple[int, np.ndarray, tuple[np.ndarray, ...]] | None = None  # pixel-snapped segments
        self.selected = -1

    def set_overlay(self, box_colors: dict[int, QColor] | None) -> None:
        """Replace the fill of some boxes (profiling, provider placement); None restores op colours."""
        self.colors = list(BASE_COLORS)
        self.color = self.base_color.copy()
        if not box_colors:
            return
        index: dict[int, int] = {}
        for b, c in box_colors.items():
            rgba = c.rgba()
            k = index.get(rgba)
            if k is None:
                k = index[rgba] = len(self.colors)
                self.colors.append(QColor(c))
            self.color[b] = k

    def visible(self, r: QRectF) -> np.ndarray:
        s = self.scene
        return np.nonzero((s.x1 >= r.left()) & (s.x0 <= r.right()) & (s.y1 >= r.top()) & (s.y0 <= r.bottom()))[0]

    def paint(self, p: QPainter, r: QRectF, scale: float) -> None:
        """Paint the scene rectangle ``r`` with ``p`` already transformed to scene units."""
        s = self.scene
        idx = self.visible(r)
        kinds = s.kind[idx]
        frames, boxes = idx[kinds == BOX_FRAME], idx[kinds != BOX_FRAME]
        hair = 1.0 / scale
        p.setRenderHint(QPainter.RenderHint.Antialiasing, scale >= ROUND_SCALE)
        if len(frames):
            p.setPen(_cosmetic(_qcolor(style.FRAME_EDGE)))
            p.setBrush(_qcolor(style.FRAME_FILL))
            self._draw_rects(p, frames, scale)
        self._paint_edges(p, r, scale)
        p.setPen(Qt.PenStyle.NoPen)
        col = self.color[boxes]
        for c in np.unique(col).tolist():
            sel = boxes[col == c]
            if c == PALETTE_KEYS.index("group"):
                p.setPen(_cosmetic(_qcolor(style.GROUP_EDGE), Qt.PenStyle.DashLine))
            else:
                p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(self.colors[c])
            self._draw_rects(p, sel, scale)
        if 0 <= self.selected < s.n_boxes:
            b = self.selected
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(QColor("#f2b705"), max(3.0 * hair, 2.0)))
            p.drawRoundedRect(QRectF(s.x0[b] - 3 * hair, s.y0[b] - 3 * hair, s.x1[b] - s.x0[b] + 6 * hair,
                                     s.y1[b] - s.y0[b] + 6 * hair), 5, 5)
        if scale >= TEXT_SCALE:
            self._paint_text(p, frames, boxes, scale)

    def _draw_rects(self, p: QPainter, sel: np.ndarray, scale: float) -> None:
        s = self.scene
        if scale >= ROUND_SCALE and len(sel) < 3000:
            for b in sel.tolist():
                radius = 4.0 if s.kind[b] == BOX_OP else 8.0
                p.drawRoundedRect(QRectF(s.x0[b], s.y0[b], s.x1[b] - s.x0[b], s.y1[b] - s.y0[b]), radius, radius)
            return
        self._rects.resize(len(sel))
        a = self._rects.ndarray()
        a[:, 0], a[:, 1] = s.x0[sel], s.y0[sel]
        # At least a pixel wide and tall, so the overview shows every node.
        a[:, 2] = np.maximum(s.x1[sel] - s.x0[sel], 1.0 / scale)
        a[:, 3] = np.maximum(s.y1[sel] - s.y0[sel], 1.0 / scale)
        p.drawRects(*self._rects.drawargs())

    def _paint_edges(self, p: QPainter, r: QRectF, scale: float) -> None:
        """Only the segments crossing ``r``: a trunk spanning the whole graph costs what its visible part costs."""
        m = np.flatnonzero((self.seg_hi >= r.top()) & (self.seg_lo <= r.bottom()) & (self.seg_x1 >= r.left())
                           & (self.seg_x0 <= r.right()))
        p.setPen(QPen(_qcolor(style.EDGE_COLOR), 1.2) if scale >= ROUND_SCALE else _cosmetic(_qcolor(style.EDGE_COLOR)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        seg = self.segs[m]
        if len(m) > LOD_SEGMENTS and scale < ROUND_SCALE:
            seg = self._pixel_segments(scale, r)
        bent = None
        if scale >= ROUND_SCALE and len(m) <= MAX_CURVES:
            # Stroking a curve that reaches far off screen costs like drawing all of it (0.5 s for a few
            # dozen after expanding a wide group): those stay straight.
            dx, dy = np.abs(seg[:, 0] - seg[:, 2]), np.abs(seg[:, 1] - seg[:, 3])
            bent = (dx >= 0.5) & ((dx + dy) * scale < 2000.0)
        straight = seg if bent is None else seg[~bent]
        self._lines.resize(len(straight))
        self._lines.ndarray()[:] = straight
        p.drawLines(*self._lines.drawargs())
        if bent is None:
            return
        path = QPainterPath()
        for x1, y1, x2, y2 in seg[bent].tolist():
            ym = (y1 + y2) / 2
            path.moveTo(x1, y1)
            path.cubicTo(x1, ym, x2, ym, x2, y2)
        heads = QPainterPath()
        for x, y in seg[self.seg_last[m], 2:].tolist():
            heads.moveTo(x, y)
            heads.lineTo(x - 3.5, y - 7)
            heads.lineTo(x + 3.5, y - 7)
            heads.closeSubpath()
        p.drawPath(path)
        p.fillPath(heads, _qcolor(style.EDGE_COLOR))
        if scale >= LABEL_SCALE:
            self._paint_edge_labels(p, self.seg_edge[m[self.seg_first[m]]])

    def _pixel_segments(self, scale: float, r: QRectF) -> np.ndarray:
        """Visible segments snapped to a pixel grid and de-duplicated: what a zoomed-out view can show.

        With 100k nodes on screen most segments are under a pixel long and many cover the same pixels; one
        line per distinct pixel pair draws the same picture at a fraction of the cost. The snapped set is
        cached per zoom step (scale rounded to 2^(1/8)), so panning at one zoom only culls it.
        """
        key = round(np.log2(scale) * 8)
        if self._lod is None or self._lod[0] != key:
            k = 2.0 ** (key / 8)
            q = np.round(self.segs * k)
            lo = q.min(axis=0) if len(q) else np.zeros(4)
            span = q.max(axis=0) - lo if len(q) else np.zeros(4)
            if span.max(initial=0) >= 2**16:  # too big a grid to pack: keep the segments as they are
                red = self.segs
            else:
                u = (q - lo).astype(np.int64)
                code = (u[:, 0] << 48) | (u[:, 1] << 32) | (u[:, 2] << 16) | u[:, 3]
                red = q[np.unique(code, return_index=True)[1]] / k
            bounds = (np.minimum(red[:, 1], red[:, 3]), np.maximum(red[:, 1], red[:, 3]),
                      np.minimum(red[:, 0], red[:, 2]), np.maximum(red[:, 0], red[:, 2]))
            self._lod = (key, red, bounds)
        _, red, (lo_y, hi_y, lo_x, hi_x) = self._lod
        keep = (hi_y >= r.top()) & (lo_y <= r.bottom()) & (hi_x >= r.left()) & (lo_x <= r.right())
        return red[keep]

    def _paint_edge_labels(self, p: QPainter, edges: np.ndarray) -> None:
        """Tensor type and shape under each visible edge start; not under graph inputs, whose box shows it."""
        s = self.scene
        p.setFont(self.small)
        p.setPen(_qcolor(style.LABEL_COLOR))
        done = set()
        shown = []
        for k in edges[: MAX_LABELS].tolist():
            v = s.edge_value[k]
            src = int(s.edge_src[k])
            key = (src, v)
            if not v or key in done or s.kind[src] == BOX_INPUT:
                continue
            done.add(key)
            shown.append((k, v))
        # one pass over value_info for the names this frame shows first (not one scan per label)
        infos = self.graph.values([v for _, v in shown])
        for (k, _), info in zip(shown, infos, strict=True):
            label = info.label()
            if label:
                x, y = s.pts[s.pt_off[k]]
                self._text(p, label, QPointF(x + 5, y + 3), 9)

    def _text(self, p: QPainter, text: str, at: QPointF, size: int) -> None:
        st = self._static.get((text, size))
        if st is None:
            st = QStaticText(text)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(font=self.small if size == 9 else self.bold)
            self._static[(text, size)] = st
        # drawStaticText lays the text out again in the painter's current font when it differs from prepare()'s
        font = self.small if size == 9 else self.bold
        if p.font() != font:
            p.setFont(font)
        p.drawStaticText(at, st)

    def _paint_text(self, p: QPainter, frames: np.ndarray, boxes: np.ndarray, scale: float) -> None:
        from onnxstudio.core.graph_export import box_label, init_rows

        s, g = self.scene, self.graph
        fm = QFontMetricsF(self.bold)
        p.setFont(self.bold)
        for b in frames.tolist():
            title, sub = box_label(g, s, b)
            p.setPen(_qcolor(style.LABEL_COLOR))
            p.drawText(QPointF(s.x0[b] + 8, s.y0[b] + 18), f"⊟ {title} · {sub}")
        for b in boxes[:MAX_LABELS].tolist():
            kind, ref = int(s.kind[b]), int(s.ref[b])
            title, sub = box_label(g, s, b)
            w = s.x1[b] - s.x0[b]
            fill = self.colors[self.color[b]]  # perceived brightness: viridis' yellow wants dark text
            dark_fill = 0.299 * fill.red() + 0.587 * fill.green() + 0.114 * fill.blue() < 150
            p.setPen(QColor("#ffffff") if dark_fill else _qcolor(style.IO_TEXT))
            if kind == BOX_GROUP:
                title = f"⊞ {title}"
            text = fm.elidedText(title, Qt.TextElideMode.ElideMiddle, w - 8)
            self._text_centered(p, text, (s.x0[b] + s.x1[b]) / 2, s.y0[b] + 4, fm)
            if scale >= LABEL_SCALE:
                rows = [sub] if kind == BOX_GROUP else init_rows(g, ref) if kind == BOX_OP else [sub]
                small = QFontMetricsF(self.small)
                for k, row in enumerate(rows):
                    if row:
                        row = _fit_row(row, small, w - 8)
                        x = (s.x0[b] + s.x1[b]) / 2 - small.horizontalAdvance(row) / 2
                        self._text(p, row, QPointF(x, s.y0[b] + NODE_H - 10 + 13 * k + (4 if kind else 0)), 9)
                p.setFont(self.bold)

    def _text_centered(self, p: QPainter, text: str, cx: float, top: float, fm: QFontMetricsF) -> None:
        st = self._static.get((text, 11))
        if st is None:
            st = QStaticText(text)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(font=self.bold)
            self._static[(text, 11)] = st
        p.drawStaticText(QPointF(cx - fm.horizontalAdvance(text) / 2, top + 4), st)


def _fit_row(row: str, fm: QFontMetricsF, width: float) -> str:
    """A row that fits the box: the name goes before the shape does ("weight ⟨64×3×7×7⟩" -> "⟨64×3×7×7⟩")."""
    if fm.horizontalAdvance(row) <= width:
        return row
    if "⟨" in row:
        row = row[row.index("⟨"):]
    return fm.elidedText(row, Qt.TextElideMode.ElideMiddle, width)


def minimap_image(scene: Scene, painter_colors: ScenePainter, size: int = 180) -> tuple[QImage, float]:
    """A small picture of the whole scene for the minimap, and its scale.

    Rasterized with numpy (a box is at least one pixel; edges are left out): painting 100k boxes with
    QPainter would stall the first frame that shows the minimap.
    """
    w, h = max(scene.width, 1.0), max(scene.height, 1.0)
    k = min(size / w, size * 1.6 / h)
    iw, ih = max(int(w * k), 8), max(int(h * k), 8)
    # one uint32 per pixel (BGRA bytes of ARGB32 on little-endian): scalar stores, no 4-wide fancy indexing
    px = lambda c: np.array(c, np.uint8).view(np.uint32)  # noqa: E731
    buf = np.full((ih, iw), px([255, 255, 255, 235])[0], np.uint32)
    x0 = np.clip((scene.x0 * k).astype(np.int64), 0, iw - 1)
    y0 = np.clip((scene.y0 * k).astype(np.int64), 0, ih - 1)
    x1 = np.clip(np.ceil(scene.x1 * k).astype(np.int64), x0 + 1, iw)
    y1 = np.clip(np.ceil(scene.y1 * k).astype(np.int64), y0 + 1, ih)
    palette = px([[c.blue(), c.green(), c.red(), 255] for c in painter_colors.colors]).ravel()
    frame = QColor(style.FRAME_EDGE)
    is_fr = scene.kind == BOX_FRAME
    colors = palette[painter_colors.color]
    colors[is_fr] = px([frame.blue(), frame.green(), frame.red(), 255])[0]
    area = (x1 - x0) * (y1 - y0)
    big = np.flatnonzero(area > 1)[:5000]
    is_frame = is_fr[big]
    for b in big[is_frame].tolist():  # an outline, so that what is inside stays visible; content paints over it
        buf[y0[b]:y1[b], [x0[b], x1[b] - 1]] = colors[b]
        buf[[y0[b], y1[b] - 1], x0[b]:x1[b]] = colors[b]
    # the other boxes' pixels all at once (a Python loop over thousands of small boxes costs a frame);
    # a repeated pixel takes the last box's colour, as in painting order
    bx = big[~is_frame]
    bw = (x1 - x0)[bx]
    bar = area[bx]
    end = np.cumsum(bar)
    n = int(np.searchsorted(end, 4 * iw * ih, side="right"))  # enough pixels to cover the picture a few times
    flat = buf.reshape(-1)
    if n:
        bx, bw, bar, end = bx[:n], bw[:n], bar[:n], end[:n]
        rep = np.repeat(np.arange(n), bar)
        local = np.arange(int(end[-1])) - np.repeat(end - bar, bar)
        flat[(y0[bx][rep] + local // bw[rep]) * iw + x0[bx][rep] + local % bw[rep]] = colors[bx][rep]
    for b in big[~is_frame][n:].tolist():  # boxes that overlap a lot (none in a laid-out graph)
        buf[y0[b]:y1[b], x0[b]:x1[b]] = colors[b]
    dots = np.flatnonzero((area <= 1) & ~is_fr)
    flat[y0[dots] * iw + x0[dots]] = colors[dots]
    img = QImage(buf.data, iw, ih, iw * 4, QImage.Format.Format_ARGB32).copy()
    return img, k
