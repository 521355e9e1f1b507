"""Layered top-to-bottom layout (numpy) of a Graph whose namespace groups expand and collapse in place.

Each expanded group is laid out on its own ("level"): its direct nodes and child groups are the items, edges
are lifted to the level of their endpoints' lowest common group. A level's layering and ordering depend on
structure only and are cached, so expanding a group recomputes coordinates of its ancestors only: the rest of
the picture keeps its layers and order and merely moves aside. Within a level: longest-path layering (nodes
fed only by constants sink next to their consumer), long edges routed through one dummy chain per source
(fan-out edges share a trunk), barycenter ordering run on all layers at once, and coordinates that pull each
node over its neighbours and then pack each layer without overlaps. Qt-free.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from onnxstudio.core.graph import KIND_INPUT, Graph

CHAR_W = 6.6  # scene units per character of the 11 px label font
NODE_H, INIT_ROW, IO_H, GROUP_H = 30.0, 13.0, 26.0, 46.0
HSEP, DUMMY_W, DUMMY_SEP, VSEP = 26.0, 4.0, 10.0, 46.0
PAD, HEADER = 16.0, 28.0
BOX_OP, BOX_INPUT, BOX_OUTPUT, BOX_GROUP, BOX_FRAME = 0, 1, 2, 3, 4
_BIG = 1e9


def node_sizes(graph: Graph) -> tuple[np.ndarray, np.ndarray]:
    """Width and height of each node box: op label width, plus one row per initializer (up to 3)."""
    lens = np.fromiter((len(s) for s in graph.ops), np.float64, graph.n_nodes)
    w = np.clip(lens * CHAR_W + 30.0, 64.0, 220.0)
    h = NODE_H + INIT_ROW * np.minimum(graph.n_init, 3).astype(np.float64)
    io = graph.kinds != 0
    if io.any():
        nl = np.fromiter((min(len(s), 28) for s in graph.names), np.float64, graph.n_nodes)
        w[io] = np.clip(nl[io] * CHAR_W + 26.0, 64.0, 220.0)
        h[io] = IO_H
    return w, h


def group_box_size(label: str) -> tuple[float, float]:
    return float(np.clip(len(label) * CHAR_W + 44.0, 120.0, 280.0)), GROUP_H


# ---- one level: structure ---------------------------------------------------------------------------
@dataclass
class LevelStructure:
    """Layers and order of a level's items plus dummies; depends on the graph's structure only."""

    n: int  # real items (dummies follow)
    layer: np.ndarray
    order: np.ndarray  # item/dummy indices sorted by (layer, position)
    e_src: np.ndarray  # edges between adjacent layers, after dummies
    e_dst: np.ndarray
    e_w: np.ndarray
    chain_off: np.ndarray  # per level edge: its dummies are chain_ids[chain_off[k]:chain_off[k + 1]]
    chain_ids: np.ndarray


def rank(n: int, src: np.ndarray, dst: np.ndarray, pinned: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Layers by longest path; items not reachable from a pinned item sink next to their first consumer.

    Returns (layer, back, topo): ``back`` marks edges against the topological order (cycles in a broken
    model), which are left out of layering and drawn straight.
    """
    indeg = np.bincount(dst, minlength=n).tolist()
    perm = np.argsort(src, kind="stable")
    off = np.searchsorted(src[perm], np.arange(n + 1)).tolist()
    succ = dst[perm].tolist()
    pin = pinned.tolist()
    layer = [0] * n
    pos = [-1] * n
    stack = [v for v in range(n - 1, -1, -1) if indeg[v] == 0]
    topo: list[int] = []
    forced = 0
    while len(topo) < n:
        if not stack:  # a cycle: start from the lowest unplaced index
            while pos[forced] >= 0:
                forced += 1
            stack.append(forced)
        v = stack.pop()
        if pos[v] >= 0:
            continue
        pos[v] = len(topo)
        topo.append(v)
        lv, pv = layer[v] + 1, pin[v]
        for k in range(off[v], off[v + 1]):
            w = succ[k]
            if pos[w] < 0:
                if layer[w] < lv:
                    layer[w] = lv
                if pv:
                    pin[w] = True
                indeg[w] -= 1
                if indeg[w] == 0:
                    stack.append(w)
    floating = [not p for p in pin]
    if any(floating):
        for v in reversed(topo):  # consumers first, so chains of constant-only nodes sink together
            if floating[v] and off[v] < off[v + 1]:
                pv = pos[v]
                cons = [layer[succ[k]] for k in range(off[v], off[v + 1]) if pos[succ[k]] > pv]
                if cons:
                    layer[v] = max(layer[v], min(cons) - 1)
    pos_a = np.asarray(pos)
    back = pos_a[src] > pos_a[dst]
    lay = np.asarray(layer, np.int64)
    return lay, back, np.asarray(topo, np.int64)


def _grouped_rank(layer: np.ndarray, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Order by (layer, key) and each item's position within its layer, centred on zero."""
    idx = np.lexsort((key, layer))
    lay = layer[idx]
    starts = np.searchsorted(lay, lay, side="left")
    ends = np.searchsorted(lay, lay, side="right")
    pos = np.empty(len(idx))
    pos[idx] = np.arange(len(idx)) - starts - (ends - starts - 1) / 2.0
    return idx, pos


def build_structure(n: int, src: np.ndarray, dst: np.ndarray, pinned: np.ndarray,
                    init_key: np.ndarray | None = None, sweeps: int | None = None) -> LevelStructure:
    """Layering, dummy chains and crossing reduction of one level (edges already de-duplicated)."""
    layer, back, topo = rank(n, src, dst, pinned)
    fwd = ~back
    span = np.where(fwd, layer[dst] - layer[src], 0)
    long = span > 1
    m = np.zeros(n, np.int64)
    np.maximum.at(m, src[long], span[long] - 1)
    owners = np.nonzero(m)[0]
    counts = m[owners]
    n_dummy = int(counts.sum())
    first = np.full(n, -1, np.int64)
    first[owners] = n + np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    d_owner = np.repeat(owners, counts)
    d_k = np.arange(n_dummy) - np.repeat(first[owners] - n, counts)  # 0-based index along the chain
    all_layer = np.concatenate([layer, layer[d_owner] + 1 + d_k])
    d_ids = np.arange(n, n + n_dummy)
    short = fwd & ~long
    head = d_k == 0
    chain_s = np.concatenate([d_owner[head], d_ids[~head] - 1])
    chain_d = np.concatenate([d_ids[head], d_ids[~head]])
    last = first[src[long]] + span[long] - 2
    e_src = np.concatenate([src[short], chain_s, last])
    e_dst = np.concatenate([dst[short], chain_d, dst[long]])
    e_w = np.concatenate([np.ones(short.sum()), np.where(head, 2.0, 8.0), np.full(long.sum(), 2.0)])
    pair = np.unique(e_src * (n + n_dummy) + e_dst, return_index=True)[1]
    e_src, e_dst, e_w = e_src[pair], e_dst[pair], e_w[pair]
    clen = np.where(long, span - 1, 0)
    chain_off = np.concatenate([[0], np.cumsum(clen)]).astype(np.int64)
    chain_ids = np.repeat(first[src] - chain_off[:-1], clen) + np.arange(int(clen.sum()))
    # Initial order: depth-first topological position (keeps chains together); dummies follow their owner.
    tpos = np.empty(n, np.float64)
    tpos[topo] = np.arange(n) if init_key is None else init_key[topo]
    key = np.concatenate([tpos, tpos[d_owner] + 0.5])
    total = n + n_dummy
    order, pos = _grouped_rank(all_layer, key)
    if sweeps is None:
        sweeps = 10 if total < 20_000 else 6 if total < 100_000 else 4
    if total == 0 or np.bincount(all_layer).max() < 2:
        sweeps = 0  # a single column: nothing to order
    parity = all_layer % 2
    deg = np.bincount(e_dst, minlength=total) + np.bincount(e_src, minlength=total)
    for _ in range(sweeps):
        for par in (0, 1):
            acc = (np.bincount(e_dst, weights=pos[e_src], minlength=total)
                   + np.bincount(e_src, weights=pos[e_dst], minlength=total))
            bary = np.where(deg > 0, acc / np.maximum(deg, 1), pos)
            keyed = np.where(parity == par, bary, pos)
            order, pos = _grouped_rank(all_layer, keyed + 1e-6 * pos)
    return LevelStructure(n, all_layer, order, e_src, e_dst, e_w, chain_off, chain_ids)


# ---- one level: coordinates ----------------------------------------------------------------------
@dataclass
class LevelCoords:
    x: np.ndarray  # centre of each item and dummy
    y: np.ndarray  # top of each item and dummy
    layer_h: np.ndarray  # height of the layer of each item/dummy
    width: float
    height: float


def _pack(desired: np.ndarray, lay_sorted: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Closest order-preserving positions without overlap: mean of a left and a right sweep."""
    y = desired - s + lay_sorted * _BIG
    fwd = np.maximum.accumulate(y)
    bwd = np.minimum.accumulate(y[::-1])[::-1]
    return (fwd + bwd) / 2.0 - lay_sorted * _BIG + s


def assign_coords(st: LevelStructure, w_items: np.ndarray, h_items: np.ndarray, iters: int = 8) -> LevelCoords:
    total = len(st.layer)
    w = np.concatenate([w_items, np.full(total - st.n, DUMMY_W)])
    h = np.concatenate([h_items, np.zeros(total - st.n)])
    o = st.order
    lay = st.layer[o].astype(np.float64)
    ws = w[o]
    dummy = o >= st.n
    gap = (ws[1:] + ws[:-1]) / 2.0 + np.where(dummy[1:] & dummy[:-1], DUMMY_SEP, HSEP)
    new_layer = np.concatenate([[True], lay[1:] != lay[:-1]])
    cs = np.concatenate([[0.0], np.cumsum(gap)])
    s = cs - np.maximum.accumulate(np.where(new_layer, cs, 0.0))
    ends = np.searchsorted(lay, lay, side="right") - 1
    xs = s - s[ends] / 2.0
    x = np.empty(total)
    x[o] = xs
    es, ed, ew = st.e_src, st.e_dst, st.e_w
    if total and not (~new_layer).any():
        iters = 0  # one item per layer: everything on the centre line
    for it in range(iters):
        if it % 2 == 0:  # pull towards producers, then towards consumers
            acc = np.bincount(ed, weights=x[es] * ew, minlength=total)
            wt = np.bincount(ed, weights=ew, minlength=total)
        else:
            acc = np.bincount(es, weights=x[ed] * ew, minlength=total)
            wt = np.bincount(es, weights=ew, minlength=total)
        desired = np.where(wt > 0, acc / np.maximum(wt, 1e-9), x)
        x[o] = _pack(desired[o], lay, s)
    n_layers = int(st.layer.max()) + 1 if total else 0
    lh = np.zeros(n_layers)
    np.maximum.at(lh, st.layer, h)
    tops = np.concatenate([[0.0], np.cumsum(lh + VSEP)])[:-1]
    left = float((x - w / 2).min()) if total else 0.0
    x -= left
    width = float((x + w / 2).max()) if total else 0.0
    height = float(tops[-1] + lh[-1]) if n_layers else 0.0
    return LevelCoords(x, tops[st.layer], lh[st.layer], width, height)


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
        self.group_w = np.array([group_box_size(lb)[0] for lb in graph.group_label[:G]])
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
        ids: dict[str, int] = {}
        self._value_ids = np.fromiter((ids.setdefault(v, len(ids)) for v in graph.edge_value), np.int64,
                                      len(graph.edge_value))

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
            ln = st.chain_off[pair + 1] - st.chain_off[pair]
            ids = np.repeat(st.chain_off[pair], ln) + np.arange(int(ln.sum())) - np.repeat(
                np.concatenate([[0], np.cumsum(ln)[:-1]]), ln)
            # Edges of one source share its trunk: only the longest draws it, the others start where they
            # leave it (otherwise a mask read by every layer repeats the whole trunk once per layer).
            a_src = bs[lo:hi]
            rank_ = np.lexsort((-ln, a_src))
            first_of = np.ones(len(rank_), bool)
            first_of[1:] = a_src[rank_][1:] != a_src[rank_][:-1]
            full = np.empty(len(rank_), bool)
            full[rank_] = first_of
            cut = (~full) & (ln > 1)
            skip = np.where(cut, ln - 1, 0)
            keep_ids = np.ones(len(ids), bool)
            keep_ids[np.repeat(skip > 0, ln) & (np.arange(len(ids)) - np.repeat(
                np.concatenate([[0], np.cumsum(ln)[:-1]]), ln) < np.repeat(skip, ln))] = False
            ids = ids[keep_ids]
            ln = ln - skip
            d = st.chain_ids[ids] - st.n
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


def level_crossings(st: LevelStructure, c: LevelCoords) -> int:
    """Edge crossings between adjacent layers of one level (the quality figure of the benchmark)."""
    if not len(st.e_src):
        return 0
    lay = st.layer[st.e_src]
    order = np.lexsort((c.x[st.e_dst], c.x[st.e_src], lay))
    lay, xs, xd = lay[order], c.x[st.e_src][order], c.x[st.e_dst][order]
    bounds = np.flatnonzero(np.diff(lay)) + 1
    total = 0
    for a, b in zip([0, *bounds.tolist()], [*bounds.tolist(), len(lay)], strict=False):
        if b - a < 2:
            continue
        s, d = xs[a:b], xd[a:b]
        # pairs (i < j) with src strictly left and dst strictly right-to-left cross
        total += int(np.sum(np.triu((s[:, None] < s[None, :]) & (d[:, None] > d[None, :]), 1)))
    return total


def crossings(layout: GraphLayout) -> int:
    """Crossings summed over every expanded level of a layout."""
    return sum(level_crossings(layout.structure(g)[2], layout.coords(g))
               for g in np.nonzero(layout.expanded)[0].tolist())
