"""Generate the sample models and images bundled in ``resources/samples/``.

Run from the repository root::

    uv run python scripts/make_samples.py

It writes:

* ``edges.onnx``: RGB image -> grayscale (1x1 Conv) -> Sobel x/y (3x3 Conv) -> gradient magnitude,
  clipped to 0..1.  Dynamic height and width.
* ``blur.onnx``: RGB image -> 5x5 Gaussian blur (depthwise Conv, group=3).  Dynamic height and width.
* ``digits_classifier.onnx``: a 64-32-10 MLP trained here, in numpy, on scikit-learn's bundled
  ``load_digits`` data set (no download).  Outputs ``logits`` and ``probabilities``.
* ``digits/digit_<label>_<i>.png``: six held-out digits, 8-bit grayscale, upscaled 8x8 -> 64x64 with
  nearest neighbour.
* ``photo.png``: a 128x96 RGB synthetic image of flat shapes for the edges and blur models.
* ``text/sentiment.onnx`` and ``text/tokenizer.json``: a toy sentiment classifier (a word's two scores,
  averaged over the text) trained here, in numpy, on the short sentences written below, and the word-level
  tokenizer that turns a text into its ``input_ids`` (the tokenizers library's own format).

The output is deterministic: fixed seeds, single-threaded BLAS (set below before numpy is imported),
a fixed producer string and no timestamps, so two runs with the same library versions give the same
bytes.
"""

from __future__ import annotations

import os

# Single-threaded BLAS so that the float reductions in training always happen in the same order.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
    os.environ[_var] = "1"

import json  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = REPO_ROOT / "resources" / "samples"

OPSET = 17
IR_VERSION = 9
PRODUCER = "onnxstudio-make-samples"
PRODUCER_VERSION = "1"
AUTHOR = "ONNX Studio developers"
SEED = 0

# Photo geometry, also relied on by tests/test_samples.py.
PHOTO_SIZE = (128, 96)  # (width, height)
PHOTO_BACKGROUND = (40, 60, 90)

DIGIT_SAMPLE_LABELS = (0, 1, 3, 4, 7, 9)
DIGIT_PNG_SCALE = 8  # 8x8 -> 64x64


# --------------------------------------------------------------------------------------------- helpers


def _init(name: str, array: np.ndarray) -> onnx.TensorProto:
    return numpy_helper.from_array(np.ascontiguousarray(array, dtype=np.float32), name=name)


def _finish_model(
    graph: onnx.GraphProto, doc: str, metadata: dict[str, str], model_version: int = 1
) -> onnx.ModelProto:
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name=PRODUCER,
        producer_version=PRODUCER_VERSION,
        doc_string=doc,
        model_version=model_version,
    )
    model.ir_version = IR_VERSION
    helper.set_model_props(model, metadata)
    onnx.checker.check_model(model, full_check=True)
    return model


def _save_model(model: onnx.ModelProto, name: str) -> Path:
    path = OUT_DIR / name
    path.write_bytes(model.SerializeToString(deterministic=True))
    return path


def _image_io(name: str, channels: int) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, channels, "height", "width"])


# ----------------------------------------------------------------------------------- edges.onnx


def make_edges_model() -> onnx.ModelProto:
    """Grayscale -> Sobel x/y -> sqrt(gx^2 + gy^2) -> Clip(0, 1)."""
    gray_w = np.array([0.299, 0.587, 0.114], dtype=np.float32).reshape(1, 3, 1, 1)
    sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float32).reshape(1, 1, 3, 3)
    sobel_y = sobel_x.transpose(0, 1, 3, 2).copy()
    initializers = [
        _init("preprocess.gray.weight", gray_w),
        _init("sobel.x.weight", sobel_x),
        _init("sobel.y.weight", sobel_y),
        _init("postprocess.clip.min", np.array(0.0)),
        _init("postprocess.clip.max", np.array(1.0)),
    ]
    pads = [1, 1, 1, 1]
    nodes = [
        helper.make_node(
            "Conv",
            ["image", "preprocess.gray.weight"],
            ["/preprocess/gray/Conv_output_0"],
            name="/preprocess/gray/Conv",
            kernel_shape=[1, 1],
        ),
        helper.make_node(
            "Conv",
            ["/preprocess/gray/Conv_output_0", "sobel.x.weight"],
            ["/sobel/x/Conv_output_0"],
            name="/sobel/x/Conv",
            kernel_shape=[3, 3],
            pads=pads,
        ),
        helper.make_node(
            "Conv",
            ["/preprocess/gray/Conv_output_0", "sobel.y.weight"],
            ["/sobel/y/Conv_output_0"],
            name="/sobel/y/Conv",
            kernel_shape=[3, 3],
            pads=pads,
        ),
        helper.make_node(
            "Mul",
            ["/sobel/x/Conv_output_0", "/sobel/x/Conv_output_0"],
            ["/magnitude/x2/Mul_output_0"],
            name="/magnitude/x2/Mul",
        ),
        helper.make_node(
            "Mul",
            ["/sobel/y/Conv_output_0", "/sobel/y/Conv_output_0"],
            ["/magnitude/y2/Mul_output_0"],
            name="/magnitude/y2/Mul",
        ),
        helper.make_node(
            "Add",
            ["/magnitude/x2/Mul_output_0", "/magnitude/y2/Mul_output_0"],
            ["/magnitude/Add_output_0"],
            name="/magnitude/Add",
        ),
        helper.make_node(
            "Sqrt",
            ["/magnitude/Add_output_0"],
            ["/magnitude/Sqrt_output_0"],
            name="/magnitude/Sqrt",
        ),
        helper.make_node(
            "Clip",
            ["/magnitude/Sqrt_output_0", "postprocess.clip.min", "postprocess.clip.max"],
            ["edges"],
            name="/postprocess/Clip",
        ),
    ]
    graph = helper.make_graph(
        nodes,
        "edges",
        [_image_io("image", 3)],
        [_image_io("edges", 1)],
        initializer=initializers,
        doc_string="Sobel edge detector on the luma of an RGB image.",
    )
    doc = (
        "Sobel edge detector. The RGB input is converted to luma (0.299 R + 0.587 G + 0.114 B) with a "
        "1x1 Conv, filtered with the 3x3 Sobel kernels (zero padding 1, so the size is kept; a border "
        "that is not black therefore shows as an edge), and the gradient magnitude sqrt(gx^2 + gy^2) is "
        "clipped to 0..1. Any height and width."
    )
    metadata = {
        "author": AUTHOR,
        "description": "Sobel edge magnitude of an RGB image, clipped to 0..1.",
        "task": "image-to-image",
        "preprocess": "RGB, scale 0-1, NCHW",
        "postprocess": "edges: 1 channel, 0..1 (multiply by 255 for an 8-bit image)",
        "license": "MIT",
    }
    return _finish_model(graph, doc, metadata)


# ------------------------------------------------------------------------------------ blur.onnx


def gaussian_kernel(size: int = 5, sigma: float = 1.0) -> np.ndarray:
    """Normalised 2-D Gaussian kernel of shape (size, size), float32."""
    ax = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    g = np.exp(-(ax**2) / (2.0 * sigma**2))
    k = np.outer(g, g)
    return (k / k.sum()).astype(np.float32)


def make_blur_model() -> onnx.ModelProto:
    """Depthwise 5x5 Gaussian blur, 3 -> 3 channels."""
    kernel = gaussian_kernel(5, 1.0)
    weight = np.stack([kernel] * 3).reshape(3, 1, 5, 5)
    nodes = [
        helper.make_node(
            "Conv",
            ["image", "blur.gaussian.weight"],
            ["blurred"],
            name="/blur/gaussian/Conv",
            kernel_shape=[5, 5],
            pads=[2, 2, 2, 2],
            group=3,
        )
    ]
    graph = helper.make_graph(
        nodes,
        "blur",
        [_image_io("image", 3)],
        [_image_io("blurred", 3)],
        initializer=[_init("blur.gaussian.weight", weight)],
        doc_string="5x5 Gaussian blur, sigma 1, one kernel per channel.",
    )
    doc = (
        "Gaussian blur (5x5, sigma 1.0) applied to each RGB channel separately with a depthwise Conv "
        "(group=3, zero padding 2, so the size is kept). Any height and width."
    )
    metadata = {
        "author": AUTHOR,
        "description": "5x5 Gaussian blur (sigma 1.0) of an RGB image.",
        "task": "image-to-image",
        "preprocess": "RGB, scale 0-1, NCHW",
        "postprocess": "blurred: RGB, 0..1 (multiply by 255 for an 8-bit image)",
        "license": "MIT",
    }
    return _finish_model(graph, doc, metadata)


# ----------------------------------------------------------------------- digits_classifier.onnx


def load_digits_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Scikit-learn digits as (x_train, y_train, x_test, y_test); x is images / 16 in 0..1, (N, 8, 8)."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float64)
    y = digits.target.astype(np.int64)
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=0.25, random_state=SEED, stratify=y)
    return x_tr, y_tr, x_te, y_te


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def train_mlp(
    x: np.ndarray,
    y: np.ndarray,
    hidden: int = 32,
    epochs: int = 60,
    batch: int = 64,
    lr: float = 3e-3,
    weight_decay: float = 1e-4,
) -> dict[str, np.ndarray]:
    """Train a 64-hidden-10 ReLU MLP with softmax cross-entropy and Adam, all in numpy (float64)."""
    rng = np.random.default_rng(SEED)
    x = x.reshape(len(x), -1)
    n_in, n_out = x.shape[1], 10
    params = {
        "w1": rng.normal(0.0, np.sqrt(2.0 / n_in), (n_in, hidden)),
        "b1": np.zeros(hidden),
        "w2": rng.normal(0.0, np.sqrt(2.0 / hidden), (hidden, n_out)),
        "b2": np.zeros(n_out),
    }
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v = {k: np.zeros_like(p) for k, p in params.items()}
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    onehot = np.eye(n_out)[y]
    step = 0
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch):
            idx = order[start : start + batch]
            xb, tb = x[idx], onehot[idx]
            h_pre = xb @ params["w1"] + params["b1"]
            h = np.maximum(h_pre, 0.0)
            p = _softmax(h @ params["w2"] + params["b2"])
            d_logits = (p - tb) / len(idx)
            grads = {
                "w2": h.T @ d_logits + weight_decay * params["w2"],
                "b2": d_logits.sum(axis=0),
            }
            d_h = (d_logits @ params["w2"].T) * (h_pre > 0)
            grads["w1"] = xb.T @ d_h + weight_decay * params["w1"]
            grads["b1"] = d_h.sum(axis=0)
            step += 1
            for k in params:
                m[k] = beta1 * m[k] + (1 - beta1) * grads[k]
                v[k] = beta2 * v[k] + (1 - beta2) * grads[k] ** 2
                m_hat = m[k] / (1 - beta1**step)
                v_hat = v[k] / (1 - beta2**step)
                params[k] = params[k] - lr * m_hat / (np.sqrt(v_hat) + eps)
    return {k: p.astype(np.float32) for k, p in params.items()}


def mlp_predict(params: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """Class predictions of the trained MLP for inputs shaped (N, 8, 8) or (N, 1, 8, 8), 0..1."""
    x = x.reshape(len(x), -1).astype(np.float32)
    h = np.maximum(x @ params["w1"] + params["b1"], 0.0)
    return np.argmax(h @ params["w2"] + params["b2"], axis=1)


def make_digits_model(
    params: dict[str, np.ndarray], accuracy: float, n_train: int, n_test: int
) -> onnx.ModelProto:
    """Export the trained MLP: Flatten -> MatMul/Add/Relu -> MatMul/Add (logits) -> Softmax."""
    initializers = [
        _init("fc1.weight", params["w1"]),
        _init("fc1.bias", params["b1"]),
        _init("fc2.weight", params["w2"]),
        _init("fc2.bias", params["b2"]),
    ]
    nodes = [
        helper.make_node(
            "Flatten", ["image"], ["/flatten/Flatten_output_0"], name="/flatten/Flatten", axis=1
        ),
        helper.make_node(
            "MatMul",
            ["/flatten/Flatten_output_0", "fc1.weight"],
            ["/fc1/MatMul_output_0"],
            name="/fc1/MatMul",
        ),
        helper.make_node("Add", ["/fc1/MatMul_output_0", "fc1.bias"], ["/fc1/Add_output_0"], name="/fc1/Add"),
        helper.make_node("Relu", ["/fc1/Add_output_0"], ["/fc1/Relu_output_0"], name="/fc1/Relu"),
        helper.make_node(
            "MatMul", ["/fc1/Relu_output_0", "fc2.weight"], ["/fc2/MatMul_output_0"], name="/fc2/MatMul"
        ),
        helper.make_node("Add", ["/fc2/MatMul_output_0", "fc2.bias"], ["logits"], name="/fc2/Add"),
        helper.make_node("Softmax", ["logits"], ["probabilities"], name="/softmax/Softmax", axis=1),
    ]
    graph = helper.make_graph(
        nodes,
        "digits_classifier",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["batch", 1, 8, 8])],
        [
            helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 10]),
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 10]),
        ],
        initializer=initializers,
        doc_string="64-32-10 ReLU MLP.",
    )
    doc = (
        "Handwritten digit classifier: a 64-32-10 ReLU MLP trained with Adam in numpy on scikit-learn's "
        f"digits data set (8x8 images). Held-out accuracy {accuracy:.4f} ({n_test} test images, "
        f"{n_train} training images). Input: grayscale 8x8, white digit on black, values 0..1."
    )
    metadata = {
        "author": AUTHOR,
        "description": "Handwritten digit classifier (0-9) for 8x8 grayscale images.",
        "task": "image-classification",
        "dataset": "scikit-learn digits",
        "labels": json.dumps([str(i) for i in range(10)]),
        "preprocess": (
            "Grayscale 'L', resize to 8x8 (BOX), value / 255 -> 0..1 (training used digits.images / 16), "
            "white digit on black background, NCHW [N, 1, 8, 8]"
        ),
        "postprocess": "probabilities = softmax(logits); argmax is the digit",
        "test_accuracy": f"{accuracy:.4f}",
        "license": "MIT (model); data set: scikit-learn digits (UCI optical digits)",
    }
    return _finish_model(graph, doc, metadata)


def digit_to_png(image_0_1: np.ndarray) -> Image.Image:
    """An 8x8 image in 0..1 (digits.images / 16) as an 8-bit 'L' PNG, upscaled with nearest neighbour."""
    pixels = np.rint(image_0_1 * 255.0).clip(0, 255).astype(np.uint8)
    small = Image.fromarray(pixels, mode="L")
    return small.resize((8 * DIGIT_PNG_SCALE, 8 * DIGIT_PNG_SCALE), Image.NEAREST)


def png_to_input(img: Image.Image) -> np.ndarray:
    """The app-side recipe: grayscale, BOX resize to 8x8, / 255 -> float32 [1, 1, 8, 8]."""
    small = img.convert("L").resize((8, 8), Image.BOX)
    return (np.asarray(small, dtype=np.float32) / 255.0).reshape(1, 1, 8, 8)


def write_digit_samples(params: dict[str, np.ndarray], x_te: np.ndarray, y_te: np.ndarray) -> list[Path]:
    """Save one held-out image for each label in DIGIT_SAMPLE_LABELS.

    For each label, the first held-out image (in split order) that the model classifies correctly after
    the PNG round trip is used: the samples demonstrate the recipe, the accuracy is reported separately.
    """
    out = OUT_DIR / "digits"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("digit_*.png"):
        old.unlink()
    paths = []
    for label in DIGIT_SAMPLE_LABELS:
        for i in np.flatnonzero(y_te == label):
            img = digit_to_png(x_te[i])
            if int(mlp_predict(params, png_to_input(img))[0]) == label:
                path = out / f"digit_{label}_{int(i)}.png"
                img.save(path, format="PNG", optimize=False)
                paths.append(path)
                break
        else:
            raise RuntimeError(f"no correctly classified held-out sample for label {label}")
    return paths


# ------------------------------------------------------------------------------------ photo.png


def make_photo() -> Image.Image:
    """128x96 RGB image of flat shapes on a flat background (no antialiasing, deterministic)."""
    img = Image.new("RGB", PHOTO_SIZE, PHOTO_BACKGROUND)
    draw = ImageDraw.Draw(img)
    draw.rectangle((12, 14, 52, 54), fill=(230, 200, 40))  # yellow square
    draw.ellipse((66, 10, 114, 58), fill=(220, 60, 60))  # red disc
    draw.polygon([(20, 86), (48, 62), (76, 86)], fill=(80, 200, 120))  # green triangle
    draw.line((84, 66, 120, 88), fill=(250, 250, 250), width=3)  # white bar
    return img


# ---------------------------------------------------------------------------------- text/sentiment.onnx
POSITIVE = (
    "i loved this movie", "a wonderful and moving story", "great acting and a great plot", "what a delightful film",
    "the best show i have seen this year", "beautiful music and brilliant direction", "i really enjoyed it",
    "an excellent book that i would recommend", "the food was delicious and the staff were friendly",
    "fantastic service and a lovely room", "this phone works perfectly", "superb quality for the price",
    "a fun and charming comedy", "the ending was perfect", "i am very happy with this purchase",
    "brilliant idea and well made", "it was a pleasure to watch", "a great product that works well",
    "amazing performance by the whole cast", "i would happily buy it again", "the battery is excellent",
    "very good value", "a warm and funny film", "the best pizza in town", "nice design and easy to use",
    "i love the colours", "the concert was amazing", "a clever and beautiful game", "highly recommended",
    "good fun for the whole family", "the hotel was clean and comfortable", "it exceeded my expectations",
)
NEGATIVE = (
    "i hated this movie", "a boring and predictable story", "bad acting and a terrible plot", "what an awful film",
    "the worst show i have seen this year", "dull music and poor direction", "i really disliked it",
    "a terrible book that i would not recommend", "the food was cold and the staff were rude",
    "awful service and a dirty room", "this phone stopped working", "poor quality for the price",
    "a silly and tedious comedy", "the ending was stupid", "i am very unhappy with this purchase",
    "a waste of money", "it was painful to watch", "a cheap product that broke", "disappointing performance",
    "i would never buy it again", "the battery is useless", "very bad value", "a slow and boring film",
    "the worst pizza in town", "ugly design and hard to use", "i hate the colours", "the concert was a mess",
    "a broken and frustrating game", "not recommended", "no fun at all", "the hotel was dirty and noisy",
    "it was a complete disappointment",
)
# Held out: sentences the training never saw, for the accuracy in the metadata.
TEXT_TEST = (
    ("a wonderful film with great music", 1), ("the staff were friendly and the room was lovely", 1),
    ("i really enjoyed the game", 1), ("excellent quality", 1), ("the story was funny and clever", 1),
    ("a terrible and boring film", 0), ("the room was dirty and the service was awful", 0),
    ("i would not recommend this phone", 0), ("poor battery and cheap design", 0), ("the plot was stupid", 0),
)
TEXT_LABELS = ("negative", "positive")


def _words(text: str) -> list[str]:
    return text.lower().split()


def make_tokenizer(sentences: tuple[str, ...]) -> object:
    """A word-level tokenizer: lower-cased, split on spaces and punctuation; [PAD] 0, [UNK] 1, then the words
    of ``sentences`` in sorted order."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    words = sorted({w for text in sentences for w in _words(text)} | set(".,!?'"))  # punctuation: its own tokens
    vocab = {"[PAD]": 0, "[UNK]": 1, **{w: i + 2 for i, w in enumerate(words)}}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    return tok


def train_sentiment(tok: object, epochs: int = 3000, lr: float = 4.0, l2: float = 1e-4) -> tuple[np.ndarray, np.ndarray]:
    """Two scores a word, averaged over a text, plus a bias: logistic regression by full-batch gradient descent
    (deterministic: no sampling)."""
    texts = POSITIVE + NEGATIVE
    y = np.array([1] * len(POSITIVE) + [0] * len(NEGATIVE))
    vocab_size = tok.get_vocab_size()  # type: ignore[attr-defined]
    bags = np.zeros((len(texts), vocab_size), np.float64)
    for i, text in enumerate(texts):
        for t in tok.encode(text).ids:  # type: ignore[attr-defined]
            bags[i, t] += 1.0
    bags /= bags.sum(axis=1, keepdims=True)  # the mean over the text's words, as the graph takes it
    weights = np.zeros((vocab_size, 2))
    bias = np.zeros(2)
    onehot = np.eye(2)[y]
    for _ in range(epochs):
        probs = _softmax(bags @ weights + bias)
        grad = (probs - onehot) / len(texts)
        weights -= lr * (bags.T @ grad + l2 * weights)
        bias -= lr * grad.sum(axis=0)
    return weights.astype(np.float32), bias.astype(np.float32)


def sentiment_predict(tok: object, weights: np.ndarray, bias: np.ndarray, text: str) -> int:
    ids = tok.encode(text).ids  # type: ignore[attr-defined]
    return int(np.argmax(weights[ids].mean(axis=0) + bias))


def make_sentiment_model(weights: np.ndarray, bias: np.ndarray, accuracy: float) -> onnx.ModelProto:
    node = helper.make_node
    nodes = [
        node("Gather", ["word_scores", "input_ids"], ["/embed/Gather_output_0"], name="/embed/Gather", axis=0),
        node("ReduceMean", ["/embed/Gather_output_0"], ["/pool/ReduceMean_output_0"], name="/pool/ReduceMean",
             axes=[1], keepdims=0),
        node("Add", ["/pool/ReduceMean_output_0", "bias"], ["logits"], name="/head/Add"),
        node("Softmax", ["logits"], ["probabilities"], name="/softmax/Softmax", axis=-1),
    ]
    graph = helper.make_graph(
        nodes, "sentiment",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 2]),
         helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 2])],
        [_init("word_scores", weights), _init("bias", bias)],
    )
    metadata = {
        "author": AUTHOR,
        "description": "A toy sentiment classifier: each word's two scores averaged over the text, plus a bias.",
        "labels": json.dumps(list(TEXT_LABELS)),
        "task": "text-classification",
        "dataset": f"{len(POSITIVE) + len(NEGATIVE)} short sentences written in scripts/make_samples.py",
        "preprocess": "text -> token ids with tokenizer.json beside the model (lower-cased words)",
        "postprocess": "softmax over [negative, positive]",
        "test_accuracy": f"{accuracy:.4f}",
    }
    return _finish_model(graph, "Toy sentiment classifier over the words of a text (input_ids from tokenizer.json).",
                         metadata)


# ---------------------------------------------------------------------------------------------- main


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    written.append(_save_model(make_edges_model(), "edges.onnx"))
    written.append(_save_model(make_blur_model(), "blur.onnx"))

    x_tr, y_tr, x_te, y_te = load_digits_split()
    params = train_mlp(x_tr, y_tr)
    train_acc = float(np.mean(mlp_predict(params, x_tr) == y_tr))
    test_acc = float(np.mean(mlp_predict(params, x_te) == y_te))
    print(
        f"digits MLP: train accuracy {train_acc:.4f}, held-out test accuracy {test_acc:.4f} "
        f"({len(y_te)} images)"
    )
    if test_acc <= 0.9:
        raise RuntimeError(f"digits classifier accuracy too low: {test_acc:.4f}")
    written.append(
        _save_model(make_digits_model(params, test_acc, len(y_tr), len(y_te)), "digits_classifier.onnx")
    )
    written.extend(write_digit_samples(params, x_te, y_te))

    photo_path = OUT_DIR / "photo.png"
    make_photo().save(photo_path, format="PNG", optimize=False)
    written.append(photo_path)

    tok = make_tokenizer(POSITIVE + NEGATIVE)
    weights, bias = train_sentiment(tok)
    text_acc = float(np.mean([sentiment_predict(tok, weights, bias, t) == y for t, y in TEXT_TEST]))
    print(f"sentiment: held-out accuracy {text_acc:.4f} ({len(TEXT_TEST)} sentences)")
    if text_acc < 0.8:
        raise RuntimeError(f"sentiment classifier accuracy too low: {text_acc:.4f}")
    (OUT_DIR / "text").mkdir(exist_ok=True)
    written.append(_save_model(make_sentiment_model(weights, bias, text_acc), "text/sentiment.onnx"))
    tok_path = OUT_DIR / "text" / "tokenizer.json"
    tok.save(str(tok_path), pretty=False)  # type: ignore[attr-defined]
    written.append(tok_path)

    total = 0
    for path in written:
        size = path.stat().st_size
        total += size
        print(f"{size:8d}  {path.relative_to(REPO_ROOT)}")
    print(f"{total:8d}  total")


if __name__ == "__main__":
    main()
