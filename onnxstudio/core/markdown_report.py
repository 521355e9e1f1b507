"""A reproducible report of a session with a model, as Markdown: the machine and libraries it ran on, the model,
the session options and inputs, what was measured (runs, benchmarks, profile, comparison), and the command lines
that repeat it. Whatever was not done is left out; nothing here runs anything."""

from __future__ import annotations

import math
import os
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onnxstudio.core.compare import CompareResult
from onnxstudio.core.engine import RunResult
from onnxstudio.core.history import RunRecord
from onnxstudio.core.inspection import ModelReport
from onnxstudio.core.outputs import output_stats
from onnxstudio.core.profiling import Profile
from onnxstudio.core.providers import SessionConfig, display_name
from onnxstudio.core.report_text import format_report
from onnxstudio.core.stats import format_ms


@dataclass
class ReportParts:
    model: ModelReport
    config: SessionConfig
    inputs: list[tuple[str, str]] = field(default_factory=list)  # (input name, its source and recipe in words)
    last_run: RunResult | None = None
    history: Sequence[RunRecord] = ()
    profile: Profile | None = None
    comparison: CompareResult | None = None
    commands: list[tuple[str, str]] = field(default_factory=list)  # (what it repeats, the command line)


def _cpu() -> str:
    name = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("model name"):
                    name = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{name} ({os.cpu_count() or '?'} logical cores)"


def _memory() -> str:
    try:
        import psutil

        return f"{psutil.virtual_memory().total / 2**30:.1f} GiB"
    except Exception:
        return "unknown"


def environment() -> list[tuple[str, str]]:
    """The machine and library versions, as (name, value) rows."""
    import numpy
    import onnx
    import onnxruntime as ort

    from onnxstudio import __version__

    return [
        ("ONNX Studio", __version__),
        ("System", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("CPU", _cpu()),
        ("Memory", _memory()),
        ("Python", sys.version.split()[0]),
        ("onnxruntime", f"{ort.__version__} ({', '.join(ort.get_available_providers())})"),
        ("onnx", onnx.__version__),
        ("numpy", numpy.__version__),
    ]


def _ms(v: float | None) -> str:
    return format_ms(v, "–")


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + \
        ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]


_SHOWN = ("warmup", "iterations", "duration_s", "io_binding", "sweep", "intra_op_threads", "graph_optimization")


def _options(options: Any) -> str:
    """A benchmark's options worth a column: what was measured how, and session options set away from defaults."""
    shown = []
    for key in _SHOWN:
        v = options.get(key)
        if v in (None, False, 0, "") or (key == "graph_optimization" and v == "all"):
            continue
        shown.append(f"{key}={v}")
    return ", ".join(shown)


def build_markdown(parts: ReportParts, env: list[tuple[str, str]] | None = None) -> str:
    m, cfg = parts.model, parts.config
    out = [f"# ONNX Studio report: {Path(m.path).name}", "",
           f"Written {time.strftime('%Y-%m-%d %H:%M:%S %Z')}.", "", "## Environment", ""]
    out += _table(("", ""), env if env is not None else environment())
    out += ["", "## Model", "", "```", format_report(m).rstrip(), "```", "", "## Session", ""]
    opts = [("Providers", ", ".join(cfg.providers)), ("Threads", str(cfg.intra_op_threads or "onnxruntime's default")),
            ("Graph optimization", cfg.graph_optimization), ("Execution mode", cfg.execution_mode),
            ("Memory arena", "on" if cfg.enable_mem_arena else "off")]
    opts += [(f"{p} options", ", ".join(f"{k}={v}" for k, v in o.items())) for p, o in cfg.provider_options.items()]
    out += _table(("", ""), opts)
    if parts.inputs:
        out += ["", "## Inputs", ""] + _table(("Input", "Source"), parts.inputs)
    if parts.last_run is not None:
        r = parts.last_run
        out += ["", "## Last run", "", f"{_ms(r.run_ms)} on {', '.join(r.session.providers)}; session created in "
                f"{_ms(r.session.create_ms)}.", ""]
        rows = []
        for o in r.outputs:
            if o.kind == "tensor" and o.value is not None:
                st = output_stats(o.value)
                rows.append((o.name, o.dtype, "×".join(map(str, o.shape or ())) or "scalar", st.summary()))
            else:
                rows.append((o.name, o.kind, "", ""))
        out += _table(("Output", "Type", "Shape", "Values"), rows)
    benches = [r for r in parts.history if r.kind != "run"]
    if benches:
        out += ["", "## Benchmarks", ""]
        out += _table(("Run", "Kind", "Providers", "Options", "Iterations", "Median", "p90", "p99", "Throughput"),
                      [(f"#{r.run_id}", r.kind, ", ".join(map(display_name, r.providers)),
                        _options(r.options),
                        r.iterations, _ms(r.stats.get("median")), _ms(r.stats.get("p90")), _ms(r.stats.get("p99")),
                        f"{r.stats.get('throughput_per_s', float('nan')):,.1f}/s")
                       for r in benches])
    if parts.profile is not None:
        p = parts.profile
        out += ["", "## Profile", "", f"{p.runs} runs on {', '.join(p.providers)} (optimization "
                f"{p.optimization}): median {_ms(p.run.median)}, mean {_ms(p.run.mean)}, {_ms(p.kernel_ms)} of "
                "it in kernels. "
                f"{p.model_nodes:,} model nodes, {len(p.top):,} kernels; {p.without_kernel():,} nodes folded or "
                "fused away.", "", "Placement:", ""]
        out += _table(("Provider", "Kernels", "Per run", "Share"),
                      [(r.provider, r.kernels, _ms(r.ms_per_run), f"{r.share:.1%}") for r in p.by_provider()])
        fallback = p.fallback()
        if fallback:
            out += ["", f"{len(fallback)} kernels fell back from {p.providers[0]}: "
                    + ", ".join(f"{k.name} ({k.op})" for k in fallback[:20]) + (", ..." if len(fallback) > 20 else "")]
        out += ["", "Op types:", ""] + _table(
            ("Op", "Provider", "Kernels", "Per run", "Share"),
            [(r.op, display_name(r.provider), r.kernels, _ms(r.ms_per_run), f"{r.share:.1%}")
             for r in p.by_op()[:15]])
        total = sum(k.total_us for k in p.top) or 1.0
        out += ["", "Slowest kernels:", ""] + _table(
            ("Kernel", "Op", "Model node", "Per run", "Share", "Input shapes"),
            [(k.name, k.op, k.node_name or ("" if k.node is None else f"#{k.node}"), _ms(k.ms_per_run(p.runs)),
              f"{k.total_us / total:.1%}", k.shapes) for k in p.top[:15]])
    if parts.comparison is not None:
        c = parts.comparison
        spec = c.spec
        out += ["", "## Comparison", "",
                f"A: {c.model_a} on {', '.join(c.a.session.providers)} (optimization "
                f"{c.config_a.graph_optimization}); B: {spec.model_b} on {', '.join(c.b.session.providers)} "
                f"(optimization {spec.config_b.graph_optimization}); rtol {spec.rtol:g}, atol {spec.atol:g}: "
                + ("every output within tolerance." if c.ok else
                   f"{sum(not d.ok for d in c.diffs)} of {len(c.diffs)} outputs differ."), ""]
        out += _table(("Output", "", "Max abs diff", "Max rel diff", "Cosine", "Outside tolerance", "Detail"),
                      [(d.name, "✓" if d.ok else "✗", "–" if d.max_abs is None else f"{d.max_abs:.3g}",
                        "–" if d.max_rel is None else f"{d.max_rel:.3g}",
                        "–" if d.cosine is None or not math.isfinite(d.cosine) else f"{d.cosine:.6f}",
                        f"{d.mismatched:,} of {d.size:,}", d.detail) for d in c.diffs])
        if c.layers is not None:
            first = c.layers.first
            out += ["", f"Layer by layer: {len(c.layers.layers):,} tensors compared, {c.layers.differing:,} differ"
                    + (f"; the difference starts at node #{first.node} {first.node_name} ({first.op}), "
                       f"{first.diff.name}: {first.diff.detail}." if first is not None else "; every tensor agrees.")]
    if parts.commands:
        out += ["", "## Repeat it", ""]
        for what, line in parts.commands:
            out += [f"{what}:", "", "```", line, "```", ""]
    return "\n".join(out).rstrip() + "\n"
