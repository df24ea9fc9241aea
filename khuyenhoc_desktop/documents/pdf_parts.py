"""The pieces every official paper of the association is made of (Nghị định 30/2020/NĐ-CP): the page and its
margins, paragraph styles on the vendored serif, the two-column header with its rules, the italic
place-and-date line and the signature block. The report, the award list and the vouchers all print through
here, so they look like papers from one office."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from khuyenhoc_desktop import APP_TITLE
from khuyenhoc_desktop.documents.fonts import BOLD, ITALIC, REGULAR, register_fonts

# Who issues a paper lives with the other words of it (report_text, which the workbooks use without reportlab);
# the pages that print, and their tests, take it from here as well.
from khuyenhoc_desktop.documents.report_text import Letterhead
from khuyenhoc_desktop.domain.text import nfc

# Nghị định 30/2020: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
LEFT_MARGIN, RIGHT_MARGIN, TOP_MARGIN, BOTTOM_MARGIN = 30 * mm, 15 * mm, 20 * mm, 20 * mm
SIGNATURE_SPACE = 24 * mm  # room for the signature and the seal

ISSUER = "HỘI KHUYẾN HỌC"
COUNTRY = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def style(
    size: float, font: str = REGULAR, align: int = TA_CENTER, leading: float | None = None, indent: float = 0
) -> ParagraphStyle:
    """`indent` moves the whole paragraph right (a breakdown under its line)."""
    return ParagraphStyle(
        f"{font}-{size}-{align}-{leading}-{indent}",
        fontName=font,
        fontSize=size,
        leading=leading or size * 1.25,
        alignment=align,
        leftIndent=indent,
    )


def para(text: str, paragraph_style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: NFC (reportlab draws decomposed marks apart) and markup escaped."""
    return Paragraph(escape(nfc(text)), paragraph_style)


class Rule(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """The solid line Nghị định 30 puts, centred, under the issuing body and under the motto."""

    def __init__(self, length: float) -> None:
        super().__init__()
        self.length = length

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, 3

    def draw(self) -> None:
        start = (self.width - self.length) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(start, 0.5, start + self.length, 0.5)


def official_header(
    letterhead: Letterhead, number_line: str, date_line: str, width: float, issuer: str = ISSUER
) -> Table:
    """The superior body, the issuer and the number on the left, the national motto and (if given) the date
    line on the right.

    `number_line` is reportlab markup ("Số: &nbsp;…/BC-HKH"); "" leaves it out, as on a list to be signed.
    """
    left: list[Flowable] = [
        para(letterhead.superior_body, style(12)),
        para(issuer, style(12, BOLD)),
        Rule(stringWidth(issuer, BOLD, 12) * 0.5),
    ]
    if number_line:
        left += [Spacer(1, 3 * mm), Paragraph(number_line, style(13))]
    right: list[Flowable] = [
        para(COUNTRY, style(12, BOLD)),
        para(MOTTO, style(13, BOLD)),
        Rule(stringWidth(MOTTO, BOLD, 13)),
    ]
    if date_line:
        right += [Spacer(1, 3 * mm), date_paragraph(date_line)]
    table = Table([[left, right]], colWidths=[width * 0.4, width * 0.6])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def date_paragraph(text: str, align: int = TA_CENTER) -> Paragraph:
    """The place-and-date line, in italics."""
    return para(text, style(13, ITALIC, align))


def signer_titles(*lines: str) -> list[Flowable]:
    """ "TM. HỘI KHUYẾN HỌC" / "CHỦ TỊCH": the lines over a signature, bold and centred."""
    return [para(line, style(13, BOLD)) for line in lines]


def signature_block(
    heads: Sequence[Sequence[Flowable]],
    names: Sequence[str],
    width: float,
    above: Flowable | None = None,
    shares: Sequence[float] | None = None,
    kept_with: Sequence[Flowable] = (),
) -> Flowable:
    """Side-by-side columns (recipients and a signer, or two signers): their headings, room to sign and seal,
    then the signers' names on one line, kept on one page.

    `above` goes over the last column (the place-and-date line when the header does not carry it); `shares`
    divides the width (equal columns when None); `kept_with` are the paper's last lines, which go over to the
    next page with the signature rather than leave it alone there.
    """
    parts = shares or [1 / len(heads)] * len(heads)
    rows: list[list[object]] = []
    if above is not None:
        rows.append([*([""] * (len(heads) - 1)), above])
    rows += [[list(head) for head in heads], [""] * len(heads), [para(name, style(13, BOLD)) for name in names]]
    table = Table(rows, colWidths=[width * part for part in parts])
    spacer_row = len(rows) - 2
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, spacer_row), (-1, spacer_row), SIGNATURE_SPACE / 2),
                ("BOTTOMPADDING", (0, spacer_row), (-1, spacer_row), SIGNATURE_SPACE / 2),
            ]
        )
    )
    return KeepTogether([*kept_with, Spacer(1, 6 * mm), table])


def official_document(
    path: Path, title: str, author: str, pagesize: tuple[float, float] = A4, margin: float | None = None
) -> SimpleDocTemplate:
    """A document with the fonts registered and the Nghị định 30 margins, or one `margin` all round (a voucher
    on a small sheet follows the accounting forms, not the administrative ones)."""
    register_fonts()
    left, right, top, bottom = (
        (LEFT_MARGIN, RIGHT_MARGIN, TOP_MARGIN, BOTTOM_MARGIN) if margin is None else (margin,) * 4
    )
    return SimpleDocTemplate(
        str(path),
        pagesize=pagesize,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author=nfc(author),
        creator=APP_TITLE,
    )


def page_number(canvas: Canvas, document: SimpleDocTemplate) -> None:
    """From page 2 on (`onLaterPages`), the number at the top centre (Nghị định 30)."""
    width, height = document.pagesize
    canvas.setFont(REGULAR, 12)
    canvas.drawCentredString(width / 2, height - 12 * mm, str(document.page))
