"""Add or edit one scholarship or gift, and enter a ceremony's batch fast.

The pupil is picked from the households register as the name is typed (accents optional; arrows and Enter
choose a suggestion, which fills birth year, school and class), or typed in full for a child the register does
not hold, who is then offered a place in a household. "Lưu và nhập tiếp" (Ctrl+Enter) saves and empties only
the pupil's fields: the ceremony, date, sponsor, category, kind and value stay for the next child.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.awards import (
    AWARD_CATEGORY_LABELS,
    AWARD_FIELD_LABELS,
    AWARD_KIND_LABELS,
    AwardInput,
    AwardKind,
    award_record,
    is_cash,
)
from khuyenhoc_desktop.domain.dates import default_day
from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.household import RELATION_LABELS, SEX_LABELS, Relation, Sex
from khuyenhoc_desktop.domain.text import fold, format_date, nfc
from khuyenhoc_desktop.services import awards
from khuyenhoc_desktop.services.awards import EventRow
from khuyenhoc_desktop.services.citizens import list_member_choices
from khuyenhoc_desktop.services.households import list_households
from khuyenhoc_desktop.services.ledger import NegativeBalance
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.delegates.editors import set_year, year_of, year_spin_box
from khuyenhoc_desktop.ui.dialogs.award_event_dialog import SchoolYearEdit
from khuyenhoc_desktop.ui.dialogs.pick_dialog import PickDialog
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog, choice_box, select_data
from khuyenhoc_desktop.ui.models.register_models import HouseholdPickModel
from khuyenhoc_desktop.ui.widgets import AmountEdit, DateEdit, MemberCompleter, MemberInfo

NO_EVENT = "— Không thuộc lễ trao nào —"
SAVE_AND_NEXT = "Lưu và nhập tiếp"
BATCH_HINT = (
    "Ctrl+Enter hoặc «Lưu và nhập tiếp»: lưu suất này rồi nhập học sinh kế tiếp; lễ trao, ngày, nhà tài trợ, "
    "diện, hình thức và giá trị được giữ lại."
)
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def event_text(event: EventRow) -> str:
    return f"{format_date(event.held_on)} — {event.name}"


class AwardDialog(RecordFormDialog):
    """`saved_ids` lists every award written while the form was open (a batch writes several)."""

    def __init__(
        self,
        workspace: Workspace,
        award_id: str | None = None,
        event_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Sửa suất học bổng, quà" if award_id else "Thêm suất học bổng, quà", parent)
        self.setMinimumWidth(640)
        self.workspace, self.award_id = workspace, award_id
        self.saved_ids: list[str] = []
        self.member_id: str | None = None  # the register pupil, while the name is not retyped
        labels = AWARD_FIELD_LABELS
        self.events = {event.id: event for event in awards.list_events(workspace)}
        first_day = default_day(workspace.working_year)

        self.pupil_name = QLineEdit()
        self.pupil_name.setPlaceholderText("Gõ họ tên (không dấu được), chọn học sinh trong sổ hộ ở danh sách gợi ý")
        self.completer = self._member_completer()
        self.member_info = MemberInfo("Học sinh trong sổ hộ (thành viên đã bị xóa khỏi sổ)")
        self.birth_year = year_spin_box()
        set_year(self.birth_year, None)
        self.school = QLineEdit()
        self.school.setPlaceholderText("Ví dụ: Trường THCS Phước Vĩnh Tây")
        self.grade = QLineEdit()
        self.grade.setPlaceholderText("Ví dụ: 7A")
        self.category = choice_box(AWARD_CATEGORY_LABELS, first=("", "— Chọn diện —"))
        self.kind = choice_box(AWARD_KIND_LABELS)
        self.value_vnd = AmountEdit()
        self.value_vnd.setToolTip("Tiền mặt: số tiền trao; hiện vật: giá trị ước tính")
        self.post_to_ledger = QCheckBox("Ghi phiếu chi vào sổ quỹ khuyến học")
        self.event_box = QComboBox()
        self.event_box.addItem(NO_EVENT, "")
        for event in self.events.values():
            self.event_box.addItem(event_text(event), event.id)
        self.awarded_on = DateEdit(first_day)
        self.sponsor = QLineEdit()
        self.sponsor.setPlaceholderText("Doanh nghiệp, nhà hảo tâm hoặc Quỹ khuyến học xã")
        self.school_year = SchoolYearEdit(first_day)
        self.recurring = QCheckBox("Học bổng nhiều năm (trao lại mỗi năm học)")
        self.note = QLineEdit()
        self.add_field("pupil_name", labels["pupil_name"], self.pupil_name, required=True)
        self._form.addRow("", self.member_info)
        self.add_field("birth_year", labels["birth_year"], self.birth_year)
        self.add_field("school", labels["school"], self.school)
        self.add_field("grade", labels["grade"], self.grade)
        self.add_field("category", labels["category"], self.category, required=True)
        self.add_field("kind", labels["kind"], self.kind, required=True)
        self.add_field("value_vnd", labels["value_vnd"], self.value_vnd, required=True)
        self.add_field("post_to_ledger", labels["post_to_ledger"], self.post_to_ledger)
        self.add_field("event_id", labels["event_id"], self.event_box)
        self.add_field("awarded_on", labels["awarded_on"], self.awarded_on, required=True)
        self.add_field("sponsor", labels["sponsor"], self.sponsor)
        self.add_field("school_year", labels["school_year"], self.school_year)
        self.add_field("recurring", labels["recurring"], self.recurring)
        self.add_field("note", labels["note"], self.note)

        self.batch_label = QLabel()
        self.batch_label.setObjectName("batch_label")
        self.batch_label.setWordWrap(True)
        self.batch_label.setText(BATCH_HINT)
        self.batch_label.setVisible(award_id is None)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)  # RecordFormDialog's: fields, hint, error, buttons
        layout.insertWidget(layout.count() - 1, self.batch_label)
        self.next_button = QPushButton(SAVE_AND_NEXT)
        self.next_button.setToolTip(
            "Ctrl+Enter: lưu suất này, giữ lễ trao, ngày, nhà tài trợ, diện, hình thức, giá trị"
        )
        self.next_button.setAutoDefault(False)
        self.next_button.setVisible(award_id is None)
        box = self.findChild(QDialogButtonBox)
        assert box is not None  # RecordFormDialog always has its buttons
        box.addButton(self.next_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.next_button.clicked.connect(self.save_and_next)

        self._event_sponsor = ""
        self.pupil_name.textEdited.connect(self._typed)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.event_box.currentIndexChanged.connect(self._event_changed)
        self.awarded_on.dateChanged.connect(lambda _day: self.school_year.follow(self.awarded_on.day()))
        self._load(event_id)
        self._kind_changed()
        self.pupil_name.setFocus()

    def _member_completer(self) -> MemberCompleter:
        completer = MemberCompleter(list_member_choices(self.workspace), self)
        completer.activated[QModelIndex].connect(self._picked)  # type: ignore[index]
        self.pupil_name.setCompleter(completer)
        return completer

    def _load(self, event_id: str | None) -> None:
        if self.award_id is None:
            select_data(self.event_box, event_id or "")
            return
        data = awards.award_input(self.workspace, self.award_id)
        self.pupil_name.setText(data.pupil_name)
        self.member_id = data.member_id
        self._show_member()
        set_year(self.birth_year, data.birth_year)
        self.school.setText(data.school)
        self.grade.setText(data.grade)
        select_data(self.category, data.category)
        select_data(self.kind, data.kind)
        self.value_vnd.set_value(data.value_vnd)
        self.post_to_ledger.setChecked(data.post_to_ledger)
        self.event_box.blockSignals(True)  # the award keeps its own date and sponsor
        select_data(self.event_box, data.event_id or "")
        self.event_box.blockSignals(False)
        self.awarded_on.set_day(data.awarded_on)
        self.sponsor.setText(data.sponsor)
        self.school_year.setText(data.school_year)
        self.recurring.setChecked(data.recurring)
        self.note.setText(data.note)

    # -- the pupil ----------------------------------------------------------------------------------
    def _typed(self) -> None:
        """A name typed by hand is nobody in the register until a suggestion is chosen."""
        self.member_id = None
        self._show_member()

    def _picked(self, index: QModelIndex) -> None:
        choice = self.completer.choice_at(index)
        self.member_id = choice.id
        set_year(self.birth_year, choice.birth_year)
        school, grade = awards.member_school(self.workspace, choice.id)
        if school or grade:
            self.school.setText(school)
            self.grade.setText(grade)
        self._show_member()

    def _show_member(self) -> None:
        self.member_info.show_member(self.completer.choice_of(self.member_id), self.member_id)

    # -- what carries over --------------------------------------------------------------------------
    def _kind_changed(self) -> None:
        cash = is_cash(self.kind.currentData())
        self.post_to_ledger.setEnabled(cash)
        if not cash:
            self.post_to_ledger.setChecked(False)

    def _event_changed(self) -> None:
        """A ceremony brings its date and its sponsor (unless the officer typed another sponsor)."""
        event = self.events.get(self.event_box.currentData() or "")
        if event is None:
            return
        self.awarded_on.set_day(event.held_on)
        if self.sponsor.text() in ("", self._event_sponsor):
            self.sponsor.setText(event.sponsor)
        self._event_sponsor = event.sponsor

    # -- saving -------------------------------------------------------------------------------------
    def value(self) -> AwardInput:
        return AwardInput(
            pupil_name=self.pupil_name.text(),
            category=self.category.currentData(),
            kind=self.kind.currentData() or AwardKind.CASH,
            value_vnd=self.value_vnd.value() or 0,
            awarded_on=self.awarded_on.day(),
            member_id=self.member_id,
            birth_year=year_of(self.birth_year),
            school=self.school.text(),
            grade=self.grade.text(),
            sponsor=self.sponsor.text(),
            school_year=self.school_year.text(),
            event_id=self.event_box.currentData() or None,
            recurring=self.recurring.isChecked(),
            post_to_ledger=self.post_to_ledger.isChecked(),
            note=self.note.text(),
        )

    def _store(self, data: AwardInput, allow_negative: bool) -> str:
        if self.award_id is None:
            return awards.create_award(self.workspace, data, allow_negative)
        awards.update_award(self.workspace, self.award_id, data, allow_negative)
        return self.award_id

    def write(self) -> None:
        """A payment the fund cannot cover is written only once the officer agrees."""
        data = self.value()
        try:
            saved = self._store(data, allow_negative=False)
        except NegativeBalance as refused:
            question = f"{refused}.\nVẫn ghi phiếu chi cho suất của {nfc(data.pupil_name)}?"
            if not messages.confirm(self, "Quỹ khuyến học không đủ tiền", question, yes="Vẫn ghi"):
                raise ValidationError(
                    award_record(nfc(data.pupil_name)),
                    "post_to_ledger",
                    AWARD_FIELD_LABELS["post_to_ledger"],
                    "quỹ không đủ tiền: bỏ chọn ô này, hoặc ghi phiếu thu vào sổ quỹ trước.",
                ) from refused
            saved = self._store(data, allow_negative=True)
        if saved not in self.saved_ids:
            self.saved_ids.append(saved)
        if self.award_id is None and self.member_id is None:
            self._offer_register(saved, nfc(data.pupil_name))

    def _written(self) -> bool:
        try:
            self.write()
        except ValidationError as error:
            self.show_error(error)
            return False
        except UserError as error:
            messages.warn(self, "Không lưu được", str(error))
            return False
        return True

    def save(self) -> None:
        if self._written():
            self.accept()

    def save_and_next(self) -> None:
        """Save, then empty the pupil's fields for the next child of the same ceremony."""
        if self.award_id is not None or not self._written():
            return
        names = ", ".join(row.pupil_name for row in awards.list_awards(self.workspace, ids=self.saved_ids))
        self.batch_label.setText(
            f"Đã lưu {len(self.saved_ids)} suất: {names}. Nhập học sinh kế tiếp (Ctrl+Enter để lưu)."
        )
        self.error.hide()
        for edit in (self.pupil_name, self.school, self.grade, self.note):
            edit.clear()
        set_year(self.birth_year, None)
        self._typed()
        self.pupil_name.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self.award_id is None
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.save_and_next()
            return True
        return super().eventFilter(watched, event)

    # -- a typed pupil into the register ------------------------------------------------------------
    def _offer_register(self, award_id: str, name: str) -> None:
        question = f"{name} chưa có trong sổ hộ gia đình.\nThêm em vào một hộ trong sổ?"
        if not messages.confirm(self, "Thêm học sinh vào sổ hộ", question, yes="Chọn hộ…", no="Không"):
            return
        picker = HouseholdPickerDialog(self.workspace, name, self)
        if not picker.exec() or picker.chosen_id is None:
            return
        try:
            awards.add_pupil_to_register(
                self.workspace, award_id, picker.chosen_id, picker.relation.currentData(), picker.sex.currentData()
            )
        except (ValidationError, UserError) as error:
            messages.warn(self, "Không thêm được vào sổ hộ", str(error))
            return
        self.completer = self._member_completer()  # the child is now a suggestion for the next award


class HouseholdPickerDialog(PickDialog):
    """Type part of a household's code, head or hamlet (accents optional), arrows to choose, Enter to add."""

    def __init__(self, workspace: Workspace, pupil_name: str, parent: QWidget | None = None) -> None:
        super().__init__(
            f"Thêm {pupil_name} vào hộ gia đình",
            HouseholdPickModel(),
            list_households(workspace),
            "Tìm hộ theo mã hộ, chủ hộ, ấp (gõ không dấu được)",
            "Thêm vào hộ",
            "Mũi tên lên/xuống để chọn hộ, Enter để thêm.",
            parent,
        )
        self.resize(620, 460)
        self.table.setObjectName("household_choices")
        self.relation = choice_box({k: v for k, v in RELATION_LABELS.items() if k != Relation.HEAD})
        select_data(self.relation, Relation.CHILD)
        self.sex = choice_box(SEX_LABELS)
        # Most Vietnamese women's names carry "Thị"; the officer corrects the rest.
        select_data(self.sex, Sex.FEMALE if " thi " in f" {fold(pupil_name)} " else Sex.MALE)
        details = QFormLayout()
        details.addRow("Quan hệ với chủ hộ", self.relation)
        details.addRow("Giới tính", self.sex)
        self.extras.addLayout(details)
        self.search.returnPressed.connect(self.choose)
        self.start()
