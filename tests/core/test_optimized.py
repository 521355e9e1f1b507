"""onnxruntime's optimized graph saved as a model: what changed, external weights, the same outputs, refusals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from onnxstudio.core.engine import Engine
from onnxstudio.core.errors import StudioError
from onnxstudio.core.providers import SessionConfig
from tests import models


def _outputs(path: Path, image: np.ndarray) -> list[np.ndarray]:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {"image": image})


def test_the_optimized_graph_is_saved_and_computes_the_same(tmp_path: Path) -> None:
    model = models.conv_model(tmp_path / "conv.onnx", channels=8, layers=3, side=16)
    with Engine(model, SessionConfig(graph_optimization="extended")) as engine:
        result = engine.save_optimized(tmp_path / "conv.opt.onnx")
    assert (result.nodes_before, result.nodes_after) == (7, 4)  # each Conv + Relu fused into one FusedConv
    assert result.changes() == [("Conv", 3, 0), ("Relu", 3, 0), ("com.microsoft:FusedConv", 0, 3)]
    assert result.summary().startswith("7 nodes → 4 (level extended): Conv 3 → 0")
    assert result.external_data is None and result.providers == ["CPUExecutionProvider"]
    image = np.random.default_rng(0).random((1, 3, 16, 16), dtype=np.float32)
    np.testing.assert_allclose(_outputs(Path(result.path), image)[0], _outputs(model, image)[0], rtol=1e-5,
                               atol=1e-6)


def test_a_model_with_external_weights_keeps_them_beside_the_optimized_one(tmp_path: Path) -> None:
    src = onnx.load(str(models.conv_model(tmp_path / "c.onnx", channels=32, layers=2, side=8)))
    (tmp_path / "ext").mkdir()
    model = tmp_path / "ext" / "model.onnx"
    onnx.save(src, str(model), save_as_external_data=True, location="model.weights", size_threshold=0)
    (tmp_path / "out").mkdir()
    with Engine(model, SessionConfig(graph_optimization="basic")) as engine:
        result = engine.save_optimized(tmp_path / "out" / "model.opt.onnx")
    assert result.external_data == "model.opt.onnx.data"
    assert (tmp_path / "out" / "model.opt.onnx.data").stat().st_size > 32 * 32 * 9 * 4  # the weights, beside it
    image = np.random.default_rng(1).random((1, 3, 8, 8), dtype=np.float32)
    np.testing.assert_allclose(_outputs(Path(result.path), image)[0], _outputs(model, image)[0], rtol=1e-5,
                               atol=1e-6)


@pytest.mark.parametrize("target,level,message", [
    ("conv.onnx", "all", "conv.onnx is the model itself: choose another file for the optimized one"),
    ("conv.txt", "all", "conv.txt: save the optimized model as an .onnx file"),
    ("out.onnx", "disabled", "graph optimization is off: choose basic, extended or all to save an optimized model"),
])
def test_refusals_are_one_line(tmp_path: Path, target: str, level: str, message: str) -> None:
    model = models.conv_model(tmp_path / "conv.onnx", channels=4, layers=1, side=8)
    with Engine(model, SessionConfig(graph_optimization=level)) as engine, pytest.raises(StudioError) as err:
        engine.save_optimized(tmp_path / target)
    assert err.value.message == message and not (tmp_path / "out.onnx").exists()
