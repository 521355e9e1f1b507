"""Greedy generation with a text decoder's key/value cache: what an LLM export is for, timed. Qt-free.

A decoder exported with its cache (Optimum, onnxruntime-genai, transformers.js) takes ``input_ids``, an
``attention_mask``, often ``position_ids``, and a ``past_key_values.N.key/value`` per layer, and gives ``logits``
and a ``present.N.key/value`` per layer. The first run (the prefill) reads the whole prompt with an empty cache;
each later run reads one token, the best of the last run's scores, with the cache the last run gave. The two
costs differ (a prompt's tokens in one run, then one run per token), so they are timed apart: the prefill in
ms, the decoding in ms a token and tokens a second, as LLM benchmarks quote them.

:func:`decoder_inputs` finds those inputs and outputs by the exporters' names; :func:`generate` runs the loop over
any ``run(feeds) -> (outputs by name, ms)``, in the child process that holds the session (the cache never
crosses the process boundary).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, TypeVar

import numpy as np

from onnxstudio.core.beam_search import BeamSearch
from onnxstudio.core.errors import InputError
from onnxstudio.core.logits_rules import Rules
from onnxstudio.core.values import ValueSpec

_INTEGERS = ("int32", "int64")
_PAST = re.compile(r"past", re.IGNORECASE)
_ENCODER_CACHE = re.compile(r"(^|[._])encoder([._]|$)", re.IGNORECASE)  # past_key_values.0.encoder.key
T = TypeVar("T")
R = TypeVar("R")
_COMPARED = 8  # tokens whose scores a cache-less run must give again, as the run before gave them
_BEAMS_DRAWN = "beam search keeps the best beams: it draws no tokens (a temperature of 0, or 1 beam)"


@dataclass(frozen=True)
class DecoderInputs:
    """Where a decoder takes and gives what generation feeds back."""

    ids: str  # the token ids: input_ids
    logits: str  # the scores of the next token: logits [batch, sequence, vocabulary]
    cache: dict[str, str]  # past input -> the present output that feeds it next
    past_axis: dict[str, int]  # past input -> the axis that grows by a token each step
    past_dims: list[str] = field(default_factory=list)  # the free dims of the cache's length (set to 0 at first)
    mask: str | None = None  # attention_mask: ones over the cache and the new tokens
    positions: str | None = None  # position_ids: 0, 1, 2, ... after the cache
    cache_branch: str | None = None  # a merged decoder's use_cache_branch: false for the prefill, then true
    cache_position: str | None = None  # a static-cache export's cache_position: as position_ids, one row
    grows: list[str] = field(default_factory=list)  # without a cache, other inputs as long as the sequence
    once: list[str] = field(default_factory=list)  # an encoder's cache: taken from the prefill's outputs, then kept

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _present_for(name: str, outputs: set[str]) -> str | None:
    candidates = [name.replace("past_key_values", "present"), name.replace("past_key_values", "present_key_values"),
                  name.replace("past", "present"), _PAST.sub("present", name)]
    return next((c for c in candidates if c != name and c in outputs), None)


def decoder_inputs(inputs: Sequence[ValueSpec], outputs: Sequence[ValueSpec]) -> DecoderInputs:
    """The decoder's inputs and outputs that generation feeds back; InputError (one line) where the model is no
    decoder with a cache."""
    by_name = {s.name: s for s in inputs}
    ids = by_name.get("input_ids")
    if ids is None or ids.dtype not in _INTEGERS:
        raise InputError("generate needs a text decoder: this model has no integer input named input_ids")
    out_names = {s.name for s in outputs}
    logits = next((s.name for s in outputs if s.name == "logits"), None) or next(
        (s.name for s in outputs if s.type == "tensor" and s.shape is not None and len(s.shape) == 3
         and s.dtype.startswith(("float", "bfloat"))), None)
    if logits is None:
        raise InputError("generate needs a decoder's next-token scores: no output named logits "
                         "([batch, sequence, vocabulary])")
    cache: dict[str, str] = {}
    past_axis: dict[str, int] = {}
    past_dims: list[str] = []
    for spec in inputs:
        if not _PAST.search(spec.name):
            continue
        present = _present_for(spec.name, out_names)
        shape = spec.shape or ()
        free = [axis for axis in range(1, len(shape)) if not (isinstance(shape[axis], int) and shape[axis] > 0)]
        if present is None and _ENCODER_CACHE.search(spec.name):
            raise InputError(f"generate: {spec.name!r} is the encoder's cache, which this decoder does not give "
                             "back (Optimum's decoder_with_past_model takes it from decoder_model's first run): "
                             "generate with decoder_model_merged.onnx or decoder_model.onnx")
        if present is None or not free:
            raise InputError(f"generate: the cache input {spec.name!r} has no present output to feed it, or no "
                             "free length")
        axis = next((a for a in free if isinstance(shape[a], str) and _PAST.search(shape[a])), free[-1])
        cache[spec.name], past_axis[spec.name] = present, axis
        key = shape[axis] if isinstance(shape[axis], str) else f"{spec.name}:{axis}"
        if key not in past_dims:
            past_dims.append(key)
    mask = next((s.name for s in inputs if s.name == "attention_mask"), None)
    positions = next((s.name for s in inputs if s.name == "position_ids" and s.dtype in _INTEGERS
                      and s.shape is not None and len(s.shape) == 2), None)
    branch = next((s.name for s in inputs if s.name == "use_cache_branch" and s.dtype == "bool"), None)
    where = next((s.name for s in inputs if s.name == "cache_position" and s.dtype in _INTEGERS
                  and s.shape is not None and len(s.shape) == 1), None)
    grows: list[str] = []
    if not cache:  # each run reads the whole sequence: it must be free to grow
        shape = ids.shape
        if shape is None or len(shape) != 2 or (isinstance(shape[1], int) and shape[1] > 0):
            raise InputError("generate needs a decoder with its key/value cache (past_key_values.N.key inputs, "
                             "present.N.key outputs) or, without one, a free sequence length; this model's "
                             f"input_ids are {list(shape) if shape is not None else 'of no declared shape'}")
        scores = next(s for s in outputs if s.name == logits).shape
        if scores is not None and len(scores) != 3:
            raise InputError(f"generate: without a key/value cache it needs a score per token, and {logits!r} is "
                             f"{list(scores)}, not [batch, sequence, vocabulary]")
        if isinstance(shape[1], str):  # token_type_ids and the like, as long as the ids: their last column repeats
            grows = [s.name for s in inputs if s.name not in (ids.name, mask, positions) and s.shape is not None
                     and len(s.shape) == 2 and s.shape[1] == shape[1]]
    once = [name for name in cache if _ENCODER_CACHE.search(name)]  # Optimum's merged decoder gives it empty after
    return DecoderInputs(ids.name, logits, cache, past_axis, past_dims, mask, positions, branch, where, grows, once)


@dataclass
class Generated:
    """Greedy generation's tokens and times."""

    prompt: list[list[int]]  # [batch][prompt tokens]
    tokens: list[list[int]]  # [batch][new tokens]
    prefill_ms: float
    token_ms: list[float]  # each later run's time: one token for every row of the batch
    cache: bool = True  # False: a decoder without a cache, each run reading the whole sequence
    encoder_ms: float | None = None  # an encoder-decoder's: the encoder's one run, before the prefill

    @property
    def tokens_per_s(self) -> float | None:
        """Decoded tokens a second for one row (the median run's)."""
        return 1000.0 / float(np.median(self.token_ms)) if self.token_ms else None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "tokens_per_s": self.tokens_per_s}


@dataclass(frozen=True)
class Sampling:
    """How each next token is chosen: the best scored (``temperature`` 0, the default: greedy, the same tokens
    every time) or drawn from the softmax of the scores divided by ``temperature``, kept to the ``top_k`` best
    (0: all) and to the fewest whose probabilities add up to ``top_p`` (1: all), with numpy's generator seeded
    by ``seed``: the same seed, the same tokens."""

    temperature: float = 0.0
    top_k: int = 0
    top_p: float = 1.0
    seed: int = 0
    rules: Rules | None = None  # the scores shaped first, as the model's generation_config.json says

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sampling:
        rules = data.get("rules")
        return cls(**{**data, "rules": Rules.from_dict(rules) if rules is not None else None})

    @property
    def greedy(self) -> bool:
        return self.temperature <= 0 or self.top_k == 1

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def shaped(self, scores: np.ndarray, history: Callable[[], np.ndarray], step: int, last: bool) -> np.ndarray:
        """``scores`` [batch, vocabulary] after the rules (see :meth:`Rules.apply`; ``history`` gives the sequence
        so far, built only where a rule reads it)."""
        return scores if self.rules is None or not self.rules.active else \
            self.rules.apply(scores, history(), step, last)

    def describe(self) -> str:
        if self.greedy:
            return "greedy"
        parts = [f"temperature {self.temperature:g}"] + [f"top-k {self.top_k}"] * (self.top_k > 0) + \
            [f"top-p {self.top_p:g}"] * (self.top_p < 1) + [f"seed {self.seed}"]
        return "sampled: " + ", ".join(parts)


def with_rules(sampling: Sampling, rules: Rules, beams_asked: bool = False) -> tuple[Sampling, list[str]]:
    """``sampling`` with ``rules``, and a note where they changed: beams a config asks for are left out when
    tokens are drawn (beams asked for with a temperature are an InputError)."""
    if sampling.greedy or rules.num_beams <= 1:
        return replace(sampling, rules=rules), []
    if beams_asked:
        raise InputError(_BEAMS_DRAWN)
    note = (f"{rules.source or 'the config'} asks for beam search ({rules.num_beams} beams): left out, as tokens "
            "are drawn here")
    return replace(sampling, rules=replace(rules, num_beams=1)), [note]


def choose(scores: np.ndarray, sampling: Sampling | None, rng: np.random.Generator | None = None) -> np.ndarray:
    """The next token of every row from its scores [batch, vocabulary], as ``sampling`` says (greedy where None)."""
    if sampling is None or sampling.greedy:
        return scores.argmax(axis=-1)
    rng = rng or np.random.default_rng(sampling.seed)
    logits = scores.astype(np.float64) / sampling.temperature
    if 0 < sampling.top_k < logits.shape[-1]:
        kth = np.partition(logits, -sampling.top_k, axis=-1)[:, -sampling.top_k][:, None]
        logits = np.where(logits < kth, -np.inf, logits)
    probabilities = np.exp(logits - logits.max(axis=-1, keepdims=True))
    probabilities /= probabilities.sum(axis=-1, keepdims=True)
    if sampling.top_p < 1:  # the fewest best tokens whose probabilities reach top_p, the first always kept
        order = np.argsort(-probabilities, axis=-1, kind="stable")
        ranked = np.take_along_axis(probabilities, order, axis=-1)
        outside = np.cumsum(ranked, axis=-1) - ranked >= sampling.top_p
        ranked[outside] = 0.0
        probabilities = np.zeros_like(probabilities)
        np.put_along_axis(probabilities, order, ranked, axis=-1)
        probabilities /= probabilities.sum(axis=-1, keepdims=True)
    draws = rng.random((len(probabilities), 1))
    picked = (np.cumsum(probabilities, axis=-1) < draws).sum(axis=-1)
    return np.minimum(picked, probabilities.shape[-1] - 1)


RunStep = Callable[[dict[str, Any]], tuple[dict[str, Any], float]]


def generate(run: RunStep, feeds: dict[str, Any], dec: DecoderInputs, new_tokens: int,
             stop: Sequence[int] = (), sampling: Sampling | None = None) -> Generated:
    """``new_tokens`` tokens, each the best scored (greedy), from the prompt in ``feeds`` (its ids; the cache
    inputs empty: built with ``past_dims`` at 0). Stops early once every row has given a ``stop`` id."""
    return drain(generate_steps(run, feeds, dec, new_tokens, stop, sampling))


def drain(steps: Generator[T, None, R], each: Callable[[T], None] | None = None) -> R:
    """What a generator returns, after giving ``each`` every item it yields (generation's steps, a child's
    streamed tokens)."""
    while True:
        try:
            item = next(steps)
        except StopIteration as done:
            return done.value
        if each is not None:
            each(item)


def generate_steps(run: RunStep, feeds: dict[str, Any], dec: DecoderInputs, new_tokens: int,
                   stop: Sequence[int] = (), sampling: Sampling | None = None
                   ) -> Generator[np.ndarray, None, Generated]:
    """:func:`generate`, yielding each step's new token of every row ([batch]) as it comes, for an app that
    shows the text as it grows."""
    feeds = dict(feeds)
    prompts = _left_padded(feeds, dec)  # prompts of different lengths: padded on the left, their mask 0 there
    starts = len(sampling.rules.prefix) if sampling is not None and sampling.rules is not None else 0
    new_tokens += starts  # Whisper's language, task and no-timestamps tokens come first, chosen here
    search = _beam_search(feeds, dec, new_tokens, stop, sampling)  # None: one path
    if not dec.cache:
        return (yield from _without_cache(run, feeds, dec, new_tokens, stop, prompts, sampling, search, starts))
    rng = np.random.default_rng(sampling.seed) if sampling is not None else None
    ids = np.asarray(feeds[dec.ids])
    batch, prompt = ids.shape
    past = {name: int(np.asarray(feeds[name]).shape[dec.past_axis[name]]) for name in dec.cache}
    length = max(past.values(), default=0)  # tokens already in the cache
    mask = np.asarray(feeds[dec.mask]) if prompts is not None and dec.mask is not None else None
    if dec.mask is not None and mask is None:
        feeds[dec.mask] = np.ones((batch, length + prompt), dtype=np.asarray(feeds[dec.mask]).dtype)
    if dec.positions is not None:
        dtype = np.asarray(feeds[dec.positions]).dtype
        feeds[dec.positions] = _mask_positions(mask).astype(dtype) if mask is not None else np.broadcast_to(
            np.arange(length, length + prompt, dtype=dtype), (batch, prompt)).copy()
    if dec.cache_branch is not None:
        feeds[dec.cache_branch] = np.array([length > 0])
    if dec.cache_position is not None:
        feeds[dec.cache_position] = np.arange(length, length + prompt, dtype=np.asarray(feeds[dec.cache_position]).dtype)
    tokens: list[np.ndarray] = []
    times: list[float] = []
    done = np.zeros(batch, dtype=bool)
    for step in range(new_tokens):
        outputs, ms = run(feeds)
        times.append(ms)
        scores = np.asarray(outputs[dec.logits], dtype=np.float32)
        scores = scores[:, -1, :] if scores.ndim == 3 else scores  # or the last token's alone
        rows = None  # the running row each next one continues (beam search)
        if search is not None:
            took = search.step(scores, step)
            best, rows = took.tokens, took.rows
            done[:] = took.done
            if step >= starts:
                yield np.zeros(0, np.int64)  # a step, no token yet: the best beam is known at the end
        else:
            best = _pick(scores, lambda: _history(ids, tokens), step, step < starts, step == new_tokens - 1,
                         sampling, rng)
            tokens.append(best)
            if step >= starts:
                yield best
                done |= np.isin(best, list(stop))
        if done.all() or step == new_tokens - 1:
            break
        length += feeds[dec.ids].shape[1]
        feeds[dec.ids] = best[:, None].astype(ids.dtype)
        for name, present in dec.cache.items():
            if step == 0 or name not in dec.once:
                feeds[name] = outputs[present] if rows is None else np.take(outputs[present], rows, axis=0)
        if mask is not None and rows is not None:
            mask = mask[rows]
        if mask is not None:  # padded prompts: each row's next position is its own count of tokens
            mask = np.concatenate([mask, np.ones((batch, 1), mask.dtype)], axis=1)
            feeds[dec.mask] = mask
        elif dec.mask is not None:
            feeds[dec.mask] = np.ones((batch, length + 1), dtype=feeds[dec.mask].dtype)
        if dec.positions is not None:
            feeds[dec.positions] = (mask.sum(axis=1, keepdims=True) - 1 if mask is not None else
                                    np.full((batch, 1), length)).astype(feeds[dec.positions].dtype)
        if dec.cache_branch is not None:
            feeds[dec.cache_branch] = np.array([True])
        if dec.cache_position is not None:
            feeds[dec.cache_position] = np.array([length], dtype=feeds[dec.cache_position].dtype)
    return _result(search, prompts, ids, tokens, starts, stop, times, True)


def _pick(scores: np.ndarray, history: Callable[[], np.ndarray], step: int, start: bool, last: bool,
          sampling: Sampling | None, rng: np.random.Generator | None) -> np.ndarray:
    """The next token of every row on one path: the scores shaped by the rules, then the best (a start token the
    rules choose, Whisper's language) or the one ``sampling`` chooses."""
    if sampling is not None:
        scores = sampling.shaped(scores, history, step, last)
    return scores.argmax(axis=-1) if start else choose(scores, sampling, rng)


def _result(search: BeamSearch | None, prompts: list[list[int]] | None, ids: np.ndarray, tokens: list[np.ndarray],
            starts: int, stop: Sequence[int], times: list[float], cache: bool) -> Generated:
    """What generation gave: each row's prompt (``prompts``, else the ids fed first; with the start tokens chosen
    here) and its new tokens (the best beam's, with beam search); the runs up to the first new token are the
    prefill's time."""
    prompts = prompts or (search.prompt if search is not None else ids).tolist()
    if search is not None:
        prompts = [p + s for p, s in zip(prompts, search.starts(), strict=True)]
        new = _rectangular(search.best(), stop)
    else:
        chosen = np.stack(tokens, axis=1).tolist() if tokens else [[] for _ in prompts]
        prompts = [p + row[:starts] for p, row in zip(prompts, chosen, strict=True)]
        new = [row[starts:] for row in chosen]
    first = starts + 1  # the runs up to the first new token: the start tokens chosen here are the prompt's
    return Generated(prompts, new, sum(times[:first]), times[first:], cache)


def _beam_search(feeds: dict[str, Any], dec: DecoderInputs, new_tokens: int, stop: Sequence[int],
                 sampling: Sampling | None) -> BeamSearch | None:
    """The search of the beams the rules ask for (None for one path), every row of ``feeds`` that has the batch
    first repeated for each of its beams (the decoder then runs them all at once)."""
    rules = sampling.rules if sampling is not None else None
    if rules is None or rules.num_beams <= 1:
        return None
    if not sampling.greedy:
        raise InputError(_BEAMS_DRAWN)
    ids = np.asarray(feeds[dec.ids])
    batch = ids.shape[0]
    single = {dec.cache_branch, dec.cache_position}
    for name, value in list(feeds.items()):
        value = np.asarray(value)
        if name not in single and value.ndim >= 2 and value.shape[0] == batch:
            feeds[name] = np.repeat(value, rules.num_beams, axis=0)
    return BeamSearch(ids, rules.num_beams, new_tokens, tuple(stop), rules)


def _rectangular(rows: list[list[int]], stop: Sequence[int]) -> list[list[int]]:
    """Rows of different lengths (beams that ended apart) padded with the end-of-text id, as transformers pads
    them."""
    width = max(map(len, rows), default=0)
    fill = stop[0] if stop else 0
    return [row + [fill] * (width - len(row)) for row in rows]


def _history(prompt: np.ndarray, tokens: list[np.ndarray]) -> np.ndarray:
    """The sequence so far of every row: its prompt (after the padding on its left) and the new tokens."""
    return np.concatenate([prompt, np.stack(tokens, axis=1)], axis=1) if tokens else prompt


def _left_padded(feeds: dict[str, Any], dec: DecoderInputs) -> list[list[int]] | None:
    """Prompts of different lengths (texts a line each, padded on the right with their mask 0 there, as a
    tokenizer pads them) moved to the left of their rows, as Hugging Face pads a batch for generation: every
    row's next token then comes last. The prompts' own tokens, or None where no row is padded. InputError where
    the mask is not a padding's (zeros before ones) or a cache is already there."""
    if dec.mask is None:
        return None
    mask = np.asarray(feeds[dec.mask])
    if np.all(mask):
        return None
    ids = np.asarray(feeds[dec.ids])
    counts = mask.sum(axis=1) if mask.ndim == 2 else None
    if counts is None or mask.shape != ids.shape or (counts == 0).any() or \
            not (mask == (np.arange(mask.shape[1]) < counts[:, None])).all():
        raise InputError("generate reads each prompt whole: the attention mask is 0 inside a prompt, or a prompt is "
                         "padded after a cache; give prompts as texts (a line each), or a mask of ones")
    width = ids.shape[1]
    moved, left = np.empty_like(ids), np.zeros_like(mask)
    for row, n in enumerate(counts.tolist()):
        moved[row, :width - n] = ids[row, n:]  # the pad ids, now before the prompt
        moved[row, width - n:] = ids[row, :n]
        left[row, width - n:] = 1
    feeds[dec.ids], feeds[dec.mask] = moved, left
    return [ids[row, :n].tolist() for row, n in enumerate(counts.tolist())]


def _mask_positions(mask: np.ndarray) -> np.ndarray:
    """Positions as Hugging Face counts them for a left-padded batch: each token's count of real tokens up to
    it, less one (1 over the padding)."""
    positions = np.cumsum(mask, axis=1) - 1
    positions[mask == 0] = 1
    return positions


def _without_cache(run: RunStep, feeds: dict[str, Any], dec: DecoderInputs, new_tokens: int,
                   stop: Sequence[int], prompts: list[list[int]] | None = None, sampling: Sampling | None = None,
                   search: BeamSearch | None = None, starts: int = 0) -> Generator[np.ndarray, None, Generated]:
    """Generation by a decoder exported without its cache: each run reads the prompt and every token so far (its
    time grows with the sequence, which is what such an export costs). The scores a run gives for the tokens it
    shares with the run before must not change: a causal decoder's do not, a bidirectional encoder's (BERT's
    fill-mask head, which has the same inputs and outputs) do, and generating with it is refused."""
    ids = np.asarray(feeds[dec.ids])
    batch = ids.shape[0]
    sequence = ids
    mask = np.asarray(feeds[dec.mask]) if prompts is not None and dec.mask is not None else None  # left-padded
    rng = np.random.default_rng(sampling.seed) if sampling is not None else None
    before: np.ndarray | None = None
    tokens: list[np.ndarray] = []
    times: list[float] = []
    done = np.zeros(batch, dtype=bool)
    for step in range(new_tokens):
        length = sequence.shape[1]
        feeds[dec.ids] = sequence
        if mask is not None:
            mask = np.concatenate([mask, np.ones((batch, length - mask.shape[1]), mask.dtype)], axis=1)
            feeds[dec.mask] = mask
        elif dec.mask is not None:
            feeds[dec.mask] = np.ones((batch, length), dtype=np.asarray(feeds[dec.mask]).dtype)
        if dec.positions is not None:
            dtype = np.asarray(feeds[dec.positions]).dtype
            feeds[dec.positions] = _mask_positions(mask).astype(dtype) if mask is not None else np.broadcast_to(
                np.arange(length, dtype=dtype), (batch, length)).copy()
        outputs, ms = run(feeds)
        times.append(ms)
        scores = np.asarray(outputs[dec.logits], dtype=np.float32)
        if scores.ndim != 3 or scores.shape[1] != length:
            raise InputError(f"generate: {dec.logits!r} is {list(scores.shape)} for {length} tokens, not a score "
                             "per token ([batch, sequence, vocabulary])")
        if before is not None and not _same_scores(scores[:, -1 - before.shape[1]:-1], before):
            raise InputError("generate: this model is no causal decoder: its scores for the prompt changed when a "
                             "token was added (a bidirectional encoder, as a fill-mask head is)")
        before = scores[:, -_COMPARED:].copy()  # the last tokens' scores are enough (a whole LLM's run is not kept)
        if search is not None:
            took = search.step(scores[:, -1, :], step)
            best, done[:] = took.tokens, took.done
            before, sequence = before[took.rows], sequence[took.rows]
            mask = mask[took.rows] if mask is not None else None
        else:
            best = _pick(scores[:, -1, :], lambda s=sequence: s, step, step < starts, step == new_tokens - 1,
                         sampling, rng)
            tokens.append(best)
            if step >= starts:
                yield best
                done |= np.isin(best, list(stop))
        if done.all() or step == new_tokens - 1:
            break
        sequence = np.concatenate([sequence, best[:, None].astype(ids.dtype)], axis=1)
        for name in dec.grows:
            value = np.asarray(feeds[name])
            feeds[name] = np.concatenate([value, value[:, -1:]], axis=1)
    return _result(search, prompts, ids, tokens, starts, stop, times, False)


def _same_scores(now: np.ndarray, before: np.ndarray) -> bool:
    """Whether a run's scores for the earlier tokens are the run before's, up to the rounding of a different
    length's kernels (a thousandth of their range)."""
    if now.shape != before.shape:
        return False
    finite = np.isfinite(before)
    scale = float(np.abs(before[finite]).max()) if finite.any() else 0.0
    return bool(np.allclose(now[finite], before[finite], rtol=1e-3, atol=1e-3 * scale + 1e-6))


def token_text(ids: Sequence[int], vocab: Sequence[str] | None) -> str:
    """Tokens as the tokenizer writes them, joined: GPT-2's byte-level ``Ġ`` and SentencePiece's ``▁`` become spaces
    (other bytes stay as written); ids without a token in ``<id>``."""
    if not vocab:
        return " ".join(str(i) for i in ids)
    parts = [vocab[i] if 0 <= i < len(vocab) else f"<{i}>" for i in ids]
    return "".join(parts).replace("Ġ", " ").replace("▁", " ").replace("Ċ", "\n")
