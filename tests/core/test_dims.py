"""Dims that follow others (a decoder's mask over its cache and new tokens), dims that given data fixes and
lengths inputs that follow the input they measure, each checked on a real onnxruntime session."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
from PIL import Image

from onnxstudio.core.compute import count_dims, format_flops
from onnxstudio.core.dims import derived_dims, evaluate
from onnxstudio.core.inputs import (
    ArrayFileSource,
    ImageSource,
    LengthSource,
    RandomSource,
    build_feeds,
    complete_dims,
    default_reason,
    default_source,
    measured_by,
)
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.values import ValueSpec
from tests.models import decoder_model, lengths_model, picture_and_mask_model

DECODER_DIMS = ["batch_size", "sequence_length", "past_sequence_length"]


def test_a_dim_named_as_arithmetic_over_others_follows_them() -> None:
    names = [*DECODER_DIMS, "past_sequence_length + 1", "s0", "2*s0", "(s0 + 7) // 8", "s0 - 1"]
    derived = derived_dims(names)
    # Optimum's "+ 1" is one new token only where the model has no sequence_length: here, past + new tokens
    assert derived == {"past_sequence_length + 1": "past_sequence_length + sequence_length", "2*s0": "2*s0",
                       "(s0 + 7) // 8": "(s0 + 7) // 8", "s0 - 1": "s0 - 1"}
    assert derived_dims(["past_sequence_length", "past_sequence_length + 1"]) == {
        "past_sequence_length + 1": "past_sequence_length + 1"}
    assert evaluate("(s0 + 7) // 8", {"s0": 9}) == 2 and evaluate("2*s0", {"s0": 3}) == 6
    assert evaluate("s0 / 2", {"s0": 7}) == 3  # dims divide as integers
    assert evaluate("s0 - 1", {"s0": 0}) is None and evaluate("s0 // 0", {"s0": 1}) is None  # no size
    assert evaluate("s0 + 1", {}) is None
    assert evaluate("s0 * s0 * s0 * s0", {"s0": 2**20}) is None  # no size anything can allocate
    long_sum = " + ".join(["s0"] * 5000)  # a deep tree: not read as arithmetic, never a RecursionError
    assert derived_dims(["s0", long_sum]) == {} and evaluate(long_sum, {"s0": 1}) is None


@pytest.mark.parametrize(("names", "derived"), [
    (["batch", "batch + 1"], {"batch + 1": "batch + 1"}),
    (["batch-size"], {}),  # a hyphen in a name: batch and size are not dims of the model
    (["n", "n.size + 1", "n + 1.5", "__import__('os')", "max(n, 2)", "n ** 2", "-n", "n + m", "n +", "3 + 4"], {}),
    (["a", "a + 1 + 1"], {"a + 1 + 1": "a + 1 + 1"}),
    ([*DECODER_DIMS, "total_sequence_length", "total_sequence_length + 1"],  # one that names a derived one: alone
     {"total_sequence_length": "past_sequence_length + sequence_length"}),
])
def test_only_arithmetic_over_the_models_own_dims_follows_them(names, derived) -> None:
    assert derived_dims(names) == derived


def test_genai_total_sequence_length_is_the_cache_and_the_new_tokens() -> None:
    assert derived_dims([*DECODER_DIMS, "total_sequence_length"]) == {
        "total_sequence_length": "past_sequence_length + sequence_length"}
    assert derived_dims(["batch_size", "total_sequence_length"]) == {}  # no cache: a dim of its own


@pytest.mark.parametrize("mask_dim", ["past_sequence_length + 1", "past_sequence_length + sequence_length",
                                      "total_sequence_length"])
def test_a_decoder_with_a_cache_runs_as_it_is(tmp_path: Path, mask_dim: str) -> None:
    """Every free dim at 1 gave a mask one long beside a cache of one and a new token: Reshape failed."""
    path = decoder_model(tmp_path / "decoder.onnx", mask_dim)
    specs = inspect_model(path, shapes=False).inputs
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feeds = build_feeds(specs, {})
    assert feeds["attention_mask"].shape == (1, 2) and feeds["past_key_values.0.key"].shape == (1, 2, 1, 4)
    logits, present, _ = session.run(None, feeds)
    assert logits.shape == (1, 1, 10) and present.shape == (1, 2, 2, 4)
    # a cache of 5 and a prompt of 3 token ids from a file: the mask covers the 8
    np.save(tmp_path / "ids.npy", np.array([[1, 2, 3]], np.int64))
    feeds = build_feeds(specs, {"input_ids": ArrayFileSource(str(tmp_path / "ids.npy"))},
                        {"past_sequence_length": 5})
    assert feeds["attention_mask"].shape == (1, 8) and (feeds["attention_mask"] == 1).all()
    assert session.run(None, feeds)[1].shape == (1, 2, 8, 4)
    # set explicitly, the dim is the user's (and onnxruntime says what is wrong)
    assert build_feeds(specs, {}, {mask_dim: 4})["attention_mask"].shape == (1, 4)


def test_dims_a_picture_fixes_apply_to_generated_inputs(tmp_path: Path) -> None:
    """An inpainting model's mask follows the picture's size (on a multiple of 32), not the 224 default."""
    path = picture_and_mask_model(tmp_path / "inpaint.onnx")
    Image.fromarray(np.zeros((70, 100, 3), np.uint8)).save(tmp_path / "photo.png")
    specs = inspect_model(path, shapes=False).inputs
    feeds = build_feeds(specs, {"image": ImageSource(str(tmp_path / "photo.png")), "mask": RandomSource(3)})
    assert feeds["image"].shape == (1, 3, 64, 96) and feeds["mask"].shape == (1, 1, 64, 96)
    out = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, feeds)[0]
    assert out.shape == (1, 1, 64, 96)
    # a size set by the user wins over the picture's for both
    feeds = build_feeds(specs, {"image": ImageSource(str(tmp_path / "photo.png"))}, {"height": 32, "width": 48})
    assert feeds["image"].shape == feeds["mask"].shape[:1] + (3, 32, 48) and feeds["mask"].shape == (1, 1, 32, 48)


def test_macs_are_counted_with_the_mask_following_the_cache(tmp_path: Path) -> None:
    specs = inspect_model(decoder_model(tmp_path / "d.onnx"), shapes=False).inputs
    dims = count_dims(specs, {"past_sequence_length": 7})
    assert dims["past_sequence_length + 1"] == 8 and dims["sequence_length"] == 1
    assert complete_dims(specs, {"past_sequence_length + 1": 3}) == {"past_sequence_length + 1": 3}


def test_flops_join_their_prefix() -> None:
    assert format_flops(8.18e9) == "8.18 GFLOPs" and format_flops(416) == "416 FLOPs"


@pytest.mark.parametrize(("signal", "lengths", "shape", "axis", "length"), [
    ("waveforms", "waveforms_lens", ("batch", "samples"), 1, 512),  # onnx-asr: an audio window of 512
    ("x", "x_lens", ("N", "T", 80), 1, 1),  # k2/sherpa: [N, T, 80] features
    ("audio_signal", "length", ("B", 80, "T"), 2, 1),  # NeMo: the time axis is the last free one
])
def test_a_lengths_input_holds_the_length_of_the_input_it_measures(tmp_path: Path, signal, lengths, shape, axis,
                                                                   length) -> None:
    path = lengths_model(tmp_path / "front.onnx", signal, lengths, shape, axis)
    specs = inspect_model(path, shapes=False).inputs
    assert measured_by(specs[1], specs) == LengthSource(signal, axis)
    assert "each row used whole" in default_reason(specs[1], specs)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feeds = build_feeds(specs, {})
    assert feeds[lengths].tolist() == [length] and feeds[lengths].dtype == np.int64
    assert np.isclose(session.run(None, feeds)[0], feeds[signal].sum(), rtol=1e-5)
    # a recording of 1,000 samples from a file: each row used whole
    np.save(tmp_path / "rec.npy", np.ones((2, *[1000 if isinstance(d, str) else d for d in shape[1:]]),
                                          np.float32))
    feeds = build_feeds(specs, {signal: ArrayFileSource(str(tmp_path / "rec.npy"))})
    assert feeds[lengths].tolist() == [1000, 1000]  # a row each


def test_names_that_are_not_lengths_of_another_input_keep_their_defaults() -> None:
    def spec(name: str, dtype: str = "int64", shape: tuple = ("batch",)) -> ValueSpec:
        return ValueSpec(name, "tensor", dtype, shape, f"tensor({dtype})")

    signal = spec("speech", "float32", ("batch", "T", 80))
    assert measured_by(spec("speech_lengths"), [signal]) == LengthSource("speech", 1)
    assert measured_by(spec("text_lengths"), [signal]) is None  # no input named text
    assert measured_by(spec("speech_lengths", "float32"), [signal]) is None  # not integers
    assert measured_by(spec("speech_lengths", shape=("batch", 2)), [signal]) is None  # not one per row
    two = [signal, spec("mel", "float32", ("batch", 80, "T"))]
    assert measured_by(spec("length"), two) is None  # which of two?
    assert isinstance(default_source(spec("speech_lengths")), RandomSource)  # without the model's inputs
