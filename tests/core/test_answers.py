"""A question-answering head's answer: the span of the context its start and end scores pick, in real sessions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort

from onnxstudio.core.answers import answer_outputs, best_span, read_answer
from onnxstudio.core.inputs import TextSource, build_feeds, describe_source
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.values import ValueSpec
from tests import models


def test_the_best_span_lies_in_the_context_start_before_end() -> None:
    start = np.array([9, 5, 0, 1, 9, 0, 0], np.float32)  # 9 at 0 is the question's: not taken
    end = np.array([0, 0, 7, 0, 0, 8, 9], np.float32)  # 9 at 6 is a [SEP]: outside the context
    context = [False, False, True, True, True, True, False]
    span = best_span(start, end, context)
    assert span is not None and (span.start, span.end, span.score) == (4, 5, 17.0)
    assert best_span(start, end, context, longest=1).start == 4  # one token: start 9 + end 0 at 4
    assert best_span(start, end, [False] * 7) is None
    specs = [ValueSpec(n, "tensor", "float32", ("b", "s"), "t") for n in ("start_logits", "end_logits", "other")]
    assert answer_outputs(specs) == ("start_logits", "end_logits")
    assert answer_outputs(specs[1:]) is None


def test_a_question_and_its_context_are_one_pair_and_the_answer_is_read(tmp_path: Path) -> None:
    """Two lines given to a QA model are [CLS] question [SEP] context [SEP], token types 1 over the context; the
    model's scores pick "upon a time" from the context, not from the question that holds the same words."""
    path = models.question_answering_model(tmp_path / "qa.onnx")
    tok = str(models.tokenizer_file(tmp_path / "tokenizer.json"))
    specs = inspect_model(path, shapes=False).inputs
    source = TextSource("upon a time\nonce upon a time hello", tok, pair=True)
    notes: list[str] = []
    feeds = build_feeds(specs, {"input_ids": source}, {}, notes)
    assert feeds["input_ids"].tolist() == [[1, 7, 8, 9, 2, 6, 7, 8, 9, 4, 2]]
    assert feeds["token_type_ids"].tolist() == [[0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]]
    assert "input 'token_type_ids': 0 over the question, 1 over the context, as a tokenizer gives them" in notes
    assert describe_source(source).startswith("question 'upon a time' and its context 'once upon a time hello'")
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    start, end, _ = session.run(None, feeds)
    found = read_answer(tok, *source.texts, start, end)
    assert found is not None and (found.text, found.start, found.end) == ("upon a time", 6, 8)
    assert read_answer(tok, *source.texts, start[0], end[0]) == found  # an export that dropped the batch
    batch = build_feeds(specs, {"input_ids": TextSource("upon a time\nonce upon a time hello", tok)})
    assert batch["input_ids"].shape[0] == 2  # not a QA pair: a batch of two texts


def test_a_context_longer_than_a_row_is_read_in_windows(tmp_path: Path) -> None:
    """As Hugging Face's pipeline reads it: a row each of the question and a window of the context (64 tokens a row
    where tokenizer_config.json says so, else 384), the windows overlapping; the answer found in the last one."""
    path = models.question_answering_model(tmp_path / "qa.onnx")
    tok = str(models.tokenizer_file(tmp_path / "tokenizer.json"))
    (tmp_path / "tokenizer_config.json").write_text('{"model_max_length": 64}')
    specs = inspect_model(path, shapes=False).inputs
    context = "hello world " * 100 + "once upon a time"  # 204 tokens: the answer at the end
    source = TextSource(f"upon a time\n{context}", tok, pair=True)
    notes: list[str] = []
    feeds = build_feeds(specs, {"input_ids": source}, {}, notes)
    ids, types, mask = feeds["input_ids"], feeds["token_type_ids"], feeds["attention_mask"]
    assert ids.shape == (7, 64)  # 58 context tokens a row, 32 shared: windows at 0, 26, ... 156
    assert (ids[:, :5] == [1, 7, 8, 9, 2]).all() and (types[:, :5] == 0).all() and (types[:6, 5:] == 1).all()
    assert mask[:6].all() and not mask[-1].all() and (mask[-1] == (ids[-1] != 3)).all()  # the last row's padding
    assert any("the question and its context are 210 tokens, more than a row of 64: 7 windows" in n for n in notes)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    start, end, _ = session.run(None, feeds)
    found = read_answer(tok, *source.texts, start, end, 64)
    assert found is not None and found.text == "upon a time" and (found.row, found.rows) == (6, 7)
    (tmp_path / "tokenizer_config.json").unlink()  # the pipeline's 384 tokens a row: one row
    assert build_feeds(specs, {"input_ids": source})["input_ids"].shape == (1, 210)
    long = TextSource("upon a time\n" + "hello world " * 300, tok, pair=True)
    rows = build_feeds(specs, {"input_ids": long})["input_ids"]
    assert rows.shape == (2, 384)  # 600 tokens: 378 a row, 128 shared
    one = ValueSpec("input_ids", "tensor", "int64", (1, 64), "tensor(int64)")  # a batch of one: the first window
    notes = []
    assert build_feeds([one], {"input_ids": source}, {}, notes)["input_ids"].shape == (1, 64)
    assert any("the model takes 1 row at a time: the first window only" in n for n in notes)


def test_a_row_too_short_for_the_question_is_one_line_and_a_tight_one_still_works(tmp_path: Path) -> None:
    import pytest

    from onnxstudio.core.errors import InputError

    tok = str(models.tokenizer_file(tmp_path / "tokenizer.json"))
    source = TextSource("upon a time once upon a time\n" + "hello world " * 8, tok, pair=True)  # 10 tokens besides
    for width, rows in ((11, 16), (12, 15)):  # 1 and 2 context tokens a row: the overlap shrinks to fit
        spec = ValueSpec("input_ids", "tensor", "int64", ("batch", width), "tensor(int64)")
        assert build_feeds([spec], {"input_ids": source})["input_ids"].shape == (rows, width)
    spec = ValueSpec("input_ids", "tensor", "int64", ("batch", 10), "tensor(int64)")
    with pytest.raises(InputError, match="fill the 10 tokens of a row: no room is left for the context") as err:
        build_feeds([spec], {"input_ids": source})
    assert "\n" not in err.value.message
