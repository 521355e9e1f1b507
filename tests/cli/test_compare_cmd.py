"""`onnxstudio compare`: two real sessions on the same inputs; exit 1 and one error line when they differ."""

from __future__ import annotations

import json
from pathlib import Path

from onnxstudio.resources import resource_path
from tests import models
from tests.cli.test_cli import cli


def test_by_default_a_cpu_session_is_compared_with_the_unoptimized_model(tmp_path: Path) -> None:
    path = models.conv_model(tmp_path / "conv.onnx")
    data = json.loads(cli("compare", str(path), "--json").stdout)
    assert data["ok"] is True and data["a"]["optimization"] == "all" and data["b"]["optimization"] == "disabled"
    assert data["a"]["providers"] == data["b"]["providers"] == ["CPUExecutionProvider"]
    (out,) = data["outputs"]
    assert out["name"] == "out" and out["ok"] and out["shape_a"] == [1, 16] and out["cosine"] > 0.99999
    data = json.loads(cli("compare", str(path), "--optimization", "disabled", "--json").stdout)
    assert data["a"]["optimization"] == "disabled" and data["b"]["optimization"] == "all"  # never itself


def test_an_int8_copy_differs_with_exit_1_and_one_error_line(tmp_path: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32 = resource_path("samples", "digits_classifier.onnx")
    int8 = tmp_path / "digits_int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    digit = sorted(resource_path("samples", "digits").glob("digit_3_*.png"))[0]
    proc = cli("compare", str(fp32), "--against", str(int8), "--input", f"image={digit}", check=False)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: ") and "outputs differ" in proc.stderr
    assert "✗ logits: max abs diff" in proc.stdout and "best class agrees on every row" in proc.stdout
    loose = cli("compare", str(fp32), "--against", str(int8), "--input", f"image={digit}", "--atol", "10",
                "--json")
    assert json.loads(loose.stdout)["ok"] is True


def test_a_second_model_must_take_the_same_inputs(tmp_path: Path) -> None:
    a = models.add_model(tmp_path / "add.onnx")
    b = models.conv_model(tmp_path / "conv.onnx")
    proc = cli("compare", str(a), "--against", str(b), check=False)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "takes input image, which" in proc.stderr


def test_layers_name_the_first_tensor_of_an_int8_copy_that_differs(tmp_path: Path) -> None:
    """The digit classifier against its dynamic int8 copy: the first MatMul (its weights quantized) is where
    the difference starts; the int8 copy's own tensors (DynamicQuantizeLinear's) are only in B."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32 = resource_path("samples", "digits_classifier.onnx")
    int8 = tmp_path / "digits_int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    digit = sorted(resource_path("samples", "digits").glob("digit_3_*.png"))[0]
    args = ("compare", str(fp32), "--against", str(int8), "--input", f"image={digit}", "--layers")
    data = json.loads(cli(*args, "--json", check=False).stdout)["layers"]
    assert data["first"]["op"] == "MatMul" and data["first"]["node_name"] == "/fc1/MatMul"
    assert data["only_b"] > 0 and data["differing"] >= 1 and data["compared"] == len(data["layers"])
    ok_before = [x["ok"] for x in data["layers"][:data["layers"].index(next(
        x for x in data["layers"] if x["node_name"] == "/fc1/MatMul"))]]
    assert all(ok_before)  # the preprocessing before it agrees exactly
    text = cli(*args, check=False).stdout
    assert "layers      " in text and "first: node #" in text and "/fc1/MatMul (MatMul)" in text


def test_an_fp16_conversion_against_its_fp32_original(tmp_path: Path) -> None:
    """B takes float32 where A takes float16: A's inputs are cast to it (exact), and said."""
    from onnx import TensorProto

    fp16 = models.scale_model(tmp_path / "fp16.onnx", TensorProto.FLOAT16)
    fp32 = models.scale_model(tmp_path / "fp32.onnx")
    proc = cli("compare", str(fp16), "--against", str(fp32), "--input", "x=[[1, 2, 3, 4]]", "--json")
    data = json.loads(proc.stdout)
    assert data["ok"] is True and data["notes"] == ["B's input 'x' is float32: A's float16 values cast to it"]
    text = cli("compare", str(fp32), "--against", str(fp16), "--input", "x=[[1, 2, 3, 4]]", "--atol", "1e-3").stderr
    assert "note: B's input 'x' is float16: A's float32 values cast to it" in text
