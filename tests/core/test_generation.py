"""Greedy generation with a decoder's cache: the same tokens as a loop written by hand on onnxruntime, the feeds
each step gets, and one-line refusals for models that are no decoder with a cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from onnxstudio.core.engine import Engine
from onnxstudio.core.errors import InputError
from onnxstudio.core.generation import DecoderInputs, decoder_inputs, generate, token_text
from onnxstudio.core.inputs import LiteralSource, build_feeds
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.values import ValueSpec
from tests.models import add_model, causal_lm_model, decoder_model


def _by_hand(path: Path, prompt: list[int], n: int) -> list[int]:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    ids = np.array([prompt], np.int64)
    key = value = np.zeros((1, 2, 0, 4), np.float32)
    out = []
    for _ in range(n):
        length = key.shape[2] + ids.shape[1]
        logits, key, value = session.run(None, {"input_ids": ids, "attention_mask": np.ones((1, length), np.int64),
                                                "past_key_values.0.key": key, "past_key_values.0.value": value})
        out.append(int(logits[0, -1].argmax()))
        ids = np.array([[out[-1]]], np.int64)
    return out


def _first_feeds(path: Path, prompt: str) -> tuple[DecoderInputs, dict]:
    report = inspect_model(path, shapes=False)
    dec = decoder_inputs(report.inputs, report.outputs)
    feeds = build_feeds(report.inputs, {"input_ids": LiteralSource(prompt)}, {d: 0 for d in dec.past_dims})
    return dec, feeds


def test_greedy_tokens_match_a_loop_written_by_hand(tmp_path: Path) -> None:
    path = decoder_model(tmp_path / "decoder.onnx")
    dec, feeds = _first_feeds(path, "[[1, 2, 3]]")
    assert dec.cache == {"past_key_values.0.key": "present.0.key", "past_key_values.0.value": "present.0.value"}
    assert dec.past_axis == {"past_key_values.0.key": 2, "past_key_values.0.value": 2}
    assert dec.past_dims == ["past_sequence_length"] and dec.mask == "attention_mask" and dec.positions is None
    assert feeds["past_key_values.0.key"].shape == (1, 2, 0, 4) and feeds["attention_mask"].shape == (1, 3)
    expected = _by_hand(path, [1, 2, 3], 6)
    with Engine(path) as engine:
        result = engine.generate(feeds, dec, 6)
    assert result.tokens == [expected] and result.prompt == [[1, 2, 3]]
    assert result.prefill_ms > 0 and len(result.token_ms) == 5 and result.tokens_per_s > 0
    with Engine(path) as engine:  # stops once the row has given a stop id
        stopped = engine.generate(feeds, dec, 6, stop=[expected[1]])
        streamed: list[list[int]] = []
        steps = engine.generate_stream(feeds, dec, 6, interval_s=0.0)  # the tokens as they come: every step
        while True:
            try:
                streamed += next(steps)
            except StopIteration as done:
                whole = done.value
                break
    assert stopped.tokens == [expected[:2]] and len(stopped.token_ms) == 1
    assert streamed == [[t] for t in expected] and whole.tokens == [expected]


def test_each_step_feeds_one_token_its_position_the_mask_and_the_last_cache() -> None:
    """A decoder with position_ids and a merged decoder's use_cache_branch: what each run is given."""
    seen: list[dict] = []

    def run(feeds: dict) -> tuple[dict, float]:
        seen.append({k: np.array(v) for k, v in feeds.items()})
        length = feeds["past"].shape[2] + feeds["input_ids"].shape[1]
        logits = np.zeros((1, feeds["input_ids"].shape[1], 5), np.float32)
        logits[0, -1, length % 5] = 1.0
        return {"logits": logits, "present": np.zeros((1, 1, length, 2), np.float32)}, 1.0

    dec = DecoderInputs("input_ids", "logits", {"past": "present"}, {"past": 2}, ["p"], "attention_mask",
                        "position_ids", "use_cache_branch", "cache_position")
    feeds = {"input_ids": np.array([[7, 8]], np.int64), "attention_mask": np.ones((1, 2), np.int64),
             "position_ids": np.zeros((1, 2), np.int64), "past": np.zeros((1, 1, 0, 2), np.float32),
             "use_cache_branch": np.array([True]), "cache_position": np.zeros(2, np.int64)}
    result = generate(run, feeds, dec, 3)
    assert result.tokens == [[2, 3, 4]]
    assert [s["position_ids"].tolist() for s in seen] == [[[0, 1]], [[2]], [[3]]]
    assert [s["attention_mask"].shape[1] for s in seen] == [2, 3, 4]
    assert [s["input_ids"].tolist() for s in seen] == [[[7, 8]], [[2]], [[3]]]
    assert [s["past"].shape[2] for s in seen] == [0, 2, 3]
    assert [bool(s["use_cache_branch"][0]) for s in seen] == [False, True, True]
    assert [s["cache_position"].tolist() for s in seen] == [[0, 1], [2], [3]]


def test_prompts_of_different_lengths_are_padded_on_the_left() -> None:
    """Texts a line each come padded on the right (their mask 0 there): generation moves each row's padding to
    its left, as Hugging Face pads a batch to generate, so every row's next token comes last; each row's positions
    count its own tokens, and its mask grows by a one a step; a mask with a hole is refused in one line."""
    seen: list[dict] = []

    def run(feeds: dict) -> tuple[dict, float]:
        seen.append({k: np.array(v) for k, v in feeds.items()})
        length = feeds["past"].shape[2] + feeds["input_ids"].shape[1]
        logits = np.zeros((2, feeds["input_ids"].shape[1], 5), np.float32)
        logits[:, -1, length % 5] = 1.0
        return {"logits": logits, "present": np.zeros((2, 1, length, 2), np.float32)}, 1.0

    dec = DecoderInputs("input_ids", "logits", {"past": "present"}, {"past": 2}, ["p"], "attention_mask",
                        "position_ids")
    feeds = {"input_ids": np.array([[5, 6, 7], [8, 0, 0]], np.int64),
             "attention_mask": np.array([[1, 1, 1], [1, 0, 0]], np.int64),
             "position_ids": np.zeros((2, 3), np.int64), "past": np.zeros((2, 1, 0, 2), np.float32)}
    result = generate(run, feeds, dec, 3)
    assert result.prompt == [[5, 6, 7], [8]]  # each prompt's own tokens
    assert seen[0]["input_ids"].tolist() == [[5, 6, 7], [0, 0, 8]]
    assert seen[0]["attention_mask"].tolist() == [[1, 1, 1], [0, 0, 1]]
    assert seen[0]["position_ids"].tolist() == [[0, 1, 2], [1, 1, 0]]
    assert seen[1]["attention_mask"].tolist() == [[1, 1, 1, 1], [0, 0, 1, 1]]
    assert [s["position_ids"].tolist() for s in seen[1:]] == [[[3], [1]], [[4], [2]]]
    feeds["attention_mask"] = np.array([[1, 0, 1], [1, 1, 1]], np.int64)
    with pytest.raises(InputError, match="the attention mask is 0 inside a prompt") as err:
        generate(run, feeds, dec, 2)
    assert "\n" not in err.value.message


def test_a_padded_batch_generates_what_each_prompt_alone_does(tmp_path: Path) -> None:
    """A decoder without a cache, given two prompts of different lengths at once: each row's tokens are the ones
    its prompt gives alone."""
    path = causal_lm_model(tmp_path / "lm.onnx")
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    report = inspect_model(path, shapes=False)
    dec = decoder_inputs(report.inputs, report.outputs)

    def run(feeds: dict) -> tuple[dict, float]:
        return {"logits": session.run(["logits"], feeds)[0]}, 1.0

    both = generate(run, {"input_ids": np.array([[1, 4, 5, 6], [1, 7, 3, 3]], np.int64),
                          "attention_mask": np.array([[1, 1, 1, 1], [1, 1, 0, 0]], np.int64)}, dec, 5)
    for row, prompt in enumerate([[1, 4, 5, 6], [1, 7]]):
        alone = generate(run, {"input_ids": np.array([prompt], np.int64),
                               "attention_mask": np.ones((1, len(prompt)), np.int64)}, dec, 5)
        assert both.tokens[row] == alone.tokens[0] and both.prompt[row] == prompt


def test_models_that_are_no_decoder_with_a_cache_are_refused_in_one_line(tmp_path: Path) -> None:
    def spec(name: str, dtype: str, shape: tuple) -> ValueSpec:
        return ValueSpec(name, "tensor", dtype, shape, f"tensor({dtype})")

    ids, logits = spec("input_ids", "int64", ("b", "s")), spec("logits", "float32", ("b", "s", 10))
    report = inspect_model(add_model(tmp_path / "add.onnx"), shapes=False)
    cases = [
        (report.inputs, report.outputs, "no integer input named input_ids"),
        ([spec("input_ids", "int64", ("b", 8))], [logits], r"or, without one, a free sequence length; this "
                                                            r"model's input_ids are \['b', 8\]"),
        ([ids], [spec("logits", "float32", ("b", 3))], r"a score per token, and 'logits' is \['b', 3\]"),
        ([ids, spec("past_key_values.0.encoder.key", "float32", ("b", 2, "e", 4))], [logits], "encoder's cache"),
        ([ids, spec("past_key_values.0.key", "float32", ("b", 2, "p", 4))], [logits], "no present output"),
        ([ids], [spec("probs", "float32", ("b", 10))], "no output named logits"),
    ]
    for inputs, outputs, expect in cases:
        with pytest.raises(InputError, match=expect) as err:
            decoder_inputs(inputs, outputs)
        assert "\n" not in err.value.message


def test_tokens_read_as_text() -> None:
    assert token_text([0, 1, 2, 9], ["The", "Ġcapital", "▁of", "Ċ"]) == "The capital of<9>"
    assert token_text([3, 1], None) == "3 1"


def test_a_decoder_without_a_cache_reads_the_whole_sequence_each_run(tmp_path: Path) -> None:
    """An export without its cache (torch.onnx.export of a causal LM with use_cache=False): each run is given the
    prompt and every token so far, its mask and token types as long; the same tokens as such a loop by hand."""
    path = causal_lm_model(tmp_path / "lm.onnx", token_types=True)
    report = inspect_model(path, shapes=False)
    dec = decoder_inputs(report.inputs, report.outputs)
    assert dec.cache == {} and dec.past_dims == [] and dec.mask == "attention_mask" and dec.grows == ["token_type_ids"]
    feeds = build_feeds(report.inputs, {"input_ids": LiteralSource("[[1, 2, 3]]")}, {})
    assert feeds["token_type_ids"].shape == (1, 3)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    ids, expected = [1, 2, 3], []
    for _ in range(5):
        x = np.array([ids], np.int64)
        (logits,) = session.run(None, {"input_ids": x, "attention_mask": np.ones_like(x),
                                       "token_type_ids": np.zeros_like(x)})
        expected.append(int(logits[0, -1].argmax()))
        ids.append(expected[-1])
    with Engine(path) as engine:
        result = engine.generate(feeds, dec, 5)
    assert result.tokens == [expected] and not result.cache and len(result.token_ms) == 4


def test_a_bidirectional_encoder_is_no_decoder_to_generate_with(tmp_path: Path) -> None:
    """A fill-mask head has a decoder's inputs and outputs; its scores for the prompt change once a token is added,
    which a causal decoder's never do: refused in one line after the second run."""
    path = causal_lm_model(tmp_path / "mlm.onnx", causal=False)
    report = inspect_model(path, shapes=False)
    dec = decoder_inputs(report.inputs, report.outputs)
    feeds = build_feeds(report.inputs, {"input_ids": LiteralSource("[[1, 2, 3]]")}, {})
    with Engine(path) as engine, pytest.raises(InputError, match="no causal decoder: its scores for the prompt "
                                                                  "changed when a token was added") as err:
        engine.generate(feeds, dec, 5)
    assert "\n" not in err.value.message
    with Engine(path) as engine:  # one token needs no second run: nothing to tell, nothing refused
        assert len(engine.generate(feeds, dec, 1).tokens[0]) == 1


def test_tokens_drawn_follow_the_softmax_its_top_k_and_top_p() -> None:
    from onnxstudio.core.generation import Sampling, choose

    scores = np.log(np.tile([0.5, 0.3, 0.2], (40_000, 1)))  # one row a draw
    assert (choose(scores, None) == 0).all() and (choose(scores, Sampling(temperature=0)) == 0).all()
    assert (choose(scores, Sampling(temperature=1.0, top_k=1)) == 0).all()  # top-k 1 is greedy
    shares = np.bincount(choose(scores, Sampling(temperature=1.0)), minlength=3) / len(scores)
    assert np.allclose(shares, [0.5, 0.3, 0.2], atol=0.015)
    shares = np.bincount(choose(scores, Sampling(temperature=1.0, top_k=2)), minlength=3) / len(scores)
    assert shares[2] == 0 and np.allclose(shares[:2], [0.625, 0.375], atol=0.015)
    shares = np.bincount(choose(scores, Sampling(temperature=1.0, top_p=0.6)), minlength=3) / len(scores)
    assert shares[2] == 0 and np.allclose(shares[:2], [0.625, 0.375], atol=0.015)  # 0.5 < 0.6: the second kept
    hot = np.bincount(choose(scores, Sampling(temperature=100.0)), minlength=3) / len(scores)
    assert np.allclose(hot, 1 / 3, atol=0.015)  # a high temperature flattens the choice
    seeded = Sampling(temperature=1.0, seed=7)
    assert (choose(scores[:50], seeded) == choose(scores[:50], seeded)).all()  # the same seed, the same tokens
    assert Sampling(temperature=0.8, top_k=50, seed=1).describe() == "sampled: temperature 0.8, top-k 50, seed 1"


def test_sampled_generation_is_the_same_for_a_seed(tmp_path: Path) -> None:
    from onnxstudio.core.generation import Sampling

    path = decoder_model(tmp_path / "decoder.onnx")
    dec, feeds = _first_feeds(path, "[[1, 2, 3]]")
    with Engine(path) as engine:
        runs = [engine.generate(feeds, dec, 8, sampling=Sampling(temperature=2.0, seed=s)).tokens for s in (1, 1, 2)]
    assert runs[0] == runs[1] and all(0 <= t < 10 for t in runs[2][0])
