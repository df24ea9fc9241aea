"""The learning activities register: sessions and classes (list, add, edit, delete to the recycle bin, restore),
and the yearly target per kind with the year's achievement against it.

An activity counts in the year it starts: a vocational class from December to March counts once, in December's
year. Targets live one per year and kind (a unique index keeps it so); setting one again updates that row.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlmodel import col, select

from khuyenhoc_desktop.domain.activities import (
    ACTIVITY_KIND_LABELS,
    ACTIVITY_KIND_NOUNS,
    ACTIVITY_KIND_SHORT_LABELS,
    ActivityInput,
    TargetProgress,
    activity_search_text,
    clean_activity,
    clean_target,
    count_unit,
    progress,
)
from khuyenhoc_desktop.domain.text import format_count, format_date, sort_key
from khuyenhoc_desktop.services.changes import record_change
from khuyenhoc_desktop.services.deleted import BinSource, move_to_bin, take_from_bin
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Activity, ActivityTarget, utc_now


@dataclass(frozen=True, slots=True)
class ActivityRow:
    id: str
    kind: str
    kind_label: str  # short: "Sinh hoạt", "Tập huấn", "Dạy nghề"
    name: str
    field: str
    starts_on: date
    ends_on: date | None
    place: str
    participants: int
    note: str
    search_key: str
    name_sort: str


_SELECT_SQL = """
SELECT id, kind, name, field, starts_on, ends_on, place, participants, note, search_key, deleted_at
FROM activity
WHERE deleted_at IS {deleted}
  AND (:first IS NULL OR starts_on BETWEEN :first AND :last)
  AND (:kind IS NULL OR kind = :kind)
  AND (:ids IS NULL OR id IN (SELECT value FROM json_each(:ids)))
ORDER BY starts_on, id
"""


def year_bounds(year: int | None) -> tuple[str | None, str | None]:
    """The ISO dates a year's records fall between (dates are stored as ISO text), or no bounds."""
    return (None, None) if year is None else (f"{year:04d}-01-01", f"{year:04d}-12-31")


def _read(
    workspace: Workspace,
    deleted: bool,
    year: int | None = None,
    kind: str | None = None,
    ids: list[str] | None = None,
) -> list[tuple[ActivityRow, str | None]]:
    """Activity rows with the time each was deleted (None for live ones), in date order."""
    first, last = year_bounds(year)
    params = {"first": first, "last": last, "kind": kind, "ids": None if ids is None else json.dumps(ids)}
    sql = _SELECT_SQL.format(deleted="NOT NULL" if deleted else "NULL")
    with session_scope(workspace.engine) as session:
        rows = session.execute(text(sql), params).all()
    return [
        (
            ActivityRow(
                id=aid,
                kind=akind,
                kind_label=ACTIVITY_KIND_SHORT_LABELS.get(akind, akind),
                name=name,
                field=field,
                starts_on=date.fromisoformat(starts_on),
                ends_on=date.fromisoformat(ends_on) if ends_on else None,
                place=place,
                participants=participants,
                note=note,
                search_key=key,
                name_sort=sort_key(name),
            ),
            deleted_at,
        )
        for aid, akind, name, field, starts_on, ends_on, place, participants, note, key, deleted_at in rows
    ]


def list_activities(
    workspace: Workspace, year: int | None = None, kind: str | None = None, ids: list[str] | None = None
) -> list[ActivityRow]:
    """Live activities starting in `year` (all years when None), of `kind` (all when None), or just `ids`."""
    return [row for row, _ in _read(workspace, False, year, kind, ids)]


def activity_input(workspace: Workspace, activity_id: str) -> ActivityInput:
    with session_scope(workspace.engine) as session:
        activity = session.get_one(Activity, activity_id)
    return ActivityInput(
        kind=activity.kind,
        name=activity.name,
        field=activity.field,
        starts_on=date.fromisoformat(activity.starts_on),
        ends_on=date.fromisoformat(activity.ends_on) if activity.ends_on else None,
        place=activity.place,
        participants=activity.participants,
        note=activity.note,
    )


def change_label(verb: str, kind: str, name: str) -> str:
    """The undo and audit label: "Thêm lớp tập huấn «Kỹ thuật trồng lúa»"."""
    return f"{verb} {ACTIVITY_KIND_NOUNS.get(kind, 'hoạt động').lower()} «{name}»"


def _write(workspace: Workspace, verb: str, data: ActivityInput, activity_id: str | None, today: date | None) -> str:
    clean = clean_activity(data, today or date.today())
    with record_change(workspace, change_label(verb, clean.kind, clean.name)) as change:
        if activity_id is None:
            activity = Activity(kind=clean.kind, name=clean.name, starts_on=clean.starts_on.isoformat())
            change.add(activity)
        else:
            activity = change.session.get_one(Activity, activity_id)
            change.touch(activity)
        activity.kind, activity.name, activity.field = clean.kind, clean.name, clean.field
        activity.starts_on = clean.starts_on.isoformat()
        activity.ends_on = clean.ends_on.isoformat() if clean.ends_on else None
        activity.place, activity.participants, activity.note = clean.place, clean.participants, clean.note
        activity.search_key = activity_search_text(clean.kind, clean.name, clean.field, clean.place, clean.note)
        activity.updated_at = utc_now()
    return activity.id


def create_activity(workspace: Workspace, data: ActivityInput, today: date | None = None) -> str:
    return _write(workspace, "Thêm", data, None, today)


def update_activity(workspace: Workspace, activity_id: str, data: ActivityInput, today: date | None = None) -> None:
    _write(workspace, "Sửa", data, activity_id, today)


def delete_activity(workspace: Workspace, activity_id: str) -> None:
    move_to_bin(workspace, Activity, activity_id, lambda a: change_label("Xóa", a.kind, a.name))


def restore_activity(workspace: Workspace, activity_id: str) -> None:
    take_from_bin(workspace, Activity, activity_id, lambda a: change_label("Khôi phục", a.kind, a.name))


def _binned(workspace: Workspace) -> list[tuple[str, str, str, str]]:
    return [
        (row.id, row.name, f"{row.kind_label} — {format_date(row.starts_on)}", deleted_at or "")
        for row, deleted_at in _read(workspace, True)
    ]


BIN_SOURCES = (BinSource("activity", "Hoạt động học tập", _binned, restore_activity),)


# -- targets ------------------------------------------------------------------------------------------


def targets(workspace: Workspace, year: int) -> dict[str, int]:
    """The year's targets by kind; a kind without one is absent."""
    with session_scope(workspace.engine) as session:
        rows = session.exec(
            select(ActivityTarget.kind, ActivityTarget.target).where(
                ActivityTarget.year == year, col(ActivityTarget.deleted_at).is_(None)
            )
        ).all()
    return dict(rows)


def set_targets(workspace: Workspace, year: int, values: Mapping[str, int]) -> None:
    """Set several kinds' targets for the year as one change (one Ctrl+Z); unchanged ones write nothing.

    0 means no target: it writes no row where there was none, and a row set to 0 shows no percentage.
    """
    for kind, target in values.items():
        clean_target(kind, year, target)
    with record_change(workspace, f"Đặt chỉ tiêu năm {year}") as change:
        said = []
        for kind, target in values.items():
            row = change.session.exec(
                select(ActivityTarget).where(
                    ActivityTarget.year == year, ActivityTarget.kind == kind, col(ActivityTarget.deleted_at).is_(None)
                )
            ).first()
            if row is None and target:
                change.add(ActivityTarget(year=year, kind=kind, target=target))
            elif row is not None and row.target != target:
                change.touch(row)
                row.target = target
                row.updated_at = utc_now()
            else:
                continue
            amount = f"{format_count(target)} {count_unit(kind)}" if target else "không đặt chỉ tiêu"
            said.append(f"{ACTIVITY_KIND_SHORT_LABELS[kind].lower()} {amount}")
        change.label = f"Đặt chỉ tiêu năm {year}: {', '.join(said)}"


def set_target(workspace: Workspace, year: int, kind: str, target: int) -> None:
    set_targets(workspace, year, {kind: target})


_PROGRESS_SQL = """
SELECT k.value,
       (SELECT t.target FROM activity_target t WHERE t.year = :year AND t.kind = k.value AND t.deleted_at IS NULL),
       count(a.id), coalesce(sum(a.participants), 0)
FROM json_each(:kinds) k
LEFT JOIN activity a ON a.kind = k.value AND a.deleted_at IS NULL AND a.starts_on BETWEEN :first AND :last
GROUP BY k.key, k.value
ORDER BY k.key
"""


def year_progress(workspace: Workspace, year: int) -> list[TargetProgress]:
    """Each kind's target, number started in the year and participants, in one query, in the kinds' order."""
    first, last = year_bounds(year)
    params = {"year": year, "kinds": json.dumps(list(ACTIVITY_KIND_LABELS)), "first": first, "last": last}
    with session_scope(workspace.engine) as session:
        rows = session.execute(text(_PROGRESS_SQL), params).all()
    return [progress(kind, year, target, actual, participants) for kind, target, actual, participants in rows]
