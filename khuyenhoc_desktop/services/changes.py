"""How every use case writes: one transaction, an audit entry per row touched, and a change set that can
be undone. Later registers reuse this unchanged, so the audit log and Ctrl+Z cover them for free."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import AuditEntry, utc_now

if TYPE_CHECKING:
    from khuyenhoc_desktop.services.workspace import Workspace

Row = dict[str, Any]
_IDS_PER_QUERY = 500  # ids per IN (…): well under SQLite's limit on bound parameters


@dataclass(frozen=True)
class RowChange:
    table: str
    record_id: str
    before: Row | None
    after: Row | None


@dataclass(frozen=True)
class ChangeSet:
    label: str
    rows: tuple[RowChange, ...]

    def inverse(self, label: str) -> ChangeSet:
        return ChangeSet(label, tuple(RowChange(r.table, r.record_id, r.after, r.before) for r in reversed(self.rows)))

    def record_ids(self, table: str) -> list[str]:
        return [r.record_id for r in self.rows if r.table == table]


def row_of(obj: SQLModel) -> Row:
    return {column.name: getattr(obj, column.name) for column in obj.__table__.columns}  # type: ignore[attr-defined]


@cache
def _defaults(model: type[SQLModel]) -> tuple[Row, dict[str, Callable[[], Any]]]:
    fixed: Row = {}
    made: dict[str, Callable[[], Any]] = {}
    for name, info in model.model_fields.items():
        if info.default_factory is not None:
            made[name] = info.default_factory  # type: ignore[assignment]
        elif not info.is_required():
            fixed[name] = info.default
    return fixed, made


def new_row(model: type[SQLModel], **values: Any) -> Row:
    """A new row of `model` as a plain dict, its defaults filled as the model would fill them: for `add_many`,
    where building and validating one model object per row would cost more than writing it."""
    fixed, made = _defaults(model)
    return {**fixed, **{name: make() for name, make in made.items() if name not in values}, **values}


def _key(obj: SQLModel) -> tuple[str, str]:
    return str(obj.__tablename__), str(obj.id)  # type: ignore[attr-defined]


@dataclass
class Recorder:
    """Collects the rows one use case touches; `touch` before changing a row, `add` for a new one."""

    session: Session
    label: str
    _before: dict[tuple[str, str], Row | None] = field(default_factory=dict)
    _objects: dict[tuple[str, str], SQLModel] = field(default_factory=dict)
    _gone: set[tuple[str, str]] = field(default_factory=set)
    _batched: list[RowChange] = field(default_factory=list)
    changeset: ChangeSet | None = None

    def touch(self, obj: SQLModel) -> None:
        key = _key(obj)
        if key not in self._before:
            self._before[key] = row_of(obj)
            self._objects[key] = obj

    def remove(self, obj: SQLModel) -> None:
        """Delete the row for good (links and the like; registers use `deleted_at` instead)."""
        self.touch(obj)
        self.session.delete(obj)
        self._gone.add(_key(obj))

    def add(self, obj: SQLModel) -> None:
        self.session.add(obj)
        self._before[_key(obj)] = None
        self._objects[_key(obj)] = obj

    def add_many(self, model: type[SQLModel], rows: Sequence[Row]) -> None:
        """New rows of one table (made by `new_row`) written in one batch, not one ORM object each: an import of
        50,000 households would otherwise spend most of its time building objects and in the session's
        bookkeeping. They are audited and undoable like `add`, and listed first in the change set, so undo (which
        runs it backwards) takes them away last: give `add_many` parents, or parents then their children, never
        children of rows added one by one."""
        if not rows:
            return
        self.session.flush()  # rows added one by one before these go first
        table = str(model.__tablename__)
        columns = list(rows[0])
        _executemany(
            self.session,
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [tuple(row[c] for c in columns) for row in rows],
        )
        self._batched += [RowChange(table, str(row["id"]), None, dict(row)) for row in rows]

    def current_rows(self, model: type[SQLModel], ids: Sequence[str]) -> dict[str, Row]:
        """The rows of `model` with these ids, as plain dicts (id → row), for `update_many`."""
        table = model.__table__  # type: ignore[attr-defined]
        found: dict[str, Row] = {}
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[start : start + _IDS_PER_QUERY]
            found.update(
                (r["id"], dict(r)) for r in self.session.execute(select(table).where(table.c.id.in_(chunk))).mappings()
            )
        return found

    def update_many(self, model: type[SQLModel], changed: Sequence[tuple[Row, Row]]) -> None:
        """Rows of one table rewritten in one batch from (before, after) pairs of whole rows (`current_rows`, then
        a copy with the changes): the counterpart of `add_many` for an import that updates 50,000 rows. Audited
        and undoable like `touch`; not for rows this change also holds as objects."""
        if not changed:
            return
        self.session.flush()
        table = str(model.__tablename__)
        columns = [c for c in changed[0][1] if c != "id"]
        _executemany(
            self.session,
            f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
            [(*(after[c] for c in columns), after["id"]) for _before, after in changed],
        )
        self._batched += [RowChange(table, str(after["id"]), before, after) for before, after in changed]

    def finish(self, officer: str) -> ChangeSet:
        self.session.flush()
        rows = list(self._batched)
        for key, obj in self._objects.items():
            after = None if key in self._gone else row_of(obj)
            if after != self._before[key]:
                rows.append(RowChange(key[0], key[1], self._before[key], after))
        self.changeset = ChangeSet(self.label, tuple(rows))
        write_audit(self.session, self.changeset, officer)
        return self.changeset


def write_audit(session: Session, changeset: ChangeSet, officer: str) -> None:
    """One audit entry per row, written in one batch."""
    at = utc_now()
    entries = [
        (
            at,
            officer,
            changeset.label,
            row.table,
            row.record_id,
            None if row.before is None else json.dumps(row.before, ensure_ascii=False),
            None if row.after is None else json.dumps(row.after, ensure_ascii=False),
        )
        for row in changeset.rows
    ]
    if entries:
        _executemany(
            session,
            f"INSERT INTO {AuditEntry.__tablename__} (at, officer, action, table_name, record_id, before_json, "
            "after_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
            entries,
        )


def _executemany(session: Session, statement: str, params: list[tuple[Any, ...]]) -> None:
    """Straight to the SQLite driver: at 50,000 rows SQLAlchemy's handling of each row's parameters costs more than
    writing them. The values are the plain ones rows hold (text, numbers, None)."""
    session.connection().exec_driver_sql(statement, params)


@contextmanager
def record_change(
    workspace: Workspace, label: str, undoable: bool = True, officer: str | None = None
) -> Iterator[Recorder]:
    """Run a use case in one transaction; on success the change is audited and (unless it is something
    Ctrl+Z should never take back, like setting up the folder) pushed on the undo stack."""
    with session_scope(workspace.engine) as session:
        recorder = Recorder(session, label)
        yield recorder
        changeset = recorder.finish(workspace.officer if officer is None else officer)
    if changeset.rows and undoable:
        workspace.history.push(changeset)


FrozenCheck = Callable[[Session, str], "str | None"]
_FROZEN: dict[str, FrozenCheck] = {}


def freeze_rows(table: str, check: FrozenCheck) -> None:
    """Declare rows of `table` that undo and redo must never rewrite: `check` gives the reason, or None.

    A used rubric, for one: scoring does not touch the rubric row, so without this an undo of an
    earlier edit would change a rubric that evaluations already stand on.
    """
    _FROZEN[table] = check


def apply_change(workspace: Workspace, changeset: ChangeSet) -> None:
    """Write each row's `after` state (None deletes it), refusing if a row moved on since `before`.

    Rows are written in the recorded order where possible; a row whose write collides with a unique
    index (two heads of one household for a moment) waits until the others are written.
    """
    with session_scope(workspace.engine) as session:
        pending = list(changeset.rows)
        for row in pending:
            table = SQLModel.metadata.tables[row.table]
            current = session.execute(select(table).where(table.c.id == row.record_id)).mappings().first()
            if (dict(current) if current is not None else None) != row.before:
                raise UserError(
                    f"Không thể thực hiện «{changeset.label}»: bản ghi đã được sửa sau đó. Dữ liệu không bị thay đổi."
                )
            frozen = _FROZEN.get(row.table)
            reason = frozen(session, row.record_id) if frozen is not None else None
            if reason:
                raise UserError(f"Không thể thực hiện «{changeset.label}»: {reason}. Dữ liệu không bị thay đổi.")
        while pending:
            waiting = [row for row in pending if not _write_row(session, row)]
            if len(waiting) == len(pending):
                raise UserError(f"Không thể thực hiện «{changeset.label}»: dữ liệu hiện tại không cho phép.")
            pending = waiting
        write_audit(session, changeset, workspace.officer)


def _write_row(session: Session, row: RowChange) -> bool:
    table = SQLModel.metadata.tables[row.table]
    try:
        with session.begin_nested():
            if row.after is None:
                session.execute(delete(table).where(table.c.id == row.record_id))
            elif row.before is None:
                session.execute(insert(table).values(**row.after))
            else:
                session.execute(update(table).where(table.c.id == row.record_id).values(**row.after))
    except IntegrityError:
        return False
    return True


class History:
    """The undo and redo stacks of one open data folder (the session's own changes only)."""

    def __init__(self) -> None:
        self._undo: list[ChangeSet] = []
        self._redo: list[ChangeSet] = []

    def push(self, changeset: ChangeSet) -> None:
        self._undo.append(changeset)
        self._redo.clear()

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()

    @property
    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    @property
    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    def undo(self, workspace: Workspace) -> ChangeSet:
        done = self._undo[-1]
        apply_change(workspace, done.inverse(f"Hoàn tác: {done.label}"))
        self._redo.append(self._undo.pop())
        return done

    def redo(self, workspace: Workspace) -> ChangeSet:
        undone = self._redo[-1]
        apply_change(workspace, ChangeSet(f"Làm lại: {undone.label}", undone.rows))
        self._undo.append(self._redo.pop())
        return undone
