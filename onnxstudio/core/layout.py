"""Layered top-to-bottom layout (numpy) of a Graph whose namespace groups expand and collapse in place.

Each expanded group is laid out on its own ("level", :mod:`onnxstudio.core.layout_levels`): its direct nodes
and child groups are the items, edges are lifted to the level of their endpoints' lowest common group. A
level's layering and ordering depend on structure only and are cached, so expanding a group lays out that
group and recomputes coordinates of its ancestors only: the rest of the picture keeps its layers and order
and merely moves aside. This module assembles the levels into one Scene of boxes and edge polylines. Qt-free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from onnxstudio.core.graph import KIND_INPUT, Graph
from onnxstudio.core.layout_levels import (  # noqa: F401  (re-exported: the layout's public names)
    BOX_FRAME,
    BOX_GROUP,
    BOX_INPUT,
    BOX_OP,
    BOX_OUTPUT,
    CHAR_W,
    DUMMY_SEP,
    DUMMY_W,
    GROUP_H,
    HEADER,
    HSEP,
    INIT_ROW,
    IO_H,
    NODE_H,
    PAD,
    VSEP,
    LevelCoords,
    LevelStructure,
    assign_coords,
    assign_coords_many,
    build_structure,
    build_structures,
    group_box_size,
    group_widths,
    level_crossings,
    node_sizes,
    rank,
)
from onnxstudio.core.lazyread import LazySequence


# ---- the whole graph: levels, expansion state, scene -----------------------------------------------
@dataclass(frozen=True)
class Scene:
    """Everything the painter and the exporters draw, in scene units; boxes of frames come first."""

    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    kind: np.ndarray  # BOX_*
    ref: np.ndarray  # node index, or group id for BOX_GROUP/BOX_FRAME
    node_box: np.ndarray  # box index showing each node (itself or its collapsed group)
    edge_src: np.ndarray  # box indices
    edge_dst: np.ndarray
    edge_value: Sequence[str]  # tensor name for the label ("" when several tensors share the edge)
    pt_off: np.ndarray  # edge k is the polyline pts[pt_off[k]:pt_off[k + 1]]
    pts: np.ndarray  # (P, 2)
    width: float
    height: float

    @property
    def n_boxes(self) -> int:
        return len(self.kind)

    def segments(self) -> np.ndarray:
        """(S, 4) x1 y1 x2 y2 of every polyline segment, for bulk line drawing."""
        if len(self.pts) < 2:
            return np.zeros((0, 4))
        starts = np.ones(len(self.pts) - 1, bool)
        starts[self.pt_off[1:-1] - 1] = False  # the step from one polyline to the next is not a segment
        return np.hstack([self.pts[:-1], self.pts[1:]])[starts]

    def segment_edge(self) -> np.ndarray:
        lens = np.diff(self.pt_off) - 1
        return np.repeat(np.arange(len(lens)), np.maximum(lens, 0))


class EdgeValues(LazySequence[str]):
    """Each scene edge's tensor name, looked up when asked for: a list of 300k names per scene would be
    built for the few labels a frame shows, and every garbage collection would walk it (20 ms pauses)."""

    def __init__(self, names: list[str], vids: np.ndarray) -> None:
        self._names, self._vids = names, vids  # value id per edge, -1: several tensors share it

    def __len__(self) -> int:
        return len(self._vids)

    def _get(self, k: int) -> str:
        v = int(self._vids[k])
        return self._names[v] if v >= 0 else ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


def group_ancestors(graph: Graph) -> np.ndarray:
    """(groups, depth) table: row g lists g's ancestors from the root (column 0) down to g, then -1."""
    depth = graph.group_depth
    G = len(depth)
    anc = np.full((G, int(depth.max()) + 1 if G else 1), -1, np.int64)
    if G:
        anc[0, 0] = 0
    # parents come before children and have smaller depth: fill one depth at a time
    for d in range(1, anc.shape[1]):
        rows = np.flatnonzero(depth == d)
        anc[rows, :d] = anc[graph.group_parent[rows], :d]
        anc[rows, d] = rows
    return anc


def _segments(arr: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``arr[starts[k]:ends[k]]`` for every k, concatenated, and the k of each element."""
    lens = ends - starts
    k = np.repeat(np.arange(len(lens)), lens)
    off = np.cumsum(lens) - lens
    return arr[np.arange(int(lens.sum())) - off[k] + starts[k]], k


def _edge_lca(parent: np.ndarray, depth: np.ndarray, a: np.ndarray, b: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Lowest common group of groups ``a[k]`` and ``b[k]``, by lifting the deeper side one step at a time.

    Returns (lca, ca, cb, pinned_groups, pinned_edge): ``ca``/``cb`` is the child of the lca on each side (-1
    where that side is the lca itself); ``pinned_groups`` are the groups strictly below ``cb`` on ``b``'s
    path, fed from outside their level. Only edges between different groups are lifted, so the cost is that
    of the edges that cross groups times the depth they climb, never an (edges, depth) table.
    """
    lca = a.copy()
    ca = np.full(len(a), -1, np.int64)
    cb = np.full(len(a), -1, np.int64)
    pinned: list[np.ndarray] = []
    act = np.flatnonzero(a != b)
    xa, xb = a[act], b[act]
    pa = np.full(len(act), -1, np.int64)
    pb = np.full(len(act), -1, np.int64)
    while len(act):
        da, db = depth[xa], depth[xb]
        up_a, up_b = da >= db, db >= da
        pa = np.where(up_a, xa, pa)
        xa = np.where(up_a, parent[np.maximum(xa, 0)], xa)
        old_pb = pb[up_b]
        pinned.append(old_pb[old_pb >= 0])
        pb = np.where(up_b, xb, pb)
        xb = np.where(up_b, parent[np.maximum(xb, 0)], xb)
        done = xa == xb
        if done.any():
            k = act[done]
            lca[k], ca[k], cb[k] = xa[done], pa[done], pb[done]
            keep = ~done
            act, xa, xb, pa, pb = act[keep], xa[keep], xb[keep], pa[keep], pb[keep]
    pg = np.concatenate(pinned) if pinned else np.zeros(0, np.int64)
    return lca, ca, cb, pg, cb >= 0


class GraphLayout:
    """Layout of one Graph with an expansion state; ``scene()`` gives the boxes and edges to draw."""

    def __init__(self, graph: Graph, expanded: set[int] | None = None, *, flat: bool = False) -> None:
        """``flat`` ignores namespaces: one level holding every node (the benchmark's full layout)."""
        self.graph = graph
        n, G = graph.n_nodes, 1 if flat else len(graph.group_path)
        self.n, self.n_groups = n, G
        self.node_w, self.node_h = node_sizes(graph)
        self.group_w = group_widths(graph.group_label[:G])
        depth = graph.group_depth[:G]
        self.anc_g = np.zeros((1, 1), np.int64) if flat else group_ancestors(graph)
        self.node_group = np.zeros(n, np.int64) if flat else graph.node_group
        s, t = graph.edge_src, graph.edge_dst
        ng = self.node_group
        if flat:
            self.edge_lca = np.zeros(len(s), np.int64)
            self.edge_item_s, self.edge_item_t = s, t
            pinned_g = np.zeros(G, bool)
            fed = np.zeros(len(s), bool)
        else:
            lca, ca, cb, pg, fed = _edge_lca(graph.group_parent, depth, ng[s], ng[t])
            self.edge_lca = lca
            self.edge_item_s = np.where(ca >= 0, n + ca, s)
            self.edge_item_t = np.where(cb >= 0, n + cb, t)
            pinned_g = np.zeros(G, bool)
            pinned_g[pg] = True
        # Items fed from outside their level stay at the top of it, like graph inputs.
        pinned_n = graph.kinds == KIND_INPUT
        pinned_n[t[fed]] = True
        self.pinned = np.concatenate([pinned_n, pinned_g])
        self.edge_by_lca = np.argsort(self.edge_lca, kind="stable")
        self.lca_off = np.searchsorted(self.edge_lca[self.edge_by_lca], np.arange(G + 1))
        self.nodes_by_group = np.argsort(ng[: n], kind="stable")
        self.ng_off = np.searchsorted(ng[self.nodes_by_group], np.arange(G + 1))
        par = graph.group_parent[1:G]
        self.children_by_parent = 1 + np.argsort(par, kind="stable")  # children in id order per parent
        self.child_off = np.searchsorted(par[self.children_by_parent - 1], np.arange(G + 1))
        self.expanded = np.zeros(G, bool)
        self.expanded[0] = True
        for g in (expanded or ()):
            self.expanded[g] = True
        self._struct: dict[int, tuple[np.ndarray, np.ndarray, LevelStructure]] = {}
        self._coords: dict[int, LevelCoords] = {}
        self._scene: tuple[bytes, Scene] | None = None
        self._pos: np.ndarray | None = None  # scratch: item -> position in a batch
        self.level_w = np.zeros(G)  # width and height of each group's level (valid where coords are cached)
        self.level_h = np.zeros(G)
        gd = graph.group_depth[:G] if not flat else np.zeros(1, np.int64)
        self._by_depth = [np.flatnonzero(gd == d) for d in range(1, int(gd.max()) + 1)] if G > 1 else []
        self.edge_pair = np.full(len(s), -1, np.int64)  # level-edge index within its LCA level
        self._value_ids = graph.edge_vid

    def children(self, g: int) -> np.ndarray:
        """Child groups of ``g`` in id order."""
        return self.children_by_parent[self.child_off[g]: self.child_off[g + 1]]

    @staticmethod
    def ancestor_table(graph: Graph) -> np.ndarray:
        """(nodes, depth) table of each node's groups from the root down."""
        return group_ancestors(graph)[graph.node_group]

    @classmethod
    def default(cls, graph: Graph, threshold: int = 1500) -> GraphLayout:
        """Small graphs open fully expanded; large ones collapsed to their top groups."""
        lay = cls(graph)
        if graph.n_ops <= threshold:
            lay.expanded[:] = True
        return lay

    # ---- expansion state ----
    def _invalidate(self, g: int) -> None:
        for a in self.anc_g[g]:
            if a >= 0 and a != g:
                self._coords.pop(int(a), None)

    def set_expanded(self, g: int, value: bool) -> None:
        if g == 0 or bool(self.expanded[g]) == value:
            return
        self.expanded[g] = value
        self._invalidate(g)

    def toggle(self, g: int) -> None:
        self.set_expanded(g, not self.expanded[g])

    def expand_all(self) -> None:
        self.expanded[:] = True
        self._coords.clear()

    def collapse_all(self) -> None:
        self.expanded[:] = False
        self.expanded[0] = True
        self._coords.clear()

    def reveal(self, node: int) -> None:
        """Expand every group above ``node`` so it shows as itself."""
        for a in self.anc_g[self.node_group[node]]:
            if a > 0:
                self.set_expanded(int(a), True)

    # ---- levels ----
    def structure(self, g: int) -> tuple[np.ndarray, np.ndarray, LevelStructure]:
        """(items, item kinds is-group mask, structure) of group ``g``'s level, cached."""
        hit = self._struct.get(g)
        if hit is None:
            self.prepare_structures([g])
            hit = self._struct[g]
        return hit

    def prepare_structures(self, groups: list[int]) -> None:
        """Build the structures of many levels in one numpy pass (expanding all: thousands of small groups)."""
        gs = np.asarray([g for g in dict.fromkeys(groups) if g not in self._struct], np.int64)
        if not len(gs):
            return
        B, n = len(gs), self.n
        nodes, n_lv = _segments(self.nodes_by_group, self.ng_off[gs], self.ng_off[gs + 1])
        kids, k_lv = _segments(self.children_by_parent, self.child_off[gs], self.child_off[gs + 1])
        both_lv = np.concatenate([n_lv, k_lv])
        by_lv = np.argsort(both_lv, kind="stable")  # per level: its nodes, then its child groups
        items = np.concatenate([nodes, n + kids])[by_lv]
        level = both_lv[by_lv]
        N = len(items)
        if self._pos is None:
            self._pos = np.zeros(n + self.n_groups, np.int64)
        pos = self._pos
        pos[items] = np.arange(N)
        eidx, e_lv = _segments(self.edge_by_lca, self.lca_off[gs], self.lca_off[gs + 1])
        code = pos[self.edge_item_s[eidx]] * max(N, 1) + pos[self.edge_item_t[eidx]]
        uniq, inv = np.unique(code, return_inverse=True)
        u_off = np.searchsorted(level[uniq // max(N, 1)], np.arange(B + 1)) if len(uniq) else np.zeros(B + 1, np.int64)
        self.edge_pair[eidx] = inv.reshape(-1) - u_off[e_lv]
        sts = build_structures(N, uniq // max(N, 1), uniq % max(N, 1), self.pinned[items], items.astype(np.float64),
                               level, B)
        i_off = np.searchsorted(level, np.arange(B + 1)).tolist()
        for k, g in enumerate(gs.tolist()):
            it = items[i_off[k]: i_off[k + 1]]
            self._struct[g] = (it, it >= n, sts[k])

    def item_sizes(self, items: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        is_g = items >= self.n
        gi = items[is_g] - self.n
        exp = self.expanded[gi]
        for g in gi[exp].tolist():
            if g not in self._coords:
                self.coords(g)
        w = np.empty(len(items))
        h = np.empty(len(items))
        w[~is_g] = self.node_w[items[~is_g]]
        h[~is_g] = self.node_h[items[~is_g]]
        w[is_g] = np.where(exp, np.maximum(self.level_w[gi] + 2 * PAD, self.group_w[gi]), self.group_w[gi])
        h[is_g] = np.where(exp, self.level_h[gi] + HEADER + PAD, GROUP_H)
        return w, h

    def coords(self, g: int) -> LevelCoords:
        hit = self._coords.get(g)
        if hit is None:
            items, _, st = self.structure(g)
            w, h = self.item_sizes(items)
            hit = assign_coords(st, w, h)
            self._set_coords(g, hit)
        return hit

    def _set_coords(self, g: int, c: LevelCoords) -> None:
        self._coords[g] = c
        self.level_w[g], self.level_h[g] = c.width, c.height

    def shown_levels(self) -> np.ndarray:
        """Groups whose level is drawn: expanded, inside expanded groups (parents before children)."""
        shown = self.expanded.copy()
        par = self.graph.group_parent[: self.n_groups]
        for rows in self._by_depth:
            shown[rows] &= shown[par[rows]]
        return np.flatnonzero(shown)

    def prepare(self) -> None:
        """Structures and coordinates of every shown level, batched: all levels of one depth in one pass."""
        shown = self.shown_levels()
        self.prepare_structures(shown.tolist())
        todo = shown[[g not in self._coords for g in shown.tolist()]]
        if not len(todo):
            return
        depth = self.graph.group_depth[todo] if self.n_groups > 1 else np.zeros(len(todo), np.int64)
        for d in sorted(set(depth.tolist()), reverse=True):  # children before parents: their sizes are needed
            gs = todo[depth == d].tolist()
            if len(gs) == 1:
                self.coords(gs[0])
                continue
            sts, ws = [], []
            for g in gs:
                items, _, st = self._struct[g]
                sts.append(st)
                ws.append(items)
            all_items = np.concatenate(ws)
            w, h = self.item_sizes(all_items)
            cut = np.cumsum([len(x) for x in ws])[:-1]
            for g, c in zip(gs, assign_coords_many(sts, np.split(w, cut), np.split(h, cut)), strict=True):
                self._set_coords(g, c)

    # ---- scene ----
    def visible_item(self) -> np.ndarray:
        """For each node, the item showing it: itself, or n + its outermost collapsed group."""
        col = self.anc_g[self.node_group]
        hidden = (col > 0) & ~self.expanded[np.maximum(col, 0)]
        any_h = hidden.any(axis=1)
        j = hidden.argmax(axis=1)
        return np.where(any_h, self.n + col[np.arange(self.n), j], np.arange(self.n))

    def scene(self) -> Scene:
        key = self.expanded.tobytes()
        if self._scene is not None and self._scene[0] == key:
            return self._scene[1]
        sc = self._make_scene()
        self._scene = (key, sc)
        return sc

    def _make_scene(self) -> Scene:
        """Boxes of every shown level at once: levels in depth-first order, origins placed one depth at a time."""
        self.prepare()
        n, kinds = self.n, self.graph.kinds
        lv_order: list[int] = []  # depth-first, last expanded child first (frames of parents before children)
        stack = [0]
        exp_g = self.expanded
        while stack:
            g = stack.pop()
            lv_order.append(g)
            kids = self.children(g)
            if len(kids):
                stack.extend(kids[exp_g[kids]].tolist())
        hits = [self._struct[g] for g in lv_order]
        cs = [self._coords[g] for g in lv_order]
        ms = np.fromiter((len(h[0]) for h in hits), np.int64, len(hits))
        items = np.concatenate([h[0] for h in hits])
        cx = np.concatenate([c.x[:m] for c, m in zip(cs, ms.tolist(), strict=True)])
        cy = np.concatenate([c.y[:m] for c, m in zip(cs, ms.tolist(), strict=True)])
        lv = np.repeat(np.asarray(lv_order, np.int64), ms)  # the level (group) of each item
        w, h = self.item_sizes(items)
        is_g = items >= n
        exp = np.zeros(len(items), bool)
        exp[is_g] = exp_g[items[is_g] - n]
        ox, oy = np.zeros(self.n_groups), np.zeros(self.n_groups)
        x0, y0 = np.empty(len(items)), np.empty(len(items))
        depth = self.graph.group_depth[lv] if self.n_groups > 1 else np.zeros(len(items), np.int64)
        for d in np.unique(depth).tolist():  # parents first: a frame's origin comes from its box
            sel = np.flatnonzero(depth == d)
            x0[sel] = ox[lv[sel]] + cx[sel] - w[sel] / 2
            y0[sel] = oy[lv[sel]] + cy[sel]
            fr = sel[exp[sel]]
            cg = items[fr] - n
            ox[cg] = x0[fr] + (w[fr] - self.level_w[cg]) / 2
            oy[cg] = y0[fr] + HEADER
        kind = np.where(is_g, np.where(exp, BOX_FRAME, BOX_GROUP), kinds[np.minimum(items, n - 1)] if n else 0
                        ).astype(np.int8)
        ref = np.where(is_g, items - n, items)
        take = np.concatenate([np.flatnonzero(exp), np.flatnonzero(~exp)])
        x0, y0, x1, y1 = x0[take], y0[take], (x0 + w)[take], (y0 + h)[take]
        kind, ref, item = kind[take], ref[take], items[take]
        box_of_item = np.full(n + self.n_groups, -1, np.int64)
        box_of_item[item] = np.arange(len(item))
        rep = self.visible_item()
        node_box = box_of_item[rep]
        edges = self._scene_edges(rep, box_of_item, x0, y0, x1, y1, lv_order, ox, oy)
        width = float(x1.max()) if len(x1) else 0.0
        height = float(y1.max()) if len(y1) else 0.0
        return Scene(x0, y0, x1, y1, kind, ref, node_box, *edges, width, height)

    def _scene_edges(self, rep, box_of_item, x0, y0, x1, y1, lv_order, ox, oy):
        """Edge polylines of all levels in one pass (dummy chains of every level concatenated)."""
        s, t = self.graph.edge_src, self.graph.edge_dst
        rs, rt = rep[s], rep[t]
        keep = np.nonzero(rs != rt)[0]
        size = self.n + self.n_groups
        code = rs[keep] * size + rt[keep]
        _, first, inv = np.unique(code, return_index=True, return_inverse=True)
        inv = inv.reshape(-1)
        e = keep[first]
        vid = self._value_ids[keep]
        vmin = np.full(len(first), np.iinfo(np.int64).max)
        vmax = np.full(len(first), -1)
        np.minimum.at(vmin, inv, vid)
        np.maximum.at(vmax, inv, vid)
        bs, bt = box_of_item[rs[e]], box_of_item[rt[e]]
        lca = self.edge_lca[e]
        order = np.argsort(lca, kind="stable")
        e, bs, bt, lca, vmin, vmax = e[order], bs[order], bt[order], lca[order], vmin[order], vmax[order]
        # per shown level: its level-edge chains and its dummies' positions, concatenated with offsets
        sts = [self._struct[g][2] for g in lv_order]
        cs = [self._coords[g] for g in lv_order]
        pair_base = np.zeros(self.n_groups, np.int64)
        d_base = np.zeros(self.n_groups, np.int64)
        n_pairs = np.fromiter((len(st.chain_len) for st in sts), np.int64, len(sts))
        n_dum = np.fromiter((len(st.layer) - st.n for st in sts), np.int64, len(sts))
        lv_a = np.asarray(lv_order, np.int64)
        pair_base[lv_a] = np.concatenate([[0], np.cumsum(n_pairs)[:-1]])
        d_base[lv_a] = np.concatenate([[0], np.cumsum(n_dum)[:-1]])
        lv_n = np.zeros(self.n_groups, np.int64)
        lv_n[lv_a] = np.fromiter((st.n for st in sts), np.int64, len(sts))
        CL = np.concatenate([st.chain_len for st in sts])
        CF = np.concatenate([st.chain_first for st in sts])
        DX = np.concatenate([ox[g] + c.x[st.n:] for g, c, st in zip(lv_order, cs, sts, strict=True)])
        DY = np.concatenate([oy[g] + c.y[st.n:] for g, c, st in zip(lv_order, cs, sts, strict=True)])
        DH = np.concatenate([c.layer_h[st.n:] for c, st in zip(cs, sts, strict=True)])
        pair = pair_base[lca] + self.edge_pair[e]
        ln = CL[pair]
        # Edges of one source share its trunk: only the longest draws it, the others start where they
        # leave it (at their last dummy), so no trunk is repeated once per consumer. A source box belongs to
        # one level, so grouping by source groups by level too.
        rank_ = np.lexsort((-ln, bs))
        first_of = np.ones(len(rank_), bool)
        first_of[1:] = bs[rank_][1:] != bs[rank_][:-1]
        full = np.empty(len(rank_), bool)
        full[rank_] = first_of
        cut = (~full) & (ln > 1)
        skip = np.where(cut, ln - 1, 0)
        ln = ln - skip
        off = np.cumsum(ln) - ln
        local = np.repeat(CF[pair] + skip - lv_n[lca], ln) + np.arange(int(ln.sum())) - np.repeat(off, ln)
        d = np.repeat(d_base[lca], ln) + local
        npts = 2 * ln + 2
        start = np.cumsum(npts) - npts
        px = np.empty(int(npts.sum()))
        py = np.empty_like(px)
        px[start], py[start] = (x0[bs] + x1[bs]) / 2, y1[bs]
        cut_start = start[cut]
        px[start + npts - 1], py[start + npts - 1] = (x0[bt] + x1[bt]) / 2, y0[bt]
        mid = np.repeat(start + 1, 2 * ln) + np.arange(int(2 * ln.sum())) - np.repeat(np.cumsum(2 * ln) - 2 * ln,
                                                                                    2 * ln)
        px[mid] = np.repeat(DX[d], 2)
        py[mid] = np.repeat(DY[d], 2) + np.tile([0.0, 1.0], len(d)) * np.repeat(DH[d], 2)
        # a branch off a trunk starts on the trunk (its first dummy's top point), not at the source
        px[cut_start], py[cut_start] = px[cut_start + 1], py[cut_start + 1]
        pt_off = np.concatenate([[0], np.cumsum(npts)]).astype(np.int64)
        pts = np.column_stack([px, py])
        values = EdgeValues(self.graph.value_names, np.where(vmin == vmax, self._value_ids[e], -1))
        return bs, bt, values, pt_off, pts


def crossings(layout: GraphLayout) -> int:
    """Crossings summed over every expanded level of a layout."""
    return sum(level_crossings(layout.structure(g)[2], layout.coords(g))
               for g in np.nonzero(layout.expanded)[0].tolist())
