"""`onnxstudio run MODEL ...`: run a model once in the isolated engine, print or save its outputs."""

from __future__ import annotations

import argparse
import json
import math
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from onnxstudio.cli.common import (
    add_session_options,
    memory_limit,
    parse_inputs,
    parse_preprocess,
    print_json,
    session_config,
)
from onnxstudio.core import box_outputs, detections, embeddings, poses, regions
from onnxstudio.core.answers import answer_outputs, read_answer, row_limit
from onnxstudio.core.class_rows import class_summary, distance_rows, map_scores, scores_each_text
from onnxstudio.core.each import EachRequest, run_each
from onnxstudio.core.embeddings import embedding_output
from onnxstudio.core.engine import Engine, OutputValue
from onnxstudio.core.errors import InputError
from onnxstudio.core.hf_processor import processor_beside, waveform_normalizer_beside
from onnxstudio.core.imaging import (
    VIDEO_LAYOUTS,
    ImageRecipe,
    describe_recipe,
    guess_recipe,
    image_files,
    recipe_for_model,
    recipe_with,
)
from onnxstudio.core.inputs import (
    ArrayFileSource,
    ImageSource,
    PositionsSource,
    Source,
    TextSource,
    bound_dims,
    build_feeds,
    decides_shape,
    default_reason,
    default_source,
    defaulted_dims,
    describe_source,
    model_dims,
)
from onnxstudio.core.inspection import inspect_model
from onnxstudio.core.outputs import (
    as_plain,
    class_map,
    class_shares,
    declared_classes,
    labels_beside,
    labels_from_metadata,
    load_labels_file,
    shown_label,
)
from onnxstudio.core.reference import ATOL, RTOL, compare_outputs, reference_sources
from onnxstudio.core.tables import write_table
from onnxstudio.core.values import ValueSpec, is_state

_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("run", help="run a model once and show (or save) its outputs")
    p.add_argument("model", help="path to a .onnx file")
    add_session_options(p)
    p.add_argument("--labels", metavar="FILE", help="class names for a classifier's outputs (a JSON list or one "
                   "per line); by default the model's metadata (labels, classes, names, character)")
    p.add_argument("--reference", metavar="DIR",
                   help="a test_data_set_N folder (ONNX Model Zoo layout): its input_K.pb feed the inputs not given "
                        "with --input, its output_K.pb are compared with the outputs (exit 1 when one differs)")
    p.add_argument("--save", metavar="DIR", help="write each tensor output to DIR/NAME.npy and DIR/outputs.json")
    p.add_argument("--output", "-o", action="append", default=[], metavar="TENSOR",
                   help="also return a tensor inside the model (a node's output), as if it were an output; "
                        "repeat it, or 'all' for every tensor (with --save: each one to a file)")
    p.add_argument("--save-format", choices=("npy", "csv"), default="npy",
                   help="with --save: .npy (default) or .csv tables (a row per item of the first axis)")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.set_defaults(func=run)


def safe_file_name(name: str, used: set[str]) -> str:
    """A file name for an output name that is safe on every OS and unique within ``used``."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "output"
    if base.lower() in _RESERVED:
        base = f"_{base}"
    base = base[:100]
    candidate, i = base, 1
    while candidate.lower() in used:
        i += 1
        candidate = f"{base}_{i}"
    used.add(candidate.lower())
    return candidate


def to_jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(to_jsonable(k)): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def save_outputs(outputs: tuple[OutputValue, ...], directory: str | Path, fmt: str = "npy") -> Path:
    """Each tensor output as ``.npy`` (or a ``.csv`` table: :func:`~onnxstudio.core.tables.write_table`), the
    rest as JSON in ``outputs.json``, which lists them all."""
    out_dir = Path(directory)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--save {directory}: cannot make the folder ({exc.strerror or exc})") from None
    used: set[str] = set()
    entries = []
    for out in outputs:
        entry: dict[str, Any] = {"name": out.name, "kind": out.kind, "dtype": out.dtype,
                                 "shape": list(out.shape) if out.shape is not None else None}
        if out.kind == "tensor":
            file_name = safe_file_name(out.name, used) + f".{fmt}"
            value = as_plain(out.value)  # .npy has no bfloat16/float8: those are saved as float32
            if fmt == "csv":
                write_table(out_dir / file_name, value)
            else:
                np.save(out_dir / file_name, value, allow_pickle=value.dtype == object)
            entry["file"] = file_name
            if value.dtype != out.value.dtype:
                entry["saved_dtype"] = str(value.dtype)
        else:
            entry["value"] = to_jsonable(out.value)
        entries.append(entry)
    index = out_dir / "outputs.json"
    index.write_text(json.dumps({"outputs": entries}, indent=2))
    return index


def prepare(args: argparse.Namespace) -> tuple[Any, dict[str, Any], list[dict[str, Any]], list[str]]:
    report = inspect_model(args.model, shapes=False)
    sources, dims = parse_inputs(args, report.inputs)
    picture_like = any(guess_recipe(s) for s in report.inputs)
    found = processor_beside(args.model) if picture_like else None  # a Hugging Face model's pictures' steps
    dims = {**model_dims(report.inputs, report.metadata, report.outputs, report.producer_name,  # the model's own,
                         found.size if found else None), **dims}  # unless --dim
    if getattr(args, "reference", None):  # the reference's inputs, where --input gives none
        sources = {**reference_sources(args.reference, report.inputs), **sources}
    steps = parse_preprocess(args)
    names = {spec.name for spec in report.inputs}
    for name, _, _ in steps:
        if name is not None and not isinstance(sources.get(name), ImageSource):
            raise InputError(f"--preprocess {name}:...: " + (f"input {name!r} is not given an image" if name in names
                             else f"the model has no input named {name!r}"))
    pictures = [spec for spec in report.inputs if isinstance(sources.get(spec.name), ImageSource)]
    if steps and not pictures:
        raise InputError("--preprocess applies to inputs given an image (--input NAME=photo.jpg); none is")
    recipes: dict[str, str] = {}
    processor = (found if picture_like else processor_beside(args.model)) if pictures else None  # read once
    for spec in pictures:  # the recipe the model's exporter implies (Ultralytics: letterbox), then the user's steps
        source = sources[spec.name]
        recipe = source.recipe or recipe_for_model(spec, report.metadata, processor)  # type: ignore[union-attr]
        if recipe is None and steps:
            recipe = ImageRecipe()
        for name, key, value in steps:
            if recipe is not None and name in (None, spec.name):
                recipe = recipe_with(recipe, key, value)
        sources[spec.name] = replace(source, recipe=recipe)  # type: ignore[type-var]
        if recipe is not None:
            recipes[spec.name] = describe_recipe(recipe)
    notes: list[str] = []
    waves = [n for n, src in sources.items() if isinstance(src, ArrayFileSource) and src.path.lower().endswith(".wav")]
    normalizer = waveform_normalizer_beside(args.model) if waves else None
    if normalizer is not None:  # wav2vec2's feature extractor: zero mean, unit variance
        sources.update({n: replace(sources[n], normalize=True) for n in waves})  # type: ignore[type-var]
        notes.append(f"{', '.join(waves)}: samples normalized to zero mean and unit variance as {normalizer} says")
    if processor is not None and any(spec.dtype.startswith("float") for spec in pictures):
        notes.append(f"pictures prepared as {processor.path} says ({processor.describe()}); --preprocess to change")
    args.pair = None  # a question-answering head given two texts: a question and its context, one row
    if answer_outputs(report.outputs) is not None:
        for name, source in sources.items():
            if isinstance(source, TextSource) and len(source.texts) == 2:
                sources[name] = args.pair = replace(source, pair=True)
                args.pair_spec = next(spec for spec in report.inputs if spec.name == name)
                notes.append(f"input {name!r}: a question and its context, one pair (the model answers from the "
                             "context)")
                break
    each = EachRequest.find(report.inputs, sources, dims)  # a folder for a model that takes one picture a run
    args.each = each if getattr(args, "command", "") == "run" and not getattr(args, "output", None) else None
    if each is not None:
        feeds = each.feeds_for(0, notes)
        n = len(each.files)
        notes.append(f"input {each.name!r} takes one picture at a time: " + (
            f"the folder's {n} pictures run one by one, their outputs stacked in file order" if args.each else
            f"the first of the folder's {n} pictures is used (run runs each)"))
    else:
        feeds = build_feeds(report.inputs, sources, dims, notes)
    described = []
    for spec in report.inputs:
        source: Source = sources.get(spec.name) or default_source(spec, report.inputs)
        value = feeds[spec.name]
        if isinstance(source, PositionsSource) and isinstance(value, np.ndarray) and value.ndim == 2 and value.size:
            source = PositionsSource(int(value[0, 0]))  # after a cache: where they start
        items = value if isinstance(value, list) else [value]
        first = items[0] if items else None  # an empty sequence: the model's element type, no shape
        dtype = spec.dtype if first is None else "string" if first.dtype == object else str(first.dtype)
        prefix = f"input {spec.name!r}: "
        completed = next((n[len(prefix):] for n in notes if n.startswith(prefix)), None) \
            if spec.name not in sources else None  # a mask or token types a text completed: what it is fed
        entry = {"name": spec.name, "source": completed or describe_source(source), "dtype": dtype,
                 "shape": [] if first is None else list(first.shape)}
        if spec.name in recipes:
            entry["recipe"] = recipes[spec.name]
        if args.each is not None and spec.name == args.each.name:
            entry["runs"] = len(args.each.files)  # one picture a run: the shape is each run's
        if isinstance(value, list):  # a sequence input: the shape of each of its tensors
            entry["sequence_shapes"] = [list(a.shape) for a in items]
        described.append(entry)
        if spec.name not in sources and completed is None:
            notes.append(f"input {spec.name!r} was not given: {default_reason(spec, report.inputs)}")
    bound: dict[str, int] = {}
    for spec in report.inputs:
        if decides_shape(sources.get(spec.name) or default_source(spec, report.inputs)):
            bound.update(bound_dims(spec, feeds[spec.name]))
    args.defaulted_dims = defaulted_dims(report.inputs, dims, bound)  # named in a failure on the shapes
    return report, feeds, described, notes


def _summary(out: OutputValue) -> str:
    if out.kind == "tensor" and out.value.dtype != object and out.value.size:
        v = out.value.astype(np.float64, copy=False)
        finite = v[np.isfinite(v)]
        nan, inf = int(np.isnan(v).sum()), int(np.isinf(v).sum())
        odd = (f"  NaN {nan}" if nan else "") + (f"  Inf {inf}" if inf else "")  # where min/max/mean leave them out
        if finite.size:
            return f"min {finite.min():.6g} max {finite.max():.6g} mean {finite.mean():.6g}{odd}"
        if odd:
            return f"no finite value:{odd}"
    text = json.dumps(to_jsonable(out.value))
    return text if len(text) < 100 else text[:97] + "..."


def _labels(args: argparse.Namespace, report: Any, notes: list[str]) -> list[str]:
    """``--labels``, else the model's metadata, else a labels file shipped beside the model (said in ``notes``)."""
    if args.labels:
        try:
            return load_labels_file(args.labels)
        except OSError as exc:
            raise InputError(f"--labels {args.labels}: cannot read the file ({exc.strerror})") from None
    labels = labels_from_metadata(report.metadata)
    if labels:
        return labels
    found = labels_beside(args.model, declared_classes(report.outputs))
    if found is None:
        return []
    notes.append(f"labels from {found[1]} (beside the model; --labels FILE to choose another)")
    return found[0]


def _batch_names(args: argparse.Namespace, specs: Sequence[ValueSpec] = ()) -> tuple[list[str], str]:
    """What names a batch's rows, in order, and its --json key: the file names of the first folder of images
    given as an input ("file"; not a video input's frames, which are one clip), or the texts of a batch of texts
    ("text")."""
    clips = {spec.name for spec in specs if (r := guess_recipe(spec)) is not None and r.layout in VIDEO_LAYOUTS}
    for name, source in parse_inputs(args)[0].items():
        if isinstance(source, ImageSource) and Path(source.path).is_dir() and name not in clips:
            return [f.name for f in image_files(source.path)], "file"
        if isinstance(source, TextSource) and len(source.texts) > 1:
            return source.texts, "text"
    return [], "file"


def _row_name(e: dict, i: int) -> str:
    return e["file"] if "file" in e else f"«{e['text'][:40]}»" if "text" in e else f"row {i}"


def _with_files(summary: dict | None, names: list[str], key: str = "file") -> dict | None:
    """Each row of ``top_per_row`` with its image's file name (or its text, ``key`` "text"), where the rows are
    the folder's images (the batch's texts)."""
    rows = (summary or {}).get("top_per_row") or (summary or {}).get("nearest_per_row")
    if rows and len(rows) == len(names):
        for row, name in zip(rows, names, strict=True):
            row[key] = name
    return summary


def _boxes(value: object, labels: list[str]) -> dict | None:
    """A YOLO detector's boxes (score >= 0.25, merged per class) for --json; None for other outputs."""
    if not isinstance(value, np.ndarray) or not detections.plausible(value):
        return None
    return {"detections": [_detection_dict(d) for d in detections.detections(value, labels)]}


def _detection_dict(d: detections.Detection) -> dict:
    """A box for --json: class, score, corners in the input's pixels; an -obb box's angle and turned corners."""
    turned = {"angle": d.angle, "corners": d.corners().round(2).tolist()} if d.angle is not None else {}
    return {"index": d.index, "label": d.label, "score": d.score, "box": list(d.box)} | turned


def _split_dicts(head: box_outputs.SplitHead, named: dict[str, Any], found: list[detections.Detection],
                 size: tuple[int, int] | None) -> list[dict]:
    """A split head's boxes for --json, each with its keypoints ([x, y, visibility] in the input's pixels) and the
    pixels its mask covers on the input picture, where the model gives them."""
    dicts = [_detection_dict(d) for d in found]
    for d, points in zip(dicts, box_outputs.split_keypoints(head, named, found, size), strict=False):
        d["keypoints"] = points.round(2).tolist()
    owners = box_outputs.split_mask_owners(head, named, found, size) if size is not None else None
    if owners is not None:
        pixels = np.bincount(owners[owners >= 0].ravel(), minlength=len(found))
        for i, d in enumerate(dicts[:box_outputs.MAX_MASKS]):
            d["mask_pixels"] = int(pixels[i])
    return dicts


def _regions(value: object) -> dict | None:
    """A probability map's regions (a DB text detector's lines: over 0.3, scoring 0.5 or more) for --json."""
    plane = regions.probability_map(value) if isinstance(value, np.ndarray) else None
    found = regions.regions(plane) if plane is not None else None
    if found is None:
        return None
    return {"regions": [{"box": [round(v, 1) for v in r.box], "score": r.score, "pixels": r.pixels} for r in found]}


def _extras(outputs: Sequence[OutputValue], labels: list[str], files: list[str], feeds: dict[str, Any],
            row_key: str = "file"
            ) -> dict[str, dict]:
    """What each output is read as (:func:`_json_extra`); a detector's boxes given apart from its scores and
    classes are the boxes output's (in the input picture's pixels), and its other outputs are none of a
    classifier's."""
    split = box_outputs.find_split_head([(o.name, o.value) for o in outputs])
    size = box_outputs.picture_size([np.shape(v) for v in feeds.values() if isinstance(v, np.ndarray)])
    extras: dict[str, dict] = {}
    for o in outputs:
        rows = poses.movenet(o.value) if o.kind == "tensor" else None
        if rows is not None:  # MoveNet: people's keypoints in 0-1, as pixels of the picture given
            found, points = poses.people(rows, size or (1, 1))
            extras[o.name] = {"people": [{"score": d.score, "box": list(d.box), "keypoints": p.round(2).tolist()}
                                         for d, p in zip(found, points, strict=True)]}
        elif split is not None and o.name == split.boxes:
            named = {x.name: x.value for x in outputs}
            found = box_outputs.split_detections(split, named, size, labels)
            extras[o.name] = {"detections": _split_dicts(split, named, found, size), "layout": split.describe()}
        elif (mapped := map_scores(o.value) if o.kind != "tensor" else None) is not None:
            extras[o.name] = class_summary(mapped[0], mapped[1]) or {}  # ZipMap: a map of class -> probability a row
        elif o.kind != "tensor" or (split is not None and o.name in split.names):
            extras[o.name] = {}
        elif row_key == "text" and scores_each_text(np.shape(o.value), len(files)):  # CLIP: the texts are classes
            extras[o.name] = class_summary(o.value, files) or {}
        else:
            distances = distance_rows(o.value, [(x.name, x.value) for x in outputs])  # KMeans: label is scores' ArgMin
            extras[o.name] = _with_files(class_summary(o.value, labels, distances=distances), files, row_key) \
                or {} if distances is not None else _json_extra(o.name, o.value, labels, files, row_key)
    return extras


def _json_extra(name: str, value: object, labels: list[str], files: list[str], row_key: str = "file") -> dict:
    """A detector's boxes, a text detector's regions, an embedding's norms and similarities or a classifier's best
    classes, for an output's --json entry (not for a recurrent state: Silero's ``stateN`` is no classifier's)."""
    if is_state(name):
        return {}
    if embedding_output(name, value):  # type: ignore[arg-type]
        return {"vector": embeddings.summarize(value).to_dict()}  # type: ignore[arg-type, union-attr]
    return (_boxes(value, labels) or _regions(value) or _class_map(value, labels)
            or _with_files(class_summary(value, labels), files, row_key) or {})  # type: ignore[arg-type]


def _class_map(value: object, labels: list[str]) -> dict | None:
    """A segmentation's class map (argmax over its class planes) as each class's share of the pixels, for --json."""
    shares = class_shares(value, labels) if isinstance(value, np.ndarray) else None
    if shares is None:
        return None
    return {"class_map": {"size": list(class_map(value).shape),  # type: ignore[arg-type]
                          "classes": [{"index": i, "label": label, "share": round(share, 6)}
                                      for i, label, share in shares]}}


def _people_line(name: str, found: list[dict]) -> str:
    shown = ", ".join(f"{p['score']:.2f} [{', '.join(f'{v:.0f}' for v in p['box'])}] with "
                      f"{sum(k[2] >= 0.3 for k in p['keypoints'])} of {len(p['keypoints'])} keypoints over 0.3"
                      for p in found[:5])
    return f"people      {name}: {len(found)} scoring 0.25 or more" + (f": {shown}" if found else "")


def _regions_line(name: str, found: list[dict]) -> str:
    shown = ", ".join(f"[{', '.join(f'{v:.0f}' for v in r['box'])}] {r['score']:.2f}" for r in found[:5])
    more = f", … ({len(found) - 5} more)" if len(found) > 5 else ""
    return f"regions     {name}: {len(found)} over 0.3" + (f": {shown}{more}" if found else "")


def _boxes_line(name: str, found: list[dict]) -> str:
    shown = ", ".join(f"{shown_label(d['label'])} {d['score']:.2f} [{', '.join(f'{v:.0f}' for v in d['box'])}]"
                      + (f" turned {math.degrees(d['angle']):.0f}°" if "angle" in d else "") for d in found[:5])
    more = f", … ({len(found) - 5} more)" if len(found) > 5 else ""
    with_ = [f"{len(found[0]['keypoints'])} keypoints each"] if found and "keypoints" in found[0] else []
    with_ += ["masks"] if found and "mask_pixels" in found[0] else []
    extra = f" (with {' and '.join(with_)})" if with_ else ""
    return f"boxes       {name}: {len(found)} scoring 0.25 or more{extra}" + (f": {shown}{more}" if found else "")


def _answer_line(name: str, answer: dict) -> str:
    window = f"window {answer['row'] + 1} of {answer['rows']}, " if answer.get("rows", 1) > 1 else ""
    return (f"answer      {name}: «{answer['text']}» ({window}tokens {answer['start']}-{answer['end']}, "
            f"score {answer['score']:.4g})")


def _class_map_line(name: str, found: dict) -> str:
    h, w = found["size"]
    classes = found["classes"]
    shown = ", ".join(f"{shown_label(c['label'])} {c['share']:.1%}" for c in classes[:5])
    more = f", … ({len(classes) - 5} more)" if len(classes) > 5 else ""
    kinds = f"{len(classes)} class{'es' if len(classes) != 1 else ''}"
    return f"class map   {name}: {h} x {w} pixels, {kinds}: {shown}{more}"


def _vector_line(name: str, vector: dict, files: list[str]) -> str:
    """An embedding's size and norms; for a batch of up to 8 rows, their cosine similarities, a row per line."""
    norms = vector["l2_norms"]
    unit = embeddings.unit_length(norms)
    what = f"{vector['size']} values" if vector["rows"] == 1 else f"{vector['rows']} rows of {vector['size']} values"
    shown = ", ".join(f"{n:.4f}" for n in norms[:8]) + (", …" if len(norms) > 8 else "")
    line = f"vector      {name}: {what}, L2 norm{'s' if len(norms) > 1 else ''} {shown}" + (
        " (unit length)" if unit else "")
    sim = vector.get("cosine_similarity")
    if sim and len(sim) <= 8:
        names = files if len(files) == len(sim) else [f"row {i}" for i in range(len(sim))]
        width = max(len(n) for n in names)
        line += "\n              cosine similarity"
        line += "".join(f"\n              {n:<{width}}  " + "  ".join(f"{v:6.3f}" for v in row)
                        for n, row in zip(names, sim, strict=True))
    return line


def _classes_line(name: str, summary: dict) -> str:
    """``top``: a classifier's best classes; per row for up to 8 rows; the CTC reading of an OCR line."""
    def one(e: dict) -> str:
        label = e["label"] if e["label"] == str(e["index"]) else f"{shown_label(e['label'])} ({e['index']})"
        return f"{label} {e['probability'] * 100:.1f} %"

    def near(e: dict) -> str:
        label = e["label"] if e["label"] == str(e["index"]) else f"{shown_label(e['label'])} ({e['index']})"
        return f"{label} at {e['distance']:.4g}"

    if "top" in summary:
        return f"top         {name}: " + ", ".join(one(e) for e in summary["top"])
    if "nearest" in summary:
        return f"nearest     {name}: " + ", ".join(near(e) for e in summary["nearest"]) + " (lowest first)"
    if "nearest_per_row" in summary:
        rows = summary["nearest_per_row"]
        return "" if len(rows) > 8 else f"nearest     {name}:" + "".join(
            f"\n              {_row_name(e, i)}: {near(e)}" for i, e in enumerate(rows))
    if "ctc_text" in summary:
        return f"reads       {name}: «{summary['ctc_text']}» (greedy CTC)"
    rows = summary["top_per_row"]
    if len(rows) > 8:
        return ""
    return f"top         {name}:" + "".join(f"\n              {_row_name(e, i)}: {one(e)}"
                                            for i, e in enumerate(rows))


def run(args: argparse.Namespace) -> int:
    import sys

    report, feeds, inputs, notes = prepare(args)
    labels = _labels(args, report, notes)
    files, row_key = _batch_names(args, report.inputs)
    with Engine(args.model, session_config(args), memory_limit_bytes=memory_limit(args),
                timeout_s=args.timeout) as engine:
        if args.output:  # tensors inside the model too, in a session of their own
            result, inside = engine.run_tensors(feeds, args.output)
            added = set(inside)
            info = result.session
        else:
            info = engine.create_session()
            result = run_each(engine, args.each) if args.each is not None else engine.run(feeds)
            added = set()
    index = save_outputs(result.outputs, args.save, args.save_format) if args.save else None
    own = [o for o in result.outputs if o.name not in added]  # the model's outputs, not tensors from inside it
    compared = compare_outputs([(o.name, o.value) for o in own], args.reference) if args.reference else []
    failed = [c for c in compared if not c.ok]
    extras = {**_extras(tuple(own), labels, files, feeds, row_key), **{name: {} for name in added}}
    heads = answer_outputs(report.outputs)
    if heads is not None:  # a question-answering head's scores rank positions, not classes
        extras.update({h: {} for h in heads if h in extras})
    if heads is not None and getattr(args, "pair", None) is not None and args.each is None:
        values = {o.name: o.value for o in own}
        if all(isinstance(values.get(h), np.ndarray) and values[h].size for h in heads):
            found = read_answer(args.pair.tokenizer, *args.pair.texts, values[heads[0]], values[heads[1]],
                                row_limit(args.pair_spec, args.pair.tokenizer))
            if found is not None:
                extras[heads[0]] = {"answer": {"text": found.text, "start": found.start, "end": found.end,
                                               "score": found.score, "row": found.row, "rows": found.rows}}
    if failed:  # scripts see the check fail; the outputs are still printed and saved
        print(f"error: {len(failed)} of {len(compared)} outputs differ from {args.reference}: {failed[0].name}: "
              f"{failed[0].detail}", file=sys.stderr)
    if args.json:
        print_json({
            "model": str(args.model),
            "requested": list(info.requested),
            "providers": list(info.providers),
            "fallback": list(info.fallback),
            "session_create_ms": info.create_ms,
            "session_cached": info.cached,
            "run_ms": result.run_ms,
            "peak_memory_bytes": result.peak_memory_bytes,
            "inputs": inputs,
            "outputs": [{"name": o.name, "kind": o.kind, "dtype": o.dtype,
                         "shape": list(o.shape) if o.shape is not None else None,
                         **({"inside": True} if o.name in added else {}), **extras[o.name]}
                        for o in result.outputs],
            "saved": str(index) if index else None,
            "notes": notes,
            **({"reference": {"folder": str(args.reference), "ok": not failed, "rtol": RTOL, "atol": ATOL,
                              "outputs": [{"name": c.name, "ok": c.ok, "detail": c.detail,
                                           "max_abs_diff": c.max_abs_diff} for c in compared]}}
               if args.reference else {}),
        })
        return 1 if failed else 0
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"providers   {', '.join(info.providers)}" + (f" (fell back from {', '.join(info.fallback)})"
                                                       if info.fallback else ""))
    print(f"session     {info.create_ms:.1f} ms{' (cached)' if info.cached else ''}")
    runs = len(args.each.files) if args.each is not None else 1
    print(f"run         {result.run_ms:.2f} ms" + (f" for {runs} runs ({result.run_ms / runs:.2f} ms each)"
                                                 if runs > 1 else ""))
    for spec in inputs:
        shapes = spec.get("sequence_shapes")
        what = f"sequence of {len(shapes)} {spec['dtype']} {shapes}" if shapes is not None else \
            f"{spec['dtype']} {spec['shape']}"
        print(f"input       {spec['name']}: {what} from {spec['source']}"
              + (f" ({spec['recipe']})" if "recipe" in spec else "")
              + (f", one of its {spec['runs']} pictures a run" if "runs" in spec else ""))
    for out in result.outputs:
        shape = list(out.shape) if out.shape is not None else "-"
        print(f"{'inside' if out.name in added else 'output':<12}{out.name}: {out.kind} {out.dtype} {shape}  "
              f"{_summary(out)}")
        extra = extras[out.name]
        line = _boxes_line(out.name, extra["detections"]) if "detections" in extra else \
            _people_line(out.name, extra["people"]) if "people" in extra else \
            _vector_line(out.name, extra["vector"], files) if "vector" in extra else \
            _regions_line(out.name, extra["regions"]) if "regions" in extra else \
            _class_map_line(out.name, extra["class_map"]) if "class_map" in extra else \
            _answer_line(out.name, extra["answer"]) if "answer" in extra else \
            _classes_line(out.name, extra) if extra else ""
        if line:
            print(line)
    for c in compared:
        print(f"reference   {c.name}: {'matches' if c.ok else 'DIFFERS'} ({c.detail})")
    if index:
        print(f"saved       {index}")
    return 1 if failed else 0
