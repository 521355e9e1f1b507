"""Uncaught exceptions: logged to a file, shown in a dialog, and the app keeps running."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

LOG_DIR_ENV = "ONNXSTUDIO_LOG_DIR"
_log = logging.getLogger("onnxstudio")


def log_path() -> Path:
    override = os.environ.get(LOG_DIR_ENV, "").strip()
    base = Path(override) if override else Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation) or Path.home())
    return base / "onnxstudio.log"


def setup_logging() -> Path | None:
    """Log warnings and errors to the log file; None when the file cannot be opened (logging stays on stderr)."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _log.addHandler(handler)
    _log.setLevel(logging.INFO)
    return path


class ExceptionHook:
    """``sys.excepthook`` replacement: log the traceback, then show it in a dialog (one at a time)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent
        self.dialog: QMessageBox | None = None
        self.count = 0
        self._previous = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self

    def uninstall(self) -> None:
        sys.excepthook = self._previous

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        _log.error("uncaught exception\n%s", text)
        self.count += 1
        # Not from inside the failing slot: a nested event loop there can re-enter the code that failed.
        QTimer.singleShot(0, lambda: self._show(exc, text))

    def _show(self, exc: BaseException, text: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            return
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(QCoreApplication.translate("ExceptionHook", "Unexpected error"))
        box.setText(QCoreApplication.translate("ExceptionHook", "Something went wrong: {0}").format(f"{type(exc).__name__}: {exc}"))
        box.setInformativeText(QCoreApplication.translate("ExceptionHook", "The app keeps running. Details were written to {0}.")
                               .format(log_path()))
        box.setDetailedText(text)
        box.setModal(False)
        box.show()
        self.dialog = box
