"""SVG and PNG export: the SVG parses and has one element per node; the PNG is a real image."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from onnxstudio.core.errors import StudioError
from onnxstudio.core.graph import load_graph
from onnxstudio.core.graph_export import export_scene, scene_svg
from onnxstudio.core.layout import GraphLayout
from tests.core.test_graph import if_model, namespaced_model

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
