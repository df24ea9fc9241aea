"""The consolidating office's report page: for a chosen year, every commune on the list with the lines of the
commune report and the total (sortable, the total kept last), who has not sent, the recognised-family rate per
commune as a bar chart, and the report saved as a workbook or a PDF. The figures are read, and the files written,
off the UI thread: at province scale the figures take about half a second."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.text import format_percent
from khuyenhoc_desktop.services.office_report import (
    CHART_HEADING,
    COLUMNS,
    COMMUNE_HEADER,
    NOT_SENT,
    OFFICE_NOTES,
    PACKAGE_HEADER,
    RATE,
    OfficeReport,
    ReportColumn,
    ReportRow,
    office_report,
    report_years,
)
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages, worker
from khuyenhoc_desktop.ui.models.table_model import Column, Index, RowTableModel
from khuyenhoc_desktop.ui.save_path import ask_save_path
from khuyenhoc_desktop.ui.views.statistics_view import AVERAGE_COLOUR, BAR_COLOUR
from khuyenhoc_desktop.ui.views.table_view import register_table

NOT_SENT_COLOUR = QColor("#8a8a8a")


def _figure_column(column: ReportColumn) -> Column[ReportRow]:
    """A report column on screen: its line in short over its header, the rate's denominator on a line of its own;
    sorted by value, a commune that sent nothing first."""
    header_lines = column.header.replace(" (", "\n(")
    header = f"{column.short_group}\n{header_lines}"

    def sort_value(row: ReportRow) -> float:
        value = column.value(row)
        return -1.0 if value is None else float(value)

    return Column(
        header,
        column.text,
        sort_value,
        align_right=True,
        tooltip=f"{column.group}: {column.header}",
        width=104 if column.kind == RATE else 84,
    )


class OfficeReportModel(RowTableModel[ReportRow]):
    """One row per commune, then the total in bold, which stays last however the table is sorted."""

    COLUMNS = (
        Column[ReportRow](COMMUNE_HEADER, lambda row: row.name, width=190),
        Column[ReportRow](PACKAGE_HEADER, lambda row: row.package_label, width=130),
        *(_figure_column(column) for column in COLUMNS),
    )

    def __init__(self) -> None:
        super().__init__()
        self._total: ReportRow | None = None

    def set_report(self, report: OfficeReport) -> None:
        self._total = report.total
        self.set_rows([*report.rows, report.total])

    def _sort_all(self, column: int, order: Qt.SortOrder) -> None:
        super()._sort_all(column, order)
        self._all.sort(key=lambda row: row is self._total)  # stable: only the total moves, to the end

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid():
            row = self.row_at(index.row())
            if row is self._total or (row.own is None and index.column() == 1):
                font = QFont()
                font.setBold(row is self._total)
                font.setItalic(row is not self._total)
                return font
        return super().data(index, role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Communes are numbered; the total row is not one of them."""
        is_total = 0 <= section < self.rowCount() and self.row_at(section) is self._total
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole and is_total:
            return ""
        return super().headerData(section, orientation, role)


class CommuneRateChart(QWidget):
    """A horizontal bar per commune (a hundred names stay readable; the page scrolls), 0–100 %, with the total's
    rate dashed down the chart and "chưa gửi số liệu" where a commune sent nothing."""

    ROW_HEIGHT = 22
    MARGIN = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, float | None, bool]] = []  # name, rate, has figures
        self.average: float | None = None

    def set_data(self, bars: list[tuple[str, float | None, bool]], average: float | None) -> None:
        self.bars, self.average = bars, average
        self.setMinimumHeight(self.MARGIN * 2 + self.fontMetrics().height() * 2 + self.ROW_HEIGHT * len(bars))
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = painter.fontMetrics()
        text_colour = self.palette().text().color()
        if not self.bars:
            painter.setPen(text_colour)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, "Chưa có xã, phường nào.")
            return
        label_width = min(240, max(metrics.horizontalAdvance(name) for name, _rate, _shown in self.bars) + 12)
        top = self.MARGIN + metrics.height() * 1.5
        plot = QRectF(self.MARGIN + label_width, top, 0, self.ROW_HEIGHT * len(self.bars))
        plot.setRight(self.width() - self.MARGIN - metrics.horizontalAdvance("100,0%") - 8)
        self._grid(painter, plot, text_colour)
        for i, (name, rate, shown) in enumerate(self.bars):
            y = plot.top() + i * self.ROW_HEIGHT
            painter.setPen(text_colour)
            label = QRectF(self.MARGIN, y, label_width - 8, self.ROW_HEIGHT)
            elided = metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(label.width()))
            painter.drawText(label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, elided)
            if not shown:
                painter.setPen(NOT_SENT_COLOUR)
                after = QRectF(plot.left() + 4, y, plot.width(), self.ROW_HEIGHT)
                painter.drawText(after, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, NOT_SENT.lower())
                continue
            end = plot.left() + plot.width() * min(rate or 0.0, 1.0)
            painter.fillRect(QRectF(plot.left(), y + 4, end - plot.left(), self.ROW_HEIGHT - 8), BAR_COLOUR)
            value = QRectF(end + 4, y, 80, self.ROW_HEIGHT)
            painter.drawText(value, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, format_percent(rate))
        self._average_line(painter, plot)

    def _grid(self, painter: QPainter, plot: QRectF, text_colour: QColor) -> None:
        metrics = painter.fontMetrics()
        for percent in range(0, 101, 20):
            x = plot.left() + plot.width() * percent / 100
            painter.setPen(QPen(QColor("#d0d0d0") if percent else text_colour, 1))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.setPen(text_colour)
            label = QRectF(x - 30, plot.top() - metrics.height() - 2, 60, metrics.height())
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, f"{percent}%")

    def _average_line(self, painter: QPainter, plot: QRectF) -> None:
        if self.average is None:
            return
        x = plot.left() + plot.width() * min(self.average, 1.0)
        painter.setPen(QPen(AVERAGE_COLOUR, 1.5, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))


class OfficeReportView(QWidget):
    changed = Signal()  # never emitted: the page only reads; kept so every page looks alike to the window

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.report: OfficeReport | None = None
        self._task: worker.Task | None = None
        self._reader: worker.Task | None = None
        self._reading = 0  # which read is the latest: an older one finishing late is dropped

        self.heading = QLabel()
        heading_font = self.heading.font()
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.2)
        self.heading.setFont(heading_font)
        self.year_choice = QComboBox()
        year_label = QLabel("&Năm:")
        year_label.setBuddy(self.year_choice)
        self.excel_button = QPushButton("Xuất &Excel…")
        self.pdf_button = QPushButton("Xuất &PDF…")

        self.model = OfficeReportModel()
        self.table = register_table(self.model)
        self.table.setObjectName("office_report_table")
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)

        self.received = QLabel()
        self.received.setWordWrap(True)
        self.missing = QLabel()
        self.missing.setObjectName("missing_line")
        self.missing.setWordWrap(True)
        self.missing.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        chart_heading = QLabel(CHART_HEADING)
        chart_font = chart_heading.font()
        chart_font.setBold(True)
        chart_heading.setFont(chart_font)
        self.chart = CommuneRateChart()
        chart_scroll = QScrollArea()
        chart_scroll.setWidgetResizable(True)
        chart_scroll.setWidget(self.chart)
        chart_part = QWidget()
        chart_layout = QVBoxLayout(chart_part)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(chart_heading)
        chart_layout.addWidget(chart_scroll, 1)

        notes = QLabel("\n".join(f"• {note}" for note in OFFICE_NOTES))
        notes.setWordWrap(True)
        notes_font = notes.font()
        notes_font.setPointSizeF(notes_font.pointSizeF() * 0.9)
        notes.setFont(notes_font)

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(year_label)
        top.addWidget(self.year_choice)
        top.addWidget(self.excel_button)
        top.addWidget(self.pdf_button)
        table_part = QWidget()
        table_layout = QVBoxLayout(table_part)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.missing)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(table_part)
        splitter.addWidget(chart_part)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.received)
        layout.addWidget(splitter, 1)
        layout.addWidget(notes)

        self.year_choice.currentIndexChanged.connect(self._read)
        self.excel_button.clicked.connect(lambda: self.export(".xlsx"))
        self.pdf_button.clicked.connect(lambda: self.export(".pdf"))
        self.reload()

    @property
    def year(self) -> int:
        chosen = self.year_choice.currentData()
        return int(chosen) if chosen is not None else self.workspace.working_year

    def reload(self) -> None:
        """Offer the years packages came in for (a new one may have arrived), keep the chosen one, re-read."""
        keep = self.year_choice.currentData()
        years = report_years(self.workspace)
        self.year_choice.blockSignals(True)
        self.year_choice.clear()
        for year in years:
            self.year_choice.addItem(str(year), year)
        self.year_choice.setCurrentIndex(years.index(keep if keep in years else self.workspace.working_year))
        self.year_choice.blockSignals(False)
        self._read()

    def _read(self) -> None:
        workspace, year = self.workspace, self.year
        self._reading += 1
        reading = self._reading
        self.heading.setText(f"Đang đọc số liệu năm {year}…")
        self._reader = worker.run_task(
            lambda _task: office_report(workspace, year), lambda report: self._show(reading, report), self._read_failed
        )

    def _show(self, reading: int, report: OfficeReport) -> None:
        if reading != self._reading:
            return
        self.report = report
        self.heading.setText(f"Báo cáo tổng hợp năm {report.year} — {report.office_name}")
        self.received.setText(report.received_line)
        self.missing.setText("\n".join([report.missing_line, *report.merged_notes]))
        self.model.set_report(report)
        self.chart.set_data(
            [(row.name, row.chart_rate, row.has_figures) for row in report.rows], report.total.chart_rate
        )

    def export(self, suffix: str) -> None:
        """Ask where, then read the figures and write the report off the UI thread, and say where it went."""
        kind = "Excel" if suffix == ".xlsx" else "PDF"
        year = self.year
        path = ask_save_path(self, f"Lưu báo cáo tổng hợp {kind}", f"bao-cao-tong-hop-{year}{suffix}")
        if path is None:
            return
        self._set_busy(True)
        workspace = self.workspace

        def write(_task: worker.Task) -> Path:
            # Imported here: reportlab is only needed once the officer exports.
            from khuyenhoc_desktop.documents.reports import write_office_report

            write_office_report(office_report(workspace, year), path)
            return path

        self._task = worker.run_task(write, lambda written: self._exported(year, written), self._failed)

    def _exported(self, year: int, path: Path) -> None:
        self._set_busy(False)
        messages.inform(self, "Đã xuất báo cáo", f"Đã ghi báo cáo tổng hợp năm {year} vào:\n{path}")

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(error, UserError):
            raise error  # a bug: sys.excepthook logs it and tells the officer
        messages.warn(self, "Không xuất được báo cáo", str(error))

    def _read_failed(self, error: BaseException) -> None:
        if not isinstance(error, UserError):
            raise error
        self.heading.setText("Chưa có báo cáo tổng hợp")
        messages.warn(self, "Không đọc được số liệu", str(error))

    def _set_busy(self, busy: bool) -> None:
        self.excel_button.setEnabled(not busy)
        self.pdf_button.setEnabled(not busy)
