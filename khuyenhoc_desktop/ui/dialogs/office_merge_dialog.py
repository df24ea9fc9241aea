"""Which commune of the office's list another one was merged into (the 2025 reform merged many): found by code
or by name, accents optional; and an old commune put on the list."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.text import fold
from khuyenhoc_desktop.services import office
from khuyenhoc_desktop.services.office import OfficeCommuneRow
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.dialogs.pick_dialog import PickDialog
from khuyenhoc_desktop.ui.models.table_model import Column, SearchableModel


@dataclass(frozen=True)
class CommuneChoice:
    id: str  # the commune's code
    name: str
    search_key: str


class CommuneChoiceModel(SearchableModel[CommuneChoice]):
    COLUMNS = (
        Column[CommuneChoice]("Mã", lambda r: r.id, width=70),
        Column[CommuneChoice]("Xã, phường", lambda r: r.name, width=260),
    )


class MergedIntoDialog(PickDialog):
    """Offers every commune on the list but `merged` itself and those already merged away."""

    def __init__(
        self, merged: OfficeCommuneRow, communes: list[OfficeCommuneRow], parent: QWidget | None = None
    ) -> None:
        choices = [
            CommuneChoice(c.code, c.name, fold(f"{c.code} {c.name}"))
            for c in communes
            if c.code != merged.code and c.merged_into_code is None
        ]
        super().__init__(
            f"Ghi {merged.name} sáp nhập vào…",
            CommuneChoiceModel(),
            choices,
            "Tìm xã, phường nhận sáp nhập theo mã hoặc tên (gõ không dấu được)",
            "Ghi sáp nhập",
            "↑↓ chọn, Enter ghi sáp nhập, Esc hủy",
            parent,
        )
        note = QLabel(
            f"{merged.name} vẫn ở trong danh sách với tên cũ, đánh dấu đã sáp nhập; số liệu cũ của xã giữ nguyên. "
            "Ghi nhầm thì hoàn tác bằng Ctrl+Z."
        )
        note.setWordWrap(True)
        self.extras.addWidget(note)
        self.resize(520, 480)
        self.start()


class OldCommuneDialog(QDialog):
    """A commune from before the 2025 reform, put on the list under its old code and name; refused in the words of
    `services.office.add_old_commune`, the dialog staying open to correct."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.added: OfficeCommuneRow | None = None
        self.setWindowTitle("Thêm xã, phường cũ")
        self.code = QLineEdit()
        self.code.setPlaceholderText("5 chữ số, theo danh mục trước năm 2025")
        self.name = QLineEdit()
        self.name.setPlaceholderText("ví dụ: Xã Phước Lại")
        self.into = QComboBox()
        self.into.addItem("(chưa ghi sáp nhập)", None)
        for commune in office.list_communes(workspace):
            if commune.merged_into_code is None:
                self.into.addItem(f"{commune.name} ({commune.code})", commune.code)
        form = QFormLayout()
        form.addRow("Mã cũ:", self.code)
        form.addRow("Tên cũ:", self.name)
        form.addRow("Đã sáp nhập vào:", self.into)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Thêm")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            self.added = office.add_old_commune(
                self.workspace, self.code.text(), self.name.text(), self.into.currentData()
            )
        except UserError as error:
            messages.warn(self, "Chưa thêm được xã, phường cũ", str(error))
            return
        super().accept()
