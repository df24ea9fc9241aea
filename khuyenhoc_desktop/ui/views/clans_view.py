"""The clans register (dòng họ), and `RegisterPage`, the page every one-table register is built on:
a search box, the table, add / edit / delete, Enter edits, Delete deletes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.text import format_count
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services import clans as clan_service
from khuyenhoc_desktop.services.clans import ClanRow
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.dialogs.clan_dialog import ClanDialog
from khuyenhoc_desktop.ui.models.register_models import ClansModel
from khuyenhoc_desktop.ui.models.table_model import SearchableModel
from khuyenhoc_desktop.ui.views.table_view import (
    bind_keys,
    register_table,
    select_record,
    selected_records,
    selected_row,
)


class RegisterPage(QWidget):
    """Subclasses say how to read rows, open the form, and delete one row; the page does the rest.

    `noun` is the lower-case Vietnamese name of one record ("dòng họ", "đơn vị", "ấp").
    """

    changed = Signal()  # something was saved: the main window refreshes undo and the other pages
    CERTIFICATE_TITLE: str  # the learning title its records are recognised for

    def __init__(
        self, workspace: Workspace, model: SearchableModel[Any], noun: str, search_hint: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.model = model
        self.noun = noun
        self.search = QLineEdit()
        self.search.setPlaceholderText(f"{search_hint} (gõ không dấu được) — Ctrl+F")
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.add_button = QPushButton(f"Thêm {noun}")
        self.add_button.setToolTip("Phím Insert trong bảng")
        self.edit_button = QPushButton("Sửa")
        self.edit_button.setToolTip("Enter trong bảng")
        self.delete_button = QPushButton("Xóa")
        self.delete_button.setToolTip("Phím Delete trong bảng")
        self.table = register_table(model)
        self.table.setTabKeyNavigation(False)

        self.filters = QHBoxLayout()  # a register's own filters (year, kind…) stand before the search box
        top = QHBoxLayout()
        top.addLayout(self.filters)
        top.addWidget(self.search, 1)
        for button in (self.add_button, self.edit_button, self.delete_button):
            top.addWidget(button)
        self.page_layout = QVBoxLayout(self)  # a register may put a strip above and totals below
        self.page_layout.addLayout(top)
        self.page_layout.addWidget(self.table)
        self.page_layout.addWidget(self.count_label)

        self.search.textChanged.connect(self._apply_filter)
        self.search.returnPressed.connect(self.table.setFocus)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.edit())
        bind_keys(
            self.table,
            (Qt.Key.Key_Return, self.edit),
            (Qt.Key.Key_Enter, self.edit),
            (Qt.Key.Key_Delete, self.delete),
            (Qt.Key.Key_Insert, self.add),
        )

    def add_filter(self, widget: QWidget) -> None:
        """A filter of the register's own, after those added before it, ahead of the search box."""
        self.filters.addWidget(widget)

    # -- what a register says -----------------------------------------------------------------------
    def read_rows(self, ids: list[str] | None = None) -> list[Any]:
        raise NotImplementedError

    def open_form(self, record_id: str | None) -> str | None:
        """Show the form for a new record (None) or an existing one; the id saved, or None if cancelled."""
        raise NotImplementedError

    def confirm_delete(self, row: Any) -> bool:
        raise NotImplementedError

    def delete_row(self, row: Any) -> None:
        """Delete through the service; a UserError refuses with the reason."""
        raise NotImplementedError

    # -- loading ------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read everything (after undo, restore or a change on another page), keeping the selection."""
        keep = self.current()
        self.model.set_rows(self.read_rows())
        self._apply_filter()
        if not (keep is not None and self.select_id(keep.id)) and self.model.rowCount():
            self.table.selectRow(0)
        self._update_buttons()

    def _apply_filter(self) -> None:
        self.model.set_query(self.search.text())
        shown, total = self.model.rowCount(), self.model.total()
        self.count_label.setText(
            f"{format_count(total)} {self.noun}"
            if shown == total
            else f"Tìm thấy {format_count(shown)} / {format_count(total)} {self.noun}"
        )
        if self.current() is None and shown:
            self.table.selectRow(0)  # Enter in the search box goes to the table: Enter again edits the match
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        has = self.current() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def current(self) -> Any | None:
        row = selected_row(self.table)
        return self.model.row_at(row) if row >= 0 else None

    def certificate_selection(self) -> tuple[str, list[str]]:
        """The title this register's records are recognised for, and the selected ones: "In giấy công nhận…"
        from the menu starts from them."""
        return self.CERTIFICATE_TITLE, [record.id for record in selected_records(self.table)]

    def select_id(self, record_id: str) -> bool:
        return select_record(self.table, record_id)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- actions ------------------------------------------------------------------------------------
    def add(self) -> None:
        saved = self.open_form(None)
        if saved:
            self._saved(saved)

    def edit(self) -> None:
        row = self.current()
        if row is not None and self.open_form(row.id):
            self._saved(row.id)

    def _saved(self, record_id: str) -> None:
        self.model.upsert_rows(self.read_rows([record_id]))
        self._apply_filter()
        if not self.select_id(record_id):
            self.search.clear()  # the saved record is hidden by the search: clear it to show the record
            self.select_id(record_id)
        self.table.setFocus()
        self.changed.emit()

    def delete(self) -> None:
        row = self.current()
        if row is None or not self.confirm_delete(row):
            return
        position = selected_row(self.table)
        try:
            self.delete_row(row)
        except UserError as error:
            messages.warn(self, "Không xóa được", str(error))
            return
        self.model.remove_ids({row.id})
        self._apply_filter()
        if self.model.rowCount():
            self.table.selectRow(min(position, self.model.rowCount() - 1))
        self.changed.emit()


class ClansView(RegisterPage):
    CERTIFICATE_TITLE = Title.CLAN

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(
            workspace, ClansModel(), "dòng họ", "Tìm theo tên dòng họ, người đại diện, ấp, ghi chú", parent
        )
        self.table.setObjectName("clans_table")
        self.reload()

    def read_rows(self, ids: list[str] | None = None) -> list[ClanRow]:
        return clan_service.list_clans(self.workspace, ids)

    def open_form(self, record_id: str | None) -> str | None:
        dialog = ClanDialog(self.workspace, record_id, parent=self)
        return dialog.saved_id if dialog.exec() else None

    def confirm_delete(self, row: ClanRow) -> bool:
        return messages.confirm_to_bin(self, "Xóa dòng họ", f"dòng họ «{row.name}»")

    def delete_row(self, row: ClanRow) -> None:
        clan_service.delete_clan(self.workspace, row.id)
