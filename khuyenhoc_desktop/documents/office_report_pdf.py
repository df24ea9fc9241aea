"""The consolidated report as a PDF to sign and send upward: Nghị định 30 header on a landscape A4, the titles
per commune (part I) and the support work per commune (part II) as tables whose header rows repeat on every
page, who has not sent and which old communes are inside a row, the rules and the signature; then, as the
report's appendix, the recognised-family rate per commune as bar charts of up to CHART_ROWS communes a page (a
province's hundred communes do not fit one drawing, and a drawing cannot break across pages)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from khuyenhoc_desktop.documents.fonts import BOLD, ITALIC, REGULAR
from khuyenhoc_desktop.documents.office_report_workbook import office_letterhead
from khuyenhoc_desktop.documents.pdf_parts import (
    official_document,
    official_header,
    page_number,
    para,
    style,
)
from khuyenhoc_desktop.documents.report_pdf import (
    AVERAGE_COLOUR,
    HEADER_FILL,
    NUMBER_LINE,
    PAGE,
    notes_block,
    part_heading,
    report_signature,
    style_rate_chart,
)
from khuyenhoc_desktop.documents.report_text import NUMBER_HEADER
from khuyenhoc_desktop.domain.text import format_percent, nfc
from khuyenhoc_desktop.services.office_report import (
    CHART_HEADING,
    COMMUNE_HEADER,
    NOT_SENT,
    OFFICE_NOTES,
    PACKAGE_HEADER,
    RATE,
    SUPPORT_COLUMNS,
    TITLE_COLUMNS,
    TOTAL_LABEL,
    OfficeReport,
    ReportColumn,
    ReportRow,
    column_groups,
    report_title,
)
from khuyenhoc_desktop.services.support_statistics import SUPPORT_HEADING

TITLES_PART = "I. KẾT QUẢ XÂY DỰNG CÁC DANH HIỆU HỌC TẬP"
SUPPORT_PART = f"II. {SUPPORT_HEADING.upper()}"
APPENDIX = "PHỤ LỤC: BIỂU ĐỒ"
CONTINUED = " (tiếp theo)"

FIGURE_SIZE = 8  # the figures; the wide total row has to fit too
NUMBER_WIDTH = 7 * mm
MAX_NAME_WIDTH = 50 * mm
PACKAGE_WIDTH = 24 * mm  # "Lần 12 (27/11/2026)" on one line
MIN_COUNT_WIDTH = 8.5 * mm
MIN_RATE_WIDTH = 11.5 * mm
CELL_PADDING = 5  # points, both sides together
CHART_ROWS = 26  # communes per chart: with the headings, one landscape page
CHART_ROW_HEIGHT = 5 * mm
CHART_LABEL_WIDTH = 42 * mm


def _figure_widths(report: OfficeReport, columns: Sequence[ReportColumn]) -> list[float]:
    """Each figure column as wide as its widest figure (the total row's, usually), never under a minimum."""
    widths = []
    for column in columns:
        widest = max(
            stringWidth(column.text(row), BOLD if row.is_total else REGULAR, FIGURE_SIZE)
            for row in (*report.rows, report.total)
        )
        least = MIN_RATE_WIDTH if column.kind == RATE else MIN_COUNT_WIDTH
        widths.append(max(least, widest + CELL_PADDING))
    return widths


def _header_cell(column: ReportColumn) -> Paragraph:
    """A rate's header keeps its denominator on a line of its own, in italics: "Tỷ lệ / (trên tổng số hộ)"."""
    head = style(7.5, BOLD, leading=9)
    label, _, denominator = column.header.partition(" (")
    if not denominator:
        return para(label, head)
    return Paragraph(f"{escape(nfc(label))}<br/><font name='{ITALIC}'>({escape(nfc(denominator))}</font>", head)


def _table(report: OfficeReport, columns: Sequence[ReportColumn], width: float) -> Table:
    """STT, commune, package, then the columns under their lines; a commune that sent nothing says so."""
    head = style(7.5, BOLD, leading=9)
    name_style = style(8.5, align=TA_LEFT, leading=10)
    package_style = style(7.5, align=TA_LEFT, leading=9)
    groups: list[object] = [NUMBER_HEADER, para(COMMUNE_HEADER, head), para(PACKAGE_HEADER, head)]
    headers: list[object] = ["", "", ""]
    spans = []
    for group, members in column_groups(columns):
        first = len(groups)
        groups += [para(group, head), *([""] * (len(members) - 1))]
        headers += [_header_cell(column) for column in members]
        spans.append((first, first + len(members) - 1))
    rows: list[Sequence[object]] = [groups, headers]
    not_sent_style = style(7.5, ITALIC, TA_LEFT, leading=9)
    for number, row in enumerate(report.rows, start=1):
        package = para(row.package_label, not_sent_style if row.own is None else package_style)
        rows.append([str(number), para(row.name, name_style), package, *(column.text(row) for column in columns)])
    total = report.total
    rows.append(
        ["", para(TOTAL_LABEL, style(8.5, BOLD, TA_LEFT)), para(total.package_label, package_style)]
        + [column.text(total) for column in columns]
    )

    figure_widths = _figure_widths(report, columns)
    name_width = width - NUMBER_WIDTH - PACKAGE_WIDTH - sum(figure_widths)
    if name_width > MAX_NAME_WIDTH:  # a few wide columns: they share the room rather than the names take it
        spare = (name_width - MAX_NAME_WIDTH) / len(figure_widths)
        figure_widths = [w + spare for w in figure_widths]
        name_width = MAX_NAME_WIDTH
    last = len(rows) - 1
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTNAME", (0, last), (-1, last), BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), FIGURE_SIZE),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 1), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, 1), "CENTER"),
        ("ALIGN", (0, 2), (0, -1), "CENTER"),
        ("ALIGN", (3, 2), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        *(("SPAN", (column, 0), (column, 1)) for column in range(3)),
    ]
    for first, end in spans:
        if end > first:
            commands.append(("SPAN", (first, 0), (end, 0)))
        commands.append(("LINEAFTER", (end, 0), (end, -1), 1.1, colors.black))
    table = Table(rows, colWidths=[NUMBER_WIDTH, name_width, PACKAGE_WIDTH, *figure_widths], repeatRows=2)
    table.setStyle(TableStyle(commands))
    return table


def _under_table(report: OfficeReport) -> list[Flowable]:
    """Who has not sent, and the old communes inside a row, in italics under part I."""
    face = style(9.5, ITALIC, TA_LEFT, leading=12)
    return [para(line, face) for line in (report.missing_line, *report.merged_notes)]


def _chart_part(report: OfficeReport, rows: Sequence[ReportRow], width: float) -> Drawing:
    """One chart of up to CHART_ROWS communes, top to bottom in the table's order, the total's rate dashed."""
    drawing = Drawing(width, len(rows) * CHART_ROW_HEIGHT + 16 * mm)
    chart = HorizontalBarChart()
    chart.x, chart.y = CHART_LABEL_WIDTH, 8 * mm
    chart.width, chart.height = width - CHART_LABEL_WIDTH - 12 * mm, len(rows) * CHART_ROW_HEIGHT
    rates = [row.chart_rate for row in rows]
    chart.data = [[(rate or 0) * 100 for rate in rates]]
    style_rate_chart(chart, 8, 7.5)
    chart.barWidth, chart.groupSpacing = 8, 4
    chart.categoryAxis.categoryNames = [nfc(row.name) for row in rows]
    chart.categoryAxis.reverseDirection = 1  # the first commune at the top
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.tickLeft = 0
    chart.barLabelArray = [[format_percent(row.chart_rate) if row.has_figures else NOT_SENT.lower() for row in rows]]
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    rate = report.total.chart_rate
    if rate is not None:
        level = chart.x + chart.width * min(rate, 1.0)
        top = chart.y + chart.height
        drawing.add(Line(level, chart.y, level, top + 2 * mm, strokeColor=AVERAGE_COLOUR, strokeDashArray=[4, 3]))
        label = f"{TOTAL_LABEL.capitalize()}: {format_percent(rate)}"
        drawing.add(String(level, top + 3 * mm, label, fontName=ITALIC, fontSize=9, textAnchor="middle",
                           fillColor=AVERAGE_COLOUR))  # fmt: skip
    return drawing


def _charts(report: OfficeReport, width: float) -> list[Flowable]:
    """The appendix: the chart in pieces of CHART_ROWS communes, a page each with its heading."""
    pieces: list[Flowable] = []
    for start in range(0, len(report.rows), CHART_ROWS):
        heading = para(CHART_HEADING + (CONTINUED if start else ""), style(11, BOLD))
        drawing = _chart_part(report, report.rows[start : start + CHART_ROWS], width)
        pieces += [PageBreak(), *([] if start else [part_heading(APPENDIX)]), heading, Spacer(1, 2 * mm), drawing]
    return pieces


def write_office_report_pdf(report: OfficeReport, path: Path) -> None:
    title = report_title(report.year)
    document = official_document(path, title, report.association_name, PAGE)
    width = document.width
    letterhead = office_letterhead(report)
    story: list[Flowable] = [
        official_header(letterhead, NUMBER_LINE, letterhead.date_line(report.generated_at.date()), width),
        Spacer(1, 6 * mm),
        para(title, style(14, BOLD)),
        para(report.received_line, style(10.5, ITALIC)),
        Spacer(1, 4 * mm),
        part_heading(TITLES_PART),
        Spacer(1, 2 * mm),
        _table(report, TITLE_COLUMNS, width),
        Spacer(1, 2 * mm),
        *_under_table(report),
        Spacer(1, 5 * mm),
        part_heading(SUPPORT_PART),
        Spacer(1, 2 * mm),
        _table(report, SUPPORT_COLUMNS, width),
        Spacer(1, 3 * mm),
        report_signature(report.signer_title, report.signer_name, width, [notes_block(OFFICE_NOTES)]),
        *_charts(report, width),
    ]
    document.build(story, onLaterPages=page_number)
