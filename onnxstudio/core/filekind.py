"""What a file that is not an ONNX model is instead, from its first bytes: the hint in "not an ONNX model".

People open the wrong file more often than a broken one: an image meant as an input, a PyTorch checkpoint, a
web page saved instead of the model, a compressed download. Used only once parsing has failed, so a real
model can never be mistaken for one of these.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

HEAD_BYTES = 512

_IMAGE = "open a model first, then choose the image as one of its inputs"
_CONVERT = "convert it to ONNX first"
# (magic at offset 0, what the file is)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", f"this is a PNG image ({_IMAGE})"),
    (b"\xff\xd8\xff", f"this is a JPEG image ({_IMAGE})"),
    (b"GIF87a", f"this is a GIF image ({_IMAGE})"),
    (b"GIF89a", f"this is a GIF image ({_IMAGE})"),
    (b"II*\x00", f"this is a TIFF image ({_IMAGE})"),
    (b"MM\x00*", f"this is a TIFF image ({_IMAGE})"),
    (b"BM", f"this is a BMP image ({_IMAGE})"),
    (b"\x93NUMPY", "this is a NumPy array (.npy): use it as a model input, not as a model"),
    (b"\x89HDF\r\n\x1a\n", f"this is an HDF5 file (a Keras .h5 model?): {_CONVERT} (tf2onnx)"),
    (b"GGUF", "this is a GGUF model (llama.cpp), not ONNX"),
    (b"%PDF", "this is a PDF document"),
    (b"\x1f\x8b", "the file is gzip-compressed: decompress it first"),
    (b"BZh", "the file is bzip2-compressed: decompress it first"),
    (b"\xfd7zXZ\x00", "the file is xz-compressed: decompress it first"),
    (b"\x28\xb5\x2f\xfd", "the file is zstd-compressed: decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "this is a 7-Zip archive: extract the model first"),
    (b"Rar!\x1a\x07", "this is a RAR archive: extract the model first"),
    (b"\x7fELF", "this is a program or shared library"),
    (b"MZ", "this is a Windows program or DLL"),
)
# FlatBuffers file identifiers (bytes 4-8)
_IDENTIFIER = {
    b"ORTM": "this is an ONNX Runtime format (.ort) model: open the .onnx it was converted from",
    b"TFL3": f"this is a TensorFlow Lite model: {_CONVERT} (tf2onnx --tflite)",
}


def describe(path: Path) -> str | None:
    """What ``path`` looks like if it is a known kind of file that is not an ONNX model, else None."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return None
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path)
    return _kind(head)


def _kind(head: bytes) -> str | None:
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if head[4:8] in _IDENTIFIER:
        return _IDENTIFIER[head[4:8]]
    if head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        return f"this is a Python pickle (a PyTorch .pt/.pth checkpoint?): {_CONVERT} (torch.onnx.export)"
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "this is a tar archive: extract the model first"
    if len(head) >= 10 and head[8:10] == b'{"' and int.from_bytes(head[:8], "little") < 2**32:
        return f"this is a safetensors file: weights without a graph ({_CONVERT})"
    return _text_kind(head)


def _text_kind(head: bytes) -> str | None:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:  # a multi-byte character cut at the end of the head is still text
        if exc.start < len(head) - 4:
            return None
        text = head[:exc.start].decode("utf-8")
    if not text or any(c < " " and c not in "\t\r\n\f" for c in text):
        return None
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith(("<!doctype html", "<html")):
        return ("this is a web page, not the model (a download that saved the page? download the raw file, "
                "e.g. GitHub's or Hugging Face's download link)")
    if "ir_version" in start or "opset_import" in start:
        return "this is ONNX's text format: convert it with onnx.parser.parse_model and onnx.save"
    if start.startswith("<?xml"):
        return "this is an XML file (an OpenVINO IR .xml?), not ONNX"
    if start.startswith(("{", "[")):
        return "this is a JSON file, not an ONNX model"
    return "this is a text file, not an ONNX model"


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "this looks like a damaged ZIP archive"
    models = [n for n in names if n.lower().endswith(".onnx")]
    if models:
        more = f" and {len(models) - 1} more" if len(models) > 1 else ""
        return f"this is a ZIP archive containing {models[0]}{more}: extract it and open that"
    if any(n == "data.pkl" or n.endswith("/data.pkl") for n in names):
        return f"this is a PyTorch checkpoint (.pt/.pth): {_CONVERT} (torch.onnx.export)"
    if names and all(n.endswith(".npy") for n in names):
        return "this is a NumPy .npz archive: use it as a model input, not as a model"
    if "config.json" in names and any(n.endswith(".h5") for n in names):
        return f"this is a Keras model (.keras): {_CONVERT} (tf2onnx)"
    return "this is a ZIP archive: extract the model first"
