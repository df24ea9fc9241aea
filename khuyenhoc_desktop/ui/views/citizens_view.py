"""Learning citizens (Công dân học tập) of the working year: who is on the list, their points and result,
and where each result came from (typed here or an imported file)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.household import SEX_LABELS
from khuyenhoc_desktop.domain.text import fold
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services import citizens, evaluations
from khuyenhoc_desktop.services.citizens import CitizenResultRow
from khuyenhoc_desktop.services.units import list_units
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.dialogs.citizen_dialog import MemberPickerDialog, UnitStaffDialog
from khuyenhoc_desktop.ui.dialogs.citizen_import_dialog import CitizenImportDialog
from khuyenhoc_desktop.ui.dialogs.score_dialog import ScoreDialog
from khuyenhoc_desktop.ui.models.evaluation_models import FAILED_COLOR, PASSED_COLOR
from khuyenhoc_desktop.ui.models.table_model import Column, Index, RowTableModel, birth_year_column
from khuyenhoc_desktop.ui.views.table_view import bind_keys, register_table, select_record, selected_row

TYPED_SOURCE = "Nhập tay"


class CitizenResultsModel(RowTableModel[CitizenResultRow]):
    COL_NAME, COL_BIRTH_YEAR, COL_SEX, COL_LINK, COL_HAMLET, COL_TOTAL, COL_RESULT, COL_SOURCE = range(8)
    COLUMNS = (
        Column[CitizenResultRow](
            "Họ tên", lambda r: r.full_name, lambda r: r.name_sort, tooltip="Xếp theo tên, rồi họ và tên đệm", width=190
        ),
        birth_year_column(75),
        Column[CitizenResultRow]("Giới tính", lambda r: SEX_LABELS.get(r.sex, r.sex), width=70),
        Column[CitizenResultRow]("Thuộc hộ / đơn vị", lambda r: r.link_label, width=230),
        Column[CitizenResultRow]("Ấp", lambda r: r.hamlet_name, width=130),
        Column[CitizenResultRow](
            "Tổng điểm",
            lambda r: "" if r.total is None else str(r.total),
            lambda r: -1 if r.total is None else r.total,
            align_right=True,
            width=80,
        ),
        Column[CitizenResultRow]("Kết quả", lambda r: r.result_text, width=300),
        Column[CitizenResultRow]("Nguồn", lambda r: (r.source or TYPED_SOURCE) if r.evaluation_id else ""),
    )

    def set_query(self, text: str) -> None:
        words = fold(text).split()
        self.set_filter((lambda r: all(w in r.search_key for w in words)) if words else None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.column() == self.COL_RESULT:
            passed = self.row_at(index.row()).passed
            return None if passed is None else PASSED_COLOR if passed else FAILED_COLOR
        return super().data(index, role)


class CitizensView(QWidget):
    changed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.year = workspace.working_year

        self.heading = QLabel()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm theo họ tên, năm sinh, mã hộ, đơn vị, ấp (gõ không dấu được) — Ctrl+F")
        self.search.setClearButtonEnabled(True)
        self.add_member_button = QPushButton("Thêm từ sổ hộ…")
        self.add_unit_button = QPushButton("Thêm người của đơn vị…")
        self.score_button = QPushButton("Chấm điểm…")
        self.import_button = QPushButton("Nhập từ tệp…")
        self.delete_button = QPushButton("Xóa kết quả")
        self.model = CitizenResultsModel()
        self.table = register_table(self.model, self)
        self.table.setObjectName("citizens_table")
        self.table.setTabKeyNavigation(False)
        self.count_label = QLabel()

        buttons = QHBoxLayout()
        for button in (self.add_member_button, self.add_unit_button, self.score_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addWidget(self.count_label)

        self.search.textChanged.connect(self._apply_filter)
        self.search.returnPressed.connect(self.table.setFocus)
        self.add_member_button.clicked.connect(self.add_from_member)
        self.add_unit_button.clicked.connect(self.add_unit_staff)
        self.score_button.clicked.connect(self.score)
        self.import_button.clicked.connect(self.import_file)
        self.delete_button.clicked.connect(self.delete)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.score())
        bind_keys(
            self.table,
            (Qt.Key.Key_Return, self.score),
            (Qt.Key.Key_Enter, self.score),
            (Qt.Key.Key_Delete, self.delete),
        )
        self.reload()

    # -- loading ------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the working year's list (after undo, a restore, or a change of year), keeping the selection."""
        keep = self.current()
        self.year = self.workspace.working_year
        self.heading.setText(f"<b>Công dân học tập năm {self.year}</b>")
        self.model.set_rows(citizens.list_results(self.workspace, self.year))
        self._apply_filter()
        if not (keep is not None and self.select(keep.citizen_id)) and self.model.rowCount():
            self.table.selectRow(0)
        self._selection_changed()

    def _apply_filter(self) -> None:
        self.model.set_query(self.search.text())
        shown, total = self.model.rowCount(), self.model.total()
        rows = self.model.rows()
        passed = sum(1 for r in rows if r.passed)
        scored = sum(1 for r in rows if r.passed is not None)
        lead = f"{total} người" if shown == total else f"Tìm thấy {shown} / {total} người"
        self.count_label.setText(f"{lead}; {scored} người có kết quả năm {self.year}, {passed} người đạt.")
        self._selection_changed()

    def current(self) -> CitizenResultRow | None:
        row = selected_row(self.table)
        return self.model.row_at(row) if row >= 0 else None

    def certificate_selection(self) -> tuple[str, list[str]]:
        current = self.current()
        return Title.CITIZEN, [] if current is None else [current.citizen_id]

    def select(self, citizen_id: str) -> bool:
        return select_record(self.table, citizen_id)

    def _selection_changed(
        self, _selected: QItemSelection | None = None, _deselected: QItemSelection | None = None
    ) -> None:
        current = self.current()
        self.score_button.setEnabled(current is not None)
        self.delete_button.setEnabled(current is not None)
        self.delete_button.setText(
            "Xóa khỏi danh sách" if current is not None and current.evaluation_id is None else "Xóa kết quả"
        )

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _saved(self, citizen_id: str) -> None:
        self.model.upsert_rows(citizens.list_results(self.workspace, self.year, [citizen_id]))
        self._apply_filter()
        if not self.select(citizen_id):
            self.search.clear()  # hidden by the search: clear it to show the row
            self.select(citizen_id)
        self.table.setFocus()  # Enter now scores the person just added or scored
        self.changed.emit()

    # -- adding -------------------------------------------------------------------------------------
    def add_from_member(self) -> None:
        dialog = MemberPickerDialog(self.workspace, self)
        if not dialog.exec() or dialog.chosen_id is None:
            return
        try:
            citizen_id = citizens.add_citizen_from_member(self.workspace, dialog.chosen_id)
        except UserError as error:
            messages.warn(self, "Không thêm được", str(error))
            return
        self._saved(citizen_id)

    def add_unit_staff(self) -> None:
        units = list_units(self.workspace)
        if not units:
            messages.inform(self, "Chưa có đơn vị", "Sổ đơn vị chưa có đơn vị nào: hãy thêm đơn vị ở mục Đơn vị trước.")
            return
        dialog = UnitStaffDialog(self.workspace, units, self)
        if dialog.exec() and dialog.saved_id:
            self._saved(dialog.saved_id)

    # -- results ------------------------------------------------------------------------------------
    def score(self) -> None:
        """The evaluations' scoring form; a citizen not yet on the year's list is put on it first (đăng ký)."""
        current = self.current()
        if current is None:
            return
        try:
            evaluation_id = current.evaluation_id or self._register(current)
            form = evaluations.score_form(self.workspace, evaluation_id)
        except UserError as error:
            messages.warn(self, "Không chấm điểm được", str(error))
            return
        dialog = ScoreDialog(self.workspace, form, self)
        dialog.exec()
        if current.evaluation_id is None or dialog.outcome is not None:
            self._saved(current.citizen_id)

    def _register(self, row: CitizenResultRow) -> str:
        registered_on = evaluations.default_registration_date(self.year)
        (evaluation_id,) = evaluations.register(
            self.workspace, Title.CITIZEN, self.year, [row.citizen_id], registered_on
        )
        return evaluation_id

    def import_file(self) -> None:
        dialog = CitizenImportDialog(self.workspace, self)
        if dialog.exec() and dialog.report is not None:
            self.reload()
            self.changed.emit()

    def delete(self) -> None:
        current = self.current()
        if current is None:
            return
        whole = current.evaluation_id is None  # nothing for the year: the person leaves the list
        if whole:
            question = f"Bỏ {current.full_name} khỏi danh sách Công dân học tập?"
        else:
            question = f"Xóa kết quả năm {self.year} của {current.full_name} (chuyển vào thùng rác)?"
        if not messages.confirm(self, "Xóa", question + "\nCó thể hoàn tác bằng Ctrl+Z.", yes="Xóa"):
            return
        row = selected_row(self.table)
        try:
            if whole:
                citizens.delete_citizen(self.workspace, current.citizen_id)
            else:
                citizens.delete_result(self.workspace, current.citizen_id, self.year)
        except UserError as error:
            messages.warn(self, "Không xóa được", str(error))
            return
        if whole:
            self.model.remove_ids({current.citizen_id})
        else:
            self.model.upsert_rows(citizens.list_results(self.workspace, self.year, [current.citizen_id]))
        self._apply_filter()
        if self.model.rowCount():
            self.table.selectRow(min(row, self.model.rowCount() - 1))
        self.changed.emit()
