"""Embeddings: named as such, read as vectors (norms, cosine similarities), not as class scores."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from onnxstudio.core import embeddings
from onnxstudio.core import outputs as o
from onnxstudio.core.values import is_embedding
from tests import models


@pytest.mark.parametrize("name", ["feature_output", "image_embeds", "text_embeds", "sentence_embedding",
                                  "pooler_output", "descriptors", "speaker_vec", "x_feat", "emb", "features"])
def test_embedding_names(name: str) -> None:
    assert is_embedding(name)


@pytest.mark.parametrize("name", ["output", "logits", "probabilities", "class_embed", "output0", "member", "y",
                                  "fetch_name_0", "scores", "conv2d_19"])
def test_other_names(name: str) -> None:
    assert not is_embedding(name)


def test_an_embedding_is_a_vector_not_classes() -> None:
    """EfficientWord-Net's speaker model answers ``feature_output`` [1, 2048]: no top-k of its 2048 "classes"."""
    assert o.guess_views((1, 2048), "float32", "feature_output") == [o.VIEW_VECTOR, o.VIEW_TABLE]
    assert o.guess_views((4, 512), "float32", "image_embeds") == [o.VIEW_VECTOR, o.VIEW_HEATMAP, o.VIEW_TABLE]
    assert o.guess_views((1, 2048), "float32", "output")[0] == o.VIEW_TOPK  # unnamed: what it was
    assert o.VIEW_MASK not in o.guess_views((1, 256, 64, 64), "float32", "features")  # a feature map: no classes


def test_norms_and_similarities_of_a_real_encoders_batch(tmp_path: Path) -> None:
    model = models.embedding_model(tmp_path / "enc.onnx")
    rng = np.random.default_rng(0)
    a = rng.random((3, 16, 16), np.float32)
    b = rng.random((3, 16, 16), np.float32)
    batch = np.stack([a, a * 0.5, b, -a])  # the same picture darker points the same way; its negative, opposite
    (out,) = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"]).run(None, {"image": batch})
    s = embeddings.summarize(out)
    assert s is not None and (s.rows, s.size) == (4, 32) and s.unit
    assert s.norms == pytest.approx([1.0] * 4, abs=1e-5)
    sim = np.array(s.similarity)
    assert sim[0, 1] == pytest.approx(1.0, abs=1e-5) and sim[0, 3] == pytest.approx(-1.0, abs=1e-5)
    assert -0.9 < sim[0, 2] < 0.99 and np.allclose(sim, sim.T) and np.allclose(np.diag(sim), 1.0, atol=1e-5)
    assert embeddings.cosine(out[0], out[2]) == pytest.approx(sim[0, 2])
    assert s.to_dict()["cosine_similarity"][0][1] == pytest.approx(1.0, abs=1e-5)


def test_one_vector_has_no_matrix_and_zeros_have_no_direction() -> None:
    s = embeddings.summarize(np.array([[3.0, 4.0]], np.float32))
    assert s is not None and s.norms == (5.0,) and s.similarity is None and not s.unit
    assert embeddings.cosine(np.zeros(4), np.ones(4)) is None
    assert embeddings.cosine(np.ones(4), np.ones(3)) is None
    assert embeddings.summarize(np.zeros((1, 8, 4, 4), np.float32)) is None  # a feature map is no vector
    assert not embeddings.embedding_output("features", np.zeros((1, 8, 4, 4), np.float32))
    assert embeddings.embedding_output("features", np.zeros((2, 8), np.float32))


def test_a_vector_holding_nan_has_no_similarity() -> None:
    s = embeddings.summarize(np.array([[1, np.nan, 2], [1, 2, 3], [0, 0, 0]], np.float32))
    assert s is not None and np.isnan(s.norms[0]) and s.norms[1] == pytest.approx(14**0.5)
    sim = np.array(s.similarity)
    assert np.isnan(sim[0]).all() and np.isnan(sim[:, 0]).all() and sim[1, 1] == pytest.approx(1) and sim[1, 2] == 0
