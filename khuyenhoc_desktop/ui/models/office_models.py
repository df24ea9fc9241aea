"""The table model of the office's tables: whichever package sheet is read, with the columns it comes with."""

from __future__ import annotations

from operator import itemgetter

from PySide6.QtCore import Qt

from khuyenhoc_desktop.services.office_browse import COMMUNE, BrowseTable, Row
from khuyenhoc_desktop.ui.models.table_model import Column, SearchableModel


class OfficeTableModel(SearchableModel[Row]):
    """Rows are the service's tuples; the columns change with the sheet, so they live on the instance."""

    def __init__(self) -> None:
        super().__init__()
        self.COLUMNS: tuple[Column[Row], ...] = ()
        self.table: BrowseTable | None = None

    def set_table(self, table: BrowseTable) -> None:
        """Show a table read; another sheet brings its own columns and starts unsorted."""
        if self.table is None or self.table.sheet is not table.sheet:
            self.beginResetModel()
            self.COLUMNS = tuple(
                Column[Row](c.header, c.text, c.sort_value, align_right=c.numeric, width=c.width) for c in table.columns
            )
            self._all, self._rows, self._sort = [], [], None
            self.endResetModel()
        self.table = table
        # A C-level getter: at 300,000 rows a Python call per row is most of a keystroke's time.
        self.search_text = itemgetter(table.search_index)  # type: ignore[method-assign,assignment]
        self.set_rows(table.rows)

    def set_commune_query(self, text: str, commune: str | None) -> None:
        """Search as you type within one commune (or all when None)."""
        if commune is None:
            self.set_query(text)
        else:
            self.set_query(text, lambda row: row[COMMUNE] == commune, commune)

    def _sort_all(self, column: int, order: Qt.SortOrder) -> None:
        # Every column has its sort value; skipping Column.key saves a Python call per row.
        sort_value = self.COLUMNS[column].sort_value
        self._all.sort(key=sort_value, reverse=order == Qt.SortOrder.DescendingOrder)
