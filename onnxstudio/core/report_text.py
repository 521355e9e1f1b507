"""A model report as plain text: what ``onnxstudio inspect`` prints and the app's "Copy as text" copies."""

from __future__ import annotations

from onnxstudio.core.compute import ComputeCost, format_count, format_flops
from onnxstudio.core.inspection import ModelReport


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def format_report(r: ModelReport, *, shapes: bool = False) -> str:
    """Aligned lines: file, producer, opsets, metadata, counts, inputs, outputs, ops, warnings (and the
    inferred shapes of intermediate values where ``shapes``)."""
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
    if r.parameter_count is None or r.parameter_bytes is None:  # the app counts them after showing the model
        lines.append(f"Parameters  not counted yet, in {r.initializer_count} initializers")
    else:
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
    if r.compute is not None:
        lines += compute_lines(r.compute, nodes=10 if shapes else 0)
    if shapes and r.inferred:
        lines.append("Inferred shapes")
        lines += [f"  {v.name}: {v.type_str} {v.shape_text()}" for v in r.inferred]
    for w in r.warnings:
        lines.append(f"Warning     {w}")
    return "\n".join(lines)


def compute_summary(c: ComputeCost) -> str:
    """One line: ``4.09 G MACs (8.18 GFLOPs) a run at batch=1, height=224: Conv 99.9%, Gemm 0.1%``."""
    text = f"{format_count(c.total)} MACs ({format_flops(c.flops)}) a run"
    if c.dims:
        text += " at " + ", ".join(f"{k}={v}" for k, v in c.dims.items())
    if c.total:
        text += ": " + ", ".join(f"{op} {m / c.total:.1%}" for op, m in list(c.by_op.items())[:4])
    return text


def compute_notes(c: ComputeCost) -> list[str]:
    """What the count leaves out: nodes whose shapes are unknown, nodes inside control flow."""
    notes = []
    if c.from_run:
        notes.append(f"{c.from_run} node(s) counted with shapes from a run at these sizes (shape inference could "
                     "not tell them)")
    if c.unknown:
        notes.append(f"{len(c.unknown)} node(s) not counted: shape inference could not tell their shapes")
    if c.nested:
        notes.append(f"{c.nested} node(s) inside If/Loop/Scan bodies not counted")
    return notes


def compute_lines(c: ComputeCost, nodes: int = 0) -> list[str]:
    """The ``Compute`` lines of the text report; with ``nodes``, the nodes doing the most MACs."""
    lines = ["Compute     " + compute_summary(c)] + [f"            {n}" for n in compute_notes(c)]
    if nodes and c.macs:
        lines.append("Most MACs")
        lines += [f"  {c.names.get(i) or f'#{i}'} ({c.ops.get(i, '?')}): {format_count(m)} ({m / c.total:.1%})"
                  for i, m in c.top(nodes)]
    return lines
