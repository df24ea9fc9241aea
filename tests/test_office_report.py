"""The consolidated report (issue 6) against the communes' own figures: two communes export their year, the office
merges both packages, and each commune's row must say what that commune's own statistics said; the total adds
them up and recomputes its rates. Then the workbook read back, the PDF's text and first page, the commands."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from khuyenhoc_desktop.cli import main
from khuyenhoc_desktop.documents.office_report_pdf import write_office_report_pdf
from khuyenhoc_desktop.documents.office_report_workbook import (
    CHART_SHEET_TITLE,
    FIRST_DATA_ROW,
    HEADER_ROW,
    RATE_COLUMN,
    SHEET_TITLE,
    write_office_report_workbook,
)
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.services import merge, office, packages, trust
from khuyenhoc_desktop.services.demo import create_demo
from khuyenhoc_desktop.services.office_report import COLUMNS, OfficeReport, ReportRow, office_report
from khuyenhoc_desktop.services.statistics import commune_statistics
from khuyenhoc_desktop.services.support_statistics import support_statistics
from khuyenhoc_desktop.services.workspace import Workspace
from tests.pdf_helpers import NEEDS_POPPLER, dark_share, first_page, pdf_text
from tests.test_statistics import EXPECTED
from tests.test_statistics import commune as hand_built  # noqa: F401  (the fixture: a commune counted by hand)
from tests.test_support_statistics import add_year_of_support

YEAR = 2025
HAND = "28201"  # Xã Phước Vĩnh Tây: tests/test_statistics.py's commune, with tests/test_support_statistics.py's year
DEMO = "28159"  # Xã Cần Giuộc: the demo commune, sixty households with two years of everything
PROVINCE_COMMUNES = 96  # Tây Ninh since 2025


def send(commune: Workspace, office_ws: Workspace, folder: Path) -> None:
    """What a commune and its office do: export the year, enrol the key from its file, merge the package."""
    folder.mkdir(parents=True, exist_ok=True)
    path = packages.export_package(commune, YEAR, folder).path
    key_file = folder / "khoa.pub"
    keys.export_public(commune.data_dir, key_file)
    code = commune.profile.commune_code if commune.profile else ""
    trust.enrol_key(office_ws, code, keys.read_public(key_file), None, "tep_khoa")
    assert merge.apply(office_ws, path).applied


@pytest.fixture
def demo_commune(tmp_path: Path) -> Iterator[Workspace]:
    create_demo(tmp_path / "can-giuoc", households=60, seed=5, commune_code=DEMO)
    commune = Workspace.open(tmp_path / "can-giuoc")
    yield commune
    commune.close(backup=False)


@pytest.fixture
def merged(hand_built: Workspace, demo_commune: Workspace, office_ws: Workspace, tmp_path: Path) -> Workspace:  # noqa: F811
    """The office with both communes' 2025 packages merged."""
    add_year_of_support(hand_built)
    send(hand_built, office_ws, tmp_path / "goi-phuoc-vinh-tay")
    send(demo_commune, office_ws, tmp_path / "goi-can-giuoc")
    return office_ws


def row_of(report: OfficeReport, code: str) -> ReportRow:
    return next(row for row in report.rows if row.code == code)


def support_of(row: ReportRow) -> tuple[object, ...]:
    sessions, classes = row.sessions, row.classes
    return (
        row.tally.cash, row.tally.in_kind, row.mobilised, row.tally.awards, row.tally.recipients,
        (sessions.actual, sessions.participants, sessions.target, sessions.rate),
        (classes.actual, classes.participants, classes.target, classes.rate),
        row.tally.models, row.tally.commendations_collective, row.tally.commendations_person,
        row.tally.fund_in, row.tally.fund_out,
    )  # fmt: skip


# --- the figures ---


@pytest.mark.parametrize("code", [HAND, DEMO])
def test_each_commune_row_is_what_its_own_statistics_said(
    merged: Workspace,
    hand_built: Workspace,  # noqa: F811
    demo_commune: Workspace,
    code: str,
) -> None:
    commune = hand_built if code == HAND else demo_commune
    own = commune_statistics(commune, YEAR)
    row = row_of(office_report(merged, YEAR), code)
    assert row.titles == own.total
    support = support_statistics(commune, YEAR)
    sessions = support.activities[0]
    assert support_of(row) == (
        support.cash, support.in_kind, support.mobilised, support.awards, support.recipients,
        (sessions.actual, sessions.participants, sessions.target, sessions.rate),
        (support.classes.actual, support.classes.participants, support.classes.target, support.classes.rate),
        support.models, support.commendations_collective, support.commendations_person,
        support.fund.total_receipts, support.fund.total_payments,
    )  # fmt: skip
    assert row.own is not None and row.own.sequence == 1 and row.package_label.startswith("Lần 1 (")


def test_the_hand_built_commune_by_hand(merged: Workspace) -> None:
    """tests/test_statistics.py worked the titles out (a revoked decision, deleted records, another year) and
    tests/test_support_statistics.py the support lines: the office must find the same through the package."""
    row = row_of(office_report(merged, YEAR), HAND)
    for title, expected in EXPECTED.items():
        found = row.titles[title]
        rate = None if found.rate is None else round(found.rate, 4)
        assert (found.total, found.registered, found.recognised, rate) == expected[-1], title
    assert support_of(row) == (
        3_500_000, 3_500_000, 7_000_000, 4, 3, (3, 100, 2, 1.5), (3, 65, 1, 3.0), 2, 1, 2, 5_000_000, 2_500_000
    )  # fmt: skip


def test_total_row_adds_up_and_recomputes_its_rates(merged: Workspace) -> None:
    report = office_report(merged, YEAR)
    hand, demo, total = row_of(report, HAND), row_of(report, DEMO), report.total
    for title in Title:
        first, second, both = hand.titles[title], demo.titles[title], total.titles[title]
        assert (both.total, both.registered, both.recognised) == (
            first.total + second.total,
            first.registered + second.registered,
            first.recognised + second.recognised,
        )
        denominator = first.denominator + second.denominator
        assert both.denominator == denominator
        assert both.rate == ((first.recognised + second.recognised) / denominator if denominator else None)
    # Families: 2 of 5 households and 46 of 59 — the total is 48 of 64, not the mean of 40 % and 78 %.
    family = total.titles[Title.FAMILY]
    assert (family.recognised, family.denominator) == (48, 64)
    assert family.rate != pytest.approx((hand.titles[Title.FAMILY].rate + demo.titles[Title.FAMILY].rate) / 2)
    assert total.mobilised == hand.mobilised + demo.mobilised
    assert total.classes.target == hand.classes.target + demo.classes.target
    assert total.classes.rate == pytest.approx(
        (hand.classes.actual + demo.classes.actual) / (hand.classes.target + demo.classes.target)
    )
    assert total.package_label == "2 gói"
    assert [column.text(total) for column in COLUMNS][:4] == ["64", "51", "48", "75,0%"]


def test_every_commune_on_the_list_in_order_and_the_missing_counted(merged: Workspace) -> None:
    report = office_report(merged, YEAR)
    assert [row.code for row in report.rows] == [c.code for c in office.list_communes(merged)]
    assert len(report.rows) == PROVINCE_COMMUNES
    missing = [row for row in report.rows if row.code not in (HAND, DEMO)]
    assert report.missing == missing
    assert all(row.package_label == "Chưa gửi số liệu" and not row.has_figures for row in missing)
    assert {column.text(missing[0]) for column in COLUMNS} == {""}  # blank, not zero
    assert report.missing_line.startswith(f"Chưa gửi số liệu năm 2025: 94/{PROVINCE_COMMUNES} xã, phường (")
    assert "Phường An Tịnh" in report.missing_line and "Xã Cần Giuộc" not in report.missing_line
    assert report.received_line.startswith("Tổng hợp từ số liệu của 2/96 xã, phường")


def test_a_merged_commune_counts_in_the_row_of_the_commune_it_went_into(merged: Workspace) -> None:
    before = office_report(merged, YEAR)
    office.mark_merged(merged, DEMO, HAND)
    report = office_report(merged, YEAR)
    assert DEMO not in [row.code for row in report.rows] and len(report.rows) == PROVINCE_COMMUNES - 1
    into = row_of(report, HAND)
    assert into.tally == row_of(before, HAND).tally + row_of(before, DEMO).tally
    assert [name for name, _package in into.merged] == ["Xã Cần Giuộc"]
    assert [p.commune_code for p in into.sources] == [HAND, DEMO]
    (note,) = report.merged_notes
    assert note.startswith("Xã Phước Vĩnh Tây: gồm số liệu của xã cũ Cần Giuộc (lần gửi 1, nhận ")
    assert report.total.tally == before.total.tally
    assert len(report.missing) == 94  # 95 rows now, one of them sent


def test_a_year_nothing_was_sent_for(merged: Workspace) -> None:
    report = office_report(merged, 2024)
    assert len(report.missing) == PROVINCE_COMMUNES
    assert report.total.titles[Title.FAMILY].rate is None and report.total.mobilised == 0
    assert report.total.package_label == "0 gói"


def test_only_an_office_has_a_consolidated_report(workspace: Workspace) -> None:
    with pytest.raises(UserError, match="cơ quan tổng hợp"):
        office_report(workspace, YEAR)


# --- the workbook and the PDF ---


def test_workbook_reads_back_with_numbers_denominators_and_the_chart(merged: Workspace, tmp_path: Path) -> None:
    report = office_report(merged, YEAR)
    path = tmp_path / "tong-hop.xlsx"
    write_office_report_workbook(report, path)
    book = load_workbook(path)
    sheet = book[SHEET_TITLE]
    assert sheet["A1"].value == "HỘI KHUYẾN HỌC TỈNH TÂY NINH"
    assert sheet["A4"].value == "BÁO CÁO TỔNG HỢP KẾT QUẢ XÂY DỰNG XÃ HỘI HỌC TẬP NĂM 2025"
    assert [sheet.cell(HEADER_ROW, c).value for c in (1, 2, 3, 4)] == [
        "STT",
        "Xã, phường",
        "Lần gửi",
        "Gia đình học tập",
    ]
    headers = [sheet.cell(HEADER_ROW + 1, c).value for c in range(4, 8)]
    assert headers == ["Tổng số", "Đăng ký", "Công nhận", "Tỷ lệ (trên tổng số hộ)"]
    assert "Tỷ lệ (trên chỉ tiêu)" in [cell.value for cell in sheet[HEADER_ROW + 1]]

    rows = {sheet.cell(r, 2).value: r for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(report.rows) + 1)}
    hand = rows["Xã Phước Vĩnh Tây"]
    assert [sheet.cell(hand, c).value for c in range(4, 8)] == [5, 4, 2, 0.4]
    assert sheet.cell(hand, 4).number_format == "#,##0" and sheet.cell(hand, 7).number_format == "0.0%"
    money = 4 + COLUMNS.index(next(c for c in COLUMNS if c.header == "Số tiền (đồng)"))
    assert sheet.cell(hand, money).value == 7_000_000
    assert sheet.cell(hand, 3).value.startswith("Lần 1 (")
    missing = rows["Phường An Tịnh"]
    assert sheet.cell(missing, 3).value == "Chưa gửi số liệu" and sheet.cell(missing, 4).value is None
    total = rows["TỔNG CỘNG"]
    assert total == FIRST_DATA_ROW + PROVINCE_COMMUNES
    assert [sheet.cell(total, c).value for c in range(4, 7)] == [64, 51, 48]
    assert sheet.cell(total, 7).value == pytest.approx(48 / 64)
    assert sheet.cell(total + 2, 1).value == report.missing_line
    assert sheet.freeze_panes == "D10"

    (chart,) = book[CHART_SHEET_TITLE]._charts
    assert chart.type == "bar"
    (series,) = chart.series
    rate_letter = get_column_letter(RATE_COLUMN)
    last = FIRST_DATA_ROW + PROVINCE_COMMUNES - 1
    assert series.val.numRef.f == f"'{SHEET_TITLE}'!${rate_letter}${FIRST_DATA_ROW}:${rate_letter}${last}"
    assert series.cat.numRef.f == f"'{SHEET_TITLE}'!$B${FIRST_DATA_ROW}:$B${last}"


@NEEDS_POPPLER
def test_pdf_text_and_first_page(merged: Workspace, tmp_path: Path) -> None:
    report = office_report(merged, YEAR)
    path = tmp_path / "tong-hop.pdf"
    write_office_report_pdf(report, path)
    content = path.read_bytes()
    assert b"/FontFile2" in content and b"LiberationSerif" in content
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in content  # landscape A4
    text = pdf_text(path)
    for expected in (
        "UBND TỈNH TÂY NINH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BÁO CÁO TỔNG HỢP KẾT QUẢ XÂY DỰNG XÃ HỘI HỌC TẬP NĂM 2025",
        "I. KẾT QUẢ XÂY DỰNG CÁC DANH HIỆU HỌC TẬP",
        "II. CÔNG TÁC KHUYẾN HỌC, KHUYẾN TÀI VÀ HOẠT ĐỘNG HỌC TẬP",
        "Xã Phước Vĩnh Tây",
        "Chưa gửi số liệu năm 2025: 94/96 xã, phường",
        "TỔNG CỘNG",
        "75,0%",
        "7.000.000",
        "TM. HỘI KHUYẾN HỌC",
        "PHỤ LỤC: BIỂU ĐỒ",
        "Tỷ lệ gia đình học tập được công nhận theo xã, phường (trên tổng số hộ)",
    ):
        assert expected in text, expected
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert sum(line == "Tỷ lệ gia đình học tập được công nhận theo xã, phường (trên tổng số hộ) (tiếp theo)"
               for line in lines) == 3  # fmt: skip  # 96 communes, 26 to a page
    assert text.index("TM. HỘI KHUYẾN HỌC") < text.index("PHỤ LỤC: BIỂU ĐỒ")
    page = first_page(path, tmp_path)
    assert page.width() > page.height()
    assert 0.005 < dark_share(page) < 0.5


# --- the commands ---


def test_report_command_writes_the_consolidated_report(merged: Workspace, tmp_path: Path, capsys) -> None:
    folder = str(merged.data_dir)
    for name in ("tong-hop.xlsx", "Tong Hop.PDF"):
        assert main(["report", "--data-dir", folder, "--year", "2025", "--out", str(tmp_path / name)]) == 0
        out = capsys.readouterr().out
        assert f"Đã ghi báo cáo tổng hợp năm 2025 (96 xã, phường) vào {tmp_path / name}" in out
        family = next(line for line in out.splitlines() if line.startswith("Gia đình học tập"))
        assert family.split()[4:8] == ["64", "51", "48", "75,0%"]
        assert "Chưa gửi số liệu năm 2025: 94/96" in out
    assert load_workbook(tmp_path / "tong-hop.xlsx")[SHEET_TITLE]["A4"].value.startswith("BÁO CÁO TỔNG HỢP")
    assert main(["report", "--data-dir", folder, "--year", "2025", "--out", str(tmp_path / "x.csv")]) == 2
    assert "báo cáo tổng hợp" in capsys.readouterr().err


def test_statistics_command_prints_one_row_per_commune(merged: Workspace, capsys) -> None:
    folder = str(merged.data_dir)
    assert main(["statistics", "--data-dir", folder, "--year", "2025", "--format", "csv"]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert table[0][:3] == ["Xã, phường", "Lần gửi", "Gia đình: Tổng số"] and len(table[0]) == 2 + len(COLUMNS)
    assert len(table) == 1 + PROVINCE_COMMUNES + 1
    hand = next(row for row in table if row[0] == "Xã Phước Vĩnh Tây")
    money = 2 + COLUMNS.index(next(c for c in COLUMNS if c.header == "Số tiền (đồng)"))
    assert hand[2:6] == ["5", "4", "2", "40,0%"] and hand[money] == "7000000"
    assert table[-1][:6] == ["TỔNG CỘNG", "2 gói", "64", "51", "48", "75,0%"]

    assert main(["statistics", "--data-dir", folder, "--year", "2025", "--title", "dong_ho"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [cell.strip() for cell in out[0].split("  ") if cell] == [
        "Xã, phường", "Lần gửi", "Dòng họ: Tổng số", "Dòng họ: Đăng ký", "Dòng họ: Công nhận",
        "Dòng họ: Tỷ lệ (trên số đăng ký)",
    ]  # fmt: skip
    assert any(line.startswith("Chưa gửi số liệu năm 2025: 94/96") for line in out)
