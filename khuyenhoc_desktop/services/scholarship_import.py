"""Importing the award lists (học bổng, phần thưởng) a commune already keeps in its own spreadsheet.

One row per award to one pupil: the pupil's name, and as the officer's sheet has them the birth year, hamlet,
household code, school, class, category, kind, value, sponsor, date awarded, school year and a note. A row naming
an award the register holds (same pupil, date and category; birth year and hamlet too when both sides have one)
updates it rather than adding a second one. The pupil is tied to a household member when the household code
names one by that name, or when exactly one member of that name, birth year and hamlet is in the register; else
the award stands on the typed name, as a form-entered one may.

Imported awards are history: they are never posted to the fund ledger (no payment voucher is written), and an
award already paid out of the fund keeps its voucher untouched, so its value cannot be changed from a sheet.
A blank cell keeps what the register has; on a new award a blank category is "Khác", a blank kind cash and a
blank school year the one under way on the date. The steps every list shares are services/spreadsheet_import.py's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import text

from khuyenhoc_desktop.domain.awards import (
    AWARD_CATEGORY_LABELS,
    AWARD_FIELD_LABELS,
    AWARD_KIND_LABELS,
    AwardCategory,
    AwardInput,
    AwardKind,
    award_search_text,
    clean_award,
    clean_school_year,
    default_school_year,
    split_school,
)
from khuyenhoc_desktop.domain.dates import a_year_after, check_day
from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.import_values import (
    BadValue,
    cell_text,
    name_reader,
    parse_birth_year,
    parse_day,
    parse_money,
    parse_yes,
)
from khuyenhoc_desktop.domain.text import fold, format_date, format_vnd, name_sort_key
from khuyenhoc_desktop.services.awards import list_awards
from khuyenhoc_desktop.services.changes import Recorder, new_row
from khuyenhoc_desktop.services.spreadsheet_import import (
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
from khuyenhoc_desktop.storage.tables import Award, utc_now

_RECORD = "Suất học bổng, quà"  # the domain's checks name a record; a cell's problem is placed by row and column

CATEGORY_OPTIONS = Options(
    "diện",
    {label: code for code, label in AWARD_CATEGORY_LABELS.items()},
    {
        "HCKK": "Hoàn cảnh khó khăn", "Khó khăn": "Hoàn cảnh khó khăn", "Hộ nghèo": "Hoàn cảnh khó khăn",
        "Nghèo": "Hoàn cảnh khó khăn", "HS nghèo": "Hoàn cảnh khó khăn", "Học sinh nghèo": "Hoàn cảnh khó khăn",
        "Mồ côi": "Hoàn cảnh khó khăn", "Vượt khó": "Vượt khó học giỏi", "Nghèo vượt khó": "Vượt khó học giỏi",
        "HS nghèo vượt khó": "Vượt khó học giỏi", "Học sinh nghèo vượt khó": "Vượt khó học giỏi",
        "Vượt khó học tốt": "Vượt khó học giỏi", "HSG": "Học sinh giỏi", "Giỏi": "Học sinh giỏi",
        "Học giỏi": "Học sinh giỏi", "Thủ khoa": "Học sinh giỏi", "Xuất sắc": "Học sinh giỏi",
        "HS xuất sắc": "Học sinh giỏi", "Học sinh xuất sắc": "Học sinh giỏi", "Có nguy cơ bỏ học": "Nguy cơ bỏ học",
        "Bỏ học": "Nguy cơ bỏ học",
    },
)  # fmt: skip

KIND_OPTIONS = Options(
    "hình thức",
    {label: code for code, label in AWARD_KIND_LABELS.items()},
    {
        "TM": "Tiền mặt", "Tiền": "Tiền mặt", "Chuyển khoản": "Tiền mặt", "Sổ tiết kiệm": "Tiền mặt",
        "Xe": "Xe đạp", "Vở": "Tập vở", "Tập": "Tập vở", "Sách vở": "Tập vở", "Cặp": "Cặp sách", "Ba lô": "Cặp sách",
        "Balo": "Cặp sách", "Áo quần": "Quần áo", "Đồng phục": "Quần áo", "Hiện vật": "Hiện vật khác",
        "Quà": "Hiện vật khác", "Quà tặng": "Hiện vật khác",
    },
)  # fmt: skip


@contextmanager
def _as_cell_problem() -> Iterator[None]:
    """The domain's own checks, their message read after "Dòng N, cột «…»: "."""
    try:
        yield
    except ValidationError as error:
        raise BadValue(error.message.rstrip(".")) from None


def _value(value: Any) -> int:
    amount = parse_money(value)
    if amount is None:
        raise BadValue("chưa có giá trị suất (số đồng; hiện vật thì ghi giá trị ước tính)")
    return amount


def _awarded_on(value: Any) -> date:
    day = parse_day(value)
    if day is None:
        raise BadValue("chưa có ngày trao")
    with _as_cell_problem():
        check_day(day, a_year_after(date.today()), _RECORD, "awarded_on", AWARD_FIELD_LABELS["awarded_on"])
    return day


def _school_year(value: Any) -> str:
    """Its shape here; how far it is from the award's own date, with the rest of the award."""
    typed = cell_text(value)
    if not typed:
        return ""
    with _as_cell_problem():
        school_year = clean_school_year(typed, a_year_after(date.today()), _RECORD, AWARD_FIELD_LABELS["school_year"])
    return school_year


@dataclass(frozen=True)
class _Household:
    id: str
    hamlet_id: str


def _live_households(workspace: Workspace) -> dict[str, _Household]:
    with session_scope(workspace.engine) as session:
        found = session.execute(text("SELECT id, code, hamlet_id FROM household WHERE deleted_at IS NULL")).all()
    return {code: _Household(id_, hamlet) for id_, code, hamlet in found}


def _household_reader(households: dict[str, _Household]) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        code = cell_text(value).upper()
        if code and code not in households:
            raise BadValue(f"sổ hộ không có hộ mã «{code}»; để trống nếu học sinh chưa có trong sổ hộ")
        return code

    return read


@dataclass(frozen=True)
class _Member:
    id: str
    household_id: str
    hamlet_id: str
    full_name: str
    name_key: str
    birth_year: int | None
    school: str


_MEMBERS_SQL = """
SELECT m.id, m.household_id, h.hamlet_id, m.full_name, m.name_key, m.birth_year, m.school
FROM member m JOIN household h ON h.id = m.household_id
WHERE m.deleted_at IS NULL AND h.deleted_at IS NULL
"""


@dataclass(frozen=True)
class _Fields:
    """What an award says, as the import compares and writes it."""

    pupil_name: str
    birth_year: int | None
    member_id: str | None
    household_id: str | None
    hamlet_id: str | None
    school: str
    grade: str
    category: str
    kind: str
    value_vnd: int
    sponsor: str
    school_year: str
    awarded_on: str  # ISO date
    recurring: bool
    note: str


_FIELD_NAMES = tuple(f.name for f in fields(_Fields))


@dataclass(frozen=True)
class _Existing:
    id: str
    ledger_entry_id: str | None
    voucher_no: str
    award: _Fields


_EXISTING_SQL = f"""
SELECT a.id, a.name_key, a.ledger_entry_id, coalesce(l.voucher_no, ''), {", ".join(f"a.{n}" for n in _FIELD_NAMES)}
FROM award a LEFT JOIN ledger_entry l ON l.id = a.ledger_entry_id AND l.deleted_at IS NULL
WHERE a.deleted_at IS NULL
"""


class _Planner:
    """Ties each row to the award it updates and the member it names, and works out the award it writes."""

    def __init__(self, workspace: Workspace) -> None:
        with session_scope(workspace.engine) as session:
            existing = session.execute(text(_EXISTING_SQL)).all()
            members = [_Member(*row) for row in session.execute(text(_MEMBERS_SQL)).all()]
        self.hamlets = {h: name for name, h in hamlet_options(workspace).codes.items()}
        self.households = _live_households(workspace)
        self.awards: dict[tuple[str, str], list[_Existing]] = {}
        for id_, key, entry_id, voucher, *values in existing:
            award = _Existing(id_, entry_id, voucher, _Fields(*values))
            self.awards.setdefault((key, award.award.awarded_on), []).append(award)
        self.members = {m.id: m for m in members}
        self.by_household: dict[str, list[_Member]] = {}
        self.by_pupil: dict[tuple[str, int | None, str], list[_Member]] = {}
        for m in members:
            self.by_household.setdefault(m.household_id, []).append(m)
            self.by_pupil.setdefault((m.name_key, m.birth_year, m.hamlet_id), []).append(m)
        self.written: dict[int, _Fields] = {}  # row number → the award it writes
        self.claimed: dict[str, int] = {}  # award id → the row naming it with its own category

    def existing(self, values: dict[str, Any]) -> list[_Existing]:
        """The pupil's awards of that day (birth year and hamlet agreeing when both sides give one); the category,
        then the kind, only choose among several, so that a row correcting an award's category updates it."""
        birth_year, hamlet = values.get("birth_year"), values.get("hamlet")
        found = [
            e
            for e in self.awards.get((fold(values["pupil_name"]), values["awarded_on"].isoformat()), [])
            if compatible(birth_year, e.award.birth_year) and compatible(hamlet or None, e.award.hamlet_id)
        ]
        for name in ("category", "kind"):
            narrowed = [e for e in found if values.get(name) and getattr(e.award, name) == values[name]]
            if len(found) > 1 and narrowed:
                found = narrowed
        return found

    def member(self, values: dict[str, Any], match: _Existing | None) -> _Member | None:
        """The household member the row names (raising BadValue when its household has none by that name), the
        matched award's own member when the row does not say another, else None: a typed pupil."""
        code, name = values.get("household_code"), values["pupil_name"]
        birth_year, hamlet = values.get("birth_year"), values.get("hamlet")
        kept = self.members.get(match.award.member_id or "") if match is not None else None
        if not code:
            if kept is not None:
                return kept
            same = self.by_pupil.get((fold(name), birth_year, hamlet), []) if birth_year and hamlet else []
            return same[0] if len(same) == 1 else None
        household = self.households[code]
        if hamlet and hamlet != household.hamlet_id:
            where = self.hamlets.get(household.hamlet_id, "")
            raise BadValue(f"hộ {code} ở {where}, không phải {self.hamlets.get(hamlet, '')}")
        if kept is not None and kept.household_id == household.id:
            return kept
        same = [
            m
            for m in self.by_household.get(household.id, [])
            if m.name_key == fold(name) and compatible(birth_year, m.birth_year)
        ]
        if len(same) != 1:
            born = f" sinh năm {birth_year}" if birth_year else ""
            what = "không có ai" if not same else f"có {len(same)} người"
            raise BadValue(f"hộ {code} {what} tên «{name}»{born} trong sổ hộ")
        return same[0]

    def award(self, values: dict[str, Any], match: _Existing | None, member: _Member | None) -> _Fields:
        """The award the row writes: the register's award with the row's filled cells over it, checked by the
        domain's rules (raising ValidationError); a new one starts from the defaults."""
        day: date = values["awarded_on"]
        given = {name: v for name, v in values.items() if v not in ("", None)}
        base: dict[str, Any] = (
            match.award.__dict__
            if match is not None
            else {"category": AwardCategory.OTHER, "kind": AwardKind.CASH, "school_year": default_school_year(day)}
        )
        school, grade = split_school(member.school) if member is not None and match is None else ("", "")
        data = AwardInput(
            pupil_name=member.full_name if member is not None else given["pupil_name"],
            category=given.get("category", base["category"]),
            kind=given.get("kind", base["kind"]),
            value_vnd=given["value_vnd"],
            awarded_on=day,
            member_id=member.id if member is not None else None,
            birth_year=member.birth_year if member is not None else given.get("birth_year", base.get("birth_year")),
            school=given.get("school", base.get("school", school)),
            grade=given.get("grade", base.get("grade", grade)),
            sponsor=given.get("sponsor", base.get("sponsor", "")),
            school_year=given.get("school_year", base["school_year"]),
            recurring=given.get("recurring", bool(base.get("recurring", False))),
            note=given.get("note", base.get("note", "")),
        )
        clean = clean_award(data, date.today())
        link: tuple[str | None, str | None, str | None]  # member, household, hamlet
        if member is not None:
            link = member.id, member.household_id, member.hamlet_id
        elif match is not None and match.award.member_id is not None:  # its member gone from the register
            link = match.award.member_id, match.award.household_id, match.award.hamlet_id
        else:
            link = None, None, given.get("hamlet", base.get("hamlet_id"))
        return _Fields(
            pupil_name=clean.pupil_name,
            birth_year=clean.birth_year,
            member_id=link[0],
            household_id=link[1],
            hamlet_id=link[2],
            school=clean.school,
            grade=clean.grade,
            category=clean.category,
            kind=clean.kind,
            value_vnd=clean.value_vnd,
            sponsor=clean.sponsor,
            school_year=clean.school_year,
            awarded_on=clean.awarded_on.isoformat(),
            recurring=bool(clean.recurring),
            note=clean.note,
        )

    def plan(self, rows: list[PreviewRow]) -> None:
        """An award named with its own category is claimed by that row first; a row correcting a category then
        takes the pupil's award of the day that no other row claims, and a second award of the day stays new."""
        live = [r for r in rows if r.outcome != Outcome.PROBLEM]
        for row in live:
            exact = [e for e in self.existing(row.values) if e.award.category == row.values.get("category")]
            if len(exact) == 1:
                self.claimed.setdefault(exact[0].id, row.number)
        seen: dict[object, int] = {}
        for row in live:
            self._plan_row(row, seen)

    def _plan_row(self, row: PreviewRow, seen: dict[object, int]) -> None:
        values = row.values
        day = format_date(values["awarded_on"])
        same = [e for e in self.existing(values) if self.claimed.get(e.id, row.number) == row.number]
        if len(same) > 1:
            row.refuse(
                f"sổ đã có {len(same)} suất của «{values['pupil_name']}» ngày {day}; "
                "hãy thêm cột diện, năm sinh hoặc ấp để biết cập nhật suất nào"
            )
            return
        match = same[0] if same else None
        try:
            award = self.award(values, match, self.member(values, match))
        except BadValue as problem:
            row.refuse(str(problem))
            return
        except ValidationError as error:
            where = "" if error.field in row.columns else f"ô «{error.field_label}»: "
            row.refuse(where + error.message.rstrip("."), on_field=error.field)
            return
        who: object = match.id if match else (fold(award.pupil_name), award.birth_year, award.awarded_on,
                                               award.category, award.hamlet_id)  # fmt: skip
        if who in seen:
            row.refuse(f"trùng với dòng {seen[who]} (suất của «{award.pupil_name}» ngày {day})")
            return
        seen[who] = row.number
        if match is not None and match.ledger_entry_id and award.value_vnd != match.award.value_vnd:
            voucher = f" (phiếu chi {match.voucher_no})" if match.voucher_no else ""
            row.refuse(
                f"suất này đã chi từ quỹ{voucher} với giá trị {format_vnd(match.award.value_vnd)}; "
                "sửa giá trị trong sổ học bổng"
            )
            return
        self.written[row.number] = award
        if match is not None:
            row.target = match.id
            kind = AWARD_KIND_LABELS.get(match.award.kind, match.award.kind).lower()
            row.matched = f"Suất {kind} {format_vnd(match.award.value_vnd)} của {match.award.pupil_name} ngày {day}"
            row.outcome = Outcome.SAME if award == match.award else Outcome.UPDATE

    def write(self, change: Recorder, todo: list[PreviewRow]) -> None:
        """New awards in one batch, updated ones in another; none posts a payment to the ledger."""
        change.add_many(
            Award,
            [
                new_row(Award, **self.written[r.number].__dict__, **_keys(self.written[r.number]))
                for r in todo
                if r.target is None
            ],
        )
        updates = {str(r.target): self.written[r.number] for r in todo if r.target is not None}
        current = change.current_rows(Award, list(updates))
        now = utc_now()
        change.update_many(
            Award,
            [
                (current[award_id], {**current[award_id], **fields.__dict__, **_keys(fields), "updated_at": now})
                for award_id, fields in updates.items()
            ],
        )


def _keys(award: _Fields) -> dict[str, str]:
    """The stored keys awards are found and sorted by, as services/awards.py keeps them."""
    return {
        "name_key": fold(award.pupil_name),
        "name_sort": name_sort_key(award.pupil_name),
        "search_key": award_search_text(
            award.pupil_name, award.school, award.grade, award.category, award.kind, award.sponsor, award.note
        ),
    }


class ScholarshipsKind(ImportKind):
    key = "scholarships"
    title = "Danh sách học bổng, phần thưởng"
    noun = "suất"
    field_labels: ClassVar[dict[str, str]] = {
        "pupil_name": AWARD_FIELD_LABELS["pupil_name"],
        "birth_year": AWARD_FIELD_LABELS["birth_year"],
        "hamlet": "Ấp (thôn, khu phố)",
        "household_code": "Mã hộ",
        "school": AWARD_FIELD_LABELS["school"],
        "grade": AWARD_FIELD_LABELS["grade"],
        "category": AWARD_FIELD_LABELS["category"],
        "kind": AWARD_FIELD_LABELS["kind"],
        "value_vnd": AWARD_FIELD_LABELS["value_vnd"],
        "sponsor": AWARD_FIELD_LABELS["sponsor"],
        "awarded_on": AWARD_FIELD_LABELS["awarded_on"],
        "school_year": AWARD_FIELD_LABELS["school_year"],
        "recurring": AWARD_FIELD_LABELS["recurring"],
        "note": AWARD_FIELD_LABELS["note"],
    }
    aliases: ClassVar[dict[str, tuple[str, ...]]] = {
        "pupil_name": (
            "ho ten hoc sinh", "ho va ten hoc sinh", "ten hoc sinh", "hoc sinh", "ho ten hs", "ho va ten hs",
            "ho ten em", "nguoi nhan", "ho ten nguoi nhan", "ho ten", "ho va ten", "ten",
        ),
        "birth_year": ("nam sinh", "ngay sinh", "ngay thang nam sinh", "ns", "nam sinh hoc sinh"),
        "hamlet": ("ap", "thon", "ap thon", "thon ap", "khu pho", "ap khu pho", "thon xom", "to dan pho", "xom"),
        "household_code": ("ma ho", "ma so ho", "ma ho gia dinh", "so ho"),
        "school": ("truong", "truong hoc", "ten truong", "hoc tai truong", "hoc truong"),
        "grade": ("lop", "hoc lop", "lop hoc", "khoi lop"),
        "category": (
            "dien", "doi tuong", "dien doi tuong", "dien hoc bong", "loai hoc bong", "dien nhan", "thanh tich",
            "loai",
        ),
        "kind": ("hinh thuc", "hinh thuc trao", "hinh thuc ho tro", "loai qua", "tien mat hien vat"),
        "value_vnd": (
            "gia tri", "so tien", "gia tri vnd", "so tien dong", "so tien vnd", "thanh tien", "tri gia",
            "muc hoc bong", "gia tri suat", "muc ho tro", "tien",
        ),
        "sponsor": (
            "nha tai tro", "don vi trao", "don vi tai tro", "nguon", "nguon kinh phi", "tai tro", "don vi",
            "nguoi trao",
        ),
        "awarded_on": ("ngay trao", "ngay nhan", "ngay trao tang", "thoi gian trao", "ngay cap", "ngay phat", "ngay"),
        "school_year": ("nam hoc",),
        "recurring": ("hang nam", "trao hang nam", "hoc bong hang nam", "dinh ky", "thuong xuyen", "lap lai"),
        "note": ("ghi chu", "ghi chu khac"),
    }  # fmt: skip
    required = ("pupil_name", "value_vnd", "awarded_on")
    backup_reason = "truoc-nhap-hoc-bong"

    def options(self, workspace: Workspace) -> dict[str, Options]:
        return {"hamlet": hamlet_options(workspace), "category": CATEGORY_OPTIONS, "kind": KIND_OPTIONS}

    def converters(self, workspace: Workspace, settings: Settings) -> dict[str, Callable[[Any], Any]]:
        options = self.options(workspace)
        chosen = settings.values
        return {
            "pupil_name": name_reader("chưa có họ tên học sinh"),
            "birth_year": parse_birth_year,
            "hamlet": option_reader(options["hamlet"], chosen.get("hamlet", {})),
            "household_code": _household_reader(_live_households(workspace)),
            "school": cell_text,
            "grade": cell_text,
            "category": option_reader(options["category"], chosen.get("category", {})),
            "kind": option_reader(options["kind"], chosen.get("kind", {})),
            "value_vnd": _value,
            "sponsor": cell_text,
            "awarded_on": _awarded_on,
            "school_year": _school_year,
            "recurring": parse_yes,
            "note": cell_text,
        }

    def plan(self, workspace: Workspace, rows: list[PreviewRow]) -> Plan:
        """Tie each row to the award it updates (refusing two rows for one award) and the member it names."""
        planner = _Planner(workspace)
        planner.plan(rows)
        return Plan(rows, planner.write)

    def template_rows(self, workspace: Workspace) -> list[dict[str, Any]]:
        return [
            {
                "pupil_name": a.pupil_name,
                "birth_year": a.birth_year,
                "hamlet": a.hamlet_name,
                "household_code": a.household_code if a.member_id else "",
                "school": a.school,
                "grade": a.grade,
                "category": a.category_label,
                "kind": a.kind_label,
                "value_vnd": a.value_vnd,
                "sponsor": a.sponsor,
                "awarded_on": a.awarded_on,
                "school_year": a.school_year,
                "recurring": "x" if a.recurring else "",
                "note": a.note,
            }
            for a in list_awards(workspace)
        ]


SCHOLARSHIPS = ScholarshipsKind()
