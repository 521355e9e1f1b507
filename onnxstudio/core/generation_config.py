"""What a model's ``generation_config.json`` or ``config.json`` (beside it, or a folder or two above, as Hugging
Face ships them) says of generation: the tokens a decoder starts on and the ids that end it. Qt-free."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from onnxstudio.core.logits_rules import Rules
from onnxstudio.core.text import nearest_file

_CONFIGS = ("generation_config.json", "config.json")
_MAX_START = 16  # start tokens read from a config (Whisper's: start, language, task, no timestamps)


def _configs(model: str | Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """The configs beside ``model`` that can be read, nearest and generation_config.json first."""
    for name in _CONFIGS:
        path = nearest_file(model, (name,))
        if path is None:
            continue
        try:
            config = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            continue
        if isinstance(config, dict):
            yield path.name, config


def _token_id(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1 << 31 else None


def _ends(config: dict[str, Any]) -> list[int]:
    stop = config.get("eos_token_id")
    return [t for t in (stop if isinstance(stop, list) else [stop])[:_MAX_START] if _token_id(t) is not None]


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
        start = _token_id(config.get("decoder_start_token_id"))
        if start is None:
            continue
        ids = [start]
        bos = _token_id(config.get("forced_bos_token_id"))  # mBART's, M2M100's, NLLB's target language
        if bos is not None:
            ids.append(bos)
        forced = config.get("forced_decoder_ids")
        if isinstance(forced, list):  # [[1, language], [2, task], [3, no timestamps]]
            for pair in forced[:_MAX_START]:
                if isinstance(pair, list) and len(pair) == 2 and pair[0] == len(ids) and \
                        (token := _token_id(pair[1])) is not None:
                    ids.append(token)
        return ids, _ends(config), name
    return [0], [], ""



def generation_rules(model: str | Path) -> Rules:
    """The rules on the scores that the model's ``generation_config.json`` sets (its ``config.json``'s where it
    has none, as transformers reads them): :class:`~onnxstudio.core.logits_rules.Rules`."""
    found = next(_configs(model), None)
    return Rules() if found is None else Rules.from_config(found[1], found[0])


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
