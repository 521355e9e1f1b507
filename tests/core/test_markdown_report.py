"""The Markdown report from real results: a run, a comparison, a profile; only what was done appears."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from onnxstudio.core.compare import CompareSpec, compare_runs
from onnxstudio.core.engine import Engine
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.markdown_report import ReportParts, build_markdown, environment
from onnxstudio.core.providers import SessionConfig
from tests import models


def test_the_report_holds_what_was_done_and_only_that(tmp_path: Path) -> None:
    path = models.add_model(tmp_path / "a|b.onnx")
    feeds = {"a": np.arange(4, dtype=np.float32), "b": np.ones(4, np.float32)}
    report = inspect_model(path, shapes=False)
    bare = build_markdown(ReportParts(report, SessionConfig()), env=[("System", "test")])
    assert "# ONNX Studio report: a|b.onnx" in bare and "| System | test |" in bare and "## Model" in bare
    for absent in ("## Last run", "## Benchmarks", "## Profile", "## Comparison", "## Repeat it"):
        assert absent not in bare
    with Engine(path) as eng:
        run = eng.run(feeds)
        compared = compare_runs(eng, feeds, CompareSpec(str(path), SessionConfig(graph_optimization="disabled")))
        prof = eng.profile(feeds, runs=2)
    text = build_markdown(ReportParts(report, SessionConfig(intra_op_threads=2), [("a", "literal [0, 1, 2, 3]")], run,
                                      profile=prof, comparison=compared,
                                      commands=[("Run once", "onnxstudio run 'a|b.onnx'")]), env=[])
    assert "| Threads | 2 |" in text and "| a | literal [0, 1, 2, 3] |" in text
    assert "| c | float32 | 4 |" in text and "every output within tolerance" in text
    assert "| /add/Add | Add | /add/Add |" in text and "| CPUExecutionProvider | 1 |" in text
    assert "onnxstudio run 'a|b.onnx'" in text  # a command is quoted in a code block, not escaped
    names = dict(environment())
    assert names["onnxruntime"].startswith(__import__("onnxruntime").__version__) and "Python" in names
