"""HTML of the node/group properties panel: op, domain, attributes, inputs/outputs, weights, op docs."""

from __future__ import annotations

import html
from collections import Counter
from itertools import compress

import numpy as np

from onnxstudio.core.graph import KIND_INPUT, Graph, attribute_text
from onnxstudio.core.values import as_text

_CSS = ("<style>body{font-size:12px} h3{margin:2px 0} .k{color:#5a6270} td{padding:1px 6px 1px 0;"
        "vertical-align:top} .doc{color:#333;font-size:11px} .tag{color:#8a6d00}</style>")


def _esc(s: object) -> str:
    return html.escape(as_text(s) if isinstance(s, bytes) else str(s))


def op_doc(op: str, domain: str, opset: int | None) -> str:
    """The op schema's documentation, or '' (custom domains and unknown ops have none)."""
    try:
        import onnx.defs

        schema = (onnx.defs.get_schema(op, opset, domain) if opset else onnx.defs.get_schema(op, domain=domain))
        return schema.doc or ""
    except Exception:  # no schema for this op/domain/version
        return ""


def tensor_stats(values: np.ndarray) -> dict[str, float]:
    a = np.asarray(values)
    if a.dtype.kind not in "biuf" or a.size == 0:
        return {}
    a = a.astype(np.float64, copy=False)
    return {"min": float(a.min()), "max": float(a.max()), "mean": float(a.mean()), "std": float(a.std())}


def stats_html(stats: dict[str, dict[str, float] | str]) -> str:
    # the tensor's name on a row of its own: in a narrow first column a long exporter path ("/backbone/stage.0/
    # block.15/conv1.w.weight_336") broke into a letter column
    rows = []
    for name, st in stats.items():
        if isinstance(st, str):
            rows.append(f"<tr><td colspan=4>{_esc(name)}</td></tr><tr><td colspan=4 class=k>{_esc(st)}</td></tr>")
        elif st:
            rows.append(f"<tr><td colspan=4>{_esc(name)}</td></tr><tr>" + "".join(
                f"<td><span class=k>{k}</span> {v:.4g}</td>" for k, v in st.items()) + "</tr>")
    return "<table>" + "".join(rows) + "</table>" if rows else ""


def node_html(graph: Graph, i: int, stats: str = "", note: str = "") -> str:
    """Everything about node ``i``; ``stats`` is the lazily computed initializer statistics block, ``note`` an
    HTML block shown under its name (the last profile's time for it)."""
    out = [_CSS]
    name = graph.names[i]
    if i >= graph.n_ops:
        kind = "Graph input" if graph.kinds[i] == KIND_INPUT else "Graph output"
        if name in graph.outer_names:
            kind = "Value from the enclosing graph"
        v = graph.value(name)
        out.append(f"<h3>{kind}</h3><p><b>{_esc(name)}</b><br><span class=k>{_esc(v.label() or 'type unknown')}"
                   "</span></p>")
        return "".join(out)
    nd = graph.protos[i]
    domain = nd.domain or "ai.onnx"
    out.append(f"<h3>{_esc(nd.op_type)}</h3><p><span class=k>domain</span> {_esc(domain)}<br>"
               f"<span class=k>name</span> {_esc(name)}</p>")
    out.append(note)
    if nd.attribute:
        out.append("<b>Attributes</b><table>")
        out.extend(f"<tr><td class=k>{_esc(a.name)}</td><td>{_esc(attribute_text(a, 200))}</td></tr>"
                   for a in nd.attribute)
        out.append("</table>")
    for title, names in (("Inputs", list(map(as_text, nd.input))), ("Outputs", list(map(as_text, nd.output)))):
        out.append(f"<b>{title}</b><table>")
        for k, t in enumerate(names):
            if not t:
                out.append(f"<tr><td class=k>{k}</td><td class=k>(omitted)</td></tr>")
                continue
            v = graph.value(t)
            tag = " <span class=tag>initializer</span>" if v.initializer else ""
            out.append(f"<tr><td class=k>{k}</td><td>{_esc(t)}{tag}<br><span class=k>{_esc(v.label() or '?')}"
                       "</span></td></tr>")
        out.append("</table>")
    subs = graph.subgraphs(i)
    if subs:
        links = " · ".join(f'<a href="sub:{k}">{_esc(label)}</a>' for k, (label, _) in enumerate(subs))
        out.append(f"<p><b>Open</b> {links}</p>")
    if graph.n_init[i]:
        out.append("<b>Initializer statistics</b>" + (stats or "<p class=k>computing…</p>"))
    doc = op_doc(nd.op_type, nd.domain, graph.opsets.get(nd.domain))
    if doc:
        paras = "".join(f"<p>{_esc(p.strip())}</p>" for p in doc.strip().split("\n\n")[:4])
        out.append(f"<b>Documentation</b><div class=doc>{paras}</div>")
    return "".join(out)


def group_html(graph: Graph, g: int) -> str:
    members = graph.node_group[: graph.n_ops]
    depth = int(graph.group_depth[g])
    from onnxstudio.core.layout import GraphLayout  # the ancestor table lives there

    anc = GraphLayout.ancestor_table(graph)
    inside = anc[members, depth] == g if depth < anc.shape[1] else np.zeros(len(members), bool)
    top = Counter(compress(graph.ops[: graph.n_ops], inside.tolist())).most_common(12)
    rows = "".join(f"<tr><td>{_esc(op)}</td><td>{n}</td></tr>" for op, n in top)
    return (f"{_CSS}<h3>Group {_esc(graph.group_label[g])}</h3><p><span class=k>path</span> "
            f"/{_esc(graph.group_path[g])}<br><span class=k>nodes</span> {int(graph.group_size[g]):,}</p>"
            f"<p class=k>Double-click the box (or its frame title) to expand or collapse it.</p>"
            f"<b>Operators</b><table>{rows}</table>")


def summary_html(graph: Graph) -> str:
    """What the pane shows before anything is selected: the graph at a glance and how to explore it."""
    n_ops = graph.n_ops
    # counted at C speed: sorting 100k op names as numpy objects took 0.1 s on the GUI thread
    top = Counter(graph.ops[:n_ops]).most_common(8)
    rows = "".join(f"<tr><td>{_esc(op)}</td><td>{n:,}</td></tr>" for op, n in top)

    def io(names: list[str]) -> str:
        shown = "".join(f"<tr><td>{_esc(nm)}</td><td class=k>{_esc(graph.value(nm).label() or '?')}</td></tr>"
                        for nm in names[:8])
        more = f"<tr><td class=k>… {len(names) - 8} more</td></tr>" if len(names) > 8 else ""
        return f"<table>{shown}{more}</table>"

    return (f"{_CSS}<h3>{_esc(graph.title)}</h3><p><span class=k>nodes</span> {n_ops:,} · "
            f"<span class=k>edges</span> {len(graph.edge_src):,} · <span class=k>initializers</span> "
            f"{len(graph.initializers):,} · <span class=k>groups</span> {len(graph.group_path) - 1:,}</p>"
            f"<b>Inputs</b>{io(graph.input_names)}<b>Outputs</b>{io(graph.output_names)}"
            f"<b>Most used operators</b><table>{rows}</table>"
            "<p class=k>Click a node for its attributes, tensors and documentation; double-click a group to "
            "expand it; search above with op:, name:, attr: or tensor:; F fits the graph.</p>")
