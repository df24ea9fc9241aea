"""The submission board page: statuses coloured and iconed, the missing filter, accent-free search, the missing
list copied for a reminder (issue 6)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QIcon

from khuyenhoc_desktop.services import office
from khuyenhoc_desktop.services.profile import set_working_year
from khuyenhoc_desktop.services.submission_board import Status
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.views.submission_board_view import STATUS_COLOURS, BoardModel, SubmissionBoardView
from tests.gui_helpers import type_text
from tests.test_duplicates import EAST, EAST_NAME, WEST, WEST_NAME, YEAR, Commune, communes

__all__ = ["communes"]  # fixtures defined beside the tests they were written for, which pytest finds here by name

COMMUNES = 96


def codes(view: SubmissionBoardView) -> list[str]:
    return [row.code for row in view.model.rows()]


def status_cell(view: SubmissionBoardView, code: str, role: Qt.ItemDataRole) -> object:
    row = codes(view).index(code)
    return view.model.data(view.model.index(row, BoardModel.COL_STATUS), role)


def test_board_page(qtbot, office_ws: Workspace, communes: tuple[Commune, Commune]) -> None:
    set_working_year(office_ws, YEAR)
    west, _ = communes
    west.family("00001", "Nguyễn Văn An", 1980)
    west.send(office_ws)
    view = SubmissionBoardView(office_ws)
    qtbot.addWidget(view)
    view.show()

    assert view.heading.text() == "Tình hình nhận số liệu năm 2025 — Tây Ninh"
    assert view.totals.text() == f"Đã nhận 1/{COMMUNES} xã, phường; còn thiếu {COMMUNES - 1}"
    assert len(codes(view)) == COMMUNES
    assert status_cell(view, WEST, Qt.ItemDataRole.DisplayRole) == "Đã nhận"
    assert status_cell(view, WEST, Qt.ItemDataRole.ForegroundRole) == STATUS_COLOURS[Status.RECEIVED]
    assert status_cell(view, EAST, Qt.ItemDataRole.ForegroundRole) == STATUS_COLOURS[Status.MISSING]
    icon = status_cell(view, EAST, Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()

    view.missing_only.setChecked(True)
    assert len(codes(view)) == COMMUNES - 1 and WEST not in codes(view)
    type_text(view.search, "bình minh")
    assert codes(view) == [EAST]
    view.missing_only.setChecked(False)
    view.search.clear()
    type_text(view.search, "phuoc vinh tay")
    assert codes(view) == [WEST]
    view.table.selectRow(0)
    assert view.details.text() == f"{WEST_NAME}: Đã nhận."

    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(view.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text().splitlines()
    assert copied[0] == f"Các xã, phường chưa gửi số liệu năm {YEAR} ({COMMUNES - 1}):"
    assert f"{EAST} {EAST_NAME}" in copied and len(copied) == COMMUNES
    assert view.status_line.text() == f"Đã chép danh sách {COMMUNES - 1} xã, phường còn thiếu."

    office.mark_merged(office_ws, EAST, WEST)
    view.reload()
    assert view.totals.text() == f"Đã nhận 1/{COMMUNES - 1} xã, phường; còn thiếu {COMMUNES - 2}"
    view.search.clear()
    view.table.sortByColumn(BoardModel.COL_STATUS, Qt.SortOrder.AscendingOrder)
    assert codes(view)[-1] == EAST  # merged last: nothing to chase
    assert status_cell(view, EAST, Qt.ItemDataRole.DisplayRole) == f"Đã sáp nhập vào {WEST_NAME} ({WEST})"


def test_board_model_passes_qts_model_checks(qtmodeltester, office_ws: Workspace) -> None:
    view = SubmissionBoardView(office_ws)
    qtmodeltester.check(view.model)
