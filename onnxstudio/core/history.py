"""Run history of a session: one record per run or benchmark, exported as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

SCHEMA_VERSION = 1

# Statistic columns, in export order; a record may lack some (a single run has no percentiles).
STAT_KEYS = (
    "count",
    "min",
    "mean",
    "median",
    "p90",
    "p95",
    "p99",
    "p999",
    "max",
    "std",
    "cv",
    "throughput_per_s",
)


@dataclass(frozen=True)
class RunRecord:
    """One finished run. ``latencies_ms`` stays in memory for overlays and is not exported to CSV."""

    run_id: int
    kind: str  # "run", "benchmark", or "sweep DIM=VALUE" (a point of a benchmark sweep)
    model: str
    providers: tuple[str, ...]
    requested: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    stats: Mapping[str, float] = field(default_factory=dict)
    session_create_ms: float | None = None
    first_run_ms: float | None = None
    iterations: int = 0
    cancelled: bool = False
    timestamp: float = field(default_factory=time.time)
    latencies_ms: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def label(self) -> str:
        provider = self.providers[0].replace("ExecutionProvider", "") if self.providers else "?"
        return f"#{self.run_id} {Path(self.model).name} · {provider} · {self.kind}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "kind": self.kind,
            "model": self.model,
            "providers": list(self.providers),
            "requested": list(self.requested),
            "options": _jsonable(dict(self.options)),
            "stats": {k: _num(v) for k, v in self.stats.items()},
            "session_create_ms": _num(self.session_create_ms),
            "first_run_ms": _num(self.first_run_ms),
            "iterations": self.iterations,
            "cancelled": self.cancelled,
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(self.timestamp)),
        }


def _num(v: Any) -> Any:
    if v is None:
        return None
    f = float(v)
    return None if not np.isfinite(f) else f


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def stats_to_dict(stats: Any) -> dict[str, float]:
    """Statistic fields of a stats object (dataclass or mapping) that are in STAT_KEYS."""
    if stats is None:
        return {}
    source = stats if isinstance(stats, Mapping) else {k: getattr(stats, k) for k in STAT_KEYS if hasattr(stats, k)}
    return {k: float(source[k]) for k in STAT_KEYS if k in source and source[k] is not None}


class RunHistory:
    """The runs of this app session, in order; ids count up from 1."""

    def __init__(self) -> None:
        self._records: list[RunRecord] = []
        self._next_id = 1

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[RunRecord]:
        return iter(self._records)

    def __getitem__(self, i: int) -> RunRecord:
        return self._records[i]

    def next_id(self) -> int:
        return self._next_id

    def add(self, record: RunRecord) -> RunRecord:
        self._records.append(record)
        self._next_id = max(self._next_id, record.run_id + 1)
        return record

    def by_id(self, run_id: int) -> RunRecord | None:
        return next((r for r in self._records if r.run_id == run_id), None)

    def clear(self) -> None:
        self._records.clear()

    def to_json(self) -> str:
        return json.dumps(
            {"schema_version": SCHEMA_VERSION, "runs": [r.to_dict() for r in self._records]}, indent=2
        )

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        head = ["run_id", "timestamp", "kind", "model", "providers", "requested", "options", "iterations",
                "cancelled", "session_create_ms", "first_run_ms"]
        writer.writerow(head + [f"{k}" if k in ("count", "cv", "throughput_per_s") else f"{k}_ms" for k in STAT_KEYS])
        for r in self._records:
            d = r.to_dict()
            row = [d["run_id"], d["timestamp"], d["kind"], d["model"], ";".join(d["providers"]),
                   ";".join(d["requested"]), json.dumps(d["options"], sort_keys=True), d["iterations"],
                   d["cancelled"], _cell(d["session_create_ms"]), _cell(d["first_run_ms"])]
            writer.writerow(row + [_cell(d["stats"].get(k)) for k in STAT_KEYS])
        return buf.getvalue()

    def save(self, path: str | Path) -> Path:
        """Write CSV or JSON, chosen by the file's suffix (``.csv``; anything else is JSON)."""
        path = Path(path)
        text = self.to_csv() if path.suffix.lower() == ".csv" else self.to_json()
        path.write_text(text, encoding="utf-8")
        return path


def _cell(v: Any) -> str:
    return "" if v is None else f"{v:.6g}"
