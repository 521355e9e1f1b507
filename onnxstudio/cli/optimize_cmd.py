"""`onnxstudio optimize MODEL -o OUT.onnx`: onnxruntime's optimized graph saved as a model, and what changed."""

from __future__ import annotations

import argparse
import sys

from onnxstudio.cli.common import add_session_options, memory_limit, print_json, session_config
from onnxstudio.core.engine import Engine


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("optimize", help="save the graph as onnxruntime's optimizer leaves it")
    p.add_argument("model", help="path to a .onnx file")
    p.add_argument("--output", "-o", required=True, metavar="OUT.onnx",
                   help="where to write the optimized model (large weights go to OUT.onnx.data beside it)")
    add_session_options(p)
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = session_config(args)
    with Engine(args.model, config, memory_limit_bytes=memory_limit(args), timeout_s=args.timeout) as engine:
        result = engine.save_optimized(args.output)
    notes = []
    if config.graph_optimization == "all":
        notes.append("level all writes onnxruntime's own ops for this CPU (NCHWc layouts); --optimization "
                     "extended keeps the model portable")
    if args.json:
        print_json({**result.to_dict(), "notes": notes})
        return 0
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"saved       {result.path}" + (f" (weights in {result.external_data})" if result.external_data else ""))
    print(f"session     {result.create_ms:.1f} ms on {', '.join(result.providers)}")
    print(f"nodes       {result.nodes_before:,} → {result.nodes_after:,} (level {result.level})")
    for op, before, after in result.changes()[:20]:
        print(f"  {op:<36} {before:>6} → {after:<6}")
    more = len(result.changes()) - 20
    if more > 0:
        print(f"  ... and {more} more op types")
    return 0
