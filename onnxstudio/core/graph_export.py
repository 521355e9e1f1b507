"""Colours of the graph picture, and its export to SVG (text) and PNG (Pillow), without Qt.

The app's painter uses the same palette so that a headless ``onnxstudio graph --export`` looks like the view.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import logging
import math
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
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

log = logging.getLogger(__name__)

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


# ---- text: what each box, frame and edge shows (shared by the SVG and PNG writers) --------------------
TITLE_SIZE, SMALL_SIZE = 11.0, 9.0  # scene units, as the app's fonts
MIN_TEXT = 0.8  # text too wide for its box shrinks down to this fraction of its size, then is elided
TEXT_PAD = 4.0  # free space on each side of a box's text
ARROW_LEN, ARROW_HALF = 7.0, 3.5  # arrowhead at each edge's target, as the app draws it
MARGIN = 20.0
PNG_SCALE = 2.0  # pixels per scene unit of a PNG: crisp on high-density screens and when zoomed
MAX_SIDE, MAX_PIXELS = 16_000, 60_000_000  # a PNG larger than this is scaled down
MIN_TEXT_SCALE = 0.45  # below this many pixels per unit text would be unreadable: boxes only
ELLIPSIS = "…"


@dataclass(frozen=True)
class TextSpec:
    """One line of text in scene units: ``(x, y)`` is its baseline's centre (anchor middle) or start."""

    x: float
    y: float
    text: str
    size: float
    color: str
    bold: bool = False
    anchor: str = "middle"  # or "start"
    fit: float = 0.0  # width it may take; 0: no limit
    keep: int = 0  # trailing characters (a shape, a node count) kept whole when the text is elided
    cls: str = ""  # SVG class


def _kept_tail(text: str, sep: str) -> int:
    i = text.rfind(sep)
    return len(text) - i if i > 0 else 0


def box_texts(graph: Graph, scene: Scene, b: int) -> list[TextSpec]:
    """Title and smaller rows of a node or collapsed group box; the title of an expanded group's frame."""
    kind, ref = int(scene.kind[b]), int(scene.ref[b])
    x0, y0, x1 = float(scene.x0[b]), float(scene.y0[b]), float(scene.x1[b])
    cx, fit = (x0 + x1) / 2, x1 - x0 - 2 * TEXT_PAD
    title, sub = box_label(graph, scene, b)
    if kind == BOX_FRAME:
        text = f"{title} · {sub}"
        return [TextSpec(x0 + 8, y0 + 17, text, TITLE_SIZE, LABEL_COLOR, anchor="start", fit=x1 - x0 - 16,
                         keep=_kept_tail(text, " · "))]
    if kind == BOX_GROUP:
        return [TextSpec(cx, y0 + 19, title, TITLE_SIZE, IO_TEXT, True, fit=fit),
                TextSpec(cx, y0 + 35, sub, SMALL_SIZE, LABEL_COLOR, fit=fit, cls="shape")]
    if kind == BOX_OP:
        color = "#ffffff"
        out = [TextSpec(cx, y0 + 19, title, TITLE_SIZE, color, True, fit=fit)]
        out += [TextSpec(cx, y0 + NODE_H + 5 + r * INIT_ROW, row, SMALL_SIZE, color, fit=fit,
                         keep=_kept_tail(row, " ⟨"))
                for r, row in enumerate(init_rows(graph, ref))]
        return out
    out = [TextSpec(cx, y0 + 17, title, TITLE_SIZE, IO_TEXT, True, fit=fit)]
    if sub:
        out.append(TextSpec(cx, y0 + 31, sub, SMALL_SIZE, IO_TEXT, fit=fit))
    return out


def edge_labels(graph: Graph, scene: Scene, edges: Iterable[int]) -> list[TextSpec]:
    """Type and shape of the tensor under each edge's start, once per (source, tensor).

    Not under a graph input, whose box shows it; none for an edge carrying several tensors.
    """
    out, done = [], set()
    for k in edges:
        value, src = scene.edge_value[k], int(scene.edge_src[k])
        if not value or (src, value) in done or scene.kind[src] == BOX_INPUT:
            continue
        done.add((src, value))
        label = graph.value(value).label()
        if label:
            x, y = scene.pts[scene.pt_off[k]]
            x = float(x) + 5
            out.append(TextSpec(x, float(y) + 13, label, SMALL_SIZE, LABEL_COLOR, anchor="start",
                                fit=max(scene.width + MARGIN - 2 - x, 1.0), cls="shape"))
    return out


def fit_text(text: str, avail: float, size: float, min_size: float, measure: Callable[[str, float], float],
             step: float, keep: int = 0) -> tuple[str, float]:
    """``(text, size)`` that fits ``avail``: the text as is, else shrunk (by ``step``) down to ``min_size``,
    else at ``min_size`` with its middle replaced by "…" (the last ``keep`` characters kept when they fit)."""
    width = measure(text, size)
    if width <= avail:
        return text, size
    s = math.floor(size * avail / width / step) * step
    while s >= min_size:
        if measure(text, s) <= avail:
            return text, s
        s -= step
    head, tail = (text[: len(text) - keep], text[len(text) - keep:]) if 0 < keep < len(text) else (text, "")
    if tail and measure(ELLIPSIS + tail, min_size) > avail:
        head, tail = text, ""

    def cut(n: int) -> str:  # n characters of head kept, half from each end
        return head[: (n + 1) // 2] + ELLIPSIS + head[len(head) - n // 2:] + tail if n < len(head) else head + tail

    lo, hi = 0, len(head) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(cut(mid), min_size) <= avail:
            lo = mid
        else:
            hi = mid - 1
    text = cut(lo)
    return (text if measure(text, min_size) <= avail else ""), min_size


# ---- fonts -------------------------------------------------------------------------------------------
def _fc_match(pattern: str) -> str | None:
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


@functools.cache
def font_path(bold: bool = False) -> str | None:
    """A TrueType file for the pictures: DejaVu Sans (as the SVG asks for) found by Pillow, in matplotlib or by
    fontconfig, else Arial or Segoe UI; None: Pillow's own default font."""
    from PIL import ImageFont

    dejavu = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    candidates = [dejavu]
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.origin:
        candidates.append(str(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / dejavu))
    candidates.append(_fc_match("DejaVu Sans:bold" if bold else "DejaVu Sans") or "")
    candidates += ["arialbd.ttf", "Arial Bold.ttf", "segoeuib.ttf"] if bold else ["arial.ttf", "Arial.ttf",
                                                                                   "segoeui.ttf"]
    for c in candidates:
        if not c:
            continue
        try:
            ImageFont.truetype(c, 10)
        except OSError:
            continue
        return c
    return font_path(False) if bold else None


@functools.lru_cache(maxsize=256)
def text_font(px: int, bold: bool = False):
    """The PNG's font at ``px`` pixels."""
    from PIL import ImageFont

    path = font_path(bold)
    if path is not None:
        return ImageFont.truetype(path, px)
    try:
        return ImageFont.load_default(size=px)  # Pillow >= 10.1: a scalable font
    except TypeError:
        return ImageFont.load_default()


# C0 controls and DEL cannot appear in SVG (XML) and trip text shaping: shown as the replacement character
_CONTROLS = {c: "\ufffd" for c in (*range(32), 0x7F)}


def displayable(text: str) -> str:
    """``text`` with control characters (a model's names may hold any) replaced, for drawing and SVG."""
    return text.translate(_CONTROLS)


def _length(font, text: str, px: float) -> float:
    """Advance width of ``text``; an estimate where the shaping library refuses the string."""
    try:
        return font.getlength(text)
    except (RuntimeError, ValueError, OSError):
        return 0.6 * px * len(text)


class TextFitter:
    """Fits TextSpecs at ``scale`` pixels per unit with the PNG's fonts (whole pixel sizes), or, for the SVG
    (``pixels`` False), in scene units measured with the same font, in steps of 0.1 unit."""

    def __init__(self, scale: float, pixels: bool) -> None:
        self.scale, self.pixels = scale, pixels
        self._cache: dict[tuple, tuple[str, float]] = {}

    def __call__(self, t: TextSpec) -> tuple[str, float]:
        """(text, size): size in pixels for the PNG, in scene units for the SVG."""
        s = self.scale
        size = max(1, round(t.size * s)) if self.pixels else t.size
        text = displayable(t.text)
        if not t.fit:
            return text, size
        key = (text, round(t.fit, 1), t.size, t.bold, t.keep)
        hit = self._cache.get(key)
        if hit is None:
            if self.pixels:
                measure = lambda text, px: _length(text_font(int(px), t.bold), text, px)  # noqa: E731
                hit = fit_text(text, t.fit * s, size, max(1, math.ceil(size * MIN_TEXT)), measure, 1, t.keep)
                hit = hit[0], int(hit[1])
            else:
                big = text_font(100, t.bold)
                measure = lambda text, u: _length(big, text, 100) * u / 100  # noqa: E731
                hit = fit_text(text, t.fit, size, round(size * MIN_TEXT, 1), measure, 0.1, t.keep)
                hit = hit[0], round(hit[1], 1)
            self._cache[key] = hit
        return hit


# ---- SVG -----------------------------------------------------------------------------------------------
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


def _attr(text: str) -> str:
    """``text`` for an XML attribute or element: controls replaced, markup and quotes escaped."""
    return escape(displayable(text), {'"': "&quot;"})


def _svg_text(t: TextSpec, fit: TextFitter) -> str:
    text, size = fit(t)
    if not text:
        return ""
    attrs = [f'x="{t.x:.1f}" y="{t.y:.1f}"']
    if t.cls:
        attrs.append(f'class="{t.cls}"')
    else:
        attrs.append(f'fill="{t.color}"')
    attrs.append(f'font-size="{size:g}"')
    if t.bold:
        attrs.append('font-weight="bold"')
    attrs.append(f'text-anchor="{t.anchor}"')
    return f"<text {' '.join(attrs)}>{escape(text)}</text>"  # fit() made it displayable


def scene_svg(graph: Graph, scene: Scene, clip: tuple[float, float, float, float] | None = None) -> str:
    """SVG of the scene (or of the ``clip`` rectangle of it): one ``<g class="node">`` per node box.

    It shows what the PNG shows: frame titles, arrowheads, tensor labels under edges, and box text fitted to
    its box (shrunk, then elided in the middle) as measured with DejaVu Sans, the font it names first.
    """
    m = MARGIN
    fit = TextFitter(1.0, pixels=False)
    vx0, vy0, vx1, vy1 = clip if clip else (0.0, 0.0, scene.width, scene.height)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{vx0 - m:.1f} {vy0 - m:.1f} {vx1 - vx0 + 2 * m:.1f} '
           f'{vy1 - vy0 + 2 * m:.1f}" width="{vx1 - vx0 + 2 * m:.0f}" height="{vy1 - vy0 + 2 * m:.0f}" '
           'font-family="DejaVu Sans, Segoe UI, Helvetica, sans-serif" font-size="11">',
           f"<style>.edge{{fill:none;stroke:{EDGE_COLOR};stroke-width:1.2}} .shape{{fill:{LABEL_COLOR}}}</style>",
           f'<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerUnits="userSpaceOnUse" '
           f'markerWidth="{ARROW_LEN:g}" markerHeight="{2 * ARROW_HALF:g}" orient="auto">'
           f'<path d="M0,0 L8,4 L0,8 z" fill="{EDGE_COLOR}"/></marker></defs>',
           f'<rect x="{vx0 - m:.1f}" y="{vy0 - m:.1f}" width="100%" height="100%" fill="{BACKGROUND}"/>']
    boxes = visible_boxes(scene, clip)
    shown = np.zeros(scene.n_boxes, bool)
    shown[boxes] = True
    for b in boxes[scene.kind[boxes] == BOX_FRAME].tolist():
        x0, y0, x1, y1 = scene.x0[b], scene.y0[b], scene.x1[b], scene.y1[b]
        out.append(f'<rect class="frame" x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" '
                   f'rx="6" fill="{FRAME_FILL}" stroke="{FRAME_EDGE}"/>')
    edges = np.nonzero(shown[scene.edge_src] | shown[scene.edge_dst])[0].tolist()
    for k in edges:
        pts = scene.pts[scene.pt_off[k]: scene.pt_off[k + 1]]
        out.append(f'<path class="edge" d="{_path_d(pts)}" marker-end="url(#arrow)"/>')
    for b in boxes[scene.kind[boxes] == BOX_FRAME].tolist():  # titles over the edges that cross them
        title = "".join(_svg_text(t, fit) for t in box_texts(graph, scene, b))
        out.append(f'<g class="frame" data-name="{_attr(graph.group_path[int(scene.ref[b])])}">{title}</g>')
    out += [_svg_text(t, fit) for t in edge_labels(graph, scene, edges)]
    for b in boxes[scene.kind[boxes] != BOX_FRAME].tolist():
        out.append(_svg_box(graph, scene, b, fit))
    out.append("</svg>")
    return "\n".join(out)


def _svg_box(graph: Graph, scene: Scene, b: int, fit: TextFitter) -> str:
    kind, ref = int(scene.kind[b]), int(scene.ref[b])
    x0, y0, x1, y1 = scene.x0[b], scene.y0[b], scene.x1[b], scene.y1[b]
    rect = (f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" '
            f'rx="{4 if kind == BOX_OP else 9}" ')
    texts = "".join(_svg_text(t, fit) for t in box_texts(graph, scene, b))
    if kind == BOX_GROUP:
        return (f'<g class="group" data-name="{_attr(graph.group_path[ref])}">{rect}fill="{GROUP_FILL}" '
                f'stroke="{GROUP_EDGE}" stroke-dasharray="4 2"/>{texts}</g>')
    name = _attr(graph.names[ref])
    if kind == BOX_OP:
        fill = FILL[node_category(graph, ref)]
    else:
        fill = INPUT_FILL if kind == BOX_INPUT else OUTPUT_FILL
    return f'<g class="node" data-name="{name}"><title>{name}</title>{rect}fill="{fill}"/>{texts}</g>'


# ---- PNG -----------------------------------------------------------------------------------------------
class PngExport(NamedTuple):
    width: int
    height: int
    scale: float  # pixels per scene unit
    note: str  # why the picture is smaller than asked or lacks text; "" when it is as asked


def png_scale(scene: Scene, scale: float = PNG_SCALE, max_side: int = MAX_SIDE,
              max_pixels: int = MAX_PIXELS) -> float:
    """``scale``, or less so that the picture stays within ``max_side`` pixels a side and ``max_pixels``."""
    w, h = scene.width + 2 * MARGIN, scene.height + 2 * MARGIN
    return min(scale, max_side / w, max_side / h, (max_pixels / (w * h)) ** 0.5)


def render_png(graph: Graph, scene: Scene, path: str | Path, scale: float = PNG_SCALE, max_side: int = MAX_SIDE,
               max_pixels: int = MAX_PIXELS) -> PngExport:
    """Rasterize the whole scene with Pillow at ``scale`` pixels per unit, less for a graph too large for
    ``max_side`` pixels a side or ``max_pixels`` (the returned note says so).

    Text is drawn only when the scale leaves it readable, like the view's level of detail.
    """
    from PIL import Image, ImageDraw

    m = MARGIN
    s = png_scale(scene, scale, max_side, max_pixels)
    size = (max(1, int((scene.width + 2 * m) * s)), max(1, int((scene.height + 2 * m) * s)))
    img = Image.new("RGB", size, BACKGROUND)
    d = ImageDraw.Draw(img)
    fit = TextFitter(s, pixels=True)
    text = s >= MIN_TEXT_SCALE

    def tx(v):
        return (v + m) * s

    def draw_text(t: TextSpec) -> None:
        line, px = fit(t)
        if line:
            try:
                d.text((tx(t.x), tx(t.y)), line, fill=t.color, font=text_font(px, t.bold),
                       anchor="ms" if t.anchor == "middle" else "ls")
            except (RuntimeError, ValueError, OSError):  # text shaping refused this string: leave it out
                pass

    stroke = max(1, round(s))
    frames = np.nonzero(scene.kind == BOX_FRAME)[0].tolist()
    for b in frames:
        d.rounded_rectangle([tx(scene.x0[b]), tx(scene.y0[b]), tx(scene.x1[b]), tx(scene.y1[b])],
                            radius=6 * s, fill=FRAME_FILL, outline=FRAME_EDGE, width=stroke)
    _png_edges(d, scene, s, tx)
    if text:
        for b in frames:  # titles over the edges that cross them
            for t in box_texts(graph, scene, b):
                draw_text(t)
        for t in edge_labels(graph, scene, range(len(scene.edge_src))):
            draw_text(t)
    for b in np.nonzero(scene.kind != BOX_FRAME)[0].tolist():
        kind, ref = int(scene.kind[b]), int(scene.ref[b])
        box = [tx(scene.x0[b]), tx(scene.y0[b]), tx(scene.x1[b]), tx(scene.y1[b])]
        if kind == BOX_GROUP:
            fill, outline = GROUP_FILL, GROUP_EDGE
        elif kind == BOX_OP:
            fill, outline = FILL[node_category(graph, ref)], None
        else:
            fill, outline = (INPUT_FILL if kind == BOX_INPUT else OUTPUT_FILL), None
        d.rounded_rectangle(box, radius=(9 if kind != BOX_OP else 4) * s, fill=fill, outline=outline,
                            width=stroke)
        if text:
            for t in box_texts(graph, scene, b):
                draw_text(t)
    img.save(path, compress_level=1)  # level 6 takes seconds on a 16k-pixel picture for a few % less
    notes = []
    if s < scale:
        notes.append(f"scaled down to {s:.2g} pixels per unit (asked {scale:g}) to stay within {max_side:,} pixels "
                     f"a side and {max_pixels / 1e6:g} megapixels")
    if not text:
        notes.append("too small for text: boxes only; export an SVG, or collapse groups, for labels")
    return PngExport(size[0], size[1], s, "; ".join(notes))


def _png_edges(d, scene: Scene, s: float, tx) -> None:
    width = max(1, round(1.2 * s))
    for k in range(len(scene.edge_src)):
        pts = _smooth(scene.pts[scene.pt_off[k]: scene.pt_off[k + 1]])
        if len(pts) < 2:
            continue
        tip = pts[-1]
        step = tip - pts[-2]
        n = float(np.hypot(*step))
        u = step / n if n > 1e-6 else np.array([0.0, 1.0])
        line = pts.copy()
        line[-1] = tip - u * (ARROW_LEN - 1)  # the line stops inside the head, whose tip stays sharp
        d.line([(tx(x), tx(y)) for x, y in line.tolist()], fill=EDGE_COLOR, width=width,
               joint="curve" if width > 2 else None)
        base, side = tip - u * ARROW_LEN, np.array([-u[1], u[0]]) * ARROW_HALF
        d.polygon([(tx(x), tx(y)) for x, y in (tip, base + side, base - side)], fill=EDGE_COLOR)


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


def export_scene(graph: Graph, scene: Scene, path: str | Path, scale: float = PNG_SCALE) -> str:
    """Write ``path`` as SVG or PNG (at ``scale`` pixels per unit), chosen by its suffix.

    Returns a note, also logged as a warning, when the PNG had to be made smaller than asked; else "".
    """
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        if suffix == ".svg":
            p.write_text(scene_svg(graph, scene), encoding="utf-8")
        elif suffix == ".png":
            note = render_png(graph, scene, p, scale).note
            if note:
                log.warning("%s: %s", p, note)
            return note
        else:
            raise StudioError(f"{p}: cannot export to {suffix or 'a file without suffix'}; use .svg or .png")
    except OSError as exc:
        raise StudioError(f"{p}: cannot write the file ({exc.strerror})") from None
    return ""
