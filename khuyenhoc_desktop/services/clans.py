"""The clans register (dòng họ): list, add, edit, delete to the recycle bin, restore.

A clan keeps its hamlets and member households as JSON lists of ids. A hamlet or household that went to the
recycle bin after it was linked stays linked (and counts again once restored); only new links must be live.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import text
from sqlmodel import Session, col, select

from khuyenhoc_desktop.domain.clan import (
    CLAN_FIELD_LABELS,
    ClanInput,
    clan_record,
    clan_search_text,
    clan_sort_key,
    clean_clan,
)
from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.text import fold, name_sort_key, sort_key
from khuyenhoc_desktop.services.changes import record_change
from khuyenhoc_desktop.services.deleted import BinSource, move_to_bin, take_from_bin
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Clan, Hamlet, Household, Unit, utc_now

Linked = TypeVar("Linked", Hamlet, Household)


@dataclass(frozen=True, slots=True)
class ClanRow:
    id: str
    name: str
    representative: str
    hamlet_ids: tuple[str, ...]
    hamlet_names: str  # the live hamlets, Vietnamese order, comma separated
    household_ids: tuple[str, ...]
    household_count: int  # live member households
    note: str
    search_key: str  # stored key plus the hamlet names, so "vinh thanh" finds the clans of Ấp Vĩnh Thạnh
    name_sort: str
    representative_sort: str


_SELECT_SQL = """
SELECT c.id, c.name, c.representative, c.hamlet_ids, c.household_ids, c.note, c.search_key,
       (SELECT json_group_array(h.name) FROM json_each(c.hamlet_ids) j
        JOIN hamlet h ON h.id = j.value AND h.deleted_at IS NULL),
       (SELECT count(*) FROM json_each(c.household_ids) j
        JOIN household hh ON hh.id = j.value AND hh.deleted_at IS NULL),
       c.deleted_at
FROM clan c
"""


def select_rows(
    workspace: Workspace, select_sql: str, alias: str, deleted: bool, ids: list[str] | None
) -> list[tuple[Any, ...]]:
    """Run a register's SELECT over its live rows (or its binned ones), optionally just `ids`."""
    sql = f"{select_sql} WHERE {alias}.deleted_at IS {'NOT NULL' if deleted else 'NULL'}"
    if ids is not None:
        sql += f" AND {alias}.id IN (SELECT value FROM json_each(:ids))"
    with session_scope(workspace.engine) as session:
        return [tuple(row) for row in session.execute(text(sql), {"ids": json.dumps(ids or [])})]


def _hamlet_names(names_json: str) -> str:
    return ", ".join(sorted(json.loads(names_json), key=sort_key))


def _read(workspace: Workspace, deleted: bool, ids: list[str] | None = None) -> list[tuple[ClanRow, str | None]]:
    """Clan rows with the time each was deleted (None for live ones), in Vietnamese order of the name."""
    result = []
    for cid, name, representative, hamlet_ids, household_ids, note, key, names_json, count, deleted_at in select_rows(
        workspace, _SELECT_SQL, "c", deleted, ids
    ):
        hamlet_names = _hamlet_names(names_json)
        result.append(
            (
                ClanRow(
                    id=cid,
                    name=name,
                    representative=representative,
                    hamlet_ids=tuple(json.loads(hamlet_ids)),
                    hamlet_names=hamlet_names,
                    household_ids=tuple(json.loads(household_ids)),
                    household_count=count,
                    note=note,
                    search_key=f"{key} {fold(hamlet_names)}",
                    name_sort=clan_sort_key(name),
                    representative_sort=name_sort_key(representative),
                ),
                deleted_at,
            )
        )
    return sorted(result, key=lambda pair: pair[0].name_sort)


def list_clans(workspace: Workspace, ids: list[str] | None = None) -> list[ClanRow]:
    """Every live clan (or just `ids`) in one query, in Vietnamese order of the family name."""
    return [row for row, _ in _read(workspace, deleted=False, ids=ids)]


def clan_input(workspace: Workspace, clan_id: str) -> ClanInput:
    with session_scope(workspace.engine) as session:
        clan = session.get_one(Clan, clan_id)
    return ClanInput(
        name=clan.name,
        representative=clan.representative,
        hamlet_ids=tuple(json.loads(clan.hamlet_ids)),
        household_ids=tuple(json.loads(clan.household_ids)),
        note=clan.note,
    )


def check_name_free(
    session: Session,
    table: type[Clan] | type[Unit],
    name: str,
    record_id: str | None,
    record: str,
    label: str,
    what: str,
) -> None:
    """Refuse a second live record whose name differs only by accents or case ("Họ Lê" and "Ho Le")."""
    others = session.exec(
        select(table.name).where(col(table.deleted_at).is_(None), col(table.id) != (record_id or ""))
    ).all()
    clash = next((other for other in others if fold(other) == fold(name)), None)
    if clash is not None:
        raise ValidationError(record, "name", label, f"trùng với {what} «{clash}» đã có trong sổ.")


def check_links_live(
    session: Session,
    table: type[Linked],
    ids: Sequence[str],
    kept: Sequence[str],
    record: str,
    field: str,
    label: str,
) -> None:
    """Every newly linked hamlet or household must exist and be live; links made earlier may have gone."""
    for record_id in ids:
        if record_id in kept:
            continue
        linked = session.get(table, record_id)
        if linked is None:
            what = "ấp" if table is Hamlet else "hộ"
            raise ValidationError(record, field, label, f"có {what} không có trong sổ; hãy chọn lại.")
        if linked.deleted_at is not None:
            what = f"ấp «{linked.name}»" if isinstance(linked, Hamlet) else f"hộ {linked.code}"
            raise ValidationError(record, field, label, f"{what} đã bị xóa; hãy chọn lại.")


def _check(session: Session, clean: ClanInput, clan: Clan | None) -> None:
    record = clan_record(clean.name)
    labels = CLAN_FIELD_LABELS
    check_name_free(session, Clan, clean.name, clan.id if clan else None, record, labels["name"], "dòng họ")
    kept_hamlets = json.loads(clan.hamlet_ids) if clan else []
    kept_households = json.loads(clan.household_ids) if clan else []
    check_links_live(session, Hamlet, clean.hamlet_ids, kept_hamlets, record, "hamlet_ids", labels["hamlet_ids"])
    live_hamlets = session.exec(
        select(Hamlet.id).where(col(Hamlet.id).in_(clean.hamlet_ids), col(Hamlet.deleted_at).is_(None))
    ).all()
    if not live_hamlets:
        raise ValidationError(
            record, "hamlet_ids", labels["hamlet_ids"], "hãy chọn ít nhất một ấp còn trong danh sách ấp."
        )
    check_links_live(
        session, Household, clean.household_ids, kept_households, record, "household_ids", labels["household_ids"]
    )


def _write(clan: Clan, clean: ClanInput) -> None:
    clan.name, clan.representative, clan.note = clean.name, clean.representative, clean.note
    clan.hamlet_ids = json.dumps(list(clean.hamlet_ids))
    clan.household_ids = json.dumps(list(clean.household_ids))
    clan.search_key = clan_search_text(clean.name, clean.representative, clean.note)
    clan.updated_at = utc_now()


def create_clan(workspace: Workspace, data: ClanInput) -> str:
    clean = clean_clan(data)
    with record_change(workspace, f"Thêm dòng họ «{clean.name}»") as change:
        _check(change.session, clean, None)
        clan = Clan(name=clean.name)
        _write(clan, clean)
        change.add(clan)
    return clan.id


def update_clan(workspace: Workspace, clan_id: str, data: ClanInput) -> None:
    clean = clean_clan(data)
    with record_change(workspace, f"Sửa dòng họ «{clean.name}»") as change:
        clan = change.session.get_one(Clan, clan_id)
        _check(change.session, clean, clan)
        change.touch(clan)
        _write(clan, clean)


def delete_clan(workspace: Workspace, clan_id: str) -> None:
    """Move to the recycle bin; its links stay, so it comes back whole."""
    move_to_bin(workspace, Clan, clan_id, lambda c: f"Xóa dòng họ «{c.name}»")


def _check_name_still_free(session: Session, clan: Clan) -> None:
    check_name_free(session, Clan, clan.name, clan.id, clan_record(clan.name), CLAN_FIELD_LABELS["name"], "dòng họ")


def restore_clan(workspace: Workspace, clan_id: str) -> None:
    take_from_bin(workspace, Clan, clan_id, lambda c: f"Khôi phục dòng họ «{c.name}»", _check_name_still_free)


def _binned(workspace: Workspace) -> list[tuple[str, str, str, str]]:
    return [(row.id, row.name, row.hamlet_names, deleted_at or "") for row, deleted_at in _read(workspace, True)]


BIN_SOURCES = (BinSource("clan", "Dòng họ", _binned, restore_clan),)
