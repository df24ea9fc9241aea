"""Settings: the profile, the hamlets and the backups of the open data folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.services import backups as backup_service
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.profile import HamletRow
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.backup import KEEP_BACKUPS, BackupInfo
from khuyenhoc_desktop.storage.paths import backups_dir
from khuyenhoc_desktop.ui import messages, worker
from khuyenhoc_desktop.ui.views.profile_form import ProfileForm

TAB_PROFILE, TAB_HAMLETS, TAB_BACKUPS = range(3)
BACKUP_HEADERS = ("Thời gian", "Loại", "Dung lượng")
HAMLET_HINT = "Thứ tự dưới đây là thứ tự in trong sổ và báo cáo. Ấp còn hộ thì không xóa được."
_ROW_ROLE = Qt.ItemDataRole.UserRole


def format_size(size: int) -> str:
    """Sizes the way a Vietnamese officer reads them: decimal comma, KB below one megabyte."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def _backup_time(info: BackupInfo) -> str:
    return info.created.strftime("%d/%m/%Y %H:%M")


def _button(text: str, clicked: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.clicked.connect(clicked)
    return button


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch()
    return row


class NameDialog(QDialog):
    """QInputDialog's job with Vietnamese buttons, which Qt cannot give its own dialog."""

    def __init__(self, title: str, prompt: str, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(380)
        self.edit = QLineEdit(text)
        self.edit.selectAll()
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("Đồng ý", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.edit.textChanged.connect(lambda typed: self.ok_button.setEnabled(bool(typed.strip())))
        self.ok_button.setEnabled(bool(text.strip()))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(prompt))
        layout.addWidget(self.edit)
        layout.addWidget(buttons)


def ask_name(parent: QWidget, title: str, prompt: str, text: str = "") -> str | None:
    """The name typed, or None when the officer cancelled. Tests replace this function."""
    dialog = NameDialog(title, prompt, text, parent)
    name = dialog.edit.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
    dialog.deleteLater()
    return name


class SettingsDialog(QDialog):
    """Edits go straight to the services; the main window listens to the signals to refresh itself."""

    profile_changed = Signal()  # the profile or the hamlets were saved
    restored = Signal()  # the whole database was replaced: every view must reload

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._busy = False
        self._task: worker.Task | None = None  # run_task leaves the task to its caller to keep alive
        self.setWindowTitle("Cài đặt")
        self.setMinimumSize(720, 560)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._profile_tab(), "Thông tin đơn vị")
        self.tabs.addTab(self._hamlet_tab(), "Ấp, thôn, khu phố")
        self.tabs.addTab(self._backup_tab(), "Sao lưu")
        close = QDialogButtonBox()
        self.close_button = close.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(close)
        self.reload()

    # --- layout -------------------------------------------------------------------------------------------

    def _profile_tab(self) -> QWidget:
        self.form = ProfileForm()
        self.save_button = _button("Lưu", self.save_profile)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.form)
        layout.addLayout(_buttons(self.save_button))
        return tab

    def _hamlet_tab(self) -> QWidget:
        self.hamlet_list = QListWidget()
        self.hamlet_list.setSpacing(2)  # room for stacked marks such as «Ấ»
        self.hamlet_list.itemDoubleClicked.connect(self.rename_hamlet)
        self.add_hamlet_button = _button("Thêm", self.add_hamlet)
        self.rename_hamlet_button = _button("Đổi tên", self.rename_hamlet)
        self.remove_hamlet_button = _button("Xóa", self.remove_hamlet)
        self.hamlet_list.currentRowChanged.connect(self._update_hamlet_buttons)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(QLabel(HAMLET_HINT))
        layout.addWidget(self.hamlet_list)
        layout.addLayout(_buttons(self.add_hamlet_button, self.rename_hamlet_button, self.remove_hamlet_button))
        return tab

    def _backup_tab(self) -> QWidget:
        self.backup_table = QTableWidget(0, len(BACKUP_HEADERS))
        self.backup_table.setHorizontalHeaderLabels(BACKUP_HEADERS)
        self.backup_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backup_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backup_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backup_table.verticalHeader().hide()
        header = self.backup_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.backup_button = _button("Sao lưu ngay", self.back_up_now)
        self.restore_button = _button("Khôi phục từ bản sao lưu…", self.restore)
        hint = QLabel(
            f"Phần mềm tự sao lưu mỗi lần thoát và giữ {KEEP_BACKUPS} bản gần nhất trong thư mục "
            f"{backups_dir(self.workspace.data_dir)}. Chọn một bản trong bảng rồi bấm «Khôi phục», "
            "hoặc bấm «Khôi phục» khi không chọn bản nào để mở một tệp sao lưu khác (ví dụ trên USB)."
        )
        hint.setWordWrap(True)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(hint)
        layout.addWidget(self.backup_table)
        layout.addLayout(_buttons(self.backup_button, self.restore_button))
        return tab

    # --- loading ------------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read everything again from the data folder (on opening and after a restore)."""
        self.form.set_value(profile_service.profile_input(self.workspace))
        self._refresh_hamlets()
        self._refresh_backups()

    def _refresh_hamlets(self, select_id: str | None = None) -> None:
        self.hamlet_list.clear()
        for row in profile_service.list_hamlets(self.workspace):
            item = QListWidgetItem(f"{row.name} — {row.household_count} hộ")
            item.setData(_ROW_ROLE, row)
            self.hamlet_list.addItem(item)
            if row.id == select_id:
                self.hamlet_list.setCurrentItem(item)
        self._update_hamlet_buttons()

    def _refresh_backups(self) -> None:
        found = backup_service.backups(self.workspace)
        self.backup_table.clearSelection()
        self.backup_table.setRowCount(len(found))
        for row, info in enumerate(found):
            cells = (_backup_time(info), info.reason_label, format_size(info.size))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(info.path))
                item.setData(_ROW_ROLE, info)
                self.backup_table.setItem(row, column, item)
            self.backup_table.item(row, 2).setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _update_hamlet_buttons(self) -> None:
        chosen = self.selected_hamlet() is not None
        self.rename_hamlet_button.setEnabled(chosen)
        self.remove_hamlet_button.setEnabled(chosen)

    def selected_hamlet(self) -> HamletRow | None:
        item = self.hamlet_list.currentItem()
        return item.data(_ROW_ROLE) if item is not None else None

    def selected_backup(self) -> BackupInfo | None:
        rows = self.backup_table.selectionModel().selectedRows()
        return rows[0].data(_ROW_ROLE) if rows else None

    # --- profile and hamlets ------------------------------------------------------------------------------

    def save_profile(self) -> None:
        try:
            profile_service.save_profile(self.workspace, self.form.value())
        except ValidationError as error:
            self.form.show_error(error)
            return
        self.form.clear_error()
        self.profile_changed.emit()
        messages.inform(self, "Đã lưu", "Đã lưu thông tin đơn vị.")

    def add_hamlet(self) -> None:
        name = ask_name(self, "Thêm ấp", "Tên ấp, thôn, khu phố mới:")
        if name is not None:
            self._change_hamlets(lambda: profile_service.add_hamlet(self.workspace, name))

    def rename_hamlet(self) -> None:
        row = self.selected_hamlet()
        if row is None:
            return
        name = ask_name(self, "Đổi tên ấp", f"Tên mới của «{row.name}»:", row.name)
        if name is None:
            return

        def rename() -> str:
            profile_service.rename_hamlet(self.workspace, row.id, name)
            return row.id

        self._change_hamlets(rename)

    def remove_hamlet(self) -> None:
        row = self.selected_hamlet()
        if row is None or not messages.confirm(
            self, "Xóa ấp", f"Xóa «{row.name}» khỏi danh sách ấp, thôn, khu phố?", yes="Xóa", no="Hủy"
        ):
            return
        self._change_hamlets(lambda: profile_service.remove_hamlet(self.workspace, row.id))

    def _change_hamlets(self, change: Callable[[], str | None]) -> None:
        """Run one hamlet edit; `change` returns the hamlet to keep selected, if any."""
        try:
            select_id = change()
        except (UserError, ValidationError) as error:
            messages.warn(self, "Ấp, thôn, khu phố", str(error))
            return
        self._refresh_hamlets(select_id)
        self.profile_changed.emit()

    # --- backups ------------------------------------------------------------------------------------------

    def back_up_now(self) -> None:
        self._run(lambda: backup_service.back_up_now(self.workspace), self._backed_up, "Không sao lưu được")

    def _backed_up(self, path: Path) -> None:
        self._refresh_backups()
        messages.inform(self, "Đã sao lưu", f"Đã sao lưu dữ liệu vào tệp:\n{path}")

    def restore(self) -> None:
        chosen = self._backup_to_restore()
        if chosen is None:
            return
        path, description = chosen
        if not messages.confirm(
            self,
            "Khôi phục dữ liệu",
            f"Khôi phục dữ liệu từ {description}?\n\n"
            "Dữ liệu hiện tại sẽ được sao lưu trước (loại «Trước khi khôi phục»), rồi được thay toàn bộ "
            "bằng dữ liệu trong bản sao lưu.",
            yes="Khôi phục",
            no="Hủy",
        ):
            return
        self._run(
            lambda: backup_service.restore_backup(self.workspace, path),
            lambda safety: self._restored(path, safety),
            "Không khôi phục được",
        )

    def _backup_to_restore(self) -> tuple[Path, str] | None:
        """The backup selected in the table, else a file the officer picks (from a USB stick, say)."""
        info = self.selected_backup()
        if info is not None:
            return info.path, f"bản sao lưu lúc {_backup_time(info)} ({info.reason_label.lower()})"
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Chọn bản sao lưu để khôi phục",
            str(backups_dir(self.workspace.data_dir)),
            "Bản sao lưu dữ liệu (*.sqlite);;Mọi tệp (*)",
        )
        return (Path(name), f"tệp {Path(name).name}") if name else None

    def _restored(self, source: Path, safety: Path) -> None:
        self.reload()
        messages.inform(
            self,
            "Đã khôi phục",
            f"Đã khôi phục dữ liệu từ {source.name}.\nDữ liệu trước khi khôi phục được giữ ở:\n{safety}",
        )
        self.restored.emit()

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None], failure_title: str) -> None:
        """Run `work` off the UI thread with the dialog locked, so nothing is edited mid-backup."""
        self._set_busy(True)

        def succeeded(result: Any) -> None:
            self._set_busy(False)
            done(result)

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            if not isinstance(error, UserError):
                raise error  # a bug: sys.excepthook logs it and tells the officer
            messages.warn(self, failure_title, str(error))

        self._task = worker.run_task(lambda _task: work(), succeeded, failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.tabs.setEnabled(not busy)
        self.close_button.setEnabled(not busy)
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QApplication.restoreOverrideCursor()

    def reject(self) -> None:
        if not self._busy:  # never closed halfway through a restore
            super().reject()
