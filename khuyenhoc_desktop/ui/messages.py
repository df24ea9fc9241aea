"""Every message box the app shows goes through `ask`, with Vietnamese buttons (Qt ships none).

Tests replace `ask` to answer and to read what the officer would have been told.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

Icon = QMessageBox.Icon


def ask(parent: QWidget | None, icon: Icon, title: str, text: str, buttons: tuple[str, ...] = ("Đóng",)) -> int:
    """Show a message; returns the index of the button pressed (the last one when closed with Esc)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    pushed = []
    for i, label in enumerate(buttons):
        role = QMessageBox.ButtonRole.AcceptRole if i == 0 else QMessageBox.ButtonRole.RejectRole
        pushed.append(box.addButton(label, role))
    box.setDefaultButton(pushed[0])
    box.setEscapeButton(pushed[-1])
    box.exec()
    clicked = box.clickedButton()
    return pushed.index(clicked) if clicked in pushed else len(buttons) - 1


def inform(parent: QWidget | None, title: str, text: str) -> None:
    ask(parent, Icon.Information, title, text)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    ask(parent, Icon.Warning, title, text)


def confirm(parent: QWidget | None, title: str, text: str, yes: str = "Đồng ý", no: str = "Hủy") -> bool:
    return ask(parent, Icon.Question, title, text, (yes, no)) == 0


def confirm_to_bin(parent: QWidget | None, title: str, what: str, also: str = "") -> bool:
    """Ask before a record goes to the recycle bin, naming the way back; `also` says what goes with it."""
    text = f"Chuyển {what} vào thùng rác?{also}\nCó thể khôi phục từ Thùng rác hoặc hoàn tác bằng Ctrl+Z."
    return confirm(parent, title, text, yes="Xóa")
