"""What a model's ``generation_config.json`` or ``config.json`` (beside it, or a folder or two above, as Hugging
Face ships them) says of generation: the tokens a decoder starts on and the ids that end it. Qt-free."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from onnxstudio.core.logits_rules import Rules, token_id
from onnxstudio.core.text import nearest_file

_CONFIGS = ("generation_config.json", "config.json")
_MAX_START = 16  # start tokens read from a config (Whisper's: start, language, task, no timestamps)
_MAX_LANGUAGES = 1000  # Whisper's lang_to_id: 99 or 100
_MAX_NEW = 100_000  # new tokens a config may ask for (the command line's limit)
DEFAULT_NEW_TOKENS = 20  # what generate gives where neither the user nor (for an encoder-decoder) the config says


def _configs(model: str | Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """The configs beside ``model`` that can be read, nearest and generation_config.json first."""
    for name in _CONFIGS:
        path = nearest_file(model, (name,))
        if path is None:
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        config = _parsed(str(path), stat.st_mtime_ns, stat.st_size)
        if config is not None:
            yield path.name, config


@lru_cache(maxsize=16)
def _parsed(path: str, _mtime_ns: int, _size: int) -> dict[str, Any] | None:
    """A config file's JSON object (None where it is none), read once while the file is unchanged: one generation
    reads its start and end tokens, rules, length and notes from it (callers only read it)."""
    try:
        config = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return config if isinstance(config, dict) else None


def _ends(config: dict[str, Any]) -> list[int]:
    stop = config.get("eos_token_id")
    return [t for t in (stop if isinstance(stop, list) else [stop])[:_MAX_START] if token_id(t) is not None]


def end_tokens(model: str | Path) -> tuple[list[int], str]:
    """The ids that end a decoder's generation (``eos_token_id``, one or a list) and the config that says so;
    ([], "") where none does."""
    for name, config in _configs(model):
        stops = _ends(config)
        if stops:
            return stops, name
    return [], ""


def start_tokens(decoder: str | Path) -> tuple[list[int], list[int], str]:
    """The decoder's first tokens and the ids that end generation, from the ``generation_config.json`` or
    ``config.json`` beside it (``decoder_start_token_id``, then the ``forced_bos_token_id`` of mBART, M2M100 and
    NLLB, or Whisper's ``forced_decoder_ids`` in their places; ``eos_token_id``), and where they were read ("" where
    none says: 0, as T5's pad, and no end)."""
    for name, config in _configs(decoder):
        start = token_id(config.get("decoder_start_token_id"))
        if start is None:
            continue
        whisper = _whisper_init(config, start)
        if whisper is not None:  # its tokens up to the language to detect (the rest: Rules.prefix)
            ids = list(itertools.takewhile(lambda t: isinstance(t, int), whisper))
            return ids, _ends(config), name
        ids = [start]
        bos = token_id(config.get("forced_bos_token_id"))  # mBART's, M2M100's, NLLB's target language
        if bos is not None:
            ids.append(bos)
        forced = config.get("forced_decoder_ids")
        if isinstance(forced, list):  # [[1, language], [2, task], [3, no timestamps]]
            for pair in forced[:_MAX_START]:
                if isinstance(pair, list) and len(pair) == 2 and pair[0] == len(ids) and \
                        (token := token_id(pair[1])) is not None:
                    ids.append(token)
        return ids, _ends(config), name
    return [0], [], ""


def generation_rules(model: str | Path) -> Rules:
    """The rules on the scores that the model's ``generation_config.json`` sets (its ``config.json``'s where it
    has none, as transformers reads them): :class:`~onnxstudio.core.logits_rules.Rules`; for Whisper, the tokens
    its decoder is given after the language it detects (:attr:`Rules.prefix`)."""
    found = next(_configs(model), None)
    if found is None:
        return Rules()
    rules = Rules.from_config(found[1], found[0])
    start = token_id(found[1].get("decoder_start_token_id"))
    whisper = _whisper_init(found[1], start) if start is not None else None
    if whisper is not None:
        rest = list(itertools.dropwhile(lambda t: isinstance(t, int), whisper))
        rules = replace(rules, prefix=tuple(t if isinstance(t, tuple) else (t,) for t in rest))
    return rules


def _whisper_init(config: dict[str, Any], start: int) -> list[int | tuple[int, ...]] | None:
    """The tokens Whisper's decoder starts on, as transformers' Whisper ``generate`` builds them from its config
    (None for a config that is not Whisper's): the start token, the language (``language``, else the one
    ``forced_decoder_ids`` names, else detected: the likeliest of the ``lang_to_id`` tokens after the start token,
    a tuple of them here), the task (``task``, else the one ``forced_decoder_ids`` names; transcribe where a
    language is set) and the no-timestamps token (unless ``return_timestamps``)."""
    langs, tasks = config.get("lang_to_id"), config.get("task_to_id")
    no_timestamps = token_id(config.get("no_timestamps_token_id"))
    if not isinstance(langs, dict) and no_timestamps is None:
        return None
    langs = langs if isinstance(langs, dict) else {}
    tasks = tasks if isinstance(tasks, dict) else {}
    language, task = config.get("language"), config.get("task")
    init: list[Any] = [start]
    forced = config.get("forced_decoder_ids")
    if language is None and task is None and isinstance(forced, list):
        for i, pair in enumerate(forced[:_MAX_START], start=1):
            if not (isinstance(pair, list) and len(pair) == 2 and pair[0] == i):
                break
            init.append(token_id(pair[1]))  # None: the language, to detect
    chosen = token_id(langs.get(language if language in langs else f"<|{language}|>")) \
        if isinstance(language, str) else None
    detect = tuple(t for t in map(token_id, list(langs.values())[:_MAX_LANGUAGES]) if t is not None)
    if chosen is not None or (detect and (len(init) <= 1 or init[1] is None)):
        if len(init) > 1:
            init[1] = chosen if chosen is not None else detect
        else:
            init.append(chosen if chosen is not None else detect)
    task_ids = {t for t in map(token_id, tasks.values()) if t is not None}
    task_id = token_id(tasks.get(task)) if isinstance(task, str) else None
    if task_id is not None:
        init = [task_id if t in task_ids else t for t in init] if task_ids & set(init) else [*init, task_id]
    elif chosen is not None and not task_ids & set(init) and token_id(tasks.get("transcribe")) is not None:
        init.append(tasks["transcribe"])
    if no_timestamps is not None and not config.get("return_timestamps") and init[-1] != no_timestamps:
        init.append(no_timestamps)
    return [t for t in init if t is not None]


def length_limit(model: str | Path, prompt_length: int) -> tuple[int | None, str]:
    """How many new tokens the model's config allows after ``prompt_length`` tokens (its ``max_new_tokens``, else
    its ``max_length`` less the prompt, as transformers counts them; at most 100,000) and where that was read;
    (None, "") where it says nothing."""
    found = next(_configs(model), None)
    if found is None:
        return None, ""
    name, config = found
    most = config.get("max_new_tokens")
    if isinstance(most, int) and not isinstance(most, bool) and most >= 1:
        return min(most, _MAX_NEW), f"max_new_tokens in {name}"
    length = config.get("max_length")
    if isinstance(length, int) and not isinstance(length, bool) and length >= 1:
        return min(max(1, length - prompt_length), _MAX_NEW), f"max_length {length} in {name}"
    return None, ""


def pair_length_limit(decoder: str | Path, start: list[int], rules: Rules | None) -> tuple[int, str]:
    """How many new tokens an encoder-decoder generates where the user does not say: its config's limit after the
    ``start`` tokens and the ones the ``rules`` choose first (Whisper's), as its pipeline counts them, and where that
    was read; :data:`DEFAULT_NEW_TOKENS` (and "") where the config says nothing."""
    limit, source = length_limit(decoder, len(start) + (len(rules.prefix) if rules is not None else 0))
    return (limit, source) if limit else (DEFAULT_NEW_TOKENS, "")


def config_notes(model: str | Path) -> list[str]:
    """What the model's config asks of generation that is not done here: drawing tokens by default."""
    found = next(_configs(model), None)
    if found is None:
        return []
    name, config = found
    notes = []
    if config.get("do_sample") is True:
        temperature = config.get("temperature")
        said = f" at temperature {temperature:g}" if isinstance(temperature, (int, float)) and \
            not isinstance(temperature, bool) else ""
        notes.append(f"{name} draws tokens by default{said}; here they are the best scored unless a temperature "
                     "is given")
    return notes


@dataclass(frozen=True)
class RuleChoices:
    """What a user chose of the rules: the model's config followed or not, and a repetition penalty, an n-gram
    size and a number of beams of their own (None: the config's)."""

    follow_config: bool = True
    repetition_penalty: float | None = None
    no_repeat_ngram: int | None = None
    beams: int | None = None

    def resolve(self, decoder: str | Path) -> Rules:
        """The rules generation applies for ``decoder``: its config's (where followed) with these choices."""
        base = generation_rules(decoder) if self.follow_config else Rules()
        if not base.active and base.num_beams <= 1:
            base = replace(base, source="")  # whatever applies is what was chosen
        return base.with_choices(self.repetition_penalty, self.no_repeat_ngram, self.beams)

    def args(self) -> list[str]:
        """The command line's options for these choices."""
        args = ["--no-config-rules"] if not self.follow_config else []
        if self.repetition_penalty is not None:
            args += ["--repetition-penalty", f"{self.repetition_penalty:g}"]
        if self.no_repeat_ngram is not None:
            args += ["--no-repeat-ngram", str(self.no_repeat_ngram)]
        if self.beams is not None:
            args += ["--beams", str(self.beams)]
        return args
