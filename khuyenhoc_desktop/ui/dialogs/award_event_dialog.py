"""Add or edit an award ceremony (lễ trao học bổng, quà): name, date, place, sponsor, school year."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLineEdit, QWidget

from khuyenhoc_desktop.domain.awards import EVENT_FIELD_LABELS, AwardEventInput, default_school_year
from khuyenhoc_desktop.domain.dates import default_day
from khuyenhoc_desktop.services import awards
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog
from khuyenhoc_desktop.ui.widgets import DateEdit


class SchoolYearEdit(QLineEdit):
    """ "2025-2026", following a date until the officer types a school year of their own."""

    def __init__(self, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._default = ""
        self.follow(day)

    def follow(self, day: date) -> None:
        if self.text() in ("", self._default):
            self._default = default_school_year(day)
            self.setText(self._default)
        self.setPlaceholderText(f"Ví dụ: {default_school_year(day)}")


class AwardEventDialog(RecordFormDialog):
    """`saved_id` is set once the ceremony is written."""

    def __init__(self, workspace: Workspace, event_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Sửa lễ trao học bổng, quà" if event_id else "Thêm lễ trao học bổng, quà", parent)
        self.workspace, self.event_id = workspace, event_id
        self.saved_id: str | None = None
        labels = EVENT_FIELD_LABELS
        first_day = default_day(workspace.working_year)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Ví dụ: Trao học bổng đầu năm học 2025-2026")
        self.held_on = DateEdit(first_day)
        self.place = QLineEdit()
        self.place.setPlaceholderText("Ví dụ: Hội trường UBND xã")
        self.sponsor = QLineEdit()
        self.sponsor.setPlaceholderText("Doanh nghiệp, nhà hảo tâm hoặc Quỹ khuyến học xã")
        self.school_year = SchoolYearEdit(first_day)
        self.note = QLineEdit()
        self.add_field("name", labels["name"], self.name, required=True)
        self.add_field("held_on", labels["held_on"], self.held_on, required=True)
        self.add_field("place", labels["place"], self.place)
        self.add_field("sponsor", labels["sponsor"], self.sponsor)
        self.add_field("school_year", labels["school_year"], self.school_year)
        self.add_field("note", labels["note"], self.note)
        self.held_on.dateChanged.connect(lambda _day: self.school_year.follow(self.held_on.day()))
        self._load()
        self.name.setFocus()

    def _load(self) -> None:
        if self.event_id is None:
            return
        data = awards.event_input(self.workspace, self.event_id)
        self.name.setText(data.name)
        self.held_on.set_day(data.held_on)
        self.place.setText(data.place)
        self.sponsor.setText(data.sponsor)
        self.school_year.setText(data.school_year)
        self.note.setText(data.note)

    def value(self) -> AwardEventInput:
        return AwardEventInput(
            name=self.name.text(),
            held_on=self.held_on.day(),
            place=self.place.text(),
            sponsor=self.sponsor.text(),
            school_year=self.school_year.text(),
            note=self.note.text(),
        )

    def write(self) -> None:
        if self.event_id is None:
            self.saved_id = awards.create_event(self.workspace, self.value())
        else:
            awards.update_event(self.workspace, self.event_id, self.value())
            self.saved_id = self.event_id
