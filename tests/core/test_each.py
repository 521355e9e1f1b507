"""A folder for a model that takes one picture a run: each picture in turn, in one session, outputs stacked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx

from onnxstudio.core.each import EachRequest, one_at_a_time, pick, run_each, stack
from onnxstudio.core.engine import Engine, RunResult, SessionInfo, describe_output
from onnxstudio.core.imaging import guess_recipe
from onnxstudio.core.inputs import ImageSource
from onnxstudio.core.inspection import inspect_model
from onnxstudio.resources import resource_path

DIGITS = resource_path("samples", "digits")


def _batch_one(tmp_path: Path) -> Path:
    model = onnx.load(str(resource_path("samples", "digits_classifier.onnx")))
    for value in (*model.graph.input, *model.graph.output):
        value.type.tensor_type.shape.dim[0].dim_value = 1
    onnx.save(model, str(tmp_path / "digits_b1.onnx"))
    return tmp_path / "digits_b1.onnx"


def test_each_picture_runs_in_turn_and_the_rows_are_its_classes(tmp_path: Path) -> None:
    path = _batch_one(tmp_path)
    specs = inspect_model(path, shapes=False).inputs
    source = ImageSource(str(DIGITS), guess_recipe(specs[0]))
    request = EachRequest.find(specs, {"image": source}, {})
    files = sorted(DIGITS.glob("*.png"))
    assert request is not None and request.name == "image" and [Path(f) for f in request.files] == files
    with Engine(path) as engine:
        engine.create_session()
        result = run_each(engine, request)
    logits = result.outputs[0].value
    assert logits.shape == (len(files), 10) and result.outputs[1].value.shape == (len(files), 10)
    assert logits.argmax(axis=1).tolist() == [int(f.name.split("_")[1]) for f in files]
    third = pick(result, 2, len(files))  # one picture's outputs alone, as its own run gave them
    np.testing.assert_array_equal(third.outputs[0].value, logits[2:3])
    assert third.run_ms == result.run_ms / len(files)
    # not for a model whose batch is free (the folder is its batch), nor for one picture
    free = inspect_model(resource_path("samples", "digits_classifier.onnx"), shapes=False).inputs
    assert one_at_a_time(free, {"image": source}) is None
    assert one_at_a_time(specs, {"image": ImageSource(str(files[0]))}) is None


def test_outputs_of_other_shapes_become_a_sequence() -> None:
    info = SessionInfo(("CPUExecutionProvider",), ("CPUExecutionProvider",), (), 1.0, False)

    def run(boxes: np.ndarray, score: float) -> RunResult:
        return RunResult((describe_output("boxes", boxes), describe_output("score", np.array(score, np.float32))),
                         2.0, info, 10)

    joined = stack([run(np.zeros((1, 4)), 0.5), run(np.zeros((3, 4)), 0.7)])
    assert joined.outputs[0].kind == "sequence" and [v.shape for v in joined.outputs[0].value] == [(1, 4), (3, 4)]
    assert joined.outputs[1].value.shape == (2,) and joined.run_ms == 4.0  # scalars: stacked on a new axis

