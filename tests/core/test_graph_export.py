"""SVG and PNG export: the SVG parses and has one element per node; the PNG is a real image."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import onnx
import pytest
from onnx import helper, numpy_helper
from PIL import Image

from onnxstudio.core.errors import StudioError
from onnxstudio.core.graph import load_graph
from onnxstudio.core.graph_export import (
    MARGIN,
    MIN_TEXT,
    TEXT_PAD,
    TextFitter,
    box_texts,
    edge_labels,
    export_scene,
    fit_text,
    render_png,
    scene_svg,
    text_font,
)
from onnxstudio.core.layout import BOX_FRAME, GraphLayout
from tests.core.test_graph import _vi, if_model, namespaced_model

SVG = "{http://www.w3.org/2000/svg}"


def _nodes(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]


def test_svg_has_one_element_per_node(tmp_path):
    g = load_graph(namespaced_model(3))
    lay = GraphLayout(g)
    lay.expand_all()
    export_scene(g, lay.scene(), tmp_path / "g.svg")
    root = ET.parse(tmp_path / "g.svg").getroot()
    names = [e.get("data-name") for e in _nodes(root)]
    assert sorted(names) == sorted(g.names)
    assert len([p for p in root.iter(f"{SVG}path") if p.get("class") == "edge"]) == len(g.edge_src)
    assert any(t.text == "float32 1×4" for t in root.iter(f"{SVG}text"))  # an edge label from value_info


def test_collapsed_svg_shows_groups_and_a_clip_shows_part(tmp_path):
    g = load_graph(namespaced_model(3))
    scene = GraphLayout(g).scene()
    root = ET.fromstring(scene_svg(g, scene))
    groups = [e for e in root.iter(f"{SVG}g") if e.get("class") == "group"]
    assert [e.get("data-name") for e in groups] == ["encoder"]
    assert len(_nodes(root)) == 3  # x, y and the head's Identity
    part = ET.fromstring(scene_svg(g, scene, clip=(0, 0, scene.width, 20)))
    assert len(_nodes(part)) == 1


def test_png_export(tmp_path):
    g = load_graph(if_model())
    export_scene(g, GraphLayout.default(g).scene(), tmp_path / "g.png")
    with Image.open(tmp_path / "g.png") as im:
        assert im.size[0] > 50 and im.size[1] > 50
        assert len(im.getcolors(100_000)) > 5  # not a blank page


def test_unknown_suffix_is_a_one_line_error(tmp_path):
    g = load_graph(if_model())
    with pytest.raises(StudioError, match="use .svg or .png"):
        export_scene(g, GraphLayout.default(g).scene(), tmp_path / "g.pdf")


def test_input_type_is_drawn_once():
    from onnxstudio.core.graph_export import scene_svg
    from onnxstudio.core.layout import GraphLayout

    g = load_graph(namespaced_model(1))
    sc = GraphLayout.default(g).scene()
    svg = scene_svg(g, sc)
    b = int(sc.node_box[g.find_node("x")])
    node_x = svg[svg.index('data-name="x"'):].split("</g>")[0]
    assert ">float32 1×4<" in node_x  # the input box shows its type...
    k = int(np.flatnonzero(sc.edge_src == b)[0])
    x, y = sc.pts[sc.pt_off[k]]
    assert f'x="{x + 5:.1f}" y="{y + 13:.1f}"' not in svg  # ...so no edge label repeats it under the box


# ---- fitted text, titles, scale -------------------------------------------------------------------------
LONG = "a_really_long_input_tensor_name_from_some_exporter_that_never_ends_" * 2


def long_name_model() -> onnx.ModelProto:
    """A long graph input feeding a custom op with a long type and a weight with a long name."""
    w = numpy_helper.from_array(np.zeros((1, 1, 3, 3), np.float32), "model.backbone.stage1.conv.weight_param")
    node = helper.make_node("VeryLongCustomOperatorTypeNameForTests", [LONG, w.name], ["y"], name="op",
                            domain="com.example")
    g = helper.make_graph([node], "long", [_vi(LONG, [1, 4])], [_vi("y", [1, 4])], [w])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.example", 1)])


def test_png_has_the_size_of_the_scene_at_scale_2(tmp_path):
    g = load_graph(namespaced_model(1))
    sc = GraphLayout.default(g).scene()
    res = render_png(g, sc, tmp_path / "g.png")
    expected = (int((sc.width + 2 * MARGIN) * 2), int((sc.height + 2 * MARGIN) * 2))
    assert (res.width, res.height) == expected and res.scale == 2 and res.note == ""
    with Image.open(tmp_path / "g.png") as im:
        assert im.size == expected
    one = render_png(g, sc, tmp_path / "g1.png", scale=1)
    assert abs(one.width * 2 - expected[0]) <= 1


def test_a_huge_picture_is_scaled_down_and_says_so(tmp_path):
    g = load_graph(namespaced_model(3))
    lay = GraphLayout(g)
    lay.expand_all()
    res = render_png(g, lay.scene(), tmp_path / "g.png", max_side=300)
    assert max(res.width, res.height) <= 300 and res.scale < 2
    assert "scaled down" in res.note and "too small for text" in res.note  # and boxes only
    assert export_scene(g, GraphLayout.default(g).scene(), tmp_path / "small.png") == ""


def test_long_names_are_fitted_to_their_box(tmp_path):
    g = load_graph(long_name_model())
    sc = GraphLayout.default(g).scene()
    fit = TextFitter(2.0, pixels=True)
    for node in ("op", LONG):
        b = int(sc.node_box[g.find_node(node)])
        avail = (sc.x1[b] - sc.x0[b] - 2 * TEXT_PAD) * 2
        for t in box_texts(g, sc, b):
            text, px = fit(t)
            assert text and text_font(px, t.bold).getlength(text) <= avail
            assert px >= round(t.size * 2 * MIN_TEXT)
    op = int(sc.node_box[g.find_node("op")])
    title, row = (fit(t)[0] for t in box_texts(g, sc, op))
    assert "…" in title and title.startswith("Very") and title.endswith("Tests")  # elided in the middle
    assert row.endswith("⟨1×1×3×3⟩")  # the weight's name gives way to its shape
    # and in the picture no dark title pixel of the input spills out of its (light) box
    render_png(g, sc, tmp_path / "g.png")
    b = int(sc.node_box[g.find_node(LONG)])
    x0, x1 = (int((v + MARGIN) * 2) for v in (sc.x0[b], sc.x1[b]))
    y0, y1 = (int((v + MARGIN) * 2) for v in (sc.y0[b], sc.y1[b]))
    with Image.open(tmp_path / "g.png") as im:
        band = np.asarray(im.convert("L"))[y0:y1]
    dark = band < 90
    assert dark[:, x0 + 2: x1 - 2].any()  # the title is drawn...
    assert not dark[:, : x0 - 1].any() and not dark[:, x1 + 2:].any()  # ...inside the box


def test_fit_text_shrinks_before_eliding_and_keeps_the_shape():
    def measure(text, size):
        return len(text) * size * 0.5

    assert fit_text("abcdefgh", 40, 10, 8, measure, 0.1) == ("abcdefgh", 10)
    text, size = fit_text("abcdefgh", 36, 10, 8, measure, 0.1)
    assert text == "abcdefgh" and 8 <= size <= 9
    text, size = fit_text("weight_name ⟨1×3⟩", 40, 10, 8, measure, 0.1, keep=6)
    assert size == 8 and text.endswith(" ⟨1×3⟩") and "…" in text and measure(text, 8) <= 40


def test_svg_parses_with_a_node_element_per_node_and_a_title_per_group(tmp_path):
    g = load_graph(namespaced_model(2))
    lay = GraphLayout(g)
    lay.expand_all()
    sc = lay.scene()
    root = ET.fromstring(scene_svg(g, sc))
    assert len(_nodes(root)) == g.n_nodes
    frames = {e.get("data-name"): "".join(e.itertext()) for e in root.iter(f"{SVG}g") if e.get("class") == "frame"}
    groups = [int(r) for r in sc.ref[sc.kind == BOX_FRAME]]
    assert len(frames) == len(groups) > 0
    for grp in groups:
        assert frames[g.group_path[grp]] == f"{g.group_label[grp]} · {int(g.group_size[grp])} nodes"
    edges = [p for p in root.iter(f"{SVG}path") if p.get("class") == "edge"]
    assert edges and all(p.get("marker-end") == "url(#arrow)" for p in edges)
    collapsed = ET.fromstring(scene_svg(g, GraphLayout(g).scene()))
    titles = {e.get("data-name"): [t.text for t in e.iter(f"{SVG}text")] for e in collapsed.iter(f"{SVG}g")
              if e.get("class") == "group"}
    assert titles == {"encoder": ["encoder", "10 nodes"]}


def test_png_and_svg_show_the_same_texts():
    g = load_graph(long_name_model())
    sc = GraphLayout.default(g).scene()
    svg_texts = [t.text for t in ET.fromstring(scene_svg(g, sc)).iter(f"{SVG}text")]
    fit = TextFitter(2.0, pixels=True)
    specs = [t for b in range(sc.n_boxes) for t in box_texts(g, sc, b)]
    specs += edge_labels(g, sc, range(len(sc.edge_src)))
    assert len(svg_texts) == len(specs)
    assert sorted(fit(t)[0] for t in specs if "…" not in fit(t)[0]) == sorted(t for t in svg_texts if "…" not in t)
