"""The submission board (issue 6): every commune of the office and where its package for the working year stands,
coloured and iconed by status, the missing ones a tick away and copied for a reminder in one click."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.text import format_count, format_local_time
from khuyenhoc_desktop.services import office
from khuyenhoc_desktop.services.submission_board import Board, BoardRow, Status, submission_board
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.models.table_model import Column, Index, SearchableModel, count_column
from khuyenhoc_desktop.ui.views.table_view import register_table, select_record, selected_row
from khuyenhoc_desktop.ui.widgets import SearchSteersTable

STATUS_COLOURS: dict[str, QColor] = {
    Status.MISSING: QColor("#b3261e"),
    Status.REFUSED: QColor("#b3261e"),
    Status.FORK: QColor("#a15c00"),
    Status.RECEIVED: QColor("#1b6e20"),
    Status.MERGED: QColor("#8a8a8a"),
}
STATUS_ICONS: dict[str, QStyle.StandardPixmap] = {
    Status.MISSING: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Status.REFUSED: QStyle.StandardPixmap.SP_DialogCancelButton,
    Status.FORK: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Status.RECEIVED: QStyle.StandardPixmap.SP_DialogApplyButton,
    Status.MERGED: QStyle.StandardPixmap.SP_ArrowRight,
}
# Sorting by status puts what needs the officer first.
STATUS_ORDER = {status: rank for rank, status in enumerate(STATUS_COLOURS)}
MISSING_ONLY = "Chỉ xã còn thiếu"


class BoardModel(SearchableModel[BoardRow]):
    COL_CODE, COL_NAME, COL_STATUS, COL_SEQUENCE, COL_KEY, COL_FINGERPRINT = range(6)
    COLUMNS = (
        Column[BoardRow]("Mã", lambda r: r.code, width=60),
        Column[BoardRow]("Xã, phường", lambda r: r.name, width=180),
        Column[BoardRow]("Trạng thái", lambda r: r.status_label, lambda r: STATUS_ORDER[r.status], width=230),
        Column[BoardRow]("Lần gửi", lambda r: str(r.received.sequence) if r.received else "",
                         lambda r: r.received.sequence if r.received else 0, align_right=True, width=60),
        Column[BoardRow]("Mã khóa", lambda r: r.received.key_id if r.received else "", width=140),
        Column[BoardRow]("Dấu vân tay khóa", lambda r: r.received.fingerprint if r.received else "", width=330,
                         tooltip="So với phiếu đăng ký khóa ký số liệu của xã"),
        Column[BoardRow]("Xuất lúc", lambda r: format_local_time(r.received.exported_at) if r.received else "",
                         lambda r: r.received.exported_at if r.received else "", width=120, tooltip="Giờ máy này"),
        Column[BoardRow]("Nhận lúc", lambda r: format_local_time(r.received.received_at) if r.received else "",
                         lambda r: r.received.received_at if r.received else "", width=120, tooltip="Giờ máy này"),
        count_column("Số hộ", lambda r: r.received.households if r.received else 0, width=70),
        count_column("Số người", lambda r: r.received.members if r.received else 0, width=80),
        Column[BoardRow]("Ghi chú", lambda r: r.notes),
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._icons: dict[str, QIcon] = {}

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.row() < self.rowCount():
            column = index.column()
            if column == self.COL_STATUS and role == Qt.ItemDataRole.ForegroundRole:
                return STATUS_COLOURS[self.row_at(index.row()).status]
            if column == self.COL_STATUS and role == Qt.ItemDataRole.DecorationRole:
                return self._icon(self.row_at(index.row()).status)
            if column == self.COL_FINGERPRINT and role == Qt.ItemDataRole.FontRole:
                return self._mono  # the groups line up with the paper sheet's boxes
        return super().data(index, role)

    def _icon(self, status: str) -> QIcon:
        if status not in self._icons:
            self._icons[status] = QApplication.style().standardIcon(STATUS_ICONS[status])
        return self._icons[status]


class SubmissionBoardView(QWidget):
    changed = Signal()  # never emitted: the page only reads; kept so every page looks alike to the window

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.board: Board | None = None

        self.heading = QLabel()
        heading_font = self.heading.font()
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.2)
        self.heading.setFont(heading_font)
        self.totals = QLabel()
        self.totals.setObjectName("board_totals")
        totals_font = self.totals.font()
        totals_font.setBold(True)
        self.totals.setFont(totals_font)
        self.missing_only = QCheckBox(MISSING_ONLY)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm xã, phường theo mã, tên hoặc trạng thái (gõ không dấu được)")
        self.search.setClearButtonEnabled(True)
        self.copy_button = QPushButton("Chép danh sách xã còn thiếu")
        self.copy_button.setToolTip("Để dán vào tin nhắn, thư nhắc các xã, phường gửi số liệu")
        self.model = BoardModel()
        self.table = register_table(self.model)
        self.table.setObjectName("submission_board_table")
        self.table.sortByColumn(BoardModel.COL_NAME, Qt.SortOrder.AscendingOrder)
        SearchSteersTable(self.search, self.table)
        self.details = QLabel()
        self.details.setObjectName("board_details")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_line = QLabel()

        top = QHBoxLayout()
        top.addWidget(self.missing_only)
        top.addWidget(self.search, 1)
        top.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.totals)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.status_line)

        self.missing_only.toggled.connect(lambda _on: self._filter())
        self.search.textChanged.connect(lambda _text: self._filter())
        self.copy_button.clicked.connect(self.copy_missing)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_details())
        self.reload()

    def reload(self) -> None:
        """Re-read the board for the working year (a new package, a merger, another working year)."""
        current = self.current()
        year = self.workspace.working_year
        self.board = submission_board(self.workspace, year)
        info = office.office_info(self.workspace)
        self.heading.setText(f"Tình hình nhận số liệu năm {year}" + (f" — {info.name}" if info else ""))
        self.totals.setText(self.board.totals_text)
        self.copy_button.setEnabled(bool(self.board.missing))
        self.status_line.clear()
        self.model.set_rows(list(self.board.rows))
        self._filter()
        if current is not None:
            select_record(self.table, current.id)

    def _filter(self) -> None:
        only_missing = self.missing_only.isChecked()
        scope = (lambda row: row.missing) if only_missing else None
        self.model.set_query(self.search.text(), scope, only_missing)
        self._show_details()

    def current(self) -> BoardRow | None:
        row = selected_row(self.table)
        return None if row < 0 else self.model.row_at(row)

    def _show_details(self) -> None:
        row = self.current()
        self.details.setText("" if row is None else f"{row.name}: {row.status_label}. {row.notes}".strip())

    def copy_missing(self) -> None:
        """The missing communes, one a line under a heading, onto the clipboard."""
        if self.board is None or not self.board.missing:
            return
        QGuiApplication.clipboard().setText(self.board.missing_text())
        self.status_line.setText(f"Đã chép danh sách {format_count(len(self.board.missing))} xã, phường còn thiếu.")
