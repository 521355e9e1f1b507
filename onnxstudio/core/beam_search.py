"""Beam search as transformers' ``generate`` does it (``num_beams`` > 1, its vectorized search of 4.5x), in numpy.
Qt-free.

Each row of a batch keeps ``beams`` running sequences. A step takes the log-softmax of every beam's scores, lets
the rules shape them (:mod:`onnxstudio.core.logits_rules`, as transformers' logits processors do), adds each
beam's running score and keeps the best ``max(2, 1 + ends) * beams`` continuations over all the row's beams:
those that end (an end-of-text id, or the last token allowed) among the first ``beams`` become hypotheses, scored
by their sum of log-probabilities over ``new tokens ** length_penalty``; the best ``beams`` that do not end run on.
The search of a row stops once no running beam can beat its worst hypothesis (``early_stopping`` False: judged at
the current length; True: as soon as it has ``beams`` hypotheses; "never": at the longest length allowed where
the length penalty favours length). The answer is each row's best hypothesis.

The decoder runs ``batch * beams`` rows a step; :meth:`BeamSearch.step` says which running row each new one
continues, and the caller reorders the key/value cache by it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from onnxstudio.core.logits_rules import Rules

_LOST = np.float32(-1.0e9)  # transformers' "never": a score no sequence reaches


def _gather(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``values`` [batch, n, ...] at ``index`` [batch, k] of each row."""
    return values[np.arange(len(values))[:, None], index]


def _log_softmax(scores: np.ndarray) -> np.ndarray:
    """Each row's log-probabilities (a row of -inf where every score is, as torch gives it)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        top = scores.max(axis=-1, keepdims=True)
        return scores - top - np.log(np.exp(scores - top).sum(axis=-1, keepdims=True))


def _top(values: np.ndarray, k: int) -> np.ndarray:
    """The indices of each row's ``k`` largest values, largest first (ties: the lower index first). A partition
    first: sorting all of a row (beams x a vocabulary of 32k) cost ~10 ms a step."""
    if k >= values.shape[1]:
        return np.argsort(-values, axis=1, kind="stable")[:, :k]
    part = np.sort(np.argpartition(-values, k - 1, axis=1)[:, :k], axis=1)  # in index order: ties stay in it
    order = np.argsort(-np.take_along_axis(values, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


@dataclass
class BeamStep:
    """What the caller does after a step: feed ``tokens`` [batch * beams], each continuing the running row
    ``rows`` [batch * beams] (the cache is reordered by it); ``done`` once the search is over."""

    tokens: np.ndarray
    rows: np.ndarray
    done: bool


class BeamSearch:
    """The search of ``beams`` beams for every row of ``prompt`` [batch, tokens] (its tokens before the first
    new one: a decoder's prompt, after the padding on its left, or an encoder-decoder's start tokens)."""

    def __init__(self, prompt: np.ndarray, beams: int, new_tokens: int, stop: tuple[int, ...] | list[int],
                 rules: Rules | None = None) -> None:
        prompt = np.asarray(prompt, dtype=np.int64)
        self.prompt = prompt
        self.batch, self.prompt_length = prompt.shape
        self.beams, self.stop = beams, np.asarray(list(stop), np.int64)
        self.rules = rules or Rules()
        self.length_penalty, self.early_stopping = self.rules.length_penalty, self.rules.early_stopping
        self.max_length = self.prompt_length + new_tokens
        self.length = self.prompt_length
        self.keep = max(2, 1 + len(self.stop)) * beams  # continuations kept a step: enough to run on after ends
        fill = int(self.stop[0]) if len(self.stop) else 0
        self.running = np.full((self.batch, beams, self.max_length), fill, np.int64)
        self.running[:, :, :self.prompt_length] = prompt[:, None, :]
        self.sequences = self.running.copy()  # the hypotheses
        self.running_scores = np.zeros((self.batch, beams), np.float32)
        self.running_scores[:, 1:] = _LOST  # the beams start the same: one counts at first
        self.scores = np.full((self.batch, beams), _LOST, np.float32)
        self.finished = np.zeros((self.batch, beams), bool)
        self.improvable = np.ones((self.batch, 1), bool)
        self.chosen: list[np.ndarray] = []  # the start tokens chosen first (Rules.prefix), a row's for its beams

    def step(self, logits: np.ndarray, step: int) -> BeamStep:
        """One step from the decoder's next-token scores ``logits`` [batch * beams, vocabulary]."""
        batch, beams, length = self.batch, self.beams, self.length
        logits = np.asarray(logits, dtype=np.float32)
        vocab = logits.shape[-1]
        if step < len(self.rules.prefix):  # a start token: the likeliest of its ids for every beam of a row, part
            # of the prompt (transformers detects Whisper's language before its search)
            history = self.running[:, :, :length].reshape(batch * beams, length)
            first = self.rules.apply(logits, history, step, False).reshape(batch, beams, vocab)[:, 0].argmax(-1)
            self.running[:, :, length] = first[:, None]
            self.chosen.append(first)
            self.prompt_length = self.length = length + 1
            return BeamStep(np.repeat(first, beams), np.arange(batch * beams), False)
        last = length + 1 >= self.max_length
        log_probs = self.rules.apply(_log_softmax(logits), self.running[:, :, :length].reshape(batch * beams, length),
                                     step, last)
        if self.rules.renormalize:  # transformers' LogitNormalization, after the other processors
            log_probs = _log_softmax(log_probs)
        total = (log_probs.reshape(batch, beams, vocab) + self.running_scores[:, :, None]).reshape(batch, -1)
        top = _top(total, self.keep)
        top_scores = np.take_along_axis(total, top, axis=1)
        source, tokens = top // vocab, top % vocab
        candidates = _gather(self.running, source)
        candidates[:, :, length] = tokens
        ends = np.isin(tokens, self.stop) | last  # an end-of-text id, or the last token allowed
        # the best continuations that do not end run on
        running_scores = top_scores + ends.astype(np.float32) * _LOST
        nxt = _top(running_scores, beams)
        self.running = _gather(candidates, nxt)
        self.running_scores = _gather(running_scores, nxt)
        rows = (np.arange(batch)[:, None] * beams + _gather(source, nxt)).reshape(-1)
        # those that end among the first `beams` become hypotheses, if they beat the row's worst
        just_ended = ends & (np.arange(self.keep) < beams)[None, :]
        scored = top_scores / np.float32((length + 1 - self.prompt_length) ** self.length_penalty)
        full = self.finished.all(axis=1, keepdims=True) & (self.early_stopping is True)
        scored = scored + full * _LOST + (~self.improvable) * _LOST + (~just_ended) * _LOST
        merged_scores = np.concatenate([self.scores, scored.astype(np.float32)], axis=1)
        best = _top(merged_scores, beams)
        self.sequences = _gather(np.concatenate([self.sequences, candidates], axis=1), best)
        self.scores = _gather(merged_scores, best)
        self.finished = _gather(np.concatenate([self.finished, just_ended], axis=1), best)
        self.length = length = length + 1
        if self.early_stopping == "never" and self.length_penalty > 0:
            hypothetical = self.max_length - self.prompt_length
        else:
            hypothetical = length - self.prompt_length
        possible = self.running_scores[:, :1] / np.float32(hypothetical ** self.length_penalty)
        worst = np.where(self.finished, self.scores.min(axis=1, keepdims=True), _LOST)
        self.improvable = self.improvable & (possible > worst).any(axis=1, keepdims=True)
        done = not self.improvable.any() or (self.finished.all() and self.early_stopping is True) or ends.all()
        return BeamStep(self.running[:, :, length - 1].reshape(-1), rows, bool(done))

    def starts(self) -> list[list[int]]:
        """Each row's start tokens chosen first (none where the rules have no prefix)."""
        return np.stack(self.chosen, axis=1).tolist() if self.chosen else [[] for _ in range(self.batch)]

    def best(self) -> list[list[int]]:
        """Each row's best hypothesis: its new tokens, up to and with its end-of-text id."""
        stop, out = set(self.stop.tolist()), []
        for row in self.sequences[:, 0, self.prompt_length:self.length].tolist():
            end = next((i for i, t in enumerate(row) if t in stop), None)
            out.append(row if end is None else row[:end + 1])
        return out
