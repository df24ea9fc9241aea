"""The registers between "Hộ gia đình" and "Thùng rác" in the navigation, in the order officers use them.

Each page is a QWidget with a `changed` signal (emitted after it saved something) and a `reload()` that
re-reads its data; the main window reloads a page when it is shown after a change elsewhere.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from khuyenhoc_desktop.services.workspace import Workspace


def register_pages(workspace: Workspace) -> list[tuple[str, QWidget]]:
    return []
