"""Importing the household members list a commune keeps in its own spreadsheet (services/member_import.py, CLI)."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from khuyenhoc_desktop.cli import main
from khuyenhoc_desktop.domain.household import (
    HouseholdInput,
    LearningStatus,
    MemberInput,
    Relation,
    Sex,
)
from khuyenhoc_desktop.domain.text import name_sort_key
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.import_kinds import KINDS
from khuyenhoc_desktop.services.import_workbooks import write_template
from khuyenhoc_desktop.services.member_import import MEMBERS, RELATION_OPTIONS, STATUS_OPTIONS
from khuyenhoc_desktop.services.sheet_reading import ImportProblems
from khuyenhoc_desktop.services.spreadsheet_import import (
    Outcome,
    guess_columns,
    import_file,
    preview,
    read_sheet,
)
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.backup import list_backups
from khuyenhoc_desktop.storage.database import session_scope
from tests.import_books import hamlet_id, messy_book

HEADER = ["STT", "Ma ho", "Ho ten chu ho", "Thon/Ap", "Ho va ten", "Ngay sinh", "Gioi tinh", "Quan he voi chu ho",
          "Truong/lop", "Tinh trang hoc tap"]  # fmt: skip
ROWS: list[list[Any]] = [
    # row 6: the head of 00001 as the register has him
    [1, "00001", "Nguyễn Văn Đức", "Ấp Vĩnh Thạnh", "Nguyễn Văn Đức", datetime(1968, 4, 2), "Nam", "Chủ hộ", None,
     None],
    # row 7: his daughter, a class up
    [2, "00001", None, None, "Nguyễn Thị Lan", "2012", "Nữ", "con gai", "THCS Vĩnh Thạnh, lớp 8", "THCS"],
    [None] * 10,
    # row 9: his son, new
    [3, "00001", None, None, "Nguyễn Văn Bảo", "15/03/2016", "nam", "Con trai", "TH Vĩnh Thạnh, lớp 4", "Tiểu học"],
    # row 10: the household 00007 given by its head's name and hamlet only; 40999 is 30/03/2012 as an Excel date
    [4, None, "Trần Thị Mai", "phuoc loi", unicodedata.normalize("NFD", "Lê Minh Khôi"), 40999, "Nam", "Con", None,
     "Đang học THCS"],
    # rows 11–12: a household the register lacks, its head's row in the sheet (below his wife's)
    [5, None, "Phạm Văn Hùng", "Thôn Đông Điền", "Võ Thị Hạnh", "5/3/82", "Nữ", "Vợ", None, None],
    [6, None, None, "Đông Điền", "Phạm Văn Hùng", "1980", "Nam", "CH", None, None],
]  # fmt: skip


def write_book(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    return messy_book(path, "Nhân khẩu", "DANH SÁCH THÀNH VIÊN HỘ NĂM 2025", header, rows, blank_rows=2)


@pytest.fixture
def registered(workspace: Workspace) -> Workspace:
    """00001 (Nguyễn Văn Đức, his daughter Lan in class 7) and 00007 (Trần Thị Mai alone)."""
    first = household_service.create_household(
        workspace, HouseholdInput("00001", "Nguyễn Văn Đức", hamlet_id(workspace, "Ấp Vĩnh Thạnh"), 1968, Sex.MALE)
    )
    household_service.add_member(
        workspace, first,
        MemberInput("Nguyễn Thị Lan", 2012, Sex.FEMALE, Relation.CHILD, "THCS Vĩnh Thạnh, lớp 7",
                    LearningStatus.LOWER_SECONDARY),
    )  # fmt: skip
    household_service.create_household(
        workspace, HouseholdInput("00007", "Trần Thị Mai", hamlet_id(workspace, "Ấp Phước Lợi"), 1985, Sex.FEMALE)
    )
    return workspace


def members_of(workspace: Workspace, code: str) -> list[household_service.MemberRow]:
    household_id = household_service.find_household(workspace, code)
    assert household_id is not None
    return household_service.list_members(workspace, household_id)


def table_counts(workspace: Workspace) -> tuple[int, int, int]:
    with session_scope(workspace.engine) as session:
        return tuple(  # type: ignore[return-value]
            session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("household", "member", "audit_log")
        )


def test_is_offered_as_members_and_reads_its_header_below_title_rows(tmp_path: Path) -> None:
    assert KINDS["members"] is MEMBERS
    layout = read_sheet(MEMBERS, write_book(tmp_path / "tv.xlsx", ROWS))
    assert (layout.sheet_name, layout.header_row_index) == ("Nhân khẩu", 4)
    assert [number for number, _ in layout.rows] == [6, 7, 9, 10, 11, 12]
    assert guess_columns(MEMBERS, layout.headers) == {
        "code": 1, "head_name": 2, "hamlet": 3, "full_name": 4, "birth_year": 5, "sex": 6, "relation": 7,
        "school": 8, "learning_status": 9,
    }  # fmt: skip
    # without a column for the head's name, "Quan hệ với chủ hộ" is still the relation's
    assert guess_columns(MEMBERS, ["Họ và tên", "Quan hệ với chủ hộ", "Mã hộ"]) == {
        "code": 2, "full_name": 0, "relation": 1,
    }  # fmt: skip


def test_relations_and_statuses_as_officers_type_them() -> None:
    read = {typed: RELATION_OPTIONS.read(typed, {}) for typed in ("CH", "con gai", "Con rể", "Bà", "Bố", "vo")}
    assert read == {"CH": Relation.HEAD, "con gai": Relation.CHILD, "Con rể": Relation.CHILD_IN_LAW,
                    "Bà": Relation.GRANDPARENT, "Bố": Relation.PARENT, "vo": Relation.SPOUSE}  # fmt: skip
    assert RELATION_OPTIONS.recognise("ba") is None  # "Bà" or, in the South, "Ba" (father): the officer says which
    assert RELATION_OPTIONS.read("ba", {"ba": "Cha/Mẹ"}) == Relation.PARENT
    assert RELATION_OPTIONS.suggest("Ba") is None and RELATION_OPTIONS.suggest("con gaii") == "Con"
    assert STATUS_OPTIONS.read("THCS", {}) == LearningStatus.LOWER_SECONDARY
    assert STATUS_OPTIONS.read("Cấp 1", {}) == LearningStatus.PRIMARY
    assert STATUS_OPTIONS.recognise("Đang học") is None  # which level is not said


def test_dry_run_counts_and_writes_nothing(registered: Workspace, tmp_path: Path) -> None:
    before = table_counts(registered)
    checked = preview(registered, MEMBERS, write_book(tmp_path / "tv.xlsx", ROWS))
    assert {r.number: r.outcome for r in checked.rows} == {
        6: Outcome.SAME, 7: Outcome.UPDATE, 9: Outcome.NEW, 10: Outcome.NEW, 11: Outcome.NEW, 12: Outcome.NEW,
    }  # fmt: skip
    assert checked.rows[1].matched == "Nguyễn Thị Lan — hộ 00001"
    report = import_file(registered, MEMBERS, write_book(tmp_path / "tv.xlsx", ROWS), dry_run=True)
    assert (report.rows, report.created, report.updated, report.unchanged, report.written) == (6, 4, 1, 1, False)
    assert "Chạy thử, chưa ghi gì: 6 dòng — 4 người mới, 1 người cập nhật, 1 người không đổi." in report.summary
    assert table_counts(registered) == before


def test_commit_adds_and_updates_members_and_the_household_headed_in_the_sheet(
    registered: Workspace, tmp_path: Path
) -> None:
    report = import_file(registered, MEMBERS, write_book(tmp_path / "tv.xlsx", ROWS))
    assert (report.created, report.updated, report.unchanged, report.written) == (4, 1, 1, True)
    first = members_of(registered, "00001")
    assert [(m.full_name, m.relation) for m in first] == [
        ("Nguyễn Văn Đức", Relation.HEAD), ("Nguyễn Thị Lan", Relation.CHILD), ("Nguyễn Văn Bảo", Relation.CHILD),
    ]  # fmt: skip
    lan, bao = first[1], first[2]
    assert (lan.school, lan.learning_status, lan.birth_year) == ("THCS Vĩnh Thạnh, lớp 8", "thcs", 2012)
    assert (bao.birth_year, bao.sex, bao.learning_status) == (2016, Sex.MALE, LearningStatus.PRIMARY)
    assert bao.name_sort == name_sort_key("Nguyễn Văn Bảo")
    (_, khoi) = members_of(registered, "00007")
    assert (khoi.full_name, khoi.birth_year, khoi.learning_status) == ("Lê Minh Khôi", 2012, "thcs")
    assert unicodedata.is_normalized("NFC", khoi.full_name)
    households = {h.head_name: h for h in household_service.list_households(registered)}
    hung = households["Phạm Văn Hùng"]
    assert (hung.code, hung.hamlet_name, hung.member_count) == ("00008", "Ấp Đông Điền", 2)
    assert "pham van hung" in hung.search_key
    assert [(m.full_name, m.relation, m.birth_year) for m in household_service.list_members(registered, hung.id)] == [
        ("Phạm Văn Hùng", Relation.HEAD, 1980), ("Võ Thị Hạnh", Relation.SPOUSE, 1982),
    ]  # fmt: skip
    with session_scope(registered.engine) as session:
        positions = session.execute(
            text("SELECT full_name, position FROM member WHERE full_name IN ('Nguyễn Văn Bảo', 'Phạm Văn Hùng')")
        ).all()
    assert dict(positions) == {"Nguyễn Văn Bảo": 2, "Phạm Văn Hùng": 0}  # after Đức (0) and Lan (1); a head first


def test_one_change_audited_and_undone_in_one_step(registered: Workspace, tmp_path: Path) -> None:
    before = (household_service.list_households(registered), members_of(registered, "00001"))
    import_file(registered, MEMBERS, write_book(tmp_path / "tv.xlsx", ROWS))
    with session_scope(registered.engine) as session:
        actions = session.execute(text("SELECT DISTINCT action FROM audit_log WHERE action LIKE 'Nhập%'")).all()
    assert actions == [("Nhập 4 người mới, cập nhật 1 người từ tệp tv.xlsx",)]
    registered.history.undo(registered)
    assert (household_service.list_households(registered), members_of(registered, "00001")) == before


MESSY = [
    *ROWS,
    [7, None, "Trần Thị Mai", "Phuoc Loii", "Lê Thị Bé", "2015", "Nữ", "Con", None, None],  # row 13: bad hamlet
    ROWS[3],  # row 14: row 9 again
    [8, "00123", None, None, "Đỗ Văn Năm", "1975", "Nam", "Con", None, None],  # row 15: a household not registered
    [9, "00007", None, None, "Lê Văn Tư", "2010", "Nam", None, None, None],  # row 16: no relation
    [10, "00007", None, None, "Huỳnh Văn Sáu", "1980", "Nam", "Chủ hộ", None, None],  # row 17: a second head
]


def test_a_bad_row_refuses_the_whole_file_naming_row_and_column(registered: Workspace, tmp_path: Path) -> None:
    path = write_book(tmp_path / "tv-loi.xlsx", MESSY)
    before = table_counts(registered)
    with pytest.raises(ImportProblems) as refused:
        import_file(registered, MEMBERS, path)
    assert refused.value.problems == (
        "Dòng 13, cột «Thon/Ap»: «Phuoc Loii» không khớp ấp nào; có phải «Ấp Phước Lợi»? "
        "(các ấp: Ấp Vĩnh Thạnh, Ấp Phước Lợi, Ấp Đông Điền).",
        "Dòng 14: trùng người với dòng 9 («Nguyễn Văn Bảo», sinh 2016).",
        "Dòng 15: sổ chưa có hộ mã 00123; hãy nhập danh sách hộ trước, hoặc thêm dòng của chủ hộ "
        "(quan hệ «Chủ hộ», có ấp) vào bảng tính.",
        "Dòng 16: chưa có quan hệ với chủ hộ.",
        "Dòng 17: hộ 00007 đã có chủ hộ «Trần Thị Mai»; mỗi hộ chỉ có một chủ hộ.",
    )
    assert "chưa ghi gì vào sổ" in str(refused.value)
    assert table_counts(registered) == before
    dry = import_file(registered, MEMBERS, path, dry_run=True)
    assert dry.problems == refused.value.problems and (dry.created, dry.updated) == (4, 1)


def test_a_household_given_only_in_the_sheet_needs_its_heads_row_with_a_hamlet(
    registered: Workspace, tmp_path: Path
) -> None:
    rows = [
        [1, "00123", None, None, "Đỗ Thị Chín", "2011", "Nữ", "Con", None, "Tiểu học"],
        [2, "00123", None, None, "Đỗ Văn Năm", "1975", "Nam", "Chủ hộ", None, None],  # no hamlet: no new household
        [3, "00124", None, "Vĩnh Thạnh", "Hồ Văn Mười", "1970", "Nam", "Chủ hộ", None, None],
        [4, "00124", None, None, "Hồ Thị Một", "1972", "Nữ", "Vợ", None, None],
        [5, "00124", None, None, "Hồ Văn Hai", "1999", "Nam", "Chủ hộ", None, None],  # a second head
        [6, "00124", "Lê Văn Mười", None, "Hồ Thị Ba", "2001", "Nữ", "Con", None, None],  # another head's name
    ]
    checked = preview(registered, MEMBERS, write_book(tmp_path / "tv.xlsx", rows))
    assert checked.problem_texts() == [
        "Dòng 6: sổ chưa có hộ mã 00123, và dòng 7 (chủ hộ của hộ này) có lỗi: hãy sửa dòng đó.",
        "Dòng 7: sổ chưa có hộ mã 00123: cần ấp của hộ để thêm hộ mới.",
        "Dòng 10: hộ này đã có chủ hộ «Hồ Văn Mười» ở dòng 8.",
        "Dòng 11: chủ hộ của hộ 00124 là «Hồ Văn Mười», không phải «Lê Văn Mười».",
    ]
    rows[1][3], rows[4][7] = "Phước Lợi", "Con"
    report = import_file(registered, MEMBERS, write_book(tmp_path / "tv.xlsx", rows[:5]))
    assert (report.created, report.updated) == (5, 0)
    assert [(m.full_name, m.relation) for m in members_of(registered, "00123")] == [
        ("Đỗ Văn Năm", Relation.HEAD), ("Đỗ Thị Chín", Relation.CHILD),
    ]  # fmt: skip
    assert [m.full_name for m in members_of(registered, "00124")] == ["Hồ Văn Mười", "Hồ Thị Một", "Hồ Văn Hai"]


def test_an_update_is_found_by_name_and_birth_year_within_the_household(registered: Workspace, tmp_path: Path) -> None:
    first = household_service.find_household(registered, "00001")
    assert first is not None
    household_service.add_member(
        registered, first, MemberInput("Nguyễn Thị Lan", 1940, Sex.FEMALE, Relation.GRANDPARENT)
    )
    rows = [
        [1, "00001", None, None, "Nguyễn Thị Lan", 1940, None, None, None, "Học tập suốt đời"],  # the grandmother
        [2, "00007", None, None, "Nguyễn Thị Lan", 2012, "Nữ", "Cháu", None, None],  # another household: a new person
        [3, "00001", None, "Phước Lợi", "Nguyễn Văn Đức", 1968, "Nam", "Chủ hộ", None, None],  # not its hamlet
        [4, "00001", "Trần Văn Đức", None, "Nguyễn Văn Tâm", 2001, "Nam", "Con", None, None],  # not its head
        [5, "00001", None, None, "Nguyễn Văn Đức", 1968, "Nam", "Con", None, None],  # the head stepping down
    ]
    checked = preview(registered, MEMBERS, write_book(tmp_path / "tv.xlsx", rows))
    assert [r.outcome for r in checked.rows] == [Outcome.UPDATE, Outcome.NEW, *[Outcome.PROBLEM] * 3]
    assert checked.problem_texts() == [
        "Dòng 8: hộ 00001 ở «Ấp Vĩnh Thạnh», không phải «Ấp Phước Lợi».",
        "Dòng 9: chủ hộ của hộ 00001 là «Nguyễn Văn Đức», không phải «Trần Văn Đức».",
        "Dòng 10: «Nguyễn Văn Đức» là chủ hộ của hộ 00001: muốn đổi chủ hộ, hãy sửa trong sổ hộ gia đình.",
    ]
    import_file(registered, MEMBERS, write_book(tmp_path / "tv.xlsx", rows[:2]))
    people = {(m.full_name, m.birth_year): m for m in members_of(registered, "00001")}
    grandmother, lan = people[("Nguyễn Thị Lan", 1940)], people[("Nguyễn Thị Lan", 2012)]
    # blank sex and relation keep what the register has
    assert grandmother.learning_status == LearningStatus.ADULT_LEARNING
    assert (grandmother.relation, grandmother.sex) == (Relation.GRANDPARENT, Sex.FEMALE)
    assert lan.learning_status == LearningStatus.LOWER_SECONDARY
    assert [m.full_name for m in members_of(registered, "00007")] == ["Trần Thị Mai", "Nguyễn Thị Lan"]


def test_a_sheet_with_neither_household_code_nor_head_name_is_refused_row_by_row(
    registered: Workspace, tmp_path: Path
) -> None:
    path = write_book(tmp_path / "tv.xlsx", [["Nguyễn Văn Bảo", 2016, "Con"]], ["Họ và tên", "Năm sinh", "Quan hệ"])
    with pytest.raises(ImportProblems) as refused:
        import_file(registered, MEMBERS, path)
    assert refused.value.problems == (
        "Dòng 6: bảng tính chưa có cột «Mã hộ» hay cột «Họ tên chủ hộ» nên không biết người này thuộc hộ nào; "
        "hãy chọn một trong hai cột.",
    )


def test_a_large_import_is_backed_up_first(registered: Workspace, tmp_path: Path) -> None:
    rows = [[i, "00007", None, None, f"Trần Văn {name}", 2000 + i, "Nam", "Con", None, None]
            for i, name in enumerate(("An", "Bình", "Cường", "Dũng", "Em", "Phúc"))]  # fmt: skip
    import_file(registered, MEMBERS, write_book(tmp_path / "tv.xlsx", rows))
    assert [b.reason for b in list_backups(registered.data_dir)] == ["truoc-nhap-thanh-vien"]
    assert len(members_of(registered, "00007")) == 7


def test_the_filled_template_reimports_with_every_row_unchanged(registered: Workspace, tmp_path: Path) -> None:
    import_file(registered, MEMBERS, write_book(tmp_path / "tv.xlsx", ROWS))
    (row,) = (r for r in MEMBERS.template_rows(registered) if r["full_name"] == "Lê Minh Khôi")
    assert row == {
        "code": "00007", "head_name": "Trần Thị Mai", "hamlet": "Ấp Phước Lợi", "full_name": "Lê Minh Khôi",
        "birth_year": 2012, "sex": "Nam", "relation": "Con", "school": "", "learning_status": "Đang học THCS",
    }  # fmt: skip
    path = tmp_path / "mau.xlsx"
    assert write_template(registered, MEMBERS, path, filled=True) == 7
    checked = preview(registered, MEMBERS, path)
    assert checked.problem_texts() == []
    assert [r.outcome for r in checked.rows] == [Outcome.SAME] * 7


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_dry_run_then_import_then_a_refusal(
    registered: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(registered.data_dir)
    path = str(write_book(tmp_path / "tv.xlsx", ROWS))
    code, out, err = run("import", "--data-dir", folder, "--kind", "members", path, "--dry-run", capsys=capsys)
    assert code == 0, err
    assert "Chạy thử, chưa ghi gì: 6 dòng — 4 người mới, 1 người cập nhật, 1 người không đổi." in out
    assert "Họ và tên ← E «Ho va ten»" in err and "Quan hệ với chủ hộ ← H «Quan he voi chu ho»" in err
    assert len(members_of(registered, "00001")) == 2
    code, out, err = run("import", "--data-dir", folder, "--kind", "members", path, capsys=capsys)
    assert code == 0, err
    assert "Đã nhập: 6 dòng — 4 người mới, 1 người cập nhật, 1 người không đổi." in out
    assert len(members_of(registered, "00001")) == 3
    bad = str(write_book(tmp_path / "tv-loi.xlsx", MESSY[-3:]))
    code, out, err = run("import", "--data-dir", folder, "--kind", "members", bad, capsys=capsys)
    assert code == 2 and out == ""
    assert "Dòng 6: sổ chưa có hộ mã 00123; hãy nhập danh sách hộ trước" in err
    assert len(members_of(registered, "00007")) == 2


def test_a_heads_row_under_a_new_code_for_a_household_the_register_has_is_refused(
    registered: Workspace, tmp_path: Path
) -> None:
    rows = [[1, "HGD-01", None, "Vĩnh Thạnh", "Nguyễn Văn Đức", "1968", "Nam", "Chủ hộ", None, None]]
    report = import_file(registered, MEMBERS, write_book(tmp_path / "tv.xlsx", rows), dry_run=True)
    assert report.problems == (
        "Dòng 6, cột «Ma ho»: sổ đã có hộ chủ hộ «Nguyễn Văn Đức» cùng ấp, mã 00001, không phải «HGD-01»: sửa mã "
        "trong tệp cho đúng (hoặc xóa ô mã) để cập nhật hộ đó, không thêm hộ trùng.",
    )


def test_a_corrected_birth_year_updates_the_only_member_of_that_name(registered: Workspace, tmp_path: Path) -> None:
    rows = [[1, "00001", None, None, "Nguyễn Thị Lan", 2011, "Nữ", "Con", None, None]]
    report = import_file(registered, MEMBERS, write_book(tmp_path / "tv.xlsx", rows))
    assert (report.created, report.updated) == (0, 1)
    assert [(m.full_name, m.birth_year) for m in members_of(registered, "00001")] == [
        ("Nguyễn Văn Đức", 1968), ("Nguyễn Thị Lan", 2011),
    ]  # fmt: skip
