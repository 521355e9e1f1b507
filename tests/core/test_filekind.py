"""A file that is not an ONNX model is named for what it is: an image, a checkpoint, a web page, an archive."""

from __future__ import annotations

import io
import json
import os
import pickle
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from onnxstudio.core.errors import ModelFileError
from onnxstudio.core.filekind import describe
from onnxstudio.core.loading import load_structure, main_model, models_in_folder
from tests import models


def _image(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(buf, format=fmt)
    return buf.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _npy() -> bytes:
    buf = io.BytesIO()
    np.save(buf, np.arange(4.0))
    return buf.getvalue()


def _safetensors() -> bytes:
    header = json.dumps({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}).encode()
    return struct.pack("<Q", len(header)) + header + bytes(8)


CASES = {
    "png": (_image("PNG"), "PNG image"),
    "jpeg": (_image("JPEG"), "JPEG image"),
    "bmp": (_image("BMP"), "BMP image"),
    "tiff": (_image("TIFF"), "TIFF image"),
    "webp": (_image("WEBP"), None),  # RIFF: no hint, the plain message
    "npy": (_npy(), "NumPy array"),
    "npz": (_zip({"x.npy": _npy(), "y.npy": _npy()}), "NumPy .npz archive"),
    "pickle": (pickle.dumps({"state_dict": [1, 2]}, protocol=4), "Python pickle"),
    "torch": (_zip({"archive/data.pkl": b"\x80\x02}q\x00.", "archive/version": b"3\n"}), "PyTorch checkpoint"),
    "zipped": (_zip({"release/resnet.onnx": b"\x08\x07"}), "ZIP archive containing release/resnet.onnx"),
    "gzip": (b"\x1f\x8b\x08\x00" + bytes(40), "gzip-compressed"),
    "ort": (b"\x18\x00\x00\x00ORTM" + bytes(64), "ONNX Runtime format (.ort)"),
    "tflite": (b"\x1c\x00\x00\x00TFL3" + bytes(64), "TensorFlow Lite"),
    "safetensors": (_safetensors(), "safetensors"),
    "html": (b"\n\n<!DOCTYPE html>\n<html lang='en'><head><title>model.onnx</title>" + b"x" * 900, "web page"),
    "onnx-text": (b'<\n  ir_version: 8,\n  opset_import: ["" : 18]\n>\nagraph (float[N] X) => (float[N] Y) {\n'
                  b"  Y = Relu(X)\n}\n", "ONNX's text format"),
    "text": ("précis: not a model\n".encode() * 40, "text file"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_wrong_kind_of_file_is_named(tmp_path: Path, name: str) -> None:
    data, hint = CASES[name]
    p = tmp_path / "model.onnx"
    p.write_bytes(data)
    with pytest.raises(ModelFileError) as info:
        load_structure(p)
    message = info.value.message
    assert info.value.category == "not_onnx"
    assert message.startswith(f"{p}: not an ONNX model") and "\n" not in message
    if hint is None:
        assert "this is" not in message
    else:
        assert hint in message


def test_real_onnx_runtime_format_file(tmp_path: Path) -> None:
    """An .ort file written by onnxruntime's own converter, renamed .onnx."""
    conv = pytest.importorskip("onnxruntime.tools.convert_onnx_models_to_ort")
    src = models.add_model(tmp_path / "add.onnx")
    conv.convert_onnx_models_to_ort(tmp_path, optimization_styles=[conv.OptimizationStyle.Fixed])
    ort = next(tmp_path.glob("add*.ort"))
    p = tmp_path / "renamed.onnx"
    p.write_bytes(ort.read_bytes())
    with pytest.raises(ModelFileError, match=r"ONNX Runtime format \(\.ort\)"):
        load_structure(p)
    assert describe(src) is None  # the model it came from is not taken for anything else


def test_truncated_model_gets_no_wrong_hint(tmp_path: Path) -> None:
    full = models.conv_model(tmp_path / "conv.onnx").read_bytes()
    p = tmp_path / "cut.onnx"
    p.write_bytes(full[:300])
    with pytest.raises(ModelFileError) as info:
        load_structure(p)
    assert "truncated or corrupt" in info.value.message and "this is" not in info.value.message


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes are a POSIX file kind")
def test_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    p = tmp_path / "pipe.onnx"
    os.mkfifo(p)
    with pytest.raises(ModelFileError, match="not a regular file") as info:
        load_structure(p)
    assert info.value.category == "unreadable"


def test_a_folder_names_the_models_it_holds(tmp_path: Path) -> None:
    models.add_model(tmp_path / "model.onnx")
    models.add_model(tmp_path / "model_quantized.onnx")
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelFileError, match=r"is a folder, not an \.onnx file \(it holds model\.onnx and 1 more\)"):
        load_structure(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ModelFileError, match=r"is a folder, not an \.onnx file$"):
        load_structure(empty)
    assert main_model(tmp_path) == tmp_path / "model.onnx" and main_model(empty) is None
    hub = tmp_path / "hub"  # Hugging Face's layout: onnx/model.onnx
    (hub / "onnx").mkdir(parents=True)
    models.add_model(hub / "onnx" / "decoder_model.onnx")
    models.add_model(hub / "onnx" / "encoder_model.onnx")
    with pytest.raises(ModelFileError, match=r"\(it holds onnx/decoder_model\.onnx and 1 more\)$"):
        load_structure(hub)
    assert models_in_folder(hub) == [hub / "onnx" / "decoder_model.onnx", hub / "onnx" / "encoder_model.onnx"]
    assert main_model(hub) is None  # an encoder and a decoder: no one model is meant
    (hub / "onnx" / "encoder_model.onnx").unlink()
    assert main_model(hub) == hub / "onnx" / "decoder_model.onnx"


def test_a_big_checkpoint_is_named_not_told_to_use_external_data(tmp_path: Path) -> None:
    """Over 2 GiB the size is checked before any parse: a checkpoint that big is still named for what it is."""
    p = tmp_path / "llm.onnx"
    with open(p, "wb") as fh:
        fh.write(pickle.dumps({"state_dict": {}}, protocol=2))
        fh.truncate(3 * 2**30)  # sparse: no disk used
    with pytest.raises(ModelFileError, match="Python pickle") as info:
        load_structure(p)
    assert info.value.category == "not_onnx"  # a model that big: test_loading.py::test_over_2gib_is_explained
