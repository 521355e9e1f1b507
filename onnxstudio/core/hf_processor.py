"""How a Hugging Face model wants its pictures (and a speech model its waveform), from the
``preprocessor_config.json`` shipped beside it. Qt-free.

Optimum, onnx-community and transformers.js exports keep the image processor's settings in that file, next to
``model.onnx`` (or a folder above ``onnx/model.onnx``): the mean and std (ImageNet's for ResNet and DETR, 0.5 for
ViT, CLIP's own), the size (an exact ``height`` x ``width``, or a ``shortest_edge`` then a centre crop), the
resampling filter and whether pixels are rescaled to 0-1. A picture prepared otherwise runs, but its scores are
off: ViT on ImageNet's mean instead of its 0.5 names other classes. Read here into the steps of an
:class:`~onnxstudio.core.imaging.ImageRecipe`; the model's own fixed sides always win over the file's size.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from onnxstudio.core.imaging import MAX_SIDE, ImageRecipe
from onnxstudio.core.text import nearest_file

FILE_NAME = "preprocessor_config.json"
_FILE_LIMIT = 1 << 20  # bytes; real ones are under 2 KB
# PIL's resampling numbers, as transformers writes them
_RESAMPLE = {0: "nearest", 1: "lanczos", 2: "bilinear", 3: "bicubic", 4: "box"}


@dataclass(frozen=True)
class PictureProcessor:
    """The steps a ``preprocessor_config.json`` sets; None where it says nothing (the recipe keeps its own)."""

    path: Path
    mean: tuple[float, ...] | None = None
    std: tuple[float, ...] | None = None
    scale: str | None = None  # "0-1", "0-255" or "-1-1"
    size: tuple[int, int] | None = None  # height, width of what the model is fed
    resize: str | None = None  # "stretch" (an exact size) or "center_crop" (the shortest edge, then a crop)
    interpolation: str | None = None

    def apply(self, recipe: ImageRecipe, fixed: bool) -> ImageRecipe:
        """``recipe`` with these steps; its size is kept where the model fixes its sides (``fixed``)."""
        changes: dict[str, Any] = {k: v for k, v in (("mean", self.mean), ("std", self.std), ("scale", self.scale),
                                                      ("interpolation", self.interpolation)) if v is not None}
        channels = recipe.channels
        for key in ("mean", "std"):  # three values for a grey picture: the first, as the processor would use it
            if key in changes and len(changes[key]) not in (1, channels):
                changes[key] = changes[key][:1]
        if self.resize is not None and (not fixed or self.size == recipe.size):
            changes["resize"] = self.resize
        if self.size is not None and not fixed:
            changes["size"] = self.size
        return replace(recipe, **changes)

    def describe(self) -> str:
        """What it sets, for a note: ``mean 0.5,0.5,0.5 std 0.5,0.5,0.5, 0-1, 224x224 center_crop, bicubic``."""
        parts = []
        if self.mean is not None and self.std is not None:
            parts.append(f"mean {','.join(f'{v:g}' for v in self.mean)} std {','.join(f'{v:g}' for v in self.std)}")
        if self.scale:
            parts.append(self.scale)
        if self.size:
            parts.append(f"{self.size[0]}x{self.size[1]}" + (f" {self.resize}" if self.resize else ""))
        if self.interpolation:
            parts.append(self.interpolation)
        return ", ".join(parts) or "nothing it sets applies"


def _side(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_SIDE else None


def _pair(value: Any) -> tuple[int, int] | None:
    """(height, width) of a size written as an int or {"height": H, "width": W}."""
    if _side(value):
        return value, value
    if isinstance(value, dict) and _side(value.get("height")) and _side(value.get("width")):
        return value["height"], value["width"]
    return None


def _floats(value: Any) -> tuple[float, ...] | None:
    """A mean or std written as a number or a list of up to four finite numbers."""
    values = [value] if not isinstance(value, list) else value
    if not values or len(values) > 4 or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values):
        return None
    return tuple(float(v) for v in values)


def parse_processor(text: str, path: Path) -> PictureProcessor | None:
    """The picture steps of a ``preprocessor_config.json``'s text; None for one that is no image processor's (an
    audio feature extractor's, a tokenizer's) or that cannot be read."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    kind = str(data.get("image_processor_type") or data.get("feature_extractor_type") or "")
    if "image_mean" not in data and "ImageProcessor" not in kind:
        return None
    mean, std = _floats(data.get("image_mean")), _floats(data.get("image_std"))
    if not data.get("do_normalize", True) or mean is None or std is None or 0.0 in std:
        mean = std = None
    scale = None
    if data.get("do_rescale", True) is False:
        scale = "0-255"
    elif isinstance(factor := data.get("rescale_factor", 1 / 255), (int, float)):
        scale = "0-1" if abs(factor - 1 / 255) < 1e-6 else "-1-1" if abs(factor - 1 / 127.5) < 1e-6 else None
    size, resize = None, None
    raw = data.get("size")
    crop = _pair(data.get("crop_size")) if data.get("do_center_crop") else None
    if data.get("do_resize", True) is not False:
        if crop is not None:  # the shortest edge resized, then the middle cut out
            size, resize = crop, "center_crop"
        elif (exact := _pair(raw)) is not None:
            size, resize = exact, "stretch"
    resample = data.get("resample")
    interpolation = _RESAMPLE.get(resample) if isinstance(resample, int) else None
    return PictureProcessor(path, mean, std, scale, size, resize, interpolation)


def normalizes_waveform(text: str) -> bool:
    """Whether a ``preprocessor_config.json``'s text is a speech model's feature extractor that feeds the raw
    waveform normalized to zero mean and unit variance (wav2vec2's, HuBERT's, WavLM's: one feature a sample,
    ``do_normalize``); a log-mel extractor's (Whisper's: 80 features) is not."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("feature_size") == 1 and data.get("do_normalize") is True \
        and "image_mean" not in data


def _config_beside(model: str | Path) -> tuple[str, Path] | None:
    """The text and path of the ``preprocessor_config.json`` nearest the model (its folder, then up to two
    above)."""
    path = nearest_file(model, (FILE_NAME,))
    try:
        if path is not None and path.stat().st_size <= _FILE_LIMIT:
            return path.read_text(encoding="utf-8", errors="replace"), path
    except OSError:
        pass
    return None


def processor_beside(model: str | Path) -> PictureProcessor | None:
    """The image processor's steps from the ``preprocessor_config.json`` nearest the model, or None."""
    found = _config_beside(model)
    return parse_processor(*found) if found else None


def waveform_normalizer_beside(model: str | Path) -> Path | None:
    """The ``preprocessor_config.json`` nearest the model where it normalizes a speech model's waveform
    (:func:`normalizes_waveform`), or None."""
    found = _config_beside(model)
    return found[1] if found and normalizes_waveform(found[0]) else None
