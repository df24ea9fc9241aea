"""Adding learning citizens: pick a household member from the households register, or type a unit's staff
member. (Scoring uses the evaluations' own ScoreDialog.)"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.household import MEMBER_FIELD_LABELS, SEX_LABELS
from khuyenhoc_desktop.domain.text import fold
from khuyenhoc_desktop.services import citizens
from khuyenhoc_desktop.services.citizens import MemberChoice
from khuyenhoc_desktop.services.units import UnitRow
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.delegates.editors import set_year, year_of, year_spin_box
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog, choice_box
from khuyenhoc_desktop.ui.models.table_model import Column, RowTableModel
from khuyenhoc_desktop.ui.views.table_view import register_table, selected_row


def year_text(year: int | None) -> str:
    return str(year) if year else ""


class MemberChoicesModel(RowTableModel[MemberChoice]):
    COLUMNS = (
        Column[MemberChoice]("Họ tên", lambda r: r.full_name, lambda r: r.name_sort, width=190),
        Column[MemberChoice](
            "Năm sinh", lambda r: year_text(r.birth_year), lambda r: r.birth_year or 0, align_right=True, width=75
        ),
        Column[MemberChoice]("Giới tính", lambda r: SEX_LABELS.get(r.sex, r.sex), width=70),
        Column[MemberChoice]("Mã hộ", lambda r: r.household_code, lambda r: r.household_code, width=70),
        Column[MemberChoice]("Chủ hộ", lambda r: r.head_name, width=170),
        Column[MemberChoice]("Ấp", lambda r: r.hamlet_name, width=130),
        Column[MemberChoice]("Công dân học tập", lambda r: "Đã có trong danh sách" if r.citizen_id else ""),
    )

    def set_query(self, text: str) -> None:
        words = fold(text).split()
        self.set_filter((lambda r: all(w in r.search_key for w in words)) if words else None)


class MemberPickerDialog(QDialog):
    """Type part of a name (accents optional), arrows to choose, Enter to add."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Thêm công dân từ sổ hộ")
        self.resize(860, 520)
        self.member_id: str | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm theo họ tên, năm sinh, mã hộ, chủ hộ, ấp (gõ không dấu được)")
        self.search.setClearButtonEnabled(True)
        self.model = MemberChoicesModel()
        self.model.set_rows(citizens.list_member_choices(workspace))
        self.table = register_table(self.model, self)
        self.table.setObjectName("member_choices")
        self.count = QLabel()
        buttons = QDialogButtonBox()
        self.add_button = QPushButton("Thêm")
        self.add_button.setDefault(True)
        buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QPushButton("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.choose)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        layout.addWidget(self.count)
        layout.addWidget(QLabel("Mũi tên lên/xuống để chọn người, Enter để thêm vào danh sách Công dân học tập."))
        layout.addWidget(buttons)
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.table.doubleClicked.connect(lambda _index: self.choose())
        self._filter()
        self.search.setFocus()

    def _filter(self) -> None:
        self.model.set_query(self.search.text())
        shown, total = self.model.rowCount(), self.model.total()
        self.count.setText(f"{total} người trong sổ hộ" if shown == total else f"Tìm thấy {shown} / {total} người")
        if shown:
            self.table.selectRow(0)
        self.add_button.setEnabled(shown > 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up and Down move through the list while the cursor stays in the search field."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step is not None and self.model.rowCount():
                row = min(max(selected_row(self.table) + step, 0), self.model.rowCount() - 1)
                self.table.selectRow(row)
                return True
        return super().eventFilter(watched, event)

    def choose(self) -> None:
        row = selected_row(self.table)
        if row < 0:
            return
        self.member_id = self.model.row_at(row).id
        self.accept()


class UnitStaffDialog(RecordFormDialog):
    """A unit's staff member who is no household member of the commune (teachers living elsewhere…)."""

    def __init__(self, workspace: Workspace, units: list[UnitRow], parent: QWidget | None = None) -> None:
        super().__init__("Thêm công dân là người của đơn vị", parent)
        self.workspace = workspace
        self.saved_id: str | None = None
        self.unit = QComboBox()
        for unit in units:
            self.unit.addItem(unit.name + (f" — {unit.hamlet_name}" if unit.hamlet_name else ""), unit.id)
        self.full_name = QLineEdit()
        self.birth_year = year_spin_box()
        set_year(self.birth_year, None)
        self.sex = choice_box(SEX_LABELS)
        self.add_field("unit_id", "Đơn vị", self.unit, required=True)
        self.add_field("full_name", MEMBER_FIELD_LABELS["full_name"], self.full_name, required=True)
        self.add_field("birth_year", MEMBER_FIELD_LABELS["birth_year"], self.birth_year)
        self.add_field("sex", MEMBER_FIELD_LABELS["sex"], self.sex)
        self.unit.setFocus()

    def write(self) -> None:
        self.saved_id = citizens.add_citizen_in_unit(
            self.workspace,
            self.unit.currentData(),
            self.full_name.text(),
            year_of(self.birth_year),
            self.sex.currentData(),
        )
