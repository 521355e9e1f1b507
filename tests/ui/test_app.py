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
