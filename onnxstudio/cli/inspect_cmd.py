"""`onnxstudio inspect MODEL [--json]`: describe a model without running it."""

from __future__ import annotations

import argparse

from onnxstudio.cli.common import print_json
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.report_text import format_report


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("inspect", help="describe a model: inputs, outputs, opsets, ops, sizes, shapes")
    p.add_argument("model", help="path to a .onnx file")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.add_argument("--no-shapes", action="store_true", help="skip the checker and shape inference")
    p.add_argument("--shapes", action="store_true", help="list the inferred shapes of intermediate values")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    report = inspect_model(args.model, shapes=not args.no_shapes)
    if args.json:
        print_json(report.to_dict())
    else:
        print(format_report(report, shapes=args.shapes))
    return 0
