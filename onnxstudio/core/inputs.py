"""Input sources for model inputs, symbolic-dim resolution, feeds, and validation before running."""

from __future__ import annotations

import ast
import json
import math
import os
import re
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from onnxstudio.core.audio_features import RATE, log_mel, resample, takes_features
from onnxstudio.core.dims import derived_dims, evaluate
from onnxstudio.core.dtypes import EXCHANGEABLE, name_of_numpy, numpy_dtype
from onnxstudio.core.errors import InputError
from onnxstudio.core.imaging import (
    DEFAULT_FRAMES,
    FRAMES_AXIS,
    IMAGE_EXTENSIONS,
    MAX_SIDE,
    VIDEO_LAYOUTS,
    ImageRecipe,
    channel_axis,
    fit_side,
    guess_recipe,
    image_files,
    image_size,
    is_ultralytics,
    load_image,
    to_tensor,
)
from onnxstudio.core.tables import TABLE_SUFFIXES, is_table, named_columns, table_value
from onnxstudio.core.values import ValueSpec, is_state

if TYPE_CHECKING:
    from onnxstudio.core.text import PairRow

# Spatial dims of image-like inputs default to this when nothing fixes them.
DEFAULT_IMAGE_SIDE = 224
# The free sample axis of an audio input ([batch, samples], [batch, 1, samples]) defaults to one window of this
# many samples: what streaming audio models take a call (Silero VAD's 512 at 16 kHz; at 1 sample, the usual
# default, every STFT or strided Conv in front of them fails), and enough for a frame of a spectrogram front end.
DEFAULT_AUDIO_WINDOW = 512
# A sample-rate input (Silero VAD's ``sr``: an integer scalar) defaults to this constant instead of random 0-9,
# which its If branches reject.
DEFAULT_SAMPLE_RATE = 16000
_FLOATS = frozenset({"float16", "float32", "float64", "bfloat16"})  # inputs that take audio samples or a state
_RATE_NAME = re.compile(r"^(sr|fs|(sample|sampling)_?rate|rate)$", re.IGNORECASE)
# files read as one array each (a .wav: its samples; a .csv/.tsv: a column or the table, see core/tables.py)
ARRAY_SUFFIXES = (".npy", ".npz", ".pb", ".wav", *TABLE_SUFFIXES)


@dataclass(frozen=True)
class ImageSource:
    """An image file, or a folder of images (one batch). ``recipe`` None: guessed from the input."""

    path: str
    recipe: ImageRecipe | None = None


@dataclass(frozen=True)
class ArrayFileSource:
    """A ``.npy``, a ``.npz`` (``key`` or the array named like the input, or the only one), a ``.pb``, a
    ``.wav`` (PCM samples, see :func:`read_wav`) or a ``.csv``/``.tsv`` (``key``: a column, else the one named
    like the input, else the table; see :mod:`onnxstudio.core.tables`)."""

    path: str
    key: str | None = None
    normalize: bool = False  # a .wav's samples to zero mean and unit variance (a speech model's feature extractor)


@dataclass(frozen=True)
class RandomSource:
    """Seeded random data; ``low``/``high`` default to [0, 1) for floats and [0, 10) for integers."""

    seed: int = 0
    distribution: str = "uniform"  # or "normal" (mean low, std high when given)
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class ConstantSource:
    value: float = 0.0


@dataclass(frozen=True)
class LiteralSource:
    """A value typed by the user: ``[[1, 2], [3, 4]]``, ``3.5``, ``"text"`` (Python/JSON literal syntax)."""

    text: str


@dataclass(frozen=True)
class LengthSource:
    """The length of another input's ``axis`` (its time axis), for each row: what a lengths input such as
    ``waveforms_lens`` holds when every row is used whole (see :func:`measured_by`)."""

    of: str
    axis: int


@dataclass(frozen=True)
class PositionsSource:
    """0, 1, 2, ... along the last axis, for every row: a prompt's token positions (``position_ids``). After a
    key/value cache they start where the cache ends: among the inputs (:func:`build_feeds`) they follow the
    attention mask as Hugging Face's models count them (the mask's running count, the last ones); built alone,
    from ``start``."""

    start: int = 0


@dataclass(frozen=True)
class SizeSource:
    """A picture's height and width as it is fed, ``[h, w]`` on the last axis of every row: what a detector's
    ``im_shape`` (PaddleDetection) or ``orig_target_sizes`` (RT-DETR) holds for a picture fed unresized. ``of``
    names the picture input (None: the model's first picture-like input); among the inputs (:func:`build_feeds`)
    the size is read from that picture as built, else ``hw`` (the default side when None)."""

    of: str | None = None
    hw: tuple[int, int] | None = None


@dataclass(frozen=True)
class TextSource:
    """Text as a text model's token ids, through ``tokenizer`` (the ``tokenizer.json`` or ``vocab.txt`` shipped
    beside the model; see :mod:`onnxstudio.core.text`): one row of the text's ids, its special tokens added. Texts
    on lines of their own are a batch, a row each (:func:`texts_of`)."""

    text: str
    tokenizer: str | None = None
    pair: bool = False  # two lines are one pair (a question and its context), not a batch of two

    @property
    def texts(self) -> list[str]:
        return texts_of(self.text)

    @property
    def is_pair(self) -> bool:
        return self.pair and len(self.texts) == 2


def texts_of(text: str) -> list[str]:
    """The texts a :class:`TextSource` holds: one a line (blank lines left out), or the text itself."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    return lines if len(lines) > 1 else [text.strip()] if lines else [text]


Source = (ImageSource | ArrayFileSource | RandomSource | ConstantSource | LiteralSource | LengthSource | PositionsSource
          | SizeSource | TextSource)


def parse_source(text: str) -> Source:
    """The CLI's SOURCE syntax: a file path, ``random[:SEED]``, ``zeros``, ``ones``, ``const:V``, ``positions``,
    ``size[:PICTURE]``, ``text:TEXT`` (token ids through the model's tokenizer) or a literal."""
    if text.lower().startswith("text:"):  # the text as written, its spaces kept
        return TextSource(text[5:])
    t = text.strip()
    low = t.lower()
    if low == "positions":
        return PositionsSource()
    if low == "size" or low.startswith("size:"):
        return SizeSource(t.partition(":")[2].strip() or None)
    if low in ("zeros", "zero"):
        return ConstantSource(0.0)
    if low in ("ones", "one"):
        return ConstantSource(1.0)
    if low == "random" or low.startswith("random:"):
        seed = low.partition(":")[2]
        try:
            return RandomSource(seed=int(seed) if seed else 0)
        except ValueError:
            raise InputError(f"random seed must be an integer, not {seed!r}") from None
    if low.startswith(("const:", "constant:")):
        try:
            return ConstantSource(float(t.partition(":")[2]))
        except ValueError:
            raise InputError(f"constant must be a number: {t!r}") from None
    keyed = split_key(t)
    if keyed is not None:
        return ArrayFileSource(*keyed)
    suffix = Path(t).suffix.lower()
    if suffix in ARRAY_SUFFIXES:
        return ArrayFileSource(t)
    if suffix in IMAGE_EXTENSIONS or os.path.isdir(t):  # False (not an error) for a text too long for a path
        return ImageSource(t)
    if t[:1] in "[(-.0123456789\"'" or low in ("true", "false"):
        return LiteralSource(t)
    raise InputError(f"cannot tell what {text!r} is: give a .npy/.npz/.pb/.wav/.csv or image file, a folder of images, "
                     "random[:SEED], zeros, ones, const:VALUE, positions, size[:PICTURE], text:TEXT or a literal like [1, 2, 3]")


def split_key(text: str) -> tuple[str, str] | None:
    """``FILE.npz:KEY`` / ``FILE.csv:COLUMN`` as (file, key); None for a path without one (``C:\\x.npz`` too)."""
    for suffix in (".npz", *TABLE_SUFFIXES):
        i = text.lower().rfind(suffix + ":")
        if i > 0 and text[i + len(suffix) + 1:]:
            return text[:i + len(suffix)], text[i + len(suffix) + 1:]
    return None


def table_sources(path: str, specs: Sequence[ValueSpec]) -> dict[str, Source]:
    """A table given for the whole model: every input named by one of its columns gets that column; where none
    is, a model with one input gets the table."""
    if not Path(path).is_file():
        raise InputError(f"{path} does not exist")
    names = [s.name for s in specs]
    named = {n: ArrayFileSource(path, n) for n in named_columns(path, names)}
    if named:
        return named  # type: ignore[return-value]
    if len(names) == 1:
        return {names[0]: ArrayFileSource(path)}
    raise InputError(f"no column of {Path(path).name} is named like an input ({', '.join(names[:8])}): give "
                     "--input NAME=FILE for each")


# --- dims ------------------------------------------------------------------------------------------------
def dim_key(spec: ValueSpec, axis: int) -> str | None:
    """The name a user sets a free dim by: its symbol, or ``input:axis`` for an unknown dim; None when fixed."""
    d = (spec.shape or ())[axis]
    if isinstance(d, str):
        return d
    if d is None or d <= 0:
        return f"{spec.name}:{axis}"
    return None


def free_dims(specs: Sequence[ValueSpec]) -> list[str]:
    """Every free dim of the inputs once, in order: symbolic ones by name, unknown ones as ``input:axis``."""
    names: list[str] = []
    for spec in specs:
        for axis in range(len(spec.shape or ())):
            key = dim_key(spec, axis)
            if key is not None and key not in names:
                names.append(key)
    return names


def default_dims(spec: ValueSpec) -> dict[str, int]:
    """Defaults for the free dims of an input (symbolic or unknown): batch 1, image sides 224, an audio input's
    samples 512 (:data:`DEFAULT_AUDIO_WINDOW`), a dim declared 0 (an empty tensor, which onnxruntime holds the
    input to) 0, else 1."""
    out: dict[str, int] = {}
    if spec.shape is None:
        return out
    recipe = guess_recipe(spec)
    image_like = recipe is not None
    frames = FRAMES_AXIS.get(recipe.layout) if recipe is not None else None  # a clip's length
    colours = channel_axis(recipe.layout) if recipe is not None else None  # a free channels dim: 3 (RGB)
    samples = _audio_axis(spec)
    for i, d in enumerate(spec.shape):
        key = dim_key(spec, i)
        if key is not None and key not in out:
            out[key] = 0 if d == 0 else \
                DEFAULT_FRAMES if i == frames else \
                (1 if recipe is not None and recipe.color == "GRAY" else 3) if i == colours else \
                DEFAULT_IMAGE_SIDE if image_like and i > 0 and d not in ("batch", "N") else \
                DEFAULT_AUDIO_WINDOW if i == samples else 1
    return out


def defaulted_dims(specs: Sequence[ValueSpec], dims: dict[str, int], bound: dict[str, int]) -> dict[str, int]:
    """The free dims that nothing set, each with the value it took by default: not given (``dims``), not fixed by
    a file, picture or literal (``bound``), not worked out from others (a decoder's ``past + 1``)."""
    derived = derived_dims(free_dims(specs))
    out: dict[str, int] = {}
    for spec in specs:
        for key, value in default_dims(spec).items():
            if key not in dims and key not in bound and key not in derived:
                out.setdefault(key, value)
    return out


_BATCH = re.compile(r"(batch(_size)?|bs|n|b)$", re.IGNORECASE)
_SHAPE_FAILURE = re.compile(r"reshape|shape|dimension|broadcast|rank|mismatch|out of (?:data )?bounds", re.IGNORECASE)


def defaults_hint(message: str, defaulted: dict[str, int], how: str) -> str:
    """What to add to a run's failure on its shapes while free dims were at their defaults: a model exported with
    dynamic axes often still holds its export's sizes in a Reshape (torch's attention at sequence 12), so it runs
    only at those. ``how``: where the user sets them."""
    named = {k: v for k, v in defaulted.items() if not _BATCH.match(k)}  # a batch of 1 is the natural one
    if not named or not message.startswith("onnxruntime failed to run") or not _SHAPE_FAILURE.search(message):
        return ""
    shown = ", ".join(f"{k}={v}" for k, v in list(named.items())[:6])
    return (f" — the free dims were left at their defaults ({shown}); a model exported with sizes fixed inside it "
            f"runs only at those: {how}")


def complete_dims(specs: Sequence[ValueSpec], dims: dict[str, int]) -> dict[str, int]:
    """``dims`` with the free dims that follow others (:mod:`onnxstudio.core.dims`: a decoder's
    ``past_sequence_length + 1``) where not set: worked out from the dims they name, as set or by default."""
    derived = derived_dims(free_dims(specs))
    out = dict(dims)
    if not derived:
        return out
    values: dict[str, int] = {}
    for spec in specs:
        for key, value in default_dims(spec).items():
            values.setdefault(key, value)
    values.update(dims)
    for name, text in derived.items():
        value = evaluate(text, values)
        if name not in dims and value is not None:
            out[name] = value
    return out


def decides_shape(source: Source) -> bool:
    """Whether ``source`` brings its own shape (a file, a picture, a literal, a text) rather than taking the dims."""
    return isinstance(source, (ImageSource, ArrayFileSource, LiteralSource, TextSource))


def bound_dims(spec: ValueSpec, value: Any) -> dict[str, int]:
    """The free dims of ``spec`` that a built ``value`` fixes (a file of 7 token ids: ``sequence_length`` 7)."""
    shape = getattr(value, "shape", None)
    if spec.shape is None or shape is None or len(shape) != len(spec.shape) or spec.type != "tensor":
        return {}
    out: dict[str, int] = {}
    for axis, n in enumerate(shape):
        key = dim_key(spec, axis)
        if key is not None:
            out.setdefault(key, int(n))
    return out


def _audio_axis(spec: ValueSpec) -> int | None:
    """The free sample axis of a float input shaped like a batch of audio: [batch, samples], [batch, 1, samples]
    or [batch, samples, 1] (a free last or middle dim beside a fixed channel of 1); None for other inputs."""
    shape = spec.shape or ()
    if spec.type != "tensor" or spec.dtype not in _FLOATS:
        return None

    def free(d: int | str | None) -> bool:
        return not (isinstance(d, int) and d > 0)

    if len(shape) == 2 and free(shape[1]):
        return 1
    if len(shape) == 3 and shape[1] == 1 and free(shape[2]):
        return 2
    if len(shape) == 3 and shape[2] == 1 and free(shape[1]):
        return 1
    return None


# An integer input that holds how long each row of another input is: onnx-asr's waveforms_lens, k2/sherpa's x_lens,
# WeNet's and Paraformer's speech_lengths, Piper's input_lengths, NeMo's length beside audio_signal
_LENGTHS_NAME = re.compile(r"^(?P<of>.*?)[_.\-]?(?:lens|lengths?|len)$", re.IGNORECASE)


def measured_by(spec: ValueSpec, specs: Sequence[ValueSpec]) -> LengthSource | None:
    """For an integer input of lengths (rank 0 or 1) named after another input of rank 2 or more (``x_lens``:
    ``x``; a bare ``length`` or ``lengths``: the one such input), that input's time axis: its last free dim after
    the batch, else its last. Random lengths (0-9) cut a 512-sample waveform to a few samples, or run past a
    phoneme sequence of 1."""
    if spec.type != "tensor" or spec.dtype not in ("int32", "int64") or spec.shape is None or len(spec.shape) > 1:
        return None
    match = _LENGTHS_NAME.match(spec.name)
    if match is None:
        return None
    others = [s for s in specs if s.name != spec.name and s.type == "tensor" and s.shape is not None
              and len(s.shape) >= 2]
    target = next((s for s in others if s.name == match["of"]), None)
    if target is None and not match["of"] and len(others) == 1:
        target = others[0]
    if target is None or target.shape is None:
        return None
    free = [axis for axis in range(1, len(target.shape)) if dim_key(target, axis) is not None]
    return LengthSource(target.name, free[-1] if free else len(target.shape) - 1)


def _default(spec: ValueSpec, specs: Sequence[ValueSpec] = ()) -> tuple[Source, str]:
    """:func:`default_source` and why, for notes."""
    if spec.type != "tensor":
        return RandomSource(0), "random data (seed 0)"
    length = measured_by(spec, specs)
    if length is not None:
        return length, f"the length of {length.of!r} (axis {length.axis}): each row used whole"
    if spec.dtype in ("int32", "int64") and spec.shape and _POSITIONS_NAME.search(spec.name):
        return PositionsSource(), ("positions 0, 1, 2, ... (a prompt's tokens in order, as a tokenizer gives them; "
                                    "after a key/value cache, from where the attention mask says it ends)")
    pair = spec.shape is not None and 1 <= len(spec.shape) <= 2 and spec.shape[-1] == 2 and spec.dtype != "string"
    if pair and _SIZE_NAME.search(spec.name):
        picture = picture_input(specs)
        if picture is not None:
            return SizeSource(picture.name), (f"the height and width of {picture.name!r} as it is fed (a picture's "
                                              "size, as its preprocessing gives it)")
        side = picture_side(specs)
        return ConstantSource(float(side)), f"constant {side} (a picture's size, as its preprocessing gives it)"
    if pair and _SCALE_NAME.search(spec.name) and spec.dtype in _FLOATS:
        return ConstantSource(1.0), "constant 1 (a picture's scale, as fed unscaled)"
    integer = spec.dtype in ("int32", "int64", "uint32", "uint64")
    if integer and spec.shape in ((), (1,)) and _RATE_NAME.match(spec.name):
        return ConstantSource(float(DEFAULT_SAMPLE_RATE)), f"constant {DEFAULT_SAMPLE_RATE} (a sample rate)"
    if integer and _ATTENTION_MASK.search(spec.name):
        return ConstantSource(1.0), "constant 1 (an attention mask over every token, as a tokenizer gives it)"
    if integer and _SEGMENT_NAME.search(spec.name):
        return ConstantSource(0.0), "constant 0 (every token in the first segment, as a tokenizer gives it)"
    if spec.dtype in _FLOATS and is_state(spec.name):
        return ConstantSource(0.0), "constant 0 (a state starts at zeros)"
    return RandomSource(0), "random data (seed 0)"


# A transformer's integer inputs that a tokenizer fills the same way for any one text: BERT's attention_mask is
# all ones, its token_type_ids all zeros (random values make a text of masked holes or of two segments).
# A detector's or segmenter's picture size beside its picture (SAM's orig_im_size, PaddleDetection's im_shape and
# scale_factor, RT-DETR's orig_target_sizes, [N, 2] or [2]): random sizes below 1 make Resize fail ("Scale value
# should be greater than 0")
_SIZE_NAME = re.compile(r"(^|_)(im|img|image)_(size|sizes|shape)$|(^|_)target_sizes?$", re.IGNORECASE)
_SCALE_NAME = re.compile(r"(^|_)scale_factors?$", re.IGNORECASE)


_HEIGHT_AXIS = {"NCHW": 2, "NHWC": 1, "CHW": 1, "HWC": 0, "NCTHW": 3, "NTCHW": 3}  # the width is the next axis


def picture_input(specs: Sequence[ValueSpec], name: str | None = None) -> ValueSpec | None:
    """The input named ``name`` if it is picture-like, else (``name`` None) the first picture-like input."""
    for spec in specs:
        if (name is None or spec.name == name) and spec.shape is not None and guess_recipe(spec) is not None:
            return spec
    return None


def picture_side(specs: Sequence[ValueSpec]) -> int:
    """The height a picture input of ``specs`` is fed at: its fixed height, else the default side (224)."""
    spec = picture_input(specs)
    recipe = guess_recipe(spec) if spec is not None else None
    if spec is None or spec.shape is None or recipe is None:
        return DEFAULT_IMAGE_SIDE
    axis = _HEIGHT_AXIS.get(recipe.layout)
    if axis is not None and axis < len(spec.shape) and isinstance(spec.shape[axis], int) and spec.shape[axis] > 0:
        return int(spec.shape[axis])
    return DEFAULT_IMAGE_SIDE


def picture_hw(spec: ValueSpec, value: Any) -> tuple[int, tuple[int, int]] | None:
    """(rows, (height, width)) of a picture input's built ``value`` (rows: its batch, 1 without one); None when
    ``value`` is not an array of the input's rank."""
    recipe = guess_recipe(spec)
    if recipe is None or not isinstance(value, np.ndarray) or spec.shape is None or value.ndim != len(spec.shape):
        return None
    axis = _HEIGHT_AXIS.get(recipe.layout)
    if axis is None or axis + 1 >= value.ndim:
        return None
    return (int(value.shape[0]) if axis > 0 and value.ndim == 4 else 1), (int(value.shape[axis]),
                                                                         int(value.shape[axis + 1]))


# random positions jumble a prompt's order: position_ids, and a static-cache export's cache_position
_POSITIONS_NAME = re.compile(r"(^|_)position_ids$|^cache_position$", re.IGNORECASE)
_ATTENTION_MASK = re.compile(r"(^|_)(attention|input)_mask$", re.IGNORECASE)
_SEGMENT_NAME = re.compile(r"token_type_ids|segment_ids", re.IGNORECASE)


def default_source(spec: ValueSpec, specs: Sequence[ValueSpec] = ()) -> Source:
    """What an input gets when nobody gives it anything: random data (seed 0), except a sample rate (an integer
    scalar named ``sr``, ``sample_rate``, ...), which gets :data:`DEFAULT_SAMPLE_RATE`, a transformer's attention
    mask (ones), token types (zeros) and positions (0, 1, 2, ...), a float state (``state``, ``h``, ``c``,
    ``past_key_values.0.key``, ...), which starts at zeros, and, among the model's inputs ``specs``, a lengths input
    (:func:`measured_by`), which gets the length of the input it measures."""
    return _default(spec, specs)[0]


def default_reason(spec: ValueSpec, specs: Sequence[ValueSpec] = ()) -> str:
    """Why an input nobody gave gets :func:`default_source`, for notes: ``random data (seed 0)``."""
    return _default(spec, specs)[1]


PADDLE_LINE_HEIGHT = 48  # PaddleOCR's rec_image_shape "3, 48, 320": a text line 48 px high, its width free


def model_dims(specs: list[ValueSpec], metadata: dict[str, str], outputs: Sequence[ValueSpec] = (),
               producer: str = "", picture_size: tuple[int, int] | None = None) -> dict[str, int]:
    """Free dims that a model's own pipeline fixes, as starting values the user sees and can change: a PaddleOCR
    text recogniser (its metadata lists its ``character`` dictionary, or, from paddle2onnx without metadata, its
    one output is [batch, time, characters]) whose picture height is free takes lines 48 px high — at 224 (a
    picture's default side) or a photo's own height it fails inside its graph (PP-OCRv2's squeezes the height
    to 1 after 32x); the width then follows the picture's aspect ratio. An Ultralytics export with a free height
    and width (``dynamic=True``) starts at the ``imgsz`` it was trained for, as its own predictor feeds it (320 x
    320 for NudeNet's 320n, not the 224 a picture input gets by default). A Hugging Face model's pictures are fed
    at the ``picture_size`` its preprocessor config gives (:func:`picture_dims`)."""
    return {**_pipeline_dims(specs, metadata, outputs, producer), **picture_dims(specs, picture_size)}


def _pipeline_dims(specs: list[ValueSpec], metadata: dict[str, str], outputs: Sequence[ValueSpec],
                   producer: str) -> dict[str, int]:
    if is_ultralytics(metadata):
        return _ultralytics_dims(specs, metadata)
    if "character" not in metadata and not _paddle_recogniser(outputs, producer):
        return {}
    out = {}
    for spec in _pictures(specs):
        height = dim_key(spec, 2)
        if height is not None:
            out[height] = PADDLE_LINE_HEIGHT
    return out


def picture_dims(specs: Sequence[ValueSpec], size: tuple[int, int] | None) -> dict[str, int]:
    """The free height and width of the picture inputs set to ``size`` (the height and width a Hugging Face
    model's ``preprocessor_config.json`` feeds it): random data and MAC counts then come at the size its pictures
    are fed (a ViT exported with every dim free runs at 224 only where it was trained at 224)."""
    if size is None:
        return {}
    out: dict[str, int] = {}
    for spec in specs:
        recipe = guess_recipe(spec)
        height = _HEIGHT_AXIS.get(recipe.layout) if recipe is not None and spec.dtype.startswith("float") else None
        if height is None:
            continue
        for axis, side in zip((height, height + 1), size, strict=True):
            key = dim_key(spec, axis)
            if key is not None:
                out.setdefault(key, side)
    return out


def _pictures(specs: Sequence[ValueSpec]) -> list[ValueSpec]:
    """Inputs shaped like a batch of colour pictures: [N, 3, H, W]."""
    return [s for s in specs if s.type == "tensor" and s.shape is not None and len(s.shape) == 4
            and s.shape[1] == 3]


def _ultralytics_dims(specs: Sequence[ValueSpec], metadata: dict[str, str]) -> dict[str, int]:
    sides = [int(v) for v in re.findall(r"\d+", metadata.get("imgsz", ""))]
    if len(sides) != 2 or not all(0 < v <= MAX_SIDE for v in sides):
        return {}
    out = {}
    for spec in _pictures(specs):
        for axis, side in ((2, sides[0]), (3, sides[1])):
            key = dim_key(spec, axis)
            if key is not None:
                out[key] = side
    return out


def _paddle_recogniser(outputs: Sequence[ValueSpec], producer: str) -> bool:
    """A paddle2onnx export whose one output is [batch, time, characters] (a CTC text recogniser's)."""
    if not producer.lower().startswith("paddle") or len(outputs) != 1:
        return False
    shape = outputs[0].shape
    return shape is not None and len(shape) == 3 and isinstance(shape[2], int) and shape[2] > 2


def resolve_shape(spec: ValueSpec, dims: dict[str, int]) -> tuple[int, ...]:
    if spec.shape is None:
        raise InputError(f"input {spec.name!r} has no declared shape; give it a file or a literal"
                         + (" ([[1, 2], [3]] is a sequence of two tensors)" if spec.type == "sequence" else ""))
    defaults = default_dims(spec)
    shape = []
    for i, d in enumerate(spec.shape):
        key = dim_key(spec, i)
        shape.append(int(d) if key is None else int(dims.get(key, defaults.get(key, 1))))  # type: ignore[arg-type]
    _check_size(spec, tuple(shape))
    return tuple(shape)


def _check_size(spec: ValueSpec, shape: tuple[int, ...]) -> None:
    """Refuse data larger than the memory free now: numpy may get the pages (the system promises them) and the
    process is killed while it fills them (a dim set to 999999999)."""
    if any(n < 0 for n in shape):
        raise InputError(f"input {spec.name!r}: a size cannot be negative ({list(shape)})")
    try:
        itemsize = 8 if spec.dtype == "string" else numpy_dtype(spec.dtype).itemsize
    except ValueError:  # no numpy type: building it says so
        itemsize = 1
    size = math.prod(shape) * max(itemsize, 1)
    if size > (1 << 28):  # 256 MB: only then ask the system
        import psutil

        free = psutil.virtual_memory().available
        if size > free * 0.8:
            raise InputError(f"input {spec.name!r} would be {list(shape)} {spec.dtype}, {size / 2**30:.1f} GB, more "
                             f"than the {free / 2**30:.1f} GB of memory free: set smaller sizes for its free dims")


# --- building --------------------------------------------------------------------------------------------
_SMALL_INTS = frozenset({"int4", "uint4", "int2", "uint2"})  # ml_dtypes' integers, not numpy integer types


def _iinfo(name: str, dt: np.dtype) -> Any:
    if name in _SMALL_INTS:
        import ml_dtypes

        return ml_dtypes.iinfo(dt)
    return np.iinfo(dt)


# Integer inputs that take 0 or 1 in transformer exports: a BERT's token_type_ids index a table of two rows
# (random 0-9 fails in its Gather), an attention mask is 0 or 1.
_BINARY_NAME = re.compile(r"mask|token_type|segment_ids", re.IGNORECASE)


def _random(spec: ValueSpec, src: RandomSource, shape: tuple[int, ...]) -> np.ndarray:
    rng = np.random.default_rng(src.seed)
    dt = numpy_dtype(spec.dtype)
    if spec.dtype == "string":
        words = np.array(["onnx", "studio", "model", "input", "text"], dtype=object)
        return np.asarray(words[rng.integers(0, len(words), size=shape)], dtype=object)  # a scalar too: 0-d
    if dt == np.bool_:
        return np.asarray(rng.random(shape) < 0.5)  # shape (): numpy's bool scalar, which onnxruntime refuses
    if np.issubdtype(dt, np.integer) or spec.dtype in _SMALL_INTS:
        lo = int(src.low) if src.low is not None else 0
        hi = int(src.high) if src.high is not None else (2 if _BINARY_NAME.search(spec.name) else 10)
        info = _iinfo(spec.dtype, dt)
        return rng.integers(max(lo, info.min), min(hi, int(info.max) + 1), size=shape).astype(dt)
    if src.distribution == "normal":
        mean = src.low if src.low is not None else 0.0
        std = src.high if src.high is not None else 1.0
        return rng.normal(mean, std, size=shape).astype(dt)
    lo = src.low if src.low is not None else 0.0
    hi = src.high if src.high is not None else 1.0
    return rng.uniform(lo, hi, size=shape).astype(dt)


def _array_file(spec: ValueSpec, src: ArrayFileSource, dims: dict[str, int], notes: list[str] | None
                ) -> np.ndarray:
    p = Path(src.path)
    if not p.is_file():
        raise InputError(f"input {spec.name!r}: {p} does not exist")
    suffix = p.suffix.lower()
    try:
        if is_table(p):
            return table_value(spec, p, src.key, dims, notes)
        if suffix == ".npy":
            return np.load(p, allow_pickle=False)
        if suffix == ".npz":
            with np.load(p, allow_pickle=False) as data:
                keys = list(data.keys())
                if not keys:
                    raise InputError(f"input {spec.name!r}: {p.name} holds no arrays")
                key = src.key or (spec.name if spec.name in keys else (keys[0] if len(keys) == 1 else None))
                if key is None or key not in keys:
                    raise InputError(f"input {spec.name!r}: {p.name} holds {', '.join(keys)}; name one with "
                                     f"FILE.npz:KEY" if key is None else f"input {spec.name!r}: {p.name} has no "
                                     f"array {key!r} (it has {', '.join(keys)})")
                return data[key]
        if suffix == ".wav" and takes_features(spec.shape) and spec.dtype.startswith("float"):
            return whisper_features(p, spec, notes)
        if suffix == ".wav":
            return read_wav(p, spec, src.normalize)
        if suffix == ".pb":
            import onnx
            from onnx import numpy_helper

            tensor = onnx.TensorProto()
            tensor.ParseFromString(p.read_bytes())
            return numpy_helper.to_array(tensor)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"input {spec.name!r}: cannot read {p.name}: {' '.join(str(exc).split())}") from None
    raise InputError(f"input {spec.name!r}: {p.name} is not a .npy, .npz, .pb, .wav, .csv or .tsv file")


def whisper_features(path: Path, spec: ValueSpec, notes: list[str] | None = None) -> np.ndarray:
    """A ``.wav`` as Whisper's log-mel features [1, bins, 3000] (:mod:`onnxstudio.core.audio_features`): mono,
    brought to 16 kHz, its first 30 s."""
    mono = read_wav(path, ValueSpec(spec.name, "tensor", "float32", ("samples",), "tensor(float)"))
    rate = wav_rate(path) or RATE
    seconds = len(mono) / rate
    features = log_mel(resample(mono.astype(np.float64), rate), int(spec.shape[1]))  # type: ignore[index]
    if notes is not None:
        notes.append(f"input {spec.name!r}: {path.name} ({seconds:.1f} s" + (f", {rate} Hz resampled to 16 kHz"
                     if rate != RATE else "") + ") as Whisper's log-mel features" +
                     (" (its first 30 s)" if seconds > 30 else ""))
    return features[None].astype(numpy_dtype(spec.dtype))


def read_wav(path: Path, spec: ValueSpec, normalize: bool = False) -> np.ndarray:
    """A PCM ``.wav`` (8, 16, 24 or 32-bit; stdlib ``wave``) as the samples an audio model takes: mono (channels
    averaged), float32 in [-1, 1] (int16 as written where the input is int16), shaped to the input's rank with
    the samples on their axis (:func:`_sample_axis`): [n], [1, n], [1, 1, n], [1, n, 1]. A model with a fixed
    window gets the file's first window (zeros after a shorter file). Not resampled: its rate is the file's
    (``wav_rate`` tells it). ``normalize``: float samples to zero mean and unit variance before any padding, as
    Hugging Face's Wav2Vec2FeatureExtractor does with ``do_normalize``."""
    with wave.open(str(path), "rb") as w:
        width, channels = w.getsampwidth(), w.getnchannels()
        raw = w.readframes(w.getnframes())
    if width == 3:  # 24-bit: widen each sample to 32 bits (the low byte zero), same scale as 32-bit
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3)
        raw = np.concatenate([np.zeros((len(b), 1), np.uint8), b], axis=1).tobytes()
        width = 4
    kind = {1: np.uint8, 2: np.int16, 4: np.int32}[width]
    samples = np.frombuffer(raw, np.dtype(kind).newbyteorder("<")).reshape(-1, channels)
    if spec.dtype == "int16" and width == 2:
        pcm = samples.mean(axis=1).round().astype(np.int16)
    else:
        scale = 128.0 if width == 1 else float(2 ** (8 * width - 1))
        centred = samples.astype(np.float64) - (128.0 if width == 1 else 0.0)
        mono = centred.mean(axis=1) / scale
        if normalize and len(mono):
            mono = (mono - mono.mean()) / np.sqrt(mono.var() + 1e-7)
        pcm = mono.astype(numpy_dtype(spec.dtype) if spec.dtype.startswith("float") else np.float32)
    shape = list(spec.shape) if spec.shape else [None]
    axis = _sample_axis(shape)
    if any(isinstance(d, int) and d > 1 for i, d in enumerate(shape) if i != axis):
        # [s6, 80, 800] (smart-turn's Whisper features), [1, 1, 149, 64]: a spectrogram's bins, not samples
        raise InputError(f"input {spec.name!r}: {path.name} holds audio samples, but the model wants "
                         f"{spec.dtype} {spec.shape_text()}: features computed from audio (a spectrogram's frames "
                         f"and bins), not a waveform; give them as a .npy")
    window = shape[axis]
    if isinstance(window, int) and window > 0 and window != len(pcm):  # a model of a fixed window
        pcm = np.pad(pcm[:window], (0, max(0, window - len(pcm))))
    return pcm.reshape([len(pcm) if i == axis else 1 for i in range(len(shape))])


def _sample_axis(shape: list[int | str | None]) -> int:
    """Which axis of an audio input holds the samples: a fixed window ([batch, 43844, 1]: the longest fixed
    dim over 16), else the last free dim that is not the batch ([batch, samples], [1, 1, samples])."""
    windows = [i for i, d in enumerate(shape) if isinstance(d, int) and d > 16]
    if windows:
        return max(windows, key=lambda i: shape[i])  # type: ignore[arg-type, return-value]
    free = [i for i, d in enumerate(shape) if not (isinstance(d, int) and d > 0)]
    if len(free) > 1 and free[0] == 0:
        free = free[1:]
    return free[-1] if free else len(shape) - 1


def wav_rate(path: str | Path) -> int | None:
    """The sample rate of a ``.wav``, or None if it cannot be read."""
    try:
        with wave.open(str(path), "rb") as w:
            return int(w.getframerate())
    except (OSError, EOFError, wave.Error):
        return None


def _parse_literal(spec: ValueSpec, src: LiteralSource) -> Any:
    try:
        return json.loads(src.text)
    except ValueError:
        try:
            return ast.literal_eval(src.text)
        except (ValueError, SyntaxError):
            raise InputError(f"input {spec.name!r}: {src.text!r} is not a literal (e.g. [1, 2, 3])") from None


def _literal(spec: ValueSpec, src: LiteralSource) -> np.ndarray:
    value = _parse_literal(spec, src)
    try:
        arr = np.array(value, dtype=numpy_dtype(spec.dtype))
    except (ValueError, TypeError) as exc:
        raise InputError(f"input {spec.name!r}: {src.text!r} does not convert to {spec.dtype}: {exc}") from None
    if spec.shape is not None and arr.ndim < len(spec.shape) and arr.size == 1:
        arr = arr.reshape((1,) * len(spec.shape))
    return arr


TOKENS_SHOWN = 24  # a text's first tokens, said in the notes (how the tokenizer split it)


def _token_ids(spec: ValueSpec, source: TextSource, dims: dict[str, int], notes: list[str] | None) -> np.ndarray:
    """The text's ids as one row ([n] for an input of rank 1), repeated over a batch that is set or fixed; cut or
    padded (with the tokenizer's padding id, else 0) to a length the model fixes."""
    from onnxstudio.core.text import encode, pad_id, pieces

    if spec.dtype not in ("int64", "int32", "uint32", "uint64", "int16", "uint16"):
        raise InputError(f"input {spec.name!r}: a text becomes token ids; the model wants {spec.dtype}")
    if spec.shape is None or len(spec.shape) not in (1, 2):
        raise InputError(f"input {spec.name!r}: a text becomes a row of token ids; the model wants "
                         f"{spec.shape_text()}")
    if not source.tokenizer:
        raise InputError(f"input {spec.name!r}: no tokenizer to turn the text into token ids (a tokenizer.json or "
                         "vocab.txt beside the model, or --tokenizer FILE)")
    texts = source.texts
    if len(texts) > 1 and not source.is_pair:
        return _token_rows(spec, source.tokenizer, texts, notes)
    windows = pair_rows(spec, source)
    if len(windows) > 1:  # a context longer than a row: windows of it, a row each
        return _window_rows(spec, source, windows, notes)
    ids = windows[0].ids if source.is_pair else encode(source.tokenizer, source.text)
    if notes is not None:
        shown = pieces(source.tokenizer, ids[:TOKENS_SHOWN])
        notes.append(f"input {spec.name!r}: {len(ids)} token{'s' * (len(ids) != 1)}: {' '.join(shown)}"
                     + (" ..." if len(ids) > TOKENS_SHOWN else ""))
    length = spec.shape[-1]
    if isinstance(length, int) and length > 0 and length != len(ids):
        if notes is not None:
            notes.append(f"input {spec.name!r}: the text's {len(ids)} tokens " + (
                f"cut to the model's {length}" if len(ids) > length else f"padded to the model's {length}"))
        ids = (ids + [pad_id(source.tokenizer)] * length)[:length]
    row = np.array(ids, dtype=numpy_dtype(spec.dtype))
    if len(spec.shape) == 1:
        return row
    batch = spec.shape[0]
    rows = batch if isinstance(batch, int) and batch > 0 else dims.get(dim_key(spec, 0) or "", 1)
    return np.repeat(row[None, :], max(int(rows), 1), axis=0)


def pair_rows(spec: ValueSpec, source: TextSource) -> list[PairRow]:
    """A question and its context (a pair source) as the rows ``spec`` takes: each row's ids, segments and special
    tokens; windows of the context where it is longer than a row (:func:`~onnxstudio.core.answers.question_rows`);
    [] for a source that is no pair."""
    from onnxstudio.core.answers import question_rows, row_limit

    if not source.is_pair or not source.tokenizer:
        return []
    return question_rows(source.tokenizer, *source.texts, row_limit(spec, source.tokenizer))


def _window_rows(spec: ValueSpec, source: TextSource, windows: list[PairRow], notes: list[str] | None
                 ) -> np.ndarray:
    """Windows of a long context, a row each, padded on the right to the longest (or the length the model
    fixes); a model that takes fewer rows at a time reads the first windows."""
    from onnxstudio.core.text import pad_id, pair_windows

    assert source.tokenizer is not None and spec.shape is not None
    batch = spec.shape[0] if len(spec.shape) == 2 else 1
    taken = windows[:batch] if isinstance(batch, int) and batch > 0 else windows
    width = max(len(w.ids) for w in taken)
    if notes is not None:
        total = len(pair_windows(source.tokenizer, *source.texts)[0].ids)  # the pair whole
        notes.append(f"input {spec.name!r}: the question and its context are {total} tokens, more than a row of "
                     f"{width}: {len(windows)} windows of the context, overlapping, a row each, as Hugging Face's "
                     "question-answering pipeline reads it (the answer: the best span of any)" + (
                         f"; the model takes {len(taken)} row{'s' * (len(taken) > 1)} at a time: the first "
                         f"{'window' if len(taken) == 1 else f'{len(taken)} windows'} only"
                         if len(taken) < len(windows) else ""))
    pad = pad_id(source.tokenizer)
    rows = np.array([(w.ids + [pad] * width)[:width] for w in taken], dtype=numpy_dtype(spec.dtype))
    return rows[0] if len(spec.shape) == 1 else rows


def _token_rows(spec: ValueSpec, tokenizer: str, texts: list[str], notes: list[str] | None) -> np.ndarray:
    """A batch of texts' ids, a row each, padded on the right with the tokenizer's padding id to the longest (or
    cut or padded to a length the model fixes), as a tokenizer pads a batch; :func:`text_lengths` gives each
    row's own length, which the attention mask follows."""
    from onnxstudio.core.text import encode, pad_id, pieces

    batch = spec.shape[0] if spec.shape and len(spec.shape) == 2 else None
    if len(spec.shape or ()) != 2 or (isinstance(batch, int) and batch > 0 and batch != len(texts)):
        raise InputError(f"input {spec.name!r} takes {batch if isinstance(batch, int) else 'one'} text"
                         f"{'s' if isinstance(batch, int) and batch > 1 else ''} at a time ({spec.shape_text()}); "
                         f"{len(texts)} were given, a line each")
    rows = [encode(tokenizer, text) for text in texts]
    length = spec.shape[-1]  # type: ignore[index]
    width = length if isinstance(length, int) and length > 0 else max(len(r) for r in rows)
    pad = pad_id(tokenizer)
    if notes is not None:
        for i, ids in enumerate(rows):
            shown = pieces(tokenizer, ids[:TOKENS_SHOWN])
            notes.append(f"input {spec.name!r} row {i}: {len(ids)} token{'s' * (len(ids) != 1)}: {' '.join(shown)}"
                         + (" ..." if len(ids) > TOKENS_SHOWN else ""))
        if any(len(r) != width for r in rows):
            notes.append(f"input {spec.name!r}: {len(rows)} texts padded to {width} tokens"
                         + (" (cut where longer)" if any(len(r) > width for r in rows) else ""))
    return np.array([(r + [pad] * width)[:width] for r in rows], dtype=numpy_dtype(spec.dtype))


def text_lengths(source: TextSource, width: int) -> list[int] | None:
    """Each text's own token count (at most ``width``, the row's): a row each for a batch of texts, one for one
    text; None without a tokenizer."""
    from onnxstudio.core.text import encode

    if not source.tokenizer:
        return None
    texts = source.texts if len(source.texts) > 1 else [source.text]
    return [min(len(encode(source.tokenizer, text)), width) for text in texts]


def build_input(spec: ValueSpec, source: Source, dims: dict[str, int] | None = None,
                notes: list[str] | None = None) -> np.ndarray:
    """The array for one input from its source; symbolic dims come from ``dims`` or defaults; ``notes`` gets
    what a table's reading chose (its column) or left out."""
    dims = dims or {}
    if isinstance(source, ImageSource):
        recipe = source.recipe or guess_recipe(spec)
        if recipe is None:
            raise InputError(f"input {spec.name!r} ({spec.dtype} {spec.shape_text()}) does not look like an image; "
                             "give an array file or set an image recipe")
        files = image_files(source.path)
        if recipe.layout in VIDEO_LAYOUTS:
            return _clip(spec, recipe, files, dims, notes)
        if len(files) > 1 and spec.shape is not None and len(spec.shape) == 4 and spec.shape[0] == 1:
            raise InputError(f"input {spec.name!r} takes one picture at a time (its batch is fixed at 1); "
                             f"{Path(source.path).name} holds {len(files)}: choose one of them")
        if recipe.size is None and spec.shape is not None and len(spec.shape) in (3, 4):
            recipe = _size_from_dims(spec, recipe, dims, files[0])
        pictures = [load_image(f, recipe) for f in files]
        batch = spec.shape[0] if spec.shape is not None and len(spec.shape) == 4 else None
        if isinstance(batch, str) or (batch is None and spec.shape is not None and len(spec.shape) == 4):
            batch = dims.get(batch if isinstance(batch, str) else f"{spec.name}:0")  # a batch set by the user
        if len(pictures) == 1 and recipe.layout in ("NCHW", "NHWC") and isinstance(batch, int) and batch > 1:
            # one picture fills a batch the model fixes (Q [2, 3, 4, 8] was refused: dim 0 must be 2) or that is
            # set (--dim batch=8, a benchmark sweep over the batch)
            pictures *= batch
        return to_tensor(pictures, recipe)
    if isinstance(source, ArrayFileSource):
        return _array_file(spec, source, dims, notes)
    if isinstance(source, LiteralSource):
        return _literal(spec, source)
    if isinstance(source, TextSource):
        return _token_ids(spec, source, dims, notes)
    shape = resolve_shape(spec, dims)
    if isinstance(source, ConstantSource):
        if spec.dtype == "string":
            return np.full(shape, str(source.value), dtype=object)
        return np.full(shape, source.value, dtype=numpy_dtype(spec.dtype))
    if isinstance(source, RandomSource):
        return _random(spec, source, shape)
    if isinstance(source, PositionsSource):
        if spec.dtype == "string" or spec.dtype == "bool":
            raise InputError(f"input {spec.name!r}: positions are numbers; the model wants {spec.dtype}")
        if not shape:
            return np.full((), source.start, dtype=numpy_dtype(spec.dtype))
        return np.broadcast_to(np.arange(shape[-1]) + source.start, shape).astype(numpy_dtype(spec.dtype))
    if isinstance(source, LengthSource):
        raise InputError(f"input {spec.name!r}: the length of {source.of!r} is known once {source.of!r} is built")
    if isinstance(source, SizeSource):
        return _sizes(spec, shape, source.hw or (DEFAULT_IMAGE_SIDE, DEFAULT_IMAGE_SIDE))
    raise InputError(f"input {spec.name!r}: unknown source {source!r}")


def _clip(spec: ValueSpec, recipe: ImageRecipe, files: list[Path], dims: dict[str, int],
          notes: list[str] | None) -> np.ndarray:
    """A video input's clip from a folder of frames (in name order) or one picture: as many frames as the model
    fixes or the dim is set to (else all of the folder's, or :data:`DEFAULT_FRAMES` of one picture), taken evenly
    across the folder as video models sample a clip (or repeated where there are fewer), one clip."""
    axis = FRAMES_AXIS[recipe.layout]
    length = spec.shape[axis] if spec.shape is not None else None
    if not (isinstance(length, int) and length > 0):
        key = dim_key(spec, axis)
        length = dims.get(key) if key else None
    frames = int(length) if isinstance(length, int) and length > 0 else \
        len(files) if len(files) > 1 else DEFAULT_FRAMES  # a still: as many frames as a clip has by default
    if frames != len(files):
        chosen = np.linspace(0, len(files) - 1, frames).round().astype(int).tolist()
        if notes is not None:
            notes.append(f"input {spec.name!r}: " + (f"the picture repeated as {frames} frames" if len(files) == 1
                         else f"{frames} of the {len(files)} frames, evenly spaced" if len(files) > frames
                         else f"the {len(files)} frames stretched to {frames}, some repeated"))
        files = [files[i] for i in chosen]
    if recipe.size is None:
        recipe = _size_from_dims(spec, recipe, dims, files[0])
    return to_tensor([load_image(f, recipe) for f in files], recipe)


def _size_from_dims(spec: ValueSpec, recipe: ImageRecipe, dims: dict[str, int], first: Path) -> ImageRecipe:
    """The target size from the model's fixed H/W and the symbolic ones the user set. Where only one side is
    known, the other follows the first image's aspect ratio (the whole batch gets that size); where neither is,
    the first image's own size on a multiple of 32."""
    from dataclasses import replace

    axes = {"NCHW": (2, 3), "NHWC": (1, 2), "CHW": (1, 2), "HWC": (0, 1), "NCTHW": (3, 4), "NTCHW": (3, 4)}[
        recipe.layout]
    shape = spec.shape or ()
    sides = []
    for axis in axes:
        key = dim_key(spec, axis) if axis < len(shape) else None
        sides.append(shape[axis] if key is None and axis < len(shape) else dims.get(key) if key else None)
    if len(sides) == 2 and all(sides):
        return replace(recipe, size=(int(sides[0]), int(sides[1])))  # type: ignore[arg-type]
    known = [int(s) if isinstance(s, int) and s > 0 else None for s in sides]
    image_hw = image_size(first) if len(sides) == 2 else None
    if image_hw is None:
        return recipe
    size = fit_side(image_hw, *known) if any(known) else _on_stride(image_hw)
    return replace(recipe, size=size) if size else recipe


STRIDE = 32  # what a network with free sides divides them by (detectors, segmenters, PaddleOCR's text finder)


def _on_stride(image_hw: tuple[int, int]) -> tuple[int, int] | None:
    """Where the model leaves both sides free, the picture's own size to the nearest multiple of 32 (at least
    32): a 400 x 600 photo fed as it is breaks PP-OCR's detector inside its graph. None if already there."""
    size = tuple(max(STRIDE, int(side / STRIDE + 0.5) * STRIDE) for side in image_hw)
    return None if size == image_hw else size  # type: ignore[return-value]


def feed_value(spec: ValueSpec, source: Source, dims: dict[str, int] | None = None,
               notes: list[str] | None = None) -> Any:
    """What onnxruntime is fed for ``spec``: an array, or for a sequence input (an optional sequence too) a list
    of arrays (see :func:`build_sequence`)."""
    takes_list = spec.type == "sequence" or spec.type_str.startswith("optional(seq(")
    try:
        return build_sequence(spec, source, dims) if takes_list else build_input(spec, source, dims, notes)
    except (MemoryError, ValueError) as exc:  # numpy: "Unable to allocate 29.8 GiB ...", "array is too big"
        if str(exc).startswith("no numpy dtype"):  # an element type that is undefined or unknown to onnx
            raise InputError(f"input {spec.name!r} has element type {spec.dtype!r}: no data can be made for it"
                             ) from None
        if not isinstance(exc, MemoryError) and "too big" not in str(exc):
            raise
        size = re.search(r"allocate ([\d.]+ \w+)", str(exc))
        raise InputError(f"input {spec.name!r} is too large to build{f' ({size[1]})' if size else ''}: set smaller "
                         "sizes for its free dims") from None


def build_sequence(spec: ValueSpec, source: Source, dims: dict[str, int] | None = None) -> list[np.ndarray]:
    """The tensors of a sequence input: a literal's outer list (``[[1, 2], [3]]``: two tensors, of any shapes),
    every array of a ``.npz`` in the file's order (one named with ``FILE.npz:KEY``), else one tensor."""
    if isinstance(source, LiteralSource):
        value = _parse_literal(spec, source)
        items = value if isinstance(value, (list, tuple)) else [value]
        out = []
        for i, item in enumerate(items):
            try:
                out.append(np.array(item, dtype=numpy_dtype(spec.dtype)))
            except (ValueError, TypeError) as exc:
                raise InputError(f"input {spec.name!r}: element {i} of {source.text!r} does not convert to "
                                 f"{spec.dtype}: {exc}") from None
        return out
    if isinstance(source, ArrayFileSource) and source.key is None and source.path.lower().endswith(".npz"):
        p = Path(source.path)
        try:
            with np.load(p, allow_pickle=False) as data:
                return [data[k] for k in data.files]
        except (OSError, ValueError) as exc:
            raise InputError(f"input {spec.name!r}: cannot read {p.name}: {' '.join(str(exc).split())}") from None
    return [build_input(spec, source, dims)]


def build_feeds(specs: list[ValueSpec], sources: dict[str, Source], dims: dict[str, int] | None = None,
                notes: list[str] | None = None) -> dict[str, Any]:
    """Arrays for every input (random seed 0 for those without a source), validated against ``specs`` (what
    was converted is added to ``notes``). Generated inputs take the free dims that the given data fixes (a
    picture's sides, a file's token count) unless ``dims`` sets them, and dims that follow others
    (:func:`complete_dims`) are worked out."""
    known = {s.name for s in specs}
    unknown = [n for n in sources if n not in known]
    if unknown:
        raise InputError(f"the model has no input named {unknown[0]!r}; its inputs: {', '.join(sorted(known))}")
    given = dict(dims or {})
    built: dict[str, Any] = {}
    bound: dict[str, int] = {}
    for spec in specs:  # data that brings its shape first: a file of 7 token ids makes the mask 7 long too
        source = sources.get(spec.name)
        if source is not None and decides_shape(source):
            built[spec.name] = feed_value(spec, source, complete_dims(specs, given), notes)
            for key, n in bound_dims(spec, built[spec.name]).items():
                bound.setdefault(key, n)
    rest = complete_dims(specs, {**bound, **given})
    chosen = {spec.name: sources.get(spec.name) or default_source(spec, specs) for spec in specs}
    for spec in specs:
        if spec.name not in built and not isinstance(chosen[spec.name], (LengthSource, SizeSource)):
            built[spec.name] = feed_value(spec, chosen[spec.name], rest, notes)
    for spec in specs:  # lengths last: the input they measure is built
        source = chosen[spec.name]
        if isinstance(source, LengthSource):
            built[spec.name] = _lengths(spec, source, built.get(source.of), rest)
        elif isinstance(source, SizeSource):
            built[spec.name] = _picture_size(spec, source, specs, built, rest)
        elif isinstance(source, PositionsSource) and isinstance(built.get(spec.name), np.ndarray):
            built[spec.name] = positions_after_cache(built[spec.name], specs, built)
    complete_text_inputs(specs, chosen, built, notes)
    feeds = {spec.name: built[spec.name] for spec in specs}
    validate_feeds(specs, feeds, notes)
    return feeds


def complete_text_inputs(specs: Sequence[ValueSpec], chosen: dict[str, Source], built: dict[str, Any],
                         notes: list[str] | None = None) -> None:
    """What a tokenizer gives beside the ids of texts, where those inputs keep their defaults (``chosen``): an
    attention mask of ones is 0 over each row's padding (texts padded to the longest of a batch, or to a length
    the model fixes), and a question and its context (a pair) get token types 1 over the context (said in
    ``notes``)."""
    texts = next(((spec.name, source) for spec in specs if isinstance(source := chosen[spec.name], TextSource)
                  and isinstance(built.get(spec.name), np.ndarray) and built[spec.name].ndim == 2), None)
    if texts is None:
        return
    ids = built[texts[0]]
    width = ids.shape[1]
    spec_ids = next(spec for spec in specs if spec.name == texts[0])
    windows = pair_rows(spec_ids, texts[1])[:ids.shape[0]]  # a question and its context: a row, or windows
    segments = [(w.types + [0] * width)[:width] for w in windows]
    lengths = [min(len(w.ids), width) for w in windows] if windows else text_lengths(texts[1], width)
    if lengths is not None and len(lengths) == 1:  # one text, repeated over a batch
        lengths, segments = lengths * ids.shape[0], segments * ids.shape[0]
    if windows and len(segments) == ids.shape[0]:  # token types 1 over the context, as the tokenizer gives them
        for spec in specs:
            types = built.get(spec.name)
            if _SEGMENT_NAME.search(spec.name) and isinstance(chosen[spec.name], ConstantSource) \
                    and isinstance(types, np.ndarray) and types.shape == ids.shape:
                built[spec.name] = np.array(segments).astype(types.dtype)
                if notes is not None:
                    notes.append(f"input {spec.name!r}: 0 over the question, 1 over the context, as a tokenizer "
                                 "gives them")
    if lengths is None or len(lengths) != ids.shape[0] or min(lengths) == ids.shape[1]:
        return
    for spec in specs:
        mask = built.get(spec.name)
        if not _ATTENTION_MASK.search(spec.name) or not isinstance(chosen[spec.name], ConstantSource) \
                or not isinstance(mask, np.ndarray) or mask.shape != ids.shape:
            continue
        mask = mask.copy()
        for row, n in enumerate(lengths):
            mask[row, n:] = 0
        built[spec.name] = mask
        if notes is not None:
            notes.append(f"input {spec.name!r}: 0 over the padding of the text" + ("s" if len(set(lengths)) > 1 or
                         len(texts[1].texts) > 1 else "") + ", as a tokenizer gives it")


def _lengths(spec: ValueSpec, source: LengthSource, measured: Any, dims: dict[str, int]) -> np.ndarray:
    """Each row's length: the measured input's size on the source's axis (random data if it has none)."""
    if not isinstance(measured, np.ndarray) or measured.ndim <= source.axis:
        return build_input(spec, RandomSource(0), dims)
    shape = resolve_shape(spec, dims)
    if len(shape) == 1 and measured.ndim >= 1 and spec.shape and not isinstance(spec.shape[0], int):
        shape = (measured.shape[0],)  # a row each: the measured input's batch
    return np.full(shape, measured.shape[source.axis], dtype=numpy_dtype(spec.dtype))


def positions_after_cache(positions: np.ndarray, specs: Sequence[ValueSpec], built: dict[str, Any]) -> np.ndarray:
    """Positions as Hugging Face's decoders count them from the attention mask over cache and new tokens: the
    mask's running count less one (1 where it is 0), its last ones; a mask no longer than the positions (no
    cache) leaves 0, 1, 2, ...; rows as the mask's."""
    mask = next((built.get(s.name) for s in specs if _ATTENTION_MASK.search(s.name)), None)
    if not isinstance(mask, np.ndarray) or mask.ndim != 2 or positions.ndim != 2 or not positions.size:
        return positions  # a static cache's cache_position ([new tokens]) is not counted from a mask
    length = positions.shape[1]
    if mask.shape[1] <= length or positions.shape[0] != mask.shape[0]:
        return positions
    running = np.cumsum(mask != 0, axis=1, dtype=np.int64) - 1
    running[mask == 0] = 1
    return running[:, -length:].astype(positions.dtype)


def _picture_size(spec: ValueSpec, source: SizeSource, specs: Sequence[ValueSpec], built: dict[str, Any],
                  dims: dict[str, int]) -> np.ndarray:
    """The picture's [h, w] as built, a row for each of its pictures where the size input's rows are free."""
    picture = picture_input(specs, source.of)
    if source.of is not None and picture is None:
        raise InputError(f"input {spec.name!r}: the model has no picture input named {source.of!r}")
    found = picture_hw(picture, built.get(picture.name)) if picture is not None else None
    if found is None:
        return build_input(spec, source, dims)
    rows, hw = found
    shape = resolve_shape(spec, dims)
    if len(shape) == 2 and spec.shape and not (isinstance(spec.shape[0], int) and spec.shape[0] > 0):
        shape = (rows, shape[1])
    return _sizes(spec, shape, hw)


def _sizes(spec: ValueSpec, shape: tuple[int, ...], hw: tuple[int, int]) -> np.ndarray:
    if not shape or shape[-1] != 2 or spec.dtype in ("string", "bool"):
        raise InputError(f"input {spec.name!r}: a picture's size is [height, width] numbers on the last axis; the "
                         f"model wants {spec.dtype} {list(shape)}")
    return np.broadcast_to(np.array(hw), shape).astype(numpy_dtype(spec.dtype))


def _converted(value: np.ndarray, dtype: str) -> np.ndarray | None:
    """``value`` as ``dtype`` where that keeps its values: floats to any float type (float64 data, numpy's
    default, for a float32 input; float32 for bfloat16/float8, which numpy cannot make itself), integers to an
    integer type that holds every value or to a float type that holds each exactly (a uint8 picture saved as an
    array), booleans to numbers (0 and 1), other byte orders to the machine's; None otherwise (floats for an
    integer input, ...)."""
    kind = value.dtype.kind
    floats = dtype in EXCHANGEABLE or dtype in _EXACT_INTS
    if kind == "f" and floats:
        return value.astype(numpy_dtype(dtype))
    if kind == "b" and (floats or dtype in _NUMPY_INTS):
        return value.astype(numpy_dtype(dtype))
    if kind in "iu" and (dtype in _NUMPY_INTS or dtype in _EXACT_INTS):
        low, high = (int(value.min()), int(value.max())) if value.size else (0, 0)
        if dtype in _EXACT_INTS:
            fits = -_EXACT_INTS[dtype] <= low and high <= _EXACT_INTS[dtype]
        else:
            info = np.iinfo(numpy_dtype(dtype))
            fits = info.min <= low and high <= info.max
        if fits:
            return value.astype(numpy_dtype(dtype))
    return None


_EXACT_INTS = {"float16": 2**11, "float32": 2**24, "float64": 2**53}  # every integer up to this is exact
_NUMPY_INTS = {"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"}


def _type_name(dt: np.dtype) -> str:
    """``float32``, or ``big-endian float32`` for data saved on (or for) a machine of the other byte order."""
    name = name_of_numpy(dt.newbyteorder("=") if dt.kind not in "OUSb" else dt)
    return name if dt.isnative or dt.byteorder == "|" else f"{'big' if dt.byteorder == '>' else 'little'}-endian {name}"


def validate_feeds(specs: list[ValueSpec], feeds: dict[str, Any], notes: list[str] | None = None) -> None:
    """One clear error naming the input, what the model wants and what was given. Data of another type that
    converts without changing its values (:func:`_converted`) is converted in ``feeds``, and ``notes`` says so
    (not for float data for bfloat16/float8 inputs: numpy has no other way to give them)."""
    bound: dict[str, tuple[int, str]] = {}
    for spec in specs:
        if spec.name not in feeds:
            raise InputError(f"input {spec.name!r} is missing (the model wants {spec.dtype} {spec.shape_text()})")
        value = feeds[spec.name]
        if spec.type != "tensor" or not isinstance(value, np.ndarray):
            continue
        want = f"{spec.dtype} {spec.shape_text()}"
        got = f"{_type_name(value.dtype)} {list(value.shape)}"
        if name_of_numpy(value.dtype) != spec.dtype or not (value.dtype.isnative or value.dtype.kind in "OUS"):
            converted = _converted(value, spec.dtype)
            if converted is None:
                raise InputError(f"input {spec.name!r}: the model wants {want}, got {got} (wrong dtype)")
            if notes is not None and spec.dtype not in EXCHANGEABLE:
                notes.append(f"input {spec.name!r}: {_type_name(value.dtype)} data converted to {spec.dtype}")
            feeds[spec.name] = value = converted
        if spec.shape is None:
            continue
        if value.ndim != len(spec.shape):
            raise InputError(f"input {spec.name!r}: the model wants {want}, got {got} (rank {value.ndim} instead "
                             f"of {len(spec.shape)})")
        for axis, (d, n) in enumerate(zip(spec.shape, value.shape, strict=True)):
            if isinstance(d, int) and d > 0 and d != n:
                raise InputError(f"input {spec.name!r}: the model wants {want}, got {got} (dim {axis} must be {d})")
            if isinstance(d, str):
                if d in bound and bound[d][0] != n:
                    raise InputError(f"input {spec.name!r}: dim {d!r} is {n} here but {bound[d][0]} in input "
                                     f"{bound[d][1]!r}")
                bound.setdefault(d, (n, spec.name))


def describe_source(source: Source) -> str:
    """One line for reports and the CLI: ``random (seed 0, uniform)``, ``image photo.png``..."""
    if isinstance(source, ImageSource):
        return f"image {source.path}"
    if isinstance(source, ArrayFileSource):
        rate = wav_rate(source.path) if source.path.lower().endswith(".wav") else None
        how = ", ".join([f"{rate} Hz"] * bool(rate) + ["normalized"] * source.normalize)
        return f"file {source.path}" + (f" [{source.key}]" if source.key else "") + (f" ({how})" if how else "")
    if isinstance(source, RandomSource):
        return f"random (seed {source.seed}, {source.distribution})"
    if isinstance(source, LengthSource):
        return f"the length of {source.of} (axis {source.axis})"
    if isinstance(source, PositionsSource):
        return "positions 0, 1, 2, ..." if not source.start else f"positions {source.start}, {source.start + 1}, ..."
    if isinstance(source, TextSource):
        texts = source.texts
        shown = f"text {texts[0][:40]!r}" if len(texts) == 1 else \
            f"question {texts[0][:30]!r} and its context {texts[1][:30]!r}" if source.is_pair else \
            f"{len(texts)} texts, a row each: " + ", ".join(repr(t[:24]) for t in texts[:3]) + (
                ", ..." if len(texts) > 3 else "")
        return shown + (f" ({Path(source.tokenizer).name})" if source.tokenizer else "")
    if isinstance(source, SizeSource):
        return f"the height and width of {source.of or 'the picture'}" + (f" ({source.hw[0]} x {source.hw[1]})"
                                                                           if source.hw else "")
    if isinstance(source, ConstantSource):
        return f"constant {source.value:g}"
    return f"literal {source.text[:40]}"
