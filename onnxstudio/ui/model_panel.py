"""The model panel: everything ``inspect`` knows about the open model, as selectable, copyable text."""

from __future__ import annotations

import html

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from onnxstudio.core.compute import ComputeCost, format_count, format_flops
from onnxstudio.core.host import format_bytes
from onnxstudio.core.inspection import ModelReport
from onnxstudio.core.report_text import format_report
from onnxstudio.core.values import ValueSpec
from onnxstudio.ui.icons import icon


def _esc(value: object) -> str:
    return html.escape(str(value))


def _count(n: int) -> str:
    for unit, size in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= size:
            return f"{n / size:.2f}{unit} ({n:,})"
    return f"{n:,}"


class ModelPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._report: ModelReport | None = None
        self._pending_checks = False
        self._beside: list[tuple[str, str]] = []
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setObjectName("modelSummary")
        self.copy_button = QPushButton(icon("export"), self.tr("Copy as text"))
        self.copy_button.setToolTip(self.tr("Copy the whole model summary to the clipboard as plain text"))
        self.copy_button.clicked.connect(self.copy_text)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser, 1)
        layout.addLayout(bar)

    @property
    def report(self) -> ModelReport | None:
        return self._report

    def clear(self) -> None:
        self._report = None
        self._beside = []
        self.browser.clear()

    def set_beside(self, rows: list[tuple[str, str]]) -> None:
        """What the app found beside the model and uses (reference data, a labels file), as (what, how) rows."""
        self._beside = list(rows)
        if self._report is not None:
            self.browser.setHtml(self._html(self._report))

    def set_report(self, report: ModelReport, checks_pending: bool = False) -> None:
        self._report = report
        self._pending_checks = checks_pending
        self.browser.setHtml(self._html(report))

    def update_report(self, report: ModelReport) -> None:
        """The same model with more of its report filled in (checks still pending or not, as they were)."""
        self.set_report(report, self._pending_checks)

    def text(self) -> str:
        return self.browser.toPlainText()

    def plain_report(self) -> str:
        """The summary as aligned plain text (what ``onnxstudio inspect`` prints, and what was found beside the
        model), for a bug report or a chat; "" without a model."""
        if self._report is None:
            return ""
        beside = "".join(f"\nBeside      {what}: {how}" for what, how in self._beside)
        return format_report(self._report) + beside

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.plain_report())

    # -- rendering ----------------------------------------------------------------------------------------
    def _html(self, r: ModelReport) -> str:
        parts = [f"<h2>{_esc(r.path.rsplit('/', 1)[-1])}</h2>"]
        producer = " ".join(p for p in (r.producer_name, r.producer_version) if p) or self.tr("unknown")
        opsets = ", ".join(f"{d} {v}" for d, v in r.opset_imports.items())
        rows = [
            (self.tr("File"), r.path),
            (self.tr("File size"), format_bytes(r.file_size)),
            (self.tr("Producer"), producer),
            (self.tr("IR version"), r.ir_version),
            (self.tr("Opsets"), opsets),
            (self.tr("Nodes"), self.tr("{0} ({1} in the main graph, {2} subgraphs, {3} functions)").format(
                f"{r.node_count:,}", f"{r.main_graph_nodes:,}", r.subgraph_count, r.function_count)),
            (self.tr("Parameters"), self.tr("{0} in {1} initializers, {2}").format(
                _count(r.parameter_count), f"{r.initializer_count:,}", format_bytes(r.parameter_bytes))
             if r.parameter_count is not None and r.parameter_bytes is not None
             else self.tr("counting… ({0} initializers)").format(f"{r.initializer_count:,}")),
        ]
        if r.constant_count and r.constant_parameters is not None and r.constant_bytes is not None:
            rows.append((self.tr("In nodes"), self.tr("{0} in {1} tensors held by nodes (Constant values), {2}").format(
                _count(r.constant_parameters), f"{r.constant_count:,}", format_bytes(r.constant_bytes))))
        if r.compute is not None:
            rows.append((self.tr("Compute"), self._compute(r.compute)))
        if r.domain:
            rows.append((self.tr("Domain"), r.domain))
        if r.model_version:
            rows.append((self.tr("Model version"), r.model_version))
        parts.append(self._table(rows))
        if self._beside:
            parts.append("<h3>" + self.tr("Beside the model") + "</h3>" + self._table(self._beside))
        if r.doc_string:
            parts.append(f"<p><i>{_esc(r.doc_string)}</i></p>")
        warnings = list(r.warnings)
        if self._pending_checks:
            warnings.append(self.tr("checker and shape inference are running…"))
        parts.append("<h3>" + self.tr("Warnings") + "</h3>")
        if warnings:
            parts.append("<ul>" + "".join(f"<li style='color:#c0392b'>{_esc(w)}</li>" for w in warnings) + "</ul>")
        else:
            parts.append("<p>" + self.tr("None: every op has a kernel in the installed onnxruntime.") + "</p>")
        parts.append("<h3>" + self.tr("Inputs") + "</h3>" + self._values(r.inputs))
        parts.append("<h3>" + self.tr("Outputs") + "</h3>" + self._values(r.outputs))
        if r.metadata:
            parts.append("<h3>" + self.tr("Metadata") + "</h3>")
            parts.append(self._table([(k, (v[:300] + "…") if len(v) > 300 else v) for k, v in r.metadata.items()]))
        parts.append("<h3>" + self.tr("Operators") + "</h3>")
        total = max(1, sum(r.op_histogram.values()))
        hist_rows = "".join(
            f"<tr><td>{_esc(op)}</td><td align='right'>{n}</td>"
            f"<td><span style='background:#3b6fd8'>{'&nbsp;' * max(1, round(40 * n / total))}</span></td></tr>"
            for op, n in r.op_histogram.items())
        parts.append(f"<table cellspacing='0' cellpadding='2'>{hist_rows}</table>")
        if r.external_data:
            parts.append("<h3>" + self.tr("External data") + "</h3>")
            parts.append(self._table([(d.get("location", "?"), format_bytes(d.get("size", 0)))
                                      for d in r.external_data]))
        return "".join(parts)

    def _compute(self, c: ComputeCost) -> str:
        text = self.tr("{0} MACs ({1}) a run").format(format_count(c.total), format_flops(c.flops))
        if c.dims:
            text += " " + self.tr("at {0}").format(", ".join(f"{k} = {v}" for k, v in c.dims.items()))
        if c.total:
            text += "; " + ", ".join(f"{op} {m / c.total:.1%}" for op, m in list(c.by_op.items())[:4])
        if c.from_run:
            text += "; " + self.tr("{0} nodes counted with shapes from a run (inference could not tell them)").format(
                c.from_run)
        if c.unknown:
            text += "; " + self.tr("{0} nodes not counted (shapes unknown)").format(len(c.unknown))
        if c.nested:
            text += "; " + self.tr("{0} nodes inside If/Loop/Scan bodies not counted").format(c.nested)
        return text

    @staticmethod
    def _table(rows: list[tuple[object, object]]) -> str:
        body = "".join(f"<tr><td><b>{_esc(k)}</b></td><td>{_esc(v)}</td></tr>" for k, v in rows)
        return f"<table cellspacing='0' cellpadding='3'>{body}</table>"

    def _values(self, specs: list[ValueSpec]) -> str:
        if not specs:
            return "<p>" + self.tr("none") + "</p>"
        head = ("<tr><th align='left'>" + self.tr("Name") + "</th><th align='left'>" + self.tr("Type") + "</th>"
                "<th align='left'>" + self.tr("Shape") + "</th></tr>")
        body = "".join(f"<tr><td>{_esc(s.name)}</td><td>{_esc(s.type_str)}</td><td>{_esc(s.shape_text())}</td></tr>"
                       for s in specs)
        return f"<table cellspacing='0' cellpadding='3'>{head}{body}</table>"


