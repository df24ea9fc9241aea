"""The recycle bin: what was deleted, and a way back."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.services import recycle_bin
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.models.household_models import RecycleBinModel
from khuyenhoc_desktop.ui.views.table_view import bind_keys, register_table, selected_row


class RecycleBinView(QWidget):
    changed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.model = RecycleBinModel()
        self.table = register_table(self.model)
        self.table.setObjectName("recycle_bin_table")
        self.table.horizontalHeader().setSortIndicator(3, Qt.SortOrder.DescendingOrder)
        self.restore_button = QPushButton("Khôi phục")
        self.summary = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Bản ghi đã xóa được giữ ở đây; chọn một dòng rồi bấm Khôi phục (hoặc Enter)."))
        layout.addWidget(self.table)
        layout.addLayout(bar)
        self.restore_button.clicked.connect(self.restore_selected)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        bind_keys(self.table, (Qt.Key.Key_Return, self.restore_selected), (Qt.Key.Key_Enter, self.restore_selected))
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(recycle_bin.list_deleted(self.workspace))
        count = self.model.rowCount()
        self.summary.setText(f"{count} bản ghi trong thùng rác" if count else "Thùng rác trống")
        self.restore_button.setEnabled(count > 0)
        if count:
            self.table.selectRow(0)

    def restore_selected(self) -> None:
        row = selected_row(self.table)
        if row < 0:
            return
        record = self.model.row_at(row)
        try:
            recycle_bin.restore(self.workspace, record)
        except (UserError, ValidationError) as error:
            messages.warn(self, "Không khôi phục được", str(error))
            return
        self.reload()
        self.changed.emit()
