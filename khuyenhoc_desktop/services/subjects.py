"""What each learning title can be awarded to, read straight from the registers' tables.

Each title's candidates come from one SQL select with the same columns, so the evaluations list can join
it as a common table expression and name every subject in the same query — deleted subjects included,
because a household binned after it was recognised still has to be named in that year's list.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from khuyenhoc_desktop.domain.clan import clan_sort_key
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.text import sort_key
from khuyenhoc_desktop.domain.titles import TITLE_LABELS, Title
from khuyenhoc_desktop.domain.unit import UNIT_KIND_LABELS
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope


@dataclass(frozen=True, slots=True)
class SubjectRow:
    id: str
    title: str
    name: str  # what the officer looks for: head of household, clan, hamlet, unit or person
    detail: str  # what tells two of the same name apart: household code, representative, birth year…
    hamlet_id: str | None  # a clan's first hamlet; None for a unit or person without one
    hamlet_name: str  # every hamlet a clan covers, joined
    sort_key: str
    label: str  # how messages and the audit log name it: "hộ 00012 (Nguyễn Văn An)"


def _label_case(column: str, labels: dict[str, str]) -> str:
    """A vocabulary's Vietnamese labels as an SQL CASE over the stored codes."""
    whens = " ".join(f"WHEN '{code}' THEN '{label}'" for code, label in labels.items())
    return f"CASE {column} {whens} ELSE {column} END"


# Columns: id, name, detail, hamlet_id, hamlet_name, sort_key (NULL: Vietnamese key of the name), label, deleted_at.
_SUBJECT_SQL: dict[str, str] = {
    Title.FAMILY: """
SELECT h.id AS id, coalesce(head.full_name, '') AS name, 'Hộ ' || h.code AS detail, h.hamlet_id AS hamlet_id,
       ha.name AS hamlet_name, head.name_sort AS sort_key,
       'hộ ' || h.code || coalesce(' (' || head.full_name || ')', '') AS label, h.deleted_at AS deleted_at
FROM household h
JOIN hamlet ha ON ha.id = h.hamlet_id
LEFT JOIN member head ON head.household_id = h.id AND head.relation = 'chu_ho' AND head.deleted_at IS NULL""",
    Title.CLAN: """
SELECT c.id AS id, c.name AS name,
       CASE WHEN c.representative = '' THEN '' ELSE 'Đại diện: ' || c.representative END AS detail,
       (SELECT ha.id FROM json_each(c.hamlet_ids) j JOIN hamlet ha ON ha.id = j.value
        WHERE ha.deleted_at IS NULL ORDER BY j.key LIMIT 1) AS hamlet_id,
       coalesce((SELECT group_concat(name, ', ') FROM (
           SELECT ha.name AS name FROM json_each(c.hamlet_ids) j JOIN hamlet ha ON ha.id = j.value
           WHERE ha.deleted_at IS NULL ORDER BY j.key)), '') AS hamlet_name,
       NULL AS sort_key, c.name AS label, c.deleted_at AS deleted_at
FROM clan c""",
    Title.COMMUNITY: """
SELECT ha.id AS id, ha.name AS name,
       CASE WHEN ha.leader_name = '' THEN '' ELSE 'Trưởng ấp: ' || ha.leader_name END AS detail,
       ha.id AS hamlet_id, ha.name AS hamlet_name, printf('%06d', ha.position) AS sort_key, ha.name AS label,
       ha.deleted_at AS deleted_at
FROM hamlet ha""",
    Title.UNIT: """
SELECT u.id AS id, u.name AS name,
       {kind} || CASE WHEN u.head_name = '' THEN '' ELSE ' · ' || u.head_name END AS detail,
       u.hamlet_id AS hamlet_id, coalesce(ha.name, '') AS hamlet_name, NULL AS sort_key, u.name AS label,
       u.deleted_at AS deleted_at
FROM unit u
LEFT JOIN hamlet ha ON ha.id = u.hamlet_id""".replace("{kind}", _label_case("u.kind", UNIT_KIND_LABELS)),
    # A citizen without a hamlet of their own lives where their household does.
    Title.CITIZEN: """
SELECT c.id AS id, c.full_name AS name,
       trim(coalesce('Sinh năm ' || c.birth_year, '') ||
            CASE WHEN c.birth_year IS NOT NULL AND u.name IS NOT NULL THEN ' · ' ELSE '' END ||
            coalesce(u.name, '')) AS detail,
       coalesce(c.hamlet_id, h.hamlet_id) AS hamlet_id, coalesce(ha.name, '') AS hamlet_name,
       c.name_sort AS sort_key, c.full_name AS label, c.deleted_at AS deleted_at
FROM citizen c
LEFT JOIN member m ON m.id = c.member_id
LEFT JOIN household h ON h.id = m.household_id
LEFT JOIN unit u ON u.id = c.unit_id
LEFT JOIN hamlet ha ON ha.id = coalesce(c.hamlet_id, h.hamlet_id)""",
}


# Clans and units keep no sort key of their own: key their names (a clan by its family name, "Họ" left out).
_NAME_KEY: dict[str, Callable[[str], str]] = {Title.CLAN: clan_sort_key, Title.UNIT: sort_key}


def subject_sql(title: str) -> str:
    """The title's candidates, deleted ones too (column `deleted_at`), for use as a subquery."""
    if title not in _SUBJECT_SQL:
        raise UserError(f"Danh hiệu «{title}» không có trong danh sách {', '.join(TITLE_LABELS.values())}.")
    return _SUBJECT_SQL[title]


def subject_row(title: str, values: Sequence[Any]) -> SubjectRow:
    """The first seven columns of a `subject_sql` row as a SubjectRow."""
    id_, name, detail, hamlet_id, hamlet_name, key, label = values[:7]
    return SubjectRow(
        id=id_,
        title=title,
        name=name or "",
        detail=detail or "",
        hamlet_id=hamlet_id,
        hamlet_name=hamlet_name or "",
        sort_key=key if key is not None else _NAME_KEY.get(title, sort_key)(name or ""),
        label=label or "",
    )


def subjects_in(
    session: Session, title: str, ids: list[str] | None = None, live_only: bool = True
) -> dict[str, SubjectRow]:
    """The title's subjects by id: every live one, or just `ids` (deleted ones too unless `live_only`)."""
    sql = f"SELECT * FROM ({subject_sql(title)}) s WHERE 1 = 1"
    params: dict[str, str] = {}
    if live_only:
        sql += " AND s.deleted_at IS NULL"
    if ids is not None:
        sql += " AND s.id IN (SELECT value FROM json_each(:ids))"
        params["ids"] = json.dumps(ids)
    return {row[0]: subject_row(title, tuple(row)) for row in session.execute(text(sql), params).all()}


def list_subjects(workspace: Workspace, title: str) -> list[SubjectRow]:
    """Every live record the title can be awarded to, in Vietnamese order."""
    with session_scope(workspace.engine) as session:
        found = subjects_in(session, title)
    return sorted(found.values(), key=lambda s: (s.sort_key, s.detail))


def subject_name(workspace: Workspace, title: str, subject_id: str) -> str:
    """How messages name one subject, even one in the recycle bin."""
    with session_scope(workspace.engine) as session:
        found = subjects_in(session, title, [subject_id], live_only=False)
    if subject_id not in found:
        raise UserError(f"Không tìm thấy bản ghi được đánh giá {TITLE_LABELS[title]} (mã {subject_id}).")
    return found[subject_id].label
