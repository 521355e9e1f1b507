"""Input editors: sources, drops of images and arrays, recipe edits, symbolic dims, messages at the input."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from onnxstudio.core.values import ValueSpec
from onnxstudio.resources import resource_path
from onnxstudio.ui.inputs_panel import InputsPanel

IMAGE = ValueSpec("image", "tensor", "float32", (1, 3, "height", "width"), "tensor(float)")
IDS = ValueSpec("ids", "tensor", "int64", ("batch", 4), "tensor(int64)")


def _drop(widget, path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    widget.dropEvent(QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                                Qt.KeyboardModifier.NoModifier))


def test_defaults_recipe_and_dims(qtbot) -> None:
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs([IMAGE, IDS])
    image, ids = panel.editors
    assert image.kind.currentData() == "image" and image.image_path.text().endswith("photo.png")
    assert image.value.shape[:2] == (1, 3) and image.preview.isVisibleTo(image)
    assert ids.kind.currentData() == "random" and ids.value.shape == (1, 4) and ids.value.dtype == np.int64
    assert set(panel.dim_spins) == {"height", "width", "batch"}
    panel.dim_spins["batch"].setValue(3)
    panel.dim_spins["height"].setValue(32)
    panel.dim_spins["width"].setValue(48)
    for e in panel.editors:
        e.rebuild()
    assert ids.value.shape == (3, 4) and image.value.shape == (1, 3, 32, 48)
    image.recipe.preset.setCurrentText("imagenet")
    image.rebuild()
    assert image.value.min() < 0  # normalised
    feeds = panel.feeds()
    assert set(feeds) == {"image", "ids"}


def test_drops_and_errors_next_to_the_input(qtbot, tmp_path) -> None:
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs([IDS])
    editor = panel.editors[0]
    good = tmp_path / "ids.npy"
    np.save(good, np.arange(8, dtype=np.int64).reshape(2, 4))
    _drop(editor, good)
    assert editor.kind.currentData() == "array" and editor.value.shape == (2, 4) and not editor.error
    bad = tmp_path / "bad.npy"
    np.save(bad, np.zeros((2, 5), np.float32))
    _drop(editor, bad)
    assert "wrong dtype" in editor.error and editor.error_label.isVisibleTo(editor)
    try:
        panel.feeds()
    except Exception as exc:
        assert str(exc).startswith("input 'ids': the model wants") and str(exc).count("input 'ids'") == 1
    else:
        raise AssertionError("feeds() accepted a bad input")
    _drop(editor, resource_path("samples", "photo.png"))
    assert editor.kind.currentData() == "image" and "does not look like an image" in editor.error
    editor.kind.setCurrentIndex(editor.kind.findData("literal"))
    editor.literal.setText("[[1, 2, 3, 4]]")
    editor.rebuild()
    assert not editor.error and editor.value.tolist() == [[1, 2, 3, 4]]
    editor.kind.setCurrentIndex(editor.kind.findData("constant"))
    editor.constant.setValue(7)
    editor.rebuild()
    assert (editor.value == 7).all()


def test_no_inputs(qtbot) -> None:
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs([])
    assert panel.feeds() == {} and panel.message.isVisibleTo(panel)


def test_unknown_dims_can_be_set(qtbot) -> None:
    """Paddle-style inputs declare -1 (unknown) dims: each gets a field named after the input and axis."""
    spec = ValueSpec("x", "tensor", "float32", (None, 3, None, None), "tensor(float)")
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs([spec])
    assert set(panel.dim_spins) == {"x:0", "x:2", "x:3"}
    (editor,) = panel.editors
    editor.kind.setCurrentIndex(editor.kind.findData("random"))
    panel.dim_spins["x:2"].setValue(64)
    panel.dim_spins["x:3"].setValue(32)
    editor.rebuild()
    assert editor.value.shape == (1, 3, 64, 32)


def test_long_symbolic_dims_do_not_widen_the_side_panel(qtbot) -> None:
    """paddle2onnx names dims "p2o.DynamicDimension.0": the input's title and the dim labels are elided (the
    whole text in a tooltip) so the editor fits the side panel instead of being clipped by it."""
    dims = tuple(f"p2o.DynamicDimension.{i}" for i in range(3))
    spec = ValueSpec("x", "tensor", "float32", (dims[0], 3, dims[1], dims[2]), "tensor(float)")
    long_dim = "a_rather_long_symbolic_dimension_name_from_an_exporter"
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs([spec, ValueSpec("ids", "tensor", "int64", (long_dim, 4), "tensor(int64)")])
    editor = panel.editors[0]
    assert editor.title().endswith("…") and editor.toolTip() == f"x   float32 {spec.shape_text()}"
    assert editor.minimumSizeHint().width() < 360 and panel.minimumSizeHint().width() < 360
    label = panel.dims_form.labelForField(panel.dim_spins[long_dim])
    assert "…" in label.text() and label.toolTip() == long_dim


def test_a_recording_dropped_on_an_audio_input(qtbot, tmp_path) -> None:
    import wave

    recording = tmp_path / "speech.wav"
    with wave.open(str(recording), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(np.zeros(512, "<i2").tobytes())
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs([ValueSpec("input", "tensor", "float32", (None, None), "tensor(float)")])
    editor = panel.editors[0]
    _drop(editor, recording)
    editor.rebuild()
    assert editor.kind.currentData() == "array" and editor.value.shape == (1, 512) and not editor.error


def test_random_settings_offer_only_what_the_type_uses(qtbot) -> None:
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs([ValueSpec("text", "tensor", "string", (1,), "tensor(string)"), IDS,
                      ValueSpec("x", "tensor", "float32", (1, 4), "tensor(float)")])
    text, ids, x = panel.editors
    assert not text.distribution.isVisibleTo(text) and not text.low.isVisibleTo(text)
    assert not ids.distribution.isVisibleTo(ids) and ids.low.isVisibleTo(ids) and ids.high.isVisibleTo(ids)
    assert x.distribution.isVisibleTo(x) and x.low.isVisibleTo(x)


def test_a_sequence_input_takes_a_literal_list_of_tensors(qtbot) -> None:
    from onnxstudio.ui.input_editor import SOURCES

    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs([ValueSpec("x", "sequence", "float32", None, "seq(tensor(float))")])
    editor = panel.editors[0]
    editor.kind.setCurrentIndex(SOURCES.index("literal"))
    editor.literal.setText("[[1, 2], [3]]")
    editor.rebuild()
    assert not editor.error and editor.info.text() == "sequence of 2: float32 [2], float32 [1]"
    assert [a.tolist() for a in panel.feeds()["x"]] == [[1, 2], [3]]


def test_float64_arrays_are_converted_and_the_editor_says_so(qtbot, tmp_path) -> None:
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs([ValueSpec("x", "tensor", "float32", ("batch", 3), "tensor(float)")])
    editor = panel.editors[0]
    np.save(tmp_path / "x.npy", np.full((2, 3), 0.5))  # numpy's default dtype
    _drop(editor, tmp_path / "x.npy")
    assert not editor.error and editor.value.dtype == np.float32
    assert editor.info.text().startswith("float64 data converted to float32; float32 [2, 3]")
    assert panel.feeds()["x"].dtype == np.float32


def test_an_ultralytics_model_starts_letterboxed(qtbot) -> None:
    panel = InputsPanel()
    qtbot.addWidget(panel)
    spec = ValueSpec("images", "tensor", "float32", (1, 3, 64, 64), "tensor(float)")
    panel.set_inputs([spec], {"stride": "32", "task": "detect", "names": "{0: 'person'}"})
    recipe = panel.editors[0].recipe.recipe()
    assert (recipe.resize, recipe.pad_value) == ("letterbox", 114)
    panel.set_inputs([spec], {})
    assert panel.editors[0].recipe.recipe().resize == "stretch"
    dynamic = ValueSpec("images", "tensor", "float32", ("batch", 3, "height", "width"), "tensor(float)")
    panel.set_inputs([dynamic], {"stride": "32", "task": "detect", "imgsz": "[320, 320]"})  # NudeNet's 320n
    assert panel.feeds()["images"].shape == (1, 3, 320, 320)


def test_an_audio_model_starts_on_a_window_a_rate_and_a_zero_state(qtbot) -> None:
    """Silero VAD's inputs: the samples default to a 512-sample window (shown in the dims box), ``sr`` to a
    constant 16000 and ``state`` to zeros, each still editable."""
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs([ValueSpec("input", "tensor", "float32", ("batch", "sequence"), "tensor(float)"),
                      ValueSpec("sr", "tensor", "int64", (), "tensor(int64)"),
                      ValueSpec("state", "tensor", "float32", (2, "batch", 128), "tensor(float)")])
    audio, rate, state = panel.editors
    assert audio.kind.currentData() == "random" and audio.value.shape == (1, 512)
    assert panel.dim_spins["sequence"].value() in (0, 512)  # 0 shows "auto": the default applies
    assert rate.kind.currentData() == "constant" and rate.value.dtype == np.int64 and int(rate.value) == 16000
    assert state.kind.currentData() == "constant" and state.value.shape == (2, 1, 128) and not state.value.any()
    assert set(panel.feeds()) == {"input", "sr", "state"}


def test_a_bgr_picture_is_shown_in_its_own_colours(qtbot) -> None:
    """A model fed BGR (ddddocr, OpenCV-trained models) gets its channels swapped; the preview and the picture the
    boxes are drawn on show the photo as it is, not with red and blue exchanged."""
    from dataclasses import replace

    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs([IMAGE])
    editor = panel.editors[0]
    rgb = editor.picture()
    editor.recipe.set_recipe(replace(editor.recipe.recipe(), color="BGR"))
    editor.rebuild()
    blue = rgb[:, :, 2].astype(np.float32) / 255
    assert np.allclose(editor.value[0, 0], blue, atol=1 / 255)  # the tensor's first channel is blue now
    assert not np.allclose(editor.value[0, 0], rgb[:, :, 0].astype(np.float32) / 255, atol=1 / 255)
    assert np.array_equal(editor.picture(), rgb)


def test_a_text_encoder_starts_on_a_full_mask_and_one_segment(qtbot) -> None:
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs([ValueSpec(n, "tensor", "int64", ("batch", "sequence"), "tensor(int64)")
                      for n in ("input_ids", "attention_mask", "token_type_ids")])
    ids, mask, types = panel.editors
    assert ids.kind.currentData() == "random"
    assert mask.kind.currentData() == "constant" and mask.value.dtype == np.int64 and (mask.value == 1).all()
    assert types.kind.currentData() == "constant" and not types.value.any()


def test_position_ids_start_on_positions_and_follow_the_prompt(qtbot, tmp_path) -> None:
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs([ValueSpec(n, "tensor", "int64", ("batch", "sequence"), "tensor(int64)")
                      for n in ("input_ids", "position_ids")])
    ids, positions = panel.editors
    assert positions.kind.currentData() == "positions" and positions.value.tolist() == [[0]]
    np.save(tmp_path / "prompt.npy", np.array([[5, 6, 7, 8]], np.int64))
    ids.set_file(tmp_path / "prompt.npy")
    assert panel.feeds()["position_ids"].tolist() == [[0, 1, 2, 3]]


def test_a_paddleocr_recogniser_starts_at_its_line_height(qtbot) -> None:
    panel = InputsPanel()
    qtbot.addWidget(panel)
    rec = ValueSpec("x", "tensor", "float32", ("b", 3, None, "w"), "tensor(float)")
    panel.set_inputs([rec], {"character": "a\nb"})
    assert panel.dim_spins["x:2"].value() == 48 and "Set from the model's own pipeline (48" in panel.dim_spins["x:2"].toolTip()
    editor = panel.editors[0]
    assert editor.kind.currentData() == "image" and editor.value.shape[2] == 48  # the sample photo, 48 high
    panel.dim_spins["x:2"].setValue(0)  # auto: the user's choice wins
    editor.rebuild()
    assert editor.value.shape[2] != 48


def test_a_table_dropped_on_one_input_feeds_every_input_it_names(qtbot, tmp_path) -> None:
    """skl2onnx's one input per column: one spreadsheet for all of them, the text column too."""
    table = tmp_path / "titanic.csv"
    table.write_text("age,fare,sex,survived\n22,7.25,male,0\n38,71.28,female,1\n")
    specs = [ValueSpec("age", "tensor", "float32", (None, 1), "tensor(float)"),
             ValueSpec("sex", "tensor", "string", (None, 1), "tensor(string)"), IDS]
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs(specs)
    age, sex, ids = panel.editors
    _drop(age, table)
    assert age.value.tolist() == [[22.0], [38.0]] and not age.error
    assert sex.kind.currentData() == "array" and sex.value.tolist() == [["male"], ["female"]]
    assert ids.kind.currentData() == "random"  # not a column of the table: left as it was
    ids.kind.setCurrentIndex(ids.kind.findData("array"))
    ids.array_path.setText(f"{table}:nope")
    ids.rebuild()
    assert ids.error == "input 'ids': the table has no column 'nope' (age, fare, sex, survived)"


def test_a_decoders_mask_follows_its_cache_and_its_prompt(qtbot, tmp_path) -> None:
    """The mask's "past_sequence_length + 1" follows the cache and the new tokens; the spin box says the value it
    takes; a file of token ids fixes the sequence length for the generated inputs; the feeds run."""
    import onnxruntime as ort

    from onnxstudio.core.inspection import inspect_model
    from tests.models import decoder_model

    path = decoder_model(tmp_path / "decoder.onnx")
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs(inspect_model(path, shapes=False).inputs)
    ids, mask = panel.editors[:2]
    spin = panel.dim_spins["past_sequence_length + 1"]
    assert mask.value.shape == (1, 2) and spin.specialValueText() == "auto (2)"
    assert "past_sequence_length + sequence_length" in spin.toolTip()
    panel.dim_spins["past_sequence_length"].setValue(5)
    np.save(tmp_path / "ids.npy", np.array([[1, 2, 3]], np.int64))
    ids.set_file(tmp_path / "ids.npy")
    feeds = panel.feeds()
    assert feeds["attention_mask"].shape == (1, 8) and feeds["past_key_values.0.key"].shape == (1, 2, 5, 4)
    assert spin.specialValueText() == "auto (8)" and panel.dim_spins["sequence_length"].specialValueText() == "auto (3)"
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert session.run(None, feeds)[1].shape == (1, 2, 8, 4)
    spin.setValue(4)  # set by the user: the mask is 4 long (and says so no more)
    assert panel.feeds()["attention_mask"].shape == (1, 4) and spin.text() == "4"


def test_the_dims_come_first_for_a_model_of_many_inputs(qtbot) -> None:
    """A decoder with 32 layers has 64 cache inputs: its dims above them, not 64 editors down."""
    panel = InputsPanel()
    qtbot.addWidget(panel)
    cache = [ValueSpec(f"past_key_values.{i}.{kv}", "tensor", "float32", ("batch_size", 2, "past_sequence_length", 4),
                       "tensor(float)") for i in range(3) for kv in ("key", "value")]
    panel.set_inputs(cache)
    layout = panel.layout()
    assert layout.indexOf(panel.dims_box) < layout.indexOf(panel.editors[0])
    panel.set_inputs([IMAGE, IDS])  # a few inputs: after them
    qtbot.waitUntil(lambda: layout.indexOf(panel.editors[0]) >= 0 and layout.count() == 5)
    assert layout.indexOf(panel.editors[-1]) < layout.indexOf(panel.dims_box)


def test_a_lengths_input_follows_the_recording_until_set(qtbot, tmp_path) -> None:
    """waveforms_lens holds the length of waveforms (512 to begin with, 1,000 for a file of 1,000 samples) until
    the user gives it a value of their own, which then stays."""
    import onnxruntime as ort

    from onnxstudio.core.inspection import inspect_model
    from tests.models import lengths_model

    path = lengths_model(tmp_path / "front.onnx")
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs(inspect_model(path, shapes=False).inputs)
    signal, lengths = panel.editors
    assert lengths.kind.currentData() == "constant" and lengths.value.tolist() == [512]
    np.save(tmp_path / "rec.npy", np.ones((1, 1000), np.float32))
    signal.set_file(tmp_path / "rec.npy")
    feeds = panel.feeds()
    assert feeds["waveforms_lens"].tolist() == [1000]
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert session.run(None, feeds)[0] == 1000.0
    lengths.constant.setValue(10)  # the user's own value
    signal.kind.setCurrentIndex(signal.kind.findData("random"))  # back to 512 random samples
    feeds = panel.feeds()
    assert feeds["waveforms_lens"].tolist() == [10] and feeds["waveforms"].shape == (1, 512)


def test_a_pictures_size_follows_the_picture(qtbot, tmp_path) -> None:
    """PaddleDetection's im_shape starts on a Picture size source that holds the picture's height and width as
    fed (the bundled photo on free sides, then a 300 x 500 photo at 288 x 512); only inputs beside a picture offer
    it."""
    import onnxruntime as ort
    from PIL import Image

    from onnxstudio.core.inspection import inspect_model
    from tests.models import picture_size_model

    path = picture_size_model(tmp_path / "ppyoloe.onnx")
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs(inspect_model(path, shapes=False).inputs)
    image, im_shape, scale = panel.editors
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert im_shape.kind.currentData() == "size" and scale.kind.findData("size") >= 0
    assert image.kind.findData("size") == -1  # a picture does not hold its own size
    feeds = panel.feeds()
    assert feeds["im_shape"].tolist() == [list(map(float, feeds["image"].shape[2:]))]
    assert session.run(None, feeds)[0].tolist() == [[0.0, 0.0]]
    Image.fromarray(np.zeros((300, 500, 3), np.uint8)).save(tmp_path / "wide.png")
    _drop(image, tmp_path / "wide.png")
    feeds = panel.feeds()
    assert feeds["image"].shape == (1, 3, 288, 512) and feeds["im_shape"].tolist() == [[288.0, 512.0]]
    assert session.run(None, feeds)[0].tolist() == [[0.0, 0.0]]
    bare = InputsPanel()
    qtbot.addWidget(bare)
    bare.set_inputs([ValueSpec("im_shape", "tensor", "float32", (1, 2), "tensor(float)")])  # no picture beside
    assert bare.editors[0].kind.findData("size") == -1 and bare.editors[0].kind.currentData() == "constant"


def test_a_text_feeds_the_token_ids_through_the_tokenizer_beside_the_model(qtbot, tmp_path) -> None:
    """With a tokenizer beside a decoder, input_ids start on a sample text (its tokens said next to it) and the
    mask follows the text's length; other inputs, and models without a tokenizer, offer no Text source."""
    import onnxruntime as ort

    from onnxstudio.core.inspection import inspect_model
    from tests.models import decoder_model, tokenizer_file

    path = decoder_model(tmp_path / "decoder.onnx")
    tokenizer = tokenizer_file(tmp_path / "tokenizer.json")
    specs = inspect_model(path, shapes=False).inputs
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs(specs, tokenizer=str(tokenizer))
    ids, mask, key, _ = panel.editors
    assert ids.kind.currentData() == "text" and mask.kind.findData("text") == -1 and key.kind.findData("text") == -1
    assert ids.value.shape == (1, 14)  # [CLS], ten words, a comma and a full stop (unknown here), [SEP]
    ids.text.setText("hello world")
    ids.text.editingFinished.emit()
    feeds = panel.feeds()
    assert feeds["input_ids"].tolist() == [[1, 4, 5, 2]] and feeds["attention_mask"].shape == (1, 5)  # past 1
    assert ids.info.text().startswith("4 tokens: [CLS] hello world [SEP]; int64 [1, 4]")
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert session.run(["logits"], feeds)[0].shape == (1, 4, 10)
    bare = InputsPanel()
    qtbot.addWidget(bare)
    bare.set_inputs(specs)
    assert bare.editors[0].kind.findData("text") == -1 and bare.editors[0].kind.currentData() == "random"



def test_texts_a_line_each_are_a_batch_with_its_padding_masked(qtbot, tmp_path) -> None:
    """The Text field takes a text a line: two lines are a batch of two rows, padded to the longer, the attention
    mask 0 over the padding; the field is a few lines high."""
    import onnxruntime as ort

    from onnxstudio.core.inspection import inspect_model
    from tests.models import causal_lm_model, tokenizer_file

    path = causal_lm_model(tmp_path / "lm.onnx")
    tokenizer = tokenizer_file(tmp_path / "tokenizer.json")
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs(inspect_model(path, shapes=False).inputs, tokenizer=str(tokenizer))
    ids = panel.editors[0]
    ids.text.setText("hello world once\nhello")
    ids.text.editingFinished.emit()
    feeds = panel.feeds()
    assert feeds["input_ids"].tolist() == [[1, 4, 5, 6, 2], [1, 4, 2, 3, 3]]
    assert feeds["attention_mask"].tolist() == [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]
    mask = panel.editors[1]  # its editor says what is fed: not the constant 1 it holds
    assert "0 over the padding of the texts" in mask.info.text() and "min 0" in mask.info.text(), mask.info.text()
    assert (mask.value == 1).all()
    ids.text.setText("hello world once")  # one text: no padding, the mask's own value again
    ids.text.editingFinished.emit()
    panel.feeds()
    assert "padding" not in mask.info.text() and "min 1" in mask.info.text(), mask.info.text()
    assert ids.text.height() >= 3 * ids.text.fontMetrics().lineSpacing()
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert session.run(["logits"], feeds)[0].shape == (2, 5, 12)

def test_positions_start_after_the_cache_as_it_is_set(qtbot, tmp_path) -> None:
    """A decoder's position_ids follow its cache: past_sequence_length 4 and a prompt of 3 tokens: 4, 5, 6."""
    panel = InputsPanel()
    qtbot.addWidget(panel)
    ints = [("input_ids", ("batch_size", "sequence_length")), ("attention_mask", ("batch_size", "past_sequence_length + 1")),
            ("position_ids", ("batch_size", "sequence_length"))]
    panel.set_inputs([*(ValueSpec(n, "tensor", "int64", s, "tensor(int64)") for n, s in ints),
                      ValueSpec("past_key_values.0.key", "tensor", "float32", ("batch_size", 2, "past_sequence_length", 4),
                                "tensor(float)")])
    ids, _, positions, _ = panel.editors
    panel.dim_spins["past_sequence_length"].setValue(4)
    np.save(tmp_path / "prompt.npy", np.array([[5, 6, 7]], np.int64))
    ids.set_file(tmp_path / "prompt.npy")
    feeds = panel.feeds()
    assert feeds["attention_mask"].shape == (1, 7) and feeds["position_ids"].tolist() == [[4, 5, 6]]
    assert positions.source().start == 4  # the command line counts them from the mask the same way
    panel.dim_spins["past_sequence_length"].setValue(0)  # back on auto: a cache of 1
    assert panel.feeds()["position_ids"].tolist() == [[1, 2, 3]]


def test_a_video_input_starts_on_a_still_clip_and_shows_its_first_frame(qtbot) -> None:
    """torchvision's video models take [N, C, T, H, W]: the input starts on the bundled photo repeated as the clip's
    frames, its first frame shown; a free clip length starts at 16 frames."""
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.set_inputs([ValueSpec("video", "tensor", "float32", (1, 3, "frames", 112, 112), "tensor(float)")])
    (editor,) = panel.editors
    assert editor.kind.currentData() == "image" and editor.recipe.recipe().layout == "NCTHW"
    assert editor.value.shape == (1, 3, 16, 112, 112) and editor.preview.isVisibleTo(editor)
    assert editor.picture().shape == (112, 112, 3) and "repeated as 16 frames" in editor.info.text()
