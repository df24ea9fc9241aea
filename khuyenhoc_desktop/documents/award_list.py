"""The list of a ceremony (danh sách nhận học bổng, quà): each pupil signs for what they received. As a PDF to
print and sign, and as a workbook for the sponsor or the school, with the same columns and totals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from khuyenhoc_desktop.documents.fonts import BOLD, REGULAR
from khuyenhoc_desktop.documents.output import write_as
from khuyenhoc_desktop.documents.pdf_parts import (
    ISSUER,
    date_paragraph,
    official_document,
    official_header,
    page_number,
    para,
    signature_block,
    signer_titles,
    style,
)
from khuyenhoc_desktop.documents.report_text import NUMBER_HEADER, TOTAL_LABEL, Letterhead
from khuyenhoc_desktop.documents.report_workbook import (
    BOX,
    COUNT_FORMAT,
    font,
    merged_line,
    print_setup,
    write_text,
)
from khuyenhoc_desktop.domain.awards import school_text
from khuyenhoc_desktop.domain.text import format_count, format_date
from khuyenhoc_desktop.services.awards import AwardRow, EventRow

TITLE = "DANH SÁCH HỌC SINH NHẬN HỌC BỔNG, QUÀ"
HEADERS = ("Họ và tên", "Năm sinh", "Ấp", "Trường/lớp", "Hình thức", "Giá trị (VND)", "Ký nhận")
CASH_LABEL = "Trong đó tiền mặt"
IN_KIND_LABEL = "Hiện vật (quy ra tiền)"
MAKER = "Người lập danh sách"
# Excel keeps number formats in its US form and shows the separators of the reader's region: "#,##0" prints
# 2.000.000 on a Vietnamese Windows. "#.##0" would be read as a decimal point and print 2000000.000.
VND_FORMAT = COUNT_FORMAT

# STT, name, birth year, hamlet, school and class, kind, value, signature: 165 mm between the margins.
PDF_WIDTHS = (9 * mm, 35 * mm, 11 * mm, 26 * mm, 29 * mm, 16 * mm, 21 * mm, 18 * mm)
SIGNATURE_SHARES = (0.4, 0.6)  # the date line above the association's signer fits on one line
SIGNING_PADDING = 9  # points above and below each line: room for a child's signature


def event_lines(event: EventRow) -> list[str]:
    """What the ceremony was: its name, then when and where, then who gave."""
    when = f"Ngày {format_date(event.held_on)}" + (f" tại {event.place}" if event.place else "")
    lines = [event.name, when]
    if event.sponsor:
        lines.append(f"Nhà tài trợ: {event.sponsor}")
    return lines


def _cells(award: AwardRow) -> tuple[str, str, str, str, str]:
    return (
        award.pupil_name,
        str(award.birth_year or ""),
        award.hamlet_name,
        school_text(award.school, award.grade),
        award.kind_label,
    )


def _totals(awards: Sequence[AwardRow]) -> list[tuple[str, int]]:
    cash = sum(a.value_vnd for a in awards if a.is_cash)
    in_kind = sum(a.value_vnd for a in awards if not a.is_cash)
    return [
        (CASH_LABEL, cash),
        (IN_KIND_LABEL, in_kind),
        (f"{TOTAL_LABEL} ({format_count(len(awards))} suất)", cash + in_kind),
    ]


# -- PDF -------------------------------------------------------------------------------------------------------


def _pdf_table(awards: Sequence[AwardRow]) -> Table:
    head = style(10, BOLD, leading=12)
    body = style(10.5, align=TA_LEFT, leading=12.5)
    centred = style(10.5, leading=12.5)
    rows: list[list[object]] = [[para(NUMBER_HEADER, head), *(para(h, head) for h in HEADERS)]]
    for number, award in enumerate(awards, start=1):
        name, born, hamlet, school, kind = _cells(award)
        rows.append(
            [
                str(number),
                para(name, body),
                born,
                para(hamlet, body),
                para(school, body),
                para(kind, centred),
                format_count(award.value_vnd),
                "",
            ]
        )
    first_total = len(rows)
    for label, value in _totals(awards):
        rows.append(["", para(label, style(10.5, BOLD, TA_RIGHT)), "", "", "", "", format_count(value), ""])
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 10.5),
        ("FONTNAME", (0, first_total), (-1, -1), BOLD),
        ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ("ALIGN", (2, 0), (2, -1), "CENTER"),
        ("ALIGN", (6, 1), (6, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 1), (-1, first_total - 1), SIGNING_PADDING),
        ("BOTTOMPADDING", (0, 1), (-1, first_total - 1), SIGNING_PADDING),
    ]
    commands += [("SPAN", (1, row), (5, row)) for row in range(first_total, len(rows))]
    table = Table(rows, colWidths=PDF_WIDTHS, repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def write_award_list_pdf(event: EventRow, awards: Sequence[AwardRow], letterhead: Letterhead, path: Path) -> None:
    document = official_document(path, f"{TITLE} — {event.name}", letterhead.association_name)
    width = document.width
    name, *details = event_lines(event)
    story: list[Flowable] = [
        official_header(letterhead, "", "", width),
        Spacer(1, 8 * mm),
        para(TITLE, style(14, BOLD)),
        para(name, style(13, BOLD)),
        *(para(line, style(12)) for line in details),
        Spacer(1, 5 * mm),
        _pdf_table(awards),
        signature_block(
            [signer_titles(MAKER), signer_titles(f"TM. {ISSUER}", letterhead.signer_title.upper())],
            [letterhead.officer_name, letterhead.signer_name],
            width,
            above=date_paragraph(letterhead.date_line(event.held_on)),
            shares=SIGNATURE_SHARES,
        ),
    ]
    document.build(story, onLaterPages=page_number)


# -- workbook ---------------------------------------------------------------------------------------------------

SHEET_TITLE = "Danh sách"
HEADER_ROW = 7
FIRST_ROW = HEADER_ROW + 1
WORKBOOK_WIDTHS = (6, 28, 9, 18, 34, 14, 16, 18)
_ALIGN = {2: "left", 4: "left", 5: "left", 7: "right"}  # names and places read from the left, money from the right
SIGNING_ROW_HEIGHT = 30  # points: room to sign on the printed sheet
SIGNATURE_ROWS = 6  # from the date line to the signers' names: room to sign and seal


def _sheet_title(sheet: Worksheet, event: EventRow, letterhead: Letterhead, columns: int) -> None:
    name, *details = event_lines(event)
    lines = [
        (1, letterhead.association_name.upper(), font(bold=True), "left"),
        (3, TITLE, font(14, bold=True), "center"),
        (4, name, font(13, bold=True), "center"),
        *((5 + i, text, font(), "center") for i, text in enumerate(details)),
    ]
    for row, text, face, align in lines:
        merged_line(sheet, row, 1, columns, text, face, align)
    for column, header in enumerate((NUMBER_HEADER, *HEADERS), start=1):
        cell = sheet.cell(HEADER_ROW, column, header)
        cell.font = font(11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX


def _sheet_rows(sheet: Worksheet, awards: Sequence[AwardRow], columns: int) -> int:
    """The pupils and the total lines; returns the first row below them."""
    row = FIRST_ROW
    for number, award in enumerate(awards, start=1):
        sheet.cell(row, 1, number)
        for column, text in enumerate(_cells(award), start=2):
            write_text(sheet.cell(row, column), text)
        if award.birth_year:
            sheet.cell(row, 3, award.birth_year)
        sheet.cell(row, 7, award.value_vnd).number_format = VND_FORMAT
        sheet.row_dimensions[row].height = SIGNING_ROW_HEIGHT
        _box_row(sheet, row, columns, font())
        row += 1
    for label, value in _totals(awards):
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=6)
        write_text(sheet.cell(row, 2), label)
        sheet.cell(row, 7, value).number_format = VND_FORMAT
        _box_row(sheet, row, columns, font(bold=True), total=True)
        row += 1
    return row


def _sheet_signatures(sheet: Worksheet, row: int, event: EventRow, letterhead: Letterhead, columns: int) -> None:
    """The date line over the association's signer, the list's maker beside it, room to sign under both."""
    merged_line(sheet, row, 5, columns, letterhead.date_line(event.held_on), font(italic=True), "center")
    signers = (
        (1, 4, (MAKER,), letterhead.officer_name),
        (5, columns, (f"TM. {ISSUER}", letterhead.signer_title.upper()), letterhead.signer_name),
    )
    for first, last, titles, name in signers:
        for offset, text in enumerate(titles, start=1):
            merged_line(sheet, row + offset, first, last, text, font(bold=True), "center")
        merged_line(sheet, row + SIGNATURE_ROWS, first, last, name, font(bold=True), "center")


def write_award_list_workbook(event: EventRow, awards: Sequence[AwardRow], letterhead: Letterhead, path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = SHEET_TITLE
    columns = len(HEADERS) + 1
    _sheet_title(sheet, event, letterhead, columns)
    below = _sheet_rows(sheet, awards, columns)
    _sheet_signatures(sheet, below + 1, event, letterhead, columns)
    for column, width in enumerate(WORKBOOK_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 1)
    print_setup(sheet, f"{HEADER_ROW}:{HEADER_ROW}")
    workbook.save(path)


def _box_row(sheet: Worksheet, row: int, columns: int, face: Font, total: bool = False) -> None:
    for column in range(1, columns + 1):
        cell = sheet.cell(row, column)
        cell.font = face
        cell.border = BOX
        horizontal = _ALIGN.get(column, "center") if not (total and column == 2) else "right"
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)


Writer = Callable[[EventRow, Sequence[AwardRow], Letterhead, Path], None]
WRITERS: dict[str, Writer] = {".pdf": write_award_list_pdf, ".xlsx": write_award_list_workbook}


def write_award_list(event: EventRow, awards: Sequence[AwardRow], letterhead: Letterhead, path: Path) -> None:
    """The list in the format its file name asks for; a refusal the officer can act on as a UserError."""
    writers = {suffix: partial(writer, event, awards, letterhead) for suffix, writer in WRITERS.items()}
    write_as(path, "danh sách", writers)
