"""Adding learning citizens: pick a household member from the households register, or type a unit's staff
member. (Scoring uses the evaluations' own ScoreDialog.)"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from khuyenhoc_desktop.domain.household import MEMBER_FIELD_LABELS, SEX_LABELS
from khuyenhoc_desktop.services import citizens
from khuyenhoc_desktop.services.citizens import MemberChoice
from khuyenhoc_desktop.services.units import UnitRow
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.delegates.editors import set_year, year_of, year_spin_box
from khuyenhoc_desktop.ui.dialogs.pick_dialog import PickDialog
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog, choice_box
from khuyenhoc_desktop.ui.models.table_model import Column, SearchableModel, birth_year_column


class MemberChoicesModel(SearchableModel[MemberChoice]):
    COLUMNS = (
        Column[MemberChoice]("Họ tên", lambda r: r.full_name, lambda r: r.name_sort, width=190),
        birth_year_column(75),
        Column[MemberChoice]("Giới tính", lambda r: SEX_LABELS.get(r.sex, r.sex), width=70),
        Column[MemberChoice]("Mã hộ", lambda r: r.household_code, lambda r: r.household_code, width=70),
        Column[MemberChoice]("Chủ hộ", lambda r: r.head_name, width=170),
        Column[MemberChoice]("Ấp", lambda r: r.hamlet_name, width=130),
        Column[MemberChoice]("Công dân học tập", lambda r: "Đã có trong danh sách" if r.citizen_id else ""),
    )


class MemberPickerDialog(PickDialog):
    """Type part of a name (accents optional), arrows to choose, Enter to add."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(
            "Thêm công dân từ sổ hộ",
            MemberChoicesModel(),
            citizens.list_member_choices(workspace),
            "Tìm theo họ tên, năm sinh, mã hộ, chủ hộ, ấp (gõ không dấu được)",
            "Thêm",
            "Mũi tên lên/xuống để chọn người, Enter để thêm vào danh sách Công dân học tập.",
            parent,
        )
        self.resize(860, 520)
        self.table.setObjectName("member_choices")
        self.count = QLabel()
        self.extras.addWidget(self.count)
        self.start()

    def filtered(self) -> None:
        shown, total = self.model.rowCount(), self.model.total()
        self.count.setText(f"{total} người trong sổ hộ" if shown == total else f"Tìm thấy {shown} / {total} người")


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
