"""Add or edit an exemplary learning model or a commendation.

A person is picked from the households register as the name is typed (accents optional; arrows and Enter
choose a suggestion), which links the member and fills the hamlet; or the name is typed in full for someone
the register does not hold. A collective is typed ("Chi hội khuyến học ấp Vĩnh Thạnh").
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from khuyenhoc_desktop.domain.dates import default_day
from khuyenhoc_desktop.domain.honours import (
    HONOUR_FIELD_LABELS,
    HONOUR_KIND_LABELS,
    HONOUR_LEVEL_LABELS,
    RECIPIENT_KIND_LABELS,
    HonourInput,
    HonourKind,
    HonourLevel,
    RecipientKind,
)
from khuyenhoc_desktop.domain.text import nfc
from khuyenhoc_desktop.services import honours as honour_service
from khuyenhoc_desktop.services.citizens import MemberChoice, list_member_choices
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog, choice_box, select_data
from khuyenhoc_desktop.ui.widgets import DateEdit, MemberCompleter, MemberInfo

RECIPIENT_HINTS = {
    RecipientKind.PERSON: "Gõ họ tên (không dấu được), chọn người trong sổ hộ ở danh sách gợi ý",
    RecipientKind.COLLECTIVE: "Ví dụ: Chi hội khuyến học ấp Vĩnh Thạnh",
}


class HonourDialog(RecordFormDialog):
    def __init__(
        self,
        workspace: Workspace,
        honour_id: str | None = None,
        year: int | None = None,
        kind: str = HonourKind.COMMENDATION,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Sửa mô hình, giấy khen" if honour_id else "Thêm mô hình, giấy khen", parent)
        self.setMinimumWidth(620)
        self.workspace = workspace
        self.honour_id = honour_id
        self.saved_id: str | None = None
        self.member: MemberChoice | None = None
        self._linked_member_id: str | None = None  # the stored link, kept while the name is not retyped
        labels = HONOUR_FIELD_LABELS
        self.kind = choice_box(HONOUR_KIND_LABELS)
        self.recipient_kind = choice_box(RECIPIENT_KIND_LABELS)
        self.recipient = QLineEdit()
        self.completer = MemberCompleter(list_member_choices(workspace), self)
        self.member_info = MemberInfo("Người trong sổ hộ (thành viên đã bị xóa khỏi sổ)")
        self.hamlet = QComboBox()
        self.hamlet.addItem("— Không gắn với ấp nào —", "")
        for hamlet in list_hamlets(workspace):
            self.hamlet.addItem(hamlet.name, hamlet.id)
        self.level = choice_box(HONOUR_LEVEL_LABELS)
        self.issuer = QLineEdit()
        self.issuer.setPlaceholderText("Ví dụ: Hội Khuyến học tỉnh Tây Ninh")
        self.decision_no = QLineEdit()
        self.decision_no.setPlaceholderText("Ví dụ: 15/QĐ-HKH")
        today = date.today()
        self.honoured_on = DateEdit(min(default_day(year or workspace.working_year, today), today))
        self.content = QLineEdit()
        self.content.setPlaceholderText("Ví dụ: Có thành tích xuất sắc trong phong trào khuyến học")
        self.add_field("kind", labels["kind"], self.kind, required=True)
        self.add_field("recipient_kind", labels["recipient_kind"], self.recipient_kind, required=True)
        self.add_field("recipient", labels["recipient"], self.recipient, required=True)
        self._form.addRow("", self.member_info)
        self.add_field("hamlet_id", labels["hamlet_id"], self.hamlet)
        self.add_field("level", labels["level"], self.level, required=True)
        self.add_field("issuer", labels["issuer"], self.issuer)
        self.add_field("decision_no", labels["decision_no"], self.decision_no)
        self.add_field("honoured_on", labels["honoured_on"], self.honoured_on, required=True)
        self.add_field("content", labels["content"], self.content)

        self._default_issuer = ""
        self.recipient_kind.currentIndexChanged.connect(self._recipient_kind_changed)
        self.recipient.textEdited.connect(self._typed)
        self.completer.activated[QModelIndex].connect(self._picked)  # type: ignore[index]
        self.completer.highlighted[QModelIndex].connect(self._picked)  # type: ignore[index]
        self.level.currentIndexChanged.connect(self._level_changed)
        select_data(self.kind, kind)
        self._load()
        self._recipient_kind_changed()
        self._level_changed()
        self.kind.setFocus()

    def _load(self) -> None:
        if self.honour_id is None:
            return
        data = honour_service.honour_input(self.workspace, self.honour_id)
        select_data(self.kind, data.kind)
        select_data(self.recipient_kind, data.recipient_kind)
        self.recipient.setText(data.recipient)
        self._linked_member_id = data.member_id
        self.member = self.completer.choice_of(data.member_id)
        if data.hamlet_id and self.hamlet.findData(data.hamlet_id) < 0:
            # Its hamlet was removed from the list since: keep the link rather than drop it on save.
            (row,) = honour_service.list_honours(self.workspace, ids=[self.honour_id])
            self.hamlet.addItem(f"{row.hamlet_name} (đã xóa khỏi danh sách ấp)", data.hamlet_id)
        select_data(self.hamlet, data.hamlet_id or "")
        select_data(self.level, data.level)
        self._default_issuer = self._issuer_for(data.level)  # a stored issuer of its own stays as it is
        self.issuer.setText(data.issuer)
        self.decision_no.setText(data.decision_no)
        self.honoured_on.set_day(data.honoured_on)
        self.content.setText(data.content)

    # -- the person or collective --------------------------------------------------------------------
    def _person(self) -> bool:
        return bool(self.recipient_kind.currentData() == RecipientKind.PERSON)

    def _recipient_kind_changed(self) -> None:
        person = self._person()
        self.recipient.setCompleter(self.completer if person else None)  # type: ignore[arg-type]
        self.recipient.setPlaceholderText(RECIPIENT_HINTS[RecipientKind(self.recipient_kind.currentData())])
        self.member_info.setVisible(person)
        self._show_member()

    def _typed(self) -> None:
        """A name typed by hand is nobody in the register until a suggestion is chosen."""
        self.member = None
        self._linked_member_id = None
        self._show_member()

    def _picked(self, index: QModelIndex) -> None:
        self.member = self.completer.choice_at(index)
        self._linked_member_id = self.member.id
        hamlet = self.hamlet.findText(self.member.hamlet_name)
        if hamlet >= 0:
            self.hamlet.setCurrentIndex(hamlet)
        self._show_member()

    def _show_member(self) -> None:
        self.member_info.show_member(self.member, self._linked_member_id)

    # -- who honoured -------------------------------------------------------------------------------
    def _issuer_for(self, level: str) -> str:
        """The usual issuer of a level, so a commune's own commendation needs no typing."""
        profile = self.workspace.profile
        if profile is None:
            return ""
        issuers: dict[str, str] = {
            HonourLevel.COMMUNE: profile.association_name,
            HonourLevel.PROVINCE: f"Hội Khuyến học tỉnh {profile.province_name}",
            HonourLevel.CENTRAL: "Trung ương Hội Khuyến học Việt Nam",
        }
        return issuers.get(level, "")

    def _level_changed(self) -> None:
        """Fill the issuer from the level unless the officer typed one of their own."""
        if self.issuer.text() in ("", self._default_issuer):
            self._default_issuer = self._issuer_for(self.level.currentData())
            self.issuer.setText(self._default_issuer)

    # -- saving -------------------------------------------------------------------------------------
    def value(self) -> HonourInput:
        if self.member is not None and nfc(self.recipient.text()) != self.member.full_name:
            self._typed()  # a suggestion was looked at, then left (Esc): the name is the one typed
        return HonourInput(
            kind=self.kind.currentData(),
            recipient_kind=self.recipient_kind.currentData(),
            recipient=self.recipient.text(),
            member_id=self._linked_member_id if self._person() else None,
            hamlet_id=self.hamlet.currentData() or None,
            level=self.level.currentData(),
            issuer=self.issuer.text(),
            decision_no=self.decision_no.text(),
            honoured_on=self.honoured_on.day(),
            content=self.content.text(),
        )

    def write(self) -> None:
        if self.honour_id is None:
            self.saved_id = honour_service.create_honour(self.workspace, self.value())
        else:
            honour_service.update_honour(self.workspace, self.honour_id, self.value())
            self.saved_id = self.honour_id
