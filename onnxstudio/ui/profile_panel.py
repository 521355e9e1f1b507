"""The Profile tab: where a run's time goes, per op type and per kernel, and on which provider each ran.

A thin view of :class:`onnxstudio.core.profiling.Profile`: a summary line, the op types' table, the kernels'
table (sortable, filtered by name or op) and export as JSON/CSV; the Graph tab colours nodes by its time or provider.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
from collections import Counter
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from onnxstudio.core.compute import ComputeCost, format_count
from onnxstudio.core.profiling import ADDED, FUSED, NESTED, Profile
from onnxstudio.core.providers import display_name
from onnxstudio.ui.icons import icon
from onnxstudio.ui.rows_table import RowsModel, ShareBar, rows_view

# distinct, readable on light and dark: one per provider, in the order they appear
PROVIDER_COLOURS = ("#3b6fd8", "#e07b00", "#2e9e5b", "#b8448f", "#7a5cd6", "#8c6d1f", "#d0453b", "#3a9bb0")


def ms_text(v: float) -> str:
    if not math.isfinite(v):
        return ""
    return f"{v * 1000:.1f} µs" if v < 1 else f"{v:.3f} ms" if v < 100 else f"{v:.1f} ms"


class ProfilePanel(QWidget):
    """``profile_requested``: the Profile button (the workspace runs it); ``node_requested``: a kernel's model
    node (its index in the main graph) to show in the graph. The Graph tab colours nodes by its time or provider."""

    profile_requested = Signal()
    node_requested = Signal(int)

    OP_COLUMNS = (QT_TRANSLATE_NOOP("ProfilePanel", "Op type"), QT_TRANSLATE_NOOP("ProfilePanel", "Provider"),
                  QT_TRANSLATE_NOOP("ProfilePanel", "Kernels"), QT_TRANSLATE_NOOP("ProfilePanel", "Per run"),
                  QT_TRANSLATE_NOOP("ProfilePanel", "Share"), QT_TRANSLATE_NOOP("ProfilePanel", "MACs/s"))
    KERNEL_COLUMNS = (QT_TRANSLATE_NOOP("ProfilePanel", "Per run"), QT_TRANSLATE_NOOP("ProfilePanel", "Share"),
                      QT_TRANSLATE_NOOP("ProfilePanel", "Op"), QT_TRANSLATE_NOOP("ProfilePanel", "Provider"),
                      QT_TRANSLATE_NOOP("ProfilePanel", "Kernel"), QT_TRANSLATE_NOOP("ProfilePanel", "Model node"),
                      QT_TRANSLATE_NOOP("ProfilePanel", "Input shapes"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile: Profile | None = None
        self.compute: ComputeCost | None = None  # the model's MACs (inspection's), for the MACs/s achieved
        self.trace_path = ""  # onnxruntime's trace of the last profile (set by the workspace), for export
        self._node_names: list[str] = []
        self.runs = QSpinBox()
        self.runs.setRange(1, 10_000)
        self.runs.setValue(10)
        self.runs.setToolTip(self.tr("Runs profiled, after one run that warms the session up"))
        self.button = QPushButton(icon("profile"), self.tr("Profile"))
        self.button.setToolTip(self.tr("Run the model with onnxruntime's profiler: time per node, op type and "
                                       "provider"))
        self.button.clicked.connect(self.profile_requested)
        self.save = QPushButton(icon("export"), self.tr("Export…"))
        self.save.setToolTip(self.tr("The profile as JSON (every kernel) or CSV (the kernels' table)"))
        self.save.setEnabled(False)
        self.save.clicked.connect(self._export)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Runs")))
        top.addWidget(self.runs)
        top.addWidget(self.button)
        top.addStretch(1)
        top.addWidget(self.save)

        self.summary = QLabel(self.tr("Profile the model to see where each run's time goes: per op type, per "
                                      "node, and on which execution provider each node ran."))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        self.ops_model = RowsModel(self.OP_COLUMNS, "ProfilePanel", self)
        self.ops_view = rows_view(self.ops_model, self)
        self.ops_view.setItemDelegateForColumn(4, ShareBar(self.ops_view))
        self.ops_view.clicked.connect(self._on_op_clicked)
        self.kernels_model = RowsModel(self.KERNEL_COLUMNS, "ProfilePanel", self)
        self.kernels_view = rows_view(self.kernels_model, self)
        self.kernels_view.setItemDelegateForColumn(1, ShareBar(self.kernels_view))
        self.kernels_view.doubleClicked.connect(self._on_kernel_activated)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter kernels by name, op or provider"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.kernels_model.set_filter)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.filter)
        rl.addWidget(self.kernels_view)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.ops_view)
        self.split.addWidget(right)
        self.split.setSizes([480, 600])

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.split, 1)

    # -- state ----------------------------------------------------------------------------------------------
    def set_node_names(self, names: list[str]) -> None:
        """The main graph's node names (as the graph view shows them), for the kernels' Model node column."""
        self._node_names = names

    def clear(self) -> None:
        self.profile = None
        self.trace_path = ""
        self.ops_model.set_rows([])
        self.kernels_model.set_rows([])
        self.filter.clear()
        self.save.setEnabled(False)
        self.summary.setText(self.tr("Profile the model to see where each run's time goes: per op type, per "
                                     "node, and on which execution provider each node ran."))

    def node_note(self, node: int) -> str:
        """HTML on a main-graph node's share of the last profile, for its properties in the graph view."""
        prof = self.profile
        if prof is None:
            return ""
        kernels = prof.kernels_of(node)
        if not kernels:
            return "<p><b>" + self.tr("Profile") + "</b> " + self.tr(
                "no kernel of its own: folded into a constant or fused into another node's kernel") + "</p>"
        total = sum(k.total_us for k in prof.top) or 1.0
        mine = sum(k.total_us for k in kernels)
        what = ", ".join(f"{k.op} ({display_name(k.provider)})" for k in kernels[:3])
        return "<p><b>" + self.tr("Profile") + "</b> " + self.tr("{0} a run, {1:.1%} of the kernels' time: {2}").format(
            ms_text(mine / 1000.0 / max(prof.runs, 1)), mine / total, what) + "</p>"

    def set_compute(self, compute: ComputeCost | None) -> None:
        """The model's MACs (counted after the checks, again when the dims change): MACs/s per op type."""
        self.compute = compute
        if self.profile is not None:
            self.set_profile(self.profile)

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)

    def provider_colours(self) -> dict[str, QColor]:
        provs = [r.provider for r in self.profile.by_provider()] if self.profile else []
        return {p: QColor(PROVIDER_COLOURS[i % len(PROVIDER_COLOURS)]) for i, p in enumerate(provs)}

    def set_profile(self, prof: Profile) -> None:
        self.profile = prof
        runs = prof.runs
        total = sum(k.total_us for k in prof.top) or 1.0
        macs = prof.macs_by_op(self.compute.macs) if self.compute is not None else {}

        def rate(r: object) -> float:
            m = macs.get((r.op, r.provider), 0)  # type: ignore[attr-defined]
            return m / (r.ms_per_run / 1000.0) if m and r.ms_per_run > 0 else 0.0  # type: ignore[attr-defined]

        self.ops_model.set_rows([
            ([r.op, display_name(r.provider), f"{r.kernels:,}", ms_text(r.ms_per_run), f"{r.share:.1%}",
              format_count(rate(r)) if rate(r) else ""],
             [r.op, r.provider, r.kernels, r.ms_per_run, r.share, rate(r)], r.share) for r in prof.by_op()])
        how = {FUSED: self.tr(" (rewritten by the optimizer)"), ADDED: self.tr("added by onnxruntime"),
               NESTED: self.tr("inside {0}")}
        rows = []
        per_run = 1.0 / 1000.0 / max(runs, 1)
        for k in prof.kernels:
            ms = k.total_us * per_run
            share = k.total_us / total if not k.inside else 0.0
            if k.node is not None:
                name = self._node_names[k.node] if k.node < len(self._node_names) else f"#{k.node}"
                node = name + (how[FUSED] if k.how == FUSED else "")
            else:
                node = how[NESTED].format(k.inside) if k.inside else how[ADDED]
            rows.append(([ms_text(ms), f"{share:.1%}" if not k.inside else "", k.op, display_name(k.provider),
                          k.name, node, k.shapes],
                         [ms, share, k.op, k.provider, k.name, node, k.shapes], share))
        self.kernels_model.set_rows(rows)
        self.ops_view.sortByColumn(3, Qt.SortOrder.DescendingOrder)
        self.kernels_view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        for view, widths in ((self.ops_view, (120, 50, 55, 75, 60)), (self.kernels_view, (80, 60, 110, 60, 260, 200))):
            for col, w in enumerate(widths):
                view.setColumnWidth(col, w)
        self.summary.setText(self._summary(prof))
        self.save.setEnabled(True)

    def _summary(self, prof: Profile) -> str:
        s = prof.run
        in_kernels = prof.kernel_ms  # a mean over the runs: set against their mean, not their median
        share = in_kernels / s.mean if s.mean and math.isfinite(s.mean) else float("nan")
        colours = self.provider_colours()
        placed = " · ".join(
            f"<span style='color:{colours[r.provider].name()}'>■</span> {display_name(r.provider)}: "
            + self.tr("{0} kernels, {1:.0%} of the time").format(f"{r.kernels:,}", r.share)
            for r in prof.by_provider())
        fused = sum(1 for k in prof.top if k.how == FUSED)
        added = sum(1 for k in prof.top if k.how == ADDED)
        lines = [
            self.tr("<b>{0} runs</b> profiled on {1}: median {2}, mean {3}, {4} of it in kernels ({5}). "
                    "Session: {6}.").format(
                prof.runs, ", ".join(display_name(p) for p in prof.providers), ms_text(s.median), ms_text(s.mean),
                ms_text(in_kernels), f"{min(share, 1.0):.0%}" if math.isfinite(share) else "–",
                ms_text(prof.session_ms)),
            placed,
            self.tr("{0:,} nodes in the model, {1:,} kernels run: {2:,} rewritten by the optimizer "
                    "(optimization: {3}), {4:,} added by it ({5} a run), {6:,} nodes folded into constants or "
                    "fused into another kernel.").format(
                prof.model_nodes, len(prof.top), fused, prof.optimization, added, ms_text(prof.added_ms()),
                prof.without_kernel()),
        ]
        fallback = prof.fallback()
        if fallback:
            ops = Counter(k.op for k in fallback).most_common(6)
            lines.append("<b>" + self.tr("{0} kernels fell back from {1}:").format(
                len(fallback), display_name(prof.providers[0])) + "</b> " + ", ".join(
                f"{op} ×{n}" if n > 1 else op for op, n in ops) + self.tr(" (type the provider in the filter to "
                                                                          "list them)"))
        c = self.compute
        if c is not None and c.total and s.median and math.isfinite(s.median):
            lines.append(self.tr("{0} MACs a run: {1}MAC/s at the median run").format(
                format_count(c.total), format_count(c.total / (s.median / 1000.0))))
        lines += [f"<i>{note}</i>" for note in prof.notes]
        return "<br>".join(lines)

    # -- interaction ------------------------------------------------------------------------------------------
    def _on_op_clicked(self, index: QModelIndex) -> None:
        op = self.ops_model.index(index.row(), 0).data()
        self.filter.setText(str(op))

    def _on_kernel_activated(self, index: QModelIndex) -> None:
        if self.profile is None:
            return
        k = self.profile.kernels[self.kernels_model.source_row(index.row())]
        if k.node is not None:
            self.node_requested.emit(k.node)

    def _export(self) -> None:
        if self.profile is None:
            return
        kinds = [self.tr("JSON (*.json)"), self.tr("CSV (*.csv)")]
        if self.trace_path and Path(self.trace_path).is_file():
            kinds.append(self.tr("onnxruntime's trace, for Perfetto or chrome://tracing (*.json)"))
        path, chosen = QFileDialog.getSaveFileName(self, self.tr("Export the profile"), "onnxstudio-profile.json",
                                                   ";;".join(kinds))
        if not path:
            return
        trace = len(kinds) == 3 and chosen == kinds[2]
        suffix = ".csv" if chosen == kinds[1] or path.lower().endswith(".csv") else ".json"
        if not path.lower().endswith(suffix):
            path += suffix
        try:
            if trace:
                shutil.copyfile(self.trace_path, path)
            else:
                self.export(path)
        except OSError as exc:
            self.summary.setText(self.summary.text() + "<br><b>" + self.tr("Could not save {0}: {1}").format(
                path, exc.strerror or exc) + "</b>")

    def export(self, path: str | Path) -> None:
        """Write the profile to ``path``: JSON (``Profile.to_dict``) or, for ``.csv``, one row per kernel."""
        assert self.profile is not None
        prof = self.profile
        data = prof.to_dict()
        if str(path).lower().endswith(".csv"):
            with open(path, "w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh)
                keys = ["name", "op", "provider", "ms", "calls", "node_index", "mapping", "inside", "input_shapes"]
                w.writerow(["ms_per_run" if k == "ms" else k for k in keys])
                for k in data["kernels"]:
                    w.writerow(["" if k[key] is None else k[key] for key in keys])
        else:
            Path(path).write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
