"""The recognition decision: number, date and signer (taken from the profile), and the records it
recognises, ticked; saving recognises them all or none."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QWidget

from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.titles import TITLE_LABELS
from khuyenhoc_desktop.services import evaluations
from khuyenhoc_desktop.services.evaluations import DECISION_FIELD_LABELS, DECISION_RECORD, DecisionInput, EvaluationRow
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog
from khuyenhoc_desktop.ui.widgets import DateEdit


class DecisionDialog(RecordFormDialog):
    """`decision_id` is set once the decision is saved."""

    def __init__(
        self,
        workspace: Workspace,
        title: str,
        year: int,
        candidates: list[EvaluationRow],
        checked: set[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Quyết định công nhận {TITLE_LABELS[title]} năm {year}", parent)
        self.workspace, self.title, self.year = workspace, title, year
        self.decision_id: str | None = None
        self.setMinimumWidth(620)
        defaults = evaluations.decision_defaults(workspace)
        self.number = QLineEdit()
        self.number.setPlaceholderText("ví dụ 125/QĐ-UBND")
        self.signed_on = DateEdit(date.today())
        self.signer_title = QLineEdit(defaults.signer_title)
        self.signer_name = QLineEdit(defaults.signer_name)
        self.note = QLineEdit()
        self.records = QListWidget()
        self.records.setMinimumHeight(220)
        for row in candidates:
            item = QListWidgetItem(f"{row.subject_label} — {row.hamlet_name} — {row.total} điểm")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if row.id in checked else Qt.CheckState.Unchecked)
            self.records.addItem(item)
        self.records.setCurrentRow(0)
        self.records.itemChanged.connect(self._count)
        for name, widget, required in (
            ("number", self.number, True),
            ("signed_on", self.signed_on, True),
            ("signer_title", self.signer_title, True),
            ("signer_name", self.signer_name, True),
            ("note", self.note, False),
        ):
            self.add_field(name, DECISION_FIELD_LABELS[name], widget, required)
        self.add_field("records", "Hồ sơ được công nhận", self.records)
        self._count()
        self.number.setFocus()

    def checked_ids(self) -> list[str]:
        items = (self.records.item(i) for i in range(self.records.count()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in items if item.checkState() == Qt.CheckState.Checked]

    def _count(self) -> None:
        label = self._form.labelForField(self.records)
        if label is not None:
            label.setText(f"Hồ sơ được công nhận\n({len(self.checked_ids())}/{self.records.count()} hồ sơ)")  # type: ignore[attr-defined]
        self.save_button.setText(f"Công nhận {len(self.checked_ids())} hồ sơ")

    def write(self) -> None:
        ids = self.checked_ids()
        if not ids:
            raise ValidationError(DECISION_RECORD, "records", "Hồ sơ", "chưa đánh dấu hồ sơ nào để công nhận.")
        decision = DecisionInput(
            self.number.text(),
            self.signed_on.day(),
            self.signer_title.text(),
            self.signer_name.text(),
            self.note.text(),
        )
        try:
            self.decision_id = evaluations.recognise(self.workspace, self.title, self.year, ids, decision)
        except UserError as error:
            raise ValidationError(DECISION_RECORD, "records", "Hồ sơ", str(error)) from error
