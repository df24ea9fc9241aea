"""Settings: the profile, the hamlets, the backups and the signing key of the open data folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
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
from khuyenhoc_desktop.domain.profile import Role
from khuyenhoc_desktop.exchange.keys import BACKUP_SUFFIX, MIN_PASSPHRASE, PUBLIC_SUFFIX, DifferentKey, fingerprint
from khuyenhoc_desktop.services import backups as backup_service
from khuyenhoc_desktop.services import keys as key_service
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.profile import HamletRow
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.backup import KEEP_BACKUPS, BackupInfo
from khuyenhoc_desktop.storage.paths import backups_dir
from khuyenhoc_desktop.ui import messages, worker
from khuyenhoc_desktop.ui.views.profile_form import ProfileForm

TAB_PROFILE, TAB_HAMLETS, TAB_BACKUPS, TAB_KEY = range(4)
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


class PassphraseDialog(QDialog):
    """A passphrase typed twice when it protects a new backup, once when it opens one; never shown."""

    def __init__(self, title: str, prompt: str, confirm: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.confirm = confirm
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020")
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("Đồng ý", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Mật khẩu:", self.edit)
        if confirm:
            form.addRow("Nhập lại:", self.again)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.edit.textChanged.connect(self._check)
        self.again.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        typed = self.edit.text()
        problem = ""
        if self.confirm and len(typed) < MIN_PASSPHRASE:
            problem = f"Mật khẩu cần ít nhất {MIN_PASSPHRASE} ký tự."
        elif self.confirm and self.again.text() != typed:
            problem = "Hai lần nhập chưa giống nhau."
        self.problem.setText(problem if typed else "")
        self.ok_button.setEnabled(bool(typed) and not problem)


def ask_passphrase(parent: QWidget, title: str, prompt: str, confirm: bool) -> str | None:
    """The passphrase typed, or None when the officer cancelled. Tests replace this function."""
    dialog = PassphraseDialog(title, prompt, confirm, parent)
    typed = dialog.edit.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
    dialog.deleteLater()
    return typed


def save_path(parent: QWidget, title: str, suggested: Path, filters: str) -> Path | None:
    """Where to write a file, or None. Tests replace this function."""
    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), filters)
    return Path(name) if name else None


def open_path(parent: QWidget, title: str, folder: Path, filters: str) -> Path | None:
    """Which file to read, or None. Tests replace this function."""
    name, _ = QFileDialog.getOpenFileName(parent, title, str(folder), filters)
    return Path(name) if name else None


def spoken_fingerprint(text: str) -> str:
    """Two lines of four groups, as the officer reads them to the office over the phone."""
    groups = text.split()
    return "   ".join(groups[:4]) + "\n" + "   ".join(groups[4:])


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
        self.tabs.addTab(self._key_tab(), "Khóa ký")
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

    def _key_tab(self) -> QWidget:
        hint = QLabel(
            "Mỗi gói số liệu gửi lên được ký bằng khóa ký của máy này. Cơ quan tổng hợp nhận ra đơn vị nhờ dấu "
            "vân tay dưới đây: hãy in phiếu đăng ký khóa, ký, đóng dấu và gửi cho cơ quan tổng hợp. Khi đổi máy, "
            "sao lưu khóa (có mật khẩu) rồi khôi phục trên máy mới để giữ nguyên khóa đã đăng ký."
        )
        hint.setWordWrap(True)
        self.fingerprint_label = QLabel()
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.TypeWriter)
        font.setPointSize(16)
        font.setBold(True)
        self.fingerprint_label.setFont(font)
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_id_label = QLabel()
        self.key_id_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pending_key_label = QLabel()
        self.pending_key_label.setWordWrap(True)
        self.pending_key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_key_button = _button("Lưu khóa công khai…", self.export_public_key)
        self.key_sheet_button = _button("In phiếu đăng ký khóa…", self.print_key_sheet)
        self.backup_key_button = _button("Sao lưu khóa (có mật khẩu)…", self.back_up_key)
        self.restore_key_button = _button("Khôi phục khóa từ bản sao lưu…", self.restore_key)
        self.rotate_key_button = _button("Đổi khóa ký…", self.rotate_key)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(hint)
        layout.addWidget(QLabel("Dấu vân tay khóa (đọc từng nhóm 4 ký tự):"))
        layout.addWidget(self.fingerprint_label)
        layout.addWidget(self.key_id_label)
        layout.addWidget(self.pending_key_label)
        layout.addStretch()
        layout.addLayout(_buttons(self.export_key_button, self.key_sheet_button))
        layout.addLayout(_buttons(self.backup_key_button, self.restore_key_button))
        layout.addLayout(_buttons(self.rotate_key_button))
        return tab

    # --- loading ------------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read everything again from the data folder (on opening and after a restore)."""
        self.form.set_value(profile_service.profile_input(self.workspace))
        self._refresh_hamlets()
        self._refresh_backups()
        self._refresh_key()

    def _refresh_key(self) -> None:
        """The folder's key, created here if the folder predates keys (the first use)."""
        info = key_service.key_info(self.workspace)
        self.fingerprint_label.setText(spoken_fingerprint(info.fingerprint))
        self.key_id_label.setText(f"Mã khóa: {info.key_id} (Ed25519), có trên máy này từ {info.installed_on:%d/%m/%Y}")
        pending = key_service.pending_key(self.workspace)
        self.pending_key_label.setVisible(pending is not None)
        if pending is not None:
            self.pending_key_label.setText(
                f"Khóa mới đang chờ: {pending.fingerprint} (mã {pending.key_id}). Gói số liệu xuất lần tới báo "
                "khóa này cho cơ quan tổng hợp; xuất xong, máy này ký bằng khóa mới."
            )
        profile = self.workspace.profile
        self.rotate_key_button.setVisible(profile is not None and profile.role == Role.COMMUNE)

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

    # --- the signing key -----------------------------------------------------------------------------------

    def _key_file(self, what: str, suffix: str) -> Path:
        return Path.home() / key_service.suggested_name(self.workspace, what, suffix)

    def _key_job(self, title: str, work: Callable[[], str]) -> None:
        """Key jobs take well under a second (scrypt is the slowest): run here, under a wait cursor."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            done = work()
        except UserError as error:
            QApplication.restoreOverrideCursor()
            messages.warn(self, title, str(error))
            return
        QApplication.restoreOverrideCursor()
        self._refresh_key()
        messages.inform(self, title, done)

    def export_public_key(self) -> None:
        path = save_path(
            self,
            "Lưu khóa công khai",
            self._key_file("khoa-cong-khai", PUBLIC_SUFFIX),
            f"Khóa công khai (*{PUBLIC_SUFFIX});;Mọi tệp (*)",
        )
        if path is None:
            return

        def export() -> str:
            key_service.export_public(self.workspace, path)
            return f"Đã lưu khóa công khai vào:\n{path}\n\nGửi tệp này cùng phiếu đăng ký khóa cho cơ quan tổng hợp."

        self._key_job("Lưu khóa công khai", export)

    def print_key_sheet(self) -> None:
        info = key_service.key_info(self.workspace)
        pending = key_service.pending_key(self.workspace)
        if pending is not None:
            which = messages.ask(
                self,
                messages.Icon.Question,
                "In phiếu đăng ký khóa",
                f"In phiếu cho khóa nào?\n\nKhóa đang dùng: {info.fingerprint}\n"
                f"Khóa mới đang chờ: {pending.fingerprint}",
                ("Khóa đang dùng", "Khóa mới đang chờ", "Hủy"),
            )
            if which == 2:
                return
            info = pending if which == 1 else info
        path = save_path(self, "In phiếu đăng ký khóa", self._key_file("phieu-dang-ky-khoa", ".pdf"), "Tệp PDF (*.pdf)")
        if path is None:
            return

        def write() -> str:
            from khuyenhoc_desktop.documents.key_sheet import write_key_sheet

            write_key_sheet(self.workspace.profile, info, path)
            return f"Đã ghi phiếu đăng ký khóa vào:\n{path}\n\nHãy in, ký, đóng dấu rồi gửi cơ quan tổng hợp."

        self._key_job("In phiếu đăng ký khóa", write)

    def rotate_key(self) -> None:
        pending = key_service.pending_key(self.workspace)
        replaced = (
            f"\n\nĐang có khóa mới chờ dùng ({pending.fingerprint}); khóa đó chưa báo cho ai và sẽ được thay bằng "
            "khóa khác."
            if pending is not None
            else ""
        )
        if not messages.confirm(
            self,
            "Đổi khóa ký",
            "Đổi sang khóa ký mới? Chỉ cần đổi khi nghi khóa bị lộ hoặc khi cơ quan tổng hợp yêu cầu.\n\n"
            "Phần mềm tạo khóa mới và giữ chờ. Gói số liệu xuất lần tới vẫn ký bằng khóa hiện tại và báo khóa mới "
            "cho cơ quan tổng hợp; nhận gói đó, cơ quan tự đăng ký khóa mới. Xuất xong, máy này ký bằng khóa mới; "
            "khóa cũ được cất lại trong thư mục dữ liệu, không ký nữa.\n\n"
            "Hãy gửi gói đó lên trước các gói sau, và sao lưu lại khóa ký sau khi xuất." + replaced,
            yes="Đổi khóa",
            no="Hủy",
        ):
            return

        def rotate() -> str:
            created = key_service.rotate_key(self.workspace)
            return (
                f"Đã tạo khóa ký mới, chờ dùng:\n{spoken_fingerprint(created.fingerprint)}\n\nKhóa này bắt đầu ký "
                "sau lần xuất gói số liệu tới. Có thể in phiếu đăng ký cho khóa mới bằng nút «In phiếu đăng ký khóa…»."
            )

        self._key_job("Đổi khóa ký", rotate)

    def back_up_key(self) -> None:
        path = save_path(
            self,
            "Sao lưu khóa ký",
            self._key_file("khoa-ky", BACKUP_SUFFIX),
            f"Bản sao lưu khóa (*{BACKUP_SUFFIX});;Mọi tệp (*)",
        )
        if path is None:
            return
        passphrase = ask_passphrase(
            self,
            "Mật khẩu bảo vệ khóa",
            "Đặt mật khẩu cho bản sao lưu khóa. Không có mật khẩu thì không khôi phục được khóa: hãy ghi lại và "
            "cất riêng, không để cùng chỗ với tệp sao lưu.",
            confirm=True,
        )
        if passphrase is None:
            return

        def back_up() -> str:
            key_service.export_backup(self.workspace, path, passphrase)
            return f"Đã sao lưu khóa ký (có mật khẩu) vào:\n{path}"

        self._key_job("Sao lưu khóa ký", back_up)

    def restore_key(self) -> None:
        path = open_path(
            self, "Chọn bản sao lưu khóa", Path.home(), f"Bản sao lưu khóa (*{BACKUP_SUFFIX});;Mọi tệp (*)"
        )
        if path is None:
            return
        passphrase = ask_passphrase(
            self, "Mật khẩu bản sao lưu khóa", f"Mật khẩu đã đặt khi sao lưu khóa vào tệp {path.name}:", confirm=False
        )
        if passphrase is None:
            return
        try:
            key_service.restore_backup(self.workspace, path, passphrase)
        except DifferentKey as different:
            if not messages.confirm(
                self,
                "Thay khóa ký",
                f"Máy này đang dùng khóa ký khác:\n{fingerprint(different.current)}\n\nThay bằng khóa trong bản "
                f"sao lưu:\n{fingerprint(different.offered)}?\n\nCác gói đã gửi vẫn mang khóa cũ; khóa cũ được giữ "
                "lại trong thư mục dữ liệu, không bị xóa.",
                yes="Thay khóa",
                no="Hủy",
            ):
                return
        except UserError as error:
            messages.warn(self, "Khôi phục khóa ký", str(error))
            return
        else:
            self._refresh_key()
            messages.inform(self, "Khôi phục khóa ký", f"Đã khôi phục khóa ký từ {path.name}.")
            return

        def replace() -> str:
            key_service.restore_backup(self.workspace, path, passphrase, replace=True)
            return f"Đã thay khóa ký bằng khóa trong {path.name}."

        self._key_job("Khôi phục khóa ký", replace)

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
