"""A PDF's pages as pictures, for previewing certificates and sending them to a printer.

Qt can print no PDF by itself, and its own PDF reader (QtPdf) comes only in the 440 MB PySide6-Addons wheel;
PDFium, through pypdfium2, is a few MB and draws the same pages. PDFium is not thread-safe, not even across
documents, and the worker prints while the UI thread previews, so every call into it holds one lock.
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType

import pypdfium2
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QImage

from khuyenhoc_desktop.domain.errors import UserError

POINTS_PER_INCH = 72
_PDFIUM = threading.Lock()


class PdfPages:
    """An open PDF; close it (or use `with`) when done, PDFium's memory is not Python's to collect.

    The file is read into memory: PDFium then holds no handle on it (Windows would refuse to delete or rewrite
    it) and never opens a path with Vietnamese letters through the ANSI code page."""

    def __init__(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise UserError(f"Không đọc được tệp PDF «{path}».") from error
        with _PDFIUM:
            try:
                self._document = pypdfium2.PdfDocument(data)
            except pypdfium2.PdfiumError as error:
                raise UserError(f"Tệp «{path}» không phải tệp PDF đọc được.") from error
            self._sizes = [QSizeF(*self._document.get_page_size(i)) for i in range(len(self._document))]

    @property
    def page_count(self) -> int:
        return len(self._sizes)

    def page_size(self, index: int) -> QSizeF:
        """In points (1/72 inch)."""
        return self._sizes[index]

    def render(self, index: int, dpi: float) -> QImage:
        return self._render(index, dpi / POINTS_PER_INCH)

    def render_to_width(self, index: int, width: int) -> QImage:
        """Exactly `width` pixels wide, as tall as the page's proportions make it."""
        # PDFium's picture is ceil(points × scale) wide: aiming a hair under `width` keeps rounding from adding one
        return self._render(index, (width - 0.01) / self._sizes[index].width())

    def _render(self, index: int, scale: float) -> QImage:
        with _PDFIUM:
            page = self._document[index]
            try:
                bitmap = page.render(scale=scale, prefer_bgrx=True, rev_byteorder=True)  # bytes R, G, B, unused
            finally:
                page.close()
            try:
                image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888)
                return image.copy()  # the bitmap's memory is freed below
            finally:
                bitmap.close()

    def close(self) -> None:
        with _PDFIUM:
            self._document.close()

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()
