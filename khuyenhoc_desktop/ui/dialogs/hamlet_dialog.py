"""Add a hamlet, or rename one and edit its leader and note: one change, one step on the undo stack.

The name follows the same rules as in Settings (not blank, not the name of another hamlet up to accents).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from khuyenhoc_desktop.services import hamlet_register
from khuyenhoc_desktop.services.hamlet_register import HAMLET_FIELD_LABELS
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog


class HamletDialog(RecordFormDialog):
    def __init__(self, workspace: Workspace, hamlet_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Sửa thông tin ấp" if hamlet_id else "Thêm ấp", parent)
        self.workspace = workspace
        self.hamlet_id = hamlet_id
        self.saved_id: str | None = None
        labels = HAMLET_FIELD_LABELS
        self.name = QLineEdit()
        self.name.setPlaceholderText("Ví dụ: Ấp Vĩnh Thạnh, Khu phố 3")
        self.leader_name = QLineEdit()
        self.note = QLineEdit()
        # services.profile names the field "hamlets" in its messages: the cursor goes to the name.
        self.add_field("hamlets", labels["name"], self.name, required=True)
        self.add_field("leader_name", labels["leader_name"], self.leader_name)
        self.add_field("note", labels["note"], self.note)
        if hamlet_id is not None:
            (row,) = hamlet_register.list_hamlet_communities(workspace, [hamlet_id])
            self.name.setText(row.name)
            self.leader_name.setText(row.leader_name)
            self.note.setText(row.note)
        self.name.setFocus()

    def write(self) -> None:
        self.saved_id = hamlet_register.save_hamlet(
            self.workspace, self.hamlet_id, self.name.text(), self.leader_name.text(), self.note.text()
        )
