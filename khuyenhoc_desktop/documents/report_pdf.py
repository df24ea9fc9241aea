"""The commune report as a PDF to print, sign and send: Nghị định 30/2020 header and margins, the figures
per hamlet with each rate's denominator, a bar chart of the families recognised per hamlet, the signature."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import BarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from khuyenhoc_desktop.documents.fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR
from khuyenhoc_desktop.documents.pdf_parts import (
    ISSUER,
    official_document,
    official_header,
    page_number,
    para,
    signature_block,
    signer_titles,
    style,
)
from khuyenhoc_desktop.documents.report_text import (
    HAMLET_HEADER,
    NOTES_HEADING,
    NUMBER_HEADER,
    TOTAL_LABEL,
    report_letterhead,
    report_title,
)
from khuyenhoc_desktop.domain.text import format_count, format_percent, nfc
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services.statistics import (
    FIGURE_HEADERS,
    NOTES,
    CommuneStatistics,
    TitleFigures,
)
from khuyenhoc_desktop.services.support_statistics import SUPPORT_HEADING, SupportStatistics, support_lines

PAGE = landscape(A4)  # five titles of four columns each do not fit across a portrait page

NUMBER_LINE = "Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/BC-HKH"
TITLES_HEADING = "I. KẾT QUẢ XÂY DỰNG CÁC DANH HIỆU HỌC TẬP"  # only when part II follows
SUPPORT_PART = f"II. {SUPPORT_HEADING.upper()}"
KEPT_WITH_SIGNATURE = 2  # the report's last lines go over to the signature's page with it
RECIPIENTS = ("Nơi nhận:", "- Hội Khuyến học cấp trên;", "- Lưu: VT.")
CHART_TITLE = "Tỷ lệ gia đình học tập được công nhận theo ấp"
CHART_SUBJECT = Title.FAMILY  # the title most reports lead with

BAR_COLOUR = colors.HexColor("#2f6f9f")
AVERAGE_COLOUR = colors.HexColor("#b03a2e")
HEADER_FILL = colors.HexColor("#e8eef4")

# Column widths: STT, then four per title (three counts and the wider rate); the hamlet takes the rest.
NUMBER_WIDTH = 8 * mm
COUNT_WIDTH = 9.5 * mm
RATE_WIDTH = 14 * mm


def _figure_cells(figures: dict[str, TitleFigures]) -> list[str]:
    cells: list[str] = []
    for title in Title:
        found = figures[title]
        cells += [format_count(found.total), format_count(found.registered), format_count(found.recognised)]
        cells.append(format_percent(found.rate))
    return cells


def _figures_table(stats: CommuneStatistics, width: float) -> Table:
    head = style(8.5, BOLD, leading=10)
    body = style(9.5, align=TA_LEFT, leading=11.5)
    titles = list(Title)
    groups: list[object] = [NUMBER_HEADER, HAMLET_HEADER]
    columns: list[object] = ["", ""]
    for title in titles:
        groups += [para(stats.total[title].title_label, head), "", "", ""]
        columns += [para(label, head) for label in FIGURE_HEADERS]
        denominator = escape(stats.total[title].denominator_label)
        columns.append(Paragraph(f"Tỷ lệ<br/><font name='{ITALIC}'>({denominator})</font>", head))
    rows: list[Sequence[object]] = [groups, columns]
    for number, hamlet in enumerate(stats.hamlets, start=1):
        rows.append([str(number), para(hamlet.hamlet_name, body), *_figure_cells(hamlet.figures)])
    rows.append(["", para(TOTAL_LABEL, style(9.5, BOLD, TA_LEFT)), *_figure_cells(stats.total)])

    group_width = 3 * COUNT_WIDTH + RATE_WIDTH
    hamlet_width = width - NUMBER_WIDTH - len(titles) * group_width
    widths = [NUMBER_WIDTH, hamlet_width, *([COUNT_WIDTH] * 3 + [RATE_WIDTH]) * len(titles)]
    last = len(rows) - 1
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTNAME", (0, 0), (-1, 1), BOLD),
        ("FONTNAME", (0, last), (-1, last), BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), 9.5),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 1), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, 1), "CENTER"),
        ("ALIGN", (0, 2), (0, -1), "CENTER"),
        ("ALIGN", (2, 2), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (1, 1)),
    ]
    for i in range(len(titles)):
        first = 2 + i * 4
        commands.append(("SPAN", (first, 0), (first + 3, 0)))
        commands.append(("LINEAFTER", (first + 3, 0), (first + 3, -1), 1.2, colors.black))
    table = Table(rows, colWidths=widths, repeatRows=2)
    table.setStyle(TableStyle(commands))
    return table


def notes_block(notes: Sequence[str]) -> Flowable:
    """The report's notes (what each figure counts), kept together in small type."""
    note_style = style(9, align=TA_LEFT, leading=11)
    heading = para(f"{NOTES_HEADING}:", style(9, BOLD_ITALIC, TA_LEFT))
    return KeepTogether([heading, *(para(f"- {note}", note_style) for note in notes)])


def style_rate_chart(chart: BarChart, label_size: float, bar_label_size: float) -> None:
    """What every chart of rates shares: the bars' colour, a 0–100 % axis with a light grid, the fonts."""
    chart.bars[0].fillColor = BAR_COLOUR
    chart.bars[0].strokeColor = None
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labelTextFormat = lambda value: f"{value:.0f}%"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#cccccc")
    sizes = ((chart.valueAxis.labels, label_size), (chart.categoryAxis.labels, label_size))
    for labels, size in (*sizes, (chart.barLabels, bar_label_size)):
        labels.fontName, labels.fontSize = REGULAR, size
    chart.barLabelFormat = "values"


def _chart(stats: CommuneStatistics, width: float) -> list[Flowable]:
    """The families recognised as a share of each hamlet's households, with the commune's rate dashed across."""
    if not stats.hamlets:
        return []
    rates = [h.figures[CHART_SUBJECT].rate for h in stats.hamlets]
    names = [nfc(h.hamlet_name) for h in stats.hamlets]
    crowded = len(names) > 6  # longer hamlet names no longer fit side by side
    drawing = Drawing(width, 62 * mm)  # with the notes and the signature it fits one page
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, (22 if crowded else 12) * mm
    chart.width, chart.height = width - 20 * mm, drawing.height - chart.y - 8 * mm
    chart.data = [[(rate or 0) * 100 for rate in rates]]
    style_rate_chart(chart, 9, 8)
    chart.barWidth, chart.groupSpacing = 10, 10
    chart.categoryAxis.categoryNames = names
    if crowded:
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
    chart.barLabelArray = [[format_percent(rate) for rate in rates]]
    chart.barLabels.nudge = 7
    drawing.add(chart)
    commune_rate = stats.total[CHART_SUBJECT].rate
    if commune_rate is not None:
        level = chart.y + chart.height * commune_rate
        right = chart.x + chart.width
        drawing.add(Line(chart.x, level, right, level, strokeColor=AVERAGE_COLOUR, strokeDashArray=[4, 3]))
        label = f"{TOTAL_LABEL}: {format_percent(commune_rate)}"
        drawing.add(
            String(right, level + 3, label, fontName=ITALIC, fontSize=9, textAnchor="end", fillColor=AVERAGE_COLOUR)
        )
    heading = f"{CHART_TITLE} ({stats.total[CHART_SUBJECT].denominator_label})"
    return [KeepTogether([para(heading, style(11, BOLD)), Spacer(1, 2 * mm), drawing])]


def report_signature(signer_title: str, signer_name: str, width: float, kept_with: Sequence[Flowable]) -> Flowable:
    """The recipients on the left, the association's signer on the right: the close of every report."""
    recipients = [
        para(RECIPIENTS[0], style(12, BOLD_ITALIC, TA_LEFT)),
        *(para(line, style(11, align=TA_LEFT)) for line in RECIPIENTS[1:]),
    ]
    signer = signer_titles(f"TM. {ISSUER}", signer_title.upper())
    return signature_block([recipients, signer], ["", signer_name], width, kept_with=kept_with)


def part_heading(text: str) -> Paragraph:
    return para(text, style(12, BOLD, TA_LEFT))


def _support(support: SupportStatistics) -> list[Flowable]:
    """Part II as a report writes it: numbered lines, each breakdown indented under its line."""
    headline = style(12, align=TA_LEFT, leading=16)
    detail = style(12, align=TA_LEFT, leading=16, indent=8 * mm)
    story: list[Flowable] = [part_heading(SUPPORT_PART), Spacer(1, 2 * mm)]
    number = 0
    for line in support_lines(support):
        label, reading = escape(nfc(line.label)), escape(nfc(line.reading))
        if line.detail:
            story.append(Paragraph(f"- {label}: {reading}", detail))
        else:
            number += 1
            story.append(Paragraph(f"{number}. <font name='{BOLD}'>{label}:</font> {reading}", headline))
    return story


def write_report_pdf(stats: CommuneStatistics, path: Path) -> None:
    title = report_title(stats.year)
    document = official_document(path, title, stats.association_name, PAGE)
    width = document.width
    letterhead = report_letterhead(stats)
    story: list[Flowable] = [
        official_header(letterhead, NUMBER_LINE, letterhead.date_line(stats.generated_at.date()), width),
        Spacer(1, 8 * mm),
        para(title, style(14, BOLD)),
        Spacer(1, 5 * mm),
    ]
    if stats.support is not None:
        story += [part_heading(TITLES_HEADING), Spacer(1, 2 * mm)]
    story += [
        _figures_table(stats, width),
        Spacer(1, 3 * mm),
        notes_block(NOTES),
        Spacer(1, 6 * mm),
        *_chart(stats, width),
    ]
    last_lines: list[Flowable] = []
    if stats.support is not None:
        part = _support(stats.support)
        story += [Spacer(1, 4 * mm), *part[:-KEPT_WITH_SIGNATURE]]
        last_lines = part[-KEPT_WITH_SIGNATURE:]
    story.append(report_signature(stats.signer_title, stats.signer_name, width, last_lines))
    document.build(story, onLaterPages=page_number)
