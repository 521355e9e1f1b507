"""Encoder-decoder generation (T5, BART, Marian, Whisper as Optimum exports them), timed. Qt-free.

Such a model ships as two files: an encoder (``encoder_model.onnx``: the text's ids and mask, or a recording's
features, in; ``last_hidden_state`` out) and a decoder that reads the encoder's states at every step
(``decoder_model_merged.onnx`` with its key/value cache and a ``use_cache_branch``, or ``decoder_model.onnx``
without a cache). The encoder runs once; the decoder starts from the start token the model's
``generation_config.json`` or ``config.json`` names (``decoder_start_token_id``) and generates greedily as a
decoder alone does (:mod:`onnxstudio.core.generation`), its ``encoder_hidden_states`` and
``encoder_attention_mask`` the same at every step. Each model runs in a child process of its own
(:class:`~onnxstudio.core.engine.Engine`), one after the other, so the two are never in memory together.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from onnxstudio.core.dtypes import numpy_dtype
from onnxstudio.core.engine import Engine, SessionInfo
from onnxstudio.core.errors import InputError
from onnxstudio.core.generation import DecoderInputs, Generated, Sampling, decoder_inputs, drain
from onnxstudio.core.generation_config import start_tokens
from onnxstudio.core.inputs import ConstantSource, build_input, dim_key
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.providers import SessionConfig
from onnxstudio.core.values import ValueSpec

_STATES = re.compile(r"^encoder_(hidden_states|outputs|last_hidden_state)$|^encoder_output$", re.IGNORECASE)
_ENCODER_MASK = re.compile(r"^encoder_attention_mask$", re.IGNORECASE)
# Optimum's decoder files, the one with a cache first; the encoder beside them is encoder_model*.onnx
_DECODER_STEMS = ("decoder_model_merged", "decoder_model", "decoder_with_past_model")


def states_input(inputs: list[ValueSpec]) -> str | None:
    """The decoder's input that takes the encoder's states (``encoder_hidden_states``), if it has one."""
    return next((s.name for s in inputs if _STATES.match(s.name)), None)


def partner_candidates(model: str | Path, decoder: bool) -> list[Path]:
    """The files an encoder's decoder (``decoder=True``) or a decoder's encoder may be, by the names exporters
    give them: Optimum's ``encoder_model[_quantized].onnx`` beside ``decoder_model_merged[_quantized].onnx``
    (or ``decoder_model``), and any other name with ``encoder`` and ``decoder`` swapped (``whisper-encoder.onnx``,
    ``whisper-decoder.onnx``)."""
    path = Path(model)
    name = path.name
    found: list[str] = []
    if decoder:
        if "encoder_model" in name:
            found += [name.replace("encoder_model", stem, 1) for stem in _DECODER_STEMS]
        found += [name.replace(a, b, 1) for a, b in (("encoder", "decoder"), ("Encoder", "Decoder")) if a in name]
    else:
        for stem in _DECODER_STEMS:
            if stem in name:
                found.append(name.replace(stem, "encoder_model", 1))
                break
        bare = name.replace("_merged", "").replace("_with_past", "")
        found += [bare.replace(a, b, 1) for a, b in (("decoder", "encoder"), ("Decoder", "Encoder")) if a in bare]
    return [path.with_name(candidate) for candidate in dict.fromkeys(found) if candidate != name]


@dataclass(frozen=True)
class Seq2Seq:
    """An encoder and the decoder that reads its states, and the names that join them."""

    encoder: Path
    decoder: Path
    states_output: str  # the encoder's output fed to the decoder: last_hidden_state
    states_input: str  # the decoder's input that takes it: encoder_hidden_states
    encoder_mask: str | None  # the encoder's attention_mask, fed on to the decoder's ...
    decoder_mask: str | None  # ... encoder_attention_mask (ones where the encoder takes no mask)

    def describe(self) -> str:
        return f"{self.encoder.name} -> {self.decoder.name}"


def find_pair(model: str | Path, other: str | Path | None = None, report: Any = None) -> Seq2Seq | None:
    """The encoder-decoder ``model`` (whose inspection ``report`` may be given) is half of: ``other`` where given,
    else the partner found beside it by name; None where ``model`` is neither (no decoder reading an encoder's
    states among them); Optimum's ``decoder_with_past_model``, which cannot start a generation, is joined by the
    merged or plain decoder beside it. InputError (one line) where ``model`` is such a decoder and its encoder is
    missing or does not fit."""
    model = Path(model)
    report = report or inspect_model(model, shapes=False)
    reads_states = states_input(report.inputs) is not None
    if not reads_states and "decoder_with_past_model" in model.name:
        for stem in ("decoder_model_merged", "decoder_model"):  # it needs their first run: they generate
            sibling = model.with_name(model.name.replace("decoder_with_past_model", stem, 1))
            if os.path.isfile(sibling):
                return find_pair(sibling, other)
    if reads_states:  # the decoder: its encoder is the partner
        encoders = [Path(other)] if other else [p for p in partner_candidates(model, decoder=False) if os.path.isfile(p)]
        if not encoders:
            raise InputError(f"{model.name} is the decoder of an encoder-decoder (it reads encoder_hidden_states): "
                             "its encoder was not found beside it (encoder_model.onnx); give it with --encoder")
        return _joined(encoders[0], model, report.inputs)
    if other is not None:
        decoder = Path(other)
    else:
        decoders = [p for p in partner_candidates(model, decoder=True) if os.path.isfile(p)]  # False for a name too long
        if not decoders:
            return None
        decoder = decoders[0]
    dec_report = inspect_model(decoder, shapes=False)
    if states_input(dec_report.inputs) is None:
        if other is None:
            return None
        raise InputError(f"{decoder.name} reads no encoder's states (no encoder_hidden_states input): it is no "
                         f"decoder of {model.name}")
    return _joined(model, decoder, dec_report.inputs, report)


def _joined(encoder: Path, decoder: Path, dec_inputs: list[ValueSpec], enc_report: Any = None) -> Seq2Seq:
    enc = enc_report or inspect_model(encoder, shapes=False)
    states = states_input(dec_inputs)
    assert states is not None
    if states_input(enc.inputs) is not None:
        raise InputError(f"{encoder.name} is a decoder too (it reads encoder_hidden_states), not the encoder of "
                         f"{decoder.name}")
    floats = [o for o in enc.outputs if o.dtype.startswith(("float", "bfloat")) and o.shape is not None
              and len(o.shape) == 3]
    output = next((o.name for o in floats if o.name == "last_hidden_state"), None) or next(
        (o.name for o in floats), None)
    if output is None:
        raise InputError(f"{encoder.name} gives no states for {decoder.name} to read (no [batch, sequence, width] "
                         "float output such as last_hidden_state)")
    encoder_mask = next((s.name for s in enc.inputs if s.name == "attention_mask"), None)
    decoder_mask = next((s.name for s in dec_inputs if _ENCODER_MASK.match(s.name)), None)
    return Seq2Seq(encoder, decoder, output, states, encoder_mask, decoder_mask)


def decoder_feeds(specs: list[ValueSpec], dec: DecoderInputs, pair: Seq2Seq, states: np.ndarray,
                  mask: np.ndarray | None, start: list[int]) -> dict[str, Any]:
    """The decoder's first feeds: the start tokens for every row of the encoder's batch, the encoder's states and
    its mask, an empty cache (its length 0), and zeros for anything else (at the batch's and the states' sizes)."""
    batch, length = int(states.shape[0]), int(states.shape[1])
    dims = {}
    for spec in specs:  # the batch: the encoder's; the encoder's length (its states' and mask's): the states'
        for axis in range(len(spec.shape or ())):
            if (key := dim_key(spec, axis)) is not None:
                dims.setdefault(key, batch if axis == 0 else length)
    feeds: dict[str, Any] = {}
    for spec in specs:
        dtype = numpy_dtype(spec.dtype)
        if spec.name == dec.ids:
            feeds[spec.name] = np.tile(np.array(start, dtype=dtype), (batch, 1))
        elif spec.name == pair.states_input:
            feeds[spec.name] = states.astype(dtype, copy=False)  # an fp16 decoder after an fp32 encoder
        elif spec.name == pair.decoder_mask:
            given = mask if mask is not None and mask.shape == (batch, length) else np.ones((batch, length))
            feeds[spec.name] = given.astype(dtype)
        elif spec.name == dec.cache_branch:
            feeds[spec.name] = np.array([False])
        elif spec.name in dec.cache:  # empty: its length 0 (an encoder's cache shares its length's name with
            shape = [0 if axis == dec.past_axis[spec.name] else  # the states', which are not empty)
                     d if isinstance(d, int) and d > 0 else batch if axis == 0 else 1
                     for axis, d in enumerate(spec.shape or ())]
            feeds[spec.name] = np.zeros(shape, dtype)
        else:
            feeds[spec.name] = build_input(spec, ConstantSource(0.0), dims)
    return feeds


@dataclass(frozen=True)
class PairRequest:
    """An encoder-decoder's generation as the app asks for it: the pair, the decoder's start tokens and the ids
    that end it."""

    pair: Seq2Seq
    start: list[int]
    stop: list[int]


@dataclass(frozen=True)
class PairResult:
    """What an encoder-decoder's generation gives: the tokens and times, and each session's providers."""

    generated: Generated
    encoder_session: SessionInfo
    decoder_session: SessionInfo
    start_from: str  # the config the start tokens came from ("" where none said)


def run_encoder(engine: Engine, pair: Seq2Seq, encoder_feeds: dict[str, Any]) -> tuple[np.ndarray, float]:
    """The encoder's states for ``encoder_feeds`` and its run's time (ms), on ``engine`` (the encoder's)."""
    ran = engine.run(encoder_feeds, [pair.states_output])
    states = np.asarray(ran.outputs[0].value)
    if states.ndim != 3:
        raise InputError(f"{pair.encoder.name}: {pair.states_output!r} is {list(states.shape)}, not [batch, "
                         "sequence, width]")
    return states, ran.run_ms


def run_decoder(engine: Engine, pair: Seq2Seq, states: np.ndarray, encoder_feeds: dict[str, Any], new_tokens: int,
                start: list[int], stop: list[int],
                on_tokens: Callable[[list[list[int]]], None] | None = None,
                sampling: Sampling | None = None) -> Generated:
    """Greedy generation by the decoder (on ``engine``, the decoder's) reading ``states``, the encoder's mask
    from ``encoder_feeds``, from the ``start`` tokens until ``new_tokens`` or a ``stop`` token; ``on_tokens`` is
    given the new tokens as they come (:meth:`~onnxstudio.core.engine.Engine.generate_stream`)."""
    report = inspect_model(pair.decoder, shapes=False)
    dec = decoder_inputs(report.inputs, report.outputs)
    mask = encoder_feeds.get(pair.encoder_mask) if pair.encoder_mask else None
    feeds = decoder_feeds(report.inputs, dec, pair, states, None if mask is None else np.asarray(mask), start)
    return drain(engine.generate_stream(feeds, dec, new_tokens, stop, sampling=sampling), on_tokens)


def generate_pair(pair: Seq2Seq, config: SessionConfig, encoder_feeds: dict[str, Any], new_tokens: int,
                  start: list[int] | None = None, stop: list[int] | None = None,
                  memory_limit_bytes: int | None = None, timeout_s: float | None = None,
                  sampling: Sampling | None = None) -> PairResult:
    """The encoder run once on ``encoder_feeds``, then greedy generation by the decoder from ``start`` (the
    config's start tokens where None), stopping at ``stop`` (the config's end where None); each in a child
    process of its own, one after the other."""
    found_start, found_stop, source = start_tokens(pair.decoder)
    start = list(start) if start else found_start
    stop = list(found_stop if stop is None else stop)
    with Engine(pair.encoder, config, memory_limit_bytes=memory_limit_bytes, timeout_s=timeout_s) as engine:
        encoder_session = engine.create_session()
        states, encoder_ms = run_encoder(engine, pair, encoder_feeds)
    with Engine(pair.decoder, config, memory_limit_bytes=memory_limit_bytes, timeout_s=timeout_s) as engine:
        decoder_session = engine.create_session()
        generated = run_decoder(engine, pair, states, encoder_feeds, new_tokens, start, stop, sampling=sampling)
    return PairResult(replace(generated, encoder_ms=encoder_ms), encoder_session, decoder_session, source)
