"""The learning activities page driven through its real widgets: targets set, sessions and a class typed
by keyboard, and the year's achievement against the target updating as they are saved."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDateEdit, QSpinBox

from khuyenhoc_desktop.domain.activities import ActivityInput, ActivityKind
from khuyenhoc_desktop.services import activities
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.activity_dialog import ActivityDialog, TargetsDialog
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog
from khuyenhoc_desktop.ui.main_window import MainWindow
from khuyenhoc_desktop.ui.views.activities_view import ActivitiesModel, ActivitiesView
from tests.gui_helpers import Handler, drive_dialogs, focused, open_main_window, press, shown_page, type_text

ACTIVITIES = "Hoạt động học tập"
SESSION, TRAINING = ActivityKind.SESSION, ActivityKind.TRAINING


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[Handler]:
    return drive_dialogs(monkeypatch, RecordFormDialog)


@pytest.fixture
def window(qtbot, workspace: Workspace, messages, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    return open_main_window(qtbot, workspace, monkeypatch, (ACTIVITIES, ActivitiesView))


def page(window: MainWindow) -> ActivitiesView:
    return shown_page(window, ACTIVITIES, ActivitiesView)


def strip(view: ActivitiesView, kind: str) -> tuple[str, int, str]:
    bar = view.progress_bars[kind]
    return view.progress_labels[kind].text(), bar.value(), bar.text()


def add_session(workspace: Workspace, day: date, participants: int = 40) -> None:
    activities.create_activity(
        workspace,
        ActivityInput(kind=SESSION, name="Sinh hoạt chuyên đề pháp luật", starts_on=day, participants=participants),
    )


def set_targets_by_keyboard(dialog: RecordFormDialog) -> None:
    assert isinstance(dialog, TargetsDialog)
    assert focused() is dialog.boxes[SESSION]
    type_text(focused(), "2")
    press(focused(), Qt.Key.Key_Return)  # → lớp tập huấn
    type_text(focused(), "1")
    press(focused(), Qt.Key.Key_Return)  # → lớp dạy nghề: left at "Không đặt chỉ tiêu"
    assert focused().text() == "Không đặt chỉ tiêu"  # type: ignore[attr-defined]
    press(focused(), Qt.Key.Key_Return)  # last box: saves


def type_session(topic: str, day: str, attendance: str) -> Handler:
    def fill(dialog: RecordFormDialog) -> None:
        assert isinstance(dialog, ActivityDialog)
        assert focused() is dialog.kind and dialog.kind.currentData() == SESSION
        press(focused(), Qt.Key.Key_Return)  # → chủ đề
        type_text(focused(), topic)
        press(focused(), Qt.Key.Key_Return)  # → lĩnh vực
        type_text(focused(), "Pháp luật")
        press(focused(), Qt.Key.Key_Return)  # → ngày sinh hoạt
        assert isinstance(focused(), QDateEdit)
        type_text(focused(), day)
        press(focused(), Qt.Key.Key_Return)  # a session has no end date: → địa điểm
        assert not dialog.ends_on.isEnabled()
        type_text(focused(), "Trung tâm học tập cộng đồng xã")
        press(focused(), Qt.Key.Key_Return)  # → số người
        assert isinstance(focused(), QSpinBox)
        type_text(focused(), attendance)
        press(focused(), Qt.Key.Key_Return)  # → ghi chú
        press(focused(), Qt.Key.Key_Return)  # saves

    return fill


def type_class(dialog: RecordFormDialog) -> None:
    assert isinstance(dialog, ActivityDialog)
    assert isinstance(focused(), QComboBox)
    press(focused(), Qt.Key.Key_Down)  # Lớp tập huấn
    assert dialog.ends_on.isEnabled()
    press(focused(), Qt.Key.Key_Return)
    type_text(focused(), "Kỹ thuật trồng lúa chất lượng cao")
    press(focused(), Qt.Key.Key_Return)
    type_text(focused(), "Trồng trọt")
    press(focused(), Qt.Key.Key_Return)  # → từ ngày
    assert dialog._form.labelForField(dialog.starts_on).text() == "Từ ngày *"  # type: ignore[union-attr]
    type_text(focused(), "10062025")
    assert dialog.ends_on.date().toPython() == date(2025, 6, 10)  # follows the start while untouched
    press(focused(), Qt.Key.Key_Return)  # → đến ngày
    assert focused() is dialog.ends_on
    type_text(focused(), "12062025")
    press(focused(), Qt.Key.Key_Return)
    type_text(focused(), "Ấp Vĩnh Thạnh")
    press(focused(), Qt.Key.Key_Return)
    type_text(focused(), "35")
    press(focused(), Qt.Key.Key_Return)
    press(focused(), Qt.Key.Key_Return)  # saves


def test_set_targets_then_add_sessions_and_a_class_by_keyboard_and_watch_the_progress(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler]
) -> None:
    add_session(workspace, date(2025, 2, 1), participants=60)
    add_session(workspace, date(2024, 12, 31))  # last year: not counted
    view = page(window)
    view.reload()
    assert view.heading.text().startswith("<b>Hoạt động học tập năm 2025</b>")
    assert strip(view, SESSION) == ("Buổi sinh hoạt: 1 buổi — chưa đặt chỉ tiêu", 0, "Chưa đặt chỉ tiêu")

    dialogs.append(set_targets_by_keyboard)
    view.targets_button.click()
    assert not dialogs
    assert strip(view, SESSION) == ("Buổi sinh hoạt: 1 / 2 buổi — 50,0%", 50, "50,0%")
    assert strip(view, TRAINING) == ("Lớp tập huấn: 0 / 1 lớp — 0,0%", 0, "0,0%")
    assert strip(view, ActivityKind.VOCATIONAL)[0] == "Lớp dạy nghề: 0 lớp — chưa đặt chỉ tiêu"
    assert activities.targets(workspace, 2025) == {"sinh_hoat": 2, "tap_huan": 1}
    assert window.undo_action.text() == "Hoàn tác: Đặt chỉ tiêu năm 2025: sinh hoạt 2 buổi, tập huấn 1 lớp"

    view.table.setFocus()
    dialogs.append(type_session("Phòng chống ma túy học đường", "15032025", "45"))
    press(view.table, Qt.Key.Key_Insert)
    assert not dialogs
    row = view.current()
    assert row is not None
    assert (row.kind, row.name, row.field, row.starts_on, row.ends_on, row.place, row.participants) == (
        SESSION, "Phòng chống ma túy học đường", "Pháp luật", date(2025, 3, 15), None,
        "Trung tâm học tập cộng đồng xã", 45,
    )  # fmt: skip
    assert strip(view, SESSION) == ("Buổi sinh hoạt: 2 / 2 buổi — 100,0%", 100, "100,0%")

    dialogs.append(type_session("An toàn giao thông", "20042025", "80"))
    press(view.table, Qt.Key.Key_Insert)
    assert strip(view, SESSION) == ("Buổi sinh hoạt: 3 / 2 buổi — 150,0%", 100, "150,0%")  # the bar stops at full

    dialogs.append(type_class)
    press(view.table, Qt.Key.Key_Insert)
    assert not dialogs
    row = view.current()
    assert row is not None
    assert (row.kind_label, row.starts_on, row.ends_on, row.participants) == (
        "Tập huấn",
        date(2025, 6, 10),
        date(2025, 6, 12),
        35,
    )
    assert strip(view, TRAINING) == ("Lớp tập huấn: 1 / 1 lớp — 100,0%", 100, "100,0%")
    assert view.model.index(view.model.find(lambda r: r.id == row.id), ActivitiesModel.COL_ENDS).data() == "12/06/2025"
    assert view.totals_label.text() == (
        "Sinh hoạt: 3 buổi, 185 lượt người; lớp tập huấn: 1 lớp, 35 người; lớp dạy nghề: 0 lớp, 0 người"
    )
    assert view.count_label.text() == "4 hoạt động"

    press(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the class
    assert strip(view, TRAINING) == ("Lớp tập huấn: 0 / 1 lớp — 0,0%", 0, "0,0%")
    assert view.model.total() == 3


def test_kind_filter_search_and_delete_update_the_totals_and_progress(
    window: MainWindow, workspace: Workspace, messages, qtmodeltester
) -> None:
    activities.set_target(workspace, 2025, SESSION, 4)
    add_session(workspace, date(2025, 1, 5), 30)
    add_session(workspace, date(2025, 1, 12), 50)
    activities.create_activity(
        workspace,
        ActivityInput(
            kind=TRAINING, name="Tin học văn phòng", field="Tin học", starts_on=date(2025, 5, 5), participants=25
        ),
    )
    view = page(window)
    view.reload()
    qtmodeltester.check(view.model)
    assert strip(view, SESSION)[0] == "Buổi sinh hoạt: 2 / 4 buổi — 50,0%"

    view.kind_filter.setCurrentIndex(view.kind_filter.findData(TRAINING))
    assert [r.name for r in view.model.rows()] == ["Tin học văn phòng"]
    assert view.totals_label.text().startswith("Sinh hoạt: 0 buổi, 0 lượt người; lớp tập huấn: 1 lớp, 25 người")
    view.kind_filter.setCurrentIndex(0)
    view.focus_search()
    type_text(view.search, "phap luat")  # no accents
    assert view.count_label.text() == "Tìm thấy 2 / 3 hoạt động"
    assert view.totals_label.text().startswith("Sinh hoạt: 2 buổi, 80 lượt người; lớp tập huấn: 0 lớp")

    press(view.search, Qt.Key.Key_Return)  # → the table, first match selected
    messages.answers.append(0)  # "Xóa"
    press(view.table, Qt.Key.Key_Delete)
    assert "Chuyển buổi sinh hoạt «Sinh hoạt chuyên đề pháp luật» ngày 05/01/2025 vào thùng rác?" in messages.texts[-1]
    assert strip(view, SESSION) == ("Buổi sinh hoạt: 1 / 4 buổi — 25,0%", 25, "25,0%")
    assert view.totals_label.text().startswith("Sinh hoạt: 1 buổi, 50 lượt người")


def test_a_validation_message_is_shown_in_the_activity_form_and_nothing_is_written(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler]
) -> None:
    view = page(window)
    seen: list[tuple[str, bool]] = []

    def attempt(dialog: RecordFormDialog) -> None:
        assert isinstance(dialog, ActivityDialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData(ActivityKind.VOCATIONAL))
        dialog.save_button.click()  # no name
        seen.append((dialog.error.text(), focused() is dialog.name))
        dialog.name.setText("May công nghiệp")
        dialog.starts_on.setDate(dialog.starts_on.date().addDays(10))
        dialog.ends_on.setDate(dialog.starts_on.date().addDays(-1))
        dialog.save_button.click()  # ends before it starts
        seen.append((dialog.error.text(), focused() is dialog.ends_on))
        assert dialog.isVisible()
        dialog.reject()

    dialogs.append(attempt)
    view.add_button.click()

    assert seen[0] == ("Lớp dạy nghề mới — ô «Tên lớp / chủ đề»: chưa nhập tên lớp.", True)
    assert seen[1][0].startswith("Lớp dạy nghề «May công nghiệp» — ô «Đến ngày»: ngày kết thúc ")
    assert seen[1][1] is True
    assert activities.list_activities(workspace) == []
    assert workspace.history.undo_label is None


def test_an_activity_of_another_year_is_saved_and_the_officer_told_where_it_went(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler], messages
) -> None:
    view = page(window)

    def fill(dialog: RecordFormDialog) -> None:
        assert isinstance(dialog, ActivityDialog)
        dialog.name.setText("Sức khỏe người cao tuổi")
        dialog.starts_on.setDate(dialog.starts_on.date().addYears(-1))
        dialog.save_button.click()

    dialogs.append(fill)
    view.add_button.click()

    assert messages.texts[-1].startswith("Đã lưu. Hoạt động ngày ")
    assert "thuộc năm 2024, nên không hiện trong danh sách năm 2025" in messages.texts[-1]
    assert view.model.total() == 0
    assert [r.starts_on.year for r in activities.list_activities(workspace)] == [2024]
