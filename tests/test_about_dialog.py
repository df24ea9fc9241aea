"""Help → Giới thiệu: the version, the data and logs folders as selectable text, library versions for support,
and the button that opens the data folder."""

from __future__ import annotations

import platform

import pytest
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from khuyenhoc_desktop import APP_TITLE, __version__
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.paths import logs_dir
from khuyenhoc_desktop.ui.dialogs import about_dialog
from khuyenhoc_desktop.ui.dialogs.about_dialog import AboutDialog
from khuyenhoc_desktop.ui.main_window import MainWindow
from tests.conftest import MessageLog
from tests.gui_helpers import drive_dialogs, open_main_window


def open_about(qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> AboutDialog:
    """Through the Help menu, as the officer does; the dialog is handed back while it is open."""
    window: MainWindow = open_main_window(qtbot, workspace, monkeypatch)
    seen: list[QDialog] = []
    drive_dialogs(monkeypatch, AboutDialog).append(seen.append)
    (help_menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "Trợ &giúp"]
    (action,) = [a for a in help_menu.actions() if a.text() == "Giới thiệu"]
    action.trigger()
    (dialog,) = seen
    assert isinstance(dialog, AboutDialog)
    qtbot.addWidget(dialog)
    return dialog


def selectable(label: QLabel) -> bool:
    return bool(label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse)


def test_it_shows_the_version_and_the_folders_as_selectable_text(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_about(qtbot, workspace, monkeypatch)
    assert dialog.windowTitle() == "Giới thiệu"
    assert dialog.title.text() == f"{APP_TITLE} {__version__}"
    assert not dialog.icon.pixmap().isNull()
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Sổ quản lý xã hội học tập — Hội Khuyến học" in texts
    assert dialog.data_folder.text() == str(workspace.data_dir)
    assert dialog.logs_folder.text() == str(logs_dir(workspace.data_dir))
    assert f"Qt {qVersion()}" in dialog.versions.text()
    assert f"Python {platform.python_version()}" in dialog.versions.text()
    assert all(selectable(label) for label in (dialog.data_folder, dialog.logs_folder, dialog.versions))


def test_the_button_opens_the_data_folder(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch, messages: MessageLog
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(about_dialog.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog = open_about(qtbot, workspace, monkeypatch)
    assert dialog.open_data_button.text() == "Mở thư mục dữ liệu"
    qtbot.mouseClick(dialog.open_data_button, Qt.MouseButton.LeftButton)
    assert [url.toLocalFile() for url in opened] == [str(workspace.data_dir).replace("\\", "/")]
    assert messages.texts == []


def test_a_folder_that_cannot_be_opened_is_said(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch, messages: MessageLog
) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    dialog = open_about(qtbot, workspace, monkeypatch)
    qtbot.mouseClick(dialog.open_data_button, Qt.MouseButton.LeftButton)
    assert messages.texts == [f"Không mở được thư mục dữ liệu {workspace.data_dir}."]
