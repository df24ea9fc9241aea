"""PDF pages drawn as pictures by PDFium: sizes, exact widths, what is drawn, refusals, and two threads at once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.pdfgen import canvas

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.ui.pdf_pages import PdfPages


@pytest.fixture
def two_pages(tmp_path: Path) -> Path:
    """Page 1: landscape A4, its left half black. Page 2: portrait A5, blank."""
    path = tmp_path / "hai-trang.pdf"
    pdf = canvas.Canvas(str(path), pagesize=landscape(A4))
    width, height = landscape(A4)
    pdf.rect(0, 0, width / 2, height, stroke=0, fill=1)
    pdf.showPage()
    pdf.setPageSize(A5)
    pdf.showPage()
    pdf.save()
    return path


def colour(image: QImage, x: int, y: int) -> str:
    return image.pixelColor(x, y).name()


def test_counts_and_measures_the_pages(two_pages: Path) -> None:
    with PdfPages(two_pages) as document:
        assert document.page_count == 2
        assert document.page_size(0).toSize().width() == round(landscape(A4)[0])
        assert document.page_size(0).toSize().height() == round(landscape(A4)[1])
        assert (round(document.page_size(1).width()), round(document.page_size(1).height())) == (420, 595)


def test_renders_at_a_resolution_what_the_page_shows(two_pages: Path) -> None:
    with PdfPages(two_pages) as document:
        page = document.render(0, 144)  # twice the points
        blank = document.render(1, 72)
    assert (page.width(), page.height()) == (1684, 1191)
    assert colour(page, 10, 10) == "#000000"
    assert colour(page, page.width() - 10, page.height() - 10) == "#ffffff"
    assert (blank.width(), blank.height()) == (420, 596)
    assert colour(blank, 10, 10) == "#ffffff"


@pytest.mark.parametrize("width", [1, 97, 640, 760, 1123, 1920])
def test_renders_exactly_as_wide_as_asked(two_pages: Path, width: int) -> None:
    with PdfPages(two_pages) as document:
        image = document.render_to_width(0, width)
    assert image.width() == width
    assert abs(image.height() - width * 595.2756 / 841.8898) <= 1


def test_refuses_a_missing_or_broken_file_in_vietnamese(tmp_path: Path) -> None:
    missing = tmp_path / "không-có.pdf"
    with pytest.raises(UserError, match=r"Không đọc được tệp PDF «.*không-có\.pdf»"):
        PdfPages(missing)
    broken = tmp_path / "hỏng.pdf"
    broken.write_text("không phải PDF", encoding="utf-8")
    with pytest.raises(UserError, match="không phải tệp PDF đọc được"):
        PdfPages(broken)


def test_two_threads_draw_at_once_and_get_the_same_pictures(tmp_path: Path) -> None:
    """The worker prints while the window previews; PDFium, not thread-safe, must see one call at a time (without
    the lock this crashes the process within a few pages)."""
    path = tmp_path / "chu.pdf"
    pdf = canvas.Canvas(str(path), pagesize=landscape(A4))
    for line in range(60):
        pdf.setFont(("Helvetica", "Times-Roman", "Courier")[line % 3], 8 + line % 20)
        pdf.drawString(20 + line * 13 % 700, 20 + line * 9, f"Line {line} of the page")
    pdf.save()
    with PdfPages(path) as document:
        expected = document.render(0, 60)
    pictures: list[QImage] = []

    def draw() -> None:
        for _ in range(15):
            with PdfPages(path) as own:
                pictures.append(own.render(0, 60))

    threads = [threading.Thread(target=draw) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(pictures) == 60
    assert all(picture == expected for picture in pictures)
