"""Workbooks shaped as communes keep their lists, for the import tests: a guide sheet first, then on the list's own
sheet a merged title, a subtitle and blank rows before the header and the rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace

TITLE = "HỘI KHUYẾN HỌC XÃ PHƯỚC VĨNH TÂY"


def messy_book(
    path: Path, sheet: str, subtitle: str, header: list[str], rows: list[list[Any]], blank_rows: int = 1
) -> Path:
    book = openpyxl.Workbook()
    guide = book.active
    assert guide is not None
    guide.title = "Hướng dẫn"
    guide.append(["Danh sách cập nhật hằng năm, gửi Hội Khuyến học xã."])
    data = book.create_sheet(sheet)
    data.append([TITLE])
    data.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    data.append([subtitle])
    for _ in range(blank_rows):
        data.append([])
    data.append(header)
    for row in rows:
        data.append(row)
    book.save(path)
    return path


def hamlet_id(workspace: Workspace, name: str) -> str:
    return next(h.id for h in list_hamlets(workspace) if h.name == name)
