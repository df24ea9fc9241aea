"""What a consolidating office consolidates: its level, its code and name, and (below the province) the communes
whose packages it receives. Used by the set-up wizard, and on its own when an office folder lacks it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain import admin_units
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.text import fold, matches
from khuyenhoc_desktop.services import office as office_service
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages

LEVEL_HINTS = {
    office_service.Level.PROVINCE: "Nhận gói của mọi xã, phường trong tỉnh.",
    office_service.Level.DISTRICT: "Huyện cũ vẫn tổng hợp: đánh dấu các xã, phường thuộc huyện.",
    office_service.Level.CLUSTER: "Cụm xã, phường: đánh dấu các xã, phường trong cụm.",
}


class OfficeForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.province_code = ""
        self.level_buttons: dict[str, QRadioButton] = {}
        group = QButtonGroup(self)
        for level, label in office_service.LEVEL_LABELS.items():
            button = QRadioButton(f"{label} — {LEVEL_HINTS[level]}")
            self.level_buttons[level] = button
            group.addButton(button)
        self.level_buttons[office_service.Level.PROVINCE].setChecked(True)
        self.code = QLineEdit()
        self.code.setPlaceholderText("ví dụ: CG (Cần Giuộc cũ), CUM-1")
        self.name = QLineEdit()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Tìm xã, phường (gõ không dấu cũng được)")
        self.communes = QListWidget()
        self.count = QLabel()

        self._fields = form = QFormLayout()
        form.addRow("Mã cơ quan:", self.code)
        form.addRow("Tên cơ quan:", self.name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button in self.level_buttons.values():
            layout.addWidget(button)
        layout.addLayout(form)
        layout.addWidget(self.filter)
        layout.addWidget(self.communes, 1)
        layout.addWidget(self.count)
        group.buttonToggled.connect(self._level_changed)
        self.filter.textChanged.connect(self._filter)
        self.communes.itemChanged.connect(self._count)
        self._level_changed()

    def level(self) -> str:
        return next(level for level, button in self.level_buttons.items() if button.isChecked())

    def set_province(self, province_code: str) -> None:
        """List the province's communes to pick from; ticks survive when the province stays the same."""
        if province_code == self.province_code:
            return
        self.province_code = province_code
        self.communes.blockSignals(True)
        self.communes.clear()
        for unit in admin_units.communes(province_code) if province_code else ():
            item = QListWidgetItem(f"{unit.name} ({unit.code})")
            item.setData(Qt.ItemDataRole.UserRole, unit.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.communes.addItem(item)
        self.communes.blockSignals(False)
        if province_code and not self.name.text().strip():
            self.name.setPlaceholderText(admin_units.province(province_code).name)
        self._filter()
        self._count()

    def chosen_codes(self) -> list[str]:
        items = (self.communes.item(row) for row in range(self.communes.count()))
        return [str(i.data(Qt.ItemDataRole.UserRole)) for i in items if i.checkState() == Qt.CheckState.Checked]

    def _arguments(self) -> tuple[str, str, str, list[str] | None]:
        level = self.level()
        if level == office_service.Level.PROVINCE:
            return level, self.province_code, self.name.text(), None
        return level, self.code.text(), self.name.text(), self.chosen_codes()

    def plan(self) -> office_service.OfficePlan:
        """The office as typed, checked without writing; UserError names what is missing."""
        return office_service.plan_office(*self._arguments())

    def store(self, workspace: Workspace) -> office_service.OfficeInfo:
        return office_service.init_office(workspace, *self._arguments())

    def _level_changed(self) -> None:
        below_province = self.level() != office_service.Level.PROVINCE
        for widget in (self.code, self.filter, self.communes, self.count):
            widget.setVisible(below_province)
        self._fields.setRowVisible(0, below_province)
        self.name.setPlaceholderText(
            "" if below_province or not self.province_code else admin_units.province(self.province_code).name
        )

    def _filter(self) -> None:
        typed = self.filter.text()
        for row in range(self.communes.count()):
            item = self.communes.item(row)
            item.setHidden(bool(typed) and not matches(fold(item.text()), typed))

    def _count(self) -> None:
        self.count.setText(f"Đã chọn {len(self.chosen_codes())} xã, phường.")


class OfficeSetupDialog(QDialog):
    """For an office folder set up before the office's level and communes were asked: ask them now."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Thiết lập cơ quan tổng hợp")
        self.resize(640, 560)
        self.form = OfficeForm(self)
        profile = workspace.profile
        self.form.set_province(profile.province_code if profile else "")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Lưu")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Để sau")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            self.form.store(self.workspace)
        except UserError as error:
            messages.warn(self, "Chưa lưu được", str(error))
            return
        super().accept()
