"""Importing the list of household members a commune keeps in its own spreadsheet.

One row per person: the name, and as the officer's sheet has them the birth year, sex, relation to the head,
school and learning status, with the household the person belongs to, by its code or by the head's name in its
hamlet. A row naming someone already in the register (the same folded name and birth year in that household)
updates them rather than adding a second one. A household the register lacks is added only when the sheet also
has its head's row with a hamlet: an unknown code in a members list is more often a typo than a new household,
and the households list is where households are first written down. The steps every list shares (sheet, columns,
preview, commit) are services/spreadsheet_import.py's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import text
from sqlmodel import select

from khuyenhoc_desktop.domain.household import (
    LEARNING_STATUS_LABELS,
    RELATION_LABELS,
    SEX_LABELS,
    LearningStatus,
    Relation,
    Sex,
    name_fields,
)
from khuyenhoc_desktop.domain.import_values import cell_text, name_reader, parse_birth_year, words
from khuyenhoc_desktop.domain.text import fold, nfc
from khuyenhoc_desktop.services.changes import Recorder, Row, new_row
from khuyenhoc_desktop.services.household_import import (
    HouseholdIndex,
    HouseholdsKind,
    RegisteredHousehold,
    free_codes,
    new_household_row,
    read_code,
    registered_households,
)
from khuyenhoc_desktop.services.households import MemberRow
from khuyenhoc_desktop.services.spreadsheet_import import (
    SEX_OPTIONS,
    ImportKind,
    Options,
    Outcome,
    Plan,
    PreviewRow,
    Settings,
    hamlet_options,
    option_reader,
)
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.migrations import household_search_text
from khuyenhoc_desktop.storage.tables import Household, Member, utc_now

_MEMBER_FIELDS = ("full_name", "birth_year", "sex", "relation", "school", "learning_status")
_KEPT_WHEN_BLANK = ("birth_year", "sex", "relation", "learning_status")

_RELATION_SPELLINGS = {
    "CH": "Chủ hộ",
    "Vợ": "Vợ/Chồng", "Chồng": "Vợ/Chồng",
    "Con trai": "Con", "Con gái": "Con", "Con đẻ": "Con", "Con ruột": "Con", "Con nuôi": "Con",
    "Con dâu": "Con dâu/Con rể", "Con rể": "Con dâu/Con rể", "Dâu": "Con dâu/Con rể", "Rể": "Con dâu/Con rể",
    "Cháu nội": "Cháu", "Cháu ngoại": "Cháu", "Cháu trai": "Cháu", "Cháu gái": "Cháu",
    "Cha": "Cha/Mẹ", "Mẹ": "Cha/Mẹ", "Bố": "Cha/Mẹ", "Má": "Cha/Mẹ",
    "Ông": "Ông/Bà", "Bà": "Ông/Bà", "Ông nội": "Ông/Bà", "Bà nội": "Ông/Bà", "Ông ngoại": "Ông/Bà",
    "Bà ngoại": "Ông/Bà",
    "Anh": "Anh/Chị/Em", "Chị": "Anh/Chị/Em", "Em": "Anh/Chị/Em", "Anh trai": "Anh/Chị/Em",
    "Chị gái": "Anh/Chị/Em", "Em trai": "Anh/Chị/Em", "Em gái": "Anh/Chị/Em",
    "Chú": "Khác", "Bác": "Khác", "Cô": "Khác", "Dì": "Khác", "Cậu": "Khác", "Mợ": "Khác", "Thím": "Khác",
}  # fmt: skip

# Without its tone "ba" is both "Bà" (grandmother) and, in the South, "Ba" (father): the tone is kept for it, so
# "Bà" is read and a bare "ba" is left for the officer to say.
_TONE_DECIDES = frozenset({"ba"})


def _relation_key(typed: str) -> str:
    folded = words(typed)
    return nfc(typed).strip().lower() if folded in _TONE_DECIDES else folded


_STATUS_SPELLINGS = {
    LearningStatus.PRESCHOOL_AGE: ("Chưa đi học", "Chưa đến tuổi"),
    LearningStatus.KINDERGARTEN: ("Mầm non", "Mẫu giáo", "Nhà trẻ", "MN", "MG"),
    LearningStatus.PRIMARY: ("Tiểu học", "Cấp 1", "Cấp I", "TH"),
    LearningStatus.LOWER_SECONDARY: ("THCS", "Trung học cơ sở", "Cấp 2", "Cấp II"),
    LearningStatus.UPPER_SECONDARY: ("THPT", "Trung học phổ thông", "Cấp 3", "Cấp III"),
    LearningStatus.VOCATIONAL: ("Học nghề", "Trung cấp", "Trung cấp nghề", "Sơ cấp nghề"),
    LearningStatus.HIGHER: ("Cao đẳng", "Đại học", "CĐ", "ĐH", "Sinh viên", "Đại học, cao đẳng"),
    LearningStatus.DROPOUT_RISK: ("Nguy cơ bỏ học",),
    LearningStatus.DROPPED_OUT: ("Bỏ học", "Nghỉ học", "Đã nghỉ học"),
    LearningStatus.ADULT_LEARNING: ("Học tập suốt đời",),
    LearningStatus.NOT_STUDYING: ("Không", "Không học"),
}

RELATION_OPTIONS = Options(
    "quan hệ với chủ hộ",
    {label: code for code, label in RELATION_LABELS.items()},
    _RELATION_SPELLINGS,
    _relation_key,
    unsure=_TONE_DECIDES,  # "Ba": a father in the South, or "Bà" typed without its tone: the officer says which
)
STATUS_OPTIONS = Options(
    "tình trạng học tập",
    {label: code for code, label in LEARNING_STATUS_LABELS.items()},
    {typed: LEARNING_STATUS_LABELS[code] for code, spellings in _STATUS_SPELLINGS.items() for typed in spellings},
)


_PEOPLE_SQL = """
SELECT m.id, m.household_id, m.full_name, m.birth_year, m.sex, m.relation, m.school, m.learning_status, m.name_sort
FROM member m JOIN household h ON h.id = m.household_id
WHERE m.deleted_at IS NULL AND h.deleted_at IS NULL
"""
_LAST_POSITION_SQL = "SELECT household_id, max(position) FROM member GROUP BY household_id"
_TEMPLATE_SQL = """
SELECT h.code, coalesce(head.full_name, ''), h.hamlet_id, m.full_name, m.birth_year, m.sex, m.relation, m.school,
       m.learning_status
FROM member m
JOIN household h ON h.id = m.household_id
LEFT JOIN member head ON head.household_id = h.id AND head.relation = 'chu_ho' AND head.deleted_at IS NULL
WHERE m.deleted_at IS NULL AND h.deleted_at IS NULL
ORDER BY h.code, m.relation != 'chu_ho', m.position, m.created_at
"""


def _given(values: dict[str, Any]) -> dict[str, Any]:
    """The member fields a row sets: a blank birth year, sex, relation or status keeps what the register has."""
    return {
        field: values[field]
        for field in _MEMBER_FIELDS
        if field in values and (values[field] not in (None, "") or field not in _KEPT_WHEN_BLANK)
    }


def _who(values: dict[str, Any]) -> str:
    born = values.get("birth_year")
    return f"«{values['full_name']}»" + (f", sinh {born}" if born else "")


@dataclass(eq=False)
class _NewHousehold:
    """A household the register lacks, added from its head's row in the sheet."""

    head: PreviewRow
    code: str  # "" when the sheet gives none: numbered on at the write
    hamlet_id: str

    @property
    def head_name(self) -> str:
        return str(self.head.values["full_name"])


_Home = RegisteredHousehold | _NewHousehold
_SheetKey = tuple[str, ...]  # ("code", code) or ("head", folded head name, hamlet id)


def _head_key(name: str, hamlet: str) -> _SheetKey:
    return ("head", fold(name), hamlet)


class _Matcher:
    """Ties the sheet's rows to the register: each to its household, then to the person it updates, if any."""

    def __init__(
        self,
        households: list[RegisteredHousehold],
        people: list[MemberRow],
        hamlet_names: dict[str, str],
        rows: list[PreviewRow],
    ) -> None:
        self.index = HouseholdIndex(households)
        self.by_code, self.by_head = self.index.by_code, self.index.by_head
        self.people: dict[str, dict[str, list[MemberRow]]] = {}
        for p in people:
            self.people.setdefault(p.household_id, {}).setdefault(fold(p.full_name), []).append(p)
        self.hamlet_names = hamlet_names
        self.new: dict[_SheetKey, _NewHousehold] = {}
        self.troubled: dict[_SheetKey, int] = {}  # households whose head's row has a problem → that row
        self.homes: dict[int, _Home] = {}  # row number → its household
        self.heads_named: dict[str, int] = {}  # household without a head → the row naming one
        self._add_sheet_households(rows)

    def _in_register(self, values: dict[str, Any]) -> bool:
        code, hamlet = values.get("code", ""), values.get("hamlet", "")
        if code:
            return code in self.by_code
        return (fold(values["full_name"]), hamlet) in self.by_head

    def _add_sheet_households(self, rows: list[PreviewRow]) -> None:
        """The heads' rows come first, wherever they stand in the sheet: their family's rows may be above them.
        A head's row with a problem is remembered, so that the family's rows say where to look."""
        for row in rows:
            values = row.values
            if values.get("relation") != Relation.HEAD or "full_name" not in values:
                continue
            code, hamlet = values.get("code", ""), values.get("hamlet", "")
            keys: list[_SheetKey] = [("code", code)] if code else []
            if hamlet:
                keys.append(_head_key(values["full_name"], hamlet))
            if row.outcome != Outcome.PROBLEM:
                self._add_sheet_household(row, keys)
            if row.outcome == Outcome.PROBLEM:  # as read, or refused just now
                for key in keys:
                    self.troubled.setdefault(key, row.number)

    def _add_sheet_household(self, row: PreviewRow, keys: list[_SheetKey]) -> None:
        values = row.values
        code, hamlet, head_name = values.get("code", ""), values.get("hamlet", ""), values.get("head_name", "")
        if head_name and fold(head_name) != fold(values["full_name"]):
            row.refuse(f"quan hệ là «Chủ hộ» nhưng cột họ tên chủ hộ ghi «{head_name}»")
        elif self._in_register(values) or not keys:
            return
        elif (
            code
            and hamlet
            and (twin := self.index.other_code(code, values["full_name"], hamlet, values.get("birth_year")))
        ):
            row.refuse(twin, on_field="code")
        elif (other := next((self.new[k] for k in keys if k in self.new), None)) is not None:
            person = (fold(values["full_name"]), values.get("birth_year"))
            if person == (fold(other.head_name), other.head.values.get("birth_year")):
                row.refuse(f"trùng người với dòng {other.head.number} ({_who(values)})")
            else:
                row.refuse(f"hộ này đã có chủ hộ «{other.head_name}» ở dòng {other.head.number}")
        elif not hamlet:
            row.refuse(f"sổ chưa có hộ mã {code}: cần ấp của hộ để thêm hộ mới")
        else:
            self.new.update(dict.fromkeys(keys, _NewHousehold(row, code, hamlet)))

    def _sheet_household(self, row: PreviewRow, key: _SheetKey, what: str) -> _Home | None:
        found = self.new.get(key)
        if found is not None:
            return found
        if key in self.troubled:
            row.refuse(f"sổ chưa có {what}, và dòng {self.troubled[key]} (chủ hộ của hộ này) có lỗi: hãy sửa dòng đó")
        else:
            row.refuse(
                f"sổ chưa có {what}; hãy nhập danh sách hộ trước, hoặc thêm dòng của chủ hộ "
                "(quan hệ «Chủ hộ», có ấp) vào bảng tính"
            )
        return None

    def _fits(self, row: PreviewRow, home: _Home, what: str) -> bool:
        """A household found by its code is the one the row's hamlet and head's name, when it has them, describe:
        a row that says otherwise is more likely misplaced than right."""
        hamlet, named = row.values.get("hamlet", ""), row.values.get("head_name", "")
        if hamlet and hamlet != home.hamlet_id:
            row.refuse(
                f"{what} ở «{self.hamlet_names.get(home.hamlet_id, '')}», "
                f"không phải «{self.hamlet_names.get(hamlet, '')}»"
            )
        elif named and fold(named) != fold(home.head_name):
            row.refuse(f"chủ hộ của {what} là «{home.head_name}», không phải «{named}»")
        return row.outcome != Outcome.PROBLEM

    def home(self, row: PreviewRow) -> _Home | None:
        """The row's household, by code, else by the head's name in the hamlet; None when the row is refused."""
        values = row.values
        if "code" not in values and "head_name" not in values:
            row.refuse(
                "bảng tính chưa có cột «Mã hộ» hay cột «Họ tên chủ hộ» nên không biết người này thuộc hộ nào; "
                "hãy chọn một trong hai cột"
            )
            return None
        code, hamlet = values.get("code", ""), values.get("hamlet", "")
        head_name = values.get("head_name") or (values["full_name"] if values.get("relation") == Relation.HEAD else "")
        if code:
            found = self.by_code.get(code) or self._sheet_household(row, ("code", code), f"hộ mã {code}")
            return found if found is not None and self._fits(row, found, f"hộ {code}") else None
        if not head_name:
            row.refuse("chưa có mã hộ hay họ tên chủ hộ: không biết người này thuộc hộ nào")
            return None
        if not hamlet:
            row.refuse(f"chưa có ấp: cần ấp để tìm hộ của chủ hộ «{head_name}»")
            return None
        same = self.by_head.get((fold(head_name), hamlet), [])
        if len(same) > 1:
            codes = ", ".join(h.code for h in same)
            row.refuse(
                f"sổ có {len(same)} hộ chủ hộ «{head_name}» cùng ấp ({codes}); hãy thêm cột mã hộ để biết hộ nào"
            )
            return None
        if same:
            return same[0]
        what = f"hộ chủ hộ «{head_name}» ở «{self.hamlet_names.get(hamlet, '')}»"
        return self._sheet_household(row, _head_key(head_name, hamlet), what)

    def person(self, home: _Home, values: dict[str, Any]) -> MemberRow | None:
        """The member the row names: same folded name and birth year; or the only one of that name when either
        side has no birth year (the sheet adds the year, or does not repeat it), or when the household has no
        other of that name (the sheet corrects the year)."""
        if isinstance(home, _NewHousehold):
            return None
        named = self.people.get(home.id, {}).get(fold(values["full_name"]), [])
        year = values.get("birth_year")
        exact = [p for p in named if p.birth_year == year]
        if exact:
            return exact[0]
        loose = [p for p in named if year is None or p.birth_year is None]
        if len(loose) == 1:
            return loose[0]
        return named[0] if len(named) == 1 else None

    def refuse_relation(self, row: PreviewRow, home: _Home, match: MemberRow | None) -> bool:
        """Keep exactly one head per household, as the register does; True when the row is refused."""
        relation = row.values.get("relation", "")
        if isinstance(home, _NewHousehold):
            if relation == Relation.HEAD and home.head is not row:
                row.refuse(f"hộ này đã có chủ hộ «{home.head_name}» ở dòng {home.head.number}")
            elif not relation:
                row.refuse("chưa có quan hệ với chủ hộ")
        elif match is not None and match.relation == Relation.HEAD and relation and relation != Relation.HEAD:
            row.refuse(
                f"«{match.full_name}» là chủ hộ của hộ {home.code}: muốn đổi chủ hộ, hãy sửa trong sổ hộ gia đình"
            )
        elif relation == Relation.HEAD and (match is None or match.id != home.head_id):
            if home.head_id is not None:
                row.refuse(f"hộ {home.code} đã có chủ hộ «{home.head_name}»; mỗi hộ chỉ có một chủ hộ")
            elif home.id in self.heads_named:  # a household left without a head takes one, not two
                row.refuse(f"hộ {home.code} đã nhận chủ hộ ở dòng {self.heads_named[home.id]}")
            else:
                self.heads_named[home.id] = row.number
        elif match is None and not relation:
            row.refuse("chưa có quan hệ với chủ hộ")
        return row.outcome == Outcome.PROBLEM


class MembersKind(ImportKind):
    key = "members"
    title = "Danh sách thành viên hộ"
    noun = "người"
    field_labels: ClassVar[dict[str, str]] = {
        "code": "Mã hộ",
        "head_name": "Họ tên chủ hộ",
        "hamlet": "Ấp (thôn, khu phố)",
        "full_name": "Họ và tên",
        "birth_year": "Năm sinh",
        "sex": "Giới tính",
        "relation": "Quan hệ với chủ hộ",
        "school": "Trường, lớp đang học",
        "learning_status": "Tình trạng học tập",
    }
    # A bare "Chủ hộ" header is not taken for the head's name: in a members list it also heads the column that
    # ticks who the head is, and as words within it would claim "Quan hệ với chủ hộ".
    aliases: ClassVar[dict[str, tuple[str, ...]]] = {
        "code": HouseholdsKind.aliases["code"],
        "head_name": ("ho ten chu ho", "ho va ten chu ho", "ten chu ho"),
        "hamlet": HouseholdsKind.aliases["hamlet"],
        "full_name": (
            "ho va ten", "ho ten", "ten", "ho ten thanh vien", "ho va ten thanh vien", "ten thanh vien",
            "thanh vien", "ho ten nguoi", "nhan khau",
        ),
        "birth_year": ("nam sinh", "ngay sinh", "ngay thang nam sinh", "ns", "sinh nam"),
        "sex": ("gioi tinh", "gioi", "nam nu", "phai"),
        "relation": ("quan he voi chu ho", "quan he", "quan he chu ho", "qh voi chu ho", "qh", "moi quan he"),
        "school": (
            "truong lop", "truong", "lop", "truong dang hoc", "lop dang hoc", "noi hoc", "truong hoc", "hoc truong",
        ),
        "learning_status": ("tinh trang hoc tap", "tinh trang", "tinh trang hoc", "cap hoc", "hoc tap"),
    }  # fmt: skip
    required = ("full_name",)
    backup_reason = "truoc-nhap-thanh-vien"

    def options(self, workspace: Workspace) -> dict[str, Options]:
        return {
            "hamlet": hamlet_options(workspace),
            "sex": SEX_OPTIONS,
            "relation": RELATION_OPTIONS,
            "learning_status": STATUS_OPTIONS,
        }

    def converters(self, workspace: Workspace, settings: Settings) -> dict[str, Callable[[Any], Any]]:
        options = {f: option_reader(o, settings.values.get(f, {})) for f, o in self.options(workspace).items()}
        return {
            "code": read_code,
            "head_name": name_reader(""),
            "full_name": name_reader("chưa có họ và tên"),
            "birth_year": parse_birth_year,
            "school": cell_text,
            **options,
        }

    def plan(self, workspace: Workspace, rows: list[PreviewRow]) -> Plan:
        """Tie each row to its household and to the member it updates; refuse two rows for one person, a second
        head, and a household neither the register nor the sheet has."""
        with session_scope(workspace.engine) as session:
            households = registered_households(session)
            people = [MemberRow(*row) for row in session.execute(text(_PEOPLE_SQL)).all()]
            last: dict[str, int] = {h: int(p) for h, p in session.execute(text(_LAST_POSITION_SQL)).all()}
            all_codes = list(session.exec(select(Household.code)).all())
        hamlet_names = {h: name for name, h in hamlet_options(workspace).codes.items()}
        matcher = _Matcher(households, people, hamlet_names, rows)
        seen: dict[object, int] = {}
        for row in rows:
            if row.outcome == Outcome.PROBLEM:
                continue
            home = matcher.home(row)
            if home is None:
                continue
            values = row.values
            match = matcher.person(home, values)
            who: object = match.id if match else (home, fold(values["full_name"]), values.get("birth_year"))
            if who in seen:
                row.refuse(f"trùng người với dòng {seen[who]} ({_who(values)})")
                continue
            seen[who] = row.number
            if matcher.refuse_relation(row, home, match):
                continue
            matcher.homes[row.number] = home
            if match is not None:
                row.target, row.matched = match.id, f"{match.full_name} — hộ {home.code}"
                changed = any(getattr(match, f) != v for f, v in _given(values).items())
                row.outcome = Outcome.UPDATE if changed else Outcome.SAME

        def write(change: Recorder, todo: list[PreviewRow]) -> None:
            _write(change, todo, matcher.homes, last, free_codes(all_codes, rows))

        return Plan(rows, write)

    def template_rows(self, workspace: Workspace) -> list[dict[str, Any]]:
        hamlets = {h: name for name, h in hamlet_options(workspace).codes.items()}
        with session_scope(workspace.engine) as session:
            found = session.execute(text(_TEMPLATE_SQL)).all()
        return [
            {
                "code": code,
                "head_name": head_name,
                "hamlet": hamlets.get(hamlet, ""),
                "full_name": full_name,
                "birth_year": birth_year,
                "sex": SEX_LABELS.get(sex, ""),
                "relation": RELATION_LABELS.get(relation, ""),
                "school": school,
                "learning_status": LEARNING_STATUS_LABELS.get(status, ""),
            }
            for code, head_name, hamlet, full_name, birth_year, sex, relation, school, status in found
        ]


MEMBERS = MembersKind()


def _write(
    change: Recorder,
    todo: list[PreviewRow],
    homes: dict[int, _Home],
    last: dict[str, int],
    free_codes: Iterator[str],
) -> None:
    """New households and members in two batches (parents first), then the updates, all in the one change."""
    ids: dict[_NewHousehold, str] = {}
    new_households: list[Row] = []
    next_position: dict[str, int] = {}
    new_members: list[Row] = []
    created = [r for r in todo if r.target is None]
    sheet_households = [home for r in created if isinstance(home := homes[r.number], _NewHousehold)]
    for home in dict.fromkeys(sheet_households):
        code = home.code or next(free_codes)
        household = new_household_row(code, home.hamlet_id, home.head_name)
        new_households.append(household)
        ids[home] = household["id"]
        next_position[household["id"]] = 1  # the head is 0
    for row in created:
        home = homes[row.number]
        household_id = ids[home] if isinstance(home, _NewHousehold) else home.id
        if isinstance(home, _NewHousehold) and home.head is row:
            position = 0
        else:
            position = next_position.get(household_id, last.get(household_id, -1) + 1)
            next_position[household_id] = position + 1
        values = row.values
        new_members.append(
            new_row(
                Member,
                household_id=household_id,
                position=position,
                birth_year=values.get("birth_year"),
                sex=values.get("sex") or Sex.MALE,
                relation=values["relation"],
                school=values.get("school", ""),
                learning_status=values.get("learning_status") or LearningStatus.NOT_STUDYING,
                **name_fields(values["full_name"]),
            )
        )
    change.add_many(Household, new_households)
    change.add_many(Member, new_members)
    _update(change, [r for r in todo if r.target is not None])


def _update(change: Recorder, updates: list[PreviewRow]) -> None:
    """The members the sheet changes in one batch, and the households whose head's name changed (a household is
    found by its head's name) in another."""
    members = change.current_rows(Member, [str(r.target) for r in updates])
    now = utc_now()
    changed: list[tuple[Row, Row]] = []
    for row in updates:
        before = members[str(row.target)]
        after = {**before, **_given(row.values), "updated_at": now}
        if after["full_name"] != before["full_name"]:  # its keys are worth computing only for a new name
            after.update(name_fields(after["full_name"]))
        changed.append((before, after))
    change.update_many(Member, changed)
    heads = {
        a["household_id"]: a for b, a in changed if a["relation"] == Relation.HEAD and a["full_name"] != b["full_name"]
    }
    households = change.current_rows(Household, list(heads))
    change.update_many(
        Household,
        [
            (h, {**h, "updated_at": now, "search_key": household_search_text(
                h["code"], heads[h["id"]]["full_name"], h["address"], h["phone"], h["note"])})
            for h in households.values()
        ],
    )  # fmt: skip
