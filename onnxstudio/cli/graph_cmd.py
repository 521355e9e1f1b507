"""`onnxstudio graph MODEL --export FILE.svg|png`: the app's graph picture, headless (no Qt)."""

from __future__ import annotations

import argparse
import time

from onnxstudio.core.errors import StudioError


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("graph", help="lay out a model's graph and export it as SVG or PNG")
    p.add_argument("model", help="path to an .onnx file")
    p.add_argument("--export", required=True, metavar="FILE", help="output file; .svg or .png")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--collapse", action="store_true",
                      help="collapse namespaces to the top groups (default for graphs over 1500 nodes)")
    mode.add_argument("--expand-all", action="store_true", help="expand every namespace group")
    p.add_argument("--subgraph", metavar="NODE", help="export the body of this If/Loop/Scan or function node")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from onnxstudio.core.graph import load_graph
    from onnxstudio.core.graph_export import export_scene
    from onnxstudio.core.layout import GraphLayout
    from onnxstudio.core.loading import load_structure

    if not str(args.export).lower().endswith((".svg", ".png")):
        raise StudioError(f"{args.export}: choose an .svg or .png file to export to")
    t0 = time.perf_counter()
    loaded = load_structure(args.model, columns=True)
    graph = load_graph(loaded.model, loaded.index, loaded.columns)
    if args.subgraph:
        node = graph.find_node(args.subgraph)
        if node is None or not graph.subgraphs(node):
            raise StudioError(f"no node named {args.subgraph!r} with a subgraph; If, Loop, Scan and local "
                              "function calls have one")
        graph = graph.open_subgraph(node)
    layout = GraphLayout.default(graph)
    if args.collapse:
        layout.collapse_all()
    elif args.expand_all:
        layout.expand_all()
    scene = layout.scene()
    export_scene(graph, scene, args.export)
    shown = int((scene.kind < 3).sum())
    print(f"{args.export}: {shown} of {graph.n_nodes} nodes shown, {len(scene.edge_src)} edges, "
          f"{scene.width:.0f}×{scene.height:.0f} units, {time.perf_counter() - t0:.2f} s")
    return 0
