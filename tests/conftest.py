"""Test set-up shared by every test: offscreen Qt, a private session cache, model fixtures."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

# Before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["ONNXSTUDIO_CACHE_DIR"] = os.environ.get("ONNXSTUDIO_CACHE_DIR") or tempfile.mkdtemp(
    prefix="onnxstudio-test-cache-")
os.environ.pop("ORT_LOAD_CONFIG_FROM_MODEL", None)

from pathlib import Path

import pytest

from tests import models


def remove_at_exit(*variables: str) -> None:
    """Remove the run's own folders named by these variables now (onnxstudio-test-* in the temp folder: every run
    made its cache, settings and log folders and left them) when the run ends, whatever the variables then say."""
    for variable in variables:
        folder = Path(os.environ.get(variable) or "/nonexistent")
        if folder.name.startswith("onnxstudio-test-") and folder.parent == Path(tempfile.gettempdir()):
            atexit.register(shutil.rmtree, folder, True)


remove_at_exit("ONNXSTUDIO_CACHE_DIR")


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
