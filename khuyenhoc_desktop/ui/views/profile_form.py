"""The profile fields, written once for both the first-run wizard and the Settings dialog.

The wizard spreads the fields over several pages, so the form is built from `sections` (group boxes) that a
caller may lay out elsewhere; the form object keeps the rules that tie fields together (the role switches
the commune off, the commune prefills the association name) wherever the sections end up.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain import admin_units
from khuyenhoc_desktop.domain.admin_units import AdminUnit
from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.profile import (
    MIN_WORKING_YEAR,
    PROFILE_FIELD_LABELS,
    ROLE_LABELS,
    ProfileInput,
    Role,
    default_association_name,
)
from khuyenhoc_desktop.domain.text import fold

ERROR_STYLE = "color: #b00020; font-weight: bold;"
SIGNER_TITLES = ("Chủ tịch", "Phó Chủ tịch", "Chủ tịch UBND xã")

SECTION_ROLE = "role"
SECTION_PLACE = "place"
SECTION_PEOPLE = "people"

_FOLDED_ROLE = Qt.ItemDataRole.UserRole + 1


def error_label() -> QLabel:
    """The red line under a group of fields that says what to fix; hidden while there is nothing to say."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def show_message(label: QLabel, error: ValidationError) -> None:
    label.setText(str(error))
    label.show()


class _FoldingCompleter(QCompleter):
    """Matches what is typed against names stripped of diacritics, so "tay ninh" finds "Tây Ninh".

    Officers often type without a Vietnamese keyboard layout switched on; the combo stores a folded copy of
    each name and the typed text is folded the same way before matching.
    """

    def __init__(self, combo: QComboBox) -> None:
        super().__init__(combo.model(), combo)
        self.setCompletionRole(_FOLDED_ROLE)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def splitPath(self, path: str) -> list[str]:
        return [fold(path)]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return index.data(Qt.ItemDataRole.DisplayRole)


def _searchable_combo(placeholder: str) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.setMaxVisibleItems(15)
    combo.setCompleter(_FoldingCompleter(combo))
    combo.lineEdit().setPlaceholderText(placeholder)
    return combo


def _fill(combo: QComboBox, units: Iterable[AdminUnit]) -> None:
    combo.blockSignals(True)
    combo.clear()
    for unit in units:
        combo.addItem(unit.name, unit.code)
        combo.setItemData(combo.count() - 1, fold(unit.name), _FOLDED_ROLE)
    combo.setCurrentIndex(-1)
    combo.blockSignals(False)


def _select(combo: QComboBox, code: str) -> None:
    combo.setCurrentIndex(combo.findData(code))
    if not code:
        combo.setEditText("")


def _named_index(combo: QComboBox) -> int:
    """The unit the box names: the one picked from the list, else the one whose name the typed text
    spells in full ignoring accents (so "tay ninh" counts as choosing Tây Ninh); -1 when none."""
    typed = fold(combo.currentText())
    if not typed:
        return -1
    if combo.currentIndex() >= 0 and fold(combo.itemText(combo.currentIndex())) == typed:
        return combo.currentIndex()
    return combo.findData(typed, _FOLDED_ROLE)


def _chosen_code(combo: QComboBox) -> str:
    index = _named_index(combo)
    return str(combo.itemData(index)) if index >= 0 else ""


class ProfileForm(QWidget):
    """Role, administrative unit, association and signer of one data folder."""

    def __init__(self, parent: QWidget | None = None, titled: bool = True) -> None:
        """`titled=False` gives bare sections, for a caller (the wizard) whose pages already carry titles."""
        super().__init__(parent)
        self.role_buttons: dict[str, QRadioButton] = {}
        self._role_group = QButtonGroup(self)
        for role, text in ROLE_LABELS.items():
            button = QRadioButton(text)
            self.role_buttons[role] = button
            self._role_group.addButton(button)
        self.role_buttons[Role.COMMUNE].setChecked(True)

        self.province = _searchable_combo("Gõ tên để tìm, ví dụ: tay ninh")
        _fill(self.province, admin_units.provinces())
        self.commune = _searchable_combo("Chọn tỉnh trước, rồi gõ tên xã, phường")
        self.association_name = QLineEdit()
        self.officer_name = QLineEdit()
        self.officer_name.setPlaceholderText("Người dùng máy này để nhập sổ")
        self.signer_title = QComboBox()
        self.signer_title.setEditable(True)
        self.signer_title.addItems(SIGNER_TITLES)
        self.signer_name = QLineEdit()
        self.working_year = QSpinBox()
        self.working_year.setRange(MIN_WORKING_YEAR, date.today().year + 1)
        self.working_year.setValue(date.today().year)

        role_box = QWidget()
        role_layout = QVBoxLayout(role_box)
        role_layout.setContentsMargins(0, 0, 0, 0)
        for button in self.role_buttons.values():
            role_layout.addWidget(button)
        self._fields: dict[str, QWidget] = {
            "role": role_box,
            "province_code": self.province,
            "commune_code": self.commune,
            "association_name": self.association_name,
            "officer_name": self.officer_name,
            "signer_title": self.signer_title,
            "signer_name": self.signer_name,
            "working_year": self.working_year,
        }
        self._errors: dict[str, QLabel] = {}
        self._labels: list[QLabel] = []
        self._section_of: dict[str, str] = {}
        self.sections: dict[str, QWidget] = {
            SECTION_ROLE: self._section(SECTION_ROLE, "Vai trò", ["role"], titled),
            SECTION_PLACE: self._section(SECTION_PLACE, "Địa bàn", ["province_code", "commune_code"], titled),
            SECTION_PEOPLE: self._section(
                SECTION_PEOPLE,
                "Hội và người ký",
                ["association_name", "officer_name", "signer_title", "signer_name", "working_year"],
                titled,
            ),
        }

        # One label width for every section, so the fields line up down the whole form.
        width = max(label.sizeHint().width() for label in self._labels)
        for label in self._labels:
            label.setMinimumWidth(width)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for section in self.sections.values():
            layout.addWidget(section)
        layout.addStretch()

        # What the association name was last prefilled with: a name equal to it is ours to replace.
        self._default_name = ""
        self._role_group.buttonToggled.connect(self._role_changed)
        self.province.currentIndexChanged.connect(self._province_changed)
        self.commune.currentIndexChanged.connect(self._refresh_default_name)
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, old: QWidget | None, _new: QWidget | None) -> None:
        """Take a name typed in full as chosen when the officer leaves the box.

        Watched here rather than through `editingFinished` or a focus-out filter: while the suggestion
        list is open QCompleter swallows the focus-out, so Tab after "tay ninh" would leave no communes.
        """
        for combo in (self.province, self.commune):
            index = _named_index(combo)
            if old in (combo, combo.lineEdit()) and index >= 0:
                combo.setCurrentIndex(index)

    def _section(self, key: str, title: str, fields: list[str], titled: bool) -> QWidget:
        box = QGroupBox(title) if titled else QWidget()
        layout = QFormLayout(box)
        if not titled:
            layout.setContentsMargins(0, 0, 0, 0)
        for name in fields:
            widget = self._fields[name]
            if name == "role":  # the radio buttons say it all; a label beside them would repeat the title
                layout.addRow(widget)
            else:
                label = QLabel(PROFILE_FIELD_LABELS[name])
                label.setBuddy(widget)
                self._labels.append(label)
                layout.addRow(label, widget)
            self._section_of[name] = key
        self._errors[key] = error_label()
        layout.addRow(self._errors[key])
        return box

    def section_of(self, field: str) -> str | None:
        """Which section holds the field a ValidationError names (None for fields outside the form)."""
        return self._section_of.get(field)

    def role(self) -> str:
        return next((role for role, button in self.role_buttons.items() if button.isChecked()), "")

    def value(self) -> ProfileInput:
        return ProfileInput(
            role=self.role(),
            province_code=_chosen_code(self.province),
            commune_code=_chosen_code(self.commune),
            association_name=self.association_name.text(),
            officer_name=self.officer_name.text(),
            signer_title=self.signer_title.currentText(),
            signer_name=self.signer_name.text(),
            working_year=self.working_year.value(),
        )

    def set_value(self, data: ProfileInput) -> None:
        self.role_buttons[data.role].setChecked(True)
        _select(self.province, data.province_code)
        _select(self.commune, data.commune_code)
        self.association_name.setText(data.association_name)
        self._default_name = default_association_name(data.role, data.province_code, data.commune_code)
        self.officer_name.setText(data.officer_name)
        self.signer_title.setCurrentText(data.signer_title)
        self.signer_name.setText(data.signer_name)
        self.working_year.setValue(data.working_year)
        self.clear_error()

    def show_error(self, error: ValidationError) -> None:
        """Say what is wrong beside the field and put the cursor there, so the officer can fix it at once."""
        self.clear_error()
        show_message(self._errors[self.section_of(error.field) or SECTION_ROLE], error)
        widget = self._fields.get(error.field)
        if widget is None:
            return
        widget.setFocus()
        if isinstance(widget, QLineEdit):
            widget.selectAll()

    def clear_error(self) -> None:
        for label in self._errors.values():
            label.hide()

    def _role_changed(self) -> None:
        self.commune.setEnabled(self.role() == Role.COMMUNE)
        self._refresh_default_name()

    def _province_changed(self) -> None:
        code = self.province.currentData()
        _fill(self.commune, admin_units.communes(code) if code else ())
        self._refresh_default_name()

    def _refresh_default_name(self) -> None:
        default = default_association_name(
            self.role(), self.province.currentData() or "", self.commune.currentData() or ""
        )
        if self.association_name.text() in ("", self._default_name):
            self.association_name.setText(default)
        self._default_name = default
