"""The officer's wording of each certificate: per title, and for giấy khen, the template's fields in a form, the
placeholders they may use, and a preview of a sample certificate that follows the typing.

The preview is the real PDF writer's page 1 (a single page, written in a fraction of a second, so on the UI
thread after a pause in the typing), so what the officer sees is what prints."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.documents.certificates import write_certificates
from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.services import certificates as certificate_service
from khuyenhoc_desktop.services.certificates import CertificateTemplate
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.dialogs.certificates_dialog import CERTIFICATE_CHOICES, certificate_choices
from khuyenhoc_desktop.ui.pdf_pages import PdfPages
from khuyenhoc_desktop.ui.views.profile_form import error_label

PREVIEW_DELAY_MS = 400  # after the last keystroke: a preview per keystroke would lag behind the typing
PREVIEW_WIDTH = 760  # pixels of the page image


class CertificateTemplateDialog(QDialog):
    def __init__(self, workspace: Workspace, key: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Mẫu giấy chứng nhận")
        self.resize(1300, 760)
        self._temp = tempfile.TemporaryDirectory(prefix="khuyenhoc-mau-")
        self._shown: CertificateTemplate | None = None  # as loaded or last saved: what "dirty" compares with
        self.status = ""

        self.what = QComboBox()
        self.what.setObjectName("what_box")
        for code, label in certificate_choices(workspace).items():
            self.what.addItem(label, code)
        self.what.setCurrentIndex(max(self.what.findData(key), 0))
        self._key = str(self.what.currentData())
        self.editors: dict[str, QLineEdit | QPlainTextEdit] = {}
        form = QFormLayout()
        sample = certificate_service.template(workspace, self._key)
        for field in dataclasses.fields(CertificateTemplate):
            editor: QLineEdit | QPlainTextEdit
            if isinstance(getattr(sample, field.name), tuple):  # one line of the box per printed line
                editor = lines = QPlainTextEdit()
                lines.setTabChangesFocus(True)
                lines.setFixedHeight(64)
                lines.setToolTip("Mỗi dòng ở đây là một dòng trên giấy")
                lines.textChanged.connect(self._edited)
            else:
                editor = line = QLineEdit()
                line.textEdited.connect(self._edited)
            editor.setObjectName(field.name)
            self.editors[field.name] = editor
            form.addRow(certificate_service.TEMPLATE_FIELDS[field.name] + ":", editor)
        self.placeholders = QListWidget()
        self.placeholders.setObjectName("placeholders")
        self.placeholders.addItems(
            [f"{{{name}}} — {meaning}" for name, meaning in certificate_service.PLACEHOLDERS.items()]
        )
        self.error = error_label()
        self.status_label = QLabel()
        self.save_button = QPushButton("Lưu mẫu")
        self.reset_button = QPushButton("Về mẫu mặc định")
        close_button = QPushButton("Đóng")
        self.preview = QLabel("Đang dựng bản xem trước…")
        self.preview.setObjectName("preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumWidth(PREVIEW_WIDTH // 2)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)

        choose = QHBoxLayout()
        choose.addWidget(QLabel("Mẫu giấy:"))
        choose.addWidget(self.what, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        fields = QWidget()
        fields.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(fields)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(choose)
        left_layout.addWidget(scroll, 1)
        left_layout.addWidget(QLabel("Chỗ điền dùng được trong các ô (viết cả dấu ngoặc nhọn):"))
        left_layout.addWidget(self.placeholders)
        left_layout.addWidget(self.error)
        left_layout.addWidget(self.status_label)
        left_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setSizes([540, PREVIEW_WIDTH])
        QVBoxLayout(self).addWidget(splitter)

        self.what.currentIndexChanged.connect(self._choice_changed)
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset_to_default)
        close_button.clicked.connect(self.reject)
        self._timer.timeout.connect(self.refresh_preview)
        self._fill(sample)
        self.refresh_preview()

    @property
    def key(self) -> str:
        return self._key

    # -- the form -----------------------------------------------------------------------------------
    def _fill(self, template: CertificateTemplate) -> None:
        self._shown = template
        for name, editor in self.editors.items():
            value = getattr(template, name)
            editor.blockSignals(True)
            if isinstance(editor, QPlainTextEdit):
                editor.setPlainText("\n".join(value))
            else:
                editor.setText(value)
                editor.setCursorPosition(0)
            editor.blockSignals(False)
        self.error.hide()

    def edited_template(self) -> CertificateTemplate:
        """The form as a template, as typed (the service trims it when saving)."""
        values: dict[str, object] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QPlainTextEdit):
                values[name] = tuple(editor.toPlainText().splitlines())
            else:
                values[name] = editor.text()
        return CertificateTemplate(**values)  # type: ignore[arg-type]

    def is_dirty(self) -> bool:
        return self.edited_template() != self._shown

    def _edited(self) -> None:
        self._timer.start()

    def _choice_changed(self) -> None:
        chosen = str(self.what.currentData())
        if chosen == self._key:
            return
        if self.is_dirty() and not messages.confirm(
            self,
            "Mẫu giấy chứng nhận",
            f"Mẫu «{CERTIFICATE_CHOICES[self._key]}» có sửa đổi chưa lưu. Bỏ các sửa đổi đó?",
            yes="Bỏ sửa đổi",
            no="Ở lại",
        ):
            self.what.blockSignals(True)
            self.what.setCurrentIndex(self.what.findData(self._key))
            self.what.blockSignals(False)
            return
        self._key = chosen
        self._fill(certificate_service.template(self.workspace, chosen))
        self._tell("")
        self.refresh_preview()

    # -- preview, save, reset -----------------------------------------------------------------------
    def refresh_preview(self) -> None:
        """Page 1 of a sample certificate worded by the form; a refused template says why and keeps the last
        good picture."""
        self._timer.stop()
        try:
            sample = certificate_service.preview_text(self.workspace, self._key, self.edited_template())
        except (UserError, ValidationError) as error:
            self._show_error(str(error))
            return
        self.error.hide()
        path = Path(self._temp.name) / "mau.pdf"
        write_certificates([sample], path)
        with PdfPages(path) as document:
            image = document.render_to_width(0, PREVIEW_WIDTH)
        path.unlink()
        self.preview.setPixmap(QPixmap.fromImage(image))

    def save(self) -> None:
        template = self.edited_template()
        try:
            certificate_service.save_template(self.workspace, self._key, template)
        except ValidationError as error:
            self._show_error(str(error))
            self.editors[error.field].setFocus()
            return
        except UserError as error:
            self._show_error(str(error))
            return
        self._fill(certificate_service.template(self.workspace, self._key))
        self._tell(f"Đã lưu mẫu «{CERTIFICATE_CHOICES[self._key]}»; các giấy in từ nay theo mẫu này.")
        self.refresh_preview()

    def reset_to_default(self) -> None:
        """Put the default wording in the form; it is kept only when saved."""
        shown = self._shown
        self._fill(certificate_service.default_template(self._key))
        self._shown = shown
        self._tell("Đã đưa mẫu mặc định vào ô nhập; bấm «Lưu mẫu» để dùng.")
        self.refresh_preview()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _tell(self, text: str) -> None:
        self.status = text
        self.status_label.setText(text)

    def done(self, result: int) -> None:
        self._timer.stop()
        self._temp.cleanup()
        super().done(result)
