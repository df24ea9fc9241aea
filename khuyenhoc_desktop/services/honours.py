"""The register of exemplary learning models and commendations: list, add, edit, delete to the recycle bin,
restore, and the year's counts for the report.

A person picked from the households register keeps the link, and the name and hamlet are copied from the
register on every save while the member is still there; once the member is deleted the copy stands alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlmodel import Session

from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.honours import (
    HONOUR_FIELD_LABELS,
    HONOUR_KIND_LABELS,
    HONOUR_LEVEL_LABELS,
    LEVEL_RANK,
    RECIPIENT_KIND_LABELS,
    HonourInput,
    RecipientKind,
    clean_honour,
    honour_record,
    honour_search_text,
)
from khuyenhoc_desktop.domain.text import fold, format_date, name_sort_key, sort_key
from khuyenhoc_desktop.services.activities import year_bounds
from khuyenhoc_desktop.services.changes import record_change
from khuyenhoc_desktop.services.clans import check_links_live
from khuyenhoc_desktop.services.deleted import BinSource, move_to_bin, take_from_bin
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Hamlet, Honour, Household, Member, utc_now


@dataclass(frozen=True, slots=True)
class HonourRow:
    id: str
    kind: str
    kind_label: str
    recipient_kind: str
    recipient_kind_label: str
    recipient: str
    member_id: str | None
    hamlet_id: str | None
    hamlet_name: str  # "" when not tied to a hamlet; a removed hamlet keeps its name here
    level: str
    level_label: str
    level_rank: int  # the commune first, the central level last
    issuer: str
    decision_no: str
    honoured_on: date
    content: str
    search_key: str  # stored key plus the hamlet name
    recipient_sort: str  # persons by given name, collectives alphabetically


_SELECT_SQL = """
SELECT o.id, o.kind, o.recipient_kind, o.recipient, o.member_id, o.hamlet_id, coalesce(h.name, ''), o.level,
       o.issuer, o.decision_no, o.honoured_on, o.content, o.search_key, o.deleted_at
FROM honour o LEFT JOIN hamlet h ON h.id = o.hamlet_id
WHERE o.deleted_at IS {deleted}
  AND (:first IS NULL OR o.honoured_on BETWEEN :first AND :last)
  AND (:kind IS NULL OR o.kind = :kind)
  AND (:ids IS NULL OR o.id IN (SELECT value FROM json_each(:ids)))
ORDER BY o.honoured_on, o.id
"""


def _read(
    workspace: Workspace,
    deleted: bool,
    year: int | None = None,
    kind: str | None = None,
    ids: list[str] | None = None,
) -> list[tuple[HonourRow, str | None]]:
    """Honour rows with the time each was deleted (None for live ones), in date order."""
    first, last = year_bounds(year)
    params = {"first": first, "last": last, "kind": kind, "ids": None if ids is None else json.dumps(ids)}
    sql = _SELECT_SQL.format(deleted="NOT NULL" if deleted else "NULL")
    with session_scope(workspace.engine) as session:
        rows = session.execute(text(sql), params).all()
    result = []
    for (
        hid, hkind, recipient_kind, recipient, member_id, hamlet_id, hamlet_name, level,
        issuer, decision_no, honoured_on, content, key, deleted_at,
    ) in rows:  # fmt: skip
        person = recipient_kind == RecipientKind.PERSON
        row = HonourRow(
            id=hid,
            kind=hkind,
            kind_label=HONOUR_KIND_LABELS.get(hkind, hkind),
            recipient_kind=recipient_kind,
            recipient_kind_label=RECIPIENT_KIND_LABELS.get(recipient_kind, recipient_kind),
            recipient=recipient,
            member_id=member_id,
            hamlet_id=hamlet_id,
            hamlet_name=hamlet_name,
            level=level,
            level_label=HONOUR_LEVEL_LABELS.get(level, level),
            level_rank=LEVEL_RANK.get(level, len(LEVEL_RANK)),
            issuer=issuer,
            decision_no=decision_no,
            honoured_on=date.fromisoformat(honoured_on),
            content=content,
            search_key=f"{key} {fold(hamlet_name)}",
            recipient_sort=name_sort_key(recipient) if person else sort_key(recipient),
        )
        result.append((row, deleted_at))
    return result


def list_honours(
    workspace: Workspace, year: int | None = None, kind: str | None = None, ids: list[str] | None = None
) -> list[HonourRow]:
    """Live honours given in `year` (all years when None), of `kind` (both when None), or just `ids`."""
    return [row for row, _ in _read(workspace, False, year, kind, ids)]


def honour_years(workspace: Workspace) -> list[int]:
    """The years that have live honours, newest first: what the register's year filter offers."""
    with session_scope(workspace.engine) as session:
        rows = session.execute(
            text("SELECT DISTINCT CAST(substr(honoured_on, 1, 4) AS INTEGER) FROM honour WHERE deleted_at IS NULL")
        ).all()
    return sorted((row[0] for row in rows), reverse=True)


def honour_input(workspace: Workspace, honour_id: str) -> HonourInput:
    with session_scope(workspace.engine) as session:
        honour = session.get_one(Honour, honour_id)
    return HonourInput(
        kind=honour.kind,
        recipient_kind=honour.recipient_kind,
        recipient=honour.recipient,
        member_id=honour.member_id,
        hamlet_id=honour.hamlet_id,
        level=honour.level,
        issuer=honour.issuer,
        decision_no=honour.decision_no,
        honoured_on=date.fromisoformat(honour.honoured_on),
        content=honour.content,
    )


def _person_from_register(session: Session, clean: HonourInput, kept: Honour | None) -> tuple[str, str | None]:
    """The name and hamlet to store: the member's own while the member is in the register.

    A member newly picked must be live; one linked earlier and deleted since leaves the typed copy as it is.
    """
    record = honour_record(clean.kind, clean.recipient)
    member = session.get(Member, clean.member_id) if clean.member_id else None
    household = session.get(Household, member.household_id) if member is not None else None
    if member is not None and household is not None and member.deleted_at is None and household.deleted_at is None:
        return member.full_name, household.hamlet_id
    if kept is not None and kept.member_id == clean.member_id:
        return clean.recipient, clean.hamlet_id
    raise ValidationError(
        record,
        "recipient",
        HONOUR_FIELD_LABELS["recipient"],
        "người được chọn không còn trong sổ hộ (đã bị xóa); hãy chọn lại hoặc gõ họ tên.",
    )


def _write(workspace: Workspace, verb: str, data: HonourInput, honour_id: str | None, today: date | None) -> str:
    clean = clean_honour(data, today or date.today())
    with record_change(workspace, verb) as change:
        session = change.session
        honour = None if honour_id is None else session.get_one(Honour, honour_id)
        recipient, hamlet_id = clean.recipient, clean.hamlet_id
        if clean.member_id is not None:
            recipient, hamlet_id = _person_from_register(session, clean, honour)
        if hamlet_id is not None:
            kept = [honour.hamlet_id] if honour is not None and honour.hamlet_id else []
            record = honour_record(clean.kind, recipient)
            check_links_live(session, Hamlet, [hamlet_id], kept, record, "hamlet_id", HONOUR_FIELD_LABELS["hamlet_id"])
        if honour is None:
            honour = Honour(
                kind=clean.kind,
                recipient_kind=clean.recipient_kind,
                recipient=recipient,
                level=clean.level,
                honoured_on=clean.honoured_on.isoformat(),
            )
            change.add(honour)
        else:
            change.touch(honour)
        honour.kind, honour.recipient_kind, honour.recipient = clean.kind, clean.recipient_kind, recipient
        honour.member_id, honour.hamlet_id, honour.level = clean.member_id, hamlet_id, clean.level
        honour.issuer, honour.decision_no, honour.content = clean.issuer, clean.decision_no, clean.content
        honour.honoured_on = clean.honoured_on.isoformat()
        honour.search_key = honour_search_text(
            clean.kind, clean.recipient_kind, recipient, clean.level, clean.issuer, clean.decision_no, clean.content
        )
        honour.updated_at = utc_now()
        change.label = change_label(verb, clean.kind, recipient)
    return honour.id


def change_label(verb: str, kind: str, recipient: str) -> str:
    """The undo and audit label: "Thêm giấy khen «Nguyễn Văn An»"."""
    return f"{verb} {HONOUR_KIND_LABELS.get(kind, 'khen thưởng').lower()} «{recipient}»"


def create_honour(workspace: Workspace, data: HonourInput, today: date | None = None) -> str:
    return _write(workspace, "Thêm", data, None, today)


def update_honour(workspace: Workspace, honour_id: str, data: HonourInput, today: date | None = None) -> None:
    _write(workspace, "Sửa", data, honour_id, today)


def delete_honour(workspace: Workspace, honour_id: str) -> None:
    move_to_bin(workspace, Honour, honour_id, lambda h: change_label("Xóa", h.kind, h.recipient))


def restore_honour(workspace: Workspace, honour_id: str) -> None:
    take_from_bin(workspace, Honour, honour_id, lambda h: change_label("Khôi phục", h.kind, h.recipient))


def _binned(workspace: Workspace) -> list[tuple[str, str, str, str]]:
    return [
        (row.id, row.recipient, f"{row.kind_label} — {format_date(row.honoured_on)}", deleted_at or "")
        for row, deleted_at in _read(workspace, True)
    ]


BIN_SOURCES = (BinSource("honour", "Mô hình, giấy khen", _binned, restore_honour),)

_COUNT_SQL = """
SELECT kind, recipient_kind, count(*) FROM honour
WHERE deleted_at IS NULL AND honoured_on BETWEEN :first AND :last
GROUP BY kind, recipient_kind
"""


def year_counts(workspace: Workspace, year: int) -> dict[tuple[str, str], int]:
    """Live honours given in the year per (kind, recipient kind); every pair is present, 0 when none."""
    counts = {(kind, recipient): 0 for kind in HONOUR_KIND_LABELS for recipient in RECIPIENT_KIND_LABELS}
    with session_scope(workspace.engine) as session:
        first, last = year_bounds(year)
        rows = session.execute(text(_COUNT_SQL), {"first": first, "last": last}).all()
    counts.update({(kind, recipient): count for kind, recipient, count in rows})
    return counts
