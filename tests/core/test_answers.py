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
