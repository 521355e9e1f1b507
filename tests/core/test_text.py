"""Text as token ids through the tokenizer shipped beside a model (the tokenizers library), and back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from onnxstudio.core.errors import InputError
from onnxstudio.core.inputs import TextSource, build_feeds, describe_source, parse_source
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.reproduce import source_arg
from onnxstudio.core.text import decode, encode, find_tokenizer, pad_id, tokenizer_beside
from onnxstudio.core.values import ValueSpec
from tests import models


def test_the_tokenizer_beside_a_model_is_found_up_to_two_folders_above(tmp_path: Path) -> None:
    """An onnx-community export keeps its tokenizer a folder above onnx/model.onnx."""
    (tmp_path / "onnx").mkdir()
    model = models.add_model(tmp_path / "onnx" / "model.onnx")
    assert find_tokenizer(model) is None
    tok = models.tokenizer_file(tmp_path / "tokenizer.json")
    assert find_tokenizer(model) == tok
    (tmp_path / "onnx" / "vocab.txt").write_text("[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n")
    assert find_tokenizer(model) == tmp_path / "onnx" / "vocab.txt"  # the nearest first
    assert tokenizer_beside(model) == (tmp_path / "onnx" / "vocab.txt", "")
    (tmp_path / "onnx" / "tokenizer.json").write_text('{"model": {"vocab": {"hello": 0}}}')  # a vocabulary alone
    found, problem = tokenizer_beside(model)
    assert found is None and problem.startswith("cannot read the tokenizer tokenizer.json: ")
    assert tokenizer_beside(tmp_path / "elsewhere" / "a" / "b" / "m.onnx") == (None, "")


def test_text_becomes_the_ids_the_tokenizer_gives_and_back(tmp_path: Path) -> None:
    tok = models.tokenizer_file(tmp_path / "tokenizer.json")
    assert encode(tok, "hello world") == [1, 4, 5, 2]  # [CLS] hello world [SEP]
    assert encode(tok, "hello moon") == [1, 4, 0, 2]  # an unknown word: [UNK]
    assert pad_id(tok) == 3 and decode(tok, [4, 5]) == "hello world"
    assert decode(tok, [10**12]) is None  # past its vocabulary: no text, no exception
    from tokenizers import Tokenizer

    special = Tokenizer.from_file(str(tok))
    special.add_special_tokens(["</s>"])  # id 10: a special token, as an end-of-text is
    special.save(str(tmp_path / "special.json"))
    assert decode(tmp_path / "special.json", [4, 5, 10]) == "hello world </s>"
    assert decode(tmp_path / "special.json", [4, 5, 10], skip_special=True) == "hello world"  # as a pipeline prints
    with pytest.raises(InputError, match="the text is empty"):
        encode(tok, "")
    (tmp_path / "bad.json").write_text('{"model": 3}')
    with pytest.raises(InputError, match=r"^cannot read the tokenizer bad.json: "):
        encode(tmp_path / "bad.json", "hello")
    with pytest.raises(InputError, match="cannot read the tokenizer .*gone.json"):
        encode(tmp_path / "gone.json", "hello")


def test_a_bert_vocab_txt_splits_words_into_pieces(tmp_path: Path) -> None:
    """BERT's vocab.txt (WordPiece, lower-cased when the vocabulary has no capitals)."""
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "play", "##ing", "the", "game"]) + "\n")
    assert encode(vocab, "Playing the game") == [2, 5, 6, 7, 8, 3]
    assert pad_id(vocab) == 0


def test_a_text_feeds_a_decoder_and_its_mask_follows(tmp_path: Path) -> None:
    """input_ids from the text (one row); the mask over cache and prompt is as long as the text's ids and the
    cache (--dim past_sequence_length=2: 4 + 2); onnxruntime runs it."""
    path = models.decoder_model(tmp_path / "decoder.onnx")
    tok = models.tokenizer_file(tmp_path / "tokenizer.json")
    specs = inspect_model(path, shapes=False).inputs
    feeds = build_feeds(specs, {"input_ids": TextSource("hello world", str(tok))}, {"past_sequence_length": 2})
    assert feeds["input_ids"].tolist() == [[1, 4, 5, 2]] and feeds["attention_mask"].tolist() == [[1] * 6]
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert session.run(["logits"], feeds)[0].shape == (1, 4, 10)
    batch = build_feeds(specs, {"input_ids": TextSource("hello", str(tok))}, {"batch_size": 3})
    assert batch["input_ids"].tolist() == [[1, 4, 2]] * 3


def test_texts_a_line_each_are_a_batch_padded_to_the_longest(tmp_path: Path) -> None:
    """Several texts (a line each) are a row each, padded on the right with the tokenizer's [PAD]; the attention
    mask is 0 over each row's padding, as a tokenizer's; onnxruntime runs them; generation, which reads every
    prompt whole, refuses prompts padded to one length."""
    from onnxstudio.core.generation import decoder_inputs, generate
    from onnxstudio.core.providers import SessionConfig
    from onnxstudio.core.reproduce import command

    path = models.causal_lm_model(tmp_path / "lm.onnx")
    tok = str(models.tokenizer_file(tmp_path / "tokenizer.json"))
    specs = inspect_model(path, shapes=False).inputs
    source = TextSource("hello world once\n\n  hello  \n", tok)
    assert source.texts == ["hello world once", "hello"] and TextSource("one text").texts == ["one text"]
    notes: list[str] = []
    feeds = build_feeds(specs, {"input_ids": source}, {}, notes)
    assert feeds["input_ids"].tolist() == [[1, 4, 5, 6, 2], [1, 4, 2, 3, 3]]
    assert feeds["attention_mask"].tolist() == [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]
    assert "input 'input_ids': 2 texts padded to 5 tokens" in notes
    assert "input 'attention_mask': 0 over the padding of the texts, as a tokenizer gives it" in notes
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    logits = session.run(["logits"], feeds)[0]
    alone = session.run(["logits"], build_feeds(specs, {"input_ids": TextSource("hello", tok)}))[0]
    np.testing.assert_allclose(logits[1, :3], alone[0], rtol=1e-6)  # the padding changes nothing before it
    assert describe_source(source) == "2 texts, a row each: 'hello world once', 'hello' (tokenizer.json)"
    argv, _ = command("run", path, SessionConfig(), specs, {"input_ids": source}, {})
    assert argv[-4:] == ["--input", "input_ids=text:hello world once", "--input", "input_ids=text:hello"]
    dec = decoder_inputs(specs, inspect_model(path, shapes=False).outputs)  # generation: padded on the left
    generated = generate(lambda f: ({"logits": session.run(["logits"], f)[0]}, 0.0), feeds, dec, 2)
    assert generated.prompt == [[1, 4, 5, 6, 2], [1, 4, 2]]
    fixed = ValueSpec("input_ids", "tensor", "int64", (1, 8), "tensor(int64)")
    with pytest.raises(InputError, match=r"takes 1 text at a time \(\[1, 8\]\); 2 were given, a line each"):
        build_feeds([fixed], {"input_ids": source})


def test_a_fixed_length_is_padded_or_cut_and_wrong_inputs_are_one_line(tmp_path: Path) -> None:
    tok = str(models.tokenizer_file(tmp_path / "tokenizer.json"))
    ids = ValueSpec("input_ids", "tensor", "int64", (1, 6), "tensor(int64)")
    notes: list[str] = []
    assert build_feeds([ids], {"input_ids": TextSource("hello", tok)}, {}, notes)["input_ids"].tolist() == [
        [1, 4, 2, 3, 3, 3]]
    assert notes == ["input 'input_ids': 3 tokens: [CLS] hello [SEP]",
                     "input 'input_ids': the text's 3 tokens padded to the model's 6"]
    # a BERT exported with its sequence fixed: the mask is 0 over the padding, as the tokenizer's would be
    mask = ValueSpec("attention_mask", "tensor", "int64", ("batch", 6), "tensor(int64)")
    feeds = build_feeds([ids, mask], {"input_ids": TextSource("hello", tok)})
    assert feeds["attention_mask"].tolist() == [[1, 1, 1, 0, 0, 0]]
    full = build_feeds([ids, mask], {"input_ids": TextSource("hello world once upon", tok)})
    assert full["attention_mask"].tolist() == [[1] * 6]
    long = build_feeds([ids], {"input_ids": TextSource("hello world once upon a time", tok)})["input_ids"]
    assert long.tolist() == [[1, 4, 5, 6, 7, 8]]
    flat = ValueSpec("ids", "tensor", "int32", ("n",), "tensor(int32)")
    assert build_feeds([flat], {"ids": TextSource("a time", tok)})["ids"].dtype == np.int32
    for spec, source, message in (
            (ValueSpec("x", "tensor", "float32", (1, 4), "tensor(float)"), TextSource("hi", tok),
             "a text becomes token ids; the model wants float32"),
            (ValueSpec("x", "tensor", "int64", (1, 2, 3), "tensor(int64)"), TextSource("hi", tok),
             r"a row of token ids; the model wants \[1, 2, 3\]"),
            (ids, TextSource("hi"), "no tokenizer to turn the text into token ids")):
        with pytest.raises(InputError, match=message):
            build_feeds([spec], {spec.name: source})


def test_text_on_the_command_line() -> None:
    assert parse_source("text: Hello, world ") == TextSource(" Hello, world ")  # spaces kept
    assert parse_source("TEXT:hi") == TextSource("hi")
    assert source_arg(TextSource("Hello world", "/m/tokenizer.json")) == ("text:Hello world", "")
    assert describe_source(TextSource("Hello world", "/m/tokenizer.json")) == "text 'Hello world' (tokenizer.json)"


def test_a_tokenizer_whose_parts_do_not_fit_is_one_line_not_a_panic(tmp_path: Path, capfd) -> None:
    """A post-processor naming a special token the file does not define makes the library panic in Rust (pyo3's
    PanicException, a BaseException, its backtrace written to fd 2): one InputError, nothing on stderr."""
    import json

    bad = tmp_path / "tokenizer.json"
    bad.write_text(json.dumps({"version": "1.0", "model": {"type": "WordLevel", "vocab": {"a": 0, "[UNK]": 1},
                                                           "unk_token": "[UNK]"},
                               "post_processor": {"type": "TemplateProcessing", "pair": [], "special_tokens": {},
                                                  "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                                                             {"Sequence": {"id": "A", "type_id": 0}}]}}))
    with pytest.raises(InputError, match=r"^the tokenizer tokenizer.json failed on the text: no entry found"):
        encode(bad, "a")
    assert capfd.readouterr().err == ""


def test_text_works_without_a_stderr(tmp_path: Path, monkeypatch) -> None:
    """A windowed build (pythonw, PyInstaller's --windowed) has sys.stderr None."""
    import sys

    tok = models.tokenizer_file(tmp_path / "tokenizer.json")
    monkeypatch.setattr(sys, "stderr", None)
    assert encode(tok, "hello world") == [1, 4, 5, 2]
