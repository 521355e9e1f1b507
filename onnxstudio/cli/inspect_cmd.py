"""`onnxstudio inspect MODEL [--json]`: describe a model without running it."""

from __future__ import annotations

import argparse

from onnxstudio.cli.common import parse_dims, print_json
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.report_text import format_report


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("inspect", help="describe a model: inputs, outputs, opsets, ops, sizes, shapes")
    p.add_argument("model", help="path to a .onnx file")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.add_argument("--no-shapes", action="store_true", help="skip the checker and shape inference")
    p.add_argument("--shapes", action="store_true",
                   help="list the inferred shapes of intermediate values and the nodes doing the most MACs")
    p.add_argument("--dim", action="append", default=[], metavar="NAME=N",
                   help="count MACs with a free dim at this size (batch=8, or x:2=640 by input and axis); "
                        "default: batch 1, an image's sides 224")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    report = inspect_model(args.model, shapes=not args.no_shapes, dims=parse_dims(args.dim))
    if args.json:
        print_json(report.to_dict())
    else:
        print(format_report(report, shapes=args.shapes))
    return 0
