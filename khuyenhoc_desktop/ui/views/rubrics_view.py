"""The rubrics page: every version of every title's rubric, which years it applies to and whether it has
been used; open one to edit it, copy it into a new version, or delete an unused one."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.text import sort_key
from khuyenhoc_desktop.domain.titles import TITLE_LABELS
from khuyenhoc_desktop.services import rubrics as rubric_service
from khuyenhoc_desktop.services.rubrics import RubricRow
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.dialogs.rubric_editor import RubricEditor
from khuyenhoc_desktop.ui.models.table_model import Column, RowTableModel
from khuyenhoc_desktop.ui.views.table_view import bind_keys, register_table, select_record, selected_row

_TITLE_ORDER = {title: i for i, title in enumerate(TITLE_LABELS)}


def validity_text(row: RubricRow) -> str:
    """ "2016 – nay", "2016 – 2020", "2025" """
    if row.valid_to is None:
        return f"{row.valid_from} – nay"
    return str(row.valid_from) if row.valid_to == row.valid_from else f"{row.valid_from} – {row.valid_to}"


class RubricsModel(RowTableModel[RubricRow]):
    COL_TITLE, COL_NAME, COL_VERSION, COL_PASS, COL_TOTAL, COL_VALIDITY, COL_USED = range(7)
    COLUMNS = (
        Column[RubricRow](
            "Danh hiệu",
            lambda r: r.title_label,
            lambda r: (_TITLE_ORDER.get(r.title, len(_TITLE_ORDER)), sort_key(r.name), r.version),
            width=260,
        ),
        Column[RubricRow]("Tên", lambda r: r.name, width=280),
        Column[RubricRow]("Phiên bản", lambda r: str(r.version), lambda r: r.version, align_right=True, width=80),
        Column[RubricRow]("Điểm đạt", lambda r: str(r.pass_mark), lambda r: r.pass_mark, align_right=True, width=80),
        Column[RubricRow]("Tổng điểm", lambda r: str(r.max_points), lambda r: r.max_points, align_right=True, width=80),
        Column[RubricRow](
            "Áp dụng", validity_text, lambda r: (r.valid_from, r.valid_to or 9999), tooltip="Các năm áp dụng", width=120
        ),
        Column[RubricRow](
            "Đã dùng",
            lambda r: "Có" if r.used else "Chưa",
            lambda r: r.used,
            tooltip="Đã dùng để chấm thì không sửa trực tiếp: khi lưu sẽ tạo phiên bản mới",
        ),
    )


class RubricsView(QWidget):
    changed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.title_filter = QComboBox()
        self.title_filter.addItem("Tất cả danh hiệu", "")
        for title, label in TITLE_LABELS.items():
            self.title_filter.addItem(label, str(title))
        self.edit_button = QPushButton("Xem, sửa…")
        self.copy_button = QPushButton("Sao chép thành phiên bản mới")
        self.delete_button = QPushButton("Xóa")
        self.model = RubricsModel()
        self.table = register_table(self.model)
        self.table.setObjectName("rubrics_table")
        self.table.setTabKeyNavigation(False)
        self.count_label = QLabel()

        top = QHBoxLayout()
        top.addWidget(QLabel("Danh hiệu:"))
        top.addWidget(self.title_filter, 1)
        top.addStretch(1)
        top.addWidget(self.edit_button)
        top.addWidget(self.copy_button)
        top.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.count_label)
        hint = QLabel(
            "Khi chấm một năm, phần mềm dùng bộ tiêu chí áp dụng cho năm đó (bắt đầu áp dụng muộn nhất, rồi phiên "
            "bản cao nhất). Bộ tiêu chí đã dùng để chấm không bị sửa: khi lưu, các thay đổi thành phiên bản mới."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)

        self.title_filter.currentIndexChanged.connect(self._apply_filter)
        self.edit_button.clicked.connect(self.edit_rubric)
        self.copy_button.clicked.connect(self.copy_rubric)
        self.delete_button.clicked.connect(self.delete_rubric)
        self.table.doubleClicked.connect(lambda _index: self.edit_rubric())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        bind_keys(
            self.table,
            (Qt.Key.Key_Return, self.edit_rubric),
            (Qt.Key.Key_Enter, self.edit_rubric),
            (Qt.Key.Key_Delete, self.delete_rubric),
        )
        self.reload()

    def reload(self) -> None:
        keep = self.current_rubric()
        self.model.set_rows(rubric_service.list_rubrics(self.workspace))
        self._apply_filter()
        if keep is not None:
            self.select_rubric(keep.id)

    def _apply_filter(self) -> None:
        title = self.title_filter.currentData() or ""
        self.model.set_filter((lambda row: row.title == title) if title else None)
        self.count_label.setText(f"{self.model.rowCount()} bộ tiêu chí")
        if selected_row(self.table) < 0 and self.model.rowCount():
            self.table.selectRow(0)
        self._enable()

    def _enable(self) -> None:
        row = self.current_rubric()
        for button in (self.edit_button, self.copy_button):
            button.setEnabled(row is not None)
        self.delete_button.setEnabled(row is not None and not row.used)
        self.delete_button.setToolTip(
            "Bộ tiêu chí đã dùng để chấm thì không xóa được" if row is not None and row.used else ""
        )

    def current_rubric(self) -> RubricRow | None:
        row = selected_row(self.table)
        return self.model.row_at(row) if row >= 0 else None

    def select_rubric(self, rubric_id: str) -> bool:
        if select_record(self.table, rubric_id):
            return True
        self.title_filter.setCurrentIndex(0)  # it may be hidden by the title filter
        return select_record(self.table, rubric_id)

    def _saved(self, rubric_id: str) -> None:
        self.reload()
        self.select_rubric(rubric_id)
        self.table.setFocus()
        self.changed.emit()

    def edit_rubric(self) -> None:
        row = self.current_rubric()
        if row is None:
            return
        dialog = RubricEditor(self.workspace, row.id, parent=self)
        if dialog.exec() and dialog.saved_id:
            self._saved(dialog.saved_id)

    def copy_rubric(self) -> None:
        row = self.current_rubric()
        if row is None:
            return
        self._saved(rubric_service.copy_as_new_version(self.workspace, row.id))

    def delete_rubric(self) -> None:
        row = self.current_rubric()
        if row is None:
            return
        # A used one is refused by the service with the reason; no point asking first.
        if not row.used and not messages.confirm(
            self,
            "Xóa bộ tiêu chí",
            f"Chuyển bộ tiêu chí «{row.name}» phiên bản {row.version} vào thùng rác?\nCó thể hoàn tác bằng Ctrl+Z.",
            yes="Xóa",
        ):
            return
        try:
            rubric_service.delete_rubric(self.workspace, row.id)
        except UserError as error:
            messages.warn(self, "Không xóa được", str(error))
            return
        self.reload()
        self.changed.emit()
