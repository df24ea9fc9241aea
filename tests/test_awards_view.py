"""The scholarships and gifts page driven through its real widgets, keyboard first: a ceremony, a batch of awards
entered with "Lưu và nhập tiếp", a cash award paid from the fund, a typed pupil put into a household, the list
printed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from khuyenhoc_desktop.domain.awards import AwardCategory, AwardEventInput, AwardInput, AwardKind
from khuyenhoc_desktop.domain.household import HouseholdInput, LearningStatus, MemberInput, Relation, Sex
from khuyenhoc_desktop.domain.ledger import Direction, LedgerInput, ReceiptCategory
from khuyenhoc_desktop.services import awards, ledger
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.award_dialog import AwardDialog, HouseholdPickerDialog
from khuyenhoc_desktop.ui.dialogs.award_event_dialog import AwardEventDialog
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog
from khuyenhoc_desktop.ui.main_window import MainWindow
from khuyenhoc_desktop.ui.views.awards_view import AwardsModel, AwardsView
from tests.gui_helpers import Handler, drive_dialogs, focused, open_main_window, press, shown_page, type_text

AWARDS = "Học bổng, quà"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[Handler]:
    return drive_dialogs(monkeypatch, RecordFormDialog, HouseholdPickerDialog)


@pytest.fixture
def window(qtbot, workspace: Workspace, messages, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    return open_main_window(qtbot, workspace, monkeypatch, (AWARDS, AwardsView))


def page(window: MainWindow) -> AwardsView:
    return shown_page(window, AWARDS, AwardsView)


def khoa_in_register(workspace: Workspace) -> str:
    """Household 00012 of Ấp Vĩnh Thạnh with Nguyễn Minh Khoa, born 2014, in class 7A."""
    hamlet = next(h.id for h in list_hamlets(workspace) if h.name == "Ấp Vĩnh Thạnh")
    household = household_service.create_household(workspace, HouseholdInput("00012", "Nguyễn Văn Tư", hamlet))
    household_service.add_member(
        workspace,
        household,
        MemberInput(
            "Nguyễn Minh Khoa", 2014, Sex.MALE, Relation.CHILD, "Trường THCS Phước Vĩnh Tây, lớp 7A",
            LearningStatus.LOWER_SECONDARY,
        ),
    )  # fmt: skip
    return household


def donation(workspace: Workspace, amount: int) -> None:
    ledger.create_entry(
        workspace, LedgerInput(date(2025, 9, 1), Direction.THU, ReceiptCategory.DONATION, "Công ty Thành Công", amount)
    )


def column(view: AwardsView, col: int) -> list[str]:
    return [view.model.index(i, col).data() for i in range(view.model.rowCount())]


def test_a_ceremony_and_a_batch_of_three_awards_entered_by_keyboard(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler], messages
) -> None:
    household_id = khoa_in_register(workspace)
    donation(workspace, 10_000_000)
    view = page(window)
    seen: dict[str, object] = {}

    def new_ceremony(dialog: RecordFormDialog) -> None:
        assert isinstance(dialog, AwardEventDialog)
        assert focused() is dialog.name
        type_text(focused(), "Trao học bổng đầu năm học 2025-2026")
        press(focused(), Qt.Key.Key_Return)  # → ngày
        type_text(focused(), "05092025")
        press(focused(), Qt.Key.Key_Return)  # → địa điểm
        type_text(focused(), "Hội trường UBND xã")
        press(focused(), Qt.Key.Key_Return)  # → nhà tài trợ
        type_text(focused(), "Công ty TNHH Thành Công")
        press(focused(), Qt.Key.Key_Return)  # → năm học, filled from the date
        assert dialog.school_year.text() == "2025-2026"
        press(focused(), Qt.Key.Key_Return)  # → ghi chú
        press(focused(), Qt.Key.Key_Return)  # saves

    def batch(dialog: RecordFormDialog) -> None:
        assert isinstance(dialog, AwardDialog)
        # The ceremony chosen on the page brings its date and sponsor.
        assert dialog.event_box.currentText() == "05/09/2025 — Trao học bổng đầu năm học 2025-2026"
        assert dialog.awarded_on.date().toPython() == date(2025, 9, 5)
        assert dialog.sponsor.text() == "Công ty TNHH Thành Công"
        # 1. A pupil of the register, picked by typing without accents: cash, paid from the fund.
        assert focused() is dialog.pupil_name
        type_text(focused(), "minh khoa")
        popup = dialog.completer.popup()
        assert popup.isVisible()
        seen["suggestion"] = dialog.completer.completionModel().index(0, 0).data()
        press(popup, Qt.Key.Key_Down)
        press(popup, Qt.Key.Key_Return)
        assert dialog.pupil_name.text() == "Nguyễn Minh Khoa"
        assert (dialog.birth_year.value(), dialog.school.text(), dialog.grade.text()) == (
            2014,
            "Trường THCS Phước Vĩnh Tây",
            "7A",
        )
        for _ in range(4):  # → năm sinh, trường, lớp, diện
            press(focused(), Qt.Key.Key_Return)
        assert focused() is dialog.category
        press(focused(), Qt.Key.Key_Down)
        press(focused(), Qt.Key.Key_Down)  # Vượt khó học giỏi
        press(focused(), Qt.Key.Key_Return)  # → hình thức: Tiền mặt
        press(focused(), Qt.Key.Key_Return)  # → giá trị
        type_text(focused(), "2.000.000")
        press(focused(), Qt.Key.Key_Return)  # → ghi chi quỹ
        assert focused() is dialog.post_to_ledger and dialog.post_to_ledger.isEnabled()
        press(focused(), Qt.Key.Key_Space)
        press(focused(), Qt.Key.Key_Return, CTRL)  # Lưu và nhập tiếp
        assert focused() is dialog.pupil_name and dialog.pupil_name.text() == ""
        assert dialog.birth_year.specialValueText() == dialog.birth_year.text()  # "Không rõ" again
        kept = (
            dialog.event_box.currentText(), dialog.awarded_on.date().toPython(), dialog.sponsor.text(),
            dialog.category.currentText(), dialog.kind.currentText(), dialog.value_vnd.text(),
        )  # fmt: skip
        assert kept == (
            "05/09/2025 — Trao học bổng đầu năm học 2025-2026", date(2025, 9, 5), "Công ty TNHH Thành Công",
            "Vượt khó học giỏi", "Tiền mặt", "2.000.000",
        )  # fmt: skip
        # 2. A typed pupil given a bicycle; not put into the register.
        type_text(focused(), "Trần Thị Bé Ba")
        press(focused(), Qt.Key.Key_Return)  # → năm sinh
        type_text(focused(), "2013")
        dialog.kind.setFocus()
        press(focused(), Qt.Key.Key_Down)  # Xe đạp: not money, so nothing for the fund
        assert not dialog.post_to_ledger.isEnabled() and not dialog.post_to_ledger.isChecked()
        dialog.value_vnd.selectAll()
        type_text(dialog.value_vnd, "1800000")
        assert dialog.value_vnd.text() == "1.800.000"
        messages.answers.append(1)  # "chưa có trong sổ hộ…": Không
        press(dialog.value_vnd, Qt.Key.Key_Return, CTRL)
        seen["batch"] = dialog.batch_label.text()
        # 3. Another typed pupil, saved with the button and put into household 00012 when asked.
        dialog.pupil_name.setFocus()
        type_text(focused(), "Lê Văn Đạt")
        messages.answers.append(0)  # Chọn hộ…
        dialog.save_button.click()

    def pick_household(dialog: QDialog) -> None:
        assert isinstance(dialog, HouseholdPickerDialog)
        assert focused() is dialog.search
        assert dialog.sex.currentText() == "Nam"
        type_text(focused(), "00012")
        press(focused(), Qt.Key.Key_Return)

    dialogs.append(new_ceremony)
    view.events_table.setFocus()
    press(view.events_table, Qt.Key.Key_Insert)
    assert view.current_event() is not None and not view.whole_year.isChecked()

    dialogs += [batch, pick_household]
    view.table.setFocus()
    press(view.table, Qt.Key.Key_Insert)

    assert not dialogs
    assert seen["suggestion"] == "Nguyễn Minh Khoa (2014) — hộ 00012, Ấp Vĩnh Thạnh"
    assert seen["batch"].startswith("Đã lưu 2 suất: ")  # type: ignore[union-attr]
    assert sorted(column(view, AwardsModel.COL_NAME)) == ["Lê Văn Đạt", "Nguyễn Minh Khoa", "Trần Thị Bé Ba"]
    rows = {row.pupil_name: row for row in view.model.rows()}
    assert {name: row.sponsor for name, row in rows.items()} == dict.fromkeys(rows, "Công ty TNHH Thành Công")
    assert {row.awarded_on for row in rows.values()} == {date(2025, 9, 5)}
    assert rows["Nguyễn Minh Khoa"].voucher_no == "PC-2025-001"
    assert (rows["Trần Thị Bé Ba"].kind_label, rows["Trần Thị Bé Ba"].voucher_no) == ("Xe đạp", "")
    assert (rows["Lê Văn Đạt"].household_code, rows["Lê Văn Đạt"].kind_label) == ("00012", "Xe đạp")
    assert "Lê Văn Đạt" in [m.full_name for m in household_service.list_members(workspace, household_id)]
    assert ledger.balance(workspace) == 8_000_000
    assert view.totals_label.text() == ("3 suất — tiền mặt 2.000.000 đ, hiện vật 3.600.000 đ, tổng 5.600.000 đ")
    event = view.current_event()
    assert event is not None and (event.award_count, event.total) == (3, 5_600_000)
    assert [t for t in messages.texts if "chưa có trong sổ hộ" in t] == [
        "Trần Thị Bé Ba chưa có trong sổ hộ gia đình.\nThêm em vào một hộ trong sổ?",
        "Lê Văn Đạt chưa có trong sổ hộ gia đình.\nThêm em vào một hộ trong sổ?",
    ]

    view.search.setFocus()
    type_text(view.search, "xe dap")
    assert view.totals_label.text() == "Tìm thấy 2 / 3 suất — tiền mặt 0 đ, hiện vật 3.600.000 đ, tổng 3.600.000 đ"


def test_a_payment_the_fund_cannot_cover_is_written_once_agreed(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler], messages
) -> None:
    donation(workspace, 500_000)
    view = page(window)

    def fill(dialog: RecordFormDialog) -> None:
        assert isinstance(dialog, AwardDialog)
        type_text(focused(), "Võ Thị Lan")
        dialog.category.setCurrentIndex(1)
        dialog.awarded_on.setFocus()
        type_text(focused(), "10102025")
        type_text(dialog.value_vnd, "2000000")
        dialog.post_to_ledger.setChecked(True)
        messages.answers += [1]  # the fund would go negative: Hủy
        dialog.save_button.click()
        assert dialog.isVisible() and "quỹ không đủ tiền" in dialog.error.text()
        assert focused() is dialog.post_to_ledger
        messages.answers += [0, 1]  # Vẫn ghi; then not into the register
        dialog.save_button.click()

    dialogs.append(fill)
    view.add_button.click()
    assert [t.split(" quỹ sẽ âm")[0] for t in messages.texts[:1]] == ["Sau phiếu chi PC-2025-001 ngày 10/10/2025"]
    assert ledger.balance(workspace) == -1_500_000
    assert view.model.rows()[0].voucher_no == "PC-2025-001"


def test_a_ceremony_with_awards_is_not_deleted_and_its_list_prints_as_a_workbook(
    window: MainWindow, workspace: Workspace, messages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    event_id = awards.create_event(workspace, AwardEventInput("Trao quà Trung thu", date(2025, 10, 6)))
    awards.create_award(
        workspace,
        AwardInput("Trần Văn Tí", AwardCategory.HARDSHIP, AwardKind.SCHOOL_BAG, 250_000, date(2025, 10, 6),
                   event_id=event_id),
    )  # fmt: skip
    view = page(window)
    view.reload()
    view.events_table.setFocus()
    press(view.events_table, Qt.Key.Key_Delete)
    assert messages.texts[-1].startswith("Lễ trao «Trao quà Trung thu» còn 1 suất học bổng, quà: hãy xóa các suất đó")
    assert view.events_model.rowCount() == 1

    target = tmp_path / "trung-thu"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), "Bảng tính Excel (*.xlsx)"))
    view.print_button.click()
    sheet = load_workbook(tmp_path / "trung-thu.xlsx").active
    assert sheet is not None and sheet["B8"].value == "Trần Văn Tí" and sheet["F8"].value == "Cặp sách"
    assert messages.texts[-1].startswith("Đã ghi danh sách «Trao quà Trung thu» vào:")


def test_undo_brings_a_deleted_award_back_with_its_payment(window: MainWindow, workspace: Workspace, messages) -> None:
    donation(workspace, 5_000_000)
    awards.create_award(
        workspace,
        AwardInput("Phạm Thị Hồng", AwardCategory.EXCELLENT, AwardKind.CASH, 1_000_000, date(2025, 9, 5),
                   post_to_ledger=True),
    )  # fmt: skip
    view = page(window)
    view.reload()
    assert view.whole_year.isChecked()  # no ceremony yet: the year's awards
    view.table.setFocus()
    press(view.table, Qt.Key.Key_Delete)
    assert "Phiếu chi PC-2025-001 cũng được xóa khỏi sổ quỹ." in messages.texts[-1]
    assert view.model.rowCount() == 0 and ledger.balance(workspace) == 5_000_000
    window.undo_action.trigger()
    assert column(view, AwardsModel.COL_NAME) == ["Phạm Thị Hồng"]
    assert ledger.balance(workspace) == 4_000_000


def test_the_models_pass_qts_model_checks(qtmodeltester, workspace: Workspace) -> None:
    event_id = awards.create_event(workspace, AwardEventInput("Trao học bổng", date(2025, 9, 5)))
    awards.create_award(
        workspace,
        AwardInput("Lê Thị Cúc", AwardCategory.OVERCOMING, AwardKind.CASH, 1_000_000, date(2025, 9, 5),
                   event_id=event_id),
    )  # fmt: skip
    view = AwardsView(workspace)
    qtmodeltester.check(view.events_model)
    qtmodeltester.check(view.model)
