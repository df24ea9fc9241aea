"""Add or edit a household (with its head), and add a member to one."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from khuyenhoc_desktop.domain.household import (
    HOUSEHOLD_FIELD_LABELS,
    LEARNING_STATUS_LABELS,
    MEMBER_FIELD_LABELS,
    RELATION_LABELS,
    SEX_LABELS,
    HouseholdInput,
    MemberInput,
    Relation,
    format_phone,
)
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.delegates.editors import set_year, year_of, year_spin_box
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog, choice_box, select_data


class HouseholdDialog(RecordFormDialog):
    def __init__(self, workspace: Workspace, household_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Sửa hộ gia đình" if household_id else "Thêm hộ gia đình", parent)
        self.workspace = workspace
        self.household_id = household_id
        self.saved_id: str | None = None
        labels = HOUSEHOLD_FIELD_LABELS
        self.code = QLineEdit()
        self.code.setMaxLength(20)
        self.head_name = QLineEdit()
        self.head_birth_year = year_spin_box()
        self.head_sex = choice_box(SEX_LABELS)
        self.hamlet = QComboBox()
        self.hamlet.addItem("— Chọn ấp —", "")
        for hamlet in list_hamlets(workspace):
            self.hamlet.addItem(hamlet.name, hamlet.id)
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("Ví dụ: 0909 123 456")
        self.note = QLineEdit()
        self.add_field("code", labels["code"], self.code, required=True)
        self.add_field("head_name", labels["head_name"], self.head_name, required=True)
        self.add_field("head_birth_year", labels["head_birth_year"], self.head_birth_year)
        self.add_field("head_sex", labels["head_sex"], self.head_sex)
        self.add_field("hamlet_id", labels["hamlet_id"], self.hamlet, required=True)
        self.add_field("address", labels["address"], self.address)
        self.add_field("phone", labels["phone"], self.phone)
        self.add_field("note", labels["note"], self.note)
        self._load()
        self.head_name.setFocus()

    def _load(self) -> None:
        if self.household_id is None:
            self.code.setText(household_service.next_household_code(self.workspace))
            set_year(self.head_birth_year, None)
            return
        data = household_service.household_input(self.workspace, self.household_id)
        self.code.setText(data.code)
        self.head_name.setText(data.head_name)
        set_year(self.head_birth_year, data.head_birth_year)
        select_data(self.head_sex, data.head_sex)
        select_data(self.hamlet, data.hamlet_id)
        self.address.setText(data.address)
        self.phone.setText(format_phone(data.phone))
        self.note.setText(data.note)

    def value(self) -> HouseholdInput:
        return HouseholdInput(
            code=self.code.text(),
            head_name=self.head_name.text(),
            hamlet_id=self.hamlet.currentData() or "",
            head_birth_year=year_of(self.head_birth_year),
            head_sex=self.head_sex.currentData(),
            address=self.address.text(),
            phone=self.phone.text(),
            note=self.note.text(),
        )

    def write(self) -> None:
        if self.household_id is None:
            self.saved_id = household_service.create_household(self.workspace, self.value())
        else:
            household_service.update_household(self.workspace, self.household_id, self.value())
            self.saved_id = self.household_id


class MemberDialog(RecordFormDialog):
    def __init__(
        self, workspace: Workspace, household_id: str, household_code: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(f"Thêm thành viên vào hộ {household_code}", parent)
        self.workspace = workspace
        self.household_id = household_id
        self.saved_id: str | None = None
        labels = MEMBER_FIELD_LABELS
        self.full_name = QLineEdit()
        self.birth_year = year_spin_box()
        set_year(self.birth_year, None)
        self.sex = choice_box(SEX_LABELS)
        self.relation = choice_box({k: v for k, v in RELATION_LABELS.items() if k != Relation.HEAD})
        self.school = QLineEdit()
        self.school.setPlaceholderText("Ví dụ: Trường Tiểu học Phước Vĩnh Tây, lớp 3A")
        self.learning_status = choice_box(LEARNING_STATUS_LABELS)
        select_data(self.relation, Relation.CHILD)
        select_data(self.learning_status, "khong_di_hoc")
        self.add_field("full_name", labels["full_name"], self.full_name, required=True)
        self.add_field("birth_year", labels["birth_year"], self.birth_year)
        self.add_field("sex", labels["sex"], self.sex)
        self.add_field("relation", labels["relation"], self.relation)
        self.add_field("school", labels["school"], self.school)
        self.add_field("learning_status", labels["learning_status"], self.learning_status)
        self.full_name.setFocus()

    def value(self) -> MemberInput:
        return MemberInput(
            full_name=self.full_name.text(),
            birth_year=year_of(self.birth_year),
            sex=self.sex.currentData(),
            relation=self.relation.currentData(),
            school=self.school.text(),
            learning_status=self.learning_status.currentData(),
        )

    def write(self) -> None:
        self.saved_id = household_service.add_member(self.workspace, self.household_id, self.value())
