"""Where a run's time goes: onnxruntime's profiler read per kernel, per op type and per execution provider.

onnxruntime writes one Chrome-trace event per kernel call (``cat: "Node"``, ``<node name>_kernel_time``, with
its op, provider and node index) and one per ``model_run``. This module turns such a trace into a
:class:`Profile`: the calls of the warm-up runs dropped (they fall inside the first ``model_run`` events),
the kernels that run inside another one (an If/Loop/Scan body) kept apart so that no time counts twice, and
each kernel tied to the model node it stands for. The optimizer renames what it rewrites, so a kernel is tied
by, in turn: its name (a fused ``FusedConv`` keeps its Conv's name), its index where onnxruntime named an
unnamed node ``<op>_<index>``, the name with the optimizer's marks taken off (``fused ``, ``_nchwc``,
``_bn_nchwc``, ``_token_N``, ``/MatMulAddFusion``), the tensor it is named after, and the longest node name it starts with. What is left
was added by onnxruntime (layout reorders, reshapes): its time is shown apart, never spread over the graph.

No onnxruntime import here: :func:`read_trace` takes the parsed events, so it is tested on real traces and
the child process (``child_tasks.profile``) does the running.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from onnxstudio.core.stats import LatencyStats

_SUFFIX = "_kernel_time"
_TOKEN = re.compile(r"_token_\d+$")
# the NCHWc layout transformer names what it rewrites after the output: "<tensor>_nchwc", a BatchNormalization
# turned into a 1x1 Conv "<tensor>_bn_nchwc"
_LAYOUT = re.compile(r"(_bn)?_nchwc$|_nhwc$")
# how a kernel stands for a node: the node itself, a rewrite of it (fusion, layout), or nothing of the model
NODE, FUSED, ADDED, NESTED = "node", "fused", "added", "nested"


@dataclass
class Kernel:
    """One kernel of the profiled session, its calls summed over the measured runs."""

    name: str  # onnxruntime's node name (the optimizer's, for what it rewrote)
    op: str  # the kernel's op type (FusedConv, ReorderOutput, ...)
    provider: str
    index: int  # onnxruntime's node index (in its own graph, or a subgraph's)
    calls: int = 0
    total_us: float = 0.0
    shapes: str = ""  # input shapes of its last call, e.g. "1x3x224x224, 64x3x7x7"
    inside: str = ""  # the kernel whose run holds this one (an If/Loop/Scan body), "" at the top
    node: int | None = None  # the model's main-graph node it stands for
    node_name: str = ""  # that node's name in the file ("" for an unnamed one)
    how: str = ADDED

    def ms_per_run(self, runs: int) -> float:
        return self.total_us / 1000.0 / max(runs, 1)


@dataclass
class Trace:
    """A profiler trace reduced to its kernels and measured runs."""

    kernels: list[Kernel]
    run_ms: np.ndarray = field(repr=False)  # each measured model_run, in ms
    session_ms: float  # model loading + session initialization
    warmup_runs: int


def _shapes(args: dict[str, Any]) -> str:
    parts = []
    items = args.get("input_type_shape")
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict):
            for _, dims in item.items():
                parts.append("x".join(str(d) for d in dims) if isinstance(dims, list) and dims else "scalar")
    return ", ".join(parts)


def _num(v: Any) -> float:
    """A trace field as a number (0 where it is missing or not one: a trace is onnxruntime's, but read safely)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return 0.0
    return f if math.isfinite(f) else 0.0


def read_trace(events: Sequence[Any], warmup_runs: int = 0, runs: int | None = None) -> Trace:
    """Kernels and run times of a trace (``json.load`` of ``end_profiling()``'s file); the first
    ``warmup_runs`` model runs and their kernels' calls are left out, and so is what follows the ``runs``
    measured after them (a run stopped half-way)."""
    events = [e for e in events if isinstance(e, dict)]
    all_runs = sorted((_num(e.get("ts")), _num(e.get("dur"))) for e in events
                      if e.get("cat") == "Session" and e.get("name") == "model_run")
    measured = all_runs[warmup_runs:] if runs is None else all_runs[warmup_runs:warmup_runs + runs]
    cut = measured[0][0] if measured else float("inf")
    end = measured[-1][0] + measured[-1][1] if measured and runs is not None else float("inf")
    session_us = sum(_num(e.get("dur")) for e in events if e.get("cat") == "Session"
                     and e.get("name") in ("model_loading_uri", "model_loading_array", "session_initialization"))
    nodes = [e for e in events if e.get("cat") == "Node" and str(e.get("name", "")).endswith(_SUFFIX)
             and cut <= _num(e.get("ts")) <= end]
    # A kernel whose call lies within another's on the same thread runs inside it (a control-flow body).
    nodes.sort(key=lambda e: (str(e.get("tid")), _num(e.get("ts")), -_num(e.get("dur"))))
    kernels: dict[tuple[str, str, str], Kernel] = {}
    open_: list[tuple[float, str, str]] = []  # (end, tid, outermost kernel name) of calls still open
    for e in nodes:
        ts, dur, tid = _num(e.get("ts")), _num(e.get("dur")), str(e.get("tid"))
        while open_ and (open_[-1][1] != tid or open_[-1][0] < ts + dur):
            open_.pop()
        name = str(e["name"])[: -len(_SUFFIX)]
        inside = open_[0][2] if open_ else ""
        args = e.get("args") if isinstance(e.get("args"), dict) else {}
        key = (name, inside, str(args.get("provider", "")))
        k = kernels.get(key)
        if k is None:
            try:
                index = int(args.get("node_index", -1))
            except (TypeError, ValueError):
                index = -1
            k = kernels[key] = Kernel(name, str(args.get("op_name", "")), str(args.get("provider", "")), index,
                                      inside=inside, how=NESTED if inside else ADDED)
        k.calls += 1
        k.total_us += dur
        k.shapes = _shapes(args) or k.shapes
        open_.append((ts + dur, tid, inside or name))
    return Trace(list(kernels.values()), np.array([d / 1000.0 for _, d in measured], dtype=np.float64),
                 session_us / 1000.0, min(warmup_runs, len(all_runs)))


def _stripped(name: str) -> str:
    if name.startswith("fused "):
        name = name[len("fused "):]
    return _LAYOUT.sub("", _TOKEN.sub("", name))


def _prefix_node(name: str, by_name: dict[str, int]) -> int | None:
    """The node whose name the kernel's starts with, cut at a separator: "/fc1/MatMul/MatMulAddFusion"."""
    for cut in range(len(name) - 1, 0, -1):
        if name[cut] in "/_ " and name[:cut] in by_name:
            return by_name[name[:cut]]
    return None


def _base_op(op: str) -> str:
    return op[len("Fused"):] if op.startswith("Fused") and len(op) > len("Fused") else op


def _producer_of_op(i: int, op: str, ops: Sequence[str], inputs: Sequence[Sequence[str]],
                    by_output: dict[str, int], hops: int = 2) -> int | None:
    """A node up to ``hops`` producers above node ``i`` whose op is ``op``: a Conv fused with the Relu after it
    is named after the Relu's output, and its time is the Conv's."""
    frontier = [i]
    for _ in range(hops):
        nxt = []
        for j in frontier:
            for name in inputs[j] if j < len(inputs) else ():
                p = by_output.get(name)
                if p is not None and p != j:
                    nxt.append(p)
        for p in nxt:
            if ops[p] == op:
                return p
        frontier = nxt
    return None


def attribute(kernels: list[Kernel], names: Sequence[str], ops: Sequence[str], outputs: Sequence[Sequence[str]],
              inputs: Sequence[Sequence[str]] = ()) -> None:
    """Tie each top-level kernel to the main-graph node it stands for (``Kernel.node`` / ``how``), in place.

    ``names``, ``ops``, ``outputs``, ``inputs``: the model's main-graph nodes in order (names as in the file,
    "" unnamed).
    """
    by_name = {n: i for i, n in enumerate(names) if n}
    by_output: dict[str, int] = {}
    for i, outs in enumerate(outputs):
        for o in outs:
            if o:
                by_output.setdefault(o, i)
    for k in kernels:
        if k.inside:
            continue
        i = by_name.get(k.name)
        if i is None and 0 <= k.index < len(ops) and ops[k.index] == k.op and not names[k.index] \
                and k.name == f"{k.op}_{k.index}":
            i = k.index  # onnxruntime names an unnamed node <op>_<index>
        if i is not None:
            k.node, k.node_name, k.how = i, names[i], NODE if ops[i] == k.op else FUSED
            continue
        base = _stripped(k.name)
        i = by_name.get(base)
        if i is None:
            i = by_output.get(base)
        if i is None:
            i = _prefix_node(base, by_name)
        if i is not None and ops[i] != _base_op(k.op) and inputs and not k.name.endswith("_bn_nchwc"):
            above = _producer_of_op(i, _base_op(k.op), ops, inputs, by_output)
            i = i if above is None else above
        if i is not None:
            k.node, k.node_name, k.how = i, names[i], FUSED
        else:
            k.node, k.how = None, ADDED


def _finite(v: float) -> float | None:
    return v if math.isfinite(v) else None


@dataclass
class OpTime:
    op: str
    provider: str
    kernels: int
    ms_per_run: float
    share: float  # of the kernels' time


@dataclass
class Profile:
    """A profiled session: its kernels, tied to the model's nodes, and the measured runs."""

    kernels: list[Kernel]  # by time, the longest first
    runs: int
    run: LatencyStats
    session_ms: float
    providers: tuple[str, ...]
    optimization: str
    model_nodes: int
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_trace(cls, trace: Trace, names: Sequence[str], ops: Sequence[str], outputs: Sequence[Sequence[str]],
                   inputs: Sequence[Sequence[str]] = (), *, providers: Sequence[str] = (), optimization: str = "", notes: Sequence[str] = ()) -> Profile:
        attribute(trace.kernels, names, ops, outputs, inputs)
        kernels = sorted(trace.kernels, key=lambda k: (-k.total_us, k.name))
        return cls(kernels, len(trace.run_ms), LatencyStats.from_ms(trace.run_ms), trace.session_ms,
                   tuple(providers), optimization, len(names), list(notes))

    @cached_property
    def top(self) -> list[Kernel]:
        """The kernels of the graph itself (not those run inside a control-flow node's body)."""
        return [k for k in self.kernels if not k.inside]

    @property
    def kernel_ms(self) -> float:
        """Time in kernels per run (the rest of a run is onnxruntime's own: allocation, copies, scheduling)."""
        return sum(k.total_us for k in self.top) / 1000.0 / max(self.runs, 1)

    def node_ms(self) -> dict[int, float]:
        """Per run, the time of each main-graph node (with what was fused into it)."""
        out: dict[int, float] = defaultdict(float)
        for k in self.top:
            if k.node is not None:
                out[k.node] += k.ms_per_run(self.runs)
        return dict(out)

    def node_providers(self) -> dict[int, str]:
        """Where each main-graph node ran (the provider of its longest kernel)."""
        out: dict[int, tuple[float, str]] = {}
        for k in self.top:
            if k.node is not None and (k.node not in out or out[k.node][0] < k.total_us):
                out[k.node] = (k.total_us, k.provider)
        return {i: p for i, (_, p) in out.items()}

    def by_op(self) -> list[OpTime]:
        total = sum(k.total_us for k in self.top) or 1.0
        acc: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0])
        for k in self.top:
            a = acc[(k.op, k.provider)]
            a[0] += 1
            a[1] += k.total_us
        rows = [OpTime(op, prov, int(n), us / 1000.0 / max(self.runs, 1), us / total)
                for (op, prov), (n, us) in acc.items()]
        return sorted(rows, key=lambda r: (-r.ms_per_run, r.op))

    def by_provider(self) -> list[OpTime]:
        """Per provider: kernels, time per run and share (``op`` holds the provider's name)."""
        total = sum(k.total_us for k in self.top) or 1.0
        acc: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        for k in self.top:
            acc[k.provider][0] += 1
            acc[k.provider][1] += k.total_us
        rows = [OpTime(p, p, int(n), us / 1000.0 / max(self.runs, 1), us / total) for p, (n, us) in acc.items()]
        return sorted(rows, key=lambda r: -r.ms_per_run)

    def macs_by_op(self, macs: dict[int, int]) -> dict[tuple[str, str], int]:
        """A model's MACs per node (``compute.ComputeCost.macs``) gathered per (kernel op, provider): each node's
        on the kernel that stands for it (its longest, where the optimizer added a reorder beside it); nodes
        without a kernel of their own (fused into another) add theirs to that kernel's node's none."""
        main: dict[int, Kernel] = {}
        for k in self.top:
            if k.node is not None and (k.node not in main or k.total_us > main[k.node].total_us):
                main[k.node] = k
        out: dict[tuple[str, str], int] = defaultdict(int)
        for node, m in macs.items():
            k = main.get(node)
            if k is not None:
                out[(k.op, k.provider)] += m
        return dict(out)

    def without_kernel(self) -> int:
        """Main-graph nodes no kernel stands for: folded into constants or fused into a neighbour."""
        return self.model_nodes - len({k.node for k in self.top if k.node is not None})

    def fallback(self) -> list[Kernel]:
        """Kernels that ran on another provider than the session's first, where that one is not the CPU (a
        CUDA or DirectML session's nodes that fell back to the CPU)."""
        first = self.providers[0] if self.providers else ""
        if not first or first == "CPUExecutionProvider":
            return []
        return [k for k in self.top if k.provider != first]

    def kernels_of(self, node: int) -> list[Kernel]:
        """The top-level kernels that stand for main-graph node ``node``."""
        return [k for k in self.top if k.node == node]

    def added_ms(self) -> float:
        return sum(k.ms_per_run(self.runs) for k in self.top if k.how == ADDED)

    def to_dict(self, top: int | None = None) -> dict[str, Any]:
        s = self.run
        kernels = self.kernels if top is None else self.kernels[:top]
        return {
            "runs": self.runs,
            "run_ms": {k: _finite(getattr(s, k)) for k in ("min", "median", "mean", "max")},
            "kernel_ms": self.kernel_ms,
            "session_ms": self.session_ms,
            "providers": list(self.providers),
            "optimization": self.optimization,
            "model_nodes": self.model_nodes,
            "nodes_without_kernel": self.without_kernel(),
            "added_ms": self.added_ms(),
            "fallback": [{"name": k.name, "op": k.op, "provider": k.provider, "node_index": k.node}
                         for k in self.fallback()],
            "by_provider": [{"provider": r.provider, "kernels": r.kernels, "ms": r.ms_per_run, "share": r.share}
                            for r in self.by_provider()],
            "by_op": [{"op": r.op, "provider": r.provider, "kernels": r.kernels, "ms": r.ms_per_run,
                       "share": r.share} for r in self.by_op()],
            "kernels": [{"name": k.name, "op": k.op, "provider": k.provider, "ms": k.ms_per_run(self.runs),
                         "calls": k.calls, "node_index": k.node, "node": k.node_name if k.node is not None else None, "mapping": k.how, "inside": k.inside or None,
                         "input_shapes": k.shapes} for k in kernels],
            "notes": list(self.notes),
        }
