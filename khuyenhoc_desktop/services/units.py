"""The units register (đơn vị): list, add, edit, delete to the recycle bin, restore."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from khuyenhoc_desktop.domain.text import fold, name_sort_key, sort_key
from khuyenhoc_desktop.domain.unit import (
    UNIT_FIELD_LABELS,
    UNIT_KIND_LABELS,
    UnitInput,
    clean_unit,
    unit_record,
    unit_search_text,
)
from khuyenhoc_desktop.services.changes import record_change
from khuyenhoc_desktop.services.clans import check_links_live, check_name_free, select_rows
from khuyenhoc_desktop.services.deleted import BinSource, move_to_bin, take_from_bin
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Hamlet, Unit, utc_now


@dataclass(frozen=True, slots=True)
class UnitRow:
    id: str
    name: str
    kind: str
    kind_label: str
    head_name: str
    staff_count: int
    hamlet_id: str | None
    hamlet_name: str  # "" for a unit of the whole commune; a removed hamlet keeps its name here
    address: str
    phone: str
    note: str
    search_key: str  # stored key plus the hamlet name
    name_sort: str
    head_sort: str


_SELECT_SQL = """
SELECT u.id, u.name, u.kind, u.head_name, u.staff_count, u.hamlet_id, coalesce(h.name, ''),
       u.address, u.phone, u.note, u.search_key, u.deleted_at
FROM unit u LEFT JOIN hamlet h ON h.id = u.hamlet_id
"""


def _read(workspace: Workspace, deleted: bool, ids: list[str] | None = None) -> list[tuple[UnitRow, str | None]]:
    """Unit rows with the time each was deleted (None for live ones), in Vietnamese order of the name."""
    result = [
        (
            UnitRow(
                id=uid,
                name=name,
                kind=kind,
                kind_label=UNIT_KIND_LABELS.get(kind, kind),
                head_name=head,
                staff_count=staff,
                hamlet_id=hamlet_id,
                hamlet_name=hamlet_name,
                address=address,
                phone=phone,
                note=note,
                search_key=f"{key} {fold(hamlet_name)}",
                name_sort=sort_key(name),
                head_sort=name_sort_key(head),
            ),
            deleted_at,
        )
        for uid, name, kind, head, staff, hamlet_id, hamlet_name, address, phone, note, key, deleted_at in select_rows(
            workspace, _SELECT_SQL, "u", deleted, ids
        )
    ]
    return sorted(result, key=lambda pair: pair[0].name_sort)


def list_units(workspace: Workspace, ids: list[str] | None = None) -> list[UnitRow]:
    """Every live unit (or just `ids`) in one query, in Vietnamese order of the name."""
    return [row for row, _ in _read(workspace, deleted=False, ids=ids)]


def unit_input(workspace: Workspace, unit_id: str) -> UnitInput:
    with session_scope(workspace.engine) as session:
        unit = session.get_one(Unit, unit_id)
    return UnitInput(
        name=unit.name,
        kind=unit.kind,
        head_name=unit.head_name,
        staff_count=unit.staff_count,
        hamlet_id=unit.hamlet_id,
        address=unit.address,
        phone=unit.phone,
        note=unit.note,
    )


def _write(workspace: Workspace, label: str, data: UnitInput, unit_id: str | None) -> str:
    clean = clean_unit(data)
    record = unit_record(clean.name)
    with record_change(workspace, f"{label} đơn vị «{clean.name}»") as change:
        session = change.session
        unit = Unit(name=clean.name, kind=clean.kind) if unit_id is None else session.get_one(Unit, unit_id)
        check_name_free(session, Unit, clean.name, unit_id, record, UNIT_FIELD_LABELS["name"], "đơn vị")
        if clean.hamlet_id is not None:
            kept = [unit.hamlet_id] if unit.hamlet_id else []
            check_links_live(
                session, Hamlet, [clean.hamlet_id], kept, record, "hamlet_id", UNIT_FIELD_LABELS["hamlet_id"]
            )
        if unit_id is None:
            change.add(unit)
        else:
            change.touch(unit)
        unit.name, unit.kind, unit.head_name, unit.staff_count = (
            clean.name,
            clean.kind,
            clean.head_name,
            clean.staff_count,
        )
        unit.hamlet_id, unit.address, unit.phone, unit.note = clean.hamlet_id, clean.address, clean.phone, clean.note
        unit.search_key = unit_search_text(
            clean.name, clean.kind, clean.head_name, clean.address, clean.phone, clean.note
        )
        unit.updated_at = utc_now()
    return unit.id


def create_unit(workspace: Workspace, data: UnitInput) -> str:
    return _write(workspace, "Thêm", data, None)


def update_unit(workspace: Workspace, unit_id: str, data: UnitInput) -> None:
    _write(workspace, "Sửa", data, unit_id)


def delete_unit(workspace: Workspace, unit_id: str) -> None:
    move_to_bin(workspace, Unit, unit_id, lambda u: f"Xóa đơn vị «{u.name}»")


def _check_name_still_free(session: Session, unit: Unit) -> None:
    check_name_free(session, Unit, unit.name, unit.id, unit_record(unit.name), UNIT_FIELD_LABELS["name"], "đơn vị")


def restore_unit(workspace: Workspace, unit_id: str) -> None:
    take_from_bin(workspace, Unit, unit_id, lambda u: f"Khôi phục đơn vị «{u.name}»", _check_name_still_free)


def _binned(workspace: Workspace) -> list[tuple[str, str, str, str]]:
    return [
        (row.id, row.name, " — ".join(filter(None, (row.kind_label, row.hamlet_name))), deleted_at or "")
        for row, deleted_at in _read(workspace, True)
    ]


BIN_SOURCES = (BinSource("unit", "Đơn vị", _binned, restore_unit),)
