"""Application start-up pieces: palette, window creation from a command-line path."""

from __future__ import annotations

from PySide6.QtGui import QPalette

from onnxstudio.resources import resource_path
from onnxstudio.ui.app import apply_theme, create_window


def test_dark_and_light_palettes(qapp) -> None:
    before = qapp.palette()
    try:
        assert apply_theme(qapp, "dark") is True
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 80
        assert apply_theme(qapp, "light") is False
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 180
    finally:
        qapp.setPalette(before)


def test_command_line_path_is_opened(qtbot, qapp, settings_dir) -> None:
    path = resource_path("samples", "edges.onnx")
    window = create_window(qapp, [str(path)])
    try:
        qtbot.waitUntil(lambda: window.current_path.endswith("edges.onnx"), timeout=20000)
        assert window.windowTitle().startswith("edges.onnx")
        assert window.settings.recent_files()[0].endswith("edges.onnx")
    finally:
        window.close()


PRELOAD = r"""
import os, sys, threading
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
from onnxstudio.ui.app import preload_charting
assert "pyqtgraph" not in sys.modules
seen = []
real_import = __builtins__.__import__
def spy(name, *a, **k):
    if name.startswith("pyqtgraph") and not seen:
        seen.append(threading.current_thread().name)
    return real_import(name, *a, **k)
__builtins__.__import__ = spy
preload_charting().join(60)
__builtins__.__import__ = real_import
from onnxstudio.ui.timing_charts import TimingCharts
from onnxstudio.ui.graph_view import GraphView
charts, view = TimingCharts(), GraphView()
view.resize(400, 300)
view.grab()
print(seen[0])
"""


def test_pyqtgraph_is_imported_off_the_gui_thread() -> None:
    """The ~0.8 s import of pyqtgraph runs on a background thread; the charts and the graph view built on the
    GUI thread afterwards work, and Qt complains about no object in a wrong thread."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", PRELOAD], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "preload-pyqtgraph"
    assert "thread" not in out.stderr.lower(), out.stderr
