"""Text as a text model's token ids, through the tokenizer shipped beside the model (Hugging Face's
``tokenizer.json``, or BERT's ``vocab.txt``), with the ``tokenizers`` library: the same ids, special tokens and
truncation the model's own pipeline uses, not a guess at them."""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onnxstudio.core.errors import InputError

TOKENIZER_NAMES = ("tokenizer.json", "vocab.txt")
FOLDERS_UP = 2  # the model's folder and two above it (an onnx-community export: onnx/model.onnx, ../tokenizer.json)
SAMPLE_TEXT = "I loved this film, a wonderful story with great music."  # what input_ids start on in the app


def nearest_file(model: str | Path, names: Sequence[str]) -> Path | None:
    """The file of one of ``names`` (in that order) shipped beside a model, as Hugging Face exports ship their
    tokenizer and configs: in its folder or up to two above, the nearest first."""
    try:
        folder = Path(model).resolve().parent
    except (OSError, RuntimeError):
        return None
    for _ in range(FOLDERS_UP + 1):
        for name in names:
            path = folder / name
            try:
                if path.is_file():
                    return path
            except OSError:
                pass
        if folder.parent == folder:
            break
        folder = folder.parent
    return None


def find_tokenizer(model: str | Path) -> Path | None:
    """The tokenizer beside a model: ``tokenizer.json`` (else ``vocab.txt``) in its folder or up to two above,
    the nearest first."""
    return nearest_file(model, TOKENIZER_NAMES)


def tokenizer_beside(model: str | Path) -> tuple[Path | None, str]:
    """:func:`find_tokenizer`'s tokenizer if the library reads it, else None and why not ("" where none ships): an
    app must not start an input on a text that every run would then refuse."""
    path = find_tokenizer(model)
    if path is None:
        return None, ""
    try:
        load_tokenizer(path)
    except InputError as exc:
        return None, exc.message
    return path, ""


@contextlib.contextmanager
def _guarded(what: str) -> Iterator[None]:
    """Errors of the tokenizers library as one InputError: its own exceptions, and a Rust panic (pyo3's
    PanicException, a BaseException, on a tokenizer.json whose parts do not fit together), whose message and
    backtrace Rust writes to file descriptor 2 (kept out of the command line's one line: fd 2 is closed over)."""
    if sys.stderr is not None:  # None in a windowed build
        sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no fd 2 (a windowed build)
        saved = -1
    null = os.open(os.devnull, os.O_WRONLY) if saved >= 0 else -1
    if saved >= 0:
        os.dup2(null, 2)
    try:
        yield
    except (KeyboardInterrupt, SystemExit, InputError):
        raise
    except BaseException as exc:  # a Rust panic is not an Exception
        raise InputError(f"{what}: {' '.join(str(exc).split())[:200]}") from None
    finally:
        if saved >= 0:
            os.dup2(saved, 2)
            os.close(saved)
            os.close(null)


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> Any:
    try:
        import tokenizers
    except ImportError:
        raise InputError("text needs the 'tokenizers' package (pip install tokenizers)") from None
    with _guarded(f"cannot read the tokenizer {Path(path).name}"):
        if Path(path).suffix.lower() == ".txt":
            from tokenizers.implementations import BertWordPieceTokenizer

            return BertWordPieceTokenizer(path, lowercase="uncased" in path.lower() or _lowercase_vocab(path))
        return tokenizers.Tokenizer.from_file(path)


def _lowercase_vocab(path: str) -> bool:
    """A BERT vocabulary without capitals is an uncased model's (its text is lower-cased before it is split)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        words = [line.strip() for line in itertools.islice(f, 5000)]
    return not any(w[:1].isupper() for w in words if w and not w.startswith("["))


def load_tokenizer(path: str | Path) -> Any:
    """A ``tokenizers`` tokenizer from ``path`` (cached while the file is unchanged); InputError in one line."""
    p = Path(path)
    try:
        mtime = p.stat().st_mtime_ns
    except OSError as exc:
        raise InputError(f"cannot read the tokenizer {p}: {exc.strerror or exc}") from None
    return _load(str(p), mtime)


def encode(path: str | Path, text: str) -> list[int]:
    """``text``'s token ids as the model's pipeline gives them (its special tokens added: BERT's [CLS] ... [SEP])."""
    if not text:
        raise InputError("the text is empty")
    tok = load_tokenizer(path)
    with _guarded(f"the tokenizer {Path(path).name} failed on the text"):
        ids = list(tok.encode(text).ids)
    if not ids:
        raise InputError(f"the tokenizer gives no tokens for {text[:40]!r}")
    return ids


def max_length(path: str | Path) -> int | None:
    """The most tokens a row of the tokenizer's model takes, where its ``tokenizer_config.json`` says
    (``model_max_length``; transformers writes 1e30 for "no limit", which is no answer)."""
    config = Path(path).with_name("tokenizer_config.json")
    try:
        value = json.loads(config.read_text(encoding="utf-8")).get("model_max_length")
    except (OSError, ValueError, UnicodeDecodeError, AttributeError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 1_000_000 else None


@dataclass(frozen=True)
class PairRow:
    """One row of a pair of texts: each token's id, segment (0: the first text's, 1: the second's), whether it is
    special ([CLS], [SEP]), its word's index in its text, its characters in its text, and which text it is of."""

    ids: list[int]
    types: list[int]
    special: list[bool]
    words: list[int | None]
    offsets: list[tuple[int, int]]
    sequences: list[int | None]


def pair_windows(path: str | Path, first: str, second: str, limit: int | None = None,
                 stride: int = 0) -> list[PairRow]:
    """A pair of texts as one row, or, where it is longer than ``limit`` tokens, as rows of at most ``limit``: the
    first text whole in each, the second cut into windows that overlap by ``stride`` tokens (as Hugging Face's
    question-answering pipeline reads a context longer than a row: its ``doc_stride``)."""
    if not first or not second:
        raise InputError("a pair of texts needs both: a question and its context")
    import tokenizers

    tok = load_tokenizer(path)
    with _guarded(f"the tokenizer {Path(path).name} failed on the texts"):
        encoding = tok.encode(first, second)
    if limit is not None and len(encoding.ids) > limit:
        room = limit - sum(1 for q in encoding.sequence_ids if q != 1)  # the context's tokens a row holds
        if room < 1:
            raise InputError(f"the question and the special tokens fill the {limit} tokens of a row: no room is "
                             "left for the context (ask a shorter question)")
        with _guarded(f"the tokenizer {Path(path).name} failed to cut the context into windows"):
            clone = tokenizers.Tokenizer.from_str(tok.to_str())  # truncation is set on a copy, not the cached one
            clone.enable_truncation(limit, stride=min(stride, room - 1), strategy="only_second")
            encoding = clone.encode(first, second)
    return [PairRow(list(e.ids), list(e.type_ids), [bool(m) for m in e.special_tokens_mask], list(e.word_ids),
                    [tuple(o) for o in e.offsets], list(e.sequence_ids))
            for e in [encoding, *encoding.overflowing]]


def pieces(path: str | Path, ids: Sequence[int]) -> list[str]:
    """Each id's token as the tokenizer writes it (``[CLS]``, ``Ġworld``, ``##ing``)."""
    tok = load_tokenizer(path)
    with _guarded(f"the tokenizer {Path(path).name} failed"):
        return [tok.id_to_token(int(i)) or str(i) for i in ids]


def pad_id(path: str | Path) -> int:
    """The id a text is padded with to a length the model fixes: the tokenizer's padding token's, else 0."""
    tok = load_tokenizer(path)
    with _guarded(f"the tokenizer {Path(path).name} failed"):
        for token in ("[PAD]", "<pad>", "<|endoftext|>", "</s>"):
            found = tok.token_to_id(token)
            if found is not None:
                return int(found)
    return 0


def decode(path: str | Path, ids: Sequence[int], skip_special: bool = False) -> str | None:
    """Token ids back to text (byte-level BPE and SentencePiece pieces joined as the tokenizer does), its special
    tokens (``</s>``, Whisper's ``<|en|>``) left out with ``skip_special``, as a pipeline prints generated text;
    None if the tokenizer cannot be read or cannot decode them."""
    try:
        tok = load_tokenizer(path)
        with _guarded("decode"):
            return str(tok.decode([int(i) for i in ids], skip_special_tokens=skip_special))
    except (InputError, OverflowError, TypeError, ValueError):  # an unreadable tokenizer, an id past its vocabulary
        return None
