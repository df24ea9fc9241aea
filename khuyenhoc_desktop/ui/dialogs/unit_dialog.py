"""Add or edit a unit (school, agency, cooperative, enterprise)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from khuyenhoc_desktop.domain.household import format_phone
from khuyenhoc_desktop.domain.unit import MAX_STAFF_COUNT, UNIT_FIELD_LABELS, UNIT_KIND_LABELS, UnitInput
from khuyenhoc_desktop.services import units as unit_service
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog, choice_box, select_data


class UnitDialog(RecordFormDialog):
    def __init__(self, workspace: Workspace, unit_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Sửa đơn vị" if unit_id else "Thêm đơn vị", parent)
        self.workspace = workspace
        self.unit_id = unit_id
        self.saved_id: str | None = None
        labels = UNIT_FIELD_LABELS
        self.name = QLineEdit()
        self.name.setPlaceholderText("Ví dụ: Trường Tiểu học Phước Vĩnh Tây")
        self.kind = choice_box(UNIT_KIND_LABELS, first=("", "— Chọn loại đơn vị —"))
        self.head_name = QLineEdit()
        self.head_name.setPlaceholderText("Hiệu trưởng, thủ trưởng, giám đốc…")
        self.staff_count = QSpinBox()
        self.staff_count.setRange(0, MAX_STAFF_COUNT)
        self.staff_count.setToolTip("Số cán bộ, giáo viên, nhân viên, xã viên")
        self.hamlet = QComboBox()
        self.hamlet.addItem("— Cả xã (không thuộc ấp nào) —", "")
        for hamlet in list_hamlets(workspace):
            self.hamlet.addItem(hamlet.name, hamlet.id)
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("Ví dụ: 0272 3870 123")
        self.note = QLineEdit()
        self.add_field("name", labels["name"], self.name, required=True)
        self.add_field("kind", labels["kind"], self.kind, required=True)
        self.add_field("head_name", labels["head_name"], self.head_name)
        self.add_field("staff_count", labels["staff_count"], self.staff_count)
        self.add_field("hamlet_id", labels["hamlet_id"], self.hamlet)
        self.add_field("address", labels["address"], self.address)
        self.add_field("phone", labels["phone"], self.phone)
        self.add_field("note", labels["note"], self.note)
        self._load()
        self.name.setFocus()

    def _load(self) -> None:
        if self.unit_id is None:
            return
        data = unit_service.unit_input(self.workspace, self.unit_id)
        self.name.setText(data.name)
        select_data(self.kind, data.kind)
        self.head_name.setText(data.head_name)
        self.staff_count.setValue(data.staff_count)
        if data.hamlet_id and self.hamlet.findData(data.hamlet_id) < 0:
            # Its hamlet was removed from the list since: keep the link rather than drop it on save.
            (row,) = unit_service.list_units(self.workspace, [self.unit_id])
            self.hamlet.addItem(f"{row.hamlet_name} (đã xóa khỏi danh sách ấp)", data.hamlet_id)
        select_data(self.hamlet, data.hamlet_id or "")
        self.address.setText(data.address)
        self.phone.setText(format_phone(data.phone))
        self.note.setText(data.note)

    def value(self) -> UnitInput:
        return UnitInput(
            name=self.name.text(),
            kind=self.kind.currentData(),
            head_name=self.head_name.text(),
            staff_count=self.staff_count.value(),
            hamlet_id=self.hamlet.currentData() or None,
            address=self.address.text(),
            phone=self.phone.text(),
            note=self.note.text(),
        )

    def write(self) -> None:
        if self.unit_id is None:
            self.saved_id = unit_service.create_unit(self.workspace, self.value())
        else:
            unit_service.update_unit(self.workspace, self.unit_id, self.value())
            self.saved_id = self.unit_id
