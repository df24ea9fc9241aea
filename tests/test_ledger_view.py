"""The fund ledger page driven through its real widgets: vouchers typed at the keyboard, the running balance
and the year's summary, the question before the fund goes below zero, the year filter, delete, print."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from khuyenhoc_desktop.domain.ledger import LedgerInput, PaymentCategory, ReceiptCategory
from khuyenhoc_desktop.services import ledger
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import save_path
from khuyenhoc_desktop.ui.dialogs.ledger_dialog import LedgerDialog
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog
from khuyenhoc_desktop.ui.views import ledger_view
from khuyenhoc_desktop.ui.views.ledger_view import ALL_YEARS, LedgerModel, LedgerView
from tests.gui_helpers import Handler, drive_dialogs, focused, open_main_window, press, shown_page, type_text


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[Handler]:
    return drive_dialogs(monkeypatch, RecordFormDialog)


@pytest.fixture
def view(qtbot, workspace: Workspace, messages) -> Iterator[LedgerView]:
    page = LedgerView(workspace)
    qtbot.addWidget(page)
    page.resize(1300, 500)
    page.show()
    qtbot.waitExposed(page)
    yield page


def column(view: LedgerView, col: int) -> list[str]:
    return [view.model.index(r, col).data() for r in range(view.model.rowCount())]


def voucher(day: str, category_key: str, who: str, amount: str, note: str = "") -> Handler:
    """Type one voucher as an officer would: date, category by its first letter, counterpart, amount, Enter…"""

    def fill(dialog: RecordFormDialog) -> None:
        assert isinstance(dialog, LedgerDialog)
        assert focused() is dialog.entry_on
        type_text(focused(), day)  # ddMMyyyy: the date field moves from day to month to year by itself
        press(focused(), Qt.Key.Key_Return)
        assert focused() is dialog.category
        type_text(focused(), category_key)
        press(focused(), Qt.Key.Key_Return)
        type_text(focused(), who)
        press(focused(), Qt.Key.Key_Return)
        assert focused() is dialog.amount
        type_text(focused(), amount)
        press(focused(), Qt.Key.Key_Return)
        assert focused() is dialog.voucher_no  # the amount in words is read, not typed
        press(focused(), Qt.Key.Key_Return)
        type_text(focused(), note)
        press(focused(), Qt.Key.Key_Return)  # the last field: saves

    return fill


def test_vouchers_typed_at_the_keyboard_with_the_running_balance_and_summary(
    view: LedgerView, workspace: Workspace, dialogs: list[Handler]
) -> None:
    ledger.create_entry(workspace, LedgerInput(date(2024, 12, 20), "thu", "quyen_gop", "Ông Trần Văn Bảy", 500_000))
    view.reload()
    assert view.year_choice.currentText() == "Năm 2025"  # the working year first
    assert view.model.rowCount() == 0
    assert view.summary.text() == "Tồn đầu năm 500.000 đ · Thu 0 đ · Chi 0 đ · Tồn cuối năm 500.000 đ"

    seen: dict[str, str] = {}

    def receipt(dialog: RecordFormDialog) -> None:
        assert isinstance(dialog, LedgerDialog)
        assert dialog.windowTitle() == "Phiếu thu mới"
        assert dialog.voucher_no.text() == "PT-2025-001"  # prefilled for the year on screen
        voucher("02032025", "Q", "Công ty TNHH Phước Lợi", "9700000", "Ủng hộ quỹ năm 2025")(dialog)

    def payment(dialog: RecordFormDialog) -> None:
        assert isinstance(dialog, LedgerDialog)
        type_text(dialog.entry_on, "12032025")
        press(dialog.entry_on, Qt.Key.Key_Return)
        type_text(focused(), "H")  # Học bổng
        press(focused(), Qt.Key.Key_Return)
        type_text(focused(), "Trường Tiểu học Phước Vĩnh Tây")
        press(focused(), Qt.Key.Key_Return)
        type_text(focused(), "1.200.500")  # typed with the dots works too
        seen["words"] = dialog.amount_words.text()
        seen["amount"] = dialog.amount.text()
        press(focused(), Qt.Key.Key_Return)
        seen["voucher"] = dialog.voucher_no.text()
        press(focused(), Qt.Key.Key_Return)
        press(focused(), Qt.Key.Key_Return)

    dialogs.extend([receipt, payment])
    view.table.setFocus()
    press(view.table, Qt.Key.Key_Insert)  # a receipt
    press(view.table, Qt.Key.Key_Insert, Qt.KeyboardModifier.ControlModifier)  # a payment
    assert not dialogs
    assert seen == {"words": "Một triệu hai trăm nghìn năm trăm đồng", "amount": "1.200.500", "voucher": "PC-2025-001"}

    assert column(view, LedgerModel.COL_DATE) == ["02/03/2025", "12/03/2025"]
    assert column(view, LedgerModel.COL_VOUCHER) == ["PT-2025-001", "PC-2025-001"]
    assert column(view, LedgerModel.COL_DIRECTION) == ["Thu", "Chi"]
    assert column(view, LedgerModel.COL_CATEGORY) == ["Quyên góp, ủng hộ", "Học bổng"]
    assert column(view, LedgerModel.COL_COUNTERPART) == ["Công ty TNHH Phước Lợi", "Trường Tiểu học Phước Vĩnh Tây"]
    assert column(view, LedgerModel.COL_RECEIPT) == ["9.700.000 đ", ""]
    assert column(view, LedgerModel.COL_PAYMENT) == ["", "1.200.500 đ"]
    assert column(view, LedgerModel.COL_BALANCE) == ["10.200.000 đ", "8.999.500 đ"]  # 500.000 brought forward
    assert column(view, LedgerModel.COL_NOTE) == ["Ủng hộ quỹ năm 2025", ""]
    alignment = view.model.index(0, LedgerModel.COL_RECEIPT).data(Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight
    assert view.summary.text() == (
        "Tồn đầu năm 500.000 đ · Thu 9.700.000 đ · Chi 1.200.500 đ · Tồn cuối năm 8.999.500 đ"
    )
    assert view.current() is not None and view.current().voucher_no == "PC-2025-001"
    assert workspace.history.undo_label == "Thêm phiếu chi PC-2025-001 (1.200.500 đ)"

    view.year_choice.setCurrentIndex(view.year_choice.findText(ALL_YEARS))
    assert column(view, LedgerModel.COL_VOUCHER) == ["PT-2024-001", "PT-2025-001", "PC-2025-001"]
    assert view.summary.text() == "Tổng thu 10.200.000 đ · Tổng chi 1.200.500 đ · Tồn quỹ 8.999.500 đ"
    type_text(view.search, "phuoc loi")
    assert column(view, LedgerModel.COL_VOUCHER) == ["PT-2025-001"]
    assert view.count_label.text() == "Tìm thấy 1 / 3 phiếu"


def test_a_payment_beyond_the_fund_asks_first(
    view: LedgerView, workspace: Workspace, dialogs: list[Handler], messages
) -> None:
    ledger.create_entry(
        workspace, LedgerInput(date(2025, 3, 1), "thu", ReceiptCategory.DONATION, "Bà Lê Thị Hoa", 2_000_000)
    )
    view.reload()
    outcome: dict[str, object] = {}

    def pay_too_much(dialog: RecordFormDialog) -> None:
        assert isinstance(dialog, LedgerDialog)
        messages.answers.append(1)  # "Không ghi"
        voucher("12032025", "K", "Em Nguyễn Thị Ánh", "3500000")(dialog)  # Khen thưởng
        outcome["still_open"] = dialog.isVisible()
        outcome["error"] = dialog.error.text()
        outcome["focus"] = focused() is dialog.amount
        outcome["rows"] = len(ledger.list_entries(workspace))
        messages.answers.append(0)  # "Vẫn ghi"
        press(dialog.note, Qt.Key.Key_Return)

    dialogs.append(pay_too_much)
    view.payment_button.click()

    assert outcome == {
        "still_open": True,
        "error": "Phiếu chi PC-2025-001 — ô «Số tiền»: chưa ghi: "
        "Sau phiếu chi PC-2025-001 ngày 12/03/2025 quỹ sẽ âm 1.500.000 đ.",
        "focus": True,
        "rows": 1,
    }
    assert messages.texts == [
        "Sau phiếu chi PC-2025-001 ngày 12/03/2025 quỹ sẽ âm 1.500.000 đ.\nVẫn ghi phiếu chi này?",
        "Sau phiếu chi PC-2025-001 ngày 12/03/2025 quỹ sẽ âm 1.500.000 đ.\nVẫn ghi phiếu chi này?",
    ]
    assert column(view, LedgerModel.COL_BALANCE) == ["2.000.000 đ", "-1.500.000 đ"]
    assert column(view, LedgerModel.COL_CATEGORY)[-1] == "Khen thưởng"
    red = view.model.index(1, LedgerModel.COL_BALANCE).data(Qt.ItemDataRole.ForegroundRole)
    assert red == ledger_view.NEGATIVE_COLOR
    assert view.summary.text().endswith("Tồn cuối năm -1.500.000 đ")


def test_edit_with_enter_and_delete_with_the_delete_key(
    view: LedgerView, workspace: Workspace, dialogs: list[Handler], messages
) -> None:
    donation = ledger.create_entry(
        workspace, LedgerInput(date(2025, 3, 1), "thu", ReceiptCategory.DONATION, "Bà Lê Thị Hoa", 2_000_000)
    )
    ledger.create_entry(
        workspace, LedgerInput(date(2025, 3, 5), "chi", PaymentCategory.GIFT, "Em Nguyễn Thị Ánh", 1_500_000)
    )
    view.reload()
    view.select(donation)
    view.table.setFocus()

    def raise_amount(dialog: RecordFormDialog) -> None:
        assert isinstance(dialog, LedgerDialog)
        assert dialog.windowTitle() == "Sửa phiếu thu"
        assert (dialog.amount.text(), dialog.voucher_no.text()) == ("2.000.000", "PT-2025-001")
        assert dialog.amount_words.text() == "Hai triệu đồng"
        dialog.amount.setFocus()
        dialog.amount.selectAll()
        type_text(dialog.amount, "2500000")
        press(dialog.note, Qt.Key.Key_Return)

    dialogs.append(raise_amount)
    press(view.table, Qt.Key.Key_Return)
    assert column(view, LedgerModel.COL_BALANCE) == ["2.500.000 đ", "1.000.000 đ"]
    assert view.current().id == donation

    messages.answers.extend([0, 1])  # "Xóa", then "Hủy" when told the fund would go below zero
    press(view.table, Qt.Key.Key_Delete)
    assert messages.texts[-1] == (
        "Sau phiếu chi PC-2025-001 ngày 05/03/2025 quỹ sẽ âm 1.500.000 đ.\nVẫn xóa phiếu thu PT-2025-001?"
    )
    assert view.model.rowCount() == 2

    view.select(next(r.id for r in view.model.rows() if r.voucher_no == "PC-2025-001"))
    messages.answers.append(0)
    press(view.table, Qt.Key.Key_Delete)
    assert "Chuyển phiếu chi PC-2025-001 (1.500.000 đ) vào thùng rác?" in messages.texts[-1]
    assert column(view, LedgerModel.COL_VOUCHER) == ["PT-2025-001"]
    assert workspace.history.undo_label == "Xóa phiếu chi PC-2025-001 (1.500.000 đ)"


def test_a_voucher_saved_for_another_year_is_shown_in_its_year(
    view: LedgerView, workspace: Workspace, dialogs: list[Handler]
) -> None:
    dialogs.append(voucher("15062024", "N", "UBND xã Phước Vĩnh Tây", "15000000"))  # Ngân sách
    view.receipt_button.click()
    assert view.year_choice.currentText() == "Năm 2024"
    assert column(view, LedgerModel.COL_VOUCHER) == ["PT-2024-001"]
    assert column(view, LedgerModel.COL_CATEGORY) == ["Ngân sách"]


def test_print_the_selected_voucher(
    view: LedgerView, workspace: Workspace, messages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ledger.create_entry(
        workspace, LedgerInput(date(2025, 3, 2), "thu", ReceiptCategory.DONATION, "Công ty TNHH Phước Lợi", 9_700_000)
    )
    view.reload()
    asked: list[str] = []

    def save_name(_parent: object, caption: str, suggested: str, _filters: str) -> tuple[str, str]:
        asked.append(caption)
        assert suggested.endswith("phieu-thu-PT-2025-001.pdf")
        return str(tmp_path / "phieu thu"), ""

    monkeypatch.setattr(save_path.QFileDialog, "getSaveFileName", save_name)
    view.print_button.click()
    target = tmp_path / "phieu thu.pdf"
    assert asked == ["Lưu phiếu thu PT-2025-001"]
    assert target.read_bytes().startswith(b"%PDF")
    assert messages.texts == [f"Đã ghi phiếu thu PT-2025-001 vào:\n{target}"]

    monkeypatch.setattr(save_path.QFileDialog, "getSaveFileName", lambda *_args: ("", ""))
    view.print_button.click()  # cancelled: nothing said
    assert len(messages.texts) == 1


def test_in_the_main_window_ctrl_z_takes_a_voucher_back_and_ctrl_f_searches(
    qtbot, workspace: Workspace, messages, dialogs: list[Handler], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_main_window(qtbot, workspace, monkeypatch, ("Sổ quỹ", LedgerView))
    page = shown_page(window, "Sổ quỹ", LedgerView)

    dialogs.append(voucher("02032025", "Q", "Bà Lê Thị Hoa", "500000"))
    page.table.setFocus()
    press(page.table, Qt.Key.Key_Insert)
    assert column(page, LedgerModel.COL_VOUCHER) == ["PT-2025-001"]
    assert window.undo_action.text() == "Hoàn tác: Thêm phiếu thu PT-2025-001 (500.000 đ)"

    press(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.model.rowCount() == 0
    assert page.summary.text() == "Tồn đầu năm 0 đ · Thu 0 đ · Chi 0 đ · Tồn cuối năm 0 đ"

    press(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focused() is page.search
