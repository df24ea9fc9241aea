"""The fund ledger (sổ quỹ khuyến học): rules, running balance across years, the negative-balance guard,
voucher numbers, undo, the recycle bin and the year's figures."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from sqlmodel import select

from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.ledger import (
    Direction,
    LedgerInput,
    PaymentCategory,
    ReceiptCategory,
    clean_entry,
    running_balances,
    voucher_sort_key,
)
from khuyenhoc_desktop.domain.text import matches
from khuyenhoc_desktop.services import ledger
from khuyenhoc_desktop.services.changes import record_change
from khuyenhoc_desktop.services.ledger import NegativeBalance
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import AuditEntry, Award, LedgerEntry

TODAY = date(2025, 12, 31)
THU, CHI = Direction.THU, Direction.CHI


def receipt(on: date, amount: int, who: str = "Công ty TNHH Phước Lợi", **kw: object) -> LedgerInput:
    category = kw.pop("category", ReceiptCategory.DONATION)
    return LedgerInput(on, THU, category, who, amount, **kw)  # type: ignore[arg-type]


def payment(on: date, amount: int, who: str = "Trường Tiểu học Phước Vĩnh Tây", **kw: object) -> LedgerInput:
    category = kw.pop("category", PaymentCategory.SCHOLARSHIP)
    return LedgerInput(on, CHI, category, who, amount, **kw)  # type: ignore[arg-type]


def shown(workspace: Workspace, year: int | None = None) -> list[tuple[str, int, int, int]]:
    return [(r.voucher_no, r.receipt, r.payment, r.balance) for r in ledger.list_entries(workspace, year)]


def audit(workspace: Workspace) -> list[str]:
    with session_scope(workspace.engine) as session:
        query = select(AuditEntry.action).where(AuditEntry.table_name == "ledger_entry").order_by(AuditEntry.id)
        return list(session.exec(query).all())


# -- domain rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (receipt(date(2025, 3, 1), 0), "amount", "Phiếu thu mới — ô «Số tiền»: số tiền phải lớn hơn 0"),
        (payment(date(2025, 3, 1), -50_000), "amount", "số tiền phải lớn hơn 0"),
        (receipt(date(2025, 3, 1), 10**13), "amount", "không quá 1.000.000.000.000 đ"),
        (
            receipt(date(2025, 3, 1), 100_000, category=PaymentCategory.SCHOLARSHIP),
            "category",
            "«hoc_bong» không phải nội dung của phiếu thu",
        ),
        (
            payment(date(2025, 3, 1), 100_000, category=""),
            "category",
            "Phiếu chi mới — ô «Nội dung»: chưa chọn nội dung phiếu chi.",
        ),
        (
            receipt(date(2026, 1, 2), 100_000),
            "entry_on",
            "ngày 02/01/2026 nằm ngoài khoảng cho phép (01/01/2000 – 31/12/2025)",  # not yet: the last day is today
        ),
        (
            receipt(date(1999, 12, 31), 100_000),
            "entry_on",
            "ngày 31/12/1999 nằm ngoài khoảng cho phép (01/01/2000 – 31/12/2025)",
        ),
        (
            LedgerInput(date(2025, 3, 1), "vay", "khac", "", 1),
            "direction",
            "giá trị «vay» không hợp lệ",
        ),
        (receipt(date(2025, 3, 1), 1, voucher_no="PT-" + "9" * 40), "voucher_no", "dài quá 30 ký tự"),
    ],
)
def test_clean_entry_refuses_with_the_field_named(data: LedgerInput, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_entry(data, TODAY)
    assert caught.value.field == field
    assert message in str(caught.value)


def test_clean_entry_normalises_the_texts() -> None:
    data = receipt(
        date(2025, 3, 1),
        500_000,
        unicodedata.normalize("NFD", "  Bà  Nguyễn Thị Ánh "),
        voucher_no=" pt-2025-009 ",
        note=unicodedata.normalize("NFD", "Ủng hộ  quỹ"),
    )
    clean = clean_entry(data, TODAY)
    assert (clean.counterpart, clean.voucher_no, clean.note) == ("Bà Nguyễn Thị Ánh", "PT-2025-009", "Ủng hộ quỹ")
    assert clean_entry(receipt(TODAY, 1), TODAY).entry_on == TODAY  # today itself is allowed


def test_running_balances_follow_the_order_given() -> None:
    lines = [receipt(TODAY, 9_700_000), payment(TODAY, 2_000_000), payment(TODAY, 8_000_000), receipt(TODAY, 1)]
    assert running_balances(lines) == [9_700_000, 7_700_000, -300_000, -299_999]
    assert running_balances(lines[:1], opening=300_000) == [10_000_000]
    assert running_balances([]) == []


def test_voucher_numbers_sort_by_value() -> None:
    vouchers = ["PT-2025-1000", "PT-2025-999", "PT-2024-010", "PT-2025-002"]
    assert sorted(vouchers, key=voucher_sort_key) == ["PT-2024-010", "PT-2025-002", "PT-2025-999", "PT-2025-1000"]


# -- the ledger and its balance ---------------------------------------------------------------------


def test_receipts_and_payments_with_their_running_balance(workspace: Workspace) -> None:
    ledger.create_entry(workspace, receipt(date(2025, 3, 2), 9_700_000))
    ledger.create_entry(workspace, payment(date(2025, 3, 12), 4_000_000))
    ledger.create_entry(workspace, receipt(date(2025, 3, 5), 300_000, "Chi hội Ấp Vĩnh Thạnh", category="hoi_phi"))
    assert shown(workspace) == [
        ("PT-2025-001", 9_700_000, 0, 9_700_000),
        ("PT-2025-002", 300_000, 0, 10_000_000),
        ("PC-2025-001", 0, 4_000_000, 6_000_000),
    ]
    first = ledger.list_entries(workspace)[0]
    assert (first.entry_on, first.direction_label, first.category_label) == (
        date(2025, 3, 2),
        "Thu",
        "Quyên góp, ủng hộ",
    )
    assert matches(first.search_key, "phuoc loi quyen gop pt-2025-001")
    assert ledger.balance(workspace) == 6_000_000
    assert ledger.balance(workspace, date(2025, 3, 11)) == 10_000_000
    assert ledger.balance(workspace, date(2025, 3, 1)) == 0


def test_on_one_day_receipts_come_before_payments(workspace: Workspace) -> None:
    """The scholarship paid in the afternoon from the morning's donation does not dip below zero."""
    day = date(2025, 9, 5)
    ledger.create_entry(workspace, receipt(day, 5_000_000, voucher_no="PT-2025-900"))
    ledger.create_entry(workspace, payment(day, 5_000_000))  # PC sorts before PT, but receipts lead the day
    assert [r.balance for r in ledger.list_entries(workspace)] == [5_000_000, 0]


def test_a_year_carries_the_balance_brought_forward(workspace: Workspace) -> None:
    ledger.create_entry(workspace, receipt(date(2024, 11, 20), 2_000_000))
    ledger.create_entry(workspace, payment(date(2024, 12, 30), 500_000))
    ledger.create_entry(workspace, receipt(date(2025, 1, 3), 1_000_000))
    ledger.create_entry(workspace, payment(date(2025, 6, 1), 700_000, category=PaymentCategory.GIFT))
    assert shown(workspace, 2025) == [("PT-2025-001", 1_000_000, 0, 2_500_000), ("PC-2025-001", 0, 700_000, 1_800_000)]
    assert shown(workspace, 2024)[-1][-1] == 1_500_000
    assert ledger.opening_balance(workspace, 2025) == 1_500_000
    assert ledger.opening_balance(workspace, 2024) == 0
    assert shown(workspace, 2023) == []


def test_year_summary_by_category(workspace: Workspace) -> None:
    ledger.create_entry(workspace, receipt(date(2024, 12, 1), 1_200_000))  # brought forward
    ledger.create_entry(workspace, receipt(date(2025, 2, 1), 9_700_000))
    ledger.create_entry(workspace, receipt(date(2025, 2, 8), 2_300_000))
    ledger.create_entry(workspace, receipt(date(2025, 4, 1), 450_000, "Chi hội", category=ReceiptCategory.MEMBER_FEE))
    ledger.create_entry(workspace, receipt(date(2025, 5, 1), 125_000, "Ấp Đông Điền", category="heo_dat"))
    ledger.create_entry(workspace, payment(date(2025, 5, 20), 6_000_000))
    ledger.create_entry(workspace, payment(date(2025, 5, 21), 1_500_000, category=PaymentCategory.GIFT))
    ledger.create_entry(workspace, payment(date(2025, 8, 1), 800_000, category="trung_tam"))
    gone = ledger.create_entry(workspace, payment(date(2025, 8, 2), 100_000, category="khac"))
    ledger.delete_entry(workspace, gone)  # a deleted line counts nowhere

    summary = ledger.year_summary(workspace, 2025)
    # By hand: opening 1.200.000; receipts 9.700.000 + 2.300.000 + 450.000 + 125.000 = 12.575.000;
    # payments 6.000.000 + 1.500.000 + 800.000 = 8.300.000; closing 1.200.000 + 12.575.000 − 8.300.000.
    assert summary.opening == 1_200_000
    assert summary.receipts == {
        "quyen_gop": 12_000_000, "hoi_phi": 450_000, "heo_dat": 125_000, "ngan_sach": 0, "lai": 0, "khac": 0,
    }  # fmt: skip
    assert summary.payments == {
        "hoc_bong": 6_000_000,
        "qua": 1_500_000,
        "khen_thuong": 0,
        "trung_tam": 800_000,
        "khac": 0,
    }
    assert (summary.total_receipts, summary.total_payments, summary.closing) == (12_575_000, 8_300_000, 5_475_000)
    assert summary.closing == ledger.balance(workspace, date(2025, 12, 31))

    everything = ledger.year_summary(workspace, None)
    assert (everything.opening, everything.total_receipts, everything.closing) == (0, 13_775_000, 5_475_000)


# -- the negative-balance guard -------------------------------------------------------------------


def test_a_payment_beyond_the_fund_is_refused_naming_date_and_balance(workspace: Workspace) -> None:
    ledger.create_entry(workspace, receipt(date(2025, 3, 1), 2_000_000))
    with pytest.raises(NegativeBalance) as caught:
        ledger.create_entry(workspace, payment(date(2025, 3, 12), 3_500_000, voucher_no="PC-2025-007"))
    assert str(caught.value) == "Sau phiếu chi PC-2025-007 ngày 12/03/2025 quỹ sẽ âm 1.500.000 đ"
    assert (caught.value.entry_on, caught.value.balance) == (date(2025, 3, 12), -1_500_000)
    assert len(shown(workspace)) == 1  # nothing written

    ledger.create_entry(workspace, payment(date(2025, 3, 12), 3_500_000, voucher_no="PC-2025-007"), allow_negative=True)
    assert shown(workspace)[-1] == ("PC-2025-007", 0, 3_500_000, -1_500_000)


def test_a_backdated_payment_that_empties_the_fund_for_a_later_one_is_refused(workspace: Workspace) -> None:
    ledger.create_entry(workspace, receipt(date(2025, 1, 10), 5_000_000))
    ledger.create_entry(workspace, payment(date(2025, 3, 12), 4_000_000))  # PC-2025-001
    with pytest.raises(NegativeBalance) as caught:
        ledger.create_entry(workspace, payment(date(2025, 2, 1), 2_500_000))  # fine on its own date
    assert str(caught.value) == "Sau phiếu chi PC-2025-001 ngày 12/03/2025 quỹ sẽ âm 1.500.000 đ"
    assert len(shown(workspace)) == 2


def test_edits_and_deletions_that_would_empty_the_fund_are_refused(workspace: Workspace) -> None:
    donation = ledger.create_entry(workspace, receipt(date(2025, 1, 10), 5_000_000))
    ledger.create_entry(workspace, payment(date(2025, 3, 12), 4_000_000))
    with pytest.raises(NegativeBalance, match=re.escape("quỹ sẽ âm 1.000.000 đ")):
        ledger.update_entry(workspace, donation, receipt(date(2025, 1, 10), 3_000_000))
    with pytest.raises(
        NegativeBalance, match=re.escape("Sau phiếu chi PC-2025-001 ngày 12/03/2025 quỹ sẽ âm 4.000.000 đ")
    ):
        ledger.delete_entry(workspace, donation)
    with pytest.raises(NegativeBalance):  # moving the receipt after the payment
        ledger.update_entry(workspace, donation, receipt(date(2025, 4, 1), 5_000_000))
    assert shown(workspace) == [("PT-2025-001", 5_000_000, 0, 5_000_000), ("PC-2025-001", 0, 4_000_000, 1_000_000)]

    ledger.delete_entry(workspace, donation, allow_negative=True)
    assert shown(workspace) == [("PC-2025-001", 0, 4_000_000, -4_000_000)]


def test_a_fund_already_below_zero_takes_receipts_but_not_further_payments(workspace: Workspace) -> None:
    ledger.create_entry(workspace, payment(date(2025, 1, 5), 1_000_000), allow_negative=True)
    ledger.create_entry(workspace, receipt(date(2025, 1, 20), 400_000))  # still below zero, but better
    with pytest.raises(NegativeBalance, match=re.escape("quỹ sẽ âm 700.000 đ")):
        ledger.create_entry(workspace, payment(date(2025, 2, 1), 100_000))
    assert [r.balance for r in ledger.list_entries(workspace)] == [-1_000_000, -600_000]


# -- voucher numbers ----------------------------------------------------------------------------------


def test_voucher_numbers_run_per_year_and_direction(workspace: Workspace) -> None:
    ledger.create_entry(workspace, receipt(date(2024, 12, 1), 900_000))
    ledger.create_entry(workspace, receipt(date(2025, 1, 2), 900_000))
    ledger.create_entry(workspace, receipt(date(2025, 1, 3), 900_000, voucher_no="PT-2025-010"))  # typed
    ledger.create_entry(workspace, receipt(date(2025, 1, 4), 900_000))
    ledger.create_entry(workspace, payment(date(2025, 1, 5), 100_000))
    ledger.create_entry(workspace, payment(date(2024, 12, 2), 100_000))
    assert [r[0] for r in shown(workspace)] == [
        "PT-2024-001", "PC-2024-001", "PT-2025-001", "PT-2025-010", "PT-2025-011", "PC-2025-001",
    ]  # fmt: skip
    assert ledger.suggest_voucher_no(workspace, CHI, date(2025, 7, 1)) == "PC-2025-002"
    assert ledger.suggest_voucher_no(workspace, THU, date(2026, 1, 1)) == "PT-2026-001"


def test_a_binned_voucher_keeps_its_number(workspace: Workspace) -> None:
    ledger.create_entry(workspace, receipt(date(2025, 1, 2), 900_000))
    last = ledger.create_entry(workspace, receipt(date(2025, 1, 3), 900_000))
    ledger.delete_entry(workspace, last)
    assert ledger.suggest_voucher_no(workspace, THU, date(2025, 2, 1)) == "PT-2025-003"


def test_a_duplicate_voucher_number_is_refused(workspace: Workspace) -> None:
    ledger.create_entry(workspace, receipt(date(2025, 3, 2), 9_700_000))
    with pytest.raises(ValidationError) as caught:
        ledger.create_entry(workspace, receipt(date(2025, 3, 3), 100_000, voucher_no="pt-2025-001"))
    assert caught.value.field == "voucher_no"
    assert str(caught.value) == (
        "Phiếu thu PT-2025-001 — ô «Số phiếu»: số PT-2025-001 đã dùng cho phiếu thu ngày 02/03/2025 (9.700.000 đ)."
    )
    # The same number on a payment is another book's number.
    ledger.create_entry(workspace, payment(date(2025, 3, 3), 100_000, voucher_no="PT-2025-001"))


def test_editing_keeps_or_changes_the_number(workspace: Workspace) -> None:
    first = ledger.create_entry(workspace, receipt(date(2025, 3, 2), 9_700_000))
    second = ledger.create_entry(workspace, receipt(date(2025, 3, 3), 100_000))
    ledger.update_entry(workspace, first, receipt(date(2025, 3, 2), 9_800_000, "Bà Lê Thị Hoa"))  # blank keeps it
    assert ledger.ledger_input(workspace, first) == receipt(
        date(2025, 3, 2), 9_800_000, "Bà Lê Thị Hoa", voucher_no="PT-2025-001"
    )
    with pytest.raises(ValidationError, match="đã dùng"):
        ledger.update_entry(workspace, second, receipt(date(2025, 3, 3), 100_000, voucher_no="PT-2025-001"))
    ledger.update_entry(workspace, second, receipt(date(2025, 3, 3), 100_000, voucher_no="PT-2025-005"))
    assert [r[0] for r in shown(workspace)] == ["PT-2025-001", "PT-2025-005"]


# -- undo, audit, recycle bin ------------------------------------------------------------------------


def test_undo_and_redo_of_a_payment_and_an_edit(workspace: Workspace) -> None:
    ledger.create_entry(workspace, receipt(date(2025, 3, 2), 9_700_000))
    paid = ledger.create_entry(workspace, payment(date(2025, 3, 12), 4_000_000))
    ledger.update_entry(workspace, paid, payment(date(2025, 3, 12), 4_500_000))
    assert workspace.history.undo_label == "Sửa phiếu chi PC-2025-001 (4.500.000 đ)"
    workspace.history.undo(workspace)
    assert shown(workspace)[-1] == ("PC-2025-001", 0, 4_000_000, 5_700_000)
    workspace.history.undo(workspace)
    assert shown(workspace) == [("PT-2025-001", 9_700_000, 0, 9_700_000)]
    workspace.history.redo(workspace)
    assert ledger.balance(workspace) == 5_700_000
    assert audit(workspace)[:3] == [
        "Thêm phiếu thu PT-2025-001 (9.700.000 đ)",
        "Thêm phiếu chi PC-2025-001 (4.000.000 đ)",
        "Sửa phiếu chi PC-2025-001 (4.500.000 đ)",
    ]
    assert audit(workspace)[-1] == "Làm lại: Thêm phiếu chi PC-2025-001 (4.000.000 đ)"


def test_recycle_bin_lists_and_restores_a_voucher(workspace: Workspace) -> None:
    ledger.create_entry(workspace, receipt(date(2025, 3, 2), 9_700_000))
    paid = ledger.create_entry(workspace, payment(date(2025, 3, 12), 4_000_000, "Em Trần Văn Bảy"))
    ledger.delete_entry(workspace, paid)
    assert ledger.balance(workspace) == 9_700_000
    (source,) = ledger.BIN_SOURCES
    (binned,) = source.records(workspace)
    assert (binned.kind_label, binned.label) == ("Phiếu thu, phiếu chi", "Phiếu chi PC-2025-001")
    assert binned.detail == "12/03/2025 — Học bổng — Em Trần Văn Bảy — 4.000.000 đ"
    source.restore(workspace, paid)
    assert ledger.balance(workspace) == 5_700_000
    assert audit(workspace)[-2:] == [
        "Xóa phiếu chi PC-2025-001 (4.000.000 đ)",
        "Khôi phục phiếu chi PC-2025-001 (4.000.000 đ)",
    ]


def test_restore_is_refused_when_the_number_was_used_again(workspace: Workspace) -> None:
    first = ledger.create_entry(workspace, receipt(date(2025, 3, 2), 9_700_000))
    ledger.delete_entry(workspace, first)
    ledger.create_entry(workspace, receipt(date(2025, 3, 4), 1_000_000, voucher_no="PT-2025-001"))
    with pytest.raises(UserError) as caught:
        ledger.restore_entry(workspace, first)
    assert str(caught.value) == (
        "Không khôi phục được phiếu thu PT-2025-001: "
        "số PT-2025-001 đã dùng cho phiếu thu ngày 04/03/2025 (1.000.000 đ)."
    )
    assert shown(workspace) == [("PT-2025-001", 1_000_000, 0, 1_000_000)]


def test_restoring_a_payment_that_would_empty_the_fund_is_refused(workspace: Workspace) -> None:
    ledger.create_entry(workspace, receipt(date(2025, 3, 2), 1_000_000))
    paid = ledger.create_entry(workspace, payment(date(2025, 3, 5), 800_000))
    ledger.delete_entry(workspace, paid)
    ledger.create_entry(workspace, payment(date(2025, 3, 6), 500_000))
    with pytest.raises(
        NegativeBalance, match=re.escape("Sau phiếu chi PC-2025-002 ngày 06/03/2025 quỹ sẽ âm 300.000 đ")
    ):
        ledger.restore_entry(workspace, paid)


# -- posting from the awards register ---------------------------------------------------------------


def test_add_and_remove_inside_an_open_change(workspace: Workspace) -> None:
    ledger.create_entry(workspace, receipt(date(2025, 3, 2), 9_700_000))
    with record_change(workspace, "Thêm học bổng cho em Trần Văn Bảy") as change:
        entry = ledger.add_entry_in(change, payment(date(2025, 9, 5), 1_000_000, "Em Trần Văn Bảy"))
        award = Award(
            pupil_name="Trần Văn Bảy", category="vuot_kho", kind="tien_mat", value_vnd=1_000_000,
            awarded_on="2025-09-05", ledger_entry_id=entry.id,
        )  # fmt: skip
        change.add(award)
    assert entry.voucher_no == "PC-2025-001"
    assert workspace.history.undo_label == "Thêm học bổng cho em Trần Văn Bảy"

    with pytest.raises(UserError, match="được ghi từ phần thưởng của «Trần Văn Bảy»"):
        ledger.delete_entry(workspace, entry.id)
    with pytest.raises(ValidationError, match="hãy sửa số tiền ở sổ học bổng"):
        ledger.update_entry(workspace, entry.id, payment(date(2025, 9, 5), 2_000_000, "Em Trần Văn Bảy"))
    ledger.update_entry(
        workspace, entry.id, payment(date(2025, 9, 5), 1_000_000, "Em Trần Văn Bảy", note="Lễ khai giảng")
    )

    with record_change(workspace, "Xóa học bổng của em Trần Văn Bảy") as change:
        stored = change.session.get_one(Award, award.id)
        change.touch(stored)
        stored.deleted_at = "2025-09-06T00:00:00Z"
        ledger.remove_entry_in(change, entry.id)
    assert ledger.balance(workspace) == 9_700_000
    with pytest.raises(UserError, match="hãy khôi phục phần thưởng"):
        ledger.restore_entry(workspace, entry.id)


def test_a_posting_that_would_empty_the_fund_undoes_the_whole_change(workspace: Workspace) -> None:
    with pytest.raises(NegativeBalance), record_change(workspace, "Thêm học bổng") as change:
        ledger.add_entry_in(change, payment(date(2025, 9, 5), 1_000_000))
    with session_scope(workspace.engine) as session:
        assert session.exec(select(LedgerEntry)).all() == []
    assert workspace.history.undo_label is None


def test_change_and_restore_a_line_in_place_inside_an_open_change(workspace: Workspace) -> None:
    ledger.create_entry(workspace, receipt(date(2025, 3, 2), 1_500_000))
    with record_change(workspace, "Thêm học bổng cho em Trần Văn Bảy") as change:
        entry_id = ledger.add_entry_in(change, payment(date(2025, 9, 5), 1_000_000, "Em Trần Văn Bảy")).id

    with record_change(workspace, "Sửa học bổng của em Trần Văn Bảy") as change:
        changed = ledger.update_entry_in(change, entry_id, payment(date(2025, 9, 6), 1_200_000, "Em Trần Văn Bảy"))
        assert (changed.id, changed.voucher_no) == (entry_id, "PC-2025-001")  # a blank number keeps its own
    assert shown(workspace) == [("PT-2025-001", 1_500_000, 0, 1_500_000), ("PC-2025-001", 0, 1_200_000, 300_000)]
    with pytest.raises(NegativeBalance), record_change(workspace, "Sửa học bổng") as change:
        ledger.update_entry_in(change, entry_id, payment(date(2025, 9, 6), 2_000_000, "Em Trần Văn Bảy"))
    assert ledger.balance(workspace) == 300_000  # nothing of the refused change written

    with record_change(workspace, "Xóa học bổng của em Trần Văn Bảy") as change:
        ledger.remove_entry_in(change, entry_id)
    ledger.create_entry(workspace, payment(date(2025, 9, 7), 100_000, voucher_no="PC-2025-001"))
    with record_change(workspace, "Khôi phục học bổng của em Trần Văn Bảy") as change:
        restored = ledger.restore_entry_in(change, entry_id)
        assert (restored.id, restored.voucher_no) == (entry_id, "PC-2025-002")  # its number was taken meanwhile
    assert ledger.balance(workspace) == 200_000
    assert ledger.BIN_SOURCES[0].records(workspace) == []
    (row,) = [r for r in ledger.list_entries(workspace) if r.id == entry_id]
    assert matches(row.search_key, "pc-2025-002")
