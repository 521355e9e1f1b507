"""Safe loading: every error category, external-data validation, structure-only reads."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from onnxstudio.core import loading
from onnxstudio.core.errors import ExternalDataError, ModelFileError
from onnxstudio.core.loading import load_structure, read_initializer
from tests import models


def _category(path: Path, **kw) -> str:
    with pytest.raises((ModelFileError, ExternalDataError)) as info:
        load_structure(path, **kw)
    msg = str(info.value)
    assert "\n" not in msg and msg
    return info.value.category


def test_missing_file(tmp_path: Path) -> None:
    assert _category(tmp_path / "nope.onnx") == "missing"


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.onnx"
    p.write_bytes(b"")
    assert _category(p) == "empty"


def test_folder_is_unreadable(tmp_path: Path) -> None:
    assert _category(tmp_path) == "unreadable"


def test_random_bytes(tmp_path: Path) -> None:
    p = tmp_path / "random.onnx"
    p.write_bytes(np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    assert _category(p) == "not_onnx"


def test_truncated_model(tmp_path: Path) -> None:
    full = models.conv_model(tmp_path / "conv.onnx").read_bytes()
    p = tmp_path / "truncated.onnx"
    p.write_bytes(full[: len(full) // 2])
    assert _category(p) == "not_onnx"


def test_text_file(tmp_path: Path) -> None:
    p = tmp_path / "notes.onnx"
    p.write_text("this is not a model\n" * 10)
    assert _category(p) == "not_onnx"


def test_lfs_pointer(tmp_path: Path) -> None:
    p = tmp_path / "model.onnx"
    p.write_text("version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123456\n")
    with pytest.raises(ModelFileError, match="git lfs pull") as info:
        load_structure(p)
    assert info.value.category == "lfs_pointer"


@pytest.mark.skipif(sys.platform == "win32", reason="sparse files are not sparse by default on NTFS")
def test_over_2gib_is_explained(tmp_path: Path) -> None:
    p = tmp_path / "huge.onnx"
    with open(p, "wb") as fh:  # sparse file: no disk used
        fh.write(b"\x08\x07")
        fh.seek(2**31 + 10)
        fh.write(b"\0")
    with pytest.raises(ModelFileError, match="external data") as info:
        load_structure(p)
    assert info.value.category == "too_large"


@pytest.mark.parametrize("field", [b'"\x03Add', b"\n\x01a\x12"], ids=["op_type", "graph_input"])
def test_invalid_utf8_names(tmp_path: Path, field: bytes) -> None:
    model = onnx.load(str(models.add_model(tmp_path / "add.onnx")))
    data = bytearray(model.SerializeToString())
    idx = data.find(field)
    assert idx >= 0
    data[idx + 2] = 0xFF  # the first byte of the name: never valid UTF-8
    p = tmp_path / "bad_utf8.onnx"
    p.write_bytes(bytes(data))
    assert _category(p) == "encoding"


# --- external data ------------------------------------------------------------------------------------------
def _external_model(folder: Path, location: str, *, offset: int = 0, length: int | None = None) -> Path:
    w = numpy_helper.from_array(np.arange(16, dtype=np.float32).reshape(4, 4), "W")
    w.ClearField("raw_data")
    w.data_location = TensorProto.EXTERNAL
    entries = {"location": location, "offset": str(offset)}
    if length is not None:
        entries["length"] = str(length)
    for k, v in entries.items():
        e = w.external_data.add()
        e.key, e.value = k, v
    g = helper.make_graph([helper.make_node("MatMul", ["x", "W"], ["y"])], "g",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])], [w])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], ir_version=9)
    path = folder / "model.onnx"
    path.write_bytes(m.SerializeToString())
    return path


def _weights(path: Path) -> None:
    path.write_bytes(np.arange(16, dtype=np.float32).tobytes())


def test_valid_external_data(tmp_path: Path) -> None:
    _weights(tmp_path / "w..bin")  # '..' inside a name is legal
    p = _external_model(tmp_path, "w..bin", length=64)
    lm = load_structure(p)
    assert [(f.location, f.size, f.tensors) for f in lm.external_files] == [("w..bin", 64, 1)]
    np.testing.assert_array_equal(read_initializer(lm, "W"), np.arange(16, dtype=np.float32).reshape(4, 4))


def test_external_data_in_subfolder(tmp_path: Path) -> None:
    (tmp_path / "weights").mkdir()
    _weights(tmp_path / "weights" / "w.bin")
    assert load_structure(_external_model(tmp_path, "weights/w.bin")).external_files[0].size == 64


@pytest.mark.parametrize("location,category", [
    ("../outside.bin", "external_data_outside"),
    ("sub/../../outside.bin", "external_data_outside"),
    ("/etc/passwd", "external_data_outside"),
    ("C:\\Windows\\win.ini", "external_data_outside"),
    ("missing.bin", "external_data_missing"),
])
def test_refused_locations(tmp_path: Path, location: str, category: str) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    _weights(tmp_path / "outside.bin")
    assert _category(_external_model(folder, location)) == category


needs_links = pytest.mark.skipif(sys.platform == "win32", reason="symlinks need extra privileges on Windows")


@needs_links
def test_symlinked_external_data(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    _weights(tmp_path / "secret.bin")
    os.symlink(tmp_path / "secret.bin", folder / "w.bin")
    assert _category(_external_model(folder, "w.bin")) == "external_data_symlink"


@needs_links
def test_symlinked_folder_in_path(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (tmp_path / "elsewhere").mkdir()
    _weights(tmp_path / "elsewhere" / "w.bin")
    os.symlink(tmp_path / "elsewhere", folder / "sub")
    assert _category(_external_model(folder, "sub/w.bin")) == "external_data_symlink"


def test_hard_linked_external_data(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    _weights(tmp_path / "secret.bin")
    os.link(tmp_path / "secret.bin", folder / "w.bin")
    assert _category(_external_model(folder, "w.bin")) == "external_data_hardlink"


def test_offset_past_end(tmp_path: Path) -> None:
    _weights(tmp_path / "w.bin")
    assert _category(_external_model(tmp_path, "w.bin", offset=32, length=64)) == "external_data_range"


def test_file_shorter_than_tensor(tmp_path: Path) -> None:
    (tmp_path / "w.bin").write_bytes(b"\0" * 10)
    assert _category(_external_model(tmp_path, "w.bin")) == "external_data_range"


# --- structure-only reading ---------------------------------------------------------------------------------
def test_embedded_weights_are_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "STRIP_THRESHOLD", 0)
    monkeypatch.setattr(loading, "MIN_STRIP", 1024)
    p = models.conv_model(tmp_path / "conv.onnx", channels=32)
    lm = load_structure(p)
    reference = onnx.load(str(p))
    assert {t.name for t in lm.model.graph.initializer} == {t.name for t in reference.graph.initializer}
    assert all(len(t.raw_data) == 0 for t in lm.model.graph.initializer)
    assert set(lm.stripped) == {"w0", "w1", "w2", "w3"}
    assert [n.op_type for n in lm.model.graph.node] == [n.op_type for n in reference.graph.node]
    for t in reference.graph.initializer:
        np.testing.assert_array_equal(read_initializer(lm, t.name), numpy_helper.to_array(t))


def test_small_files_keep_their_weights(tmp_path: Path) -> None:
    lm = load_structure(models.conv_model(tmp_path / "conv.onnx"))
    assert not lm.stripped
    assert all(len(t.raw_data) > 0 for t in lm.model.graph.initializer)


def test_stripping_keeps_subgraph_tensors_and_float_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "STRIP_THRESHOLD", 0)
    monkeypatch.setattr(loading, "MIN_STRIP", 1024)
    big = helper.make_tensor("big", TensorProto.FLOAT, [2000], np.arange(2000, dtype=np.float32).tolist())
    body = helper.make_graph([helper.make_node("Constant", [], ["c"], value=big)], "then", [],
                             [helper.make_tensor_value_info("c", TensorProto.FLOAT, [2000])])
    other = helper.make_graph([helper.make_node("Constant", [], ["d"], value_float=1.0)], "else", [],
                              [helper.make_tensor_value_info("d", TensorProto.FLOAT, [])])
    g = helper.make_graph([helper.make_node("If", ["cond"], ["y"], then_branch=body, else_branch=other)], "g",
                          [helper.make_tensor_value_info("cond", TensorProto.BOOL, [])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    p = tmp_path / "if.onnx"
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], ir_version=9), str(p))
    lm = load_structure(p)
    assert lm.stripped["big"].field == "float_data"
    np.testing.assert_array_equal(read_initializer(lm, "big"), np.arange(2000, dtype=np.float32))
