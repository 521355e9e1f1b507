"""The command line that repeats what the app did: ``onnxstudio run`` / ``bench`` / ``profile`` with the same
session options, inputs, preprocessing and dims, for a script, a CI job or a colleague.

Each option is written only where it differs from what the command does by itself (the CLI guesses the same
image recipe, defaults the same dims), so the line stays short and says what was chosen.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from onnxstudio.core.engine import BenchmarkSpec
from onnxstudio.core.generation import Sampling
from onnxstudio.core.generation_config import RuleChoices
from onnxstudio.core.hf_processor import processor_beside
from onnxstudio.core.imaging import ImageRecipe, preset_of, recipe_for_model
from onnxstudio.core.inputs import (
    ArrayFileSource,
    ConstantSource,
    ImageSource,
    LiteralSource,
    PositionsSource,
    RandomSource,
    SizeSource,
    TextSource,
)
from onnxstudio.core.providers import SessionConfig, spec_for
from onnxstudio.core.values import ValueSpec


def source_arg(source: Any) -> tuple[str, str]:
    """(the CLI's SOURCE text, a note on what it cannot say, or "")."""
    if isinstance(source, ImageSource):
        return source.path, ""
    if isinstance(source, ArrayFileSource):
        return (f"{source.path}:{source.key}" if source.key else source.path), ""
    if isinstance(source, RandomSource):
        plain = source.distribution == "uniform" and source.low is None and source.high is None
        return f"random:{source.seed}", "" if plain else (
            f"the command line draws uniform random data; the app drew {source.distribution}"
            + (f" in [{source.low}, {source.high}]" if source.low is not None or source.high is not None else ""))
    if isinstance(source, ConstantSource):
        return ("zeros" if source.value == 0 else "ones" if source.value == 1 else f"const:{source.value:g}"), ""
    if isinstance(source, LiteralSource):
        return source.text, ""
    if isinstance(source, PositionsSource):
        return "positions", ""
    if isinstance(source, TextSource):
        return f"text:{source.text}", ""
    if isinstance(source, SizeSource):
        return ("size" if source.of is None else f"size:{source.of}"), ""
    return "random:0", f"no command-line form for {type(source).__name__}"


def recipe_args(name: str, recipe: ImageRecipe, default: ImageRecipe | None) -> list[str]:
    """``--preprocess NAME:STEP=VALUE`` for each step where ``recipe`` differs from the one the CLI guesses."""
    base = default or ImageRecipe()
    steps: list[str] = []
    if recipe.resize != base.resize:
        steps.append(f"resize={recipe.resize}")
    if recipe.size != base.size and recipe.size is not None:
        steps.append(f"size={recipe.size[0]}x{recipe.size[1]}")
    for key in ("color", "layout", "scale", "dtype", "interpolation"):
        if getattr(recipe, key) != getattr(base, key):
            steps.append(f"{key}={getattr(recipe, key)}")
    if (recipe.mean, recipe.std) != (base.mean, base.std):
        preset = preset_of(recipe)
        if preset:
            steps.append(f"preset={preset}")
        else:
            steps += [f"mean={','.join(f'{v:g}' for v in recipe.mean)}", f"std={','.join(f'{v:g}' for v in recipe.std)}"]
    if recipe.pad_value != base.pad_value:
        steps.append(f"pad={recipe.pad_value}")
    return [arg for step in steps for arg in ("--preprocess", f"{name}:{step}")]


def session_args(cfg: SessionConfig) -> list[str]:
    args: list[str] = []
    if cfg.providers != ("CPUExecutionProvider",):
        for name in cfg.providers:
            args += ["--provider", spec_for(name).short]
    for name, options in cfg.provider_options.items():
        for key, value in options.items():
            args += ["--provider-option", f"{spec_for(name).short}:{key}={value}"]
    if cfg.intra_op_threads:
        args += ["--threads", str(cfg.intra_op_threads)]
    if cfg.inter_op_threads:
        args += ["--inter-threads", str(cfg.inter_op_threads)]
    if cfg.graph_optimization != "all":
        args += ["--optimization", cfg.graph_optimization]
    if cfg.execution_mode == "parallel":
        args.append("--parallel")
    if not cfg.enable_mem_arena:
        args.append("--no-arena")
    if not cfg.use_cache:
        args.append("--no-cache")
    if cfg.allow_fallback:
        args.append("--allow-fallback")
    for library in cfg.custom_op_libraries:
        args += ["--custom-op-library", str(library)]
    return args


def bench_args(spec: BenchmarkSpec) -> list[str]:
    args: list[str] = []
    if spec.warmup_s is not None:
        args += ["--warmup-time", f"{spec.warmup_s:g}"]
    elif spec.warmup != 10:
        args += ["--warmup", str(spec.warmup)]
    if spec.iterations is not None:
        args += ["--iterations", str(spec.iterations)]
    elif spec.duration_s is not None:
        args += ["--duration", f"{spec.duration_s:g}"]
    if spec.io_binding:
        args.append("--io-binding")
    return args


def generate_args(tokens: int, sampling: Sampling, stop_at_end: bool = True,
                  choices: RuleChoices | None = None) -> list[str]:
    """``onnxstudio generate``'s options for ``tokens`` new tokens chosen as ``sampling`` says, the model's rules
    taken as ``choices`` say."""
    args = ["--tokens", str(tokens)] + ["--ignore-eos"] * (not stop_at_end)
    if not sampling.greedy:
        args += ["--temperature", f"{sampling.temperature:g}", "--seed", str(sampling.seed)]
        args += ["--top-k", str(sampling.top_k)] * (sampling.top_k > 0)
        args += ["--top-p", f"{sampling.top_p:g}"] * (sampling.top_p < 1)
    return args + (choices.args() if choices is not None else [])


def command(kind: str, model: str | Path, config: SessionConfig, specs: Sequence[ValueSpec],
            sources: Mapping[str, Any], dims: Mapping[str, int], metadata: Mapping[str, str] | None = None,
            extra: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """(argv of ``onnxstudio KIND MODEL ...``, notes on what the line cannot repeat exactly)."""
    argv = ["onnxstudio", kind, str(model), *session_args(config)]
    notes: list[str] = []
    processor = processor_beside(model) if any(isinstance(s, ImageSource) for s in sources.values()) else None
    for spec in specs:
        source = sources.get(spec.name)
        if source is None:
            continue
        text, note = source_arg(source)
        if isinstance(source, TextSource):  # a batch of texts: the option again for each
            argv += [arg for t in source.texts for arg in ("--input", f"{spec.name}=text:{t}")]
        else:
            argv += ["--input", f"{spec.name}={text}"]
        if note:
            notes.append(f"input {spec.name!r}: {note}")
        if isinstance(source, ImageSource) and source.recipe is not None:
            argv += recipe_args(spec.name, source.recipe, recipe_for_model(spec, dict(metadata or {}), processor))
    for name, value in dims.items():
        argv += ["--dim", f"{name}={value}"]
    return argv + list(extra), notes


def shell_line(argv: Sequence[str], windows: bool | None = None) -> str:
    """``argv`` quoted for the shell of this platform (cmd.exe's rules on Windows, POSIX elsewhere)."""
    if windows if windows is not None else sys.platform == "win32":
        return subprocess.list2cmdline(list(argv))
    return shlex.join(argv)
