"""Which commune of the office's list another one was merged into (the 2025 reform merged many): found by code
or by name, accents optional."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QLabel, QWidget

from khuyenhoc_desktop.domain.text import fold
from khuyenhoc_desktop.services.office import OfficeCommuneRow
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
