"""Command-line interface: the same core as the app, headless, with ``--json`` output for scripts.

Each sub-command lives in its own module exposing ``add_parser(subparsers)`` and ``run(args) -> int``. A
module that fails to import degrades to a sub-command that explains why, instead of breaking the others.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable

from onnxstudio import __version__
from onnxstudio.core.errors import StudioError

# name -> module; the graph command is owned by the graph view.
SUBCOMMANDS: dict[str, str] = {
    "inspect": "onnxstudio.cli.inspect_cmd",
    "providers": "onnxstudio.cli.providers_cmd",
    "run": "onnxstudio.cli.run_cmd",
    "bench": "onnxstudio.cli.bench_cmd",
    "profile": "onnxstudio.cli.profile_cmd",
    "compare": "onnxstudio.cli.compare_cmd",
    "graph": "onnxstudio.cli.graph_cmd",
    "optimize": "onnxstudio.cli.optimize_cmd",
    "generate": "onnxstudio.cli.generate_cmd",
}


def _missing(name: str, error: Exception) -> Callable[[argparse._SubParsersAction], None]:
    def add_parser(subparsers: argparse._SubParsersAction) -> None:
        p = subparsers.add_parser(name, help=f"(unavailable: {error})")
        p.add_argument("rest", nargs=argparse.REMAINDER)
        p.set_defaults(func=lambda args: _fail(f"the {name} command is unavailable: {error}"))

    return add_parser


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="onnxstudio",
        description="ONNX Studio: inspect, run, benchmark, profile and compare ONNX models. Without a sub-command, "
                    "opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"onnxstudio {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in SUBCOMMANDS.items():
        try:
            module = importlib.import_module(module_name)
            module.add_parser(subparsers)
        except Exception as exc:  # a broken or missing module must not take the whole CLI down
            _missing(name, exc)(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except StudioError as exc:  # a run failing on its shapes with free dims at their defaults: say which
        from onnxstudio.core.inputs import defaults_hint

        return _fail(exc.message + defaults_hint(exc.message, getattr(args, "defaulted_dims", {}),
                                                 "set them with --dim NAME=N"))
    except KeyboardInterrupt:
        return _fail("interrupted")
    except BrokenPipeError:  # the reader went away (`| head`): nothing to say, as Python's docs advise
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:  # never a traceback on the command line
        return _fail(f"{type(exc).__name__}: {' '.join(str(exc).split())}")
