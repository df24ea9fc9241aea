"""The main window: registers in a navigation list, menus with their shortcuts, the year selector, and a
status bar saying whose data is open."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QProgressDialog,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from khuyenhoc_desktop import APP_TITLE
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.profile import Role
from khuyenhoc_desktop.services import backups as backup_service
from khuyenhoc_desktop.services import packages as package_service
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages, worker
from khuyenhoc_desktop.ui.registers import PageFactory, register_pages
from khuyenhoc_desktop.ui.views.households_view import HouseholdsView
from khuyenhoc_desktop.ui.views.recycle_bin_view import RecycleBinView

FIRST_YEAR = 2015


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.resize(1200, 760)

        registers = register_pages(workspace)
        # A commune opens on its households (read at start-up) and ends with the recycle bin; every other page,
        # and all of a consolidating office's, is built the first time it is shown.
        self.households: HouseholdsView | None = None
        self.recycle_bin: RecycleBinView | None = None
        self._titles = [title for title, _ in registers]
        self._factories: list[PageFactory | None] = [factory for _, factory in registers]
        self._built: dict[int, QWidget] = {}
        if not self.is_office:
            self.households, self.recycle_bin = HouseholdsView(workspace), RecycleBinView(workspace)
            self._titles = ["Hộ gia đình", *self._titles, "Thùng rác"]
            self._factories = [None, *self._factories, None]
            self._built = {0: self.households, len(self._titles) - 1: self.recycle_bin}
        self._stale: set[int] = set()  # built pages to re-read when next shown
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setMaximumWidth(220)
        self.stack = QStackedWidget()
        for row, title in enumerate(self._titles):
            self.navigation.addItem(title)
            self.stack.addWidget(self._built.get(row) or QWidget())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        self.setCentralWidget(splitter)
        self.navigation.currentRowChanged.connect(self._show_page)

        self.year = QComboBox()
        self.year.setObjectName("year_selector")
        self.year.setToolTip("Năm làm việc: năm đánh giá, công nhận và báo cáo")
        self._build_menus()
        self.unit_label, self.year_label, self.officer_label = QLabel(), QLabel(), QLabel()
        for label in (self.unit_label, self.year_label, self.officer_label):
            label.setStyleSheet("padding: 0 10px;")
            self.statusBar().addPermanentWidget(label)

        for page in self._built.values():
            page.changed.connect(self._data_changed)  # type: ignore[attr-defined]
        self.year.currentIndexChanged.connect(self._year_chosen)
        self.refresh_profile()
        self._update_undo()
        self.navigation.setCurrentRow(0)
        if self.households is not None:
            self.households.table.setFocus()

    @property
    def is_office(self) -> bool:
        profile = self.workspace.profile
        return profile is not None and profile.role == Role.CONSOLIDATING_OFFICE

    # -- building -----------------------------------------------------------------------------------
    def _action(self, text: str, slot: object, shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&Tệp")
        self.settings_action = self._action("Cài đặt…", self.open_settings, "Ctrl+,")
        self.backup_action = self._action("Sao lưu ngay", self.back_up_now)
        file_menu.addAction(self.settings_action)
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        self.export_package_action = self._action("Xuất gói số liệu năm…", self.export_package)
        self.verify_package_action = self._action("Kiểm tra gói số liệu…", self.verify_package)
        self.export_history_action = self._action("Lịch sử xuất gói…", self.show_export_history)
        if not self.is_office:  # an office receives packages (its "Nhận gói số liệu" page); it sends none
            file_menu.addAction(self.export_package_action)
        file_menu.addAction(self.verify_package_action)
        if not self.is_office:
            file_menu.addAction(self.export_history_action)
        self.import_action = self._action("Nhập danh sách từ Excel…", self.open_import_wizard)
        if not self.is_office:  # an office's lists come in packages from its communes
            file_menu.addSeparator()
            file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("Thoát", self.close, "Ctrl+Q"))

        edit_menu = bar.addMenu("&Sửa")
        self.undo_action = self._action("Hoàn tác", self.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action("Làm lại", self.redo, QKeySequence.StandardKey.Redo)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self._action("Tìm trong sổ đang mở", self._find, QKeySequence.StandardKey.Find))

        if self.households is not None:
            household_menu = bar.addMenu("&Hộ gia đình")
            for text, slot, keys in (
                ("Thêm hộ", self.households.add_household, "Ctrl+N"),
                ("Sửa hộ", self.households.edit_household, None),
                ("Xóa hộ", self.households.delete_household, None),
                ("Thêm thành viên", self.households.add_member, None),
            ):
                household_menu.addAction(self._action(text, self._on_households(slot), keys))

        certificate_menu = bar.addMenu("&Giấy chứng nhận")
        self.print_certificates_action = self._action("In giấy công nhận…", self.print_certificates)
        self.check_certificate_action = self._action("Kiểm tra giấy chứng nhận…", self.check_certificate)
        self.certificate_templates_action = self._action("Mẫu giấy chứng nhận…", self.edit_certificate_templates)
        for action in (
            self.print_certificates_action,
            self.check_certificate_action,
            self.certificate_templates_action,
        ):
            certificate_menu.addAction(action)

        help_menu = bar.addMenu("Trợ &giúp")
        help_menu.addAction(self._action("Giới thiệu", self.about))

        toolbar = QToolBar("Năm làm việc")
        toolbar.setObjectName("year_toolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel(" Năm làm việc: "))
        toolbar.addWidget(self.year)
        self.addToolBar(toolbar)

    # -- state --------------------------------------------------------------------------------------
    def refresh_profile(self) -> None:
        profile = self.workspace.profile
        assert profile is not None
        unit = profile.commune_name if profile.role == Role.COMMUNE else profile.association_name
        self.setWindowTitle(f"{APP_TITLE} — {unit}, {profile.province_name}")
        self.unit_label.setText(f"{unit}, {profile.province_name}")
        self.year_label.setText(f"Năm {profile.working_year}")
        self.officer_label.setText(f"Cán bộ: {profile.officer_name}")
        self.year.blockSignals(True)
        self.year.clear()
        for year in range(min(FIRST_YEAR, profile.working_year), date.today().year + 2):
            self.year.addItem(str(year), year)
        self.year.setCurrentIndex(self.year.findData(profile.working_year))
        self.year.blockSignals(False)

    def _year_chosen(self) -> None:
        year = self.year.currentData()
        if year is not None and year != self.workspace.working_year:
            profile_service.set_working_year(self.workspace, year)
            self.refresh_profile()
            self._mark_stale(except_page=None)

    @property
    def pages(self) -> list[tuple[str, QWidget]]:
        """The pages built so far, with their titles."""
        return [(self._titles[row], page) for row, page in sorted(self._built.items())]

    def _show_page(self, row: int) -> None:
        factory = self._factories[row]
        if row not in self._built and factory is not None:
            page = self._built[row] = factory()
            page.changed.connect(self._data_changed)  # type: ignore[attr-defined]
            placeholder = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        self.stack.setCurrentIndex(row)
        if row in self._stale:
            self._stale.discard(row)
            self._built[row].reload()  # type: ignore[attr-defined]

    def _mark_stale(self, except_page: QWidget | None) -> None:
        """Every other built page re-reads its data when it is next shown; the visible one at once."""
        self._stale = {row for row, page in self._built.items() if page is not except_page}
        self._show_page(self.stack.currentIndex())

    def show_page(self, title: str) -> None:
        self.navigation.setCurrentRow(self._titles.index(title))

    def _data_changed(self) -> None:
        sender = self.sender()
        self._mark_stale(except_page=sender if isinstance(sender, QWidget) else None)
        self._update_undo()

    def _update_undo(self) -> None:
        history = self.workspace.history
        self.undo_action.setEnabled(history.undo_label is not None)
        self.undo_action.setText(f"Hoàn tác: {history.undo_label}" if history.undo_label else "Hoàn tác")
        self.redo_action.setEnabled(history.redo_label is not None)
        self.redo_action.setText(f"Làm lại: {history.redo_label}" if history.redo_label else "Làm lại")

    def reload_all(self) -> None:
        self.refresh_profile()
        self._mark_stale(except_page=None)
        self._update_undo()

    # -- actions ------------------------------------------------------------------------------------
    def _on_households(self, slot: Callable[[], None]) -> Callable[[], None]:
        """Menu jobs of the households register bring its page forward first, wherever the officer is."""

        def run() -> None:
            self.show_page("Hộ gia đình")
            slot()

        return run

    def _find(self) -> None:
        """Ctrl+F searches the register on screen; pages without a search box send it to the households."""
        page = self.stack.currentWidget()
        if not hasattr(page, "focus_search"):
            if self.households is None:
                return
            self.show_page("Hộ gia đình")
            page = self.households
        page.focus_search()

    def _step_history(self, undo: bool) -> None:
        history = self.workspace.history
        if (history.undo_label if undo else history.redo_label) is None:
            return
        try:
            done = history.undo(self.workspace) if undo else history.redo(self.workspace)
        except UserError as error:
            messages.warn(self, "Không hoàn tác được" if undo else "Không làm lại được", str(error))
            return
        self.reload_all()
        self.statusBar().showMessage(f"{'Đã hoàn tác' if undo else 'Đã làm lại'}: {done.label}", 5000)

    def undo(self) -> None:
        self._step_history(undo=True)

    def redo(self) -> None:
        self._step_history(undo=False)

    def back_up_now(self) -> None:
        path = backup_service.back_up_now(self.workspace)
        self.statusBar().showMessage(f"Đã sao lưu vào {path}", 8000)

    def open_import_wizard(self) -> None:
        from khuyenhoc_desktop.ui.dialogs.import_wizard import ImportWizard

        self.import_wizard = ImportWizard(self.workspace, parent=self)
        self.import_wizard.changed.connect(self.reload_all)
        self.import_wizard.exec()

    def open_settings(self) -> None:
        from khuyenhoc_desktop.ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.workspace, self)
        dialog.profile_changed.connect(self.reload_all)
        dialog.restored.connect(self.reload_all)
        dialog.exec()

    # -- signed packages (issue 5) -------------------------------------------------------------------
    def export_package(self) -> None:
        """Ask where (the suggested name carries commune, year and sequence), then write off the UI thread
        with a progress dialog whose Cancel leaves no file behind."""
        workspace, year = self.workspace, self.workspace.working_year
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = Path(documents or Path.home()) / package_service.suggested_file_name(workspace, year)
        name, _ = QFileDialog.getSaveFileName(
            self, f"Xuất gói số liệu năm {year}", str(suggested), "Gói số liệu (*.zip)"
        )
        if not name:
            return
        path = Path(name)
        progress = QProgressDialog(f"Đang xuất gói số liệu năm {year}…", "Hủy", 0, 100, self)
        progress.setWindowTitle("Xuất gói số liệu")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setAutoReset(False)
        progress.setAutoClose(False)
        self.export_package_action.setEnabled(False)

        def work(task: worker.Task) -> package_service.ExportResult:
            return package_service.export_package(
                workspace, year, path, progress=lambda done, total: task.report(done, total)
            )

        def done(result: package_service.ExportResult) -> None:
            finish()
            messages.inform(
                self,
                "Đã xuất gói số liệu",
                f"Đã xuất gói số liệu năm {result.period}, lần {result.sequence}, vào:\n{result.path}\n\n"
                f"Dấu vân tay khóa ký: {result.fingerprint}"
                + (
                    f"\n\nGói này báo đổi khóa ký. Từ nay máy này ký bằng khóa mới: {result.rotated_to}. "
                    "Hãy gửi gói này lên cơ quan tổng hợp trước các gói sau, và sao lưu lại khóa ký."
                    if result.rotated_to
                    else ""
                ),
            )

        def failed(error: BaseException) -> None:
            finish()
            if isinstance(error, worker.Cancelled):
                self.statusBar().showMessage("Đã hủy xuất gói số liệu; không có tệp nào được ghi.", 8000)
                return
            if not isinstance(error, UserError):
                raise error  # a bug: sys.excepthook logs it and tells the officer
            messages.warn(self, "Không xuất được gói số liệu", str(error))

        def finish() -> None:
            progress.reset()
            progress.close()
            self.export_package_action.setEnabled(True)

        def advance(done_: int, total: int, _text: str) -> None:
            progress.setMaximum(max(total, 1))
            progress.setValue(done_)

        self._package_task = worker.run_task(work, done, failed, advance)
        progress.canceled.connect(self._package_task.cancel)

    def verify_package(self) -> None:
        """Check a package chosen by the officer; a refusal is a result to show, not an error."""
        from khuyenhoc_desktop.exchange.verify import PackageRefused
        from khuyenhoc_desktop.ui.dialogs.package_dialogs import VerifyResultDialog

        name, _ = QFileDialog.getOpenFileName(self, "Kiểm tra gói số liệu", "", "Gói số liệu (*.zip);;Mọi tệp (*)")
        if not name:
            return
        path = Path(name)
        try:
            checked = package_service.verify_package(path, self.workspace.data_dir)
        except PackageRefused as refused:
            self.verify_dialog = VerifyResultDialog(path.name, None, str(refused), self)
        else:
            self.verify_dialog = VerifyResultDialog(path.name, checked, parent=self)
        self.verify_dialog.exec()

    def show_export_history(self) -> None:
        from khuyenhoc_desktop.ui.dialogs.package_dialogs import ExportHistoryDialog

        self.history_dialog = ExportHistoryDialog(package_service.list_exports(self.workspace), self)
        self.history_dialog.exec()

    # -- certificates (issue 7) ----------------------------------------------------------------------
    def print_certificates(self) -> None:
        from khuyenhoc_desktop.ui.dialogs.certificates_dialog import CertificatesDialog

        # From a register, the certificates of its title, for the records selected there (all when none are).
        selection = getattr(self.stack.currentWidget(), "certificate_selection", None)
        key, chosen = selection() if selection is not None else (None, None)
        self.certificates_dialog = CertificatesDialog(self.workspace, key=key, chosen=chosen or None, parent=self)
        self.certificates_dialog.exec()

    def check_certificate(self) -> None:
        from khuyenhoc_desktop.ui.dialogs.certificate_check_dialog import CertificateCheckDialog

        self.check_dialog = CertificateCheckDialog(self.workspace, self)
        self.check_dialog.exec()

    def edit_certificate_templates(self) -> None:
        from khuyenhoc_desktop.ui.dialogs.certificate_template_dialog import CertificateTemplateDialog

        self.template_dialog = CertificateTemplateDialog(self.workspace, parent=self)
        self.template_dialog.exec()

    def about(self) -> None:
        from khuyenhoc_desktop.ui.dialogs.about_dialog import AboutDialog

        self.about_dialog = AboutDialog(self.workspace.data_dir, self)
        self.about_dialog.exec()
