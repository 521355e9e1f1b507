"""The command line the app copies repeats its work: run through the real CLI, it feeds the model the same
arrays as the app's sources, and so gives the same outputs."""

from __future__ import annotations

import shlex
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from onnxstudio.core.engine import BenchmarkSpec, Engine
from onnxstudio.core.imaging import recipe_for_model
from onnxstudio.core.inputs import ConstantSource, ImageSource, LiteralSource, RandomSource, build_feeds
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.providers import SessionConfig
from onnxstudio.core.reproduce import bench_args, command, shell_line, source_arg
from onnxstudio.resources import resource_path
from tests import models


def _cli_outputs(line: str, out: Path) -> dict[str, np.ndarray]:
    argv = shlex.split(line)
    assert argv[0] == "onnxstudio"
    proc = subprocess.run([sys.executable, "-m", "onnxstudio", *argv[1:], "--save", str(out)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return {p.stem: np.load(p) for p in out.glob("*.npy")}


def test_a_picture_with_its_recipe_and_session_options_round_trip(tmp_path: Path) -> None:
    path = models.image_model(tmp_path / "image.onnx", side=32)
    specs = inspect_model(path, shapes=False).inputs
    base = recipe_for_model(specs[0])
    recipe = replace(base, color="BGR", resize="letterbox", pad_value=114, scale="0-255", interpolation="nearest")
    sources = {"image": ImageSource(str(resource_path("samples", "photo.png")), recipe)}
    config = SessionConfig(intra_op_threads=1, graph_optimization="basic", use_cache=False)
    argv, notes = command("run", path, config, specs, sources, {})
    line = shell_line(argv, windows=False)
    assert notes == [] and "--threads 1" in line and "--optimization basic" in line and "--no-cache" in line
    assert "image:color=BGR" in line and "image:pad=114" in line and "image:size" not in line  # the size is the model's
    got = _cli_outputs(line, tmp_path / "out")
    with Engine(path, config) as eng:
        want = eng.run(build_feeds(specs, sources, {})).outputs[0].value
    np.testing.assert_array_equal(got["same"], want)


def test_random_literal_and_constant_inputs_with_a_dim_round_trip(tmp_path: Path) -> None:
    path = models.multi_input_model(tmp_path / "multi.onnx")
    specs = inspect_model(path, shapes=False).inputs
    sources = {"x": RandomSource(seed=5), "ids": LiteralSource("[1, 2, 3]")}
    argv, notes = command("run", path, SessionConfig(), specs, sources, {"batch": 3})
    assert notes == []
    line = shell_line(argv, windows=False)
    assert line.startswith("onnxstudio run ") and "--input x=random:5" in line and "--dim batch=3" in line
    got = _cli_outputs(line, tmp_path / "out")
    with Engine(path) as eng:
        want = eng.run(build_feeds(specs, sources, {"batch": 3})).outputs[0].value
    np.testing.assert_array_equal(got["y"], want)


def test_what_the_command_line_cannot_say_is_noted() -> None:
    assert source_arg(RandomSource(seed=2, distribution="normal", low=0.0, high=2.0))[1].startswith(
        "the command line draws uniform random data; the app drew normal in [0.0, 2.0]")
    assert source_arg(ConstantSource(0.0)) == ("zeros", "") and source_arg(ConstantSource(2.5)) == ("const:2.5", "")
    assert bench_args(BenchmarkSpec(warmup=3, iterations=500, io_binding=True)) == [
        "--warmup", "3", "--iterations", "500", "--io-binding"]
    assert bench_args(BenchmarkSpec(duration_s=2.5)) == ["--duration", "2.5"]
    spaced = shell_line(["onnxstudio", "run", "C:/My Models/a b.onnx"], windows=True)
    assert spaced == 'onnxstudio run "C:/My Models/a b.onnx"'
