"""Encoder-decoder generation: the pair found by Optimum's file names, the start and end tokens read from the
configs, and the tokens a merged decoder (with its cache) and a plain one give on real onnxruntime sessions, as
computed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from onnxstudio.core.errors import InputError
from onnxstudio.core.generation import Sampling, decoder_inputs
from onnxstudio.core.generation_config import RuleChoices, end_tokens, start_tokens
from onnxstudio.core.inputs import LiteralSource, build_feeds
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.providers import SessionConfig
from onnxstudio.core.seq2seq import find_pair, generate_pair, partner_candidates
from tests import models


def test_the_pair_is_found_from_either_half(tmp_path: Path) -> None:
    m = models.seq2seq_models(tmp_path)
    for opened in (m["encoder"], m["merged"]):
        pair = find_pair(opened)
        assert pair is not None and (pair.encoder, pair.decoder) == (m["encoder"], m["merged"])
        assert (pair.states_output, pair.states_input) == ("last_hidden_state", "encoder_hidden_states")
        assert (pair.encoder_mask, pair.decoder_mask) == ("attention_mask", "encoder_attention_mask")
    assert find_pair(m["decoder"]).decoder == m["decoder"]  # the decoder opened is the one used
    assert find_pair(m["encoder"], m["decoder"]).decoder == m["decoder"]  # --decoder
    with_past = models.add_model(tmp_path / "decoder_with_past_model.onnx")  # no states: it cannot start
    assert find_pair(with_past).decoder == m["merged"]  # the merged decoder beside it generates
    assert find_pair(models.add_model(tmp_path / "add.onnx")) is None  # no encoder-decoder at all
    assert find_pair(models.causal_lm_model(tmp_path / "lm.onnx")) is None


def test_partners_by_other_names(tmp_path: Path) -> None:
    assert [p.name for p in partner_candidates(tmp_path / "encoder_model_quantized.onnx", decoder=True)][:2] == [
        "decoder_model_merged_quantized.onnx", "decoder_model_quantized.onnx"]
    assert partner_candidates(tmp_path / "decoder_with_past_model_fp16.onnx", decoder=False)[0].name == \
        "encoder_model_fp16.onnx"
    assert partner_candidates(tmp_path / "whisper-decoder.onnx", decoder=False)[0].name == "whisper-encoder.onnx"
    m = models.seq2seq_models(tmp_path / "m")
    (tmp_path / "m" / "encoder_model.onnx").rename(tmp_path / "m" / "t5-encoder.onnx")
    (tmp_path / "m" / "decoder_model.onnx").rename(tmp_path / "m" / "t5-decoder.onnx")
    pair = find_pair(tmp_path / "m" / "t5-encoder.onnx")
    assert pair is not None and pair.decoder.name == "t5-decoder.onnx"
    with pytest.raises(InputError, match=r"decoder of an encoder-decoder .* its encoder was not found beside it") as err:
        find_pair(m["merged"])  # its encoder_model.onnx is gone
    assert "\n" not in err.value.message
    with pytest.raises(InputError, match="reads no encoder's states"):
        find_pair(tmp_path / "m" / "t5-encoder.onnx", models.add_model(tmp_path / "add.onnx"))


def test_start_and_end_tokens_come_from_the_configs(tmp_path: Path) -> None:
    decoder = tmp_path / "onnx" / "decoder_model_merged.onnx"
    decoder.parent.mkdir()
    assert start_tokens(decoder) == ([0], [], "")  # none says: 0 (T5's pad), no end
    (tmp_path / "config.json").write_text(json.dumps({"decoder_start_token_id": 7, "eos_token_id": [3, 4]}))
    assert start_tokens(decoder) == ([7], [3, 4], "config.json")  # a folder above, as onnx-community ships it
    (tmp_path / "generation_config.json").write_text(json.dumps(  # Whisper's: language, task, no timestamps
        {"decoder_start_token_id": 50258, "eos_token_id": 50257,
         "forced_decoder_ids": [[1, 50259], [2, 50359], [3, 50363]]}))
    assert start_tokens(decoder) == ([50258, 50259, 50359, 50363], [50257], "generation_config.json")
    (tmp_path / "generation_config.json").write_text(json.dumps(  # NLLB's: the target language forced first
        {"decoder_start_token_id": 2, "eos_token_id": 2, "forced_bos_token_id": 256047}))
    assert start_tokens(decoder) == ([2, 256047], [2], "generation_config.json")
    (tmp_path / "generation_config.json").write_text(json.dumps(  # a language left to the model: stops there
        {"decoder_start_token_id": 50258, "forced_decoder_ids": [[1, None], [2, 50359]]}))
    assert start_tokens(decoder)[0] == [50258]
    assert end_tokens(decoder) == ([50258], "generation_config.json") or end_tokens(decoder)[1] == "config.json"
    for bad in ("{", "[1, 2]", json.dumps({"decoder_start_token_id": -1}), json.dumps({"decoder_start_token_id": True})):
        (tmp_path / "generation_config.json").write_text(bad)
        assert start_tokens(decoder) == ([7], [3, 4], "config.json")  # the next config says


@pytest.mark.parametrize("decoder", ["merged", "decoder"])
def test_tokens_match_the_model_computed_by_hand(tmp_path: Path, decoder: str) -> None:
    m = models.seq2seq_models(tmp_path, end=11)
    pair = find_pair(m[decoder])
    report = inspect_model(m["encoder"], shapes=False)
    ids = [[4, 5, 6, 7], [8, 3, 0, 0]]  # the second row padded: its mask 0 there
    feeds = build_feeds(report.inputs, {"input_ids": LiteralSource(json.dumps(ids)),
                                        "attention_mask": LiteralSource("[[1, 1, 1, 1], [1, 1, 0, 0]]")})
    result = generate_pair(pair, SessionConfig(), feeds, 6)
    expected = [models.seq2seq_by_hand(m, [4, 5, 6, 7], 2, 6), models.seq2seq_by_hand(m, [8, 3], 2, 6)]
    assert result.generated.tokens == expected
    assert result.generated.prompt == [[2], [2]] and result.start_from == "generation_config.json"
    assert result.generated.cache is (decoder == "merged")
    assert result.generated.encoder_ms > 0 and result.generated.prefill_ms > 0
    assert result.encoder_session.providers == ("CPUExecutionProvider",)


def test_generation_stops_at_the_end_token_and_takes_other_start_tokens(tmp_path: Path) -> None:
    m = models.seq2seq_models(tmp_path, end=11)
    hand = models.seq2seq_by_hand(m, [4, 5, 6], 3, 8)
    end = hand[2]
    pair = find_pair(m["encoder"])
    feeds = build_feeds(inspect_model(m["encoder"], shapes=False).inputs, {"input_ids": LiteralSource("[[4, 5, 6]]")})
    result = generate_pair(pair, SessionConfig(), feeds, 8, start=[3], stop=[end])
    assert result.generated.tokens == [models.seq2seq_by_hand(m, [4, 5, 6], 3, 8, end=end)]
    assert result.generated.tokens[0][-1] == end and result.generated.prompt == [[3]]


def test_the_encoders_cache_is_taken_once(tmp_path: Path) -> None:
    """Optimum's merged decoder gives its encoder cache empty once it has one: it is taken from the first run
    only; a decoder that needs it fed but never gives it (decoder_with_past_model) is refused in one line."""
    m = models.seq2seq_models(tmp_path)
    report = inspect_model(m["merged"], shapes=False)
    dec = decoder_inputs(report.inputs, report.outputs)
    assert dec.once == ["past_key_values.0.encoder.key"] and "past_key_values.0.decoder.key" in dec.cache
    outputs = [o for o in report.outputs if o.name != "present.0.encoder.key"]
    with pytest.raises(InputError, match="decoder_with_past_model takes it from decoder_model's first run"):
        decoder_inputs(report.inputs, outputs)


def test_an_fp16_decoder_takes_the_states_in_its_type(tmp_path: Path) -> None:
    import onnx
    from onnxruntime.transformers.float16 import convert_float_to_float16

    m = models.seq2seq_models(tmp_path, end=11)
    half = convert_float_to_float16(onnx.load(str(m["decoder"])), keep_io_types=False)
    onnx.save(half, str(tmp_path / "decoder_model.onnx"))
    pair = find_pair(m["encoder"], tmp_path / "decoder_model.onnx")
    feeds = build_feeds(inspect_model(m["encoder"], shapes=False).inputs, {"input_ids": LiteralSource("[[4, 5, 6]]")})
    result = generate_pair(pair, SessionConfig(), feeds, 4)
    assert result.generated.tokens == [models.seq2seq_by_hand(m, [4, 5, 6], 2, 4)]
    assert np.isfinite(result.generated.prefill_ms)


def test_a_decoders_end_tokens_come_from_its_config(tmp_path: Path) -> None:
    model = tmp_path / "model.onnx"
    assert end_tokens(model) == ([], "")
    (tmp_path / "config.json").write_text(json.dumps({"eos_token_id": [128001, 128009], "bos_token_id": 1}))
    assert end_tokens(model) == ([128001, 128009], "config.json")  # Llama 3's two
    (tmp_path / "generation_config.json").write_text(json.dumps({"eos_token_id": 50256}))
    assert end_tokens(model) == ([50256], "generation_config.json")
    (tmp_path / "generation_config.json").write_text(json.dumps({"eos_token_id": None}))  # says nothing: the next
    assert end_tokens(model) == ([128001, 128009], "config.json")


def test_whispers_start_tokens_are_built_as_transformers_builds_them(tmp_path: Path) -> None:
    """openai/whisper-*'s generation config: the language left to detect (the likeliest of lang_to_id's tokens),
    then the task forced_decoder_ids names and no timestamps; a language set: transcribe after it; English-only
    models: their forced no-timestamps token."""
    from onnxstudio.core.generation_config import generation_rules

    decoder = tmp_path / "decoder_model_merged.onnx"
    whisper = {"decoder_start_token_id": 50258, "eos_token_id": 50257, "no_timestamps_token_id": 50363,
               "lang_to_id": {"<|en|>": 50259, "<|de|>": 50261}, "task_to_id": {"transcribe": 50359,
                                                                                  "translate": 50358}}
    cases = [({"forced_decoder_ids": [[1, None], [2, 50359]]}, [50258], ((50259, 50261), (50359,), (50363,))),
             ({}, [50258], ((50259, 50261), (50363,))),  # no task named: none given, as transformers does
             ({"language": "de"}, [50258, 50261, 50359, 50363], ()),
             ({"language": "en", "task": "translate", "return_timestamps": True}, [50258, 50259, 50358], ()),
             ({"forced_decoder_ids": [[1, 50259], [2, 50358], [3, 50363]]}, [50258, 50259, 50358, 50363], ())]
    for extra, start, prefix in cases:
        (tmp_path / "generation_config.json").write_text(json.dumps({**whisper, **extra}))
        assert start_tokens(decoder)[0] == start, extra
        assert generation_rules(decoder).prefix == prefix, extra
    english = {"decoder_start_token_id": 50257, "no_timestamps_token_id": 50362, "forced_decoder_ids": [[1, 50362]]}
    (tmp_path / "generation_config.json").write_text(json.dumps(english))
    assert start_tokens(decoder)[0] == [50257, 50362] and generation_rules(decoder).prefix == ()


@pytest.mark.parametrize("beams", [1, 2])
def test_a_detected_language_and_forced_tokens_come_before_the_new_tokens(tmp_path: Path, beams: int) -> None:
    """A Whisper-like config on the test pair: the first token the likeliest of two language ids (computed by
    hand), then the task and no-timestamps tokens; they end the start tokens, the new tokens come after them."""
    m = models.seq2seq_models(tmp_path, end=11)
    config = {"decoder_start_token_id": 2, "eos_token_id": 11, "no_timestamps_token_id": 3, "num_beams": beams,
              "lang_to_id": {"<|en|>": 8, "<|de|>": 9}, "task_to_id": {"transcribe": 10},
              "forced_decoder_ids": [[1, None], [2, 10]]}
    (tmp_path / "generation_config.json").write_text(json.dumps(config))
    ctx = m["E"][[4, 5, 6]].sum(axis=0)
    state, token, chosen = np.zeros_like(ctx), 2, []
    for allowed in ((8, 9), (10,), (3,)):
        state = state + m["D"][token]
        scores = (state + ctx) @ m["W"]
        token = max(allowed, key=lambda t: scores[t])
        chosen.append(token)
    out = []
    for _ in range(4):
        state = state + m["D"][token]
        token = int(((state + ctx) @ m["W"]).argmax())
        out.append(token)
    pair = find_pair(m["encoder"])
    feeds = build_feeds(inspect_model(m["encoder"], shapes=False).inputs, {"input_ids": LiteralSource("[[4, 5, 6]]")})
    rules = RuleChoices().resolve(pair.decoder)
    result = generate_pair(pair, SessionConfig(), feeds, 4, stop=[], sampling=Sampling(rules=rules))
    assert result.generated.prompt == [[2, *chosen]]
    if beams == 1:  # the runs that chose the start tokens are the first token's time
        assert result.generated.tokens == [out] and len(result.generated.token_ms) == 3
    assert len(result.generated.tokens[0]) == 4 and rules.describe().startswith("the language detected among 2")


def test_the_configs_length_limit(tmp_path: Path) -> None:
    """max_new_tokens, else max_length less the prompt (at least 1), as transformers counts them."""
    from onnxstudio.core.generation_config import length_limit

    decoder = tmp_path / "decoder_model_merged.onnx"
    assert length_limit(decoder, 1) == (None, "")
    (tmp_path / "generation_config.json").write_text(json.dumps({"max_length": 512}))
    assert length_limit(decoder, 1) == (511, "max_length 512 in generation_config.json")
    assert length_limit(decoder, 600)[0] == 1
    (tmp_path / "generation_config.json").write_text(json.dumps({"max_length": 512, "max_new_tokens": 64}))
    assert length_limit(decoder, 4) == (64, "max_new_tokens in generation_config.json")
    (tmp_path / "generation_config.json").write_text(json.dumps({"max_length": True, "max_new_tokens": 10**9}))
    assert length_limit(decoder, 4)[0] == 100_000
