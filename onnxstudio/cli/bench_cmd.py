"""`onnxstudio bench MODEL ...`: benchmark a model in the isolated engine."""

from __future__ import annotations

import argparse
import sys

from onnxstudio.cli.common import add_session_options, memory_limit, print_json, session_config
from onnxstudio.cli.run_cmd import prepare
from onnxstudio.core.engine import BenchmarkResult, BenchmarkSpec, Engine


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("bench", help="benchmark a model: latency statistics and throughput")
    p.add_argument("model", help="path to a .onnx file")
    add_session_options(p)
    p.add_argument("--warmup", type=int, default=10, metavar="N", help="warm-up iterations (default 10)")
    p.add_argument("--warmup-time", type=float, default=None, metavar="S", help="warm up for S seconds instead")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--iterations", "-n", type=int, default=None, metavar="N", help="measured iterations")
    group.add_argument("--duration", "-d", type=float, default=None, metavar="S", help="measure for S seconds")
    p.add_argument("--io-binding", action="store_true", help="bind inputs and outputs once (lower overhead)")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    _, feeds, inputs, notes = prepare(args)
    spec = BenchmarkSpec(warmup=args.warmup, warmup_s=args.warmup_time, iterations=args.iterations,
                         duration_s=args.duration, io_binding=args.io_binding)
    with Engine(args.model, session_config(args), memory_limit_bytes=memory_limit(args),
                timeout_s=args.timeout) as engine:
        engine.create_session()
        result: BenchmarkResult = engine.run_benchmark(feeds, spec)
    if args.json:
        data = result.to_dict()
        data.update({"model": str(args.model), "inputs": inputs, "notes": notes})
        print_json(data)
        return 0
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    s = result.stats
    print(f"providers     {', '.join(result.providers)}  ({'IO binding' if result.io_binding else 'run'})")
    print(f"session       {result.session_create_ms:.1f} ms")
    print(f"first run     {result.first_run_ms:.3f} ms")
    print(f"iterations    {result.iterations}")
    print(f"latency ms    min {s.min:.4f}  median {s.median:.4f}  mean {s.mean:.4f}  max {s.max:.4f}")
    print(f"percentiles   p90 {s.p90:.4f}  p95 {s.p95:.4f}  p99 {s.p99:.4f}  p99.9 {s.p999:.4f}")
    print(f"spread        std {s.std:.4f}  cv {s.cv:.3f}")
    print(f"throughput    {s.throughput_per_s:.1f} /s")
    print(f"peak memory   {result.peak_memory_bytes / 2**20:.1f} MB")
    return 0
