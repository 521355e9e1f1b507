"""A folder of pictures for a model that takes one at a time (its batch fixed at 1, as most exports are): one run
per picture in one session, the outputs stacked as if the folder were a batch, so that each picture's classes,
named by its file, read as rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from onnxstudio.core.engine import Engine, RunResult, describe_output
from onnxstudio.core.imaging import image_files
from onnxstudio.core.inputs import ImageSource, Source, build_feeds
from onnxstudio.core.values import ValueSpec


def one_at_a_time(specs: Sequence[ValueSpec], sources: Mapping[str, Any]) -> tuple[str, list[Path]] | None:
    """The input given a folder of several pictures that takes one picture a run (an NCHW/NHWC input whose batch
    is fixed at 1), and the folder's pictures; None when there is none."""
    for spec in specs:
        source = sources.get(spec.name)
        if not (isinstance(source, ImageSource) and source.path and Path(source.path).is_dir()):
            continue
        if spec.shape is not None and len(spec.shape) == 4 and spec.shape[0] == 1:
            files = image_files(source.path)
            if len(files) > 1:
                return spec.name, files
    return None


@dataclass(frozen=True)
class EachRequest:
    """The inputs' sources with one input's folder to run picture by picture (see :func:`one_at_a_time`)."""

    specs: tuple[ValueSpec, ...]
    sources: dict[str, Source]
    dims: dict[str, int]
    name: str
    files: tuple[str, ...]

    @classmethod
    def find(cls, specs: Sequence[ValueSpec], sources: Mapping[str, Any], dims: Mapping[str, int]
             ) -> EachRequest | None:
        found = one_at_a_time(specs, sources)
        if found is None:
            return None
        return cls(tuple(specs), dict(sources), dict(dims), found[0], tuple(str(f) for f in found[1]))

    def sources_for(self, i: int) -> dict[str, Source]:
        """The sources with picture ``i`` in place of the folder."""
        return {**self.sources, self.name: replace(self.sources[self.name], path=self.files[i])}  # type: ignore[type-var]

    def feeds_for(self, i: int, notes: list[str] | None = None) -> dict[str, Any]:
        return build_feeds(list(self.specs), self.sources_for(i), self.dims, notes)


def stack(results: Sequence[RunResult]) -> RunResult:
    """Runs' outputs as one run's: tensors of one shape joined on their batch axis ([1, C] each: [N, C]; no batch
    axis: stacked on a new one), others (shapes that differ, sequences, maps) as a sequence of the runs' values.
    Its time: the runs' together."""
    first = results[0]
    outputs = []
    for i, out in enumerate(first.outputs):
        values = [r.outputs[i].value for r in results]
        if all(isinstance(v, np.ndarray) for v in values) and len({(v.shape, v.dtype) for v in values}) == 1:
            joined: Any = np.concatenate(values) if values[0].ndim and values[0].shape[0] == 1 else np.stack(values)
        else:
            joined = values
        outputs.append(describe_output(out.name, joined))
    return RunResult(tuple(outputs), sum(r.run_ms for r in results), first.session,
                     max(r.peak_memory_bytes for r in results))


def pick(result: RunResult, i: int, n: int) -> RunResult:
    """Picture ``i`` of ``n``'s outputs out of a :func:`stack`ed result (a batch of one, as its own run gave it)."""
    outputs = []
    for out in result.outputs:
        value = out.value
        if isinstance(value, np.ndarray) and value.ndim and value.shape[0] == n:
            value = value[i:i + 1]
        elif isinstance(value, list) and len(value) == n:
            value = value[i]
        outputs.append(describe_output(out.name, value))
    return RunResult(tuple(outputs), result.run_ms / n, result.session, result.peak_memory_bytes)


def run_each(engine: Engine, request: EachRequest) -> RunResult:
    """One run per picture of the request's folder, in the engine's session, stacked (:func:`stack`); Stop ends
    it (CancelledError) with nothing shown."""
    return stack([engine.run(request.feeds_for(i)) for i in range(len(request.files))])
