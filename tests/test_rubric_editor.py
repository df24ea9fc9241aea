"""The rubric editor and the rubrics page, driven through their real widgets."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit

from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services import rubrics
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.rubric_editor import USED_NOTE, RubricEditor
from khuyenhoc_desktop.ui.views.rubrics_view import RubricsView
from tests.conftest import MessageLog
from tests.gui_helpers import press, type_text
from tests.test_rubrics_service import audit, raw_row, use

Handler = Callable[[RubricEditor], None]


def open_editor(qtbot, workspace: Workspace, rubric_id: str) -> RubricEditor:
    editor = RubricEditor(workspace, rubric_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        QApplication.setActiveWindow(editor)
    return editor


def retype(box: QLineEdit | QAbstractSpinBox, text: str) -> None:
    """Put the cursor in the box, select what is there and type over it, as an officer would."""
    box.setFocus()
    line = box if isinstance(box, QLineEdit) else box.lineEdit()
    line.selectAll()
    press(line, Qt.Key.Key_Delete)
    type_text(line, text)


def family_id(workspace: Workspace) -> str:
    return rubrics.rubric_for(workspace, Title.FAMILY, 2025).id


def test_points_and_pass_mark_edited_with_a_live_total(qtbot, workspace: Workspace, messages: MessageLog) -> None:
    rubric_id = family_id(workspace)
    editor = open_editor(qtbot, workspace, rubric_id)
    assert not editor.used_note.isVisible()
    assert editor.total_label.text() == "trên tổng 100 điểm"
    retype(editor.indicator("1.2").max_points, "15")
    assert editor.total_label.text() == "trên tổng 105 điểm"
    assert editor.criteria[0].item.text(2) == "35 điểm"
    retype(editor.pass_mark, "85")
    retype(editor.indicator("2.1").min_points, "4")
    press(editor.indicator("2.1").min_points, Qt.Key.Key_Return)
    press(editor.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert editor.result() == RubricEditor.DialogCode.Accepted
    assert editor.saved_id == rubric_id
    stored = rubrics.get_rubric(workspace, rubric_id)
    assert (stored.pass_mark, stored.max_points, stored.version) == (85, 105, 1)
    assert next(i for i in stored.indicators if i.code == "1.2").max_points == 15
    assert next(i for i in stored.indicators if i.code == "2.1").min_points == 4
    assert next(i for i in stored.indicators if i.code == "1.1").prefill == "school_age_children_in_school"
    assert messages.texts == []


def test_editing_a_used_rubric_creates_a_new_version_and_says_so(
    qtbot, workspace: Workspace, messages: MessageLog
) -> None:
    rubric_id = family_id(workspace)
    use(workspace, rubric_id)
    before = raw_row(workspace, rubric_id)
    editor = open_editor(qtbot, workspace, rubric_id)
    assert editor.used_note.isVisible() and editor.used_note.text() == USED_NOTE
    retype(editor.name_edit, "Gia đình học tập tỉnh Tây Ninh")
    retype(editor.indicator("4.4").max_points, "10")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.result() == RubricEditor.DialogCode.Accepted
    assert editor.saved_id and editor.saved_id != rubric_id
    assert raw_row(workspace, rubric_id) == before
    new = rubrics.get_rubric(workspace, editor.saved_id)
    assert (new.name, new.version, new.max_points) == ("Gia đình học tập tỉnh Tây Ninh", 2, 105)
    (text,) = messages.texts
    assert "phiên bản 1 đã được dùng để chấm nên được giữ nguyên" in text
    assert "lưu thành phiên bản 2" in text


def test_a_pass_mark_above_the_total_is_refused_in_the_dialog(
    qtbot, workspace: Workspace, messages: MessageLog
) -> None:
    rubric_id = family_id(workspace)
    before, entries = raw_row(workspace, rubric_id), len(audit(workspace))
    editor = open_editor(qtbot, workspace, rubric_id)
    retype(editor.pass_mark, "120")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible() and editor.result() == 0 and editor.saved_id == ""
    assert editor.error.isVisible()
    assert "«Điểm đạt»: phải lớn hơn 0 và không quá tổng 100 điểm." in editor.error.text()
    assert QApplication.focusWidget() is editor.pass_mark
    assert raw_row(workspace, rubric_id) == before
    assert len(audit(workspace)) == entries
    assert messages.texts == []


def test_a_bad_indicator_puts_the_cursor_on_it(qtbot, workspace: Workspace, messages: MessageLog) -> None:
    editor = open_editor(qtbot, workspace, family_id(workspace))
    retype(editor.indicator("3.2").max_points, "0")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "«Chỉ tiêu 3.2»: điểm tối đa phải lớn hơn 0." in editor.error.text()
    assert QApplication.focusWidget() is editor.indicator("3.2").max_points


def test_criteria_and_indicators_added_and_removed(qtbot, workspace: Workspace, messages: MessageLog) -> None:
    rubric_id = family_id(workspace)
    editor = open_editor(qtbot, workspace, rubric_id)
    qtbot.mouseClick(editor.add_criterion_button, Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is editor.criteria[4].name
    type_text(editor.criteria[4].name, "Tham gia hoạt động khuyến học")
    press(editor.criteria[4].name, Qt.Key.Key_Return)  # → the new indicator's code, "5.1"
    assert QApplication.focusWidget() is editor.indicator("5.1").code
    press(editor.indicator("5.1").code, Qt.Key.Key_Return)
    type_text(QApplication.focusWidget(), "Đóng góp quỹ khuyến học của ấp")
    assert editor.total_label.text() == "trên tổng 110 điểm"
    editor.indicator("1.3").text.setFocus()
    qtbot.mouseClick(editor.add_indicator_button, Qt.MouseButton.LeftButton)
    assert [i.code.text() for i in editor.criteria[0].indicators] == ["1.1", "1.2", "1.3", "1.5", "1.4"]
    assert QApplication.focusWidget() is editor.indicator("1.5").text
    type_text(editor.indicator("1.5").text, "Trẻ em đọc sách ở thư viện")
    editor.indicator("2.3").text.setFocus()
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert [i.code.text() for i in editor.criteria[1].indicators] == ["2.1", "2.2"]
    assert editor.total_label.text() == "trên tổng 110 điểm"
    messages.answers = [0]  # "Xóa" the whole criterion
    editor.criteria[3].name.setFocus()
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert "Xóa tiêu chí «Tác động của học tập đối với gia đình» cùng 4 chỉ tiêu" in messages.texts[-1]
    assert [row.item.text(0) for row in editor.criteria] == ["Tiêu chí 1", "Tiêu chí 2", "Tiêu chí 3", "Tiêu chí 4"]
    assert editor.total_label.text() == "trên tổng 90 điểm"
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    stored = rubrics.get_rubric(workspace, rubric_id)
    assert [c.name for c in stored.criteria][-1] == "Tham gia hoạt động khuyến học"
    assert [(i.code, i.text, i.max_points) for i in stored.criteria[-1].indicators] == [
        ("5.1", "Đóng góp quỹ khuyến học của ấp", 10)
    ]
    assert "Trẻ em đọc sách ở thư viện" in [i.text for i in stored.criteria[0].indicators]
    assert stored.max_points == 90


def test_a_new_criterion_needs_a_name_and_indicator_text(qtbot, workspace: Workspace, messages: MessageLog) -> None:
    editor = open_editor(qtbot, workspace, family_id(workspace))
    qtbot.mouseClick(editor.add_criterion_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "«Tiêu chí 5»: chưa nhập tên tiêu chí." in editor.error.text()
    assert QApplication.focusWidget() is editor.criteria[4].name
    type_text(editor.criteria[4].name, "Tham gia hoạt động khuyến học")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "«Chỉ tiêu»: mỗi chỉ tiêu cần có mã và nội dung." in editor.error.text()
    assert QApplication.focusWidget() is editor.indicator("5.1").text
    assert editor.isVisible() and editor.saved_id == ""


def test_a_blank_minimum_means_none_and_the_validity_can_end(qtbot, workspace: Workspace, messages: MessageLog) -> None:
    rubric_id = rubrics.rubric_for(workspace, Title.CITIZEN, 2025).id
    editor = open_editor(qtbot, workspace, rubric_id)
    assert editor.indicator("3").min_points.text() == "5"
    retype(editor.indicator("3").min_points, "")
    assert editor.valid_to.text() == "Không thời hạn"
    retype(editor.valid_to, "2030")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    stored = rubrics.get_rubric(workspace, rubric_id)
    assert [i.min_points for i in stored.indicators] == [5, 5, None, 5, 5, 5, 5, 5, 5, 5]
    assert stored.valid_to == 2030
    # Numbered straight through: a new indicator takes the next number.
    editor = open_editor(qtbot, workspace, rubric_id)
    editor.indicator("10").text.setFocus()
    qtbot.mouseClick(editor.add_indicator_button, Qt.MouseButton.LeftButton)
    assert editor.criteria[2].indicators[-1].code.text() == "11"


def test_enter_moves_on_and_cancel_writes_nothing(qtbot, workspace: Workspace, messages: MessageLog) -> None:
    rubric_id = family_id(workspace)
    before = raw_row(workspace, rubric_id)
    editor = open_editor(qtbot, workspace, rubric_id)
    assert QApplication.focusWidget() is editor.name_edit
    press(editor.name_edit, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is editor.basis_edit
    type_text(editor.basis_edit, " — bản nháp")
    press(editor.basis_edit, Qt.Key.Key_Escape)
    assert editor.result() == RubricEditor.DialogCode.Rejected
    assert raw_row(workspace, rubric_id) == before


# -- the rubrics page ------------------------------------------------------------------------------


@pytest.fixture
def editors(monkeypatch: pytest.MonkeyPatch) -> list[Handler]:
    """Each editor the page opens is handed to the next handler instead of blocking in exec()."""
    handlers: list[Handler] = []

    def exec_(dialog: RubricEditor) -> int:
        dialog.show()
        handlers.pop(0)(dialog)
        return dialog.result()

    monkeypatch.setattr(RubricEditor, "exec", exec_)
    return handlers


@pytest.fixture
def page(qtbot, workspace: Workspace, messages: MessageLog) -> RubricsView:
    view = RubricsView(workspace)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view


def shown(view: RubricsView) -> list[tuple[str, ...]]:
    model = view.model
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))  # type: ignore[misc]
        for r in range(model.rowCount())
    ]


def test_the_page_lists_presets_and_filters_by_title(page: RubricsView, qtmodeltester) -> None:
    assert shown(page)[0] == ("Gia đình học tập", "Gia đình học tập", "1", "80", "100", "2016 – nay", "Chưa")
    assert [row[0] for row in shown(page)] == [
        "Gia đình học tập",
        "Dòng họ học tập",
        "Cộng đồng học tập cấp thôn, ấp, khu phố",
        "Đơn vị học tập",
        "Công dân học tập",
    ]
    page.title_filter.setCurrentIndex(page.title_filter.findData(Title.CITIZEN))
    assert shown(page) == [("Công dân học tập", "Công dân học tập", "1", "80", "100", "2022 – nay", "Chưa")]
    assert page.count_label.text() == "1 bộ tiêu chí"
    assert page.current_rubric() is not None and page.current_rubric().title == Title.CITIZEN
    qtmodeltester.check(page.model)


def test_copy_edit_and_delete_from_the_page(
    qtbot, page: RubricsView, workspace: Workspace, messages: MessageLog, editors: list[Handler]
) -> None:
    signals: list[None] = []
    page.changed.connect(lambda: signals.append(None))
    preset = family_id(workspace)
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    copy = page.current_rubric()
    assert copy is not None and copy.id != preset and (copy.title, copy.version) == (Title.FAMILY, 2)

    def edit(editor: RubricEditor) -> None:
        assert editor.rubric.id == copy.id
        retype(editor.pass_mark, "75")
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    editors.append(edit)
    press(page.table, Qt.Key.Key_Return)
    assert not editors
    row = page.current_rubric()
    assert row is not None and (row.id, row.pass_mark) == (copy.id, 75)
    assert ("Gia đình học tập", "Gia đình học tập", "2", "75", "100", "2016 – nay", "Chưa") in shown(page)

    messages.answers = [0]  # "Xóa"
    press(page.table, Qt.Key.Key_Delete)
    assert "phiên bản 2 vào thùng rác" in messages.texts[-1]
    assert [r.version for r in rubrics.list_rubrics(workspace, Title.FAMILY)] == [1]
    assert len(signals) == 3


def test_a_used_rubric_cannot_be_deleted_from_the_page(page: RubricsView, workspace: Workspace, messages) -> None:
    use(workspace, family_id(workspace))
    page.reload()
    row = page.current_rubric()
    assert row is not None and row.used and shown(page)[0][-1] == "Có"
    assert not page.delete_button.isEnabled()
    page.table.setFocus()
    press(page.table, Qt.Key.Key_Delete)
    (text,) = messages.texts
    assert "đã được dùng để chấm nên không xóa được" in text
    assert len(rubrics.list_rubrics(workspace, Title.FAMILY)) == 1
