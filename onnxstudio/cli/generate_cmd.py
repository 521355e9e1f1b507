"""`onnxstudio generate MODEL --input input_ids=PROMPT`: greedy generation with a text decoder's cache, timed."""

from __future__ import annotations

import argparse
import sys

from onnxstudio.cli.common import add_session_options, memory_limit, print_json, session_config
from onnxstudio.cli.run_cmd import _labels, prepare
from onnxstudio.core.engine import Engine
from onnxstudio.core.errors import InputError
from onnxstudio.core.generation import decoder_inputs, token_text
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.text import decode, find_tokenizer


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("generate", help="generate tokens with a text decoder and its key/value cache "
                                               "(greedy), timing the prompt and each new token")
    p.add_argument("model", help="path to a .onnx file: a decoder exported with its cache (past_key_values.N.key)")
    add_session_options(p)
    p.add_argument("--tokens", "-n", type=int, default=20, metavar="N", help="new tokens to generate (default 20)")
    p.add_argument("--stop", type=int, action="append", default=[], metavar="ID",
                   help="a token id that ends generation (an end-of-text id); repeat it for several")
    p.add_argument("--labels", metavar="FILE", help="the tokens' strings (a tokenizer.json, vocab.json or "
                   "vocab.txt); by default a tokenizer shipped beside the model")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.tokens <= 100_000:
        raise InputError(f"--tokens must be between 1 and 100000, not {args.tokens}")
    report = inspect_model(args.model, shapes=False)
    dec = decoder_inputs(report.inputs, report.outputs)
    given = {d.partition("=")[0].strip() for d in args.dim}
    args.dim = [*args.dim, *(f"{d}=0" for d in dec.past_dims if d not in given)]  # an empty cache to begin
    args.reference, args.output, args.command = None, [], "generate"
    report, feeds, inputs, notes = prepare(args)
    config = session_config(args)
    with Engine(args.model, config, memory_limit_bytes=memory_limit(args), timeout_s=args.timeout) as engine:
        info = engine.create_session()
        result = engine.generate(feeds, dec, args.tokens, args.stop)
    vocab = _labels(args, report, notes)
    tokenizer = None if args.labels else args.tokenizer or find_tokenizer(args.model)
    texts = [(decode(tokenizer, row) if tokenizer else None) or token_text(row, vocab) for row in result.tokens]
    readable = bool(vocab or tokenizer)
    if args.json:
        print_json({"model": args.model, "providers": list(info.providers), "session_create_ms": info.create_ms,
                    "inputs": inputs, **result.to_dict(), "text": texts if readable else None, "notes": notes})
        return 0
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"providers   {', '.join(info.providers)}  (session {info.create_ms:.1f} ms)")
    print(f"prompt      {len(result.prompt[0])} tokens x {len(result.prompt)}: prefill {result.prefill_ms:.2f} ms")
    if not dec.cache:
        print("cache       none: each run reads the prompt and every token so far (its time grows with them)")
    if result.token_ms:
        median = sorted(result.token_ms)[len(result.token_ms) // 2]
        print(f"decode      {len(result.token_ms)} more tokens: {median:.2f} ms a token (median), "
              f"{result.tokens_per_s:.1f} tokens/s")
    for i, row in enumerate(result.tokens):
        who = f" (row {i})" if len(result.tokens) > 1 else ""
        print(f"generated   {row}{who}")
        if readable:
            print(f"text        {texts[i]!r}")
    return 0
