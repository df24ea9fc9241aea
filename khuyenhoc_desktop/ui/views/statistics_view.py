"""The working year's commune statistics: a table per hamlet and in total for every title, a bar chart of the
recognised share per hamlet for one title, the year's support work (scholarships, the fund, activities,
honours) in the report's own words, and the report exported as a workbook or a PDF."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.text import format_percent
from khuyenhoc_desktop.domain.titles import TITLE_LABELS, Title, denominator_label
from khuyenhoc_desktop.services.statistics import (
    FIGURE_HEADERS,
    NOTES,
    SHORT_LABELS,
    CommuneStatistics,
    HamletFigures,
    commune_statistics,
    rate_header,
)
from khuyenhoc_desktop.services.support_statistics import SUPPORT_HEADING, SupportLine, support_lines
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages, worker
from khuyenhoc_desktop.ui.models.table_model import Column, Index, RowTableModel, count_column
from khuyenhoc_desktop.ui.save_path import ask_save_path
from khuyenhoc_desktop.ui.views.table_view import register_table

TOTAL_LABEL = "Tổng cộng"
BAR_COLOUR = QColor("#2f6f9f")
AVERAGE_COLOUR = QColor("#b03a2e")


def _title_columns(title: Title) -> list[Column[HamletFigures]]:
    """Tổng số, Đăng ký, Công nhận and the rate of one title; the header names the title in short."""
    short, tooltip = SHORT_LABELS[title], f"{TITLE_LABELS[title]}: tỷ lệ công nhận {denominator_label(title)}"
    total, registered, recognised = (f"{short}\n{header}" for header in FIGURE_HEADERS)
    rate_lines = rate_header(title).replace(" (", "\n(")  # the denominator on its own line
    rate = f"{short}\n{rate_lines}"
    return [
        count_column(total, lambda row: row.figures[title].total, width=72, tooltip=tooltip),
        count_column(registered, lambda row: row.figures[title].registered, width=72, tooltip=tooltip),
        count_column(recognised, lambda row: row.figures[title].recognised, width=72, tooltip=tooltip),
        Column(
            rate,
            lambda row: format_percent(row.figures[title].rate),
            lambda row: row.figures[title].rate or 0.0,
            align_right=True,
            tooltip=tooltip,
            width=104,
        ),
    ]


class StatisticsModel(RowTableModel[HamletFigures]):
    """One row per hamlet in the hamlets' order, then the commune total in bold."""

    COLUMNS = (
        Column[HamletFigures]("Ấp", lambda row: row.hamlet_name, width=170),
        *(column for title in Title for column in _title_columns(title)),
    )

    def __init__(self) -> None:
        super().__init__()
        self._total: HamletFigures | None = None

    def set_statistics(self, stats: CommuneStatistics) -> None:
        self._total = HamletFigures("", TOTAL_LABEL, stats.total)
        self.set_rows([*stats.hamlets, self._total])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid() and self.row_at(index.row()) is self._total:
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Hamlets are numbered; the total row is not one of them."""
        is_total = orientation == Qt.Orientation.Vertical and section == self.rowCount() - 1
        if is_total and role == Qt.ItemDataRole.DisplayRole:
            return ""
        return super().headerData(section, orientation, role)


class BarChart(QWidget):
    """Each hamlet's recognised share of one title as a bar, 0–100 %, with the commune's rate dashed across."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.bars: list[tuple[str, float | None]] = []
        self.average: float | None = None
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, title: str, bars: list[tuple[str, float | None]], average: float | None) -> None:
        self.title, self.bars, self.average = title, bars, average
        self.setToolTip("\n".join(f"{name}: {format_percent(rate)}" for name, rate in bars))
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = painter.fontMetrics()
        line = metrics.height()
        area = QRectF(self.rect()).adjusted(10, 8, -16, -8)
        text_colour = self.palette().text().color()
        painter.setPen(text_colour)
        bold = QFont(painter.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(QRectF(area.left(), area.top(), area.width(), line), Qt.AlignmentFlag.AlignCenter, self.title)
        painter.setFont(self.font())
        if not self.bars:
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "Chưa có ấp nào.")
            return
        plot = QRectF(
            area.left() + metrics.horizontalAdvance("100%") + 8,
            area.top() + line * 2.5,
            0,
            0,
        )
        plot.setRight(area.right())
        plot.setBottom(area.bottom() - line - 6)
        self._grid(painter, plot, text_colour)
        self._draw_bars(painter, plot, text_colour)
        self._average_line(painter, plot)

    def _y(self, plot: QRectF, share: float) -> float:
        return plot.bottom() - plot.height() * share

    def _grid(self, painter: QPainter, plot: QRectF, text_colour: QColor) -> None:
        metrics = painter.fontMetrics()
        for percent in range(0, 101, 20):
            y = self._y(plot, percent / 100)
            painter.setPen(QPen(QColor("#d0d0d0") if percent else text_colour, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text_colour)
            label = QRectF(plot.left() - 60, y - metrics.height() / 2, 54, metrics.height())
            painter.drawText(label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{percent}%")
        painter.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.left(), plot.bottom()))

    def _draw_bars(self, painter: QPainter, plot: QRectF, text_colour: QColor) -> None:
        metrics = painter.fontMetrics()
        slot = plot.width() / len(self.bars)
        width = min(slot * 0.6, 90.0)
        for i, (name, rate) in enumerate(self.bars):
            left = plot.left() + slot * i + (slot - width) / 2
            top = self._y(plot, rate or 0.0)
            painter.fillRect(QRectF(left, top, width, plot.bottom() - top), BAR_COLOUR)
            painter.setPen(text_colour)
            above = QRectF(left - 20, top - metrics.height() - 2, width + 40, metrics.height())
            painter.drawText(above, Qt.AlignmentFlag.AlignCenter, format_percent(rate))
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(slot) - 4)
            below = QRectF(plot.left() + slot * i, plot.bottom() + 4, slot, metrics.height())
            painter.drawText(below, Qt.AlignmentFlag.AlignCenter, shown)

    def _average_line(self, painter: QPainter, plot: QRectF) -> None:
        if self.average is None:
            return
        y = self._y(plot, self.average)
        painter.setPen(QPen(AVERAGE_COLOUR, 1.5, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        label = QRectF(
            plot.left(), y - painter.fontMetrics().height() - 2, plot.width(), painter.fontMetrics().height()
        )
        painter.drawText(label, Qt.AlignmentFlag.AlignRight, f"{TOTAL_LABEL}: {format_percent(self.average)}")


def support_html(lines: list[SupportLine]) -> str:
    """Each headline with its label in bold, its breakdown indented under it, as the PDF prints them."""
    shown = []
    for line in lines:
        label, reading = html.escape(line.label), html.escape(line.reading)
        if line.detail:
            shown.append(f"<div style='margin-left:20px'>– {label}: {reading}</div>")
        else:
            shown.append(f"<div style='margin-top:4px'><b>{label}:</b> {reading}</div>")
    return "".join(shown)


class StatisticsView(QWidget):
    changed = Signal()  # never emitted: the page only reads; kept so every page looks alike to the window

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.stats: CommuneStatistics | None = None
        self._task: worker.Task | None = None

        self.heading = QLabel()
        heading_font = self.heading.font()
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.2)
        self.heading.setFont(heading_font)
        self.excel_button = QPushButton("Xuất &Excel…")
        self.pdf_button = QPushButton("Xuất &PDF…")

        self.model = StatisticsModel()
        self.table = register_table(self.model, sortable=False)
        self.table.setObjectName("statistics_table")
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)

        self.title_choice = QComboBox()
        for title in Title:
            self.title_choice.addItem(TITLE_LABELS[title], title.value)
        chart_label = QLabel("&Biểu đồ tỷ lệ công nhận theo ấp:")
        chart_label.setBuddy(self.title_choice)
        self.chart = BarChart()

        self.support_box = QGroupBox()
        self.support_text = QLabel()
        self.support_text.setObjectName("support_lines")
        self.support_text.setTextFormat(Qt.TextFormat.RichText)
        self.support_text.setWordWrap(True)
        self.support_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.support_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        support_scroll = QScrollArea()
        support_scroll.setWidgetResizable(True)
        support_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        support_scroll.setWidget(self.support_text)
        QVBoxLayout(self.support_box).addWidget(support_scroll)

        notes = QLabel("\n".join(f"• {note}" for note in NOTES))
        notes.setWordWrap(True)
        notes_font = notes.font()
        notes_font.setPointSizeF(notes_font.pointSizeF() * 0.9)
        notes.setFont(notes_font)

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.excel_button)
        top.addWidget(self.pdf_button)
        chart_bar = QHBoxLayout()
        chart_bar.addWidget(chart_label)
        chart_bar.addWidget(self.title_choice)
        chart_bar.addStretch(1)
        chart_part = QWidget()
        chart_layout = QVBoxLayout(chart_part)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addLayout(chart_bar)
        chart_layout.addWidget(self.chart)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(chart_part)
        lower.addWidget(self.support_box)
        lower.setSizes([1000, 1000])  # the chart and the support lines side by side, half each
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(notes)

        self.title_choice.currentIndexChanged.connect(self._show_chart)
        self.excel_button.clicked.connect(lambda: self.export(".xlsx"))
        self.pdf_button.clicked.connect(lambda: self.export(".pdf"))
        self.reload()

    @property
    def year(self) -> int:
        return self.workspace.working_year

    def reload(self) -> None:
        self.stats = commune_statistics(self.workspace, self.year)
        place = self.stats.commune_name or self.stats.province_name
        self.heading.setText(f"Kết quả xây dựng các mô hình học tập năm {self.year} — {place}")
        self.model.set_statistics(self.stats)
        self.table.resizeRowsToContents()
        self._show_chart()
        self.support_box.setTitle(f"{SUPPORT_HEADING} năm {self.year}")
        support = self.stats.support
        self.support_text.setText(support_html(support_lines(support)) if support is not None else "")

    def _show_chart(self) -> None:
        if self.stats is None:
            return
        title = str(self.title_choice.currentData())
        total = self.stats.total[title]
        self.chart.set_data(
            f"{total.title_label}: tỷ lệ công nhận ({total.denominator_label})",
            [(h.hamlet_name, h.figures[title].rate) for h in self.stats.hamlets],
            total.rate,
        )

    def export(self, suffix: str) -> None:
        """Ask where, then write the report off the UI thread and say where it went."""
        kind = "Excel" if suffix == ".xlsx" else "PDF"
        path = ask_save_path(self, f"Lưu báo cáo {kind}", f"bao-cao-mo-hinh-hoc-tap-{self.year}{suffix}")
        if path is None:
            return
        self._set_busy(True)
        workspace, year = self.workspace, self.year

        def write(_task: worker.Task) -> Path:
            # Imported here: reportlab is only needed once the officer exports.
            from khuyenhoc_desktop.documents.reports import write_report

            write_report(commune_statistics(workspace, year), path)
            return path

        self._task = worker.run_task(write, self._exported, self._failed)

    def _exported(self, path: Path) -> None:
        self._set_busy(False)
        messages.inform(self, "Đã xuất báo cáo", f"Đã ghi báo cáo năm {self.year} vào:\n{path}")

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(error, UserError):
            raise error  # a bug: sys.excepthook logs it and tells the officer
        messages.warn(self, "Không xuất được báo cáo", str(error))

    def _set_busy(self, busy: bool) -> None:
        self.excel_button.setEnabled(not busy)
        self.pdf_button.setEnabled(not busy)
