"""Add or edit a learning activity (a session at the community learning centre, or a class), and set the
year's targets per kind.

A session is one day, so its end date is off; a class's end date follows its start date until the officer
changes it, so a one-day training class needs no second date typed.
"""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QLabel, QLineEdit, QSpinBox, QWidget

from khuyenhoc_desktop.domain.activities import (
    ACTIVITY_FIELD_LABELS,
    ACTIVITY_KIND_LABELS,
    ACTIVITY_KIND_NOUNS,
    MAX_PARTICIPANTS,
    MAX_TARGET,
    ActivityInput,
    ActivityKind,
    count_unit,
    is_class,
    starts_label,
)
from khuyenhoc_desktop.domain.dates import default_day
from khuyenhoc_desktop.services import activities as activity_service
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog, choice_box, select_data
from khuyenhoc_desktop.ui.widgets import DateEdit

NAME_HINTS = {
    False: "Ví dụ: Phòng chống tác hại của thuốc lá",
    True: "Ví dụ: Kỹ thuật trồng lúa chất lượng cao",
}


class ActivityDialog(RecordFormDialog):
    def __init__(
        self,
        workspace: Workspace,
        activity_id: str | None = None,
        year: int | None = None,
        kind: str = ActivityKind.SESSION,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Sửa hoạt động học tập" if activity_id else "Thêm hoạt động học tập", parent)
        self.workspace = workspace
        self.activity_id = activity_id
        self.saved_id: str | None = None
        labels = ACTIVITY_FIELD_LABELS
        first_day = default_day(year or workspace.working_year)
        self.kind = choice_box(ACTIVITY_KIND_LABELS)
        self.name = QLineEdit()
        self.field = QLineEdit()
        self.field.setPlaceholderText("Trồng trọt, chăn nuôi, tin học, pháp luật, sức khỏe…")
        self.starts_on = DateEdit(first_day)
        self.ends_on = DateEdit(first_day)
        self.place = QLineEdit()
        self.place.setPlaceholderText("Ví dụ: Trung tâm học tập cộng đồng xã")
        self.participants = QSpinBox()
        self.participants.setRange(0, MAX_PARTICIPANTS)
        self.participants.setSuffix(" người")
        self.participants.setToolTip("Số lượt người dự buổi sinh hoạt, hoặc số học viên của lớp")
        self.note = QLineEdit()
        self.add_field("kind", labels["kind"], self.kind, required=True)
        self.add_field("name", labels["name"], self.name, required=True)
        self.add_field("field", labels["field"], self.field)
        self.add_field("starts_on", labels["starts_on"], self.starts_on, required=True)
        self.add_field("ends_on", labels["ends_on"], self.ends_on)
        self.add_field("place", labels["place"], self.place)
        self.add_field("participants", labels["participants"], self.participants)
        self.add_field("note", labels["note"], self.note)
        self._ends_follow = True  # the end date moves with the start date until it is set by hand
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.starts_on.dateChanged.connect(self._start_changed)
        self.ends_on.dateChanged.connect(self._end_set)
        select_data(self.kind, kind)
        self._load()
        self._kind_changed()
        (self.kind if activity_id is None else self.name).setFocus()

    def _load(self) -> None:
        if self.activity_id is None:
            return
        data = activity_service.activity_input(self.workspace, self.activity_id)
        select_data(self.kind, data.kind)
        self.name.setText(data.name)
        self.field.setText(data.field)
        self.starts_on.set_day(data.starts_on)
        self.ends_on.set_day(data.ends_on or data.starts_on)
        self._ends_follow = data.ends_on is None or data.ends_on == data.starts_on
        self.place.setText(data.place)
        self.participants.setValue(data.participants)
        self.note.setText(data.note)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        classes = is_class(kind)
        self.ends_on.setEnabled(classes)
        self.name.setPlaceholderText(NAME_HINTS[classes])
        label = self._form.labelForField(self.starts_on)
        if isinstance(label, QLabel):
            label.setText(f"{starts_label(kind)} *")

    def _start_changed(self, day: QDate) -> None:
        if self._ends_follow:
            self.ends_on.blockSignals(True)
            self.ends_on.setDate(day)
            self.ends_on.blockSignals(False)

    def _end_set(self) -> None:
        self._ends_follow = False

    def value(self) -> ActivityInput:
        kind = self.kind.currentData()
        return ActivityInput(
            kind=kind,
            name=self.name.text(),
            field=self.field.text(),
            starts_on=self.starts_on.day(),
            ends_on=self.ends_on.day() if is_class(kind) else None,
            place=self.place.text(),
            participants=self.participants.value(),
            note=self.note.text(),
        )

    def write(self) -> None:
        if self.activity_id is None:
            self.saved_id = activity_service.create_activity(self.workspace, self.value())
        else:
            activity_service.update_activity(self.workspace, self.activity_id, self.value())
            self.saved_id = self.activity_id


class TargetsDialog(RecordFormDialog):
    """One box per kind; 0 means no target for the year. Saving sets them all as one change."""

    def __init__(self, workspace: Workspace, year: int, parent: QWidget | None = None) -> None:
        super().__init__(f"Chỉ tiêu hoạt động học tập năm {year}", parent)
        self.workspace = workspace
        self.year = year
        current = activity_service.targets(workspace, year)
        self.boxes: dict[str, QSpinBox] = {}
        for kind, noun in ACTIVITY_KIND_NOUNS.items():
            box = QSpinBox()
            box.setRange(0, MAX_TARGET)
            box.setSuffix(f" {count_unit(kind)}")
            box.setSpecialValueText("Không đặt chỉ tiêu")
            box.setValue(current.get(kind, 0))
            self.boxes[kind] = box
            self.add_field(kind, noun, box)
        next(iter(self.boxes.values())).setFocus()

    def write(self) -> None:
        activity_service.set_targets(self.workspace, self.year, {k: box.value() for k, box in self.boxes.items()})
