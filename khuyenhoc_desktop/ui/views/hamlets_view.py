"""The hamlets as communities: each hamlet's leader, note and what it holds; add, rename, remove hamlets."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services import hamlet_register
from khuyenhoc_desktop.services.hamlet_register import HamletCommunityRow
from khuyenhoc_desktop.services.profile import remove_hamlet
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.dialogs.hamlet_dialog import HamletDialog
from khuyenhoc_desktop.ui.models.register_models import HamletsModel
from khuyenhoc_desktop.ui.views.clans_view import RegisterPage


class HamletsView(RegisterPage):
    CERTIFICATE_TITLE = Title.COMMUNITY

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, HamletsModel(), "ấp", "Tìm theo tên ấp, trưởng ấp, ghi chú", parent)
        self.table.setObjectName("hamlets_table")
        self.reload()

    def read_rows(self, ids: list[str] | None = None) -> list[HamletCommunityRow]:
        return hamlet_register.list_hamlet_communities(self.workspace, ids)

    def open_form(self, record_id: str | None) -> str | None:
        dialog = HamletDialog(self.workspace, record_id, parent=self)
        return dialog.saved_id if dialog.exec() else None

    def confirm_delete(self, row: HamletCommunityRow) -> bool:
        linked = [
            f"{count} {what}" for count, what in ((row.clan_count, "dòng họ"), (row.unit_count, "đơn vị")) if count
        ]
        kept = (
            f"\n{' và '.join(linked)} đang ghi ấp này vẫn giữ liên kết; liên kết hiện lại khi thêm lại ấp."
            if linked
            else ""
        )
        return messages.confirm(
            self,
            "Xóa ấp",
            f"Xóa ấp «{row.name}» khỏi danh sách ấp?{kept}\nCó thể hoàn tác bằng Ctrl+Z, hoặc thêm lại ấp cùng tên.",
            yes="Xóa",
        )

    def delete_row(self, row: HamletCommunityRow) -> None:
        remove_hamlet(self.workspace, row.id)
