"""Importing the award lists a commune keeps in its own spreadsheet (services/scholarship_import.py, CLI)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from khuyenhoc_desktop.cli import main
from khuyenhoc_desktop.domain.awards import AwardCategory, AwardInput, AwardKind
from khuyenhoc_desktop.domain.household import HouseholdInput, MemberInput, Sex
from khuyenhoc_desktop.services import awards as award_service
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.import_kinds import KINDS
from khuyenhoc_desktop.services.import_workbooks import write_template
from khuyenhoc_desktop.services.scholarship_import import SCHOLARSHIPS
from khuyenhoc_desktop.services.sheet_reading import ImportProblems
from khuyenhoc_desktop.services.spreadsheet_import import Outcome, commit, import_file, preview
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.backup import list_backups
from khuyenhoc_desktop.storage.database import session_scope
from tests.import_books import hamlet_id, messy_book

HEADER = ["STT", "Ho ten hoc sinh", "Nam sinh", "Thon/Ap", "Ma ho", "Truong", "Lop", "Dien", "Hinh thuc", "So tien",
          "Don vi trao", "Ngay trao", "Ghi chu"]  # fmt: skip
SEPT_5 = date(2025, 9, 5)
ROWS: list[list[Any]] = [  # spreadsheet rows 5, 6, 8, 9, 10, 11 (row 7 is blank)
    [1, "Nguyễn Thị Lan", 2012, "Vĩnh Thạnh", "00001", None, None, "HSG", "TM", "500.000 đ", "Hội Khuyến học xã",
     "05/09/2025", None],
    [2, "Trần Văn Hùng", "2010", "phuoc loi", None, "THPT Nguyễn Trãi", 10, "Nghèo vượt khó", "Tiền mặt", "1,5 triệu",
     "Công ty B", "5/9/25", None],
    [None] * 13,
    [3, "Lê Văn Tám", 2011, None, None, None, None, "Học sinh giỏi", "Tiền mặt", 700000, None, datetime(2025, 9, 5),
     None],
    [4, "Phạm Thị Hoa", None, None, None, None, None, "hoan canh kho khan", "tien mat", "1.000.000", None, 45905,
     None],  # 05/09/2025 as an Excel serial
    [5, unicodedata.normalize("NFD", "Võ Thị Mai"), 2013, "Đông Điền", None, None, None, "Vượt khó", "Xe", "1.5tr",
     None, "15/10/2025", "Xe đạp mới"],
    [6, "Đỗ Văn Năm", 2014, None, None, None, None, None, "Quà", "300k", None, "1/11/25", None],
]  # fmt: skip


def write_book(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    return messy_book(path, "Học bổng 2025", "DANH SÁCH TRAO HỌC BỔNG NĂM HỌC 2025-2026", header, rows)


@dataclass
class Register:
    workspace: Workspace
    lan: str  # member ids
    hung: str
    tam_award: str
    hoa_award: str  # paid out of the fund


@pytest.fixture
def register(workspace: Workspace) -> Register:
    """Two households with a pupil each, an award typed for Lê Văn Tám and one for Phạm Thị Hoa paid from the
    fund, as the sheet has them."""
    first = household_service.create_household(
        workspace, HouseholdInput("00001", "Nguyễn Văn Đức", hamlet_id(workspace, "Ấp Vĩnh Thạnh"), 1980)
    )
    lan = household_service.add_member(
        workspace, first, MemberInput("Nguyễn Thị Lan", 2012, Sex.FEMALE, school="Trường THCS Phước Vĩnh Tây, lớp 7A")
    )
    second = household_service.create_household(
        workspace, HouseholdInput("00002", "Trần Văn Hai", hamlet_id(workspace, "Ấp Phước Lợi"), 1978)
    )
    hung = household_service.add_member(workspace, second, MemberInput("Trần Văn Hùng", 2010))
    tam = award_service.create_award(
        workspace,
        AwardInput("Lê Văn Tám", AwardCategory.EXCELLENT, AwardKind.CASH, 500_000, SEPT_5, birth_year=2011,
                   sponsor="Công ty A"),
    )  # fmt: skip
    hoa = award_service.create_award(
        workspace,
        AwardInput("Phạm Thị Hoa", AwardCategory.HARDSHIP, AwardKind.CASH, 1_000_000, SEPT_5, post_to_ledger=True),
        allow_negative=True,
    )
    return Register(workspace, lan, hung, tam, hoa)


def counts(workspace: Workspace) -> tuple[int, ...]:
    with session_scope(workspace.engine) as session:
        return tuple(
            session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("award", "ledger_entry", "audit_log")
        )


def by_name(workspace: Workspace) -> dict[str, award_service.AwardRow]:
    return {a.pupil_name: a for a in award_service.list_awards(workspace)}


def test_the_kind_is_registered_and_finds_its_header_below_the_title(workspace: Workspace, tmp_path: Path) -> None:
    assert KINDS["scholarships"] is SCHOLARSHIPS
    checked = preview(workspace, SCHOLARSHIPS, write_book(tmp_path / "hb.xlsx", ROWS))
    assert checked.layout.sheet_name == "Học bổng 2025" and checked.layout.header_row_index == 3
    assert [r.number for r in checked.rows] == [5, 6, 8, 9, 10, 11]
    assert checked.settings.columns == {
        "pupil_name": 1, "birth_year": 2, "hamlet": 3, "household_code": 4, "school": 5, "grade": 6, "category": 7,
        "kind": 8, "value_vnd": 9, "sponsor": 10, "awarded_on": 11, "note": 12,
    }  # fmt: skip
    values = [(r.values["value_vnd"], r.values["awarded_on"]) for r in checked.rows]
    assert values == [(500_000, SEPT_5), (1_500_000, SEPT_5), (700_000, SEPT_5), (1_000_000, SEPT_5),
                      (1_500_000, date(2025, 10, 15)), (300_000, date(2025, 11, 1))]  # fmt: skip


def test_dry_run_counts_new_updated_unchanged_and_writes_nothing(register: Register, tmp_path: Path) -> None:
    before = counts(register.workspace)
    report = import_file(register.workspace, SCHOLARSHIPS, write_book(tmp_path / "hb.xlsx", ROWS), dry_run=True)
    assert (report.rows, report.created, report.updated, report.unchanged) == (6, 4, 1, 1)
    assert report.problems == () and not report.written
    assert "Chạy thử, chưa ghi gì: 6 dòng — 4 suất mới, 1 suất cập nhật, 1 suất không đổi." in report.summary
    assert counts(register.workspace) == before


def test_commit_adds_and_updates_links_members_and_posts_nothing_to_the_ledger(
    register: Register, tmp_path: Path
) -> None:
    workspace = register.workspace
    _awards, entries, _audit = counts(workspace)
    report = import_file(workspace, SCHOLARSHIPS, write_book(tmp_path / "hb.xlsx", ROWS))
    assert (report.created, report.updated, report.unchanged, report.written) == (4, 1, 1, True)
    awards = by_name(workspace)
    assert len(awards) == 6
    lan = awards["Nguyễn Thị Lan"]  # by the household code: its school and class from the register
    assert (lan.member_id, lan.household_code, lan.hamlet_name) == (register.lan, "00001", "Ấp Vĩnh Thạnh")
    assert (lan.school, lan.grade, lan.category, lan.kind, lan.value_vnd) == (
        "Trường THCS Phước Vĩnh Tây", "7A", AwardCategory.EXCELLENT, AwardKind.CASH, 500_000
    )  # fmt: skip
    assert (lan.sponsor, lan.school_year, lan.ledger_entry_id) == ("Hội Khuyến học xã", "2025-2026", None)
    hung = awards["Trần Văn Hùng"]  # by name, birth year and hamlet
    assert (hung.member_id, hung.household_code, hung.grade, hung.category) == (
        register.hung, "00002", "10", AwardCategory.OVERCOMING
    )  # fmt: skip
    tam = awards["Lê Văn Tám"]
    assert (tam.id, tam.value_vnd, tam.sponsor, tam.member_id) == (register.tam_award, 700_000, "Công ty A", None)
    mai = awards["Võ Thị Mai"]  # typed, in the hamlet the sheet gives
    assert (mai.member_id, mai.hamlet_name, mai.kind, mai.value_vnd, mai.note) == (
        None, "Ấp Đông Điền", AwardKind.BICYCLE, 1_500_000, "Xe đạp mới"
    )  # fmt: skip
    assert "vo thi mai" in mai.search_key and "xe dap" in mai.search_key
    nam = awards["Đỗ Văn Năm"]
    assert (nam.category, nam.kind, nam.school_year) == (AwardCategory.OTHER, AwardKind.OTHER_IN_KIND, "2025-2026")
    assert awards["Phạm Thị Hoa"].ledger_entry_id is not None
    assert counts(workspace)[1] == entries  # history: no payment voucher written
    assert list_backups(workspace.data_dir) == []  # five rows written: not more than a handful


def test_one_change_audited_undone_in_one_step_and_a_reimport_changes_nothing(
    register: Register, tmp_path: Path
) -> None:
    workspace = register.workspace
    before = award_service.list_awards(workspace)
    path = write_book(tmp_path / "hb.xlsx", ROWS)
    import_file(workspace, SCHOLARSHIPS, path)
    with session_scope(workspace.engine) as session:
        actions = session.execute(text("SELECT DISTINCT action FROM audit_log WHERE action LIKE 'Nhập%'")).all()
    assert actions == [("Nhập 4 suất mới, cập nhật 1 suất từ tệp hb.xlsx",)]
    again = import_file(workspace, SCHOLARSHIPS, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert len(award_service.list_awards(workspace)) == 6
    workspace.history.undo(workspace)
    assert award_service.list_awards(workspace) == before


def test_problems_refuse_the_file_naming_row_and_column_and_nothing_is_written(
    register: Register, tmp_path: Path
) -> None:
    messy = [
        *ROWS,
        [7, "Huỳnh Văn Bảy", 2012, "Vinh Thanhh", None, None, None, "HSG", "TM", 500000, None, "06/09/2025", None],
        [8, "Mai Văn Chín", 2012, None, None, None, None, "Hoc sinh gioii", "TM", 500000, None, "06/09/2025", None],
        ROWS[5],
        [9, "Lý Văn Mười", 2012, None, "00009", None, None, "HSG", "TM", "năm trăm", None, "31/02/2025", None],
        [10, "Trần Thị Út", 2012, None, "00002", None, None, "HSG", "TM", 0, None, "06/09/2025", None],
    ]
    path = write_book(tmp_path / "hb-loi.xlsx", messy)
    before = counts(register.workspace)
    with pytest.raises(ImportProblems) as refused:
        import_file(register.workspace, SCHOLARSHIPS, path)
    problems = refused.value.problems
    assert problems[0].startswith("Dòng 12, cột «Thon/Ap»: «Vinh Thanhh» không khớp ấp nào")
    assert "có phải «Ấp Vĩnh Thạnh»?" in problems[0]
    assert problems[1].startswith("Dòng 13, cột «Dien»: «Hoc sinh gioii» không khớp diện nào; có phải «Học sinh giỏi»?")
    assert problems[2:] == (
        "Dòng 14: trùng với dòng 10 (suất của «Võ Thị Mai» ngày 15/10/2025).",
        "Dòng 15, cột «Ma ho»: sổ hộ không có hộ mã «00009»; để trống nếu học sinh chưa có trong sổ hộ.",
        "Dòng 15, cột «So tien»: «năm trăm» không phải số tiền (ví dụ 500.000, 500.000 đ hoặc 1,5 triệu).",
        "Dòng 15, cột «Ngay trao»: «31/02/2025» không phải ngày có thật.",
        "Dòng 16: hộ 00002 không có ai tên «Trần Thị Út» sinh năm 2012 trong sổ hộ.",
    )
    assert "chưa ghi gì vào sổ" in str(refused.value)
    assert counts(register.workspace) == before
    dry = import_file(register.workspace, SCHOLARSHIPS, path, dry_run=True)
    assert dry.problems == problems and (dry.created, dry.updated) == (4, 1)


def test_the_value_of_an_award_paid_from_the_fund_is_not_changed_from_a_sheet(
    register: Register, tmp_path: Path
) -> None:
    rows = [[1, "Phạm Thị Hoa", None, None, None, None, None, "HCKK", "TM", "2 triệu", "Công ty C", "05/09/2025",
             None]]  # fmt: skip
    report = import_file(register.workspace, SCHOLARSHIPS, write_book(tmp_path / "hb.xlsx", rows), dry_run=True)
    assert report.problems == (
        "Dòng 5: suất này đã chi từ quỹ (phiếu chi PC-2025-001) với giá trị 1.000.000 đ; "
        "sửa giá trị trong sổ học bổng.",
    )
    rows[0][9] = "1 triệu"  # the sponsor alone may change; the voucher is left as it is
    report = import_file(register.workspace, SCHOLARSHIPS, write_book(tmp_path / "hb.xlsx", rows))
    assert report.updated == 1
    hoa = by_name(register.workspace)["Phạm Thị Hoa"]
    assert (hoa.sponsor, hoa.value_vnd, hoa.ledger_entry_id is not None) == ("Công ty C", 1_000_000, True)


def test_a_value_the_domain_refuses_is_named_by_its_field(workspace: Workspace, tmp_path: Path) -> None:
    rows = [[1, "Lê Văn Tám", 2011, None, None, None, None, "HSG", "TM", 0, None, "05/09/2025", None]]
    report = import_file(workspace, SCHOLARSHIPS, write_book(tmp_path / "hb.xlsx", rows), dry_run=True)
    assert report.problems == ("Dòng 5, cột «So tien»: giá trị phải lớn hơn 0 (hiện vật thì ghi giá trị ước tính).",)


def test_a_large_import_is_backed_up_first(workspace: Workspace, tmp_path: Path) -> None:
    rows = [[i, f"Học Sinh {chr(65 + i)}", 2012, "Phước Lợi", None, None, None, "HSG", "TM", "500k", None, "5/9/25",
             None] for i in range(6)]  # fmt: skip
    import_file(workspace, SCHOLARSHIPS, write_book(tmp_path / "hb.xlsx", rows))
    assert [b.reason for b in list_backups(workspace.data_dir)] == ["truoc-nhap-hoc-bong"]
    assert len(award_service.list_awards(workspace)) == 6


def test_the_filled_template_reimports_with_every_row_unchanged(register: Register, tmp_path: Path) -> None:
    workspace = register.workspace
    import_file(workspace, SCHOLARSHIPS, write_book(tmp_path / "hb.xlsx", ROWS))
    template = tmp_path / "mau-hoc-bong.xlsx"
    assert write_template(workspace, SCHOLARSHIPS, template, filled=True) == 6
    checked = preview(workspace, SCHOLARSHIPS, template)
    assert checked.problem_texts() == []
    assert [r.outcome for r in checked.rows] == [Outcome.SAME] * 6
    blank = tmp_path / "mau-trong.xlsx"
    write_template(workspace, SCHOLARSHIPS, blank)
    assert set(preview(workspace, SCHOLARSHIPS, blank).settings.columns) == set(SCHOLARSHIPS.field_labels)


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_dry_run_then_import(register: Register, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, path = str(register.workspace.data_dir), str(write_book(tmp_path / "hb.xlsx", ROWS))
    code, out, err = run("import", "--data-dir", folder, "--kind", "scholarships", path, "--dry-run", capsys=capsys)
    assert code == 0, err
    assert "Chạy thử, chưa ghi gì: 6 dòng — 4 suất mới, 1 suất cập nhật, 1 suất không đổi." in out
    assert "Họ tên học sinh ← B «Ho ten hoc sinh»" in err
    assert len(award_service.list_awards(register.workspace)) == 2
    code, out, err = run("import", "--data-dir", folder, "--kind", "scholarships", path, capsys=capsys)
    assert code == 0, err
    assert "Đã nhập: 6 dòng — 4 suất mới, 1 suất cập nhật, 1 suất không đổi." in out
    assert len(award_service.list_awards(register.workspace)) == 6


def test_a_corrected_category_updates_the_award_and_two_of_a_day_are_told_apart_by_it(
    workspace: Workspace, tmp_path: Path
) -> None:
    first = [[1, "Lê Văn Tám", 2011, None, None, None, None, "Học sinh giỏi", "Tiền mặt", 700000, None, SEPT_5, None]]
    import_file(workspace, SCHOLARSHIPS, write_book(tmp_path / "hb.xlsx", first))
    corrected = [[*first[0][:7], "Vượt khó", *first[0][8:]]]
    report = import_file(workspace, SCHOLARSHIPS, write_book(tmp_path / "hb-sua.xlsx", corrected))
    assert (report.created, report.updated) == (0, 1)
    assert by_name(workspace)["Lê Văn Tám"].category == "vuot_kho_hoc_gioi"
    second = [*first[0][:9], 300000, *first[0][10:]]  # a second award that day, as a good pupil
    report = import_file(workspace, SCHOLARSHIPS, write_book(tmp_path / "hb-hai.xlsx", [second, corrected[0]]))
    assert (report.created, report.updated, report.unchanged) == (1, 0, 1)
    assert sorted((a.category, a.value_vnd) for a in award_service.list_awards(workspace)) == [
        ("hoc_sinh_gioi", 300000), ("vuot_kho_hoc_gioi", 700000),
    ]  # fmt: skip


def test_a_tick_column_says_which_awards_recur_every_year(workspace: Workspace, tmp_path: Path) -> None:
    header = ["STT", "Ho ten hoc sinh", "Nam sinh", "Dien", "So tien", "Ngay trao", "Hang nam"]
    rows = [
        [1, "Lê Văn Tám", 2011, "HSG", 500000, "05/09/2025", "x"],
        [2, "Võ Thị Mai", 2013, "HSG", 500000, "05/09/2025", 1],
        [3, "Đỗ Văn Năm", 2014, "HSG", 500000, "05/09/2025", None],
        [4, "Phạm Thị Hoa", 2012, "HSG", 500000, "05/09/2025", "có lẽ"],
    ]
    checked = preview(workspace, SCHOLARSHIPS, write_book(tmp_path / "hb.xlsx", rows, header))
    assert checked.problem_texts() == ["Dòng 8, cột «Hang nam»: «có lẽ» không phải «x», «Có», «Đạt» hay «Không»."]
    commit(workspace, checked, skip_problem_rows=True)
    assert {a.pupil_name: a.recurring for a in award_service.list_awards(workspace)} == {
        "Lê Văn Tám": True, "Võ Thị Mai": True, "Đỗ Văn Năm": False,
    }  # fmt: skip
    filled = tmp_path / "mau.xlsx"
    write_template(workspace, SCHOLARSHIPS, filled, filled=True)
    again = preview(workspace, SCHOLARSHIPS, filled)
    assert [r.outcome for r in again.rows] == [Outcome.SAME] * 3
