"""Importing the households list a commune already keeps in its own spreadsheet.

One row per household: the head's name, and as the officer's sheet has them a code, the hamlet, address, phone,
note, the head's birth year (a year, a date as text or an Excel date) and sex. A row naming an existing household
(by code, else by the head's name in the same hamlet) updates it rather than adding a second one. The steps every
list shares (sheet, columns, preview, commit) are services/spreadsheet_import.py's.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import text
from sqlmodel import Session, select

from khuyenhoc_desktop.domain.household import (
    MAX_CODE_LENGTH,
    SEX_LABELS,
    Relation,
    Sex,
    name_fields,
    normalize_phone,
)
from khuyenhoc_desktop.domain.import_values import BadValue, cell_text, name_reader, parse_birth_year
from khuyenhoc_desktop.domain.text import fold
from khuyenhoc_desktop.services.changes import Recorder, Row, new_row
from khuyenhoc_desktop.services.spreadsheet_import import (
    SEX_OPTIONS,
    ImportKind,
    Options,
    Outcome,
    Plan,
    PreviewRow,
    Settings,
    compatible,
    hamlet_options,
    option_reader,
)
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.migrations import household_search_text
from khuyenhoc_desktop.storage.tables import Household, Member, utc_now


def read_code(value: Any) -> str:
    code = cell_text(value).upper()
    if len(code) > MAX_CODE_LENGTH:
        raise BadValue(f"mã hộ «{code}» dài quá {MAX_CODE_LENGTH} ký tự")
    return code


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


@dataclass(frozen=True)
class RegisteredHousehold:
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


_REGISTERED_SQL = """
SELECT h.id, h.code, h.hamlet_id, h.address, h.phone, h.note,
       head.id, coalesce(head.full_name, ''), head.birth_year, coalesce(head.sex, 'nam')
FROM household h
LEFT JOIN member head ON head.household_id = h.id AND head.relation = 'chu_ho' AND head.deleted_at IS NULL
WHERE h.deleted_at IS NULL
ORDER BY h.code
"""


def registered_households(session: Session) -> list[RegisteredHousehold]:
    """Every live household with its head, in code order: what a list's rows are matched against."""
    return [RegisteredHousehold(*row) for row in session.execute(text(_REGISTERED_SQL)).all()]


class HouseholdIndex:
    """The register's households by code and by their head's folded name in a hamlet: how a list's rows find them."""

    def __init__(self, households: Sequence[RegisteredHousehold]) -> None:
        self.by_code = {h.code: h for h in households}
        self.by_head: dict[tuple[str, str], list[RegisteredHousehold]] = {}
        for h in households:
            self.by_head.setdefault((fold(h.head_name), h.hamlet_id), []).append(h)

    def other_code(self, code: str, head_name: str, hamlet_id: str, birth_year: int | None) -> str | None:
        """Why a row must not add household `code`: the register has its head (same name, hamlet, and birth year
        when both give one) under another code. Adding it would list the family twice; the officer decides."""
        twins = [
            h for h in self.by_head.get((fold(head_name), hamlet_id), []) if compatible(birth_year, h.head_birth_year)
        ]
        if code in self.by_code or not twins:
            return None
        codes = ", ".join(h.code for h in twins)
        return (
            f"sổ đã có hộ chủ hộ «{head_name}» cùng ấp, mã {codes}, không phải «{code}»: sửa mã trong tệp cho "
            "đúng (hoặc xóa ô mã) để cập nhật hộ đó, không thêm hộ trùng"
        )


def _changed(row: PreviewRow, current: RegisteredHousehold) -> bool:
    """A blank code or sex keeps what the register has, so it is no change."""
    return any(
        current.value(field) != value
        for field, value in row.values.items()
        if value or field not in ("code", "head_sex")
    )


def free_codes(all_codes: Sequence[str], rows: Sequence[PreviewRow]) -> Iterator[str]:
    """Codes for the households the sheet gives none, numbered on as the register numbers them."""
    codes = [*all_codes, *(str(r.values.get("code", "")) for r in rows)]
    return (f"{n:05d}" for n in itertools.count(max((int(c) for c in codes if c.isdigit()), default=0) + 1))


class HouseholdsKind(ImportKind):
    key = "households"
    title = "Danh sách hộ gia đình"
    noun = "hộ"
    field_labels: ClassVar[dict[str, str]] = {
        "code": "Mã hộ",
        "head_name": "Họ tên chủ hộ",
        "hamlet": "Ấp (thôn, khu phố)",
        "address": "Địa chỉ",
        "phone": "Điện thoại",
        "note": "Ghi chú",
        "head_birth_year": "Năm sinh chủ hộ",
        "head_sex": "Giới tính chủ hộ",
    }
    aliases: ClassVar[dict[str, tuple[str, ...]]] = {
        "head_name": ("ho ten chu ho", "ho va ten chu ho", "chu ho", "ten chu ho", "ho ten", "ho va ten", "ten"),
        "code": ("ma ho", "ma so ho", "ma ho gia dinh", "so ho", "ma"),
        "head_birth_year": (
            "nam sinh", "ngay sinh", "ngay thang nam sinh", "nam sinh chu ho", "ngay sinh chu ho", "ns",
        ),
        "head_sex": ("gioi tinh", "gioi", "nam nu", "phai", "gioi tinh chu ho"),
        "hamlet": ("ap", "thon", "ap thon", "thon ap", "khu pho", "ap khu pho", "thon xom", "to dan pho", "xom"),
        "address": ("dia chi", "so nha", "dia chi nha", "noi o", "cho o"),
        "phone": ("dien thoai", "so dien thoai", "sdt", "dt", "so dt", "dtdd"),
        "note": ("ghi chu", "ghi chu khac"),
    }  # fmt: skip
    required = ("head_name", "hamlet")
    backup_reason = "truoc-nhap-ho"

    def options(self, workspace: Workspace) -> dict[str, Options]:
        return {"hamlet": hamlet_options(workspace), "head_sex": SEX_OPTIONS}

    def converters(self, workspace: Workspace, settings: Settings) -> dict[str, Callable[[Any], Any]]:
        options = self.options(workspace)
        return {
            "code": read_code,
            "head_name": name_reader("chưa có họ tên chủ hộ"),
            "address": cell_text,
            "phone": _phone,
            "note": cell_text,
            "head_birth_year": parse_birth_year,
            "head_sex": option_reader(options["head_sex"], settings.values.get("head_sex", {})),
            "hamlet": option_reader(options["hamlet"], settings.values.get("hamlet", {}), "chưa có ấp của hộ"),
        }

    def plan(self, workspace: Workspace, rows: list[PreviewRow]) -> Plan:
        """Tie each row to the household it updates: by code, or (no code in the row) by the head's folded name
        in the same hamlet; refuse two rows for one household."""
        with session_scope(workspace.engine) as session:
            existing = registered_households(session)
            all_codes = list(session.exec(select(Household.code)).all())
        index = HouseholdIndex(existing)
        seen: dict[object, int] = {}
        for row in rows:
            if row.outcome == Outcome.PROBLEM:
                continue
            values = row.values
            code = values.get("code", "")
            key = (fold(values["head_name"]), values["hamlet"])
            twin = code and index.other_code(code, values["head_name"], values["hamlet"], values.get("head_birth_year"))
            if twin:
                row.refuse(twin, on_field="code")
                continue
            same = [index.by_code[code]] if code in index.by_code else [] if code else index.by_head.get(key, [])
            year = values.get("head_birth_year")
            if len(same) > 1 and year is not None:  # namesakes in one hamlet, told apart by the head's birth year
                same = [e for e in same if e.head_birth_year == year]
            if len(same) > 1:
                codes = ", ".join(e.code for e in same)
                row.refuse(
                    f"sổ đã có {len(same)} hộ chủ hộ «{row.values['head_name']}» cùng ấp ({codes}); "
                    "hãy thêm cột mã hộ hoặc năm sinh chủ hộ để biết cập nhật hộ nào"
                )
                continue
            match = same[0] if same else None
            who: object = match.id if match else (f"code:{code}" if code else key)
            if who in seen:
                row.refuse(f"trùng hộ với dòng {seen[who]} (chủ hộ «{row.values['head_name']}»)")
                continue
            seen[who] = row.number
            if match is not None:
                row.target, row.matched = match.id, f"Hộ {match.code} — {match.head_name}"
                row.outcome = Outcome.UPDATE if _changed(row, match) else Outcome.SAME

        def write(change: Recorder, todo: list[PreviewRow]) -> None:
            _write(change, todo, free_codes(all_codes, rows), {e.id: e.head_id for e in existing})

        return Plan(rows, write)

    def template_rows(self, workspace: Workspace) -> list[dict[str, Any]]:
        hamlets = {h: name for name, h in hamlet_options(workspace).codes.items()}
        with session_scope(workspace.engine) as session:
            existing = registered_households(session)
        return [
            {
                "code": e.code,
                "head_name": e.head_name,
                "hamlet": hamlets.get(e.hamlet_id, ""),
                "address": e.address,
                "phone": e.phone,
                "note": e.note,
                "head_birth_year": e.head_birth_year,
                "head_sex": SEX_LABELS.get(e.head_sex, ""),
            }
            for e in existing
        ]


HOUSEHOLDS = HouseholdsKind()


def _differs(before: Row, after: Row) -> bool:
    return any(after[k] != v for k, v in before.items() if k != "updated_at")


def new_household_row(
    code: str, hamlet_id: str, head_name: str, address: str = "", phone: str = "", note: str = ""
) -> Row:
    """A household for `Recorder.add_many`, found by its head's name as the register finds it."""
    return new_row(
        Household,
        code=code,
        hamlet_id=hamlet_id,
        address=address,
        phone=phone,
        note=note,
        search_key=household_search_text(code, head_name, address, phone, note),
    )


def _write(change: Recorder, todo: list[PreviewRow], codes: Iterator[str], head_ids: dict[str, str | None]) -> None:
    """New households and their heads in two batches, then the updated ones and their heads in two more."""
    created = [r for r in todo if r.target is None]
    updates = [r for r in todo if r.target is not None]
    new_households: list[Row] = []
    new_heads: list[Row] = []
    for row in created:
        values = row.values
        code = values.get("code") or next(codes)
        head_name = values["head_name"]
        address, phone, note = (values.get(k, "") for k in ("address", "phone", "note"))
        household = new_household_row(code, values["hamlet"], head_name, address, phone, note)
        new_households.append(household)
        new_heads.append(
            new_row(
                Member,
                household_id=household["id"],
                birth_year=values.get("head_birth_year"),
                sex=values.get("head_sex") or Sex.MALE,
                relation=Relation.HEAD,
                **name_fields(head_name),
            )
        )
    change.add_many(Household, new_households)
    change.add_many(Member, new_heads)
    households = change.current_rows(Household, [str(r.target) for r in updates])
    heads = change.current_rows(Member, [h for r in updates if (h := head_ids[str(r.target)])])
    now = utc_now()
    changed_households: list[tuple[Row, Row]] = []
    changed_heads: list[tuple[Row, Row]] = []
    missing_heads: list[Row] = []
    for row in updates:
        values = row.values
        before = households[str(row.target)]
        household = {**before, "updated_at": now, **{f: values[f] for f in ("address", "phone", "note") if f in values}}
        if values.get("code"):
            household["code"] = values["code"]
        if "hamlet" in values:
            household["hamlet_id"] = values["hamlet"]
        head_before = heads.get(head_ids[str(row.target)] or "")
        head = dict(head_before) if head_before else new_row(Member, household_id=before["id"], relation=Relation.HEAD)
        if head.get("full_name") != values["head_name"]:  # its sort key is worth computing only for a new name
            head.update(name_fields(values["head_name"]))
        head["updated_at"] = now
        if "head_birth_year" in values:
            head["birth_year"] = values["head_birth_year"]
        if values.get("head_sex"):
            head["sex"] = values["head_sex"]
        household["search_key"] = household_search_text(
            household["code"], head["full_name"], household["address"], household["phone"], household["note"]
        )
        if _differs(before, household):
            changed_households.append((before, household))
        if head_before is None:
            missing_heads.append(head)
        elif _differs(head_before, head):  # a new address leaves the head's row as it was
            changed_heads.append((head_before, head))
    change.update_many(Household, changed_households)
    change.update_many(Member, changed_heads)
    change.add_many(Member, missing_heads)
