"""What a register puts in the recycle bin: each register names its sources, the bin lists them all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from sqlmodel import Session, SQLModel

from khuyenhoc_desktop.services.changes import record_change
from khuyenhoc_desktop.storage.tables import utc_now

if TYPE_CHECKING:
    from khuyenhoc_desktop.services.workspace import Workspace

T = TypeVar("T", bound=SQLModel)
Check = Callable[[Session, Any], None]


@dataclass(frozen=True, slots=True)
class DeletedRecord:
    kind: str
    kind_label: str  # "Hộ gia đình", "Thành viên", "Dòng họ"…
    id: str
    label: str
    detail: str
    deleted_at: str


@dataclass(frozen=True)
class BinSource:
    kind: str
    kind_label: str
    list_deleted: Callable[[Workspace], list[tuple[str, str, str, str]]]  # (id, label, detail, deleted_at)
    restore: Callable[[Workspace, str], None]

    def records(self, workspace: Workspace) -> list[DeletedRecord]:
        return [DeletedRecord(self.kind, self.kind_label, *row) for row in self.list_deleted(workspace)]


def _set_deleted(
    workspace: Workspace, table: type[T], record_id: str, deleted: bool, label: Callable[[T], str], check: Check | None
) -> None:
    with record_change(workspace, "Xóa" if deleted else "Khôi phục") as change:
        record = change.session.get_one(table, record_id)
        if check is not None:
            check(change.session, record)
        change.touch(record)
        record.deleted_at = utc_now() if deleted else None
        change.label = label(record)


def move_to_bin(
    workspace: Workspace, table: type[T], record_id: str, label: Callable[[T], str], check: Check | None = None
) -> None:
    """Soft-delete one record (after `check`, which raises to refuse): audited, undoable, restorable."""
    _set_deleted(workspace, table, record_id, True, label, check)


def take_from_bin(
    workspace: Workspace, table: type[T], record_id: str, label: Callable[[T], str], check: Check | None = None
) -> None:
    """Bring a record back from the recycle bin, once `check` has found nothing that now stands in its way."""
    _set_deleted(workspace, table, record_id, False, label, check)
