"""Checks on the bundled sample models and images in ``resources/samples/``.

The files are made by ``scripts/make_samples.py``; these tests only load and run them (no training).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from PIL import Image

SAMPLES = Path(__file__).resolve().parents[1] / "resources" / "samples"
MODELS = ("edges.onnx", "blur.onnx", "digits_classifier.onnx")
DIGIT_PNGS = sorted((SAMPLES / "digits").glob("digit_*.png"))


def _session(name: str) -> ort.InferenceSession:
    return ort.InferenceSession(str(SAMPLES / name), providers=["CPUExecutionProvider"])


def _photo_nchw() -> np.ndarray:
    """photo.png as float32 [1, 3, H, W] in 0..1 (the edges/blur ``preprocess`` recipe)."""
    rgb = np.asarray(Image.open(SAMPLES / "photo.png").convert("RGB"), dtype=np.float32) / 255.0
    return np.ascontiguousarray(rgb.transpose(2, 0, 1)[None])


def _digit_input(path: Path) -> np.ndarray:
    """The digits ``preprocess`` recipe: grayscale, BOX resize to 8x8, / 255 -> [1, 1, 8, 8]."""
    small = Image.open(path).convert("L").resize((8, 8), Image.BOX)
    return (np.asarray(small, dtype=np.float32) / 255.0).reshape(1, 1, 8, 8)


def _label(path: Path) -> int:
    return int(path.stem.split("_")[1])


@pytest.mark.parametrize("name", MODELS)
def test_model_is_valid(name: str) -> None:
    model = onnx.load(str(SAMPLES / name))
    onnx.checker.check_model(model, full_check=True)
    assert model.opset_import[0].version in (17, 18)
    assert model.ir_version <= 10
    assert model.doc_string
    props = {p.key: p.value for p in model.metadata_props}
    assert {"author", "description", "preprocess"} <= props.keys()
    assert all(node.name.startswith("/") for node in model.graph.node)


@pytest.mark.parametrize("name", MODELS)
def test_model_runs_on_cpu(name: str) -> None:
    sess = _session(name)
    inp = sess.get_inputs()[0]
    assert inp.name == "image"
    shape = [2, 1, 8, 8] if name.startswith("digits") else [1, 3, 37, 53]
    x = np.random.default_rng(0).random(shape, dtype=np.float32)
    outputs = sess.run(None, {"image": x})
    assert all(np.isfinite(o).all() for o in outputs)


def test_sample_files_are_small() -> None:
    total = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file())
    assert total < 1_000_000


def test_edges_on_photo() -> None:
    sess = _session("edges.onnx")
    assert [o.name for o in sess.get_outputs()] == ["edges"]
    assert sess.get_inputs()[0].shape == [1, 3, "height", "width"]
    photo = _photo_nchw()
    (edges,) = sess.run(None, {"image": photo})
    assert edges.shape == (1, 1, *photo.shape[2:])
    assert edges.min() >= 0.0 and edges.max() <= 1.0
    e = edges[0, 0]
    # The yellow square spans x 12..52, y 14..54 (see make_photo in scripts/make_samples.py).
    assert e[34, 12] > 0.5 and e[34, 52] > 0.5 and e[14, 32] > 0.5
    assert e[34, 32] < 0.01  # flat inside the square
    assert e[8, 60] < 0.01  # flat background between the shapes
    strong = float((e > 0.5).mean())
    assert 0.02 < strong < 0.4


def test_blur_on_photo() -> None:
    sess = _session("blur.onnx")
    assert [o.name for o in sess.get_outputs()] == ["blurred"]
    photo = _photo_nchw()
    (blurred,) = sess.run(None, {"image": photo})
    assert blurred.shape == photo.shape
    inner = (slice(None), slice(None), slice(2, -2), slice(2, -2))  # away from the zero padding
    assert blurred[inner].min() >= photo.min() - 1e-5 and blurred[inner].max() <= photo.max() + 1e-5
    # Flat areas keep their value; a hard edge is softened.
    np.testing.assert_allclose(blurred[0, :, 34, 32], photo[0, :, 34, 32], atol=1e-5)
    step_in = np.abs(np.diff(photo[0, 0, 34, 5:20])).max()
    step_out = np.abs(np.diff(blurred[0, 0, 34, 5:20])).max()
    assert step_out < 0.6 * step_in


def test_digits_metadata() -> None:
    model = onnx.load(str(SAMPLES / "digits_classifier.onnx"))
    props = {p.key: p.value for p in model.metadata_props}
    assert json.loads(props["labels"]) == [str(i) for i in range(10)]
    assert props["task"] == "image-classification"
    assert props["dataset"] == "scikit-learn digits"
    assert "255" in props["preprocess"]
    assert float(props["test_accuracy"]) > 0.9


def test_digits_classifier_on_sample_pngs() -> None:
    assert len(DIGIT_PNGS) == 6
    assert len({_label(p) for p in DIGIT_PNGS}) == 6
    for path in DIGIT_PNGS:
        with Image.open(path) as img:
            assert img.mode == "L" and img.size == (64, 64)
    sess = _session("digits_classifier.onnx")
    assert [o.name for o in sess.get_outputs()] == ["logits", "probabilities"]
    assert sess.get_inputs()[0].shape == ["batch", 1, 8, 8]
    batch = np.concatenate([_digit_input(p) for p in DIGIT_PNGS])
    logits, probs = sess.run(None, {"image": batch})
    assert logits.shape == probs.shape == (6, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(probs.argmax(axis=1), logits.argmax(axis=1))
    correct = sum(int(pred) == _label(p) for pred, p in zip(probs.argmax(axis=1), DIGIT_PNGS, strict=True))
    assert correct >= 5


def test_sentiment_sample_reads_text_through_its_tokenizer() -> None:
    """text/sentiment.onnx with text/tokenizer.json beside it: the app's Text source finds the tokenizer, and
    sentences the training never saw are classified right."""
    from onnxstudio.core.text import encode, find_tokenizer
    from onnxstudio.resources import sample_models

    path = SAMPLES / "text" / "sentiment.onnx"
    assert path in sample_models() and find_tokenizer(path) == SAMPLES / "text" / "tokenizer.json"
    model = onnx.load(str(path))
    onnx.checker.check_model(model, full_check=True)
    props = {p.key: p.value for p in model.metadata_props}
    assert json.loads(props["labels"]) == ["negative", "positive"] and float(props["test_accuracy"]) >= 0.8
    assert all(node.name.startswith("/") for node in model.graph.node)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    for text, label in (("What a wonderful, funny film!", 1), ("The service was rude and the food was cold.", 0)):
        ids = np.array([encode(find_tokenizer(path), text)], np.int64)
        assert 1 not in ids  # every word known: no [UNK]
        probs = session.run(["probabilities"], {"input_ids": ids})[0]
        assert probs.argmax() == label and probs.max() > 0.7
