"""Importing the national system's learning-citizen results list (services/citizen_import.py).

Workbooks are built here the way such exports usually look: a title block, the header on row 3, one person
per row, Vietnamese names (some in decomposed NFD form, as some systems write them)."""

from __future__ import annotations

import sqlite3
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import text

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.household import HouseholdInput, MemberInput, Relation, Sex
from khuyenhoc_desktop.services import citizens
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.citizen_import import (
    ImportProblems,
    guess_mapping,
    import_results,
    read_sheet,
)
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.backup import list_backups
from khuyenhoc_desktop.storage.database import session_scope

YEAR = 2025
TITLE_BLOCK = [
    ["HỘI KHUYẾN HỌC XÃ PHƯỚC VĨNH TÂY"],
    ["DANH SÁCH KẾT QUẢ ĐÁNH GIÁ CÔNG DÂN HỌC TẬP NĂM 2025", None, None, None, "(Trích xuất từ hệ thống)"],
]
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Thôn, ấp", "Tổng điểm", "Kết quả"]
INDICATOR_HEADER = [f"Tiêu chí {k}" for k in range(1, 11)]


def nfd(name: str) -> str:
    return unicodedata.normalize("NFD", name)


PEOPLE = [
    [1, "Nguyễn Văn Đức", date(1968, 4, 2), "Nam", "Ấp Phước Lợi", 92, "Đạt"],
    [2, nfd("Trần Thị Bích Ngọc"), "15/03/1985", "Nữ", "ấp Vĩnh Thạnh", 84, "Đạt"],
    [3, "Lê Văn Tám", 1979, "Nam", "Tổ 4, ấp Đông Điền", 71, "Không đạt"],
    [4, nfd("Phạm Thị Hường"), "1990", "Nữ", "Vĩnh Thạnh", 85, "Chưa đạt"],
]


def write_book(path: Path, header: list[str], rows: list[list[Any]], above: list[list[Any]] | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for line in TITLE_BLOCK if above is None else above:
        sheet.append(line)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def results_file(tmp_path: Path) -> Path:
    return write_book(tmp_path / "ket-qua-cdht-2025.xlsx", HEADER, PEOPLE)


def hamlet_id(workspace: Workspace, name: str) -> str:
    return next(h.id for h in list_hamlets(workspace) if h.name == name)


def counts(workspace: Workspace) -> tuple[int, int]:
    """(citizens, evaluations) rows of any state: an import refused must leave both untouched."""
    with session_scope(workspace.engine) as session:
        return (
            session.execute(text("SELECT count(*) FROM citizen")).scalar_one(),
            session.execute(text("SELECT count(*) FROM evaluation")).scalar_one(),
        )


def by_name(workspace: Workspace) -> dict[str, citizens.CitizenResultRow]:
    return {row.full_name: row for row in citizens.list_results(workspace, YEAR)}


def test_the_header_is_found_under_the_title_block_and_the_columns_guessed(results_file: Path) -> None:
    preview = read_sheet(results_file)

    assert preview.header_row_index == 2
    assert preview.headers == tuple(HEADER)
    assert preview.rows[0] == ("1", "Nguyễn Văn Đức", "02/04/1968", "Nam", "Ấp Phước Lợi", "92", "Đạt")
    assert preview.rows[1][1] == "Trần Thị Bích Ngọc"  # shown NFC
    assert len(preview.rows) == 4
    assert guess_mapping(preview.headers) == {
        "full_name": 1, "birth_year": 2, "sex": 3, "hamlet": 4, "total": 5, "result": 6,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("HỌ VÀ TÊN CÔNG DÂN", "full_name"),
        ("Họ, tên", "full_name"),
        ("Năm sinh", "birth_year"),
        ("Ngày, tháng, năm sinh", "birth_year"),
        ("Nam/Nữ", "sex"),
        ("Địa chỉ thường trú", "hamlet"),
        ("Tổng điểm (100 điểm)", "total"),
        ("Kết quả (Đạt/Không đạt)", "result"),
        ("Xếp loại", "result"),
        ("TC 7", "indicator_7"),
        ("Chỉ tiêu số 10", "indicator_10"),
        ("Điểm tiêu chí 3 (tối đa 10)", "indicator_3"),
    ],
)
def test_header_variants_are_recognised(header: str, field: str) -> None:
    assert guess_mapping(["STT", header]) == {field: 1}


def test_import_without_indicator_points_keeps_total_and_result(workspace: Workspace, results_file: Path) -> None:
    report = import_results(workspace, results_file, guess_mapping(HEADER), YEAR)

    assert (report.rows, report.created, report.updated, report.new_citizens) == (4, 4, 0, 4)
    rows = by_name(workspace)
    assert sorted(rows) == ["Lê Văn Tám", "Nguyễn Văn Đức", "Phạm Thị Hường", "Trần Thị Bích Ngọc"]  # NFC
    ngoc = rows["Trần Thị Bích Ngọc"]
    assert (ngoc.birth_year, ngoc.sex, ngoc.hamlet_name, ngoc.total, ngoc.passed) == (
        1985, Sex.FEMALE, "Ấp Vĩnh Thạnh", 84, True,
    )  # fmt: skip
    assert ngoc.source == "ket-qua-cdht-2025.xlsx"
    assert ngoc.link_label == ""
    assert (rows["Lê Văn Tám"].birth_year, rows["Lê Văn Tám"].hamlet_name) == (1979, "Ấp Đông Điền")
    assert (rows["Lê Văn Tám"].passed, rows["Lê Văn Tám"].result_text) == (False, "Chưa đạt")
    assert (rows["Phạm Thị Hường"].birth_year, rows["Phạm Thị Hường"].passed) == (1990, False)
    assert workspace.history.undo_label == f"Nhập kết quả Công dân học tập năm {YEAR} từ tệp ket-qua-cdht-2025.xlsx"


def test_indicator_points_are_scored_with_the_rubric(workspace: Workspace, tmp_path: Path) -> None:
    header = ["STT", "Họ và tên", "Năm sinh", *INDICATOR_HEADER, "Tổng điểm", "Kết quả"]
    path = write_book(
        tmp_path / "diem-chi-tiet.xlsx",
        header,
        [
            [1, "Võ Thị Mai", 1992, *[9] * 10, 90, "Đạt"],
            [2, nfd("Đặng Văn Lực"), 1987, 9, 9, 9, 4, 9, 9, 9, 9, 9, 9, 85, "Đạt"],
        ],
    )
    mapping = guess_mapping(header)
    assert {f"indicator_{k}" for k in range(1, 11)} <= mapping.keys()

    report = import_results(workspace, path, mapping, YEAR)

    rows = by_name(workspace)
    assert (rows["Võ Thị Mai"].total, rows["Võ Thị Mai"].passed) == (90, True)
    assert rows["Võ Thị Mai"].scores == {str(k): 9 for k in range(1, 11)}
    luc = rows["Đặng Văn Lực"]
    assert (luc.total, luc.passed, luc.result_text) == (85, False, "Chưa đạt: chỉ tiêu 4 dưới 5 điểm")
    assert report.notes == ("Dòng 5: tệp ghi «Đạt» nhưng theo bộ tiêu chí: Chưa đạt: chỉ tiêu 4 dưới 5 điểm.",)


def test_one_bad_row_names_row_and_column_and_nothing_is_written(workspace: Workspace, tmp_path: Path) -> None:
    people = [[n, f"Người Thứ {chr(65 + n)}", 1980 + n, "Nam", "Ấp Phước Lợi", 80 + n, "Đạt"] for n in range(1, 11)]
    people[4][2] = "năm ngoái"  # rows 1–3 title and header, 4–7 PEOPLE: this is row 12
    people[6][5] = "8o"  # row 14
    path = write_book(tmp_path / "co-loi.xlsx", HEADER, [*PEOPLE, *people])
    rows_before = counts(workspace)

    with pytest.raises(ImportProblems) as caught:
        import_results(workspace, path, guess_mapping(HEADER), YEAR)

    assert caught.value.problems == (
        "Dòng 12, cột «Ngày sinh»: «năm ngoái» không phải năm sinh hay ngày sinh (ví dụ 1985 hoặc 15/03/1985).",
        "Dòng 14, cột «Tổng điểm»: «8o» không phải số.",
    )
    assert "co-loi.xlsx" in str(caught.value)
    assert "chưa ghi gì vào sổ" in str(caught.value)
    assert counts(workspace) == rows_before
    assert workspace.history.undo_label is None
    assert list_backups(workspace.data_dir) == []


def test_each_kind_of_bad_cell_is_reported(workspace: Workspace, tmp_path: Path) -> None:
    header = ["Họ và tên", "Giới tính", *INDICATOR_HEADER]
    path = write_book(
        tmp_path / "loi.xlsx",
        header,
        [
            ["", "Nam", *[8] * 10],
            ["Hồ Văn Sáu", "Không rõ", *[8] * 10],
            ["Mai Thị Bảy", "Nữ", 11, *[8] * 8, ""],
            ["Lý Văn Tám", "Nam", 7.5, *[8] * 9],
        ],
    )
    with pytest.raises(ImportProblems) as caught:
        import_results(workspace, path, guess_mapping(header), YEAR)
    assert caught.value.problems == (
        "Dòng 4, cột «Họ và tên»: chưa có họ tên.",
        "Dòng 5, cột «Giới tính»: «Không rõ» không phải «Nam» hay «Nữ».",
        "Dòng 6, cột «Tiêu chí 1»: 11 điểm nằm ngoài khoảng 0–10.",
        "Dòng 6, cột «Tiêu chí 10»: còn trống.",
        "Dòng 7, cột «Tiêu chí 1»: «7,5» không phải số nguyên.",
    )


def test_reimporting_the_same_list_updates_instead_of_duplicating(workspace: Workspace, tmp_path: Path) -> None:
    path = write_book(tmp_path / "ket-qua.xlsx", HEADER, PEOPLE)
    import_results(workspace, path, guess_mapping(HEADER), YEAR)
    corrected = [list(p) for p in PEOPLE]
    corrected[2][5:7] = [80, "Đạt"]  # Lê Văn Tám was re-evaluated
    write_book(path, HEADER, corrected)

    report = import_results(workspace, path, guess_mapping(HEADER), YEAR)

    assert (report.created, report.updated, report.unchanged, report.new_citizens) == (0, 1, 3, 0)
    assert counts(workspace) == (4, 4)
    assert (by_name(workspace)["Lê Văn Tám"].total, by_name(workspace)["Lê Văn Tám"].passed) == (80, True)
    workspace.history.undo(workspace)  # the second import, in one step
    assert (by_name(workspace)["Lê Văn Tám"].total, by_name(workspace)["Lê Văn Tám"].passed) == (71, False)


def test_rows_match_household_members_by_name_birth_year_and_hamlet(workspace: Workspace, tmp_path: Path) -> None:
    household = household_service.create_household(
        workspace, HouseholdInput("00012", "Nguyễn Văn Đức", hamlet_id(workspace, "Ấp Phước Lợi"), 1968)
    )
    household_service.add_member(workspace, household, MemberInput("Trần Thị Bích Ngọc", 1985, Sex.FEMALE))
    head = next(m for m in household_service.list_members(workspace, household) if m.relation == Relation.HEAD)
    already = citizens.add_citizen_from_member(workspace, head.id)
    # The same name and year in another hamlet: the file's hamlet tells them apart.
    other = household_service.create_household(
        workspace, HouseholdInput("00031", "Lê Văn Năm", hamlet_id(workspace, "Ấp Vĩnh Thạnh"), 1960)
    )
    household_service.add_member(workspace, other, MemberInput("Trần Thị Bích Ngọc", 1985, Sex.FEMALE))
    rows = [list(p) for p in PEOPLE]
    rows[1][4] = "Ấp Phước Lợi"
    rows[0][1] = nfd("NGUYỄN VĂN ĐỨC")
    path = write_book(tmp_path / "ket-qua.xlsx", HEADER, rows)

    report = import_results(workspace, path, guess_mapping(HEADER), YEAR)

    assert (report.matched_members, report.new_citizens) == (2, 3)
    found = by_name(workspace)
    assert found["Nguyễn Văn Đức"].citizen_id == already  # reused, not a second citizen
    assert found["Nguyễn Văn Đức"].total == 92
    assert found["Trần Thị Bích Ngọc"].link_label == "Hộ 00012 — Ấp Phước Lợi"
    assert found["Lê Văn Tám"].link_label == ""


def test_an_ambiguous_member_is_not_linked_and_the_officer_is_told(workspace: Workspace, tmp_path: Path) -> None:
    for code, hamlet in (("00001", "Ấp Phước Lợi"), ("00002", "Ấp Đông Điền")):
        household_service.create_household(
            workspace, HouseholdInput(code, "Lê Văn Tám", hamlet_id(workspace, hamlet), 1979)
        )
    header = ["STT", "Họ và tên", "Năm sinh", "Tổng điểm", "Kết quả"]
    path = write_book(tmp_path / "ket-qua.xlsx", header, [[1, "Lê Văn Tám", 1979, 88, "Đạt"]])

    report = import_results(workspace, path, guess_mapping(header), YEAR)

    assert report.matched_members == 0
    assert report.notes == ("Dòng 4: có 2 người tên «Lê Văn Tám» sinh năm 1979 trong sổ hộ; chưa liên kết với hộ nào.",)


def test_two_rows_for_one_person_are_refused(workspace: Workspace, tmp_path: Path) -> None:
    again = [5, "Lê Văn Tám", 1979, "Nam", "Ấp Đông Điền", 75, "Đạt"]
    path = write_book(tmp_path / "trung.xlsx", HEADER, [*PEOPLE, again])
    with pytest.raises(ImportProblems) as caught:
        import_results(workspace, path, guess_mapping(HEADER), YEAR)
    assert caught.value.problems == ("Dòng 8: trùng người với dòng 6 («Lê Văn Tám», sinh năm 1979).",)


def test_a_mapping_without_name_or_result_is_refused(workspace: Workspace, results_file: Path) -> None:
    with pytest.raises(ImportProblems) as caught:
        import_results(workspace, results_file, {"total": 5, "birth_year": 5}, YEAR)
    assert caught.value.problems == (
        "Chưa chọn cột «Họ và tên».",
        "Chưa chọn cột «Kết quả» (hoặc các cột điểm từng tiêu chí).",
        "Cột «Tổng điểm» được chọn cho nhiều mục: «Tổng điểm», «Năm sinh (hoặc ngày sinh)».",
    )


def test_a_backup_is_taken_before_an_import_of_more_than_a_handful(workspace: Workspace, tmp_path: Path) -> None:
    small = write_book(tmp_path / "nho.xlsx", HEADER, PEOPLE)
    import_results(workspace, small, guess_mapping(HEADER), YEAR)
    assert list_backups(workspace.data_dir) == []

    people = [[n, f"Công Dân Số {chr(65 + n)}", 1970 + n, "Nữ", "", 90, "Đạt"] for n in range(6)]
    large = write_book(tmp_path / "lon.xlsx", HEADER, people)
    import_results(workspace, large, guess_mapping(HEADER), YEAR)

    (backup,) = list_backups(workspace.data_dir)
    assert backup.reason == "truoc-nhap-tep"
    # The backup holds the data as it was before the import: the first file's four people only.
    with sqlite3.connect(backup.path) as copy:
        assert copy.execute("SELECT count(*) FROM citizen").fetchone()[0] == 4


def test_a_two_row_header_with_numbered_columns_under_it(workspace: Workspace, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH CÔNG DÂN HỌC TẬP"])
    sheet.append(["STT", "Họ và tên", "Năm sinh", "Điểm các tiêu chí", *[None] * 9, "Tổng điểm", "Kết quả"])
    sheet.merge_cells("D2:M2")
    sheet.append([None, None, None, *range(1, 11)])
    sheet.append([f"({k})" for k in range(1, 16)])
    sheet.append([1, "Huỳnh Thị Lan", datetime(1975, 1, 20), *[8] * 10, 80, "Đạt"])
    sheet.append([])
    sheet.append([None, "Người lập biểu", None, None, None, "Chủ tịch"])
    path = tmp_path / "hai-hang-tieu-de.xlsx"
    book.save(path)

    preview = read_sheet(path)
    mapping = guess_mapping(preview.headers)

    assert preview.header_row_index == 1
    assert preview.headers[3:5] == ("Điểm các tiêu chí 1", "Điểm các tiêu chí 2")
    assert [row[1] for row in preview.rows] == ["Huỳnh Thị Lan"]  # not the column numbers, not the signatures
    assert mapping["indicator_10"] == 12
    report = import_results(workspace, path, mapping, YEAR)
    assert report.rows == 1
    assert (by_name(workspace)["Huỳnh Thị Lan"].total, by_name(workspace)["Huỳnh Thị Lan"].birth_year) == (80, 1975)


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_vietnamese(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "khong-phai.xlsx"
    path.write_text("không phải bảng tính", encoding="utf-8")
    with pytest.raises(UserError, match="tệp bị hỏng hoặc không phải bảng tính"):
        read_sheet(path)
