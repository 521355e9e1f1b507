"""Find bundled resources the same way from a source checkout, an installed wheel and a frozen bundle."""

from __future__ import annotations

import sys
from pathlib import Path

_PKG_DIR = Path(__file__).resolve().parent


def resources_dir() -> Path:
    """The folder holding ``samples/``, ``icons/``, ``translations/``.

    Order: a PyInstaller bundle (``sys._MEIPASS/resources``), the wheel (``onnxstudio/resources`` via hatch's
    force-include), then the source checkout (``<repo>/resources``).
    """
    candidates: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    candidates += [_PKG_DIR / "resources", _PKG_DIR.parent / "resources"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def sample_models() -> list[Path]:
    """Bundled sample models (``samples/*.onnx``, and ``samples/*/*.onnx`` for one that has files beside it, as
    the text classifier its tokenizer), sorted by name."""
    samples = resource_path("samples")
    return sorted([*samples.glob("*.onnx"), *samples.glob("*/*.onnx")], key=lambda p: p.name)


def default_sample() -> Path | None:
    """The model the GUI opens when started without a file."""
    samples = sample_models()
    preferred = [p for p in samples if p.stem.startswith("digits")]
    return (preferred or samples or [None])[0]
