"""Table models of the yearly evaluation: the year's evaluations of one title, and the subjects to register."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from khuyenhoc_desktop.domain.text import fold, format_date
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services.evaluations import EvaluationRow
from khuyenhoc_desktop.services.subjects import SubjectRow
from khuyenhoc_desktop.ui.models.table_model import Column, Index, RowTableModel

# What the first column holds, by title.
SUBJECT_HEADERS: dict[str, str] = {
    Title.FAMILY: "Chủ hộ",
    Title.CLAN: "Dòng họ",
    Title.COMMUNITY: "Ấp",
    Title.UNIT: "Đơn vị",
    Title.CITIZEN: "Họ tên",
}

FAILED_COLOR = QColor("#b3261e")
PASSED_COLOR = QColor("#1b6e20")


@cache
def _folded(text: str) -> str:
    return fold(text)


def _matcher(query: str) -> Callable[[str], bool]:
    words = fold(query).split()
    return lambda haystack: all(word in _folded(haystack) for word in words)


def _decision_text(row: EvaluationRow) -> str:
    return f"{row.decision_number}, {format_date(row.decision_date)}" if row.recognised else ""


def _is_scored_open(row: EvaluationRow) -> bool:
    return row.scored and not row.recognised


def _is_passed_open(row: EvaluationRow) -> bool:
    return bool(row.passed) and not row.recognised


# The status filter: label → which rows it keeps (None keeps all).
STATUS_FILTERS: dict[str, Callable[[EvaluationRow], bool] | None] = {
    "Tất cả": None,
    "Đã đăng ký, chưa chấm": lambda r: not r.scored,
    "Đã chấm, chưa công nhận": _is_scored_open,
    "Đạt, chưa công nhận": _is_passed_open,
    "Đã công nhận": lambda r: r.recognised,
}


class EvaluationsModel(RowTableModel[EvaluationRow]):
    COL_SUBJECT, COL_DETAIL, COL_HAMLET, COL_REGISTERED, COL_TOTAL, COL_RESULT, COL_DECISION, COL_STATUS = range(8)
    COLUMNS = (
        Column[EvaluationRow]("Đối tượng", lambda r: r.subject_name, lambda r: r.subject_sort, width=180),
        Column[EvaluationRow]("Chi tiết", lambda r: r.subject_detail, width=150),
        Column[EvaluationRow]("Ấp", lambda r: r.hamlet_name, width=140),
        Column[EvaluationRow](
            "Ngày đăng ký", lambda r: format_date(r.registered_on), lambda r: r.registered_on, width=100
        ),
        Column[EvaluationRow](
            "Tổng điểm",
            lambda r: "" if r.total is None else str(r.total),
            lambda r: -1 if r.total is None else r.total,
            align_right=True,
            width=80,
        ),
        Column[EvaluationRow]("Kết quả", lambda r: r.result_text, width=230),
        Column[EvaluationRow](
            "Quyết định công nhận",
            _decision_text,
            lambda r: (r.decision_date is None, r.decision_date or 0, r.decision_number),
            width=190,
        ),
        Column[EvaluationRow]("Trạng thái", lambda r: r.status),
    )

    def __init__(self) -> None:
        super().__init__()
        self.subject_header = SUBJECT_HEADERS[Title.FAMILY]

    def set_title(self, title: str) -> None:
        self.subject_header = SUBJECT_HEADERS[title]
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, self.COL_SUBJECT, self.COL_SUBJECT)

    def all_rows(self) -> list[EvaluationRow]:
        """Every row of the year, whatever the search and status filter show."""
        return list(self._all)

    def set_query(self, text: str, status: str) -> None:
        """Search as you type (accents and case ignored) among the rows of one status."""
        matches = _matcher(text)
        by_status = STATUS_FILTERS[status]
        if by_status is None and not text.strip():
            self.set_filter(None)
            return
        self.set_filter(
            lambda r: (
                (by_status is None or by_status(r))
                and matches(f"{r.subject_name} {r.subject_detail} {r.hamlet_name} {r.decision_number}")
            )
        )

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and section == self.COL_SUBJECT
            and role == Qt.ItemDataRole.DisplayRole
        ):
            return self.subject_header
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.column() == self.COL_RESULT:
            passed = self.row_at(index.row()).passed
            return None if passed is None else PASSED_COLOR if passed else FAILED_COLOR
        return super().data(index, role)


class SubjectChoiceModel(RowTableModel[SubjectRow]):
    """Subjects not yet registered, each with a check box (Space or a click ticks it)."""

    COL_NAME, COL_DETAIL, COL_HAMLET = range(3)
    COLUMNS = (
        Column[SubjectRow]("Đối tượng", lambda r: r.name, lambda r: r.sort_key, width=230),
        Column[SubjectRow]("Chi tiết", lambda r: r.detail, width=190),
        Column[SubjectRow]("Ấp", lambda r: r.hamlet_name),
    )

    def __init__(self) -> None:
        super().__init__()
        self.checked: set[str] = set()

    def set_query(self, text: str) -> None:
        matches = _matcher(text)
        self.set_filter(None if not text.strip() else lambda r: matches(f"{r.name} {r.detail} {r.hamlet_name}"))

    def set_checked(self, ids: set[str]) -> None:
        self.checked = set(ids)
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, 0))

    def checked_ids(self) -> list[str]:
        """In the order shown to the officer (all rows, not just those the search shows)."""
        return [row.id for row in self._all if row.id in self.checked]

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsUserCheckable if index.isValid() and index.column() == 0 else flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole and index.isValid() and index.column() == 0:
            checked = self.row_at(index.row()).id in self.checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or index.column() != 0:
            return super().setData(index, value, role)
        row_id = self.row_at(index.row()).id
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self.checked.add(row_id)
        else:
            self.checked.discard(row_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True
