"""Enrolling a commune's signing key at the office: from the key file the commune sent, or typed from the printed
registration sheet.

A key that arrives by e-mail or chat could be anyone's; the paper sheet under the chairman's signature and seal
is what names the commune. So the fingerprint is shown large, in groups to read aloud, and nothing is enrolled
until the officer either says it matches the sheet or types the sheet's fingerprint (which must match the key).
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.services import trust
from khuyenhoc_desktop.services.office import OfficeCommuneRow
from khuyenhoc_desktop.services.workspace import Workspace

NO_KEY = "— chưa có khóa —"
COMPARE_HINT = (
    "Đọc so từng nhóm 4 ký tự, từ trái sang phải, với dấu vân tay in trên phiếu đăng ký khóa ký số liệu có chữ ký "
    "và đóng dấu của xã (hoặc đọc qua điện thoại với cán bộ xã). Chỉ đăng ký khi cả 8 nhóm trùng khớp."
)


class KeyEnrolDialog(QDialog):
    """`enrolled` is the key once the office trusts it."""

    def __init__(self, workspace: Workspace, commune: OfficeCommuneRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.commune = workspace, commune
        self.enrolled: trust.TrustedKey | None = None
        self.public: bytes | None = None
        self.from_sheet = False  # the key itself was typed from the paper sheet
        self.setWindowTitle(f"Đăng ký khóa ký số liệu — {commune.name}")
        self.setMinimumWidth(640)

        heading = QLabel(f"Đăng ký khóa ký số liệu của <b>{commune.name}</b> (mã {commune.code}).")
        self.file_name = QLineEdit()
        self.file_name.setReadOnly(True)
        self.file_name.setPlaceholderText("tệp khóa công khai xã gửi (signing.pub, .pem)")
        self.choose_button = QPushButton("Chọn tệp khóa…")
        self.choose_button.setAutoDefault(False)  # Enter in a field enrols, never opens the file picker
        self.key_text = QLineEdit()
        self.key_text.setPlaceholderText("hoặc gõ dòng khóa công khai (44 ký tự) in dưới mã QR trên phiếu")
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_name, 1)
        file_row.addWidget(self.choose_button)

        self.fingerprint = QLabel(NO_KEY)
        self.fingerprint.setObjectName("fingerprint")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(mono.pointSizeF(), 10) * 1.8)
        mono.setBold(True)
        self.fingerprint.setFont(mono)
        self.fingerprint.setWordWrap(True)
        hint = QLabel(COMPARE_HINT)
        hint.setWordWrap(True)
        self.matches = QCheckBox("Dấu vân tay trên màn hình trùng với phiếu đăng ký giấy")
        self.typed = QLineEdit()
        self.typed.setPlaceholderText("hoặc gõ dấu vân tay in trên phiếu; phần mềm so giúp")
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c00000; font-weight: bold;")
        self.problem.hide()

        form = QFormLayout()
        form.addRow("Tệp khóa:", file_row)
        form.addRow("Khóa trên phiếu:", self.key_text)
        buttons = QDialogButtonBox()
        self.enrol_button = QPushButton("Đăng ký khóa")
        self.enrol_button.setDefault(True)
        buttons.addButton(self.enrol_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QPushButton("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(QLabel("Dấu vân tay của khóa:"))
        layout.addWidget(self.fingerprint)
        layout.addWidget(hint)
        layout.addWidget(self.matches)
        layout.addWidget(self.typed)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

        self.choose_button.clicked.connect(self.choose_file)
        self.key_text.textChanged.connect(self._key_typed)
        self.matches.toggled.connect(self._update)
        self.typed.textChanged.connect(self._update)
        buttons.accepted.connect(self.enrol)
        buttons.rejected.connect(self.reject)
        self._update()

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Chọn tệp khóa công khai của xã", "", "Khóa công khai (*.pub *.pem);;Mọi tệp (*)"
        )
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> None:
        self.key_text.blockSignals(True)
        self.key_text.clear()
        self.key_text.blockSignals(False)
        self.file_name.setText(str(path))
        try:
            self._show_key(keys.read_public(path), from_sheet=False)
        except UserError as error:
            self._show_key(None, from_sheet=False, problem=str(error))

    def _key_typed(self, text: str) -> None:
        self.file_name.clear()
        compact = "".join(text.split())
        if not compact:
            self._show_key(None, from_sheet=True)
            return
        try:
            public = base64.b64decode(compact, validate=True)
        except (binascii.Error, ValueError):
            public = b""
        if len(public) != keys.PUBLIC_SIZE:
            problem = "Dòng khóa gõ chưa đúng: khóa công khai là 44 ký tự (chữ, số, +, /, kết thúc bằng =)."
            self._show_key(None, from_sheet=True, problem=problem)
            return
        self._show_key(public, from_sheet=True)

    def _show_key(self, public: bytes | None, from_sheet: bool, problem: str = "") -> None:
        self.public, self.from_sheet = public, from_sheet
        self.fingerprint.setText(NO_KEY if public is None else keys.fingerprint(public))
        self._show_problem(problem)
        self._update()

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _update(self) -> None:
        confirmed = self.matches.isChecked() or bool(self.typed.text().strip())
        self.enrol_button.setEnabled(self.public is not None and confirmed)

    def enrol(self) -> None:
        if self.public is None:
            return
        typed = self.typed.text().strip() or None
        source = trust.KeySource.PAPER_SHEET if typed or self.from_sheet else trust.KeySource.KEY_FILE
        try:
            self.enrolled = trust.enrol_key(self.workspace, self.commune.code, self.public, typed, source)
        except UserError as error:
            self._show_problem(str(error))
            return
        self.accept()
