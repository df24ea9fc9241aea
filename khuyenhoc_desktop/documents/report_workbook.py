"""The commune report as a workbook for people: a title block, two frozen header rows, one row per hamlet
and a total row, every rate beside what it was divided by, and a sheet explaining the denominators."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from khuyenhoc_desktop.documents.report_text import (
    HAMLET_HEADER,
    NOTES_HEADING,
    NUMBER_HEADER,
    TOTAL_LABEL,
    date_line,
    report_title,
    unit_line,
)
from khuyenhoc_desktop.domain.text import nfc
from khuyenhoc_desktop.domain.titles import TITLE_LABELS, Title
from khuyenhoc_desktop.services.statistics import (
    FIGURE_HEADERS,
    NOTES,
    CommuneStatistics,
    TitleFigures,
    rate_header,
)

SHEET_TITLE = "Báo cáo"
FONT_NAME = "Times New Roman"
COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.0%"
NO_RATE = "—"

HEADER_ROW = 7  # the title row of the column groups; the figure headers are on the next row
FIRST_DATA_ROW = HEADER_ROW + 2
FIRST_FIGURE_COLUMN = 3  # after STT and Ấp
GROUP_WIDTH = len(FIGURE_HEADERS) + 1  # the counts and the rate

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _font(size: int = 12, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


def write_text(cell: Cell, value: str) -> None:
    """Names typed by people stay text: one starting with = + - @ would otherwise become a formula."""
    cell.value = nfc(value)
    if cell.value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"
        cell.quotePrefix = True


def _title_block(sheet: Worksheet, stats: CommuneStatistics, width: int) -> None:
    lines = [
        (1, stats.association_name.upper(), _font(bold=True), "left"),
        (2, unit_line(stats), _font(), "left"),
        (4, report_title(stats.year), _font(size=14, bold=True), "center"),
        (5, date_line(stats), _font(italic=True), "center"),
    ]
    for row, value, font, horizontal in lines:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        cell = sheet.cell(row, 1)
        write_text(cell, value)
        cell.font = font
        cell.alignment = Alignment(horizontal=horizontal, vertical="center")
    sheet.row_dimensions[4].height = 24


def _headers(sheet: Worksheet) -> None:
    for column, label in ((1, NUMBER_HEADER), (2, HAMLET_HEADER)):
        sheet.merge_cells(start_row=HEADER_ROW, start_column=column, end_row=HEADER_ROW + 1, end_column=column)
        sheet.cell(HEADER_ROW, column, label)
    for i, title in enumerate(Title):
        first = FIRST_FIGURE_COLUMN + i * GROUP_WIDTH
        sheet.merge_cells(start_row=HEADER_ROW, start_column=first, end_row=HEADER_ROW, end_column=first + 3)
        sheet.cell(HEADER_ROW, first, TITLE_LABELS[title])
        for j, label in enumerate((*FIGURE_HEADERS, rate_header(title))):
            sheet.cell(HEADER_ROW + 1, first + j, label)
    for row in sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW + 1):
        for cell in row:
            cell.font = _font(size=11, bold=True)
            cell.alignment = _CENTRE
            cell.border = _BOX
    sheet.row_dimensions[HEADER_ROW].height = 32
    sheet.row_dimensions[HEADER_ROW + 1].height = 48


def _figure_row(sheet: Worksheet, row: int, number: int | None, name: str, figures: dict[str, TitleFigures]) -> None:
    bold = number is None
    if number is not None:
        sheet.cell(row, 1, number)
    write_text(sheet.cell(row, 2), name)
    for i, title in enumerate(Title):
        found = figures[title]
        first = FIRST_FIGURE_COLUMN + i * GROUP_WIDTH
        for j, count in enumerate((found.total, found.registered, found.recognised)):
            sheet.cell(row, first + j, count).number_format = COUNT_FORMAT
        rate = sheet.cell(row, first + 3, NO_RATE if found.rate is None else found.rate)
        rate.number_format = RATE_FORMAT
    for cell in sheet[row]:
        cell.font = _font(bold=bold)
        cell.border = _BOX
        if cell.column != 2:
            cell.alignment = Alignment(horizontal="center" if cell.value in (NO_RATE, None) else "right")


def _widths(sheet: Worksheet, width: int) -> None:
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 24
    for column in range(FIRST_FIGURE_COLUMN, width + 1):
        is_rate = (column - FIRST_FIGURE_COLUMN) % GROUP_WIDTH == GROUP_WIDTH - 1
        sheet.column_dimensions[get_column_letter(column)].width = 13 if is_rate else 9


def _print_setup(sheet: Worksheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"


def _notes(sheet: Worksheet, stats: CommuneStatistics) -> None:
    sheet.column_dimensions["A"].width = 110
    heading = sheet.cell(1, 1, f"{NOTES_HEADING}: cách tính các số liệu năm {stats.year}")
    heading.font = _font(size=13, bold=True)
    for row, note in enumerate(NOTES, start=3):
        cell = sheet.cell(row, 1, f"- {note}")
        cell.font = _font()
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    made = sheet.cell(len(NOTES) + 4, 1, f"Số liệu lập lúc {stats.generated_at:%H:%M ngày %d/%m/%Y}.")
    made.font = _font(italic=True)


def write_report_workbook(stats: CommuneStatistics, path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = SHEET_TITLE
    width = FIRST_FIGURE_COLUMN - 1 + len(Title) * GROUP_WIDTH
    _title_block(sheet, stats, width)
    _headers(sheet)
    row = FIRST_DATA_ROW
    for number, hamlet in enumerate(stats.hamlets, start=1):
        _figure_row(sheet, row, number, hamlet.hamlet_name, hamlet.figures)
        row += 1
    _figure_row(sheet, row, None, TOTAL_LABEL, stats.total)
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, FIRST_FIGURE_COLUMN)
    _widths(sheet, width)
    _print_setup(sheet)
    _notes(workbook.create_sheet(NOTES_HEADING), stats)
    workbook.save(path)
