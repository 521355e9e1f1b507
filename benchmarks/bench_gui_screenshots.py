"""Drive the real app under an X server and save the docs screenshots (docs/screenshot-*.png).

    Xvfb :99 -screen 0 1600x1000x24 &
    DISPLAY=:99 uv run python benchmarks/bench_gui_screenshots.py [--out docs]

Each state is captured from the X server itself (``import -window root``, ImageMagick) when available, so the
pictures are what a user sees; otherwise from ``QWidget.grab()``. Also prints how long each step took.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="onnxstudio-shots-"))
    os.environ["ONNXSTUDIO_SETTINGS_DIR"] = str(tmp / "settings")
    os.environ.setdefault("ONNXSTUDIO_INSTANCE_NAME", f"onnxstudio-shots-{os.getpid()}")
    use_x = bool(os.environ.get("DISPLAY")) and shutil.which("import") is not None

    import onnxruntime  # as the real entry point does; also computes the reference data below
    from PySide6.QtCore import QEventLoop, QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    from onnxstudio.resources import resource_path
    from onnxstudio.ui.app import create_app, create_window
    from onnxstudio.ui.i18n import install_translator
    from onnxstudio.ui.main_window import MainWindow
    from onnxstudio.ui.settings import Settings

    app = create_app([])
    samples = resource_path("samples")

    def spin(seconds: float, until=None) -> None:  # type: ignore[no-untyped-def]
        end = time.perf_counter() + seconds
        while time.perf_counter() < end and not (until and until()):
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    def shot(window: MainWindow, name: str) -> None:
        spin(0.4)
        path = out / f"screenshot-{name}.png"
        if use_x:
            subprocess.run(["import", "-window", "root", "-crop", "1600x1000+0+0", str(path)], check=True)
        else:
            window.grab().save(str(path))
        print(f"  {path}")

    def drop(target, path: Path) -> None:  # type: ignore[no-untyped-def]
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        target.dropEvent(QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                                    Qt.KeyboardModifier.NoModifier))

    def idle(window: MainWindow, timeout: float = 60) -> None:
        spin(timeout, lambda: not window.workspace.controller.busy)

    t0 = time.perf_counter()
    w = create_window(app, [])  # the default sample, as on a first launch
    w.setGeometry(0, 0, 1600, 1000)
    w.show()
    spin(30, lambda: bool(w.current_path) and "running" not in w.workspace.model_panel.text())
    print(f"launch to model shown and checked: {time.perf_counter() - t0:.2f} s")
    shot(w, "model")

    ws = w.workspace
    drop(ws.inputs.editors[0], sorted((samples / "digits").glob("digit_7_*.png"))[0])
    ws.run_once()
    idle(w)
    shot(w, "outputs-topk")
    drop(ws.inputs.editors[0], samples / "digits")  # the folder: one batch, a row per picture
    ws.run_once()
    idle(w)
    shot(w, "outputs-by-row")

    ws.bench_settings.duration.setValue(4)
    ws.benchmark()
    spin(2.5)
    shot(w, "benchmark-live")
    idle(w)
    ws.providers.threads.setValue(1)
    ws.benchmark()
    idle(w)
    overlaid = ws.history[-2].run_id
    ws.history_panel.set_overlay(overlaid, True)
    shot(w, "benchmark-compare")

    drop(w, samples / "edges.onnx")
    spin(20, lambda: w.current_path.endswith("edges.onnx"))
    ws.run_once()
    idle(w)
    view = ws.outputs.view_widget("Image")
    if view is not None:
        view.blend.setChecked(True)
    shot(w, "outputs-image")

    ws.tabs.setCurrentWidget(ws.graph_host)
    spin(3)
    shot(w, "graph")

    # Profile: a ResNet/Inception-like net; the kernels' table, then the time per node painted on its graph.
    import onnx

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.make_graph_models import convnet

    onnx.save(convnet(300), str(tmp / "convnet.onnx"))
    w.open_model(str(tmp / "convnet.onnx"))
    spin(20, lambda: w.current_path.endswith("convnet.onnx"))
    spin(10, lambda: ws.graph is not None and ws.graph.main_graph is not None)
    ws.profile_panel.runs.setValue(20)
    ws.profile()
    idle(w)
    shot(w, "profile")
    hottest = next(k for k in ws.profile_panel.profile.kernels if k.node is not None)
    ws._show_profiled_node(hottest.node)  # as a double-click on the kernel's row does
    spin(2)
    shot(w, "profile-graph")
    # The same graph coloured by MACs (counted from the inferred shapes after the checks), the heaviest selected.
    spin(20, lambda: ws.report is not None and ws.report.compute is not None)
    ws.graph.set_colour_mode("macs")
    if ws.report is not None and ws.report.compute is not None and ws.report.compute.macs:
        ws.graph.select(str(ws.graph.main_graph.names[ws.report.compute.top(1)[0][0]]))
    spin(2)
    shot(w, "graph-macs")
    # Look inside: the stem's Relu shown with the run (its properties' link), its 16 channels side by side.
    g = ws.graph.main_graph
    relu = next(i for i in range(g.n_ops) if g.ops[i] == "Relu")
    ws.graph.view.select_node(relu, center=True)
    ws.watch_node(relu)
    idle(w)
    ws.outputs.list.setCurrentRow(ws.outputs.list.count() - 1)
    shot(w, "inside")
    ws.unwatch()

    # A batch sweep of the same net with a free batch: one picture fills each batch, 1 to 32, in one session.
    batched = convnet(300)
    for value in (*batched.graph.input, *batched.graph.output):
        value.type.tensor_type.shape.dim[0].dim_param = "batch"
    onnx.save(batched, str(tmp / "convnet_batch.onnx"))
    w.open_model(str(tmp / "convnet_batch.onnx"))
    spin(20, lambda: w.current_path.endswith("convnet_batch.onnx"))
    ws.history_panel.set_overlay(overlaid, False)
    ws.providers.threads.setValue(0)
    b = ws.bench_settings
    b.mode.setCurrentIndex(b.mode.findData("iterations"))
    b.iterations.setValue(40)
    b.warmup.setValue(3)
    b.sweep_dim.setCurrentIndex(b.sweep_dim.findData("batch"))
    b.sweep_values.setText("1..32")
    ws.benchmark()
    idle(w, 300)
    shot(w, "benchmark-sweep")
    b.sweep_dim.setCurrentIndex(0)

    # Compare: the digit classifier against its int8 copy (onnxruntime's dynamic quantization) on one picture.
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from onnxstudio.ui.compare_panel import OTHER_MODEL

    quantize_dynamic(str(samples / "digits_classifier.onnx"), str(tmp / "digits_int8.onnx"),
                     weight_type=QuantType.QInt8)
    w.open_model(str(samples / "digits_classifier.onnx"))
    spin(20, lambda: w.current_path.endswith("digits_classifier.onnx"))
    drop(ws.inputs.editors[0], sorted((samples / "digits").glob("digit_3_*.png"))[0])
    ws.compare_panel.against.setCurrentIndex(ws.compare_panel.against.findData(OTHER_MODEL))
    ws.compare_panel.model_path.setText(str(tmp / "digits_int8.onnx"))
    ws.compare_panel.layers_box.setChecked(True)  # and every tensor inside: where the difference starts
    ws.compare()
    idle(w)
    shot(w, "compare")
    ws.compare_panel.layers_box.setChecked(False)

    # A model shipped with reference data (the ONNX Model Zoo's layout): its inputs are used, the run is checked.
    import numpy as np
    from onnx import numpy_helper

    from onnxstudio.core.imaging import guess_recipe
    from onnxstudio.core.inputs import ImageSource, build_input
    from onnxstudio.core.inspection import inspect_model

    zoo = tmp / "digits-zoo"
    (zoo / "test_data_set_0").mkdir(parents=True)
    shutil.copy(samples / "digits_classifier.onnx", zoo / "model.onnx")
    spec = inspect_model(zoo / "model.onnx", shapes=False).inputs[0]
    pictures = build_input(spec, ImageSource(str(samples / "digits"), guess_recipe(spec)))
    session = onnxruntime.InferenceSession(str(zoo / "model.onnx"), providers=["CPUExecutionProvider"])
    expected = session.run(None, {spec.name: pictures})
    for name, value in [("input_0", pictures)] + [(f"output_{i}", v) for i, v in enumerate(expected)]:
        (zoo / "test_data_set_0" / f"{name}.pb").write_bytes(numpy_helper.from_array(np.asarray(value))
                                                             .SerializeToString())
    w.open_model(str(zoo / "model.onnx"))
    spin(20, lambda: w.current_path.endswith("model.onnx"))
    ws.run_once()
    idle(w)
    shot(w, "reference")

    # An encoder: the digit classifier cut at its hidden layer, its 32 ReLU activations named as an embedding; a
    # folder of the sample digits and a darker copy of the 7: the Vector view's similarities say which match.
    from PIL import Image

    encoder = onnx.load(str(samples / "digits_classifier.onnx"))
    graph = encoder.graph
    hidden = next(n.output[0] for n in graph.node if n.op_type == "Relu")
    kept = [n for n in graph.node][:[n.output[0] for n in graph.node].index(hidden) + 1]
    del graph.node[:]
    graph.node.extend(kept + [onnx.helper.make_node("Identity", [hidden], ["embedding"])])
    del graph.output[:]
    graph.output.append(onnx.helper.make_tensor_value_info("embedding", onnx.TensorProto.FLOAT, ["batch", 32]))
    used = {i for n in graph.node for i in n.input}
    keep_inits = [t for t in graph.initializer if t.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep_inits)
    del encoder.metadata_props[:]
    onnx.save(encoder, str(tmp / "digits_encoder.onnx"))
    faces = tmp / "digits"
    shutil.copytree(samples / "digits", faces)
    seven = sorted(faces.glob("digit_7_*.png"))[0]
    darker = (np.asarray(Image.open(seven).convert("L"), np.float32) * 0.8).astype(np.uint8)
    Image.fromarray(darker).save(faces / "digit_7_darker.png")
    w.open_model(str(tmp / "digits_encoder.onnx"))
    spin(20, lambda: w.current_path.endswith("digits_encoder.onnx"))
    drop(ws.inputs.editors[0], faces)
    ws.run_once()
    idle(w)
    shot(w, "outputs-embedding")

    # A text classifier with its tokenizer beside it: input_ids from sentences typed in (a batch, a line each), their
    # tokens shown, each row of the output named by its sentence.
    w.open_model(str(samples / "text" / "sentiment.onnx"))
    spin(20, lambda: w.current_path.endswith("sentiment.onnx"))
    ids = ws.inputs.editors[0]
    ids.text.setText("What a wonderful, funny film with great music!\nA dull, boring story.\nIt was fine.")
    ids.text.editingFinished.emit()
    ws.run_once()
    idle(w)
    shot(w, "text")

    bad = tmp / "not-a-model.onnx"
    bad.write_bytes(b"PK\x03\x04 a zip file, not an ONNX model")
    w.open_model(str(bad))
    spin(10, lambda: w.banner.isVisible())
    shot(w, "error")

    w.close_model()
    w.banner.hide()
    shot(w, "start")
    w.close()
    spin(0.5)

    settings = Settings()
    settings.set_language("ko")
    translator = install_translator(app, "ko")
    k = MainWindow(settings)
    k.setGeometry(0, 0, 1600, 1000)
    k.show()
    k.open_model(str(samples / "digits_classifier.onnx"))
    spin(20, lambda: bool(k.current_path))
    k.workspace.run_once()
    idle(k)
    shot(k, "korean")
    k.close()
    if translator is not None:
        app.removeTranslator(translator)
    spin(0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
