"""The communes' records at the office: one table at a time (households, members, clans, …) of every commune
for the working year, with a commune filter and the commune register's search as you type. Read-only: the
office never edits a commune's records, it receives them.

A table is read on the worker and then searched, filtered and sorted in memory, so typing narrows the rows
already shown. A table larger than `IN_MEMORY_ROWS` for all communes (a province's 1.2 million members) is
not read whole: the officer chooses a commune, or types, and after a short pause the rows matching the words
are read by SQL; typing on narrows those in memory.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.text import format_count
from khuyenhoc_desktop.services import office, office_browse
from khuyenhoc_desktop.services.office_browse import BROWSABLE, BrowseSheet, BrowseTable
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages, worker
from khuyenhoc_desktop.ui.models.office_models import OfficeTableModel
from khuyenhoc_desktop.ui.views.table_view import register_table

IN_MEMORY_ROWS = 300_000  # more rows than this are read only for one commune or for what a search finds
SEARCH_PAUSE_MS = 300  # typing pause before a search is read from the database
ALL_COMMUNES = "Tất cả xã, phường"


class OfficeTablesView(QWidget):
    changed = Signal()  # every page has it; this one never saves anything

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.heading = QLabel()
        self.sheet_choice = QComboBox()
        for sheet in BROWSABLE:
            self.sheet_choice.addItem(sheet.label, sheet.key)
        self.commune_choice = QComboBox()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.model = OfficeTableModel()
        self.table = register_table(self.model)
        self.table.setObjectName("office_table")
        self._table: BrowseTable | None = None  # what was last read
        self._reading = 0  # the number of the latest read; an older one's rows are dropped
        self._task: worker.Task | None = None  # the running read, kept alive until it reports
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Bảng:"))
        bar.addWidget(self.sheet_choice)
        bar.addWidget(QLabel("Xã, phường:"))
        bar.addWidget(self.commune_choice, 1)
        bar.addWidget(self.search, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self.sheet_choice.currentIndexChanged.connect(self._sheet_changed)
        self.commune_choice.currentIndexChanged.connect(lambda _index: self._looked_for(pause=False))
        self.search.textChanged.connect(lambda _text: self._looked_for(pause=True))
        self.search.returnPressed.connect(self.table.setFocus)
        self._pause.timeout.connect(self._read)
        self._show_searched()
        self.reload()

    @property
    def sheet(self) -> BrowseSheet:
        return office_browse.browsable(str(self.sheet_choice.currentData()))

    @property
    def commune(self) -> str | None:
        return self.commune_choice.currentData() or None

    def reload(self) -> None:
        """Re-read the communes and the table (after an import, or a change of the working year)."""
        self.heading.setText(f"Số liệu các xã, phường gửi lên — năm {self.workspace.working_year}")
        self._fill_communes()
        self._table = None
        self._read()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _fill_communes(self) -> None:
        chosen = self.commune_choice.currentData()
        self.commune_choice.blockSignals(True)
        self.commune_choice.clear()
        self.commune_choice.addItem(ALL_COMMUNES, "")
        for commune in office.list_communes(self.workspace):
            merged = f" (đã sáp nhập vào {commune.merged_into_name})" if commune.merged_into_code else ""
            self.commune_choice.addItem(commune.name + merged, commune.code)
        self.commune_choice.setCurrentIndex(max(0, self.commune_choice.findData(chosen)))
        self.commune_choice.blockSignals(False)

    # -- reading and narrowing ----------------------------------------------------------------------
    def _sheet_changed(self) -> None:
        self._table = None
        self._show_searched()
        self._read()

    def _show_searched(self) -> None:
        self.search.setPlaceholderText(f"Tìm theo {self.sheet.searched} (gõ không dấu được) — Ctrl+F")

    def _looked_for(self, pause: bool) -> None:
        """The commune or the search changed: narrow the rows in memory when they hold the answer, else read."""
        self._pause.stop()
        if self._table is not None and self._table.covers(self.commune, self.search.text()):
            self._narrow()
        elif pause:
            self._pause.start()
        else:
            self._read()

    def _read(self) -> None:
        """Read what the choices ask for on the worker: the whole table for all communes when it is small
        enough, else one commune's rows, or the rows a search finds."""
        self._pause.stop()
        self._reading += 1
        reading, workspace, sheet, commune, search = (
            self._reading, self.workspace, self.sheet.key, self.commune, self.search.text()
        )  # fmt: skip
        self.count_label.setText("Đang đọc số liệu…")

        def read(_task: worker.Task) -> tuple[BrowseTable, int | None]:
            """The table, and how many rows it has for all communes when that is too many to read at once."""
            if commune is None:
                total = office_browse.count_rows(workspace, sheet)
                if total <= IN_MEMORY_ROWS:
                    return office_browse.load_table(workspace, sheet), None
                if not search.strip():
                    return office_browse.load_table(workspace, sheet, limit=0), total
            return office_browse.load_table(workspace, sheet, None, commune, search, IN_MEMORY_ROWS), None

        self._task = worker.run_task(read, lambda found: self._read_done(reading, *found), self._failed)

    def _read_done(self, reading: int, table: BrowseTable, too_many: int | None) -> None:
        if reading != self._reading:
            return  # the officer has since asked for something else
        new_sheet = self.model.table is None or self.model.table.sheet is not table.sheet
        self._table = table
        self.model.set_table(table)
        if new_sheet:
            for section, column in enumerate(self.model.COLUMNS):
                if column.width:
                    self.table.setColumnWidth(section, column.width)
            self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self._narrow(too_many)

    def _narrow(self, too_many: int | None = None) -> None:
        """Narrow the rows read to the commune and the search, and say what is shown."""
        self.model.set_commune_query(self.search.text(), self.commune)
        table, noun = self._table, self.sheet.noun
        shown, total = self.model.rowCount(), self.model.total()
        if too_many is not None:
            text = (
                f"{format_count(too_many)} {noun} của mọi xã, phường: quá nhiều để hiện cùng lúc. "
                "Hãy chọn một xã, phường hoặc gõ để tìm."
            )
        elif table is not None and not table.complete:
            text = f"Hiện {format_count(shown)} {noun} đầu tiên khớp với tìm kiếm; gõ thêm để thu hẹp."
        elif total == 0 and table is not None and not table.search:
            text = f"Chưa có {noun} nào trong số liệu năm {table.period}."
        elif shown == total:
            text = f"{format_count(total)} {noun}"
        else:
            text = f"Tìm thấy {format_count(shown)} / {format_count(total)} {noun}"
        self.count_label.setText(text)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, UserError):
            raise error  # a bug: sys.excepthook logs it and tells the officer
        self.count_label.setText("")
        messages.warn(self, "Không đọc được số liệu", str(error))
