"""Scholarships and gifts (services/awards.py): pupils from the register or typed, the school year, the rules,
a cash award's payment in the fund ledger, ceremonies and their totals, undo and the recycle bin."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from khuyenhoc_desktop.domain.awards import AwardCategory, AwardEventInput, AwardInput, AwardKind
from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.household import HouseholdInput, LearningStatus, MemberInput, Relation, Sex
from khuyenhoc_desktop.domain.ledger import Direction, LedgerInput, PaymentCategory, ReceiptCategory
from khuyenhoc_desktop.services import awards, ledger
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace

CEREMONY_DAY = date(2026, 9, 5)


def hamlet_id(workspace: Workspace, name: str = "Ấp Vĩnh Thạnh") -> str:
    return next(h.id for h in list_hamlets(workspace) if h.name == name)


def pupil_in_register(workspace: Workspace) -> tuple[str, str]:
    """Household 00012 of Ấp Vĩnh Thạnh with the pupil Nguyễn Minh Khoa, born 2014, in class 7A."""
    household_id = household_service.create_household(
        workspace, HouseholdInput("00012", "Nguyễn Văn Tư", hamlet_id(workspace), 1980)
    )
    member_id = household_service.add_member(
        workspace,
        household_id,
        MemberInput(
            "Nguyễn Minh Khoa",
            2014,
            Sex.MALE,
            Relation.CHILD,
            "Trường THCS Phước Vĩnh Tây, lớp 7A",
            LearningStatus.LOWER_SECONDARY,
        ),
    )
    return household_id, member_id


def cash(name: str = "Trần Thị Bé Ba", value: int = 2_000_000, **changes: object) -> AwardInput:
    values: dict[str, object] = {
        "pupil_name": name,
        "category": AwardCategory.OVERCOMING,
        "kind": AwardKind.CASH,
        "value_vnd": value,
        "awarded_on": CEREMONY_DAY,
        "birth_year": 2013,
        "school": "Trường THCS Phước Vĩnh Tây",
        "grade": "8A",
        "sponsor": "Công ty TNHH Thành Công",
    }
    values.update(changes)
    return AwardInput(**values)  # type: ignore[arg-type]


def receipt(workspace: Workspace, amount: int, on: date = date(2026, 9, 1)) -> str:
    return ledger.create_entry(
        workspace, LedgerInput(on, Direction.THU, ReceiptCategory.DONATION, "Công ty TNHH Thành Công", amount)
    )


def ceremony(workspace: Workspace, name: str = "Trao học bổng đầu năm học 2026-2027") -> str:
    return awards.create_event(
        workspace,
        AwardEventInput(name, CEREMONY_DAY, "Hội trường UBND xã", "Công ty TNHH Thành Công", note="Đợt 1"),
    )


def only(rows: list[awards.AwardRow]) -> awards.AwardRow:
    (row,) = rows
    return row


# -- pupils ---------------------------------------------------------------------------------------------------


def test_a_pupil_from_the_register_brings_name_birth_year_household_hamlet_and_class(workspace: Workspace) -> None:
    _, member_id = pupil_in_register(workspace)
    award_id = awards.create_award(
        workspace, cash("gõ sai tên", member_id=member_id, birth_year=None, school="", grade="")
    )
    row = only(awards.list_awards(workspace))
    assert row.id == award_id
    assert (row.pupil_name, row.birth_year, row.member_id) == ("Nguyễn Minh Khoa", 2014, member_id)
    assert (row.household_code, row.hamlet_name) == ("00012", "Ấp Vĩnh Thạnh")
    assert (row.school, row.grade) == ("Trường THCS Phước Vĩnh Tây", "7A")
    assert (row.category_label, row.kind_label, row.is_cash) == ("Vượt khó học giỏi", "Tiền mặt", True)
    assert "vinh thanh" in row.search_key and "00012" in row.search_key and "vuot kho" in row.search_key


def test_a_typed_pupil_stays_outside_the_register(workspace: Workspace) -> None:
    awards.create_award(workspace, cash("  Trần   Thị Bé Ba ", kind=AwardKind.BICYCLE, value=1_800_000))
    row = only(awards.list_awards(workspace))
    assert (row.pupil_name, row.member_id, row.household_code, row.hamlet_id) == ("Trần Thị Bé Ba", None, "", None)
    assert (row.kind_label, row.is_cash, row.value_vnd) == ("Xe đạp", False, 1_800_000)
    assert awards.list_awards(workspace, year=2025) == []
    assert [r.id for r in awards.list_awards(workspace, year=2026)] == [row.id]


def test_the_school_year_defaults_from_the_date_and_accepts_other_spellings(workspace: Workspace) -> None:
    autumn = awards.create_award(workspace, cash("Lê Văn An", awarded_on=date(2025, 10, 15)))
    spring = awards.create_award(workspace, cash("Lê Văn Bình", awarded_on=date(2026, 3, 20)))
    typed = awards.create_award(workspace, cash("Lê Văn Cường", school_year="2024 / 2025"))
    years = {row.id: row.school_year for row in awards.list_awards(workspace)}
    assert years == {autumn: "2025-2026", spring: "2025-2026", typed: "2024-2025"}


def test_an_award_of_a_ceremony_takes_its_sponsor_and_school_year_when_left_blank(workspace: Workspace) -> None:
    event_id = ceremony(workspace)
    awards.create_award(workspace, cash(sponsor="", event_id=event_id, awarded_on=date(2026, 8, 30)))
    row = only(awards.list_awards(workspace, event_id=event_id))
    assert (row.sponsor, row.school_year, row.event_name) == (
        "Công ty TNHH Thành Công",
        "2026-2027",  # the ceremony's, from its own date, not the award's August
        "Trao học bổng đầu năm học 2026-2027",
    )


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"pupil_name": "  "}, "pupil_name", "chưa nhập họ tên học sinh"),
        ({"value_vnd": 0}, "value_vnd", "giá trị phải lớn hơn 0"),
        ({"value_vnd": -500_000}, "value_vnd", "giá trị phải lớn hơn 0"),
        ({"school_year": "2025-2027"}, "school_year", "hai năm liền nhau"),
        ({"school_year": "năm nay"}, "school_year", "không đúng dạng năm học"),
        ({"awarded_on": date(1999, 12, 31)}, "awarded_on", "nằm ngoài khoảng cho phép (01/01/2000 – "),
        ({"awarded_on": date.today() + timedelta(days=400)}, "awarded_on", "nằm ngoài khoảng cho phép (01/01/2000 – "),
        ({"birth_year": 1850}, "birth_year", "năm sinh 1850"),
        ({"category": ""}, "category", "chưa chọn diện"),
        ({"awarded_on": date.today() + timedelta(days=3), "post_to_ledger": True}, "post_to_ledger", "chưa đến"),
    ],
)
def test_bad_awards_are_refused_naming_the_pupil_and_field(
    workspace: Workspace, changes: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        awards.create_award(workspace, replace(cash(), **changes))  # type: ignore[arg-type]
    assert refused.value.field == field
    assert words in refused.value.message
    assert awards.list_awards(workspace) == []


def test_a_bad_ceremony_is_refused(workspace: Workspace) -> None:
    with pytest.raises(ValidationError) as refused:
        awards.create_event(workspace, AwardEventInput("", CEREMONY_DAY))
    assert refused.value.field == "name"
    assert refused.value.record == "Lễ trao mới"


# -- the fund ledger ------------------------------------------------------------------------------------------


def test_a_cash_award_posts_one_payment_and_takes_it_back_when_deleted(workspace: Workspace) -> None:
    receipt(workspace, 10_000_000)
    event_id = ceremony(workspace)
    award_id = awards.create_award(workspace, cash(event_id=event_id, post_to_ledger=True))
    row = only(awards.list_awards(workspace))
    assert row.voucher_no == "PC-2026-001"
    (payment,) = [e for e in ledger.list_entries(workspace) if e.direction == Direction.CHI]
    assert (payment.id, payment.amount, payment.category, payment.counterpart) == (
        row.ledger_entry_id,
        2_000_000,
        PaymentCategory.SCHOLARSHIP,
        "Trần Thị Bé Ba",
    )
    assert payment.note == "Học bổng lễ «Trao học bổng đầu năm học 2026-2027»"
    assert ledger.balance(workspace) == 8_000_000

    awards.delete_award(workspace, award_id)
    assert awards.list_awards(workspace) == []
    assert ledger.balance(workspace) == 10_000_000
    assert workspace.history.undo_label == "Xóa suất tiền mặt của Trần Thị Bé Ba"

    workspace.history.undo(workspace)
    assert only(awards.list_awards(workspace)).voucher_no == "PC-2026-001"
    assert ledger.balance(workspace) == 8_000_000


def test_in_kind_gifts_never_post_and_a_cash_gift_posts_as_a_gift(workspace: Workspace) -> None:
    receipt(workspace, 5_000_000)
    awards.create_award(workspace, cash("Võ Văn Tài", kind=AwardKind.RICE, value=300_000, post_to_ledger=True))
    awards.create_award(workspace, cash("Võ Thị Lan", category=AwardCategory.OTHER, value=500_000, post_to_ledger=True))
    rows = {row.pupil_name: row for row in awards.list_awards(workspace)}
    assert rows["Võ Văn Tài"].ledger_entry_id is None
    payments = [e for e in ledger.list_entries(workspace) if e.direction == Direction.CHI]
    assert [(p.category, p.note, p.amount) for p in payments] == [
        (PaymentCategory.GIFT, "Quà năm học 2026-2027", 500_000)
    ]


def test_a_payment_that_would_empty_the_fund_is_refused_unless_allowed(workspace: Workspace) -> None:
    receipt(workspace, 1_000_000)
    with pytest.raises(ledger.NegativeBalance) as refused:
        awards.create_award(workspace, cash(post_to_ledger=True))
    assert "âm 1.000.000 đ" in str(refused.value)
    assert awards.list_awards(workspace) == []  # nothing half-written

    awards.create_award(workspace, cash(post_to_ledger=True), allow_negative=True)
    assert ledger.balance(workspace) == -1_000_000
    assert only(awards.list_awards(workspace)).voucher_no == "PC-2026-001"


def test_editing_a_posted_award_keeps_its_voucher_number_and_unticking_takes_the_payment_back(
    workspace: Workspace,
) -> None:
    receipt(workspace, 10_000_000)
    award_id = awards.create_award(workspace, cash(post_to_ledger=True))
    awards.update_award(workspace, award_id, cash(value=3_000_000, post_to_ledger=True))
    row = only(awards.list_awards(workspace))
    assert (row.value_vnd, row.voucher_no) == (3_000_000, "PC-2026-001")
    assert ledger.balance(workspace) == 7_000_000
    assert awards.award_input(workspace, award_id).post_to_ledger

    awards.update_award(workspace, award_id, cash(value=3_000_000, post_to_ledger=False))
    assert only(awards.list_awards(workspace)).ledger_entry_id is None
    assert ledger.balance(workspace) == 10_000_000
    assert not awards.award_input(workspace, award_id).post_to_ledger
    assert [r.label for r in ledger.BIN_SOURCES[0].records(workspace)] == ["Phiếu chi PC-2026-001"]

    workspace.history.undo(workspace)
    workspace.history.undo(workspace)  # back to 2.000.000, under the same voucher
    row = only(awards.list_awards(workspace))
    assert (row.value_vnd, row.voucher_no, ledger.balance(workspace)) == (2_000_000, "PC-2026-001", 8_000_000)


def test_editing_a_posted_award_changes_the_same_voucher_and_leaves_nothing_in_the_bin(workspace: Workspace) -> None:
    receipt(workspace, 10_000_000)
    event_id = ceremony(workspace)
    award_id = awards.create_award(workspace, cash(event_id=event_id, post_to_ledger=True))
    voucher_id = only(awards.list_awards(workspace)).ledger_entry_id

    awards.update_award(workspace, award_id, cash("Trần Thị Bé Tư", value=2_500_000, post_to_ledger=True))
    row = only(awards.list_awards(workspace))
    assert (row.ledger_entry_id, row.voucher_no) == (voucher_id, "PC-2026-001")
    (payment,) = [e for e in ledger.list_entries(workspace) if e.direction == Direction.CHI]
    assert (payment.id, payment.voucher_no, payment.amount, payment.counterpart, payment.note) == (
        voucher_id,
        "PC-2026-001",
        2_500_000,
        "Trần Thị Bé Tư",
        "Học bổng năm học 2026-2027",  # no longer the ceremony's
    )
    assert ledger.BIN_SOURCES[0].records(workspace) == []  # no copy that could be paid a second time
    assert workspace.history.undo_label == "Sửa suất tiền mặt 2.500.000 đ cho Trần Thị Bé Tư"

    workspace.history.undo(workspace)
    (payment,) = [e for e in ledger.list_entries(workspace) if e.direction == Direction.CHI]
    assert (payment.id, payment.amount, payment.counterpart) == (voucher_id, 2_000_000, "Trần Thị Bé Ba")
    assert ledger.balance(workspace) == 8_000_000


def test_restoring_an_award_whose_number_was_taken_brings_its_voucher_back_under_the_next_number(
    workspace: Workspace,
) -> None:
    receipt(workspace, 10_000_000)
    award_id = awards.create_award(workspace, cash(post_to_ledger=True))
    voucher_id = only(awards.list_awards(workspace)).ledger_entry_id
    awards.delete_award(workspace, award_id)
    ledger.create_entry(
        workspace,
        LedgerInput(CEREMONY_DAY, Direction.CHI, PaymentCategory.REWARD, "Lê Văn Hai", 100_000, "", "PC-2026-001"),
    )

    awards.restore_award(workspace, award_id)
    row = only(awards.list_awards(workspace))
    assert (row.ledger_entry_id, row.voucher_no) == (voucher_id, "PC-2026-002")  # the same line, renumbered
    assert ledger.balance(workspace) == 10_000_000 - 100_000 - 2_000_000
    assert ledger.BIN_SOURCES[0].records(workspace) == []


# -- ceremonies ---------------------------------------------------------------------------------------------


def test_a_ceremony_counts_its_awards_and_adds_cash_and_in_kind_apart(workspace: Workspace) -> None:
    event_id = ceremony(workspace)
    other = awards.create_event(workspace, AwardEventInput("Trao quà Tết", date(2025, 1, 20)))
    awards.create_award(workspace, cash("Lê Văn An", value=1_000_000, event_id=event_id))
    awards.create_award(workspace, cash("Lê Văn Bình", value=2_000_000, event_id=event_id))
    awards.create_award(workspace, cash("Lê Thị Cúc", kind=AwardKind.BICYCLE, value=1_500_000, event_id=event_id))
    gone = awards.create_award(workspace, cash("Lê Văn Dũng", value=9_000_000, event_id=event_id))
    awards.delete_award(workspace, gone)
    (row,) = awards.list_events(workspace, year=2026)
    assert (row.id, row.award_count, row.cash_total, row.in_kind_total, row.total) == (
        event_id,
        3,
        3_000_000,
        1_500_000,
        4_500_000,
    )
    assert [e.id for e in awards.list_events(workspace)] == [event_id, other]  # newest first
    assert [r.pupil_name for r in awards.list_awards(workspace, event_id=event_id)] == [
        "Lê Văn An",
        "Lê Văn Bình",
        "Lê Thị Cúc",
    ]


def test_a_ceremony_with_awards_cannot_be_deleted_and_its_awards_wait_for_it_in_the_bin(
    workspace: Workspace,
) -> None:
    event_id = ceremony(workspace)
    award_id = awards.create_award(workspace, cash(event_id=event_id))
    with pytest.raises(UserError, match="còn 1 suất học bổng, quà"):
        awards.delete_event(workspace, event_id)

    awards.delete_award(workspace, award_id)
    awards.delete_event(workspace, event_id)
    assert awards.list_events(workspace) == []
    with pytest.raises(UserError, match="đang ở thùng rác: hãy khôi phục lễ trao trước"):
        awards.restore_award(workspace, award_id)

    awards.restore_event(workspace, event_id)
    awards.restore_award(workspace, award_id)
    assert only(awards.list_awards(workspace)).event_name == "Trao học bổng đầu năm học 2026-2027"


def test_the_recycle_bin_lists_awards_and_ceremonies_and_restores_a_payment_under_its_number(
    workspace: Workspace,
) -> None:
    receipt(workspace, 10_000_000)
    event_id = awards.create_event(workspace, AwardEventInput("Trao quà Trung thu", date(2026, 9, 20)))
    award_id = awards.create_award(workspace, cash(post_to_ledger=True))
    awards.delete_award(workspace, award_id)
    awards.delete_event(workspace, event_id)

    binned = [r for r in (s.records(workspace) for s in awards.BIN_SOURCES) for r in r]
    assert {(r.kind_label, r.label) for r in binned} == {
        ("Học bổng, quà", "Trần Thị Bé Ba — Tiền mặt 2.000.000 đ"),
        ("Lễ trao học bổng, quà", "Trao quà Trung thu"),
    }
    source = next(s for s in awards.BIN_SOURCES if s.kind == "award")
    source.restore(workspace, award_id)
    row = only(awards.list_awards(workspace))
    assert row.voucher_no == "PC-2026-001"
    assert ledger.balance(workspace) == 8_000_000
    # The binned copy of the voucher is gone, so the ledger's bin cannot pay it a second time.
    assert not [r for r in ledger.BIN_SOURCES[0].records(workspace) if "PC-2026-001" in r.label]

    workspace.history.undo(workspace)  # the restore taken back: award and voucher in the bin again
    assert awards.list_awards(workspace) == []
    assert ledger.balance(workspace) == 10_000_000
    assert [r.label for r in ledger.BIN_SOURCES[0].records(workspace)] == ["Phiếu chi PC-2026-001"]


# -- typed pupils into the register ------------------------------------------------------------------------


def test_a_typed_pupil_is_added_to_a_household_and_every_award_typed_for_them_follows(
    workspace: Workspace,
) -> None:
    household_id, _ = pupil_in_register(workspace)
    first = awards.create_award(
        workspace, cash("Nguyễn Thị Mai", birth_year=2015, grade="6B", awarded_on=date(2025, 9, 5))
    )
    awards.create_award(workspace, cash("Nguyễn Thị  Mai", birth_year=2015, grade="7B"))
    awards.create_award(workspace, cash("Nguyễn Thị Mai", birth_year=2010, grade="11A"))  # another girl

    member_id = awards.add_pupil_to_register(workspace, first, household_id, Relation.GRANDCHILD, Sex.FEMALE)
    members = {m.id: m for m in household_service.list_members(workspace, household_id)}
    mai = members[member_id]
    assert (mai.full_name, mai.birth_year, mai.relation, mai.sex) == ("Nguyễn Thị Mai", 2015, "chau", "nu")
    assert (mai.school, mai.learning_status) == ("Trường THCS Phước Vĩnh Tây, lớp 6B", LearningStatus.LOWER_SECONDARY)
    linked = [(r.birth_year, r.household_code) for r in awards.list_awards(workspace)]
    assert sorted(linked, key=str) == [(2010, ""), (2015, "00012"), (2015, "00012")]
    assert workspace.history.undo_label == "Gắn 2 suất học bổng, quà với Nguyễn Thị Mai (hộ 00012)"
    with pytest.raises(UserError, match="đã có trong sổ hộ"):
        awards.add_pupil_to_register(workspace, first, household_id)

    workspace.history.undo(workspace)  # one step takes back the member and the links together
    assert member_id not in {m.id for m in household_service.list_members(workspace, household_id)}
    assert sorted(r.household_code for r in awards.list_awards(workspace)) == ["", "", ""]
    assert workspace.history.undo_label == "Thêm suất tiền mặt 2.000.000 đ cho Nguyễn Thị Mai"  # the award before


def test_every_award_change_is_one_step_to_undo(workspace: Workspace) -> None:
    award_id = awards.create_award(workspace, cash())
    assert workspace.history.undo_label == "Thêm suất tiền mặt 2.000.000 đ cho Trần Thị Bé Ba"
    awards.update_award(workspace, award_id, cash(value=2_500_000))
    workspace.history.undo(workspace)
    assert only(awards.list_awards(workspace)).value_vnd == 2_000_000
    workspace.history.undo(workspace)
    assert awards.list_awards(workspace) == []
