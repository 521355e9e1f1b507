"""The rules a model's ``generation_config.json`` sets on the next token's scores, applied as transformers'
``generate`` applies its logits processors (greedy or drawn, the choice comes after them). Qt-free.

Without them a model does not write what its own pipeline writes: Whisper's config suppresses ~90 tokens (and
a space or the end of text as the first token), Marian's never lets the pad token be chosen and forces the end
of text at the last token, BART's summarizers forbid a repeated 3-gram and ending before a minimum length, chat
models penalize repetition. Handled, in transformers' order (the penalty first: it is the one that is not a
mask): ``repetition_penalty``, ``no_repeat_ngram_size``, ``bad_words_ids``, ``min_length``, ``min_new_tokens``,
``forced_eos_token_id``, ``suppress_tokens``, ``begin_suppress_tokens``. The decoder's first tokens
(``decoder_start_token_id``, ``forced_bos_token_id``, Whisper's ``forced_decoder_ids``) are its start tokens:
:mod:`onnxstudio.core.generation_config`.

Ids are checked against the vocabulary when the scores come (a config's id past it is left out, not an
error); lists from a config are cut at :data:`_MAX_IDS` (a config is a file from anywhere).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

_MAX_IDS = 100_000  # ids read from one list of a config
_MAX_WORDS = 10_000  # bad word sequences read from a config
_MAX_NGRAM = 64
_MAX_PENALTY = 100.0
_MAX_BEAMS = 64


def token_id(value: Any) -> int | None:
    """``value`` where it is a token id a config may give (an int, not a bool, 0 to 2**31), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1 << 31 else None


def _ids(value: Any) -> tuple[int, ...]:
    """A config's list of token ids (or one id), those that are ids."""
    items = value if isinstance(value, list) else [value]
    return tuple(i for i in (token_id(v) for v in items[:_MAX_IDS]) if i is not None)


def _count(value: Any, most: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= most else 0


@dataclass(frozen=True)
class Rules:
    """What shapes the scores before a token is chosen; the defaults change nothing."""

    repetition_penalty: float = 1.0  # a token already in the sequence: its score / p (positive) or * p (negative)
    no_repeat_ngram: int = 0  # n: no n-gram twice in the sequence (0: off)
    bad_words: tuple[tuple[int, ...], ...] = ()  # never chosen (a sequence: its last token, after the rest)
    min_length: int = 0  # the end of text is not chosen before the sequence (prompt included) is this long
    min_new_tokens: int = 0  # ... nor before this many new tokens
    eos: tuple[int, ...] = ()  # the end-of-text ids the two minimums hold back
    forced_eos: tuple[int, ...] = ()  # the last token allowed: the end of text
    suppress: tuple[int, ...] = ()  # never chosen
    begin_suppress: tuple[int, ...] = ()  # not chosen as the first new token
    source: str = ""  # the config they were read from ("" where given or none)
    num_beams: int = 1  # the search: beams kept (1: one path), see onnxstudio.core.beam_search
    length_penalty: float = 1.0  # a finished beam's score: its log-probability / new tokens ** this
    early_stopping: bool | str = False  # True, False or "never", as transformers' generate takes it
    renormalize: bool = False  # beam search: the shaped log-probabilities normalized again (renormalize_logits)
    prefix: tuple[tuple[int, ...], ...] = ()  # the first new tokens, each the likeliest of its ids (Whisper's
    # language detected, then its task and no-timestamps tokens): the start tokens' end, the rules apply after them

    @property
    def active(self) -> bool:
        """Whether any rule changes a score (the end-of-text ids alone do not)."""
        return bool(self.prefix or self.repetition_penalty != 1.0 or self.no_repeat_ngram or self.bad_words or self.forced_eos
                    or self.suppress or self.begin_suppress or
                    (self.eos and (self.min_length or self.min_new_tokens)))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rules:
        tuples = {k: tuple(tuple(w) for w in data.get(k, ())) for k in ("bad_words", "prefix")}
        tuples.update({k: tuple(data.get(k, ())) for k in ("eos", "forced_eos", "suppress", "begin_suppress")})
        return cls(**{**data, **tuples})

    @classmethod
    def from_config(cls, config: dict[str, Any], source: str = "") -> Rules:
        """The rules a ``generation_config.json`` (or the ``config.json`` of a model without one) sets; values
        that are not what transformers accepts are left out."""
        penalty = config.get("repetition_penalty")
        ok = isinstance(penalty, (int, float)) and not isinstance(penalty, bool) and math.isfinite(penalty) \
            and 0 < penalty <= _MAX_PENALTY
        eos = _ids(config.get("eos_token_id"))
        words = config.get("bad_words_ids")
        bad = tuple(w for w in (_ids(seq) for seq in (words if isinstance(words, list) else [])[:_MAX_WORDS]
                                if isinstance(seq, list) and seq) if w and w not in {(e,) for e in eos})
        lengths = config.get("length_penalty")
        lengths_ok = isinstance(lengths, (int, float)) and not isinstance(lengths, bool) and abs(lengths) <= 100 \
            and math.isfinite(lengths)
        stopping = config.get("early_stopping")
        return cls(float(penalty) if ok else 1.0, _count(config.get("no_repeat_ngram_size"), _MAX_NGRAM), bad,
                   _count(config.get("min_length"), 1 << 20), _count(config.get("min_new_tokens"), 1 << 20), eos,
                   _ids(config.get("forced_eos_token_id")), _ids(config.get("suppress_tokens") or []),
                   _ids(config.get("begin_suppress_tokens") or []), source,
                   max(1, _count(config.get("num_beams"), _MAX_BEAMS)), float(lengths) if lengths_ok else 1.0,
                   stopping if stopping is True or stopping == "never" else False,
                   config.get("renormalize_logits") is True)

    def with_choices(self, repetition_penalty: float | None = None, no_repeat_ngram: int | None = None,
                     beams: int | None = None) -> Rules:
        """These rules, the penalty, the n-gram size and the beams replaced where given."""
        given = {"repetition_penalty": None if repetition_penalty is None else float(repetition_penalty),
                 "no_repeat_ngram": None if no_repeat_ngram is None else int(no_repeat_ngram),
                 "num_beams": None if beams is None else max(1, int(beams))}
        return replace(self, **{k: v for k, v in given.items() if v is not None})

    def describe(self) -> str:
        """The rules in a line ("" where none): what the command line and the app say they applied."""
        detected = next((ids for ids in self.prefix if len(ids) > 1), ())
        parts = [f"the language detected among {len(detected)}"] * bool(detected)
        forced = sum(len(ids) == 1 for ids in self.prefix)
        parts += [f"{forced} start token{'s' * (forced > 1)} after it"] * bool(forced and detected)
        parts += [f"repetition penalty {self.repetition_penalty:g}"] * (self.repetition_penalty != 1.0)
        parts += [f"no repeated {self.no_repeat_ngram}-grams"] * (self.no_repeat_ngram > 0)
        if self.bad_words:
            parts.append(f"{len(self.bad_words)} banned word{'s' * (len(self.bad_words) > 1)}")
        if self.eos and (self.min_length or self.min_new_tokens):
            parts += [f"at least {self.min_length} tokens"] * (self.min_length > 0)
            parts += [f"at least {self.min_new_tokens} new tokens"] * (self.min_new_tokens > 0)
        parts += ["the end forced at the last token"] * bool(self.forced_eos)
        parts += [f"{len(self.suppress)} tokens suppressed"] * bool(self.suppress)
        parts += [f"{len(self.begin_suppress)} never first"] * bool(self.begin_suppress)
        return ", ".join(parts)

    @property
    def shown(self) -> bool:
        """Whether there is anything to say: a rule on the scores or a beam search."""
        return self.active or self.num_beams > 1

    def summary(self) -> str:
        """The search and the rules in a line ("" where neither)."""
        return ", ".join(part for part in (self.describe_search(), self.describe()) if part)

    def describe_search(self) -> str:
        """The search in a line: "" for one path, else the beams and how they end."""
        if self.num_beams <= 1:
            return ""
        stopping = {True: ", each row done at its beams' count of ends", "never": ", run to the longest"}.get(
            self.early_stopping, "")
        return f"beam search: {self.num_beams} beams, length penalty {self.length_penalty:g}{stopping}"

    def apply(self, scores: np.ndarray, history: np.ndarray, step: int, last: bool) -> np.ndarray:
        """``scores`` [batch, vocabulary] of the next token after ``history`` [batch, tokens so far] (the prompt
        or start tokens and every new one; the ``step``-th new token comes, ``last`` the final one allowed),
        changed as the rules say (a copy; the same array where no rule applies)."""
        if not self.active:
            return scores
        scores = np.array(scores, dtype=np.float32)
        vocab = scores.shape[-1]
        if step < len(self.prefix):  # a start token still to come: the likeliest of its ids, no other rule
            allowed = [i for i in self.prefix[step] if i < vocab]
            if allowed:
                kept = scores[:, allowed]
                scores[:] = -np.inf
                scores[:, allowed] = kept
            return scores
        step -= len(self.prefix)  # the rules count the new tokens after the start tokens
        history = np.asarray(history, dtype=np.int64)

        def banned(ids: tuple[int, ...] | list[int], rows: Any = slice(None)) -> None:
            kept = [i for i in ids if i < vocab]
            if kept:
                scores[rows, np.asarray(kept, np.int64)] = -np.inf

        if self.repetition_penalty != 1.0:
            p = self.repetition_penalty
            for row in range(len(scores)):  # each id of the row once: the penalty is not applied twice
                ids = np.unique(history[row][(history[row] >= 0) & (history[row] < vocab)])
                seen = scores[row, ids]
                scores[row, ids] = np.where(seen < 0, seen * p, seen / p)
        n = self.no_repeat_ngram
        if n > 0 and history.shape[1] >= n:  # an n-gram to repeat: n tokens at least
            for row in range(len(scores)):
                if n == 1:
                    banned(history[row].tolist(), row)
                    continue
                windows = sliding_window_view(history[row], n)
                same = (windows[:, :-1] == history[row, history.shape[1] - n + 1:]).all(axis=1)
                banned(windows[same, -1].tolist(), row)
        for word in self.bad_words:
            if len(word) == 1:
                banned(word)
                continue
            prefix = np.asarray(word[:-1], np.int64)
            if history.shape[1] >= len(prefix):
                rows = (history[:, history.shape[1] - len(prefix):] == prefix).all(axis=1)
                banned(word[-1:], rows)
        if self.eos and (history.shape[1] < self.min_length or step < self.min_new_tokens):
            banned(self.eos)
        if last and self.forced_eos:
            kept = [i for i in self.forced_eos if i < vocab]
            if kept:
                scores[:] = -np.inf
                scores[:, kept] = 0.0
        banned(self.suppress)
        if step == 0:
            banned(self.begin_suppress)
        return scores
