"""Importing the learning citizens' results list that the national online system exports.

We have no real sample of that export, so the reader expects what such lists usually are: a title block,
then a header row somewhere in the first rows ("STT", "Họ và tên", "Năm sinh", "Tổng điểm", "Kết quả", …,
perhaps one column per indicator, perhaps a second header row numbering the indicators or the columns),
then one person per row until a blank row. The officer confirms which column holds what.

The import is all or nothing: every row is checked first, each problem named by its row number and column
header as the officer sees them in the spreadsheet, and nothing is written while any row is wrong. Then
one change (one undo step) writes everything, after a backup when it rewrites more than a handful of rows.
Re-importing the same list updates each person's result for the year instead of adding a second one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from khuyenhoc_desktop.domain.import_values import BadValue as _Bad
from khuyenhoc_desktop.domain.import_values import cell_text as _text
from khuyenhoc_desktop.domain.import_values import (
    match_headers,
    name_reader,
    parse_birth_year,
    parse_sex,
    whole_number,
)
from khuyenhoc_desktop.domain.import_values import words as _words
from khuyenhoc_desktop.domain.rubric import Rubric, score
from khuyenhoc_desktop.domain.text import fold
from khuyenhoc_desktop.services.changes import record_change
from khuyenhoc_desktop.services.citizens import (
    TITLE,
    UNKNOWN_SEX,
    ResultValues,
    Written,
    recognised_message,
    set_person,
    write_result,
)
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.rubrics import rubric_for
from khuyenhoc_desktop.services.sheet_reading import FILE_FILTER as FILE_FILTER
from khuyenhoc_desktop.services.sheet_reading import Grid, column_label, find_header, read_grid
from khuyenhoc_desktop.services.sheet_reading import ImportProblems as ImportProblems
from khuyenhoc_desktop.services.sheet_reading import column_letter as column_letter
from khuyenhoc_desktop.services.sheet_reading import data_rows as _sheet_rows
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Citizen, Decision, Evaluation, Household, Member

PREVIEW_ROWS = 20
INDICATOR_COLUMNS = 10
BACKUP_ABOVE_ROWS = 5  # "a handful": a bigger import is backed up first
BACKUP_REASON = "truoc-nhap-tep"

FIELD_LABELS: dict[str, str] = {
    "full_name": "Họ và tên",
    "birth_year": "Năm sinh (hoặc ngày sinh)",
    "sex": "Giới tính",
    "hamlet": "Ấp (thôn, địa chỉ)",
    "total": "Tổng điểm",
    "result": "Kết quả",
    **{f"indicator_{k}": f"Tiêu chí {k}" for k in range(1, INDICATOR_COLUMNS + 1)},
}
INDICATOR_FIELDS = tuple(f"indicator_{k}" for k in range(1, INDICATOR_COLUMNS + 1))

ColumnMapping = dict[str, int]  # field → column index (0-based)


# Header texts each field is known by, most telling first (compared after `_words`), in the order fields
# claim columns.
_ALIASES: dict[str, tuple[str, ...]] = {
    "full_name": ("ho va ten", "ho ten", "ho va ten cong dan", "ten cong dan", "ho ten cong dan", "ten"),
    "birth_year": ("nam sinh", "ngay sinh", "ngay thang nam sinh", "ngay sinh nam sinh", "sinh nam", "ns"),
    "sex": ("gioi tinh", "gioi", "nam nu", "phai"),
    "result": ("ket qua", "ket qua danh gia", "xep loai", "danh gia", "ket qua cong nhan", "dat khong dat"),
    "total": ("tong diem", "tong so diem", "tong cong diem", "diem tong", "tong", "diem"),
    "hamlet": (
        "thon ap", "ap", "thon", "ap thon", "khu pho", "ap khu pho", "thon to dan pho", "to dan pho", "thon xom",
        "noi cu tru", "dia chi", "noi o", "cho o", "que quan",
    ),
}  # fmt: skip
_INDICATOR = re.compile(r"(?:tieu chi|chi tieu|\btc|\bct)\s*(?:so\s*)?0*(\d{1,2})\b")
_MARKER = re.compile(r"^\(?[0-9a-z]{1,2}\)?$")  # "(1)", "2", "A": a row numbering the columns

_HAMLET_PREFIXES = ("ap", "thon", "khu pho", "kp", "to dan pho", "xom", "khom", "ban", "buon", "khu")


@dataclass(frozen=True)
class SheetPreview:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # the first data rows as the officer reads them
    header_row_index: int  # 0-based position of the header row in the sheet (row number − 1)
    row_numbers: tuple[int, ...] = ()  # each preview row's number in the spreadsheet, as problems name them
    sheet_name: str = ""


@dataclass(frozen=True)
class ImportReport:
    rows: int  # data rows read
    created: int  # results written for the first time
    updated: int  # results that replaced an earlier one for the year
    unchanged: int  # re-imported exactly as they were
    matched_members: int  # rows tied to a household member
    new_citizens: int
    notes: tuple[str, ...] = ()  # not errors: what the officer may want to look at

    @property
    def summary(self) -> str:
        parts = [
            f"Đã đọc {self.rows} dòng: {self.created} kết quả mới, {self.updated} kết quả được cập nhật"
            + (f", {self.unchanged} không đổi" if self.unchanged else "")
            + ".",
            f"{self.matched_members} người khớp với sổ hộ; {self.new_citizens} người mới thêm vào danh sách.",
        ]
        return "\n".join(parts)


# -- reading the sheet --------------------------------------------------------------------------------


def _read_grid(path: Path) -> tuple[str, Grid]:
    """The sheet holding the list: the first with a recognisable header row."""
    return read_grid(path, holds_list=lambda grid: _find_header(grid) is not None)


def _find_header(grid: Grid) -> int | None:
    return find_header(grid, guess_mapping, "full_name")


def _is_marker_row(row: Sequence[Any]) -> bool:
    cells = [_words(_text(v)) for v in row if _text(v)]
    return bool(cells) and all(_MARKER.match(c) for c in cells)


@dataclass(frozen=True)
class _Layout:
    name: str
    headers: tuple[str, ...]
    header_index: int
    data_start: int  # index of the first row that may hold a person


def _layout(path: Path) -> tuple[_Layout, list[list[Any]]]:
    sheet_name, grid = _read_grid(path)
    header_index = _find_header(grid)
    if header_index is None:
        header_index = next((i for i, row in enumerate(grid) if sum(1 for v in row if _text(v)) >= 2), 0)
    headers = [_text(v) for v in grid[header_index]] if grid else []
    start = header_index + 1
    name_column = guess_mapping(headers).get("full_name")
    sub = [_text(v) for v in grid[start]] if start < len(grid) else []
    if (
        name_column is not None
        and name_column < len(sub)
        and not sub[name_column]
        and any(text and (i >= len(headers) or not headers[i]) for i, text in enumerate(sub))
    ):
        # A second header row under a merged cell ("Điểm các tiêu chí" over 1, 2, 3 …): join the two.
        headers += [""] * (len(sub) - len(headers))
        above = ""
        for i, text in enumerate(sub):
            above = headers[i] or above
            if text:
                headers[i] = f"{above} {text}" if not headers[i] or _MARKER.match(_words(text)) else text
        start += 1
    while start < len(grid) and _is_marker_row(grid[start]):
        start += 1
    width = max((len(row) for row in grid), default=0)
    headers += [""] * (width - len(headers))
    return _Layout(sheet_name, tuple(headers), header_index, start), grid


def _data_rows(layout: _Layout, grid: list[list[Any]]) -> list[tuple[int, list[Any]]]:
    """(spreadsheet row number, cells) of each person, up to the first blank row after the list began."""
    return _sheet_rows(grid, layout.data_start, stop_at_blank=True)


def read_sheet(path: Path) -> SheetPreview:
    """What the import dialog shows: the headers found and the first rows under them."""
    layout, grid = _layout(path)
    rows = _data_rows(layout, grid)[:PREVIEW_ROWS]
    width = len(layout.headers)
    return SheetPreview(
        headers=layout.headers,
        rows=tuple(tuple(_text(cells[i]) if i < len(cells) else "" for i in range(width)) for _, cells in rows),
        header_row_index=layout.header_index,
        row_numbers=tuple(number for number, _ in rows),
        sheet_name=layout.name,
    )


def guess_mapping(headers: Sequence[str]) -> ColumnMapping:
    """Which column holds which field, from the header texts (accents, case and punctuation ignored)."""
    words = [_words(h) for h in headers]
    mapping: ColumnMapping = {}
    used: set[int] = set()
    for i, text in enumerate(words):
        match = _INDICATOR.search(text)
        if match and 1 <= int(match.group(1)) <= INDICATOR_COLUMNS:
            key = f"indicator_{int(match.group(1))}"
            if key not in mapping:
                mapping[key] = i
                used.add(i)
    mapping.update(match_headers(headers, _ALIASES, used))
    return mapping


# -- checking each row ---------------------------------------------------------------------------------


def _points_within(maximum: int) -> Callable[[Any], int]:
    def points(value: Any) -> int:
        number = whole_number(value)
        if number is None:
            raise _Bad("còn trống")
        if not 0 <= number <= maximum:
            raise _Bad(f"{number} điểm nằm ngoài khoảng 0–{maximum}")
        return number

    return points


def _passed(value: Any) -> bool | None:
    text = _words(_text(value))
    if not text:
        return None
    if text.startswith(("khong dat", "chua dat", "khong cong nhan", "chua cong nhan")):
        return False
    if text.startswith(("dat", "cong nhan")):
        return True
    raise _Bad(f"«{_text(value)}» không phải «Đạt» hay «Không đạt»")


class _HamletFinder:
    """A hamlet named anywhere in an address: "Tổ 3, ấp Vĩnh Thạnh, xã …" or just "Vĩnh Thạnh"."""

    def __init__(self, hamlets: Sequence[tuple[str, str]]) -> None:
        self._variants: list[tuple[str, str]] = []  # (words, hamlet id), longest first
        for hamlet_id, name in hamlets:
            full = _words(name)
            self._variants.append((full, hamlet_id))
            for prefix in _HAMLET_PREFIXES:
                bare = full.removeprefix(prefix + " ")
                if bare != full and not bare.isdigit():  # "Ấp 3" is never matched on a bare "3"
                    self._variants.append((bare, hamlet_id))
        self._variants.sort(key=lambda v: len(v[0]), reverse=True)

    def find(self, text: str) -> str | None:
        padded = f" {_words(text)} "
        return next((hamlet_id for words, hamlet_id in self._variants if f" {words} " in padded), None)


@dataclass
class _Row:
    number: int  # the spreadsheet's row number
    name: str
    birth_year: int | None
    sex: str | None
    hamlet_id: str | None
    hamlet_from_file: bool
    total: int | None
    passed: bool | None
    points: dict[str, int] | None
    member: _Member | None = None
    citizen_id: str | None = None  # an existing citizen this row updates


@dataclass(frozen=True)
class _Member:
    id: str
    full_name: str
    birth_year: int | None
    sex: str
    hamlet_id: str


@dataclass(frozen=True)
class _Known:
    """The registers as the import needs them, read once."""

    members: dict[tuple[str, int | None], list[_Member]]
    citizens: dict[tuple[str, int | None], list[Citizen]]  # by folded name and birth year
    citizen_of_member: dict[str, Citizen]
    results: dict[str, Evaluation]  # the year's live results by citizen id
    decisions: dict[str, Decision]


def _load(workspace: Workspace, year: int) -> _Known:
    with session_scope(workspace.engine) as session:
        member_rows = session.exec(
            select(Member, Household.hamlet_id)
            .join(Household, col(Household.id) == Member.household_id)
            .where(col(Member.deleted_at).is_(None), col(Household.deleted_at).is_(None))
        ).all()
        citizens = list(session.exec(select(Citizen).where(col(Citizen.deleted_at).is_(None))).all())
        results = session.exec(
            select(Evaluation).where(
                Evaluation.title == TITLE, Evaluation.year == year, col(Evaluation.deleted_at).is_(None)
            )
        ).all()
        decisions = session.exec(select(Decision).where(col(Decision.deleted_at).is_(None))).all()
    members: dict[tuple[str, int | None], list[_Member]] = defaultdict(list)
    for member, hamlet_id in member_rows:
        members[(member.name_key, member.birth_year)].append(
            _Member(member.id, member.full_name, member.birth_year, member.sex, hamlet_id)
        )
    by_person: dict[tuple[str, int | None], list[Citizen]] = defaultdict(list)
    for citizen in citizens:
        by_person[(citizen.name_key, citizen.birth_year)].append(citizen)
    return _Known(
        members=dict(members),
        citizens=dict(by_person),
        citizen_of_member={c.member_id: c for c in citizens if c.member_id is not None},
        results={e.subject_id: e for e in results},
        decisions={d.id: d for d in decisions},
    )


def _check_mapping(mapping: ColumnMapping, headers: Sequence[str], rubric: Rubric) -> list[str]:
    problems = []
    if "full_name" not in mapping:
        problems.append("Chưa chọn cột «Họ và tên».")
    indicators = [f for f in INDICATOR_FIELDS if f in mapping]
    if indicators and len(indicators) != len(rubric.indicators):
        problems.append(
            f"Đã chọn cột cho {len(indicators)} tiêu chí nhưng bộ tiêu chí «{rubric.name}» có "
            f"{len(rubric.indicators)} tiêu chí: hãy chọn đủ, hoặc bỏ trống tất cả để lấy tổng điểm và kết quả."
        )
    if not indicators and "result" not in mapping:
        problems.append("Chưa chọn cột «Kết quả» (hoặc các cột điểm từng tiêu chí).")
    columns = [c for c in mapping.values()]
    for column in sorted({c for c in columns if columns.count(c) > 1}):
        fields = ", ".join(f"«{FIELD_LABELS[f]}»" for f, c in mapping.items() if c == column)
        problems.append(f"Cột «{column_label(headers, column)}» được chọn cho nhiều mục: {fields}.")
    for name, column in mapping.items():
        if not 0 <= column < len(headers):
            problems.append(f"Mục «{FIELD_LABELS.get(name, name)}» trỏ tới cột không có trong tệp.")
    return problems


class _Cells:
    """One spreadsheet row read field by field; each bad cell is reported with its row and column."""

    def __init__(self, number: int, cells: list[Any], mapping: ColumnMapping, headers: Sequence[str]) -> None:
        self.number, self._cells, self._mapping, self._headers = number, cells, mapping, headers
        self.problems: list[str] = []

    def get(self, name: str, convert: Callable[[Any], Any]) -> Any:
        column = self._mapping.get(name)
        if column is None:
            return None
        try:
            return convert(self._cells[column] if column < len(self._cells) else "")
        except _Bad as problem:
            self.problems.append(self.problem(name, str(problem)))
            return None

    def problem(self, name: str, text: str) -> str:
        return f"Dòng {self.number}, cột «{column_label(self._headers, self._mapping[name])}»: {text}."


def _parse_rows(
    rows: list[tuple[int, list[Any]]],
    mapping: ColumnMapping,
    headers: Sequence[str],
    rubric: Rubric,
    hamlets: _HamletFinder,
    hamlet_default: str | None,
    problems: list[str],
    notes: list[str],
) -> list[_Row]:
    parsed: list[_Row] = []
    indicators = {f"indicator_{k}": i for k, i in enumerate(rubric.indicators, start=1)}
    by_points = any(f in mapping for f in INDICATOR_FIELDS)
    for number, values in rows:
        cells = _Cells(number, values, mapping, headers)
        name = cells.get("full_name", name_reader("chưa có họ tên"))
        birth_year = cells.get("birth_year", parse_birth_year)
        sex = cells.get("sex", parse_sex)
        total = cells.get("total", whole_number)
        if total is not None and not 0 <= total <= rubric.max_points:
            cells.problems.append(cells.problem("total", f"{total} điểm nằm ngoài khoảng 0–{rubric.max_points}"))
        passed = cells.get("result", _passed)
        if not by_points and passed is None and not cells.problems:
            cells.problems.append(cells.problem("result", "còn trống"))
        points = None
        if by_points:
            points = {i.code: cells.get(name, _points_within(i.max_points)) for name, i in indicators.items()}
        hamlet_text = cells.get("hamlet", _text) or ""
        hamlet_id = hamlets.find(hamlet_text) if hamlet_text else None
        if hamlet_text and hamlet_id is None:
            fallback = "ghi theo ấp mặc định" if hamlet_default else "không ghi ấp"
            notes.append(f"Dòng {number}: «{hamlet_text}» không khớp ấp nào của xã; {fallback}.")
        if cells.problems:
            problems.extend(cells.problems)
            continue
        parsed.append(
            _Row(
                number, name, birth_year, sex, hamlet_id or hamlet_default, hamlet_id is not None, total, passed, points
            )
        )
    return parsed


def _resolve(rows: list[_Row], known: _Known, year: int, problems: list[str], notes: list[str]) -> None:
    """Tie each row to a household member (same folded name and birth year, and hamlet when the file names
    one) and to the citizen it updates; refuse two rows for one person and results already recognised."""
    seen: dict[object, int] = {}
    for row in rows:
        key_name = fold(row.name)
        candidates = known.members.get((key_name, row.birth_year), []) if row.birth_year is not None else []
        if row.hamlet_from_file:
            candidates = [m for m in candidates if m.hamlet_id == row.hamlet_id]
        if len(candidates) == 1:
            row.member = candidates[0]
        elif len(candidates) > 1:
            notes.append(
                f"Dòng {row.number}: có {len(candidates)} người tên «{row.name}» sinh năm {row.birth_year} "
                "trong sổ hộ; chưa liên kết với hộ nào."
            )
        citizen = known.citizen_of_member.get(row.member.id) if row.member is not None else None
        if citizen is None:
            same = [
                c
                for c in known.citizens.get((key_name, row.birth_year), [])
                if (row.member is None or c.member_id is None)
                and (not row.hamlet_from_file or c.hamlet_id in (row.hamlet_id, None))
            ]
            if len(same) > 1:
                problems.append(
                    f"Dòng {row.number}: danh sách đã có {len(same)} công dân tên «{row.name}»"
                    + (f" sinh năm {row.birth_year}" if row.birth_year else "")
                    + "; không biết cập nhật người nào (hãy thêm cột năm sinh hoặc ấp)."
                )
                continue
            citizen = same[0] if same else None
        row.citizen_id = citizen.id if citizen is not None else None
        who: object = row.citizen_id or (row.member.id if row.member else (key_name, row.birth_year, row.hamlet_id))
        if who in seen:
            problems.append(
                f"Dòng {row.number}: trùng người với dòng {seen[who]} («{row.name}»"
                + (f", sinh năm {row.birth_year}" if row.birth_year else "")
                + ")."
            )
            continue
        seen[who] = row.number
        result = known.results.get(row.citizen_id) if row.citizen_id else None
        decision = known.decisions.get(result.decision_id) if result and result.decision_id else None
        if decision is not None:
            problems.append(f"Dòng {row.number}: {recognised_message(row.name, year, decision)}")


def _values(row: _Row, rubric: Rubric, source: str, notes: list[str]) -> ResultValues:
    if row.points is None:
        return ResultValues(None, {}, row.total, row.passed, "", source)
    outcome = score(rubric, row.points)
    if row.total is not None and row.total != outcome.total:
        notes.append(f"Dòng {row.number}: tổng điểm trong tệp là {row.total}, cộng các tiêu chí được {outcome.total}.")
    if row.passed is not None and row.passed != outcome.passed:
        notes.append(
            f"Dòng {row.number}: tệp ghi «{'Đạt' if row.passed else 'Không đạt'}» nhưng theo bộ tiêu chí: "
            f"{outcome.reason_text}."
        )
    return ResultValues(rubric.id, row.points, outcome.total, outcome.passed, "; ".join(outcome.reasons), source)


def import_results(
    workspace: Workspace, path: Path, mapping: ColumnMapping, year: int, hamlet_default: str | None = None
) -> ImportReport:
    """Check every row, then write them all in one change, or raise ImportProblems and write nothing."""
    rubric = rubric_for(workspace, TITLE, year)
    layout, grid = _layout(path)
    problems = _check_mapping(mapping, layout.headers, rubric)
    if problems:
        raise ImportProblems(path.name, problems)
    notes: list[str] = []
    hamlets = _HamletFinder([(h.id, h.name) for h in list_hamlets(workspace)])
    rows = _parse_rows(
        _data_rows(layout, grid), mapping, layout.headers, rubric, hamlets, hamlet_default, problems, notes
    )
    if not rows and not problems:
        problems.append("Không có dòng nào có họ tên dưới hàng tiêu đề.")
    known = _load(workspace, year)
    _resolve(rows, known, year, problems, notes)
    if problems:
        raise ImportProblems(path.name, problems)
    values = [_values(row, rubric, path.name, notes) for row in rows]
    if len(rows) > BACKUP_ABOVE_ROWS:
        workspace.backup(BACKUP_REASON)
    counts: dict[Written, int] = defaultdict(int)
    new_citizens = 0
    with record_change(workspace, f"Nhập kết quả Công dân học tập năm {year} từ tệp {path.name}") as change:
        session = change.session
        for row, value in zip(rows, values, strict=True):
            citizen = session.get(Citizen, row.citizen_id) if row.citizen_id else None
            if citizen is None:
                citizen = Citizen(full_name="")
                member = row.member
                if member is not None:
                    citizen.member_id = member.id
                    set_person(citizen, member.full_name, member.birth_year, member.sex, member.hamlet_id)
                else:
                    set_person(citizen, row.name, row.birth_year, row.sex or UNKNOWN_SEX, row.hamlet_id)
                change.add(citizen)
                new_citizens += 1
            elif row.member is not None and citizen.member_id is None:
                change.touch(citizen)  # imported earlier, now found in the households register
                citizen.member_id = row.member.id
            existing = session.get(Evaluation, known.results[citizen.id].id) if citizen.id in known.results else None
            counts[write_result(change, citizen, year, value, existing)] += 1
    return ImportReport(
        rows=len(rows),
        created=counts[Written.CREATED],
        updated=counts[Written.UPDATED],
        unchanged=counts[Written.UNCHANGED],
        matched_members=sum(1 for row in rows if row.member is not None),
        new_citizens=new_citizens,
        notes=tuple(notes),
    )
