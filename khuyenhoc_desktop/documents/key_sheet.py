"""The key registration sheet (phiếu đăng ký khóa ký số liệu): one A4 page the commune signs, seals and sends
to the consolidating office, which files it and checks every package against it.

The paper is what makes the key trustworthy: a key that arrives only with the data could be anyone's, but a
fingerprint under the chairman's signature and the association's seal names the commune. So the page
carries the fingerprint large enough to read aloud over the phone, the whole public key as a QR code (and in
small print) for the office to scan, and what the office should do with it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import segno
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from khuyenhoc_desktop.documents.fonts import BOLD, ITALIC
from khuyenhoc_desktop.documents.output import write_as
from khuyenhoc_desktop.documents.pdf_parts import (
    official_document,
    official_header,
    para,
    signature_block,
    signer_titles,
    style,
)
from khuyenhoc_desktop.documents.report_text import Letterhead, letterhead_of
from khuyenhoc_desktop.domain.text import format_date, nfc
from khuyenhoc_desktop.services.keys import KeyInfo

if TYPE_CHECKING:
    from khuyenhoc_desktop.storage.tables import Profile

TITLE = "PHIẾU ĐĂNG KÝ KHÓA KÝ SỐ LIỆU"
ALGORITHM = "Ed25519"
QR_SIZE = 34 * mm
FINGERPRINT_SIZE = 18  # points: read across a desk, and digit by digit over the phone
SIGN_HINT = "(Ký, ghi rõ họ tên)"
SEAL_HINT = "(Ký, ghi rõ họ tên, đóng dấu)"

INSTRUCTIONS = (
    "Cơ quan tổng hợp lưu phiếu này (bản có chữ ký và đóng dấu) trong hồ sơ của đơn vị; nhập khóa công khai "
    "bằng cách quét mã QR hoặc từ tệp khóa công khai đơn vị gửi kèm.",
    "Trước khi nhận, đọc đối chiếu dấu vân tay khóa với đơn vị qua điện thoại, từng nhóm 4 ký tự, từ trái sang "
    "phải. Chỉ đăng ký khi cả 8 nhóm trùng khớp.",
    "Khi kiểm tra một gói số liệu, phần mềm hiện dấu vân tay của khóa đã ký gói. Dấu vân tay phải trùng với "
    "phiếu này; không trùng thì không nhận gói và liên hệ đơn vị.",
    "Khi đơn vị đổi khóa (máy mới không khôi phục được khóa cũ, khóa bị lộ), đơn vị gửi phiếu mới có chữ ký và "
    "đóng dấu; phiếu cũ hết hiệu lực từ ngày ghi trên phiếu mới.",
    "Phiếu chỉ chứa khóa công khai, không có khóa bí mật: gửi qua bưu điện, thư điện tử đều được.",
)


class Fingerprint(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """The fingerprint in boxed groups of four, every character in a cell of the same width: the vendored
    serif has no monospaced face, and equal cells keep the columns of the two lines straight for reading."""

    def __init__(self, groups: list[str], size: float = FINGERPRINT_SIZE) -> None:
        super().__init__()
        self.groups = groups
        self.size = size
        self.cell = size * 0.95  # wide enough for W and M in the serif
        self.gap = size * 0.8
        self.per_line = 4
        self.row_height = size * 1.5

    def _group_width(self) -> float:
        return 4 * self.cell + self.cell * 0.4

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        lines = -(-len(self.groups) // self.per_line)
        return availWidth, lines * self.row_height

    def draw(self) -> None:
        canvas = self.canv
        group_width = self._group_width()
        line_width = self.per_line * group_width + (self.per_line - 1) * self.gap
        left = (self.width - line_width) / 2
        lines = -(-len(self.groups) // self.per_line)
        canvas.setFont(BOLD, self.size)
        canvas.setLineWidth(0.5)
        for index, group in enumerate(self.groups):
            line, column = divmod(index, self.per_line)
            bottom = (lines - 1 - line) * self.row_height
            x = left + column * (group_width + self.gap)
            canvas.roundRect(x, bottom + self.size * 0.15, group_width, self.size * 1.3, 3)
            for position, character in enumerate(group):
                centre = x + self.cell * 0.2 + (position + 0.5) * self.cell
                canvas.drawCentredString(centre, bottom + self.size * 0.45, character)


class QrCode(Flowable):  # type: ignore[misc]
    """A QR code drawn as vector squares, so it prints sharp at any printer resolution."""

    def __init__(self, content: str, size: float = QR_SIZE) -> None:
        super().__init__()
        self.code = segno.make(content, error="m", micro=False)
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        rows = [bytes(row) for row in self.code.matrix]
        border = 2  # quiet zone in modules; the sheet's white around it does the rest
        module = self.size / (len(rows) + 2 * border)
        canvas = self.canv
        canvas.setFillColorRGB(0, 0, 0)
        for y, row in enumerate(rows):
            x = 0
            while x < len(row):  # one rectangle per run of dark modules: fewer paths, no hairline seams
                if not row[x]:
                    x += 1
                    continue
                start = x
                while x < len(row) and row[x]:
                    x += 1
                canvas.rect(
                    (border + start) * module,
                    self.size - (border + y + 1) * module,
                    (x - start) * module,
                    module,
                    stroke=0,
                    fill=1,
                )


def _details(letterhead: Letterhead, info: KeyInfo, commune_code: str, width: float) -> Table:
    label, value = style(12.5, align=TA_LEFT, leading=15), style(12.5, BOLD, TA_LEFT, leading=15)
    rows = [
        ("Tên đơn vị", nfc(letterhead.association_name) or "Hội Khuyến học"),
        ("Địa bàn", letterhead.address + (f" (mã xã {commune_code})" if commune_code else "")),
        ("Cán bộ lập phiếu", nfc(letterhead.officer_name)),
        ("Ngày tạo khóa trên máy", format_date(info.installed_on)),
        ("Mã khóa", f"{info.key_id} ({ALGORITHM})"),
    ]
    table = Table(
        [[para(f"{name}:", label), para(text, value)] for name, text in rows],
        colWidths=[width * 0.34, width * 0.66],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _key_block(info: KeyInfo, width: float) -> Table:
    """The QR code on the left, what it holds and how to use it on the right."""
    public = info.public_base64
    text: list[Flowable] = [
        para("Mã QR bên cạnh chứa khóa công khai (dạng base64):", style(11.5, align=TA_LEFT)),
        Spacer(1, 1.5 * mm),
        para(public, style(11, BOLD, TA_LEFT)),
        Spacer(1, 2 * mm),
        para(
            "Quét mã bằng điện thoại hoặc máy quét, hoặc gõ lại đúng dòng trên, để nhập khóa vào phần mềm của "
            "cơ quan tổng hợp.",
            style(11, ITALIC, TA_LEFT),
        ),
    ]
    table = Table([[QrCode(public), text]], colWidths=[QR_SIZE + 6 * mm, width - QR_SIZE - 6 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOX", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
                ("LEFTPADDING", (0, 0), (0, 0), 3 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 1 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1 * mm),
            ]
        )
    )
    return table


def chairman_title(letterhead: Letterhead) -> str:
    """The chairman of the association that owns the key: of the commune, or of the province's office."""
    return "CHỦ TỊCH HỘI KHUYẾN HỌC XÃ" if letterhead.commune_name else "CHỦ TỊCH HỘI KHUYẾN HỌC TỈNH"


def write_key_sheet_pdf(
    letterhead: Letterhead, info: KeyInfo, path: Path, commune_code: str = "", today: date | None = None
) -> None:
    day = today or date.today()
    document = official_document(path, TITLE.capitalize(), letterhead.association_name)
    width = document.width - 12  # the frame keeps 6 pt inside each margin
    story: list[Flowable] = [
        official_header(letterhead, "", letterhead.date_line(day), width),
        Spacer(1, 4 * mm),
        para(TITLE, style(15, BOLD)),
        para("(để xác nhận gói số liệu do đơn vị gửi lên)", style(12, ITALIC)),
        Spacer(1, 3 * mm),
        _details(letterhead, info, commune_code, width),
        Spacer(1, 3 * mm),
        para("DẤU VÂN TAY KHÓA (đọc từng nhóm 4 ký tự, từ trái sang phải):", style(12.5, BOLD, TA_LEFT)),
        Spacer(1, 2.5 * mm),
        Fingerprint(info.fingerprint_groups),
        Spacer(1, 2 * mm),
        _key_block(info, width),
        Spacer(1, 2 * mm),
        para("Hướng dẫn cho cơ quan tổng hợp:", style(12.5, BOLD, TA_LEFT)),
    ]
    story += [
        para(f"{number}. {line}", style(11.5, align=TA_JUSTIFY, leading=13.5))
        for number, line in enumerate(INSTRUCTIONS, start=1)
    ]
    story.append(
        signature_block(
            [
                [*signer_titles("NGƯỜI LẬP PHIẾU"), para(SIGN_HINT, style(12, ITALIC))],
                [*signer_titles(chairman_title(letterhead)), para(SEAL_HINT, style(12, ITALIC))],
            ],
            [nfc(letterhead.officer_name), nfc(letterhead.signer_name)],
            width,
            shares=(0.4, 0.6),
        )
    )
    document.build(story)


def write_key_sheet(issuer: Profile | Letterhead | None, info: KeyInfo, path: Path, today: date | None = None) -> None:
    """Write the sheet as PDF; a wrong suffix or an unwritable file is refused in Vietnamese."""
    letterhead = issuer if isinstance(issuer, Letterhead) else letterhead_of(issuer)
    code = "" if issuer is None or isinstance(issuer, Letterhead) else issuer.commune_code
    write_as(path, "phiếu đăng ký khóa", {".pdf": lambda out: write_key_sheet_pdf(letterhead, info, out, code, today)})
