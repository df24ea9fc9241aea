"""Help → Giới thiệu: what support asks first on the phone (which version, where the data and the logs are, which
Qt and Python), as text the officer can select and read out or paste, and one button to open the data folder."""

from __future__ import annotations

import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from khuyenhoc_desktop import APP_TITLE, __version__
from khuyenhoc_desktop.resources import resources_dir
from khuyenhoc_desktop.storage.paths import logs_dir
from khuyenhoc_desktop.ui import messages

ICON_SIZE = 64


def library_versions() -> str:
    return (
        f"Qt {qVersion()}, PySide6 {PySide6.__version__}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def _selectable(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return label


class AboutDialog(QDialog):
    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Giới thiệu")
        self.data_dir = data_dir
        # A missing icon (a broken installation, which the self-test reports) leaves the space empty.
        self.icon = QLabel()
        self.icon.setPixmap(
            QPixmap(str(resources_dir() / "khuyenhoc.png")).scaled(
                ICON_SIZE,
                ICON_SIZE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.title = QLabel(f"{APP_TITLE} {__version__}")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(QLabel("Sổ quản lý xã hội học tập — Hội Khuyến học"))
        top = QHBoxLayout()
        top.addWidget(self.icon, alignment=Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, stretch=1)

        self.data_folder = _selectable(str(data_dir))
        self.logs_folder = _selectable(str(logs_dir(data_dir)))
        self.versions = _selectable(library_versions())
        self.open_data_button = QPushButton("Mở thư mục dữ liệu")
        self.open_data_button.clicked.connect(self.open_data_folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.open_data_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        for caption, value in (
            ("Thư mục dữ liệu:", self.data_folder),
            ("Nhật ký (gửi kèm khi báo lỗi):", self.logs_folder),
            ("Phiên bản thư viện:", self.versions),
        ):
            layout.addSpacing(6)
            layout.addWidget(QLabel(caption))
            layout.addWidget(value)
        layout.addWidget(buttons)

    def open_data_folder(self) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_dir))):
            messages.warn(self, "Giới thiệu", f"Không mở được thư mục dữ liệu {self.data_dir}.")
