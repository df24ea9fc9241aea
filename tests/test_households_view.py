"""The households register driven through its real widgets, as an officer at the keyboard would."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QSpinBox

from khuyenhoc_desktop.domain.household import HouseholdInput, MemberInput
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog
from khuyenhoc_desktop.ui.main_window import MainWindow
from khuyenhoc_desktop.ui.models.household_models import HouseholdsModel, MembersModel, RecycleBinModel
from tests.gui_helpers import Handler, drive_dialogs, press, type_text


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[Handler]:
    return drive_dialogs(monkeypatch, RecordFormDialog)


@pytest.fixture
def window(qtbot, workspace: Workspace, messages) -> Iterator[MainWindow]:
    main = MainWindow(workspace)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main


def add(workspace: Workspace, code: str, head: str, hamlet: int = 0, phone: str = "") -> str:
    hamlet_id = list_hamlets(workspace)[hamlet].id
    return household_service.create_household(workspace, HouseholdInput(code, head, hamlet_id, phone=phone))


def heads(window: MainWindow) -> list[str]:
    model = window.households.model
    return [model.row_at(i).head_name for i in range(model.rowCount())]


def test_keyboard_only_entry_of_a_new_household(window: MainWindow, dialogs: list[Handler]) -> None:
    def fill(dialog: RecordFormDialog) -> None:
        assert dialog.focusWidget() is dialog.fields["head_name"]
        type_text(dialog.focusWidget(), "Nguyễn Văn Đức")
        press(dialog.focusWidget(), Qt.Key.Key_Return)  # → năm sinh
        type_text(dialog.focusWidget(), "1968")
        press(dialog.focusWidget(), Qt.Key.Key_Tab)  # → giới tính
        press(dialog.focusWidget(), Qt.Key.Key_Return)  # → ấp
        assert dialog.focusWidget() is dialog.fields["hamlet_id"]
        press(dialog.focusWidget(), Qt.Key.Key_Down)
        press(dialog.focusWidget(), Qt.Key.Key_Return)  # → địa chỉ
        type_text(dialog.focusWidget(), "Số 12, đường Vĩnh Thạnh")
        press(dialog.focusWidget(), Qt.Key.Key_Return)  # → điện thoại
        type_text(dialog.focusWidget(), "0909 123 456")
        press(dialog.focusWidget(), Qt.Key.Key_Return)  # → ghi chú
        type_text(dialog.focusWidget(), "Hộ cận nghèo")
        press(dialog.focusWidget(), Qt.Key.Key_Return)  # last field: saves

    dialogs.append(fill)
    press(window.households.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    assert not dialogs, "Ctrl+N did not open the household form"
    view = window.households
    row = view.current_household()
    assert row is not None
    assert (row.code, row.head_name, row.hamlet_name, row.phone, row.note) == (
        "00001", "Nguyễn Văn Đức", "Ấp Vĩnh Thạnh", "0909123456", "Hộ cận nghèo",
    )  # fmt: skip
    assert view.model.index(0, HouseholdsModel.COL_PHONE).data() == "0909 123 456"
    assert view.members_model.rowCount() == 1
    member = view.members_model.row_at(0)
    assert (member.full_name, member.birth_year, member.relation) == ("Nguyễn Văn Đức", 1968, "chu_ho")


@pytest.mark.parametrize(
    ("fill", "field", "expected"),
    [
        ({"head_name": ""}, "head_name", "«Họ tên chủ hộ»: chưa nhập họ tên chủ hộ"),
        ({"hamlet": 0}, "hamlet_id", "«Ấp»: chưa nhập ấp"),
        ({"phone": "12345"}, "phone", "«Điện thoại»: «12345» không phải số điện thoại Việt Nam"),
        ({"code": "00001"}, "code", "«Mã hộ»: mã hộ «00001» đã có trong sổ (chủ hộ Trần Thị Ánh)"),
        ({"code": ""}, "code", "«Mã hộ»: chưa nhập mã hộ"),
    ],
)
def test_each_validation_message_names_the_field_and_saves_nothing(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler], fill: dict, field: str, expected: str
) -> None:
    add(workspace, "00001", "Trần Thị Ánh")
    window.households.reload()
    seen: dict[str, object] = {}

    def attempt(dialog: RecordFormDialog) -> None:
        dialog.fields["head_name"].setText("Lê Văn Tám")  # type: ignore[attr-defined]
        dialog.fields["hamlet_id"].setCurrentIndex(1)  # type: ignore[attr-defined]
        for name, value in fill.items():
            widget = dialog.fields["hamlet_id" if name == "hamlet" else name]
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(value)
            else:
                widget.setText(value)  # type: ignore[attr-defined]
        dialog.save_button.click()
        seen["visible"] = dialog.isVisible()
        seen["error"] = dialog.error.text()
        seen["focus"] = QApplication.focusWidget() is dialog.fields[field]
        dialog.reject()

    dialogs.append(attempt)
    window.households.add_button.click()

    assert seen["visible"] is True
    assert expected in str(seen["error"])
    assert str(seen["error"]).startswith("Hộ gia đình")
    assert seen["focus"] is True
    assert [r.head_name for r in household_service.list_households(workspace)] == ["Trần Thị Ánh"]


def test_edit_household_with_enter_on_the_table(window: MainWindow, workspace: Workspace, dialogs) -> None:
    add(workspace, "00001", "Trần Thị Ánh")
    window.households.reload()
    window.households.table.selectRow(0)

    def change(dialog: RecordFormDialog) -> None:
        address = dialog.fields["address"]
        assert isinstance(address, QLineEdit)
        address.setText("Tổ 3, Ấp Phước Lợi")
        dialog.fields["hamlet_id"].setCurrentIndex(2)  # type: ignore[attr-defined]
        dialog.save_button.click()

    dialogs.append(change)
    press(window.households.table, Qt.Key.Key_Return)

    row = window.households.model.row_at(0)
    assert (row.address, row.hamlet_name) == ("Tổ 3, Ấp Phước Lợi", "Ấp Phước Lợi")


def test_delete_restore_and_undo_a_household(window: MainWindow, workspace: Workspace, messages) -> None:
    add(workspace, "00001", "Trần Thị Ánh")
    add(workspace, "00002", "Lê Văn An")
    window.households.reload()
    window.households.table.selectRow(0)

    messages.answers.append(0)  # "Xóa"
    press(window.households.table, Qt.Key.Key_Delete)
    assert heads(window) == ["Lê Văn An"]
    assert "Chuyển hộ 00001 — Trần Thị Ánh vào thùng rác?" in messages.texts[-1]

    window.show_page("Thùng rác")
    bin_model = window.recycle_bin.model
    assert bin_model.rowCount() == 1 and bin_model.row_at(0).label == "Hộ 00001 — Trần Thị Ánh"
    window.recycle_bin.restore_button.click()
    assert bin_model.rowCount() == 0
    window.show_page("Hộ gia đình")  # pages re-read what changed elsewhere when they are shown
    assert sorted(heads(window)) == ["Lê Văn An", "Trần Thị Ánh"]

    window.undo_action.trigger()  # undo the restore: back in the bin
    assert heads(window) == ["Lê Văn An"]
    window.show_page("Thùng rác")
    assert window.recycle_bin.model.rowCount() == 1
    window.undo_action.trigger()  # undo the delete
    assert window.recycle_bin.model.rowCount() == 0
    window.show_page("Hộ gia đình")
    assert sorted(heads(window)) == ["Lê Văn An", "Trần Thị Ánh"]
    window.redo_action.trigger()
    assert heads(window) == ["Lê Văn An"]


def test_ctrl_z_undoes_the_last_added_household(window: MainWindow, dialogs: list[Handler], qtbot) -> None:
    def fill(dialog: RecordFormDialog) -> None:
        dialog.fields["head_name"].setText("Phạm Thị Ân")  # type: ignore[attr-defined]
        dialog.fields["hamlet_id"].setCurrentIndex(1)  # type: ignore[attr-defined]
        dialog.save_button.click()

    dialogs.append(fill)
    window.households.add_button.click()
    assert heads(window) == ["Phạm Thị Ân"]
    assert window.undo_action.text() == "Hoàn tác: Thêm hộ 00001"

    press(window.households.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert heads(window) == []
    assert window.redo_action.isEnabled() and not window.undo_action.isEnabled()


def _edit_cell(window: MainWindow, row: int, column: int) -> object:
    """Open the cell's editor the keyboard way (F2) and return it."""
    members = window.households.members
    members.setFocus()
    members.setCurrentIndex(window.households.members_model.index(row, column))
    press(members, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not members
    return editor


def test_members_edited_in_place_with_fitting_editors(window: MainWindow, workspace: Workspace, messages) -> None:
    household = add(workspace, "00001", "Trần Văn Hùng")
    household_service.add_member(workspace, household, MemberInput("Nguyễn Thị Lan", 1985, "nu", "vo_chong"))
    window.households.reload()
    window.households.table.selectRow(0)
    view = window.households
    assert view.members_model.rowCount() == 2

    name = _edit_cell(window, 1, MembersModel.COL_NAME)
    assert isinstance(name, QLineEdit)
    name.selectAll()
    type_text(name, "Nguyễn Thị Lành")
    press(name, Qt.Key.Key_Return)  # saves and moves on to năm sinh
    assert view.members_model.row_at(1).full_name == "Nguyễn Thị Lành"
    assert view.members.currentIndex().column() == MembersModel.COL_BIRTH_YEAR

    year = _edit_cell(window, 1, MembersModel.COL_BIRTH_YEAR)
    assert isinstance(year, QSpinBox)
    year.setValue(1987)
    press(year, Qt.Key.Key_Return)
    status = _edit_cell(window, 1, MembersModel.COL_STATUS)
    assert isinstance(status, QComboBox)
    status.setCurrentIndex(status.findData("hoc_tap_suot_doi"))
    press(status, Qt.Key.Key_Tab)

    stored = household_service.list_members(workspace, household)[1]
    assert (stored.full_name, stored.birth_year, stored.learning_status) == (
        "Nguyễn Thị Lành", 1987, "hoc_tap_suot_doi",
    )  # fmt: skip
    assert view.members_model.index(1, MembersModel.COL_STATUS).data() == "Học tập suốt đời (người lớn)"

    relation = _edit_cell(window, 1, MembersModel.COL_RELATION)
    assert isinstance(relation, QComboBox)
    relation.setCurrentIndex(relation.findData("chu_ho"))
    press(relation, Qt.Key.Key_Return)
    assert view.current_household().head_name == "Nguyễn Thị Lành"  # type: ignore[union-attr]
    assert "Nguyễn Thị Lành" in view.members_title.text()

    window.undo_action.trigger()
    assert view.current_household().head_name == "Trần Văn Hùng"  # type: ignore[union-attr]


def test_bad_member_edit_is_refused_with_a_message(window: MainWindow, workspace: Workspace, messages) -> None:
    add(workspace, "00001", "Trần Văn Hùng")
    window.households.reload()
    window.households.table.selectRow(0)
    name = _edit_cell(window, 0, MembersModel.COL_NAME)
    assert isinstance(name, QLineEdit)
    name.clear()
    press(name, Qt.Key.Key_Return)
    assert messages.texts and "«Họ tên»: chưa nhập họ tên" in messages.texts[-1]
    assert window.households.members_model.row_at(0).full_name == "Trần Văn Hùng"


def test_add_delete_and_restore_a_member(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler], messages
) -> None:
    add(workspace, "00001", "Trần Văn Hùng")
    window.households.reload()
    window.households.table.selectRow(0)

    def fill(dialog: RecordFormDialog) -> None:
        type_text(dialog.fields["full_name"], "Trần Minh Khoa")
        dialog.fields["birth_year"].setValue(2014)  # type: ignore[attr-defined]
        dialog.fields["school"].setText("Trường Tiểu học Phước Vĩnh Tây, lớp 5A")  # type: ignore[attr-defined]
        dialog.save_button.click()

    dialogs.append(fill)
    window.households.add_member_button.click()
    view = window.households
    assert [m.full_name for m in view.members_model.rows()] == ["Trần Văn Hùng", "Trần Minh Khoa"]
    assert view.current_household().member_count == 2  # type: ignore[union-attr]

    view.members.setCurrentIndex(view.members_model.index(1, 0))
    messages.answers.append(0)
    view.delete_member_button.click()
    assert [m.full_name for m in view.members_model.rows()] == ["Trần Văn Hùng"]
    assert view.current_household().member_count == 1  # type: ignore[union-attr]

    view.members.setCurrentIndex(view.members_model.index(0, 0))
    messages.answers.append(0)
    view.delete_member_button.click()
    assert "Không thể xóa chủ hộ Trần Văn Hùng" in messages.texts[-1]

    window.show_page("Thùng rác")
    assert window.recycle_bin.model.row_at(0).label == "Trần Minh Khoa"
    window.recycle_bin.restore_selected()
    window.show_page("Hộ gia đình")
    assert [m.full_name for m in view.members_model.rows()] == ["Trần Văn Hùng", "Trần Minh Khoa"]


def test_search_ignores_accents_and_case_and_filters_by_hamlet(window: MainWindow, workspace: Workspace, qtbot) -> None:
    add(workspace, "00001", "Nguyễn Văn Đức", hamlet=0)
    add(workspace, "00002", "Đặng Thị Mai", hamlet=1)
    add(workspace, "00003", "Nguyễn Văn Dũng", hamlet=1, phone="0912 345 678")
    window.households.reload()
    press(window.households.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = window.households.search
    assert search.hasFocus()

    qtbot.keyClicks(search, "nguyen van duc")
    assert heads(window) == ["Nguyễn Văn Đức"]
    assert window.households.count_label.text() == "Tìm thấy 1 / 3 hộ"
    search.clear()
    qtbot.keyClicks(search, "DANG")
    assert heads(window) == ["Đặng Thị Mai"]
    search.clear()
    type_text(search, "Dũng")
    assert heads(window) == ["Nguyễn Văn Dũng"]
    search.clear()
    qtbot.keyClicks(search, "0912345")
    assert heads(window) == ["Nguyễn Văn Dũng"]

    search.clear()
    qtbot.keyClicks(search, "nguyen")
    window.households.hamlet_filter.setCurrentIndex(window.households.hamlet_filter.findText("Ấp Phước Lợi"))
    assert heads(window) == ["Nguyễn Văn Dũng"]


def test_sort_by_head_follows_vietnamese_name_order(window: MainWindow, workspace: Workspace) -> None:
    names = ["Nguyễn Văn Đức", "Trần Thị Ánh", "Lê Văn An", "Phạm Thị Ân", "Lê Dung", "Võ Văn Ăn", "Đặng Văn Bình"]
    for i, name in enumerate(names):
        add(workspace, f"{i + 1:05d}", name)
    window.households.reload()
    window.households.table.horizontalHeader().sectionClicked.emit(HouseholdsModel.COL_HEAD)  # a header click
    window.households.table.sortByColumn(HouseholdsModel.COL_HEAD, Qt.SortOrder.AscendingOrder)
    assert heads(window) == [
        "Lê Văn An", "Trần Thị Ánh", "Võ Văn Ăn", "Phạm Thị Ân", "Đặng Văn Bình", "Lê Dung", "Nguyễn Văn Đức",
    ]  # fmt: skip
    window.households.table.sortByColumn(HouseholdsModel.COL_HEAD, Qt.SortOrder.DescendingOrder)
    assert heads(window)[0] == "Nguyễn Văn Đức"
    window.households.table.sortByColumn(HouseholdsModel.COL_HAMLET, Qt.SortOrder.AscendingOrder)
    hamlets = [window.households.model.row_at(i).hamlet_name for i in range(7)]
    assert hamlets == ["Ấp Vĩnh Thạnh"] * 7


def test_sort_keeps_the_selected_household_selected(window: MainWindow, workspace: Workspace) -> None:
    for i, name in enumerate(["Nguyễn Văn Đức", "Lê Văn An", "Trần Thị Ánh"]):
        add(workspace, f"{i + 1:05d}", name)
    window.households.reload()
    window.households.table.selectRow(0)  # Nguyễn Văn Đức
    window.households.table.sortByColumn(HouseholdsModel.COL_HEAD, Qt.SortOrder.AscendingOrder)
    assert window.households.current_household().head_name == "Nguyễn Văn Đức"  # type: ignore[union-attr]
    assert window.households.table.currentIndex().row() == 2


def test_every_model_passes_qtmodeltester(qtmodeltester, window: MainWindow, workspace: Workspace) -> None:
    household = add(workspace, "00001", "Trần Văn Hùng")
    household_service.add_member(workspace, household, MemberInput("Trần Minh Khoa", 2014, "nam", "con"))
    other = add(workspace, "00002", "Lê Văn An")
    household_service.delete_household(workspace, other)
    window.households.reload()
    window.households.table.selectRow(0)
    window.recycle_bin.reload()
    for model in (window.households.model, window.households.members_model, window.recycle_bin.model):
        assert model.rowCount() > 0
        qtmodeltester.check(model)
    assert isinstance(window.recycle_bin.model, RecycleBinModel)


def test_status_bar_and_year_selector(window: MainWindow, workspace: Workspace) -> None:
    assert window.unit_label.text() == "Xã Phước Vĩnh Tây, Tây Ninh"
    assert window.officer_label.text() == "Cán bộ: Lê Thị Hoa"
    assert window.year_label.text() == "Năm 2025"
    window.year.setCurrentIndex(window.year.findData(2024))
    assert window.year_label.text() == "Năm 2024"
    assert Workspace(workspace.data_dir).working_year == 2024
    assert [window.navigation.item(i).text() for i in range(window.navigation.count())] == [
        "Hộ gia đình",
        "Dòng họ",
        "Đơn vị",
        "Ấp, khu phố",
        "Công dân học tập",
        "Đăng ký, chấm điểm, công nhận",
        "Học bổng, quà",
        "Sổ quỹ khuyến học",
        "Hoạt động học tập",
        "Mô hình, giấy khen",
        "Thống kê, báo cáo",
        "Bộ tiêu chí",
        "Thùng rác",
    ]


def test_an_unexpected_error_is_logged_and_shown(window: MainWindow, workspace: Workspace, messages) -> None:
    import sys

    from khuyenhoc_desktop.ui.crash import install_excepthook, start_logging

    saved = sys.excepthook
    try:
        log_path = start_logging(workspace.data_dir)
        install_excepthook(log_path)
        try:
            raise RuntimeError("hỏng giữa chừng")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())  # what Qt does with an exception escaping a slot
    finally:
        sys.excepthook = saved
    assert "RuntimeError: hỏng giữa chừng" in Path(log_path).read_text(encoding="utf-8")
    assert messages.shown[-1][0] == "Lỗi không mong muốn"
    assert str(log_path) in messages.texts[-1]
    assert window.isVisible()


def test_one_instance_per_data_folder(workspace: Workspace, qapp) -> None:
    from khuyenhoc_desktop.ui.app import lock_data_dir

    first = lock_data_dir(workspace.data_dir)
    assert first is not None
    assert lock_data_dir(workspace.data_dir) is None
    first.unlock()
    again = lock_data_dir(workspace.data_dir)
    assert again is not None
    again.unlock()


def test_self_test_passes(qapp, tmp_path: Path) -> None:
    from khuyenhoc_desktop.ui.self_test import run_self_test

    lines: list[str] = []
    assert run_self_test(None, lines.append) == 0
    assert lines[-1] == "Tự kiểm tra: đạt."
    assert all(line.startswith("ĐẠT") for line in lines[:-1]) and len(lines) == 14
    assert lines[0].startswith("ĐẠT  Tài nguyên đóng gói")
    assert any(line.startswith("ĐẠT  Nhập lại mẫu danh sách hộ kèm số liệu") for line in lines)
    assert any("Xuất báo cáo PDF" in line for line in lines)
    assert "ĐẠT  Nút, hộp thoại chuẩn của Qt nói tiếng Việt" in lines
    assert "ĐẠT  Tạo xã mẫu Xã Phước Vĩnh Tây (20 hộ)" in lines
    assert "ĐẠT  Xuất và kiểm tra gói số liệu của xã mẫu" in lines
    assert any(line.startswith("ĐẠT  In ") and "giấy công nhận Gia đình học tập năm" in line for line in lines)


def test_self_test_fails_when_a_check_fails(qapp, monkeypatch: pytest.MonkeyPatch) -> None:
    from khuyenhoc_desktop.services import evaluations
    from khuyenhoc_desktop.ui.self_test import run_self_test

    monkeypatch.setattr(evaluations, "list_decisions", lambda *args, **kwargs: [])
    lines: list[str] = []
    assert run_self_test(None, lines.append) == 1
    assert "LỖI  Xã mẫu có quyết định công nhận Gia đình học tập" in lines
    assert lines[-1] == "Tự kiểm tra: 1 mục lỗi."


def test_search_widens_on_backspace_and_sees_edited_rows(window: MainWindow, workspace: Workspace, qtbot) -> None:
    add(workspace, "00001", "Nguyễn Văn Đức")
    other = add(workspace, "00002", "Trần Thị Ánh")
    window.households.reload()
    search = window.households.search
    qtbot.keyClicks(search, "nguyen v")
    assert heads(window) == ["Nguyễn Văn Đức"]
    press(search, Qt.Key.Key_Backspace)
    press(search, Qt.Key.Key_Backspace)
    press(search, Qt.Key.Key_Backspace)
    qtbot.keyClicks(search, "x")  # "nguyex": nothing
    assert heads(window) == []
    press(search, Qt.Key.Key_Backspace)
    assert heads(window) == ["Nguyễn Văn Đức"]

    data = household_service.household_input(workspace, other)
    household_service.update_household(workspace, other, replace(data, head_name="Nguyễn Thị Ánh"))
    window.households.model.upsert_rows(household_service.list_households(workspace, [other]))
    qtbot.keyClicks(search, "n")  # "nguyen": lengthening after a data change searches every row again
    assert sorted(heads(window)) == ["Nguyễn Thị Ánh", "Nguyễn Văn Đức"]


def test_the_application_carries_its_icon(qapp) -> None:
    from khuyenhoc_desktop.resources import resources_dir
    from khuyenhoc_desktop.ui.app import application

    assert (resources_dir() / "khuyenhoc.ico").is_file()
    assert not application().windowIcon().isNull()


def test_the_first_household_is_selected_when_the_register_opens(window: MainWindow, workspace: Workspace) -> None:
    assert window.households.current_household() is None
    assert window.households.members_title.text() == "Chọn một hộ để xem các thành viên"
    add(workspace, "00001", "Trần Văn Hùng")
    window.households.reload()
    assert window.households.current_household().head_name == "Trần Văn Hùng"  # type: ignore[union-attr]
    assert window.households.members_model.rowCount() == 1


def test_ctrl_f_searches_the_register_on_screen(window: MainWindow) -> None:
    window.show_page("Dòng họ")
    clans = dict(window.pages)["Dòng họ"]
    press(window.navigation, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert clans.search.hasFocus()  # type: ignore[attr-defined]
    window.show_page("Thống kê, báo cáo")
    press(window.navigation, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.households and window.households.search.hasFocus()


def test_every_register_page_builds_when_first_shown_and_reloads(window: MainWindow) -> None:
    titles = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert [title for title, _ in window.pages] == ["Hộ gia đình", "Thùng rác"]  # the rest wait to be opened
    for title in titles:
        window.show_page(title)
        page = dict(window.pages)[title]
        assert window.stack.currentWidget() is page
        page.reload()  # type: ignore[attr-defined]
    assert [title for title, _ in window.pages] == titles


def test_ctrl_f_reaches_the_citizens_search_without_an_ambiguous_shortcut(window: MainWindow) -> None:
    window.show_page("Công dân học tập")
    citizens = dict(window.pages)["Công dân học tập"]
    press(citizens.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
    assert citizens.search.hasFocus()  # type: ignore[attr-defined]
