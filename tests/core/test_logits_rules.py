"""The rules a generation_config.json sets on the scores, each checked against the rule computed by hand, and
generation on real onnxruntime sessions that follows them (suppressed tokens never come, the end forced last)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from onnxstudio.core.engine import Engine
from onnxstudio.core.errors import InputError
from onnxstudio.core.generation import Sampling, decoder_inputs, drain, with_rules
from onnxstudio.core.generation_config import RuleChoices, config_notes, generation_rules
from onnxstudio.core.inputs import LiteralSource, build_feeds
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.logits_rules import Rules
from tests.models import decoder_model

SCORES = np.array([[2.0, -1.0, 0.5, 3.0, -2.0, 1.0]], np.float32)


def _apply(rules: Rules, history: list[int], step: int = 3, last: bool = False) -> np.ndarray:
    return rules.apply(SCORES, np.array([history]), step, last)[0]


def test_repetition_penalty_divides_positive_scores_and_multiplies_negative_ones_once_per_token() -> None:
    got = _apply(Rules(repetition_penalty=2.0), [0, 1, 1, 4, 9])  # 9: past the vocabulary, left out
    assert got.tolist() == [1.0, -2.0, 0.5, 3.0, -4.0, 1.0]


def test_no_repeated_ngram_bans_what_would_complete_one_seen_before() -> None:
    got = _apply(Rules(no_repeat_ngram=2), [3, 5, 3, 2, 3])  # after 3 came 5 and 2: both banned
    assert np.isinf(got[[5, 2]]).all() and np.isfinite(np.delete(got, [5, 2])).all()
    assert np.isfinite(_apply(Rules(no_repeat_ngram=3), [3, 5])).all()  # fewer tokens than n: nothing
    got = _apply(Rules(no_repeat_ngram=3), [1, 2, 4, 1, 2])  # 1 2 was followed by 4
    assert np.isinf(got).tolist() == [False, False, False, False, True, False]
    assert np.isinf(_apply(Rules(no_repeat_ngram=1), [0, 3])).tolist() == [True, False, False, True, False, False]


def test_bad_words_a_single_token_always_a_sequence_after_the_rest() -> None:
    rules = Rules(bad_words=((1,), (2, 3), (5, 0, 4)))
    assert np.isinf(_apply(rules, [0, 0])).tolist() == [False, True, False, False, False, False]
    assert np.isinf(_apply(rules, [0, 2])).tolist() == [False, True, False, True, False, False]
    assert np.isinf(_apply(rules, [5, 0])).tolist() == [False, True, False, False, True, False]


def test_minimum_length_holds_back_the_end_and_the_last_token_is_forced_to_be_it() -> None:
    assert np.isinf(_apply(Rules(min_length=4, eos=(3,)), [1, 2, 3]))[3]  # 3 tokens: not yet
    assert np.isfinite(_apply(Rules(min_length=3, eos=(3,)), [1, 2, 3])).all()
    assert np.isinf(_apply(Rules(min_new_tokens=4, eos=(3,)), [1], step=3))[3]
    assert np.isfinite(_apply(Rules(min_new_tokens=4, eos=(3,)), [1], step=4)).all()
    forced = _apply(Rules(forced_eos=(4,)), [1], last=True)
    assert int(forced.argmax()) == 4 and np.isinf(np.delete(forced, 4)).all()
    assert np.isfinite(_apply(Rules(forced_eos=(4,)), [1], last=False)).all()


def test_suppressed_tokens_never_and_begin_suppressed_never_first() -> None:
    rules = Rules(suppress=(3, 99), begin_suppress=(0,))
    assert np.isinf(_apply(rules, [1], step=0)).tolist() == [True, False, False, True, False, False]
    assert np.isinf(_apply(rules, [1], step=1)).tolist() == [False, False, False, True, False, False]
    assert Rules().apply(SCORES, np.array([[1]]), 0, True) is SCORES  # no rule: the scores as they came


def test_a_config_read_as_transformers_reads_it_and_what_is_not_an_id_left_out() -> None:
    rules = Rules.from_config({"repetition_penalty": 1.2, "no_repeat_ngram_size": 3, "eos_token_id": [2, 7],
                               "bad_words_ids": [[5], [2], [6, 8], [], "x", [-1]], "min_length": 9,
                               "forced_eos_token_id": 2, "suppress_tokens": [1, True, -4, 2.5, 11],
                               "begin_suppress_tokens": None}, "generation_config.json")
    assert rules == Rules(1.2, 3, ((5,), (6, 8)), 9, 0, (2, 7), (2,), (1, 11), (), "generation_config.json")
    assert rules.describe() == ("repetition penalty 1.2, no repeated 3-grams, 2 banned words, at least 9 tokens, "
                                "the end forced at the last token, 2 tokens suppressed")
    assert Rules.from_config({"repetition_penalty": float("nan"), "no_repeat_ngram_size": 10**9}) == Rules()
    assert Rules.from_config({"num_beams": True, "early_stopping": 1, "length_penalty": "2"}) == Rules()
    assert not Rules(eos=(2,)).active and Rules.from_dict(rules.to_dict()) == rules


def test_the_config_beside_a_model_gives_its_rules_and_notes(tmp_path: Path) -> None:
    model = tmp_path / "decoder_model_merged.onnx"
    model.write_bytes(b"")
    (tmp_path / "config.json").write_text(json.dumps({"suppress_tokens": [4], "num_beams": 4}))
    assert generation_rules(model) == Rules(suppress=(4,), source="config.json", num_beams=4)
    (tmp_path / "generation_config.json").write_text(json.dumps({
        "no_repeat_ngram_size": 2, "num_beams": 3, "length_penalty": 0.5, "early_stopping": "never",
        "do_sample": True, "temperature": 0.6}))
    rules = generation_rules(model)  # it, not config.json
    assert rules == Rules(no_repeat_ngram=2, source="generation_config.json", num_beams=3, length_penalty=0.5,
                          early_stopping="never")
    assert rules.describe_search() == "beam search: 3 beams, length penalty 0.5, run to the longest"
    notes = config_notes(model)
    assert len(notes) == 1 and "draws tokens by default at temperature 0.6" in notes[0]
    assert RuleChoices().resolve(model) == rules
    assert RuleChoices(False, 1.5).resolve(model) == Rules(repetition_penalty=1.5)
    assert RuleChoices(True, None, 0, 1).resolve(model) == Rules(source="generation_config.json", length_penalty=0.5,
                                                                 early_stopping="never")
    drawn, said = with_rules(Sampling(temperature=0.7), rules)  # drawing: the config's beams left out, said
    assert drawn.rules.num_beams == 1 and said == [
        "generation_config.json asks for beam search (3 beams): left out, as tokens are drawn here"]
    assert RuleChoices(False, 1.5, 2, 4).args() == ["--no-config-rules", "--repetition-penalty", "1.5",
                                                    "--no-repeat-ngram", "2", "--beams", "4"]


@pytest.fixture
def decoder(tmp_path: Path) -> tuple[Path, dict, object]:
    path = decoder_model(tmp_path / "decoder.onnx")
    report = inspect_model(path, shapes=False)
    dec = decoder_inputs(report.inputs, report.outputs)
    feeds = build_feeds(report.inputs, {"input_ids": LiteralSource("[[1, 2, 3], [4, 5, 6]]")},
                        dict.fromkeys(dec.past_dims, 0))
    return path, feeds, dec


def test_generation_on_a_session_follows_the_rules(decoder: tuple[Path, dict, object]) -> None:
    path, feeds, dec = decoder
    with Engine(path) as engine:
        plain = engine.generate(feeds, dec, 8).tokens
        common = sorted({t for row in plain for t in row}, key=lambda t: -sum(row.count(t) for row in plain))
        banned = common[:2]  # the tokens greedy generation gives most
        ruled = Sampling(rules=Rules(suppress=tuple(banned), forced_eos=(9,), no_repeat_ngram=2))
        shaped = engine.generate(feeds, dec, 8, sampling=ruled).tokens
        drawn = engine.generate(feeds, dec, 8, sampling=Sampling(temperature=1.5, seed=3, rules=ruled.rules)).tokens
    for rows in (shaped, drawn):
        for row in rows:
            assert not set(row) & set(banned) and row[-1] == 9 and len(row) == 8
            pairs = list(itertools.pairwise(row))
            assert len(pairs[:-1]) == len(set(pairs[:-1]))  # no 2-gram twice (the forced last one aside)


def _log_softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


def test_beam_search_wide_enough_finds_the_best_sequence_and_one_beam_is_greedy() -> None:
    """Scores that depend on the last two tokens: 16 beams over a vocabulary of 4 keep every 2-token prefix, so
    the best of all 64 three-token sequences must come out; 1 beam is the best token each step."""
    from onnxstudio.core.beam_search import BeamSearch

    table = np.random.default_rng(5).normal(size=(5, 5, 4)).astype(np.float32) * 3

    def scores(seqs: np.ndarray) -> np.ndarray:
        return table[seqs[:, -2] + 1 if seqs.shape[1] > 1 else np.zeros(len(seqs), int), seqs[:, -1]]

    def search(beams: int) -> list[int]:
        beam = BeamSearch(np.array([[2]]), beams, 3, ())
        seqs = np.repeat(np.array([[2]]), beams, axis=0)
        for step in range(3):
            took = beam.step(scores(seqs), step)
            seqs = np.concatenate([seqs[took.rows], took.tokens[:, None]], axis=1)
            if took.done:
                break
        return beam.best()[0]

    total = {}
    for seq in np.ndindex(4, 4, 4):
        path = np.array([[2, *seq]])
        total[seq] = sum(float(_log_softmax(scores(path[:, :i + 1]))[0, seq[i]]) for i in range(3))
    assert tuple(search(16)) == max(total, key=total.get)
    greedy, path = [], np.array([[2]])
    for _ in range(3):
        greedy.append(int(scores(path)[0].argmax()))
        path = np.array([[*path[0], greedy[-1]]])
    assert search(1) == greedy


def test_beam_search_on_a_session_against_every_sequence_scored(decoder: tuple[Path, dict, object]) -> None:
    """100 beams over the decoder's 10 tokens keep every 2-token prefix: the best of the 1,000 three-token
    continuations (each scored by running the model on it) is what comes out, for each row of the batch."""
    import onnxruntime as ort

    path, feeds, dec = decoder
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    every = np.array(list(np.ndindex(10, 10, 10)), np.int64)
    best_rows = []
    for prompt in ([1, 2, 3], [4, 5, 6]):
        ids = np.repeat(np.array([prompt], np.int64), len(every), axis=0)
        key = value = np.zeros((len(every), 2, 0, 4), np.float32)
        total = np.zeros(len(every))
        for i in range(3):
            length = key.shape[2] + ids.shape[1]
            logits, key, value = session.run(None, {"input_ids": ids, "attention_mask": np.ones((len(every), length),
                                                                                              np.int64),
                                                    "past_key_values.0.key": key, "past_key_values.0.value": value})
            total += _log_softmax(logits[:, -1].astype(np.float64))[np.arange(len(every)), every[:, i]]
            ids = every[:, i:i + 1]
        best_rows.append(every[int(total.argmax())].tolist())
    with Engine(path) as engine:
        wide = engine.generate(feeds, dec, 3, sampling=Sampling(rules=Rules(num_beams=100))).tokens
        one = engine.generate(feeds, dec, 5, sampling=Sampling(rules=Rules(num_beams=1))).tokens
        plain = engine.generate(feeds, dec, 5).tokens
        streamed: list = []
        drain(engine.generate_stream(feeds, dec, 4, interval_s=0.0, sampling=Sampling(rules=Rules(num_beams=2))),
              streamed.extend)
    assert wide == best_rows and one == plain
    assert streamed == [[], [], [], []]  # beam search streams its steps, no token (the best beam comes at the end)
    with pytest.raises(InputError, match="beam search keeps the best beams"):
        with_rules(Sampling(temperature=0.5), Rules(num_beams=3), beams_asked=True)


@pytest.mark.parametrize("renormalize", [False, True])
def test_beam_scores_renormalized_after_the_rules_as_the_config_asks(renormalize: bool) -> None:
    """renormalize_logits: a beam whose likeliest next token is suppressed keeps the rest of its mass (0.09 of 0.1
    left after "a" beats 0.5 of 0.8 after "b"); without it the masked mass is lost and "b" wins."""
    from onnxstudio.core.beam_search import BeamSearch

    rules = Rules.from_config({"suppress_tokens": [2], "renormalize_logits": renormalize, "num_beams": 2})
    assert rules.renormalize is renormalize
    beam = BeamSearch(np.array([[0]]), 2, 2, (), rules)
    took = beam.step(np.log(np.array([[0.5, 0.5, 1e-9]] * 2, np.float32)), 0)
    after = {0: [0.09, 0.01, 0.9], 1: [0.5, 0.3, 0.2]}  # the next token's probabilities after "a" (0), "b" (1)
    took = beam.step(np.log(np.array([after[int(t)] for t in took.tokens], np.float32)), 1)
    assert took.done and beam.best() == ([[0, 0]] if renormalize else [[1, 0]])
