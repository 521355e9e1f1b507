"""Layered top-to-bottom layout (numpy) of a Graph whose namespace groups expand and collapse in place.

Each expanded group is laid out on its own ("level", :mod:`onnxstudio.core.layout_levels`): its direct nodes
and child groups are the items, edges are lifted to the level of their endpoints' lowest common group. A
level's layering and ordering depend on structure only and are cached, so expanding a group lays out that
group and recomputes coordinates of its ancestors only: the rest of the picture keeps its layers and order
and merely moves aside. This module assembles the levels into one Scene of boxes and edge polylines. Qt-free.
"""

from __future__ import annotations

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
    build_structure,
    group_box_size,
    group_widths,
    level_crossings,
    node_sizes,
    rank,
)


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
    edge_value: list[str]  # tensor name for the label ("" when several tensors share the edge)
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


def group_ancestors(graph: Graph) -> np.ndarray:
    """(groups, depth) table: row g lists g's ancestors from the root (column 0) down to g, then -1."""
    depth = graph.group_depth
    G = len(depth)
    anc = np.full((G, int(depth.max()) + 1 if G else 1), -1, np.int64)
    for g in range(G):
        if g:
            anc[g, : depth[g]] = anc[graph.group_parent[g], : depth[g]]
        anc[g, depth[g]] = g
    return anc


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
        self.anc_g = anc_g = np.zeros((1, 1), np.int64) if flat else group_ancestors(graph)
        self.node_group = np.zeros(n, np.int64) if flat else graph.node_group
        D = anc_g.shape[1]
        s, t = graph.edge_src, graph.edge_dst
        ng = self.node_group
        A, B = anc_g[ng[s]], anc_g[ng[t]]
        k = np.cumprod((A == B) & (A >= 0), axis=1).sum(axis=1)  # common depth count, >= 1 (root)
        rows = np.arange(len(s))
        self.edge_lca = A[rows, k - 1] if len(s) else np.zeros(0, np.int64)
        gs, gt = depth[ng[s]], depth[ng[t]]
        kc = np.minimum(k, D - 1)
        self.edge_item_s = np.where(k <= gs, n + A[rows, kc], s)
        self.edge_item_t = np.where(k <= gt, n + B[rows, kc], t)
        # Items fed from outside their level stay at the top of it, like graph inputs.
        pinned = graph.kinds == KIND_INPUT
        pinned_n = pinned.copy()
        pinned_n[t[k <= gt]] = True
        pinned_g = np.zeros(G, bool)
        cols = np.arange(D)
        mask = (cols[None, :] > k[:, None]) & (cols[None, :] <= gt[:, None])
        pinned_g[B[mask]] = True
        self.pinned = np.concatenate([pinned_n, pinned_g])
        self.edge_by_lca = np.argsort(self.edge_lca, kind="stable")
        self.lca_off = np.searchsorted(self.edge_lca[self.edge_by_lca], np.arange(G + 1))
        self.nodes_by_group = np.argsort(ng[: n], kind="stable")
        self.ng_off = np.searchsorted(ng[self.nodes_by_group], np.arange(G + 1))
        self.children_g = [[] for _ in range(G)]
        for g in range(1, G):
            self.children_g[graph.group_parent[g]].append(g)
        self.expanded = np.zeros(G, bool)
        self.expanded[0] = True
        for g in (expanded or ()):
            self.expanded[g] = True
        self._struct: dict[int, tuple[np.ndarray, np.ndarray, LevelStructure]] = {}
        self._coords: dict[int, LevelCoords] = {}
        self._scene: tuple[bytes, Scene] | None = None
        self.edge_pair = np.full(len(s), -1, np.int64)  # level-edge index within its LCA level
        self._value_ids = graph.edge_vid

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
        if hit is not None:
            return hit
        nodes = self.nodes_by_group[self.ng_off[g]: self.ng_off[g + 1]]
        items = np.concatenate([nodes, self.n + np.asarray(self.children_g[g], np.int64)])
        local = {int(v): i for i, v in enumerate(items.tolist())}
        eidx = self.edge_by_lca[self.lca_off[g]: self.lca_off[g + 1]]
        ls = np.fromiter((local[v] for v in self.edge_item_s[eidx].tolist()), np.int64, len(eidx))
        lt = np.fromiter((local[v] for v in self.edge_item_t[eidx].tolist()), np.int64, len(eidx))
        code = ls * max(len(items), 1) + lt
        uniq, inv = np.unique(code, return_inverse=True)
        self.edge_pair[eidx] = inv
        m = len(items)
        st = build_structure(m, uniq // max(m, 1), uniq % max(m, 1), self.pinned[items],
                             init_key=items.astype(np.float64))
        hit = (items, items >= self.n, st)
        self._struct[g] = hit
        return hit

    def item_sizes(self, items: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        is_g = items >= self.n
        w = np.empty(len(items))
        h = np.empty(len(items))
        w[~is_g] = self.node_w[items[~is_g]]
        h[~is_g] = self.node_h[items[~is_g]]
        for i in np.nonzero(is_g)[0].tolist():
            g = int(items[i]) - self.n
            if self.expanded[g]:
                c = self.coords(g)
                w[i] = max(c.width + 2 * PAD, self.group_w[g])
                h[i] = c.height + HEADER + PAD
            else:
                w[i], h[i] = self.group_w[g], GROUP_H
        return w, h

    def coords(self, g: int) -> LevelCoords:
        hit = self._coords.get(g)
        if hit is None:
            items, _, st = self.structure(g)
            w, h = self.item_sizes(items)
            hit = assign_coords(st, w, h)
            self._coords[g] = hit
        return hit

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
        n, kinds = self.n, self.graph.kinds
        frames: list[tuple[np.ndarray, ...]] = []
        parts: list[tuple[np.ndarray, ...]] = []
        origin = {0: (0.0, 0.0)}
        dummies: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        stack = [0]
        while stack:
            g = stack.pop()
            items, is_g, st = self.structure(g)
            c = self.coords(g)
            ox, oy = origin[g]
            m = st.n
            w, h = self.item_sizes(items)
            x0, y0 = ox + c.x[:m] - w / 2, oy + c.y[:m]
            exp = np.zeros(m, bool)
            exp[is_g] = self.expanded[items[is_g] - n]
            for i in np.nonzero(exp)[0].tolist():
                cg = int(items[i]) - n
                inner = self.coords(cg).width
                origin[cg] = (float(x0[i] + (w[i] - inner) / 2), float(y0[i] + HEADER))
                stack.append(cg)
            kind = np.where(is_g, np.where(exp, BOX_FRAME, BOX_GROUP),
                            kinds[np.minimum(items, n - 1)] if n else 0).astype(np.int8)
            ref = np.where(is_g, items - n, items)
            box = (x0, y0, x0 + w, y0 + h, kind, ref, items)
            frames.append(tuple(a[exp] for a in box))
            parts.append(tuple(a[~exp] for a in box))
            dummies[g] = (ox + c.x[m:], oy + c.y[m:], c.layer_h[m:])
        x0, y0, x1, y1, kind, ref, item = (np.concatenate(a) for a in zip(*frames, *parts, strict=False))
        box_of_item = np.full(n + self.n_groups, -1, np.int64)
        box_of_item[item] = np.arange(len(item))
        rep = self.visible_item()
        node_box = box_of_item[rep]
        edges = self._scene_edges(rep, box_of_item, x0, y0, x1, y1, dummies)
        width = float(x1.max()) if len(x1) else 0.0
        height = float(y1.max()) if len(y1) else 0.0
        return Scene(x0, y0, x1, y1, kind, ref, node_box, *edges, width, height)

    def _scene_edges(self, rep, box_of_item, x0, y0, x1, y1, dummies):
        s, t = self.graph.edge_src, self.graph.edge_dst
        rs, rt = rep[s], rep[t]
        keep = np.nonzero(rs != rt)[0]
        size = self.n + self.n_groups
        code = rs[keep] * size + rt[keep]
        _, first, inv = np.unique(code, return_index=True, return_inverse=True)
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
        pts_x, pts_y, counts = [], [], []
        bounds = np.searchsorted(lca, np.unique(lca))
        for lo, hi in zip(bounds.tolist(), [*bounds[1:].tolist(), len(lca)], strict=False):
            g = int(lca[lo])
            st = self.structure(g)[2]
            dx, dy, dh = dummies[g]
            pair = self.edge_pair[e[lo:hi]]
            ln = st.chain_len[pair]
            # Edges of one source share its trunk: only the longest draws it, the others start where they
            # leave it (at their last dummy), so no trunk is repeated once per consumer.
            a_src = bs[lo:hi]
            rank_ = np.lexsort((-ln, a_src))
            first_of = np.ones(len(rank_), bool)
            first_of[1:] = a_src[rank_][1:] != a_src[rank_][:-1]
            full = np.empty(len(rank_), bool)
            full[rank_] = first_of
            cut = (~full) & (ln > 1)
            skip = np.where(cut, ln - 1, 0)
            ln = ln - skip
            off = np.concatenate([[0], np.cumsum(ln)[:-1]]).astype(np.int64)
            ids = np.repeat(st.chain_first[pair] + skip, ln) + np.arange(int(ln.sum())) - np.repeat(off, ln)
            d = ids - st.n
            npts = 2 * ln + 2
            start = np.concatenate([[0], np.cumsum(npts)[:-1]])
            px = np.empty(int(npts.sum()))
            py = np.empty_like(px)
            a, b = bs[lo:hi], bt[lo:hi]
            px[start], py[start] = (x0[a] + x1[a]) / 2, y1[a]
            cut_start = start[cut]
            px[start + npts - 1], py[start + npts - 1] = (x0[b] + x1[b]) / 2, y0[b]
            mid = np.repeat(start + 1, 2 * ln) + np.arange(int(2 * ln.sum())) - np.repeat(
                np.concatenate([[0], np.cumsum(2 * ln)[:-1]]), 2 * ln)
            px[mid] = np.repeat(dx[d], 2)
            py[mid] = np.repeat(dy[d], 2) + np.tile([0.0, 1.0], len(d)) * np.repeat(dh[d], 2)
            # a branch off a trunk starts on the trunk (its first dummy's top point), not at the source
            px[cut_start], py[cut_start] = px[cut_start + 1], py[cut_start + 1]
            pts_x.append(px)
            pts_y.append(py)
            counts.append(npts)
        cnt = np.concatenate(counts) if counts else np.zeros(0, np.int64)
        pt_off = np.concatenate([[0], np.cumsum(cnt)]).astype(np.int64)
        pts = np.column_stack([np.concatenate(pts_x), np.concatenate(pts_y)]) if counts else np.zeros((0, 2))
        names = self.graph.edge_value
        values = [names[i] if lo_ == hi_ else "" for i, lo_, hi_ in zip(e.tolist(), vmin.tolist(), vmax.tolist(), strict=False)]
        return bs, bt, values, pt_off, pts


def crossings(layout: GraphLayout) -> int:
    """Crossings summed over every expanded level of a layout."""
    return sum(level_crossings(layout.structure(g)[2], layout.coords(g))
               for g in np.nonzero(layout.expanded)[0].tolist())
