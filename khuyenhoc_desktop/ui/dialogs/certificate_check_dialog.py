"""Checking a certificate someone shows: the officer pastes the text a phone's QR scanner read (or types it) and
is told whether the statement is genuine, for whom, and from which commune.

A statement that fails is an answer to show in red with its reason, never an error."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.text import format_count, format_local_time
from khuyenhoc_desktop.services import certificates as certificate_service
from khuyenhoc_desktop.services.certificates import CheckResult
from khuyenhoc_desktop.services.workspace import Workspace

GENUINE_STYLE = "color: #006100; font-weight: bold;"
FALSE_STYLE = "color: #c00000; font-weight: bold;"


def result_fields(result: CheckResult) -> dict[str, str]:
    """What the statement says, with what this machine knows of it; blank parts left out."""
    fields = {
        "Số hiệu": result.serial,
        "Danh hiệu, loại giấy": result.title_label,
        "Năm": str(result.year) if result.year is not None else "",
        "Người, tập thể nhận": result.recipient,
        "Đơn vị cấp": result.commune,
        "Thời điểm cấp": f"{format_local_time(result.issued_at)} (giờ máy này)" if result.issued_at else "",
        "Số lần đã in": format_count(result.prints) if result.prints else "",
    }
    return {label: value for label, value in fields.items() if value}


class CertificateCheckDialog(QDialog):
    """`workspace` is None where no data folder is open: the signature is still checked."""

    def __init__(self, workspace: Workspace | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Kiểm tra giấy chứng nhận")
        self.setMinimumWidth(620)
        self.fields: dict[str, str] = {}
        self.text = QPlainTextEdit()
        self.text.setObjectName("qr_text")
        self.text.setPlaceholderText(
            "Dán (Ctrl+V) hoặc gõ nội dung mã QR in trên giấy, đọc bằng ứng dụng quét mã QR bất kỳ."
        )
        self.text.setTabChangesFocus(True)
        self.check_button = QPushButton("Kiểm tra")
        self.check_button.setDefault(True)
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.form = QFormLayout()
        buttons = QDialogButtonBox()
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Nội dung mã QR:"))
        layout.addWidget(self.text, 1)
        layout.addWidget(self.verdict)
        layout.addLayout(self.form)
        layout.addWidget(buttons)

        self.check_button.clicked.connect(self.check)
        buttons.rejected.connect(self.reject)
        self.text.setFocus()

    def check(self) -> None:
        statement = self.text.toPlainText().strip()
        if not statement:
            self._show_verdict("Chưa có nội dung mã QR để kiểm tra.", genuine=False)
            self._show_fields({})
            self.text.setFocus()
            return
        result = certificate_service.check(self.workspace, statement)
        verdict = "GIẤY THẬT" if result.genuine else "KHÔNG XÁC NHẬN ĐƯỢC"
        self._show_verdict(f"{verdict}: {result.reason}", result.genuine)
        self._show_fields(result_fields(result))

    def _show_verdict(self, text: str, genuine: bool) -> None:
        self.verdict.setText(text)
        self.verdict.setStyleSheet(GENUINE_STYLE if genuine else FALSE_STYLE)

    def _show_fields(self, fields: dict[str, str]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields = fields
        for label, value in fields.items():
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            self.form.addRow(label + ":", shown)
