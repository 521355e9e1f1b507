"""The open model's workspace: run setup on the left, model / graph / outputs / benchmark tabs on the right.

It wires the panels to the :class:`RunController`; every decision about values lives in ``core``.
"""

from __future__ import annotations

import contextlib
import html
import logging
import math
import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from onnxstudio.core import outputs as out
from onnxstudio.core.answers import answer_outputs, read_answer, row_limit
from onnxstudio.core.compare import ATOL, RTOL, CompareResult, CompareSpec, feeds_for_b, other_optimization
from onnxstudio.core.compute import format_count
from onnxstudio.core.each import EachRequest
from onnxstudio.core.engine import BenchmarkResult, RunResult, SessionInfo, TimingBatch, describe_output
from onnxstudio.core.errors import InputError, StudioError
from onnxstudio.core.generation import (
    DecoderInputs,
    Generated,
    Sampling,
    decoder_inputs,
    token_text,
    with_rules,
)
from onnxstudio.core.generation_config import (
    DEFAULT_NEW_TOKENS,
    RuleChoices,
    end_tokens,
    pair_length_limit,
    start_tokens,
)
from onnxstudio.core.hf_processor import PictureProcessor, processor_beside, waveform_normalizer_beside
from onnxstudio.core.history import RunHistory, RunRecord, stats_to_dict
from onnxstudio.core.imaging import VIDEO_LAYOUTS, describe_recipe, guess_recipe, image_files
from onnxstudio.core.inputs import (
    ArrayFileSource,
    ImageSource,
    TextSource,
    build_feeds,
    defaults_hint,
    describe_source,
    model_dims,
    texts_of,
)
from onnxstudio.core.inspection import ModelReport, inspect_model
from onnxstudio.core.loading import LoadedModel
from onnxstudio.core.markdown_report import ReportParts, build_markdown
from onnxstudio.core.providers import SessionConfig, display_name, spec_for
from onnxstudio.core.reference import compare_outputs, reference_folders, reference_sources
from onnxstudio.core.reproduce import bench_args, command, generate_args, shell_line
from onnxstudio.core.seq2seq import PairRequest, Seq2Seq, find_pair
from onnxstudio.core.sweep import SweepPoint, SweepRequest, sweepable_dims
from onnxstudio.core.text import decode, tokenizer_beside
from onnxstudio.core.values import as_text
from onnxstudio.ui.benchmark_settings import BenchmarkSettings
from onnxstudio.ui.compare_panel import OTHER_MODEL, UNOPTIMIZED, ComparePanel
from onnxstudio.ui.history_panel import HistoryPanel
from onnxstudio.ui.inputs_panel import InputsPanel
from onnxstudio.ui.model_panel import ModelPanel
from onnxstudio.ui.node_list import NodeListPanel
from onnxstudio.ui.outputs_panel import OutputsPanel
from onnxstudio.ui.profile_panel import ProfilePanel
from onnxstudio.ui.providers_panel import ProvidersPanel
from onnxstudio.ui.run_controller import RunController
from onnxstudio.ui.workers import Failure

_log = logging.getLogger("onnxstudio")


def _graph_panel_class() -> Any:
    """The graph view if its module imports; the node list stands in otherwise."""
    try:
        from onnxstudio.ui.graph_panel import GraphPanel
    except Exception as exc:
        _log.warning("graph view unavailable: %s", exc)
        return None
    return GraphPanel


class Workspace(QWidget):
    message = Signal(str, str)  # level ("info" / "warning" / "error"), text
    graph_shown = Signal()  # the model's graph is on screen, or there is no graph view to wait for
    busy_changed = Signal(bool)
    optimized_saved = Signal(str)  # the path of an optimized model just written (for the recent files)

    def __init__(self, actions: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: ModelReport | None = None
        self.loaded: LoadedModel | None = None
        self.reference: tuple[Path, dict[str, str]] | None = None  # test data beside the model, feeding the inputs
        self.session: SessionInfo | None = None
        self.decoder: DecoderInputs | None = None  # the open model's, where it is a text decoder with its cache
        self.pair: Seq2Seq | None = None  # the encoder-decoder the open model is half of
        self.tokenizer: Path | None = None  # the open model's, shipped beside it: a text feeds its token ids
        self.tokenizer_problem = ""  # why the tokenizer shipped beside it cannot be read
        self.processor: PictureProcessor | None = None  # the open model's preprocessor_config.json, where it has one
        self.normalizer: Path | None = None  # the one that says a speech model's waveform is normalized
        self._tokens = 20  # the tokens Generate text was last asked for
        self._generated = 0  # the tokens of the generation the outputs show (0: they show a run)
        self._streamed: list[list[int]] = []  # a generation under way: its new tokens so far, [step][row]
        self._sampling, self._stop_at_end = Sampling(), True  # how the last generation chose and ended
        self._choices = RuleChoices()  # what it made of the model's rules on the scores
        self._job_model = ""  # the model of the job in flight (a new model may open meanwhile)
        self._config = SessionConfig()
        self.history = RunHistory()
        self.controller = RunController(self)
        self.providers = ProvidersPanel()
        self.bench_settings = BenchmarkSettings()
        self.inputs = InputsPanel()
        self.model_panel = ModelPanel()
        self.node_list = NodeListPanel()
        self.node_list.watch_requested.connect(self.watch_node)
        self.outputs = OutputsPanel()
        self.outputs.unwatch_requested.connect(self.unwatch)
        self._inside: dict[str, str] = {}  # tensors inside the model each run shows too -> the node making each
        self.history_panel = HistoryPanel(self.history)
        self.profile_panel = ProfilePanel()
        self.compare_panel = ComparePanel()
        # pyqtgraph (charts; also used by the graph view) costs ~0.5 s to import: these are built right after
        # the first model is on screen, or on first use, so that start-up shows the model sooner.
        self._charts: Any = None
        self._sweep_view: Any = None
        self._sweep: SweepRequest | None = None  # the sweep in flight
        self.graph: Any = None
        self._graph_pending: LoadedModel | None = None
        self._graph_tried = False
        self._closed = False
        self._trace_dir: str | None = None  # onnxruntime's trace of the last profile, for its export

        buttons = QHBoxLayout()
        for key in ("run", "benchmark", "stop"):
            b = QToolButton()
            b.setDefaultAction(actions[key])
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            b.setMinimumHeight(32)
            b.setSizePolicy(b.sizePolicy().horizontalPolicy().Expanding, b.sizePolicy().verticalPolicy())
            buttons.addWidget(b)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.addLayout(buttons)
        for title, widget in ((self.tr("Inputs"), self.inputs),
                              (self.tr("Execution provider"), self.providers)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(widget)
            ll.addWidget(box)
        ll.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(left)
        scroll.setMinimumWidth(360)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.model_panel, self.tr("Model"))
        self.graph_host = self._host(self.tr("Preparing the graph view…"))
        self.tabs.addTab(self.graph_host, self.tr("Graph"))
        self.tabs.addTab(self.node_list, self.tr("Nodes"))
        self.tabs.addTab(self.outputs, self.tr("Outputs"))
        self.charts_host = self._host(self.tr("Preparing the charts…"))
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.bench_settings)
        tl.addWidget(self.charts_host, 1)
        bench = QSplitter(Qt.Orientation.Vertical)
        bench.addWidget(top)
        self.bench_tabs = QTabWidget()
        self.bench_tabs.setDocumentMode(True)
        self.bench_tabs.addTab(self.history_panel, self.tr("History"))
        self.sweep_host = self._host(self.tr("Preparing the charts…"))
        self.bench_tabs.addTab(self.sweep_host, self.tr("Sweep"))
        bench.addWidget(self.bench_tabs)
        # the sweep's charts are built when first seen (or swept), not with the start-up's deferred widgets
        self.bench_tabs.currentChanged.connect(self._on_bench_tab)
        bench.setSizes([600, 220])
        self.bench_splitter = bench
        self.tabs.addTab(bench, self.tr("Benchmark"))
        self.tabs.addTab(self.profile_panel, self.tr("Profile"))
        self.tabs.addTab(self.compare_panel, self.tr("Compare"))

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([380, 1000])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.splitter)

        c = self.controller
        c.busy_changed.connect(self.busy_changed)
        c.phase_changed.connect(self._on_phase)
        c.session_ready.connect(self._on_session)
        c.run_done.connect(self._on_run_done)
        c.batch_ready.connect(self._on_batch)
        c.benchmark_done.connect(self._on_benchmark_done)
        c.profile_done.connect(self._on_profile_done)
        c.compare_done.connect(self._on_compare_done)
        c.optimized.connect(self._on_optimized)
        c.sweep_started.connect(self._on_sweep_started)
        c.sweep_point.connect(self._on_sweep_point)
        c.generated.connect(self._on_generated)
        c.generating.connect(self._on_generating)
        c.busy_changed.connect(self.profile_panel.set_busy)
        c.busy_changed.connect(self.compare_panel.set_busy)
        self.compare_panel.compare_requested.connect(self.compare)
        self.profile_panel.profile_requested.connect(self.profile)
        self.profile_panel.node_requested.connect(self._show_profiled_node)
        self.compare_panel.node_requested.connect(self._show_profiled_node)
        c.failed.connect(self._on_failed)
        self.history_panel.overlays_changed.connect(self._on_overlays)
        self.tabs.currentChanged.connect(lambda _i: self.build_deferred())
        self.history_panel.save_chart_requested.connect(self._save_chart)
        self.providers.config_changed.connect(self._on_config_changed)

    # -- model --------------------------------------------------------------------------------------------
    def set_model(self, loaded: LoadedModel, report: ModelReport, checks_pending: bool,
                  keep_inputs: bool = False) -> None:
        """Show a model just read; ``keep_inputs`` (the same model read again): the inputs' sources, files and
        dims stay as the user left them where its inputs are the same as before."""
        same_inputs = keep_inputs and self.report is not None and _input_signature(self.report) == \
            _input_signature(report)
        self.loaded, self.report = loaded, report
        try:  # an encoder-decoder's half (its other half beside it), or a text decoder: Run → Generate text
            self.pair = find_pair(loaded.path, report=report)
        except StudioError:
            self.pair = None  # a decoder whose encoder is missing: Generate text says so
        try:
            self.decoder = decoder_inputs(report.inputs, report.outputs) if self.pair is None else None
        except StudioError:
            self.decoder = None
        self.session = None
        self.providers.show_session(None)
        self.model_panel.set_report(report, checks_pending)
        self.node_list.set_nodes(loaded.nodes)
        self.profile_panel.clear()
        self.profile_panel.compute = report.compute
        self.compare_panel.clear()
        self.compare_panel.set_providers([p.name for p in self.providers.providers if p.available])
        self.bench_settings.set_dims(sweepable_dims(report.inputs))
        self._graph_pending = loaded
        if self.graph is not None:
            self._show_graph()
        else:
            QTimer.singleShot(30, self.build_deferred)  # after the first paint with the model
        sets = reference_folders(loaded.path)
        self.reference = self._reference_inputs(sets, report)
        self.tokenizer, self.tokenizer_problem = tokenizer_beside(loaded.path)
        pictures = any(guess_recipe(spec) is not None and spec.dtype.startswith("float") for spec in report.inputs)
        self.processor = processor_beside(loaded.path) if pictures else None  # a Hugging Face model's picture steps
        self.normalizer = waveform_normalizer_beside(loaded.path) if not pictures else None  # wav2vec2's
        if not same_inputs:
            self.inputs.set_inputs(report.inputs, report.metadata, self.reference[1] if self.reference else None,
                                   self._own_dims(report),
                                   str(self.tokenizer) if self.tokenizer else None, self.processor,
                                   self.normalizer is not None, answer_outputs(report.outputs) is not None)
        self.outputs.clear()
        self._generated = 0
        self.unwatch()
        labels = out.labels_from_metadata(report.metadata)
        found = None if labels else out.labels_beside(loaded.path, out.declared_classes(report.outputs))
        self.outputs.set_labels(*(found or (labels, None)))  # a dictionary shipped beside the model, named
        self.model_panel.set_beside(self._beside_rows(loaded.path, len(sets), found))

    def _beside_rows(self, path: Path, sets: int, labels: tuple[list[str], Path] | None) -> list[tuple[str, str]]:
        """The model panel's lines on the files found beside the model that the app uses (``sets``: how many
        test_data_set_N folders)."""
        rows = []
        if self.reference is not None:
            name = self.reference[0].name + (self.tr(" (the first of {0} sets)").format(sets) if sets > 1 else "")
            rows.append((self.tr("Reference data"), self.tr(
                "{0}: its inputs feed the model; a run on them is checked against its outputs").format(name)))
        if labels is not None:
            where = labels[1].parent.resolve()
            rows.append((self.tr("Labels"), self.tr("{0}: {1} class names").format(
                labels[1].name if where == path.parent.resolve() else str(labels[1]), f"{len(labels[0]):,}")))
        if self.tokenizer is not None:
            where = self.tokenizer.parent.resolve()
            rows.append((self.tr("Tokenizer"), self.tr("{0}: a text feeds the token ids (the Text source)").format(
                self.tokenizer.name if where == path.parent.resolve() else str(self.tokenizer))))
        elif self.tokenizer_problem:  # shipped but unreadable: the ids start on random data, and why is said
            rows.append((self.tr("Tokenizer"), self.tokenizer_problem))
        if self.normalizer is not None:
            where = self.normalizer.parent.resolve()
            rows.append((self.tr("Audio"), self.tr("{0}: a .wav's samples are fed at zero mean and unit variance, as "
                                                   "it says").format(self.normalizer.name if where ==
                                                                     path.parent.resolve() else str(self.normalizer))))
        if self.processor is not None:
            where = self.processor.path.parent.resolve()
            rows.append((self.tr("Pictures"), self.tr("{0}: pictures are prepared as it says ({1})").format(
                self.processor.path.name if where == path.parent.resolve() else str(self.processor.path),
                self.processor.describe())))
        if self.pair is not None:
            rows.append((self.tr("Generation"), self.tr(
                "an encoder-decoder, {0} → {1}: Run → Generate text (Ctrl+G) runs the encoder on the inputs, then "
                "the decoder from its start token").format(self.pair.encoder.name, self.pair.decoder.name)))
        elif self.decoder is not None and self.decoder.cache:
            rows.append((self.tr("Generation"), self.tr(
                "a text decoder with a key/value cache of {0} tensors: Run → Generate text (Ctrl+G)").format(
                len(self.decoder.cache))))
        elif self.decoder is not None:
            rows.append((self.tr("Generation"), self.tr(
                "scores for each token of a sequence, with no key/value cache: if it is a causal decoder, Run → "
                "Generate text (Ctrl+G) reads the whole sequence for each new token")))
        return rows

    # -- deferred widgets ---------------------------------------------------------------------------------
    @staticmethod
    def _host(text: str) -> QWidget:
        host = QWidget()
        lay = QVBoxLayout(host)
        lay.setContentsMargins(0, 0, 0, 0)
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setEnabled(False)
        lay.addWidget(label)
        return host

    @staticmethod
    def _fill(host: QWidget, widget: QWidget) -> None:
        lay = host.layout()
        while lay.count():
            item = lay.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        lay.addWidget(widget)

    @property
    def charts(self) -> Any:
        """The TimingCharts, built on first use."""
        if self._charts is None:
            from onnxstudio.ui.timing_charts import TimingCharts

            self._charts = TimingCharts()
            self._fill(self.charts_host, self._charts)
        return self._charts

    @property
    def sweep_view(self) -> Any:
        """The SweepView (pyqtgraph), built on first use."""
        if self._sweep_view is None:
            from onnxstudio.ui.sweep_view import SweepView

            self._sweep_view = SweepView()
            self._fill(self.sweep_host, self._sweep_view)
        return self._sweep_view

    def _on_bench_tab(self, _index: int) -> None:
        if self.bench_tabs.currentWidget() is self.sweep_host:
            self.sweep_view  # noqa: B018 (builds it)

    def build_deferred(self) -> None:
        if self._closed:
            return
        self.charts  # noqa: B018 (builds it)
        if not self._graph_tried:
            self._graph_tried = True
            graph_cls = _graph_panel_class()
            try:
                self.graph = graph_cls() if graph_cls is not None else None
            except Exception as exc:
                _log.warning("graph view failed to start: %s", exc)
                self.graph = None
            if self.graph is None:
                label = QLabel(self.tr("The graph view is not available; the Nodes tab lists every node."))
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                self._fill(self.graph_host, label)
                self.graph_shown.emit()
            else:
                self.graph.node_selected.connect(self._on_graph_node)
                self.graph.node_note = self._node_note
                self.graph.can_watch = True
                self.graph.watch_requested.connect(self.watch_node)
                self.graph.colouring_changed.connect(self._colour_graph)
                self.graph.shown.connect(self._sync_graph)
                self.graph.shown.connect(self.graph_shown)
                self._fill(self.graph_host, self.graph)
        if self.graph is not None and self._graph_pending is not None:
            self._show_graph()

    def _show_graph(self) -> None:
        loaded, self._graph_pending = self._graph_pending, None
        try:
            self.graph.set_model(loaded)
        except Exception as exc:
            self.graph_shown.emit()
            _log.exception("graph view failed")
            self.message.emit("warning", self.tr("The graph view cannot show this model: {0}").format(exc))

    def update_checks(self, report: ModelReport) -> None:
        self.model_panel.set_report(report, False)
        if report.compute is not self.profile_panel.compute:
            self.profile_panel.set_compute(report.compute)
        self._sync_graph()

    def _sync_graph(self) -> None:
        """Give the shown graph what was learnt about the model since it was laid out: the shapes that inference
        found (edge labels, properties) and the colourings that have data (MACs, the last profile)."""
        if self.graph is None or self.graph.main_graph is None or self.report is None:
            return
        g = self.graph.main_graph
        if self.report.inferred and g.add_inferred(self.report.inferred):
            self.graph.view.update()
        compute = self.report.compute
        self.graph.set_colourings(
            (["macs"] if compute is not None and compute.macs else [])
            + (["time", "provider"] if self.profile_panel.profile is not None else [])
            + (["diff"] if self._layers() is not None else []))
        self._colour_graph()

    def _node_note(self, node: int) -> str:
        """HTML for a main-graph node's properties: its MACs, and its share of the last profile."""
        note = ""
        compute = self.report.compute if self.report is not None else None
        if compute is not None and compute.total:
            macs = compute.macs.get(node)
            if macs:
                note = "<p><b>" + self.tr("Compute") + "</b> " + self.tr("{0} MACs a run, {1:.1%} of the model's").format(
                    format_count(macs), macs / compute.total) + "</p>"
            elif node in compute.unknown:
                note = "<p><b>" + self.tr("Compute") + "</b> " + self.tr(
                    "not counted: shape inference could not tell its shapes") + "</p>"
        layers = self._layers()
        if layers is not None:
            mine = [x for x in layers.layers if x.node == node]
            if mine:
                worst = max(mine, key=lambda x: x.diff.max_abs or 0.0)
                first = layers.first is not None and layers.first.node == node
                note += "<p><b>" + self.tr("Difference") + "</b> " + ("✓ " if worst.diff.ok else "✗ ") + \
                    html.escape(f"{worst.diff.name}: {worst.diff.detail}") + \
                    (" <b>" + self.tr("(where the difference starts)") + "</b>" if first else "") + "</p>"
        return note + self._values_note(node) + self.profile_panel.node_note(node)

    def _values_note(self, node: int) -> str:
        """The last run's values of a node's outputs, where the run returned them (the model's own outputs, or
        tensors shown from inside it)."""
        result = self.outputs.result
        nodes = self.loaded.nodes if self.loaded is not None else []
        if result is None or not 0 <= node < len(nodes) or self._job_model != self.model_path:
            return ""
        by_name = {o.name: o.value for o in result.outputs if isinstance(o.value, np.ndarray)}
        rows = [f"{html.escape(as_text(t))}: {html.escape(out.output_stats(by_name[as_text(t)]).summary())}"
                for t in nodes[node].output if as_text(t) in by_name]
        if not rows:
            return ""
        return "<p><b>" + self.tr("Last run") + "</b> " + "<br>".join(rows) + "</p>"

    def _layers(self) -> Any:
        """The last comparison's layer-by-layer report when it was of this model, else None."""
        result = self.compare_panel.result
        if result is None or result.layers is None or result.model_a != self.model_path:
            return None
        return result.layers

    @property
    def model_path(self) -> str:
        return str(self.loaded.path) if self.loaded is not None else ""

    def shutdown(self) -> None:
        self._closed = True
        if self._trace_dir is not None:
            shutil.rmtree(self._trace_dir, ignore_errors=True)
        self.controller.shutdown()
        self.node_list.shutdown()
        if self.graph is not None and hasattr(self.graph, "shutdown"):
            try:
                self.graph.shutdown()
            except Exception as exc:
                _log.warning("graph view shutdown: %s", exc)

    # -- actions ------------------------------------------------------------------------------------------
    def _prepare(self) -> tuple[SessionConfig, dict[str, Any]] | None:
        if self.loaded is None:
            return None
        reason = self.providers.check_available()
        if reason:
            self.message.emit("error", self.tr("Cannot use this provider: {0}").format(reason))
            return None
        try:
            config = self.providers.config()
            feeds = self.inputs.feeds()
        except StudioError as exc:
            self.message.emit("error", exc.message)
            return None
        return config, feeds

    def run_once(self) -> bool:
        prepared = self._prepare()
        if prepared is None:
            return False
        config, feeds = prepared
        self._config, self._job_model = config, self.model_path
        if self.watched:  # tensors inside the model shown too: a session of their own
            return self.controller.run_tensors(self.model_path, config, feeds, tuple(self.watched))
        if any(e.each_files for e in self.inputs.editors) and self.report is not None:
            try:  # a folder for a model that takes one picture a run: each in turn, stacked
                each = EachRequest.find(self.report.inputs, {e.spec.name: e.source() for e in self.inputs.editors},
                                        self.inputs.dims())
            except StudioError as exc:
                self.message.emit("error", exc.message)
                return False
            if each is not None:
                return self.controller.run_each(self.model_path, config, each)
        return self.controller.run_once(self.model_path, config, feeds)

    def save_optimized(self, target: str) -> bool:
        """Write onnxruntime's optimized graph (the session options on the left: level, provider) to ``target``."""
        if not self.model_path:
            return False
        try:
            config = self.providers.config()
        except StudioError as exc:
            self.message.emit("error", exc.message)
            return False
        return self.controller.save_optimized(self.model_path, config, target)

    def decoder_path(self) -> str | None:
        """The decoder that Generate text runs (an encoder-decoder's, where the model open is one's half)."""
        if self.pair is not None:
            return str(self.pair.decoder)
        return self.model_path if self.decoder is not None else None

    def generate(self, tokens: int, sampling: Sampling | None = None, stop_at_end: bool = True,
                 choices: RuleChoices | None = None) -> bool:
        """Generation of ``tokens`` tokens with a decoder's cache (:mod:`onnxstudio.core.generation`): the inputs'
        sources and dims on the left, the cache empty to begin; the scores shaped by the rules of the model's
        generation config as ``choices`` say, each token then chosen as ``sampling`` says."""
        decoder = self.decoder_path() or self.model_path
        if self.loaded is None or self.report is None or not decoder:
            return False
        self._choices = choices or RuleChoices()
        try:
            self._sampling, notes = with_rules(sampling or Sampling(), self._choices.resolve(decoder),
                                               self._choices.beams is not None)
        except StudioError as exc:
            self.message.emit("error", exc.message)
            return False
        for note in notes:
            self.message.emit("info", note)
        self._stop_at_end = stop_at_end
        if self.pair is not None:
            return self._generate_pair(self.pair, tokens)
        try:
            decoder = decoder_inputs(self.report.inputs, self.report.outputs)
            config = self.providers.config()
            sources = {e.spec.name: e.source() for e in self.inputs.editors}
            dims = {**self.inputs.dims(), **dict.fromkeys(decoder.past_dims, 0)}
            feeds = build_feeds(self.report.inputs, sources, dims)
        except StudioError as exc:
            self.message.emit("error", exc.message)
            return False
        self._config, self._job_model = config, self.model_path
        self._tokens, self._streamed = tokens or DEFAULT_NEW_TOKENS, []
        stop = end_tokens(self.model_path)[0] if stop_at_end else []  # the id its generation_config.json names
        return self.controller.generate(self.model_path, config, feeds, decoder, self._tokens, stop=tuple(stop),
                                        sampling=self._sampling)

    def _own_dims(self, report: ModelReport) -> dict[str, int]:
        """The dims the model's own pipeline fixes: a text recogniser's line height, an Ultralytics export's
        imgsz, a Hugging Face model's picture size (its preprocessor_config.json's), as the command line sets them."""
        return model_dims(report.inputs, report.metadata, report.outputs, report.producer_name,
                          self.processor.size if self.processor is not None else None)

    def can_generate(self) -> bool:
        return self.decoder is not None or self.pair is not None

    def _generate_pair(self, pair: Seq2Seq, tokens: int) -> bool:
        """An encoder-decoder: the encoder runs on the inputs on the left (its own defaults where the decoder is
        open), then the decoder from the start token its config names."""
        try:
            config = self.providers.config()
            if pair.encoder == Path(self.model_path):
                feeds = self.inputs.feeds()
            else:
                feeds = build_feeds(inspect_model(pair.encoder, shapes=False).inputs, {}, {})
                self.message.emit("info", self.tr("{0} runs on its default inputs (random data): open it to give it "
                                                  "yours").format(pair.encoder.name))
        except StudioError as exc:
            self.message.emit("error", exc.message)
            return False
        start, stop, _source = start_tokens(pair.decoder)
        if not tokens:  # the model's: as many as its pipeline would generate after the start tokens
            tokens = pair_length_limit(pair.decoder, start, self._sampling.rules)[0]
        self._config, self._job_model = config, self.model_path
        self._tokens, self._streamed = tokens, []
        return self.controller.generate(str(pair.encoder), config, feeds, None, tokens,
                                        PairRequest(pair, start, stop if self._stop_at_end else []),
                                        sampling=self._sampling)

    def _row_text(self, row: list[int]) -> str:
        """A row of generated tokens as text: through the tokenizer beside the model, else its labels."""
        return (decode(self.tokenizer, row, skip_special=True) if self.tokenizer else None) or (
            token_text(row, self.outputs.labels) if self.outputs.labels else "")

    def _on_generating(self, tokens: list[list[int]]) -> None:
        """A generation under way: its first row's text so far above the outputs (which it replaces)."""
        if not self._streamed:
            self.outputs.clear()
            self.tabs.setCurrentWidget(self.outputs)
        self._streamed.extend(tokens)
        rules = self._sampling.rules
        if rules is not None and rules.num_beams > 1:  # beams: steps, the best beam's tokens only at the end
            self.outputs.header.setText(self.tr("Generating by beam search ({0} beams): {1} steps so far").format(
                rules.num_beams, len(self._streamed)))
            return
        row = [step[0] for step in self._streamed if step]
        text = self._row_text(row)
        self.outputs.header.setText(self.tr("Generating: {0} tokens so far").format(len(row)) +
                                    (f" {text!r}" if text else ""))

    def _on_generated(self, result: Generated) -> None:
        """The new tokens as an output (the Outputs tab's values, named by the tokenizer's tokens where one ships
        beside the model) and their times above it and in the status line."""
        session = self.session or SessionInfo((), (), (), 0.0, False)
        value = np.asarray(result.tokens, dtype=np.int64)
        self.outputs.set_result(RunResult((describe_output("generated", value),), result.prefill_ms, session, 0),
                                None, [])
        texts = [self._row_text(row) for row in result.tokens]
        text = ", ".join(repr(t) for t in texts if t)  # a batch: each row's
        speed = self.tr("{0} new tokens: the prompt's {1} in {2:.2f} ms").format(
            len(result.tokens[0]), len(result.prompt[0]), result.prefill_ms)
        if result.encoder_ms is not None:
            speed = self.tr("{0} new tokens: the encoder in {1:.2f} ms, the first token in {2:.2f} ms").format(
                len(result.tokens[0]), result.encoder_ms, result.prefill_ms)
        if result.token_ms:
            speed += self.tr(", then {0:.2f} ms a token ({1:.1f} tokens/s)").format(
                float(np.median(result.token_ms)), result.tokens_per_s)
        if not result.cache:
            speed += self.tr(" (no key/value cache: each run reads the whole sequence so far)")
        chosen = [self._sampling.describe()] * (not self._sampling.greedy)
        rules = self._sampling.rules
        if rules is not None and rules.shown:
            chosen.append(rules.summary() + (f" ({rules.source})" if rules.source else ""))
        if chosen:
            speed += self.tr("; {0}").format("; ".join(chosen))
        self.outputs.set_check(f"{speed}" + (f": {text}" if text else ""), True)
        self._generated = self._tokens  # the outputs shown are generated ones (Copy command line: generate)
        self.tabs.setCurrentWidget(self.outputs)
        self.message.emit("info", self.tr("Generated {0}.").format(speed))

    def _on_optimized(self, result: Any) -> None:
        self.session = None  # the engine made way for the optimizing session; the next run creates it again
        self.providers.show_session(None)
        portable = "" if result.level != "all" else " " + self.tr(
            "(level all keeps onnxruntime's ops for this CPU; choose extended for a portable model)")
        self.message.emit("info", self.tr("Saved {0}: {1}. It is in File → Open Recent.").format(
            Path(result.path).name, result.summary()) + portable)
        self.optimized_saved.emit(result.path)

    @property
    def watched(self) -> list[str]:
        """The tensors inside the model that each run shows too (see :meth:`watch_node`), in the order asked."""
        return list(self._inside)

    def watch_node(self, node: int) -> None:
        """Show a main-graph node's outputs with each run (from now on, until stopped), and run the model."""
        nodes = self.loaded.nodes if self.loaded is not None else []
        if not 0 <= node < len(nodes):
            return
        proto = nodes[node]
        declared = {o.name for o in self.report.outputs} if self.report is not None else set()
        made = [as_text(t) for t in proto.output if t and as_text(t) not in declared]
        if not made:
            self.message.emit("info", self.tr("This node's outputs are the model's own: Run shows them."))
        what = f"#{node} {as_text(proto.op_type)}" + (f" {as_text(proto.name)}" if proto.name else "")
        self._inside.update({t: what for t in made if t not in self._inside})
        self.outputs.set_inside(self._inside)
        if not self.controller.busy:
            self.run_once()

    def unwatch(self) -> None:
        """Runs show the model's own outputs only again (the next run)."""
        self._inside = {}
        self.outputs.set_inside({})

    def benchmark(self) -> bool:
        prepared = self._prepare()
        if prepared is None:
            return False
        config, feeds = prepared
        try:
            sweep = self.bench_settings.sweep()
            sources = {e.spec.name: e.source() for e in self.inputs.editors} if sweep else {}
        except StudioError as exc:
            self.message.emit("error", exc.message)
            return False
        self._config, self._job_model = config, self.model_path
        self._spec = self.bench_settings.spec()
        if sweep is not None and self.report is not None:
            dim, values = sweep
            request = SweepRequest(dim, values, tuple(self.report.inputs), sources,
                                   {k: v for k, v in self.inputs.dims().items() if k != dim})
            try:
                request.check()
            except StudioError as exc:
                self.message.emit("error", exc.message)
                return False
            self._sweep = request
            self.sweep_view.begin(dim, request.batch)
            self.bench_tabs.setCurrentWidget(self.sweep_host)
            self.tabs.setCurrentWidget(self.bench_splitter)
            return self.controller.sweep(self.model_path, config, self._spec, request)
        provider = config.providers[0].replace("ExecutionProvider", "")
        self.charts.begin(f"#{self.history.next_id()} {Path(self.model_path).name} · {provider}")
        if self.session is not None:  # reset when the model or the configuration changes
            self.charts.set_session_ms(self.session.create_ms)  # the session is reused
        self.tabs.setCurrentWidget(self.bench_splitter)
        return self.controller.benchmark(self.model_path, config, feeds, self._spec)

    def profile(self) -> bool:
        prepared = self._prepare()
        if prepared is None:
            return False
        config, feeds = prepared
        self._config, self._job_model = config, self.model_path
        self.tabs.setCurrentWidget(self.profile_panel)
        if self._trace_dir is None:
            self._trace_dir = tempfile.mkdtemp(prefix="onnxstudio-trace-")
        trace = str(Path(self._trace_dir) / "onnxruntime-trace.json")
        with contextlib.suppress(OSError):
            os.remove(trace)  # a trace is the last profile's or none
        self.profile_panel.trace_path = trace
        return self.controller.profile(self.model_path, config, feeds, self.profile_panel.runs.value(), trace)

    def compare(self) -> bool:
        """The current inputs on this session (A) and on the Compare tab's choice (B), outputs compared."""
        prepared = self._prepare()
        if prepared is None:
            return False
        config, feeds = prepared
        choice = self.compare_panel.choice()
        rtol, atol = self.compare_panel.tolerances()
        model_b, feeds_b = self.model_path, None
        if choice == UNOPTIMIZED:
            config_b = other_optimization(config)
            if config.graph_optimization == "disabled":
                self.message.emit("info", self.tr("This session is unoptimized already (Optimization: disabled): "
                                                  "B is the same model with every optimization."))
        elif choice == OTHER_MODEL:
            model_b = self.compare_panel.model_path.text().strip()
            if not model_b:
                self.message.emit("error", self.tr("Choose the model to compare with."))
                return False
            cast: list[str] = []
            try:  # by name; an fp16 model's against its fp32 original: cast, and said
                feeds_b = feeds_for_b(feeds, Path(self.model_path).name, Path(model_b).name,
                                      inspect_model(model_b, shapes=False).inputs, cast)
            except StudioError as exc:
                self.message.emit("error", exc.message)
                return False
            config_b = config
            if cast:
                self.message.emit("info", "; ".join(cast))
        else:
            config_b = replace(config, providers=(choice,), provider_options={})
        spec = CompareSpec(model_b, config_b, rtol, atol, feeds_b, layers=self.compare_panel.layers_box.isChecked())
        self._config, self._job_model = config, self.model_path
        self.tabs.setCurrentWidget(self.compare_panel)
        return self.controller.compare(self.model_path, config, feeds, spec)

    def command_line(self, kind: str | None = None) -> tuple[str, list[str]]:
        """The ``onnxstudio`` command that repeats the open tab's work (or ``kind``'s: run, bench, profile or
        compare) with the inputs, preprocessing and session options as set; and what it cannot repeat exactly.
        Raises StudioError where an input or option is not valid."""
        if self.loaded is None or self.report is None:
            raise InputError("open a model first")
        config = self.providers.config()
        specs = self.report.inputs
        sources = {e.spec.name: e.source() for e in self.inputs.editors}
        own = self._own_dims(self.report)
        dims = {k: v for k, v in self.inputs.dims().items() if own.get(k) != v}
        if kind is None:
            tab = self.tabs.currentWidget()
            kind = {id(self.bench_splitter): "bench", id(self.profile_panel): "profile",
                    id(self.compare_panel): "compare"}.get(id(tab), "run")
            if kind == "run" and tab is self.outputs and self._generated:  # the outputs of Generate text
                kind = "generate"
        extra: list[str] = []
        if kind == "generate" and self.decoder is not None:  # the cache starts empty whatever its dims say
            dims = {k: v for k, v in dims.items() if k not in self.decoder.past_dims}
        if kind == "generate":
            extra = generate_args(self._generated or DEFAULT_NEW_TOKENS, self._sampling, self._stop_at_end,
                                  self._choices)
        if kind == "bench":
            extra = bench_args(self.bench_settings.spec())
            sweep = self.bench_settings.sweep()
            if sweep is not None:
                extra += ["--sweep", f"{sweep[0]}={','.join(map(str, sweep[1]))}"]
        elif kind == "run":
            extra = [a for t in self.watched for a in ("--output", t)]
        elif kind == "profile":
            extra = ["--runs", str(self.profile_panel.runs.value())] if self.profile_panel.runs.value() != 10 else []
        elif kind == "compare":
            choice = self.compare_panel.choice()
            if choice == UNOPTIMIZED:
                extra = ["--b-optimization", "disabled"]
            elif choice == OTHER_MODEL:
                extra = ["--against", self.compare_panel.model_path.text().strip()]
            else:
                extra = ["--b-provider", spec_for(choice).short]
            rtol, atol = self.compare_panel.tolerances()
            extra += (["--rtol", f"{rtol:g}"] if rtol != RTOL else []) + (["--atol", f"{atol:g}"] if atol != ATOL
                                                                          else [])
            extra += ["--layers"] if self.compare_panel.layers_box.isChecked() else []
        argv, notes = command(kind, self.model_path, config, specs, sources, dims, self.report.metadata, extra)
        return shell_line(argv), notes

    def report_markdown(self) -> str:
        """A reproducible report of this model's session: environment, model, options, inputs, what was
        measured, and the commands that repeat it."""
        if self.loaded is None or self.report is None:
            raise InputError("open a model first")
        try:
            config = self.providers.config()
        except StudioError:
            config = self._config
        inputs = []
        for editor in self.inputs.editors:
            try:
                source = editor.source()
            except StudioError as exc:
                inputs.append((editor.spec.name, exc.message))
                continue
            text = describe_source(source)
            if isinstance(source, ImageSource) and source.recipe is not None:
                text += f" ({describe_recipe(source.recipe)})"
            inputs.append((editor.spec.name, text))
        commands = []
        wanted = [("Run once", "run")]
        if any(r.kind != "run" for r in self.history):
            wanted.append(("Benchmark", "bench"))
        if self.profile_panel.profile is not None:
            wanted.append(("Profile", "profile"))
        if self.compare_panel.result is not None:
            wanted.append(("Compare", "compare"))
        for title, kind in wanted:
            try:
                line, notes = self.command_line(kind)
            except StudioError:
                continue
            commands.append((title + (f" ({'; '.join(notes)})" if notes else ""), line))
        parts = ReportParts(self.report, config, inputs, self.outputs.result,
                            [r for r in self.history if r.model == self.model_path], self.profile_panel.profile,
                            self.compare_panel.result, commands)
        return build_markdown(parts)

    def stop(self) -> None:
        self.controller.stop()

    # -- results ------------------------------------------------------------------------------------------
    def _on_config_changed(self) -> None:
        self.session = None

    def _on_graph_node(self, name: str) -> None:
        """Show the node selected in the graph in the Nodes tab: its row when the main graph is shown, else
        (a subgraph's node) a filter on its name."""
        row = self.graph.main_graph_row(name) if self.graph is not None else None
        if row is not None:
            self.node_list.show_row(row)
        else:
            self.node_list.search.setText(name)

    def _on_phase(self, phase: str) -> None:
        texts = {"session": self.tr("Creating the session…"), "run": self.tr("Running…"),
                 "warmup": self.tr("Warming up…"), "measure": self.tr("Measuring…"),
                 "profile": self.tr("Profiling…"), "compare": self.tr("Comparing…")}
        self.message.emit("progress", texts.get(phase, phase))

    def _on_session(self, info: SessionInfo) -> None:
        self.session = info
        self.providers.show_session(info)
        self.charts.set_session_ms(info.create_ms)
        if info.fallback:
            self.message.emit("warning", self.tr("{0} was requested but the session runs on {1}.").format(
                ", ".join(info.fallback), ", ".join(info.providers)))

    def _options(self) -> dict[str, Any]:
        cfg = self._config.to_dict()
        cfg.pop("providers", None)
        return cfg

    def _input_image(self) -> np.ndarray | None:
        for editor in self.inputs.editors:
            if editor.kind.currentData() == "image" and isinstance(editor.value, np.ndarray):
                return editor.picture()
        return None

    def _answer_notes(self, result: RunResult) -> dict[str, str]:
        """A question-answering head's answer, for its start and end outputs' headers: the span of the context
        that their scores pick, read through the tokenizer; {} for other models or a text that is no pair."""
        heads = answer_outputs(self.report.outputs) if self.report is not None else None
        editor, source = next(((e, s) for e in self.inputs.editors if isinstance(s := e.source(), TextSource)
                               and s.is_pair), (None, None)) if heads is not None else (None, None)
        values = {o.name: o.value for o in result.outputs}
        if heads is None or editor is None or source is None or not source.tokenizer or not all(
                isinstance(values.get(h), np.ndarray) and values[h].size for h in heads):
            return {}
        try:
            found = read_answer(source.tokenizer, *source.texts, values[heads[0]], values[heads[1]],
                                row_limit(editor.spec, source.tokenizer))
        except StudioError:
            return {}
        if found is None:
            return {}
        if found.rows > 1:
            note = self.tr("Answer: «{0}» (window {1} of {2} of the context, tokens {3}-{4}, score {5:.4g})").format(
                found.text, found.row + 1, found.rows, found.start, found.end, found.score)
        else:
            note = self.tr("Answer: «{0}» (tokens {1}-{2} of the question and context, score {3:.4g})").format(
                found.text, found.start, found.end, found.score)
        return dict.fromkeys(heads, note)

    def _batch_names(self) -> tuple[list[str], bool]:
        """The file names of a folder of images fed as a batch, or the texts of a batch of texts (True): the rows
        of a classifier's output."""
        for editor in self.inputs.editors:
            text = editor.image_path.text().strip()
            path = Path(text)
            clip = editor.recipe.recipe().layout in VIDEO_LAYOUTS  # a video input's frames are one clip
            if editor.kind.currentData() == "image" and text and path.is_dir() and not clip:
                try:
                    return [f.name for f in image_files(path)], False
                except StudioError:
                    return [], False
            if editor.kind.currentData() == "text" and len(texts := texts_of(editor.text.text())) > 1:
                return texts, True
        return [], False

    @staticmethod
    def _reference_inputs(sets: list[Path], report: ModelReport) -> tuple[Path, dict[str, str]] | None:
        """The first of the test_data_set_N ``sets`` beside the model (ONNX Model Zoo layout) and its input file per
        input: they feed the inputs in place of the defaults; runs on exactly those files are compared with its
        outputs."""
        if not sets:
            return None
        try:
            sources = reference_sources(sets[0], report.inputs)
        except StudioError:
            return None
        return sets[0], {name: src.path for name, src in sources.items()}

    def _compared(self, result: RunResult) -> tuple[str, str]:
        """("", "") or (level, sentence) on how the outputs compare with the reference the inputs came from."""
        if self.reference is None:
            return "", ""
        folder, paths = self.reference
        for editor in self.inputs.editors:
            try:
                source = editor.source()
            except StudioError:
                return "", ""
            if not isinstance(source, ArrayFileSource) or source.path != paths.get(editor.spec.name):
                return "", ""  # the user changed an input: nothing to compare with
        compared = compare_outputs([(o.name, o.value) for o in result.outputs], folder)
        failed = [c for c in compared if not c.ok]
        if failed:
            return "warning", self.tr("{0} of {1} outputs differ from {2}: {3}: {4}").format(
                len(failed), len(compared), folder.name, failed[0].name, failed[0].detail)
        worst = max((c.max_abs_diff for c in compared if c.max_abs_diff is not None), default=0.0)
        return "info", self.tr("Outputs match {0} (max abs diff {1:.3g}).").format(folder.name, worst)

    def _on_run_done(self, result: RunResult) -> None:
        self._generated = 0
        if self.controller.current_kind == "tensors":  # the engine's session made way for that run's own
            self.session = None
            self.providers.show_session(None)
        names, texts = self._batch_names()
        self.outputs.notes = self._answer_notes(result)
        self.outputs.set_result(result, self._input_image(), names, texts)
        fed = next((e for e in self.inputs.editors if e.each_files), None)
        each = self.controller.current_kind == "each" and fed is not None
        if each:  # one picture's outputs, on that picture
            files = list(fed.each_files)
            self.outputs.set_pictures([Path(f).name for f in files], lambda i: fed.picture_of(files[i]))
        if self.graph is not None:
            self.graph.refresh_properties()  # the selected node's values in this run
        self.tabs.setCurrentWidget(self.outputs)
        self.history_panel.add(RunRecord(
            run_id=self.history.next_id(), kind="run", model=self._job_model, providers=result.session.providers,
            requested=result.session.requested, options=self._options(),
            stats={"count": 1.0, "mean": result.run_ms, "median": result.run_ms},
            session_create_ms=result.session.create_ms, first_run_ms=result.run_ms, iterations=1))
        ran = self.tr("Ran in {0:.2f} ms on {1}.").format(result.run_ms, ", ".join(result.session.providers))
        if each:
            pictures = len(fed.each_files)
            ran = self.tr("Ran {0} pictures one at a time in {1:.2f} ms ({2:.2f} ms each) on {3}.").format(
                pictures, result.run_ms, result.run_ms / pictures, ", ".join(result.session.providers))
        level, compared = self._compared(result)
        self.outputs.set_check(compared, level != "warning")  # stays with the outputs; the status line moves on
        self.message.emit(level or "info", f"{ran} {compared}" if compared else ran)

    def _on_batch(self, batch: TimingBatch) -> None:
        self.charts.add_batch(batch)

    def _add_benchmark(self, result: BenchmarkResult, kind: str, extra: dict[str, Any] | None = None) -> None:
        """A finished benchmark (or sweep point) in the run history, with the settings it ran with."""
        spec = self._spec
        options = self._options() | {"warmup": spec.warmup, "iterations": spec.iterations,
                                     "duration_s": spec.duration_s, "io_binding": spec.io_binding} | (extra or {})
        requested = self.session.requested if self.session is not None else ()
        self.history_panel.add(RunRecord(
            run_id=self.history.next_id(), kind=kind, model=self._job_model, providers=result.providers,
            requested=requested, options=options, stats=stats_to_dict(result.stats),
            session_create_ms=result.session_create_ms, first_run_ms=result.first_run_ms,
            iterations=result.iterations, cancelled=result.cancelled, latencies_ms=result.latencies_ms))

    def _on_benchmark_done(self, result: BenchmarkResult) -> None:
        self.charts.finish(result)
        self._add_benchmark(result, "benchmark")
        s = result.stats
        self.message.emit("info", self.tr("Benchmark {0}: {1:,} iterations, median {2:.4f} ms, {3:,.0f}/s.").format(
            self.tr("stopped") if result.cancelled else self.tr("done"), result.iterations, s.median,
            s.throughput_per_s))

    def _on_profile_done(self, prof: Any) -> None:
        self.session = None  # the engine made way for the profiling session; the next run creates it again
        self.providers.show_session(None)
        g = self.graph.main_graph if self.graph is not None else None
        if g is not None:
            self.profile_panel.set_node_names([str(n) for n in g.names[:g.n_ops]])
        else:
            self.profile_panel.set_node_names([str(n.name) for n in self.loaded.nodes] if self.loaded else [])
        self.profile_panel.set_profile(prof)
        if self.graph is not None:
            self._sync_graph()
            if self.graph.colour_mode() in ("op", "macs"):
                self.graph.set_colour_mode("time")  # the time on the graph, once there is one
        s = prof.run
        self.message.emit("info", self.tr("Profiled {0} runs: median {1:.3f} ms; the slowest op type: {2}.").format(
            prof.runs, s.median, prof.by_op()[0].op if prof.by_op() else "–"))

    def _on_sweep_started(self, value: int) -> None:
        provider = display_name(self._config.providers[0])
        dim = self._sweep.dim if self._sweep is not None else "?"
        self.charts.begin(f"#{self.history.next_id()} {Path(self.model_path).name} · {provider} · {dim}={value}")
        if self.session is not None:
            self.charts.set_session_ms(self.session.create_ms)

    def _on_sweep_point(self, point: SweepPoint) -> None:
        result = point.result
        self.charts.finish(result)
        self.sweep_view.add_point(point)
        swept = f"{point.dim}={point.value}"
        self._add_benchmark(result, f"sweep {swept}", {"sweep": swept})
        done = len(self.sweep_view.points)
        self.message.emit("info", self.tr("Sweep {0}: {1} of {2} values done; at {0} = {3}, median {4:.4f} ms.")
                          .format(point.dim, done, len(self._sweep.values) if self._sweep else done, point.value,
                                  result.stats.median))

    def _on_compare_done(self, result: CompareResult) -> None:
        self.compare_panel.set_result(result)
        if result.layers is not None and self.graph is not None:
            self._sync_graph()
            if result.layers.first is not None and self.graph.colour_mode() == "op":
                self.graph.set_colour_mode("diff")  # where the difference starts, on the graph
        failed = [d for d in result.diffs if not d.ok]
        if failed:
            self.message.emit("warning", self.tr("{0} of {1} outputs differ: {2}: {3}").format(
                len(failed), len(result.diffs), failed[0].name, failed[0].detail))
        else:
            self.message.emit("info", self.tr("Every output agrees within rtol {0:g}, atol {1:g}.").format(
                result.spec.rtol, result.spec.atol))

    def _colour_graph(self) -> None:
        """The graph's nodes coloured as its Colour box says: by op type, MACs, time per run, or provider."""
        if self.graph is None or self.graph.main_graph is None:
            return
        mode, prof = self.graph.colour_mode(), self.profile_panel.profile
        compute = self.report.compute if self.report is not None else None
        g = self.graph.main_graph
        names = g.names
        if mode == "macs" and compute is not None and compute.macs:
            top = max(compute.macs.values())
            scale, unit = next(((f, u) for f, u in ((1e9, "G"), (1e6, "M"), (1e3, "k")) if top >= f), (1.0, ""))
            self.graph.set_overlay("values", {str(names[i]): m / scale for i, m in compute.macs.items()
                                              if i < g.n_ops}, self.tr("{0}MACs per run").format(unit + " " if unit else ""))
        elif mode == "diff" and (layers := self._layers()) is not None:
            worst = {i: v for i, v in layers.worst_by_node().items() if i < g.n_ops}
            # equal nodes a decade below the smallest difference: on the scale, not off it
            floor = min((v for v in worst.values() if v > 0), default=1.0) / 10
            self.graph.set_overlay("values", {str(names[i]): math.log10(max(v, floor)) for i, v in worst.items()},
                                   self.tr("log10 max |A − B|"))
        elif mode == "time" and prof is not None:
            values = {str(names[i]): ms for i, ms in prof.node_ms().items() if i < g.n_ops}
            self.graph.set_overlay("values", values, self.tr("ms per run"))
        elif mode == "provider" and prof is not None:
            colours = self.profile_panel.provider_colours()
            self.graph.set_overlay(
                "colours", {str(names[i]): colours[p] for i, p in prof.node_providers().items() if i < g.n_ops},
                [(display_name(p), c) for p, c in colours.items()])
        else:
            self.graph.set_overlay(None)

    def _show_profiled_node(self, node: int) -> None:
        if self.graph is None or self.graph.main_graph is None:
            self.node_list.show_row(node)
            self.tabs.setCurrentWidget(self.node_list)
            return
        self.graph.go_back(0)
        g = self.graph.main_graph
        if node < g.n_ops:
            self.graph.select(str(g.names[node]))
        self.tabs.setCurrentWidget(self.graph_host)

    def _on_failed(self, fail: Failure) -> None:
        if fail.category == "cancelled" or (self.controller.stopping and "terminate" in fail.message):
            self.charts.abort(self.tr("Stopped."))
            self.message.emit("info", self.tr("Stopped."))
            return
        self.charts.abort(fail.message)
        if fail.category in ("crash", "timeout", "memory"):
            self.session = None
            self.providers.show_session(None)
        self.message.emit("error", fail.message + defaults_hint(fail.message, self.inputs.defaulted(), self.tr(
            "set them under Symbolic dimensions")))

    def _on_overlays(self, records: list[RunRecord]) -> None:
        self.history_panel.set_colours(self.charts.set_overlays(records))

    def _save_chart(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save chart"), "onnxstudio-benchmark.png",
                                              self.tr("PNG images (*.png)"))
        if path:
            self.charts.save_png(path if path.lower().endswith(".png") else path + ".png")


def _input_signature(report: ModelReport) -> tuple:
    """What the inputs panel is built from: each input's name, kind, type and shape, and the model's metadata."""
    return (tuple((s.name, s.type, s.dtype, s.shape) for s in report.inputs),
            tuple(sorted(report.metadata.items())))
