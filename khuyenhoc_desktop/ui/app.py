"""Starting the GUI: one instance per data folder, logging and the error dialog, the demo commune or
the setup wizard when there is no data yet, then the main window; a backup on the way out."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLockFile, Qt, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QProgressDialog

from khuyenhoc_desktop import APP_NAME, APP_TITLE, __version__
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.resources import resources_dir
from khuyenhoc_desktop.services.office import office_info
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.paths import lock_path
from khuyenhoc_desktop.ui import messages, worker
from khuyenhoc_desktop.ui.crash import install_excepthook, start_logging
from khuyenhoc_desktop.ui.main_window import MainWindow


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setWindowIcon(QIcon(str(resources_dir() / "khuyenhoc.png")))
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    install_qt_vietnamese(app)
    return app


QT_TRANSLATOR_NAME = "qtbase_vi"


def install_qt_vietnamese(app: QApplication) -> None:
    """Qt ships no Vietnamese translation, so its own buttons, context menus and file/print dialogs would speak
    English; our qtbase_vi.qm covers them. The translator is the app's child so it lives as long as the app, and
    found by name so calling application() again does not stack a second copy. A missing file (a broken
    package: the frozen self-test checks for it) leaves Qt's texts in English rather than stopping the app."""
    if app.findChild(QTranslator, QT_TRANSLATOR_NAME) is not None:
        return
    translator = QTranslator()
    if not translator.load(str(resources_dir() / "translations" / f"{QT_TRANSLATOR_NAME}.qm")):
        logging.getLogger("khuyenhoc").warning("Không nạp được bản dịch tiếng Việt của Qt: %s.qm", QT_TRANSLATOR_NAME)
        return
    translator.setObjectName(QT_TRANSLATOR_NAME)
    translator.setParent(app)
    app.installTranslator(translator)


def lock_data_dir(data_dir: Path) -> QLockFile | None:
    """Hold the folder's lock for the app's lifetime; None when another window already has it."""
    lock = QLockFile(str(lock_path(data_dir)))
    lock.setStaleLockTime(0)
    return lock if lock.tryLock(200) else None


def create_demo_with_progress(data_dir: Path, office: bool = False) -> bool:
    """Build the demo commune (or the demo consolidating office) in a worker while a progress dialog shows how
    far it is."""
    from khuyenhoc_desktop.services.demo import create_demo
    from khuyenhoc_desktop.services.demo_office import create_demo_office

    build = create_demo_office if office else create_demo
    what = "cơ quan tổng hợp mẫu" if office else "xã mẫu"
    dialog = QProgressDialog(f"Đang tạo {what} với dữ liệu minh họa…", "Hủy", 0, 100)
    dialog.setWindowTitle(APP_TITLE)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoReset(False)  # only the task's own result closes it, not reaching the maximum
    dialog.setAutoClose(False)
    outcome: dict[str, object] = {}

    def work(task: worker.Task) -> object:
        return build(data_dir, progress=lambda done, total: task.report(done, total))

    def finish(key: str, value: object) -> None:
        outcome[key] = value
        dialog.reset()
        dialog.close()

    task = worker.run_task(
        work,
        lambda summary: finish("ok", summary),
        lambda error: finish("error", error),
        lambda done, total, _text: (dialog.setMaximum(max(total, 1)), dialog.setValue(done)),
    )
    dialog.canceled.connect(task.cancel)
    if not outcome:
        dialog.exec()
    error = outcome.get("error")
    if isinstance(error, worker.Cancelled):
        return False
    if isinstance(error, BaseException):
        messages.warn(None, APP_TITLE, f"Không tạo được {what}: {error}")
        return False
    return True


def run_gui(data_dir: Path, demo: bool = False, office: bool = False) -> int:
    app = application()
    data_dir.mkdir(parents=True, exist_ok=True)
    install_excepthook(start_logging(data_dir))
    lock = lock_data_dir(data_dir)
    if lock is None:
        messages.warn(
            None,
            APP_TITLE,
            f"Phần mềm đang được mở với thư mục dữ liệu này ở một cửa sổ khác:\n{data_dir}\nHãy dùng cửa sổ đang mở.",
        )
        return 1
    try:
        try:
            workspace = Workspace.open(data_dir)
        except UserError as error:
            messages.warn(None, APP_TITLE, str(error))
            return 2
        try:
            if demo and not workspace.is_set_up:
                create_demo_with_progress(data_dir, office)
                workspace.reload_profile()
            if not workspace.is_set_up:
                from khuyenhoc_desktop.ui.dialogs.setup_wizard import SetupWizard

                if not SetupWizard(workspace).exec():
                    return 0
            window = MainWindow(workspace)
            window.showMaximized()  # commune laptops have small screens
            if window.is_office and office_info(workspace) is None:
                from khuyenhoc_desktop.ui.views.office_form import OfficeSetupDialog

                if OfficeSetupDialog(workspace, window).exec():
                    window.reload_all()
            return app.exec()
        finally:
            workspace.close(backup=not demo)  # the demo commune is sample data: no rotating copies of it
    finally:
        lock.unlock()
