"""Editing a certificate's wording through the real dialog: the form, the placeholders, the live preview, a
refused placeholder named with its field, saving and going back to the default."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services import certificates as certificate_service
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.certificate_template_dialog import PREVIEW_WIDTH, CertificateTemplateDialog
from tests.gui_helpers import type_text


@pytest.fixture
def dialog(qtbot, workspace: Workspace, messages) -> Iterator[CertificateTemplateDialog]:
    shown = CertificateTemplateDialog(workspace)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    shown.reject()


def picture(dialog: CertificateTemplateDialog) -> QImage:
    return dialog.preview.pixmap().toImage()


def retype(qtbot, dialog: CertificateTemplateDialog, field: str, text: str) -> None:
    """Replace a field's text as the officer would, then wait for the preview to follow."""
    editor = dialog.editors[field]
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    type_text(editor, text)
    qtbot.waitUntil(lambda: not dialog._timer.isActive())


def test_the_form_holds_the_default_wording_and_the_placeholders(dialog: CertificateTemplateDialog) -> None:
    assert dialog.what.currentText() == "Gia đình học tập"
    assert dialog.editors["heading"].text() == "GIẤY CÔNG NHẬN"
    assert dialog.editors["recipient_format"].toPlainText() == "Gia đình ông (bà): {ho_ten}\n{dia_chi}"
    assert dialog.editors["signer_lines"].toPlainText() == "TM. BAN CHẤP HÀNH\n{CHUC_VU}"
    assert dialog.placeholders.count() == len(certificate_service.PLACEHOLDERS)
    assert dialog.placeholders.item(0).text() == "{so} — số thứ tự của giấy trong năm (12)"
    assert picture(dialog).width() == PREVIEW_WIDTH
    assert not dialog.is_dirty()


def test_typing_redraws_the_preview_and_an_unknown_placeholder_is_refused(
    qtbot, dialog: CertificateTemplateDialog, workspace: Workspace
) -> None:
    before = picture(dialog)
    retype(qtbot, dialog, "heading", "GIẤY CHỨNG NHẬN")
    assert picture(dialog) != before
    assert dialog.is_dirty()

    good = picture(dialog)
    retype(qtbot, dialog, "issuing_body", "HỘI KHUYẾN HỌC {ten_ho}")
    assert dialog.error.isVisible()
    assert "ô «Cơ quan cấp giấy»: chỗ điền {ten_ho} không có" in dialog.error.text()
    assert picture(dialog) == good  # the last good preview stays

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "ô «Cơ quan cấp giấy»" in dialog.error.text()
    assert dialog.focusWidget() is dialog.editors["issuing_body"]
    assert certificate_service.template(workspace, Title.FAMILY).heading == "GIẤY CÔNG NHẬN"

    retype(qtbot, dialog, "issuing_body", "HỘI KHUYẾN HỌC {XA}")
    assert not dialog.error.isVisible()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = certificate_service.template(workspace, Title.FAMILY)
    assert (saved.heading, saved.issuing_body) == ("GIẤY CHỨNG NHẬN", "HỘI KHUYẾN HỌC {XA}")
    assert dialog.status == "Đã lưu mẫu «Gia đình học tập»; các giấy in từ nay theo mẫu này."
    assert not dialog.is_dirty()


def test_reset_puts_the_default_back_to_save(qtbot, dialog: CertificateTemplateDialog, workspace: Workspace) -> None:
    retype(qtbot, dialog, "heading", "GIẤY CHỨNG NHẬN")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert dialog.editors["heading"].text() == "GIẤY CÔNG NHẬN"
    assert dialog.is_dirty()
    assert certificate_service.template(workspace, Title.FAMILY).heading == "GIẤY CHỨNG NHẬN"  # not yet saved
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert certificate_service.template(workspace, Title.FAMILY) == certificate_service.default_template(Title.FAMILY)


def test_switching_with_unsaved_changes_asks(qtbot, dialog: CertificateTemplateDialog, messages) -> None:
    retype(qtbot, dialog, "heading", "GIẤY CHỨNG NHẬN")
    messages.answers = [1]  # Ở lại
    dialog.what.setCurrentIndex(dialog.what.findData("giay_khen"))
    assert messages.texts == ["Mẫu «Gia đình học tập» có sửa đổi chưa lưu. Bỏ các sửa đổi đó?"]
    assert dialog.what.currentText() == "Gia đình học tập"
    assert dialog.editors["heading"].text() == "GIẤY CHỨNG NHẬN"

    messages.answers = [0]  # Bỏ sửa đổi
    dialog.what.setCurrentIndex(dialog.what.findData("giay_khen"))
    assert dialog.key == "giay_khen"
    assert dialog.editors["heading"].text() == "GIẤY KHEN"
    assert dialog.editors["number_format"].text() == "Số: {so}/GK-HKH"
    assert not dialog.is_dirty()
