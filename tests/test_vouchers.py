"""The fund's vouchers as printed: fonts carried in the file, the words on the page, page 1 drawn."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest

from khuyenhoc_desktop.documents.report_text import Letterhead
from khuyenhoc_desktop.documents.vouchers import write_voucher_pdf
from khuyenhoc_desktop.domain.ledger import LedgerInput, PaymentCategory, ReceiptCategory
from khuyenhoc_desktop.services import ledger
from khuyenhoc_desktop.services.ledger import LedgerRow
from khuyenhoc_desktop.services.workspace import Workspace
from tests.pdf_helpers import NEEDS_POPPLER, dark_share, first_page, pdf_text

LETTERHEAD = Letterhead("Xã Phước Vĩnh Tây", "Tây Ninh", "Hội Khuyến học xã Phước Vĩnh Tây")


@pytest.fixture
def rows(workspace: Workspace) -> dict[str, LedgerRow]:
    """A donation typed decomposed (NFD), as text pasted from some workbooks arrives, and a scholarship paid."""
    ledger.create_entry(
        workspace,
        LedgerInput(
            date(2025, 3, 2),
            "thu",
            ReceiptCategory.DONATION,
            unicodedata.normalize("NFD", "Công ty TNHH Phước Lợi"),
            9_700_000,
            note=unicodedata.normalize("NFD", "Ủng hộ quỹ năm 2025"),
        ),
    )
    ledger.create_entry(
        workspace,
        LedgerInput(date(2025, 3, 12), "chi", PaymentCategory.SCHOLARSHIP, "Trần Văn Bảy", 1_000_005),
    )
    return {row.voucher_no: row for row in ledger.list_entries(workspace)}


def test_voucher_embeds_its_fonts_on_an_a5_sheet_across(rows: dict[str, LedgerRow], tmp_path: Path) -> None:
    path = tmp_path / "phieu-thu.pdf"
    write_voucher_pdf(LETTERHEAD, rows["PT-2025-001"], path)
    content = path.read_bytes()
    assert content.startswith(b"%PDF")
    assert b"/FontFile2" in content
    assert b"LiberationSerif-Bold" in content and b"LiberationSerif-Italic" in content
    assert b"/MediaBox [ 0 0 595.2756 419.5276 ]" in content


@NEEDS_POPPLER
def test_receipt_voucher_reads_as_a_phieu_thu(rows: dict[str, LedgerRow], workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "phieu-thu.pdf"
    write_voucher_pdf(workspace.profile, rows["PT-2025-001"], path)
    text = pdf_text(path)
    for expected in (
        "HỘI KHUYẾN HỌC XÃ PHƯỚC VĨNH TÂY",
        "Địa chỉ: Xã Phước Vĩnh Tây, Tỉnh Tây Ninh",
        "Mẫu số C40-BB",
        "PHIẾU THU",
        "Ngày 02 tháng 3 năm 2025",
        "Số: PT-2025-001",
        "Họ và tên người nộp tiền: Công ty TNHH Phước Lợi",
        "Lý do nộp: Quyên góp, ủng hộ — Ủng hộ quỹ năm 2025",
        "Số tiền: 9.700.000 đ",
        "(Viết bằng chữ): Chín triệu bảy trăm nghìn đồng",
        "Người nộp tiền",
        "Thủ quỹ",
        "(Ký, họ tên, đóng dấu)",
    ):
        assert expected in text, expected


@NEEDS_POPPLER
def test_payment_voucher_reads_as_a_phieu_chi(rows: dict[str, LedgerRow], tmp_path: Path) -> None:
    path = tmp_path / "phieu-chi.pdf"
    write_voucher_pdf(LETTERHEAD, rows["PC-2025-001"], path)
    text = pdf_text(path)
    for expected in (
        "Mẫu số C41-BB",
        "PHIẾU CHI",
        "Ngày 12 tháng 3 năm 2025",
        "Số: PC-2025-001",
        "Họ và tên người nhận tiền: Trần Văn Bảy",
        "Lý do chi: Học bổng",
        "Số tiền: 1.000.005 đ",
        "(Viết bằng chữ): Một triệu không trăm lẻ năm đồng",
        "Người nhận tiền",
        "Chủ tịch Hội",
        "Kế toán",
    ):
        assert expected in text, expected
    assert "PHIẾU THU" not in text and "C40-BB" not in text


@NEEDS_POPPLER
def test_voucher_first_page_renders(rows: dict[str, LedgerRow], tmp_path: Path) -> None:
    path = tmp_path / "phieu-thu.pdf"
    write_voucher_pdf(LETTERHEAD, rows["PT-2025-001"], path)
    image = first_page(path, tmp_path)
    assert image.width() > image.height()  # across the sheet
    assert 0.005 < dark_share(image) < 0.3  # text on a white page
