"""`onnxstudio compare MODEL ...`: the same inputs through two sessions (providers, optimization levels, or a
second model), and how far apart their outputs are."""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import replace

from onnxstudio.cli.common import add_session_options, memory_limit, print_json, session_config
from onnxstudio.cli.run_cmd import prepare
from onnxstudio.core.compare import ATOL, RTOL, CompareSpec, OutputDiff, compare_runs, default_b, feeds_for_b
from onnxstudio.core.engine import Engine, RunResult
from onnxstudio.core.errors import InputError
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.layers import LayerReport
from onnxstudio.core.providers import SessionConfig, display_name, resolve_provider


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "compare", help="run the same inputs on two providers, optimization levels or models and compare outputs",
        description="A is MODEL with the session options; B is --against MODEL_B and/or the --b-* options. With no "
                    "B option: a session on another provider is compared with the CPU, a CPU session with the "
                    "same model unoptimized (--optimization disabled; fully optimized where A is unoptimized).")
    p.add_argument("model", help="path to a .onnx file (A)")
    add_session_options(p)
    p.add_argument("--against", metavar="MODEL_B", help="a second model taking the same inputs (B)")
    p.add_argument("--b-provider", action="append", default=[], metavar="P", help="B's execution provider(s)")
    p.add_argument("--b-optimization", choices=["disabled", "basic", "extended", "layout", "all"], default=None,
                   help="B's graph optimization level")
    p.add_argument("--rtol", type=float, default=RTOL, help=f"relative tolerance (default {RTOL:g})")
    p.add_argument("--atol", type=float, default=ATOL, help=f"absolute tolerance (default {ATOL:g})")
    p.add_argument("--layers", action="store_true",
                   help="also compare every tensor of the main graph (each node's outputs made outputs of the "
                        "model) and name the first that differs: where the difference starts")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run)


def config_b(a: SessionConfig, providers: list[str], optimization: str | None, other_model: bool) -> SessionConfig:
    """B's session: A's with the --b-* options; without any (and no second model), :func:`default_b`."""
    if not (providers or optimization or other_model):
        return default_b(a)
    b = a
    if providers:
        b = replace(b, providers=tuple(resolve_provider(p) for p in providers), provider_options={})
    if optimization:
        b = replace(b, graph_optimization=optimization)
    return b


def _line(d: OutputDiff) -> str:
    mark = "✓" if d.ok else "✗"
    parts = [d.detail]
    if d.max_rel is not None and math.isfinite(d.max_rel) and d.max_abs:
        parts.append(f"max rel {d.max_rel:.3g}")
    if d.cosine is not None and math.isfinite(d.cosine):
        parts.append(f"cosine {d.cosine:.6f}")
    if d.agreement == 1.0:
        parts.append(f"best class agrees on every {d.agreement_of[:-1]}" if d.agreement_of == "pixels" or
                     d.agreement_of == "rows" else "best class agrees")
    if not d.ok and d.worst_index is not None and d.worst_a is not None:
        parts.append(f"at {list(d.worst_index)}: {d.worst_a:.6g} against {d.worst_b:.6g}")
    return f"{mark} {d.name}: " + ", ".join(parts)


def layer_lines(report: LayerReport, shown: int = 10) -> list[str]:
    """The ``layers`` lines: how many tensors differ, the first (where the difference starts) and what follows."""
    head = f"{len(report.layers):,} tensors compared, {report.differing:,} differ"
    if report.only_b or report.only_a:
        head += f" ({report.only_a:,} only in A, {report.only_b:,} only in B)"
    lines = [f"{'layers':<12}{head}"] + [f"{'':<12}note: {n}" for n in report.notes]
    first = report.first
    if first is None:
        return lines
    lines.append(f"{'':<12}first: node #{first.node} {first.node_name or '(unnamed)'} ({first.op})")
    start = report.layers.index(first)
    for layer in report.layers[start:start + shown]:
        lines.append(f"{'':<12}  #{layer.node} {layer.op}: {_line(layer.diff)}")
    if len(report.layers) > start + shown:
        lines.append(f"{'':<12}  ... {len(report.layers) - start - shown:,} more (--json lists every tensor)")
    return lines


def _side(path: str, result: RunResult, config: SessionConfig) -> dict:
    return {"model": path, "providers": list(result.session.providers), "requested": list(config.providers),
            "optimization": config.graph_optimization, "run_ms": result.run_ms}


def run(args: argparse.Namespace) -> int:
    if args.rtol < 0 or args.atol < 0:
        raise InputError("--rtol and --atol must be 0 or more")
    _, feeds, inputs, notes = prepare(args)
    cfg_a = session_config(args)
    cfg_b = config_b(cfg_a, args.b_provider, args.b_optimization, bool(args.against))
    model_b = args.against or args.model
    feeds_b = None
    if args.against:  # by name; an fp16 model's against its fp32 original: cast (said in a note)
        feeds_b = feeds_for_b(feeds, args.model, model_b, inspect_model(model_b, shapes=False).inputs, notes)
    spec = CompareSpec(str(model_b), cfg_b, args.rtol, args.atol, feeds_b, layers=args.layers)
    with Engine(args.model, cfg_a, memory_limit_bytes=memory_limit(args), timeout_s=args.timeout) as eng:
        result = compare_runs(eng, feeds, spec)
    res_a, res_b, diffs = result.a, result.b, result.diffs
    failed = [d for d in diffs if not d.ok]
    if args.json:
        print_json({"a": _side(str(args.model), res_a, cfg_a), "b": _side(str(model_b), res_b, cfg_b),
                    "rtol": args.rtol, "atol": args.atol, "ok": not failed, "inputs": inputs, "notes": notes,
                    "outputs": [d.to_dict() for d in diffs],
                    **({"layers": result.layers.to_dict()} if result.layers is not None else {})})
    else:
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        for tag, path, res, cfg in (("A", args.model, res_a, cfg_a), ("B", model_b, res_b, cfg_b)):
            print(f"{tag}           {path} on {', '.join(display_name(p) for p in res.session.providers)} "
                  f"(optimization {cfg.graph_optimization}): {res.run_ms:.3f} ms")
        for k, d in enumerate(diffs):
            print(f"{'outputs' if k == 0 else '':<12}{_line(d)}")
        if result.layers is not None:
            print("\n".join(layer_lines(result.layers)))
    if failed:
        print(f"error: {len(failed)} of {len(diffs)} outputs differ beyond rtol {args.rtol:g}, atol {args.atol:g} "
              f"(first: {failed[0].name}: {failed[0].detail})", file=sys.stderr)
        return 1
    return 0
