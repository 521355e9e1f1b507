"""One level of the layered layout (numpy): sizes, layering, dummy chains, ordering, coordinates, crossings.

A level is a set of items (nodes, collapsed or expanded groups) and the edges between them: longest-path
layering (nodes fed only by constants sink next to their consumer), long edges routed through one dummy chain
per source (fan-out edges share a trunk), barycenter ordering run on all layers at once, and coordinates that
pull each node over its neighbours and then pack each layer without overlaps. Qt-free.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from onnxstudio.core.graph import Graph

CHAR_W = 6.6  # scene units per character of the 11 px label font
NODE_H, INIT_ROW, IO_H, GROUP_H = 30.0, 13.0, 38.0, 46.0  # inputs: name over type
HSEP, DUMMY_W, DUMMY_SEP, VSEP = 26.0, 4.0, 10.0, 46.0
PAD, HEADER = 16.0, 28.0
BOX_OP, BOX_INPUT, BOX_OUTPUT, BOX_GROUP, BOX_FRAME = 0, 1, 2, 3, 4
_BIG = 1e9


def node_sizes(graph: Graph) -> tuple[np.ndarray, np.ndarray]:
    """Width and height of each node box: op label width, plus one row per initializer (up to 3)."""
    lens = np.fromiter(map(len, graph.ops), np.float64, graph.n_nodes)
    w = np.clip(lens * CHAR_W + 30.0, 64.0, 220.0)
    # Initializer rows ("weight ⟨64×3×7×7⟩", 9 px) need room of their own: ~20 characters at 5.4 units each.
    w = np.where(graph.n_init > 0, np.maximum(w, 124.0), w)
    h = NODE_H + INIT_ROW * np.minimum(graph.n_init, 3).astype(np.float64)
    io = graph.kinds != 0
    if io.any():
        io_idx = np.flatnonzero(io)
        # name (11 px) over its type and shape (9 px, ~0.8 of the width per character)
        nl = np.fromiter((min(max(len(graph.names[i]), 0.8 * len(graph.value(graph.names[i]).label())), 28)
                          for i in io_idx.tolist()), np.float64, len(io_idx))
        w[io_idx] = np.clip(nl * CHAR_W + 26.0, 64.0, 220.0)
        h[io] = IO_H
    return w, h


def group_box_size(label: str) -> tuple[float, float]:
    return float(group_widths([label])[0]), GROUP_H


def group_widths(labels: list[str]) -> np.ndarray:
    lens = np.fromiter(map(len, labels), np.float64, len(labels))
    return np.clip(lens * CHAR_W + 44.0, 120.0, 280.0)


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
    chain_first: np.ndarray  # per level edge: its dummies are chain_first[k] + 0 .. chain_len[k] - 1
    chain_len: np.ndarray  # (edges of one source share its dummy chain: never one list per edge)

    def chain(self, k: int) -> np.ndarray:
        """Dummy ids of level edge ``k``, from its source down."""
        return self.chain_first[k] + np.arange(self.chain_len[k])


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


def dummy_budget(n: int) -> int:
    """Most dummies a level set may have before its roots leave the top row (see :func:`_sink_roots`)."""
    return 4 * n + 100_000


def _chain_lengths(n: int, src: np.ndarray, dst: np.ndarray, layer: np.ndarray, fwd: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(span of each edge, whether it is long, dummies of each source's chain)."""
    span = np.where(fwd, layer[dst] - layer[src], 0)
    long = span > 1
    m = np.zeros(n, np.int64)
    np.maximum.at(m, src[long], span[long] - 1)
    return span, long, m


def _sink_roots(n: int, src: np.ndarray, dst: np.ndarray, layer: np.ndarray, fwd: np.ndarray) -> np.ndarray:
    """``layer`` with every root (an item nothing feeds: graph inputs) moved down next to its first consumer.

    Graph inputs sit on the top row, each with a dummy chain down to its deepest consumer. That is right for a
    model's few inputs, but thousands of them over a deep graph (weights passed as inputs, names no node
    produces) would need billions of dummies (43 GiB for one 100k-node convnet): then they go where they are used.
    """
    fed = np.zeros(n, bool)
    fed[dst[fwd]] = True
    first = np.full(n, np.iinfo(np.int64).max, np.int64)
    np.minimum.at(first, src[fwd], layer[dst[fwd]])
    move = ~fed & (first < np.iinfo(np.int64).max)
    out = layer.copy()
    out[move] = np.maximum(first[move] - 1, 0)
    return out


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
    return build_structures(n, src, dst, pinned, init_key, np.zeros(n, np.int64), 1, sweeps)[0]


def build_structures(n: int, src: np.ndarray, dst: np.ndarray, pinned: np.ndarray, init_key: np.ndarray | None,
                     level: np.ndarray, n_levels: int, sweeps: int | None = None) -> list[LevelStructure]:
    """:func:`build_structure` of many levels in one numpy pass: the union of their disjoint graphs.

    ``level`` (non-decreasing) says which level each item belongs to; every edge stays within a level.
    Layers of different levels are kept apart by stacking them (a composite layer index), so each level
    gets exactly the layers, order and dummies it would get alone, with local item and dummy indices.
    """
    level = np.asarray(level, np.int64)
    layer, back, topo = rank(n, src, dst, pinned)
    fwd = ~back
    span, long, m = _chain_lengths(n, src, dst, layer, fwd)
    if int(m.sum()) > dummy_budget(n):
        layer = _sink_roots(n, src, dst, layer, fwd)
        span, long, m = _chain_lengths(n, src, dst, layer, fwd)
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
    # chain edges are listed heads first (owner -> first dummy: 2), then dummy -> dummy (8: keeps chains straight)
    n_head = int(head.sum())
    e_w = np.concatenate([np.ones(short.sum()), np.full(n_head, 2.0), np.full(n_dummy - n_head, 8.0),
                          np.full(long.sum(), 2.0)])
    pair = np.unique(e_src * (n + n_dummy) + e_dst, return_index=True)[1]
    e_src, e_dst, e_w = e_src[pair], e_dst[pair], e_w[pair]
    clen = np.where(long, span - 1, 0)
    chain_first = np.where(long, first[src], 0)
    # Initial order: depth-first topological position (keeps chains together); dummies follow their owner.
    tpos = np.empty(n, np.float64)
    tpos[topo] = np.arange(n) if init_key is None else init_key[topo]
    key = np.concatenate([tpos, tpos[d_owner] + 0.5])
    total = n + n_dummy
    d_level = level[d_owner]
    all_level = np.concatenate([level, d_level])
    top = np.zeros(n_levels, np.int64)
    np.maximum.at(top, all_level, all_layer)
    base = np.concatenate([[0], np.cumsum(top + 1)[:-1]]).astype(np.int64)
    glayer = all_layer + base[all_level]  # layers of all levels stacked
    order, pos = _grouped_rank(glayer, key)
    size = np.bincount(all_level, minlength=n_levels)
    lv_sweeps = np.full(n_levels, sweeps if sweeps is not None else 10, np.int64)
    if sweeps is None:
        lv_sweeps = np.where(size < 20_000, 10, np.where(size < 100_000, 6, 4))
    multi = np.zeros(n_levels, bool)  # a single column has nothing to order
    if total:
        multi[all_level[np.bincount(glayer)[glayer] >= 2]] = True
    lv_sweeps[~multi] = 0
    item_sweeps = lv_sweeps[all_level]
    parity = all_layer % 2
    deg = np.bincount(e_dst, minlength=total) + np.bincount(e_src, minlength=total)
    for it in range(int(lv_sweeps.max()) if n_levels else 0):
        live = item_sweeps > it  # levels done sweeping keep their order (keyed by their own position)
        for par in (0, 1):
            acc = (np.bincount(e_dst, weights=pos[e_src], minlength=total)
                   + np.bincount(e_src, weights=pos[e_dst], minlength=total))
            bary = np.where(deg > 0, acc / np.maximum(deg, 1), pos)
            keyed = np.where((parity == par) & live, bary, pos)
            order, pos = _grouped_rank(glayer, keyed + 1e-6 * pos)
    if n_levels == 1:
        return [LevelStructure(n, all_layer, order, e_src, e_dst, e_w, chain_first, clen)]
    # split into levels with local indices: items of a level first, then its dummies
    lv = np.arange(n_levels + 1)
    i_off = np.searchsorted(level, lv)
    d_off = np.searchsorted(d_level, lv)
    m_lv = np.diff(i_off)
    to_local = np.concatenate([np.arange(n) - i_off[level], m_lv[d_level] + np.arange(n_dummy) - d_off[d_level]])
    lay_items, lay_d = all_layer[:n], all_layer[n:]
    o_off = np.searchsorted(all_level[order], lv)
    order_l = to_local[order]
    e_lv = all_level[e_src]
    e_sort = np.argsort(e_lv, kind="stable")
    e_off = np.searchsorted(e_lv[e_sort], lv)
    es_l, ed_l, ew_s = to_local[e_src[e_sort]], to_local[e_dst[e_sort]], e_w[e_sort]
    in_off = np.searchsorted(level[src], lv) if len(src) else np.zeros(n_levels + 1, np.int64)
    cf_l = np.where(long, to_local[np.maximum(chain_first, 0)], 0)
    out = []
    for k, (a, b, da, db, oa, ob, ea, eb, ia, ib) in enumerate(zip(
            i_off[:-1].tolist(), i_off[1:].tolist(), d_off[:-1].tolist(), d_off[1:].tolist(), o_off[:-1].tolist(),
            o_off[1:].tolist(), e_off[:-1].tolist(), e_off[1:].tolist(), in_off[:-1].tolist(),
            in_off[1:].tolist(), strict=True)):
        out.append(LevelStructure(int(m_lv[k]), np.concatenate([lay_items[a:b], lay_d[da:db]]), order_l[oa:ob],
                                  es_l[ea:eb], ed_l[ea:eb], ew_s[ea:eb], cf_l[ia:ib], clen[ia:ib]))
    return out


# ---- one level: coordinates ----------------------------------------------------------------------
@dataclass
class LevelCoords:
    x: np.ndarray  # centre of each item and dummy
    y: np.ndarray  # top of each item and dummy
    layer_h: np.ndarray  # height of the layer of each item/dummy
    width: float
    height: float


def _barycenters(x: np.ndarray, es: np.ndarray, ed: np.ndarray, ew: np.ndarray, *,
                 towards_producers: bool) -> np.ndarray:
    """Weighted mean x of each item's producers (or consumers); items without any keep their x.

    Sweeps alternate the two directions: pull towards producers, then towards consumers.
    """
    near, far = (ed, es) if towards_producers else (es, ed)
    acc = np.bincount(near, weights=x[far] * ew, minlength=x.size)
    wt = np.bincount(near, weights=ew, minlength=x.size)
    return np.where(wt > 0, acc / np.maximum(wt, 1e-9), x)


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
        desired = _barycenters(x, es, ed, ew, towards_producers=it % 2 == 0)
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


def assign_coords_many(sts: list[LevelStructure], ws: list[np.ndarray], hs: list[np.ndarray],
                       iters: int = 8) -> list[LevelCoords]:
    """:func:`assign_coords` of many levels in one numpy pass (layers of all levels stacked)."""
    B = len(sts)
    tot = np.fromiter((len(st.layer) for st in sts), np.int64, B)
    n_it = np.fromiter((st.n for st in sts), np.int64, B)
    goff = np.concatenate([[0], np.cumsum(tot)]).astype(np.int64)
    T = int(goff[-1])
    level = np.repeat(np.arange(B), tot)
    local = np.arange(T) - goff[level]
    is_item = local < n_it[level]
    w = np.full(T, DUMMY_W)
    h = np.zeros(T)
    if B:
        w[is_item] = np.concatenate(ws)
        h[is_item] = np.concatenate(hs)
    layer = np.concatenate([st.layer for st in sts]) if B else np.zeros(0, np.int64)
    top = np.full(B, -1, np.int64)
    np.maximum.at(top, level, layer)
    base = np.concatenate([[0], np.cumsum(top + 1)[:-1]]).astype(np.int64)
    glayer = layer + base[level]
    o = np.concatenate([st.order + goff[k] for k, st in enumerate(sts)]) if B else np.zeros(0, np.int64)
    es = np.concatenate([st.e_src + goff[k] for k, st in enumerate(sts)]) if B else np.zeros(0, np.int64)
    ed = np.concatenate([st.e_dst + goff[k] for k, st in enumerate(sts)]) if B else np.zeros(0, np.int64)
    ew = np.concatenate([st.e_w for st in sts]) if B else np.zeros(0)
    lay = glayer[o].astype(np.float64)
    ws_ = w[o]
    dummy = ~is_item[o]
    gap = (ws_[1:] + ws_[:-1]) / 2.0 + np.where(dummy[1:] & dummy[:-1], DUMMY_SEP, HSEP)
    new_layer = np.concatenate([[True], lay[1:] != lay[:-1]]) if T else np.zeros(0, bool)
    cs = np.concatenate([[0.0], np.cumsum(gap)]) if T else np.zeros(0)
    sx = cs - np.maximum.accumulate(np.where(new_layer, cs, 0.0)) if T else cs
    ends = np.searchsorted(lay, lay, side="right") - 1
    xs = sx - sx[ends] / 2.0
    x = np.empty(T)
    x[o] = xs
    multi = np.zeros(B, bool)  # one item per layer: everything stays on the centre line
    multi[level[o][~new_layer]] = True
    moves = multi[level]
    big = 4.0 * (float(np.abs(xs).max()) + float(sx.max()) + 1e4) if T else 1.0
    for it in range(iters if moves.any() else 0):
        desired = _barycenters(x, es, ed, ew, towards_producers=it % 2 == 0)
        y = desired[o] - sx + lay * big
        packed = (np.maximum.accumulate(y) + np.minimum.accumulate(y[::-1])[::-1]) / 2.0 - lay * big + sx
        x[o] = np.where(moves[o], packed, x[o])
    n_layers = int(glayer.max()) + 1 if T else 0
    lh = np.zeros(n_layers)
    np.maximum.at(lh, glayer, h)
    cum = np.concatenate([[0.0], np.cumsum(lh + VSEP)])
    y_top = cum[glayer] - cum[base[level]]
    left = np.full(B, np.inf)
    np.minimum.at(left, level, x - w / 2)
    x -= left[level]
    right = np.zeros(B)
    np.maximum.at(right, level, x + w / 2)
    last = base + top
    height = np.where(top >= 0, cum[last] - cum[base] + lh[np.minimum(last, max(n_layers - 1, 0))], 0.0) \
        if n_layers else np.zeros(B)
    out = []
    g0, g1 = goff[:-1].tolist(), goff[1:].tolist()
    for k in range(B):
        a, b = g0[k], g1[k]
        out.append(LevelCoords(x[a:b], y_top[a:b], lh[glayer[a:b]], float(right[k]) if b > a else 0.0,
                               float(height[k])))
    return out


def _inversions(v: np.ndarray) -> int:
    """Pairs i < j with v[i] > v[j]: bottom-up merge counting, O(n log n) time and O(n) memory."""
    n = len(v)
    a = np.unique(v, return_inverse=True)[1].astype(np.int64)
    total, width, idx = 0, 1, np.arange(n)
    while width < n:
        pair = idx // (2 * width)
        right = (idx // width) % 2 == 1
        key = pair * n + a  # left and right runs of each pair are sorted: search the left run
        left_keys = key[~right]
        r = np.flatnonzero(right)
        hi = np.searchsorted(left_keys, pair[r] * n + n, side="left")
        gt = np.searchsorted(left_keys, key[r], side="right")
        total += int((hi - gt).sum())
        a = np.sort(key, kind="stable") - pair * n
        width *= 2
    return total


def level_crossings(st: LevelStructure, c: LevelCoords) -> int:
    """Edge crossings between adjacent layers of one level (the quality figure of the benchmark)."""
    if not len(st.e_src):
        return 0
    lay = st.layer[st.e_src]
    xs, xd = c.x[st.e_src], c.x[st.e_dst]
    # within a layer, pairs with src strictly left and dst strictly right-to-left cross: sorted by
    # (layer, src x, dst x), that is an inversion of (layer, dst x); equal src x never counts
    order = np.lexsort((xd, xs, lay))
    d_rank = np.unique(xd, return_inverse=True)[1]
    return _inversions(lay[order] * (len(xd) + 1) + d_rank[order])
