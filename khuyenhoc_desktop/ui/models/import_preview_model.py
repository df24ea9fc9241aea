"""The import wizard's preview: one row per spreadsheet row, with what importing it would do and why not.

The columns depend on the sheet (one per mapped field, showing the cell as typed), so they are built per
preview rather than fixed on the class; a sheet of 50,000 rows is why this is a model and not a QTableWidget.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from khuyenhoc_desktop.domain.import_values import cell_text
from khuyenhoc_desktop.services.sheet_reading import column_label, column_letter
from khuyenhoc_desktop.services.spreadsheet_import import OUTCOME_LABELS, Outcome, Preview, PreviewRow
from khuyenhoc_desktop.ui.models.table_model import Column, Index, RowTableModel

OUTCOME_COLOURS = {
    Outcome.NEW: QColor("#1b6e20"),
    Outcome.UPDATE: QColor("#1f5fa8"),
    Outcome.SAME: QColor("#8a8a8a"),
    Outcome.PROBLEM: QColor("#b3261e"),
}
PROBLEM_BACKGROUND = QColor("#fdecea")


def _cell(column: int) -> Any:
    return lambda row: cell_text(row.cells[column]) if column < len(row.cells) else ""


class PreviewModel(RowTableModel[PreviewRow]):
    COL_OUTCOME = 1

    def set_preview(self, preview: Preview) -> None:
        headers = preview.layout.headers

        def problems(row: PreviewRow) -> str:
            return "; ".join(
                p.message if p.column is None else f"«{column_label(headers, p.column)}»: {p.message}"
                for p in row.problems
            )

        labels = preview.kind.field_labels
        self.beginResetModel()
        self.COLUMNS = [
            Column[PreviewRow]("Dòng", lambda r: str(r.number), lambda r: r.number, align_right=True),
            Column[PreviewRow]("Kết quả", lambda r: OUTCOME_LABELS[r.outcome]),
            Column[PreviewRow]("Lỗi", problems),  # beside the outcome: what the officer reads first on a problem row
            Column[PreviewRow]("Khớp với", lambda r: r.matched),
            *(
                Column[PreviewRow](f"{labels[name]} ({column_letter(column)})", _cell(column))
                for name, column in sorted(preview.settings.columns.items(), key=lambda item: item[1])
            ),
        ]
        self.endResetModel()
        self.set_rows(preview.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.row() < self.rowCount():
            outcome = self.row_at(index.row()).outcome
            if role == Qt.ItemDataRole.ForegroundRole and index.column() == self.COL_OUTCOME:
                return OUTCOME_COLOURS[outcome]
            if role == Qt.ItemDataRole.BackgroundRole and outcome == Outcome.PROBLEM:
                return PROBLEM_BACKGROUND
        return super().data(index, role)
