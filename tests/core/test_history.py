"""Run history records and their CSV/JSON export."""

from __future__ import annotations

import csv
import io
import json
from types import SimpleNamespace

import numpy as np

from onnxstudio.core.history import RunHistory, RunRecord, stats_to_dict


def _record(run_id: int, provider: str) -> RunRecord:
    stats = SimpleNamespace(count=10, mean=1.5, median=1.4, p90=2.0, p99=2.5, cv=0.1, throughput_per_s=666.0)
    return RunRecord(
        run_id=run_id,
        kind="benchmark",
        model="/m/add.onnx",
        providers=(provider,),
        requested=(provider,),
        options={"threads": 2, "opts": {"a": np.int64(3)}},
        stats=stats_to_dict(stats),
        session_create_ms=12.0,
        first_run_ms=3.0,
        iterations=10,
        latencies_ms=np.ones(10),
    )


def test_history_exports(tmp_path):
    h = RunHistory()
    h.add(_record(h.next_id(), "CPUExecutionProvider"))
    h.add(_record(h.next_id(), "CUDAExecutionProvider"))
    assert [r.run_id for r in h] == [1, 2] and len(h) == 2
    assert h.by_id(2).label.startswith("#2 add.onnx · CUDA")
    data = json.loads(h.to_json())
    assert data["schema_version"] == 1 and data["runs"][0]["options"]["opts"]["a"] == 3
    rows = list(csv.DictReader(io.StringIO(h.to_csv())))
    assert rows[1]["providers"] == "CUDAExecutionProvider" and float(rows[0]["mean_ms"]) == 1.5
    assert rows[0]["p999_ms"] == ""
    assert json.loads(h.save(tmp_path / "h.json").read_text())["runs"]
    assert h.save(tmp_path / "h.csv").read_text().startswith("run_id,")
    h.clear()
    assert len(h) == 0 and h.next_id() == 3
