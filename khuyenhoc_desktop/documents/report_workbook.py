"""The commune report as a workbook for people: a title block, two frozen header rows, one row per hamlet
and a total row, every rate beside what it was divided by; the year's support work on a sheet of its own, one
figure per row so a province can add communes up; and a sheet explaining the denominators."""

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
    report_letterhead,
    report_title,
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
from khuyenhoc_desktop.services.support_statistics import SUPPORT_HEADING, SupportLine, support_lines

SHEET_TITLE = "Báo cáo"
SUPPORT_SHEET_TITLE = "Khuyến học, hoạt động"
FONT_NAME = "Times New Roman"
COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.0%"
NO_RATE = "—"

HEADER_ROW = 7  # the title row of the column groups; the figure headers are on the next row
FIRST_DATA_ROW = HEADER_ROW + 2
FIRST_FIGURE_COLUMN = 3  # after STT and Ấp
GROUP_WIDTH = len(FIGURE_HEADERS) + 1  # the counts and the rate

SUPPORT_HEADERS = (NUMBER_HEADER, "Nội dung", "Số liệu", "Đơn vị tính", "Diễn giải")
SUPPORT_WIDTHS = (6, 44, 16, 12, 90)
DETAIL_INDENT = 2  # a breakdown sits under its headline, indented

_THIN = Side(style="thin")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def font(size: int = 12, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


def write_text(cell: Cell, value: str) -> None:
    """Names typed by people stay text: one starting with = + - @ would otherwise become a formula."""
    cell.value = nfc(value)
    if cell.value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"
        cell.quotePrefix = True


def merged_line(sheet: Worksheet, row: int, first: int, last: int, value: str, face: Font, align: str) -> None:
    """One line of text across columns `first`..`last`: a title, a date line, a signer's name."""
    sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = sheet.cell(row, first)
    write_text(cell, value)
    cell.font = face
    cell.alignment = Alignment(horizontal=align, vertical="center")


def print_setup(sheet: Worksheet, title_rows: str, landscape: bool = False) -> None:
    """A4, as wide as the paper, as many pages down as it takes, the header rows on every page."""
    if landscape:
        sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows


def _title_block(sheet: Worksheet, stats: CommuneStatistics, title: str, width: int) -> None:
    letterhead = report_letterhead(stats)
    lines = [
        (1, letterhead.association_name.upper(), font(bold=True), "left"),
        (2, letterhead.address, font(), "left"),
        (4, title, font(size=14, bold=True), "center"),
        (5, letterhead.date_line(stats.generated_at.date()), font(italic=True), "center"),
    ]
    for row, value, face, horizontal in lines:
        merged_line(sheet, row, 1, width, value, face, horizontal)
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
            cell.font = font(size=11, bold=True)
            cell.alignment = _CENTRE
            cell.border = BOX
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
        cell.font = font(bold=bold)
        cell.border = BOX
        if cell.column != 2:
            cell.alignment = Alignment(horizontal="center" if cell.value in (NO_RATE, None) else "right")


def _widths(sheet: Worksheet, width: int) -> None:
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 24
    for column in range(FIRST_FIGURE_COLUMN, width + 1):
        is_rate = (column - FIRST_FIGURE_COLUMN) % GROUP_WIDTH == GROUP_WIDTH - 1
        sheet.column_dimensions[get_column_letter(column)].width = 13 if is_rate else 9


def _support_row(sheet: Worksheet, row: int, number: int | None, line: SupportLine) -> None:
    """A headline numbered and bold, a breakdown indented under it; the figure a number Excel can add up."""
    if number is not None:
        sheet.cell(row, 1, number)
    write_text(sheet.cell(row, 2), line.label)
    if line.amount is not None:
        sheet.cell(row, 3, line.amount).number_format = COUNT_FORMAT
    write_text(sheet.cell(row, 4), line.unit)
    write_text(sheet.cell(row, 5), line.reading)
    for cell in sheet[row]:
        cell.font = font(bold=not line.detail and cell.column == 2)
        cell.border = BOX
        cell.alignment = Alignment(
            horizontal={1: "center", 3: "right", 4: "center"}.get(cell.column, "left"),
            vertical="top",
            wrap_text=cell.column in (2, 5),
            indent=DETAIL_INDENT if line.detail and cell.column == 2 else 0,
        )


def _support_sheet(sheet: Worksheet, stats: CommuneStatistics, lines: list[SupportLine]) -> None:
    title = f"II. {SUPPORT_HEADING.upper()} NĂM {stats.year}"
    _title_block(sheet, stats, title, len(SUPPORT_HEADERS))
    for column, header in enumerate(SUPPORT_HEADERS, start=1):
        cell = sheet.cell(HEADER_ROW, column, header)
        cell.font = font(size=11, bold=True)
        cell.alignment = _CENTRE
        cell.border = BOX
    number = 0
    for row, line in enumerate(lines, start=HEADER_ROW + 1):
        number += not line.detail
        _support_row(sheet, row, None if line.detail else number, line)
    for column, width in enumerate(SUPPORT_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    print_setup(sheet, f"{HEADER_ROW}:{HEADER_ROW}", landscape=True)


def _notes(sheet: Worksheet, stats: CommuneStatistics) -> None:
    sheet.column_dimensions["A"].width = 110
    heading = sheet.cell(1, 1, f"{NOTES_HEADING}: cách tính các số liệu năm {stats.year}")
    heading.font = font(size=13, bold=True)
    for row, note in enumerate(NOTES, start=3):
        cell = sheet.cell(row, 1, f"- {note}")
        cell.font = font()
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    made = sheet.cell(len(NOTES) + 4, 1, f"Số liệu lập lúc {stats.generated_at:%H:%M ngày %d/%m/%Y}.")
    made.font = font(italic=True)


def write_report_workbook(stats: CommuneStatistics, path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = SHEET_TITLE
    width = FIRST_FIGURE_COLUMN - 1 + len(Title) * GROUP_WIDTH
    _title_block(sheet, stats, report_title(stats.year), width)
    _headers(sheet)
    row = FIRST_DATA_ROW
    for number, hamlet in enumerate(stats.hamlets, start=1):
        _figure_row(sheet, row, number, hamlet.hamlet_name, hamlet.figures)
        row += 1
    _figure_row(sheet, row, None, TOTAL_LABEL, stats.total)
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, FIRST_FIGURE_COLUMN)
    _widths(sheet, width)
    print_setup(sheet, f"{HEADER_ROW}:{HEADER_ROW + 1}", landscape=True)
    if stats.support is not None:
        _support_sheet(workbook.create_sheet(SUPPORT_SHEET_TITLE), stats, support_lines(stats.support))
    _notes(workbook.create_sheet(NOTES_HEADING), stats)
    workbook.save(path)
