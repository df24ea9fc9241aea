"""The office's communes and the keys it trusts for them: which commune has a key enrolled (and its fingerprint,
to hold against the paper sheet), which was merged into which, and the last package received from each.
Enrolling, revoking and recording a merger happen here; each is one audited change Ctrl+Z takes back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.text import fold, format_count, format_local_time
from khuyenhoc_desktop.services import merge, office, trust
from khuyenhoc_desktop.services.merge import HeldPackage
from khuyenhoc_desktop.services.office import OfficeCommuneRow
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.dialogs.office_key_dialog import KeyEnrolDialog
from khuyenhoc_desktop.ui.dialogs.office_merge_dialog import MergedIntoDialog, OldCommuneDialog
from khuyenhoc_desktop.ui.models.table_model import Column, Index, SearchableModel, count_column
from khuyenhoc_desktop.ui.views.table_view import register_table, select_record, selected_row

NO_KEY = "chưa đăng ký khóa"
COL_NAME, COL_FINGERPRINT = 1, 4


@dataclass(frozen=True)
class CommuneLine:
    id: str  # the commune's code
    commune: OfficeCommuneRow
    active_keys: tuple[trust.TrustedKey, ...]  # enrolled and not revoked, oldest first
    enrolled: int  # every key ever enrolled, revoked ones included
    last: HeldPackage | None
    search_key: str

    @property
    def merged_into(self) -> str:
        into = self.commune
        return "" if into.merged_into_code is None else f"{into.merged_into_name} ({into.merged_into_code})"

    @property
    def fingerprints(self) -> str:
        return "; ".join(k.fingerprint for k in self.active_keys) or NO_KEY

    @property
    def last_text(self) -> str:
        last = self.last
        return "" if last is None else f"năm {last.period}, lần {last.sequence} — {format_local_time(last.received_at)}"


class CommunesModel(SearchableModel[CommuneLine]):
    COLUMNS = (
        Column[CommuneLine]("Mã", lambda r: r.id, width=64),
        Column[CommuneLine]("Xã, phường", lambda r: r.commune.name, width=190),
        Column[CommuneLine]("Đã sáp nhập vào", lambda r: r.merged_into, width=190),
        count_column("Khóa đang dùng", lambda r: len(r.active_keys), width=100,
                     tooltip="Số khóa đã đăng ký, chưa thu hồi"),
        Column[CommuneLine]("Dấu vân tay khóa đang dùng", lambda r: r.fingerprints, width=330,
                            tooltip="So với phiếu đăng ký khóa ký số liệu của xã"),
        Column[CommuneLine]("Gói nhận gần nhất", lambda r: r.last_text,
                            lambda r: r.last.received_at if r.last else "", width=220),
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Fingerprints in a fixed-width face: the groups line up with the paper sheet's boxes."""
        if role == Qt.ItemDataRole.FontRole and index.isValid() and index.column() == COL_FINGERPRINT:
            return self._mono if self.row_at(index.row()).active_keys else None
        return super().data(index, role)


def read_lines(workspace: Workspace) -> list[CommuneLine]:
    keys = trust.keys_of(workspace)
    last = merge.latest_applied(workspace)
    return [
        CommuneLine(
            commune.code,
            commune,
            tuple(k for k in keys if k.commune_code == commune.code and k.revoked_at is None),
            sum(1 for k in keys if k.commune_code == commune.code),
            last.get(commune.code),
            fold(f"{commune.code} {commune.name} {commune.merged_into_name or ''}"),
        )
        for commune in office.list_communes(workspace)
    ]


class OfficeCommunesView(QWidget):
    changed = Signal()  # a key enrolled or revoked, a merger recorded

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm xã, phường theo mã hoặc tên (gõ không dấu được)")
        self.search.setClearButtonEnabled(True)
        self.enrol_button = QPushButton("Đăng ký khóa…")
        self.revoke_button = QPushButton("Thu hồi khóa…")
        self.merge_button = QPushButton("Ghi sáp nhập…")
        self.old_button = QPushButton("Thêm xã cũ…")
        self.old_button.setToolTip("Xã, phường trước sắp xếp năm 2025, giữ mã và tên cũ")
        self.model = CommunesModel()
        self.table = register_table(self.model)
        self.table.setObjectName("office_communes_table")
        self.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)  # Vietnamese order of names, as listed
        self.count_label = QLabel()

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for button in (self.enrol_button, self.revoke_button, self.merge_button, self.old_button):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self.search.textChanged.connect(self._filter)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.enrol_button.clicked.connect(self.enrol)
        self.revoke_button.clicked.connect(self.revoke)
        self.merge_button.clicked.connect(self.record_merger)
        self.old_button.clicked.connect(self.add_old_commune)
        self.reload()

    def reload(self) -> None:
        current = self.current()
        lines = read_lines(self.workspace)
        self.model.set_rows(lines)
        self._filter()
        if current is not None:
            select_record(self.table, current.id)
        with_key = sum(1 for line in lines if line.active_keys)
        merged = sum(1 for line in lines if line.commune.merged_into_code is not None)
        self.count_label.setText(
            f"{format_count(len(lines))} xã, phường; {format_count(with_key)} đã đăng ký khóa; "
            f"{format_count(merged)} đã sáp nhập."
        )
        self._update_buttons()

    def _filter(self) -> None:
        self.model.set_query(self.search.text())
        self._update_buttons()

    def current(self) -> CommuneLine | None:
        row = selected_row(self.table)
        return None if row < 0 else self.model.row_at(row)

    def select(self, code: str) -> bool:
        return select_record(self.table, code)

    def _update_buttons(self) -> None:
        line = self.current()
        self.enrol_button.setEnabled(line is not None)
        self.revoke_button.setEnabled(line is not None and bool(line.active_keys))
        self.merge_button.setEnabled(line is not None and line.commune.merged_into_code is None)

    def _done(self) -> None:
        self.reload()
        self.changed.emit()

    def enrol(self) -> None:
        line = self.current()
        if line is None:
            return
        dialog = KeyEnrolDialog(self.workspace, line.commune, self)
        if dialog.exec() and dialog.enrolled is not None:
            self._done()

    def revoke(self) -> None:
        line = self.current()
        if line is None or not line.active_keys:
            return
        listed = "\n".join(f"• Khóa {k.key_id}: {k.fingerprint}" for k in line.active_keys)
        chosen = messages.ask(
            self,
            messages.Icon.Warning,
            "Thu hồi khóa ký",
            f"Thu hồi khóa ký số liệu của {line.commune.name}?\n\n{listed}\n\n"
            "Sau khi thu hồi, gói số liệu ký bằng khóa đó không được nhận nữa (máy mất, khóa bị lộ, xã đã đổi "
            "khóa). Thu hồi nhầm thì hoàn tác bằng Ctrl+Z.",
            (*(f"Thu hồi khóa {k.key_id}" for k in line.active_keys), "Hủy"),
        )
        if chosen >= len(line.active_keys):
            return
        try:
            trust.revoke_key(self.workspace, line.active_keys[chosen].key_id)
        except UserError as error:
            messages.warn(self, "Không thu hồi được khóa", str(error))
            return
        self._done()

    def add_old_commune(self) -> None:
        dialog = OldCommuneDialog(self.workspace, self)
        if dialog.exec() and dialog.added is not None:
            self._done()
            self.select(dialog.added.code)

    def record_merger(self) -> None:
        line = self.current()
        if line is None:
            return
        dialog = MergedIntoDialog(line.commune, office.list_communes(self.workspace), self)
        if not dialog.exec() or dialog.chosen_id is None:
            return
        try:
            office.mark_merged(self.workspace, line.id, dialog.chosen_id)
        except UserError as error:
            messages.warn(self, "Không ghi được sáp nhập", str(error))
            return
        self._done()
