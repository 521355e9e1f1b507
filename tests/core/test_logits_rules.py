"""The rules a generation_config.json sets on the scores, each checked against the rule computed by hand, and
generation on real onnxruntime sessions that follows them (suppressed tokens never come, the end forced last)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from onnxstudio.core.engine import Engine
from onnxstudio.core.generation import Sampling, decoder_inputs
from onnxstudio.core.generation_config import config_notes, generation_rules
from onnxstudio.core.inputs import LiteralSource, build_feeds
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.logits_rules import RuleChoices, Rules
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
    assert not Rules(eos=(2,)).active and Rules.from_dict(rules.to_dict()) == rules


def test_the_config_beside_a_model_gives_its_rules_and_notes(tmp_path: Path) -> None:
    model = tmp_path / "decoder_model_merged.onnx"
    model.write_bytes(b"")
    (tmp_path / "config.json").write_text(json.dumps({"suppress_tokens": [4], "num_beams": 4}))
    assert generation_rules(model) == Rules(suppress=(4,), source="config.json")
    (tmp_path / "generation_config.json").write_text(json.dumps({"no_repeat_ngram_size": 2, "num_beams": 4,
                                                                 "do_sample": True, "temperature": 0.6}))
    assert generation_rules(model) == Rules(no_repeat_ngram=2, source="generation_config.json")  # it, not config.json
    notes = config_notes(model)
    assert len(notes) == 2 and "4 beams" in notes[0] and "temperature 0.6" in notes[1]
    assert RuleChoices().resolve(model).no_repeat_ngram == 2
    assert RuleChoices(False, 1.5).resolve(model) == Rules(repetition_penalty=1.5)
    assert RuleChoices(True, None, 0).resolve(model) == Rules(source="generation_config.json")
    assert RuleChoices(False, 1.5, 2).args() == ["--no-config-rules", "--repetition-penalty", "1.5",
                                                 "--no-repeat-ngram", "2"]


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
