"""Input sources and the image recipe, each checked against a numpy reference of the same recipe."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import numpy_helper
from PIL import Image

from onnxstudio.core.errors import InputError
from onnxstudio.core.imaging import ImageRecipe, guess_recipe
from onnxstudio.core.inputs import (
    ArrayFileSource,
    ConstantSource,
    ImageSource,
    LiteralSource,
    RandomSource,
    SizeSource,
    build_feeds,
    build_input,
    default_dims,
    default_reason,
    default_source,
    defaulted_dims,
    defaults_hint,
    describe_source,
    feed_value,
    model_dims,
    parse_source,
    validate_feeds,
)
from onnxstudio.core.values import ValueSpec


def spec(shape, dtype="float32", name="x") -> ValueSpec:
    return ValueSpec(name, "tensor", dtype, tuple(shape), f"tensor({dtype})")


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    arr = rng.integers(0, 256, (30, 40, 3), dtype=np.uint8)  # H=30, W=40
    p = tmp_path / "photo.png"
    Image.fromarray(arr).save(p)
    return p


def _reference(path: Path, recipe: ImageRecipe) -> np.ndarray:
    """The recipe spelled out with Pillow + numpy, independently of onnxstudio.core.imaging."""
    img = Image.open(path).convert("L" if recipe.color == "GRAY" else "RGB")
    th, tw = recipe.size
    w, h = img.size
    if recipe.resize == "stretch":
        img = img.resize((tw, th), {"bilinear": Image.BILINEAR, "box": Image.BOX}[recipe.interpolation])
    elif recipe.resize == "letterbox":
        s = min(tw / w, th / h)
        nw, nh = round(w * s), round(h * s)
        canvas = Image.new(img.mode, (tw, th), 0)
        canvas.paste(img.resize((nw, nh), Image.BILINEAR), ((tw - nw) // 2, (th - nh) // 2))
        img = canvas
    else:
        s = max(tw / w, th / h)
        nw, nh = max(tw, round(w * s)), max(th, round(h * s))
        img = img.resize((nw, nh), Image.BILINEAR)
        left, top = (nw - tw) // 2, (nh - th) // 2
        img = img.crop((left, top, left + tw, top + th))
    x = np.asarray(img, dtype=np.float32)
    x = x[..., None] if x.ndim == 2 else x
    if recipe.color == "BGR":
        x = x[..., ::-1]
    x = {"0-1": x / 255.0, "0-255": x, "-1-1": x / 127.5 - 1.0}[recipe.scale]
    x = (x - np.array(recipe.mean, np.float32)) / np.array(recipe.std, np.float32)
    if recipe.layout == "NCHW":
        x = x.transpose(2, 0, 1)
    return x[None].astype(recipe.dtype)


@pytest.mark.parametrize("recipe", [
    ImageRecipe(resize="stretch", size=(16, 16)),
    ImageRecipe(resize="letterbox", size=(24, 24), color="BGR"),
    ImageRecipe(resize="center_crop", size=(20, 20), layout="NHWC", scale="-1-1"),
    ImageRecipe(size=(8, 12), color="GRAY", scale="0-255"),
    ImageRecipe(size=(16, 16)).with_preset("imagenet"),
    ImageRecipe(size=(16, 16), dtype="float16"),
    ImageRecipe(size=(8, 8), color="GRAY", interpolation="box"),
], ids=["stretch", "letterbox-bgr", "crop-nhwc-pm1", "gray-255", "imagenet", "fp16", "gray-box"])
def test_image_recipes_match_reference(photo: Path, recipe: ImageRecipe) -> None:
    shape = (1, recipe.channels, *recipe.size) if recipe.layout == "NCHW" else (1, *recipe.size, recipe.channels)
    got = build_input(spec(shape, recipe.dtype), ImageSource(str(photo), recipe))
    want = _reference(photo, recipe)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got.astype(np.float32), want.astype(np.float32), rtol=1e-3, atol=1e-3)


def test_uint8_image_input(photo: Path) -> None:
    s = spec((1, 10, 10, 3), "uint8")
    recipe = guess_recipe(s)
    assert recipe is not None and recipe.layout == "NHWC" and recipe.scale == "0-255"
    got = build_input(s, ImageSource(str(photo)))
    assert got.dtype == np.uint8 and got.shape == (1, 10, 10, 3)


def test_guess_recipe_from_shapes() -> None:
    assert guess_recipe(spec((1, 3, 224, 224))).size == (224, 224)
    assert guess_recipe(spec(("N", 1, 28, 28))).color == "GRAY"
    assert guess_recipe(spec((1, "h", "w", 3))).layout == "NHWC"
    assert guess_recipe(spec((1, 80))) is None
    assert guess_recipe(spec(("batch", 43844, 1))) is None  # basic-pitch's audio window, not a 1-pixel-wide image


def test_symbolic_image_dims_from_the_image_or_the_user(photo: Path, tmp_path: Path) -> None:
    """Free sides: the picture's own size on a multiple of 32 (a 400 x 600 photo as it is breaks PP-OCR's text
    detector inside its graph), or the dims the user set."""
    s = spec((1, 3, "height", "width"))
    assert build_input(s, ImageSource(str(photo))).shape == (1, 3, 32, 32)  # 30 x 40
    Image.new("RGB", (600, 400)).save(tmp_path / "wide.png")
    assert build_input(s, ImageSource(str(tmp_path / "wide.png"))).shape == (1, 3, 416, 608)
    Image.new("RGB", (640, 480)).save(tmp_path / "vga.png")
    assert build_input(s, ImageSource(str(tmp_path / "vga.png"))).shape == (1, 3, 480, 640)  # already on it
    assert build_input(s, ImageSource(str(photo)), {"height": 8, "width": 6}).shape == (1, 3, 8, 6)


def test_one_fixed_side_keeps_the_aspect_ratio(photo: Path, tmp_path: Path) -> None:
    """An OCR line recogniser ([1, 1, 64, width]) gets the picture at height 64, its width in proportion; a
    folder is one batch at the first image's size; a photo turned by EXIF is measured as it is shown."""
    line = spec((1, 1, 64, "image_width"))
    got = build_input(line, ImageSource(str(photo)))  # 30 x 40 -> 64 x 85
    assert got.shape == (1, 1, 64, 85)
    assert build_input(line, ImageSource(str(photo)), {"image_width": 100}).shape == (1, 1, 64, 100)
    assert build_input(spec(("h", 24, 3)), ImageSource(str(photo))).shape == (18, 24, 3)  # HWC, width fixed
    folder = tmp_path / "lines"
    folder.mkdir()
    Image.open(photo).save(folder / "a.png")
    Image.open(photo).resize((20, 10)).save(folder / "b.png")  # another aspect: stretched to the batch's size
    assert build_input(spec(("n", 1, 64, "w")), ImageSource(str(folder))).shape == (2, 1, 64, 85)
    turned = tmp_path / "turned.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated a quarter: shown 40 high, 30 wide
    Image.open(photo).save(turned, exif=exif)
    assert build_input(line, ImageSource(str(turned))).shape == (1, 1, 64, 48)


def test_high_depth_pictures_keep_their_contrast(tmp_path: Path) -> None:
    """A 16-bit PNG (depth maps, X-rays) and a float TIFF in 0-1 are scaled to 0-255 like 8-bit pictures; Pillow's
    own conversion clips them (white, black). Other float ranges are stretched."""
    ramp = np.linspace(0, 1, 40 * 30).reshape(30, 40)
    Image.fromarray((ramp * 65535).astype(np.uint16)).save(tmp_path / "deep.png")
    Image.fromarray(ramp.astype(np.float32)).save(tmp_path / "unit.tif")
    Image.fromarray((ramp * 1000 - 500).astype(np.float32)).save(tmp_path / "wide.tif")
    for name in ("deep.png", "unit.tif", "wide.tif"):
        got = build_input(spec((1, 1, 30, 40)), ImageSource(str(tmp_path / name)))
        assert np.allclose(got[0, 0], ramp, atol=2e-3), name  # scale 0-1 after the recipe
        rgb = build_input(spec((1, 3, 15, 20)), ImageSource(str(tmp_path / name)))
        assert rgb.shape == (1, 3, 15, 20) and np.allclose(rgb[0, 0], rgb[0, 2]) and 0.45 < rgb.mean() < 0.55
    boxed = ImageSource(str(tmp_path / "deep.png"), ImageRecipe(resize="letterbox", size=(40, 40), color="GRAY"))
    assert build_input(spec((1, 1, 40, 40)), boxed)[0, 0, :5].max() == 0  # padded rows


def test_a_decompression_bomb_is_one_line(photo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pillow refuses pictures over twice its pixel limit (~179 Mpx) with its own exception, not an OSError."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # the 30 x 40 photo is over twice that
    with pytest.raises(InputError, match=r"photo.png: too large to read safely \(Image size \(1200 pixels\)"):
        build_input(spec((1, 3, 30, "w")), ImageSource(str(photo)))


def test_ultralytics_models_get_letterboxed_pictures(photo: Path) -> None:
    """Ultralytics' exports (their metadata: stride, task, names) take pictures letterboxed on grey 114: a 30 x 40
    photo in a 64 x 64 input keeps its proportions, grey above and below."""
    from onnxstudio.core.imaging import recipe_for_model

    yolo = {"stride": "32", "task": "detect", "names": "{0: 'person'}", "imgsz": "[64, 64]"}
    s = spec((1, 3, 64, 64))
    recipe = recipe_for_model(s, yolo)
    assert recipe is not None and (recipe.resize, recipe.pad_value, recipe.size) == ("letterbox", 114, (64, 64))
    assert recipe_for_model(s, {"author": "someone"}) == recipe_for_model(s) == guess_recipe(s)
    x = build_input(s, ImageSource(str(photo), recipe))
    assert x.shape == (1, 3, 64, 64)
    assert np.allclose(x[0, :, :8], 114 / 255) and np.allclose(x[0, :, -8:], 114 / 255)  # 48 rows of picture
    assert not np.allclose(x[0, :, 32], 114 / 255)
    free = recipe_for_model(spec((1, 3, "height", "width")), yolo)  # NudeNet: dynamic, trained at imgsz
    assert free is not None and free.size == (64, 64)
    assert build_input(spec((1, 3, "height", "width")), ImageSource(str(photo), free)).shape == (1, 3, 64, 64)
    # with nothing fed (random data, the compute count), its free height and width start at imgsz too, not 224
    dynamic = spec(("batch", 3, "height", "width"))
    assert model_dims([dynamic], yolo) == {"height": 64, "width": 64}
    assert build_input(dynamic, RandomSource(), model_dims([dynamic], yolo)).shape == (1, 3, 64, 64)
    assert model_dims([dynamic], {**yolo, "imgsz": "[640]"}) == {} and model_dims([s], yolo) == {}
    assert model_dims([dynamic], {**yolo, "imgsz": "[384, 640]"}) == {"height": 384, "width": 640}


def test_folder_of_images_is_a_batch(photo: Path, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(3):
        Image.open(photo).save(folder / f"{i}.png")
    assert build_input(spec(("batch", 3, 16, 16)), ImageSource(str(folder))).shape == (3, 3, 16, 16)
    with pytest.raises(InputError, match=r"^input 'x' takes one picture at a time \(its batch is fixed at 1\); "
                                         r"batch holds 3: choose one of them$"):
        build_input(spec((1, 3, 16, 16)), ImageSource(str(folder)))


def test_array_files(tmp_path: Path) -> None:
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.save(tmp_path / "a.npy", a)
    np.savez(tmp_path / "many.npz", x=a, other=a * 2)
    (tmp_path / "a.pb").write_bytes(numpy_helper.from_array(a).SerializeToString())
    s = spec((2, 3))
    for src in (ArrayFileSource(str(tmp_path / "a.npy")), ArrayFileSource(str(tmp_path / "many.npz")),
                ArrayFileSource(str(tmp_path / "a.pb"))):
        np.testing.assert_array_equal(build_input(s, src), a)
    np.testing.assert_array_equal(build_input(s, parse_source(f"{tmp_path}/many.npz:other")), a * 2)


def test_random_is_seeded_and_ranged() -> None:
    s = spec((100,), "int64")
    a = build_input(s, RandomSource(seed=3, low=5, high=8))
    assert a.dtype == np.int64 and a.min() >= 5 and a.max() < 8
    np.testing.assert_array_equal(a, build_input(s, RandomSource(seed=3, low=5, high=8)))
    f = build_input(spec((1000,)), RandomSource(seed=0, distribution="normal", low=10, high=2))
    assert abs(f.mean() - 10) < 0.3 and abs(f.std() - 2) < 0.3
    assert build_input(spec((4,), "bool"), RandomSource()).dtype == np.bool_
    assert build_input(spec((2,), "string"), RandomSource()).dtype == object


def test_constants_and_literals() -> None:
    assert build_input(spec((2, 2), "float16"), ConstantSource(1)).tolist() == [[1, 1], [1, 1]]
    np.testing.assert_array_equal(build_input(spec((3,), "int32"), LiteralSource("[1, 2, 3]")), [1, 2, 3])
    assert build_input(spec((), "float32"), LiteralSource("2.5")).item() == 2.5
    with pytest.raises(InputError, match="not a literal"):
        build_input(spec((3,)), LiteralSource("[1, 2"))


def test_parse_source() -> None:
    assert parse_source("random:7") == RandomSource(seed=7)
    assert parse_source("zeros") == ConstantSource(0.0)
    assert parse_source("ones") == ConstantSource(1.0)
    assert isinstance(parse_source("x.npy"), ArrayFileSource)
    assert isinstance(parse_source("cat.JPG"), ImageSource)
    assert isinstance(parse_source("[1, 2]"), LiteralSource)
    with pytest.raises(InputError, match="cannot tell"):
        parse_source("banana")


def test_default_dims() -> None:
    assert default_dims(spec(("batch", 3, "h", "w"))) == {"batch": 1, "h": 224, "w": 224}
    assert default_dims(spec(("batch", "seq"), "int64")) == {"batch": 1, "seq": 1}  # token ids
    assert default_dims(spec(("batch", "samples"))) == {"batch": 1, "samples": 512}  # a window of audio
    assert default_dims(spec((None, None))) == {"x:0": 1, "x:1": 512}  # Silero VAD v5's [?, ?]
    assert default_dims(spec(("batch", 1, "n"))) == {"batch": 1, "n": 512}
    assert default_dims(spec(("batch", "seq", 768))) == {"batch": 1, "seq": 1}  # hidden states, not audio


def test_default_sources_for_a_sample_rate_and_a_state() -> None:
    assert default_source(spec((), "int64", "sr")) == ConstantSource(16000.0)
    assert default_source(spec((1,), "int32", "sample_rate")) == ConstantSource(16000.0)
    for name in ("state", "h", "c0", "past_key_values.0.key", "rnn_state_in"):
        assert default_source(spec((2, 1, 64), name=name)) == ConstantSource(0.0), name
    for name, dtype in (("x", "float32"), ("hidden_states", "float32"), ("sr", "float32"), ("state", "int64"),
                        ("statement", "float32")):
        assert default_source(spec((1,), dtype, name)) == RandomSource(0), name


def test_a_transformers_mask_and_token_types_start_as_a_tokenizer_gives_them() -> None:
    """BERT's attention_mask is all ones for one text and its token_type_ids all zeros: random 0/1 would punch
    holes in the text and split it in two segments (a real session: test_real_world)."""
    ids = ["batch", "sequence"]
    for name, value in (("attention_mask", 1.0), ("input_mask", 1.0), ("token_type_ids", 0.0), ("segment_ids", 0.0)):
        assert default_source(spec(ids, "int64", name)) == ConstantSource(value), name
        assert default_reason(spec(ids, "int64", name)).startswith(f"constant {value:g} ("), name
    assert default_source(spec(ids, "int64", "input_ids")) == RandomSource(0)
    assert default_source(spec((1, 1, 64, 64), "float32", "mask")) == RandomSource(0)  # an inpainting mask


@pytest.mark.parametrize("value,message", [
    (np.zeros((1, 3), np.complex64), "wants float32 \\[batch, 3\\], got complex64 \\[1, 3\\] \\(wrong dtype\\)"),
    (np.zeros((3,), np.float32), "rank 1 instead of 2"),
    (np.zeros((1, 4), np.float32), "dim 1 must be 3"),
])
def test_validation_names_the_input(value: np.ndarray, message: str) -> None:
    with pytest.raises(InputError, match=f"input 'x': the model wants .*{message}" if "rank" in message
                       or "dim 1" in message else message):
        validate_feeds([spec(("batch", 3))], {"x": value})


def test_an_empty_npz_is_one_line(tmp_path: Path) -> None:
    np.savez(tmp_path / "empty.npz")
    with pytest.raises(InputError, match="^input 'x': empty.npz holds no arrays$"):
        build_input(spec((1, 3)), ArrayFileSource(str(tmp_path / "empty.npz")))


def test_data_of_another_type_is_converted_where_its_values_stay() -> None:
    """numpy saves float64 by default: a float32 input takes it, converted, and says so; integers convert to an
    integer type that holds them all; floats never become integers."""
    notes: list[str] = []
    feeds = {"x": np.full((1, 3), 0.1), "ids": np.array([[1, 2]], np.int32)}
    validate_feeds([spec(("batch", 3)), spec((1, 2), "int64", "ids")], feeds, notes)
    assert feeds["x"].dtype == np.float32 and np.allclose(feeds["x"], 0.1) and feeds["ids"].dtype == np.int64
    assert notes == ["input 'x': float64 data converted to float32", "input 'ids': int32 data converted to int64"]
    validate_feeds([spec((2,), "uint8")], {"x": np.array([0, 255], np.int64)})
    with pytest.raises(InputError, match="got int64 \\[2\\] \\(wrong dtype\\)"):
        validate_feeds([spec((2,), "uint8")], {"x": np.array([0, 256], np.int64)})
    with pytest.raises(InputError, match="wants int64 \\[2\\], got float32"):
        validate_feeds([spec((2,), "int64")], {"x": np.zeros(2, np.float32)})


def test_pictures_saved_as_integers_masks_and_other_byte_orders_are_converted() -> None:
    """A uint8 picture saved with np.save feeds a float input (every value exact), a boolean mask feeds numbers,
    big-endian data (saved on or for another machine) is put in the machine's order; integers a float type cannot
    hold exactly are refused."""
    notes: list[str] = []
    picture = np.arange(6, dtype=np.uint8).reshape(2, 3) * 50
    feeds = {"x": picture, "m": np.array([True, False]), "b": np.arange(3, dtype=">f4"), "i": np.arange(2, dtype=">i8")}
    validate_feeds([spec((2, 3)), spec((2,), "int64", "m"), spec((3,), "float32", "b"), spec((2,), "int64", "i")],
                   feeds, notes)
    assert feeds["x"].dtype == np.float32 and np.array_equal(feeds["x"], picture)
    assert feeds["m"].tolist() == [1, 0] and feeds["b"].dtype.isnative and feeds["b"].tolist() == [0, 1, 2]
    assert feeds["i"].dtype == np.int64 and feeds["i"].dtype.isnative
    assert notes == ["input 'x': uint8 data converted to float32", "input 'm': bool data converted to int64",
                     "input 'b': big-endian float32 data converted to float32",
                     "input 'i': big-endian int64 data converted to int64"]
    validate_feeds([spec((1,), "float16")], {"x": np.array([2048])})
    with pytest.raises(InputError, match="got int64 \\[1\\] \\(wrong dtype\\)"):
        validate_feeds([spec((1,), "float16")], {"x": np.array([2049])})
    with pytest.raises(InputError, match="got int64 \\[1\\] \\(wrong dtype\\)"):
        validate_feeds([spec((1,), "float32")], {"x": np.array([2**24 + 1])})


def test_validation_of_missing_unknown_and_inconsistent_inputs() -> None:
    specs = [spec(("batch", 3), name="a"), spec(("batch",), name="b")]
    with pytest.raises(InputError, match="input 'b' is missing"):
        validate_feeds(specs, {"a": np.zeros((1, 3), np.float32)})
    with pytest.raises(InputError, match="no input named 'c'"):
        build_feeds(specs, {"c": RandomSource()})
    with pytest.raises(InputError, match="dim 'batch' is 2 here but 1"):
        validate_feeds(specs, {"a": np.zeros((1, 3), np.float32), "b": np.zeros(2, np.float32)})


def test_feeds_for_a_real_model() -> None:
    light = Path(onnx.__file__).parent / "backend/test/data/light/light_squeezenet.onnx"
    from onnxstudio.core.inspection import inspect_model

    report = inspect_model(light, shapes=False)
    feeds = build_feeds(report.inputs, {})
    assert feeds[report.inputs[0].name].shape == (1, 3, 224, 224)


def test_digits_sample_is_classified_with_the_documented_recipe() -> None:
    """The bundled classifier's metadata says: grayscale, resize to 8x8 with BOX, values / 255."""
    from onnxstudio.core.engine import Engine
    from onnxstudio.core.inspection import inspect_model
    from onnxstudio.resources import resource_path

    model = resource_path("samples", "digits_classifier.onnx")
    report = inspect_model(model, shapes=False)
    recipe = ImageRecipe(size=(8, 8), color="GRAY", interpolation="box")
    images = sorted(resource_path("samples", "digits").glob("digit_*.png"))
    with Engine(model) as eng:
        for image in images:
            feeds = build_feeds(report.inputs, {"image": ImageSource(str(image), recipe)})
            probs = eng.run(feeds).outputs[1].value
            assert int(probs.argmax()) == int(image.stem.split("_")[1]), image.name


def test_unknown_dims_have_defaults_and_can_be_set() -> None:
    s = ValueSpec("x", "tensor", "float32", (None, 3, None, None), "tensor(float)")
    assert default_dims(s) == {"x:0": 1, "x:2": 224, "x:3": 224}
    assert build_input(s, RandomSource()).shape == (1, 3, 224, 224)
    assert build_input(s, RandomSource(), {"x:0": 2, "x:2": 32, "x:3": 16}).shape == (2, 3, 32, 16)


def _wav(path: Path, frames: np.ndarray, width: int, rate: int = 16000) -> Path:
    """Write PCM frames [n, channels] of ``width`` bytes per sample with the stdlib, as a recorder would."""
    import wave

    if width == 3:
        data = b"".join(int(v).to_bytes(3, "little", signed=True) for v in frames.reshape(-1))
    else:
        data = frames.astype({1: np.uint8, 2: "<i2", 4: "<i4"}[width]).tobytes()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(frames.shape[1])
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(data)
    return path


def test_wav_files_are_audio_samples(tmp_path: Path) -> None:
    """Audio models (Silero VAD: [batch, samples]) take a recording: mono float32 in [-1, 1] at the input's rank."""
    t = np.arange(800)
    tone = np.sin(2 * np.pi * 440 * t / 16000)
    stereo16 = np.stack([tone * 16384, tone * 8192], axis=1).round()
    p16 = _wav(tmp_path / "a.wav", stereo16, 2)
    expected = ((stereo16[:, 0] + stereo16[:, 1]) / 2 / 32768).astype(np.float32)
    two = build_input(spec(("batch", "samples")), parse_source(str(p16)))
    assert two.shape == (1, 800) and two.dtype == np.float32 and np.allclose(two[0], expected)
    assert build_input(spec((None,)), ArrayFileSource(str(p16))).shape == (800,)
    assert build_input(spec((1, 1, None)), ArrayFileSource(str(p16))).shape == (1, 1, 800)
    raw = build_input(spec(("n",), "int16"), ArrayFileSource(str(p16)))
    assert raw.dtype == np.int16 and raw[10] == round((stereo16[10, 0] + stereo16[10, 1]) / 2)
    mono = (tone * 0.5)[:, None]
    for width, scale, offset in ((1, 127, 128), (3, 2**23 - 1, 0), (4, 2**31 - 1, 0)):
        q = _wav(tmp_path / f"w{width}.wav", (mono * scale).round() + offset, width)
        got = build_input(spec(("samples",)), ArrayFileSource(str(q)))
        assert np.allclose(got, tone * 0.5, atol=2 / scale), width
    from onnxstudio.core.inputs import describe_source

    assert describe_source(ArrayFileSource(str(p16))).endswith("(16000 Hz)")


def test_a_speech_models_extractor_normalizes_the_waveform(tmp_path: Path) -> None:
    """wav2vec2's preprocessor_config.json (a feature a sample, do_normalize) feeds the waveform at zero mean and
    unit variance, before a fixed window's padding; Whisper's log-mel extractor says nothing of the waveform."""
    import json

    from onnxstudio.core.hf_processor import waveform_normalizer_beside
    from onnxstudio.core.inputs import describe_source

    tone = (np.sin(np.arange(1000) / 5) * 8000 + 3000).round()[:, None]
    p = _wav(tmp_path / "tone.wav", tone, 2)
    got = build_input(spec(("batch", "samples")), ArrayFileSource(str(p), normalize=True))
    assert got.shape == (1, 1000) and abs(float(got.mean())) < 1e-5 and float(got.std()) == pytest.approx(1, abs=1e-4)
    padded = build_input(spec(("batch", 1200)), ArrayFileSource(str(p), normalize=True))
    assert np.allclose(padded[0, :1000], got[0], atol=1e-6) and not padded[0, 1000:].any()
    assert describe_source(ArrayFileSource(str(p), normalize=True)).endswith("(16000 Hz, normalized)")
    model = tmp_path / "onnx" / "model.onnx"
    model.parent.mkdir()
    assert waveform_normalizer_beside(model) is None
    config = tmp_path / "preprocessor_config.json"
    config.write_text(json.dumps({"feature_extractor_type": "Wav2Vec2FeatureExtractor", "feature_size": 1,
                                  "do_normalize": True, "sampling_rate": 16000, "padding_value": 0.0}))
    assert waveform_normalizer_beside(model) == config
    config.write_text(json.dumps({"feature_extractor_type": "WhisperFeatureExtractor", "feature_size": 80,
                                  "sampling_rate": 16000}))
    assert waveform_normalizer_beside(model) is None


def test_a_wav_fills_a_fixed_audio_window(tmp_path: Path) -> None:
    """basic-pitch takes [batch, 43844, 1]: the samples go on the window's axis, the first window of a longer
    file, zeros after a shorter one; Silero's [sequence, 576] the same on its last axis."""
    tone = (np.sin(np.arange(1000) / 5) * 16000).round()[:, None]
    p = _wav(tmp_path / "tone.wav", tone, 2)
    expected = (tone[:, 0] / 32768).astype(np.float32)
    long = build_input(spec(("batch", 600, 1)), ArrayFileSource(str(p)))
    assert long.shape == (1, 600, 1) and np.allclose(long[0, :, 0], expected[:600])
    short = build_input(spec(("batch", 1500, 1)), ArrayFileSource(str(p)))
    assert short.shape == (1, 1500, 1) and np.allclose(short[0, :1000, 0], expected)
    assert not short[0, 1000:].any()
    assert build_input(spec(("sequence_length", 576)), ArrayFileSource(str(p))).shape == (1, 576)


def test_a_wav_for_an_input_of_audio_features_is_refused_in_one_line(tmp_path: Path) -> None:
    """smart-turn takes Whisper's [batch, 80, 800] log-mel features, EfficientWord-Net [1, 1, 149, 64]: a .wav's
    samples cannot be them; the error says what the model wants instead of a dim mismatch."""
    p = _wav(tmp_path / "tone.wav", np.zeros((800, 1)), 2)
    for shape in (("s6", 80, 800), (1, 1, 149, 64)):
        with pytest.raises(InputError, match=r"tone.wav holds audio samples, but the model wants float32 .*"
                                             r"features computed from audio .* not a waveform; give them as a .npy"):
            build_input(spec(shape), ArrayFileSource(str(p)))
    assert build_input(spec(("batch", 1, "samples")), ArrayFileSource(str(p))).shape == (1, 1, 800)


def test_a_wav_that_is_not_pcm_gets_one_line(tmp_path: Path) -> None:
    p = tmp_path / "float.wav"  # IEEE float samples (format 3): the stdlib reader takes PCM only
    header = b"RIFF" + (36 + 8).to_bytes(4, "little") + b"WAVEfmt " + (16).to_bytes(4, "little")
    header += (3).to_bytes(2, "little") + (1).to_bytes(2, "little") + (16000).to_bytes(4, "little")
    header += (64000).to_bytes(4, "little") + (4).to_bytes(2, "little") + (32).to_bytes(2, "little")
    p.write_bytes(header + b"data" + (8).to_bytes(4, "little") + np.zeros(2, np.float32).tobytes())
    with pytest.raises(InputError, match=r"input 'x': cannot read float.wav: ") as info:
        build_input(spec(("samples",)), ArrayFileSource(str(p)))
    assert "\n" not in str(info.value)


def test_sequence_inputs_from_literals_and_npz(tmp_path: Path) -> None:
    """A seq(tensor) input: a literal's outer list is the sequence (tensors of any shapes), a .npz gives all its
    arrays in order; run in a real session, they come back as they went in."""
    from onnx import TensorProto, helper

    from onnxstudio.core.engine import Engine
    from onnxstudio.core.inputs import build_sequence, feed_value
    from onnxstudio.core.inspection import inspect_model

    seq_type = helper.make_tensor_sequence_value_info
    g = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "g", [seq_type("x", TensorProto.FLOAT, None)],
                          [seq_type("y", TensorProto.FLOAT, None)])
    path = tmp_path / "seq.onnx"
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    x = inspect_model(path, shapes=False).inputs[0]
    assert x.type == "sequence"
    ragged = feed_value(x, parse_source("[[1, 2], [3, 4, 5]]"))
    assert [a.tolist() for a in ragged] == [[1, 2], [3, 4, 5]] and ragged[0].dtype == np.float32
    np.savez(tmp_path / "parts.npz", first=np.ones(2, np.float32), second=np.zeros((2, 2), np.float32))
    parts = build_sequence(x, parse_source(str(tmp_path / "parts.npz")))
    assert [a.shape for a in parts] == [(2,), (2, 2)]
    assert [a.shape for a in build_sequence(x, parse_source(f"{tmp_path / 'parts.npz'}:second"))] == [(2, 2)]
    with pytest.raises(InputError, match=r"\[\[1, 2\], \[3\]\] is a sequence of two tensors"):
        feed_value(x, RandomSource(0))  # no element shape to draw random data for
    with Engine(path) as engine:
        out = engine.run({"x": ragged}).outputs[0]
    assert out.kind == "sequence" and [a.tolist() for a in out.value] == [[1, 2], [3, 4, 5]]


def test_an_optional_sequence_input_takes_a_list(tmp_path: Path) -> None:
    from onnx import TensorProto, helper

    from onnxstudio.core.engine import Engine
    from onnxstudio.core.inputs import feed_value
    from onnxstudio.core.inspection import inspect_model

    opt_seq = helper.make_optional_type_proto(helper.make_sequence_type_proto(
        helper.make_tensor_type_proto(TensorProto.FLOAT, None)))
    g = helper.make_graph([helper.make_node("Identity", ["o"], ["p"])], "g",
                          [helper.make_value_info("o", opt_seq)], [helper.make_value_info("p", opt_seq)])
    path = tmp_path / "opt.onnx"
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 18)]), str(path))
    spec = inspect_model(path, shapes=False).inputs[0]
    value = feed_value(spec, parse_source("[[1, 2], [3]]"))
    assert spec.type == "optional" and isinstance(value, list) and len(value) == 2
    with Engine(path) as engine:
        out = engine.run({"o": value}).outputs[0]
    assert [a.tolist() for a in out.value] == [[1, 2], [3]]


def test_one_picture_fills_a_fixed_batch_and_integer_tensors_are_not_pictures(photo: Path) -> None:
    """Found opening every model of onnx's node tests in the app: 297 of 1,884 started with an error. A [2, 3, 4,
    8] input got the sample photo once ("dim 0 must be 2"); an int64 [3, 6, 6] (a loss's class targets) was taken
    for a picture and fed float32."""
    batch = build_input(spec((2, 3, 16, 16)), ImageSource(str(photo)))
    assert batch.shape == (2, 3, 16, 16) and np.array_equal(batch[0], batch[1])
    assert guess_recipe(spec((3, 6, 6), "int64")) is None and guess_recipe(spec((1, 3, 8, 8), "bool")) is None
    assert guess_recipe(spec((1, 224, 224, 3), "uint8")).dtype == "uint8"
    assert build_feeds([spec((3, 6, 6), "int64")], {}, {})["x"].dtype == np.int64


def test_a_paddleocr_recogniser_reads_lines_48_pixels_high(photo: Path) -> None:
    """RapidOCR's PP-OCRv4 recogniser leaves its height free ([?, 3, ?, ?]) and fails inside its graph at 224 or
    a photo's own height; its `character` metadata says it is PaddleOCR's, whose lines are 48 px high."""
    rec = ValueSpec("x", "tensor", "float32", ("b", 3, None, "w"), "tensor(float)")
    assert model_dims([rec], {"character": "a\nb"}) == {"x:2": 48}
    assert model_dims([rec], {}) == {} and model_dims([spec((1, 3, 48, "w"))], {"character": "a"}) == {}
    picture = build_input(rec, ImageSource(str(photo)), model_dims([rec], {"character": "a"}))
    assert picture.shape == (1, 3, 48, 64)  # the photo is 30 x 40: 48 high, its width follows (64)
    # paddle2onnx's PP-OCRv2 recogniser has no metadata: its one output, [batch, time, 6625 characters], says it
    ctc = ValueSpec("save_infer_model/scale_0.tmp_1", "tensor", "float32", (None, 25, 6625), "tensor(float)")
    assert model_dims([rec], {}, [ctc], "PaddlePaddle") == {"x:2": 48}
    assert model_dims([rec], {}, [ctc], "pytorch") == {}  # a ViT's [batch, tokens, hidden] is not a text line
    boxes = ValueSpec("det", "tensor", "float32", (None, 1, None, None), "tensor(float)")
    assert model_dims([rec], {}, [boxes], "PaddlePaddle") == {} and model_dims([rec], {}, [ctc, ctc], "PaddlePaddle") == {}


def test_scalar_and_empty_inputs_run_on_their_defaults(tmp_path: Path) -> None:
    """A bool or string scalar is a 0-d array (numpy's scalars are refused by onnxruntime: an If's condition
    failed); a dim declared 0 is an empty tensor, which onnxruntime holds the input to (1 was refused)."""
    import onnxruntime as ort
    from onnx import TensorProto, helper

    from onnxstudio.core.inspection import inspect_model
    from tests.models import if_model

    path = if_model(tmp_path / "if.onnx")
    feeds = build_feeds(inspect_model(path, shapes=False).inputs, {})
    assert isinstance(feeds["cond"], np.ndarray) and feeds["cond"].shape == () and feeds["cond"].dtype == np.bool_
    ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, feeds)
    inputs = [helper.make_tensor_value_info("word", TensorProto.STRING, []),
              helper.make_tensor_value_info("empty", TensorProto.FLOAT, [0, 3])]
    outputs = [helper.make_tensor_value_info("same", TensorProto.STRING, []),
               helper.make_tensor_value_info("none", TensorProto.FLOAT, [0, 3])]
    nodes = [helper.make_node("Identity", ["word"], ["same"]), helper.make_node("Identity", ["empty"], ["none"])]
    model = helper.make_model(helper.make_graph(nodes, "g", inputs, outputs),
                              opset_imports=[helper.make_opsetid("", 17)], ir_version=9)
    onnx.save(model, tmp_path / "scalars.onnx")
    specs = inspect_model(tmp_path / "scalars.onnx", shapes=False).inputs
    feeds = build_feeds(specs, {"word": RandomSource(1)})
    assert feeds["word"].shape == () and feeds["word"].dtype == object and feeds["empty"].shape == (0, 3)
    word, none = ort.InferenceSession(str(tmp_path / "scalars.onnx"), providers=["CPUExecutionProvider"]).run(
        None, feeds)
    assert word == feeds["word"] and none.shape == (0, 3)


def test_position_ids_start_on_a_prompts_positions() -> None:
    """A decoder's position_ids count 0, 1, 2, ... along each row (random ones jumble the prompt's order);
    `positions` says so on the command line and comes back from the app's command line."""
    from onnxstudio.core.inputs import PositionsSource, describe_source
    from onnxstudio.core.reproduce import source_arg

    ids = spec(("batch", "sequence"), "int64", "input_ids")
    positions = spec(("batch", "sequence"), "int64", "position_ids")
    assert default_source(positions) == PositionsSource() and "positions 0, 1, 2" in default_reason(positions)
    assert default_source(spec(("batch", "sequence"), "float32", "position_ids")) != PositionsSource()
    feeds = build_feeds([ids, positions], {"input_ids": LiteralSource("[[5, 6, 7], [8, 9, 10]]")})
    assert feeds["position_ids"].tolist() == [[0, 1, 2], [0, 1, 2]] and feeds["position_ids"].dtype == np.int64
    assert parse_source("positions") == PositionsSource() and source_arg(PositionsSource()) == ("positions", "")
    assert describe_source(PositionsSource()) == "positions 0, 1, 2, ..."
    assert build_input(spec((4,), "int32"), PositionsSource()).tolist() == [0, 1, 2, 3]
    with pytest.raises(InputError, match="positions are numbers"):
        build_input(spec((2,), "string"), PositionsSource())


def test_position_ids_start_after_the_cache() -> None:
    """With a key/value cache the new tokens' positions follow it, counted from the attention mask as Hugging
    Face's decoders count them (a left-padded row starts later); without a cache, 0, 1, 2, ..."""
    from onnxstudio.core.inputs import PositionsSource, describe_source

    ids = spec(("batch_size", "sequence_length"), "int64", "input_ids")
    mask = spec(("batch_size", "past_sequence_length + 1"), "int64", "attention_mask")
    positions = spec(("batch_size", "sequence_length"), "int64", "position_ids")
    past = spec(("batch_size", 2, "past_sequence_length", 4), "float32", "past_key_values.0.key")
    specs = [ids, mask, positions, past]
    assert build_feeds(specs, {}, {"past_sequence_length": 4})["position_ids"].tolist() == [[4]]
    prompt = {"input_ids": LiteralSource("[[5, 6, 7]]")}
    assert build_feeds(specs, prompt, {"past_sequence_length": 4})["position_ids"].tolist() == [[4, 5, 6]]
    assert build_feeds(specs, prompt, {"past_sequence_length": 0})["position_ids"].tolist() == [[0, 1, 2]]
    padded = {"input_ids": LiteralSource("[[5, 6], [7, 8]]"), "attention_mask": LiteralSource("[[0, 0, 1, 1], [1, 1, 1, 1]]")}
    assert build_feeds(specs, padded)["position_ids"].tolist() == [[0, 1], [2, 3]]
    assert build_input(positions, PositionsSource(3), {"sequence_length": 2}).tolist() == [[3, 4]]
    assert describe_source(PositionsSource(3)) == "positions 3, 4, ..."


def test_a_pictures_size_input_starts_on_the_pictures_side(tmp_path: Path) -> None:
    """SAM's orig_im_size, RT-DETR's orig_target_sizes, PaddleDetection's im_shape and scale_factor: random sizes
    below 1 made Resize fail inside the graph; they start on the picture's side (scale 1)."""
    import onnxruntime as ort
    from onnx import TensorProto, helper

    nodes = [helper.make_node("Cast", ["orig_im_size"], ["hw"], to=TensorProto.INT64),
             helper.make_node("Concat", ["nc", "hw"], ["sizes"], axis=0),
             helper.make_node("Resize", ["masks", "", "", "sizes"], ["out"], mode="linear")]
    graph = helper.make_graph(nodes, "sam", [
        helper.make_tensor_value_info("masks", TensorProto.FLOAT, [1, 1, 256, 256]),
        helper.make_tensor_value_info("orig_im_size", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(np.array([1, 1], np.int64), "nc")])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9),
              tmp_path / "sam.onnx")
    from onnxstudio.core.inspection import inspect_model

    specs = inspect_model(tmp_path / "sam.onnx", shapes=False).inputs
    feeds = build_feeds(specs, {})
    assert feeds["orig_im_size"].tolist() == [256.0, 256.0]  # the side of the one picture-like input, masks
    out = ort.InferenceSession(str(tmp_path / "sam.onnx"), providers=["CPUExecutionProvider"]).run(None, feeds)[0]
    assert out.shape == (1, 1, 256, 256)
    detr = [spec((1, 3, 640, 640), name="images"), spec((1, 2), "int64", "orig_target_sizes")]
    assert build_feeds(detr, {})["orig_target_sizes"].tolist() == [[640, 640]]
    assert "a picture's size" in default_reason(detr[1], detr)
    paddle = [spec(("N", 3, "H", "W"), name="image"), spec(("N", 2), name="im_shape"),
              spec(("N", 2), name="scale_factor")]
    feeds = build_feeds(paddle, {})
    assert feeds["im_shape"].tolist() == [[224.0, 224.0]] and feeds["scale_factor"].tolist() == [[1.0, 1.0]]
    assert isinstance(default_source(spec((3,), name="im_shape"), paddle), RandomSource)  # not a pair


def test_an_input_too_large_to_build_is_one_line() -> None:
    """Refused before numpy allocates it (the system may promise the pages, and the process is killed filling
    them)."""
    with pytest.raises(InputError, match=r"input 'x' would be \[999999999999, 8\] float32, .* GB of memory free"):
        build_feeds([spec(("batch", 8))], {}, {"batch": 999_999_999_999})
    with pytest.raises(InputError, match=r"input 'x' would be .* set smaller sizes for its free dims"):
        build_feeds([spec(("batch", "n", 8))], {}, {"batch": 2**40, "n": 2**40})


def test_an_input_of_an_element_type_without_data_is_one_line() -> None:
    """A malformed model's input of type 0 (undefined) or a code onnx does not know."""
    for dtype in ("undefined", "type99"):
        with pytest.raises(InputError, match=rf"input 'x' has element type '{dtype}': no data can be made"):
            build_feeds([spec((2,), dtype)], {})


def test_a_pictures_size_follows_the_picture_as_it_is_fed(tmp_path: Path) -> None:
    """PaddleDetection's im_shape holds the fed picture's [h, w]: a 300 x 500 photo on free sides is fed at
    288 x 512 (multiples of 32), and im_shape says so, a row for each picture of the batch."""
    import onnxruntime as ort

    from onnxstudio.core.inspection import inspect_model
    from tests import models

    path = models.picture_size_model(tmp_path / "ppyoloe.onnx")
    specs = inspect_model(path, shapes=False).inputs
    assert default_source(specs[1], specs) == SizeSource("image")
    assert "height and width of 'image' as it is fed" in default_reason(specs[1], specs)
    Image.fromarray(np.zeros((300, 500, 3), np.uint8)).save(tmp_path / "wide.png")
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    for sources, dims, rows in (({}, {}, 1), ({"image": ImageSource(str(tmp_path / "wide.png"))}, {}, 1),
                                ({"image": ImageSource(str(tmp_path / "wide.png"))}, {"N": 3}, 3)):
        feeds = build_feeds(specs, sources, dims)
        gap, scaled = session.run(None, feeds)
        assert gap.tolist() == [[0.0, 0.0]] * rows and scaled.tolist() == [list(feeds["image"].shape[2:])] * rows
    assert feeds["im_shape"].tolist() == [[288.0, 512.0]] * 3
    # given alone (an editor builds it by itself) it holds its own size; a picture that is not there is one line
    assert feed_value(specs[1], SizeSource("image", (480, 640)), {"N": 2}).tolist() == [[480.0, 640.0]] * 2
    with pytest.raises(InputError, match="no picture input named 'photo'"):
        build_feeds(specs, {"im_shape": SizeSource("photo")})
    with pytest.raises(InputError, match=r"\[height, width\] numbers on the last axis; the model wants int64 \[3\]"):
        feed_value(spec((3,), "int64", "im_shape"), SizeSource())


def test_a_pictures_size_on_the_command_line() -> None:
    from onnxstudio.core.reproduce import source_arg

    assert parse_source("size") == SizeSource() and parse_source("size:image") == SizeSource("image")
    assert source_arg(SizeSource("image", (480, 640))) == ("size:image", "") and source_arg(SizeSource())[0] == "size"
    assert describe_source(SizeSource("image")) == "the height and width of image"


def test_dims_left_at_their_defaults_are_named_when_a_run_fails_on_its_shapes() -> None:
    ids = ValueSpec("input_ids", "tensor", "int64", ("batch", "seq"), "tensor(int64)")
    past = ValueSpec("past", "tensor", "float32", ("batch", 2, "past_len", 4), "tensor(float)")
    mask = ValueSpec("mask", "tensor", "int64", ("batch", "past_len + 1"), "tensor(int64)")
    assert defaulted_dims([ids, past, mask], {}, {}) == {"batch": 1, "seq": 1, "past_len": 1}
    assert defaulted_dims([ids, past, mask], {"past_len": 3}, {"seq": 7}) == {"batch": 1}
    failure = "onnxruntime failed to run the model on x [1, 1]: ... Reshape node ... cannot be reshaped"
    assert defaults_hint(failure, {"batch": 1, "seq": 1}, "set them") == (
        " — the free dims were left at their defaults (seq=1); a model exported with sizes fixed inside it runs "
        "only at those: set them")
    assert defaults_hint(failure, {"batch": 1}, "set them") == ""  # a batch of 1 is no arbitrary size
    assert defaults_hint(failure, {}, "x") == "" and defaults_hint("cannot open the model: shape", {"s": 1}, "x") == ""
    assert defaults_hint("onnxruntime failed to run the model: out of memory", {"s": 1}, "x") == ""


def test_a_video_input_takes_a_folder_of_frames_as_one_clip(tmp_path: Path) -> None:
    """torchvision's video models take [N, C, T, H, W], VideoMAE [N, T, C, H, W]: a folder of frames (in name
    order) is one clip, sampled evenly to the frames the model fixes, all of them where it leaves T free; one
    picture is repeated; onnxruntime runs the clip."""
    import onnxruntime as ort
    from onnx import TensorProto, helper

    assert guess_recipe(spec((1, 3, 8, 112, 112))).layout == "NCTHW"
    ntchw = guess_recipe(spec(("batch", "frames", 3, 224, 224)))
    assert ntchw.layout == "NTCHW" and ntchw.size == (224, 224)
    assert guess_recipe(spec((1, 5, 7, 8, 8))) is None and guess_recipe(spec((1, 3, 8, 2, 2))) is None
    frames = tmp_path / "frames"
    frames.mkdir()
    for i in range(5):
        Image.new("RGB", (20, 10), (50 * i, 0, 0)).save(frames / f"frame_{i:02d}.png")
    notes: list[str] = []
    clip = build_feeds([spec((1, 3, 3, 16, 16))], {"x": ImageSource(str(frames))}, {}, notes)["x"]
    assert clip.shape == (1, 3, 3, 16, 16) and np.allclose(clip[0, 0, :, 0, 0] * 255, [0, 100, 200], atol=0.5)
    assert notes == ["input 'x': 3 of the 5 frames, evenly spaced"]
    free = build_input(spec((1, "frames", 3, 16, 16)), ImageSource(str(frames)))
    assert free.shape == (1, 5, 3, 16, 16) and np.allclose(free[0, :, 0, 0, 0] * 255, [0, 50, 100, 150, 200], atol=0.5)
    still = build_input(spec((1, 3, 4, "h", "w")), ImageSource(str(frames / "frame_01.png")), {})
    assert still.shape == (1, 3, 4, 32, 32) and np.allclose(still[0, 0, :, 0, 0] * 255, 50, atol=0.5)
    assert default_dims(spec(("batch", 3, "frames", "height", "width"))) == {
        "batch": 1, "frames": 16, "height": 224, "width": 224}
    node = helper.make_node("ReduceMean", ["x"], ["mean"], keepdims=0)
    graph = helper.make_graph([node], "clip", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 3, 16, 16])],
                              [helper.make_tensor_value_info("mean", TensorProto.FLOAT, [])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    assert session.run(None, {"x": clip})[0] == pytest.approx(float(clip.mean()), rel=1e-5)
