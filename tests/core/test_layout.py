"""Layout invariants: edges point down, boxes never overlap, groups contain their nodes, in-place expansion."""

from __future__ import annotations

import numpy as np
import pytest

from onnxstudio.core.graph import load_graph
from onnxstudio.core.layout import (
    BOX_FRAME,
    BOX_GROUP,
    GraphLayout,
    Scene,
    assign_coords,
    build_structure,
    crossings,
    level_crossings,
)
from onnxstudio.core.layout_levels import dummy_budget
from tests.conftest import onnx_light_models
from tests.core.test_graph import if_model, namespaced_model


def _check_scene(scene: Scene) -> None:
    boxes = np.nonzero(scene.kind != BOX_FRAME)[0]
    # every edge goes from the bottom of its source down to the top of its target
    for k in range(len(scene.edge_src)):
        a, b = scene.edge_src[k], scene.edge_dst[k]
        assert scene.y1[a] < scene.y0[b], f"edge {k} points upward"
        pts = scene.pts[scene.pt_off[k]: scene.pt_off[k + 1]]
        assert np.all(np.diff(pts[:, 1]) >= 0), f"edge {k} goes back up"
    # no two boxes overlap (frames aside)
    x0, y0, x1, y1 = (a[boxes] for a in (scene.x0, scene.y0, scene.x1, scene.y1))
    ov = (x0[:, None] < x1[None, :]) & (x0[None, :] < x1[:, None]) & (y0[:, None] < y1[None, :]) & (
        y0[None, :] < y1[:, None])
    np.fill_diagonal(ov, False)
    assert not ov.any(), "overlapping boxes"


def _segments_avoid_boxes(scene: Scene) -> None:
    """Edge segments never pass through a box other than their own ends."""
    seg, owner = scene.segments(), scene.segment_edge()
    boxes = np.nonzero(scene.kind < BOX_FRAME)[0]
    for (xa, ya, xb, yb), k in zip(seg, owner, strict=False):
        ends = {scene.edge_src[k], scene.edge_dst[k]}
        for t in np.linspace(0.1, 0.9, 5):
            x, y = xa + (xb - xa) * t, ya + (yb - ya) * t
            inside = boxes[(scene.x0[boxes] < x) & (x < scene.x1[boxes]) & (scene.y0[boxes] < y) & (y < scene.y1[boxes])]
            assert set(inside.tolist()) <= ends, f"edge {k} runs through box {inside}"


def test_expanded_layout_points_down_and_never_overlaps():
    g = load_graph(namespaced_model(4))
    lay = GraphLayout(g)
    lay.expand_all()
    scene = lay.scene()
    assert (scene.kind < BOX_GROUP).sum() == g.n_nodes
    _check_scene(scene)


def test_edges_do_not_run_through_nodes_within_a_level():
    # Without namespaces every edge is routed through dummy nodes of one level. (Edges that enter an
    # expanded group still cut straight to their target inside it.)
    model = namespaced_model(4)
    for node in model.graph.node:
        node.name = ""
    g = load_graph(model)
    scene = GraphLayout.default(g).scene()
    _check_scene(scene)
    _segments_avoid_boxes(scene)


def test_groups_contain_their_nodes():
    g = load_graph(namespaced_model(3))
    lay = GraphLayout(g)
    lay.expand_all()
    s = lay.scene()
    anc = GraphLayout.ancestor_table(g)
    for b in np.nonzero(s.kind == BOX_FRAME)[0]:
        grp = s.ref[b]
        members = np.nonzero((anc == grp).any(axis=1))[0]
        assert len(members) == g.group_size[grp]
        mb = s.node_box[members]
        assert np.all(s.x0[mb] >= s.x0[b]) and np.all(s.x1[mb] <= s.x1[b])
        assert np.all(s.y0[mb] >= s.y0[b]) and np.all(s.y1[mb] <= s.y1[b])


def test_collapsed_groups_hide_members_and_expand_in_place():
    g = load_graph(namespaced_model(4))
    lay = GraphLayout(g)  # only the root expanded
    s = lay.scene()
    groups = np.nonzero(s.kind == BOX_GROUP)[0]
    assert len(groups) == 1 and g.group_path[s.ref[groups[0]]] == "encoder"
    _check_scene(s)
    enc = int(s.ref[groups[0]])
    lay.set_expanded(enc, True)
    s2 = lay.scene()
    _check_scene(s2)
    # the other items keep their vertical order; x, y of the input above the group does not move
    inp = g.find_node("x")
    assert s.y0[s.node_box[inp]] == s2.y0[s2.node_box[inp]]
    layers = [g.group_path.index(f"encoder/layer.{i}") for i in range(4)]
    ys = [s2.y0[np.nonzero((s2.ref == L) & (s2.kind >= BOX_GROUP))[0][0]] for L in layers]
    assert ys == sorted(ys)  # layer.0 above layer.1 above ...
    lay.set_expanded(enc, False)
    s3 = lay.scene()
    np.testing.assert_allclose(s3.x0, s.x0)
    np.testing.assert_allclose(s3.y0, s.y0)


def test_reveal_expands_the_groups_around_a_node():
    g = load_graph(namespaced_model(3))
    lay = GraphLayout(g)
    node = g.find_node("/encoder/layer.2/mlp/Neg")
    assert lay.scene().kind[lay.scene().node_box[node]] == BOX_GROUP
    lay.reveal(node)
    s = lay.scene()
    assert s.kind[s.node_box[node]] < BOX_GROUP and s.ref[s.node_box[node]] == node


def test_subgraph_layout():
    g = load_graph(if_model())
    sub = g.open_subgraph(g.find_node("branch"), 1)
    s = GraphLayout.default(sub).scene()
    assert (s.kind < BOX_GROUP).sum() == sub.n_nodes
    _check_scene(s)


def test_chain_is_straight_and_crossings_are_reduced():
    # a ladder whose initial order crosses: a0->b1, a1->b0 ... the ordering must uncross it
    n = 40
    src = np.concatenate([np.arange(n), np.arange(n, 2 * n - 1)])
    dst = np.concatenate([n + (np.arange(n) * 7) % n, np.arange(n + 1, 2 * n)])
    st = build_structure(2 * n, src, dst, np.zeros(2 * n, bool))
    c = assign_coords(st, np.full(2 * n, 80.0), np.full(2 * n, 30.0))
    assert level_crossings(st, c) < 10
    # a plain chain lines up on one vertical
    chain = build_structure(5, np.arange(4), np.arange(1, 5), np.zeros(5, bool))
    cc = assign_coords(chain, np.full(5, 80.0), np.full(5, 30.0))
    assert np.ptp(cc.x) == 0 and np.all(np.diff(cc.y) > 0)


def test_long_edges_share_one_dummy_chain_per_source():
    # source 0 feeds nodes at layers 3 and 5 through one trunk: 4 dummies, not 2 + 4
    src = np.array([0, 0, 0, 1, 2, 3, 4])
    dst = np.array([1, 3, 5, 2, 3, 4, 5])
    pinned = np.array([True] + [False] * 5)
    st = build_structure(6, src, dst, pinned)
    assert len(st.layer) - st.n == 4
    k3, k5 = 1, 2  # level edges are sorted (src, dst): 0->1, 0->3, 0->5, ...
    trunk3 = st.chain(k3)
    trunk5 = st.chain(k5)
    assert list(trunk3) == list(trunk5[:2])


@pytest.mark.slow
@pytest.mark.parametrize("path", onnx_light_models()[:3], ids=lambda p: p.stem)
def test_real_models(path):
    import onnx

    g = load_graph(onnx.load(path, load_external_data=False))
    lay = GraphLayout.default(g)
    s = lay.scene()
    assert (s.kind < BOX_GROUP).sum() == g.n_nodes
    for k in range(len(s.edge_src)):
        assert s.y1[s.edge_src[k]] < s.y0[s.edge_dst[k]]
    assert crossings(lay) >= 0


def test_crossing_count_matches_brute_force():
    from onnxstudio.core.layout_levels import LevelCoords, LevelStructure, _inversions

    rng = np.random.default_rng(1)
    v = rng.integers(0, 20, 300)
    brute = sum(int(v[i] > v[j]) for i in range(len(v)) for j in range(i + 1, len(v)))
    assert _inversions(v) == brute
    # two layers of random edges: the O(n log n) count equals the pairwise definition
    n = 60
    src, dst = rng.integers(0, 30, 200), rng.integers(30, 60, 200)
    layer = np.repeat([0, 1], 30)
    st = LevelStructure(n, layer, np.arange(n), src, dst, np.ones(200), np.zeros(200, np.int64),
                        np.zeros(200, np.int64))
    x = rng.integers(0, 15, n).astype(float)
    c = LevelCoords(x, layer * 50.0, np.full(n, 30.0), 100.0, 100.0)
    xs, xd = x[src], x[dst]
    brute = int(np.sum(np.triu((xs[:, None] < xs[None, :]) & (xd[:, None] > xd[None, :]), 1)
                       | np.triu((xs[:, None] > xs[None, :]) & (xd[:, None] < xd[None, :]), 1)))
    assert level_crossings(st, c) == brute


def test_fan_out_over_a_long_chain_stays_linear():
    # one source feeding every node of a 3,000-node chain: one shared trunk, not a chain per edge
    n = 3001
    src = np.concatenate([np.arange(1, n - 1), np.zeros(n - 2, np.int64)])
    dst = np.concatenate([np.arange(2, n), np.arange(2, n)])
    pinned = np.zeros(n, bool)
    pinned[[0, 1]] = True
    st = build_structure(n, src, dst, pinned)
    assert len(st.layer) - n < n  # dummies: one trunk
    assert int(st.chain_len.sum()) > n  # what per-edge chains would have cost (~n^2 / 2 ids)
    k = int(np.argmax(st.chain_len))
    chain = st.chain(k)
    assert np.all(np.diff(st.layer[chain]) == 1)


def test_many_inputs_over_a_deep_graph_sink_next_to_their_consumers():
    # 3,000 inputs, input k feeding node k of a 3,000-node chain (weights passed as inputs, or names that no
    # node produces): on the top row they would need ~4.5 million dummies; they go next to their consumer
    n_chain = 3000
    n = 2 * n_chain
    chain = np.arange(n_chain)
    src = np.concatenate([chain[:-1], n_chain + chain])
    dst = np.concatenate([chain[1:], chain])
    pinned = np.zeros(n, bool)
    pinned[n_chain:] = True
    pinned[0] = True
    st = build_structure(n, src, dst, pinned)
    assert len(st.layer) - n <= dummy_budget(n)
    assert np.all(st.layer[src] < st.layer[dst])
    assert np.all(st.layer[n_chain + chain] == st.layer[chain] - 1)
    # a few inputs stay on the top row, with their chains
    few = np.zeros(n_chain + 3, bool)
    few[n_chain:] = few[0] = True
    s3 = np.concatenate([chain[:-1], n_chain + np.arange(3)])
    d3 = np.concatenate([chain[1:], [10, 1000, 2999]])
    st3 = build_structure(n_chain + 3, s3, d3, few)
    assert np.all(st3.layer[n_chain:n_chain + 3] == 0)


def test_a_model_with_thousands_of_names_no_node_produces_lays_out():
    # every Conv reads a weight that is neither an initializer nor produced (an initializer-less copy):
    # each such name becomes an input box next to its Conv (before: a 43 GiB allocation at 100k nodes)
    from benchmarks.make_graph_models import convnet

    model = convnet(1500)
    n_init = len(model.graph.initializer)
    del model.graph.initializer[:]
    g = load_graph(model)
    lay = GraphLayout(g, flat=True)
    scene = lay.scene()
    assert (g.kinds == 1).sum() >= n_init
    assert len(lay.structure(0)[2].layer) - g.n_nodes <= dummy_budget(g.n_nodes)
    _check_scene(scene)


def _bench_convnet(n: int):
    from benchmarks.make_graph_models import convnet

    return load_graph(convnet(n))


def test_batched_levels_equal_levels_laid_out_one_by_one():
    # expand_all lays out all levels of one depth in one numpy pass; expanding group by group (each level on
    # its own, deepest last) must give the same structures and the same picture
    g = _bench_convnet(400)
    batch = GraphLayout(g)
    batch.expand_all()
    sb = batch.scene()
    single = GraphLayout(g)
    for grp in range(1, len(g.group_path)):
        single.set_expanded(grp, True)
        single.structure(grp)
        single.coords(grp)
    ss = single.scene()
    assert len(g.group_path) > 50
    for grp in range(len(g.group_path)):
        a, b = batch.structure(grp)[2], single.structure(grp)[2]
        for field in ("layer", "order", "e_src", "e_dst", "e_w", "chain_first", "chain_len"):
            np.testing.assert_array_equal(getattr(a, field), getattr(b, field), err_msg=field)
    for field in ("x0", "y0", "x1", "y1", "pts"):
        np.testing.assert_allclose(getattr(sb, field), getattr(ss, field), atol=1e-6, err_msg=field)
    for field in ("kind", "ref", "node_box", "edge_src", "edge_dst", "pt_off"):
        np.testing.assert_array_equal(getattr(sb, field), getattr(ss, field), err_msg=field)
    assert sb.edge_value == ss.edge_value
    _check_scene(sb)


def test_edge_lca_matches_the_ancestor_table():
    g = _bench_convnet(300)
    lay = GraphLayout(g)
    anc = GraphLayout.ancestor_table(g)
    for k in range(len(g.edge_src)):
        a, b = anc[g.edge_src[k]], anc[g.edge_dst[k]]
        common = int(np.cumprod((a == b) & (a >= 0)).sum())
        assert lay.edge_lca[k] == a[common - 1]
        # the item an edge starts from in its level: the node itself or its group just below the lca
        src_item = g.edge_src[k] if common > g.group_depth[g.node_group[g.edge_src[k]]] else lay.n + a[common]
        assert lay.edge_item_s[k] == src_item


def test_empty_and_single_node_graphs_lay_out():
    from onnx import helper

    empty = GraphLayout.default(load_graph(helper.make_model(helper.make_graph([], "e", [], [])))).scene()
    assert empty.n_boxes == 0 and len(empty.edge_src) == 0 and empty.width == 0.0
    vi = [helper.make_tensor_value_info(n, 1, [1]) for n in ("x", "y")]
    one = load_graph(helper.make_model(helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "o", vi[:1],
                                                         vi[1:])))
    s = GraphLayout.default(one).scene()
    assert s.n_boxes == 3 and len(s.edge_src) == 2
    _check_scene(s)
