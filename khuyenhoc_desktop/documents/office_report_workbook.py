"""The consolidated report as a workbook: the office's letterhead and title, one row per commune and the total
row with every line of the commune report as numbers a spreadsheet can add up, each rate headed by what it was
divided by; who has not sent and which old communes are inside a row under the table; the recognised-family
rate per commune as a bar chart on a sheet of its own; and a sheet explaining the rules."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from khuyenhoc_desktop.documents.report_text import NOTES_HEADING, NUMBER_HEADER, Letterhead
from khuyenhoc_desktop.documents.report_workbook import (
    BOX,
    COUNT_FORMAT,
    NO_RATE,
    RATE_FORMAT,
    font,
    merged_line,
    print_setup,
    write_text,
)
from khuyenhoc_desktop.domain.titles import TITLE_LABELS
from khuyenhoc_desktop.services.office_report import (
    CHART_HEADING,
    CHART_TITLE,
    COLUMNS,
    COMMUNE_HEADER,
    MONEY,
    OFFICE_NOTES,
    PACKAGE_HEADER,
    RATE,
    OfficeReport,
    ReportRow,
    column_groups,
    report_title,
)

SHEET_TITLE = "Tổng hợp"
CHART_SHEET_TITLE = "Biểu đồ"

HEADER_ROW = 8  # the lines of the report; the column headers are on the next row
FIRST_DATA_ROW = HEADER_ROW + 2
FIRST_FIGURE_COLUMN = 4  # after STT, the commune and the package it comes from
WIDTH = FIRST_FIGURE_COLUMN - 1 + len(COLUMNS)
RATE_COLUMN = FIRST_FIGURE_COLUMN + COLUMNS.index(
    next(c for c in COLUMNS if c.group == TITLE_LABELS[CHART_TITLE] and c.kind == RATE)
)
CHARS_PER_NOTE_LINE = 220  # a note across the table wraps at about this many characters

_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def office_letterhead(report: OfficeReport) -> Letterhead:
    """The office issues the report: its province, association and signer, no commune."""
    return Letterhead(
        commune_name="",
        province_name=report.province_name,
        association_name=report.association_name,
        signer_title=report.signer_title,
        signer_name=report.signer_name,
    )


def _title_block(sheet: Worksheet, report: OfficeReport) -> None:
    letterhead = office_letterhead(report)
    lines = [
        (1, letterhead.association_name.upper(), font(bold=True), "left"),
        (2, letterhead.address, font(), "left"),
        (4, report_title(report.year), font(size=14, bold=True), "center"),
        (5, letterhead.date_line(report.generated_at.date()), font(italic=True), "center"),
        (6, report.received_line, font(size=11, italic=True), "center"),
    ]
    for row, value, face, horizontal in lines:
        merged_line(sheet, row, 1, WIDTH, value, face, horizontal)
    sheet.row_dimensions[4].height = 24


def _headers(sheet: Worksheet) -> None:
    for column, label in ((1, NUMBER_HEADER), (2, COMMUNE_HEADER), (3, PACKAGE_HEADER)):
        sheet.merge_cells(start_row=HEADER_ROW, start_column=column, end_row=HEADER_ROW + 1, end_column=column)
        sheet.cell(HEADER_ROW, column, label)
    column = FIRST_FIGURE_COLUMN
    for group, members in column_groups(COLUMNS):
        last = column + len(members) - 1
        if last > column:
            sheet.merge_cells(start_row=HEADER_ROW, start_column=column, end_row=HEADER_ROW, end_column=last)
        sheet.cell(HEADER_ROW, column, group)
        for offset, member in enumerate(members):
            sheet.cell(HEADER_ROW + 1, column + offset, member.header)
        column = last + 1
    for cells in sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW + 1, max_col=WIDTH):
        for cell in cells:
            cell.font = font(size=11, bold=True)
            cell.alignment = _CENTRE
            cell.border = BOX
    sheet.row_dimensions[HEADER_ROW].height = 48
    sheet.row_dimensions[HEADER_ROW + 1].height = 48


def _figure_row(sheet: Worksheet, row: int, number: int | None, line: ReportRow) -> None:
    """A commune's figures as numbers (blank when it sent nothing), a rate with nothing to divide by as "—"."""
    if number is not None:
        sheet.cell(row, 1, number)
    write_text(sheet.cell(row, 2), line.name)
    write_text(sheet.cell(row, 3), line.package_label)
    for offset, column in enumerate(COLUMNS):
        if not line.has_figures:
            continue
        value = column.value(line)
        cell = sheet.cell(row, FIRST_FIGURE_COLUMN + offset, NO_RATE if value is None else value)
        cell.number_format = RATE_FORMAT if column.kind == RATE else COUNT_FORMAT
    for cell in sheet[row]:
        cell.font = font(bold=line.is_total, italic=not line.has_figures and cell.column == 3)
        cell.border = BOX
        if cell.column > 2:
            centred = cell.value in (NO_RATE, None) or cell.column == 3
            cell.alignment = Alignment(horizontal="center" if centred else "right", vertical="center")


def _notes_under(sheet: Worksheet, first_row: int, report: OfficeReport) -> None:
    """Who has not sent, and which old communes are inside a row: across the table, wrapped."""
    for row, note in enumerate([report.missing_line, *report.merged_notes], start=first_row):
        merged_line(sheet, row, 1, WIDTH, note, font(italic=True), "left")
        sheet.cell(row, 1).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        sheet.row_dimensions[row].height = 16 * (1 + len(note) // CHARS_PER_NOTE_LINE)


def _widths(sheet: Worksheet) -> None:
    for letter, width in (("A", 5), ("B", 26), ("C", 17)):
        sheet.column_dimensions[letter].width = width
    for offset, column in enumerate(COLUMNS):
        width = 13 if column.kind == RATE else 15 if column.kind == MONEY else 10
        sheet.column_dimensions[get_column_letter(FIRST_FIGURE_COLUMN + offset)].width = width


def _chart(sheet: Worksheet, table: Worksheet, report: OfficeReport) -> None:
    """The recognised-family rate of every commune, top to bottom in the table's order."""
    last_row = FIRST_DATA_ROW + len(report.rows) - 1
    chart = BarChart()
    chart.type = "bar"  # horizontal: a hundred communes' names stay readable
    chart.title = CHART_HEADING
    chart.legend = None
    chart.add_data(Reference(table, min_col=RATE_COLUMN, min_row=FIRST_DATA_ROW, max_row=last_row))
    chart.set_categories(Reference(table, min_col=2, min_row=FIRST_DATA_ROW, max_row=last_row))
    chart.x_axis.scaling.orientation = "maxMin"  # the first commune at the top, as in the table
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.y_axis.number_format = "0%"
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.numFmt = "0.0%"
    chart.width = 24  # cm
    chart.height = max(8.0, 0.55 * len(report.rows) + 3)
    sheet.add_chart(chart, "A1")


def _notes(sheet: Worksheet, report: OfficeReport) -> None:
    sheet.column_dimensions["A"].width = 110
    heading = sheet.cell(1, 1, f"{NOTES_HEADING}: cách tính các số liệu năm {report.year}")
    heading.font = font(size=13, bold=True)
    for row, note in enumerate(OFFICE_NOTES, start=3):
        cell = sheet.cell(row, 1, f"- {note}")
        cell.font = font()
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_office_report_workbook(report: OfficeReport, path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = SHEET_TITLE
    _title_block(sheet, report)
    _headers(sheet)
    row = FIRST_DATA_ROW
    for number, line in enumerate(report.rows, start=1):
        _figure_row(sheet, row, number, line)
        row += 1
    _figure_row(sheet, row, None, report.total)
    _notes_under(sheet, row + 2, report)
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, FIRST_FIGURE_COLUMN)
    _widths(sheet)
    print_setup(sheet, f"{HEADER_ROW}:{HEADER_ROW + 1}", landscape=True)
    _chart(workbook.create_sheet(CHART_SHEET_TITLE), sheet, report)
    _notes(workbook.create_sheet(NOTES_HEADING), report)
    workbook.save(path)
