"""Scholarships and gifts of the working year: the award ceremonies above (each with its count and value, and its
list to print for signing), the awards of the chosen ceremony — or of the whole year — below."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.text import format_count, format_date, format_vnd
from khuyenhoc_desktop.services import awards
from khuyenhoc_desktop.services.awards import AwardRow, EventRow
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.dialogs.award_dialog import AwardDialog
from khuyenhoc_desktop.ui.dialogs.award_event_dialog import AwardEventDialog
from khuyenhoc_desktop.ui.models.table_model import (
    Column,
    RowTableModel,
    SearchableModel,
    birth_year_column,
    count_column,
)
from khuyenhoc_desktop.ui.views.table_view import bind_keys, register_table, select_record, selected_row

LIST_FILTERS = "Tệp PDF để in (*.pdf);;Bảng tính Excel (*.xlsx)"


class EventsModel(RowTableModel[EventRow]):
    COL_DATE, COL_NAME, COL_PLACE, COL_SPONSOR, COL_COUNT, COL_CASH, COL_IN_KIND, COL_TOTAL = range(8)
    COLUMNS = (
        Column[EventRow]("Ngày", lambda r: format_date(r.held_on), lambda r: r.held_on, width=85),
        Column[EventRow]("Tên lễ trao", lambda r: r.name, lambda r: r.name_sort, width=280),
        Column[EventRow]("Địa điểm", lambda r: r.place, width=160),
        Column[EventRow]("Nhà tài trợ, nguồn", lambda r: r.sponsor, width=180),
        count_column("Số suất", lambda r: r.award_count, width=65),
        count_column("Tiền mặt (đ)", lambda r: r.cash_total, width=110),
        count_column("Hiện vật (đ)", lambda r: r.in_kind_total, width=110),
        count_column("Tổng giá trị (đ)", lambda r: r.total, width=120),
    )


class AwardsModel(SearchableModel[AwardRow]):
    (
        COL_DATE, COL_NAME, COL_BIRTH_YEAR, COL_HAMLET, COL_SCHOOL, COL_CATEGORY, COL_KIND, COL_VALUE, COL_SPONSOR,
        COL_EVENT, COL_VOUCHER, COL_NOTE,
    ) = range(12)  # fmt: skip
    COLUMNS = (
        Column[AwardRow]("Ngày trao", lambda r: format_date(r.awarded_on), lambda r: r.awarded_on, width=85),
        Column[AwardRow](
            "Họ tên học sinh", lambda r: r.pupil_name, lambda r: r.name_sort, tooltip="Xếp theo tên", width=180
        ),
        birth_year_column(70),
        Column[AwardRow](
            "Ấp", lambda r: r.hamlet_name or ("Chưa có trong sổ hộ" if r.member_id is None else ""), width=130
        ),
        Column[AwardRow]("Trường, lớp", lambda r: ", ".join(filter(None, (r.school, r.grade))), width=200),
        Column[AwardRow]("Diện", lambda r: r.category_label, width=130),
        Column[AwardRow]("Hình thức", lambda r: r.kind_label, width=90),
        count_column("Giá trị (đ)", lambda r: r.value_vnd, width=100),
        Column[AwardRow]("Nhà tài trợ, nguồn", lambda r: r.sponsor, width=160),
        Column[AwardRow]("Lễ trao", lambda r: r.event_name, width=200),
        Column[AwardRow]("Phiếu chi", lambda r: r.voucher_no, lambda r: r.voucher_no, width=100),
        Column[AwardRow]("Ghi chú", lambda r: r.note),
    )


def totals_text(rows: list[AwardRow]) -> str:
    """ "tiền mặt 3.500.000 đ, hiện vật 1.800.000 đ, tổng 5.300.000 đ"."""
    cash = sum(r.value_vnd for r in rows if r.is_cash)
    in_kind = sum(r.value_vnd for r in rows if not r.is_cash)
    return f"tiền mặt {format_vnd(cash)}, hiện vật {format_vnd(in_kind)}, tổng {format_vnd(cash + in_kind)}"


class AwardsView(QWidget):
    changed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.year = workspace.working_year

        self.events_heading = QLabel()
        self.add_event_button = QPushButton("Thêm lễ")
        self.edit_event_button = QPushButton("Sửa")
        self.delete_event_button = QPushButton("Xóa")
        self.print_button = QPushButton("In danh sách…")
        self.print_button.setToolTip("Danh sách nhận học bổng, quà có cột ký nhận: PDF để in hoặc bảng tính Excel")
        self.events_model = EventsModel()
        self.events_table = register_table(self.events_model, self)
        self.events_table.setObjectName("events_table")
        self.events_table.setTabKeyNavigation(False)

        self.awards_heading = QLabel()
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            "Tìm theo tên học sinh, trường, ấp, diện, hình thức, nhà tài trợ (gõ không dấu được) — Ctrl+F"
        )
        self.search.setClearButtonEnabled(True)
        self.whole_year = QCheckBox("Tất cả suất của năm")
        self.whole_year.setToolTip("Bỏ chọn để chỉ xem các suất của lễ trao đang chọn ở trên")
        self.add_button = QPushButton("Thêm suất…")
        self.add_button.setToolTip("Phím Insert trong bảng")
        self.edit_button = QPushButton("Sửa")
        self.edit_button.setToolTip("Enter trong bảng")
        self.delete_button = QPushButton("Xóa")
        self.delete_button.setToolTip("Phím Delete trong bảng")
        self.import_button = QPushButton("Nhập từ Excel…")
        self.import_button.setToolTip("Nhập danh sách học bổng, phần thưởng xã đang giữ bằng bảng tính")
        self.model = AwardsModel()
        self.table = register_table(self.model, self)
        self.table.setObjectName("awards_table")
        self.table.setTabKeyNavigation(False)
        self.totals_label = QLabel()
        self.totals_label.setObjectName("totals_label")

        events_bar = QHBoxLayout()
        events_bar.addWidget(self.events_heading, 1)
        for button in (self.add_event_button, self.edit_event_button, self.delete_event_button, self.print_button):
            events_bar.addWidget(button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(events_bar)
        top_layout.addWidget(self.events_table)
        awards_bar = QHBoxLayout()
        awards_bar.addWidget(self.search, 1)
        awards_bar.addWidget(self.whole_year)
        for button in (self.add_button, self.edit_button, self.delete_button, self.import_button):
            awards_bar.addWidget(button)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.awards_heading)
        bottom_layout.addLayout(awards_bar)
        bottom_layout.addWidget(self.table)
        bottom_layout.addWidget(self.totals_label)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.add_event_button.clicked.connect(self.add_event)
        self.edit_event_button.clicked.connect(self.edit_event)
        self.delete_event_button.clicked.connect(self.delete_event)
        self.print_button.clicked.connect(self.print_list)
        self.import_button.clicked.connect(self.import_from_excel)
        self.events_table.selectionModel().selectionChanged.connect(lambda *_: self._show_awards())
        self.events_table.doubleClicked.connect(lambda _index: self.edit_event())
        bind_keys(
            self.events_table,
            (Qt.Key.Key_Return, self.edit_event),
            (Qt.Key.Key_Enter, self.edit_event),
            (Qt.Key.Key_Delete, self.delete_event),
            (Qt.Key.Key_Insert, self.add_event),
        )
        self.search.textChanged.connect(self._apply_filter)
        self.search.returnPressed.connect(self.table.setFocus)
        self.whole_year.toggled.connect(lambda _on: self._show_awards())
        self.add_button.clicked.connect(self.add_award)
        self.edit_button.clicked.connect(self.edit_award)
        self.delete_button.clicked.connect(self.delete_award)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _index: self.edit_award())
        bind_keys(
            self.table,
            (Qt.Key.Key_Return, self.edit_award),
            (Qt.Key.Key_Enter, self.edit_award),
            (Qt.Key.Key_Delete, self.delete_award),
            (Qt.Key.Key_Insert, self.add_award),
        )
        self.reload()

    # -- loading ------------------------------------------------------------------------------------
    def import_from_excel(self) -> None:
        from khuyenhoc_desktop.ui.dialogs.import_wizard import import_into  # the readers load on first use

        import_into(self, self.workspace, "scholarships")

    def reload(self) -> None:
        """Re-read the year's ceremonies and awards (after undo, a restore, a change of year), keeping selections."""
        self.year = self.workspace.working_year
        self.events_heading.setText(f"<b>Lễ trao học bổng, quà năm {self.year}</b>")
        keep = self.current_event()
        self._fill_events(keep.id if keep is not None else None)
        self._show_awards()

    def _fill_events(self, keep: str | None) -> None:
        """The year's ceremonies, `keep` (else the newest) selected, without re-reading the awards meanwhile."""
        self.events_table.blockSignals(True)
        self.events_table.selectionModel().blockSignals(True)
        self.events_model.set_rows(awards.list_events(self.workspace, self.year))
        if not (keep is not None and select_record(self.events_table, keep)) and self.events_model.rowCount():
            self.events_table.selectRow(0)
        self.events_table.selectionModel().blockSignals(False)
        self.events_table.blockSignals(False)
        if not self.events_model.rowCount():
            self.whole_year.setChecked(True)

    def _show_awards(self) -> None:
        keep = self.current()
        event = self.current_event()
        if self.whole_year.isChecked() or event is None:
            self.awards_heading.setText(f"<b>Các suất học bổng, quà năm {self.year}</b>")
            rows = awards.list_awards(self.workspace, year=self.year)
        else:
            self.awards_heading.setText(f"<b>Các suất của lễ «{event.name}» ({format_date(event.held_on)})</b>")
            rows = awards.list_awards(self.workspace, event_id=event.id)
        self.model.set_rows(rows)
        self._apply_filter()
        if keep is not None:
            select_record(self.table, keep.id)
        self._update_buttons()

    def _apply_filter(self) -> None:
        self.model.set_query(self.search.text())
        shown, total = self.model.rowCount(), self.model.total()
        lead = (
            f"{format_count(total)} suất"
            if shown == total
            else f"Tìm thấy {format_count(shown)} / {format_count(total)} suất"
        )
        self.totals_label.setText(f"{lead} — {totals_text(self.model.rows())}")
        if self.current() is None and shown:
            self.table.selectRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_event = self.current_event() is not None
        for button in (self.edit_event_button, self.delete_event_button, self.print_button):
            button.setEnabled(has_event)
        has_award = self.current() is not None
        self.edit_button.setEnabled(has_award)
        self.delete_button.setEnabled(has_award)

    def current_event(self) -> EventRow | None:
        row = selected_row(self.events_table)
        return self.events_model.row_at(row) if row >= 0 else None

    def current(self) -> AwardRow | None:
        row = selected_row(self.table)
        return self.model.row_at(row) if row >= 0 else None

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _refresh(self, event_id: str | None = None, award_ids: list[str] | None = None) -> None:
        """After a save: the ceremonies' counts and totals, then the awards shown, the saved ones selected."""
        current = self.current_event()
        keep = event_id or (current.id if current is not None else None)
        self._fill_events(keep)
        self._show_awards()
        if award_ids and not select_record(self.table, award_ids[-1]):
            self.search.clear()  # hidden by the search: clear it to show the saved award
            select_record(self.table, award_ids[-1])
        self.changed.emit()

    # -- ceremonies ---------------------------------------------------------------------------------
    def add_event(self) -> None:
        dialog = AwardEventDialog(self.workspace, parent=self)
        if dialog.exec() and dialog.saved_id:
            self.whole_year.setChecked(False)  # the new ceremony's awards are entered next
            self._refresh(dialog.saved_id)
            self.events_table.setFocus()

    def edit_event(self) -> None:
        event = self.current_event()
        if event is None:
            return
        dialog = AwardEventDialog(self.workspace, event.id, parent=self)
        if dialog.exec() and dialog.saved_id:
            self._refresh(event.id)

    def delete_event(self) -> None:
        event = self.current_event()
        if event is None:
            return
        if not messages.confirm_to_bin(self, "Xóa lễ trao", f"lễ trao «{event.name}»"):
            return
        try:
            awards.delete_event(self.workspace, event.id)
        except UserError as error:
            messages.warn(self, "Không xóa được", str(error))
            return
        self._refresh()

    def print_list(self) -> None:
        """The ceremony's list with a signature column, as PDF or workbook by the extension chosen."""
        event = self.current_event()
        if event is None:
            return
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = Path(documents or Path.home()) / f"danh-sach-nhan-hoc-bong-{event.held_on:%Y-%m-%d}.pdf"
        name, chosen = QFileDialog.getSaveFileName(
            self, "In danh sách nhận học bổng, quà", str(suggested), LIST_FILTERS
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in (".pdf", ".xlsx"):
            path = Path(name + (".xlsx" if "xlsx" in chosen else ".pdf"))
        # Imported here: reportlab and openpyxl are only needed once the officer prints.
        from khuyenhoc_desktop.documents.award_list import write_award_list
        from khuyenhoc_desktop.documents.report_text import letterhead_of

        try:
            write_award_list(
                event,
                awards.list_awards(self.workspace, event_id=event.id),
                letterhead_of(self.workspace.profile),
                path,
            )
        except UserError as error:
            messages.warn(self, "Không in được danh sách", str(error))
            return
        messages.inform(self, "Đã ghi danh sách", f"Đã ghi danh sách «{event.name}» vào:\n{path}")

    # -- awards -------------------------------------------------------------------------------------
    def _selected_event_id(self) -> str | None:
        event = self.current_event()
        return event.id if event is not None and not self.whole_year.isChecked() else None

    def add_award(self) -> None:
        dialog = AwardDialog(self.workspace, event_id=self._selected_event_id(), parent=self)
        dialog.exec()  # a batch saves as it goes: what was saved stands even when the form is cancelled
        if dialog.saved_ids:
            self._refresh(self._selected_event_id(), dialog.saved_ids)
            self.table.setFocus()

    def edit_award(self) -> None:
        award = self.current()
        if award is None:
            return
        dialog = AwardDialog(self.workspace, award.id, parent=self)
        dialog.exec()
        if dialog.saved_ids:
            self._refresh(self._selected_event_id(), dialog.saved_ids)
            self.table.setFocus()

    def delete_award(self) -> None:
        award = self.current()
        if award is None:
            return
        voucher = f"\nPhiếu chi {award.voucher_no} cũng được xóa khỏi sổ quỹ." if award.voucher_no else ""
        what = f"suất {award.kind_label.lower()} {format_vnd(award.value_vnd)} của {award.pupil_name}"
        if not messages.confirm_to_bin(self, "Xóa suất học bổng, quà", what, voucher):
            return
        position = selected_row(self.table)
        try:
            awards.delete_award(self.workspace, award.id)
        except UserError as error:
            messages.warn(self, "Không xóa được", str(error))
            return
        self._refresh(self._selected_event_id())
        if self.model.rowCount():
            self.table.selectRow(min(position, self.model.rowCount() - 1))
