"""Greedy generation (``onnxstudio generate``, Run → Generate text) against a loop written by hand on onnxruntime.

A one-layer attention decoder with an Optimum-style cache (8 heads of 64, a vocabulary of 32,000) generates 64
tokens from an 8-token prompt, three ways in the same run: the engine (the loop in its child process), and by hand
in this process, before and after. Prints the prefill and the median ms a token of each, and the engine's ratio
to the hand loop (the feeding back costs nothing: ~1.0; this machine is shared, so only the ratio is compared).
Then the whole call's time a token, greedy, with rules on the scores (a repetition penalty, no repeated 3-grams,
100 suppressed tokens) and with 4 beams (4 rows a run), as ratios to greedy's.

    uv run python benchmarks/bench_generate.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
TOKENS, PROMPT = 64, 8


def by_hand(path: Path, prompt: list[int]) -> tuple[list[int], float, list[float]]:
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    ids = np.array([prompt], np.int64)
    key = value = np.zeros((1, 8, 0, 64), np.float32)
    tokens, times = [], []
    for _ in range(TOKENS):
        length = key.shape[2] + ids.shape[1]
        t0 = time.perf_counter()
        logits, key, value = session.run(None, {"input_ids": ids, "attention_mask": np.ones((1, length), np.int64),
                                                "past_key_values.0.key": key, "past_key_values.0.value": value})
        times.append((time.perf_counter() - t0) * 1000)
        tokens.append(int(logits[0, -1].argmax()))
        ids = np.array([[tokens[-1]]], np.int64)
    return tokens, times[0], times[1:]


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from onnxstudio.core.engine import Engine
    from onnxstudio.core.generation import Sampling, decoder_inputs
    from onnxstudio.core.inputs import LiteralSource, build_feeds
    from onnxstudio.core.inspection import inspect_model
    from onnxstudio.core.logits_rules import Rules
    from tests.models import decoder_model

    path = decoder_model(Path(tempfile.mkdtemp()) / "decoder.onnx", heads=8, head_dim=64, vocab=32_000)
    prompt = list(range(1, PROMPT + 1))
    report = inspect_model(path, shapes=False)
    dec = decoder_inputs(report.inputs, report.outputs)
    feeds = build_feeds(report.inputs, {"input_ids": LiteralSource(str([prompt]))}, dict.fromkeys(dec.past_dims, 0))
    before = by_hand(path, prompt)
    rules = Rules(repetition_penalty=1.2, no_repeat_ngram=3, suppress=tuple(range(100, 200)))
    walls: dict[str, float] = {}
    with Engine(path) as engine:
        engine.generate(feeds, dec, 4)  # warm-up
        t0 = time.perf_counter()
        ours = engine.generate(feeds, dec, TOKENS, sampling=Sampling())
        walls["engine, greedy"] = (time.perf_counter() - t0) * 1000 / TOKENS
        for label, sampling in (("engine, rules", Sampling(rules=rules)),
                                ("engine, 4 beams", Sampling(rules=Rules(num_beams=4)))):
            t0 = time.perf_counter()
            engine.generate(feeds, dec, TOKENS, sampling=sampling)
            walls[label] = (time.perf_counter() - t0) * 1000 / TOKENS
    after = by_hand(path, prompt)
    assert ours.tokens[0] == before[0] == after[0], "the engine and the hand loop generate different tokens"
    hand_ms = statistics.median(before[2] + after[2])
    ours_ms = statistics.median(ours.token_ms)
    print(f"{'':<22} {'prefill':>10} {'ms a token':>11} {'tokens/s':>9}")
    print(f"{'by hand (before)':<22} {before[1]:>8.2f} ms {statistics.median(before[2]):>11.3f} "
          f"{1000 / statistics.median(before[2]):>9.0f}")
    print(f"{'engine (child)':<22} {ours.prefill_ms:>8.2f} ms {ours_ms:>11.3f} {ours.tokens_per_s:>9.0f}")
    print(f"{'by hand (after)':<22} {after[1]:>8.2f} ms {statistics.median(after[2]):>11.3f} "
          f"{1000 / statistics.median(after[2]):>9.0f}")
    print(f"engine / by hand, ms a token: {ours_ms / hand_ms:.2f} (same {TOKENS} tokens)")
    print("whole call, ms a token (the child's loop: feeding back, rules, search):")
    for label, ms in walls.items():
        print(f"  {label:<20} {ms:>7.3f}  ({ms / walls['engine, greedy']:.2f} x greedy)")


if __name__ == "__main__":
    main()
