"""Iterate the graphs (main, subgraphs, local functions) and tensors of a ModelProto."""

from __future__ import annotations

from collections.abc import Iterator

import onnx
from onnx import AttributeProto


def iter_subgraphs(node: onnx.NodeProto) -> Iterator[tuple[str, onnx.GraphProto]]:
    """(attribute name, graph) of each graph attribute of ``node`` (If branches, Loop/Scan bodies)."""
    for attr in node.attribute:
        if attr.type == AttributeProto.GRAPH:
            yield attr.name, attr.g
        elif attr.type == AttributeProto.GRAPHS:
            for i, g in enumerate(attr.graphs):
                yield f"{attr.name}[{i}]", g


def iter_graphs(model: onnx.ModelProto) -> Iterator[tuple[str, onnx.GraphProto]]:
    """Every graph with a path like ``main``, ``main/If_0:then_branch``, depth first."""
    stack: list[tuple[str, onnx.GraphProto]] = [("main", model.graph)]
    while stack:
        path, graph = stack.pop()
        yield path, graph
        for node in graph.node:
            if node.attribute:
                for attr_name, sub in iter_subgraphs(node):
                    stack.append((f"{path}/{node.name or node.op_type}:{attr_name}", sub))


def iter_all_nodes(model: onnx.ModelProto) -> Iterator[onnx.NodeProto]:
    """Nodes of every graph and every local function (and subgraphs inside function bodies)."""
    for _, graph in iter_graphs(model):
        yield from graph.node
    for func in model.functions:
        stack = list(func.node)
        while stack:
            node = stack.pop()
            yield node
            for _, sub in iter_subgraphs(node):
                stack.extend(sub.node)


def iter_tensors(model: onnx.ModelProto) -> Iterator[onnx.TensorProto]:
    """Initializers, sparse initializers' values and tensor attributes, in all graphs and functions."""
    for _, graph in iter_graphs(model):
        yield from graph.initializer
        for sparse in graph.sparse_initializer:
            yield sparse.values
            yield sparse.indices
        for node in graph.node:
            yield from _attribute_tensors(node)
    for func in model.functions:
        for node in func.node:
            yield from _attribute_tensors(node)


def _attribute_tensors(node: onnx.NodeProto) -> Iterator[onnx.TensorProto]:
    for attr in node.attribute:
        if attr.type == AttributeProto.TENSOR:
            yield attr.t
        elif attr.type == AttributeProto.TENSORS:
            yield from attr.tensors
        elif attr.type == AttributeProto.SPARSE_TENSOR:
            yield attr.sparse_tensor.values
            yield attr.sparse_tensor.indices
