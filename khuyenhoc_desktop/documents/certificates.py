"""Certificates (giấy công nhận, giấy khen) as one PDF, one A4 landscape page each, in the style of Nghị định
30/2020: the issuing body and its number top left, the national title and motto top right, the heading, the
title with its year, the recipient, the basis, the place-and-date line and the signer's block, inside a
decorative border; the serial number and a QR code of the signed statement bottom left.

A commune prints hundreds at once and the consolidating office thousands (budget: 5,000 in 20 s and 10 MB), so
the page is drawn straight on the canvas rather than through platypus: the border and the national title, the
same on every page, are one form XObject stored once; the fonts are subset and embedded once for the whole file.
Each QR code is segno's matrix with a fixed mask, written as a 1-bit inline image mask in the page's own
content: about 350 bytes a code. Measured on 1,000 certificates: reportlab's QR widget ~18 s; segno choosing
its mask ~7.6 s of the run, fixed mask ~1.6 s; the dark runs as one filled path ~3.4 MB, the image mask ~0.5 MB
(the whole file ~1.8 MB). Any of the eight masks is a valid code that every reader decodes; choosing the "best"
one only lowers a penalty score, at five times the cost."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from reportlab import rl_config
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from khuyenhoc_desktop import APP_TITLE
from khuyenhoc_desktop.documents.fonts import BOLD, ITALIC, REGULAR, SANS, SANS_BOLD, register_fonts
from khuyenhoc_desktop.documents.output import write_as
from khuyenhoc_desktop.documents.pdf_parts import COUNTRY, MOTTO
from khuyenhoc_desktop.domain.certificates import CertificateText
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.text import nfc

CERTIFICATE_PAGE: tuple[float, float] = landscape(A4)
PAGE_WIDTH, PAGE_HEIGHT = CERTIFICATE_PAGE

DARK_RED = Color(0.55, 0.06, 0.06)  # the heading and the border: reads as black on a monochrome printer
REPRINT_MARK = "BẢN IN LẠI"
SERIAL_LABEL = "Số hiệu"

# The frame: a heavy outer line and a thin inner one, with a square and a diamond in each inner corner.
OUTER_INSET, INNER_INSET, CORNER = 8 * mm, 10.5 * mm, 8 * mm

# Text stays clear of the corner ornaments.
CONTENT_LEFT, CONTENT_RIGHT = 24 * mm, PAGE_WIDTH - 24 * mm
LEFT_COLUMN = (CONTENT_LEFT, CONTENT_LEFT + 105 * mm)  # the issuing body and the number
RIGHT_COLUMN = (CONTENT_RIGHT - 135 * mm, CONTENT_RIGHT)  # the national title, the date and the signer
HEADER_TOP = PAGE_HEIGHT - 24 * mm  # the first header line's baseline
HEADER_SIZE, MOTTO_SIZE = 13.0, 14.0

# Between the header and the place-and-date line (lower when the signer has many titles): the heading, title,
# recipient and basis, centred in height.
MIDDLE_TOP, MIDDLE_BOTTOM = PAGE_HEIGHT - 46 * mm, 76 * mm
MIDDLE_WIDTH = CONTENT_RIGHT - CONTENT_LEFT - 20 * mm
HEADING_SIZE, TITLE_SIZE, NAME_SIZE, ADDRESS_SIZE, BODY_SIZE = 30.0, 18.0, 21.0, 15.0, 14.0
LEADING = 1.3

# The signer: the name's baseline, with room for the signature and the seal above it.
SIGNER_NAME_BASELINE, SIGNATURE_SPACE, SIGNER_SIZE = 24 * mm, 28 * mm, 13.0

QR_LEFT, QR_BOTTOM, QR_SIZE = CONTENT_LEFT, 20 * mm, 22 * mm  # the symbol itself; the page around it is its quiet zone
SMALL_SIZE = 9.0

BORDER_FORM = "khuyenhocCertificateFrame"

QR_MASK = 0  # see the module's docstring
_BIT_DIGITS = bytes.maketrans(b"\x00\x01", b"01")  # segno's dark/light modules as binary digits


def write_certificates(
    certificates: Sequence[CertificateText], path: Path, progress: Callable[[int, int], None] | None = None
) -> int:
    """Write one page per certificate and return the pages written.

    `progress(done, total)` is called after every page; an exception it raises (the officer cancelled) stops
    the writing and leaves no file behind, nor a half-written one in place of an earlier file.
    """
    if not certificates:
        raise UserError("Không có giấy nào để in: hãy chọn ít nhất một hồ sơ được công nhận hoặc được khen.")
    what = nfc(certificates[0].heading).lower() or "giấy chứng nhận"
    write_as(path, what, {".pdf": lambda target: _write(certificates, target, progress)})
    return len(certificates)


def _write(certificates: Sequence[CertificateText], path: Path, progress: Callable[[int, int], None] | None) -> None:
    """Into a scratch file beside `path` (made like any other file, so with the usual permissions), renamed over
    it only when complete."""
    register_fonts()
    scratch = path.with_name(f".{path.stem}-{uuid.uuid4().hex[:8]}.pdf")
    try:
        canvas = Canvas(str(scratch), pagesize=CERTIFICATE_PAGE, pageCompression=1, initialFontName=REGULAR)
        first = certificates[0]
        canvas.setTitle(nfc(first.heading))
        canvas.setAuthor(nfc(first.issuing_body))
        canvas.setCreator(APP_TITLE)
        _frame_form(canvas)
        total = len(certificates)
        for done, certificate in enumerate(certificates, start=1):
            _page(canvas, certificate)
            canvas.showPage()
            if progress is not None:
                progress(done, total)
        _save(canvas)
        os.replace(scratch, path)
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise


def _save(canvas: Canvas) -> None:
    """Without reportlab's default ASCII85 wrapping of the compressed streams, which only serves 7-bit mail
    and makes the file a fifth larger. The switch is process-wide while saving: another PDF saved at that
    moment only loses the same wrapping, which no reader needs."""
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        canvas.save()
    finally:
        rl_config.useA85 = previous


def _frame_form(canvas: Canvas) -> None:
    """The border and the national title and motto, drawn once and placed on every page."""
    canvas.beginForm(BORDER_FORM)
    canvas.setStrokeColor(DARK_RED)
    canvas.setFillColor(DARK_RED)
    canvas.setLineWidth(2.4)
    canvas.rect(OUTER_INSET, OUTER_INSET, PAGE_WIDTH - 2 * OUTER_INSET, PAGE_HEIGHT - 2 * OUTER_INSET)
    canvas.setLineWidth(0.8)
    canvas.rect(INNER_INSET, INNER_INSET, PAGE_WIDTH - 2 * INNER_INSET, PAGE_HEIGHT - 2 * INNER_INSET)
    for x, y, dx, dy in (
        (INNER_INSET, INNER_INSET, 1, 1),
        (PAGE_WIDTH - INNER_INSET, INNER_INSET, -1, 1),
        (INNER_INSET, PAGE_HEIGHT - INNER_INSET, 1, -1),
        (PAGE_WIDTH - INNER_INSET, PAGE_HEIGHT - INNER_INSET, -1, -1),
    ):
        _corner(canvas, x, y, dx, dy)
    canvas.setFillColor(black)
    canvas.setStrokeColor(black)
    centre = sum(RIGHT_COLUMN) / 2
    canvas.setFont(BOLD, HEADER_SIZE)
    canvas.drawCentredString(centre, HEADER_TOP, COUNTRY)
    canvas.setFont(BOLD, MOTTO_SIZE)
    motto_baseline = HEADER_TOP - 6 * mm
    canvas.drawCentredString(centre, motto_baseline, MOTTO)
    half = stringWidth(MOTTO, BOLD, MOTTO_SIZE) / 2
    canvas.setLineWidth(0.6)
    canvas.line(centre - half, motto_baseline - 2 * mm, centre + half, motto_baseline - 2 * mm)
    canvas.endForm()


def _corner(canvas: Canvas, x: float, y: float, dx: int, dy: int) -> None:
    """A square set into the inner frame's corner (x, y), opening towards (dx, dy), with a diamond in it and a
    short stroke along each side of the frame."""
    canvas.rect(x, y, dx * CORNER, dy * CORNER)
    centre_x, centre_y, reach = x + dx * CORNER / 2, y + dy * CORNER / 2, CORNER * 0.32
    diamond = canvas.beginPath()
    diamond.moveTo(centre_x - reach, centre_y)
    diamond.lineTo(centre_x, centre_y + reach)
    diamond.lineTo(centre_x + reach, centre_y)
    diamond.lineTo(centre_x, centre_y - reach)
    diamond.close()
    canvas.drawPath(diamond, stroke=0, fill=1)
    inset = CORNER + 2 * mm
    canvas.line(x + dx * inset, y + dy * 1.5 * mm, x + dx * (inset + 14 * mm), y + dy * 1.5 * mm)
    canvas.line(x + dx * 1.5 * mm, y + dy * inset, x + dx * 1.5 * mm, y + dy * (inset + 14 * mm))


@dataclass(frozen=True)
class _Line:
    text: str
    font: str
    size: float
    gap_before: float = 0.0
    colour: Color = black


def _page(canvas: Canvas, certificate: CertificateText) -> None:
    canvas.doForm(BORDER_FORM)
    _header(canvas, certificate)
    signer_top = _signer(canvas, certificate)
    _middle(canvas, certificate, max(MIDDLE_BOTTOM, signer_top + 3 * mm))
    _serial(canvas, certificate)


def _header(canvas: Canvas, certificate: CertificateText) -> None:
    """The superior body over the issuing body, a short rule under the latter, then the number line."""
    left, right = LEFT_COLUMN
    centre, width = (left + right) / 2, right - left
    superior, issuing = nfc(certificate.superior_body), nfc(certificate.issuing_body)
    _centred(canvas, superior, REGULAR, HEADER_SIZE, centre, HEADER_TOP, width)
    issuing_baseline = HEADER_TOP - 6 * mm
    issuing_size = _centred(canvas, issuing, BOLD, HEADER_SIZE, centre, issuing_baseline, width)
    rule = stringWidth(issuing, BOLD, issuing_size) * 0.4
    canvas.setLineWidth(0.6)
    canvas.line(centre - rule / 2, issuing_baseline - 2 * mm, centre + rule / 2, issuing_baseline - 2 * mm)
    _centred(canvas, nfc(certificate.number_line), REGULAR, HEADER_SIZE, centre, issuing_baseline - 9 * mm, width)


def _middle(canvas: Canvas, certificate: CertificateText, bottom: float) -> None:
    """The heading, title, recipient and basis, scaled down together only when they would not fit in height."""
    lines = _middle_lines(certificate, 1.0)
    height = _height(lines)
    available = MIDDLE_TOP - bottom
    if height > available:
        lines = _middle_lines(certificate, available / height)
        height = _height(lines)
    baseline = MIDDLE_TOP - (available - height) / 2
    centre = PAGE_WIDTH / 2
    for index, line in enumerate(lines):
        baseline -= line.gap_before + (line.size if index == 0 else line.size * LEADING)
        canvas.setFillColor(line.colour)
        _centred(canvas, line.text, line.font, line.size, centre, baseline, MIDDLE_WIDTH)
    canvas.setFillColor(black)


def _middle_lines(certificate: CertificateText, scale: float) -> list[_Line]:
    lines = [
        _Line(nfc(certificate.heading), BOLD, HEADING_SIZE * scale, colour=DARK_RED),
        _Line(nfc(certificate.title_line), BOLD, TITLE_SIZE * scale, gap_before=2 * mm * scale),
    ]
    for index, text in enumerate(certificate.recipient_lines):
        first = index == 0
        lines.append(
            _Line(
                nfc(text),
                BOLD if first else REGULAR,
                (NAME_SIZE if first else ADDRESS_SIZE) * scale,
                gap_before=6 * mm * scale if first else 0.0,
            )
        )
    size = BODY_SIZE * scale
    for index, text in enumerate(certificate.body_lines):
        for part, wrapped in enumerate(simpleSplit(nfc(text), REGULAR, size, MIDDLE_WIDTH)):
            gap = 4 * mm * scale if index == 0 and part == 0 else 0.0
            lines.append(_Line(wrapped, REGULAR, size, gap_before=gap))
    return lines


def _height(lines: Sequence[_Line]) -> float:
    """From the top of the first line to the baseline of the last, as _middle sets them."""
    return sum(line.gap_before + (line.size if index == 0 else line.size * LEADING) for index, line in enumerate(lines))


def _signer(canvas: Canvas, certificate: CertificateText) -> float:
    """Centred in the right column: the italic place-and-date line, the signer's titles, room for the signature
    and the seal, the signer's name. Returns the top of the place-and-date line, which the text above keeps
    clear of."""
    left, right = RIGHT_COLUMN
    centre, width = (left + right) / 2, right - left
    _centred(canvas, nfc(certificate.signer_name), BOLD, SIGNER_SIZE + 1, centre, SIGNER_NAME_BASELINE, width)
    baseline: float = SIGNER_NAME_BASELINE + SIGNATURE_SPACE
    for text in reversed(certificate.signer_lines):
        _centred(canvas, nfc(text), BOLD, SIGNER_SIZE, centre, baseline, width)
        baseline += SIGNER_SIZE * LEADING
    baseline += 1.5 * mm
    _centred(canvas, nfc(certificate.place_date), ITALIC, SIGNER_SIZE, centre, baseline, width)
    return baseline + SIGNER_SIZE


def _serial(canvas: Canvas, certificate: CertificateText) -> None:
    """The QR code of the signed statement, and beside it the serial number and, on a reprint, the mark."""
    draw_qr(canvas, nfc(certificate.qr_text), QR_LEFT, QR_BOTTOM, QR_SIZE)
    x = QR_LEFT + QR_SIZE + 4 * mm
    canvas.setFont(SANS, SMALL_SIZE)
    canvas.drawString(x, QR_BOTTOM, f"{SERIAL_LABEL}: {nfc(certificate.serial)}")
    if certificate.reprint:
        canvas.setFillColor(DARK_RED)
        canvas.setFont(SANS_BOLD, SMALL_SIZE)
        canvas.drawString(x, QR_BOTTOM + SMALL_SIZE * LEADING, REPRINT_MARK)
        canvas.setFillColor(black)


def draw_qr(canvas: Canvas, text: str, left: float, bottom: float, size: float) -> None:
    """`text` as a QR code `size` wide with its lower-left corner at (left, bottom), painted in black.

    An image mask paints its 1 bits in the fill colour and leaves the rest of the page as it is; /I false keeps
    the modules' edges sharp when the image is scaled up.
    """
    matrix = segno.make(text, error="m", micro=False, mask=QR_MASK).matrix
    modules = len(matrix)
    row_bits = -(-modules // 8) * 8
    digits = b"".join(bytes(row).translate(_BIT_DIGITS).ljust(row_bits, b"0") for row in matrix)
    data = int(digits, 2).to_bytes(len(digits) // 8, "big").hex()
    canvas.addLiteral(
        f"q 0 g {size:.3f} 0 0 {size:.3f} {left:.3f} {bottom:.3f} cm\n"
        f"BI /W {modules} /H {modules} /IM true /BPC 1 /D [1 0] /I false /F /AHx ID {data}> EI Q"
    )


def _centred(canvas: Canvas, text: str, font: str, size: float, centre: float, baseline: float, width: float) -> float:
    """Draw one line centred on `centre`, shrunk to `width` when too long (a long name must not run over the
    frame); the size used comes back for what is drawn in proportion to it."""
    natural = stringWidth(text, font, size)
    if natural > width:
        size *= width / natural
    canvas.setFont(font, size)
    canvas.drawCentredString(centre, baseline, text)
    return size
