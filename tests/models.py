"""Tiny models built with onnx.helper for the tests, each saved where a test asks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = [helper.make_opsetid("", 17)]


def _save(model: onnx.ModelProto, path: Path) -> Path:
    onnx.save(model, str(path))
    return path


def _model(nodes, inputs, outputs, inits=(), opset=OPSET, **kw) -> onnx.ModelProto:
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(inits))
    return helper.make_model(graph, opset_imports=opset, ir_version=9, **kw)


def add_model(path: Path, n: int = 4) -> Path:
    """c = a + b, float32 [n]."""
    x = [helper.make_tensor_value_info(k, TensorProto.FLOAT, [n]) for k in ("a", "b")]
    y = [helper.make_tensor_value_info("c", TensorProto.FLOAT, [n])]
    return _save(_model([helper.make_node("Add", ["a", "b"], ["c"], name="/add/Add")], x, y,
                        producer_name="tests", doc_string="adds two vectors"), path)


def multi_input_model(path: Path) -> Path:
    """float x [batch, 8] @ W + bias, int64 ids [batch] gathered from a table; symbolic batch."""
    rng = np.random.default_rng(1)
    w = numpy_helper.from_array(rng.standard_normal((8, 4)).astype(np.float32), "W")
    table = numpy_helper.from_array(rng.standard_normal((10, 4)).astype(np.float32), "table")
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["xw"], name="/dense/MatMul"),
        helper.make_node("Gather", ["table", "ids"], ["emb"], axis=0, name="/embed/Gather"),
        helper.make_node("Add", ["xw", "emb"], ["y"], name="/out/Add"),
    ]
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 8]),
              helper.make_tensor_value_info("ids", TensorProto.INT64, ["batch"])]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 4])]
    return _save(_model(nodes, inputs, outputs, [w, table]), path)


def conv_model(path: Path, channels: int = 16, layers: int = 4, side: int = 64) -> Path:
    """A small conv net on float32 [1, 3, side, side]."""
    rng = np.random.default_rng(2)
    nodes, inits = [], []
    prev, cin = "image", 3
    for i in range(layers):
        w = numpy_helper.from_array((rng.standard_normal((channels, cin, 3, 3)) * 0.1).astype(np.float32), f"w{i}")
        inits.append(w)
        nodes.append(helper.make_node("Conv", [prev, f"w{i}"], [f"c{i}"], pads=[1, 1, 1, 1],
                                      name=f"/block{i}/Conv"))
        nodes.append(helper.make_node("Relu", [f"c{i}"], [f"r{i}"], name=f"/block{i}/Relu"))
        prev, cin = f"r{i}", channels
    nodes.append(helper.make_node("ReduceMean", [prev], ["out"], axes=[2, 3], keepdims=0, name="/head/Mean"))
    inputs = [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, side, side])]
    outputs = [helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, channels])]
    return _save(_model(nodes, inputs, outputs, inits, opset=[helper.make_opsetid("", 13)]), path)


def aborting_model(path: Path) -> Path:
    """Expand to shape [2, -1] then Slice on axis 1: aborts onnx shape inference and onnxruntime (SIGABRT).

    The inferred dim -1 makes Slice's shape inference call std::clamp(start, 0, -2) (onnx/onnx#8481).
    """
    def i64(name: str, v: list[int]) -> onnx.TensorProto:
        return numpy_helper.from_array(np.array(v, dtype=np.int64), name)

    nodes = [helper.make_node("Expand", ["x", "shape"], ["e"]),
             helper.make_node("Slice", ["e", "starts", "ends", "axes"], ["y"])]
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)]
    inits = [i64("shape", [2, -1]), i64("starts", [0]), i64("ends", [1]), i64("axes", [1])]
    return _save(_model(nodes, inputs, outputs, inits), path)


def slow_model(path: Path, side: int = 768, repeats: int = 24) -> Path:
    """A chain of large MatMuls: each run takes long enough to cancel in the middle."""
    rng = np.random.default_rng(3)
    w = numpy_helper.from_array((rng.standard_normal((side, side)) / side).astype(np.float32), "W")
    nodes, prev = [], "x"
    for i in range(repeats):
        nodes.append(helper.make_node("MatMul", [prev, "W"], [f"m{i}"], name=f"/chain/MatMul_{i}"))
        prev = f"m{i}"
    nodes.append(helper.make_node("Identity", [prev], ["y"]))
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [side, side])]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, [side, side])]
    return _save(_model(nodes, inputs, outputs, [w]), path)


def memory_hog_model(path: Path) -> Path:
    """Expand a scalar to n x n floats: n is an input, so the allocation happens at run time."""
    nodes = [helper.make_node("Expand", ["x", "shape"], ["y"])]
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1]),
              helper.make_tensor_value_info("shape", TensorProto.INT64, [2])]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, None])]
    return _save(_model(nodes, inputs, outputs), path)


def endless_model(path: Path) -> Path:
    """A Loop whose trip count is an input: a huge count runs (practically) forever."""
    body = helper.make_graph(
        [helper.make_node("Add", ["v_in", "one"], ["v_out"]),
         helper.make_node("Identity", ["cond_in"], ["cond_out"])],
        "body",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("v_in", TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
         helper.make_tensor_value_info("v_out", TensorProto.FLOAT, [1])],
        [numpy_helper.from_array(np.ones(1, np.float32), "one")])
    nodes = [helper.make_node("Loop", ["n", "cond", "v0"], ["v"], body=body, name="/loop/Loop")]
    inputs = [helper.make_tensor_value_info("n", TensorProto.INT64, []),
              helper.make_tensor_value_info("cond", TensorProto.BOOL, []),
              helper.make_tensor_value_info("v0", TensorProto.FLOAT, [1])]
    outputs = [helper.make_tensor_value_info("v", TensorProto.FLOAT, [1])]
    return _save(_model(nodes, inputs, outputs), path)


def if_model(path: Path) -> Path:
    """If(cond) then x * 2 else x - 1: subgraphs for node counts and the graph view."""
    two = numpy_helper.from_array(np.array([2.0], np.float32), "two")
    one = numpy_helper.from_array(np.array([1.0], np.float32), "one")
    then_g = helper.make_graph([helper.make_node("Mul", ["x", "two"], ["t"])], "then", [],
                               [helper.make_tensor_value_info("t", TensorProto.FLOAT, [3])])
    else_g = helper.make_graph([helper.make_node("Sub", ["x", "one"], ["e"])], "else", [],
                               [helper.make_tensor_value_info("e", TensorProto.FLOAT, [3])])
    nodes = [helper.make_node("If", ["cond"], ["y"], then_branch=then_g, else_branch=else_g, name="/branch/If")]
    inputs = [helper.make_tensor_value_info("cond", TensorProto.BOOL, []),
              helper.make_tensor_value_info("x", TensorProto.FLOAT, [3])]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3])]
    return _save(_model(nodes, inputs, outputs, [two, one]), path)


def sequence_model(path: Path) -> Path:
    """SplitToSequence: a sequence output, plus a string passthrough output."""
    nodes = [helper.make_node("SplitToSequence", ["x"], ["seq"], axis=0, keepdims=0),
             helper.make_node("Identity", ["s"], ["s_out"])]
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 2]),
              helper.make_tensor_value_info("s", TensorProto.STRING, [2])]
    outputs = [helper.make_tensor_sequence_value_info("seq", TensorProto.FLOAT, None),
               helper.make_tensor_value_info("s_out", TensorProto.STRING, [2])]
    return _save(_model(nodes, inputs, outputs), path)


def image_model(path: Path, layout: str = "NCHW", side: int | str = 32, dtype: int = TensorProto.FLOAT) -> Path:
    """Identity on an image-shaped input, to check preprocessing end to end."""
    shape = [1, 3, side, side] if layout == "NCHW" else [1, side, side, 3]
    inputs = [helper.make_tensor_value_info("image", dtype, shape)]
    outputs = [helper.make_tensor_value_info("same", dtype, shape)]
    return _save(_model([helper.make_node("Identity", ["image"], ["same"])], inputs, outputs), path)


def segmentation_model(path: Path) -> Path:
    """A semantic segmentation head: [1, 3, H, W] pictures (free sides) to scores [1, 4, H, W] of red, green, blue
    and a background that wins wherever no channel is over 0.5 (a 1 x 1 convolution: each channel, and 0.5)."""
    w = np.zeros((4, 3, 1, 1), np.float32)
    w[0, 0], w[1, 1], w[2, 2] = 1, 1, 1
    bias = np.array([0, 0, 0, 0.5], np.float32)
    nodes = [helper.make_node("Conv", ["pixel_values", "w", "b"], ["logits"])]
    inputs = [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, [1, 3, "height", "width"])]
    outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 4, "height", "width"])]
    return _save(_model(nodes, inputs, outputs, [numpy_helper.from_array(w, "w"), numpy_helper.from_array(bias, "b")]),
                 path)


def question_answering_model(path: Path, start_id: int = 7, end_id: int = 9) -> Path:
    """A SQuAD-style head: ``input_ids``, ``attention_mask``, ``token_type_ids`` [batch, sequence] give
    ``start_logits`` and ``end_logits`` [batch, sequence]: 5 where the token is ``start_id`` (end: ``end_id``) and
    its type is the context's (1), else 0 — so the answer runs from the context's ``start_id`` to its ``end_id``."""
    node = helper.make_node
    nodes = [node("Cast", ["token_type_ids"], ["typef"], to=TensorProto.FLOAT)]
    for which in ("start", "end"):
        nodes += [node("Equal", ["input_ids", f"{which}_id"], [f"{which}_is"]),
                  node("Cast", [f"{which}_is"], [f"{which}_f"], to=TensorProto.FLOAT),
                  node("Mul", [f"{which}_f", "typef"], [f"{which}_in"]),
                  node("Mul", [f"{which}_in", "five"], [f"{which}_logits"])]
    nodes.append(node("Cast", ["attention_mask"], ["mask_unused"], to=TensorProto.FLOAT))
    inits = [numpy_helper.from_array(np.array(start_id, np.int64), "start_id"),
             numpy_helper.from_array(np.array(end_id, np.int64), "end_id"),
             numpy_helper.from_array(np.array(5.0, np.float32), "five")]
    seq = ["batch", "sequence"]
    inputs = [helper.make_tensor_value_info(n, TensorProto.INT64, seq)
              for n in ("input_ids", "attention_mask", "token_type_ids")]
    outputs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, seq) for n in ("start_logits", "end_logits")]
    outputs.append(helper.make_tensor_value_info("mask_unused", TensorProto.FLOAT, seq))
    return _save(_model(nodes, inputs, outputs, inits, opset=[helper.make_opsetid("", 18)]), path)


def text_image_model(path: Path, vocab: int = 10) -> Path:
    """A CLIP-like scorer: ``input_ids`` [texts, sequence] (with an ``attention_mask``) and ``pixel_values`` [images,
    3, H, W] give ``logits_per_image`` [images, texts], each picture's mean colour against each text's mean token
    embedding."""
    e = np.random.default_rng(5).normal(size=(vocab, 3)).astype(np.float32)
    node = helper.make_node
    nodes = [node("Gather", ["E", "input_ids"], ["tokens"]),
             node("ReduceMean", ["tokens", "seq_axis"], ["text"], keepdims=0),
             node("ReduceMean", ["pixel_values", "hw_axes"], ["image"], keepdims=0),
             node("Transpose", ["text"], ["text_t"], perm=[1, 0]),
             node("MatMul", ["image", "text_t"], ["logits_per_image"]),
             node("Cast", ["attention_mask"], ["unused"], to=TensorProto.FLOAT)]
    inits = [numpy_helper.from_array(e, "E"), numpy_helper.from_array(np.array([1], np.int64), "seq_axis"),
             numpy_helper.from_array(np.array([2, 3], np.int64), "hw_axes")]
    seq = ["texts", "sequence"]
    inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, seq),
              helper.make_tensor_value_info("attention_mask", TensorProto.INT64, seq),
              helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["images", 3, "height", "width"])]
    outputs = [helper.make_tensor_value_info("logits_per_image", TensorProto.FLOAT, ["images", "texts"]),
               helper.make_tensor_value_info("unused", TensorProto.FLOAT, seq)]
    return _save(_model(nodes, inputs, outputs, inits, opset=[helper.make_opsetid("", 18)]), path)


def embedding_model(path: Path, side: int = 16, size: int = 32) -> Path:
    """An image encoder: [N, 3, side, side] pictures to unit-length ``embedding`` vectors [N, size] (a fixed random
    projection of the pixels, L2-normalised), as a face or CLIP image encoder gives them."""
    w = np.random.default_rng(7).standard_normal((3 * side * side, size)).astype(np.float32)
    nodes = [helper.make_node("Flatten", ["image"], ["flat"], axis=1),
             helper.make_node("MatMul", ["flat", "w"], ["raw"]),
             helper.make_node("LpNormalization", ["raw"], ["embedding"], axis=1, p=2)]
    inputs = [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, side, side])]
    outputs = [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["N", size])]
    return _save(_model(nodes, inputs, outputs, [numpy_helper.from_array(w, "w")]), path)


def fixed_outputs_model(path: Path, outputs: dict[str, np.ndarray], image: list[int | str] | None = None,
                        image_dtype: int = TensorProto.FLOAT) -> Path:
    """A model that answers ``outputs`` whatever its picture ``image`` (shape; NCHW [1, 3, 64, 64] by default):
    a detector's already decoded tensors, named and shaped as torchvision, TensorFlow or DETR write them."""
    image = image or [1, 3, 64, 64]
    nodes = [helper.make_node("Identity", [f"{name}_value"], [name]) for name in outputs]
    inits = [numpy_helper.from_array(value, f"{name}_value") for name, value in outputs.items()]
    specs = [helper.make_tensor_value_info(name, helper.np_dtype_to_tensor_dtype(value.dtype), list(value.shape))
             for name, value in outputs.items()]
    return _save(_model(nodes, [helper.make_tensor_value_info("image", image_dtype, image)], specs, inits), path)


def decoder_model(path: Path, mask_dim: str = "past_sequence_length + 1", heads: int = 2, head_dim: int = 4,
                  vocab: int = 10) -> Path:
    """One attention step of a text decoder with a key/value cache, its inputs named as Optimum exports them:
    ``input_ids`` [batch_size, sequence_length], ``attention_mask`` [batch_size, ``mask_dim``] and
    ``past_key_values.0.key``/``.value`` [batch_size, heads, past_sequence_length, head_dim]. The mask is reshaped to
    the cache's length (past + new tokens), as real decoders build their masks: a mask of another length fails."""
    rng = np.random.default_rng(0)
    width = heads * head_dim
    inits = [numpy_helper.from_array(rng.normal(size=(vocab, width)).astype(np.float32), "E"),
             numpy_helper.from_array(rng.normal(size=(width, vocab)).astype(np.float32), "W"),
             numpy_helper.from_array(np.array([0, 0, heads, head_dim], np.int64), "split"),
             numpy_helper.from_array(np.array([0, 0, width], np.int64), "join")]
    inits += [numpy_helper.from_array(np.array([v], np.int64), n) for n, v in (("c0", 0), ("c1", 1), ("c2", 2),
                                                                                ("c3", 3))]
    node = helper.make_node
    nodes = [
        node("Gather", ["E", "input_ids"], ["emb"]),
        node("Reshape", ["emb", "split"], ["e4"]),
        node("Transpose", ["e4"], ["k_new"], perm=[0, 2, 1, 3]),
        node("Concat", ["past_key_values.0.key", "k_new"], ["present.0.key"], axis=2),
        node("Concat", ["past_key_values.0.value", "k_new"], ["present.0.value"], axis=2),
        node("Transpose", ["present.0.key"], ["kt"], perm=[0, 1, 3, 2]),
        node("MatMul", ["k_new", "kt"], ["scores"]),
        node("Shape", ["present.0.key"], ["pshape"]),
        node("Slice", ["pshape", "c2", "c3"], ["total"]),
        node("Shape", ["input_ids"], ["ishape"]),
        node("Slice", ["ishape", "c0", "c1"], ["b"]),
        node("Concat", ["b", "c1", "c1", "total"], ["mshape"], axis=0),
        node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
        node("Reshape", ["maskf", "mshape"], ["mask4"]),
        node("Mul", ["scores", "mask4"], ["masked"]),
        node("Softmax", ["masked"], ["probs"], axis=-1),
        node("MatMul", ["probs", "present.0.value"], ["ctx"]),
        node("Transpose", ["ctx"], ["ctx2"], perm=[0, 2, 1, 3]),
        node("Reshape", ["ctx2", "join"], ["ctx3"]),
        node("MatMul", ["ctx3", "W"], ["logits"]),
    ]
    cache = ["batch_size", heads, "past_sequence_length", head_dim]
    inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"]),
              helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch_size", mask_dim]),
              helper.make_tensor_value_info("past_key_values.0.key", TensorProto.FLOAT, cache),
              helper.make_tensor_value_info("past_key_values.0.value", TensorProto.FLOAT, cache)]
    present = ["batch_size", heads, mask_dim, head_dim]
    outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch_size", "sequence_length", vocab]),
               helper.make_tensor_value_info("present.0.key", TensorProto.FLOAT, present),
               helper.make_tensor_value_info("present.0.value", TensorProto.FLOAT, present)]
    return _save(_model(nodes, inputs, outputs, inits), path)


def picture_and_mask_model(path: Path) -> Path:
    """An inpainting model's inputs: a picture [1, 3, height, width] and a mask [1, 1, height, width] of the same
    free size (the mask added to the picture's mean over its channels)."""
    nodes = [helper.make_node("ReduceMean", ["image"], ["grey"], axes=[1], keepdims=1),
             helper.make_node("Add", ["grey", "mask"], ["out"])]
    inputs = [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, "height", "width"]),
              helper.make_tensor_value_info("mask", TensorProto.FLOAT, [1, 1, "height", "width"])]
    outputs = [helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, 1, "height", "width"])]
    return _save(_model(nodes, inputs, outputs), path)


def lengths_model(path: Path, signal: str = "waveforms", lengths: str = "waveforms_lens",
                  shape: tuple = ("batch", "samples"), axis: int = 1) -> Path:
    """A speech front end's inputs: ``signal`` and the length of each row (``lengths`` [batch], int64); the output
    is the sum of the first ``lengths`` values along the signal's time ``axis`` (all of them where the lengths are
    whole rows)."""
    inits = [numpy_helper.from_array(np.array([0], np.int64), "start"),
             numpy_helper.from_array(np.array([axis], np.int64), "axis")]
    nodes = [helper.make_node("Slice", [signal, "start", lengths, "axis"], ["used"]),
             helper.make_node("ReduceSum", ["used"], ["total"], keepdims=0)]
    inputs = [helper.make_tensor_value_info(signal, TensorProto.FLOAT, list(shape)),
              helper.make_tensor_value_info(lengths, TensorProto.INT64, [shape[0]])]
    outputs = [helper.make_tensor_value_info("total", TensorProto.FLOAT, [])]
    return _save(_model(nodes, inputs, outputs, inits), path)


def picture_size_model(path: Path) -> Path:
    """A PaddleDetection export's inputs: a picture of free size [N, 3, H, W], its ``im_shape`` [N, 2] and
    ``scale_factor`` [N, 2]; ``gap`` is the picture's own [H, W] minus ``im_shape`` (zeros when they agree) and
    ``scaled`` its [H, W] divided by ``scale_factor``."""
    inits = [numpy_helper.from_array(np.array([2], np.int64), "from"),
             numpy_helper.from_array(np.array([4], np.int64), "to")]
    nodes = [helper.make_node("Shape", ["image"], ["shape"]),
             helper.make_node("Slice", ["shape", "from", "to"], ["hw_int"]),
             helper.make_node("Cast", ["hw_int"], ["hw"], to=TensorProto.FLOAT),
             helper.make_node("Sub", ["hw", "im_shape"], ["gap"]),
             helper.make_node("Div", ["hw", "scale_factor"], ["scaled"])]
    inputs = [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, "H", "W"]),
              helper.make_tensor_value_info("im_shape", TensorProto.FLOAT, ["N", 2]),
              helper.make_tensor_value_info("scale_factor", TensorProto.FLOAT, ["N", 2])]
    outputs = [helper.make_tensor_value_info("gap", TensorProto.FLOAT, ["N", 2]),
               helper.make_tensor_value_info("scaled", TensorProto.FLOAT, ["N", 2])]
    return _save(_model(nodes, inputs, outputs, inits), path)


def tokenizer_file(path: Path, words: tuple[str, ...] = ("hello", "world", "once", "upon", "a", "time")) -> Path:
    """A Hugging Face tokenizer.json (the tokenizers library's own format): whole words split on spaces, ids
    [UNK] 0, [CLS] 1, [SEP] 2, [PAD] 3, then ``words`` from 4; a text is [CLS] ... [SEP], as BERT's is."""
    from tokenizers import Tokenizer, pre_tokenizers, processors
    from tokenizers import models as tok_models

    vocab = {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "[PAD]": 3, **{w: 4 + i for i, w in enumerate(words)}}
    tok = Tokenizer(tok_models.WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
                                                       special_tokens=[("[CLS]", 1), ("[SEP]", 2)])
    tok.save(str(path))
    return path


def kmeans_model(path: Path, centres: np.ndarray) -> Path:
    """k-means as skl2onnx converts it: ``scores`` [N, k] each row's distance to every centre, ``label`` [N] their
    ArgMin (float32 X [N, features])."""
    c = numpy_helper.from_array(centres.astype(np.float32)[None], "centres")  # [1, k, features]
    nodes = [helper.make_node("Unsqueeze", ["X", "axis1"], ["x3"]),
             helper.make_node("Sub", ["x3", "centres"], ["diff"]),
             helper.make_node("Mul", ["diff", "diff"], ["sq"]),
             helper.make_node("ReduceSum", ["sq", "axis2"], ["d2"], keepdims=0),
             helper.make_node("Sqrt", ["d2"], ["scores"]),
             helper.make_node("ArgMin", ["scores"], ["label"], axis=1, keepdims=0)]
    inits = [c, numpy_helper.from_array(np.array([1], np.int64), "axis1"),
             numpy_helper.from_array(np.array([2], np.int64), "axis2")]
    inputs = [helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, centres.shape[1]])]
    outputs = [helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
               helper.make_tensor_value_info("scores", TensorProto.FLOAT, [None, centres.shape[0]])]
    return _save(_model(nodes, inputs, outputs, inits), path)


def causal_lm_model(path: Path, causal: bool = True, token_types: bool = False, vocab: int = 12,
                    width: int = 6) -> Path:
    """A text decoder exported without its cache: ``input_ids`` and ``attention_mask`` [batch, sequence] (and
    ``token_type_ids``, added to the ids' embeddings) give ``logits`` [batch, sequence, vocab]. Causal: each
    token's state is the running sum of the embeddings so far (CumSum), as a decoder's sees only the tokens before
    it; otherwise every state also holds the mean of the whole sequence, as a bidirectional encoder's does."""
    rng = np.random.default_rng(3)
    inits = [numpy_helper.from_array(rng.normal(size=(vocab, width)).astype(np.float32), "E"),
             numpy_helper.from_array(rng.normal(size=(width, vocab)).astype(np.float32), "W"),
             numpy_helper.from_array(rng.normal(size=(2, width)).astype(np.float32), "T"),
             numpy_helper.from_array(np.array(1, np.int64), "axis"),
             numpy_helper.from_array(np.array([-1], np.int64), "last"),
             numpy_helper.from_array(np.array([1], np.int64), "seq")]
    node = helper.make_node
    nodes = [node("Gather", ["E", "input_ids"], ["ids_emb"])]
    if token_types:
        nodes += [node("Gather", ["T", "token_type_ids"], ["type_emb"]), node("Add", ["ids_emb", "type_emb"], ["emb"])]
    else:
        nodes.append(node("Identity", ["ids_emb"], ["emb"]))
    nodes += [node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
              node("Unsqueeze", ["maskf", "last"], ["mask3"]),
              node("Mul", ["emb", "mask3"], ["kept"])]
    if causal:
        nodes.append(node("CumSum", ["kept", "axis"], ["state"]))
    else:
        nodes += [node("ReduceMean", ["kept", "seq"], ["mean"], keepdims=1), node("Add", ["kept", "mean"], ["state"])]
    nodes.append(node("MatMul", ["state", "W"], ["logits"]))
    seq = ["batch_size", "sequence_length"]
    inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, seq),
              helper.make_tensor_value_info("attention_mask", TensorProto.INT64, seq)]
    if token_types:
        inputs.append(helper.make_tensor_value_info("token_type_ids", TensorProto.INT64, seq))
    outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [*seq, vocab])]
    return _save(_model(nodes, inputs, outputs, inits, opset=[helper.make_opsetid("", 18)]), path)


def fixed_inside_model(path: Path) -> Path:
    """x [batch, seq, 32] declared free, but a Reshape to [batch * 12, 4, 8] inside, as torch's legacy exporter
    leaves nn.TransformerEncoder: it runs only at seq 12."""
    shape = numpy_helper.from_array(np.array([-1, 12, 4, 8], np.int64), "shape")
    nodes = [helper.make_node("Reshape", ["x", "shape"], ["heads"], name="/attn/Reshape"),
             helper.make_node("Relu", ["heads"], ["y"])]
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "seq", 32])]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 12, 4, 8])]
    return _save(_model(nodes, inputs, outputs, [shape]), path)


def scale_model(path: Path, dtype: int = TensorProto.FLOAT) -> Path:
    """y = x * w + b over [batch, 4], in ``dtype`` throughout (an fp16 conversion of the fp32 one)."""
    np_type = helper.tensor_dtype_to_np_dtype(dtype)
    inits = [numpy_helper.from_array(np.array([0.5, -1.25, 2.0, 0.1], np_type), "w"),
             numpy_helper.from_array(np.array([1.0, 0.0, -0.5, 0.25], np_type), "b")]
    nodes = [helper.make_node("Mul", ["x", "w"], ["xw"]), helper.make_node("Add", ["xw", "b"], ["y"])]
    inputs = [helper.make_tensor_value_info("x", dtype, ["batch", 4])]
    outputs = [helper.make_tensor_value_info("y", dtype, ["batch", 4])]
    return _save(_model(nodes, inputs, outputs, inits), path)


def data_shaped_model(path: Path) -> Path:
    """A MatMul whose input's length is known only by running: the positions where x >= 0 (NonZero), as
    [count, 2] floats, times W [2, 3]. Shape inference gives [?, 2]; on random data in 0-1 over a [1, 4] x the
    run gives [4, 2]: 24 MACs."""
    nodes = [helper.make_node("GreaterOrEqual", ["x", "zero"], ["kept"]),
             helper.make_node("NonZero", ["kept"], ["where"]),
             helper.make_node("Transpose", ["where"], ["rows"], perm=[1, 0]),
             helper.make_node("Cast", ["rows"], ["rowsf"], to=TensorProto.FLOAT),
             helper.make_node("MatMul", ["rowsf", "W"], ["y"], name="/head/MatMul")]
    inits = [numpy_helper.from_array(np.array(0, np.float32), "zero"),
             numpy_helper.from_array(np.ones((2, 3), np.float32), "W")]
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 3])]
    return _save(_model(nodes, inputs, outputs, inits), path)


def seq2seq_models(folder: Path, vocab: int = 12, width: int = 4, start: int = 2, end: int = 1) -> dict[str, Path]:
    """An encoder-decoder as Optimum exports one (T5, BART, Marian, Whisper), its files named as Optimum names
    them in ``folder``: ``encoder_model.onnx`` (``input_ids`` and ``attention_mask`` [batch_size,
    encoder_sequence_length] -> ``last_hidden_state``: the ids' embeddings, 0 where the mask is), ``decoder_model.onnx``
    (no cache: every token so far) and ``decoder_model_merged.onnx`` (a decoder and an encoder cache
    ``past_key_values.0.{decoder,encoder}.key`` and ``use_cache_branch``; with the cache, its If gives the encoder's
    present empty, as Optimum's does), and ``generation_config.json`` (``decoder_start_token_id`` ``start``,
    ``eos_token_id`` ``end``). A
    token's scores: (the running sum of the decoder tokens' embeddings + the sum of the encoder's states) @ W.
    The matrices are returned under "E", "D", "W"."""
    rng = np.random.default_rng(5)
    E, D, W = (rng.normal(size=s).astype(np.float32) for s in ((vocab, width), (vocab, width), (width, vocab)))
    node, info = helper.make_node, helper.make_tensor_value_info
    ids_shape = ["batch_size", "encoder_sequence_length"]
    encoder = _model(
        [node("Gather", ["E", "input_ids"], ["emb"]), node("Cast", ["attention_mask"], ["m"], to=TensorProto.FLOAT),
         node("Unsqueeze", ["m", "last"], ["m3"]), node("Mul", ["emb", "m3"], ["last_hidden_state"])],
        [info("input_ids", TensorProto.INT64, ids_shape), info("attention_mask", TensorProto.INT64, ids_shape)],
        [info("last_hidden_state", TensorProto.FLOAT, [*ids_shape, width])],
        [numpy_helper.from_array(E, "E"), numpy_helper.from_array(np.array([-1], np.int64), "last")])
    consts = [numpy_helper.from_array(D, "D"), numpy_helper.from_array(W, "W"),
              numpy_helper.from_array(np.array([-1], np.int64), "last"),
              numpy_helper.from_array(np.array([1], np.int64), "one"), numpy_helper.from_array(np.array([2], np.int64), "two"),
              numpy_helper.from_array(np.array([3], np.int64), "three"),
              numpy_helper.from_array(np.array(1, np.int64), "axis1"), numpy_helper.from_array(np.array(2, np.int64), "axis2"),
              numpy_helper.from_array(np.array([1 << 30], np.int64), "end"),
              numpy_helper.from_array(np.array([0, 1, 1, width], np.int64), "empty_shape")]
    masked = [node("Cast", ["encoder_attention_mask"], ["em"], to=TensorProto.FLOAT),
              node("Unsqueeze", ["em", "last"], ["em3"]), node("Mul", ["encoder_hidden_states", "em3"], ["states"])]
    dec_in = [info("encoder_attention_mask", TensorProto.INT64, ids_shape),
              info("input_ids", TensorProto.INT64, ["batch_size", "decoder_sequence_length"]),
              info("encoder_hidden_states", TensorProto.FLOAT, [*ids_shape, width])]
    logits = info("logits", TensorProto.FLOAT, ["batch_size", "decoder_sequence_length", vocab])
    plain = _model(
        [*masked, node("Gather", ["D", "input_ids"], ["d"]), node("CumSum", ["d", "axis1"], ["state"]),
         node("ReduceSum", ["states", "one"], ["ctx"], keepdims=1), node("Add", ["state", "ctx"], ["h"]),
         node("MatMul", ["h", "W"], ["logits"]), node("Unsqueeze", ["d", "one"], ["present.0.decoder.key"]),
         node("Unsqueeze", ["states", "one"], ["present.0.encoder.key"])],
        dec_in, [logits, info("present.0.decoder.key", TensorProto.FLOAT, ["batch_size", 1, "decoder_sequence_length", width]),
                 info("present.0.encoder.key", TensorProto.FLOAT, ["batch_size", 1, "encoder_sequence_length", width])],
        [c for c in consts if c.name in ("D", "W", "last", "one", "axis1")])
    out4 = [info("used", TensorProto.FLOAT, None), info("given", TensorProto.FLOAT, None)]
    with_cache = helper.make_graph(
        [node("Identity", ["past_key_values.0.encoder.key"], ["used"]),
         node("ConstantOfShape", ["empty_shape"], ["given"])], "cached", [], out4)
    without = helper.make_graph(
        [*masked, node("Unsqueeze", ["states", "one"], ["used"]), node("Identity", ["used"], ["given"])],
        "first", [], out4)
    cache = ["batch_size", 1, "past_decoder_sequence_length", width]
    merged = _model(
        [node("Gather", ["D", "input_ids"], ["d"]), node("Unsqueeze", ["d", "one"], ["new"]),
         node("Concat", ["past_key_values.0.decoder.key", "new"], ["present.0.decoder.key"], axis=2),
         node("CumSum", ["present.0.decoder.key", "axis2"], ["cum"]),
         node("Shape", ["past_key_values.0.decoder.key"], ["pshape"]), node("Slice", ["pshape", "two", "three"], ["p"]),
         node("Slice", ["cum", "p", "end", "two"], ["mine"]), node("Squeeze", ["mine", "one"], ["state"]),
         node("If", ["use_cache_branch"], ["used", "present.0.encoder.key"], then_branch=with_cache,
              else_branch=without),
         node("ReduceSum", ["used", "two"], ["ctx4"], keepdims=0), node("Add", ["state", "ctx4"], ["h"]),
         node("MatMul", ["h", "W"], ["logits"])],
        [*dec_in, info("past_key_values.0.decoder.key", TensorProto.FLOAT, cache),
         info("past_key_values.0.encoder.key", TensorProto.FLOAT, ["batch_size", 1, "encoder_sequence_length", width]),
         info("use_cache_branch", TensorProto.BOOL, [1])],
        [logits, info("present.0.decoder.key", TensorProto.FLOAT,
                      ["batch_size", 1, "past_decoder_sequence_length + decoder_sequence_length", width]),
         info("present.0.encoder.key", TensorProto.FLOAT, ["batch_size", 1, "encoder_sequence_length", width])],
        consts)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"encoder": _save(encoder, folder / "encoder_model.onnx"),
             "decoder": _save(plain, folder / "decoder_model.onnx"),
             "merged": _save(merged, folder / "decoder_model_merged.onnx")}
    (folder / "generation_config.json").write_text(f'{{"decoder_start_token_id": {start}, "eos_token_id": {end}}}')
    return {**paths, "E": E, "D": D, "W": W}  # type: ignore[dict-item]


def seq2seq_by_hand(matrices: dict, ids: list[int], start: int, n: int, end: int | None = None) -> list[int]:
    """The tokens :func:`seq2seq_models`' decoder gives greedily after the encoder read ``ids`` (no padding), up to
    ``n`` or the ``end`` token."""
    ctx = matrices["E"][ids].sum(axis=0)
    state, out, token = np.zeros_like(ctx), [], start
    for _ in range(n):
        state = state + matrices["D"][token]
        token = int(((state + ctx) @ matrices["W"]).argmax())
        out.append(token)
        if token == end:
            break
    return out
