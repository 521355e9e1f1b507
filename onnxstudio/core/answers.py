"""An extractive question-answering head's answer: the span of its context that its start and end scores pick.
Qt-free.

A SQuAD-style model (BERT's, DistilBERT's ``...ForQuestionAnswering`` as Optimum exports it) takes a question and a
context as one pair of texts and gives ``start_logits`` and ``end_logits`` [batch, sequence]: the answer is the
span of the context (the second text's tokens) whose start score plus end score is highest, at most
:data:`MAX_ANSWER_TOKENS` long, as Hugging Face's question-answering pipeline picks it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from onnxstudio.core.values import ValueSpec

MAX_ANSWER_TOKENS = 30  # the pipeline's max_answer_len
_START = re.compile(r"start.*logit|logit.*start", re.IGNORECASE)
_END = re.compile(r"end.*logit|logit.*end", re.IGNORECASE)


@dataclass(frozen=True)
class Answer:
    start: int  # the span's first and last token, in the row
    end: int
    score: float  # start logit + end logit
    text: str = ""


def answer_outputs(outputs: Sequence[ValueSpec]) -> tuple[str, str] | None:
    """The names of a question-answering head's start and end scores (``start_logits``, ``end_logits``), or None."""
    starts = [o.name for o in outputs if _START.search(o.name)]
    ends = [o.name for o in outputs if _END.search(o.name)]
    return (starts[0], ends[0]) if len(starts) == 1 and len(ends) == 1 else None


def best_span(start: np.ndarray, end: np.ndarray, context: Sequence[bool],
              longest: int = MAX_ANSWER_TOKENS) -> Answer | None:
    """The span of ``context`` tokens (True where a token is the context's) with the highest start + end score,
    start before end, at most ``longest`` tokens; None where the row has no context token."""
    s = np.asarray(start, np.float64).reshape(-1)
    e = np.asarray(end, np.float64).reshape(-1)
    inside = np.zeros(len(s), bool)
    inside[:len(context)] = np.asarray(context, bool)[:len(s)]
    if not inside.any() or len(e) != len(s):
        return None
    best: Answer | None = None
    for width in range(min(longest, len(s))):  # spans of width + 1 tokens: starts 0 .. n - width - 1
        total = s[:len(s) - width] + e[width:]
        total = np.where(inside[:len(s) - width] & inside[width:], total, -np.inf)
        if width:  # every token of the span in the context
            for k in range(1, width):
                total = np.where(inside[k:len(s) - width + k], total, -np.inf)
        a = int(np.argmax(total))
        if np.isfinite(total[a]) and (best is None or total[a] > best.score):
            best = Answer(a, a + width, float(total[a]))
    return best


def read_answer(tokenizer: str, question: str, context: str, start: np.ndarray, end: np.ndarray) -> Answer | None:
    """The answer a run's ``start``/``end`` scores ([batch, sequence], or [sequence] where the export dropped the
    batch; the first row is the pair's) pick from ``context``: its span and its text through the tokenizer; None
    where the tokenizer marks no context tokens (it has no pair template)."""
    from onnxstudio.core.text import decode, encode_pair

    ids, segments, special = encode_pair(tokenizer, question, context)
    inside = [seg == 1 and not sp for seg, sp in zip(segments, special, strict=True)]
    span = best_span(np.atleast_2d(start)[0], np.atleast_2d(end)[0], inside)
    if span is None:
        return None
    return Answer(span.start, span.end, span.score, decode(tokenizer, ids[span.start:span.end + 1]) or "")
