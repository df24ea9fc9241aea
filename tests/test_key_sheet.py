"""The key registration sheet as printed: one A4 page with its fonts, the commune and the officer, the
fingerprint to read aloud, a QR code that holds exactly the public key, and the chairman's signature lines."""

from __future__ import annotations

import base64
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
import segno
from PySide6.QtGui import QImage
from reportlab.pdfgen.canvas import Canvas

from khuyenhoc_desktop.documents.key_sheet import QR_SIZE, QrCode, write_key_sheet
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.services import keys as key_service
from khuyenhoc_desktop.services.keys import KeyInfo
from khuyenhoc_desktop.services.workspace import Workspace
from tests.pdf_helpers import NEEDS_POPPLER, PDFTOPPM, dark_share, first_page, pdf_text


@pytest.fixture
def sheet(workspace: Workspace, tmp_path: Path) -> tuple[Path, KeyInfo]:
    path = tmp_path / "phieu-khoa.pdf"
    info = key_service.key_info(workspace)
    write_key_sheet(workspace.profile, info, path, today=date(2025, 12, 15))
    return path, info


def test_sheet_embeds_its_fonts_on_one_a4_page(sheet: tuple[Path, KeyInfo]) -> None:
    content = sheet[0].read_bytes()
    assert content.startswith(b"%PDF")
    assert b"/FontFile2" in content  # TrueType embedded, not just named
    assert b"LiberationSerif-Bold" in content and b"LiberationSerif-Italic" in content
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in content
    assert len(re.findall(rb"/Type /Page\b", content)) == 1


@NEEDS_POPPLER
def test_sheet_names_the_commune_the_officer_and_the_key(sheet: tuple[Path, KeyInfo]) -> None:
    path, info = sheet
    text = pdf_text(path)
    for expected in (
        "UBND XÃ PHƯỚC VĨNH TÂY",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Phước Vĩnh Tây, ngày 15 tháng 12 năm 2025",
        "PHIẾU ĐĂNG KÝ KHÓA KÝ SỐ LIỆU",
        "Hội Khuyến học xã Phước Vĩnh Tây",
        "Xã Phước Vĩnh Tây, Tỉnh Tây Ninh (mã xã 28201)",
        "Lê Thị Hoa",
        info.key_id,
        info.public_base64,
        "Hướng dẫn cho cơ quan tổng hợp",
        "CHỦ TỊCH HỘI KHUYẾN HỌC XÃ",
        "(Ký, ghi rõ họ tên, đóng dấu)",
        "Nguyễn Văn Tư",
    ):
        assert expected in text, expected
    # Each character of the fingerprint sits in its own cell, so the extracted text may space them out.
    assert info.fingerprint.replace(" ", "") in re.sub(r"\s", "", text)


@NEEDS_POPPLER
def test_sheet_first_page_renders(sheet: tuple[Path, KeyInfo], tmp_path: Path) -> None:
    image = first_page(sheet[0], tmp_path)
    assert image.height() > image.width()  # A4 upright
    assert 0.01 < dark_share(image) < 0.3  # text, boxes and a QR code on a white page


@NEEDS_POPPLER
def test_qr_code_holds_exactly_the_public_key(tmp_path: Path) -> None:
    """Drawn alone, rasterised, and every module read back at its centre against segno's own matrix."""
    content = base64.b64encode(bytes(range(32))).decode()
    path = tmp_path / "qr.pdf"
    canvas = Canvas(str(path), pagesize=(QR_SIZE, QR_SIZE))
    code = QrCode(content)
    code.wrapOn(canvas, QR_SIZE, QR_SIZE)
    code.drawOn(canvas, 0, 0)
    canvas.save()
    assert PDFTOPPM is not None
    subprocess.run([PDFTOPPM, "-r", "300", "-png", "-gray", str(path), str(tmp_path / "qr")], check=True, timeout=60)
    (png,) = tmp_path.glob("qr*.png")
    image = QImage(str(png)).convertToFormat(QImage.Format.Format_Grayscale8)
    matrix = [list(row) for row in segno.make(content, error="m", micro=False).matrix]
    modules = len(matrix) + 4  # the two-module quiet zone each side
    step = image.width() / modules
    read = [
        [
            int(image.pixelColor(int((2 + x + 0.5) * step), int((2 + y + 0.5) * step)).value() < 128)
            for x in range(len(row))
        ]
        for y, row in enumerate(matrix)
    ]
    assert read == matrix


def test_sheet_must_be_a_pdf(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"\.pdf"):
        write_key_sheet(workspace.profile, key_service.key_info(workspace), tmp_path / "phieu.docx")
