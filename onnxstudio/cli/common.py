"""Helpers shared by the sub-commands: JSON printing, options for sessions and inputs."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from onnxstudio.core.errors import InputError
from onnxstudio.core.inputs import Source, TextSource, parse_source, table_sources
from onnxstudio.core.providers import SessionConfig
from onnxstudio.core.tables import is_table
from onnxstudio.core.values import ValueSpec


def _default(obj: Any) -> Any:
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, bytes):
        return obj.decode("utf-8", "replace")
    if isinstance(obj, (set, tuple)):
        return list(obj)
    return str(obj)


def _clean(obj: Any) -> Any:
    # JSON has no NaN/Infinity: scripts parsing our output must not choke on them.
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    return obj


def print_json(data: Any) -> None:
    json.dump(_clean(json.loads(json.dumps(data, default=_default))), sys.stdout, indent=2, allow_nan=False)
    sys.stdout.write("\n")


def add_session_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--provider", "-p", action="append", default=[], metavar="P",
                   help="execution provider, short (cpu, cuda, dml, tensorrt, openvino, ...) or full name; "
                        "repeat for a priority list")
    p.add_argument("--provider-option", action="append", default=[], metavar="P:KEY=VALUE",
                   help="a provider option, e.g. cuda:device_id=1 or tensorrt:trt_fp16_enable=1")
    p.add_argument("--threads", type=int, default=0, help="intra-op threads (0: onnxruntime's default)")
    p.add_argument("--inter-threads", type=int, default=0, help="inter-op threads (parallel mode)")
    p.add_argument("--optimization", choices=["disabled", "basic", "extended", "layout", "all"], default="all",
                   help="graph optimization level (default: all)")
    p.add_argument("--parallel", action="store_true", help="parallel execution mode")
    p.add_argument("--no-arena", action="store_true", help="disable the CPU memory arena")
    p.add_argument("--no-cache", action="store_true", help="do not reuse or save optimized models")
    p.add_argument("--allow-fallback", action="store_true",
                   help="accept a session that fell back to another provider (it is still reported)")
    p.add_argument("--custom-op-library", action="append", default=[], metavar="PATH",
                   help="load a shared library of custom ops (only ever loaded when named here)")
    p.add_argument("--timeout", type=float, default=None, metavar="S",
                   help="stop the child process after S seconds")
    p.add_argument("--memory-limit", type=float, default=None, metavar="GB",
                   help="stop the child process above this much memory (default: 75%% of RAM)")
    p.add_argument("--input", "-i", action="append", default=[], metavar="NAME=SOURCE",
                   help="SOURCE: a .npy/.npz/.pb/.wav/.csv/image file, a folder of images, random[:SEED], zeros, "
                        "ones, const:V, positions (0, 1, 2, ...), size[:PICTURE] (a picture's height and width as fed), "
                        "text:TEXT (token ids through the model's tokenizer; given again for the same input, a batch of texts "
                        "padded to the longest) or a literal; a bare FILE feeds a model's "
                        "only input, a bare FILE.csv every input named by one of its columns")
    p.add_argument("--tokenizer", metavar="FILE", default=None,
                   help="the tokenizer.json (or BERT's vocab.txt) that turns text:TEXT into token ids; by default "
                        "the one beside the model (its folder or two above)")
    p.add_argument("--preprocess", action="append", default=[], metavar="[NAME:]STEP=VALUE",
                   help="an image input's preprocessing, one step each: resize=stretch|letterbox|center_crop, "
                        "size=HxW, color=RGB|BGR|GRAY, scale=0-1|0-255|-1-1, preset=imagenet|clip|none, "
                        "mean=A,B,C, std=A,B,C, layout=NCHW|NHWC, dtype=..., pad=114, interpolation=...; "
                        "NAME: limits it to one input")
    p.add_argument("--dim", action="append", default=[], metavar="NAME=N",
                   help="value of a symbolic dim (batch=8), or of an unknown one by input and axis (x:2=640)")


def session_config(args: argparse.Namespace) -> SessionConfig:
    options: dict[str, dict[str, str]] = {}
    from onnxstudio.core.providers import resolve_provider

    for item in args.provider_option:
        prov, _, kv = item.partition(":")
        key, eq, value = kv.partition("=")
        if not eq or not key:
            raise InputError(f"--provider-option must look like cuda:device_id=0, not {item!r}")
        options.setdefault(resolve_provider(prov), {})[key] = value
    return SessionConfig(
        providers=tuple(args.provider) or ("CPUExecutionProvider",),
        provider_options=options,
        intra_op_threads=args.threads,
        inter_op_threads=args.inter_threads,
        graph_optimization=args.optimization,
        execution_mode="parallel" if args.parallel else "sequential",
        enable_mem_arena=not args.no_arena,
        use_cache=not args.no_cache,
        allow_fallback=args.allow_fallback,
        custom_op_libraries=tuple(args.custom_op_library),
    )


def parse_inputs(args: argparse.Namespace, specs: Sequence[ValueSpec] | None = None
                 ) -> tuple[dict[str, Source], dict[str, int]]:
    """``--input`` and ``--dim``; a bare table (``--input titanic.csv``) feeds the ``specs`` its columns name, a
    bare file or folder (``--input photo.jpg``) the model's only input (under the name "" where ``specs`` is None:
    the sources alone are wanted)."""
    sources: dict[str, Source] = {}
    for item in args.input:
        # a path may hold "=": it is bare where it exists and what follows its first "=" does not
        bare = "=" not in item or (os.path.exists(item) and not os.path.exists(item.partition("=")[2]))
        if bare and is_table(item):
            if specs:
                sources.update(table_sources(item, specs))
            continue
        if bare and os.path.exists(item):  # a file or folder alone: the model's only input (False: a name too long)
            if specs is not None and len(specs) != 1:
                listed = ", ".join(s.name for s in specs[:6]) + (", ..." if len(specs) > 6 else "")
                raise InputError(f"--input {item}: " + (f"the model takes {len(specs)} inputs ({listed}); name the "
                                 f"one it feeds: --input NAME={item}" if specs else "the model takes no inputs"))
            sources[specs[0].name if specs else ""] = parse_source(item)
            continue
        name, eq, text = item.partition("=")
        if not eq or not name:
            raise InputError(f"--input {item}: no such file; an input is given as NAME=SOURCE" if not eq
                             else f"--input must look like NAME=SOURCE, not {item!r}")
        source = parse_source(text)
        before = sources.get(name)
        if isinstance(source, TextSource) and isinstance(before, TextSource):  # texts given again: a batch
            source = replace(before, text=f"{before.text}\n{source.text}")
        sources[name] = source
    texts = [name for name, source in sources.items() if isinstance(source, TextSource)]
    if texts:  # the tokenizer named, else the one shipped beside the model
        from onnxstudio.core.text import find_tokenizer

        model = getattr(args, "model", None)
        tokenizer = getattr(args, "tokenizer", None) or (find_tokenizer(model) if model else None)
        for name in texts:
            sources[name] = replace(sources[name], tokenizer=str(tokenizer) if tokenizer else None)  # type: ignore[type-var]
    return sources, parse_dims(args.dim)


def parse_dims(items: list[str]) -> dict[str, int]:
    """``--dim NAME=N`` options as a dict."""
    dims: dict[str, int] = {}
    for item in items:
        name, eq, value = item.partition("=")
        try:
            dims[name] = int(value)
        except ValueError:
            raise InputError(f"--dim must look like NAME=N, not {item!r}") from None
        if not eq:
            raise InputError(f"--dim must look like NAME=N, not {item!r}")
    return dims


def parse_preprocess(args: argparse.Namespace) -> list[tuple[str | None, str, str]]:
    """``--preprocess`` as (input name or None for every image input, step, value)."""
    from onnxstudio.core.imaging import RECIPE_KEYS

    steps = []
    for item in getattr(args, "preprocess", []):
        left, eq, value = item.partition("=")
        name, _, key = left.rpartition(":")  # TF's input names hold a colon too ("input:0:size=224")
        if not eq or key.strip().lower().replace("colour", "color") not in RECIPE_KEYS:
            raise InputError(f"--preprocess must look like [NAME:]STEP=VALUE with STEP one of "
                             f"{', '.join(RECIPE_KEYS)}, not {item!r}")
        steps.append((name or None, key, value))
    return steps


def memory_limit(args: argparse.Namespace) -> int | None:
    return int(args.memory_limit * 2**30) if args.memory_limit else None
