"""In-place editors for register tables: Enter saves and moves to the next cell, as officers type."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QComboBox,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from khuyenhoc_desktop.domain.household import MIN_BIRTH_YEAR

Index = QModelIndex | QPersistentModelIndex
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
UNKNOWN_YEAR_TEXT = "Không rõ"


class EnterMovesOnDelegate(QStyledItemDelegate):
    """Enter commits the cell and opens the next one, like Tab."""

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER
            and isinstance(editor, QWidget)
        ):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.EditNextItem)
            return True
        return super().eventFilter(editor, event)


class ChoiceDelegate(EnterMovesOnDelegate):
    """A combo box over a code → Vietnamese label vocabulary; the model stores the code."""

    def __init__(self, labels: dict[str, str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._labels = labels

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        for code, label in self._labels.items():
            combo.addItem(label, code)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


def year_spin_box(parent: QWidget | None = None) -> QSpinBox:
    """Birth years from 1900 to this year; the value below 1900 reads "Không rõ" and means unknown."""
    spin = QSpinBox(parent)
    spin.setRange(MIN_BIRTH_YEAR - 1, date.today().year)
    spin.setSpecialValueText(UNKNOWN_YEAR_TEXT)
    spin.setGroupSeparatorShown(False)
    return spin


def year_of(spin: QSpinBox) -> int | None:
    return None if spin.value() == spin.minimum() else spin.value()


def set_year(spin: QSpinBox, year: int | None) -> None:
    spin.setValue(year if year is not None else spin.minimum())


class YearDelegate(EnterMovesOnDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        return year_spin_box(parent)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QSpinBox)
        value = index.data(Qt.ItemDataRole.EditRole)
        set_year(editor, value if isinstance(value, int) else None)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QSpinBox)
        model.setData(index, year_of(editor), Qt.ItemDataRole.EditRole)
