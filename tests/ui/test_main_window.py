"""The real window, driven like a user: open (start-up sample, drop), inputs, run, benchmark, stop, providers.

One window (and so one engine child process) serves the whole module, to keep the session count low.
"""

from __future__ import annotations

import json
import os
import signal
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from onnxstudio.core.outputs import VIEW_TOPK
from onnxstudio.resources import resource_path
from onnxstudio.ui.app import create_window
from onnxstudio.ui.main_window import MainWindow
from tests import models
from tests.ui.conftest import open_and_wait, running_threads, wait_idle

SAMPLES = resource_path("samples")


@pytest.fixture(scope="module")
def window(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[MainWindow]:
    os.environ["ONNXSTUDIO_SETTINGS_DIR"] = str(tmp_path_factory.mktemp("settings"))
    w = create_window(qapp, [])  # opens the default sample
    w.workspace.build_deferred()  # its threads belong to the fixture, not to the first test
    w.show()
    yield w
    w.close()
    assert not running_threads(), "closing the window must stop its threads"


def _drop(target: object, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    target.dropEvent(event)  # type: ignore[attr-defined]


def test_starts_with_the_default_sample(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.current_path.endswith("digits_classifier.onnx"), timeout=20000)
    assert "digits_classifier.onnx" in window.windowTitle()
    assert window.stack.currentWidget() is window.workspace
    text = window.workspace.model_panel.text()
    for word in ("Producer", "IR version", "Opsets", "Parameters", "MatMul", "labels"):
        assert word in text
    assert window.workspace.node_list.model.rowCount() == 7
    qtbot.waitSignal(window.model_checked, timeout=20000, raising=False).wait()
    assert "running" not in window.workspace.model_panel.text()
    # parameters are counted after the model is shown (off the GUI thread), then filled in
    report = window.workspace.report
    from onnxstudio.core.inspection import inspect_model

    full = inspect_model(window.current_path, shapes=False)
    assert (report.initializer_count, report.parameter_count, report.parameter_bytes) == \
        (full.initializer_count, full.parameter_count, full.parameter_bytes) == (4, 2410, 2410 * 4)
    assert "counting" not in window.workspace.model_panel.text()
    assert f"{report.parameter_count:,}" in window.workspace.model_panel.text()


def test_node_list_filters(qtbot, window: MainWindow) -> None:
    nodes = window.workspace.node_list
    nodes.search.setText("relu")
    assert nodes.table.model() is nodes.proxy
    assert 0 < nodes.proxy.rowCount() < nodes.model.rowCount()
    nodes.search.setText("")
    assert nodes.table.model() is nodes.model  # every node, without a per-row filter call
    assert nodes.table.model().rowCount() == nodes.model.rowCount()
    assert nodes.count_label.text() == f"{nodes.model.rowCount()} of {nodes.model.rowCount()} nodes"


def test_image_input_run_and_top_k(qtbot, window: MainWindow) -> None:
    editor = window.workspace.inputs.editors[0]
    digit = sorted((SAMPLES / "digits").glob("digit_7_*.png"))[0]
    _drop(editor, digit)
    assert editor.kind.currentData() == "image" and editor.value.shape == (1, 1, 8, 8)
    assert editor.preview.pixmap() is not None and not editor.error
    window.actions["run"].trigger()
    qtbot.waitUntil(lambda: window.workspace.outputs.result is not None, timeout=30000)
    wait_idle(qtbot, window)
    outputs = window.workspace.outputs
    assert [o.name for o in outputs.result.outputs] == ["logits", "probabilities"]
    assert outputs.view_titles()[0] == "Top-k"
    topk = outputs.view_widget("Top-k")
    assert topk.top_label() == "7"
    assert "min" in outputs.header.text() and "NaN 0" in outputs.header.text()
    assert "CPU" in window.workspace.providers.session_label.text()
    assert window.workspace.history[-1].kind == "run"


def test_save_output_npy(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.workspace.outputs.save_output(str(tmp_path / "logits.npy"))
    assert np.load(tmp_path / "logits.npy").shape == (1, 10)


def test_invalid_input_is_reported_next_to_it(qtbot, window: MainWindow) -> None:
    editor = window.workspace.inputs.editors[0]
    editor.kind.setCurrentIndex(editor.kind.findData("literal"))
    editor.literal.setText("[1, 2, 3]")
    editor.rebuild()
    assert "rank" in editor.error and editor.error_label.isVisibleTo(editor)
    runs = len(window.workspace.history)
    assert window.workspace.run_once() is False
    assert "image" in window.banner.text() and window.banner.level == "error"
    assert len(window.workspace.history) == runs
    editor.kind.setCurrentIndex(editor.kind.findData("random"))
    editor.rebuild()
    assert not editor.error


def test_benchmark_updates_charts_and_stop(qtbot, window: MainWindow) -> None:
    ws = window.workspace
    ws.bench_settings.warmup.setValue(5)
    ws.bench_settings.duration.setValue(30)
    redraws = ws.charts.redraw_count
    window.actions["benchmark"].trigger()
    assert window.actions["stop"].isEnabled() and not window.actions["run"].isEnabled()
    qtbot.waitUntil(lambda: ws.charts.lat.n > 1000 and ws.charts.redraw_count > redraws + 3, timeout=20000)
    qtbot.waitUntil(lambda: ws.charts.stat_labels["p99"].text() != "–", timeout=5000)
    window.actions["stop"].trigger()
    wait_idle(qtbot, window, 10000)
    record = ws.history[-1]
    assert record.kind == "benchmark" and record.cancelled and record.iterations == ws.charts.lat.n
    assert record.stats["count"] == record.iterations and record.latencies_ms.size == record.iterations
    assert ws.charts.edges is not None and ws.charts.envelope.med.n > 0
    assert ws.charts.stat_labels["session"].text() != "–"
    assert window.actions["run"].isEnabled() and not window.actions["stop"].isEnabled()


def test_history_overlay_and_exports(qtbot, window: MainWindow, tmp_path: Path) -> None:
    ws = window.workspace
    bench = ws.history[-1]
    ws.history_panel.set_overlay(bench.run_id, True)
    assert len(ws.charts._overlay_items) == 1
    ws.history_panel.set_overlay(bench.run_id, False)
    assert ws.charts._overlay_items == []
    assert ws.history.save(tmp_path / "h.csv").read_text().count("\n") == len(ws.history) + 1
    assert ws.charts.save_png(str(tmp_path / "chart.png")) and (tmp_path / "chart.png").stat().st_size > 1000


def test_bad_file_keeps_the_open_model(qtbot, window: MainWindow, tmp_path: Path) -> None:
    bad = tmp_path / "broken.onnx"
    bad.write_bytes(b"this is not a model")
    before = window.current_path
    with qtbot.waitSignal(window.open_failed, timeout=10000):
        window.open_model(str(bad))
    assert window.current_path == before and window.banner.level == "error"
    assert "broken.onnx" in window.banner.text()
    assert window.stack.currentWidget() is window.workspace


def test_dropping_a_checkpoint_says_what_it_is(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """A file that is neither a model nor an input is not ignored: the banner names it."""
    checkpoint = tmp_path / "weights.pth"
    with zipfile.ZipFile(checkpoint, "w") as z:
        z.writestr("weights/data.pkl", b"\x80\x02}q\x00.")
    assert window._accepts([checkpoint])
    before = window.current_path
    with qtbot.waitSignal(window.open_failed, timeout=10000):
        _drop(window, checkpoint)
    assert window.current_path == before and window.banner.level == "error"
    assert "PyTorch checkpoint" in window.banner.text() and "torch.onnx.export" in window.banner.text()


def test_dropping_a_folder_opens_the_model_in_it(qtbot, window: MainWindow, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "downloaded"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    model = models.add_model(folder / "model.onnx")
    with qtbot.waitSignal(window.model_loaded, timeout=20000):
        _drop(window, folder)
    assert window.current_path == str(model)
    models.add_model(folder / "model_fp16.onnx")  # model.onnx beside its variants: it, and the others said
    said: list[str] = []
    show = window.show_message
    monkeypatch.setattr(window, "show_message", lambda level, text: (said.append(text), show(level, text)))
    window.open_model(str(tmp_path / "elsewhere.onnx"))  # the drop must open the folder's model again, not stay
    qtbot.waitSignal(window.open_failed, timeout=10000).wait()
    with qtbot.waitSignal(window.model_loaded, timeout=20000):
        _drop(window, folder)
    assert window.current_path == str(model)
    assert any(t.startswith("Opened model.onnx (its folder also holds model_fp16.onnx) in ") for t in said)
    hub = tmp_path / "hub"  # Hugging Face's layout: the models in onnx/, the tokenizer above
    (hub / "onnx").mkdir(parents=True)
    models.add_model(hub / "onnx" / "model.onnx")
    with qtbot.waitSignal(window.model_loaded, timeout=20000):
        window.open_model(str(hub))
    assert window.current_path == str(hub / "onnx" / "model.onnx")
    pair = tmp_path / "whisper"  # an encoder and a decoder: the user picks, in an open dialog at the folder
    pair.mkdir()
    for name in ("encoder_model.onnx", "decoder_model.onnx"):
        models.add_model(pair / name)
    asked: list[str] = []
    monkeypatch.setattr(window, "open_dialog", lambda folder="": asked.append(folder))
    _drop(window, pair)
    assert asked == [str(pair)]


def test_open_by_drop_and_image_output(qtbot, window: MainWindow, tmp_path: Path) -> None:
    with qtbot.waitSignal(window.model_loaded, timeout=20000):
        _drop(window, SAMPLES / "edges.onnx")
    assert "edges.onnx" in window.windowTitle()
    editor = window.workspace.inputs.editors[0]
    assert editor.kind.currentData() == "image" and editor.value.shape[:2] == (1, 3)
    window.workspace.run_once()
    qtbot.waitUntil(lambda: window.workspace.outputs.result is not None, timeout=30000)
    wait_idle(qtbot, window)
    titles = window.workspace.outputs.view_titles()
    assert titles[0] == "Image" and "Heatmap" in titles and VIEW_TOPK not in titles
    view = window.workspace.outputs.view_widget("Image")
    view.blend.setChecked(True)
    assert view.current.shape[:2] == editor.value.shape[2:]
    # a folder of images dropped on the window (not on one input) becomes the first input's batch
    batch = tmp_path / "frames"
    batch.mkdir()
    for i in range(2):
        Image.new("RGB", (20, 20), (40 * i, 0, 0)).save(batch / f"{i}.png")
    original = editor.image_path.text()
    _drop(window, batch)
    assert editor.kind.currentData() == "image" and editor.image_path.text() == str(batch)
    assert window.current_path.endswith("edges.onnx")
    editor.set_file(original)  # the window is shared: leave its input runnable (edges takes a batch of 1)


def test_switch_provider(qtbot, window: MainWindow) -> None:
    ws = window.workspace
    unavailable = next(p for p in ws.providers.providers if not p.available)
    assert ws.providers.select(unavailable.name)
    assert unavailable.reason in ws.providers.reason.text()
    assert ws.run_once() is False and "Cannot use this provider" in window.banner.text()
    assert ws.providers.select("CPUExecutionProvider")
    ws.providers.threads.setValue(1)
    assert ws.providers.config().intra_op_threads == 1
    ws.run_once()
    qtbot.waitSignal(ws.controller.session_ready, timeout=30000).wait() if ws.controller.busy else None
    wait_idle(qtbot, window)
    assert ws.history[-1].options["intra_op_threads"] == 1
    assert "CPU" in ws.providers.session_label.text()


def test_check_providers(qtbot, window: MainWindow) -> None:
    panel = window.workspace.providers
    panel.probe_button.click()
    assert not panel.probe_button.isEnabled()
    qtbot.waitUntil(lambda: panel.probe_results is not None, timeout=60000)
    in_build = {p.name for p in panel.providers if p.in_build} - {"CPUExecutionProvider"}
    assert set(panel.probe_results) == in_build
    assert panel.probe_button.isEnabled() and panel.provider() == "CPUExecutionProvider"
    for p in panel.providers:
        if panel.probe_results.get(p.name):
            assert not p.available and "failed to load" in p.reason


def test_crashing_model_gives_a_message(qtbot, window: MainWindow, tmp_path: Path) -> None:
    path = models.aborting_model(tmp_path / "abort.onnx")
    open_and_wait(qtbot, window, path)
    window.workspace.run_once()
    wait_idle(qtbot, window, 60000)
    assert window.banner.level == "error"
    assert "crash" in window.banner.text().lower() or "SIGABRT" in window.banner.text()
    # The app lives on: the next model runs in a fresh child.
    open_and_wait(qtbot, window, SAMPLES / "digits_classifier.onnx")
    window.workspace.run_once()
    qtbot.waitUntil(lambda: window.workspace.outputs.result is not None, timeout=30000)
    wait_idle(qtbot, window)


def test_engine_killed_during_benchmark(qtbot, window: MainWindow) -> None:
    ws = window.workspace
    ws.bench_settings.duration.setValue(30)
    ws.benchmark()
    qtbot.waitUntil(lambda: ws.charts.lat.n > 100, timeout=20000)
    pid = ws.controller._worker.engine.host.pid
    os.kill(pid, signal.SIGKILL)
    wait_idle(qtbot, window, 20000)
    assert window.banner.level == "error"
    assert window.isVisible() and window.actions["benchmark"].isEnabled()


def test_close_model_shows_start_page_with_recent(qtbot, window: MainWindow) -> None:
    window.close_model()
    assert window.stack.currentWidget() is window.start_page
    assert window.windowTitle() == "ONNX Studio"
    recent = [window.start_page.recent.item(i).data(Qt.ItemDataRole.UserRole)
              for i in range(window.start_page.recent.count())]
    assert any(r.endswith("digits_classifier.onnx") for r in recent)
    assert window.start_page.samples.count() >= 3
    with qtbot.waitSignal(window.model_loaded, timeout=20000):
        window.start_page.samples.itemClicked.emit(window.start_page.samples.item(0))
    QPoint()  # keep the import used where drag positions are ints on some Qt versions


def test_bfloat16_model_runs_in_the_app(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """A model with a bfloat16 input and output: random bfloat16 data, a run, statistics and top-k on the
    output, saved as float32."""
    import onnx
    from onnx import TensorProto, helper

    nodes = [helper.make_node("Cast", ["x"], ["f"], to=TensorProto.FLOAT),
             helper.make_node("Mul", ["f", "f"], ["g"]),
             helper.make_node("Cast", ["g"], ["y"], to=TensorProto.BFLOAT16)]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.BFLOAT16, [1, 10])],
                              [helper.make_tensor_value_info("y", TensorProto.BFLOAT16, [1, 10])])
    path = tmp_path / "bf16.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)]), str(path))
    open_and_wait(qtbot, window, path)
    window.workspace.run_once()
    qtbot.waitUntil(lambda: window.workspace.outputs.result is not None, timeout=30000)
    wait_idle(qtbot, window)
    outputs = window.workspace.outputs
    assert outputs.result.outputs[0].dtype == "bfloat16"
    assert outputs.view_titles()[0] == "Top-k" and "min" in outputs.header.text()
    outputs.save_output(str(tmp_path / "y.npy"))
    assert np.load(tmp_path / "y.npy").dtype == np.float32


def test_names_that_are_not_utf8_filter_in_the_node_list(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """Filtering the node list (as a graph selection does) over names that are not valid UTF-8 used to crash
    the app inside Qt's filter callback."""
    from onnx import TensorProto, helper

    nodes = [helper.make_node("Relu", ["x"], ["TENSORXX"], name="/blk/NODENAMEX"),
             helper.make_node("Neg", ["TENSORXX"], ["y"], name="/blk/other")]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])])
    data = helper.make_model(graph).SerializeToString()
    path = tmp_path / "names.onnx"
    path.write_bytes(data.replace(b"NODENAMEX", b"\xffODENAMEX").replace(b"TENSORXX", b"\xfeENSORXX"))
    open_and_wait(qtbot, window, path)
    nodes_panel = window.workspace.node_list
    nodes_panel.search.setText("odenamex")
    assert nodes_panel.proxy.rowCount() == 1
    assert nodes_panel.model.row_text(0)[1] == "/blk/\ufffdODENAMEX"
    nodes_panel.search.setText("ensorxx")
    assert nodes_panel.proxy.rowCount() == 2
    nodes_panel.search.setText("")


def test_a_model_loaded_in_parts_fills_every_panel(qtbot, window: MainWindow, tmp_path: Path,
                                                    monkeypatch) -> None:
    """The node list, model panel and parameter count of a model whose nodes and initializers stay in the
    file until asked for (large graphs: lazygraph)."""
    import onnx

    from benchmarks.make_graph_models import convnet
    from onnxstudio.core import lazygraph

    monkeypatch.setattr(lazygraph, "LAZY_MIN_SIZE", 0)
    monkeypatch.setattr(lazygraph, "LAZY_MIN_RECORDS", 0)
    model = convnet(400)
    path = tmp_path / "parts.onnx"
    onnx.save(model, path)
    open_and_wait(qtbot, window, path)
    assert window.workspace.loaded.lazy is not None
    nodes_panel = window.workspace.node_list
    assert nodes_panel.model.rowCount() == len(model.graph.node)
    conv = next(i for i, n in enumerate(model.graph.node) if n.op_type == "Conv")
    row = nodes_panel.model.row_text(conv)
    assert row[0] == "Conv" and row[1] == model.graph.node[conv].name and "pads=[1, 1, 1, 1]" in row[4]
    nodes_panel.search.setText("pads=")
    assert nodes_panel.proxy.rowCount() == sum(any(a.name == "pads" for a in n.attribute) for n in model.graph.node)
    nodes_panel.search.setText("")
    text = window.workspace.model_panel.text()
    assert f"{len(model.graph.node):,}" in text
    qtbot.waitUntil(lambda: window.workspace.report.parameter_count is not None, timeout=20000)
    n_params = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
    assert window.workspace.report.parameter_count == n_params
    assert window.workspace.report.initializer_count == len(model.graph.initializer)


def test_parameters_are_counted_once_the_graph_is_on_screen(qtbot, window: MainWindow, tmp_path: Path,
                                                            monkeypatch) -> None:
    """The count's child process waits for the graph (it would compete with the layout for the CPU); a new
    open does not wait behind it."""
    import onnx

    from benchmarks.make_graph_models import convnet
    from onnxstudio.ui import workers

    monkeypatch.setattr(workers, "COUNT_WAIT_S", 60.0)  # a wait that is not cut short would time the test out

    qtbot.waitSignal(window.model_checked, timeout=20000, raising=False).wait()  # the start-up sample's
    events: list[str] = []
    window.workspace.graph_shown.connect(lambda: events.append("graph"))
    window._loader.counted.connect(lambda r: events.append("counted") if r.request == window._request else None)
    first, second = tmp_path / "a.onnx", tmp_path / "b.onnx"
    onnx.save(convnet(300), first)
    onnx.save(convnet(200), second)
    open_and_wait(qtbot, window, first)
    qtbot.waitUntil(lambda: "counted" in events, timeout=20000)
    assert "graph" in events and events.index("graph") < events.index("counted"), events
    events.clear()
    window.open_model(str(first))
    window.open_model(str(second))  # at once: the first load's wait for its graph is cut short
    qtbot.waitUntil(lambda: window.current_path == str(second) and "counted" in events, timeout=20000)
    assert window.workspace.report.initializer_count == len(convnet(200).graph.initializer)


def test_a_graph_selection_shows_the_row_without_filtering(qtbot, window: MainWindow) -> None:
    """Selecting a node in the graph selects its row in the Nodes tab among all nodes (a filter pass over
    100k rows froze the window for 1-2 s on each first selection)."""
    qtbot.waitUntil(lambda: window.workspace.graph is not None and window.workspace.graph.graph is not None,
                    timeout=20000)
    panel, nodes = window.workspace.graph, window.workspace.node_list
    nodes.search.setText("relu")
    g = panel.graph
    assert panel.select(g.names[2])
    assert nodes.search.text() == "" and nodes.table.model() is nodes.model
    assert [i.row() for i in nodes.table.selectionModel().selectedRows()] == [2]
    assert nodes.model.row_text(2)[1] == g.names[2]


def test_typing_in_a_large_node_list_filters_once_typing_pauses(qtbot, monkeypatch) -> None:
    from onnx import helper

    from onnxstudio.ui import node_list
    from onnxstudio.ui.node_list import NodeListPanel

    monkeypatch.setattr(node_list, "_DEBOUNCE_ROWS", 10)
    panel = NodeListPanel()
    qtbot.addWidget(panel)
    panel.set_nodes([helper.make_node("Relu" if i % 2 else "Neg", [f"t{i}"], [f"t{i + 1}"], name=f"n{i}")
                     for i in range(40)])
    panel.search.setText("re")
    panel.search.setText("relu")
    assert panel.table.model() is panel.model  # not yet filtered
    qtbot.waitUntil(lambda: panel.table.model() is panel.proxy, timeout=3000)
    assert panel.proxy.rowCount() == 20
    panel.search.setText("")
    assert panel.table.model() is panel.model  # clearing shows every row at once


def test_a_large_node_list_builds_its_filter_index_on_a_worker(qtbot, monkeypatch) -> None:
    from onnx import helper

    from onnxstudio.ui import node_list
    from onnxstudio.ui.node_list import NodeListPanel

    monkeypatch.setattr(node_list, "BACKGROUND_ROWS", 10)
    panel = NodeListPanel()
    qtbot.addWidget(panel)
    nodes = [helper.make_node("Relu" if i % 3 else "Neg", [f"t{i}"], [f"t{i + 1}"], name=f"n{i}") for i in range(60)]
    panel.set_nodes(nodes)
    panel.search.setText("neg")
    assert panel.count_label.text() == "Filtering 60 nodes…" and panel.table.model() is panel.model
    qtbot.waitUntil(lambda: panel.table.model() is panel.proxy, timeout=5000)
    assert panel.proxy.rowCount() == 20 and panel.count_label.text() == "20 of 60 nodes"
    assert panel.proxy.data(panel.proxy.index(1, 1)) == "n3"
    assert panel.proxy.headerData(1, Qt.Orientation.Vertical) == 4  # the node's number, not the row's
    panel.search.setText("t5")  # the index is built: at once, in every column (inputs t5, outputs t5)
    assert [panel.proxy.data(panel.proxy.index(r, 1)) for r in range(panel.proxy.rowCount())] == \
        ["n4", "n5"] + [f"n{i}" for i in range(49, 60)]
    panel.set_nodes(nodes[:30])  # new nodes: a new index
    qtbot.waitUntil(lambda: panel.count_label.text() == "2 of 30 nodes", timeout=5000)
    panel.shutdown()
    assert panel._thread is None


def test_weights_in_constant_nodes_are_shown_once_counted(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """A PaddlePaddle-style model keeps its weights in Constant nodes: the panel says how many, and warns of no
    missing kernel (onnxruntime folds Constant nodes)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    w = helper.make_node("Constant", [], ["w"], value=numpy_helper.from_array(np.ones((8, 8), np.float32), "w"))
    g = helper.make_graph([w, helper.make_node("MatMul", ["x", "w"], ["y"])], "g",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8])])
    path = tmp_path / "paddle_style.onnx"
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]), path)
    open_and_wait(qtbot, window, path)
    qtbot.waitUntil(lambda: window.workspace.report.constant_count is not None, timeout=20000)
    assert window.workspace.report.constant_parameters == 64
    text = window.workspace.model_panel.text()
    assert "In nodes" in text and "64 in 1 tensors held by nodes" in text and "256 B" in text
    qtbot.waitSignal(window.model_checked, timeout=20000, raising=False).wait()
    assert "no kernel" not in window.workspace.model_panel.text()


def test_a_long_error_does_not_widen_the_window(qtbot, window: MainWindow) -> None:
    """onnxruntime's messages run to hundreds of characters (Silero VAD's failed benchmark widened the window
    to 2,570 px through the charts' status line): every place that shows one wraps it."""
    ws = window.workspace
    ws.tabs.setCurrentWidget(ws.bench_splitter)
    width = window.width()
    message = "onnxruntime failed to run the model: " + " ".join(f"Status_{i}:'If_0_else_branch/Pad'" for i in range(40))
    window.show_message("error", message)
    ws.charts.abort(message)
    qtbot.wait(100)
    assert ws.charts.minimumSizeHint().width() < 1000 and window.banner.minimumSizeHint().width() < 1000
    assert window.width() == width
    assert window.banner.text() == message and window.status_label.toolTip() == message


def test_labels_shipped_beside_a_model_name_its_classes(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """A model without labels in its metadata, with a synset.txt beside it that fits its 10 classes: the views
    use it and the labels button names the file."""
    import onnx

    model = onnx.load(str(resource_path("samples", "digits_classifier.onnx")))
    del model.metadata_props[:]
    path = tmp_path / "digits.onnx"
    onnx.save(model, path)
    (tmp_path / "synset.txt").write_text("\n".join(f"digit {i}" for i in range(10)), encoding="utf-8")
    open_and_wait(qtbot, window, path)
    outputs = window.workspace.outputs
    assert outputs.labels[3] == "digit 3" and outputs.labels_button.text() == "Labels: synset.txt…"
    assert str(tmp_path / "synset.txt") in outputs.labels_button.toolTip()
    assert "Beside the model\nLabels\nsynset.txt: 10 class names" in window.workspace.model_panel.text()
    copied = window.workspace.model_panel.plain_report()  # "Copy as text": aligned, as `onnxstudio inspect` prints
    assert copied.startswith(f"Model       {path} (") and "\nOutputs\n  logits: tensor(float) [batch, 10]\n" in copied
    assert copied.endswith("\nBeside      Labels: synset.txt: 10 class names")


def test_a_hugging_face_models_pictures_start_on_its_preprocessor_config(qtbot, window: MainWindow,
                                                                          tmp_path: Path) -> None:
    """onnx/model.onnx a folder below preprocessor_config.json: the picture's recipe starts on its size, mean, std
    and filter, and the model panel says where they come from."""
    import json

    (tmp_path / "onnx").mkdir()
    model = models.image_model(tmp_path / "onnx" / "model.onnx", side="side")
    (tmp_path / "preprocessor_config.json").write_text(json.dumps({
        "image_processor_type": "ViTImageProcessor", "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5],
        "resample": 3, "size": {"height": 16, "width": 16}}))
    open_and_wait(qtbot, window, model)
    recipe = window.workspace.inputs.editors[0].recipe.recipe()
    assert (recipe.size, recipe.mean, recipe.std, recipe.interpolation) == ((16, 16), (0.5,) * 3, (0.5,) * 3,
                                                                             "bicubic")
    text = window.workspace.model_panel.text()
    assert "Pictures" in text and "preprocessor_config.json: pictures are prepared as it says (mean 0.5" in text


def test_a_speech_models_wav_is_fed_normalized_where_its_extractor_says(qtbot, window: MainWindow,
                                                                         tmp_path: Path) -> None:
    """wav2vec2's preprocessor_config.json (do_normalize, a feature a sample): a .wav given to the waveform is fed
    at zero mean and unit variance, and the model panel says why."""
    import json

    model = models.lengths_model(tmp_path / "model.onnx")
    (tmp_path / "preprocessor_config.json").write_text(json.dumps({
        "feature_extractor_type": "Wav2Vec2FeatureExtractor", "feature_size": 1, "do_normalize": True}))
    open_and_wait(qtbot, window, model)
    editor = window.workspace.inputs.editors[0]
    editor.kind.setCurrentIndex(editor.kind.findData("array"))
    editor.array_path.setText(str(tmp_path / "speech.wav"))
    assert editor.source().normalize
    editor.array_path.setText(str(tmp_path / "speech.npy"))
    assert not editor.source().normalize
    assert "Audio" in window.workspace.model_panel.text() and "zero mean and unit variance" in \
        window.workspace.model_panel.text()


def test_a_question_answering_model_shows_its_answer(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """A SQuAD-style head: the Text field's two lines are a question and its context; the run's answer is shown
    above its start and end scores, which offer no top-k."""
    model = models.question_answering_model(tmp_path / "qa.onnx")
    models.tokenizer_file(tmp_path / "tokenizer.json")
    open_and_wait(qtbot, window, model)
    ids = window.workspace.inputs.editors[0]
    assert ids.kind.currentData() == "text" and "question" in ids.text.toolTip()
    ids.text.setText("upon a time\nonce upon a time hello")
    ids.text.editingFinished.emit()
    window.workspace.inputs.feeds()
    types = window.workspace.inputs.editor("token_type_ids")  # says the pair's types a run feeds, not its 0
    assert "1 over the context" in types.info.text() and "max 1" in types.info.text(), types.info.text()
    window.workspace.run_once()
    wait_idle(qtbot, window)
    outputs = window.workspace.outputs
    outputs.list.setCurrentRow(0)
    assert "Answer: «upon a time» (tokens 6-8" in outputs.header.text()
    assert "Top-k" not in outputs.view_titles()
    (tmp_path / "tokenizer_config.json").write_text('{"model_max_length": 16}')  # rows of 16: windows
    ids.text.setText("upon a time\n" + "hello world " * 10 + "once upon a time")
    ids.text.editingFinished.emit()
    assert window.workspace.inputs.feeds()["input_ids"].shape[0] > 1
    window.workspace.run_once()
    wait_idle(qtbot, window)
    outputs.list.setCurrentRow(0)
    assert "Answer: «upon a time» (window " in outputs.header.text(), outputs.header.text()


def test_a_model_zoo_folder_runs_on_its_test_data_and_checks_it(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """model.onnx beside test_data_set_0/input_0.pb and output_0.pb (the ONNX Model Zoo's layout): the inputs
    start on the reference's files, and a run says whether the outputs match it."""
    import onnxruntime as ort
    from onnx import numpy_helper

    model = models.multi_input_model(tmp_path / "model.onnx")
    ref = tmp_path / "test_data_set_0"
    ref.mkdir()
    feeds = {"x": np.ones((3, 8), np.float32), "ids": np.array([0, 4, 9], np.int64)}
    for i, a in enumerate(feeds.values()):
        (ref / f"input_{i}.pb").write_bytes(numpy_helper.from_array(a).SerializeToString())
    expected = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"]).run(None, feeds)[0]
    (ref / "output_0.pb").write_bytes(numpy_helper.from_array(expected).SerializeToString())
    open_and_wait(qtbot, window, model)
    ws = window.workspace
    assert [e.kind.currentData() for e in ws.inputs.editors] == ["array", "array"]
    assert "Reference data\ntest_data_set_0: its inputs feed the model" in ws.model_panel.text()
    assert ws.inputs.editors[0].value.shape == (3, 8)
    ws.run_once()
    qtbot.waitUntil(lambda: ws.outputs.check.text().startswith("✓ Outputs match test_data_set_0"), timeout=30000)
    wait_idle(qtbot, window)
    (ref / "output_0.pb").write_bytes(numpy_helper.from_array(expected * 2).SerializeToString())
    ws.run_once()
    qtbot.waitUntil(lambda: ws.outputs.check.text().startswith(
        "✗ 1 of 1 outputs differ from test_data_set_0: y: max abs diff"), timeout=30000)
    wait_idle(qtbot, window)
    np.save(tmp_path / "ids.npy", feeds["ids"])
    ws.inputs.editors[1].set_file(tmp_path / "ids.npy")  # an input of the user's: nothing to compare with
    ws.run_once()
    qtbot.waitUntil(lambda: ws.outputs.result is not None and not ws.outputs.check.isVisibleTo(ws.outputs),
                    timeout=30000)
    wait_idle(qtbot, window)


def test_the_graph_shows_inferred_shapes_and_colours_nodes_by_macs(qtbot, window: MainWindow,
                                                                   tmp_path: Path) -> None:
    """A model that declares no intermediate shapes: after the checks, the graph's edges carry the shapes that
    inference found, the model panel and a node's properties give the MACs, and the graph colours by them."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3, 32, 32])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 10])
    w = numpy_helper.from_array(np.ones((8, 3, 3, 3), np.float32), "w")
    fc = numpy_helper.from_array(np.ones((8 * 30 * 30, 10), np.float32), "fc")
    shape = numpy_helper.from_array(np.array([0, -1], np.int64), "shape")
    graph = helper.make_graph([
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("Reshape", ["r", "shape"], ["flat"], name="flatten"),
        helper.make_node("MatMul", ["flat", "fc"], ["y"], name="fc")], "g", [x], [y], [w, fc, shape])
    path = tmp_path / "untyped.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)
    with qtbot.waitSignal(window.model_checked, timeout=30000):
        open_and_wait(qtbot, window, path)
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.graph is not None and ws.graph.main_graph is not None, timeout=20000)
    g = ws.graph.main_graph
    qtbot.waitUntil(lambda: g.value("c").shape == ("batch", 8, 30, 30), timeout=20000)
    assert g.value("c").dtype == "float32" and g.value("flat").shape is not None
    conv, fc_macs = 8 * 30 * 30 * 3 * 3 * 3, 8 * 30 * 30 * 10
    qtbot.waitUntil(lambda: ws.report.compute is not None, timeout=20000)  # counted after the checks
    compute = ws.report.compute
    assert compute is not None and compute.total == conv + fc_macs and compute.dims == {"batch": 1}
    text = ws.model_panel.text()
    assert "Compute" in text and "MACs" in text and "batch = 1" in text
    colouring = ws.graph.colouring
    assert colouring.model().item(colouring.findData("macs")).isEnabled()
    colouring.setCurrentIndex(colouring.findData("macs"))
    view = ws.graph.view
    assert view._node_values == pytest.approx({"conv": conv / 1e3, "fc": fc_macs / 1e3})
    assert view._legend is not None and view._legend[0] == "k MACs per run"
    assert ws.graph.select("fc") and "MACs a run" in ws.graph.props.toPlainText()
    # a batch of 4 set in the Inputs tab: counted again at that size, off the GUI thread
    ws.inputs.dim_spins["batch"].setValue(4)
    qtbot.waitUntil(lambda: ws.report.compute.dims == {"batch": 4}, timeout=20000)
    assert ws.report.compute.total == 4 * (conv + fc_macs) and "batch = 4" in ws.model_panel.text()
    assert view._node_values == pytest.approx({"conv": 4 * conv / 1e3, "fc": 4 * fc_macs / 1e3})


def test_profile_tab_colours_the_graph_and_leads_to_nodes(qtbot, window: MainWindow, tmp_path: Path) -> None:
    open_and_wait(qtbot, window, SAMPLES / "digits_classifier.onnx")
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.graph is not None and ws.graph.main_graph is not None, timeout=20000)
    panel = ws.profile_panel
    colouring = ws.graph.colouring  # the Graph tab's Colour box: time and provider once there is a profile
    enabled = colouring.model().item(colouring.findData("time")).isEnabled
    assert panel.profile is None and not enabled()
    panel.runs.setValue(3)
    window.actions["profile"].trigger()
    assert ws.tabs.currentWidget() is panel and not panel.button.isEnabled()
    wait_idle(qtbot, window)
    prof = panel.profile
    assert prof is not None and prof.runs == 3 and panel.button.isEnabled()
    assert panel.kernels_model.rowCount() == len(prof.kernels) > 0 and panel.ops_model.rowCount() > 0
    assert "3 runs" in panel.summary.text() and "CPU" in panel.summary.text()
    # with the MACs counted (after the checks): the rate each op type achieved, and the model's
    qtbot.waitUntil(lambda: ws.report.compute is not None and panel.compute is ws.report.compute, timeout=20000)
    rates = [panel.ops_model.index(r, 5).data() for r in range(panel.ops_model.rowCount())]
    assert any(rates) and "MAC/s at the median run" in panel.summary.text()
    trace = json.loads(Path(panel.trace_path).read_text())  # onnxruntime's own, offered by Export
    assert sum(e.get("name") == "/softmax/Softmax_kernel_time" for e in trace) == 4  # warm-up + 3
    # the graph shows each node's time (the kernels the optimizer fused count for the node they came from)
    view = ws.graph.view
    assert enabled() and ws.graph.colour_mode() == "time" and view._node_values
    names = ws.graph.main_graph.names
    assert set(view._node_values) == {str(names[i]) for i in prof.node_ms()}
    assert view._legend is not None and view._legend[0] == "ms per run"
    colouring.setCurrentIndex(colouring.findData("provider"))
    assert view._node_values is None and [label for label, _ in view._swatches] == ["CPU"]
    colouring.setCurrentIndex(colouring.findData("op"))
    assert view._node_colors is None and view._node_values is None and view.painter_.color is not None
    # the kernels sort and filter in the panel's own model
    rows = panel.kernels_model.rowCount()
    panel.kernels_view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    ops = [panel.kernels_model.index(r, 2).data() for r in range(rows)]
    assert ops == sorted(ops)
    panel.filter.setText("softmax")
    assert panel.kernels_model.rowCount() == 1
    panel.filter.clear()
    assert panel.kernels_model.rowCount() == rows
    # a kernel leads to its node in the graph
    row = next(r for r in range(panel.kernels_model.rowCount())
               if panel.kernels_model.index(r, 2).data() == "Softmax")
    panel._on_kernel_activated(panel.kernels_model.index(row, 0))
    assert ws.tabs.currentWidget() is ws.graph_host
    assert names[view.selected_node] == "/softmax/Softmax"
    assert "of the kernels' time: Softmax (CPU)" in ws.graph.props.toPlainText()
    ws.graph.select("/fc1/Add")  # fused with its MatMul into one Gemm
    assert "no kernel of its own" in ws.graph.props.toPlainText()
    # exported as JSON and CSV
    panel.export(tmp_path / "p.json")
    data = json.loads((tmp_path / "p.json").read_text())
    assert data["runs"] == 3 and len(data["kernels"]) == len(prof.kernels)
    panel.export(tmp_path / "p.csv")
    lines = (tmp_path / "p.csv").read_text().splitlines()
    assert lines[0].startswith("name,op,provider,ms_per_run") and len(lines) == len(prof.kernels) + 1
    # the engine runs again afterwards, on a session of its own
    window.actions["run"].trigger()
    wait_idle(qtbot, window)
    assert ws.outputs.result is not None and ws.session is not None
    open_and_wait(qtbot, window, SAMPLES / "edges.onnx")
    assert panel.profile is None and panel.kernels_model.rowCount() == 0


def test_layer_by_layer_the_compare_tab_finds_where_an_int8_copy_starts_to_differ(qtbot, window: MainWindow,
                                                                                 tmp_path: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from onnxstudio.ui.compare_panel import OTHER_MODEL

    fp32 = SAMPLES / "digits_classifier.onnx"
    int8 = tmp_path / "digits_int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    open_and_wait(qtbot, window, fp32)
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.graph is not None and ws.graph.main_graph is not None, timeout=20000)
    panel = ws.compare_panel
    panel.against.setCurrentIndex(panel.against.findData(OTHER_MODEL))
    panel.model_path.setText(str(int8))
    panel.layers_box.setChecked(True)
    window.actions["compare"].trigger()
    wait_idle(qtbot, window)
    report = panel.result.layers
    assert report is not None and panel.layers_host.isVisibleTo(panel)
    first = report.first
    assert first is not None and first.node_name == "/fc1/MatMul"
    assert panel.layers_model.rowCount() == len(report.layers) > 3
    assert "The difference starts at node" in panel.layers_summary.text() and "/fc1/MatMul" in panel.layers_summary.text()
    selected = panel.layers_view.selectionModel().selectedRows()
    assert [panel.layers_model.index(i.row(), 1).data() for i in selected] == ["/fc1/MatMul"]
    # the graph: coloured by the difference, the node says it is where the difference starts
    assert ws.graph.colour_mode() == "diff" and ws.graph.view._node_values
    assert ws.graph.view._legend[0] == "log10 max |A − B|"
    panel.layers_view.doubleClicked.emit(selected[0])
    assert ws.tabs.currentWidget() is ws.graph_host
    assert "where the difference starts" in ws.graph.props.toPlainText()
    line, _notes = ws.command_line("compare")
    assert "--layers" in line and "--against" in line


def test_compare_tab_tells_an_int8_copy_apart_and_the_unoptimized_model_not(qtbot, window: MainWindow,
                                                                           tmp_path: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from onnxstudio.ui.compare_panel import OTHER_MODEL, UNOPTIMIZED

    fp32 = SAMPLES / "digits_classifier.onnx"
    int8 = tmp_path / "digits_int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    open_and_wait(qtbot, window, fp32)
    ws = window.workspace
    panel = ws.compare_panel
    choices = [panel.against.itemData(i) for i in range(panel.against.count())]
    assert choices[0] == UNOPTIMIZED and choices[-1] == OTHER_MODEL and "CPUExecutionProvider" in choices
    assert "AzureExecutionProvider" not in choices
    _drop(ws.inputs.editors[0], sorted((SAMPLES / "digits").glob("digit_3_*.png"))[0])
    panel.against.setCurrentIndex(panel.against.findData(OTHER_MODEL))
    assert panel.model_path.isVisibleTo(panel)
    panel.model_path.setText(str(int8))
    window.actions["compare"].trigger()
    assert ws.tabs.currentWidget() is panel and not panel.button.isEnabled()
    wait_idle(qtbot, window)
    result = panel.result
    assert result is not None and not result.ok and panel.table.rowCount() == 2
    assert [panel.table.item(r, 0).text() for r in range(2)] == ["logits", "probabilities"]
    assert panel.table.item(0, 1).text() == "✗" and panel.table.item(0, 7).text() == "100.0% of rows"
    assert "2 of 2 outputs differ" in panel.summary.text() and "digits_int8.onnx" in panel.summary.text()
    # the same model with its optimizer off agrees
    panel.against.setCurrentIndex(panel.against.findData(UNOPTIMIZED))
    assert not panel.model_path.isVisibleTo(panel)
    window.actions["compare"].trigger()
    wait_idle(qtbot, window)
    assert panel.result is not result and panel.result.ok
    assert panel.result.spec.config_b.graph_optimization == "disabled"
    assert {panel.table.item(r, 1).text() for r in range(2)} == {"✓"}
    # a session unoptimized already is compared with the model fully optimized, and told so
    ws.providers.optimization.setCurrentText("disabled")
    with qtbot.waitSignal(ws.message) as sig:
        window.actions["compare"].trigger()
    assert sig.args[0] == "info" and "every optimization" in sig.args[1]
    wait_idle(qtbot, window)
    assert panel.result.spec.config_b.graph_optimization == "all" and panel.result.config_a.graph_optimization \
        == "disabled"
    ws.providers.optimization.setCurrentText("all")
    # a model taking other inputs is refused in one line, the last comparison kept
    panel.against.setCurrentIndex(panel.against.findData(OTHER_MODEL))
    panel.model_path.setText(str(models.add_model(tmp_path / "add.onnx")))
    with qtbot.waitSignal(ws.message) as sig:
        window.actions["compare"].trigger()
    assert sig.args[0] == "error" and "add.onnx takes inputs a, b, which " in sig.args[1]
    assert not ws.controller.busy and panel.result.ok


def test_a_batch_sweep_fills_the_sweep_table_chart_and_history(qtbot, window: MainWindow) -> None:
    open_and_wait(qtbot, window, SAMPLES / "digits_classifier.onnx")
    ws = window.workspace
    b = ws.bench_settings
    assert [b.sweep_dim.itemData(i) for i in range(b.sweep_dim.count())] == ["", "batch"]
    _drop(ws.inputs.editors[0], sorted((SAMPLES / "digits").glob("digit_7_*.png"))[0])
    b.warmup.setValue(2)
    b.mode.setCurrentIndex(b.mode.findData("iterations"))
    b.iterations.setValue(30)
    b.sweep_dim.setCurrentIndex(b.sweep_dim.findData("batch"))
    b.sweep_values.setText("oops")
    with qtbot.waitSignal(ws.message) as sig:  # values that do not parse: one line, nothing runs
        window.actions["benchmark"].trigger()
    assert sig.args[0] == "error" and "sweep values" in sig.args[1] and not ws.controller.busy
    b.sweep_values.setText("1, 4")
    before = len(ws.history)
    window.actions["benchmark"].trigger()
    wait_idle(qtbot, window)
    view = ws.sweep_view
    assert [(p.value, p.items_per_run, p.result.iterations) for p in view.points] == [(1, 1, 30), (4, 4, 30)]
    assert view.table.rowCount() == 2 and view.table.item(1, 0).text() == "4"
    assert list(view.throughput_curve.getData()[0]) == [1.0, 4.0]
    assert [r.kind for r in ws.history[before:]] == ["sweep batch=1", "sweep batch=4"]
    assert ws.bench_tabs.currentWidget() is ws.sweep_host
    b.sweep_dim.setCurrentIndex(0)  # the next benchmark is a plain one again


def test_copy_command_line_repeats_the_open_tabs_work(qtbot, window: MainWindow) -> None:
    open_and_wait(qtbot, window, SAMPLES / "digits_classifier.onnx")
    ws = window.workspace
    digit = sorted((SAMPLES / "digits").glob("digit_7_*.png"))[0]
    _drop(ws.inputs.editors[0], digit)
    ws.providers.threads.setValue(2)
    clipboard = QApplication.clipboard()
    ws.tabs.setCurrentWidget(ws.outputs)
    window.actions["copy_command"].trigger()
    line = clipboard.text()
    assert line.startswith("onnxstudio run ") and "--threads 2" in line and f"--input image={digit}" in line
    ws.tabs.setCurrentWidget(ws.bench_splitter)
    ws.bench_settings.mode.setCurrentIndex(ws.bench_settings.mode.findData("iterations"))
    ws.bench_settings.iterations.setValue(300)
    window.actions["copy_command"].trigger()
    assert clipboard.text().startswith("onnxstudio bench ") and "--iterations 300" in clipboard.text()
    ws.tabs.setCurrentWidget(ws.profile_panel)
    window.actions["copy_command"].trigger()
    assert clipboard.text().startswith("onnxstudio profile ")
    from onnxstudio.ui.compare_panel import UNOPTIMIZED

    ws.tabs.setCurrentWidget(ws.compare_panel)
    ws.compare_panel.against.setCurrentIndex(ws.compare_panel.against.findData(UNOPTIMIZED))
    window.actions["copy_command"].trigger()
    assert clipboard.text().startswith("onnxstudio compare ") and "--b-optimization disabled" in clipboard.text()
    ws.providers.threads.setValue(0)


def test_a_report_holds_the_environment_results_and_commands(qtbot, window: MainWindow, tmp_path: Path) -> None:
    open_and_wait(qtbot, window, SAMPLES / "digits_classifier.onnx")
    ws = window.workspace
    digit = sorted((SAMPLES / "digits").glob("digit_7_*.png"))[0]
    _drop(ws.inputs.editors[0], digit)
    window.actions["run"].trigger()
    wait_idle(qtbot, window)
    ws.profile_panel.runs.setValue(2)
    ws.profile()
    wait_idle(qtbot, window)
    assert window.save_report(str(tmp_path / "r.md"))
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    for part in ("# ONNX Studio report: digits_classifier.onnx", "## Environment", "| onnxruntime | ",
                 "## Model", "Producer", "## Session", "## Inputs", f"image {digit}", "## Last run",
                 "| probabilities | float32 | 1×10 |", "## Profile", "| CPUExecutionProvider |", "## Repeat it",
                 "onnxstudio run ", "onnxstudio profile "):
        assert part in text, part
    assert not window.save_report(str(tmp_path / "no" / "such" / "r.md"))  # one line, nothing lost
    assert window.current_path.endswith("digits_classifier.onnx")


def test_the_compare_tab_draws_where_two_outputs_differ(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """A blur against its copy with one weight changed: |A - B| drawn for the selected output."""
    import onnx
    from onnx import numpy_helper

    from onnxstudio.ui.compare_panel import OTHER_MODEL

    blur = onnx.load(str(SAMPLES / "blur.onnx"))
    init = blur.graph.initializer[0]
    w = numpy_helper.to_array(init).copy()
    w.flat[0] += 0.5
    init.CopyFrom(numpy_helper.from_array(w, init.name))
    onnx.save(blur, str(tmp_path / "blur_changed.onnx"))
    open_and_wait(qtbot, window, SAMPLES / "blur.onnx")
    ws = window.workspace
    panel = ws.compare_panel
    panel.against.setCurrentIndex(panel.against.findData(OTHER_MODEL))
    panel.model_path.setText(str(tmp_path / "blur_changed.onnx"))
    window.actions["compare"].trigger()
    wait_idle(qtbot, window)
    assert panel.result is not None and not panel.result.ok
    assert panel.map_view is not None and panel.where.text().startswith("|A − B| of ")
    image = panel.map_view.image.image  # pyqtgraph's ImageItem holds what it draws
    assert image is not None and float(np.nanmax(image)) > 0


def test_a_table_dropped_on_the_window_goes_to_the_inputs_it_names(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from tests.core.test_tables import columns_model

    open_and_wait(qtbot, window, columns_model(tmp_path / "columns.onnx"))
    table = tmp_path / "passengers.csv"
    table.write_text("fare,sex\n7.25,male\n71.28,female\n")
    _drop(window, table)
    age, fare, sex = window.workspace.inputs.editors
    assert age.kind.currentData() == "random"  # not a column: not given the table, though it comes first
    assert np.allclose(fare.value, [[7.25], [71.28]]) and not fare.error
    assert sex.value.tolist() == [["male"], ["female"]]


def test_a_scikit_learn_classifier_on_a_table_shows_its_classes_by_row(qtbot, window: MainWindow,
                                                                        tmp_path: Path) -> None:
    """onnxruntime's logreg_iris: a [3, 2] table in; the label and ZipMap's {class: probability} per row out."""
    from tests.conftest import ort_datasets

    open_and_wait(qtbot, window, ort_datasets() / "logreg_iris.onnx")
    table = tmp_path / "iris.csv"
    table.write_text("sepal_length,sepal_width,species\n5.1,3.5,setosa\n7.0,3.2,versicolor\n6.3,3.3,virginica\n")
    _drop(window, table)  # no column named like the input: the model's one input takes the table
    editor = window.workspace.inputs.editors[0]
    assert editor.value.shape == (3, 2) and "text column 'species' left out" in editor.info.text()
    window.workspace.run_once()
    qtbot.waitUntil(lambda: window.workspace.outputs.result is not None, timeout=30000)
    wait_idle(qtbot, window)
    outputs = window.workspace.outputs
    assert outputs.list.currentRow() == 1  # it opens on the probabilities, not on the label before them
    assert outputs.view_titles() == ["By row", "Values", "Value"]
    outputs.list.setCurrentRow(0)
    assert outputs.view_titles() == ["Values"]  # the predicted labels (int64): no scores to rank
    outputs.list.setCurrentRow(1)
    assert "3 rows of 3 classes (0, 1, 2)" in outputs.header.text()
    rows = outputs.view_widget("By row")
    assert rows.scores.shape == (3, 3) and np.allclose(rows.scores.sum(axis=1), 1.0, atol=1e-5)


def test_a_nodes_outputs_shown_from_the_graph_with_each_run(qtbot, window: MainWindow) -> None:
    """The node's properties link runs the model with the node's output as an output too (a session of its
    own); it stays with the runs until the user stops it; the command line says the same (--output)."""
    from PySide6.QtCore import QUrl

    open_and_wait(qtbot, window, SAMPLES / "digits_classifier.onnx")
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.graph is not None and ws.graph.main_graph is not None, timeout=20000)
    g = ws.graph.main_graph
    relu = next(i for i in range(g.n_ops) if g.ops[i] == "Relu")
    ws.graph.view.select_node(relu)
    ws.graph._show_node(relu)
    assert "Run the model and show this node's outputs" in ws.graph.props.toHtml()
    ws.graph._on_anchor(QUrl("watch:"))  # the link clicked
    wait_idle(qtbot, window)
    outputs = ws.outputs
    tensor = str(g.protos[relu].output[0])
    names = [o.name for o in outputs.result.outputs]
    assert names == ["logits", "probabilities", tensor] and ws.tabs.currentWidget() is outputs
    relu_out = outputs.result.outputs[2].value
    assert relu_out.shape == (1, 32) and relu_out.min() >= 0  # a Relu's output, computed
    assert outputs.list.item(2).text().startswith("▸ ") and outputs.watch_bar.isVisibleTo(outputs)
    assert f"--output {tensor}" in ws.command_line("run")[0]
    assert "Last run" in ws.graph.props.toPlainText() and f"{tensor}: float32 [1, 32] min 0" in \
        ws.graph.props.toPlainText()  # the node's properties give its values in the run
    ws.run_once()  # the next run shows it too
    wait_idle(qtbot, window)
    assert len(outputs.result.outputs) == 3
    outputs.unwatch.click()
    assert not outputs.watch_bar.isVisibleTo(outputs) and not ws.watched
    ws.node_list.search.setText("MatMul")  # the Nodes tab's menu does the same, from a filtered row
    qtbot.waitUntil(lambda: ws.node_list.table.model() is ws.node_list.proxy, timeout=5000)
    matmul = ws.node_list.node_at(0)
    assert str(g.ops[matmul]) == "MatMul"
    ws.node_list.watch_requested.emit(matmul)
    wait_idle(qtbot, window)
    assert ws.watched == [str(g.protos[matmul].output[0])] and len(outputs.result.outputs) == 3
    outputs.unwatch.click()
    ws.run_once()
    wait_idle(qtbot, window)
    assert [o.name for o in outputs.result.outputs] == ["logits", "probabilities"]


def test_save_the_optimized_model_and_find_it_in_recent_files(qtbot, window: MainWindow, tmp_path: Path) -> None:
    model = models.conv_model(tmp_path / "conv.onnx", channels=8, layers=2, side=16)
    open_and_wait(qtbot, window, model)
    ws = window.workspace
    ws.providers.optimization.setCurrentText("extended")
    assert window.actions["save_optimized"].isEnabled()
    assert ws.save_optimized(str(model))  # the model itself: refused, and said in one line
    wait_idle(qtbot, window)
    assert window.banner.level == "error" and "conv.onnx is the model itself" in window.banner.text()
    target = tmp_path / "conv.opt.onnx"
    assert ws.save_optimized(str(target))
    wait_idle(qtbot, window)
    assert target.is_file() and window.settings.recent_files()[0] == str(target)
    assert window.status_label.text().startswith("Saved conv.opt.onnx: 5 nodes → 3 (level extended): Conv 2 → 0")
    ws.providers.optimization.setCurrentText("all")
    ws.run_once()  # the engine makes a session of its own again
    wait_idle(qtbot, window)
    assert ws.outputs.result is not None and ws.outputs.result.outputs[0].value.shape == (1, 8)


def test_a_folder_for_a_model_that_takes_one_picture_runs_each(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """Most exports fix the batch at 1: a folder then runs picture by picture, each row named by its file."""
    one = onnx.load(str(SAMPLES / "digits_classifier.onnx"))
    for value in (*one.graph.input, *one.graph.output):
        value.type.tensor_type.shape.dim[0].dim_value = 1
    onnx.save(one, str(tmp_path / "digits_b1.onnx"))
    open_and_wait(qtbot, window, tmp_path / "digits_b1.onnx")
    editor = window.workspace.inputs.editors[0]
    _drop(editor, SAMPLES / "digits")
    editor.rebuild()
    files = sorted(p.name for p in (SAMPLES / "digits").glob("*.png"))
    assert not editor.error and [Path(f).name for f in editor.each_files] == files
    assert editor.value.shape == (1, 1, 8, 8) and f"{len(files)} pictures, one a run" in editor.info.text()
    window.workspace.run_once()
    wait_idle(qtbot, window)
    outputs = window.workspace.outputs
    assert outputs.result.outputs[0].value.shape == (len(files), 10)
    rows = outputs.view_widget("By row")
    best = rows.scores.argmax(axis=1).tolist()
    assert best == [int(f.split("_")[1]) for f in files]  # digit_7_9.png is a 7
    assert rows.model.row_names == files
    assert window.status_label.text().startswith(f"Ran {len(files)} pictures one at a time in ")
    rows.k.setValue(2)
    rows.export_csv(str(tmp_path / "best.csv"))  # what a folder evaluation is kept as
    table = [line.split(",") for line in (tmp_path / "best.csv").read_text().splitlines()]
    assert table[0] == ["row", "class_1", "probability_1", "score_1", "class_2", "probability_2", "score_2"]
    assert [r[0] for r in table[1:]] == files and [int(r[1]) for r in table[1:]] == best
    assert all(float(r[2]) > float(r[5]) for r in table[1:])
    # one picture's outputs alone, on that picture
    assert outputs.picture.isVisibleTo(outputs) and outputs.picture.count() == len(files) + 1
    outputs.picture.setCurrentIndex(3)
    assert outputs.result.outputs[0].value.shape == (1, 10) and outputs.view_titles()[0] == "Top-k"
    assert outputs.view_widget("Top-k").top_label() == files[2].split("_")[1]
    assert outputs.input_image is not None and outputs.input_image.shape[:2] == (8, 8)
    outputs.picture.setCurrentIndex(0)
    assert outputs.result.outputs[0].value.shape == (len(files), 10)
    editor.set_file(SAMPLES / "digits" / files[0])  # a plain run on one picture: no picture box
    wait_idle(qtbot, window)
    assert window.workspace.run_once()
    wait_idle(qtbot, window)
    assert not outputs.picture.isVisibleTo(outputs) and outputs.result.outputs[0].value.shape == (1, 10)


def test_generate_text_with_a_decoders_cache(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """Run → Generate text on a decoder with its cache and a tokenizer a folder above: the new tokens as an output,
    their text and times above it; the action is off for a model that is no such decoder."""
    from tests.models import decoder_model

    (tmp_path / "onnx").mkdir()
    path = decoder_model(tmp_path / "onnx" / "model.onnx")
    vocab = ["<s>", "The", "Ġcapital", "Ġof", "ĠFrance", "Ġis", "ĠParis", ".", "Ġa", "Ġb"]
    (tmp_path / "tokenizer.json").write_text(json.dumps({"model": {"vocab": {t: i for i, t in enumerate(vocab)}}}))
    open_and_wait(qtbot, window, path)
    ws = window.workspace
    assert window.actions["generate"].isEnabled() and ws.decoder is not None
    assert "key/value cache of 2 tensors: Run → Generate text" in ws.model_panel.text()
    ids = ws.inputs.editor("input_ids")
    ids.kind.setCurrentIndex(ids.kind.findData("literal"))
    ids.literal.setText("[[1, 2, 3]]")
    ws.outputs.clear()
    assert ws.generate(4)
    qtbot.waitUntil(lambda: ws.outputs.result is not None, timeout=30000)
    wait_idle(qtbot, window)
    generated = ws.outputs.result.outputs[0]
    assert generated.name == "generated" and generated.value.shape == (1, 4)
    check = ws.outputs.check.text()
    assert "4 new tokens: the prompt's 3 in" in check and "tokens/s" in check
    assert repr("".join(vocab[i] for i in generated.value[0]).replace("Ġ", " ")) in check
    line, _ = ws.command_line()  # the same from the command line
    assert line.startswith("onnxstudio generate ") and "'input_ids=[[1, 2, 3]]'" in line and "--tokens 4" in line
    assert "past_sequence_length" not in line
    (tmp_path / "onnx" / "generation_config.json").write_text(json.dumps({"eos_token_id": int(generated.value[0, 1])}))
    ws.outputs.clear()
    assert ws.generate(4)  # it ends at the end-of-text id its generation config names
    qtbot.waitUntil(lambda: ws.outputs.result is not None, timeout=30000)
    wait_idle(qtbot, window)
    assert ws.outputs.result.outputs[0].value.tolist() == [generated.value[0, :2].tolist()]
    ws.outputs.clear()
    assert ws.generate(4, stop_at_end=False)  # the dialog's box unticked: every token, past the end-of-text id
    qtbot.waitUntil(lambda: ws.outputs.result is not None, timeout=30000)
    wait_idle(qtbot, window)
    assert ws.outputs.result.outputs[0].value.shape == (1, 4)
    assert ws.command_line()[0].endswith("--tokens 4 --ignore-eos") or "--ignore-eos" in ws.command_line()[0]
    from onnxstudio.core.generation import Sampling

    drawn = []
    for _ in range(2):  # drawn tokens: the same seed, the same tokens
        ws.outputs.clear()
        assert ws.generate(6, Sampling(temperature=3.0, seed=5), stop_at_end=False)
        qtbot.waitUntil(lambda: ws.outputs.result is not None, timeout=30000)
        wait_idle(qtbot, window)
        drawn.append(ws.outputs.result.outputs[0].value.tolist())
    assert drawn[0] == drawn[1] and "--temperature 3 --seed 5" in ws.command_line()[0]
    ws._streamed = []  # a generation under way: its text so far above the outputs, a few times a second
    ws.controller.generating.emit([[4], [5]])
    assert ws.outputs.header.text() == "Generating: 2 tokens so far ' France is'"
    ws.controller.generating.emit([[6]])
    assert ws.outputs.header.text().startswith("Generating: 3 tokens so far ' France is Paris'")
    from onnxstudio.core.generation_config import RuleChoices

    first = int(generated.value[0, 0])  # the config's rules: its greedy first token suppressed, a penalty chosen
    (tmp_path / "onnx" / "generation_config.json").write_text(json.dumps({"suppress_tokens": [first]}))
    ws.outputs.clear()
    assert ws.generate(4, stop_at_end=False, choices=RuleChoices(True, 1.4))
    qtbot.waitUntil(lambda: ws.outputs.result is not None, timeout=30000)
    wait_idle(qtbot, window)
    assert first not in ws.outputs.result.outputs[0].value.tolist()[0]
    assert "; repetition penalty 1.4, 1 tokens suppressed (generation_config.json)" in ws.outputs.check.text()
    assert ws.command_line()[0].endswith("--ignore-eos --repetition-penalty 1.4")
    ws.outputs.clear()  # beam search: the best of 3 beams, said above the outputs
    assert ws.generate(4, stop_at_end=False, choices=RuleChoices(False, None, None, 3))
    qtbot.waitUntil(lambda: ws.outputs.result is not None, timeout=30000)
    wait_idle(qtbot, window)
    assert ws.outputs.result.outputs[0].value.shape == (1, 4)
    assert "; beam search: 3 beams, length penalty 1" in ws.outputs.check.text()
    assert ws.command_line()[0].endswith("--ignore-eos --no-config-rules --beams 3")
    assert not ws.generate(4, Sampling(temperature=1.0), choices=RuleChoices(beams=2))  # drawn beams: one line
    ws._streamed = []  # beam search under way: its steps (the best beam is known at the end)
    ws.controller.generating.emit([[], []])
    assert ws.outputs.header.text() == "Generating by beam search (3 beams): 2 steps so far"
    open_and_wait(qtbot, window, models.add_model(tmp_path / "add.onnx"))
    assert not window.actions["generate"].isEnabled() and window.workspace.decoder is None
    open_and_wait(qtbot, window, models.causal_lm_model(tmp_path / "lm.onnx"))  # exported without its cache
    assert window.actions["generate"].isEnabled() and "with no key/value cache" in ws.model_panel.text()
    # the tokenizer.json beside it is only a vocabulary, which the tokenizers library cannot read: the ids start
    # on random data (a Text source would fail every run) and the model panel says why
    assert ws.inputs.editor("input_ids").kind.currentData() == "random"
    assert "cannot read the tokenizer tokenizer.json" in ws.model_panel.text()
    ws.outputs.clear()
    assert ws.generate(3)
    qtbot.waitUntil(lambda: ws.outputs.result is not None, timeout=30000)
    wait_idle(qtbot, window)
    assert ws.outputs.result.outputs[0].value.shape == (1, 3)
    assert "(no key/value cache: each run reads the whole sequence so far)" in ws.outputs.check.text()


def test_generate_text_with_an_encoder_decoder(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """Optimum's encoder_model.onnx opened, decoder_model_merged.onnx beside it: the model panel names the pair,
    Generate text runs the encoder on the Text field's text and the decoder from the config's start token; the
    decoder opened runs the encoder on its defaults and says so."""
    m = models.seq2seq_models(tmp_path, end=11)
    models.tokenizer_file(tmp_path / "tokenizer.json")  # [CLS] 1, [SEP] 2, hello 4, world 5
    open_and_wait(qtbot, window, m["encoder"])
    ws = window.workspace
    assert window.actions["generate"].isEnabled() and ws.pair is not None
    assert "encoder_model.onnx → decoder_model_merged.onnx: Run → Generate text" in ws.model_panel.text()
    ids = ws.inputs.editor("input_ids")
    assert ids.kind.currentData() == "text"
    ids.text.setText("hello world")
    ids.text.editingFinished.emit()
    ws.outputs.clear()
    assert ws.generate(5)
    qtbot.waitUntil(lambda: ws.outputs.result is not None, timeout=30000)
    wait_idle(qtbot, window)
    generated = ws.outputs.result.outputs[0]
    assert generated.value.tolist() == [models.seq2seq_by_hand(m, [1, 4, 5, 2], 2, 5)]
    assert "new tokens: the encoder in" in ws.outputs.check.text()
    line, _ = ws.command_line()
    assert line.startswith("onnxstudio generate ") and "encoder_model.onnx" in line and "--tokens 5" in line
    config = json.loads((tmp_path / "generation_config.json").read_text())  # the model's number: its max_length
    (tmp_path / "generation_config.json").write_text(json.dumps({**config, "max_length": 4}))
    ws.outputs.clear()
    assert ws.generate(0, stop_at_end=False)
    qtbot.waitUntil(lambda: ws.outputs.result is not None, timeout=30000)
    wait_idle(qtbot, window)
    assert ws.outputs.result.outputs[0].value.shape == (1, 3) and "--tokens 3" in ws.command_line()[0]
    open_and_wait(qtbot, window, m["merged"])
    assert window.actions["generate"].isEnabled() and ws.pair is not None and ws.decoder is None
    messages: list[str] = []
    ws.message.connect(lambda _kind, text: messages.append(text))
    ws.outputs.clear()
    assert ws.generate(2)
    qtbot.waitUntil(lambda: ws.outputs.result is not None, timeout=30000)
    wait_idle(qtbot, window)
    assert ws.outputs.result.outputs[0].value.shape[0] == 1
    assert any("encoder_model.onnx runs on its default inputs" in t for t in messages)


def _binary_model(path: Path, op: str) -> Path:
    """c = a <op> b over float32 [4], written over ``path`` as an exporter writes it again (a new file renamed over
    the old one)."""
    import onnx
    from onnx import TensorProto, helper

    vec = [helper.make_tensor_value_info(n, TensorProto.FLOAT, [4]) for n in ("a", "b", "c")]
    model = helper.make_model(helper.make_graph([helper.make_node(op, ["a", "b"], ["c"])], "g", vec[:2], vec[2:]),
                              opset_imports=[helper.make_opsetid("", 17)], ir_version=9)
    fresh = path.with_suffix(".tmp")
    onnx.save(model, str(fresh))
    os.replace(fresh, path)
    return path


def test_a_model_exported_again_is_read_again_keeping_the_inputs(qtbot, window: MainWindow, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-exporting the open model (here: Add, then Sub, renamed over it) reads it again by itself: the new graph,
    the inputs as the user set them, and runs on a new session (the last one's engine was the old file's). During
    a run it waits for the run to end; File → Reload reads it on demand."""
    path = _binary_model(tmp_path / "m.onnx", "Add")
    open_and_wait(qtbot, window, path)
    ws = window.workspace
    said: list[str] = []
    show = window.show_message
    monkeypatch.setattr(window, "show_message", lambda level, text: (said.append(text), show(level, text)))
    for name, text in (("a", "[1, 2, 3, 4]"), ("b", "[10, 20, 30, 40]")):
        editor = ws.inputs.editor(name)
        editor.kind.setCurrentIndex(editor.kind.findData("literal"))
        editor.literal.setText(text)

    def run() -> list[float]:
        ws.outputs.clear()
        assert ws.run_once()
        qtbot.waitUntil(lambda: ws.outputs.result is not None, timeout=30000)
        wait_idle(qtbot, window)
        return ws.outputs.result.outputs[0].value.tolist()

    assert run() == [11, 22, 33, 44]
    with qtbot.waitSignal(window.model_loaded, timeout=15000):
        _binary_model(path, "Sub")
    assert ws.report.op_histogram == {"Sub": 1} and said[-1].startswith("Reloaded m.onnx in ")
    assert ws.inputs.editor("b").literal.text() == "[10, 20, 30, 40]"
    assert run() == [-9, -18, -27, -36]
    ws.bench_settings.mode.setCurrentIndex(ws.bench_settings.mode.findData("duration"))  # other tests set them
    ws.bench_settings.sweep_dim.setCurrentIndex(0)
    ws.bench_settings.duration.setValue(30)  # changed during a benchmark: read again once it ends
    window.actions["benchmark"].trigger()
    qtbot.waitUntil(lambda: ws.charts.lat.n > 10, timeout=20000)
    _binary_model(path, "Mul")
    qtbot.waitUntil(lambda: "m.onnx changed on disk; it is read again once this run ends." in said, timeout=15000)
    assert ws.report.op_histogram == {"Sub": 1}
    with qtbot.waitSignal(window.model_loaded, timeout=15000):
        window.actions["stop"].trigger()
    assert ws.report.op_histogram == {"Mul": 1} and run() == [10, 40, 90, 160]
    with qtbot.waitSignal(window.model_loaded, timeout=15000):
        window.actions["reload"].trigger()
    assert said[-1].startswith("Reloaded m.onnx in ")
    with qtbot.waitSignal(window.open_failed, timeout=15000):  # an export that stopped half-way: said, model kept
        path.write_bytes(path.read_bytes()[:20])
    assert ws.report.op_histogram == {"Mul": 1} and window.current_path == str(path)
    with qtbot.waitSignal(window.model_loaded, timeout=15000):  # the next export is read again
        _binary_model(path, "Div")
    assert ws.report.op_histogram == {"Div": 1} and said[-1].startswith("Reloaded m.onnx in ")


def test_a_run_failing_on_its_shapes_says_which_dims_were_left_on_auto(qtbot, window: MainWindow,
                                                                      tmp_path: Path) -> None:
    open_and_wait(qtbot, window, models.fixed_inside_model(tmp_path / "enc.onnx"))
    ws = window.workspace
    assert ws.run_once()
    qtbot.waitUntil(lambda: window.banner.level == "error" and "Reshape" in window.banner.text(), timeout=30000)
    wait_idle(qtbot, window)
    assert window.banner.text().endswith("the free dims were left at their defaults (seq=1); a model exported with "
                                         "sizes fixed inside it runs only at those: set them under Symbolic "
                                         "dimensions")
    ws.inputs.dim_spins["seq"].setValue(12)
    ws.outputs.clear()
    assert ws.run_once()
    qtbot.waitUntil(lambda: ws.outputs.result is not None, timeout=30000)
    wait_idle(qtbot, window)
    assert ws.outputs.result.outputs[0].value.shape == (1, 12, 4, 8)


def test_the_macs_are_counted_at_the_length_an_inputs_file_brings(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """x [batch, seq, 8] @ W [8, 4]: counted at seq 1 by default (32 MACs); a file of 5 rows makes it 160, as runs
    take it; a dim set by hand wins."""
    from onnx import TensorProto, helper, numpy_helper

    w = numpy_helper.from_array(np.ones((8, 4), np.float32), "W")
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "W"], ["y"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "seq", 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", "seq", 4])], [w])
    path = tmp_path / "mm.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9), str(path))
    with qtbot.waitSignal(window.model_checked, timeout=30000):
        open_and_wait(qtbot, window, path)
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.report.compute is not None and ws.report.compute.total == 32, timeout=10000)
    np.save(tmp_path / "x.npy", np.zeros((1, 5, 8), np.float32))
    ws.inputs.editor("x").set_file(str(tmp_path / "x.npy"))
    qtbot.waitUntil(lambda: ws.report.compute is not None and ws.report.compute.total == 160, timeout=10000)
    assert ws.report.compute.dims["seq"] == 5
