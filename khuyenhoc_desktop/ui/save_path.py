"""Where to save a document the officer asked for: the save dialog opens in Documents with a suggested name, and the
file keeps its extension even when the officer types a name without one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

FILTERS = {".pdf": "Tệp PDF (*.pdf)", ".xlsx": "Bảng tính Excel (*.xlsx)", ".json": "Tệp ghép cột (*.json)"}


def ask_save_path(parent: QWidget, caption: str, file_name: str) -> Path | None:
    """The path chosen for `file_name` (its extension decides the file type), or None when the officer cancels."""
    suffix = Path(file_name).suffix.lower()
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    suggested = Path(documents or Path.home()) / file_name
    name, _ = QFileDialog.getSaveFileName(parent, caption, str(suggested), FILTERS[suffix])
    if not name:
        return None
    return Path(name) if Path(name).suffix.lower() == suffix else Path(name + suffix)
