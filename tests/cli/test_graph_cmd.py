"""`onnxstudio graph MODEL --export FILE` end to end, in-process."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import onnx

from onnxstudio.cli import main
from tests.core.test_graph import if_model, namespaced_model


def _count(path, cls):
    return sum(1 for e in ET.parse(path).getroot().iter() if e.get("class") == cls)


def test_export_svg_collapsed_and_expanded(tmp_path, capsys):
    model = tmp_path / "m.onnx"
    onnx.save(namespaced_model(3), model)
    out = tmp_path / "g.svg"
    assert main(["graph", str(model), "--export", str(out), "--expand-all"]) == 0
    assert _count(out, "node") == 3 * 5 + 3
    assert main(["graph", str(model), "--export", str(out), "--collapse"]) == 0
    assert _count(out, "node") == 3 and _count(out, "group") == 1
    assert "nodes shown" in capsys.readouterr().out


def test_export_png_and_subgraph(tmp_path):
    model = tmp_path / "if.onnx"
    onnx.save(if_model(), model)
    assert main(["graph", str(model), "--export", str(tmp_path / "g.png")]) == 0
    assert (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    out = tmp_path / "else.svg"
    assert main(["graph", str(model), "--export", str(out), "--subgraph", "branch"]) == 0
    assert _count(out, "node") == 3  # then_branch: Relu, the outer x, the output t


def test_errors_are_one_line(tmp_path, capsys):
    assert main(["graph", str(tmp_path / "missing.onnx"), "--export", str(tmp_path / "g.svg")]) == 2
    assert main(["graph", str(tmp_path / "missing.onnx"), "--export", str(tmp_path / "g.pdf")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("error: ") for line in err)


def test_exports_of_a_graph_loaded_in_parts_are_identical(tmp_path, monkeypatch):
    """Large graphs are loaded in parts (lazygraph): forced here, every export is the same file as before."""
    from onnxstudio.core import lazygraph
    from onnxstudio.core.loading import load_structure

    cases = [("ns.onnx", namespaced_model(3), ["--expand-all"]), ("if.onnx", if_model(), []),
             ("if.onnx", if_model(), ["--subgraph", "branch"])]
    for name, model, extra in cases:
        onnx.save(model, tmp_path / name)
        whole, parts = tmp_path / "whole.svg", tmp_path / "parts.svg"
        assert main(["graph", str(tmp_path / name), "--export", str(whole), *extra]) == 0
        with monkeypatch.context() as m:
            m.setattr(lazygraph, "LAZY_MIN_SIZE", 0)
            m.setattr(lazygraph, "LAZY_MIN_RECORDS", 0)
            assert load_structure(tmp_path / name, columns=True).lazy is not None
            assert main(["graph", str(tmp_path / name), "--export", str(parts), *extra]) == 0
        assert parts.read_text() == whole.read_text(), (name, extra)
