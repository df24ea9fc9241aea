"""Certificates as printed: one A4 landscape page per certificate with its fonts embedded once, the words as
worded (diacritics intact), a QR code that reads back as the signed statement, the reprint mark, long names
kept inside the frame, a cancelled run that leaves no file, and every vendored face covering Vietnamese."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
import segno
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from reportlab.pdfbase import pdfmetrics

from khuyenhoc_desktop.documents.certificates import (
    CERTIFICATE_PAGE,
    INNER_INSET,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    QR_BOTTOM,
    QR_LEFT,
    QR_MASK,
    QR_SIZE,
    REPRINT_MARK,
    write_certificates,
)
from khuyenhoc_desktop.documents.fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR, SANS, SANS_BOLD, register_fonts
from khuyenhoc_desktop.domain.certificates import CertificateKind, CertificateText
from khuyenhoc_desktop.domain.errors import UserError
from tests.pdf_helpers import NEEDS_POPPLER, PDFTOPPM, PDFTOTEXT, first_page, pdf_text

PDFFONTS = shutil.which("pdffonts")
REFERENCE = Path(__file__).parent / "data" / "certificate_page1.png"
REFERENCE_SIZE = (146, 103)  # page 1 at 50 dpi, a quarter across: layout, not letter shapes
REFERENCE_TOLERANCE = 3.0  # mean grey difference out of 255: antialiasing ~0.1, a page without its body lines ~5

SAMPLE = CertificateText(
    serial="28201-2025-GD-000123",
    kind=CertificateKind.RECOGNITION,
    superior_body="UBND XÃ PHƯỚC VĨNH TÂY",
    issuing_body="HỘI KHUYẾN HỌC",
    number_line="Số: 12/GCN-HKH",
    heading="GIẤY CÔNG NHẬN",
    title_line="“GIA ĐÌNH HỌC TẬP” NĂM 2025",
    recipient_lines=("Gia đình ông/bà: Nguyễn Thị Ngọc Ánh", "Ấp Phước Lợi, xã Phước Vĩnh Tây, tỉnh Tây Ninh"),
    body_lines=(
        "Đã đạt danh hiệu “Gia đình học tập” năm 2025",
        "theo Quyết định số 05/QĐ-HKH ngày 10/12/2025 của Ban Chấp hành Hội Khuyến học xã Phước Vĩnh Tây.",
    ),
    place_date="Phước Vĩnh Tây, ngày 15 tháng 12 năm 2025",
    signer_lines=("TM. BAN CHẤP HÀNH", "CHỦ TỊCH"),
    signer_name="Trần Văn Bình",
    qr_text="KHCN1|28201-2025-GD-000123|gia_dinh|2025|Nguyễn Thị Ngọc Ánh|28201|"
    "Xã Phước Vĩnh Tây|q2v9Xw0bWJ1kQk3n8yZCkq0hR4sT7uV2xY5zA8bC1dE4fG7hJ0kL3mN6pQ9rS2tU5vW8xY1zA4bC7dE0fG3hJ6kA",
)


def certificates(count: int) -> list[CertificateText]:
    return [
        replace(SAMPLE, serial=f"28201-2025-GD-{number:06d}", qr_text=f"{SAMPLE.qr_text}|{number}")
        for number in range(1, count + 1)
    ]


def page_count(path: Path) -> int:
    """pdftotext ends every page with a form feed."""
    return pdf_text(path).count("\f")


def render(path: Path, folder: Path, dpi: int, page: int = 1) -> Path:
    """One page as a grey PNG at `dpi`."""
    assert PDFTOPPM is not None
    prefix = folder / f"trang-{page}-{dpi}"
    subprocess.run(
        [PDFTOPPM, "-r", str(dpi), "-gray", "-png", "-f", str(page), "-l", str(page), str(path), str(prefix)],
        check=True,
        timeout=60,
    )
    (png,) = folder.glob(f"{prefix.name}*.png")
    return png


def greys(image: QImage) -> list[int]:
    """Row by row, without the padding Qt keeps at the end of each scan line."""
    data, stride, width = bytes(image.constBits()), image.bytesPerLine(), image.width()
    return [value for row in range(image.height()) for value in data[row * stride : row * stride + width]]


def small(image: QImage) -> QImage:
    return image.scaled(
        *REFERENCE_SIZE, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


def difference(first: QImage, second: QImage) -> float:
    return sum(abs(a - b) for a, b in zip(greys(first), greys(second), strict=True)) / (first.width() * first.height())


def vietnamese_letters() -> str:
    """Every letter of the alphabet, every vowel with every tone mark, in both cases, and the quotation marks
    the titles are printed in."""
    vowels = "aăâeêioôơuưy"
    toned = "".join(unicodedata.normalize("NFC", v + mark) for v in vowels for mark in "\u0300\u0301\u0303\u0309\u0323")
    letters = "abcdđeghiklmnopqrstuvxy" + vowels + toned
    return letters + letters.upper() + "“”"


@pytest.mark.parametrize("face", [REGULAR, BOLD, ITALIC, BOLD_ITALIC, SANS, SANS_BOLD])
def test_every_face_has_every_vietnamese_letter(face: str) -> None:
    register_fonts()
    glyphs = pdfmetrics.getFont(face).face.charToGlyph
    assert [letter for letter in vietnamese_letters() if ord(letter) not in glyphs] == []


@NEEDS_POPPLER
def test_one_landscape_page_per_certificate_with_progress(tmp_path: Path) -> None:
    path, reported = tmp_path / "giay-cong-nhan.pdf", []
    assert write_certificates(certificates(3), path, lambda done, total: reported.append((done, total))) == 3
    assert page_count(path) == 3
    assert reported == [(1, 3), (2, 3), (3, 3)]
    width, height = CERTIFICATE_PAGE
    assert width > height
    assert f"/MediaBox [ 0 0 {width:.4f} {height:.4f} ]".encode() in path.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # the scratch file renamed, not left beside


@pytest.mark.skipif(PDFFONTS is None, reason="pdffonts (Debian poppler-utils) missing")
def test_fonts_are_embedded_subset_and_stored_once(tmp_path: Path) -> None:
    def fonts(count: int) -> list[list[str]]:
        path = tmp_path / f"{count}.pdf"
        write_certificates(certificates(count), path)
        assert PDFFONTS is not None
        listing = subprocess.run([PDFFONTS, str(path)], capture_output=True, text=True, check=True).stdout
        return [line.split() for line in listing.splitlines()[2:]]

    one, many = fonts(1), fonts(8)
    assert one and all(row[1] == "TrueType" and row[-5:-3] == ["yes", "yes"] for row in one)  # emb, sub
    names = {row[0].split("+")[1] for row in one}
    assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic", "LiberationSans"} <= names
    assert len(many) == len(one)  # eight pages share the same font objects


@NEEDS_POPPLER
def test_words_are_printed_with_their_diacritics(tmp_path: Path) -> None:
    path = tmp_path / "giay.pdf"
    decomposed = replace(SAMPLE, recipient_lines=(unicodedata.normalize("NFD", SAMPLE.recipient_lines[0]),))
    write_certificates([decomposed], path)
    text = pdf_text(path)
    for expected in (
        "UBND XÃ PHƯỚC VĨNH TÂY",
        "HỘI KHUYẾN HỌC",
        "Số: 12/GCN-HKH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIẤY CÔNG NHẬN",
        "“GIA ĐÌNH HỌC TẬP” NĂM 2025",
        "Gia đình ông/bà: Nguyễn Thị Ngọc Ánh",
        "Đã đạt danh hiệu “Gia đình học tập” năm 2025",
        "Phước Vĩnh Tây, ngày 15 tháng 12 năm 2025",
        "TM. BAN CHẤP HÀNH",
        "CHỦ TỊCH",
        "Trần Văn Bình",
        "Số hiệu: 28201-2025-GD-000123",
    ):
        assert expected in text, expected
    assert REPRINT_MARK not in text
    # Drawn composed: a decomposed name would come back from the PDF as base letters and loose marks.
    assert PDFTOTEXT is not None
    raw = subprocess.run([PDFTOTEXT, str(path), "-"], capture_output=True, check=True).stdout.decode()
    assert "Nguyễn Thị Ngọc Ánh" in raw


@NEEDS_POPPLER
def test_a_reprint_says_so(tmp_path: Path) -> None:
    path = tmp_path / "in-lai.pdf"
    write_certificates([SAMPLE, replace(SAMPLE, reprint=True)], path)
    pages = pdf_text(path).split("\f")
    assert REPRINT_MARK not in pages[0]
    assert REPRINT_MARK in pages[1]


@NEEDS_POPPLER
def test_a_long_name_is_shrunk_inside_the_frame(tmp_path: Path) -> None:
    name = "Gia đình ông/bà: " + " ".join(["Nguyễn Huỳnh Thị Ngọc Phương Thảo Trần"] * 4)
    path = tmp_path / "dai.pdf"
    write_certificates([replace(SAMPLE, recipient_lines=(name,))], path)
    assert PDFTOTEXT is not None
    boxes = subprocess.run([PDFTOTEXT, "-bbox", str(path), "-"], capture_output=True, check=True).stdout.decode()
    words = re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">Thảo<', boxes)
    assert len(words) == 4  # the whole name is there
    assert all(float(left) > INNER_INSET and float(right) < PAGE_WIDTH - INNER_INSET for left, right in words)


@NEEDS_POPPLER
def test_first_page_looks_like_the_reference(tmp_path: Path) -> None:
    """The reference is this test's page, rendered and shrunk the same way when the layout was approved:
    `small(first_page(path, folder)).save("tests/data/certificate_page1.png")`."""
    path = tmp_path / "giay.pdf"
    write_certificates([SAMPLE], path)
    page = small(first_page(path, tmp_path))
    reference = QImage(str(REFERENCE)).convertToFormat(QImage.Format.Format_Grayscale8)
    assert difference(page, reference) < REFERENCE_TOLERANCE
    blank = QImage(reference.size(), QImage.Format.Format_Grayscale8)
    blank.fill(255)
    assert difference(blank, reference) > 2 * REFERENCE_TOLERANCE  # the tolerance still tells pages apart


@NEEDS_POPPLER
def test_qr_code_matches_segnos_matrix_module_by_module(tmp_path: Path) -> None:
    """Page 1 at 300 dpi, every module of the code read at its centre."""
    path = tmp_path / "giay.pdf"
    write_certificates([SAMPLE], path)
    image = QImage(str(render(path, tmp_path, 300))).convertToFormat(QImage.Format.Format_Grayscale8)
    matrix = [list(row) for row in segno.make(SAMPLE.qr_text, error="m", micro=False, mask=QR_MASK).matrix]
    scale = 300 / 72
    step = QR_SIZE / len(matrix) * scale
    left, top = QR_LEFT * scale, (PAGE_HEIGHT - QR_BOTTOM - QR_SIZE) * scale
    read = [
        [
            int(image.pixelColor(int(left + (x + 0.5) * step), int(top + (y + 0.5) * step)).value() < 128)
            for x in range(len(row))
        ]
        for y, row in enumerate(matrix)
    ]
    assert read == matrix


@NEEDS_POPPLER
def test_qr_code_scans_back_to_the_statement(tmp_path: Path) -> None:
    """With a real decoder (zxing-cpp), on each of a few pages, as a phone would read the printed paper."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image  # reportlab's own dependency

    path = tmp_path / "giay.pdf"
    sample = certificates(3)
    write_certificates(sample, path)
    for page, certificate in enumerate(sample, start=1):
        with Image.open(render(path, tmp_path, 200, page)) as image:
            assert [code.text for code in zxingcpp.read_barcodes(image)] == [certificate.qr_text]


def test_cancelling_leaves_no_file_and_keeps_an_earlier_one(tmp_path: Path) -> None:
    path = tmp_path / "giay.pdf"
    path.write_bytes(b"%PDF earlier")

    def cancel(done: int, _total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt  # what a cancel button's exception does: anything, not only errors

    with pytest.raises(KeyboardInterrupt):
        write_certificates(certificates(4), path, cancel)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    assert path.read_bytes() == b"%PDF earlier"
    path.unlink()
    with pytest.raises(KeyboardInterrupt):
        write_certificates(certificates(4), path, cancel)
    assert list(tmp_path.iterdir()) == []


def test_nothing_to_print_and_a_wrong_name_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Không có giấy nào"):
        write_certificates([], tmp_path / "giay.pdf")
    with pytest.raises(UserError, match=r"giấy công nhận.*\.pdf"):
        write_certificates([SAMPLE], tmp_path / "giay.docx")
    assert list(tmp_path.iterdir()) == []
