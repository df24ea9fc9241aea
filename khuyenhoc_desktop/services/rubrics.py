"""Rubrics as data: the shipped presets installed on first use, versions, and the rule that a rubric an
evaluation has used is never changed in place (saving it writes the next version instead), so every
evaluation can always show the points and pass mark it was judged by."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from sqlalchemy import text
from sqlmodel import Session, col, func, select

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.rubric import Rubric, check_rubric, criteria_from_json, criteria_to_json
from khuyenhoc_desktop.domain.rubric_presets import PRESETS
from khuyenhoc_desktop.domain.text import sort_key
from khuyenhoc_desktop.domain.titles import TITLE_LABELS
from khuyenhoc_desktop.services.changes import freeze_rows, record_change
from khuyenhoc_desktop.services.deleted import BinSource, move_to_bin, take_from_bin
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Evaluation, RubricRecord, utc_now


@dataclass(frozen=True, slots=True)
class RubricRow:
    id: str
    title: str
    title_label: str
    name: str
    version: int
    pass_mark: int
    max_points: int
    valid_from: int
    valid_to: int | None
    used: bool
    preset_key: str


_LIST_SQL = """
SELECT r.id, r.title, r.name, r.version, r.pass_mark, r.criteria, r.valid_from, r.valid_to,
       EXISTS (SELECT 1 FROM evaluation e WHERE e.rubric_id = r.id), r.preset_key
FROM rubric r
WHERE r.deleted_at IS NULL AND (:title IS NULL OR r.title = :title)
"""

_TITLE_ORDER = {title: i for i, title in enumerate(TITLE_LABELS)}


def _criteria_json(rubric: Rubric) -> str:
    return json.dumps(criteria_to_json(rubric.criteria), ensure_ascii=False)


def _to_rubric(record: RubricRecord) -> Rubric:
    return Rubric(
        title=record.title,
        name=record.name,
        version=record.version,
        pass_mark=record.pass_mark,
        criteria=criteria_from_json(json.loads(record.criteria)),
        valid_from=record.valid_from,
        valid_to=record.valid_to,
        basis=record.basis,
        id=record.id,
    )


def _new_record(rubric: Rubric, version: int, preset_key: str) -> RubricRecord:
    return RubricRecord(
        title=rubric.title,
        name=rubric.name,
        version=version,
        pass_mark=rubric.pass_mark,
        valid_from=rubric.valid_from,
        valid_to=rubric.valid_to,
        basis=rubric.basis,
        criteria=_criteria_json(rubric),
        preset_key=preset_key,
    )


def _label(name: str, version: int) -> str:
    return f"«{name}» phiên bản {version}"


def install_presets(workspace: Workspace) -> int:
    """Put each shipped preset the folder has never held into the rubric table; returns how many.

    A preset the officer deleted is not brought back. Not undoable: Ctrl+Z should never take away the
    rubrics the evaluations need.
    """
    with session_scope(workspace.engine) as session:
        held = set(session.exec(select(RubricRecord.preset_key).distinct()).all())
    missing = [(key, rubric) for key, rubric in PRESETS if key not in held]
    if missing:
        with record_change(workspace, "Cài các bộ tiêu chí mẫu", undoable=False) as change:
            for key, rubric in missing:
                change.add(_new_record(check_rubric(rubric), rubric.version, key))
    return len(missing)


def _used(session: Session, rubric_id: str) -> bool:
    return session.exec(select(Evaluation.id).where(Evaluation.rubric_id == rubric_id).limit(1)).first() is not None


def _frozen_reason(session: Session, rubric_id: str) -> str | None:
    return "bộ tiêu chí này đã được dùng để chấm" if _used(session, rubric_id) else None


freeze_rows("rubric", _frozen_reason)


def is_used(workspace: Workspace, rubric_id: str) -> bool:
    """Scored with (an evaluation points at it, even one in the recycle bin): it may no longer change."""
    with session_scope(workspace.engine) as session:
        return _used(session, rubric_id)


def _get(session: Session, rubric_id: str) -> RubricRecord:
    record = session.get(RubricRecord, rubric_id)
    if record is None:
        raise UserError("Không tìm thấy bộ tiêu chí này; có thể nó đã bị xóa hẳn.")
    return record


def get_rubric(workspace: Workspace, rubric_id: str) -> Rubric:
    """Any version, deleted ones too: an old evaluation still shows the rubric it was scored by."""
    with session_scope(workspace.engine) as session:
        return _to_rubric(_get(session, rubric_id))


def list_rubrics(workspace: Workspace, title: str | None = None) -> list[RubricRow]:
    """Live rubrics (of one title, or all) in title order, then by name and version."""
    install_presets(workspace)
    with session_scope(workspace.engine) as session:
        rows = session.execute(text(_LIST_SQL), {"title": title}).all()
    result = [
        RubricRow(
            id=row[0],
            title=row[1],
            title_label=TITLE_LABELS.get(row[1], row[1]),
            name=row[2],
            version=row[3],
            pass_mark=row[4],
            max_points=sum(c.max_points for c in criteria_from_json(json.loads(row[5]))),
            valid_from=row[6],
            valid_to=row[7],
            used=bool(row[8]),
            preset_key=row[9],
        )
        for row in rows
    ]
    return sorted(result, key=lambda r: (_TITLE_ORDER.get(r.title, len(_TITLE_ORDER)), sort_key(r.name), r.version))


def rubric_for(workspace: Workspace, title: str, year: int) -> Rubric:
    """The rubric a new evaluation of `year` is scored by.

    Of the live rubrics whose validity covers the year, the one that started applying latest wins (a
    province's own rubric from 2025 over the 2016 preset), then the highest version, then the newest row.
    """
    install_presets(workspace)
    with session_scope(workspace.engine) as session:
        record = session.exec(
            select(RubricRecord)
            .where(
                RubricRecord.title == title,
                col(RubricRecord.deleted_at).is_(None),
                RubricRecord.valid_from <= year,
                (col(RubricRecord.valid_to).is_(None)) | (col(RubricRecord.valid_to) >= year),
            )
            .order_by(
                col(RubricRecord.valid_from).desc(),
                col(RubricRecord.version).desc(),
                col(RubricRecord.created_at).desc(),
            )
        ).first()
    if record is None:
        label = TITLE_LABELS.get(title, title)
        raise UserError(
            f"Chưa có bộ tiêu chí «{label}» áp dụng cho năm {year}. "
            "Hãy vào mục Bộ tiêu chí để thêm phiên bản mới hoặc sửa thời gian áp dụng."
        )
    return _to_rubric(record)


def _next_version(session: Session, title: str, name: str, preset_key: str) -> int:
    """One past the highest version of the lineage (deleted versions count, so a number is never reused).

    A lineage is every version that came from one preset, or, for a rubric made here, every version with
    the same title and name.
    """
    query = select(func.max(RubricRecord.version)).where(
        RubricRecord.title == title, RubricRecord.preset_key == preset_key
    )
    if not preset_key:
        query = query.where(RubricRecord.name == name)
    return (session.exec(query).one() or 0) + 1


def save_rubric(workspace: Workspace, rubric: Rubric) -> str:
    """Write the rubric and return the id written.

    A new rubric (no id) starts a lineage of its own. An unused one is changed in place (undoable and
    audited). A used one is left byte for byte as it was: the edit becomes the lineage's next version,
    whose id is returned.
    """
    clean = check_rubric(rubric)
    if not clean.id:
        with record_change(workspace, f"Thêm bộ tiêu chí «{clean.name}»") as change:
            record = _new_record(clean, _next_version(change.session, clean.title, clean.name, ""), "")
            change.add(record)
        return record.id
    with record_change(workspace, "Sửa bộ tiêu chí") as change:
        session = change.session
        old = _get(session, clean.id)
        if old.deleted_at is not None:
            raise UserError(f"Bộ tiêu chí {_label(old.name, old.version)} đang ở thùng rác: hãy khôi phục trước.")
        clean = replace(clean, title=old.title)
        if _used(session, old.id):
            record = _new_record(clean, _next_version(session, old.title, old.name, old.preset_key), old.preset_key)
            change.add(record)
            change.label = f"Lưu bộ tiêu chí {_label(old.name, old.version)} thành phiên bản {record.version}"
            return record.id
        change.touch(old)
        old.name, old.basis, old.pass_mark = clean.name, clean.basis, clean.pass_mark
        old.valid_from, old.valid_to, old.criteria = clean.valid_from, clean.valid_to, _criteria_json(clean)
        old.updated_at = utc_now()
        change.label = f"Sửa bộ tiêu chí {_label(old.name, old.version)}"
    return old.id


def copy_as_new_version(workspace: Workspace, rubric_id: str) -> str:
    """The lineage's next version, identical to this one, for the officer to adapt."""
    with record_change(workspace, "Sao chép bộ tiêu chí") as change:
        old = _get(change.session, rubric_id)
        version = _next_version(change.session, old.title, old.name, old.preset_key)
        record = _new_record(_to_rubric(old), version, old.preset_key)
        change.add(record)
        change.label = f"Sao chép bộ tiêu chí {_label(old.name, old.version)} thành phiên bản {version}"
    return record.id


def _check_unused(session: Session, record: RubricRecord) -> None:
    if _used(session, record.id):
        raise UserError(
            f"Bộ tiêu chí {_label(record.name, record.version)} đã được dùng để chấm nên không xóa được. "
            "Muốn ngừng dùng, hãy đặt năm kết thúc áp dụng."
        )


def delete_rubric(workspace: Workspace, rubric_id: str) -> None:
    """To the recycle bin; refused once an evaluation has used it (end its validity instead)."""
    move_to_bin(
        workspace, RubricRecord, rubric_id, lambda r: f"Xóa bộ tiêu chí {_label(r.name, r.version)}", _check_unused
    )


def restore_rubric(workspace: Workspace, rubric_id: str) -> None:
    take_from_bin(workspace, RubricRecord, rubric_id, lambda r: f"Khôi phục bộ tiêu chí {_label(r.name, r.version)}")


def _list_deleted(workspace: Workspace) -> list[tuple[str, str, str, str]]:
    with session_scope(workspace.engine) as session:
        records = session.exec(select(RubricRecord).where(col(RubricRecord.deleted_at).is_not(None))).all()
    return [
        (r.id, f"{r.name} — phiên bản {r.version}", TITLE_LABELS.get(r.title, r.title), r.deleted_at or "")
        for r in records
    ]


BIN_SOURCES = (BinSource("rubric", "Bộ tiêu chí", _list_deleted, restore_rubric),)
