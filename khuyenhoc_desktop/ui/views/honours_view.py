"""The register of exemplary learning models (mô hình học tập tiêu biểu) and commendations (giấy khen),
by year (the working year at first; reports also count several years together) and by kind."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from khuyenhoc_desktop.domain.honours import HONOUR_KIND_LABELS, RECIPIENT_KIND_LABELS, HonourKind
from khuyenhoc_desktop.domain.text import format_count, format_date
from khuyenhoc_desktop.services import honours as honour_service
from khuyenhoc_desktop.services.honours import HonourRow
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.dialogs.honour_dialog import HonourDialog
from khuyenhoc_desktop.ui.models.table_model import Column, SearchableModel
from khuyenhoc_desktop.ui.views.clans_view import RegisterPage

ALL_YEARS = "Tất cả các năm"
ALL_KINDS = "Mô hình và giấy khen"


class HonoursModel(SearchableModel[HonourRow]):
    (
        COL_KIND, COL_RECIPIENT_KIND, COL_RECIPIENT, COL_HAMLET, COL_LEVEL,
        COL_ISSUER, COL_DECISION, COL_DATE, COL_CONTENT,
    ) = range(9)  # fmt: skip
    COLUMNS = (
        Column[HonourRow]("Loại", lambda r: r.kind_label, width=170),
        Column[HonourRow]("Đối tượng", lambda r: r.recipient_kind_label, width=80),
        Column[HonourRow](
            "Tên",
            lambda r: r.recipient,
            lambda r: r.recipient_sort,
            tooltip="Cá nhân xếp theo tên, rồi họ và tên đệm",
            width=230,
        ),
        Column[HonourRow]("Ấp", lambda r: r.hamlet_name, width=120),
        Column[HonourRow]("Cấp khen", lambda r: r.level_label, lambda r: r.level_rank, width=100),
        Column[HonourRow]("Cơ quan khen", lambda r: r.issuer, width=220),
        Column[HonourRow]("Số quyết định", lambda r: r.decision_no, width=110),
        Column[HonourRow]("Ngày", lambda r: format_date(r.honoured_on), lambda r: r.honoured_on, width=85),
        Column[HonourRow]("Nội dung", lambda r: r.content),
    )


def counts_text(rows: list[HonourRow]) -> str:
    """ "Mô hình học tập tiêu biểu: 3 (2 tập thể, 1 cá nhân); giấy khen: 5 (3 tập thể, 2 cá nhân)" """
    parts: list[str] = []
    for kind, label in HONOUR_KIND_LABELS.items():
        of_kind = [row for row in rows if row.kind == kind]
        each = ", ".join(
            f"{format_count(sum(1 for row in of_kind if row.recipient_kind == who))} {who_label.lower()}"
            for who, who_label in RECIPIENT_KIND_LABELS.items()
        )
        parts.append(f"{label if not parts else label.lower()}: {format_count(len(of_kind))} ({each})")
    return "; ".join(parts)


class HonoursView(RegisterPage):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(
            workspace,
            HonoursModel(),
            "mô hình, giấy khen",
            "Tìm theo tên, ấp, cơ quan khen, số quyết định, nội dung",
            parent,
        )
        self.table.setObjectName("honours_table")
        self.table.sortByColumn(HonoursModel.COL_DATE, Qt.SortOrder.AscendingOrder)
        self.working_year = workspace.working_year
        self.year_filter = QComboBox()
        self.year_filter.setObjectName("year_filter")
        self.kind_filter = QComboBox()
        self.kind_filter.addItem(ALL_KINDS, "")
        for kind, label in HONOUR_KIND_LABELS.items():
            self.kind_filter.addItem(label, kind)
        self.counts_label = QLabel()
        self.certificates_button = QPushButton("In giấy khen…")
        self.certificates_button.setToolTip("In giấy khen cho các dòng giấy khen đang chọn, hoặc cả năm")
        self.add_filter(self.year_filter)
        self.add_filter(self.kind_filter)
        bottom = QHBoxLayout()
        bottom.addWidget(self.counts_label, 1)
        bottom.addWidget(self.certificates_button)
        self.page_layout.addLayout(bottom)
        self._fill_years(self.working_year)

        self.year_filter.currentIndexChanged.connect(lambda _index: self.reload())
        self.kind_filter.currentIndexChanged.connect(lambda _index: self.reload())
        self.model.modelReset.connect(self._show_counts)
        self.model.dataChanged.connect(self._show_counts)
        self.certificates_button.clicked.connect(self.print_commendations)
        self.reload()

    def _fill_years(self, chosen: int | None) -> None:
        """All years, then every year that has honours and the working year, newest first."""
        years = sorted({*honour_service.honour_years(self.workspace), self.working_year}, reverse=True)
        if chosen is not None and chosen not in years:
            years = sorted({*years, chosen}, reverse=True)
        self.year_filter.blockSignals(True)
        self.year_filter.clear()
        self.year_filter.addItem(ALL_YEARS, None)
        for year in years:
            self.year_filter.addItem(str(year), year)
        self.year_filter.setCurrentIndex(self.year_filter.findData(chosen) if chosen is not None else 0)
        self.year_filter.blockSignals(False)

    def year(self) -> int | None:
        year = self.year_filter.currentData()
        return None if year is None else int(year)

    # -- RegisterPage -------------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read (after undo, a restore or a new working year, which the year filter follows if it was on it)."""
        chosen = self.year()
        if chosen == self.working_year:
            chosen = self.workspace.working_year
        self.working_year = self.workspace.working_year
        self._fill_years(chosen)
        super().reload()

    def read_rows(self, ids: list[str] | None = None) -> list[HonourRow]:
        return honour_service.list_honours(self.workspace, self.year(), self.kind_filter.currentData() or None, ids)

    def open_form(self, record_id: str | None) -> str | None:
        kind = self.kind_filter.currentData() or HonourKind.COMMENDATION
        dialog = HonourDialog(self.workspace, record_id, self.year(), kind, parent=self)
        if not dialog.exec() or dialog.saved_id is None:
            return None
        self._reveal(dialog.saved_id)
        return dialog.saved_id

    def _reveal(self, honour_id: str) -> None:
        """Widen the filters so the honour just saved is in the list (its year, both kinds)."""
        (row,) = honour_service.list_honours(self.workspace, ids=[honour_id])
        year, kind = self.year(), self.kind_filter.currentData()
        if year not in (None, row.honoured_on.year) or kind not in ("", row.kind):
            self._fill_years(row.honoured_on.year if year is not None else None)
            self.kind_filter.blockSignals(True)
            if kind not in ("", row.kind):
                self.kind_filter.setCurrentIndex(0)
            self.kind_filter.blockSignals(False)
            self.reload()

    def confirm_delete(self, row: HonourRow) -> bool:
        return messages.confirm_to_bin(
            self,
            "Xóa mô hình, giấy khen",
            f"{row.kind_label.lower()} «{row.recipient}» ngày {format_date(row.honoured_on)}",
        )

    def delete_row(self, row: HonourRow) -> None:
        honour_service.delete_honour(self.workspace, row.id)

    def print_commendations(self) -> None:
        """For the commendations selected (of the year of the first), else the year's."""
        from khuyenhoc_desktop.ui.dialogs.certificates_dialog import COMMENDATION, CertificatesDialog

        selected = [self.model.row_at(i.row()) for i in sorted(self.table.selectionModel().selectedRows())]
        chosen = [row for row in selected if row.kind == HonourKind.COMMENDATION]
        year = chosen[0].honoured_on.year if chosen else self.year() or self.workspace.working_year
        ids = [row.id for row in chosen if row.honoured_on.year == year] or None
        CertificatesDialog(self.workspace, COMMENDATION, year, chosen=ids, parent=self).exec()

    def _show_counts(self) -> None:
        self.counts_label.setText(counts_text(self.model.rows()))
