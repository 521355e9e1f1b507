"""`onnxstudio inspect MODEL [--json]`: describe a model without running it."""

from __future__ import annotations

import argparse

from onnxstudio.cli.common import print_json
from onnxstudio.core.inspection import ModelReport, inspect_model


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("inspect", help="describe a model: inputs, outputs, opsets, ops, sizes, shapes")
    p.add_argument("model", help="path to a .onnx file")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.add_argument("--no-shapes", action="store_true", help="skip the checker and shape inference")
    p.add_argument("--shapes", action="store_true", help="list the inferred shapes of intermediate values")
    p.set_defaults(func=run)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def format_report(r: ModelReport, *, shapes: bool = False) -> str:
    lines = [
        f"Model       {r.path} ({_size(r.file_size)})",
        f"Producer    {r.producer_name or '-'} {r.producer_version}".rstrip(),
        f"IR version  {r.ir_version}",
        "Opsets      " + ", ".join(f"{d} {v}" for d, v in r.opset_imports.items()),
    ]
    if r.domain or r.model_version:
        lines.append(f"Domain      {r.domain or '-'}  version {r.model_version}")
    if r.doc_string:
        lines.append(f"Doc         {' '.join(r.doc_string.split())[:200]}")
    for key, value in r.metadata.items():
        lines.append(f"Metadata    {key} = {' '.join(value.split())[:120]}")
    lines.append(f"Nodes       {r.node_count} ({r.main_graph_nodes} in the main graph, {r.subgraph_count} subgraphs, "
                 f"{r.function_count} functions)")
    lines.append(f"Parameters  {r.parameter_count:,} in {r.initializer_count} initializers, "
                 f"{_size(r.parameter_bytes)}")
    if r.constant_count:
        lines.append(f"In nodes    {r.constant_parameters:,} in {r.constant_count} tensors held by nodes "
                     f"(Constant values), {_size(r.constant_bytes)}")
    for ext in r.external_data:
        lines.append(f"External    {ext['location']} ({_size(ext['size'])}, {ext['tensors']} tensors)")
    lines.append("Inputs")
    lines += [f"  {v.name}: {v.type_str} {v.shape_text()}" for v in r.inputs]
    lines.append("Outputs")
    lines += [f"  {v.name}: {v.type_str} {v.shape_text()}" for v in r.outputs]
    lines.append("Ops         " + ", ".join(f"{op} {n}" for op, n in r.op_histogram.items()))
    if r.custom_domains:
        lines.append("Custom      " + ", ".join(r.custom_domains))
    if shapes and r.inferred:
        lines.append("Inferred shapes")
        lines += [f"  {v.name}: {v.type_str} {v.shape_text()}" for v in r.inferred]
    for w in r.warnings:
        lines.append(f"Warning     {w}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    report = inspect_model(args.model, shapes=not args.no_shapes)
    if args.json:
        print_json(report.to_dict())
    else:
        print(format_report(report, shapes=args.shapes))
    return 0
