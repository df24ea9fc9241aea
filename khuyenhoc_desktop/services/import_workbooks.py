"""The workbooks an import hands back to the officer: the rows it could not take, and the template of each list.

Both are made to be imported again as they are: the header row holds the texts the import matches columns by
(the problem rows keep the officer's own headers and cells; the template has the fields' own labels, "(*)" marking
the ones every row needs), and the extra column "Lỗi cần sửa" matches no field.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from khuyenhoc_desktop.documents.output import write_as
from khuyenhoc_desktop.services.sheet_reading import column_label
from khuyenhoc_desktop.services.spreadsheet_import import PROBLEMS_HEADER, ImportKind, Outcome, Preview
from khuyenhoc_desktop.services.workspace import Workspace

DATE_FORMAT = "DD/MM/YYYY"
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_PROBLEM_FILL = PatternFill("solid", fgColor="FCE4D6")
_LISTS_SHEET = "Danh mục"


def _header(sheet: Worksheet, labels: Sequence[str], widths: Sequence[int]) -> None:
    sheet.append(list(labels))
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _date_cells(sheet: Worksheet) -> None:
    """Dates show as dd/mm/yyyy, as the officer types them, whatever Excel's locale."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date | datetime):
                cell.number_format = DATE_FORMAT


def _save(book: Workbook, path: Path, what: str) -> None:
    write_as(path, what, {".xlsx": lambda target: book.save(target)})


def write_problem_rows(preview: Preview, path: Path) -> int:
    """The rows with a problem, cells as the officer typed them under the officer's own headers, each with what
    to fix in the last column; fixed, the file imports with the same columns and saved mapping. Returns the count."""
    headers = list(preview.layout.headers)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = preview.layout.sheet_name[:31] or "Danh sách"
    _header(sheet, [*headers, PROBLEMS_HEADER], [max(10, min(30, len(h) + 4)) for h in headers] + [60])
    rows = [r for r in preview.rows if r.outcome == Outcome.PROBLEM]
    for row in rows:
        cells: list[Any] = [*row.cells[: len(headers)], *[None] * (len(headers) - len(row.cells))]
        texts = [
            (f"cột «{column_label(headers, p.column)}»: " if p.column is not None else "") + p.message
            for p in row.problems
        ]
        sheet.append([*cells, f"Dòng {row.number} của tệp gốc — " + "; ".join(texts)])
        note = sheet.cell(row=sheet.max_row, column=len(headers) + 1)
        note.fill, note.alignment = _PROBLEM_FILL, Alignment(wrap_text=True, vertical="top")
    _date_cells(sheet)
    _save(book, path, "danh sách dòng lỗi")
    return len(rows)


def template_headers(kind: ImportKind) -> list[str]:
    return [f"{label} (*)" if field in kind.required else label for field, label in kind.field_labels.items()]


def write_template(workspace: Workspace, kind: ImportKind, path: Path, filled: bool = False) -> int:
    """The kind's list with one column per field; `filled` puts the register's records in it (an Excel copy to
    edit and bring back). Option fields offer their values in a drop-down. Returns the rows written."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Danh sách"
    fields = list(kind.field_labels)
    headers = template_headers(kind)
    _header(sheet, headers, [max(12, min(32, len(h) + 4)) for h in headers])
    records = kind.template_rows(workspace) if filled else []
    for record in records:
        sheet.append([record.get(name) for name in fields])
    _date_cells(sheet)
    lists = book.create_sheet(_LISTS_SHEET)
    lists.sheet_state = "hidden"
    for index, (name, options) in enumerate(kind.options(workspace).items(), start=1):
        letter = get_column_letter(index)
        lists.cell(row=1, column=index, value=kind.field_labels[name])
        for offset, label in enumerate(options.labels, start=2):
            lists.cell(row=offset, column=index, value=label)
        list_name = f"ds_{name}"
        book.defined_names[list_name] = DefinedName(
            list_name, attr_text=f"'{_LISTS_SHEET}'!${letter}$2:${letter}${len(options.labels) + 1}"
        )
        column = get_column_letter(fields.index(name) + 1)
        check = DataValidation(type="list", formula1=list_name, allow_blank=True, showErrorMessage=False)
        check.add(f"{column}2:{column}{len(records) + 1000}")
        sheet.add_data_validation(check)
    _guide(book.create_sheet("Hướng dẫn"), kind)
    _save(book, path, "mẫu danh sách")
    return len(records)


def _guide(sheet: Worksheet, kind: ImportKind) -> None:
    """What each column takes, for whoever fills the template in."""
    sheet.append([f"{kind.title}: mỗi dòng một {kind.noun}. Cột có (*) dòng nào cũng phải có."])
    sheet.append(["Ngày ghi dd/mm/yyyy (ví dụ 15/03/2025); năm sinh ghi năm (1985) hoặc ngày sinh."])
    sheet.append(["Cột có danh mục: chọn trong danh sách thả xuống, hoặc gõ đúng tên."])
    sheet["A1"].font = _BOLD
    sheet.column_dimensions["A"].width = 100
