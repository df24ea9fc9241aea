"""A receipt voucher (phiếu thu) or payment voucher (phiếu chi) of the fund, on an A5 sheet across, as small
organisations print them from the accounting forms for administrative units: the unit top left, the form
number top right, the voucher's number and date, who paid or was paid and why, the amount in figures and in
words, and the four signatures the cash needs."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from khuyenhoc_desktop.documents.fonts import BOLD, ITALIC, REGULAR
from khuyenhoc_desktop.documents.output import write_as
from khuyenhoc_desktop.documents.pdf_parts import official_document, para, style
from khuyenhoc_desktop.documents.report_text import Letterhead, dated, letterhead_of
from khuyenhoc_desktop.domain.ledger import COUNTERPART_LABELS, VOUCHER_NAMES, Direction
from khuyenhoc_desktop.domain.text import amount_in_words, format_vnd, nfc
from khuyenhoc_desktop.services.ledger import LedgerRow

if TYPE_CHECKING:
    from khuyenhoc_desktop.storage.tables import Profile

PAGE = landscape(A5)
MARGIN = 12 * mm
FRAME_PADDING = 6  # reportlab's frame keeps 6 pt inside the margins: tables as wide as the text, not wider

# Thông tư 107/2017/TT-BTC (accounting for administrative units): C40-BB phiếu thu, C41-BB phiếu chi.
# A province that prints another form changes these two lines.
FORM_NUMBERS: dict[str, str] = {Direction.THU: "C40-BB", Direction.CHI: "C41-BB"}
FORM_BASIS = "(Ban hành kèm theo Thông tư số 107/2017/TT-BTC ngày 10/10/2017 của Bộ Tài chính)"

TITLES: dict[str, str] = {Direction.THU: "PHIẾU THU", Direction.CHI: "PHIẾU CHI"}
REASON_LABELS: dict[str, str] = {Direction.THU: "Lý do nộp", Direction.CHI: "Lý do chi"}
SIGNERS: dict[str, tuple[str, ...]] = {
    Direction.THU: ("Chủ tịch Hội", "Kế toán", "Người nộp tiền", "Thủ quỹ"),
    Direction.CHI: ("Chủ tịch Hội", "Kế toán", "Người nhận tiền", "Thủ quỹ"),
}
SIGN_HINT = "(Ký, họ tên)"
HEAD_SIGN_HINT = "(Ký, họ tên, đóng dấu)"


def _header(letterhead: Letterhead, direction: str, width: float) -> Table:
    left = [
        para((letterhead.association_name or "Hội Khuyến học").upper(), style(10.5, BOLD, TA_LEFT)),
        para(f"Địa chỉ: {letterhead.address}", style(10, align=TA_LEFT)),
    ]
    right = [
        para(f"Mẫu số {FORM_NUMBERS[direction]}", style(10.5, BOLD)),
        para(FORM_BASIS, style(8.5, ITALIC)),
    ]
    table = Table([[left, right]], colWidths=[width * 0.55, width * 0.45])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _line(label: str, value: str, value_font: str = REGULAR) -> Paragraph:
    """ "Số tiền: 9.700.000 đ": the label plain, the value in its own face."""
    text = f"{escape(nfc(label))}: <font name='{value_font}'>{escape(nfc(value))}</font>"
    return Paragraph(text, style(11.5, align=TA_LEFT, leading=17))


def _signatures(direction: str, counterpart: str, width: float) -> Table:
    titles = SIGNERS[direction]
    cells = []
    for i, title in enumerate(titles):
        name = counterpart if i == 2 else ""
        cells.append(
            [
                para(title, style(10.5, BOLD)),
                para(HEAD_SIGN_HINT if i == 0 else SIGN_HINT, style(9, ITALIC)),
                Spacer(1, 17 * mm),
                para(name, style(10.5, BOLD)),
            ]
        )
    table = Table([cells], colWidths=[width / len(cells)] * len(cells))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2)]))
    return table


def write_voucher_pdf(issuer: Letterhead | Profile | None, row: LedgerRow, path: Path) -> None:
    """One voucher on one A5 page; `issuer` is the workspace's profile or its letterhead fields."""
    letterhead = issuer if isinstance(issuer, Letterhead) else letterhead_of(issuer)
    title = TITLES[row.direction]
    document = official_document(
        path, f"{title.capitalize()} {row.voucher_no}", letterhead.association_name, PAGE, margin=MARGIN
    )
    width = document.width - 2 * FRAME_PADDING
    reason = " — ".join(part for part in (row.category_label, nfc(row.note)) if part)
    story: list[Flowable] = [
        _header(letterhead, row.direction, width),
        Spacer(1, 3 * mm),
        para(title, style(16, BOLD)),
        para(dated("", row.entry_on), style(11, ITALIC)),
        para(f"Số: {row.voucher_no}", style(11)),
        Spacer(1, 4 * mm),
        _line(f"Họ và tên {COUNTERPART_LABELS[row.direction].lower()}", row.counterpart),
        _line(REASON_LABELS[row.direction], reason),
        _line("Số tiền", format_vnd(row.amount), BOLD),
        _line("(Viết bằng chữ)", amount_in_words(row.amount), ITALIC),
        Spacer(1, 4 * mm),
        _signatures(row.direction, row.counterpart, width),
    ]
    document.build(story)


def write_voucher(issuer: Letterhead | Profile | None, row: LedgerRow, path: Path) -> None:
    """The voucher as a PDF where the officer asked; another file name, or a file that cannot be written, is a
    UserError saying what to do."""
    write_as(path, VOUCHER_NAMES[row.direction], {".pdf": partial(write_voucher_pdf, issuer, row)})
