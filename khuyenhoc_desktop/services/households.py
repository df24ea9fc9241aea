"""The households register: list, add, edit, delete to the recycle bin, restore; members likewise."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.household import (
    HOUSEHOLD_FIELD_LABELS,
    MEMBER_FIELD_LABELS,
    HouseholdInput,
    MemberInput,
    Relation,
    clean_household,
    clean_member,
    name_fields,
)
from khuyenhoc_desktop.domain.text import nfc
from khuyenhoc_desktop.services.changes import Recorder, record_change
from khuyenhoc_desktop.services.deleted import BinSource, move_to_bin, take_from_bin
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.migrations import household_search_text
from khuyenhoc_desktop.storage.tables import Hamlet, Household, Member, utc_now


@dataclass(frozen=True, slots=True)
class HouseholdRow:
    id: str
    code: str
    head_name: str
    hamlet_id: str
    hamlet_name: str
    address: str
    member_count: int
    phone: str
    note: str
    search_key: str
    head_sort: str
    hamlet_position: int


@dataclass(frozen=True, slots=True)
class MemberRow:
    id: str
    household_id: str
    full_name: str
    birth_year: int | None
    sex: str
    relation: str
    school: str
    learning_status: str
    name_sort: str


_LIST_SQL = """
SELECT h.id, h.code, coalesce(head.full_name, ''), h.hamlet_id, ha.name, h.address,
       (SELECT count(*) FROM member m WHERE m.household_id = h.id AND m.deleted_at IS NULL),
       h.phone, h.note, h.search_key, coalesce(head.name_sort, ''), ha.position
FROM household h
JOIN hamlet ha ON ha.id = h.hamlet_id
LEFT JOIN member head ON head.household_id = h.id AND head.relation = 'chu_ho' AND head.deleted_at IS NULL
WHERE h.deleted_at IS NULL
"""


def list_households(workspace: Workspace, ids: list[str] | None = None) -> list[HouseholdRow]:
    """Every live household (or just `ids`) in one query, in code order."""
    sql, params = _LIST_SQL, {}
    if ids is not None:
        sql += " AND h.id IN (SELECT value FROM json_each(:ids))"
        params = {"ids": json.dumps(ids)}
    with session_scope(workspace.engine) as session:
        rows = session.execute(text(sql + " ORDER BY h.code"), params).all()
    return [HouseholdRow(*row) for row in rows]


def find_household(workspace: Workspace, code: str, deleted: bool = False) -> str | None:
    """The id of the live household with this code, or (deleted=True) of the last one binned with it."""
    wanted = nfc(code).upper()
    with session_scope(workspace.engine) as session:
        query = select(Household.id).where(Household.code == wanted)
        if deleted:
            query = query.where(col(Household.deleted_at).is_not(None)).order_by(col(Household.deleted_at).desc())
        else:
            query = query.where(col(Household.deleted_at).is_(None))
        return session.exec(query).first()


def household_input(workspace: Workspace, household_id: str) -> HouseholdInput:
    """The form's view of one household, head of household included."""
    with session_scope(workspace.engine) as session:
        household = session.get_one(Household, household_id)
        head = _head(session, household_id)
    return HouseholdInput(
        code=household.code,
        head_name=head.full_name if head else "",
        hamlet_id=household.hamlet_id,
        head_birth_year=head.birth_year if head else None,
        head_sex=head.sex if head else "nam",
        address=household.address,
        phone=household.phone,
        note=household.note,
    )


def next_household_code(workspace: Workspace) -> str:
    """One past the largest numeric code, padded to five digits (codes of deleted households count too)."""
    with session_scope(workspace.engine) as session:
        codes = session.exec(select(Household.code)).all()
    numbers = [int(c) for c in codes if c.isdigit()]
    return f"{max(numbers, default=0) + 1:05d}"


def _head(session: Session, household_id: str) -> Member | None:
    return session.exec(
        select(Member).where(
            Member.household_id == household_id,
            Member.relation == Relation.HEAD,
            col(Member.deleted_at).is_(None),
        )
    ).first()


def _check_code_free(session: Session, code: str, household_id: str | None) -> None:
    clash = session.exec(
        select(Household).where(
            Household.code == code, col(Household.deleted_at).is_(None), Household.id != household_id
        )
    ).first()
    if clash is not None:
        head = _head(session, clash.id)
        owner = f" (chủ hộ {head.full_name})" if head else ""
        raise ValidationError(
            f"Hộ gia đình «{code}»",
            "code",
            HOUSEHOLD_FIELD_LABELS["code"],
            f"mã hộ «{code}» đã có trong sổ{owner}.",
        )


def _check_hamlet(session: Session, hamlet_id: str, code: str) -> None:
    """Households belong to a live hamlet: not one removed in Settings, nor an id that was never one."""
    hamlet = session.get(Hamlet, hamlet_id)
    if hamlet is None or hamlet.deleted_at is not None:
        name = f"«{hamlet.name}» " if hamlet is not None else ""
        raise ValidationError(
            f"Hộ gia đình «{code}»",
            "hamlet_id",
            HOUSEHOLD_FIELD_LABELS["hamlet_id"],
            f"ấp {name}không còn trong danh sách ấp; hãy chọn ấp khác, hoặc thêm lại ấp trong Cài đặt.",
        )


def _refresh_search_key(session: Session, household: Household) -> None:
    head = _head(session, household.id)
    household.search_key = household_search_text(
        household.code, head.full_name if head else "", household.address, household.phone, household.note
    )


def _set_member_name(member: Member, name: str) -> None:
    for field, value in name_fields(name).items():
        setattr(member, field, value)


def create_household(workspace: Workspace, data: HouseholdInput) -> str:
    clean = clean_household(data, date.today().year)
    with record_change(workspace, f"Thêm hộ {clean.code}") as change:
        _check_code_free(change.session, clean.code, None)
        _check_hamlet(change.session, clean.hamlet_id, clean.code)
        household = Household(
            code=clean.code,
            hamlet_id=clean.hamlet_id,
            address=clean.address,
            phone=clean.phone,
            note=clean.note,
        )
        change.add(household)
        head = Member(
            household_id=household.id,
            full_name="",
            birth_year=clean.head_birth_year,
            sex=clean.head_sex,
            relation=Relation.HEAD,
        )
        _set_member_name(head, clean.head_name)
        change.add(head)
        change.session.flush()
        _refresh_search_key(change.session, household)
    return household.id


def update_household(workspace: Workspace, household_id: str, data: HouseholdInput) -> None:
    clean = clean_household(data, date.today().year)
    with record_change(workspace, f"Sửa hộ {clean.code}") as change:
        session = change.session
        _check_code_free(session, clean.code, household_id)
        _check_hamlet(session, clean.hamlet_id, clean.code)
        household = session.get_one(Household, household_id)
        change.touch(household)
        household.code, household.hamlet_id = clean.code, clean.hamlet_id
        household.address, household.phone, household.note = clean.address, clean.phone, clean.note
        household.updated_at = utc_now()
        head = _head(session, household_id)
        if head is None:
            head = Member(household_id=household_id, full_name="", relation=Relation.HEAD)
            change.add(head)
        else:
            change.touch(head)
        if (head.full_name, head.birth_year, head.sex) != (clean.head_name, clean.head_birth_year, clean.head_sex):
            _set_member_name(head, clean.head_name)
            head.birth_year, head.sex, head.updated_at = clean.head_birth_year, clean.head_sex, utc_now()
        session.flush()
        _refresh_search_key(session, household)


def delete_household(workspace: Workspace, household_id: str) -> None:
    """Move to the recycle bin; members stay attached and come back with it."""
    move_to_bin(workspace, Household, household_id, lambda h: f"Xóa hộ {h.code}")


def _check_restorable_household(session: Session, household: Household) -> None:
    _check_code_free(session, household.code, household.id)
    _check_hamlet(session, household.hamlet_id, household.code)


def restore_household(workspace: Workspace, household_id: str) -> None:
    take_from_bin(workspace, Household, household_id, lambda h: f"Khôi phục hộ {h.code}", _check_restorable_household)


def list_members(workspace: Workspace, household_id: str) -> list[MemberRow]:
    """Live members, the head first, then in the order they were entered."""
    with session_scope(workspace.engine) as session:
        members = session.exec(
            select(Member)
            .where(Member.household_id == household_id, col(Member.deleted_at).is_(None))
            .order_by(col(Member.relation) != Relation.HEAD, col(Member.position), col(Member.created_at))
        ).all()
    return [
        MemberRow(
            m.id,
            m.household_id,
            m.full_name,
            m.birth_year,
            m.sex,
            m.relation,
            m.school,
            m.learning_status,
            m.name_sort,
        )
        for m in members
    ]


def add_member_in(change: Recorder, household_id: str, data: MemberInput) -> Member:
    """Add a member inside a change already open (an award's typed pupil joins a household and has the
    awards linked in the same step)."""
    session = change.session
    household = session.get_one(Household, household_id)
    clean = clean_member(data, date.today().year, household.code)
    position = len(session.exec(select(Member.id).where(Member.household_id == household_id)).all())
    member = Member(
        household_id=household_id,
        full_name="",
        birth_year=clean.birth_year,
        sex=clean.sex,
        relation=Relation.OTHER,
        school=clean.school,
        learning_status=clean.learning_status,
        position=position,
    )
    _set_member_name(member, clean.full_name)
    change.add(member)
    session.flush()
    _set_relation(change, household, member, clean.relation)
    return member


def add_member(workspace: Workspace, household_id: str, data: MemberInput) -> str:
    with record_change(workspace, "Thêm thành viên") as change:
        member = add_member_in(change, household_id, data)
        household = change.session.get_one(Household, household_id)
        change.label = f"Thêm thành viên {member.full_name} vào hộ {household.code}"
    return member.id


def _set_relation(change: Recorder, household: Household, member: Member, relation: str) -> None:
    """Keep exactly one head: naming a new head makes the old one "Khác"; the head cannot step down alone."""
    session = change.session
    head = _head(session, household.id)
    if member.relation == Relation.HEAD and relation != Relation.HEAD:
        raise ValidationError(
            f"Thành viên «{member.full_name}» của hộ «{household.code}»",
            "relation",
            MEMBER_FIELD_LABELS["relation"],
            "mỗi hộ phải có một chủ hộ: hãy chọn người khác làm chủ hộ trước.",
        )
    if relation == Relation.HEAD and head is not None and head.id != member.id:
        change.touch(head)
        head.relation, head.updated_at = Relation.OTHER, utc_now()
        session.flush()
    member.relation = relation
    session.flush()
    if relation == Relation.HEAD or head is None:
        change.touch(household)
        _refresh_search_key(session, household)


def update_member(workspace: Workspace, member_id: str, field: str, value: Any) -> None:
    """Change one field (the members table is edited cell by cell)."""
    update_member_fields(workspace, member_id, {field: value})


def update_member_fields(workspace: Workspace, member_id: str, changes: dict[str, Any]) -> None:
    """Change several fields of one member in one step: all checked before any is written, one undo."""
    unknown = set(changes) - set(MEMBER_FIELD_LABELS)
    if unknown:
        raise ValueError(sorted(unknown))
    with record_change(workspace, "Sửa thành viên") as change:
        session = change.session
        member = session.get_one(Member, member_id)
        household = session.get_one(Household, member.household_id)
        current = MemberInput(
            member.full_name,
            member.birth_year,
            member.sex,
            member.relation,
            member.school,
            member.learning_status,
        )
        clean = clean_member(replace(current, **changes), date.today().year, household.code)
        change.touch(member)
        if clean.relation != member.relation:
            _set_relation(change, household, member, clean.relation)
        _set_member_name(member, clean.full_name)
        member.birth_year, member.sex, member.school = clean.birth_year, clean.sex, clean.school
        member.learning_status = clean.learning_status
        if member.relation == Relation.HEAD:
            session.flush()
            change.touch(household)
            _refresh_search_key(session, household)
        member.updated_at = utc_now()
        fields = ", ".join(MEMBER_FIELD_LABELS[f].lower() for f in changes)
        change.label = f"Sửa {fields} của {clean.full_name} (hộ {household.code})"


def _check_not_head(_session: Session, member: Member) -> None:
    if member.relation == Relation.HEAD:
        raise UserError(
            f"Không thể xóa chủ hộ {member.full_name}: hãy chọn người khác làm chủ hộ trước, hoặc xóa cả hộ."
        )


def delete_member(workspace: Workspace, member_id: str) -> None:
    move_to_bin(workspace, Member, member_id, lambda m: f"Xóa thành viên {m.full_name}", _check_not_head)


def _check_restorable_member(session: Session, member: Member) -> None:
    household = session.get_one(Household, member.household_id)
    if household.deleted_at is not None:
        raise UserError(f"Hộ {household.code} của {member.full_name} đang ở thùng rác: hãy khôi phục hộ trước.")
    if member.relation == Relation.HEAD and _head(session, household.id) is not None:
        raise UserError(f"Hộ {household.code} đã có chủ hộ khác; không thể khôi phục {member.full_name} làm chủ hộ.")


def restore_member(workspace: Workspace, member_id: str) -> None:
    take_from_bin(
        workspace, Member, member_id, lambda m: f"Khôi phục thành viên {m.full_name}", _check_restorable_member
    )


_DELETED_HOUSEHOLDS_SQL = """
SELECT h.id, 'Hộ ' || h.code || ' — ' || coalesce(head.full_name, ''), ha.name, h.deleted_at
FROM household h JOIN hamlet ha ON ha.id = h.hamlet_id
LEFT JOIN member head ON head.household_id = h.id AND head.relation = 'chu_ho' AND head.deleted_at IS NULL
WHERE h.deleted_at IS NOT NULL
"""

# Members of a binned household come back with it, so only those deleted on their own are listed.
_DELETED_MEMBERS_SQL = """
SELECT m.id, m.full_name, 'Thành viên hộ ' || h.code, m.deleted_at
FROM member m JOIN household h ON h.id = m.household_id
WHERE m.deleted_at IS NOT NULL AND h.deleted_at IS NULL
"""


def _rows(sql: str) -> Callable[[Workspace], list[tuple[str, str, str, str]]]:
    def read(workspace: Workspace) -> list[tuple[str, str, str, str]]:
        with session_scope(workspace.engine) as session:
            return [(row[0], row[1], row[2], row[3]) for row in session.execute(text(sql)).all()]

    return read


BIN_SOURCES = (
    BinSource("household", "Hộ gia đình", _rows(_DELETED_HOUSEHOLDS_SQL), restore_household),
    BinSource("member", "Thành viên", _rows(_DELETED_MEMBERS_SQL), restore_member),
)
