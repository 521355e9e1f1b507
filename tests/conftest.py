"""Test set-up shared by every test: offscreen Qt, a private session cache, model fixtures."""

from __future__ import annotations

import os
import tempfile

# Before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ONNXSTUDIO_CACHE_DIR", tempfile.mkdtemp(prefix="onnxstudio-test-cache-"))
os.environ.pop("ORT_LOAD_CONFIG_FROM_MODEL", None)

from pathlib import Path

import pytest

from tests import models


@pytest.fixture
def add_path(tmp_path: Path) -> Path:
    return models.add_model(tmp_path / "add.onnx")


@pytest.fixture
def aborting_path(tmp_path: Path) -> Path:
    return models.aborting_model(tmp_path / "abort.onnx")


def onnx_light_models() -> list[Path]:
    """The small real models the onnx wheel ships (caffe2 exports of classic conv nets)."""
    import onnx

    return sorted((Path(onnx.__file__).parent / "backend" / "test" / "data" / "light").glob("*.onnx"))


def ort_datasets() -> Path:
    import onnxruntime

    return Path(onnxruntime.__file__).parent / "datasets"
