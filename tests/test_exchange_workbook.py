"""The package's data workbook: every record comes back as it was stored, text never turns into a formula,
the same data gives the same bytes, and the summary says what the statistics page says."""

from __future__ import annotations

import hashlib
import io
import re
import sqlite3
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from khuyenhoc_desktop.domain.household import HouseholdInput, LearningStatus, MemberInput, Relation, Sex
from khuyenhoc_desktop.domain.ledger import Direction, LedgerInput, ReceiptCategory
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.exchange import workbook as wbk
from khuyenhoc_desktop.exchange.workbook import (
    BOOL,
    SHEETS,
    SUMMARY_SHEET,
    formula_cells,
    read_data_workbook,
    write_data_workbook,
)
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services import ledger as ledger_service
from khuyenhoc_desktop.services.demo import create_demo
from khuyenhoc_desktop.services.statistics import commune_statistics
from khuyenhoc_desktop.services.workspace import Workspace

NFD_HEAD = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")
NFD_CHILD = unicodedata.normalize("NFD", "Trần Đức Lộc")
FORMULA_LIKE = ("=SUM(A1)", "+84 909", "-1", "@x")


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Workspace]:
    """A 30-household demo commune (every register and the year's records), plus a household typed with
    decomposed Vietnamese and text a spreadsheet would take for formulas."""
    data_dir = tmp_path / "xa-mau"
    create_demo(data_dir, households=30)
    workspace = Workspace.open(data_dir)
    hamlet_id = _one(workspace, "SELECT id FROM hamlet WHERE deleted_at IS NULL ORDER BY position LIMIT 1")
    household_id = household_service.create_household(
        workspace,
        HouseholdInput(
            code="99001", head_name=NFD_HEAD, hamlet_id=hamlet_id, head_sex=Sex.FEMALE, address="-1", note="=SUM(A1)"
        ),
    )
    household_service.add_member(
        workspace,
        household_id,
        MemberInput(
            full_name=NFD_CHILD,
            birth_year=2014,
            relation=Relation.CHILD,
            school="@x",
            learning_status=LearningStatus.PRIMARY,
        ),
    )
    ledger_service.create_entry(
        workspace,
        LedgerInput(
            entry_on=date(workspace.working_year, 3, 8),
            direction=Direction.THU,
            category=ReceiptCategory.DONATION,
            counterpart="+84 909",
            amount=1_234_567_890,
            note="@x",
        ),
    )
    yield workspace
    workspace.close(backup=False)


def _one(workspace: Workspace, sql: str) -> Any:
    with sqlite3.connect(workspace.database) as db:
        return db.execute(sql).fetchone()[0]


def _expected(workspace: Workspace, year: int) -> dict[str, list[dict[str, object]]]:
    """What the database holds for each sheet, typed as the reader promises (bools as bools, text never None)."""
    params = {"first": f"{year}-01-01", "last": f"{year}-12-31", "year": year}
    found: dict[str, list[dict[str, object]]] = {}
    with sqlite3.connect(workspace.database) as db:
        for spec in SHEETS:
            rows = db.execute(spec.sql, {k: v for k, v in params.items() if f":{k}" in spec.sql}).fetchall()
            found[spec.name] = [
                {
                    c.key: (None if v is None else bool(v))
                    if c.kind == BOOL
                    else ("" if v is None and not c.nullable and c.kind != wbk.INT else v)
                    for c, v in zip(spec.columns, row, strict=True)
                }
                for row in rows
            ]
    return found


def _round_trip(workspace: Workspace, path: Path) -> tuple[dict[str, int], dict[str, list[dict[str, object]]]]:
    """Write the year's workbook and read it back; every sheet must equal the database, value by value and type
    by type. Returns the written counts and what was read."""
    year = workspace.working_year
    counts = write_data_workbook(workspace, year, path)
    back = read_data_workbook(path)
    expected = _expected(workspace, year)
    assert list(back) == [spec.name for spec in SHEETS]
    for spec in SHEETS:
        assert back[spec.name] == expected[spec.name], spec.name
        for got, wanted in zip(back[spec.name], expected[spec.name], strict=True):
            assert {k: type(v) for k, v in got.items()} == {k: type(v) for k, v in wanted.items()}, spec.name
        assert counts[spec.name] == len(back[spec.name])
    return counts, back


def test_every_record_comes_back_as_stored(demo: Workspace, tmp_path: Path) -> None:
    year = demo.working_year
    counts, back = _round_trip(demo, tmp_path / "so-lieu.xlsx")
    # the demo fills every sheet, so the comparison above covered every kind of value
    assert all(counts[spec.name] > 0 for spec in SHEETS), counts
    ledger = {row["id"]: row for row in back["Sổ quỹ khuyến học"]}
    big = next(row for row in ledger.values() if row["amount"] == 1_234_567_890)
    assert big["entry_on"] == f"{year}-03-08"
    assert big["direction"] == "thu"
    evaluations = back["Đánh giá, công nhận"]
    decisions = {row["id"] for row in back["Quyết định công nhận"]}
    assert any(row["decision_id"] in decisions and row["passed"] is True for row in evaluations)


def test_decomposed_names_come_back_composed(demo: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "so-lieu.xlsx"
    write_data_workbook(demo, demo.working_year, path)
    names = {row["full_name"] for row in read_data_workbook(path)["Thành viên"]}
    assert unicodedata.normalize("NFC", NFD_HEAD) in names
    assert unicodedata.normalize("NFC", NFD_CHILD) in names
    assert NFD_HEAD not in names


def test_formula_like_text_stays_text(demo: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "so-lieu.xlsx"
    write_data_workbook(demo, demo.working_year, path)
    back = read_data_workbook(path)
    household = next(row for row in back["Hộ gia đình"] if row["code"] == "99001")
    assert (household["note"], household["address"]) == ("=SUM(A1)", "-1")
    assert any(row["school"] == "@x" for row in back["Thành viên"])
    entry = next(row for row in back["Sổ quỹ khuyến học"] if row["amount"] == 1_234_567_890)
    assert (entry["counterpart"], entry["note"]) == ("+84 909", "@x")
    assert formula_cells(path) == []
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)
    # shown as typed, not evaluated: the cell is text with Excel's quote prefix
    sheet = load_workbook(path)["Hộ gia đình"]
    note = next(cell for row in sheet.iter_rows() for cell in row if cell.value == "=SUM(A1)")
    assert note.data_type == "s"
    assert note.quotePrefix


def test_same_data_same_bytes(demo: Workspace, tmp_path: Path) -> None:
    year = demo.working_year
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_data_workbook(demo, year, first)
    write_data_workbook(demo, year, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(year, 12, 31, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert f"{year}-12-31T00:00:00Z" in core
    household_id = _one(demo, "SELECT id FROM household WHERE code = '99001'")
    household_service.update_household(
        demo,
        household_id,
        HouseholdInput(code="99001", head_name="Nguyễn Thị Ánh Tuyết", hamlet_id=_hamlet_of(demo, household_id)),
    )
    third = tmp_path / "c.xlsx"
    write_data_workbook(demo, year, third)
    assert hashlib.sha256(third.read_bytes()).digest() != hashlib.sha256(first.read_bytes()).digest()


def _hamlet_of(workspace: Workspace, household_id: str) -> str:
    return str(_one(workspace, f"SELECT hamlet_id FROM household WHERE id = '{household_id}'"))


def test_bin_and_other_years_are_left_out(demo: Workspace, tmp_path: Path) -> None:
    year = demo.working_year
    household_id = _one(demo, "SELECT id FROM household WHERE code = '99001'")
    household_service.delete_household(demo, household_id)
    path = tmp_path / "so-lieu.xlsx"
    write_data_workbook(demo, year, path)
    back = read_data_workbook(path)
    assert household_id not in {row["id"] for row in back["Hộ gia đình"]}
    assert household_id not in {row["household_id"] for row in back["Thành viên"]}
    assert all(str(row["entry_on"]).startswith(str(year)) for row in back["Sổ quỹ khuyến học"])
    assert all(row["year"] == year for row in back["Đánh giá, công nhận"])
    earlier = _one(demo, f"SELECT count(*) FROM ledger_entry WHERE deleted_at IS NULL AND entry_on < '{year}'")
    assert earlier > 0  # the demo has history, so the filter was tested


def test_summary_matches_the_statistics(demo: Workspace, tmp_path: Path) -> None:
    year = demo.working_year
    path = tmp_path / "so-lieu.xlsx"
    write_data_workbook(demo, year, path)
    stats = commune_statistics(demo, year)
    sheet = load_workbook(path)[SUMMARY_SHEET]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["Xã, phường"][1] == stats.commune_name
    assert rows["Kỳ báo cáo"][1] == f"Năm {year}"
    for title in Title:
        figures = stats.total[title.value]
        line = rows[figures.title_label]
        assert line[1:4] == (figures.total, figures.registered, figures.recognised)
        assert line[5] == figures.denominator
        assert line[6] == figures.denominator_label
    assert stats.support is not None
    assert rows["Tồn quỹ đầu năm"][1] == ledger_service.opening_balance(demo, year)
    assert rows["Tồn quỹ đầu năm"][1] > 0
    assert rows["Tồn quỹ cuối năm"][1] == stats.support.fund.closing


def test_sheets_are_formatted_for_people(demo: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "so-lieu.xlsx"
    write_data_workbook(demo, demo.working_year, path)
    book = load_workbook(path)
    assert book.sheetnames[0] == SUMMARY_SHEET
    assert book[wbk.KEYS_SHEET].sheet_state == "hidden"
    ledger = book["Sổ quỹ khuyến học"]
    assert ledger.freeze_panes == "A2"
    assert ledger["A1"].font.b and ledger["A1"].value == "Mã định danh"
    assert ledger.column_dimensions["D"].width == 26
    header = [cell.value for cell in ledger[1]]
    amount, day = ledger.cell(2, header.index("Số tiền (đồng)") + 1), ledger.cell(2, header.index("Ngày") + 1)
    assert amount.number_format == "#,##0" and isinstance(amount.value, int)
    assert day.number_format == "dd/mm/yyyy" and day.is_date
    members = book["Thành viên"]
    assert "Nam" in {row[5] for row in members.iter_rows(min_row=2, values_only=True)}  # labels, not codes


def test_vocabulary_labels_map_back_one_to_one() -> None:
    for spec in SHEETS:
        for column in spec.columns:
            if column.labels:
                assert len(set(column.labels.values())) == len(column.labels), (spec.name, column.key)


def test_progress_and_control_characters(demo: Workspace, tmp_path: Path) -> None:
    with sqlite3.connect(demo.database) as db:
        db.execute("UPDATE household SET note = 'chuông\x07reo' WHERE code = '99001'")
    seen: list[tuple[int, int]] = []
    path = tmp_path / "so-lieu.xlsx"
    write_data_workbook(demo, demo.working_year, path, lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] == len(SHEETS) + 2
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    household = next(row for row in read_data_workbook(path)["Hộ gia đình"] if row["code"] == "99001")
    assert household["note"] == "chuôngreo"


def test_cancelled_export_leaves_no_file(demo: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "so-lieu.xlsx"

    def cancel(done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    temp = Path(tempfile.gettempdir())
    before = set(temp.glob("openpyxl.*"))
    with pytest.raises(KeyboardInterrupt):
        write_data_workbook(demo, demo.working_year, path, cancel)
    assert not path.exists()
    assert set(temp.glob("openpyxl.*")) <= before  # the half-written sheets' temporary files are gone


# Text a spreadsheet reader could take for something else: character codes (_xHHHH_), spaces at the ends, line
# breaks, numbers and booleans typed as text, markup.
AWKWARD_TEXT = (
    "_x0041_",
    "mã_x005F_x0042_",
    "__x0041__x0042_",
    "  hai đầu  ",
    "dòng 1\r\ndòng 2",
    "cột\tgiữa",
    "0012",
    "TRUE",
    "1e5",
    "<f>1+1</f>",
    "&amp;",
)


def test_awkward_values_come_back_as_stored(demo: Workspace, tmp_path: Path) -> None:
    """Every column kind at its edges through the workbook and back: awkward text, blanks of nullable numbers and
    true/false, the largest amount allowed, text kept in a date column."""
    year = demo.working_year
    with sqlite3.connect(demo.database) as db:
        codes = [r[0] for r in db.execute("SELECT code FROM household WHERE deleted_at IS NULL ORDER BY code")]
        for code, note in zip(codes, AWKWARD_TEXT, strict=False):
            db.execute("UPDATE household SET note = ? WHERE code = ?", (note, code))
        db.execute(
            "UPDATE evaluation SET passed = NULL, total = NULL WHERE id = "
            "(SELECT min(id) FROM evaluation WHERE deleted_at IS NULL AND year = ?)",
            (year,),
        )
        db.execute("UPDATE member SET birth_year = NULL WHERE id = (SELECT min(id) FROM member WHERE relation = 'con')")
        db.execute(
            "UPDATE ledger_entry SET amount = 1000000000000 WHERE id = "
            "(SELECT min(id) FROM ledger_entry WHERE deleted_at IS NULL AND entry_on LIKE ?)",
            (f"{year}-%",),
        )
        db.execute(
            "UPDATE decision SET signed_on = 'chưa rõ ngày' WHERE id = "
            "(SELECT min(id) FROM decision WHERE deleted_at IS NULL AND year = ?)",
            (year,),
        )
    _counts, back = _round_trip(demo, tmp_path / "so-lieu.xlsx")
    assert set(AWKWARD_TEXT) <= {row["note"] for row in back["Hộ gia đình"]}
    assert any(row["passed"] is None and row["total"] is None for row in back["Đánh giá, công nhận"])
    assert any(row["amount"] == 1_000_000_000_000 for row in back["Sổ quỹ khuyến học"])
    assert "chưa rõ ngày" in {row["signed_on"] for row in back["Quyết định công nhận"]}


SHEET_PART = "xl/worksheets/sheet1.xml"
Parts = dict[str, bytes]


def _rewritten(workbook: bytes, change: Callable[[Parts], None]) -> bytes:
    """The workbook with its zip parts changed in place by `change`."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    change(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def _prefixed(parts: Parts) -> None:
    """The sheet with its namespace bound to a prefix: <x:c><x:f>…"""
    xml = re.sub(rb"<(/?)([A-Za-z]\w*)([\s/>])", rb"<\1x:\2\3", parts[SHEET_PART])
    parts[SHEET_PART] = xml.replace(b'xmlns="', b'xmlns:x="', 1)


def _utf16(parts: Parts) -> None:
    parts[SHEET_PART] = parts[SHEET_PART].decode().encode("utf-16")


def _moved(parts: Parts) -> None:
    """The sheet stored under another name, which the workbook's relationships point to."""
    parts["xl/khac/bang.xml"] = parts.pop(SHEET_PART)
    for name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
        parts[name] = parts[name].replace(b"/xl/worksheets/sheet1.xml", b"/xl/khac/bang.xml")


@pytest.mark.parametrize(
    "change", [lambda parts: None, _prefixed, _utf16, _moved], ids=["plain", "namespace-prefix", "utf-16", "moved"]
)
def test_formula_cells_are_found_however_the_sheet_is_written(change: Callable[[Parts], None]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sổ"
    sheet["A1"], sheet["B2"], sheet["C3"] = "Tiêu đề", "=1+1", "<f>chỉ là chữ</f>"
    saved = io.BytesIO()
    book.save(saved)
    assert formula_cells(_rewritten(saved.getvalue(), change)) == ["Sổ!B2"]


def test_text_and_comments_that_look_like_formulas_are_not_formulas(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"], sheet["B2"] = "<f>1+1</f>", "=1+1"
    saved = io.BytesIO()
    book.save(saved)
    path = tmp_path / "khong-cong-thuc.xlsx"

    def commented(parts: Parts) -> None:
        parts[SHEET_PART] = parts[SHEET_PART].replace(b"<f>1+1</f>", b"<!-- <f>1+1</f> -->")

    path.write_bytes(_rewritten(saved.getvalue(), commented))
    assert formula_cells(path) == []
