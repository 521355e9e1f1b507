"""`onnxstudio generate MODEL --input input_ids=PROMPT`: greedy generation with a text decoder's cache, timed; an
encoder-decoder (T5, BART, Marian, Whisper) runs its encoder on the inputs, then its decoder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from onnxstudio.cli.common import add_session_options, memory_limit, print_json, session_config
from onnxstudio.cli.run_cmd import _labels, prepare
from onnxstudio.core.engine import Engine
from onnxstudio.core.errors import InputError
from onnxstudio.core.generation import Generated, Sampling, decoder_inputs, token_text, with_rules
from onnxstudio.core.generation_config import (
    DEFAULT_NEW_TOKENS,
    RuleChoices,
    config_notes,
    end_tokens,
    pair_length_limit,
    start_tokens,
)
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.seq2seq import Seq2Seq, find_pair, generate_pair
from onnxstudio.core.text import decode, find_tokenizer


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("generate", help="generate tokens with a text decoder and its key/value cache "
                                               "(greedy, drawn or by beam search), timing the prompt and each new token")
    p.add_argument("model", help="path to a .onnx file: a decoder exported with its cache (past_key_values.N.key), "
                   "or an encoder-decoder's encoder or decoder (encoder_model.onnx, decoder_model_merged.onnx)")
    add_session_options(p)
    p.add_argument("--encoder", "--decoder", dest="partner", metavar="FILE",
                   help="an encoder-decoder's other half, where it is not beside MODEL under Optimum's names "
                        "(encoder_model.onnx, decoder_model_merged.onnx or decoder_model.onnx); --input feeds the "
                        "encoder")
    p.add_argument("--start", type=int, action="append", default=[], metavar="ID",
                   help="an encoder-decoder's first decoder token(s); by default the decoder_start_token_id "
                        "(and Whisper's forced_decoder_ids) of the generation_config.json or config.json beside it")
    p.add_argument("--tokens", "-n", type=int, metavar="N",
                   help="new tokens to generate (default 20; an encoder-decoder's: the max_new_tokens or max_length "
                        "of its generation_config.json, as its pipeline generates, else 20)")
    p.add_argument("--stop", type=int, action="append", default=[], metavar="ID",
                   help="a token id that ends generation; repeat it for several (by default the eos_token_id of the "
                        "generation_config.json or config.json beside the model)")
    p.add_argument("--ignore-eos", action="store_true",
                   help="generate all --tokens, past any end-of-text id (for timing a fixed number of tokens)")
    p.add_argument("--temperature", type=float, default=0.0, metavar="T",
                   help="draw each token from the softmax of its scores / T instead of taking the best (default 0: "
                        "greedy)")
    p.add_argument("--top-k", type=int, default=0, metavar="K", help="with --temperature: draw among the K best only")
    p.add_argument("--top-p", type=float, default=1.0, metavar="P",
                   help="with --temperature: draw among the fewest best tokens whose probabilities reach P")
    p.add_argument("--seed", type=int, default=0, help="with --temperature: the random generator's seed (default 0)")
    p.add_argument("--repetition-penalty", type=float, metavar="P",
                   help="divide the score of a token already in the sequence by P (multiply it where negative), as "
                        "transformers does; by default the generation_config.json's repetition_penalty, else 1 (off)")
    p.add_argument("--no-repeat-ngram", type=int, metavar="N",
                   help="never give an N-gram twice; by default the generation_config.json's no_repeat_ngram_size, "
                        "else 0 (off)")
    p.add_argument("--beams", type=int, metavar="N",
                   help="beam search with N beams, as transformers' generate does it; by default the "
                        "generation_config.json's num_beams (with its length_penalty and early_stopping), else 1")
    p.add_argument("--no-config-rules", action="store_true",
                   help="ignore the rules the generation_config.json sets on the scores (suppressed and banned "
                        "tokens, minimum length, the end forced at the last token, repetition penalty)")
    p.add_argument("--labels", metavar="FILE", help="the tokens' strings (a tokenizer.json, vocab.json or "
                   "vocab.txt); by default a tokenizer shipped beside the model")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.tokens is not None and not 1 <= args.tokens <= 100_000:
        raise InputError(f"--tokens must be between 1 and 100000, not {args.tokens}")
    if not (args.temperature >= 0 and args.top_k >= 0 and 0 < args.top_p <= 1):
        raise InputError("--temperature and --top-k must be 0 or more, --top-p above 0 and at most 1")
    if args.repetition_penalty is not None and not 0 < args.repetition_penalty <= 100:
        raise InputError(f"--repetition-penalty must be above 0 and at most 100, not {args.repetition_penalty:g}")
    if args.no_repeat_ngram is not None and not 0 <= args.no_repeat_ngram <= 64:
        raise InputError(f"--no-repeat-ngram must be between 0 and 64, not {args.no_repeat_ngram}")
    if args.beams is not None and not 1 <= args.beams <= 64:
        raise InputError(f"--beams must be between 1 and 64, not {args.beams}")
    choices = RuleChoices(not args.no_config_rules, args.repetition_penalty, args.no_repeat_ngram, args.beams)
    pair = find_pair(args.model, args.partner)
    decoder = pair.decoder if pair is not None else args.model
    args.sampling, left_out = with_rules(Sampling(args.temperature, args.top_k, args.top_p, args.seed),
                                         choices.resolve(decoder), args.beams is not None)
    args.config_notes = config_notes(decoder) + left_out
    if pair is not None:
        return _run_pair(args, pair)
    if args.start:
        raise InputError("--start gives an encoder-decoder's first decoder tokens; this model is a decoder alone "
                         "(its prompt is --input input_ids=...)")
    args.tokens = args.tokens or DEFAULT_NEW_TOKENS
    report = inspect_model(args.model, shapes=False)
    dec = decoder_inputs(report.inputs, report.outputs)
    given = {d.partition("=")[0].strip() for d in args.dim}
    args.dim = [*args.dim, *(f"{d}=0" for d in dec.past_dims if d not in given)]  # an empty cache to begin
    args.reference, args.output, args.command = None, [], "generate"
    report, feeds, inputs, notes = prepare(args)
    notes.extend(args.config_notes)
    config = session_config(args)
    stop = _stop_ids(args, args.model, notes)
    with Engine(args.model, config, memory_limit_bytes=memory_limit(args), timeout_s=args.timeout) as engine:
        info = engine.create_session()
        result = engine.generate(feeds, dec, args.tokens, stop, args.sampling)
    vocab = _labels(args, report, notes)
    tokenizer = None if args.labels else args.tokenizer or find_tokenizer(args.model)
    texts = [(decode(tokenizer, row, skip_special=True) if tokenizer else None) or token_text(row, vocab) for row in result.tokens]
    readable = bool(vocab or tokenizer)
    if args.json:
        print_json({"model": args.model, "providers": list(info.providers), "session_create_ms": info.create_ms,
                    "inputs": inputs, **result.to_dict(), **_choice(args.sampling),
                    "text": texts if readable else None, "notes": notes})
        return 0
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"providers   {', '.join(info.providers)}  (session {info.create_ms:.1f} ms)")
    lengths = sorted({len(row) for row in result.prompt})
    told = f"{lengths[0]} tokens x {len(result.prompt)}" if len(lengths) == 1 else \
        f"{len(result.prompt)} of {lengths[0]}-{lengths[-1]} tokens (padded on the left)"
    print(f"prompt      {told}: prefill {result.prefill_ms:.2f} ms")
    _print_decoding(result, "the prompt and every token so far", texts if readable else None, args.sampling)
    return 0


def _stop_ids(args: argparse.Namespace, model: str | Path, notes: list[str]) -> list[int]:
    """--stop, else the end-of-text ids the model's config names (said in a note); none with --ignore-eos."""
    if args.ignore_eos:
        return []
    if args.stop:
        return list(args.stop)
    stop, source = end_tokens(model)
    if stop:
        notes.append(f"generation ends at token {', '.join(map(str, stop))} (eos_token_id in {source}); "
                     "--stop ID to choose, --ignore-eos to generate every token")
    return stop


def _print_decoding(result: Generated, read: str, texts: list[str] | None, sampling: Sampling) -> None:
    """The lines after the first token's: no cache (each run reads ``read``), the later tokens' times, how they
    were chosen where not greedily, the tokens and their texts."""
    if not sampling.greedy:
        print(f"choice      {sampling.describe()}")
    rules = sampling.rules
    source = f" ({rules.source})" if rules is not None and rules.source else ""
    if rules is not None and rules.num_beams > 1:
        print(f"search      {rules.describe_search()}{source}")
    if rules is not None and rules.active:
        print(f"rules       {rules.describe()}{source}")
    if not result.cache:
        print(f"cache       none: each run reads {read} (its time grows with them)")
    if result.token_ms:
        median = sorted(result.token_ms)[len(result.token_ms) // 2]
        print(f"decode      {len(result.token_ms)} more tokens: {median:.2f} ms a token (median), "
              f"{result.tokens_per_s:.1f} tokens/s")
    for i, row in enumerate(result.tokens):
        who = f" (row {i})" if len(result.tokens) > 1 else ""
        print(f"generated   {row}{who}")
        if texts is not None:
            print(f"text        {texts[i]!r}")


def _run_pair(args: argparse.Namespace, pair: Seq2Seq) -> int:
    """An encoder-decoder: --input feeds the encoder; its states feed the decoder, which generates."""
    decoder_path = args.model
    args.model = str(pair.encoder)  # the inputs, their tokenizer and recipes are the encoder's
    args.reference, args.output, args.command = None, [], "generate"
    try:
        _report, feeds, inputs, notes = prepare(args)
    finally:
        args.model = decoder_path
    notes.extend(args.config_notes)
    if args.tokens is None:  # as many as its pipeline would generate: the config's limit after the start tokens
        args.tokens, source = pair_length_limit(pair.decoder, args.start or start_tokens(pair.decoder)[0],
                                                args.sampling.rules)
        if source:
            notes.append(f"up to {args.tokens} new tokens ({source}); --tokens N to choose")
    result = generate_pair(pair, session_config(args), feeds, args.tokens, args.start or None,
                           _stop_ids(args, pair.decoder, notes), memory_limit(args), args.timeout, args.sampling)
    generated = result.generated
    tokenizer = args.tokenizer or find_tokenizer(pair.decoder) or find_tokenizer(pair.encoder)
    vocab = [] if tokenizer or not args.labels else _labels(args, inspect_model(pair.decoder, shapes=False), notes)
    texts = [(decode(tokenizer, row, skip_special=True) if tokenizer else None) or token_text(row, vocab) for row in generated.tokens]
    readable = bool(vocab or tokenizer)
    start = generated.prompt[0]
    said = "--start" if args.start else f"decoder_start_token_id in {result.start_from}" if result.start_from else \
        "no config beside the decoder says its start token: 0; --start ID to give it"
    rules = args.sampling.rules
    if rules is not None and any(len(ids) > 1 for ids in rules.prefix):
        said += "; the language detected, the likeliest of its lang_to_id tokens"
        if tokenizer:
            said += f": {decode(tokenizer, start) or start}"
    if args.json:
        print_json({"model": args.model, "encoder": str(pair.encoder), "decoder": str(pair.decoder),
                    "providers": list(result.decoder_session.providers),
                    "session_create_ms": result.decoder_session.create_ms,
                    "encoder_providers": list(result.encoder_session.providers),
                    "encoder_session_create_ms": result.encoder_session.create_ms, "inputs": inputs,
                    "start": start, "start_from": said, **generated.to_dict(), **_choice(args.sampling),
                    "text": texts if readable else None, "notes": notes})
        return 0
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    shapes = ", ".join(f"{name} {list(value.shape)}" for name, value in feeds.items() if hasattr(value, "shape"))
    print(f"encoder     {pair.encoder.name}: {shapes}: {generated.encoder_ms:.2f} ms  "
          f"({', '.join(result.encoder_session.providers)}, session {result.encoder_session.create_ms:.1f} ms)")
    print(f"decoder     {pair.decoder.name}  ({', '.join(result.decoder_session.providers)}, session "
          f"{result.decoder_session.create_ms:.1f} ms)")
    print(f"start       {start} x {len(generated.prompt)} ({said}): first token {generated.prefill_ms:.2f} ms")
    _print_decoding(generated, "every token so far", texts if readable else None, args.sampling)
    return 0


def _choice(sampling: Sampling) -> dict[str, Any]:
    """``--json``'s ``sampling`` (how each token was chosen) and ``rules`` (what shaped the scores first; null where
    nothing did)."""
    rules = sampling.rules if sampling.rules is not None and sampling.rules.shown else None
    return {"sampling": {k: v for k, v in sampling.to_dict().items() if k != "rules"},
            "rules": rules.to_dict() if rules is not None else None}
