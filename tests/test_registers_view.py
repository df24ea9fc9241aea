"""The clans, units and hamlets registers driven through their real widgets, keyboard first."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox

from khuyenhoc_desktop.domain.clan import ClanInput
from khuyenhoc_desktop.domain.household import HouseholdInput, MemberInput
from khuyenhoc_desktop.domain.unit import UnitInput, UnitKind
from khuyenhoc_desktop.services import clans as clan_service
from khuyenhoc_desktop.services import hamlet_register
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services import units as unit_service
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.clan_dialog import ClanDialog
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog
from khuyenhoc_desktop.ui.main_window import MainWindow
from khuyenhoc_desktop.ui.models.register_models import ClansModel, HouseholdPickModel, UnitsModel
from khuyenhoc_desktop.ui.views.clans_view import ClansView, RegisterPage
from khuyenhoc_desktop.ui.views.hamlets_view import HamletsView
from khuyenhoc_desktop.ui.views.units_view import UnitsView
from tests.gui_helpers import Handler, drive_dialogs, focused, open_main_window, press, shown_page, type_text

CLANS, UNITS, HAMLETS = "Dòng họ", "Đơn vị", "Ấp, khu phố"


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[Handler]:
    return drive_dialogs(monkeypatch, RecordFormDialog)


@pytest.fixture
def window(qtbot, workspace: Workspace, messages, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    return open_main_window(
        qtbot, workspace, monkeypatch, (CLANS, ClansView), (UNITS, UnitsView), (HAMLETS, HamletsView)
    )


def page(window: MainWindow, title: str) -> ClansView:
    return shown_page(window, title, RegisterPage)  # type: ignore[return-value]  # every page here is one


def hamlet_id(workspace: Workspace, name: str) -> str:
    return next(h.id for h in list_hamlets(workspace) if h.name == name)


def add_household(workspace: Workspace, code: str, head: str, hamlet: str = "Ấp Vĩnh Thạnh") -> str:
    return household_service.create_household(workspace, HouseholdInput(code, head, hamlet_id(workspace, hamlet)))


def add_clan(workspace: Workspace, name: str, representative: str = "") -> str:
    return clan_service.create_clan(
        workspace, ClanInput(name, representative, (hamlet_id(workspace, "Ấp Vĩnh Thạnh"),))
    )


def names(view: ClansView, column: int = 0) -> list[str]:
    return [view.model.index(i, column).data() for i in range(view.model.rowCount())]


# -- clans ------------------------------------------------------------------------------------------


def test_add_a_clan_with_two_hamlets_and_two_households_picked_by_search(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler]
) -> None:
    duc = add_household(workspace, "00001", "Nguyễn Văn Đức")
    anh = add_household(workspace, "00002", "Nguyễn Thị Ánh", "Ấp Phước Lợi")
    add_household(workspace, "00003", "Trần Văn Bảy")
    view = page(window, CLANS)

    def fill(dialog: RecordFormDialog) -> None:
        assert isinstance(dialog, ClanDialog)
        assert focused() is dialog.name
        type_text(focused(), "Họ Nguyễn Văn")
        press(focused(), Qt.Key.Key_Return)  # → người đại diện
        type_text(focused(), "Nguyễn Văn Tư")
        press(focused(), Qt.Key.Key_Return)  # → các ấp
        hamlets = focused()
        assert hamlets is dialog.hamlets
        press(hamlets, Qt.Key.Key_Space)  # Ấp Vĩnh Thạnh, the first
        press(hamlets, Qt.Key.Key_Right)
        press(hamlets, Qt.Key.Key_Space)  # Ấp Phước Lợi
        press(hamlets, Qt.Key.Key_Return)  # → tìm hộ
        assert focused() is dialog.household_search
        type_text(focused(), "nguyen duc")  # no accents
        assert dialog.found_model.rowCount() == 1
        press(focused(), Qt.Key.Key_Return)  # adds Nguyễn Văn Đức and empties the search
        type_text(focused(), "phuoc loi")  # by hamlet
        assert [r.head_name for r in dialog.found_model.rows()] == ["Nguyễn Thị Ánh"]
        press(focused(), Qt.Key.Key_Return)
        assert [r.code for r in dialog.chosen_model.rows()] == ["00001", "00002"]
        assert dialog.chosen_label.text() == "Hộ thành viên: 2 hộ"
        assert [r.code for r in dialog.found_model.rows()] == ["00003"]  # the chosen ones are not offered again
        press(focused(), Qt.Key.Key_Return)  # empty search: → ghi chú
        assert focused() is dialog.note
        type_text(focused(), "Có nhà thờ họ ở Ấp Vĩnh Thạnh")
        press(focused(), Qt.Key.Key_Return)  # last field: saves

    dialogs.append(fill)
    view.add_button.click()

    assert not dialogs
    row = view.current()
    assert row is not None
    assert (row.name, row.representative, row.hamlet_names, row.household_ids, row.note) == (
        "Họ Nguyễn Văn", "Nguyễn Văn Tư", "Ấp Phước Lợi, Ấp Vĩnh Thạnh", (duc, anh), "Có nhà thờ họ ở Ấp Vĩnh Thạnh",
    )  # fmt: skip
    assert view.model.index(0, ClansModel.COL_HOUSEHOLDS).data() == "2"
    assert window.undo_action.text() == "Hoàn tác: Thêm dòng họ «Họ Nguyễn Văn»"


def test_edit_a_clan_with_enter_and_take_a_household_out(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler]
) -> None:
    a = add_household(workspace, "00001", "Nguyễn Văn Đức")
    b = add_household(workspace, "00002", "Nguyễn Thị Ánh")
    clan_service.create_clan(
        workspace, ClanInput("Họ Nguyễn", "Nguyễn Văn Tư", (hamlet_id(workspace, "Ấp Vĩnh Thạnh"),), (a, b))
    )
    view = page(window, CLANS)
    view.reload()
    view.table.setFocus()

    def change(dialog: RecordFormDialog) -> None:
        assert isinstance(dialog, ClanDialog)
        assert dialog.name.text() == "Họ Nguyễn"
        checked = [dialog.hamlets.item(i).checkState() == Qt.CheckState.Checked for i in range(3)]
        assert checked == [True, False, False]
        assert [r.code for r in dialog.chosen_model.rows()] == ["00001", "00002"]
        dialog.chosen.setFocus()
        dialog.chosen.selectRow(0)
        press(dialog.chosen, Qt.Key.Key_Delete)  # Bỏ ra
        assert [r.code for r in dialog.chosen_model.rows()] == ["00002"]
        assert "00001" in [r.code for r in dialog.found_model.rows()]  # offered again
        dialog.representative.setText("Nguyễn Văn Năm")
        dialog.save_button.click()

    dialogs.append(change)
    press(view.table, Qt.Key.Key_Return)

    assert not dialogs
    row = view.current()
    assert row is not None
    assert (row.representative, row.household_ids, row.household_count) == ("Nguyễn Văn Năm", (b,), 1)
    assert window.undo_action.text() == "Hoàn tác: Sửa dòng họ «Họ Nguyễn»"


def test_delete_a_clan_restore_it_from_the_bin_and_ctrl_z(window: MainWindow, workspace: Workspace, messages) -> None:
    add_clan(workspace, "Họ Nguyễn")
    add_clan(workspace, "Họ Trần")
    view = page(window, CLANS)
    view.reload()
    view.table.setFocus()
    view.table.selectRow(0)

    messages.answers.append(0)  # "Xóa"
    press(view.table, Qt.Key.Key_Delete)
    assert names(view) == ["Họ Trần"]
    assert messages.texts[-1].startswith("Chuyển dòng họ «Họ Nguyễn» vào thùng rác?")

    window.show_page("Thùng rác")
    bin_model = window.recycle_bin.model
    assert [(r.kind_label, r.label, r.detail) for r in bin_model.rows()] == [("Dòng họ", "Họ Nguyễn", "Ấp Vĩnh Thạnh")]
    window.recycle_bin.table.setFocus()
    press(window.recycle_bin.table, Qt.Key.Key_Return)  # Khôi phục
    assert bin_model.rowCount() == 0
    assert names(page(window, CLANS)) == ["Họ Nguyễn", "Họ Trần"]

    press(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the restore
    assert names(view) == ["Họ Trần"]
    press(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the delete
    assert names(view) == ["Họ Nguyễn", "Họ Trần"]
    window.show_page("Thùng rác")
    assert window.recycle_bin.model.rowCount() == 0


def test_search_ignores_accents_and_finds_clans_by_hamlet(window: MainWindow, workspace: Workspace) -> None:
    add_clan(workspace, "Họ Nguyễn", "Nguyễn Văn Tư")
    add_clan(workspace, "Họ Trần")
    clan_service.create_clan(workspace, ClanInput("Dòng họ Lê", hamlet_ids=(hamlet_id(workspace, "Ấp Đông Điền"),)))
    view = page(window, CLANS)
    view.reload()
    assert view.count_label.text() == "3 dòng họ"

    view.focus_search()
    type_text(view.search, "ho nguyen")
    assert names(view) == ["Họ Nguyễn"]
    assert view.count_label.text() == "Tìm thấy 1 / 3 dòng họ"
    view.search.clear()
    type_text(view.search, "DONG DIEN")
    assert names(view) == ["Dòng họ Lê"]
    press(view.search, Qt.Key.Key_Return)  # Enter goes to the table, the match selected
    assert focused() is view.table
    assert view.current() is not None and view.current().name == "Dòng họ Lê"


def test_clans_and_units_sort_the_vietnamese_way(window: MainWindow, workspace: Workspace) -> None:
    for name, representative in (
        ("Họ Trương", "Trương Văn Ân"),
        ("Dòng họ Đặng", "Đặng Thị Yến"),
        ("Họ Dương", "Dương Văn Bé"),
        ("Họ Ông", "Ông Văn Đức"),
        ("Dòng họ Âu", "Âu Thị Dung"),
    ):
        add_clan(workspace, name, representative)
    view = page(window, CLANS)
    view.reload()
    assert names(view) == ["Dòng họ Âu", "Họ Dương", "Dòng họ Đặng", "Họ Ông", "Họ Trương"]
    view.table.sortByColumn(ClansModel.COL_NAME, Qt.SortOrder.DescendingOrder)
    assert names(view) == ["Họ Trương", "Họ Ông", "Dòng họ Đặng", "Họ Dương", "Dòng họ Âu"]
    view.table.sortByColumn(ClansModel.COL_REPRESENTATIVE, Qt.SortOrder.AscendingOrder)  # by given name
    assert names(view, ClansModel.COL_REPRESENTATIVE) == [
        "Trương Văn Ân", "Dương Văn Bé", "Âu Thị Dung", "Ông Văn Đức", "Đặng Thị Yến",
    ]  # fmt: skip

    for name, staff in (("Ủy ban nhân dân xã", 25), ("Trường Mầm non Ánh Dương", 18), ("Hợp tác xã Ấp Mới", 120)):
        unit_service.create_unit(workspace, UnitInput(name, UnitKind.OTHER, staff_count=staff))
    units = page(window, UNITS)
    units.reload()
    assert names(units) == ["Hợp tác xã Ấp Mới", "Trường Mầm non Ánh Dương", "Ủy ban nhân dân xã"]
    units.table.sortByColumn(UnitsModel.COL_STAFF, Qt.SortOrder.DescendingOrder)  # numbers as numbers
    assert names(units, UnitsModel.COL_STAFF) == ["120", "25", "18"]


def test_a_validation_message_is_shown_in_the_clan_form_and_nothing_is_written(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler]
) -> None:
    add_clan(workspace, "Họ Nguyễn Văn")
    view = page(window, CLANS)
    view.reload()
    seen: list[tuple[str, bool]] = []

    def attempt(dialog: RecordFormDialog) -> None:
        assert isinstance(dialog, ClanDialog)
        dialog.name.setText("Họ Lê")
        dialog.save_button.click()  # no hamlet ticked
        seen.append((dialog.error.text(), focused() is dialog.hamlets))
        dialog.hamlets.item(1).setCheckState(Qt.CheckState.Checked)
        dialog.name.setText("HỌ NGUYỄN VĂN")
        dialog.save_button.click()  # the same clan, in capitals
        seen.append((dialog.error.text(), focused() is dialog.name))
        assert dialog.isVisible()
        dialog.reject()

    dialogs.append(attempt)
    view.add_button.click()

    assert seen == [
        ("Dòng họ «Họ Lê» — ô «Các ấp có dòng họ»: hãy chọn ít nhất một ấp có dòng họ sinh sống.", True),
        ("Dòng họ «HỌ NGUYỄN VĂN» — ô «Tên dòng họ»: trùng với dòng họ «Họ Nguyễn Văn» đã có trong sổ.", True),
    ]
    assert [r.name for r in clan_service.list_clans(workspace)] == ["Họ Nguyễn Văn"]
    assert workspace.history.undo_label == "Thêm dòng họ «Họ Nguyễn Văn»"  # no new step


# -- units ------------------------------------------------------------------------------------------


def test_add_a_unit_with_kind_and_staff_count_by_keyboard(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler]
) -> None:
    view = page(window, UNITS)

    def fill(dialog: RecordFormDialog) -> None:
        type_text(focused(), "Trường Tiểu học Phước Vĩnh Tây")
        press(focused(), Qt.Key.Key_Return)  # → loại
        assert isinstance(focused(), QComboBox)
        press(focused(), Qt.Key.Key_Down)  # Trường học
        press(focused(), Qt.Key.Key_Return)  # → người đứng đầu
        type_text(focused(), "Phạm Thị Lan")
        press(focused(), Qt.Key.Key_Return)  # → số cán bộ
        assert isinstance(focused(), QSpinBox)
        type_text(focused(), "42")
        press(focused(), Qt.Key.Key_Return)  # → ấp
        press(focused(), Qt.Key.Key_Down)  # Ấp Vĩnh Thạnh
        press(focused(), Qt.Key.Key_Return)  # → địa chỉ
        press(focused(), Qt.Key.Key_Return)  # → điện thoại
        type_text(focused(), "0272 3870 123")
        press(focused(), Qt.Key.Key_Return)  # → ghi chú
        press(focused(), Qt.Key.Key_Return)  # saves

    dialogs.append(fill)
    view.table.setFocus()
    press(view.table, Qt.Key.Key_Insert)

    assert not dialogs, "Insert did not open the unit form"
    row = view.current()
    assert row is not None
    assert (row.name, row.kind_label, row.head_name, row.staff_count, row.hamlet_name, row.phone) == (
        "Trường Tiểu học Phước Vĩnh Tây", "Trường học", "Phạm Thị Lan", 42, "Ấp Vĩnh Thạnh", "02723870123",
    )  # fmt: skip
    assert view.model.index(0, UnitsModel.COL_PHONE).data() == "0272 387 0123"
    assert window.undo_action.text() == "Hoàn tác: Thêm đơn vị «Trường Tiểu học Phước Vĩnh Tây»"


@pytest.mark.parametrize(
    ("fill", "field", "expected"),
    [
        ({"kind": 0}, "kind", "Đơn vị «Công ty TNHH Minh Phát» — ô «Loại đơn vị»: chưa chọn loại đơn vị."),
        ({"name": ""}, "name", "Đơn vị mới — ô «Tên đơn vị»: chưa nhập tên đơn vị."),
        ({"phone": "12345"}, "phone", "ô «Điện thoại»: «12345» không phải số điện thoại Việt Nam"),
        (
            {"name": "ỦY BAN NHÂN DÂN XÃ"},
            "name",
            "ô «Tên đơn vị»: trùng với đơn vị «Ủy ban nhân dân xã» đã có trong sổ.",
        ),
    ],
)
def test_unit_form_shows_each_validation_message_and_writes_nothing(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler], fill: dict, field: str, expected: str
) -> None:
    unit_service.create_unit(workspace, UnitInput("Ủy ban nhân dân xã", UnitKind.AGENCY))
    view = page(window, UNITS)
    view.reload()
    before = unit_service.list_units(workspace)
    seen: dict[str, object] = {}

    def attempt(dialog: RecordFormDialog) -> None:
        values: dict[str, object] = {"name": "Công ty TNHH Minh Phát", "kind": 4, **fill}
        for name, value in values.items():
            widget = dialog.fields[name]
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(value)  # type: ignore[arg-type]
            else:
                widget.setText(value)  # type: ignore[attr-defined]
        dialog.save_button.click()
        seen.update(visible=dialog.isVisible(), error=dialog.error.text(), focus=focused() is dialog.fields[field])
        dialog.reject()

    dialogs.append(attempt)
    view.add_button.click()

    assert seen["visible"] is True and seen["focus"] is True
    assert expected in str(seen["error"])
    assert unit_service.list_units(workspace) == before


# -- hamlets ----------------------------------------------------------------------------------------


def test_edit_a_hamlets_leader_and_see_its_figures(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler]
) -> None:
    household = add_household(workspace, "00001", "Võ Thị Sáu", "Ấp Phước Lợi")
    household_service.add_member(workspace, household, MemberInput("Võ Minh Tâm"))
    clan_service.create_clan(workspace, ClanInput("Họ Võ", hamlet_ids=(hamlet_id(workspace, "Ấp Phước Lợi"),)))
    view = page(window, HAMLETS)
    view.reload()
    assert names(view) == ["Ấp Đông Điền", "Ấp Phước Lợi", "Ấp Vĩnh Thạnh"]  # Đ after D, before P
    view.select_id(hamlet_id(workspace, "Ấp Phước Lợi"))
    assert [view.model.index(1, c).data() for c in range(1, 6)] == ["", "1", "2", "1", "0"]

    def change(dialog: RecordFormDialog) -> None:
        assert focused() is dialog.fields["hamlets"]
        press(focused(), Qt.Key.Key_Return)  # name unchanged → trưởng ấp
        type_text(focused(), "Huỳnh Văn Nghĩa")
        press(focused(), Qt.Key.Key_Return)  # → ghi chú
        type_text(focused(), "Ấp văn hóa")
        press(focused(), Qt.Key.Key_Return)  # saves

    dialogs.append(change)
    view.table.setFocus()
    press(view.table, Qt.Key.Key_Return)

    row = view.current()
    assert row is not None
    assert (row.name, row.leader_name, row.note) == ("Ấp Phước Lợi", "Huỳnh Văn Nghĩa", "Ấp văn hóa")
    assert window.undo_action.text() == "Hoàn tác: Sửa thông tin ấp «Ấp Phước Lợi»"  # one step: the name stayed
    press(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.current() is not None and view.current().leader_name == ""


def test_add_rename_and_remove_hamlets_with_settings_rules(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler], messages
) -> None:
    add_household(workspace, "00001", "Võ Thị Sáu", "Ấp Phước Lợi")
    view = page(window, HAMLETS)
    seen: list[str] = []

    def add(dialog: RecordFormDialog) -> None:
        name = dialog.fields["hamlets"]
        assert isinstance(name, QLineEdit)
        name.setText("ap phuoc loi")  # the same hamlet, without accents
        dialog.save_button.click()
        seen.append(dialog.error.text())
        name.setText("Khu phố 3")
        dialog.fields["leader_name"].setText("Lê Văn Hai")  # type: ignore[attr-defined]
        dialog.save_button.click()

    dialogs.append(add)
    view.add_button.click()
    assert seen == ["Ấp «ap phuoc loi» — ô «Ấp, thôn, khu phố»: trùng với ấp «Ấp Phước Lợi»."]
    row = view.current()
    assert row is not None and (row.name, row.leader_name) == ("Khu phố 3", "Lê Văn Hai")

    def rename(dialog: RecordFormDialog) -> None:
        dialog.fields["hamlets"].setText("Khu phố Ba")  # type: ignore[attr-defined]
        dialog.save_button.click()

    dialogs.append(rename)
    view.edit_button.click()
    assert "Khu phố Ba" in names(view)
    assert window.undo_action.text() == "Hoàn tác: Đổi tên ấp thành «Khu phố Ba»"

    view.select_id(hamlet_id(workspace, "Ấp Phước Lợi"))
    assert focused() is view.table  # back in the table after the form
    messages.answers.append(0)
    press(view.table, Qt.Key.Key_Delete)
    assert messages.texts[-1] == "Không thể xóa ấp «Ấp Phước Lợi»: còn 1 hộ thuộc ấp này."
    assert "Ấp Phước Lợi" in names(view)

    unit_service.create_unit(workspace, UnitInput("Trường Mầm non", UnitKind.SCHOOL, hamlet_id=row.id))
    view.reload()
    view.select_id(row.id)
    messages.answers.append(0)
    press(view.table, Qt.Key.Key_Delete)
    assert "1 đơn vị đang ghi ấp này vẫn giữ liên kết" in messages.texts[-1]
    assert "Khu phố Ba" not in names(view)


def test_renaming_a_hamlet_and_changing_its_leader_is_one_step_to_undo(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler]
) -> None:
    view = page(window, HAMLETS)
    view.select_id(hamlet_id(workspace, "Ấp Phước Lợi"))

    def change(dialog: RecordFormDialog) -> None:
        dialog.fields["hamlets"].setText("Khu phố Phước Lợi")  # type: ignore[attr-defined]
        dialog.fields["leader_name"].setText("Huỳnh Văn Nghĩa")  # type: ignore[attr-defined]
        dialog.save_button.click()

    dialogs.append(change)
    view.edit_button.click()
    row = view.current()
    assert row is not None and (row.name, row.leader_name) == ("Khu phố Phước Lợi", "Huỳnh Văn Nghĩa")
    assert window.undo_action.text() == "Hoàn tác: Đổi tên ấp thành «Khu phố Phước Lợi», sửa trưởng ấp, ghi chú"

    press(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one Ctrl+Z takes back both
    row = view.current()
    assert row is not None and (row.name, row.leader_name) == ("Ấp Phước Lợi", "")
    assert not window.undo_action.isEnabled()


# -- models -----------------------------------------------------------------------------------------


def test_every_register_model_passes_qtmodeltester(qtmodeltester, window: MainWindow, workspace: Workspace) -> None:
    household = add_household(workspace, "00001", "Nguyễn Văn Đức")
    vinh_thanh = hamlet_id(workspace, "Ấp Vĩnh Thạnh")
    clan_service.create_clan(workspace, ClanInput("Họ Nguyễn", hamlet_ids=(vinh_thanh,), household_ids=(household,)))
    unit_service.create_unit(workspace, UnitInput("Trường Mầm non", UnitKind.SCHOOL, staff_count=12))
    hamlet_register.update_hamlet_details(workspace, vinh_thanh, "Nguyễn Văn Tư", "")
    picker = HouseholdPickModel()
    picker.set_rows(household_service.list_households(workspace))
    models = [picker]
    for title in (CLANS, UNITS, HAMLETS):
        view = page(window, title)
        view.reload()
        models.append(view.model)
    for model in models:
        assert model.rowCount() > 0
        qtmodeltester.check(model)
        model.set_query("nguyen")
        qtmodeltester.check(model)


def test_the_household_picker_searches_code_head_and_hamlet(workspace: Workspace, qtbot) -> None:
    add_household(workspace, "00001", "Nguyễn Văn Đức")
    add_household(workspace, "00002", "Đặng Thị Ánh", "Ấp Đông Điền")
    model = HouseholdPickModel()
    model.set_rows(household_service.list_households(workspace))
    for query, expected in (
        ("00002", ["00002"]),
        ("dang", ["00002"]),
        ("dong dien", ["00002"]),
        ("d", ["00001", "00002"]),
    ):
        model.set_query(query)
        assert [r.code for r in model.rows()] == expected, query
    model.set_query("d", lambda r: r.code != "00001", "without 00001")  # a changed scope searches all rows again
    assert [r.code for r in model.rows()] == ["00002"]
    model.set_query("")
    assert model.rowCount() == 2


def test_typing_on_narrows_by_the_new_words_only_and_a_changed_word_searches_again(workspace: Workspace, qtbot) -> None:
    for code, head in (("00001", "Nguyễn Văn Đức"), ("00002", "Nguyễn Thị Đào"), ("00003", "Trần Văn Đức")):
        add_household(workspace, code, head)
    model = HouseholdPickModel()
    model.set_rows(household_service.list_households(workspace))
    for typed, expected in (
        ("nguyen", ["00001", "00002"]),
        ("nguyen ", ["00001", "00002"]),  # a trailing space: same words
        ("nguyen duc", ["00001"]),
        ("nguyen duc ", ["00001"]),
        ("nguyen duc dao", []),
        ("tran", ["00003"]),  # not a longer query: all rows again
        ("tran duc", ["00003"]),
    ):
        model.set_query(typed)
        assert [r.code for r in model.rows()] == expected, typed
