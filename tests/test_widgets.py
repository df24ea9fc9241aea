"""The input widgets every form shares (ui/widgets.py), driven as an officer would."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from khuyenhoc_desktop.domain.household import HouseholdInput
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.citizens import MemberChoice
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.models.register_models import HouseholdPickModel
from khuyenhoc_desktop.ui.views.table_view import register_table, selected_row
from khuyenhoc_desktop.ui.widgets import NOT_IN_REGISTER, AmountEdit, DateEdit, MemberInfo, SearchSteersTable
from tests.gui_helpers import press, type_text


def test_a_date_field_reads_and_sets_python_dates_shown_day_first(qtbot) -> None:
    edit = DateEdit(date(2025, 9, 5))
    qtbot.addWidget(edit)
    assert (edit.day(), edit.text()) == (date(2025, 9, 5), "05/09/2025")
    edit.set_day_range(date(2000, 1, 1), date(2025, 12, 31))
    edit.set_day(date(2026, 1, 2))  # beyond the range: held at its end
    assert edit.day() == date(2025, 12, 31)


def test_an_amount_is_grouped_as_it_is_typed_and_takes_no_sign(qtbot) -> None:
    edit = AmountEdit()
    qtbot.addWidget(edit)
    type_text(edit, "-9700000")
    assert (edit.text(), edit.value()) == ("9.700.000", 9_700_000)
    edit.set_value(None)
    assert (edit.text(), edit.value()) == ("", None)


def test_member_info_says_who_the_name_stands_for(qtbot) -> None:
    info = MemberInfo("Người trong sổ hộ (thành viên đã bị xóa khỏi sổ)")
    qtbot.addWidget(info)
    choice = MemberChoice("m1", "Nguyễn Văn An", 1980, "nam", "00012", "Nguyễn Văn Tư", "Ấp Vĩnh Thạnh", None, "", "")
    info.show_member(choice, "m1")
    assert info.text() == "Trong sổ hộ: Nguyễn Văn An (1980) — hộ 00012, Ấp Vĩnh Thạnh"
    info.show_member(None, "m1")
    assert info.text() == "Người trong sổ hộ (thành viên đã bị xóa khỏi sổ)"
    info.show_member(None, None)
    assert info.text() == NOT_IN_REGISTER


def test_arrows_in_the_search_box_move_through_the_table_it_filters(qtbot, workspace: Workspace) -> None:
    hamlet = list_hamlets(workspace)[0].id
    for code, head in (("00001", "Nguyễn Văn Đức"), ("00002", "Trần Thị Ánh"), ("00003", "Lê Văn Tám")):
        household_service.create_household(workspace, HouseholdInput(code, head, hamlet))
    model = HouseholdPickModel()
    model.set_rows(household_service.list_households(workspace))
    table = register_table(model)
    search = QLineEdit()
    qtbot.addWidget(table)
    qtbot.addWidget(search)
    SearchSteersTable(search, table)
    table.selectRow(0)
    press(search, Qt.Key.Key_Down)
    press(search, Qt.Key.Key_Down)
    press(search, Qt.Key.Key_Down)  # held at the last row
    assert selected_row(table) == 2
    press(search, Qt.Key.Key_Up)
    assert selected_row(table) == 1
    type_text(search, "ab")  # other keys still type
    assert search.text() == "ab"
