"""--self-test: runs the bundled sample once on CPU, reports through a JSON file and the exit code, no Qt."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from onnxstudio import selftest

REPO = Path(__file__).resolve().parents[1]


def test_self_test_runs_the_sample_without_qt(tmp_path):
    out = tmp_path / "result.json"
    # A fresh interpreter, so that "no Qt module got loaded" means something.
    code = ("import sys; from onnxstudio.selftest import main; rc = main(['--self-test', '--output', sys.argv[1]]);"
            "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph')));"
            "print('QT:', qt); sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code, str(out)], cwd=REPO, capture_output=True, text=True,
                          timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "QT: []" in proc.stdout
    assert "self-test OK" in proc.stdout and str(out) in proc.stdout
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["ok"] is True and result["error"] is None
    assert Path(result["model"]).name.endswith(".onnx")
    assert result["providers"] == ["CPUExecutionProvider"]
    assert result["outputs"], "the sample returned no outputs"
    for name, shape, dtype in result["outputs"]:
        assert isinstance(name, str) and isinstance(shape, list) and isinstance(dtype, str)
    assert {"inspect_ms", "session_ms", "run_ms", "total_ms"} <= set(result["times"])
    assert result["tokenizers"]  # the Text source's library loads (its native module is in the build)


def test_failure_is_written_to_the_file_and_exits_1(tmp_path, capsys):
    out = tmp_path / "sub" / "result.json"
    rc = selftest.main(["--output", str(out), "--model", str(tmp_path / "missing.onnx")])
    assert rc == 1
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["ok"] is False
    assert "missing.onnx" in result["error"]
    assert "Traceback" in result["traceback"]
    assert "self-test FAILED" in capsys.readouterr().out


def test_default_output_is_in_the_temp_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert selftest.default_output() == tmp_path / selftest.DEFAULT_OUTPUT_NAME
    selftest.main(["--model", str(tmp_path / "missing.onnx")])
    assert (tmp_path / selftest.DEFAULT_OUTPUT_NAME).is_file()


def test_no_stdout_as_in_a_windowed_executable(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    out = tmp_path / "r.json"
    assert selftest.main(["--output", str(out), "--model", str(tmp_path / "missing.onnx")]) == 1
    assert out.is_file()
