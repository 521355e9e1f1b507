"""`onnxstudio bench MODEL ...`: benchmark a model in the isolated engine."""

from __future__ import annotations

import argparse
import sys

from onnxstudio.cli.common import add_session_options, memory_limit, print_json, session_config
from onnxstudio.cli.run_cmd import prepare
from onnxstudio.core.dims import derived_dims
from onnxstudio.core.engine import BenchmarkResult, BenchmarkSpec, Engine
from onnxstudio.core.errors import InputError
from onnxstudio.core.inputs import free_dims
from onnxstudio.core.sweep import SweepPoint, is_batch, parse_values, sweep, sweepable_dims


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
    p.add_argument("--sweep", metavar="DIM=VALUES",
                   help="benchmark at each value of a free dim in one session: batch=1,2,4,8 or batch=1..64 "
                        "(powers of two); latency and throughput per value")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run)


def _sweep(args: argparse.Namespace, spec: BenchmarkSpec) -> int:
    dim, eq, text = args.sweep.partition("=")
    if not eq or not dim:
        raise InputError(f"--sweep must look like DIM=1,2,4 or DIM=1..64, not {args.sweep!r}")
    values = parse_values(text)
    report, _, inputs, notes = prepare(args)
    free = sweepable_dims(report.inputs)
    follows = derived_dims(free_dims(report.inputs)).get(dim)
    if follows is not None:
        raise InputError(f"--sweep {dim}: it follows {follows}; sweep one of the dims it names")
    if dim not in free:
        raise InputError(f"--sweep {dim}: not a free dim of this model's inputs"
                         + (f"; its free dims: {', '.join(free)}" if free else " (every dim is fixed)"))

    def feeds_for(value: int) -> dict:
        return prepare(argparse.Namespace(**{**vars(args), "dim": [*args.dim, f"{dim}={value}"]}))[1]

    points: list[SweepPoint] = []
    with Engine(args.model, session_config(args), memory_limit_bytes=memory_limit(args),
                timeout_s=args.timeout) as engine:
        info = engine.create_session()
        for item in sweep(engine, dim, values, feeds_for, spec, is_batch(report.inputs, dim)):
            if isinstance(item, SweepPoint):
                points.append(item)
    if args.json:
        print_json({"model": str(args.model), "providers": list(info.providers), "session_create_ms": info.create_ms,
                    "mode": "io_binding" if spec.io_binding else "run", "inputs": inputs, "notes": notes,
                    "sweep": [p.to_dict() for p in points]})
        return 0
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"providers   {', '.join(info.providers)}  ({'IO binding' if spec.io_binding else 'run'}); "
          f"session {info.create_ms:.1f} ms")
    batch = is_batch(report.inputs, dim)
    print(f"{dim:>10} {'iterations':>10} {'median ms':>10} {'p90 ms':>9} {'p99 ms':>9} {'runs/s':>9}"
          + (f" {'items/s':>10} {'ms/item':>9}" if batch else ""))
    for p in points:
        st = p.result.stats
        line = (f"{p.value:>10} {p.result.iterations:>10} {st.median:>10.4f} {st.p90:>9.4f} {st.p99:>9.4f} "
                f"{st.throughput_per_s:>9.1f}")
        if batch:
            line += f" {p.items_per_s:>10.1f} {st.median / p.value:>9.4f}"
        print(line)
    return 0


def run(args: argparse.Namespace) -> int:
    if getattr(args, "sweep", None):
        return _sweep(args, BenchmarkSpec(warmup=args.warmup, warmup_s=args.warmup_time, iterations=args.iterations,
                                          duration_s=args.duration if args.iterations is None else None,
                                          io_binding=args.io_binding))
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
