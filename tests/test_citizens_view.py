"""The learning citizens page driven through its real widgets: add people from the households register and
from a unit, score them at the keyboard, import the national system's list through the import dialog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from khuyenhoc_desktop.domain.household import HouseholdInput, MemberInput, Sex
from khuyenhoc_desktop.domain.unit import UnitInput, UnitKind
from khuyenhoc_desktop.services import citizens
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services import units as unit_service
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.citizen_dialog import MemberPickerDialog, UnitStaffDialog
from khuyenhoc_desktop.ui.dialogs.citizen_import_dialog import NO_COLUMN, CitizenImportDialog
from khuyenhoc_desktop.ui.dialogs.score_dialog import ScoreDialog
from khuyenhoc_desktop.ui.views.citizens_view import CitizenResultsModel, CitizensView
from tests.gui_helpers import Handler, activate, drive_dialogs, press, type_text

YEAR = 2025


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[Handler]:
    return drive_dialogs(monkeypatch, MemberPickerDialog, UnitStaffDialog, ScoreDialog, CitizenImportDialog)


@pytest.fixture
def family(workspace: Workspace) -> str:
    hamlet = next(h.id for h in list_hamlets(workspace) if h.name == "Ấp Phước Lợi")
    household = household_service.create_household(workspace, HouseholdInput("00012", "Nguyễn Văn Đức", hamlet, 1968))
    household_service.add_member(workspace, household, MemberInput("Nguyễn Thị Ánh", 1995, Sex.FEMALE))
    return household


@pytest.fixture
def view(qtbot, workspace: Workspace, messages) -> Iterator[CitizensView]:
    page = CitizensView(workspace)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    qtbot.waitExposed(page)
    yield page


def shown(view: CitizensView, column: int) -> list[str]:
    model = view.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_add_from_a_household_member_then_score_at_the_keyboard(
    view: CitizensView, workspace: Workspace, family: str, dialogs: list[Handler]
) -> None:
    def pick(dialog: QDialog) -> None:
        assert isinstance(dialog, MemberPickerDialog)
        assert dialog.focusWidget() is dialog.search
        type_text(dialog.search, "nguyen")  # no accents: both members of hộ 00012, by given name: Ánh, Đức
        assert dialog.model.rowCount() == 2
        press(dialog.search, Qt.Key.Key_Down)  # → Nguyễn Văn Đức
        press(dialog.search, Qt.Key.Key_Return)

    dialogs.append(pick)
    view.add_member_button.click()

    assert not dialogs
    row = view.current()
    assert row is not None
    assert (row.full_name, row.birth_year, row.link_label, row.hamlet_name) == (
        "Nguyễn Văn Đức", 1968, "Hộ 00012 — Ấp Phước Lợi", "Ấp Phước Lợi",
    )  # fmt: skip
    seen: dict[str, str] = {}

    def score(dialog: QDialog) -> None:
        assert isinstance(dialog, ScoreDialog)
        for code in range(1, 11):
            assert QApplication.focusWidget() is dialog.spins[str(code)]
            type_text(QApplication.focusWidget(), "4" if code == 4 else "9")
            if code == 4:
                seen["live"] = f"{dialog.total_label.text()} | {dialog.reason_label.text()}"
            press(QApplication.focusWidget(), Qt.Key.Key_Return)  # next indicator; the last one saves

    dialogs.append(score)
    activate(view)
    assert QApplication.focusWidget() is view.table  # left there after adding: Enter scores
    press(view.table, Qt.Key.Key_Return)

    assert not dialogs
    # Live while typing: indicators 1–3 at 9, the fourth at 4, the rest still 0.
    assert seen["live"] == "Tổng điểm: 31/100 | Chưa đạt: thiếu 49 điểm; " + "; ".join(
        f"chỉ tiêu {k} dưới 5 điểm" for k in (4, 5, 6, 7, 8, 9, 10)
    )
    row = view.current()
    assert row is not None
    assert (row.total, row.passed) == (85, False)
    assert view.model.index(0, CitizenResultsModel.COL_RESULT).data() == "Chưa đạt: chỉ tiêu 4 dưới 5 điểm"
    assert view.model.index(0, CitizenResultsModel.COL_SOURCE).data() == "Nhập tay"
    assert view.count_label.text() == "1 người; 1 người có kết quả năm 2025, 0 người đạt."


def test_cancelling_the_score_form_leaves_the_citizen_registered_but_unscored(
    view: CitizensView, workspace: Workspace, family: str, dialogs: list[Handler]
) -> None:
    member = household_service.list_members(workspace, family)[1].id
    citizens.add_citizen_from_member(workspace, member)
    view.reload()
    dialogs.append(lambda dialog: dialog.reject())

    view.score_button.click()

    row = view.current()
    assert row is not None and row.evaluation_id is not None
    assert view.model.index(0, CitizenResultsModel.COL_RESULT).data() == "Chưa chấm"


def test_add_a_units_staff_member_by_keyboard(view: CitizensView, workspace: Workspace, dialogs) -> None:
    hamlet = next(h.id for h in list_hamlets(workspace) if h.name == "Ấp Đông Điền")
    unit_service.create_unit(workspace, UnitInput("Trường Tiểu học Phước Vĩnh Tây", UnitKind.SCHOOL, hamlet_id=hamlet))

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, UnitStaffDialog)
        press(QApplication.focusWidget(), Qt.Key.Key_Return)  # the one unit → họ tên
        type_text(QApplication.focusWidget(), "Phạm Thị Hồng")
        press(QApplication.focusWidget(), Qt.Key.Key_Return)
        type_text(QApplication.focusWidget(), "1988")
        press(QApplication.focusWidget(), Qt.Key.Key_Return)
        press(QApplication.focusWidget(), Qt.Key.Key_Down)  # Nữ
        press(QApplication.focusWidget(), Qt.Key.Key_Return)  # last field: saves

    dialogs.append(fill)
    view.add_unit_button.click()

    assert not dialogs
    assert shown(view, CitizenResultsModel.COL_NAME) == ["Phạm Thị Hồng"]
    assert shown(view, CitizenResultsModel.COL_LINK) == ["Trường Tiểu học Phước Vĩnh Tây (đơn vị)"]
    assert shown(view, CitizenResultsModel.COL_SEX) == ["Nữ"]
    assert shown(view, CitizenResultsModel.COL_HAMLET) == ["Ấp Đông Điền"]


def test_without_units_the_officer_is_sent_to_the_units_register(view: CitizensView, messages, dialogs) -> None:
    view.add_unit_button.click()
    assert messages.texts == ["Sổ đơn vị chưa có đơn vị nào: hãy thêm đơn vị ở mục Đơn vị trước."]


def results_book(path: Path, total_of_second: object = 84) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["HỘI KHUYẾN HỌC XÃ PHƯỚC VĨNH TÂY"])
    sheet.append(["DANH SÁCH KẾT QUẢ ĐÁNH GIÁ CÔNG DÂN HỌC TẬP NĂM 2025"])
    sheet.append(["STT", "Họ và tên", "Năm sinh", "Giới tính", "Địa chỉ", "Điểm đánh giá", "Kết quả"])
    sheet.append([1, "Nguyễn Thị Ánh", 1995, "Nữ", "Ấp Phước Lợi", 92, "Đạt"])
    sheet.append([2, "Võ Văn An", 1980, "Nam", "Ấp Đông Điền", total_of_second, "Không đạt"])
    book.save(path)
    return path


def test_import_a_file_through_the_dialog(
    view: CitizensView,
    workspace: Workspace,
    family: str,
    dialogs: list[Handler],
    messages,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    path = results_book(tmp_path / "ket-qua-cdht.xlsx")
    asked: list[str] = []

    def open_file(_parent: object, caption: str, _folder: str, _filter: str) -> tuple[str, str]:
        asked.append(caption)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_file)

    def run(dialog: QDialog) -> None:
        assert isinstance(dialog, CitizenImportDialog)
        dialog.choose_button.click()
        table = dialog.table
        assert (table.rowCount(), table.columnCount()) == (2, 7)
        assert [table.verticalHeaderItem(r).text() for r in range(2)] == ["4", "5"]
        assert table.item(1, 1).text() == "Võ Văn An"
        combos = dialog.combos
        assert combos["full_name"].currentText() == "B: Họ và tên"
        assert combos["result"].currentText() == "G: Kết quả"
        assert combos["indicator_1"].currentText() == NO_COLUMN
        assert combos["total"].currentText() == NO_COLUMN  # not a header it knows
        combos["total"].setCurrentIndex(combos["total"].findText("F: Điểm đánh giá"))
        dialog.import_button.click()

    dialogs.append(run)
    view.import_button.click()

    assert asked == ["Chọn tệp kết quả Công dân học tập"]
    assert messages.texts[-1].startswith("Đã đọc 2 dòng: 2 kết quả mới, 0 kết quả được cập nhật.")
    assert "1 người khớp với sổ hộ; 2 người mới thêm vào danh sách." in messages.texts[-1]
    assert shown(view, CitizenResultsModel.COL_NAME) == ["Võ Văn An", "Nguyễn Thị Ánh"]  # by given name: An, Ánh
    assert shown(view, CitizenResultsModel.COL_TOTAL) == ["84", "92"]
    assert shown(view, CitizenResultsModel.COL_RESULT) == ["Chưa đạt", "Đạt"]
    assert shown(view, CitizenResultsModel.COL_SOURCE) == ["ket-qua-cdht.xlsx"] * 2
    assert shown(view, CitizenResultsModel.COL_LINK) == ["", "Hộ 00012 — Ấp Phước Lợi"]
    type_text(view.search, "vo van")
    assert shown(view, CitizenResultsModel.COL_NAME) == ["Võ Văn An"]


def test_a_bad_file_lists_the_problems_and_writes_nothing(
    view: CitizensView,
    workspace: Workspace,
    dialogs: list[Handler],
    messages,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    path = results_book(tmp_path / "co-loi.xlsx", total_of_second="8o")
    seen: dict[str, object] = {}

    def run(dialog: QDialog) -> None:
        assert isinstance(dialog, CitizenImportDialog)
        dialog.load(path)
        combos = dialog.combos
        combos["total"].setCurrentIndex(combos["total"].findText("F: Điểm đánh giá"))
        dialog.import_button.click()
        seen["visible"] = dialog.isVisible()
        seen["status"] = dialog.status.text()
        seen["problems"] = dialog.problems.toPlainText()
        dialog.reject()

    dialogs.append(run)
    view.import_button.click()

    assert seen["visible"] is True
    assert seen["status"] == "Chưa nhập: có 1 lỗi, chưa ghi gì vào sổ. Hãy sửa tệp hoặc chọn lại cột."
    assert seen["problems"] == "Dòng 5, cột «Điểm đánh giá»: «8o» không phải số."
    assert messages.texts == []
    assert view.model.total() == 0
    assert citizens.list_results(workspace, YEAR) == []


def test_delete_a_result_then_the_person_and_undo(
    view: CitizensView, workspace: Workspace, family: str, messages
) -> None:
    member = household_service.list_members(workspace, family)[1].id
    citizen = citizens.add_citizen_from_member(workspace, member)
    citizens.record_outcome(workspace, citizen, YEAR, 90, True)
    view.reload()
    assert view.delete_button.text() == "Xóa kết quả"

    activate(view)
    view.table.setFocus()
    press(view.table, Qt.Key.Key_Delete)

    assert messages.texts[-1].startswith("Xóa kết quả năm 2025 của Nguyễn Thị Ánh")
    assert shown(view, CitizenResultsModel.COL_RESULT) == [""]
    assert view.delete_button.text() == "Xóa khỏi danh sách"
    view.delete_button.click()
    assert view.model.rowCount() == 0
    workspace.history.undo(workspace)
    workspace.history.undo(workspace)
    view.reload()
    assert shown(view, CitizenResultsModel.COL_RESULT) == ["Đạt"]


def test_the_model_passes_qts_model_checks(qtmodeltester, workspace: Workspace, family: str) -> None:
    member = household_service.list_members(workspace, family)[1].id
    citizens.record_outcome(workspace, citizens.add_citizen_from_member(workspace, member), YEAR, 70, False)
    model = CitizenResultsModel()
    model.set_rows(citizens.list_results(workspace, YEAR))
    qtmodeltester.check(model)
