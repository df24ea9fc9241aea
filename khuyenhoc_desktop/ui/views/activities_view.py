"""Learning activities of the working year: how far each kind is against its target, and the register of
sessions and classes.

The progress bars stop at 100% (a bar cannot be fuller than full) but their text keeps the real figure, since
reports say "đạt 164% chỉ tiêu".
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QProgressBar, QPushButton, QWidget

from khuyenhoc_desktop.domain.activities import (
    ACTIVITY_KIND_NOUNS,
    ACTIVITY_KIND_SHORT_LABELS,
    ActivityKind,
    TargetProgress,
    count_unit,
    is_class,
)
from khuyenhoc_desktop.domain.text import format_count, format_date, format_percent
from khuyenhoc_desktop.services import activities as activity_service
from khuyenhoc_desktop.services.activities import ActivityRow
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.dialogs.activity_dialog import ActivityDialog, TargetsDialog
from khuyenhoc_desktop.ui.models.table_model import Column, SearchableModel, count_column
from khuyenhoc_desktop.ui.views.clans_view import RegisterPage

ALL_KINDS = "Tất cả hoạt động"
NO_TARGET = "chưa đặt chỉ tiêu"


class ActivitiesModel(SearchableModel[ActivityRow]):
    COL_KIND, COL_NAME, COL_FIELD, COL_STARTS, COL_ENDS, COL_PLACE, COL_PARTICIPANTS = range(7)
    COLUMNS = (
        Column[ActivityRow]("Loại", lambda r: r.kind_label, width=90),
        Column[ActivityRow]("Tên / chủ đề", lambda r: r.name, lambda r: r.name_sort, width=300),
        Column[ActivityRow]("Lĩnh vực", lambda r: r.field, width=130),
        Column[ActivityRow]("Từ ngày", lambda r: format_date(r.starts_on), lambda r: r.starts_on, width=90),
        Column[ActivityRow](
            "Đến ngày",
            lambda r: format_date(r.ends_on),
            lambda r: (r.ends_on or r.starts_on, r.ends_on is not None),
            tooltip="Chỉ các lớp có ngày kết thúc; buổi sinh hoạt diễn ra trong một ngày",
            width=90,
        ),
        Column[ActivityRow]("Địa điểm", lambda r: r.place, width=220),
        count_column(
            "Số người", lambda r: r.participants, tooltip="Số lượt người dự buổi sinh hoạt, số học viên của lớp"
        ),
    )


def progress_text(item: TargetProgress) -> str:
    """ "Buổi sinh hoạt: 48 / 40 buổi — 120,0%", or the count alone while the year has no target."""
    noun, unit = ACTIVITY_KIND_NOUNS[item.kind], count_unit(item.kind)
    if item.rate is None:
        return f"{noun}: {format_count(item.actual)} {unit} — {NO_TARGET}"
    done = f"{format_count(item.actual)} / {format_count(item.target or 0)} {unit}"
    return f"{noun}: {done} — {format_percent(item.rate)}"


def totals_text(rows: list[ActivityRow]) -> str:
    """ "Sinh hoạt: 48 buổi, 2.400 lượt người; lớp tập huấn: 12 lớp, 360 người; lớp dạy nghề: …" """
    parts = []
    for kind, noun in ACTIVITY_KIND_NOUNS.items():
        of_kind = [row for row in rows if row.kind == kind]
        people = sum(row.participants for row in of_kind)
        label = noun.lower() if is_class(kind) else ACTIVITY_KIND_SHORT_LABELS[kind]
        who = "người" if is_class(kind) else "lượt người"
        parts.append(f"{label}: {format_count(len(of_kind))} {count_unit(kind)}, {format_count(people)} {who}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


class ActivitiesView(RegisterPage):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(
            workspace, ActivitiesModel(), "hoạt động", "Tìm theo tên lớp, chủ đề, lĩnh vực, địa điểm", parent
        )
        self.year = workspace.working_year
        self.kind_filter = QComboBox()
        self.kind_filter.addItem(ALL_KINDS, "")
        for kind, label in ACTIVITY_KIND_NOUNS.items():
            self.kind_filter.addItem(label, kind)
        self.table.setObjectName("activities_table")
        self.table.sortByColumn(ActivitiesModel.COL_STARTS, Qt.SortOrder.AscendingOrder)
        self.heading = QLabel()
        self.targets_button = QPushButton("Đặt chỉ tiêu…")
        self.targets_button.setToolTip("Chỉ tiêu số buổi sinh hoạt, số lớp tập huấn, lớp dạy nghề trong năm")
        self.progress_labels: dict[str, QLabel] = {}
        self.progress_bars: dict[str, QProgressBar] = {}
        self.totals_label = QLabel()
        self._lay_out()

        self.kind_filter.currentIndexChanged.connect(lambda _index: self.reload())
        self.targets_button.clicked.connect(self.set_targets)
        self.model.modelReset.connect(self._show_totals)
        self.model.dataChanged.connect(self._show_totals)
        self.changed.connect(self._show_progress)
        self.reload()

    def _lay_out(self) -> None:
        strip = QGroupBox()
        grid = QGridLayout(strip)
        grid.addWidget(self.heading, 0, 0)
        grid.addWidget(self.targets_button, 0, 1, Qt.AlignmentFlag.AlignRight)
        for row, kind in enumerate(ACTIVITY_KIND_NOUNS, start=1):
            label, bar = QLabel(), QProgressBar()
            bar.setRange(0, 100)
            bar.setObjectName(f"progress_{kind}")
            self.progress_labels[kind], self.progress_bars[kind] = label, bar
            grid.addWidget(label, row, 0)
            grid.addWidget(bar, row, 1)
        grid.setColumnStretch(1, 1)
        self.page_layout.insertWidget(0, strip)
        self.add_filter(self.kind_filter)
        self.page_layout.addWidget(self.totals_label)

    # -- RegisterPage -------------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the working year (it may have changed), its targets and its activities."""
        self.year = self.workspace.working_year
        self.heading.setText(f"<b>Hoạt động học tập năm {self.year}</b> — thực hiện so với chỉ tiêu")
        super().reload()
        self._show_progress()

    def read_rows(self, ids: list[str] | None = None) -> list[ActivityRow]:
        return activity_service.list_activities(self.workspace, self.year, self.kind_filter.currentData() or None, ids)

    def open_form(self, record_id: str | None) -> str | None:
        shown = self.current()
        kind = self.kind_filter.currentData() or (shown.kind if shown is not None else ActivityKind.SESSION)
        dialog = ActivityDialog(self.workspace, record_id, self.year, kind, parent=self)
        if not dialog.exec() or dialog.saved_id is None:
            return None
        saved = dialog.value()
        if saved.starts_on.year != self.year:
            messages.inform(
                self,
                "Đã lưu",
                f"Đã lưu. Hoạt động ngày {format_date(saved.starts_on)} thuộc năm {saved.starts_on.year}, "
                f"nên không hiện trong danh sách năm {self.year}. Đổi năm làm việc để xem.",
            )
        elif self.kind_filter.currentData() not in ("", saved.kind):
            self.kind_filter.setCurrentIndex(0)  # show every kind, so the saved one is in the list
        return dialog.saved_id

    def confirm_delete(self, row: ActivityRow) -> bool:
        return messages.confirm_to_bin(
            self,
            "Xóa hoạt động",
            f"{ACTIVITY_KIND_NOUNS[row.kind].lower()} «{row.name}» ngày {format_date(row.starts_on)}",
        )

    def delete_row(self, row: ActivityRow) -> None:
        activity_service.delete_activity(self.workspace, row.id)

    # -- the year against its targets --------------------------------------------------------------
    def set_targets(self) -> None:
        if TargetsDialog(self.workspace, self.year, self).exec():
            self.changed.emit()  # the progress strip listens

    def _show_progress(self) -> None:
        for item in activity_service.year_progress(self.workspace, self.year):
            bar = self.progress_bars[item.kind]
            self.progress_labels[item.kind].setText(progress_text(item))
            bar.setEnabled(item.rate is not None)
            bar.setValue(0 if item.rate is None else min(100, round(item.rate * 100)))
            bar.setFormat(NO_TARGET.capitalize() if item.rate is None else format_percent(item.rate))

    def _show_totals(self) -> None:
        self.totals_label.setText(totals_text(self.model.rows()))
