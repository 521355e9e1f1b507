"""onnxruntime's optimized graph saved as a model of its own, and what its optimizer changed.

onnxruntime rewrites a graph when it creates a session (constant folding, fusions such as Conv+Relu into
FusedConv, layout changes such as NCHWc at level "all") and can write the result out. Saving it shows what the
optimizer did (open it in the graph view) and lets a deployment skip the work at start-up. At level "all" the
file holds onnxruntime's own ops for this machine's CPU; "extended" stays portable (onnxruntime's advice for
models optimized offline).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from onnxstudio.core.values import as_text

EXTERNAL_ABOVE = 1 << 30  # a model this large (or with external data) is saved with its weights beside it


@dataclass(frozen=True)
class OptimizedModel:
    """The optimized model written to ``path`` (weights in ``external_data`` beside it, if any) and the op types
    of the main graph before and after."""

    path: str
    level: str
    providers: list[str]
    create_ms: float
    nodes_before: int
    nodes_after: int
    ops_before: dict[str, int] = field(default_factory=dict)
    ops_after: dict[str, int] = field(default_factory=dict)
    external_data: str | None = None

    def changes(self) -> list[tuple[str, int, int]]:
        """(op type, count before, count after) for each op type whose count changed, the largest change first."""
        ops = set(self.ops_before) | set(self.ops_after)
        rows = [(op, self.ops_before.get(op, 0), self.ops_after.get(op, 0)) for op in ops]
        return sorted((r for r in rows if r[1] != r[2]), key=lambda r: (-abs(r[2] - r[1]), r[0]))

    def summary(self) -> str:
        """One line: ``302 nodes -> 227 (level all): Conv 89 -> 0, FusedConv 0 -> 89, ...``."""
        shown = ", ".join(f"{op} {a} → {b}" for op, a, b in self.changes()[:6])
        more = len(self.changes()) - 6
        return (f"{self.nodes_before:,} nodes → {self.nodes_after:,} (level {self.level})"
                + (f": {shown}" if shown else ": no op changed") + (f", and {more} more" if more > 0 else ""))

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "changes": [{"op": op, "before": a, "after": b} for op, a, b in self.changes()]}


def op_counts(nodes: Sequence[Any]) -> dict[str, int]:
    """A graph's op types (``domain:Op`` outside the default domain), most first."""
    counts = Counter((f"{as_text(n.domain)}:" if as_text(n.domain) not in ("", "ai.onnx") else "") + as_text(n.op_type)
                     for n in nodes)
    return dict(counts.most_common())


def check_target(model_path: str | Path, out_path: str | Path) -> Path:
    """Where the optimized model may go: an .onnx file that is not the model itself."""
    from onnxstudio.core.errors import InputError

    out = Path(out_path)
    if out.suffix.lower() != ".onnx":
        raise InputError(f"{out.name}: save the optimized model as an .onnx file")
    if out.resolve() == Path(model_path).resolve():
        raise InputError(f"{out.name} is the model itself: choose another file for the optimized one")
    if not out.parent.is_dir():
        raise InputError(f"{out.parent} is not a folder")
    return out
