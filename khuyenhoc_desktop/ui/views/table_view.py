"""A QTableView set up the way every register table is: whole-row selection, sortable headers,
fixed row height (so 50,000 rows scroll without measuring each one); and the keys that act on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from khuyenhoc_desktop.ui.models.table_model import RowTableModel


def register_table(model: RowTableModel, parent: QWidget | None = None, sortable: bool = True) -> QTableView:  # type: ignore[type-arg]
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    for section, column in enumerate(model.COLUMNS):
        if column.width:
            view.setColumnWidth(section, column.width)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setHighlightSections(False)
    if sortable:
        view.setSortingEnabled(True)
        view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    return view


def selected_row(view: QTableView) -> int:
    """The current row, or -1."""
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    return rows[0].row() if rows else -1


def selected_records(view: QTableView) -> list[Any]:
    """The records of every selected row, in the order shown."""
    model = view.model()
    assert isinstance(model, RowTableModel)
    rows = sorted(index.row() for index in view.selectionModel().selectedRows()) if view.selectionModel() else []
    return [model.row_at(row) for row in rows]


def select_record(view: QTableView, record_id: str) -> bool:
    """Select and show the row whose record has this id; False when it is not among the rows shown."""
    model = view.model()
    assert isinstance(model, RowTableModel)
    row = model.find(lambda r: r.id == record_id)
    if row < 0:
        return False
    view.selectRow(row)
    view.scrollTo(model.index(row, 0))
    return True


def bind_keys(widget: QWidget, *bindings: tuple[Qt.Key | QKeyCombination, Callable[[], object]]) -> None:
    """Keys that act only while `widget` has the focus (in a register table: Enter edits, Delete deletes,
    Insert adds), so the same key keeps its own job in the search box and the forms."""
    for key, slot in bindings:
        shortcut = QShortcut(QKeySequence(key), widget)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(slot)
