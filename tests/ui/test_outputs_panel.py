"""Output views chosen from the output's shape (no engine needed: RunResult is plain data)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from onnxstudio.core.engine import RunResult, SessionInfo, describe_output
from onnxstudio.core.tables import table_value
from onnxstudio.core.values import ValueSpec
from onnxstudio.ui.outputs_panel import OutputsPanel

SESSION = SessionInfo(("CPUExecutionProvider",), ("CPUExecutionProvider",), (), 1.0, False)


def _result(**outputs: object) -> RunResult:
    return RunResult(tuple(describe_output(k, v) for k, v in outputs.items()), 1.0, SESSION, 0)


def test_views_per_shape(qtbot, tmp_path) -> None:
    panel = OutputsPanel()
    qtbot.addWidget(panel)
    rng = np.random.default_rng(0)
    seg = np.zeros((1, 4, 16, 16), np.float32)
    seg[0, 2, 4:12, 4:12] = 5
    panel.set_labels(["bg", "cat", "dog", "car"])
    image = rng.integers(0, 255, (32, 32, 3), dtype=np.uint8)
    panel.set_result(_result(probs=np.array([[0.1, 0.7, 0.2]], np.float32), seg=seg,
                             grid=rng.random((5, 7)), cube=rng.random((2, 3, 4, 5)),
                             names=["a", "b"]), input_image=image)
    assert panel.list.count() == 5
    assert panel.view_titles() == ["Top-k", "Values"]
    assert panel.view_widget("Top-k").top_label() == "cat"
    panel.list.setCurrentRow(1)
    assert panel.view_titles() == ["Mask", "Image", "Channels", "Values"]
    mask = panel.view_widget("Mask")
    assert mask.blend.isChecked() and mask.current.shape == (16, 16, 3)
    assert "dog" in mask.legend.text()
    panel.list.setCurrentRow(2)
    assert panel.view_titles() == ["By row", "Heatmap", "Values"]  # five rows of seven scores
    panel.list.setCurrentRow(3)
    table = panel.view_widget("Values")
    assert len(table.slicers) == 2
    table.slicers[0].setValue(1)
    table.slicers[1].setValue(2)
    assert table.model.array.shape == (4, 5) and np.allclose(table.model.array, panel.result.outputs[3].value[1, 2])
    panel.save_output(str(tmp_path / "cube.npy"))
    assert np.load(tmp_path / "cube.npy").shape == (2, 3, 4, 5)
    panel.save_output(str(tmp_path / "cube.csv"))  # a row per item of the first axis, read back the same
    lines = (tmp_path / "cube.csv").read_text().splitlines()
    assert len(lines) == 2 and lines[0].count(",") == 59
    back = table_value(ValueSpec("cube", "tensor", "float64", (2, 3, 4, 5), ""), tmp_path / "cube.csv")
    np.testing.assert_array_equal(back, panel.result.outputs[3].value)
    panel.list.setCurrentRow(4)
    assert panel.view_titles() == ["Value"] and not panel.save_button.isEnabled()
    panel.clear()
    assert panel.list.count() == 0


def test_labels_file_changes_top_k(qtbot, tmp_path) -> None:
    panel = OutputsPanel()
    qtbot.addWidget(panel)
    panel.set_result(_result(logits=np.array([1.0, 5.0, 2.0], np.float32)))
    assert panel.view_widget("Top-k").top_label() == "1"
    from onnxstudio.core.outputs import load_labels_file

    (tmp_path / "labels.txt").write_text("zero\none\ntwo\n")
    panel.labels = load_labels_file(tmp_path / "labels.txt")
    panel._show(0)
    assert panel.view_widget("Top-k").top_label() == "one"


def test_heatmap_cells_are_square_only_for_picture_like_planes(qtbot) -> None:
    """A depth map keeps square cells; YOLO's boxes x scores matrix fills the view instead of a thin strip."""
    from onnxstudio.ui.output_views import heatmap_view

    def locked(shape: tuple[int, ...]) -> bool:
        view = heatmap_view(np.random.default_rng(0).random(shape).astype(np.float32))
        qtbot.addWidget(view)
        return bool(view.getItem(0, 0).getViewBox().state["aspectLocked"])

    assert locked((1, 1, 96, 128)) and locked((1, 256, 192))
    assert not locked((1, 22, 252)) and not locked((1, 84, 8400))


def test_rows_of_class_scores(qtbot) -> None:
    """A folder of images through a classifier ([3, 4]) lists each image's best class with the model's labels;
    an OCR recogniser's [1, T, C] reads as greedy CTC, its character list (metadata) lined up after the blank."""
    panel = OutputsPanel()
    qtbot.addWidget(panel)
    panel.set_labels(["bg", "cat", "dog", "car"])
    logits = np.array([[0, 5, 1, 0], [0, 0, 0, 9], [3, 1, 1, 1]], np.float32)
    panel.set_result(_result(logits=logits), batch_names=["a.png", "b.png", "c.png"])  # a folder's images
    assert panel.view_titles()[0] == "By row"
    rows = panel.view_widget("By row")
    assert rows.best_per_row() == [1, 3, 0]
    assert "best per row: cat, car, bg" in rows.summary.text()
    model = rows.model
    assert model.rowCount() == 3 and model.data(model.index(1, 0)) == "car  (3)"
    assert model.data(model.index(0, 3)).startswith("dog  (2)")  # the next best of row 0
    assert model.headerData(2, Qt.Orientation.Vertical) == "c.png"
    rows.k.setValue(1)
    assert model.columnCount() == 3

    steps = np.full((1, 6, 4), -5.0, np.float32)  # blank, a, a, blank, b, (space)
    for t, c in enumerate([0, 1, 1, 0, 2, 3]):
        steps[0, t, c] = 5.0
    panel.set_labels(["a", "b"])  # PaddleOCR's metadata: no blank, no space
    panel.set_result(_result(logits=steps))
    rows = panel.view_widget("By row")
    assert "«ab »" in rows.summary.text()
    assert rows.model.data(rows.model.index(5, 0)) == "(space)  (3)"


def test_a_detectors_boxes_on_the_input_picture(qtbot) -> None:
    """A YOLOv8 output ([1, 4 + classes, 2100]: 320 px) opens on its boxes, drawn over the input picture, with
    the model's labels; the threshold hides the weaker ones."""
    value = np.zeros((1, 6, 2100), np.float32)
    value[0, 4:] = 0.001
    value[0, :, 0] = (100, 100, 60, 40, 0.9, 0.0)
    value[0, :, 1] = (250, 200, 30, 30, 0.0, 0.4)
    panel = OutputsPanel()
    qtbot.addWidget(panel)
    panel.set_labels(["face", "hand"])
    picture = np.zeros((320, 320, 3), np.uint8)
    panel.set_result(_result(output0=value), input_image=picture)
    assert panel.view_titles() == ["Boxes", "Heatmap", "Values"] and panel.labels_button.isEnabled()
    boxes = panel.view_widget("Boxes")
    assert [(d.label, d.box) for d in boxes.found] == [("face", (70.0, 80.0, 130.0, 120.0)),
                                                      ("hand", (235.0, 185.0, 265.0, 215.0))]
    assert boxes.table.rowCount() == 2 and boxes.table.item(0, 0).text() == "face  (0)"
    shown = boxes.picture.source().toImage()
    assert shown.width() == 720  # the picture, enlarged; the best box's edge is drawn in its class colour
    edge = shown.pixelColor(round(70 * 720 / 320), round(100 * 720 / 320))
    assert (edge.red(), edge.green(), edge.blue()) != (0, 0, 0)
    boxes.threshold.setValue(0.5)
    assert len(boxes.found) == 1 and boxes.table.rowCount() == 1


def test_a_segmenters_masks_are_drawn_in_their_boxes(qtbot) -> None:
    """A YOLO -seg export: output0 [1, 4 + classes + m, anchors] with m mask coefficients per anchor, output1
    [1, m, h, w] prototypes. Each box gets coefficients x prototypes, cut to the box, over its picture; the
    picture shrinks to the pane instead of losing its sides."""
    value = np.zeros((1, 4 + 2 + 4, 2100), np.float32)
    value[0, 4:6] = 0.001
    value[0, 6:] = -1.0  # mask coefficients: outside 0-1, so not classes
    value[0, :, 0] = (100, 100, 80, 80, 0.1, 0.9, 5.0, -1.0, -1.0, -1.0)  # class 1, mask from prototype 0
    protos = np.zeros((1, 4, 80, 80), np.float32)
    protos[0, 0, :, :40] = 1.0  # prototype 0: the left half of the picture
    protos[0, 0, :, 40:] = -1.0
    panel = OutputsPanel()
    qtbot.addWidget(panel)
    picture = np.full((320, 320, 3), 200, np.uint8)
    panel.set_result(_result(output0=value, output1=protos), input_image=picture)
    boxes = panel.view_widget("Boxes")
    assert [(d.index, d.box) for d in boxes.found] == [(1, (60.0, 60.0, 140.0, 140.0))]
    assert "YOLOv8 segmentation output" in boxes.summary.text()
    owners = boxes.owners
    assert owners[100, 80] == 0 and owners[100, 150] == -1 and owners[30, 80] == -1  # in the box, left half
    assert (owners >= 0).sum() == 80 * 80  # the whole box lies in the left half (x < 160)
    shown = boxes.picture.source().toImage()
    inside, outside = shown.pixelColor(round(100 * 720 / 320), round(100 * 720 / 320)), shown.pixelColor(20, 20)
    assert (inside.red(), inside.green(), inside.blue()) != (outside.red(), outside.green(), outside.blue())
    boxes.resize(400, 300)
    boxes.show()
    qtbot.wait(50)
    assert boxes.picture.pixmap().height() <= boxes.picture.height()  # fitted, not cut


def test_a_pose_models_keypoints_are_drawn(qtbot) -> None:
    """A YOLO -pose export: [1, 4 + 1 + 17 x 3, anchors], each person's 17 keypoints (x, y, visibility)."""
    value = np.zeros((1, 4 + 1 + 51, 2100), np.float32)
    value[0, 4] = 0.001
    points = np.array([(160 + 10 * (k % 3), 100 + 8 * k, 0.9) for k in range(17)], np.float32)
    value[0, 5:, 0] = points.ravel()
    value[0, :5, 0] = (165, 170, 60, 160, 0.8)
    panel = OutputsPanel()
    qtbot.addWidget(panel)
    panel.set_result(_result(output0=value), input_image=np.zeros((320, 320, 3), np.uint8))
    boxes = panel.view_widget("Boxes")
    assert len(boxes.found) == 1 and "pose" in boxes.summary.text()
    assert np.allclose(boxes.points[0], points)
    dot = boxes.picture.source().toImage().pixelColor(round(160 * 720 / 320), round(100 * 720 / 320))
    assert (dot.red(), dot.green(), dot.blue()) == (255, 200, 0)  # the nose, a yellow dot


def test_an_end_to_end_head_is_boxes_only_when_its_values_are(qtbot) -> None:
    boxes = np.zeros((1, 300, 6), np.float32)
    boxes[0, 0] = (10, 20, 50, 80, 0.9, 0)
    panel = OutputsPanel()
    qtbot.addWidget(panel)
    panel.set_result(_result(output0=boxes, other=np.random.default_rng(0).normal(size=(1, 300, 6))))
    assert panel.view_titles()[0] == "Boxes" and len(panel.view_widget("Boxes").found) == 1
    panel.list.setCurrentRow(1)
    assert "Boxes" not in panel.view_titles()


def test_a_text_detectors_map_offers_its_regions(qtbot) -> None:
    """PaddleOCR's DB detector outputs [1, 1, H, W] probabilities: a Regions tab boxes each text line on the input
    picture; a map that is not probabilities (an edge filter's output) gets none."""
    plane = np.zeros((1, 1, 64, 128), np.float32)
    plane[0, 0, 8:16, 10:100] = 0.95
    plane[0, 0, 30:40, 10:60] = 0.9
    panel = OutputsPanel()
    qtbot.addWidget(panel)
    panel.set_result(_result(map=plane), input_image=np.zeros((128, 256, 3), np.uint8))  # the picture: 2x the map
    assert "Regions" in panel.view_titles()
    view = panel.view_widget("Regions")
    assert [d.label for d in view.found] == ["1", "2"] and view.table.rowCount() == 2
    x0, y0, x1, y1 = view.found[0].box
    assert x0 < 20 < 200 < x1 and y0 < 16 and y1 > 32  # grown, and on the picture's pixels
    view.threshold.setValue(0.92)
    assert len(view.found) == 1
    panel.set_result(_result(edges=plane * 4))
    assert "Regions" not in panel.view_titles()


def test_an_embedding_is_compared_with_the_last_run_and_across_its_batch(qtbot, tmp_path) -> None:
    """An image encoder's ``embedding``: a Vector view (no top-k), its norm, the cosine similarity with the same
    output of the last run, and for a batch its rows' similarities named by file."""
    import onnxruntime as ort

    from tests import models

    session = ort.InferenceSession(str(models.embedding_model(tmp_path / "enc.onnx")),
                                   providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(3)
    a, b = rng.random((2, 1, 3, 16, 16), np.float32)

    def encode(pictures: np.ndarray) -> np.ndarray:
        return session.run(None, {"image": pictures})[0]

    panel = OutputsPanel()
    qtbot.addWidget(panel)
    panel.set_result(_result(embedding=encode(a)))
    assert panel.view_titles() == ["Vector", "Values"]
    view = panel.view_widget("Vector")
    assert view.similarity_to_last is None and "32 values, L2 norm 1.0000 (unit length)" in view.note.text()
    panel.set_result(_result(embedding=encode(a * 0.5)))  # the same picture, darker: the same direction
    assert panel.view_widget("Vector").similarity_to_last == pytest.approx(1.0, abs=1e-5)
    panel.set_result(_result(embedding=encode(b)))
    expected = float(np.dot(encode(a)[0], encode(b)[0]))
    view = panel.view_widget("Vector")
    assert view.similarity_to_last == pytest.approx(expected, abs=1e-5)
    assert f"cosine similarity with the last run: {expected:.4f}" in view.note.text()
    panel.set_result(_result(embedding=encode(np.concatenate([a, a, b]))), batch_names=["a.png", "a2.png", "b.png"])
    view = panel.view_widget("Vector")
    assert panel.view_titles() == ["Vector", "Heatmap", "Values"] and view.similarity_to_last is None
    assert view.table.rowCount() == 3 and view.table.verticalHeaderItem(2).text() == "3  b.png"
    assert view.table.item(0, 1).text() == "1.000" and view.table.item(0, 2).text() == f"{expected:.3f}"
    panel.clear()  # another model: nothing to compare with
    panel.set_result(_result(embedding=encode(a)))
    assert panel.view_widget("Vector").similarity_to_last is None


def test_a_detector_whose_boxes_scores_and_classes_are_apart(qtbot, tmp_path) -> None:
    """torchvision's Faster R-CNN answers boxes [N, 4] in pixels, labels [N], scores [N] (here from a real session
    of a model answering such tensors): the boxes output opens on its Boxes view over the picture, the scores
    are no classifier's top-k."""
    import onnxruntime as ort

    from tests import models

    tensors = {"boxes": np.array([[10, 20, 50, 60], [30, 5, 60, 25]], np.float32),
               "labels": np.array([2, 1], np.int64), "scores": np.array([0.95, 0.3], np.float32)}
    session = ort.InferenceSession(str(models.fixed_outputs_model(tmp_path / "frcnn.onnx", tensors)),
                                   providers=["CPUExecutionProvider"])
    values = session.run(None, {"image": np.zeros((1, 3, 64, 64), np.float32)})
    panel = OutputsPanel()
    qtbot.addWidget(panel)
    panel.set_labels(["background", "cat", "dog"])
    panel.set_result(_result(**dict(zip(tensors, values, strict=True))), input_image=np.zeros((64, 64, 3), np.uint8))
    assert panel.view_titles() == ["Boxes", "Heatmap", "Values"]
    boxes = panel.view_widget("Boxes")
    assert [(d.label, d.box) for d in boxes.found] == [("dog", (10, 20, 50, 60)), ("cat", (30, 5, 60, 25))]
    assert "boxes (xyxy, pixels) + scores + labels" in boxes.summary.text()
    boxes.threshold.setValue(0.5)
    assert [d.label for d in boxes.found] == ["dog"]
    panel.list.setCurrentRow(2)  # scores
    assert "Top-k" not in panel.view_titles()


def test_a_batch_of_texts_names_the_classes_of_an_output_that_scores_each_text(qtbot) -> None:
    """CLIP given a picture and two texts: logits_per_image [1, 2] ranks the texts by name; logits_per_text [2, 1]
    is a row per text; files as rows name no classes."""
    panel = OutputsPanel()
    qtbot.addWidget(panel)
    texts = ["a photo of a cat", "a photo of a dog"]
    panel.set_result(_result(logits_per_image=np.array([[1.0, 3.0]], np.float32),
                             logits_per_text=np.array([[1.0], [3.0]], np.float32)), batch_names=texts, texts=True)
    top = panel.view_widget("Top-k")
    assert top is not None and top.labels == texts
    panel.set_result(_result(logits_per_image=np.array([[1.0, 3.0]], np.float32)), batch_names=["a.png", "b.png"])
    assert panel.view_widget("Top-k").labels == []


def test_mask_rcnn_draws_its_masks_and_keypoint_rcnn_its_keypoints(qtbot) -> None:
    """Mask R-CNN's masks colour the picture where each box's mask is; Keypoint R-CNN's keypoints are drawn with
    their boxes, and its keypoints' scores are not taken for the boxes' scores."""
    masks = np.zeros((1, 1, 64, 64), np.float32)
    masks[0, 0, 10:20, 10:30] = 0.9
    panel = OutputsPanel()
    qtbot.addWidget(panel)
    picture = np.zeros((64, 64, 3), np.uint8)
    panel.set_result(_result(boxes=np.array([[10, 10, 30, 20]], np.float32), labels=np.array([1], np.int64),
                             scores=np.array([0.9], np.float32), masks=masks), input_image=picture)
    boxes = panel.view_widget("Boxes")
    assert boxes.owners is not None and int((boxes.owners == 0).sum()) == 200
    assert "+ masks" in boxes.summary.text()
    points = np.ones((1, 17, 3), np.float32) * [20, 15, 1]
    panel.set_result(_result(boxes=np.array([[10, 10, 30, 20]], np.float32), labels=np.array([1], np.int64),
                             scores=np.array([0.9], np.float32), keypoints=points.astype(np.float32),
                             keypoints_scores=np.full((1, 17), 9.0, np.float32)), input_image=picture)
    boxes = panel.view_widget("Boxes")
    assert [d.score for d in boxes.found] == [pytest.approx(0.9)] and boxes.owners is None
    assert len(boxes.points) == 1 and boxes.points[0][0].tolist() == [20, 15, 1]


def test_detr_opens_on_its_boxes_and_its_logits_are_no_picture(qtbot) -> None:
    """DETR answers pred_logits [1, N, classes + 1] before pred_boxes [1, N, 4] (centres in 0-1): the first run
    opens on the boxes, in the picture's pixels; the logits offer no picture or top-k."""
    logits = np.array([[[6, 0, 0], [0, 0, 9], [0, 5, 0]]], np.float32)  # row 1: "no object"
    pred = np.array([[[0.25, 0.5, 0.5, 0.5], [0.5, 0.5, 0.1, 0.1], [0.75, 0.25, 0.25, 0.25]]], np.float32)
    panel = OutputsPanel()
    qtbot.addWidget(panel)
    panel.set_result(_result(pred_logits=logits, pred_boxes=pred), input_image=np.zeros((100, 200, 3), np.uint8))
    assert panel.current_output().name == "pred_boxes" and panel.view_titles()[0] == "Boxes"
    assert [(d.index, d.box) for d in panel.view_widget("Boxes").found] == [(0, (0, 25, 100, 75)),
                                                                           (1, (125, 12.5, 175, 37.5))]
    panel.list.setCurrentRow(0)
    assert panel.view_titles() == ["Heatmap", "Values"]


def test_an_obb_models_boxes_are_drawn_turned(qtbot) -> None:
    """A YOLOv8-obb head: its box drawn as the turned rectangle (an edge pixel of the turned box is coloured, the
    unturned box's corner is not), its angle in the table."""
    value = np.zeros((1, 6, 2100), np.float32)
    value[0, 4] = 0.001
    value[0, 5] = np.linspace(-0.7, 2.3, 2100)
    value[0, :, 0] = (160, 160, 200, 40, 0.9, np.pi / 4)
    panel = OutputsPanel()
    qtbot.addWidget(panel)
    panel.set_result(_result(output0=value), input_image=np.zeros((320, 320, 3), np.uint8))
    boxes = panel.view_widget("Boxes")
    assert len(boxes.found) == 1 and boxes.table.item(0, 2).text() == "60, 140, 260, 180  ⟳ 45°"
    assert "YOLOv8 oriented boxes" in boxes.summary.text()
    shown = boxes.picture.source().toImage()
    scale = 720 / 320
    along = boxes.found[0].corners()[1:3].mean(axis=0) * scale  # the middle of the short edge, far along 45°
    edge = shown.pixelColor(round(along[0]), round(along[1]))
    corner = shown.pixelColor(round(60 * scale) + 1, round(180 * scale) - 1)  # where the unturned box would be
    assert (edge.red(), edge.green(), edge.blue()) != (0, 0, 0) and (corner.red(), corner.green()) == (0, 0)


def test_movenets_people_are_drawn_with_their_skeleton(qtbot) -> None:
    k = np.zeros((1, 1, 17, 3), np.float32)
    k[0, 0, :, 0] = np.linspace(0.1, 0.9, 17)
    k[0, 0, :, 1] = np.linspace(0.3, 0.7, 17)
    k[0, 0, :, 2] = 0.9
    panel = OutputsPanel()
    qtbot.addWidget(panel)
    panel.set_result(_result(output_0=k), input_image=np.zeros((192, 192, 3), np.uint8))
    assert panel.view_titles() == ["People", "Heatmap", "Values"]
    view = panel.view_widget("People")
    assert len(view.found) == 1 and len(view.points) == 1 and view.summary.text().startswith("People: 1 (MoveNet")
    shown = view.picture.source().toImage()
    x, y = (view.points[0][8, :2] * 720 / 192).round().astype(int)
    dot = shown.pixelColor(int(x), int(y))  # the right elbow, a yellow dot
    assert (dot.red(), dot.green(), dot.blue()) == (255, 200, 0)


def test_a_tensor_inside_the_model_shows_its_channels_first(qtbot) -> None:
    panel = OutputsPanel()
    qtbot.addWidget(panel)
    feat = np.random.default_rng(0).random((1, 8, 16, 16)).astype(np.float32)
    panel.set_inside({"feat": "#3 Conv /backbone/conv"})
    panel.set_result(_result(scores=np.zeros((1, 8, 16, 16), np.float32), feat=feat))
    assert panel.view_titles() == ["Mask", "Channels", "Values"]  # a model's output: eight class planes, say
    panel.list.setCurrentRow(1)
    assert panel.view_titles()[0] == "Channels" and "Mask" not in panel.view_titles()
    assert panel.list.item(1).text().startswith("▸ feat") and "#3 Conv" in panel.list.item(1).toolTip()
    mosaic = panel.view_widget("Channels").view.image.image  # the planes, tiled
    assert mosaic.shape == (3 * 17 - 1, 3 * 17 - 1)
    assert "8 channels of 16 × 16" in panel.view_widget("Channels").findChild(QLabel).text()


def test_values_copy_as_tab_separated_text(qtbot) -> None:
    from PySide6.QtCore import QItemSelection, QItemSelectionModel
    from PySide6.QtGui import QGuiApplication

    panel = OutputsPanel()
    qtbot.addWidget(panel)
    grid = np.array([[0.1, 2.5, -3.0], [4.0, np.nan, 6.25]], np.float32)
    panel.set_result(_result(grid=grid))
    table = panel.view_widget("Values")
    model = table.view.model()
    table.view.selectionModel().select(QItemSelection(model.index(0, 1), model.index(1, 2)),
                                       QItemSelectionModel.SelectionFlag.Select)
    assert table.selection_text() == "2.5\t-3.0\nnan\t6.25"
    table.view.actions()[0].trigger()  # Ctrl+C
    assert QGuiApplication.clipboard().text() == "2.5\t-3.0\nnan\t6.25"
    table.view.selectionModel().select(model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert table.selection_text() == "0.1"  # float32's shortest form, not 0.10000000149


def test_kmeans_scores_open_on_their_nearest_centres(qtbot, tmp_path) -> None:
    """Distances whose ArgMin is another output (KMeans): a Nearest view, lowest first, and no Top-k or By row."""
    import onnxruntime as ort

    from tests import models

    centres = np.array([[0, 0], [10, 0], [0, 10]], np.float32)
    session = ort.InferenceSession(str(models.kmeans_model(tmp_path / "km.onnx", centres)),
                                   providers=["CPUExecutionProvider"])
    panel = OutputsPanel()
    qtbot.addWidget(panel)
    panel.set_labels(["origin", "east", "north"])
    for x, rows in (([[9, 1]], [["east  (1)", "1.4142"], ["origin  (0)", "9.0554"], ["north  (2)", "12.728"]]),
                    ([[9, 1], [1, 8]], [["east  (1)", "1.4142", "origin  (0) at 9.055"],
                                        ["north  (2)", "2.2361", "origin  (0) at 8.062"]])):
        label, scores = session.run(None, {"X": np.array(x, np.float32)})
        panel.set_result(_result(label=label, scores=scores))
        assert panel.list.currentRow() == 1  # opens on the distances, after the cluster
        assert panel.view_titles()[0] == "Nearest" and not {"Top-k", "By row"} & set(panel.view_titles())
        table = panel.view_widget("Nearest").table
        assert [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())] == rows
    panel.set_result(_result(probs=np.array([[0.1, 0.7, 0.2]], np.float32), label=np.array([1])))
    panel.list.setCurrentRow(0)
    assert panel.view_titles()[0] == "Top-k"  # a classifier's label is its best score's
