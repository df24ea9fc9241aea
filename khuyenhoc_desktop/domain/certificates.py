"""A certificate as it is printed: every line already worded from the officer's template, so the PDF writer only
lays it out. Giấy công nhận for the learning titles, giấy khen for commendations (issue 7)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CertificateKind(StrEnum):
    RECOGNITION = "cong_nhan"  # giấy công nhận danh hiệu
    COMMENDATION = "giay_khen"  # giấy khen


@dataclass(frozen=True)
class CertificateText:
    serial: str  # printed and in the QR statement, e.g. "28201-2025-GD-000123"
    kind: str  # CertificateKind
    superior_body: str  # "UBND XÃ PHƯỚC VĨNH TÂY" (capitals, top left)
    issuing_body: str  # "HỘI KHUYẾN HỌC" (capitals, bold, under the superior body)
    number_line: str  # "Số: 12/GCN-HKH"
    heading: str  # "GIẤY CÔNG NHẬN" or "GIẤY KHEN"
    title_line: str  # "“GIA ĐÌNH HỌC TẬP” NĂM 2025"
    recipient_lines: tuple[str, ...]  # the recipient first, then address lines
    body_lines: tuple[str, ...]  # the basis (decision number and date) and the achievement
    place_date: str  # "Phước Vĩnh Tây, ngày 15 tháng 12 năm 2025"
    signer_lines: tuple[str, ...]  # "TM. BAN CHẤP HÀNH", "CHỦ TỊCH"
    signer_name: str
    qr_text: str  # the signed statement a checker verifies
    reprint: bool = False  # printed again: the page says so
