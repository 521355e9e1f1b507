"""Image preprocessing: a visible, editable recipe turning image files into model tensors."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from onnxstudio.core.dtypes import numpy_dtype
from onnxstudio.core.errors import InputError
from onnxstudio.core.values import ValueSpec

if TYPE_CHECKING:
    from onnxstudio.core.hf_processor import PictureProcessor

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff", ".gif")
RESIZE_MODES = ("stretch", "letterbox", "center_crop")
COLOR_MODES = ("RGB", "BGR", "GRAY")
LAYOUTS = ("NCHW", "NHWC", "CHW", "HWC", "NCTHW", "NTCHW")
VIDEO_LAYOUTS = ("NCTHW", "NTCHW")  # a clip's frames: torchvision's video models, Hugging Face's VideoMAE
FRAMES_AXIS = {"NCTHW": 2, "NTCHW": 1}
DEFAULT_FRAMES = 16  # a clip's length where the model leaves it free (VideoMAE's, torchvision's R(2+1)D)
SCALES = ("0-1", "0-255", "-1-1")
MAX_SIDE = 8192  # a fixed side longer than this is not an image's (an audio window, a token sequence)
INTERPOLATIONS = ("bilinear", "bicubic", "nearest", "box", "lanczos")
MEAN_STD_PRESETS: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "none": ((0.0,), (1.0,)),
    "imagenet": ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
    "clip": ((0.48145466, 0.4578275, 0.40821073), (0.26862954, 0.26130258, 0.27577711)),
}


@dataclass(frozen=True)
class ImageRecipe:
    """How an image becomes a tensor, in this order: colour -> resize -> scale -> mean/std -> layout -> dtype.

    ``size`` is (height, width); None keeps the image's own size. ``mean``/``std`` are in the units after
    ``scale`` (the ImageNet preset assumes scale 0-1).
    """

    resize: str = "stretch"
    size: tuple[int, int] | None = None
    color: str = "RGB"
    layout: str = "NCHW"
    scale: str = "0-1"
    mean: tuple[float, ...] = (0.0,)
    std: tuple[float, ...] = (1.0,)
    dtype: str = "float32"
    pad_value: int = 0  # letterbox padding, in 0-255 pixel units
    interpolation: str = "bilinear"  # Pillow's resampling filter for the resize

    def __post_init__(self) -> None:
        for value, allowed, what in ((self.resize, RESIZE_MODES, "resize"), (self.color, COLOR_MODES, "colour"),
                                     (self.layout, LAYOUTS, "layout"), (self.scale, SCALES, "scale"),
                                     (self.interpolation, INTERPOLATIONS, "interpolation")):
            if value not in allowed:
                raise InputError(f"image {what} must be one of {', '.join(allowed)}, not {value!r}")
        if any(s == 0 for s in self.std):
            raise InputError("image std must not contain 0")

    @property
    def channels(self) -> int:
        return 1 if self.color == "GRAY" else 3

    def with_preset(self, preset: str) -> ImageRecipe:
        mean, std = MEAN_STD_PRESETS[preset]
        return replace(self, mean=mean, std=std)


_PICTURE_DTYPES = ("float32", "float16", "float64", "uint8", "int8")  # what a picture input's pixels are
_CHANNELS_DIM = re.compile(r"^(num_)?(channels?|colou?rs?)$", re.IGNORECASE)  # a free dim named for colours
_PICTURE_NAME = re.compile(r"pixel_values|^(input_)?(images?|pictures?|img)$", re.IGNORECASE)


def channel_axis(layout: str) -> int | None:
    """Where a picture layout keeps its colours (NCHW: 1, HWC: 2; None for another layout)."""
    return {"NCHW": 1, "CHW": 0, "NHWC": 3, "HWC": 2}.get(layout)


def _int32_picture(spec: ValueSpec) -> bool:
    """MoveNet (TensorFlow Hub's, converted) takes int32 0-255 pixels [1, 192, 192, 3]: an int32 tensor is a
    picture where it has three colour channels last and fixed sides of 32 or more."""
    shape = spec.shape or ()
    sides = shape[-3:-1]
    return (spec.dtype == "int32" and len(shape) == 4 and shape[-1] == 3
            and all(isinstance(d, int) and d >= 32 for d in sides))


def guess_recipe(spec: ValueSpec) -> ImageRecipe | None:
    """A recipe from an input's shape and dtype, or None when it does not look like an image input."""
    shape = spec.shape
    if spec.type != "tensor" or shape is None or len(shape) not in (3, 4, 5):
        return None
    if spec.dtype not in _PICTURE_DTYPES and not _int32_picture(spec):
        return None  # an int64 [3, 6, 6] holds class numbers (a loss's target), a bool one a mask: not pictures
    if len(shape) == 5:
        return _video_recipe(spec)
    batched = len(shape) == 4
    dims = shape[1:] if batched else shape
    named = [isinstance(d, str) and _CHANNELS_DIM.match(d) is not None for d in dims]
    if named[0] or named[2]:  # Optimum's [batch_size, num_channels, height, width]: 3 colours where free
        first = named[0]
        layout = ("NCHW" if batched else "CHW") if first else ("NHWC" if batched else "HWC")
        channels, h, w = (dims[0], dims[1], dims[2]) if first else (dims[2], dims[0], dims[1])
    elif batched and _PICTURE_NAME.search(spec.name) and not any(isinstance(d, int) for d in dims):
        layout, channels, h, w = "NCHW", 3, dims[1], dims[2]  # pixel_values [N, C, H, W], every dim free
    elif dims[0] in (1, 3) and dims[2] not in (1, 3):
        layout, channels, h, w = ("NCHW" if batched else "CHW"), dims[0], dims[1], dims[2]
    elif dims[2] in (1, 3):
        layout, channels, h, w = ("NHWC" if batched else "HWC"), dims[2], dims[0], dims[1]
    elif dims[0] in (1, 3):
        layout, channels, h, w = ("NCHW" if batched else "CHW"), dims[0], dims[1], dims[2]
    else:
        return None
    if any(isinstance(side, int) and side > MAX_SIDE for side in (h, w)):
        return None  # [batch, 43844, 1]: a waveform or a sequence, not a picture
    size = (h, w) if isinstance(h, int) and isinstance(w, int) and h > 0 and w > 0 else None
    dtype = spec.dtype
    scale = "0-255" if dtype in ("uint8", "int8", "int32") else "0-1"
    return ImageRecipe(size=size, color="GRAY" if channels == 1 else "RGB", layout=layout, scale=scale,
                       dtype=dtype)


def _video_recipe(spec: ValueSpec) -> ImageRecipe | None:
    """A clip's recipe: [N, C, T, H, W] (torchvision's video models) or [N, T, C, H, W] (VideoMAE, TimeSformer),
    told by where its 1 or 3 colour channels are; None for another 5-D tensor."""
    _, a, b, h, w = spec.shape  # type: ignore[misc]
    if a in (1, 3):  # [1, 3, 3, H, W]: torchvision's
        layout, channels = "NCTHW", a
    elif b in (1, 3):
        layout, channels = "NTCHW", b
    else:
        return None
    if any(isinstance(side, int) and (side > MAX_SIDE or side < 8) for side in (h, w)):
        return None
    size = (h, w) if isinstance(h, int) and isinstance(w, int) else None
    return ImageRecipe(size=size, color="GRAY" if channels == 1 else "RGB", layout=layout,
                       scale="0-255" if spec.dtype in ("uint8", "int8") else "0-1", dtype=spec.dtype)


RECIPE_KEYS = ("resize", "size", "color", "layout", "scale", "preset", "mean", "std", "dtype", "pad", "interpolation")


def recipe_with(recipe: ImageRecipe, key: str, value: str) -> ImageRecipe:
    """``recipe`` with one step set from text, as a user writes it (``size=224x224``, ``preset=imagenet``,
    ``mean=0.5,0.5,0.5``, ``color=BGR``); an :class:`InputError` names what is wrong."""
    key, value = key.strip().lower().replace("colour", "color"), value.strip()
    try:
        if key == "size":
            sides = [int(v) for v in re.split(r"[x,]", value.lower())]
            if len(sides) == 1:
                sides *= 2
            if len(sides) != 2 or not all(0 < v <= MAX_SIDE for v in sides):
                raise ValueError
            return replace(recipe, size=(sides[0], sides[1]))
        if key == "preset":
            if value.lower() not in MEAN_STD_PRESETS:
                raise InputError(f"image preset must be one of {', '.join(MEAN_STD_PRESETS)}, not {value!r}")
            return recipe.with_preset(value.lower())
        if key in ("mean", "std"):
            return replace(recipe, **{key: tuple(float(v) for v in value.split(","))})
        if key == "pad":
            return replace(recipe, pad_value=int(value))
        if key == "dtype":
            if value not in _PICTURE_DTYPES:
                raise InputError(f"image dtype must be one of {', '.join(_PICTURE_DTYPES)}, not {value!r}")
            return replace(recipe, dtype=value)
        if key in ("color", "layout"):
            return replace(recipe, **{key: value.upper()})
        if key in ("resize", "scale", "interpolation"):
            return replace(recipe, **{key: value.lower().replace("..", "-")})
    except ValueError:
        raise InputError(f"image {key} cannot be {value!r}") from None
    raise InputError(f"unknown image step {key!r}; one of {', '.join(RECIPE_KEYS)}")


def preset_of(recipe: ImageRecipe) -> str | None:
    """The mean/std preset a recipe's values are (``imagenet``, ``clip``, ``none``), or None for others."""
    return next((name for name, (m, s) in MEAN_STD_PRESETS.items() if (m, s) == (recipe.mean, recipe.std)), None)


def describe_recipe(recipe: ImageRecipe) -> str:
    """One line: ``letterbox 640x640 RGB 0-1 NCHW float32``, with mean/std and padding where set."""
    size = f"{recipe.size[0]}x{recipe.size[1]}" if recipe.size else "picture's size"
    preset = preset_of(recipe)
    values = {key: ",".join(f"{v:g}" for v in getattr(recipe, key)) for key in ("mean", "std")}
    norm = "" if preset == "none" else f" {preset}" if preset else f" mean {values['mean']} std {values['std']}"
    pad = f" pad {recipe.pad_value}" if recipe.resize == "letterbox" and recipe.pad_value else ""
    return f"{recipe.resize} {size}{pad} {recipe.color} {recipe.scale}{norm} {recipe.layout} {recipe.dtype}"


def is_ultralytics(metadata: dict[str, str]) -> bool:
    """Whether a model was exported by Ultralytics (YOLOv5u/8/11): it writes its stride, task and class names."""
    return "stride" in metadata and ("names" in metadata or "task" in metadata)


def recipe_for_model(spec: ValueSpec, metadata: dict[str, str] | None = None,
                     processor: PictureProcessor | None = None) -> ImageRecipe | None:
    """:func:`guess_recipe`, then what the model's exporter says about its pictures: a Hugging Face model's
    ``preprocessor_config.json`` (``processor``, :func:`~onnxstudio.core.hf_processor.processor_beside`: its mean,
    std, size and filter, for float pictures); Ultralytics' models take letterboxed pictures (grey 114 borders), so
    a fixed 640 x 640 input keeps a photo's proportions, and a dynamic one gets them at its ``imgsz`` (a side that is
    not a multiple of 32 breaks its graph)."""
    recipe = guess_recipe(spec)
    if recipe is not None and processor is not None and recipe.dtype.startswith("float"):
        recipe = processor.apply(recipe, fixed=recipe.size is not None)
    if recipe is None or not metadata or not is_ultralytics(metadata):
        return recipe
    recipe = replace(recipe, resize="letterbox", pad_value=114)
    sides = [int(v) for v in re.findall(r"\d+", metadata.get("imgsz", ""))]
    if recipe.size is None and len(sides) == 2 and all(0 < v <= MAX_SIDE for v in sides):
        recipe = replace(recipe, size=(sides[0], sides[1]))
    return recipe


def load_image(path: str | Path, recipe: ImageRecipe) -> np.ndarray:
    """One image -> HWC float32 array in 0-255 after colour conversion and resize."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            img = ImageOps.exif_transpose(img)
            img = _as_float(img) if img.mode in _HIGH_DEPTH else img.convert("L" if recipe.color == "GRAY" else "RGB")
            img.load()
    except FileNotFoundError:
        raise InputError(f"{path}: no such image file") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise InputError(f"{path}: not an image Pillow can read ({exc})") from None
    except Image.DecompressionBombError as exc:  # Pillow refuses pictures over ~179 Mpx (memory bombs)
        raise InputError(f"{path}: too large to read safely ({exc.args[0].split(',')[0]})") from None
    except Exception as exc:  # a damaged block inside a readable file (EXIF: struct.error, SyntaxError)
        raise InputError(f"{path}: a damaged picture ({type(exc).__name__}: {exc})") from None
    if recipe.size is not None:
        img = _resize(img, recipe)
    arr = np.asarray(img, dtype=np.float32)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    if recipe.color != "GRAY" and arr.shape[2] == 1:  # a 16-bit or float grey picture for a colour input
        arr = np.repeat(arr, 3, axis=2)
    return arr


_HIGH_DEPTH = ("I;16", "I;16L", "I;16B", "I;16N", "I", "F")  # 16/32-bit and float grey pictures (PNG, TIFF)


def _as_float(img):  # type: ignore[no-untyped-def]
    """A 16-bit, 32-bit or float grey picture as a float ("F") image in 0-255, scaled from its depth: Pillow's
    convert("L") clips them instead (a 16-bit PNG turns white, a float TIFF in 0-1 black)."""
    from PIL import Image

    a = np.asarray(img, dtype=np.float64)
    finite = a[np.isfinite(a)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    if img.mode.startswith("I;16") or (img.mode == "I" and lo >= 0 and 255 < hi <= 65535):
        a = a / 257.0  # 65535 -> 255
    elif img.mode == "F" and lo >= 0 and hi <= 1:
        a = a * 255.0
    elif not (lo >= 0 and hi <= 255):  # any other range: stretched to 0-255
        a = (a - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(a)
    return Image.fromarray(np.nan_to_num(a).astype(np.float32))  # 2-D float32: mode "F"


def _resize(img, recipe: ImageRecipe):  # type: ignore[no-untyped-def]
    from PIL import Image

    th, tw = recipe.size  # type: ignore[misc]
    w, h = img.size
    resample = getattr(Image.Resampling, recipe.interpolation.upper())
    if recipe.resize == "stretch":
        return img.resize((tw, th), resample)
    if recipe.resize == "letterbox":
        s = min(tw / w, th / h)
        nw, nh = max(1, round(w * s)), max(1, round(h * s))
        canvas = Image.new(img.mode, (tw, th), recipe.pad_value if img.mode in ("L", "F") else (recipe.pad_value,) * 3)
        canvas.paste(img.resize((nw, nh), resample), ((tw - nw) // 2, (th - nh) // 2))
        return canvas
    s = max(tw / w, th / h)  # center_crop: shorter side to the target, then crop the middle
    nw, nh = max(tw, round(w * s)), max(th, round(h * s))
    img = img.resize((nw, nh), resample)
    left, top = (nw - tw) // 2, (nh - th) // 2
    return img.crop((left, top, left + tw, top + th))


def image_size(path: str | Path) -> tuple[int, int] | None:
    """(height, width) of an image as :func:`load_image` sees it (EXIF rotation applied), from its header;
    None if Pillow cannot read it (loading it then says why)."""
    from PIL import Image

    try:
        with Image.open(path) as img:
            w, h = img.size
            orientation = img.getexif().get(0x0112, 1)
    except Exception:  # any header Pillow cannot read (a damaged EXIF block raises struct.error): loading says why
        return None
    return (w, h) if orientation in (5, 6, 7, 8) else (h, w)  # 5-8: turned by a quarter


def fit_side(image_hw: tuple[int, int], height: int | None, width: int | None) -> tuple[int, int] | None:
    """The target size when the model fixes one side only (an OCR line: height 64, any width): the other side
    follows the image's aspect ratio."""
    h, w = image_hw
    if height and not width:
        return height, max(1, round(w * height / h))
    if width and not height:
        return max(1, round(h * width / w)), width
    return None


def to_tensor(images_hwc: list[np.ndarray], recipe: ImageRecipe) -> np.ndarray:
    """Stack HWC 0-255 images into one tensor following ``recipe`` (a batch of N for N images; for a video layout,
    one clip of N frames)."""
    shapes = {a.shape for a in images_hwc}
    if len(shapes) > 1:
        raise InputError(f"images of different sizes cannot form a batch ({sorted(shapes)}); set a target size")
    x = np.stack(images_hwc).astype(np.float32)  # NHWC
    if recipe.color == "BGR":
        x = x[..., ::-1]
    if recipe.scale == "0-1":
        x = x / 255.0
    elif recipe.scale == "-1-1":
        x = x / 127.5 - 1.0
    mean = np.asarray(recipe.mean, dtype=np.float32)
    std = np.asarray(recipe.std, dtype=np.float32)
    if mean.size not in (1, x.shape[-1]) or std.size not in (1, x.shape[-1]):
        raise InputError(f"mean/std have {mean.size}/{std.size} values for {x.shape[-1]} channel(s)")
    x = (x - mean) / std
    if recipe.layout == "NCTHW":  # frames [T, H, W, C] -> [1, C, T, H, W]
        x = x.transpose(3, 0, 1, 2)[None]
    elif recipe.layout == "NTCHW":  # -> [1, T, C, H, W]
        x = x.transpose(0, 3, 1, 2)[None]
    if recipe.layout in ("NCHW", "CHW"):
        x = x.transpose(0, 3, 1, 2)
    if recipe.layout in ("CHW", "HWC"):
        if x.shape[0] != 1:
            raise InputError(f"the input takes one image (layout {recipe.layout}), got {x.shape[0]}")
        x = x[0]
    dt = numpy_dtype(recipe.dtype)
    if np.issubdtype(dt, np.integer):
        info = np.iinfo(dt)
        x = np.clip(np.rint(x), info.min, info.max)
    return np.ascontiguousarray(x.astype(dt))


def image_files(path: str | Path) -> list[Path]:
    """The image itself, or the images of a folder (sorted by name) for a batch."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.iterdir() if f.suffix.lower() in IMAGE_EXTENSIONS and f.is_file())
        if not files:
            raise InputError(f"{p}: the folder has no images ({', '.join(IMAGE_EXTENSIONS)})")
        return files
    return [p]
