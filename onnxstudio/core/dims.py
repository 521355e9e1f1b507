"""Free dims named as arithmetic over a model's other free dims. Qt-free.

Exporters name a dim after what it holds: Optimum's decoders take an attention mask over
``past_sequence_length + 1`` positions (the cache and the new token), torch's dynamo exporter writes ``s0 + 1``
or ``2*s0``, onnxruntime-genai's ``total_sequence_length`` is the cache and the new tokens together (and
Optimum's ``past_sequence_length + 1`` is too, where the model has a ``sequence_length``: it takes a whole prompt
on its first step). Such a dim
is not the user's to pick independently: with every free dim at 1, a decoder's mask is one position long while
its cache says two, and the run fails inside the graph. Here such a dim follows the others, unless it is set.

The expression is read with :mod:`ast` (never evaluated as Python): integers, names of the model's other free
dims, ``+ - * / // %`` and parentheses; ``/`` divides as integers do. Any other name (``batch-size``, where
``batch`` and ``size`` are not both free dims of the model) stays a dim of its own.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping, Sequence

# onnxruntime-genai's builder (and the models exported with it): the mask and the present cache hold the past
# and the new tokens, named by what they hold rather than by the sum
ALIASES = {"total_sequence_length": "past_sequence_length + sequence_length"}

# Optimum names a decoder's mask and present cache "past_sequence_length + 1" (one new token) though the same
# model takes any number of new tokens on its sequence_length dim (the prompt, on the first step): read as the sum
_ONE_NEW = re.compile(r"^\s*past_(\w+)\s*\+\s*1\s*$")

_LONGEST = 200  # characters: a longer name is not read as an expression (nor parsed into a deep tree)
_LARGEST = 2**31 - 1  # a dim above this is no size anything can allocate

_OPS: dict[type, Callable[[int, int], int]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv, ast.Div: operator.floordiv, ast.Mod: operator.mod,
}


def _tree(text: str) -> ast.expr | None:
    """``text`` as an arithmetic expression (at least one operator), or None."""
    if len(text) > _LONGEST:
        return None
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not isinstance(tree, ast.BinOp):
        return None  # a bare name or number is a dim of its own
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and type(node.op) not in _OPS:
            return None
        if isinstance(node, ast.UnaryOp) and not isinstance(node.op, (ast.USub, ast.UAdd)):
            return None
        if isinstance(node, ast.Constant) and (type(node.value) is not int):
            return None
        if not isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Constant, ast.Name, ast.operator, ast.unaryop,
                                 ast.expr_context)):
            return None
    return tree


def _names(tree: ast.expr) -> set[str]:
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def derived_dims(names: Sequence[str]) -> dict[str, str]:
    """The free dims among ``names`` that follow others -> the expression they follow (its names all among
    ``names`` and none of them derived itself)."""
    known = set(names)
    found: dict[str, tuple[str, set[str]]] = {}
    for name in names:
        text = ALIASES.get(name, name)
        new_tokens = _ONE_NEW.match(text)
        if new_tokens and new_tokens[1] in known:
            text = f"past_{new_tokens[1]} + {new_tokens[1]}"
        tree = _tree(text)
        refs = _names(tree) if tree is not None else set()
        if refs and refs <= known - {name}:
            found[name] = (text, refs)
    return {name: text for name, (text, refs) in found.items() if not refs & found.keys()}


def evaluate(text: str, values: Mapping[str, int]) -> int | None:
    """The value of the expression ``text`` at ``values``; None where a name has no value, a division is by
    zero or the result is negative or beyond any size."""
    tree = _tree(text)
    if tree is None:
        return None

    def value(node: ast.expr) -> int:
        if isinstance(node, ast.Constant):
            return int(node.value)
        if isinstance(node, ast.Name):
            return int(values[node.id])
        if isinstance(node, ast.UnaryOp):
            v = value(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        assert isinstance(node, ast.BinOp)
        return _OPS[type(node.op)](value(node.left), value(node.right))

    try:
        result = value(tree)
    except (KeyError, ZeroDivisionError, OverflowError, RecursionError):
        return None
    return result if 0 <= result <= _LARGEST else None
