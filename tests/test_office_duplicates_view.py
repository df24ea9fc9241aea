"""The cross-commune duplicates page: groups and their pairs, decisions by button that leave the open list, the
decided ones behind a filter, a decision withdrawn, search without accents (issue 6)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from khuyenhoc_desktop.services import duplicates
from khuyenhoc_desktop.services.profile import set_working_year
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.views.office_duplicates_view import DECISION_COLOURS, OfficeDuplicatesView, PairsModel
from tests.conftest import MessageLog
from tests.gui_helpers import type_text
from tests.test_duplicates import EAST_NAME, WEST_NAME, YEAR, Commune, communes, send_two_communes

__all__ = ["communes"]  # fixtures defined beside the tests they were written for, which pytest finds here by name


@pytest.fixture
def view(qtbot, office_ws: Workspace, communes: tuple[Commune, Commune]) -> OfficeDuplicatesView:
    set_working_year(office_ws, YEAR)
    west, east = communes
    send_two_communes(office_ws, west, east)
    east.family("00009", "Trần Văn Hậu", 1960)
    west.family("00003", "Trần văn Hậu", 1960)
    west.family("00004", "Trần Văn Hậu", 1960)  # a namesake in the same commune: two pairs with the east
    east.send(office_ws)
    west.send(office_ws)
    page = OfficeDuplicatesView(office_ws)
    qtbot.addWidget(page)
    page.show()
    return page


def names(view: OfficeDuplicatesView) -> list[str]:
    return [group.full_name for group in view.groups_model.rows()]


def choose(combo: QComboBox, data: str) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_decide_pairs_and_find_them_again(view: OfficeDuplicatesView, qtbot, office_ws: Workspace) -> None:
    assert view.heading.text() == "Người, hộ gia đình trùng giữa các xã, phường — năm 2025"
    assert names(view) == ["Trần Thị Bình"]  # the heads are households: not here
    assert view.counts.text() == "Còn 1 cặp người và 3 cặp hộ chưa quyết định. Đang xem 1 / 1 nhóm."
    assert view.pairs_model.rowCount() == 1
    assert view.pairs_model.index(0, 3).data() == EAST_NAME and view.pairs_model.index(0, 9).data() == WEST_NAME
    assert view.pairs_model.index(0, 2).data() == "Con dâu/Con rể"
    assert not view.withdraw_button.isEnabled() and view.duplicate_button.isEnabled()

    with qtbot.waitSignal(view.changed):
        type_text(view.note, "Chuyển về ở với con")
        qtbot.mouseClick(view.duplicate_button, Qt.MouseButton.LeftButton)
    assert names(view) == [] and view.pairs_model.rowCount() == 0 and view.note.text() == ""
    assert view.counts.text() == "Còn 0 cặp người và 3 cặp hộ chưa quyết định. Đang xem 0 / 1 nhóm."

    choose(view.state, "decided")
    assert names(view) == ["Trần Thị Bình"]
    decided = view.pairs_model.index(0, PairsModel.COL_DECISION)
    assert decided.data() == "Đánh dấu trùng"
    assert decided.data(Qt.ItemDataRole.ForegroundRole) == DECISION_COLOURS[duplicates.Decision.DUPLICATE]
    assert view.pairs_model.rows()[0].note == "Chuyển về ở với con"
    assert view.withdraw_button.isEnabled() and not view.duplicate_button.isEnabled()

    qtbot.mouseClick(view.withdraw_button, Qt.MouseButton.LeftButton)
    assert names(view) == [] and duplicates.find_groups(office_ws, YEAR).people[0].open == 1

    choose(view.kind, duplicates.HOUSEHOLDS)
    choose(view.state, "open")
    assert names(view) == ["Nguyễn Văn An", "Trần Văn Hậu"]  # Vietnamese order: by given name
    type_text(view.search, "hau 1960")
    assert names(view) == ["Trần Văn Hậu"]
    assert view.groups_model.rows()[0].pairs == 2 and view.pairs_model.rowCount() == 2
    assert [view.pairs_model.index(r, 1).data() for r in range(2)] == ["Trần Văn Hậu", "Trần Văn Hậu"]
    assert {view.pairs_model.index(r, 2).data() for r in range(2)} == {"1 người"}

    qtbot.mouseClick(view.keep_button, Qt.MouseButton.LeftButton)
    assert names(view) == ["Trần Văn Hậu"] and view.pairs_model.rowCount() == 1  # one pair still open
    assert view.groups_model.rows()[0].open == 1
    qtbot.mouseClick(view.keep_button, Qt.MouseButton.LeftButton)
    assert names(view) == []
    assert "cặp hộ chưa quyết định" in view.counts.text() and "Còn 1 cặp người và 1 cặp hộ" in view.counts.text()

    office_ws.history.undo(office_ws)
    view.reload()
    assert names(view) == ["Trần Văn Hậu"] and view.groups_model.rows()[0].open == 1


def test_a_refused_decision_is_explained(view: OfficeDuplicatesView, qtbot, messages: MessageLog) -> None:
    pair = view.pairs_model.rows()[0]
    duplicates.mark_pair(view.workspace, YEAR, pair.first.ref, pair.second.ref, "duplicate")
    # The page still shows the pair as open: deciding it again the same way is refused, and said so.
    qtbot.mouseClick(view.duplicate_button, Qt.MouseButton.LeftButton)
    assert messages.shown[-1][0] == "Không ghi được quyết định" and "rồi" in messages.shown[-1][1]


def test_models_pass_qts_model_checks(qtmodeltester, view: OfficeDuplicatesView) -> None:
    qtmodeltester.check(view.groups_model)
    qtmodeltester.check(view.pairs_model)


def test_a_commune_folder_is_told_why(qtbot, workspace: Workspace, messages: MessageLog) -> None:
    page = OfficeDuplicatesView(workspace)
    qtbot.addWidget(page)
    assert messages.shown[-1][0] == "Không tìm được người, hộ trùng"
    assert page.groups_model.rowCount() == 0
