"""The study-promotion fund ledger (sổ quỹ khuyến học): receipts and payments of a year (or of all years) with
the balance after every line, the year's opening and closing balance, and each voucher printed as a PDF.

The balance runs over every year, so a year's first line carries the balance brought forward; any save
changes the balance of every later line, so the page re-reads the whole ledger after each one."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.ledger import VOUCHER_NAMES, Direction, voucher_sort_key
from khuyenhoc_desktop.domain.text import format_count, format_date, format_vnd
from khuyenhoc_desktop.services import ledger
from khuyenhoc_desktop.services.ledger import LedgerRow, NegativeBalance
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.dialogs.ledger_dialog import LedgerDialog
from khuyenhoc_desktop.ui.models.table_model import Column, Index, SearchableModel
from khuyenhoc_desktop.ui.save_path import ask_save_path
from khuyenhoc_desktop.ui.views.table_view import bind_keys, register_table, select_record, selected_row

ALL_YEARS = "Tất cả các năm"
NEGATIVE_COLOR = QColor("#b03a2e")


def _money(amount: int) -> str:
    return format_vnd(amount) if amount else ""


def _money_column(header: str, value: Any, width: int = 115) -> Column[LedgerRow]:
    return Column[LedgerRow](header, lambda r: _money(value(r)), value, align_right=True, width=width)


class LedgerModel(SearchableModel[LedgerRow]):
    (COL_DATE, COL_VOUCHER, COL_DIRECTION, COL_CATEGORY, COL_COUNTERPART, COL_RECEIPT, COL_PAYMENT, COL_BALANCE,
     COL_NOTE) = range(9)  # fmt: skip
    COLUMNS = (
        Column[LedgerRow](
            "Ngày", lambda r: format_date(r.entry_on), lambda r: r.position, tooltip="Thứ tự của sổ quỹ", width=90
        ),
        Column[LedgerRow]("Số phiếu", lambda r: r.voucher_no, lambda r: voucher_sort_key(r.voucher_no), width=110),
        Column[LedgerRow]("Loại", lambda r: r.direction_label, width=45),
        Column[LedgerRow]("Nội dung", lambda r: r.category_label, width=230),
        Column[LedgerRow]("Người nộp / người nhận", lambda r: r.counterpart, width=200),
        _money_column("Thu", lambda r: r.receipt),
        _money_column("Chi", lambda r: r.payment),
        Column[LedgerRow](
            "Tồn quỹ",
            lambda r: format_vnd(r.balance),
            lambda r: r.balance,
            align_right=True,
            tooltip="Số tiền còn trong quỹ sau phiếu này (tính từ phiếu đầu tiên của sổ)",
            width=125,
        ),
        Column[LedgerRow]("Ghi chú", lambda r: r.note),
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.column() == self.COL_BALANCE:
            return NEGATIVE_COLOR if self.row_at(index.row()).balance < 0 else None
        return super().data(index, role)


class LedgerView(QWidget):
    changed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.year_choice = QComboBox()
        self.year_choice.setToolTip("Năm của sổ quỹ")
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            "Tìm theo số phiếu, nội dung, người nộp, người nhận, ghi chú (gõ không dấu được) — Ctrl+F"
        )
        self.search.setClearButtonEnabled(True)
        self.receipt_button = QPushButton("Phiếu thu mới")
        self.receipt_button.setToolTip("Phím Insert trong bảng")
        self.payment_button = QPushButton("Phiếu chi mới")
        self.payment_button.setToolTip("Ctrl+Insert trong bảng")
        self.edit_button = QPushButton("Sửa")
        self.edit_button.setToolTip("Enter trong bảng")
        self.delete_button = QPushButton("Xóa")
        self.delete_button.setToolTip("Phím Delete trong bảng")
        self.print_button = QPushButton("In phiếu…")
        self.print_button.setToolTip("Lưu phiếu thu, phiếu chi đang chọn thành tệp PDF để in — Ctrl+P")
        self.model = LedgerModel()
        self.table = register_table(self.model, self)
        self.table.setObjectName("ledger_table")
        self.table.setTabKeyNavigation(False)
        self.summary = QLabel()
        self.summary.setObjectName("ledger_summary")
        self.count_label = QLabel()
        self._rows: list[LedgerRow] = []  # every year's, the model shows one year's

        top = QHBoxLayout()
        top.addWidget(self.year_choice)
        top.addWidget(self.search, 1)
        buttons = QHBoxLayout()
        for button in (self.receipt_button, self.payment_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addLayout(bottom)

        self.year_choice.currentIndexChanged.connect(lambda _i: self._year_changed())
        self.search.textChanged.connect(lambda _text: self._apply_filter())
        self.search.returnPressed.connect(self.table.setFocus)
        self.receipt_button.clicked.connect(lambda: self.add(Direction.THU))
        self.payment_button.clicked.connect(lambda: self.add(Direction.CHI))
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.print_button.clicked.connect(self.print_voucher)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _index: self.edit())
        bind_keys(
            self.table,
            (Qt.Key.Key_Return, self.edit),
            (Qt.Key.Key_Enter, self.edit),
            (Qt.Key.Key_Delete, self.delete),
            (Qt.Key.Key_Insert, lambda: self.add(Direction.THU)),
            (Qt.KeyboardModifier.ControlModifier | Qt.Key.Key_Insert, lambda: self.add(Direction.CHI)),
        )
        # Ctrl+F is the main window's ("Tìm trong sổ đang mở" calls focus_search); Ctrl+P is this page's own.
        print_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self)
        print_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        print_shortcut.activated.connect(self.print_voucher)
        self.reload()

    # -- loading ------------------------------------------------------------------------------------
    @property
    def year(self) -> int | None:
        """The year shown, None for every year."""
        data = self.year_choice.currentData()
        return int(data) if data else None

    def reload(self) -> None:
        """Re-read the whole ledger (balances change with every line), keeping the year and the selection."""
        keep = self.current()
        self._rows = ledger.list_entries(self.workspace)
        self._fill_years({row.entry_on.year for row in self._rows})
        self.model.set_rows(self._rows)
        self._year_changed()
        if not (keep is not None and self.select(keep.id)) and self.model.rowCount():
            self.table.selectRow(self.model.rowCount() - 1)  # the latest line, where the next one goes

    def _fill_years(self, years: set[int]) -> None:
        """Every year with a line, and the working year and this year even when empty; newest first."""
        chosen = self.year_choice.currentData() if self.year_choice.count() else self.workspace.working_year
        years |= {self.workspace.working_year, date.today().year}
        self.year_choice.blockSignals(True)
        self.year_choice.clear()
        for year in sorted(years, reverse=True):
            self.year_choice.addItem(f"Năm {year}", year)
        self.year_choice.addItem(ALL_YEARS, 0)
        self.year_choice.setCurrentIndex(max(0, self.year_choice.findData(chosen)))
        self.year_choice.blockSignals(False)

    def _year_changed(self) -> None:
        self.summary.setText(self._summary_text(self.year))
        self._apply_filter()

    def _apply_filter(self) -> None:
        year = self.year
        scope = None if year is None else (lambda row: row.entry_on.year == year)
        self.model.set_query(self.search.text(), scope, year)
        shown = self.model.rowCount()
        in_scope = sum(1 for row in self._rows if scope is None or scope(row))
        self.count_label.setText(
            f"{format_count(in_scope)} phiếu" if shown == in_scope else f"Tìm thấy {shown} / {in_scope} phiếu"
        )
        if self.current() is None and shown:
            self.table.selectRow(shown - 1)
        self._update_buttons()

    def _summary_text(self, year: int | None) -> str:
        summary = ledger.year_summary(self.workspace, year)
        receipts, payments = format_vnd(summary.total_receipts), format_vnd(summary.total_payments)
        if year is None:
            return f"Tổng thu {receipts} · Tổng chi {payments} · Tồn quỹ {format_vnd(summary.closing)}"
        return (
            f"Tồn đầu năm {format_vnd(summary.opening)} · Thu {receipts} · Chi {payments} · "
            f"Tồn cuối năm {format_vnd(summary.closing)}"
        )

    def _update_buttons(self) -> None:
        has = self.current() is not None
        for button in (self.edit_button, self.delete_button, self.print_button):
            button.setEnabled(has)

    def current(self) -> LedgerRow | None:
        row = selected_row(self.table)
        return self.model.row_at(row) if row >= 0 else None

    def select(self, entry_id: str) -> bool:
        return select_record(self.table, entry_id)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- actions ------------------------------------------------------------------------------------
    def _default_day(self) -> date:
        """Today, or the last day of the past year on screen (a year's vouchers are often typed in late)."""
        today, year = date.today(), self.year
        return today if year is None or year >= today.year else date(year, 12, 31)

    def add(self, direction: str) -> None:
        dialog = LedgerDialog(self.workspace, direction, default_on=self._default_day(), parent=self)
        if dialog.exec() and dialog.saved_id:
            self._saved(dialog.saved_id)

    def edit(self) -> None:
        row = self.current()
        if row is None:
            return
        dialog = LedgerDialog(self.workspace, row.direction, row.id, parent=self)
        if dialog.exec() and dialog.saved_id:
            self._saved(row.id)

    def _saved(self, entry_id: str) -> None:
        self.reload()
        if not self.select(entry_id):
            saved = next(row for row in self._rows if row.id == entry_id)
            self.search.clear()  # hidden by the search or the year: show the voucher just written
            self.year_choice.setCurrentIndex(self.year_choice.findData(saved.entry_on.year))
            self.select(entry_id)
        self.table.setFocus()
        self.changed.emit()

    def delete(self) -> None:
        row = self.current()
        name = "" if row is None else f"{VOUCHER_NAMES[row.direction]} {row.voucher_no}"
        if row is None or not messages.confirm_to_bin(self, "Xóa phiếu", f"{name} ({format_vnd(row.amount)})"):
            return
        position = selected_row(self.table)
        try:
            try:
                ledger.delete_entry(self.workspace, row.id)
            except NegativeBalance as warning:
                if not messages.confirm(self, "Quỹ sẽ bị âm", f"{warning}.\nVẫn xóa {name}?", yes="Vẫn xóa"):
                    return
                ledger.delete_entry(self.workspace, row.id, allow_negative=True)
        except UserError as error:
            messages.warn(self, "Không xóa được", str(error))
            return
        self.reload()
        if self.model.rowCount():
            self.table.selectRow(min(position, self.model.rowCount() - 1))
        self.changed.emit()

    def print_voucher(self) -> None:
        """Ask where, write the voucher as a PDF, and say where it went."""
        row = self.current()
        if row is None:
            return
        kind = "phieu-thu" if row.direction == Direction.THU else "phieu-chi"
        path = ask_save_path(
            self, f"Lưu {VOUCHER_NAMES[row.direction]} {row.voucher_no}", f"{kind}-{row.voucher_no}.pdf"
        )
        if path is None:
            return
        # Imported here: reportlab is only needed once the officer prints.
        from khuyenhoc_desktop.documents.vouchers import write_voucher_pdf

        try:
            write_voucher_pdf(self.workspace.profile, row, path)
        except OSError as error:
            messages.warn(self, "Không ghi được tệp", f"Không ghi được {path}:\n{error.strerror or error}")
            return
        messages.inform(self, "Đã lưu phiếu", f"Đã ghi {VOUCHER_NAMES[row.direction]} {row.voucher_no} vào:\n{path}")
