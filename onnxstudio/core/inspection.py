"""Describe a model completely: the data behind `onnxstudio inspect` and the app's model panel."""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any

import onnx

from onnxstudio.core.census import Census, census
from onnxstudio.core.compute import ComputeCost
from onnxstudio.core.dtypes import tensor_bytes
from onnxstudio.core.errors import StudioError
from onnxstudio.core.extdata import ExternalFile
from onnxstudio.core.filemap import mapped
from onnxstudio.core.host import ChildHost
from onnxstudio.core.loading import STRIP_THRESHOLD, LoadedModel, check_file, load_structure
from onnxstudio.core.values import ValueSpec, as_text, value_spec
from onnxstudio.core.walk import GraphEntry, ModelIndex, attribute_tensors, iter_subgraphs

SCHEMA_VERSION = 1
_DEFAULT_DOMAINS = {"", "ai.onnx"}
_STANDARD_DOMAINS = {"", "ai.onnx", "ai.onnx.ml", "ai.onnx.training", "ai.onnx.preview.training"}
# Ops onnxruntime runs without a kernel of their own: it turns Constant nodes into initializers on loading.
_WITHOUT_KERNEL = {("", "Constant")}


@dataclass
class ModelReport:
    path: str
    file_size: int
    ir_version: int
    opset_imports: dict[str, int]
    producer_name: str
    producer_version: str
    domain: str
    model_version: int
    doc_string: str
    metadata: dict[str, str]
    inputs: list[ValueSpec]
    outputs: list[ValueSpec]
    node_count: int  # every node, subgraphs and local functions included
    main_graph_nodes: int
    subgraph_count: int
    function_count: int
    op_histogram: dict[str, int]
    custom_domains: list[str]
    unsupported_ops: list[str]
    initializer_count: int
    parameter_count: int | None  # None: not counted yet (report_structure(parameters=False))
    parameter_bytes: int | None
    # tensors held by nodes (Constant values, tensor attributes): PaddlePaddle and TensorFlow exports keep
    # their weights there rather than in initializers; None like the parameters when not counted yet
    constant_count: int | None
    constant_parameters: int | None
    constant_bytes: int | None
    external_data: list[dict[str, Any]]
    checker_error: str | None = None
    shape_inference_error: str | None = None
    inferred: list[ValueSpec] | None = None
    compute: ComputeCost | None = None  # MACs of a run, from shape inference (None: not counted)
    compute_error: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["schema_version"] = SCHEMA_VERSION
        for key in ("inputs", "outputs"):
            d[key] = [v.to_dict() for v in getattr(self, key)]
        d["inferred"] = None if self.inferred is None else [v.to_dict() for v in self.inferred]
        d["compute"] = None if self.compute is None else self.compute.to_dict()
        return d

    def input(self, name: str) -> ValueSpec:
        for spec in self.inputs:
            if spec.name == name:
                return spec
        raise KeyError(name)


@lru_cache(maxsize=1)
def _ort_kernels() -> frozenset[tuple[str, str]]:
    try:
        from onnxruntime.capi import onnxruntime_pybind11_state as C

        return frozenset((k.domain or "", k.op_name) for k in C.get_all_opkernel_def())
    except Exception:  # an exotic build without the introspection API: report nothing rather than guess
        return frozenset()


def _unsupported(ops: set[tuple[str, str]], model: onnx.ModelProto) -> list[str]:
    kernels = _ort_kernels()
    if not kernels:
        return []
    local = {(f.domain, f.name) for f in model.functions}
    missing = []
    for domain, op in sorted(ops):
        dom = "" if domain in _DEFAULT_DOMAINS else domain
        if (dom, op) in kernels or (domain, op) in local or (dom, op) in _WITHOUT_KERNEL:
            continue
        try:  # ONNX function ops (no kernel) are expanded by onnxruntime
            schema = onnx.defs.get_schema(op, domain=dom)
            if schema.has_function or schema.has_context_dependent_function:
                continue
        except Exception:
            pass
        missing.append(op if not dom else f"{dom}::{op}")
    return missing


def _op_key(domain: str, op: str) -> str:
    """The op histogram's key: ``op`` for the default domain, else ``domain::op``."""
    return op if domain in _DEFAULT_DOMAINS else f"{domain}::{op}"


@dataclass
class _Counts:
    hist: Counter[str]  # "op" or "domain::op" -> nodes
    ops: set[tuple[str, str]]  # (domain, op_type)
    total: int  # nodes, subgraphs and functions included
    main_nodes: int
    subgraphs: int
    initializers: int
    parameters: int | None
    parameter_bytes: int | None
    constants: tuple[int, int, int] | None  # (tensors, elements, bytes) held by nodes


def _count_functions(model: Any, hist: Counter[str], ops: set[tuple[str, str]]) -> tuple[int, int]:
    """Add the nodes of the local functions (and their subgraphs); returns (nodes, subgraphs)."""
    total = subgraphs = 0
    for func in model.functions:
        stack = list(func.node)
        while stack:
            node = stack.pop()
            total += 1
            domain, op = as_text(node.domain), as_text(node.op_type)
            hist[_op_key(domain, op)] += 1
            ops.add((domain, op))
            for _, sub in iter_subgraphs(node):
                subgraphs += 1
                stack.extend(sub.node)
    return total, subgraphs


def _count_indexed(model: onnx.ModelProto, index: ModelIndex, parameters: bool = True) -> _Counts:
    hist: Counter[str] = Counter()
    total = 0
    for entry in index.graphs:
        hist.update(entry.op_types)
        total += len(entry.op_types)
        for domain, op in entry.custom_keys:  # re-key ops of other domains as "domain::op"
            hist[op] -= 1
            hist[f"{as_text(domain)}::{op}"] += 1
    hist = +hist  # drop zero counts
    ops = {(k.split("::")[0], k.split("::")[1]) if "::" in k else ("", k) for k in hist}
    fn_nodes, fn_subgraphs = _count_functions(model, hist, ops)
    constants = None
    if parameters:
        inits, params, nbytes = _parameters(index)
        constants = held_by_nodes(model, index)
    else:
        inits = sum(len(e.all_initializers()) + len(e.graph.sparse_initializer) for e in index.graphs)
        params = nbytes = None
    main_nodes = len(index.graphs[0].op_types) if index.graphs else 0
    return _Counts(hist, ops, total + fn_nodes, main_nodes, len(index.graphs) - 1 + fn_subgraphs,
                   inits, params, nbytes, constants)


def _count_census(c: Census) -> _Counts:
    hist: Counter[str] = Counter()
    for (domain, op), n in c.op_counts.items():
        hist[_op_key(domain, op)] += n
    ops = {("" if d in _DEFAULT_DOMAINS else d, op) for d, op in c.op_counts}
    main = sum(c.op_counts.values())
    fn_nodes, fn_subgraphs = _count_functions(c.model, hist, ops)
    in_functions = held_by_nodes(c.model, ModelIndex())
    constants = tuple(a + b for a, b in zip(c.constants, in_functions, strict=True))
    return _Counts(hist, ops, main + fn_nodes, main, fn_subgraphs, c.initializer_count, c.parameter_count,
                   c.parameter_bytes, constants)  # type: ignore[arg-type]


_tensor_meta = attrgetter("dims", "data_type")


def _parameters(index: ModelIndex, chunk: int = 8192) -> tuple[int, int, int]:
    """Initializers, parameters and bytes from dims. Read ``chunk`` tensors per C call: one call over 178k
    tensors holds the GIL for ~0.25 s, and the app counts on a worker thread beside its GUI thread."""
    count = params = nbytes = 0
    for entry in index.graphs:
        graph = entry.graph
        tensors = entry.all_initializers()
        for start in range(0, len(tensors), chunk):
            metas = list(map(_tensor_meta, tensors[start:start + chunk]))
            count += len(metas)
            for dims, data_type in metas:
                n = math.prod(dims)
                params += n
                nbytes += tensor_bytes(n, data_type)
        for sp in graph.sparse_initializer:
            count += 1
            n = math.prod(sp.values.dims)
            params += n
            nbytes += tensor_bytes(n, sp.values.data_type)
    return count, params, nbytes


def held_by_nodes(model: Any, index: ModelIndex) -> tuple[int, int, int]:
    """(tensors, elements, bytes) held by nodes: Constant values and every other tensor attribute (of a sparse
    tensor, its stored values), in every graph of ``index`` and every local function (their subgraphs too).

    Every node's attributes are read (~1 us a node: 0.12 s on a 100k-node graph, paid only where parameters are
    counted), not only the ops whose schemas take tensors: the census counts every tensor attribute of the main
    graph, valid or not, and both paths must say the same.
    """
    count = elements = nbytes = 0
    indexed = chain.from_iterable(_nodes_of(entry) for entry in index.graphs)
    in_functions = [node for func in model.functions for node in func.node]
    for node in chain(indexed, _with_subgraphs(in_functions)):
        for t in attribute_tensors(node, sparse_indices=False):
            n = math.prod(t.dims)
            count += 1
            elements += n
            nbytes += tensor_bytes(n, t.data_type)
    return count, elements, nbytes


def _nodes_of(entry: GraphEntry) -> Sequence[onnx.NodeProto]:
    return entry.lazy.nodes if entry.lazy is not None else entry.nodes or entry.graph.node


def _with_subgraphs(nodes: list[Any]) -> Iterator[Any]:
    """``nodes`` and the nodes of their subgraphs, at any depth."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        yield node
        for _, sub in iter_subgraphs(node):
            stack.extend(sub.node)


def count_parameters(loaded: LoadedModel) -> tuple[int, int, int, int, int, int]:
    """(initializers, parameters, bytes, constants, their elements, their bytes) of a loaded model: what
    ``report_structure(parameters=False)`` left out (the app counts them after showing the model: 0.4 s on
    178k initializers)."""
    return (*_parameters(loaded.index), *held_by_nodes(loaded.model, loaded.index))


def report_structure(loaded: LoadedModel, parameters: bool = True) -> ModelReport:
    """Everything that needs no native code: safe to run in-process.

    ``parameters=False``: ``parameter_count`` and ``parameter_bytes`` are None (see :func:`count_parameters`).
    """
    graph = loaded.model.graph
    main = loaded.index.graphs[0] if loaded.index.graphs else None
    names = main.initializer_names if main is not None and main.initializer_names is not None else \
        list(map(attrgetter("name"), graph.initializer))
    init_names = set(names) if graph.input else set()
    return _report(str(loaded.path), loaded.file_size, loaded.model,
                   _count_indexed(loaded.model, loaded.index, parameters), init_names, loaded.external_files)


def _report(path: str, file_size: int, m: Any, counts: _Counts, init_names: set[str],
            external_files: list[ExternalFile]) -> ModelReport:
    """The report of a model (a ModelProto or census's lite one: the same header fields) and its counts."""
    graph = m.graph
    opsets = {as_text(o.domain) or "ai.onnx": o.version for o in m.opset_import}
    # Domains that nodes use: onnx.quantize's models import six Microsoft domains that no node touches.
    custom = sorted({d for d, _ in counts.ops if d not in _STANDARD_DOMAINS})
    unsupported = _unsupported(counts.ops, m)
    report = ModelReport(
        path=path,
        file_size=file_size,
        ir_version=m.ir_version,
        opset_imports=opsets,
        producer_name=as_text(m.producer_name),
        producer_version=as_text(m.producer_version),
        domain=as_text(m.domain),
        model_version=m.model_version,
        doc_string=as_text(m.doc_string),
        metadata={as_text(p.key): as_text(p.value) for p in m.metadata_props},
        inputs=[value_spec(vi) for vi in graph.input if vi.name not in init_names],
        outputs=[value_spec(vi) for vi in graph.output],
        node_count=counts.total,
        main_graph_nodes=counts.main_nodes,
        subgraph_count=counts.subgraphs,
        function_count=len(m.functions),
        op_histogram=dict(counts.hist.most_common()),
        custom_domains=custom,
        unsupported_ops=unsupported,
        initializer_count=counts.initializers,
        parameter_count=counts.parameters,
        parameter_bytes=counts.parameter_bytes,
        constant_count=None if counts.constants is None else counts.constants[0],
        constant_parameters=None if counts.constants is None else counts.constants[1],
        constant_bytes=None if counts.constants is None else counts.constants[2],
        external_data=[asdict(f) for f in external_files],
    )
    if unsupported:
        report.warnings.append(f"the installed onnxruntime has no kernel for: {', '.join(unsupported)}")
    if external_files:
        total_ext = sum(f.size for f in external_files)
        report.warnings.append(f"weights are stored as external data in {len(external_files)} file(s), "
                               f"{total_ext / 2**20:.1f} MB; keep them next to the model")
    return report


def _fast_report(path: str | os.PathLike[str]) -> ModelReport | None:
    """The report from :mod:`census` when the file allows it (see there), else None."""
    p, size = check_file(path)
    if size >= STRIP_THRESHOLD:
        return None
    try:
        with mapped(p) as data:
            c = census(data)
    except OSError:
        return None
    if c is None:
        return None
    graph = c.model.graph
    if bytes in set(map(type, [vi.name for vi in graph.input] + [vi.name for vi in graph.output])):
        return None  # invalid UTF-8: the general path refuses the model with the right message
    return _report(str(p), size, c.model, _count_census(c), c.initializer_names or set(), [])


def inspect_model(path: str | os.PathLike[str], *, shapes: bool = True, host: ChildHost | None = None,
                  timeout_s: float = 120.0, dims: dict[str, int] | None = None) -> ModelReport:
    """Inspect ``path``; with ``shapes``, run onnx's checker and shape inference in the child process, and count
    a run's MACs with the inputs' free dims at ``dims`` (else at a run's defaults).

    A crash or failure of any is reported in the result (``checker_error``, ``shape_inference_error``,
    ``compute_error``), never raised: the structure is still described.
    """
    report = _fast_report(path)
    if report is None:
        report = report_structure(load_structure(path))
    if not shapes:
        return report
    own = host is None
    child = host or ChildHost()
    try:
        p = str(Path(path))
        try:
            report.checker_error = child.call("check_model", timeout_s=timeout_s, path=p)
        except StudioError as exc:
            report.checker_error = exc.message
        if report.checker_error:
            report.warnings.append(f"onnx checker: {report.checker_error}")
        try:
            report.inferred = child.call("infer_shapes", timeout_s=timeout_s, path=p)
        except StudioError as exc:
            report.shape_inference_error = exc.message
            report.warnings.append(f"shape inference failed: {exc.message}")
        if report.shape_inference_error is None:
            try:
                report.compute = child.call("compute_cost", timeout_s=timeout_s, path=p, dims=dims)
            except StudioError as exc:
                report.compute_error = exc.message
                report.warnings.append(f"MACs not counted: {exc.message}")
    finally:
        if own:
            child.close()
    return report
