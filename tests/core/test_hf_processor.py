"""A Hugging Face model's preprocessor_config.json sets how its pictures are prepared (mean, std, size, filter)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onnxstudio.core.hf_processor import parse_processor, processor_beside
from onnxstudio.core.imaging import ImageRecipe, recipe_for_model
from onnxstudio.core.values import ValueSpec

VIT = {"do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": [0.5, 0.5, 0.5],
       "image_processor_type": "ViTImageProcessor", "image_std": [0.5, 0.5, 0.5], "resample": 2,
       "rescale_factor": 0.00392156862745098, "size": {"height": 224, "width": 224}}
CLIP = {"crop_size": {"height": 224, "width": 224}, "do_center_crop": True, "do_convert_rgb": True,
        "do_normalize": True, "do_resize": True, "feature_extractor_type": "CLIPFeatureExtractor",
        "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711],
        "resample": 3, "size": {"shortest_edge": 224}}


def _spec(shape: tuple) -> ValueSpec:
    return ValueSpec("pixel_values", "tensor", "float32", shape, "tensor(float)")


def test_vit_and_clip_processors_become_recipes() -> None:
    vit = parse_processor(json.dumps(VIT), Path("p.json"))
    assert vit is not None and (vit.mean, vit.std, vit.scale) == ((0.5,) * 3, (0.5,) * 3, "0-1")
    assert (vit.size, vit.resize, vit.interpolation) == ((224, 224), "stretch", "bilinear")
    free = recipe_for_model(_spec(("batch", 3, "height", "width")), {}, vit)
    assert free is not None and free.size == (224, 224) and free.mean == (0.5, 0.5, 0.5) and free.resize == "stretch"
    fixed = recipe_for_model(_spec((1, 3, 384, 384)), {}, vit)  # the model's own sides win
    assert fixed is not None and fixed.size == (384, 384) and fixed.std == (0.5, 0.5, 0.5)
    clip = parse_processor(json.dumps(CLIP), Path("p.json"))
    assert clip is not None and (clip.size, clip.resize, clip.interpolation) == ((224, 224), "center_crop", "bicubic")
    recipe = recipe_for_model(_spec((1, 3, 224, 224)), {}, clip)
    assert recipe is not None and recipe.resize == "center_crop" and recipe.mean[0] == pytest.approx(0.48145466)
    assert "224x224 center_crop" in clip.describe() and "bicubic" in clip.describe()


def test_what_a_processor_does_not_say_stays_as_the_recipe_has_it() -> None:
    raw = parse_processor(json.dumps({**VIT, "do_rescale": False, "do_normalize": False, "resample": 99,
                                      "size": {"shortest_edge": 800, "longest_edge": 1333}}), Path("p.json"))
    assert raw is not None and (raw.mean, raw.scale, raw.size, raw.interpolation) == (None, "0-255", None, None)
    recipe = recipe_for_model(_spec((1, 3, "h", "w")), {}, raw)
    assert recipe == ImageRecipe(scale="0-255")
    tf = parse_processor(json.dumps({**VIT, "rescale_factor": 1 / 127.5}), Path("p.json"))
    assert tf is not None and tf.scale == "-1-1"
    grey = recipe_for_model(_spec((1, 1, 28, 28)), {}, parse_processor(json.dumps(VIT), Path("p.json")))
    assert grey is not None and grey.mean == (0.5,) and grey.color == "GRAY"  # one channel: one mean
    ints = ValueSpec("pixel_values", "tensor", "uint8", (1, 224, 224, 3), "tensor(uint8)")
    assert recipe_for_model(ints, {}, parse_processor(json.dumps(VIT), Path("p.json"))).scale == "0-255"
    audio = {"feature_extractor_type": "Wav2Vec2FeatureExtractor", "do_normalize": True, "sampling_rate": 16000}
    assert parse_processor(json.dumps(audio), Path("p.json")) is None
    assert parse_processor("{broken", Path("p.json")) is None and parse_processor("[1]", Path("p.json")) is None
    odd = parse_processor(json.dumps({**VIT, "image_std": [0, 1, 1], "size": {"height": -3, "width": 2}}),
                          Path("p.json"))
    assert odd is not None and odd.std is None and odd.size is None  # a std of 0, a negative side: not taken
    for bad in ([float("nan")] * 3, [1e309] * 3, ["0.5"] * 3, [0.5] * 5, []):
        assert parse_processor(json.dumps({**VIT, "image_mean": bad}), Path("p.json")).mean is None


def test_the_file_is_found_beside_the_model_or_above_it(tmp_path: Path) -> None:
    """onnx-community keeps onnx/model.onnx a folder below preprocessor_config.json."""
    (tmp_path / "onnx").mkdir()
    model = tmp_path / "onnx" / "model.onnx"
    assert processor_beside(model) is None
    (tmp_path / "preprocessor_config.json").write_text(json.dumps(VIT))
    found = processor_beside(model)
    assert found is not None and found.path == tmp_path / "preprocessor_config.json" and found.size == (224, 224)
    (tmp_path / "onnx" / "preprocessor_config.json").write_text(json.dumps(CLIP))  # nearer
    assert processor_beside(model).resize == "center_crop"


def test_optimums_free_picture_dims_are_a_picture_at_the_processors_size(tmp_path: Path) -> None:
    """Optimum exports a ViT's pixel_values as [batch_size, num_channels, height, width], every dim free: a
    picture in NCHW with 3 colours, whose random data, MAC count and command line come at the size its
    preprocessor_config.json feeds (64 x 64 here), not at 224, where the model's position table fails."""
    import subprocess
    import sys

    import onnx
    from onnx import TensorProto, helper

    from onnxstudio.core.imaging import guess_recipe
    from onnxstudio.core.inputs import default_dims, picture_dims

    named = _spec(("batch_size", "num_channels", "height", "width"))
    recipe = guess_recipe(named)
    assert recipe is not None and (recipe.layout, recipe.color, recipe.size) == ("NCHW", "RGB", None)
    assert default_dims(named) == {"batch_size": 1, "num_channels": 3, "height": 224, "width": 224}
    assert guess_recipe(_spec(("N", "C", "H", "W"))).layout == "NCHW"  # pixel_values: a picture by its name
    other = ValueSpec("x", "tensor", "float32", ("a", "b", "c", "d"), "tensor(float)")
    assert guess_recipe(other) is None  # a free 4-D tensor of another name is no picture
    assert picture_dims([named], (64, 48)) == {"height": 64, "width": 48}
    assert picture_dims([named], None) == {}

    # a model whose position table fixes 64 x 64 inside: Reshape to [1, 3, 64, 64] fails at another size
    nodes = [helper.make_node("Reshape", ["pixel_values", "fixed"], ["out"])]
    fixed = helper.make_tensor("fixed", TensorProto.INT64, [4], [1, 3, 64, 64])
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT,
                                                                         list(named.shape))],
                              [helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, 3, 64, 64])], [fixed])
    model = tmp_path / "model.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9), str(model))
    (tmp_path / "preprocessor_config.json").write_text(json.dumps({**VIT, "size": {"height": 64, "width": 64}}))
    run = subprocess.run([sys.executable, "-m", "onnxstudio", "run", str(model), "--json"], capture_output=True,
                         text=True, check=True)
    assert json.loads(run.stdout)["inputs"][0]["shape"] == [1, 3, 64, 64]
