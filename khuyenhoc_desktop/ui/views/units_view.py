"""The units register (đơn vị: schools, agencies, cooperatives, enterprises)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services import units as unit_service
from khuyenhoc_desktop.services.units import UnitRow
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.dialogs.unit_dialog import UnitDialog
from khuyenhoc_desktop.ui.models.register_models import UnitsModel
from khuyenhoc_desktop.ui.views.clans_view import RegisterPage


class UnitsView(RegisterPage):
    CERTIFICATE_TITLE = Title.UNIT

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(
            workspace,
            UnitsModel(),
            "đơn vị",
            "Tìm theo tên đơn vị, loại, người đứng đầu, ấp, điện thoại",
            parent,
        )
        self.table.setObjectName("units_table")
        self.reload()

    def read_rows(self, ids: list[str] | None = None) -> list[UnitRow]:
        return unit_service.list_units(self.workspace, ids)

    def open_form(self, record_id: str | None) -> str | None:
        dialog = UnitDialog(self.workspace, record_id, parent=self)
        return dialog.saved_id if dialog.exec() else None

    def confirm_delete(self, row: UnitRow) -> bool:
        return messages.confirm_to_bin(self, "Xóa đơn vị", f"đơn vị «{row.name}»")

    def delete_row(self, row: UnitRow) -> None:
        unit_service.delete_unit(self.workspace, row.id)
