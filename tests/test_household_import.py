"""Importing the households list a commune keeps in its own spreadsheet (services/household_import.py through the
shared steps of services/spreadsheet_import.py, and the CLI)."""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from khuyenhoc_desktop.cli import main
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.household import HouseholdInput, Sex
from khuyenhoc_desktop.domain.text import name_sort_key
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.household_import import HOUSEHOLDS
from khuyenhoc_desktop.services.sheet_reading import ImportProblems
from khuyenhoc_desktop.services.spreadsheet_import import (
    ImportReport,
    Settings,
    guess_columns,
    import_file,
    load_settings,
    read_sheet,
    save_settings,
)
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.backup import list_backups
from khuyenhoc_desktop.storage.database import session_scope
from tests.import_books import hamlet_id, messy_book

HEADER = ["STT", "Ma ho", "Ho ten chu ho", "Nam sinh", "Gioi tinh", "Thon/Ap", "Dia chi", "So dien thoai", "Ghi chu"]
ROWS: list[list[Any]] = [
    [1, "00001", "Nguyễn Văn Đức", datetime(1968, 4, 2), "Nam", "Ấp Vĩnh Thạnh", "Số 12, Rạch Kiến", "0909123456", ""],
    [2, None, "Trần Thị Mai", "15/03/1985", "Nữ", "phuoc loi", None, None, None],
    [None] * 9,
    [3, None, unicodedata.normalize("NFD", "Lê Văn Tám"), "5/3/79", "nam", "Thôn Đông Điền", "Tổ 4", 909111222, None],
    [4, None, "Phạm Thị Hường", 1990, "NỮ", "Vinh Thanh", None, None, "Hộ nghèo"],
    [5, None, "Võ Văn Ba", 31121, "Nam", "Đông Điền", None, None, None],  # 15/03/1985 as an Excel serial
]


def write_book(path: Path, rows: list[list[Any]], header: list[str] = HEADER, sheet: str = "Danh sách hộ") -> Path:
    return messy_book(path, sheet, "DANH SÁCH HỘ GIA ĐÌNH NĂM 2025", header, rows)


def import_households(
    workspace: Workspace, path: Path, settings: Settings | None = None, sheet: str | None = None, dry_run: bool = False
) -> ImportReport:
    return import_file(workspace, HOUSEHOLDS, path, settings, sheet, dry_run)


@pytest.fixture
def registered(workspace: Workspace) -> Workspace:
    """Two households already in the register: 00001 (its address about to change) and 00007, as the file has it."""
    household_service.create_household(
        workspace,
        HouseholdInput("00001", "Nguyễn Văn Đức", hamlet_id(workspace, "Ấp Vĩnh Thạnh"), 1968, Sex.MALE, "Rạch Kiến",
                       "0909123456"),
    )  # fmt: skip
    household_service.create_household(
        workspace, HouseholdInput("00007", "Trần Thị Mai", hamlet_id(workspace, "Ấp Phước Lợi"), 1985, Sex.FEMALE)
    )
    return workspace


def table_counts(workspace: Workspace) -> tuple[int, int, int]:
    with session_scope(workspace.engine) as session:
        return tuple(  # type: ignore[return-value]
            session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("household", "member", "audit_log")
        )


def test_header_found_below_title_rows_on_the_sheet_with_the_list(tmp_path: Path) -> None:
    layout = read_sheet(HOUSEHOLDS, write_book(tmp_path / "ho.xlsx", ROWS))
    assert layout.sheet_name == "Danh sách hộ"
    assert layout.header_row_index == 3
    assert [number for number, _ in layout.rows] == [5, 6, 8, 9, 10]  # the blank row 7 left out
    assert guess_columns(HOUSEHOLDS, layout.headers) == {
        "head_name": 2, "code": 1, "head_birth_year": 3, "head_sex": 4, "hamlet": 5, "address": 6, "phone": 7,
        "note": 8,
    }  # fmt: skip


def test_a_sheet_named_that_the_file_lacks_is_refused_with_the_sheets_it_has(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = write_book(tmp_path / "ho.xlsx", ROWS)
    assert read_sheet(HOUSEHOLDS, path, "danh sách hộ").sheet_name == "Danh sách hộ"
    with pytest.raises(UserError, match=r"không có trang «Năm 2024»\. Các trang: «Hướng dẫn», «Danh sách hộ»"):
        read_sheet(HOUSEHOLDS, path, "Năm 2024")
    with pytest.raises(ImportProblems, match=r"Chưa chọn cột «Họ tên chủ hộ»"):
        import_households(workspace, path, sheet="Hướng dẫn")


def test_dry_run_counts_new_updated_unchanged_and_writes_nothing(registered: Workspace, tmp_path: Path) -> None:
    before = table_counts(registered)
    report = import_households(registered, write_book(tmp_path / "ho.xlsx", ROWS), dry_run=True)
    assert (report.rows, report.created, report.updated, report.unchanged) == (5, 3, 1, 1)
    assert report.problems == () and not report.written
    assert "Chạy thử, chưa ghi gì: 5 dòng — 3 hộ mới, 1 hộ cập nhật, 1 hộ không đổi." in report.summary
    assert table_counts(registered) == before


def test_commit_adds_new_households_and_updates_the_existing_ones(registered: Workspace, tmp_path: Path) -> None:
    report = import_households(registered, write_book(tmp_path / "ho.xlsx", ROWS))
    assert (report.created, report.updated, report.unchanged, report.written) == (3, 1, 1, True)
    rows = {r.head_name: r for r in household_service.list_households(registered)}
    assert len(rows) == 5
    assert rows["Nguyễn Văn Đức"].code == "00001" and rows["Nguyễn Văn Đức"].address == "Số 12, Rạch Kiến"
    assert rows["Trần Thị Mai"].code == "00007"
    assert [rows[n].code for n in ("Lê Văn Tám", "Phạm Thị Hường", "Võ Văn Ba")] == ["00008", "00009", "00010"]
    tam = rows["Lê Văn Tám"]
    assert (tam.hamlet_name, tam.phone, tam.address) == ("Ấp Đông Điền", "0909111222", "Tổ 4")
    assert "le van tam" in tam.search_key and tam.head_sort == name_sort_key("Lê Văn Tám")
    assert rows["Phạm Thị Hường"].note == "Hộ nghèo"
    heads = {m.full_name: m for r in rows.values() for m in household_service.list_members(registered, r.id)}
    assert (heads["Lê Văn Tám"].birth_year, heads["Võ Văn Ba"].birth_year) == (1979, 1985)
    assert (heads["Phạm Thị Hường"].birth_year, heads["Phạm Thị Hường"].sex) == (1990, Sex.FEMALE)
    assert household_service.find_household(registered, "00010") is not None


def test_one_change_audited_and_undone_in_one_step(registered: Workspace, tmp_path: Path) -> None:
    before = household_service.list_households(registered)
    import_households(registered, write_book(tmp_path / "ho.xlsx", ROWS))
    with session_scope(registered.engine) as session:
        actions = session.execute(text("SELECT DISTINCT action FROM audit_log WHERE action LIKE 'Nhập%'")).all()
    assert actions == [("Nhập 3 hộ mới, cập nhật 1 hộ từ tệp ho.xlsx",)]
    registered.history.undo(registered)
    assert household_service.list_households(registered) == before


def test_a_bad_row_refuses_the_whole_file_naming_row_and_column(registered: Workspace, tmp_path: Path) -> None:
    messy = [*ROWS, [6, None, "Đỗ Văn Năm", "1975", "Nam", "Vinh Thanhh", None, "12345", None], ROWS[4]]
    path = write_book(tmp_path / "ho-loi.xlsx", messy)
    before = table_counts(registered)
    with pytest.raises(ImportProblems) as refused:
        import_households(registered, path)
    assert refused.value.problems == (
        "Dòng 11, cột «Thon/Ap»: «Vinh Thanhh» không khớp ấp nào; có phải «Ấp Vĩnh Thạnh»? "
        "(các ấp: Ấp Vĩnh Thạnh, Ấp Phước Lợi, Ấp Đông Điền).",
        "Dòng 11, cột «So dien thoai»: «12345» không phải số điện thoại Việt Nam (ví dụ 0909 123 456).",
        "Dòng 12: trùng hộ với dòng 9 (chủ hộ «Phạm Thị Hường»).",
    )
    assert "chưa ghi gì vào sổ" in str(refused.value)
    assert table_counts(registered) == before
    dry = import_households(registered, path, dry_run=True)
    assert dry.problems == refused.value.problems and dry.created == 3


def test_a_large_import_is_backed_up_first(workspace: Workspace, tmp_path: Path) -> None:
    rows = [[i, None, f"Người Thứ {chr(65 + i)}", 1980 + i, "Nam", "Phước Lợi"] for i in range(6)]
    import_households(workspace, write_book(tmp_path / "ho.xlsx", rows, HEADER[:6]))
    assert [b.reason for b in list_backups(workspace.data_dir)] == ["truoc-nhap-ho"]
    assert len(household_service.list_households(workspace)) == 6


def test_saved_mapping_is_reused_on_a_sheet_with_other_column_order(workspace: Workspace, tmp_path: Path) -> None:
    odd = ["TT", "Người đứng tên hộ", "Xóm cũ", "Nơi sinh sống"]
    path = write_book(tmp_path / "nam-2024.xlsx", [[1, "Nguyễn Văn Đức", "Vĩnh Thạnh", "Rạch Kiến"]], odd)
    layout = read_sheet(HOUSEHOLDS, path, "Danh sách hộ")  # no header is recognised: the officer names the sheet
    headers = layout.headers
    assert layout.header_row_index == 3 and "head_name" not in guess_columns(HOUSEHOLDS, headers)
    saved = tmp_path / "ghep-cot.json"
    save_settings(HOUSEHOLDS, saved, Settings({"head_name": 1, "hamlet": 2, "address": 3}), headers)
    assert json.loads(saved.read_text(encoding="utf-8")) == {
        "loai": "households",
        "cot": {
            "code": "",
            "head_name": "Người đứng tên hộ",
            "hamlet": "Xóm cũ",
            "address": "Nơi sinh sống",
            "phone": "",
            "note": "",
            "head_birth_year": "",
            "head_sex": "",
        },
        "gia_tri": {},
    }
    moved = ["Nơi sinh sống", "Nguoi dung ten ho", "TT", "Xom cu"]
    path2 = write_book(tmp_path / "nam-2025.xlsx", [["Tổ 4", "Lê Văn Tám", 1, "Đông Điền"]], moved)
    settings = load_settings(HOUSEHOLDS, saved, read_sheet(HOUSEHOLDS, path2, "Danh sách hộ").headers)
    assert settings.columns == {"head_name": 1, "hamlet": 3, "address": 0}
    assert import_households(workspace, path2, settings, "Danh sách hộ").created == 1
    (row,) = household_service.list_households(workspace)
    assert (row.head_name, row.hamlet_name, row.address) == ("Lê Văn Tám", "Ấp Đông Điền", "Tổ 4")


def test_a_saved_mapping_naming_a_missing_header_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    saved = tmp_path / "ghep-cot.json"
    saved.write_text(json.dumps({"head_name": "Chủ hộ cũ"}), encoding="utf-8")
    with pytest.raises(UserError, match="tiêu đề «Chủ hộ cũ» của mục «Họ tên chủ hộ» không ứng với cột nào"):
        load_settings(HOUSEHOLDS, saved, HEADER)


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_dry_run_then_import_then_refusals(
    registered: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(registered.data_dir)
    path = str(write_book(tmp_path / "ho.xlsx", ROWS))
    saved = tmp_path / "ghep-cot.json"
    code, out, err = run("import", "--data-dir", folder, "--kind", "households", path, "--dry-run",
                         "--save-mapping", str(saved), capsys=capsys)  # fmt: skip
    assert code == 0, err
    assert "Chạy thử, chưa ghi gì: 5 dòng — 3 hộ mới, 1 hộ cập nhật, 1 hộ không đổi." in out
    assert "Trang «Danh sách hộ», hàng tiêu đề 4." in err and "Họ tên chủ hộ ← C «Ho ten chu ho»" in err
    assert len(household_service.list_households(registered)) == 2
    code, out, err = run("import", "--data-dir", folder, "--kind", "households", path, "--mapping", str(saved),
                         "--sheet", "Danh sách hộ", capsys=capsys)  # fmt: skip
    assert code == 0, err
    assert "Đã nhập: 5 dòng — 3 hộ mới, 1 hộ cập nhật, 1 hộ không đổi." in out
    assert len(household_service.list_households(registered)) == 5

    bad = str(write_book(tmp_path / "ho-loi.xlsx", [[1, None, "Đỗ Văn Năm", "1975", "Nam", "Vinh Thanhh"]]))
    code, out, err = run("import", "--data-dir", folder, "--kind", "households", bad, capsys=capsys)
    assert code == 2 and out == ""
    assert "Dòng 5, cột «Thon/Ap»: «Vinh Thanhh» không khớp ấp nào; có phải «Ấp Vĩnh Thạnh»?" in err
    assert len(household_service.list_households(registered)) == 5


def test_a_household_under_a_new_code_is_not_added_twice_but_a_namesake_is(
    registered: Workspace, tmp_path: Path
) -> None:
    rows = [
        [1, "HGD-01", "Nguyễn Văn Đức", 1968, "Nam", "Vĩnh Thạnh"],  # 00001 under the commune's own code
        [2, "HGD-02", "Nguyễn Văn Đức", 1990, "Nam", "Vĩnh Thạnh"],  # his namesake, another man
    ]
    report = import_households(registered, write_book(tmp_path / "ho.xlsx", rows, HEADER[:6]), dry_run=True)
    assert report.problems == (
        "Dòng 5, cột «Ma ho»: sổ đã có hộ chủ hộ «Nguyễn Văn Đức» cùng ấp, mã 00001, không phải «HGD-01»: sửa mã "
        "trong tệp cho đúng (hoặc xóa ô mã) để cập nhật hộ đó, không thêm hộ trùng.",
    )
    assert report.created == 1


def test_namesake_heads_in_one_hamlet_are_told_apart_by_birth_year(registered: Workspace, tmp_path: Path) -> None:
    household_service.create_household(
        registered, HouseholdInput("00008", "Nguyễn Văn Đức", hamlet_id(registered, "Ấp Vĩnh Thạnh"), 1990, Sex.MALE)
    )
    header = ["STT", "Ho ten chu ho", "Nam sinh", "Thon/Ap", "Dia chi"]
    rows = [[1, "Nguyễn Văn Đức", 1990, "Vĩnh Thạnh", "Tổ 9"], [2, "Nguyễn Văn Đức", None, "Vĩnh Thạnh", "Tổ 1"]]
    report = import_households(registered, write_book(tmp_path / "ho.xlsx", rows, header), dry_run=True)
    assert report.problems == (
        "Dòng 6: sổ đã có 2 hộ chủ hộ «Nguyễn Văn Đức» cùng ấp (00001, 00008); hãy thêm cột mã hộ hoặc năm sinh chủ "
        "hộ để biết cập nhật hộ nào.",
    )
    assert report.updated == 1
