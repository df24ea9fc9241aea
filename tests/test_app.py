"""Starting the GUI end to end: the folder lock, the wizard or the demo, the window, the exit backup."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.backup import list_backups
from khuyenhoc_desktop.ui import app as app_module
from khuyenhoc_desktop.ui.main_window import MainWindow


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> list[MainWindow]:
    """Instead of running the event loop, note the window that would be on screen and quit."""
    windows: list[MainWindow] = []
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own: put pytest's back after
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)

    def exec_() -> int:
        windows.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        for window in windows:
            window.close()
        return 0

    monkeypatch.setattr(qapp, "exec", exec_)
    return windows


def test_gui_opens_the_commune_and_backs_up_on_exit(workspace: Workspace, shown: list[MainWindow], messages) -> None:
    workspace.close(backup=False)
    assert app_module.run_gui(workspace.data_dir) == 0
    assert len(shown) == 1 and shown[0].unit_label.text() == "Xã Phước Vĩnh Tây, Tây Ninh"
    assert [b.reason for b in list_backups(workspace.data_dir)] == ["khi-thoat"]
    assert app_module.lock_data_dir(workspace.data_dir) is not None  # released on the way out


def test_gui_with_demo_builds_the_demo_commune_first(data_dir: Path, shown: list[MainWindow], messages) -> None:
    assert app_module.run_gui(data_dir, demo=True) == 0
    assert shown and shown[0].households.model.total() > 2000
    assert list_backups(data_dir) == []  # sample data: no exit backup


def test_second_window_on_the_same_folder_is_refused(workspace: Workspace, shown: list[MainWindow], messages) -> None:
    held = app_module.lock_data_dir(workspace.data_dir)
    assert held is not None
    try:
        assert app_module.run_gui(workspace.data_dir) == 1
    finally:
        held.unlock()
    assert shown == []
    assert "đang được mở với thư mục dữ liệu này" in messages.texts[-1]


def test_closing_the_wizard_on_first_run_exits_without_a_window(
    data_dir: Path, shown: list[MainWindow], monkeypatch: pytest.MonkeyPatch, messages
) -> None:
    from khuyenhoc_desktop.ui.dialogs import setup_wizard

    monkeypatch.setattr(setup_wizard.SetupWizard, "exec", lambda self: 0)
    assert app_module.run_gui(data_dir) == 0
    assert shown == []
    assert not Workspace.open(data_dir).is_set_up


def test_a_database_from_a_newer_version_is_refused_with_a_message(
    data_dir: Path, shown: list[MainWindow], messages
) -> None:
    import sqlite3

    from khuyenhoc_desktop.storage.migrations import LATEST_VERSION
    from khuyenhoc_desktop.storage.paths import database_path

    data_dir.mkdir()
    with sqlite3.connect(database_path(data_dir)) as connection:
        connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    assert app_module.run_gui(data_dir) == 2
    assert "phiên bản mới hơn" in messages.texts[-1]
    assert shown == []
