"""`onnxstudio profile`: per op type, kernel and provider, as text and JSON, on real sessions."""

from __future__ import annotations

import json
from pathlib import Path

import onnx

from tests import models
from tests.cli.test_cli import cli


def test_profile_json_ties_kernels_to_nodes(tmp_path: Path) -> None:
    path = models.conv_model(tmp_path / "conv.onnx")
    data = json.loads(cli("profile", str(path), "--runs", "3", "--optimization", "disabled", "--json").stdout)
    assert data["runs"] == 3 and data["optimization"] == "disabled" and data["model_nodes"] == 9
    assert data["nodes_without_kernel"] == 0 and data["providers"] == ["CPUExecutionProvider"]
    (cpu,) = data["by_provider"]
    assert cpu["provider"] == "CPUExecutionProvider" and cpu["kernels"] == 9 and cpu["share"] == 1.0
    names = [n.name for n in onnx.load(path).graph.node]
    assert {k["name"] for k in data["kernels"]} == set(names)
    assert all(names[k["node_index"]] == k["name"] == k["node"] and k["mapping"] == "node" and k["calls"] == 3
               for k in data["kernels"])
    assert [k["ms"] for k in data["kernels"]] == sorted((k["ms"] for k in data["kernels"]), reverse=True)
    ops = {row["op"]: row for row in data["by_op"]}  # the order is the machine's timing: not asserted
    assert ops["Conv"]["kernels"] == 4 and ops["Relu"]["kernels"] == 4 and data["inputs"][0]["name"] == "image"
    assert [r["ms"] for r in data["by_op"]] == sorted((r["ms"] for r in data["by_op"]), reverse=True)


def test_profile_text_lists_ops_kernels_and_placement(tmp_path: Path) -> None:
    path = models.conv_model(tmp_path / "conv.onnx")
    out = cli("profile", str(path), "--runs", "2", "--top", "50").stdout
    assert "placement   CPU " in out and "runs        2 profiled" in out
    table = out.split("kernel (input shapes)")[1].strip().splitlines()
    # every kernel listed; their order is the machine's timing (a busy one once timed a ReorderOutput over a Conv)
    convs = [line for line in table if " Conv " in line]
    assert len(convs) == 4 and all("x3x3]" in line for line in convs)
    assert sum("x16x3x3]" in line for line in convs) == 3
    if "_nchwc" in out:  # the optimizer named the fused Conv+Relu after the Relu's output: its node is said
        assert "(node /block1/Conv)" in out


def test_profile_bad_arguments_fail_in_one_line(tmp_path: Path) -> None:
    path = models.add_model(tmp_path / "add.onnx")
    proc = cli("profile", str(path), "--runs", "0", check=False)
    assert proc.returncode != 0 and proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: ")
    proc = cli("profile", str(tmp_path / "missing.onnx"), check=False)
    assert proc.returncode != 0 and proc.stderr.count("\n") == 1 and "no such file" in proc.stderr


def test_profile_keeps_onnxruntimes_trace_when_asked(tmp_path: Path) -> None:
    path = models.add_model(tmp_path / "add.onnx")
    trace = tmp_path / "trace.json"
    cli("profile", str(path), "--runs", "2", "--trace", str(trace))
    events = json.loads(trace.read_text())
    assert sum(e.get("name") == "/add/Add_kernel_time" for e in events) == 3  # the warm-up run and two profiled
    proc = cli("profile", str(path), "--trace", str(tmp_path / "no" / "such" / "t.json"), check=False)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "cannot write the trace" in proc.stderr
