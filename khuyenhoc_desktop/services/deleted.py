"""What a register puts in the recycle bin: each register names its sources, the bin lists them all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from khuyenhoc_desktop.services.workspace import Workspace


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
