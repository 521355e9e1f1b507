"""Uncaught exceptions are logged to a file and shown in a dialog; the app keeps running."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QWidget

from onnxstudio.ui.errors_dialog import ExceptionHook, log_path, setup_logging


def test_hook_logs_and_shows_a_dialog(qtbot, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ONNXSTUDIO_LOG_DIR", str(tmp_path))
    assert setup_logging() == tmp_path / "onnxstudio.log"
    parent = QWidget()
    qtbot.addWidget(parent)
    hook = ExceptionHook(parent)
    hook.install()
    try:
        assert sys.excepthook is hook
        try:
            raise ValueError("boom in a slot")
        except ValueError:
            hook(*sys.exc_info())
        qtbot.waitUntil(lambda: hook.dialog is not None and hook.dialog.isVisible(), timeout=3000)
        assert "boom in a slot" in hook.dialog.text()
        assert "Traceback" in hook.dialog.detailedText()
        assert "boom in a slot" in log_path().read_text()
        # A second error while the dialog is open is logged, not stacked.
        try:
            raise RuntimeError("second")
        except RuntimeError:
            hook(*sys.exc_info())
        qtbot.wait(50)
        assert hook.count == 2 and "second" in log_path().read_text()
        hook.dialog.close()
    finally:
        hook.uninstall()
    assert sys.excepthook is not hook
