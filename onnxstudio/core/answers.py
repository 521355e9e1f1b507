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
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from onnxstudio.core.values import ValueSpec

if TYPE_CHECKING:
    from onnxstudio.core.text import PairRow

MAX_ANSWER_TOKENS = 15  # the pipeline's max_answer_len (its default)
ROW_TOKENS = 384  # the pipeline's max_seq_len: the tokens of a row, where the model fixes none
WINDOW_OVERLAP = 128  # its doc_stride: the context's tokens two windows share (at most half a row)
_START = re.compile(r"start.*logit|logit.*start", re.IGNORECASE)
_END = re.compile(r"end.*logit|logit.*end", re.IGNORECASE)


@dataclass(frozen=True)
class Answer:
    start: int  # the span's first and last token, in the row
    end: int
    score: float  # best_span's: start logit + end logit; read_answer's: the answer's probability
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


def row_limit(spec: ValueSpec, tokenizer: str) -> int:
    """The tokens a row of a question and its context may hold: the length the model fixes, else the pipeline's
    384, or less where the tokenizer's ``model_max_length`` is less."""
    from onnxstudio.core.text import max_length

    length = spec.shape[-1] if spec.shape else None
    if isinstance(length, int) and length > 0:
        return length
    return min(ROW_TOKENS, max_length(tokenizer) or ROW_TOKENS)


def question_rows(tokenizer: str, question: str, context: str, limit: int) -> list[PairRow]:
    """The question and its context as rows of at most ``limit`` tokens: one where they fit, else windows of the
    context overlapping by the pipeline's ``doc_stride`` (:func:`~onnxstudio.core.text.pair_windows`)."""
    from onnxstudio.core.text import pair_windows

    return pair_windows(tokenizer, question, context, limit, min(limit // 2, WINDOW_OVERLAP))


@dataclass(frozen=True)
class RowAnswer(Answer):
    row: int = 0  # the window of the context it was found in (0 where the context fits one row)
    rows: int = 1


CANDIDATES = 12  # the spans the pipeline takes from each row before it adds up those of the same text


def read_answer(tokenizer: str, question: str, context: str, start: np.ndarray, end: np.ndarray,
                limit: int | None = None) -> RowAnswer | None:
    """The answer a run's ``start``/``end`` scores ([rows, sequence], or [sequence] where the export dropped the
    batch) pick from ``context``, as Hugging Face's question-answering pipeline picks it: in each row (a window
    each where the context was cut to ``limit`` tokens a row) the likeliest spans of the context, their
    probabilities those of the softmax of the start and end scores over the context's tokens; the same text's
    probabilities added up over spans and windows; the likeliest text. Its ``score`` is that probability, its
    span the first where it was found. None where the tokenizer marks no context tokens (no pair template)."""
    from onnxstudio.core.text import decode

    rows = question_rows(tokenizer, question, context, limit or 1 << 30)
    starts, ends = np.atleast_2d(start), np.atleast_2d(end)
    n = min(len(rows), len(starts))
    totals: dict[str, float] = {}
    first: dict[str, RowAnswer] = {}
    for i, row in enumerate(rows[:n]):
        inside = [seg == 1 and not sp for seg, sp in zip(row.types, row.special, strict=True)]
        for a, b, likely in _likeliest(starts[i], ends[i], inside):
            text = _words_text(row, a, b, context) or decode(tokenizer, row.ids[a:b + 1]) or ""
            totals[text] = totals.get(text, 0.0) + likely
            first.setdefault(text, RowAnswer(a, b, 0.0, text, i, n))
    if not totals:
        return None
    text = max(totals, key=lambda t: totals[t])
    return replace(first[text], score=totals[text])


def _words_text(row: PairRow, a: int, b: int, context: str) -> str | None:
    """The context's text from the start of token ``a``'s word to the end of token ``b``'s (a span that starts or
    ends inside a word takes it whole, as the pipeline's ``align_to_words``); None where a token has no word."""
    first, last = row.words[a], row.words[b]
    if row.sequences[a] != 1 or row.sequences[b] != 1 or first is None or last is None:
        return None
    words = [(w, o) for w, o, q in zip(row.words, row.offsets, row.sequences, strict=True) if q == 1]
    begin = min(o[0] for w, o in words if w == first)
    finish = max(o[1] for w, o in words if w == last)
    return context[begin:finish] if finish > begin else None


def _likeliest(start: np.ndarray, end: np.ndarray, context: Sequence[bool],
               longest: int = MAX_ANSWER_TOKENS) -> list[tuple[int, int, float]]:
    """A row's likeliest spans of the context (first token, last token, probability), at most
    :data:`CANDIDATES`, as the pipeline's ``select_starts_ends`` finds them: the start and end scores' softmax over
    the context's tokens and the first ([CLS], then left out), each span's start probability times its end's."""
    s = np.asarray(start, np.float64).reshape(-1)
    e = np.asarray(end, np.float64).reshape(-1)
    inside = np.zeros(len(s), bool)
    inside[:len(context)] = np.asarray(context, bool)[:len(s)]
    if not inside.any() or len(e) != len(s):
        return []
    allowed = inside.copy()
    allowed[0] = True
    probabilities = []
    for scores in (s, e):
        kept = np.where(allowed, scores, -10000.0)
        p = np.exp(kept - kept.max())
        p /= p.sum()
        p[0] = 0.0
        probabilities.append(p)
    outer = np.tril(np.triu(np.outer(*probabilities)), longest - 1)
    flat = outer.reshape(-1)
    top = np.argsort(-flat, kind="stable")[:CANDIDATES]
    spans = [(int(i) // len(s), int(i) % len(s), float(flat[i])) for i in top]
    return [(a, b, p) for a, b, p in spans if inside[a] and inside[b]]
