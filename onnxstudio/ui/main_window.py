"""The main window: menus, shortcuts, opening models (dialog, recent, drop, command line), status, settings."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from onnxstudio.core.errors import StudioError
from onnxstudio.core.generation_config import config_notes, generation_rules
from onnxstudio.core.imaging import IMAGE_EXTENSIONS
from onnxstudio.core.inputs import ARRAY_SUFFIXES
from onnxstudio.core.inspection import ModelReport
from onnxstudio.core.loading import main_model, models_in_folder
from onnxstudio.core.tables import named_columns
from onnxstudio.ui.file_watcher import ModelFileWatcher
from onnxstudio.ui.generate_dialog import GenerateDialog
from onnxstudio.ui.icons import app_icon, icon
from onnxstudio.ui.settings import Settings
from onnxstudio.ui.start_page import StartPage
from onnxstudio.ui.workers import (
    CheckResult,
    Failure,
    LoadedStructure,
    LoadWorker,
    ParameterCount,
    start_thread,
    stop_thread,
)
from onnxstudio.ui.workspace import Workspace

_log = logging.getLogger("onnxstudio")
IMAGE_SUFFIXES = IMAGE_EXTENSIONS + ARRAY_SUFFIXES  # files a drop hands to the inputs


class Banner(QWidget):
    """A closable one-line message at the top of the window (errors stay until closed or replaced)."""

    STYLES: ClassVar[dict[str, str]] = {"error": "background:#f8d7da; color:#721c24;", "warning": "background:#fff3cd; color:#6b4e00;",
              "info": "background:#d1ecf1; color:#0c5460;"}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.level = ""
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 6, 6)
        lay.addWidget(self.label, 1)
        lay.addWidget(close)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.hide()

    def show_message(self, level: str, text: str) -> None:
        self.level = level
        self.setStyleSheet(f"Banner {{ {self.STYLES.get(level, '')} border-radius: 4px; }} QLabel {{ "
                           f"{self.STYLES.get(level, '')} }}")
        self.label.setText(text)
        self.show()

    def text(self) -> str:
        return self.label.text()


class MainWindow(QMainWindow):
    model_loaded = Signal(str)  # path, once the structure is shown
    model_checked = Signal(str)  # path, once checker and shape inference are done
    open_failed = Signal(str)  # message

    def __init__(self, settings: Settings | None = None, theme_callback: Any = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self._theme_callback = theme_callback
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.resize(1440, 900)
        self._request = 0
        self._open_started = 0.0
        self.current_path = ""
        self._loader = LoadWorker()
        self._loader.structure_ready.connect(self._on_structure)
        self._loader.counted.connect(self._on_counted)
        self._loader.checked.connect(self._on_checked)
        self._loader.recounted.connect(self._on_recounted)
        self._loader.failed.connect(self._on_load_failed)
        self._loader_thread = start_thread(self._loader, "model-loader")
        self._reloading = False  # the open model is being read again (it changed on disk, or File → Reload)
        self._folder_note = ""  # a folder opened for its model.onnx: the other models it holds
        self._reload_pending = False  # it changed during a run: read it again once the run ends
        self.file_watcher = ModelFileWatcher(self)
        self.file_watcher.changed.connect(self._on_file_changed)

        self._make_actions()
        self.start_page = StartPage()
        self.start_page.open_requested.connect(self.open_model)
        self.start_page.open_dialog_requested.connect(self.open_dialog)
        self.workspace = Workspace(self.actions)
        self.workspace.message.connect(self.show_message)
        self.workspace.optimized_saved.connect(self._on_optimized_saved)
        self.workspace.graph_shown.connect(self._loader.graph_shown.set)
        self.workspace.busy_changed.connect(self._on_busy)
        self._recount_timer = QTimer(self, singleShot=True, interval=400)  # once the user stops typing a dim
        self._recount_timer.timeout.connect(self._recount)
        self.workspace.inputs.dims_changed.connect(self._recount_timer.start)
        self.workspace.providers.probe_requested.connect(self._loader.probe_requested)
        self._loader.probed.connect(self.workspace.providers.set_probe_results)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start_page)
        self.stack.addWidget(self.workspace)
        self.banner = Banner()
        central = QWidget()
        cl = QVBoxLayout(central)
        cl.setContentsMargins(6, 6, 6, 0)
        cl.addWidget(self.banner)
        cl.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._make_menus()

        self.status_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.setMaximumHeight(14)
        self.progress.hide()
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self._restore()
        self._refresh_recent()
        self._on_busy(False)
        self._update_title()
        if self.settings.problem:
            self.show_message("warning", self.settings.problem)

    # -- actions and menus --------------------------------------------------------------------------------
    def _action(self, key: str, text: str, icon_name: str, shortcuts: list[Any], tip: str, slot: Any) -> QAction:
        a = QAction(icon(icon_name) if icon_name else app_icon(), text, self)
        a.setObjectName(f"action_{key}")
        if shortcuts:
            a.setShortcuts([QKeySequence(s) for s in shortcuts])
            tip = f"{tip} ({a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        a.setToolTip(tip)
        a.setStatusTip(tip)
        a.triggered.connect(slot)
        self.actions[key] = a
        return a

    def _make_actions(self) -> None:
        self.actions: dict[str, QAction] = {}
        self._action("open", self.tr("&Open…"), "open", [QKeySequence.StandardKey.Open],
                     self.tr("Open an ONNX model"), self.open_dialog)
        self._action("run", self.tr("&Run"), "run", ["Ctrl+R", "F5"], self.tr("Run the model once"),
                     self.run_once)
        self._action("benchmark", self.tr("&Benchmark"), "benchmark", ["Ctrl+B"],
                     self.tr("Benchmark the model with the settings on the left"), self.benchmark)
        self._action("profile", self.tr("&Profile"), "profile", ["Ctrl+Shift+P", "F7"],
                     self.tr("Profile the model: time per node, op type and execution provider"), self.profile)
        self._action("compare", self.tr("&Compare outputs"), "compare", ["F8"],
                     self.tr("Run the inputs on a second session (unoptimized, another provider, another model) "
                             "and compare the outputs"), self.compare)
        self._action("generate", self.tr("&Generate text…"), "", ["Ctrl+G"],
                     self.tr("A text decoder, exported with its key/value cache or without: generate tokens from "
                             "the prompt in input_ids, timing the prompt apart from each new token"), self.generate)
        self._action("stop", self.tr("&Stop"), "stop", ["Esc", "Ctrl+."], self.tr("Stop the run or benchmark"),
                     self.stop)
        self._action("copy_command", self.tr("Copy &command line"), "", ["Ctrl+Shift+C"],
                     self.tr("Copy the onnxstudio command that repeats the open tab's run, benchmark, profile or "
                             "comparison with these inputs and options"), self.copy_command)
        self._action("export_report", self.tr("Export &report…"), "export", ["Ctrl+Shift+E"],
                     self.tr("Save a Markdown report: environment, model, options, inputs, results and the "
                             "commands that repeat them"), self.export_report)
        self._action("save_optimized", self.tr("Save &optimized model…"), "", [],
                     self.tr("Save the graph as onnxruntime's optimizer leaves it, at the optimization level and "
                             "provider chosen on the left, and say what changed"), self.save_optimized_dialog)
        self._action("reload", self.tr("Re&load model"), "", ["Ctrl+Shift+R"],
                     self.tr("Read the model file again, as it is on disk now (it reloads by itself when it "
                             "changes); the inputs stay as they are where the model's inputs did not change"),
                     self.reload_model)
        self._action("close", self.tr("&Close model"), "", [QKeySequence.StandardKey.Close],
                     self.tr("Close the model and show the start page"), self.close_model)
        self._action("quit", self.tr("&Quit"), "", [QKeySequence.StandardKey.Quit], self.tr("Quit ONNX Studio"),
                     self.close)
        self.actions["close"].setIcon(icon("model"))
        self.actions["quit"].setIcon(icon("stop"))

    def _make_menus(self) -> None:
        mb = self.menuBar()
        file_menu = mb.addMenu(self.tr("&File"))
        file_menu.addAction(self.actions["open"])
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        file_menu.addAction(self.actions["reload"])
        file_menu.addAction(self.actions["export_report"])
        file_menu.addAction(self.actions["save_optimized"])
        file_menu.addAction(self.actions["close"])
        file_menu.addSeparator()
        file_menu.addAction(self.actions["quit"])
        run_menu = mb.addMenu(self.tr("&Run"))
        for key in ("run", "benchmark", "profile", "compare", "generate", "stop"):
            run_menu.addAction(self.actions[key])
        run_menu.addSeparator()
        run_menu.addAction(self.actions["copy_command"])
        view = mb.addMenu(self.tr("&Settings"))
        self._choice_menu(view.addMenu(self.tr("&Language")),
                          (("system", self.tr("System default")), ("en", "English"), ("ko", "한국어")),
                          self.settings.language(), self._set_language)
        self._choice_menu(view.addMenu(self.tr("&Theme")),
                          (("system", self.tr("Follow the system")), ("light", self.tr("Light")),
                           ("dark", self.tr("Dark"))),
                          self.settings.theme(), self._set_theme)
        help_menu = mb.addMenu(self.tr("&Help"))
        help_menu.addAction(self.tr("&About ONNX Studio"), self._about)
        tb = self.addToolBar(self.tr("Main"))
        tb.setObjectName("mainToolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for key in ("open", "run", "benchmark", "profile", "stop"):
            tb.addAction(self.actions[key])

    def _choice_menu(self, menu: QMenu, choices: tuple[tuple[str, str], ...], current: str,
                     on_pick: Callable[[str], None]) -> None:
        """Exclusive, checkable entries (code, label) in ``menu``; picking one calls ``on_pick(code)``."""
        group = QActionGroup(self)
        for code, name in choices:
            a = menu.addAction(name)
            a.setCheckable(True)
            a.setChecked(current == code)
            a.triggered.connect(lambda _=False, c=code: on_pick(c))
            group.addAction(a)

    def _set_language(self, code: str) -> None:
        self.settings.set_language(code)
        self.show_message("info", self.tr("The language changes the next time ONNX Studio starts."))

    def _set_theme(self, code: str) -> None:
        self.settings.set_theme(code)
        if self._theme_callback is not None:
            self._theme_callback(code)

    def _about(self) -> None:
        from onnxstudio import __version__ as version

        QMessageBox.about(self, self.tr("About ONNX Studio"), self.tr(
            "<b>ONNX Studio</b> {0}<br>Inspect, feed, run and benchmark ONNX models.<br>Settings: {1}").format(
            version, self.settings.file_name))

    # -- opening ------------------------------------------------------------------------------------------
    def open_dialog(self, folder: str = "") -> None:
        start = folder or self.settings.last_dir() or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open an ONNX model"), start,
                                              self.tr("ONNX models (*.onnx);;All files (*)"))
        if path:
            self.open_model(path)

    def open_model(self, path: str) -> None:
        """Start loading ``path`` off the GUI thread; the current model stays until the new one is ready. A folder
        opens its model: its only .onnx file or its model.onnx, there or in its onnx/ subfolder."""
        self._folder_note = ""
        if Path(path).is_dir() and (found := main_model(path)) is not None:
            others = [p.name for p in models_in_folder(path) if p != found]
            if others:  # model.onnx beside its fp16 and quantized variants: said, any of them a File → Open away
                self._folder_note = self.tr(" (its folder also holds {0})").format(
                    ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else ""))
            path = str(found)
        self._request += 1
        self._loader.latest = self._request
        self._open_started = time.perf_counter()
        self._loading_path = path
        self.show_message("progress", self.tr("Opening {0}…").format(Path(path).name))
        self.progress.show()
        self._loader.load_requested.emit(self._request, str(path))

    def _on_structure(self, result: LoadedStructure) -> None:
        if result.request != self._request:
            return
        path = str(result.loaded.path)
        if self.workspace.controller.busy:
            self.workspace.stop()
        reloaded = self._reloading and path == self.current_path
        self._reloading = False
        self.workspace.set_model(result.loaded, result.report, checks_pending=True, keep_inputs=reloaded)
        self.current_path = path
        self.file_watcher.watch(path)
        self.stack.setCurrentWidget(self.workspace)
        self.settings.add_recent_file(path)
        self.settings.set_last_dir(str(Path(path).parent))
        self._refresh_recent()
        self._update_title()
        self.banner.hide()
        self._on_busy(self.workspace.controller.busy)  # before the message: it clears a finished run's "…" line
        ms = (time.perf_counter() - self._open_started) * 1000
        self.show_message("progress", (self.tr("Reloaded {0} in {1:.0f} ms; checking the model…") if reloaded else
                                       self.tr("Opened {0} in {1:.0f} ms; checking the model…")).format(
            Path(path).name + self._folder_note, ms))
        self._folder_note = ""
        self.model_loaded.emit(path)

    def _on_counted(self, result: ParameterCount) -> None:
        report = self.workspace.report
        if result.request != self._request or report is None:
            return
        self.workspace.report = dataclasses.replace(report, initializer_count=result.initializers,
                                                    parameter_count=result.parameters,
                                                    parameter_bytes=result.parameter_bytes,
                                                    constant_count=result.constants,
                                                    constant_parameters=result.constant_parameters,
                                                    constant_bytes=result.constant_bytes)
        self.workspace.model_panel.update_report(self.workspace.report)

    def _on_checked(self, result: CheckResult) -> None:
        report = self.workspace.report
        if result.request != self._request or report is None:
            return
        warnings = list(report.warnings)
        if result.checker_error:
            warnings.append(f"onnx checker: {result.checker_error}")
        if result.shape_inference_error:
            warnings.append(f"shape inference failed: {result.shape_inference_error}")
        checked: ModelReport = dataclasses.replace(
            report, checker_error=result.checker_error, shape_inference_error=result.shape_inference_error,
            inferred=result.inferred, warnings=warnings)
        self.workspace.report = checked
        self.workspace.update_checks(checked)
        self.progress.setVisible(self.workspace.controller.busy)
        self.show_message("status", self.tr("Checked {0}: {1}").format(
            Path(result.path).name, self.tr("no problems") if not (result.checker_error or
                                                                     result.shape_inference_error)
            else self.tr("see the warnings in the Model tab")))
        self.model_checked.emit(result.path)

    def _recount(self) -> None:
        """Count the MACs again at the sizes a run takes (the dims set, those the inputs' data fixes; after the
        first count, at the defaults: one worker)."""
        report = self.workspace.report
        if report is not None and report.shape_inference_error is None and self.current_path:
            self._loader.recount_requested.emit(self._request, self.current_path,
                                                self.workspace.inputs.counted_dims())

    def _on_recounted(self, request: int, compute: Any, error: str | None) -> None:
        report = self.workspace.report
        if request != self._request or report is None:
            return
        if compute is None:
            warning = f"MACs not counted: {error}"
            self.workspace.report = dataclasses.replace(
                report, compute=None, compute_error=error,
                warnings=[*(w for w in report.warnings if not w.startswith("MACs not counted")), warning])
        else:
            self.workspace.report = dataclasses.replace(
                report, compute=compute, compute_error=None,
                warnings=[w for w in report.warnings if not w.startswith("MACs not counted")])
        self.workspace.update_checks(self.workspace.report)

    def _on_load_failed(self, fail: Failure) -> None:
        if fail.request != self._request:
            return
        self._reloading = False  # a reload that failed (a file left half-written) keeps the model shown
        self.progress.setVisible(self.workspace.controller.busy)
        name = Path(self._loading_path).name
        text = self.tr("Cannot open {0}: {1}").format(name, fail.message)
        self.show_message("error", text)
        self.status_label.setText(text)
        self.open_failed.emit(fail.message)

    def reload_model(self) -> None:
        """Read the open model again (File → Reload, or by itself once its file changed and settled)."""
        if not self.current_path:
            return
        self._reload_pending = False
        self._reloading = True
        self.open_model(self.current_path)

    def _on_file_changed(self, path: str) -> None:
        if path != self.current_path:
            return
        if self.workspace.controller.busy:  # a run's figures stay those of the model it started on
            self._reload_pending = True
            self.show_message("info", self.tr("{0} changed on disk; it is read again once this run ends.").format(
                Path(path).name))
            return
        self.reload_model()

    def close_model(self) -> None:
        if self.workspace.controller.busy:
            self.workspace.stop()
        self.file_watcher.clear()
        self._reload_pending = False
        self.current_path = ""
        self.status_label.clear()
        self.stack.setCurrentWidget(self.start_page)
        self._update_title()
        self._on_busy(self.workspace.controller.busy)

    def _refresh_recent(self) -> None:
        files = self.settings.recent_files()
        self.recent_menu.clear()
        for i, f in enumerate(files):
            a = self.recent_menu.addAction(f"&{i + 1} {Path(f).name}")
            a.setToolTip(f)
            a.triggered.connect(lambda _=False, p=f: self.open_model(p))
        if files:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(self.tr("Clear the list"), self._clear_recent)
        self.recent_menu.setEnabled(bool(files))
        self.start_page.set_recent(files)

    def _clear_recent(self) -> None:
        self.settings.clear_recent_files()
        self._refresh_recent()

    def _update_title(self) -> None:
        app = self.tr("ONNX Studio")
        self.setWindowTitle(f"{Path(self.current_path).name} — {app}" if self.current_path else app)

    # -- drag and drop ------------------------------------------------------------------------------------
    @staticmethod
    def _dropped(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        md = event.mimeData()
        return [Path(u.toLocalFile()) for u in md.urls() if u.isLocalFile()] if md.hasUrls() else []

    def _accepts(self, paths: list[Path]) -> bool:
        # Any file: one that is not a model nor an input is opened as a model, which says what it is instead
        # ("a PyTorch checkpoint", "a PNG image": open a model first); ignoring the drop would say nothing.
        return bool(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(self._dropped(event)):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped(event)
        models = [p for p in paths if p.suffix.lower() in (".onnx", ".ort")]
        if models:
            self.open_model(str(models[0]))
            event.acceptProposedAction()
            return
        data = [p for p in paths if p.suffix.lower() in IMAGE_SUFFIXES]
        editors = self.workspace.inputs.editors
        if data and self.current_path and editors:
            named = named_columns(data[0], [e.spec.name for e in editors]) if len(data) == 1 else []
            if named:  # a table whose columns name inputs: each of those inputs, not the first one
                editors = [e for e in editors if e.spec.name in named]
                data = data * len(editors)
            # Dropped on the window, not on one input: fill the inputs in order.
            for editor, p in zip(editors, data, strict=False):
                editor.set_file(p)
            event.acceptProposedAction()
            return
        if paths:
            first = paths[0]
            inside = models_in_folder(first) if first.is_dir() else []
            if first.is_dir() and not inside and self.current_path and editors:
                editors[0].set_file(first)  # a folder of images: a batch for the first input
            elif len(inside) > 1 and main_model(first) is None:  # an encoder and a decoder: the user picks
                self.open_dialog(str(inside[0].parent))
            else:  # a downloaded model's folder opens its model (open_model); else the message says why
                self.open_model(str(first))
            event.acceptProposedAction()
            return
        event.ignore()

    # -- run ----------------------------------------------------------------------------------------------
    def run_once(self) -> None:
        if self.current_path:
            self.workspace.run_once()

    def benchmark(self) -> None:
        if self.current_path:
            self.workspace.benchmark()

    def profile(self) -> None:
        if self.current_path:
            self.workspace.profile()

    def compare(self) -> None:
        if self.current_path:
            self.workspace.compare()

    def generate(self) -> None:
        if not self.current_path:
            return
        decoder = self.workspace.decoder_path()
        dialog = GenerateDialog(self.settings.generate_tokens(), *self.settings.generate_options(),
                                model_rules=generation_rules(decoder) if decoder else None,
                                notes=tuple(config_notes(decoder)) if decoder else (), parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            tokens, sampling, stop_at_end = dialog.tokens.value(), dialog.sampling(), dialog.stop_at_end.isChecked()
            self.settings.set_generate_tokens(tokens)
            self.settings.set_generate_options(sampling, stop_at_end, dialog.choices())
            self.workspace.generate(tokens, sampling, stop_at_end, dialog.choices())

    def export_report(self) -> None:
        if not self.current_path:
            return
        name = Path(self.current_path).stem + "-report.md"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export report"), name, self.tr("Markdown (*.md)"))
        if path:
            self.save_report(path if path.lower().endswith(".md") else path + ".md")

    def save_optimized_dialog(self) -> None:
        if not self.current_path:
            return
        model = Path(self.current_path)
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save optimized model"),
                                              str(model.with_name(model.stem + ".opt.onnx")),
                                              self.tr("ONNX models (*.onnx)"))
        if path:
            self.workspace.save_optimized(path if path.lower().endswith(".onnx") else path + ".onnx")

    def _on_optimized_saved(self, path: str) -> None:
        self.settings.add_recent_file(path)
        self._refresh_recent()

    def save_report(self, path: str) -> bool:
        try:
            Path(path).write_text(self.workspace.report_markdown(), encoding="utf-8")
        except StudioError as exc:
            self.show_message("error", exc.message)
            return False
        except OSError as exc:
            self.show_message("error", self.tr("Could not save {0}: {1}").format(path, exc.strerror or exc))
            return False
        self.show_message("info", self.tr("Report saved to {0}.").format(path))
        return True

    def copy_command(self) -> None:
        if not self.current_path:
            return
        try:
            line, notes = self.workspace.command_line()
        except StudioError as exc:
            self.show_message("error", exc.message)
            return
        QGuiApplication.clipboard().setText(line)
        self.show_message("warning" if notes else "info", self.tr("Copied: {0}").format(line) +
                          (" — " + "; ".join(notes) if notes else ""))

    def stop(self) -> None:
        self.workspace.stop()

    def _on_busy(self, busy: bool) -> None:
        has_model = bool(self.current_path)
        self.actions["run"].setEnabled(has_model and not busy)
        self.actions["benchmark"].setEnabled(has_model and not busy)
        self.actions["profile"].setEnabled(has_model and not busy)
        self.actions["compare"].setEnabled(has_model and not busy)
        self.actions["generate"].setEnabled(has_model and not busy and self.workspace.can_generate())
        self.actions["copy_command"].setEnabled(has_model)
        self.actions["export_report"].setEnabled(has_model)
        self.actions["save_optimized"].setEnabled(has_model and not busy)
        self.actions["stop"].setEnabled(busy)
        self.actions["close"].setEnabled(has_model)
        self.actions["reload"].setEnabled(has_model)
        self.progress.setVisible(busy and self.workspace.controller.current_kind != "benchmark")
        if not busy and self.status_label.text().endswith("…"):
            self.status_label.setText("")
        if not busy and self._reload_pending and has_model:
            QTimer.singleShot(0, self.reload_model)  # after the run's results are shown

    def show_message(self, level: str, text: str) -> None:
        """progress/status: status bar only; info: status bar; warning/error: banner and status bar."""
        self.status_label.setText(text)
        self.status_label.setToolTip(text)  # the status bar cuts a long message at the window's edge
        if level in ("warning", "error"):
            self.banner.show_message(level, text)
            _log.warning(text) if level == "warning" else _log.error(text)

    # -- state --------------------------------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)
        for name, splitter in self._splitters().items():
            value = self.settings.splitter_state(name)
            if value is not None:
                splitter.restoreState(value)
        self.workspace.providers.set_config(self.settings.session_config())
        self.workspace.bench_settings.load_dict(self.settings.benchmark_spec())

    def _splitters(self) -> dict[str, Any]:
        return {"main": self.workspace.splitter, "bench": self.workspace.bench_splitter}

    def save_settings(self) -> str:
        self.settings.save_window(self.saveGeometry(), self.saveState(),
                                  {k: s.saveState() for k, s in self._splitters().items()})
        try:
            self.settings.set_session_config(self.workspace.providers.config().to_dict())
        except Exception:
            pass
        self.settings.set_benchmark_spec(self.workspace.bench_settings.to_dict())
        return self.settings.sync()

    def shutdown(self) -> None:
        """Stop the worker threads and child processes (idempotent)."""
        self.workspace.shutdown()
        if self._loader_thread.isRunning():
            stop_thread(self._loader_thread, 15000)
        self._loader.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        problem = self.save_settings()
        if problem:
            _log.warning(problem)
        self.shutdown()
        super().closeEvent(event)
