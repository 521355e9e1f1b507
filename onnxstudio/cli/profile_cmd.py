"""`onnxstudio profile MODEL ...`: where a run's time goes, per op type, per kernel and per provider."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from onnxstudio.cli.common import add_session_options, memory_limit, print_json, session_config
from onnxstudio.cli.run_cmd import prepare
from onnxstudio.core.engine import Engine
from onnxstudio.core.errors import InputError
from onnxstudio.core.profiling import ADDED, FUSED, Profile
from onnxstudio.core.providers import display_name


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("profile", help="profile a model: time per op type, per node and per provider")
    p.add_argument("model", help="path to a .onnx file")
    add_session_options(p)
    p.add_argument("--runs", type=int, default=10, metavar="N", help="profiled runs (default 10)")
    p.add_argument("--warmup", type=int, default=1, metavar="N", help="runs before profiling starts (default 1)")
    p.add_argument("--top", type=int, default=None, metavar="K",
                   help="kernels listed (default: 15 in the text, every one in --json; 0: all)")
    p.add_argument("--trace", metavar="FILE", help="also save onnxruntime's own trace (open it in Perfetto or "
                                                   "chrome://tracing)")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run)


def _ms(v: float) -> str:
    return f"{v:.3f}" if v < 100 else f"{v:.1f}"


def run(args: argparse.Namespace) -> int:
    if args.runs < 1 or args.warmup < 0 or (args.top is not None and args.top < 0):
        raise InputError("--runs must be 1 or more, --warmup and --top 0 or more")
    _, feeds, inputs, notes = prepare(args)
    with Engine(args.model, session_config(args), memory_limit_bytes=memory_limit(args),
                timeout_s=args.timeout) as engine:
        prof: Profile = engine.profile(feeds, runs=args.runs, warmup=args.warmup, trace_path=args.trace)
    top = args.top or None
    if args.json:
        data = prof.to_dict(top)
        data.update({"model": str(args.model), "inputs": inputs, "notes": notes + prof.notes})
        print_json(data)
        return 0
    for note in notes + prof.notes:
        print(f"note: {note}", file=sys.stderr)
    top = 15 if args.top is None else args.top or None
    s = prof.run
    print(f"providers   {', '.join(prof.providers)}  (optimization: {prof.optimization})")
    print(f"runs        {prof.runs} profiled: median {_ms(s.median)} ms, mean {_ms(s.mean)} ms, min {_ms(s.min)} "
          f"ms; in kernels {_ms(prof.kernel_ms)} ms a run (mean)")
    print(f"session     {_ms(prof.session_ms)} ms to load and initialize")
    placed = ", ".join(f"{display_name(r.provider)} {r.kernels} kernels {r.share:.0%}" for r in prof.by_provider())
    print(f"placement   {placed}")
    fallback = prof.fallback()
    if fallback:
        ops = Counter(k.op for k in fallback).most_common(8)
        print(f"fallback    {len(fallback)} kernels ran on "
              f"{', '.join(sorted({display_name(k.provider) for k in fallback}))} instead of {display_name(prof.providers[0])}: "
              + ", ".join(f"{op} x{n}" if n > 1 else op for op, n in ops))
    fused = sum(1 for k in prof.top if k.how == FUSED)
    added = [k for k in prof.top if k.how == ADDED]
    print(f"nodes       {prof.model_nodes} in the model, {len(prof.top)} kernels run: {fused} rewritten by the "
          f"optimizer, {len(added)} added by it ({_ms(prof.added_ms())} ms), "
          f"{prof.without_kernel()} nodes folded or fused away")
    print()
    print(f"{'op':<24} {'provider':<10} {'kernels':>7} {'ms/run':>9} {'share':>6}")
    for r in prof.by_op()[: top or None]:
        print(f"{r.op[:24]:<24} {display_name(r.provider)[:10]:<10} {r.kernels:>7} {_ms(r.ms_per_run):>9} {r.share:>6.1%}")
    print()
    total = sum(k.total_us for k in prof.top) or 1.0
    print(f"{'ms/run':>9} {'share':>6}  {'op':<16} kernel (input shapes)")
    for k in prof.kernels[: top or None]:
        where = (f" inside {k.inside}" if k.inside else " (added by onnxruntime)" if k.how == ADDED
                 else f" (node {k.node_name or '#' + str(k.node)})" if k.how == FUSED and k.node_name != k.name
                 else "")
        share = "" if k.inside else f"{k.total_us / total:.1%}"
        print(f"{_ms(k.ms_per_run(prof.runs)):>9} {share:>6}  {k.op[:16]:<16} {k.name}{where}"
              f"{'  [' + k.shapes + ']' if k.shapes else ''}")
    return 0
