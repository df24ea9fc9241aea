"""Cross-commune duplicates (issue 6): people, and households by their heads, that two or more communes sent for
the working year. Groups (one name and birth year) above, the selected group's pairs below with each side's
commune, household, head and hamlet, and the officer's decision on the pair.

The groups are read once on the worker (a province's 1.2 million members take a few seconds); a decision
re-reads only its own group, through the name index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSplitter, QVBoxLayout, QWidget

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.text import fold, format_count
from khuyenhoc_desktop.services import duplicates, office
from khuyenhoc_desktop.services.duplicates import HOUSEHOLDS, PEOPLE, Decision, Group, Groups, Pair, Side
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages, worker
from khuyenhoc_desktop.ui.models.table_model import (
    Column,
    Index,
    RowTableModel,
    SearchableModel,
    cached_sort_key,
    count_column,
)
from khuyenhoc_desktop.ui.views.table_view import register_table, select_record, selected_row
from khuyenhoc_desktop.ui.widgets import SearchSteersTable

OPEN, DECIDED, ALL = "open", "decided", "all"
STATES = ((OPEN, "Chưa quyết định"), (DECIDED, "Đã quyết định"), (ALL, "Tất cả"))
KINDS = ((PEOPLE, "Người"), (HOUSEHOLDS, "Hộ gia đình (trùng chủ hộ)"))
DECISION_COLOURS: dict[str, QColor] = {Decision.DUPLICATE: QColor("#b3261e"), Decision.KEEP_BOTH: QColor("#1b6e20")}
LOADING = "Đang tìm người, hộ gia đình có ở hai xã, phường trở lên…"
EXPLANATION = (
    "Cùng họ tên (không kể dấu, hoa thường) và cùng năm sinh ở hai xã, phường khác nhau. Gói số liệu chưa có số "
    "định danh cá nhân: hãy đối chiếu hộ, chủ hộ, ấp (hỏi xã nếu cần) rồi mới quyết định."
)


@dataclass(frozen=True)
class Found:
    """What the worker reads: the groups, the communes' names, and each group's search text, folded once off the
    UI thread (a province has 200,000 groups)."""

    groups: Groups
    names: dict[str, str]
    search: dict[str, str]  # group id → folded name, birth year and communes


def find(workspace: Workspace, year: int) -> Found:
    groups = duplicates.find_groups(workspace, year)
    names = {commune.code: commune.name for commune in office.list_communes(workspace)}
    folded = {code: fold(name) for code, name in names.items()}
    search = {
        group.id: f"{group.name_key} {group.birth_year} {' '.join(folded.get(code, code) for code in group.communes)}"
        for sheet in (PEOPLE, HOUSEHOLDS)
        for group in groups.of(sheet)
    }
    return Found(groups, names, search)


class GroupsModel(SearchableModel[Group]):
    """One row per name and birth year; the communes are shown by name, so the model knows them."""

    COL_NAME, COL_YEAR, COL_COMMUNES, COL_RECORDS, COL_PAIRS, COL_OPEN, COL_PLACES = range(7)

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, str] = {}
        self._order: dict[str, str] = {}  # commune code → Vietnamese order of its name
        self._search: dict[str, str] = {}
        self.COLUMNS = (
            Column[Group]("Họ và tên", lambda g: g.full_name, lambda g: g.name_sort, width=200,
                          tooltip="Xếp theo tên, rồi họ và tên đệm"),
            Column[Group]("Năm sinh", lambda g: str(g.birth_year), lambda g: g.birth_year, align_right=True,
                          width=70),
            count_column("Số xã", lambda g: len(g.communes), width=60),
            count_column("Số bản ghi", lambda g: g.records, width=80, tooltip="Số người, hoặc số hộ"),
            count_column("Số cặp", lambda g: g.pairs, width=70),
            count_column("Chưa quyết định", lambda g: g.open, width=110),
            Column[Group]("Xã, phường", self.places, self._places_order),
        )  # fmt: skip

    def set_found(self, found: Found) -> None:
        self.names, self._search = found.names, found.search
        self._order = {code: cached_sort_key(name) for code, name in found.names.items()}

    def _places_order(self, group: Group) -> str:
        """By the first commune shown: a key per row, not a list, keeps the sort of 200,000 groups short."""
        return min(self._order.get(code, code) for code in group.communes)

    def places(self, group: Group) -> str:
        """The communes by name, in Vietnamese order."""
        return ", ".join(sorted((self.names.get(code, code) for code in group.communes), key=cached_sort_key))

    def search_text(self, row: Group) -> str:
        return self._search.get(row.id, row.name_key)


def _within(side: Side) -> str:
    """A person's place in the household, or a household's size."""
    return f"{format_count(side.member_count)} người" if side.sheet == HOUSEHOLDS else side.relation_label


def _side_columns(n: int, side: Callable[[Pair], Side]) -> list[Column[Pair]]:
    return [
        Column[Pair](f"Họ tên {n}", lambda p: side(p).full_name, width=160),
        Column[Pair](f"Trong hộ {n}", lambda p: _within(side(p)), width=90,
                     tooltip="Quan hệ với chủ hộ; với hộ gia đình: số người trong hộ"),
        Column[Pair](f"Xã, phường {n}", lambda p: side(p).commune_name, width=150),
        Column[Pair](f"Mã hộ {n}", lambda p: side(p).household_code, width=70),
        Column[Pair](f"Chủ hộ {n}", lambda p: side(p).head_name, width=160),
        Column[Pair](f"Ấp {n}", lambda p: side(p).hamlet_name, width=120),
    ]  # fmt: skip


class PairsModel(RowTableModel[Pair]):
    COL_DECISION = 0
    COLUMNS = (
        Column[Pair]("Quyết định", lambda p: p.decision_label, width=120),
        *_side_columns(1, lambda p: p.first),
        *_side_columns(2, lambda p: p.second),
        Column[Pair]("Ghi chú", lambda p: p.note),
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.column() == self.COL_DECISION:
            decision = self.row_at(index.row()).decision
            return None if decision is None else DECISION_COLOURS[decision]
        return super().data(index, role)


class OfficeDuplicatesView(QWidget):
    changed = Signal()  # a decision recorded or withdrawn

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.groups: dict[str, dict[str, Group]] = {PEOPLE: {}, HOUSEHOLDS: {}}  # sheet → group id → group
        self.open_pairs = {PEOPLE: 0, HOUSEHOLDS: 0}
        self._task: worker.Task | None = None
        self._loads = 0  # a reload started while another runs makes the earlier one's result stale
        self._selecting = False  # _filter is choosing the group: it shows the pairs itself

        self.heading = QLabel()
        heading_font = self.heading.font()
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.2)
        self.heading.setFont(heading_font)
        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        self.kind = QComboBox()
        for sheet, label in KINDS:
            self.kind.addItem(label, sheet)
        self.state = QComboBox()
        for state, label in STATES:
            self.state.addItem(label, state)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm theo họ tên, năm sinh, xã, phường (gõ không dấu được)")
        self.search.setClearButtonEnabled(True)
        self.counts = QLabel()
        self.counts.setObjectName("duplicate_counts")

        self.groups_model = GroupsModel()
        self.groups_table = register_table(self.groups_model)
        self.groups_table.setObjectName("duplicate_groups_table")
        SearchSteersTable(self.search, self.groups_table)
        self.pairs_model = PairsModel()
        self.pairs_table = register_table(self.pairs_model, sortable=False)
        self.pairs_table.setObjectName("duplicate_pairs_table")

        self.note = QLineEdit()
        self.note.setPlaceholderText("Ghi chú kèm quyết định (không bắt buộc)")
        self.keep_button = QPushButton("Giữ cả hai")
        self.keep_button.setToolTip("Hai người (hai hộ) khác nhau, trùng họ tên và năm sinh")
        self.duplicate_button = QPushButton("Đánh dấu trùng")
        self.duplicate_button.setToolTip("Cùng một người (một hộ) được hai xã, phường ghi sổ")
        self.withdraw_button = QPushButton("Bỏ quyết định")
        self.withdraw_button.setToolTip("Cặp này lại chờ xem xét")

        top = QHBoxLayout()
        top.addWidget(self.kind)
        top.addWidget(self.state)
        top.addWidget(self.search, 1)
        decide = QHBoxLayout()
        decide.addWidget(self.note, 1)
        for button in (self.keep_button, self.duplicate_button, self.withdraw_button):
            decide.addWidget(button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.pairs_table, 1)
        lower_layout.addLayout(decide)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.groups_table)
        splitter.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(explanation)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.counts)

        self.kind.currentIndexChanged.connect(lambda _index: self._show_groups())
        self.state.currentIndexChanged.connect(lambda _index: self._filter())
        self.search.textChanged.connect(lambda _text: self._filter())
        self.groups_table.selectionModel().selectionChanged.connect(
            lambda *_: None if self._selecting else self._show_pairs()
        )
        self.pairs_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.keep_button.clicked.connect(lambda: self.decide(Decision.KEEP_BOTH))
        self.duplicate_button.clicked.connect(lambda: self.decide(Decision.DUPLICATE))
        self.withdraw_button.clicked.connect(self.withdraw)
        self.reload()

    @property
    def year(self) -> int:
        return self.workspace.working_year

    @property
    def sheet(self) -> str:
        return str(self.kind.currentData())

    # -- loading ------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Find the year's groups again on the worker (after undo, a new package, another working year)."""
        self._loads += 1
        load = self._loads
        self.heading.setText(f"Người, hộ gia đình trùng giữa các xã, phường — năm {self.year}")
        self.counts.setText(LOADING)
        self._update_buttons()
        workspace, year = self.workspace, self.year
        self._task = worker.run_task(
            lambda _task: find(workspace, year), lambda found: self._loaded(load, found), self._failed
        )

    def _loaded(self, load: int, found: Found) -> None:
        if load != self._loads:
            return
        self.groups_model.set_found(found)
        self.groups = {sheet: {group.id: group for group in found.groups.of(sheet)} for sheet in (PEOPLE, HOUSEHOLDS)}
        self.open_pairs = {sheet: found.groups.open_pairs(sheet) for sheet in (PEOPLE, HOUSEHOLDS)}
        self._show_groups()

    def _failed(self, error: BaseException) -> None:
        self.counts.clear()
        if not isinstance(error, UserError):
            raise error  # a bug: sys.excepthook logs it and tells the officer
        messages.warn(self, "Không tìm được người, hộ trùng", str(error))

    def _show_groups(self) -> None:
        current = self.current_group()
        self.groups_model.set_rows(list(self.groups[self.sheet].values()))
        self._filter(current.id if current is not None else None)

    def _filter(self, keep: str | None = None, row: int = 0, keep_pair: str | None = None) -> None:
        """Show the groups of the state and search chosen; select `keep` if shown, else the row at `row`; then
        its pairs, once (selecting a group would read them again)."""
        state = self.state.currentData()
        scope = {OPEN: lambda g: g.open > 0, DECIDED: lambda g: g.decided > 0}.get(state)
        self.groups_model.set_query(self.search.text(), scope, (self.sheet, state))
        shown = self.groups_model.rowCount()
        self._selecting = True
        if not (keep is not None and select_record(self.groups_table, keep)) and shown:
            self.groups_table.selectRow(min(row, shown - 1))
        self._selecting = False
        self._show_pairs(keep_pair)
        self._show_counts()

    def _show_counts(self) -> None:
        open_pairs = self.open_pairs
        shown, total = self.groups_model.rowCount(), self.groups_model.total()
        self.counts.setText(
            f"Còn {format_count(open_pairs[PEOPLE])} cặp người và {format_count(open_pairs[HOUSEHOLDS])} cặp hộ "
            f"chưa quyết định. Đang xem {format_count(shown)} / {format_count(total)} nhóm."
        )

    def current_group(self) -> Group | None:
        row = selected_row(self.groups_table)
        return None if row < 0 else self.groups_model.row_at(row)

    def current_pair(self) -> Pair | None:
        row = selected_row(self.pairs_table)
        return None if row < 0 else self.pairs_model.row_at(row)

    def _show_pairs(self, keep: str | None = None) -> None:
        group = self.current_group()
        pairs = [] if group is None else duplicates.group_pairs(self.workspace, self.year, group)
        state = self.state.currentData()
        if state != ALL:
            pairs = [pair for pair in pairs if (pair.decision is None) == (state == OPEN)]
        self.pairs_model.set_rows(pairs)
        if not (keep is not None and select_record(self.pairs_table, keep)) and pairs:
            self.pairs_table.selectRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        pair = self.current_pair()
        self.keep_button.setEnabled(pair is not None and pair.decision != Decision.KEEP_BOTH)
        self.duplicate_button.setEnabled(pair is not None and pair.decision != Decision.DUPLICATE)
        self.withdraw_button.setEnabled(pair is not None and pair.decision is not None)

    # -- decisions ----------------------------------------------------------------------------------
    def decide(self, decision: str) -> None:
        pair = self.current_pair()
        if pair is not None:
            self._record(lambda: duplicates.mark_pair(
                self.workspace, self.year, pair.first.ref, pair.second.ref, decision, self.note.text()
            ))  # fmt: skip

    def withdraw(self) -> None:
        pair = self.current_pair()
        if pair is not None:
            self._record(
                lambda: duplicates.withdraw_decision(self.workspace, self.year, pair.first.ref, pair.second.ref)
            )

    def _record(self, write: Callable[[], Pair]) -> None:
        """Write the decision, then re-read its group alone; the group leaves the list when the state chosen
        no longer shows it, and the next one is selected."""
        group = self.current_group()
        if group is None:
            return
        try:
            written = write()
        except UserError as error:
            messages.warn(self, "Không ghi được quyết định", str(error))
            return
        self.note.clear()
        row = selected_row(self.groups_table)
        fresh = duplicates.refresh_group(self.workspace, self.year, group)
        self.open_pairs[group.sheet] += (0 if fresh is None else fresh.open) - group.open
        if fresh is None:
            self.groups[group.sheet].pop(group.id, None)
            self.groups_model.remove_ids({group.id})
        else:
            self.groups[group.sheet][group.id] = fresh
            self.groups_model.upsert_rows([fresh])
        self._filter(group.id, row, written.id)
        self.changed.emit()
