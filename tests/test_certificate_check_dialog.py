"""Checking a certificate's QR text through the real dialog: typed as a scanner app would hand it over."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services import certificates as certificate_service
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.certificate_check_dialog import FALSE_STYLE, GENUINE_STYLE, CertificateCheckDialog
from tests.gui_helpers import type_text
from tests.test_certificates_dialog import HEADS, recognise_families


@pytest.fixture
def statement(workspace: Workspace) -> str:
    """The QR text of Nguyễn Văn An's giấy công nhận, printed once."""
    recognise_families(workspace, HEADS[:1], "25/QĐ-HKH")
    (recipient,) = certificate_service.recipients(workspace, "cong_nhan", 2025, Title.FAMILY)
    (certificate,) = certificate_service.issue(workspace, "cong_nhan", 2025, [recipient.id], Title.FAMILY)
    return certificate.qr_text


def open_dialog(qtbot, workspace: Workspace | None) -> CertificateCheckDialog:
    dialog = CertificateCheckDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def dialog(qtbot, workspace: Workspace) -> Iterator[CertificateCheckDialog]:
    shown = open_dialog(qtbot, workspace)
    yield shown
    shown.reject()


def check(qtbot, dialog: CertificateCheckDialog, text: str) -> None:
    dialog.text.clear()
    type_text(dialog.text, text)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)


def test_a_genuine_certificate_says_for_whom_and_from_where(qtbot, dialog: CertificateCheckDialog, statement: str):
    check(qtbot, dialog, statement)
    assert dialog.verdict.text() == "GIẤY THẬT: Chữ ký đúng, bằng khóa của máy này; giấy đã in 1 lần."
    assert dialog.verdict.styleSheet() == GENUINE_STYLE
    fields = dict(dialog.fields)
    assert fields.pop("Thời điểm cấp").endswith("(giờ máy này)")
    assert fields == {
        "Số hiệu": "28201-2025-GD-000001",
        "Danh hiệu, loại giấy": "Gia đình học tập",
        "Năm": "2025",
        "Người, tập thể nhận": "Nguyễn Văn An",
        "Đơn vị cấp": certificate_service.check(None, statement).commune,
        "Số lần đã in": "1",
    }
    assert "Phước Vĩnh Tây" in dialog.fields["Đơn vị cấp"]
    assert dialog.form.rowCount() == 7


def test_a_changed_name_or_a_stranger_text_is_not_genuine(
    qtbot, dialog: CertificateCheckDialog, statement: str
) -> None:
    check(qtbot, dialog, statement.replace("Nguyễn Văn An", "Nguyễn Văn Ân"))
    assert dialog.verdict.text().startswith("KHÔNG XÁC NHẬN ĐƯỢC: Chữ ký không khớp với nội dung")
    assert dialog.verdict.styleSheet() == FALSE_STYLE
    assert dialog.fields["Người, tập thể nhận"] == "Nguyễn Văn Ân"
    assert "Số lần đã in" not in dialog.fields

    check(qtbot, dialog, "Xin chào")
    assert dialog.verdict.text().startswith("KHÔNG XÁC NHẬN ĐƯỢC: Đây không phải nội dung mã QR")
    assert dialog.fields == {} and dialog.form.rowCount() == 0

    check(qtbot, dialog, "   ")
    assert dialog.verdict.text() == "Chưa có nội dung mã QR để kiểm tra."
    assert dialog.verdict.styleSheet() == FALSE_STYLE


def test_without_a_data_folder_the_key_cannot_be_confirmed(qtbot, statement: str) -> None:
    dialog = open_dialog(qtbot, None)
    check(qtbot, dialog, statement)
    assert dialog.verdict.text().startswith("KHÔNG XÁC NHẬN ĐƯỢC: Chữ ký khớp với nội dung, nhưng khóa ký")
    assert "phiếu đăng ký khóa ký" in dialog.verdict.text()
    assert dialog.fields["Số hiệu"] == "28201-2025-GD-000001"
    dialog.reject()
