"""Importing the households list a commune already keeps in its own spreadsheet.

One row per household: the head's name, and as the officer's sheet has them a code, the hamlet, address,
phone, note, the head's birth year (a year, a date as text or an Excel date) and sex. Columns are matched to
fields by their headers; the officer may correct any match, and save the mapping (field → header text) to
reuse on next year's copy of the same sheet.

Every row is checked first and each problem named by its row number and column header; a row naming an
existing household (by code, else by the head's name in the same hamlet) updates it rather than adding a
second one. A dry run stops there. Otherwise, with no problem at all, one change (one undo step, audited)
writes everything, after a backup when it writes more than a handful of rows.
"""

from __future__ import annotations

import difflib
import itertools
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import col, select

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.household import (
    MAX_CODE_LENGTH,
    MIN_BIRTH_YEAR,
    Relation,
    Sex,
    normalize_phone,
)
from khuyenhoc_desktop.domain.import_values import BadValue, cell_text, match_headers, parse_sex, parse_year, words
from khuyenhoc_desktop.domain.text import fold, name_sort_key
from khuyenhoc_desktop.services.changes import Recorder, Row, new_row, record_change
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.sheet_reading import (
    Grid,
    ImportProblems,
    column_label,
    column_letter,
    data_rows,
    find_header,
    read_grid,
)
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.migrations import household_search_text
from khuyenhoc_desktop.storage.tables import Household, Member, utc_now

BACKUP_ABOVE_ROWS = 5  # "a handful": a bigger import is backed up first
BACKUP_REASON = "truoc-nhap-ho"
_CHUNK = 500  # ids per IN (…) when loading the households an import updates

FIELD_LABELS: dict[str, str] = {
    "code": "Mã hộ",
    "head_name": "Họ tên chủ hộ",
    "hamlet": "Ấp (thôn, khu phố)",
    "address": "Địa chỉ",
    "phone": "Điện thoại",
    "note": "Ghi chú",
    "head_birth_year": "Năm sinh chủ hộ",
    "head_sex": "Giới tính chủ hộ",
}

# Header texts each field is known by, most telling first, in the order fields claim columns
# (compared after `words`: no diacritics, lower case, punctuation as spaces).
_ALIASES: dict[str, tuple[str, ...]] = {
    "head_name": ("ho ten chu ho", "ho va ten chu ho", "chu ho", "ten chu ho", "ho ten", "ho va ten", "ten"),
    "code": ("ma ho", "ma so ho", "ma ho gia dinh", "so ho", "ma"),
    "head_birth_year": ("nam sinh", "ngay sinh", "ngay thang nam sinh", "nam sinh chu ho", "ngay sinh chu ho", "ns"),
    "head_sex": ("gioi tinh", "gioi", "nam nu", "phai", "gioi tinh chu ho"),
    "hamlet": ("ap", "thon", "ap thon", "thon ap", "khu pho", "ap khu pho", "thon xom", "to dan pho", "xom"),
    "address": ("dia chi", "so nha", "dia chi nha", "noi o", "cho o"),
    "phone": ("dien thoai", "so dien thoai", "sdt", "dt", "so dt", "dtdd"),
    "note": ("ghi chu", "ghi chu khac"),
}  # fmt: skip

_HAMLET_WORDS = ("khu pho", "to dan pho", "ap", "thon", "kp", "xom", "khom", "buon", "ban", "khu")

ColumnMapping = dict[str, int]  # field → column index (0-based)


@dataclass(frozen=True)
class SheetLayout:
    sheet_name: str
    headers: tuple[str, ...]
    header_row_index: int  # 0-based: the header's row number − 1
    rows: tuple[tuple[int, list[Any]], ...]  # (spreadsheet row number, cells) under the header


@dataclass(frozen=True)
class ImportReport:
    rows: int  # data rows read
    created: int
    updated: int
    unchanged: int
    problems: tuple[str, ...]  # non-empty only on a dry run: a real import refuses instead
    written: bool

    @property
    def summary(self) -> str:
        head = "Chạy thử, chưa ghi gì" if not self.written else "Đã nhập"
        text = (
            f"{head}: {self.rows} dòng — {self.created} hộ mới, {self.updated} hộ cập nhật, "
            f"{self.unchanged} hộ không đổi."
        )
        if self.problems:
            text += f" Có {len(self.problems)} lỗi cần sửa trước khi nhập."
        return text


def guess_mapping(headers: Sequence[str]) -> ColumnMapping:
    """Which column holds which field, from the header texts (accents, case and punctuation ignored)."""
    return match_headers(headers, _ALIASES)


def _find_header(grid: Grid) -> int | None:
    return find_header(grid, guess_mapping, "head_name")


def read_sheet(path: Path, sheet: str | None = None) -> SheetLayout:
    """The list in the file: the sheet (named, or the first with a households header, or the first with data),
    the header row found below any title rows, and the rows under it, blank ones left out. Headers nothing
    matches (the officer then picks the columns) are taken from the first row with two cells filled in:
    title rows, merged or not, fill one."""
    name, grid = read_grid(path, sheet, lambda g: _find_header(g) is not None)
    header_index = _find_header(grid)
    if header_index is None:
        header_index = next((i for i, row in enumerate(grid) if sum(1 for v in row if cell_text(v)) >= 2), 0)
    width = max((len(row) for row in grid), default=0)
    headers = [cell_text(v) for v in grid[header_index]] if grid else []
    headers += [""] * (width - len(headers))
    return SheetLayout(name, tuple(headers), header_index, tuple(data_rows(grid, header_index + 1, False)))


# -- the mapping, saved as field → header text ---------------------------------------------------------------


def save_mapping(path: Path, mapping: Mapping[str, int], headers: Sequence[str]) -> None:
    """Saved by header text rather than column letter, so that a sheet whose columns moved still fits."""
    by_header = {field: headers[column] for field, column in mapping.items() if 0 <= column < len(headers)}
    path.write_text(json.dumps(by_header, ensure_ascii=False, indent=2), encoding="utf-8")


def load_mapping(path: Path, headers: Sequence[str]) -> ColumnMapping:
    """The guessed mapping corrected by a saved one; a field saved with no header is left out."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UserError(f"Không mở được tệp ghép cột «{path.name}»: {error.strerror or error}.") from error
    except ValueError as error:
        raise UserError(f"Tệp ghép cột «{path.name}» không đúng dạng JSON (mục → tiêu đề cột).") from error
    if not isinstance(saved, dict):
        raise UserError(f"Tệp ghép cột «{path.name}» không đúng dạng JSON (mục → tiêu đề cột).")
    mapping = guess_mapping(headers)
    folded = [words(h) for h in headers]
    for field, header in saved.items():
        if field not in FIELD_LABELS:
            raise UserError(
                f"Tệp ghép cột «{path.name}»: «{field}» không phải mục nào; các mục: {', '.join(FIELD_LABELS)}."
            )
        if not header:
            mapping.pop(field, None)
            continue
        columns = [i for i, h in enumerate(folded) if h and h == words(str(header))]
        if len(columns) != 1:
            what = "nhiều cột" if columns else "cột nào"
            raise UserError(
                f"Tệp ghép cột «{path.name}»: tiêu đề «{header}» của mục «{FIELD_LABELS[field]}» "
                f"không ứng với {what} trong bảng tính."
            )
        mapping[field] = columns[0]
    return mapping


def describe_mapping(mapping: Mapping[str, int], headers: Sequence[str]) -> str:
    """ "Họ tên chủ hộ ← B «Chủ hộ»; …": what the officer checks before importing."""
    return "; ".join(
        f"{FIELD_LABELS[field]} ← {column_letter(column)}"
        + (f" «{headers[column]}»" if column < len(headers) and headers[column] else "")
        for field, column in mapping.items()
    )


# -- checking each row -----------------------------------------------------------------------------------------


def _bare_hamlet(name: str) -> str:
    """ "Ấp Vĩnh Thạnh", "thon vinh thanh", "Vĩnh Thạnh" → "vinh thanh"."""
    folded = words(name)
    for prefix in _HAMLET_WORDS:
        bare = folded.removeprefix(prefix + " ")
        if bare != folded:
            return bare
    return folded


class _Hamlets:
    def __init__(self, hamlets: Sequence[tuple[str, str]]) -> None:
        self._by_key: dict[str, str] = {}
        self._names: dict[str, str] = {}
        for hamlet_id, name in hamlets:
            self._by_key.setdefault(_bare_hamlet(name), hamlet_id)
            self._by_key.setdefault(words(name), hamlet_id)
            self._names[_bare_hamlet(name)] = name

    def find(self, text: str) -> str:
        key = _bare_hamlet(text)
        found = self._by_key.get(key)
        if found is not None:
            return found
        near = difflib.get_close_matches(key, list(self._names), n=1, cutoff=0.6)
        hint = f"; có phải «{self._names[near[0]]}»?" if near else ""
        listed = ", ".join(self._names.values())
        raise BadValue(f"«{text}» không khớp ấp nào của xã{hint} (các ấp: {listed})")


def _code(value: Any) -> str:
    code = cell_text(value).upper()
    if len(code) > MAX_CODE_LENGTH:
        raise BadValue(f"mã hộ «{code}» dài quá {MAX_CODE_LENGTH} ký tự")
    return code


def _head_name(value: Any) -> str:
    name = cell_text(value)
    if not name:
        raise BadValue("chưa có họ tên chủ hộ")
    if not any(ch.isalpha() for ch in name):
        raise BadValue(f"«{name}» không phải họ tên")
    return name


def _phone(value: Any) -> str:
    typed = cell_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and not typed.startswith("0"):
        typed = "0" + typed  # a number cell drops the leading 0
    if not typed:
        return ""
    phone = normalize_phone(typed)
    if phone is None:
        raise BadValue(f"«{cell_text(value)}» không phải số điện thoại Việt Nam (ví dụ 0909 123 456)")
    return phone


def _birth_year(value: Any) -> int | None:
    this_year = date.today().year
    year = parse_year(value, this_year)
    if year is not None and not MIN_BIRTH_YEAR <= year <= this_year:
        raise BadValue(f"năm sinh {year} phải nằm trong khoảng {MIN_BIRTH_YEAR}–{this_year}")
    return year


@dataclass
class _Row:
    number: int
    values: dict[str, Any]  # field → clean value, for the fields mapped
    target: str | None = None  # the existing household this row updates


@dataclass(frozen=True)
class _Existing:
    id: str
    code: str
    hamlet_id: str
    address: str
    phone: str
    note: str
    head_id: str | None
    head_name: str
    head_birth_year: int | None
    head_sex: str

    def value(self, field: str) -> Any:
        return getattr(self, "hamlet_id" if field == "hamlet" else field)


_EXISTING_SQL = """
SELECT h.id, h.code, h.hamlet_id, h.address, h.phone, h.note,
       head.id, coalesce(head.full_name, ''), head.birth_year, coalesce(head.sex, 'nam')
FROM household h
LEFT JOIN member head ON head.household_id = h.id AND head.relation = 'chu_ho' AND head.deleted_at IS NULL
WHERE h.deleted_at IS NULL
"""


def _cell_problem(number: int, headers: Sequence[str], column: int, text: str) -> str:
    return f"Dòng {number}, cột «{column_label(headers, column)}»: {text}."


_CONVERT = {
    "code": _code,
    "head_name": _head_name,
    "address": cell_text,
    "phone": _phone,
    "note": cell_text,
    "head_birth_year": _birth_year,
    "head_sex": parse_sex,
}


def _parse(layout: SheetLayout, mapping: ColumnMapping, hamlets: _Hamlets, problems: list[str]) -> list[_Row]:
    parsed = []
    for number, cells in layout.rows:
        values: dict[str, Any] = {}
        bad = False
        for field, column in mapping.items():
            cell = cells[column] if column < len(cells) else ""
            try:
                if field == "hamlet":
                    typed = cell_text(cell)
                    if not typed:
                        raise BadValue("chưa có ấp của hộ")
                    values[field] = hamlets.find(typed)
                else:
                    values[field] = _CONVERT[field](cell)
            except BadValue as problem:
                problems.append(_cell_problem(number, layout.headers, column, str(problem)))
                bad = True
        if not bad:
            parsed.append(_Row(number, values))
    return parsed


def _check_mapping(mapping: ColumnMapping, headers: Sequence[str]) -> list[str]:
    problems = [f"Chưa chọn cột «{FIELD_LABELS[field]}»." for field in ("head_name", "hamlet") if field not in mapping]
    columns = list(mapping.values())
    for column in sorted({c for c in columns if columns.count(c) > 1}):
        fields = ", ".join(f"«{FIELD_LABELS[f]}»" for f, c in mapping.items() if c == column)
        problems.append(f"Cột «{column_label(headers, column)}» được chọn cho nhiều mục: {fields}.")
    for field, column in mapping.items():
        if field not in FIELD_LABELS:
            problems.append(f"«{field}» không phải mục nào; các mục: {', '.join(FIELD_LABELS)}.")
        elif not 0 <= column < len(headers):
            problems.append(f"Mục «{FIELD_LABELS[field]}» trỏ tới cột không có trong tệp.")
    return problems


def _resolve(rows: list[_Row], existing: list[_Existing], problems: list[str]) -> list[_Row]:
    """Tie each row to the household it updates: by code, or (no code in the row) by the head's folded
    name in the same hamlet; refuse two rows for one household. The rows tied without a problem are kept."""
    by_code = {e.code: e for e in existing}
    by_head: dict[tuple[str, str], list[_Existing]] = {}
    for e in existing:
        by_head.setdefault((fold(e.head_name), e.hamlet_id), []).append(e)
    seen: dict[object, int] = {}
    kept = []
    for row in rows:
        code = row.values.get("code", "")
        key = (fold(row.values["head_name"]), row.values["hamlet"])
        if code:
            match = by_code.get(code)
            row.target = match.id if match else None
        else:
            same = by_head.get(key, [])
            if len(same) > 1:
                codes = ", ".join(e.code for e in same)
                problems.append(
                    f"Dòng {row.number}: sổ đã có {len(same)} hộ chủ hộ «{row.values['head_name']}» cùng ấp "
                    f"({codes}); hãy thêm cột mã hộ để biết cập nhật hộ nào."
                )
                continue
            row.target = same[0].id if same else None
        who: object = row.target or (f"code:{code}" if code else key)
        if who in seen:
            problems.append(f"Dòng {row.number}: trùng hộ với dòng {seen[who]} (chủ hộ «{row.values['head_name']}»).")
            continue
        seen[who] = row.number
        kept.append(row)
    return kept


def _changed(row: _Row, current: _Existing) -> bool:
    """A blank code or sex keeps what the register has, so it is no change."""
    return any(
        current.value(field) != value
        for field, value in row.values.items()
        if value or field not in ("code", "head_sex")
    )


def _load_existing(workspace: Workspace) -> tuple[list[_Existing], list[str]]:
    with session_scope(workspace.engine) as session:
        existing = [_Existing(*row) for row in session.execute(text(_EXISTING_SQL)).all()]
        all_codes = list(session.exec(select(Household.code)).all())
    return existing, all_codes


def _free_codes(all_codes: Sequence[str], rows: Sequence[_Row]) -> Iterator[str]:
    """Codes for the households the sheet gives none, numbered on as the register numbers them."""
    codes = [*all_codes, *(str(r.values.get("code", "")) for r in rows)]
    return (f"{n:05d}" for n in itertools.count(max((int(c) for c in codes if c.isdigit()), default=0) + 1))


def import_households(
    workspace: Workspace,
    path: Path,
    mapping: ColumnMapping | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Check every row; a dry run reports what would happen (problems included) and writes nothing; a real
    import writes everything in one change, or raises ImportProblems and writes nothing."""
    layout = read_sheet(path, sheet)
    mapping = dict(guess_mapping(layout.headers) if mapping is None else mapping)
    problems = _check_mapping(mapping, layout.headers)
    if problems:
        raise ImportProblems(path.name, problems)
    hamlets = _Hamlets([(h.id, h.name) for h in list_hamlets(workspace)])
    rows = _parse(layout, mapping, hamlets, problems)
    if not layout.rows:
        problems.append("Không có dòng nào dưới hàng tiêu đề.")
    existing, all_codes = _load_existing(workspace)
    rows = _resolve(rows, existing, problems)
    current = {e.id: e for e in existing}
    updates = [r for r in rows if r.target is not None and _changed(r, current[r.target])]
    created = [r for r in rows if r.target is None]
    unchanged = len(rows) - len(updates) - len(created)
    if dry_run or problems:
        if not dry_run:
            raise ImportProblems(path.name, problems)
        return ImportReport(len(layout.rows), len(created), len(updates), unchanged, tuple(problems), False)
    if len(created) + len(updates) > BACKUP_ABOVE_ROWS:
        workspace.backup(BACKUP_REASON)
    if created or updates:
        _write(workspace, path.name, created, updates, _free_codes(all_codes, rows))
    return ImportReport(len(layout.rows), len(created), len(updates), unchanged, (), True)


def _head_fields(name: str) -> dict[str, str]:
    return {"full_name": name, "name_key": fold(name), "name_sort": name_sort_key(name)}


def _set_head_name(member: Member, name: str) -> None:
    for field, value in _head_fields(name).items():
        setattr(member, field, value)


def _write(
    workspace: Workspace,
    file_name: str,
    created: list[_Row],
    updates: list[_Row],
    free_codes: Iterator[str],
) -> None:
    with record_change(
        workspace, f"Nhập {len(created)} hộ mới, cập nhật {len(updates)} hộ từ tệp {file_name}"
    ) as change:
        session = change.session
        new_households: list[Row] = []
        new_heads: list[Row] = []
        for row in created:
            values = row.values
            code = values.get("code") or next(free_codes)
            head_name = values["head_name"]
            address, phone, note = (values.get(k, "") for k in ("address", "phone", "note"))
            household = new_row(
                Household,
                code=code,
                hamlet_id=values["hamlet"],
                address=address,
                phone=phone,
                note=note,
                search_key=household_search_text(code, head_name, address, phone, note),
            )
            new_households.append(household)
            new_heads.append(
                new_row(
                    Member,
                    household_id=household["id"],
                    birth_year=values.get("head_birth_year"),
                    sex=values.get("head_sex") or Sex.MALE,
                    relation=Relation.HEAD,
                    **_head_fields(head_name),
                )
            )
        change.add_many(Household, new_households)
        change.add_many(Member, new_heads)
        ids = [r.target for r in updates if r.target is not None]
        households: dict[str, Household] = {}
        heads: dict[str, Member] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            households.update((h.id, h) for h in session.exec(select(Household).where(col(Household.id).in_(chunk))))
            heads.update(
                (m.household_id, m)
                for m in session.exec(
                    select(Member).where(
                        col(Member.household_id).in_(chunk),
                        Member.relation == Relation.HEAD,
                        col(Member.deleted_at).is_(None),
                    )
                )
            )
        now = utc_now()
        for row in updates:
            _update(change, households[str(row.target)], heads.get(str(row.target)), row.values, now)


def _update(change: Recorder, household: Household, head: Member | None, values: dict[str, Any], now: str) -> None:
    change.touch(household)
    if values.get("code"):
        household.code = values["code"]
    if "hamlet" in values:
        household.hamlet_id = values["hamlet"]
    for field in ("address", "phone", "note"):
        if field in values:
            setattr(household, field, values[field])
    household.updated_at = now
    if head is None:
        head = Member(household_id=household.id, full_name="", relation=Relation.HEAD)
        change.add(head)
    else:
        change.touch(head)
    _set_head_name(head, values["head_name"])
    if "head_birth_year" in values:
        head.birth_year = values["head_birth_year"]
    if values.get("head_sex"):
        head.sex = values["head_sex"]
    head.updated_at = now
    household.search_key = household_search_text(
        household.code, head.full_name, household.address, household.phone, household.note
    )
