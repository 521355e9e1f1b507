"""A benchmark swept over the values of one input dimension (batch 1, 2, 4, ... or a sequence length) in one
session: latency and throughput at each, for the throughput-latency trade-off of a dynamic-shape model.

The inputs are built again for each value (the same sources: a picture fills a larger batch, random data is
drawn for the new shape); the session is kept, as onnxruntime serves every shape from one session.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onnxstudio.core.dims import derived_dims
from onnxstudio.core.engine import BenchmarkResult, BenchmarkSpec, Engine, TimingBatch
from onnxstudio.core.errors import InputError
from onnxstudio.core.imaging import image_files
from onnxstudio.core.inputs import ImageSource, build_feeds, free_dims
from onnxstudio.core.values import ValueSpec

MAX_POINTS = 32


def parse_values(text: str) -> tuple[int, ...]:
    """"1, 2, 4, 8" (any separators) or "1..64" (the powers of two from 1 to 64), positive integers."""
    text = text.strip()
    span = re.fullmatch(r"(\d+)\s*\.\.\s*(\d+)", text)
    if span:
        lo, hi = int(span.group(1)), int(span.group(2))
        if lo < 1 or hi < lo:
            raise InputError(f"sweep values {text!r}: write LOW..HIGH with 1 <= LOW <= HIGH")
        values, v = [], lo
        while v <= hi:
            values.append(v)
            v *= 2
        return tuple(values)
    parts = [p for p in re.split(r"[\s,;]+", text) if p]
    try:
        values = [int(p) for p in parts]
    except ValueError:
        raise InputError(f"sweep values {text!r}: give whole numbers such as 1,2,4,8 or a range 1..64") from None
    if not values or min(values) < 1:
        raise InputError(f"sweep values {text!r}: give one or more whole numbers of 1 or more")
    if len(values) > MAX_POINTS:
        raise InputError(f"sweep values {text!r}: at most {MAX_POINTS} values")
    return tuple(dict.fromkeys(values))


def sweepable_dims(specs: Sequence[ValueSpec]) -> list[str]:
    """The free dims a sweep can vary, named as ``--dim`` takes them: all but those that follow others (a decoder's
    ``past_sequence_length + 1`` follows its cache: sweep ``past_sequence_length``)."""
    names = free_dims(specs)
    derived = derived_dims(names)
    return [name for name in names if name not in derived]


def is_batch(specs: Sequence[ValueSpec], dim: str) -> bool:
    """Whether ``dim`` is the first axis of an input: each run then handles ``value`` items."""
    for spec in specs:
        shape = spec.shape or ()
        if shape and (shape[0] == dim or dim == f"{spec.name}:0"):
            return True
    return False


@dataclass(frozen=True)
class SweepPoint:
    dim: str
    value: int
    result: BenchmarkResult
    items_per_run: int  # the value for a batch dim, else 1

    @property
    def items_per_s(self) -> float:
        return self.result.stats.throughput_per_s * self.items_per_run

    def to_dict(self) -> dict[str, Any]:
        s = self.result.stats
        return {"dim": self.dim, "value": self.value, "iterations": self.result.iterations,
                "latency_ms": {k: getattr(s, k) for k in ("min", "median", "mean", "p90", "p99", "max")},
                "runs_per_s": s.throughput_per_s, "items_per_run": self.items_per_run,
                "items_per_s": self.items_per_s, "cancelled": self.result.cancelled}


def sweep(engine: Engine, dim: str, values: Sequence[int], feeds_for: Callable[[int], dict[str, Any]],
          spec: BenchmarkSpec, batch: bool) -> Iterator[tuple[int, TimingBatch] | SweepPoint]:
    """Benchmark each value in turn: yields (value, TimingBatch) while one runs and a SweepPoint when it is
    done; stops after a point that was cancelled."""
    for value in values:
        feeds = feeds_for(value)
        for item in engine.benchmark(feeds, spec):
            if isinstance(item, TimingBatch):
                yield value, item
            else:
                yield SweepPoint(dim, int(value), item, int(value) if batch else 1)
                if item.cancelled:
                    return


@dataclass(frozen=True)
class SweepRequest:
    """What the app sends its worker: the dim, its values, and the inputs' sources to build feeds from."""

    dim: str
    values: tuple[int, ...]
    specs: tuple[ValueSpec, ...]
    sources: dict[str, Any]  # input name -> Source (inputs.py)
    dims: dict[str, int]  # the other free dims, as set

    @property
    def batch(self) -> bool:
        return is_batch(self.specs, self.dim)

    def check(self) -> None:
        """Refuse a batch sweep over a folder of pictures: the folder is the batch, whatever the value."""
        if not self.batch:
            return
        for name, source in self.sources.items():
            if isinstance(source, ImageSource) and source.path and Path(source.path).is_dir():
                n = len(image_files(source.path))
                if n == 1:
                    continue
                raise InputError(f"input {name!r} is a folder of {n} pictures, which fixes the batch at {n}: give "
                                 f"one picture (it fills each batch) or random data to sweep {self.dim}")

    def feeds_for(self, value: int) -> dict[str, Any]:
        return build_feeds(list(self.specs), self.sources, {**self.dims, self.dim: int(value)})
