"""The data workbook inside a package: a summary sheet, then one sheet per register, readable by people and
typed back exactly by `read_data_workbook`.

Why it looks the way it does:
- Registers (hamlets, households, members, clans, units, citizens, rubrics) are the commune's current state:
  every live row. Year-bound records (decisions, evaluations, award ceremonies, awards, fund ledger,
  activities, targets, models, commendations) are those of the period's year. Rows in the recycle bin are
  left out: the package reports what the commune stands by, and the bin is a local safety net.
- The fund's opening balance is on the summary sheet, so the year's ledger lines add up to its closing.
- Headers are Vietnamese; vocabulary codes are written as their Vietnamese labels and mapped back on
  reading. A hidden sheet ("_khoa") names each column's machine key and type, so the reader never guesses
  from headers a person may read differently.
- Dates are real dates shown dd/mm/yyyy (they sort and filter in a spreadsheet) and come back as ISO text;
  money is whole VND shown "#,##0"; user text starting with = + - @ is stored as text, never as a formula.
- The same data gives the same bytes: fixed document times (the last day of the period), a stable row order,
  and zip entries written with a fixed timestamp — so a package's data hash only changes with the data.
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.writer.excel import ExcelWriter
from python_calamine import CalamineError, CalamineWorkbook

from khuyenhoc_desktop.domain.activities import ACTIVITY_KIND_LABELS
from khuyenhoc_desktop.domain.awards import AWARD_CATEGORY_LABELS, AWARD_KIND_LABELS
from khuyenhoc_desktop.domain.honours import HONOUR_KIND_LABELS, HONOUR_LEVEL_LABELS, RECIPIENT_KIND_LABELS
from khuyenhoc_desktop.domain.household import LEARNING_STATUS_LABELS, RELATION_LABELS, SEX_LABELS
from khuyenhoc_desktop.domain.ledger import DIRECTION_LABELS, PAYMENT_CATEGORY_LABELS, RECEIPT_CATEGORY_LABELS
from khuyenhoc_desktop.domain.titles import TITLE_LABELS, Title
from khuyenhoc_desktop.domain.unit import UNIT_KIND_LABELS
from khuyenhoc_desktop.services.statistics import commune_statistics
from khuyenhoc_desktop.services.support_statistics import support_lines
from khuyenhoc_desktop.services.workspace import Workspace

SUMMARY_SHEET = "Tổng hợp"
KEYS_SHEET = "_khoa"  # hidden: sheet, column, key, type

TEXT, INT, VND, DATE, BOOL, JSON = "text", "int", "vnd", "date", "bool", "json"
KINDS = (TEXT, INT, VND, DATE, BOOL, JSON)

VND_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
RATE_FORMAT = "0.0%"
FORMULA_STARTS = ("=", "+", "-", "@")

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_ALIGN = Alignment(vertical="center", wrap_text=True)
_TITLE_FONT = Font(bold=True, size=13)


@dataclass(frozen=True)
class Column:
    key: str  # the record's field name: what `read_data_workbook` returns
    header: str  # what a person reads
    kind: str = TEXT
    width: int = 16
    nullable: bool = False  # an empty cell reads back as None (else "" for text, per the table's default)
    labels: Mapping[str, str] | None = None  # vocabulary code → label; written as the label


@dataclass(frozen=True)
class SheetSpec:
    name: str  # the sheet's title: also the key of the row counts and of what the reader returns
    key: str  # a stable machine name (households, members…)
    columns: tuple[Column, ...]
    sql: str  # selects the columns in order; may use :first and :last (the year's ISO bounds) and :year
    yearly: bool = False  # True: only the period's records; False: the register's current state

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)


_LEDGER_CATEGORY_LABELS = {**RECEIPT_CATEGORY_LABELS, **PAYMENT_CATEGORY_LABELS}


def _id(key: str = "id", header: str = "Mã định danh", nullable: bool = False) -> Column:
    return Column(key, header, TEXT, 38, nullable)


SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        "Ấp",
        "hamlets",
        (
            _id(),
            Column("name", "Tên ấp", width=24),
            Column("position", "Thứ tự", INT, 8),
            Column("leader_name", "Trưởng ấp", width=24),
            Column("note", "Ghi chú", width=30),
        ),
        "SELECT id, name, position, leader_name, note FROM hamlet WHERE deleted_at IS NULL ORDER BY position, id",
    ),
    SheetSpec(
        "Hộ gia đình",
        "households",
        (
            _id(),
            Column("code", "Mã hộ", width=12),
            _id("hamlet_id", "Mã ấp"),
            Column("hamlet_name", "Ấp", width=22),
            Column("address", "Địa chỉ", width=30),
            Column("phone", "Điện thoại", width=14),
            Column("note", "Ghi chú", width=30),
        ),
        "SELECT h.id, h.code, h.hamlet_id, a.name, h.address, h.phone, h.note FROM household h "
        "JOIN hamlet a ON a.id = h.hamlet_id WHERE h.deleted_at IS NULL ORDER BY h.code, h.id",
    ),
    SheetSpec(
        "Thành viên",
        "members",
        (
            _id(),
            _id("household_id", "Mã định danh hộ"),
            Column("household_code", "Mã hộ", width=12),
            Column("full_name", "Họ và tên", width=26),
            Column("birth_year", "Năm sinh", INT, 10, nullable=True),
            Column("sex", "Giới tính", width=9, labels=SEX_LABELS),
            Column("relation", "Quan hệ với chủ hộ", width=16, labels=RELATION_LABELS),
            Column("school", "Trường, lớp", width=24),
            Column("learning_status", "Tình trạng học tập", width=22, labels=LEARNING_STATUS_LABELS),
            Column("position", "Thứ tự", INT, 8),
        ),
        "SELECT m.id, m.household_id, h.code, m.full_name, m.birth_year, m.sex, m.relation, m.school, "
        "m.learning_status, m.position FROM member m JOIN household h ON h.id = m.household_id "
        "WHERE m.deleted_at IS NULL AND h.deleted_at IS NULL ORDER BY h.code, h.id, m.position, m.id",
    ),
    SheetSpec(
        "Dòng họ",
        "clans",
        (
            _id(),
            Column("name", "Tên dòng họ", width=24),
            Column("representative", "Người đại diện", width=24),
            Column("hamlet_ids", "Các ấp (mã)", JSON, 40),
            Column("household_ids", "Các hộ (mã)", JSON, 40),
            Column("note", "Ghi chú", width=30),
        ),
        "SELECT id, name, representative, hamlet_ids, household_ids, note FROM clan "
        "WHERE deleted_at IS NULL ORDER BY id",
    ),
    SheetSpec(
        "Đơn vị",
        "units",
        (
            _id(),
            Column("name", "Tên đơn vị", width=30),
            Column("kind", "Loại", width=18, labels=UNIT_KIND_LABELS),
            Column("head_name", "Thủ trưởng", width=24),
            Column("staff_count", "Số người", INT, 10),
            _id("hamlet_id", "Mã ấp", nullable=True),
            Column("address", "Địa chỉ", width=30),
            Column("phone", "Điện thoại", width=14),
            Column("note", "Ghi chú", width=30),
        ),
        "SELECT id, name, kind, head_name, staff_count, hamlet_id, address, phone, note FROM unit "
        "WHERE deleted_at IS NULL ORDER BY id",
    ),
    SheetSpec(
        "Công dân",
        "citizens",
        (
            _id(),
            Column("full_name", "Họ và tên", width=26),
            Column("birth_year", "Năm sinh", INT, 10, nullable=True),
            Column("sex", "Giới tính", width=9, labels=SEX_LABELS),
            _id("member_id", "Mã thành viên hộ", nullable=True),
            _id("unit_id", "Mã đơn vị", nullable=True),
            _id("hamlet_id", "Mã ấp", nullable=True),
        ),
        "SELECT id, full_name, birth_year, sex, member_id, unit_id, hamlet_id FROM citizen "
        "WHERE deleted_at IS NULL ORDER BY id",
    ),
    SheetSpec(
        "Bộ tiêu chí",
        "rubrics",
        (
            _id(),
            Column("title", "Danh hiệu", width=28, labels=TITLE_LABELS),
            Column("name", "Tên bộ tiêu chí", width=34),
            Column("version", "Phiên bản", INT, 10),
            Column("pass_mark", "Điểm đạt", INT, 10),
            Column("valid_from", "Áp dụng từ năm", INT, 12),
            Column("valid_to", "Đến năm", INT, 10, nullable=True),
            Column("basis", "Căn cứ", width=30),
            Column("criteria", "Tiêu chí (JSON)", JSON, 60),
            Column("preset_key", "Mẫu gốc", width=16),
        ),
        "SELECT id, title, name, version, pass_mark, valid_from, valid_to, basis, criteria, preset_key "
        "FROM rubric WHERE deleted_at IS NULL ORDER BY title, name, version, id",
    ),
    SheetSpec(
        "Quyết định công nhận",
        "decisions",
        (
            _id(),
            Column("title", "Danh hiệu", width=28, labels=TITLE_LABELS),
            Column("year", "Năm", INT, 8),
            Column("number", "Số quyết định", width=18),
            Column("signed_on", "Ngày ký", DATE, 12),
            Column("signer_title", "Chức vụ người ký", width=20),
            Column("signer_name", "Người ký", width=24),
            Column("note", "Ghi chú", width=30),
        ),
        "SELECT id, title, year, number, signed_on, signer_title, signer_name, note FROM decision "
        "WHERE deleted_at IS NULL AND year = :year ORDER BY title, signed_on, number, id",
        yearly=True,
    ),
    SheetSpec(
        "Đánh giá, công nhận",
        "evaluations",
        (
            _id(),
            Column("title", "Danh hiệu", width=28, labels=TITLE_LABELS),
            Column("year", "Năm", INT, 8),
            _id("subject_id", "Mã đối tượng"),
            Column("registered_on", "Ngày đăng ký", DATE, 12),
            _id("rubric_id", "Mã bộ tiêu chí", nullable=True),
            Column("scores", "Điểm (JSON)", JSON, 40),
            Column("prefilled", "Điểm gợi ý (JSON)", JSON, 30),
            Column("total", "Tổng điểm", INT, 10, nullable=True),
            Column("passed", "Đạt", BOOL, 8, nullable=True),
            Column("reasons", "Lý do", width=30),
            _id("decision_id", "Mã quyết định", nullable=True),
            Column("source", "Nguồn", width=16),
            Column("note", "Ghi chú", width=30),
        ),
        "SELECT id, title, year, subject_id, registered_on, rubric_id, scores, prefilled, total, passed, reasons, "
        "decision_id, source, note FROM evaluation WHERE deleted_at IS NULL AND year = :year "
        "ORDER BY title, subject_id, id",
        yearly=True,
    ),
    SheetSpec(
        "Lễ trao học bổng",
        "award_events",
        (
            _id(),
            Column("name", "Tên buổi lễ", width=34),
            Column("held_on", "Ngày tổ chức", DATE, 12),
            Column("place", "Địa điểm", width=24),
            Column("sponsor", "Nhà tài trợ", width=24),
            Column("school_year", "Năm học", width=11),
            Column("note", "Ghi chú", width=30),
        ),
        "SELECT id, name, held_on, place, sponsor, school_year, note FROM award_event "
        "WHERE deleted_at IS NULL AND held_on BETWEEN :first AND :last ORDER BY held_on, id",
        yearly=True,
    ),
    SheetSpec(
        "Học bổng, quà",
        "awards",
        (
            _id(),
            _id("event_id", "Mã buổi lễ", nullable=True),
            _id("member_id", "Mã thành viên hộ", nullable=True),
            Column("pupil_name", "Học sinh", width=26),
            Column("birth_year", "Năm sinh", INT, 10, nullable=True),
            _id("household_id", "Mã định danh hộ", nullable=True),
            _id("hamlet_id", "Mã ấp", nullable=True),
            Column("school", "Trường", width=24),
            Column("grade", "Lớp", width=8),
            Column("category", "Diện", width=22, labels=AWARD_CATEGORY_LABELS),
            Column("kind", "Hình thức", width=14, labels=AWARD_KIND_LABELS),
            Column("value_vnd", "Trị giá (đồng)", VND, 14),
            Column("sponsor", "Nhà tài trợ, nguồn", width=24),
            Column("school_year", "Năm học", width=11),
            Column("awarded_on", "Ngày trao", DATE, 12),
            Column("recurring", "Hằng năm", BOOL, 9),
            _id("ledger_entry_id", "Mã phiếu chi", nullable=True),
            Column("note", "Ghi chú", width=30),
        ),
        "SELECT id, event_id, member_id, pupil_name, birth_year, household_id, hamlet_id, school, grade, category, "
        "kind, value_vnd, sponsor, school_year, awarded_on, recurring, ledger_entry_id, note FROM award "
        "WHERE deleted_at IS NULL AND awarded_on BETWEEN :first AND :last ORDER BY awarded_on, id",
        yearly=True,
    ),
    SheetSpec(
        "Sổ quỹ khuyến học",
        "ledger",
        (
            _id(),
            Column("entry_on", "Ngày", DATE, 12),
            Column("direction", "Thu/chi", width=8, labels=DIRECTION_LABELS),
            Column("category", "Khoản", width=26, labels=_LEDGER_CATEGORY_LABELS),
            Column("voucher_no", "Số phiếu", width=14),
            Column("counterpart", "Người nộp / nhận", width=26),
            Column("amount", "Số tiền (đồng)", VND, 15),
            Column("note", "Ghi chú", width=30),
        ),
        "SELECT id, entry_on, direction, category, voucher_no, counterpart, amount, note FROM ledger_entry "
        "WHERE deleted_at IS NULL AND entry_on BETWEEN :first AND :last ORDER BY entry_on, direction DESC, "
        "voucher_no, id",
        yearly=True,
    ),
    SheetSpec(
        "Hoạt động học tập",
        "activities",
        (
            _id(),
            Column("kind", "Loại", width=20, labels=ACTIVITY_KIND_LABELS),
            Column("name", "Chủ đề, tên lớp", width=34),
            Column("field", "Lĩnh vực", width=16),
            Column("starts_on", "Ngày bắt đầu", DATE, 12),
            Column("ends_on", "Ngày kết thúc", DATE, 12, nullable=True),
            Column("place", "Địa điểm", width=24),
            Column("participants", "Số người", INT, 10),
            Column("note", "Ghi chú", width=30),
        ),
        "SELECT id, kind, name, field, starts_on, ends_on, place, participants, note FROM activity "
        "WHERE deleted_at IS NULL AND starts_on BETWEEN :first AND :last ORDER BY starts_on, id",
        yearly=True,
    ),
    SheetSpec(
        "Chỉ tiêu hoạt động",
        "activity_targets",
        (
            _id(),
            Column("year", "Năm", INT, 8),
            Column("kind", "Loại", width=20, labels=ACTIVITY_KIND_LABELS),
            Column("target", "Chỉ tiêu", INT, 10),
        ),
        "SELECT id, year, kind, target FROM activity_target WHERE deleted_at IS NULL AND year = :year "
        "ORDER BY kind, id",
        yearly=True,
    ),
    *(
        SheetSpec(
            sheet_name,
            key,
            (
                _id(),
                Column("kind", "Loại", width=22, labels=HONOUR_KIND_LABELS),
                Column("recipient_kind", "Tập thể / cá nhân", width=12, labels=RECIPIENT_KIND_LABELS),
                Column("recipient", "Được khen", width=30),
                _id("member_id", "Mã thành viên hộ", nullable=True),
                _id("hamlet_id", "Mã ấp", nullable=True),
                Column("level", "Cấp khen", width=12, labels=HONOUR_LEVEL_LABELS),
                Column("issuer", "Cơ quan khen", width=28),
                Column("decision_no", "Số quyết định", width=16),
                Column("honoured_on", "Ngày khen", DATE, 12),
                Column("content", "Nội dung", width=34),
            ),
            "SELECT id, kind, recipient_kind, recipient, member_id, hamlet_id, level, issuer, decision_no, "
            f"honoured_on, content FROM honour WHERE deleted_at IS NULL AND kind = '{kind}' "
            "AND honoured_on BETWEEN :first AND :last ORDER BY honoured_on, id",
            yearly=True,
        )
        for sheet_name, key, kind in (
            ("Mô hình học tập", "models", "mo_hinh"),
            ("Khen thưởng", "commendations", "giay_khen"),
        )
    ),
)

SHEET_NAMES = tuple(spec.name for spec in SHEETS)
_BY_NAME = {spec.name: spec for spec in SHEETS}


def period_time(year: int) -> datetime:
    """The document time written into the workbook: the period's last day, so it never depends on now."""
    return datetime(year, 12, 31, 0, 0, 0)


# -- writing ------------------------------------------------------------------------------------------------


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose every entry carries one fixed timestamp and mode: openpyxl would stamp entries with the
    current time (and its temporary sheet files' mtime), which would change the bytes on every export."""

    def __init__(self, path: Path, stamp: datetime) -> None:
        super().__init__(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._stamp = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)

    def writestr(  # type: ignore[override]
        self, zinfo_or_arcname: str | zipfile.ZipInfo, data: bytes | str, *args: Any, **kwargs: Any
    ) -> None:
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        info = zipfile.ZipInfo(name, date_time=self._stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        super().writestr(info, data)

    def write(  # type: ignore[override]
        self, filename: str | Path, arcname: str | None = None, *args: Any, **kwargs: Any
    ) -> None:
        self.writestr(arcname or str(filename), Path(filename).read_bytes())


def _escaped(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    """Text a spreadsheet would take for a formula, kept as text (and shown as typed)."""
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _header_row(sheet: WriteOnlyWorksheet, headers: Iterable[str]) -> list[WriteOnlyCell]:
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGN
        cells.append(cell)
    return cells


Converter = Callable[[Any], Any]


def _converter(sheet: WriteOnlyWorksheet, column: Column) -> Converter:
    """How one column's stored value becomes a cell: styled cells are reused per column (a write-only row is
    written out as soon as it is appended), which keeps formatting nearly free."""
    if column.kind in (INT, BOOL):
        return (lambda v: None if v is None else bool(v)) if column.kind == BOOL else (lambda v: v)
    if column.kind in (VND, DATE):
        template = WriteOnlyCell(sheet)
        template.number_format = VND_FORMAT if column.kind == VND else DATE_FORMAT
        if column.kind == VND:

            def money(v: Any) -> Any:
                if v is None:
                    return None
                template.value = v
                return template

            return money

        def day(v: Any) -> Any:
            if not v:
                return None
            try:
                template.value = date.fromisoformat(v)
            except (TypeError, ValueError):
                return _text(sheet, v)  # not a date: kept as typed
            return template

        return day
    labels = column.labels

    def text(v: Any) -> Any:
        if v is None or v == "":
            return None
        if labels is not None:
            v = labels.get(v, v)
        return _text(sheet, v)

    return text


# Spreadsheet text reads "_x0041_" as the character it codes ("A"); a literal "_x" before four hex digits and "_"
# is written "_x005F_x…" (the code of "_"), so the text comes back as typed.
_CODED_CHARACTER = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def _text(sheet: WriteOnlyWorksheet, value: str) -> Any:
    value = _CODED_CHARACTER.sub("_x005F_", unicodedata.normalize("NFC", value))
    return _escaped(sheet, value) if value.startswith(FORMULA_STARTS) else value


def _without_illegal(rows: Sequence[tuple[Any, ...]]) -> Sequence[tuple[Any, ...]]:
    """Control characters a workbook cannot hold are dropped. Checked once per sheet (one regex over all its
    text), because openpyxl raising mid-sheet would leave the write-only sheet unusable."""
    if not ILLEGAL_CHARACTERS_RE.search("\n".join(v for r in rows for v in r if isinstance(v, str))):
        return rows
    return [tuple(ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in r) for r in rows]


def _register_sheet(wb: Workbook, spec: SheetSpec, rows: Sequence[tuple[Any, ...]]) -> int:
    sheet = wb.create_sheet(spec.name)
    for index, column in enumerate(spec.columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append(_header_row(sheet, (c.header for c in spec.columns)))
    converters = [_converter(sheet, c) for c in spec.columns]
    pairs = list(zip(converters, range(len(converters)), strict=True))
    for record in _without_illegal(rows):
        sheet.append([convert(record[i]) for convert, i in pairs])
    return len(rows)


def _keys_sheet(wb: Workbook) -> None:
    sheet = wb.create_sheet(KEYS_SHEET)
    sheet.sheet_state = "hidden"
    sheet.append(["sheet", "register", "column", "key", "type", "nullable"])
    for spec in SHEETS:
        for index, column in enumerate(spec.columns, 1):
            sheet.append([spec.name, spec.key, index, column.key, column.kind, column.nullable])


def _summary_sheet(wb: Workbook, workspace: Workspace, year: int) -> None:
    """The commune's indicators for the period, in the report's words: the title figures, each rate beside what
    it was divided by, then the support lines with their one figure each."""
    stats = commune_statistics(workspace, year)
    profile = workspace.profile
    sheet = wb.create_sheet(SUMMARY_SHEET)
    for letter, width in zip("ABCDEFG", (44, 16, 16, 16, 12, 12, 70), strict=True):
        sheet.column_dimensions[letter].width = width

    def label_value(label: str, value: object) -> list[object]:
        bold = WriteOnlyCell(sheet, label)
        bold.font = _HEADER_FONT
        return [bold, _text(sheet, value) if isinstance(value, str) and value else value]

    def number(value: int | float | None, fmt: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = fmt
        return cell

    heading = WriteOnlyCell(sheet, f"SỐ LIỆU KHUYẾN HỌC, XÂY DỰNG XÃ HỘI HỌC TẬP NĂM {year}")
    heading.font = _TITLE_FONT
    sheet.append([heading])
    sheet.append(label_value("Xã, phường", stats.commune_name))
    sheet.append(label_value("Mã xã", profile.commune_code if profile else ""))
    sheet.append(label_value("Tỉnh, thành phố", stats.province_name))
    sheet.append(label_value("Mã tỉnh", profile.province_code if profile else ""))
    sheet.append(label_value("Hội Khuyến học", stats.association_name))
    sheet.append(label_value("Kỳ báo cáo", f"Năm {year}"))
    sheet.append([])
    sheet.append(
        _header_row(sheet, ("Danh hiệu", "Tổng số", "Đăng ký", "Công nhận", "Tỷ lệ", "Mẫu số", "Cách tính tỷ lệ"))
    )
    for title in Title:
        f = stats.total[title.value]
        sheet.append(
            [
                f.title_label,
                f.total,
                f.registered,
                f.recognised,
                number(f.rate, RATE_FORMAT),
                f.denominator,
                f.denominator_label,
            ]
        )
    sheet.append([])
    sheet.append(_header_row(sheet, ("Công tác khuyến học", "Số liệu", "Đơn vị tính", "", "", "", "Diễn giải")))
    fund = stats.support.fund if stats.support else None
    if fund is not None:
        sheet.append(["Tồn quỹ đầu năm", number(fund.opening, VND_FORMAT), "đồng"])
        sheet.append(["Tồn quỹ cuối năm", number(fund.closing, VND_FORMAT), "đồng"])
    for line in support_lines(stats.support) if stats.support else []:
        label = f"    {line.label}" if line.detail else line.label
        amount = number(line.amount, VND_FORMAT) if line.amount is not None else None
        sheet.append([_text(sheet, label), amount, line.unit, None, None, None, _text(sheet, line.reading)])


def _read_rows(workspace: Workspace, year: int) -> dict[str, Sequence[tuple[Any, ...]]]:
    """Every sheet's rows in one read transaction, so the sheets agree with each other."""
    params = {"first": date(year, 1, 1).isoformat(), "last": date(year, 12, 31).isoformat(), "year": year}
    raw = workspace.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("BEGIN")
        try:
            found: dict[str, Sequence[tuple[Any, ...]]] = {}
            for spec in SHEETS:
                cursor.execute(spec.sql, {k: v for k, v in params.items() if f":{k}" in spec.sql})
                found[spec.name] = cursor.fetchall()
        finally:
            cursor.execute("ROLLBACK")
            cursor.close()
    finally:
        raw.close()
    return found


def _discard(wb: Workbook) -> None:
    """After a failure or a cancel: finish every half-written sheet and delete its temporary file, so nothing
    is left in the temp folder and no open sheet stream fails later when garbage-collected."""
    for sheet in wb.worksheets:
        if isinstance(sheet, WriteOnlyWorksheet) and not sheet.closed:
            with contextlib.suppress(Exception):  # already failing: the first error is the one to report
                sheet.close()
        writer = getattr(sheet, "_writer", None)
        out = getattr(writer, "out", None)
        if isinstance(out, str):
            Path(out).unlink(missing_ok=True)


def write_data_workbook(
    workspace: Workspace,
    year: int,
    path: Path,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Write the period's workbook to `path`; returns each register sheet's row count (by sheet name).
    `progress(done, total)` is called after each sheet; an exception from it stops the export."""
    total = len(SHEETS) + 2
    rows = _read_rows(workspace, year)
    wb = Workbook(write_only=True)
    stamp = period_time(year)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "khuyenhoc_desktop"
    wb.properties.title = f"Số liệu khuyến học năm {year}"
    counts: dict[str, int] = {}
    try:
        _summary_sheet(wb, workspace, year)
        if progress:
            progress(1, total)
        for done, spec in enumerate(SHEETS, 2):
            counts[spec.name] = _register_sheet(wb, spec, rows[spec.name])
            if progress:
                progress(done, total)
        _keys_sheet(wb)
        archive = _FixedTimeZip(path, stamp)
        try:
            ExcelWriter(wb, archive).save()
        except BaseException:
            archive.close()
            path.unlink(missing_ok=True)
            raise
    except BaseException:
        _discard(wb)
        raise
    if progress:
        progress(total, total)
    return counts


# -- reading ------------------------------------------------------------------------------------------------
#
# python-calamine reads the cells (about ten times faster than openpyxl's reader); it hands back every number as
# a float, dates as `date` (or `datetime` with a time), booleans as bools and a blank cell as "", so each column
# is typed back here from the hidden key sheet, the same way whatever the reader.

Source = Path | bytes  # a workbook file, or its bytes (a verified package's, never written out again)


def _as_text(raw: Any) -> str:
    """A cell that is not text in a text column, written the way a person reads it (5, not 5.0)."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def _as_date(raw: Any) -> object:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    return raw.isoformat() if isinstance(raw, date) else _as_text(raw)


def _as_int(raw: Any) -> object:
    return int(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else raw


@dataclass
class _ColumnReader:
    key: str
    kind: str
    nullable: bool
    reverse: dict[str, str] = field(default_factory=dict)

    def values(self, raw: Sequence[Any]) -> list[object]:
        """One column's cells, typed: a blank is None when the column allows it, else "" for text and None for
        numbers; vocabulary labels go back to their codes. Whole columns at a time keep this cheap at 12,000
        members a commune."""
        blank: object = None if self.nullable or self.kind not in (TEXT, JSON, DATE) else ""
        if self.kind == DATE:
            return [blank if v == "" else _as_date(v) for v in raw]
        if self.kind in (INT, VND):
            return [blank if v == "" else _as_int(v) for v in raw]
        if self.kind == BOOL:
            return [blank if v == "" else bool(v) for v in raw]
        reverse = self.reverse
        return [blank if v == "" else reverse.get(v, v) if type(v) is str else _as_text(v) for v in raw]


def _readers(keys_rows: Iterable[Sequence[Any]]) -> dict[str, list[_ColumnReader]]:
    readers: dict[str, list[_ColumnReader]] = {}
    for sheet_name, _register, _index, key, kind, nullable in keys_rows:
        spec = _BY_NAME.get(sheet_name)
        labels = next((c.labels for c in spec.columns if c.key == key), None) if spec else None
        reverse = {label: str(code) for code, label in labels.items()} if labels else {}
        readers.setdefault(sheet_name, []).append(_ColumnReader(key, kind, bool(nullable), reverse))
    return readers


def _cells(book: CalamineWorkbook, name: str, width: int) -> list[Sequence[Any]]:
    """The sheet's rows below the header, `width` cells each; rows with nothing in them are left out."""
    found: list[Sequence[Any]] = []
    for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False)[1:]:
        if row.count("") == len(row):
            continue
        found.append(row[:width] if len(row) >= width else [*row, *([""] * (width - len(row)))])
    return found


def read_data_workbook(source: Source) -> dict[str, list[dict[str, object]]]:
    """The register sheets' rows (by sheet name) as typed dicts keyed by the columns' machine keys: ints,
    VND as int, dates as ISO text, bools, vocabulary labels back to their codes. The summary is not data."""
    try:
        book = (
            CalamineWorkbook.from_filelike(io.BytesIO(source))
            if isinstance(source, bytes)
            else CalamineWorkbook.from_path(str(source))
        )
    except CalamineError as error:
        raise ValueError(f"Tệp số liệu không đọc được như một bảng tính ({error}).") from None
    try:
        if KEYS_SHEET not in book.sheet_names:
            raise ValueError("Tệp số liệu thiếu bảng khóa cột; không phải tệp do khuyenhoc_desktop ghi.")
        readers = _readers(_cells(book, KEYS_SHEET, 6))
        result: dict[str, list[dict[str, object]]] = {}
        for name, columns in readers.items():
            if name not in book.sheet_names:
                raise ValueError(f"Tệp số liệu thiếu bảng “{name}”.")
            rows = _cells(book, name, len(columns))
            keys = [c.key for c in columns]
            typed = [c.values([row[i] for row in rows]) for i, c in enumerate(columns)]
            result[name] = [dict(zip(keys, values, strict=True)) for values in zip(*typed, strict=True)]
        return result
    except CalamineError as error:
        raise ValueError(f"Tệp số liệu có bảng không đọc được ({error}).") from None
    finally:
        book.close()


# A formula element is `<f>`, `<f …>` or `<f/>`, or the same with a namespace prefix (`<x:f>`). In well-formed
# XML a "<" in text or in an attribute is always escaped, so these bytes appear only as markup: a sheet without
# them holds no formula. A sheet that is not ASCII-compatible (UTF-16 has NUL bytes; XML 1.0 text never does)
# cannot be judged from its bytes.
_FORMULA_TAG = re.compile(rb"<f[\s/>]")
_PREFIXED_FORMULA_TAG = re.compile(rb":f[\s/>]")


def _may_hold_formula(xml: bytes) -> bool:
    return bool(b"\x00" in xml or _FORMULA_TAG.search(xml) or _PREFIXED_FORMULA_TAG.search(xml))


def formula_cells(source: Source) -> list[str]:
    """Coordinates of any formula cell in the workbook ("Sheet!A1"): a package must never hold one.

    Every part of the workbook is first scanned as bytes (a sheet may be stored under whatever name the
    workbook's relationships give it): a few hundredths of a second for a commune. Only a workbook the scan
    cannot clear (a formula, or bytes that merely look like one, e.g. in a comment) is opened with openpyxl,
    which names the cells — or finds none, and the workbook passes."""
    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
        suspect = any(_may_hold_formula(archive.read(info)) for info in archive.infolist())
    if not suspect:
        return []
    wb = load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source, read_only=True, data_only=False)
    try:
        found = []
        for sheet in wb.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f":
                        found.append(f"{sheet.title}!{cell.coordinate}")
        return found
    finally:
        wb.close()
