"""Typing and answering dialogs as an officer would.

Non-ASCII `qtbot.keyClicks` aborts pytest (STYLE.md), so text goes in one character at a time as key events
carrying the character."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import main_window
from khuyenhoc_desktop.ui.main_window import MainWindow

Page = TypeVar("Page", bound=QWidget)


def type_text(widget: QWidget, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def press(widget: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(widget, key, modifiers)


Handler = Callable[[QDialog], None]


def activate(widget: QWidget) -> None:
    """Give the keys to `widget`'s window, as a click or a closing modal dialog would."""
    window = widget.window()
    with warnings.catch_warnings():  # offscreen, only this makes a window take the keys
        warnings.simplefilter("ignore", DeprecationWarning)
        QApplication.setActiveWindow(window)


def drive_dialogs(monkeypatch: pytest.MonkeyPatch, *classes: type[QDialog]) -> list[Handler]:
    """Each dialog of these classes that opens is handed to the next handler instead of blocking in exec().

    As with a real modal dialog, it is active and takes the keys while the handler runs, and its window
    has them back once it closes.
    """
    handlers: list[Handler] = []

    def exec_(dialog: QDialog) -> int:
        dialog.setModal(True)
        dialog.show()
        activate(dialog)
        if dialog.focusWidget() is not None:
            dialog.focusWidget().setFocus()
        handlers.pop(0)(dialog)
        dialog.hide()
        if dialog.parentWidget() is not None:
            activate(dialog.parentWidget())
        return dialog.result()

    for cls in classes:
        monkeypatch.setattr(cls, "exec", exec_)
    return handlers


def focused() -> QWidget:
    """The widget that has the keys now."""
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def open_main_window(
    qtbot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch, *pages: tuple[str, Callable[[Workspace], QWidget]]
) -> MainWindow:
    """The real main window with these pages among its registers (the lead wires the real list in registers.py),
    active, so its shortcuts (Ctrl+Z) work whatever window an earlier test left active."""
    monkeypatch.setattr(
        main_window, "register_pages", lambda ws: [(title, lambda make=make: make(ws)) for title, make in pages]
    )
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def shown_page(window: MainWindow, title: str, kind: type[Page]) -> Page:
    """Bring the page forward (it is built when first shown) and hand it back."""
    window.show_page(title)
    page = dict(window.pages)[title]
    assert isinstance(page, kind)
    return page
