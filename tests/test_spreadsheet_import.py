"""The steps every spreadsheet import shares (services/spreadsheet_import.py, services/import_workbooks.py), shown on
the households list: value choices, skipping problem rows, the problem-rows workbook re-imported after fixing, the
templates, and the CLI's options for them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
import pytest

from khuyenhoc_desktop.cli import _IMPORT_KINDS, _TEMPLATE_KINDS
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.household_import import HOUSEHOLDS
from khuyenhoc_desktop.services.import_kinds import KINDS
from khuyenhoc_desktop.services.import_workbooks import write_problem_rows, write_template
from khuyenhoc_desktop.services.sheet_reading import ImportProblems
from khuyenhoc_desktop.services.spreadsheet_import import (
    PROBLEMS_HEADER,
    Outcome,
    Settings,
    TypedValue,
    commit,
    guess_columns,
    load_settings,
    preview,
    read_sheet,
    save_settings,
    typed_values,
)
from khuyenhoc_desktop.services.workspace import Workspace
from tests.test_household_import import HEADER, ROWS, registered, run, table_counts, write_book

__all__ = ["registered"]  # the fixture, used by name

MESSY = [
    *ROWS,
    [6, None, "Đỗ Văn Năm", "1975", "Nam", "Vinh Thanh cu", None, "12345", None],  # old hamlet name, bad phone
    [7, None, "Hồ Thị Sáu", "1980", "Nu", "Vinh Thanh cu", None, None, None],
    ROWS[4],  # row 9 again
]


def heads(workspace: Workspace) -> dict[str, household_service.HouseholdRow]:
    return {r.head_name: r for r in household_service.list_households(workspace)}


def test_kinds_are_the_ones_the_cli_offers() -> None:
    assert set(KINDS) == set(_TEMPLATE_KINDS) == set(_IMPORT_KINDS) - {"citizens"}


def test_typed_values_list_the_values_not_understood_first_with_a_suggestion(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = write_book(tmp_path / "ho.xlsx", MESSY)
    layout = read_sheet(HOUSEHOLDS, path)
    found = typed_values(workspace, HOUSEHOLDS, layout, Settings(guess_columns(HOUSEHOLDS, layout.headers)))
    assert found[0] == TypedValue("hamlet", "Vinh Thanh cu", 2, None, "Ấp Vĩnh Thạnh")
    understood = {(v.field, v.text): v.meaning for v in found[1:]}
    assert understood[("hamlet", "phuoc loi")] == "Ấp Phước Lợi"
    assert understood[("head_sex", "NỮ")] == understood[("head_sex", "Nu")] == "Nữ"
    assert all(v.meaning for v in found[1:])


def test_the_officers_value_choice_reads_a_hamlet_the_list_does_not_know(registered: Workspace, tmp_path: Path) -> None:
    path = write_book(tmp_path / "ho.xlsx", MESSY)
    layout = read_sheet(HOUSEHOLDS, path)
    columns = guess_columns(HOUSEHOLDS, layout.headers)
    plain = preview(registered, HOUSEHOLDS, path, Settings(columns))
    assert [r.number for r in plain.rows if r.outcome == Outcome.PROBLEM] == [11, 12, 13]
    chosen = Settings(columns, {"hamlet": {"vinh thanh cu": "Ấp Vĩnh Thạnh"}})
    checked = preview(registered, HOUSEHOLDS, path, chosen)
    assert [(r.number, r.outcome) for r in checked.rows if r.outcome != Outcome.NEW] == [
        (5, Outcome.UPDATE), (6, Outcome.SAME), (11, Outcome.PROBLEM), (13, Outcome.PROBLEM),
    ]  # fmt: skip
    assert checked.rows[1].matched == "Hộ 00007 — Trần Thị Mai"
    assert checked.problem_texts() == [
        "Dòng 11, cột «So dien thoai»: «12345» không phải số điện thoại Việt Nam (ví dụ 0909 123 456).",
        "Dòng 13: trùng hộ với dòng 9 (chủ hộ «Phạm Thị Hường»).",
    ]
    assert checked.summary == "8 dòng — 4 hộ mới, 1 hộ cập nhật, 1 hộ không đổi, 2 dòng có lỗi."


def test_settings_keep_value_choices_and_refuse_another_kinds_file(workspace: Workspace, tmp_path: Path) -> None:
    saved = tmp_path / "ghep.json"
    settings = Settings({"head_name": 2, "hamlet": 5}, {"hamlet": {"vinh thanh cu": "Ấp Vĩnh Thạnh"}})
    save_settings(HOUSEHOLDS, saved, settings, HEADER)
    assert load_settings(HOUSEHOLDS, saved, HEADER).values == settings.values
    old_shape = tmp_path / "cu.json"
    old_shape.write_text(json.dumps({"head_name": "Ho ten chu ho", "note": ""}), encoding="utf-8")
    assert "note" not in load_settings(HOUSEHOLDS, old_shape, HEADER).columns
    other = tmp_path / "khac.json"
    other.write_text(json.dumps({"loai": "members", "cot": {}}), encoding="utf-8")
    with pytest.raises(UserError, match="dành cho danh sách «members», không phải «households»"):
        load_settings(HOUSEHOLDS, other, HEADER)


def test_problem_rows_are_refused_unless_skipped_then_exported_fixed_and_reimported(
    registered: Workspace, tmp_path: Path
) -> None:
    path = write_book(tmp_path / "ho.xlsx", MESSY)
    checked = preview(registered, HOUSEHOLDS, path)
    before = table_counts(registered)
    with pytest.raises(ImportProblems):
        commit(registered, checked)
    assert table_counts(registered) == before

    problems = tmp_path / "dong-loi.xlsx"
    assert write_problem_rows(checked, problems) == 3
    sheet = openpyxl.load_workbook(problems).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [*HEADER, PROBLEMS_HEADER]
    assert rows[1][2:6] == ["Đỗ Văn Năm", "1975", "Nam", "Vinh Thanh cu"]
    assert rows[1][-1] == (
        "Dòng 11 của tệp gốc — cột «Thon/Ap»: «Vinh Thanh cu» không khớp ấp nào; có phải «Ấp Vĩnh Thạnh»? "
        "(các ấp: Ấp Vĩnh Thạnh, Ấp Phước Lợi, Ấp Đông Điền); cột «So dien thoai»: «12345» không phải số điện "
        "thoại Việt Nam (ví dụ 0909 123 456)"
    )
    assert rows[3][-1] == "Dòng 13 của tệp gốc — trùng hộ với dòng 9 (chủ hộ «Phạm Thị Hường»)"

    report = commit(registered, checked, skip_problem_rows=True)
    assert (report.created, report.updated, report.skipped) == (3, 1, 3)
    assert "Bỏ qua 3 dòng có lỗi." in report.summary
    assert len(heads(registered)) == 5

    fixed = openpyxl.load_workbook(problems)
    data = fixed.active
    assert data is not None
    data["F2"], data["H2"], data["F3"] = "Vĩnh Thạnh", "0909555666", "Vĩnh Thạnh"
    data.delete_rows(4)  # the duplicate: the household is already in
    fixed.save(problems)
    again = commit(registered, preview(registered, HOUSEHOLDS, problems))
    assert (again.created, again.updated, again.skipped) == (2, 0, 0)
    found = heads(registered)
    assert (found["Đỗ Văn Năm"].hamlet_name, found["Đỗ Văn Năm"].phone) == ("Ấp Vĩnh Thạnh", "0909555666")
    assert len(found) == 7


def test_blank_template_reads_back_its_columns_and_the_filled_one_reimports_unchanged(
    registered: Workspace, tmp_path: Path
) -> None:
    commit(registered, preview(registered, HOUSEHOLDS, write_book(tmp_path / "ho.xlsx", ROWS)))
    blank = tmp_path / "mau.xlsx"
    assert write_template(registered, HOUSEHOLDS, blank) == 0
    layout = read_sheet(HOUSEHOLDS, blank)
    assert layout.sheet_name == "Danh sách" and layout.rows == ()
    assert layout.headers[:3] == ("Mã hộ", "Họ tên chủ hộ (*)", "Ấp (thôn, khu phố) (*)")
    assert guess_columns(HOUSEHOLDS, layout.headers) == {f: i for i, f in enumerate(HOUSEHOLDS.field_labels)}
    book = openpyxl.load_workbook(blank)
    assert book["Danh mục"].sheet_state == "hidden"
    assert [c.value for c in book["Danh mục"]["A"]] == ["Ấp (thôn, khu phố)", "Ấp Vĩnh Thạnh", "Ấp Phước Lợi",
                                                       "Ấp Đông Điền"]  # fmt: skip

    filled = tmp_path / "mau-day-du.xlsx"
    assert write_template(registered, HOUSEHOLDS, filled, filled=True) == 5
    checked = preview(registered, HOUSEHOLDS, filled)
    assert [r.outcome for r in checked.rows] == [Outcome.SAME] * 5 and checked.problems == []
    sheet = openpyxl.load_workbook(filled)["Danh sách"]
    sheet["D2"] = "Số 14, Rạch Kiến"
    sheet.parent.save(filled)
    changed = commit(registered, preview(registered, HOUSEHOLDS, filled))
    assert (changed.updated, changed.unchanged) == (1, 4)
    assert heads(registered)["Nguyễn Văn Đức"].address == "Số 14, Rạch Kiến"


def test_cli_writes_the_problem_rows_skips_them_and_writes_templates(
    registered: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(registered.data_dir)
    path = str(write_book(tmp_path / "ho.xlsx", MESSY))
    problems = tmp_path / "loi.xlsx"
    code, out, err = run("import", "--data-dir", folder, "--kind", "households", path,
                         "--problems-out", str(problems), capsys=capsys)  # fmt: skip
    assert code == 2 and out == "" and "có 4 lỗi, chưa ghi gì vào sổ" in err
    assert f"Đã ghi 3 dòng lỗi vào {problems}" in err and problems.exists()
    code, out, err = run("import", "--data-dir", folder, "--kind", "households", path, "--skip-problem-rows",
                         capsys=capsys)  # fmt: skip
    assert code == 0, err
    assert "Đã nhập: 8 dòng — 3 hộ mới, 1 hộ cập nhật, 1 hộ không đổi. Bỏ qua 3 dòng có lỗi." in out
    assert len(heads(registered)) == 5

    template = tmp_path / "mau.xlsx"
    code, out, err = run("import-template", "--data-dir", folder, "--kind", "households", "--out", str(template),
                         "--filled", capsys=capsys)  # fmt: skip
    assert code == 0, err
    assert out == f"Đã ghi mẫu danh sách hộ gia đình, kèm 5 hộ đang có trong sổ: {template}\n"
    code, out, err = run("import", "--data-dir", folder, "--kind", "households", str(template), "--dry-run",
                         capsys=capsys)  # fmt: skip
    assert code == 0 and "5 dòng — 0 hộ mới, 0 hộ cập nhật, 5 hộ không đổi." in out
    code, out, err = run("import-template", "--data-dir", folder, "--kind", "households", "--out",
                         str(tmp_path / "mau.pdf"), capsys=capsys)  # fmt: skip
    assert code == 2 and "tên tệp phải kết thúc bằng .xlsx" in err


MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def write_ods(path: Path, sheet: str, rows: list[list[Any]]) -> Path:
    """A LibreOffice Calc file (OpenDocument: a zip with the cells in content.xml), as some communes keep lists."""
    ns = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' \
         'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ' \
         'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'  # fmt: skip

    def cell(value: Any) -> str:
        if isinstance(value, int):
            return f'<table:table-cell office:value-type="float" office:value="{value}"/>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'

    body = "".join(f"<table:table-row>{''.join(map(cell, r)) or '<table:table-cell/>'}</table:table-row>" for r in rows)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="{escape(sheet)}">{body}</table:table></office:spreadsheet>'
        "</office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("META-INF/manifest.xml", MANIFEST)
        book.writestr("content.xml", content)
    return path


def test_a_libreoffice_list_imports_like_an_excel_one(workspace: Workspace, tmp_path: Path) -> None:
    rows = [
        ["DANH SÁCH HỘ GIA ĐÌNH"], [], ["Ma ho", "Ho ten chu ho", "Thon/Ap", "Nam sinh"],
        ["00001", "Nguyễn Văn Đức", "Vĩnh Thạnh", 1968], ["00002", "Trần Thị Mai", "phuoc loi", "15/03/1985"],
    ]  # fmt: skip
    path = write_ods(tmp_path / "ho.ods", "Hộ gia đình", rows)
    assert read_sheet(HOUSEHOLDS, path).header_row_index == 2
    report = commit(workspace, preview(workspace, HOUSEHOLDS, path))
    assert report.created == 2
    found = heads(workspace)
    assert (found["Trần Thị Mai"].code, found["Trần Thị Mai"].hamlet_name) == ("00002", "Ấp Phước Lợi")


def test_cli_names_the_values_it_does_not_understand_and_takes_the_officers_columns_and_values(
    registered: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(registered.data_dir)
    path = str(write_book(tmp_path / "ho.xlsx", MESSY))
    code, out, err = run("import", "--data-dir", folder, "--kind", "households", path, "--dry-run", capsys=capsys)
    assert code == 0 and "Có 4 lỗi cần sửa trước khi nhập." in out
    assert (
        "Chưa hiểu «Vinh Thanh cu» ở cột Ấp (thôn, khu phố) (2 dòng) — có phải «Ấp Vĩnh Thạnh»? "
        'Chọn bằng --value "hamlet:Vinh Thanh cu=Ấp Vĩnh Thạnh".'
    ) in err
    saved = tmp_path / "ghep.json"
    code, out, err = run("import", "--data-dir", folder, "--kind", "households", path, "--dry-run",
                         "--value", "hamlet:Vinh Thanh cu=vinh thanh", "--map", "phone=", "--map", "note=Dia chi",
                         "--map", "address=", "--save-mapping", str(saved), capsys=capsys)  # fmt: skip
    assert code == 0, err
    assert "Chưa hiểu" not in err and "Ghi chú ← G «Dia chi»" in err and "Điện thoại" not in err
    assert "8 dòng — 5 hộ mới, 1 hộ cập nhật, 1 hộ không đổi. Có 1 lỗi cần sửa trước khi nhập." in out
    kept = json.loads(saved.read_text(encoding="utf-8"))
    assert kept["gia_tri"] == {"hamlet": {"vinh thanh cu": "Ấp Vĩnh Thạnh"}} and kept["cot"]["phone"] == ""
    code, out, err = run("import", "--data-dir", folder, "--kind", "households", path,
                         "--value", "hamlet:Vinh Thanh cu=Ấp Mới", capsys=capsys)  # fmt: skip
    assert code == 2 and "«Ấp Mới» không phải ấp nào; các ấp: Ấp Vĩnh Thạnh, Ấp Phước Lợi, Ấp Đông Điền." in err
    code, out, err = run("import", "--data-dir", folder, "--kind", "households", path,
                         "--value", "relation:Con=Con", capsys=capsys)  # fmt: skip
    assert code == 2 and "MỤC là một trong: hamlet, head_sex." in err
