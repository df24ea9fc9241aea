"""Add or edit a clan: its name, representative, the hamlets it lives in and its member households.

Member households are found with a search box over the households register (code, head, hamlet; accents
ignored) and moved into the clan with Enter or "Thêm vào dòng họ"; Delete or "Bỏ ra" takes one out again.
Enter in the search box adds the first match and empties the box, so "search, Enter, search, Enter, Enter"
picks two households and moves on.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.clan import CLAN_FIELD_LABELS, ClanInput
from khuyenhoc_desktop.domain.text import format_count
from khuyenhoc_desktop.services import clans as clan_service
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.households import HouseholdRow
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog
from khuyenhoc_desktop.ui.models.register_models import HouseholdPickModel
from khuyenhoc_desktop.ui.views.table_view import register_table, selected_row

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ClanDialog(RecordFormDialog):
    def __init__(self, workspace: Workspace, clan_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Sửa dòng họ" if clan_id else "Thêm dòng họ", parent)
        self.setMinimumWidth(1000)
        self.workspace = workspace
        self.clan_id = clan_id
        self.saved_id: str | None = None
        labels = CLAN_FIELD_LABELS

        self.name = QLineEdit()
        self.name.setPlaceholderText("Ví dụ: Họ Nguyễn Văn, Dòng họ Trần")
        self.representative = QLineEdit()
        self.representative.setPlaceholderText("Trưởng tộc hoặc người được dòng họ cử")
        self.hamlets = QListWidget()
        self.hamlets.setToolTip("Phím cách để chọn hoặc bỏ chọn ấp")
        for hamlet in list_hamlets(workspace):
            item = QListWidgetItem(hamlet.name)
            item.setData(Qt.ItemDataRole.UserRole, hamlet.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.hamlets.addItem(item)
        self._lay_out_hamlets()
        if self.hamlets.count():
            self.hamlets.setCurrentRow(0)

        self.household_search = QLineEdit()
        self.household_search.setPlaceholderText("Tìm hộ theo mã hộ, tên chủ hộ hoặc ấp (gõ không dấu được)")
        self.household_search.setClearButtonEnabled(True)
        self.found_model = HouseholdPickModel()
        self.found = self._pick_table(self.found_model)
        self.found.setObjectName("found_households")
        self.add_household_button = QPushButton("Thêm vào dòng họ →")
        self.add_household_button.setToolTip("Enter trong ô tìm hoặc trong bảng kết quả")
        self.chosen_model = HouseholdPickModel()
        self.chosen = self._pick_table(self.chosen_model)
        self.chosen.setObjectName("chosen_households")
        self.remove_household_button = QPushButton("← Bỏ ra")
        self.remove_household_button.setToolTip("Phím Delete trong bảng hộ thành viên")
        self.chosen_label = QLabel()
        self.note = QLineEdit()

        self.add_field("name", labels["name"], self.name, required=True)
        self.add_field("representative", labels["representative"], self.representative)
        self.add_field("hamlet_ids", labels["hamlet_ids"], self.hamlets, required=True)
        self.add_field("household_ids", labels["household_ids"], self._picker())
        self.add_field("note", labels["note"], self.note)
        for widget in (self.household_search, self.found, self.chosen):
            widget.installEventFilter(self)

        self.household_search.textChanged.connect(self._search)
        self.add_household_button.clicked.connect(self.add_found)
        self.remove_household_button.clicked.connect(self.remove_chosen)
        self.found.doubleClicked.connect(lambda _index: self.add_found())
        self.chosen.doubleClicked.connect(lambda _index: self.remove_chosen())

        self._hidden_hamlets: tuple[str, ...] = ()  # linked hamlets removed since: kept, not shown
        self._hidden_households: tuple[str, ...] = ()  # member households in the recycle bin: kept, not shown
        self._load()
        self.name.setFocus()

    def _lay_out_hamlets(self) -> None:
        """The hamlets side by side in a grid of check boxes, three rows high before it scrolls."""
        metrics = self.hamlets.fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(self.hamlets.item(i).text()) for i in range(self.hamlets.count())), default=0
        )
        cell = QSize(widest + 48, metrics.height() + 10)
        self.hamlets.setFlow(QListView.Flow.LeftToRight)
        self.hamlets.setWrapping(True)
        self.hamlets.setResizeMode(QListView.ResizeMode.Adjust)
        self.hamlets.setGridSize(cell)
        self.hamlets.setFixedHeight(3 * cell.height() + 2 * self.hamlets.frameWidth() + 4)

    @staticmethod
    def _pick_table(model: HouseholdPickModel) -> QTableView:
        table = register_table(model)
        table.setTabKeyNavigation(False)
        table.setMinimumHeight(170)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        return table

    def _picker(self) -> QWidget:
        picker = QWidget()
        grid = QGridLayout(picker)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.household_search, 0, 0)
        grid.addWidget(self.chosen_label, 0, 2)
        grid.addWidget(self.found, 1, 0)
        buttons = QVBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_household_button)
        buttons.addWidget(self.remove_household_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 1, 1)
        grid.addWidget(self.chosen, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(2, 1)
        picker.setFocusProxy(self.household_search)  # a validation message about households puts the cursor here
        return picker

    # -- loading ------------------------------------------------------------------------------------
    def _load(self) -> None:
        households = household_service.list_households(self.workspace)
        self.found_model.set_rows(households)
        if self.clan_id is None:
            self._chosen_changed()
            return
        data = clan_service.clan_input(self.workspace, self.clan_id)
        self.name.setText(data.name)
        self.representative.setText(data.representative)
        shown = set()
        for i in range(self.hamlets.count()):
            item = self.hamlets.item(i)
            if item.data(Qt.ItemDataRole.UserRole) in data.hamlet_ids:
                item.setCheckState(Qt.CheckState.Checked)
                shown.add(item.data(Qt.ItemDataRole.UserRole))
        self._hidden_hamlets = tuple(i for i in data.hamlet_ids if i not in shown)
        by_id = {row.id: row for row in households}
        self.chosen_model.set_rows([by_id[i] for i in data.household_ids if i in by_id])
        self._hidden_households = tuple(i for i in data.household_ids if i not in by_id)
        self.note.setText(data.note)
        self._chosen_changed()

    # -- households ---------------------------------------------------------------------------------
    def _chosen_ids(self) -> list[str]:
        return [row.id for row in self.chosen_model.rows()]

    def _search(self) -> None:
        chosen = frozenset(self._chosen_ids())
        self.found_model.set_query(self.household_search.text(), lambda r: r.id not in chosen, chosen)
        if self.found_model.rowCount():
            self.found.selectRow(0)
        self.add_household_button.setEnabled(self.found_model.rowCount() > 0)

    def _chosen_changed(self) -> None:
        count = self.chosen_model.rowCount()
        hidden = f" (và {len(self._hidden_households)} hộ đang ở thùng rác)" if self._hidden_households else ""
        self.chosen_label.setText(f"Hộ thành viên: {format_count(count)} hộ{hidden}")
        self.remove_household_button.setEnabled(count > 0)
        self._search()

    def add_found(self) -> None:
        row = selected_row(self.found)
        if row < 0:
            return
        household: HouseholdRow = self.found_model.row_at(row)
        self.chosen_model.set_rows([*self.chosen_model.rows(), household])
        self._chosen_changed()
        self.chosen.selectRow(self.chosen_model.find(lambda r: r.id == household.id))
        self.found.selectRow(min(row, self.found_model.rowCount() - 1))

    def remove_chosen(self) -> None:
        row = selected_row(self.chosen)
        if row < 0:
            return
        gone = self.chosen_model.row_at(row).id
        self.chosen_model.set_rows([r for r in self.chosen_model.rows() if r.id != gone])
        self._chosen_changed()
        if self.chosen_model.rowCount():
            self.chosen.selectRow(min(row, self.chosen_model.rowCount() - 1))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the search box or the results adds the household; Down goes from the search to the
        results; Delete takes a member out. Elsewhere the form's own keys apply."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.household_search and key in _ENTER:
                if self.household_search.text().strip():
                    self.add_found()
                    self.household_search.clear()  # ready for the next one; Enter again moves on
                else:
                    self.note.setFocus()
                return True
            if watched is self.household_search and key == Qt.Key.Key_Down and self.found_model.rowCount():
                self.found.setFocus()
                return True
            if watched is self.found and key in _ENTER:
                self.add_found()
                return True
            if watched is self.chosen and key == Qt.Key.Key_Delete:
                self.remove_chosen()
                return True
        return super().eventFilter(watched, event)

    # -- saving -------------------------------------------------------------------------------------
    def value(self) -> ClanInput:
        checked = [
            self.hamlets.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.hamlets.count())
            if self.hamlets.item(i).checkState() == Qt.CheckState.Checked
        ]
        return ClanInput(
            name=self.name.text(),
            representative=self.representative.text(),
            hamlet_ids=(*checked, *self._hidden_hamlets),
            household_ids=(*self._chosen_ids(), *self._hidden_households),
            note=self.note.text(),
        )

    def write(self) -> None:
        if self.clan_id is None:
            self.saved_id = clan_service.create_clan(self.workspace, self.value())
        else:
            clan_service.update_clan(self.workspace, self.clan_id, self.value())
            self.saved_id = self.clan_id
