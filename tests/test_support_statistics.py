"""The report's support lines against a data set built by hand (figures worked out in the comments)."""

from __future__ import annotations

import pytest

from khuyenhoc_desktop.services.support_statistics import support_statistics
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Activity, ActivityTarget, Award, Honour, LedgerEntry, utc_now


def award(name: str, on: str, kind: str, value: int, sponsor: str, category: str, **extra: object) -> Award:
    return Award(pupil_name=name, name_key=name.lower(), awarded_on=on, kind=kind, value_vnd=value,
                 sponsor=sponsor, category=category, **extra)  # fmt: skip


def entry(on: str, direction: str, amount: int, voucher: str, **extra: object) -> LedgerEntry:
    return LedgerEntry(entry_on=on, direction=direction, amount=amount, voucher_no=voucher, category="khac", **extra)


@pytest.fixture
def figures(workspace: Workspace):
    with session_scope(workspace.engine) as session:
        session.add_all(
            [
                # 2025 awards: cash 2.000.000 + 1.500.000 (Công ty A), in kind 3.000.000 bicycle (Công ty A),
                # 500.000 notebooks (no sponsor). Khoa has two awards: one recipient for "vượt khó học giỏi".
                award("Nguyễn Minh Khoa", "2025-09-05", "tien_mat", 2_000_000, "Công ty A", "vuot_kho_hoc_gioi",
                      birth_year=2014),
                award("Nguyễn Minh Khoa", "2025-12-20", "tien_mat", 1_500_000, "Công ty A", "vuot_kho_hoc_gioi",
                      birth_year=2014),
                award("Trần Thị Lan", "2025-09-05", "xe_dap", 3_000_000, "Công ty A", "hoan_canh_kho_khan"),
                award("Lê Văn Tí", "2025-05-01", "tap_vo", 500_000, "", "hoan_canh_kho_khan"),
                # Not counted: another year, and one in the recycle bin.
                award("Phạm Văn Út", "2024-12-31", "tien_mat", 9_000_000, "Công ty A", "hoc_sinh_gioi"),
                award("Võ Thị Hoa", "2025-06-01", "tien_mat", 7_000_000, "Công ty B", "hoc_sinh_gioi",
                      deleted_at=utc_now()),
                # Fund: 2024 leaves 10.000.000 - 4.000.000 = 6.000.000 to bring forward;
                # 2025 takes in 5.000.000 and pays out 2.500.000.
                entry("2024-03-01", "thu", 10_000_000, "PT-2024-001"),
                entry("2024-11-01", "chi", 4_000_000, "PC-2024-001"),
                entry("2025-01-10", "thu", 5_000_000, "PT-2025-001"),
                entry("2025-09-05", "chi", 2_000_000, "PC-2025-001"),
                entry("2025-12-20", "chi", 500_000, "PC-2025-002"),
                entry("2025-12-21", "chi", 800_000, "PC-2025-003", deleted_at=utc_now()),
                entry("2026-01-02", "thu", 1_000_000, "PT-2026-001"),
                # Activities 2025: 3 sessions (40 + 35 + 25 = 100 attendances), 2 training classes (30 + 20),
                # 1 vocational class (15); one 2024 session does not count. Targets: sessions 2, training 1,
                # vocational none → classes 3 against a summed target of 1 = 300%.
                Activity(kind="sinh_hoat", name="Phòng chống đuối nước", starts_on="2025-03-01", participants=40),
                Activity(kind="sinh_hoat", name="Pháp luật giao thông", starts_on="2025-06-01", participants=35),
                Activity(kind="sinh_hoat", name="Nuôi con khỏe", starts_on="2025-12-31", participants=25),
                Activity(kind="sinh_hoat", name="Năm cũ", starts_on="2024-12-31", participants=99),
                Activity(kind="tap_huan", name="Trồng lúa", starts_on="2025-04-01", participants=30),
                Activity(kind="tap_huan", name="Nuôi bò", starts_on="2025-08-01", participants=20),
                Activity(kind="day_nghe", name="May công nghiệp", starts_on="2025-10-01", participants=15),
                ActivityTarget(year=2025, kind="sinh_hoat", target=2),
                ActivityTarget(year=2025, kind="tap_huan", target=1),
                ActivityTarget(year=2024, kind="day_nghe", target=5),
                # Honours 2025: 2 models, commendations 1 collective and 2 persons; a 2026 one does not count.
                Honour(kind="mo_hinh", recipient_kind="tap_the", recipient="Dòng họ Trần", level="xa",
                       honoured_on="2025-11-20"),
                Honour(kind="mo_hinh", recipient_kind="ca_nhan", recipient="Lê Văn An", level="tinh",
                       honoured_on="2025-11-20"),
                Honour(kind="giay_khen", recipient_kind="tap_the", recipient="Chi hội ấp Vĩnh Thạnh", level="xa",
                       honoured_on="2025-12-01"),
                Honour(kind="giay_khen", recipient_kind="ca_nhan", recipient="Trần Văn Hùng", level="xa",
                       honoured_on="2025-12-01"),
                Honour(kind="giay_khen", recipient_kind="ca_nhan", recipient="Phạm Thị Ân", level="huyen",
                       honoured_on="2025-01-01"),
                Honour(kind="giay_khen", recipient_kind="ca_nhan", recipient="Sau năm", level="xa",
                       honoured_on="2026-01-01"),
            ]
        )  # fmt: skip
    return support_statistics(workspace, 2025)


def test_money_mobilised_cash_and_in_kind_by_source(figures) -> None:
    assert (figures.cash, figures.in_kind, figures.mobilised) == (3_500_000, 3_500_000, 7_000_000)
    assert [(s.source, s.cash, s.in_kind) for s in figures.by_source] == [
        ("Công ty A", 3_500_000, 3_000_000),
        ("", 0, 500_000),
    ]


def test_awards_and_recipients_by_category(figures) -> None:
    assert (figures.awards, figures.recipients) == (4, 3)
    assert [(c.category, c.awards, c.recipients, c.value) for c in figures.by_category] == [
        ("hoan_canh_kho_khan", 2, 2, 3_500_000),
        ("vuot_kho_hoc_gioi", 2, 1, 3_500_000),
    ]


def test_fund_brought_forward_receipts_payments_and_balance(figures) -> None:
    assert (figures.fund_opening, figures.fund_receipts, figures.fund_payments) == (6_000_000, 5_000_000, 2_500_000)
    assert figures.fund_closing == 8_500_000


def test_sessions_classes_and_percent_of_target(figures) -> None:
    sessions = figures.activities[0]
    assert (sessions.kind, sessions.count, sessions.participants, sessions.target) == ("sinh_hoat", 3, 100, 2)
    assert sessions.percent == pytest.approx(1.5)
    assert [(a.kind, a.count, a.target) for a in figures.activities[1:]] == [("tap_huan", 2, 1), ("day_nghe", 1, None)]
    classes = figures.classes
    assert (classes.count, classes.participants, classes.target) == (3, 65, 1)
    assert classes.percent == pytest.approx(3.0)


def test_models_and_commendations(figures) -> None:
    assert figures.models == 2
    assert (figures.commendations_collective, figures.commendations_person) == (1, 2)


def test_an_empty_year_reads_zero_without_rates(workspace: Workspace) -> None:
    empty = support_statistics(workspace, 2025)
    assert (empty.mobilised, empty.awards, empty.fund_closing, empty.models) == (0, 0, 0, 0)
    assert all(line.percent is None for line in empty.activities) and empty.classes.percent is None
