"""The base of every "find one record and take it" dialog: a search box (accents optional) over a table,
Up and Down move through the matches while the cursor stays in the box, Enter takes the one selected."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from khuyenhoc_desktop.ui.models.table_model import SearchableModel
from khuyenhoc_desktop.ui.views.table_view import register_table, selected_row
from khuyenhoc_desktop.ui.widgets import SearchSteersTable


class PickDialog(QDialog):
    """`chosen_id` is the id of the row taken, once the dialog is accepted.

    Subclasses put their own widgets in `extras` (between the table and the hint) and may override `filtered`.
    """

    def __init__(
        self,
        title: str,
        model: SearchableModel[Any],
        rows: list[Any],
        search_hint: str,
        take_text: str,
        keys_hint: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.chosen_id: str | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText(search_hint)
        self.search.setClearButtonEnabled(True)
        self.model = model
        self.model.set_rows(rows)
        self.table = register_table(self.model, self)
        self.extras = QVBoxLayout()
        buttons = QDialogButtonBox()
        self.add_button = QPushButton(take_text)
        self.add_button.setDefault(True)
        buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QPushButton("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.choose)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        layout.addLayout(self.extras)
        layout.addWidget(QLabel(keys_hint))
        layout.addWidget(buttons)
        self.search.textChanged.connect(self._filter)
        SearchSteersTable(self.search, self.table)
        self.table.doubleClicked.connect(lambda _index: self.choose())

    def start(self) -> None:
        """Show every row, the first selected, the cursor in the search box (once the subclass is built)."""
        self._filter()
        self.search.setFocus()

    def _filter(self) -> None:
        self.model.set_query(self.search.text())
        shown = self.model.rowCount()
        if shown:
            self.table.selectRow(0)
        self.add_button.setEnabled(shown > 0)
        self.filtered()

    def filtered(self) -> None:
        """Called after each keystroke in the search box has narrowed the table."""

    def choose(self) -> None:
        row = selected_row(self.table)
        if row < 0:
            return
        self.chosen_id = self.model.row_at(row).id
        self.accept()
