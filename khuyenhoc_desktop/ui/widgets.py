"""Input widgets every form shares: a date field, an amount field, a household member picked as the name is
typed, and a search box whose arrow keys move through the table it filters."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, QPersistentModelIndex, QRegularExpression, Qt
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QDateEdit, QLabel, QLineEdit, QTableView, QWidget

from khuyenhoc_desktop.domain.text import fold, format_count
from khuyenhoc_desktop.services.citizens import MemberChoice
from khuyenhoc_desktop.ui.views.table_view import selected_row

DATE_FORMAT = "dd/MM/yyyy"
NOT_IN_REGISTER = "Không có trong sổ hộ (gõ tay)"

_NOT_DIGITS = re.compile(r"\D")
_FOLDED_ROLE = Qt.ItemDataRole.UserRole + 1
_CHOICE_ROLE = Qt.ItemDataRole.UserRole + 2


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class DateEdit(QDateEdit):
    """A dd/MM/yyyy date field with a calendar, as every date an officer types, read and set as a Python date."""

    def __init__(self, day: date, parent: QWidget | None = None) -> None:
        super().__init__(qdate(day), parent)
        self.setDisplayFormat(DATE_FORMAT)
        self.setCalendarPopup(True)

    def day(self) -> date:
        value = self.date()
        return date(value.year(), value.month(), value.day())

    def set_day(self, day: date) -> None:
        self.setDate(qdate(day))

    def set_day_range(self, first: date, last: date) -> None:
        self.setDateRange(qdate(first), qdate(last))


class AmountEdit(QLineEdit):
    """Whole VND typed as "9.700.000" or "9700000" and shown with dot thousands as it is typed; no sign, so
    no negative amount can be entered."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9. ]{0,21}"), self))
        self.setPlaceholderText("Ví dụ: 9.700.000")
        self.textEdited.connect(self._regroup)

    def value(self) -> int | None:
        digits = _NOT_DIGITS.sub("", self.text())
        return int(digits) if digits else None

    def set_value(self, amount: int | None) -> None:
        self.setText("" if amount is None else format_count(amount))

    def _regroup(self, text: str) -> None:
        """Put the dots back where they belong, keeping the cursor after the same digit."""
        digits_before_cursor = len(_NOT_DIGITS.sub("", text[: self.cursorPosition()]))
        amount = self.value()
        grouped = "" if amount is None else format_count(amount)
        if grouped == text:
            return
        self.setText(grouped)
        position, seen = 0, 0
        while position < len(grouped) and seen < digits_before_cursor:
            seen += grouped[position].isdigit()
            position += 1
        self.setCursorPosition(position)


def choice_text(choice: MemberChoice) -> str:
    """ "Nguyễn Văn An (1980) — hộ 00012, Ấp Vĩnh Thạnh": enough to tell two people of one name apart."""
    born = f" ({choice.birth_year})" if choice.birth_year else ""
    return f"{choice.full_name}{born} — hộ {choice.household_code}, {choice.hamlet_name}"


class MemberCompleter(QCompleter):
    """Suggests household members whose name, birth year, household or hamlet holds what is typed,
    accents ignored; choosing one puts just the name in the box."""

    def __init__(self, choices: list[MemberChoice], parent: QWidget) -> None:
        model = QStandardItemModel(parent)
        for i, choice in enumerate(choices):
            item = QStandardItem(choice_text(choice))
            item.setData(choice.search_key, _FOLDED_ROLE)
            item.setData(i, _CHOICE_ROLE)
            model.appendRow(item)
        super().__init__(model, parent)
        self.choices = choices
        self.setCompletionRole(_FOLDED_ROLE)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setMaxVisibleItems(12)

    def splitPath(self, path: str) -> list[str]:
        return [fold(path)]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return self.choice_at(index).full_name

    def choice_at(self, index: QModelIndex | QPersistentModelIndex) -> MemberChoice:
        return self.choices[int(index.data(_CHOICE_ROLE))]

    def choice_of(self, member_id: str | None) -> MemberChoice | None:
        return next((choice for choice in self.choices if choice.id == member_id), None)


class MemberInfo(QLabel):
    """Under a name typed with a MemberCompleter: who in the households register the name stands for."""

    def __init__(self, gone_text: str, parent: QWidget | None = None) -> None:
        super().__init__(NOT_IN_REGISTER, parent)
        self.setObjectName("member_info")
        self._gone_text = gone_text  # a member linked earlier, deleted from the register since

    def show_member(self, choice: MemberChoice | None, member_id: str | None) -> None:
        if choice is not None:
            self.setText(f"Trong sổ hộ: {choice_text(choice)}")
        elif member_id is not None:
            self.setText(self._gone_text)
        else:
            self.setText(NOT_IN_REGISTER)


class SearchSteersTable(QObject):
    """Up and Down in a search box move through the table it filters, while the cursor stays in the box."""

    def __init__(self, search: QLineEdit, table: QTableView) -> None:
        super().__init__(search)
        self._table = table
        search.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            rows = self._table.model().rowCount()
            if step is not None and rows:
                self._table.selectRow(min(max(selected_row(self._table) + step, 0), rows - 1))
                return True
        return super().eventFilter(watched, event)
