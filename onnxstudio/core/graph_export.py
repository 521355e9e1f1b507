"""Colours of the graph picture, and its export to SVG (text) and PNG (Pillow), without Qt.

The app's painter uses the same palette so that a headless ``onnxstudio graph --export`` looks like the view.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

from onnxstudio.core.errors import StudioError
from onnxstudio.core.graph import Graph
from onnxstudio.core.layout import (
    BOX_FRAME,
    BOX_GROUP,
    BOX_INPUT,
    BOX_OP,
    BOX_OUTPUT,
    INIT_ROW,
    NODE_H,
    Scene,
)

_CATEGORIES: dict[str, tuple[str, ...]] = {
    "layer": ("Conv", "ConvTranspose", "ConvInteger", "Gemm", "MatMul", "MatMulInteger", "QLinearConv",
              "QLinearMatMul", "Einsum", "Attention", "MultiHeadAttention", "LSTM", "GRU", "RNN",
              "FusedConv", "FusedMatMul", "GroupQueryAttention"),
    "activation": ("Relu", "Sigmoid", "Tanh", "Gelu", "FastGelu", "BiasGelu", "QuickGelu", "Softmax", "LogSoftmax",
                   "LeakyRelu", "PRelu", "Clip", "Elu", "Selu", "Celu", "HardSigmoid", "HardSwish", "Mish",
                   "Softplus", "Softsign", "ThresholdedRelu", "Erf"),
    "pool": ("MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LpPool", "RoiAlign", "MaxRoiPool",
             "ReduceMean", "ReduceMax", "ReduceSum", "ReduceMin", "ArgMax", "ArgMin", "TopK"),
    "norm": ("BatchNormalization", "LayerNormalization", "InstanceNormalization", "GroupNormalization", "LRN",
             "SimplifiedLayerNormalization", "SkipLayerNormalization", "SkipSimplifiedLayerNormalization",
             "Dropout", "LpNormalization", "MeanVarianceNormalization", "RMSNormalization"),
    "shape": ("Reshape", "Transpose", "Flatten", "Squeeze", "Unsqueeze", "Shape", "Gather", "GatherElements",
              "GatherND", "Slice", "Concat", "Split", "Expand", "Tile", "Cast", "Pad", "Resize", "Upsample", "Size",
              "ConstantOfShape", "Range", "ScatterND", "ScatterElements", "Identity", "DepthToSpace",
              "SpaceToDepth", "CastLike", "Trilu", "Where", "NonZero"),
    "control": ("If", "Loop", "Scan", "SequenceMap"),
    "constant": ("Constant",),
}
CATEGORY_OF = {op: cat for cat, ops in _CATEGORIES.items() for op in ops}
# Fill colours (white text on top); chosen to stay apart for the common colour-vision deficiencies.
FILL = {"layer": "#33598a", "activation": "#8c3a2b", "pool": "#3d6b3d", "norm": "#3d5f6e", "shape": "#6e5746",
        "control": "#6a4c93", "constant": "#7a7a7a", "function": "#2b7a78", "other": "#4a525c"}
INPUT_FILL, OUTPUT_FILL, IO_TEXT = "#dcefd9", "#fbe3c8", "#1f2a1f"
GROUP_FILL, GROUP_EDGE, FRAME_FILL, FRAME_EDGE = "#f1eee2", "#a89f7d", "#f6f7fa", "#c5c8d4"
EDGE_COLOR, LABEL_COLOR, BACKGROUND = "#7d8590", "#5a6270", "#ffffff"


def node_category(graph: Graph, i: int) -> str:
    if i < graph.n_ops and (graph.domain(i), graph.ops[i]) in graph.functions:
        return "function"
    return CATEGORY_OF.get(graph.ops[i], "other")


def init_rows(graph: Graph, i: int) -> list[str]:
    """Up to three ``name ⟨shape⟩`` lines for the initializers a node reads, Netron style."""
    rows = []
    if i >= graph.n_ops or not graph.n_init[i]:
        return rows
    for name in graph.protos[i].input:
        t = graph.initializers.get(name)
        if t is not None:
            short = name.rsplit(".", 1)[-1].rsplit("/", 1)[-1][:10]
            rows.append(f"{short} ⟨{'×'.join(str(d) for d in t.dims) or 'scalar'}⟩")
            if len(rows) == 3:
                break
    return rows


def box_label(graph: Graph, scene: Scene, b: int) -> tuple[str, str]:
    """(title, subtitle) drawn in box ``b``."""
    kind, ref = int(scene.kind[b]), int(scene.ref[b])
    if kind in (BOX_GROUP, BOX_FRAME):
        return graph.group_label[ref], f"{int(graph.group_size[ref]):,} nodes"
    if kind in (BOX_INPUT, BOX_OUTPUT):
        return graph.names[ref], graph.value(graph.names[ref]).label()
    return graph.ops[ref], ""


def _path_d(pts: np.ndarray) -> str:
    """Smooth path through a polyline: vertical tangents at every point, so edges leave and enter straight."""
    parts = [f"M{pts[0, 0]:.1f},{pts[0, 1]:.1f}"]
    for (x1, y1), (x2, y2) in itertools.pairwise(pts):
        if abs(x1 - x2) < 0.5:
            parts.append(f"L{x2:.1f},{y2:.1f}")
        else:
            ym = (y1 + y2) / 2
            parts.append(f"C{x1:.1f},{ym:.1f} {x2:.1f},{ym:.1f} {x2:.1f},{y2:.1f}")
    return "".join(parts)


def visible_boxes(scene: Scene, clip: tuple[float, float, float, float] | None) -> np.ndarray:
    if clip is None:
        return np.arange(scene.n_boxes)
    x0, y0, x1, y1 = clip
    return np.nonzero((scene.x1 >= x0) & (scene.x0 <= x1) & (scene.y1 >= y0) & (scene.y0 <= y1))[0]


def scene_svg(graph: Graph, scene: Scene, clip: tuple[float, float, float, float] | None = None) -> str:
    """SVG of the scene (or of the ``clip`` rectangle of it): one ``<g class="node">`` per node box."""
    m = 20.0
    vx0, vy0, vx1, vy1 = clip if clip else (0.0, 0.0, scene.width, scene.height)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{vx0 - m:.1f} {vy0 - m:.1f} {vx1 - vx0 + 2 * m:.1f} '
           f'{vy1 - vy0 + 2 * m:.1f}" width="{vx1 - vx0 + 2 * m:.0f}" height="{vy1 - vy0 + 2 * m:.0f}" '
           'font-family="DejaVu Sans, Segoe UI, Helvetica, sans-serif" font-size="11">',
           f"<style>.edge{{fill:none;stroke:{EDGE_COLOR};stroke-width:1.2}} .shape{{fill:{LABEL_COLOR};"
           "font-size:9px}} .node text,.group text{text-anchor:middle}</style>",
           '<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" '
           f'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="{EDGE_COLOR}"/></marker></defs>',
           f'<rect x="{vx0 - m:.1f}" y="{vy0 - m:.1f}" width="100%" height="100%" fill="{BACKGROUND}"/>']
    boxes = visible_boxes(scene, clip)
    shown = np.zeros(scene.n_boxes, bool)
    shown[boxes] = True
    for b in boxes[scene.kind[boxes] == BOX_FRAME].tolist():
        title, sub = box_label(graph, scene, b)
        x0, y0, x1, y1 = scene.x0[b], scene.y0[b], scene.x1[b], scene.y1[b]
        out.append(f'<g class="frame"><rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" '
                   f'rx="6" fill="{FRAME_FILL}" stroke="{FRAME_EDGE}"/><text x="{x0 + 8:.1f}" y="{y0 + 17:.1f}" '
                   f'fill="{LABEL_COLOR}">{escape(title)} · {escape(sub)}</text></g>')
    for k in np.nonzero(shown[scene.edge_src] | shown[scene.edge_dst])[0].tolist():
        pts = scene.pts[scene.pt_off[k]: scene.pt_off[k + 1]]
        out.append(f'<path class="edge" d="{_path_d(pts)}" marker-end="url(#arrow)"/>')
        value = scene.edge_value[k]  # a graph input's box shows its type: no label under it
        label = graph.value(value).label() if value and scene.kind[scene.edge_src[k]] != BOX_INPUT else ""
        if label:
            out.append(f'<text class="shape" x="{pts[0, 0] + 5:.1f}" y="{pts[0, 1] + 13:.1f}">{escape(label)}</text>')
    for b in boxes[scene.kind[boxes] != BOX_FRAME].tolist():
        out.append(_svg_box(graph, scene, b))
    out.append("</svg>")
    return "\n".join(out)


def _svg_box(graph: Graph, scene: Scene, b: int) -> str:
    kind, ref = int(scene.kind[b]), int(scene.ref[b])
    x0, y0, x1, y1 = scene.x0[b], scene.y0[b], scene.x1[b], scene.y1[b]
    cx, w, h = (x0 + x1) / 2, x1 - x0, y1 - y0
    title, sub = box_label(graph, scene, b)
    rect = f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{4 if kind == BOX_OP else 9}" '
    if kind == BOX_GROUP:
        return (f'<g class="group" data-name="{escape(graph.group_path[ref])}">{rect}fill="{GROUP_FILL}" '
                f'stroke="{GROUP_EDGE}" stroke-dasharray="4 2"/><text x="{cx:.1f}" y="{y0 + 19:.1f}">'
                f'{escape(title)}</text><text x="{cx:.1f}" y="{y0 + 35:.1f}" class="shape">{escape(sub)}</text></g>')
    name = escape(graph.names[ref])
    if kind == BOX_OP:
        fill, color = FILL[node_category(graph, ref)], "#ffffff"
    else:
        fill, color = (INPUT_FILL if kind == BOX_INPUT else OUTPUT_FILL), IO_TEXT
    parts = [f'<g class="node" data-name="{name}"><title>{name}</title>{rect}fill="{fill}"/>',
             f'<text x="{cx:.1f}" y="{y0 + 19:.1f}" fill="{color}" font-weight="bold">{escape(title)}</text>']
    rows = init_rows(graph, ref) if kind == BOX_OP else [sub] if sub else []
    for r, row in enumerate(rows):
        parts.append(f'<text x="{cx:.1f}" y="{y0 + NODE_H + 6 + r * INIT_ROW:.1f}" fill="{color}" '
                     f'font-size="9">{escape(row)}</text>')
    parts.append("</g>")
    return "".join(parts)


def _font(size: int):
    from PIL import ImageFont

    for name in ("DejaVuSans.ttf", "Arial.ttf", "segoeui.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def render_png(graph: Graph, scene: Scene, path: str | Path, max_side: int = 16000,
               max_pixels: int = 60_000_000) -> tuple[int, int]:
    """Rasterize the whole scene with Pillow, scaled down to fit ``max_side`` and ``max_pixels``.

    Text is drawn only when the scale leaves it readable, like the view's level of detail.
    """
    from PIL import Image, ImageDraw

    m = 20.0
    w, h = scene.width + 2 * m, scene.height + 2 * m
    s = min(2.0, max_side / w, max_side / h, (max_pixels / (w * h)) ** 0.5)
    size = (max(1, int(w * s)), max(1, int(h * s)))
    img = Image.new("RGB", size, BACKGROUND)
    d = ImageDraw.Draw(img)
    tx = lambda v: (v + m) * s  # noqa: E731
    for b in np.nonzero(scene.kind == BOX_FRAME)[0].tolist():
        d.rounded_rectangle([tx(scene.x0[b]), tx(scene.y0[b]), tx(scene.x1[b]), tx(scene.y1[b])],
                            radius=6 * s, fill=FRAME_FILL, outline=FRAME_EDGE)
    for k in range(len(scene.edge_src)):
        pts = scene.pts[scene.pt_off[k]: scene.pt_off[k + 1]]
        d.line([(tx(x), tx(y)) for x, y in _smooth(pts)], fill=EDGE_COLOR, width=max(1, round(1.2 * s)))
    text = s >= 0.45
    f_title, f_small = (_font(max(6, round(11 * s))), _font(max(5, round(9 * s)))) if text else (None, None)
    for b in np.nonzero(scene.kind != BOX_FRAME)[0].tolist():
        kind, ref = int(scene.kind[b]), int(scene.ref[b])
        box = [tx(scene.x0[b]), tx(scene.y0[b]), tx(scene.x1[b]), tx(scene.y1[b])]
        if kind == BOX_GROUP:
            fill, outline, color = GROUP_FILL, GROUP_EDGE, IO_TEXT
        elif kind == BOX_OP:
            fill, outline, color = FILL[node_category(graph, ref)], None, "#ffffff"
        else:
            fill, outline, color = (INPUT_FILL if kind == BOX_INPUT else OUTPUT_FILL), None, IO_TEXT
        d.rounded_rectangle(box, radius=(9 if kind != BOX_OP else 4) * s, fill=fill, outline=outline)
        if text:
            title, sub = box_label(graph, scene, b)
            cx = (box[0] + box[2]) / 2
            d.text((cx, box[1] + 15 * s), title[:34], fill=color, font=f_title, anchor="ms")
            rows = init_rows(graph, ref) if kind == BOX_OP else [sub] if sub else []
            for r, row in enumerate(rows):
                d.text((cx, box[1] + (NODE_H + 5 + r * INIT_ROW) * s), row, fill=color, font=f_small, anchor="ms")
    img.save(path)
    return size


def _smooth(pts: np.ndarray, steps: int = 8) -> np.ndarray:
    """The polyline with each bend replaced by a vertical-tangent cubic, sampled, as in the SVG paths."""
    out = [pts[:1]]
    t = np.linspace(0, 1, steps + 1)[1:, None]
    for (x1, y1), (x2, y2) in itertools.pairwise(pts):
        if abs(x1 - x2) < 0.5:
            out.append(np.array([[x2, y2]]))
            continue
        ym = (y1 + y2) / 2
        p0, p1, p2, p3 = np.array([x1, y1]), np.array([x1, ym]), np.array([x2, ym]), np.array([x2, y2])
        out.append((1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t**2 * p2 + t**3 * p3)
    return np.vstack(out)


def export_scene(graph: Graph, scene: Scene, path: str | Path) -> None:
    """Write ``path`` as SVG or PNG, chosen by its suffix."""
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        if suffix == ".svg":
            p.write_text(scene_svg(graph, scene), encoding="utf-8")
        elif suffix == ".png":
            render_png(graph, scene, p)
        else:
            raise StudioError(f"{p}: cannot export to {suffix or 'a file without suffix'}; use .svg or .png")
    except OSError as exc:
        raise StudioError(f"{p}: cannot write the file ({exc.strerror})") from None
