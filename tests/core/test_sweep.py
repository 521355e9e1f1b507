"""Benchmark sweeps over a free dim, on real sessions: the feeds grow with the value, one session serves all."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from onnxstudio.core.engine import BenchmarkSpec, Engine, TimingBatch
from onnxstudio.core.errors import InputError
from onnxstudio.core.inputs import ImageSource, RandomSource
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.sweep import SweepPoint, SweepRequest, is_batch, parse_values, sweep, sweepable_dims
from onnxstudio.resources import resource_path
from tests import models


def test_values_parse_as_lists_and_power_of_two_ranges() -> None:
    assert parse_values("1, 2,4 8") == (1, 2, 4, 8)
    assert parse_values("1..64") == (1, 2, 4, 8, 16, 32, 64)
    assert parse_values("3..20") == (3, 6, 12)
    assert parse_values("4,4,2") == (4, 2)
    for bad in ("", "0,1", "a,b", "8..2", "-1", ",".join(["1"] * 2 + [str(i) for i in range(2, 40)])):
        with pytest.raises(InputError):
            parse_values(bad)


def test_a_batch_sweep_serves_every_value_from_one_session(tmp_path: Path) -> None:
    path = models.multi_input_model(tmp_path / "multi.onnx")
    specs = inspect_model(path, shapes=False).inputs
    assert sweepable_dims(specs) == ["batch"] and is_batch(specs, "batch")
    request = SweepRequest("batch", (1, 4, 16), tuple(specs), {"ids": RandomSource(seed=0, low=0, high=9)}, {})
    shapes = []

    def feeds_for(value: int) -> dict:
        feeds = request.feeds_for(value)
        shapes.append((feeds["x"].shape, feeds["ids"].shape))
        return feeds

    with Engine(path) as eng:
        info = eng.create_session()
        items = list(sweep(eng, "batch", request.values, feeds_for, BenchmarkSpec(warmup=2, iterations=50), True))
        assert eng.session is info, "one session for every value"
    assert shapes == [((1, 8), (1,)), ((4, 8), (4,)), ((16, 8), (16,))]
    points = [i for i in items if isinstance(i, SweepPoint)]
    assert [(p.value, p.items_per_run, p.result.iterations) for p in points] == [(1, 1, 50), (4, 4, 50), (16, 16, 50)]
    assert all(p.items_per_s == pytest.approx(p.result.stats.throughput_per_s * p.value) for p in points)
    batches = [i for i in items if not isinstance(i, SweepPoint)]
    assert {v for v, b in batches} == {1, 4, 16} and all(isinstance(b, TimingBatch) for _, b in batches)
    assert points[0].to_dict()["latency_ms"]["median"] > 0


def test_one_picture_fills_each_batch_and_a_folder_is_refused() -> None:
    model = resource_path("samples", "digits_classifier.onnx")
    specs = tuple(inspect_model(model, shapes=False).inputs)
    picture = sorted(resource_path("samples", "digits").glob("digit_7_*.png"))[0]
    request = SweepRequest("batch", (1, 3), specs, {"image": ImageSource(str(picture))}, {})
    request.check()
    three = request.feeds_for(3)["image"]
    assert three.shape == (3, 1, 8, 8) and np.array_equal(three[0], three[2])
    folder = SweepRequest("batch", (1, 3), specs, {"image": ImageSource(str(resource_path("samples", "digits")))},
                          {})
    with pytest.raises(InputError, match="fixes the batch at"):
        folder.check()


def test_dims_that_follow_others_are_not_swept(tmp_path: Path) -> None:
    specs = inspect_model(models.decoder_model(tmp_path / "decoder.onnx"), shapes=False).inputs
    assert sweepable_dims(specs) == ["batch_size", "sequence_length", "past_sequence_length"]
