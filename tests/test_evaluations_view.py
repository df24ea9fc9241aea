"""The yearly cycle driven through the real widgets: register → score → recognise → the recognised list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from khuyenhoc_desktop.domain.household import HouseholdInput, MemberInput
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services import evaluations, rubrics, subjects
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.decision_dialog import DecisionDialog
from khuyenhoc_desktop.ui.dialogs.score_dialog import ScoreDialog
from khuyenhoc_desktop.ui.models.evaluation_models import EvaluationsModel
from khuyenhoc_desktop.ui.views.evaluations_view import EvaluationsView, RegisterDialog
from tests.gui_helpers import Handler, activate, drive_dialogs, press, type_text


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[Handler]:
    return drive_dialogs(monkeypatch, RegisterDialog, ScoreDialog, DecisionDialog)


@pytest.fixture
def families(workspace: Workspace) -> list[str]:
    """Household 00001 has two children at school; 00002 has none of school age."""
    hamlet_id = list_hamlets(workspace)[0].id
    first = household_service.create_household(workspace, HouseholdInput("00001", "Nguyễn Văn An", hamlet_id))
    for name, born, status in (("Nguyễn Văn Tí", 2012, "thcs"), ("Nguyễn Thị Tèo", 2016, "tieu_hoc")):
        household_service.add_member(workspace, first, MemberInput(name, born, learning_status=status))
    second = household_service.create_household(workspace, HouseholdInput("00002", "Trần Thị Bình", hamlet_id))
    return [first, second]


@pytest.fixture
def view(qtbot, workspace: Workspace, families: list[str], messages) -> Iterator[EvaluationsView]:
    page = EvaluationsView(workspace)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    yield page


def give_keys(widget: QWidget) -> None:
    """The keyboard to `widget` in its window, as a click would (key shortcuts need both)."""
    activate(widget)
    widget.setFocus()


def focused(dialog: QWidget) -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None and dialog.isAncestorOf(widget), "the focus left the dialog"
    return widget


def type_points(dialog: ScoreDialog, values: list[int]) -> list[tuple[str, str]]:
    """Type each indicator's points and Enter, as an officer would; returns total and verdict after each."""
    seen = []
    for value in values:
        widget = focused(dialog)
        press(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(widget, str(value))
        seen.append((dialog.total_label.text(), dialog.reason_label.text()))
        press(widget, Qt.Key.Key_Return)
    return seen


def rows(page: EvaluationsView) -> list[tuple[str, str, str]]:
    model = page.model
    return [
        (
            model.index(i, EvaluationsModel.COL_SUBJECT).data(),
            model.index(i, EvaluationsModel.COL_RESULT).data(),
            model.index(i, EvaluationsModel.COL_STATUS).data(),
        )
        for i in range(model.rowCount())
    ]


def test_register_score_and_recognise_through_the_widgets(
    view: EvaluationsView, workspace: Workspace, dialogs: list[Handler]
) -> None:
    assert view.title_box.currentText() == "Gia đình học tập"
    assert view.year_label.text() == "Năm 2025"
    saves: list[None] = []
    view.changed.connect(lambda: saves.append(None))

    def register(dialog: QDialog) -> None:
        assert isinstance(dialog, RegisterDialog)
        assert dialog.model.rowCount() == 2
        type_text(focused(dialog), "binh")  # the search ignores accents
        assert dialog.model.rowCount() == 1
        press(focused(dialog), Qt.Key.Key_Return)  # → the list
        assert focused(dialog) is dialog.table
        press(dialog.table, Qt.Key.Key_Space)  # tick Trần Thị Bình
        dialog.search.clear()
        dialog.table.selectRow(dialog.model.find(lambda r: r.name == "Nguyễn Văn An"))
        press(dialog.table, Qt.Key.Key_Space)
        assert dialog.count_label.text() == "Đã chọn 2 / 2"
        assert dialog.registered_on.displayFormat() == "dd/MM/yyyy"
        dialog.registered_on.setDate(QDate(2025, 3, 10))
        press(dialog.table, Qt.Key.Key_Return)  # Enter registers

    dialogs.append(register)
    view.register_button.click()
    assert not dialogs
    assert rows(view) == [
        ("Nguyễn Văn An", "", "Đã đăng ký"),
        ("Trần Thị Bình", "", "Đã đăng ký"),
    ]
    assert {r.registered_on for r in view.model.all_rows()} == {date(2025, 3, 10)}

    def score_passing(dialog: QDialog) -> None:
        assert isinstance(dialog, ScoreDialog)
        assert dialog.spins["1.1"].value() == 10  # prefilled: both children at school
        assert "Tự điền: 2/2 trẻ trong độ tuổi đang đi học" in dialog._prefill_items["1.1"].text()
        assert focused(dialog) in (dialog.spins["1.1"], *dialog.spins["1.1"].findChildren(QWidget))
        assert dialog.total_label.text() == "Tổng điểm: 10/100"
        seen = type_points(dialog, [i.max_points for i in dialog.form.rubric.indicators])  # the last Enter saves
        assert seen[:2] == [
            ("Tổng điểm: 10/100", "Chưa đạt: thiếu 70 điểm"),
            ("Tổng điểm: 20/100", "Chưa đạt: thiếu 60 điểm"),
        ]
        assert seen[-1] == ("Tổng điểm: 100/100", "Đạt")

    dialogs.append(score_passing)
    view.table.selectRow(0)
    give_keys(view.table)
    press(view.table, Qt.Key.Key_Return)
    assert not dialogs

    def score_failing(dialog: QDialog) -> None:
        assert isinstance(dialog, ScoreDialog)
        values = [5] * len(dialog.spins)  # 15 indicators: 75 points
        type_points(dialog, values)

    dialogs.append(score_failing)
    view.table.selectRow(1)
    view.score_button.click()
    assert rows(view) == [
        ("Nguyễn Văn An", "Đạt", "Đã chấm — đạt"),
        ("Trần Thị Bình", "Chưa đạt: thiếu 5 điểm", "Đã chấm — chưa đạt"),
    ]
    assert "sửa điểm tự điền chỉ tiêu 1.1: 10 → 5" in (workspace.history.undo_label or "")

    def decide(dialog: QDialog) -> None:
        assert isinstance(dialog, DecisionDialog)
        assert dialog.records.count() == 1  # only the household that passed
        assert (dialog.signer_title.text(), dialog.signer_name.text()) == ("Chủ tịch", "Nguyễn Văn Tư")
        for _ in range(6):  # number → date → signer title → signer name → note → the records → saves
            press(focused(dialog), Qt.Key.Key_Return)
        # No number yet: the form says so, saves nothing and puts the cursor there.
        assert dialog.error.isVisible() and "chưa nhập số quyết định" in dialog.error.text()
        assert focused(dialog) is dialog.number
        type_text(dialog.number, "25/QĐ-UBND")
        dialog.signed_on.setDate(QDate(2025, 12, 15))
        for _ in range(6):
            press(focused(dialog), Qt.Key.Key_Return)

    dialogs.append(decide)
    view.table.selectRow(0)
    view.recognise_button.click()
    assert not dialogs
    assert rows(view)[0] == ("Nguyễn Văn An", "Đạt", "Đã công nhận")
    assert view.model.index(0, EvaluationsModel.COL_DECISION).data() == "25/QĐ-UBND, 15/12/2025"

    assert view.tabs.currentIndex() == 1
    top = view.recognised.topLevelItem(0)
    assert top.text(0) == "Quyết định số 25/QĐ-UBND ngày 15/12/2025 — Chủ tịch Nguyễn Văn Tư (1 hồ sơ)"
    assert [top.child(i).text(0) for i in range(top.childCount())] == ["Nguyễn Văn An"]
    assert view.recognised_label.text() == "Gia đình học tập năm 2025: 1 được công nhận theo 1 quyết định"
    (decision,) = evaluations.list_decisions(workspace, 2025)
    assert decision.number == "25/QĐ-UBND"
    assert len(saves) == 4  # registered, scored twice, recognised: the main window refreshes undo each time

    def look_only(dialog: QDialog) -> None:
        assert isinstance(dialog, ScoreDialog)
        assert not dialog.save_button.isEnabled()
        assert all(spin.isReadOnly() for spin in dialog.spins.values())
        dialog.reject()

    dialogs.append(look_only)
    view.tabs.setCurrentIndex(0)
    view.table.selectRow(0)
    view.score_selected()  # a recognised record's points can be read, not changed
    assert not dialogs


def test_the_score_dialog_updates_subtotals_and_marks_an_overridden_prefill(
    view: EvaluationsView, workspace: Workspace, families: list[str], dialogs: list[Handler]
) -> None:
    (evaluation_id,) = evaluations.register(workspace, Title.FAMILY, 2025, families[:1], date(2025, 3, 1))
    view.reload()
    rubric = rubrics.rubric_for(workspace, Title.FAMILY, 2025)

    def check(dialog: QDialog) -> None:
        assert isinstance(dialog, ScoreDialog)
        subtotal = dialog._subtotals[0][0]
        assert subtotal.text() == "10/30"
        assert dialog.reason_label.text() == "Chưa đạt: thiếu 70 điểm"
        type_points(dialog, [0, 10, 5])
        assert subtotal.text() == "15/30"
        assert dialog._prefill_items["1.1"].text().startswith("Đã sửa điểm tự điền (10)")
        assert dialog.total_label.text() == "Tổng điểm: 15/100"
        press(focused(dialog), Qt.Key.Key_Escape)

    dialogs.append(check)
    view.score_selected()
    assert not dialogs
    assert evaluations.list_evaluations(workspace, Title.FAMILY, 2025)[0].status == "Đã đăng ký"
    assert len(rubric.indicators) == len(evaluations.score_form(workspace, evaluation_id).rubric.indicators)


def test_filter_search_and_unregister(
    view: EvaluationsView, workspace: Workspace, families: list[str], messages
) -> None:
    first, _second = evaluations.register(workspace, Title.FAMILY, 2025, families, date(2025, 3, 1))
    evaluations.score(workspace, first, {"1.1": 10})
    view.reload()
    view.status_filter.setCurrentText("Đã đăng ký, chưa chấm")
    assert [r[0] for r in rows(view)] == ["Trần Thị Bình"]
    view.status_filter.setCurrentText("Tất cả")
    type_text(view.search, "nguyen van an")
    assert [r[0] for r in rows(view)] == ["Nguyễn Văn An"]
    assert view.count_label.text() == "Hiện 1 / 2 hồ sơ: 1 đã đăng ký, 1 đã chấm — chưa đạt"

    view.table.selectRow(0)
    messages.answers.append(0)
    give_keys(view.table)
    press(view.table, Qt.Key.Key_Delete)
    assert "Hủy đăng ký Gia đình học tập năm 2025 của hộ 00001 (Nguyễn Văn An)?" in messages.texts[-1]
    assert [r.subject_name for r in evaluations.list_evaluations(workspace, Title.FAMILY, 2025)] == ["Trần Thị Bình"]
    assert view.model.total() == 1


def test_models_pass_the_model_tester(
    qtmodeltester, view: EvaluationsView, workspace: Workspace, families: list[str]
) -> None:
    evaluations.register(workspace, Title.FAMILY, 2025, families[:1], date(2025, 3, 1))
    view.reload()
    qtmodeltester.check(view.model)
    dialog = RegisterDialog(workspace, Title.FAMILY, 2025, subjects.list_subjects(workspace, Title.FAMILY), view)
    dialog.model.set_checked({families[1]})
    qtmodeltester.check(dialog.model)
    assert dialog.model.checked_ids() == [families[1]]


def test_other_titles_list_their_own_subjects(
    view: EvaluationsView, workspace: Workspace, dialogs: list[Handler]
) -> None:
    def register_first_hamlet(dialog: QDialog) -> None:
        assert isinstance(dialog, RegisterDialog)
        assert [dialog.model.row_at(i).name for i in range(dialog.model.rowCount())] == [
            "Ấp Vĩnh Thạnh", "Ấp Phước Lợi", "Ấp Đông Điền",
        ]  # fmt: skip
        press(dialog.table, Qt.Key.Key_Space)
        dialog.save()

    view.set_title(Title.COMMUNITY)
    assert view.model.headerData(EvaluationsModel.COL_SUBJECT, Qt.Orientation.Horizontal) == "Ấp"
    dialogs.append(register_first_hamlet)
    view.register()
    assert rows(view) == [("Ấp Vĩnh Thạnh", "", "Đã đăng ký")]
    view.set_title(Title.FAMILY)
    assert rows(view) == []
