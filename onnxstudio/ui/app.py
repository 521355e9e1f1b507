"""Application start: QApplication, settings, translations, palette, exception hook, main window."""

from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from onnxstudio.resources import default_sample
from onnxstudio.ui import quit_signals
from onnxstudio.ui.errors_dialog import ExceptionHook, setup_logging
from onnxstudio.ui.i18n import install_translator
from onnxstudio.ui.icons import app_icon
from onnxstudio.ui.main_window import MainWindow
from onnxstudio.ui.settings import APPLICATION, ORGANIZATION, Settings

_log = logging.getLogger("onnxstudio")


def dark_palette() -> QPalette:
    p = QPalette()
    base, window, text = QColor(30, 32, 36), QColor(43, 45, 50), QColor(225, 227, 230)
    disabled = QColor(120, 122, 128)
    for role, colour in ((QPalette.ColorRole.Window, window), (QPalette.ColorRole.WindowText, text),
                         (QPalette.ColorRole.Base, base), (QPalette.ColorRole.AlternateBase, window),
                         (QPalette.ColorRole.ToolTipBase, window), (QPalette.ColorRole.ToolTipText, text),
                         (QPalette.ColorRole.Text, text), (QPalette.ColorRole.Button, window),
                         (QPalette.ColorRole.ButtonText, text), (QPalette.ColorRole.BrightText, Qt.GlobalColor.red),
                         (QPalette.ColorRole.Link, QColor(110, 160, 255)),
                         (QPalette.ColorRole.Highlight, QColor(59, 111, 216)),
                         (QPalette.ColorRole.HighlightedText, Qt.GlobalColor.white),
                         (QPalette.ColorRole.PlaceholderText, disabled)):
        p.setColor(role, colour)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, theme: str) -> bool:
    """``system`` follows the desktop's colour scheme; returns whether the dark palette is in use."""
    dark = theme == "dark" or (theme == "system" and system_is_dark())
    app.setPalette(dark_palette() if dark else app.style().standardPalette())
    app.setProperty("onnxstudio_dark", dark)  # read by the charts when they are built
    return dark


def create_app(argv: list[str]) -> QApplication:
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "onnxstudio", *argv])
    assert isinstance(app, QApplication)
    app.setWindowIcon(app_icon())
    app.setStyle("Fusion")
    return app


def load_settings() -> Settings:
    return Settings.load()


def import_charting() -> None:
    """Import pyqtgraph (charts and the graph view's bulk drawing) on the GUI thread, before the window exists.

    It takes ~0.8 s. It used to run on a background thread beside the window's construction, which races with
    PySide on the GUI thread: about one start in 30 of the frozen app died in the window's constructor with
    "type object 'QGradient' has no attribute 'Preset'" from a QBrush(QColor) call. Imported here, the window
    appears that much later, and never freezes for it once a model is shown (where the first chart or graph
    view would import it otherwise).
    """
    try:
        import pyqtgraph.Qt.internals  # noqa: F401 (imports pyqtgraph itself first)
    except Exception:  # the widgets that need it import it again and report what is wrong
        _log.debug("importing pyqtgraph failed", exc_info=True)


def create_window(app: QApplication, argv: list[str]) -> MainWindow:
    """Settings, translation, theme, window; opens ``argv[0]`` if given, else the default sample."""
    import_charting()
    settings = load_settings()
    app._onnxstudio_translator = install_translator(app, settings.language())  # type: ignore[attr-defined]
    theme = settings.theme()
    apply_theme(app, theme)
    window = MainWindow(settings, theme_callback=lambda t: apply_theme(app, t))
    app.styleHints().colorSchemeChanged.connect(
        lambda _scheme: apply_theme(app, settings.theme()) if settings.theme() == "system" else None)
    # A full collection walks every object (Qt wrappers, pyqtgraph items, the model): 30-50 ms, a visible
    # stall in the middle of a benchmark. Collect once after a model is on screen, then freeze what exists.
    window.model_loaded.connect(lambda _path: QTimer.singleShot(200, settle_garbage_collector))
    files = [a for a in argv if not a.startswith("-")]
    if files:
        window.open_model(str(Path(files[0]).expanduser()))
    else:
        sample = default_sample()
        if sample is not None:
            window.open_model(str(sample))
    return window


def settle_garbage_collector() -> None:
    gc.collect()
    gc.freeze()


def _single_instance(files: list[str]) -> object | None:
    """Hand files to a running window (returns "sent"), or become the instance others hand files to."""
    try:
        from onnxstudio.ui.single_instance import SingleInstance
    except Exception as exc:  # the app works without it
        _log.warning("single-instance support unavailable: %s", exc)
        return None
    try:
        if SingleInstance.send_to_running([str(Path(f).resolve()) for f in files]):
            return "sent"
        instance = SingleInstance()
        instance.listen()
        return instance
    except Exception as exc:
        _log.warning("single-instance support failed: %s", exc)
        return None


def run_app(argv: list[str]) -> int:
    setup_logging()
    app = create_app(argv)
    files = [a for a in argv if not a.startswith("-")]
    instance = _single_instance(files)
    if instance == "sent":
        return 0
    window = create_window(app, argv)
    hook = ExceptionHook(window)
    hook.install()
    if instance is not None:
        instance.file_received.connect(window.open_model)  # type: ignore[attr-defined]
        instance.activation_requested.connect(  # type: ignore[attr-defined]
            lambda: (window.showNormal(), window.raise_(), window.activateWindow()))
    window.show()
    signals = quit_signals.install(lambda signum: _quit_on_signal(window, signum))
    try:
        return app.exec()
    finally:
        if signals is not None:
            signals.close()
        hook.uninstall()
        window.shutdown()


def _quit_on_signal(window: MainWindow, signum: int) -> None:
    """SIGTERM or SIGINT: close as the window's close button does (settings saved, the child process stopped, its
    log and the single-instance socket removed), without asking anything, then leave the event loop."""
    _log.info("quitting on signal %d", signum)
    window.close()
    QCoreApplication.exit(0)
