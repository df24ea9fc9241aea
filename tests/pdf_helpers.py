"""Reading back a PDF as people get it: its text and its first page, through poppler's command-line tools."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

PDFTOPPM = shutil.which("pdftoppm")
PDFTOTEXT = shutil.which("pdftotext")
NEEDS_POPPLER = pytest.mark.skipif(
    PDFTOPPM is None or PDFTOTEXT is None,
    reason="pdftoppm/pdftotext (Debian poppler-utils) missing: scripts/test installs them",
)


def pdf_text(path: Path) -> str:
    """The text laid out as on the page, NFC (poppler hands back what the font maps, sometimes decomposed)."""
    assert PDFTOTEXT is not None
    done = subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, check=True, timeout=60)
    return unicodedata.normalize("NFC", done.stdout.decode("utf-8"))


def first_page(path: Path, folder: Path) -> QImage:
    """Page 1 rasterised at 50 dpi, in grey."""
    assert PDFTOPPM is not None
    subprocess.run(
        [PDFTOPPM, "-r", "50", "-png", "-f", "1", "-l", "1", str(path), str(folder / "trang")],
        check=True,
        timeout=60,
    )
    (page,) = folder.glob("trang*.png")
    image = QImage(str(page)).convertToFormat(QImage.Format.Format_Grayscale8)
    assert not image.isNull()
    return image


def dark_share(image: QImage) -> float:
    """How much of a grey page is ink: a blank page is 0, a page of text a few hundredths."""
    data = bytes(image.constBits())
    return sum(1 for value in data if value < 128) / len(data)
