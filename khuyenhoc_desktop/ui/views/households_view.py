"""The households register: search, hamlet filter, the households table, and the selected household's
members edited in place."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.household import LEARNING_STATUS_LABELS, RELATION_LABELS, SEX_LABELS
from khuyenhoc_desktop.domain.text import format_count
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.households import HouseholdRow, MemberRow
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.delegates.editors import ChoiceDelegate, EnterMovesOnDelegate, YearDelegate
from khuyenhoc_desktop.ui.dialogs.household_dialog import HouseholdDialog, MemberDialog
from khuyenhoc_desktop.ui.models.household_models import HouseholdsModel, MembersModel
from khuyenhoc_desktop.ui.views.table_view import bind_keys, register_table, select_record, selected_row


class HouseholdsView(QWidget):
    changed = Signal()  # something was saved: the main window refreshes undo and the recycle bin

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace

        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm theo mã hộ, tên chủ hộ, địa chỉ, điện thoại (gõ không dấu được) — Ctrl+F")
        self.search.setClearButtonEnabled(True)
        self.hamlet_filter = QComboBox()
        self.count_label = QLabel()
        self.add_button = QPushButton("Thêm hộ (Ctrl+N)")
        self.edit_button = QPushButton("Sửa hộ")
        self.delete_button = QPushButton("Xóa hộ")
        self.import_button = QPushButton("Nhập từ Excel…")
        self.import_button.setToolTip("Nhập danh sách hộ, thành viên xã đang giữ bằng bảng tính")

        self.model = HouseholdsModel()
        self.table = register_table(self.model)
        self.table.setObjectName("households_table")
        self.table.setTabKeyNavigation(False)

        self.members_title = QLabel()
        self.members_model = MembersModel(self._commit_member)
        self.members = register_table(self.members_model, sortable=False)
        self.members.setObjectName("members_table")
        self.members.setEditTriggers(
            QTableView.EditTrigger.DoubleClicked
            | QTableView.EditTrigger.EditKeyPressed
            | QTableView.EditTrigger.AnyKeyPressed
            | QTableView.EditTrigger.SelectedClicked
        )
        self.members.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.members.setItemDelegate(EnterMovesOnDelegate(self.members))
        self._delegates = {
            MembersModel.COL_BIRTH_YEAR: YearDelegate(self.members),
            MembersModel.COL_SEX: ChoiceDelegate(SEX_LABELS, self.members),
            MembersModel.COL_RELATION: ChoiceDelegate(RELATION_LABELS, self.members),
            MembersModel.COL_STATUS: ChoiceDelegate(LEARNING_STATUS_LABELS, self.members),
        }
        for column, delegate in self._delegates.items():
            self.members.setItemDelegateForColumn(column, delegate)
        self.add_member_button = QPushButton("Thêm thành viên")
        self.delete_member_button = QPushButton("Xóa thành viên")

        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(QLabel("Ấp:"))
        top.addWidget(self.hamlet_filter, 1)
        top.addWidget(self.add_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        top.addWidget(self.import_button)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.table)
        upper_layout.addWidget(self.count_label)
        member_bar = QHBoxLayout()
        member_bar.addWidget(self.members_title, 1)
        member_bar.addWidget(self.add_member_button)
        member_bar.addWidget(self.delete_member_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(member_bar)
        lower_layout.addWidget(self.members)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.search.textChanged.connect(self._apply_filter)
        self.search.returnPressed.connect(self.table.setFocus)
        self.hamlet_filter.currentIndexChanged.connect(self._apply_filter)
        self.add_button.clicked.connect(self.add_household)
        self.edit_button.clicked.connect(self.edit_household)
        self.delete_button.clicked.connect(self.delete_household)
        self.import_button.clicked.connect(self.import_from_excel)
        self.add_member_button.clicked.connect(self.add_member)
        self.delete_member_button.clicked.connect(self.delete_member)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.edit_household())
        bind_keys(
            self.table,
            (Qt.Key.Key_Return, self.edit_household),
            (Qt.Key.Key_Enter, self.edit_household),
            (Qt.Key.Key_Delete, self.delete_household),
        )
        bind_keys(self.members, (Qt.Key.Key_Delete, self.delete_member))
        self.reload()

    # -- loading ------------------------------------------------------------------------------------
    def import_from_excel(self) -> None:
        from khuyenhoc_desktop.ui.dialogs.import_wizard import import_into  # the readers load on first use

        import_into(self, self.workspace, "households")

    def reload(self) -> None:
        """Re-read everything (after undo, restore or a settings change), keeping the selection."""
        keep = self.current_household()
        self._fill_hamlets()
        self.model.set_rows(household_service.list_households(self.workspace))
        self._apply_filter()
        if not (keep is not None and self.select_household(keep.id)) and self.model.rowCount():
            self.table.selectRow(0)  # something is always selected, so Enter, Delete and the members act at once
        self._show_members()

    def _fill_hamlets(self) -> None:
        chosen = self.hamlet_filter.currentData()
        self.hamlet_filter.blockSignals(True)
        self.hamlet_filter.clear()
        self.hamlet_filter.addItem("Tất cả các ấp", "")
        for hamlet in list_hamlets(self.workspace):
            self.hamlet_filter.addItem(hamlet.name, hamlet.id)
        self.hamlet_filter.setCurrentIndex(max(0, self.hamlet_filter.findData(chosen)))
        self.hamlet_filter.blockSignals(False)

    def _apply_filter(self) -> None:
        self.model.set_hamlet_query(self.search.text(), self.hamlet_filter.currentData() or "")
        shown, total = self.model.rowCount(), self.model.total()
        self.count_label.setText(
            f"{format_count(total)} hộ"
            if shown == total
            else f"Tìm thấy {format_count(shown)} / {format_count(total)} hộ"
        )
        self._show_members()

    def certificate_selection(self) -> tuple[str, list[str]]:
        current = self.current_household()
        return Title.FAMILY, [] if current is None else [current.id]

    def current_household(self) -> HouseholdRow | None:
        row = selected_row(self.table)
        return self.model.row_at(row) if row >= 0 else None

    def select_household(self, household_id: str) -> bool:
        return select_record(self.table, household_id)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_members()

    def _show_members(self) -> None:
        household = self.current_household()
        has = household is not None
        for button in (
            self.edit_button,
            self.delete_button,
            self.add_member_button,
            self.delete_member_button,
        ):
            button.setEnabled(has)
        if household is None:
            self.members_title.setText("Chọn một hộ để xem các thành viên")
            self.members_model.set_rows([])
            return
        self.members_title.setText(self._members_caption(household))
        self.members_model.set_rows(household_service.list_members(self.workspace, household.id))

    @staticmethod
    def _members_caption(household: HouseholdRow) -> str:
        return f"Thành viên của hộ {household.code} — {household.head_name} ({household.member_count} nhân khẩu)"

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- households ---------------------------------------------------------------------------------
    def add_household(self) -> None:
        dialog = HouseholdDialog(self.workspace, parent=self)
        if dialog.exec() and dialog.saved_id:
            self._saved(dialog.saved_id)

    def edit_household(self) -> None:
        household = self.current_household()
        if household is None:
            return
        dialog = HouseholdDialog(self.workspace, household.id, parent=self)
        if dialog.exec():
            self._saved(household.id)

    def _saved(self, household_id: str) -> None:
        self.model.upsert_rows(household_service.list_households(self.workspace, [household_id]))
        self._apply_filter()
        if not self.select_household(household_id):
            # The new household is hidden by the search or the hamlet filter: clear them to show it.
            self.search.clear()
            self.hamlet_filter.setCurrentIndex(0)
            self.select_household(household_id)
        self.changed.emit()

    def delete_household(self) -> None:
        household = self.current_household()
        if household is None:
            return
        if not messages.confirm_to_bin(self, "Xóa hộ gia đình", f"hộ {household.code} — {household.head_name}"):
            return
        row = selected_row(self.table)
        household_service.delete_household(self.workspace, household.id)
        self.model.remove_ids({household.id})
        self._apply_filter()
        if self.model.rowCount():
            self.table.selectRow(min(row, self.model.rowCount() - 1))
        self.changed.emit()

    # -- members ------------------------------------------------------------------------------------
    def _commit_member(self, member: MemberRow, field: str, value: Any) -> bool:
        try:
            household_service.update_member(self.workspace, member.id, field, value)
        except (ValidationError, UserError) as error:
            messages.warn(self, "Không lưu được", str(error))
            return False
        # In place, not a reset: the cell editor that is committing is still open.
        self.members_model.upsert_rows(household_service.list_members(self.workspace, member.household_id))
        self._household_changed(member.household_id)
        return True

    def _household_changed(self, household_id: str) -> None:
        self.model.upsert_rows(household_service.list_households(self.workspace, [household_id]))
        household = self.current_household()
        if household is not None:
            self.members_title.setText(self._members_caption(household))
        self.changed.emit()

    def add_member(self) -> None:
        household = self.current_household()
        if household is None:
            return
        dialog = MemberDialog(self.workspace, household.id, household.code, parent=self)
        if dialog.exec():
            self._household_changed(household.id)
            self._show_members()
            row = self.members_model.find(lambda m: m.id == dialog.saved_id)
            self.members.setCurrentIndex(self.members_model.index(row, 0))

    def delete_member(self) -> None:
        household = self.current_household()
        index = self.members.currentIndex()
        if household is None or not index.isValid():
            return
        member = self.members_model.row_at(index.row())
        if not messages.confirm(
            self,
            "Xóa thành viên",
            f"Chuyển {member.full_name} (hộ {household.code}) vào thùng rác?",
            yes="Xóa",
        ):
            return
        try:
            household_service.delete_member(self.workspace, member.id)
        except UserError as error:
            messages.warn(self, "Không xóa được", str(error))
            return
        self._household_changed(household.id)
        self._show_members()
