"""The report's support lines against a data set built by hand (figures worked out in the comments)."""

from __future__ import annotations

import pytest

from khuyenhoc_desktop.services.support_statistics import SupportStatistics, support_lines, support_statistics
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Activity, ActivityTarget, Award, Honour, LedgerEntry, utc_now


def award(name: str, on: str, kind: str, value: int, sponsor: str, category: str, **extra: object) -> Award:
    return Award(pupil_name=name, name_key=name.lower(), awarded_on=on, kind=kind, value_vnd=value,
                 sponsor=sponsor, category=category, **extra)  # fmt: skip


def entry(on: str, direction: str, amount: int, voucher: str, category: str = "khac", **extra: object) -> LedgerEntry:
    return LedgerEntry(entry_on=on, direction=direction, amount=amount, voucher_no=voucher, category=category, **extra)


def add_year_of_support(workspace: Workspace) -> None:
    """The hand-built data set: awards, the fund, activities and honours of 2025, with records of other years and
    in the recycle bin that must not count."""
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
                # Fund: 2024 leaves 10.000.000 - 4.000.000 = 6.000.000 to bring forward; 2025 takes in
                # 3.000.000 donated + 2.000.000 fees = 5.000.000 and pays out 2.000.000 scholarships + 500.000 other.
                entry("2024-03-01", "thu", 10_000_000, "PT-2024-001"),
                entry("2024-11-01", "chi", 4_000_000, "PC-2024-001"),
                entry("2025-01-10", "thu", 3_000_000, "PT-2025-001", "quyen_gop"),
                entry("2025-02-10", "thu", 2_000_000, "PT-2025-002", "hoi_phi"),
                entry("2025-09-05", "chi", 2_000_000, "PC-2025-001", "hoc_bong"),
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


@pytest.fixture
def figures(workspace: Workspace) -> SupportStatistics:
    add_year_of_support(workspace)
    return support_statistics(workspace, 2025)


def test_money_mobilised_cash_and_in_kind_by_source(figures) -> None:
    assert (figures.cash, figures.in_kind, figures.mobilised) == (3_500_000, 3_500_000, 7_000_000)
    assert [(s.source, s.cash, s.in_kind) for s in figures.by_source] == [
        ("Công ty A", 3_500_000, 3_000_000),
        ("", 0, 500_000),
    ]


def test_awards_and_recipients_by_category_and_kind(figures) -> None:
    assert (figures.awards, figures.recipients) == (4, 3)
    assert [(k.kind, k.awards, k.value) for k in figures.by_kind] == [
        ("tien_mat", 2, 3_500_000),
        ("xe_dap", 1, 3_000_000),
        ("tap_vo", 1, 500_000),
    ]
    assert [(c.category, c.awards, c.recipients, c.value) for c in figures.by_category] == [
        ("hoan_canh_kho_khan", 2, 2, 3_500_000),
        ("vuot_kho_hoc_gioi", 2, 1, 3_500_000),
    ]


def test_fund_brought_forward_receipts_payments_and_balance(figures) -> None:
    fund = figures.fund
    assert (fund.opening, fund.total_receipts, fund.total_payments, fund.closing) == (
        6_000_000,
        5_000_000,
        2_500_000,
        8_500_000,
    )
    assert (fund.receipts["quyen_gop"], fund.receipts["hoi_phi"]) == (3_000_000, 2_000_000)
    assert (fund.payments["hoc_bong"], fund.payments["khac"]) == (2_000_000, 500_000)


def test_sessions_classes_and_percent_of_target(figures) -> None:
    sessions = figures.activities[0]
    assert (sessions.kind, sessions.actual, sessions.participants, sessions.target) == ("sinh_hoat", 3, 100, 2)
    assert sessions.rate == pytest.approx(1.5)
    assert [(a.kind, a.actual, a.target) for a in figures.activities[1:]] == [("tap_huan", 2, 1), ("day_nghe", 1, None)]
    classes = figures.classes
    assert (classes.actual, classes.participants, classes.target) == (3, 65, 1)
    assert classes.rate == pytest.approx(3.0)


def test_models_and_commendations(figures) -> None:
    assert figures.models == 2
    assert (figures.commendations_collective, figures.commendations_person) == (1, 2)


def test_an_empty_year_reads_zero_without_rates(workspace: Workspace) -> None:
    empty = support_statistics(workspace, 2025)
    assert (empty.mobilised, empty.awards, empty.fund.closing, empty.models) == (0, 0, 0, 0)
    assert all(line.rate is None for line in empty.activities) and empty.classes.rate is None


# The report's words for the figures above, line by line; "- " marks a breakdown of the line before it.
EXPECTED_LINES = [
    "Vận động học bổng, quà: 7.000.000 đ (tiền mặt 3.500.000 đ; hiện vật 3.500.000 đ)",
    "- Công ty A: 6.500.000 đ (tiền mặt 3.500.000 đ; hiện vật 3.000.000 đ)",
    "- Không ghi nhà tài trợ, nguồn: 500.000 đ (hiện vật 500.000 đ)",
    "Số suất học bổng, quà: 4 suất cho 3 học sinh (tiền mặt 2 suất; xe đạp 1 suất; tập vở 1 suất)",
    "- Hoàn cảnh khó khăn: 2 suất cho 2 học sinh (3.500.000 đ)",
    "- Vượt khó học giỏi: 2 suất cho 1 học sinh (3.500.000 đ)",
    "Quỹ khuyến học: tồn đầu năm 6.000.000 đ, thu 5.000.000 đ, chi 2.500.000 đ, tồn cuối năm 8.500.000 đ",
    "- Thu trong năm: 5.000.000 đ (quyên góp, ủng hộ 3.000.000 đ; hội phí 2.000.000 đ)",
    "- Chi trong năm: 2.500.000 đ (học bổng 2.000.000 đ; khác 500.000 đ)",
    "Sinh hoạt tại trung tâm học tập cộng đồng: 3 buổi, 100 lượt người (chỉ tiêu 2 buổi, đạt 150,0%)",
    "Lớp tập huấn, dạy nghề: 3 lớp, 65 học viên (chỉ tiêu 1 lớp, đạt 300,0%)",
    "- Lớp tập huấn: 2 lớp, 50 học viên (chỉ tiêu 1 lớp, đạt 200,0%)",
    "- Lớp dạy nghề: 1 lớp, 15 học viên (chưa đặt chỉ tiêu)",
    "Mô hình học tập tiêu biểu được khen: 2",
    "Giấy khen: 1 tập thể, 2 cá nhân",
]


def shown(support: SupportStatistics) -> list[str]:
    return [("- " if line.detail else "") + line.text for line in support_lines(support)]


def test_report_lines_word_the_figures(figures) -> None:
    assert shown(figures) == EXPECTED_LINES


def test_each_line_carries_its_figure_for_a_spreadsheet(figures) -> None:
    lines = {line.label: line for line in support_lines(figures)}
    assert (lines["Vận động học bổng, quà"].amount, lines["Vận động học bổng, quà"].unit) == (7_000_000, "đồng")
    assert (lines["Số suất học bổng, quà"].amount, lines["Số suất học bổng, quà"].unit) == (4, "suất")
    assert (lines["Quỹ khuyến học"].amount, lines["Thu trong năm"].amount) == (8_500_000, 5_000_000)
    assert (lines["Lớp tập huấn, dạy nghề"].amount, lines["Lớp tập huấn, dạy nghề"].unit) == (3, "lớp")
    assert (lines["Giấy khen"].amount, lines["Mô hình học tập tiêu biểu được khen"].amount) == (3, 2)


def test_an_empty_year_still_has_every_headline(workspace: Workspace) -> None:
    lines = shown(support_statistics(workspace, 2025))
    assert lines[:3] == [
        "Vận động học bổng, quà: 0 đ",
        "Số suất học bổng, quà: 0 suất cho 0 học sinh",
        "Quỹ khuyến học: tồn đầu năm 0 đ, thu 0 đ, chi 0 đ, tồn cuối năm 0 đ",
    ]
    assert "Sinh hoạt tại trung tâm học tập cộng đồng: 0 buổi, 0 lượt người (chưa đặt chỉ tiêu)" in lines
    assert lines[-1] == "Giấy khen: 0 tập thể, 0 cá nhân"
